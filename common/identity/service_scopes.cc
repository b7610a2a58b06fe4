#include "common/identity/service_scopes.h"

#include <algorithm>

namespace slihub {
namespace {

constexpr char kWhoAmI[] = "/slihub.common.v1.DiagnosticsService/WhoAmI";
constexpr char kDataCollection[] = "/slihub.datacollection.v1.DataCollectionService/";

}  // namespace

const std::vector<std::string>& HubServiceNames() {
  static const auto* names =
      new std::vector<std::string>{"workforce", "placement", "datacollection", "peerreview"};
  return *names;
}

std::vector<std::string> ServiceCallScopes(absl::string_view calling_service) {
  const std::vector<std::string>& known = HubServiceNames();
  if (std::find(known.begin(), known.end(), calling_service) == known.end()) return {};
  // PeerClients' probe: a peer is up while it accepts the service token.
  std::vector<std::string> scopes = {kWhoAmI};
  if (calling_service == "peerreview") {
    // services/datacollection/client/datacollection_connection.cc: the data pack's figures.
    for (const char* method : {"ListCollections", "ListCollectionPeriods", "GetBenchmark"}) {
      scopes.push_back(std::string(kDataCollection) + method);
    }
  }
  return scopes;
}

}  // namespace slihub
