#include "services/datacollection/domain/rug.h"

#include <algorithm>

namespace slihub::datacollection {
namespace {

bool IsPresent(const CellValue& c) { return c.state == ValueState::kPresent && c.value.has_value(); }

// The common scale of every PRESENT value and `places`.
int CommonScale(const std::vector<CellValue>& cells, int places) {
  int s = places;
  for (const CellValue& c : cells) {
    if (IsPresent(c)) s = std::max(s, c.value->scale);
  }
  return s;
}

// Sum (or a pair's sum) at scale `s`, divided by `count`, as a Decimal at `places` (s >= places).
std::optional<Decimal> MeanAt(Int128 sum, int64_t count, int s, int places) {
  return DivideRounded(sum, static_cast<Int128>(count) * Pow10(s - places), places);
}

}  // namespace

std::vector<Rank> CompetitionRanks(const std::vector<CellValue>& cells, Polarity polarity) {
  const int s = CommonScale(cells, 0);
  std::vector<Int128> sorted;
  sorted.reserve(cells.size());
  for (const CellValue& c : cells) {
    if (IsPresent(c)) sorted.push_back(ScaledTo(*c.value, s));
  }
  std::sort(sorted.begin(), sorted.end());
  const int n = static_cast<int>(sorted.size());
  const bool lower_is_better = polarity == Polarity::kLowerIsBetter;
  std::vector<Rank> ranks(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    if (!IsPresent(cells[i])) continue;
    const Int128 v = ScaledTo(*cells[i].value, s);
    const int below = static_cast<int>(std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin());
    const int not_above = static_cast<int>(std::upper_bound(sorted.begin(), sorted.end(), v) - sorted.begin());
    const int above = n - not_above;
    ranks[i].rank = 1 + (lower_is_better ? below : above);
    ranks[i].rank_from_bottom = 1 + (lower_is_better ? above : below);
    ranks[i].tied = not_above - below > 1;
  }
  return ranks;
}

int QuartileBand(int rank, int n) {
  if (rank <= 0 || n <= 0) return 0;
  return (4 * rank + n - 1) / n;
}

bool InExtreme20Percent(int rank, int n, Polarity polarity) {
  if (polarity == Polarity::kNeither || polarity == Polarity::kUnspecified || n < 5 || rank <= 0) {
    return false;
  }
  return 5 * rank <= n;
}

RegionalStats ComputeRegionalStats(const std::vector<CellValue>& cells, int places) {
  RegionalStats stats;
  const int s = CommonScale(cells, places);
  std::vector<Int128> values;
  std::vector<const Decimal*> originals;
  for (const CellValue& c : cells) {
    switch (c.state) {
      case ValueState::kPresent:
        if (c.value) {
          values.push_back(ScaledTo(*c.value, s));
          originals.push_back(&*c.value);
        }
        break;
      case ValueState::kMissing: ++stats.missing; break;
      case ValueState::kSuppressed: ++stats.suppressed; break;
      default: ++stats.not_submitted; break;
    }
  }
  stats.present = static_cast<int>(values.size());
  if (values.empty()) return stats;
  Int128 sum = 0;
  for (Int128 v : values) sum += v;
  stats.mean = MeanAt(sum, stats.present, s, places);
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  const size_t n = order.size();
  const Int128 middle = n % 2 == 1 ? values[order[n / 2]] * 2 : values[order[n / 2 - 1]] + values[order[n / 2]];
  stats.median = MeanAt(middle, 2, s, places);
  stats.minimum = *originals[order.front()];
  stats.maximum = *originals[order.back()];
  return stats;
}

Change ComputeChange(const CellValue& current, const CellValue& previous, Polarity polarity,
                     int places) {
  Change change;
  change.previous_state = previous.state;
  if (IsPresent(previous)) change.previous_value = previous.value;
  if (!IsPresent(current) || !IsPresent(previous)) return change;
  const int s = std::max({places, current.value->scale, previous.value->scale});
  const Int128 diff = ScaledTo(*current.value, s) - ScaledTo(*previous.value, s);
  change.difference = DivideRounded(diff, Pow10(s - places), places);
  if (diff == 0) {
    change.direction = Trend::kUnchanged;
  } else if (polarity == Polarity::kHigherIsBetter) {
    change.direction = diff > 0 ? Trend::kImproved : Trend::kWorsened;
  } else if (polarity == Polarity::kLowerIsBetter) {
    change.direction = diff < 0 ? Trend::kImproved : Trend::kWorsened;
  } else {
    change.direction = diff > 0 ? Trend::kIncreased : Trend::kDecreased;
  }
  return change;
}

RugRow ComputeRugRow(const RugRowInput& input) {
  const IndicatorDef& def = *input.indicator;
  const int places = def.decimal_places;
  RugRow row;
  row.regional = ComputeRegionalStats(input.current, places);
  const std::vector<Rank> ranks = CompetitionRanks(input.current, def.polarity);
  const int n = row.regional.present;
  const int s = CommonScale(input.current, places);
  row.cells.resize(input.current.size());
  for (size_t i = 0; i < input.current.size(); ++i) {
    RugCell& cell = row.cells[i];
    cell.rank = ranks[i];
    cell.ranked_count = n;
    cell.quartile = QuartileBand(ranks[i].rank, n);
    cell.top_20_percent = InExtreme20Percent(ranks[i].rank, n, def.polarity);
    cell.bottom_20_percent = InExtreme20Percent(ranks[i].rank_from_bottom, n, def.polarity);
    if (i < input.neighbours.size()) {
      Int128 sum = 0;
      for (int j : input.neighbours[i]) {
        if (j < 0 || static_cast<size_t>(j) >= input.current.size() || !IsPresent(input.current[j])) continue;
        sum += ScaledTo(*input.current[j].value, s);
        ++cell.neighbours_used;
      }
      if (cell.neighbours_used > 0) cell.neighbour_average = MeanAt(sum, cell.neighbours_used, s, places);
    }
    if (i < input.neighbours_listed.size()) cell.neighbours_listed = input.neighbours_listed[i];
    if (i < input.previous.size()) {
      cell.change = ComputeChange(input.current[i], input.previous[i], def.polarity, places);
    }
  }
  return row;
}

std::optional<Decimal> DisproportionalityRatio(const CellValue& group, const CellValue& overall) {
  if (!IsPresent(group) || !IsPresent(overall) || overall.value->unscaled == 0) return std::nullopt;
  const int s = std::max(group.value->scale, overall.value->scale);
  return DivideRounded(ScaledTo(*group.value, s) * 100, ScaledTo(*overall.value, s), 2);
}

}  // namespace slihub::datacollection
