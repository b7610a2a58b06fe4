// The HTML rug at NATIONAL scope: each region's state above the grid and the England figure with
// its as-of time beside each row; neither at OWN_REGION scope; every peer-given text escaped.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/datacollection/adapter/rug_render.h"

namespace slihub::datacollection {
namespace {

namespace cpb = ::slihub::common::v1;

constexpr char kReference[] =
    "la_code,name,ons_code,region,region_name,region_ons_code,la_type,population_0_25,"
    "statistical_neighbours\n"
    "873,Cambridgeshire,E10000003,EE,East of England,E12000006,County,150000,\n"
    "881,Essex,E10000012,EE,East of England,E12000006,County,300000,\n"
    "826,Milton Keynes,E06000042,SE,South East,E12000008,Unitary,90000,\n";

v1::Benchmark Rug() {
  v1::Benchmark rug;
  rug.mutable_region()->set_value("EE");
  rug.set_collection_id("EE-core");
  rug.set_period_id("2025-Q2");
  rug.add_la_codes()->set_value("873");
  rug.add_la_codes()->set_value("881");
  for (const char* id : {"CSC-REREFERRAL-12M", "CSC-CIN-RATE"}) {
    v1::BenchmarkRow* row = rug.add_rows();
    row->mutable_indicator()->set_indicator_id(id);
    row->mutable_indicator()->set_short_name(id);
    for (const char* la : {"873", "881"}) {
      v1::BenchmarkCell* cell = row->add_cells();
      cell->mutable_la_code()->set_value(la);
      cell->set_state(v1::VALUE_STATE_MISSING);
    }
  }
  v1::EnglandFigure* england = rug.mutable_rows(0)->mutable_england();
  england->set_state(v1::VALUE_STATE_PRESENT);
  england->mutable_value()->set_unscaled(224);
  england->mutable_value()->set_scale(1);
  england->set_method(v1::ENGLAND_FIGURE_METHOD_POOLED);
  england->set_las_included(3);
  england->set_complete(false);
  england->mutable_as_of_time()->set_seconds(1'800'000'000);  // 2027-01-15 08:00:00 UTC
  rug.mutable_rows(1)->mutable_england()->set_state(v1::VALUE_STATE_NOT_SUBMITTED);
  return rug;
}

cpb::FederationInfo National() {
  cpb::FederationInfo info;
  info.set_scope(cpb::REGION_SCOPE_NATIONAL);
  info.set_partial(true);
  auto add = [&](const char* region, cpb::RegionAnswerState state, int64_t age_seconds,
                 const char* reason) {
    cpb::RegionAnswer* a = info.add_regions();
    a->mutable_region()->set_value(region);
    a->set_state(state);
    if (age_seconds >= 0) a->mutable_age()->set_seconds(age_seconds);
    a->set_reason(reason);
  };
  add("EE", cpb::REGION_ANSWER_STATE_FRESH, 0, "");
  add("SE", cpb::REGION_ANSWER_STATE_STALE, 42, "peer <down> & out");
  add("NW", cpb::REGION_ANSWER_STATE_UNAVAILABLE, -1, "no peer hub is configured for NW");
  return info;
}

class RugRenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto refdata = ReferenceData::LoadFromText(kReference);
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
  }
  std::unique_ptr<ReferenceData> refdata_;
};

TEST_F(RugRenderTest, NationalShowsEachRegionsStateAndTheEnglandFigureWithItsAsOfTime) {
  const cpb::FederationInfo info = National();
  const std::string html = RenderRugHtml(Rug(), *refdata_, &info);
  EXPECT_TRUE(absl::StrContains(html, "Regions the England figure rests on (partial)")) << html;
  EXPECT_TRUE(absl::StrContains(html, "<tr data-region=\"EE\" data-state=\"FRESH\">"));
  EXPECT_TRUE(absl::StrContains(html, "<tr data-region=\"SE\" data-state=\"STALE\"><td>SE</td><td>"
                                      "STALE</td><td>42s</td>"))
      << html;
  EXPECT_TRUE(absl::StrContains(html, "<tr data-region=\"NW\" data-state=\"UNAVAILABLE\">"));
  EXPECT_TRUE(absl::StrContains(html, "no peer hub is configured for NW"));
  // Peer-given text is escaped, never markup.
  EXPECT_TRUE(absl::StrContains(html, "peer &lt;down&gt; &amp; out")) << html;
  EXPECT_FALSE(absl::StrContains(html, "peer <down>"));
  // The England figure beside its row, with its method, completeness and as-of time.
  EXPECT_TRUE(absl::StrContains(html, "England (as of)"));
  EXPECT_TRUE(absl::StrContains(
      html, "data-indicator=\"CSC-REREFERRAL-12M\" data-as-of=\"2027-01-15 08:00:00 UTC\""))
      << html;
  EXPECT_TRUE(absl::StrContains(
      html, ">22.4 (pooled, 3 LAs, incomplete) as of 2027-01-15 08:00:00 UTC</text>"))
      << html;
  // A row without published figures says so, never 0.
  EXPECT_TRUE(absl::StrContains(
      html, "data-indicator=\"CSC-CIN-RATE\" data-as-of=\"\""))
      << html;
  EXPECT_TRUE(absl::StrContains(html, ">- (no published figures)</text>")) << html;
}

TEST_F(RugRenderTest, OwnRegionShowsNeitherTheRegionsNorTheEnglandColumn) {
  const std::string plain = RenderRugHtml(Rug(), *refdata_);
  EXPECT_FALSE(absl::StrContains(plain, "class=\"federation\""));
  EXPECT_FALSE(absl::StrContains(plain, "England (as of)"));
  EXPECT_FALSE(absl::StrContains(plain, "class=\"england\""));
  cpb::FederationInfo own;
  own.set_scope(cpb::REGION_SCOPE_OWN_REGION);
  EXPECT_EQ(RenderRugHtml(Rug(), *refdata_, &own), plain);
  // The grid itself is unchanged by the national additions.
  const cpb::FederationInfo info = National();
  EXPECT_TRUE(absl::StrContains(RenderRugHtml(Rug(), *refdata_, &info),
                                "Tartan rug: East of England, 2025-Q2"));
}

}  // namespace
}  // namespace slihub::datacollection
