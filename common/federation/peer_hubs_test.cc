#include "common/federation/peer_hubs.h"

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub::federation {
namespace {

constexpr char kReference[] =
    "la_code,name,ons_code,region,region_name,region_ons_code,la_type,population_0_25,"
    "statistical_neighbours\n"
    "873,Cambridgeshire,E10000003,EE,East of England,E12000006,County,100,\n"
    "845,East Sussex,E10000011,SE,South East,E12000008,County,100,\n"
    "202,Camden,E09000007,LDN,London,E12000007,London Borough,100,\n";

class PeerHubsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto refdata = ReferenceData::LoadFromText(kReference);
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
    token_ = dir_.path() + "/se-token";
    std::ofstream(token_) << "slh_token-for-ee\n";
  }
  absl::StatusOr<std::vector<PeerHubSpec>> Parse(const std::string& text) {
    return ParsePeersFile(text, "workforce", "EE", *refdata_);
  }
  testing::TempDir dir_;
  std::unique_ptr<ReferenceData> refdata_;
  std::string token_;
};

TEST_F(PeerHubsTest, KeepsTheRowsOfItsServiceWithTheirTokens) {
  auto specs = Parse("# region,service,endpoint,token\nSE,workforce,127.0.0.1:7201," + token_ +
                     "\nSE,placement,127.0.0.1:7202," + token_ + "\n");
  ASSERT_TRUE(specs.ok()) << specs.status();
  ASSERT_EQ(specs->size(), 1u);
  EXPECT_EQ((*specs)[0].region, "SE");
  EXPECT_EQ((*specs)[0].endpoint, "127.0.0.1:7201");
  EXPECT_EQ((*specs)[0].token, "slh_token-for-ee");
}

TEST_F(PeerHubsTest, RefusesBadRowsNamingTheLine) {
  for (const std::string& text : {
           std::string("XX,workforce,127.0.0.1:1,") + token_,    // unknown region
           std::string("EE,workforce,127.0.0.1:1,") + token_,    // own region
           std::string("SE,workforce,nohost,") + token_,         // no port
           std::string("SE,workforce,127.0.0.1:70000,") + token_,  // port out of range
           std::string("SE,workforce,127.0.0.1:1,/nonexistent/token"),
           std::string("SE,workforce,127.0.0.1:1"),
           std::string("SE,workforce,127.0.0.1:1,") + token_ + "\nSE,workforce,127.0.0.1:2," +
               token_,
       }) {
    auto specs = Parse(text);
    EXPECT_EQ(specs.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(specs.status().message().find("line"), std::string::npos) << text;
  }
}

TEST_F(PeerHubsTest, PrepareSetsTheDeadlineAndOnlyForConfiguredRegions) {
  PeerHubs hubs({PeerHubSpec{"SE", "127.0.0.1:1", "slh_x"}});
  EXPECT_EQ(hubs.Regions(), std::vector<std::string>{"SE"});
  EXPECT_NE(hubs.Channel("SE"), nullptr);
  EXPECT_EQ(hubs.Channel("LDN"), nullptr);
  grpc::ClientContext context;
  const absl::Time deadline = absl::Now() + absl::Seconds(3);
  EXPECT_TRUE(hubs.Prepare("SE", deadline, &context));
  EXPECT_LE(absl::AbsDuration(absl::FromChrono(context.deadline()) - deadline),
            absl::Milliseconds(1));
  grpc::ClientContext other;
  EXPECT_FALSE(hubs.Prepare("LDN", deadline, &other));
}

TEST_F(PeerHubsTest, UnderTlsTheTokenColumnIsOptionalAndNotSent) {
  auto specs = ParsePeersFile("SE,workforce,127.0.0.1:7201\nLDN,workforce,127.0.0.1:7202," +
                                  token_ + "\n",
                              "workforce", "EE", *refdata_, /*certificates=*/true);
  ASSERT_TRUE(specs.ok()) << specs.status();
  ASSERT_EQ(specs->size(), 2u);
  EXPECT_EQ((*specs)[0].token, "");
  EXPECT_EQ((*specs)[1].token, "");
  PeerHubs hubs(*specs);
  grpc::ClientContext context;
  EXPECT_TRUE(hubs.Prepare("SE", absl::Now() + absl::Seconds(1), &context));
  EXPECT_FALSE(Parse("SE,workforce,127.0.0.1:7201").ok());
}

}  // namespace
}  // namespace slihub::federation
