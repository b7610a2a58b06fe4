// Maps SQLite result codes to canonical absl::Status codes (internal to the SQLite backend).
#ifndef SLIHUB_COMMON_STORE_SQLITE_ERROR_H_
#define SLIHUB_COMMON_STORE_SQLITE_ERROR_H_

#include <string_view>

#include "absl/status/status.h"

struct sqlite3;

namespace slihub::store {

// The canonical code for SQLite (extended) result code `rc`: a UNIQUE, PRIMARY KEY or rowid
// constraint is AlreadyExists; any other constraint FailedPrecondition; BUSY, LOCKED, CANTOPEN,
// IOERR and PROTOCOL Unavailable (transient: retrying later may succeed); FULL ResourceExhausted;
// CORRUPT and NOTADB DataLoss; everything else Internal. Never call it with SQLITE_OK.
absl::StatusCode SqliteStatusCode(int rc);

// A Status with SqliteStatusCode(rc) and the message "store: <operation>: <SQLite's message>
// (<extended code>)". `db` may be null; otherwise its current error message is used, so call
// this straight after the failing call. SQLite's messages name tables, columns and constraints,
// never bound values.
absl::Status SqliteError(int rc, sqlite3* db, std::string_view operation);

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_SQLITE_ERROR_H_
