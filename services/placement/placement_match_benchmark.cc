// MatchPlacements' hot path over a national-scale register: the domain match over candidates in
// memory; the store's full candidate query plus the match; the compact-key match alone; the
// candidate cache (a change-sequence check) plus the key match, which is what the RPC runs minus
// the referral read and gRPC; and as the baseline the same
// filter-and-rank written as one SQL query on the same SQLite file.
// Each reports p50/p99 per match and matches per second (items_per_second).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "services/placement/adapter/candidate_cache.h"
#include "services/placement/domain/matching.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/migrations.h"
#include "services/placement/store/transactions.h"
#include "services/placement/synthetic_register.h"

namespace slihub::placement {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what.c_str());
  std::exit(1);
}

const absl::Time kNow = absl::FromUnixSeconds(1795000000);
constexpr size_t kPage = 50;

// The referral every benchmark matches: a 14-year-old girl from Norwich, national scope.
MatchRequest TheReferral() {
  MatchRequest r;
  r.la_code = "926";
  r.region = "EE";
  r.profile.age_years = 14;
  r.profile.sex = Sex::kFemale;
  r.profile.needs = {1, 7};
  r.profile.home_coordinates = GeoPoint{52.63, 1.30};
  r.constraints.max_distance_miles = 60;
  r.constraints.max_weekly_cost_pence = 500000;
  r.constraints.needed_by = absl::CivilDay(2026, 12, 31);
  r.scope = Scope::kNational;
  return r;
}

// One SQLite file with `n` open vacancies (one setting each), shared per size, removed at exit.
class Register {
 public:
  static Register& Get(int n) {
    static std::map<int, std::unique_ptr<Register>>* all = new std::map<int, std::unique_ptr<Register>>();
    auto& slot = (*all)[n];
    if (!slot) slot.reset(new Register(n));
    return *slot;
  }
  store::Database& db() { return *db_; }
  PlacementStore& store() { return *store_; }
  const std::vector<Candidate>& candidates() const { return candidates_; }
  ~Register() { std::filesystem::remove_all(dir_); }

 private:
  explicit Register(int n) {
    char tmpl[] = "/tmp/placement-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) Fail("mkdtemp");
    dir_ = tmpl;
    auto db = OpenPlacementDatabase(dir_ + "/placement.db");
    if (!db.ok()) Fail(db.status().ToString());
    db_ = std::move(*db);
    store_ = std::make_unique<PlacementStore>("EE");
    if (absl::Status st = SeedSyntheticRegister(*db_, n, kNow); !st.ok()) Fail(st.ToString());
    auto loaded = InReadTransaction(*db_, [&](store::Transaction& tx) {
      return store_->LoadCandidates(tx, Scope::kNational, "", "");
    });
    if (!loaded.ok()) Fail(loaded.status().ToString());
    candidates_ = std::move(*loaded);
  }

  std::string dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PlacementStore> store_;
  std::vector<Candidate> candidates_;
};

// Times each iteration of `body` and reports p50/p99 (microseconds) and matches per second.
template <typename Body>
void Timed(benchmark::State& state, Body body) {
  std::vector<double> micros;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    body();
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  state.SetItemsProcessed(state.iterations());
}

void BM_MatchDomain(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  const MatchRequest request = TheReferral();
  const MatchConfig config;
  size_t matched = 0;
  Timed(state, [&] {
    MatchOutcome out = Match(request, reg.candidates(), kNow, config, kPage);
    matched = out.matches.size();
    benchmark::DoNotOptimize(out);
  });
  state.counters["matched"] = static_cast<double>(matched);
}

void BM_MatchStoreQueryPlusDomain(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  const MatchRequest request = TheReferral();
  const MatchConfig config;
  Timed(state, [&] {
    auto candidates = InReadTransaction(reg.db(), [&](store::Transaction& tx) {
      return reg.store().LoadCandidates(tx, request.scope, request.la_code, request.region);
    });
    if (!candidates.ok()) Fail(candidates.status().ToString());
    MatchOutcome out = Match(request, *candidates, kNow, config, kPage);
    benchmark::DoNotOptimize(out);
  });
}

void BM_MatchThroughCandidateCache(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  CandidateCache cache(&reg.db(), &reg.store());
  const MatchRequest request = TheReferral();
  const MatchConfig config;
  if (!cache.Current().ok()) Fail("cache warm-up");
  Timed(state, [&] {
    auto snapshot = cache.Current();
    if (!snapshot.ok()) Fail(snapshot.status().ToString());
    MatchOutcome out =
        MatchByKeys(request, (*snapshot)->index, kNow, config, kPage, kPage);
    benchmark::DoNotOptimize(out);
  });
}

void BM_MatchByKeys(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  CandidateCache cache(&reg.db(), &reg.store());
  auto snapshot = cache.Current();
  if (!snapshot.ok()) Fail(snapshot.status().ToString());
  const MatchRequest request = TheReferral();
  const MatchConfig config;
  size_t matched = 0;
  Timed(state, [&] {
    MatchOutcome out =
        MatchByKeys(request, (*snapshot)->index, kNow, config, kPage, kPage);
    matched = out.matched;
    benchmark::DoNotOptimize(out);
  });
  state.counters["matched"] = static_cast<double>(matched);
}

// The first match after a vacancy changed: the cache reads the change and rebuilds its index.
void BM_MatchAfterOneChange(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  CandidateCache cache(&reg.db(), &reg.store());
  const MatchRequest request = TheReferral();
  const MatchConfig config;
  if (!cache.Current().ok()) Fail("cache warm-up");
  std::vector<double> micros;
  int n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    absl::Status st = reg.db().Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
      return tx.Execute("UPDATE vacancies SET sibling_capacity = sibling_capacity WHERE vacancy_id = $1",
                        {store::Text(absl::StrCat("EE-v-", n++ % 1000))}).status();
    });
    if (!st.ok()) Fail(st.ToString());
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    auto snapshot = cache.Current();
    if (!snapshot.ok()) Fail(snapshot.status().ToString());
    MatchOutcome out = MatchByKeys(request, (*snapshot)->index, kNow, config, kPage, kPage);
    benchmark::DoNotOptimize(out);
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  state.SetItemsProcessed(state.iterations());
}

void BM_MatchSqlBaseline(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  size_t rows = 0;
  Timed(state, [&] {
    absl::StatusOr<size_t> matched = RunSyntheticMatchSql(reg.db(), kNow);
    if (!matched.ok()) Fail(matched.status().ToString());
    rows = *matched;
  });
  state.counters["rows"] = static_cast<double>(rows);
}

BENCHMARK(BM_MatchDomain)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchStoreQueryPlusDomain)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchByKeys)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchThroughCandidateCache)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchAfterOneChange)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchSqlBaseline)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace slihub::placement

BENCHMARK_MAIN();
