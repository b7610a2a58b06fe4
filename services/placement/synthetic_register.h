// A deterministic synthetic register of settings and vacancies spread over England, for
// benchmarks (never loaded by the service).
#ifndef SLIHUB_SERVICES_PLACEMENT_SYNTHETIC_REGISTER_H_
#define SLIHUB_SERVICES_PLACEMENT_SYNTHETIC_REGISTER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/database.h"

namespace slihub::placement {

// Inserts provider EE-p-1 and `n` settings EE-s-<i>, each with one open vacancy EE-v-<i>, into a
// migrated placement store, in one write transaction. The same `n` gives the same rows.
absl::Status SeedSyntheticRegister(store::Database& db, int n, absl::Time now);

// The nine regions of England in code order, as SeedSyntheticNation assigns them.
const std::vector<std::string>& SyntheticRegions();

// A register of `n` settings spread over England's nine regions (row i in region i % 9, an LA of
// that region, coordinates anywhere in England), each with one open vacancy, ids prefixed by
// their region ("SE-s-17", "SE-v-17") with one provider per region ("SE-p-1"). With
// `only_region` set, only that region's rows are written (the same rows, so nine hubs seeded one
// region each hold exactly what one hub seeded with all of them holds). Into a migrated placement
// store, in one write transaction.
absl::Status SeedSyntheticNation(store::Database& db, int n, absl::Time now,
                                 const std::string& only_region = "");

// The benchmarks' baseline: MatchPlacements' filters and score for the benchmark referral (a
// 14-year-old girl from Norwich with needs 1 and 7, within 60 miles and £5,000 a week, needed by
// 2026-12-31, national scope) written as one SQL query, ranked and limited to the first page of
// 50; staleness judged at `now`. Returns the number of rows.
absl::StatusOr<size_t> RunSyntheticMatchSql(store::Database& db, absl::Time now);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_SYNTHETIC_REGISTER_H_
