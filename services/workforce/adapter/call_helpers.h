// What WorkforceService handlers share that is the workforce's own: exception id lists, the LAs
// a list covers, a page read, the audit of a write and the federation block.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_CALL_HELPERS_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_CALL_HELPERS_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/federation/region_outcome.h"
#include "common/identity/principal.h"
#include "common/refdata/reference_data.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/workforce/store/workforce_store.h"
#include "slihub/common/v1/types.pb.h"

namespace slihub::workforce {

// Adds a violation for more than 20 ids ("exception_ids"; no id is then judged), else for each
// bad id in `ids` ("exception_ids[i]").
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

// The audit facts of a write by `call`: its principal, `request_id` and now (whole
// microseconds, as the store keeps times).
WriteMeta Meta(const CallInfo& call, const std::string& request_id);

// Fills `out` for a `scope` answer this hub formed `now` from `outcomes` (the own region first,
// then the others in code order): FederationInfo as federation::FillFederationInfo writes it.
void FillFederation(slihub::common::v1::RegionScope scope,
                    const std::vector<federation::RegionOutcome>& outcomes, absl::Time now,
                    slihub::common::v1::FederationInfo* out);

// The outcomes of a `scope` answer made from this hub (`hub`) alone: its own region FRESH at `now`
// and, for NATIONAL, every region of `others` UNAVAILABLE with `reason` (not asked: never guessed).
std::vector<federation::RegionOutcome> OwnRegionOnly(const std::string& hub,
                                                     const std::vector<std::string>& others,
                                                     slihub::common::v1::RegionScope scope,
                                                     const std::string& reason, absl::Time now);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_CALL_HELPERS_H_
