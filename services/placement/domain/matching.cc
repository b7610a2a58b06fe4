#include "services/placement/domain/matching.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "services/placement/domain/geo.h"

namespace slihub::placement {
namespace {

const char* TypeName(PlacementType type) {
  switch (type) {
    case PlacementType::kLaFosterCare: return "LA foster care";
    case PlacementType::kIndependentFosteringAgency: return "independent fostering agency";
    case PlacementType::kChildrensHomeLa: return "children's home (LA)";
    case PlacementType::kChildrensHomePrivate: return "children's home (private)";
    case PlacementType::kChildrensHomeVoluntary: return "children's home (voluntary)";
    case PlacementType::kSecureChildrensHome: return "secure children's home";
    case PlacementType::kResidentialSpecialSchool: return "residential special school";
    case PlacementType::kParentAndChild: return "parent and child";
    case PlacementType::kSupportedAccommodation: return "supported accommodation";
    case PlacementType::kUnspecified: break;
  }
  return "unspecified type";
}

const char* GradeName(OfstedGrade grade) {
  switch (grade) {
    case OfstedGrade::kOutstanding: return "Outstanding";
    case OfstedGrade::kGood: return "Good";
    case OfstedGrade::kRequiresImprovement: return "Requires improvement";
    case OfstedGrade::kInadequate: return "Inadequate";
    case OfstedGrade::kNotJudged: return "not yet judged";
    case OfstedGrade::kUnspecified: break;
  }
  return "not yet judged";
}

std::string Pounds(int64_t pence) {
  const int64_t pounds = pence / 100;
  std::string digits = absl::StrCat(pounds);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  const int cents = static_cast<int>(pence % 100);  // printed as %02d would
  return absl::StrCat("£", grouped, ".", cents >= 0 && cents < 10 ? "0" : "", cents);
}

// "12.3 miles": std::to_chars with a precision prints exactly as printf's "%.1f" does.
std::string Miles(double miles) {
  char text[400];  // enough for any double in fixed notation
  const std::to_chars_result r =
      std::to_chars(text, text + sizeof(text), miles, std::chars_format::fixed, 1);
  return absl::StrCat(absl::string_view(text, static_cast<size_t>(r.ptr - text)), " miles");
}

// Supported accommodation is for 16 and 17 year olds only; other types suit any age.
bool TypeSuitsAge(PlacementType type, int age) {
  return type != PlacementType::kSupportedAccommodation || age >= 16;
}

bool SexAcceptedBy(SexAccepted accepted, Sex sex) {
  switch (accepted) {
    case SexAccepted::kFemaleOnly: return sex == Sex::kFemale;
    case SexAccepted::kMaleOnly: return sex == Sex::kMale;
    case SexAccepted::kAny:
    case SexAccepted::kUnspecified: return true;
  }
  return false;
}

OfstedGrade JudgedGrade(OfstedGrade grade) {
  return grade == OfstedGrade::kUnspecified ? OfstedGrade::kNotJudged : grade;
}

std::vector<int> MissingNeeds(const ChildProfile& profile, const SettingFacts& setting) {
  std::vector<int> missing;
  for (int need : profile.needs) {
    if (std::find(setting.registered_needs.begin(), setting.registered_needs.end(), need) ==
        setting.registered_needs.end()) {
      missing.push_back(need);
    }
  }
  return missing;
}

int64_t CostHorizon(const PlacementConstraints& c, const MatchConfig& config) {
  return c.max_weekly_cost_pence.has_value() && *c.max_weekly_cost_pence > 0
             ? *c.max_weekly_cost_pence
             : config.cost_horizon_pence;
}

// One filter's verdict; `explain` false skips building the text (the ranking fast path).
FilterVerdict Check(Filter filter, const MatchRequest& request, const Candidate& candidate,
                    bool explain) {
  const SettingFacts& s = candidate.setting;
  const VacancyFacts& v = candidate.vacancy;
  const ChildProfile& p = request.profile;
  const PlacementConstraints& c = request.constraints;
  FilterVerdict out{filter, false, ""};
  switch (filter) {
    case Filter::kBeds: {
      if (!s.active) {
        out.passed = false;
        if (explain) out.explanation = "setting is inactive";
      } else if (v.state != VacancyState::kOpen) {
        out.passed = false;
        if (explain) out.explanation = v.state == VacancyState::kFilled ? "vacancy is filled"
                                                                       : "vacancy is withdrawn";
      } else {
        out.passed = v.beds_free() >= 1;
        if (explain) {
          out.explanation = absl::StrCat(v.beds_free(), " of ", v.beds, " beds free (", v.beds_held,
                                         " held)");
        }
      }
      break;
    }
    case Filter::kPlacementType: {
      const bool allowed =
          c.placement_types.empty() ||
          std::find(c.placement_types.begin(), c.placement_types.end(), s.placement_type) !=
              c.placement_types.end();
      const bool suits_age = TypeSuitsAge(s.placement_type, p.age_years);
      out.passed = allowed && suits_age;
      if (explain) {
        if (!suits_age) {
          out.explanation = absl::StrCat(TypeName(s.placement_type), " is for ages 16-17; child is ",
                                         p.age_years);
        } else if (!allowed) {
          out.explanation = absl::StrCat(TypeName(s.placement_type), " is not an allowed type");
        } else {
          out.explanation = absl::StrCat(TypeName(s.placement_type),
                                         c.placement_types.empty() ? " (any type allowed)"
                                                                   : " is an allowed type");
        }
      }
      break;
    }
    case Filter::kNeeds: {
      if (!explain) {
        out.passed = MissingNeeds(p, s).empty();
        break;
      }
      const std::vector<int> missing = MissingNeeds(p, s);
      out.passed = missing.empty();
      const int total = DistinctNeedCount(p.needs);
      out.explanation = absl::StrCat("registered for ", total - DistinctNeedCount(missing), " of ",
                                     total, " needs");
      if (!missing.empty()) absl::StrAppend(&out.explanation, "; missing ", absl::StrJoin(missing, ","));
      break;
    }
    case Filter::kAge: {
      out.passed = p.age_years >= s.age_min && p.age_years <= s.age_max;
      if (explain) {
        out.explanation = absl::StrCat("child is ", p.age_years, "; setting takes ", s.age_min, "-",
                                       s.age_max);
      }
      break;
    }
    case Filter::kSex: {
      out.passed = SexAcceptedBy(s.sex_accepted, p.sex);
      if (explain) {
        const char* accepts = s.sex_accepted == SexAccepted::kFemaleOnly ? "girls only"
                              : s.sex_accepted == SexAccepted::kMaleOnly ? "boys only"
                                                                         : "any sex";
        out.explanation = absl::StrCat("setting takes ", accepts);
      }
      break;
    }
    case Filter::kOfstedGrade: {
      const OfstedGrade grade = JudgedGrade(s.ofsted_grade);
      const OfstedGrade worst = EffectiveMinGrade(c);
      if (grade == OfstedGrade::kNotJudged) {
        out.passed = c.allow_not_judged;
        if (explain) {
          out.explanation = c.allow_not_judged ? "not yet judged; allowed"
                                               : "not yet judged; not allowed";
        }
      } else {
        out.passed = static_cast<int>(grade) <= static_cast<int>(worst);
        if (explain) {
          out.explanation = absl::StrCat(GradeName(grade), out.passed ? " meets " : " is below ",
                                         "the minimum ", GradeName(worst));
        }
      }
      break;
    }
    case Filter::kAvailability: {
      if (!c.needed_by.has_value()) {
        out.passed = true;
        if (explain) {
          out.explanation = absl::StrCat("available from ", FormatCivilDate(v.available_from),
                                         "; no needed-by date");
        }
      } else {
        out.passed = v.available_from <= *c.needed_by;
        if (explain) {
          out.explanation = absl::StrCat("available from ", FormatCivilDate(v.available_from),
                                         out.passed ? ", on or before " : ", after ",
                                         FormatCivilDate(*c.needed_by));
        }
      }
      break;
    }
    case Filter::kCost: {
      if (!c.max_weekly_cost_pence.has_value()) {
        out.passed = true;
        if (explain) out.explanation = absl::StrCat(Pounds(v.weekly_cost_pence), " a week; no ceiling");
      } else {
        out.passed = v.weekly_cost_pence <= *c.max_weekly_cost_pence;
        if (explain) {
          out.explanation = absl::StrCat(Pounds(v.weekly_cost_pence), out.passed ? " <= " : " > ",
                                         Pounds(*c.max_weekly_cost_pence), " a week");
        }
      }
      break;
    }
    case Filter::kDistance: {
      const std::optional<double> d = DistanceMiles(p, s);
      if (!d.has_value()) {
        // A limit that cannot be checked is not met; without a limit nothing is filtered.
        out.passed = c.max_distance_miles <= 0;
        if (explain) {
          out.explanation = out.passed ? "distance unknown; no limit"
                                       : absl::StrCat("distance unknown; the limit of ",
                                                      Miles(c.max_distance_miles),
                                                      " cannot be checked");
        }
      } else if (c.max_distance_miles <= 0) {
        out.passed = true;
        if (explain) out.explanation = absl::StrCat(Miles(*d), "; no limit");
      } else {
        out.passed = *d <= c.max_distance_miles;
        if (explain) {
          out.explanation =
              absl::StrCat(Miles(*d), out.passed ? " <= " : " > ", Miles(c.max_distance_miles));
        }
      }
      break;
    }
    case Filter::kOccupancy: {
      out.passed = !c.solo_required || v.occupancy == Occupancy::kSolo;
      if (explain) {
        const char* kind = v.occupancy == Occupancy::kSolo ? "solo" : "shared";
        out.explanation = c.solo_required ? absl::StrCat(kind, "; solo required")
                                          : absl::StrCat(kind, "; solo not required");
      }
      break;
    }
    case Filter::kSiblings: {
      const bool applies = c.keep_siblings_together && p.sibling_group_size > 1;
      out.passed = !applies || v.sibling_capacity >= p.sibling_group_size;
      if (explain) {
        out.explanation =
            applies ? absl::StrCat("room for ", v.sibling_capacity, " siblings; group of ",
                                   p.sibling_group_size, " must stay together")
                    : absl::StrCat("room for ", v.sibling_capacity,
                                   " siblings; not required to place together");
      }
      break;
    }
    case Filter::kScope: {
      switch (request.scope) {
        case Scope::kOwnLa:
          out.passed = s.host_la == request.la_code;
          if (explain) out.explanation = absl::StrCat("setting in LA ", s.host_la, "; scope own LA ",
                                                      request.la_code);
          break;
        case Scope::kNational:
          out.passed = true;
          if (explain) out.explanation = absl::StrCat("setting in region ", s.region, "; scope national");
          break;
        case Scope::kOwnRegion:
        case Scope::kUnspecified:
          out.passed = s.region == request.region;
          if (explain) out.explanation = absl::StrCat("setting in region ", s.region,
                                                      "; scope own region ", request.region);
          break;
      }
      break;
    }
  }
  return out;
}

double Clamp01(double x) { return std::max(0.0, std::min(1.0, x)); }

double GradeValue(OfstedGrade grade) {
  switch (JudgedGrade(grade)) {
    case OfstedGrade::kOutstanding: return 1.0;
    case OfstedGrade::kGood: return 0.75;
    case OfstedGrade::kRequiresImprovement: return 0.4;
    case OfstedGrade::kInadequate: return 0.0;
    default: return 0.3;
  }
}

}  // namespace

const char* FilterName(Filter filter) {
  static const char* const kNames[] = {"BEDS", "PLACEMENT_TYPE", "NEEDS", "AGE", "SEX",
                                       "OFSTED_GRADE", "AVAILABILITY", "COST", "DISTANCE",
                                       "OCCUPANCY", "SIBLINGS", "SCOPE"};
  return kNames[static_cast<int>(filter) - 1];
}

const char* ComponentName(Component component) {
  static const char* const kNames[] = {"DISTANCE", "COST", "OFSTED_GRADE", "NEEDS_FIT",
                                       "IN_LA", "IN_REGION", "SIBLING_CAPACITY", "STALENESS"};
  return kNames[static_cast<int>(component) - 1];
}

OfstedGrade EffectiveMinGrade(const PlacementConstraints& constraints) {
  const OfstedGrade g = constraints.min_ofsted_grade;
  return g == OfstedGrade::kUnspecified || g == OfstedGrade::kNotJudged
             ? OfstedGrade::kRequiresImprovement
             : g;
}

bool IsStale(const VacancyFacts& vacancy, absl::Time now, const MatchConfig& config) {
  return now - vacancy.last_confirmed_at > config.stale_after;
}

std::optional<double> DistanceMiles(const ChildProfile& profile, const SettingFacts& setting) {
  if (!profile.home_coordinates.has_value() || !setting.coordinates.has_value()) return std::nullopt;
  return GreatCircleMiles(*profile.home_coordinates, *setting.coordinates);
}

std::vector<FilterVerdict> EvaluateFilters(const MatchRequest& request,
                                           const Candidate& candidate) {
  std::vector<FilterVerdict> out;
  out.reserve(kFilterCount);
  for (int f = 1; f <= kFilterCount; ++f) {
    out.push_back(Check(static_cast<Filter>(f), request, candidate, true));
  }
  return out;
}

std::optional<Filter> FirstFailingFilter(const MatchRequest& request, const Candidate& candidate) {
  for (int f = 1; f <= kFilterCount; ++f) {
    if (!Check(static_cast<Filter>(f), request, candidate, false).passed) {
      return static_cast<Filter>(f);
    }
  }
  return std::nullopt;
}

int DistinctNeedCount(const std::vector<int>& needs) {
  if (needs.size() <= 32) {  // the usual case: count without allocating
    int distinct = 0;
    for (size_t i = 0; i < needs.size(); ++i) {
      distinct += std::find(needs.begin(), needs.begin() + static_cast<ptrdiff_t>(i), needs[i]) ==
                  needs.begin() + static_cast<ptrdiff_t>(i);
    }
    return distinct;
  }
  std::vector<int> copy = needs;
  std::sort(copy.begin(), copy.end());
  return static_cast<int>(std::unique(copy.begin(), copy.end()) - copy.begin());
}

ScoreFigures ScoreCandidateFigures(const MatchRequest& request, const Candidate& candidate,
                                   int child_needs, int registered_needs, absl::Time now,
                                   const MatchConfig& config) {
  const SettingFacts& s = candidate.setting;
  const VacancyFacts& v = candidate.vacancy;
  const PlacementConstraints& c = request.constraints;
  ScoreFigures f;
  f.distance_miles = DistanceMiles(request.profile, s);
  f.in_la = s.host_la == request.la_code;
  f.in_region = s.region == request.region;
  f.stale = IsStale(v, now, config);
  auto set = [&](Component component, double value) {
    f.values[static_cast<int>(component) - 1] = value;
  };
  if (f.distance_miles.has_value()) {
    const double horizon = c.max_distance_miles > 0 ? c.max_distance_miles
                                                    : config.distance_horizon_miles;
    set(Component::kDistance, Clamp01(1.0 - *f.distance_miles / horizon));
  } else {
    set(Component::kDistance, 0);  // unknown scores as the furthest, never as a middle distance
  }
  set(Component::kCost, Clamp01(1.0 - static_cast<double>(v.weekly_cost_pence) /
                                          static_cast<double>(CostHorizon(c, config))));
  set(Component::kOfstedGrade, GradeValue(s.ofsted_grade));
  set(Component::kNeedsFit,
      registered_needs == 0
          ? 1.0
          : Clamp01(static_cast<double>(child_needs + 1) / (registered_needs + 1)));
  set(Component::kInLa, f.in_la ? 1.0 : 0.0);
  set(Component::kInRegion, f.in_region ? 1.0 : 0.0);
  const int group = std::max(1, request.profile.sibling_group_size);
  set(Component::kSiblingCapacity,
      group <= 1 ? 1.0 : Clamp01(static_cast<double>(v.sibling_capacity) / group));
  set(Component::kStaleness, f.stale ? 0.0 : 1.0);
  double total = 0;
  for (int i = 0; i < kComponentCount; ++i) total += f.values[i] * config.weights[i];
  f.score = std::round(total * 1e9) / 1e9;
  return f;
}

ScoredMatch ScoreCandidate(const MatchRequest& request, const Candidate& candidate, absl::Time now,
                           const MatchConfig& config) {
  const SettingFacts& s = candidate.setting;
  const VacancyFacts& v = candidate.vacancy;
  const int child_needs = DistinctNeedCount(request.profile.needs);
  const int registered = DistinctNeedCount(s.registered_needs);
  const ScoreFigures f =
      ScoreCandidateFigures(request, candidate, child_needs, registered, now, config);
  ScoredMatch m;
  m.vacancy_id = v.vacancy_id;
  m.distance_miles = f.distance_miles;
  m.in_la = f.in_la;
  m.in_region = f.in_region;
  m.stale = f.stale;
  m.score = f.score;
  m.components.reserve(kComponentCount);
  auto add = [&](Component component, std::string detail) {
    const int i = static_cast<int>(component) - 1;
    const double weight = config.weights[i];
    m.components.push_back(
        ScorePart{component, f.values[i], weight, f.values[i] * weight, std::move(detail)});
  };
  if (m.distance_miles.has_value()) {
    add(Component::kDistance,
        absl::StrCat(Miles(*m.distance_miles),
                     *m.distance_miles <= config.near_home_miles ? " (near home)" : ""));
  } else {
    add(Component::kDistance, "distance unknown");
  }
  add(Component::kCost, absl::StrCat(Pounds(v.weekly_cost_pence), " a week"));
  add(Component::kOfstedGrade, GradeName(JudgedGrade(s.ofsted_grade)));
  add(Component::kNeedsFit, absl::StrCat(child_needs, " needs of ", registered, " registered"));
  add(Component::kInLa, m.in_la ? "in the placing LA" : absl::StrCat("in LA ", s.host_la));
  add(Component::kInRegion,
      m.in_region ? "in the placing LA's region" : absl::StrCat("in region ", s.region));
  const int group = std::max(1, request.profile.sibling_group_size);
  add(Component::kSiblingCapacity,
      absl::StrCat("room for ", v.sibling_capacity, "; group of ", group));
  add(Component::kStaleness, m.stale ? "not confirmed recently (stale)" : "recently confirmed");
  return m;
}

bool RanksBefore(double score_a, const std::optional<double>& distance_a, const Candidate& ca,
                 double score_b, const std::optional<double>& distance_b, const Candidate& cb) {
  if (score_a != score_b) return score_a > score_b;
  if (distance_a.has_value() != distance_b.has_value()) return distance_a.has_value();
  if (distance_a.has_value() && *distance_a != *distance_b) return *distance_a < *distance_b;
  if (ca.vacancy.weekly_cost_pence != cb.vacancy.weekly_cost_pence) {
    return ca.vacancy.weekly_cost_pence < cb.vacancy.weekly_cost_pence;
  }
  return ca.vacancy.vacancy_id < cb.vacancy.vacancy_id;
}

bool RanksBefore(const ScoredMatch& a, const Candidate& ca, const ScoredMatch& b,
                 const Candidate& cb) {
  return RanksBefore(a.score, a.distance_miles, ca, b.score, b.distance_miles, cb);
}

MatchOutcome Match(const MatchRequest& request, const std::vector<const Candidate*>& candidates,
                   absl::Time now, const MatchConfig& config, size_t explain_first) {
  MatchOutcome out;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = *candidates[i];
    if (!Check(Filter::kScope, request, c, false).passed) continue;
    ++out.candidates;
    const std::optional<Filter> failed = FirstFailingFilter(request, c);
    if (failed.has_value()) {
      ++out.excluded_by[static_cast<int>(*failed) - 1];
      continue;
    }
    ScoredMatch m = ScoreCandidate(request, c, now, config);
    m.candidate_index = i;
    out.matches.push_back(std::move(m));
  }
  out.matched = out.matches.size();
  std::sort(out.matches.begin(), out.matches.end(),
            [&](const ScoredMatch& a, const ScoredMatch& b) {
              return RanksBefore(a, *candidates[a.candidate_index], b,
                                 *candidates[b.candidate_index]);
            });
  for (size_t i = 0; i < out.matches.size(); ++i) {
    out.matches[i].rank = static_cast<int>(i) + 1;
    if (i < explain_first) {
      out.matches[i].passed_filters =
          EvaluateFilters(request, *candidates[out.matches[i].candidate_index]);
    }
  }
  return out;
}

MatchOutcome Match(const MatchRequest& request, const std::vector<Candidate>& candidates,
                   absl::Time now, const MatchConfig& config, size_t explain_first) {
  std::vector<const Candidate*> pointers;
  pointers.reserve(candidates.size());
  for (const Candidate& c : candidates) pointers.push_back(&c);
  return Match(request, pointers, now, config, explain_first);
}

Explanation Explain(const MatchRequest& request, const std::vector<Candidate>& candidates,
                    size_t index, absl::Time now, const MatchConfig& config) {
  Explanation out;
  const Candidate& target = candidates[index];
  out.filters = EvaluateFilters(request, target);
  out.excluded = std::any_of(out.filters.begin(), out.filters.end(),
                             [](const FilterVerdict& v) { return !v.passed; });
  if (out.excluded) return out;
  ScoredMatch m = ScoreCandidate(request, target, now, config);
  m.candidate_index = index;
  m.passed_filters = out.filters;
  int rank = 1;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i == index || candidates[i].vacancy.vacancy_id == target.vacancy.vacancy_id) continue;
    if (FirstFailingFilter(request, candidates[i]).has_value()) continue;
    const ScoredMatch other = ScoreCandidate(request, candidates[i], now, config);
    if (RanksBefore(other, candidates[i], m, target)) ++rank;
  }
  m.rank = rank;
  out.match = std::move(m);
  return out;
}

}  // namespace slihub::placement
