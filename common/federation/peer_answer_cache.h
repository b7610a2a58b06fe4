// This hub's cache of other regions' answers (Redis through cache::Cache): one region's whole
// reply to one lookup per entry, under a versioned key, with the time its hub gave it.
#ifndef SLIHUB_COMMON_FEDERATION_PEER_ANSWER_CACHE_H_
#define SLIHUB_COMMON_FEDERATION_PEER_ANSWER_CACHE_H_

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/cache.h"

namespace slihub::federation {

// How long answers are kept and trusted. Plain data.
struct PeerCacheOptions {
  absl::Duration fresh = absl::Minutes(5);    // served as CACHED while younger (feed connected)
  absl::Duration stale_max = absl::Hours(1);  // served as STALE while younger, peer failing
  double ttl_jitter = 0.1;                    // Redis TTL = stale_max * (1 + U[0, jitter))
  // Entries also kept in process, in front of Redis (least recently used dropped first); 0: none.
  size_t memory_entries = 4096;
};

// One cached answer.
struct PeerEntry {
  absl::Time as_of;
  std::string payload;
};

// Keys are "fed1:<region>:<generation>:<logical key>": the schema version, then a generation
// per region that changes whenever this process may have missed that region's invalidations
// (start-up, a reset from its feed), so older entries are never read again (they expire).
// A region is trusted only while its change feed is connected and in sync; only then may an
// entry be served without asking the region. Two tiers: a bounded in-process copy (no round
// trip; what a warm lookup reads) in front of Redis; every write, invalidation and reset applies
// to both. Thread-safe; never fails (Redis down: the in-process tier, else misses).
class PeerAnswerCache {
 public:
  // Borrows `cache`, which must outlive this object.
  PeerAnswerCache(cache::Cache* cache, PeerCacheOptions options);

  // The entries for `key` of each region, in order: from process memory, and the rest in one
  // Redis round trip; nullopt for a miss or an undecodable value.
  std::vector<std::optional<PeerEntry>> Read(const std::vector<std::string>& regions,
                                             const std::string& key);
  // As Read, from process memory only (never blocks on I/O).
  std::vector<std::optional<PeerEntry>> ReadMemory(const std::vector<std::string>& regions,
                                                   const std::string& key);
  // A ticket for a later Write: the region's invalidation count now.
  uint64_t Ticket(const std::string& region) const;
  // Keeps `entry` unless the region was invalidated, reset or distrusted since `ticket` (the
  // answer may then predate a change).
  void Write(const std::string& region, const std::string& key, const PeerEntry& entry,
             uint64_t ticket);

  // The region's hub announced changes to `keys`: their entries are deleted.
  void Invalidate(const std::string& region, const std::vector<std::string>& keys);
  // The region's hub cannot say what changed: every entry of the region is dropped.
  void Reset(const std::string& region);
  // Whether entries of `region` may be served without asking it (its feed is in sync).
  void SetTrusted(const std::string& region, bool trusted);
  bool Trusted(const std::string& region) const;

  const PeerCacheOptions& options() const { return options_; }

 private:
  std::string KeyLocked(const std::string& region, const std::string& key) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The in-process copy under `full_key` unless older than stale_max (then dropped).
  std::optional<PeerEntry> FindMemoryLocked(const std::string& full_key, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void KeepMemoryLocked(const std::string& full_key, const PeerEntry& entry)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropMemoryLocked(const std::string& full_key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  cache::Cache* const cache_;
  const PeerCacheOptions options_;
  mutable absl::Mutex mu_;
  struct RegionState {
    uint64_t generation = 0;
    uint64_t invalidations = 0;
    bool trusted = false;
  };
  mutable std::map<std::string, RegionState> regions_ ABSL_GUARDED_BY(mu_);
  // The in-process tier: most recently used first, and each key's place in that list.
  std::list<std::pair<std::string, PeerEntry>> memory_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, std::list<std::pair<std::string, PeerEntry>>::iterator> index_
      ABSL_GUARDED_BY(mu_);
  uint64_t seed_;
};

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_PEER_ANSWER_CACHE_H_
