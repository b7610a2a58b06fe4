// Helpers the PlacementService handlers share: method names, caller errors, write contexts and
// the common field checks.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_RPC_HELPERS_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_RPC_HELPERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "common/server/unary_call.h"
#include "services/placement/store/placement_store.h"

namespace slihub::placement {

// "/slihub.placement.v1.PlacementService/<name>".
std::string Method(const char* name);

// PermissionDenied with an ErrorInfo `reason`.
absl::Status Denied(absl::string_view message, absl::string_view reason);

// The caller's subject, `request_id` and the current time.
WriteContext Writer(const CallInfo& call, const std::string& request_id);

// Adds a violation when `value` is empty or longer than 100 characters.
void RequireId(const std::string& value, const std::string& field, FieldViolations* v);

// Adds a violation when `request_id` is longer than 128 characters.
void CheckRequestId(const std::string& request_id, FieldViolations* v);

// The checks of a versioned write: request_id (CheckRequestId), the record's id at `id_field`
// (RequireId) and the version last seen at `version_field` (at least 1).
void CheckVersionedWrite(const std::string& request_id, const std::string& id,
                         const std::string& id_field, int64_t version,
                         const std::string& version_field, FieldViolations* v);

// Today's date (UTC).
absl::CivilDay Today();

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_RPC_HELPERS_H_
