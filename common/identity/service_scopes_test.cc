#include "common/identity/service_scopes.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(ServiceScopesTest, PeerReviewReadsDataCollectionAndEveryServiceProbes) {
  const std::vector<std::string> peerreview = ServiceCallScopes("peerreview");
  EXPECT_EQ(peerreview,
            (std::vector<std::string>{
                "/slihub.common.v1.DiagnosticsService/WhoAmI",
                "/slihub.datacollection.v1.DataCollectionService/ListCollections",
                "/slihub.datacollection.v1.DataCollectionService/ListCollectionPeriods",
                "/slihub.datacollection.v1.DataCollectionService/GetBenchmark"}));
  EXPECT_EQ(ServiceCallScopes("workforce"),
            (std::vector<std::string>{"/slihub.common.v1.DiagnosticsService/WhoAmI"}));
  EXPECT_TRUE(ServiceCallScopes("nosuch").empty());
}

}  // namespace
}  // namespace slihub
