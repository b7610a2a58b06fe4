#include "common/server/idempotency.h"

#include <openssl/sha.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace slihub {

store::Migration IdempotencyMigration(int version) {
  // Kept answers, keyed by the caller and its request id. `created_at` is microseconds since
  // the Unix epoch (UTC), the time encoding of every slihub store.
  return store::Migration{version, "idempotent_answers",
                          "CREATE TABLE idempotent_answers ("
                          " caller TEXT NOT NULL,"
                          " request_id TEXT NOT NULL,"
                          " method TEXT NOT NULL,"
                          " fingerprint TEXT NOT NULL,"
                          " response BLOB NOT NULL,"
                          " created_at INTEGER NOT NULL,"
                          " PRIMARY KEY (caller, request_id))"};
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

namespace {

// The kept answer to (caller, request_id) read in `tx` into `response`: true when one was kept
// for this very request, false when none was, IDEMPOTENCY_KEY_REUSED when it was for another.
absl::StatusOr<bool> ReadKept(store::Transaction& tx, const CallInfo& call,
                              absl::string_view request_id, absl::string_view request_id_field,
                              const std::string& fingerprint,
                              google::protobuf::Message* response) {
  absl::StatusOr<store::ResultSet> kept = tx.Query(
      "SELECT method, fingerprint, response FROM idempotent_answers"
      " WHERE caller = $1 AND request_id = $2",
      {store::Text(call.principal().subject), store::Text(std::string(request_id))});
  if (!kept.ok()) return kept.status();
  if (kept->empty()) return false;
  const store::Row& row = (*kept)[0];
  if (row.GetText("method") != call.method() || row.GetText("fingerprint") != fingerprint) {
    absl::Status reused = InvalidArgumentError(
        "request_id was already used for a different request",
        {{std::string(request_id_field),
          absl::StrCat("was already used by this caller for a different request (",
                       row.GetText("method"), "); use a new request_id for a new write")}});
    SetErrorInfo(reused, "IDEMPOTENCY_KEY_REUSED");
    return reused;
  }
  response->Clear();
  if (!response->ParseFromString(row.GetBlob("response"))) {
    return absl::DataLossError("a kept answer to this request_id no longer parses");
  }
  return true;
}

}  // namespace

absl::StatusOr<bool> FindKeptAnswer(store::Database& db, const CallInfo& call,
                                    absl::string_view request_id,
                                    absl::string_view request_id_field,
                                    const google::protobuf::Message& request,
                                    google::protobuf::Message* response) {
  const std::string fingerprint = RequestFingerprint(request);
  absl::StatusOr<bool> found = false;
  absl::Status read = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    found = ReadKept(tx, call, request_id, request_id_field, fingerprint, response);
    return found.status();
  });
  if (!read.ok()) return read;
  return found;
}

absl::Status RunIdempotent(store::Database& db, const CallInfo& call,
                           absl::string_view request_id, absl::string_view request_id_field,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(store::Transaction&)> body) {
  const std::string fingerprint = RequestFingerprint(request);
  return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> replayed =
        ReadKept(tx, call, request_id, request_id_field, fingerprint, response);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    if (absl::Status done = body(tx); !done.ok()) return done;
    absl::StatusOr<int64_t> saved = tx.Execute(
        "INSERT INTO idempotent_answers (caller, request_id, method, fingerprint, response,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {store::Text(call.principal().subject), store::Text(std::string(request_id)),
         store::Text(call.method()), store::Text(fingerprint),
         store::Bytes(response->SerializeAsString()),
         store::Int(absl::ToUnixMicros(absl::Now()))});
    return saved.status();
  });
}

}  // namespace slihub
