#include "common/identity/principal.h"

#include <algorithm>

namespace slihub {
namespace {

struct RoleEntry {
  Role role;
  const char* name;
};
constexpr RoleEntry kRoles[] = {
    {Role::kReader, "reader"},
    {Role::kHrOfficer, "hr_officer"},
    {Role::kPlacementOfficer, "placement_officer"},
    {Role::kProvider, "provider"},
    {Role::kDataOfficer, "data_officer"},
    {Role::kPeerReviewer, "peer_reviewer"},
    {Role::kRegionalAdmin, "regional_admin"},
    {Role::kService, "service"},
    {Role::kDcs, "dcs"},
    {Role::kChiefExecutive, "chief_executive"},
    {Role::kHub, "hub"},
};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const RoleEntry& e : kRoles) {
    if (e.role == role) return e.name;
  }
  return "unknown";
}

bool ParseRole(absl::string_view name, Role* role) {
  for (const RoleEntry& e : kRoles) {
    if (name == e.name) {
      *role = e.role;
      return true;
    }
  }
  return false;
}

const std::vector<Role>& AllRoles() {
  static const auto* roles = [] {
    auto* out = new std::vector<Role>();
    for (const RoleEntry& e : kRoles) out->push_back(e.role);
    return out;
  }();
  return *roles;
}

bool Principal::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::HasAnyRole(std::initializer_list<Role> wanted) const {
  for (Role r : wanted) {
    if (HasRole(r)) return true;
  }
  return false;
}

bool Principal::ScopeAllows(absl::string_view method) const {
  return scopes.empty() || std::find(scopes.begin(), scopes.end(), method) != scopes.end();
}

}  // namespace slihub
