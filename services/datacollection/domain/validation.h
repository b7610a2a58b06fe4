// Validation of an LA's submitted figures against their indicator: state rules, range, decimal places
// (rejected, never rounded), numerator/denominator agreement, breakdown coverage and sums.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_VALIDATION_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_VALIDATION_H_

#include <optional>
#include <string>
#include <vector>

#include "services/datacollection/domain/indicator.h"

namespace slihub::datacollection {

// One problem: a field path relative to the IndicatorValue message ("total.value",
// "breakdowns[2].observation.numerator", "breakdowns") and a description that names the indicator
// and, for a breakdown, its dimension and category.
struct Violation {
  std::string field;
  std::string description;
};

// Checks `figures` against `def` and returns every violation (empty when acceptable). When there is
// none, every PRESENT value is normalised to exactly def.decimal_places and indicator_version is set.
// The longest accepted note is 500 characters.
std::vector<Violation> ValidateFigures(const IndicatorDef& def, IndicatorFigures& figures);

// A non-blocking plausibility check: a description when both figures are PRESENT, the previous one is
// not zero and the value moved by more than half of it; nullopt otherwise.
std::optional<std::string> LargeChangeWarning(const IndicatorDef& def, const Observation& current,
                                              const Observation& previous);

// Checks an indicator definition itself (id syntax, unit/decimal places, range order, breakdowns).
// Field paths are relative to the Indicator message.
std::vector<Violation> ValidateIndicatorDef(const IndicatorDef& def);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_VALIDATION_H_
