// PlacementService's vacancy handlers: publishing, reading, updating, confirming, withdrawing and
// listing vacancies, and the WatchVacancies stream.
#include <algorithm>
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
#include "services/placement/adapter/placement_service.h"
#include "services/placement/adapter/rpc_helpers.h"
#include "services/placement/domain/filter_key.h"
#include "services/placement/domain/rule_parameters.h"
#include "services/placement/domain/sufficiency.h"
#include "services/placement/store/transactions.h"

namespace slihub::placement {

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
  if (req->has_heartbeat()) {
    absl::StatusOr<absl::Duration> heartbeat = FromProtoDuration(req->heartbeat());
    if (!heartbeat.ok()) {
      v.Add("heartbeat", std::string(heartbeat.status().message()));
    } else if (*heartbeat < absl::Milliseconds(100) || *heartbeat > absl::Seconds(60)) {
      v.Add("heartbeat", "must be between 100 ms and 60 s");
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
