// The AuditService method table against its descriptor; which methods and reads are audited.
#include "common/audit/audit_interceptor.h"
#include "common/audit/audit_service.h"
#include "common/server/method_table.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/audit_service.pb.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::audit {
namespace {

TEST(AuditServiceTest, MethodTableMatchesTheDescriptor) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "slihub.common.v1.AuditService");
  ASSERT_NE(service, nullptr);
  EXPECT_TRUE(CheckMethodTable(*service, AuditMethods()).ok())
      << CheckMethodTable(*service, AuditMethods());
  for (const MethodSpec* spec : AuditMethods()) {
    EXPECT_EQ(spec->roles, std::vector<Role>{Role::kRegionalAdmin}) << spec->name;
    EXPECT_EQ(spec->tenancy, Tenancy::kHubRegion) << spec->name;
  }
}

TEST(AuditServiceTest, ClassifiesMethodsByTheirContract) {
  workforce::v1::GetWorkerRequest link;  // links the workforce descriptors
  (void)link;
  EXPECT_EQ(ClassifyMethod("/slihub.workforce.v1.WorkforceService/CreateEngagement"),
            MethodAudit::kWrite);
  EXPECT_EQ(ClassifyMethod("/slihub.workforce.v1.WorkforceService/GetWorker"),
            MethodAudit::kRead);
  EXPECT_EQ(ClassifyMethod("/slihub.common.v1.AuditService/ListAuditEntries"),
            MethodAudit::kRead);
  EXPECT_EQ(ClassifyMethod("/slihub.unknown.v1.Nothing/DoIt"), MethodAudit::kWrite);
  EXPECT_EQ(ClassifyMethod("/grpc.health.v1.Health/Check"), MethodAudit::kNone);
}

TEST(AuditServiceTest, WhichReadsAreAudited) {
  Principal own{"873-hr-1", "873", "EE", {Role::kHrOfficer}};
  EXPECT_FALSE(IsAuditedRead(&own, {}, "EE"));
  EXPECT_FALSE(IsAuditedRead(&own, {"873"}, "EE"));
  EXPECT_TRUE(IsAuditedRead(&own, {"873", "874"}, "EE"));
  EXPECT_TRUE(IsAuditedRead(&own, {}, "SE"));  // another region's caller
  Principal admin{"ee-admin", "", "EE", {Role::kRegionalAdmin}};
  EXPECT_TRUE(IsAuditedRead(&admin, {}, "EE"));  // region-wide
  EXPECT_TRUE(IsAuditedRead(nullptr, {}, "EE"));
}

}  // namespace
}  // namespace slihub::audit
