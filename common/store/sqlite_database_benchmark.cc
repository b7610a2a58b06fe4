// The cost of the store over raw SQLite: a point read and a one-row write transaction, each
// through SqliteDatabase and, as the baseline, as the same statement on a raw sqlite3 handle
// configured the same way (WAL, synchronous=FULL) on the same file.
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "common/store/sqlite_database.h"

namespace slihub::store {
namespace {

constexpr int64_t kRows = 10000;
constexpr char kPointRead[] = "SELECT v FROM kv WHERE id = $1";
constexpr char kWrite[] = "UPDATE kv SET v = $2 WHERE id = $1";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what.c_str());
  std::exit(1);
}

// One database file with kRows rows, shared by every benchmark, removed at exit.
class Fixture {
 public:
  Fixture() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/slihub-store-bench-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp");
    dir_ = pattern;
    path_ = dir_ + "/bench.db";
    absl::StatusOr<std::unique_ptr<Database>> db = SqliteDatabase::Open(path_);
    if (!db.ok()) Fail(db.status().ToString());
    db_ = *std::move(db);
    absl::Status s = db_->Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
      if (absl::Status c = tx.ExecuteScript("CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT)");
          !c.ok()) {
        return c;
      }
      for (int64_t i = 1; i <= kRows; ++i) {
        absl::Status w = tx.Execute("INSERT INTO kv (id, v) VALUES ($1, $2)",
                                    {Int(i), Text("value-" + std::to_string(i))})
                             .status();
        if (!w.ok()) return w;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) Fail(s.ToString());
  }
  ~Fixture() {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  Database& db() { return *db_; }
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

Fixture& TheFixture() {
  static Fixture fixture;  // destroyed at exit, removing its directory
  return fixture;
}

// A raw handle on the fixture's file with the store's settings and one prepared statement.
class Raw {
 public:
  explicit Raw(const char* sql) {
    if (sqlite3_open_v2(TheFixture().path().c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      Fail("sqlite3_open_v2");
    }
    sqlite3_busy_timeout(db_, 5000);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
    stmt_ = Prepare(sql);
    begin_read_ = Prepare("BEGIN DEFERRED");
    begin_write_ = Prepare("BEGIN IMMEDIATE");
    commit_ = Prepare("COMMIT");
  }
  ~Raw() {
    for (sqlite3_stmt* s : {stmt_, begin_read_, begin_write_, commit_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  sqlite3_stmt* stmt() { return stmt_; }
  void Step(sqlite3_stmt* s, int want) {
    if (sqlite3_step(s) != want) Fail(sqlite3_errmsg(db_));
  }
  void Control(sqlite3_stmt* s) {
    Step(s, SQLITE_DONE);
    sqlite3_reset(s);
  }
  sqlite3_stmt* begin_read() { return begin_read_; }
  sqlite3_stmt* begin_write() { return begin_write_; }
  sqlite3_stmt* commit() { return commit_; }

 private:
  void Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sqlite3_errmsg(db_));
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      Fail(sqlite3_errmsg(db_));
    }
    return s;
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3_stmt* begin_read_ = nullptr;
  sqlite3_stmt* begin_write_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
};

int64_t NextId(int64_t& id) {
  id = id % kRows + 1;
  return id;
}

void BM_StorePointRead(benchmark::State& state) {
  Database& db = TheFixture().db();
  int64_t id = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    absl::Status s = db.Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
      absl::StatusOr<ResultSet> rs = tx.Query(kPointRead, {Int(NextId(id))});
      if (!rs.ok()) return rs.status();
      bytes += (*rs)[0].GetText(0).size();
      return absl::OkStatus();
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_StorePointRead);

// Baseline: bind, step, read the column, reset, in autocommit mode (no explicit transaction).
void BM_RawPointRead(benchmark::State& state) {
  Raw raw("SELECT v FROM kv WHERE id = ?1");
  sqlite3_stmt* stmt = raw.stmt();
  int64_t id = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(stmt, 1, NextId(id));
    raw.Step(stmt, SQLITE_ROW);
    bytes += static_cast<size_t>(sqlite3_column_bytes(stmt, 0));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_RawPointRead);

// Baseline with the explicit BEGIN/COMMIT the store issues around every body.
void BM_RawPointReadInTransaction(benchmark::State& state) {
  Raw raw("SELECT v FROM kv WHERE id = ?1");
  sqlite3_stmt* stmt = raw.stmt();
  int64_t id = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    raw.Control(raw.begin_read());
    sqlite3_bind_int64(stmt, 1, NextId(id));
    raw.Step(stmt, SQLITE_ROW);
    bytes += static_cast<size_t>(sqlite3_column_bytes(stmt, 0));
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    raw.Control(raw.commit());
  }
  benchmark::DoNotOptimize(bytes);
}
BENCHMARK(BM_RawPointReadInTransaction);

void BM_StoreWriteTransaction(benchmark::State& state) {
  Database& db = TheFixture().db();
  int64_t id = 0;
  const std::string value = "updated-value";
  for (auto _ : state) {
    absl::Status s = db.Run(TxMode::kWrite, [&](Transaction& tx) {
      return tx.Execute(kWrite, {Int(NextId(id)), Text(value)}).status();
    });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
}
BENCHMARK(BM_StoreWriteTransaction)->UseRealTime();

// Baseline: BEGIN IMMEDIATE, the same UPDATE, COMMIT (an fsync with synchronous=FULL).
void BM_RawWriteTransaction(benchmark::State& state) {
  Raw raw("UPDATE kv SET v = ?2 WHERE id = ?1");
  sqlite3_stmt* stmt = raw.stmt();
  int64_t id = 0;
  const std::string value = "updated-value";
  for (auto _ : state) {
    raw.Control(raw.begin_write());
    sqlite3_bind_int64(stmt, 1, NextId(id));
    sqlite3_bind_text(stmt, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    raw.Step(stmt, SQLITE_DONE);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    raw.Control(raw.commit());
  }
}
BENCHMARK(BM_RawWriteTransaction)->UseRealTime();

}  // namespace
}  // namespace slihub::store

BENCHMARK_MAIN();
