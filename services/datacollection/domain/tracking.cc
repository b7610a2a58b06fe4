#include "services/datacollection/domain/tracking.h"

#include <algorithm>

namespace slihub::datacollection {

Decimal PercentageShare(int64_t part, int64_t whole) {
  if (whole <= 0) return Decimal{0, 1};
  return *DivideRounded(static_cast<Int128>(part) * 1000, whole, 1);
}

LaStatus ComputeLaStatus(const std::string& la_code, const std::vector<std::string>& expected,
                         const std::vector<VersionFacts>& versions, absl::Time deadline,
                         absl::Time now) {
  LaStatus status;
  status.la_code = la_code;
  status.expected = static_cast<int>(expected.size());
  std::vector<const VersionFacts*> sorted;
  for (const VersionFacts& v : versions) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(),
            [](const VersionFacts* a, const VersionFacts* b) { return a->version < b->version; });
  for (const std::string& id : expected) {
    bool on_time = false, late = false;
    for (const VersionFacts* v : sorted) {
      if (!v->indicators_given.count(id)) continue;
      if (v->receive_time <= deadline) on_time = true; else late = true;
    }
    if (on_time) ++status.on_time; else if (late) ++status.late; else ++status.missing;
  }
  if (sorted.empty()) {
    status.state = now > deadline ? SubmissionState::kMissing : SubmissionState::kNotDue;
  } else {
    status.latest_version = sorted.back()->version;
    status.first_receive_time = sorted.front()->receive_time;
    status.latest_receive_time = sorted.back()->receive_time;
    for (const VersionFacts* v : sorted) {
      status.first_receive_time = std::min(status.first_receive_time, v->receive_time);
    }
    status.state = status.first_receive_time <= deadline ? SubmissionState::kOnTime
                                                         : SubmissionState::kLate;
  }
  status.on_time_share = PercentageShare(status.on_time, status.expected);
  return status;
}

RegionSummary Summarise(const std::vector<LaStatus>& las) {
  RegionSummary summary;
  int64_t indicators_expected = 0, indicators_on_time = 0;
  for (const LaStatus& la : las) {
    ++summary.expected;
    switch (la.state) {
      case SubmissionState::kOnTime: ++summary.on_time; break;
      case SubmissionState::kLate: ++summary.late; break;
      case SubmissionState::kMissing: ++summary.missing; break;
      default: ++summary.not_due; break;
    }
    indicators_expected += la.expected;
    indicators_on_time += la.on_time;
  }
  summary.la_on_time_share = PercentageShare(summary.on_time, summary.expected);
  summary.indicator_on_time_share = PercentageShare(indicators_on_time, indicators_expected);
  return summary;
}

}  // namespace slihub::datacollection
