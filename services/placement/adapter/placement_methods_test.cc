#include "services/placement/adapter/placement_methods.h"

#include <algorithm>
#include <set>
#include <string>

#include "common/server/method_table.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.pb.h"

namespace slihub::placement {
namespace {

// Every RPC of the service's descriptor has exactly one entry in the method table, named as gRPC
// names it; a new RPC without a row fails here.
TEST(PlacementMethodsTest, EveryRpcHasExactlyOneEntry) {
  // The file's descriptor, reached through one of its messages (which links it in).
  const google::protobuf::ServiceDescriptor* service =
      v1::CreateProviderRequest::descriptor()->file()->FindServiceByName("PlacementService");
  ASSERT_NE(service, nullptr);
  EXPECT_TRUE(CheckMethodTable(*service, methods::All()).ok())
      << CheckMethodTable(*service, methods::All());
}

// Other regions' hubs reach only the vacancy stream (their read model), the hold request made on
// this hub's rules and the release and confirmation of such a hold; every other method serves only
// this region.
TEST(PlacementMethodsTest, OnlyTheFederationMethodsAdmitPeerHubs) {
  const std::set<const MethodSpec*> federated = {&methods::kWatchVacancies, &methods::kHoldVacancy,
                                                 &methods::kReleaseHold,
                                                 &methods::kConfirmPlacement};
  for (const MethodSpec* spec : methods::All()) {
    const bool hub_role =
        std::find(spec->roles.begin(), spec->roles.end(), Role::kHub) != spec->roles.end();
    if (federated.count(spec) > 0) {
      EXPECT_EQ(spec->tenancy, Tenancy::kPeerHubs) << spec->name;
      EXPECT_TRUE(hub_role) << spec->name;
    } else {
      EXPECT_EQ(spec->tenancy, Tenancy::kHubRegion) << spec->name;
      EXPECT_FALSE(hub_role) << spec->name;
    }
  }
}

}  // namespace
}  // namespace slihub::placement
