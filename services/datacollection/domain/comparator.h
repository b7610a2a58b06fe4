// The England comparator (and a region's own figure) formed exactly from parts: each part is the
// exact sums of a set of LAs' PRESENT totals, parts add up without rounding, and the figure is
// rounded once at the end. Plain functions; thread-safe.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_COMPARATOR_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_COMPARATOR_H_

#include <optional>
#include <vector>

#include "services/datacollection/domain/decimal.h"
#include "services/datacollection/domain/indicator.h"

namespace slihub::datacollection {

// Numbered as slihub.datacollection.v1.EnglandFigureMethod.
enum class FigureMethod { kUnspecified = 0, kPooled = 1, kMeanOfLas = 2 };

// Exact sums over a set of LAs' totals of one indicator. Plain value.
struct AggregatePart {
  int las_present = 0;        // PRESENT totals
  Decimal value_sum;          // their sum
  int las_pooled = 0;         // PRESENT totals with a numerator and a positive denominator
  Decimal numerator_sum;      // over those
  Decimal denominator_sum;
};

// A comparator figure. Plain value.
struct ComparatorFigure {
  FigureMethod method = FigureMethod::kUnspecified;
  std::optional<Decimal> value;  // unset when no LA is PRESENT (or it does not fit)
  int las_included = 0;
};

// `a` + `b`, exactly; nullopt when a sum does not fit in int64 at the larger scale.
std::optional<AggregatePart> AddParts(const AggregatePart& a, const AggregatePart& b);

// The part of `totals` (one indicator's totals of some LAs; only PRESENT ones count).
// nullopt on overflow.
std::optional<AggregatePart> PartOf(const std::vector<Observation>& totals);

// The figure of `part` at `decimal_places`, rounded half away from zero once: POOLED (sum of
// numerators over sum of denominators times the unit's multiplier) when every PRESENT LA gave a
// numerator and a positive denominator, else MEAN_OF_LAS (the unweighted mean of the values).
ComparatorFigure FormFigure(const AggregatePart& part, Unit unit, int decimal_places);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_COMPARATOR_H_
