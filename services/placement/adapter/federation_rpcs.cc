// PlacementService's part of federation: holds, releases and confirmations forwarded to the hub
// that owns the vacancy (through the typed hub connection) and recorded here, the release of a
// closed referral's holds at their owners, and the key groups of a national match (this hub's
// and the read model's).
#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/federation/federation.h"
#include "services/placement/adapter/hub_forwarding.h"
#include "services/placement/adapter/placement_service.h"
#include "services/placement/adapter/rpc_helpers.h"
#include "services/placement/store/transactions.h"
#include "common/base/log.h"

namespace slihub::placement {

std::string PlacementServiceImpl::ForeignOwner(const std::string& id) const {
  if (context_.federation == nullptr) return "";
  const size_t dash = id.find('-');
  if (dash == std::string::npos) return "";
  const std::string prefix = id.substr(0, dash);
  const std::vector<std::string>& others = context_.federation->other_regions();
  return std::find(others.begin(), others.end(), prefix) != others.end() ? prefix : "";
}

absl::Status PlacementServiceImpl::ForwardHold(const CallInfo& call, const std::string& owner,
                                               const v1::HoldVacancyRequest& req,
                                               v1::HoldVacancyResponse* resp) {
  absl::StatusOr<ReferralRecord> referral = OwnedByCaller(
      call.principal(), InReadTransaction(*context_.database, [&](store::Transaction& tx) {
        return store_.GetReferral(tx, req.referral_id());
      }));
  if (!referral.ok()) return referral.status();
  if (referral->state != kReferralOpen) {
    return FailedPreconditionError("the referral is not open",
                                   {{"REFERRAL_NOT_OPEN", "referral/" + referral->referral_id,
                                     "only open referrals hold beds"}});
  }
  absl::StatusOr<v1::HoldVacancyResponse> held =
      hubs_->HoldVacancy(owner, ForwardedHold(req, call.principal().subject, referral->la_code));
  if (!held.ok()) return held.status();
  // Recorded here so that closing the referral releases it there (a retry replays at the owner
  // and records again).
  const PeerHoldRecord record = PeerHoldFromReply(owner, referral->referral_id, held->hold());
  absl::Status recorded = context_.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    return store_.RecordPeerHold(tx, record, absl::Now());
  });
  if (!recorded.ok()) {
    return absl::Status(recorded.code(),
                        absl::StrCat("the hold was made at region ", owner,
                                     "'s hub but not recorded here (retry the request): ",
                                     recorded.message()));
  }
  *resp = *std::move(held);
  return absl::OkStatus();
}

absl::Status PlacementServiceImpl::ForwardRelease(const CallInfo& call, const std::string& owner,
                                                  const v1::ReleaseHoldRequest& req,
                                                  v1::ReleaseHoldResponse* resp) {
  const Principal& who = call.principal();
  if (!who.HasAnyRole({Role::kPlacementOfficer, Role::kRegionalAdmin})) {
    return Denied("only placement officers and regional admins release holds", "NOT_OWN_LA");
  }
  // A regional admin releases any of its region's holds; an officer only its own LA's.
  const std::string officer_la = who.HasRole(Role::kRegionalAdmin) ? "" : who.la_code;
  absl::StatusOr<v1::ReleaseHoldResponse> released =
      hubs_->ReleaseHold(owner, ForwardedRelease(req, who.subject, officer_la));
  if (!released.ok()) return released.status();
  const PeerHoldRecord record =
      PeerHoldFromReply(owner, released->hold().referral_id(), released->hold());
  absl::Status recorded = context_.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    return store_.RecordPeerHold(tx, record, absl::Now());
  });
  if (!recorded.ok() && !absl::IsNotFound(recorded)) {
    LogWarning("peer_hold_not_recorded").Str("region", owner).Str("error", recorded.ToString());
  }
  *resp = *std::move(released);
  return absl::OkStatus();
}

absl::Status PlacementServiceImpl::ForwardConfirm(const CallInfo& call, const std::string& owner,
                                                  const v1::ConfirmPlacementRequest& req,
                                                  v1::ConfirmPlacementResponse* resp) {
  const Principal& who = call.principal();
  if (!who.HasAnyRole({Role::kPlacementOfficer, Role::kRegionalAdmin})) {
    return Denied("only placement officers and regional admins confirm placements", "NOT_OWN_LA");
  }
  // The referral this hub holds the bed for: known from the recorded hold; its child's home gives
  // the placement's distance here (nothing of the child goes to the owner).
  std::optional<ReferralRecord> referral;
  std::optional<PeerHoldRecord> hold;
  absl::Status read = context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    absl::StatusOr<std::optional<PeerHoldRecord>> found = store_.FindPeerHold(tx, req.hold_id());
    if (!found.ok()) return found.status();
    hold = *found;
    if (!hold.has_value()) return absl::OkStatus();
    absl::StatusOr<ReferralRecord> r = OwnedByCaller(who, store_.GetReferral(tx, hold->referral_id));
    if (!r.ok()) return r.status();
    referral = *std::move(r);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (referral.has_value() && referral->state != kReferralOpen &&
      !(referral->state == kReferralPlaced && hold->state == kHoldConfirmed)) {
    return FailedPreconditionError("the referral is not open",
                                   {{"REFERRAL_NOT_OPEN", "referral/" + referral->referral_id,
                                     "only open referrals are placed"}});
  }
  std::optional<double> distance;
  if (referral.has_value() && peer_vacancies_ != nullptr) {
    if (std::optional<Candidate> copy = peer_vacancies_->Find(hold->vacancy_id, absl::Now())) {
      distance = DistanceMiles(referral->profile, copy->setting);
    }
  }
  const std::string officer_la = who.HasRole(Role::kRegionalAdmin) ? "" : who.la_code;
  absl::StatusOr<v1::ConfirmPlacementResponse> placed =
      hubs_->ConfirmPlacement(owner, ForwardedConfirm(req, who.subject, officer_la));
  if (!placed.ok()) return placed.status();
  // The referral this hub placed: the recorded one, else the owner's reference (this hub's id).
  const std::string referral_id =
      referral.has_value() ? referral->referral_id : placed->placement().referral_id();
  const PeerHoldRecord record =
      PeerPlacementFromReply(owner, referral_id, *placed, distance, absl::Now());
  std::vector<PeerHoldRecord> others;
  absl::Status recorded = context_.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    absl::StatusOr<ReferralRecord> r = OwnedByCaller(who, store_.GetReferral(tx, referral_id));
    if (!r.ok()) return r.status();
    absl::Status done = store_.RecordPeerPlacement(tx, record, Writer(call, req.request_id()));
    if (!done.ok()) return done;
    absl::StatusOr<std::vector<PeerHoldRecord>> active = store_.ActivePeerHolds(tx, referral_id);
    if (!active.ok()) return active.status();
    others = *std::move(active);
    return absl::OkStatus();
  });
  if (!recorded.ok()) {
    return absl::Status(recorded.code(),
                        absl::StrCat("the placement was confirmed at region ", owner,
                                     "'s hub but not recorded here (retry the request): ",
                                     recorded.message()));
  }
  // The child is placed: its holds at any third region's hub go back too.
  RecordPeerReleases(ReleasePeerHolds(*hubs_, others, who.subject, req.request_id(),
                                      "referral placed elsewhere"));
  *resp = *std::move(placed);
  return absl::OkStatus();
}

std::vector<PeerReleaseOutcome> PlacementServiceImpl::ReleaseHoldsElsewhere(
    const CallInfo& call, const std::string& referral_id, const std::string& request_id) {
  if (hubs_ == nullptr) return {};
  absl::StatusOr<std::vector<PeerHoldRecord>> active =
      InReadTransaction(*context_.database, [&](store::Transaction& tx) {
        return store_.ActivePeerHolds(tx, referral_id);
      });
  if (!active.ok()) {
    PeerReleaseOutcome unread;
    unread.reason = absl::StrCat("this hub could not read the referral's holds at other regions' "
                                 "hubs (retry the request): ", active.status().message());
    return {unread};
  }
  std::vector<PeerReleaseOutcome> outcomes =
      ReleasePeerHolds(*hubs_, *active, call.principal().subject, request_id, "referral closed");
  RecordPeerReleases(outcomes);
  return outcomes;
}

void PlacementServiceImpl::RecordPeerReleases(const std::vector<PeerReleaseOutcome>& outcomes) {
  for (const PeerReleaseOutcome& o : outcomes) {
    if (!o.ended) {
      LogWarning("peer_hold_not_released").Str("region", o.hold.region).Str("hold", o.hold.hold_id);
      continue;
    }
    absl::Status recorded =
        context_.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
          return store_.RecordPeerHold(tx, o.hold, absl::Now());
        });
    if (!recorded.ok()) {
      LogWarning("peer_hold_not_recorded").Str("region", o.hold.region).Str("error",
                                                                             recorded.ToString());
    }
  }
}

std::vector<std::shared_ptr<const KeyGroup>> PlacementServiceImpl::NationalGroups(
    const KeyIndex& local, absl::Time now, std::vector<federation::RegionOutcome>* outcomes) {
  outcomes->push_back(federation::LocalOutcome(context_.config->hub_region, now));
  std::vector<std::shared_ptr<const KeyGroup>> groups = local.groups();
  if (peer_vacancies_ != nullptr) {
    for (PeerRegionPart& part : peer_vacancies_->Current(now)) {
      outcomes->push_back(std::move(part.outcome));
      groups.insert(groups.end(), part.groups.begin(), part.groups.end());
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return std::tie(a->region, a->host_la) < std::tie(b->region, b->host_la);
  });
  return groups;
}

}  // namespace slihub::placement
