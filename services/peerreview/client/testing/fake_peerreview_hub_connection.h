// A PeerReviewHubConnection for unit tests: each region answers what the test set for it (a reply
// with an outcome), a region without an answer is UNAVAILABLE, and every call's regions are
// recorded. Unit tests only; integration tests run real hubs. Thread-safe.
#ifndef SLIHUB_SERVICES_PEERREVIEW_CLIENT_TESTING_FAKE_PEERREVIEW_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_PEERREVIEW_CLIENT_TESTING_FAKE_PEERREVIEW_HUB_CONNECTION_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/federation/testing/scripted_regions.h"
#include "services/peerreview/client/peerreview_hub_connection.h"

namespace slihub::peerreview::testing {

class FakePeerReviewHubConnection final : public PeerReviewHubConnection {
 public:
  // `region` answers `reply` (nullopt: no reply) with `outcome` (its region is set to `region`).
  void SetDirectory(const std::string& region, federation::RegionOutcome outcome,
                    std::optional<v1::ListReviewerDirectoryResponse> reply) {
    absl::MutexLock lock(&mu_);
    answers_.Set(region, std::move(outcome), std::move(reply));
  }

  // The regions of every call, oldest first.
  std::vector<std::vector<std::string>> asked() const {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

  std::vector<federation::RegionReply<v1::ListReviewerDirectoryResponse>> ListReviewerDirectory(
      const std::vector<std::string>& regions) override {
    absl::MutexLock lock(&mu_);
    asked_.push_back(regions);
    return answers_.Answer(regions);
  }

 private:
  mutable absl::Mutex mu_;
  federation::testing::ScriptedRegions<v1::ListReviewerDirectoryResponse> answers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<std::string>> asked_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::peerreview::testing

#endif  // SLIHUB_SERVICES_PEERREVIEW_CLIENT_TESTING_FAKE_PEERREVIEW_HUB_CONNECTION_H_
