#include "tests/integration/hub_cluster.h"

#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/support/free_port.h"

namespace slihub::testing {

HubCluster::HubCluster(HubClusterOptions options) : options_(std::move(options)) {
  for (const std::string& region : options_.regions) {
    ServiceProcessOptions hub;
    hub.service = options_.service;
    hub.region = region;
    hub.redis_port = options_.redis_port;
    hub.port = PickFreePort();
    hub.extra_args = options_.extra_args;
    hub.tls = options_.tls;
    auto process = std::make_unique<ServiceProcess>(hub);
    process->options().extra_args.push_back("--peers-file=" + process->data_dir() + "/peers.csv");
    hubs_[region] = std::move(process);
  }
}

absl::Status HubCluster::Start() {
  if (options_.start_redis && redis_ == nullptr) {
    absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start();
    if (!redis.ok()) return redis.status();
    redis_ = *std::move(redis);
    options_.redis_port = redis_->port();
    for (const auto& [region, hub] : hubs_) hub->options().redis_port = redis_->port();
  }
  for (const auto& [region, hub] : hubs_) {
    std::ofstream peers(hub->data_dir() + "/peers.csv");
    peers << "# region,service,endpoint,token_file\n";
    for (const auto& [peer_region, peer] : hubs_) {
      if (peer_region == region) continue;
      if (options_.tls) {
        peers << peer_region << "," << options_.service << ",127.0.0.1:" << peer->options().port
              << "\n";
        continue;
      }
      // Peer issues the token this hub presents to it.
      const std::string token = peer->IssuePeerHubToken(region);
      if (token.empty()) return absl::InternalError("cannot issue a hub token");
      const std::string token_file = absl::StrCat(hub->data_dir(), "/hub-token-", peer_region);
      std::ofstream(token_file) << token << "\n";
      // The peer's fixed port (endpoint() knows it only once the peer has started).
      peers << peer_region << "," << options_.service << ",127.0.0.1:" << peer->options().port
            << "," << token_file << "\n";
    }
  }
  for (const auto& [region, hub] : hubs_) {
    if (absl::Status started = hub->Start(); !started.ok()) return started;
  }
  return absl::OkStatus();
}

ServiceProcess& HubCluster::hub(const std::string& region) { return *hubs_.at(region); }

std::map<std::string, std::string> HubCluster::IssueAdminTokens() {
  std::map<std::string, std::string> tokens;
  for (const auto& [region, hub] : hubs_) {
    tokens[region] = hub->IssueToken(region + "-admin", {Role::kRegionalAdmin});
  }
  return tokens;
}

absl::Status HubCluster::Restart(const std::string& region) { return hubs_.at(region)->Start(); }

}  // namespace slihub::testing
