// The England figure's assembly from every region's published aggregates, against the fake hub
// connection: what is asked of the peers, the pooled figure over the regions that answered, its
// completeness and as-of time, each region's state, and strict mode naming the missing region.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "gtest/gtest.h"
#include "services/datacollection/adapter/datacollection_service.h"
#include "services/datacollection/client/testing/fake_datacollection_hub_connection.h"

namespace slihub::datacollection {
namespace {

namespace cpb = ::slihub::common::v1;
using testing::FakeDataCollectionHubConnection;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
constexpr char kIndicator[] = "CSC-REREFERRAL-12M";

v1::DecimalValue Decimal(int64_t unscaled, int scale = 0) {
  v1::DecimalValue d;
  d.set_unscaled(unscaled);
  d.set_scale(scale);
  return d;
}

// One region's published answer: one LA with `numerator` / `denominator` as a percentage (1 dp).
v1::GetPublishedAggregatesResponse Published(const std::string& region, int64_t numerator,
                                             int64_t denominator, bool published = true) {
  v1::GetPublishedAggregatesResponse r;
  r.mutable_region()->set_value(region);
  r.set_period_id("2025-Q2");
  r.set_published(published);
  if (!published) return r;
  v1::IndicatorAggregate* a = r.add_indicators();
  a->set_indicator_id(kIndicator);
  a->set_unit(v1::INDICATOR_UNIT_PERCENTAGE);
  a->set_decimal_places(1);
  a->set_las_expected(1);
  a->set_las_present(1);
  *a->mutable_value_sum() = Decimal(numerator * 1000 / denominator, 1);
  a->set_las_pooled(1);
  *a->mutable_numerator_sum() = Decimal(numerator);
  *a->mutable_denominator_sum() = Decimal(denominator);
  return r;
}

federation::RegionOutcome Outcome(federation::RegionState state, absl::Time as_of) {
  federation::RegionOutcome o;
  o.state = state;
  o.as_of = as_of;
  return o;
}

v1::Benchmark Rug() {
  v1::Benchmark rug;
  rug.mutable_region()->set_value("EE");
  rug.set_period_id("2025-Q2");
  v1::Indicator* indicator = rug.add_rows()->mutable_indicator();
  indicator->set_indicator_id(kIndicator);
  indicator->set_unit(v1::INDICATOR_UNIT_PERCENTAGE);
  indicator->set_decimal_places(1);
  return rug;
}

std::vector<std::string> Included(const v1::EnglandFigure& england) {
  std::vector<std::string> out;
  for (const auto& r : england.regions_included()) out.push_back(r.value());
  return out;
}

TEST(EnglandFigureAssemblyTest, PoolsEveryRegionsPublishedPartsAndAsksThePeersForThePeriod) {
  FakeDataCollectionHubConnection hub;
  hub.SetAggregates("SE", Outcome(federation::RegionState::kFresh, kNow - absl::Seconds(1)),
                    Published("SE", 61, 250));
  hub.SetAggregates("LDN", Outcome(federation::RegionState::kCached, kNow - absl::Seconds(30)),
                    Published("LDN", 17, 90));
  const RegionAggregates regions = GatherRegionAggregates(
      "EE", kNow, Published("EE", 43, 200), &hub, {"SE", "LDN"}, "2025-Q2");
  ASSERT_EQ(hub.asked().size(), 1u);
  EXPECT_EQ(hub.asked()[0].regions, (std::vector<std::string>{"SE", "LDN"}));
  EXPECT_EQ(hub.asked()[0].period_id, "2025-Q2");
  ASSERT_EQ(regions.outcomes.size(), 3u);
  EXPECT_EQ(regions.outcomes[0].region, "EE");  // own region first
  EXPECT_EQ(regions.outcomes[0].state, federation::RegionState::kFresh);
  EXPECT_TRUE(regions.federated);

  v1::Benchmark rug = Rug();
  cpb::FederationInfo info;
  ASSERT_TRUE(FillEnglandFigures(regions, cpb::FEDERATION_MODE_STRICT, kNow, &rug, &info).ok());
  const v1::EnglandFigure& england = rug.rows(0).england();
  EXPECT_EQ(england.state(), v1::VALUE_STATE_PRESENT);
  EXPECT_EQ(england.method(), v1::ENGLAND_FIGURE_METHOD_POOLED);
  // (43 + 61 + 17) / (200 + 250 + 90) = 22.407...% -> 22.4
  EXPECT_EQ(england.value().unscaled(), 224);
  EXPECT_EQ(england.value().scale(), 1);
  EXPECT_EQ(england.las_included(), 3);
  EXPECT_TRUE(england.complete());
  EXPECT_EQ(Included(england), (std::vector<std::string>{"EE", "SE", "LDN"}));
  // The oldest contributing part: LDN's cached copy.
  EXPECT_EQ(england.as_of_time().seconds(), absl::ToUnixSeconds(kNow - absl::Seconds(30)));
  EXPECT_EQ(info.scope(), cpb::REGION_SCOPE_NATIONAL);
  ASSERT_EQ(info.regions_size(), 3);
  EXPECT_EQ(info.regions(2).state(), cpb::REGION_ANSWER_STATE_CACHED);
  EXPECT_FALSE(info.partial());
}

TEST(EnglandFigureAssemblyTest, AMissingRegionLeavesTheFigureIncompleteAndStrictNamesIt) {
  FakeDataCollectionHubConnection hub;  // LDN never set: UNAVAILABLE
  hub.SetAggregates("SE", Outcome(federation::RegionState::kFresh, kNow), Published("SE", 61, 250));
  const RegionAggregates regions = GatherRegionAggregates(
      "EE", kNow, Published("EE", 43, 200), &hub, {"SE", "LDN"}, "2025-Q2");

  v1::Benchmark rug = Rug();
  cpb::FederationInfo info;
  ASSERT_TRUE(FillEnglandFigures(regions, cpb::FEDERATION_MODE_PARTIAL, kNow, &rug, &info).ok());
  const v1::EnglandFigure& england = rug.rows(0).england();
  EXPECT_EQ(england.value().unscaled(), 231);  // 104 / 450 = 23.11...%
  EXPECT_EQ(england.las_included(), 2);
  EXPECT_FALSE(england.complete());
  EXPECT_EQ(Included(england), (std::vector<std::string>{"EE", "SE"}));
  ASSERT_EQ(info.regions_size(), 3);
  EXPECT_EQ(info.regions(2).region().value(), "LDN");
  EXPECT_EQ(info.regions(2).state(), cpb::REGION_ANSWER_STATE_UNAVAILABLE);
  EXPECT_TRUE(info.partial());

  v1::Benchmark strict_rug = Rug();
  cpb::FederationInfo strict_info;
  const absl::Status strict =
      FillEnglandFigures(regions, cpb::FEDERATION_MODE_STRICT, kNow, &strict_rug, &strict_info);
  EXPECT_EQ(strict.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict.message(), "LDN")) << strict;
  EXPECT_FALSE(absl::StrContains(strict.message(), "SE")) << strict;
  EXPECT_EQ(GetErrorReason(strict), "REGION_UNAVAILABLE");
  EXPECT_FALSE(strict_rug.rows(0).has_england());
  EXPECT_EQ(strict_info.regions_size(), 0);
}

TEST(EnglandFigureAssemblyTest, AnUnpublishedPeerOrNoFederationIsNeverCountedComplete) {
  FakeDataCollectionHubConnection hub;
  hub.SetAggregates("SE", Outcome(federation::RegionState::kFresh, kNow),
                    Published("SE", 0, 1, /*published=*/false));
  const RegionAggregates regions =
      GatherRegionAggregates("EE", kNow, Published("EE", 43, 200), &hub, {"SE"}, "2025-Q2");
  v1::Benchmark rug = Rug();
  cpb::FederationInfo info;
  ASSERT_TRUE(FillEnglandFigures(regions, cpb::FEDERATION_MODE_PARTIAL, kNow, &rug, &info).ok());
  EXPECT_EQ(rug.rows(0).england().value().unscaled(), 215);  // EE's alone: 21.5%
  EXPECT_FALSE(rug.rows(0).england().complete());
  EXPECT_EQ(Included(rug.rows(0).england()), (std::vector<std::string>{"EE"}));

  const RegionAggregates alone =
      GatherRegionAggregates("EE", kNow, Published("EE", 43, 200), nullptr, {"SE"}, "2025-Q2");
  EXPECT_FALSE(alone.federated);
  ASSERT_EQ(alone.outcomes.size(), 1u);
  v1::Benchmark alone_rug = Rug();
  ASSERT_TRUE(
      FillEnglandFigures(alone, cpb::FEDERATION_MODE_PARTIAL, kNow, &alone_rug, &info).ok());
  EXPECT_EQ(alone_rug.rows(0).england().state(), v1::VALUE_STATE_PRESENT);
  EXPECT_FALSE(alone_rug.rows(0).england().complete());
}

}  // namespace
}  // namespace slihub::datacollection
