// The workforce domain's vocabulary: plain enums numbered as their slihub.workforce.v1 proto
// counterparts, so the adapter converts with a cast after range-checking.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_TYPES_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_TYPES_H_

#include <cstdint>

namespace slihub::workforce {

// The five national job types (proto JobType).
enum class JobType {
  kUnspecified = 0,
  kSocialWorker = 1,
  kSeniorSocialWorker = 2,
  kAdvancedPractitioner = 3,
  kTeamManager = 4,
  kIroCpChair = 5,
};
inline constexpr int kMaxJobType = 5;

// How an agency worker is engaged (proto EngagementModel).
enum class EngagementModel {
  kUnspecified = 0,
  kLimitedCompany = 1,
  kUmbrella = 2,
  kAgencyPaye = 3,
};
inline constexpr int kMaxEngagementModel = 3;

// The agency rules, in the order results are reported (proto Rule).
enum class Rule {
  kUnspecified = 0,
  kPayCap = 1,
  kCoolingOff = 2,
  kExperience = 3,
  kReferences = 4,
  kNotice = 5,
  kProjectTeam = 6,
  kRegistration = 7,
};
inline constexpr int kMaxRule = 7;

// Why a worker left a post (proto LeavingReason).
enum class LeavingReason {
  kUnspecified = 0,
  kResigned = 1,
  kRedundant = 2,
  kLeftDuringProbation = 3,
  kDismissed = 4,
  kRetired = 5,
  kMovedToPermanentRole = 6,
  kOther = 7,
};
inline constexpr int kMaxLeavingReason = 7;

// The kind of employment a period records (proto EmploymentType).
enum class EmploymentType {
  kUnspecified = 0,
  kPermanent = 1,
  kAgency = 2,
  kOther = 3,
  kFixedTerm = 4,
};
inline constexpr int kMaxEmploymentType = 4;

// A worker's standing on the Social Work England register (proto RegisterStatus).
enum class RegisterStatus {
  kUnspecified = 0,
  kRegistered = 1,
  kSuspended = 2,
  kRemoved = 3,
  kNotFound = 4,
};
inline constexpr int kMaxRegisterStatus = 4;

// Who gave a reference (proto ReferenceSource).
enum class ReferenceSource {
  kUnspecified = 0,
  kLocalAuthority = 1,
  kOtherEmployer = 2,
  kAgency = 3,
  kOther = 4,
};
inline constexpr int kMaxReferenceSource = 4;

// The outcome of one rule (proto RuleOutcome).
enum class RuleOutcome {
  kUnspecified = 0,
  kPass = 1,
  kFail = 2,
  kNotApplicable = 3,
  kExempt = 4,
  // A fact the rule decides on is missing (the explanation names it): never a pass.
  kIncomplete = 5,
  // A national check's facts fall short and a region that did not answer could hold the rest (the
  // explanation names it): never a pass, never a fail.
  kInconclusive = 6,
};

// The overall result of a check (proto Verdict).
enum class Verdict {
  kUnspecified = 0,
  kCompliant = 1,
  kNonCompliant = 2,
  kCoveredByException = 3,
  // No rule failed, but a deciding fact of at least one rule is missing.
  kIncomplete = 4,
  // No rule failed uncovered or is incomplete, but one is inconclusive: a region that did not
  // answer could decide it.
  kInconclusive = 5,
};

// "social worker", "team manager", ... for explanations.
const char* JobTypeLabel(JobType type);
// "limited company", "umbrella", "agency PAYE".
const char* EngagementModelLabel(EngagementModel model);
// "redundancy", "leaving during probation", ... for explanations.
const char* LeavingReasonLabel(LeavingReason reason);
// "PAY_CAP", "COOLING_OFF", ...: the proto enum name without its RULE_ prefix.
const char* RuleName(Rule rule);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_TYPES_H_
