// PlacementService's UASC National Transfer Scheme handlers: threshold rules, LA figures, status,
// the regional rota and transfers with their deadlines.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/request_fields.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/adapter/placement_methods.h"
#include "services/placement/adapter/placement_service.h"
#include "services/placement/adapter/rpc_helpers.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

constexpr int kMaxRate = 100000;  // 100%

// The date in `d`, today when unset.
absl::CivilDay DateOrToday(const common::v1::CivilDate& d, const std::string& field,
                           FieldViolations* v) {
  return DateFromProto(d, field, v).value_or(TodayInEngland());
}

// Requires a known LA code in `la` (violation on `field`).
std::string KnownLa(const common::v1::LaCode& la, const ReferenceData& refdata,
                    const std::string& field, FieldViolations* v) {
  if (refdata.FindLocalAuthority(la.value()) == nullptr) v->Add(field, "required: a known LA code");
  return la.value();
}

// The fields every change of a transfer carries: request_id, transfer_id and version.
template <typename Request>
void CheckTransferChange(const Request& req, FieldViolations* v) {
  CheckVersionedWrite(req.request_id(), req.transfer_id(), "transfer_id", req.version(), "version",
                      v);
}

}  // namespace

absl::Status PlacementServiceImpl::CheckRegionRead(const Principal& principal,
                                                   const std::string& region) const {
  if (principal.HasRole(Role::kService) || principal.region_code == region) {
    return absl::OkStatus();
  }
  return Denied(absl::StrCat("the caller is not of region ", region), "NOT_OWN_REGION");
}

absl::StatusOr<UascTransferRecord> PlacementServiceImpl::OwnedTransfer(
    store::Transaction& tx, const Principal& principal, const std::string& transfer_id) {
  absl::StatusOr<UascTransferRecord> t = uasc_.GetTransfer(tx, transfer_id);
  if (!t.ok() || CheckLaAccess(principal, t->receiving_la).ok()) return t;
  if (absl::Status allowed = CheckLaAccess(principal, t->referring_la); !allowed.ok()) {
    return allowed;
  }
  return t;
}

absl::StatusOr<UascStatusView> PlacementServiceImpl::UascStatusOf(const std::string& la_code,
                                                                  absl::CivilDay as_of,
                                                                  const UascInputs& inputs) const {
  const std::string subject = "la/" + la_code;
  std::optional<UascThreshold> rule = ThresholdInForce(inputs.rules, as_of);
  if (!rule.has_value()) {
    return sql::Precondition("NO_THRESHOLD_RULE", subject,
                             "no UASC threshold rule is in force then");
  }
  auto figures = inputs.latest.find(la_code);
  if (figures == inputs.latest.end()) {
    return sql::Precondition(
        "NO_FIGURES", subject,
        absl::StrCat("LA ", la_code, " has no UASC figures on or before that date"));
  }
  return UascStatusView{RegionOf(la_code), as_of, figures->second, *rule,
                        EvaluateUasc(figures->second.figures, rule->rate_per_100000)};
}

grpc::ServerUnaryReactor* PlacementServiceImpl::PublishUascThresholdRule(
    grpc::CallbackServerContext* ctx, const v1::PublishUascThresholdRuleRequest* req,
    v1::PublishUascThresholdRuleResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kPublishUascThresholdRule,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckRequestId(req->request_id(), "request_id", &v);
                       std::optional<absl::CivilDay> from =
                           DateFromProto(req->rule().effective_from(), "rule.effective_from", &v);
                       if (!from.has_value() && !req->rule().has_effective_from()) {
                         v.Add("rule.effective_from", "required");
                       }
                       const int rate = req->rule().rate_per_100000();
                       if (rate < 1 || rate > kMaxRate)
                         v.Add("rule.rate_per_100000", "must be 1..100000");
                       if (!v.empty()) return v.ToStatus();
                       return RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             auto made = uasc_.PublishThresholdRule(
                                 tx, {0, *from, rate}, Writer(call, req->request_id()));
                             if (!made.ok()) return made.status();
                             *resp->mutable_rule() = ToProto(*made);
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListUascThresholdRules(
    grpc::CallbackServerContext* ctx, const v1::ListUascThresholdRulesRequest* req,
    v1::ListUascThresholdRulesResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListUascThresholdRules,
      [this, req, resp](const CallInfo&) -> absl::Status {
        FieldViolations v;
        const int size = ResolvePageSize(req->page().page_size(), "page.page_size", &v);
        const std::string after =
            DecodePageToken("uasc-rules", req->page().page_token(), "page.page_token", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              auto rules = uasc_.ListThresholdRules(tx, after, size + 1);
              if (!rules.ok()) return rules.status();
              const bool more = static_cast<int>(rules->size()) > size;
              if (more) rules->pop_back();
              for (const UascThresholdRecord& r : *rules) *resp->add_rules() = ToProto(r);
              if (more) {
                resp->mutable_page()->set_next_page_token(EncodePageToken(
                    "uasc-rules", FormatCivilDate(rules->back().rule.effective_from)));
              }
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::SubmitUascPopulation(
    grpc::CallbackServerContext* ctx, const v1::SubmitUascPopulationRequest* req,
    v1::SubmitUascPopulationResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kSubmitUascPopulation,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        const pb::UascPopulation& p = req->population();
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        UascFigures figures;
        figures.la_code =
            KnownLa(p.la_code(), *context_.reference_data, "population.la_code.value", &v);
        std::optional<absl::CivilDay> as_of = DateFromProto(p.as_of(), "population.as_of", &v);
        if (!p.has_as_of()) v.Add("population.as_of", "required");
        if (as_of.has_value() && *as_of > TodayInEngland())
          v.Add("population.as_of", "must not be in the future");
        // By meaning: an LA has under-18s, and its UASC are among them (UascFigures).
        CheckRange(p.under18_population(), 1, kMaxUnder18Population,
                   "population.under18_population", &v);
        CheckRange(p.uasc_count(), 0,
                   std::clamp<int64_t>(p.under18_population(), 0, kMaxUnder18Population),
                   "population.uasc_count", &v);
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              figures.as_of = *as_of;
              figures.under18_population = p.under18_population();
              figures.uasc_count = p.uasc_count();
              const Principal& who = call.principal();
              const bool own_data_officer =
                  who.HasRole(Role::kDataOfficer) && who.la_code == figures.la_code;
              if (!own_data_officer) {
                absl::Status allowed = CheckLaAccess(who, figures.la_code);
                if (!allowed.ok()) return allowed;
              }
              auto stored = uasc_.SubmitPopulation(tx, figures, Writer(call, req->request_id()));
              if (!stored.ok()) return stored.status();
              *resp->mutable_population() = ToProto(*stored);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetUascStatus(grpc::CallbackServerContext* ctx,
                                                              const v1::GetUascStatusRequest* req,
                                                              v1::GetUascStatusResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kGetUascStatus,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       const std::string la = req->la_code().value();
                       if (!IsLaCodeSyntax(la))
                         v.Add("la_code.value", "required: a three-digit LA code");
                       const absl::CivilDay as_of = DateOrToday(req->as_of(), "as_of", &v);
                       if (!v.empty()) return v.ToStatus();
                       return context_.database->Run(
                           store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                             if (context_.reference_data->FindLocalAuthority(la) == nullptr) {
                               return absl::NotFoundError(absl::StrCat("LA ", la, " not found"));
                             }
                             absl::Status allowed = CheckRegionRead(call.principal(), RegionOf(la));
                             if (!allowed.ok()) return allowed;
                             auto inputs = uasc_.LoadInputs(tx, {la}, as_of);
                             if (!inputs.ok()) return inputs.status();
                             auto status = UascStatusOf(la, as_of, *inputs);
                             if (!status.ok()) return status.status();
                             *resp->mutable_status() = ToProto(*status);
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetUascRota(grpc::CallbackServerContext* ctx,
                                                            const v1::GetUascRotaRequest* req,
                                                            v1::GetUascRotaResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kGetUascRota,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        const std::string region =
            req->region().value().empty() ? call.principal().region_code : req->region().value();
        const RegionRecord* record = context_.reference_data->FindRegion(region);
        if (record == nullptr) v.Add("region.value", "unknown region");
        const absl::CivilDay as_of = DateOrToday(req->as_of(), "as_of", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::Status allowed = CheckRegionRead(call.principal(), region);
              if (!allowed.ok()) return allowed;
              auto inputs = uasc_.LoadInputs(tx, record->la_codes, as_of);
              if (!inputs.ok()) return inputs.status();
              std::optional<UascThreshold> rule = ThresholdInForce(inputs->rules, as_of);
              if (!rule.has_value()) {
                return sql::Precondition("NO_THRESHOLD_RULE", "region/" + region,
                                         "no UASC threshold rule is in force then");
              }
              std::vector<UascPosition> positions;
              for (const std::string& la : record->la_codes) {
                if (inputs->latest.count(la) == 0) {
                  resp->add_missing_figures()->set_value(la);
                } else {
                  positions.push_back(
                      EvaluateUasc(inputs->latest.at(la).figures, rule->rate_per_100000));
                }
              }
              const UascRota rota = BuildUascRota(std::move(positions));
              auto view = [&](const UascPosition& p) {
                return ToProto(
                    UascStatusView{region, as_of, inputs->latest.at(p.la_code), *rule, p});
              };
              for (size_t i = 0; i < rota.receiving.size(); ++i) {
                pb::UascRotaEntry* e = resp->add_entries();
                e->set_position(static_cast<int>(i) + 1);
                *e->mutable_status() = view(rota.receiving[i]);
              }
              for (const UascPosition& p : rota.not_receiving) *resp->add_not_receiving() = view(p);
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::RecordUascTransfer(
    grpc::CallbackServerContext* ctx, const v1::RecordUascTransferRequest* req,
    v1::RecordUascTransferResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kRecordUascTransfer,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        const pb::UascTransfer& t = req->transfer();
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        UascTransferRecord draft;
        draft.record_id = t.record_id();
        CheckId(draft.record_id, "transfer.record_id", &v);
        const ReferenceData& refdata = *context_.reference_data;
        draft.referring_la = KnownLa(t.referring_la(), refdata, "transfer.referring_la.value", &v);
        draft.receiving_la = KnownLa(t.receiving_la(), refdata, "transfer.receiving_la.value", &v);
        if (!draft.referring_la.empty() && draft.referring_la == draft.receiving_la) {
          v.Add("transfer.receiving_la.value", "must differ from the referring LA");
        }
        std::optional<absl::CivilDay> referred =
            DateFromProto(t.referred_on(), "transfer.referred_on", &v);
        if (!t.has_referred_on()) v.Add("transfer.referred_on", "required");
        if (!v.empty()) return v.ToStatus();
        return RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              draft.referred_on = *referred;
              draft.from_hotel = t.from_hotel();
              absl::Status allowed = CheckLaAccess(call.principal(), draft.referring_la);
              if (!allowed.ok()) return allowed;
              const WriteContext w = Writer(call, req->request_id());
              auto existing = uasc_.GetTransferByRecord(tx, draft.referring_la, draft.record_id);
              if (!existing.ok()) return existing.status();
              if (!existing->has_value()) {
                auto inputs = uasc_.LoadInputs(tx, {draft.referring_la, draft.receiving_la},
                                               draft.referred_on);
                if (!inputs.ok()) return inputs.status();
                auto referring = UascStatusOf(draft.referring_la, draft.referred_on, *inputs);
                if (!referring.ok()) return referring.status();
                auto receiving = UascStatusOf(draft.receiving_la, draft.referred_on, *inputs);
                if (!receiving.ok()) return receiving.status();
                if (!referring->position.may_refer_out) {
                  return sql::Precondition("REFERRING_NOT_ABOVE_THRESHOLD",
                                           "la/" + draft.referring_la,
                                           "the referring LA is not above its UASC threshold");
                }
                if (!receiving->position.can_be_directed) {
                  return sql::Precondition("RECEIVING_AT_OR_ABOVE_THRESHOLD",
                                           "la/" + draft.receiving_la,
                                           "the receiving LA is at or above its UASC threshold");
                }
              }
              auto holidays = uasc_.BankHolidays(tx);
              if (!holidays.ok()) return holidays.status();
              draft.deadline = TransferDeadline(draft.referred_on, draft.from_hotel, *holidays);
              auto made = uasc_.RecordTransfer(tx, draft, w);
              if (!made.ok()) return made.status();
              *resp->mutable_transfer() = ToProto(*made, TodayInEngland());
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::CompleteUascTransfer(
    grpc::CallbackServerContext* ctx, const v1::CompleteUascTransferRequest* req,
    v1::CompleteUascTransferResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kCompleteUascTransfer,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckTransferChange(*req, &v);
                       std::optional<absl::CivilDay> on =
                           DateFromProto(req->transferred_on(), "transferred_on", &v);
                       if (!req->has_transferred_on()) v.Add("transferred_on", "required");
                       if (!v.empty()) return v.ToStatus();
                       return RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             auto current = OwnedTransfer(tx, call.principal(), req->transfer_id());
                             if (!current.ok()) return current.status();
                             if (*on < current->referred_on) {
                               v.Add("transferred_on", "must not be before referred_on");
                               return v.ToStatus();
                             }
                             auto done =
                                 uasc_.CompleteTransfer(tx, req->transfer_id(), req->version(), *on,
                                                        Writer(call, req->request_id()));
                             if (!done.ok()) return done.status();
                             *resp->mutable_transfer() = ToProto(*done, TodayInEngland());
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::CancelUascTransfer(
    grpc::CallbackServerContext* ctx, const v1::CancelUascTransferRequest* req,
    v1::CancelUascTransferResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kCancelUascTransfer,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckTransferChange(*req, &v);
                       CheckText(req->reason(), "reason", TextRule{500, true, true}, &v);
                       if (!v.empty()) return v.ToStatus();
                       return RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             auto current = OwnedTransfer(tx, call.principal(), req->transfer_id());
                             if (!current.ok()) return current.status();
                             auto cancelled = uasc_.CancelTransfer(tx, req->transfer_id(),
                                                                   req->version(), req->reason(),
                                                                   Writer(call, req->request_id()));
                             if (!cancelled.ok()) return cancelled.status();
                             *resp->mutable_transfer() = ToProto(*cancelled, TodayInEngland());
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetUascTransfer(
    grpc::CallbackServerContext* ctx, const v1::GetUascTransferRequest* req,
    v1::GetUascTransferResponse* resp) {
  return HandleUnary(context_.runtime, ctx, methods::kGetUascTransfer,
                     [this, req, resp](const CallInfo& call) -> absl::Status {
                       FieldViolations v;
                       CheckId(req->transfer_id(), "transfer_id", &v);
                       if (!v.empty()) return v.ToStatus();
                       return context_.database->Run(
                           store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
                             auto t = OwnedTransfer(tx, call.principal(), req->transfer_id());
                             if (!t.ok()) return t.status();
                             *resp->mutable_transfer() = ToProto(*t, TodayInEngland());
                             return absl::OkStatus();
                           });
                     });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListUascTransfers(
    grpc::CallbackServerContext* ctx, const v1::ListUascTransfersRequest* req,
    v1::ListUascTransfersResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kListUascTransfers,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        const std::string la = req->la_code().value();
        if (!la.empty() && context_.reference_data->FindLocalAuthority(la) == nullptr) {
          v.Add("la_code.value", "unknown LA code");
        }
        if (!pb::UascTransferState_IsValid(req->state())) v.Add("state", "unknown state");
        const absl::CivilDay as_of = DateOrToday(req->as_of(), "as_of", &v);
        const int size = ResolvePageSize(req->page().page_size(), "page.page_size", &v);
        const std::string key =
            DecodePageToken("uasc-transfers", req->page().page_token(), "page.page_token", &v);
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              UascTransferQuery q;
              const Principal& who = call.principal();
              if (!la.empty()) {
                q.la_codes = {la};
                if (!who.HasRole(Role::kService)) {
                  absl::Status allowed = CheckLaAccess(who, la);
                  if (!allowed.ok()) return allowed;
                }
              } else if (who.HasRole(Role::kRegionalAdmin)) {
                const RegionRecord* region = context_.reference_data->FindRegion(who.region_code);
                if (region != nullptr) q.la_codes = region->la_codes;
              } else if (!who.HasRole(Role::kService)) {
                q.la_codes = {who.la_code};
              }
              q.state = req->state();
              if (req->overdue_only()) q.overdue_on = as_of;
              std::vector<std::string> parts = absl::StrSplit(key, absl::MaxSplits('|', 1));
              if (parts.size() == 2) {
                q.after_deadline = parts[0];
                q.after_id = parts[1];
              }
              q.limit = size + 1;
              auto transfers = uasc_.ListTransfers(tx, q);
              if (!transfers.ok()) return transfers.status();
              const bool more = static_cast<int>(transfers->size()) > size;
              if (more) transfers->pop_back();
              for (const UascTransferRecord& t : *transfers)
                *resp->add_transfers() = ToProto(t, as_of);
              if (more) {
                const UascTransferRecord& last = transfers->back();
                resp->mutable_page()->set_next_page_token(EncodePageToken(
                    "uasc-transfers",
                    absl::StrCat(FormatCivilDate(last.deadline), "|", last.transfer_id)));
              }
              return absl::OkStatus();
            });
      });
}

}  // namespace slihub::placement
