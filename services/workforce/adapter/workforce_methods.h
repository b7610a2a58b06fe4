// The WorkforceService method table: every RPC's name, roles and tenancy, declared once. Each
// handler passes its row to HandleUnary; workforce_methods_test checks the table against the
// service descriptor.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_METHODS_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_METHODS_H_

#include <vector>

#include "common/server/unary_call.h"

namespace slihub::workforce::methods {

// "slihub.workforce.v1.WorkforceService".
extern const char kServiceName[];

extern const MethodSpec kPublishRuleSet;
extern const MethodSpec kGetRuleSet;
extern const MethodSpec kListRuleSets;
extern const MethodSpec kRecordEmploymentPeriod;
extern const MethodSpec kBatchRecordEmploymentPeriods;
extern const MethodSpec kImportEmploymentPeriods;
extern const MethodSpec kRecordRegisterCheck;
extern const MethodSpec kCheckEngagement;
extern const MethodSpec kCreateEngagement;
extern const MethodSpec kGetEngagement;
extern const MethodSpec kListEngagements;
extern const MethodSpec kListEmploymentPeriods;
extern const MethodSpec kListRegisterChecks;
extern const MethodSpec kRequestException;
extern const MethodSpec kApproveException;
extern const MethodSpec kGetException;
extern const MethodSpec kUpdateEngagement;
extern const MethodSpec kEndEngagement;
extern const MethodSpec kRejectException;
extern const MethodSpec kListExceptions;
extern const MethodSpec kListCapBreaches;
extern const MethodSpec kPublishLaWorkforcePolicy;
extern const MethodSpec kGetLaWorkforcePolicy;
extern const MethodSpec kListLaWorkforcePolicies;
extern const MethodSpec kGetWorker;
extern const MethodSpec kListWorkers;
extern const MethodSpec kDeleteEmploymentPeriod;
extern const MethodSpec kGetQualifyingExperience;
extern const MethodSpec kLookupWorkerFacts;
extern const MethodSpec kGenerateQuarterlyReturn;
extern const MethodSpec kGetComplianceSummary;
extern const MethodSpec kLookupComplianceSummary;

// Every RPC of WorkforceService, each once.
const std::vector<const MethodSpec*>& All();

}  // namespace slihub::workforce::methods

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_METHODS_H_
