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

std::optional<Decimal> IndicatorDef::EffectiveMin() const {
  if (min_value) return min_value;
  if (unit == Unit::kPercentage || unit == Unit::kRatePer10000 || unit == Unit::kCount) {
    return Decimal{0, 0};
  }
  return std::nullopt;
}

std::optional<Decimal> IndicatorDef::EffectiveMax() const {
  if (max_value) return max_value;
  if (unit == Unit::kPercentage) return Decimal{100, 0};
  return std::nullopt;
}

const BreakdownSpec* IndicatorDef::FindBreakdown(Dimension dimension) const {
  for (const BreakdownSpec& spec : breakdowns) {
    if (spec.dimension == dimension) return &spec;
  }
  return nullptr;
}

}  // namespace slihub::datacollection
