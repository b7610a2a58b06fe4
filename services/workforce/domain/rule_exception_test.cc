#include "services/workforce/domain/rule_exception.h"

#include "common/errors/errors.h"
#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

using D = absl::CivilDay;

EngagementTerms Granted() {
  EngagementTerms t;
  t.swe_number = "SW1234";
  t.la_code = "873";
  t.job_type = JobType::kSocialWorker;
  t.engagement_model = EngagementModel::kLimitedCompany;
  t.start_date = D(2026, 1, 5);
  t.hourly_pay_rate_pence = 4300;
  t.notice_weeks = 4;
  t.references = {{ReferenceSource::kLocalAuthority, "926", true, true, std::nullopt},
                  {ReferenceSource::kLocalAuthority, "935", true, false, std::nullopt}};
  return t;
}

RuleException Pending() {
  RuleException e;
  e.exception_id = "ex-1";
  e.la_code = "873";
  e.terms = Granted();
  e.rules = {Rule::kPayCap};
  e.expires_on = D(2026, 1, 31);
  return e;
}

const absl::Time kAt = absl::FromUnixSeconds(1765000000);
const D kToday(2025, 12, 10);

std::string ViolationType(const absl::Status& s) {
  auto v = GetPreconditionViolations(s);
  return v.empty() ? "" : v[0].type;
}

TEST(RuleExceptionTest, DcsAndChiefExecutiveByDistinctPeopleApprove) {
  RuleException e = Pending();
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", kToday).ok());
  EXPECT_EQ(e.state, ExceptionState::kPending);
  ASSERT_TRUE(Approve(&e, "873-ceo", ApproverCapacity::kChiefExecutive, kAt, "ok", kToday).ok());
  EXPECT_EQ(e.state, ExceptionState::kApproved);
  EXPECT_EQ(e.approvals.size(), 2u);
  // Nothing more to sign once approved.
  EXPECT_EQ(ViolationType(Approve(&e, "x", ApproverCapacity::kDcs, kAt, "", kToday)), "STATE");
}

TEST(RuleExceptionTest, OneCapacityOnceAndOnePersonOnce) {
  RuleException e = Pending();
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", kToday).ok());
  EXPECT_EQ(ViolationType(Approve(&e, "873-dcs-2", ApproverCapacity::kDcs, kAt, "", kToday)),
            "CAPACITY");
  EXPECT_EQ(ViolationType(
                Approve(&e, "873-dcs", ApproverCapacity::kChiefExecutive, kAt, "", kToday)),
            "APPROVER");
  EXPECT_EQ(e.state, ExceptionState::kPending);
}

TEST(RuleExceptionTest, ExpiresAfterItsLastDay) {
  RuleException e = Pending();
  EXPECT_EQ(CurrentState(e, D(2026, 1, 31)), ExceptionState::kPending);
  EXPECT_EQ(CurrentState(e, D(2026, 2, 1)), ExceptionState::kExpired);
  EXPECT_EQ(ViolationType(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", D(2026, 2, 1))),
            "STATE");
  e.state = ExceptionState::kUsed;
  EXPECT_EQ(CurrentState(e, D(2026, 2, 1)), ExceptionState::kUsed);
}

TEST(RuleExceptionTest, OnlyAPendingUnexpiredExceptionIsRejected) {
  RuleException e = Pending();
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", kToday).ok());
  ASSERT_TRUE(Reject(&e, kToday).ok());
  EXPECT_EQ(e.state, ExceptionState::kRejected);
  EXPECT_EQ(ViolationType(Reject(&e, kToday)), "STATE");
  RuleException expired = Pending();
  EXPECT_EQ(ViolationType(Reject(&expired, D(2026, 2, 1))), "STATE");
  RuleException approved = Pending();
  approved.state = ExceptionState::kApproved;
  EXPECT_EQ(ViolationType(Reject(&approved, kToday)), "STATE");
}

TEST(RuleExceptionTest, TermsMayNotBeLessFavourableThanGranted) {
  const EngagementTerms g = Granted();
  EngagementTerms p = g;
  EXPECT_TRUE(TermsWithin(p, g));
  p.hourly_pay_rate_pence = 4200;
  p.start_date = D(2026, 2, 1);
  EXPECT_TRUE(TermsWithin(p, g));
  p = g;
  p.hourly_pay_rate_pence = 4301;
  EXPECT_FALSE(TermsWithin(p, g));
  p = g;
  p.start_date = D(2026, 1, 4);
  EXPECT_FALSE(TermsWithin(p, g));
  p = g;
  p.swe_number = "SW9";
  EXPECT_FALSE(TermsWithin(p, g));
  p = g;
  p.engagement_model = EngagementModel::kAgencyPaye;
  EXPECT_FALSE(TermsWithin(p, g));
  p = g;
  p.references.pop_back();
  EXPECT_FALSE(TermsWithin(p, g));
}

CheckResult FailingPayAndNotice() {
  CheckResult c;
  c.verdict = Verdict::kNonCompliant;
  for (int r = 1; r <= kMaxRule; ++r) {
    RuleResult result;
    result.rule = static_cast<Rule>(r);
    result.outcome = (r == 1 || r == 5) ? RuleOutcome::kFail : RuleOutcome::kPass;
    c.results.push_back(result);
  }
  return c;
}

TEST(RuleExceptionTest, ApprovedExceptionsCoverTheirRulesOnly) {
  RuleException e = Pending();
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", kToday).ok());
  ASSERT_TRUE(Approve(&e, "873-ceo", ApproverCapacity::kChiefExecutive, kAt, "", kToday).ok());
  CheckResult c = FailingPayAndNotice();
  ASSERT_TRUE(ApplyExceptions({e}, Granted(), kToday, &c).ok());
  EXPECT_EQ(c.results[0].exception_id, "ex-1");
  EXPECT_TRUE(c.results[4].exception_id.empty());
  EXPECT_EQ(c.verdict, Verdict::kNonCompliant);

  e.rules = {Rule::kPayCap, Rule::kNotice};
  c = FailingPayAndNotice();
  ASSERT_TRUE(ApplyExceptions({e}, Granted(), kToday, &c).ok());
  EXPECT_EQ(c.verdict, Verdict::kCoveredByException);
  EXPECT_EQ(c.results[4].exception_id, "ex-1");
}

TEST(RuleExceptionTest, CoveredFailsLeaveAnInconclusiveRuleInconclusive) {
  RuleException e = Pending();
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", kToday).ok());
  ASSERT_TRUE(Approve(&e, "873-ceo", ApproverCapacity::kChiefExecutive, kAt, "", kToday).ok());
  e.rules = {Rule::kPayCap, Rule::kNotice};
  CheckResult c = FailingPayAndNotice();
  c.results[2].outcome = RuleOutcome::kInconclusive;  // experience, a region missing
  ASSERT_TRUE(ApplyExceptions({e}, Granted(), kToday, &c).ok());
  EXPECT_EQ(c.verdict, Verdict::kInconclusive);
}

TEST(RuleExceptionTest, PendingExpiredOrOtherTermsCannotBeUsed) {
  RuleException e = Pending();
  CheckResult c = FailingPayAndNotice();
  EXPECT_EQ(ViolationType(ApplyExceptions({e}, Granted(), kToday, &c)), "EXCEPTION");
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, kAt, "", kToday).ok());
  ASSERT_TRUE(Approve(&e, "873-ceo", ApproverCapacity::kChiefExecutive, kAt, "", kToday).ok());
  EXPECT_EQ(ViolationType(ApplyExceptions({e}, Granted(), D(2026, 2, 1), &c)), "EXCEPTION");
  EngagementTerms higher = Granted();
  higher.hourly_pay_rate_pence = 5000;
  EXPECT_EQ(ViolationType(ApplyExceptions({e}, higher, kToday, &c)), "EXCEPTION");
  EXPECT_TRUE(ApplyExceptions({e}, Granted(), kToday, &c).ok());
}

// The DCS and the Chief Executive sign before an assignment starts: a sign-off completed after
// the start date covers nothing, and is reported as such.
TEST(RuleExceptionTest, SignOffAfterTheStartDateDoesNotCover) {
  RuleException e = Pending();
  const absl::Time before = absl::FromCivil(absl::CivilSecond(2026, 1, 5, 9, 0, 0),
                                            absl::UTCTimeZone());
  const absl::Time after = absl::FromCivil(absl::CivilSecond(2026, 1, 6, 9, 0, 0),
                                           absl::UTCTimeZone());
  ASSERT_TRUE(Approve(&e, "873-dcs", ApproverCapacity::kDcs, before, "", kToday).ok());
  EXPECT_FALSE(SignedOffOn(e.approvals).has_value());
  ASSERT_TRUE(Approve(&e, "873-ceo", ApproverCapacity::kChiefExecutive, after, "", kToday).ok());
  EXPECT_EQ(*SignedOffOn(e.approvals), D(2026, 1, 6));
  EXPECT_FALSE(SignedOffBefore(e.approvals, D(2026, 1, 5)));
  EXPECT_TRUE(SignedOffBefore(e.approvals, D(2026, 1, 6)));
  CheckResult c = FailingPayAndNotice();
  EXPECT_EQ(ViolationType(ApplyExceptions({e}, Granted(), D(2026, 1, 10), &c)), "SIGN_OFF");
  EXPECT_TRUE(c.results[0].exception_id.empty());

  // Signed the day before: covers.
  RuleException early = Pending();
  ASSERT_TRUE(Approve(&early, "873-dcs", ApproverCapacity::kDcs, before, "", kToday).ok());
  ASSERT_TRUE(
      Approve(&early, "873-ceo", ApproverCapacity::kChiefExecutive, before, "", kToday).ok());
  c = FailingPayAndNotice();
  EXPECT_TRUE(ApplyExceptions({early}, Granted(), D(2026, 1, 10), &c).ok());
  EXPECT_EQ(c.results[0].exception_id, "ex-1");
}

}  // namespace
}  // namespace slihub::workforce
