// The read model of other regions' vacancies for national matching: one WatchVacancies stream per
// configured peer region (with settings, snapshot first, then resumed from its last sequence after
// a drop), each followed on a thread of its own (never gRPC's), kept as key groups the matcher
// scans beside this hub's own. Holds still go to the owning hub; only the facts matching reads are
// kept (no audit, no referrals, nothing personal).
//
// Freshness bound: a region is FRESH while its stream is connected, its copy complete and a
// message (change or heartbeat; peers are asked for a heartbeat every 250 ms) arrived within the
// last 750 ms. The owner reads its event log every 100 ms, so a FRESH region's copy lacks no
// change committed at its owner more than 750 + 100 ms (plus transit) ago: under one second. A
// region whose stream is down is STALE (its last copy used, with its age) for up to stale_max,
// then UNAVAILABLE; a region never synced is UNAVAILABLE.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_PEER_VACANCIES_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_PEER_VACANCIES_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/federation/region_outcome.h"
#include "services/placement/client/placement_hub_connection.h"
#include "services/placement/domain/filter_key.h"
#include "slihub/placement/v1/placement_service.pb.h"

namespace slihub::placement {

// How peers' streams are followed and judged. Plain data.
struct PeerVacancyOptions {
  absl::Duration heartbeat = absl::Milliseconds(250);      // asked of each peer
  absl::Duration silence_limit = absl::Milliseconds(750);  // FRESH while a message is this recent
  absl::Duration reconnect_after = absl::Seconds(2);       // a stream silent this long is dropped
  absl::Duration stale_max = absl::Hours(1);  // a dropped region's copy is used this long
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

// One region's part of a national match: its outcome and, when its copy is used, its groups.
struct PeerRegionPart {
  federation::RegionOutcome outcome;
  std::vector<std::shared_ptr<const KeyGroup>> groups;  // empty unless outcome.has_answer()
};

// The candidate `event` describes (its vacancy with its setting); nullopt when it carries no
// setting or no vacancy id. Exposed for tests.
std::optional<Candidate> CandidateFromEvent(const v1::VacancyEvent& event);

// Thread-safe.
class PeerVacancies {
 public:
  // Follows every region of `hubs->Regions()` (the configured peers) through its WatchVacancies
  // streams; `regions` lists the regions answers cover (every other region of England, code
  // order), configured or not.
  PeerVacancies(std::shared_ptr<PlacementHubConnection> hubs, std::vector<std::string> regions,
                PeerVacancyOptions options = {});
  // Cancels the streams and joins the threads.
  ~PeerVacancies();
  PeerVacancies(const PeerVacancies&) = delete;
  PeerVacancies& operator=(const PeerVacancies&) = delete;

  // Each region's outcome at `now` (FRESH, STALE or UNAVAILABLE, with as_of the last message and
  // the reason) and its groups when its copy is used, in the constructor's region order.
  std::vector<PeerRegionPart> Current(absl::Time now);
  // The copy of `vacancy_id` (any region), when one is held and its region's copy is usable.
  std::optional<Candidate> Find(const std::string& vacancy_id, absl::Time now);
  // Waits up to `timeout` until every configured region is FRESH; false on timeout.
  bool AwaitAllFresh(absl::Duration timeout);
  const PeerVacancyOptions& options() const { return options_; }

 private:
  using Area = std::pair<std::string, std::string>;  // (region, host LA)
  struct AreaState {
    std::map<std::string, std::shared_ptr<const Candidate>> members;
    std::shared_ptr<const KeyGroup> group;
  };
  struct Region {
    std::string code;
    bool configured = false;
    bool connected = false;
    bool complete = false;      // a snapshot has been applied: the copy is whole
    bool need_snapshot = true;  // the next stream asks for one (first time, lost history)
    int64_t last_sequence = 0;
    absl::Time last_message = absl::InfinitePast();
    std::string error;                       // why the stream last ended
    VacancyStream* stream = nullptr;  // the open stream
    // The copy.
    std::map<Area, AreaState> areas;
    absl::flat_hash_map<std::string, Area> area_of;
    std::set<Area> touched;
    // A snapshot being received, swapped in when complete.
    std::map<std::string, std::shared_ptr<const Candidate>> pending;
  };

  void Follow(const std::string& code);
  void Watchdog();
  void Apply(Region& region, const v1::WatchVacanciesResponse& message)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void Upsert(Region& region, std::shared_ptr<const Candidate> candidate, bool open);
  federation::RegionOutcome OutcomeLocked(const Region& region, absl::Time now) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<PlacementHubConnection> hubs_;
  const PeerVacancyOptions options_;
  absl::Mutex mu_;
  std::map<std::string, Region> regions_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> order_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_PEER_VACANCIES_H_
