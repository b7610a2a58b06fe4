// Who a call speaks for: a principal with an LA, a region and roles.
#ifndef SLIHUB_COMMON_IDENTITY_PRINCIPAL_H_
#define SLIHUB_COMMON_IDENTITY_PRINCIPAL_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace slihub {

// The roles a token can carry; numbered as slihub.common.v1.Role.
enum class Role {
  kReader = 1,
  kHrOfficer = 2,
  kPlacementOfficer = 3,
  kProvider = 4,
  kDataOfficer = 5,
  kPeerReviewer = 6,
  kRegionalAdmin = 7,
  kService = 8,
  kDcs = 9,
  kChiefExecutive = 10,
  kHub = 11,
};

// "reader", "hr_officer", "placement_officer", "provider", "data_officer", "peer_reviewer",
// "regional_admin", "service", "dcs", "chief_executive", "hub".
absl::string_view RoleName(Role role);
// The role named `name` (as RoleName writes it); false when unknown.
bool ParseRole(absl::string_view name, Role* role);
// Every role, in enum order.
const std::vector<Role>& AllRoles();

// An authenticated caller. Plain value type.
struct Principal {
  std::string subject;      // the token's subject, e.g. "873-hr-1"; never a person's name
  std::string la_code;      // empty for region-wide principals (regional admin, services)
  std::string region_code;  // the hub region that issued the token
  std::vector<Role> roles;
  absl::Time expire_time = absl::InfiniteFuture();
  // The full method names ("/pkg.Service/Method") the token may call; empty: whatever its roles
  // allow. A least-privilege token (a service's) lists the few calls it makes.
  std::vector<std::string> scopes = {};

  bool HasRole(Role role) const;
  bool HasAnyRole(std::initializer_list<Role> roles) const;
  // True when the token's scopes admit `method` (always when it has none).
  bool ScopeAllows(absl::string_view method) const;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_IDENTITY_PRINCIPAL_H_
