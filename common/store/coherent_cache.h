// An in-process, size-bounded copy of values read from a Database, kept coherent with it by the
// change notifications its write transactions announce (Transaction::Notify): a hot read can then
// skip the database without ever answering from data older than the last acknowledged write.
#ifndef SLIHUB_COMMON_STORE_COHERENT_CACHE_H_
#define SLIHUB_COMMON_STORE_COHERENT_CACHE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/store/database.h"

namespace slihub::store {

// A fill ticket: taken before reading a key from the database, handed back with what was read.
struct CacheTicket {
  uint64_t epoch = 0;
};

// The untyped core of CoherentCache: string keys to shared immutable values, least recently used
// evicted first once the bytes held pass the capacity. Thread-safe; registers itself as
// `channel`'s listener on `database` (which must outlive it) and removes itself when destroyed.
//
// Coherence: a key is dropped when a transaction announces a change to it, and no value can be
// offered for it until that transaction has ended; a value read under a ticket is refused if any
// change to its shard began or ended since the ticket was taken. So once a write's Run has
// returned, no reader finds the value it replaced.
class CoherentCacheCore final : public ChangeListener {
 public:
  CoherentCacheCore(Database* database, std::string channel, size_t capacity_bytes);
  ~CoherentCacheCore() override;
  CoherentCacheCore(const CoherentCacheCore&) = delete;
  CoherentCacheCore& operator=(const CoherentCacheCore&) = delete;

  // The value cached for `key` (now the most recently used), or nullptr.
  std::shared_ptr<const void> Find(absl::string_view key);
  // Take before reading `key` from the database (before the read transaction begins).
  CacheTicket Ticket(absl::string_view key);
  // Caches `value` (about `bytes` big) for `key` if nothing about `key` changed since `ticket`
  // and it fits; returns whether it was cached.
  bool Offer(absl::string_view key, CacheTicket ticket, std::shared_ptr<const void> value,
             size_t bytes);

  // Totals over all shards (for tests and metrics).
  size_t entries();
  size_t bytes();

  void Changing(std::string_view key) override;
  void Settled(std::string_view key, bool committed) override;

 private:
  struct Node {
    std::string key;
    std::shared_ptr<const void> value;
    size_t bytes;
  };
  struct Shard {
    absl::Mutex mu;
    std::list<Node> lru ABSL_GUARDED_BY(mu);  // most recently used first
    absl::flat_hash_map<absl::string_view, std::list<Node>::iterator> index ABSL_GUARDED_BY(mu);
    absl::flat_hash_map<std::string, int> changing ABSL_GUARDED_BY(mu);
    uint64_t epoch ABSL_GUARDED_BY(mu) = 0;
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
  };
  static constexpr size_t kShards = 16;

  Shard& ShardOf(absl::string_view key);
  static void Erase(Shard& shard, absl::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  Database* const database_;
  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

// CoherentCacheCore with values of type V, whose sizes `bytes_of` estimates. Thread-safe.
template <typename V>
class CoherentCache {
 public:
  // `capacity_bytes` 0 caches nothing (every Find misses).
  CoherentCache(Database* database, std::string channel, size_t capacity_bytes,
                size_t (*bytes_of)(const V&))
      : core_(database, std::move(channel), capacity_bytes), bytes_of_(bytes_of) {}

  // The cached value for `key`, else what `load()` (-> absl::StatusOr<V>) reads, offered under
  // `ticket` (taken before the transaction `load` reads in had read anything; in a write
  // transaction any time will do, as it reads the latest commit and this process's writers take
  // turns). Returns load's error.
  template <typename Load>
  absl::StatusOr<std::shared_ptr<const V>> FindOrLoad(absl::string_view key, CacheTicket ticket,
                                                      Load&& load) {
    if (std::shared_ptr<const V> found = Find(key)) return found;
    return LoadAndOffer(key, ticket, std::forward<Load>(load));
  }

  // What `load()` reads, offered under `ticket` as FindOrLoad does, for a caller that has just
  // missed. Returns load's error.
  template <typename Load>
  absl::StatusOr<std::shared_ptr<const V>> LoadAndOffer(absl::string_view key, CacheTicket ticket,
                                                        Load&& load) {
    absl::StatusOr<V> loaded = load();
    if (!loaded.ok()) return loaded.status();
    auto value = std::make_shared<const V>(*std::move(loaded));
    Offer(key, ticket, value, bytes_of_(*value));
    return value;
  }

  std::shared_ptr<const V> Find(absl::string_view key) {
    return std::static_pointer_cast<const V>(core_.Find(key));
  }
  CacheTicket Ticket(absl::string_view key) { return core_.Ticket(key); }
  bool Offer(absl::string_view key, CacheTicket ticket, std::shared_ptr<const V> value,
             size_t bytes) {
    return core_.Offer(key, ticket, std::move(value), bytes);
  }
  size_t entries() { return core_.entries(); }
  size_t bytes() { return core_.bytes(); }

 private:
  CoherentCacheCore core_;
  size_t (*const bytes_of_)(const V&);
};

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_COHERENT_CACHE_H_
