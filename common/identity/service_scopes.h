// The calls each slihub service makes to the other services of its own hub, declared once: a
// service's token is issued for exactly these methods (least privilege), and nothing more.
#ifndef SLIHUB_COMMON_IDENTITY_SERVICE_SCOPES_H_
#define SLIHUB_COMMON_IDENTITY_SERVICE_SCOPES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace slihub {

// The services of a hub, as tools/dev and --service-endpoint name them.
const std::vector<std::string>& HubServiceNames();

// The full method names ("/pkg.Service/Method") the service `calling_service` ("peerreview",
// ...) calls on the other services of its hub: every service probes its peers with
// DiagnosticsService/WhoAmI; peer review reads collections, periods and benchmarks from data
// collection. Empty for an unknown service. Thread-safe; no side effects.
std::vector<std::string> ServiceCallScopes(absl::string_view calling_service);

}  // namespace slihub

#endif  // SLIHUB_COMMON_IDENTITY_SERVICE_SCOPES_H_
