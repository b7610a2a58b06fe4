// MatchPlacements through the real binary over gRPC, against a synthetic register written straight
// into the server's SQLite file while it runs (the candidate cache picks the rows up from the
// change sequence). Baselines in the same run: the same filter-and-rank as one SQL query on the
// server's own file, and DiagnosticsService.Echo on the same server (the cost of a call with
// authentication and the worker pool). Each reports p50/p99 and calls per second.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/store/sqlite_database.h"
#include "google/protobuf/arena.h"
#include "services/placement/synthetic_register.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what.c_str());
  std::exit(1);
}

// One running server with `n` synthetic vacancies and an open referral, per size.
struct Hub {
  std::unique_ptr<ServiceProcess> server;
  std::unique_ptr<store::Database> db;  // the server's own file, opened alongside it
  std::string token;
  std::string referral_id;
  std::unique_ptr<pb::PlacementService::Stub> stub;
  std::unique_ptr<common::v1::DiagnosticsService::Stub> diagnostics;

  static Hub& Get(int n) {
    static auto* hubs = new std::map<int, std::unique_ptr<Hub>>();
    auto& slot = (*hubs)[n];
    if (!slot) slot = Make(n);
    return *slot;
  }

  static std::unique_ptr<Hub> Make(int n) {
    auto hub = std::make_unique<Hub>();
    ServiceProcessOptions options;
    options.service = "placement";
    hub->server = std::make_unique<ServiceProcess>(options);
    if (absl::Status st = hub->server->Start(); !st.ok()) Fail(st.ToString());
    auto db = store::SqliteDatabase::Open(hub->server->data_dir() + "/placement.db");
    if (!db.ok()) Fail(db.status().ToString());
    hub->db = std::move(*db);
    if (absl::Status st = placement::SeedSyntheticRegister(*hub->db, n, absl::Now()); !st.ok()) {
      Fail(st.ToString());
    }
    hub->token = hub->server->IssueToken("926-po", {Role::kPlacementOfficer}, "926");
    auto channel = hub->server->NewChannel();
    hub->stub = pb::PlacementService::NewStub(channel);
    hub->diagnostics = common::v1::DiagnosticsService::NewStub(channel);
    const pb::CreateReferralRequest req = BenchmarkReferralRequest();
    pb::CreateReferralResponse resp;
    grpc::ClientContext ctx;
    PrepareContext(&ctx, hub->token);
    grpc::Status st = hub->stub->CreateReferral(&ctx, req, &resp);
    if (!st.ok()) Fail(st.error_message());
    hub->referral_id = resp.referral().referral_id();
    return hub;
  }
};

template <typename Body>
void Timed(benchmark::State& state, Body body) {
  std::vector<double> micros;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    body();
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  state.SetItemsProcessed(state.iterations());
}

void BM_MatchPlacementsRpc(benchmark::State& state) {
  Hub& hub = Hub::Get(static_cast<int>(state.range(0)));
  pb::MatchPlacementsRequest req;
  req.set_referral_id(hub.referral_id);
  req.set_scope(common::v1::REGION_SCOPE_NATIONAL);
  req.mutable_page()->set_page_size(50);
  int matches = 0, candidates = 0;
  size_t bytes = 0;
  Timed(state, [&] {
    // The response (a page of explained matches, ~1 KB each) is parsed onto an arena, as a client
    // reading large answers would.
    google::protobuf::Arena arena;
    auto* resp = google::protobuf::Arena::CreateMessage<pb::MatchPlacementsResponse>(&arena);
    grpc::ClientContext ctx;
    PrepareContext(&ctx, hub.token, absl::Seconds(30));
    const grpc::Status st = hub.stub->MatchPlacements(&ctx, req, resp);
    if (!st.ok()) Fail(st.error_message());
    matches = resp->matches_size();
    candidates = resp->candidates();
    bytes = resp->ByteSizeLong();
  });
  state.counters["matches"] = matches;
  state.counters["candidates"] = candidates;
  state.counters["response_bytes"] = static_cast<double>(bytes);
}

void BM_MatchSqlBaseline(benchmark::State& state) {
  Hub& hub = Hub::Get(static_cast<int>(state.range(0)));
  size_t rows = 0;
  Timed(state, [&] {
    absl::StatusOr<size_t> matched = placement::RunSyntheticMatchSql(*hub.db, absl::Now());
    if (!matched.ok()) Fail(matched.status().ToString());
    rows = *matched;
  });
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_EchoRpcBaseline(benchmark::State& state) {
  Hub& hub = Hub::Get(static_cast<int>(state.range(0)));
  common::v1::EchoRequest req;
  req.set_message("x");
  Timed(state, [&] {
    common::v1::EchoResponse resp;
    grpc::ClientContext ctx;
    PrepareContext(&ctx, hub.token);
    if (!hub.diagnostics->Echo(&ctx, req, &resp).ok()) Fail("echo");
  });
}

BENCHMARK(BM_MatchPlacementsRpc)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchSqlBaseline)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EchoRpcBaseline)->Arg(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace slihub::testing

BENCHMARK_MAIN();
