// The peer review service's demo data and idempotent retries through the real slihub-peerreview
// binary: the East of England demo loads a lived-in cycle (events held and scheduled, findings
// with actions due and overdue, the last closed cycle whose actions reach the data pack, the next
// cycle in set-up that takes a grouping),
// loads nothing more on a restart, and feeds `slihub peer summary --html`; retried mutations give
// the first answer and write once, and each record's audit names the call's x-request-id; the
// South East demo covers its 19 LAs.
#include <csignal>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace pr = ::slihub::peerreview::v1;
namespace cv1 = ::slihub::common::v1;

cv1::CivilDate Plus(const cv1::CivilDate& date, int days) {
  const absl::CivilDay day = absl::CivilDay(date.year(), date.month(), date.day()) + days;
  cv1::CivilDate out;
  out.set_year(static_cast<int>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

// What the demo holds, as counted through the API.
struct Counts {
  int cycles = 0;
  std::string current;   // the CHALLENGE cycle
  std::string previous;  // the CLOSED one
  std::string next;      // the one in SETUP
  int events = 0;
  int held = 0;
  int findings = 0;
  int previous_findings = 0;
  std::set<std::string> event_ids;
};

class PeerReviewDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServiceProcessOptions options;
    options.service = "peerreview";
    options.region = Region();
    options.extra_args = {"--demo-data"};
    server_ = std::make_unique<ServiceProcess>(options);
    ASSERT_TRUE(server_->Start().ok());
    admin_ = server_->IssueToken("ee-admin", {Role::kRegionalAdmin});
  }

  virtual std::string Region() const { return "EE"; }

  // Calls `call` as the regional admin, with `x_request_id` as the x-request-id header when not empty.
  template <typename Call>
  absl::Status Invoke(Call call, const std::string& x_request_id = "") {
    auto stub = pr::PeerReviewService::NewStub(server_->NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, admin_, absl::Seconds(20));
    if (!x_request_id.empty()) context.AddMetadata("x-request-id", x_request_id);
    return FromGrpcStatus(call(*stub, &context));
  }

  Counts Count() {
    Counts c;
    pr::ListCyclesRequest list;
    pr::ListCyclesResponse cycles;
    EXPECT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListCycles(ctx, list, &cycles); }).ok());
    c.cycles = cycles.cycles_size();
    for (const pr::Cycle& cycle : cycles.cycles()) {
      if (cycle.state() == pr::CYCLE_STATE_CHALLENGE) c.current = cycle.cycle_id();
      if (cycle.state() == pr::CYCLE_STATE_CLOSED) c.previous = cycle.cycle_id();
      if (cycle.state() == pr::CYCLE_STATE_SETUP) c.next = cycle.cycle_id();
    }
    pr::ListChallengeEventsRequest events_request;
    events_request.set_cycle_id(c.current);
    events_request.mutable_page()->set_page_size(100);
    pr::ListChallengeEventsResponse events;
    EXPECT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListChallengeEvents(ctx, events_request, &events); }).ok());
    c.events = events.events_size();
    for (const pr::ChallengeEvent& e : events.events()) {
      c.event_ids.insert(e.event_id());
      if (e.state() == pr::CHALLENGE_EVENT_STATE_HELD) ++c.held;
    }
    for (auto [cycle_id, count] : {std::make_pair(c.current, &c.findings), std::make_pair(c.previous, &c.previous_findings)}) {
      pr::ListFindingsRequest request;
      request.set_cycle_id(cycle_id);
      request.mutable_page()->set_page_size(100);
      pr::ListFindingsResponse findings;
      EXPECT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListFindings(ctx, request, &findings); }).ok());
      *count = findings.findings_size();
    }
    return c;
  }

  pr::Cycle GetCycle(const std::string& cycle_id) {
    pr::GetCycleRequest request;
    request.set_cycle_id(cycle_id);
    pr::GetCycleResponse response;
    EXPECT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.GetCycle(ctx, request, &response); }).ok());
    return response.cycle();
  }

  pr::RegionalSummary Summary(const std::string& cycle_id) {
    pr::GetRegionalSummaryRequest request;
    request.set_cycle_id(cycle_id);
    pr::GetRegionalSummaryResponse response;
    EXPECT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.GetRegionalSummary(ctx, request, &response); }).ok());
    return response.summary();
  }

  TempDir dir_;
  std::unique_ptr<ServiceProcess> server_;
  std::string admin_;
};

TEST_F(PeerReviewDemoTest, DemoIsALivedInCycleLoadedOnce) {
  const Counts first = Count();
  EXPECT_EQ(first.cycles, 3);
  ASSERT_FALSE(first.current.empty());
  ASSERT_FALSE(first.previous.empty());
  EXPECT_EQ(first.events, 11);
  EXPECT_EQ(first.held, 6);
  EXPECT_EQ(first.findings, 6);
  EXPECT_EQ(first.previous_findings, 11);
  const pr::Cycle cycle = GetCycle(first.current);
  EXPECT_EQ(cycle.groups_size(), 4);

  const pr::RegionalSummary summary = Summary(first.current);
  EXPECT_EQ(summary.las_with_findings(), 6);
  ASSERT_GT(summary.themes_size(), 0);
  EXPECT_GT(summary.strengths_to_share_size(), 0);
  // Ranked themes are those LAs name for development or priority: none with 0 LAs; and an LA's
  // strength is listed once however many records repeat it.
  for (const pr::ThemeRanking& theme : summary.themes()) {
    EXPECT_GT(theme.distinct_las(), 0) << theme.theme().theme_id();
    EXPECT_EQ(theme.la_codes_size(), theme.distinct_las());
  }
  std::set<std::pair<std::string, std::string>> strengths;
  for (const pr::SharedStrength& s : summary.strengths_to_share()) {
    EXPECT_TRUE(strengths.insert({s.la_code().value(), s.text()}).second)
        << s.la_code().value() << " offers twice: " << s.text();
  }
  int overdue = 0;
  for (const pr::DueAction& due : summary.actions_due()) overdue += due.overdue() ? 1 : 0;
  EXPECT_EQ(overdue, 3);
  EXPECT_EQ(summary.actions_due_size(), 9);

  // Last year's actions for a host reach this year's data pack, with the data collection service
  // not configured.
  pr::GetDataPackRequest ask_pack;
  ask_pack.set_cycle_id(first.current);
  *ask_pack.mutable_host() = cycle.participants(0).la_code();
  pr::GetDataPackResponse pack;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.GetDataPack(ctx, ask_pack, &pack); }).ok());
  EXPECT_EQ(pack.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_UNAVAILABLE);
  pr::ListFindingsRequest previous_request;
  previous_request.set_cycle_id(first.previous);
  *previous_request.mutable_host() = ask_pack.host();
  pr::ListFindingsResponse previous;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListFindings(ctx, previous_request, &previous); }).ok());
  ASSERT_EQ(previous.findings_size(), 1);
  EXPECT_GE(pack.data_pack().previous_actions_size(), 2);
  ASSERT_EQ(pack.data_pack().previous_actions_size(), previous.findings(0).actions_size());
  for (int i = 0; i < previous.findings(0).actions_size(); ++i) {
    EXPECT_EQ(pack.data_pack().previous_actions(i).SerializeAsString(),
              previous.findings(0).actions(i).SerializeAsString());
  }
  EXPECT_GT(pack.data_pack().reviewers_size(), 0);

  // `slihub peer summary --html` on the demo.
  const std::string html_path = dir_.Join("summary.html");
  const CliResult summary_run = RunCli(
      dir_.path(), {"peer", "summary", "--endpoint=" + server_->endpoint(), "--token=" + admin_,
                    "--cycle=" + first.current, "--html=" + html_path});
  ASSERT_EQ(summary_run.exit_code, 0) << summary_run.err;
  std::ifstream in(html_path);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<h2>Actions due by"), std::string::npos);
  EXPECT_NE(html.find("Agree a recruitment and retention plan"), std::string::npos) << html;
  EXPECT_NE(html.find("Workforce"), std::string::npos);

  // The next cycle takes a grouping that repeats no partner of the last three years.
  pr::ProposeGroupsRequest propose;
  propose.set_request_id("propose-next");
  propose.set_cycle_id(first.next);
  propose.mutable_config()->set_group_size(3);
  propose.mutable_config()->set_no_repeat_cycles(3);
  pr::ProposeGroupsResponse proposed;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ProposeGroups(ctx, propose, &proposed); }).ok());
  EXPECT_EQ(proposed.proposal().outcome(), pr::PROPOSAL_OUTCOME_OPTIMAL);
  EXPECT_EQ(proposed.proposal().groups_size(), 4);
  for (const pr::ConstraintStatus& c : proposed.proposal().constraints()) {
    EXPECT_NE(c.state(), pr::CONSTRAINT_STATE_VIOLATED) << c.detail();
  }

  // A restart with --demo-data again adds nothing.
  ASSERT_TRUE(server_->process().Signal(SIGTERM).ok());
  ASSERT_TRUE(server_->process().WaitForExit(absl::Seconds(20)).has_value());
  ASSERT_TRUE(server_->Start().ok());
  const Counts second = Count();
  EXPECT_EQ(second.cycles, first.cycles);
  EXPECT_EQ(second.current, first.current);
  EXPECT_EQ(second.next, first.next);
  EXPECT_EQ(second.events, first.events);
  EXPECT_EQ(second.event_ids, first.event_ids);
  EXPECT_EQ(second.findings, first.findings);
  EXPECT_EQ(second.previous_findings, first.previous_findings);
  EXPECT_EQ(Summary(first.current).actions_due_size(), summary.actions_due_size());
}

// A weekday on or after `date`.
cv1::CivilDate WeekdayFrom(const cv1::CivilDate& date) {
  absl::CivilDay day(date.year(), date.month(), date.day());
  while (absl::GetWeekday(day) == absl::Weekday::saturday ||
         absl::GetWeekday(day) == absl::Weekday::sunday) {
    ++day;
  }
  cv1::CivilDate out;
  out.set_year(static_cast<int>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

// The contract: no LA is in two live events on one day, a confirmed thematic review included.
// Moving a challenge event onto its host's confirmed review day is refused, and the scheduler
// leaves a challenge unplaced rather than book its host on that day.
TEST_F(PeerReviewDemoTest, ConfirmedThematicReviewBooksItsLasAgainstChallengeEvents) {
  const Counts before = Count();
  const pr::Cycle cycle = GetCycle(before.current);
  const cv1::CivilDate today = Summary(before.current).as_of_date();
  pr::ListChallengeEventsRequest list;
  list.set_cycle_id(before.current);
  list.add_states(pr::CHALLENGE_EVENT_STATE_SCHEDULED);
  pr::ListChallengeEventsResponse scheduled;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) {
                return s.ListChallengeEvents(ctx, list, &scheduled);
              }).ok());
  ASSERT_GT(scheduled.events_size(), 0);
  const pr::ChallengeEvent event = scheduled.events(0);

  // A review of the event's host on a free weekday of the challenge phase, confirmed.
  const cv1::CivilDate review_day = WeekdayFrom(Plus(today, 20));
  pr::RequestThematicReviewRequest ask;
  ask.set_request_id("thematic-clash");
  ask.set_cycle_id(before.current);
  *ask.mutable_host() = event.host();
  ask.set_theme_id("workforce");
  *ask.mutable_dates()->mutable_start() = review_day;
  *ask.mutable_dates()->mutable_end() = review_day;
  ask.set_reviewer_count(2);
  pr::RequestThematicReviewResponse review;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) {
                return s.RequestThematicReview(ctx, ask, &review);
              }).ok());
  pr::AdvanceThematicReviewRequest confirm;
  confirm.set_request_id("thematic-clash-confirm");
  confirm.set_review_id(review.review().review_id());
  confirm.set_target_state(pr::THEMATIC_REVIEW_STATE_CONFIRMED);
  pr::AdvanceThematicReviewResponse confirmed;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) {
                return s.AdvanceThematicReview(ctx, confirm, &confirmed);
              }).ok());
  ASSERT_EQ(confirmed.review().state(), pr::THEMATIC_REVIEW_STATE_CONFIRMED);

  pr::UpdateChallengeEventRequest move;
  move.set_request_id("move-onto-review");
  *move.mutable_event() = event;
  *move.mutable_event()->mutable_date() = review_day;
  move.set_expected_version(event.version());
  pr::UpdateChallengeEventResponse moved;
  const absl::Status refused =
      Invoke([&](auto& s, auto* ctx) { return s.UpdateChallengeEvent(ctx, move, &moved); });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find(review.review().review_id()), absl::string_view::npos)
      << refused;

  // The scheduler, with every other day of the phase excluded, leaves the challenge unplaced.
  pr::AdvanceChallengeEventRequest cancel;
  cancel.set_request_id("cancel-for-review");
  cancel.set_event_id(event.event_id());
  cancel.set_target_state(pr::CHALLENGE_EVENT_STATE_CANCELLED);
  cancel.set_note("Moved to make room");
  pr::AdvanceChallengeEventResponse cancelled;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) {
                return s.AdvanceChallengeEvent(ctx, cancel, &cancelled);
              }).ok());
  pr::ScheduleChallengeEventsRequest schedule;
  schedule.set_request_id("schedule-around-review");
  schedule.set_cycle_id(before.current);
  const pr::DateRange& phase = cycle.phases().challenge_events();
  const absl::CivilDay keep(review_day.year(), review_day.month(), review_day.day());
  for (absl::CivilDay day(phase.start().year(), phase.start().month(), phase.start().day());
       day <= absl::CivilDay(phase.end().year(), phase.end().month(), phase.end().day()); ++day) {
    if (day == keep) continue;
    cv1::CivilDate* excluded = schedule.mutable_options()->add_excluded_dates();
    excluded->set_year(static_cast<int>(day.year()));
    excluded->set_month(day.month());
    excluded->set_day(day.day());
  }
  pr::ScheduleChallengeEventsResponse placed;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) {
                return s.ScheduleChallengeEvents(ctx, schedule, &placed);
              }).ok());
  EXPECT_EQ(placed.scheduled_size(), 0);
  ASSERT_EQ(placed.unscheduled_size(), 1);
  EXPECT_EQ(placed.unscheduled(0).host().value(), event.host().value());
}

// One set of grouping defaults: `slihub peer groups propose` without flags and ProposeGroups with
// an empty config ask for, and get, the same grouping of the same cycle.
TEST_F(PeerReviewDemoTest, ProposeGroupsDefaultsAreTheSameThroughTheApiAndTheCli) {
  const Counts c = Count();
  ASSERT_FALSE(c.next.empty());
  const CliResult run = RunCli(
      dir_.path(), {"peer", "groups", "propose", "--endpoint=" + server_->endpoint(),
                    "--token=" + admin_, "--cycle=" + c.next, "--request-id=cli-defaults",
                    "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  pr::ProposeGroupsResponse by_cli;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &by_cli).ok()) << run.out;

  pr::ProposeGroupsRequest propose;
  propose.set_request_id("api-defaults");
  propose.set_cycle_id(c.next);
  pr::ProposeGroupsResponse by_api;
  const absl::Status status =
      Invoke([&](auto& s, auto* ctx) { return s.ProposeGroups(ctx, propose, &by_api); });
  ASSERT_TRUE(status.ok()) << status;

  const pr::GroupingConfig& config = by_api.proposal().config();
  EXPECT_EQ(config.group_size(), 3);
  EXPECT_EQ(config.no_repeat_cycles(), 1);
  EXPECT_EQ(config.weights().grade_mix(), 50);
  EXPECT_EQ(config.weights().review_load(), 30);
  EXPECT_EQ(config.SerializeAsString(), by_cli.proposal().config().SerializeAsString())
      << config.ShortDebugString() << " vs " << by_cli.proposal().config().ShortDebugString();
  EXPECT_EQ(by_api.proposal().score(), by_cli.proposal().score());
  ASSERT_EQ(by_api.proposal().groups_size(), by_cli.proposal().groups_size());
  for (int i = 0; i < by_api.proposal().groups_size(); ++i) {
    EXPECT_EQ(by_api.proposal().groups(i).members().size(),
              by_cli.proposal().groups(i).members().size());
    for (int m = 0; m < by_api.proposal().groups(i).members_size(); ++m) {
      EXPECT_EQ(by_api.proposal().groups(i).members(m).value(),
                by_cli.proposal().groups(i).members(m).value());
    }
  }
}

class PeerReviewSouthEastDemoTest : public PeerReviewDemoTest {
 protected:
  std::string Region() const override { return "SE"; }
};

TEST_F(PeerReviewSouthEastDemoTest, DemoCoversTheNineteenLas) {
  const Counts c = Count();
  EXPECT_EQ(c.cycles, 3);
  EXPECT_EQ(c.events, 19);
  EXPECT_EQ(c.held, 10);
  EXPECT_EQ(c.findings, 10);
  EXPECT_EQ(c.previous_findings, 19);
  EXPECT_EQ(GetCycle(c.current).groups_size(), 6);
  EXPECT_GT(Summary(c.current).actions_due_size(), 0);
}

// Expects `status` to be the contract's answer to a request id reused for a different request:
// INVALID_ARGUMENT on request_id with ErrorInfo IDEMPOTENCY_KEY_REUSED (idempotency.h).
void ExpectReused(const absl::Status& status) {
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_EQ(GetErrorReason(status), "IDEMPOTENCY_KEY_REUSED");
  const std::vector<FieldViolation> violations = GetFieldViolations(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field, "request_id");
}

TEST_F(PeerReviewDemoTest, RetriesAnswerTheSameAndWriteOnceAuditNamingTheCall) {
  const Counts before = Count();
  const pr::Cycle cycle = GetCycle(before.current);
  const cv1::CivilDate today = Summary(before.current).as_of_date();

  // DeclareUnavailability.
  pr::DeclareUnavailabilityRequest declare;
  declare.set_request_id("unavailable-1");
  declare.set_cycle_id(before.current);
  *declare.mutable_unavailability()->mutable_la_code() = cycle.participants(3).la_code();
  *declare.mutable_unavailability()->mutable_dates()->mutable_start() = Plus(today, 40);
  *declare.mutable_unavailability()->mutable_dates()->mutable_end() = Plus(today, 41);
  declare.mutable_unavailability()->set_reason("Ofsted focused visit");
  pr::DeclareUnavailabilityResponse declared, again;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.DeclareUnavailability(ctx, declare, &declared); }, "rid-declare").ok());
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.DeclareUnavailability(ctx, declare, &again); }, "rid-declare-retry").ok());
  EXPECT_EQ(again.SerializeAsString(), declared.SerializeAsString());
  EXPECT_EQ(declared.cycle().audit().request_id(), "rid-declare");
  EXPECT_EQ(GetCycle(before.current).unavailability_size(), 1);
  EXPECT_EQ(GetCycle(before.current).version(), declared.cycle().version());
  declare.mutable_unavailability()->set_reason("Training day");
  ExpectReused(Invoke([&](auto& s, auto* ctx) { return s.DeclareUnavailability(ctx, declare, &again); }));

  // ScheduleChallengeEvents, after cancelling a scheduled event so one challenge needs a date.
  pr::ListChallengeEventsRequest list;
  list.set_cycle_id(before.current);
  list.add_states(pr::CHALLENGE_EVENT_STATE_SCHEDULED);
  pr::ListChallengeEventsResponse scheduled_events;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListChallengeEvents(ctx, list, &scheduled_events); }).ok());
  ASSERT_GT(scheduled_events.events_size(), 0);
  pr::AdvanceChallengeEventRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_event_id(scheduled_events.events(0).event_id());
  cancel.set_target_state(pr::CHALLENGE_EVENT_STATE_CANCELLED);
  cancel.set_note("Host's DCS unavailable");
  pr::AdvanceChallengeEventResponse cancelled;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.AdvanceChallengeEvent(ctx, cancel, &cancelled); }, "rid-cancel").ok());
  EXPECT_EQ(cancelled.event().audit().request_id(), "rid-cancel");
  pr::ScheduleChallengeEventsRequest schedule;
  schedule.set_request_id("schedule-1");
  schedule.set_cycle_id(before.current);
  schedule.mutable_options()->set_seed(7);
  pr::ScheduleChallengeEventsResponse placed, placed_again;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ScheduleChallengeEvents(ctx, schedule, &placed); }, "rid-schedule").ok());
  ASSERT_EQ(placed.scheduled_size(), 1);
  EXPECT_EQ(placed.scheduled(0).host().value(), scheduled_events.events(0).host().value());
  EXPECT_EQ(placed.scheduled(0).audit().request_id(), "rid-schedule");
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ScheduleChallengeEvents(ctx, schedule, &placed_again); }).ok());
  EXPECT_EQ(placed_again.SerializeAsString(), placed.SerializeAsString());
  EXPECT_EQ(Count().events, before.events + 1);
  schedule.mutable_options()->set_seed(8);
  ExpectReused(Invoke([&](auto& s, auto* ctx) { return s.ScheduleChallengeEvents(ctx, schedule, &placed_again); }));

  // RequestThematicReview.
  pr::RequestThematicReviewRequest ask;
  ask.set_request_id("thematic-1");
  ask.set_cycle_id(before.current);
  *ask.mutable_host() = cycle.participants(2).la_code();
  ask.set_theme_id("workforce");
  *ask.mutable_dates()->mutable_start() = Plus(today, 50);
  *ask.mutable_dates()->mutable_end() = Plus(today, 51);
  ask.set_reviewer_count(2);
  ask.set_seed(3);
  pr::RequestThematicReviewResponse review, review_again;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.RequestThematicReview(ctx, ask, &review); }, "rid-thematic").ok());
  EXPECT_EQ(review.review().audit().request_id(), "rid-thematic");
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.RequestThematicReview(ctx, ask, &review_again); }).ok());
  EXPECT_EQ(review_again.SerializeAsString(), review.SerializeAsString());
  pr::ListThematicReviewsRequest list_reviews;
  list_reviews.set_cycle_id(before.current);
  pr::ListThematicReviewsResponse reviews;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListThematicReviews(ctx, list_reviews, &reviews); }).ok());
  EXPECT_EQ(reviews.reviews_size(), 1);
  ask.set_theme_id("send");
  ExpectReused(Invoke([&](auto& s, auto* ctx) { return s.RequestThematicReview(ctx, ask, &review_again); }));

  // RecordFindings, replacing a demo record.
  pr::ListFindingsRequest list_findings;
  list_findings.set_cycle_id(before.current);
  pr::ListFindingsResponse findings;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.ListFindings(ctx, list_findings, &findings); }).ok());
  ASSERT_GT(findings.findings_size(), 0);
  pr::RecordFindingsRequest record;
  record.set_request_id("findings-1");
  *record.mutable_findings() = findings.findings(0);
  record.mutable_findings()->set_summary("Revised after the host's factual accuracy check.");
  record.set_expected_version(findings.findings(0).version());
  pr::RecordFindingsResponse recorded, recorded_again;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.RecordFindings(ctx, record, &recorded); }, "rid-findings").ok());
  EXPECT_EQ(recorded.findings().version(), findings.findings(0).version() + 1);
  EXPECT_EQ(recorded.findings().audit().request_id(), "rid-findings");
  EXPECT_EQ(recorded.findings().audit().created_by(), findings.findings(0).audit().created_by());
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.RecordFindings(ctx, record, &recorded_again); }).ok());
  EXPECT_EQ(recorded_again.SerializeAsString(), recorded.SerializeAsString());
  pr::GetFindingsRequest get;
  get.set_findings_id(findings.findings(0).findings_id());
  pr::GetFindingsResponse stored;
  ASSERT_TRUE(Invoke([&](auto& s, auto* ctx) { return s.GetFindings(ctx, get, &stored); }).ok());
  EXPECT_EQ(stored.findings().version(), recorded.findings().version());
  EXPECT_EQ(Count().findings, before.findings);
  record.mutable_findings()->set_summary("Another text under the same request id.");
  ExpectReused(Invoke([&](auto& s, auto* ctx) { return s.RecordFindings(ctx, record, &recorded_again); }));
}

}  // namespace
}  // namespace slihub::testing
