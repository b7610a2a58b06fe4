#include "services/workforce/adapter/call_helpers.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/federation/federation_info.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "common/server/request_limits.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

// The most approved exceptions one check or engagement may cite.
constexpr int kMaxExceptionIds = 20;

}  // namespace

void CheckExceptionIds(const google::protobuf::RepeatedPtrField<std::string>& ids,
                       FieldViolations* violations) {
  if (!CheckCount(ids.size(), kMaxExceptionIds, "exception_ids", violations)) return;
  for (int i = 0; i < ids.size(); ++i) {
    CheckId(ids.Get(i), absl::StrCat("exception_ids[", i, "]"), violations);
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

WriteMeta Meta(const CallInfo& call, const std::string& request_id) {
  return WriteMeta{call.principal().subject,
                   request_id.empty() ? call.request_id() : request_id,
                   absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()))};
}

void FillFederation(slihub::common::v1::RegionScope scope,
                    const std::vector<federation::RegionOutcome>& outcomes, absl::Time now,
                    slihub::common::v1::FederationInfo* out) {
  federation::FillFederationInfo(scope, outcomes, now, out);
}

std::vector<federation::RegionOutcome> OwnRegionOnly(const std::string& hub,
                                                     const std::vector<std::string>& others,
                                                     slihub::common::v1::RegionScope scope,
                                                     const std::string& reason, absl::Time now) {
  std::vector<federation::RegionOutcome> outcomes = {federation::LocalOutcome(hub, now)};
  if (scope != slihub::common::v1::REGION_SCOPE_NATIONAL) return outcomes;
  for (const std::string& region : others) {
    federation::RegionOutcome outcome;
    outcome.region = region;
    outcome.state = federation::RegionState::kUnavailable;
    outcome.reason = reason;
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace slihub::workforce
