// A DataCollectionHubConnection for unit tests: each region answers what the test set for it
// (a reply with an outcome), a region without an answer is UNAVAILABLE, and every call's regions
// and period are recorded. Unit tests only; integration tests run real hubs. Thread-safe.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_CLIENT_TESTING_FAKE_DATACOLLECTION_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_DATACOLLECTION_CLIENT_TESTING_FAKE_DATACOLLECTION_HUB_CONNECTION_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/federation/testing/scripted_regions.h"
#include "services/datacollection/client/datacollection_hub_connection.h"

namespace slihub::datacollection::testing {

class FakeDataCollectionHubConnection final : public DataCollectionHubConnection {
 public:
  // What one call made with the fake asked.
  struct Asked {
    std::vector<std::string> regions;
    std::string period_id;
  };

  // `region` answers `reply` (nullopt: no reply) with `outcome` (its region is set to `region`).
  void SetAggregates(const std::string& region, federation::RegionOutcome outcome,
                     std::optional<v1::GetPublishedAggregatesResponse> reply) {
    absl::MutexLock lock(&mu_);
    answers_.Set(region, std::move(outcome), std::move(reply));
  }

  std::vector<Asked> asked() const {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

  std::vector<federation::RegionReply<v1::GetPublishedAggregatesResponse>> GetPublishedAggregates(
      const std::vector<std::string>& regions, const std::string& period_id) override {
    absl::MutexLock lock(&mu_);
    asked_.push_back({regions, period_id});
    return answers_.Answer(regions);
  }

 private:
  mutable absl::Mutex mu_;
  federation::testing::ScriptedRegions<v1::GetPublishedAggregatesResponse> answers_ ABSL_GUARDED_BY(mu_);
  std::vector<Asked> asked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::datacollection::testing

#endif  // SLIHUB_SERVICES_DATACOLLECTION_CLIENT_TESTING_FAKE_DATACOLLECTION_HUB_CONNECTION_H_
