#include "services/peerreview/domain/event_scheduler.h"

#include <algorithm>
#include <map>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"

namespace slihub::peerreview {
namespace {

enum class ProblemKind { kOutside, kWeekend, kExcluded, kUnavailable, kBooked, kFull };

// Why a day is unusable, in a form the scheduler can count.
struct Problem {
  ProblemKind kind;
  std::string la;    // kUnavailable, kBooked
  std::string text;  // for people
};

// The rules plus the bookings made so far, indexed for lookups.
class Calendar {
 public:
  explicit Calendar(const SchedulingRules& rules) : rules_(&rules) {
    for (const ExistingBooking& b : rules.bookings) Book(b.day, b.la_codes, b.host, b.event_id);
    for (const UnavailableDates& u : rules.unavailable) unavailable_[u.la_code].push_back(&u);
  }

  void Book(absl::CivilDay day, const std::vector<std::string>& las, const std::string& host,
            const std::string& event_id) {
    for (const std::string& la : las) busy_[{la, day}] = {host, event_id};
    ++per_day_[day];
  }
  void Unbook(absl::CivilDay day, const std::vector<std::string>& las) {
    for (const std::string& la : las) busy_.erase({la, day});
    --per_day_[day];
  }
  int Load(absl::CivilDay day) const {
    auto it = per_day_.find(day);
    return it == per_day_.end() ? 0 : it->second;
  }

  // True when `day` can hold a new event attended by `las` (Check without the explanation).
  bool Usable(absl::CivilDay day, const std::vector<std::string>& las) const {
    const absl::Weekday weekday = absl::GetWeekday(day);
    if (!rules_->allow_weekends && (weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday)) {
      return false;
    }
    if (rules_->excluded.count(day) > 0) return false;
    if (rules_->max_events_per_day > 0 && Load(day) >= rules_->max_events_per_day) return false;
    for (const std::string& la : las) {
      if (busy_.count({la, day}) > 0) return false;
      auto declared = unavailable_.find(la);
      if (declared == unavailable_.end()) continue;
      for (const UnavailableDates* u : declared->second) {
        if (u->start <= day && day <= u->end) return false;
      }
    }
    return day >= rules_->start && day <= rules_->end;
  }

  std::optional<Problem> Check(absl::CivilDay day, const std::vector<std::string>& las,
                               const std::string& ignore_event) const {
    const std::string date = FormatCivilDate(day);
    if (day < rules_->start || day > rules_->end) {
      return Problem{ProblemKind::kOutside, "",
                     absl::StrCat(date, " is outside ", FormatCivilDate(rules_->start), "..",
                                  FormatCivilDate(rules_->end))};
    }
    const absl::Weekday weekday = absl::GetWeekday(day);
    if (!rules_->allow_weekends && (weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday)) {
      return Problem{ProblemKind::kWeekend, "",
                     absl::StrCat(date, " is a ", weekday == absl::Weekday::saturday ? "Saturday" : "Sunday")};
    }
    if (rules_->excluded.count(day) > 0) {
      return Problem{ProblemKind::kExcluded, "", absl::StrCat(date, " is an excluded date")};
    }
    for (const std::string& la : las) {
      auto declared = unavailable_.find(la);
      if (declared == unavailable_.end()) continue;
      for (const UnavailableDates* u : declared->second) {
        if (u->start <= day && day <= u->end) {
          return Problem{ProblemKind::kUnavailable, la,
                         absl::StrCat(la, " is unavailable ", FormatCivilDate(u->start), "..",
                                      FormatCivilDate(u->end), u->reason.empty() ? "" : " (" + u->reason + ")")};
        }
      }
    }
    for (const std::string& la : las) {
      auto it = busy_.find({la, day});
      if (it != busy_.end() && (ignore_event.empty() || it->second.second != ignore_event)) {
        const std::string id = it->second.second.empty() ? "" : " (" + it->second.second + ")";
        return Problem{ProblemKind::kBooked, la,
                       absl::StrCat(la, " already attends the challenge of host ", it->second.first, id,
                                    " on ", date)};
      }
    }
    if (rules_->max_events_per_day > 0) {
      int load = Load(day);
      if (!ignore_event.empty()) {
        for (const ExistingBooking& b : rules_->bookings) load -= b.event_id == ignore_event && b.day == day;
      }
      if (load >= rules_->max_events_per_day) {
        return Problem{ProblemKind::kFull, "",
                       absl::StrCat(date, " already holds ", load, " event(s), the most per day")};
      }
    }
    return std::nullopt;
  }

 private:
  const SchedulingRules* rules_;
  std::map<std::string, std::vector<const UnavailableDates*>> unavailable_;
  std::map<std::pair<std::string, absl::CivilDay>, std::pair<std::string, std::string>> busy_;
  std::map<absl::CivilDay, int> per_day_;
};

std::string Plural(int n, const std::string& what) {
  return absl::StrCat(n, " ", what, n == 1 ? "" : "s");
}

// "no date in S..E free for A, B and C (reasons)".
std::string Explain(const Calendar& calendar, const SchedulingRules& rules,
                    const ChallengeToPlace& challenge) {
  int weekend = 0, excluded = 0, full = 0;
  std::map<std::string, int> booked;
  std::vector<std::string> unavailable;
  for (absl::CivilDay day = rules.start; day <= rules.end; ++day) {
    const std::optional<Problem> p = calendar.Check(day, challenge.las, "");
    if (!p) continue;
    switch (p->kind) {
      case ProblemKind::kWeekend: ++weekend; break;
      case ProblemKind::kExcluded: ++excluded; break;
      case ProblemKind::kFull: ++full; break;
      case ProblemKind::kBooked: ++booked[p->la]; break;
      case ProblemKind::kUnavailable: {
        const std::string text = p->text;
        if (std::find(unavailable.begin(), unavailable.end(), text) == unavailable.end()) {
          unavailable.push_back(text);
        }
        break;
      }
      case ProblemKind::kOutside: break;
    }
  }
  std::vector<std::string> why = unavailable;
  for (const auto& [la, days] : booked) why.push_back(absl::StrCat(la, " booked at other challenges on ", Plural(days, "day")));
  if (weekend > 0) why.push_back(Plural(weekend, "weekend day"));
  if (excluded > 0) why.push_back(Plural(excluded, "excluded date"));
  if (full > 0) why.push_back(Plural(full, "day") + " already full");
  std::string las;
  for (size_t i = 0; i < challenge.las.size(); ++i) {
    absl::StrAppend(&las, i == 0 ? "" : i + 1 == challenge.las.size() ? " and " : ", ", challenge.las[i]);
  }
  std::string reason = absl::StrCat("no date in ", FormatCivilDate(rules.start), "..",
                                    FormatCivilDate(rules.end), " free for ", las);
  if (rules.end < rules.start) reason = "the challenge phase holds no date";
  if (!why.empty()) absl::StrAppend(&reason, " (", absl::StrJoin(why, "; "), ")");
  return reason;
}

// The search over placements (most constrained challenge first, quietest day first).
class Search {
 public:
  Search(const SchedulingRules& rules, const std::vector<ChallengeToPlace>& challenges, uint64_t seed)
      : rules_(rules), challenges_(challenges), calendar_(rules) {
    std::mt19937_64 random(seed);
    for (absl::CivilDay day = rules.start; day <= rules.end; ++day) {
      days_.push_back(day);
      tie_[day] = random();
    }
  }

  // Tries to place all; true when it did within the budget.
  bool PlaceAll() {
    std::vector<bool> done(challenges_.size(), false);
    return Dfs(done, 0);
  }

  // Places what it can, one at a time, explaining the rest.
  ScheduleResult Greedy() {
    calendar_ = Calendar(rules_);
    chosen_.clear();
    ScheduleResult result;
    std::vector<bool> done(challenges_.size(), false);
    for (size_t n = 0; n < challenges_.size(); ++n) {
      const auto [next, options] = MostConstrained(done);
      done[next] = true;
      if (options.empty()) {
        result.unplaced.push_back({next, Explain(calendar_, rules_, challenges_[next])});
        continue;
      }
      chosen_[next] = options.front();
      calendar_.Book(options.front(), challenges_[next].las, challenges_[next].host, "");
      result.placed.push_back({next, options.front()});
    }
    Sort(result);
    return result;
  }

  ScheduleResult Result() const {
    ScheduleResult result;
    for (const auto& [index, day] : chosen_) result.placed.push_back({index, day});
    Sort(result);
    return result;
  }

 private:
  static void Sort(ScheduleResult& result) {
    std::sort(result.placed.begin(), result.placed.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
    std::sort(result.unplaced.begin(), result.unplaced.end(),
              [](const auto& a, const auto& b) { return a.index < b.index; });
  }

  // The usable days of challenge `i` now, quietest first, ties by the seed.
  std::vector<absl::CivilDay> Options(int i) const {
    std::vector<absl::CivilDay> out;
    for (absl::CivilDay day : days_) {
      if (calendar_.Usable(day, challenges_[i].las)) out.push_back(day);
    }
    std::sort(out.begin(), out.end(), [&](absl::CivilDay a, absl::CivilDay b) {
      const int la = calendar_.Load(a), lb = calendar_.Load(b);
      if (la != lb) return la < lb;
      return tie_.at(a) < tie_.at(b);
    });
    return out;
  }

  // The undone challenge with the fewest usable days (the first on ties), and its days in order.
  std::pair<int, std::vector<absl::CivilDay>> MostConstrained(const std::vector<bool>& done) const {
    int best = -1;
    size_t best_count = 0;
    for (size_t i = 0; i < challenges_.size(); ++i) {
      if (done[i]) continue;
      size_t count = 0;
      for (absl::CivilDay day : days_) {
        if (best >= 0 && count >= best_count) break;
        count += calendar_.Usable(day, challenges_[i].las);
      }
      if (best < 0 || count < best_count) {
        best = static_cast<int>(i);
        best_count = count;
        if (count == 0) break;
      }
    }
    return {best, Options(best)};
  }

  bool Dfs(std::vector<bool>& done, size_t placed) {
    if (placed == challenges_.size()) return true;
    const auto [next, options] = MostConstrained(done);
    done[next] = true;
    for (absl::CivilDay day : options) {
      if (++nodes_ > kBudget) break;
      calendar_.Book(day, challenges_[next].las, challenges_[next].host, "");
      chosen_[next] = day;
      if (Dfs(done, placed + 1)) return true;
      chosen_.erase(next);
      calendar_.Unbook(day, challenges_[next].las);
    }
    done[next] = false;
    return false;
  }

  static constexpr int kBudget = 5000;
  const SchedulingRules& rules_;
  const std::vector<ChallengeToPlace>& challenges_;
  Calendar calendar_;
  std::vector<absl::CivilDay> days_;
  std::map<absl::CivilDay, uint64_t> tie_;
  std::map<int, absl::CivilDay> chosen_;
  int nodes_ = 0;
};

}  // namespace

std::optional<std::string> DayProblem(const SchedulingRules& rules, absl::CivilDay day,
                                      const std::vector<std::string>& las,
                                      const std::string& ignore_event) {
  const Calendar calendar(rules);
  std::optional<Problem> problem = calendar.Check(day, las, ignore_event);
  if (!problem) return std::nullopt;
  return problem->text;
}

ScheduleResult ScheduleChallenges(const SchedulingRules& rules,
                                  const std::vector<ChallengeToPlace>& challenges, uint64_t seed) {
  Search search(rules, challenges, seed);
  if (search.PlaceAll()) return search.Result();
  return search.Greedy();
}

}  // namespace slihub::peerreview
