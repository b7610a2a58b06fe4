#include "services/peerreview/adapter/peerreview_methods.h"

#include <string>

namespace slihub::peerreview::methods {
namespace {

constexpr char kService[] = "slihub.peerreview.v1.PeerReviewService";

// Who may call, as the proto's comments say of each RPC.
const std::vector<Role> kAdmin = {Role::kRegionalAdmin};
const std::vector<Role> kReaders = {Role::kRegionalAdmin, Role::kPeerReviewer, Role::kReader};
const std::vector<Role> kAdminOrReviewer = {Role::kRegionalAdmin, Role::kPeerReviewer};
const std::vector<Role> kReviewers = {Role::kPeerReviewer};  // an LA acting on its own records

MethodSpec Spec(const char* method, const std::vector<Role>& roles) {
  return MethodSpec{MethodName(kService, method), roles, Tenancy::kHubRegion, true};
}

}  // namespace

const MethodSpec kCreateCycle = Spec("CreateCycle", kAdmin);
const MethodSpec kGetCycle = Spec("GetCycle", kReaders);
const MethodSpec kListCycles = Spec("ListCycles", kReaders);
const MethodSpec kUpdateCycle = Spec("UpdateCycle", kAdmin);
const MethodSpec kAdvanceCycle = Spec("AdvanceCycle", kAdmin);
const MethodSpec kDeclareConflictOfInterest = Spec("DeclareConflictOfInterest", kAdminOrReviewer);
const MethodSpec kDeclareUnavailability = Spec("DeclareUnavailability", kAdminOrReviewer);
const MethodSpec kImportHistoricalGroups = Spec("ImportHistoricalGroups", kAdmin);
const MethodSpec kGetSelfAssessment = Spec("GetSelfAssessment", kAdminOrReviewer);
const MethodSpec kListSelfAssessments = Spec("ListSelfAssessments", kAdminOrReviewer);
const MethodSpec kUpdateSelfAssessment = Spec("UpdateSelfAssessment", kReviewers);
const MethodSpec kSignOffSelfAssessment = Spec("SignOffSelfAssessment", kReviewers);
const MethodSpec kSubmitSelfAssessment = Spec("SubmitSelfAssessment", kReviewers);
const MethodSpec kAssignModerator = Spec("AssignModerator", kAdmin);
const MethodSpec kAddModerationComment = Spec("AddModerationComment", kAdminOrReviewer);
const MethodSpec kCompleteModeration = Spec("CompleteModeration", kAdminOrReviewer);
const MethodSpec kProposeGroups = Spec("ProposeGroups", kAdmin);
const MethodSpec kGetGroupingProposal = Spec("GetGroupingProposal", kAdmin);
const MethodSpec kListGroupingProposals = Spec("ListGroupingProposals", kAdmin);
const MethodSpec kAcceptGroups = Spec("AcceptGroups", kAdmin);
const MethodSpec kScheduleChallengeEvents = Spec("ScheduleChallengeEvents", kAdmin);
const MethodSpec kGetChallengeEvent = Spec("GetChallengeEvent", kReaders);
const MethodSpec kListChallengeEvents = Spec("ListChallengeEvents", kReaders);
const MethodSpec kUpdateChallengeEvent = Spec("UpdateChallengeEvent", kAdmin);
const MethodSpec kAdvanceChallengeEvent = Spec("AdvanceChallengeEvent", kAdminOrReviewer);
const MethodSpec kExportCalendar = Spec("ExportCalendar", kReaders);
const MethodSpec kRequestThematicReview = Spec("RequestThematicReview", kAdminOrReviewer);
const MethodSpec kGetThematicReview = Spec("GetThematicReview", kAdminOrReviewer);
const MethodSpec kListThematicReviews = Spec("ListThematicReviews", kAdminOrReviewer);
const MethodSpec kUpdateThematicReview = Spec("UpdateThematicReview", kAdmin);
const MethodSpec kAdvanceThematicReview = Spec("AdvanceThematicReview", kAdminOrReviewer);
const MethodSpec kRecordFindings = Spec("RecordFindings", kAdminOrReviewer);
const MethodSpec kGetFindings = Spec("GetFindings", kAdminOrReviewer);
const MethodSpec kListFindings = Spec("ListFindings", kAdminOrReviewer);
const MethodSpec kUpdateActionStatus = Spec("UpdateActionStatus", kAdminOrReviewer);
const MethodSpec kGetDataPack = Spec("GetDataPack", kAdminOrReviewer);
const MethodSpec kGetRegionalSummary = Spec("GetRegionalSummary", kReaders);
const MethodSpec kExportRegionalSummary = Spec("ExportRegionalSummary", kReaders);

// A lookup other regions' hubs make (federation): directory facts only, never a write.
const MethodSpec kListReviewerDirectory{
    MethodName(kService, "ListReviewerDirectory"),
    {Role::kRegionalAdmin, Role::kPeerReviewer, Role::kReader, Role::kHub},
    Tenancy::kPeerHubs,
    true};
const MethodSpec kFindReviewers = Spec("FindReviewers", kAdminOrReviewer);

const std::vector<const MethodSpec*>& All() {
  static const auto* all = new std::vector<const MethodSpec*>{
      &kCreateCycle,
      &kGetCycle,
      &kListCycles,
      &kUpdateCycle,
      &kAdvanceCycle,
      &kDeclareConflictOfInterest,
      &kDeclareUnavailability,
      &kImportHistoricalGroups,
      &kGetSelfAssessment,
      &kListSelfAssessments,
      &kUpdateSelfAssessment,
      &kSignOffSelfAssessment,
      &kSubmitSelfAssessment,
      &kAssignModerator,
      &kAddModerationComment,
      &kCompleteModeration,
      &kProposeGroups,
      &kGetGroupingProposal,
      &kListGroupingProposals,
      &kAcceptGroups,
      &kScheduleChallengeEvents,
      &kGetChallengeEvent,
      &kListChallengeEvents,
      &kUpdateChallengeEvent,
      &kAdvanceChallengeEvent,
      &kExportCalendar,
      &kRequestThematicReview,
      &kGetThematicReview,
      &kListThematicReviews,
      &kUpdateThematicReview,
      &kAdvanceThematicReview,
      &kRecordFindings,
      &kGetFindings,
      &kListFindings,
      &kUpdateActionStatus,
      &kGetDataPack,
      &kGetRegionalSummary,
      &kExportRegionalSummary,
      &kListReviewerDirectory,
      &kFindReviewers,
  };
  return *all;
}

}  // namespace slihub::peerreview::methods
