// Typed calls of DataCollectionService that this hub makes of other regions' hubs (federation), in
// the google-cloud-cpp shape of datacollection_connection.h:
//
//   DataCollectionHubConnection       the interface the adapter holds (a fake in unit tests)
//     -> MakeDataCollectionHubConnection   Federation::Ask over one stub per peer (PeerStubs)
//
// Fan-out lookups go through Federation::Ask: one deadline for every region, answers cached in
// Redis under the owner's change-feed key (decided here, not by callers), each region's state in
// its RegionOutcome. Every call blocks up to the federation deadline: call it from a worker thread
// (a may_block HandleUnary body), never from a gRPC reaction thread.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_CLIENT_DATACOLLECTION_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_DATACOLLECTION_CLIENT_DATACOLLECTION_HUB_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "common/federation/federation.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"

namespace slihub::datacollection {

// The calls this service makes of other regions' data collection hubs. Implementations are
// thread-safe: one connection serves every caller of a process.
class DataCollectionHubConnection {
 public:
  virtual ~DataCollectionHubConnection() = default;

  // Each of `regions`' published aggregates of `period_id` (every indicator: one cached answer
  // per region and period, invalidated by the owner's "datacollection.published" feed), in the
  // order of `regions`. Never fails as a whole: a region that cannot answer has its state and
  // reason in its outcome and no reply (or its cached reply, STALE).
  virtual std::vector<federation::RegionReply<v1::GetPublishedAggregatesResponse>>
  GetPublishedAggregates(const std::vector<std::string>& regions, const std::string& period_id) = 0;
};

// The connection over `federation`'s peers: one generated stub per peer hub, made once; a region
// without a configured peer answers UNAVAILABLE ("no peer hub is configured for <region>").
// `federation` must outlive the connection.
std::shared_ptr<DataCollectionHubConnection> MakeDataCollectionHubConnection(
    federation::Federation* federation);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_CLIENT_DATACOLLECTION_HUB_CONNECTION_H_
