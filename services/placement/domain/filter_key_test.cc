// FirstFailingFilterByKey and MatchByKeys must agree exactly with FirstFailingFilter and Match.
#include "services/placement/domain/filter_key.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>

#include "gtest/gtest.h"
#include "services/placement/domain/geo.h"

namespace slihub::placement {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

Candidate RandomCandidate(std::mt19937& rng, int i) {
  Candidate c;
  c.setting.setting_id = "EE-s-" + std::to_string(i);
  c.setting.placement_type = static_cast<PlacementType>(1 + rng() % 9);
  c.setting.ofsted_grade = static_cast<OfstedGrade>(rng() % 6);
  for (int n = 1; n <= kMaxNeedCategory; ++n) {
    if (rng() % 2) c.setting.registered_needs.push_back(n);
  }
  c.setting.age_min = static_cast<int>(rng() % 14);
  c.setting.age_max = c.setting.age_min + static_cast<int>(rng() % 8);
  c.setting.sex_accepted = static_cast<SexAccepted>(rng() % 4);
  if (rng() % 10) c.setting.coordinates = GeoPoint{50.5 + (rng() % 450) / 100.0, -3 + (rng() % 470) / 100.0};
  static const char* const kLas[] = {"926", "935", "886", "202"};
  static const char* const kRegions[] = {"EE", "EE", "SE", "LDN"};
  const int la = static_cast<int>(rng() % 4);
  c.setting.host_la = kLas[la];
  c.setting.region = (rng() % 50 == 0) ? "A-VERY-LONG-REGION" : kRegions[la];
  c.setting.active = rng() % 20 != 0;
  c.vacancy.vacancy_id = "EE-v-" + std::to_string(i);
  c.vacancy.beds = 1 + static_cast<int>(rng() % 3);
  c.vacancy.beds_held = static_cast<int>(rng() % 4) % (c.vacancy.beds + 1);
  c.vacancy.available_from = absl::CivilDay(2026, 11, 1) + static_cast<int>(rng() % 90);
  c.vacancy.weekly_cost_pence = 50000 + static_cast<int64_t>(rng() % 600000);
  c.vacancy.occupancy = static_cast<Occupancy>(1 + rng() % 2);
  c.vacancy.sibling_capacity = static_cast<int>(rng() % 4);
  c.vacancy.state = static_cast<VacancyState>(1 + (rng() % 10 == 0 ? 1 : 0));
  c.vacancy.last_confirmed_at = kNow - absl::Hours(rng() % 800);
  return c;
}

MatchRequest RandomRequest(std::mt19937& rng) {
  MatchRequest r;
  r.la_code = (rng() % 2) ? "926" : "886";
  r.region = r.la_code == "926" ? "EE" : "SE";
  r.scope = static_cast<Scope>(rng() % 4);
  r.profile.age_years = static_cast<int>(rng() % 18);
  r.profile.sex = static_cast<Sex>(rng() % 4);
  for (int n = 1; n <= kMaxNeedCategory; ++n) {
    if (rng() % 6 == 0) r.profile.needs.push_back(n);
  }
  if (rng() % 5) r.profile.home_coordinates = GeoPoint{52.63, 1.30};
  r.profile.sibling_group_size = 1 + static_cast<int>(rng() % 3);
  if (rng() % 2) r.constraints.placement_types.push_back(static_cast<PlacementType>(1 + rng() % 9));
  if (rng() % 2) r.constraints.placement_types.push_back(static_cast<PlacementType>(1 + rng() % 9));
  r.constraints.max_distance_miles = (rng() % 3) * 40.0;
  if (rng() % 2) r.constraints.max_weekly_cost_pence = 100000 + static_cast<int64_t>(rng() % 500000);
  r.constraints.min_ofsted_grade = static_cast<OfstedGrade>(rng() % 5);
  r.constraints.allow_not_judged = rng() % 2;
  if (rng() % 2) r.constraints.needed_by = absl::CivilDay(2026, 11, 1) + static_cast<int>(rng() % 90);
  r.constraints.solo_required = rng() % 4 == 0;
  r.constraints.keep_siblings_together = rng() % 2;
  return r;
}

TEST(FilterKeyTest, AgreesWithFirstFailingFilterOnRandomCases) {
  std::mt19937 rng(11);
  std::vector<Candidate> candidates;
  for (int i = 0; i < 400; ++i) candidates.push_back(RandomCandidate(rng, i));
  int passed = 0;
  std::set<int> seen;
  for (int q = 0; q < 300; ++q) {
    const MatchRequest request = RandomRequest(rng);
    const PreparedRequest prepared = PrepareRequest(request);
    ASSERT_TRUE(prepared.exact);
    for (const Candidate& c : candidates) {
      const FilterKey key = MakeFilterKey(c);
      if (!key.exact) continue;
      const std::optional<Filter> expected = FirstFailingFilter(request, c);
      ASSERT_EQ(FirstFailingFilterByKey(prepared, key), expected)
          << c.vacancy.vacancy_id << " query " << q;
      if (!expected.has_value()) {
        ++passed;
      } else {
        seen.insert(static_cast<int>(*expected));
      }
    }
  }
  EXPECT_GT(passed, 20);  // the cases exercise the pass path too
  EXPECT_EQ(seen.size(), static_cast<size_t>(kFilterCount));  // and every filter's failure
}

// Every field of two matches, text included.
void ExpectSameMatch(const ScoredMatch& fast, const ScoredMatch& slow) {
  EXPECT_EQ(fast.rank, slow.rank);
  EXPECT_EQ(fast.candidate_index, slow.candidate_index);
  EXPECT_EQ(fast.vacancy_id, slow.vacancy_id);
  EXPECT_EQ(fast.score, slow.score);
  EXPECT_EQ(fast.distance_miles, slow.distance_miles);
  EXPECT_EQ(fast.in_la, slow.in_la);
  EXPECT_EQ(fast.in_region, slow.in_region);
  EXPECT_EQ(fast.stale, slow.stale);
  ASSERT_EQ(fast.components.size(), slow.components.size());
  for (size_t i = 0; i < slow.components.size(); ++i) {
    EXPECT_EQ(fast.components[i].component, slow.components[i].component);
    EXPECT_EQ(fast.components[i].value, slow.components[i].value);
    EXPECT_EQ(fast.components[i].contribution, slow.components[i].contribution);
    EXPECT_EQ(fast.components[i].detail, slow.components[i].detail);
  }
  ASSERT_EQ(fast.passed_filters.size(), slow.passed_filters.size());
  for (size_t i = 0; i < slow.passed_filters.size(); ++i) {
    EXPECT_EQ(fast.passed_filters[i].filter, slow.passed_filters[i].filter);
    EXPECT_EQ(fast.passed_filters[i].explanation, slow.passed_filters[i].explanation);
  }
}

// The key match's outcome is the plain match's: the counts, and its first `keep` matches field by
// field.
void ExpectSameOutcome(const MatchOutcome& fast, const MatchOutcome& slow,
                       size_t keep = static_cast<size_t>(-1)) {
  ASSERT_EQ(fast.candidates, slow.candidates);
  ASSERT_EQ(fast.excluded_by, slow.excluded_by);
  ASSERT_EQ(fast.matched, slow.matches.size());
  ASSERT_EQ(fast.matches.size(), std::min(keep, slow.matches.size()));
  for (size_t i = 0; i < fast.matches.size(); ++i) ExpectSameMatch(fast.matches[i], slow.matches[i]);
}

// Random candidates and their index; Match runs over index.candidates() (the index's order), so
// candidate indexes compare.
struct Register {
  std::vector<Candidate> candidates;
  KeyIndex index;
  Register(std::mt19937& rng, int n) {
    for (int i = 0; i < n; ++i) candidates.push_back(RandomCandidate(rng, i));
    std::vector<const Candidate*> pointers;
    for (const Candidate& c : candidates) pointers.push_back(&c);
    index = BuildKeyIndex(pointers);
  }
};

TEST(FilterKeyTest, IndexGroupsEveryCandidateOnceByRegionAndLa) {
  std::mt19937 rng(29);
  const Register reg(rng, 500);
  ASSERT_EQ(reg.index.size(), reg.candidates.size());
  const std::vector<const Candidate*> all = reg.index.candidates();
  std::set<const Candidate*> seen;
  size_t position = 0;
  int inexact = 0;
  const auto& groups = reg.index.groups();
  for (size_t g = 0; g < groups.size(); ++g) {
    const KeyGroup& group = *groups[g];
    if (g > 0) {
      EXPECT_LT(std::tie(groups[g - 1]->region, groups[g - 1]->host_la),
                std::tie(group.region, group.host_la));
    }
    ASSERT_EQ(reg.index.offset(g), position);
    ASSERT_FALSE(group.candidates.empty());
    ASSERT_EQ(group.keys.size(), group.candidates.size());
    ASSERT_EQ(group.needs.size(), group.candidates.size());
    ASSERT_LE(group.type_begin[KeyGroup::kTypeSlots], group.candidates.size());
    for (size_t i = 0; i < group.candidates.size(); ++i, ++position) {
      const Candidate* c = group.candidates[i];
      EXPECT_EQ(&reg.index.candidate(position), c);
      EXPECT_EQ(all[position], c);
      EXPECT_TRUE(seen.insert(c).second);
      EXPECT_EQ(c->setting.region, group.region);
      EXPECT_EQ(c->setting.host_la, group.host_la);
      const FilterKey key = MakeFilterKey(*c);
      EXPECT_EQ(group.keys[i].needs_mask, key.needs_mask);
      EXPECT_EQ(group.needs[i], key.needs_mask);
      const bool bookable = c->setting.active && c->vacancy.state == VacancyState::kOpen &&
                            c->vacancy.beds_free() >= 1;
      // Each member sits in the range its beds, type and exactness say.
      if (i >= group.type_begin[KeyGroup::kTypeSlots]) {
        EXPECT_FALSE(key.exact);
        ++inexact;
      } else if (i < group.type_begin[0]) {
        EXPECT_TRUE(key.exact);
        EXPECT_FALSE(bookable);
      } else {
        EXPECT_TRUE(key.exact);
        EXPECT_TRUE(bookable);
        EXPECT_GE(i, group.type_begin[key.placement_type]);
        EXPECT_LT(i, group.type_begin[key.placement_type + 1]);
      }
    }
  }
  EXPECT_EQ(position, reg.candidates.size());
  EXPECT_GT(groups.size(), 4u);
  EXPECT_GT(inexact, 0);  // long region codes make some keys inexact
}

// An index made of owned groups (as the candidate cache builds it) matches as the plain match over
// the same candidates does.
TEST(FilterKeyTest, IndexOfOwnedGroupsMatchesAsThePlainMatch) {
  std::mt19937 rng(31);
  std::map<std::pair<std::string, std::string>, std::vector<std::shared_ptr<const Candidate>>> areas;
  for (int i = 0; i < 400; ++i) {
    auto c = std::make_shared<const Candidate>(RandomCandidate(rng, i));
    areas[{c->setting.region, c->setting.host_la}].push_back(c);
  }
  std::vector<std::shared_ptr<const KeyGroup>> groups;
  for (auto& [area, members] : areas) groups.push_back(BuildKeyGroup(area.first, area.second, members));
  const KeyIndex index(std::move(groups));
  ASSERT_EQ(index.size(), 400u);
  for (int q = 0; q < 50; ++q) {
    const MatchRequest request = RandomRequest(rng);
    const MatchOutcome slow = Match(request, index.candidates(), kNow, MatchConfig(), 5);
    const MatchOutcome fast = MatchByKeys(request, index, kNow, MatchConfig(), 5, 5);
    ExpectSameOutcome(fast, slow, 5);
  }
}

// Extreme age ranges (far outside a child's) match as the plain match does.
TEST(FilterKeyTest, ExtremeAgeRangesMatchAsThePlainMatch) {
  std::mt19937 rng(37);
  std::vector<Candidate> candidates;
  for (int i = 0; i < 200; ++i) {
    Candidate c = RandomCandidate(rng, i);
    if (i % 3 == 0) c.setting.age_max = 200 + i;
    if (i % 5 == 0) c.setting.age_min = -150 - i;
    candidates.push_back(c);
  }
  std::vector<const Candidate*> pointers;
  for (const Candidate& c : candidates) pointers.push_back(&c);
  const KeyIndex index = BuildKeyIndex(pointers);
  for (int q = 0; q < 60; ++q) {
    const MatchRequest request = RandomRequest(rng);
    const MatchOutcome slow = Match(request, index.candidates(), kNow, MatchConfig(), 3);
    const MatchOutcome fast = MatchByKeys(request, index, kNow, MatchConfig(), 3);
    ExpectSameOutcome(fast, slow);
  }
}

TEST(FilterKeyTest, MatchByKeysGivesTheSameOutcomeAsMatch) {
  std::mt19937 rng(5);
  const Register reg(rng, 600);
  for (int q = 0; q < 100; ++q) {
    const MatchRequest request = RandomRequest(rng);
    const MatchOutcome slow = Match(request, reg.index.candidates(), kNow, MatchConfig(), 10);
    const MatchOutcome fast = MatchByKeys(request, reg.index, kNow, MatchConfig(), 10);
    ExpectSameOutcome(fast, slow);
  }
}

// ExplainByKeys reads the index in place and answers as Explain over a copy of every candidate:
// for a candidate of the index and for one outside it (another region's vacancy looked up alone).
TEST(FilterKeyTest, ExplainByKeysAnswersAsExplainOverEveryCandidate) {
  std::mt19937 rng(23);
  const Register reg(rng, 500);
  std::vector<Candidate> copies;
  for (const Candidate* c : reg.index.candidates()) copies.push_back(*c);
  Candidate outside = RandomCandidate(rng, 9999);
  outside.vacancy.vacancy_id = "SE-v-outside";
  int ranked = 0;
  for (int q = 0; q < 60; ++q) {
    MatchRequest request = RandomRequest(rng);
    if (q % 2 == 0) {  // loose: most candidates pass, so ranks are compared
      request.profile.needs.clear();
      request.constraints = PlacementConstraints();
      request.constraints.allow_not_judged = true;
      request.scope = Scope::kNational;
    }
    std::vector<size_t> targets = {0, 7, 123, 499, copies.size()};
    const MatchOutcome matched = MatchByKeys(request, reg.index, kNow, MatchConfig());
    for (size_t m = 0; m < matched.matches.size(); m += 1 + matched.matches.size() / 4) {
      targets.push_back(matched.matches[m].candidate_index);  // passing ones, across the ranks
    }
    for (size_t t : targets) {
      std::vector<Candidate> all = copies;
      if (t == copies.size()) all.push_back(outside);
      const Candidate& target = all[t];
      const Explanation slow = Explain(request, all, t, kNow, MatchConfig());
      const Explanation fast = ExplainByKeys(request, reg.index, target, kNow, MatchConfig());
      ASSERT_EQ(fast.excluded, slow.excluded);
      ASSERT_EQ(fast.filters.size(), slow.filters.size());
      for (size_t f = 0; f < fast.filters.size(); ++f) {
        EXPECT_EQ(fast.filters[f].passed, slow.filters[f].passed);
      }
      ASSERT_EQ(fast.match.has_value(), slow.match.has_value());
      if (!fast.match.has_value()) continue;
      ++ranked;
      EXPECT_EQ(fast.match->rank, slow.match->rank) << "request " << q << " target " << t;
      EXPECT_DOUBLE_EQ(fast.match->score, slow.match->score);
      EXPECT_EQ(fast.match->candidate_index, t == copies.size() ? reg.index.size() : t);
    }
  }
  EXPECT_GT(ranked, 10);  // the ranks were compared, not only exclusions
}

// A loose request (any type, no needs, no limits) lets most candidates through, so the partial
// ranking is exercised over many passing candidates.
TEST(FilterKeyTest, KeepingOnlyThePageGivesTheFullRankingsFirstMatches) {
  std::mt19937 rng(17);
  const Register reg(rng, 3000);
  for (int q = 0; q < 40; ++q) {
    MatchRequest request = RandomRequest(rng);
    if (q % 2 == 0) {
      request.profile.needs.clear();
      request.constraints = PlacementConstraints();
      request.constraints.allow_not_judged = true;
      request.scope = Scope::kNational;
    }
    const size_t keep = std::vector<size_t>{0, 1, 7, 50, 5000}[q % 5];
    const MatchOutcome slow = Match(request, reg.index.candidates(), kNow, MatchConfig(), keep);
    const MatchOutcome fast = MatchByKeys(request, reg.index, kNow, MatchConfig(), keep, keep);
    ExpectSameOutcome(fast, slow, keep);
    if (q % 2 == 0) {
      EXPECT_GT(fast.matched, 40u) << "query " << q;
    }
  }
}

// Settings just inside and just outside the maximum distance, along the meridian (where the
// latitude shortcut decides) and off it, and at odd coordinates, are judged as the plain filter does.
TEST(FilterKeyTest, DistanceShortcutAgreesAtTheBoundary) {
  MatchRequest request;
  request.la_code = "926";
  request.region = "EE";
  request.scope = Scope::kNational;
  request.profile.age_years = 14;
  request.profile.home_coordinates = GeoPoint{52.63, 1.30};
  request.constraints.max_distance_miles = 40;
  request.constraints.allow_not_judged = true;
  const PreparedRequest prepared = PrepareRequest(request);
  std::mt19937 rng(3);
  Candidate base = RandomCandidate(rng, 0);
  base.setting.active = true;
  base.setting.placement_type = PlacementType::kChildrensHomePrivate;
  base.setting.registered_needs.clear();
  base.setting.age_min = 0;
  base.setting.age_max = 17;
  base.setting.sex_accepted = SexAccepted::kAny;
  base.setting.ofsted_grade = OfstedGrade::kGood;
  base.setting.region = "EE";
  base.vacancy.state = VacancyState::kOpen;
  base.vacancy.beds = 2;
  base.vacancy.beds_held = 0;
  const double degrees_per_mile = 180.0 / (3.14159265358979323846 * kEarthRadiusMiles);
  std::vector<GeoPoint> points;
  for (double miles : {39.999999, 40.0, 40.000001, 40.001, 39.9}) {
    for (double sign : {-1.0, 1.0}) {
      points.push_back({52.63 + sign * miles * degrees_per_mile, 1.30});
      points.push_back({52.63 + sign * miles * degrees_per_mile * 0.7, 1.30 + 0.5});
    }
  }
  points.push_back({95.0, 1.30});
  points.push_back({-95.0, 1.30});
  points.push_back({std::nan(""), 1.30});
  points.push_back({52.63, std::nan("")});
  points.push_back({52.63, std::numeric_limits<double>::infinity()});
  int failed = 0, passed = 0;
  for (const GeoPoint& point : points) {
    Candidate c = base;
    c.setting.coordinates = point;
    const std::optional<Filter> expected = FirstFailingFilter(request, c);
    EXPECT_EQ(FirstFailingFilterByKey(prepared, MakeFilterKey(c)), expected)
        << point.latitude << "," << point.longitude;
    (expected.has_value() ? failed : passed)++;
  }
  EXPECT_GT(failed, 5);
  EXPECT_GT(passed, 5);
}

TEST(FilterKeyTest, DistinctNeedCountCountsEachNumberOnce) {
  EXPECT_EQ(DistinctNeedCount({}), 0);
  EXPECT_EQ(DistinctNeedCount({3}), 1);
  EXPECT_EQ(DistinctNeedCount({3, 1, 3, 2, 1}), 3);
  std::vector<int> many;  // past the small-list path
  for (int i = 0; i < 100; ++i) many.push_back(i % 40);
  EXPECT_EQ(DistinctNeedCount(many), 40);
}

TEST(FilterKeyTest, ScoreFiguresAreTheScoredMatchsFigures) {
  std::mt19937 rng(23);
  const Register reg(rng, 200);
  for (int q = 0; q < 30; ++q) {
    const MatchRequest request = RandomRequest(rng);
    for (const Candidate& c : reg.candidates) {
      const ScoredMatch m = ScoreCandidate(request, c, kNow, MatchConfig());
      const ScoreFigures f = ScoreCandidateFigures(
          request, c, DistinctNeedCount(request.profile.needs),
          DistinctNeedCount(c.setting.registered_needs), kNow, MatchConfig());
      ASSERT_EQ(f.score, m.score);
      ASSERT_EQ(f.distance_miles, m.distance_miles);
      for (int i = 0; i < kComponentCount; ++i) ASSERT_EQ(f.values[i], m.components[i].value);
    }
  }
}

}  // namespace
}  // namespace slihub::placement
