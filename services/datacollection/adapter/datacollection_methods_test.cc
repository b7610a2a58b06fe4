// Every RPC of DataCollectionService has exactly one row in the method table, under its own name.
#include "services/datacollection/adapter/datacollection_methods.h"

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
    EXPECT_EQ(spec->tenancy, Tenancy::kHubRegion) << spec->name;
    EXPECT_TRUE(spec->may_block) << spec->name;
  }
}

}  // namespace
}  // namespace slihub::datacollection
