// The store abstraction every service owns its data through: a Database runs transactions, a
// Transaction runs SQL with $1, $2, ... placeholders. Backends: SQLite (sqlite_database.h);
// PostgreSQL can be added behind the same interfaces.
#ifndef SLIHUB_COMMON_STORE_DATABASE_H_
#define SLIHUB_COMMON_STORE_DATABASE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// Hears the changes transactions announce with Transaction::Notify, for in-process copies of
// stored data (coherent_cache.h). Implementations must be thread-safe, must not block, and must
// not call Database::Run.
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // A write transaction announced that it changes `key` on the listener's channel: until the
  // matching Settled, copies of `key` must not be trusted or made. Called on the writing thread
  // when Notify is called, before the change can be visible to any reader.
  virtual void Changing(std::string_view key) = 0;
  // The transaction that announced `key` has ended; `committed` says whether its change is now
  // visible (false: rolled back). Called once per Changing, before Run returns to the writer.
  virtual void Settled(std::string_view key, bool committed) = 0;
};

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

  // Announces that this transaction changes what `key` names on `channel` ("service.thing"), so
  // that listeners on this Database (Database::AddChangeListener) drop their copies: they hear
  // Changing now and Settled when the transaction ends. Only changes made through this Database
  // object are heard, so an in-process copy is coherent only while this process is the data's
  // only writer (true of every service's SQLite file; a PostgreSQL backend would relay through
  // LISTEN/NOTIFY). Ignored in a read transaction, which changes nothing.
  void Notify(std::string_view channel, std::string_view key) {
    if (mode() == TxMode::kRead || listeners_ == nullptr) return;
    for (const auto& [listening_on, listener] : *listeners_) {
      if (listening_on != channel) continue;
      listener->Changing(key);
      notified_.emplace_back(listener, std::string(key));
    }
  }

 protected:
  // For a backend: the listeners Notify tells (owned by the Database; fixed for this
  // transaction's life), and, when the transaction has ended, telling them it settled.
  void set_listeners(const std::vector<std::pair<std::string, ChangeListener*>>* listeners) {
    listeners_ = listeners;
  }
  void SettleNotified(bool committed) {
    for (const auto& [listener, key] : notified_) listener->Settled(key, committed);
    notified_.clear();
  }

  virtual absl::StatusOr<ResultSet> DoQuery(std::string_view sql,
                                            absl::Span<const Value> params) = 0;
  virtual absl::StatusOr<int64_t> DoExecute(std::string_view sql,
                                            absl::Span<const Value> params) = 0;
  virtual absl::Status DoExecuteScript(std::string_view sql) = 0;

 private:
  const std::vector<std::pair<std::string, ChangeListener*>>* listeners_ = nullptr;
  std::vector<std::pair<ChangeListener*, std::string>> notified_;
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

  // Tells `listener` (not owned; it must stay alive until removed) of every change announced on
  // `channel` by transactions that start after this call. Thread-safe.
  virtual void AddChangeListener(std::string channel, ChangeListener* listener) = 0;
  // Stops telling `listener`; returns once no transaction can still call it. Thread-safe; call
  // from outside Run.
  virtual void RemoveChangeListener(ChangeListener* listener) = 0;
};

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_DATABASE_H_
