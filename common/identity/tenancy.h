// Who may touch which council's and region's records: the tenancy rules every service applies
// through the request layer (common/server/unary_call.h). Pure functions of a principal.
//
//   own LA           an LA role (hr_officer, placement_officer, data_officer, peer_reviewer, dcs,
//                    chief_executive, provider acting for its LA) acts for its own LA only
//   other LA, region region-wide principals (regional_admin, service) act for every LA of their
//                    region; LA roles may read what their region publishes, never write
//   another region   nobody, until a hub's own lookups open a method to other regions' hubs
#ifndef SLIHUB_COMMON_IDENTITY_TENANCY_H_
#define SLIHUB_COMMON_IDENTITY_TENANCY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/identity/principal.h"

namespace slihub {

// True for principals that act for every LA of their region (regional_admin, service).
bool IsRegionWide(const Principal& principal);

// True for roles that speak for one LA and so need the token to name it.
bool IsLaRole(Role role);

// OK when `principal` belongs to `region_code`; PERMISSION_DENIED (ErrorInfo REGION_OUT_OF_SCOPE,
// metadata region) otherwise.
absl::Status CheckSameRegion(const Principal& principal, absl::string_view region_code);

// OK when `principal` may act for the LA `la_code` of region `la_region`: its own LA, or any LA
// of its region when region-wide. PERMISSION_DENIED (ErrorInfo LA_OUT_OF_SCOPE, metadata la_code)
// otherwise.
absl::Status CheckActsForLa(const Principal& principal, absl::string_view la_code,
                            absl::string_view la_region);

}  // namespace slihub

#endif  // SLIHUB_COMMON_IDENTITY_TENANCY_H_
