// The steps the data collection federation tests share, at a started HubCluster of data
// collection hubs (demo data), each call made as the region's admin: the quarter that is LATE, a
// re-referrals return, its publication and EE's NATIONAL rug.
#ifndef SLIHUB_TESTS_INTEGRATION_DATACOLLECTION_DATACOLLECTION_ADMIN_H_
#define SLIHUB_TESTS_INTEGRATION_DATACOLLECTION_DATACOLLECTION_ADMIN_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {

// The deadline of every call the data collection federation tests make.
inline constexpr absl::Duration kDataCollectionCallDeadline = absl::Seconds(20);

// The re-referrals one LA of each region submits: numerator / denominator.
struct ReReferralReturn {
  std::string la;
  int64_t numerator = 0;
  int64_t denominator = 0;
};
inline const std::map<std::string, ReReferralReturn> kReReferralReturns = {
    {"EE", {"873", 43, 200}}, {"SE", {"826", 61, 250}}, {"LDN", {"202", 17, 90}}};

// `region`'s part of a federated answer (anything with federation()), or nullptr.
template <typename Response>
const common::v1::RegionAnswer* AnswerOf(const Response& r, const std::string& region) {
  for (const common::v1::RegionAnswer& a : r.federation().regions()) {
    if (a.region().value() == region) return &a;
  }
  return nullptr;
}

// True when `region`'s part of `r` is there and current (FRESH or CACHED).
template <typename Response>
bool Current(const Response& r, const std::string& region) {
  const common::v1::RegionAnswer* a = AnswerOf(r, region);
  return a != nullptr && (a->state() == common::v1::REGION_ANSWER_STATE_FRESH ||
                          a->state() == common::v1::REGION_ANSWER_STATE_CACHED);
}

// Thread-compatible. The cluster must be started and outlive this.
class DataCollectionAdmin {
 public:
  // Issues each region's admin token.
  explicit DataCollectionAdmin(HubCluster* cluster)
      : cluster_(cluster), tokens_(cluster->IssueAdminTokens()) {}

  const std::string& token(const std::string& region) const { return tokens_.at(region); }

  std::unique_ptr<datacollection::v1::DataCollectionService::Stub> Stub(
      const std::string& region) const {
    return datacollection::v1::DataCollectionService::NewStub(
        cluster_->hub(region).NewChannel());
  }

  // The first LATE period of `region`'s core collection ("<region>-core"), or "".
  std::string LatePeriod(const std::string& region) const {
    datacollection::v1::ListCollectionPeriodsRequest request;
    request.set_collection_id(region + "-core");
    request.set_state(datacollection::v1::PERIOD_STATE_LATE);
    datacollection::v1::ListCollectionPeriodsResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token(region), kDataCollectionCallDeadline);
    const grpc::Status status = Stub(region)->ListCollectionPeriods(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.periods_size() > 0 ? response.periods(0).period_id() : "";
  }

  // Submits `la`'s re-referrals (CSC-REREFERRAL-12M) for `period` of `region`'s core collection.
  absl::Status Submit(const std::string& region, const std::string& la, const std::string& period,
                      const std::string& request_id, int64_t numerator,
                      int64_t denominator) const {
    namespace dc = datacollection::v1;
    dc::SubmitReturnRequest request;
    request.set_request_id(request_id);
    request.mutable_la_code()->set_value(la);
    request.set_collection_id(region + "-core");
    request.set_period_id(period);
    dc::IndicatorValue* v = request.add_values();
    v->set_indicator_id("CSC-REREFERRAL-12M");
    dc::Observation* total = v->mutable_total();
    total->set_state(dc::VALUE_STATE_PRESENT);
    // numerator / denominator as a percentage at one place, rounded half up.
    total->mutable_value()->set_unscaled((numerator * 1000 * 2 / denominator + 1) / 2);
    total->mutable_value()->set_scale(1);
    total->mutable_numerator()->set_unscaled(numerator);
    total->mutable_denominator()->set_unscaled(denominator);
    dc::SubmitReturnResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token(region), kDataCollectionCallDeadline);
    return FromGrpcStatus(Stub(region)->SubmitReturn(&context, request, &response));
  }

  // Publishes `period` of `region`'s core collection.
  absl::Status Publish(const std::string& region, const std::string& period) const {
    datacollection::v1::PublishPeriodRequest request;
    request.set_request_id("publish-" + period);
    request.set_collection_id(region + "-core");
    request.set_period_id(period);
    datacollection::v1::PublishPeriodResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token(region), kDataCollectionCallDeadline);
    return FromGrpcStatus(Stub(region)->PublishPeriod(&context, request, &response));
  }

  absl::Status SubmitAndPublish(const std::string& region, const std::string& la,
                                const std::string& period, const std::string& request_id,
                                int64_t numerator, int64_t denominator) const {
    const absl::Status submitted = Submit(region, la, period, request_id, numerator, denominator);
    if (!submitted.ok()) return submitted;
    return Publish(region, period);
  }

  // GetBenchmark of `period` at NATIONAL scope at EE's hub.
  absl::StatusOr<datacollection::v1::GetBenchmarkResponse> NationalRug(
      const std::string& period,
      common::v1::FederationMode mode = common::v1::FEDERATION_MODE_UNSPECIFIED) const {
    datacollection::v1::GetBenchmarkRequest request;
    request.mutable_query()->set_period_id(period);
    request.mutable_query()->set_scope(common::v1::REGION_SCOPE_NATIONAL);
    request.mutable_query()->set_federation_mode(mode);
    datacollection::v1::GetBenchmarkResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token("EE"), kDataCollectionCallDeadline);
    const grpc::Status status = Stub("EE")->GetBenchmark(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  // Asks NationalRug every 200 ms, for up to 20 s, until SE's and LDN's parts are current (the
  // hubs started one after another: EE's channels to them may be in gRPC's reconnect backoff).
  // The last answer, or the first error.
  absl::StatusOr<datacollection::v1::GetBenchmarkResponse> AwaitPeers(
      const std::string& period, common::v1::FederationMode mode) const {
    const absl::Time start = absl::Now();
    while (true) {
      auto rug = NationalRug(period, mode);
      if (!rug.ok() || (Current(*rug, "SE") && Current(*rug, "LDN")) ||
          absl::Now() - start >= absl::Seconds(20)) {
        return rug;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
  }

 private:
  HubCluster* cluster_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_DATACOLLECTION_DATACOLLECTION_ADMIN_H_
