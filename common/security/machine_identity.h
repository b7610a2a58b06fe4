// The machine identity a verified client certificate names: another slihub service of this hub,
// or another region's hub. Certificates carry the SAN URI
// spiffe://slihub/region/<REGION>/service/<service>.
#ifndef SLIHUB_COMMON_SECURITY_MACHINE_IDENTITY_H_
#define SLIHUB_COMMON_SECURITY_MACHINE_IDENTITY_H_

#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/identity/principal.h"
#include "grpcpp/security/auth_context.h"

namespace slihub::security {

// One service process of one region's hub. Plain value.
struct MachineIdentity {
  std::string region;   // e.g. "EE"
  std::string service;  // e.g. "workforce"
};

// "spiffe://slihub/region/<REGION>/service/<service>".
std::string MachineUri(const MachineIdentity& identity);

// Parses a SAN URI. nullopt when it is not a slihub URI at all (another trust domain);
// UNAUTHENTICATED with ErrorInfo CERTIFICATE_IDENTITY_MALFORMED when it is a slihub URI of the
// wrong shape.
absl::StatusOr<std::optional<MachineIdentity>> ParseMachineUri(absl::string_view uri);

// The slihub identity of the verified peer certificate of a call (its URI SANs, from
// `context`; gRPC puts a certificate there only after verifying it against the CA). nullopt
// when the peer presented no certificate or one without a slihub URI. Errors as ParseMachineUri.
absl::StatusOr<std::optional<MachineIdentity>> PeerMachineIdentity(
    const grpc::AuthContext& context);

// The principal of `identity` at the hub of `hub_region`: the same region gives subject
// "service:<service>" with role service; another region listed in `peer_regions` gives subject
// "hub:<region>" with role hub; an unlisted region is PERMISSION_DENIED with ErrorInfo
// HUB_NOT_PEER.
absl::StatusOr<Principal> MachinePrincipal(const MachineIdentity& identity,
                                           const std::string& hub_region,
                                           const std::set<std::string>& peer_regions);

}  // namespace slihub::security

#endif  // SLIHUB_COMMON_SECURITY_MACHINE_IDENTITY_H_
