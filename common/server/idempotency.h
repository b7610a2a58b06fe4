// Idempotent writes, one meaning in every service: a write carries a request_id; the first call
// with it runs and its answer is kept; a retry of the same request with the same id gets exactly
// that answer (every field, timestamps and audit included) without running again; the same id
// with a different request is refused (INVALID_ARGUMENT, ErrorInfo IDEMPOTENCY_KEY_REUSED).
// Answers are kept per caller (token subject) in the service's own store, in the write's own
// transaction, so an answer is kept exactly when the write commits.
#ifndef SLIHUB_COMMON_SERVER_IDEMPOTENCY_H_
#define SLIHUB_COMMON_SERVER_IDEMPOTENCY_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"
#include "common/store/migration.h"
#include "google/protobuf/message.h"

namespace slihub {

// The migration that creates the kept-answers table (idempotent_answers), numbered `version` in
// the service's own list. Services add it once; its SQL never changes.
store::Migration IdempotencyMigration(int version);

// A fingerprint of `request` that tells a replay from a reuse: SHA-256 of its deterministic
// serialization, hex. Two requests equal field by field have the same fingerprint.
std::string RequestFingerprint(const google::protobuf::Message& request);

// Runs `body` in one write transaction of `db` as the first answer to (the caller of `call`,
// `request_id`) for `call`'s method, keeping `response` (filled by `body`) with it; a retry with
// the same id and an equal request gets the kept response without running `body`; the same id
// with another request or method is INVALID_ARGUMENT on `request_id_field` with ErrorInfo
// IDEMPOTENCY_KEY_REUSED. A failing `body` keeps nothing. `request_id` must already have passed
// CheckRequestId (request_fields.h). DATA_LOSS when a kept answer no longer parses.
absl::Status RunIdempotent(store::Database& db, const CallInfo& call,
                           absl::string_view request_id, absl::string_view request_id_field,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(store::Transaction&)> body);

// Looks up, in a read transaction of `db`, the answer kept for (the caller of `call`,
// `request_id`) without writing: true with `response` filled when a replay of this request was
// found, false when none is kept, and the errors of RunIdempotent (IDEMPOTENCY_KEY_REUSED,
// DATA_LOSS) otherwise. For a write whose body is expensive to run before its transaction (a
// solver, say): it answers a retry before the work; RunIdempotent still decides a race.
absl::StatusOr<bool> FindKeptAnswer(store::Database& db, const CallInfo& call,
                                    absl::string_view request_id,
                                    absl::string_view request_id_field,
                                    const google::protobuf::Message& request,
                                    google::protobuf::Message* response);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_IDEMPOTENCY_H_
