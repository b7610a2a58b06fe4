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
const MethodSpec kCreateIndicator{Name("CreateIndicator"), {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kUpdateIndicator{Name("UpdateIndicator"), {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kGetIndicator{Name("GetIndicator"), {}, Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kListIndicators{Name("ListIndicators"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone};
const MethodSpec kCreateCollection{Name("CreateCollection"), {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kUpdateCollection{Name("UpdateCollection"), {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kGetCollection{Name("GetCollection"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone};
const MethodSpec kListCollections{Name("ListCollections"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone};
const MethodSpec kCreateCollectionPeriod{Name("CreateCollectionPeriod"), {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kUpdateCollectionPeriod{Name("UpdateCollectionPeriod"), {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kPublishPeriod{Name("PublishPeriod"), {Role::kRegionalAdmin}, Tenancy::kHubRegion,
    true, LaScope::kNone};
const MethodSpec kGetCollectionPeriod{Name("GetCollectionPeriod"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone};
const MethodSpec kListCollectionPeriods{Name("ListCollectionPeriods"), {}, Tenancy::kHubRegion,
    true, LaScope::kNone};
const MethodSpec kSubmitReturn{Name("SubmitReturn"),
                               {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kGetReturn{Name("GetReturn"),
                            {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kListReturns{Name("ListReturns"),
                              {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kFiltered};
const MethodSpec kListReturnVersions{Name("ListReturnVersions"),
                                     {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kGetSubmissionStatus{Name("GetSubmissionStatus"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone, "LA_OUT_OF_SCOPE", "which LAs of the region submitted, and when; no figures"};
const MethodSpec kImportReturnsCsv{Name("ImportReturnsCsv"),
                                   {Role::kDataOfficer, Role::kService, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa, "LA_OUT_OF_SCOPE",
    "every row's LA; an LA role imports its own LA's rows only"};
const MethodSpec kExportValuesCsv{
    Name("ExportValuesCsv"),
    {Role::kReader, Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}, Tenancy::kHubRegion,
    true, LaScope::kPublished};
const MethodSpec kQueryValues{
    Name("QueryValues"), {Role::kReader, Role::kDataOfficer, Role::kService, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kPublished};
const MethodSpec kGetBenchmark{Name("GetBenchmark"), {}, Tenancy::kHubRegion, true,
    LaScope::kPublished};
const MethodSpec kExportBenchmark{Name("ExportBenchmark"), {}, Tenancy::kHubRegion, true,
    LaScope::kPublished};
// A lookup other regions' hubs make (federation): published aggregates only.
const MethodSpec kGetPublishedAggregates{
    Name("GetPublishedAggregates"),
    {Role::kReader, Role::kDataOfficer, Role::kService, Role::kRegionalAdmin, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kNone, "LA_OUT_OF_SCOPE", "published periods' figures only"};

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
