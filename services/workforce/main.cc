// slihub-workforce: the workforce service of one regional hub.
// Its RPCs answer UNIMPLEMENTED until the workforce issue lands; the common runtime (health,
// reflection, diagnostics, reference data, identity, store, cache) is fully served.
#include <memory>

#include "common/server/hub_server.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "workforce";
  definition.grpc_service_name = slihub::workforce::v1::WorkforceService::service_full_name();
  definition.make_service = [](const slihub::ServiceContext&)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    return std::make_unique<slihub::workforce::v1::WorkforceService::CallbackService>();
  };
  return slihub::RunServiceMain(definition, argc, argv);
}
