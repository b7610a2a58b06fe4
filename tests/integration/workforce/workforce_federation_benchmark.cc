// A national CheckEngagement at the London workforce hub, through real processes (EE, SE and
// London hubs as peers, a real redis-server), measured in one run:
//   BM_NationalCold   a worker London never asked about: EE and SE are called (peer calls)
//   BM_NationalWarm   a worker asked before: EE's and SE's parts are CACHED (process memory)
//   BM_NationalWarmRedis the same with London restarted with --federation-memory-entries=0, so
//                     the parts come from Redis (one MGET per call)
//   BM_OwnRegionLocal the baseline: the same terms for a worker whose periods London holds,
//                     OWN_REGION (no federation)
// and the warm-to-local ratio the issue sets a target for (within 1.5x). Single caller,
// sequential calls over loopback gRPC; each iteration is one whole RPC.
// Run: build/tests/integration/workforce/workforce_federation_benchmark
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"
#include "tests/support/redis_server.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

constexpr int kColdWorkers = 400;  // each cold iteration uses a worker never asked about
constexpr char kWarm[] = "SW7000";
constexpr char kLocal[] = "SW7001";

std::string ColdSwe(int i) { return absl::StrCat("SW", 710000 + i); }

struct Env {
  std::unique_ptr<RedisServer> redis;
  std::unique_ptr<HubCluster> cluster;
  std::unique_ptr<wf::WorkforceService::Stub> ldn;
  std::string ldn_hr;
  int next_cold = 0;
  std::map<std::string, double> mean_us;  // benchmark name -> mean microseconds per call
};

Env* env = nullptr;

void Fail(const std::string& what) {
  std::fprintf(stderr, "setup failed: %s\n", what.c_str());
  std::exit(1);
}

void Batch(const std::string& region, const std::string& token,
           const std::vector<wf::EmploymentPeriod>& periods) {
  for (size_t from = 0; from < periods.size(); from += 1000) {
    grpc::ClientContext context;
    PrepareContext(&context, token, absl::Seconds(60));
    wf::BatchRecordEmploymentPeriodsRequest request;
    request.set_request_id(NewRequestId());
    for (size_t i = from; i < periods.size() && i < from + 1000; ++i) {
      *request.add_periods() = periods[i];
    }
    wf::BatchRecordEmploymentPeriodsResponse response;
    grpc::Status status = wf::WorkforceService::NewStub(env->cluster->hub(region).NewChannel())
                              ->BatchRecordEmploymentPeriods(&context, request, &response);
    if (!status.ok()) Fail(status.error_message());
  }
}

grpc::Status Check(const std::string& swe, cv1::RegionScope scope,
                   wf::CheckEngagementResponse* response) {
  grpc::ClientContext context;
  PrepareContext(&context, env->ldn_hr);
  wf::CheckEngagementRequest request;
  *request.mutable_terms() = Terms(swe);
  request.mutable_terms()->mutable_la_code()->set_value("202");
  request.set_scope(scope);
  return env->ldn->CheckEngagement(&context, request, response);
}

std::string State(const wf::CheckEngagementResponse& r, const std::string& region) {
  for (const cv1::RegionAnswer& a : r.federation().regions()) {
    if (a.region().value() == region) return cv1::RegionAnswerState_Name(a.state());
  }
  return "absent";
}

void AwaitWarm();

void SetUp() {
  env = new Env;
  auto redis = RedisServer::Start();
  if (!redis.ok()) Fail(redis.status().ToString());
  env->redis = *std::move(redis);
  HubClusterOptions options;
  options.regions = {"EE", "SE", "LDN"};
  options.redis_port = env->redis->port();
  env->cluster = std::make_unique<HubCluster>(options);
  if (absl::Status started = env->cluster->Start(); !started.ok()) Fail(started.ToString());
  ServiceProcess& ldn = env->cluster->hub("LDN");
  env->ldn = wf::WorkforceService::NewStub(ldn.NewChannel());
  env->ldn_hr = ldn.IssueToken("202-hr", {Role::kHrOfficer}, "202");
  {
    grpc::ClientContext context;
    PrepareContext(&context, ldn.IssueToken("ldn-admin", {Role::kRegionalAdmin}));
    wf::PublishRuleSetRequest request;
    request.set_request_id(NewRequestId());
    *request.mutable_rule_set() = EasternRules(Date(2024, 10, 31), 4500);
    request.mutable_rule_set()->mutable_region()->set_value("LDN");
    wf::PublishRuleSetResponse response;
    grpc::Status status = env->ldn->PublishRuleSet(&context, request, &response);
    if (!status.ok()) Fail(status.error_message());
  }
  std::vector<wf::EmploymentPeriod> ee, se;
  std::vector<std::string> national = {kWarm};
  for (int i = 0; i < kColdWorkers; ++i) national.push_back(ColdSwe(i));
  for (const std::string& swe : national) {
    ee.push_back(Period("ee-" + swe, swe, "873", Date(2019, 1, 1), Date(2020, 12, 31)));
    se.push_back(Period("se-" + swe, swe, "845", Date(2021, 1, 1), Date(2021, 12, 31)));
  }
  Batch("EE", env->cluster->hub("EE").IssueToken("873-hr", {Role::kHrOfficer}, "873"), ee);
  Batch("SE", env->cluster->hub("SE").IssueToken("845-hr", {Role::kHrOfficer}, "845"), se);
  Batch("LDN", env->ldn_hr,
        {Period("ldn-1", kLocal, "202", Date(2019, 1, 1), Date(2020, 12, 31)),
         Period("ldn-2", kLocal, "202", Date(2021, 1, 1), Date(2021, 12, 31))});
  for (const std::string& swe : {std::string(kWarm), std::string(kLocal)}) {
    grpc::ClientContext context;
    PrepareContext(&context, env->ldn_hr);
    wf::RecordRegisterCheckRequest request;
    request.set_request_id(NewRequestId());
    request.set_swe_number(swe);
    request.set_status(wf::REGISTER_STATUS_REGISTERED);
    request.mutable_checked_at()->set_seconds(1764547200);
    wf::RecordRegisterCheckResponse response;
    grpc::Status status = env->ldn->RecordRegisterCheck(&context, request, &response);
    if (!status.ok()) Fail(status.error_message());
  }
  AwaitWarm();
}

// London's channels to hubs started after it connect after gRPC's reconnect backoff; then the
// warm worker's parts are cached and served CACHED once the change feeds are in sync.
void AwaitWarm() {
  wf::CheckEngagementResponse response;
  if (!WaitFor(
          [&] {
            response.Clear();
            return Check(kWarm, cv1::REGION_SCOPE_NATIONAL, &response).ok() &&
                   State(response, "EE") == "REGION_ANSWER_STATE_CACHED" &&
                   State(response, "SE") == "REGION_ANSWER_STATE_CACHED";
          },
          absl::Seconds(20), absl::Milliseconds(100))) {
    Fail("the warm worker's parts never came from the cache: " +
         response.federation().DebugString());
  }
}

void Record(benchmark::State& state, const char* name, absl::Duration total) {
  if (state.iterations() == 0 || state.error_occurred()) return;
  env->mean_us[name] = absl::ToDoubleMicroseconds(total) / static_cast<double>(state.iterations());
}

void BM_OwnRegionLocal(benchmark::State& state) {
  absl::Duration total;
  for (auto _ : state) {
    wf::CheckEngagementResponse response;
    const absl::Time start = absl::Now();
    grpc::Status status = Check(kLocal, cv1::REGION_SCOPE_OWN_REGION, &response);
    total += absl::Now() - start;
    if (!status.ok() || response.check().results(2).outcome() != wf::RULE_OUTCOME_PASS) {
      state.SkipWithError("the local check did not pass experience");
      break;
    }
  }
  Record(state, "local", total);
}

void BM_NationalWarm(benchmark::State& state) {
  absl::Duration total;
  for (auto _ : state) {
    wf::CheckEngagementResponse response;
    const absl::Time start = absl::Now();
    grpc::Status status = Check(kWarm, cv1::REGION_SCOPE_NATIONAL, &response);
    total += absl::Now() - start;
    if (!status.ok() || State(response, "SE") != "REGION_ANSWER_STATE_CACHED" ||
        response.check().results(2).outcome() != wf::RULE_OUTCOME_PASS) {
      state.SkipWithError("a warm national check was not served from the cache");
      break;
    }
  }
  Record(state, "warm", total);
}

void BM_NationalCold(benchmark::State& state) {
  absl::Duration total;
  for (auto _ : state) {
    if (env->next_cold >= kColdWorkers) {
      state.SkipWithError("out of never-asked workers");
      break;
    }
    wf::CheckEngagementResponse response;
    const std::string swe = ColdSwe(env->next_cold++);
    const absl::Time start = absl::Now();
    grpc::Status status = Check(swe, cv1::REGION_SCOPE_NATIONAL, &response);
    total += absl::Now() - start;
    if (!status.ok() || State(response, "SE") != "REGION_ANSWER_STATE_FRESH" ||
        response.check().results(2).experience().counted_months() != 36) {
      state.SkipWithError("a cold national check did not ask SE");
      break;
    }
  }
  Record(state, "cold", total);
}

void BM_NationalWarmRedis(benchmark::State& state) {
  ServiceProcess& ldn = env->cluster->hub("LDN");
  if (ldn.process().running()) {
    (void)ldn.process().Signal(SIGTERM);
    (void)ldn.process().WaitForExit(absl::Seconds(20));
    ldn.options().extra_args.push_back("--federation-memory-entries=0");
    if (absl::Status restarted = env->cluster->Restart("LDN"); !restarted.ok()) {
      state.SkipWithError("London did not restart");
      return;
    }
    env->ldn = wf::WorkforceService::NewStub(ldn.NewChannel());
    AwaitWarm();
  }
  absl::Duration total;
  for (auto _ : state) {
    wf::CheckEngagementResponse response;
    const absl::Time start = absl::Now();
    grpc::Status status = Check(kWarm, cv1::REGION_SCOPE_NATIONAL, &response);
    total += absl::Now() - start;
    if (!status.ok() || State(response, "SE") != "REGION_ANSWER_STATE_CACHED") {
      state.SkipWithError("a warm national check was not served from Redis");
      break;
    }
  }
  Record(state, "warm_redis", total);
}

BENCHMARK(BM_OwnRegionLocal)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NationalWarm)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NationalCold)->Iterations(kColdWorkers)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NationalWarmRedis)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace slihub::testing

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  slihub::testing::SetUp();
  benchmark::RunSpecifiedBenchmarks();
  auto& mean = slihub::testing::env->mean_us;
  if (mean.count("local") && mean.count("warm") && mean.count("cold") &&
      mean.count("warm_redis")) {
    std::printf(
        "\nnational CheckEngagement at LDN, mean per call: cold (peer calls) %.0f us, warm "
        "(in process) %.0f us, warm (Redis only) %.0f us, local OWN_REGION baseline %.0f us\n"
        "warm / local = %.2fx (target <= 1.5x); warm Redis / local = %.2fx; cold / local = "
        "%.2fx\n",
        mean["cold"], mean["warm"], mean["warm_redis"], mean["local"],
        mean["warm"] / mean["local"], mean["warm_redis"] / mean["local"],
        mean["cold"] / mean["local"]);
  }
  benchmark::Shutdown();
  delete slihub::testing::env;
  return 0;
}
