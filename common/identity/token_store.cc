#include "common/identity/token_store.h"

#include <sys/stat.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/errors/errors.h"
#include "common/identity/token_codec.h"
#include "common/store/sqlite_database.h"

namespace slihub {
namespace {

constexpr size_t kTokenIdLength = 12;
constexpr size_t kMinRevokePrefix = 8;

const std::vector<store::Migration>& Migrations() {
  static const auto* migrations = new std::vector<store::Migration>{
      {1, "create_tokens",
       "CREATE TABLE tokens ("
       "  token_hash TEXT PRIMARY KEY,"
       "  subject TEXT NOT NULL,"
       "  la_code TEXT NOT NULL DEFAULT '',"
       "  region_code TEXT NOT NULL,"
       "  roles TEXT NOT NULL,"
       "  create_time_ms INTEGER NOT NULL,"
       "  expire_time_ms INTEGER,"
       "  revoke_time_ms INTEGER);"
       "CREATE INDEX tokens_by_subject ON tokens(subject);"},
      // The methods a least-privilege token may call, comma-separated; '' for any its roles allow.
      {2, "token_scopes", "ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';"},
  };
  return *migrations;
}

std::string RolesText(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role r : roles) names.emplace_back(RoleName(r));
  return absl::StrJoin(names, ",");
}

std::vector<Role> ParseRoles(const std::string& text) {
  std::vector<Role> roles;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    Role role;
    if (ParseRole(name, &role)) roles.push_back(role);
  }
  return roles;
}

Principal PrincipalFromRow(const store::Row& row) {
  Principal p;
  p.subject = row.GetText("subject");
  p.la_code = row.GetText("la_code");
  p.region_code = row.GetText("region_code");
  p.roles = ParseRoles(row.GetText("roles"));
  p.scopes = absl::StrSplit(row.GetText("scopes"), ',', absl::SkipEmpty());
  p.expire_time = row.IsNull("expire_time_ms")
                      ? absl::InfiniteFuture()
                      : absl::FromUnixMillis(row.GetInt64("expire_time_ms"));
  return p;
}

}  // namespace

bool IsMethodNameSyntax(absl::string_view name) {
  if (name.size() < 4 || name.size() > 200 || name[0] != '/') return false;
  const size_t slash = name.find('/', 1);
  if (slash == absl::string_view::npos || slash == 1 || slash + 1 == name.size()) return false;
  for (size_t i = 1; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                    (c == '.' && i < slash) || i == slash;
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Open(const std::string& path) {
  auto db = store::SqliteDatabase::Open(path, store::SqliteOptions());
  if (!db.ok()) return db.status();
  if (absl::Status migrated = (*db)->Migrate(Migrations()); !migrated.ok()) return migrated;
  return std::make_unique<TokenStore>(*std::move(db));
}

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::OpenExisting(const std::string& path) {
  struct stat info;
  if (path.empty() || stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return absl::NotFoundError(absl::StrCat(
        "identity database ", path.empty() ? "(no path)" : path,
        " does not exist (create it with `slihub token create --init ...`)"));
  }
  return Open(path);
}

TokenStore::TokenStore(std::unique_ptr<store::Database> db) : db_(std::move(db)) {}

absl::StatusOr<std::string> TokenStore::Create(const TokenSpec& spec, absl::Time now) {
  FieldViolations violations;
  if (spec.subject.empty() || spec.subject.size() > 64) {
    violations.Add("subject", "must be 1 to 64 characters");
  }
  if (spec.region_code.empty()) violations.Add("region", "is required");
  if (spec.roles.empty()) violations.Add("roles", "at least one role is required");
  if (spec.expire_time <= now) violations.Add("expire_time", "must be in the future");
  for (const std::string& scope : spec.scopes) {
    if (!IsMethodNameSyntax(scope)) {
      violations.Add("scopes",
                     absl::StrCat("'", scope, "' is not a method name (/pkg.Service/Method)"));
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<std::string> token = GenerateToken();
  if (!token.ok()) return token.status();
  const store::Value expire = spec.expire_time == absl::InfiniteFuture()
                                  ? store::Null()
                                  : store::Int(absl::ToUnixMillis(spec.expire_time));
  absl::Status written = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    return tx
        .Execute(
            "INSERT INTO tokens (token_hash, subject, la_code, region_code, roles, "
            "create_time_ms, expire_time_ms, scopes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {store::Text(HashToken(*token)), store::Text(spec.subject),
             store::Text(spec.la_code), store::Text(spec.region_code),
             store::Text(RolesText(spec.roles)), store::Int(absl::ToUnixMillis(now)), expire,
             store::Text(absl::StrJoin(spec.scopes, ","))})
        .status();
  });
  if (!written.ok()) return written;
  return token;
}

absl::StatusOr<int> TokenStore::Revoke(const std::string& token_id_or_subject, absl::Time now) {
  int64_t revoked = 0;
  absl::Status status = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
    absl::StatusOr<int64_t> changed =
        tx.Execute("UPDATE tokens SET revoke_time_ms = $1 WHERE revoke_time_ms IS NULL AND "
                   "(subject = $2 OR (length($2) >= $3 AND substr(token_hash, 1, length($2)) = $2))",
                   {store::Int(absl::ToUnixMillis(now)), store::Text(token_id_or_subject),
                    store::Int(static_cast<int64_t>(kMinRevokePrefix))});
    if (!changed.ok()) return changed.status();
    revoked = *changed;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (revoked == 0) {
    return absl::NotFoundError(
        absl::StrCat("no active token with id prefix or subject '", token_id_or_subject, "'"));
  }
  return static_cast<int>(revoked);
}

absl::StatusOr<std::vector<TokenInfo>> TokenStore::List() {
  std::vector<TokenInfo> out;
  absl::Status status = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    auto rows = tx.Query(
        "SELECT token_hash, subject, la_code, region_code, roles, create_time_ms, "
        "expire_time_ms, revoke_time_ms, scopes FROM tokens "
        "ORDER BY create_time_ms DESC, token_hash");
    if (!rows.ok()) return rows.status();
    for (const store::Row& row : *rows) {
      TokenInfo info;
      info.token_id = row.GetText("token_hash").substr(0, kTokenIdLength);
      info.principal = PrincipalFromRow(row);
      info.create_time = absl::FromUnixMillis(row.GetInt64("create_time_ms"));
      info.revoked = !row.IsNull("revoke_time_ms");
      out.push_back(std::move(info));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<ActiveToken>> TokenStore::LoadActive() {
  std::vector<ActiveToken> out;
  absl::Status status = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    auto rows = tx.Query(
        "SELECT token_hash, subject, la_code, region_code, roles, expire_time_ms, scopes "
        "FROM tokens WHERE revoke_time_ms IS NULL");
    if (!rows.ok()) return rows.status();
    for (const store::Row& row : *rows) {
      out.push_back({row.GetText("token_hash"), PrincipalFromRow(row)});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace slihub
