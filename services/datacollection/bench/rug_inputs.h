// The domain inputs of every rug row, read once from a store, for benchmarks that time the rug
// calculation alone.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_BENCH_RUG_INPUTS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_BENCH_RUG_INPUTS_H_

#include <algorithm>
#include <string>
#include <vector>

#include "common/refdata/reference_data.h"
#include "common/store/database.h"
#include "services/datacollection/domain/rug.h"
#include "services/datacollection/store/repository.h"

namespace slihub::datacollection {

// One RugRowInput per entry of `defs` (which must outlive the result), columns in `las` order, from
// the latest totals of `period_id` and `previous_period_id` of `collection_id`.
inline std::vector<RugRowInput> ReadRugInputs(store::Database& db, const ReferenceData& refdata,
                                              const std::vector<std::string>& las,
                                              const std::vector<IndicatorDef>& defs,
                                              const std::string& collection_id, const std::string& period_id,
                                              const std::string& previous_period_id) {
  std::vector<LatestTotal> current, previous;
  (void)db.Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    current = *repository::LatestTotals(tx, collection_id, period_id, absl::InfiniteFuture());
    previous = *repository::LatestTotals(tx, collection_id, previous_period_id, absl::InfiniteFuture());
    return absl::OkStatus();
  });
  auto grid = [&](const std::vector<LatestTotal>& totals, const std::string& id) {
    std::vector<CellValue> cells(las.size());
    for (const LatestTotal& t : totals) {
      if (t.indicator_id != id) continue;
      cells[std::find(las.begin(), las.end(), t.la_code) - las.begin()] = CellValue{t.total.state, t.total.value};
    }
    return cells;
  };
  std::vector<std::vector<int>> neighbours(las.size());
  std::vector<int> listed(las.size());
  for (size_t i = 0; i < las.size(); ++i) {
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(las[i]);
    listed[i] = static_cast<int>(la->statistical_neighbours.size());
    for (const std::string& n : la->statistical_neighbours) {
      auto it = std::find(las.begin(), las.end(), n);
      if (it != las.end()) neighbours[i].push_back(static_cast<int>(it - las.begin()));
    }
  }
  std::vector<RugRowInput> inputs;
  for (const IndicatorDef& def : defs) {
    RugRowInput input;
    input.indicator = &def;
    input.current = grid(current, def.indicator_id);
    input.previous = grid(previous, def.indicator_id);
    input.neighbours = neighbours;
    input.neighbours_listed = listed;
    inputs.push_back(std::move(input));
  }
  return inputs;
}

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_BENCH_RUG_INPUTS_H_
