// Decoded latest totals of recently read periods, each keyed by its latest_totals revision: a
// submission to one period changes only that period's revision, so the rug computed after it
// decodes that period again but takes the previous period from here.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_PERIOD_TOTALS_CACHE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_PERIOD_TOTALS_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/datacollection/store/records.h"

namespace slihub::datacollection {

// A bounded least-recently-used map. Thread-safe; entries are immutable once put.
class PeriodTotalsCache {
 public:
  using Totals = std::shared_ptr<const std::vector<LatestTotal>>;

  explicit PeriodTotalsCache(size_t capacity) : capacity_(capacity) {}

  // The totals of (collection, period) at `revision`, or nullptr.
  Totals Find(const std::string& collection_id, const std::string& period_id, int64_t revision) {
    const std::string key = Key(collection_id, period_id, revision);
    absl::MutexLock lock(&mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
    return nullptr;
  }

  // Keeps `totals` for (collection, period) at `revision`, evicting the least recently used.
  void Put(const std::string& collection_id, const std::string& period_id, int64_t revision,
           Totals totals) {
    std::string key = Key(collection_id, period_id, revision);
    absl::MutexLock lock(&mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == key) {
        entries_.erase(it);
        break;
      }
    }
    entries_.emplace_front(std::move(key), std::move(totals));
    while (entries_.size() > capacity_) entries_.pop_back();
  }

 private:
  static std::string Key(const std::string& collection_id, const std::string& period_id,
                         int64_t revision) {
    return absl::StrCat(collection_id, "\x1f", period_id, "\x1f", revision);
  }

  const size_t capacity_;
  absl::Mutex mu_;
  std::list<std::pair<std::string, Totals>> entries_ ABSL_GUARDED_BY(mu_);  // most recent first
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_PERIOD_TOTALS_CACHE_H_
