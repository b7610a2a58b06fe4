// The data collection service through its real binary: returns accepted, rejected and resubmitted,
// idempotent retries, submission status and the tartan rug over the demo data.
#include <set>

#include "absl/strings/str_cat.h"

#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/datacollection/demo_server_test.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;
using ::testing::HasSubstr;

class DataCollectionTest : public DemoServerTest {
 protected:
  static void SetUpTestSuite() {
    DemoServerTest::SetUpTestSuite();
    admin_ = new std::string(Token("ee-admin", {Role::kRegionalAdmin}));
    officer_873_ = new std::string(Token("873-data", {Role::kDataOfficer}, "873"));
    officer_926_ = new std::string(Token("926-data", {Role::kDataOfficer}, "926"));
    service_ = new std::string(Token("svc-workforce", {Role::kService}));
    reader_ = new std::string(Token("ee-reader", {Role::kReader}));
    // The rug and figure tests read the latest past quarter as a council reader would: once the
    // regional admin has published it (before that, a council sees only its own figures).
    auto stub = dc::DataCollectionService::NewStub(server_->NewChannel());
    dc::ListCollectionPeriodsRequest late;
    late.set_collection_id("EE-core");
    late.set_state(dc::PERIOD_STATE_LATE);
    dc::ListCollectionPeriodsResponse periods;
    grpc::ClientContext list_context;
    PrepareContext(&list_context, *admin_);
    ASSERT_TRUE(stub->ListCollectionPeriods(&list_context, late, &periods).ok());
    ASSERT_GT(periods.periods_size(), 0);
    dc::PublishPeriodRequest publish;
    publish.set_request_id("publish-late");
    publish.set_period_id(periods.periods(0).period_id());
    dc::PublishPeriodResponse published;
    grpc::ClientContext publish_context;
    PrepareContext(&publish_context, *admin_);
    const grpc::Status status = stub->PublishPeriod(&publish_context, publish, &published);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  static void TearDownTestSuite() {
    DemoServerTest::TearDownTestSuite();
    for (std::string* t : {admin_, officer_873_, officer_926_, service_, reader_}) delete t;
  }

  std::string PeriodIn(dc::PeriodState state) { return DemoServerTest::PeriodIn(state, *reader_); }

  absl::Status Submit(const std::string& token, const dc::SubmitReturnRequest& request,
                      dc::SubmitReturnResponse* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(stub_->SubmitReturn(&context, request, response));
  }

  static dc::DecimalValue D(int64_t unscaled, int scale) {
    dc::DecimalValue d;
    d.set_unscaled(unscaled);
    d.set_scale(scale);
    return d;
  }

  static void Present(dc::Observation* o, int64_t unscaled, int scale) {
    o->set_state(dc::VALUE_STATE_PRESENT);
    *o->mutable_value() = D(unscaled, scale);
  }

  // A valid request: re-referrals 21.5% (43 of 200) and children looked after 100 by ethnicity.
  static dc::SubmitReturnRequest ValidRequest(const std::string& request_id, const std::string& la,
                                              const std::string& period) {
    dc::SubmitReturnRequest request;
    request.set_request_id(request_id);
    request.mutable_la_code()->set_value(la);
    request.set_collection_id("EE-core");
    request.set_period_id(period);
    dc::IndicatorValue* rereferrals = request.add_values();
    rereferrals->set_indicator_id("CSC-REREFERRAL-12M");
    Present(rereferrals->mutable_total(), 215, 1);
    *rereferrals->mutable_total()->mutable_numerator() = D(43, 0);
    *rereferrals->mutable_total()->mutable_denominator() = D(200, 0);
    dc::IndicatorValue* cla = request.add_values();
    cla->set_indicator_id("CLA-COUNT");
    Present(cla->mutable_total(), 100, 0);
    const std::pair<const char*, int64_t> parts[] = {{"WHITE", 70}, {"MIXED", 8}, {"ASIAN", 9},
                                                     {"BLACK", 7}, {"OTHER", 2}, {"NOT_KNOWN", 4}};
    for (const auto& [code, count] : parts) {
      dc::BreakdownValue* b = cla->add_breakdowns();
      b->set_dimension(dc::BREAKDOWN_DIMENSION_ETHNICITY_GROUP);
      b->set_category(code);
      Present(b->mutable_observation(), count, 0);
    }
    return request;
  }

  static std::string* admin_;
  static std::string* officer_873_;
  static std::string* officer_926_;
  static std::string* service_;
  static std::string* reader_;
};

std::string* DataCollectionTest::admin_ = nullptr;
std::string* DataCollectionTest::officer_873_ = nullptr;
std::string* DataCollectionTest::officer_926_ = nullptr;
std::string* DataCollectionTest::service_ = nullptr;
std::string* DataCollectionTest::reader_ = nullptr;

TEST_F(DataCollectionTest, CatalogueAndDemoPeriodsAreServed) {
  dc::ListIndicatorsRequest request;
  request.mutable_page()->set_page_size(10);
  std::set<std::string> ids;
  std::string token;
  do {
    request.mutable_page()->set_page_token(token);
    dc::ListIndicatorsResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, *reader_);
    grpc::Status status = stub_->ListIndicators(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.page().total_size(), 22);
    for (const auto& i : response.indicators()) ids.insert(i.indicator_id());
    token = response.page().next_page_token();
  } while (!token.empty());
  EXPECT_EQ(ids.size(), 22u);

  dc::GetIndicatorRequest get;
  get.set_indicator_id("CLA-COUNT");
  dc::GetIndicatorResponse indicator;
  grpc::ClientContext context;
  PrepareContext(&context, *reader_);
  ASSERT_TRUE(stub_->GetIndicator(&context, get, &indicator).ok());
  EXPECT_EQ(indicator.indicator().unit(), dc::INDICATOR_UNIT_COUNT);
  ASSERT_EQ(indicator.indicator().breakdowns_size(), 1);
  EXPECT_EQ(indicator.indicator().breakdowns(0).categories_size(), 6);

  dc::ListCollectionPeriodsRequest periods_request;
  periods_request.set_collection_id("EE-core");
  dc::ListCollectionPeriodsResponse periods;
  grpc::ClientContext periods_context;
  PrepareContext(&periods_context, *reader_);
  ASSERT_TRUE(stub_->ListCollectionPeriods(&periods_context, periods_request, &periods).ok());
  ASSERT_EQ(periods.periods_size(), 5);
  EXPECT_EQ(periods.periods(0).state(), dc::PERIOD_STATE_OPEN);
  EXPECT_EQ(periods.periods(1).state(), dc::PERIOD_STATE_LATE);
  EXPECT_EQ(periods.periods(0).previous_period_id(), periods.periods(1).period_id());
  EXPECT_EQ(periods.periods(0).indicator_ids_size(), 22);
}

TEST_F(DataCollectionTest, ValidReturnIsAcceptedOnTimeAndRetriesAreIdempotent) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  ASSERT_FALSE(period.empty());
  const dc::SubmitReturnRequest request = ValidRequest("873-first", "873", period);
  dc::SubmitReturnResponse response;
  absl::Status status = Submit(*officer_873_, request, &response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.la_return().version(), 1);
  EXPECT_EQ(response.la_return().timeliness(), dc::TIMELINESS_ON_TIME);
  EXPECT_EQ(response.la_return().value_count(), 2);
  EXPECT_FALSE(response.replayed());
  // 873's demo figure for children looked after last quarter is 367: 100 is a large change.
  bool cla_warned = false;
  for (const dc::ValidationWarning& warning : response.warnings()) {
    EXPECT_EQ(warning.code(), "LARGE_CHANGE");
    EXPECT_THAT(warning.message(), HasSubstr("moved from"));
    cla_warned |= warning.indicator_id() == "CLA-COUNT";
  }
  EXPECT_TRUE(cla_warned);

  dc::SubmitReturnResponse retry;
  ASSERT_TRUE(Submit(*officer_873_, request, &retry).ok());
  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(retry.la_return().version(), 1);

  dc::SubmitReturnRequest different = request;
  different.set_comment("changed");
  dc::SubmitReturnResponse conflict;
  const absl::Status reused = Submit(*officer_873_, different, &conflict);
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetErrorReason(reused), "IDEMPOTENCY_KEY_REUSED");

  dc::GetReturnResponse stored;
  ASSERT_TRUE(GetReturn(*officer_873_, "873", period, 0, &stored).ok());
  EXPECT_EQ(stored.la_return().version(), 1);
  ASSERT_EQ(stored.la_return().values_size(), 2);
  // The period's indicator order: CSC-REREFERRAL-12M comes before CLA-COUNT in the catalogue order.
  EXPECT_EQ(stored.la_return().values(0).indicator_id(), "CSC-REREFERRAL-12M");
  EXPECT_EQ(stored.la_return().values(0).total().value().unscaled(), 215);
  EXPECT_EQ(stored.la_return().values(1).breakdowns_size(), 6);
}

TEST_F(DataCollectionTest, RejectedReturnNamesIndicatorAndBreakdownAndStoresNothing) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  dc::SubmitReturnRequest request = ValidRequest("926-bad", "926", period);
  *request.mutable_values(0)->mutable_total()->mutable_value() = D(2155, 2);  // 21.55: two places
  request.mutable_values(0)->mutable_total()->clear_numerator();
  request.mutable_values(0)->mutable_total()->clear_denominator();
  *request.mutable_values(1)->mutable_breakdowns(3)->mutable_observation()->mutable_value() = D(17, 0);
  dc::SubmitReturnResponse response;
  absl::Status status = Submit(*officer_926_, request, &response);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::vector<FieldViolation> violations = GetFieldViolations(status);
  ASSERT_EQ(violations.size(), 2u) << status;
  EXPECT_EQ(violations[0].field, "values[0].total.value");
  EXPECT_THAT(violations[0].description, HasSubstr("CSC-REREFERRAL-12M"));
  EXPECT_THAT(violations[0].description, HasSubstr("never rounded"));
  EXPECT_EQ(violations[1].field, "values[1].breakdowns");
  EXPECT_THAT(violations[1].description, HasSubstr("CLA-COUNT ethnicity_group"));
  EXPECT_THAT(violations[1].description, HasSubstr("sum to 110"));

  dc::GetReturnResponse stored;
  EXPECT_EQ(GetReturn(*officer_926_, "926", period, 0, &stored).code(), absl::StatusCode::kNotFound);
  // The same request_id can be used once the request is fixed: the rejection recorded nothing.
  dc::SubmitReturnResponse accepted;
  ASSERT_TRUE(Submit(*officer_926_, ValidRequest("926-bad", "926", period), &accepted).ok());
  EXPECT_EQ(accepted.la_return().version(), 1);
}

TEST_F(DataCollectionTest, ResubmissionCreatesANewVersionAndKeepsHistory) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  dc::SubmitReturnResponse first;
  ASSERT_TRUE(Submit(*admin_, ValidRequest("935-v1", "935", period), &first).ok());
  dc::SubmitReturnRequest revision;
  revision.set_request_id("935-v2");
  revision.mutable_la_code()->set_value("935");
  revision.set_collection_id("EE-core");
  revision.set_period_id(period);
  revision.set_expected_version(1);
  revision.set_comment("Re-referrals corrected after audit");
  dc::IndicatorValue* value = revision.add_values();
  value->set_indicator_id("CSC-REREFERRAL-12M");
  value->mutable_total()->set_state(dc::VALUE_STATE_SUPPRESSED);
  value->mutable_total()->set_note("Small numbers after correction");
  dc::SubmitReturnResponse second;
  absl::Status status = Submit(*admin_, revision, &second);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(second.la_return().version(), 2);
  EXPECT_EQ(second.la_return().value_count(), 2);  // MERGE carried CLA-COUNT over

  revision.set_request_id("935-v3-stale");
  dc::SubmitReturnResponse stale;
  EXPECT_EQ(Submit(*admin_, revision, &stale).code(), absl::StatusCode::kAborted);

  dc::GetReturnResponse latest, original;
  ASSERT_TRUE(GetReturn(*admin_, "935", period, 0, &latest).ok());
  EXPECT_TRUE(latest.la_return().latest());
  EXPECT_EQ(latest.la_return().values(0).total().state(), dc::VALUE_STATE_SUPPRESSED);
  ASSERT_TRUE(GetReturn(*admin_, "935", period, 1, &original).ok());
  EXPECT_FALSE(original.la_return().latest());
  EXPECT_EQ(original.la_return().values(0).total().value().unscaled(), 215);

  dc::ListReturnVersionsRequest history_request;
  history_request.mutable_la_code()->set_value("935");
  history_request.set_collection_id("EE-core");
  history_request.set_period_id(period);
  dc::ListReturnVersionsResponse history;
  grpc::ClientContext context;
  PrepareContext(&context, *admin_);
  ASSERT_TRUE(stub_->ListReturnVersions(&context, history_request, &history).ok());
  ASSERT_EQ(history.versions_size(), 2);
  EXPECT_EQ(history.versions(0).version(), 2);
  EXPECT_EQ(history.versions(1).version(), 1);
}

TEST_F(DataCollectionTest, LaAndDerivedIndicatorRulesAreEnforced) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  dc::SubmitReturnResponse response;
  EXPECT_EQ(Submit(*officer_873_, ValidRequest("873-for-926", "926", period), &response).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Submit(*reader_, ValidRequest("reader", "873", period), &response).code(),
            absl::StatusCode::kPermissionDenied);

  dc::SubmitReturnRequest agency;
  agency.set_request_id("agency-1");
  agency.mutable_la_code()->set_value("881");
  agency.set_collection_id("EE-core");
  agency.set_period_id(period);
  dc::IndicatorValue* value = agency.add_values();
  value->set_indicator_id("WF-AGENCY-RATE");
  Present(value->mutable_total(), 182, 1);
  const std::string officer_881 = server_->IssueToken("881-data", {Role::kDataOfficer}, "881");
  EXPECT_EQ(Submit(officer_881, agency, &response).code(), absl::StatusCode::kPermissionDenied);
  absl::Status by_service = Submit(*service_, agency, &response);
  ASSERT_TRUE(by_service.ok()) << by_service;
  EXPECT_EQ(response.la_return().source(), dc::SUBMISSION_SOURCE_SERVICE);

  agency.set_request_id("agency-outside");
  agency.mutable_la_code()->set_value("845");  // East Sussex: South East, not this hub's region
  EXPECT_EQ(Submit(*service_, agency, &response).code(), absl::StatusCode::kPermissionDenied);

  const std::string past = PeriodIn(dc::PERIOD_STATE_CLOSED);
  ASSERT_FALSE(past.empty());
  agency.set_request_id("agency-closed");
  agency.mutable_la_code()->set_value("881");
  agency.set_period_id(past);
  EXPECT_EQ(Submit(*service_, agency, &response).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DataCollectionTest, SubmissionStatusShowsLateAndMissingLas) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  ASSERT_FALSE(period.empty());
  dc::GetSubmissionStatusRequest request;
  request.set_period_id(period);
  dc::GetSubmissionStatusResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, *reader_);
  grpc::Status status = stub_->GetSubmissionStatus(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.las_size(), 11);
  EXPECT_EQ(response.region().las_expected(), 11);
  EXPECT_EQ(response.region().las_on_time(), 9);
  EXPECT_EQ(response.region().las_late(), 1);
  EXPECT_EQ(response.region().las_missing(), 1);
  EXPECT_EQ(response.region().la_on_time_share().unscaled(), 818);  // 9 of 11 = 81.8%
  EXPECT_EQ(response.region().la_on_time_share().scale(), 1);
  EXPECT_EQ(response.las(0).state(), dc::SUBMISSION_STATE_LATE);
  EXPECT_EQ(response.las(0).indicators_late(), 22);
  EXPECT_EQ(response.las(10).state(), dc::SUBMISSION_STATE_MISSING);
  EXPECT_EQ(response.las(10).indicators_missing(), 22);
  EXPECT_EQ(response.las(1).on_time_share().unscaled(), 1000);

  dc::GetSubmissionStatusRequest who_is_late = request;
  who_is_late.add_states(dc::SUBMISSION_STATE_LATE);
  who_is_late.add_states(dc::SUBMISSION_STATE_MISSING);
  dc::GetSubmissionStatusResponse late;
  grpc::ClientContext late_context;
  PrepareContext(&late_context, *reader_);
  ASSERT_TRUE(stub_->GetSubmissionStatus(&late_context, who_is_late, &late).ok());
  EXPECT_EQ(late.las_size(), 2);
  EXPECT_EQ(late.region().las_expected(), 11);
}

TEST_F(DataCollectionTest, BenchmarkForTheDemoRegionRanksPresentValuesOnly) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  dc::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(period);
  dc::GetBenchmarkResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, *reader_);
  grpc::Status status = stub_->GetBenchmark(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const dc::Benchmark& rug = response.benchmark();
  EXPECT_EQ(response.federation().scope(), slihub::common::v1::REGION_SCOPE_OWN_REGION);
  EXPECT_TRUE(rug.has_as_of_time());
  EXPECT_TRUE(rug.has_compute_time());
  EXPECT_GE(rug.as_of_time().seconds(), rug.compute_time().seconds());
  EXPECT_EQ(rug.region().value(), "EE");
  EXPECT_EQ(rug.collection_id(), "EE-core");
  EXPECT_FALSE(rug.previous_period_id().empty());
  ASSERT_EQ(rug.la_codes_size(), 11);
  ASSERT_EQ(rug.rows_size(), 22);
  const std::string missing_la = rug.la_codes(10).value();
  for (const dc::BenchmarkRow& row : rug.rows()) {
    ASSERT_EQ(row.cells_size(), 11);
    EXPECT_EQ(row.regional().las_not_submitted(), 1);
    EXPECT_LE(row.regional().las_present(), 10);
    int best = 0;
    for (const dc::BenchmarkCell& cell : row.cells()) {
      if (cell.la_code().value() == missing_la) {
        EXPECT_EQ(cell.state(), dc::VALUE_STATE_NOT_SUBMITTED);
        EXPECT_EQ(cell.rank(), 0);
        EXPECT_EQ(cell.quartile(), dc::QUARTILE_BAND_NOT_RANKED);
        EXPECT_FALSE(cell.has_value());
        continue;
      }
      if (cell.state() != dc::VALUE_STATE_PRESENT) continue;
      EXPECT_EQ(cell.ranked_count(), row.regional().las_present());
      EXPECT_GE(cell.rank(), 1);
      best += cell.rank() == 1;
      EXPECT_EQ(cell.change().previous_period_id(), rug.previous_period_id());
      EXPECT_EQ(cell.value().scale(), row.indicator().decimal_places());
      if (row.indicator().polarity() == dc::POLARITY_NEITHER) {
        EXPECT_FALSE(cell.top_20_percent());
      }
    }
    if (row.regional().las_present() > 0) {
      EXPECT_GE(best, 1) << row.indicator().indicator_id();
      EXPECT_TRUE(row.regional().has_mean());
      EXPECT_TRUE(row.regional().has_median());
    }
  }

  dc::GetBenchmarkRequest other_region = request;
  other_region.mutable_query()->mutable_region()->set_value("SE");
  grpc::ClientContext other_context;
  PrepareContext(&other_context, *reader_);
  absl::Status refused = FromGrpcStatus(stub_->GetBenchmark(&other_context, other_region, &response));
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(GetFieldViolations(refused).size(), 1u);
  EXPECT_EQ(GetFieldViolations(refused)[0].field, "query.region.value");
}

// The value of `la`'s cell for `indicator` in the rug of `period`, as "unscaled/scale", or the state.
std::string RugCell(dc::DataCollectionService::Stub& stub, const std::string& token, const std::string& period,
                    const std::string& la, const std::string& indicator, dc::Benchmark* rug = nullptr) {
  dc::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(period);
  request.mutable_query()->add_indicator_ids(indicator);
  dc::GetBenchmarkResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, token);
  grpc::Status status = stub.GetBenchmark(&context, request, &response);
  if (!status.ok()) return status.error_message();
  if (rug != nullptr) *rug = response.benchmark();
  for (const dc::BenchmarkCell& cell : response.benchmark().rows(0).cells()) {
    if (cell.la_code().value() != la) continue;
    if (cell.state() != dc::VALUE_STATE_PRESENT) return dc::ValueState_Name(cell.state());
    return absl::StrCat(cell.value().unscaled(), "/", cell.value().scale());
  }
  return "no cell";
}

TEST_F(DataCollectionTest, RugReflectsAnAcceptedSubmissionAtOnce) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  dc::Benchmark before;
  const std::string old_value = RugCell(*stub_, *reader_, period, "882", "CSC-REREFERRAL-12M", &before);
  dc::Benchmark again;
  EXPECT_EQ(RugCell(*stub_, *reader_, period, "882", "CSC-REREFERRAL-12M", &again), old_value);  // from the cache
  EXPECT_EQ(again.compute_time().SerializeAsString(), before.compute_time().SerializeAsString());
  EXPECT_GE(again.as_of_time().seconds(), before.as_of_time().seconds());
  dc::SubmitReturnRequest request = ValidRequest("rug-refresh-1", "882", period);
  request.mutable_values(0)->mutable_total()->mutable_value()->set_unscaled(old_value == "199/1" ? 198 : 199);
  request.mutable_values(0)->mutable_total()->clear_numerator();
  request.mutable_values(0)->mutable_total()->clear_denominator();
  dc::SubmitReturnResponse submitted;
  ASSERT_TRUE(Submit(*admin_, request, &submitted).ok());
  dc::Benchmark after;
  const std::string new_value = old_value == "199/1" ? "198/1" : "199/1";
  EXPECT_EQ(RugCell(*stub_, *reader_, period, "882", "CSC-REREFERRAL-12M", &after), new_value);
  EXPECT_GE(after.compute_time().seconds(), before.compute_time().seconds());
  EXPECT_EQ(after.rows(0).cells_size(), before.rows(0).cells_size());
}

TEST_F(DataCollectionTest, ExportedRugAsCsvAndSelfContainedHtmlCoversEveryLaAndIndicator) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  dc::ExportBenchmarkRequest request;
  request.mutable_query()->set_period_id(period);
  request.set_format(dc::BENCHMARK_FORMAT_HTML);
  dc::ExportBenchmarkResponse html;
  grpc::ClientContext context;
  PrepareContext(&context, *reader_);
  grpc::Status status = stub_->ExportBenchmark(&context, request, &html);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(html.content_type(), "text/html; charset=utf-8");
  EXPECT_EQ(html.file_name(), "rug-EE-" + period + ".html");
  const std::string& page = html.content();
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("href="), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
  for (const char* la : {"821", "822", "823", "873", "874", "881", "882", "883", "919", "926", "935"}) {
    EXPECT_THAT(page, HasSubstr(std::string("class=\"la\" data-la=\"") + la + "\"")) << la;
  }
  size_t cells = 0;
  for (size_t at = page.find("class=\"cell\""); at != std::string::npos; at = page.find("class=\"cell\"", at + 1)) {
    ++cells;
  }
  EXPECT_EQ(cells, 11u * 22u);
  // Every LA x indicator of the period has its own cell, and every indicator its row label.
  dc::ListIndicatorsResponse catalogue;
  grpc::ClientContext list_context;
  PrepareContext(&list_context, *reader_);
  ASSERT_TRUE(stub_->ListIndicators(&list_context, dc::ListIndicatorsRequest(), &catalogue).ok());
  ASSERT_EQ(catalogue.indicators_size(), 22);
  for (const dc::Indicator& indicator : catalogue.indicators()) {
    const std::string& id = indicator.indicator_id();
    EXPECT_THAT(page, HasSubstr("class=\"indicator\" data-indicator=\"" + id + "\""));
    for (const char* la : {"821", "822", "823", "873", "874", "881", "882", "883", "919", "926", "935"}) {
      EXPECT_THAT(page, HasSubstr(absl::StrCat("class=\"cell\" data-la=\"", la, "\" data-indicator=\"", id, "\"")))
          << la << " " << id;
    }
  }
  EXPECT_THAT(page, HasSubstr(">n/s<"));  // the LA that has not submitted, never a zero

  request.set_format(dc::BENCHMARK_FORMAT_CSV);
  dc::ExportBenchmarkResponse csv;
  grpc::ClientContext csv_context;
  PrepareContext(&csv_context, *reader_);
  ASSERT_TRUE(stub_->ExportBenchmark(&csv_context, request, &csv).ok());
  EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
  size_t lines = 0;
  for (size_t at = csv.content().find("\r\n"); at != std::string::npos; at = csv.content().find("\r\n", at + 2)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u + 11u * 22u);
  EXPECT_THAT(csv.content(), HasSubstr(",935,not_submitted,,"));

  request.set_format(dc::BENCHMARK_FORMAT_UNSPECIFIED);
  grpc::ClientContext bad_context;
  PrepareContext(&bad_context, *reader_);
  absl::Status bad = FromGrpcStatus(stub_->ExportBenchmark(&bad_context, request, &csv));
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(DataCollectionTest, CsvImportIsAllOrNothingUnlessPartialAndRetriesAreIdempotent) {
  const std::string p = PeriodIn(dc::PERIOD_STATE_OPEN);
  const std::string csv = absl::StrCat(
      "la_code,period_id,indicator_id,breakdown_dimension,breakdown_category,state,value,numerator,denominator,note\r\n",
      "882,", p, ",CSC-ASSESS-45D,,,,85.5,,,\r\n",                             // 2 good
      "882,", p, ",CP-PLAN-RATE,,,missing,,,,\"Not recorded, system change\"\r\n",  // 3 good
      "882,", p, ",CSC-REREFERRAL-12M,,,,21.55,,,\r\n",                        // 4 too many places
      "999,", p, ",CSC-ASSESS-45D,,,,80,,,\r\n",                               // 5 unknown LA
      "883,", p, ",NOPE,,,,1,,,\r\n",                                          // 6 unknown indicator
      "883,", p, ",CLA-COUNT,,,,10,,,\r\n",                                    // 7-13: breakdown sums to 11
      "883,", p, ",CLA-COUNT,ethnicity_group,WHITE,,5,,,\r\n",
      "883,", p, ",CLA-COUNT,ethnicity_group,MIXED,,1,,,\r\n",
      "883,", p, ",CLA-COUNT,ethnicity_group,ASIAN,,1,,,\r\n",
      "883,", p, ",CLA-COUNT,ethnicity_group,BLACK,,2,,,\r\n",
      "883,", p, ",CLA-COUNT,ethnicity_group,OTHER,,1,,,\r\n",
      "883,", p, ",CLA-COUNT,ethnicity_group,NOT_KNOWN,,1,,,\r\n",
      "883,", p, ",CSC-ASSESS-45D,,,,abc,,,\r\n",                              // 14 not a number
      "883,", p, ",CL-EET,,,,55.0,,,\r\n");                                    // 15 good
  dc::ImportReturnsCsvRequest request;
  request.set_request_id("import-1");
  request.set_collection_id("EE-core");
  request.set_csv(csv);
  auto import = [&](const std::string& token, const dc::ImportReturnsCsvRequest& r,
                    dc::ImportReturnsCsvResponse* out) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(stub_->ImportReturnsCsv(&context, r, out));
  };
  // All or nothing by default, as SubmitReturn: every bad row is listed and nothing is stored.
  dc::ImportReturnsCsvRequest whole = request;
  whole.set_request_id("import-whole");
  dc::ImportReturnsCsvResponse refused;
  ASSERT_TRUE(import(*admin_, whole, &refused).ok());
  EXPECT_TRUE(refused.stored_nothing());
  EXPECT_EQ(refused.rows_read(), 14);
  EXPECT_EQ(refused.rows_accepted(), 0);
  EXPECT_EQ(refused.errors_size(), 11);
  EXPECT_EQ(refused.versions_size(), 0);
  dc::GetReturnResponse nothing;
  EXPECT_EQ(GetReturn(*admin_, "882", p, 0, &nothing).code(), absl::StatusCode::kNotFound);

  request.set_partial(true);
  dc::ImportReturnsCsvResponse response;
  absl::Status status = import(*admin_, request, &response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_FALSE(response.stored_nothing());
  EXPECT_EQ(response.rows_read(), 14);
  EXPECT_EQ(response.rows_accepted(), 3);
  EXPECT_EQ(response.rows_rejected(), 11);
  ASSERT_EQ(response.errors_size(), 11);
  EXPECT_EQ(response.errors(0).line(), 4);
  EXPECT_EQ(response.errors(0).column(), "value");
  EXPECT_EQ(response.errors(0).indicator_id(), "CSC-REREFERRAL-12M");
  EXPECT_EQ(response.errors(1).line(), 5);
  EXPECT_EQ(response.errors(1).column(), "la_code");
  EXPECT_EQ(response.errors(2).line(), 6);
  EXPECT_EQ(response.errors(2).column(), "indicator_id");
  for (int i = 3; i < 10; ++i) {
    EXPECT_EQ(response.errors(i).line(), i + 4);
    EXPECT_EQ(response.errors(i).indicator_id(), "CLA-COUNT");
    EXPECT_THAT(response.errors(i).message(), HasSubstr("sum to 11"));
  }
  EXPECT_EQ(response.errors(10).line(), 14);
  EXPECT_EQ(response.errors(10).column(), "value");
  ASSERT_EQ(response.versions_size(), 2);
  EXPECT_EQ(response.versions(0).la_code().value(), "882");
  EXPECT_EQ(response.versions(0).source(), dc::SUBMISSION_SOURCE_CSV_IMPORT);
  EXPECT_EQ(response.versions(0).value_count(), 2);
  EXPECT_EQ(response.versions(1).value_count(), 1);

  dc::GetReturnResponse stored;
  ASSERT_TRUE(GetReturn(*admin_, "882", p, 0, &stored).ok());
  EXPECT_EQ(stored.la_return().version(), 1);
  ASSERT_EQ(stored.la_return().values_size(), 2);
  EXPECT_EQ(stored.la_return().values(1).total().note(), "Not recorded, system change");

  dc::ImportReturnsCsvResponse retry;
  ASSERT_TRUE(import(*admin_, request, &retry).ok());
  EXPECT_TRUE(retry.replayed());
  EXPECT_EQ(retry.rows_accepted(), 3);
  EXPECT_EQ(retry.versions_size(), 2);
  ASSERT_TRUE(GetReturn(*admin_, "882", p, 0, &stored).ok());
  EXPECT_EQ(stored.la_return().version(), 1);

  dc::ImportReturnsCsvRequest changed = request;
  changed.set_csv(csv + "883," + p + ",CL-EET,,,,56.0,,,\r\n");
  const absl::Status reused = import(*admin_, changed, &retry);
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetErrorReason(reused), "IDEMPOTENCY_KEY_REUSED");

  dc::ImportReturnsCsvRequest officer;
  officer.set_request_id("officer-import");
  officer.set_partial(true);
  officer.set_csv(absl::StrCat("la_code,period_id,indicator_id,value\n873,", p, ",CL-EET,60.0\n926,", p,
                               ",CL-EET,61.0\n"));
  dc::ImportReturnsCsvResponse own;
  ASSERT_TRUE(import(*officer_873_, officer, &own).ok());
  EXPECT_EQ(own.rows_accepted(), 1);
  ASSERT_EQ(own.errors_size(), 1);
  EXPECT_EQ(own.errors(0).line(), 3);
  EXPECT_EQ(own.errors(0).column(), "la_code");

  dc::ImportReturnsCsvRequest headless;
  headless.set_request_id("headless");
  headless.set_csv("la_code,period_id,value\n873,x,1\n");
  absl::Status bad = import(*admin_, headless, &own);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(GetFieldViolations(bad).size(), 1u);
  EXPECT_THAT(GetFieldViolations(bad)[0].description, HasSubstr("indicator_id"));
}

TEST_F(DataCollectionTest, QueryValuesPagesThroughTheRegionsLatestFigures) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  dc::QueryValuesRequest request;
  request.add_period_ids(period);
  request.add_indicator_ids("CLA-COUNT");
  request.set_include_breakdowns(true);
  request.mutable_page()->set_page_size(4);
  std::vector<std::string> las;
  std::string token;
  int pages = 0;
  do {
    request.mutable_page()->set_page_token(token);
    dc::QueryValuesResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, *reader_);
    grpc::Status status = stub_->QueryValues(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.page().total_size(), 10);  // one LA has not submitted
    ASSERT_EQ(response.federation().regions_size(), 1);
    EXPECT_EQ(response.federation().regions(0).region().value(), "EE");
    for (const dc::ValueRecord& v : response.values()) {
      las.push_back(v.la_code().value());
      EXPECT_EQ(v.value().indicator_id(), "CLA-COUNT");
      if (v.value().total().state() == dc::VALUE_STATE_PRESENT) {
        EXPECT_EQ(v.value().breakdowns_size(), 6);
      }
    }
    token = response.page().next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(las.size(), 10u);
  EXPECT_TRUE(std::is_sorted(las.begin(), las.end()));

  dc::QueryValuesRequest outside = request;
  outside.mutable_page()->Clear();
  outside.add_la_codes()->set_value("845");
  dc::QueryValuesResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, *reader_);
  absl::Status refused = FromGrpcStatus(stub_->QueryValues(&context, outside, &response));
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(GetFieldViolations(refused).size(), 1u);
  EXPECT_EQ(GetFieldViolations(refused)[0].field, "la_codes[0].value");
}

TEST_F(DataCollectionTest, ExportValuesCsvPagesConcatenateToOneFile) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  dc::ExportValuesCsvRequest request;
  request.set_collection_id("EE-core");
  request.add_period_ids(period);
  request.add_indicator_ids("CLA-COUNT");
  request.add_indicator_ids("CSC-ASSESS-45D");
  request.set_include_breakdowns(true);
  request.mutable_page()->set_page_size(25);
  std::string file;
  std::string token;
  int64_t total = 0;
  int pages = 0;
  do {
    request.mutable_page()->set_page_token(token);
    dc::ExportValuesCsvResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, *reader_);
    grpc::Status status = stub_->ExportValuesCsv(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.file_name(), "EE-EE-core-values.csv");
    if (pages > 0) {
      EXPECT_NE(response.content().rfind("la_code,", 0), 0u);
    }
    file += response.content();
    total = response.page().total_size();
    token = response.page().next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_GE(total, 20);  // 10 LAs x 2 totals, plus the ethnicity rows
  EXPECT_EQ(pages, static_cast<int>((total + 24) / 25));
  size_t lines = 0;
  for (size_t at = file.find("\r\n"); at != std::string::npos; at = file.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(lines, static_cast<size_t>(total) + 1);
  EXPECT_EQ(file.rfind("la_code,period_id,indicator_id,breakdown_dimension,", 0), 0u);
  EXPECT_THAT(file, HasSubstr(",CLA-COUNT,ethnicity_group,BLACK,present,"));
}

TEST_F(DataCollectionTest, DisproportionalityComparesEachEthnicGroupWithTheLasOverallRate) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  dc::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(period);
  for (const char* id : {"CSC-REFERRAL-RATE", "CP-PLAN-RATE", "CLA-RATE", "CSC-ASSESS-45D"}) {
    request.mutable_query()->add_indicator_ids(id);
  }
  request.mutable_query()->set_include_disproportionality(true);
  dc::GetBenchmarkResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, *reader_);
  grpc::Status status = stub_->GetBenchmark(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const dc::Benchmark& rug = response.benchmark();
  ASSERT_EQ(rug.rows_size(), 4);
  ASSERT_EQ(rug.disproportionality_size(), 3);  // the assessment timeliness has no ethnicity breakdown
  const std::string missing_la = rug.la_codes(10).value();
  for (const dc::DisproportionalityTable& table : rug.disproportionality()) {
    ASSERT_EQ(table.groups_size(), 6);
    ASSERT_EQ(table.cells_size(), 11 * 6);
    for (const dc::DisproportionalityCell& cell : table.cells()) {
      if (cell.la_code().value() == missing_la) {
        EXPECT_EQ(cell.group_state(), dc::VALUE_STATE_NOT_SUBMITTED);
        EXPECT_EQ(cell.ratio_state(), dc::VALUE_STATE_MISSING);
        continue;
      }
      if (cell.ethnicity_group() == "NOT_KNOWN") {
        EXPECT_EQ(cell.group_state(), dc::VALUE_STATE_MISSING);
        EXPECT_EQ(cell.ratio_state(), dc::VALUE_STATE_MISSING);
      }
      if (cell.ethnicity_group() == "BLACK" && cell.ratio_state() == dc::VALUE_STATE_PRESENT) {
        EXPECT_EQ(cell.ratio().scale(), 2);
        EXPECT_GE(cell.ratio().unscaled(), 150);
        EXPECT_LE(cell.ratio().unscaled(), 210);
      }
    }
  }
}

}  // namespace
}  // namespace slihub::testing
