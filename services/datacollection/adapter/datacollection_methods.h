// The data collection service's method table: every RPC of DataCollectionService with its roles
// and tenancy, declared once (common/server/unary_call.h's MethodSpec).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_DATACOLLECTION_METHODS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_DATACOLLECTION_METHODS_H_

#include <vector>

#include "common/server/unary_call.h"

namespace slihub::datacollection::methods {

extern const MethodSpec kCreateIndicator;
extern const MethodSpec kUpdateIndicator;
extern const MethodSpec kGetIndicator;
extern const MethodSpec kListIndicators;
extern const MethodSpec kCreateCollection;
extern const MethodSpec kUpdateCollection;
extern const MethodSpec kGetCollection;
extern const MethodSpec kListCollections;
extern const MethodSpec kCreateCollectionPeriod;
extern const MethodSpec kUpdateCollectionPeriod;
extern const MethodSpec kPublishPeriod;
extern const MethodSpec kGetCollectionPeriod;
extern const MethodSpec kListCollectionPeriods;
extern const MethodSpec kSubmitReturn;
extern const MethodSpec kGetReturn;
extern const MethodSpec kListReturns;
extern const MethodSpec kListReturnVersions;
extern const MethodSpec kGetSubmissionStatus;
extern const MethodSpec kImportReturnsCsv;
extern const MethodSpec kExportValuesCsv;
extern const MethodSpec kQueryValues;
extern const MethodSpec kGetBenchmark;
extern const MethodSpec kExportBenchmark;
extern const MethodSpec kGetPublishedAggregates;

// Every RPC of the service, in the proto's order.
const std::vector<const MethodSpec*>& All();

}  // namespace slihub::datacollection::methods

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_DATACOLLECTION_METHODS_H_
