// Text and time through the real binary: every stored text is UTF-8 within its limit (a Latin-1 CSV
// is refused with its line and column; text planted in the store file is repaired at start-up and
// read back), a SubmitReturn receipt equals the stored record, and period deadlines given as civil
// dates fall at the end of that day in England.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;

class DataCollectionTextTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceProcessOptions options;
    options.service = "datacollection";
    options.extra_args = {"--demo-data"};
    server_ = std::make_unique<ServiceProcess>(options);
    ASSERT_TRUE(server_->Start().ok());
    admin_ = server_->IssueToken("ee-admin", {Role::kRegionalAdmin});
    officer_ = server_->IssueToken("873-data", {Role::kDataOfficer}, "873");
    stub_ = dc::DataCollectionService::NewStub(server_->NewChannel());
  }

  template <typename Request, typename Response, typename Method>
  absl::Status Call(Method method, const std::string& token, const Request& request,
                    Response* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(((*stub_).*method)(&context, request, response));
  }

  // The latest EE-core period in `state`.
  std::string PeriodIn(dc::PeriodState state) {
    dc::ListCollectionPeriodsRequest request;
    request.set_collection_id("EE-core");
    request.set_state(state);
    dc::ListCollectionPeriodsResponse response;
    EXPECT_TRUE(
        Call(&dc::DataCollectionService::Stub::ListCollectionPeriods, admin_, request, &response)
            .ok());
    return response.periods_size() == 0 ? "" : response.periods(0).period_id();
  }

  absl::Status GetReturn(const std::string& la, const std::string& period,
                         dc::GetReturnResponse* response) {
    dc::GetReturnRequest request;
    request.mutable_la_code()->set_value(la);
    request.set_collection_id("EE-core");
    request.set_period_id(period);
    request.set_view(dc::RETURN_VIEW_FULL);
    return Call(&dc::DataCollectionService::Stub::GetReturn, admin_, request, response);
  }

  std::unique_ptr<ServiceProcess> server_;
  std::string admin_;
  std::string officer_;
  std::unique_ptr<dc::DataCollectionService::Stub> stub_;
};

TEST_F(DataCollectionTextTimeTest, ALatin1CsvIsRefusedWithItsLineAndColumn) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  dc::ImportReturnsCsvRequest request;
  request.set_request_id("latin1");
  request.set_period_id(period);
  // "Données" in Latin-1: 0xE9 is the 4th character of the note on line 3.
  request.set_csv(
      "la_code,indicator_id,state,note\r\n873,CL-EET,missing,ok\r\n873,CP-PLAN-RATE,missing,"
      "Donn\xE9"
      "es\r\n");
  dc::ImportReturnsCsvResponse response;
  const absl::Status status =
      Call(&dc::DataCollectionService::Stub::ImportReturnsCsv, officer_, request, &response);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const auto violations = GetFieldViolations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "csv");
  EXPECT_TRUE(absl::StrContains(violations[0].description,
                                "line 3, column 30: not valid UTF-8 (byte 0xe9)"))
      << violations[0].description;
  dc::GetReturnResponse stored;
  EXPECT_EQ(GetReturn("873", period, &stored).code(), absl::StatusCode::kNotFound);
}

TEST_F(DataCollectionTextTimeTest, NotesAreMeasuredInCharactersAndRefuseControlCharacters) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  dc::SubmitReturnRequest request;
  request.set_request_id("notes");
  request.mutable_la_code()->set_value("873");
  request.set_collection_id("EE-core");
  request.set_period_id(period);
  dc::IndicatorValue* v = request.add_values();
  v->set_indicator_id("CL-EET");
  v->mutable_total()->set_state(dc::VALUE_STATE_SUPPRESSED);
  std::string accented;
  for (int i = 0; i < 500; ++i) accented += "\xC3\xA9";  // 500 characters, 1,000 bytes
  v->mutable_total()->set_note(accented);
  dc::SubmitReturnResponse response;
  absl::Status status =
      Call(&dc::DataCollectionService::Stub::SubmitReturn, officer_, request, &response);
  ASSERT_TRUE(status.ok()) << status;

  request.set_request_id("notes-bell");
  v->mutable_total()->set_note("ring\x07");
  status = Call(&dc::DataCollectionService::Stub::SubmitReturn, officer_, request, &response);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status).at(0).field, "values[0].total.note");
}

TEST_F(DataCollectionTextTimeTest, Latin1TextPlantedInTheStoreIsRepairedAtStartUpAndReadBack) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_CLOSED);
  ASSERT_FALSE(period.empty());
  ASSERT_TRUE(server_->process().Kill().ok());
  {
    auto db = store::SqliteDatabase::Open(server_->data_dir() + "/datacollection.db");
    ASSERT_TRUE(db.ok()) << db.status();
    const absl::Status planted =
        (*db)->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
          auto changed = tx.Execute(
              "UPDATE return_values SET note = CAST(X'436166E9206E6F7465' AS TEXT) "
              "WHERE collection_id = 'EE-core' AND period_id = $1 AND la_code = '873' AND "
              "dimension = 0",
              {store::Text(period)});
          if (!changed.ok()) return changed.status();
          if (*changed == 0) return absl::NotFoundError("no row to plant in");
          auto comment = tx.Execute(
              "UPDATE returns SET comment = CAST(X'4D6F6EE9' AS TEXT) WHERE collection_id = "
              "'EE-core' "
              "AND period_id = $1 AND la_code = '873'",
              {store::Text(period)});
          return comment.status();
        });
    ASSERT_TRUE(planted.ok()) << planted;
  }
  ASSERT_TRUE(server_->Start().ok());
  stub_ = dc::DataCollectionService::NewStub(server_->NewChannel());

  dc::GetReturnResponse got;
  const absl::Status read = GetReturn("873", period, &got);
  ASSERT_TRUE(read.ok()) << read;
  EXPECT_EQ(got.la_return().comment(), "Mon\xEF\xBF\xBD");
  ASSERT_GT(got.la_return().values_size(), 0);
  EXPECT_EQ(got.la_return().values(0).total().note(), "Caf\xEF\xBF\xBD note");

  // Every reader of the period decodes it: the figures (the peer review data pack's read) and the
  // rug.
  dc::QueryValuesRequest query;
  query.add_period_ids(period);
  dc::QueryValuesResponse values;
  const absl::Status queried =
      Call(&dc::DataCollectionService::Stub::QueryValues, admin_, query, &values);
  ASSERT_TRUE(queried.ok()) << queried;
  EXPECT_GT(values.values_size(), 0);
  dc::GetBenchmarkRequest rug;
  rug.mutable_query()->set_period_id(period);
  dc::GetBenchmarkResponse benchmark;
  const absl::Status ranked =
      Call(&dc::DataCollectionService::Stub::GetBenchmark, admin_, rug, &benchmark);
  ASSERT_TRUE(ranked.ok()) << ranked;
}

TEST_F(DataCollectionTextTimeTest, TheSubmitReceiptEqualsTheStoredRecord) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  dc::SubmitReturnRequest request;
  request.set_request_id("receipt");
  request.mutable_la_code()->set_value("873");
  request.set_collection_id("EE-core");
  request.set_period_id(period);
  dc::IndicatorValue* v = request.add_values();
  v->set_indicator_id("CL-EET");
  v->mutable_total()->set_state(dc::VALUE_STATE_MISSING);
  dc::SubmitReturnResponse receipt;
  ASSERT_TRUE(
      Call(&dc::DataCollectionService::Stub::SubmitReturn, officer_, request, &receipt).ok());
  dc::GetReturnResponse stored;
  ASSERT_TRUE(GetReturn("873", period, &stored).ok());
  EXPECT_EQ(receipt.la_return().receive_time().seconds(),
            stored.la_return().receive_time().seconds());
  EXPECT_EQ(receipt.la_return().receive_time().nanos(), stored.la_return().receive_time().nanos());
  EXPECT_EQ(receipt.la_return().receive_time().nanos() % 1000, 0);
  EXPECT_EQ(receipt.la_return().audit().create_time().nanos(),
            stored.la_return().audit().create_time().nanos());

  // The replay is the same receipt.
  dc::SubmitReturnResponse replay;
  ASSERT_TRUE(
      Call(&dc::DataCollectionService::Stub::SubmitReturn, officer_, request, &replay).ok());
  EXPECT_TRUE(replay.replayed());
  EXPECT_EQ(replay.la_return().receive_time().nanos(), receipt.la_return().receive_time().nanos());
  // The same id for another request is refused.
  request.set_comment("another request");
  const absl::Status reused =
      Call(&dc::DataCollectionService::Stub::SubmitReturn, officer_, request, &replay);
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetErrorReason(reused), "IDEMPOTENCY_KEY_REUSED");
}

TEST_F(DataCollectionTextTimeTest, DeadlinesGivenAsCivilDatesEndThatDayInEngland) {
  dc::CreateCollectionRequest create;
  create.set_request_id("adhoc");
  create.mutable_collection()->set_kind(dc::COLLECTION_KIND_AD_HOC);
  create.mutable_collection()->set_name("Summer survey");
  create.mutable_collection()->add_indicator_ids("CL-EET");
  dc::CreateCollectionResponse collection;
  absl::Status status =
      Call(&dc::DataCollectionService::Stub::CreateCollection, admin_, create, &collection);
  ASSERT_TRUE(status.ok()) << status;

  auto day = [](int y, int m, int d) {
    slihub::common::v1::CivilDate date;
    date.set_year(y);
    date.set_month(m);
    date.set_day(d);
    return date;
  };
  dc::CreateCollectionPeriodRequest request;
  request.set_request_id("summer-2025");
  dc::CollectionPeriod* p = request.mutable_period();
  p->set_collection_id(collection.collection().collection_id());
  p->set_period_id("summer-2025");
  *p->mutable_start_date() = day(2025, 6, 1);
  *p->mutable_end_date() = day(2025, 6, 30);
  *p->mutable_open_date() = day(2025, 7, 1);
  *p->mutable_deadline_date() = day(2025, 7, 31);
  *p->mutable_close_date() = day(2025, 8, 7);
  dc::CreateCollectionPeriodResponse created;
  status =
      Call(&dc::DataCollectionService::Stub::CreateCollectionPeriod, admin_, request, &created);
  ASSERT_TRUE(status.ok()) << status;
  // 31 July 2025 is in British Summer Time: it ends at 22:59:59.999999Z.
  const absl::Time deadline = absl::FromUnixSeconds(created.period().deadline_time().seconds()) +
                              absl::Nanoseconds(created.period().deadline_time().nanos());
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", deadline, absl::UTCTimeZone()),
            "2025-07-31T22:59:59.999999Z");
  EXPECT_EQ(created.period().open_time().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2025, 6, 30, 23, 0, 0), absl::UTCTimeZone())));
  EXPECT_EQ(created.period().close_time().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2025, 8, 7, 23, 0, 0), absl::UTCTimeZone())));

  // Both forms of one time are refused.
  request.set_request_id("summer-2025-both");
  p->set_period_id("summer-2025-b");
  p->mutable_deadline_time()->set_seconds(absl::ToUnixSeconds(deadline));
  status =
      Call(&dc::DataCollectionService::Stub::CreateCollectionPeriod, admin_, request, &created);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status).at(0).field, "period.deadline_date");
}

}  // namespace
}  // namespace slihub::testing
