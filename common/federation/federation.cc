#include "common/federation/federation.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/security/machine_identity.h"
#include "common/security/tls_credentials.h"

namespace slihub::federation {

// One in-flight call to a region, shared by every Ask waiting for the same answer.
struct Federation::Flight {
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  grpc::Status status ABSL_GUARDED_BY(mu);
  std::string payload ABSL_GUARDED_BY(mu);
  absl::Time as_of ABSL_GUARDED_BY(mu);
  grpc::ClientContext context;  // the call's; lives as long as the flight
};

// The calls in flight by region and key, for single flight.
struct Federation::FlightTable {
  absl::Mutex mu;
  std::map<std::string, std::shared_ptr<Flight>> flights ABSL_GUARDED_BY(mu);
};

namespace {

// How long a waiter gives a call past its deadline to report (gRPC reports at the deadline).
constexpr absl::Duration kReportGrace = absl::Milliseconds(100);

std::string Reason(const grpc::Status& status) {
  return absl::StrCat(
      absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())), ": ",
      status.error_message());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Federation>> Federation::Create(const ServerConfig& config,
                                                               const ReferenceData& refdata,
                                                               cache::Cache* cache,
                                                               DependencyMonitor* monitor) {
  absl::StatusOr<std::unique_ptr<PeerHubs>> peers =
      PeerHubs::Load(config.peers_file, config.service, config.hub_region, refdata,
                     config.tls_enabled()
                         ? PeerHubs::CredentialsFor(
                               [files = security::TlsFilesOf(config),
                                service = config.service](const std::string& region) {
                                 return security::MakeChannelCredentials(
                                     files, security::MachineUri({region, service}));
                               })
                         : nullptr);
  if (!peers.ok()) return peers.status();
  std::vector<std::string> england;
  for (const RegionRecord& region : refdata.regions()) england.push_back(region.code);
  FederationOptions options;
  options.deadline = absl::Milliseconds(config.federation_deadline_ms);
  options.cache.fresh = absl::Milliseconds(config.federation_fresh_ms);
  options.cache.stale_max = absl::Milliseconds(config.federation_stale_max_ms);
  options.cache.memory_entries = static_cast<size_t>(config.federation_memory_entries);
  return std::make_unique<Federation>(config.hub_region, england, *std::move(peers), cache,
                                      monitor, options);
}

Federation::Federation(std::string hub_region, const std::vector<std::string>& england,
                       std::unique_ptr<PeerHubs> peers, cache::Cache* cache,
                       DependencyMonitor* monitor, FederationOptions options)
    : hub_region_(std::move(hub_region)),
      options_(options),
      peers_(std::move(peers)),
      change_log_(options.log),
      answers_(cache, options.cache),
      feeds_(std::make_unique<ChangeFeeds>(peers_.get(), &answers_, monitor, options.feeds)),
      flights_(std::make_shared<FlightTable>()) {
  for (const std::string& region : england) {
    if (region != hub_region_) other_regions_.push_back(region);
  }
}

Federation::~Federation() { feeds_.reset(); }

std::vector<std::pair<RegionOutcome, std::optional<std::string>>> Federation::AskBytes(
    const std::vector<std::string>& regions, const std::optional<std::string>& cache_key,
    const StartBytesCall& start) {
  const absl::Time started = absl::Now();
  const absl::Time deadline = started + options_.deadline;
  std::vector<std::pair<RegionOutcome, std::optional<std::string>>> out(regions.size());
  std::vector<std::optional<PeerEntry>> cached(regions.size());
  if (cache_key.has_value()) {
    // Only regions with a peer can have been cached: the others cost no lookup.
    std::vector<std::string> asked;
    std::vector<size_t> positions;
    for (size_t i = 0; i < regions.size(); ++i) {
      if (peers_->Channel(regions[i]) == nullptr) continue;
      asked.push_back(regions[i]);
      positions.push_back(i);
    }
    std::vector<std::optional<PeerEntry>> found = answers_.Read(asked, *cache_key);
    for (size_t j = 0; j < positions.size(); ++j) cached[positions[j]] = std::move(found[j]);
  }

  // Falls back to a cached answer not older than stale_max, else reports the region missing.
  auto fall_back = [&](size_t i, RegionState missing, std::string reason) {
    RegionOutcome& outcome = out[i].first;
    outcome.reason = std::move(reason);
    if (cached[i].has_value() && absl::Now() - cached[i]->as_of <= options_.cache.stale_max) {
      outcome.state = RegionState::kStale;
      outcome.as_of = cached[i]->as_of;
      out[i].second = std::move(cached[i]->payload);
      return;
    }
    outcome.state = missing;
  };

  struct Waiting {
    size_t index;
    std::shared_ptr<Flight> flight;
    bool leader;
    uint64_t ticket;
  };
  std::vector<Waiting> waiting;
  for (size_t i = 0; i < regions.size(); ++i) {
    const std::string& region = regions[i];
    out[i].first.region = region;
    if (cached[i].has_value() && answers_.Trusted(region) &&
        started - cached[i]->as_of < options_.cache.fresh) {
      out[i].first.state = RegionState::kCached;
      out[i].first.as_of = cached[i]->as_of;
      out[i].second = std::move(cached[i]->payload);
      continue;
    }
    if (peers_->Channel(region) == nullptr) {
      fall_back(i, RegionState::kUnavailable,
                absl::StrCat("no peer hub is configured for region ", region));
      continue;
    }
    Waiting wait{i, nullptr, true, answers_.Ticket(region)};
    const std::string flight_key = absl::StrCat(region, "\n", cache_key.value_or(""));
    if (cache_key.has_value()) {
      absl::MutexLock lock(&flights_->mu);
      auto it = flights_->flights.find(flight_key);
      if (it != flights_->flights.end()) {
        wait.flight = it->second;
        wait.leader = false;
      } else {
        wait.flight = std::make_shared<Flight>();
        flights_->flights.emplace(flight_key, wait.flight);
      }
    } else {
      wait.flight = std::make_shared<Flight>();
    }
    if (wait.leader) {
      std::shared_ptr<Flight> flight = wait.flight;
      peers_->Prepare(region, deadline, &flight->context);
      std::shared_ptr<FlightTable> table = cache_key.has_value() ? flights_ : nullptr;
      start(region, &flight->context,
            [table, flight, flight_key](grpc::Status status, std::string payload) {
              if (table != nullptr) {
                absl::MutexLock lock(&table->mu);
                auto it = table->flights.find(flight_key);
                if (it != table->flights.end() && it->second == flight) table->flights.erase(it);
              }
              absl::MutexLock lock(&flight->mu);
              flight->status = std::move(status);
              flight->payload = std::move(payload);
              flight->as_of = absl::Now();
              flight->done = true;
            });
    }
    waiting.push_back(std::move(wait));
  }

  for (Waiting& wait : waiting) {
    Flight& flight = *wait.flight;
    const std::string& region = regions[wait.index];
    flight.mu.LockWhenWithDeadline(absl::Condition(&flight.done), deadline + kReportGrace);
    if (!flight.done) {
      flight.mu.Unlock();
      fall_back(wait.index, RegionState::kTimedOut, "no answer within the deadline");
      continue;
    }
    const grpc::Status status = flight.status;
    std::string payload = flight.payload;
    const absl::Time as_of = flight.as_of;
    flight.mu.Unlock();
    if (!status.ok()) {
      fall_back(wait.index,
                status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                    ? RegionState::kTimedOut
                    : RegionState::kUnavailable,
                Reason(status));
      continue;
    }
    if (wait.leader && cache_key.has_value()) {
      answers_.Write(region, *cache_key, PeerEntry{as_of, payload}, wait.ticket);
    }
    out[wait.index].first.state = RegionState::kFresh;
    out[wait.index].first.as_of = as_of;
    out[wait.index].second = std::move(payload);
  }
  return out;
}

}  // namespace slihub::federation
