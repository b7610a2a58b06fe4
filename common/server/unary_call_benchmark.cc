// The cost of slihub's common call path (authentication, authorization, worker-pool hop,
// status mapping, one log line) over real gRPC on loopback, beside a bare callback Echo that
// does none of it (the baseline), measured in the same run. The *Intercepted variants run the
// same services on a server with hub_server's interceptor (UnparsedRequestInterceptorFactory).
#include <time.h>

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/base/log.h"
#include "common/base/worker_pool.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_codec.h"
#include "common/refdata/reference_data.h"
#include "common/server/diagnostics_service.h"
#include "common/server/reference_data_service.h"
#include "common/server/unparsed_request_interceptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace slihub {
namespace {

namespace v1 = ::slihub::common::v1;

// The baseline: Echo answered on the reaction thread with no slihub machinery at all.
class BareEchoService final : public v1::DiagnosticsService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const v1::EchoRequest* request,
                                 v1::EchoResponse* response) override {
    response->set_message(request->message());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

constexpr char kToken[] = "slh_benchmark-token";

// One in-process server per service under test, on an ephemeral loopback port.
struct Fixture {
  Fixture() {
    ConfigureLogging(LogLevel::kWarning, "benchmark", "EE");  // per-call lines are info
    reference = *ReferenceData::LoadFromFile(SLIHUB_SOURCE_DIR
                                             "/deploy/reference/local_authorities.csv");
    authenticator = std::make_unique<Authenticator>(
        []() -> absl::StatusOr<std::vector<ActiveToken>> {
          Principal p;
          p.subject = "bench";
          p.region_code = "EE";
          p.roles = {Role::kReader};
          return std::vector<ActiveToken>{{HashToken(kToken), p}};
        },
        absl::Hours(1));
    (void)authenticator->Start();
    pool = std::make_unique<WorkerPool>(4, 4096);
    CallRuntime runtime{authenticator.get(), pool.get(), "EE", false, {}};
    diagnostics = std::make_unique<DiagnosticsServiceImpl>(
        ServerIdentity{"benchmark", "EE", absl::Now(), "bench"}, &monitor, runtime);
    references = std::make_unique<ReferenceDataServiceImpl>(reference.get(), runtime);
    slihub_server = Start({diagnostics.get(), references.get()}, &slihub_port);
    bare_server = Start({&bare}, &bare_port);
    intercepted_diagnostics = std::make_unique<DiagnosticsServiceImpl>(
        ServerIdentity{"benchmark", "EE", absl::Now(), "bench"}, &monitor, runtime);
    intercepted_slihub_server =
        Start({intercepted_diagnostics.get()}, &intercepted_slihub_port, true);
    intercepted_bare_server = Start({&intercepted_bare}, &intercepted_bare_port, true);
  }

  std::unique_ptr<grpc::Server> Start(std::vector<grpc::Service*> services, int* port,
                                      bool intercepted = false) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
    for (grpc::Service* s : services) builder.RegisterService(s);
    if (intercepted) {
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> list;
      list.push_back(std::make_unique<UnparsedRequestInterceptorFactory>());
      builder.experimental().SetInterceptorCreators(std::move(list));
    }
    return builder.BuildAndStart();
  }

  std::shared_ptr<grpc::Channel> Channel(int port) {
    return grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                               grpc::InsecureChannelCredentials());
  }

  std::unique_ptr<ReferenceData> reference;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<WorkerPool> pool;
  DependencyMonitor monitor;
  std::unique_ptr<DiagnosticsServiceImpl> diagnostics;
  std::unique_ptr<ReferenceDataServiceImpl> references;
  std::unique_ptr<DiagnosticsServiceImpl> intercepted_diagnostics;
  BareEchoService bare;
  BareEchoService intercepted_bare;
  int slihub_port = 0;
  int bare_port = 0;
  int intercepted_slihub_port = 0;
  int intercepted_bare_port = 0;
  std::unique_ptr<grpc::Server> slihub_server;
  std::unique_ptr<grpc::Server> bare_server;
  std::unique_ptr<grpc::Server> intercepted_slihub_server;
  std::unique_ptr<grpc::Server> intercepted_bare_server;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

// CPU time used so far by the whole process (client, server and gRPC threads), in microseconds.
double ProcessCpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

void RunEcho(benchmark::State& state, int port, bool with_token) {
  auto stub = v1::DiagnosticsService::NewStub(Shared().Channel(port));
  v1::EchoRequest request;
  request.set_message("ping");
  const double cpu_start = ProcessCpuMicros();
  for (auto _ : state) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (with_token) context.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::EchoResponse response;
    grpc::Status status = stub->Echo(&context, request, &response);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
  // Less sensitive to a busy machine than wall time: every thread's CPU per call.
  state.counters["process_cpu_us_per_call"] =
      (ProcessCpuMicros() - cpu_start) / static_cast<double>(state.iterations());
}

void BM_BareEcho_Baseline(benchmark::State& state) { RunEcho(state, Shared().bare_port, false); }
void BM_SlihubEcho(benchmark::State& state) { RunEcho(state, Shared().slihub_port, true); }
void BM_BareEchoIntercepted(benchmark::State& state) {
  RunEcho(state, Shared().intercepted_bare_port, false);
}
void BM_SlihubEchoIntercepted(benchmark::State& state) {
  RunEcho(state, Shared().intercepted_slihub_port, true);
}

void BM_SlihubGetLocalAuthority(benchmark::State& state) {
  auto stub = v1::ReferenceDataService::NewStub(Shared().Channel(Shared().slihub_port));
  v1::GetLocalAuthorityRequest request;
  request.mutable_la_code()->set_value("873");
  for (auto _ : state) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    context.AddMetadata("authorization", std::string("Bearer ") + kToken);
    v1::GetLocalAuthorityResponse response;
    grpc::Status status = stub->GetLocalAuthority(&context, request, &response);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
}

BENCHMARK(BM_BareEcho_Baseline)->UseRealTime();
BENCHMARK(BM_SlihubEcho)->UseRealTime();
BENCHMARK(BM_BareEchoIntercepted)->UseRealTime();
BENCHMARK(BM_SlihubEchoIntercepted)->UseRealTime();
BENCHMARK(BM_SlihubGetLocalAuthority)->UseRealTime();

}  // namespace
}  // namespace slihub

BENCHMARK_MAIN();
