// What PeerReviewService's handlers share that is peer review's own: cycle participants and
// pairs, cycle loading with region scoping, version checks, list paging over offsets and the
// audit stamp. The request rules every service shares are in common/server (request_fields.h,
// idempotency.h, unary_call.h).
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_HANDLER_SUPPORT_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_HANDLER_SUPPORT_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/refdata/reference_data.h"
#include "common/server/proto_time.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "services/peerreview/store/peerreview_store.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/peerreview/v1/cycle.pb.h"

namespace slihub::peerreview {

// Whether `la` is a participant of `cycle`.
bool IsParticipant(const v1::Cycle& cycle, const std::string& la);
// A pair of two different participants of `cycle`, violations under `field`.
void CheckPair(const v1::Cycle& cycle, const v1::LaPair& pair, const std::string& field,
               FieldViolations* v);

// PERMISSION_DENIED unless the principal's region is the cycle's.
absl::Status CheckRegion(const Principal& principal, const v1::Cycle& cycle);
// The cycle or NOT_FOUND.
absl::StatusOr<StoredCycle> LoadCycle(store::Transaction& tx, const std::string& cycle_id);
// The cycle, NOT_FOUND, or PERMISSION_DENIED when it is not of the principal's region.
absl::StatusOr<StoredCycle> LoadCycleOfRegion(store::Transaction& tx, const Principal& principal,
                                              const std::string& cycle_id);
// The keys of a self-assessment: "cycle_id" an id and "la_code.value" an LA of `region` (the
// hub's), which is returned (null after a violation).
const LocalAuthorityRecord* CheckKeys(const ReferenceData& refdata, const std::string& region,
                                      const std::string& cycle_id, const std::string& la,
                                      FieldViolations* v);
// ABORTED when `expected` is non-zero and not the cycle's version.
absl::Status CheckVersion(const v1::Cycle& cycle, int64_t expected);
// ABORTED when `expected` is non-zero and not `version`, the stored version of `what` (for
// example "event EE-2025-E1").
absl::Status CheckExpectedVersion(const std::string& what, int64_t version, int64_t expected);
// PERMISSION_DENIED saying `why`, with an ErrorInfo `reason`.
absl::Status PermissionDenied(const std::string& why, const std::string& reason);
// The offset carried by a list's page token (0 for the first page) and, in `size`, the page size;
// violations under "page.".
int PageOffset(const common::v1::PageRequest& page, const std::string& scope, int* size, FieldViolations* v);

// Audit rule, for every record this service writes: AuditInfo.request_id is the x-request-id of
// the call that last wrote it (CallInfo::request_id, the id logs and traces carry), never the
// request's idempotency key; the key is kept only with the answer RunIdempotent keeps.
//
// Bumps a record's (cycle, self-assessment, event, review, findings) version and its audit's
// update fields.
template <typename Record>
void Touch(const CallInfo& call, Record& record) {
  record.set_version(record.version() + 1);
  *record.mutable_audit()->mutable_update_time() = ToProtoTimestamp(absl::Now());
  record.mutable_audit()->set_updated_by(call.principal().subject);
  record.mutable_audit()->set_request_id(call.request_id());
}

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_HANDLER_SUPPORT_H_
