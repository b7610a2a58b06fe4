// Demo records for the local stack: a rule set for every region (current DfE-era figures,
// illustrative), London's 2016 Pan-London caps as a historical version, a workforce policy for
// the hub's first LA, and a few workers with history in the hub's own region.
#ifndef SLIHUB_SERVICES_WORKFORCE_DEMO_DATA_H_
#define SLIHUB_SERVICES_WORKFORCE_DEMO_DATA_H_

#include <vector>

#include "absl/status/status.h"
#include "common/server/service_context.h"
#include "services/workforce/domain/rule_set.h"

namespace slihub::workforce {

// Every demo rule set version, each region's versions in effective date order.
std::vector<RuleSet> DemoRuleSets();

// Loads the demo records; idempotent (versions and records already present are left alone).
absl::Status LoadWorkforceDemoData(const ServiceContext& context);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DEMO_DATA_H_
