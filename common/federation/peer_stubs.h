// One generated stub per peer region of a gRPC service, made once: what a service's typed hub
// connection (services/<service>/client/) calls through.
#ifndef SLIHUB_COMMON_FEDERATION_PEER_STUBS_H_
#define SLIHUB_COMMON_FEDERATION_PEER_STUBS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/federation/peer_hubs.h"

namespace slihub::federation {

// `Service` is a generated gRPC service class (e.g. slihub::workforce::v1::WorkforceService).
// Immutable after construction; thread-safe (gRPC stubs are).
template <typename Service>
class PeerStubs {
 public:
  // A stub on each of `peers`' channels.
  explicit PeerStubs(const PeerHubs& peers) {
    for (const std::string& region : peers.Regions()) {
      stubs_.emplace(region, Service::NewStub(peers.Channel(region)));
    }
  }

  // The stub for `region`'s hub, or null when no peer is configured for it.
  typename Service::Stub* For(absl::string_view region) const {
    auto it = stubs_.find(region);
    return it == stubs_.end() ? nullptr : it->second.get();
  }

 private:
  std::map<std::string, std::unique_ptr<typename Service::Stub>, std::less<>> stubs_;
};

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_PEER_STUBS_H_
