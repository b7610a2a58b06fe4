// PlacementService's newest-first lists: ListReferrals, ListHolds and ListPlacements, scoped to
// what the caller may see and paged by (time, id) keysets.
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "common/server/request_fields.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/adapter/placement_methods.h"
#include "services/placement/adapter/placement_service.h"
#include "services/placement/adapter/rpc_helpers.h"

namespace slihub::placement {
namespace {

// Reads the page request into `q` (limit one more than the page, keyset from the token).
void ReadPage(const common::v1::PageRequest& page, const std::string& list, RecordQuery* q,
              FieldViolations* v) {
  q->limit = ResolvePageSize(page.page_size(), "page.page_size", v) + 1;
  const std::string key = DecodePageToken(list, page.page_token(), "page.page_token", v);
  if (key.empty()) return;
  std::vector<std::string> parts = absl::StrSplit(key, absl::MaxSplits('|', 1));
  int64_t micros = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &micros)) {
    v->Add("page.page_token", "malformed");
    return;
  }
  q->before = std::make_pair(micros, parts[1]);
}

// Drops the extra record of `records` (read with limit page + 1) and, when there was one, sets
// the next page token from the last kept record's (time, id).
template <typename Record, typename Key>
void FinishPage(std::vector<Record>* records, const RecordQuery& q, const std::string& list,
                Key key, common::v1::PageResponse* page) {
  if (static_cast<int>(records->size()) < q.limit) return;
  records->pop_back();
  const auto [time, id] = key(records->back());
  page->set_next_page_token(EncodePageToken(list, absl::StrCat(absl::ToUnixMicros(time), "|", id)));
}

// Loads the records of `q`, pages them as `list` by `key` into `page`, and appends each with `add`.
template <typename Load, typename Key, typename Add>
absl::Status ServePage(const RecordQuery& q, const std::string& list, Load load, Key key, Add add,
                       common::v1::PageResponse* page) {
  auto records = load(q);
  if (!records.ok()) return records.status();
  FinishPage(&*records, q, list, key, page);
  for (const auto& r : *records) add(r);
  return absl::OkStatus();
}

// Checks an optional LA filter field.
std::string LaFilter(const common::v1::LaCode& la, const ReferenceData& refdata,
                     const std::string& field, FieldViolations* v) {
  if (!la.value().empty() && refdata.FindLocalAuthority(la.value()) == nullptr) {
    v->Add(field, "unknown LA code");
  }
  return la.value();
}

}  // namespace

absl::Status PlacementServiceImpl::ScopeRecords(store::Transaction& tx, const Principal& principal,
                                                const std::string& la_filter,
                                                bool providers_allowed, RecordQuery* q) {
  if (!la_filter.empty()) q->la_codes = {la_filter};
  if (principal.HasRole(Role::kRegionalAdmin)) {
    if (!la_filter.empty()) return CheckLaAccess(principal, la_filter);
    const RegionRecord* region = context_.reference_data->FindRegion(principal.region_code);
    q->la_codes = region == nullptr ? std::vector<std::string>{} : region->la_codes;
    if (q->la_codes.empty()) q->la_codes = {""};
    return absl::OkStatus();
  }
  if (principal.HasRole(Role::kPlacementOfficer)) {
    if (!la_filter.empty()) return CheckLaAccess(principal, la_filter);
    q->la_codes = {principal.la_code};
    return absl::OkStatus();
  }
  if (providers_allowed && principal.HasRole(Role::kProvider)) {
    absl::StatusOr<std::vector<std::string>> mine = store_.ProvidersOfMember(tx, principal.subject);
    if (!mine.ok()) return mine.status();
    q->provider_scoped = true;
    q->provider_ids = *std::move(mine);
    return absl::OkStatus();
  }
  return Denied("the caller's roles may not list these records", "ROLE_NOT_ALLOWED");
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListReferrals(grpc::CallbackServerContext* ctx,
                                                              const v1::ListReferralsRequest* req,
                                                              v1::ListReferralsResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListReferrals,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        const std::string la =
            LaFilter(req->la_code(), *context_.reference_data, "la_code.value", &v);
        if (!pb::ReferralState_IsValid(req->state())) v.Add("state", "unknown state");
        RecordQuery q;
        ReadPage(req->page(), "referrals", &q, &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              if (absl::Status s = ScopeRecords(tx, call.principal(), la, false, &q); !s.ok())
                return s;
              q.state = req->state();
              return ServePage(
                  q, "referrals",
                  [this, &tx](const RecordQuery& rq) { return store_.ListReferrals(tx, rq); },
                  [](const ReferralRecord& r) {
                    return std::make_pair(r.audit.create_time, r.referral_id);
                  },
                  [resp](const ReferralRecord& r) { *resp->add_referrals() = ToProto(r); },
                  resp->mutable_page());
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListHolds(grpc::CallbackServerContext* ctx,
                                                          const v1::ListHoldsRequest* req,
                                                          v1::ListHoldsResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListHolds,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        const std::string la =
            LaFilter(req->la_code(), *context_.reference_data, "la_code.value", &v);
        if (!pb::HoldState_IsValid(req->state())) v.Add("state", "unknown state");
        if (req->vacancy_id().size() > 100) v.Add("vacancy_id", "at most 100 characters");
        if (req->referral_id().size() > 100) v.Add("referral_id", "at most 100 characters");
        RecordQuery q;
        ReadPage(req->page(), "holds", &q, &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              if (absl::Status s = ScopeRecords(tx, call.principal(), la, true, &q); !s.ok())
                return s;
              q.state = req->state();
              q.vacancy_id = req->vacancy_id();
              q.referral_id = req->referral_id();
              return ServePage(
                  q, "holds",
                  [this, &tx](const RecordQuery& rq) { return store_.ListHolds(tx, rq); },
                  [](const HoldRecord& h) {
                    return std::make_pair(h.audit.create_time, h.hold_id);
                  },
                  [resp](const HoldRecord& h) { *resp->add_holds() = ToProto(h); },
                  resp->mutable_page());
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListPlacements(grpc::CallbackServerContext* ctx,
                                                               const v1::ListPlacementsRequest* req,
                                                               v1::ListPlacementsResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListPlacements,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        const std::string la =
            LaFilter(req->la_code(), *context_.reference_data, "la_code.value", &v);
        RecordQuery q;
        q.host_la = LaFilter(req->host_la(), *context_.reference_data, "host_la.value", &v);
        if (req->setting_id().size() > 100) v.Add("setting_id", "at most 100 characters");
        q.start_from = DateFromProto(req->period_start(), "period_start", &v);
        q.start_to = DateFromProto(req->period_end(), "period_end", &v);
        if (q.start_from && q.start_to && *q.start_to < *q.start_from) {
          v.Add("period_end", "must not be before period_start");
        }
        ReadPage(req->page(), "placements", &q, &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              if (absl::Status s = ScopeRecords(tx, call.principal(), la, true, &q); !s.ok())
                return s;
              q.setting_id = req->setting_id();
              return ServePage(
                  q, "placements",
                  [this, &tx](const RecordQuery& rq) { return store_.ListPlacements(tx, rq); },
                  [](const PlacementRecord& p) {
                    return std::make_pair(p.confirm_time, p.placement_id);
                  },
                  [resp](const PlacementRecord& p) { *resp->add_placements() = ToProto(p); },
                  resp->mutable_page());
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListProviders(grpc::CallbackServerContext* ctx,
                                                              const v1::ListProvidersRequest* req,
                                                              v1::ListProvidersResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListProviders,
      [this, req, resp](const CallInfo&) -> absl::Status {
        FieldViolations v;
        ProviderQuery q;
        q.la_code = LaFilter(req->la_code(), *context_.reference_data, "la_code.value", &v);
        if (!pb::ProviderKind_IsValid(req->kind())) v.Add("kind", "unknown kind");
        q.kind = req->kind();
        const int size = ResolvePageSize(req->page().page_size(), "page.page_size", &v);
        const std::string key =
            DecodePageToken("providers", req->page().page_token(), "page.page_token", &v);
        if (!key.empty()) {
          std::vector<std::string> parts = absl::StrSplit(key, absl::MaxSplits('|', 1));
          if (parts.size() == 2) {
            q.after = std::make_pair(parts[1], parts[0]);
          } else {
            v.Add("page.page_token", "malformed");
          }
        }
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              q.limit = size + 1;
              auto providers = store_.ListProviders(tx, q);
              if (!providers.ok()) return providers.status();
              if (static_cast<int>(providers->size()) > size) {
                providers->pop_back();
                const ProviderRecord& last = providers->back();
                resp->mutable_page()->set_next_page_token(
                    EncodePageToken("providers", absl::StrCat(last.provider_id, "|", last.name)));
              }
              for (const ProviderRecord& p : *providers) *resp->add_providers() = ToProto(p);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListSettings(grpc::CallbackServerContext* ctx,
                                                             const v1::ListSettingsRequest* req,
                                                             v1::ListSettingsResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListSettings,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        SettingQuery q;
        const Principal& who = call.principal();
        if (req->provider_id().size() > 100) v.Add("provider_id", "at most 100 characters");
        q.provider_id = req->provider_id();
        q.host_la = LaFilter(req->host_la(), *context_.reference_data, "host_la.value", &v);
        if (req->ofsted_urn().size() > 20) v.Add("ofsted_urn", "at most 20 characters");
        q.ofsted_urn = req->ofsted_urn();
        for (int i = 0; i < req->placement_types_size(); ++i) {
          if (req->placement_types(i) == 0 || !pb::PlacementType_IsValid(req->placement_types(i))) {
            v.Add(absl::StrCat("placement_types[", i, "]"), "unknown placement type");
          }
          q.placement_types.push_back(req->placement_types(i));
        }
        q.include_inactive = req->include_inactive();
        if (!common::v1::RegionScope_IsValid(req->scope())) v.Add("scope", "unknown scope");
        if (req->scope() == common::v1::REGION_SCOPE_OWN_LA) {
          if (who.la_code.empty()) v.Add("scope", "OWN_LA needs a caller with an LA");
          if (!q.host_la.empty() && q.host_la != who.la_code)
            v.Add("host_la.value", "not the caller's LA");
          q.host_la = who.la_code;
        } else if (req->scope() != common::v1::REGION_SCOPE_NATIONAL) {
          q.region = who.region_code;
        }
        const int size = ResolvePageSize(req->page().page_size(), "page.page_size", &v);
        q.after_id = DecodePageToken("settings", req->page().page_token(), "page.page_token", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              if (!who.HasAnyRole(
                      {Role::kPlacementOfficer, Role::kRegionalAdmin, Role::kService})) {
                auto mine = store_.ProvidersOfMember(tx, who.subject);
                if (!mine.ok()) return mine.status();
                q.provider_scoped = true;
                q.provider_ids = *std::move(mine);
              }
              q.limit = size + 1;
              auto settings = store_.ListSettings(tx, q);
              if (!settings.ok()) return settings.status();
              if (static_cast<int>(settings->size()) > size) {
                settings->pop_back();
                resp->mutable_page()->set_next_page_token(
                    EncodePageToken("settings", settings->back().facts.setting_id));
              }
              for (const SettingRecord& s : *settings) *resp->add_settings() = ToProto(s);
              return absl::OkStatus();
            });
      });
}

}  // namespace slihub::placement
