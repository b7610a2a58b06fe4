#include "common/federation/region_outcome.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors/errors.h"

namespace slihub::federation {

bool RegionOutcome::has_answer() const {
  return state == RegionState::kFresh || state == RegionState::kCached ||
         state == RegionState::kStale;
}

bool RegionOutcome::current() const {
  return state == RegionState::kFresh || state == RegionState::kCached;
}

RegionOutcome LocalOutcome(const std::string& region, absl::Time now) {
  RegionOutcome outcome;
  outcome.region = region;
  outcome.state = RegionState::kFresh;
  outcome.as_of = now;
  return outcome;
}

const char* RegionStateName(RegionState state) {
  switch (state) {
    case RegionState::kFresh:
      return "FRESH";
    case RegionState::kStale:
      return "STALE";
    case RegionState::kUnavailable:
      return "UNAVAILABLE";
    case RegionState::kCached:
      return "CACHED";
    case RegionState::kTimedOut:
      return "TIMED_OUT";
  }
  return "UNAVAILABLE";
}

std::vector<std::string> MissingRegions(const std::vector<RegionOutcome>& outcomes) {
  std::vector<std::string> missing;
  for (const RegionOutcome& outcome : outcomes) {
    if (!outcome.has_answer()) missing.push_back(outcome.region);
  }
  return missing;
}

absl::Status RequireEveryRegion(const std::vector<RegionOutcome>& outcomes) {
  std::vector<std::string> regions;
  std::vector<std::string> parts;
  for (const RegionOutcome& outcome : outcomes) {
    if (outcome.current()) continue;
    regions.push_back(outcome.region);
    parts.push_back(absl::StrCat(outcome.region, " ", RegionStateName(outcome.state),
                                 outcome.reason.empty() ? "" : ": ", outcome.reason));
  }
  if (regions.empty()) return absl::OkStatus();
  absl::Status status = absl::UnavailableError(
      absl::StrCat("strict federation: regions without a current answer: ",
                   absl::StrJoin(parts, "; ")));
  SetErrorInfo(status, "REGION_UNAVAILABLE", {{"regions", absl::StrJoin(regions, ",")}});
  return status;
}

}  // namespace slihub::federation
