// The engagement register end to end through the real binary and store: bulk history with bad
// records, a refused engagement, the same engagement under an exception signed by the DCS and
// the Chief Executive, ending and updating engagements, rejecting and listing exceptions, cap
// breaches, the quarterly return (rows and CSV) and the regional compliance summary. Dates are
// computed from today in England, so the exception is always signed before its engagement starts.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"

namespace slihub::testing {
namespace {

// The scenario's calendar, computed from today in England: the engagements lie in the quarter
// today falls in (a return can be generated once its quarter has started), and the breaching
// engagement starts after the exception covering it is signed (today).
struct Calendar {
  absl::CivilDay today;
  int year = 0;
  int quarter = 0;                    // 1 to 4
  absl::CivilDay quarter_first;       // also the compliant engagement's start
  absl::CivilDay quarter_last;
  absl::CivilDay compliant_end;       // the last day of the quarter's second month
  absl::CivilDay breaching_start;     // tomorrow, or today when today ends the quarter
  absl::CivilDay resigned_on;         // SW5002 left 873 five weeks before: still cooling off
  absl::CivilDay register_checked_on; // 30 days before the quarter, well within 365 days

  static Calendar FromToday() {
    Calendar c;
    c.today = TodayInEngland();
    c.year = static_cast<int>(c.today.year());
    c.quarter = (c.today.month() - 1) / 3 + 1;
    const absl::CivilMonth first_month(c.year, 3 * (c.quarter - 1) + 1);
    c.quarter_first = absl::CivilDay(first_month);
    c.quarter_last = absl::CivilDay(first_month + 3) - 1;
    c.compliant_end = absl::CivilDay(first_month + 2) - 1;
    c.breaching_start = std::min(c.today + 1, c.quarter_last);
    c.resigned_on = c.breaching_start - 35;
    c.register_checked_on = c.quarter_first - 30;
    return c;
  }
};

cv1::CivilDate ToDate(absl::CivilDay day) {
  return Date(static_cast<int>(day.year()), day.month(), day.day());
}

// Days of [first, last] that fall in [from, to] (0 when none).
int64_t DaysIn(absl::CivilDay first, absl::CivilDay last, absl::CivilDay from, absl::CivilDay to) {
  const absl::CivilDay a = std::max(first, from);
  const absl::CivilDay b = std::min(last, to);
  return b < a ? 0 : (b - a) + 1;
}

// The agency cost of `days` days at `charge_pence` an hour for 37.5 hours a week, in pence,
// rounded half up: 56.00/h is 300.00 a day, 60.00/h is 321.43 a day.
int64_t CostOfDays(int64_t charge_pence, int64_t days) {
  return (2 * charge_pence * 2250 * days + 420) / 840;
}

class WorkforceRegisterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    admin_ = server_.IssueToken("ee-admin", {Role::kRegionalAdmin});
    hr_ = server_.IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
    dcs_ = server_.IssueToken("873-dcs", {Role::kDcs}, "873");
    ceo_ = server_.IssueToken("873-ceo", {Role::kChiefExecutive}, "873");
    stub_ = wf::WorkforceService::NewStub(server_.NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, admin_);
    wf::PublishRuleSetRequest publish;
    publish.set_request_id(NewRequestId());
    *publish.mutable_rule_set() = EasternRules(Date(2025, 10, 1), 4000);
    wf::PublishRuleSetResponse published;
    ASSERT_TRUE(stub_->PublishRuleSet(&context, publish, &published).ok());
  }

  template <typename Request, typename Response, typename Method>
  absl::Status Call(const std::string& token, Method method, const Request& request,
                    Response* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(((*stub_).*method)(&context, request, response));
  }

  // Imports history: SW5001 experienced and long gone; SW5002 resigned from 873 five weeks before
  // the breaching engagement starts (still cooling off); two bad records. Both workers' register
  // checks date from 30 days before this quarter.
  void ImportHistory() {
    wf::BatchRecordEmploymentPeriodsRequest batch;
    batch.set_request_id(NewRequestId());
    batch.set_request_id("hr-export-1");
    *batch.add_periods() = Period("p-1", "SW5001", "873", Date(2015, 1, 1), Date(2020, 12, 31));
    *batch.add_periods() =
        Period("p-2", "SW5002", "873", Date(2016, 1, 1), ToDate(cal_.resigned_on));
    *batch.add_periods() = Period("p-3", "5003", "873", Date(2016, 1, 1), Date(2020, 1, 1));
    *batch.add_periods() = Period("p-4", "SW5004", "873", Date(2020, 1, 1), Date(2019, 1, 1));
    wf::BatchRecordEmploymentPeriodsResponse imported;
    ASSERT_TRUE(
        Call(hr_, &wf::WorkforceService::Stub::BatchRecordEmploymentPeriods, batch, &imported)
            .ok());
    EXPECT_EQ(imported.counts().created(), 2);
    EXPECT_EQ(imported.counts().rejected(), 2);
    EXPECT_EQ(imported.results(2).violations(0).field(), "swe_number");
    EXPECT_EQ(imported.results(3).violations(0).field(), "end_date");
    for (const char* swe : {"SW5001", "SW5002"}) {
      wf::RecordRegisterCheckRequest check;
      check.set_request_id(NewRequestId());
      check.set_swe_number(swe);
      check.set_status(wf::REGISTER_STATUS_REGISTERED);
      check.mutable_checked_at()->set_seconds(absl::ToUnixSeconds(
          StartOfEnglandDay(cal_.register_checked_on) + absl::Hours(12)));
      wf::RecordRegisterCheckResponse recorded;
      ASSERT_TRUE(
          Call(hr_, &wf::WorkforceService::Stub::RecordRegisterCheck, check, &recorded).ok());
    }
  }

  // SW5001: compliant, from the first day of this quarter, 56.00/h charge for 37.5 hours a week.
  wf::EngagementTerms CompliantTerms() {
    wf::EngagementTerms t = Terms("SW5001");
    *t.mutable_start_date() = ToDate(cal_.quarter_first);
    t.mutable_hourly_charge_rate()->set_pence(5600);
    t.set_contracted_minutes_per_week(2250);
    t.set_agency_name("Acme Social Care");
    return t;
  }

  // SW5002 from tomorrow (within this quarter) at 41.50/h: fails the pay cap and cooling off.
  wf::EngagementTerms BreachingTerms() {
    wf::EngagementTerms t = Terms("SW5002");
    *t.mutable_start_date() = ToDate(cal_.breaching_start);
    t.mutable_hourly_pay_rate()->set_pence(4150);
    t.mutable_hourly_charge_rate()->set_pence(6000);
    t.set_contracted_minutes_per_week(2250);
    t.set_agency_name("Brightside Locums");
    return t;
  }

  absl::Status Create(const std::string& record_id, const wf::EngagementTerms& terms,
                      const std::vector<std::string>& exception_ids, wf::Engagement* out) {
    wf::CreateEngagementRequest create;
    create.set_request_id(NewRequestId());
    create.set_record_id(record_id);
    *create.mutable_terms() = terms;
    for (const std::string& id : exception_ids) create.add_exception_ids(id);
    wf::CreateEngagementResponse created;
    absl::Status status =
        Call(hr_, &wf::WorkforceService::Stub::CreateEngagement, create, &created);
    *out = created.engagement();
    return status;
  }

  // Requests an exception for `terms` and has the DCS and the Chief Executive sign it.
  std::string ApprovedException(const wf::EngagementTerms& terms) {
    wf::RequestExceptionRequest ask;
    ask.set_request_id(NewRequestId());
    *ask.mutable_terms() = terms;
    ask.set_reason("Court deadline; no permanent worker available.");
    *ask.mutable_expires_on() = Date(2099, 12, 31);
    wf::RequestExceptionResponse asked;
    EXPECT_TRUE(Call(hr_, &wf::WorkforceService::Stub::RequestException, ask, &asked).ok());
    for (const auto& [token, capacity] :
         std::vector<std::pair<std::string, wf::ApproverCapacity>>{
             {dcs_, wf::APPROVER_CAPACITY_DCS}, {ceo_, wf::APPROVER_CAPACITY_CHIEF_EXECUTIVE}}) {
      wf::ApproveExceptionRequest approve;
      approve.set_request_id(NewRequestId());
      approve.set_exception_id(asked.rule_exception().exception_id());
      approve.set_capacity(capacity);
      wf::ApproveExceptionResponse approved;
      EXPECT_TRUE(
          Call(token, &wf::WorkforceService::Stub::ApproveException, approve, &approved).ok());
    }
    return asked.rule_exception().exception_id();
  }

  const Calendar cal_ = Calendar::FromToday();
  ServiceProcess server_;
  std::string admin_;
  std::string hr_;
  std::string dcs_;
  std::string ceo_;
  std::unique_ptr<wf::WorkforceService::Stub> stub_;
};

TEST_F(WorkforceRegisterTest, RefusedEngagementIsCreatedUnderAnExceptionAndReturned) {
  ImportHistory();
  wf::Engagement compliant;
  ASSERT_TRUE(Create("873-a-1", CompliantTerms(), {}, &compliant).ok());

  // Refused: one violation per failed rule.
  wf::Engagement refused;
  absl::Status status = Create("873-a-2", BreachingTerms(), {}, &refused);
  ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(GetPreconditionViolations(status).size(), 2u);

  // The same engagement under an exception the DCS and Chief Executive approved.
  const std::string exception_id = ApprovedException(BreachingTerms());
  wf::Engagement covered;
  status = Create("873-a-2", BreachingTerms(), {exception_id}, &covered);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(covered.check().verdict(), wf::VERDICT_COVERED_BY_EXCEPTION);

  // The compliant engagement ends on the last day of the quarter's second month with a
  // national-template reference.
  wf::EndEngagementRequest end;
  end.set_request_id(NewRequestId());
  end.set_engagement_id(compliant.engagement_id());
  end.set_version(compliant.version());
  *end.mutable_end_date() = ToDate(cal_.compliant_end);
  end.set_national_template_reference_provided(true);
  *end.mutable_reference_provided_on() = ToDate(cal_.compliant_end - 3);
  wf::EndEngagementResponse ended;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::EndEngagement, end, &ended).ok());
  EXPECT_EQ(ended.engagement().state(), wf::ENGAGEMENT_STATE_ENDED);
  EXPECT_TRUE(ended.engagement().national_template_reference_provided());
  EXPECT_EQ(ended.engagement().version(), 2);
  // The same request id replays the kept answer; a new one quoting the old version is refused.
  wf::EndEngagementResponse replayed;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::EndEngagement, end, &replayed).ok());
  EXPECT_EQ(replayed.SerializeAsString(), ended.SerializeAsString());
  end.set_request_id(NewRequestId());
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::EndEngagement, end, &ended).code(),
            absl::StatusCode::kAborted);
  end.set_request_id(NewRequestId());
  end.set_version(0);
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::EndEngagement, end, &ended).code(),
            absl::StatusCode::kFailedPrecondition);

  // The approved pay-cap breach is reported with both sign-offs, given before it starts.
  wf::ListCapBreachesResponse breaches;
  ASSERT_TRUE(Call(admin_, &wf::WorkforceService::Stub::ListCapBreaches,
                   wf::ListCapBreachesRequest(), &breaches)
                  .ok());
  ASSERT_EQ(breaches.cap_breaches_size(), 1);
  EXPECT_EQ(breaches.cap_breaches(0).excess().pence(), 150);
  EXPECT_EQ(breaches.cap_breaches(0).exception_id(), exception_id);
  EXPECT_TRUE(breaches.cap_breaches(0).signed_off_before_start());
  ASSERT_EQ(breaches.cap_breaches(0).approvals_size(), 2);
  EXPECT_EQ(breaches.cap_breaches(0).approvals(0).approver(), "873-dcs");
  EXPECT_EQ(breaches.cap_breaches(0).approvals(1).approver(), "873-ceo");

  // The return for this quarter: provisional, since the quarter has not ended.
  wf::GenerateQuarterlyReturnRequest ask;
  ask.mutable_la_code()->set_value("873");
  ask.mutable_quarter()->set_year(cal_.year);
  ask.mutable_quarter()->set_quarter(cal_.quarter);
  ask.set_include_csv(true);
  wf::RuleExplanation* why = ask.mutable_narrative()->add_explanations();
  why->set_rule(wf::RULE_PAY_CAP);
  why->set_explanation("One court-deadline case, approved by the DCS and Chief Executive.");
  wf::AgencyConcern* concern = ask.mutable_narrative()->add_agency_concerns();
  concern->set_agency_name("Brightside Locums");
  concern->set_concern("=1+2 invoices late");  // a spreadsheet would run it: neutralised
  wf::GenerateQuarterlyReturnResponse generated;
  status = Call(hr_, &wf::WorkforceService::Stub::GenerateQuarterlyReturn, ask, &generated);
  ASSERT_TRUE(status.ok()) << status;
  const wf::QuarterlyReturn& r = generated.quarterly_return();
  EXPECT_TRUE(r.provisional());
  EXPECT_EQ(r.period_start().month(), cal_.quarter_first.month());
  EXPECT_EQ(r.period_end().month(), cal_.quarter_last.month());
  EXPECT_EQ(r.period_end().day(), cal_.quarter_last.day());
  ASSERT_EQ(r.assignments_size(), 2);
  EXPECT_EQ(r.assignments(0).swe_number(), "SW5001");
  EXPECT_EQ(r.assignments(0).job_type(), wf::JOB_TYPE_SOCIAL_WORKER);
  EXPECT_EQ(r.assignments(0).hourly_pay_rate().pence(), 3900);
  EXPECT_EQ(r.assignments(0).end_date().month(), cal_.compliant_end.month());
  EXPECT_EQ(r.assignments(0).end_date().day(), cal_.compliant_end.day());
  EXPECT_FALSE(r.assignments(0).project_team());
  EXPECT_EQ(r.assignments(1).swe_number(), "SW5002");
  EXPECT_FALSE(r.assignments(1).has_end_date());
  EXPECT_EQ(r.assignments(1).verdict(), wf::VERDICT_COVERED_BY_EXCEPTION);
  const wf::ReturnSummary& s = r.summary();
  ASSERT_EQ(s.rule_compliance_size(), 7);
  EXPECT_EQ(s.rule_compliance(0).passed(), 1);
  EXPECT_EQ(s.rule_compliance(0).covered_by_exception(), 1);
  ASSERT_EQ(s.rule_compliance(0).explanations_size(), 2);
  EXPECT_EQ(s.rule_compliance(0).explanations(1), why->explanation());
  ASSERT_EQ(s.cap_breaches_size(), 1);
  ASSERT_EQ(s.agencies_size(), 2);
  EXPECT_EQ(s.agencies(0).agency_name(), "Acme Social Care");
  // Each month: the compliant engagement's days at 300.00 plus the breaching one's at 321.43.
  ASSERT_EQ(s.monthly_costs_size(), 3);
  std::vector<int64_t> month_costs;
  for (int i = 0; i < 3; ++i) {
    const absl::CivilMonth month = absl::CivilMonth(cal_.quarter_first) + i;
    const absl::CivilDay first(month);
    const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
    month_costs.push_back(
        CostOfDays(5600, DaysIn(cal_.quarter_first, cal_.compliant_end, first, last)) +
        CostOfDays(6000, DaysIn(cal_.breaching_start, cal_.quarter_last, first, last)));
    EXPECT_EQ(s.monthly_costs(i).year(), month.year());
    EXPECT_EQ(s.monthly_costs(i).month(), month.month());
    EXPECT_EQ(s.monthly_costs(i).cost().pence(), month_costs.back()) << "month " << i + 1;
  }
  EXPECT_GT(month_costs[2], 0);  // the breaching engagement runs to the quarter's end

  const std::vector<std::string> rows = absl::StrSplit(
      generated.assignments_csv(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(absl::StartsWith(rows[0], "la_code,year,quarter,engagement_id,swe_number"));
  EXPECT_TRUE(absl::StrContains(
      rows[1], absl::StrCat(",SW5001,social worker,limited company,3900,",
                            FormatCivilDate(cal_.quarter_first), ",",
                            FormatCivilDate(cal_.compliant_end),
                            ",no,Acme Social Care,compliant")))
      << rows[1];
  EXPECT_TRUE(absl::StrContains(
      rows[2], absl::StrCat(FormatCivilDate(cal_.breaching_start),
                            ",,no,Brightside Locums,covered by exception")))
      << rows[2];
  const std::string return_key = absl::StrCat("873,", cal_.year, ",", cal_.quarter, ",");
  EXPECT_TRUE(absl::StrContains(generated.summary_csv(),
                                return_key + "cap_breach," + covered.engagement_id() +
                                    ",signed_off_by_chief_executive,873-ceo"));
  EXPECT_TRUE(absl::StrContains(
      generated.summary_csv(),
      return_key + "agency_concern,Brightside Locums,concern,'=1+2 invoices late\r\n"))
      << generated.summary_csv();
  const absl::CivilMonth third = absl::CivilMonth(cal_.quarter_first) + 2;
  EXPECT_TRUE(absl::StrContains(
      generated.summary_csv(),
      absl::StrCat(return_key, "monthly_cost,",
                   absl::StrFormat("%04d-%02d", third.year(), third.month()), ",cost_pence,",
                   month_costs[2])));

  // The previous quarter has ended: its return is final, and neither engagement is in it.
  wf::GenerateQuarterlyReturnRequest previous = ask;
  const absl::CivilDay previous_day = cal_.quarter_first - 1;
  previous.mutable_quarter()->set_year(static_cast<int>(previous_day.year()));
  previous.mutable_quarter()->set_quarter((previous_day.month() - 1) / 3 + 1);
  ASSERT_TRUE(
      Call(hr_, &wf::WorkforceService::Stub::GenerateQuarterlyReturn, previous, &generated).ok());
  EXPECT_FALSE(generated.quarterly_return().provisional());
  EXPECT_EQ(generated.quarterly_return().assignments_size(), 0);

  // The LA's data officer may generate it too; a future or impossible quarter may not be.
  const std::string data_officer = server_.IssueToken("873-data", {Role::kDataOfficer}, "873");
  ask.set_include_csv(false);
  ASSERT_TRUE(Call(data_officer, &wf::WorkforceService::Stub::GenerateQuarterlyReturn, ask,
                   &generated)
                  .ok());
  EXPECT_TRUE(generated.assignments_csv().empty());
  EXPECT_EQ(generated.quarterly_return().assignments_size(), 2);
  ask.mutable_quarter()->set_year(2099);
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::GenerateQuarterlyReturn, ask, &generated)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ask.mutable_quarter()->set_quarter(5);
  status = Call(hr_, &wf::WorkforceService::Stub::GenerateQuarterlyReturn, ask, &generated);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status)[0].field, "quarter.quarter");

  // The regional summary for the quarter: on its last day one active worker, covered by an
  // exception; the spend is both engagements' days in the quarter.
  wf::GetComplianceSummaryRequest summary;
  *summary.mutable_period_start() = ToDate(cal_.quarter_first);
  *summary.mutable_period_end() = ToDate(cal_.quarter_last);
  wf::GetComplianceSummaryResponse figures;
  status = Call(admin_, &wf::WorkforceService::Stub::GetComplianceSummary, summary, &figures);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(figures.region_totals_size(), 1);
  const wf::LaComplianceSummary& total = figures.region_totals(0);
  EXPECT_EQ(total.active_agency_workers(), 1);
  EXPECT_EQ(total.compliant_workers(), 0);
  EXPECT_EQ(total.rule_breaches(), 2);
  EXPECT_EQ(total.cap_breaches(), 1);
  EXPECT_EQ(total.agency_spend().pence(),
            CostOfDays(5600, (cal_.compliant_end - cal_.quarter_first) + 1) +
                CostOfDays(6000, (cal_.quarter_last - cal_.breaching_start) + 1));
  EXPECT_GT(figures.la_summaries_size(), 1);
  ASSERT_TRUE(
      Call(hr_, &wf::WorkforceService::Stub::GetComplianceSummary, summary, &figures).ok());
  ASSERT_EQ(figures.la_summaries_size(), 1);
  EXPECT_EQ(figures.la_summaries(0).la_code().value(), "873");
}

TEST_F(WorkforceRegisterTest, UpdateRechecksAndQuotesTheVersion) {
  ImportHistory();
  wf::Engagement e;
  ASSERT_TRUE(Create("873-u-1", CompliantTerms(), {}, &e).ok());
  wf::UpdateEngagementRequest update;
  update.set_request_id(NewRequestId());
  update.set_engagement_id(e.engagement_id());
  update.set_version(e.version());
  *update.mutable_terms() = CompliantTerms();
  update.mutable_terms()->mutable_hourly_pay_rate()->set_pence(4100);
  wf::UpdateEngagementResponse updated;
  absl::Status status = Call(hr_, &wf::WorkforceService::Stub::UpdateEngagement, update, &updated);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(status)[0].type, "RULE_PAY_CAP");
  update.mutable_terms()->mutable_hourly_pay_rate()->set_pence(3950);
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::UpdateEngagement, update, &updated).ok());
  EXPECT_EQ(updated.engagement().version(), 2);
  EXPECT_EQ(updated.engagement().terms().hourly_pay_rate().pence(), 3950);
  update.set_request_id(NewRequestId());  // the same id would replay the kept answer
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::UpdateEngagement, update, &updated).code(),
            absl::StatusCode::kAborted);
  update.set_version(2);
  update.mutable_terms()->set_swe_number("SW5002");
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::UpdateEngagement, update, &updated).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WorkforceRegisterTest, RejectedExceptionsAreListedByState) {
  ImportHistory();
  const std::string approved = ApprovedException(BreachingTerms());
  wf::RequestExceptionRequest ask;
  ask.set_request_id(NewRequestId());
  *ask.mutable_terms() = BreachingTerms();
  ask.set_reason("Second request.");
  *ask.mutable_expires_on() = Date(2099, 12, 31);
  wf::RequestExceptionResponse asked;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::RequestException, ask, &asked).ok());

  wf::RejectExceptionRequest reject;
  reject.set_request_id(NewRequestId());
  reject.set_exception_id(asked.rule_exception().exception_id());
  reject.set_capacity(wf::APPROVER_CAPACITY_CHIEF_EXECUTIVE);
  wf::RejectExceptionResponse rejected;
  absl::Status status =
      Call(ceo_, &wf::WorkforceService::Stub::RejectException, reject, &rejected);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);  // no reason
  reject.set_reason("Pay well above the cap; recruit permanently.");
  EXPECT_EQ(Call(dcs_, &wf::WorkforceService::Stub::RejectException, reject, &rejected).code(),
            absl::StatusCode::kPermissionDenied);  // the DCS does not hold that capacity
  ASSERT_TRUE(Call(ceo_, &wf::WorkforceService::Stub::RejectException, reject, &rejected).ok());
  EXPECT_EQ(rejected.rule_exception().state(), wf::EXCEPTION_STATE_REJECTED);
  EXPECT_EQ(rejected.rule_exception().rejected_by(), "873-ceo");
  reject.set_request_id(NewRequestId());  // the same id would replay the kept answer
  EXPECT_EQ(Call(ceo_, &wf::WorkforceService::Stub::RejectException, reject, &rejected).code(),
            absl::StatusCode::kFailedPrecondition);

  wf::ListExceptionsRequest list;
  wf::ListExceptionsResponse listed;
  status = Call(hr_, &wf::WorkforceService::Stub::ListExceptions, list, &listed);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(listed.rule_exceptions_size(), 2);
  EXPECT_EQ(listed.rule_exceptions(0).exception_id(), asked.rule_exception().exception_id());
  list.set_state(wf::EXCEPTION_STATE_APPROVED);
  ASSERT_TRUE(Call(dcs_, &wf::WorkforceService::Stub::ListExceptions, list, &listed).ok());
  ASSERT_EQ(listed.rule_exceptions_size(), 1);
  EXPECT_EQ(listed.rule_exceptions(0).exception_id(), approved);
  const std::string other = server_.IssueToken("926-hr", {Role::kHrOfficer}, "926");
  list.mutable_la_code()->set_value("873");
  EXPECT_EQ(Call(other, &wf::WorkforceService::Stub::ListExceptions, list, &listed).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(WorkforceRegisterTest, LaPolicyMapsTitlesAndItsNoticeLimitsTheNoticeRule) {
  ImportHistory();
  wf::PublishLaWorkforcePolicyRequest publish;
  publish.set_request_id(NewRequestId());
  wf::LaWorkforcePolicy* policy = publish.mutable_policy();
  policy->mutable_la_code()->set_value("873");
  *policy->mutable_effective_from() = Date(2025, 10, 1);
  wf::JobTitleMapping* title = policy->add_job_title_mappings();
  title->set_local_title("Social Worker (Children's Services)");
  title->set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
  wf::PermanentNotice* notice = policy->add_permanent_notice();
  notice->set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
  notice->set_notice_weeks(3);
  *policy->add_job_title_mappings() = *title;
  wf::PublishLaWorkforcePolicyResponse published;
  absl::Status status =
      Call(hr_, &wf::WorkforceService::Stub::PublishLaWorkforcePolicy, publish, &published);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status)[0].field, "policy.job_title_mappings[1].local_title");
  policy->mutable_job_title_mappings()->RemoveLast();
  const std::string other_hr = server_.IssueToken("926-hr", {Role::kHrOfficer}, "926");
  EXPECT_EQ(Call(other_hr, &wf::WorkforceService::Stub::PublishLaWorkforcePolicy, publish,
                 &published)
                .code(),
            absl::StatusCode::kPermissionDenied);
  status = Call(hr_, &wf::WorkforceService::Stub::PublishLaWorkforcePolicy, publish, &published);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(published.policy().version(), 1);

  // The local title maps to social worker; the LA's 3-week notice is the allowed maximum.
  wf::CheckEngagementRequest check;
  *check.mutable_terms() = CompliantTerms();
  check.mutable_terms()->set_local_job_title("  social worker (children's services)");
  wf::CheckEngagementResponse checked;
  status = Call(hr_, &wf::WorkforceService::Stub::CheckEngagement, check, &checked);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(checked.check().job_type(), wf::JOB_TYPE_SOCIAL_WORKER);
  const wf::RuleResult& rule = checked.check().results(4);
  EXPECT_EQ(rule.outcome(), wf::RULE_OUTCOME_FAIL);
  EXPECT_EQ(rule.notice().allowed_max_weeks(), 3);
  EXPECT_EQ(rule.notice().la_permanent_notice_weeks(), 3);
  EXPECT_EQ(rule.notice().la_policy_version(), 1);
  check.mutable_terms()->set_local_job_title("Locum Practitioner");
  status = Call(hr_, &wf::WorkforceService::Stub::CheckEngagement, check, &checked);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status)[0].field, "terms.local_job_title");

  // Periods recorded with only the local title are mapped the same way.
  wf::RecordEmploymentPeriodRequest record;
  record.set_request_id(NewRequestId());
  *record.mutable_period() = Period("p-9", "SW5009", "873", Date(2026, 1, 1), Date(2026, 2, 1));
  record.mutable_period()->set_job_type(wf::JOB_TYPE_UNSPECIFIED);
  record.mutable_period()->set_local_job_title("SOCIAL WORKER (Children's Services)");
  wf::RecordEmploymentPeriodResponse recorded;
  status = Call(hr_, &wf::WorkforceService::Stub::RecordEmploymentPeriod, record, &recorded);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(recorded.period().job_type(), wf::JOB_TYPE_SOCIAL_WORKER);
  record.mutable_period()->set_local_job_title("Locum Practitioner");
  record.set_request_id(NewRequestId());
  status = Call(hr_, &wf::WorkforceService::Stub::RecordEmploymentPeriod, record, &recorded);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(status)[0].field, "period.local_job_title");

  wf::GetLaWorkforcePolicyRequest get;
  get.mutable_la_code()->set_value("873");
  *get.mutable_in_force_on() = Date(2025, 9, 30);
  wf::GetLaWorkforcePolicyResponse got;
  EXPECT_EQ(Call(admin_, &wf::WorkforceService::Stub::GetLaWorkforcePolicy, get, &got).code(),
            absl::StatusCode::kNotFound);
  get.set_version(1);
  ASSERT_TRUE(Call(admin_, &wf::WorkforceService::Stub::GetLaWorkforcePolicy, get, &got).ok());
  EXPECT_EQ(got.policy().permanent_notice(0).notice_weeks(), 3);
  wf::ListLaWorkforcePoliciesRequest list;
  list.mutable_la_code()->set_value("873");
  wf::ListLaWorkforcePoliciesResponse listed;
  ASSERT_TRUE(
      Call(hr_, &wf::WorkforceService::Stub::ListLaWorkforcePolicies, list, &listed).ok());
  EXPECT_EQ(listed.policies_size(), 1);
}

TEST_F(WorkforceRegisterTest, WorkersAreListedAndPeriodsRecordedInErrorDeleted) {
  ImportHistory();
  wf::GetWorkerRequest get;
  get.set_swe_number("sw5001");
  wf::GetWorkerResponse got;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::GetWorker, get, &got).ok());
  EXPECT_EQ(got.worker().swe_number(), "SW5001");
  EXPECT_EQ(got.worker().employment_period_count(), 1);
  EXPECT_EQ(got.worker().latest_register_check().status(), wf::REGISTER_STATUS_REGISTERED);
  get.set_swe_number("SW77");
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::GetWorker, get, &got).code(),
            absl::StatusCode::kNotFound);

  wf::ListWorkersRequest list;
  list.mutable_page()->set_page_size(1);
  wf::ListWorkersResponse listed;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::ListWorkers, list, &listed).ok());
  ASSERT_EQ(listed.workers_size(), 1);
  EXPECT_EQ(listed.workers(0).swe_number(), "SW5001");
  EXPECT_EQ(listed.page().total_size(), 2);
  *list.mutable_page()->mutable_page_token() = listed.page().next_page_token();
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::ListWorkers, list, &listed).ok());
  ASSERT_EQ(listed.workers_size(), 1);
  EXPECT_EQ(listed.workers(0).swe_number(), "SW5002");

  // Qualifying experience as minimal facts; a national ask reports the other hubs missing.
  wf::GetQualifyingExperienceRequest experience;
  experience.set_swe_number("SW5001");
  experience.set_scope(cv1::REGION_SCOPE_NATIONAL);
  wf::GetQualifyingExperienceResponse qualifying;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::GetQualifyingExperience, experience,
                   &qualifying)
                  .ok());
  ASSERT_EQ(qualifying.periods_size(), 1);
  EXPECT_EQ(qualifying.periods(0).la_code().value(), "873");
  EXPECT_EQ(qualifying.periods(0).end_date().year(), 2020);
  EXPECT_EQ(qualifying.federation().regions_size(), 9);
  *experience.mutable_as_of() = Date(2014, 12, 31);
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::GetQualifyingExperience, experience,
                   &qualifying)
                  .ok());
  EXPECT_EQ(qualifying.periods_size(), 0);

  wf::DeleteEmploymentPeriodRequest remove;
  remove.set_request_id(NewRequestId());
  remove.mutable_la_code()->set_value("873");
  remove.set_record_id("p-2");
  remove.set_version(2);
  wf::DeleteEmploymentPeriodResponse removed;
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::DeleteEmploymentPeriod, remove, &removed)
                .code(),
            absl::StatusCode::kAborted);
  remove.set_version(1);
  ASSERT_TRUE(
      Call(hr_, &wf::WorkforceService::Stub::DeleteEmploymentPeriod, remove, &removed).ok());
  EXPECT_EQ(removed.period().swe_number(), "SW5002");
  remove.set_request_id(NewRequestId());
  EXPECT_EQ(Call(hr_, &wf::WorkforceService::Stub::DeleteEmploymentPeriod, remove, &removed)
                .code(),
            absl::StatusCode::kNotFound);
  // SW5002 no longer has a permanent post in the region: cooling off no longer fails.
  wf::CheckEngagementRequest check;
  *check.mutable_terms() = BreachingTerms();
  wf::CheckEngagementResponse checked;
  ASSERT_TRUE(Call(hr_, &wf::WorkforceService::Stub::CheckEngagement, check, &checked).ok());
  EXPECT_EQ(checked.check().results(1).outcome(), wf::RULE_OUTCOME_PASS)
      << checked.check().results(1).explanation();
}

}  // namespace
}  // namespace slihub::testing
