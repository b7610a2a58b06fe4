// When a provider last confirmed a vacancy, through the real binary: a provider publishing from
// its own system states the time it confirmed (kept to the microsecond), which may not be in the
// future or implausibly old, and never moves the confirmation back.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

// `t` to the whole second.
google::protobuf::Timestamp ToProtoTimestamp(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

// `t` with a sub-microsecond part, as a client clock gives it.
google::protobuf::Timestamp WithNanos(absl::Time t) {
  google::protobuf::Timestamp out = ToProtoTimestamp(t);
  out.set_nanos(123456789);
  return out;
}

std::vector<std::string> Fields(const grpc::Status& st) {
  std::vector<std::string> out;
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(st))) out.push_back(v.field);
  return out;
}

TEST(VacancyConfirmationTest, AProviderStatesWhenItLastConfirmed) {
  ServiceProcess server(PlacementOptions());
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string acme = server.IssueToken("acme-1", {Role::kProvider});
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  const SeededRegister seeded = SeedRegister(stub.get(), admin, acme, officer);
  ASSERT_FALSE(seeded.setting_id.empty());

  const absl::Time now = absl::Now();
  pb::PublishVacancyRequest publish = VacancyRequest(seeded.setting_id, "v-2", 1, 400000);
  publish.set_request_id("publish-v-2");
  *publish.mutable_vacancy()->mutable_last_confirmed_at() = WithNanos(now - absl::Hours(24 * 20));
  pb::PublishVacancyResponse published;
  grpc::Status st = CallPlacement(stub.get(), acme, &Stub::PublishVacancy, publish, &published);
  ASSERT_TRUE(st.ok()) << st.error_message();
  // Kept in microseconds, as stated, not reset to now; 20 days unconfirmed is stale.
  EXPECT_EQ(published.vacancy().last_confirmed_at().seconds(),
            publish.vacancy().last_confirmed_at().seconds());
  EXPECT_EQ(published.vacancy().last_confirmed_at().nanos(), 123456000);
  EXPECT_TRUE(published.vacancy().stale());
  pb::GetVacancyRequest get;
  get.set_vacancy_id(published.vacancy().vacancy_id());
  pb::GetVacancyResponse read;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::GetVacancy, get, &read).ok());
  EXPECT_EQ(read.vacancy().last_confirmed_at().SerializeAsString(),
            published.vacancy().last_confirmed_at().SerializeAsString());

  // A later confirmation from the provider's system moves it forward...
  pb::ConfirmVacancyAvailabilityRequest confirm;
  confirm.set_request_id("confirm-v-2");
  confirm.set_vacancy_id(published.vacancy().vacancy_id());
  *confirm.mutable_confirm_time() = WithNanos(now - absl::Hours(24));
  pb::ConfirmVacancyAvailabilityResponse confirmed;
  st = CallPlacement(stub.get(), acme, &Stub::ConfirmVacancyAvailability, confirm, &confirmed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(confirmed.vacancy().last_confirmed_at().seconds(), confirm.confirm_time().seconds());
  EXPECT_FALSE(confirmed.vacancy().stale());
  // ... and an earlier one never moves it back.
  confirm.set_request_id("confirm-v-2-older");
  *confirm.mutable_confirm_time() = WithNanos(now - absl::Hours(24 * 5));
  st = CallPlacement(stub.get(), acme, &Stub::ConfirmVacancyAvailability, confirm, &confirmed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(confirmed.vacancy().last_confirmed_at().seconds(),
            ToProtoTimestamp(now - absl::Hours(24)).seconds());

  // Not in the future, not older than 366 days.
  for (absl::Time bad : {now + absl::Hours(1), now - absl::Hours(24 * 400)}) {
    publish.set_request_id("publish-v-3");
    publish.mutable_vacancy()->set_record_id("v-3");
    *publish.mutable_vacancy()->mutable_last_confirmed_at() = ToProtoTimestamp(bad);
    st = CallPlacement(stub.get(), acme, &Stub::PublishVacancy, publish, &published);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Fields(st), std::vector<std::string>{"vacancy.last_confirmed_at"});
    *confirm.mutable_confirm_time() = ToProtoTimestamp(bad);
    confirm.set_request_id("confirm-bad");
    st = CallPlacement(stub.get(), acme, &Stub::ConfirmVacancyAvailability, confirm, &confirmed);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Fields(st), std::vector<std::string>{"confirm_time"});
  }
}

}  // namespace
}  // namespace slihub::testing
