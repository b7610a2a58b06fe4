// One SQLite connection with its prepared-statement cache (internal to the SQLite backend).
#ifndef SLIHUB_COMMON_STORE_SQLITE_CONNECTION_H_
#define SLIHUB_COMMON_STORE_SQLITE_CONNECTION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/store/database.h"
#include "common/store/result_set.h"
#include "common/store/value.h"

struct sqlite3;
struct sqlite3_stmt;

namespace slihub::store {

// A connection to one SQLite file, configured for WAL, synchronous=FULL, foreign keys and a busy
// timeout, opened in SQLite's multi-thread mode. Thread-compatible: one thread at a time (the
// pool in SqliteDatabase guarantees it). Statements are prepared once per SQL text and kept
// (up to `statement_cache_size`, after which the cache is emptied); bindings are cleared after
// every use so no bound value outlives its call.
class SqliteConnection {
 public:
  SqliteConnection(std::string path, int busy_timeout_ms, size_t statement_cache_size);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Opens and configures the connection unless it is open already. Unavailable when the file
  // cannot be opened; Internal when WAL cannot be enabled.
  absl::Status EnsureOpen();

  // Finalizes every statement and closes the handle; EnsureOpen opens it again. Idempotent.
  void Close();

  // Transaction control, through statements kept apart from the user's cache.
  absl::Status Begin(TxMode mode);
  absl::Status Commit();
  // Rolls back if a transaction is open; returns the error if that fails.
  absl::Status Rollback();
  // True while a transaction is open on this connection.
  bool InTransaction() const;

  // While set, statements that begin or end transactions, ATTACH and DETACH fail to prepare.
  void set_in_body(bool in_body) { in_body_ = in_body; }

  // The Transaction operations (see database.h); `read_only` refuses statements that write.
  absl::StatusOr<ResultSet> Query(std::string_view sql, absl::Span<const Value> params,
                                  bool read_only);
  absl::StatusOr<int64_t> Execute(std::string_view sql, absl::Span<const Value> params,
                                  bool read_only);
  absl::Status ExecuteScript(std::string_view sql, bool read_only);
  int64_t LastInsertId() const;

 private:
  struct Statement;
  class Use;

  absl::Status Configure();
  absl::StatusOr<Statement*> Prepare(std::string_view sql, bool read_only);
  absl::StatusOr<std::unique_ptr<Statement>> PrepareNew(std::string_view sql, bool persistent);
  absl::Status Bind(Statement& st, absl::Span<const Value> params, std::string_view sql);
  absl::Status StepControl(Statement* st, std::string_view operation);
  static int Authorize(void* self, int action, const char*, const char*, const char*,
                       const char*);

  const std::string path_;
  const int busy_timeout_ms_;
  const size_t statement_cache_size_;
  sqlite3* db_ = nullptr;
  bool in_body_ = false;
  std::unique_ptr<Statement> begin_read_;
  std::unique_ptr<Statement> begin_write_;
  std::unique_ptr<Statement> commit_;
  std::unique_ptr<Statement> rollback_;
  absl::flat_hash_map<std::string, std::unique_ptr<Statement>> cache_;
};

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_SQLITE_CONNECTION_H_
