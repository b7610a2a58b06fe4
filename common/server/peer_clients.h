// Channels to the other slihub services a server calls (for example the peer review service
// reading benchmarks from the data collection service), with the deadline and credentials every
// outgoing call must carry, and a background health probe of each one.
#ifndef SLIHUB_COMMON_SERVER_PEER_CLIENTS_H_
#define SLIHUB_COMMON_SERVER_PEER_CLIENTS_H_

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/config/server_config.h"
#include "common/server/dependency_monitor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace slihub {

// Thread-safe after Create. Each configured service is registered with the monitor as the
// optional dependency "peer.<service>", up while it answers health SERVING and accepts the
// service token: a peer that is down degrades this server, never stops it, so callers must
// handle UNAVAILABLE and DEADLINE_EXCEEDED from their calls.
class PeerClients {
 public:
  // Reads the service token (config.service_token_file; not under TLS, where the server's
  // certificate is presented instead) and opens a channel per configured endpoint. When
  // `monitor` is not null, probes each peer's gRPC health every config.health_probe_ms until
  // destroyed. InvalidArgument when the token file is unreadable
  // or empty. `monitor` must outlive the returned object.
  static absl::StatusOr<std::unique_ptr<PeerClients>> Create(const ServerConfig& config,
                                                             DependencyMonitor* monitor);
  // No peers: every Channel() is null.
  PeerClients() = default;
  ~PeerClients();
  PeerClients(const PeerClients&) = delete;
  PeerClients& operator=(const PeerClients&) = delete;

  // The channel to `service` ("datacollection", ...), or null when none is configured.
  std::shared_ptr<grpc::Channel> Channel(absl::string_view service) const;
  // Sets the outgoing deadline (now + config.peer_deadline_ms) and the service token.
  void Prepare(grpc::ClientContext* context) const;
  // Sets the outgoing deadline (now + `deadline`) and the service token: for typed connections
  // whose callers choose a call's deadline (services/datacollection/client).
  void Prepare(grpc::ClientContext* context, absl::Duration deadline) const;
  // The deadline applied by Prepare.
  absl::Duration deadline() const { return deadline_; }

 private:
  absl::Status ProbeOnce(const std::shared_ptr<grpc::Channel>& channel) const;
  void ProbeLoop(DependencyMonitor* monitor, absl::Duration interval);

  std::map<std::string, std::shared_ptr<grpc::Channel>, std::less<>> channels_;
  std::string authorization_;
  absl::Duration deadline_ = absl::Seconds(2);
  absl::Notification stop_;
  std::thread probe_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_PEER_CLIENTS_H_
