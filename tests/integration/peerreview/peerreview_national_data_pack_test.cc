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
#include "tests/integration/datacollection/datacollection_admin.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/service_process.h"
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
    HubClusterOptions options;
    options.service = "datacollection";
    options.regions = kRegions;
    options.start_redis = true;
    options.extra_args = {"--demo-data"};
    data_ = std::make_unique<HubCluster>(options);
    const absl::Status started = data_->Start();
    ASSERT_TRUE(started.ok()) << started;
    admin_ = std::make_unique<DataCollectionAdmin>(data_.get());
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

  TempDir dir_;
  std::unique_ptr<HubCluster> data_;
  std::unique_ptr<DataCollectionAdmin> admin_;
  std::unique_ptr<ServiceProcess> peerreview_;
  std::string peer_admin_;
};

TEST_F(NationalDataPackTest, TheDataPacksEnglandFigureEqualsTheRugs) {
  const std::string period = admin_->LatePeriod("EE");
  ASSERT_FALSE(period.empty());
  for (const auto& [region, r] : kReReferralReturns) {
    ASSERT_EQ(admin_->LatePeriod(region), period) << region;
    const absl::Status done = admin_->SubmitAndPublish(region, r.la, period, "pack-" + region,
                                                       r.numerator, r.denominator);
    ASSERT_TRUE(done.ok()) << region << ": " << done;
  }

  // The hubs started one after another: wait until EE's rug has SE's and LDN's parts.
  absl::StatusOr<dc::GetBenchmarkResponse> rug =
      admin_->AwaitPeers(period, cpb::FEDERATION_MODE_UNSPECIFIED);
  ASSERT_TRUE(rug.ok()) << rug.status();
  ASSERT_TRUE(Current(*rug, "SE") && Current(*rug, "LDN"))
      << "EE's data collection hub never reached SE and LDN";

  // A host of EE's current peer review cycle.
  auto peer = pr::PeerReviewService::NewStub(peerreview_->NewChannel());
  pr::ListReviewerDirectoryResponse directory;
  {
    grpc::ClientContext context;
    PrepareContext(&context, peer_admin_, kDataCollectionCallDeadline);
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
    PrepareContext(&context, peer_admin_, kDataCollectionCallDeadline);
    const grpc::Status status = peer->GetDataPack(&context, request, &pack);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_EQ(pack.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_AVAILABLE)
      << pack.data_pack().data_source_detail();
  EXPECT_EQ(pack.data_pack().period_id(), period);
  EXPECT_EQ(pack.federation().scope(), cpb::REGION_SCOPE_NATIONAL);
  EXPECT_TRUE(Current(pack, "SE"));
  EXPECT_TRUE(Current(pack, "LDN"));

  // The rug again, after the pack (both now read the same cached parts).
  rug = admin_->NationalRug(period);
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
