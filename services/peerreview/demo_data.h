// Demo records for the local stack: the hub region's 2025 cycle (every LA of the region, in SETUP
// with phase dates and the seed themes) and its 2024 groups as imported history.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DEMO_DATA_H_
#define SLIHUB_SERVICES_PEERREVIEW_DEMO_DATA_H_

#include "absl/status/status.h"
#include "common/server/service_context.h"

namespace slihub::peerreview {

// Loads the demo records once; later calls change nothing. The grades are illustrative, not the
// LAs' real inspection outcomes.
absl::Status LoadPeerReviewDemoData(const ServiceContext& context);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DEMO_DATA_H_
