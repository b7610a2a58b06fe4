// A PlacementHubConnection for unit tests: forwarded writes answer what the test set and record
// (region, request); WatchVacancies hands out the streams the test queued per region, whose
// messages and end the test feeds. Unit tests only; integration tests use real hubs. Thread-safe.
#ifndef SLIHUB_SERVICES_PLACEMENT_CLIENT_TESTING_FAKE_PLACEMENT_HUB_CONNECTION_H_
#define SLIHUB_SERVICES_PLACEMENT_CLIENT_TESTING_FAKE_PLACEMENT_HUB_CONNECTION_H_

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/placement/client/placement_hub_connection.h"

namespace slihub::placement::testing {

// A stream's shared state: the test pushes messages and ends it; the follower reads them.
class FakeVacancyStreamState {
 public:
  void Push(v1::WatchVacanciesResponse message) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(message));
  }
  // Ends the stream with `status` once the queued messages are read.
  void End(absl::Status status) {
    absl::MutexLock lock(&mu_);
    ended_ = true;
    status_ = std::move(status);
  }
  bool cancelled() const {
    absl::MutexLock lock(&mu_);
    return cancelled_;
  }
  // The request the stream was opened with (set when handed out).
  v1::WatchVacanciesRequest request() const {
    absl::MutexLock lock(&mu_);
    return request_;
  }
  // Blocks until `n` messages have been read or `timeout` passes; true when they have.
  bool AwaitRead(size_t n, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto done = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return read_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&done), timeout);
  }

  bool Read(v1::WatchVacanciesResponse* message) {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !queue_.empty() || ended_ || cancelled_;
    };
    mu_.Await(absl::Condition(&ready));
    if (cancelled_ || queue_.empty()) return false;
    *message = std::move(queue_.front());
    queue_.pop_front();
    ++read_;
    return true;
  }
  absl::Status Finish() {
    absl::MutexLock lock(&mu_);
    return cancelled_ ? absl::CancelledError("fake: cancelled") : status_;
  }
  void Cancel() {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
  }
  void set_request(v1::WatchVacanciesRequest request) {
    absl::MutexLock lock(&mu_);
    request_ = std::move(request);
  }

 private:
  mutable absl::Mutex mu_;
  std::deque<v1::WatchVacanciesResponse> queue_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  size_t read_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  v1::WatchVacanciesRequest request_ ABSL_GUARDED_BY(mu_);
};

// Until a test sets an answer, a forwarded write answers UNIMPLEMENTED naming the method; a
// region with no queued stream gets one that ends at once with UNAVAILABLE.
class FakePlacementHubConnection final : public PlacementHubConnection {
 public:
  explicit FakePlacementHubConnection(std::vector<std::string> regions = {})
      : regions_(std::move(regions)) {}

  void SetHoldVacancy(absl::StatusOr<v1::HoldVacancyResponse> answer) {
    absl::MutexLock lock(&mu_);
    hold_ = std::move(answer);
  }
  void SetReleaseHold(absl::StatusOr<v1::ReleaseHoldResponse> answer) {
    absl::MutexLock lock(&mu_);
    release_ = std::move(answer);
  }
  void SetConfirmPlacement(absl::StatusOr<v1::ConfirmPlacementResponse> answer) {
    absl::MutexLock lock(&mu_);
    confirm_ = std::move(answer);
  }
  // The stream the next WatchVacancies(region) hands out.
  std::shared_ptr<FakeVacancyStreamState> QueueStream(const std::string& region) {
    auto state = std::make_shared<FakeVacancyStreamState>();
    absl::MutexLock lock(&mu_);
    streams_[region].push_back(state);
    return state;
  }

  std::vector<std::pair<std::string, v1::HoldVacancyRequest>> holds() const {
    absl::MutexLock lock(&mu_);
    return hold_requests_;
  }
  std::vector<std::pair<std::string, v1::ReleaseHoldRequest>> releases() const {
    absl::MutexLock lock(&mu_);
    return release_requests_;
  }
  std::vector<std::pair<std::string, v1::ConfirmPlacementRequest>> confirms() const {
    absl::MutexLock lock(&mu_);
    return confirm_requests_;
  }
  // How many streams each region has been asked for.
  int streams_opened(const std::string& region) const {
    absl::MutexLock lock(&mu_);
    auto it = opened_.find(region);
    return it == opened_.end() ? 0 : it->second;
  }

  std::vector<std::string> Regions() const override { return regions_; }
  absl::StatusOr<v1::HoldVacancyResponse> HoldVacancy(
      const std::string& region, const v1::HoldVacancyRequest& request) override {
    absl::MutexLock lock(&mu_);
    hold_requests_.emplace_back(region, request);
    return hold_;
  }
  absl::StatusOr<v1::ReleaseHoldResponse> ReleaseHold(
      const std::string& region, const v1::ReleaseHoldRequest& request) override {
    absl::MutexLock lock(&mu_);
    release_requests_.emplace_back(region, request);
    return release_;
  }
  absl::StatusOr<v1::ConfirmPlacementResponse> ConfirmPlacement(
      const std::string& region, const v1::ConfirmPlacementRequest& request) override {
    absl::MutexLock lock(&mu_);
    confirm_requests_.emplace_back(region, request);
    return confirm_;
  }
  std::unique_ptr<VacancyStream> WatchVacancies(const std::string& region,
                                                const v1::WatchVacanciesRequest& request) override {
    std::shared_ptr<FakeVacancyStreamState> state;
    {
      absl::MutexLock lock(&mu_);
      ++opened_[region];
      auto& queued = streams_[region];
      if (!queued.empty()) {
        state = queued.front();
        queued.pop_front();
      }
    }
    if (state == nullptr) {
      state = std::make_shared<FakeVacancyStreamState>();
      state->End(absl::UnavailableError("fake: no stream queued for region " + region));
    }
    state->set_request(request);
    return std::make_unique<Stream>(std::move(state));
  }

 private:
  class Stream final : public VacancyStream {
   public:
    explicit Stream(std::shared_ptr<FakeVacancyStreamState> state) : state_(std::move(state)) {}
    bool Read(v1::WatchVacanciesResponse* message) override { return state_->Read(message); }
    absl::Status Finish() override { return state_->Finish(); }
    void Cancel() override { state_->Cancel(); }

   private:
    std::shared_ptr<FakeVacancyStreamState> state_;
  };

  const std::vector<std::string> regions_;
  mutable absl::Mutex mu_;
  absl::StatusOr<v1::HoldVacancyResponse> hold_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("fake: no HoldVacancy answer set");
  absl::StatusOr<v1::ReleaseHoldResponse> release_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("fake: no ReleaseHold answer set");
  absl::StatusOr<v1::ConfirmPlacementResponse> confirm_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("fake: no ConfirmPlacement answer set");
  std::vector<std::pair<std::string, v1::HoldVacancyRequest>> hold_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, v1::ReleaseHoldRequest>> release_requests_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, v1::ConfirmPlacementRequest>> confirm_requests_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::deque<std::shared_ptr<FakeVacancyStreamState>>> streams_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> opened_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::placement::testing

#endif  // SLIHUB_SERVICES_PLACEMENT_CLIENT_TESTING_FAKE_PLACEMENT_HUB_CONNECTION_H_
