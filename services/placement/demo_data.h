// Demo providers, settings and vacancies for the local stack's EE and SE hubs.
#ifndef SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_
#define SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_

#include <string>

#include "absl/status/status.h"
#include "services/placement/store/placement_store.h"

namespace slihub::placement {

// Loads the demo records of `hub_region` (EE or SE; other regions get none). Idempotent: every
// record has a fixed request id or record id, so a second load changes nothing but vacancy
// confirmation times.
absl::Status LoadDemoData(PlacementStore& store, const std::string& hub_region);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DEMO_DATA_H_
