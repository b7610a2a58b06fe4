// Helpers the PlacementService handlers share beyond the common request layer: the tenancy error,
// the write context and the checks of a versioned write.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_RPC_HELPERS_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_RPC_HELPERS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/errors/errors.h"
#include "common/server/unary_call.h"
#include "services/placement/store/placement_store.h"

namespace slihub::placement {

// PermissionDenied with an ErrorInfo `reason`.
absl::Status Denied(absl::string_view message, absl::string_view reason);

// The caller's subject, `request_id` and the current time (truncated to microseconds, as stored).
WriteContext Writer(const CallInfo& call, const std::string& request_id);

// The checks of a versioned write: request_id (CheckRequestId), the record's id at `id_field`
// (CheckId) and the version last seen at `version_field` (at least 1).
void CheckVersionedWrite(const std::string& request_id, const std::string& id,
                         const std::string& id_field, int64_t version,
                         const std::string& version_field, FieldViolations* v);

// Adds a violation at `field` when `scope` is not a RegionScope value.
void CheckScope(int scope, const std::string& field, FieldViolations* v);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_RPC_HELPERS_H_
