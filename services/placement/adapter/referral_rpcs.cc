// PlacementService's referral handlers: creating, reading, updating and closing referrals, and
// explained matching (MatchPlacements, ExplainExclusion).
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
#include "common/federation/federation_info.h"
#include "common/federation/region_outcome.h"
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

}  // namespace

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
                       const absl::Status closed = RunIdempotent(
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
                       if (!closed.ok()) return closed;
                       // Its holds at other regions' hubs go back there too (a retry of the
                       // close retries those not released).
                       for (const PeerReleaseOutcome& o :
                            ReleaseHoldsElsewhere(call, req->referral_id(), req->request_id())) {
                         v1::PeerHoldRelease* out = resp->add_peer_holds();
                         out->set_hold_id(o.hold.hold_id);
                         out->mutable_region()->set_value(o.hold.region);
                         out->set_released(o.released);
                         out->set_reason(o.reason);
                       }
                       return absl::OkStatus();
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
        if (!federation::IsKnownMode(req->federation_mode())) {
          v.Add("federation_mode", "unknown federation mode");
        }
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
        const absl::Time now = absl::Now();
        // NATIONAL: this hub's groups with the read model's of the other regions.
        const bool national = req->scope() == common::v1::REGION_SCOPE_NATIONAL;
        std::vector<federation::RegionOutcome> outcomes;
        KeyIndex national_index;
        if (national) {
          national_index = KeyIndex(NationalGroups((*snapshot)->index, now, &outcomes));
          if (federation::IsStrict(req->federation_mode())) {
            if (absl::Status all = federation::RequireEveryRegion(outcomes); !all.ok()) return all;
          }
        }
        const KeyIndex& index = national ? national_index : (*snapshot)->index;
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
        if (national) {
          federation::FillFederationInfo(common::v1::REGION_SCOPE_NATIONAL, outcomes, now,
                                         resp->mutable_federation());
          return absl::OkStatus();
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
        if (!federation::IsKnownMode(req->federation_mode())) {
          v.Add("federation_mode", "unknown federation mode");
        }
        if (!v.empty()) return v.ToStatus();
        const bool national = req->scope() == common::v1::REGION_SCOPE_NATIONAL;
        const absl::Time now = absl::Now();
        // NATIONAL: this hub's open vacancies (the candidate cache) with the read model's of the
        // other regions, read in place; the vacancy asked about is looked up alone (this hub's
        // store, else the read model), never found by copying every candidate.
        std::vector<federation::RegionOutcome> outcomes;
        KeyIndex national_index;
        if (national) {
          absl::StatusOr<std::shared_ptr<const CandidateSnapshot>> snapshot =
              candidates_.Current();
          if (!snapshot.ok()) return snapshot.status();
          national_index = KeyIndex(NationalGroups((*snapshot)->index, now, &outcomes));
          if (federation::IsStrict(req->federation_mode())) {
            if (absl::Status all = federation::RequireEveryRegion(outcomes); !all.ok()) return all;
          }
          federation::FillFederationInfo(common::v1::REGION_SCOPE_NATIONAL, outcomes, now,
                                         resp->mutable_federation());
        }
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<ReferralRecord> referral =
                  OwnedByCaller(call.principal(), store_.GetReferral(tx, req->referral_id()));
              if (!referral.ok()) return referral.status();
              absl::StatusOr<Candidate> target = store_.LoadCandidate(tx, req->vacancy_id());
              if (!target.ok() && national && peer_vacancies_ != nullptr &&
                  absl::IsNotFound(target.status())) {
                if (std::optional<Candidate> copy = peer_vacancies_->Find(req->vacancy_id(), now)) {
                  target = *std::move(copy);
                }
              }
              if (!target.ok()) return target.status();
              MatchRequest request{referral->la_code, RegionOf(referral->la_code),
                                   referral->profile, referral->constraints,
                                   ScopeFromProto(req->scope())};
              auto fill = [&](const Explanation& e, const Candidate& c) {
                resp->set_excluded(e.excluded);
                for (const FilterVerdict& f : e.filters) *resp->add_filters() = ToProto(f);
                if (e.match.has_value()) {
                  FillMatch(*e.match, c, resp->mutable_match());
                  FillCandidate(c, now, options_.match.stale_after, resp->mutable_match());
                }
              };
              if (national) {
                fill(ExplainByKeys(request, national_index, *target, now, options_.match),
                     *target);
                return absl::OkStatus();
              }
              absl::StatusOr<std::vector<Candidate>> candidates =
                  store_.LoadCandidates(tx, request.scope, request.la_code, request.region);
              if (!candidates.ok()) return candidates.status();
              size_t index = candidates->size();
              for (size_t i = 0; i < candidates->size(); ++i) {
                if ((*candidates)[i].vacancy.vacancy_id == req->vacancy_id()) index = i;
              }
              if (index == candidates->size()) candidates->push_back(*target);
              fill(Explain(request, *candidates, index, now, options_.match), (*candidates)[index]);
              return absl::OkStatus();
            });
      });
}

}  // namespace slihub::placement
