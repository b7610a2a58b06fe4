// A compact, contiguous copy of the facts the hard filters read, so that a match over tens of
// thousands of candidates scans a few megabytes instead of chasing every candidate's strings.
// FirstFailingFilterByKey gives exactly FirstFailingFilter's answer (a test checks it).
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
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
  int16_t registered_needs = 0;  // DistinctNeedCount of the setting's registered needs
  uint8_t placement_type = 0;
  uint8_t grade = 0;
  uint8_t sex_accepted = 0;
  uint8_t occupancy = 0;
  uint8_t state = 0;
  bool active = false;
  bool has_coordinates = false;
  bool exact = true;  // false when an id is too long to pack: use FirstFailingFilter instead
};

// A request prepared once for scanning many keys: every filter's test reduced to a comparison
// with a key's field. Plain data.
struct PreparedRequest {
  const MatchRequest* request = nullptr;
  uint32_t child_needs_mask = 0;
  uint32_t allowed_types_mask = 0;  // 0: any type
  int64_t needed_by_day = 0;
  uint64_t la_code = 0;
  uint64_t region = 0;
  bool exact = true;  // false when the request cannot be prepared exactly (unknown need numbers)
  // Derived from the above and the request, for FailedFilters.
  uint32_t type_ok_mask = 0;                // bit t: placement type t passes the type filter
  std::array<uint64_t, 4> grade_fail = {};  // bit g: a key with grade g fails the grade filter
  uint64_t sex_fail_mask = 0;               // bit s: a key accepting sex s fails the sex filter
  int64_t available_by_day = 0;             // the last available day that passes (max: no date)
  int64_t cost_ceiling_pence = 0;           // the dearest weekly cost that passes (max: no ceiling)
  int32_t siblings_needed = 0;              // the sibling capacity needed (min: not required)
  bool solo_required = false;
  bool distance_applies = false;  // a maximum distance and the child's home are both set
  double latitude_band = 0;       // degrees of latitude beyond which the distance surely fails
  int child_needs = 0;            // DistinctNeedCount of the child's needs
};

// The key of `candidate`.
FilterKey MakeFilterKey(const Candidate& candidate);
// `request` prepared for scanning; it must outlive the result.
PreparedRequest PrepareRequest(const MatchRequest& request);
// The filters an exact key fails, as bits (Filter number - 1), except that once a filter before
// the distance fails the distance is not worked out (bit 8 then stays clear); so the lowest bit
// set is always the first filter failed. Branch-free except for that distance.
uint32_t FailedFilters(const PreparedRequest& prepared, const FilterKey& key);
// The first filter failed, as FirstFailingFilter(request, candidate) would answer for the
// candidate the key was made from (an exact key).
std::optional<Filter> FirstFailingFilterByKey(const PreparedRequest& prepared, const FilterKey& key);

// The first three filters' facts of one exact key, packed in 8 bytes so that the first pass of a
// scan over tens of thousands stays in cache. Plain data.
struct KeyHead {
  uint32_t needs_mask = 0;
  uint8_t placement_type = 0;
  bool bookable = false;  // the beds filter passes: setting active, vacancy open, a bed free
  bool exact = false;     // the key is exact (otherwise the head is not used)
};

// Candidates with their keys and heads, grouped by (region, host LA) so that a match in one LA's
// or one region's scope reads only those groups. Immutable once built; borrows the candidates.
struct KeyIndex {
  // One (region, host LA) pair's candidates: positions [begin, end).
  struct Group {
    std::string region;
    std::string host_la;
    size_t begin = 0;
    size_t end = 0;
  };
  std::vector<const Candidate*> candidates;  // by group, in (region, host LA) order
  std::vector<FilterKey> keys;               // keys[i] made from *candidates[i]
  std::vector<KeyHead> heads;                // heads[i] from keys[i]
  std::vector<Group> groups;
};

// The index of `candidates` (each kept in its given order within its group).
KeyIndex BuildKeyIndex(const std::vector<const Candidate*>& candidates);

// Match over an index: the same outcome as Match(request, index.candidates, ...), faster for
// large registers, except that `matches` holds only the best `keep_first` (`matched` still counts
// them all). Only the kept matches get their text.
MatchOutcome MatchByKeys(const MatchRequest& request, const KeyIndex& index, absl::Time now,
                         const MatchConfig& config, size_t explain_first = static_cast<size_t>(-1),
                         size_t keep_first = static_cast<size_t>(-1));

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_
