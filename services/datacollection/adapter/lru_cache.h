// A small bounded least-recently-used map from a string key to an immutable shared value: the shape
// of the data collection service's in-process caches (rugs, decoded period totals).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_LRU_CACHE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_LRU_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace slihub::datacollection {

// Thread-safe. Lookups scan the entries, so keep `capacity` small (tens).
template <typename T>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  // The value stored under `key` (now the most recently used), or nullptr.
  std::shared_ptr<const T> Find(const std::string& key) {
    absl::MutexLock lock(&mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
    return nullptr;
  }

  // Stores `value` under `key`, replacing an entry with that key and evicting the least recently
  // used beyond capacity.
  void Put(const std::string& key, std::shared_ptr<const T> value) {
    absl::MutexLock lock(&mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == key) {
        entries_.erase(it);
        break;
      }
    }
    entries_.emplace_front(key, std::move(value));
    while (entries_.size() > capacity_) entries_.pop_back();
  }

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  std::list<std::pair<std::string, std::shared_ptr<const T>>> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_LRU_CACHE_H_
