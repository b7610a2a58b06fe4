// Who sees which council's figures and notes, through the real binary: for each role, its own LA,
// another LA before the regional admin publishes the period, and another LA after. The rule: an LA
// reads and writes only its own returns; other LAs' figures of a period become visible once the
// period is published; free-text notes stay with the submitting LA and the hub.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/datacollection/demo_server_test.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;

constexpr char kTotalNote[] = "Team restructure; figure provisional";
constexpr char kSuppressedNote[] = "Fewer than 5 children: suppressed";

// One caller and what it is.
struct Viewer {
  std::string name;
  std::string token;
  bool hub = false;    // regional admin or service: sees everything
  std::string own_la;  // empty for a principal of no LA
};

class DataCollectionTenancyTest : public DemoServerTest {
 protected:
  template <typename Request, typename Response, typename Method>
  absl::Status Call(Method method, const std::string& token, const Request& request,
                    Response* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(((*stub_).*method)(&context, request, response));
  }

  static const std::string& Admin() { return Token("ee-admin", {Role::kRegionalAdmin}); }

  std::vector<Viewer> Viewers() {
    return {{"regional_admin", Admin(), true, ""},
            {"service", Token("svc-peerreview", {Role::kService}), true, ""},
            {"data_officer_926", Token("926-data", {Role::kDataOfficer}, "926"), false, "926"},
            {"data_officer_873", Token("873-data", {Role::kDataOfficer}, "873"), false, "873"},
            {"reader_873", Token("873-reader", {Role::kReader}, "873"), false, "873"},
            {"reader", Token("ee-reader", {Role::kReader}), false, ""}};
  }

  // 926 submits CIN-RATE with a note and CLA-COUNT with a suppressed ethnic group and its note.
  void Submit926(const std::string& period) {
    dc::SubmitReturnRequest request;
    request.set_request_id("926-tenancy");
    request.mutable_la_code()->set_value("926");
    request.set_collection_id("EE-core");
    request.set_period_id(period);
    request.set_comment("Submitted by the 926 data team");
    dc::IndicatorValue* rate = request.add_values();
    rate->set_indicator_id("CSC-REREFERRAL-12M");
    rate->mutable_total()->set_state(dc::VALUE_STATE_PRESENT);
    rate->mutable_total()->mutable_value()->set_unscaled(215);
    rate->mutable_total()->mutable_value()->set_scale(1);
    rate->mutable_total()->set_note(kTotalNote);
    dc::IndicatorValue* cla = request.add_values();
    cla->set_indicator_id("CLA-COUNT");
    cla->mutable_total()->set_state(dc::VALUE_STATE_PRESENT);
    cla->mutable_total()->mutable_value()->set_unscaled(100);
    const std::pair<const char*, int64_t> parts[] = {
        {"WHITE", 70}, {"MIXED", 8}, {"ASIAN", 9}, {"BLACK", 7}, {"OTHER", -1}, {"NOT_KNOWN", 4}};
    for (const auto& [code, count] : parts) {
      dc::BreakdownValue* b = cla->add_breakdowns();
      b->set_dimension(dc::BREAKDOWN_DIMENSION_ETHNICITY_GROUP);
      b->set_category(code);
      if (count < 0) {
        b->mutable_observation()->set_state(dc::VALUE_STATE_SUPPRESSED);
        b->mutable_observation()->set_note(kSuppressedNote);
      } else {
        b->mutable_observation()->set_state(dc::VALUE_STATE_PRESENT);
        b->mutable_observation()->mutable_value()->set_unscaled(count);
      }
    }
    dc::SubmitReturnResponse response;
    const absl::Status status =
        Call(&dc::DataCollectionService::Stub::SubmitReturn,
             Token("926-data", {Role::kDataOfficer}, "926"), request, &response);
    ASSERT_TRUE(status.ok()) << status;
  }

  // What `viewer` reads of 926's figures for `period` through QueryValues: the number of records
  // and whether any note came with them.
  void QueryAs(const Viewer& viewer, const std::string& period, int* records, bool* notes) {
    dc::QueryValuesRequest request;
    request.add_period_ids(period);
    request.add_la_codes()->set_value("926");
    request.add_indicator_ids("CSC-REREFERRAL-12M");
    request.add_indicator_ids("CLA-COUNT");
    request.set_include_breakdowns(true);
    dc::QueryValuesResponse response;
    const absl::Status status =
        Call(&dc::DataCollectionService::Stub::QueryValues, viewer.token, request, &response);
    ASSERT_TRUE(status.ok()) << viewer.name << ": " << status;
    *records = response.values_size();
    *notes = false;
    for (const dc::ValueRecord& r : response.values()) {
      *notes |= !r.value().total().note().empty();
      for (const dc::BreakdownValue& b : r.value().breakdowns())
        *notes |= !b.observation().note().empty();
    }
  }

  // ExportValuesCsv of `period` as `viewer`: the content.
  std::string ExportAs(const Viewer& viewer, const std::string& period) {
    dc::ExportValuesCsvRequest request;
    request.set_collection_id("EE-core");
    request.add_period_ids(period);
    request.add_la_codes()->set_value("926");
    request.set_include_breakdowns(true);
    dc::ExportValuesCsvResponse response;
    const absl::Status status =
        Call(&dc::DataCollectionService::Stub::ExportValuesCsv, viewer.token, request, &response);
    EXPECT_TRUE(status.ok()) << viewer.name << ": " << status;
    return response.content();
  }

  // GetBenchmark of `period` as `viewer`.
  absl::Status RugAs(const Viewer& viewer, const std::string& period,
                     dc::GetBenchmarkResponse* response, const std::string& previous = "") {
    dc::GetBenchmarkRequest request;
    request.mutable_query()->set_period_id(period);
    request.mutable_query()->set_previous_period_id(previous);
    request.mutable_query()->add_indicator_ids("CSC-REREFERRAL-12M");
    return Call(&dc::DataCollectionService::Stub::GetBenchmark, viewer.token, request, response);
  }

  absl::Status ExportRugAs(const Viewer& viewer, const std::string& period, std::string* content,
                           const std::string& previous = "") {
    dc::ExportBenchmarkRequest request;
    request.mutable_query()->set_period_id(period);
    request.mutable_query()->set_previous_period_id(previous);
    request.mutable_query()->add_indicator_ids("CSC-REREFERRAL-12M");
    request.set_format(dc::BENCHMARK_FORMAT_CSV);
    dc::ExportBenchmarkResponse response;
    absl::Status status =
        Call(&dc::DataCollectionService::Stub::ExportBenchmark, viewer.token, request, &response);
    *content = response.content();
    return status;
  }

  // Checks every read of 926's figures by every viewer, `published` saying whether the period is;
  // the rug compares with `previous`, a published quarter.
  void CheckEveryRead(const std::string& period, const std::string& previous, bool published) {
    for (const Viewer& viewer : Viewers()) {
      SCOPED_TRACE(
          absl::StrCat(viewer.name, published ? " after publication" : " before publication"));
      const bool own = viewer.own_la == "926";
      const bool sees_figures = viewer.hub || own || published;
      const bool sees_notes = viewer.hub || own;

      // GetReturn of 926: only 926 itself and the hub, published or not.
      dc::GetReturnResponse got;
      const absl::Status get = GetReturn(viewer.token, "926", period, 0, &got);
      if (viewer.hub || own) {
        ASSERT_TRUE(get.ok()) << get;
        EXPECT_EQ(got.la_return().comment(), "Submitted by the 926 data team");
      } else {
        EXPECT_EQ(get.code(), absl::StatusCode::kPermissionDenied) << get;
      }

      // QueryValues.
      int records = 0;
      bool notes = false;
      QueryAs(viewer, period, &records, &notes);
      EXPECT_EQ(records, sees_figures ? 2 : 0);
      EXPECT_EQ(notes, sees_notes);

      // ExportValuesCsv.
      const std::string csv = ExportAs(viewer, period);
      EXPECT_EQ(absl::StrContains(csv, "\r\n926,"), sees_figures) << csv;
      EXPECT_EQ(absl::StrContains(csv, kTotalNote), sees_notes) << csv;
      EXPECT_EQ(absl::StrContains(csv, kSuppressedNote), sees_notes) << csv;

      // GetBenchmark and ExportBenchmark: the whole region's figures.
      dc::GetBenchmarkResponse rug;
      const absl::Status rug_status = RugAs(viewer, period, &rug, previous);
      std::string rug_csv;
      const absl::Status export_status = ExportRugAs(viewer, period, &rug_csv, previous);
      if (viewer.hub || published) {
        ASSERT_TRUE(rug_status.ok()) << rug_status;
        ASSERT_TRUE(export_status.ok()) << export_status;
        bool rug_note = false;
        bool has_926 = false;
        for (const dc::BenchmarkRow& row : rug.benchmark().rows()) {
          for (const dc::BenchmarkCell& cell : row.cells()) {
            rug_note |= !cell.note().empty();
            has_926 |= cell.la_code().value() == "926" && cell.state() == dc::VALUE_STATE_PRESENT;
          }
        }
        EXPECT_TRUE(has_926);
        EXPECT_EQ(rug_note, viewer.hub);
        EXPECT_EQ(absl::StrContains(rug_csv, kTotalNote), viewer.hub);
      } else {
        EXPECT_EQ(rug_status.code(), absl::StatusCode::kPermissionDenied) << rug_status;
        EXPECT_EQ(GetErrorReason(rug_status), "PERIOD_NOT_PUBLISHED");
        EXPECT_EQ(export_status.code(), absl::StatusCode::kPermissionDenied) << export_status;
      }
    }
  }
};

TEST_F(DataCollectionTenancyTest, EachRoleSeesOwnFiguresAndOthersOnlyOncePublishedNeverTheirNotes) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN, Admin());
  ASSERT_FALSE(period.empty());
  const std::string closed = PeriodIn(dc::PERIOD_STATE_CLOSED, Admin());
  Submit926(period);
  CheckEveryRead(period, closed, /*published=*/false);

  // Only the regional admin publishes.
  dc::PublishPeriodRequest publish;
  publish.set_request_id("publish-open");
  publish.set_collection_id("EE-core");
  publish.set_period_id(period);
  dc::PublishPeriodResponse published;
  EXPECT_EQ(Call(&dc::DataCollectionService::Stub::PublishPeriod,
                 Token("926-data", {Role::kDataOfficer}, "926"), publish, &published)
                .code(),
            absl::StatusCode::kPermissionDenied);
  const absl::Status status =
      Call(&dc::DataCollectionService::Stub::PublishPeriod, Admin(), publish, &published);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(published.period().has_publish_time());

  CheckEveryRead(period, closed, /*published=*/true);
}

TEST_F(DataCollectionTenancyTest, ARugComparingWithAnUnpublishedPeriodIsTheHubsOnly) {
  // The open quarter's rug compares with the latest past one; publishing only the open quarter
  // would show councils the unpublished quarter's figures in the change column.
  const std::string open = PeriodIn(dc::PERIOD_STATE_OPEN, Admin());
  const std::string late = PeriodIn(dc::PERIOD_STATE_LATE, Admin());
  const std::string closed = PeriodIn(dc::PERIOD_STATE_CLOSED, Admin());
  dc::PublishPeriodRequest publish;
  publish.set_request_id("publish-open-only");
  publish.set_period_id(open);
  dc::PublishPeriodResponse published;
  ASSERT_TRUE(
      Call(&dc::DataCollectionService::Stub::PublishPeriod, Admin(), publish, &published).ok());
  const Viewer officer{"data_officer_873", Token("873-data", {Role::kDataOfficer}, "873"), false,
                       "873"};
  dc::GetBenchmarkResponse rug;
  const absl::Status refused = RugAs(officer, open, &rug);
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
  EXPECT_NE(std::string(refused.message()).find(late), std::string::npos) << refused;

  // Compared with a published quarter, the council sees it.
  dc::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(open);
  request.mutable_query()->set_previous_period_id(closed);
  const absl::Status shown =
      Call(&dc::DataCollectionService::Stub::GetBenchmark, officer.token, request, &rug);
  EXPECT_TRUE(shown.ok()) << shown;
}

TEST_F(DataCollectionTenancyTest, AnLaWritesOnlyItsOwnReturn) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE, Admin());
  dc::SubmitReturnRequest request;
  request.set_request_id("873-for-926");
  request.mutable_la_code()->set_value("926");
  request.set_collection_id("EE-core");
  request.set_period_id(period);
  dc::IndicatorValue* v = request.add_values();
  v->set_indicator_id("CL-EET");
  v->mutable_total()->set_state(dc::VALUE_STATE_MISSING);
  dc::SubmitReturnResponse response;
  const absl::Status status =
      Call(&dc::DataCollectionService::Stub::SubmitReturn,
           Token("873-data", {Role::kDataOfficer}, "873"), request, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(GetErrorReason(status), "LA_OUT_OF_SCOPE");
}

TEST_F(DataCollectionTenancyTest, ANoteThatLooksLikeAFormulaIsNeutralisedInEveryCsvExport) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE, Admin());
  dc::SubmitReturnRequest request;
  request.set_request_id("882-formula");
  request.mutable_la_code()->set_value("882");
  request.set_collection_id("EE-core");
  request.set_period_id(period);
  dc::IndicatorValue* v = request.add_values();
  v->set_indicator_id("CSC-REREFERRAL-12M");
  v->mutable_total()->set_state(dc::VALUE_STATE_SUPPRESSED);
  v->mutable_total()->set_note("=HYPERLINK(\"http://x.invalid\",\"see\")");
  dc::SubmitReturnResponse response;
  ASSERT_TRUE(
      Call(&dc::DataCollectionService::Stub::SubmitReturn, Admin(), request, &response).ok());

  dc::ExportValuesCsvRequest values;
  values.set_collection_id("EE-core");
  values.add_period_ids(period);
  values.add_la_codes()->set_value("882");
  dc::ExportValuesCsvResponse exported;
  ASSERT_TRUE(
      Call(&dc::DataCollectionService::Stub::ExportValuesCsv, Admin(), values, &exported).ok());
  EXPECT_TRUE(absl::StrContains(exported.content(), "\"'=HYPERLINK(")) << exported.content();
  EXPECT_FALSE(absl::StrContains(exported.content(), ",\"=HYPERLINK(")) << exported.content();

  std::string rug_csv;
  const Viewer admin{"regional_admin", Admin(), true, ""};
  ASSERT_TRUE(ExportRugAs(admin, period, &rug_csv).ok());
  EXPECT_TRUE(absl::StrContains(rug_csv, "\"'=HYPERLINK(")) << rug_csv;
  EXPECT_FALSE(absl::StrContains(rug_csv, ",\"=HYPERLINK(")) << rug_csv;
}

}  // namespace
}  // namespace slihub::testing
