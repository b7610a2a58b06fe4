// Who sees which LA's figures and notes (the tenancy of data collection): an LA reads and writes
// only its own returns; another LA's figures of a period are visible to it once the regional admin
// has published the period; free-text notes and comments stay with the submitting LA and the hub
// (regional admin, service) for ever. Pure functions; thread-safe.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_FIGURE_ACCESS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_FIGURE_ACCESS_H_

#include <string>

#include "absl/status/status.h"
#include "common/identity/principal.h"
#include "services/datacollection/domain/indicator.h"
#include "services/datacollection/store/records.h"

namespace slihub::datacollection {

// What one caller may read: everything (the hub), or its own LA's figures and notes plus other
// LAs' figures of published periods (`own_la` empty for a principal of no LA).
struct FigureView {
  bool hub = false;
  std::string own_la;
};

// The view of `principal` (already admitted to this hub's region by the request layer).
FigureView ViewOf(const Principal& principal);

// True when `view` may see `la_code`'s figures of `period`.
bool SeesFigures(const FigureView& view, const std::string& la_code, const PeriodRecord& period);

// True when `view` may see `la_code`'s notes and comments.
bool SeesNotes(const FigureView& view, const std::string& la_code);

// `figures` without their notes (total and every breakdown).
void StripNotes(IndicatorFigures& figures);

// OK when `view` may see the whole region's figures of `period` (the rug); PERMISSION_DENIED with
// ErrorInfo PERIOD_NOT_PUBLISHED otherwise.
absl::Status CheckRegionFiguresVisible(const FigureView& view, const PeriodRecord& period);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_FIGURE_ACCESS_H_
