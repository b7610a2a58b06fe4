// A deterministic synthetic register of settings and vacancies spread over England, for
// benchmarks (never loaded by the service).
#ifndef SLIHUB_SERVICES_PLACEMENT_SYNTHETIC_REGISTER_H_
#define SLIHUB_SERVICES_PLACEMENT_SYNTHETIC_REGISTER_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/store/database.h"

namespace slihub::placement {

// Inserts provider EE-p-1 and `n` settings EE-s-<i>, each with one open vacancy EE-v-<i>, into a
// migrated placement store, in one write transaction. The same `n` gives the same rows.
absl::Status SeedSyntheticRegister(store::Database& db, int n, absl::Time now);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_SYNTHETIC_REGISTER_H_
