// The forwarding logic against a fake hub connection: the requests the owner sees, what this hub
// records of the owner's answers, and the release of a closed referral's holds at their owners.
#include "services/placement/adapter/hub_forwarding.h"

#include "absl/strings/match.h"
#include "common/errors/errors.h"
#include "gtest/gtest.h"
#include "services/placement/client/testing/fake_placement_hub_connection.h"

namespace slihub::placement {
namespace {

using testing::FakePlacementHubConnection;

PeerHoldRecord Hold(const std::string& id, const std::string& region, int64_t version) {
  PeerHoldRecord h;
  h.hold_id = id;
  h.region = region;
  h.referral_id = "EE-r-1";
  h.la_code = "926";
  h.vacancy_id = region + "-v-1";
  h.version = version;
  return h;
}

TEST(HubForwardingTest, ForwardedRequestIdIsStablePerCallerAndHidesTheSubject) {
  const std::string a = ForwardedRequestId("officer-1", "req-1");
  EXPECT_EQ(a, ForwardedRequestId("officer-1", "req-1"));  // a retry replays at the owner
  EXPECT_NE(a, ForwardedRequestId("officer-2", "req-1"));  // two callers never collide
  EXPECT_NE(a, ForwardedRequestId("officer-1", "req-2"));
  EXPECT_FALSE(absl::StrContains(a, "officer"));
  EXPECT_TRUE(absl::StartsWith(a, "fwd-"));
}

TEST(HubForwardingTest, ForwardedRequestsCarryTheDerivedIdAndTheLa) {
  v1::HoldVacancyRequest hold;
  hold.set_request_id("r1");
  hold.set_vacancy_id("SE-v-3");
  hold.set_referral_id("EE-r-1");
  const v1::HoldVacancyRequest h = ForwardedHold(hold, "officer-1", "926");
  EXPECT_EQ(h.request_id(), ForwardedRequestId("officer-1", "r1"));
  EXPECT_EQ(h.requesting_la().value(), "926");
  EXPECT_EQ(h.vacancy_id(), "SE-v-3");

  v1::ConfirmPlacementRequest confirm;
  confirm.set_request_id("r2");
  confirm.set_hold_id("SE-h-9");
  confirm.set_version(1);
  confirm.mutable_requesting_la()->set_value("999");  // a caller's own value never passes
  const v1::ConfirmPlacementRequest officer = ForwardedConfirm(confirm, "officer-1", "926");
  EXPECT_EQ(officer.request_id(), ForwardedRequestId("officer-1", "r2"));
  EXPECT_EQ(officer.requesting_la().value(), "926");
  const v1::ConfirmPlacementRequest admin = ForwardedConfirm(confirm, "admin-1", "");
  EXPECT_FALSE(admin.has_requesting_la());

  v1::ReleaseHoldRequest release;
  release.set_request_id("r3");
  EXPECT_EQ(ForwardedRelease(release, "officer-1", "926").requesting_la().value(), "926");
  EXPECT_FALSE(ForwardedRelease(release, "admin-1", "").has_requesting_la());
}

TEST(HubForwardingTest, AConfirmedPlacementIsRecordedWithTheDistanceWorkedOutHere) {
  v1::ConfirmPlacementResponse reply;
  reply.mutable_hold()->set_hold_id("SE-h-9");
  reply.mutable_hold()->set_vacancy_id("SE-v-3");
  reply.mutable_hold()->mutable_la_code()->set_value("926");
  reply.mutable_hold()->set_state(v1::HOLD_STATE_CONFIRMED);
  reply.mutable_hold()->set_version(2);
  reply.mutable_placement()->set_placement_id("SE-pl-4");
  reply.mutable_placement()->mutable_start_date()->set_year(2026);
  reply.mutable_placement()->mutable_start_date()->set_month(3);
  reply.mutable_placement()->mutable_start_date()->set_day(2);
  reply.mutable_placement()->mutable_weekly_cost()->set_pence(450000);
  reply.mutable_placement()->mutable_confirm_time()->set_seconds(1790000000);
  const PeerHoldRecord r =
      PeerPlacementFromReply("SE", "EE-r-1", reply, 41.5, absl::FromUnixSeconds(1));
  EXPECT_EQ(r.region, "SE");
  EXPECT_EQ(r.referral_id, "EE-r-1");
  EXPECT_EQ(r.hold_id, "SE-h-9");
  EXPECT_EQ(r.state, kHoldConfirmed);
  EXPECT_EQ(r.version, 2);
  EXPECT_EQ(r.placement_id, "SE-pl-4");
  EXPECT_EQ(*r.start_date, absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(r.weekly_cost_pence, 450000);
  EXPECT_EQ(*r.distance_miles, 41.5);
  EXPECT_EQ(*r.confirm_time, absl::FromUnixSeconds(1790000000));
}

TEST(HubForwardingTest, ClosingReleasesEachHoldAtItsOwnerUnderAReplayableId) {
  FakePlacementHubConnection hubs({"LDN", "SE"});
  v1::ReleaseHoldResponse released;
  released.mutable_hold()->set_hold_id("SE-h-1");
  released.mutable_hold()->set_state(v1::HOLD_STATE_RELEASED);
  released.mutable_hold()->set_version(3);
  released.mutable_hold()->mutable_la_code()->set_value("926");
  hubs.SetReleaseHold(released);
  const std::vector<PeerReleaseOutcome> out = ReleasePeerHolds(
      hubs, {Hold("SE-h-1", "SE", 2), Hold("LDN-h-5", "LDN", 1)}, "officer-1", "close-1",
      "referral closed");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].released);
  EXPECT_TRUE(out[0].ended);
  EXPECT_EQ(out[0].hold.state, kHoldReleased);
  EXPECT_EQ(out[0].hold.version, 3);
  EXPECT_TRUE(out[0].reason.empty());
  const auto asked = hubs.releases();
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[0].first, "SE");
  EXPECT_EQ(asked[1].first, "LDN");
  EXPECT_EQ(asked[0].second.hold_id(), "SE-h-1");
  EXPECT_EQ(asked[0].second.version(), 2);
  EXPECT_EQ(asked[0].second.requesting_la().value(), "926");
  EXPECT_EQ(asked[0].second.reason(), "referral closed");
  // Distinct per hold, the same on a retry of the close.
  EXPECT_NE(asked[0].second.request_id(), asked[1].second.request_id());
  ReleasePeerHolds(hubs, {Hold("SE-h-1", "SE", 2)}, "officer-1", "close-1", "referral closed");
  EXPECT_EQ(hubs.releases()[2].second.request_id(), asked[0].second.request_id());
}

TEST(HubForwardingTest, AHoldNotReleasedSaysWhyAndAnEndedOneIsEnded) {
  FakePlacementHubConnection hubs({"SE"});
  hubs.SetReleaseHold(RegionUnavailable("SE", "the owning hub did not answer the release"));
  std::vector<PeerReleaseOutcome> out =
      ReleasePeerHolds(hubs, {Hold("SE-h-1", "SE", 2)}, "officer-1", "close-1", "closed");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].released);
  EXPECT_FALSE(out[0].ended);  // still held there: a retry of the close tries again
  EXPECT_TRUE(absl::StrContains(out[0].reason, "region SE")) << out[0].reason;
  EXPECT_TRUE(absl::StrContains(out[0].reason, "until it lapses")) << out[0].reason;

  hubs.SetReleaseHold(FailedPreconditionError(
      "expired", {{"HOLD_EXPIRED", "hold/SE-h-1", "the hold had expired; its bed is free again"}}));
  out = ReleasePeerHolds(hubs, {Hold("SE-h-1", "SE", 2)}, "officer-1", "close-1", "closed");
  EXPECT_FALSE(out[0].released);
  EXPECT_TRUE(out[0].ended);
  EXPECT_EQ(out[0].hold.state, kHoldExpired);
  EXPECT_TRUE(absl::StrContains(out[0].reason, "no longer active")) << out[0].reason;
}

TEST(HubForwardingTest, ARegionWithoutAPeerIsUnavailableNamingIt) {
  const absl::Status s = RegionUnavailable("NW", "no peer hub is configured");
  EXPECT_TRUE(absl::IsUnavailable(s));
  EXPECT_TRUE(absl::StrContains(s.message(), "region NW")) << s;
}

}  // namespace
}  // namespace slihub::placement
