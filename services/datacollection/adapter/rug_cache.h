// Recently computed rugs in process memory, each keyed by its query and the store generation it was
// read at. Any write to the store raises the generation (repository::Generation), so a lookup with
// the current generation never returns a stale rug and no explicit invalidation is needed; old
// entries simply stop matching and age out. Never needed for correctness: a miss recomputes.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_CACHE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "services/datacollection/adapter/benchmark_builder.h"
#include "services/datacollection/adapter/lru_cache.h"
#include "google/protobuf/arena.h"
#include "slihub/datacollection/v1/benchmark.pb.h"

namespace slihub::datacollection {

// A computed rug and its GetBenchmark answer serialized once (without as_of_time when the query had
// no as_of, and without federation: the caller appends those per call). Immutable once cached.
struct CachedRug {
  std::shared_ptr<google::protobuf::Arena> arena;  // owns `rug`
  const slihub::datacollection::v1::Benchmark* rug = nullptr;
  std::string answer;  // a serialized GetBenchmarkResponse holding only `benchmark`
};

// The cache key of `query` read at store generation `generation`.
std::string RugCacheKey(const RugQuery& query, int64_t generation);

// Recently computed rugs by RugCacheKey. Thread-safe.
using RugCache = LruCache<CachedRug>;

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_CACHE_H_
