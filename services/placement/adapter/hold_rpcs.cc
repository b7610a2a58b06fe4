// PlacementService's hold and placement handlers: holding a bed, releasing it, confirming a
// placement, and reading holds and placements.
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
        // Another region's hub forwards its officer's hold here (this hub owns the vacancy): the
        // placing LA must be of the calling hub's region and the referral its reference.
        const Principal& who = call.principal();
        const bool from_peer_hub = who.HasRole(Role::kHub);
        const std::string requesting_la = req->requesting_la().value();
        if (from_peer_hub) {
          if (requesting_la.empty()) {
            v.Add("requesting_la.value", "required when another region's hub forwards a hold");
          } else if (RegionOf(requesting_la) != who.region_code) {
            v.Add("requesting_la.value", "must be an LA of the calling hub's region");
          }
          if (req->referral_id().rfind(who.region_code + "-", 0) != 0) {
            v.Add("referral_id",
                  "must be the calling hub's referral reference (its region prefix)");
          }
        } else if (!requesting_la.empty()) {
          v.Add("requesting_la.value", "set only by another region's hub forwarding a hold");
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
        // A vacancy of another region is held by its owner, never here.
        if (const std::string owner = ForeignOwner(req->vacancy_id());
            !owner.empty() && !from_peer_hub) {
          return ForwardHold(call, owner, *req, resp);
        }
        return RunIdempotent(*context_.database, call, req->request_id(), "request_id", *req, resp,
                             [&](store::Transaction& tx) -> absl::Status {
                               const WriteContext w = Writer(call, req->request_id());
                               if (from_peer_hub) {
                                 absl::Status noted = store_.EnsurePeerReferral(
                                     tx, req->referral_id(), requesting_la, w);
                                 if (!noted.ok()) return noted;
                               }
                               absl::StatusOr<ReferralRecord> referral =
                                   from_peer_hub ? store_.GetReferral(tx, req->referral_id())
                                                 : OwnedByCaller(call.principal(),
                                                                 store_.GetReferral(
                                                                     tx, req->referral_id()));
                               if (!referral.ok()) return referral.status();
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
                       const Principal& who = call.principal();
                       const bool from_peer_hub = who.HasRole(Role::kHub);
                       const std::string requesting_la = req->requesting_la().value();
                       if (!from_peer_hub && !requesting_la.empty()) {
                         v.Add("requesting_la.value",
                               "set only by another region's hub forwarding a release");
                       }
                       if (!v.empty()) return v.ToStatus();
                       // A hold made by another region's hub is released there.
                       if (const std::string owner = ForeignOwner(req->hold_id());
                           !owner.empty() && !from_peer_hub) {
                         return ForwardRelease(call, owner, *req, resp);
                       }
                       return FreeLapsedHold(RunIdempotent(
                           *context_.database, call, req->request_id(), "request_id", *req, resp,
                           [&](store::Transaction& tx) -> absl::Status {
                             absl::StatusOr<HoldRecord> h =
                                 from_peer_hub ? store_.GetHold(tx, req->hold_id())
                                               : OwnedByCaller(call.principal(),
                                                               store_.GetHold(tx, req->hold_id()));
                             if (!h.ok()) return h.status();
                             // A peer hub releases only the holds of its own region's LAs (and,
                             // for an officer, of the officer's LA).
                             if (from_peer_hub &&
                                 (RegionOf(h->la_code) != who.region_code ||
                                  (!requesting_la.empty() && requesting_la != h->la_code))) {
                               return Denied(absl::StrCat("the caller may not act for LA ",
                                                          h->la_code),
                                             "NOT_OWN_LA");
                             }
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
  return HandleUnary(
      context_.runtime, ctx, methods::kConfirmPlacement,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckRequestId(req->request_id(), "request_id", &v);
        CheckId(req->hold_id(), "hold_id", &v);
        if (req->version() < 1) v.Add("version", "required: the hold version last seen");
        const std::optional<absl::CivilDay> start_date =
            ReadDate(req->start_date(), req->has_start_date(), "start_date", &v);
        const Principal& who = call.principal();
        const bool from_peer_hub = who.HasRole(Role::kHub);
        const std::string requesting_la = req->requesting_la().value();
        if (!from_peer_hub && !requesting_la.empty()) {
          v.Add("requesting_la.value", "set only by another region's hub forwarding a confirmation");
        }
        if (!v.empty()) return v.ToStatus();
        const absl::CivilDay start = *start_date;
        // A hold made by another region's hub is confirmed there, under its rules.
        if (const std::string owner = ForeignOwner(req->hold_id());
            !owner.empty() && !from_peer_hub) {
          return ForwardConfirm(call, owner, *req, resp);
        }
        return FreeLapsedHold(RunIdempotent(
            *context_.database, call, req->request_id(), "request_id", *req, resp,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<HoldRecord> h =
                  from_peer_hub ? store_.GetHold(tx, req->hold_id())
                                : OwnedByCaller(who, store_.GetHold(tx, req->hold_id()));
              if (!h.ok()) return h.status();
              // A peer hub confirms only the holds it made for its own region's LAs (and, for
              // an officer, of the officer's LA); its referral reference becomes PLACED here.
              if (from_peer_hub && (RegionOf(h->la_code) != who.region_code ||
                                    (!requesting_la.empty() && requesting_la != h->la_code))) {
                return Denied(absl::StrCat("the caller may not act for LA ", h->la_code),
                              "NOT_OWN_LA");
              }
              const WriteContext w = Writer(call, req->request_id());
              absl::StatusOr<HoldChange> placed =
                  store_.ConfirmPlacement(tx, req->hold_id(), req->version(), start, w);
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

}  // namespace slihub::placement
