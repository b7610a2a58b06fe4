// What a fake hub connection (services/<service>/client/testing/) answers per region, for unit
// tests of the logic that merges regions' parts: a region answers what the test set for it, or
// is UNAVAILABLE ("fake: no answer set for <region>").
#ifndef SLIHUB_COMMON_FEDERATION_TESTING_SCRIPTED_REGIONS_H_
#define SLIHUB_COMMON_FEDERATION_TESTING_SCRIPTED_REGIONS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "common/federation/federation.h"

namespace slihub::federation::testing {

// Thread-compatible: the fakes that hold one lock around it.
template <typename Reply>
class ScriptedRegions {
 public:
  // `region` answers `reply` (nullopt: none) with `outcome`, whose region is set to `region`.
  void Set(const std::string& region, RegionOutcome outcome, std::optional<Reply> reply) {
    outcome.region = region;
    parts_[region] = RegionReply<Reply>{std::move(outcome), std::move(reply)};
  }
  // `region` answers `reply` in `state` (FRESH, CACHED or STALE) as of now.
  void SetReply(const std::string& region, Reply reply, RegionState state = RegionState::kFresh) {
    RegionOutcome outcome;
    outcome.state = state;
    outcome.as_of = absl::Now();
    if (state == RegionState::kStale) outcome.reason = "fake: stale";
    Set(region, std::move(outcome), std::move(reply));
  }
  // `region` has no answer: `state` (UNAVAILABLE or TIMED_OUT) with `reason`.
  void SetFailure(const std::string& region, RegionState state, const std::string& reason) {
    RegionOutcome outcome;
    outcome.state = state;
    outcome.reason = reason;
    Set(region, std::move(outcome), std::nullopt);
  }

  // Each of `regions`' part, in order.
  std::vector<RegionReply<Reply>> Answer(const std::vector<std::string>& regions) const {
    std::vector<RegionReply<Reply>> out;
    for (const std::string& region : regions) {
      auto it = parts_.find(region);
      if (it != parts_.end()) {
        out.push_back(it->second);
        continue;
      }
      RegionReply<Reply> none;
      none.outcome.region = region;
      none.outcome.state = RegionState::kUnavailable;
      none.outcome.reason = "fake: no answer set for " + region;
      out.push_back(std::move(none));
    }
    return out;
  }

 private:
  std::map<std::string, RegionReply<Reply>> parts_;
};

}  // namespace slihub::federation::testing

#endif  // SLIHUB_COMMON_FEDERATION_TESTING_SCRIPTED_REGIONS_H_
