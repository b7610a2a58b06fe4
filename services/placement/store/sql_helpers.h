// Small helpers shared by the placement service's repositories: time and date columns, audit
// columns, id allocation and the store's error statuses.
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_SQL_HELPERS_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_SQL_HELPERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "services/placement/store/placement_store.h"

namespace slihub::placement::sql {

// Times are stored as Unix microseconds.
inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromMicros(int64_t m) { return absl::FromUnixMicros(m); }

// Dates are stored as "YYYY-MM-DD" (so text order is date order).
std::string DayText(absl::CivilDay d);
// The date in `s`, or 1970-01-01 when `s` is not one.
absl::CivilDay DayFrom(const std::string& s);

// The created_at/by, updated_at/by and request_id columns of `r`.
Audit AuditFrom(const store::Row& r);

// The next id of `kind` in this hub: "<region>-<kind>-<n>".
absl::StatusOr<std::string> NextId(store::Transaction& tx, const std::string& region,
                                   const std::string& kind);

// NotFound "<what> <id> not found".
absl::Status NotFound(absl::string_view what, absl::string_view id);
// FailedPrecondition with a PreconditionFailure {type, subject, description} and ErrorInfo reason.
absl::Status Precondition(const std::string& type, const std::string& subject,
                          const std::string& description);
// Aborted STALE_VERSION: `subject` is at `actual`, not `expected`.
absl::Status Stale(const std::string& subject, int64_t expected, int64_t actual);

// Reads one record in `tx`: `find(tx)` returns StatusOr<optional<Record>>; nullopt
// becomes NotFound naming `what` and `id`.
template <typename Record, typename Find>
absl::StatusOr<Record> ReadById(store::Transaction& tx, absl::string_view what,
                                const std::string& id, Find find) {
  absl::StatusOr<std::optional<Record>> found = find(tx);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NotFound(what, id);
  return **std::move(found);
}

}  // namespace slihub::placement::sql

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_SQL_HELPERS_H_
