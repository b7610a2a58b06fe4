// Exceptions to the agency rules: the two-signature approval (DCS and Chief Executive, by
// distinct people), expiry, and how approved exceptions cover a check's failed rules.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_RULE_EXCEPTION_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_RULE_EXCEPTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/workforce/domain/engagement_check.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {

// The capacity an approver signs in (proto ApproverCapacity).
enum class ApproverCapacity { kUnspecified = 0, kDcs = 1, kChiefExecutive = 2 };

// The lifecycle of an exception (proto ExceptionState).
enum class ExceptionState {
  kUnspecified = 0,
  kPending = 1,
  kApproved = 2,
  kRejected = 3,
  kExpired = 4,
  kUsed = 5,
};

// One signature. Plain data.
struct ExceptionApproval {
  std::string approver;  // a principal id, never a name
  ApproverCapacity capacity = ApproverCapacity::kUnspecified;
  absl::Time approve_time;
  std::string comment;
};

// An exception as the rules see it. Plain data.
struct RuleException {
  std::string exception_id;
  std::string la_code;
  EngagementTerms terms;  // the terms it was granted for
  std::vector<Rule> rules;
  ExceptionState state = ExceptionState::kPending;  // as stored (expiry is applied on read)
  absl::CivilDay expires_on;
  std::vector<ExceptionApproval> approvals;
  std::string engagement_id;  // set once used
};

// The state on `today`: a pending or approved exception past expires_on is EXPIRED.
ExceptionState CurrentState(const RuleException& exception, absl::CivilDay today);

// Adds `approver`'s signature in `capacity`; the second capacity signed by a different
// approver makes the exception APPROVED. FailedPrecondition (with a PreconditionFailure of type
// STATE, CAPACITY or APPROVER) when not pending on `today`, the capacity is already signed, or
// `approver` already signed in the other capacity.
absl::Status Approve(RuleException* exception, const std::string& approver,
                     ApproverCapacity capacity, absl::Time at, const std::string& comment,
                     absl::CivilDay today);

// The England day the exception became approved: the later of the DCS's and the Chief
// Executive's signatures; nullopt until both have signed.
std::optional<absl::CivilDay> SignedOffOn(const std::vector<ExceptionApproval>& approvals);

// True when both signatures were given on or before `start` (England's calendar): the rules
// require sign-off before an assignment starts.
bool SignedOffBefore(const std::vector<ExceptionApproval>& approvals, absl::CivilDay start);

// Records the refusal of a pending exception: REJECTED. FailedPrecondition (type STATE) when
// not pending on `today`.
absl::Status Reject(RuleException* exception, absl::CivilDay today);

// True when `proposed` is no less favourable to compliance than `granted`: the same worker,
// LA, job type and engagement model; pay no higher; start no earlier; notice no longer; no
// fewer practice-based references; and a project team only if the grant was for one.
bool TermsWithin(const EngagementTerms& proposed, const EngagementTerms& granted);

// Marks each FAIL result of `check` that an exception covers with that exception's id and sets
// the verdict to COVERED_BY_EXCEPTION when every failure is covered (INCOMPLETE when a rule is
// incomplete). Each of `exceptions` must be APPROVED on `today`, signed off on or before the
// proposed start date and granted for terms `proposed` is within; otherwise FailedPrecondition
// naming the exception (type EXCEPTION, or SIGN_OFF for a late sign-off). Failures left
// uncovered keep the verdict NON_COMPLIANT.
absl::Status ApplyExceptions(const std::vector<RuleException>& exceptions,
                             const EngagementTerms& proposed, absl::CivilDay today,
                             CheckResult* check);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_RULE_EXCEPTION_H_
