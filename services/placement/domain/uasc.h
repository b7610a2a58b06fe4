// Rules of the UASC National Transfer Scheme: the threshold in force on a date, an LA's position
// against it, a region's rota, and transfer deadlines in working days. Pure functions over plain data.
//
// Rounding: none in any decision. The threshold is under18_population * rate / 100000 children, and
// every comparison is done exactly in integers scaled by 100000 (uasc_count * 100000 against
// under18_population * rate_per_100000). Only the display values (threshold, headroom as doubles)
// are the exact rational rounded to the nearest double.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_UASC_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_UASC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace slihub::placement {

// The scale of threshold rates: a rate of 100 per 100,000 is 0.1%.
inline constexpr int64_t kUascRateScale = 100000;

// A threshold rate in force from a date. Plain data.
struct UascThreshold {
  int64_t version = 0;
  absl::CivilDay effective_from;
  int rate_per_100000 = 0;
};

// The rule in force on `day`: the one with the latest effective_from on or before it, or nullopt
// when every rule starts later. `rules` may be in any order.
std::optional<UascThreshold> ThresholdInForce(const std::vector<UascThreshold>& rules,
                                              absl::CivilDay day);

// The largest under-18 population an LA's figures may state: well above England's largest (Kent,
// about 330,000), so only a typing error exceeds it.
inline constexpr int64_t kMaxUnder18Population = 1000000;

// An LA's submitted figures. Plain data. Meaningful figures have 1 <= under18_population <=
// kMaxUnder18Population and 0 <= uasc_count <= under18_population (the UASC are among the LA's
// under-18s, so there are never more of them than under-18s, and 0/0 states nothing).
struct UascFigures {
  std::string la_code;
  absl::CivilDay as_of;
  int64_t under18_population = 0;
  int64_t uasc_count = 0;
};

// An LA's position against a threshold rate. Plain data.
struct UascPosition {
  std::string la_code;
  // Headroom in children * 100000: under18 * rate - uasc_count * 100000 (exact; negative above).
  int64_t headroom_scaled = 0;
  double threshold = 0;  // under18 * rate / 100000, for display
  double headroom = 0;   // threshold - uasc_count, for display
  bool may_refer_out = false;    // strictly above the threshold
  bool can_be_directed = false;  // strictly below the threshold
};

// The position of `figures` against `rate_per_100000`. At exactly the threshold an LA neither
// refers out nor is directed to receive.
UascPosition EvaluateUasc(const UascFigures& figures, int rate_per_100000);

// A region's rota. Plain data.
struct UascRota {
  std::vector<UascPosition> receiving;      // below threshold: largest headroom first, ties by LA code
  std::vector<UascPosition> not_receiving;  // at or above threshold, in LA code order
};

// Splits `positions` into the rota (deterministic: the same input in any order gives the same rota).
UascRota BuildUascRota(std::vector<UascPosition> positions);

// The day `working_days` working days after `start` (weekends and `holidays` are not working days;
// `start` itself never counts). `holidays` must be sorted ascending. `working_days` >= 0.
absl::CivilDay AddWorkingDays(absl::CivilDay start, int working_days,
                              const std::vector<absl::CivilDay>& holidays);

// Working days a transfer has: 10, or 5 when the child is in a hotel.
int TransferWorkingDays(bool from_hotel);

// A transfer's deadline: `referred_on` plus TransferWorkingDays(from_hotel) working days.
absl::CivilDay TransferDeadline(absl::CivilDay referred_on, bool from_hotel,
                                const std::vector<absl::CivilDay>& holidays);

// Transfer states (slihub.placement.v1.UascTransferState numbers).
inline constexpr int kTransferPending = 1;
inline constexpr int kTransferCompleted = 2;
inline constexpr int kTransferCancelled = 3;

// Overdue: PENDING with `as_of` after the deadline, or COMPLETED on a day after it.
bool TransferOverdue(int state, absl::CivilDay deadline, std::optional<absl::CivilDay> transferred_on,
                     absl::CivilDay as_of);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_UASC_H_
