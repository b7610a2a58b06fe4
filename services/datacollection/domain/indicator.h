// Indicators as data: unit, polarity, valid range, decimal places and breakdown dimensions, plus the
// figures an LA reports for them. Plain C++; the adapter translates to and from the protos.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_INDICATOR_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_INDICATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/datacollection/domain/decimal.h"

namespace slihub::datacollection {

// Numbered as slihub.datacollection.v1.IndicatorUnit.
enum class Unit { kUnspecified = 0, kRatePer10000 = 1, kPercentage = 2, kCount = 3, kDays = 4, kRatio = 5 };
// Numbered as slihub.datacollection.v1.Polarity.
enum class Polarity { kUnspecified = 0, kHigherIsBetter = 1, kLowerIsBetter = 2, kNeither = 3 };
// Numbered as slihub.datacollection.v1.BreakdownDimension; kTotal (0) marks the LA's overall figure.
enum class Dimension { kTotal = 0, kEthnicityGroup = 1, kSex = 2, kAgeBand = 3 };
// Numbered as slihub.datacollection.v1.BreakdownAggregation.
enum class Aggregation { kUnspecified = 0, kSum = 1, kPooled = 2, kNone = 3 };
// Numbered as slihub.datacollection.v1.ValueState.
enum class ValueState { kUnspecified = 0, kPresent = 1, kMissing = 2, kSuppressed = 3, kNotSubmitted = 4 };

// "ethnicity_group", "sex", "age_band" ("" for kTotal): the CSV and message spelling.
absl::string_view DimensionName(Dimension dimension);
// The multiplier relating a value to numerator / denominator: 10000, 100 or 1.
int64_t UnitMultiplier(Unit unit);

// The range every figure of `unit` must lie in, by its meaning: a percentage 0-100, a rate per
// 10,000 0-1,000,000, a count 0-10,000,000, days 0-36,525 (a century), a ratio 0-100,000. An
// indicator may narrow it (min_value, max_value), never widen it.
Decimal UnitMin(Unit unit);
Decimal UnitMax(Unit unit);

// The largest numerator or denominator accepted (counts of children, days, posts).
inline constexpr int64_t kMaxNumeratorOrDenominator = 1000000000;

// True when the unit is a share of its denominator, so a numerator may not exceed it (percentage).
bool NumeratorWithinDenominator(Unit unit);

// One category of a breakdown dimension.
struct Category {
  std::string code;
  std::string label;
};

// A breakdown an indicator accepts.
struct BreakdownSpec {
  Dimension dimension = Dimension::kEthnicityGroup;
  std::vector<Category> categories;
  Aggregation aggregation = Aggregation::kNone;
  std::optional<Decimal> sum_tolerance;  // unset: exact for SUM, half a unit per category for POOLED
  bool required = false;
};

// One version of an indicator.
struct IndicatorDef {
  std::string indicator_id;
  int64_t version = 1;
  std::string name;
  std::string short_name;
  std::string definition;
  Unit unit = Unit::kUnspecified;
  Polarity polarity = Polarity::kUnspecified;
  std::optional<Decimal> min_value;  // unset: UnitMin(unit)
  std::optional<Decimal> max_value;  // unset: UnitMax(unit)
  int decimal_places = 0;
  std::vector<BreakdownSpec> breakdowns;
  std::string source;
  std::string derived_by_service;
  std::string effective_from;  // YYYY-MM-DD
  bool retired = false;

  // The effective bounds: the unit's range narrowed by min_value and max_value (nullopt only for
  // an unspecified unit). A bound whose scale is outside 0..kMaxDecimalScale is ignored
  // (ValidateIndicatorDef refuses it).
  std::optional<Decimal> EffectiveMin() const;
  std::optional<Decimal> EffectiveMax() const;
  // The breakdown spec for `dimension`, or nullptr.
  const BreakdownSpec* FindBreakdown(Dimension dimension) const;
};

// One figure: a state and, when PRESENT, the value with optional numerator and denominator.
struct Observation {
  ValueState state = ValueState::kUnspecified;
  std::optional<Decimal> value;
  std::optional<Decimal> numerator;
  std::optional<Decimal> denominator;
  std::string note;
};

// One category's figure within a breakdown.
struct BreakdownFigure {
  Dimension dimension = Dimension::kEthnicityGroup;
  std::string category;
  Observation observation;
};

// One indicator's figures in a return: the total and its breakdowns.
struct IndicatorFigures {
  std::string indicator_id;
  int64_t indicator_version = 0;
  Observation total;
  std::vector<BreakdownFigure> breakdowns;
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_INDICATOR_H_
