#include "services/datacollection/adapter/rug_cache.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace slihub::datacollection {

namespace v1 = ::slihub::datacollection::v1;

std::string RugCacheKey(const RugQuery& q, int64_t generation) {
  const int64_t as_of = q.as_of == absl::InfiniteFuture() ? -1 : absl::ToUnixMicros(q.as_of);
  return absl::StrCat(generation, "|", q.region, "|", q.collection_id, "|", q.period_id, "|",
                      q.previous_period_id, "|", absl::StrJoin(q.indicator_ids, ","), "|", q.only_la, "|",
                      q.include_disproportionality ? 1 : 0, "|", as_of);
}

std::shared_ptr<const CachedRug> RugCache::Find(const std::string& key) {
  absl::MutexLock lock(&mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first != key) continue;
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().second;
  }
  return nullptr;
}

void RugCache::Put(const std::string& key, std::shared_ptr<const CachedRug> rug) {
  absl::MutexLock lock(&mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first == key) {
      entries_.erase(it);
      break;
    }
  }
  entries_.emplace_front(key, std::move(rug));
  while (entries_.size() > capacity_) entries_.pop_back();
}

}  // namespace slihub::datacollection
