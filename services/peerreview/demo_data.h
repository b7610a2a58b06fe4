// Demo records for the local stack, for the hub's region (EE or SE): a lived-in current cycle in
// CHALLENGE (accepted groups, submitted and moderated self-assessments, challenge events of which
// the earlier ones are held with findings and agreed actions, some overdue), the previous year's
// closed cycle with its findings (the data pack's previous actions) and imported groups from the
// year before. Every date is relative to today, so the summary always has actions due.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DEMO_DATA_H_
#define SLIHUB_SERVICES_PEERREVIEW_DEMO_DATA_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/server/service_context.h"

namespace slihub::peerreview {

// Loads the demo records for `today`; a cycle already present is left as it is, so later calls
// add nothing. The grades and texts are illustrative, not the LAs' real inspection outcomes.
absl::Status LoadPeerReviewDemoDataAsOf(const ServiceContext& context, absl::CivilDay today);

// LoadPeerReviewDemoDataAsOf for today in England.
absl::Status LoadPeerReviewDemoData(const ServiceContext& context);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DEMO_DATA_H_
