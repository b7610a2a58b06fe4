#include "common/store/sqlite_database.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace slihub::store {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/slihub-store-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> OpenDb(const SqliteOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<Database>> db = SqliteDatabase::Open(path_, options);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  void Exec(Database& db, const std::string& sql) {
    ASSERT_TRUE(db.Run(TxMode::kWrite, [&](Transaction& tx) {
                    return tx.ExecuteScript(sql);
                  }).ok());
  }

  int64_t Count(Database& db, const std::string& table) {
    int64_t n = -1;
    absl::Status s = db.Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
      absl::StatusOr<ResultSet> rs = tx.Query("SELECT count(*) FROM " + table);
      if (!rs.ok()) return rs.status();
      n = (*rs)[0].GetInt64(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  }

  TempDir dir_;
  const std::string path_ = dir_.File("test.db");
};

TEST_F(SqliteDatabaseTest, EveryValueTypeRoundTrips) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
  const std::vector<Value> values = {
      Null(),
      Int(0),
      Int(std::numeric_limits<int64_t>::min()),
      Int(std::numeric_limits<int64_t>::max()),
      Real(-1.5e-300),
      Real(std::numeric_limits<double>::infinity()),
      Text(""),
      Text("Tŵr Cymru \xE2\x9C\x93"),
      Text(std::string("nul\0inside", 10)),
      Bytes(""),
      Bytes(std::string("\0\x01\xFF\x80", 4)),
  };
  ASSERT_TRUE(db->Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
                  for (size_t i = 0; i < values.size(); ++i) {
                    absl::StatusOr<int64_t> n =
                        tx.Execute("INSERT INTO t (id, v) VALUES ($1, $2)",
                                   {Int(static_cast<int64_t>(i)), values[i]});
                    if (!n.ok()) return n.status();
                    EXPECT_EQ(*n, 1);
                  }
                  return absl::OkStatus();
                }).ok());
  ASSERT_TRUE(db->Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
                  absl::StatusOr<ResultSet> rs = tx.Query("SELECT id, v FROM t ORDER BY id");
                  if (!rs.ok()) return rs.status();
                  EXPECT_EQ(rs->columns(), (std::vector<std::string>{"id", "v"}));
                  EXPECT_EQ(rs->size(), values.size());
                  for (size_t i = 0; i < rs->size() && i < values.size(); ++i) {
                    EXPECT_EQ((*rs)[i].value("v"), values[i]) << "row " << i;
                  }
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteDatabaseTest, PlaceholdersBindByNumberNotPosition) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE p (a INTEGER, b TEXT, c REAL)");
  ASSERT_TRUE(db->Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
                  return tx.Execute("INSERT INTO p (c, b, a) VALUES ($3, $2, $1)",
                                    {Int(1), Text("two"), Real(3.0)})
                      .status();
                }).ok());
  ASSERT_TRUE(db->Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
                  absl::StatusOr<ResultSet> rs = tx.Query(
                      "SELECT a, b, c, $2 AS second, $1 AS first, $2 AS again FROM p "
                      "WHERE b = $2 AND a = $1",
                      {Int(1), Text("two")});
                  if (!rs.ok()) return rs.status();
                  EXPECT_EQ(rs->size(), 1u);
                  if (rs->empty()) return absl::OkStatus();
                  const Row& row = (*rs)[0];
                  EXPECT_EQ(row.GetInt64("a"), 1);
                  EXPECT_EQ(row.GetText("b"), "two");
                  EXPECT_EQ(row.GetDouble("c"), 3.0);
                  EXPECT_EQ(row.GetText("second"), "two");
                  EXPECT_EQ(row.GetInt64("first"), 1);
                  EXPECT_EQ(row.GetText("again"), "two");
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteDatabaseTest, WrongParameterCountIsAnErrorNotNull) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE w (a TEXT, b TEXT)");
  auto insert = [&](std::vector<Value> params) {
    return db->Run(TxMode::kWrite, [&](Transaction& tx) {
      return tx.Execute("INSERT INTO w (a, b) VALUES ($1, $2)", params).status();
    });
  };
  absl::Status too_few = insert({Text("secret-name")});
  EXPECT_EQ(too_few.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(too_few.message(), HasSubstr("takes 2 parameters, got 1"));
  EXPECT_THAT(too_few.message(), Not(HasSubstr("secret-name")));
  EXPECT_EQ(insert({Text("a"), Text("b"), Text("c")}).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Count(*db, "w"), 0);

  auto query = [&](const char* sql, std::vector<Value> params) {
    return db->Run(TxMode::kRead,
                   [&](Transaction& tx) { return tx.Query(sql, params).status(); });
  };
  EXPECT_THAT(query("SELECT ?", {Int(1)}).message(), HasSubstr("placeholders must be $1..$N"));
  EXPECT_THAT(query("SELECT $1, $3", {Int(1), Int(2)}).message(), HasSubstr("no $2"));
  EXPECT_THAT(query("SELECT :name", {Int(1)}).message(), HasSubstr("placeholders"));
  EXPECT_TRUE(query("SELECT $1, $1", {Int(1)}).ok());
}

TEST_F(SqliteDatabaseTest, CommitKeepsAndBodyErrorRollsBack) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE c (v TEXT)");
  absl::Status ok = db->Run(TxMode::kWrite, [](Transaction& tx) {
    return tx.Execute("INSERT INTO c VALUES ($1)", {Text("kept")}).status();
  });
  ASSERT_TRUE(ok.ok()) << ok;

  absl::Status failed = db->Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
    EXPECT_TRUE(tx.Execute("INSERT INTO c VALUES ($1)", {Text("dropped")}).ok());
    EXPECT_TRUE(tx.Execute("DELETE FROM c WHERE v = $1", {Text("kept")}).ok());
    return absl::NotFoundError("body says no");
  });
  EXPECT_EQ(failed, absl::NotFoundError("body says no"));

  ASSERT_TRUE(db->Run(TxMode::kRead, [](Transaction& tx) -> absl::Status {
                  absl::StatusOr<ResultSet> rs = tx.Query("SELECT v FROM c");
                  if (!rs.ok()) return rs.status();
                  EXPECT_EQ(rs->size(), 1u);
                  if (!rs->empty()) {
                    EXPECT_EQ((*rs)[0].GetText(0), "kept");
                  }
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteDatabaseTest, FailedStatementDoomsTheTransactionEvenIfBodyIgnoresIt) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE d (v TEXT UNIQUE)");
  Exec(*db, "INSERT INTO d VALUES ('x')");
  absl::Status s = db->Run(TxMode::kWrite, [](Transaction& tx) {
    EXPECT_TRUE(tx.Execute("INSERT INTO d VALUES ($1)", {Text("y")}).ok());
    EXPECT_EQ(tx.Execute("INSERT INTO d VALUES ($1)", {Text("x")}).status().code(),
              absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(tx.Execute("INSERT INTO d VALUES ($1)", {Text("z")}).status().code(),
              absl::StatusCode::kAborted);
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Count(*db, "d"), 1);
}

TEST_F(SqliteDatabaseTest, ConstraintViolationsMapToCanonicalCodes) {
  auto db = OpenDb();
  Exec(*db,
       "CREATE TABLE parent (id INTEGER PRIMARY KEY, email TEXT UNIQUE);"
       "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL"
       " REFERENCES parent(id), age INTEGER CHECK (age >= 0));"
       "INSERT INTO parent VALUES (1, 'a@example.org')");
  auto write = [&](const char* sql, std::vector<Value> params) {
    return db->Run(TxMode::kWrite,
                   [&](Transaction& tx) { return tx.Execute(sql, params).status(); });
  };
  absl::Status unique =
      write("INSERT INTO parent (id, email) VALUES ($1, $2)", {Int(2), Text("a@example.org")});
  EXPECT_EQ(unique.code(), absl::StatusCode::kAlreadyExists) << unique;
  EXPECT_THAT(unique.message(), HasSubstr("parent.email"));
  EXPECT_THAT(unique.message(), Not(HasSubstr("a@example.org")));
  EXPECT_EQ(write("INSERT INTO parent (id, email) VALUES ($1, $2)", {Int(1), Text("b")}).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(write("INSERT INTO child VALUES ($1, $2, $3)", {Int(1), Int(99), Int(5)}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(write("INSERT INTO child VALUES ($1, $2, $3)", {Int(1), Int(1), Int(-1)}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(write("INSERT INTO child VALUES ($1, $2, $3)", {Int(1), Null(), Int(1)}).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status syntax = write("INSERT INTO nowhere VALUES ($1)", {Int(1)});
  EXPECT_EQ(syntax.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(syntax.message(), HasSubstr("INSERT INTO nowhere"));
  EXPECT_THAT(syntax.message(), HasSubstr("no such table"));
}

TEST_F(SqliteDatabaseTest, ExecuteCountsChangesAndLastInsertIdWorks) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE e (id INTEGER PRIMARY KEY, v INTEGER)");
  ASSERT_TRUE(db->Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
                  for (int i = 0; i < 3; ++i) {
                    EXPECT_EQ(*tx.Execute("INSERT INTO e (v) VALUES ($1)", {Int(i)}), 1);
                    EXPECT_EQ(tx.LastInsertId(), i + 1);
                  }
                  EXPECT_EQ(*tx.Execute("UPDATE e SET v = v + 1 WHERE v >= $1", {Int(1)}), 2);
                  EXPECT_EQ(*tx.Execute("SELECT * FROM e"), 0);
                  absl::StatusOr<ResultSet> returned =
                      tx.Query("INSERT INTO e (v) VALUES ($1) RETURNING id", {Int(9)});
                  EXPECT_TRUE(returned.ok()) << returned.status();
                  if (returned.ok()) {
                    EXPECT_EQ((*returned)[0].GetInt64("id"), 4);
                  }
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteDatabaseTest, MisuseInsideABodyIsRefused) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE m (v INTEGER)");
  auto status_of = [&](TxMode mode, const char* sql) {
    return db->Run(mode, [&](Transaction& tx) { return tx.Execute(sql).status(); });
  };
  absl::Status commit = status_of(TxMode::kWrite, "COMMIT");
  EXPECT_EQ(commit.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(commit.message(), HasSubstr("not allowed inside Database::Run"));
  EXPECT_EQ(status_of(TxMode::kWrite, "BEGIN IMMEDIATE").code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status_of(TxMode::kRead, "INSERT INTO m VALUES (1)").message(),
              HasSubstr("inside a read transaction"));
  EXPECT_THAT(status_of(TxMode::kWrite, "INSERT INTO m VALUES (1); INSERT INTO m VALUES (2)")
                  .message(),
              HasSubstr("one statement per call"));
  EXPECT_TRUE(status_of(TxMode::kWrite, "SAVEPOINT s").ok());
  EXPECT_EQ(Count(*db, "m"), 0);
  // The connections still work after all that.
  EXPECT_TRUE(status_of(TxMode::kWrite, "INSERT INTO m VALUES (1) ; -- trailing comment").ok());
  EXPECT_EQ(Count(*db, "m"), 1);
}

TEST_F(SqliteDatabaseTest, OpenRejectsBadPathsWithAReason) {
  absl::StatusOr<std::unique_ptr<Database>> missing =
      SqliteDatabase::Open(dir_.File("no/such/dir/x.db"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("parent directory"));
  EXPECT_THAT(missing.status().message(), HasSubstr("does not exist"));
  EXPECT_EQ(SqliteDatabase::Open(":memory:").status().code(),
            absl::StatusCode::kInvalidArgument);
  SqliteOptions bad;
  bad.pool_size = 0;
  EXPECT_EQ(SqliteDatabase::Open(path_, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::unique_ptr<Database>> dir_as_file = SqliteDatabase::Open(dir_.File(""));
  EXPECT_EQ(dir_as_file.status().code(), absl::StatusCode::kUnavailable) << dir_as_file.status();
}

TEST_F(SqliteDatabaseTest, PingReportsAMissingFile) {
  auto db = OpenDb();
  EXPECT_TRUE(db->Ping().ok());
  EXPECT_EQ(db->dialect(), Dialect::kSqlite);
  std::filesystem::remove(path_);
  absl::Status s = db->Ping();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("missing"));
}

// Migrations --------------------------------------------------------------------------------

const std::vector<Migration>& V1V2() {
  static const auto* const kMigrations = new std::vector<Migration>{
      {1, "create_items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"},
      {2, "seed_items", "INSERT INTO items (name) VALUES ('first'); "
                        "CREATE INDEX items_name ON items (name);"},
  };
  return *kMigrations;
}

TEST_F(SqliteDatabaseTest, MigrationsApplyOnceAndAreSkippedOnReopen) {
  {
    auto db = OpenDb();
    ASSERT_TRUE(db->Migrate(V1V2()).ok());
    EXPECT_EQ(Count(*db, "items"), 1);
    EXPECT_EQ(Count(*db, "schema_migrations"), 2);
    ASSERT_TRUE(db->Migrate(V1V2()).ok());
    EXPECT_EQ(Count(*db, "items"), 1);
  }
  auto db = OpenDb();
  ASSERT_TRUE(db->Migrate(V1V2()).ok());
  EXPECT_EQ(Count(*db, "items"), 1);

  std::vector<Migration> v3 = V1V2();
  v3.push_back({3, "seed_more", "INSERT INTO items (name) VALUES ('second')"});
  std::swap(v3[0], v3[2]);  // any order is accepted
  absl::Status s = db->Migrate(v3);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count(*db, "items"), 2);
  ASSERT_TRUE(db->Run(TxMode::kRead, [](Transaction& tx) -> absl::Status {
                  absl::StatusOr<ResultSet> rs = tx.Query(
                      "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
                  if (!rs.ok()) return rs.status();
                  EXPECT_EQ(rs->size(), 3u);
                  EXPECT_EQ((*rs)[2].GetText("name"), "seed_more");
                  EXPECT_EQ((*rs)[2].GetText("applied_at").size(), 20u);  // RFC 3339, UTC
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteDatabaseTest, MigrationListsWithGapsOrDuplicatesAreRejected) {
  auto db = OpenDb();
  std::vector<Migration> gap = {{1, "a", "CREATE TABLE a (x)"}, {3, "c", "CREATE TABLE c (x)"}};
  absl::Status s = db->Migrate(gap);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expected 2, found 3"));
  std::vector<Migration> duplicate = {{1, "a", "CREATE TABLE a (x)"},
                                      {1, "b", "CREATE TABLE b (x)"}};
  s = db->Migrate(duplicate);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("duplicate migration version 1"));
  std::vector<Migration> from_zero = {{0, "a", "CREATE TABLE a (x)"}};
  EXPECT_EQ(db->Migrate(from_zero).code(), absl::StatusCode::kFailedPrecondition);
  std::vector<Migration> unnamed = {{1, "", "CREATE TABLE a (x)"}};
  EXPECT_EQ(db->Migrate(unnamed).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteDatabaseTest, RenamedMigrationIsRejected) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Migrate(V1V2()).ok());
  std::vector<Migration> renamed = V1V2();
  renamed[1].name = "seed_items_v2";
  absl::Status s = db->Migrate(renamed);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("recorded as 'seed_items'"));
}

TEST_F(SqliteDatabaseTest, DatabaseNewerThanTheCodeIsRejected) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Migrate(V1V2()).ok());
  absl::Status s = db->Migrate(absl::MakeConstSpan(V1V2()).subspan(0, 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("newer than this binary"));
}

TEST_F(SqliteDatabaseTest, FailingMigrationIsNotRecordedAndLeavesNoTrace) {
  auto db = OpenDb();
  std::vector<Migration> broken = V1V2();
  broken.push_back({3, "broken", "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1)"});
  absl::Status s = db->Migrate(broken);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("migration 3 (broken)"));
  EXPECT_EQ(Count(*db, "schema_migrations"), 2);
  absl::Status half = db->Run(TxMode::kRead, [](Transaction& tx) {
    return tx.Query("SELECT * FROM half").status();
  });
  EXPECT_THAT(half.message(), HasSubstr("no such table"));
}

// Concurrency -------------------------------------------------------------------------------

TEST_F(SqliteDatabaseTest, ConcurrentWritersLoseNoUpdate) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
            "INSERT INTO counter VALUES (1, 0)");
  constexpr int kThreads = 4;
  constexpr int kIncrements = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status s = db->Run(TxMode::kWrite, [](Transaction& tx) -> absl::Status {
          absl::StatusOr<ResultSet> rs = tx.Query("SELECT n FROM counter WHERE id = $1", {Int(1)});
          if (!rs.ok()) return rs.status();
          return tx.Execute("UPDATE counter SET n = $1 WHERE id = $2",
                            {Int((*rs)[0].GetInt64(0) + 1), Int(1)})
              .status();
        });
        if (!s.ok()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(db->Run(TxMode::kRead, [](Transaction& tx) -> absl::Status {
                  absl::StatusOr<ResultSet> rs = tx.Query("SELECT n FROM counter");
                  if (!rs.ok()) return rs.status();
                  EXPECT_EQ((*rs)[0].GetInt64("n"), kThreads * kIncrements);
                  return absl::OkStatus();
                }).ok());
}

TEST_F(SqliteDatabaseTest, ReadersProceedWhileAWriterHoldsItsTransaction) {
  auto db = OpenDb();
  Exec(*db, "CREATE TABLE r (v INTEGER); INSERT INTO r VALUES (1)");
  absl::Notification writer_inside;
  absl::Notification readers_done;
  std::thread writer([&] {
    absl::Status s = db->Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
      absl::Status inserted = tx.Execute("INSERT INTO r VALUES ($1)", {Int(2)}).status();
      writer_inside.Notify();
      readers_done.WaitForNotificationWithTimeout(absl::Seconds(10));
      return inserted;
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  writer_inside.WaitForNotification();
  std::vector<std::thread> readers;
  std::atomic<int> seen_rows{0};
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      absl::Status s = db->Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
        absl::StatusOr<ResultSet> rs = tx.Query("SELECT count(*) FROM r");
        if (!rs.ok()) return rs.status();
        seen_rows.fetch_add(static_cast<int>((*rs)[0].GetInt64(0)));
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
    });
  }
  for (std::thread& t : readers) t.join();
  EXPECT_FALSE(readers_done.HasBeenNotified());  // the readers did not wait for the writer
  EXPECT_EQ(seen_rows.load(), 3);                // and saw the last committed state
  readers_done.Notify();
  writer.join();
  EXPECT_EQ(Count(*db, "r"), 2);
}

TEST_F(SqliteDatabaseTest, BlockedWriterGivesUpAfterTheBusyTimeout) {
  SqliteOptions options;
  options.busy_timeout_ms = 100;
  auto db = OpenDb(options);
  auto other_process = OpenDb(options);  // a second handle stands in for another process
  Exec(*db, "CREATE TABLE b (v INTEGER)");
  absl::Notification inside;
  absl::Notification release;
  std::thread holder([&] {
    EXPECT_TRUE(db->Run(TxMode::kWrite, [&](Transaction& tx) {
                    inside.Notify();
                    release.WaitForNotificationWithTimeout(absl::Seconds(10));
                    return tx.Execute("INSERT INTO b VALUES (1)").status();
                  }).ok());
  });
  inside.WaitForNotification();
  auto write = [](Database& d) {
    return d.Run(TxMode::kWrite, [](Transaction& tx) {
      return tx.Execute("INSERT INTO b VALUES (2)").status();
    });
  };
  absl::Status same = write(*db);
  EXPECT_EQ(same.code(), absl::StatusCode::kUnavailable) << same;
  EXPECT_THAT(same.message(), HasSubstr("the write lock"));
  absl::Status other = write(*other_process);
  EXPECT_EQ(other.code(), absl::StatusCode::kUnavailable) << other;
  EXPECT_THAT(other.message(), HasSubstr("begin write transaction"));
  release.Notify();
  holder.join();
  EXPECT_TRUE(write(*other_process).ok());
  EXPECT_EQ(Count(*db, "b"), 2);
}

// Durability --------------------------------------------------------------------------------

TEST_F(SqliteDatabaseTest, AcknowledgedCommitSurvivesSigkill) {
  {
    auto db = OpenDb();
    Exec(*db, "CREATE TABLE acked (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
  }
  constexpr int kRounds = 3;
  for (int round = 1; round <= kRounds; ++round) {
    int ack[2];
    ASSERT_EQ(pipe(ack), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(ack[0]);
      absl::StatusOr<std::unique_ptr<Database>> db = SqliteDatabase::Open(path_);
      if (!db.ok()) _exit(2);
      absl::Status s = (*db)->Run(TxMode::kWrite, [&](Transaction& tx) {
        return tx.Execute("INSERT INTO acked (id, note) VALUES ($1, $2)",
                          {Int(round), Text("acknowledged")})
            .status();
      });
      if (!s.ok()) _exit(3);
      const char byte = 'k';
      if (write(ack[1], &byte, 1) != 1) _exit(4);
      while (true) pause();  // killed here, with the database still open
    }
    close(ack[1]);
    char byte = 0;
    const ssize_t n = read(ack[0], &byte, 1);
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    close(ack[0]);
    ASSERT_EQ(n, 1) << "child exited with " << wstatus << " before acknowledging";
    ASSERT_TRUE(WIFSIGNALED(wstatus));
  }
  auto db = OpenDb();
  ASSERT_TRUE(db->Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
                  absl::StatusOr<ResultSet> rs = tx.Query("SELECT id, note FROM acked ORDER BY id");
                  if (!rs.ok()) return rs.status();
                  EXPECT_EQ(rs->size(), static_cast<size_t>(kRounds));
                  for (size_t i = 0; i < rs->size(); ++i) {
                    EXPECT_EQ((*rs)[i].GetInt64("id"), static_cast<int64_t>(i) + 1);
                    EXPECT_EQ((*rs)[i].GetText("note"), "acknowledged");
                  }
                  return absl::OkStatus();
                }).ok());
}

}  // namespace
}  // namespace slihub::store
