// The owner's side of cache invalidation across hubs: the keys of committed changes that other
// regions' hubs may have cached, numbered in an epoch, streamed to them by WatchChanges.
#ifndef SLIHUB_COMMON_FEDERATION_CHANGE_LOG_H_
#define SLIHUB_COMMON_FEDERATION_CHANGE_LOG_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/store/database.h"
#include "grpcpp/support/server_callback.h"
#include "slihub/common/v1/federation_service.pb.h"

namespace slihub::federation {

// How a ChangeLog keeps and streams changes. Plain data.
struct ChangeLogOptions {
  size_t capacity = 100000;                         // changes held for resuming subscribers
  absl::Duration heartbeat = absl::Milliseconds(250);  // an empty message at least this often
  int keys_per_message = 500;
};

// "<channel>/<key>": the logical cache key of a change, the same at the owner and its peers.
std::string FeedKey(absl::string_view channel, absl::string_view key);

class ChangeWatch;

// The log of one server. Keys enter through Publish, or by following a store channel (every
// committed Transaction::Notify on it). Thread-safe; Publish never blocks on a subscriber.
// Destroy only after the gRPC server that serves its watches has shut down.
// Its streams do not use a queue of ready messages (as placement's WatchWriter does): each
// subscriber's next message is built from the log when its previous write completes, so a burst
// of changes reaches a slow subscriber as a few messages of up to keys_per_message keys, and
// nothing is held per subscriber beyond its position in the log.
class ChangeLog {
 public:
  explicit ChangeLog(ChangeLogOptions options = {});
  ~ChangeLog();
  ChangeLog(const ChangeLog&) = delete;
  ChangeLog& operator=(const ChangeLog&) = delete;

  // Publishes every key committed on `channel` of `db` as FeedKey(channel, key). `db` must
  // outlive this log. Call at start-up, before the log is shared with other threads.
  void Follow(store::Database* db, const std::string& channel);
  // Appends `key` (already a FeedKey) and wakes the subscribers.
  void Publish(std::string key);

  // Random per process start: a subscriber of another epoch has missed changes.
  const std::string& epoch() const { return epoch_; }
  // The sequence of the latest change (0 before any).
  int64_t last_sequence() const;

  // A reactor streaming this log to one subscriber that last saw (`epoch`, `after`). Never blocks.
  grpc::ServerWriteReactor<slihub::common::v1::WatchChangesResponse>* Watch(
      const std::string& epoch, int64_t after);

 private:
  friend class ChangeWatch;
  class Follower;
  struct WatchState {
    int64_t sent_up_to = 0;
    bool reset = false;         // the next message tells the subscriber to drop its cache
    bool writing = false;
    bool finished = false;      // no more writes may start
    bool finish_called = false;
  };

  // Sends what `watch` has not seen (or a heartbeat when `force`) unless a write is in flight.
  void Pump(ChangeWatch* watch, bool force);
  void WriteDone(ChangeWatch* watch, bool ok);
  void Cancelled(ChangeWatch* watch);
  void Remove(ChangeWatch* watch);
  void HeartbeatLoop();

  const ChangeLogOptions options_;
  const std::string epoch_;
  mutable absl::Mutex mu_;
  std::deque<std::pair<int64_t, std::string>> entries_ ABSL_GUARDED_BY(mu_);
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<ChangeWatch*, WatchState> watches_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Follower>> followers_;
  std::thread heartbeat_;
};

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_CHANGE_LOG_H_
