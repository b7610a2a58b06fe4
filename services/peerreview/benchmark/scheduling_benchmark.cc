// Challenge event scheduling: ScheduleChallenges (most constrained first, quietest day, search
// with a budget) for 11, 19 and 153 LAs in triads over a twelve-week phase with declared absences,
// beside a naive first-fit baseline (earliest free weekday per challenge, no spreading, no search)
// measured in the same run; both report how many challenges they placed and on how many days.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "services/peerreview/domain/event_scheduler.h"

namespace slihub::peerreview {
namespace {

struct Instance {
  SchedulingRules rules;
  std::vector<ChallengeToPlace> challenges;
};

// `n` LAs in consecutive triads (a pair or quartet takes the remainder), 60 weekdays from
// 2026-01-12, every fifth LA away for a week, one excluded bank holiday.
Instance Make(int n) {
  Instance in;
  in.rules.start = absl::CivilDay(2026, 1, 12);
  in.rules.end = in.rules.start + 83;
  in.rules.excluded = {absl::CivilDay(2026, 4, 3)};
  std::vector<std::string> las;
  for (int i = 0; i < n; ++i) las.push_back(absl::StrCat(800 + i));
  for (int i = 0; i < n; i += 5) {
    in.rules.unavailable.push_back({las[i], in.rules.start + 7 * (i % 12), in.rules.start + 7 * (i % 12) + 4, "away"});
  }
  std::vector<std::vector<std::string>> groups;
  for (int i = 0; i < n; i += 3) groups.push_back({las.begin() + i, las.begin() + std::min(n, i + 3)});
  if (groups.back().size() == 1) {
    groups[groups.size() - 2].push_back(groups.back()[0]);
    groups.pop_back();
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t h = 0; h < groups[g].size(); ++h) {
      ChallengeToPlace c{groups[g][h], absl::StrCat("G", g + 1), {groups[g][h]}};
      for (size_t r = 0; r < groups[g].size(); ++r) {
        if (r != h) c.las.push_back(groups[g][r]);
      }
      in.challenges.push_back(c);
    }
  }
  return in;
}

void Report(benchmark::State& state, const std::vector<absl::CivilDay>& days, int challenges) {
  state.counters["challenges"] = challenges;
  state.counters["placed"] = static_cast<double>(days.size());
  state.counters["days_used"] = static_cast<double>(std::set<absl::CivilDay>(days.begin(), days.end()).size());
}

void BM_ScheduleChallenges(benchmark::State& state) {
  const Instance in = Make(static_cast<int>(state.range(0)));
  ScheduleResult result;
  for (auto _ : state) {
    result = ScheduleChallenges(in.rules, in.challenges, 7);
    benchmark::DoNotOptimize(result);
  }
  std::vector<absl::CivilDay> days;
  for (const PlacedChallenge& p : result.placed) days.push_back(p.day);
  Report(state, days, static_cast<int>(in.challenges.size()));
}

// Baseline: each challenge in input order on the earliest weekday free for all its LAs.
void BM_FirstFitBaseline(benchmark::State& state) {
  const Instance in = Make(static_cast<int>(state.range(0)));
  std::vector<absl::CivilDay> days;
  for (auto _ : state) {
    days.clear();
    std::set<std::pair<std::string, absl::CivilDay>> busy;
    for (const ChallengeToPlace& c : in.challenges) {
      for (absl::CivilDay day = in.rules.start; day <= in.rules.end; ++day) {
        const absl::Weekday w = absl::GetWeekday(day);
        if (w == absl::Weekday::saturday || w == absl::Weekday::sunday || in.rules.excluded.count(day)) continue;
        bool free = true;
        for (const std::string& la : c.las) {
          free = free && busy.count({la, day}) == 0;
          for (const UnavailableDates& u : in.rules.unavailable) {
            free = free && !(u.la_code == la && u.start <= day && day <= u.end);
          }
        }
        if (!free) continue;
        for (const std::string& la : c.las) busy.insert({la, day});
        days.push_back(day);
        break;
      }
    }
    benchmark::DoNotOptimize(days);
  }
  Report(state, days, static_cast<int>(in.challenges.size()));
}

BENCHMARK(BM_ScheduleChallenges)->Arg(11)->Arg(19)->Arg(153)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FirstFitBaseline)->Arg(11)->Arg(19)->Arg(153)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace slihub::peerreview

BENCHMARK_MAIN();
