#include "services/datacollection/adapter/datacollection_methods.h"

#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::datacollection::methods {
namespace {

std::string Name(const char* method) {
  return MethodName(slihub::datacollection::v1::DataCollectionService::service_full_name(), method);
}

}  // namespace

// Roles: the catalogue, collections, periods, status and the rug are read by any principal of the
// region; returns are written and read by data officers (own LA), the service identity and the
// regional admin; figures are queried by readers too (what they see: figure_access.h).
const MethodSpec kCreateIndicator{Name("CreateIndicator"), {Role::kRegionalAdmin}};
const MethodSpec kUpdateIndicator{Name("UpdateIndicator"), {Role::kRegionalAdmin}};
const MethodSpec kGetIndicator{Name("GetIndicator"), {}};
const MethodSpec kListIndicators{Name("ListIndicators"), {}};
const MethodSpec kCreateCollection{Name("CreateCollection"), {Role::kRegionalAdmin}};
const MethodSpec kUpdateCollection{Name("UpdateCollection"), {Role::kRegionalAdmin}};
const MethodSpec kGetCollection{Name("GetCollection"), {}};
const MethodSpec kListCollections{Name("ListCollections"), {}};
const MethodSpec kCreateCollectionPeriod{Name("CreateCollectionPeriod"), {Role::kRegionalAdmin}};
const MethodSpec kUpdateCollectionPeriod{Name("UpdateCollectionPeriod"), {Role::kRegionalAdmin}};
const MethodSpec kPublishPeriod{Name("PublishPeriod"), {Role::kRegionalAdmin}};
const MethodSpec kGetCollectionPeriod{Name("GetCollectionPeriod"), {}};
const MethodSpec kListCollectionPeriods{Name("ListCollectionPeriods"), {}};
const MethodSpec kSubmitReturn{Name("SubmitReturn"),
                               {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kGetReturn{Name("GetReturn"),
                            {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kListReturns{Name("ListReturns"),
                              {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kListReturnVersions{Name("ListReturnVersions"),
                                     {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kGetSubmissionStatus{Name("GetSubmissionStatus"), {}};
const MethodSpec kImportReturnsCsv{Name("ImportReturnsCsv"),
                                   {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kExportValuesCsv{
    Name("ExportValuesCsv"),
    {Role::kReader, Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kQueryValues{
    Name("QueryValues"), {Role::kReader, Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}};
const MethodSpec kGetBenchmark{Name("GetBenchmark"), {}};
const MethodSpec kExportBenchmark{Name("ExportBenchmark"), {}};
// A lookup other regions' hubs make (federation): published aggregates only.
const MethodSpec kGetPublishedAggregates{
    Name("GetPublishedAggregates"),
    {Role::kReader, Role::kDataOfficer, Role::kService, Role::kRegionalAdmin, Role::kHub},
    Tenancy::kPeerHubs};

const std::vector<const MethodSpec*>& All() {
  static const auto* all = new std::vector<const MethodSpec*>{&kCreateIndicator,
                                                              &kUpdateIndicator,
                                                              &kGetIndicator,
                                                              &kListIndicators,
                                                              &kCreateCollection,
                                                              &kUpdateCollection,
                                                              &kGetCollection,
                                                              &kListCollections,
                                                              &kCreateCollectionPeriod,
                                                              &kUpdateCollectionPeriod,
                                                              &kPublishPeriod,
                                                              &kGetCollectionPeriod,
                                                              &kListCollectionPeriods,
                                                              &kSubmitReturn,
                                                              &kGetReturn,
                                                              &kListReturns,
                                                              &kListReturnVersions,
                                                              &kGetSubmissionStatus,
                                                              &kImportReturnsCsv,
                                                              &kExportValuesCsv,
                                                              &kQueryValues,
                                                              &kGetBenchmark,
                                                              &kExportBenchmark,
                                                              &kGetPublishedAggregates};
  return *all;
}

}  // namespace slihub::datacollection::methods
