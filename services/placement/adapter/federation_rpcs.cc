// PlacementService's part of federation: holds and releases forwarded to the hub that owns the
// vacancy, and the key groups of a national match (this hub's and the read model's).
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
#include "services/placement/adapter/placement_service.h"
#include "services/placement/adapter/rpc_helpers.h"
#include "services/placement/store/transactions.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"

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

// The request id the owner sees for `subject`'s `request_id`: distinct per caller of this hub
// (all of them reach the owner as this hub), the same on every retry, and no subject in clear.
std::string ForwardedRequestId(const std::string& subject, const std::string& request_id) {
  const std::string both = absl::StrCat(subject, "\n", request_id);
  return absl::StrFormat("fwd-%016x%016x", Fnv(both, 14695981039346656037ULL),
                         Fnv(both, 1099511628211ULL * 31));
}

// How long a forwarded write may take at its owner: longer than a lookup's fan-out deadline,
// since under contention the owner serialises its holds (the caller's own deadline still rules).
absl::Time ForwardDeadline(absl::Duration fan_out_deadline) {
  return absl::Now() + std::max(fan_out_deadline, absl::Seconds(10));
}

absl::Status RegionUnavailable(const std::string& region, absl::string_view why) {
  absl::Status s = absl::UnavailableError(absl::StrCat("region ", region, ": ", why));
  SetErrorInfo(s, "REGION_UNAVAILABLE");
  return s;
}

}  // namespace

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
  const federation::PeerHubs& peers = context_.federation->peers();
  std::shared_ptr<grpc::Channel> channel = peers.Channel(owner);
  if (channel == nullptr) {
    return RegionUnavailable(owner, "no peer hub is configured: its vacancies cannot be held");
  }
  v1::HoldVacancyRequest forwarded = req;
  forwarded.set_request_id(ForwardedRequestId(call.principal().subject, req.request_id()));
  forwarded.mutable_requesting_la()->set_value(referral->la_code);
  grpc::ClientContext context;
  peers.Prepare(owner, ForwardDeadline(context_.federation->options().deadline), &context);
  const grpc::Status status =
      v1::PlacementService::NewStub(channel)->HoldVacancy(&context, forwarded, resp);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return RegionUnavailable(
        owner, absl::StrCat("the owning hub did not answer the hold: ", status.error_message()));
  }
  return FromGrpcStatus(status);
}

absl::Status PlacementServiceImpl::ForwardRelease(const CallInfo& call, const std::string& owner,
                                                  const v1::ReleaseHoldRequest& req,
                                                  v1::ReleaseHoldResponse* resp) {
  const Principal& who = call.principal();
  if (!who.HasAnyRole({Role::kPlacementOfficer, Role::kRegionalAdmin})) {
    return Denied("only placement officers and regional admins release holds", "NOT_OWN_LA");
  }
  const federation::PeerHubs& peers = context_.federation->peers();
  std::shared_ptr<grpc::Channel> channel = peers.Channel(owner);
  if (channel == nullptr) {
    return RegionUnavailable(owner, "no peer hub is configured: its holds cannot be released");
  }
  v1::ReleaseHoldRequest forwarded = req;
  forwarded.set_request_id(ForwardedRequestId(who.subject, req.request_id()));
  // A regional admin releases any of its region's holds; an officer only its own LA's.
  if (!who.HasRole(Role::kRegionalAdmin)) forwarded.mutable_requesting_la()->set_value(who.la_code);
  grpc::ClientContext context;
  peers.Prepare(owner, ForwardDeadline(context_.federation->options().deadline), &context);
  const grpc::Status status =
      v1::PlacementService::NewStub(channel)->ReleaseHold(&context, forwarded, resp);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return RegionUnavailable(
        owner, absl::StrCat("the owning hub did not answer the release: ", status.error_message()));
  }
  return FromGrpcStatus(status);
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
