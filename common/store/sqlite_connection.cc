#include "common/store/sqlite_connection.h"

#include <sqlite3.h>

#include <cctype>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/store/sqlite_error.h"

namespace slihub::store {
namespace {

constexpr int kOpenFlags =
    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
constexpr size_t kMaxDescribedSql = 80;

absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The statement as error messages show it: whitespace collapsed, cut at kMaxDescribedSql.
std::string Describe(std::string_view sql) {
  std::string out = "`";
  bool space = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = out.size() > 1;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() > kMaxDescribedSql) {
      out.append("...");
      break;
    }
  }
  out.push_back('`');
  return out;
}

absl::Status NotAllowedInBody(std::string_view sql) {
  return absl::InternalError(
      absl::StrCat("store: prepare ", Describe(sql),
                   ": BEGIN, COMMIT, ROLLBACK, ATTACH and DETACH are not allowed inside "
                   "Database::Run (use SAVEPOINT for a nested rollback)"));
}

absl::Status PrepareError(int rc, sqlite3* db, std::string_view sql) {
  if (rc == SQLITE_AUTH) return NotAllowedInBody(sql);
  return SqliteError(rc, db, absl::StrCat("prepare ", Describe(sql)));
}

absl::Status WritesInReadTransaction(std::string_view sql) {
  return absl::InternalError(absl::StrCat(
      "store: ", Describe(sql), " writes, inside a read transaction (use TxMode::kWrite)"));
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return Value(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
    case SQLITE_FLOAT:
      return Value(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      const int n = sqlite3_column_bytes(stmt, i);
      return Value(p == nullptr ? std::string() : std::string(p, static_cast<size_t>(n)));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const int n = sqlite3_column_bytes(stmt, i);
      return Value(Blob{p == nullptr ? std::string() : std::string(p, static_cast<size_t>(n))});
    }
    default:
      return Null();
  }
}

struct Finalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using OwnedStmt = std::unique_ptr<sqlite3_stmt, Finalizer>;

}  // namespace

struct SqliteConnection::Statement {
  OwnedStmt stmt;
  std::vector<int> slots;  // slots[k - 1] is SQLite's index for placeholder $k
  bool writes = false;
};

// Resets a statement and clears its bindings when the call that used it returns.
class SqliteConnection::Use {
 public:
  explicit Use(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Use() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

SqliteConnection::SqliteConnection(std::string path, int busy_timeout_ms,
                                   size_t statement_cache_size)
    : path_(std::move(path)),
      busy_timeout_ms_(busy_timeout_ms),
      statement_cache_size_(statement_cache_size) {}

SqliteConnection::~SqliteConnection() { Close(); }

absl::Status SqliteConnection::EnsureOpen() {
  if (db_ != nullptr) return absl::OkStatus();
  int rc = sqlite3_open_v2(path_.c_str(), &db_, kOpenFlags, nullptr);
  absl::Status status =
      rc == SQLITE_OK ? Configure() : SqliteError(rc, db_, absl::StrCat("open ", path_));
  if (!status.ok()) Close();
  return status;
}

void SqliteConnection::Close() {
  cache_.clear();
  begin_read_.reset();
  begin_write_.reset();
  commit_.reset();
  rollback_.reset();
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

absl::Status SqliteConnection::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
  sqlite3_set_authorizer(db_, &SqliteConnection::Authorize, this);

  absl::StatusOr<ResultSet> mode = Query("PRAGMA journal_mode=WAL", {}, false);
  if (!mode.ok()) return mode.status();
  if (mode->size() != 1 || mode->rows()[0].GetText(0) != "wal") {
    return absl::InternalError(
        absl::StrCat("store: open ", path_, ": cannot switch the journal to WAL mode"));
  }
  if (absl::Status s = ExecuteScript("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", false);
      !s.ok()) {
    return s;
  }
  cache_.clear();

  const std::pair<std::unique_ptr<Statement>*, const char*> control[] = {
      {&begin_read_, "BEGIN DEFERRED"},
      {&begin_write_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
  };
  for (const auto& [slot, sql] : control) {
    absl::StatusOr<std::unique_ptr<Statement>> st = PrepareNew(sql, true);
    if (!st.ok()) return st.status();
    *slot = *std::move(st);
  }
  return absl::OkStatus();
}

int SqliteConnection::Authorize(void* self, int action, const char*, const char*, const char*,
                                const char*) {
  const bool in_body = static_cast<SqliteConnection*>(self)->in_body_;
  if (in_body &&
      (action == SQLITE_TRANSACTION || action == SQLITE_ATTACH || action == SQLITE_DETACH)) {
    return SQLITE_DENY;
  }
  return SQLITE_OK;
}

absl::StatusOr<std::unique_ptr<SqliteConnection::Statement>> SqliteConnection::PrepareNew(
    std::string_view sql, bool persistent) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              persistent ? SQLITE_PREPARE_PERSISTENT : 0, &raw, &tail);
  if (rc != SQLITE_OK) return PrepareError(rc, db_, sql);
  if (raw == nullptr) {
    return absl::InternalError(absl::StrCat("store: prepare ", Describe(sql), ": no statement"));
  }
  auto st = std::make_unique<Statement>();
  st->stmt.reset(raw);

  const char* end = sql.data() + sql.size();
  while (tail != nullptr && tail < end) {
    sqlite3_stmt* extra = nullptr;
    const char* next = nullptr;
    rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &extra, &next);
    OwnedStmt owned(extra);
    if (rc != SQLITE_OK || extra != nullptr) {
      return absl::InternalError(absl::StrCat("store: prepare ", Describe(sql),
                                              ": one statement per call (ExecuteScript runs "
                                              "several)"));
    }
    if (next == tail) break;
    tail = next;
  }

  const int count = sqlite3_bind_parameter_count(raw);
  st->slots.reserve(static_cast<size_t>(count));
  for (int k = 1; k <= count; ++k) {
    const std::string name = absl::StrCat("$", k);
    const int index = sqlite3_bind_parameter_index(raw, name.c_str());
    if (index == 0) {
      return absl::InternalError(absl::StrCat(
          "store: prepare ", Describe(sql), ": placeholders must be $1..$N; the statement has ",
          count, " parameters but no ", name));
    }
    st->slots.push_back(index);
  }
  st->writes = sqlite3_stmt_readonly(raw) == 0;
  return st;
}

absl::StatusOr<SqliteConnection::Statement*> SqliteConnection::Prepare(std::string_view sql,
                                                                       bool read_only) {
  auto it = cache_.find(Absl(sql));
  if (it == cache_.end()) {
    absl::StatusOr<std::unique_ptr<Statement>> st = PrepareNew(sql, true);
    if (!st.ok()) return st.status();
    if (cache_.size() >= statement_cache_size_) cache_.clear();
    it = cache_.emplace(std::string(sql), *std::move(st)).first;
  }
  if (read_only && it->second->writes) return WritesInReadTransaction(sql);
  return it->second.get();
}

absl::Status SqliteConnection::Bind(Statement& st, absl::Span<const Value> params,
                                    std::string_view sql) {
  if (params.size() != st.slots.size()) {
    return absl::InternalError(absl::StrCat("store: ", Describe(sql), " takes ",
                                            st.slots.size(), " parameters, got ",
                                            params.size()));
  }
  sqlite3_stmt* stmt = st.stmt.get();
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = st.slots[i];
    const Value& v = params[i];
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Blob>(&v)) {
      rc = sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) {
      return SqliteError(rc, db_, absl::StrCat("bind $", i + 1, " of ", Describe(sql)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ResultSet> SqliteConnection::Query(std::string_view sql,
                                                  absl::Span<const Value> params,
                                                  bool read_only) {
  absl::StatusOr<Statement*> st = Prepare(sql, read_only);
  if (!st.ok()) return st.status();
  sqlite3_stmt* stmt = (*st)->stmt.get();
  Use use(stmt);
  if (absl::Status s = Bind(**st, params, sql); !s.ok()) return s;

  const int n = sqlite3_column_count(stmt);
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const char* name = sqlite3_column_name(stmt, i);
    names.emplace_back(name == nullptr ? "" : name);
  }
  ResultSet result(std::move(names));
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return SqliteError(rc, db_, absl::StrCat("query ", Describe(sql)));
    std::vector<Value> row;
    row.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) row.push_back(ColumnValue(stmt, i));
    result.AddRow(std::move(row));
  }
  return result;
}

absl::StatusOr<int64_t> SqliteConnection::Execute(std::string_view sql,
                                                  absl::Span<const Value> params,
                                                  bool read_only) {
  absl::StatusOr<Statement*> st = Prepare(sql, read_only);
  if (!st.ok()) return st.status();
  sqlite3_stmt* stmt = (*st)->stmt.get();
  Use use(stmt);
  if (absl::Status s = Bind(**st, params, sql); !s.ok()) return s;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqliteError(rc, db_, absl::StrCat("execute ", Describe(sql)));
  return (*st)->writes ? static_cast<int64_t>(sqlite3_changes64(db_)) : int64_t{0};
}

absl::Status SqliteConnection::ExecuteScript(std::string_view sql, bool read_only) {
  const char* p = sql.data();
  const char* const end = p + sql.size();
  while (p < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db_, p, static_cast<int>(end - p), &raw, &tail);
    const std::string_view text(p, static_cast<size_t>((tail != nullptr ? tail : end) - p));
    if (rc != SQLITE_OK) return PrepareError(rc, db_, text);
    OwnedStmt stmt(raw);
    if (tail == nullptr || tail == p) break;
    p = tail;
    if (raw == nullptr) continue;
    if (read_only && sqlite3_stmt_readonly(raw) == 0) return WritesInReadTransaction(text);
    if (sqlite3_bind_parameter_count(raw) != 0) {
      return absl::InternalError(
          absl::StrCat("store: script statement ", Describe(text), " has parameters"));
    }
    int step;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
    }
    if (step != SQLITE_DONE) {
      return SqliteError(step, db_, absl::StrCat("script statement ", Describe(text)));
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteConnection::StepControl(Statement* st, std::string_view operation) {
  sqlite3_stmt* stmt = st->stmt.get();
  Use use(stmt);
  const int rc = sqlite3_step(stmt);
  if (rc != SQLITE_DONE) return SqliteError(rc, db_, operation);
  return absl::OkStatus();
}

absl::Status SqliteConnection::Begin(TxMode mode) {
  return mode == TxMode::kWrite ? StepControl(begin_write_.get(), "begin write transaction")
                                : StepControl(begin_read_.get(), "begin read transaction");
}

absl::Status SqliteConnection::Commit() { return StepControl(commit_.get(), "commit"); }

absl::Status SqliteConnection::Rollback() {
  if (!InTransaction()) return absl::OkStatus();
  return StepControl(rollback_.get(), "rollback");
}

bool SqliteConnection::InTransaction() const {
  return db_ != nullptr && sqlite3_get_autocommit(db_) == 0;
}

int64_t SqliteConnection::LastInsertId() const {
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

}  // namespace slihub::store
