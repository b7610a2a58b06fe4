// The placement store's tables, as versioned migrations.
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_MIGRATIONS_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_MIGRATIONS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/store/database.h"
#include "common/store/migration.h"

namespace slihub::placement {

// Every migration of the placement store, versions 1..N.
const std::vector<store::Migration>& PlacementMigrations();

// The SQLite placement file at `path`, opened (created if absent) and migrated: for tests and
// benchmarks.
absl::StatusOr<std::unique_ptr<store::Database>> OpenPlacementDatabase(const std::string& path);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_MIGRATIONS_H_
