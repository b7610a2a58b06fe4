// Typed calls into DataCollectionService from another slihub service (or, later, another hub),
// in the google-cloud-cpp layering:
//
//   DataCollectionClient      what callers hold: a value type forwarding to a connection
//     -> DataCollectionConnection   the interface callers are tested against (a fake in tests)
//       -> gRPC stub               MakeDataCollectionConnection: deadline + service token per call
//
// Every call blocks until the answer or the deadline: call it from a worker thread (the body of a
// HandleUnary method with may_block), never from a gRPC reaction thread. Answers are
// absl::StatusOr of the response messages; a gRPC failure arrives as its absl::Status with the
// server's details kept (field violations, ErrorInfo).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_CLIENT_DATACOLLECTION_CONNECTION_H_
#define SLIHUB_SERVICES_DATACOLLECTION_CLIENT_DATACOLLECTION_CONNECTION_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"

namespace slihub {
class PeerClients;
}  // namespace slihub

namespace slihub::datacollection {

// Per-call options. `deadline` is how long one call may take, from when it starts; zero means the
// connection's default (the server's --peer-deadline-ms).
struct CallOptions {
  absl::Duration deadline = absl::ZeroDuration();
};

// The calls of DataCollectionService that other services make. Implementations are thread-safe:
// one connection serves every caller of a process.
class DataCollectionConnection {
 public:
  virtual ~DataCollectionConnection() = default;

  // The region's collections (ListCollections).
  virtual absl::StatusOr<v1::ListCollectionsResponse> ListCollections(
      const v1::ListCollectionsRequest& request, const CallOptions& options) = 0;
  // A collection's periods, latest start first (ListCollectionPeriods).
  virtual absl::StatusOr<v1::ListCollectionPeriodsResponse> ListCollectionPeriods(
      const v1::ListCollectionPeriodsRequest& request, const CallOptions& options) = 0;
  // The benchmark ("tartan rug") of a period (GetBenchmark).
  virtual absl::StatusOr<v1::GetBenchmarkResponse> GetBenchmark(
      const v1::GetBenchmarkRequest& request, const CallOptions& options) = 0;
};

// The gRPC connection over `peers`' channel to "datacollection": each call carries the deadline
// (options.deadline, or peers.deadline() when zero) and the hub's service token. When no
// endpoint is configured, every call answers FAILED_PRECONDITION naming the missing
// --service-endpoint. `peers` must outlive the connection.
std::shared_ptr<DataCollectionConnection> MakeDataCollectionConnection(const PeerClients& peers);

// What callers hold: cheap to copy, thread-safe, forwarding each call to its connection with the
// client's default options unless the call names its own.
class DataCollectionClient {
 public:
  explicit DataCollectionClient(std::shared_ptr<DataCollectionConnection> connection,
                                CallOptions defaults = {})
      : connection_(std::move(connection)), defaults_(defaults) {}

  absl::StatusOr<v1::ListCollectionsResponse> ListCollections(
      const v1::ListCollectionsRequest& request) const {
    return connection_->ListCollections(request, defaults_);
  }
  absl::StatusOr<v1::ListCollectionPeriodsResponse> ListCollectionPeriods(
      const v1::ListCollectionPeriodsRequest& request) const {
    return connection_->ListCollectionPeriods(request, defaults_);
  }
  absl::StatusOr<v1::GetBenchmarkResponse> GetBenchmark(
      const v1::GetBenchmarkRequest& request) const {
    return connection_->GetBenchmark(request, defaults_);
  }

 private:
  std::shared_ptr<DataCollectionConnection> connection_;
  CallOptions defaults_;
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_CLIENT_DATACOLLECTION_CONNECTION_H_
