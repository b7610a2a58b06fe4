// Decoded latest totals of recently read periods, each keyed by its latest_totals revision: a
// submission to one period changes only that period's revision, so the rug computed after it
// decodes that period again but takes the previous period from here.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_PERIOD_TOTALS_CACHE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_PERIOD_TOTALS_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/datacollection/adapter/lru_cache.h"
#include "services/datacollection/store/records.h"

namespace slihub::datacollection {

// A bounded least-recently-used map. Thread-safe; entries are immutable once put.
class PeriodTotalsCache {
 public:
  using Totals = std::shared_ptr<const std::vector<LatestTotal>>;

  explicit PeriodTotalsCache(size_t capacity) : entries_(capacity) {}

  // The totals of (collection, period) at `revision`, or nullptr.
  Totals Find(const std::string& collection_id, const std::string& period_id, int64_t revision) {
    return entries_.Find(Key(collection_id, period_id, revision));
  }

  // Keeps `totals` for (collection, period) at `revision`, evicting the least recently used.
  void Put(const std::string& collection_id, const std::string& period_id, int64_t revision,
           Totals totals) {
    entries_.Put(Key(collection_id, period_id, revision), std::move(totals));
  }

 private:
  static std::string Key(const std::string& collection_id, const std::string& period_id,
                         int64_t revision) {
    return absl::StrCat(collection_id, "\x1f", period_id, "\x1f", revision);
  }

  LruCache<std::vector<LatestTotal>> entries_;
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_PERIOD_TOTALS_CACHE_H_
