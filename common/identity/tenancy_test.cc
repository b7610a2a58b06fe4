#include "common/identity/tenancy.h"

#include "common/errors/errors.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

Principal Make(std::string la, std::string region, std::vector<Role> roles) {
  Principal p;
  p.subject = "s";
  p.la_code = std::move(la);
  p.region_code = std::move(region);
  p.roles = std::move(roles);
  return p;
}

TEST(TenancyTest, AnLaRoleActsForItsOwnLaOnly) {
  const Principal hr = Make("873", "EE", {Role::kHrOfficer});
  EXPECT_TRUE(CheckActsForLa(hr, "873", "EE").ok());
  absl::Status other = CheckActsForLa(hr, "926", "EE");
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetErrorReason(other), "LA_OUT_OF_SCOPE");
}

TEST(TenancyTest, RegionWidePrincipalsStayInTheirRegion) {
  const Principal admin = Make("", "SE", {Role::kRegionalAdmin});
  EXPECT_TRUE(CheckActsForLa(admin, "886", "SE").ok());
  EXPECT_EQ(GetErrorReason(CheckActsForLa(admin, "873", "EE")), "LA_OUT_OF_SCOPE");
  EXPECT_EQ(GetErrorReason(CheckSameRegion(admin, "EE")), "REGION_OUT_OF_SCOPE");
  EXPECT_TRUE(CheckSameRegion(admin, "SE").ok());
}

TEST(TenancyTest, AnLaPrincipalWithoutAnLaActsForNone) {
  const Principal hr = Make("", "EE", {Role::kHrOfficer});
  EXPECT_FALSE(CheckActsForLa(hr, "", "EE").ok());
  EXPECT_TRUE(IsLaRole(Role::kDataOfficer));
  EXPECT_FALSE(IsLaRole(Role::kProvider));
  EXPECT_FALSE(IsRegionWide(hr));
}

}  // namespace
}  // namespace slihub
