// The gRPC adapter of PeerReviewService: request validation with field paths, roles and region
// scoping, idempotency, and translation to the domain and the store. RPCs not overridden here
// answer UNIMPLEMENTED.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_SERVICE_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_SERVICE_H_

#include "common/server/service_context.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"

namespace slihub::peerreview {

// Serves cycles, declarations, history and grouping for the hub's region. Thread-safe.
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
  grpc::ServerUnaryReactor* AdvanceCycle(grpc::CallbackServerContext* context,
                                         const v1::AdvanceCycleRequest* request,
                                         v1::AdvanceCycleResponse* response) override;
  grpc::ServerUnaryReactor* DeclareConflictOfInterest(
      grpc::CallbackServerContext* context, const v1::DeclareConflictOfInterestRequest* request,
      v1::DeclareConflictOfInterestResponse* response) override;
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

 private:
  ServiceContext context_;
};

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_PEERREVIEW_SERVICE_H_
