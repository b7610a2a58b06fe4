#include "services/datacollection/domain/indicator.h"

namespace slihub::datacollection {

absl::string_view DimensionName(Dimension dimension) {
  switch (dimension) {
    case Dimension::kEthnicityGroup: return "ethnicity_group";
    case Dimension::kSex: return "sex";
    case Dimension::kAgeBand: return "age_band";
    case Dimension::kTotal: break;
  }
  return "";
}

int64_t UnitMultiplier(Unit unit) {
  switch (unit) {
    case Unit::kRatePer10000: return 10000;
    case Unit::kPercentage: return 100;
    default: return 1;
  }
}

Decimal UnitMin(Unit) { return Decimal{0, 0}; }

Decimal UnitMax(Unit unit) {
  switch (unit) {
    case Unit::kPercentage: return Decimal{100, 0};
    case Unit::kRatePer10000: return Decimal{1000000, 0};
    case Unit::kCount: return Decimal{10000000, 0};
    case Unit::kDays: return Decimal{36525, 0};
    case Unit::kRatio: return Decimal{100000, 0};
    case Unit::kUnspecified: break;
  }
  return Decimal{0, 0};
}

bool NumeratorWithinDenominator(Unit unit) { return unit == Unit::kPercentage; }

namespace {

// A bound whose scale CompareDecimal can take; ValidateIndicatorDef refuses the others, and the
// effective bounds ignore them rather than rescale by a wild power of ten.
bool HasComparableScale(const std::optional<Decimal>& bound) {
  return bound && bound->scale >= 0 && bound->scale <= kMaxDecimalScale;
}

}  // namespace

std::optional<Decimal> IndicatorDef::EffectiveMin() const {
  if (unit == Unit::kUnspecified) return HasComparableScale(min_value) ? min_value : std::nullopt;
  const Decimal floor = UnitMin(unit);
  if (HasComparableScale(min_value) && CompareDecimal(*min_value, floor) > 0) return min_value;
  return floor;
}

std::optional<Decimal> IndicatorDef::EffectiveMax() const {
  if (unit == Unit::kUnspecified) return HasComparableScale(max_value) ? max_value : std::nullopt;
  const Decimal ceiling = UnitMax(unit);
  if (HasComparableScale(max_value) && CompareDecimal(*max_value, ceiling) < 0) return max_value;
  return ceiling;
}

const BreakdownSpec* IndicatorDef::FindBreakdown(Dimension dimension) const {
  for (const BreakdownSpec& spec : breakdowns) {
    if (spec.dimension == dimension) return &spec;
  }
  return nullptr;
}

}  // namespace slihub::datacollection
