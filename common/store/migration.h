// Versioned schema migrations, applied in order at start-up and recorded in the database.
#ifndef SLIHUB_COMMON_STORE_MIGRATION_H_
#define SLIHUB_COMMON_STORE_MIGRATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace slihub::store {

class Database;

// One schema change. `version` numbers run 1, 2, 3, ... with no gaps; `name` is recorded with
// it and must never change once released; `sql` is one or more statements separated by ';',
// with no parameters. Plain data.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// The table in which every backend records applied migrations (version, name, applied_at).
inline constexpr char kSchemaMigrationsTable[] = "schema_migrations";

// Checks `migrations` on their own, in any order: versions must be exactly 1..N, each once, each
// with a non-empty name. Returns FailedPrecondition naming the first problem.
absl::Status ValidateMigrations(absl::Span<const Migration> migrations);

// Brings `db` up to date with `migrations`, backend-independently: validates them, refuses a
// database that records a version this code does not know, a gap in the recorded versions or a
// recorded name that differs (all FailedPrecondition), then applies each missing migration in
// version order in its own write transaction together with its schema_migrations row. Safe
// against another process migrating the same database at the same time. A failing migration
// leaves the earlier ones applied and returns its error, prefixed with its version and name.
absl::Status ApplyMigrations(Database& db, absl::Span<const Migration> migrations);

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_MIGRATION_H_
