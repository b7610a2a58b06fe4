// The placement store's tables, as versioned migrations.
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_SCHEMA_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_SCHEMA_H_

#include <vector>

#include "common/store/migration.h"

namespace slihub::placement {

// Every migration of the placement store, versions 1..N.
const std::vector<store::Migration>& PlacementMigrations();

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_SCHEMA_H_
