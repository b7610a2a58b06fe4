// slihub-peerreview: the peer review service of one regional hub (cycles, self-assessments,
// moderation, grouping, challenge events, thematic reviews, findings, data packs from the data
// collection service, and the regional summary).
#include <memory>

#include "common/server/hub_server.h"
#include "services/peerreview/adapter/peerreview_service.h"
#include "services/peerreview/demo_data.h"
#include "services/peerreview/store/migrations.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "peerreview";
  definition.grpc_service_name = slihub::peerreview::v1::PeerReviewService::service_full_name();
  definition.migrations = slihub::peerreview::PeerReviewMigrations();
  definition.make_service = [](const slihub::ServiceContext& context)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    return std::make_unique<slihub::peerreview::PeerReviewServiceImpl>(context);
  };
  definition.load_demo_data = slihub::peerreview::LoadPeerReviewDemoData;
  return slihub::RunServiceMain(definition, argc, argv);
}
