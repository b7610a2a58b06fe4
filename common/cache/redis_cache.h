// The Redis implementation of Cache: a small connection pool that degrades to misses while
// Redis is down and notices by itself when it comes back.
#ifndef SLIHUB_COMMON_CACHE_REDIS_CACHE_H_
#define SLIHUB_COMMON_CACHE_REDIS_CACHE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/cache/cache.h"
#include "common/cache/redis_connection.h"

namespace slihub::cache {

// How a RedisCache reaches Redis and how it behaves while Redis is down.
struct RedisCacheOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  int pool_size = 4;                                      // connections kept open at most
  absl::Duration connect_timeout = absl::Milliseconds(200);
  absl::Duration io_timeout = absl::Milliseconds(200);    // per read/write (redisSetTimeout)
  std::string key_prefix;                                 // e.g. "slihub:EE:placement:"
  absl::Duration retry_backoff = absl::Seconds(1);        // calls bypass Redis this long
  absl::Duration probe_interval = absl::Seconds(1);       // background PING period
};

// Called on every change of availability, and once with the current state when registered.
// `detail` says why (the failure) or where (the server that answers).
using CacheStateListener = std::function<void(bool available, const std::string& detail)>;

// Cache on Redis through hiredis (blocking I/O with timeouts). Keys are stored as
// key_prefix + key; values are binary-safe. A transport failure marks the cache down: for
// retry_backoff afterwards every call bypasses Redis at once (miss / no-op, OK), then a single
// caller tries to reconnect while the others keep bypassing. A background thread PINGs every
// probe_interval on its own connection, so both loss and recovery are noticed without traffic.
// A single call waits at most io_timeout for a free pool slot (then it is a miss), then
// connect_timeout to open a connection if none is idle, then io_timeout per socket read or
// write. Redis error replies (e.g. WRONGTYPE) are treated as misses without marking the
// cache down. Creating one ignores SIGPIPE process-wide if it was at its default, because a
// write to a connection Redis has closed would otherwise kill the process.
// Thread-safe. Destroy only after every call has returned.
class RedisCache : public Cache {
 public:
  // Validates the options, checks Redis once (at most connect_timeout + io_timeout) and starts
  // the probe thread. Redis being unreachable is not an error: the cache starts down.
  // INVALID_ARGUMENT for an empty host, a port outside 1..65535, pool_size < 1 or a
  // non-positive duration.
  static absl::StatusOr<std::unique_ptr<RedisCache>> Create(RedisCacheOptions options);

  // Stops and joins the probe thread and closes every connection.
  ~RedisCache() override;
  RedisCache(const RedisCache&) = delete;
  RedisCache& operator=(const RedisCache&) = delete;

  // Cache, with the contracts of cache.h; each call is one Redis round trip at most.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      absl::Span<const std::string> keys) override;  // one MGET round trip
  absl::Status Set(const std::string& key, const std::string& value,
                   absl::Duration ttl) override;     // SET key value PX ms
  absl::Status Delete(absl::Span<const std::string> keys) override;  // one DEL
  bool available() const override;
  std::string last_error() const override;

  // Replaces the listener (nullptr removes it) and queues one call with the current state.
  // Listener calls happen in order on the probe thread, never on a caller's thread; a listener
  // must be quick and must not call SetStateListener. Thread-safe.
  void SetStateListener(CacheStateListener listener);

  // The options in use.
  const RedisCacheOptions& options() const { return options_; }

 private:
  // A pooled connection and the generation of the "up" period it was opened in. A trial lease
  // is the one reconnection attempt after the backoff: its call decides up or down.
  struct Lease {
    std::unique_ptr<RedisConnection> connection;
    uint64_t generation = 0;
    bool trial = false;
  };
  // A pending listener call.
  struct StateEvent {
    bool available;
    std::string detail;
  };

  explicit RedisCache(RedisCacheOptions options);

  // A connection for one call, or nullopt when the call must bypass Redis (down, or no pool
  // slot freed within io_timeout).
  std::optional<Lease> Acquire();
  // Returns a lease after a call; `failure` is the call's transport error, if any.
  void Release(Lease lease, const absl::Status& failure);
  // Runs `command` on a leased connection; nullopt when bypassed or failed.
  template <typename Command>
  std::optional<RedisReplyPtr> Run(Command command);

  void MarkUpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MarkDownLocked(const std::string& reason) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Probes once on the probe connection and updates the state.
  void Probe();
  // The probe thread: probes every probe_interval and delivers listener events.
  void MonitorLoop();
  std::string Address() const;
  std::string PrefixedKey(const std::string& key) const { return options_.key_prefix + key; }

  const RedisCacheOptions options_;

  mutable absl::Mutex mu_;
  absl::CondVar slot_freed_;      // a lease came back or the cache went down
  absl::CondVar monitor_wakeup_;  // an event is queued or the cache is stopping
  bool up_ ABSL_GUARDED_BY(mu_) = false;
  bool reconnecting_ ABSL_GUARDED_BY(mu_) = false;  // a caller is trying after the backoff
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;    // bumped on every transition to down
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  std::vector<Lease> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;               // leases idle or in use
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  CacheStateListener listener_ ABSL_GUARDED_BY(mu_);
  std::deque<StateEvent> events_ ABSL_GUARDED_BY(mu_);

  std::unique_ptr<RedisConnection> probe_connection_;  // used by the probe only
  std::thread monitor_;
};

}  // namespace slihub::cache

#endif  // SLIHUB_COMMON_CACHE_REDIS_CACHE_H_
