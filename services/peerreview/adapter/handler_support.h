// Pieces every PeerReviewService handler shares: role policies, common field checks, region
// scoping, cycle loading and versioning, and the idempotent-mutation wrapper.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_HANDLER_SUPPORT_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_HANDLER_SUPPORT_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "slihub/common/v1/types.pb.h"
#include "common/refdata/reference_data.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "services/peerreview/store/peerreview_store.h"
#include "slihub/peerreview/v1/cycle.pb.h"

namespace slihub::peerreview {

// Who may call: the regional admin; admin, peer reviewers and readers; admin and peer reviewers.
const MethodPolicy& AdminOnly();
const MethodPolicy& Readers();
const MethodPolicy& AdminOrReviewer();
// Peer reviewers only (an LA acting on its own records).
const MethodPolicy& ReviewersOnly();

// "/slihub.peerreview.v1.PeerReviewService/<name>", interned: the reference stays valid.
const std::string& Method(absl::string_view name);

// Today's date in England (Europe/London).
absl::CivilDay UkToday();

// "is required" at `field` when `value` is empty.
void Require(const std::string& value, const std::string& field, FieldViolations* v);

// request_id: 1..64 characters.
void CheckRequestId(const std::string& id, FieldViolations* v);
// A DfE code of an LA in the reference data.
void CheckLa(const ReferenceData& refdata, const std::string& code, const std::string& field,
             FieldViolations* v);
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
// "cycle_id" required and "la_code.value" a DfE code: the keys of a self-assessment.
void CheckKeys(const std::string& cycle_id, const std::string& la, FieldViolations* v);
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
// request's idempotency key; the key is kept only with the remembered answer (RunMutation).
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

// Runs `body` in a write transaction as the first answer to (caller, request_id): a retry with the
// same request gets the stored response, a different request with the same id ALREADY_EXISTS.
template <typename Request, typename Response>
absl::Status RunMutation(store::Database& db, const CallInfo& call, absl::string_view method,
                         const Request& request, Response* response,
                         absl::FunctionRef<absl::Status(store::Transaction&)> body) {
  const std::string bytes = request.SerializeAsString();
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<IdempotentAnswer>> found =
        PeerReviewStore::FindAnswer(tx, call.principal().subject, request.request_id());
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      if ((*found)->method != method || (*found)->request != bytes) {
        absl::Status status = absl::AlreadyExistsError(absl::StrCat(
            "request_id '", request.request_id(), "' was already used for a different request"));
        SetErrorInfo(status, "REQUEST_ID_REUSED");
        return status;
      }
      if (!response->ParseFromString((*found)->response)) {
        return absl::DataLossError("a stored answer does not parse");
      }
      return absl::OkStatus();
    }
    absl::Status status = body(tx);
    if (!status.ok()) return status;
    return PeerReviewStore::SaveAnswer(tx, call.principal().subject, request.request_id(),
                                       {std::string(method), bytes, response->SerializeAsString()});
  });
}

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_HANDLER_SUPPORT_H_
