// The subscriber's side of cache invalidation across hubs: one WatchChanges stream per peer
// region, applying its keys to the PeerAnswerCache and trusting the region's entries only while
// the stream is connected and in sync.
#ifndef SLIHUB_COMMON_FEDERATION_CHANGE_FEEDS_H_
#define SLIHUB_COMMON_FEDERATION_CHANGE_FEEDS_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/federation/peer_answer_cache.h"
#include "common/federation/peer_hubs.h"
#include "common/server/dependency_monitor.h"
#include "grpcpp/client_context.h"

namespace slihub::federation {

// How feeds are followed. Plain data.
struct ChangeFeedOptions {
  // A stream silent this long is dropped (its peer sends a heartbeat every 250 ms by default).
  absl::Duration silence_limit = absl::Seconds(1);
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

// Follows every peer's feed on a thread of its own (never gRPC's), reconnecting with backoff.
// Each peer region is registered with `monitor` (when not null) as the optional dependency
// "hub.<region>": UP while its feed is in sync. Thread-safe. Borrowed objects must outlive it.
class ChangeFeeds {
 public:
  ChangeFeeds(const PeerHubs* peers, PeerAnswerCache* cache, DependencyMonitor* monitor,
              ChangeFeedOptions options = {});
  // Stop()s.
  ~ChangeFeeds();
  // Cancels the streams and joins the threads; from the call on nothing is reported to the
  // monitor, and afterwards no region is trusted. Idempotent; for shutdown, before the health
  // service goes away.
  void Stop();
  ChangeFeeds(const ChangeFeeds&) = delete;
  ChangeFeeds& operator=(const ChangeFeeds&) = delete;

  // Whether `region`'s feed is connected and in sync now.
  bool InSync(const std::string& region) const;
  // Waits up to `timeout` until every peer's feed is in sync; false on timeout (for tests and
  // start-up logs).
  bool AwaitAllInSync(absl::Duration timeout) const;

 private:
  struct Feed {
    std::string region;
    std::string epoch;
    int64_t last_sequence = 0;
    bool in_sync = false;
    absl::Time last_message = absl::InfinitePast();
    grpc::ClientContext* context = nullptr;  // the open stream's, while one is open
  };

  void Follow(const std::string& region);
  void Watchdog();
  void MarkOutOfSyncLocked(Feed& feed, const std::string& reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const PeerHubs* const peers_;
  PeerAnswerCache* const cache_;
  DependencyMonitor* const monitor_;
  const ChangeFeedOptions options_;
  mutable absl::Mutex mu_;
  std::map<std::string, Feed> feeds_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_CHANGE_FEEDS_H_
