// The audit trail against real service processes: every write RPC of every service is recorded
// with its outcome; a cross-LA read is, an own-LA read is not; only the regional admin reads the
// trail; an acknowledged write's entry survives kill -9; and tampering with the trail file (triggers
// dropped, as an attacker would) makes `slihub audit verify --audit-db` exit 1 naming the entry.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/store/sqlite_database.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/audit_service.grpc.pb.h"
#include "slihub/common/v1/diagnostics_service.pb.h"
#include "slihub/common/v1/federation_service.pb.h"
#include "slihub/common/v1/reference_data_service.grpc.pb.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"
#include "slihub/placement/v1/placement_service.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;
namespace wf = ::slihub::workforce::v1;

// Every service a server answers: its own and the common ones.
std::vector<const google::protobuf::ServiceDescriptor*> ServedServices(const std::string& main) {
  // Touch one message of each file so the static library's descriptors are linked in.
  (void)wf::GetWorkerRequest::descriptor();
  (void)slihub::placement::v1::GetReferralRequest::descriptor();
  (void)slihub::datacollection::v1::GetIndicatorRequest::descriptor();
  (void)slihub::peerreview::v1::GetCycleRequest::descriptor();
  (void)v1::EchoRequest::descriptor();
  (void)v1::WatchChangesRequest::descriptor();
  (void)v1::ListRegionsRequest::descriptor();
  (void)v1::ListAuditEntriesRequest::descriptor();
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const std::string& name :
       {main, std::string("slihub.common.v1.DiagnosticsService"),
        std::string("slihub.common.v1.ReferenceDataService"),
        std::string("slihub.common.v1.FederationService"),
        std::string("slihub.common.v1.AuditService")}) {
    const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    EXPECT_NE(service, nullptr) << name;
    if (service != nullptr) services.push_back(service);
  }
  return services;
}

bool IsRead(const google::protobuf::MethodDescriptor& method) {
  return method.options().idempotency_level() == google::protobuf::MethodOptions::NO_SIDE_EFFECTS;
}

// The canonical name of a gRPC code, as the trail records it.
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// Calls `method` with an empty request and x-request-id `request_id`; returns the status.
grpc::Status CallEmpty(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                       const std::string& token, const std::string& request_id) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, token);
  context.AddMetadata("x-request-id", request_id);
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

// Every entry of the trail, oldest first, by request id.
std::map<std::string, v1::AuditEntry> ReadTrail(const std::shared_ptr<grpc::Channel>& channel,
                                                const std::string& admin_token) {
  auto stub = v1::AuditService::NewStub(channel);
  std::map<std::string, v1::AuditEntry> by_request;
  v1::ListAuditEntriesRequest request;
  request.set_oldest_first(true);
  request.mutable_page()->set_page_size(1000);
  do {
    grpc::ClientContext context;
    PrepareContext(&context, admin_token);
    v1::ListAuditEntriesResponse response;
    grpc::Status status = stub->ListAuditEntries(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const v1::AuditEntry& entry : response.entries()) by_request[entry.request_id()] = entry;
    request.mutable_page()->set_page_token(response.page().next_page_token());
  } while (!request.page().page_token().empty());
  return by_request;
}

struct ServiceCase {
  std::string service;       // the binary
  std::string grpc_service;  // its own gRPC service
};

class AuditEveryWriteTest : public ::testing::TestWithParam<ServiceCase> {};

TEST_P(AuditEveryWriteTest, EveryWriteRpcIsInTheTrailWithItsOutcome) {
  ServiceProcessOptions options;
  options.service = GetParam().service;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  auto channel = server.NewChannel();

  std::map<std::string, grpc::StatusCode> called;  // request id -> code the client saw
  std::map<std::string, std::string> method_of;
  int writes = 0;
  for (const auto* service : ServedServices(GetParam().grpc_service)) {
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      if (IsRead(method) || method.server_streaming()) continue;
      const std::string name = absl::StrCat("/", service->full_name(), "/", method.name());
      const std::string request_id = absl::StrCat("audit-", method.name());
      called[request_id] = CallEmpty(channel, name, admin, request_id).error_code();
      method_of[request_id] = name;
      ++writes;
    }
  }
  EXPECT_GT(writes, 5);
  const std::map<std::string, v1::AuditEntry> trail = ReadTrail(channel, admin);
  for (const auto& [request_id, code] : called) {
    auto found = trail.find(request_id);
    ASSERT_NE(found, trail.end()) << method_of[request_id] << " has no audit entry";
    const v1::AuditEntry& entry = found->second;
    EXPECT_EQ(entry.method(), method_of[request_id]);
    EXPECT_EQ(entry.kind(), v1::AUDIT_KIND_WRITE) << request_id;
    EXPECT_EQ(entry.code(), CodeName(code)) << request_id;
    EXPECT_EQ(entry.subject(), "ee-admin");
    EXPECT_EQ(entry.principal_region().value(), "EE");
    EXPECT_NE(std::find(entry.roles().begin(), entry.roles().end(), "regional_admin"),
              entry.roles().end());
    EXPECT_EQ(entry.entry_hash().size(), 32u);
  }
  // The server's own walk of the chain agrees.
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  v1::VerifyAuditTrailResponse verdict;
  ASSERT_TRUE(v1::AuditService::NewStub(channel)
                  ->VerifyAuditTrail(&context, v1::VerifyAuditTrailRequest(), &verdict)
                  .ok());
  EXPECT_TRUE(verdict.ok()) << verdict.problem();
  EXPECT_GE(verdict.entries_checked(), writes);
}

INSTANTIATE_TEST_SUITE_P(
    AllServices, AuditEveryWriteTest,
    ::testing::Values(ServiceCase{"workforce", "slihub.workforce.v1.WorkforceService"},
                      ServiceCase{"placement", "slihub.placement.v1.PlacementService"},
                      ServiceCase{"datacollection",
                                  "slihub.datacollection.v1.DataCollectionService"},
                      ServiceCase{"peerreview", "slihub.peerreview.v1.PeerReviewService"}),
    [](const ::testing::TestParamInfo<ServiceCase>& info) { return info.param.service; });

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    admin_ = server_.IssueToken("ee-admin", {Role::kRegionalAdmin});
    hr_ = server_.IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
  }

  grpc::Status GetLa(const std::string& la, const std::string& request_id) {
    grpc::ClientContext context;
    PrepareContext(&context, hr_);
    context.AddMetadata("x-request-id", request_id);
    v1::GetLocalAuthorityRequest request;
    request.mutable_la_code()->set_value(la);
    v1::GetLocalAuthorityResponse response;
    return v1::ReferenceDataService::NewStub(server_.NewChannel())
        ->GetLocalAuthority(&context, request, &response);
  }

  ServiceProcess server_;
  std::string admin_;
  std::string hr_;
};

TEST_F(AuditTrailTest, CrossLaReadIsAuditedOwnLaReadIsNot) {
  ASSERT_TRUE(GetLa("873", "own-la-read").ok());
  ASSERT_TRUE(GetLa("874", "cross-la-read").ok());
  // Reads are appended without holding their answer: wait for the entry. Entries commit in
  // order, so once the later cross-LA read is there, the own-LA read would be too.
  std::map<std::string, v1::AuditEntry> trail;
  EXPECT_TRUE(WaitFor(
      [&] {
        trail = ReadTrail(server_.NewChannel(), admin_);
        return trail.count("cross-la-read") == 1;
      },
      absl::Seconds(10)));
  EXPECT_EQ(trail.count("own-la-read"), 0u);
  auto cross = trail.find("cross-la-read");
  ASSERT_NE(cross, trail.end());
  EXPECT_EQ(cross->second.kind(), v1::AUDIT_KIND_READ);
  EXPECT_EQ(cross->second.subject(), "873-hr-1");
  EXPECT_EQ(cross->second.principal_la().value(), "873");
  ASSERT_EQ(cross->second.las_size(), 1);
  EXPECT_EQ(cross->second.las(0).value(), "874");
  EXPECT_EQ(cross->second.code(), "OK");
  // The filters find it by LA and by subject.
  grpc::ClientContext context;
  PrepareContext(&context, admin_);
  v1::ListAuditEntriesRequest request;
  request.mutable_la_code()->set_value("874");
  v1::ListAuditEntriesResponse response;
  ASSERT_TRUE(v1::AuditService::NewStub(server_.NewChannel())
                  ->ListAuditEntries(&context, request, &response)
                  .ok());
  ASSERT_EQ(response.entries_size(), 1);
  EXPECT_EQ(response.entries(0).request_id(), "cross-la-read");
}

TEST_F(AuditTrailTest, OnlyTheRegionalAdminReadsTheTrail) {
  auto stub = v1::AuditService::NewStub(server_.NewChannel());
  grpc::ClientContext list_context;
  PrepareContext(&list_context, hr_);
  v1::ListAuditEntriesResponse listed;
  EXPECT_EQ(stub->ListAuditEntries(&list_context, v1::ListAuditEntriesRequest(), &listed)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext verify_context;
  PrepareContext(&verify_context, hr_);
  v1::VerifyAuditTrailResponse verified;
  EXPECT_EQ(stub->VerifyAuditTrail(&verify_context, v1::VerifyAuditTrailRequest(), &verified)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext anonymous;
  PrepareContext(&anonymous, "");
  EXPECT_EQ(stub->ListAuditEntries(&anonymous, v1::ListAuditEntriesRequest(), &listed)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuditTrailTest, AcknowledgedWritesKeepTheirEntriesThroughKillNine) {
  auto channel = server_.NewChannel();
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<std::string> acknowledged;  // request ids of successful writes
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      while (!stop.load()) {
        const int i = next.fetch_add(1);
        wf::RecordEmploymentPeriodRequest request;
        request.set_request_id(absl::StrCat("crash-", i));
        wf::EmploymentPeriod* period = request.mutable_period();
        period->set_record_id(absl::StrCat("crash-", i));
        period->set_swe_number(absl::StrCat("SW", 100000 + i));
        period->mutable_la_code()->set_value("873");
        period->set_employment_type(wf::EMPLOYMENT_TYPE_PERMANENT);
        period->set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
        period->mutable_start_date()->set_year(2020);
        period->mutable_start_date()->set_month(1);
        period->mutable_start_date()->set_day(1);
        period->set_child_and_family(true);
        grpc::ClientContext context;
        PrepareContext(&context, hr_);
        context.AddMetadata("x-request-id", absl::StrCat("kill-", i));
        wf::RecordEmploymentPeriodResponse response;
        if (wf::WorkforceService::NewStub(channel)
                ->RecordEmploymentPeriod(&context, request, &response)
                .ok()) {
          absl::MutexLock lock(&mu);
          acknowledged.push_back(absl::StrCat("kill-", i));
        }
      }
    });
  }
  const bool enough = WaitFor(
      [&] {
        absl::MutexLock lock(&mu);
        return acknowledged.size() >= 100;
      },
      absl::Seconds(60));
  ASSERT_TRUE(server_.process().Kill().ok());
  stop.store(true);
  for (std::thread& writer : writers) writer.join();
  ASSERT_TRUE(enough);

  ASSERT_TRUE(server_.Start().ok());
  const auto trail = ReadTrail(server_.NewChannel(), admin_);
  absl::MutexLock lock(&mu);
  for (const std::string& request_id : acknowledged) {
    auto found = trail.find(request_id);
    ASSERT_NE(found, trail.end()) << request_id << " was acknowledged but is not in the trail";
    EXPECT_EQ(found->second.code(), "OK");
    EXPECT_EQ(found->second.subject(), "873-hr-1");
  }
  const CliResult verified = RunCli(server_.data_dir(), {"audit", "verify", "--endpoint",
                                                         server_.endpoint(), "--token", admin_});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
}

// Copies the stopped server's audit trail file to `name`, runs `sql` on the copy with the append-only
// triggers dropped, and returns the copy's path.
std::string TamperedCopy(const std::string& dir, const std::string& original,
                         const std::string& name, const std::string& sql) {
  const std::string copy = dir + "/" + name;
  std::filesystem::copy_file(original, copy, std::filesystem::copy_options::overwrite_existing);
  if (std::filesystem::exists(original + "-wal")) {
    std::filesystem::copy_file(original + "-wal", copy + "-wal",
                               std::filesystem::copy_options::overwrite_existing);
  }
  auto db = store::SqliteDatabase::Open(copy);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return copy;
  absl::Status done = (*db)->Run(store::TxMode::kWrite, [&sql](store::Transaction& tx) {
    return tx.ExecuteScript("DROP TRIGGER audit_entries_no_update;"
                            "DROP TRIGGER audit_entries_no_delete;" + sql);
  });
  EXPECT_TRUE(done.ok()) << done;
  return copy;
}

TEST_F(AuditTrailTest, TamperingWithTheFileIsFoundOffline) {
  auto channel = server_.NewChannel();
  for (int i = 0; i < 6; ++i) {
    CallEmpty(channel, "/slihub.workforce.v1.WorkforceService/CreateEngagement", admin_,
              absl::StrCat("tamper-", i));
  }
  ASSERT_TRUE(server_.process().Signal(SIGTERM).ok());
  ASSERT_TRUE(server_.process().WaitForExit(absl::Seconds(20)).has_value());
  const std::string original = server_.data_dir() + "/workforce-audit.db";

  const CliResult intact = RunCli(server_.data_dir(), {"audit", "verify", "--audit-db", original});
  EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_NE(intact.out.find(": ok,"), std::string::npos) << intact.out;

  const std::string edited = TamperedCopy(
      server_.data_dir(), original, "edited.db",
      "UPDATE audit_entries SET code = 'OK', subject = 'someone' WHERE sequence = 3");
  const CliResult edit = RunCli(server_.data_dir(), {"audit", "verify", "--audit-db", edited});
  EXPECT_EQ(edit.exit_code, 1) << edit.out << edit.err;
  EXPECT_NE(edit.out.find("BROKEN at entry 3"), std::string::npos) << edit.out;

  const std::string removed = TamperedCopy(server_.data_dir(), original, "removed.db",
                                           "DELETE FROM audit_entries WHERE sequence = 4");
  const CliResult remove = RunCli(server_.data_dir(), {"audit", "verify", "--audit-db", removed});
  EXPECT_EQ(remove.exit_code, 1) << remove.out << remove.err;
  EXPECT_NE(remove.out.find("BROKEN at entry 4"), std::string::npos) << remove.out;

  const std::string reordered = TamperedCopy(
      server_.data_dir(), original, "reordered.db",
      "UPDATE audit_entries SET sequence = -1 WHERE sequence = 2;"
      "UPDATE audit_entries SET sequence = 2 WHERE sequence = 5;"
      "UPDATE audit_entries SET sequence = 5 WHERE sequence = -1");
  const CliResult reorder =
      RunCli(server_.data_dir(), {"audit", "verify", "--audit-db", reordered});
  EXPECT_EQ(reorder.exit_code, 1) << reorder.out << reorder.err;
  EXPECT_NE(reorder.out.find("BROKEN at entry 2"), std::string::npos) << reorder.out;

  // A truncated tail passes the chain alone, but not against the head the server logged.
  const std::string log = server_.process().ReadStderr();
  const size_t at = log.rfind("audit_chain_head_at_stop");
  ASSERT_NE(at, std::string::npos) << log;
  const std::string line = log.substr(at, log.find('\n', at) - at);
  const size_t seq_at = line.find("\"sequence\":");
  const size_t hash_at = line.find("\"hash\":\"");
  ASSERT_TRUE(seq_at != std::string::npos && hash_at != std::string::npos) << line;
  const std::string sequence =
      line.substr(seq_at + 11, line.find_first_not_of("0123456789", seq_at + 11) - seq_at - 11);
  const std::string hash = line.substr(hash_at + 8, 64);
  const std::string truncated = TamperedCopy(
      server_.data_dir(), original, "truncated.db",
      absl::StrCat("DELETE FROM audit_entries WHERE sequence >= ", std::stoll(sequence) - 1));
  const CliResult alone = RunCli(server_.data_dir(), {"audit", "verify", "--audit-db", truncated});
  EXPECT_EQ(alone.exit_code, 0) << alone.out << alone.err;
  const CliResult against_head =
      RunCli(server_.data_dir(), {"audit", "verify", "--audit-db", truncated, "--expect-head",
                                  absl::StrCat(sequence, ":", hash)});
  EXPECT_EQ(against_head.exit_code, 1) << against_head.out << against_head.err;
  EXPECT_NE(against_head.out.find("truncated"), std::string::npos) << against_head.out;
}

}  // namespace
}  // namespace slihub::testing
