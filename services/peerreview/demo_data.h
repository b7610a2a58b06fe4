// Demo records for the local stack, for the hub's region (EE or SE): the current cycle (2024) in
// CHALLENGE with accepted groups, challenge events of which the earlier ones are held (their
// hosts' self-assessments challenged, the others' moderated), with findings and agreed actions
// (some overdue); the last cycle (2023),
// closed, whose actions reach the current data packs; the next cycle (2025) in SETUP, ready for
// grouping proposals; and 2022's groups as imported history. Every date is relative to the day
// of loading, so the summary always has actions due and overdue.
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
