// The method table is complete: every RPC of PeerReviewService's descriptor has exactly one entry,
// named as gRPC names it, and every entry names an RPC of the service.
#include "services/peerreview/adapter/peerreview_methods.h"

#include <algorithm>
#include <string>

#include "common/server/method_table.h"
#include "gtest/gtest.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"

namespace slihub::peerreview {
namespace {

TEST(PeerReviewMethodsTest, EveryRpcOfTheDescriptorHasExactlyOneEntry) {
  const google::protobuf::ServiceDescriptor* service =
      v1::CreateCycleRequest::descriptor()->file()->FindServiceByName("PeerReviewService");
  ASSERT_NE(service, nullptr);
  EXPECT_TRUE(CheckMethodTable(*service, methods::All()).ok())
      << CheckMethodTable(*service, methods::All());
}

TEST(PeerReviewMethodsTest, EveryEntryServesTheHubRegionAndNamesItsRoles) {
  for (const MethodSpec* spec : methods::All()) {
    // Only the directory lookup is open to other regions' hubs; nothing else names the hub role.
    const bool peer_lookup = spec == &methods::kListReviewerDirectory;
    EXPECT_EQ(spec->tenancy, peer_lookup ? Tenancy::kPeerHubs : Tenancy::kHubRegion) << spec->name;
    EXPECT_EQ(std::count(spec->roles.begin(), spec->roles.end(), Role::kHub), peer_lookup ? 1 : 0)
        << spec->name;
    EXPECT_FALSE(spec->roles.empty()) << spec->name;
    EXPECT_TRUE(spec->may_block) << spec->name;
  }
}

}  // namespace
}  // namespace slihub::peerreview
