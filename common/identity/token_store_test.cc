#include "common/identity/token_store.h"

#include "absl/time/clock.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_codec.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub {
namespace {

TokenSpec Spec(const std::string& subject) {
  TokenSpec spec;
  spec.subject = subject;
  spec.la_code = "873";
  spec.region_code = "EE";
  spec.roles = {Role::kHrOfficer, Role::kReader};
  return spec;
}

TEST(TokenStoreTest, StoresOnlyTheHashAndLoadsThePrincipal) {
  testing::TempDir dir;
  auto store = TokenStore::Open(dir.Join("identity.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time now = absl::Now();
  auto token = (*store)->Create(Spec("873-hr-1"), now);
  ASSERT_TRUE(token.ok()) << token.status();

  auto active = (*store)->LoadActive();
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].token_hash, HashToken(*token));
  EXPECT_EQ((*active)[0].principal.subject, "873-hr-1");
  EXPECT_EQ((*active)[0].principal.roles, (std::vector<Role>{Role::kHrOfficer, Role::kReader}));
  EXPECT_EQ((*active)[0].principal.expire_time, absl::InfiniteFuture());

  auto rows = (*store)->database().Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    auto found = tx.Query("SELECT count(*) AS n FROM tokens WHERE token_hash = $1 OR subject = $1",
                          {store::Text(*token)});
    EXPECT_TRUE(found.ok());
    EXPECT_EQ((*found)[0].GetInt64("n"), 0);  // the token itself is nowhere
    return absl::OkStatus();
  });
  EXPECT_TRUE(rows.ok());
}

TEST(TokenStoreTest, ValidatesSpec) {
  testing::TempDir dir;
  auto store = TokenStore::Open(dir.Join("identity.db"));
  ASSERT_TRUE(store.ok());
  const absl::Time now = absl::Now();
  TokenSpec no_roles = Spec("x");
  no_roles.roles.clear();
  EXPECT_EQ((*store)->Create(no_roles, now).status().code(), absl::StatusCode::kInvalidArgument);
  TokenSpec past = Spec("x");
  past.expire_time = now - absl::Seconds(1);
  EXPECT_EQ((*store)->Create(past, now).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE((*store)->Create(Spec(""), now).ok());
  EXPECT_TRUE((*(*store)->List()).empty());
}

TEST(TokenStoreTest, RevokesBySubjectOrIdPrefixAndSurvivesReopen) {
  testing::TempDir dir;
  const std::string path = dir.Join("identity.db");
  std::string kept;
  {
    auto store = TokenStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Create(Spec("a"), absl::Now()).ok());
    ASSERT_TRUE((*store)->Create(Spec("a"), absl::Now()).ok());
    kept = *(*store)->Create(Spec("b"), absl::Now());
    auto c = (*store)->Create(Spec("c"), absl::Now());
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(*(*store)->Revoke("a", absl::Now()), 2);
    EXPECT_EQ((*store)->Revoke("a", absl::Now()).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ((*store)->Revoke(HashToken(*c).substr(0, 4), absl::Now()).status().code(),
              absl::StatusCode::kNotFound);  // too short a prefix to be safe
    EXPECT_EQ(*(*store)->Revoke(HashToken(*c).substr(0, 12), absl::Now()), 1);
  }
  auto reopened = TokenStore::Open(path);
  ASSERT_TRUE(reopened.ok());
  auto active = (*reopened)->LoadActive();
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].token_hash, HashToken(kept));
  auto listed = (*reopened)->List();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 4u);
  int revoked = 0;
  for (const auto& t : *listed) revoked += t.revoked;
  EXPECT_EQ(revoked, 3);

  Authenticator auth([&] { return (*reopened)->LoadActive(); }, absl::Hours(1));
  ASSERT_TRUE(auth.Start().ok());
  EXPECT_TRUE(auth.Authenticate("Bearer " + kept, absl::Now()).ok());
}

TEST(TokenStoreTest, KeepsScopesAndRefusesOnesThatAreNoMethodName) {
  testing::TempDir dir;
  auto store = TokenStore::Open(dir.Join("identity.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  TokenSpec spec = Spec("svc-peerreview");
  spec.scopes = {"/slihub.datacollection.v1.DataCollectionService/GetBenchmark",
                 "/slihub.common.v1.DiagnosticsService/WhoAmI"};
  ASSERT_TRUE((*store)->Create(spec, absl::Now()).ok());
  auto active = (*store)->LoadActive();
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].principal.scopes, spec.scopes);
  auto listed = (*store)->List();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].principal.scopes, spec.scopes);

  for (const char* bad : {"GetBenchmark", "/slihub.x.v1.S/", "//Get", "/a.B/C,D", "/a.B/C/D"}) {
    spec.scopes = {bad};
    auto refused = (*store)->Create(spec, absl::Now());
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(TokenStoreTest, MigratesATableWithoutScopesToUnscopedTokens) {
  testing::TempDir dir;
  const std::string path = dir.Join("identity.db");
  {
    auto db = store::SqliteDatabase::Open(path, store::SqliteOptions());
    ASSERT_TRUE(db.ok());
    const std::vector<store::Migration> v1 = {
        {1, "create_tokens",
         "CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, subject TEXT NOT NULL, la_code TEXT "
         "NOT NULL DEFAULT '', region_code TEXT NOT NULL, roles TEXT NOT NULL, create_time_ms "
         "INTEGER NOT NULL, expire_time_ms INTEGER, revoke_time_ms INTEGER);"
         "CREATE INDEX tokens_by_subject ON tokens(subject);"}};
    ASSERT_TRUE((*db)->Migrate(v1).ok());
    ASSERT_TRUE((*db)->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
      return tx.Execute("INSERT INTO tokens VALUES ('abc', 'old', '', 'EE', 'service', 1, "
                        "NULL, NULL)").status();
    }).ok());
  }
  auto store = TokenStore::OpenExisting(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto active = (*store)->LoadActive();
  ASSERT_TRUE(active.ok()) << active.status();
  ASSERT_EQ(active->size(), 1u);
  EXPECT_TRUE((*active)[0].principal.scopes.empty());
}

}  // namespace
}  // namespace slihub
