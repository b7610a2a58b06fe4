// A read-through cache of per-key version lists (a region's rule sets, an LA's policies) whose
// versions are never rewritten: the list is fresh exactly while its highest version is the
// store's.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_VERSIONED_CACHE_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_VERSIONED_CACHE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace slihub::workforce {

// Thread-safe. `T` is a stored version; `version_of` gives its number.
template <typename T>
class VersionedCache {
 public:
  using List = std::shared_ptr<const std::vector<T>>;

  explicit VersionedCache(int64_t (*version_of)(const T&)) : version_of_(version_of) {}

  // The list for `key` when its highest version is `latest`; otherwise `load()`, cached when
  // what it read is still at `latest` (a concurrent publish may have moved on).
  absl::StatusOr<List> Get(const std::string& key, int64_t latest,
                           absl::FunctionRef<absl::StatusOr<std::vector<T>>()> load) {
    {
      absl::MutexLock lock(&mu_);
      auto it = lists_.find(key);
      if (it != lists_.end() && Highest(*it->second) == latest) return it->second;
    }
    absl::StatusOr<std::vector<T>> loaded = load();
    if (!loaded.ok()) return loaded.status();
    List list = std::make_shared<const std::vector<T>>(std::move(*loaded));
    if (Highest(*list) == latest) {
      absl::MutexLock lock(&mu_);
      lists_[key] = list;
    }
    return list;
  }

 private:
  int64_t Highest(const std::vector<T>& list) const {
    int64_t highest = 0;
    for (const T& v : list) highest = std::max(highest, version_of_(v));
    return highest;
  }

  int64_t (*version_of_)(const T&);
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, List> lists_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_VERSIONED_CACHE_H_
