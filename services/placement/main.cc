// slihub-placement: the placement service of one regional hub.
// Its RPCs answer UNIMPLEMENTED until the placement issue lands; the common runtime (health,
// reflection, diagnostics, reference data, identity, store, cache) is fully served.
#include <memory>

#include "common/server/hub_server.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "placement";
  definition.grpc_service_name = slihub::placement::v1::PlacementService::service_full_name();
  definition.make_service = [](const slihub::ServiceContext&)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    return std::make_unique<slihub::placement::v1::PlacementService::CallbackService>();
  };
  return slihub::RunServiceMain(definition, argc, argv);
}
