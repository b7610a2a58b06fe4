// Explained, deterministic matching of an anonymised child profile against vacancies: hard filters
// in a fixed order, then a weighted score whose components are reported with every result.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_MATCHING_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_MATCHING_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/placement/domain/model.h"

namespace slihub::placement {

// The hard filters, in the order they are applied (slihub.placement.v1.MatchFilter numbers).
enum class Filter {
  kBeds = 1,
  kPlacementType = 2,
  kNeeds = 3,
  kAge = 4,
  kSex = 5,
  kOfstedGrade = 6,
  kAvailability = 7,
  kCost = 8,
  kDistance = 9,
  kOccupancy = 10,
  kSiblings = 11,
  kScope = 12,
};
inline constexpr int kFilterCount = 12;

// The weighted parts of a score (slihub.placement.v1.ScoreComponentKind numbers).
enum class Component {
  kDistance = 1,
  kCost = 2,
  kOfstedGrade = 3,
  kNeedsFit = 4,
  kInLa = 5,
  kInRegion = 6,
  kSiblingCapacity = 7,
  kStaleness = 8,
};
inline constexpr int kComponentCount = 8;

// Scoring parameters. Plain data; Validate before use.
struct MatchConfig {
  // Weights indexed by Component number - 1; they need not sum to 1.
  std::array<double, kComponentCount> weights = {0.30, 0.15, 0.20, 0.10, 0.10, 0.05, 0.05, 0.05};
  // Distance scoring: 1 at home, falling linearly to 0 at this distance (or at the referral's own
  // maximum distance when it sets one); an unknown distance scores 0.
  double distance_horizon_miles = 60;
  // Cost scoring: 1 at zero, falling linearly to 0 at this weekly cost (or at the referral's own
  // ceiling when it sets one).
  int64_t cost_horizon_pence = 600000;
  // A vacancy not confirmed for this long is stale: still matched, ranked down.
  absl::Duration stale_after = absl::Hours(24 * 14);
  // The distance within which a placement counts as near home, for explanations.
  double near_home_miles = 20;
};

// One filter's verdict on one candidate.
struct FilterVerdict {
  Filter filter;
  bool passed = false;
  std::string explanation;  // the figures behind it: "31.4 miles > 20 miles"
};

// One weighted component of a score.
struct ScorePart {
  Component component;
  double value = 0;         // normalised 0..1, 1 best
  double weight = 0;
  double contribution = 0;  // value * weight
  std::string detail;       // the raw figure: "12.3 miles"
};

// A candidate that passed every filter, with its score and explanations.
struct ScoredMatch {
  int rank = 0;               // 1-based, set by Match
  size_t candidate_index = 0;  // index into the candidates passed to Match
  std::string vacancy_id;
  double score = 0;  // sum of contributions, rounded to 1e-9
  std::vector<ScorePart> components;
  std::vector<FilterVerdict> passed_filters;
  std::optional<double> distance_miles;  // unset when the child's home or the setting is unknown
  bool in_la = false;
  bool in_region = false;
  bool stale = false;
};

// The outcome of matching one request against candidates.
struct MatchOutcome {
  std::vector<ScoredMatch> matches;  // best first (MatchByKeys may keep only the best few)
  size_t matched = 0;                // candidates that passed every filter
  int candidates = 0;
  // Excluded candidates by their first failing filter, indexed by Filter number - 1.
  std::array<int, kFilterCount> excluded_by = {};
};

// Every filter's verdict on one candidate, with the score when none failed.
struct Explanation {
  bool excluded = false;
  std::vector<FilterVerdict> filters;  // all twelve, in order
  std::optional<ScoredMatch> match;    // set when not excluded (rank set by Explain)
};

// The stable upper-case name of `filter` ("BEDS", "NEEDS", ...).
const char* FilterName(Filter filter);
// The stable upper-case name of `component` ("DISTANCE", ...).
const char* ComponentName(Component component);
// The grade the request accepts at worst: kUnspecified means kRequiresImprovement.
OfstedGrade EffectiveMinGrade(const PlacementConstraints& constraints);
// True when `candidate` is stale at `now` under `config`.
bool IsStale(const VacancyFacts& vacancy, absl::Time now, const MatchConfig& config);
// The distance between the child's home and the setting, when both are known.
std::optional<double> DistanceMiles(const ChildProfile& profile, const SettingFacts& setting);

// Every filter's verdict on `candidate`, in filter order.
std::vector<FilterVerdict> EvaluateFilters(const MatchRequest& request, const Candidate& candidate);
// The first filter `candidate` fails, or nullopt when it passes all (cheaper than EvaluateFilters).
std::optional<Filter> FirstFailingFilter(const MatchRequest& request, const Candidate& candidate);
// The number of distinct need numbers in `needs`.
int DistinctNeedCount(const std::vector<int>& needs);

// The figures of a score without its text: what ranking needs. Plain data.
struct ScoreFigures {
  std::array<double, kComponentCount> values = {};  // by Component number - 1, each 0..1
  double score = 0;                                 // as ScoredMatch::score
  std::optional<double> distance_miles;
  bool in_la = false;
  bool in_region = false;
  bool stale = false;
};
// The score figures of a candidate that passed the filters; `child_needs` and `registered_needs`
// are DistinctNeedCount of the child's needs and of the setting's registered needs. The same
// figures ScoreCandidate reports, without building any text.
ScoreFigures ScoreCandidateFigures(const MatchRequest& request, const Candidate& candidate,
                                   int child_needs, int registered_needs, absl::Time now,
                                   const MatchConfig& config);
// The score of a candidate that passed the filters (rank unset; passed_filters left empty).
ScoredMatch ScoreCandidate(const MatchRequest& request, const Candidate& candidate,
                           absl::Time now, const MatchConfig& config);
// True when a candidate `ca` scored `score_a` at `distance_a` ranks before `cb`: higher score, then
// shorter distance (known before unknown), then lower weekly cost, then smaller vacancy id. A strict
// weak ordering, so ranking is deterministic.
bool RanksBefore(double score_a, const std::optional<double>& distance_a, const Candidate& ca,
                 double score_b, const std::optional<double>& distance_b, const Candidate& cb);
// As above, for two scored matches of `ca` and `cb`.
bool RanksBefore(const ScoredMatch& a, const Candidate& ca, const ScoredMatch& b,
                 const Candidate& cb);

// Filters and ranks the candidates in the request's scope for `request` at `now`; candidates
// outside the scope are skipped and not counted. Deterministic: the same inputs in any order give
// the same ranked list. Every match carries its score parts (candidate_index indexes
// `candidates`); the first `explain_first` matches (all by default) also carry every filter's
// pass explanation.
MatchOutcome Match(const MatchRequest& request, const std::vector<const Candidate*>& candidates,
                   absl::Time now, const MatchConfig& config,
                   size_t explain_first = static_cast<size_t>(-1));
// As above, over candidates held by value.
MatchOutcome Match(const MatchRequest& request, const std::vector<Candidate>& candidates,
                   absl::Time now, const MatchConfig& config,
                   size_t explain_first = static_cast<size_t>(-1));

// "Why not this one?": every filter's verdict on candidates[index], and its score and rank among
// `candidates` when it passes. `index` must be < candidates.size().
Explanation Explain(const MatchRequest& request, const std::vector<Candidate>& candidates,
                    size_t index, absl::Time now, const MatchConfig& config);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_MATCHING_H_
