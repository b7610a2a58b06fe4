#include "services/datacollection/adapter/rug_cache.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace slihub::datacollection {


std::string RugCacheKey(const RugQuery& q, int64_t generation) {
  const int64_t as_of = q.as_of == absl::InfiniteFuture() ? -1 : absl::ToUnixMicros(q.as_of);
  return absl::StrCat(generation, "|", q.region, "|", q.collection_id, "|", q.period_id, "|",
                      q.previous_period_id, "|", absl::StrJoin(q.indicator_ids, ","), "|", q.only_la, "|",
                      q.include_disproportionality ? 1 : 0, "|", q.with_notes ? 1 : 0, "|", as_of);
}

}  // namespace slihub::datacollection
