// The tartan rug calculation for one indicator across a region's LAs: competition ranks by polarity
// with shared ties, quartile bands, top/bottom 20% flags, regional mean/median/min/max,
// statistical-neighbour averages and the change against the previous period. Only PRESENT values take
// part; MISSING, SUPPRESSED and NOT_SUBMITTED are never treated as zero.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_RUG_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_RUG_H_

#include <optional>
#include <vector>

#include "services/datacollection/domain/indicator.h"

namespace slihub::datacollection {

// Numbered as slihub.datacollection.v1.TrendDirection.
enum class Trend { kUnspecified = 0, kImproved = 1, kWorsened = 2, kUnchanged = 3, kIncreased = 4,
                   kDecreased = 5, kNotComparable = 6 };

// One LA's figure for one indicator and period.
struct CellValue {
  ValueState state = ValueState::kNotSubmitted;
  std::optional<Decimal> value;  // set exactly when state is kPresent
};

// Competition ranks among a set of values.
struct Rank {
  int rank = 0;              // 1 = best; 0 when not PRESENT
  int rank_from_bottom = 0;  // the same ranking in the opposite direction; 0 when not PRESENT
  bool tied = false;         // another value equals this one
};

// Ranks every PRESENT value of `cells` (1 = best by `polarity`, highest first for kNeither; ties
// share the best rank of the tie and the next rank skips: 1, 2, 2, 4). One Rank per cell.
std::vector<Rank> CompetitionRanks(const std::vector<CellValue>& cells, Polarity polarity);

// ceil(4 x rank / n), 1 = best; 0 when rank is 0 or n is 0.
int QuartileBand(int rank, int n);

// True when 5 x rank <= n (the best or, with rank_from_bottom, the worst 20%); never for kNeither or
// when n < 5.
bool InExtreme20Percent(int rank, int n, Polarity polarity);

// The region's comparators for one indicator.
struct RegionalStats {
  std::optional<Decimal> mean, median, minimum, maximum;  // unset when nothing is PRESENT
  int present = 0, missing = 0, suppressed = 0, not_submitted = 0;
};

// Mean and median of the PRESENT values rounded half away from zero to `places`; minimum and maximum
// exact; counts by state.
RegionalStats ComputeRegionalStats(const std::vector<CellValue>& cells, int places);

// The movement of one LA's value against the previous period.
struct Change {
  ValueState previous_state = ValueState::kNotSubmitted;
  std::optional<Decimal> previous_value;
  std::optional<Decimal> difference;  // current - previous at `places`; set when both PRESENT
  Trend direction = Trend::kNotComparable;
};

// The change from `previous` to `current` judged by `polarity`, the difference at `places`.
Change ComputeChange(const CellValue& current, const CellValue& previous, Polarity polarity,
                     int places);

// Everything the rug shows for one LA and indicator beyond its own value.
struct RugCell {
  Rank rank;
  int ranked_count = 0;
  int quartile = 0;  // 1..4, 0 when not ranked
  std::optional<Decimal> neighbour_average;
  int neighbours_used = 0;
  int neighbours_listed = 0;
  Change change;
  bool top_20_percent = false;
  bool bottom_20_percent = false;
};

// One row of the rug: the regional comparators and one RugCell per LA.
struct RugRow {
  RegionalStats regional;
  std::vector<RugCell> cells;
};

// What ComputeRugRow needs for one indicator. All vectors are indexed by the region's LA order.
struct RugRowInput {
  const IndicatorDef* indicator = nullptr;
  std::vector<CellValue> current;
  // The previous period's values; empty when there is no previous period.
  std::vector<CellValue> previous;
  // For each LA, the indices of its statistical neighbours inside the region (others are not used).
  std::vector<std::vector<int>> neighbours;
  // For each LA, how many neighbours the reference data lists (in or out of the region).
  std::vector<int> neighbours_listed;
};

// Computes the row. `input.neighbours` and `input.neighbours_listed` may be empty (no neighbours).
RugRow ComputeRugRow(const RugRowInput& input);

// A group's figure against the LA's overall figure, group / overall at scale 2 (1.00 =
// proportionate); nullopt unless both are PRESENT and the overall figure is not zero.
std::optional<Decimal> DisproportionalityRatio(const CellValue& group, const CellValue& overall);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_RUG_H_
