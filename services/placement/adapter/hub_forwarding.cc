#include "services/placement/adapter/hub_forwarding.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"

namespace slihub::placement {
namespace {

// FNV-1a, 64 bits, from `seed`: stable across processes (the forwarded request id must be).
uint64_t Fnv(absl::string_view text, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string ForwardedRequestId(const std::string& subject, const std::string& request_id) {
  const std::string both = absl::StrCat(subject, "\n", request_id);
  return absl::StrFormat("fwd-%016x%016x", Fnv(both, 14695981039346656037ULL),
                         Fnv(both, 1099511628211ULL * 31));
}

v1::HoldVacancyRequest ForwardedHold(const v1::HoldVacancyRequest& req, const std::string& subject,
                                     const std::string& la_code) {
  v1::HoldVacancyRequest out = req;
  out.set_request_id(ForwardedRequestId(subject, req.request_id()));
  out.mutable_requesting_la()->set_value(la_code);
  return out;
}

v1::ReleaseHoldRequest ForwardedRelease(const v1::ReleaseHoldRequest& req,
                                        const std::string& subject, const std::string& officer_la) {
  v1::ReleaseHoldRequest out = req;
  out.set_request_id(ForwardedRequestId(subject, req.request_id()));
  out.clear_requesting_la();
  if (!officer_la.empty()) out.mutable_requesting_la()->set_value(officer_la);
  return out;
}

v1::ConfirmPlacementRequest ForwardedConfirm(const v1::ConfirmPlacementRequest& req,
                                             const std::string& subject,
                                             const std::string& officer_la) {
  v1::ConfirmPlacementRequest out = req;
  out.set_request_id(ForwardedRequestId(subject, req.request_id()));
  out.clear_requesting_la();
  if (!officer_la.empty()) out.mutable_requesting_la()->set_value(officer_la);
  return out;
}

PeerHoldRecord PeerHoldFromReply(const std::string& region, const std::string& referral_id,
                                 const v1::Hold& hold) {
  PeerHoldRecord h;
  h.hold_id = hold.hold_id();
  h.region = region;
  h.referral_id = referral_id;
  h.la_code = hold.la_code().value();
  h.vacancy_id = hold.vacancy_id();
  h.state = static_cast<int>(hold.state());
  h.version = hold.version();
  h.placement_id = hold.placement_id();
  h.reason = hold.release_reason();
  return h;
}

PeerHoldRecord PeerPlacementFromReply(const std::string& region, const std::string& referral_id,
                                      const v1::ConfirmPlacementResponse& reply,
                                      std::optional<double> distance_miles, absl::Time now) {
  PeerHoldRecord h = PeerHoldFromReply(region, referral_id, reply.hold());
  const v1::Placement& p = reply.placement();
  h.state = kHoldConfirmed;
  h.placement_id = p.placement_id();
  if (p.has_start_date()) {
    h.start_date =
        absl::CivilDay(p.start_date().year(), p.start_date().month(), p.start_date().day());
  }
  h.weekly_cost_pence = p.weekly_cost().pence();
  h.distance_miles = distance_miles;
  absl::StatusOr<absl::Time> confirmed = FromProtoTimestamp(p.confirm_time());
  h.confirm_time = confirmed.ok() && p.has_confirm_time() ? *confirmed : now;
  return h;
}

std::vector<PeerReleaseOutcome> ReleasePeerHolds(PlacementHubConnection& hubs,
                                                 const std::vector<PeerHoldRecord>& holds,
                                                 const std::string& subject,
                                                 const std::string& request_id,
                                                 const std::string& reason) {
  std::vector<PeerReleaseOutcome> out;
  for (const PeerHoldRecord& hold : holds) {
    PeerReleaseOutcome o;
    o.hold = hold;
    v1::ReleaseHoldRequest req;
    req.set_request_id(ForwardedRequestId(subject, absl::StrCat(request_id, "/", hold.hold_id)));
    req.set_hold_id(hold.hold_id);
    req.set_version(hold.version);
    req.set_reason(reason);
    req.mutable_requesting_la()->set_value(hold.la_code);
    absl::StatusOr<v1::ReleaseHoldResponse> released = hubs.ReleaseHold(hold.region, req);
    if (released.ok()) {
      o.hold = PeerHoldFromReply(hold.region, hold.referral_id, released->hold());
      o.released = true;
      o.ended = true;
    } else {
      const std::vector<PreconditionViolation> why =
          GetPreconditionViolations(released.status());
      const std::string type = why.empty() ? "" : why[0].type;
      if (type == "HOLD_NOT_ACTIVE" || type == "HOLD_EXPIRED") {
        o.ended = true;
        o.hold.state = type == "HOLD_EXPIRED" ? kHoldExpired : kHoldReleased;
        o.reason = absl::StrCat("the hold is no longer active at region ", hold.region, "'s hub: ",
                                released.status().message());
      } else {
        o.reason = absl::StrCat("not released at region ", hold.region,
                                "'s hub (it stays held there until it lapses): ",
                                released.status().message());
      }
      o.hold.reason = o.reason;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace slihub::placement
