// Idempotent writes through the real binary: a replay gets exactly the first answer (timestamps
// and audit included) without writing again; the same request id with another request is
// refused with IDEMPOTENCY_KEY_REUSED.
#include <string>

#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;
using google::protobuf::util::MessageDifferencer;

TEST(PlacementIdempotencyTest, ReplaysGetTheFirstAnswerAndReusedKeysAreRefused) {
  ServiceProcess server(PlacementOptions());
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string acme = server.IssueToken("acme-1", {Role::kProvider});
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  const SeededRegister seeded = SeedRegister(stub.get(), admin, acme, officer);
  ASSERT_FALSE(seeded.referral_id.empty());

  // A referral created twice with one key is one referral, answered identically.
  const pb::CreateReferralRequest create = NorwichReferral("926", 30);
  pb::CreateReferralResponse first, again;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::CreateReferral, create, &first).ok());
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::CreateReferral, create, &again).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(first, again)) << again.DebugString();
  EXPECT_EQ(first.referral().audit().request_id(), create.request_id());

  // The same key with a different referral is refused, and nothing is written.
  pb::CreateReferralRequest changed = create;
  changed.mutable_referral()->mutable_profile()->set_age_years(15);
  pb::CreateReferralResponse refused;
  grpc::Status st = CallPlacement(stub.get(), officer, &Stub::CreateReferral, changed, &refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(st)), "IDEMPOTENCY_KEY_REUSED");

  // A hold replayed takes no second bed and answers with the first hold and vacancy as they were.
  pb::HoldVacancyRequest hold;
  hold.set_request_id("hold-once");
  hold.set_vacancy_id(seeded.vacancy.vacancy_id());
  hold.set_referral_id(first.referral().referral_id());
  pb::HoldVacancyResponse held, replayed;
  st = CallPlacement(stub.get(), officer, &Stub::HoldVacancy, hold, &held);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::HoldVacancy, hold, &replayed).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(held, replayed)) << replayed.DebugString();
  pb::GetVacancyRequest get;
  get.set_vacancy_id(seeded.vacancy.vacancy_id());
  pb::GetVacancyResponse now;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::GetVacancy, get, &now).ok());
  EXPECT_EQ(now.vacancy().beds_held(), 1);

  // An update replayed after the vacancy moved on still gets its own first answer.
  pb::UpdateVacancyRequest update;
  update.set_request_id("update-once");
  *update.mutable_vacancy() = now.vacancy();
  update.mutable_vacancy()->set_beds(3);
  pb::UpdateVacancyResponse updated, updated_again;
  st = CallPlacement(stub.get(), acme, &Stub::UpdateVacancy, update, &updated);
  ASSERT_TRUE(st.ok()) << st.error_message();
  pb::ConfirmVacancyAvailabilityRequest confirm;
  confirm.set_request_id("confirm-after");
  confirm.set_vacancy_id(now.vacancy().vacancy_id());
  pb::ConfirmVacancyAvailabilityResponse confirmed;
  ASSERT_TRUE(
      CallPlacement(stub.get(), acme, &Stub::ConfirmVacancyAvailability, confirm, &confirmed).ok());
  ASSERT_TRUE(CallPlacement(stub.get(), acme, &Stub::UpdateVacancy, update, &updated_again).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(updated, updated_again)) << updated_again.DebugString();
  EXPECT_LT(updated_again.vacancy().version(), confirmed.vacancy().version());

  // UASC figures alike: a replay is the first answer; another request under the key is refused.
  pb::SubmitUascPopulationRequest figures;
  figures.set_request_id("figures-once");
  figures.mutable_population()->mutable_la_code()->set_value("926");
  figures.mutable_population()->mutable_as_of()->set_year(2025);
  figures.mutable_population()->mutable_as_of()->set_month(3);
  figures.mutable_population()->mutable_as_of()->set_day(31);
  figures.mutable_population()->set_under18_population(160000);
  figures.mutable_population()->set_uasc_count(120);
  pb::SubmitUascPopulationResponse stored, stored_again;
  st = CallPlacement(stub.get(), admin, &Stub::SubmitUascPopulation, figures, &stored);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(
      CallPlacement(stub.get(), admin, &Stub::SubmitUascPopulation, figures, &stored_again).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, stored_again));
  figures.mutable_population()->set_uasc_count(121);
  st = CallPlacement(stub.get(), admin, &Stub::SubmitUascPopulation, figures, &stored_again);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(st)), "IDEMPOTENCY_KEY_REUSED");
}

}  // namespace
}  // namespace slihub::testing
