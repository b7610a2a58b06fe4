// An in-process Cache with TTLs, for unit tests of services (never for production).
#ifndef SLIHUB_COMMON_CACHE_IN_MEMORY_CACHE_H_
#define SLIHUB_COMMON_CACHE_IN_MEMORY_CACHE_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/cache/cache.h"

namespace slihub::cache {

// A Cache held in a hash map. Entries expire by the injected clock, so tests can move time.
// SetAvailable(false) simulates an outage with the degraded semantics of Cache (misses and
// no-ops). Thread-safe; the clock must be thread-safe too.
class InMemoryCache : public Cache {
 public:
  // A source of the current time.
  using Clock = std::function<absl::Time()>;

  // Uses absl::Now unless another clock is given.
  explicit InMemoryCache(Clock clock = nullptr);

  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      absl::Span<const std::string> keys) override;
  absl::Status Set(const std::string& key, const std::string& value,
                   absl::Duration ttl) override;
  absl::Status Delete(absl::Span<const std::string> keys) override;
  bool available() const override;
  std::string last_error() const override;

  // Simulates the cache going away (false) or coming back (true). Entries are kept.
  void SetAvailable(bool available);

  // Entries stored and not yet expired.
  size_t size() const;

 private:
  struct Entry {
    std::string value;
    absl::Time expires;  // InfiniteFuture for no expiry
  };

  // The live value under `key`, dropping it if expired.
  std::optional<std::string> Lookup(const std::string& key, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  bool available_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace slihub::cache

#endif  // SLIHUB_COMMON_CACHE_IN_MEMORY_CACHE_H_
