// Unit tests of matching: each hard filter at its boundary, the score, the ordering and the
// explanations.
#include "services/placement/domain/matching.h"

#include <algorithm>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace slihub::placement {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1790000000);
const GeoPoint kNorwich{52.63, 1.30};

Candidate MakeCandidate(const std::string& id) {
  Candidate c;
  c.setting.setting_id = "EE-s-" + id;
  c.setting.provider_id = "EE-p-1";
  c.setting.ofsted_urn = "SC000001";
  c.setting.placement_type = PlacementType::kChildrensHomePrivate;
  c.setting.ofsted_grade = OfstedGrade::kGood;
  c.setting.registered_needs = {1, 2, 7};
  c.setting.age_min = 8;
  c.setting.age_max = 17;
  c.setting.sex_accepted = SexAccepted::kAny;
  c.setting.coordinates = kNorwich;
  c.setting.host_la = "926";
  c.setting.region = "EE";
  c.vacancy.vacancy_id = "EE-v-" + id;
  c.vacancy.setting_id = c.setting.setting_id;
  c.vacancy.beds = 2;
  c.vacancy.beds_held = 0;
  c.vacancy.available_from = absl::CivilDay(2026, 12, 1);
  c.vacancy.weekly_cost_pence = 380000;
  c.vacancy.occupancy = Occupancy::kShared;
  c.vacancy.sibling_capacity = 1;
  c.vacancy.last_confirmed_at = kNow - absl::Hours(1);
  return c;
}

MatchRequest MakeRequest() {
  MatchRequest r;
  r.la_code = "926";
  r.region = "EE";
  r.profile.age_years = 14;
  r.profile.sex = Sex::kFemale;
  r.profile.needs = {1, 7};
  r.profile.home_coordinates = kNorwich;
  r.profile.sibling_group_size = 1;
  r.scope = Scope::kOwnRegion;
  return r;
}

std::optional<Filter> Fails(const MatchRequest& r, const Candidate& c) {
  return FirstFailingFilter(r, c);
}

const FilterVerdict& VerdictOf(const std::vector<FilterVerdict>& verdicts, Filter f) {
  return verdicts[static_cast<int>(f) - 1];
}

TEST(MatchingFilterTest, BaselineCandidatePassesEveryFilter) {
  const std::vector<FilterVerdict> v = EvaluateFilters(MakeRequest(), MakeCandidate("1"));
  ASSERT_EQ(v.size(), static_cast<size_t>(kFilterCount));
  for (int i = 0; i < kFilterCount; ++i) {
    EXPECT_EQ(static_cast<int>(v[i].filter), i + 1);
    EXPECT_TRUE(v[i].passed) << FilterName(v[i].filter) << ": " << v[i].explanation;
    EXPECT_FALSE(v[i].explanation.empty());
  }
  EXPECT_FALSE(Fails(MakeRequest(), MakeCandidate("1")).has_value());
}

TEST(MatchingFilterTest, BedsNeedsOneFreeOpenBedInAnActiveSetting) {
  const MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.vacancy.beds_held = 1;  // 1 of 2 free
  EXPECT_FALSE(Fails(r, c).has_value());
  c.vacancy.beds_held = 2;  // none free
  EXPECT_EQ(Fails(r, c), Filter::kBeds);
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kBeds).explanation, "0 of 2 beds free (2 held)");
  c = MakeCandidate("1");
  c.vacancy.state = VacancyState::kWithdrawn;
  EXPECT_EQ(Fails(r, c), Filter::kBeds);
  c = MakeCandidate("1");
  c.setting.active = false;
  EXPECT_EQ(Fails(r, c), Filter::kBeds);
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kBeds).explanation, "setting is inactive");
}

TEST(MatchingFilterTest, PlacementTypeMustBeAllowedAndSuitTheAge) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  r.constraints.placement_types = {PlacementType::kIndependentFosteringAgency};
  EXPECT_EQ(Fails(r, c), Filter::kPlacementType);
  r.constraints.placement_types.push_back(PlacementType::kChildrensHomePrivate);
  EXPECT_FALSE(Fails(r, c).has_value());
  // Supported accommodation is for 16-17 only, even when listed.
  c.setting.placement_type = PlacementType::kSupportedAccommodation;
  r.constraints.placement_types = {PlacementType::kSupportedAccommodation};
  r.profile.age_years = 15;
  c.setting.age_min = 15;
  EXPECT_EQ(Fails(r, c), Filter::kPlacementType);
  r.profile.age_years = 16;
  EXPECT_FALSE(Fails(r, c).has_value());
  r.constraints.placement_types.clear();  // any type suitable for the age
  r.profile.age_years = 15;
  EXPECT_EQ(Fails(r, c), Filter::kPlacementType);
}

TEST(MatchingFilterTest, SettingMustBeRegisteredForEveryNeed) {
  MatchRequest r = MakeRequest();
  const Candidate c = MakeCandidate("1");
  r.profile.needs = {1, 2, 7};  // exactly the registered set
  EXPECT_FALSE(Fails(r, c).has_value());
  r.profile.needs = {};
  EXPECT_FALSE(Fails(r, c).has_value());
  r.profile.needs = {1, 3};
  EXPECT_EQ(Fails(r, c), Filter::kNeeds);
  const FilterVerdict v = VerdictOf(EvaluateFilters(r, c), Filter::kNeeds);
  EXPECT_EQ(v.explanation, "registered for 1 of 2 needs; missing 3");
}

TEST(MatchingFilterTest, AgeRangeIsInclusive) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.setting.age_min = 10;
  c.setting.age_max = 14;
  for (int age : {10, 14}) {
    r.profile.age_years = age;
    EXPECT_FALSE(Fails(r, c).has_value()) << age;
  }
  for (int age : {9, 15}) {
    r.profile.age_years = age;
    EXPECT_EQ(Fails(r, c), Filter::kAge) << age;
  }
}

TEST(MatchingFilterTest, SexAcceptedAndNotStatedOnlyMatchesAny) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.setting.sex_accepted = SexAccepted::kFemaleOnly;
  r.profile.sex = Sex::kFemale;
  EXPECT_FALSE(Fails(r, c).has_value());
  r.profile.sex = Sex::kMale;
  EXPECT_EQ(Fails(r, c), Filter::kSex);
  r.profile.sex = Sex::kNotStated;
  EXPECT_EQ(Fails(r, c), Filter::kSex);
  c.setting.sex_accepted = SexAccepted::kMaleOnly;
  r.profile.sex = Sex::kMale;
  EXPECT_FALSE(Fails(r, c).has_value());
  c.setting.sex_accepted = SexAccepted::kAny;
  r.profile.sex = Sex::kNotStated;
  EXPECT_FALSE(Fails(r, c).has_value());
}

TEST(MatchingFilterTest, InadequateExcludedUnlessExplicitlyAllowed) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.setting.ofsted_grade = OfstedGrade::kRequiresImprovement;
  EXPECT_FALSE(Fails(r, c).has_value());  // default minimum: requires improvement
  c.setting.ofsted_grade = OfstedGrade::kInadequate;
  EXPECT_EQ(Fails(r, c), Filter::kOfstedGrade);
  r.constraints.min_ofsted_grade = OfstedGrade::kInadequate;
  EXPECT_FALSE(Fails(r, c).has_value());
  r.constraints.min_ofsted_grade = OfstedGrade::kGood;
  c.setting.ofsted_grade = OfstedGrade::kGood;
  EXPECT_FALSE(Fails(r, c).has_value());
  c.setting.ofsted_grade = OfstedGrade::kRequiresImprovement;
  EXPECT_EQ(Fails(r, c), Filter::kOfstedGrade);
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kOfstedGrade).explanation,
            "Requires improvement is below the minimum Good");
  r.constraints.min_ofsted_grade = OfstedGrade::kOutstanding;
  c.setting.ofsted_grade = OfstedGrade::kOutstanding;
  EXPECT_FALSE(Fails(r, c).has_value());
}

TEST(MatchingFilterTest, NotJudgedSettingsNeedExplicitPermission) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.setting.ofsted_grade = OfstedGrade::kNotJudged;
  EXPECT_EQ(Fails(r, c), Filter::kOfstedGrade);
  c.setting.ofsted_grade = OfstedGrade::kUnspecified;
  EXPECT_EQ(Fails(r, c), Filter::kOfstedGrade);
  r.constraints.allow_not_judged = true;
  EXPECT_FALSE(Fails(r, c).has_value());
}

TEST(MatchingFilterTest, AvailabilityOnOrBeforeTheNeededByDate) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  r.constraints.needed_by = absl::CivilDay(2026, 12, 1);  // same day
  EXPECT_FALSE(Fails(r, c).has_value());
  r.constraints.needed_by = absl::CivilDay(2026, 11, 30);
  EXPECT_EQ(Fails(r, c), Filter::kAvailability);
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kAvailability).explanation,
            "available from 2026-12-01, after 2026-11-30");
  r.constraints.needed_by.reset();
  EXPECT_FALSE(Fails(r, c).has_value());
}

TEST(MatchingFilterTest, CostCeilingInPenceIsInclusive) {
  MatchRequest r = MakeRequest();
  const Candidate c = MakeCandidate("1");
  r.constraints.max_weekly_cost_pence = 380000;
  EXPECT_FALSE(Fails(r, c).has_value());
  r.constraints.max_weekly_cost_pence = 379999;
  EXPECT_EQ(Fails(r, c), Filter::kCost);
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kCost).explanation,
            "£3,800.00 > £3,799.99 a week");
  // Pence are always two digits; thousands are grouped.
  Candidate dear = c;
  dear.vacancy.weekly_cost_pence = 123456705;
  r.constraints.max_weekly_cost_pence = 9;
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, dear), Filter::kCost).explanation,
            "£1,234,567.05 > £0.09 a week");
}

// Distances print as printf's "%.1f" would, halves and extremes included.
TEST(MatchingFilterTest, DistancesPrintToOneDecimalAsPrintfDoes) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  std::mt19937 rng(7);
  std::vector<double> limits = {0.05, 0.15, 0.25, 0.35, 2.45, 1e-9, 1e15, 1e300, 12345.65};
  for (int i = 0; i < 300; ++i) limits.push_back((rng() % 100000) / 1000.0);
  for (double limit : limits) {
    c.setting.coordinates = GeoPoint{50.0 + (rng() % 5000) / 1000.0, -3.0 + (rng() % 5000) / 1000.0};
    r.constraints.max_distance_miles = limit;
    const double d = *DistanceMiles(r.profile, c.setting);
    const std::string expected =
        absl::StrFormat("%.1f miles %s %.1f miles", d, d <= limit ? "<=" : ">", limit);
    EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kDistance).explanation, expected);
  }
}

TEST(MatchingFilterTest, DistanceUsesGreatCircleAndFailsALimitItCannotCheck) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.setting.coordinates = GeoPoint{52.2053, 0.1218};  // Cambridge, ~56 miles from Norwich
  const double d = *DistanceMiles(r.profile, c.setting);
  r.constraints.max_distance_miles = d;  // exactly at the limit
  EXPECT_FALSE(Fails(r, c).has_value());
  r.constraints.max_distance_miles = d - 0.01;
  EXPECT_EQ(Fails(r, c), Filter::kDistance);
  EXPECT_TRUE(absl::StrContains(VerdictOf(EvaluateFilters(r, c), Filter::kDistance).explanation,
                                "miles >"));
  r.profile.home_coordinates.reset();  // e.g. UASC with unknown home
  EXPECT_EQ(Fails(r, c), Filter::kDistance);
  EXPECT_TRUE(absl::StrContains(VerdictOf(EvaluateFilters(r, c), Filter::kDistance).explanation,
                                "distance unknown; the limit of"));
  r.constraints.max_distance_miles = 0;  // no limit: an unknown distance filters nothing
  EXPECT_FALSE(Fails(r, c).has_value());
  EXPECT_EQ(VerdictOf(EvaluateFilters(r, c), Filter::kDistance).explanation,
            "distance unknown; no limit");
  r = MakeRequest();
  c.setting.coordinates.reset();
  r.constraints.max_distance_miles = 1;
  EXPECT_EQ(Fails(r, c), Filter::kDistance);
}

TEST(MatchingFilterTest, SoloAndSiblingsWhenRequired) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  r.constraints.solo_required = true;
  EXPECT_EQ(Fails(r, c), Filter::kOccupancy);
  c.vacancy.occupancy = Occupancy::kSolo;
  EXPECT_FALSE(Fails(r, c).has_value());
  r = MakeRequest();
  r.profile.sibling_group_size = 3;
  c.vacancy.sibling_capacity = 2;
  EXPECT_FALSE(Fails(r, c).has_value());  // not required to stay together
  r.constraints.keep_siblings_together = true;
  EXPECT_EQ(Fails(r, c), Filter::kSiblings);
  c.vacancy.sibling_capacity = 3;
  EXPECT_FALSE(Fails(r, c).has_value());
}

TEST(MatchingFilterTest, ScopeOwnLaOwnRegionNational) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.setting.host_la = "873";
  r.scope = Scope::kOwnLa;
  EXPECT_EQ(Fails(r, c), Filter::kScope);
  r.scope = Scope::kOwnRegion;
  EXPECT_FALSE(Fails(r, c).has_value());
  c.setting.region = "SE";
  EXPECT_EQ(Fails(r, c), Filter::kScope);
  r.scope = Scope::kNational;
  EXPECT_FALSE(Fails(r, c).has_value());
}

TEST(MatchingFilterTest, FirstFailingFilterFollowsTheFixedOrder) {
  MatchRequest r = MakeRequest();
  Candidate c = MakeCandidate("1");
  c.vacancy.weekly_cost_pence = 900000;
  r.constraints.max_weekly_cost_pence = 100;
  c.setting.age_max = 10;
  EXPECT_EQ(Fails(r, c), Filter::kAge);  // age comes before cost
  const std::vector<FilterVerdict> v = EvaluateFilters(r, c);
  EXPECT_FALSE(VerdictOf(v, Filter::kAge).passed);
  EXPECT_FALSE(VerdictOf(v, Filter::kCost).passed);  // every verdict still reported
}

TEST(MatchingScoreTest, ComponentsAreNormalisedWeightedAndSumToTheScore) {
  const MatchRequest r = MakeRequest();
  const Candidate c = MakeCandidate("1");
  const MatchConfig config;
  const ScoredMatch m = ScoreCandidate(r, c, kNow, config);
  ASSERT_EQ(m.components.size(), static_cast<size_t>(kComponentCount));
  double sum = 0;
  for (const ScorePart& p : m.components) {
    EXPECT_GE(p.value, 0.0);
    EXPECT_LE(p.value, 1.0);
    EXPECT_DOUBLE_EQ(p.contribution, p.value * p.weight);
    EXPECT_FALSE(p.detail.empty());
    sum += p.contribution;
  }
  EXPECT_NEAR(m.score, sum, 1e-9);
  EXPECT_DOUBLE_EQ(m.components[0].value, 1.0);  // at home
  EXPECT_NEAR(m.components[1].value, 1.0 - 380000.0 / 600000.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.components[2].value, 0.75);  // Good
  EXPECT_DOUBLE_EQ(m.components[3].value, 0.75);  // (2 + 1) / (3 + 1)
  EXPECT_TRUE(m.in_la);
  EXPECT_TRUE(m.in_region);
  EXPECT_FALSE(m.stale);
}

TEST(MatchingScoreTest, EachComponentMovesTheScoreTheRightWay) {
  const MatchRequest r = MakeRequest();
  const MatchConfig config;
  const double base = ScoreCandidate(r, MakeCandidate("1"), kNow, config).score;
  Candidate far = MakeCandidate("1");
  far.setting.coordinates = GeoPoint{52.2053, 0.1218};
  EXPECT_LT(ScoreCandidate(r, far, kNow, config).score, base);
  Candidate dear = MakeCandidate("1");
  dear.vacancy.weekly_cost_pence += 10000;
  EXPECT_LT(ScoreCandidate(r, dear, kNow, config).score, base);
  Candidate outstanding = MakeCandidate("1");
  outstanding.setting.ofsted_grade = OfstedGrade::kOutstanding;
  EXPECT_GT(ScoreCandidate(r, outstanding, kNow, config).score, base);
  Candidate other_la = MakeCandidate("1");
  other_la.setting.host_la = "873";
  EXPECT_LT(ScoreCandidate(r, other_la, kNow, config).score, base);
  Candidate stale = MakeCandidate("1");
  stale.vacancy.last_confirmed_at = kNow - config.stale_after - absl::Seconds(1);
  const ScoredMatch s = ScoreCandidate(r, stale, kNow, config);
  EXPECT_TRUE(s.stale);
  EXPECT_NEAR(base - s.score, config.weights[7], 1e-9);
  Candidate just_fresh = MakeCandidate("1");
  just_fresh.vacancy.last_confirmed_at = kNow - config.stale_after;
  EXPECT_FALSE(ScoreCandidate(r, just_fresh, kNow, config).stale);
}

TEST(MatchingScoreTest, SiblingCapacityAndUnknownDistance) {
  MatchRequest r = MakeRequest();
  r.profile.sibling_group_size = 4;
  Candidate c = MakeCandidate("1");
  c.vacancy.sibling_capacity = 2;
  const MatchConfig config;
  EXPECT_DOUBLE_EQ(ScoreCandidate(r, c, kNow, config).components[6].value, 0.5);
  r.profile.home_coordinates.reset();
  const ScoredMatch m = ScoreCandidate(r, c, kNow, config);
  EXPECT_FALSE(m.distance_miles.has_value());
  EXPECT_DOUBLE_EQ(m.components[0].value, 0);  // the furthest, not a middle distance
  EXPECT_EQ(m.components[0].detail, "distance unknown");
}

TEST(MatchingRankTest, TiesBreakByDistanceThenCostThenId) {
  MatchRequest r = MakeRequest();
  MatchConfig config;
  config.weights = {0, 0, 0, 0, 0, 0, 0, 0};  // every score equal: only the tie-breaks decide
  std::vector<Candidate> cs;
  Candidate near_dear = MakeCandidate("4");
  near_dear.vacancy.weekly_cost_pence = 500000;
  Candidate far = MakeCandidate("1");
  far.setting.coordinates = GeoPoint{52.70, 1.30};
  Candidate near_cheap_b = MakeCandidate("3");
  Candidate near_cheap_a = MakeCandidate("2");
  Candidate unknown = MakeCandidate("0");
  unknown.setting.coordinates.reset();
  cs = {near_dear, far, near_cheap_b, unknown, near_cheap_a};
  const MatchOutcome out = Match(r, cs, kNow, config);
  ASSERT_EQ(out.matches.size(), 5u);
  std::vector<std::string> order;
  for (const ScoredMatch& m : out.matches) order.push_back(m.vacancy_id);
  EXPECT_EQ(order, (std::vector<std::string>{"EE-v-2", "EE-v-3", "EE-v-4", "EE-v-1", "EE-v-0"}));
  for (size_t i = 0; i < out.matches.size(); ++i) EXPECT_EQ(out.matches[i].rank, int(i) + 1);
}

TEST(MatchingRankTest, SameDataInAnyOrderGivesTheSameRanking) {
  MatchRequest r = MakeRequest();
  r.constraints.max_distance_miles = 40;
  std::vector<Candidate> cs;
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    Candidate c = MakeCandidate(std::to_string(1000 + i));
    c.setting.coordinates = GeoPoint{52.0 + (rng() % 100) / 100.0, 0.5 + (rng() % 100) / 100.0};
    c.vacancy.weekly_cost_pence = 200000 + (rng() % 5) * 50000;
    c.setting.ofsted_grade = static_cast<OfstedGrade>(1 + rng() % 4);
    c.setting.host_la = (rng() % 2) ? "926" : "935";
    c.vacancy.beds_held = (rng() % 7 == 0) ? 2 : 0;
    cs.push_back(c);
  }
  const MatchConfig config;
  const MatchOutcome first = Match(r, cs, kNow, config);
  ASSERT_FALSE(first.matches.empty());
  std::shuffle(cs.begin(), cs.end(), rng);
  const MatchOutcome second = Match(r, cs, kNow, config);
  ASSERT_EQ(first.matches.size(), second.matches.size());
  for (size_t i = 0; i < first.matches.size(); ++i) {
    EXPECT_EQ(first.matches[i].vacancy_id, second.matches[i].vacancy_id);
    EXPECT_EQ(first.matches[i].score, second.matches[i].score);
    if (i > 0) {
      EXPECT_GE(first.matches[i - 1].score, first.matches[i].score);
    }
  }
  int excluded = 0;
  for (int n : first.excluded_by) excluded += n;
  EXPECT_EQ(excluded + static_cast<int>(first.matches.size()), first.candidates);
  EXPECT_GT(first.excluded_by[static_cast<int>(Filter::kDistance) - 1], 0);
  EXPECT_GT(first.excluded_by[static_cast<int>(Filter::kOfstedGrade) - 1], 0);
}

TEST(MatchingRankTest, MatchesCarryPassReasonsForEveryFilter) {
  const MatchOutcome out = Match(MakeRequest(), {MakeCandidate("1")}, kNow, MatchConfig());
  ASSERT_EQ(out.matches.size(), 1u);
  ASSERT_EQ(out.matches[0].passed_filters.size(), static_cast<size_t>(kFilterCount));
  for (const FilterVerdict& v : out.matches[0].passed_filters) EXPECT_TRUE(v.passed);
}

TEST(ExplainTest, ExcludedVacancyListsEveryFailingFilter) {
  MatchRequest r = MakeRequest();
  r.constraints.max_weekly_cost_pence = 100000;
  Candidate c = MakeCandidate("1");
  c.setting.sex_accepted = SexAccepted::kMaleOnly;
  const Explanation e = Explain(r, {MakeCandidate("0"), c}, 1, kNow, MatchConfig());
  EXPECT_TRUE(e.excluded);
  ASSERT_EQ(e.filters.size(), static_cast<size_t>(kFilterCount));
  EXPECT_FALSE(VerdictOf(e.filters, Filter::kSex).passed);
  EXPECT_FALSE(VerdictOf(e.filters, Filter::kCost).passed);
  EXPECT_TRUE(VerdictOf(e.filters, Filter::kAge).passed);
  EXPECT_FALSE(e.match.has_value());
}

TEST(ExplainTest, IncludedVacancyGetsItsRankAmongTheOthers) {
  const MatchRequest r = MakeRequest();
  Candidate better = MakeCandidate("1");
  better.setting.ofsted_grade = OfstedGrade::kOutstanding;
  const std::vector<Candidate> cs = {better, MakeCandidate("2"), MakeCandidate("3")};
  const MatchOutcome out = Match(r, cs, kNow, MatchConfig());
  for (size_t i = 0; i < cs.size(); ++i) {
    const Explanation e = Explain(r, cs, i, kNow, MatchConfig());
    ASSERT_TRUE(e.match.has_value());
    const auto it = std::find_if(out.matches.begin(), out.matches.end(), [&](const ScoredMatch& m) {
      return m.vacancy_id == cs[i].vacancy.vacancy_id;
    });
    EXPECT_EQ(e.match->rank, it->rank);
    EXPECT_EQ(e.match->score, it->score);
  }
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST(MatchingRankTest, ExplanationsCanBeLimitedToTheFirstMatches) {
  const std::vector<Candidate> cs = {MakeCandidate("1"), MakeCandidate("2"), MakeCandidate("3")};
  const MatchOutcome out = Match(MakeRequest(), cs, kNow, MatchConfig(), 2);
  ASSERT_EQ(out.matches.size(), 3u);
  EXPECT_EQ(out.matches[0].passed_filters.size(), static_cast<size_t>(kFilterCount));
  EXPECT_EQ(out.matches[1].passed_filters.size(), static_cast<size_t>(kFilterCount));
  EXPECT_TRUE(out.matches[2].passed_filters.empty());
  EXPECT_EQ(out.matches[2].components.size(), static_cast<size_t>(kComponentCount));
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST(MatchingRankTest, CandidatesOutsideTheScopeAreNotCounted) {
  MatchRequest r = MakeRequest();
  Candidate other_region = MakeCandidate("9");
  other_region.setting.region = "SE";
  other_region.vacancy.beds_held = 2;  // would fail BEDS too, but it is out of scope first
  const MatchOutcome out = Match(r, {MakeCandidate("1"), other_region}, kNow, MatchConfig());
  EXPECT_EQ(out.candidates, 1);
  EXPECT_EQ(out.matches.size(), 1u);
  for (int n : out.excluded_by) EXPECT_EQ(n, 0);
  r.scope = Scope::kNational;
  const MatchOutcome national = Match(r, {MakeCandidate("1"), other_region}, kNow, MatchConfig());
  EXPECT_EQ(national.candidates, 2);
  EXPECT_EQ(national.excluded_by[static_cast<int>(Filter::kBeds) - 1], 1);
}

}  // namespace
}  // namespace slihub::placement
