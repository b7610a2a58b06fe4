#include "common/server/authorize.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors/errors.h"
#include "common/identity/tenancy.h"

namespace slihub {

absl::Status AuthorizeCall(absl::string_view hub_region, const Principal& principal,
                           const MethodSpec& method) {
  if (!principal.ScopeAllows(method.name)) {
    absl::Status status = absl::PermissionDeniedError(
        absl::StrCat("the caller's token is scoped to other methods than ", method.name));
    SetErrorInfo(status, "SCOPE_EXCLUDES_METHOD", {{"method", method.name}});
    return status;
  }
  bool admitted = method.roles.empty();
  bool needs_la = !method.roles.empty();
  for (Role role : method.roles) {
    if (!principal.HasRole(role)) continue;
    admitted = true;
    if (!IsLaRole(role)) needs_la = false;
  }
  if (!admitted) {
    std::vector<std::string> names;
    for (Role role : method.roles) names.emplace_back(RoleName(role));
    absl::Status status = absl::PermissionDeniedError(
        absl::StrCat("this method needs one of the roles: ", absl::StrJoin(names, ", ")));
    SetErrorInfo(status, "ROLE_REQUIRED", {{"roles", absl::StrJoin(names, ",")}});
    return status;
  }
  if (needs_la && principal.la_code.empty()) {
    absl::Status status =
        absl::PermissionDeniedError("the caller's token holds an LA role but names no LA");
    SetErrorInfo(status, "LA_REQUIRED");
    return status;
  }
  switch (method.tenancy) {
    case Tenancy::kHubRegion:
      return CheckSameRegion(principal, hub_region);
    case Tenancy::kPeerHubs: {
      const bool peer_hub =
          principal.HasRole(Role::kHub) &&
          std::find(method.roles.begin(), method.roles.end(), Role::kHub) != method.roles.end();
      if (peer_hub) return absl::OkStatus();
      return CheckSameRegion(principal, hub_region);
    }
    case Tenancy::kAnyRegion:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace slihub
