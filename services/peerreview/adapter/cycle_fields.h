// Field checks and normalisation of a cycle's editable fields (name, participants, phases,
// themes), shared by CreateCycle and UpdateCycle.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_CYCLE_FIELDS_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_CYCLE_FIELDS_H_

#include <set>
#include <string>

#include "common/errors/errors.h"
#include "common/refdata/reference_data.h"
#include "slihub/peerreview/v1/cycle.pb.h"
#include "slihub/peerreview/v1/finding.pb.h"
#include "slihub/peerreview/v1/self_assessment.pb.h"

namespace slihub::peerreview {

// Violations (under "cycle.") of the name, participants (LAs of `region`, the hub's, once each,
// valid grades and dates), phase dates (real, in order) and themes.
void CheckEditableFields(const v1::Cycle& in, const ReferenceData& refdata,
                         const std::string& region, FieldViolations* v);

// Replaces `out`'s participants with `in`'s, in LA code order.
void SetParticipantsSorted(const v1::Cycle& in, v1::Cycle* out);

// The theme ids a self-assessment or findings record names.
void CollectThemeIds(const v1::SelfAssessment& sa, std::set<std::string>* ids);
void CollectThemeIds(const v1::Findings& f, std::set<std::string>* ids);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_CYCLE_FIELDS_H_
