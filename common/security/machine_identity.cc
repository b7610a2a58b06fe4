#include "common/security/machine_identity.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors/errors.h"
#include "common/identity/service_scopes.h"

namespace slihub::security {
namespace {

constexpr absl::string_view kPrefix = "spiffe://slihub/";

bool IsName(absl::string_view part, bool upper) {
  if (part.empty() || part.size() > 32) return false;
  for (char c : part) {
    const bool letter = upper ? absl::ascii_isupper(c) : absl::ascii_islower(c);
    if (!letter && !absl::ascii_isdigit(c) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string MachineUri(const MachineIdentity& identity) {
  return absl::StrCat(kPrefix, "region/", identity.region, "/service/", identity.service);
}

absl::StatusOr<std::optional<MachineIdentity>> ParseMachineUri(absl::string_view uri) {
  if (!absl::StartsWith(uri, kPrefix)) return std::optional<MachineIdentity>();
  std::vector<absl::string_view> parts = absl::StrSplit(uri.substr(kPrefix.size()), '/');
  if (parts.size() != 4 || parts[0] != "region" || parts[2] != "service" ||
      !IsName(parts[1], /*upper=*/true) || !IsName(parts[3], /*upper=*/false)) {
    absl::Status status = absl::UnauthenticatedError(
        "the client certificate's slihub identity is not "
        "spiffe://slihub/region/<REGION>/service/<service>");
    SetErrorInfo(status, "CERTIFICATE_IDENTITY_MALFORMED");
    return status;
  }
  return std::optional<MachineIdentity>(
      MachineIdentity{std::string(parts[1]), std::string(parts[3])});
}

absl::StatusOr<std::optional<MachineIdentity>> PeerMachineIdentity(
    const grpc::AuthContext& context) {
  if (!context.IsPeerAuthenticated()) return std::optional<MachineIdentity>();
  for (const char* property : {"peer_uri", "x509_subject_alternative_name"}) {
    for (const grpc::string_ref& value : context.FindPropertyValues(property)) {
      absl::StatusOr<std::optional<MachineIdentity>> parsed =
          ParseMachineUri(absl::string_view(value.data(), value.size()));
      if (!parsed.ok() || parsed->has_value()) return parsed;
    }
  }
  return std::optional<MachineIdentity>();
}

absl::StatusOr<Principal> MachinePrincipal(const MachineIdentity& identity,
                                           const std::string& hub_region,
                                           const std::set<std::string>& peer_regions) {
  Principal principal;
  principal.region_code = identity.region;
  if (identity.region == hub_region) {
    // A service acts only for the calls it makes on its hub's other services (least privilege);
    // a certificate naming no known service admits nothing.
    principal.scopes = ServiceCallScopes(identity.service);
    if (principal.scopes.empty()) {
      absl::Status status = absl::UnauthenticatedError(absl::StrCat(
          "the client certificate names no slihub service: '", identity.service, "'"));
      SetErrorInfo(status, "CERTIFICATE_IDENTITY_MALFORMED");
      return status;
    }
    principal.subject = absl::StrCat("service:", identity.service);
    principal.roles = {Role::kService};
    return principal;
  }
  if (peer_regions.count(identity.region) == 0) {
    absl::Status status = absl::PermissionDeniedError(
        absl::StrCat("the hub of region ", identity.region,
                     " is not a configured peer of this hub"));
    SetErrorInfo(status, "HUB_NOT_PEER", {{"region", identity.region}});
    return status;
  }
  principal.subject = absl::StrCat("hub:", identity.region);
  principal.roles = {Role::kHub};
  return principal;
}

}  // namespace slihub::security
