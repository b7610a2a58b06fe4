#include "services/workforce/client/workforce_hub_connection.h"

#include <functional>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/federation/change_log.h"
#include "common/federation/peer_stubs.h"
#include "services/workforce/store/workforce_store.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"

namespace slihub::workforce {
namespace {

// Starts `Method` of `region`'s stub with a request made by `fill`, kept alive until done.
template <typename Request, typename Reply, typename Method>
federation::StartCall<Reply> Starter(const federation::PeerStubs<v1::WorkforceService>* stubs,
                                     std::function<void(Request*)> fill, Method method) {
  return [stubs, fill = std::move(fill), method](const std::string& region,
                                                 grpc::ClientContext* context, Reply* reply,
                                                 std::function<void(grpc::Status)> done) {
    v1::WorkforceService::Stub* stub = stubs->For(region);
    if (stub == nullptr) {
      done(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        absl::StrCat("no peer hub is configured for ", region)));
      return;
    }
    auto request = std::make_shared<Request>();
    fill(request.get());
    (stub->async()->*method)(context, request.get(), reply,
                             [request, done = std::move(done)](grpc::Status status) {
                               done(std::move(status));
                             });
  };
}

class GrpcWorkforceHubConnection final : public WorkforceHubConnection {
 public:
  explicit GrpcWorkforceHubConnection(federation::Federation* federation)
      : federation_(federation), stubs_(federation->peers()) {}

  std::vector<federation::RegionReply<v1::LookupWorkerFactsResponse>> LookupWorkerFacts(
      const std::vector<std::string>& regions, const std::string& swe_number) override {
    using Async = v1::WorkforceService::Stub::async_interface;
    void (Async::*method)(grpc::ClientContext*, const v1::LookupWorkerFactsRequest*,
                          v1::LookupWorkerFactsResponse*, std::function<void(grpc::Status)>) =
        &Async::LookupWorkerFacts;
    return federation_->Ask<v1::LookupWorkerFactsResponse>(
        regions, federation::FeedKey(kWorkerHistoryChannel, swe_number),
        Starter<v1::LookupWorkerFactsRequest, v1::LookupWorkerFactsResponse>(
            &stubs_,
            [swe_number](v1::LookupWorkerFactsRequest* r) { r->set_swe_number(swe_number); },
            method));
  }

  std::vector<federation::RegionReply<v1::LookupComplianceSummaryResponse>>
  LookupComplianceSummary(const std::vector<std::string>& regions, absl::CivilDay first,
                          absl::CivilDay last) override {
    using Async = v1::WorkforceService::Stub::async_interface;
    void (Async::*method)(grpc::ClientContext*, const v1::LookupComplianceSummaryRequest*,
                          v1::LookupComplianceSummaryResponse*,
                          std::function<void(grpc::Status)>) = &Async::LookupComplianceSummary;
    return federation_->Ask<v1::LookupComplianceSummaryResponse>(
        regions, federation::FeedKey(kComplianceSummaryFeed, ComplianceSummaryKey(first, last)),
        Starter<v1::LookupComplianceSummaryRequest, v1::LookupComplianceSummaryResponse>(
            &stubs_,
            [first, last](v1::LookupComplianceSummaryRequest* r) {
              r->mutable_period_start()->set_year(static_cast<int32_t>(first.year()));
              r->mutable_period_start()->set_month(first.month());
              r->mutable_period_start()->set_day(first.day());
              r->mutable_period_end()->set_year(static_cast<int32_t>(last.year()));
              r->mutable_period_end()->set_month(last.month());
              r->mutable_period_end()->set_day(last.day());
            },
            method));
  }

 private:
  federation::Federation* const federation_;
  const federation::PeerStubs<v1::WorkforceService> stubs_;
};

}  // namespace

std::string ComplianceSummaryKey(absl::CivilDay first, absl::CivilDay last) {
  return absl::StrCat(FormatCivilDate(first), "/", FormatCivilDate(last));
}

std::shared_ptr<WorkforceHubConnection> MakeWorkforceHubConnection(
    federation::Federation* federation) {
  return std::make_shared<GrpcWorkforceHubConnection>(federation);
}

}  // namespace slihub::workforce
