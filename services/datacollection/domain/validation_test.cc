#include "services/datacollection/domain/validation.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

using ::testing::HasSubstr;

IndicatorDef Percentage() {
  IndicatorDef def;
  def.indicator_id = "CSC-REREFERRALS";
  def.name = "Re-referrals within 12 months";
  def.short_name = "Re-referrals (%)";
  def.unit = Unit::kPercentage;
  def.polarity = Polarity::kLowerIsBetter;
  def.decimal_places = 1;
  return def;
}

IndicatorDef CountWithEthnicity() {
  IndicatorDef def;
  def.indicator_id = "CLA-COUNT";
  def.name = "Children looked after";
  def.short_name = "CLA";
  def.unit = Unit::kCount;
  def.polarity = Polarity::kNeither;
  BreakdownSpec spec;
  spec.dimension = Dimension::kEthnicityGroup;
  spec.categories = {{"WHITE", "White"}, {"BLACK", "Black"}, {"OTHER", "Other"}};
  spec.aggregation = Aggregation::kSum;
  def.breakdowns.push_back(spec);
  return def;
}

Observation Present(Decimal v) {
  Observation o;
  o.state = ValueState::kPresent;
  o.value = v;
  return o;
}

Observation Withheld(ValueState state) {
  Observation o;
  o.state = state;
  return o;
}

IndicatorFigures Figures(const std::string& id, Observation total) {
  IndicatorFigures f;
  f.indicator_id = id;
  f.total = total;
  return f;
}

std::vector<std::string> Fields(const std::vector<Violation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.field);
  return out;
}

TEST(ValidationTest, AcceptsAndNormalisesToTheIndicatorsPlaces) {
  IndicatorFigures f = Figures("CSC-REREFERRALS", Present({2150, 2}));  // 21.50 has 1 real place
  EXPECT_TRUE(ValidateFigures(Percentage(), f).empty());
  EXPECT_EQ(f.total.value, (Decimal{215, 1}));
  EXPECT_EQ(f.indicator_version, 1);
  IndicatorFigures whole = Figures("CSC-REREFERRALS", Present({21, 0}));
  EXPECT_TRUE(ValidateFigures(Percentage(), whole).empty());
  EXPECT_EQ(whole.total.value, (Decimal{210, 1}));
}

TEST(ValidationTest, RejectsExtraDecimalPlacesInsteadOfRounding) {
  IndicatorFigures f = Figures("CSC-REREFERRALS", Present({2155, 2}));
  auto v = ValidateFigures(Percentage(), f);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"total.value"});
  EXPECT_THAT(v[0].description, HasSubstr("CSC-REREFERRALS total"));
  EXPECT_THAT(v[0].description, HasSubstr("never rounded"));
  EXPECT_EQ(f.total.value, (Decimal{2155, 2}));
}

TEST(ValidationTest, EnforcesRangeIncludingUnitDefaults) {
  IndicatorFigures over = Figures("CSC-REREFERRALS", Present({1001, 1}));
  EXPECT_THAT(ValidateFigures(Percentage(), over)[0].description, HasSubstr("above the maximum 100"));
  IndicatorFigures edge = Figures("CSC-REREFERRALS", Present({100, 0}));
  EXPECT_TRUE(ValidateFigures(Percentage(), edge).empty());
  IndicatorFigures negative = Figures("CSC-REREFERRALS", Present({-1, 1}));
  EXPECT_THAT(ValidateFigures(Percentage(), negative)[0].description, HasSubstr("below the minimum 0"));
  IndicatorDef days = Percentage();
  days.unit = Unit::kDays;
  days.min_value = Decimal{10, 0};
  days.max_value = Decimal{500, 0};
  IndicatorFigures low = Figures("X", Present({9, 0}));
  EXPECT_EQ(ValidateFigures(days, low).size(), 1u);
  IndicatorFigures high = Figures("X", Present({5001, 1}));
  EXPECT_EQ(ValidateFigures(days, high).size(), 1u);
}

TEST(ValidationTest, EveryUnitBoundsItsFiguresByMeaning) {
  // The trial's figures: INT64_MIN and -5 days were accepted and ranked best.
  IndicatorDef days = Percentage();
  days.unit = Unit::kDays;
  days.decimal_places = 0;
  IndicatorFigures int64_min =
      Figures("X", Present({std::numeric_limits<int64_t>::min(), 0}));
  EXPECT_THAT(ValidateFigures(days, int64_min)[0].description, HasSubstr("below the minimum 0"));
  IndicatorFigures minus_five = Figures("X", Present({-5, 0}));
  EXPECT_THAT(ValidateFigures(days, minus_five)[0].description, HasSubstr("below the minimum 0"));
  IndicatorFigures century = Figures("X", Present({36526, 0}));
  EXPECT_THAT(ValidateFigures(days, century)[0].description, HasSubstr("above the maximum 36525"));
  for (Unit unit : {Unit::kRatePer10000, Unit::kCount, Unit::kRatio}) {
    IndicatorDef def = days;
    def.unit = unit;
    IndicatorFigures negative = Figures("X", Present({-1, 0}));
    EXPECT_EQ(ValidateFigures(def, negative).size(), 1u) << static_cast<int>(unit);
    IndicatorFigures huge = Figures("X", Present({std::numeric_limits<int64_t>::max(), 0}));
    EXPECT_EQ(ValidateFigures(def, huge).size(), 1u) << static_cast<int>(unit);
  }
  // An indicator may narrow its unit's range but not widen it.
  IndicatorDef wide = days;
  wide.min_value = Decimal{-10, 0};
  wide.max_value = Decimal{100000, 0};
  EXPECT_EQ(Fields(ValidateIndicatorDef(wide)), (std::vector<std::string>{"min_value", "max_value"}));
  IndicatorFigures still_negative = Figures("X", Present({-5, 0}));
  EXPECT_EQ(ValidateFigures(wide, still_negative).size(), 1u);
}

TEST(ValidationTest, BoundsWithAnOutOfRangeScaleAreRefusedWithoutRescaling) {
  // Bounds with a scale of INT_MIN or 40 used to be compared (with the unit's range and each
  // other) before their scale was checked: signed overflow, found by UBSan under the fuzz test.
  IndicatorDef def = CountWithEthnicity();
  def.min_value = Decimal{1, std::numeric_limits<int>::min()};
  def.max_value = Decimal{5, 0};
  EXPECT_EQ(Fields(ValidateIndicatorDef(def)), (std::vector<std::string>{"min_value.scale"}));
  // A large positive scale would overflow the power of ten in the other direction.
  def.min_value = Decimal{1, 0};
  def.max_value = Decimal{5, 40};
  EXPECT_EQ(Fields(ValidateIndicatorDef(def)), (std::vector<std::string>{"max_value.scale"}));
}

TEST(ValidationTest, NumeratorOfAShareMayNotExceedItsDenominator) {
  Observation o = Present({1000, 1});
  o.numerator = Decimal{12, 0};
  o.denominator = Decimal{12, 0};
  IndicatorFigures whole = Figures("X", o);
  EXPECT_TRUE(ValidateFigures(Percentage(), whole).empty());
  o.value = Decimal{1500, 1};
  o.numerator = Decimal{18, 0};
  IndicatorFigures more = Figures("X", o);
  const auto problems = ValidateFigures(Percentage(), more);
  EXPECT_THAT(Fields(problems), ::testing::Contains("total.numerator"));
  Observation huge = Present({5, 0});
  huge.numerator = Decimal{1, 0};
  huge.denominator = Decimal{std::numeric_limits<int64_t>::max(), 0};
  IndicatorFigures too_big = Figures("X", huge);
  EXPECT_THAT(Fields(ValidateFigures(Percentage(), too_big)), ::testing::Contains("total.denominator"));
}

TEST(ValidationTest, StateRulesForMissingAndSuppressed) {
  IndicatorFigures missing = Figures("CSC-REREFERRALS", Withheld(ValueState::kMissing));
  missing.total.note = "not recorded this quarter";
  EXPECT_TRUE(ValidateFigures(Percentage(), missing).empty());
  EXPECT_FALSE(missing.total.value.has_value());

  IndicatorFigures suppressed = Figures("CSC-REREFERRALS", Withheld(ValueState::kSuppressed));
  suppressed.total.value = Decimal{0, 0};
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), suppressed)), std::vector<std::string>{"total.value"});

  IndicatorFigures unspecified = Figures("CSC-REREFERRALS", Observation());
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), unspecified)), std::vector<std::string>{"total.state"});
  IndicatorFigures not_submitted = Figures("CSC-REREFERRALS", Withheld(ValueState::kNotSubmitted));
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), not_submitted)), std::vector<std::string>{"total.state"});

  IndicatorFigures no_value = Figures("CSC-REREFERRALS", Withheld(ValueState::kPresent));
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), no_value)), std::vector<std::string>{"total.value"});

  IndicatorFigures long_note = Figures("CSC-REREFERRALS", Withheld(ValueState::kMissing));
  long_note.total.note = std::string(501, 'x');
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), long_note)), std::vector<std::string>{"total.note"});
}

TEST(ValidationTest, NumeratorAndDenominatorMustAgreeWithinHalfALastPlace) {
  // 215 of 1000 = 21.5%.
  Observation ok = Present({215, 1});
  ok.numerator = Decimal{215, 0};
  ok.denominator = Decimal{1000, 0};
  IndicatorFigures f = Figures("CSC-REREFERRALS", ok);
  EXPECT_TRUE(ValidateFigures(Percentage(), f).empty());

  // 1 of 3 = 33.333..%: 33.3 agrees, 33.4 does not (|33.4 - 33.333| > 0.05).
  Observation third = Present({333, 1});
  third.numerator = Decimal{1, 0};
  third.denominator = Decimal{3, 0};
  IndicatorFigures a = Figures("CSC-REREFERRALS", third);
  EXPECT_TRUE(ValidateFigures(Percentage(), a).empty());
  third.value = Decimal{334, 1};
  IndicatorFigures b = Figures("CSC-REREFERRALS", third);
  auto v = ValidateFigures(Percentage(), b);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"total.value"});
  EXPECT_THAT(v[0].description, HasSubstr("does not agree"));
  EXPECT_THAT(v[0].description, HasSubstr("(33.3)"));

  // Exactly half a unit away is accepted: 1/8 = 12.5%, an indicator with 0 places may say 12 or 13.
  IndicatorDef whole = Percentage();
  whole.decimal_places = 0;
  Observation eighth = Present({13, 0});
  eighth.numerator = Decimal{1, 0};
  eighth.denominator = Decimal{8, 0};
  IndicatorFigures c = Figures("X", eighth);
  EXPECT_TRUE(ValidateFigures(whole, c).empty());
  eighth.value = Decimal{12, 0};
  IndicatorFigures c2 = Figures("X", eighth);
  EXPECT_TRUE(ValidateFigures(whole, c2).empty());
  eighth.value = Decimal{14, 0};
  IndicatorFigures c3 = Figures("X", eighth);
  EXPECT_EQ(ValidateFigures(whole, c3).size(), 1u);
}

TEST(ValidationTest, RatePer10000UsesItsMultiplier) {
  IndicatorDef rate = Percentage();
  rate.unit = Unit::kRatePer10000;
  Observation o = Present({4567, 1});  // 456.7 per 10,000
  o.numerator = Decimal{1234, 0};
  o.denominator = Decimal{27021, 0};  // 456.68...
  IndicatorFigures f = Figures("R", o);
  EXPECT_TRUE(ValidateFigures(rate, f).empty());
}

TEST(ValidationTest, NumeratorDenominatorShapeRules) {
  Observation only_num = Present({215, 1});
  only_num.numerator = Decimal{215, 0};
  IndicatorFigures a = Figures("CSC-REREFERRALS", only_num);
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), a)), std::vector<std::string>{"total.denominator"});

  Observation zero_den = Present({0, 0});
  zero_den.numerator = Decimal{0, 0};
  zero_den.denominator = Decimal{0, 0};
  IndicatorFigures b = Figures("CSC-REREFERRALS", zero_den);
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), b)), std::vector<std::string>{"total.denominator"});

  Observation count = Present({5, 0});
  count.numerator = Decimal{5, 0};
  count.denominator = Decimal{1, 0};
  IndicatorFigures c = Figures("CLA-COUNT", count);
  EXPECT_EQ(Fields(ValidateFigures(CountWithEthnicity(), c)), std::vector<std::string>{"total.numerator"});

  Observation missing = Withheld(ValueState::kMissing);
  missing.numerator = Decimal{5, 0};
  IndicatorFigures d = Figures("CSC-REREFERRALS", missing);
  EXPECT_EQ(Fields(ValidateFigures(Percentage(), d)), std::vector<std::string>{"total.numerator"});
}

IndicatorFigures Ethnicity(int64_t total, int64_t white, int64_t black, int64_t other) {
  IndicatorFigures f = Figures("CLA-COUNT", Present({total, 0}));
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "WHITE", Present({white, 0})});
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "BLACK", Present({black, 0})});
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "OTHER", Present({other, 0})});
  return f;
}

TEST(ValidationTest, SumBreakdownMustAddUpExactlyByDefault) {
  IndicatorFigures good = Ethnicity(100, 70, 20, 10);
  EXPECT_TRUE(ValidateFigures(CountWithEthnicity(), good).empty());
  IndicatorFigures bad = Ethnicity(100, 70, 20, 9);
  auto v = ValidateFigures(CountWithEthnicity(), bad);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"breakdowns"});
  EXPECT_THAT(v[0].description, HasSubstr("CLA-COUNT ethnicity_group"));
  EXPECT_THAT(v[0].description, HasSubstr("sum to 99 but the total's is 100"));
}

TEST(ValidationTest, SumBreakdownToleranceAllowsRounding) {
  IndicatorDef def = CountWithEthnicity();
  def.breakdowns[0].sum_tolerance = Decimal{2, 0};
  IndicatorFigures within = Ethnicity(100, 70, 20, 8);
  EXPECT_TRUE(ValidateFigures(def, within).empty());
  IndicatorFigures beyond = Ethnicity(100, 70, 20, 7);
  EXPECT_EQ(ValidateFigures(def, beyond).size(), 1u);
  IndicatorFigures over = Ethnicity(100, 70, 20, 12);
  EXPECT_TRUE(ValidateFigures(def, over).empty());
}

TEST(ValidationTest, BreakdownWithSuppressedCategoriesMayNotExceedTheTotal) {
  IndicatorFigures f = Ethnicity(100, 70, 20, 0);
  f.breakdowns[2].observation = Withheld(ValueState::kSuppressed);
  EXPECT_TRUE(ValidateFigures(CountWithEthnicity(), f).empty());
  IndicatorFigures g = Ethnicity(100, 90, 20, 0);
  g.breakdowns[2].observation = Withheld(ValueState::kSuppressed);
  auto v = ValidateFigures(CountWithEthnicity(), g);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].description, HasSubstr("more than the total's 100"));
}

TEST(ValidationTest, BreakdownMustCoverItsDimension) {
  IndicatorFigures f = Ethnicity(100, 70, 20, 10);
  f.breakdowns.pop_back();
  auto v = ValidateFigures(CountWithEthnicity(), f);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"breakdowns"});
  EXPECT_THAT(v[0].description, HasSubstr("lacks categories OTHER"));
}

TEST(ValidationTest, UnknownDimensionUnknownOrDuplicateCategory) {
  IndicatorFigures f = Ethnicity(100, 70, 20, 10);
  f.breakdowns.push_back({Dimension::kSex, "F", Present({50, 0})});
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "MIXED", Present({1, 0})});
  f.breakdowns.push_back({Dimension::kEthnicityGroup, "BLACK", Present({20, 0})});
  EXPECT_EQ(Fields(ValidateFigures(CountWithEthnicity(), f)),
            (std::vector<std::string>{"breakdowns[3].dimension", "breakdowns[4].category",
                                      "breakdowns[5].category"}));
}

TEST(ValidationTest, BreakdownValueViolationsNameIndicatorAndCategory) {
  IndicatorFigures f = Ethnicity(100, 70, 20, 10);
  f.breakdowns[1].observation.value = Decimal{205, 1};
  auto v = ValidateFigures(CountWithEthnicity(), f);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"breakdowns[1].observation.value"});
  EXPECT_THAT(v[0].description, HasSubstr("CLA-COUNT ethnicity_group/BLACK"));
}

TEST(ValidationTest, RequiredBreakdownMustAccompanyTheTotal) {
  IndicatorDef def = CountWithEthnicity();
  def.breakdowns[0].required = true;
  IndicatorFigures f = Figures("CLA-COUNT", Present({100, 0}));
  auto v = ValidateFigures(def, f);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"breakdowns"});
  EXPECT_THAT(v[0].description, HasSubstr("required"));
}

TEST(ValidationTest, PooledBreakdownChecksNumeratorsAndDenominators) {
  IndicatorDef def = Percentage();
  BreakdownSpec sex;
  sex.dimension = Dimension::kSex;
  sex.categories = {{"F", "Female"}, {"M", "Male"}};
  sex.aggregation = Aggregation::kPooled;
  def.breakdowns.push_back(sex);
  auto obs = [](int64_t v, int64_t n, int64_t d) {
    Observation o = Present({v, 1});
    o.numerator = Decimal{n, 0};
    o.denominator = Decimal{d, 0};
    return o;
  };
  IndicatorFigures f = Figures("CSC-REREFERRALS", obs(200, 40, 200));
  f.breakdowns.push_back({Dimension::kSex, "F", obs(250, 25, 100)});
  f.breakdowns.push_back({Dimension::kSex, "M", obs(150, 15, 100)});
  EXPECT_TRUE(ValidateFigures(def, f).empty());
  IndicatorFigures g = Figures("CSC-REREFERRALS", obs(200, 40, 200));
  g.breakdowns.push_back({Dimension::kSex, "F", obs(250, 25, 100)});
  g.breakdowns.push_back({Dimension::kSex, "M", obs(160, 16, 100)});
  auto v = ValidateFigures(def, g);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].description, HasSubstr("numerators sum to 41"));
}

TEST(ValidationTest, LargeChangeWarnsAboveHalfOfThePreviousValueOnly) {
  const IndicatorDef def = Percentage();
  EXPECT_FALSE(LargeChangeWarning(def, Present({300, 1}), Present({200, 1})).has_value());  // exactly half
  auto up = LargeChangeWarning(def, Present({301, 1}), Present({200, 1}));
  ASSERT_TRUE(up.has_value());
  EXPECT_THAT(*up, HasSubstr("CSC-REREFERRALS moved from 20.0 to 30.1"));
  EXPECT_TRUE(LargeChangeWarning(def, Present({99, 1}), Present({20, 0})).has_value());
  EXPECT_FALSE(LargeChangeWarning(def, Present({5, 0}), Present({0, 0})).has_value());
  EXPECT_FALSE(LargeChangeWarning(def, Present({5, 0}), Withheld(ValueState::kSuppressed)).has_value());
  EXPECT_FALSE(LargeChangeWarning(def, Withheld(ValueState::kMissing), Present({5, 0})).has_value());
}

TEST(ValidationTest, IndicatorDefinitionChecks) {
  EXPECT_TRUE(ValidateIndicatorDef(CountWithEthnicity()).empty());
  IndicatorDef bad = CountWithEthnicity();
  bad.indicator_id = "bad id";
  bad.decimal_places = 1;
  bad.breakdowns.push_back(bad.breakdowns[0]);
  bad.breakdowns[1].categories.push_back({"WHITE", "dup"});
  EXPECT_EQ(Fields(ValidateIndicatorDef(bad)),
            (std::vector<std::string>{"indicator_id", "decimal_places", "breakdowns[1].dimension",
                                      "breakdowns[1].categories[3].code"}));
  IndicatorDef range = Percentage();
  range.min_value = Decimal{50, 0};
  range.max_value = Decimal{40, 0};
  EXPECT_EQ(Fields(ValidateIndicatorDef(range)), std::vector<std::string>{"min_value"});
}

}  // namespace
}  // namespace slihub::datacollection
