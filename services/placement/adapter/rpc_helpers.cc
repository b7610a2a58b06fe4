#include "services/placement/adapter/rpc_helpers.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace slihub::placement {

std::string Method(const char* name) {
  return absl::StrCat("/slihub.placement.v1.PlacementService/", name);
}

absl::Status Denied(absl::string_view message, absl::string_view reason) {
  absl::Status s = absl::PermissionDeniedError(message);
  SetErrorInfo(s, reason);
  return s;
}

WriteContext Writer(const CallInfo& call, const std::string& request_id) {
  return WriteContext{call.principal().subject, request_id, absl::Now()};
}

void RequireId(const std::string& value, const std::string& field, FieldViolations* v) {
  if (value.empty()) v->Add(field, "required");
  if (value.size() > 100) v->Add(field, "at most 100 characters");
}

void CheckRequestId(const std::string& request_id, FieldViolations* v) {
  if (request_id.size() > 128) v->Add("request_id", "at most 128 characters");
}

void CheckVersionedWrite(const std::string& request_id, const std::string& id,
                         const std::string& id_field, int64_t version,
                         const std::string& version_field, FieldViolations* v) {
  CheckRequestId(request_id, v);
  RequireId(id, id_field, v);
  if (version < 1) v->Add(version_field, "required: the version last seen");
}

absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

}  // namespace slihub::placement
