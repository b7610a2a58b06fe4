// The SQLite backend of the store: one file per service and hub, WAL, a small connection pool.
#ifndef SLIHUB_COMMON_STORE_SQLITE_DATABASE_H_
#define SLIHUB_COMMON_STORE_SQLITE_DATABASE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "common/store/database.h"

namespace slihub::store {

class SqliteConnection;

// Tuning for SqliteDatabase::Open. Plain data.
struct SqliteOptions {
  int pool_size = 4;               // connections, 1..64: concurrent readers that never queue
  int busy_timeout_ms = 5000;      // 0..600000: longest wait for a connection or a lock
  int statement_cache_size = 128;  // 1..100000 prepared statements kept per connection
};

// A Database on one SQLite file (see database.h for the contract). Write transactions are
// serialised inside the process before SQLite's lock is taken, so writers queue instead of
// polling; other processes writing the same file are waited for up to the busy timeout.
class SqliteDatabase final : public Database {
 public:
  // Opens (creating if missing) the file at `path` and every pooled connection, in WAL mode with
  // synchronous=FULL and foreign keys enforced. InvalidArgument for bad options or a path that
  // is not a plain file path (":memory:", "file:" URIs); FailedPrecondition when the parent
  // directory does not exist or is not a directory; Unavailable when SQLite cannot open the
  // file; Internal when WAL cannot be enabled. The caller owns the result.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const SqliteOptions& options = {});

  ~SqliteDatabase() override;

  absl::Status Run(TxMode mode, absl::FunctionRef<absl::Status(Transaction&)> body) override;
  absl::Status Migrate(absl::Span<const Migration> migrations) override;
  // Unavailable when the file has disappeared or cannot be read; otherwise reads its schema.
  absl::Status Ping() override;
  Dialect dialect() const override { return Dialect::kSqlite; }
  // Both wait for a write transaction in progress to end (they take the write lock).
  void AddChangeListener(std::string channel, ChangeListener* listener) override;
  void RemoveChangeListener(ChangeListener* listener) override;

  // The file this database was opened on.
  const std::string& path() const { return path_; }

 private:
  class Lease;

  SqliteDatabase(std::string path, const SqliteOptions& options);
  absl::StatusOr<SqliteConnection*> Acquire(TxMode mode);
  void Release(SqliteConnection* connection, TxMode mode);

  const std::string path_;
  const SqliteOptions options_;
  std::vector<std::unique_ptr<SqliteConnection>> connections_;  // fixed after Open

  absl::Mutex mu_;
  std::vector<SqliteConnection*> idle_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  // Changed under mu_ only while no write transaction runs; read by the one write transaction
  // that holds the write lock.
  std::vector<std::pair<std::string, ChangeListener*>> listeners_;
};

}  // namespace slihub::store

#endif  // SLIHUB_COMMON_STORE_SQLITE_DATABASE_H_
