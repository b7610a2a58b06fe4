// A hub's federation: the peers it asks, the fan-out with one deadline, the cache of their
// answers, the change feeds that keep that cache honest, and its own change log for the peers.
// Services ask through Ask and never see whether an answer came from Redis or the peer.
#ifndef SLIHUB_COMMON_FEDERATION_FEDERATION_H_
#define SLIHUB_COMMON_FEDERATION_FEDERATION_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/cache.h"
#include "common/config/server_config.h"
#include "common/federation/change_feeds.h"
#include "common/federation/change_log.h"
#include "common/federation/peer_answer_cache.h"
#include "common/federation/peer_hubs.h"
#include "common/federation/region_outcome.h"
#include "common/refdata/reference_data.h"
#include "common/server/dependency_monitor.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace slihub::federation {

// One region's part of a federated answer: its outcome, and its reply when it has one.
template <typename Reply>
struct RegionReply {
  RegionOutcome outcome;
  std::optional<Reply> reply;
};

// Starts one region's call on `context` (deadline and this hub's token already set), filling
// `reply`, and calls `done` exactly once with the call's status. Must not block: a typed
// connection's async stub call.
template <typename Reply>
using StartCall = std::function<void(const std::string& region, grpc::ClientContext* context,
                                     Reply* reply, std::function<void(grpc::Status)> done)>;

// The type-erased form of StartCall: `done` receives the serialized reply.
using StartBytesCall =
    std::function<void(const std::string& region, grpc::ClientContext* context,
                       std::function<void(grpc::Status, std::string)> done)>;

// How a federation behaves. Plain data.
struct FederationOptions {
  absl::Duration deadline = absl::Milliseconds(1500);  // one deadline for a whole fan-out
  PeerCacheOptions cache;
  ChangeFeedOptions feeds;
  ChangeLogOptions log;
};

// Thread-safe. Borrowed pointers must outlive it. Destroy after the gRPC server has shut down.
class Federation {
 public:
  // From the server's configuration: peers from config.peers_file (rows of config.service),
  // the deadline and cache bounds. InvalidArgument for a bad peers file.
  static absl::StatusOr<std::unique_ptr<Federation>> Create(const ServerConfig& config,
                                                            const ReferenceData& refdata,
                                                            cache::Cache* cache,
                                                            DependencyMonitor* monitor);
  // `monitor` may be null. `england` lists every region code (this hub's included).
  Federation(std::string hub_region, const std::vector<std::string>& england,
             std::unique_ptr<PeerHubs> peers, cache::Cache* cache, DependencyMonitor* monitor,
             FederationOptions options);
  ~Federation();

  const std::string& hub_region() const { return hub_region_; }
  // Every region of England but this hub's, in code order.
  const std::vector<std::string>& other_regions() const { return other_regions_; }
  const PeerHubs& peers() const { return *peers_; }
  ChangeLog& change_log() { return change_log_; }
  const ChangeFeeds& feeds() const { return *feeds_; }
  // Stops following the peers' change feeds (see ChangeFeeds::Stop): at shutdown, after the
  // server has drained and before its health service goes away.
  void StopFeeds() { feeds_->Stop(); }
  PeerAnswerCache& answers() { return answers_; }
  const FederationOptions& options() const { return options_; }

  // Asks every region of `regions` in parallel, all within one deadline, and returns their parts
  // in the same order. With `cache_key` set (a FeedKey the owner publishes when the answer
  // changes), a region's cached answer is served as CACHED while fresh and its feed in sync;
  // identical concurrent misses make one call (single flight); a FRESH reply is cached; a failed
  // region falls back to a cached answer younger than stale_max (STALE), else UNAVAILABLE or
  // TIMED_OUT with the reason. Without `cache_key` (writes such as holds) every region is asked
  // and nothing is cached. Blocks up to the deadline: call from a worker-pool thread.
  template <typename Reply>
  std::vector<RegionReply<Reply>> Ask(const std::vector<std::string>& regions,
                                      const std::optional<std::string>& cache_key,
                                      StartCall<Reply> start);

  // Ask without types: replies as serialized bytes.
  std::vector<std::pair<RegionOutcome, std::optional<std::string>>> AskBytes(
      const std::vector<std::string>& regions, const std::optional<std::string>& cache_key,
      const StartBytesCall& start);

 private:
  struct Flight;
  struct FlightTable;  // shared with late call completions, which may outlive this object

  const std::string hub_region_;
  std::vector<std::string> other_regions_;
  const FederationOptions options_;
  std::unique_ptr<PeerHubs> peers_;
  ChangeLog change_log_;
  PeerAnswerCache answers_;
  std::unique_ptr<ChangeFeeds> feeds_;
  std::shared_ptr<FlightTable> flights_;
};

template <typename Reply>
std::vector<RegionReply<Reply>> Federation::Ask(const std::vector<std::string>& regions,
                                                const std::optional<std::string>& cache_key,
                                                StartCall<Reply> start) {
  StartBytesCall bytes_call = [start](const std::string& region, grpc::ClientContext* context,
                                      std::function<void(grpc::Status, std::string)> done) {
    auto reply = std::make_shared<Reply>();
    start(region, context, reply.get(), [reply, done](grpc::Status status) {
      done(status, status.ok() ? reply->SerializeAsString() : std::string());
    });
  };
  std::vector<RegionReply<Reply>> out;
  for (auto& [outcome, bytes] : AskBytes(regions, cache_key, bytes_call)) {
    RegionReply<Reply> part;
    part.outcome = std::move(outcome);
    if (bytes.has_value()) {
      Reply reply;
      if (reply.ParseFromString(*bytes)) {
        part.reply = std::move(reply);
      } else {
        part.outcome.state = RegionState::kUnavailable;
        part.outcome.reason = "the region's answer could not be decoded";
      }
    }
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_FEDERATION_H_
