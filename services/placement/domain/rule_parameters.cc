#include "services/placement/domain/rule_parameters.h"

#include <array>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace slihub::placement {
namespace {

// The weight parameters, in Component order.
constexpr std::array<const char*, kComponentCount> kWeightNames = {
    "weight.distance", "weight.cost",     "weight.ofsted_grade",     "weight.needs_fit",
    "weight.in_la",    "weight.in_region", "weight.sibling_capacity", "weight.staleness"};

absl::Status Bad(absl::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rule parameter ", name, ": ", why));
}

// The number in `value` when it parses and lies in [lo, hi].
absl::Status Number(absl::string_view name, absl::string_view value, double lo, double hi,
                    double* out) {
  double v = 0;
  if (!absl::SimpleAtod(value, &v)) return Bad(name, absl::StrCat("not a number: \"", value, "\""));
  if (!(v >= lo && v <= hi)) return Bad(name, absl::StrCat("must be ", lo, "..", hi));
  *out = v;
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyRuleParameter(absl::string_view name, absl::string_view value,
                                RuleParameters* params) {
  double v = 0;
  for (size_t i = 0; i < kWeightNames.size(); ++i) {
    if (name != kWeightNames[i]) continue;
    if (absl::Status s = Number(name, value, 0, 100, &v); !s.ok()) return s;
    params->match.weights[i] = v;
    return absl::OkStatus();
  }
  if (name == "hold_max_hours") {
    if (absl::Status s = Number(name, value, 1, 168, &v); !s.ok()) return s;
    params->holds.max_duration = absl::Seconds(static_cast<int64_t>(v * 3600));
  } else if (name == "stale_after_days") {
    if (absl::Status s = Number(name, value, 1, 365, &v); !s.ok()) return s;
    params->match.stale_after = absl::Seconds(static_cast<int64_t>(v * 86400));
  } else if (name == "distance_horizon_miles") {
    if (absl::Status s = Number(name, value, 1, 1000, &v); !s.ok()) return s;
    params->match.distance_horizon_miles = v;
  } else if (name == "cost_horizon_pence") {
    if (absl::Status s = Number(name, value, 1, 100000000, &v); !s.ok()) return s;
    params->match.cost_horizon_pence = static_cast<int64_t>(v);
  } else if (name == "near_home_miles") {
    if (absl::Status s = Number(name, value, 1, 1000, &v); !s.ok()) return s;
    params->match.near_home_miles = v;
  } else {
    return Bad(name, "unknown parameter");
  }
  return absl::OkStatus();
}

absl::Status ApplyRuleParameters(const std::vector<std::pair<std::string, std::string>>& values,
                                 RuleParameters* params) {
  RuleParameters next = *params;
  for (const auto& [name, value] : values) {
    if (absl::Status s = ApplyRuleParameter(name, value, &next); !s.ok()) return s;
  }
  *params = next;
  return absl::OkStatus();
}

}  // namespace slihub::placement
