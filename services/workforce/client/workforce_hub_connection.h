// Typed calls from this workforce hub to other regions' workforce hubs (the federation's
// lookups), in the google-cloud-cpp shape of services/datacollection/client:
//
//   WorkforceServiceImpl (adapter)      holds a std::shared_ptr<WorkforceHubConnection>
//     -> WorkforceHubConnection         the interface the national logic is tested against
//       -> Federation::Ask over PeerStubs<v1::WorkforceService>   one stub per peer, made once
//
// Each lookup fans out to the given regions in parallel within the federation's one deadline,
// through its Redis cache under a key this connection decides (the owner's change-feed key), and
// returns each region's part in the regions' order. Every call blocks up to the federation
// deadline: call it from a worker thread (a may_block HandleUnary body), never from gRPC's.
#ifndef SLIHUB_SERVICES_WORKFORCE_CLIENT_WORKFORCE_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_WORKFORCE_CLIENT_WORKFORCE_HUB_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/federation/federation.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::workforce {

// The change-feed channel of compliance summaries as peers cache them, keyed by
// ComplianceSummaryKey(period): the owner publishes FeedKey(kComplianceSummaryFeed, key) for every
// period peers have asked of it whenever an engagement or exception of its region is committed
// (compliance_feed.h).
inline constexpr char kComplianceSummaryFeed[] = "workforce.compliance_summary";

// "2025-01-01/2025-03-31": the period part of a compliance summary's cache key.
std::string ComplianceSummaryKey(absl::CivilDay first, absl::CivilDay last);

// The lookups this hub makes of other regions' hubs. Implementations are thread-safe: one
// connection serves every call of the process. They never fail as a whole: a region's failure
// is its outcome (UNAVAILABLE, TIMED_OUT, or STALE with the cached reply).
class WorkforceHubConnection {
 public:
  virtual ~WorkforceHubConnection() = default;

  // Each region's LookupWorkerFacts for `swe_number`, cached under the owner's worker history
  // change key (FeedKey(kWorkerHistoryChannel, swe_number)).
  virtual std::vector<federation::RegionReply<v1::LookupWorkerFactsResponse>> LookupWorkerFacts(
      const std::vector<std::string>& regions, const std::string& swe_number) = 0;

  // Each region's LookupComplianceSummary over [first, last] (aggregates only), cached under
  // FeedKey(kComplianceSummaryFeed, ComplianceSummaryKey(first, last)).
  virtual std::vector<federation::RegionReply<v1::LookupComplianceSummaryResponse>>
  LookupComplianceSummary(const std::vector<std::string>& regions, absl::CivilDay first,
                          absl::CivilDay last) = 0;
};

// The connection through `federation` (which must outlive it): one generated stub per configured
// peer, made here once; a region without a configured peer comes back UNAVAILABLE naming it.
std::shared_ptr<WorkforceHubConnection> MakeWorkforceHubConnection(
    federation::Federation* federation);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_CLIENT_WORKFORCE_HUB_CONNECTION_H_
