// The settings every slihub server takes, from flags or SLIHUB_* environment variables.
#ifndef SLIHUB_COMMON_CONFIG_SERVER_CONFIG_H_
#define SLIHUB_COMMON_CONFIG_SERVER_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace slihub {

// One server's configuration (twelve-factor: a flag wins over its environment variable).
// Plain data; see ParseServerConfig for each setting's flag, variable, default and range.
struct ServerConfig {
  std::string service;            // fixed by the binary: "workforce", "placement", ...
  std::string hub_region;         // --hub-region / SLIHUB_HUB_REGION (required), e.g. EE
  std::string listen_address;     // --listen / SLIHUB_LISTEN (required), host:port
  std::string data_dir;           // --data-dir / SLIHUB_DATA_DIR (required); <service>.db lives here
  std::string identity_db;        // --identity-db / SLIHUB_IDENTITY_DB; default <data-dir>/identity.db
  std::string reference_data;     // --reference-data / SLIHUB_REFERENCE_DATA (required), CSV path
  std::string redis_address;      // --redis / SLIHUB_REDIS, host:port; empty: run without a cache
  int redis_timeout_ms = 200;     // --redis-timeout-ms / SLIHUB_REDIS_TIMEOUT_MS, 10..10000
  int workers = 8;                // --workers / SLIHUB_WORKERS, 1..256
  int max_queued = 2048;          // --max-queued / SLIHUB_MAX_QUEUED, 1..1000000
  int max_message_bytes = 4 << 20;  // --max-message-bytes / SLIHUB_MAX_MESSAGE_BYTES
  int shutdown_grace_ms = 5000;   // --shutdown-grace-ms / SLIHUB_SHUTDOWN_GRACE_MS, 0..600000
  int token_refresh_ms = 2000;    // --token-refresh-ms / SLIHUB_TOKEN_REFRESH_MS, 50..600000
  int health_probe_ms = 1000;     // --health-probe-ms / SLIHUB_HEALTH_PROBE_MS, 50..600000
  // --memory-cache-mb / SLIHUB_MEMORY_CACHE_MB, 0..65536: the in-process copy of hot stored data
  // (workforce: worker histories); 0 turns it off.
  int memory_cache_mb = 512;
  std::string log_level = "info";  // --log-level / SLIHUB_LOG_LEVEL: debug|info|warning|error
  // --log-file / SLIHUB_LOG_FILE: write the JSON-lines log to this file, rotated by size;
  // empty: stderr (unbounded, for a supervisor that rotates).
  std::string log_file;
  // --log-max-bytes / SLIHUB_LOG_MAX_BYTES, 1024..2^40: the log file's size before rotation.
  int64_t log_max_bytes = int64_t{64} << 20;
  int log_keep = 5;               // --log-keep / SLIHUB_LOG_KEEP, 1..100: rotated files kept
  bool demo_data = false;         // --demo-data / SLIHUB_DEMO_DATA: load demo records once
  // Other services this one calls: service name (workforce, placement, datacollection,
  // peerreview) -> host:port. --service-endpoint NAME=HOST:PORT (repeatable) /
  // SLIHUB_SERVICE_ENDPOINTS (comma-separated).
  std::map<std::string, std::string> service_endpoints;
  // --service-token-file / SLIHUB_SERVICE_TOKEN_FILE: the bearer token this server presents to
  // the services above; required when any endpoint is set.
  std::string service_token_file;
  int peer_deadline_ms = 2000;    // --peer-deadline-ms / SLIHUB_PEER_DEADLINE_MS, 10..60000
  // --peers-file / SLIHUB_PEERS_FILE: the other regions' hubs this server asks (federation),
  // CSV lines region,service,host:port,token_file (# comments); only rows of this server's
  // service are used. Empty: no peers (cross-region parts are reported UNAVAILABLE).
  std::string peers_file;
  // --federation-deadline-ms / SLIHUB_FEDERATION_DEADLINE_MS, 10..60000: one deadline for a
  // whole cross-region fan-out.
  int federation_deadline_ms = 1500;
  // --federation-fresh-ms / SLIHUB_FEDERATION_FRESH_MS, 0..86400000: how long a region's cached
  // answer is served without asking it (only while its change feed is connected).
  int federation_fresh_ms = 300000;
  // --federation-stale-max-ms / SLIHUB_FEDERATION_STALE_MAX_MS, 0..604800000, >= fresh: the
  // oldest cached answer served, marked STALE, when the region does not answer.
  int federation_stale_max_ms = 3600000;
  // --federation-memory-entries / SLIHUB_FEDERATION_MEMORY_ENTRIES, 0..10000000: other regions'
  // answers also kept in process in front of Redis (0: Redis only).
  int federation_memory_entries = 4096;
  // --audit-db / SLIHUB_AUDIT_DB: this server's append-only audit trail (common/audit/); default
  // <data-dir>/<service>-audit.db.
  std::string audit_db;
  // --tls-cert / SLIHUB_TLS_CERT, --tls-key / SLIHUB_TLS_KEY, --tls-ca / SLIHUB_TLS_CA: PEM
  // paths, all three or none. With them every listener speaks TLS, client certificates are
  // requested and verified against the CA (mutual TLS for hubs and services), and calls to other
  // services and hubs present this certificate and verify theirs against the CA. Without them
  // the listen address must be loopback.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  int tls_reload_s = 60;  // --tls-reload-s / SLIHUB_TLS_RELOAD_S, 1..86400: files re-read period
  // --health-listen / SLIHUB_HEALTH_LISTEN, host:port: a plaintext listener serving only
  // grpc.health.v1 (for Kubernetes' native gRPC probes); empty: none.
  std::string health_listen;

  // True when the TLS files are configured.
  bool tls_enabled() const { return !tls_cert.empty(); }
};

// True for a listen host that only this machine reaches: 127.0.0.0/8, ::1 or localhost.
bool IsLoopbackHost(const std::string& host);

// Parses `argv` and the process environment for the server `service`.
// Returns InvalidArgument with a one-line message naming the setting when a required setting is
// missing, a value is out of range, a flag is unknown, or an SLIHUB_* variable is not a setting
// of this server (client variables such as SLIHUB_TOKEN are allowed). Returns Cancelled with the
// help text as message for --help.
absl::StatusOr<ServerConfig> ParseServerConfig(const std::string& service, int argc,
                                               const char* const* argv,
                                               const char* const* envp);

// The environment variables that belong to slihub's clients (the CLI), not to its servers.
const std::vector<std::string>& ClientEnvironmentVariables();

}  // namespace slihub

#endif  // SLIHUB_COMMON_CONFIG_SERVER_CONFIG_H_
