// slihub-peerreview: the peer review service of one regional hub.
// Its RPCs answer UNIMPLEMENTED until the peer review issue lands; the common runtime (health,
// reflection, diagnostics, reference data, identity, store, cache) is fully served.
#include <memory>

#include "common/server/hub_server.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "peerreview";
  definition.grpc_service_name = slihub::peerreview::v1::PeerReviewService::service_full_name();
  definition.make_service = [](const slihub::ServiceContext&)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    return std::make_unique<slihub::peerreview::v1::PeerReviewService::CallbackService>();
  };
  return slihub::RunServiceMain(definition, argc, argv);
}
