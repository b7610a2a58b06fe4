// A cache that holds nothing: used when a server runs without Redis (--redis unset).
#ifndef SLIHUB_COMMON_CACHE_NULL_CACHE_H_
#define SLIHUB_COMMON_CACHE_NULL_CACHE_H_

#include <optional>
#include <string>
#include <vector>

#include "common/cache/cache.h"

namespace slihub::cache {

// Every read misses and every write is a no-op, so callers always read their store.
// Thread-safe (stateless). Reports itself available: having no cache is not an outage.
class NullCache final : public Cache {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override {
    return std::optional<std::string>();
  }
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      absl::Span<const std::string> keys) override {
    return std::vector<std::optional<std::string>>(keys.size());
  }
  absl::Status Set(const std::string& key, const std::string& value,
                   absl::Duration ttl) override {
    return absl::OkStatus();
  }
  absl::Status Delete(absl::Span<const std::string> keys) override { return absl::OkStatus(); }
  bool available() const override { return true; }
  std::string last_error() const override { return ""; }
};

}  // namespace slihub::cache

#endif  // SLIHUB_COMMON_CACHE_NULL_CACHE_H_
