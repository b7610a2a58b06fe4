// The store abstraction every service owns its data through: a Database runs transactions, a
// Transaction runs SQL with $1, $2, ... placeholders. Backends: SQLite (sqlite_database.h);
// PostgreSQL can be added behind the same interfaces.
#ifndef SLIHUB_COMMON_STORE_DATABASE_H_
#define SLIHUB_COMMON_STORE_DATABASE_H_

#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/store/migration.h"
#include "common/store/result_set.h"
#include "common/store/value.h"

namespace slihub::store {

// How a transaction starts. kWrite takes the write lock up front (SQLite BEGIN IMMEDIATE), so
// two writers never deadlock upgrading a read lock; kRead sees one consistent snapshot and
// refuses statements that write.
enum class TxMode { kRead, kWrite };

// The SQL dialect a backend speaks, for the rare statement that must differ between engines.
enum class Dialect { kSqlite, kPostgres };

// One open transaction, handed to the body passed to Database::Run. Owned by the Database and
// valid only during that call; used only by the thread running the body.
//
// SQL uses $1, $2, ... $N placeholders, in any order and each as often as needed; `params`
// holds exactly N values ($k binds params[k-1]), else Internal. A failing statement
// dooms the transaction, as in PostgreSQL: later statements fail with Aborted and Run rolls back
// and returns the first error even if the body returns OK. Statements that end the transaction
// (BEGIN, COMMIT, ROLLBACK) are refused; SAVEPOINT is allowed. Error codes: AlreadyExists for a
// unique or primary-key violation, FailedPrecondition for another constraint, Unavailable when
// the database is locked past the timeout or cannot be read or written, ResourceExhausted when
// the disk is full, DataLoss for a corrupt file, Internal for bad SQL or misuse. Messages name
// the operation and the statement, never the bound values.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // Runs one statement and returns all its rows (empty for statements without rows).
  absl::StatusOr<ResultSet> Query(std::string_view sql, absl::Span<const Value> params = {}) {
    return DoQuery(sql, params);
  }

  // Runs one statement and returns the number of rows it inserted, updated or deleted. Rows the
  // statement returns (RETURNING) are discarded: use Query to read them.
  absl::StatusOr<int64_t> Execute(std::string_view sql, absl::Span<const Value> params = {}) {
    return DoExecute(sql, params);
  }

  // Runs one or more ';'-separated statements without parameters (schema migrations).
  absl::Status ExecuteScript(std::string_view sql) { return DoExecuteScript(sql); }

  // The row id of the most recent successful INSERT in this transaction (SQLite rowid). Prefer
  // INSERT ... RETURNING, which works on every backend.
  virtual int64_t LastInsertId() const = 0;

  // The mode this transaction was started with.
  virtual TxMode mode() const = 0;

 protected:
  virtual absl::StatusOr<ResultSet> DoQuery(std::string_view sql,
                                            absl::Span<const Value> params) = 0;
  virtual absl::StatusOr<int64_t> DoExecute(std::string_view sql,
                                            absl::Span<const Value> params) = 0;
  virtual absl::Status DoExecuteScript(std::string_view sql) = 0;
};

// A handle on one database (one SQLite file, or one PostgreSQL database). Thread-safe: any
// number of threads may call Run at once. Destroy it only when no Run is in progress.
class Database {
 public:
  virtual ~Database() = default;

  // Begins a transaction in `mode`, calls `body` with it on this thread, then commits if `body`
  // returned OK and no statement failed, and rolls back otherwise. Returns `body`'s error, the
  // first statement error, or the commit error; nothing is retried. Waits at most the backend's
  // busy timeout for a connection or the write lock, then returns Unavailable without calling
  // `body`. `body` must not call Run on the same Database (the nested call would wait for the
  // write lock or a connection that its caller holds).
  virtual absl::Status Run(TxMode mode, absl::FunctionRef<absl::Status(Transaction&)> body) = 0;

  // Applies the missing `migrations` as ApplyMigrations (migration.h) describes. Call once at
  // start-up, before serving.
  virtual absl::Status Migrate(absl::Span<const Migration> migrations) = 0;

  // OK when the database can be read now; otherwise Unavailable (or the read's error) saying why.
  // For health checks; cheap.
  virtual absl::Status Ping() = 0;

  // The SQL dialect of this backend.
  virtual Dialect dialect() const = 0;
};

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_DATABASE_H_
