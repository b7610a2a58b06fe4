// The cache every service shares: a best-effort store of rebuildable answers (ARCHITECTURE.md,
// principle 5). Callers read through it and fall back to their store on a miss.
#ifndef SLIHUB_COMMON_CACHE_CACHE_H_
#define SLIHUB_COMMON_CACHE_CACHE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace slihub::cache {

// A key-value cache with per-entry time-to-live. Keys and values are arbitrary bytes.
// An unavailable cache degrades instead of failing: reads are misses, writes are no-ops, both
// return OK, and no call blocks longer than the implementation's configured timeouts. A non-OK
// status therefore always means a caller error (INVALID_ARGUMENT), never an outage.
// Implementations are thread-safe.
class Cache {
 public:
  virtual ~Cache() = default;

  // The value stored under `key`, or nullopt on a miss (absent, expired, or cache unavailable).
  virtual absl::StatusOr<std::optional<std::string>> Get(const std::string& key) = 0;

  // One result per key, in order; nullopt for each miss. All misses when unavailable.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      absl::Span<const std::string> keys) = 0;

  // Stores `value` under `key` for `ttl`, replacing any previous value. INVALID_ARGUMENT unless
  // ttl > 0 (absl::InfiniteDuration() means no expiry). A no-op when unavailable.
  virtual absl::Status Set(const std::string& key, const std::string& value,
                           absl::Duration ttl) = 0;

  // Removes the keys (absent keys are fine). A no-op when unavailable.
  virtual absl::Status Delete(absl::Span<const std::string> keys) = 0;

  // False while the cache is known to be unreachable (calls are then degraded).
  virtual bool available() const = 0;

  // A description of the most recent failure, empty if there has been none.
  virtual std::string last_error() const = 0;
};

}  // namespace slihub::cache

#endif  // SLIHUB_COMMON_CACHE_CACHE_H_
