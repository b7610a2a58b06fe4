#include "services/workforce/adapter/call_helpers.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/server/proto_time.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {

namespace {

constexpr char kService[] = "/slihub.workforce.v1.WorkforceService/";
constexpr size_t kMaxRequestIdLength = 128;

}  // namespace

std::string Method(const char* name) { return absl::StrCat(kService, name); }

// A stable fingerprint of a request's bytes (FNV-1a, 64 bits), to tell a replay from a reuse.
std::string Fingerprint(const google::protobuf::Message& request) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : request.SerializeAsString()) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", hash);
}

void CheckRequestId(const std::string& request_id, FieldViolations* violations) {
  if (request_id.size() > kMaxRequestIdLength) {
    violations->Add("request_id", "must be at most 128 characters");
  }
}

void CheckExceptionIds(const google::protobuf::RepeatedPtrField<std::string>& ids,
                       FieldViolations* violations) {
  for (int i = 0; i < ids.size(); ++i) {
    if (ids.Get(i).empty()) {
      violations->Add(absl::StrCat("exception_ids[", i, "]"), "must not be empty");
    }
  }
}

absl::StatusOr<std::vector<std::string>> ListScope(
    const Principal& who, const LocalAuthorityRecord* la, const ReferenceData& refdata,
    absl::FunctionRef<absl::Status(const LocalAuthorityRecord&)> check) {
  if (la != nullptr) {
    absl::Status scope = check(*la);
    if (!scope.ok()) return scope;
    return std::vector<std::string>{la->la_code};
  }
  if (who.HasRole(Role::kRegionalAdmin)) {
    const RegionRecord* region = refdata.FindRegion(who.region_code);
    if (region == nullptr) return absl::PermissionDeniedError("the caller has no region");
    return region->la_codes;
  }
  if (!who.la_code.empty()) return std::vector<std::string>{who.la_code};
  return absl::PermissionDeniedError("an LA officer's token must name its LA");
}

absl::Status ReadPage(store::Database& db,
                      absl::FunctionRef<absl::Status(store::Transaction&)> read) {
  absl::Status status = db.Run(store::TxMode::kRead, read);
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return InvalidArgumentError("bad page token",
                                {{"page.page_token", "is not a token this list made"}});
  }
  return status;
}

// Runs `body` in one write transaction and records `response` under the caller's request id;
// a repeated request id gets the recorded response back without running `body`. An empty
// request id runs `body` without recording.
absl::Status RunIdempotent(store::Database& db, const char* method, const CallInfo& call,
                           const std::string& request_id,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(store::Transaction&)> body) {
  const std::string key = request_id.empty()
                              ? std::string()
                              : absl::StrCat(method, "\x1f", call.principal().subject, "\x1f",
                                             request_id);
  const std::string fingerprint = Fingerprint(request);
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    if (key.empty()) return body(tx);
    absl::StatusOr<std::optional<WorkforceStore::Replay>> replay =
        WorkforceStore::FindReplay(tx, key);
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      if ((*replay)->fingerprint != fingerprint) {
        return InvalidArgumentError("request_id reused",
                                    {{"request_id", "was already used for a different request"}});
      }
      if (!response->ParseFromString((*replay)->response)) {
        return absl::InternalError("a recorded response could not be read");
      }
      return absl::OkStatus();
    }
    absl::Status status = body(tx);
    if (!status.ok()) return status;
    return WorkforceStore::SaveReplay(tx, key, fingerprint, response->SerializeAsString(),
                                      absl::Now());
  });
}

// OK when `who` may act for `la`: an HR officer of that LA, or a holder of one of
// `region_roles` in the LA's region. PermissionDenied (reason LA_OUT_OF_SCOPE) otherwise.
absl::Status CheckLaScope(const Principal& who, const LocalAuthorityRecord& la,
                          std::initializer_list<Role> region_roles) {
  if (who.HasRole(Role::kHrOfficer) && who.la_code == la.la_code) return absl::OkStatus();
  if (who.HasAnyRole(region_roles) && who.region_code == la.region_code) return absl::OkStatus();
  absl::Status status = absl::PermissionDeniedError(
      absl::StrCat("the caller may not act for LA ", la.la_code, " (", la.region_code, ")"));
  SetErrorInfo(status, "LA_OUT_OF_SCOPE", {{"la_code", la.la_code}});
  return status;
}

WriteMeta Meta(const CallInfo& call, const std::string& request_id) {
  return WriteMeta{call.principal().subject,
                   request_id.empty() ? call.request_id() : request_id, absl::Now()};
}

void FillFederation(const ReferenceData& refdata, const std::string& hub,
                    slihub::common::v1::RegionScope scope,
                    slihub::common::v1::FederationInfo* out) {
  namespace cpb = ::slihub::common::v1;
  out->set_scope(scope);
  const google::protobuf::Timestamp now = ToProtoTimestamp(absl::Now());
  for (const RegionRecord& region : refdata.regions()) {
    const bool own = region.code == hub;
    if (!own && scope != cpb::REGION_SCOPE_NATIONAL) continue;
    cpb::RegionAnswer* answer = out->add_regions();
    answer->mutable_region()->set_value(region.code);
    answer->set_state(own ? cpb::REGION_ANSWER_STATE_FRESH : cpb::REGION_ANSWER_STATE_UNAVAILABLE);
    if (own) *answer->mutable_as_of() = now;
  }
}

absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

}  // namespace slihub::workforce
