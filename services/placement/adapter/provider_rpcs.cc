// PlacementService's provider and setting handlers: the register of who offers which homes.
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

}  // namespace slihub::placement
