// Redis stopped and restarted under a running service: it keeps answering, and says why.
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/common/v1/reference_data_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/free_port.h"
#include "tests/support/redis_server.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

const v1::Dependency* FindDependency(const v1::GetServerStatusResponse& status,
                                     const std::string& name) {
  for (const auto& dep : status.dependencies()) {
    if (dep.name() == name) return &dep;
  }
  return nullptr;
}

class RedisOutageTest : public ::testing::Test {
 protected:
  v1::GetServerStatusResponse Status(ServiceProcess& server, const std::string& token) {
    auto stub = v1::DiagnosticsService::NewStub(server.NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, token);
    v1::GetServerStatusResponse response;
    grpc::Status status = stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  v1::DependencyState RedisState(ServiceProcess& server, const std::string& token,
                                 std::string* detail = nullptr) {
    v1::GetServerStatusResponse status = Status(server, token);
    const v1::Dependency* redis = FindDependency(status, "redis");
    if (redis == nullptr) return v1::DEPENDENCY_STATE_UNSPECIFIED;
    if (detail != nullptr) *detail = redis->detail();
    return redis->state();
  }

  bool LookupWorks(ServiceProcess& server, const std::string& token) {
    auto stub = v1::ReferenceDataService::NewStub(server.NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, token, absl::Seconds(3));
    v1::GetLocalAuthorityRequest request;
    request.mutable_la_code()->set_value("926");
    v1::GetLocalAuthorityResponse response;
    return stub->GetLocalAuthority(&context, request, &response).ok() &&
           response.local_authority().name() == "Norfolk";
  }
};

TEST_F(RedisOutageTest, ServiceKeepsAnsweringWhileRedisIsDownAndRecovers) {
  auto started = RedisServer::Start();
  ASSERT_TRUE(started.ok()) << started.status();
  RedisServer& redis = **started;
  ServiceProcessOptions options;
  options.redis_port = redis.port();
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto channel = server.NewChannel();
  ASSERT_TRUE(WaitFor([&] { return RedisState(server, admin) == v1::DEPENDENCY_STATE_UP; },
                      absl::Seconds(5)));
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency.redis"), "SERVING");

  ASSERT_TRUE(redis.Kill().ok());
  std::string detail;
  ASSERT_TRUE(WaitFor(
      [&] { return RedisState(server, admin, &detail) == v1::DEPENDENCY_STATE_DEGRADED; },
      absl::Seconds(10)));
  EXPECT_FALSE(detail.empty());
  EXPECT_TRUE(LookupWorks(server, admin));
  EXPECT_EQ(HealthStatus(channel), "SERVING");  // Redis is a cache: still correct, slower
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency.redis"), "NOT_SERVING");
  EXPECT_TRUE(Status(server, admin).serving());

  ASSERT_TRUE(redis.Restart().ok());
  ASSERT_TRUE(WaitFor([&] { return RedisState(server, admin) == v1::DEPENDENCY_STATE_UP; },
                      absl::Seconds(10)));
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency.redis"), "SERVING");
  EXPECT_TRUE(LookupWorks(server, admin));
}

TEST_F(RedisOutageTest, ServiceStartsDegradedWhenRedisWasNeverThere) {
  ServiceProcessOptions options;
  options.redis_port = PickFreePort();  // nothing listens here
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  ASSERT_TRUE(WaitFor([&] { return RedisState(server, admin) == v1::DEPENDENCY_STATE_DEGRADED; },
                      absl::Seconds(10)));
  EXPECT_TRUE(LookupWorks(server, admin));
  EXPECT_EQ(HealthStatus(server.NewChannel()), "SERVING");
}

}  // namespace
}  // namespace slihub::testing
