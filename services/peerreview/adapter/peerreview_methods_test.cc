// The method table is complete: every RPC of PeerReviewService's descriptor has exactly one entry,
// named as gRPC names it, and every entry names an RPC of the service.
#include "services/peerreview/adapter/peerreview_methods.h"

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"

namespace slihub::peerreview {
namespace {

TEST(PeerReviewMethodsTest, EveryRpcOfTheDescriptorHasExactlyOneEntry) {
  const google::protobuf::ServiceDescriptor* service =
      v1::CreateCycleRequest::descriptor()->file()->FindServiceByName("PeerReviewService");
  ASSERT_NE(service, nullptr);
  std::map<std::string, int> entries;
  for (const MethodSpec* spec : methods::All()) ++entries[spec->name];
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string name = MethodName(service->full_name(), service->method(i)->name());
    EXPECT_EQ(entries[name], 1) << name;
  }
  EXPECT_EQ(methods::All().size(), static_cast<size_t>(service->method_count()));
}

TEST(PeerReviewMethodsTest, EveryEntryServesTheHubRegionAndNamesItsRoles) {
  for (const MethodSpec* spec : methods::All()) {
    EXPECT_EQ(spec->tenancy, Tenancy::kHubRegion) << spec->name;
    EXPECT_FALSE(spec->roles.empty()) << spec->name;
    EXPECT_TRUE(spec->may_block) << spec->name;
  }
}

}  // namespace
}  // namespace slihub::peerreview
