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
namespace {

Scope ScopeFromProto(common::v1::RegionScope scope) {
  switch (scope) {
    case common::v1::REGION_SCOPE_OWN_LA:
      return Scope::kOwnLa;
    case common::v1::REGION_SCOPE_NATIONAL:
      return Scope::kNational;
    default:
      return Scope::kOwnRegion;
  }
}

void CheckScope(int scope, const std::string& field, FieldViolations* v) {
  if (!common::v1::RegionScope_IsValid(scope)) v->Add(field, "unknown scope");
}

// The candidate's vacancy and setting, without audit or setting version, into `out`.
void FillCandidate(const Candidate& c, absl::Time now, absl::Duration stale_after, pb::Match* out) {
  FillVacancy(VacancyRecord{c.vacancy, "", c.setting.region, c.setting.host_la, {}}, now,
              stale_after, out->mutable_vacancy());
  out->mutable_vacancy()->clear_audit();
  SettingRecord setting;
  setting.facts = c.setting;
  FillSetting(setting, out->mutable_setting());
  out->mutable_setting()->clear_audit();
  out->mutable_setting()->clear_version();
}

google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

void FillDistances(const DistanceSummary& d, pb::DistanceFigures* out) {
  out->set_count(d.count);
  out->set_distance_unknown(d.distance_unknown);
  out->set_median_distance_miles(d.median_miles);
  out->set_share_within_threshold_bp(d.share_within_bp);
  out->set_near_threshold_miles(d.threshold_miles);
}

void FillFigures(const AreaFigures& a, pb::SufficiencyFigures* out) {
  if (!a.la_code.empty()) out->mutable_la_code()->set_value(a.la_code);
  out->mutable_region()->set_value(a.region);
  for (const auto& [key, tally] : a.vacancies) {
    pb::VacancyCount* c = out->add_vacancies();
    c->set_placement_type(static_cast<pb::PlacementType>(key.first));
    c->set_ofsted_grade(static_cast<pb::OfstedGrade>(key.second));
    c->set_vacancies(tally.vacancies);
    c->set_beds_free(tally.beds_free);
    c->set_stale(tally.stale);
  }
  out->set_open_referrals(a.open_referrals);
  out->set_open_vacancies(a.open_vacancies);
  FillDistances(a.matches, out->mutable_matches());
  FillDistances(a.placements, out->mutable_placements());
  if (a.median_time_to_confirmation.has_value()) {
    *out->mutable_median_time_to_confirmation() = ToProtoDuration(*a.median_time_to_confirmation);
  }
  if (a.p90_time_to_confirmation.has_value()) {
    *out->mutable_p90_time_to_confirmation() = ToProtoDuration(*a.p90_time_to_confirmation);
  }
}

}  // namespace

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

PlacementServiceImpl::PlacementServiceImpl(const ServiceContext& context, PlacementOptions options)
    : context_(context),
      options_(std::move(options)),
      store_(context.config->hub_region),
      uasc_(context.config->hub_region),
      candidates_(context.database, &store_) {
  SetMessageAllocatorFor_MatchPlacements(&match_allocator_);
  WatchOptions watch = options_.watch;
  watch.stale_after = options_.match.stale_after;
  watch_ = std::make_unique<VacancyWatchHub>(context_.database, &store_, watch);
  sweeper_ = std::thread([this] { SweepLoop(); });
}

PlacementServiceImpl::~PlacementServiceImpl() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  sweeper_.join();
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

grpc::ServerUnaryReactor* PlacementServiceImpl::CreateProvider(grpc::CallbackServerContext* ctx,
                                                               const v1::CreateProviderRequest* req,
                                                               v1::CreateProviderResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kCreateProvider,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        ProviderRecord draft =
            ProviderFromProto(req->provider(), *context_.reference_data, "provider", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              const Principal& p = call.principal();
              if (!p.HasRole(Role::kRegionalAdmin) &&
                  (draft.kind != pb::PROVIDER_KIND_LOCAL_AUTHORITY || draft.la_code != p.la_code)) {
                return Denied("a placement officer registers only its own LA's in-house provider",
                              "NOT_OWN_LA");
              }
              absl::StatusOr<ProviderRecord> made =
                  store_.CreateProvider(tx, draft, Writer(call, req->request_id()));
              if (!made.ok()) return made.status();
              *resp->mutable_provider() = ToProto(*made);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetProvider(grpc::CallbackServerContext* ctx,
                                                            const v1::GetProviderRequest* req,
                                                            v1::GetProviderResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kGetProvider,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckId(req->provider_id(), "provider_id", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<ProviderRecord> p = store_.GetProvider(tx, req->provider_id());
              if (!p.ok()) return p.status();
              const Principal& who = call.principal();
              if (!who.HasAnyRole(
                      {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService}) &&
                  std::find(p->member_subjects.begin(), p->member_subjects.end(), who.subject) ==
                      p->member_subjects.end()) {
                return Denied("the caller does not act for this provider", "NOT_OWN_PROVIDER");
              }
              *resp->mutable_provider() = ToProto(*p);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::UpdateProvider(grpc::CallbackServerContext* ctx,
                                                               const v1::UpdateProviderRequest* req,
                                                               v1::UpdateProviderResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kUpdateProvider,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckVersionedWrite(req->request_id(), req->provider().provider_id(),
                            "provider.provider_id", req->provider().version(), "provider.version",
                            &v);
        ProviderRecord next =
            ProviderFromProto(req->provider(), *context_.reference_data, "provider", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              next.provider_id = req->provider().provider_id();
              next.version = req->provider().version();
              absl::StatusOr<ProviderRecord> current = store_.GetProvider(tx, next.provider_id);
              if (!current.ok()) return current.status();
              const Principal& who = call.principal();
              if (!who.HasRole(Role::kRegionalAdmin)) {
                if (absl::Status allowed = CheckProviderWrite(tx, who, next.provider_id);
                    !allowed.ok()) {
                  return allowed;
                }
                if (next.member_subjects != current->member_subjects) {
                  return Denied("a provider may not change its own members", "MEMBERS_READ_ONLY");
                }
              }
              absl::StatusOr<ProviderRecord> updated =
                  store_.UpdateProvider(tx, next, Writer(call, req->request_id()));
              if (!updated.ok()) return updated.status();
              *resp->mutable_provider() = ToProto(*updated);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::CreateSetting(grpc::CallbackServerContext* ctx,
                                                              const v1::CreateSettingRequest* req,
                                                              v1::CreateSettingResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kCreateSetting,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        SettingRecord draft = SettingFromProto(req->setting(), *context_.reference_data,
                                               *options_.districts, "setting", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               absl::Status allowed = CheckProviderWrite(tx, call.principal(),
                                                                         draft.facts.provider_id);
                               if (!allowed.ok()) return allowed;
                               absl::StatusOr<SettingRecord> made =
                                   store_.CreateSetting(tx, draft, Writer(call, req->request_id()));
                               if (!made.ok()) return made.status();
                               *resp->mutable_setting() = ToProto(*made);
                               return absl::OkStatus();
                             });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::UpdateSetting(grpc::CallbackServerContext* ctx,
                                                              const v1::UpdateSettingRequest* req,
                                                              v1::UpdateSettingResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kUpdateSetting,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckVersionedWrite(req->request_id(), req->setting().setting_id(), "setting.setting_id",
                            req->setting().version(), "setting.version", &v);
        SettingRecord next = SettingFromProto(req->setting(), *context_.reference_data,
                                              *options_.districts, "setting", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               next.facts.setting_id = req->setting().setting_id();
                               next.version = req->setting().version();
                               absl::StatusOr<SettingRecord> current =
                                   store_.GetSetting(tx, next.facts.setting_id);
                               if (!current.ok()) return current.status();
                               if (next.facts.provider_id != current->facts.provider_id) {
                                 v.Add("setting.provider_id", "a setting keeps its provider");
                                 return v.ToStatus();
                               }
                               absl::Status allowed = CheckProviderWrite(
                                   tx, call.principal(), current->facts.provider_id);
                               if (!allowed.ok()) return allowed;
                               absl::StatusOr<SettingRecord> updated =
                                   store_.UpdateSetting(tx, next, Writer(call, req->request_id()));
                               if (!updated.ok()) return updated.status();
                               *resp->mutable_setting() = ToProto(*updated);
                               return absl::OkStatus();
                             });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetSetting(grpc::CallbackServerContext* ctx,
                                                           const v1::GetSettingRequest* req,
                                                           v1::GetSettingResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kGetSetting,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckId(req->setting_id(), "setting_id", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<SettingRecord> s = store_.GetSetting(tx, req->setting_id());
              if (!s.ok()) return s.status();
              absl::Status allowed = CheckProviderRead(tx, call.principal(), s->facts.provider_id);
              if (!allowed.ok()) return allowed;
              *resp->mutable_setting() = ToProto(*s);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::PublishVacancy(grpc::CallbackServerContext* ctx,
                                                               const v1::PublishVacancyRequest* req,
                                                               v1::PublishVacancyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kPublishVacancy,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        CheckId(req->vacancy().setting_id(), "vacancy.setting_id", &v);
        CheckId(req->vacancy().record_id(), "vacancy.record_id", &v);
        VacancyRecord draft = VacancyTermsFromProto(req->vacancy(), "vacancy", &v);
        draft.facts.last_confirmed_at = ReadConfirmTime(
            req->vacancy().last_confirmed_at(), req->vacancy().has_last_confirmed_at(), absl::Now(),
            "vacancy.last_confirmed_at", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               absl::StatusOr<SettingRecord> setting =
                                   store_.GetSetting(tx, draft.facts.setting_id);
                               if (!setting.ok()) return setting.status();
                               absl::Status allowed = CheckProviderWrite(
                                   tx, call.principal(), setting->facts.provider_id);
                               if (!allowed.ok()) return allowed;
                               const WriteContext w = Writer(call, req->request_id());
                               auto published = store_.PublishVacancy(tx, draft, w);
                               if (!published.ok()) return published.status();
                               *resp->mutable_vacancy() =
                                   ToProto(published->first, w.now, options_.match.stale_after);
                               resp->set_created(published->second);
                               return absl::OkStatus();
                             });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetVacancy(grpc::CallbackServerContext* ctx,
                                                           const v1::GetVacancyRequest* req,
                                                           v1::GetVacancyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kGetVacancy,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckId(req->vacancy_id(), "vacancy_id", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<VacancyRecord> vac = store_.GetVacancy(tx, req->vacancy_id());
              if (!vac.ok()) return vac.status();
              absl::StatusOr<SettingRecord> setting = store_.GetSetting(tx, vac->facts.setting_id);
              if (!setting.ok()) return setting.status();
              absl::Status allowed =
                  CheckProviderRead(tx, call.principal(), setting->facts.provider_id);
              if (!allowed.ok()) return allowed;
              *resp->mutable_vacancy() = ToProto(*vac, absl::Now(), options_.match.stale_after);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::UpdateVacancy(grpc::CallbackServerContext* ctx,
                                                              const v1::UpdateVacancyRequest* req,
                                                              v1::UpdateVacancyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kUpdateVacancy,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckVersionedWrite(req->request_id(), req->vacancy().vacancy_id(), "vacancy.vacancy_id",
                            req->vacancy().version(), "vacancy.version", &v);
        VacancyRecord terms = VacancyTermsFromProto(req->vacancy(), "vacancy", &v);
        terms.facts.last_confirmed_at = ReadConfirmTime(
            req->vacancy().last_confirmed_at(), req->vacancy().has_last_confirmed_at(), absl::Now(),
            "vacancy.last_confirmed_at", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<VacancyRecord> current = store_.GetVacancy(tx, terms.facts.vacancy_id);
              if (!current.ok()) return current.status();
              absl::StatusOr<SettingRecord> setting =
                  store_.GetSetting(tx, current->facts.setting_id);
              if (!setting.ok()) return setting.status();
              absl::Status allowed =
                  CheckProviderWrite(tx, call.principal(), setting->facts.provider_id);
              if (!allowed.ok()) return allowed;
              const WriteContext w = Writer(call, req->request_id());
              absl::StatusOr<VacancyRecord> updated = store_.UpdateVacancy(tx, terms, w);
              if (!updated.ok()) return updated.status();
              *resp->mutable_vacancy() = ToProto(*updated, w.now, options_.match.stale_after);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::CreateReferral(grpc::CallbackServerContext* ctx,
                                                               const v1::CreateReferralRequest* req,
                                                               v1::CreateReferralResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kCreateReferral,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        ReferralRecord draft;
        draft.la_code = req->referral().la_code().value();
        if (context_.reference_data->FindLocalAuthority(draft.la_code) == nullptr) {
          v.Add("referral.la_code.value", "required: a known LA code");
        }
        ProfileFromProto(req->referral().profile(), *options_.districts, "referral.profile", &v,
                         &draft.profile, &draft.extras);
        draft.constraints =
            ConstraintsFromProto(req->referral().constraints(), "referral.constraints", &v);
        CheckDistanceLimit(draft.profile, draft.constraints, "referral.constraints", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               absl::Status allowed =
                                   CheckLaAccess(call.principal(), draft.la_code);
                               if (!allowed.ok()) return allowed;
                               absl::StatusOr<ReferralRecord> made = store_.CreateReferral(
                                   tx, draft, Writer(call, req->request_id()));
                               if (!made.ok()) return made.status();
                               *resp->mutable_referral() = ToProto(*made);
                               return absl::OkStatus();
                             });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetReferral(grpc::CallbackServerContext* ctx,
                                                            const v1::GetReferralRequest* req,
                                                            v1::GetReferralResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kGetReferral,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckId(req->referral_id(), "referral_id", &v);
                       if (!v.empty()) return v.ToStatus();
                       return context_.database->Run(
                           store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<ReferralRecord> r = OwnedByCaller(
                                 call.principal(), store_.GetReferral(tx, req->referral_id()));
                             if (!r.ok()) return r.status();
                             *resp->mutable_referral() = ToProto(*r);
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::UpdateReferral(grpc::CallbackServerContext* ctx,
                                                               const v1::UpdateReferralRequest* req,
                                                               v1::UpdateReferralResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kUpdateReferral,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckVersionedWrite(req->request_id(), req->referral_id(), "referral_id", req->version(),
                            "version", &v);
        ReferralRecord next;
        ProfileFromProto(req->profile(), *options_.districts, "profile", &v, &next.profile,
                         &next.extras);
        next.constraints = ConstraintsFromProto(req->constraints(), "constraints", &v);
        CheckDistanceLimit(next.profile, next.constraints, "constraints", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               absl::StatusOr<ReferralRecord> current = OwnedByCaller(
                                   call.principal(), store_.GetReferral(tx, req->referral_id()));
                               if (!current.ok()) return current.status();
                               absl::StatusOr<ReferralRecord> updated =
                                   store_.UpdateReferral(tx, req->referral_id(), req->version(),
                                                         next, Writer(call, req->request_id()));
                               if (!updated.ok()) return updated.status();
                               *resp->mutable_referral() = ToProto(*updated);
                               return absl::OkStatus();
                             });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::MatchPlacements(
    grpc::CallbackServerContext* ctx, const v1::MatchPlacementsRequest* req,
    v1::MatchPlacementsResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kMatchPlacements,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckId(req->referral_id(), "referral_id", &v);
        CheckScope(req->scope(), "scope", &v);
        const int page_size = ResolvePageSize(req->page().page_size(), "page.page_size", &v);
        const std::string list = "match:" + req->referral_id();
        const std::string key =
            DecodePageToken(list, req->page().page_token(), "page.page_token", &v);
        size_t offset = 0;
        if (!key.empty() && !absl::SimpleAtoi(key, &offset)) v.Add("page.page_token", "malformed");
        if (!v.empty()) return v.ToStatus();
        // The referral in its own read; the candidates come from the cache, which reads the
        // store's changes in its own.
        absl::StatusOr<ReferralRecord> referral = OwnedByCaller(
            call.principal(), InReadTransaction(*context_.database, [&](store::Transaction& tx) {
              return store_.GetReferral(tx, req->referral_id());
            }));
        if (!referral.ok()) return referral.status();
        if (referral->state != kReferralOpen) {
          return FailedPreconditionError("the referral is not open",
                                         {{"REFERRAL_NOT_OPEN", "referral/" + referral->referral_id,
                                           "only open referrals are matched"}});
        }
        MatchRequest request{referral->la_code, RegionOf(referral->la_code), referral->profile,
                             referral->constraints, ScopeFromProto(req->scope())};
        absl::StatusOr<std::shared_ptr<const CandidateSnapshot>> snapshot = candidates_.Current();
        if (!snapshot.ok()) return snapshot.status();
        const KeyIndex& index = (*snapshot)->index;
        const absl::Time now = absl::Now();
        // Only the matches up to this page's end are kept and explained.
        const size_t page_end = offset > std::numeric_limits<size_t>::max() - page_size
                                    ? std::numeric_limits<size_t>::max()
                                    : offset + static_cast<size_t>(page_size);
        MatchOutcome outcome = MatchByKeys(request, index, now, options_.match, page_end, page_end);
        if (offset == 0 && !outcome.matches.empty()) {
          const ScoredMatch& top = outcome.matches.front();
          RememberTopMatch(*referral, top.vacancy_id, top.distance_miles, now);
        }
        const size_t end = std::min(outcome.matches.size(), page_end);
        for (size_t i = offset; i < end; ++i) {
          const ScoredMatch& m = outcome.matches[i];
          const Candidate& c = index.candidate(m.candidate_index);
          pb::Match* out = resp->add_matches();
          FillMatch(m, c, out);
          FillCandidate(c, now, options_.match.stale_after, out);
        }
        if (end < outcome.matched) {
          resp->mutable_page()->set_next_page_token(EncodePageToken(list, absl::StrCat(end)));
        }
        resp->mutable_page()->set_total_size(static_cast<int64_t>(outcome.matched));
        resp->set_candidates(outcome.candidates);
        for (int f = 1; f <= kFilterCount; ++f) {
          if (outcome.excluded_by[f - 1] == 0) continue;
          pb::FilterExclusionCount* e = resp->add_exclusions();
          e->set_filter(static_cast<pb::MatchFilter>(f));
          e->set_excluded(outcome.excluded_by[f - 1]);
        }
        for (int c = 1; c <= kComponentCount; ++c) {
          pb::ComponentWeight* w = resp->add_weights();
          w->set_kind(static_cast<pb::ScoreComponentKind>(c));
          w->set_weight(options_.match.weights[c - 1]);
        }
        *resp->mutable_evaluate_time() = ToProtoTimestamp(now);
        common::v1::FederationInfo* fed = resp->mutable_federation();
        fed->set_scope(req->scope() == common::v1::REGION_SCOPE_UNSPECIFIED
                           ? common::v1::REGION_SCOPE_OWN_REGION
                           : req->scope());
        common::v1::RegionAnswer* answer = fed->add_regions();
        answer->mutable_region()->set_value(context_.config->hub_region);
        answer->set_state(common::v1::REGION_ANSWER_STATE_FRESH);
        *answer->mutable_as_of() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ExplainExclusion(
    grpc::CallbackServerContext* ctx, const v1::ExplainExclusionRequest* req,
    v1::ExplainExclusionResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kExplainExclusion,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckId(req->referral_id(), "referral_id", &v);
        CheckId(req->vacancy_id(), "vacancy_id", &v);
        CheckScope(req->scope(), "scope", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<ReferralRecord> referral =
                  OwnedByCaller(call.principal(), store_.GetReferral(tx, req->referral_id()));
              if (!referral.ok()) return referral.status();
              absl::StatusOr<Candidate> target = store_.LoadCandidate(tx, req->vacancy_id());
              if (!target.ok()) return target.status();
              MatchRequest request{referral->la_code, RegionOf(referral->la_code),
                                   referral->profile, referral->constraints,
                                   ScopeFromProto(req->scope())};
              absl::StatusOr<std::vector<Candidate>> candidates =
                  store_.LoadCandidates(tx, request.scope, request.la_code, request.region);
              if (!candidates.ok()) return candidates.status();
              size_t index = candidates->size();
              for (size_t i = 0; i < candidates->size(); ++i) {
                if ((*candidates)[i].vacancy.vacancy_id == req->vacancy_id()) index = i;
              }
              if (index == candidates->size()) candidates->push_back(*target);
              const absl::Time now = absl::Now();
              const Explanation e = Explain(request, *candidates, index, now, options_.match);
              resp->set_excluded(e.excluded);
              for (const FilterVerdict& f : e.filters) *resp->add_filters() = ToProto(f);
              if (e.match.has_value()) {
                const Candidate& c = (*candidates)[index];
                FillMatch(*e.match, c, resp->mutable_match());
                FillCandidate(c, now, options_.match.stale_after, resp->mutable_match());
              }
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::HoldVacancy(grpc::CallbackServerContext* ctx,
                                                            const v1::HoldVacancyRequest* req,
                                                            v1::HoldVacancyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kHoldVacancy,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        CheckId(req->vacancy_id(), "vacancy_id", &v);
        CheckId(req->referral_id(), "referral_id", &v);
        if (req->expected_vacancy_version() < 0) {
          v.Add("expected_vacancy_version", "must not be negative (0 skips the check)");
        }
        absl::Duration duration = options_.holds.max_duration;
        absl::StatusOr<absl::Duration> requested = FromProtoDuration(req->duration());
        if (!requested.ok()) {
          v.Add("duration", std::string(requested.status().message()));
        } else {
          absl::StatusOr<absl::Duration> resolved = ResolveHoldDuration(*requested, options_.holds);
          if (!resolved.ok()) {
            v.Add("duration", std::string(resolved.status().message()));
          } else {
            duration = *resolved;
          }
        }
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               absl::StatusOr<ReferralRecord> referral = OwnedByCaller(
                                   call.principal(), store_.GetReferral(tx, req->referral_id()));
                               if (!referral.ok()) return referral.status();
                               const WriteContext w = Writer(call, req->request_id());
                               absl::StatusOr<HoldChange> held =
                                   store_.HoldVacancy(tx, req->vacancy_id(), req->referral_id(),
                                                      req->expected_vacancy_version(), duration, w);
                               if (!held.ok()) return held.status();
                               *resp->mutable_hold() = ToProto(held->hold);
                               *resp->mutable_vacancy() =
                                   ToProto(held->vacancy, w.now, options_.match.stale_after);
                               return absl::OkStatus();
                             });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetHold(grpc::CallbackServerContext* ctx,
                                                        const v1::GetHoldRequest* req,
                                                        v1::GetHoldResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kGetHold,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckId(req->hold_id(), "hold_id", &v);
                       if (!v.empty()) return v.ToStatus();
                       return context_.database->Run(
                           store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<HoldRecord> h = OwnedByCaller(
                                 call.principal(), store_.GetHold(tx, req->hold_id()));
                             if (!h.ok()) return h.status();
                             *resp->mutable_hold() = ToProto(*h);
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ReleaseHold(grpc::CallbackServerContext* ctx,
                                                            const v1::ReleaseHoldRequest* req,
                                                            v1::ReleaseHoldResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kReleaseHold,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckRequestId(req->request_id(), "request_id", &v);
                       CheckId(req->hold_id(), "hold_id", &v);
                       if (req->version() < 1)
                         v.Add("version", "required: the hold version last seen");
                       CheckText(req->reason(), "reason", TextRule{500, true, false}, &v);
                       if (!v.empty()) return v.ToStatus();
                       return FreeLapsedHold(RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<HoldRecord> h = OwnedByCaller(
                                 call.principal(), store_.GetHold(tx, req->hold_id()));
                             if (!h.ok()) return h.status();
                             const WriteContext w = Writer(call, req->request_id());
                             absl::StatusOr<HoldChange> released = store_.ReleaseHold(
                                 tx, req->hold_id(), req->version(), req->reason(), w);
                             if (!released.ok()) return released.status();
                             *resp->mutable_hold() = ToProto(released->hold);
                             *resp->mutable_vacancy() =
                                 ToProto(released->vacancy, w.now, options_.match.stale_after);
                             return absl::OkStatus();
                           }));
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ConfirmPlacement(
    grpc::CallbackServerContext* ctx, const v1::ConfirmPlacementRequest* req,
    v1::ConfirmPlacementResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kConfirmPlacement,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckRequestId(req->request_id(), "request_id", &v);
                       CheckId(req->hold_id(), "hold_id", &v);
                       if (req->version() < 1)
                         v.Add("version", "required: the hold version last seen");
                       const std::optional<absl::CivilDay> start_date =
                           ReadDate(req->start_date(), req->has_start_date(), "start_date", &v);
                       if (!v.empty()) return v.ToStatus();
                       const absl::CivilDay start = *start_date;
                       return FreeLapsedHold(RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<HoldRecord> h = OwnedByCaller(
                                 call.principal(), store_.GetHold(tx, req->hold_id()));
                             if (!h.ok()) return h.status();
                             const WriteContext w = Writer(call, req->request_id());
                             absl::StatusOr<HoldChange> placed = store_.ConfirmPlacement(
                                 tx, req->hold_id(), req->version(), start, w);
                             if (!placed.ok()) return placed.status();
                             *resp->mutable_hold() = ToProto(placed->hold);
                             *resp->mutable_vacancy() =
                                 ToProto(placed->vacancy, w.now, options_.match.stale_after);
                             if (placed->placement.has_value())
                               *resp->mutable_placement() = ToProto(*placed->placement);
                             return absl::OkStatus();
                           }));
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetSufficiency(grpc::CallbackServerContext* ctx,
                                                               const v1::GetSufficiencyRequest* req,
                                                               v1::GetSufficiencyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kGetSufficiency,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckScope(req->scope(), "scope", &v);
        const std::optional<absl::CivilDay> start =
            DateFromProto(req->period_start(), "period_start", &v);
        const std::optional<absl::CivilDay> end =
            DateFromProto(req->period_end(), "period_end", &v);
        const Principal& who = call.principal();
        const common::v1::RegionScope scope = req->scope() == common::v1::REGION_SCOPE_UNSPECIFIED
                                                  ? common::v1::REGION_SCOPE_OWN_REGION
                                                  : req->scope();
        std::vector<std::pair<std::string, std::string>> las;
        if (scope == common::v1::REGION_SCOPE_OWN_LA) {
          const std::string la =
              req->la_code().value().empty() ? who.la_code : req->la_code().value();
          const LocalAuthorityRecord* record = context_.reference_data->FindLocalAuthority(la);
          if (record == nullptr) {
            v.Add("la_code.value", "required for OWN_LA: a known LA code (the caller has none)");
          } else {
            las.emplace_back(record->la_code, record->region_code);
          }
        } else {
          std::vector<const RegionRecord*> regions;
          if (scope == common::v1::REGION_SCOPE_NATIONAL) {
            for (const RegionRecord& r : context_.reference_data->regions()) regions.push_back(&r);
          } else {
            const std::string code =
                req->region().value().empty() ? who.region_code : req->region().value();
            const RegionRecord* r = context_.reference_data->FindRegion(code);
            if (r == nullptr) {
              v.Add("region.value", "not a known region");
            } else {
              regions.push_back(r);
            }
          }
          for (const RegionRecord* r : regions) {
            for (const std::string& la : r->la_codes) las.emplace_back(la, r->code);
          }
        }
        const absl::Time now = absl::Now();
        const absl::CivilDay period_end = end.value_or(absl::ToCivilDay(now, absl::UTCTimeZone()));
        const absl::CivilDay period_start = start.value_or(AddMonthsClamped(period_end, -12));
        if (start.has_value() && end.has_value() && *start > *end) {
          v.Add("period_start", "must not be after period_end");
        }
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<SufficiencyData> data =
                  store_.LoadSufficiencyData(tx, absl::FromCivil(period_start, absl::UTCTimeZone()),
                                             absl::FromCivil(period_end + 1, absl::UTCTimeZone()),
                                             now, options_.match.stale_after);
              if (!data.ok()) return data.status();
              auto [la_figures, region_figures] =
                  ComputeSufficiency(las, data->stock, data->open_referrals_by_la,
                                     data->top_matches, data->placements, options_.near_home_miles);
              for (const AreaFigures& a : la_figures) FillFigures(a, resp->add_la_figures());
              if (scope != common::v1::REGION_SCOPE_OWN_LA) {
                for (const AreaFigures& a : region_figures)
                  FillFigures(a, resp->add_region_figures());
              }
              common::v1::FederationInfo* fed = resp->mutable_federation();
              fed->set_scope(scope);
              common::v1::RegionAnswer* answer = fed->add_regions();
              answer->mutable_region()->set_value(context_.config->hub_region);
              answer->set_state(common::v1::REGION_ANSWER_STATE_FRESH);
              *answer->mutable_as_of() = ToProtoTimestamp(now);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ConfirmVacancyAvailability(
    grpc::CallbackServerContext* ctx, const v1::ConfirmVacancyAvailabilityRequest* req,
    v1::ConfirmVacancyAvailabilityResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kConfirmVacancyAvailability,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        CheckId(req->vacancy_id(), "vacancy_id", &v);
        if (req->version() < 0)
          v.Add("version", "must not be negative (0 confirms what is stored)");
        const absl::Time confirm_time = ReadConfirmTime(
            req->confirm_time(), req->has_confirm_time(), absl::Now(), "confirm_time", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              absl::Status allowed = CheckVacancyWrite(tx, call.principal(), req->vacancy_id());
              if (!allowed.ok()) return allowed;
              const WriteContext w = Writer(call, req->request_id());
              absl::StatusOr<VacancyRecord> confirmed =
                  store_.ConfirmVacancy(tx, req->vacancy_id(), req->version(), w, confirm_time);
              if (!confirmed.ok()) return confirmed.status();
              *resp->mutable_vacancy() = ToProto(*confirmed, w.now, options_.match.stale_after);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::WithdrawVacancy(
    grpc::CallbackServerContext* ctx, const v1::WithdrawVacancyRequest* req,
    v1::WithdrawVacancyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kWithdrawVacancy,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        CheckId(req->vacancy_id(), "vacancy_id", &v);
        if (req->version() < 1) v.Add("version", "required: the version last seen");
        CheckText(req->reason(), "reason", TextRule{500, true, false}, &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              absl::Status allowed = CheckVacancyWrite(tx, call.principal(), req->vacancy_id());
              if (!allowed.ok()) return allowed;
              const WriteContext w = Writer(call, req->request_id());
              absl::StatusOr<VacancyRecord> withdrawn =
                  store_.WithdrawVacancy(tx, req->vacancy_id(), req->version(), w);
              if (!withdrawn.ok()) return withdrawn.status();
              *resp->mutable_vacancy() = ToProto(*withdrawn, w.now, options_.match.stale_after);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::CloseReferral(grpc::CallbackServerContext* ctx,
                                                              const v1::CloseReferralRequest* req,
                                                              v1::CloseReferralResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kCloseReferral,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckVersionedWrite(req->request_id(), req->referral_id(), "referral_id",
                                           req->version(), "version", &v);
                       if (req->reason() == pb::CLOSE_REASON_UNSPECIFIED ||
                           !pb::CloseReason_IsValid(req->reason())) {
                         v.Add("reason", "required: a known close reason");
                       }
                       if (!v.empty()) return v.ToStatus();
                       return RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<ReferralRecord> referral = OwnedByCaller(
                                 call.principal(), store_.GetReferral(tx, req->referral_id()));
                             if (!referral.ok()) return referral.status();
                             absl::StatusOr<ReferralRecord> closed = store_.CloseReferral(
                                 tx, req->referral_id(), req->version(), req->reason(),
                                 Writer(call, req->request_id()));
                             if (!closed.ok()) return closed.status();
                             *resp->mutable_referral() = ToProto(*closed);
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetPlacement(grpc::CallbackServerContext* ctx,
                                                             const v1::GetPlacementRequest* req,
                                                             v1::GetPlacementResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kGetPlacement,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckId(req->placement_id(), "placement_id", &v);
                       if (!v.empty()) return v.ToStatus();
                       return context_.database->Run(
                           store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<PlacementRecord> p = OwnedByCaller(
                                 call.principal(), store_.GetPlacement(tx, req->placement_id()));
                             if (!p.ok()) return p.status();
                             *resp->mutable_placement() = ToProto(*p);
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListVacancies(grpc::CallbackServerContext* ctx,
                                                              const v1::ListVacanciesRequest* req,
                                                              v1::ListVacanciesResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListVacancies,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        VacancyQuery q;
        q.setting_id = req->setting_id();
        q.provider_id = req->provider_id();
        q.host_la = req->host_la().value();
        if (!q.host_la.empty() &&
            context_.reference_data->FindLocalAuthority(q.host_la) == nullptr) {
          v.Add("host_la.value", "not a known LA code");
        }
        for (int i = 0; i < req->placement_types_size(); ++i) {
          if (req->placement_types(i) < 1 || req->placement_types(i) > kMaxPlacementType) {
            v.Add(absl::StrCat("placement_types[", i, "]"), "unknown placement type");
          } else {
            q.placement_types.push_back(req->placement_types(i));
          }
        }
        for (int i = 0; i < req->states_size(); ++i) {
          if (req->states(i) < pb::VACANCY_STATE_OPEN ||
              req->states(i) > pb::VACANCY_STATE_WITHDRAWN) {
            v.Add(absl::StrCat("states[", i, "]"), "unknown vacancy state");
          } else {
            q.states.push_back(req->states(i));
          }
        }
        q.available_by = DateFromProto(req->available_by(), "available_by", &v);
        CheckScope(req->scope(), "scope", &v);
        const Principal& who = call.principal();
        if (req->scope() == common::v1::REGION_SCOPE_OWN_LA) {
          if (who.la_code.empty()) v.Add("scope", "OWN_LA needs a caller with an LA");
          q.host_la = q.host_la.empty() ? who.la_code : q.host_la;
          if (q.host_la != who.la_code)
            v.Add("host_la.value", "outside the caller's LA (scope OWN_LA)");
        } else if (req->scope() != common::v1::REGION_SCOPE_NATIONAL) {
          q.region = who.region_code;
        }
        q.limit = ResolvePageSize(req->page().page_size(), "page.page_size", &v);
        q.after_id = DecodePageToken("vacancies", req->page().page_token(), "page.page_token", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              if (!who.HasAnyRole(
                      {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService})) {
                q.member_subject = who.subject;  // a provider sees only its own vacancies
              }
              const int page_size = q.limit;
              q.limit = page_size + 1;
              absl::StatusOr<std::vector<VacancyRecord>> rows = store_.ListVacancies(tx, q);
              if (!rows.ok()) return rows.status();
              const absl::Time now = absl::Now();
              const size_t shown = std::min(rows->size(), static_cast<size_t>(page_size));
              for (size_t i = 0; i < shown; ++i) {
                *resp->add_vacancies() = ToProto((*rows)[i], now, options_.match.stale_after);
              }
              if (rows->size() > shown && shown > 0) {
                resp->mutable_page()->set_next_page_token(
                    EncodePageToken("vacancies", (*rows)[shown - 1].facts.vacancy_id));
              }
              common::v1::FederationInfo* fed = resp->mutable_federation();
              fed->set_scope(req->scope() == common::v1::REGION_SCOPE_UNSPECIFIED
                                 ? common::v1::REGION_SCOPE_OWN_REGION
                                 : req->scope());
              common::v1::RegionAnswer* answer = fed->add_regions();
              answer->mutable_region()->set_value(context_.config->hub_region);
              answer->set_state(common::v1::REGION_ANSWER_STATE_FRESH);
              *answer->mutable_as_of() = ToProtoTimestamp(now);
              return absl::OkStatus();
            });
      });
}

grpc::ServerWriteReactor<v1::WatchVacanciesResponse>* PlacementServiceImpl::WatchVacancies(
    grpc::CallbackServerContext* ctx, const v1::WatchVacanciesRequest* req) {
  std::string request_id;
  std::string subject;
  absl::StatusOr<Principal> who =
      AdmitCall(context_.runtime, ctx, methods::kWatchVacancies, &request_id, &subject);
  if (!who.ok()) return RefuseWatch(ToGrpcStatus(who.status()));
  FieldViolations v;
  if (req->resume_after_sequence() < 0) v.Add("resume_after_sequence", "must not be negative");
  if (!req->host_la().value().empty() &&
      context_.reference_data->FindLocalAuthority(req->host_la().value()) == nullptr) {
    v.Add("host_la.value", "unknown LA code");
  }
  for (int i = 0; i < req->placement_types_size(); ++i) {
    if (req->placement_types(i) == 0 || !pb::PlacementType_IsValid(req->placement_types(i))) {
      v.Add(absl::StrCat("placement_types[", i, "]"), "unknown placement type");
    }
  }
  if (req->setting_ids_size() > 100) v.Add("setting_ids", "at most 100");
  for (int i = 0; i < req->setting_ids_size(); ++i) {
    CheckId(req->setting_ids(i), absl::StrCat("setting_ids[", i, "]"), &v);
  }
  if (!v.empty()) return RefuseWatch(ToGrpcStatus(v.ToStatus()));
  return watch_->Watch(*req, *who);
}

}  // namespace slihub::placement
