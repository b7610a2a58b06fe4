#include "common/federation/region_outcome.h"

#include "common/errors/errors.h"
#include "gtest/gtest.h"

namespace slihub::federation {
namespace {

TEST(RegionOutcomeTest, StrictFailsNamingEveryRegionWithoutACurrentAnswer) {
  std::vector<RegionOutcome> outcomes(4);
  outcomes[0] = LocalOutcome("EE", absl::Now());
  outcomes[1].region = "LO";
  outcomes[1].state = RegionState::kCached;
  outcomes[2].region = "SE";
  outcomes[2].state = RegionState::kTimedOut;
  outcomes[2].reason = "no answer within the deadline";
  outcomes[3].region = "NW";
  outcomes[3].state = RegionState::kStale;
  absl::Status status = RequireEveryRegion(outcomes);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("SE TIMED_OUT: no answer within the deadline"),
            std::string::npos);
  EXPECT_NE(status.message().find("NW STALE"), std::string::npos);
  EXPECT_EQ(status.message().find("LO"), std::string::npos);
  EXPECT_EQ(GetErrorReason(status), "REGION_UNAVAILABLE");
  EXPECT_EQ(MissingRegions(outcomes), std::vector<std::string>{"SE"});
  outcomes.resize(2);
  EXPECT_TRUE(RequireEveryRegion(outcomes).ok());
}

}  // namespace
}  // namespace slihub::federation
