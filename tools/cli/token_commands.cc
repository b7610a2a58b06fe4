// `slihub token create|list|revoke`: run on the hub host against its identity database.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/identity/service_scopes.h"
#include "common/identity/tenancy.h"
#include "common/identity/token_store.h"
#include "common/refdata/reference_data.h"
#include "tools/cli/client_options.h"
#include "tools/access_matrix/contract.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

struct TokenArgs {
  std::string identity_db;
  std::string subject;
  std::string la_code;
  std::string region;
  std::vector<std::string> roles;
  std::vector<std::string> scopes;  // full method names; none: whatever the roles allow
  std::string expires_in = "90d";
  std::string target;
  std::string service;  // token service-scopes: the calling service
  std::string reference_data;  // empty: the repository's deploy/reference/local_authorities.csv
  std::string output;          // empty or "-": print the token on stdout
  bool init = false;           // create the identity database when it does not exist
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

// Opens the identity database; creates it only when `create` (token create --init).
std::unique_ptr<TokenStore> OpenOrReport(const std::string& path, bool create = false) {
  auto store = create ? TokenStore::Open(path) : TokenStore::OpenExisting(path);
  if (!store.ok()) {
    std::cerr << "error: " << store.status().message() << "\n";
    return nullptr;
  }
  return *std::move(store);
}

// Checks the roles among themselves: a hub token (another region's hub calling this one) names
// the calling hub's region with no LA and carries role hub alone. Returns the problem, or "".
std::string CheckHubRole(const TokenArgs& args, const std::vector<Role>& roles) {
  if (std::find(roles.begin(), roles.end(), Role::kHub) == roles.end()) return "";
  for (Role role : roles) {
    if (role != Role::kHub) {
      return absl::StrCat("role hub is another region's hub calling this one and stands alone: "
                          "it may not be combined with role ",
                          RoleName(role));
    }
  }
  if (!args.la_code.empty()) {
    return "role hub speaks for a whole region (--region is the calling hub's): it takes no --la";
  }
  return "";
}

// Checks the token's region, LA and roles against the reference data: the region exists, the LA
// exists and belongs to it, and an LA role comes with an LA. Returns the problem, or "".
std::string CheckScope(const TokenArgs& args, const std::vector<Role>& roles) {
  if (std::string problem = CheckHubRole(args, roles); !problem.empty()) return problem;
  const std::string path =
      args.reference_data.empty() ? DefaultReferenceDataPath() : args.reference_data;
  if (path.empty()) {
    return "no reference data found (deploy/reference/local_authorities.csv): pass "
           "--reference-data";
  }
  auto data = ReferenceData::LoadFromFile(path);
  if (!data.ok()) return absl::StrCat("--reference-data: ", data.status().message());
  if ((*data)->FindRegion(args.region) == nullptr) {
    std::vector<std::string> known;
    for (const RegionRecord& r : (*data)->regions()) known.push_back(r.code);
    return absl::StrCat("--region '", args.region, "' is not a region of ", path, " (regions: ",
                        absl::StrJoin(known, ", "), ")");
  }
  if (!args.la_code.empty()) {
    const LocalAuthorityRecord* la = (*data)->FindLocalAuthority(args.la_code);
    if (la == nullptr) {
      return absl::StrCat("--la ", args.la_code, " is not a local authority of ", path);
    }
    if (la->region_code != args.region) {
      return absl::StrCat("--la ", args.la_code, " (", la->name, ") is in region ",
                          la->region_code, ", not in the token's region ", args.region);
    }
    return "";
  }
  for (Role role : roles) {
    if (IsLaRole(role)) {
      return absl::StrCat("role ", RoleName(role),
                          " speaks for one local authority: --la is required with it");
    }
  }
  return "";
}

// Writes `secret` to a new or truncated file readable by its owner only (0600, whatever the
// umask and the file's earlier mode). kExitOk, or kExitFailed with a message.
int WriteSecretFile(const std::string& path, const std::string& secret) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  bool ok = fd >= 0 && fchmod(fd, 0600) == 0;
  for (size_t done = 0; ok && done < secret.size();) {
    const ssize_t n = write(fd, secret.data() + done, secret.size() - done);
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  const int error = errno;
  if (fd >= 0 && close(fd) != 0) ok = false;
  if (!ok) {
    std::cerr << "error: cannot write " << path << ": " << std::strerror(error) << "\n";
    return kExitFailed;
  }
  std::cerr << "wrote the token to " << path << " (mode 0600)\n";
  return kExitOk;
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
  for (const std::string& scope : args.scopes) {
    if (FindContractMethod(scope) == nullptr) {
      std::cerr << "error: --scope '" << scope
                << "' is not a method of the contract (give /pkg.Service/Method, e.g. "
                   "/slihub.datacollection.v1.DataCollectionService/GetBenchmark)\n";
      return kExitUsage;
    }
    spec.scopes.push_back(scope);
  }
  if (!args.la_code.empty() && !IsLaCodeSyntax(args.la_code)) {
    std::cerr << "error: --la must be a DfE three-digit LA code\n";
    return kExitUsage;
  }
  if (std::string problem = CheckScope(args, spec.roles); !problem.empty()) {
    std::cerr << "error: " << problem << "\n";
    return kExitUsage;
  }
  absl::Duration lifetime;
  if (!ParseExpiresIn(args.expires_in, &lifetime)) {
    std::cerr << "error: --expires-in must look like 30d, 12h, 45m or never\n";
    return kExitUsage;
  }
  const absl::Time now = absl::Now();
  spec.expire_time = lifetime == absl::InfiniteDuration() ? absl::InfiniteFuture() : now + lifetime;
  auto store = OpenOrReport(args.identity_db, args.init);
  if (store == nullptr) return kExitFailed;
  auto token = store->Create(spec, now);
  if (!token.ok()) {
    std::cerr << "error: " << token.status().message() << "\n";
    return kExitFailed;
  }
  if (args.output.empty() || args.output == "-") {
    std::cout << *token << "\n";
    return kExitOk;
  }
  return WriteSecretFile(args.output, *token + "\n");
}

// "*" for an unscoped token, else its methods as "Service/Method" (the package dropped), joined.
std::string ScopesText(const std::vector<std::string>& scopes) {
  if (scopes.empty()) return "*";
  std::vector<std::string> short_names;
  for (const std::string& scope : scopes) {
    const size_t slash = scope.rfind('/');
    const size_t dot = scope.rfind('.', slash);
    short_names.push_back(dot == std::string::npos ? scope : scope.substr(dot + 1));
  }
  return absl::StrJoin(short_names, ",");
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
                    t.revoked ? "revoked" : "active", ScopesText(t.principal.scopes)});
  }
  PrintTable({"ID", "SUBJECT", "LA", "REGION", "ROLES", "EXPIRES", "STATE", "SCOPES"}, rows);
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

// Prints the methods `args.service` calls on its hub's other services, one a line: what its
// token's --scope options are (tools/dev issues service tokens with them).
int ServiceScopes(const TokenArgs& args) {
  const std::vector<std::string> scopes = ServiceCallScopes(args.service);
  if (scopes.empty()) {
    std::cerr << "error: unknown service '" << args.service
              << "'; services: " << absl::StrJoin(HubServiceNames(), ", ") << "\n";
    return kExitUsage;
  }
  for (const std::string& scope : scopes) std::cout << scope << "\n";
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
  create->add_option("--region", args->region,
                     "the hub region (EE, SE, ...); for role hub, the region of the calling hub")
      ->required();
  create->add_option("--la", args->la_code, "the principal's LA code (omit for region-wide)");
  create->add_option("--role", args->roles, "a role; repeat for several")->required();
  create->add_option("--scope", args->scopes,
                     "a method the token may call, /pkg.Service/Method; repeat for several "
                     "(default: every method its roles allow)");
  create->add_option("--expires-in", args->expires_in, "30d, 12h, 45m or never")
      ->capture_default_str();
  create->add_option("--reference-data", args->reference_data,
                     "local authorities CSV that --region and --la are checked against "
                     "(default: the repository's deploy/reference/local_authorities.csv)");
  create->add_option("--output,-o", args->output,
                     "write the token to this file, mode 0600 (default: print it)");
  create->add_flag("--init", args->init,
                   "create the identity database if it does not exist (otherwise it must)");
  create->callback([=] { *exit_code = Create(*args); });

  CLI::App* list = token->add_subcommand("list", "every token (ids and principals, no secrets)");
  list->callback([=] { *exit_code = List(*args); });

  CLI::App* revoke = token->add_subcommand("revoke", "revoke by token id prefix or subject");
  revoke->add_option("target", args->target, "token id (8+ hex characters) or subject")
      ->required();
  revoke->callback([=] { *exit_code = Revoke(*args); });

  CLI::App* service_scopes = token->add_subcommand(
      "service-scopes", "the methods a service calls on its hub's other services (its scopes)");
  service_scopes->add_option("service", args->service, "workforce, placement, datacollection or "
                                                       "peerreview")
      ->required();
  service_scopes->callback([=] { *exit_code = ServiceScopes(*args); });

  for (CLI::App* command : {create, list, revoke}) {
    command->add_option("--identity-db", args->identity_db, "the hub's identity database file")
        ->required();
  }
}

}  // namespace slihub::cli
