// A compact, contiguous copy of the facts the hard filters read, so that a match over tens of
// thousands of candidates scans a few megabytes instead of chasing every candidate's strings.
// FirstFailingFilterByKey gives exactly FirstFailingFilter's answer (a test checks it).
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_

#include <array>
#include <cstdint>
#include <memory>
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

// One (region, host LA) pair's candidates with their keys, ordered so that the first three filters
// are decided by ranges: exact keys failing the beds filter in [0, type_begin[0]); then the
// bookable exact keys of placement type t in [type_begin[t], type_begin[t + 1]); then the inexact
// keys from type_begin[kTypeSlots] to the end. Immutable once built.
struct KeyGroup {
  static constexpr int kTypeSlots = 32;
  std::string region;
  std::string host_la;
  std::vector<const Candidate*> candidates;
  std::vector<FilterKey> keys;   // keys[i] made from *candidates[i]
  std::vector<uint32_t> needs;   // keys[i].needs_mask, packed for the first pass
  std::array<uint32_t, kTypeSlots + 1> type_begin = {};
  // Keeps the candidates alive, in the same order; empty when the caller does.
  std::vector<std::shared_ptr<const Candidate>> owned;
};

// The group of `members`, all in `region` and `host_la` (ordered as KeyGroup says, otherwise in
// their given order); it owns them.
std::shared_ptr<const KeyGroup> BuildKeyGroup(std::string region, std::string host_la,
                                              std::vector<std::shared_ptr<const Candidate>> members);

// Candidates in key groups by (region, host LA), so that a match in one LA's or one region's scope
// reads only those groups. Groups are shared, so the index after a change can reuse every group
// the change did not touch. Positions number the candidates through the groups in order.
// Immutable once built.
class KeyIndex {
 public:
  KeyIndex() = default;
  // `groups` in (region, host LA) order, none empty.
  explicit KeyIndex(std::vector<std::shared_ptr<const KeyGroup>> groups);

  const std::vector<std::shared_ptr<const KeyGroup>>& groups() const { return groups_; }
  // The position of groups()[group]'s first candidate.
  size_t offset(size_t group) const { return offsets_[group]; }
  size_t size() const { return offsets_.back(); }
  // The candidate at `position` (< size()).
  const Candidate& candidate(size_t position) const;
  // Every candidate, by position.
  std::vector<const Candidate*> candidates() const;

 private:
  std::vector<std::shared_ptr<const KeyGroup>> groups_;
  std::vector<size_t> offsets_ = {0};  // offsets_[g] for each group, then the total
};

// The index of `candidates`, which the caller keeps alive.
KeyIndex BuildKeyIndex(const std::vector<const Candidate*>& candidates);

// Match over an index: the same outcome as Match(request, index.candidates(), ...) (candidate
// indexes are positions), faster for large registers, except that `matches` holds only the best
// `keep_first` (`matched` still counts them all). Only the kept matches get their text.
MatchOutcome MatchByKeys(const MatchRequest& request, const KeyIndex& index, absl::Time now,
                         const MatchConfig& config, size_t explain_first = static_cast<size_t>(-1),
                         size_t keep_first = static_cast<size_t>(-1));

// Explain over an index, reading its candidates in place (nothing copied): every filter's verdict
// on `target`, and when it passes its score and its rank among the index's candidates in the
// request's scope (as Explain ranks it among a vector; a candidate with the target's vacancy id is
// the target itself). candidate_index is the target's position, or index.size() when not in it.
Explanation ExplainByKeys(const MatchRequest& request, const KeyIndex& index,
                          const Candidate& target, absl::Time now, const MatchConfig& config);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_FILTER_KEY_H_
