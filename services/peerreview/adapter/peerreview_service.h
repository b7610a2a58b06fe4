// The gRPC adapter of PeerReviewService: request validation with field paths, roles and region
// scoping, idempotency, and translation to the domain and the store.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_SERVICE_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_SERVICE_H_

#include "common/server/service_context.h"
#include <memory>

#include "services/datacollection/client/datacollection_connection.h"
#include "services/peerreview/client/peerreview_hub_connection.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"

namespace slihub::peerreview {

// Serves every RPC of PeerReviewService for the hub's region: cycles, declarations, history,
// grouping, self-assessments and moderation, challenge events and their calendar, thematic
// reviews, findings, data packs (calling DataCollectionService through ServiceContext::peers)
// and the regional summary. Thread-safe.
class PeerReviewServiceImpl final : public v1::PeerReviewService::CallbackService {
 public:
  explicit PeerReviewServiceImpl(const ServiceContext& context);

  grpc::ServerUnaryReactor* CreateCycle(grpc::CallbackServerContext* context,
                                        const v1::CreateCycleRequest* request,
                                        v1::CreateCycleResponse* response) override;
  grpc::ServerUnaryReactor* GetCycle(grpc::CallbackServerContext* context,
                                     const v1::GetCycleRequest* request,
                                     v1::GetCycleResponse* response) override;
  grpc::ServerUnaryReactor* ListCycles(grpc::CallbackServerContext* context,
                                       const v1::ListCyclesRequest* request,
                                       v1::ListCyclesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCycle(grpc::CallbackServerContext* context,
                                        const v1::UpdateCycleRequest* request,
                                        v1::UpdateCycleResponse* response) override;
  grpc::ServerUnaryReactor* AdvanceCycle(grpc::CallbackServerContext* context,
                                         const v1::AdvanceCycleRequest* request,
                                         v1::AdvanceCycleResponse* response) override;
  grpc::ServerUnaryReactor* DeclareConflictOfInterest(
      grpc::CallbackServerContext* context, const v1::DeclareConflictOfInterestRequest* request,
      v1::DeclareConflictOfInterestResponse* response) override;
  grpc::ServerUnaryReactor* DeclareUnavailability(
      grpc::CallbackServerContext* context, const v1::DeclareUnavailabilityRequest* request,
      v1::DeclareUnavailabilityResponse* response) override;
  grpc::ServerUnaryReactor* ScheduleChallengeEvents(
      grpc::CallbackServerContext* context, const v1::ScheduleChallengeEventsRequest* request,
      v1::ScheduleChallengeEventsResponse* response) override;
  grpc::ServerUnaryReactor* GetChallengeEvent(grpc::CallbackServerContext* context,
                                              const v1::GetChallengeEventRequest* request,
                                              v1::GetChallengeEventResponse* response) override;
  grpc::ServerUnaryReactor* ListChallengeEvents(grpc::CallbackServerContext* context,
                                                const v1::ListChallengeEventsRequest* request,
                                                v1::ListChallengeEventsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateChallengeEvent(grpc::CallbackServerContext* context,
                                                 const v1::UpdateChallengeEventRequest* request,
                                                 v1::UpdateChallengeEventResponse* response) override;
  grpc::ServerUnaryReactor* AdvanceChallengeEvent(
      grpc::CallbackServerContext* context, const v1::AdvanceChallengeEventRequest* request,
      v1::AdvanceChallengeEventResponse* response) override;
  grpc::ServerUnaryReactor* ExportCalendar(grpc::CallbackServerContext* context,
                                           const v1::ExportCalendarRequest* request,
                                           v1::ExportCalendarResponse* response) override;
  grpc::ServerUnaryReactor* ImportHistoricalGroups(
      grpc::CallbackServerContext* context, const v1::ImportHistoricalGroupsRequest* request,
      v1::ImportHistoricalGroupsResponse* response) override;
  grpc::ServerUnaryReactor* ProposeGroups(grpc::CallbackServerContext* context,
                                          const v1::ProposeGroupsRequest* request,
                                          v1::ProposeGroupsResponse* response) override;
  grpc::ServerUnaryReactor* GetGroupingProposal(grpc::CallbackServerContext* context,
                                                const v1::GetGroupingProposalRequest* request,
                                                v1::GetGroupingProposalResponse* response) override;
  grpc::ServerUnaryReactor* ListGroupingProposals(
      grpc::CallbackServerContext* context, const v1::ListGroupingProposalsRequest* request,
      v1::ListGroupingProposalsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptGroups(grpc::CallbackServerContext* context,
                                         const v1::AcceptGroupsRequest* request,
                                         v1::AcceptGroupsResponse* response) override;
  grpc::ServerUnaryReactor* GetSelfAssessment(grpc::CallbackServerContext* context,
                                              const v1::GetSelfAssessmentRequest* request,
                                              v1::GetSelfAssessmentResponse* response) override;
  grpc::ServerUnaryReactor* ListSelfAssessments(grpc::CallbackServerContext* context,
                                                const v1::ListSelfAssessmentsRequest* request,
                                                v1::ListSelfAssessmentsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateSelfAssessment(grpc::CallbackServerContext* context,
                                                 const v1::UpdateSelfAssessmentRequest* request,
                                                 v1::UpdateSelfAssessmentResponse* response) override;
  grpc::ServerUnaryReactor* SignOffSelfAssessment(
      grpc::CallbackServerContext* context, const v1::SignOffSelfAssessmentRequest* request,
      v1::SignOffSelfAssessmentResponse* response) override;
  grpc::ServerUnaryReactor* SubmitSelfAssessment(grpc::CallbackServerContext* context,
                                                 const v1::SubmitSelfAssessmentRequest* request,
                                                 v1::SubmitSelfAssessmentResponse* response) override;
  grpc::ServerUnaryReactor* GetRegionalSummary(grpc::CallbackServerContext* context,
                                               const v1::GetRegionalSummaryRequest* request,
                                               v1::GetRegionalSummaryResponse* response) override;
  grpc::ServerUnaryReactor* ExportRegionalSummary(
      grpc::CallbackServerContext* context, const v1::ExportRegionalSummaryRequest* request,
      v1::ExportRegionalSummaryResponse* response) override;
  grpc::ServerUnaryReactor* AssignModerator(grpc::CallbackServerContext* context,
                                            const v1::AssignModeratorRequest* request,
                                            v1::AssignModeratorResponse* response) override;
  grpc::ServerUnaryReactor* AddModerationComment(grpc::CallbackServerContext* context,
                                                 const v1::AddModerationCommentRequest* request,
                                                 v1::AddModerationCommentResponse* response) override;
  grpc::ServerUnaryReactor* CompleteModeration(grpc::CallbackServerContext* context,
                                               const v1::CompleteModerationRequest* request,
                                               v1::CompleteModerationResponse* response) override;

  grpc::ServerUnaryReactor* RecordFindings(grpc::CallbackServerContext* context,
                                     const v1::RecordFindingsRequest* request,
                                     v1::RecordFindingsResponse* response) override;
  grpc::ServerUnaryReactor* GetFindings(grpc::CallbackServerContext* context,
                                     const v1::GetFindingsRequest* request,
                                     v1::GetFindingsResponse* response) override;
  grpc::ServerUnaryReactor* ListFindings(grpc::CallbackServerContext* context,
                                     const v1::ListFindingsRequest* request,
                                     v1::ListFindingsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateActionStatus(grpc::CallbackServerContext* context,
                                     const v1::UpdateActionStatusRequest* request,
                                     v1::UpdateActionStatusResponse* response) override;
  grpc::ServerUnaryReactor* RequestThematicReview(grpc::CallbackServerContext* context,
                                     const v1::RequestThematicReviewRequest* request,
                                     v1::RequestThematicReviewResponse* response) override;
  grpc::ServerUnaryReactor* GetThematicReview(grpc::CallbackServerContext* context,
                                     const v1::GetThematicReviewRequest* request,
                                     v1::GetThematicReviewResponse* response) override;
  grpc::ServerUnaryReactor* ListThematicReviews(grpc::CallbackServerContext* context,
                                     const v1::ListThematicReviewsRequest* request,
                                     v1::ListThematicReviewsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateThematicReview(grpc::CallbackServerContext* context,
                                     const v1::UpdateThematicReviewRequest* request,
                                     v1::UpdateThematicReviewResponse* response) override;
  grpc::ServerUnaryReactor* AdvanceThematicReview(grpc::CallbackServerContext* context,
                                     const v1::AdvanceThematicReviewRequest* request,
                                     v1::AdvanceThematicReviewResponse* response) override;
  grpc::ServerUnaryReactor* ListReviewerDirectory(
      grpc::CallbackServerContext* context, const v1::ListReviewerDirectoryRequest* request,
      v1::ListReviewerDirectoryResponse* response) override;
  grpc::ServerUnaryReactor* FindReviewers(grpc::CallbackServerContext* context,
                                          const v1::FindReviewersRequest* request,
                                          v1::FindReviewersResponse* response) override;
  grpc::ServerUnaryReactor* GetDataPack(grpc::CallbackServerContext* context,
                                        const v1::GetDataPackRequest* request,
                                        v1::GetDataPackResponse* response) override;

 private:
  // This hub's reviewer directory for `cycle_id` (empty: the current cycle), read now.
  absl::Status ReadReviewerDirectory(const std::string& cycle_id, v1::ReviewerDirectory* out);

  ServiceContext context_;
  // Calls into the data collection service (data packs), over a connection built from
  // context_.peers.
  datacollection::DataCollectionClient datacollection_;
  // Calls to other regions' peer review hubs (reviewer directories), made in the constructor from
  // context_.federation; null when the hub runs without a federation.
  std::shared_ptr<PeerReviewHubConnection> hub_;
};

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_SERVICE_H_
