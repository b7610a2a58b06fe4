#include "services/workforce/domain/rule_exception.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"

namespace slihub::workforce {
namespace {

const char* CapacityLabel(ApproverCapacity c) {
  return c == ApproverCapacity::kDcs ? "DCS" : "Chief Executive";
}

int PracticeBased(const EngagementTerms& t) {
  int n = 0;
  for (const Reference& r : t.references) n += r.practice_based ? 1 : 0;
  return n;
}

}  // namespace

ExceptionState CurrentState(const RuleException& exception, absl::CivilDay today) {
  if ((exception.state == ExceptionState::kPending ||
       exception.state == ExceptionState::kApproved) &&
      today > exception.expires_on) {
    return ExceptionState::kExpired;
  }
  return exception.state;
}

absl::Status Approve(RuleException* exception, const std::string& approver,
                     ApproverCapacity capacity, absl::Time at, const std::string& comment,
                     absl::CivilDay today) {
  const std::string subject = absl::StrCat("exception/", exception->exception_id);
  if (CurrentState(*exception, today) != ExceptionState::kPending) {
    return FailedPreconditionError("the exception is not pending",
                                   {{"STATE", subject, "only a pending exception can be signed"}});
  }
  for (const ExceptionApproval& a : exception->approvals) {
    if (a.capacity == capacity) {
      return FailedPreconditionError(
          "capacity already signed",
          {{"CAPACITY", subject, absl::StrCat("the ", CapacityLabel(capacity),
                                              " has already signed")}});
    }
    if (a.approver == approver) {
      return FailedPreconditionError(
          "the same person cannot sign twice",
          {{"APPROVER", subject, absl::StrCat("this approver already signed as ",
                                              CapacityLabel(a.capacity),
                                              "; two distinct people must sign")}});
    }
  }
  exception->approvals.push_back({approver, capacity, at, comment});
  bool dcs = false;
  bool chief = false;
  for (const ExceptionApproval& a : exception->approvals) {
    dcs |= a.capacity == ApproverCapacity::kDcs;
    chief |= a.capacity == ApproverCapacity::kChiefExecutive;
  }
  if (dcs && chief) exception->state = ExceptionState::kApproved;
  return absl::OkStatus();
}

std::optional<absl::CivilDay> SignedOffOn(const std::vector<ExceptionApproval>& approvals) {
  bool dcs = false;
  bool chief = false;
  absl::Time last = absl::InfinitePast();
  for (const ExceptionApproval& a : approvals) {
    dcs |= a.capacity == ApproverCapacity::kDcs;
    chief |= a.capacity == ApproverCapacity::kChiefExecutive;
    last = std::max(last, a.approve_time);
  }
  if (!dcs || !chief) return std::nullopt;
  return EnglandDay(last);
}

bool SignedOffBefore(const std::vector<ExceptionApproval>& approvals, absl::CivilDay start) {
  const std::optional<absl::CivilDay> on = SignedOffOn(approvals);
  return on.has_value() && *on <= start;
}

absl::Status Reject(RuleException* exception, absl::CivilDay today) {
  if (CurrentState(*exception, today) != ExceptionState::kPending) {
    return FailedPreconditionError(
        "the exception is not pending",
        {{"STATE", absl::StrCat("exception/", exception->exception_id),
          "only a pending exception can be rejected"}});
  }
  exception->state = ExceptionState::kRejected;
  return absl::OkStatus();
}

bool TermsWithin(const EngagementTerms& p, const EngagementTerms& g) {
  return p.swe_number == g.swe_number && p.la_code == g.la_code && p.job_type == g.job_type &&
         p.engagement_model == g.engagement_model &&
         p.hourly_pay_rate_pence <= g.hourly_pay_rate_pence && p.start_date >= g.start_date &&
         (!g.notice_weeks.has_value() ||
          (p.notice_weeks.has_value() && *p.notice_weeks <= *g.notice_weeks)) &&
         PracticeBased(p) >= PracticeBased(g) &&
         (!p.project_team.is_project_team || g.project_team.is_project_team);
}

absl::Status ApplyExceptions(const std::vector<RuleException>& exceptions,
                             const EngagementTerms& proposed, absl::CivilDay today,
                             CheckResult* check) {
  for (const RuleException& e : exceptions) {
    const std::string subject = absl::StrCat("exception/", e.exception_id);
    if (CurrentState(e, today) != ExceptionState::kApproved) {
      return FailedPreconditionError(
          "the exception cannot be used",
          {{"EXCEPTION", subject, "is not approved, or has expired or been used"}});
    }
    if (!TermsWithin(proposed, e.terms)) {
      return FailedPreconditionError(
          "the exception was granted for other terms",
          {{"EXCEPTION", subject,
            "was granted for other terms (a different worker, LA, job or model, or terms less "
            "favourable to compliance)"}});
    }
    if (!SignedOffBefore(e.approvals, proposed.start_date)) {
      const std::optional<absl::CivilDay> on = SignedOffOn(e.approvals);
      return FailedPreconditionError(
          "the exception was signed off after the engagement started",
          {{"SIGN_OFF", subject,
            absl::StrCat("was signed off on ", on.has_value() ? FormatCivilDate(*on) : "?",
                         ", after the start date ", FormatCivilDate(proposed.start_date),
                         "; the DCS and the Chief Executive must sign before an assignment "
                         "starts")}});
    }
  }
  bool any_fail = false;
  bool all_covered = true;
  for (RuleResult& r : check->results) {
    if (r.outcome != RuleOutcome::kFail) continue;
    any_fail = true;
    for (const RuleException& e : exceptions) {
      if (std::find(e.rules.begin(), e.rules.end(), r.rule) != e.rules.end()) {
        r.exception_id = e.exception_id;
        break;
      }
    }
    all_covered &= !r.exception_id.empty();
  }
  if (any_fail) {
    bool incomplete = false;
    bool inconclusive = false;
    for (const RuleResult& r : check->results) {
      incomplete |= r.outcome == RuleOutcome::kIncomplete;
      inconclusive |= r.outcome == RuleOutcome::kInconclusive;
    }
    check->verdict = !all_covered    ? Verdict::kNonCompliant
                     : incomplete   ? Verdict::kIncomplete
                     : inconclusive ? Verdict::kInconclusive
                                    : Verdict::kCoveredByException;
  }
  return absl::OkStatus();
}

}  // namespace slihub::workforce
