// Every RPC of DataCollectionService has exactly one row in the method table, under its own name.
#include "services/datacollection/adapter/datacollection_methods.h"

#include <algorithm>
#include <string>

#include "common/server/method_table.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::datacollection {
namespace {

TEST(DataCollectionMethodsTest, EveryRpcOfTheDescriptorHasExactlyOneRow) {
  // Reached through one of the file's messages, which links its descriptors in.
  const google::protobuf::ServiceDescriptor* service =
      v1::SubmitReturnRequest::descriptor()->file()->FindServiceByName("DataCollectionService");
  ASSERT_NE(service, nullptr);
  EXPECT_TRUE(CheckMethodTable(*service, methods::All()).ok())
      << CheckMethodTable(*service, methods::All());
}

TEST(DataCollectionMethodsTest, WritesAreForTheRolesThatMayWrite) {
  EXPECT_EQ(methods::kPublishPeriod.roles, std::vector<Role>{Role::kRegionalAdmin});
  for (const MethodSpec* spec : methods::All()) {
    // Only the published-aggregates lookup is open to other regions' hubs.
    const bool peer_lookup = spec == &methods::kGetPublishedAggregates;
    EXPECT_EQ(spec->tenancy, peer_lookup ? Tenancy::kPeerHubs : Tenancy::kHubRegion) << spec->name;
    const bool hub = std::find(spec->roles.begin(), spec->roles.end(), Role::kHub) != spec->roles.end();
    EXPECT_EQ(hub, peer_lookup) << spec->name;
    EXPECT_TRUE(spec->may_block) << spec->name;
  }
}

}  // namespace
}  // namespace slihub::datacollection
