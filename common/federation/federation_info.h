// RegionOutcome to and from the wire: the FederationInfo block of every scoped answer, and the
// caller's choice of strict or partial answers.
#ifndef SLIHUB_COMMON_FEDERATION_FEDERATION_INFO_H_
#define SLIHUB_COMMON_FEDERATION_FEDERATION_INFO_H_

#include <vector>

#include "absl/time/time.h"
#include "common/federation/region_outcome.h"
#include "slihub/common/v1/types.pb.h"

namespace slihub::federation {

// Fills `out` for a `scope` answer formed `now` from `outcomes` (the hub's own region first,
// then the others in code order, as the caller lists them): state, as_of, age, reason each, and
// partial when any region is not current.
void FillFederationInfo(slihub::common::v1::RegionScope scope,
                        const std::vector<RegionOutcome>& outcomes, absl::Time now,
                        slihub::common::v1::FederationInfo* out);

// True for FEDERATION_MODE_STRICT (UNSPECIFIED means partial).
bool IsStrict(slihub::common::v1::FederationMode mode);

// Adds a violation message for an unknown mode value; empty when valid.
bool IsKnownMode(int mode);

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_FEDERATION_INFO_H_
