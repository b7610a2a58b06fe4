// A store that cannot write (a full disk) as a real server and its health checks see it. The disk
// is made full for the server process alone with RLIMIT_FSIZE (prlimit on its pid): every write
// to a file fails with EFBIG, as SQLite's writes fail on a full disk, while reads still work.
#include <signal.h>
#include <sys/resource.h>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;
namespace wf = ::slihub::workforce::v1;

// Records a register check for `swe`: one committed write to the service's store.
grpc::Status RecordCheck(ServiceProcess& server, const std::string& token,
                         const std::string& swe) {
  auto stub = wf::WorkforceService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, token);
  wf::RecordRegisterCheckRequest check;
  check.set_request_id("disk-full-" + swe);
  check.set_swe_number(swe);
  check.set_status(wf::REGISTER_STATUS_REGISTERED);
  check.mutable_checked_at()->set_seconds(1764547200);  // 1 Dec 2025
  wf::RecordRegisterCheckResponse recorded;
  return stub->RecordRegisterCheck(&context, check, &recorded);
}

// The store's row of GetServerStatus, or an empty one.
v1::Dependency StoreStatus(ServiceProcess& server, const std::string& token) {
  auto stub = v1::DiagnosticsService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, token);
  v1::GetServerStatusResponse status;
  if (!stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &status).ok()) return {};
  for (const auto& dep : status.dependencies()) {
    if (dep.name() == "store") return dep;
  }
  return {};
}

TEST(DiskFullTest, FailingWritesDegradeTheStoreUntilWritesSucceedAgain) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string hr = server.IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto channel = server.NewChannel();
  ASSERT_TRUE(RecordCheck(server, hr, "SW7001").ok());
  ASSERT_EQ(HealthStatus(channel, "slihub.dependency.store"), "SERVING");

  // The disk is full: no file of the server may grow past offset 0 any more.
  const pid_t pid = server.process().pid();
  struct rlimit unlimited;
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, nullptr, &unlimited), 0);
  struct rlimit full = unlimited;
  full.rlim_cur = 0;
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, &full, nullptr), 0);

  EXPECT_FALSE(RecordCheck(server, hr, "SW7002").ok());
  EXPECT_TRUE(WaitFor(
      [&] { return HealthStatus(channel, "slihub.dependency.store") == "NOT_SERVING"; },
      absl::Seconds(10)));
  const v1::Dependency degraded = StoreStatus(server, admin);
  EXPECT_EQ(degraded.state(), v1::DEPENDENCY_STATE_DEGRADED);
  EXPECT_TRUE(absl::StrContains(degraded.detail(), "writes fail")) << degraded.detail();
  // Reads are still served, so the server as a whole stays SERVING.
  EXPECT_EQ(HealthStatus(channel), "SERVING");
  EXPECT_TRUE(server.process().running()) << "SIGXFSZ must not kill the server";

  // Space again: the store recovers by itself, and writes work.
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, &unlimited, nullptr), 0);
  EXPECT_TRUE(WaitFor(
      [&] { return HealthStatus(channel, "slihub.dependency.store") == "SERVING"; },
      absl::Seconds(10)));
  EXPECT_EQ(StoreStatus(server, admin).state(), v1::DEPENDENCY_STATE_UP);
  EXPECT_TRUE(RecordCheck(server, hr, "SW7003").ok());
}

}  // namespace
}  // namespace slihub::testing
