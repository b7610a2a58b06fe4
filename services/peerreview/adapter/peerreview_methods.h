// Every RPC of PeerReviewService, declared once: its name, the roles that may call it and its
// tenancy (all serve only principals of the hub's region, but ListReviewerDirectory, which
// other regions' hubs may also call). Handlers pass these to HandleUnary;
// peerreview_methods_test checks the table against the service's descriptor.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_METHODS_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_METHODS_H_

#include <vector>

#include "common/server/unary_call.h"

namespace slihub::peerreview::methods {

extern const MethodSpec kCreateCycle;
extern const MethodSpec kGetCycle;
extern const MethodSpec kListCycles;
extern const MethodSpec kUpdateCycle;
extern const MethodSpec kAdvanceCycle;
extern const MethodSpec kDeclareConflictOfInterest;
extern const MethodSpec kDeclareUnavailability;
extern const MethodSpec kImportHistoricalGroups;
extern const MethodSpec kGetSelfAssessment;
extern const MethodSpec kListSelfAssessments;
extern const MethodSpec kUpdateSelfAssessment;
extern const MethodSpec kSignOffSelfAssessment;
extern const MethodSpec kSubmitSelfAssessment;
extern const MethodSpec kAssignModerator;
extern const MethodSpec kAddModerationComment;
extern const MethodSpec kCompleteModeration;
extern const MethodSpec kProposeGroups;
extern const MethodSpec kGetGroupingProposal;
extern const MethodSpec kListGroupingProposals;
extern const MethodSpec kAcceptGroups;
extern const MethodSpec kScheduleChallengeEvents;
extern const MethodSpec kGetChallengeEvent;
extern const MethodSpec kListChallengeEvents;
extern const MethodSpec kUpdateChallengeEvent;
extern const MethodSpec kAdvanceChallengeEvent;
extern const MethodSpec kExportCalendar;
extern const MethodSpec kRequestThematicReview;
extern const MethodSpec kGetThematicReview;
extern const MethodSpec kListThematicReviews;
extern const MethodSpec kUpdateThematicReview;
extern const MethodSpec kAdvanceThematicReview;
extern const MethodSpec kRecordFindings;
extern const MethodSpec kGetFindings;
extern const MethodSpec kListFindings;
extern const MethodSpec kUpdateActionStatus;
extern const MethodSpec kGetDataPack;
extern const MethodSpec kGetRegionalSummary;
extern const MethodSpec kExportRegionalSummary;
extern const MethodSpec kListReviewerDirectory;
extern const MethodSpec kFindReviewers;

// Every RPC of the service, in the order of the proto.
const std::vector<const MethodSpec*>& All();

}  // namespace slihub::peerreview::methods

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_METHODS_H_
