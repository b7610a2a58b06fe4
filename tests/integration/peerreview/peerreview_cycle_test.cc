// A peer review cycle for the 11 East of England LAs through the real slihub-peerreview binary:
// history, creation, declarations, a proposal whose constraints hold, acceptance, state moves and
// malformed requests.
#include <algorithm>
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
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace pr = ::slihub::peerreview::v1;
namespace cv1 = ::slihub::common::v1;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : GetFieldViolations(status)) out.push_back(v.field);
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

cv1::CivilDate Date(int y, int m, int d) {
  cv1::CivilDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class PeerReviewCycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServiceProcessOptions options;
    options.service = "peerreview";
    server_ = new ServiceProcess(options);
    ASSERT_TRUE(server_->Start().ok());
    admin_ = new std::string(server_->IssueToken("ee-admin", {Role::kRegionalAdmin}));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_;
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
      PrepareContext(&context, *admin_);
      return stub->ListLocalAuthorities(&context, request, &response).ok();
    }, absl::Seconds(5)));
    std::vector<std::string> codes;
    for (const auto& la : response.local_authorities()) codes.push_back(la.la_code().value());
    return codes;
  }

  static ServiceProcess* server_;
  static std::string* admin_;
};
ServiceProcess* PeerReviewCycleTest::server_ = nullptr;
std::string* PeerReviewCycleTest::admin_ = nullptr;

TEST_F(PeerReviewCycleTest, FullGroupingCycleForTheElevenEastOfEnglandLas) {
  const std::vector<std::string> las = EastOfEngland();
  ASSERT_EQ(las.size(), 11u);

  // Last year's triads, imported as history.
  pr::ImportHistoricalGroupsRequest history;
  history.set_request_id("import-2024");
  std::vector<std::vector<std::string>> past = {{las[0], las[1], las[2]}, {las[3], las[4], las[5]},
                                                {las[6], las[7], las[8]}, {las[9], las[10]}};
  for (const auto& members : past) {
    pr::HistoricalGroup* group = history.add_groups();
    group->set_year(2024);
    for (const auto& la : members) group->add_members()->set_value(la);
  }
  pr::ImportHistoricalGroupsResponse imported;
  ASSERT_TRUE(WaitFor([&] {
    return Invoke(*admin_, [&](auto& stub, auto* ctx) {
             return stub.ImportHistoricalGroups(ctx, history, &imported);
           }).ok();
  }, absl::Seconds(5)));
  EXPECT_EQ(imported.groups_imported(), 4);

  // The cycle.
  pr::CreateCycleRequest create;
  create.set_request_id("create-ee-2025");
  create.mutable_cycle()->set_year(2025);
  const pr::OfstedGrade grades[] = {pr::OFSTED_GRADE_GOOD, pr::OFSTED_GRADE_REQUIRES_IMPROVEMENT,
                                    pr::OFSTED_GRADE_OUTSTANDING, pr::OFSTED_GRADE_INADEQUATE};
  for (size_t i = 0; i < las.size(); ++i) {
    pr::Participant* p = create.mutable_cycle()->add_participants();
    p->mutable_la_code()->set_value(las[las.size() - 1 - i]);
    p->set_latest_ilacs_grade(grades[i % 4]);
  }
  pr::PhaseDates* phases = create.mutable_cycle()->mutable_phases();
  *phases->mutable_self_assessment_due() = Date(2025, 10, 31);
  *phases->mutable_moderation()->mutable_start() = Date(2025, 11, 3);
  *phases->mutable_moderation()->mutable_end() = Date(2025, 11, 28);
  *phases->mutable_challenge_events()->mutable_start() = Date(2026, 1, 12);
  *phases->mutable_challenge_events()->mutable_end() = Date(2026, 3, 27);
  *phases->mutable_summary_due() = Date(2026, 4, 30);
  pr::CreateCycleResponse created;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                ctx->AddMetadata("x-request-id", "rid-create-ee-2025");
                return stub.CreateCycle(ctx, create, &created);
              }).ok());
  const pr::Cycle& cycle = created.cycle();
  EXPECT_EQ(cycle.cycle_id(), "EE-2025");
  EXPECT_EQ(cycle.audit().request_id(), "rid-create-ee-2025");  // the call's, not the idempotency key
  EXPECT_EQ(cycle.state(), pr::CYCLE_STATE_SETUP);
  EXPECT_EQ(cycle.themes_size(), 8);
  ASSERT_EQ(cycle.participants_size(), 11);
  EXPECT_EQ(cycle.participants(0).la_code().value(), las[0]);  // stored in LA code order

  pr::CreateCycleResponse again;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.CreateCycle(ctx, create, &again);
              }).ok());
  EXPECT_EQ(again.cycle().audit().create_time().seconds(), cycle.audit().create_time().seconds());
  create.set_request_id("create-ee-2025-twice");
  EXPECT_EQ(Invoke(*admin_, [&](auto& stub, auto* ctx) {
              return stub.CreateCycle(ctx, create, &again);
            }).code(),
            absl::StatusCode::kAlreadyExists);

  // A conflict of interest declared by one of the pair; another LA may not declare it.
  const std::string own = server_->IssueToken("reviewer-a", {Role::kPeerReviewer}, las[0]);
  const std::string other = server_->IssueToken("reviewer-b", {Role::kPeerReviewer}, las[1]);
  pr::DeclareConflictOfInterestRequest declare;
  declare.set_request_id("coi-1");
  declare.set_cycle_id("EE-2025");
  declare.mutable_pair()->mutable_first()->set_value(las[0]);
  declare.mutable_pair()->mutable_second()->set_value(las[5]);
  declare.mutable_pair()->set_reason("shared interim director");
  pr::DeclareConflictOfInterestResponse declared;
  EXPECT_EQ(Invoke(other, [&](auto& stub, auto* ctx) {
              return stub.DeclareConflictOfInterest(ctx, declare, &declared);
            }).code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(Invoke(own, [&](auto& stub, auto* ctx) {
                return stub.DeclareConflictOfInterest(ctx, declare, &declared);
              }).ok());
  EXPECT_EQ(declared.cycle().conflicts_of_interest_size(), 1);

  // Proposal: triads with a smaller remainder group, no repeat of last year's partners.
  pr::ProposeGroupsRequest propose;
  propose.set_request_id("propose-1");
  propose.set_cycle_id("EE-2025");
  pr::GroupingConfig* config = propose.mutable_config();
  config->set_group_size(3);
  config->set_remainder_policy(pr::REMAINDER_POLICY_SMALLER_GROUPS);
  config->set_no_repeat_cycles(1);
  config->mutable_weights()->set_grade_mix(50);
  config->mutable_weights()->set_statistical_neighbours(20);
  config->mutable_weights()->set_review_load(30);
  config->set_seed(2025);
  pr::ProposeGroupsResponse proposed;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.ProposeGroups(ctx, propose, &proposed);
              }).ok());
  const pr::GroupingProposal& proposal = proposed.proposal();
  EXPECT_EQ(proposal.outcome(), pr::PROPOSAL_OUTCOME_OPTIMAL);
  EXPECT_TRUE(proposal.stats().proven_optimal());
  EXPECT_EQ(proposal.stats().method(), pr::SOLVER_METHOD_EXHAUSTIVE);
  EXPECT_EQ(proposal.max_score(), 100000);
  ASSERT_EQ(proposal.groups_size(), 4);
  std::multiset<int> sizes;
  std::map<std::string, int> group_of;
  for (int g = 0; g < proposal.groups_size(); ++g) {
    const pr::Group& group = proposal.groups(g);
    sizes.insert(group.members_size());
    EXPECT_EQ(group.challenges_size(), group.members_size());
    for (const auto& challenge : group.challenges()) {
      EXPECT_EQ(challenge.reviewers_size(), group.members_size() - 1);
      for (const auto& reviewer : challenge.reviewers()) EXPECT_NE(reviewer.value(), challenge.host().value());
    }
    EXPECT_FALSE(group.rationale().summary().empty());
    for (const auto& m : group.members()) {
      EXPECT_EQ(group_of.count(m.value()), 0u);
      group_of[m.value()] = g;
    }
  }
  EXPECT_EQ(sizes, (std::multiset<int>{2, 3, 3, 3}));
  EXPECT_EQ(group_of.size(), 11u);
  EXPECT_NE(group_of[las[0]], group_of[las[5]]);
  for (const auto& members : past) {
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) {
        EXPECT_NE(group_of[members[x]], group_of[members[y]]) << members[x] << " met " << members[y];
      }
    }
  }
  int no_repeat = 0;
  for (const auto& c : proposal.constraints()) {
    EXPECT_NE(c.state(), pr::CONSTRAINT_STATE_VIOLATED);
    no_repeat += c.kind() == pr::CONSTRAINT_KIND_NO_REPEAT;
  }
  EXPECT_EQ(no_repeat, 10);  // 3 + 3 + 3 + 1 pairs of 2024

  // Hand-made groups that put the declared pair together are refused, naming the constraint.
  pr::AcceptGroupsRequest manual;
  manual.set_request_id("accept-manual");
  manual.set_cycle_id("EE-2025");
  pr::ManualGroup* bad = manual.mutable_manual()->add_groups();
  for (size_t i : {0, 5, 9}) bad->add_members()->set_value(las[i]);
  pr::AcceptGroupsResponse accepted;
  const absl::Status refused = Invoke(*admin_, [&](auto& stub, auto* ctx) {
    return stub.AcceptGroups(ctx, manual, &accepted);
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  std::set<std::string> types;
  for (const auto& v : GetPreconditionViolations(refused)) types.insert(v.type);
  EXPECT_TRUE(types.count("CONFLICT_OF_INTEREST"));
  EXPECT_TRUE(types.count("HOST_ONCE"));

  pr::AcceptGroupsRequest accept;
  accept.set_request_id("accept-1");
  accept.set_cycle_id("EE-2025");
  accept.set_proposal_id(proposal.proposal_id());
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.AcceptGroups(ctx, accept, &accepted);
              }).ok());
  EXPECT_EQ(accepted.cycle().groups_size(), 4);
  EXPECT_EQ(accepted.cycle().accepted_proposal_id(), proposal.proposal_id());
  EXPECT_FALSE(accepted.constraints().empty());

  // A new declaration makes the proposal stale.
  declare.set_request_id("coi-2");
  declare.mutable_pair()->mutable_second()->set_value(las[7]);
  ASSERT_TRUE(Invoke(own, [&](auto& stub, auto* ctx) {
                return stub.DeclareConflictOfInterest(ctx, declare, &declared);
              }).ok());
  accept.set_request_id("accept-stale");
  const absl::Status stale = Invoke(*admin_, [&](auto& stub, auto* ctx) {
    return stub.AcceptGroups(ctx, accept, &accepted);
  });
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_FALSE(GetPreconditionViolations(stale).empty());
  EXPECT_EQ(GetPreconditionViolations(stale)[0].type, "STALE");

  // States move forward one at a time, never back.
  pr::AdvanceCycleRequest advance;
  advance.set_request_id("advance-1");
  advance.set_cycle_id("EE-2025");
  advance.set_target_state(pr::CYCLE_STATE_SELF_ASSESSMENT);
  pr::AdvanceCycleResponse advanced;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.AdvanceCycle(ctx, advance, &advanced);
              }).ok());
  EXPECT_EQ(advanced.cycle().state(), pr::CYCLE_STATE_SELF_ASSESSMENT);
  ASSERT_EQ(advanced.cycle().history_size(), 1);
  EXPECT_EQ(advanced.cycle().history(0).moved_by(), "ee-admin");

  advance.set_request_id("advance-back");
  advance.set_target_state(pr::CYCLE_STATE_SETUP);
  const absl::Status back = Invoke(*admin_, [&](auto& stub, auto* ctx) {
    return stub.AdvanceCycle(ctx, advance, &advanced);
  });
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(back.message().find("only move forward"), std::string::npos);

  advance.set_request_id("advance-2");
  advance.set_target_state(pr::CYCLE_STATE_MODERATION);
  const absl::Status early = Invoke(*admin_, [&](auto& stub, auto* ctx) {
    return stub.AdvanceCycle(ctx, advance, &advanced);
  });
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(early).size(), 11u);  // no self-assessment submitted yet

  advance.set_request_id("advance-3");
  advance.set_target_state(pr::CYCLE_STATE_MODERATION);
  advance.set_expected_version(1);
  EXPECT_EQ(Invoke(*admin_, [&](auto& stub, auto* ctx) {
              return stub.AdvanceCycle(ctx, advance, &advanced);
            }).code(),
            absl::StatusCode::kAborted);

  // One LA drafts, signs off and submits its self-assessment; nobody else may change it.
  pr::UpdateSelfAssessmentRequest update;
  update.set_request_id("sa-update-1");
  update.set_cycle_id("EE-2025");
  update.mutable_la_code()->set_value(las[0]);
  pr::SelfAssessmentContent* content = update.mutable_content();
  for (auto area : {pr::JUDGEMENT_AREA_OVERALL_EFFECTIVENESS, pr::JUDGEMENT_AREA_LEADERSHIP,
                    pr::JUDGEMENT_AREA_HELP_AND_PROTECTION, pr::JUDGEMENT_AREA_CHILDREN_IN_CARE,
                    pr::JUDGEMENT_AREA_CARE_LEAVERS}) {
    pr::JudgementSection* section = content->add_sections();
    section->set_area(area);
    section->set_self_grade(pr::OFSTED_GRADE_GOOD);
    pr::Statement* strength = section->add_strengths();
    strength->set_text("Stable, well-supported workforce");
    strength->add_theme_ids("workforce");
    strength->set_share_with_region(area == pr::JUDGEMENT_AREA_LEADERSHIP);
    pr::Statement* development = section->add_areas_for_development();
    development->set_text("Care leavers' accommodation");
    development->add_theme_ids("care_leavers");
  }
  content->mutable_ofsted_questions()->set_what_do_you_know("Audits and practice weeks");
  content->mutable_ofsted_questions()->set_how_do_you_know("Quality assurance framework");
  content->mutable_ofsted_questions()->set_what_are_your_plans("Placement sufficiency strategy");
  pr::Priority* priority = content->add_priorities();
  priority->set_title("Sufficiency of local placements");
  priority->add_theme_ids("no_such_theme");
  pr::UpdateSelfAssessmentResponse updated;
  const absl::Status unknown_theme = Invoke(own, [&](auto& stub, auto* ctx) {
    return stub.UpdateSelfAssessment(ctx, update, &updated);
  });
  EXPECT_EQ(Fields(unknown_theme), (std::vector<std::string>{"content.priorities[0].theme_ids[0]"}));
  priority->set_theme_ids(0, "placement_sufficiency");
  update.set_request_id("sa-update-2");
  EXPECT_EQ(Invoke(other, [&](auto& stub, auto* ctx) {
              return stub.UpdateSelfAssessment(ctx, update, &updated);
            }).code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(Invoke(own, [&](auto& stub, auto* ctx) {
                return stub.UpdateSelfAssessment(ctx, update, &updated);
              }).ok());
  EXPECT_EQ(updated.self_assessment().state(), pr::SELF_ASSESSMENT_STATE_DRAFT);
  int64_t version = updated.self_assessment().version();
  EXPECT_EQ(version, 2);

  pr::SubmitSelfAssessmentRequest submit;
  submit.set_request_id("sa-submit-1");
  submit.set_cycle_id("EE-2025");
  submit.mutable_la_code()->set_value(las[0]);
  pr::SubmitSelfAssessmentResponse submitted;
  const absl::Status unsigned_submit = Invoke(own, [&](auto& stub, auto* ctx) {
    return stub.SubmitSelfAssessment(ctx, submit, &submitted);
  });
  EXPECT_EQ(unsigned_submit.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(unsigned_submit).size(), 3u);  // three sign-offs missing

  const std::pair<pr::SignatoryRole, const char*> signatories[] = {
      {pr::SIGNATORY_ROLE_DCS, "Director"}, {pr::SIGNATORY_ROLE_CHIEF_EXECUTIVE, "Chief Executive"},
      {pr::SIGNATORY_ROLE_LEAD_MEMBER, "Lead Member"}};
  for (const auto& [role, name] : signatories) {
    pr::SignOffSelfAssessmentRequest sign;
    sign.set_request_id(absl::StrCat("sa-sign-", role));
    sign.set_cycle_id("EE-2025");
    sign.mutable_la_code()->set_value(las[0]);
    sign.set_signatory_role(role);
    sign.set_signatory_name(name);
    sign.set_expected_version(version);
    pr::SignOffSelfAssessmentResponse signed_off;
    ASSERT_TRUE(Invoke(own, [&](auto& stub, auto* ctx) {
                  return stub.SignOffSelfAssessment(ctx, sign, &signed_off);
                }).ok());
    version = signed_off.self_assessment().version();
    sign.set_request_id(absl::StrCat("sa-sign-stale-", role));
    sign.set_expected_version(version - 1);
    EXPECT_EQ(Invoke(own, [&](auto& stub, auto* ctx) {
                return stub.SignOffSelfAssessment(ctx, sign, &signed_off);
              }).code(),
              absl::StatusCode::kAborted);
  }
  submit.set_request_id("sa-submit-2");
  ASSERT_TRUE(Invoke(own, [&](auto& stub, auto* ctx) {
                return stub.SubmitSelfAssessment(ctx, submit, &submitted);
              }).ok());
  EXPECT_EQ(submitted.self_assessment().state(), pr::SELF_ASSESSMENT_STATE_SUBMITTED);
  EXPECT_EQ(submitted.self_assessment().sign_offs_size(), 3);
  EXPECT_FALSE(submitted.self_assessment().has_content());  // BASIC view

  pr::GetSelfAssessmentRequest read;
  read.set_cycle_id("EE-2025");
  read.mutable_la_code()->set_value(las[0]);
  read.set_view(pr::SELF_ASSESSMENT_VIEW_FULL);
  pr::GetSelfAssessmentResponse read_back;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.GetSelfAssessment(ctx, read, &read_back);
              }).ok());
  EXPECT_EQ(read_back.self_assessment().content().sections_size(), 5);
  EXPECT_EQ(Invoke(other, [&](auto& stub, auto* ctx) {  // not in its group (they met in 2024)
              return stub.GetSelfAssessment(ctx, read, &read_back);
            }).code(),
            absl::StatusCode::kPermissionDenied);
  advance.set_request_id("advance-4");
  advance.set_expected_version(0);
  const absl::Status ten_left = Invoke(*admin_, [&](auto& stub, auto* ctx) {
    return stub.AdvanceCycle(ctx, advance, &advanced);
  });
  EXPECT_EQ(GetPreconditionViolations(ten_left).size(), 10u);

  // Moderation by another LA's reviewer: comment, then complete.
  const std::string moderator = server_->IssueToken("moderator", {Role::kPeerReviewer}, las[3]);
  pr::AssignModeratorRequest assign;
  assign.set_request_id("sa-assign-1");
  assign.set_cycle_id("EE-2025");
  assign.mutable_la_code()->set_value(las[0]);
  assign.mutable_moderator_la()->set_value(las[0]);
  pr::AssignModeratorResponse assigned;
  EXPECT_EQ(Fields(Invoke(*admin_, [&](auto& stub, auto* ctx) {
              return stub.AssignModerator(ctx, assign, &assigned);
            })),
            (std::vector<std::string>{"moderator_la.value"}));
  assign.mutable_moderator_la()->set_value(las[3]);
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.AssignModerator(ctx, assign, &assigned);
              }).ok());
  pr::AddModerationCommentRequest comment;
  comment.set_request_id("sa-comment-1");
  comment.set_cycle_id("EE-2025");
  comment.mutable_la_code()->set_value(las[0]);
  comment.set_area(pr::JUDGEMENT_AREA_CARE_LEAVERS);
  comment.set_text("Evidence for care leavers' outcomes is thin.");
  pr::AddModerationCommentResponse commented;
  EXPECT_EQ(Invoke(other, [&](auto& stub, auto* ctx) {
              return stub.AddModerationComment(ctx, comment, &commented);
            }).code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(Invoke(moderator, [&](auto& stub, auto* ctx) {
                return stub.AddModerationComment(ctx, comment, &commented);
              }).ok());
  EXPECT_EQ(commented.comment().moderator_la().value(), las[3]);
  pr::CompleteModerationRequest complete;
  complete.set_request_id("sa-complete-1");
  complete.set_cycle_id("EE-2025");
  complete.mutable_la_code()->set_value(las[0]);
  pr::CompleteModerationResponse completed;
  ASSERT_TRUE(Invoke(moderator, [&](auto& stub, auto* ctx) {
                return stub.CompleteModeration(ctx, complete, &completed);
              }).ok());
  EXPECT_EQ(completed.self_assessment().state(), pr::SELF_ASSESSMENT_STATE_MODERATED);
  complete.set_request_id("sa-complete-2");
  EXPECT_EQ(Invoke(moderator, [&](auto& stub, auto* ctx) {
              return stub.CompleteModeration(ctx, complete, &completed);
            }).code(),
            absl::StatusCode::kFailedPrecondition);
  read.set_view(pr::SELF_ASSESSMENT_VIEW_FULL);
  ASSERT_TRUE(Invoke(moderator, [&](auto& stub, auto* ctx) {  // the moderator may read it
                return stub.GetSelfAssessment(ctx, read, &read_back);
              }).ok());
  EXPECT_EQ(read_back.self_assessment().moderation_comments_size(), 1);

  // The regional summary counts the submitted self-assessment, for readers too.
  const std::string summary_reader = server_->IssueToken("ee-summary-reader", {Role::kReader});
  pr::GetRegionalSummaryRequest summary_request;
  summary_request.set_cycle_id("EE-2025");
  pr::GetRegionalSummaryResponse summary;
  ASSERT_TRUE(Invoke(summary_reader, [&](auto& stub, auto* ctx) {
                return stub.GetRegionalSummary(ctx, summary_request, &summary);
              }).ok());
  // Only the themes the submitted self-assessment names for development or priority are ranked
  // (the cycle has 8; the other 6 used to be listed with 0 LAs).
  ASSERT_EQ(summary.summary().themes_size(), 2);
  EXPECT_EQ(summary.summary().las_participating(), 11);
  std::set<std::string> top;
  for (const auto& t : summary.summary().themes()) {
    if (t.rank() == 1) top.insert(t.theme().theme_id());
  }
  EXPECT_EQ(top, (std::set<std::string>{"care_leavers", "placement_sufficiency"}));
  ASSERT_EQ(summary.summary().strengths_to_share_size(), 1);
  pr::ExportRegionalSummaryRequest export_request;
  export_request.set_cycle_id("EE-2025");
  export_request.set_format(pr::SUMMARY_FORMAT_HTML);
  pr::ExportRegionalSummaryResponse exported;
  ASSERT_TRUE(Invoke(summary_reader, [&](auto& stub, auto* ctx) {
                return stub.ExportRegionalSummary(ctx, export_request, &exported);
              }).ok());
  EXPECT_EQ(exported.file_name(), "EE-2025-summary.html");
  EXPECT_NE(exported.content().find("Care Leavers"), std::string::npos);
  export_request.set_format(pr::SUMMARY_FORMAT_UNSPECIFIED);
  EXPECT_EQ(Fields(Invoke(summary_reader, [&](auto& stub, auto* ctx) {
              return stub.ExportRegionalSummary(ctx, export_request, &exported);
            })),
            (std::vector<std::string>{"format"}));

  // Readers read; only the regional admin proposes.
  const std::string reader = server_->IssueToken("ee-reader", {Role::kReader});
  pr::GetCycleRequest get;
  get.set_cycle_id("EE-2025");
  pr::GetCycleResponse got;
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.GetCycle(ctx, get, &got); }).ok());
  EXPECT_EQ(got.cycle().state(), pr::CYCLE_STATE_SELF_ASSESSMENT);
  EXPECT_EQ(got.cycle().conflicts_of_interest_size(), 2);
  propose.set_request_id("propose-reader");
  EXPECT_EQ(Invoke(reader, [&](auto& stub, auto* ctx) {
              return stub.ProposeGroups(ctx, propose, &proposed);
            }).code(),
            absl::StatusCode::kPermissionDenied);
  pr::ListCyclesRequest list;
  pr::ListCyclesResponse listed;
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.ListCycles(ctx, list, &listed); }).ok());
  EXPECT_EQ(listed.cycles_size(), 1);
}

TEST_F(PeerReviewCycleTest, SmallCycleMovesFromSetupToClosedAndThenIsReadOnly) {
  const std::vector<std::string> las = EastOfEngland();
  ASSERT_GE(las.size(), 3u);
  const std::vector<std::string> three = {las[2], las[6], las[10]};
  pr::CreateCycleRequest create;
  create.set_request_id("create-ee-2026");
  create.mutable_cycle()->set_year(2026);
  for (const auto& la : three) create.mutable_cycle()->add_participants()->mutable_la_code()->set_value(la);
  pr::PhaseDates* phases = create.mutable_cycle()->mutable_phases();
  *phases->mutable_self_assessment_due() = Date(2026, 10, 30);
  *phases->mutable_moderation()->mutable_start() = Date(2026, 11, 2);
  *phases->mutable_moderation()->mutable_end() = Date(2026, 11, 27);
  *phases->mutable_challenge_events()->mutable_start() = Date(2027, 1, 11);
  *phases->mutable_challenge_events()->mutable_end() = Date(2027, 3, 26);
  *phases->mutable_summary_due() = Date(2027, 4, 30);
  pr::CreateCycleResponse created;
  ASSERT_TRUE(WaitFor([&] {
    return Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.CreateCycle(ctx, create, &created); }).ok();
  }, absl::Seconds(5)));
  int step = 0;
  auto advance_to = [&](pr::CycleState target) {
    pr::AdvanceCycleRequest advance;
    advance.set_request_id(absl::StrCat("small-advance-", ++step));
    advance.set_cycle_id("EE-2026");
    advance.set_target_state(target);
    pr::AdvanceCycleResponse advanced;
    return Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.AdvanceCycle(ctx, advance, &advanced); });
  };
  ASSERT_TRUE(advance_to(pr::CYCLE_STATE_SELF_ASSESSMENT).ok());

  for (size_t i = 0; i < three.size(); ++i) {
    const std::string token = server_->IssueToken(absl::StrCat("small-", three[i]), {Role::kPeerReviewer}, three[i]);
    pr::UpdateSelfAssessmentRequest update;
    update.set_request_id("small-update");
    update.set_cycle_id("EE-2026");
    update.mutable_la_code()->set_value(three[i]);
    for (auto area : {pr::JUDGEMENT_AREA_OVERALL_EFFECTIVENESS, pr::JUDGEMENT_AREA_LEADERSHIP,
                      pr::JUDGEMENT_AREA_HELP_AND_PROTECTION, pr::JUDGEMENT_AREA_CHILDREN_IN_CARE,
                      pr::JUDGEMENT_AREA_CARE_LEAVERS}) {
      pr::JudgementSection* section = update.mutable_content()->add_sections();
      section->set_area(area);
      section->set_self_grade(pr::OFSTED_GRADE_REQUIRES_IMPROVEMENT);
    }
    auto* questions = update.mutable_content()->mutable_ofsted_questions();
    questions->set_what_do_you_know("a");
    questions->set_how_do_you_know("b");
    questions->set_what_are_your_plans("c");
    pr::UpdateSelfAssessmentResponse updated;
    ASSERT_TRUE(WaitFor([&] {
      return Invoke(token, [&](auto& stub, auto* ctx) { return stub.UpdateSelfAssessment(ctx, update, &updated); }).ok();
    }, absl::Seconds(5)));
    int64_t version = updated.self_assessment().version();
    for (auto role : {pr::SIGNATORY_ROLE_DCS, pr::SIGNATORY_ROLE_CHIEF_EXECUTIVE, pr::SIGNATORY_ROLE_LEAD_MEMBER}) {
      pr::SignOffSelfAssessmentRequest sign;
      sign.set_request_id(absl::StrCat("small-sign-", role));
      sign.set_cycle_id("EE-2026");
      sign.mutable_la_code()->set_value(three[i]);
      sign.set_signatory_role(role);
      sign.set_signatory_name("Signatory");
      sign.set_expected_version(version);
      pr::SignOffSelfAssessmentResponse signed_off;
      ASSERT_TRUE(Invoke(token, [&](auto& stub, auto* ctx) { return stub.SignOffSelfAssessment(ctx, sign, &signed_off); }).ok());
      version = signed_off.self_assessment().version();
    }
    pr::SubmitSelfAssessmentRequest submit;
    submit.set_request_id("small-submit");
    submit.set_cycle_id("EE-2026");
    submit.mutable_la_code()->set_value(three[i]);
    pr::SubmitSelfAssessmentResponse submitted;
    ASSERT_TRUE(Invoke(token, [&](auto& stub, auto* ctx) { return stub.SubmitSelfAssessment(ctx, submit, &submitted); }).ok());
  }
  ASSERT_TRUE(advance_to(pr::CYCLE_STATE_MODERATION).ok());
  const absl::Status unmoderated = advance_to(pr::CYCLE_STATE_CHALLENGE);
  EXPECT_EQ(unmoderated.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(unmoderated).size(), 4u);  // 3 not moderated, no groups

  for (size_t i = 0; i < three.size(); ++i) {
    pr::AssignModeratorRequest assign;
    assign.set_request_id(absl::StrCat("small-assign-", i));
    assign.set_cycle_id("EE-2026");
    assign.mutable_la_code()->set_value(three[i]);
    assign.mutable_moderator_la()->set_value(three[(i + 1) % 3]);
    pr::AssignModeratorResponse assigned;
    ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.AssignModerator(ctx, assign, &assigned); }).ok());
    pr::CompleteModerationRequest complete;
    complete.set_request_id(absl::StrCat("small-complete-", i));
    complete.set_cycle_id("EE-2026");
    complete.mutable_la_code()->set_value(three[i]);
    pr::CompleteModerationResponse completed;
    ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.CompleteModeration(ctx, complete, &completed); }).ok());
  }
  pr::ProposeGroupsRequest propose;
  propose.set_request_id("small-propose");
  propose.set_cycle_id("EE-2026");
  propose.mutable_config()->set_group_size(3);
  propose.mutable_config()->mutable_weights()->set_grade_mix(100);
  pr::ProposeGroupsResponse proposed;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.ProposeGroups(ctx, propose, &proposed); }).ok());
  ASSERT_EQ(proposed.proposal().outcome(), pr::PROPOSAL_OUTCOME_OPTIMAL);
  pr::AcceptGroupsRequest accept;
  accept.set_request_id("small-accept");
  accept.set_cycle_id("EE-2026");
  accept.set_proposal_id(proposed.proposal().proposal_id());
  pr::AcceptGroupsResponse accepted;
  const absl::Status accept_status =
      Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.AcceptGroups(ctx, accept, &accepted); });
  ASSERT_TRUE(accept_status.ok()) << accept_status;
  ASSERT_EQ(accepted.cycle().groups_size(), 1);
  EXPECT_EQ(accepted.cycle().groups(0).challenges_size(), 3);

  // Challenge events: one LA is away for the first fortnight; a dry run stores nothing.
  const std::string away = server_->IssueToken("small-away", {Role::kPeerReviewer}, three[1]);
  pr::DeclareUnavailabilityRequest unavailable;
  unavailable.set_request_id("small-away-1");
  unavailable.set_cycle_id("EE-2026");
  unavailable.mutable_unavailability()->mutable_la_code()->set_value(three[1]);
  *unavailable.mutable_unavailability()->mutable_dates()->mutable_start() = Date(2027, 1, 11);
  *unavailable.mutable_unavailability()->mutable_dates()->mutable_end() = Date(2027, 1, 22);
  unavailable.mutable_unavailability()->set_reason("Ofsted focused visit");
  pr::DeclareUnavailabilityResponse declared_away;
  ASSERT_TRUE(Invoke(away, [&](auto& stub, auto* ctx) {
                return stub.DeclareUnavailability(ctx, unavailable, &declared_away);
              }).ok());
  EXPECT_EQ(declared_away.cycle().unavailability_size(), 1);
  pr::DeclareUnavailabilityRequest not_own = unavailable;
  not_own.set_request_id("small-away-2");
  not_own.mutable_unavailability()->mutable_la_code()->set_value(three[0]);
  EXPECT_EQ(Invoke(away, [&](auto& stub, auto* ctx) {
              return stub.DeclareUnavailability(ctx, not_own, &declared_away);
            }).code(),
            absl::StatusCode::kPermissionDenied);

  pr::ScheduleChallengeEventsRequest schedule;
  schedule.set_request_id("small-schedule-dry");
  schedule.set_cycle_id("EE-2026");
  schedule.mutable_options()->set_seed(3);
  schedule.set_dry_run(true);
  pr::ScheduleChallengeEventsResponse dry;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.ScheduleChallengeEvents(ctx, schedule, &dry); }).ok());
  ASSERT_EQ(dry.scheduled_size(), 3);
  EXPECT_TRUE(dry.scheduled(0).event_id().empty());
  schedule.set_request_id("small-schedule");
  schedule.set_dry_run(false);
  pr::ScheduleChallengeEventsResponse scheduled;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.ScheduleChallengeEvents(ctx, schedule, &scheduled);
              }).ok());
  ASSERT_EQ(scheduled.scheduled_size(), 3);
  EXPECT_EQ(scheduled.unscheduled_size(), 0);
  std::set<std::string> days;
  for (const auto& e : scheduled.scheduled()) {
    const std::string day = absl::StrCat(e.date().year(), "-", e.date().month(), "-", e.date().day());
    EXPECT_TRUE(days.insert(day).second) << "two events of one group on " << day;
    EXPECT_TRUE(e.date().year() == 2027 && (e.date().month() > 1 || e.date().day() > 22)) << day;
    EXPECT_EQ(e.reviewers_size(), 2);
  }
  pr::ScheduleChallengeEventsResponse nothing_new;
  schedule.set_request_id("small-schedule-again");
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.ScheduleChallengeEvents(ctx, schedule, &nothing_new);
              }).ok());
  EXPECT_EQ(nothing_new.scheduled_size(), 0);  // every host already has a live event

  // Moving an event onto the away fortnight is refused, naming why; a free date is taken.
  pr::UpdateChallengeEventRequest move;
  move.set_request_id("small-move-1");
  *move.mutable_event() = scheduled.scheduled(0);
  *move.mutable_event()->mutable_date() = Date(2027, 1, 13);
  pr::UpdateChallengeEventResponse moved;
  const absl::Status onto_away =
      Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.UpdateChallengeEvent(ctx, move, &moved); });
  EXPECT_EQ(onto_away.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(onto_away.message().find("is unavailable 2027-01-11..2027-01-22 (Ofsted focused visit)"),
            std::string::npos) << onto_away;
  move.set_request_id("small-move-2");
  *move.mutable_event()->mutable_date() = Date(2027, 3, 26);
  move.mutable_event()->set_location("Shire Hall; room 2, east wing");
  move.set_expected_version(1);
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.UpdateChallengeEvent(ctx, move, &moved); }).ok());
  EXPECT_EQ(moved.event().version(), 2);
  move.set_request_id("small-move-3");
  EXPECT_EQ(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.UpdateChallengeEvent(ctx, move, &moved); }).code(),
            absl::StatusCode::kAborted);  // version 1 is stale

  // A later declaration over the moved event names the clash.
  unavailable.set_request_id("small-away-3");
  *unavailable.mutable_unavailability()->mutable_dates()->mutable_start() = Date(2027, 3, 22);
  *unavailable.mutable_unavailability()->mutable_dates()->mutable_end() = Date(2027, 3, 26);
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                return stub.DeclareUnavailability(ctx, unavailable, &declared_away);
              }).ok());
  ASSERT_EQ(declared_away.clashing_event_ids_size(), 1);
  EXPECT_EQ(declared_away.clashing_event_ids(0), moved.event().event_id());

  // The calendar: one all-day VEVENT per event, stable UIDs, SEQUENCE = version - 1 (RFC 5545
  // starts a new event at 0), CRLF lines.
  pr::ExportCalendarRequest calendar;
  calendar.set_cycle_id("EE-2026");
  pr::ExportCalendarResponse ics;
  const std::string reader = server_->IssueToken("small-reader", {Role::kReader});
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.ExportCalendar(ctx, calendar, &ics); }).ok());
  EXPECT_EQ(ics.content_type(), "text/calendar; charset=utf-8");
  EXPECT_EQ(ics.file_name(), "EE-2026-challenge.ics");
  const std::string& text = ics.content();
  EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  for (const auto& e : scheduled.scheduled()) {
    EXPECT_NE(text.find(absl::StrCat("\r\nUID:", e.event_id(), "@peerreview.slihub\r\n")), std::string::npos);
  }
  EXPECT_NE(text.find("\r\nDTSTART;VALUE=DATE:20270326\r\nDTEND;VALUE=DATE:20270327\r\n"
                      "SEQUENCE:1\r\n"),
            std::string::npos) << text;
  for (int i = 1; i < scheduled.scheduled_size(); ++i) {  // never changed: SEQUENCE:0
    const size_t uid = text.find(absl::StrCat("\r\nUID:", scheduled.scheduled(i).event_id(), "@"));
    ASSERT_NE(uid, std::string::npos);
    const size_t sequence = text.find("\r\nSEQUENCE:", uid);
    ASSERT_NE(sequence, std::string::npos);
    EXPECT_EQ(text.substr(sequence, 14), "\r\nSEQUENCE:0\r\n") << text;
  }
  EXPECT_NE(text.find("\r\nLOCATION:Shire Hall\\; room 2\\, east wing\r\n"), std::string::npos);
  size_t bare_lf = 0;
  for (size_t i = 0; i < text.size(); ++i) bare_lf += text[i] == '\n' && (i == 0 || text[i - 1] != '\r');
  EXPECT_EQ(bare_lf, 0u);

  // Not HELD before its date; the cycle cannot reach SUMMARY with events open.
  pr::AdvanceChallengeEventRequest hold;
  hold.set_request_id("small-hold");
  hold.set_event_id(scheduled.scheduled(1).event_id());
  hold.set_target_state(pr::CHALLENGE_EVENT_STATE_HELD);
  pr::AdvanceChallengeEventResponse held;
  EXPECT_EQ(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.AdvanceChallengeEvent(ctx, hold, &held); }).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(advance_to(pr::CYCLE_STATE_CHALLENGE).ok());
  const absl::Status open_events = advance_to(pr::CYCLE_STATE_SUMMARY);
  EXPECT_EQ(open_events.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(open_events).size(), 3u);
  for (int i = 0; i < 3; ++i) {
    pr::AdvanceChallengeEventRequest cancel;
    cancel.set_request_id(absl::StrCat("small-cancel-", i));
    cancel.set_event_id(scheduled.scheduled(i).event_id());
    cancel.set_target_state(pr::CHALLENGE_EVENT_STATE_CANCELLED);
    cancel.set_note("snow");
    pr::AdvanceChallengeEventResponse cancelled;
    ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) {
                  return stub.AdvanceChallengeEvent(ctx, cancel, &cancelled);
                }).ok());
    EXPECT_EQ(cancelled.event().state(), pr::CHALLENGE_EVENT_STATE_CANCELLED);
  }
  pr::ListChallengeEventsRequest list;
  list.set_cycle_id("EE-2026");
  list.mutable_la_code()->set_value(three[0]);
  list.add_states(pr::CHALLENGE_EVENT_STATE_CANCELLED);
  list.mutable_page()->set_page_size(2);
  pr::ListChallengeEventsResponse listed;
  ASSERT_TRUE(Invoke(reader, [&](auto& stub, auto* ctx) { return stub.ListChallengeEvents(ctx, list, &listed); }).ok());
  EXPECT_EQ(listed.events_size(), 2);
  EXPECT_EQ(listed.page().total_size(), 3);
  EXPECT_FALSE(listed.page().next_page_token().empty());
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.ExportCalendar(ctx, calendar, &ics); }).ok());
  EXPECT_NE(ics.content().find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_EQ(ics.content().find("STATUS:CONFIRMED"), std::string::npos);
  ASSERT_TRUE(advance_to(pr::CYCLE_STATE_SUMMARY).ok());
  ASSERT_TRUE(advance_to(pr::CYCLE_STATE_CLOSED).ok());
  const absl::Status after_closed = advance_to(pr::CYCLE_STATE_CLOSED);
  EXPECT_EQ(after_closed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(after_closed.message().find("CLOSED"), std::string::npos);

  pr::DeclareConflictOfInterestRequest declare;
  declare.set_request_id("small-coi");
  declare.set_cycle_id("EE-2026");
  declare.mutable_pair()->mutable_first()->set_value(three[0]);
  declare.mutable_pair()->mutable_second()->set_value(three[1]);
  pr::DeclareConflictOfInterestResponse declared;
  EXPECT_EQ(Invoke(*admin_, [&](auto& stub, auto* ctx) {
              return stub.DeclareConflictOfInterest(ctx, declare, &declared);
            }).code(),
            absl::StatusCode::kFailedPrecondition);
  pr::GetCycleRequest get;
  get.set_cycle_id("EE-2026");
  pr::GetCycleResponse got;
  ASSERT_TRUE(Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.GetCycle(ctx, get, &got); }).ok());
  EXPECT_EQ(got.cycle().history_size(), 5);
}

// A cycle of this hub takes only LAs of its region: another region's LA is a field violation
// and nothing is created.
TEST_F(PeerReviewCycleTest, CycleRefusesAnLaOfAnotherRegion) {
  pr::CreateCycleRequest create;
  create.set_request_id("create-2031-with-kent");
  create.mutable_cycle()->set_year(2031);
  create.mutable_cycle()->add_participants()->mutable_la_code()->set_value("873");
  create.mutable_cycle()->add_participants()->mutable_la_code()->set_value("886");  // Kent, SE
  pr::CreateCycleResponse created;
  absl::Status status;
  ASSERT_TRUE(WaitFor([&] {
    status = Invoke(*admin_, [&](auto& stub, auto* ctx) {
      return stub.CreateCycle(ctx, create, &created);
    });
    return status.code() != absl::StatusCode::kUnauthenticated;
  }, absl::Seconds(5)));
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::vector<FieldViolation> violations = GetFieldViolations(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field, "cycle.participants[1].la_code.value");
  EXPECT_EQ(violations[0].description, "is not an LA of region EE");
  pr::GetCycleRequest get;
  get.set_cycle_id("EE-2031");
  pr::GetCycleResponse got;
  EXPECT_EQ(Invoke(*admin_, [&](auto& stub, auto* ctx) {
              return stub.GetCycle(ctx, get, &got);
            }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PeerReviewCycleTest, MalformedRequestsGetFieldViolationsAndChangeNothing) {
  pr::CreateCycleRequest create;
  create.mutable_cycle()->set_year(1999);
  create.mutable_cycle()->add_participants()->mutable_la_code()->set_value("87");
  create.mutable_cycle()->add_participants()->mutable_la_code()->set_value("873");
  create.mutable_cycle()->add_participants()->mutable_la_code()->set_value("873");
  *create.mutable_cycle()->mutable_phases()->mutable_moderation()->mutable_start() = Date(2025, 11, 3);
  *create.mutable_cycle()->mutable_phases()->mutable_moderation()->mutable_end() = Date(2025, 10, 3);
  *create.mutable_cycle()->mutable_phases()->mutable_summary_due() = Date(2026, 2, 30);
  pr::CreateCycleResponse created;
  absl::Status status;
  ASSERT_TRUE(WaitFor([&] {
    status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.CreateCycle(ctx, create, &created); });
    return status.code() != absl::StatusCode::kUnauthenticated;
  }, absl::Seconds(5)));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> fields = Fields(status);
  for (const char* field : {"request_id", "cycle.year", "cycle.participants[0].la_code.value",
                            "cycle.participants[2].la_code.value", "cycle.phases.moderation.end",
                            "cycle.phases.summary_due"}) {
    EXPECT_TRUE(Contains(fields, field)) << field;
  }

  pr::ProposeGroupsRequest propose;
  propose.set_request_id("propose-bad");
  propose.set_cycle_id("EE-2025");
  propose.mutable_config()->set_group_size(5);
  propose.mutable_config()->mutable_weights()->set_travel(101);
  pr::LaPair* pin = propose.mutable_config()->add_pinned_pairs();
  pin->mutable_first()->set_value("873");
  pin->mutable_second()->set_value("873");
  pr::ProposeGroupsResponse proposed;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.ProposeGroups(ctx, propose, &proposed); });
  if (status.code() == absl::StatusCode::kNotFound) GTEST_SKIP() << "runs after the cycle test";
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::vector<std::string> config_fields = Fields(status);
  for (const char* field : {"config.group_size", "config.weights.travel",
                            "config.pinned_pairs[0].second.value"}) {
    EXPECT_TRUE(Contains(config_fields, field)) << field;
  }

  pr::AdvanceCycleRequest advance;
  advance.set_request_id("advance-bad");
  advance.set_cycle_id("EE-2025");
  pr::AdvanceCycleResponse advanced;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.AdvanceCycle(ctx, advance, &advanced); });
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"target_state"}));

  // Events, reviews, findings and data packs: each bad field named, nothing written.
  pr::ScheduleChallengeEventsRequest schedule;
  *schedule.mutable_options()->add_excluded_dates() = Date(2026, 2, 30);
  schedule.mutable_options()->set_max_events_per_day(-1);
  pr::ScheduleChallengeEventsResponse scheduled;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.ScheduleChallengeEvents(ctx, schedule, &scheduled); });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"request_id", "cycle_id", "options.excluded_dates[0]", "options.max_events_per_day"}) {
    EXPECT_TRUE(Contains(Fields(status), field)) << field << " " << status;
  }
  pr::DeclareUnavailabilityRequest away;
  away.set_request_id("away-bad");
  away.set_cycle_id("EE-2025");
  away.mutable_unavailability()->mutable_la_code()->set_value("87");
  *away.mutable_unavailability()->mutable_dates()->mutable_start() = Date(2026, 2, 10);
  *away.mutable_unavailability()->mutable_dates()->mutable_end() = Date(2026, 2, 9);
  pr::DeclareUnavailabilityResponse declared;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.DeclareUnavailability(ctx, away, &declared); });
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"unavailability.la_code.value", "unavailability.dates.end"}));
  pr::RequestThematicReviewRequest thematic;
  thematic.set_request_id("thematic-bad");
  thematic.mutable_host()->set_value("873");
  thematic.set_reviewer_count(7);
  pr::RequestThematicReviewResponse requested;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.RequestThematicReview(ctx, thematic, &requested); });
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"theme_id", "dates", "reviewer_count"}));
  pr::RecordFindingsRequest findings;
  findings.set_request_id("findings-bad");
  pr::RecordFindingsResponse recorded;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.RecordFindings(ctx, findings, &recorded); });
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"findings.source"}));
  pr::GetDataPackRequest pack;
  pack.mutable_host()->set_value("x");
  pack.set_scope(cv1::REGION_SCOPE_OWN_LA);
  pr::GetDataPackResponse packed;
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.GetDataPack(ctx, pack, &packed); });
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"cycle_id", "host.value", "scope"}));
  pr::GetDataPackRequest unconfigured;
  unconfigured.set_cycle_id("EE-2025");
  unconfigured.mutable_host()->set_value(EastOfEngland()[0]);
  status = Invoke(*admin_, [&](auto& stub, auto* ctx) { return stub.GetDataPack(ctx, unconfigured, &packed); });
  ASSERT_TRUE(status.ok()) << status;  // no data collection endpoint configured: the pack says so
  EXPECT_EQ(packed.data_pack().data_source_state(), pr::DATA_SOURCE_STATE_UNAVAILABLE);
  EXPECT_NE(packed.data_pack().data_source_detail().find("not configured"), std::string::npos);
}

}  // namespace
}  // namespace slihub::testing
