#include "services/placement/domain/filter_key.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <utility>

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
  const Candidate* candidate;
  size_t position;
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
  // A limit applies whether or not the distance is known: an unknown distance fails it.
  p.distance_applies = c.max_distance_miles > 0;
  // The great-circle distance is never less than the latitude difference's arc, so a key further
  // than this in latitude fails (with a margin for rounding); an invalid home disables the shortcut.
  p.latitude_band = std::numeric_limits<double>::infinity();
  if (p.distance_applies && child.home_coordinates.has_value() &&
      IsValidGeoPoint(*child.home_coordinates)) {
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
  if ((failed & kBeforeDistance) == 0 && p.distance_applies) {
    if (!k.has_coordinates || !r.profile.home_coordinates.has_value()) {
      return failed | Bit(Filter::kDistance);  // a limit that cannot be checked is not met
    }
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

namespace {

// Fills `group` from `members` (and `owned`, the same candidates owned, or empty) in KeyGroup's
// order, each range keeping the members' order.
void FillGroup(const std::vector<const Candidate*>& members,
               std::vector<std::shared_ptr<const Candidate>> owned, KeyGroup* group) {
  constexpr int kInexact = KeyGroup::kTypeSlots;
  std::vector<FilterKey> keys;
  std::vector<int> slot;  // -1: fails the beds filter; 0..31: bookable of that type; 32: inexact
  keys.reserve(members.size());
  slot.reserve(members.size());
  for (const Candidate* c : members) {
    keys.push_back(MakeFilterKey(*c));
    const FilterKey& key = keys.back();
    const bool bookable = key.active && key.state == static_cast<uint8_t>(VacancyState::kOpen) &&
                          key.beds_free >= 1;
    slot.push_back(!key.exact ? kInexact : bookable ? key.placement_type : -1);
  }
  std::vector<size_t> order(members.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return slot[a] < slot[b]; });
  group->candidates.reserve(members.size());
  group->keys.reserve(members.size());
  group->needs.reserve(members.size());
  group->owned.reserve(owned.size());
  for (size_t i : order) {
    group->candidates.push_back(members[i]);
    group->keys.push_back(keys[i]);
    group->needs.push_back(keys[i].needs_mask);
    if (!owned.empty()) group->owned.push_back(std::move(owned[i]));
  }
  // type_begin[t]: the first position whose slot is t or more.
  size_t position = 0;
  for (int t = 0; t <= kInexact; ++t) {
    while (position < order.size() && slot[order[position]] < t) ++position;
    group->type_begin[t] = static_cast<uint32_t>(position);
  }
}

}  // namespace

std::shared_ptr<const KeyGroup> BuildKeyGroup(std::string region, std::string host_la,
                                              std::vector<std::shared_ptr<const Candidate>> members) {
  auto group = std::make_shared<KeyGroup>();
  group->region = std::move(region);
  group->host_la = std::move(host_la);
  std::vector<const Candidate*> pointers;
  pointers.reserve(members.size());
  for (const auto& c : members) pointers.push_back(c.get());
  FillGroup(pointers, std::move(members), group.get());
  return group;
}

KeyIndex::KeyIndex(std::vector<std::shared_ptr<const KeyGroup>> groups) : groups_(std::move(groups)) {
  offsets_.clear();
  offsets_.reserve(groups_.size() + 1);
  size_t total = 0;
  for (const auto& group : groups_) {
    offsets_.push_back(total);
    total += group->candidates.size();
  }
  offsets_.push_back(total);
}

const Candidate& KeyIndex::candidate(size_t position) const {
  const size_t g = static_cast<size_t>(
      std::upper_bound(offsets_.begin(), offsets_.end() - 1, position) - offsets_.begin() - 1);
  return *groups_[g]->candidates[position - offsets_[g]];
}

std::vector<const Candidate*> KeyIndex::candidates() const {
  std::vector<const Candidate*> out;
  out.reserve(size());
  for (const auto& group : groups_) {
    out.insert(out.end(), group->candidates.begin(), group->candidates.end());
  }
  return out;
}

KeyIndex BuildKeyIndex(const std::vector<const Candidate*>& candidates) {
  std::map<std::pair<std::string, std::string>, std::vector<const Candidate*>> by_area;
  for (const Candidate* c : candidates) {
    by_area[{c->setting.region, c->setting.host_la}].push_back(c);
  }
  std::vector<std::shared_ptr<const KeyGroup>> groups;
  groups.reserve(by_area.size());
  for (const auto& [area, members] : by_area) {
    auto group = std::make_shared<KeyGroup>();
    group->region = area.first;
    group->host_la = area.second;
    FillGroup(members, {}, group.get());
    groups.push_back(std::move(group));
  }
  return KeyIndex(std::move(groups));
}

MatchOutcome MatchByKeys(const MatchRequest& request, const KeyIndex& index, absl::Time now,
                         const MatchConfig& config, size_t explain_first, size_t keep_first) {
  const PreparedRequest prepared = PrepareRequest(request);
  if (!prepared.exact) {
    MatchOutcome out = Match(request, index.candidates(), now, config, explain_first);
    if (out.matches.size() > keep_first) out.matches.resize(keep_first);
    return out;
  }
  const std::vector<std::shared_ptr<const KeyGroup>>& groups = index.groups();
  // tally[f - 1]: first failing filter f; tally[kFilterCount]: passed.
  std::array<int, kFilterCount + 1> tally = {};
  MatchOutcome out;
  // First pass, over the groups in scope (out-of-scope candidates are not counted): the beds and
  // type filters by the groups' ranges, the needs from the packed masks of the allowed types'
  // ranges only; the candidates left (and any inexact key) are kept, as (group << 32 | member),
  // for the second pass.
  // Room for every candidate, left uninitialised: the compaction writes each slot before use.
  const std::unique_ptr<uint64_t[]> rest(new uint64_t[index.size() + 1]);
  size_t kept = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const KeyGroup& group = *groups[g];
    if (!InScope(request, group.region, group.host_la)) continue;
    out.candidates += static_cast<int>(group.candidates.size());
    const uint64_t tag = static_cast<uint64_t>(g) << 32;
    tally[0] += static_cast<int>(group.type_begin[0]);
    for (int t = 0; t < KeyGroup::kTypeSlots; ++t) {
      const uint32_t begin = group.type_begin[t];
      const uint32_t end = group.type_begin[t + 1];
      if (begin == end) continue;
      if (((prepared.type_ok_mask >> t) & 1) == 0) {
        tally[1] += static_cast<int>(end - begin);
        continue;
      }
      const size_t first_kept = kept;
      for (uint32_t i = begin; i < end; ++i) {
        rest[kept] = tag | i;
        kept += (prepared.child_needs_mask & ~group.needs[i]) == 0;
      }
      tally[2] += static_cast<int>((end - begin) - (kept - first_kept));
    }
    for (size_t i = group.type_begin[KeyGroup::kTypeSlots]; i < group.candidates.size(); ++i) {
      rest[kept++] = tag | i;
    }
  }
  // Second pass over the few left: every filter from the key (a key whose ids were too long to
  // pack, which is rare, is decided the slow way).
  std::vector<Ranked> ranked;
  for (size_t j = 0; j < kept; ++j) {
    if (j + 8 < kept) {
      __builtin_prefetch(&groups[rest[j + 8] >> 32]->keys[rest[j + 8] & 0xffffffffu]);
    }
    const size_t g = rest[j] >> 32;
    const size_t i = rest[j] & 0xffffffffu;
    const KeyGroup& group = *groups[g];
    const FilterKey& key = group.keys[i];
    const uint32_t failed = (key.exact ? FailedFilters(prepared, key)
                                       : FailedFiltersSlowly(request, *group.candidates[i])) &
                            ~Bit(Filter::kScope);
    const int slot = __builtin_ctz(failed | kPassed);
    ++tally[slot];
    if (slot != kFilterCount) continue;
    // Passed: rank by the score's figures; the text is built only for the matches kept.
    const Candidate& c = *group.candidates[i];
    const int registered =
        key.exact ? key.registered_needs : DistinctNeedCount(c.setting.registered_needs);
    const ScoreFigures f =
        ScoreCandidateFigures(request, c, prepared.child_needs, registered, now, config);
    ranked.push_back(Ranked{f.score, f.distance_miles, &c, index.offset(g) + i});
  }
  std::copy(tally.begin(), tally.begin() + kFilterCount, out.excluded_by.begin());

  auto before = [](const Ranked& a, const Ranked& b) {
    return RanksBefore(a.score, a.distance_miles, *a.candidate, b.score, b.distance_miles,
                       *b.candidate);
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
    const Candidate& c = *ranked[i].candidate;
    ScoredMatch m = ScoreCandidate(request, c, now, config);
    m.candidate_index = ranked[i].position;
    m.rank = static_cast<int>(i) + 1;
    if (i < explain_first) m.passed_filters = EvaluateFilters(request, c);
    out.matches.push_back(std::move(m));
  }
  return out;
}

}  // namespace slihub::placement

namespace slihub::placement {

Explanation ExplainByKeys(const MatchRequest& request, const KeyIndex& index,
                          const Candidate& target, absl::Time now, const MatchConfig& config) {
  Explanation out;
  out.filters = EvaluateFilters(request, target);
  out.excluded = std::any_of(out.filters.begin(), out.filters.end(),
                             [](const FilterVerdict& v) { return !v.passed; });
  if (out.excluded) return out;
  ScoredMatch m = ScoreCandidate(request, target, now, config);
  m.passed_filters = out.filters;
  m.candidate_index = index.size();
  const PreparedRequest prepared = PrepareRequest(request);
  int rank = 1;
  for (size_t g = 0; g < index.groups().size(); ++g) {
    const KeyGroup& group = *index.groups()[g];
    if (!InScope(request, group.region, group.host_la)) continue;
    for (size_t i = 0; i < group.candidates.size(); ++i) {
      const Candidate& c = *group.candidates[i];
      if (c.vacancy.vacancy_id == target.vacancy.vacancy_id) {
        m.candidate_index = index.offset(g) + i;
        continue;
      }
      const FilterKey& key = group.keys[i];
      const bool exact = prepared.exact && key.exact;
      const uint32_t failed =
          (exact ? FailedFilters(prepared, key) : FailedFiltersSlowly(request, c)) &
          ~Bit(Filter::kScope);
      if (failed != 0) continue;
      const int registered =
          exact ? key.registered_needs : DistinctNeedCount(c.setting.registered_needs);
      const ScoreFigures f =
          ScoreCandidateFigures(request, c, prepared.child_needs, registered, now, config);
      if (RanksBefore(f.score, f.distance_miles, c, m.score, m.distance_miles, target)) ++rank;
    }
  }
  m.rank = rank;
  out.match = std::move(m);
  return out;
}

}  // namespace slihub::placement
