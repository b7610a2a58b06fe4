// Back-pressure, message size and a failed store, as a client of a real server sees them.
#include <unistd.h>

#include <future>
#include <vector>

#include "absl/strings/match.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

grpc::Status Echo(ServiceProcess& server, const std::string& token, const std::string& message,
                  int delay_ms) {
  auto stub = v1::DiagnosticsService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, token);
  v1::EchoRequest request;
  request.set_message(message);
  request.mutable_delay()->set_seconds(delay_ms / 1000);
  request.mutable_delay()->set_nanos((delay_ms % 1000) * 1000000);
  v1::EchoResponse response;
  return stub->Echo(&context, request, &response);
}

TEST(LimitsTest, AFullWorkerQueueAnswersResourceExhaustedAndRecovers) {
  ServiceProcessOptions options;
  options.extra_args = {"--workers=1", "--max-queued=1"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});

  // One call occupies the only worker, one waits in the queue; the rest are refused at once.
  std::vector<std::future<grpc::Status>> calls;
  for (int i = 0; i < 6; ++i) {
    calls.push_back(std::async(std::launch::async, [&] { return Echo(server, token, "x", 2500); }));
  }
  int ok = 0, exhausted = 0;
  for (auto& call : calls) {
    grpc::Status status = call.get();
    if (status.ok()) ++ok;
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++exhausted;
      EXPECT_EQ(GetErrorReason(FromGrpcStatus(status)), "SERVER_BUSY");
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_LE(ok, 2);
  EXPECT_EQ(ok + exhausted, 6);
  EXPECT_TRUE(Echo(server, token, "after", 0).ok());
}

TEST(LimitsTest, OversizedRequestIsRefusedWithoutHarm) {
  ServiceProcessOptions options;
  options.extra_args = {"--max-message-bytes=2048"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});
  EXPECT_EQ(Echo(server, token, std::string(4096, 'a'), 0).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Echo(server, token, "small", 0).ok());
}

TEST(LimitsTest, ALostStoreMakesTheServerNotServingAndSaysWhy) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto channel = server.NewChannel();
  ASSERT_EQ(HealthStatus(channel), "SERVING");

  ASSERT_EQ(::unlink((server.data_dir() + "/workforce.db").c_str()), 0);
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(channel) == "NOT_SERVING"; }, absl::Seconds(10)));
  EXPECT_EQ(HealthStatus(channel, "slihub.workforce.v1.WorkforceService"), "NOT_SERVING");
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency.store"), "NOT_SERVING");

  auto stub = v1::DiagnosticsService::NewStub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  v1::GetServerStatusResponse status;
  ASSERT_TRUE(stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &status).ok());
  EXPECT_FALSE(status.serving());
  bool saw_store = false;
  for (const auto& dep : status.dependencies()) {
    if (dep.name() != "store") continue;
    saw_store = true;
    EXPECT_EQ(dep.state(), v1::DEPENDENCY_STATE_DOWN);
    EXPECT_FALSE(dep.detail().empty());
  }
  EXPECT_TRUE(saw_store);
}

}  // namespace
}  // namespace slihub::testing
