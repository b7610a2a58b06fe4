#include "services/workforce/adapter/workforce_methods.h"

#include <algorithm>
#include <string>

#include "common/server/method_table.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::workforce {
namespace {

// Every RPC of the service descriptor has exactly one row in the method table, named as gRPC
// names it: a new RPC without a row fails here.
TEST(WorkforceMethodsTest, EveryRpcOfTheDescriptorHasExactlyOneRow) {
  (void)v1::CheckEngagementRequest::descriptor();  // links the service's descriptor
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "slihub.workforce.v1.WorkforceService");
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(service->full_name(), methods::kServiceName);
  EXPECT_TRUE(CheckMethodTable(*service, methods::All()).ok())
      << CheckMethodTable(*service, methods::All());
  // Every write names its roles; only the rule set reads are open to any caller.
  for (const MethodSpec* spec : methods::All()) {
    if (spec->roles.empty()) {
      EXPECT_TRUE(spec == &methods::kGetRuleSet || spec == &methods::kListRuleSets) << spec->name;
    }
  }
}

// Until federation defines how hubs identify each other, every method serves this hub's region
// only; the published rule sets (public caps) are the one exception.
TEST(WorkforceMethodsTest, OnlyRuleSetsAndThePeerLookupServeOtherRegions) {
  for (const MethodSpec* spec : methods::All()) {
    const bool public_reference =
        spec == &methods::kGetRuleSet || spec == &methods::kListRuleSets;
    const bool peer_lookup =
        spec == &methods::kLookupWorkerFacts || spec == &methods::kLookupComplianceSummary;
    EXPECT_EQ(spec->tenancy, public_reference ? Tenancy::kAnyRegion
                             : peer_lookup    ? Tenancy::kPeerHubs
                                              : Tenancy::kHubRegion)
        << spec->name;
    // Only the read-only peer lookups admit another region's hub.
    const bool hub_role =
        std::find(spec->roles.begin(), spec->roles.end(), Role::kHub) != spec->roles.end();
    EXPECT_EQ(hub_role, peer_lookup) << spec->name;
  }
}

}  // namespace
}  // namespace slihub::workforce
