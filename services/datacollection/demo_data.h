// Demo records for the local stack: the core indicator catalogue, the region's core quarterly
// collection with four past quarters and the current one, and plausible figures for every LA.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DEMO_DATA_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DEMO_DATA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/refdata/reference_data.h"
#include "common/store/database.h"
#include "services/datacollection/domain/indicator.h"
#include "services/datacollection/store/records.h"

namespace slihub::datacollection {

// The core children's social care catalogue (22 indicators from DOMAIN.md section 3), version 1.
std::vector<IndicatorDef> CoreCatalogue();

// The id of a region's core quarterly collection ("EE-core").
std::string CoreCollectionId(const std::string& region);

// The demo periods at `now`: the four quarters before the current one (figures loaded) and the
// current quarter (open, empty). Deadline: noon UK time on the last day of the month after the quarter
// ends; close three months after the deadline; open on the quarter's first day.
std::vector<PeriodRecord> DemoPeriods(const std::string& collection_id,
                                      const std::vector<std::string>& indicator_ids, absl::Time now);

// A plausible, deterministic figure set for one LA and period (every catalogue indicator).
std::vector<IndicatorFigures> DemoFigures(const std::vector<IndicatorDef>& catalogue,
                                          const std::string& la_code, const std::string& period_id);

// Loads the demo records for `region` unless its core collection exists (idempotent). In the latest
// past quarter the region's last LA has not submitted and its first LA submitted late.
absl::Status LoadDemoData(store::Database& db, const ReferenceData& refdata, const std::string& region,
                          absl::Time now);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DEMO_DATA_H_
