#include "services/datacollection/adapter/benchmark_builder.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/base/parallel_for.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/domain/rug.h"
#include "services/datacollection/store/repository.h"

namespace slihub::datacollection {
namespace {

// The figures read for one period: [indicator][la].
using Grid = std::vector<std::vector<CellValue>>;

struct Loaded {
  int64_t generation = 0;
  CollectionRecord collection;
  PeriodRecord period;
  std::string previous_period_id;
  std::vector<IndicatorDef> indicators;
  PeriodTotalsCache::Totals current = std::make_shared<const std::vector<LatestTotal>>();
  PeriodTotalsCache::Totals previous = std::make_shared<const std::vector<LatestTotal>>();
  // Per indicator with an ethnicity breakdown (when asked for): each LA's group figures.
  std::map<std::string, std::vector<LatestBreakdown>> ethnicity;
};

absl::StatusOr<Loaded> Load(store::Database& db, const RugQuery& query, const RugBuildHelpers& helpers) {
  IndicatorDefCache* const indicators = helpers.indicators;
  Loaded loaded;
  absl::Status status = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    auto generation = repository::Generation(tx);
    if (!generation.ok()) return generation.status();
    loaded.generation = *generation;
    if (query.collection_id.empty()) {
      auto collections = repository::ListCollections(tx, query.region);
      if (!collections.ok()) return collections.status();
      auto core = std::find_if(collections->begin(), collections->end(),
                               [](const CollectionRecord& c) { return c.kind == 1; });
      if (core == collections->end()) {
        return absl::NotFoundError(absl::StrCat("region ", query.region, " has no core quarterly collection"));
      }
      loaded.collection = *core;
    } else {
      auto collection = repository::GetCollection(tx, query.collection_id);
      if (!collection.ok()) return collection.status();
      if (collection->region != query.region) {
        return absl::NotFoundError(absl::StrCat("no collection ", query.collection_id, " in ", query.region));
      }
      loaded.collection = *collection;
    }
    auto period = repository::GetPeriod(tx, loaded.collection.collection_id, query.period_id);
    if (!period.ok()) return period.status();
    loaded.period = *period;
    loaded.previous_period_id =
        query.previous_period_id.empty() ? period->previous_period_id : query.previous_period_id;
    if (!query.previous_period_id.empty()) {
      auto previous = repository::GetPeriod(tx, loaded.collection.collection_id, query.previous_period_id);
      if (!previous.ok()) return previous.status();
    }
    const std::vector<std::string>& ids = query.indicator_ids.empty() ? period->indicator_ids : query.indicator_ids;
    auto versions = repository::LatestIndicatorVersions(tx);
    if (!versions.ok()) return versions.status();
    FieldViolations violations;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (std::find(period->indicator_ids.begin(), period->indicator_ids.end(), ids[i]) ==
          period->indicator_ids.end()) {
        violations.Add(absl::StrCat("query.indicator_ids[", i, "]"),
                       absl::StrCat("'", ids[i], "' is not collected in period ", query.period_id));
        continue;
      }
      auto version = versions->find(ids[i]);
      if (version == versions->end()) return absl::NotFoundError(absl::StrCat("no indicator ", ids[i]));
      if (indicators != nullptr) {
        if (std::shared_ptr<const IndicatorDef> hit = indicators->Find(ids[i], version->second)) {
          loaded.indicators.push_back(*hit);
          continue;
        }
      }
      auto def = repository::GetIndicator(tx, ids[i], version->second);
      if (!def.ok()) return def.status();
      if (indicators != nullptr) indicators->Put(*def);
      loaded.indicators.push_back(*std::move(def));
    }
    if (!violations.empty()) return violations.ToStatus();
    const std::string& collection_id = loaded.collection.collection_id;
    // A period's totals: as of a time from the returns; current ones from the cache when the period's
    // latest_totals revision is cached, else decoded and cached.
    auto totals = [&](const std::string& period_id) -> absl::StatusOr<PeriodTotalsCache::Totals> {
      if (query.as_of != absl::InfiniteFuture()) {
        auto read = repository::LatestTotals(tx, collection_id, period_id, query.as_of);
        if (!read.ok()) return read.status();
        return std::make_shared<const std::vector<LatestTotal>>(*std::move(read));
      }
      std::optional<int64_t> revision;
      if (helpers.totals != nullptr) {
        auto read = repository::SnapshotRevision(tx, collection_id, period_id);
        if (!read.ok()) return read.status();
        revision = *read;
        if (revision.has_value()) {
          if (PeriodTotalsCache::Totals hit = helpers.totals->Find(collection_id, period_id, *revision)) return hit;
        }
      }
      auto read = repository::CurrentTotals(tx, collection_id, period_id);
      if (!read.ok()) return read.status();
      auto decoded = std::make_shared<const std::vector<LatestTotal>>(*std::move(read));
      if (revision.has_value()) helpers.totals->Put(collection_id, period_id, *revision, decoded);
      return decoded;
    };
    auto current = totals(query.period_id);
    if (!current.ok()) return current.status();
    loaded.current = *std::move(current);
    if (query.include_disproportionality) {
      for (const IndicatorDef& def : loaded.indicators) {
        if (def.FindBreakdown(Dimension::kEthnicityGroup) == nullptr) continue;
        auto groups = repository::LatestBreakdowns(tx, loaded.collection.collection_id, query.period_id, def.indicator_id,
                                            Dimension::kEthnicityGroup, query.as_of);
        if (!groups.ok()) return groups.status();
        loaded.ethnicity[def.indicator_id] = *std::move(groups);
      }
    }
    if (!loaded.previous_period_id.empty()) {
      auto previous = totals(loaded.previous_period_id);
      if (!previous.ok()) return previous.status();
      loaded.previous = *std::move(previous);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return loaded;
}

// Places each total in the grid; `meta` (optional) receives the matching LatestTotal pointers.
Grid Place(const std::vector<LatestTotal>& totals, const absl::flat_hash_map<std::string, int>& indicator_index,
           const absl::flat_hash_map<std::string, int>& la_index, size_t la_count,
           std::vector<std::vector<const LatestTotal*>>* meta) {
  Grid grid(indicator_index.size(), std::vector<CellValue>(la_count));
  if (meta) meta->assign(indicator_index.size(), std::vector<const LatestTotal*>(la_count, nullptr));
  for (const LatestTotal& t : totals) {
    auto i = indicator_index.find(t.indicator_id);
    auto l = la_index.find(t.la_code);
    if (i == indicator_index.end() || l == la_index.end()) continue;
    grid[i->second][l->second] = CellValue{t.total.state, t.total.value};
    if (meta) (*meta)[i->second][l->second] = &t;
  }
  return grid;
}

}  // namespace

absl::Status BuildBenchmark(store::Database& db, const ReferenceData& refdata, const RugQuery& query,
                            absl::Time now, v1::Benchmark* out, int64_t* generation,
                            const RugBuildHelpers& helpers) {
  const RegionRecord* region = refdata.FindRegion(query.region);
  if (region == nullptr) return absl::NotFoundError(absl::StrCat("no region ", query.region));
  absl::StatusOr<Loaded> loaded = Load(db, query, helpers);
  if (!loaded.ok()) return loaded.status();
  if (generation != nullptr) *generation = loaded->generation;

  std::vector<std::string> las = loaded->collection.la_codes.empty() ? region->la_codes
                                                                      : loaded->collection.la_codes;
  std::sort(las.begin(), las.end());
  absl::flat_hash_map<std::string, int> la_index;
  for (size_t i = 0; i < las.size(); ++i) la_index[las[i]] = static_cast<int>(i);
  absl::flat_hash_map<std::string, int> indicator_index;
  for (size_t i = 0; i < loaded->indicators.size(); ++i) {
    indicator_index[loaded->indicators[i].indicator_id] = static_cast<int>(i);
  }
  std::vector<std::vector<const LatestTotal*>> meta;
  const Grid current = Place(*loaded->current, indicator_index, la_index, las.size(), &meta);
  const Grid previous = Place(*loaded->previous, indicator_index, la_index, las.size(), nullptr);

  std::vector<std::vector<int>> neighbours(las.size());
  std::vector<int> listed(las.size(), 0);
  for (size_t i = 0; i < las.size(); ++i) {
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(las[i]);
    if (la == nullptr) continue;
    listed[i] = static_cast<int>(la->statistical_neighbours.size());
    for (const std::string& n : la->statistical_neighbours) {
      auto it = la_index.find(n);
      if (it != la_index.end()) neighbours[i].push_back(it->second);
    }
  }

  out->mutable_region()->set_value(query.region);
  out->set_collection_id(loaded->collection.collection_id);
  out->set_period_id(query.period_id);
  out->set_previous_period_id(loaded->previous_period_id);
  for (const std::string& la : las) {
    if (query.only_la.empty() || la == query.only_la) out->add_la_codes()->set_value(la);
  }
  if (query.as_of != absl::InfiniteFuture()) *out->mutable_as_of_time() = ToProtoTimestamp(query.as_of);
  else *out->mutable_as_of_time() = ToProtoTimestamp(now);
  *out->mutable_compute_time() = ToProtoTimestamp(now);

  // Rows are independent: each is computed and filled by whichever thread takes it (the arena is
  // thread-safe; no two threads touch one row).
  for (size_t i = 0; i < loaded->indicators.size(); ++i) out->add_rows();
  auto fill_row = [&](size_t i) {
    const IndicatorDef& def = loaded->indicators[i];
    RugRowInput input;
    input.indicator = &def;
    input.current = current[i];
    if (!loaded->previous_period_id.empty()) input.previous = previous[i];
    input.neighbours = neighbours;
    input.neighbours_listed = listed;
    const RugRow row = ComputeRugRow(input);

    v1::BenchmarkRow* out_row = out->mutable_rows(static_cast<int>(i));
    ToProto(def, out_row->mutable_indicator());
    v1::RegionalStatistics* stats = out_row->mutable_regional();
    if (row.regional.mean) ToProto(*row.regional.mean, stats->mutable_mean());
    if (row.regional.median) ToProto(*row.regional.median, stats->mutable_median());
    if (row.regional.minimum) ToProto(*RoundToScale(*row.regional.minimum, def.decimal_places), stats->mutable_minimum());
    if (row.regional.maximum) ToProto(*RoundToScale(*row.regional.maximum, def.decimal_places), stats->mutable_maximum());
    stats->set_las_present(row.regional.present);
    stats->set_las_missing(row.regional.missing);
    stats->set_las_suppressed(row.regional.suppressed);
    stats->set_las_not_submitted(row.regional.not_submitted);
    out_row->mutable_england()->set_state(v1::VALUE_STATE_NOT_SUBMITTED);

    for (size_t l = 0; l < las.size(); ++l) {
      if (!query.only_la.empty() && las[l] != query.only_la) continue;
      const RugCell& cell = row.cells[l];
      const LatestTotal* source = meta[i][l];
      v1::BenchmarkCell* c = out_row->add_cells();
      c->mutable_la_code()->set_value(las[l]);
      c->set_indicator_id(def.indicator_id);
      c->set_state(static_cast<v1::ValueState>(current[i][l].state));
      if (current[i][l].value) ToProto(*current[i][l].value, c->mutable_value());
      if (source != nullptr) {
        if (query.with_notes) c->set_note(source->total.note);
        c->set_return_version(source->return_version);
        c->set_timeliness(static_cast<v1::Timeliness>(source->timeliness));
      }
      c->set_rank(cell.rank.rank);
      c->set_ranked_count(cell.ranked_count);
      c->set_rank_tied(cell.rank.tied);
      c->set_quartile(cell.quartile == 0 ? v1::QUARTILE_BAND_NOT_RANKED
                                         : static_cast<v1::QuartileBand>(cell.quartile));
      if (cell.neighbour_average) ToProto(*cell.neighbour_average, c->mutable_statistical_neighbour_average());
      c->set_statistical_neighbours_used(cell.neighbours_used);
      c->set_statistical_neighbours_listed(cell.neighbours_listed);
      v1::PeriodChange* change = c->mutable_change();
      change->set_previous_period_id(loaded->previous_period_id);
      change->set_previous_state(loaded->previous_period_id.empty()
                                     ? v1::VALUE_STATE_NOT_SUBMITTED
                                     : static_cast<v1::ValueState>(cell.change.previous_state));
      if (cell.change.previous_value) ToProto(*cell.change.previous_value, change->mutable_previous_value());
      if (cell.change.difference) ToProto(*cell.change.difference, change->mutable_difference());
      change->set_direction(static_cast<v1::TrendDirection>(cell.change.direction));
      c->set_top_20_percent(cell.top_20_percent);
      c->set_bottom_20_percent(cell.bottom_20_percent);
    }
  };
  ParallelFor(helpers.pool, SpareCores(), loaded->indicators.size(), fill_row);
  for (size_t i = 0; i < loaded->indicators.size(); ++i) {
    const IndicatorDef& def = loaded->indicators[i];
    auto found = loaded->ethnicity.find(def.indicator_id);
    const BreakdownSpec* spec = def.FindBreakdown(Dimension::kEthnicityGroup);
    if (found == loaded->ethnicity.end() || spec == nullptr) continue;
    v1::DisproportionalityTable* table = out->add_disproportionality();
    table->set_indicator_id(def.indicator_id);
    for (const Category& c : spec->categories) {
      v1::BreakdownCategory* group = table->add_groups();
      group->set_code(c.code);
      group->set_label(c.label);
    }
    for (size_t l = 0; l < las.size(); ++l) {
      if (!query.only_la.empty() && las[l] != query.only_la) continue;
      const CellValue& overall = current[i][l];
      for (const Category& c : spec->categories) {
        CellValue group;
        for (const LatestBreakdown& b : found->second) {
          if (b.la_code == las[l] && b.category == c.code) group = CellValue{b.observation.state, b.observation.value};
        }
        v1::DisproportionalityCell* cell = table->add_cells();
        cell->mutable_la_code()->set_value(las[l]);
        cell->set_ethnicity_group(c.code);
        cell->set_group_state(static_cast<v1::ValueState>(group.state));
        if (group.value) ToProto(*group.value, cell->mutable_group_value());
        cell->set_overall_state(static_cast<v1::ValueState>(overall.state));
        if (overall.value) ToProto(*overall.value, cell->mutable_overall_value());
        const std::optional<Decimal> ratio = DisproportionalityRatio(group, overall);
        cell->set_ratio_state(ratio ? v1::VALUE_STATE_PRESENT : v1::VALUE_STATE_MISSING);
        if (ratio) ToProto(*ratio, cell->mutable_ratio());
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace slihub::datacollection
