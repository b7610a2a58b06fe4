// A WorkforceHubConnection for unit tests: each region answers what the test set for it (a reply
// with its outcome, or a failure), and every lookup is recorded. Regions the test set nothing for
// come back UNAVAILABLE ("fake: no answer set for <region>"). Unit tests only; integration tests
// run real hubs. Thread-safe.
#ifndef SLIHUB_SERVICES_WORKFORCE_CLIENT_TESTING_FAKE_WORKFORCE_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_WORKFORCE_CLIENT_TESTING_FAKE_WORKFORCE_HUB_CONNECTION_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/federation/testing/scripted_regions.h"
#include "services/workforce/client/workforce_hub_connection.h"

namespace slihub::workforce::testing {

class FakeWorkforceHubConnection final : public WorkforceHubConnection {
 public:
  // `region` answers LookupWorkerFacts with `reply` in state `state` (FRESH, CACHED or STALE).
  void SetWorkerFacts(const std::string& region, v1::LookupWorkerFactsResponse reply,
                      federation::RegionState state = federation::RegionState::kFresh) {
    absl::MutexLock lock(&mu_);
    facts_.SetReply(region, std::move(reply), state);
  }
  // `region` answers LookupComplianceSummary with `reply` in state `state`.
  void SetComplianceSummary(const std::string& region, v1::LookupComplianceSummaryResponse reply,
                            federation::RegionState state = federation::RegionState::kFresh) {
    absl::MutexLock lock(&mu_);
    summaries_.SetReply(region, std::move(reply), state);
  }
  // `region` fails every lookup with `state` (UNAVAILABLE or TIMED_OUT) and `reason`.
  void SetFailure(const std::string& region, federation::RegionState state,
                  const std::string& reason) {
    absl::MutexLock lock(&mu_);
    facts_.SetFailure(region, state, reason);
    summaries_.SetFailure(region, state, reason);
  }

  // The SWE numbers asked for, oldest first.
  std::vector<std::string> facts_asked() const {
    absl::MutexLock lock(&mu_);
    return facts_asked_;
  }
  // The periods asked for, as ComplianceSummaryKey, oldest first.
  std::vector<std::string> summaries_asked() const {
    absl::MutexLock lock(&mu_);
    return summaries_asked_;
  }

  std::vector<federation::RegionReply<v1::LookupWorkerFactsResponse>> LookupWorkerFacts(
      const std::vector<std::string>& regions, const std::string& swe_number) override {
    absl::MutexLock lock(&mu_);
    facts_asked_.push_back(swe_number);
    return facts_.Answer(regions);
  }
  std::vector<federation::RegionReply<v1::LookupComplianceSummaryResponse>>
  LookupComplianceSummary(const std::vector<std::string>& regions, absl::CivilDay first,
                          absl::CivilDay last) override {
    absl::MutexLock lock(&mu_);
    summaries_asked_.push_back(ComplianceSummaryKey(first, last));
    return summaries_.Answer(regions);
  }

 private:
  mutable absl::Mutex mu_;
  federation::testing::ScriptedRegions<v1::LookupWorkerFactsResponse> facts_ ABSL_GUARDED_BY(mu_);
  federation::testing::ScriptedRegions<v1::LookupComplianceSummaryResponse> summaries_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::string> facts_asked_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> summaries_asked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::workforce::testing

#endif  // SLIHUB_SERVICES_WORKFORCE_CLIENT_TESTING_FAKE_WORKFORCE_HUB_CONNECTION_H_
