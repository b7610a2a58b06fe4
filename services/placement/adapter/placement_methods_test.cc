#include "services/placement/adapter/placement_methods.h"

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

TEST(PlacementMethodsTest, EveryMethodServesOnlyItsHubRegion) {
  for (const MethodSpec* spec : methods::All()) {
    EXPECT_EQ(spec->tenancy, Tenancy::kHubRegion) << spec->name;
  }
}

}  // namespace
}  // namespace slihub::placement
