#include "common/identity/token_store.h"

#include "absl/time/clock.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_codec.h"
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

}  // namespace
}  // namespace slihub
