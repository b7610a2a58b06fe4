// Stored text that is not valid UTF-8 (written before every text was checked, or planted in the
// file) found at start-up and repaired, so no reader ever gets a string it cannot decode.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_STORE_TEXT_REPAIR_H_
#define SLIHUB_SERVICES_DATACOLLECTION_STORE_TEXT_REPAIR_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/database.h"

namespace slihub::datacollection {

// Checks every stored text column a reader is served (notes, comments, labels, names) in one
// write transaction of `tx`: each ill-formed value is replaced by ReplaceInvalidUtf8 of it, its
// original bytes are kept (hex) in text_quarantine stamped `now`, and the period totals rows that
// copy notes are dropped (they are rebuilt from the repaired returns). Returns how many values
// were repaired.
absl::StatusOr<int64_t> RepairStoredText(store::Transaction& tx, absl::Time now);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_STORE_TEXT_REPAIR_H_
