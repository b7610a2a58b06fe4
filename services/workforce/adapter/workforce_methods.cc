#include "services/workforce/adapter/workforce_methods.h"

namespace slihub::workforce::methods {

const char kServiceName[] = "slihub.workforce.v1.WorkforceService";

// Every method serves principals of this hub's region only (Tenancy::kHubRegion): the hub
// answers from its own register, and until federation defines how one hub identifies itself to
// another, a principal of another region has no business checking engagements, reading workers
// or summaries here. The one exception is marked where it is declared.
const MethodSpec kPublishRuleSet{
    MethodName(kServiceName, "PublishRuleSet"), {Role::kRegionalAdmin}, Tenancy::kHubRegion};
// kAnyRegion: a published rule set is the region's public caps and limits (the regional
// memorandum), not register data; any region's principal may read what this hub publishes.
const MethodSpec kGetRuleSet{MethodName(kServiceName, "GetRuleSet"), {}, Tenancy::kAnyRegion};
const MethodSpec kListRuleSets{MethodName(kServiceName, "ListRuleSets"), {}, Tenancy::kAnyRegion};
const MethodSpec kRecordEmploymentPeriod{
    MethodName(kServiceName, "RecordEmploymentPeriod"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kBatchRecordEmploymentPeriods{
    MethodName(kServiceName, "BatchRecordEmploymentPeriods"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kImportEmploymentPeriods{
    MethodName(kServiceName, "ImportEmploymentPeriods"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kRecordRegisterCheck{
    MethodName(kServiceName, "RecordRegisterCheck"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion};
const MethodSpec kCheckEngagement{
    MethodName(kServiceName, "CheckEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion};
const MethodSpec kCreateEngagement{
    MethodName(kServiceName, "CreateEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kGetEngagement{
    MethodName(kServiceName, "GetEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kListEngagements{
    MethodName(kServiceName, "ListEngagements"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kListEmploymentPeriods{
    MethodName(kServiceName, "ListEmploymentPeriods"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kListRegisterChecks{
    MethodName(kServiceName, "ListRegisterChecks"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kRequestException{
    MethodName(kServiceName, "RequestException"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kApproveException{
    MethodName(kServiceName, "ApproveException"),
    {Role::kDcs, Role::kChiefExecutive},
    Tenancy::kHubRegion};
const MethodSpec kGetException{
    MethodName(kServiceName, "GetException"),
    {Role::kHrOfficer, Role::kDcs, Role::kChiefExecutive, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kUpdateEngagement{
    MethodName(kServiceName, "UpdateEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kEndEngagement{
    MethodName(kServiceName, "EndEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kRejectException{
    MethodName(kServiceName, "RejectException"),
    {Role::kDcs, Role::kChiefExecutive},
    Tenancy::kHubRegion};
const MethodSpec kListExceptions{
    MethodName(kServiceName, "ListExceptions"),
    {Role::kHrOfficer, Role::kDcs, Role::kChiefExecutive, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kListCapBreaches{
    MethodName(kServiceName, "ListCapBreaches"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion};
const MethodSpec kPublishLaWorkforcePolicy{
    MethodName(kServiceName, "PublishLaWorkforcePolicy"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kGetLaWorkforcePolicy{
    MethodName(kServiceName, "GetLaWorkforcePolicy"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion};
const MethodSpec kListLaWorkforcePolicies{
    MethodName(kServiceName, "ListLaWorkforcePolicies"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion};
const MethodSpec kGetWorker{
    MethodName(kServiceName, "GetWorker"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kListWorkers{
    MethodName(kServiceName, "ListWorkers"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kDeleteEmploymentPeriod{
    MethodName(kServiceName, "DeleteEmploymentPeriod"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kGetQualifyingExperience{
    MethodName(kServiceName, "GetQualifyingExperience"),
    {Role::kService, Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
// kPeerHubs: federation's lookup. Other regions' hubs (role hub) read the facts their national
// checks need; this region's admin and services may read the same. Read-only.
const MethodSpec kLookupWorkerFacts{
    MethodName(kServiceName, "LookupWorkerFacts"),
    {Role::kRegionalAdmin, Role::kService, Role::kHub},
    Tenancy::kPeerHubs};
const MethodSpec kGenerateQuarterlyReturn{
    MethodName(kServiceName, "GenerateQuarterlyReturn"),
    {Role::kHrOfficer, Role::kDataOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion};
const MethodSpec kGetComplianceSummary{
    MethodName(kServiceName, "GetComplianceSummary"),
    {Role::kRegionalAdmin, Role::kReader, Role::kService, Role::kHrOfficer},
    Tenancy::kHubRegion};
// kPeerHubs: federation's aggregates lookup for other regions' NATIONAL compliance summaries
// (per-LA figures and the region total, no worker identities). Read-only.
const MethodSpec kLookupComplianceSummary{
    MethodName(kServiceName, "LookupComplianceSummary"),
    {Role::kRegionalAdmin, Role::kService, Role::kHub},
    Tenancy::kPeerHubs};

const std::vector<const MethodSpec*>& All() {
  static const std::vector<const MethodSpec*> all = {
      &kPublishRuleSet,
      &kGetRuleSet,
      &kListRuleSets,
      &kRecordEmploymentPeriod,
      &kBatchRecordEmploymentPeriods,
      &kImportEmploymentPeriods,
      &kRecordRegisterCheck,
      &kCheckEngagement,
      &kCreateEngagement,
      &kGetEngagement,
      &kListEngagements,
      &kListEmploymentPeriods,
      &kListRegisterChecks,
      &kRequestException,
      &kApproveException,
      &kGetException,
      &kUpdateEngagement,
      &kEndEngagement,
      &kRejectException,
      &kListExceptions,
      &kListCapBreaches,
      &kPublishLaWorkforcePolicy,
      &kGetLaWorkforcePolicy,
      &kListLaWorkforcePolicies,
      &kGetWorker,
      &kListWorkers,
      &kDeleteEmploymentPeriod,
      &kGetQualifyingExperience,
      &kLookupWorkerFacts,
      &kGenerateQuarterlyReturn,
      &kGetComplianceSummary,
      &kLookupComplianceSummary,
  };
  return all;
}

}  // namespace slihub::workforce::methods
