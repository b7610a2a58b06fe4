// What every WorkforceService handler shares: method names, request-id replays, and the
// LA/region scope check.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_CALL_HELPERS_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_CALL_HELPERS_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "common/identity/principal.h"
#include "common/refdata/reference_data.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/workforce/store/workforce_store.h"
#include "slihub/common/v1/types.pb.h"

namespace slihub::workforce {

// "/slihub.workforce.v1.WorkforceService/<name>".
std::string Method(const char* name);

// A stable fingerprint of a request's bytes (FNV-1a, 64 bits), to tell a replay from a reuse.
std::string Fingerprint(const google::protobuf::Message& request);

// Adds a violation when `request_id` is longer than 128 characters.
void CheckRequestId(const std::string& request_id, FieldViolations* violations);

// Adds a violation for each empty id in `ids` ("exception_ids[i]").
void CheckExceptionIds(const google::protobuf::RepeatedPtrField<std::string>& ids,
                       FieldViolations* violations);

// The LAs a list by `who` covers: `la` when given (after `check` allows it), else every LA of
// a regional admin's region, else the caller's own LA. PermissionDenied otherwise.
absl::StatusOr<std::vector<std::string>> ListScope(
    const Principal& who, const LocalAuthorityRecord* la, const ReferenceData& refdata,
    absl::FunctionRef<absl::Status(const LocalAuthorityRecord&)> check);

// Runs `read` in a read transaction of `db`; an InvalidArgument from it (the store could not
// read a resume key) becomes a violation on page.page_token.
absl::Status ReadPage(store::Database& db,
                      absl::FunctionRef<absl::Status(store::Transaction&)> read);

// Runs `body` in one write transaction and records `response` under the caller's request id;
// a repeated request id gets the recorded response back without running `body`
// (INVALID_ARGUMENT on request_id when the request differs). An empty request id runs `body`
// without recording.
absl::Status RunIdempotent(store::Database& db, const char* method, const CallInfo& call,
                           const std::string& request_id,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(store::Transaction&)> body);

// OK when `who` may act for `la`: an HR officer of that LA, or a holder of one of
// `region_roles` in the LA's region. PermissionDenied (reason LA_OUT_OF_SCOPE) otherwise.
absl::Status CheckLaScope(const Principal& who, const LocalAuthorityRecord& la,
                          std::initializer_list<Role> region_roles);

// The audit facts of a write by `call`.
WriteMeta Meta(const CallInfo& call, const std::string& request_id);

// Reports which regions answered a `scope` query made at the hub of `hub`: the hub's own
// region FRESH now; with NATIONAL scope, every other region UNAVAILABLE (other hubs are not
// asked yet: their part is reported missing, never guessed).
void FillFederation(const ReferenceData& refdata, const std::string& hub,
                    slihub::common::v1::RegionScope scope, slihub::common::v1::FederationInfo* out);

// Today's date in UTC.
absl::CivilDay Today();

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_CALL_HELPERS_H_
