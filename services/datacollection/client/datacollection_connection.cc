#include "services/datacollection/client/datacollection_connection.h"

#include <utility>

#include "common/errors/grpc_status.h"
#include "common/server/peer_clients.h"
#include "grpcpp/client_context.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::datacollection {
namespace {

// Answers every call with why it cannot be made.
class UnconfiguredConnection final : public DataCollectionConnection {
 public:
  absl::StatusOr<v1::ListCollectionsResponse> ListCollections(
      const v1::ListCollectionsRequest&, const CallOptions&) override {
    return Missing();
  }
  absl::StatusOr<v1::ListCollectionPeriodsResponse> ListCollectionPeriods(
      const v1::ListCollectionPeriodsRequest&, const CallOptions&) override {
    return Missing();
  }
  absl::StatusOr<v1::GetBenchmarkResponse> GetBenchmark(const v1::GetBenchmarkRequest&,
                                                        const CallOptions&) override {
    return Missing();
  }

 private:
  static absl::Status Missing() {
    return absl::FailedPreconditionError(
        "the data collection service is not configured (--service-endpoint datacollection=...)");
  }
};

// One generated stub over the configured channel; a ClientContext per call.
class GrpcConnection final : public DataCollectionConnection {
 public:
  GrpcConnection(const PeerClients& peers, std::shared_ptr<grpc::Channel> channel)
      : peers_(peers), stub_(v1::DataCollectionService::NewStub(std::move(channel))) {}

  absl::StatusOr<v1::ListCollectionsResponse> ListCollections(
      const v1::ListCollectionsRequest& request, const CallOptions& options) override {
    return Call<v1::ListCollectionsResponse>(
        options, [&](grpc::ClientContext* ctx, v1::ListCollectionsResponse* response) {
          return stub_->ListCollections(ctx, request, response);
        });
  }
  absl::StatusOr<v1::ListCollectionPeriodsResponse> ListCollectionPeriods(
      const v1::ListCollectionPeriodsRequest& request, const CallOptions& options) override {
    return Call<v1::ListCollectionPeriodsResponse>(
        options, [&](grpc::ClientContext* ctx, v1::ListCollectionPeriodsResponse* response) {
          return stub_->ListCollectionPeriods(ctx, request, response);
        });
  }
  absl::StatusOr<v1::GetBenchmarkResponse> GetBenchmark(const v1::GetBenchmarkRequest& request,
                                                        const CallOptions& options) override {
    return Call<v1::GetBenchmarkResponse>(
        options, [&](grpc::ClientContext* ctx, v1::GetBenchmarkResponse* response) {
          return stub_->GetBenchmark(ctx, request, response);
        });
  }

 private:
  // Runs `invoke` with a context carrying the deadline and the service token.
  template <typename Response, typename Invoke>
  absl::StatusOr<Response> Call(const CallOptions& options, Invoke invoke) {
    grpc::ClientContext context;
    peers_.Prepare(&context, options.deadline > absl::ZeroDuration() ? options.deadline
                                                                     : peers_.deadline());
    Response response;
    absl::Status status = FromGrpcStatus(invoke(&context, &response));
    if (!status.ok()) return status;
    return response;
  }

  const PeerClients& peers_;
  std::unique_ptr<v1::DataCollectionService::Stub> stub_;
};

}  // namespace

std::shared_ptr<DataCollectionConnection> MakeDataCollectionConnection(const PeerClients& peers) {
  std::shared_ptr<grpc::Channel> channel = peers.Channel("datacollection");
  if (channel == nullptr) return std::make_shared<UnconfiguredConnection>();
  return std::make_shared<GrpcConnection>(peers, std::move(channel));
}

}  // namespace slihub::datacollection
