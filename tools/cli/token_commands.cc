// `slihub token create|list|revoke`: run on the hub host against its identity database.
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/identity/token_store.h"
#include "common/refdata/reference_data.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

struct TokenArgs {
  std::string identity_db;
  std::string subject;
  std::string la_code;
  std::string region;
  std::vector<std::string> roles;
  std::string expires_in = "90d";
  std::string target;
};

// "30d", "12h", "45m" or "never".
bool ParseExpiresIn(const std::string& text, absl::Duration* out) {
  if (text == "never") {
    *out = absl::InfiniteDuration();
    return true;
  }
  if (text.size() < 2) return false;
  int64_t n = 0;
  if (!absl::SimpleAtoi(text.substr(0, text.size() - 1), &n) || n <= 0) return false;
  switch (text.back()) {
    case 'd': *out = absl::Hours(24 * n); return true;
    case 'h': *out = absl::Hours(n); return true;
    case 'm': *out = absl::Minutes(n); return true;
    default: return false;
  }
}

std::unique_ptr<TokenStore> OpenOrReport(const std::string& path) {
  auto store = TokenStore::Open(path);
  if (!store.ok()) {
    std::cerr << "error: " << store.status().message() << "\n";
    return nullptr;
  }
  return *std::move(store);
}

int Create(const TokenArgs& args) {
  TokenSpec spec;
  spec.subject = args.subject;
  spec.la_code = args.la_code;
  spec.region_code = args.region;
  for (const std::string& name : args.roles) {
    Role role;
    if (!ParseRole(name, &role)) {
      std::vector<std::string> known;
      for (Role r : AllRoles()) known.emplace_back(RoleName(r));
      std::cerr << "error: unknown role '" << name << "'; roles: " << absl::StrJoin(known, ", ")
                << "\n";
      return kExitUsage;
    }
    spec.roles.push_back(role);
  }
  if (!args.la_code.empty() && !IsLaCodeSyntax(args.la_code)) {
    std::cerr << "error: --la must be a DfE three-digit LA code\n";
    return kExitUsage;
  }
  absl::Duration lifetime;
  if (!ParseExpiresIn(args.expires_in, &lifetime)) {
    std::cerr << "error: --expires-in must look like 30d, 12h, 45m or never\n";
    return kExitUsage;
  }
  const absl::Time now = absl::Now();
  spec.expire_time = lifetime == absl::InfiniteDuration() ? absl::InfiniteFuture() : now + lifetime;
  auto store = OpenOrReport(args.identity_db);
  if (store == nullptr) return kExitFailed;
  auto token = store->Create(spec, now);
  if (!token.ok()) {
    std::cerr << "error: " << token.status().message() << "\n";
    return kExitFailed;
  }
  std::cout << *token << "\n";
  return kExitOk;
}

int List(const TokenArgs& args) {
  auto store = OpenOrReport(args.identity_db);
  if (store == nullptr) return kExitFailed;
  auto tokens = store->List();
  if (!tokens.ok()) {
    std::cerr << "error: " << tokens.status().message() << "\n";
    return kExitFailed;
  }
  std::vector<std::vector<std::string>> rows;
  for (const TokenInfo& t : *tokens) {
    std::vector<std::string> roles;
    for (Role r : t.principal.roles) roles.emplace_back(RoleName(r));
    const std::string expires = t.principal.expire_time == absl::InfiniteFuture()
                                    ? "never"
                                    : absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                                       t.principal.expire_time,
                                                       absl::UTCTimeZone());
    rows.push_back({t.token_id, t.principal.subject, t.principal.la_code,
                    t.principal.region_code, absl::StrJoin(roles, ","), expires,
                    t.revoked ? "revoked" : "active"});
  }
  PrintTable({"ID", "SUBJECT", "LA", "REGION", "ROLES", "EXPIRES", "STATE"}, rows);
  return kExitOk;
}

int Revoke(const TokenArgs& args) {
  auto store = OpenOrReport(args.identity_db);
  if (store == nullptr) return kExitFailed;
  auto count = store->Revoke(args.target, absl::Now());
  if (!count.ok()) {
    std::cerr << "error: " << count.status().message() << "\n";
    return kExitFailed;
  }
  std::cout << "revoked " << *count << " token(s)\n";
  return kExitOk;
}

}  // namespace

void AddTokenCommands(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<TokenArgs>();
  CLI::App* token = app.add_subcommand("token", "issue, list and revoke bearer tokens");
  token->require_subcommand(1);

  CLI::App* create = token->add_subcommand("create", "issue a token (printed once)");
  create->add_option("--subject", args->subject, "who the token is for, e.g. 873-hr-1")
      ->required();
  create->add_option("--region", args->region, "the hub region (EE, SE, ...)")->required();
  create->add_option("--la", args->la_code, "the principal's LA code (omit for region-wide)");
  create->add_option("--role", args->roles, "a role; repeat for several")->required();
  create->add_option("--expires-in", args->expires_in, "30d, 12h, 45m or never")
      ->capture_default_str();
  create->callback([=] { *exit_code = Create(*args); });

  CLI::App* list = token->add_subcommand("list", "every token (ids and principals, no secrets)");
  list->callback([=] { *exit_code = List(*args); });

  CLI::App* revoke = token->add_subcommand("revoke", "revoke by token id prefix or subject");
  revoke->add_option("target", args->target, "token id (8+ hex characters) or subject")
      ->required();
  revoke->callback([=] { *exit_code = Revoke(*args); });

  for (CLI::App* command : {create, list, revoke}) {
    command->add_option("--identity-db", args->identity_db, "the hub's identity database file")
        ->required();
  }
}

}  // namespace slihub::cli
