#include "services/datacollection/domain/comparator.h"

#include <algorithm>

namespace slihub::datacollection {
namespace {

bool FitsInt64(Int128 v) {
  return v <= static_cast<Int128>(INT64_MAX) && v >= static_cast<Int128>(INT64_MIN);
}

// a + b at the larger scale; nullopt on overflow.
std::optional<Decimal> Add(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale, b.scale);
  const Int128 sum = ScaledTo(a, scale) + ScaledTo(b, scale);
  if (!FitsInt64(sum)) return std::nullopt;
  return Decimal{static_cast<int64_t>(sum), scale};
}

}  // namespace

std::optional<AggregatePart> AddParts(const AggregatePart& a, const AggregatePart& b) {
  AggregatePart out;
  out.las_present = a.las_present + b.las_present;
  out.las_pooled = a.las_pooled + b.las_pooled;
  auto values = Add(a.value_sum, b.value_sum);
  auto numerators = Add(a.numerator_sum, b.numerator_sum);
  auto denominators = Add(a.denominator_sum, b.denominator_sum);
  if (!values || !numerators || !denominators) return std::nullopt;
  out.value_sum = *values;
  out.numerator_sum = *numerators;
  out.denominator_sum = *denominators;
  return out;
}

std::optional<AggregatePart> PartOf(const std::vector<Observation>& totals) {
  AggregatePart part;
  for (const Observation& o : totals) {
    if (o.state != ValueState::kPresent || !o.value) continue;
    AggregatePart one;
    one.las_present = 1;
    one.value_sum = *o.value;
    if (o.numerator && o.denominator && CompareDecimal(*o.denominator, Decimal{0, 0}) > 0) {
      one.las_pooled = 1;
      one.numerator_sum = *o.numerator;
      one.denominator_sum = *o.denominator;
    }
    auto sum = AddParts(part, one);
    if (!sum) return std::nullopt;
    part = *sum;
  }
  return part;
}

ComparatorFigure FormFigure(const AggregatePart& part, Unit unit, int decimal_places) {
  ComparatorFigure figure;
  figure.las_included = part.las_present;
  if (part.las_present == 0) return figure;
  if (part.las_pooled == part.las_present &&
      CompareDecimal(part.denominator_sum, Decimal{0, 0}) > 0) {
    figure.method = FigureMethod::kPooled;
    const int scale = std::max(part.numerator_sum.scale, part.denominator_sum.scale);
    figure.value = DivideRounded(ScaledTo(part.numerator_sum, scale) * UnitMultiplier(unit) *
                                     Pow10(decimal_places),
                                 ScaledTo(part.denominator_sum, scale), decimal_places);
    return figure;
  }
  figure.method = FigureMethod::kMeanOfLas;
  figure.value = DivideRounded(static_cast<Int128>(part.value_sum.unscaled) * Pow10(decimal_places),
                               static_cast<Int128>(part.las_present) * Pow10(part.value_sum.scale),
                               decimal_places);
  return figure;
}

}  // namespace slihub::datacollection
