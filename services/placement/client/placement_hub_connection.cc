#include "services/placement/client/placement_hub_connection.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/federation/federation.h"
#include "common/federation/peer_stubs.h"
#include "grpcpp/client_context.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"

namespace slihub::placement {

absl::Status RegionUnavailable(absl::string_view region, absl::string_view why) {
  absl::Status s = absl::UnavailableError(absl::StrCat("region ", region, ": ", why));
  SetErrorInfo(s, "REGION_UNAVAILABLE");
  return s;
}

namespace {

// A stream that never opened: ends at once with `status`.
class EndedStream final : public VacancyStream {
 public:
  explicit EndedStream(absl::Status status) : status_(std::move(status)) {}
  bool Read(v1::WatchVacanciesResponse*) override { return false; }
  absl::Status Finish() override { return status_; }
  void Cancel() override {}

 private:
  absl::Status status_;
};

// A WatchVacancies call: its context (cancelled by Cancel) and reader.
class GrpcVacancyStream final : public VacancyStream {
 public:
  GrpcVacancyStream(const federation::PeerHubs& peers, v1::PlacementService::Stub* stub,
                    const std::string& region, const v1::WatchVacanciesRequest& request) {
    peers.Prepare(region, absl::Now() + absl::Hours(24 * 365), &context_);
    reader_ = stub->WatchVacancies(&context_, request);
  }
  bool Read(v1::WatchVacanciesResponse* message) override { return reader_->Read(message); }
  absl::Status Finish() override { return FromGrpcStatus(reader_->Finish()); }
  void Cancel() override { context_.TryCancel(); }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchVacanciesResponse>> reader_;
};

class GrpcPlacementHubConnection final : public PlacementHubConnection {
 public:
  GrpcPlacementHubConnection(federation::Federation* federation, absl::Duration min_write_deadline)
      : federation_(federation),
        stubs_(federation->peers()),
        write_deadline_(std::max(federation->options().deadline, min_write_deadline)) {}

  std::vector<std::string> Regions() const override { return federation_->peers().Regions(); }

  absl::StatusOr<v1::HoldVacancyResponse> HoldVacancy(
      const std::string& region, const v1::HoldVacancyRequest& request) override {
    return Forward<v1::HoldVacancyResponse>(
        region, "the hold", [&](v1::PlacementService::Stub* stub, grpc::ClientContext* ctx,
                                v1::HoldVacancyResponse* reply) {
          return stub->HoldVacancy(ctx, request, reply);
        });
  }
  absl::StatusOr<v1::ReleaseHoldResponse> ReleaseHold(
      const std::string& region, const v1::ReleaseHoldRequest& request) override {
    return Forward<v1::ReleaseHoldResponse>(
        region, "the release", [&](v1::PlacementService::Stub* stub, grpc::ClientContext* ctx,
                                   v1::ReleaseHoldResponse* reply) {
          return stub->ReleaseHold(ctx, request, reply);
        });
  }
  absl::StatusOr<v1::ConfirmPlacementResponse> ConfirmPlacement(
      const std::string& region, const v1::ConfirmPlacementRequest& request) override {
    return Forward<v1::ConfirmPlacementResponse>(
        region, "the confirmation", [&](v1::PlacementService::Stub* stub,
                                        grpc::ClientContext* ctx,
                                        v1::ConfirmPlacementResponse* reply) {
          return stub->ConfirmPlacement(ctx, request, reply);
        });
  }
  std::unique_ptr<VacancyStream> WatchVacancies(const std::string& region,
                                                const v1::WatchVacanciesRequest& request) override {
    v1::PlacementService::Stub* stub = stubs_.For(region);
    if (stub == nullptr) {
      return std::make_unique<EndedStream>(
          RegionUnavailable(region, "no peer hub is configured"));
    }
    return std::make_unique<GrpcVacancyStream>(federation_->peers(), stub, region, request);
  }

 private:
  // One forwarded write: this hub's token, the write deadline; the owner's answer as it gave it,
  // RegionUnavailable when it has no peer or did not answer.
  template <typename Reply, typename Invoke>
  absl::StatusOr<Reply> Forward(const std::string& region, absl::string_view what, Invoke invoke) {
    v1::PlacementService::Stub* stub = stubs_.For(region);
    if (stub == nullptr) {
      return RegionUnavailable(region, absl::StrCat("no peer hub is configured: ", what,
                                                    " cannot be asked of its owner"));
    }
    grpc::ClientContext context;
    federation_->peers().Prepare(region, absl::Now() + write_deadline_, &context);
    Reply reply;
    const grpc::Status status = invoke(stub, &context, &reply);
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      return RegionUnavailable(region, absl::StrCat("the owning hub did not answer ", what, ": ",
                                                    status.error_message()));
    }
    if (!status.ok()) return FromGrpcStatus(status);
    return reply;
  }

  federation::Federation* const federation_;
  const federation::PeerStubs<v1::PlacementService> stubs_;
  const absl::Duration write_deadline_;
};

}  // namespace

std::shared_ptr<PlacementHubConnection> MakePlacementHubConnection(
    federation::Federation* federation, absl::Duration min_write_deadline) {
  return std::make_shared<GrpcPlacementHubConnection>(federation, min_write_deadline);
}

}  // namespace slihub::placement
