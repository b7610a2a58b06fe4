// Typed calls of PeerReviewService that this hub makes of other regions' hubs (federation), in the
// google-cloud-cpp shape of services/datacollection/client/datacollection_connection.h:
//
//   PeerReviewHubConnection        the interface the adapter holds (a fake in unit tests)
//     -> MakePeerReviewHubConnection   Federation::Ask over one stub per peer (PeerStubs)
//
// Fan-out lookups go through Federation::Ask: one deadline for every region, answers cached in
// Redis under the owner's change-feed key (decided here, not by callers), each region's state in
// its RegionOutcome. Every call blocks up to the federation deadline: call it from a worker thread
// (a may_block HandleUnary body), never from a gRPC reaction thread.
#ifndef SLIHUB_SERVICES_PEERREVIEW_CLIENT_PEERREVIEW_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_PEERREVIEW_CLIENT_PEERREVIEW_HUB_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "common/federation/federation.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"

namespace slihub::peerreview {

// The calls this service makes of other regions' peer review hubs. Implementations are
// thread-safe: one connection serves every caller of a process.
class PeerReviewHubConnection {
 public:
  virtual ~PeerReviewHubConnection() = default;

  // Each of `regions`' reviewer directory of its current cycle (ListReviewerDirectory; cached per
  // region, invalidated by the owner's "peerreview.directory" feed), in the order of `regions`.
  // Never fails as a whole: a region that cannot answer has its state and reason in its outcome
  // and no reply (or its cached reply, STALE).
  virtual std::vector<federation::RegionReply<v1::ListReviewerDirectoryResponse>>
  ListReviewerDirectory(const std::vector<std::string>& regions) = 0;
};

// The connection over `federation`'s peers: one generated stub per peer hub, made once; a region
// without a configured peer answers UNAVAILABLE ("no peer hub is configured for <region>").
// `federation` must outlive the connection.
std::shared_ptr<PeerReviewHubConnection> MakePeerReviewHubConnection(
    federation::Federation* federation);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_CLIENT_PEERREVIEW_HUB_CONNECTION_H_
