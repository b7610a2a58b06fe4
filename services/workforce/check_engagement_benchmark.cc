// CheckEngagement's cost at each depth, measured in the same run: the pure rule evaluation (what
// a cache hit costs beyond the RPC); the store read plus evaluation (what a miss costs); and the
// full RPC over loopback gRPC with token, logging and (on a miss) the worker pool, with the
// in-process caches warm (one check of every worker first) and with them off, beside slihub's
// Echo through the same call path on a server of its own (the baseline). The figure,
// the throughput ratio to Echo at 32 callers, comes from BM_CheckToEchoThroughputRatio32.
// BM_StartUpStoredDataCheck times the start-up check of the stored data over the same store.
// WORKFORCE_BENCH_WORKERS sets how many workers are loaded (10 periods each; default 100,000:
// the 100,000 workers and 1,000,000 employment periods).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/base/call_once.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/base/log.h"
#include "common/base/worker_pool.h"
#include "common/cache/null_cache.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_codec.h"
#include "common/server/diagnostics_service.h"
#include "common/store/sqlite_database.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/demo_data.h"
#include "services/workforce/domain/engagement_check.h"
#include "services/workforce/store/stored_data_repair.h"
#include "services/workforce/store/workforce_store.h"
#include "tests/support/temp_dir.h"

namespace slihub::workforce {
namespace {

constexpr char kToken[] = "slh_benchmark-token";
constexpr int kPeriodsPerWorker = 10;

int WorkerCount() {
  const char* env = std::getenv("WORKFORCE_BENCH_WORKERS");
  return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 100000;
}

std::string Swe(int i) { return absl::StrCat("SW", 100000 + i); }

// Worker i: ten alternating permanent and agency periods of a year each from 2014.
std::vector<EmploymentPeriod> History(int i, const std::vector<std::string>& las) {
  std::vector<EmploymentPeriod> out;
  for (int k = 0; k < kPeriodsPerWorker; ++k) {
    EmploymentPeriod p;
    p.record_id = absl::StrCat("w", i, "-", k);
    p.swe_number = Swe(i);
    p.la_code = las[(i + k) % las.size()];
    p.region = "EE";
    p.employment_type = k % 2 == 0 ? EmploymentType::kPermanent : EmploymentType::kAgency;
    p.job_type = JobType::kSocialWorker;
    p.start_date = absl::CivilDay(2014 + k, 1, 1);
    p.end_date = absl::CivilDay(2014 + k, 12, 31);
    p.leaving_reason = LeavingReason::kResigned;
    p.child_and_family = true;
    out.push_back(p);
  }
  return out;
}

EngagementTerms Terms(int i) {
  EngagementTerms t;
  t.swe_number = Swe(i);
  t.la_code = "873";
  t.job_type = JobType::kSocialWorker;
  t.engagement_model = EngagementModel::kLimitedCompany;
  t.start_date = absl::CivilDay(2026, 1, 5);
  t.hourly_pay_rate_pence = 3500;
  t.notice_weeks = 4;
  t.references = {{ReferenceSource::kLocalAuthority, "926", true, true, std::nullopt},
                  {ReferenceSource::kLocalAuthority, "935", true, false, std::nullopt}};
  return t;
}

struct Fixture {
  Fixture() {
    ConfigureLogging(LogLevel::kWarning, "benchmark", "EE");
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    reference = *ReferenceData::LoadFromFile(SLIHUB_SOURCE_DIR
                                             "/deploy/reference/local_authorities.csv");
    config.service = "workforce";
    config.hub_region = "EE";
    store::SqliteOptions options;
    options.pool_size = 4;  // as the server binary opens it (SqliteOptions defaults)
    database = *store::SqliteDatabase::Open(dir.path() + "/workforce.db", options);
    (void)database->Migrate(WorkforceMigrations());
    authenticator = std::make_unique<Authenticator>(
        []() -> absl::StatusOr<std::vector<ActiveToken>> {
          Principal p;
          p.subject = "bench";
          p.region_code = "EE";
          p.roles = {Role::kRegionalAdmin};
          return std::vector<ActiveToken>{{HashToken(kToken), p}};
        },
        absl::Hours(1));
    (void)authenticator->Start();
    pool = std::make_unique<WorkerPool>(8, 4096);
    ServiceContext context;
    context.config = &config;
    context.reference_data = reference.get();
    context.database = database.get();
    context.cache = &cache;
    context.dependencies = &monitor;
    context.runtime = CallRuntime{authenticator.get(), pool.get(), "EE", false, {}};
    Load(context);
    service = std::make_unique<WorkforceServiceImpl>(context);
    diagnostics = std::make_unique<DiagnosticsServiceImpl>(
        ServerIdentity{"benchmark", "EE", absl::Now(), "bench"}, &monitor, context.runtime);
    uncached_config = config;
    uncached_config.memory_cache_mb = 0;
    ServiceContext uncached_context = context;
    uncached_context.config = &uncached_config;
    uncached_service = std::make_unique<WorkforceServiceImpl>(uncached_context);
    server = Serve({service.get()}, &channel);
    uncached_server = Serve({uncached_service.get()}, &uncached_channel);
    // Echo on a server of its own (same authenticator, worker pool and call path), so that no
    // state a check phase leaves in a server can slow the baseline or flatter the ratio.
    echo_server = Serve({diagnostics.get()}, &echo_channel);
  }

  // Starts a server of `services` on a free port, reached through `channel`.
  static std::unique_ptr<grpc::Server> Serve(std::vector<grpc::Service*> services,
                                             std::shared_ptr<grpc::Channel>* channel) {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    for (grpc::Service* s : services) builder.RegisterService(s);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    *channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
    return server;
  }

  void Load(const ServiceContext& context) {
    workers = WorkerCount();
    const std::vector<std::string>& las = reference->FindRegion("EE")->la_codes;
    const absl::Time start = absl::Now();
    (void)LoadWorkforceDemoData(context);
    const WriteMeta meta{"bench", "bench-load", absl::Now()};
    for (int first = 0; first < workers; first += 1000) {
      (void)database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
        for (int i = first; i < std::min(workers, first + 1000); ++i) {
          const std::vector<EmploymentPeriod> history = History(i, las);
          std::vector<const EmploymentPeriod*> periods;
          for (const EmploymentPeriod& p : history) periods.push_back(&p);
          absl::StatusOr<std::vector<WorkforceStore::PeriodRecord>> r =
              WorkforceStore::RecordPeriods(tx, periods, meta);
          if (!r.ok()) return r.status();
          RegisterCheck check;
          check.swe_number = Swe(i);
          check.status = RegisterStatus::kRegistered;
          check.checked_at = absl::FromUnixSeconds(1760000000);
          check.checked_by = "bench";
          absl::StatusOr<StoredRegisterCheck> c =
              WorkforceStore::RecordRegisterCheck(tx, check, meta);
          if (!c.ok()) return c.status();
        }
        return absl::OkStatus();
      });
    }
    (void)database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<StoredRuleSet>> sets = WorkforceStore::ListRuleSets(tx, "EE");
      if (!sets.ok()) return sets.status();
      rule_set = sets->back().rule_set;
      return absl::OkStatus();
    });
    fprintf(stderr, "loaded %d workers, %d employment periods in %.1f s\n", workers,
            workers * kPeriodsPerWorker, absl::ToDoubleSeconds(absl::Now() - start));
  }

  testing::TempDir dir{"workforce-bench"};
  ServerConfig config;  // the server's defaults: the in-process caches on
  ServerConfig uncached_config;
  std::unique_ptr<ReferenceData> reference;
  std::unique_ptr<store::Database> database;
  cache::NullCache cache;
  DependencyMonitor monitor;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<WorkforceServiceImpl> service;
  std::unique_ptr<DiagnosticsServiceImpl> diagnostics;
  std::unique_ptr<WorkforceServiceImpl> uncached_service;
  int workers = 0;
  RuleSet rule_set;  // EE's latest, for the store-level benchmark
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::Server> echo_server;
  std::shared_ptr<grpc::Channel> echo_channel;
  std::unique_ptr<grpc::Server> uncached_server;
  std::shared_ptr<grpc::Channel> uncached_channel;
};

// The CPU time this whole process (client and server threads) has used.
absl::Duration ProcessCpu() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return absl::DurationFromTimeval(usage.ru_utime) + absl::DurationFromTimeval(usage.ru_stime);
}

// Records each call's latency and reports p50 and p99 (microseconds, averaged over threads), and
// from the first thread the process CPU time per call: what a call costs the machine, a figure
// that a busy neighbour on a shared host disturbs far less than throughput.
class Latencies {
 public:
  void Add(absl::Duration d) { micros_.push_back(absl::ToDoubleMicroseconds(d)); }
  void Report(benchmark::State& state) {
    if (state.thread_index() == 0 && state.iterations() > 0) {
      const double calls = static_cast<double>(state.iterations()) * state.threads();
      state.counters["cpu_us_per_call"] =
          absl::ToDoubleMicroseconds(ProcessCpu() - cpu_start_) / calls;
    }
    if (micros_.empty()) return;
    std::sort(micros_.begin(), micros_.end());
    auto at = [&](double q) { return micros_[static_cast<size_t>(q * (micros_.size() - 1))]; };
    state.counters["p50_us"] = benchmark::Counter(at(0.50), benchmark::Counter::kAvgThreads);
    state.counters["p99_us"] = benchmark::Counter(at(0.99), benchmark::Counter::kAvgThreads);
  }

 private:
  std::vector<double> micros_;
  const absl::Duration cpu_start_ = ProcessCpu();
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

void BM_EvaluateEngagement_Domain(benchmark::State& state) {
  const RuleSet rules = DemoRuleSets().front();
  const std::vector<std::string> las = {"873", "926", "935"};
  const std::vector<EmploymentPeriod> history = History(7, las);
  RegisterCheck check;
  check.status = RegisterStatus::kRegistered;
  check.checked_at = absl::FromUnixSeconds(1760000000);
  const std::vector<RegisterCheck> checks = {check};
  const EngagementTerms terms = Terms(7);
  CheckInputs inputs;
  inputs.evaluated_on = terms.start_date;
  inputs.region = "EE";
  inputs.rule_set = &rules;
  inputs.history = &history;
  inputs.register_checks = &checks;
  for (auto _ : state) benchmark::DoNotOptimize(EvaluateEngagement(terms, inputs));
}

void BM_StoreReadsAndEvaluate(benchmark::State& state) {
  Fixture& f = Shared();
  int i = static_cast<int>(state.thread_index()) * 7919;
  for (auto _ : state) {
    const EngagementTerms terms = Terms(i++ % f.workers);
    WorkerHistory history;
    absl::Status s = f.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      absl::StatusOr<WorkerHistory> read = WorkforceStore::ReadWorkerHistory(tx, terms.swe_number);
      if (!read.ok()) return read.status();
      history = *std::move(read);
      return absl::OkStatus();
    });
    CheckInputs inputs;
    inputs.evaluated_on = terms.start_date;
    inputs.region = "EE";
    inputs.rule_set = &f.rule_set;
    inputs.history = &history.periods;
    inputs.register_checks = &history.register_checks;
    benchmark::DoNotOptimize(EvaluateEngagement(terms, inputs));
    if (!s.ok()) state.SkipWithError("read failed");
  }
}

// The start-up check of the stored data (stored_data_repair.h) over the whole loaded store, which
// holds nothing to repair: what every start of a hub of this size pays before serving.
void BM_StartUpStoredDataCheck(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    StoredDataRepair repair;
    absl::Status s = f.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      absl::StatusOr<StoredDataRepair> done = RepairStoredData(tx);
      if (!done.ok()) return done.status();
      repair = *done;
      return absl::OkStatus();
    });
    if (!s.ok() || repair.changed()) state.SkipWithError("the check failed or changed data");
  }
}

// One Echo("ping") through `stub`.
grpc::Status Echo(::slihub::common::v1::DiagnosticsService::Stub& stub) {
  ::slihub::common::v1::EchoRequest request;
  request.set_message("ping");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  ::slihub::common::v1::EchoResponse response;
  return stub.Echo(&context, request, &response);
}

void BM_SlihubEcho_Baseline(benchmark::State& state) {
  auto stub = ::slihub::common::v1::DiagnosticsService::NewStub(Shared().echo_channel);
  Latencies latencies;
  for (auto _ : state) {
    const absl::Time start = absl::Now();
    grpc::Status status = Echo(*stub);
    latencies.Add(absl::Now() - start);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
  latencies.Report(state);
}

// One CheckEngagement of worker `i` through `stub`.
grpc::Status Check(v1::WorkforceService::Stub& stub, int i, v1::CheckEngagementResponse* response) {
  v1::CheckEngagementRequest request;
  v1::EngagementTerms* t = request.mutable_terms();
  t->set_swe_number(Swe(i));
  t->mutable_la_code()->set_value("873");
  t->set_job_type(v1::JOB_TYPE_SOCIAL_WORKER);
  t->set_engagement_model(v1::ENGAGEMENT_MODEL_LIMITED_COMPANY);
  t->mutable_start_date()->set_year(2026);
  t->mutable_start_date()->set_month(1);
  t->mutable_start_date()->set_day(5);
  t->mutable_hourly_pay_rate()->set_pence(3500);
  t->set_notice_weeks(4);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  return stub.CheckEngagement(&context, request, response);
}

// Checks every worker once through the cached server, as traffic would, so that its
// benchmark measures the steady state with the working set in memory.
void WarmOnce(Fixture& f) {
  static absl::once_flag once;
  absl::call_once(once, [&f] {
    const absl::Time start = absl::Now();
    std::vector<std::thread> threads;
    constexpr int kThreads = 16;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&f, t] {
        auto stub = v1::WorkforceService::NewStub(f.channel);
        for (int i = t; i < f.workers; i += kThreads) {
          v1::CheckEngagementResponse response;
          grpc::Status status = Check(*stub, i, &response);
          if (!status.ok()) {
            fprintf(stderr, "warming failed: %s\n", status.error_message().c_str());
            std::abort();
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    fprintf(stderr, "warmed the caches with one check of each of %d workers in %.1f s\n",
            f.workers, absl::ToDoubleSeconds(absl::Now() - start));
  });
}

void RunChecks(benchmark::State& state, const std::shared_ptr<grpc::Channel>& channel) {
  Fixture& f = Shared();
  auto stub = v1::WorkforceService::NewStub(channel);
  int i = static_cast<int>(state.thread_index()) * 7919;
  Latencies latencies;
  size_t response_bytes = 0;
  for (auto _ : state) {
    const absl::Time start = absl::Now();
    v1::CheckEngagementResponse response;
    grpc::Status status = Check(*stub, i++ % f.workers, &response);
    latencies.Add(absl::Now() - start);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
    response_bytes = response.ByteSizeLong();
  }
  latencies.Report(state);
  state.counters["response_bytes"] =
      benchmark::Counter(static_cast<double>(response_bytes), benchmark::Counter::kAvgThreads);
}

void BM_CheckEngagementRpc(benchmark::State& state) {
  if (state.thread_index() == 0) WarmOnce(Shared());
  RunChecks(state, Shared().channel);
}

void BM_CheckEngagementRpc_Uncached(benchmark::State& state) {
  RunChecks(state, Shared().uncached_channel);
}

// Calls per second that `callers` threads achieve in `phase`, each calling `call(stub, i)` with
// its own running i; -1 when any call failed.
template <typename Stub, typename Call>
double Throughput(const std::shared_ptr<grpc::Channel>& channel, int callers, absl::Duration phase,
                  Call call) {
  std::atomic<int64_t> calls{0};
  std::atomic<bool> failed{false};
  const absl::Time until = absl::Now() + phase;
  std::vector<std::thread> threads;
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&, t] {
      auto stub = Stub::NewStub(channel);
      int64_t mine = 0;
      for (int i = t * 7919; absl::Now() < until; ++i, ++mine) {
        if (!call(*stub, i).ok()) failed.store(true);
      }
      calls.fetch_add(mine);
    });
  }
  const absl::Time start = absl::Now();
  for (std::thread& t : threads) t.join();
  if (failed.load()) return -1;
  return static_cast<double>(calls.load()) / absl::ToDoubleSeconds(absl::Now() - start);
}

// The figure, measured so that the machine's drift cannot bias it: 15 pairs of
// back-to-back phases (0.4 s of Echo, 0.4 s of CheckEngagement, in alternating order) at 32
// callers, each pair giving one throughput ratio; reports their median, lowest and highest.
// Arg 1: the caches warm; arg 0: the server with --memory-cache-mb 0.
void BM_CheckToEchoThroughputRatio32(benchmark::State& state) {
  Fixture& f = Shared();
  const bool cached = state.range(0) == 1;
  if (cached) WarmOnce(f);
  const std::shared_ptr<grpc::Channel>& channel = cached ? f.channel : f.uncached_channel;
  constexpr int kCallers = 32;
  constexpr int kPairs = 15;
  const absl::Duration phase = absl::Milliseconds(400);
  std::vector<double> ratios, echo_rates, check_rates;
  for (auto _ : state) {
    for (int pair = 0; pair < kPairs; ++pair) {
      auto echo = [&] {
        return Throughput<::slihub::common::v1::DiagnosticsService>(
            f.echo_channel, kCallers, phase,
            [](::slihub::common::v1::DiagnosticsService::Stub& stub, int) { return Echo(stub); });
      };
      auto check = [&] {
        return Throughput<v1::WorkforceService>(
            channel, kCallers, phase, [&f](v1::WorkforceService::Stub& stub, int i) {
              v1::CheckEngagementResponse response;
              return Check(stub, i % f.workers, &response);
            });
      };
      double echo_rate = 0, check_rate = 0;
      if (pair % 2 == 0) {
        echo_rate = echo();
        check_rate = check();
      } else {
        check_rate = check();
        echo_rate = echo();
      }
      if (echo_rate < 0 || check_rate < 0) {
        state.SkipWithError("a call failed");
        return;
      }
      echo_rates.push_back(echo_rate);
      check_rates.push_back(check_rate);
      ratios.push_back(check_rate / echo_rate);
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  state.counters["ratio_median"] = median(ratios);
  state.counters["ratio_min"] = *std::min_element(ratios.begin(), ratios.end());
  state.counters["ratio_max"] = *std::max_element(ratios.begin(), ratios.end());
  state.counters["echo_per_s"] = median(echo_rates);
  state.counters["check_per_s"] = median(check_rates);
}

BENCHMARK(BM_EvaluateEngagement_Domain);
BENCHMARK(BM_StoreReadsAndEvaluate)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_StartUpStoredDataCheck)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_SlihubEcho_Baseline)->Threads(1)->Threads(32)->UseRealTime();
BENCHMARK(BM_CheckEngagementRpc)->Threads(1)->Threads(32)->UseRealTime();
BENCHMARK(BM_CheckEngagementRpc_Uncached)->Threads(1)->Threads(32)->UseRealTime();
BENCHMARK(BM_CheckToEchoThroughputRatio32)
    ->Arg(1)
    ->Arg(0)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace slihub::workforce

BENCHMARK_MAIN();
