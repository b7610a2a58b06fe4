#include "services/peerreview/client/peerreview_hub_connection.h"

#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/federation/change_log.h"
#include "common/federation/peer_stubs.h"
#include "services/peerreview/store/peerreview_store.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"

namespace slihub::peerreview {
namespace {

class GrpcHubConnection final : public PeerReviewHubConnection {
 public:
  explicit GrpcHubConnection(federation::Federation* federation)
      : federation_(federation), stubs_(federation->peers()) {}

  std::vector<federation::RegionReply<v1::ListReviewerDirectoryResponse>> ListReviewerDirectory(
      const std::vector<std::string>& regions) override {
    auto request = std::make_shared<v1::ListReviewerDirectoryRequest>();  // the current cycle
    const federation::PeerStubs<v1::PeerReviewService>* stubs = &stubs_;
    federation::StartCall<v1::ListReviewerDirectoryResponse> start =
        [stubs, request](const std::string& region, grpc::ClientContext* context,
                         v1::ListReviewerDirectoryResponse* reply,
                         std::function<void(grpc::Status)> done) {
          v1::PeerReviewService::Stub* stub = stubs->For(region);
          if (stub == nullptr) {
            done(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              absl::StrCat("no peer hub is configured for ", region)));
            return;
          }
          stub->async()->ListReviewerDirectory(
              context, request.get(), reply,
              [request, done = std::move(done)](grpc::Status status) { done(status); });
        };
    return federation_->Ask<v1::ListReviewerDirectoryResponse>(
        regions, federation::FeedKey(kDirectoryChannel, kDirectoryKey), start);
  }

 private:
  federation::Federation* federation_;
  federation::PeerStubs<v1::PeerReviewService> stubs_;
};

}  // namespace

std::shared_ptr<PeerReviewHubConnection> MakePeerReviewHubConnection(
    federation::Federation* federation) {
  return std::make_shared<GrpcHubConnection>(federation);
}

}  // namespace slihub::peerreview
