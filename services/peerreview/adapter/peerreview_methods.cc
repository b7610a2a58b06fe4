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

MethodSpec Spec(const char* method, const std::vector<Role>& roles,
    LaScope la_scope = LaScope::kNone,
               const char* la_reason = "LA_OUT_OF_SCOPE", const char* rule = "") {
  return MethodSpec{MethodName(kService, method), roles, Tenancy::kHubRegion, true, la_scope,
                    la_reason, rule};
}

}  // namespace

const MethodSpec kCreateCycle = Spec("CreateCycle", kAdmin);
const MethodSpec kGetCycle = Spec("GetCycle", kReaders);
const MethodSpec kListCycles = Spec("ListCycles", kReaders);
const MethodSpec kUpdateCycle = Spec("UpdateCycle", kAdmin);
const MethodSpec kAdvanceCycle = Spec("AdvanceCycle", kAdmin);
const MethodSpec kDeclareConflictOfInterest = Spec("DeclareConflictOfInterest", kAdminOrReviewer,
    LaScope::kRequestLa, "NOT_OWN_LA", "a reviewer declares for its own LA");
const MethodSpec kDeclareUnavailability = Spec("DeclareUnavailability", kAdminOrReviewer,
    LaScope::kRequestLa);
const MethodSpec kImportHistoricalGroups = Spec("ImportHistoricalGroups", kAdmin);
const MethodSpec kGetSelfAssessment = Spec("GetSelfAssessment", kAdminOrReviewer);
const MethodSpec kListSelfAssessments = Spec("ListSelfAssessments", kAdminOrReviewer);
const MethodSpec kUpdateSelfAssessment = Spec("UpdateSelfAssessment", kReviewers,
    LaScope::kRecordLa);
const MethodSpec kSignOffSelfAssessment = Spec("SignOffSelfAssessment", kReviewers,
    LaScope::kRecordLa);
const MethodSpec kSubmitSelfAssessment = Spec("SubmitSelfAssessment", kReviewers,
    LaScope::kRecordLa);
const MethodSpec kAssignModerator = Spec("AssignModerator", kAdmin);
const MethodSpec kAddModerationComment = Spec("AddModerationComment", kAdminOrReviewer,
    LaScope::kParty, "NOT_MODERATOR", "only the assigned moderator's LA");
const MethodSpec kCompleteModeration = Spec("CompleteModeration", kAdminOrReviewer,
    LaScope::kParty, "NOT_MODERATOR", "only the assigned moderator's LA");
const MethodSpec kProposeGroups = Spec("ProposeGroups", kAdmin);
const MethodSpec kGetGroupingProposal = Spec("GetGroupingProposal", kAdmin);
const MethodSpec kListGroupingProposals = Spec("ListGroupingProposals", kAdmin);
const MethodSpec kAcceptGroups = Spec("AcceptGroups", kAdmin);
const MethodSpec kScheduleChallengeEvents = Spec("ScheduleChallengeEvents", kAdmin);
const MethodSpec kGetChallengeEvent = Spec("GetChallengeEvent", kReaders);
const MethodSpec kListChallengeEvents = Spec("ListChallengeEvents", kReaders);
const MethodSpec kUpdateChallengeEvent = Spec("UpdateChallengeEvent", kAdmin);
const MethodSpec kAdvanceChallengeEvent = Spec("AdvanceChallengeEvent", kAdminOrReviewer,
    LaScope::kParty, "NOT_PARTY", "the event's host or reviewing LAs");
const MethodSpec kExportCalendar = Spec("ExportCalendar", kReaders);
const MethodSpec kRequestThematicReview = Spec("RequestThematicReview", kAdminOrReviewer,
    LaScope::kRequestLa, "NOT_PARTY");
const MethodSpec kGetThematicReview = Spec("GetThematicReview", kAdminOrReviewer, LaScope::kParty,
    "NOT_PARTY", "the host, its team");
const MethodSpec kListThematicReviews = Spec("ListThematicReviews", kAdminOrReviewer,
    LaScope::kFiltered);
const MethodSpec kUpdateThematicReview = Spec("UpdateThematicReview", kAdmin);
const MethodSpec kAdvanceThematicReview = Spec("AdvanceThematicReview", kAdminOrReviewer,
    LaScope::kParty, "NOT_PARTY",
    "the host may cancel its own request; other moves are the admin's");
const MethodSpec kRecordFindings = Spec("RecordFindings", kAdminOrReviewer, LaScope::kParty,
    "NOT_PARTY", "a reviewer of a reviewing LA");
const MethodSpec kGetFindings = Spec("GetFindings", kAdminOrReviewer, LaScope::kParty, "NOT_PARTY",
    "the host and its reviewers");
const MethodSpec kListFindings = Spec("ListFindings", kAdminOrReviewer, LaScope::kFiltered);
const MethodSpec kUpdateActionStatus = Spec("UpdateActionStatus", kAdminOrReviewer,
    LaScope::kParty, "NOT_PARTY", "the host's reviewer");
const MethodSpec kGetDataPack = Spec("GetDataPack", kAdminOrReviewer, LaScope::kParty, "NOT_PARTY",
    "the host and its reviewers");
const MethodSpec kGetRegionalSummary = Spec("GetRegionalSummary", kReaders);
const MethodSpec kExportRegionalSummary = Spec("ExportRegionalSummary", kReaders);

// A lookup other regions' hubs make (federation): directory facts only, never a write.
const MethodSpec kListReviewerDirectory{
    MethodName(kService, "ListReviewerDirectory"),
    {Role::kRegionalAdmin, Role::kPeerReviewer, Role::kReader, Role::kHub},
    Tenancy::kPeerHubs,
    true,
    LaScope::kNone,
    "LA_OUT_OF_SCOPE",
    "directory facts only, read-only"};
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
