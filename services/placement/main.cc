// slihub-placement: the placement service of one regional hub (settings, vacancies, referrals,
// explained matching, holds and placements, the UASC transfer rota).
#include <memory>

#include "common/server/hub_server.h"
#include "services/placement/adapter/placement_service.h"
#include "services/placement/demo_data.h"
#include "services/placement/store/migrations.h"

int main(int argc, char** argv) {
  slihub::ServiceDefinition definition;
  definition.name = "placement";
  definition.grpc_service_name = slihub::placement::v1::PlacementService::service_full_name();
  definition.migrations = slihub::placement::PlacementMigrations();
  definition.make_service = [](const slihub::ServiceContext& context)
      -> absl::StatusOr<std::unique_ptr<grpc::Service>> {
    absl::StatusOr<slihub::placement::PlacementOptions> options =
        slihub::placement::LoadPlacementOptions(context);
    if (!options.ok()) return options.status();
    return std::make_unique<slihub::placement::PlacementServiceImpl>(context, *std::move(options));
  };
  definition.load_demo_data = [](const slihub::ServiceContext& context) -> absl::Status {
    auto districts = slihub::placement::PostcodeDistricts::LoadFromFile(
        slihub::placement::PostcodeDistrictsPath(context.config->reference_data));
    if (!districts.ok()) return districts.status();
    auto la_districts = slihub::placement::LargestDistrictOfEachLa(
        slihub::placement::PostcodeDistrictsPath(context.config->reference_data));
    if (!la_districts.ok()) return la_districts.status();
    absl::Status loaded = slihub::placement::LoadDemoData(
        *context.database, **districts, *context.reference_data, *la_districts,
        context.config->hub_region);
    if (!loaded.ok()) return loaded;
    return slihub::placement::LoadUascDemoData(*context.database, *context.reference_data,
                                               context.config->hub_region);
  };
  return slihub::RunServiceMain(definition, argc, argv);
}
