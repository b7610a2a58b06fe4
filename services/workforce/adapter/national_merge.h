// The national side of the workforce federation, free of the service object so it is unit-tested
// against FakeWorkforceHubConnection: gathering other regions' worker facts (as domain facts) and
// compliance summaries (as rows of the answer) through a WorkforceHubConnection, with each
// region's outcome.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_NATIONAL_MERGE_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_NATIONAL_MERGE_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/federation/region_outcome.h"
#include "common/refdata/reference_data.h"
#include "services/workforce/client/workforce_hub_connection.h"
#include "services/workforce/domain/history.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::workforce {

// What a national check knows beyond this hub: each region's outcome (this hub's first, then the
// others in the order asked), the facts of those that answered, and the regions missing. Plain
// data.
struct NationalFacts {
  std::vector<federation::RegionOutcome> outcomes;
  std::vector<RegionFacts> answered;
  std::vector<std::string> missing_regions;
};

// A peer's LookupWorkerFacts answer as domain facts of `region`. A period whose LA is unknown in
// `refdata` or whose enums or dates do not read is left out (MergeRegionFacts then keeps only
// `region`'s LAs' periods), as is a check with an unreadable time or status.
RegionFacts FromFacts(const std::string& region, const v1::LookupWorkerFactsResponse& in,
                      const std::string& swe, const ReferenceData& refdata);

// Asks `others` for `swe`'s facts through `hub` in one fan-out. `hub_region`'s own outcome comes
// first (FRESH at `now`). With `hub` null (no federation) every other region is UNAVAILABLE
// naming why. Never fails: a region's failure is its outcome. Blocks up to the federation
// deadline.
NationalFacts GatherWorkerFacts(WorkforceHubConnection* hub, const std::string& hub_region,
                                const std::vector<std::string>& others, const std::string& swe,
                                const ReferenceData& refdata, absl::Time now);

// Other regions' compliance summaries over a period: each region's outcome (this hub's first)
// and the replies of those that answered, in the same order (this hub's region has none).
struct NationalSummaries {
  std::vector<federation::RegionOutcome> outcomes;
  std::vector<v1::LookupComplianceSummaryResponse> answered;
};

// Asks `others` for their summaries over [first, last] through `hub` (null: every other region
// UNAVAILABLE). A reply whose region is not the one asked, or whose rows name another region's
// LAs, is refused as that region's UNAVAILABLE outcome (never merged under the wrong region).
NationalSummaries GatherComplianceSummaries(WorkforceHubConnection* hub,
                                            const std::string& hub_region,
                                            const std::vector<std::string>& others,
                                            absl::CivilDay first, absl::CivilDay last,
                                            const ReferenceData& refdata, absl::Time now);

// Appends an answered region's rows to a GetComplianceSummary answer: its LA rows to
// la_summaries and its total to region_totals.
void AddRegionSummary(const v1::LookupComplianceSummaryResponse& in,
                      v1::GetComplianceSummaryResponse* out);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_NATIONAL_MERGE_H_
