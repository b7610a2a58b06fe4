// The hub's token table: issue, list and revoke bearer tokens, stored only as hashes.
#ifndef SLIHUB_COMMON_IDENTITY_TOKEN_STORE_H_
#define SLIHUB_COMMON_IDENTITY_TOKEN_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/identity/authenticator.h"
#include "common/identity/principal.h"
#include "common/store/database.h"

namespace slihub {

// What a new token is for. `expire_time` InfiniteFuture means it never expires.
struct TokenSpec {
  std::string subject;
  std::string la_code;
  std::string region_code;
  std::vector<Role> roles;
  absl::Time expire_time = absl::InfiniteFuture();
  std::vector<std::string> scopes;  // full method names; empty: whatever the roles allow
};

// True for "/pkg.Service/Method" (letters, digits, '_', dots in the service part): the form of a
// token scope. Whether the method exists is the issuer's check (the CLI's descriptor pool).
bool IsMethodNameSyntax(absl::string_view name);

// A stored token as listed for administrators: never the token itself.
struct TokenInfo {
  std::string token_id;  // the first 12 hex characters of the hash
  Principal principal;
  absl::Time create_time;
  bool revoked = false;
};

// Token administration over the hub's identity database. Thread-safe (the Database is).
class TokenStore {
 public:
  // Opens (creating and migrating) the identity database at `path`. Only for provisioning a hub
  // (`slihub token create --init`, tools/dev, tests); everything else uses OpenExisting.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Open(const std::string& path);
  // Opens (and migrates) the identity database at `path`, which must already exist: NotFound
  // naming the path otherwise, so that a mistyped path never yields an empty token table.
  static absl::StatusOr<std::unique_ptr<TokenStore>> OpenExisting(const std::string& path);
  explicit TokenStore(std::unique_ptr<store::Database> db);

  // Issues a token for `spec` and returns it; it is shown once and stored only as its hash.
  // InvalidArgument when the subject is empty or longer than 64 characters, no role is given,
  // the expiry is in the past, or a scope is not of the form of a method name.
  absl::StatusOr<std::string> Create(const TokenSpec& spec, absl::Time now);
  // Revokes every token whose id starts with `token_id` (at least 8 characters) or whose
  // subject equals it. Returns how many were revoked; NotFound when none matched.
  absl::StatusOr<int> Revoke(const std::string& token_id_or_subject, absl::Time now);
  // Every token, newest first.
  absl::StatusOr<std::vector<TokenInfo>> List();
  // Every unrevoked token with its principal: the Authenticator's loader.
  absl::StatusOr<std::vector<ActiveToken>> LoadActive();

  store::Database& database() { return *db_; }

 private:
  std::unique_ptr<store::Database> db_;
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_IDENTITY_TOKEN_STORE_H_
