#include "services/peerreview/adapter/handler_support.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"

namespace slihub::peerreview {

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
  CheckText(pair.reason(), absl::StrCat(field, ".reason"), TextRule{500, true, false}, v);
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

absl::StatusOr<StoredCycle> LoadCycleOfRegion(store::Transaction& tx, const Principal& principal,
                                              const std::string& cycle_id) {
  absl::StatusOr<StoredCycle> cycle = LoadCycle(tx, cycle_id);
  if (!cycle.ok()) return cycle.status();
  absl::Status region = CheckRegion(principal, cycle->cycle);
  if (!region.ok()) return region;
  return cycle;
}

const LocalAuthorityRecord* CheckKeys(const ReferenceData& refdata, const std::string& region,
                                      const std::string& cycle_id, const std::string& la,
                                      FieldViolations* v) {
  CheckId(cycle_id, "cycle_id", v);
  return ReadLaOfRegion(refdata, la, region, "la_code.value", v);
}

absl::Status CheckExpectedVersion(const std::string& what, int64_t version, int64_t expected) {
  if (expected != 0 && expected != version) {
    return absl::AbortedError(
        absl::StrCat(what, " is at version ", version, ", not ", expected, ": read it again and retry"));
  }
  return absl::OkStatus();
}

absl::Status PermissionDenied(const std::string& why, const std::string& reason) {
  absl::Status status = absl::PermissionDeniedError(why);
  SetErrorInfo(status, reason);
  return status;
}

int PageOffset(const common::v1::PageRequest& page, const std::string& scope, int* size, FieldViolations* v) {
  *size = ResolvePageSize(page.page_size(), "page.page_size", v);
  const std::string after = DecodePageToken(scope, page.page_token(), "page.page_token", v);
  int offset = 0;
  if (!after.empty() && (!absl::SimpleAtoi(after, &offset) || offset < 0)) {
    v->Add("page.page_token", "is not a page token from this list");
  }
  return offset;
}

absl::Status CheckVersion(const v1::Cycle& cycle, int64_t expected) {
  return CheckExpectedVersion(absl::StrCat("cycle ", cycle.cycle_id()), cycle.version(), expected);
}

}  // namespace slihub::peerreview
