// Every RPC of DataCollectionService has exactly one row in the method table, under its own name.
#include "services/datacollection/adapter/datacollection_methods.h"

#include <set>
#include <string>

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::datacollection {
namespace {

TEST(DataCollectionMethodsTest, EveryRpcOfTheDescriptorHasExactlyOneRow) {
  // Links the service's generated descriptors into the pool.
  const google::protobuf::ServiceDescriptor* service =
      v1::SubmitReturnRequest::descriptor()->file()->FindServiceByName("DataCollectionService");
  ASSERT_NE(service, nullptr);
  service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      v1::DataCollectionService::service_full_name());
  ASSERT_NE(service, nullptr);
  std::multiset<std::string> names;
  for (const MethodSpec* spec : methods::All()) names.insert(spec->name);
  EXPECT_EQ(names.size(), static_cast<size_t>(service->method_count()));
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string name = MethodName(service->full_name(), service->method(i)->name());
    EXPECT_EQ(names.count(name), 1u) << name;
  }
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
