#include "services/placement/domain/filter_key.h"

#include <algorithm>
#include <cstring>

#include "services/placement/domain/geo.h"

namespace slihub::placement {
namespace {

// Packs up to 8 bytes of `text`; false when it is longer.
bool Pack(const std::string& text, uint64_t* out) {
  if (text.size() > 8) return false;
  uint64_t v = 0;
  std::memcpy(&v, text.data(), text.size());
  *out = v;
  return true;
}

int64_t Days(absl::CivilDay day) { return day - absl::CivilDay(1970, 1, 1); }

}  // namespace

FilterKey MakeFilterKey(const Candidate& c) {
  FilterKey k;
  k.available_day = Days(c.vacancy.available_from);
  k.weekly_cost_pence = c.vacancy.weekly_cost_pence;
  if (c.setting.coordinates.has_value()) {
    k.has_coordinates = true;
    k.latitude = c.setting.coordinates->latitude;
    k.longitude = c.setting.coordinates->longitude;
  }
  k.exact = Pack(c.setting.host_la, &k.host_la) && Pack(c.setting.region, &k.region);
  for (int need : c.setting.registered_needs) {
    if (need >= 0 && need < 32) k.needs_mask |= 1u << need;
  }
  k.age_min = static_cast<int16_t>(std::clamp(c.setting.age_min, -1000, 1000));
  k.age_max = static_cast<int16_t>(std::clamp(c.setting.age_max, -1000, 1000));
  k.exact = k.exact && k.age_min == c.setting.age_min && k.age_max == c.setting.age_max;
  k.beds_free = c.vacancy.beds_free();
  k.sibling_capacity = c.vacancy.sibling_capacity;
  k.exact = k.exact && static_cast<int>(c.setting.placement_type) >= 0 &&
            static_cast<int>(c.setting.placement_type) < 32;
  k.placement_type = static_cast<uint8_t>(c.setting.placement_type);
  k.grade = static_cast<uint8_t>(c.setting.ofsted_grade);
  k.sex_accepted = static_cast<uint8_t>(c.setting.sex_accepted);
  k.occupancy = static_cast<uint8_t>(c.vacancy.occupancy);
  k.state = static_cast<uint8_t>(c.vacancy.state);
  k.active = c.setting.active;
  return k;
}

PreparedRequest PrepareRequest(const MatchRequest& request) {
  PreparedRequest p;
  p.request = &request;
  for (int need : request.profile.needs) {
    if (need < 0 || need >= 32) {
      p.exact = false;
    } else {
      p.child_needs_mask |= 1u << need;
    }
  }
  for (PlacementType t : request.constraints.placement_types) {
    const int type = static_cast<int>(t);
    if (type < 0 || type >= 32) {
      p.exact = false;
    } else {
      p.allowed_types_mask |= 1u << type;
    }
  }
  if (request.constraints.needed_by.has_value()) p.needed_by_day = Days(*request.constraints.needed_by);
  p.exact = p.exact && Pack(request.la_code, &p.la_code) && Pack(request.region, &p.region);
  return p;
}

std::optional<Filter> FirstFailingFilterByKey(const PreparedRequest& p, const FilterKey& k) {
  const MatchRequest& r = *p.request;
  const PlacementConstraints& c = r.constraints;
  if (!k.active || k.state != static_cast<uint8_t>(VacancyState::kOpen) || k.beds_free < 1) {
    return Filter::kBeds;
  }
  if ((p.allowed_types_mask != 0 && (p.allowed_types_mask & (1u << k.placement_type)) == 0) ||
      (k.placement_type == static_cast<uint8_t>(PlacementType::kSupportedAccommodation) &&
       r.profile.age_years < 16)) {
    return Filter::kPlacementType;
  }
  if ((p.child_needs_mask & ~k.needs_mask) != 0) return Filter::kNeeds;
  if (r.profile.age_years < k.age_min || r.profile.age_years > k.age_max) return Filter::kAge;
  const SexAccepted accepted = static_cast<SexAccepted>(k.sex_accepted);
  if ((accepted == SexAccepted::kFemaleOnly && r.profile.sex != Sex::kFemale) ||
      (accepted == SexAccepted::kMaleOnly && r.profile.sex != Sex::kMale)) {
    return Filter::kSex;
  }
  const int grade = k.grade == 0 ? static_cast<int>(OfstedGrade::kNotJudged) : k.grade;
  if (grade == static_cast<int>(OfstedGrade::kNotJudged)) {
    if (!c.allow_not_judged) return Filter::kOfstedGrade;
  } else if (grade > static_cast<int>(EffectiveMinGrade(c))) {
    return Filter::kOfstedGrade;
  }
  if (c.needed_by.has_value() && k.available_day > p.needed_by_day) return Filter::kAvailability;
  if (c.max_weekly_cost_pence.has_value() && k.weekly_cost_pence > *c.max_weekly_cost_pence) {
    return Filter::kCost;
  }
  if (c.max_distance_miles > 0 && k.has_coordinates && r.profile.home_coordinates.has_value() &&
      GreatCircleMiles(*r.profile.home_coordinates, GeoPoint{k.latitude, k.longitude}) >
          c.max_distance_miles) {
    return Filter::kDistance;
  }
  if (c.solo_required && k.occupancy != static_cast<uint8_t>(Occupancy::kSolo)) {
    return Filter::kOccupancy;
  }
  if (c.keep_siblings_together && r.profile.sibling_group_size > 1 &&
      k.sibling_capacity < r.profile.sibling_group_size) {
    return Filter::kSiblings;
  }
  switch (r.scope) {
    case Scope::kOwnLa:
      if (k.host_la != p.la_code) return Filter::kScope;
      break;
    case Scope::kNational:
      break;
    case Scope::kOwnRegion:
    case Scope::kUnspecified:
      if (k.region != p.region) return Filter::kScope;
      break;
  }
  return std::nullopt;
}

MatchOutcome MatchByKeys(const MatchRequest& request, const std::vector<const Candidate*>& candidates,
                         const std::vector<FilterKey>& keys, absl::Time now,
                         const MatchConfig& config, size_t explain_first) {
  const PreparedRequest prepared = PrepareRequest(request);
  if (!prepared.exact || keys.size() != candidates.size()) {
    return Match(request, candidates, now, config, explain_first);
  }
  MatchOutcome out;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const FilterKey& k = keys[i];
    const Candidate& c = *candidates[i];
    bool in_scope = true;
    if (request.scope == Scope::kOwnLa) {
      in_scope = k.exact ? k.host_la == prepared.la_code : c.setting.host_la == request.la_code;
    } else if (request.scope != Scope::kNational) {
      in_scope = k.exact ? k.region == prepared.region : c.setting.region == request.region;
    }
    if (!in_scope) continue;
    ++out.candidates;
    // A key whose ids were too long to pack (rare) is decided the slow way.
    const std::optional<Filter> failed =
        k.exact ? FirstFailingFilterByKey(prepared, k) : FirstFailingFilter(request, c);
    if (failed.has_value()) {
      ++out.excluded_by[static_cast<int>(*failed) - 1];
      continue;
    }
    ScoredMatch m = ScoreCandidate(request, *candidates[i], now, config);
    m.candidate_index = i;
    out.matches.push_back(std::move(m));
  }
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

}  // namespace slihub::placement
