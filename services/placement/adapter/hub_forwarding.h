// The forwarding logic of holds, releases and confirmations on other regions' vacancies, apart
// from the handlers' database work so that unit tests can run it against a fake
// PlacementHubConnection: the requests the owner sees (a request id derived from the caller's,
// the placing LA), what this hub records of the owner's answers, and the release of a closed
// referral's holds at their owners. No gRPC types beyond the messages; nothing personal is put in
// a forwarded request (ids, the LA, a reason the caller wrote, dates).
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_HUB_FORWARDING_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_HUB_FORWARDING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/placement/client/placement_hub_connection.h"
#include "services/placement/store/placement_store.h"
#include "slihub/placement/v1/placement_service.pb.h"

namespace slihub::placement {

// The request id the owner sees for `subject`'s `request_id`: distinct per caller of this hub
// (all of them reach the owner as this hub), the same on every retry, and no subject in clear.
std::string ForwardedRequestId(const std::string& subject, const std::string& request_id);

// `req` as the owner receives it from this hub: the derived request id and the placing LA.
v1::HoldVacancyRequest ForwardedHold(const v1::HoldVacancyRequest& req, const std::string& subject,
                                     const std::string& la_code);
// `req` as the owner receives it: the derived request id and, for an officer, its LA (empty for a
// regional admin, who acts for any LA of this region).
v1::ReleaseHoldRequest ForwardedRelease(const v1::ReleaseHoldRequest& req,
                                        const std::string& subject, const std::string& officer_la);
// As ForwardedRelease.
v1::ConfirmPlacementRequest ForwardedConfirm(const v1::ConfirmPlacementRequest& req,
                                             const std::string& subject,
                                             const std::string& officer_la);

// What this hub records of `hold` (the owner `region`'s answer) for its referral `referral_id`.
PeerHoldRecord PeerHoldFromReply(const std::string& region, const std::string& referral_id,
                                 const v1::Hold& hold);
// What this hub records of a placement `region`'s hub confirmed for its referral `referral_id`;
// `distance_miles` is worked out here (the child's home stays here).
PeerHoldRecord PeerPlacementFromReply(const std::string& region, const std::string& referral_id,
                                      const v1::ConfirmPlacementResponse& reply,
                                      std::optional<double> distance_miles, absl::Time now);

// What became of one peer hold of a closed referral.
struct PeerReleaseOutcome {
  PeerHoldRecord hold;   // as this hub should now record it (state, version, reason)
  bool released = false;  // released at its owner by this call (or a replay of it)
  bool ended = false;     // no longer active at its owner (released now or before, expired, ...)
  std::string reason;     // why not released; empty when released
};

// Releases each of `holds` (active peer holds of a closed referral) at its owner through `hubs`,
// with a request id derived from `subject`, `request_id` and the hold id (a retry of the close
// replays there) and the hold's LA. A hold its owner says is no longer active is `ended`; one its
// owner could not be asked about stays active with the reason (it lapses there at its expiry).
std::vector<PeerReleaseOutcome> ReleasePeerHolds(PlacementHubConnection& hubs,
                                                 const std::vector<PeerHoldRecord>& holds,
                                                 const std::string& subject,
                                                 const std::string& request_id,
                                                 const std::string& reason);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_HUB_FORWARDING_H_
