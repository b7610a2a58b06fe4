// Rule parameters as data: the rule_parameters table of the service's database sets the longest
// hold, and a bad value stops the service at start-up naming the parameter.
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "services/placement/store/migrations.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

// Migrates the placement database in `data_dir` and sets parameter `name` to `value`.
void SetParameter(const std::string& data_dir, const std::string& name, const std::string& value) {
  auto db = store::SqliteDatabase::Open(data_dir + "/placement.db");
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Migrate(placement::PlacementMigrations()).ok());
  absl::Status set = (*db)->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<int64_t> n = tx.Execute("UPDATE rule_parameters SET value = $1 WHERE name = $2",
                                           {store::Text(value), store::Text(name)});
    if (!n.ok()) return n.status();
    return *n == 1 ? absl::OkStatus() : absl::NotFoundError(name);
  });
  ASSERT_TRUE(set.ok()) << set;
}

TEST(RuleParametersIntegrationTest, TheStoredHoldMaximumApplies) {
  ServiceProcess server(PlacementOptions());
  SetParameter(server.data_dir(), "hold_max_hours", "2");
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string provider = server.IssueToken("acme-1", {Role::kProvider});
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  const SeededRegister seeded = SeedRegister(stub.get(), admin, provider, officer);

  pb::HoldVacancyRequest hold;

  hold.set_request_id(NextRequestId("hold"));
  hold.set_vacancy_id(seeded.vacancy.vacancy_id());
  hold.set_referral_id(seeded.referral_id);
  hold.mutable_duration()->set_seconds(3 * 3600);
  pb::HoldVacancyResponse held;
  EXPECT_EQ(CallPlacement(stub.get(), officer, &Stub::HoldVacancy, hold, &held).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  hold.clear_duration();  // the maximum: now 2 hours
  const absl::Time before = absl::Now();
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::HoldVacancy, hold, &held).ok());
  const absl::Time expires = absl::FromUnixSeconds(held.hold().expire_time().seconds());
  EXPECT_GE(expires, before + absl::Hours(2) - absl::Seconds(2));
  EXPECT_LE(expires, absl::Now() + absl::Hours(2) + absl::Seconds(2));
}

TEST(RuleParametersIntegrationTest, ABadParameterStopsTheServiceNamingIt) {
  ServiceProcess server(PlacementOptions());
  SetParameter(server.data_dir(), "weight.cost", "lots");
  EXPECT_FALSE(server.Start().ok());
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_NE(exit->exit_code, 0);
  EXPECT_TRUE(absl::StrContains(server.process().ReadStderr(), "weight.cost"))
      << server.process().ReadStderr();
}

}  // namespace
}  // namespace slihub::testing
