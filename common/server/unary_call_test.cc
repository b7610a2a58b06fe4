// HandleUnary's non-blocking first try, over real gRPC on loopback: an answer from the first try
// never touches the worker pool; a declined try falls back to the pool; a caller without a token
// reaches neither.
#include "common/server/unary_call.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/worker_pool.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_codec.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"

namespace slihub {
namespace {

namespace v1 = ::slihub::common::v1;

constexpr char kToken[] = "slh_unary-call-test";

// Echo through the two-body HandleUnary: the first try answers "fast:<message>" unless the
// message is "miss"; the pool body answers "pool:<message>". Counts the calls of each.
class TwoPathEcho final : public v1::DiagnosticsService::CallbackService {
 public:
  explicit TwoPathEcho(CallRuntime runtime) : runtime_(runtime) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const v1::EchoRequest* request,
                                 v1::EchoResponse* response) override {
    return HandleUnary(
        runtime_, context, MethodSpec{"/slihub.common.v1.DiagnosticsService/Echo", {}},
        [this, request, response](const CallInfo&) -> std::optional<absl::Status> {
          ++tries;
          if (request->message() == "miss") return std::nullopt;
          response->set_message("fast:" + request->message());
          return absl::OkStatus();
        },
        [this, request, response](const CallInfo&) {
          ++pool_runs;
          response->set_message("pool:" + request->message());
          return absl::OkStatus();
        });
  }

  std::atomic<int> tries{0};
  std::atomic<int> pool_runs{0};

 private:
  CallRuntime runtime_;
};

class UnaryCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ConfigureLogging(LogLevel::kWarning, "test", "EE");
    authenticator_ = std::make_unique<Authenticator>(
        []() -> absl::StatusOr<std::vector<ActiveToken>> {
          Principal p;
          p.subject = "test";
          p.region_code = "EE";
          p.roles = {Role::kReader};
          return std::vector<ActiveToken>{{HashToken(kToken), p}};
        },
        absl::Hours(1));
    ASSERT_TRUE(authenticator_->Start().ok());
    pool_ = std::make_unique<WorkerPool>(1, 16);
    service_ = std::make_unique<TwoPathEcho>(
        CallRuntime{authenticator_.get(), pool_.get(), "EE", false, {}});
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::DiagnosticsService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    server_->Shutdown();
    if (!release_.HasBeenNotified()) release_.Notify();
    pool_->Shutdown();
  }

  grpc::Status Call(const std::string& message, std::string* answer,
                    std::chrono::seconds deadline = std::chrono::seconds(10)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    context.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::EchoRequest request;
    request.set_message(message);
    v1::EchoResponse response;
    grpc::Status status = stub_->Echo(&context, request, &response);
    *answer = response.message();
    return status;
  }

  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<TwoPathEcho> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::DiagnosticsService::Stub> stub_;
  absl::Notification holding_;  // the pool's thread has started the holding task
  absl::Notification release_;  // lets the holding task end
};

TEST_F(UnaryCallTest, AnAnswerFromTheFirstTryNeverWaitsForThePool) {
  // The pool's only thread is held, so anything sent to the pool would wait. The test waits
  // until the holding task runs (else the call could slip in before it), and the notifications
  // live in the fixture, which outlives the pool's threads (TearDown joins them).
  ASSERT_TRUE(pool_->TrySubmit([this] {
    holding_.Notify();
    release_.WaitForNotification();
  }));
  holding_.WaitForNotification();
  std::string answer;
  grpc::Status status = Call("hit", &answer, std::chrono::seconds(5));
  release_.Notify();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer, "fast:hit");
  EXPECT_EQ(service_->tries.load(), 1);
  EXPECT_EQ(service_->pool_runs.load(), 0);
}

TEST_F(UnaryCallTest, ADeclinedFirstTryFallsBackToThePool) {
  std::string answer;
  grpc::Status status = Call("miss", &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer, "pool:miss");
  EXPECT_EQ(service_->tries.load(), 1);
  EXPECT_EQ(service_->pool_runs.load(), 1);
}

TEST_F(UnaryCallTest, AnUnauthenticatedCallRunsNeitherBody) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::EchoRequest request;
  request.set_message("hit");
  v1::EchoResponse response;
  EXPECT_EQ(stub_->Echo(&context, request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(service_->tries.load(), 0);
  EXPECT_EQ(service_->pool_runs.load(), 0);
}

}  // namespace
}  // namespace slihub
