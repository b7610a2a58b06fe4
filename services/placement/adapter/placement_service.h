// The gRPC adapter of PlacementService: validation with field paths, role and LA/provider checks,
// proto <-> domain translation; the rules live in domain/ and the SQL in store/. Also runs the
// background sweep that expires lapsed holds (on its own thread, never on gRPC's).
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_PLACEMENT_SERVICE_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_PLACEMENT_SERVICE_H_

#include <memory>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/server/arena_message_allocator.h"
#include "common/server/service_context.h"
#include "services/placement/adapter/candidate_cache.h"
#include "services/placement/adapter/hub_forwarding.h"
#include "services/placement/adapter/peer_vacancies.h"
#include "services/placement/adapter/uasc_convert.h"
#include "services/placement/adapter/vacancy_watch.h"
#include "services/placement/client/placement_hub_connection.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/matching.h"
#include "services/placement/domain/postcode_districts.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/uasc_store.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"

namespace slihub::placement {

// The service's rule parameters (defaults as the issue states them). Plain data.
struct PlacementOptions {
  MatchConfig match;
  HoldPolicy holds;
  absl::Duration sweep_interval = absl::Seconds(1);  // how often lapsed holds are reclaimed
  double near_home_miles = 20;  // the "within N miles" threshold of the sufficiency figures
  WatchOptions watch;           // WatchVacancies (its stale_after follows match.stale_after)
  // Postcode district centroids: coordinates for locations given only as a district. Never null
  // once LoadPlacementOptions returned.
  std::shared_ptr<const PostcodeDistricts> districts;
};

// The districts file the service reads: postcode_districts.csv in --reference-data's directory.
std::string PostcodeDistrictsPath(const std::string& reference_data_path);

// The options with the rule parameters stored in `context`'s database (rule_parameters table)
// applied and the postcode districts loaded (PostcodeDistrictsPath); InvalidArgument naming the
// parameter when one is unknown or out of range, the file's error when the districts cannot be
// read (the service then refuses to start).
absl::StatusOr<PlacementOptions> LoadPlacementOptions(const ServiceContext& context);

// PlacementService handlers. Thread-safe. RPCs not overridden answer UNIMPLEMENTED.
class PlacementServiceImpl final : public v1::PlacementService::CallbackService {
 public:
  // Borrows `context`'s members, which must outlive this object; starts the expiry sweep. With
  // federation, `hubs` is how other regions' hubs are called (null: MakePlacementHubConnection
  // over context.federation) and the read model of their vacancies starts following them.
  PlacementServiceImpl(const ServiceContext& context, PlacementOptions options,
                       std::shared_ptr<PlacementHubConnection> hubs = nullptr);
  // Stops and joins the sweep.
  ~PlacementServiceImpl() override;

  grpc::ServerUnaryReactor* CreateProvider(grpc::CallbackServerContext* ctx,
                                           const v1::CreateProviderRequest* req,
                                           v1::CreateProviderResponse* resp) override;
  grpc::ServerUnaryReactor* GetProvider(grpc::CallbackServerContext* ctx,
                                        const v1::GetProviderRequest* req,
                                        v1::GetProviderResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateProvider(grpc::CallbackServerContext* ctx,
                                           const v1::UpdateProviderRequest* req,
                                           v1::UpdateProviderResponse* resp) override;
  grpc::ServerUnaryReactor* CreateSetting(grpc::CallbackServerContext* ctx,
                                          const v1::CreateSettingRequest* req,
                                          v1::CreateSettingResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateSetting(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateSettingRequest* req,
                                          v1::UpdateSettingResponse* resp) override;
  grpc::ServerUnaryReactor* GetSetting(grpc::CallbackServerContext* ctx,
                                       const v1::GetSettingRequest* req,
                                       v1::GetSettingResponse* resp) override;
  grpc::ServerUnaryReactor* PublishVacancy(grpc::CallbackServerContext* ctx,
                                           const v1::PublishVacancyRequest* req,
                                           v1::PublishVacancyResponse* resp) override;
  grpc::ServerUnaryReactor* GetVacancy(grpc::CallbackServerContext* ctx,
                                       const v1::GetVacancyRequest* req,
                                       v1::GetVacancyResponse* resp) override;
  grpc::ServerUnaryReactor* UpdateVacancy(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateVacancyRequest* req,
                                          v1::UpdateVacancyResponse* resp) override;
  grpc::ServerUnaryReactor* CreateReferral(grpc::CallbackServerContext* ctx,
                                           const v1::CreateReferralRequest* req,
                                           v1::CreateReferralResponse* resp) override;
  grpc::ServerUnaryReactor* GetReferral(grpc::CallbackServerContext* ctx,
                                        const v1::GetReferralRequest* req,
                                        v1::GetReferralResponse* resp) override;
  grpc::ServerUnaryReactor* MatchPlacements(grpc::CallbackServerContext* ctx,
                                            const v1::MatchPlacementsRequest* req,
                                            v1::MatchPlacementsResponse* resp) override;
  grpc::ServerUnaryReactor* ExplainExclusion(grpc::CallbackServerContext* ctx,
                                             const v1::ExplainExclusionRequest* req,
                                             v1::ExplainExclusionResponse* resp) override;
  grpc::ServerUnaryReactor* HoldVacancy(grpc::CallbackServerContext* ctx,
                                        const v1::HoldVacancyRequest* req,
                                        v1::HoldVacancyResponse* resp) override;
  grpc::ServerUnaryReactor* GetHold(grpc::CallbackServerContext* ctx, const v1::GetHoldRequest* req,
                                    v1::GetHoldResponse* resp) override;
  grpc::ServerUnaryReactor* ReleaseHold(grpc::CallbackServerContext* ctx,
                                        const v1::ReleaseHoldRequest* req,
                                        v1::ReleaseHoldResponse* resp) override;
  grpc::ServerUnaryReactor* ConfirmPlacement(grpc::CallbackServerContext* ctx,
                                             const v1::ConfirmPlacementRequest* req,
                                             v1::ConfirmPlacementResponse* resp) override;
  grpc::ServerUnaryReactor* ListVacancies(grpc::CallbackServerContext* ctx,
                                          const v1::ListVacanciesRequest* req,
                                          v1::ListVacanciesResponse* resp) override;
  grpc::ServerUnaryReactor* ConfirmVacancyAvailability(
      grpc::CallbackServerContext* ctx, const v1::ConfirmVacancyAvailabilityRequest* req,
      v1::ConfirmVacancyAvailabilityResponse* resp) override;
  grpc::ServerUnaryReactor* WithdrawVacancy(grpc::CallbackServerContext* ctx,
                                            const v1::WithdrawVacancyRequest* req,
                                            v1::WithdrawVacancyResponse* resp) override;
  grpc::ServerUnaryReactor* CloseReferral(grpc::CallbackServerContext* ctx,
                                          const v1::CloseReferralRequest* req,
                                          v1::CloseReferralResponse* resp) override;
  grpc::ServerUnaryReactor* GetPlacement(grpc::CallbackServerContext* ctx,
                                         const v1::GetPlacementRequest* req,
                                         v1::GetPlacementResponse* resp) override;
  grpc::ServerUnaryReactor* GetSufficiency(grpc::CallbackServerContext* ctx,
                                           const v1::GetSufficiencyRequest* req,
                                           v1::GetSufficiencyResponse* resp) override;

  grpc::ServerUnaryReactor* UpdateReferral(grpc::CallbackServerContext* ctx,
                                           const v1::UpdateReferralRequest* req,
                                           v1::UpdateReferralResponse* resp) override;

  // Lists (adapter/list_rpcs.cc).
  grpc::ServerUnaryReactor* ListProviders(grpc::CallbackServerContext* ctx,
                                          const v1::ListProvidersRequest* req,
                                          v1::ListProvidersResponse* resp) override;
  grpc::ServerUnaryReactor* ListSettings(grpc::CallbackServerContext* ctx,
                                         const v1::ListSettingsRequest* req,
                                         v1::ListSettingsResponse* resp) override;
  grpc::ServerUnaryReactor* ListReferrals(grpc::CallbackServerContext* ctx,
                                          const v1::ListReferralsRequest* req,
                                          v1::ListReferralsResponse* resp) override;
  grpc::ServerUnaryReactor* ListHolds(grpc::CallbackServerContext* ctx,
                                      const v1::ListHoldsRequest* req,
                                      v1::ListHoldsResponse* resp) override;
  grpc::ServerUnaryReactor* ListPlacements(grpc::CallbackServerContext* ctx,
                                           const v1::ListPlacementsRequest* req,
                                           v1::ListPlacementsResponse* resp) override;

  // Streams vacancy changes (adapter/vacancy_watch.cc does the streaming).
  grpc::ServerWriteReactor<v1::WatchVacanciesResponse>* WatchVacancies(
      grpc::CallbackServerContext* ctx, const v1::WatchVacanciesRequest* req) override;

  // UASC National Transfer Scheme (adapter/uasc_rpcs.cc).
  grpc::ServerUnaryReactor* PublishUascThresholdRule(
      grpc::CallbackServerContext* ctx, const v1::PublishUascThresholdRuleRequest* req,
      v1::PublishUascThresholdRuleResponse* resp) override;
  grpc::ServerUnaryReactor* ListUascThresholdRules(
      grpc::CallbackServerContext* ctx, const v1::ListUascThresholdRulesRequest* req,
      v1::ListUascThresholdRulesResponse* resp) override;
  grpc::ServerUnaryReactor* SubmitUascPopulation(grpc::CallbackServerContext* ctx,
                                                 const v1::SubmitUascPopulationRequest* req,
                                                 v1::SubmitUascPopulationResponse* resp) override;
  grpc::ServerUnaryReactor* GetUascStatus(grpc::CallbackServerContext* ctx,
                                          const v1::GetUascStatusRequest* req,
                                          v1::GetUascStatusResponse* resp) override;
  grpc::ServerUnaryReactor* GetUascRota(grpc::CallbackServerContext* ctx,
                                        const v1::GetUascRotaRequest* req,
                                        v1::GetUascRotaResponse* resp) override;
  grpc::ServerUnaryReactor* RecordUascTransfer(grpc::CallbackServerContext* ctx,
                                               const v1::RecordUascTransferRequest* req,
                                               v1::RecordUascTransferResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteUascTransfer(grpc::CallbackServerContext* ctx,
                                                 const v1::CompleteUascTransferRequest* req,
                                                 v1::CompleteUascTransferResponse* resp) override;
  grpc::ServerUnaryReactor* CancelUascTransfer(grpc::CallbackServerContext* ctx,
                                               const v1::CancelUascTransferRequest* req,
                                               v1::CancelUascTransferResponse* resp) override;
  grpc::ServerUnaryReactor* GetUascTransfer(grpc::CallbackServerContext* ctx,
                                            const v1::GetUascTransferRequest* req,
                                            v1::GetUascTransferResponse* resp) override;
  grpc::ServerUnaryReactor* ListUascTransfers(grpc::CallbackServerContext* ctx,
                                              const v1::ListUascTransfersRequest* req,
                                              v1::ListUascTransfersResponse* resp) override;

 private:
  void SweepLoop();
  // Federation (adapter/federation_rpcs.cc).
  // The region owning a record id ("SE-v-12" -> "SE") when it is another region of England with
  // its hold made there; empty for this hub's own ids, unprefixed ids or no federation.
  std::string ForeignOwner(const std::string& id) const;
  // An officer's hold on another region's vacancy: the referral (this hub's, the caller's LA,
  // open) is checked here, then the hold is asked of `owner`'s hub with this hub's token and the
  // placing LA, under a request id derived from the caller and its request id (a retry replays
  // there). The owner's answer or error is returned as it gave it; UNAVAILABLE (ErrorInfo
  // REGION_UNAVAILABLE) when no peer is configured for `owner` or it cannot be reached.
  absl::Status ForwardHold(const CallInfo& call, const std::string& owner,
                           const v1::HoldVacancyRequest& req, v1::HoldVacancyResponse* resp);
  // The release of a hold `owner`'s hub made for this hub (as ForwardHold).
  absl::Status ForwardRelease(const CallInfo& call, const std::string& owner,
                              const v1::ReleaseHoldRequest& req, v1::ReleaseHoldResponse* resp);
  // An officer's confirmation of a hold `owner`'s hub made for this hub (as ForwardHold): asked
  // of the owner, which confirms under its rules and marks its referral reference placed; then
  // recorded here (the referral PLACED with the owner's placement id, the peer hold with the
  // placement's facts and its distance from the child's home worked out here, the referral's other
  // holds here and at third regions' hubs released).
  absl::Status ForwardConfirm(const CallInfo& call, const std::string& owner,
                              const v1::ConfirmPlacementRequest& req,
                              v1::ConfirmPlacementResponse* resp);
  // After `referral_id` was closed by `call` (request `request_id`): releases its active holds at
  // other regions' hubs and records what became of each (see ReleasePeerHolds). Empty without
  // federation.
  std::vector<PeerReleaseOutcome> ReleaseHoldsElsewhere(const CallInfo& call,
                                                        const std::string& referral_id,
                                                        const std::string& request_id);
  // Records the ended holds of `outcomes` here (logging, never failing: a hold left recorded
  // active is retried by the next close and lapses at its owner anyway).
  void RecordPeerReleases(const std::vector<PeerReleaseOutcome>& outcomes);
  // For a NATIONAL answer: this region's outcome, then every other region's (from the read
  // model), and the key groups of `local` with those of every region whose copy is used, in
  // (region, host LA) order.
  std::vector<std::shared_ptr<const KeyGroup>> NationalGroups(
      const KeyIndex& local, absl::Time now, std::vector<federation::RegionOutcome>* outcomes);
  absl::Status CheckProviderWrite(store::Transaction& tx, const Principal& principal,
                                  const std::string& provider_id);
  // Who reads a setting or a vacancy (GetSetting, GetVacancy, and the lists alike): placement
  // officers, regional admins and services read every one of the hub (they match referrals
  // against all of them); a principal admitted only as a provider reads those of the providers
  // it is a member of, never a competitor's terms. PERMISSION_DENIED NOT_OWN_PROVIDER otherwise.
  absl::Status CheckProviderRead(store::Transaction& tx, const Principal& principal,
                                 const std::string& provider_id);
  // CheckProviderWrite for the provider of `vacancy_id`'s setting.
  absl::Status CheckVacancyWrite(store::Transaction& tx, const Principal& principal,
                                 const std::string& vacancy_id);
  absl::Status CheckLaAccess(const Principal& principal, const std::string& la_code) const;
  // `record` itself when the caller may act for its LA (CheckLaAccess), else the error.
  template <typename Record>
  absl::StatusOr<Record> OwnedByCaller(const Principal& principal,
                                       absl::StatusOr<Record> record) const {
    if (!record.ok()) return record;
    if (absl::Status allowed = CheckLaAccess(principal, record->la_code); !allowed.ok()) {
      return allowed;
    }
    return record;
  }
  std::string RegionOf(const std::string& la_code) const;
  // Narrows `q` to what the caller may list, with `la_filter` (may be empty) as the placing LA: a
  // regional admin its region's LAs, a placement officer its own LA, and (when
  // `providers_allowed`) a provider its own providers' vacancies. PERMISSION_DENIED for an LA
  // outside the caller's reach.
  absl::Status ScopeRecords(store::Transaction& tx, const Principal& principal,
                            const std::string& la_filter, bool providers_allowed, RecordQuery* q);
  // OK for a SERVICE principal or one of `region`'s hub; else PERMISSION_DENIED.
  absl::Status CheckRegionRead(const Principal& principal, const std::string& region) const;
  // The transfer when the caller may act for either of its LAs (CheckLaAccess), else the error.
  absl::StatusOr<UascTransferRecord> OwnedTransfer(store::Transaction& tx,
                                                   const Principal& principal,
                                                   const std::string& transfer_id);
  // The status of `la_code` on `as_of` from `inputs`; FAILED_PRECONDITION NO_THRESHOLD_RULE or
  // NO_FIGURES when it cannot be judged.
  absl::StatusOr<UascStatusView> UascStatusOf(const std::string& la_code, absl::CivilDay as_of,
                                              const UascInputs& inputs) const;

  // `status`, after expiring lapsed holds (in their own transaction) when it says the hold had
  // lapsed (HOLD_EXPIRED), so its bed is free at once rather than at the next sweep.
  absl::Status FreeLapsedHold(absl::Status status);
  // Records `vacancy_id` as `referral`'s top-ranked match (the sufficiency figures' matches),
  // writing only when it differs from what this process last recorded for the referral.
  void RememberTopMatch(const ReferralRecord& referral, const std::string& vacancy_id,
                        std::optional<double> distance_miles, absl::Time now);

  ServiceContext context_;
  PlacementOptions options_;
  PlacementStore store_;
  UascStore uasc_;
  CandidateCache candidates_;
  // MatchPlacements' request and its large response (a page of explained matches) on one arena.
  ArenaMessageAllocator<v1::MatchPlacementsRequest, v1::MatchPlacementsResponse> match_allocator_;
  std::unique_ptr<VacancyWatchHub> watch_;
  // How other regions' hubs are called (null without federation).
  std::shared_ptr<PlacementHubConnection> hubs_;
  // The read model of other regions' vacancies (null without federation).
  std::unique_ptr<PeerVacancies> peer_vacancies_;
  absl::Mutex top_mu_;
  // referral id -> (vacancy id, distance) last recorded as its top match.
  absl::flat_hash_map<std::string, std::pair<std::string, std::optional<double>>> top_matches_
      ABSL_GUARDED_BY(top_mu_);
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread sweeper_;
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_PLACEMENT_SERVICE_H_
