// A full peer review cycle for the 11 East of England LAs through the real slihub-peerreview
// binary: self-assessments, moderation, groups, scheduled and held challenge events, findings with
// agreed actions, a thematic review with its team, the regional summary listing actions due, and
// the data pack from the real data collection service while it runs and after it stops.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/reference_data_service.grpc.pb.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace pr = ::slihub::peerreview::v1;
namespace cv1 = ::slihub::common::v1;

cv1::CivilDate Date(int y, int m, int d) {
  cv1::CivilDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

pr::Statement Statement(const std::string& text, const std::string& theme, bool share = false) {
  pr::Statement s;
  s.set_text(text);
  s.add_theme_ids(theme);
  s.set_share_with_region(share);
  return s;
}

class PeerReviewFullCycleTest : public ::testing::Test {
 protected:
  // The data collection service with its demo data, and the peer review service calling it with
  // a service token issued by the data collection hub.
  void SetUp() override {
    ServiceProcessOptions data_options;
    data_options.service = "datacollection";
    data_options.extra_args = {"--demo-data"};
    data_ = std::make_unique<ServiceProcess>(data_options);
    ASSERT_TRUE(data_->Start().ok());
    const std::string token_file = dir_.Join("service-token");
    {
      std::ofstream out(token_file);
      out << data_->IssueToken("hub-service-EE", {Role::kService}) << "\n";
    }
    ServiceProcessOptions options;
    options.service = "peerreview";
    options.extra_args = {"--service-endpoint=datacollection=" + data_->endpoint(),
                          "--service-token-file=" + token_file, "--peer-deadline-ms=3000"};
    server_ = std::make_unique<ServiceProcess>(options);
    ASSERT_TRUE(server_->Start().ok());
    admin_ = server_->IssueToken("ee-admin", {Role::kRegionalAdmin});
  }

  template <typename Call>
  absl::Status Invoke(const std::string& token, Call call) {
    auto stub = pr::PeerReviewService::NewStub(server_->NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, token, absl::Seconds(20));
    return FromGrpcStatus(call(*stub, &context));
  }

  std::vector<std::string> EastOfEngland() {
    auto stub = cv1::ReferenceDataService::NewStub(server_->NewChannel());
    cv1::ListLocalAuthoritiesRequest request;
    request.mutable_region()->set_value("EE");
    cv1::ListLocalAuthoritiesResponse response;
    EXPECT_TRUE(WaitFor([&] {
      grpc::ClientContext context;
      PrepareContext(&context, admin_);
      return stub->ListLocalAuthorities(&context, request, &response).ok();
    }, absl::Seconds(5)));
    std::vector<std::string> codes;
    for (const auto& la : response.local_authorities()) codes.push_back(la.la_code().value());
    return codes;
  }

  std::string Reviewer(const std::string& la) {
    auto it = reviewers_.find(la);
    if (it == reviewers_.end()) {
      it = reviewers_.emplace(la, server_->IssueToken(absl::StrCat("reviewer-", la), {Role::kPeerReviewer}, la)).first;
    }
    return it->second;
  }

  absl::Status Advance(pr::CycleState target) {
    pr::AdvanceCycleRequest advance;
    advance.set_request_id(absl::StrCat("advance-", target));
    advance.set_cycle_id("EE-2025");
    advance.set_target_state(target);
    pr::AdvanceCycleResponse advanced;
    return Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.AdvanceCycle(ctx, advance, &advanced); });
  }

  // Drafts, signs off and submits `la`'s self-assessment: SEND and workforce as areas for
  // development, the first LA's placement practice shared with the region.
  void SubmitSelfAssessment(const std::string& la, bool first) {
    const std::string token = Reviewer(la);
    pr::UpdateSelfAssessmentRequest update;
    update.set_request_id("sa-update");
    update.set_cycle_id("EE-2025");
    update.mutable_la_code()->set_value(la);
    for (auto area : {pr::JUDGEMENT_AREA_OVERALL_EFFECTIVENESS, pr::JUDGEMENT_AREA_LEADERSHIP,
                      pr::JUDGEMENT_AREA_HELP_AND_PROTECTION, pr::JUDGEMENT_AREA_CHILDREN_IN_CARE,
                      pr::JUDGEMENT_AREA_CARE_LEAVERS}) {
      pr::JudgementSection* section = update.mutable_content()->add_sections();
      section->set_area(area);
      section->set_self_grade(pr::OFSTED_GRADE_GOOD);
      if (area == pr::JUDGEMENT_AREA_CHILDREN_IN_CARE) {
        *section->add_areas_for_development() = Statement("Sufficiency of local foster homes", "send");
        *section->add_strengths() = Statement("Edge-of-care hub", "placement_sufficiency", first);
      }
    }
    pr::Priority* priority = update.mutable_content()->add_priorities();
    priority->set_title("Stabilise the workforce");
    priority->add_theme_ids("workforce");
    auto* questions = update.mutable_content()->mutable_ofsted_questions();
    questions->set_what_do_you_know("audits");
    questions->set_how_do_you_know("practice weeks");
    questions->set_what_are_your_plans("the improvement plan");
    pr::UpdateSelfAssessmentResponse updated;
    ASSERT_TRUE(Invoke(token, [&](auto& stub, auto* ctx) {
                  return stub.UpdateSelfAssessment(ctx, update, &updated);
                }).ok());
    int64_t version = updated.self_assessment().version();
    for (auto role : {pr::SIGNATORY_ROLE_DCS, pr::SIGNATORY_ROLE_CHIEF_EXECUTIVE, pr::SIGNATORY_ROLE_LEAD_MEMBER}) {
      pr::SignOffSelfAssessmentRequest sign;
      sign.set_request_id(absl::StrCat("sa-sign-", role));
      sign.set_cycle_id("EE-2025");
      sign.mutable_la_code()->set_value(la);
      sign.set_signatory_role(role);
      sign.set_signatory_name("Signatory");
      sign.set_expected_version(version);
      pr::SignOffSelfAssessmentResponse signed_off;
      ASSERT_TRUE(Invoke(token, [&](auto& stub, auto* ctx) {
                    return stub.SignOffSelfAssessment(ctx, sign, &signed_off);
                  }).ok());
      version = signed_off.self_assessment().version();
    }
    pr::SubmitSelfAssessmentRequest submit;
    submit.set_request_id("sa-submit");
    submit.set_cycle_id("EE-2025");
    submit.mutable_la_code()->set_value(la);
    pr::SubmitSelfAssessmentResponse submitted;
    ASSERT_TRUE(Invoke(token, [&](auto& stub, auto* ctx) {
                  return stub.SubmitSelfAssessment(ctx, submit, &submitted);
                }).ok());
  }

  // Runs the cycle from creation to CHALLENGE with every event HELD; returns the events.
  std::vector<pr::ChallengeEvent> RunToHeldEvents(const std::vector<std::string>& las) {
    pr::CreateCycleRequest create;
    create.set_request_id("create");
    create.mutable_cycle()->set_year(2025);
    for (const auto& la : las) create.mutable_cycle()->add_participants()->mutable_la_code()->set_value(la);
    pr::PhaseDates* phases = create.mutable_cycle()->mutable_phases();
    *phases->mutable_self_assessment_due() = Date(2025, 10, 31);
    *phases->mutable_moderation()->mutable_start() = Date(2025, 11, 3);
    *phases->mutable_moderation()->mutable_end() = Date(2025, 11, 28);
    *phases->mutable_challenge_events()->mutable_start() = Date(2026, 1, 12);
    *phases->mutable_challenge_events()->mutable_end() = Date(2026, 3, 27);
    *phases->mutable_summary_due() = Date(2026, 4, 30);
    pr::CreateCycleResponse created;
    EXPECT_TRUE(WaitFor([&] {
      return Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.CreateCycle(ctx, create, &created); }).ok();
    }, absl::Seconds(5)));
    EXPECT_TRUE(Advance(pr::CYCLE_STATE_SELF_ASSESSMENT).ok());
    for (size_t i = 0; i < las.size(); ++i) SubmitSelfAssessment(las[i], i == 0);
    EXPECT_TRUE(Advance(pr::CYCLE_STATE_MODERATION).ok());
    for (size_t i = 0; i < las.size(); ++i) {
      pr::AssignModeratorRequest assign;
      assign.set_request_id(absl::StrCat("assign-", i));
      assign.set_cycle_id("EE-2025");
      assign.mutable_la_code()->set_value(las[i]);
      assign.mutable_moderator_la()->set_value(las[(i + 1) % las.size()]);
      pr::AssignModeratorResponse assigned;
      EXPECT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.AssignModerator(ctx, assign, &assigned); }).ok());
      pr::CompleteModerationRequest complete;
      complete.set_request_id(absl::StrCat("complete-", i));
      complete.set_cycle_id("EE-2025");
      complete.mutable_la_code()->set_value(las[i]);
      pr::CompleteModerationResponse completed;
      EXPECT_TRUE(Invoke(Reviewer(las[(i + 1) % las.size()]), [&](auto& stub, auto* ctx) {
                    return stub.CompleteModeration(ctx, complete, &completed);
                  }).ok());
    }
    pr::ProposeGroupsRequest propose;
    propose.set_request_id("propose");
    propose.set_cycle_id("EE-2025");
    propose.mutable_config()->set_group_size(3);
    propose.mutable_config()->mutable_weights()->set_grade_mix(50);
    pr::ProposeGroupsResponse proposed;
    EXPECT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.ProposeGroups(ctx, propose, &proposed); }).ok());
    pr::AcceptGroupsRequest accept;
    accept.set_request_id("accept");
    accept.set_cycle_id("EE-2025");
    accept.set_proposal_id(proposed.proposal().proposal_id());
    pr::AcceptGroupsResponse accepted;
    EXPECT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.AcceptGroups(ctx, accept, &accepted); }).ok());
    pr::ScheduleChallengeEventsRequest schedule;
    schedule.set_request_id("schedule");
    schedule.set_cycle_id("EE-2025");
    schedule.mutable_options()->add_excluded_dates()->CopyFrom(Date(2026, 2, 16));
    pr::ScheduleChallengeEventsResponse scheduled;
    EXPECT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) {
                  return stub.ScheduleChallengeEvents(ctx, schedule, &scheduled);
                }).ok());
    EXPECT_EQ(scheduled.scheduled_size(), static_cast<int>(las.size()));
    EXPECT_TRUE(Advance(pr::CYCLE_STATE_CHALLENGE).ok());
    std::vector<pr::ChallengeEvent> events;
    for (const auto& e : scheduled.scheduled()) {
      pr::AdvanceChallengeEventRequest hold;
      hold.set_request_id("hold");
      hold.set_event_id(e.event_id());
      hold.set_target_state(pr::CHALLENGE_EVENT_STATE_HELD);
      pr::AdvanceChallengeEventResponse held;
      EXPECT_TRUE(Invoke(Reviewer(e.host().value()), [&](auto& stub, auto* ctx) {
                    ctx->AddMetadata("x-request-id", "rid-hold-" + e.event_id());
                    return stub.AdvanceChallengeEvent(ctx, hold, &held);
                  }).ok());
      events.push_back(held.event());
    }
    return events;
  }

  TempDir dir_{"slihub-peerreview-pack"};
  std::unique_ptr<ServiceProcess> data_;
  std::unique_ptr<ServiceProcess> server_;
  std::string admin_;
  std::map<std::string, std::string> reviewers_;
};

TEST_F(PeerReviewFullCycleTest, ElevenLasFromSelfAssessmentToSummaryWithFindingsAndAThematicReview) {
  const std::vector<std::string> las = EastOfEngland();
  ASSERT_EQ(las.size(), 11u);
  const std::vector<pr::ChallengeEvent> events = RunToHeldEvents(las);
  ASSERT_EQ(events.size(), 11u);
  if (HasFatalFailure()) return;
  // Holding an event challenges its host's self-assessment; both audits name the holding call.
  pr::GetSelfAssessmentRequest get_sa;
  get_sa.set_cycle_id("EE-2025");
  *get_sa.mutable_la_code() = events[0].host();
  pr::GetSelfAssessmentResponse challenged;
  ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.GetSelfAssessment(ctx, get_sa, &challenged); }).ok());
  EXPECT_EQ(challenged.self_assessment().state(), pr::SELF_ASSESSMENT_STATE_CHALLENGED);
  EXPECT_EQ(challenged.self_assessment().audit().request_id(), "rid-hold-" + events[0].event_id());
  EXPECT_EQ(events[0].audit().request_id(), "rid-hold-" + events[0].event_id());

  // UpdateCycle: a theme can be added; one in use cannot go, nor can participants change now.
  pr::GetCycleRequest get;
  get.set_cycle_id("EE-2025");
  pr::GetCycleResponse got;
  ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.GetCycle(ctx, get, &got); }).ok());
  pr::UpdateCycleRequest update;
  update.set_request_id("update-themes");
  *update.mutable_cycle() = got.cycle();
  update.set_expected_version(got.cycle().version());
  pr::Theme* added = update.mutable_cycle()->add_themes();
  added->set_theme_id("youth_justice");
  added->set_name("Youth Justice");
  pr::UpdateCycleResponse updated;
  ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.UpdateCycle(ctx, update, &updated); }).ok());
  EXPECT_EQ(updated.cycle().themes_size(), got.cycle().themes_size() + 1);
  EXPECT_EQ(updated.cycle().version(), got.cycle().version() + 1);
  pr::UpdateCycleRequest refused = update;
  refused.set_request_id("update-refused");
  refused.set_expected_version(updated.cycle().version());
  refused.mutable_cycle()->mutable_themes()->DeleteSubrange(1, 1);  // "send", named by every LA
  refused.mutable_cycle()->mutable_participants()->RemoveLast();
  const absl::Status refusal =
      Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.UpdateCycle(ctx, refused, &updated); });
  EXPECT_EQ(refusal.code(), absl::StatusCode::kFailedPrecondition);
  std::set<std::string> refusal_types;
  for (const auto& p : GetPreconditionViolations(refusal)) refusal_types.insert(p.type);
  EXPECT_EQ(refusal_types, (std::set<std::string>{"PARTICIPANTS", "THEME_IN_USE"}));
  refused.set_request_id("update-stale");
  refused.set_expected_version(1);
  EXPECT_EQ(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.UpdateCycle(ctx, refused, &updated); }).code(),
            absl::StatusCode::kAborted);

  // The cycle cannot reach SUMMARY until every held event has findings.
  const absl::Status early = Advance(pr::CYCLE_STATE_SUMMARY);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(early).size(), 11u);

  // Findings per host, recorded by one of its reviewers: the first host's action is overdue.
  std::map<std::string, pr::Findings> findings;
  for (size_t i = 0; i < events.size(); ++i) {
    const pr::ChallengeEvent& e = events[i];
    pr::RecordFindingsRequest record;
    record.set_request_id(absl::StrCat("findings-", i));
    pr::Findings* f = record.mutable_findings();
    f->set_source(pr::FINDINGS_SOURCE_CHALLENGE_EVENT);
    f->set_challenge_event_id(e.event_id());
    f->set_summary("A constructive day.");
    *f->add_strengths() = Statement("Stable leadership team", "workforce", i == 1);
    *f->add_areas_for_development() = Statement("Care leavers' accommodation", "care_leavers");
    pr::Action* action = f->add_actions();
    action->set_description("Review the staying-close offer");
    action->set_owner("Head of Service, Care Leavers");
    *action->mutable_due_date() = i == 0 ? Date(2026, 6, 30) : Date(2027, 6, 30);
    action->add_theme_ids("care_leavers");
    pr::RecordFindingsResponse recorded;
    if (i == 0) {
      // Its host may not record its own findings; an action needs an owner and a due date.
      EXPECT_EQ(Invoke(Reviewer(e.host().value()), [&](auto& stub, auto* ctx) {
                  return stub.RecordFindings(ctx, record, &recorded);
                }).code(),
                absl::StatusCode::kPermissionDenied);
      pr::RecordFindingsRequest bad = record;
      bad.set_request_id("findings-bad");
      bad.mutable_findings()->mutable_actions(0)->clear_owner();
      bad.mutable_findings()->mutable_actions(0)->clear_due_date();
      bad.mutable_findings()->mutable_strengths(0)->set_theme_ids(0, "no_such_theme");
      const absl::Status invalid = Invoke(Reviewer(e.reviewers(0).value()), [&](auto& stub, auto* ctx) {
        return stub.RecordFindings(ctx, bad, &recorded);
      });
      EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
      std::set<std::string> fields;
      for (const auto& v : GetFieldViolations(invalid)) fields.insert(v.field);
      EXPECT_TRUE(fields.count("findings.actions[0].owner")) << invalid;
      EXPECT_TRUE(fields.count("findings.actions[0].due_date")) << invalid;
    }
    const absl::Status status = Invoke(Reviewer(e.reviewers(0).value()), [&](auto& stub, auto* ctx) {
      return stub.RecordFindings(ctx, record, &recorded);
    });
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_EQ(recorded.findings().host().value(), e.host().value());
    EXPECT_EQ(recorded.findings().actions(0).action_id(), "A1");
    EXPECT_EQ(recorded.findings().actions(0).status(), pr::ACTION_STATUS_OPEN);
    findings[e.host().value()] = recorded.findings();
  }
  {
    // A second create for the same event is ALREADY_EXISTS; the host updates its action's progress.
    const pr::ChallengeEvent& e = events[2];
    pr::RecordFindingsRequest again;
    again.set_request_id("findings-again");
    again.mutable_findings()->set_source(pr::FINDINGS_SOURCE_CHALLENGE_EVENT);
    again.mutable_findings()->set_challenge_event_id(e.event_id());
    pr::RecordFindingsResponse recorded;
    EXPECT_EQ(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.RecordFindings(ctx, again, &recorded); }).code(),
              absl::StatusCode::kAlreadyExists);
    pr::UpdateActionStatusRequest progress;
    progress.set_request_id("progress");
    progress.set_findings_id(findings[e.host().value()].findings_id());
    progress.set_action_id("A1");
    progress.set_status(pr::ACTION_STATUS_DONE);
    progress.set_progress_note("Offer relaunched");
    progress.set_expected_version(1);
    pr::UpdateActionStatusResponse updated;
    ASSERT_TRUE(Invoke(Reviewer(e.host().value()), [&](auto& stub, auto* ctx) {
                  return stub.UpdateActionStatus(ctx, progress, &updated);
                }).ok());
    EXPECT_EQ(updated.findings().version(), 2);
    EXPECT_EQ(updated.findings().actions(0).status(), pr::ACTION_STATUS_DONE);
  }

  // A thematic review on care leavers for the first LA: a team of three from other LAs, never one
  // in a declared conflict with the host or excluded by it.
  const std::string host = las[0];
  pr::DeclareConflictOfInterestRequest conflict;
  conflict.set_request_id("coi");
  conflict.set_cycle_id("EE-2025");
  conflict.mutable_pair()->mutable_first()->set_value(host);
  conflict.mutable_pair()->mutable_second()->set_value(las[5]);
  pr::DeclareConflictOfInterestResponse declared;
  ASSERT_TRUE(Invoke(Reviewer(host), [&](auto& stub, auto* ctx) {
                return stub.DeclareConflictOfInterest(ctx, conflict, &declared);
              }).ok());
  pr::RequestThematicReviewRequest ask;
  ask.set_request_id("thematic");
  ask.set_cycle_id("EE-2025");
  ask.mutable_host()->set_value(host);
  ask.set_theme_id("care_leavers");
  ask.set_scope("Care leavers' accommodation and EET");
  *ask.mutable_dates()->mutable_start() = Date(2026, 3, 3);
  *ask.mutable_dates()->mutable_end() = Date(2026, 3, 4);
  ask.set_reviewer_count(3);
  ask.add_excluded()->set_value(las[6]);
  pr::RequestThematicReviewResponse asked;
  ASSERT_TRUE(Invoke(Reviewer(host), [&](auto& stub, auto* ctx) {
                return stub.RequestThematicReview(ctx, ask, &asked);
              }).ok());
  const pr::ThematicReview& review = asked.review();
  EXPECT_EQ(review.state(), pr::THEMATIC_REVIEW_STATE_PROPOSED);
  ASSERT_EQ(review.team_size(), 3);
  for (const auto& member : review.team()) {
    EXPECT_NE(member.value(), host);
    EXPECT_NE(member.value(), las[5]);
    EXPECT_NE(member.value(), las[6]);
  }
  EXPECT_FALSE(review.team_rationale().empty());
  pr::RequestThematicReviewRequest too_many = ask;
  too_many.set_request_id("thematic-too-many");
  too_many.set_reviewer_count(6);
  for (size_t i = 1; i < 5; ++i) too_many.add_excluded()->set_value(las[i]);
  const absl::Status short_team = Invoke(Reviewer(host), [&](auto& stub, auto* ctx) {
    return stub.RequestThematicReview(ctx, too_many, &asked);
  });
  EXPECT_EQ(short_team.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_GE(GetPreconditionViolations(short_team).size(), 6u);  // each LA that could not serve, and why
  for (auto target : {pr::THEMATIC_REVIEW_STATE_CONFIRMED, pr::THEMATIC_REVIEW_STATE_COMPLETED}) {
    pr::AdvanceThematicReviewRequest move;
    move.set_request_id(absl::StrCat("thematic-", target));
    move.set_review_id(review.review_id());
    move.set_target_state(target);
    pr::AdvanceThematicReviewResponse moved;
    ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.AdvanceThematicReview(ctx, move, &moved); }).ok());
  }
  pr::RecordFindingsRequest thematic_findings;
  thematic_findings.set_request_id("thematic-findings");
  thematic_findings.mutable_findings()->set_source(pr::FINDINGS_SOURCE_THEMATIC_REVIEW);
  thematic_findings.mutable_findings()->set_thematic_review_id(review.review_id());
  *thematic_findings.mutable_findings()->add_areas_for_development() = Statement("EET offer", "care_leavers");
  pr::RecordFindingsResponse thematic_recorded;
  ASSERT_TRUE(Invoke(Reviewer(review.team(0).value()), [&](auto& stub, auto* ctx) {
                return stub.RecordFindings(ctx, thematic_findings, &thematic_recorded);
              }).ok());
  pr::ExportCalendarRequest calendar;
  calendar.set_cycle_id("EE-2025");
  calendar.mutable_la_code()->set_value(review.team(0).value());
  calendar.set_include_thematic_reviews(true);
  pr::ExportCalendarResponse ics;
  ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.ExportCalendar(ctx, calendar, &ics); }).ok());
  EXPECT_NE(ics.content().find(absl::StrCat("UID:", review.review_id(), "@peerreview.slihub")), std::string::npos);
  EXPECT_NE(ics.content().find("DTSTART;VALUE=DATE:20260303\r\nDTEND;VALUE=DATE:20260305\r\n"), std::string::npos);

  // The summary: care leavers named by all 11 (findings), open actions due by mid-2026.
  ASSERT_TRUE(Advance(pr::CYCLE_STATE_SUMMARY).ok());
  pr::GetRegionalSummaryRequest ask_summary;
  ask_summary.set_cycle_id("EE-2025");
  *ask_summary.mutable_actions_due_by() = Date(2026, 12, 31);
  pr::GetRegionalSummaryResponse summary;
  const std::string reader = server_->IssueToken("reader", {Role::kReader});
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.GetRegionalSummary(ctx, ask_summary, &summary); }).ok());
  EXPECT_EQ(summary.summary().las_participating(), 11);
  EXPECT_EQ(summary.summary().las_with_findings(), 11);
  ASSERT_GE(summary.summary().themes_size(), 3);
  std::map<std::string, int> distinct;
  for (const auto& t : summary.summary().themes()) distinct[t.theme().theme_id()] = t.distinct_las();
  EXPECT_EQ(distinct["care_leavers"], 11);
  EXPECT_EQ(distinct["send"], 11);
  EXPECT_EQ(distinct["workforce"], 11);
  ASSERT_EQ(summary.summary().actions_due_size(), 1);  // the only one due by then, and overdue
  EXPECT_EQ(summary.summary().actions_due(0).la_code().value(), events[0].host().value());
  EXPECT_TRUE(summary.summary().actions_due(0).overdue());
  EXPECT_EQ(summary.summary().strengths_to_share_size(), 2);  // one self-assessed, one from findings
  pr::ExportRegionalSummaryRequest export_html;
  export_html.set_cycle_id("EE-2025");
  export_html.set_format(pr::SUMMARY_FORMAT_HTML);
  *export_html.mutable_actions_due_by() = Date(2026, 12, 31);
  pr::ExportRegionalSummaryResponse html;
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.ExportRegionalSummary(ctx, export_html, &html); }).ok());
  EXPECT_NE(html.content().find("<h2>Actions due by 2026-12-31</h2>"), std::string::npos);
  EXPECT_NE(html.content().find("Review the staying-close offer"), std::string::npos);

  // The data pack, with the data collection service running: the host's cells of the demo rug.
  const std::string pack_host = events[0].host().value();
  pr::GetDataPackRequest ask_pack;
  ask_pack.set_cycle_id("EE-2025");
  ask_pack.mutable_host()->set_value(pack_host);
  pr::GetDataPackResponse pack;
  const absl::Status fetched = Invoke(Reviewer(events[0].reviewers(events[0].reviewers_size() - 1).value()), [&](auto& stub, auto* ctx) {
    return stub.GetDataPack(ctx, ask_pack, &pack);
  });
  ASSERT_TRUE(fetched.ok()) << fetched;
  EXPECT_EQ(pack.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_AVAILABLE)
      << pack.data_pack().data_source_detail();
  EXPECT_FALSE(pack.data_pack().period_id().empty());  // the latest period past its deadline
  ASSERT_GT(pack.data_pack().items_size(), 0);
  int host_cells = 0;
  for (const auto& item : pack.data_pack().items()) {
    EXPECT_FALSE(item.indicator().indicator_id().empty());
    host_cells += item.host().la_code().value() == pack_host;
    EXPECT_GT(item.regional().las_present() + item.regional().las_missing() + item.regional().las_not_submitted(), 0);
  }
  EXPECT_EQ(host_cells, pack.data_pack().items_size());
  EXPECT_EQ(pack.data_pack().reviewers_size(), events[0].reviewers_size());
  EXPECT_EQ(pack.data_pack().priorities_size(), 1);
  EXPECT_EQ(pack.data_pack().self_grades_size(), 5);
  pr::GetDataPackRequest unknown_period = ask_pack;
  unknown_period.set_period_id("1999-Q1");
  EXPECT_EQ(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.GetDataPack(ctx, unknown_period, &pack); }).code(),
            absl::StatusCode::kInvalidArgument);
  const std::string outsider = las[0] == pack_host ? las[1] : las[0];
  bool outsider_reviews = false;
  for (const auto& r : events[0].reviewers()) outsider_reviews |= r.value() == outsider;
  for (const auto& m : review.team()) outsider_reviews |= pack_host == host && m.value() == outsider;
  if (!outsider_reviews) {
    EXPECT_EQ(Invoke(Reviewer(outsider), [&](auto& stub, auto* ctx) { return stub.GetDataPack(ctx, ask_pack, &pack); }).code(),
              absl::StatusCode::kPermissionDenied);
  }

  // Stopped: the fetched pack is shown STALE, another host's says UNAVAILABLE; the rest works.
  ASSERT_TRUE(data_->process().Kill().ok());
  pr::GetDataPackResponse stale;
  ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.GetDataPack(ctx, ask_pack, &stale); }).ok());
  EXPECT_EQ(stale.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_STALE);
  EXPECT_FALSE(stale.data_pack().data_source_detail().empty());
  EXPECT_EQ(stale.data_pack().items_size(), pack.data_pack().items_size());
  pr::GetDataPackRequest other = ask_pack;
  other.mutable_host()->set_value(events[1].host().value());
  pr::GetDataPackResponse unavailable;
  ASSERT_TRUE(Invoke(admin_, [&](auto& stub, auto* ctx) { return stub.GetDataPack(ctx, other, &unavailable); }).ok());
  EXPECT_EQ(unavailable.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_UNAVAILABLE);
  EXPECT_FALSE(unavailable.data_pack().data_source_detail().empty());
  EXPECT_EQ(unavailable.data_pack().items_size(), 0);
  EXPECT_EQ(unavailable.data_pack().self_grades_size(), 5);
  EXPECT_EQ(unavailable.data_pack().reviewers_size(), events[1].reviewers_size());
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.GetRegionalSummary(ctx, ask_summary, &summary); }).ok());
  EXPECT_EQ(summary.summary().las_with_findings(), 11);
  EXPECT_TRUE(Advance(pr::CYCLE_STATE_CLOSED).ok());

  // `slihub peer summary` through the real CLI: HTML to a file, Markdown to stdout.
  const std::vector<std::string> common = {"--endpoint=" + server_->endpoint(), "--token=" + reader,
                                           "--cycle=EE-2025", "--due-by=2026-12-31"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"peer", "summary"});
    args.insert(args.end(), common.begin(), common.end());
    return args;
  };
  const std::string html_path = dir_.Join("summary.html");
  CliResult html_run = RunCli(dir_.path(), with({"--html=" + html_path}));
  ASSERT_EQ(html_run.exit_code, 0) << html_run.err;
  const std::string written = ReadFile(html_path);
  EXPECT_EQ(written.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(written.find("<h2>Actions due by 2026-12-31</h2>"), std::string::npos);
  EXPECT_NE(written.find("Review the staying-close offer"), std::string::npos);
  CliResult markdown_run = RunCli(dir_.path(), with({"--markdown=-"}));
  ASSERT_EQ(markdown_run.exit_code, 0) << markdown_run.err;
  EXPECT_NE(markdown_run.out.find("## Actions due by 2026-12-31"), std::string::npos) << markdown_run.out;
  EXPECT_NE(markdown_run.out.find("| Care Leavers | 11 |"), std::string::npos) << markdown_run.out;
  EXPECT_EQ(RunCli(dir_.path(), with({"--html=a.html", "--markdown=b.md"})).exit_code, 2);
  EXPECT_EQ(RunCli(dir_.path(), {"peer", "summary", "--endpoint=" + server_->endpoint(), "--token=" + reader,
                          "--cycle=EE-2025", "--due-by=tomorrow"}).exit_code, 2);
  CliResult missing = RunCli(dir_.path(), {"peer", "summary", "--endpoint=" + server_->endpoint(), "--token=" + reader,
                                    "--cycle=EE-1999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("NOT_FOUND"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace slihub::testing
