#include "services/placement/domain/filter_key.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
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

constexpr uint32_t Bit(Filter filter) { return 1u << (static_cast<int>(filter) - 1); }
// The filters applied before the distance.
constexpr uint32_t kBeforeDistance = Bit(Filter::kDistance) - 1;
// Above every filter's bit: the lowest bit set of (failed | kPassed) is kFilterCount for a pass.
constexpr uint32_t kPassed = 1u << kFilterCount;
constexpr double kPi = 3.14159265358979323846;

// FailedFilters for a key that cannot be decided from its fields: the first filter failed only.
uint32_t FailedFiltersSlowly(const MatchRequest& request, const Candidate& c) {
  const std::optional<Filter> first = FirstFailingFilter(request, c);
  return first.has_value() ? Bit(*first) : 0;
}

// The scope filter's verdict for a setting in `region` and `host_la`.
bool InScope(const MatchRequest& request, const std::string& region, const std::string& host_la) {
  switch (request.scope) {
    case Scope::kOwnLa: return host_la == request.la_code;
    case Scope::kNational: return true;
    case Scope::kOwnRegion:
    case Scope::kUnspecified: return region == request.region;
  }
  return false;
}

// A passing candidate's place in the ranking, before its text is built.
struct Ranked {
  double score;
  std::optional<double> distance_miles;
  uint32_t index;
};

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
  const int registered = DistinctNeedCount(c.setting.registered_needs);
  k.registered_needs = static_cast<int16_t>(std::min(registered, 32767));
  k.exact = k.exact && k.registered_needs == registered;
  return k;
}

PreparedRequest PrepareRequest(const MatchRequest& request) {
  PreparedRequest p;
  p.request = &request;
  const ChildProfile& child = request.profile;
  const PlacementConstraints& c = request.constraints;
  for (int need : child.needs) {
    if (need < 0 || need >= 32) {
      p.exact = false;
    } else {
      p.child_needs_mask |= 1u << need;
    }
  }
  for (PlacementType t : c.placement_types) {
    const int type = static_cast<int>(t);
    if (type < 0 || type >= 32) {
      p.exact = false;
    } else {
      p.allowed_types_mask |= 1u << type;
    }
  }
  if (c.needed_by.has_value()) p.needed_by_day = Days(*c.needed_by);
  p.exact = p.exact && Pack(request.la_code, &p.la_code) && Pack(request.region, &p.region);

  p.type_ok_mask = p.allowed_types_mask == 0 ? ~0u : p.allowed_types_mask;
  if (child.age_years < 16) {
    p.type_ok_mask &= ~(1u << static_cast<int>(PlacementType::kSupportedAccommodation));
  }
  const int worst = static_cast<int>(EffectiveMinGrade(c));
  for (int g = 0; g < 256; ++g) {
    const int judged = g == 0 ? static_cast<int>(OfstedGrade::kNotJudged) : g;
    const bool fails = judged == static_cast<int>(OfstedGrade::kNotJudged) ? !c.allow_not_judged
                                                                          : judged > worst;
    if (fails) p.grade_fail[g >> 6] |= uint64_t{1} << (g & 63);
  }
  if (child.sex != Sex::kFemale) {
    p.sex_fail_mask |= uint64_t{1} << static_cast<int>(SexAccepted::kFemaleOnly);
  }
  if (child.sex != Sex::kMale) {
    p.sex_fail_mask |= uint64_t{1} << static_cast<int>(SexAccepted::kMaleOnly);
  }
  p.available_by_day = c.needed_by.has_value() ? p.needed_by_day
                                               : std::numeric_limits<int64_t>::max();
  p.cost_ceiling_pence = c.max_weekly_cost_pence.value_or(std::numeric_limits<int64_t>::max());
  p.siblings_needed = c.keep_siblings_together && child.sibling_group_size > 1
                          ? child.sibling_group_size
                          : std::numeric_limits<int32_t>::min();
  p.solo_required = c.solo_required;
  p.distance_applies = c.max_distance_miles > 0 && child.home_coordinates.has_value();
  // The great-circle distance is never less than the latitude difference's arc, so a key further
  // than this in latitude fails (with a margin for rounding); an invalid home disables the shortcut.
  p.latitude_band = std::numeric_limits<double>::infinity();
  if (p.distance_applies && IsValidGeoPoint(*child.home_coordinates)) {
    p.latitude_band = c.max_distance_miles / (kEarthRadiusMiles * kPi / 180.0) * (1 + 1e-9) + 1e-9;
  }
  p.child_needs = DistinctNeedCount(child.needs);
  return p;
}

uint32_t FailedFilters(const PreparedRequest& p, const FilterKey& k) {
  const MatchRequest& r = *p.request;
  const int age = r.profile.age_years;
  auto bit = [](bool fails, Filter filter) { return static_cast<uint32_t>(fails) * Bit(filter); };
  uint32_t failed =
      bit(!k.active | (k.state != static_cast<uint8_t>(VacancyState::kOpen)) | (k.beds_free < 1),
          Filter::kBeds) |
      bit(((p.type_ok_mask >> (k.placement_type & 31)) & 1) == 0, Filter::kPlacementType) |
      bit((p.child_needs_mask & ~k.needs_mask) != 0, Filter::kNeeds) |
      bit((age < k.age_min) | (age > k.age_max), Filter::kAge) |
      bit((k.sex_accepted < 64) & ((p.sex_fail_mask >> (k.sex_accepted & 63)) & 1), Filter::kSex) |
      bit((p.grade_fail[k.grade >> 6] >> (k.grade & 63)) & 1, Filter::kOfstedGrade) |
      bit(k.available_day > p.available_by_day, Filter::kAvailability) |
      bit(k.weekly_cost_pence > p.cost_ceiling_pence, Filter::kCost) |
      bit(p.solo_required & (k.occupancy != static_cast<uint8_t>(Occupancy::kSolo)),
          Filter::kOccupancy) |
      bit(k.sibling_capacity < p.siblings_needed, Filter::kSiblings);
  switch (r.scope) {
    case Scope::kOwnLa: failed |= bit(k.host_la != p.la_code, Filter::kScope); break;
    case Scope::kNational: break;
    case Scope::kOwnRegion:
    case Scope::kUnspecified: failed |= bit(k.region != p.region, Filter::kScope); break;
  }
  // The distance only when every filter before it passed: the one costly test.
  if ((failed & kBeforeDistance) == 0 && p.distance_applies && k.has_coordinates) {
    const GeoPoint& home = *r.profile.home_coordinates;
    const bool beyond_band =
        std::abs(k.latitude - home.latitude) > p.latitude_band && std::abs(k.latitude) <= 90;
    if (beyond_band || GreatCircleMiles(home, GeoPoint{k.latitude, k.longitude}) >
                           r.constraints.max_distance_miles) {
      failed |= Bit(Filter::kDistance);
    }
  }
  return failed;
}

std::optional<Filter> FirstFailingFilterByKey(const PreparedRequest& p, const FilterKey& k) {
  const uint32_t failed = FailedFilters(p, k);
  if (failed == 0) return std::nullopt;
  return static_cast<Filter>(__builtin_ctz(failed) + 1);
}

KeyIndex BuildKeyIndex(const std::vector<const Candidate*>& candidates) {
  absl::flat_hash_map<std::pair<std::string, std::string>, std::vector<const Candidate*>> by_area;
  for (const Candidate* c : candidates) {
    by_area[{c->setting.region, c->setting.host_la}].push_back(c);
  }
  std::vector<std::pair<std::string, std::string>> areas;
  areas.reserve(by_area.size());
  for (const auto& [area, members] : by_area) areas.push_back(area);
  std::sort(areas.begin(), areas.end());
  KeyIndex index;
  index.candidates.reserve(candidates.size());
  index.keys.reserve(candidates.size());
  index.heads.reserve(candidates.size());
  for (const auto& area : areas) {
    KeyIndex::Group group{area.first, area.second, index.candidates.size(), 0};
    for (const Candidate* c : by_area[area]) {
      const FilterKey key = MakeFilterKey(*c);
      index.candidates.push_back(c);
      index.keys.push_back(key);
      index.heads.push_back(KeyHead{key.needs_mask, key.placement_type,
                                    key.active && key.state == static_cast<uint8_t>(VacancyState::kOpen) &&
                                        key.beds_free >= 1,
                                    key.exact});
    }
    group.end = index.candidates.size();
    index.groups.push_back(std::move(group));
  }
  return index;
}

MatchOutcome MatchByKeys(const MatchRequest& request, const KeyIndex& index, absl::Time now,
                         const MatchConfig& config, size_t explain_first, size_t keep_first) {
  const std::vector<const Candidate*>& candidates = index.candidates;
  const PreparedRequest prepared = PrepareRequest(request);
  if (!prepared.exact) {
    MatchOutcome out = Match(request, candidates, now, config, explain_first);
    if (out.matches.size() > keep_first) out.matches.resize(keep_first);
    return out;
  }
  // tally[f - 1]: first failing filter f; tally[kFilterCount]: passed.
  std::array<int, kFilterCount + 1> tally = {};
  MatchOutcome out;
  // First pass, branch-free over the heads of the groups in scope (out-of-scope candidates are
  // not counted): beds, type and needs, where most candidates stop; the rest (and any inexact key)
  // are kept for the second pass.
  std::vector<uint32_t> rest;
  int beds = 0, type = 0, needs = 0;
  for (const KeyIndex::Group& group : index.groups) {
    if (!InScope(request, group.region, group.host_la)) continue;
    out.candidates += static_cast<int>(group.end - group.begin);
    size_t kept = rest.size();
    rest.resize(kept + (group.end - group.begin));
    for (size_t i = group.begin; i < group.end; ++i) {
      const KeyHead& head = index.heads[i];
      const uint32_t early =
          static_cast<uint32_t>(!head.bookable) * Bit(Filter::kBeds) |
          static_cast<uint32_t>(((prepared.type_ok_mask >> (head.placement_type & 31)) & 1) == 0) *
              Bit(Filter::kPlacementType) |
          static_cast<uint32_t>((prepared.child_needs_mask & ~head.needs_mask) != 0) *
              Bit(Filter::kNeeds);
      // 3 (no early filter counted) when the candidate goes on to the second pass.
      const int first = head.exact ? __builtin_ctz(early | Bit(Filter::kAge)) : 3;
      beds += first == 0;
      type += first == 1;
      needs += first == 2;
      rest[kept] = static_cast<uint32_t>(i);
      kept += first == 3;
    }
    rest.resize(kept);
  }
  tally[0] = beds;
  tally[1] = type;
  tally[2] = needs;
  // Second pass over the few left: every filter from the key (a key whose ids were too long to
  // pack, which is rare, is decided the slow way).
  std::vector<uint32_t> passed;
  for (size_t j = 0; j < rest.size(); ++j) {
    if (j + 8 < rest.size()) __builtin_prefetch(&index.keys[rest[j + 8]]);
    const uint32_t i = rest[j];
    const uint32_t failed = (index.heads[i].exact ? FailedFilters(prepared, index.keys[i])
                                                  : FailedFiltersSlowly(request, *candidates[i])) &
                            ~Bit(Filter::kScope);
    const int slot = __builtin_ctz(failed | kPassed);
    ++tally[slot];
    if (slot == kFilterCount) passed.push_back(i);
  }
  std::copy(tally.begin(), tally.begin() + kFilterCount, out.excluded_by.begin());

  // Rank by the score's figures; build the text only for the matches kept.
  std::vector<Ranked> ranked;
  ranked.reserve(passed.size());
  for (uint32_t i : passed) {
    const Candidate& c = *candidates[i];
    const FilterKey& k = index.keys[i];
    const int registered = k.exact ? k.registered_needs : DistinctNeedCount(c.setting.registered_needs);
    const ScoreFigures f =
        ScoreCandidateFigures(request, c, prepared.child_needs, registered, now, config);
    ranked.push_back(Ranked{f.score, f.distance_miles, i});
  }
  auto before = [&](const Ranked& a, const Ranked& b) {
    return RanksBefore(a.score, a.distance_miles, *candidates[a.index], b.score, b.distance_miles,
                       *candidates[b.index]);
  };
  const size_t keep = std::min(keep_first, ranked.size());
  if (keep == ranked.size()) {
    std::sort(ranked.begin(), ranked.end(), before);
  } else {
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<ptrdiff_t>(keep), ranked.end(),
                      before);
  }
  out.matched = ranked.size();
  out.matches.reserve(keep);
  for (size_t i = 0; i < keep; ++i) {
    const Candidate& c = *candidates[ranked[i].index];
    ScoredMatch m = ScoreCandidate(request, c, now, config);
    m.candidate_index = ranked[i].index;
    m.rank = static_cast<int>(i) + 1;
    if (i < explain_first) m.passed_filters = EvaluateFilters(request, c);
    out.matches.push_back(std::move(m));
  }
  return out;
}

}  // namespace slihub::placement
