#include "services/workforce/adapter/workforce_methods.h"

namespace slihub::workforce::methods {

const char kServiceName[] = "slihub.workforce.v1.WorkforceService";

// Every method serves principals of this hub's region only (Tenancy::kHubRegion): the hub
// answers from its own register, and until federation defines how one hub identifies itself to
// another, a principal of another region has no business checking engagements, reading workers
// or summaries here. The one exception is marked where it is declared.
const MethodSpec kPublishRuleSet{
    MethodName(kServiceName, "PublishRuleSet"), {Role::kRegionalAdmin}, Tenancy::kHubRegion, true,
    LaScope::kNone};
// kAnyRegion: a published rule set is the region's public caps and limits (the regional
// memorandum), not register data; any region's principal may read what this hub publishes.
const MethodSpec kGetRuleSet{MethodName(kServiceName, "GetRuleSet"), {}, Tenancy::kAnyRegion, true,
    LaScope::kNone};
const MethodSpec kListRuleSets{MethodName(kServiceName, "ListRuleSets"), {}, Tenancy::kAnyRegion,
    true, LaScope::kNone};
const MethodSpec kRecordEmploymentPeriod{
    MethodName(kServiceName, "RecordEmploymentPeriod"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kBatchRecordEmploymentPeriods{
    MethodName(kServiceName, "BatchRecordEmploymentPeriods"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRowLa};
const MethodSpec kImportEmploymentPeriods{
    MethodName(kServiceName, "ImportEmploymentPeriods"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRowLa};
const MethodSpec kRecordRegisterCheck{
    MethodName(kServiceName, "RecordRegisterCheck"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "recorded as the caller's LA's check (the hub's for region-wide callers)"};
const MethodSpec kCheckEngagement{
    MethodName(kServiceName, "CheckEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kCreateEngagement{
    MethodName(kServiceName, "CreateEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kGetEngagement{
    MethodName(kServiceName, "GetEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa};
const MethodSpec kListEngagements{
    MethodName(kServiceName, "ListEngagements"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kCallerLa};
const MethodSpec kListEmploymentPeriods{
    MethodName(kServiceName, "ListEmploymentPeriods"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "a worker's periods across the region's LAs (cooling off and experience need them)"};
const MethodSpec kListRegisterChecks{
    MethodName(kServiceName, "ListRegisterChecks"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "a worker's Social Work England register checks: regional register facts"};
const MethodSpec kRequestException{
    MethodName(kServiceName, "RequestException"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kApproveException{
    MethodName(kServiceName, "ApproveException"),
    {Role::kDcs, Role::kChiefExecutive},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "LA_OUT_OF_SCOPE",
    "signed in the capacity the approver holds (dcs or chief_executive) of the exception's LA"};
const MethodSpec kGetException{
    MethodName(kServiceName, "GetException"),
    {Role::kHrOfficer, Role::kDcs, Role::kChiefExecutive, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa};
const MethodSpec kUpdateEngagement{
    MethodName(kServiceName, "UpdateEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa};
const MethodSpec kEndEngagement{
    MethodName(kServiceName, "EndEngagement"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa};
const MethodSpec kRejectException{
    MethodName(kServiceName, "RejectException"),
    {Role::kDcs, Role::kChiefExecutive},
    Tenancy::kHubRegion, true, LaScope::kRecordLa};
const MethodSpec kListExceptions{
    MethodName(kServiceName, "ListExceptions"),
    {Role::kHrOfficer, Role::kDcs, Role::kChiefExecutive, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kCallerLa};
const MethodSpec kListCapBreaches{
    MethodName(kServiceName, "ListCapBreaches"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kCallerLa};
const MethodSpec kPublishLaWorkforcePolicy{
    MethodName(kServiceName, "PublishLaWorkforcePolicy"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kGetLaWorkforcePolicy{
    MethodName(kServiceName, "GetLaWorkforcePolicy"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "an LA's published policy is the region's to read"};
const MethodSpec kListLaWorkforcePolicies{
    MethodName(kServiceName, "ListLaWorkforcePolicies"),
    {Role::kHrOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone};
const MethodSpec kGetWorker{
    MethodName(kServiceName, "GetWorker"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "the regional register: a worker's periods across the region's LAs"};
const MethodSpec kListWorkers{
    MethodName(kServiceName, "ListWorkers"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kCallerLa};
const MethodSpec kDeleteEmploymentPeriod{
    MethodName(kServiceName, "DeleteEmploymentPeriod"),
    {Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kGetQualifyingExperience{
    MethodName(kServiceName, "GetQualifyingExperience"),
    {Role::kService, Role::kHrOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone};
// kPeerHubs: federation's lookup. Other regions' hubs (role hub) read the facts their national
// checks need; this region's admin and services may read the same. Read-only.
const MethodSpec kLookupWorkerFacts{
    MethodName(kServiceName, "LookupWorkerFacts"),
    {Role::kRegionalAdmin, Role::kService, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "national checks' facts only, read-only"};
const MethodSpec kGenerateQuarterlyReturn{
    MethodName(kServiceName, "GenerateQuarterlyReturn"),
    {Role::kHrOfficer, Role::kDataOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa};
const MethodSpec kGetComplianceSummary{
    MethodName(kServiceName, "GetComplianceSummary"),
    {Role::kRegionalAdmin, Role::kReader, Role::kService, Role::kHrOfficer},
    Tenancy::kHubRegion, true, LaScope::kCallerLa, "LA_OUT_OF_SCOPE",
    "an hr_officer sees its own LA; region-wide callers and readers the region"};
// kPeerHubs: federation's aggregates lookup for other regions' NATIONAL compliance summaries
// (per-LA figures and the region total, no worker identities). Read-only.
const MethodSpec kLookupComplianceSummary{
    MethodName(kServiceName, "LookupComplianceSummary"),
    {Role::kRegionalAdmin, Role::kService, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kNone, "LA_OUT_OF_SCOPE",
    "per-LA aggregates, no worker identities"};

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
