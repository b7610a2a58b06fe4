// What TLS costs a unary call, against real servers (slihub-workforce, DiagnosticsService.Echo):
// per connection (a new channel, hence a new TCP connection and handshake, for every call) and
// per call on a warm channel, TLS beside plaintext in the same run.
//   build/tests/integration/tls_benchmark [--benchmark_min_time=2]
#include <cstdio>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "grpcpp/create_channel.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

// One TLS and one plaintext server for the whole run, with a regional admin token each.
struct Servers {
  ServiceProcess tls{[] {
    ServiceProcessOptions options;
    options.tls = true;
    return options;
  }()};
  ServiceProcess plain{[] {
    ServiceProcessOptions options;
    options.tls = false;
    return options;
  }()};
  std::string tls_token;
  std::string plain_token;
};

Servers& Shared() {
  static Servers* servers = [] {
    auto* s = new Servers();
    if (!s->tls.Start().ok() || !s->plain.Start().ok()) {
      std::fprintf(stderr, "cannot start the servers\n");
      std::abort();
    }
    s->tls_token = s->tls.IssueToken("bench-admin", {Role::kRegionalAdmin});
    s->plain_token = s->plain.IssueToken("bench-admin", {Role::kRegionalAdmin});
    return s;
  }();
  return *servers;
}

// A channel of its own (a local subchannel pool: no connection shared with another channel).
std::shared_ptr<grpc::Channel> OwnChannel(const ServiceProcess& server) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(server.endpoint(),
                                   server.tls_enabled() ? TestTlsCredentials()
                                                        : grpc::InsecureChannelCredentials(),
                                   args);
}

bool Echo(v1::DiagnosticsService::Stub* stub, const std::string& token) {
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(5));
  v1::EchoRequest request;
  request.set_message("ping");
  v1::EchoResponse response;
  return stub->Echo(&context, request, &response).ok();
}

void Run(benchmark::State& state, bool tls, bool new_channel_each_call) {
  Servers& servers = Shared();
  const ServiceProcess& server = tls ? servers.tls : servers.plain;
  const std::string& token = tls ? servers.tls_token : servers.plain_token;
  auto warm = v1::DiagnosticsService::NewStub(OwnChannel(server));
  if (!Echo(warm.get(), token)) state.SkipWithError("echo failed");
  for (auto _ : state) {
    if (new_channel_each_call) {
      auto stub = v1::DiagnosticsService::NewStub(OwnChannel(server));
      if (!Echo(stub.get(), token)) state.SkipWithError("echo failed");
    } else if (!Echo(warm.get(), token)) {
      state.SkipWithError("echo failed");
    }
  }
  state.SetLabel(tls ? "tls" : "plaintext");
}

void BM_EchoNewConnectionTls(benchmark::State& state) { Run(state, true, true); }
void BM_EchoNewConnectionPlaintext(benchmark::State& state) { Run(state, false, true); }
void BM_EchoWarmChannelTls(benchmark::State& state) { Run(state, true, false); }
void BM_EchoWarmChannelPlaintext(benchmark::State& state) { Run(state, false, false); }

BENCHMARK(BM_EchoNewConnectionTls)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_EchoNewConnectionPlaintext)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_EchoWarmChannelTls)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_EchoWarmChannelPlaintext)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace slihub::testing

BENCHMARK_MAIN();
