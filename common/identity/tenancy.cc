#include "common/identity/tenancy.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"

namespace slihub {

bool IsRegionWide(const Principal& principal) {
  return principal.HasAnyRole({Role::kRegionalAdmin, Role::kService});
}

bool IsLaRole(Role role) {
  switch (role) {
    case Role::kHrOfficer:
    case Role::kPlacementOfficer:
    case Role::kDataOfficer:
    case Role::kPeerReviewer:
    case Role::kDcs:
    case Role::kChiefExecutive:
      return true;
    default:
      return false;
  }
}

absl::Status CheckSameRegion(const Principal& principal, absl::string_view region_code) {
  if (principal.region_code == region_code) return absl::OkStatus();
  absl::Status status = absl::PermissionDeniedError(
      absl::StrCat("the caller belongs to region ", principal.region_code,
                   " and may not act in region ", region_code));
  SetErrorInfo(status, "REGION_OUT_OF_SCOPE", {{"region", std::string(region_code)}});
  return status;
}

absl::Status CheckActsForLa(const Principal& principal, absl::string_view la_code,
                            absl::string_view la_region) {
  if (principal.region_code == la_region &&
      (IsRegionWide(principal) || (!principal.la_code.empty() && principal.la_code == la_code))) {
    return absl::OkStatus();
  }
  absl::Status status = absl::PermissionDeniedError(
      absl::StrCat("the caller may not act for LA ", la_code, " (", la_region, ")"));
  SetErrorInfo(status, "LA_OUT_OF_SCOPE", {{"la_code", std::string(la_code)}});
  return status;
}

}  // namespace slihub
