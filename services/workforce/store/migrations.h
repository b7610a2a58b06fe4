// The workforce store's schema migrations (SQL only, in store/migrations.cc).
#ifndef SLIHUB_SERVICES_WORKFORCE_STORE_MIGRATIONS_H_
#define SLIHUB_SERVICES_WORKFORCE_STORE_MIGRATIONS_H_

#include <vector>

#include "common/store/migration.h"

namespace slihub::workforce {

// The schema, in version order.
std::vector<store::Migration> WorkforceMigrations();

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_STORE_MIGRATIONS_H_
