// A DataCollectionConnection for unit tests: each call answers what the test set for its method
// and records the request and options it got. Unit tests only; integration tests use the real
// service. Thread-safe.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_CLIENT_TESTING_FAKE_DATACOLLECTION_CONNECTION_H_
#define SLIHUB_SERVICES_DATACOLLECTION_CLIENT_TESTING_FAKE_DATACOLLECTION_CONNECTION_H_

#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/datacollection/client/datacollection_connection.h"

namespace slihub::datacollection::testing {

// Until a test sets an answer, a call answers UNIMPLEMENTED naming the method.
class FakeDataCollectionConnection final : public DataCollectionConnection {
 public:
  void SetListCollections(absl::StatusOr<v1::ListCollectionsResponse> answer) {
    absl::MutexLock lock(&mu_);
    collections_ = std::move(answer);
  }
  void SetListCollectionPeriods(absl::StatusOr<v1::ListCollectionPeriodsResponse> answer) {
    absl::MutexLock lock(&mu_);
    periods_ = std::move(answer);
  }
  void SetGetBenchmark(absl::StatusOr<v1::GetBenchmarkResponse> answer) {
    absl::MutexLock lock(&mu_);
    benchmark_ = std::move(answer);
  }

  // The GetBenchmark requests received, oldest first.
  std::vector<v1::GetBenchmarkRequest> benchmark_requests() const {
    absl::MutexLock lock(&mu_);
    return benchmark_requests_;
  }
  // The options of every call received, oldest first.
  std::vector<CallOptions> options() const {
    absl::MutexLock lock(&mu_);
    return options_;
  }

  absl::StatusOr<v1::ListCollectionsResponse> ListCollections(
      const v1::ListCollectionsRequest&, const CallOptions& options) override {
    absl::MutexLock lock(&mu_);
    options_.push_back(options);
    return collections_;
  }
  absl::StatusOr<v1::ListCollectionPeriodsResponse> ListCollectionPeriods(
      const v1::ListCollectionPeriodsRequest&, const CallOptions& options) override {
    absl::MutexLock lock(&mu_);
    options_.push_back(options);
    return periods_;
  }
  absl::StatusOr<v1::GetBenchmarkResponse> GetBenchmark(const v1::GetBenchmarkRequest& request,
                                                        const CallOptions& options) override {
    absl::MutexLock lock(&mu_);
    options_.push_back(options);
    benchmark_requests_.push_back(request);
    return benchmark_;
  }

 private:
  mutable absl::Mutex mu_;
  absl::StatusOr<v1::ListCollectionsResponse> collections_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("fake: no ListCollections answer set");
  absl::StatusOr<v1::ListCollectionPeriodsResponse> periods_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("fake: no ListCollectionPeriods answer set");
  absl::StatusOr<v1::GetBenchmarkResponse> benchmark_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("fake: no GetBenchmark answer set");
  std::vector<v1::GetBenchmarkRequest> benchmark_requests_ ABSL_GUARDED_BY(mu_);
  std::vector<CallOptions> options_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::datacollection::testing

#endif  // SLIHUB_SERVICES_DATACOLLECTION_CLIENT_TESTING_FAKE_DATACOLLECTION_CONNECTION_H_
