#include "services/placement/adapter/placement_methods.h"

#include "slihub/placement/v1/placement_service.grpc.pb.h"

namespace slihub::placement::methods {
namespace {

// "/slihub.placement.v1.PlacementService/<method>".
std::string Name(absl::string_view method) {
  return MethodName(v1::PlacementService::service_full_name(), method);
}

}  // namespace

// Every method serves only principals of this hub's region (Tenancy::kHubRegion): another
// region's admin, officer or provider is refused by the request layer (REGION_OUT_OF_SCOPE).
// The exceptions are federation's: WatchVacancies, HoldVacancy, ReleaseHold and ConfirmPlacement
// also admit other
// regions' hubs (Role::kHub, Tenancy::kPeerHubs).
// Roles: placement officers and regional admins work referrals, matches, holds and placements;
// providers (and LA officers for their LA's in-house provider) keep settings and vacancies; the
// register's reads are open to services too. UASC status, rota and threshold rules are read by
// any principal of the region (data officers included).
const MethodSpec kCreateProvider{
    Name("CreateProvider"),
    {Role::kRegionalAdmin, Role::kPlacementOfficer},
    Tenancy::kHubRegion, true, LaScope::kRequestLa, "NOT_OWN_LA",
    "an LA officer registers its own LA's in-house provider"};
const MethodSpec kGetProvider{
    Name("GetProvider"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kUpdateProvider{
    Name("UpdateProvider"),
    {Role::kRegionalAdmin, Role::kProvider},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA",
    "a provider updates its own record"};
const MethodSpec kCreateSetting{
    Name("CreateSetting"),
    {Role::kProvider, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA",
    "a provider (or the LA of an in-house provider) writes its own settings and vacancies"};
const MethodSpec kUpdateSetting{
    Name("UpdateSetting"),
    {Role::kProvider, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kGetSetting{
    Name("GetSetting"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kPublishVacancy{
    Name("PublishVacancy"),
    {Role::kProvider, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kGetVacancy{
    Name("GetVacancy"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kUpdateVacancy{
    Name("UpdateVacancy"),
    {Role::kProvider, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kCreateReferral{
    Name("CreateReferral"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa, "NOT_OWN_LA"};
const MethodSpec kGetReferral{
    Name("GetReferral"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kUpdateReferral{
    Name("UpdateReferral"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kMatchPlacements{
    Name("MatchPlacements"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA", "the referral's LA"};
const MethodSpec kExplainExclusion{
    Name("ExplainExclusion"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA", "the referral's LA"};
// The one write another region's hub may call: the hold its officer asks for on a vacancy this
// hub owns, made here under this hub's rules (the placing LA must be in the calling hub's region).
const MethodSpec kHoldVacancy{
    Name("HoldVacancy"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kRequestLa, "NOT_OWN_LA",
    "the placing LA; a peer hub holds for an LA of its own region only"};
const MethodSpec kGetHold{
    Name("GetHold"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
// Another region's hub releases the holds it made here (HoldVacancy) for its officers.
const MethodSpec kReleaseHold{
    Name("ReleaseHold"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kRecordLa, "NOT_OWN_LA",
    "a peer hub releases only the holds it made"};
// Another region's hub confirms the holds it made here (HoldVacancy) for its officers, on this
// hub's rules (the hold's LA must be of the calling hub's region).
const MethodSpec kConfirmPlacement{
    Name("ConfirmPlacement"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kRecordLa, "NOT_OWN_LA",
    "a peer hub confirms only the holds it made"};
const MethodSpec kGetSufficiency{Name("GetSufficiency"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kConfirmVacancyAvailability{
    Name("ConfirmVacancyAvailability"),
    {Role::kProvider, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kWithdrawVacancy{
    Name("WithdrawVacancy"),
    {Role::kProvider, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kCloseReferral{
    Name("CloseReferral"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kGetPlacement{
    Name("GetPlacement"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA"};
const MethodSpec kListVacancies{
    Name("ListVacancies"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kListReferrals{
    Name("ListReferrals"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kCallerLa, "NOT_OWN_LA"};
const MethodSpec kListHolds{
    Name("ListHolds"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kCallerLa, "NOT_OWN_LA"};
const MethodSpec kListPlacements{
    Name("ListPlacements"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kCallerLa, "NOT_OWN_LA"};
const MethodSpec kListProviders{
    Name("ListProviders"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kListSettings{
    Name("ListSettings"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kPublishUascThresholdRule{
    Name("PublishUascThresholdRule"),
    {Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kListUascThresholdRules{Name("ListUascThresholdRules"), {}, Tenancy::kHubRegion,
    true, LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kSubmitUascPopulation{
    Name("SubmitUascPopulation"),
    {Role::kDataOfficer, Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa, "NOT_OWN_LA"};
const MethodSpec kGetUascStatus{Name("GetUascStatus"), {}, Tenancy::kHubRegion, true,
    LaScope::kNone, "NOT_OWN_LA"};
const MethodSpec kGetUascRota{Name("GetUascRota"), {}, Tenancy::kHubRegion, true, LaScope::kNone,
    "NOT_OWN_LA"};
const MethodSpec kRecordUascTransfer{
    Name("RecordUascTransfer"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRequestLa, "NOT_OWN_LA", "the referring LA"};
const MethodSpec kCompleteUascTransfer{
    Name("CompleteUascTransfer"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA", "the referring or receiving LA"};
const MethodSpec kCancelUascTransfer{
    Name("CancelUascTransfer"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA", "the referring or receiving LA"};
const MethodSpec kGetUascTransfer{
    Name("GetUascTransfer"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin},
    Tenancy::kHubRegion, true, LaScope::kRecordLa, "NOT_OWN_LA", "the referring or receiving LA"};
const MethodSpec kListUascTransfers{
    Name("ListUascTransfers"),
    {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService},
    Tenancy::kHubRegion, true, LaScope::kCallerLa, "NOT_OWN_LA"};
// Other regions' hubs follow this stream for their read model of this hub's vacancies (national
// matching): Role::kHub through Tenancy::kPeerHubs.
const MethodSpec kWatchVacancies{
    Name("WatchVacancies"),
    {Role::kPlacementOfficer, Role::kProvider, Role::kRegionalAdmin, Role::kService, Role::kHub},
    Tenancy::kPeerHubs, true, LaScope::kNone, "NOT_OWN_LA",
    "vacancy facts only; a peer hub follows them for national matching"};

const std::vector<const MethodSpec*>& All() {
  static const std::vector<const MethodSpec*> kAll = {
      &kCreateProvider, &kGetProvider, &kUpdateProvider, &kCreateSetting, &kUpdateSetting,
      &kGetSetting, &kPublishVacancy, &kGetVacancy, &kUpdateVacancy, &kCreateReferral,
      &kGetReferral, &kUpdateReferral, &kMatchPlacements, &kExplainExclusion, &kHoldVacancy,
      &kGetHold, &kReleaseHold, &kConfirmPlacement, &kGetSufficiency, &kConfirmVacancyAvailability,
      &kWithdrawVacancy, &kCloseReferral, &kGetPlacement, &kListVacancies, &kListReferrals,
      &kListHolds, &kListPlacements, &kListProviders, &kListSettings, &kPublishUascThresholdRule,
      &kListUascThresholdRules, &kSubmitUascPopulation, &kGetUascStatus, &kGetUascRota,
      &kRecordUascTransfer, &kCompleteUascTransfer, &kCancelUascTransfer, &kGetUascTransfer,
      &kListUascTransfers, &kWatchVacancies
  };
  return kAll;
}

}  // namespace slihub::placement::methods
