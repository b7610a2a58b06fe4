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
#include "services/workforce/client/workforce_hub_connection.h"

namespace slihub::workforce::testing {

class FakeWorkforceHubConnection final : public WorkforceHubConnection {
 public:
  // `region` answers LookupWorkerFacts with `reply` in state `state` (FRESH, CACHED or STALE).
  void SetWorkerFacts(const std::string& region, v1::LookupWorkerFactsResponse reply,
                      federation::RegionState state = federation::RegionState::kFresh) {
    absl::MutexLock lock(&mu_);
    facts_[region] = Answer(region, state, std::move(reply));
  }
  // `region` answers LookupComplianceSummary with `reply` in state `state`.
  void SetComplianceSummary(const std::string& region, v1::LookupComplianceSummaryResponse reply,
                            federation::RegionState state = federation::RegionState::kFresh) {
    absl::MutexLock lock(&mu_);
    summaries_[region] = Answer(region, state, std::move(reply));
  }
  // `region` fails every lookup with `state` (UNAVAILABLE or TIMED_OUT) and `reason`.
  void SetFailure(const std::string& region, federation::RegionState state,
                  const std::string& reason) {
    absl::MutexLock lock(&mu_);
    federation::RegionOutcome outcome;
    outcome.region = region;
    outcome.state = state;
    outcome.reason = reason;
    failures_[region] = outcome;
    facts_.erase(region);
    summaries_.erase(region);
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
    return Parts(regions, facts_);
  }
  std::vector<federation::RegionReply<v1::LookupComplianceSummaryResponse>>
  LookupComplianceSummary(const std::vector<std::string>& regions, absl::CivilDay first,
                          absl::CivilDay last) override {
    absl::MutexLock lock(&mu_);
    summaries_asked_.push_back(ComplianceSummaryKey(first, last));
    return Parts(regions, summaries_);
  }

 private:
  template <typename Reply>
  static federation::RegionReply<Reply> Answer(const std::string& region,
                                               federation::RegionState state, Reply reply) {
    federation::RegionReply<Reply> part;
    part.outcome.region = region;
    part.outcome.state = state;
    part.outcome.as_of = absl::Now();
    if (state == federation::RegionState::kStale) part.outcome.reason = "fake: stale";
    part.reply = std::move(reply);
    return part;
  }
  template <typename Reply>
  std::vector<federation::RegionReply<Reply>> Parts(
      const std::vector<std::string>& regions,
      const std::map<std::string, federation::RegionReply<Reply>>& set) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<federation::RegionReply<Reply>> out;
    for (const std::string& region : regions) {
      auto answer = set.find(region);
      if (answer != set.end()) {
        out.push_back(answer->second);
        continue;
      }
      federation::RegionReply<Reply> part;
      auto failure = failures_.find(region);
      if (failure != failures_.end()) {
        part.outcome = failure->second;
      } else {
        part.outcome.region = region;
        part.outcome.state = federation::RegionState::kUnavailable;
        part.outcome.reason = absl::StrCat("fake: no answer set for ", region);
      }
      out.push_back(std::move(part));
    }
    return out;
  }

  mutable absl::Mutex mu_;
  std::map<std::string, federation::RegionReply<v1::LookupWorkerFactsResponse>> facts_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, federation::RegionReply<v1::LookupComplianceSummaryResponse>> summaries_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, federation::RegionOutcome> failures_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> facts_asked_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> summaries_asked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::workforce::testing

#endif  // SLIHUB_SERVICES_WORKFORCE_CLIENT_TESTING_FAKE_WORKFORCE_HUB_CONNECTION_H_
