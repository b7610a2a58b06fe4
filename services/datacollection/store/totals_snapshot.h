// A compact binary encoding of one period's latest total figures (every LA's latest version), stored
// as one row per (collection, period) so the rug reads a period with one indexed lookup. Plain
// functions; thread-safe.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_STORE_TOTALS_SNAPSHOT_H_
#define SLIHUB_SERVICES_DATACOLLECTION_STORE_TOTALS_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/datacollection/store/records.h"

namespace slihub::datacollection {

// Encodes `totals` (any order; LA codes and indicator ids are written once each).
std::string EncodeTotals(const std::vector<LatestTotal>& totals);

// Decodes what EncodeTotals wrote, in the same order. DataLoss when `bytes` is truncated or not
// such an encoding.
absl::StatusOr<std::vector<LatestTotal>> DecodeTotals(absl::string_view bytes);

// `totals` with every entry of `la_code` replaced by `figures` (the totals of that LA's new latest
// version `version`, stamped `timeliness`).
std::vector<LatestTotal> ReplaceLaTotals(std::vector<LatestTotal> totals, const std::string& la_code,
                                         const std::vector<IndicatorFigures>& figures, int64_t version,
                                         Timeliness timeliness);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_STORE_TOTALS_SNAPSHOT_H_
