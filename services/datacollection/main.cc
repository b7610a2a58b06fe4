// slihub-datacollection: the data collection service of one regional hub.
// Its RPCs answer UNIMPLEMENTED until the data collection issue lands; the common runtime (health,
// reflection, diagnostics, reference data, identity, store, cache) is fully served.
#include <memory>

#include "common/server/hub_server.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "datacollection";
  definition.grpc_service_name = slihub::datacollection::v1::DataCollectionService::service_full_name();
  definition.make_service = [](const slihub::ServiceContext&)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    return std::make_unique<slihub::datacollection::v1::DataCollectionService::CallbackService>();
  };
  return slihub::RunServiceMain(definition, argc, argv);
}
