// The peer review data pack at NATIONAL scope with real processes: East of England, South East
// and London data collection hubs (demo data) sharing a real Redis, each region's LAs submitting
// and its hub publishing the quarter, and EE's peer review service (demo data) calling EE's data
// collection hub with a service token (--service-endpoint, --service-token-file). The England
// figure of every item of a host's NATIONAL data pack equals the England figure beside the same
// row of EE's NATIONAL rug, and the pack passes each region's state through.
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/service_process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;
namespace pr = ::slihub::peerreview::v1;
namespace cpb = ::slihub::common::v1;

const std::vector<std::string> kRegions = {"EE", "SE", "LDN"};

class NationalDataPackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    HubClusterOptions options;
    options.service = "datacollection";
    options.regions = kRegions;
    options.redis_port = redis_->port();
    options.extra_args = {"--demo-data"};
    data_ = std::make_unique<HubCluster>(options);
    const absl::Status started = data_->Start();
    ASSERT_TRUE(started.ok()) << started;
    for (const std::string& region : kRegions) {
      admins_[region] = data_->hub(region).IssueToken(region + "-admin", {Role::kRegionalAdmin});
    }
    const std::string token_file = dir_.Join("service-token");
    {
      std::ofstream out(token_file);
      out << data_->hub("EE").IssueToken("hub-service-EE", {Role::kService}) << "\n";
    }
    ServiceProcessOptions peer;
    peer.service = "peerreview";
    peer.extra_args = {"--demo-data",
                       "--service-endpoint=datacollection=" + data_->hub("EE").endpoint(),
                       "--service-token-file=" + token_file, "--peer-deadline-ms=5000"};
    peerreview_ = std::make_unique<ServiceProcess>(peer);
    ASSERT_TRUE(peerreview_->Start().ok());
    peer_admin_ = peerreview_->IssueToken("ee-admin", {Role::kRegionalAdmin});
  }

  std::unique_ptr<dc::DataCollectionService::Stub> Data(const std::string& region) {
    return dc::DataCollectionService::NewStub(data_->hub(region).NewChannel());
  }

  static void Prepare(grpc::ClientContext* context, const std::string& token) {
    context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  }

  std::string LatePeriod(const std::string& region) {
    dc::ListCollectionPeriodsRequest request;
    request.set_collection_id(region + "-core");
    request.set_state(dc::PERIOD_STATE_LATE);
    dc::ListCollectionPeriodsResponse response;
    grpc::ClientContext context;
    Prepare(&context, admins_[region]);
    const grpc::Status status = Data(region)->ListCollectionPeriods(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.periods_size() > 0 ? response.periods(0).period_id() : "";
  }

  absl::Status SubmitAndPublish(const std::string& region, const std::string& la,
                                const std::string& period, int64_t numerator,
                                int64_t denominator) {
    dc::SubmitReturnRequest submit;
    submit.set_request_id("pack-" + region);
    submit.mutable_la_code()->set_value(la);
    submit.set_collection_id(region + "-core");
    submit.set_period_id(period);
    dc::IndicatorValue* v = submit.add_values();
    v->set_indicator_id("CSC-REREFERRAL-12M");
    dc::Observation* total = v->mutable_total();
    total->set_state(dc::VALUE_STATE_PRESENT);
    total->mutable_value()->set_unscaled((numerator * 1000 * 2 / denominator + 1) / 2);
    total->mutable_value()->set_scale(1);
    total->mutable_numerator()->set_unscaled(numerator);
    total->mutable_denominator()->set_unscaled(denominator);
    dc::SubmitReturnResponse submitted;
    grpc::ClientContext submit_context;
    Prepare(&submit_context, admins_[region]);
    absl::Status s =
        FromGrpcStatus(Data(region)->SubmitReturn(&submit_context, submit, &submitted));
    if (!s.ok()) return s;
    dc::PublishPeriodRequest publish;
    publish.set_request_id("publish-" + period);
    publish.set_collection_id(region + "-core");
    publish.set_period_id(period);
    dc::PublishPeriodResponse published;
    grpc::ClientContext publish_context;
    Prepare(&publish_context, admins_[region]);
    return FromGrpcStatus(Data(region)->PublishPeriod(&publish_context, publish, &published));
  }

  absl::StatusOr<dc::GetBenchmarkResponse> Rug(const std::string& period) {
    dc::GetBenchmarkRequest request;
    request.mutable_query()->set_period_id(period);
    request.mutable_query()->set_scope(cpb::REGION_SCOPE_NATIONAL);
    dc::GetBenchmarkResponse response;
    grpc::ClientContext context;
    Prepare(&context, admins_["EE"]);
    const grpc::Status status = Data("EE")->GetBenchmark(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  static bool Current(const cpb::FederationInfo& f, const std::string& region) {
    for (const cpb::RegionAnswer& a : f.regions()) {
      if (a.region().value() == region) {
        return a.state() == cpb::REGION_ANSWER_STATE_FRESH ||
               a.state() == cpb::REGION_ANSWER_STATE_CACHED;
      }
    }
    return false;
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<HubCluster> data_;
  std::unique_ptr<ServiceProcess> peerreview_;
  std::map<std::string, std::string> admins_;
  std::string peer_admin_;
};

TEST_F(NationalDataPackTest, TheDataPacksEnglandFigureEqualsTheRugs) {
  const std::string period = LatePeriod("EE");
  ASSERT_FALSE(period.empty());
  const std::map<std::string, std::pair<std::string, std::pair<int, int>>> submissions = {
      {"EE", {"873", {43, 200}}}, {"SE", {"826", {61, 250}}}, {"LDN", {"202", {17, 90}}}};
  for (const auto& [region, s] : submissions) {
    ASSERT_EQ(LatePeriod(region), period) << region;
    const absl::Status done =
        SubmitAndPublish(region, s.first, period, s.second.first, s.second.second);
    ASSERT_TRUE(done.ok()) << region << ": " << done;
  }

  // The hubs started one after another: wait until EE's rug has SE's and LDN's parts.
  const absl::Time start = absl::Now();
  absl::StatusOr<dc::GetBenchmarkResponse> rug;
  bool peers_up = false;
  while (!peers_up && absl::Now() - start < absl::Seconds(20)) {
    rug = Rug(period);
    ASSERT_TRUE(rug.ok()) << rug.status();
    peers_up = Current(rug->federation(), "SE") && Current(rug->federation(), "LDN");
    if (!peers_up) absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_TRUE(peers_up) << "EE's data collection hub never reached SE and LDN";

  // A host of EE's current peer review cycle.
  auto peer = pr::PeerReviewService::NewStub(peerreview_->NewChannel());
  pr::ListReviewerDirectoryResponse directory;
  {
    grpc::ClientContext context;
    Prepare(&context, peer_admin_);
    const grpc::Status status =
        peer->ListReviewerDirectory(&context, pr::ListReviewerDirectoryRequest(), &directory);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_GT(directory.directory().entries_size(), 0);
  const std::string host = directory.directory().entries(0).la_code().value();

  pr::GetDataPackRequest request;
  request.set_cycle_id(directory.directory().cycle_id());
  request.mutable_host()->set_value(host);
  request.set_period_id(period);
  request.set_scope(cpb::REGION_SCOPE_NATIONAL);
  pr::GetDataPackResponse pack;
  {
    grpc::ClientContext context;
    Prepare(&context, peer_admin_);
    const grpc::Status status = peer->GetDataPack(&context, request, &pack);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_EQ(pack.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_AVAILABLE)
      << pack.data_pack().data_source_detail();
  EXPECT_EQ(pack.data_pack().period_id(), period);
  EXPECT_EQ(pack.federation().scope(), cpb::REGION_SCOPE_NATIONAL);
  EXPECT_TRUE(Current(pack.federation(), "SE"));
  EXPECT_TRUE(Current(pack.federation(), "LDN"));

  // The rug again, after the pack (both now read the same cached parts).
  rug = Rug(period);
  ASSERT_TRUE(rug.ok()) << rug.status();
  std::map<std::string, dc::EnglandFigure> england_of;
  for (const dc::BenchmarkRow& row : rug->benchmark().rows()) {
    england_of[row.indicator().indicator_id()] = row.england();
  }
  int checked = 0, present = 0;
  bool rereferrals = false;
  for (const pr::DataPackItem& item : pack.data_pack().items()) {
    const std::string& id = item.indicator().indicator_id();
    SCOPED_TRACE(id);
    ASSERT_EQ(england_of.count(id), 1u);
    const dc::EnglandFigure& want = england_of[id];
    const dc::EnglandFigure& got = item.england();
    EXPECT_EQ(got.state(), want.state());
    EXPECT_EQ(got.value().unscaled(), want.value().unscaled());
    EXPECT_EQ(got.value().scale(), want.value().scale());
    EXPECT_EQ(got.method(), want.method());
    EXPECT_EQ(got.las_included(), want.las_included());
    EXPECT_EQ(got.complete(), want.complete());
    EXPECT_EQ(got.regions_included_size(), want.regions_included_size());
    present += got.state() == dc::VALUE_STATE_PRESENT;
    if (id == "CSC-REREFERRAL-12M") {
      rereferrals = true;
      EXPECT_EQ(got.state(), dc::VALUE_STATE_PRESENT);
      EXPECT_EQ(got.regions_included_size(), 3);  // EE, SE and LDN
    }
    ++checked;
  }
  std::cerr << checked << " data pack items checked against the rug, " << present
            << " with an England figure\n";
  EXPECT_GT(checked, 10);
  EXPECT_GT(present, 0);
  EXPECT_TRUE(rereferrals);
}

}  // namespace
}  // namespace slihub::testing
