#include "common/config/server_config.h"

#include <algorithm>
#include <set>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace slihub {
namespace {

// Adds --<flag> bound to `target`, read from SLIHUB_<ENV> when the flag is absent.
template <typename T>
CLI::Option* AddSetting(CLI::App& app, std::set<std::string>& env_names, const std::string& flag,
                        const std::string& env, T& target, const std::string& help) {
  env_names.insert(env);
  return app.add_option("--" + flag, target, help)->envname(env);
}

std::string OneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// Adds "NAME=HOST:PORT" to `endpoints`, or says why it cannot.
absl::Status AddServiceEndpoint(const std::string& spec,
                                std::map<std::string, std::string>* endpoints) {
  static const std::set<std::string>* const kServices =
      new std::set<std::string>{"workforce", "placement", "datacollection", "peerreview"};
  const size_t eq = spec.find('=');
  const std::string name = spec.substr(0, eq);
  const std::string address = eq == std::string::npos ? "" : spec.substr(eq + 1);
  if (eq == std::string::npos || kServices->count(name) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--service-endpoint: '", spec,
        "' is not NAME=HOST:PORT with NAME workforce, placement, datacollection or peerreview"));
  }
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--service-endpoint: '", address, "' is not HOST:PORT"));
  }
  if (!endpoints->emplace(name, address).second) {
    return absl::InvalidArgumentError(
        absl::StrCat("--service-endpoint: ", name, " is given twice"));
  }
  return absl::OkStatus();
}

// The host part of "host:port" ("[::1]:5" -> "::1").
std::string ListenHost(const std::string& address) {
  const size_t colon = address.rfind(':');
  std::string host = colon == std::string::npos ? address : address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  std::vector<std::string> octets = absl::StrSplit(host, '.');
  if (octets.size() != 4 || octets[0] != "127") return false;
  for (const std::string& octet : octets) {
    int value = 0;
    if (!absl::SimpleAtoi(octet, &value) || value < 0 || value > 255) return false;
  }
  return true;
}

const std::vector<std::string>& ClientEnvironmentVariables() {
  static const auto* names =
      new std::vector<std::string>{"SLIHUB_TOKEN", "SLIHUB_ENDPOINT", "SLIHUB_REGION",
                                   "SLIHUB_STATE_DIR", "SLIHUB_BUILD_DIR",
                                   "SLIHUB_CA_CERT"};
  return *names;
}

absl::StatusOr<ServerConfig> ParseServerConfig(const std::string& service, int argc,
                                               const char* const* argv,
                                               const char* const* envp) {
  ServerConfig config;
  config.service = service;
  CLI::App app("slihub " + service + " server", "slihub-" + service);
  std::set<std::string> env_names;

  AddSetting(app, env_names, "hub-region", "SLIHUB_HUB_REGION", config.hub_region,
             "the hub's region key (EE, SE, ...)")
      ->required();
  AddSetting(app, env_names, "listen", "SLIHUB_LISTEN", config.listen_address,
             "address to serve gRPC on, host:port")
      ->required();
  AddSetting(app, env_names, "data-dir", "SLIHUB_DATA_DIR", config.data_dir,
             "directory holding this service's SQLite file")
      ->required();
  AddSetting(app, env_names, "identity-db", "SLIHUB_IDENTITY_DB", config.identity_db,
             "the hub's token database (default <data-dir>/identity.db)");
  AddSetting(app, env_names, "reference-data", "SLIHUB_REFERENCE_DATA", config.reference_data,
             "local authorities CSV (deploy/reference/local_authorities.csv)")
      ->required();
  AddSetting(app, env_names, "redis", "SLIHUB_REDIS", config.redis_address,
             "Redis cache host:port; empty runs without a cache");
  AddSetting(app, env_names, "redis-timeout-ms", "SLIHUB_REDIS_TIMEOUT_MS",
             config.redis_timeout_ms, "Redis connect and I/O timeout")
      ->check(CLI::Range(10, 10000));
  AddSetting(app, env_names, "workers", "SLIHUB_WORKERS", config.workers,
             "threads for blocking work (store, cache, peer calls)")
      ->check(CLI::Range(1, 256));
  AddSetting(app, env_names, "max-queued", "SLIHUB_MAX_QUEUED", config.max_queued,
             "calls waiting for a worker before RESOURCE_EXHAUSTED")
      ->check(CLI::Range(1, 1000000));
  AddSetting(app, env_names, "max-message-bytes", "SLIHUB_MAX_MESSAGE_BYTES",
             config.max_message_bytes, "largest request or response")
      ->check(CLI::Range(1024, 256 << 20));
  AddSetting(app, env_names, "shutdown-grace-ms", "SLIHUB_SHUTDOWN_GRACE_MS",
             config.shutdown_grace_ms, "how long in-flight calls may finish after SIGTERM")
      ->check(CLI::Range(0, 600000));
  AddSetting(app, env_names, "token-refresh-ms", "SLIHUB_TOKEN_REFRESH_MS",
             config.token_refresh_ms, "how often tokens and revocations are reloaded")
      ->check(CLI::Range(50, 600000));
  AddSetting(app, env_names, "health-probe-ms", "SLIHUB_HEALTH_PROBE_MS", config.health_probe_ms,
             "how often dependencies are probed")
      ->check(CLI::Range(50, 600000));
  AddSetting(app, env_names, "memory-cache-mb", "SLIHUB_MEMORY_CACHE_MB", config.memory_cache_mb,
             "in-process copy of hot stored data (0: off)")
      ->check(CLI::Range(0, 65536));
  AddSetting(app, env_names, "log-level", "SLIHUB_LOG_LEVEL", config.log_level,
             "debug, info, warning or error")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));
  AddSetting(app, env_names, "log-file", "SLIHUB_LOG_FILE", config.log_file,
             "write the log to this file, rotated by size (default: stderr)");
  AddSetting(app, env_names, "log-max-bytes", "SLIHUB_LOG_MAX_BYTES", config.log_max_bytes,
             "size at which the log file is rotated")
      ->check(CLI::Range(int64_t{1024}, int64_t{1} << 40));
  AddSetting(app, env_names, "log-keep", "SLIHUB_LOG_KEEP", config.log_keep,
             "rotated log files kept (<file>.1 newest)")
      ->check(CLI::Range(1, 100));
  std::vector<std::string> endpoint_specs;
  AddSetting(app, env_names, "service-endpoint", "SLIHUB_SERVICE_ENDPOINTS", endpoint_specs,
             "another service this one calls, NAME=HOST:PORT (repeatable)")
      ->delimiter(',');
  AddSetting(app, env_names, "service-token-file", "SLIHUB_SERVICE_TOKEN_FILE",
             config.service_token_file, "file holding the token presented to other services");
  AddSetting(app, env_names, "peer-deadline-ms", "SLIHUB_PEER_DEADLINE_MS",
             config.peer_deadline_ms, "deadline of every call to another service")
      ->check(CLI::Range(10, 60000));
  AddSetting(app, env_names, "peers-file", "SLIHUB_PEERS_FILE", config.peers_file,
             "the other regions' hubs: CSV lines region,service,host:port,token_file");
  AddSetting(app, env_names, "federation-deadline-ms", "SLIHUB_FEDERATION_DEADLINE_MS",
             config.federation_deadline_ms, "deadline of a cross-region fan-out")
      ->check(CLI::Range(10, 60000));
  AddSetting(app, env_names, "federation-fresh-ms", "SLIHUB_FEDERATION_FRESH_MS",
             config.federation_fresh_ms,
             "how long another region's cached answer is served without asking it")
      ->check(CLI::Range(0, 86400000));
  AddSetting(app, env_names, "federation-stale-max-ms", "SLIHUB_FEDERATION_STALE_MAX_MS",
             config.federation_stale_max_ms,
             "oldest cached answer served (marked stale) when its region does not answer")
      ->check(CLI::Range(0, 604800000));
  AddSetting(app, env_names, "federation-memory-entries", "SLIHUB_FEDERATION_MEMORY_ENTRIES",
             config.federation_memory_entries,
             "other regions' answers kept in process in front of Redis (0: Redis only)")
      ->check(CLI::Range(0, 10000000));
  AddSetting(app, env_names, "audit-db", "SLIHUB_AUDIT_DB", config.audit_db,
             "this server's audit trail (default <data-dir>/<service>-audit.db)");
  AddSetting(app, env_names, "tls-cert", "SLIHUB_TLS_CERT", config.tls_cert,
             "PEM certificate chain this server presents (with --tls-key, --tls-ca)");
  AddSetting(app, env_names, "tls-key", "SLIHUB_TLS_KEY", config.tls_key,
             "PEM private key of --tls-cert");
  AddSetting(app, env_names, "tls-ca", "SLIHUB_TLS_CA", config.tls_ca,
             "PEM CA certificates that verify client and peer certificates");
  AddSetting(app, env_names, "tls-reload-s", "SLIHUB_TLS_RELOAD_S", config.tls_reload_s,
             "how often the TLS files are re-read (seconds)")
      ->check(CLI::Range(1, 86400));
  AddSetting(app, env_names, "health-listen", "SLIHUB_HEALTH_LISTEN", config.health_listen,
             "plaintext health-only listener host:port (for Kubernetes gRPC probes)");
  env_names.insert("SLIHUB_DEMO_DATA");
  app.add_flag("--demo-data", config.demo_data, "load demo records on first start")
      ->envname("SLIHUB_DEMO_DATA");

  for (const char* const* e = envp; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry(*e);
    if (!absl::StartsWith(entry, "SLIHUB_")) continue;
    std::string name(entry.substr(0, entry.find('=')));
    const auto& clients = ClientEnvironmentVariables();
    if (env_names.count(name) == 0 &&
        std::find(clients.begin(), clients.end(), name) == clients.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown setting ", name, " (not a setting of slihub-", service, ")"));
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return absl::CancelledError(app.help());
  } catch (const CLI::RequiredError& e) {
    return absl::InvalidArgumentError(absl::StrCat("missing required setting: ", OneLine(e.what()),
                                                   " (flag or SLIHUB_ variable)"));
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(OneLine(e.what()));
  }
  if (config.identity_db.empty()) config.identity_db = config.data_dir + "/identity.db";
  // Named for the service: one data directory may hold several services' files (tools/dev up).
  if (config.audit_db.empty()) config.audit_db = config.data_dir + "/" + service + "-audit.db";
  std::vector<std::string> host_port = absl::StrSplit(config.listen_address, ':');
  if (host_port.size() < 2 || host_port.back().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen: '", config.listen_address, "' is not host:port"));
  }
  const int tls_files = !config.tls_cert.empty() + !config.tls_key.empty() + !config.tls_ca.empty();
  if (tls_files != 0 && tls_files != 3) {
    return absl::InvalidArgumentError(
        "--tls-cert, --tls-key and --tls-ca go together: all or none");
  }
  const std::string listen_host = ListenHost(config.listen_address);
  if (tls_files == 0 && !IsLoopbackHost(listen_host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen: '", config.listen_address,
        "' is not a loopback address; plaintext is served only on loopback (set --tls-cert, "
        "--tls-key and --tls-ca)"));
  }
  if (!config.health_listen.empty()) {
    const size_t colon = config.health_listen.rfind(':');
    int port = 0;
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(config.health_listen.substr(colon + 1), &port) || port <= 0 ||
        port > 65535) {
      return absl::InvalidArgumentError(
          absl::StrCat("--health-listen: '", config.health_listen, "' is not host:port"));
    }
  }
  for (const std::string& spec : endpoint_specs) {
    absl::Status status = AddServiceEndpoint(spec, &config.service_endpoints);
    if (!status.ok()) return status;
  }
  if (!config.service_endpoints.empty() && config.service_token_file.empty() &&
      !config.tls_enabled()) {
    return absl::InvalidArgumentError(
        "--service-endpoint needs --service-token-file (the token presented to other services) "
        "or the TLS files (the certificate presented to them)");
  }
  if (config.federation_stale_max_ms < config.federation_fresh_ms) {
    return absl::InvalidArgumentError(
        "--federation-stale-max-ms must be at least --federation-fresh-ms");
  }
  return config;
}

}  // namespace slihub
