#include "services/peerreview/domain/review_team.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub::peerreview {
namespace {

bool InConflict(const TeamRequest& r, const std::string& a, const std::string& b) {
  for (const auto& [x, y] : r.conflicts) {
    if ((x == a && y == b) || (x == b && y == a)) return true;
  }
  return false;
}

}  // namespace

std::string TeamMemberProblem(const TeamRequest& request, const std::string& la,
                              const std::vector<std::string>& team) {
  if (la == request.host) return "is the host";
  if (request.excluded.count(la) > 0) return "excluded at the host's request";
  if (InConflict(request, la, request.host)) return absl::StrCat("declared a conflict of interest with ", request.host);
  for (const std::string& member : team) {
    if (InConflict(request, la, member)) return absl::StrCat("declared a conflict of interest with team member ", member);
  }
  SchedulingRules rules = request.rules;
  rules.start = request.first_day;
  rules.end = request.last_day;
  rules.allow_weekends = true;
  rules.max_events_per_day = 0;
  for (absl::CivilDay day = request.first_day; day <= request.last_day; ++day) {
    if (std::optional<std::string> problem = DayProblem(rules, day, {la})) return *problem;
  }
  return "";
}

TeamResult ChooseReviewTeam(const TeamRequest& request) {
  TeamResult result;
  std::mt19937_64 random(request.seed);
  std::vector<std::pair<std::string, uint64_t>> order;
  for (const std::string& la : request.candidates) {
    if (la != request.host) order.push_back({la, random()});
  }
  auto load = [&](const std::string& la) {
    auto it = request.load.find(la);
    return it == request.load.end() ? 0 : it->second;
  };
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (load(a.first) != load(b.first)) return load(a.first) < load(b.first);
    return a.second < b.second;
  });
  for (const auto& [la, tie] : order) {
    if (static_cast<int>(result.team.size()) == request.size) break;
    const std::string problem = TeamMemberProblem(request, la, result.team);
    if (problem.empty()) {
      result.team.push_back(la);
    } else {
      result.excluded[la] = problem;
    }
  }
  std::vector<std::string> loads;
  for (const std::string& la : result.team) loads.push_back(absl::StrCat(la, " (", load(la), ")"));
  std::sort(result.team.begin(), result.team.end());
  result.rationale = absl::StrCat(
      "The least loaded LAs free on every day of the review and in no declared conflict, by "
      "reviews attended so far: ",
      loads.empty() ? "none" : absl::StrJoin(loads, ", "),
      result.excluded.empty() ? "." : absl::StrCat("; ", result.excluded.size(), " LA(s) could not serve."));
  return result;
}

}  // namespace slihub::peerreview
