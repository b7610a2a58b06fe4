#include "common/store/migration.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/store/database.h"

namespace slihub::store {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

std::vector<const Migration*> SortedByVersion(absl::Span<const Migration> migrations) {
  std::vector<const Migration*> sorted;
  sorted.reserve(migrations.size());
  for (const Migration& m : migrations) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Migration* a, const Migration* b) {
    return a->version < b->version;
  });
  return sorted;
}

absl::Status Prefixed(const Migration& m, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat("store: migration ", m.version, " (", m.name,
                                             "): ", s.message()));
}

struct Recorded {
  int64_t version;
  std::string name;
};

absl::StatusOr<std::vector<Recorded>> ReadRecorded(Database& db) {
  std::vector<Recorded> recorded;
  absl::Status s = db.Run(TxMode::kRead, [&](Transaction& tx) -> absl::Status {
    absl::StatusOr<ResultSet> rs =
        tx.Query("SELECT version, name FROM schema_migrations ORDER BY version");
    if (!rs.ok()) return rs.status();
    for (const Row& row : *rs) recorded.push_back({row.GetInt64(0), row.GetText(1)});
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return recorded;
}

// Checks what the database records against the code's (validated, sorted) migrations.
absl::Status CheckRecorded(const std::vector<Recorded>& recorded,
                           const std::vector<const Migration*>& known) {
  const int64_t newest_known = static_cast<int64_t>(known.size());
  if (!recorded.empty() && recorded.back().version > newest_known) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store: the database is at schema version ", recorded.back().version,
        ", newer than this binary, which knows versions up to ", newest_known));
  }
  for (size_t i = 0; i < recorded.size(); ++i) {
    const int64_t expected = static_cast<int64_t>(i) + 1;
    if (recorded[i].version != expected) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: schema_migrations has a gap: version ", expected,
                       " is missing but ", recorded[i].version, " is recorded"));
    }
    const Migration& m = *known[i];
    if (recorded[i].name != m.name) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: migration ", m.version, " is recorded as '", recorded[i].name,
                       "' but this binary names it '", m.name, "'"));
    }
  }
  return absl::OkStatus();
}

// Applies `m` and records it, unless another process recorded it first.
absl::Status ApplyOne(Database& db, const Migration& m) {
  return db.Run(TxMode::kWrite, [&](Transaction& tx) -> absl::Status {
    absl::StatusOr<ResultSet> rs =
        tx.Query("SELECT name FROM schema_migrations WHERE version = $1", {Int(m.version)});
    if (!rs.ok()) return rs.status();
    if (!rs->empty()) {
      if ((*rs)[0].GetText(0) == m.name) return absl::OkStatus();
      return absl::FailedPreconditionError(absl::StrCat(
          "recorded by another process as '", (*rs)[0].GetText(0), "'"));
    }
    if (absl::Status s = tx.ExecuteScript(m.sql); !s.ok()) return s;
    const std::string now =
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
    return tx
        .Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                 {Int(m.version), Text(m.name), Text(now)})
        .status();
  });
}

}  // namespace

absl::Status ValidateMigrations(absl::Span<const Migration> migrations) {
  const std::vector<const Migration*> sorted = SortedByVersion(migrations);
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Migration& m = *sorted[i];
    if (i > 0 && m.version == sorted[i - 1]->version) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: duplicate migration version ", m.version, " ('",
                       sorted[i - 1]->name, "' and '", m.name, "')"));
    }
    const int expected = static_cast<int>(i) + 1;
    if (m.version != expected) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: migration versions must run 1, 2, 3, ... without gaps: expected ",
                       expected, ", found ", m.version, " ('", m.name, "')"));
    }
    if (m.name.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: migration ", m.version, " has no name"));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyMigrations(Database& db, absl::Span<const Migration> migrations) {
  if (absl::Status s = ValidateMigrations(migrations); !s.ok()) return s;
  const std::vector<const Migration*> sorted = SortedByVersion(migrations);

  absl::Status created = db.Run(TxMode::kWrite, [](Transaction& tx) {
    return tx.ExecuteScript(kCreateTable);
  });
  if (!created.ok()) return created;

  absl::StatusOr<std::vector<Recorded>> recorded = ReadRecorded(db);
  if (!recorded.ok()) return recorded.status();
  if (absl::Status s = CheckRecorded(*recorded, sorted); !s.ok()) return s;

  for (size_t i = recorded->size(); i < sorted.size(); ++i) {
    if (absl::Status s = ApplyOne(db, *sorted[i]); !s.ok()) return Prefixed(*sorted[i], s);
  }
  return absl::OkStatus();
}

}  // namespace slihub::store
