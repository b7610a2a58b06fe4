// MatchPlacements' hot path over a national-scale register: the domain match over candidates in
// memory; the store's full candidate query plus the match; the candidate cache (a change-sequence
// check) plus the match, which is what the RPC runs minus gRPC; and as the baseline the same
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
#include "common/store/sqlite_database.h"
#include "services/placement/adapter/candidate_cache.h"
#include "services/placement/domain/matching.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/schema.h"
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

// The same filters and score as one SQL statement ($1..$3: home latitude, longitude, and the
// cost ceiling), ranked and limited as the first page of MatchPlacements.
constexpr char kSqlMatch[] = R"sql(
WITH c AS (
  SELECT v.vacancy_id, v.weekly_cost_pence AS cost, v.last_confirmed_at, s.ofsted_grade AS grade,
         s.registered_needs, s.host_la, s.region,
         2 * 3958.8 * asin(min(1, sqrt(
           pow(sin(radians(s.latitude - $1) / 2), 2) +
           cos(radians($1)) * cos(radians(s.latitude)) * pow(sin(radians(s.longitude - $2) / 2), 2))))
           AS d
  FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id
  WHERE v.state = 1 AND v.beds - v.beds_held >= 1 AND s.active = 1
    AND s.placement_type <> 9
    AND instr(',' || s.registered_needs || ',', ',1,') > 0
    AND instr(',' || s.registered_needs || ',', ',7,') > 0
    AND s.age_min <= 14 AND s.age_max >= 14
    AND s.sex_accepted IN (0, 1, 2)
    AND s.ofsted_grade BETWEEN 1 AND 3
    AND v.available_from <= '2026-12-31'
    AND v.weekly_cost_pence <= $3
    AND s.latitude IS NOT NULL)
SELECT vacancy_id, d, cost,
  0.30 * max(0.0, 1.0 - d / 60.0) + 0.15 * max(0.0, 1.0 - cost * 1.0 / $3)
  + 0.20 * (CASE grade WHEN 1 THEN 1.0 WHEN 2 THEN 0.75 WHEN 3 THEN 0.4 ELSE 0.0 END)
  + 0.10 * min(1.0, 3.0 / (length(registered_needs) - length(replace(registered_needs, ',', '')) + 2))
  + 0.10 * (host_la = '926') + 0.05 * (region = 'EE') + 0.05
  + 0.05 * ($4 - last_confirmed_at <= $5) AS score
FROM c WHERE d <= 60
ORDER BY score DESC, d, cost, vacancy_id LIMIT 50
)sql";

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
    auto db = store::SqliteDatabase::Open(dir_ + "/placement.db");
    if (!db.ok()) Fail(db.status().ToString());
    db_ = std::move(*db);
    if (absl::Status st = db_->Migrate(PlacementMigrations()); !st.ok()) Fail(st.ToString());
    store_ = std::make_unique<PlacementStore>(db_.get(), "EE");
    if (absl::Status st = SeedSyntheticRegister(*db_, n, kNow); !st.ok()) Fail(st.ToString());
    auto loaded = store_->LoadCandidates(Scope::kNational, "", "");
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
    auto candidates = reg.store().LoadCandidates(request.scope, request.la_code, request.region);
    if (!candidates.ok()) Fail(candidates.status().ToString());
    MatchOutcome out = Match(request, *candidates, kNow, config, kPage);
    benchmark::DoNotOptimize(out);
  });
}

void BM_MatchThroughCandidateCache(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  CandidateCache cache(&reg.store());
  const MatchRequest request = TheReferral();
  const MatchConfig config;
  if (!cache.Current().ok()) Fail("cache warm-up");
  Timed(state, [&] {
    auto snapshot = cache.Current();
    if (!snapshot.ok()) Fail(snapshot.status().ToString());
    MatchOutcome out =
        MatchByKeys(request, (*snapshot)->candidates, (*snapshot)->keys, kNow, config, kPage);
    benchmark::DoNotOptimize(out);
  });
}

void BM_MatchSqlBaseline(benchmark::State& state) {
  Register& reg = Register::Get(static_cast<int>(state.range(0)));
  const MatchRequest request = TheReferral();
  size_t rows = 0;
  Timed(state, [&] {
    absl::Status st = reg.db().Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto rs = tx.Query(kSqlMatch, {store::Real(52.63), store::Real(1.30), store::Int(500000),
                                     store::Int(absl::ToUnixMicros(kNow)),
                                     store::Int(absl::ToInt64Microseconds(MatchConfig().stale_after))});
      if (!rs.ok()) return rs.status();
      rows = rs->size();
      return absl::OkStatus();
    });
    if (!st.ok()) Fail(st.ToString());
  });
  state.counters["rows"] = static_cast<double>(rows);
}

BENCHMARK(BM_MatchDomain)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchStoreQueryPlusDomain)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchThroughCandidateCache)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MatchSqlBaseline)->Arg(5000)->Arg(50000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace slihub::placement

BENCHMARK_MAIN();
