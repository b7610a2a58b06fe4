// The workforce service through its real binary and store: rule sets, employment history in
// bulk, register checks, and CheckEngagement passing and failing each rule.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/identity/token_store.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

class WorkforceCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServiceProcess();
    ASSERT_TRUE(server_->Start().ok());
    admin_ = new std::string(server_->IssueToken("ee-admin", {Role::kRegionalAdmin}));
    hr_ = new std::string(server_->IssueToken("873-hr-1", {Role::kHrOfficer}, "873"));
    stub_ = wf::WorkforceService::NewStub(server_->NewChannel()).release();
    SeedRulesAndHistory();
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
    delete admin_;
    delete hr_;
  }

  static void SeedRulesAndHistory() {
    for (const auto& [from, cap] : std::vector<std::pair<cv1::CivilDate, int64_t>>{
             {Date(2024, 10, 31), 4500}, {Date(2025, 10, 1), 4000}}) {
      grpc::ClientContext context;
      PrepareContext(&context, *admin_);
      wf::PublishRuleSetRequest request;
      request.set_request_id(NewRequestId());
      *request.mutable_rule_set() = EasternRules(from, cap);
      wf::PublishRuleSetResponse response;
      grpc::Status status = stub_->PublishRuleSet(&context, request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    wf::BatchRecordEmploymentPeriodsRequest batch;
    batch.set_request_id(NewRequestId());
    batch.set_request_id("seed-history");
    // SW1001: four years' permanent work ending in 2022: eligible.
    *batch.add_periods() = Period("h-1", "sw1001", "873", Date(2019, 1, 1), Date(2022, 12, 31));
    // SW1002: resigned a permanent post in the region on 1 Dec 2025: cooling off until 1 Mar.
    *batch.add_periods() = Period("h-2", "SW1002", "873", Date(2018, 1, 1), Date(2025, 12, 1));
    // SW1003: two years only.
    *batch.add_periods() = Period("h-3", "SW1003", "873", Date(2023, 1, 1), Date(2024, 12, 31),
                                  wf::LEAVING_REASON_REDUNDANT);
    // SW1004: experienced, but suspended on the register.
    *batch.add_periods() = Period("h-4", "SW1004", "873", Date(2015, 1, 1), Date(2021, 1, 31));
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::BatchRecordEmploymentPeriodsResponse response;
    grpc::Status status = stub_->BatchRecordEmploymentPeriods(&context, batch, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.counts().created(), 4);
    for (const auto& [swe, status_value] :
         std::vector<std::pair<std::string, wf::RegisterStatus>>{
             {"SW1001", wf::REGISTER_STATUS_REGISTERED},
             {"SW1002", wf::REGISTER_STATUS_REGISTERED},
             {"SW1003", wf::REGISTER_STATUS_REGISTERED},
             {"SW1004", wf::REGISTER_STATUS_SUSPENDED}}) {
      grpc::ClientContext check_context;
      PrepareContext(&check_context, *hr_);
      wf::RecordRegisterCheckRequest request;
      request.set_request_id(NewRequestId());
      request.set_swe_number(swe);
      request.set_status(status_value);
      request.mutable_checked_at()->set_seconds(1764547200);  // 30 Nov 2025
      wf::RecordRegisterCheckResponse recorded;
      grpc::Status s = stub_->RecordRegisterCheck(&check_context, request, &recorded);
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_EQ(recorded.register_check().checked_by(), "873-hr-1");
    }
  }

  static grpc::Status Check(const std::string& token, const wf::CheckEngagementRequest& request,
                            wf::CheckEngagementResponse* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return stub_->CheckEngagement(&context, request, response);
  }

  // Checks `terms` as the 873 HR officer and returns the outcome of `rule`.
  static wf::RuleResult CheckRule(const wf::EngagementTerms& terms, wf::Rule rule,
                                  wf::Verdict* verdict = nullptr) {
    wf::CheckEngagementRequest request;
    *request.mutable_terms() = terms;
    wf::CheckEngagementResponse response;
    grpc::Status status = Check(*hr_, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (verdict != nullptr) *verdict = response.check().verdict();
    for (const wf::RuleResult& r : response.check().results()) {
      if (r.rule() == rule) return r;
    }
    ADD_FAILURE() << "no result for rule " << rule;
    return {};
  }

  static ServiceProcess* server_;
  static std::string* admin_;
  static std::string* hr_;
  static wf::WorkforceService::Stub* stub_;
};
ServiceProcess* WorkforceCheckTest::server_ = nullptr;
std::string* WorkforceCheckTest::admin_ = nullptr;
std::string* WorkforceCheckTest::hr_ = nullptr;
wf::WorkforceService::Stub* WorkforceCheckTest::stub_ = nullptr;

TEST_F(WorkforceCheckTest, RuleSetsArePublishedAsVersionsAndNeverRewritten) {
  grpc::ClientContext list_context;
  PrepareContext(&list_context, *hr_);
  wf::ListRuleSetsResponse listed;
  ASSERT_TRUE(stub_->ListRuleSets(&list_context, wf::ListRuleSetsRequest(), &listed).ok());
  ASSERT_EQ(listed.rule_sets_size(), 2);
  EXPECT_EQ(listed.rule_sets(0).version(), 1);
  EXPECT_EQ(listed.rule_sets(1).version(), 2);
  EXPECT_EQ(listed.rule_sets(1).audit().created_by(), "ee-admin");

  grpc::ClientContext get_context;
  PrepareContext(&get_context, *hr_);
  wf::GetRuleSetRequest get;
  *get.mutable_in_force_on() = Date(2025, 9, 30);
  wf::GetRuleSetResponse got;
  ASSERT_TRUE(stub_->GetRuleSet(&get_context, get, &got).ok());
  EXPECT_EQ(got.rule_set().version(), 1);

  // The same effective date again, and an earlier one, are refused.
  for (const auto& [from, code] : std::vector<std::pair<cv1::CivilDate, grpc::StatusCode>>{
           {Date(2025, 10, 1), grpc::StatusCode::ALREADY_EXISTS},
           {Date(2025, 1, 1), grpc::StatusCode::FAILED_PRECONDITION}}) {
    grpc::ClientContext context;
    PrepareContext(&context, *admin_);
    wf::PublishRuleSetRequest request;
    request.set_request_id(NewRequestId());
    *request.mutable_rule_set() = EasternRules(from, 3000);
    wf::PublishRuleSetResponse response;
    EXPECT_EQ(stub_->PublishRuleSet(&context, request, &response).error_code(), code);
  }

  // A repeated request id replays the first answer instead of publishing again.
  wf::PublishRuleSetRequest request;
  request.set_request_id(NewRequestId());
  request.set_request_id("publish-2026");
  *request.mutable_rule_set() = EasternRules(Date(2026, 4, 1), 4100);
  int64_t versions[2];
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    PrepareContext(&context, *admin_);
    wf::PublishRuleSetResponse response;
    grpc::Status status = stub_->PublishRuleSet(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    versions[i] = response.rule_set().version();
  }
  EXPECT_EQ(versions[0], 3);
  EXPECT_EQ(versions[1], 3);
}

TEST_F(WorkforceCheckTest, OnlyTheRegionsAdminPublishes) {
  for (const auto& [token, region] : std::vector<std::pair<std::string, std::string>>{
           {*hr_, "EE"}, {*admin_, "SE"}}) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    wf::PublishRuleSetRequest request;
    request.set_request_id(NewRequestId());
    *request.mutable_rule_set() = EasternRules(Date(2027, 1, 1), 4000);
    request.mutable_rule_set()->mutable_region()->set_value(region);
    wf::PublishRuleSetResponse response;
    EXPECT_EQ(stub_->PublishRuleSet(&context, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << region;
  }
}

TEST_F(WorkforceCheckTest, BatchKeepsGoodRecordsAndReportsBadOnesPerRecord) {
  wf::BatchRecordEmploymentPeriodsRequest batch;
  batch.set_request_id(NewRequestId());
  *batch.add_periods() = Period("b-1", "SW2001", "873", Date(2020, 1, 1), Date(2021, 1, 1));
  *batch.add_periods() = Period("b-2", "SW0123", "873", Date(2020, 1, 1), Date(2021, 1, 1));
  *batch.add_periods() = Period("b-3", "SW2001", "873", Date(2022, 1, 1), Date(2021, 1, 1));
  *batch.add_periods() = Period("b-4", "SW2001", "926", Date(2020, 1, 1), Date(2021, 1, 1));
  *batch.add_periods() = Period("b-1", "SW2001", "873", Date(2020, 1, 1), Date(2021, 2, 1));
  *batch.add_periods() = Period("h-1", "SW1001", "873", Date(2019, 1, 1), Date(2022, 12, 31));
  grpc::ClientContext context;
  PrepareContext(&context, *hr_);
  wf::BatchRecordEmploymentPeriodsResponse response;
  grpc::Status status = stub_->BatchRecordEmploymentPeriods(&context, batch, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 6);
  EXPECT_EQ(response.results(0).outcome(), wf::RECORD_OUTCOME_CREATED);
  EXPECT_EQ(response.results(1).outcome(), wf::RECORD_OUTCOME_REJECTED);
  EXPECT_EQ(response.results(1).violations(0).field(), "swe_number");
  EXPECT_EQ(response.results(2).violations(0).field(), "end_date");
  EXPECT_EQ(response.results(3).violations(0).field(), "la_code.value");
  EXPECT_EQ(response.results(4).violations(0).field(), "record_id");
  EXPECT_EQ(response.results(5).outcome(), wf::RECORD_OUTCOME_UNCHANGED);
  EXPECT_EQ(response.counts().created(), 1);
  EXPECT_EQ(response.counts().unchanged(), 1);
  EXPECT_EQ(response.counts().rejected(), 4);

  // A single correction replaces the period with a new version.
  grpc::ClientContext one_context;
  PrepareContext(&one_context, *hr_);
  wf::RecordEmploymentPeriodRequest one;
  one.set_request_id(NewRequestId());
  *one.mutable_period() = Period("b-1", "SW2001", "873", Date(2020, 1, 1), Date(2021, 2, 1));
  wf::RecordEmploymentPeriodResponse recorded;
  ASSERT_TRUE(stub_->RecordEmploymentPeriod(&one_context, one, &recorded).ok());
  EXPECT_EQ(recorded.outcome(), wf::RECORD_OUTCOME_UPDATED);
  EXPECT_EQ(recorded.period().version(), 2);
}

TEST_F(WorkforceCheckTest, CompliantEngagementPassesEveryRule) {
  wf::CheckEngagementRequest request;
  *request.mutable_terms() = Terms("sw1001");
  wf::CheckEngagementResponse response;
  grpc::Status status = Check(*hr_, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const wf::EngagementCheck& check = response.check();
  EXPECT_EQ(check.verdict(), wf::VERDICT_COMPLIANT);
  EXPECT_EQ(check.rule_set_version(), 2);
  EXPECT_EQ(check.region().value(), "EE");
  ASSERT_EQ(check.results_size(), 7);
  EXPECT_EQ(check.results(0).pay_cap().cap().pence(), 4000);
  EXPECT_EQ(check.results(2).experience().counted_months(), 48);
  ASSERT_EQ(check.results(2).experience().periods_used_size(), 1);
  EXPECT_EQ(check.results(2).experience().periods_used(0).la_code().value(), "873");
  EXPECT_EQ(check.results(5).outcome(), wf::RULE_OUTCOME_NOT_APPLICABLE);
  EXPECT_EQ(check.results(6).registration().register_check().status(),
            wf::REGISTER_STATUS_REGISTERED);
  EXPECT_EQ(response.federation().regions_size(), 1);
}

TEST_F(WorkforceCheckTest, EachRuleFailsOnItsOwn) {
  wf::Verdict verdict;
  wf::EngagementTerms pay = Terms("SW1001");
  pay.mutable_hourly_pay_rate()->set_pence(4150);
  wf::RuleResult r = CheckRule(pay, wf::RULE_PAY_CAP, &verdict);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(r.pay_cap().excess().pence(), 150);
  EXPECT_EQ(verdict, wf::VERDICT_NON_COMPLIANT);

  // The same pay before 1 Oct 2025 is under the older, higher cap.
  *pay.mutable_start_date() = Date(2025, 9, 30);
  r = CheckRule(pay, wf::RULE_PAY_CAP);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_PASS);
  EXPECT_EQ(r.pay_cap().rule_set_version(), 1);

  r = CheckRule(Terms("SW1002"), wf::RULE_COOLING_OFF, &verdict);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(r.cooling_off().last_permanent_la().value(), "873");
  EXPECT_EQ(r.cooling_off().earliest_allowed_start().month(), 3);
  EXPECT_EQ(r.cooling_off().earliest_allowed_start().day(), 1);

  r = CheckRule(Terms("SW1003"), wf::RULE_EXPERIENCE);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(r.experience().counted_months(), 24);
  // SW1003 was made redundant: exempt from cooling off.
  EXPECT_EQ(CheckRule(Terms("SW1003"), wf::RULE_COOLING_OFF).outcome(), wf::RULE_OUTCOME_EXEMPT);

  wf::EngagementTerms refs = Terms("SW1001");
  refs.mutable_references()->RemoveLast();
  r = CheckRule(refs, wf::RULE_REFERENCES);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(r.references().practice_based_count(), 1);

  wf::EngagementTerms notice = Terms("SW1001");
  notice.set_notice_weeks(5);
  r = CheckRule(notice, wf::RULE_NOTICE);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(r.notice().allowed_max_weeks(), 4);

  wf::EngagementTerms team = Terms("SW1001");
  team.mutable_project_team()->set_is_project_team(true);
  team.mutable_project_team()->set_workers_identified_and_approved(true);
  r = CheckRule(team, wf::RULE_PROJECT_TEAM);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);

  r = CheckRule(Terms("SW1004"), wf::RULE_REGISTRATION);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(r.registration().register_check().status(), wf::REGISTER_STATUS_SUSPENDED);

  // No history at all: experience fails; registration is incomplete (no check on record: the
  // deciding fact is missing, never a pass).
  EXPECT_EQ(CheckRule(Terms("SW999999"), wf::RULE_REGISTRATION).outcome(),
            wf::RULE_OUTCOME_INCOMPLETE);
}

TEST_F(WorkforceCheckTest, AsOfAsksWhatIfItStartedLater) {
  wf::CheckEngagementRequest request;
  *request.mutable_terms() = Terms("SW1002");
  *request.mutable_as_of() = Date(2026, 3, 1);
  wf::CheckEngagementResponse response;
  ASSERT_TRUE(Check(*hr_, request, &response).ok());
  EXPECT_EQ(response.check().verdict(), wf::VERDICT_COMPLIANT);
  EXPECT_EQ(response.check().evaluated_on().month(), 3);
}

TEST_F(WorkforceCheckTest, MalformedTermsGetFieldViolationsAndNoRuleSetIsAPrecondition) {
  wf::CheckEngagementRequest request;
  *request.mutable_terms() = Terms("SW0");
  request.mutable_terms()->mutable_start_date()->set_month(13);
  request.mutable_terms()->mutable_hourly_pay_rate()->set_pence(0);
  request.mutable_terms()->set_engagement_model(wf::ENGAGEMENT_MODEL_UNSPECIFIED);
  wf::CheckEngagementResponse response;
  absl::Status status = FromGrpcStatus(Check(*hr_, request, &response));
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(status)) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"terms.swe_number", "terms.engagement_model",
                                              "terms.start_date.month",
                                              "terms.hourly_pay_rate.pence"}));

  *request.mutable_terms() = Terms("SW1001");
  *request.mutable_terms()->mutable_start_date() = Date(2020, 1, 1);
  status = FromGrpcStatus(Check(*hr_, request, &response));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(GetPreconditionViolations(status).size(), 1u);
  EXPECT_EQ(GetPreconditionViolations(status)[0].subject, "region/EE");
}

TEST_F(WorkforceCheckTest, WrongRoleOrAnotherLasEngagementIsPermissionDenied) {
  wf::CheckEngagementRequest request;
  *request.mutable_terms() = Terms("SW1001");
  wf::CheckEngagementResponse response;
  const std::string reader = server_->IssueToken("ee-reader", {Role::kReader});
  EXPECT_EQ(Check(reader, request, &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const std::string other_hr = server_->IssueToken("926-hr-1", {Role::kHrOfficer}, "926");
  absl::Status status = FromGrpcStatus(Check(other_hr, request, &response));
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetErrorReason(status), "LA_OUT_OF_SCOPE");
  const std::string admin = *admin_;
  EXPECT_TRUE(Check(admin, request, &response).ok());
}

// An LA's compliance summary is for that LA's HR officers: a region-wide reader asking for one is
// refused with the reason every LA refusal carries.
TEST_F(WorkforceCheckTest, AnLasSummaryForACallerWithoutThatLaIsRefusedWithItsReason) {
  const std::string reader = server_->IssueToken("ee-reader-summary", {Role::kReader});
  auto stub = wf::WorkforceService::NewStub(server_->NewChannel());
  wf::GetComplianceSummaryRequest request;
  *request.mutable_period_start() = Date(2026, 1, 1);
  *request.mutable_period_end() = Date(2026, 3, 31);
  request.set_scope(::slihub::common::v1::REGION_SCOPE_OWN_LA);
  wf::GetComplianceSummaryResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, reader);
  const absl::Status status =
      FromGrpcStatus(stub->GetComplianceSummary(&context, request, &response));
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(GetErrorReason(status), "LA_OUT_OF_SCOPE") << status;
}

// A token of the South East (issued in this hub's identity database, as a misconfigured or
// federated peer would hold) is refused by the request layer before any handler runs, for the
// check, the worker and summary reads and every write; only the published rule sets (public caps)
// answer it.
TEST_F(WorkforceCheckTest, AnotherRegionsPrincipalIsRefusedRegionOutOfScope) {
  auto tokens = TokenStore::Open(server_->data_dir() + "/identity.db");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  auto issue = [&](const std::string& subject, std::vector<Role> roles, const std::string& la) {
    TokenSpec spec;
    spec.subject = subject;
    spec.region_code = "SE";
    spec.la_code = la;
    spec.roles = std::move(roles);
    absl::StatusOr<std::string> token = (*tokens)->Create(spec, absl::Now() - absl::Minutes(1));
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : std::string();
  };
  const std::string se_admin = issue("se-admin", {Role::kRegionalAdmin}, "");
  const std::string se_hr = issue("845-hr-1", {Role::kHrOfficer}, "845");
  auto refused = [](const absl::Status& status) {
    return status.code() == absl::StatusCode::kPermissionDenied &&
           GetErrorReason(status) == "REGION_OUT_OF_SCOPE";
  };

  wf::CheckEngagementRequest check;
  *check.mutable_terms() = Terms("SW1001");
  wf::CheckEngagementResponse checked;
  absl::Status status;
  // The server reloads tokens on an interval: wait until it knows the SE admin's.
  ASSERT_TRUE(WaitFor(
      [&] {
        status = FromGrpcStatus(Check(se_admin, check, &checked));
        return status.code() != absl::StatusCode::kUnauthenticated;
      },
      absl::Seconds(10), absl::Milliseconds(50)));
  EXPECT_TRUE(refused(status)) << status;
  EXPECT_TRUE(checked.check().results().empty());
  for (const std::string& token : {se_hr}) {
    ASSERT_TRUE(WaitFor(
        [&] {
          status = FromGrpcStatus(Check(token, check, &checked));
          return status.code() != absl::StatusCode::kUnauthenticated;
        },
        absl::Seconds(10), absl::Milliseconds(50)));
    EXPECT_TRUE(refused(status)) << status;
  }

  auto call = [&](const std::string& token, auto method, const auto& request, auto* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus((stub_->*method)(&context, request, response));
  };
  // A service of the South East proves who it is with its certificate (mutual TLS): to this hub,
  // which does not list SE as a peer, it is refused before any handler runs.
  auto se_service = wf::WorkforceService::NewStub(server_->NewMachineChannel("SE", "placement"));
  auto call_as_se_service = [&](auto method, const auto& request, auto* response) {
    grpc::ClientContext context;
    PrepareContext(&context, "");
    return FromGrpcStatus((se_service.get()->*method)(&context, request, response));
  };
  auto machine_refused = [](const absl::Status& status) {
    return status.code() == absl::StatusCode::kPermissionDenied &&
           GetErrorReason(status) == "HUB_NOT_PEER";
  };
  // Writes: a register check (the service role may record one) and an engagement.
  wf::RecordRegisterCheckRequest record;
  record.set_request_id(NewRequestId());
  record.set_swe_number("SW1001");
  record.set_status(wf::REGISTER_STATUS_SUSPENDED);
  record.mutable_checked_at()->set_seconds(1764547200);
  wf::RecordRegisterCheckResponse recorded;
  status = call_as_se_service(&wf::WorkforceService::Stub::RecordRegisterCheck, record, &recorded);
  EXPECT_TRUE(machine_refused(status)) << status;
  wf::CreateEngagementRequest create;
  create.set_request_id(NewRequestId());
  create.set_record_id("se-1");
  *create.mutable_terms() = Terms("SW1001");
  wf::CreateEngagementResponse created;
  status = call(se_admin, &wf::WorkforceService::Stub::CreateEngagement, create, &created);
  EXPECT_TRUE(refused(status)) << status;
  // Reads of the register: qualifying experience, the summary, the cap breaches.
  wf::GetQualifyingExperienceRequest experience;
  experience.set_swe_number("SW1001");
  wf::GetQualifyingExperienceResponse qualifying;
  status = call_as_se_service(&wf::WorkforceService::Stub::GetQualifyingExperience, experience,
                              &qualifying);
  EXPECT_TRUE(machine_refused(status)) << status;
  EXPECT_EQ(qualifying.periods_size(), 0);
  wf::GetComplianceSummaryRequest summary;
  *summary.mutable_period_start() = Date(2026, 1, 1);
  *summary.mutable_period_end() = Date(2026, 3, 31);
  wf::GetComplianceSummaryResponse figures;
  status = call(se_admin, &wf::WorkforceService::Stub::GetComplianceSummary, summary, &figures);
  EXPECT_TRUE(refused(status)) << status;
  wf::ListCapBreachesResponse breaches;
  status = call_as_se_service(&wf::WorkforceService::Stub::ListCapBreaches,
                              wf::ListCapBreachesRequest(), &breaches);
  EXPECT_TRUE(machine_refused(status)) << status;

  // The SW1001 check the SE service tried to record was not stored: the EE check still decides.
  ASSERT_TRUE(Check(*hr_, check, &checked).ok());
  EXPECT_EQ(checked.check().results(6).registration().register_check().status(),
            wf::REGISTER_STATUS_REGISTERED);

  // The published rule sets are the region's public caps: any region may read them.
  wf::ListRuleSetsRequest list;
  list.mutable_region()->set_value("EE");
  wf::ListRuleSetsResponse listed;
  status = call(se_hr, &wf::WorkforceService::Stub::ListRuleSets, list, &listed);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_GE(listed.rule_sets_size(), 2);
}

TEST_F(WorkforceCheckTest, EngagementRegisterStoresCompliantAndRefusesFailingTerms) {
  wf::CreateEngagementRequest create;
  create.set_request_id(NewRequestId());
  create.set_request_id("create-1");
  create.set_record_id("873-eng-1");
  *create.mutable_terms() = Terms("sw1001");
  wf::CreateEngagementResponse created;
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    grpc::Status status = stub_->CreateEngagement(&context, create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const wf::Engagement& engagement = created.engagement();
  EXPECT_EQ(engagement.terms().swe_number(), "SW1001");
  EXPECT_EQ(engagement.check().verdict(), wf::VERDICT_COMPLIANT);
  EXPECT_EQ(engagement.version(), 1);
  EXPECT_FALSE(engagement.engagement_id().empty());

  // The same record id and terms (new request id) give the same engagement; other terms do not.
  create.set_request_id("create-1-again");
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::CreateEngagementResponse again;
    ASSERT_TRUE(stub_->CreateEngagement(&context, create, &again).ok());
    EXPECT_EQ(again.engagement().engagement_id(), engagement.engagement_id());
  }
  create.set_request_id("create-1-other");
  create.mutable_terms()->set_notice_weeks(3);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::CreateEngagementResponse other;
    EXPECT_EQ(stub_->CreateEngagement(&context, create, &other).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }

  // Failing terms are refused with one precondition violation per failed rule.
  wf::CreateEngagementRequest failing;
  failing.set_request_id(NewRequestId());
  failing.set_record_id("873-eng-2");
  *failing.mutable_terms() = Terms("SW1002");
  failing.mutable_terms()->mutable_hourly_pay_rate()->set_pence(4150);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::CreateEngagementResponse refused;
    absl::Status status = FromGrpcStatus(stub_->CreateEngagement(&context, failing, &refused));
    ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    std::vector<std::string> types;
    for (const PreconditionViolation& v : GetPreconditionViolations(status)) {
      types.push_back(v.type);
      EXPECT_EQ(v.subject, "SW1002");
    }
    EXPECT_EQ(types, (std::vector<std::string>{"RULE_PAY_CAP", "RULE_COOLING_OFF"}));
  }

  // The register lists the stored engagement; another LA's officer cannot read it.
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::ListEngagementsRequest list;
    list.set_swe_number("sw1001");
    wf::ListEngagementsResponse listed;
    ASSERT_TRUE(stub_->ListEngagements(&context, list, &listed).ok());
    ASSERT_EQ(listed.engagements_size(), 1);
    EXPECT_EQ(listed.engagements(0).record_id(), "873-eng-1");
    EXPECT_EQ(listed.page().total_size(), 1);
  }
  const std::string other_hr = server_->IssueToken("935-hr-1", {Role::kHrOfficer}, "935");
  {
    grpc::ClientContext context;
    PrepareContext(&context, other_hr);
    wf::GetEngagementRequest get;
    get.set_engagement_id(engagement.engagement_id());
    wf::GetEngagementResponse got;
    EXPECT_EQ(stub_->GetEngagement(&context, get, &got).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    PrepareContext(&context, *admin_);
    wf::GetEngagementRequest get;
    get.set_engagement_id(engagement.engagement_id());
    wf::GetEngagementResponse got;
    ASSERT_TRUE(stub_->GetEngagement(&context, get, &got).ok());
    EXPECT_EQ(got.engagement().record_id(), "873-eng-1");
  }
}

TEST_F(WorkforceCheckTest, ApprovedExceptionLetsTheRefusedEngagementBeCreatedOnce) {
  // SW1008 left a permanent post in the region ten days ago; the engagement starts in a month
  // (sign-off must come before the start): it fails cooling off, and the pay cap.
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::RecordEmploymentPeriodRequest record;
    record.set_request_id(NewRequestId());
    *record.mutable_period() =
        Period("h-8", "SW1008", "873", Date(2015, 1, 1), DaysFromToday(-10));
    wf::RecordEmploymentPeriodResponse recorded;
    grpc::Status status = stub_->RecordEmploymentPeriod(&context, record, &recorded);
    ASSERT_TRUE(status.ok()) << status.error_message();
    grpc::ClientContext check_context;
    PrepareContext(&check_context, *hr_);
    wf::RecordRegisterCheckRequest check;
    check.set_request_id(NewRequestId());
    check.set_swe_number("SW1008");
    check.set_status(wf::REGISTER_STATUS_REGISTERED);
    check.mutable_checked_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
    wf::RecordRegisterCheckResponse checked;
    status = stub_->RecordRegisterCheck(&check_context, check, &checked);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  wf::EngagementTerms terms = Terms("SW1008");
  *terms.mutable_start_date() = DaysFromToday(30);
  terms.mutable_hourly_pay_rate()->set_pence(4150);
  wf::RequestExceptionRequest ask;
  ask.set_request_id(NewRequestId());
  ask.set_request_id("ask-1");
  *ask.mutable_terms() = terms;
  ask.set_reason("No permanent worker available for the court deadline.");
  *ask.mutable_expires_on() = Date(2099, 12, 31);
  wf::RequestExceptionResponse asked;
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    grpc::Status status = stub_->RequestException(&context, ask, &asked);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const wf::RuleException& requested = asked.rule_exception();
  EXPECT_EQ(requested.state(), wf::EXCEPTION_STATE_PENDING);
  ASSERT_EQ(requested.rules_size(), 2);
  EXPECT_EQ(requested.rules(0), wf::RULE_PAY_CAP);
  EXPECT_EQ(requested.rules(1), wf::RULE_COOLING_OFF);

  const std::string dcs = server_->IssueToken("873-dcs", {Role::kDcs}, "873");
  const std::string ceo = server_->IssueToken("873-ceo", {Role::kChiefExecutive}, "873");
  const std::string both = server_->IssueToken("873-both", {Role::kDcs, Role::kChiefExecutive},
                                               "873");
  auto approve = [&](const std::string& token, wf::ApproverCapacity capacity,
                     wf::ApproveExceptionResponse* out) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    wf::ApproveExceptionRequest request;
    request.set_request_id(NewRequestId());
    request.set_exception_id(requested.exception_id());
    request.set_capacity(capacity);
    return FromGrpcStatus(stub_->ApproveException(&context, request, out));
  };
  wf::ApproveExceptionResponse approved;
  EXPECT_EQ(approve(*hr_, wf::APPROVER_CAPACITY_DCS, &approved).code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(approve(both, wf::APPROVER_CAPACITY_DCS, &approved).ok());
  absl::Status twice = approve(both, wf::APPROVER_CAPACITY_CHIEF_EXECUTIVE, &approved);
  EXPECT_EQ(twice.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(twice)[0].type, "APPROVER");
  EXPECT_EQ(approve(dcs, wf::APPROVER_CAPACITY_DCS, &approved).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(approve(ceo, wf::APPROVER_CAPACITY_CHIEF_EXECUTIVE, &approved).ok());
  EXPECT_EQ(approved.rule_exception().state(), wf::EXCEPTION_STATE_APPROVED);
  EXPECT_EQ(approved.rule_exception().approvals_size(), 2);

  // CheckEngagement with the exception: covered; CreateEngagement uses it up.
  {
    wf::CheckEngagementRequest check;
    *check.mutable_terms() = terms;
    check.add_exception_ids(requested.exception_id());
    wf::CheckEngagementResponse checked;
    ASSERT_TRUE(Check(*hr_, check, &checked).ok());
    EXPECT_EQ(checked.check().verdict(), wf::VERDICT_COVERED_BY_EXCEPTION);
    EXPECT_EQ(checked.check().results(0).exception_id(), requested.exception_id());
  }
  wf::CreateEngagementRequest create;
  create.set_request_id(NewRequestId());
  create.set_record_id("873-eng-exc");
  *create.mutable_terms() = terms;
  create.add_exception_ids(requested.exception_id());
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::CreateEngagementResponse created;
    grpc::Status status = stub_->CreateEngagement(&context, create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(created.engagement().check().verdict(), wf::VERDICT_COVERED_BY_EXCEPTION);
    ASSERT_EQ(created.engagement().exception_ids_size(), 1);
  }
  {
    grpc::ClientContext context;
    PrepareContext(&context, dcs);
    wf::GetExceptionRequest get;
    get.set_exception_id(requested.exception_id());
    wf::GetExceptionResponse got;
    ASSERT_TRUE(stub_->GetException(&context, get, &got).ok());
    EXPECT_EQ(got.rule_exception().state(), wf::EXCEPTION_STATE_USED);
    EXPECT_FALSE(got.rule_exception().engagement_id().empty());
  }
  create.set_record_id("873-eng-exc-2");
  create.set_request_id(NewRequestId());
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::CreateEngagementResponse again;
    absl::Status status = FromGrpcStatus(stub_->CreateEngagement(&context, create, &again));
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(GetPreconditionViolations(status)[0].type, "EXCEPTION");
  }
}

TEST_F(WorkforceCheckTest, HistoryAndRegisterChecksAreListedPerWorker) {
  grpc::ClientContext context;
  PrepareContext(&context, *hr_);
  wf::ListEmploymentPeriodsRequest request;
  request.set_swe_number("sw1002");
  request.mutable_page()->set_page_size(1);
  wf::ListEmploymentPeriodsResponse response;
  grpc::Status status = stub_->ListEmploymentPeriods(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.periods_size(), 1);
  EXPECT_EQ(response.periods(0).record_id(), "h-2");
  EXPECT_EQ(response.periods(0).version(), 1);
  EXPECT_EQ(response.page().total_size(), 1);
  EXPECT_TRUE(response.page().next_page_token().empty());

  grpc::ClientContext unknown_context;
  PrepareContext(&unknown_context, *hr_);
  request.set_swe_number("SW777");
  EXPECT_EQ(stub_->ListEmploymentPeriods(&unknown_context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext checks_context;
  PrepareContext(&checks_context, *admin_);
  wf::ListRegisterChecksRequest checks_request;
  checks_request.set_swe_number("SW1004");
  wf::ListRegisterChecksResponse checks;
  ASSERT_TRUE(stub_->ListRegisterChecks(&checks_context, checks_request, &checks).ok());
  ASSERT_EQ(checks.register_checks_size(), 1);
  EXPECT_EQ(checks.register_checks(0).status(), wf::REGISTER_STATUS_SUSPENDED);
}

// The service keeps in-process copies of the histories, policies and rule sets a check reads. Each
// kind of write must show in the very next check, however recently the copy was made.
TEST_F(WorkforceCheckTest, EveryWriteShowsInTheVeryNextCheck) {
  auto rule = [](const std::string& token, const wf::EngagementTerms& terms, wf::Rule r) {
    wf::CheckEngagementRequest request;
    *request.mutable_terms() = terms;
    wf::CheckEngagementResponse response;
    grpc::Status status = Check(token, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const wf::RuleResult& result : response.check().results()) {
      if (result.rule() == r) return result;
    }
    ADD_FAILURE() << "no result for rule " << r;
    return wf::RuleResult();
  };
  auto ok = [](grpc::Status status) {
    EXPECT_TRUE(status.ok()) << status.error_message();
  };
  const wf::EngagementTerms terms = Terms("SW1010");
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_EXPERIENCE).experience().counted_months(), 0);
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_REGISTRATION).outcome(), wf::RULE_OUTCOME_INCOMPLETE);

  {  // History and a register check arrive.
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::RecordEmploymentPeriodRequest request;
    request.set_request_id(NewRequestId());
    request.set_request_id("fresh-1");
    *request.mutable_period() = Period("f-1", "SW1010", "873", Date(2015, 1, 1), Date(2021, 12, 31));
    wf::RecordEmploymentPeriodResponse response;
    ok(stub_->RecordEmploymentPeriod(&context, request, &response));
  }
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_EXPERIENCE).experience().counted_months(), 84);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::RecordRegisterCheckRequest request;
    request.set_request_id(NewRequestId());
    request.set_swe_number("SW1010");
    request.set_status(wf::REGISTER_STATUS_REGISTERED);
    request.mutable_checked_at()->set_seconds(1764547200);
    wf::RecordRegisterCheckResponse response;
    ok(stub_->RecordRegisterCheck(&context, request, &response));
  }
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_REGISTRATION).outcome(), wf::RULE_OUTCOME_PASS);

  // A permanent post in the region left three weeks before the start: cooling off fails; the
  // record deleted, it passes again.
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_COOLING_OFF).outcome(), wf::RULE_OUTCOME_PASS);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::RecordEmploymentPeriodRequest request;
    request.set_request_id(NewRequestId());
    request.set_request_id("fresh-2");
    *request.mutable_period() = Period("f-2", "SW1010", "873", Date(2022, 1, 1), Date(2025, 12, 15));
    wf::RecordEmploymentPeriodResponse response;
    ok(stub_->RecordEmploymentPeriod(&context, request, &response));
  }
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_COOLING_OFF).outcome(), wf::RULE_OUTCOME_FAIL);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::DeleteEmploymentPeriodRequest request;
    request.set_request_id(NewRequestId());
    request.set_request_id("fresh-3");
    request.mutable_la_code()->set_value("873");
    request.set_record_id("f-2");
    wf::DeleteEmploymentPeriodResponse response;
    ok(stub_->DeleteEmploymentPeriod(&context, request, &response));
  }
  EXPECT_EQ(rule(*hr_, terms, wf::RULE_COOLING_OFF).outcome(), wf::RULE_OUTCOME_PASS);

  // LA 926 publishes a two-week permanent notice: the allowed maximum drops from 4 to 2.
  wf::EngagementTerms at_926 = terms;
  at_926.mutable_la_code()->set_value("926");
  at_926.set_notice_weeks(3);
  EXPECT_EQ(rule(*admin_, at_926, wf::RULE_NOTICE).notice().allowed_max_weeks(), 4);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *admin_);
    wf::PublishLaWorkforcePolicyRequest request;
    request.set_request_id(NewRequestId());
    wf::LaWorkforcePolicy* policy = request.mutable_policy();
    policy->mutable_la_code()->set_value("926");
    *policy->mutable_effective_from() = Date(2025, 1, 1);
    wf::PermanentNotice* notice = policy->add_permanent_notice();
    notice->set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
    notice->set_notice_weeks(2);
    wf::PublishLaWorkforcePolicyResponse response;
    ok(stub_->PublishLaWorkforcePolicy(&context, request, &response));
  }
  EXPECT_EQ(rule(*admin_, at_926, wf::RULE_NOTICE).notice().allowed_max_weeks(), 2);

  // A new rule set lowers the cap from 2027.
  wf::EngagementTerms in_2027 = terms;
  *in_2027.mutable_start_date() = Date(2027, 2, 1);
  in_2027.mutable_hourly_pay_rate()->set_pence(3500);
  EXPECT_EQ(rule(*hr_, in_2027, wf::RULE_PAY_CAP).outcome(), wf::RULE_OUTCOME_PASS);
  {
    grpc::ClientContext context;
    PrepareContext(&context, *admin_);
    wf::PublishRuleSetRequest request;
    request.set_request_id(NewRequestId());
    *request.mutable_rule_set() = EasternRules(Date(2027, 1, 1), 3000);
    wf::PublishRuleSetResponse response;
    ok(stub_->PublishRuleSet(&context, request, &response));
  }
  const wf::RuleResult capped = rule(*hr_, in_2027, wf::RULE_PAY_CAP);
  EXPECT_EQ(capped.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(capped.pay_cap().excess().pence(), 500);
}

TEST(WorkforceDemoDataTest, EveryRegionHasARuleSetAndLondonKeepsIts2016Caps) {
  ServiceProcessOptions options;
  options.extra_args = {"--demo-data"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string reader = server.IssueToken("ee-reader", {Role::kReader});
  auto stub = wf::WorkforceService::NewStub(server.NewChannel());
  for (const char* region : {"EE", "EM", "LDN", "NE", "NW", "SE", "SW", "WM", "YH"}) {
    grpc::ClientContext context;
    PrepareContext(&context, reader);
    wf::ListRuleSetsRequest request;
    request.mutable_region()->set_value(region);
    wf::ListRuleSetsResponse response;
    ASSERT_TRUE(stub->ListRuleSets(&context, request, &response).ok()) << region;
    ASSERT_GE(response.rule_sets_size(), 1) << region;
    EXPECT_EQ(response.rule_sets(response.rule_sets_size() - 1).effective_from().year(), 2025);
  }
  grpc::ClientContext context;
  PrepareContext(&context, reader);
  wf::GetRuleSetRequest request;
  request.mutable_region()->set_value("LDN");
  *request.mutable_in_force_on() = Date(2016, 6, 1);
  wf::GetRuleSetResponse response;
  ASSERT_TRUE(stub->GetRuleSet(&context, request, &response).ok());
  int64_t lowest = 1 << 30;
  int64_t highest = 0;
  for (const wf::PayCap& cap : response.rule_set().pay_caps()) {
    if (cap.uncapped()) continue;  // no IRO cap in 2016
    lowest = std::min(lowest, cap.hourly_cap().pence());
    highest = std::max(highest, cap.hourly_cap().pence());
  }
  EXPECT_EQ(response.rule_set().version(), 1);
  EXPECT_EQ(response.rule_set().cooling_off_months(), 6);
  EXPECT_EQ(lowest, 2800);
  EXPECT_EQ(highest, 4200);
}

// Dates by meaning: an employment period starting 9999-12-31 is a typing error, refused.
TEST_F(WorkforceCheckTest, ADateOutsideTheSaneWindowIsRefused) {
  grpc::ClientContext context;
  PrepareContext(&context, *hr_);
  wf::RecordEmploymentPeriodRequest record;
  record.set_request_id(NewRequestId());
  *record.mutable_period() = Period("h-9999", "SW1009", "873", Date(9999, 12, 31),
                                    Date(9999, 12, 31));
  wf::RecordEmploymentPeriodResponse recorded;
  absl::Status status = FromGrpcStatus(stub_->RecordEmploymentPeriod(&context, record, &recorded));
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(status)) fields.push_back(v.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "period.start_date.year"), fields.end());
}

// Publishing checks completeness: no caps, zero experience months and zero references is
// refused, naming each gap.
TEST_F(WorkforceCheckTest, AnIncompleteRuleSetIsNotPublished) {
  wf::RuleSet rules = EasternRules(Date(2027, 1, 1), 4000);
  rules.clear_pay_caps();
  rules.set_min_experience_months(0);
  rules.set_references_required(0);
  grpc::ClientContext context;
  PrepareContext(&context, *admin_);
  wf::PublishRuleSetRequest request;
  request.set_request_id(NewRequestId());
  *request.mutable_rule_set() = rules;
  wf::PublishRuleSetResponse response;
  absl::Status status = FromGrpcStatus(stub_->PublishRuleSet(&context, request, &response));
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(status)) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"rule_set.pay_caps",
                                              "rule_set.min_experience_months",
                                              "rule_set.references_required"}));
}

// A check whose deciding facts are missing says so: an unstated notice period and a reference
// without its received date are INCOMPLETE, never PASS.
TEST_F(WorkforceCheckTest, MissingFactsMakeTheCheckIncomplete) {
  wf::EngagementTerms terms = Terms("SW1001");
  terms.clear_notice_weeks();
  wf::Verdict verdict = wf::VERDICT_UNSPECIFIED;
  wf::RuleResult r = CheckRule(terms, wf::RULE_NOTICE, &verdict);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_INCOMPLETE) << r.explanation();
  EXPECT_EQ(verdict, wf::VERDICT_INCOMPLETE);

  terms = Terms("SW1001");
  terms.mutable_references(1)->clear_received_on();
  r = CheckRule(terms, wf::RULE_REFERENCES, &verdict);
  EXPECT_EQ(r.outcome(), wf::RULE_OUTCOME_INCOMPLETE) << r.explanation();
  EXPECT_EQ(r.references().undated_count(), 1);
  EXPECT_EQ(verdict, wf::VERDICT_INCOMPLETE);
}

// Register-check tenancy: LA 873's HR officer records SUSPENDED; LA 926's check of the same
// worker is not flipped to non-compliant (it shows the check as unconfirmed) until the hub
// corroborates it.
TEST_F(WorkforceCheckTest, AnotherLasSuspensionDoesNotDecideThisLasCheck) {
  const std::string hr_926 = server_->IssueToken("926-hr-1", {Role::kHrOfficer}, "926");
  auto record = [&](const std::string& token, wf::RegisterStatus status, int64_t seconds) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    wf::RecordRegisterCheckRequest request;
    request.set_request_id(NewRequestId());
    request.set_swe_number("SW1011");
    request.set_status(status);
    request.mutable_checked_at()->set_seconds(seconds);
    wf::RecordRegisterCheckResponse recorded;
    grpc::Status s = stub_->RecordRegisterCheck(&context, request, &recorded);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return recorded.register_check();
  };
  const wf::RegisterCheck hub =
      record(*admin_, wf::REGISTER_STATUS_REGISTERED, 1764547200);  // 1 Dec 2025, the hub's
  EXPECT_FALSE(hub.has_recorded_by_la());
  const wf::RegisterCheck la_a =
      record(*hr_, wf::REGISTER_STATUS_SUSPENDED, 1764720000);  // 3 Dec 2025, LA 873's
  EXPECT_EQ(la_a.recorded_by_la().value(), "873");
  EXPECT_EQ(la_a.audit().created_by(), "873-hr-1");
  EXPECT_FALSE(la_a.audit().request_id().empty());

  auto registration = [&](const std::string& token, const std::string& la) {
    wf::EngagementTerms terms = Terms("SW1011");
    terms.mutable_la_code()->set_value(la);
    wf::CheckEngagementRequest request;
    *request.mutable_terms() = terms;
    wf::CheckEngagementResponse response;
    grpc::Status status = Check(token, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const wf::RuleResult& r : response.check().results()) {
      if (r.rule() == wf::RULE_REGISTRATION) return r;
    }
    return wf::RuleResult();
  };
  wf::RuleResult b = registration(hr_926, "926");
  EXPECT_EQ(b.outcome(), wf::RULE_OUTCOME_PASS) << b.explanation();
  EXPECT_EQ(b.registration().register_check().check_id(), hub.check_id());
  ASSERT_EQ(b.registration().unconfirmed_checks_size(), 1);
  EXPECT_EQ(b.registration().unconfirmed_checks(0).recorded_by_la().value(), "873");
  // LA 873's own check decides LA 873's verdict.
  EXPECT_EQ(registration(*hr_, "873").outcome(), wf::RULE_OUTCOME_FAIL);

  // The hub corroborates: now every LA's check fails.
  record(*admin_, wf::REGISTER_STATUS_SUSPENDED, 1764806400);  // 4 Dec 2025
  EXPECT_EQ(registration(hr_926, "926").outcome(), wf::RULE_OUTCOME_FAIL);
}

// An exception the DCS and the Chief Executive sign after the engagement started covers
// nothing: CreateEngagement is refused (SIGN_OFF) and no cap breach is reported as signed off.
TEST_F(WorkforceCheckTest, AnExceptionSignedAfterTheStartDoesNotCoverIt) {
  wf::EngagementTerms terms = Terms("SW1001");
  *terms.mutable_start_date() = DaysFromToday(-7);
  terms.mutable_hourly_pay_rate()->set_pence(4150);  // fails the pay cap only
  // A register check recent enough for a start a week ago.
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::RecordRegisterCheckRequest check;
    check.set_request_id(NewRequestId());
    check.set_swe_number("SW1001");
    check.set_status(wf::REGISTER_STATUS_REGISTERED);
    check.mutable_checked_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 30 * 86400);
    wf::RecordRegisterCheckResponse checked;
    ASSERT_TRUE(stub_->RecordRegisterCheck(&context, check, &checked).ok());
  }
  wf::RequestExceptionRequest ask;
  ask.set_request_id(NewRequestId());
  *ask.mutable_terms() = terms;
  ask.set_reason("Signed late.");
  *ask.mutable_expires_on() = Date(2099, 12, 31);
  wf::RequestExceptionResponse asked;
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    grpc::Status status = stub_->RequestException(&context, ask, &asked);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  for (const auto& [token, capacity] : std::vector<std::pair<std::string, wf::ApproverCapacity>>{
           {server_->IssueToken("873-dcs-late", {Role::kDcs}, "873"), wf::APPROVER_CAPACITY_DCS},
           {server_->IssueToken("873-ceo-late", {Role::kChiefExecutive}, "873"),
            wf::APPROVER_CAPACITY_CHIEF_EXECUTIVE}}) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    wf::ApproveExceptionRequest approve;
    approve.set_request_id(NewRequestId());
    approve.set_exception_id(asked.rule_exception().exception_id());
    approve.set_capacity(capacity);
    wf::ApproveExceptionResponse approved;
    ASSERT_TRUE(stub_->ApproveException(&context, approve, &approved).ok());
  }
  wf::CreateEngagementRequest create;
  create.set_request_id(NewRequestId());
  create.set_record_id("873-late-sign-off");
  *create.mutable_terms() = terms;
  create.add_exception_ids(asked.rule_exception().exception_id());
  {
    grpc::ClientContext context;
    PrepareContext(&context, *hr_);
    wf::CreateEngagementResponse created;
    absl::Status status = FromGrpcStatus(stub_->CreateEngagement(&context, create, &created));
    ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_EQ(GetPreconditionViolations(status)[0].type, "SIGN_OFF");
  }
  grpc::ClientContext context;
  PrepareContext(&context, *admin_);
  wf::ListCapBreachesResponse breaches;
  ASSERT_TRUE(stub_->ListCapBreaches(&context, wf::ListCapBreachesRequest(), &breaches).ok());
  for (const wf::CapBreach& b : breaches.cap_breaches()) {
    EXPECT_NE(b.exception_id(), asked.rule_exception().exception_id());
    EXPECT_TRUE(b.signed_off_before_start()) << b.engagement_id();
  }
}

}  // namespace
}  // namespace slihub::testing
