// slihub-workforce: the workforce service of one regional hub. Rule sets, LA workforce
// policies, workers, employment history, register checks, qualifying experience,
// CheckEngagement, the engagement register (create, get, list, update, end), exceptions
// (request, approve, reject, get, list), cap breaches, the quarterly return and the compliance
// summary are served, and employment history streams in through ImportEmploymentPeriods. The
// common runtime (health, reflection, diagnostics, reference data, identity, store, cache) is
// served in full. What is already stored is checked at start-up (stored_data_repair.h) first.
#include <memory>

#include "common/server/hub_server.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/demo_data.h"
#include "services/workforce/store/stored_data_repair.h"
#include "services/workforce/store/workforce_store.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "workforce";
  definition.grpc_service_name = slihub::workforce::v1::WorkforceService::service_full_name();
  definition.migrations = slihub::workforce::WorkforceMigrations();
  definition.make_service = [](const slihub::ServiceContext& context)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    // What is already stored is checked, and repaired or quarantined, before anything is served.
    absl::Status checked = slihub::workforce::CheckStoredData(*context.database);
    if (!checked.ok()) return checked;
    return std::make_unique<slihub::workforce::WorkforceServiceImpl>(context);
  };
  definition.load_demo_data = slihub::workforce::LoadWorkforceDemoData;
  return slihub::RunServiceMain(definition, argc, argv);
}
