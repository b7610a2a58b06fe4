#include "services/workforce/domain/engagement_check.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "common/base/civil_date.h"
#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

using D = absl::CivilDay;

RuleSet EasternRules(int64_t version, D effective_from, int64_t sw_ltd_cap) {
  RuleSet r;
  r.region = "EE";
  r.version = version;
  r.effective_from = effective_from;
  r.pay_caps = {{JobType::kSocialWorker, EngagementModel::kLimitedCompany, sw_ltd_cap},
                {JobType::kSocialWorker, EngagementModel::kAgencyPaye, 3400},
                {JobType::kTeamManager, EngagementModel::kLimitedCompany, 5000}};
  // Every other combination explicitly uncapped: the set is complete.
  for (int job = 1; job <= kMaxJobType; ++job) {
    for (int model = 1; model <= kMaxEngagementModel; ++model) {
      if (r.FindCap(static_cast<JobType>(job), static_cast<EngagementModel>(model)) == nullptr) {
        r.pay_caps.push_back(
            {static_cast<JobType>(job), static_cast<EngagementModel>(model), 0, true});
      }
    }
  }
  r.cooling_off_months = 3;
  r.cooling_off_exempt_reasons = {LeavingReason::kRedundant, LeavingReason::kLeftDuringProbation,
                                  LeavingReason::kMovedToPermanentRole};
  r.min_experience_months = 36;
  r.references_required = 2;
  r.max_notice_weeks = 4;
  r.register_check_max_age_days = 365;
  return r;
}

EmploymentPeriod Period(std::string id, std::string la, std::string region, EmploymentType type,
                        D start, std::optional<D> end,
                        LeavingReason reason = LeavingReason::kResigned, bool child_and_family = true,
                        bool asye = false) {
  EmploymentPeriod p;
  p.record_id = std::move(id);
  p.swe_number = "SW1234";
  p.la_code = std::move(la);
  p.region = std::move(region);
  p.employment_type = type;
  p.job_type = JobType::kSocialWorker;
  p.start_date = start;
  p.end_date = end;
  p.leaving_reason = end.has_value() ? reason : LeavingReason::kUnspecified;
  p.child_and_family = child_and_family;
  p.asye = asye;
  return p;
}

RegisterCheck Check(RegisterStatus status, absl::Time at, std::string id = "rc-1") {
  RegisterCheck c;
  c.check_id = std::move(id);
  c.swe_number = "SW1234";
  c.status = status;
  c.checked_at = at;
  c.checked_by = "873-hr-1";
  return c;
}

absl::Time At(D day) { return absl::FromCivil(absl::CivilSecond(day), absl::UTCTimeZone()); }

class EngagementCheckTest : public ::testing::Test {
 protected:
  EngagementCheckTest() : rules_(EasternRules(1, D(2025, 10, 1), 4000)) {
    terms_.swe_number = "SW1234";
    terms_.la_code = "873";
    terms_.job_type = JobType::kSocialWorker;
    terms_.engagement_model = EngagementModel::kLimitedCompany;
    terms_.start_date = D(2026, 1, 5);
    terms_.hourly_pay_rate_pence = 3900;
    terms_.hourly_charge_rate_pence = 5200;
    terms_.notice_weeks = 4;
    terms_.references = {{ReferenceSource::kLocalAuthority, "926", true, true, D(2025, 12, 1)},
                         {ReferenceSource::kOtherEmployer, "", true, false, D(2025, 12, 2)}};
    history_ = {Period("p1", "926", "EE", EmploymentType::kPermanent, D(2018, 9, 1),
                       D(2022, 8, 31), LeavingReason::kResigned, true, true)};
    checks_ = {Check(RegisterStatus::kRegistered, At(D(2025, 12, 15)))};
  }

  CheckInputs Inputs(D on) {
    CheckInputs in;
    in.evaluated_on = on;
    in.region = "EE";
    in.rule_set = &rules_;
    in.la_permanent_notice_weeks = la_notice_;
    in.history = &history_;
    in.register_checks = &checks_;
    return in;
  }
  CheckInputs Inputs() { return Inputs(terms_.start_date); }

  RuleSet rules_;
  EngagementTerms terms_;
  std::vector<EmploymentPeriod> history_;
  std::vector<RegisterCheck> checks_;
  std::optional<int> la_notice_;
};

TEST_F(EngagementCheckTest, CompliantTermsPassEveryRuleInRuleOrder) {
  const CheckResult r = EvaluateEngagement(terms_, Inputs());
  EXPECT_EQ(r.verdict, Verdict::kCompliant);
  ASSERT_EQ(r.results.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(static_cast<int>(r.results[i].rule), i + 1);
  EXPECT_EQ(r.results[0].outcome, RuleOutcome::kPass);
  EXPECT_EQ(r.results[1].outcome, RuleOutcome::kPass);
  EXPECT_EQ(r.results[2].outcome, RuleOutcome::kPass);
  EXPECT_EQ(r.results[3].outcome, RuleOutcome::kPass);
  EXPECT_EQ(r.results[4].outcome, RuleOutcome::kPass);
  EXPECT_EQ(r.results[5].outcome, RuleOutcome::kNotApplicable);
  EXPECT_EQ(r.results[6].outcome, RuleOutcome::kPass);
  EXPECT_EQ(r.rule_set_version, 1);
}

// --- Pay cap ---

struct PayCase {
  int64_t rate;
  EngagementModel model;
  RuleOutcome outcome;
  int64_t excess;
};

TEST_F(EngagementCheckTest, PayCapBoundariesPerEngagementModel) {
  const std::vector<PayCase> cases = {
      {3999, EngagementModel::kLimitedCompany, RuleOutcome::kPass, 0},
      {4000, EngagementModel::kLimitedCompany, RuleOutcome::kPass, 0},
      {4001, EngagementModel::kLimitedCompany, RuleOutcome::kFail, 1},
      {4150, EngagementModel::kLimitedCompany, RuleOutcome::kFail, 150},
      // The PAYE cap is lower: the same 3,900p passes under a limited company, fails on PAYE.
      {3900, EngagementModel::kAgencyPaye, RuleOutcome::kFail, 500},
      {3400, EngagementModel::kAgencyPaye, RuleOutcome::kPass, 0},
      // No umbrella cap in this version.
      {9999, EngagementModel::kUmbrella, RuleOutcome::kNotApplicable, 0},
  };
  for (const PayCase& c : cases) {
    terms_.hourly_pay_rate_pence = c.rate;
    terms_.engagement_model = c.model;
    const RuleResult r = EvaluatePayCap(terms_, Inputs());
    EXPECT_EQ(r.outcome, c.outcome) << c.rate;
    const auto& d = std::get<PayCapDetails>(r.details);
    EXPECT_EQ(d.excess_pence, c.excess) << c.rate;
    EXPECT_EQ(d.rate_pence, c.rate);
    EXPECT_EQ(d.cap_pence.has_value(), c.outcome != RuleOutcome::kNotApplicable);
  }
  terms_.hourly_pay_rate_pence = 4150;
  terms_.engagement_model = EngagementModel::kLimitedCompany;
  EXPECT_EQ(EvaluatePayCap(terms_, Inputs()).explanation,
            "Pay of \xC2\xA3" "41.50/h exceeds the EE cap of \xC2\xA3" "40.00/h for a social worker "
            "(limited company, rule set version 1) by \xC2\xA3" "1.50.");
}

TEST_F(EngagementCheckTest, CapVersionChangingOnFirstOctober2025AppliesByStartDate) {
  const RuleSet old_rules = EasternRules(1, D(2024, 10, 31), 4500);
  const RuleSet new_rules = EasternRules(2, D(2025, 10, 1), 4000);
  const std::vector<RuleSet> versions = {old_rules, new_rules};
  terms_.hourly_pay_rate_pence = 4200;
  for (const auto& [start, version, outcome] :
       std::vector<std::tuple<D, int64_t, RuleOutcome>>{
           {D(2025, 9, 30), 1, RuleOutcome::kPass}, {D(2025, 10, 1), 2, RuleOutcome::kFail}}) {
    const std::optional<RuleSet> in_force = SelectInForce(versions, start);
    ASSERT_TRUE(in_force.has_value());
    CheckInputs in = Inputs(start);
    in.rule_set = &*in_force;
    const RuleResult r = EvaluatePayCap(terms_, in);
    EXPECT_EQ(r.outcome, outcome) << FormatCivilDate(start);
    EXPECT_EQ(std::get<PayCapDetails>(r.details).rule_set_version, version);
  }
}

// --- Cooling off ---

struct CoolingCase {
  const char* name;
  D left;
  D start;
  LeavingReason reason;
  RuleOutcome outcome;
  std::optional<D> earliest;
};

TEST_F(EngagementCheckTest, CoolingOffBoundariesAndExemptions) {
  const std::vector<CoolingCase> cases = {
      {"exactly 3 months after", D(2025, 6, 15), D(2025, 9, 15), LeavingReason::kResigned,
       RuleOutcome::kPass, D(2025, 9, 15)},
      {"a day before", D(2025, 6, 15), D(2025, 9, 14), LeavingReason::kResigned,
       RuleOutcome::kFail, D(2025, 9, 15)},
      {"31 Jan clamps to 30 Apr", D(2025, 1, 31), D(2025, 4, 30), LeavingReason::kDismissed,
       RuleOutcome::kPass, D(2025, 4, 30)},
      {"31 Jan clamped, 29 Apr fails", D(2025, 1, 31), D(2025, 4, 29), LeavingReason::kDismissed,
       RuleOutcome::kFail, D(2025, 4, 30)},
      {"30 Nov 2023 to leap day", D(2023, 11, 30), D(2024, 2, 29), LeavingReason::kRetired,
       RuleOutcome::kPass, D(2024, 2, 29)},
      {"30 Nov 2023, 28 Feb fails", D(2023, 11, 30), D(2024, 2, 28), LeavingReason::kRetired,
       RuleOutcome::kFail, D(2024, 2, 29)},
      {"redundancy exempts", D(2025, 6, 15), D(2025, 6, 16), LeavingReason::kRedundant,
       RuleOutcome::kExempt, std::nullopt},
      {"probation exempts", D(2025, 6, 15), D(2025, 6, 16), LeavingReason::kLeftDuringProbation,
       RuleOutcome::kExempt, std::nullopt},
      {"moving to permanent exempts", D(2025, 6, 15), D(2025, 6, 16),
       LeavingReason::kMovedToPermanentRole, RuleOutcome::kExempt, std::nullopt},
      {"resignation does not", D(2025, 6, 15), D(2025, 6, 16), LeavingReason::kResigned,
       RuleOutcome::kFail, D(2025, 9, 15)},
  };
  for (const CoolingCase& c : cases) {
    history_ = {Period("old", "935", "EE", EmploymentType::kPermanent, D(2015, 1, 1),
                       D(2019, 12, 31)),
                Period("last", "926", "EE", EmploymentType::kPermanent, D(2020, 1, 1), c.left,
                       c.reason)};
    terms_.start_date = c.start;
    const RuleResult r = EvaluateCoolingOff(terms_, Inputs());
    EXPECT_EQ(r.outcome, c.outcome) << c.name;
    const auto& d = std::get<CoolingOffDetails>(r.details);
    EXPECT_EQ(d.earliest_allowed_start, c.earliest) << c.name;
    ASSERT_TRUE(d.last_permanent.has_value()) << c.name;
    EXPECT_EQ(d.last_permanent->record_id, "last") << c.name;
    EXPECT_EQ(d.exempt_by, c.outcome == RuleOutcome::kExempt ? c.reason
                                                             : LeavingReason::kUnspecified);
  }
}

TEST_F(EngagementCheckTest, CoolingOffIgnoresOtherRegionsAgencyWorkAndPostsStillHeld) {
  history_ = {
      Period("ldn", "202", "LDN", EmploymentType::kPermanent, D(2020, 1, 1), D(2025, 12, 31)),
      Period("agency", "926", "EE", EmploymentType::kAgency, D(2025, 1, 1), D(2025, 12, 31)),
      Period("fixed", "935", "EE", EmploymentType::kFixedTerm, D(2025, 1, 1), D(2025, 12, 31)),
      Period("ends-on-start", "873", "EE", EmploymentType::kPermanent, D(2024, 1, 1),
             D(2026, 1, 5))};
  const RuleResult r = EvaluateCoolingOff(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  const auto& d = std::get<CoolingOffDetails>(r.details);
  EXPECT_FALSE(d.last_permanent.has_value());
  EXPECT_EQ(d.other_region_posts_ignored, 1);
}

TEST_F(EngagementCheckTest, CoolingOffUsesTheLatestRegionalPostAndTheRuleSetsMonths) {
  history_ = {
      Period("redundant-early", "926", "EE", EmploymentType::kPermanent, D(2019, 1, 1),
             D(2025, 10, 1), LeavingReason::kRedundant),
      Period("resigned-later", "935", "EE", EmploymentType::kPermanent, D(2025, 10, 2),
             D(2025, 11, 30), LeavingReason::kResigned)};
  rules_.cooling_off_months = 6;  // an older memorandum
  const RuleResult r = EvaluateCoolingOff(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  const auto& d = std::get<CoolingOffDetails>(r.details);
  EXPECT_EQ(d.last_permanent->la_code, "935");
  EXPECT_EQ(d.earliest_allowed_start, D(2026, 5, 30));
  EXPECT_EQ(d.cooling_off_months, 6);
}

TEST_F(EngagementCheckTest, CoolingOffTieOnLeavingDatePrefersTheNonExemptPost) {
  history_ = {Period("a", "926", "EE", EmploymentType::kPermanent, D(2020, 1, 1), D(2025, 12, 1),
                     LeavingReason::kRedundant),
              Period("b", "935", "EE", EmploymentType::kPermanent, D(2021, 1, 1), D(2025, 12, 1),
                     LeavingReason::kResigned)};
  EXPECT_EQ(EvaluateCoolingOff(terms_, Inputs()).outcome, RuleOutcome::kFail);
  std::swap(history_[0], history_[1]);
  EXPECT_EQ(EvaluateCoolingOff(terms_, Inputs()).outcome, RuleOutcome::kFail);
}

TEST_F(EngagementCheckTest, AsOfDateMovesTheEvaluation) {
  history_ = {Period("p", "926", "EE", EmploymentType::kPermanent, D(2018, 1, 1), D(2025, 11, 30))};
  EXPECT_EQ(EvaluateCoolingOff(terms_, Inputs(D(2026, 2, 27))).outcome, RuleOutcome::kFail);
  EXPECT_EQ(EvaluateCoolingOff(terms_, Inputs(D(2026, 2, 28))).outcome, RuleOutcome::kPass);
}

// --- Experience ---

TEST_F(EngagementCheckTest, ExperienceThirtyFiveVersusThirtySixMonths) {
  history_ = {Period("p", "926", "EE", EmploymentType::kPermanent, D(2023, 1, 1), std::nullopt)};
  // Ongoing from 1 Jan 2023: 36 whole months by the day before 1 Jan 2026.
  RuleResult r = EvaluateExperience(terms_, Inputs(D(2026, 1, 1)));
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).counted_months, 36);
  r = EvaluateExperience(terms_, Inputs(D(2025, 12, 31)));
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).counted_months, 35);
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).required_months, 36);
}

TEST_F(EngagementCheckTest, ExperienceCountsOverlapsOnceAndSkipsAgencyAndOtherWork) {
  history_ = {
      Period("asye", "926", "EE", EmploymentType::kPermanent, D(2020, 1, 1), D(2020, 12, 31),
             LeavingReason::kResigned, true, true),
      Period("fixed", "935", "EE", EmploymentType::kFixedTerm, D(2020, 7, 1), D(2021, 12, 31)),
      Period("agency", "873", "EE", EmploymentType::kAgency, D(2022, 1, 1), D(2024, 12, 31)),
      Period("adults", "873", "EE", EmploymentType::kPermanent, D(2022, 1, 1), D(2022, 12, 31),
             LeavingReason::kResigned, false),
      Period("secondment", "873", "EE", EmploymentType::kOther, D(2023, 1, 1), D(2023, 12, 31)),
      Period("london", "202", "LDN", EmploymentType::kPermanent, D(2024, 1, 1), D(2024, 12, 31)),
      Period("future", "873", "EE", EmploymentType::kPermanent, D(2026, 6, 1), std::nullopt)};
  const RuleResult r = EvaluateExperience(terms_, Inputs());
  const auto& d = std::get<ExperienceDetails>(r.details);
  // ASYE year + fixed term (overlapping by six months) = 24 months; London's 12 make 36.
  EXPECT_EQ(d.counted_months, 36);
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  ASSERT_EQ(d.periods_used.size(), 3u);
  EXPECT_EQ(d.periods_used[0].record_id, "asye");
  EXPECT_EQ(d.periods_used[1].record_id, "fixed");
  EXPECT_EQ(d.periods_used[2].record_id, "london");
  EXPECT_EQ(d.periods_excluded, 3);
}

TEST_F(EngagementCheckTest, ExperienceWithoutTheAgencyYearsFails) {
  history_ = {
      Period("perm", "926", "EE", EmploymentType::kPermanent, D(2021, 1, 1), D(2022, 12, 31)),
      Period("agency", "873", "EE", EmploymentType::kAgency, D(2023, 1, 1), D(2025, 12, 31))};
  const RuleResult r = EvaluateExperience(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).counted_months, 24);
}

// --- References ---

TEST_F(EngagementCheckTest, ReferencesOneFailsTwoPass) {
  terms_.references = {{ReferenceSource::kLocalAuthority, "926", true, false, D(2025, 12, 1)}};
  RuleResult r = EvaluateReferences(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  EXPECT_EQ(std::get<ReferencesDetails>(r.details).practice_based_count, 1);
  EXPECT_FALSE(std::get<ReferencesDetails>(r.details).national_template_present);

  terms_.references.push_back({ReferenceSource::kOtherEmployer, "", true, true, D(2025, 12, 2)});
  r = EvaluateReferences(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  EXPECT_EQ(std::get<ReferencesDetails>(r.details).practice_based_count, 2);
  EXPECT_TRUE(std::get<ReferencesDetails>(r.details).national_template_present);
}

TEST_F(EngagementCheckTest, ReferencesNotPracticeBasedOrArrivingAfterTheStartDoNotCount) {
  terms_.references = {{ReferenceSource::kAgency, "", false, false, D(2025, 12, 1)},
                       {ReferenceSource::kLocalAuthority, "926", true, false, D(2026, 1, 5)},
                       {ReferenceSource::kLocalAuthority, "935", true, false, D(2026, 1, 6)}};
  const RuleResult r = EvaluateReferences(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  EXPECT_EQ(std::get<ReferencesDetails>(r.details).practice_based_count, 1);
}

// --- Notice ---

struct NoticeCase {
  int proposed;
  std::optional<int> la_notice;
  RuleOutcome outcome;
  int allowed;
};

TEST_F(EngagementCheckTest, NoticeIsTheShorterOfFourWeeksAndThePermanentNotice) {
  const std::vector<NoticeCase> cases = {
      {4, std::nullopt, RuleOutcome::kPass, 4}, {5, std::nullopt, RuleOutcome::kFail, 4},
      {0, std::nullopt, RuleOutcome::kPass, 4}, {2, 2, RuleOutcome::kPass, 2},
      {3, 2, RuleOutcome::kFail, 2},            {4, 8, RuleOutcome::kPass, 4},
      {5, 8, RuleOutcome::kFail, 4}};
  for (const NoticeCase& c : cases) {
    terms_.notice_weeks = c.proposed;
    la_notice_ = c.la_notice;
    const RuleResult r = EvaluateNotice(terms_, Inputs());
    EXPECT_EQ(r.outcome, c.outcome) << c.proposed << " " << c.la_notice.value_or(0);
    EXPECT_EQ(std::get<NoticeDetails>(r.details).allowed_max_weeks, c.allowed);
    EXPECT_EQ(std::get<NoticeDetails>(r.details).rule_max_weeks, 4);
  }
}

// --- Project team ---

TEST_F(EngagementCheckTest, ProjectTeamNeedsAllThreeFacts) {
  EXPECT_EQ(EvaluateProjectTeam(terms_, Inputs()).outcome, RuleOutcome::kNotApplicable);
  terms_.project_team = {true, "Team A", true, true, true};
  EXPECT_EQ(EvaluateProjectTeam(terms_, Inputs()).outcome, RuleOutcome::kPass);
  terms_.project_team.costs_per_worker = false;
  const RuleResult r = EvaluateProjectTeam(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  EXPECT_EQ(r.explanation, "Project team lacks: costs broken down per worker.");
}

// --- Registration ---

TEST_F(EngagementCheckTest, RegistrationUsesTheLatestCheckOnOrBeforeTheDate) {
  checks_ = {Check(RegisterStatus::kRegistered, At(D(2025, 6, 1)), "rc-1"),
             Check(RegisterStatus::kSuspended, At(D(2025, 12, 1)), "rc-2"),
             Check(RegisterStatus::kRegistered, At(D(2026, 2, 1)), "rc-3")};
  RuleResult r = EvaluateRegistration(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail);
  EXPECT_EQ(std::get<RegistrationDetails>(r.details).register_check->check_id, "rc-2");
  r = EvaluateRegistration(terms_, Inputs(D(2026, 2, 1)));
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  EXPECT_EQ(std::get<RegistrationDetails>(r.details).register_check->check_id, "rc-3");
  checks_ = {Check(RegisterStatus::kRemoved, At(D(2025, 6, 1)))};
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kFail);
  checks_.clear();
  r = EvaluateRegistration(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kIncomplete);
  EXPECT_FALSE(std::get<RegistrationDetails>(r.details).register_check.has_value());
}

// --- Missing facts: INCOMPLETE naming what is missing, never PASS ---

TEST_F(EngagementCheckTest, AnUnstatedNoticePeriodIsIncompleteNotZeroWeeks) {
  terms_.notice_weeks.reset();
  const RuleResult r = EvaluateNotice(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kIncomplete);
  EXPECT_NE(r.explanation.find("notice_weeks"), std::string::npos) << r.explanation;
  const CheckResult all = EvaluateEngagement(terms_, Inputs());
  EXPECT_EQ(all.verdict, Verdict::kIncomplete);
  terms_.notice_weeks = 0;  // a stated notice of none passes
  EXPECT_EQ(EvaluateNotice(terms_, Inputs()).outcome, RuleOutcome::kPass);
}

TEST_F(EngagementCheckTest, ReferencesWithoutAReceivedDateAreNotCounted) {
  terms_.references = {{ReferenceSource::kLocalAuthority, "926", true, true, D(2025, 12, 1)},
                       {ReferenceSource::kOtherEmployer, "", true, false, std::nullopt}};
  RuleResult r = EvaluateReferences(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kIncomplete);
  EXPECT_EQ(std::get<ReferencesDetails>(r.details).practice_based_count, 1);
  EXPECT_EQ(std::get<ReferencesDetails>(r.details).undated_count, 1);
  EXPECT_NE(r.explanation.find("no received date"), std::string::npos) << r.explanation;
  // Too few even with the undated one: a plain failure.
  terms_.references = {{ReferenceSource::kOtherEmployer, "", true, false, std::nullopt}};
  EXPECT_EQ(EvaluateReferences(terms_, Inputs()).outcome, RuleOutcome::kFail);
}

TEST_F(EngagementCheckTest, ARegisterCheckOlderThanTheRuleSetAllowsIsIncomplete) {
  rules_.register_check_max_age_days = 30;
  checks_ = {Check(RegisterStatus::kRegistered, At(D(2025, 12, 6)))};  // 30 days before
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kPass);
  checks_ = {Check(RegisterStatus::kRegistered, At(D(2025, 12, 5)))};  // 31 days before
  const RuleResult r = EvaluateRegistration(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kIncomplete);
  EXPECT_EQ(std::get<RegistrationDetails>(r.details).max_age_days, 30);
  EXPECT_NE(r.explanation.find("31 days old"), std::string::npos) << r.explanation;
  // A version without the parameter (published before it existed) cannot decide.
  rules_.register_check_max_age_days = 0;
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kIncomplete);
}

TEST_F(EngagementCheckTest, AnIncompleteRuleSetNeverMakesAnUncappedWorkerCompliant) {
  // No caps, no experience months, no references: what publishing now refuses; a version stored
  // before that gives INCOMPLETE for each, never COMPLIANT.
  rules_.pay_caps.clear();
  rules_.min_experience_months = 0;
  rules_.references_required = 0;
  history_ = {Period("agency", "873", "EE", EmploymentType::kAgency, D(2015, 1, 1),
                     D(2025, 12, 31))};
  terms_.hourly_pay_rate_pence = 99999;
  const CheckResult c = EvaluateEngagement(terms_, Inputs());
  EXPECT_EQ(c.results[0].outcome, RuleOutcome::kIncomplete);  // pay cap
  EXPECT_EQ(c.results[2].outcome, RuleOutcome::kIncomplete);  // experience
  EXPECT_EQ(c.results[3].outcome, RuleOutcome::kIncomplete);  // references
  EXPECT_EQ(c.verdict, Verdict::kIncomplete);
}

// Register-check tenancy: an LA's own checks and the hub's decide its verdict; another LA's
// sanction is shown as unconfirmed and decides nothing until the hub corroborates it.
TEST_F(EngagementCheckTest, AnotherLasSanctionIsUnconfirmedUntilTheHubCorroborates) {
  RegisterCheck own = Check(RegisterStatus::kRegistered, At(D(2025, 12, 1)), "rc-1");
  own.recorder_la = "873";
  RegisterCheck other = Check(RegisterStatus::kSuspended, At(D(2025, 12, 20)), "rc-2");
  other.recorder_la = "926";
  checks_ = {own, other};
  RuleResult r = EvaluateRegistration(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  const auto& d = std::get<RegistrationDetails>(r.details);
  EXPECT_EQ(d.register_check->check_id, "rc-1");
  ASSERT_EQ(d.unconfirmed_checks.size(), 1u);
  EXPECT_EQ(d.unconfirmed_checks[0].check_id, "rc-2");
  EXPECT_NE(r.explanation.find("unconfirmed"), std::string::npos) << r.explanation;

  // For LA 926 its own SUSPENDED check decides.
  terms_.la_code = "926";
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kFail);

  // The hub corroborates: every LA's check fails.
  terms_.la_code = "873";
  RegisterCheck hub = Check(RegisterStatus::kSuspended, At(D(2025, 12, 22)), "rc-3");
  hub.recorder_la = kHubRecorder;
  checks_.push_back(hub);
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kFail);

  // A check recorded before recorders were kept decides nobody's.
  RegisterCheck legacy = Check(RegisterStatus::kRegistered, At(D(2025, 12, 1)), "rc-4");
  legacy.recorder_la = kUnknownRecorder;
  checks_ = {legacy};
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kIncomplete);
}

TEST_F(EngagementCheckTest, ConditionsOfPracticeDoNotFailRegistration) {
  checks_[0].conditions = {"supervision"};
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kPass);
}

// --- Rule set switches and the verdict ---

TEST_F(EngagementCheckTest, DisabledRulesAreNotApplicableAndDoNotFail) {
  terms_.hourly_pay_rate_pence = 9000;
  checks_.clear();
  rules_.disabled_rules = {Rule::kPayCap, Rule::kRegistration};
  const CheckResult r = EvaluateEngagement(terms_, Inputs());
  EXPECT_EQ(r.results[0].outcome, RuleOutcome::kNotApplicable);
  EXPECT_EQ(r.results[6].outcome, RuleOutcome::kNotApplicable);
  EXPECT_EQ(r.verdict, Verdict::kCompliant);
}

TEST_F(EngagementCheckTest, AnyFailMakesTheVerdictNonCompliant) {
  terms_.notice_weeks = 5;
  const CheckResult r = EvaluateEngagement(terms_, Inputs());
  EXPECT_EQ(r.verdict, Verdict::kNonCompliant);
  EXPECT_EQ(r.results[4].outcome, RuleOutcome::kFail);
}

TEST_F(EngagementCheckTest, SameInputsSameAnswer) {
  const CheckResult a = EvaluateEngagement(terms_, Inputs());
  const CheckResult b = EvaluateEngagement(terms_, Inputs());
  ASSERT_EQ(a.results.size(), b.results.size());
  for (size_t i = 0; i < a.results.size(); ++i) {
    EXPECT_EQ(a.results[i].explanation, b.results[i].explanation);
  }
}

// --- National checks: other regions' facts merged, missing regions ---

TEST_F(EngagementCheckTest, NationalExperienceCountsPeriodsOfEveryRegion) {
  // 24 months at EE and 12 at SE: neither region alone meets 36 months, together they do.
  history_ = {Period("e1", "926", "EE", EmploymentType::kPermanent, D(2021, 1, 1),
                     D(2022, 12, 31))};
  EXPECT_EQ(EvaluateExperience(terms_, Inputs()).outcome, RuleOutcome::kFail);
  RegionFacts se{"SE", {Period("s1", "845", "SE", EmploymentType::kPermanent, D(2023, 1, 1),
                                D(2023, 12, 31))}, {}};
  EXPECT_EQ(MergeRegionFacts({se}, &history_, &checks_), 0);
  const RuleResult r = EvaluateExperience(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kPass) << r.explanation;
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).counted_months, 36);
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).periods_used.size(), 2u);
}

TEST_F(EngagementCheckTest, ShortExperienceWithAMissingRegionIsInconclusiveNamingItNeverFail) {
  history_ = {Period("e1", "926", "EE", EmploymentType::kPermanent, D(2021, 1, 1),
                     D(2022, 12, 31))};
  CheckInputs in = Inputs();
  in.missing_regions = {"NW", "SE"};
  const RuleResult r = EvaluateExperience(terms_, in);
  EXPECT_EQ(r.outcome, RuleOutcome::kInconclusive);
  EXPECT_NE(r.explanation.find("NW, SE"), std::string::npos) << r.explanation;
  EXPECT_EQ(std::get<ExperienceDetails>(r.details).counted_months, 24);
  const CheckResult whole = EvaluateEngagement(terms_, in);
  EXPECT_EQ(whole.verdict, Verdict::kInconclusive);
  // Enough months already: a missing region cannot take them away.
  history_[0].start_date = D(2019, 1, 1);
  EXPECT_EQ(EvaluateExperience(terms_, in).outcome, RuleOutcome::kPass);
  // No missing region: short is a FAIL.
  history_[0].start_date = D(2021, 1, 1);
  in.missing_regions.clear();
  EXPECT_EQ(EvaluateExperience(terms_, in).outcome, RuleOutcome::kFail);
}

TEST_F(EngagementCheckTest, InconclusiveVerdictYieldsToFailAndIncomplete) {
  RuleResult fail;
  fail.outcome = RuleOutcome::kFail;
  RuleResult incomplete;
  incomplete.outcome = RuleOutcome::kIncomplete;
  RuleResult inconclusive;
  inconclusive.outcome = RuleOutcome::kInconclusive;
  RuleResult pass;
  pass.outcome = RuleOutcome::kPass;
  EXPECT_EQ(VerdictOf({pass, inconclusive}), Verdict::kInconclusive);
  EXPECT_EQ(VerdictOf({inconclusive, incomplete}), Verdict::kIncomplete);
  EXPECT_EQ(VerdictOf({inconclusive, fail}), Verdict::kNonCompliant);
  EXPECT_EQ(VerdictOf({pass}), Verdict::kCompliant);
}

TEST_F(EngagementCheckTest, CoolingOffStaysWithTheEngagingRegionAfterAMerge) {
  // A permanent post at SE left a month ago does not start EE's cooling off.
  RegionFacts se{"SE", {Period("s1", "845", "SE", EmploymentType::kPermanent, D(2023, 1, 1),
                                D(2025, 12, 1))}, {}};
  MergeRegionFacts({se}, &history_, &checks_);
  const RuleResult r = EvaluateCoolingOff(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kPass);
  EXPECT_EQ(std::get<CoolingOffDetails>(r.details).other_region_posts_ignored, 1);
}

TEST_F(EngagementCheckTest, MergeDropsPeriodsAHubCannotSpeakForAndDuplicates) {
  RegionFacts se{"SE",
                 {Period("s1", "845", "SE", EmploymentType::kPermanent, D(2023, 1, 1),
                         D(2023, 12, 31)),
                  // SE answering for an EE LA's period: not SE's to give.
                  Period("x1", "873", "EE", EmploymentType::kPermanent, D(2010, 1, 1),
                         D(2020, 12, 31)),
                  // The same record twice.
                  Period("s1", "845", "SE", EmploymentType::kPermanent, D(2023, 1, 1),
                         D(2023, 12, 31))},
                 {}};
  EXPECT_EQ(MergeRegionFacts({se}, &history_, &checks_), 2);
  ASSERT_EQ(history_.size(), 2u);
  EXPECT_EQ(history_[1].record_id, "s1");
}

TEST_F(EngagementCheckTest, NationalRegistrationTakesTheLatestCheckOfAnyHub) {
  // The local check (registered, 15 Dec) is older than SE's hub check finding a suspension.
  RegisterCheck suspended = Check(RegisterStatus::kSuspended, At(D(2025, 12, 20)), "rc-1");
  suspended.recorder_la = kHubRecorder;
  RegionFacts se{"SE", {}, {suspended}};
  MergeRegionFacts({se}, &history_, &checks_);
  ASSERT_EQ(checks_.size(), 2u);
  EXPECT_EQ(checks_[1].check_id, "SE/rc-1");  // distinct from the local rc-1
  const RuleResult r = EvaluateRegistration(terms_, Inputs());
  EXPECT_EQ(r.outcome, RuleOutcome::kFail) << r.explanation;
  // Another region's LA's own check counts only for that LA: shown as unconfirmed.
  checks_.pop_back();
  suspended.recorder_la = "845";
  MergeRegionFacts({RegionFacts{"SE", {}, {suspended}}}, &history_, &checks_);
  const RuleResult unconfirmed = EvaluateRegistration(terms_, Inputs());
  EXPECT_EQ(unconfirmed.outcome, RuleOutcome::kPass);
  EXPECT_EQ(std::get<RegistrationDetails>(unconfirmed.details).unconfirmed_checks.size(), 1u);
  // A region that did not answer is named: its checks were not seen.
  CheckInputs in = Inputs();
  in.missing_regions = {"NW"};
  const RuleResult partial = EvaluateRegistration(terms_, in);
  EXPECT_EQ(partial.outcome, RuleOutcome::kPass);
  EXPECT_NE(partial.explanation.find("held by NW were not available"), std::string::npos)
      << partial.explanation;
}

TEST_F(EngagementCheckTest, RegistrationWithARegionMissingIsInconclusiveOnlyWithoutACurrentCheck) {
  CheckInputs in = Inputs();
  in.missing_regions = {"NW", "SE"};
  // A current check (15 Dec 2025, within 365 days of 5 Jan 2026) decides: PASS, the silent
  // regions named.
  RuleResult r = EvaluateRegistration(terms_, in);
  EXPECT_EQ(r.outcome, RuleOutcome::kPass) << r.explanation;
  EXPECT_NE(r.explanation.find("held by NW, SE were not available"), std::string::npos)
      << r.explanation;
  // No check at all: a hub check held by NW or SE would decide, so INCONCLUSIVE naming them
  // (INCOMPLETE, "record one", only when every region answered).
  checks_.clear();
  r = EvaluateRegistration(terms_, in);
  EXPECT_EQ(r.outcome, RuleOutcome::kInconclusive) << r.explanation;
  EXPECT_NE(r.explanation.find("no answer came from NW, SE"), std::string::npos) << r.explanation;
  EXPECT_FALSE(std::get<RegistrationDetails>(r.details).register_check.has_value());
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kIncomplete);
  // Only a check older than the maximum age: INCONCLUSIVE naming its date, else INCOMPLETE.
  checks_ = {Check(RegisterStatus::kRegistered, At(D(2024, 6, 1)))};
  r = EvaluateRegistration(terms_, in);
  EXPECT_EQ(r.outcome, RuleOutcome::kInconclusive) << r.explanation;
  EXPECT_NE(r.explanation.find("the latest is of 2024-06-01"), std::string::npos)
      << r.explanation;
  EXPECT_EQ(EvaluateRegistration(terms_, Inputs()).outcome, RuleOutcome::kIncomplete);
  // The whole check is INCONCLUSIVE, not INCOMPLETE, when only the missing regions stand between.
  checks_.clear();
  in.missing_regions = {"SE"};
  EXPECT_EQ(EvaluateEngagement(terms_, in).verdict, Verdict::kInconclusive);
  // A current check finding a sanction still fails, naming the silent region.
  checks_ = {Check(RegisterStatus::kSuspended, At(D(2025, 12, 15)))};
  r = EvaluateRegistration(terms_, in);
  EXPECT_EQ(r.outcome, RuleOutcome::kFail) << r.explanation;
  EXPECT_NE(r.explanation.find("held by SE were not available"), std::string::npos)
      << r.explanation;
}

TEST(FormatPenceTest, PoundsAndPence) {
  EXPECT_EQ(FormatPence(0), "\xC2\xA3" "0.00");
  EXPECT_EQ(FormatPence(4205), "\xC2\xA3" "42.05");
  EXPECT_EQ(FormatPence(-150), "-\xC2\xA3" "1.50");
}

}  // namespace
}  // namespace slihub::workforce
