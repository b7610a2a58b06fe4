// slihub-datacollection: the data collection service of one regional hub (the indicator catalogue,
// collections and periods, returns with validation and versions, submission tracking, the tartan rug).
#include <memory>

#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/server/hub_server.h"
#include "services/datacollection/adapter/datacollection_service.h"
#include "services/datacollection/demo_data.h"
#include "services/datacollection/store/repository.h"
#include "services/datacollection/store/text_repair.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "datacollection";
  definition.grpc_service_name = slihub::datacollection::v1::DataCollectionService::service_full_name();
  definition.migrations = slihub::datacollection::DataCollectionMigrations();
  definition.make_service = [](const slihub::ServiceContext& context)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    // Text stored before every text was checked is repaired before anything is served.
    absl::Status repaired = context.database->Run(
        slihub::store::TxMode::kWrite, [](slihub::store::Transaction& tx) -> absl::Status {
          auto count = slihub::datacollection::RepairStoredText(tx, absl::Now());
          if (!count.ok()) return count.status();
          if (*count > 0) {
            slihub::LogWarning("stored_text_repaired").Int("values", *count);
          }
          return absl::OkStatus();
        });
    if (!repaired.ok()) return repaired;
    return std::make_unique<slihub::datacollection::DataCollectionServiceImpl>(context);
  };
  definition.raw_methods = {"/slihub.datacollection.v1.DataCollectionService/GetBenchmark"};
  definition.load_demo_data = [](const slihub::ServiceContext& context) {
    return slihub::datacollection::LoadDemoData(*context.database, *context.reference_data,
                                                context.config->hub_region, absl::Now());
  };
  return slihub::RunServiceMain(definition, argc, argv);
}
