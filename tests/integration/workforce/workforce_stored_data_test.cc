// Data already stored is checked at start-up: bytes that are not UTF-8, planted straight into the
// SQLite file while the service is down, are repaired (text, history and engagement blobs) or the
// row quarantined, and the restarted service answers every read with valid data.
#include <csignal>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/text.h"
#include "common/errors/grpc_status.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"

namespace slihub::testing {
namespace {

using Stub = wf::WorkforceService::Stub;

constexpr char kTitle[] = "Senior Practitioner";
constexpr char kAgency[] = "Acme Social Care";

template <typename Request, typename Response, typename Method>
absl::Status Call(Stub* stub, const std::string& token, Method method, const Request& request,
                  Response* response) {
  grpc::ClientContext context;
  PrepareContext(&context, token);
  return FromGrpcStatus((stub->*method)(&context, request, response));
}

// `text` with its byte at `at` replaced by `byte` (same length, so a blob stays well-formed).
std::string Spoil(std::string text, const std::string& inside, size_t at, char byte) {
  const size_t found = text.find(inside);
  EXPECT_NE(found, std::string::npos) << inside;
  if (found != std::string::npos) text[found + at] = byte;
  return text;
}

// Runs `sql` with `params` on the stopped service's store, expecting it to change one row.
void Plant(store::Database& db, const std::string& sql, std::vector<store::Value> params) {
  absl::Status status = db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    absl::StatusOr<int64_t> n = tx.Execute(sql, params);
    if (!n.ok()) return n.status();
    return *n == 1 ? absl::OkStatus() : absl::NotFoundError(sql);
  });
  ASSERT_TRUE(status.ok()) << status;
}

// Reads one blob or text cell.
std::string Cell(store::Database& db, const std::string& sql, const std::string& key) {
  std::string out;
  absl::Status status = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    absl::StatusOr<store::ResultSet> rows = tx.Query(sql, {store::Text(key)});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return absl::NotFoundError(key);
    out = (*rows)[0].GetBlob(size_t{0});
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

TEST(WorkforceStoredDataTest, InvalidUtf8PlantedInTheFileIsRepairedOrQuarantinedAtStartUp) {
  ServiceProcessOptions options;
  options.shutdown_grace_ms = 500;  // nothing is in flight when it is stopped
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string hr = server.IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
  auto stub = wf::WorkforceService::NewStub(server.NewChannel());
  wf::PublishRuleSetRequest publish;
  publish.set_request_id(NewRequestId());
  *publish.mutable_rule_set() = EasternRules(Date(2025, 10, 1), 4000);
  wf::PublishRuleSetResponse published;
  ASSERT_TRUE(Call(stub.get(), admin, &Stub::PublishRuleSet, publish, &published).ok());
  wf::BatchRecordEmploymentPeriodsRequest batch;
  batch.set_request_id(NewRequestId());
  for (const char* swe : {"SW6001", "SW6002"}) {
    wf::EmploymentPeriod* p = batch.add_periods();
    *p = Period(absl::StrCat("p-", swe), swe, "873", Date(2015, 1, 1), Date(2020, 12, 31));
    p->set_local_job_title(kTitle);
  }
  wf::BatchRecordEmploymentPeriodsResponse recorded;
  ASSERT_TRUE(
      Call(stub.get(), hr, &Stub::BatchRecordEmploymentPeriods, batch, &recorded).ok());
  ASSERT_EQ(recorded.counts().created(), 2);
  for (const char* swe : {"SW6001", "SW6002"}) {
    wf::RecordRegisterCheckRequest check;
    check.set_request_id(NewRequestId());
    check.set_swe_number(swe);
    check.set_status(wf::REGISTER_STATUS_REGISTERED);
    check.mutable_checked_at()->set_seconds(1764547200);  // 1 Dec 2025
    wf::RecordRegisterCheckResponse checked;
    ASSERT_TRUE(Call(stub.get(), hr, &Stub::RecordRegisterCheck, check, &checked).ok());
  }
  std::string engagement_ids[2];
  for (int i = 0; i < 2; ++i) {
    wf::CreateEngagementRequest create;
    create.set_request_id(NewRequestId());
    create.set_record_id(absl::StrCat("873-s-", i));
    *create.mutable_terms() = Terms(i == 0 ? "SW6001" : "SW6002");
    create.mutable_terms()->set_agency_name(kAgency);
    wf::CreateEngagementResponse created;
    absl::Status status = Call(stub.get(), hr, &Stub::CreateEngagement, create, &created);
    ASSERT_TRUE(status.ok()) << status;
    engagement_ids[i] = created.engagement().engagement_id();
  }

  // Stop the service and plant bytes that are not UTF-8 in the file it left.
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());
  ASSERT_TRUE(server.process().WaitForExit(absl::Seconds(20)).has_value());
  {
    auto db = store::SqliteDatabase::Open(server.data_dir() + "/workforce.db");
    ASSERT_TRUE(db.ok()) << db.status();
    // Text: a period's local title and a register check's recorder.
    Plant(**db, "UPDATE employment_periods SET local_job_title = $1 WHERE swe_number = 'SW6001'",
          {store::Text(Spoil(kTitle, "Practitioner", 0, '\xC3'))});
    Plant(**db, "UPDATE register_checks SET checked_by = $1 WHERE swe_number = 'SW6002'",
          {store::Text("873-hr-\xFF")});
    // History blobs: one whose string is not UTF-8 (proto3 refuses it), one not protobuf at all.
    const std::string history =
        Cell(**db, "SELECT history FROM worker_histories WHERE swe_number = $1", "SW6001");
    Plant(**db, "UPDATE worker_histories SET history = $1 WHERE swe_number = 'SW6001'",
          {store::Bytes(Spoil(history, kTitle, 0, '\xFE'))});
    Plant(**db, "UPDATE worker_histories SET history = $1 WHERE swe_number = 'SW6002'",
          {store::Bytes("\xFF\xFF\xFF\xFF")});
    // Engagements: the first one's agency name is not UTF-8; the second one's check is garbage.
    const std::string seq0 = engagement_ids[0].substr(engagement_ids[0].find('-') + 1);
    const std::string seq1 = engagement_ids[1].substr(engagement_ids[1].find('-') + 1);
    const std::string terms =
        Cell(**db, "SELECT terms FROM engagements WHERE seq = CAST($1 AS INTEGER)", seq0);
    Plant(**db, "UPDATE engagements SET terms = $1 WHERE seq = CAST($2 AS INTEGER)",
          {store::Bytes(Spoil(terms, kAgency, 4, '\x80')), store::Text(seq0)});
    Plant(**db, "UPDATE engagements SET check_result = $1 WHERE seq = CAST($2 AS INTEGER)",
          {store::Bytes("\x0A\xFF\xFF\xFF\xFF\x0F"), store::Text(seq1)});
  }

  ASSERT_TRUE(server.Start().ok());
  stub = wf::WorkforceService::NewStub(server.NewChannel());
  const std::string log = server.process().ReadStderr();
  EXPECT_TRUE(absl::StrContains(log, "\"stored_data_checked\"")) << log;
  EXPECT_TRUE(absl::StrContains(log, "\"text_cells_repaired\":2")) << log;
  EXPECT_TRUE(absl::StrContains(log, "\"histories_rebuilt\":2")) << log;
  EXPECT_TRUE(absl::StrContains(log, "\"blobs_repaired\":1")) << log;
  EXPECT_TRUE(absl::StrContains(log, "\"rows_quarantined\":1")) << log;
  EXPECT_FALSE(absl::StrContains(log, kTitle)) << "the log names stored text";

  // The periods read back, from the rows and from the rebuilt histories, in valid UTF-8.
  const std::string repaired_title = ReplaceInvalidUtf8(Spoil(kTitle, "Practitioner", 0, '\xC3'));
  EXPECT_TRUE(absl::StrContains(repaired_title, "\xEF\xBF\xBD"));
  wf::ListEmploymentPeriodsRequest list;
  list.set_swe_number("SW6001");
  wf::ListEmploymentPeriodsResponse listed;
  absl::Status status = Call(stub.get(), hr, &Stub::ListEmploymentPeriods, list, &listed);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(listed.periods_size(), 1);
  EXPECT_EQ(listed.periods(0).local_job_title(), repaired_title);
  for (const char* swe : {"SW6001", "SW6002"}) {
    wf::GetWorkerRequest get;
    get.set_swe_number(swe);
    wf::GetWorkerResponse got;
    status = Call(stub.get(), hr, &Stub::GetWorker, get, &got);
    ASSERT_TRUE(status.ok()) << swe << ": " << status;
    EXPECT_EQ(got.worker().employment_period_count(), 1) << swe;
    EXPECT_TRUE(IsValidUtf8(got.worker().latest_register_check().checked_by())) << swe;
    wf::CheckEngagementRequest check;
    *check.mutable_terms() = Terms(swe);
    wf::CheckEngagementResponse checked;
    status = Call(stub.get(), hr, &Stub::CheckEngagement, check, &checked);
    ASSERT_TRUE(status.ok()) << swe << ": " << status;
    EXPECT_EQ(checked.check().verdict(), wf::VERDICT_COMPLIANT) << swe;
    EXPECT_EQ(checked.check().results(2).experience().periods_used_size(), 1) << swe;
  }
  {
    wf::GetWorkerRequest get;
    get.set_swe_number("SW6002");
    wf::GetWorkerResponse got;
    ASSERT_TRUE(Call(stub.get(), hr, &Stub::GetWorker, get, &got).ok());
    EXPECT_EQ(got.worker().latest_register_check().checked_by(), "873-hr-\xEF\xBF\xBD");
  }

  // The repaired engagement keeps everything but the bad byte; the quarantined one is gone.
  wf::GetEngagementRequest get;
  get.set_engagement_id(engagement_ids[0]);
  wf::GetEngagementResponse got;
  status = Call(stub.get(), hr, &Stub::GetEngagement, get, &got);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(got.engagement().terms().agency_name(), "Acme\xEF\xBF\xBDSocial Care");
  EXPECT_EQ(got.engagement().terms().hourly_pay_rate().pence(), 3900);
  EXPECT_EQ(got.engagement().check().verdict(), wf::VERDICT_COMPLIANT);
  get.set_engagement_id(engagement_ids[1]);
  EXPECT_EQ(Call(stub.get(), hr, &Stub::GetEngagement, get, &got).code(),
            absl::StatusCode::kNotFound);
  wf::ListEngagementsRequest all;
  wf::ListEngagementsResponse engagements;
  status = Call(stub.get(), hr, &Stub::ListEngagements, all, &engagements);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(engagements.engagements_size(), 1);
  EXPECT_EQ(engagements.engagements(0).engagement_id(), engagement_ids[0]);

  // A second start finds nothing left to repair.
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());
  ASSERT_TRUE(server.process().WaitForExit(absl::Seconds(20)).has_value());
  const size_t before = server.process().ReadStderr().size();
  ASSERT_TRUE(server.Start().ok());
  const std::string second = server.process().ReadStderr().substr(before);
  EXPECT_TRUE(absl::StrContains(second, "\"text_cells_repaired\":0,\"histories_rebuilt\":0,"
                                        "\"blobs_repaired\":0,\"rows_quarantined\":0"))
      << second;
  {
    auto db = store::SqliteDatabase::Open(server.data_dir() + "/workforce.db");
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ(Cell(**db, "SELECT quarantine_reason FROM quarantined_engagements WHERE seq = "
                         "CAST($1 AS INTEGER)",
                   engagement_ids[1].substr(engagement_ids[1].find('-') + 1)),
              "check_result does not parse as slihub.workforce.v1.EngagementCheck");
  }
}

}  // namespace
}  // namespace slihub::testing
