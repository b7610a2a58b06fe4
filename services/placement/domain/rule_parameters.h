// The placement rules' tunable parameters as named data (the service keeps them in its
// rule_parameters table): hold length, staleness, score weights and scoring horizons.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_RULE_PARAMETERS_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_RULE_PARAMETERS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/matching.h"

namespace slihub::placement {

// The rule parameters. Plain data; the defaults are the issue's.
struct RuleParameters {
  MatchConfig match;
  HoldPolicy holds;
};

// Sets parameter `name` to `value` (text, as stored). Names and ranges:
//   hold_max_hours 1..168; stale_after_days 1..365; distance_horizon_miles 1..1000;
//   cost_horizon_pence 1..100000000; near_home_miles 1..1000;
//   weight.distance, weight.cost, weight.ofsted_grade, weight.needs_fit, weight.in_la,
//   weight.in_region, weight.sibling_capacity, weight.staleness 0..100.
// InvalidArgument naming the parameter for an unknown name, a malformed number or one out of
// range; `params` is then unchanged.
absl::Status ApplyRuleParameter(absl::string_view name, absl::string_view value,
                                RuleParameters* params);

// Applies every (name, value) in order; the first error is returned, naming its parameter.
absl::Status ApplyRuleParameters(const std::vector<std::pair<std::string, std::string>>& values,
                                 RuleParameters* params);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_RULE_PARAMETERS_H_
