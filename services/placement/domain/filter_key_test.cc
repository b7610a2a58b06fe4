// FirstFailingFilterByKey and MatchByKeys must agree exactly with FirstFailingFilter and Match.
#include "services/placement/domain/filter_key.h"

#include <random>
#include <set>

#include "gtest/gtest.h"

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

TEST(FilterKeyTest, MatchByKeysGivesTheSameOutcomeAsMatch) {
  std::mt19937 rng(5);
  std::vector<Candidate> candidates;
  for (int i = 0; i < 600; ++i) candidates.push_back(RandomCandidate(rng, i));
  std::vector<const Candidate*> pointers;
  std::vector<FilterKey> keys;
  for (const Candidate& c : candidates) {
    pointers.push_back(&c);
    keys.push_back(MakeFilterKey(c));
  }
  for (int q = 0; q < 100; ++q) {
    const MatchRequest request = RandomRequest(rng);
    const MatchOutcome slow = Match(request, pointers, kNow, MatchConfig(), 10);
    const MatchOutcome fast = MatchByKeys(request, pointers, keys, kNow, MatchConfig(), 10);
    ASSERT_EQ(fast.candidates, slow.candidates);
    ASSERT_EQ(fast.excluded_by, slow.excluded_by);
    ASSERT_EQ(fast.matches.size(), slow.matches.size());
    for (size_t i = 0; i < slow.matches.size(); ++i) {
      EXPECT_EQ(fast.matches[i].vacancy_id, slow.matches[i].vacancy_id);
      EXPECT_EQ(fast.matches[i].score, slow.matches[i].score);
      EXPECT_EQ(fast.matches[i].passed_filters.size(), slow.matches[i].passed_filters.size());
    }
  }
}

}  // namespace
}  // namespace slihub::placement
