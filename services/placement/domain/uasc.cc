#include "services/placement/domain/uasc.h"

#include <algorithm>
#include <tuple>

namespace slihub::placement {

std::optional<UascThreshold> ThresholdInForce(const std::vector<UascThreshold>& rules,
                                              absl::CivilDay day) {
  std::optional<UascThreshold> best;
  for (const UascThreshold& r : rules) {
    if (r.effective_from > day) continue;
    if (!best.has_value() || r.effective_from > best->effective_from) best = r;
  }
  return best;
}

UascPosition EvaluateUasc(const UascFigures& figures, int rate_per_100000) {
  UascPosition p;
  p.la_code = figures.la_code;
  const int64_t threshold_scaled = figures.under18_population * rate_per_100000;
  const int64_t count_scaled = figures.uasc_count * kUascRateScale;
  p.headroom_scaled = threshold_scaled - count_scaled;
  p.threshold = static_cast<double>(threshold_scaled) / kUascRateScale;
  p.headroom = static_cast<double>(p.headroom_scaled) / kUascRateScale;
  p.may_refer_out = p.headroom_scaled < 0;
  p.can_be_directed = p.headroom_scaled > 0;
  return p;
}

UascRota BuildUascRota(std::vector<UascPosition> positions) {
  UascRota rota;
  for (UascPosition& p : positions) {
    (p.can_be_directed ? rota.receiving : rota.not_receiving).push_back(std::move(p));
  }
  std::sort(rota.receiving.begin(), rota.receiving.end(),
            [](const UascPosition& a, const UascPosition& b) {
              return std::make_tuple(-a.headroom_scaled, a.la_code) <
                     std::make_tuple(-b.headroom_scaled, b.la_code);
            });
  std::sort(rota.not_receiving.begin(), rota.not_receiving.end(),
            [](const UascPosition& a, const UascPosition& b) { return a.la_code < b.la_code; });
  return rota;
}

absl::CivilDay AddWorkingDays(absl::CivilDay start, int working_days,
                              const std::vector<absl::CivilDay>& holidays) {
  absl::CivilDay day = start;
  int counted = 0;
  while (counted < working_days) {
    ++day;
    const absl::Weekday w = absl::GetWeekday(day);
    if (w == absl::Weekday::saturday || w == absl::Weekday::sunday) continue;
    if (std::binary_search(holidays.begin(), holidays.end(), day)) continue;
    ++counted;
  }
  return day;
}

int TransferWorkingDays(bool from_hotel) { return from_hotel ? 5 : 10; }

absl::CivilDay TransferDeadline(absl::CivilDay referred_on, bool from_hotel,
                                const std::vector<absl::CivilDay>& holidays) {
  return AddWorkingDays(referred_on, TransferWorkingDays(from_hotel), holidays);
}

bool TransferOverdue(int state, absl::CivilDay deadline, std::optional<absl::CivilDay> transferred_on,
                     absl::CivilDay as_of) {
  if (state == kTransferPending) return as_of > deadline;
  if (state == kTransferCompleted) return transferred_on.has_value() && *transferred_on > deadline;
  return false;
}

}  // namespace slihub::placement
