// Demo records for the local stack: a rule set for every region (current DfE-era figures,
// illustrative), London's 2016 Pan-London caps as a historical version, a workforce policy for
// the hub's first LA, a few workers with history in the hub's own region, and one worker whose
// career spans every region (each hub holding its own part).
#ifndef SLIHUB_SERVICES_WORKFORCE_DEMO_DATA_H_
#define SLIHUB_SERVICES_WORKFORCE_DEMO_DATA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/server/service_context.h"
#include "services/workforce/domain/rule_set.h"

namespace slihub::workforce {

// The demo worker with six months in each region (each hub loads its own region's period).
inline constexpr char kDemoTouringWorker[] = "SW990001";

// The SWE number of `region`'s demo worker `n` (1..3): "SW9" + the region's index among the
// reference data's regions in code order + "000" + n, so EE's are SW900001-3 and YH's SW980001-3.
std::string DemoSweNumber(const ReferenceData& refdata, const std::string& region, int n);

// Every demo rule set version, each region's versions in effective date order.
std::vector<RuleSet> DemoRuleSets();

// Loads the demo records; idempotent (versions and records already present are left alone).
absl::Status LoadWorkforceDemoData(const ServiceContext& context);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DEMO_DATA_H_
