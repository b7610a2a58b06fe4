#include "common/server/authorize.h"

#include "common/errors/errors.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

const MethodSpec kBenchmark{"/slihub.datacollection.v1.DataCollectionService/GetBenchmark", {}};
const MethodSpec kSubmit{"/slihub.datacollection.v1.DataCollectionService/SubmitReturn",
                         {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};

Principal Service(std::vector<std::string> scopes) {
  Principal who;
  who.subject = "service-peerreview-EE";
  who.region_code = "EE";
  who.roles = {Role::kService};
  who.scopes = std::move(scopes);
  return who;
}

TEST(AuthorizeCallTest, AScopedTokenCallsOnlyItsMethods) {
  const Principal scoped = Service({kBenchmark.name});
  EXPECT_TRUE(AuthorizeCall("EE", scoped, kBenchmark).ok());
  const absl::Status refused = AuthorizeCall("EE", scoped, kSubmit);
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetErrorReason(refused), "SCOPE_EXCLUDES_METHOD");
  // Without scopes the roles decide.
  EXPECT_TRUE(AuthorizeCall("EE", Service({}), kSubmit).ok());
}

TEST(AuthorizeCallTest, AScopeNeverWidensRolesOrRegion) {
  const Principal scoped = Service({kSubmit.name});
  const absl::Status other_region = AuthorizeCall("SE", scoped, kSubmit);
  EXPECT_EQ(GetErrorReason(other_region), "REGION_OUT_OF_SCOPE");
  Principal reader = scoped;
  reader.roles = {Role::kReader};
  EXPECT_EQ(GetErrorReason(AuthorizeCall("EE", reader, kSubmit)), "ROLE_REQUIRED");
}

TEST(AuthorizeCallTest, AnLaRoleMustNameItsLa) {
  Principal officer;
  officer.region_code = "EE";
  officer.roles = {Role::kDataOfficer};
  EXPECT_EQ(GetErrorReason(AuthorizeCall("EE", officer, kSubmit)), "LA_REQUIRED");
  officer.la_code = "873";
  EXPECT_TRUE(AuthorizeCall("EE", officer, kSubmit).ok());
}

}  // namespace
}  // namespace slihub
