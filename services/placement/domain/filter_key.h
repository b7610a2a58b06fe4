// A compact, contiguous copy of the facts the hard filters read, so that a match over tens of
// thousands of candidates scans a few megabytes instead of chasing every candidate's strings.
// FirstFailingFilterByKey gives exactly FirstFailingFilter's answer (a test checks it).
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "services/placement/domain/matching.h"

namespace slihub::placement {

// The hard-filter facts of one candidate. Plain data.
struct FilterKey {
  int64_t available_day = 0;  // days since 1970-01-01
  int64_t weekly_cost_pence = 0;
  double latitude = 0;
  double longitude = 0;
  uint64_t host_la = 0;  // up to 8 bytes of the code, packed
  uint64_t region = 0;
  uint32_t needs_mask = 0;  // bit n: registered for need n
  int16_t age_min = 0;
  int16_t age_max = 0;
  int32_t beds_free = 0;
  int32_t sibling_capacity = 0;
  uint8_t placement_type = 0;
  uint8_t grade = 0;
  uint8_t sex_accepted = 0;
  uint8_t occupancy = 0;
  uint8_t state = 0;
  bool active = false;
  bool has_coordinates = false;
  bool exact = true;  // false when an id is too long to pack: use FirstFailingFilter instead
};

// A request prepared once for scanning many keys. Plain data.
struct PreparedRequest {
  const MatchRequest* request = nullptr;
  uint32_t child_needs_mask = 0;
  uint32_t allowed_types_mask = 0;  // 0: any type
  int64_t needed_by_day = 0;
  uint64_t la_code = 0;
  uint64_t region = 0;
  bool exact = true;  // false when the request cannot be prepared exactly (unknown need numbers)
};

// The key of `candidate`.
FilterKey MakeFilterKey(const Candidate& candidate);
// `request` prepared for scanning; it must outlive the result.
PreparedRequest PrepareRequest(const MatchRequest& request);
// The first filter failed, as FirstFailingFilter(request, candidate) would answer for the
// candidate the key was made from.
std::optional<Filter> FirstFailingFilterByKey(const PreparedRequest& prepared, const FilterKey& key);

// Match over candidates with their keys (keys[i] made from *candidates[i]): the same outcome as
// Match(request, candidates, ...), faster for large registers.
MatchOutcome MatchByKeys(const MatchRequest& request, const std::vector<const Candidate*>& candidates,
                         const std::vector<FilterKey>& keys, absl::Time now,
                         const MatchConfig& config, size_t explain_first = static_cast<size_t>(-1));

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_
