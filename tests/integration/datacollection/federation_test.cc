// Data collection federation with real processes: East of England, South East and London hubs
// (demo data) sharing a real Redis. Each region's LAs submit and its hub publishes the quarter; the
// England figure beside EE's NATIONAL rug equals the aggregate of the three regions' published
// figures computed here independently from their QueryValues answers; a resubmission at SE reaches
// EE's figure through the change feed; with SE killed the figure is marked incomplete and names it
// (STALE from Redis, then UNAVAILABLE once too old); STRICT fails UNAVAILABLE naming the regions.
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/datacollection/datacollection_admin.h"
#include "tests/integration/hub_cluster.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;
namespace cpb = ::slihub::common::v1;
using Int128 = __int128;

const std::vector<std::string> kRegions = {"EE", "SE", "LDN"};

Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// `d` as an integer count of 10^-9.
Int128 Nano(const dc::DecimalValue& d) { return Int128(d.unscaled()) * Pow10(9 - d.scale()); }

// num/den at `places`, rounded half away from zero, as unscaled digits.
int64_t RoundedDiv(Int128 num, Int128 den, int places) {
  const bool negative = (num < 0) != (den < 0);
  if (num < 0) num = -num;
  if (den < 0) den = -den;
  const Int128 scaled = num * Pow10(places);
  Int128 q = scaled / den;
  if ((scaled % den) * 2 >= den) ++q;
  return static_cast<int64_t>(negative ? -q : q);
}

int64_t Multiplier(dc::IndicatorUnit unit) {
  return unit == dc::INDICATOR_UNIT_RATE_PER_10000 ? 10000
         : unit == dc::INDICATOR_UNIT_PERCENTAGE   ? 100
                                                   : 1;
}

// The England figure of one indicator from every LA's published total, formed here without the
// service's code: POOLED when every PRESENT total has a numerator and a positive denominator.
struct Expected {
  bool present = false;
  bool pooled = false;
  int64_t unscaled = 0;
  int las = 0;
};

Expected EnglandOf(const std::vector<dc::Observation>& totals, dc::IndicatorUnit unit,
                   int places) {
  Expected e;
  Int128 values = 0, numerators = 0, denominators = 0;
  bool pooled = true;
  for (const dc::Observation& o : totals) {
    if (o.state() != dc::VALUE_STATE_PRESENT) continue;
    ++e.las;
    values += Nano(o.value());
    if (o.has_numerator() && o.has_denominator() && o.denominator().unscaled() > 0) {
      numerators += Nano(o.numerator());
      denominators += Nano(o.denominator());
    } else {
      pooled = false;
    }
  }
  if (e.las == 0) return e;
  e.present = true;
  e.pooled = pooled && denominators > 0;
  e.unscaled = e.pooled ? RoundedDiv(numerators * Multiplier(unit), denominators, places)
                        : RoundedDiv(values, Int128(e.las) * Pow10(9), places);
  return e;
}

class DataCollectionFederationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HubClusterOptions options;
    options.service = "datacollection";
    options.regions = kRegions;
    options.start_redis = true;
    options.extra_args = {"--demo-data", "--federation-fresh-ms=1000",
                          "--federation-stale-max-ms=3000"};
    cluster_ = std::make_unique<HubCluster>(options);
    const absl::Status started = cluster_->Start();
    ASSERT_TRUE(started.ok()) << started;
    admin_ = std::make_unique<DataCollectionAdmin>(cluster_.get());
  }

  // Every LA's latest total per indicator of `region`'s period, as its admin reads them.
  std::map<std::string, std::vector<dc::Observation>> Totals(const std::string& region,
                                                             const std::string& period) {
    std::map<std::string, std::vector<dc::Observation>> out;
    dc::QueryValuesRequest request;
    request.add_period_ids(period);
    request.mutable_page()->set_page_size(1000);
    std::string token;
    do {
      request.mutable_page()->set_page_token(token);
      dc::QueryValuesResponse response;
      grpc::ClientContext context;
      PrepareContext(&context, admin_->token(region), kDataCollectionCallDeadline);
      const grpc::Status status = admin_->Stub(region)->QueryValues(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const dc::ValueRecord& r : response.values()) {
        if (r.collection_id() != region + "-core") continue;
        out[r.value().indicator_id()].push_back(r.value().total());
      }
      token = response.page().next_page_token();
    } while (!token.empty());
    return out;
  }

  static const dc::BenchmarkRow* RowOf(const dc::GetBenchmarkResponse& r, const std::string& id) {
    for (const dc::BenchmarkRow& row : r.benchmark().rows()) {
      if (row.indicator().indicator_id() == id) return &row;
    }
    return nullptr;
  }

  // Checks every row's England figure against the aggregate of `regions`' totals.
  void ExpectEnglandOf(const dc::GetBenchmarkResponse& national,
                       const std::vector<std::string>& regions, const std::string& period) {
    std::map<std::string, std::vector<dc::Observation>> all;
    for (const std::string& region : regions) {
      for (auto& [indicator, totals] : Totals(region, period)) {
        all[indicator].insert(all[indicator].end(), totals.begin(), totals.end());
      }
    }
    int checked = 0;
    for (const dc::BenchmarkRow& row : national.benchmark().rows()) {
      const dc::Indicator& indicator = row.indicator();
      const Expected e = EnglandOf(all[indicator.indicator_id()], indicator.unit(),
                                   indicator.decimal_places());
      const dc::EnglandFigure& england = row.england();
      SCOPED_TRACE(indicator.indicator_id());
      ASSERT_EQ(england.state() == dc::VALUE_STATE_PRESENT, e.present);
      if (!e.present) continue;
      EXPECT_EQ(england.las_included(), e.las);
      EXPECT_EQ(england.method(), e.pooled ? dc::ENGLAND_FIGURE_METHOD_POOLED
                                           : dc::ENGLAND_FIGURE_METHOD_MEAN_OF_LAS);
      EXPECT_EQ(england.value().scale(), indicator.decimal_places());
      EXPECT_EQ(england.value().unscaled(), e.unscaled);
      EXPECT_TRUE(england.has_as_of_time());
      std::set<std::string> included;
      for (const auto& r : england.regions_included()) included.insert(r.value());
      EXPECT_EQ(included, std::set<std::string>(regions.begin(), regions.end()));
      ++checked;
    }
    EXPECT_GT(checked, 10);
  }

  // QueryValues at NATIONAL scope as EE's admin, every page (england and federation from the
  // first).
  absl::StatusOr<dc::QueryValuesResponse> QueryNational(const std::string& period,
                                                        cpb::FederationMode mode,
                                                        const std::vector<std::string>& las = {}) {
    dc::QueryValuesResponse all;
    dc::QueryValuesRequest request;
    request.set_scope(cpb::REGION_SCOPE_NATIONAL);
    request.set_federation_mode(mode);
    request.add_period_ids(period);
    for (const std::string& la : las) request.add_la_codes()->set_value(la);
    request.mutable_page()->set_page_size(1000);
    std::string token;
    bool first = true;
    do {
      request.mutable_page()->set_page_token(token);
      dc::QueryValuesResponse response;
      grpc::ClientContext context;
      PrepareContext(&context, admin_->token("EE"), kDataCollectionCallDeadline);
      const grpc::Status status = admin_->Stub("EE")->QueryValues(&context, request, &response);
      if (!status.ok()) return FromGrpcStatus(status);
      if (first) {
        *all.mutable_federation() = response.federation();
        *all.mutable_england() = response.england();
        first = false;
      }
      for (dc::ValueRecord& r : *response.mutable_values()) *all.add_values() = std::move(r);
      token = response.page().next_page_token();
    } while (!token.empty());
    return all;
  }

  // NATIONAL QueryValues at EE: SE's and LDN's published totals beside EE's figures, and each
  // indicator's England figure equal to the rug's and to the aggregate formed here.
  void ExpectNationalValues(const dc::GetBenchmarkResponse& rug, const std::string& period) {
    auto national = QueryNational(period, cpb::FEDERATION_MODE_PARTIAL);
    ASSERT_TRUE(national.ok()) << national.status();
    EXPECT_EQ(national->federation().scope(), cpb::REGION_SCOPE_NATIONAL);
    EXPECT_EQ(national->federation().regions_size(), 9);
    std::map<std::string, int> per_region;
    for (const dc::ValueRecord& r : national->values()) ++per_region[r.region().value()];
    for (const std::string& region : kRegions) {
      int expected = 0;
      for (const auto& [indicator, totals] : Totals(region, period)) {
        expected += static_cast<int>(totals.size());
      }
      EXPECT_GT(expected, 0) << region;
      if (region == "EE") {
        EXPECT_GE(per_region[region], expected);  // EE's own figures of every collection
      } else {
        EXPECT_EQ(per_region[region], expected) << region;
      }
    }
    std::map<std::string, std::vector<dc::Observation>> all;
    for (const std::string& region : kRegions) {
      for (auto& [indicator, totals] : Totals(region, period)) {
        all[indicator].insert(all[indicator].end(), totals.begin(), totals.end());
      }
    }
    int checked = 0;
    for (const dc::EnglandValue& e : national->england()) {
      SCOPED_TRACE(e.indicator_id());
      EXPECT_EQ(e.period_id(), period);
      const dc::BenchmarkRow* row = RowOf(rug, e.indicator_id());
      if (row == nullptr) continue;
      const dc::Indicator& indicator = row->indicator();
      const Expected expected = EnglandOf(all[e.indicator_id()], indicator.unit(),
                                          indicator.decimal_places());
      ASSERT_EQ(e.england().state() == dc::VALUE_STATE_PRESENT, expected.present);
      EXPECT_EQ(e.england().state(), row->england().state());
      if (!expected.present) continue;
      EXPECT_EQ(e.england().value().unscaled(), expected.unscaled);
      EXPECT_EQ(e.england().value().scale(), indicator.decimal_places());
      EXPECT_EQ(e.england().las_included(), expected.las);
      EXPECT_EQ(e.england().method(), row->england().method());
      EXPECT_EQ(e.england().value().unscaled(), row->england().value().unscaled());
      EXPECT_EQ(e.england().regions_included_size(), 3);
      EXPECT_FALSE(e.england().complete());  // six regions have no hub here
      ++checked;
    }
    EXPECT_GT(checked, 10);
    // Another region's LA may be named under NATIONAL scope: its published totals only.
    auto one = QueryNational(period, cpb::FEDERATION_MODE_PARTIAL, {"826"});
    ASSERT_TRUE(one.ok()) << one.status();
    ASSERT_GT(one->values_size(), 0);
    bool rereferrals = false;
    for (const dc::ValueRecord& r : one->values()) {
      EXPECT_EQ(r.la_code().value(), "826");
      EXPECT_EQ(r.region().value(), "SE");
      EXPECT_EQ(r.value().breakdowns_size(), 0);
      if (r.value().indicator_id() == "CSC-REREFERRAL-12M") {
        rereferrals = true;
        EXPECT_EQ(r.value().total().value().unscaled(), 244);  // 61 / 250 as submitted
      }
    }
    EXPECT_TRUE(rereferrals);
    auto strict = QueryNational(period, cpb::FEDERATION_MODE_STRICT);
    ASSERT_EQ(strict.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_TRUE(absl::StrContains(strict.status().message(), "NW")) << strict.status();
  }

  std::unique_ptr<HubCluster> cluster_;
  std::unique_ptr<DataCollectionAdmin> admin_;
};

TEST_F(DataCollectionFederationTest, EnglandFigureIsTheAggregateOfEveryRegionsPublishedFigures) {
  const std::string period = admin_->LatePeriod("EE");
  ASSERT_FALSE(period.empty());
  for (const std::string& region : kRegions) {
    ASSERT_EQ(admin_->LatePeriod(region), period) << region;
  }

  // Another region's hub may look up published aggregates, and nothing else.
  // SE's hub presents its certificate (and no token).
  auto se_at_ee = dc::DataCollectionService::NewStub(
      cluster_->hub("EE").NewMachineChannel("SE", "datacollection"));
  {
    dc::GetPublishedAggregatesRequest request;
    request.set_period_id(period);
    dc::GetPublishedAggregatesResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, "", kDataCollectionCallDeadline);
    const grpc::Status status = se_at_ee->GetPublishedAggregates(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(response.published());  // not yet published: nothing crosses
    EXPECT_EQ(response.indicators_size(), 0);
    EXPECT_EQ(response.la_figures_size(), 0);
    dc::QueryValuesRequest values;
    values.add_period_ids(period);
    dc::QueryValuesResponse figures;
    grpc::ClientContext values_context;
    PrepareContext(&values_context, "", kDataCollectionCallDeadline);
    EXPECT_EQ(se_at_ee->QueryValues(&values_context, values, &figures).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }

  // The hubs started one after another: EE's channels to SE and LDN may be in gRPC's reconnect
  // backoff from before those were up. Wait until both answer (their unpublished answers are
  // cached, which the publications below must invalidate through the change feeds).
  // FRESH or CACHED: the two may first answer in different probes, and then (fresh for 1 s,
  // probed every 200 ms) never be re-asked in the same one.
  const absl::Time start = absl::Now();
  auto probe = admin_->AwaitPeers(period, cpb::FEDERATION_MODE_PARTIAL);
  ASSERT_TRUE(probe.ok()) << probe.status();
  ASSERT_TRUE(Current(*probe, "SE") && Current(*probe, "LDN")) << "EE never reached SE and LDN";
  std::cerr << "EE reached its peers " << (absl::Now() - start) << " after the first ask\n";

  // Each region's LAs submit (one LA per region resubmits its re-referrals) and its hub publishes.
  for (const auto& [region, r] : kReReferralReturns) {
    const absl::Status submitted =
        admin_->Submit(region, r.la, period, "fed-" + region, r.numerator, r.denominator);
    ASSERT_TRUE(submitted.ok()) << region << ": " << submitted;
    ASSERT_TRUE(admin_->Publish(region, period).ok()) << region;
  }

  auto national = admin_->NationalRug(period, cpb::FEDERATION_MODE_PARTIAL);
  ASSERT_TRUE(national.ok()) << national.status();
  ExpectEnglandOf(*national, kRegions, period);
  ExpectNationalValues(*national, period);
  // Every region of England is listed; the six without a hub in this cluster are UNAVAILABLE, so
  // the figure is not complete even though all three running regions answered.
  EXPECT_EQ(national->federation().scope(), cpb::REGION_SCOPE_NATIONAL);
  EXPECT_EQ(national->federation().regions_size(), 9);
  EXPECT_EQ(national->federation().regions(0).region().value(), "EE");
  for (const std::string region : {"SE", "LDN"}) {
    const cpb::RegionAnswer* a = AnswerOf(*national, region);
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(a->state() == cpb::REGION_ANSWER_STATE_FRESH ||
                a->state() == cpb::REGION_ANSWER_STATE_CACHED)
        << region << " " << a->state();
  }
  EXPECT_EQ(AnswerOf(*national, "NW")->state(), cpb::REGION_ANSWER_STATE_UNAVAILABLE);
  const dc::BenchmarkRow* rereferrals = RowOf(*national, "CSC-REREFERRAL-12M");
  ASSERT_NE(rereferrals, nullptr);
  EXPECT_FALSE(rereferrals->england().complete());

  // Strict: the regions without a hub are named; the three running ones are not.
  auto strict = admin_->NationalRug(period, cpb::FEDERATION_MODE_STRICT);
  ASSERT_EQ(strict.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict.status().message(), "NW")) << strict.status();
  for (const std::string& region : kRegions) {
    EXPECT_FALSE(absl::StrContains(strict.status().message(), region + " UNAVAILABLE") ||
                 absl::StrContains(strict.status().message(), region + " STALE") ||
                 absl::StrContains(strict.status().message(), region + " TIMED_OUT"))
        << strict.status();
  }
  EXPECT_EQ(GetErrorReason(strict.status()), "REGION_UNAVAILABLE");

  // A resubmission at SE after publication reaches EE's England figure (change feed invalidates
  // EE's cached copy of SE's aggregates) within the freshness bound.
  ASSERT_TRUE(admin_->Submit("SE", "826", period, "fed-SE-again", 99, 250).ok());
  const absl::Time changed = absl::Now();
  bool seen = false;
  while (!seen && absl::Now() - changed < absl::Seconds(5)) {
    auto again = admin_->NationalRug(period, cpb::FEDERATION_MODE_PARTIAL);
    ASSERT_TRUE(again.ok()) << again.status();
    const dc::BenchmarkRow* row = RowOf(*again, "CSC-REREFERRAL-12M");
    seen = row != nullptr && row->england().value().unscaled() !=
                                 rereferrals->england().value().unscaled();
    if (seen) ExpectEnglandOf(*again, kRegions, period);
    if (!seen) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(seen) << "SE's resubmission never reached EE's England figure";
  std::cerr << "SE resubmission seen in EE's England figure after " << (absl::Now() - changed)
            << "\n";

  // The rug export shows the England figure and its as-of time.
  TempDir dir;
  const CliResult csv =
      RunCli(dir.path(), {"data", "rug", "--period=" + period, "--scope=national",
                          "--endpoint=" + cluster_->hub("EE").endpoint(),
                          "--token=" + admin_->token("EE"), "--indicator=CSC-REREFERRAL-12M"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::vector<std::string> lines = absl::StrSplit(csv.out, "\r\n", absl::SkipEmpty());
  ASSERT_GE(lines.size(), 2u);
  const std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  const std::vector<std::string> first = absl::StrSplit(lines[1], ',');
  std::map<std::string, std::string> cells;
  for (size_t i = 0; i < header.size() && i < first.size(); ++i) cells[header[i]] = first[i];
  EXPECT_FALSE(cells["england_value"].empty()) << csv.out;
  EXPECT_EQ(cells["england_method"],
            rereferrals->england().method() == dc::ENGLAND_FIGURE_METHOD_POOLED ? "pooled"
                                                                                 : "mean_of_las");
  EXPECT_EQ(cells["england_complete"], "false");
  EXPECT_FALSE(cells["england_as_of_time"].empty());
  // Each region's state on stderr (stdout is the CSV): SE's row answered.
  std::string se_row;
  for (absl::string_view line : absl::StrSplit(csv.err, '\n')) {
    if (absl::StartsWith(line, "SE ")) se_row = std::string(line);
  }
  EXPECT_TRUE(absl::StrContains(se_row, "FRESH") || absl::StrContains(se_row, "CACHED"))
      << csv.err;
  // The HTML rug: each region's state above the grid, the England figure and its as-of time beside
  // the row.
  const std::string html_path = dir.Join("rug.html");
  const CliResult html =
      RunCli(dir.path(), {"data", "rug", "--period=" + period, "--scope=national",
                          "--endpoint=" + cluster_->hub("EE").endpoint(),
                          "--token=" + admin_->token("EE"), "--html=" + html_path,
                          "--indicator=CSC-REREFERRAL-12M"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  std::string page;
  {
    std::ifstream in(html_path);
    page.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  EXPECT_TRUE(absl::StrContains(page, "<tr data-region=\"EE\" data-state=\"FRESH\">")) << page;
  EXPECT_TRUE(absl::StrContains(page, "<tr data-region=\"SE\" data-state=\"FRESH\">") ||
              absl::StrContains(page, "<tr data-region=\"SE\" data-state=\"CACHED\">"))
      << page;
  EXPECT_TRUE(absl::StrContains(page, "<tr data-region=\"NW\" data-state=\"UNAVAILABLE\">"));
  EXPECT_TRUE(absl::StrContains(page, "data-indicator=\"CSC-REREFERRAL-12M\" data-as-of=\"20"))
      << page;
  EXPECT_TRUE(absl::StrContains(page, "LAs, incomplete) as of 20")) << page;

  // SE killed: its cached part is used, marked STALE and the figure incomplete; strict names SE.
  auto before_kill = admin_->NationalRug(period, cpb::FEDERATION_MODE_PARTIAL);
  ASSERT_TRUE(before_kill.ok()) << before_kill.status();
  const dc::BenchmarkRow* full = RowOf(*before_kill, "CSC-REREFERRAL-12M");
  ASSERT_NE(full, nullptr);
  ASSERT_TRUE(cluster_->hub("SE").process().Kill().ok());
  auto stale = admin_->NationalRug(period, cpb::FEDERATION_MODE_PARTIAL);
  ASSERT_TRUE(stale.ok()) << stale.status();
  ASSERT_NE(AnswerOf(*stale, "SE"), nullptr);
  EXPECT_EQ(AnswerOf(*stale, "SE")->state(), cpb::REGION_ANSWER_STATE_STALE);
  EXPECT_FALSE(AnswerOf(*stale, "SE")->reason().empty());
  EXPECT_TRUE(stale->federation().partial());
  const dc::BenchmarkRow* stale_row = RowOf(*stale, "CSC-REREFERRAL-12M");
  ASSERT_NE(stale_row, nullptr);
  EXPECT_FALSE(stale_row->england().complete());
  EXPECT_EQ(stale_row->england().value().unscaled(), full->england().value().unscaled());
  EXPECT_EQ(stale_row->england().regions_included_size(), 3);
  auto strict_stale = admin_->NationalRug(period, cpb::FEDERATION_MODE_STRICT);
  EXPECT_EQ(strict_stale.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict_stale.status().message(), "SE STALE"))
      << strict_stale.status();

  // Past --federation-stale-max-ms SE's part is dropped: the figure is EE's and LDN's, named so.
  absl::SleepFor(absl::Milliseconds(3200));
  const absl::Time asked = absl::Now();
  auto missing = admin_->NationalRug(period, cpb::FEDERATION_MODE_PARTIAL);
  const absl::Duration took = absl::Now() - asked;
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_LT(took, absl::Milliseconds(1500 + 1000)) << "one federation deadline, not more";
  ASSERT_NE(AnswerOf(*missing, "SE"), nullptr);
  EXPECT_TRUE(AnswerOf(*missing, "SE")->state() == cpb::REGION_ANSWER_STATE_UNAVAILABLE ||
              AnswerOf(*missing, "SE")->state() == cpb::REGION_ANSWER_STATE_TIMED_OUT)
      << AnswerOf(*missing, "SE")->state();
  ExpectEnglandOf(*missing, {"EE", "LDN"}, period);
  EXPECT_FALSE(RowOf(*missing, "CSC-REREFERRAL-12M")->england().complete());
  auto strict_missing = admin_->NationalRug(period, cpb::FEDERATION_MODE_STRICT);
  EXPECT_EQ(strict_missing.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(strict_missing.status().message(), "SE UNAVAILABLE") ||
              absl::StrContains(strict_missing.status().message(), "SE TIMED_OUT"))
      << strict_missing.status();
}

}  // namespace
}  // namespace slihub::testing
