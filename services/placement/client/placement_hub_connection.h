// The calls this hub's PlacementService makes of other regions' placement hubs, in the
// google-cloud-cpp layering the datacollection client has:
//
//   PlacementHubConnection          the interface the adapter holds (a fake in unit tests)
//     -> MakePlacementHubConnection  one generated stub per peer region, made once
//        (federation::PeerStubs), this hub's token and a deadline on each call
//
// Holds, releases and confirmations of another region's vacancy are single forwarded writes to
// the hub that owns it (absl::StatusOr of the reply); the read model of the other regions'
// vacancies follows each peer's WatchVacancies stream (a VacancyStream). No lookup of placement
// fans out through Federation::Ask: national matching reads the read model.
#ifndef SLIHUB_SERVICES_PLACEMENT_CLIENT_PLACEMENT_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_PLACEMENT_CLIENT_PLACEMENT_HUB_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "slihub/placement/v1/placement_service.pb.h"

namespace slihub::federation {
class Federation;
}  // namespace slihub::federation

namespace slihub::placement {

// UNAVAILABLE with ErrorInfo REGION_UNAVAILABLE: "region <region>: <why>". What a forwarded call
// answers when the owner has no configured peer or cannot be reached.
absl::Status RegionUnavailable(absl::string_view region, absl::string_view why);

// One open WatchVacancies stream of one peer region. Read and Finish are called by one thread
// (the follower's); Cancel may be called from any thread, at any time before destruction.
class VacancyStream {
 public:
  virtual ~VacancyStream() = default;
  // Blocks for the next message; false once the stream has ended (then call Finish).
  virtual bool Read(v1::WatchVacanciesResponse* message) = 0;
  // Why the stream ended (OK only when the peer ended it cleanly); call once after Read is false.
  virtual absl::Status Finish() = 0;
  // Ends the stream: a blocked Read returns false soon after.
  virtual void Cancel() = 0;
};

// Thread-safe: one connection serves every handler and follower thread of the service.
class PlacementHubConnection {
 public:
  virtual ~PlacementHubConnection() = default;

  // The regions with a configured peer hub, in code order.
  virtual std::vector<std::string> Regions() const = 0;
  // HoldVacancy at `region`'s hub (the vacancy's owner), with this hub's token. The owner's answer
  // or error as it gave it; RegionUnavailable when no peer is configured for `region`, or the
  // call could not reach it or timed out. Blocks: call from a worker thread.
  virtual absl::StatusOr<v1::HoldVacancyResponse> HoldVacancy(
      const std::string& region, const v1::HoldVacancyRequest& request) = 0;
  // ReleaseHold at `region`'s hub, as HoldVacancy.
  virtual absl::StatusOr<v1::ReleaseHoldResponse> ReleaseHold(
      const std::string& region, const v1::ReleaseHoldRequest& request) = 0;
  // ConfirmPlacement at `region`'s hub, as HoldVacancy.
  virtual absl::StatusOr<v1::ConfirmPlacementResponse> ConfirmPlacement(
      const std::string& region, const v1::ConfirmPlacementRequest& request) = 0;
  // Opens `region`'s WatchVacancies stream (no deadline; the caller cancels it). Never null: a
  // region without a peer gives a stream that ends at once with UNAVAILABLE.
  virtual std::unique_ptr<VacancyStream> WatchVacancies(
      const std::string& region, const v1::WatchVacanciesRequest& request) = 0;
};

// The gRPC connection over `federation`'s peers (one stub per peer region, made here once).
// A forwarded write may take max(fan-out deadline, `min_write_deadline`) at its owner: under
// contention the owner serialises its holds. `federation` must outlive the connection.
std::shared_ptr<PlacementHubConnection> MakePlacementHubConnection(
    federation::Federation* federation, absl::Duration min_write_deadline = absl::Seconds(10));

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_CLIENT_PLACEMENT_HUB_CONNECTION_H_
