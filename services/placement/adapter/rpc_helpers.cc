#include "services/placement/adapter/rpc_helpers.h"

#include "absl/time/clock.h"
#include "common/server/request_fields.h"
#include "slihub/common/v1/types.pb.h"

namespace slihub::placement {

absl::Status Denied(absl::string_view message, absl::string_view reason) {
  absl::Status s = absl::PermissionDeniedError(message);
  SetErrorInfo(s, reason);
  return s;
}

WriteContext Writer(const CallInfo& call, const std::string& request_id) {
  return WriteContext{call.principal().subject, request_id,
                      absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()))};
}

void CheckVersionedWrite(const std::string& request_id, const std::string& id,
                         const std::string& id_field, int64_t version,
                         const std::string& version_field, FieldViolations* v) {
  CheckRequestId(request_id, "request_id", v);
  CheckId(id, id_field, v);
  if (version < 1) v->Add(version_field, "required: the version last seen");
}

void CheckScope(int scope, const std::string& field, FieldViolations* v) {
  if (!common::v1::RegionScope_IsValid(scope)) v->Add(field, "unknown scope");
}

}  // namespace slihub::placement
