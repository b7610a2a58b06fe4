#include "common/store/sqlite_database.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/store/sqlite_connection.h"

namespace slihub::store {
namespace {

absl::Status CheckOptions(const SqliteOptions& o) {
  if (o.pool_size < 1 || o.pool_size > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("store: SqliteOptions.pool_size must be 1..64, got ", o.pool_size));
  }
  if (o.busy_timeout_ms < 0 || o.busy_timeout_ms > 600000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store: SqliteOptions.busy_timeout_ms must be 0..600000, got ", o.busy_timeout_ms));
  }
  if (o.statement_cache_size < 1 || o.statement_cache_size > 100000) {
    return absl::InvalidArgumentError(
        absl::StrCat("store: SqliteOptions.statement_cache_size must be 1..100000, got ",
                     o.statement_cache_size));
  }
  return absl::OkStatus();
}

absl::Status CheckPath(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store: SQLite path must be a file path, got '", path, "'"));
  }
  const size_t slash = path.rfind('/');
  const std::string parent =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  struct stat st;
  if (stat(parent.c_str(), &st) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("store: cannot open ", path,
                                                      ": parent directory ", parent,
                                                      " does not exist (create it first)"));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("store: cannot open ", path, ": ", parent, " is not a directory"));
  }
  return absl::OkStatus();
}

// The Transaction handed to Run's body: forwards to the connection and remembers the first
// failure, after which the transaction is doomed.
class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteConnection& connection, TxMode mode,
                    const std::vector<std::pair<std::string, ChangeListener*>>* listeners)
      : connection_(connection), mode_(mode) {
    set_listeners(listeners);
  }
  // Tells the listeners Notify told that the transaction ended (see ChangeListener::Settled).
  void Settle(bool committed) { SettleNotified(committed); }

  int64_t LastInsertId() const override { return connection_.LastInsertId(); }
  TxMode mode() const override { return mode_; }
  const absl::Status& first_error() const { return first_error_; }

 protected:
  absl::StatusOr<ResultSet> DoQuery(std::string_view sql,
                                    absl::Span<const Value> params) override {
    if (!first_error_.ok()) return Doomed();
    return Record(connection_.Query(sql, params, read_only()));
  }
  absl::StatusOr<int64_t> DoExecute(std::string_view sql,
                                    absl::Span<const Value> params) override {
    if (!first_error_.ok()) return Doomed();
    return Record(connection_.Execute(sql, params, read_only()));
  }
  absl::Status DoExecuteScript(std::string_view sql) override {
    if (!first_error_.ok()) return Doomed();
    absl::Status s = connection_.ExecuteScript(sql, read_only());
    if (!s.ok()) first_error_ = s;
    return s;
  }

 private:
  bool read_only() const { return mode_ == TxMode::kRead; }
  static absl::Status Doomed() {
    return absl::AbortedError(
        "store: an earlier statement in this transaction failed; it will be rolled back");
  }
  template <typename T>
  absl::StatusOr<T> Record(absl::StatusOr<T> result) {
    if (!result.ok()) first_error_ = result.status();
    return result;
  }

  SqliteConnection& connection_;
  const TxMode mode_;
  absl::Status first_error_;
};

}  // namespace

// A connection taken from the pool (and the write lock, for kWrite) for one Run.
class SqliteDatabase::Lease {
 public:
  Lease(SqliteDatabase& db, SqliteConnection* connection, TxMode mode)
      : db_(db), connection_(connection), mode_(mode) {}
  ~Lease() { db_.Release(connection_, mode_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

 private:
  SqliteDatabase& db_;
  SqliteConnection* connection_;
  TxMode mode_;
};

SqliteDatabase::SqliteDatabase(std::string path, const SqliteOptions& options)
    : path_(std::move(path)), options_(options) {}

SqliteDatabase::~SqliteDatabase() = default;

absl::StatusOr<std::unique_ptr<Database>> SqliteDatabase::Open(const std::string& path,
                                                               const SqliteOptions& options) {
  // Once per process, before SQLite initialises: no global memory statistics, whose mutex every
  // allocation of every connection would otherwise take (nothing here reads them). Refused, and
  // harmless, when SQLite was initialised first.
  static const int kConfigured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kConfigured;
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  if (absl::Status s = CheckPath(path); !s.ok()) return s;
  if (sqlite3_threadsafe() == 0) {
    return absl::InternalError("store: SQLite was built without thread support");
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(path, options));
  for (int i = 0; i < options.pool_size; ++i) {
    auto connection = std::make_unique<SqliteConnection>(
        path, options.busy_timeout_ms, static_cast<size_t>(options.statement_cache_size));
    if (absl::Status s = connection->EnsureOpen(); !s.ok()) return s;
    db->connections_.push_back(std::move(connection));
  }
  {
    absl::MutexLock lock(&db->mu_);
    for (const auto& c : db->connections_) db->idle_.push_back(c.get());
  }
  return std::unique_ptr<Database>(std::move(db));
}

absl::StatusOr<SqliteConnection*> SqliteDatabase::Acquire(TxMode mode) {
  const bool write = mode == TxMode::kWrite;
  auto ready = [this, write]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !idle_.empty() && !(write && writing_);
  };
  const absl::Time deadline = absl::Now() + absl::Milliseconds(options_.busy_timeout_ms);
  SqliteConnection* connection = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithDeadline(absl::Condition(&ready), deadline)) {
      return absl::UnavailableError(absl::StrCat(
          "store: ", write ? "write" : "read", " transaction on ", path_, " timed out after ",
          options_.busy_timeout_ms, " ms waiting for ",
          write && writing_ ? "the write lock" : "a free connection"));
    }
    connection = idle_.back();
    idle_.pop_back();
    if (write) writing_ = true;
  }
  if (absl::Status s = connection->EnsureOpen(); !s.ok()) {
    Release(connection, mode);
    return s;
  }
  return connection;
}

void SqliteDatabase::Release(SqliteConnection* connection, TxMode mode) {
  // A transaction still open here could not be rolled back: drop the handle and reopen later.
  if (connection->InTransaction()) connection->Close();
  absl::MutexLock lock(&mu_);
  idle_.push_back(connection);
  if (mode == TxMode::kWrite) writing_ = false;
}

absl::Status SqliteDatabase::Run(TxMode mode,
                                 absl::FunctionRef<absl::Status(Transaction&)> body) {
  absl::StatusOr<SqliteConnection*> acquired = Acquire(mode);
  if (!acquired.ok()) return acquired.status();
  SqliteConnection& connection = **acquired;
  Lease lease(*this, &connection, mode);

  if (absl::Status s = connection.Begin(mode); !s.ok()) return s;
  // The write lock held for kWrite keeps listeners_ still until the lease ends.
  SqliteTransaction tx(connection, mode, mode == TxMode::kWrite ? &listeners_ : nullptr);
  connection.set_in_body(true);
  absl::Status status = body(tx);
  connection.set_in_body(false);
  if (status.ok()) status = tx.first_error();
  if (status.ok()) {
    status = connection.Commit();
    if (status.ok()) {
      tx.Settle(true);
      return status;
    }
  }
  connection.Rollback().IgnoreError();
  tx.Settle(false);
  return status;
}

void SqliteDatabase::AddChangeListener(std::string channel, ChangeListener* listener) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](bool* writing) { return !*writing; }, &writing_));
  listeners_.emplace_back(std::move(channel), listener);
}

void SqliteDatabase::RemoveChangeListener(ChangeListener* listener) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](bool* writing) { return !*writing; }, &writing_));
  listeners_.erase(std::remove_if(listeners_.begin(), listeners_.end(),
                                  [&](const auto& entry) { return entry.second == listener; }),
                   listeners_.end());
}

absl::Status SqliteDatabase::Migrate(absl::Span<const Migration> migrations) {
  return ApplyMigrations(*this, migrations);
}

absl::Status SqliteDatabase::Ping() {
  struct stat st;
  if (stat(path_.c_str(), &st) != 0) {
    return absl::UnavailableError(absl::StrCat("store: database file ", path_, " is missing"));
  }
  return Run(TxMode::kRead, [](Transaction& tx) {
    return tx.Query("SELECT count(*) FROM sqlite_schema").status();
  });
}

}  // namespace slihub::store
