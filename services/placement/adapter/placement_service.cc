#include "services/placement/adapter/placement_service.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/federation/federation.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "common/server/unary_call.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/adapter/placement_methods.h"
#include "services/placement/adapter/rpc_helpers.h"
#include "services/placement/domain/filter_key.h"
#include "services/placement/domain/rule_parameters.h"
#include "services/placement/domain/sufficiency.h"
#include "services/placement/store/transactions.h"

namespace slihub::placement {

std::string PostcodeDistrictsPath(const std::string& reference_data_path) {
  return (std::filesystem::path(reference_data_path).parent_path() / kPostcodeDistrictsFile)
      .string();
}

absl::StatusOr<PlacementOptions> LoadPlacementOptions(const ServiceContext& context) {
  const PlacementStore store(context.config->hub_region);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored = InReadTransaction(
      *context.database, [&](store::Transaction& tx) { return store.LoadRuleParameters(tx); });
  if (!stored.ok()) return stored.status();
  RuleParameters params;
  if (absl::Status applied = ApplyRuleParameters(*stored, &params); !applied.ok()) return applied;
  PlacementOptions options;
  const std::string districts_path = PostcodeDistrictsPath(context.config->reference_data);
  absl::StatusOr<std::unique_ptr<const PostcodeDistricts>> districts =
      PostcodeDistricts::LoadFromFile(districts_path);
  if (!districts.ok()) {
    return absl::Status(
        districts.status().code(),
        absl::StrCat("postcode districts (", districts_path, "): ", districts.status().message()));
  }
  options.districts = *std::move(districts);
  options.match = params.match;
  options.holds = params.holds;
  options.near_home_miles = params.match.near_home_miles;
  return options;
}

PlacementServiceImpl::PlacementServiceImpl(const ServiceContext& context, PlacementOptions options,
                                           std::shared_ptr<PlacementHubConnection> hubs)
    : context_(context),
      options_(std::move(options)),
      store_(context.config->hub_region),
      uasc_(context.config->hub_region),
      candidates_(context.database, &store_) {
  SetMessageAllocatorFor_MatchPlacements(&match_allocator_);
  WatchOptions watch = options_.watch;
  watch.stale_after = options_.match.stale_after;
  watch_ = std::make_unique<VacancyWatchHub>(context_.database, &store_, watch);
  if (context_.federation != nullptr) {
    hubs_ = hubs != nullptr ? std::move(hubs) : MakePlacementHubConnection(context_.federation);
    peer_vacancies_ =
        std::make_unique<PeerVacancies>(hubs_, context_.federation->other_regions());
  }
  sweeper_ = std::thread([this] { SweepLoop(); });
}

PlacementServiceImpl::~PlacementServiceImpl() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  sweeper_.join();
  peer_vacancies_.reset();
}

void PlacementServiceImpl::SweepLoop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.sweep_interval);
    if (stopping_) break;
    mu_.Unlock();
    absl::StatusOr<int> expired = InWriteTransaction(
        *context_.database,
        [&](store::Transaction& tx) { return store_.ExpireHolds(tx, absl::Now()); });
    if (!expired.ok()) {
      LogWarning("hold_expiry_failed").Str("error", expired.status().ToString());
    } else if (*expired > 0) {
      LogInfo("holds_expired").Int("count", *expired);
    }
    mu_.Lock();
  }
}

std::string PlacementServiceImpl::RegionOf(const std::string& la_code) const {
  const LocalAuthorityRecord* la = context_.reference_data->FindLocalAuthority(la_code);
  return la == nullptr ? "" : la->region_code;
}

absl::Status PlacementServiceImpl::CheckLaAccess(const Principal& principal,
                                                 const std::string& la_code) const {
  // Records of another region's LA held here (the references of holds its hub forwarded) are
  // that hub's to act on, never a local principal's.
  if (RegionOf(la_code) != context_.config->hub_region) {
    return Denied(absl::StrCat("LA ", la_code, " is another region's: its hub acts for it"),
                  "NOT_OWN_LA");
  }
  if (principal.HasRole(Role::kRegionalAdmin) && RegionOf(la_code) == principal.region_code) {
    return absl::OkStatus();
  }
  if (principal.HasRole(Role::kPlacementOfficer) && !principal.la_code.empty() &&
      principal.la_code == la_code) {
    return absl::OkStatus();
  }
  return Denied(absl::StrCat("the caller may not act for LA ", la_code), "NOT_OWN_LA");
}

absl::Status PlacementServiceImpl::CheckProviderWrite(store::Transaction& tx,
                                                      const Principal& principal,
                                                      const std::string& provider_id) {
  absl::StatusOr<ProviderRecord> provider = store_.GetProvider(tx, provider_id);
  if (!provider.ok()) return provider.status();
  if (principal.HasRole(Role::kRegionalAdmin)) return absl::OkStatus();
  if (principal.HasRole(Role::kProvider) &&
      std::find(provider->member_subjects.begin(), provider->member_subjects.end(),
                principal.subject) != provider->member_subjects.end()) {
    return absl::OkStatus();
  }
  if (principal.HasRole(Role::kPlacementOfficer) && !principal.la_code.empty() &&
      provider->kind == pb::PROVIDER_KIND_LOCAL_AUTHORITY &&
      provider->la_code == principal.la_code) {
    return absl::OkStatus();
  }
  return Denied(absl::StrCat("the caller does not act for provider ", provider_id),
                "NOT_OWN_PROVIDER");
}

absl::Status PlacementServiceImpl::CheckProviderRead(store::Transaction& tx,
                                                     const Principal& principal,
                                                     const std::string& provider_id) {
  if (principal.HasAnyRole({Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService})) {
    return absl::OkStatus();
  }
  absl::StatusOr<ProviderRecord> provider = store_.GetProvider(tx, provider_id);
  if (!provider.ok()) return provider.status();
  if (std::find(provider->member_subjects.begin(), provider->member_subjects.end(),
                principal.subject) != provider->member_subjects.end()) {
    return absl::OkStatus();
  }
  return Denied("a provider reads only its own settings and vacancies", "NOT_OWN_PROVIDER");
}

absl::Status PlacementServiceImpl::CheckVacancyWrite(store::Transaction& tx,
                                                     const Principal& principal,
                                                     const std::string& vacancy_id) {
  absl::StatusOr<VacancyRecord> vacancy = store_.GetVacancy(tx, vacancy_id);
  if (!vacancy.ok()) return vacancy.status();
  absl::StatusOr<SettingRecord> setting = store_.GetSetting(tx, vacancy->facts.setting_id);
  if (!setting.ok()) return setting.status();
  return CheckProviderWrite(tx, principal, setting->facts.provider_id);
}

absl::Status PlacementServiceImpl::FreeLapsedHold(absl::Status status) {
  const std::vector<PreconditionViolation> why = GetPreconditionViolations(status);
  if (why.empty() || why[0].type != "HOLD_EXPIRED") return status;
  absl::StatusOr<int> expired = InWriteTransaction(*context_.database, [&](store::Transaction& tx) {
    return store_.ExpireHolds(tx, absl::Now());
  });
  if (!expired.ok()) {
    LogWarning("hold_expiry_failed").Str("error", expired.status().ToString());
  }
  return status;
}

void PlacementServiceImpl::RememberTopMatch(const ReferralRecord& referral,
                                            const std::string& vacancy_id,
                                            std::optional<double> distance_miles, absl::Time now) {
  {
    absl::MutexLock lock(&top_mu_);
    auto it = top_matches_.find(referral.referral_id);
    if (it != top_matches_.end() && it->second == std::make_pair(vacancy_id, distance_miles)) {
      return;  // already recorded: a repeated match writes nothing
    }
  }
  absl::Status recorded =
      context_.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
        return store_.RecordTopMatch(tx, referral.referral_id, referral.la_code, vacancy_id,
                                     distance_miles, now);
      });
  if (!recorded.ok()) {
    // The match itself stands; the figure is retried on the referral's next match.
    LogWarning("top_match_not_recorded").Str("error", recorded.ToString());
    return;
  }
  absl::MutexLock lock(&top_mu_);
  top_matches_[referral.referral_id] = {vacancy_id, distance_miles};
}

}  // namespace slihub::placement
