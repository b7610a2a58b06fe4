#include "services/workforce/domain/types.h"

namespace slihub::workforce {

const char* JobTypeLabel(JobType type) {
  switch (type) {
    case JobType::kSocialWorker: return "social worker";
    case JobType::kSeniorSocialWorker: return "senior social worker";
    case JobType::kAdvancedPractitioner: return "advanced practitioner";
    case JobType::kTeamManager: return "team manager";
    case JobType::kIroCpChair: return "IRO / CP conference chair";
    case JobType::kUnspecified: break;
  }
  return "unspecified job type";
}

const char* EngagementModelLabel(EngagementModel model) {
  switch (model) {
    case EngagementModel::kLimitedCompany: return "limited company";
    case EngagementModel::kUmbrella: return "umbrella";
    case EngagementModel::kAgencyPaye: return "agency PAYE";
    case EngagementModel::kUnspecified: break;
  }
  return "unspecified model";
}

const char* LeavingReasonLabel(LeavingReason reason) {
  switch (reason) {
    case LeavingReason::kResigned: return "resignation";
    case LeavingReason::kRedundant: return "redundancy";
    case LeavingReason::kLeftDuringProbation: return "leaving during probation";
    case LeavingReason::kDismissed: return "dismissal";
    case LeavingReason::kRetired: return "retirement";
    case LeavingReason::kMovedToPermanentRole: return "a move to a permanent role";
    case LeavingReason::kOther: return "another reason";
    case LeavingReason::kUnspecified: break;
  }
  return "an unrecorded reason";
}

const char* RuleName(Rule rule) {
  switch (rule) {
    case Rule::kPayCap: return "PAY_CAP";
    case Rule::kCoolingOff: return "COOLING_OFF";
    case Rule::kExperience: return "EXPERIENCE";
    case Rule::kReferences: return "REFERENCES";
    case Rule::kNotice: return "NOTICE";
    case Rule::kProjectTeam: return "PROJECT_TEAM";
    case Rule::kRegistration: return "REGISTRATION";
    case Rule::kUnspecified: break;
  }
  return "UNSPECIFIED";
}

}  // namespace slihub::workforce
