// The sufficiency figures' matches through the real binary: the top-ranked match of each
// referral made in the period, counted once per referral however often it is matched.
#include <string>

#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

TEST(SufficiencyMatchesTest, TheTopMatchOfEachReferralIsCountedOnce) {
  ServiceProcess server(PlacementOptions());
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string acme = server.IssueToken("acme-1", {Role::kProvider});
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  const SeededRegister seeded = SeedRegister(stub.get(), admin, acme, officer);
  ASSERT_FALSE(seeded.referral_id.empty());

  pb::MatchPlacementsRequest match;
  match.set_referral_id(seeded.referral_id);
  for (int i = 0; i < 3; ++i) {  // matched three times: still one referral's top match
    pb::MatchPlacementsResponse matches;
    const grpc::Status st =
        CallPlacement(stub.get(), officer, &Stub::MatchPlacements, match, &matches);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(matches.matches_size(), 1);
  }

  pb::GetSufficiencyResponse figures;
  const grpc::Status st = CallPlacement(stub.get(), admin, &Stub::GetSufficiency,
                                        pb::GetSufficiencyRequest(), &figures);
  ASSERT_TRUE(st.ok()) << st.error_message();
  int seen = 0;
  for (const pb::SufficiencyFigures& f : figures.la_figures()) {
    if (f.la_code().value() == "926") {
      ++seen;
      EXPECT_EQ(f.matches().count(), 1);
      EXPECT_EQ(f.matches().distance_unknown(), 0);
      EXPECT_GT(f.matches().median_distance_miles(), 0);
      EXPECT_LT(f.matches().median_distance_miles(), 2);  // NR2 to the home at (52.63, 1.30)
      EXPECT_EQ(f.matches().share_within_threshold_bp(), 10000);
    } else {
      EXPECT_EQ(f.matches().count(), 0) << f.la_code().value();
    }
  }
  EXPECT_EQ(seen, 1);
  ASSERT_EQ(figures.region_figures_size(), 1);
  EXPECT_EQ(figures.region_figures(0).matches().count(), 1);
}

}  // namespace
}  // namespace slihub::testing
