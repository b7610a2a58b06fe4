#include "common/security/machine_identity.h"

#include "common/errors/errors.h"
#include "common/identity/service_scopes.h"
#include "gtest/gtest.h"

namespace slihub::security {
namespace {

TEST(MachineIdentityTest, ParsesSlihubUris) {
  auto parsed = ParseMachineUri("spiffe://slihub/region/EE/service/workforce");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->has_value());
  EXPECT_EQ((*parsed)->region, "EE");
  EXPECT_EQ((*parsed)->service, "workforce");
  EXPECT_EQ(MachineUri(**parsed), "spiffe://slihub/region/EE/service/workforce");
}

TEST(MachineIdentityTest, OtherTrustDomainsAreNoIdentity) {
  for (const char* uri : {"spiffe://other/region/EE/service/workforce", "https://slihub/x", ""}) {
    auto parsed = ParseMachineUri(uri);
    ASSERT_TRUE(parsed.ok()) << uri;
    EXPECT_FALSE(parsed->has_value()) << uri;
  }
}

TEST(MachineIdentityTest, MalformedSlihubUrisAreRefused) {
  for (const char* uri :
       {"spiffe://slihub/region/EE", "spiffe://slihub/region/ee/service/workforce",
        "spiffe://slihub/region/EE/service/Workforce", "spiffe://slihub/region//service/x",
        "spiffe://slihub/region/EE/service/workforce/extra", "spiffe://slihub/zone/EE/service/x"}) {
    auto parsed = ParseMachineUri(uri);
    ASSERT_FALSE(parsed.ok()) << uri;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(GetErrorReason(parsed.status()), "CERTIFICATE_IDENTITY_MALFORMED");
  }
}

TEST(MachineIdentityTest, OwnRegionIsAServiceListedPeerIsAHub) {
  const std::set<std::string> peers = {"SE"};
  auto service = MachinePrincipal({"EE", "placement"}, "EE", peers);
  ASSERT_TRUE(service.ok());
  EXPECT_EQ(service->subject, "service:placement");
  EXPECT_EQ(service->region_code, "EE");
  EXPECT_TRUE(service->HasRole(Role::kService));
  EXPECT_FALSE(service->HasRole(Role::kHub));
  auto hub = MachinePrincipal({"SE", "workforce"}, "EE", peers);
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ(hub->subject, "hub:SE");
  EXPECT_EQ(hub->region_code, "SE");
  EXPECT_TRUE(hub->HasRole(Role::kHub));
  EXPECT_FALSE(hub->HasRole(Role::kService));
  auto stranger = MachinePrincipal({"LDN", "workforce"}, "EE", peers);
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetErrorReason(stranger.status()), "HUB_NOT_PEER");
}

// A service's certificate admits only the calls that service makes on its hub (least privilege),
// and a certificate naming no known service admits nothing.
TEST(MachineIdentityTest, AServiceIsScopedToTheCallsItMakes) {
  auto peerreview = MachinePrincipal({"EE", "peerreview"}, "EE", {});
  ASSERT_TRUE(peerreview.ok());
  EXPECT_EQ(peerreview->scopes, ServiceCallScopes("peerreview"));
  EXPECT_TRUE(peerreview->ScopeAllows(
      "/slihub.datacollection.v1.DataCollectionService/GetBenchmark"));
  EXPECT_FALSE(peerreview->ScopeAllows(
      "/slihub.datacollection.v1.DataCollectionService/SubmitReturn"));
  auto unknown = MachinePrincipal({"EE", "payroll"}, "EE", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(GetErrorReason(unknown.status()), "CERTIFICATE_IDENTITY_MALFORMED");
}

}  // namespace
}  // namespace slihub::security
