// Several regions' hubs of one slihub service as real processes that are each other's peers
// (peers files, hub tokens issued by each hub for the others), optionally sharing a Redis (a given
// one, or a redis-server the cluster starts and owns).
#ifndef SLIHUB_TESTS_INTEGRATION_HUB_CLUSTER_H_
#define SLIHUB_TESTS_INTEGRATION_HUB_CLUSTER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/integration/service_process.h"
#include "tests/support/redis_server.h"

namespace slihub::testing {

// How to run a cluster. Plain data.
struct HubClusterOptions {
  std::string service = "workforce";
  std::vector<std::string> regions = {"EE", "SE", "LDN"};
  int redis_port = 0;                   // 0: the hubs run without Redis (unless start_redis)
  bool start_redis = false;             // Start first starts a redis-server the hubs share
  std::vector<std::string> extra_args;  // given to every hub (e.g. --demo-data)
  // Mutual TLS between the hubs (each presents its certificate; the peers file has no token
  // column). false: plaintext with hub tokens.
  bool tls = true;
};

// Thread-compatible. Destroying it kills the hubs still running.
class HubCluster {
 public:
  explicit HubCluster(HubClusterOptions options);

  // Starts the cluster's own redis-server when options.start_redis, picks a port per hub, issues
  // each hub's token at every other hub (plaintext only), writes each hub's peers file
  // (<data dir>/peers.csv) and starts them all (each SERVING).
  absl::Status Start();
  // The hub of `region` (must be one of the options' regions).
  ServiceProcess& hub(const std::string& region);
  // The redis-server the cluster started (options.start_redis, after Start), else nullptr. It
  // outlives the hubs.
  RedisServer* redis() { return redis_.get(); }
  // Issues at each region's hub a regional admin token (subject "<region>-admin"): region -> token.
  std::map<std::string, std::string> IssueAdminTokens();
  // Starts a hub again on its port after it was killed or stopped (its data kept).
  absl::Status Restart(const std::string& region);
  const HubClusterOptions& options() const { return options_; }

 private:
  HubClusterOptions options_;
  std::unique_ptr<RedisServer> redis_;  // declared before hubs_: destroyed after them
  std::map<std::string, std::unique_ptr<ServiceProcess>> hubs_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_HUB_CLUSTER_H_
