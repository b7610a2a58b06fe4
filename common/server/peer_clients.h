// Channels to the other slihub services a server calls (for example the peer review service
// reading benchmarks from the data collection service), with the deadline and credentials every
// outgoing call must carry, and a background health probe of each one.
#ifndef SLIHUB_COMMON_SERVER_PEER_CLIENTS_H_
#define SLIHUB_COMMON_SERVER_PEER_CLIENTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
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
  // destroyed, and before each round re-reads the token file when its modification time, size or
  // inode changed (rotation without a restart: a file replaced by a rename or rewritten in place
  // takes effect within one probe interval; an unreadable or empty file keeps the token in use).
  // InvalidArgument when the token file is unreadable or empty at start. `monitor` must outlive
  // the returned object.
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
  // The file's identity as last read: changes when it is rewritten or replaced.
  struct FileStamp {
    int64_t mtime_ns = -1;
    int64_t size = -1;
    uint64_t inode = 0;
    bool operator==(const FileStamp& other) const {
      return mtime_ns == other.mtime_ns && size == other.size && inode == other.inode;
    }
  };
  absl::Status ProbeOnce(const std::shared_ptr<grpc::Channel>& channel) const;
  void ProbeLoop(DependencyMonitor* monitor, absl::Duration interval);
  // Re-reads the token file when its stamp changed; keeps the current token on any failure.
  // Blocks on the file system: the probe thread only.
  void ReloadTokenIfChanged();
  std::string authorization() const;
  FileStamp StampOf() const;  // of token_file_; mtime_ns -1 when it cannot be read

  std::map<std::string, std::shared_ptr<grpc::Channel>, std::less<>> channels_;
  std::string token_file_;
  FileStamp token_stamp_;  // the probe thread's (and Create's) only
  mutable absl::Mutex mu_;
  std::string authorization_ ABSL_GUARDED_BY(mu_);
  absl::Duration deadline_ = absl::Seconds(2);
  absl::Notification stop_;
  std::thread probe_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_PEER_CLIENTS_H_
