// Builds the tartan rug message for a region, period and indicators: reads the latest figures from the
// store in one read transaction and computes every row with the domain rug calculation.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_BENCHMARK_BUILDER_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_BENCHMARK_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/base/worker_pool.h"
#include "common/refdata/reference_data.h"
#include "common/store/database.h"
#include "services/datacollection/adapter/indicator_cache.h"
#include "services/datacollection/adapter/period_totals_cache.h"
#include "slihub/datacollection/v1/benchmark.pb.h"

namespace slihub::datacollection {

// What a rug is computed for (already validated for shape by the caller).
struct RugQuery {
  std::string region;
  std::string collection_id;  // empty: the region's core quarterly collection
  std::string period_id;
  std::vector<std::string> indicator_ids;  // empty: every indicator of the period
  std::string previous_period_id;          // empty: the period's previous period
  absl::Time as_of = absl::InfiniteFuture();
  std::string only_la;  // non-empty: only this LA's column is returned (ranks still regional)
  bool include_disproportionality = false;  // tables for indicators with an ethnicity breakdown
  bool with_notes = false;  // the LAs' notes in the cells: for the hub only (figure_access.h)
};

// What BuildBenchmark may use beyond the store, each optional.
struct RugBuildHelpers {
  WorkerPool* pool = nullptr;                 // helper tasks for the rows (one per further core)
  IndicatorDefCache* indicators = nullptr;    // definitions already read
  PeriodTotalsCache* totals = nullptr;        // periods' current totals already decoded
};

// Fills `out`; `generation` (optional) receives the store generation the figures were read at.
// The rows are computed on the calling thread and on helper tasks on `helpers.pool`. NotFound for
// an unknown collection or period; InvalidArgument (field "query.indicator_ids[i]") for an
// indicator the period does not collect. Thread-safe.
absl::Status BuildBenchmark(store::Database& db, const ReferenceData& refdata, const RugQuery& query,
                            absl::Time now, slihub::datacollection::v1::Benchmark* out,
                            int64_t* generation = nullptr, const RugBuildHelpers& helpers = {});

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_BENCHMARK_BUILDER_H_
