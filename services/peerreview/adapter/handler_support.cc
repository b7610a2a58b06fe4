#include "services/peerreview/adapter/handler_support.h"

#include <utility>

#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/server/proto_time.h"

namespace slihub::peerreview {

namespace {
constexpr char kService[] = "/slihub.peerreview.v1.PeerReviewService/";
}  // namespace

const MethodPolicy& AdminOnly() {
  static const MethodPolicy* policy = new MethodPolicy{{Role::kRegionalAdmin}};
  return *policy;
}

const MethodPolicy& Readers() {
  static const MethodPolicy* policy =
      new MethodPolicy{{Role::kRegionalAdmin, Role::kPeerReviewer, Role::kReader}};
  return *policy;
}

const MethodPolicy& AdminOrReviewer() {
  static const MethodPolicy* policy = new MethodPolicy{{Role::kRegionalAdmin, Role::kPeerReviewer}};
  return *policy;
}

const std::string& Method(absl::string_view name) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* interned = new absl::node_hash_map<std::string, std::string>();
  absl::MutexLock lock(&mu);
  auto [it, added] = interned->try_emplace(std::string(name));
  if (added) it->second = absl::StrCat(kService, name);
  return it->second;
}

absl::CivilDay UkToday() {
  absl::TimeZone london;
  if (!absl::LoadTimeZone("Europe/London", &london)) london = absl::UTCTimeZone();
  return absl::ToCivilDay(absl::Now(), london);
}

void Require(const std::string& value, const std::string& field, FieldViolations* v) {
  if (value.empty()) v->Add(field, "is required");
}

void CheckRequestId(const std::string& id, FieldViolations* v) {
  if (id.empty() || id.size() > 64) v->Add("request_id", "must be 1 to 64 characters");
}

void CheckLa(const ReferenceData& refdata, const std::string& code, const std::string& field,
             FieldViolations* v) {
  if (!IsLaCodeSyntax(code)) {
    v->Add(field, "must be a DfE three-digit LA code, e.g. 873");
  } else if (refdata.FindLocalAuthority(code) == nullptr) {
    v->Add(field, absl::StrCat(code, " is not an LA in the reference data"));
  }
}

bool IsParticipant(const v1::Cycle& cycle, const std::string& la) {
  for (const auto& p : cycle.participants()) {
    if (p.la_code().value() == la) return true;
  }
  return false;
}

// A pair of two different participants of `cycle`.
void CheckPair(const v1::Cycle& cycle, const v1::LaPair& pair, const std::string& field,
               FieldViolations* v) {
  for (const auto& [la, name] : {std::make_pair(pair.first().value(), "first"),
                                 std::make_pair(pair.second().value(), "second")}) {
    if (!IsParticipant(cycle, la)) {
      v->Add(absl::StrCat(field, ".", name, ".value"),
             absl::StrCat("'", la, "' is not a participant of cycle ", cycle.cycle_id()));
    }
  }
  if (pair.first().value() == pair.second().value()) {
    v->Add(absl::StrCat(field, ".second.value"), "must differ from first: a pair needs two LAs");
  }
  if (pair.reason().size() > 500) v->Add(absl::StrCat(field, ".reason"), "must be at most 500 characters");
}

absl::Status CheckRegion(const Principal& principal, const v1::Cycle& cycle) {
  if (principal.region_code != cycle.region().value()) {
    absl::Status status = absl::PermissionDeniedError(
        absl::StrCat("cycle ", cycle.cycle_id(), " belongs to region ", cycle.region().value()));
    SetErrorInfo(status, "OTHER_REGION");
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredCycle> LoadCycle(store::Transaction& tx, const std::string& cycle_id) {
  absl::StatusOr<std::optional<StoredCycle>> found = PeerReviewStore::GetCycle(tx, cycle_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat("no cycle ", cycle_id));
  return **std::move(found);
}

absl::Status CheckVersion(const v1::Cycle& cycle, int64_t expected) {
  if (expected != 0 && expected != cycle.version()) {
    return absl::AbortedError(absl::StrCat("cycle ", cycle.cycle_id(), " is at version ",
                                           cycle.version(), ", not ", expected,
                                           ": read it again and retry"));
  }
  return absl::OkStatus();
}

void Touch(const CallInfo& call, v1::Cycle& cycle) {
  cycle.set_version(cycle.version() + 1);
  *cycle.mutable_audit()->mutable_update_time() = ToProtoTimestamp(absl::Now());
  cycle.mutable_audit()->set_updated_by(call.principal().subject);
  cycle.mutable_audit()->set_request_id(call.request_id());
}

}  // namespace slihub::peerreview
