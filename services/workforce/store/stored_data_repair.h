// The start-up check of what the workforce store already holds: text written before the service
// refused invalid UTF-8 is repaired, blobs that no longer parse are repaired, rebuilt from the
// tables they derive from, or quarantined, so nothing broken is ever served.
#ifndef SLIHUB_SERVICES_WORKFORCE_STORE_STORED_DATA_REPAIR_H_
#define SLIHUB_SERVICES_WORKFORCE_STORE_STORED_DATA_REPAIR_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "common/store/database.h"

namespace slihub::workforce {

// What RepairStoredData found and did: counts only, safe to log (no personal data).
struct StoredDataRepair {
  int64_t text_cells_repaired = 0;   // text cells rewritten with U+FFFD for each invalid byte
  int64_t histories_rebuilt = 0;     // worker_histories blobs rebuilt from their rows
  int64_t blobs_repaired = 0;        // engagement and exception blobs whose strings were repaired
  int64_t rows_quarantined = 0;      // engagements and exceptions moved to quarantined_* tables

  // True when anything was changed.
  bool changed() const {
    return text_cells_repaired + histories_rebuilt + blobs_repaired + rows_quarantined > 0;
  }
};

// Scans every free-text and audit text column for invalid UTF-8 and repairs it with
// ReplaceInvalidUtf8; rebuilds from employment_periods and register_checks every
// worker_histories blob that does not parse or whose rows were repaired; repairs the string
// fields of engagement (terms, check) and exception blobs that do not parse, and moves a row
// whose blob is not even well-formed wire format to quarantined_engagements or
// quarantined_rule_exceptions (with the reason), out of every answer. Runs in the caller's
// write transaction `tx`; announces the changed keys on the store's change channels.
absl::StatusOr<StoredDataRepair> RepairStoredData(store::Transaction& tx);

// Runs RepairStoredData in one write transaction of `db` and logs the counts and the time taken
// (event stored_data_checked; a warning when anything was repaired). For start-up, before serving.
absl::Status CheckStoredData(store::Database& db);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_STORE_STORED_DATA_REPAIR_H_
