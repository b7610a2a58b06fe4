// Recently computed rugs in process memory, each keyed by its query and the store generation it was
// read at. Any write to the store raises the generation (Repository::Generation), so a lookup with
// the current generation never returns a stale rug and no explicit invalidation is needed; old
// entries simply stop matching and age out. Never needed for correctness: a miss recomputes.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_CACHE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/datacollection/adapter/benchmark_builder.h"
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

// A bounded least-recently-used map from key to an immutable rug. Thread-safe.
class RugCache {
 public:
  explicit RugCache(size_t capacity) : capacity_(capacity) {}

  // The rug stored under `key`, or nullptr.
  std::shared_ptr<const CachedRug> Find(const std::string& key);
  // Stores `rug` under `key`, evicting the least recently used entry beyond capacity.
  void Put(const std::string& key, std::shared_ptr<const CachedRug> rug);

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const CachedRug>>;
  const size_t capacity_;
  absl::Mutex mu_;
  std::list<Entry> entries_ ABSL_GUARDED_BY(mu_);  // most recently used first
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_CACHE_H_
