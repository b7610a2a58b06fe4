// Translation between the peer review protos and the plain C++ domain.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_CONVERT_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_CONVERT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "services/peerreview/domain/cycle_state.h"
#include "services/peerreview/domain/grouping_types.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/peerreview/v1/cycle.pb.h"
#include "slihub/peerreview/v1/grouping.pb.h"

namespace slihub::peerreview {

// A set date as a civil day; nullopt when unset (all fields zero). Adds a violation at `field`
// when set but not a real day.
std::optional<absl::CivilDay> ToCivilDay(const common::v1::CivilDate& date, const std::string& field,
                                         FieldViolations* violations);
common::v1::CivilDate ToProtoDate(absl::CivilDay day);

// The cycle's phase dates (invalid dates are left unset and reported under `prefix`).
PhaseDates ToPhaseDates(const v1::PhaseDates& phases, const std::string& prefix,
                        FieldViolations* violations);

// Puts a domain result into a proposal's outcome, groups, score, aims, constraints and stats.
void ToProto(const GroupingResult& result, v1::GroupingProposal* proposal);
void ToProto(const ConstraintResult& constraint, v1::ConstraintStatus* out);
// Fills `out` with `members` as host-ordered challenges and rationale.
void ToProto(const GroupResult& group, v1::Group* out);

// "CONFLICT_OF_INTEREST", ... for precondition types.
std::string ConstraintKindName(ConstraintKind kind);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_CONVERT_H_
