// The data collection store's schema migrations, apart from the row mapping (repository.h).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_STORE_MIGRATIONS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_STORE_MIGRATIONS_H_

#include <vector>

#include "common/store/migration.h"

namespace slihub::datacollection {

// The schema, in order; apply with store::Database::Migrate at start-up.
std::vector<store::Migration> DataCollectionMigrations();

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_STORE_MIGRATIONS_H_
