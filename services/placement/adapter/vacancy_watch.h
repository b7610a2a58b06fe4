// WatchVacancies: server-streaming vacancy changes over the gRPC callback API. One background
// thread reads the hub's vacancy event log (never gRPC's threads) and hands each watcher its
// filtered events; writes are started from that thread or from OnWriteDone, never blocking.
// Watches end when the client cancels, the server shuts down (gRPC cancels them after the drain
// time) or the hub is destroyed.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_VACANCY_WATCH_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_VACANCY_WATCH_H_

#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/identity/principal.h"
#include "grpcpp/support/server_callback.h"
#include "services/placement/store/placement_store.h"
#include "slihub/placement/v1/placement_service.pb.h"

namespace slihub::placement {

// How watches are served. Plain data.
struct WatchOptions {
  absl::Duration poll_interval = absl::Milliseconds(100);  // how often the event log is read
  absl::Duration heartbeat = absl::Seconds(10);  // an empty message after this long with nothing
  int events_per_read = 500;     // events read from the log per poll
  int events_per_message = 100;  // events per streamed message
  int max_queued_messages = 32;  // a slower watcher is not read for until it drains
  absl::Duration stale_after = absl::Hours(24 * 7);  // the stale flag of streamed vacancies
};

class WatchState;

// The watchers of one service and the thread that feeds them. Thread-safe.
class VacancyWatchHub {
 public:
  // Borrows `store`, which must outlive this object; starts the feeding thread.
  VacancyWatchHub(store::Database* db, const PlacementStore* store, WatchOptions options);
  // Stops the thread and ends the watches still open with UNAVAILABLE.
  ~VacancyWatchHub();

  // Starts a watch for `principal` (already authenticated and authorized) with a validated
  // `request`; returns the reactor to hand to gRPC. Never blocks.
  grpc::ServerWriteReactor<v1::WatchVacanciesResponse>* Watch(
      const v1::WatchVacanciesRequest& request, const Principal& principal);

  // Watches currently registered (for tests and logs).
  size_t watchers() const;

 private:
  void Loop();
  void Step();
  // Sets the watch's starting point (or ends it with the error); snapshot events first if asked.
  void Begin(WatchState& watch);

  store::Database* db_;
  const PlacementStore* store_;
  WatchOptions options_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::shared_ptr<WatchState>> watches_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// Refuses a watch: a reactor that finishes at once with `status`.
grpc::ServerWriteReactor<v1::WatchVacanciesResponse>* RefuseWatch(const grpc::Status& status);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_VACANCY_WATCH_H_
