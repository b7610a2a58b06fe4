// A real service process: start-up, health, configuration errors, graceful shutdown.
#include <signal.h>

#include <sys/stat.h>

#include <fstream>
#include <future>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

grpc::Status Echo(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                  const std::string& message, absl::Duration delay, v1::EchoResponse* response) {
  auto stub = v1::DiagnosticsService::NewStub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(30));
  v1::EchoRequest request;
  request.set_message(message);
  request.mutable_delay()->set_seconds(absl::ToInt64Seconds(delay));
  request.mutable_delay()->set_nanos(
      static_cast<int>(absl::ToInt64Nanoseconds(delay - absl::Seconds(absl::ToInt64Seconds(delay)))));
  return stub->Echo(&context, request, response);
}

TEST(LifecycleTest, EveryServiceStartsAndReportsServingPerService) {
  const std::pair<std::string, std::string> services[] = {
      {"workforce", "slihub.workforce.v1.WorkforceService"},
      {"placement", "slihub.placement.v1.PlacementService"},
      {"datacollection", "slihub.datacollection.v1.DataCollectionService"},
      {"peerreview", "slihub.peerreview.v1.PeerReviewService"}};
  for (const auto& [name, grpc_name] : services) {
    ServiceProcessOptions options;
    options.service = name;
    ServiceProcess server(options);
    ASSERT_TRUE(server.Start().ok()) << name;
    auto channel = server.NewChannel();
    EXPECT_EQ(HealthStatus(channel), "SERVING");
    EXPECT_EQ(HealthStatus(channel, grpc_name), "SERVING");
    EXPECT_EQ(HealthStatus(channel, "slihub.dependency.store"), "SERVING");
    EXPECT_TRUE(absl::StrContains(HealthStatus(channel, "no.such.Service"), "error 5"));
  }
}

TEST(LifecycleTest, ShutdownLetsInFlightCallsFinishThenExitsCleanly) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});
  auto channel = server.NewChannel();

  v1::EchoResponse response;
  auto in_flight = std::async(std::launch::async, [&] {
    return Echo(channel, token, "still here", absl::Milliseconds(1500), &response);
  });
  absl::SleepFor(absl::Milliseconds(400));  // the call is now sleeping on a worker
  const absl::Time sent = absl::Now();
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());

  grpc::Status status = in_flight.get();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.message(), "still here");

  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->success()) << exit->ToString();
  EXPECT_LT(absl::Now() - sent, absl::Seconds(5));
  const std::string log = server.process().ReadStderr();
  EXPECT_TRUE(absl::StrContains(log, "\"event\":\"shutdown_started\"")) << log;
  EXPECT_TRUE(absl::StrContains(log, "\"event\":\"shutdown_complete\"")) << log;

  v1::EchoResponse after;
  EXPECT_EQ(Echo(server.NewChannel(), token, "late", absl::ZeroDuration(), &after).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(LifecycleTest, ShutdownCancelsCallsThatOutlastTheGracePeriod) {
  ServiceProcessOptions options;
  options.shutdown_grace_ms = 300;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});
  auto channel = server.NewChannel();

  v1::EchoResponse response;
  auto in_flight = std::async(std::launch::async, [&] {
    return Echo(channel, token, "too slow", absl::Seconds(8), &response);
  });
  absl::SleepFor(absl::Milliseconds(400));
  const absl::Time sent = absl::Now();
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());
  auto exit = server.process().WaitForExit(absl::Seconds(5));
  ASSERT_TRUE(exit.has_value()) << "the server did not stop within its bound";
  EXPECT_TRUE(exit->success()) << exit->ToString();
  EXPECT_LT(absl::Now() - sent, absl::Seconds(3));
  EXPECT_FALSE(in_flight.get().ok());
}

// The reference data flag every start needs.
std::string ReferenceDataArg() {
  return std::string("--reference-data=") + SLIHUB_SOURCE_DIR +
         "/deploy/reference/local_authorities.csv";
}

// A complete EE command line serving `data_dir` on `listen` (host:port).
std::vector<std::string> ServeArgs(const std::string& listen, const std::string& data_dir) {
  return {"--hub-region=EE", "--listen=" + listen, "--data-dir=" + data_dir, ReferenceDataArg()};
}

TEST(LifecycleTest, MissingRequiredSettingFailsFastWithOneLineNamingIt) {
  ServiceProcess server;
  ASSERT_TRUE(server.StartRaw({"--listen=127.0.0.1:" + std::to_string(PickFreePort()),
                               "--data-dir=" + server.data_dir(), ReferenceDataArg()})
                  .ok());
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 2);
  const std::string err = server.process().ReadStderr();
  EXPECT_TRUE(absl::StrContains(err, "--hub-region")) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(LifecycleTest, BadSettingsFailFast) {
  const std::string reference = ReferenceDataArg();
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string expected;
  } cases[] = {
      {{"--hub-region=XX", "--listen=127.0.0.1:1", reference}, {}, "--hub-region"},
      {{"--hub-region=EE", "--listen=127.0.0.1:1", reference}, {{"SLIHUB_WORKRES", "2"}},
       "SLIHUB_WORKRES"},
      {{"--hub-region=EE", "--listen=127.0.0.1:1", "--reference-data=/nonexistent.csv"},
       {},
       "--reference-data"},
      {{"--hub-region=EE", "--listen=127.0.0.1:1", reference, "--redis=nohost"}, {}, "--redis"},
      {{"--hub-region=EE", "--listen=127.0.0.1:1", reference,
        "--service-endpoint=datacollection=127.0.0.1:1", "--service-token-file=/nonexistent"},
       {},
       "--service-token-file"},
  };
  for (const Case& c : cases) {
    ServiceProcess server;
    std::vector<std::string> args = c.args;
    args.push_back("--data-dir=" + server.data_dir());
    ASSERT_TRUE(server.StartRaw(args, c.env).ok());
    auto exit = server.process().WaitForExit(absl::Seconds(10));
    ASSERT_TRUE(exit.has_value());
    EXPECT_EQ(exit->exit_code, 2) << c.expected;
    EXPECT_TRUE(absl::StrContains(server.process().ReadStderr(), c.expected))
        << server.process().ReadStderr();
  }
}

TEST(LifecycleTest, PortInUseIsAStartupFailure) {
  ServiceProcess first;
  ASSERT_TRUE(first.Start().ok());
  ServiceProcess second;
  ASSERT_TRUE(second.StartRaw(ServeArgs(first.endpoint(), second.data_dir())).ok());
  auto exit = second.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(second.process().ReadStderr(), "listen"));
}

TEST(LifecycleTest, ASecondServerOnTheSameDataDirectoryIsRefused) {
  // Its caches would not hear the first server's writes (and the first's not its own).
  ServiceProcess first;
  ASSERT_TRUE(first.Start().ok());
  ServiceProcess second;
  ASSERT_TRUE(second
                  .StartRaw(ServeArgs("127.0.0.1:" + std::to_string(PickFreePort()),
                                      first.data_dir()))
                  .ok());
  auto exit = second.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(second.process().ReadStderr(), "another process is serving"))
      << second.process().ReadStderr();
  EXPECT_EQ(HealthStatus(first.NewChannel()), "SERVING");

  // Once the first has gone (even killed), the directory can be served again.
  ASSERT_TRUE(first.process().Kill().ok());
  ServiceProcess third;
  const std::string third_endpoint = "127.0.0.1:" + std::to_string(PickFreePort());
  ASSERT_TRUE(third.StartRaw(ServeArgs(third_endpoint, first.data_dir())).ok());
  auto channel = grpc::CreateChannel(third_endpoint, grpc::InsecureChannelCredentials());
  EXPECT_TRUE(WaitFor([&] { return HealthStatus(channel) == "SERVING"; }, absl::Seconds(20),
                      absl::Milliseconds(50)))
      << third.process().ReadStderr();
}

TEST(LifecycleTest, AMissingIdentityDatabaseIsRefusedNotCreated) {
  // A mistyped --identity-db must not start a server on an empty token table.
  ServiceProcess server;
  const std::string typo = server.data_dir() + "/identty.db";
  std::vector<std::string> args = ServeArgs("127.0.0.1:" + std::to_string(PickFreePort()),
                                            server.data_dir());
  args.push_back("--identity-db=" + typo);
  ASSERT_TRUE(server.StartRaw(args).ok());
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 1);
  const std::string err = server.process().ReadStderr();
  EXPECT_TRUE(absl::StrContains(err, "identity database " + typo + " does not exist")) << err;
  // One line for people (the other is the JSON log's startup_failed line).
  EXPECT_TRUE(absl::StartsWith(err, "slihub-workforce: cannot start: identity database: "))
      << err;
  EXPECT_EQ(err.find('\n'), err.find("\n{")) << err;
  struct stat info;
  EXPECT_NE(stat(typo.c_str(), &info), 0) << "the server created " << typo;
}

// Every line of `path`, or none when it cannot be read.
std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int64_t FileSize(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? info.st_size : -1;
}

TEST(LifecycleTest, TheLogFileRotatesAtItsLimitAndHoldsOnlyJsonLines) {
  TempDir logs("slihub-logs");
  const std::string log = logs.Join("workforce.log");
  ServiceProcessOptions options;
  options.extra_args = {"--log-file=" + log, "--log-max-bytes=16384", "--log-keep=2"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});
  auto stub = v1::DiagnosticsService::NewStub(server.NewChannel());
  for (int i = 0; i < 400; ++i) {  // one ~250-byte "rpc" line each: ~100 KB, past 3 x 16 KB
    grpc::ClientContext context;
    PrepareContext(&context, token);
    v1::EchoRequest request;
    request.set_message("hello");
    v1::EchoResponse response;
    ASSERT_TRUE(stub->Echo(&context, request, &response).ok());
  }
  // A string field holding invalid UTF-8: libprotobuf reports it through its own log handler.
  grpc::GenericStub generic(server.NewChannel());
  const std::string body("\x0a\x02\xff\xfe", 4);  // EchoRequest.message = 0xff 0xfe
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  PrepareContext(&context, token);
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/slihub.common.v1.DiagnosticsService/Echo", grpc::StubOptions(),
                    &request, &response,
                    [&done](grpc::Status status) { done.set_value(std::move(status)); });
  EXPECT_FALSE(done.get_future().get().ok());

  EXPECT_TRUE(WaitFor(
      [&] {
        for (const std::string& line : Lines(log)) {
          if (absl::StrContains(line, "\"library_log\"") &&
              absl::StrContains(line, "\"source\":\"protobuf\"") &&
              absl::StrContains(line, "invalid UTF-8")) {
            return true;
          }
        }
        return false;
      },
      absl::Seconds(5)))
      << "no protobuf library_log line in " << log;
  for (const std::string& path : {log, log + ".1", log + ".2"}) {
    EXPECT_GT(FileSize(path), 8000) << path;
    EXPECT_LE(FileSize(path), 16384) << path;
    for (const std::string& line : Lines(path)) {
      ASSERT_FALSE(line.empty()) << path;
      EXPECT_EQ(line.front(), '{') << path << ": " << line;
      EXPECT_EQ(line.back(), '}') << path << ": " << line;
    }
  }
  EXPECT_EQ(FileSize(log + ".3"), -1) << "only --log-keep=2 rotated files are kept";
  EXPECT_FALSE(absl::StrContains(server.process().ReadStderr(), "libprotobuf"))
      << server.process().ReadStderr();
}

}  // namespace
}  // namespace slihub::testing
