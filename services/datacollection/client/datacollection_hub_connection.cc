#include "services/datacollection/client/datacollection_hub_connection.h"

#include <functional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/federation/change_log.h"
#include "common/federation/peer_stubs.h"
#include "services/datacollection/store/repository.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::datacollection {
namespace {

class GrpcHubConnection final : public DataCollectionHubConnection {
 public:
  explicit GrpcHubConnection(federation::Federation* federation)
      : federation_(federation), stubs_(federation->peers()) {}

  std::vector<federation::RegionReply<v1::GetPublishedAggregatesResponse>> GetPublishedAggregates(
      const std::vector<std::string>& regions, const std::string& period_id) override {
    auto request = std::make_shared<v1::GetPublishedAggregatesRequest>();
    request->set_period_id(period_id);  // every indicator: one cached answer per period
    const federation::PeerStubs<v1::DataCollectionService>* stubs = &stubs_;
    federation::StartCall<v1::GetPublishedAggregatesResponse> start =
        [stubs, request](const std::string& region, grpc::ClientContext* context,
                         v1::GetPublishedAggregatesResponse* reply,
                         std::function<void(grpc::Status)> done) {
          v1::DataCollectionService::Stub* stub = stubs->For(region);
          if (stub == nullptr) {
            done(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              absl::StrCat("no peer hub is configured for ", region)));
            return;
          }
          stub->async()->GetPublishedAggregates(
              context, request.get(), reply,
              [request, done = std::move(done)](grpc::Status status) { done(status); });
        };
    return federation_->Ask<v1::GetPublishedAggregatesResponse>(
        regions, federation::FeedKey(repository::kPublishedChannel, period_id), start);
  }

 private:
  federation::Federation* federation_;
  federation::PeerStubs<v1::DataCollectionService> stubs_;
};

}  // namespace

std::shared_ptr<DataCollectionHubConnection> MakeDataCollectionHubConnection(
    federation::Federation* federation) {
  return std::make_shared<GrpcHubConnection>(federation);
}

}  // namespace slihub::datacollection
