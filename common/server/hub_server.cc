#include "common/server/hub_server.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/audit/audit_trail.h"
#include "common/base/log.h"
#include "common/base/worker_pool.h"
#include "common/cache/null_cache.h"
#include "common/cache/redis_cache.h"
#include "common/federation/federation.h"
#include "common/federation/federation_service.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_store.h"
#include "common/security/tls_credentials.h"
#include "common/server/diagnostics_service.h"
#include "common/server/library_logs.h"
#include "common/server/reference_data_service.h"
#include "common/server/unparsed_request_interceptor.h"
#include "common/store/sqlite_database.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

extern char** environ;

namespace slihub {
namespace {

constexpr char kVersion[] = "0.1.0";

int ConfigError(const std::string& service, absl::string_view message) {
  std::cerr << "slihub-" << service << ": configuration error: " << message << std::endl;
  return kExitBadConfiguration;
}

int StartupError(const std::string& service, absl::string_view what, const absl::Status& status) {
  std::cerr << "slihub-" << service << ": cannot start: " << what << ": " << status.message()
            << std::endl;
  LogError("startup_failed").Str("step", what).Str("error", status.ToString());
  return kExitStartupFailed;
}

// Claims `db_path` for this process alone by holding an exclusive lock on "<db_path>.lock" until
// the process exits (the kernel drops it then, even after kill -9). The service must be its
// file's only writer: its in-process caches hear of changes from its own transactions only.
// FailedPrecondition when another process holds it; Unavailable when the lock file cannot be made.
absl::Status ClaimDataFile(const std::string& db_path) {
  const std::string lock_path = db_path + ".lock";
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(lock_path, ": ", std::strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    close(fd);
    if (error == EWOULDBLOCK) {
      return absl::FailedPreconditionError(absl::StrCat(
          "another process is serving ", db_path, " (it holds ", lock_path,
          "); each service's data directory belongs to one server"));
    }
    return absl::UnavailableError(absl::StrCat(lock_path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();  // fd stays open, and the lock held, for the life of the process
}

// Splits "host:port" for the Redis client. False when the port is not a number.
bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = address.substr(0, colon);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port > 0 && *port < 65536;
}

// The one-row table the store probe writes to, made by the common runtime in every store.
constexpr char kProbeTableSql[] =
    "CREATE TABLE IF NOT EXISTS slihub_health_probe ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  probe_time_us INTEGER NOT NULL)";

// One committed write (to the probe table): fails when the disk is full or the file cannot grow.
absl::Status ProbeWrite(store::Database* db) {
  return db->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
    return tx
        .Execute("INSERT OR REPLACE INTO slihub_health_probe (id, probe_time_us) VALUES (1, $1)",
                 {store::Int(absl::ToUnixMicros(absl::Now()))})
        .status();
  });
}

// Probes the store on its own thread and reports it to the monitor: down when it cannot be
// read, degraded (reads served, writes refused) when a tiny write fails, up otherwise.
class StoreProbe {
 public:
  StoreProbe(store::Database* db, DependencyMonitor* monitor, absl::Duration interval)
      : thread_([=] {
          do {
            absl::Status read = db->Ping();
            absl::Status write = read.ok() ? ProbeWrite(db) : absl::OkStatus();
            if (!read.ok()) {
              monitor->Set("store", DependencyState::kDown, std::string(read.message()));
            } else if (!write.ok()) {
              monitor->Set("store", DependencyState::kDegraded,
                           absl::StrCat("writes fail: ", write.message()));
            } else {
              monitor->Set("store", DependencyState::kUp, "");
            }
          } while (!stop_.WaitForNotificationWithTimeout(interval));
        }) {}
  ~StoreProbe() {
    stop_.Notify();
    thread_.join();
  }

 private:
  absl::Notification stop_;
  std::thread thread_;
};

// The names the health service reports: the whole server, each gRPC service, each dependency.
std::vector<std::string> HealthNames(const ServiceDefinition& definition) {
  return {"", definition.grpc_service_name, "slihub.common.v1.DiagnosticsService",
          "slihub.common.v1.ReferenceDataService", "slihub.common.v1.FederationService",
          "slihub.common.v1.AuditService"};
}

// Drops every server builder plugin (reflection): the health-only listener serves grpc.health.v1
// and nothing else.
class NoPluginsOption : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->clear();
  }
};

// The plaintext health-only server on `address` (--health-listen), or an error. Every other
// method is answered UNIMPLEMENTED (by a generic service, which also gives gRPC the callback
// method it needs to build a server whose only service is the default health service).
absl::StatusOr<std::unique_ptr<grpc::Server>> StartHealthServer(const std::string& address) {
  static auto* const unimplemented = new grpc::CallbackGenericService();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.RegisterCallbackGenericService(unimplemented);
  builder.SetOption(std::make_unique<NoPluginsOption>());
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0 || server->GetHealthCheckService() == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  return server;
}

}  // namespace

int RunServiceMain(const ServiceDefinition& definition, int argc, char** argv) {
  // Debian's Abseil checks every Mutex acquisition against a global lock-order graph (deadlock
  // detection, meant for debug builds); a server does not pay for that on each call. Set before
  // any Mutex is used.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Block the shutdown signals before any thread starts, so that only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file-size limit (RLIMIT_FSIZE) must fail the write (EFBIG), as a full disk does, not kill
  // the server: the store then reports the failure and health says the store is degraded.
  signal(SIGXFSZ, SIG_IGN);

  const std::string& service = definition.name;
  absl::StatusOr<ServerConfig> parsed = ParseServerConfig(service, argc, argv, environ);
  if (!parsed.ok()) {
    if (parsed.status().code() == absl::StatusCode::kCancelled) {
      std::cout << parsed.status().message();
      return kExitOk;
    }
    return ConfigError(service, parsed.status().message());
  }
  const ServerConfig config = *std::move(parsed);
  LogLevel level = LogLevel::kInfo;
  ParseLogLevel(config.log_level, &level);
  ConfigureLogging(level, service, config.hub_region);
  if (!config.log_file.empty()) {
    absl::Status opened = ConfigureLogFile(config.log_file, config.log_max_bytes, config.log_keep);
    if (!opened.ok()) return ConfigError(service, absl::StrCat("--log-file: ", opened.message()));
  }
  RouteLibraryLogs();
  const security::TlsFiles tls_files = security::TlsFilesOf(config);
  if (config.tls_enabled()) {
    if (absl::Status checked = security::CheckTlsFiles(tls_files); !checked.ok()) {
      return ConfigError(service, checked.message());
    }
  }

  auto reference_data = ReferenceData::LoadFromFile(config.reference_data);
  if (!reference_data.ok()) {
    return ConfigError(service, absl::StrCat("--reference-data: ", reference_data.status().message()));
  }
  if ((*reference_data)->FindRegion(config.hub_region) == nullptr) {
    return ConfigError(service, absl::StrCat("--hub-region: '", config.hub_region,
                                             "' is not a region of the reference data"));
  }
  std::string redis_host;
  int redis_port = 0;
  if (!config.redis_address.empty() &&
      !SplitHostPort(config.redis_address, &redis_host, &redis_port)) {
    return ConfigError(service,
                       absl::StrCat("--redis: '", config.redis_address, "' is not host:port"));
  }
  std::error_code mkdir_error;
  std::filesystem::create_directories(config.data_dir, mkdir_error);
  if (mkdir_error) {
    return StartupError(service, "data directory",
                        absl::UnavailableError(absl::StrCat(config.data_dir, ": ",
                                                            mkdir_error.message())));
  }

  // The service's own store, this process's alone, migrated before anything is served.
  const std::string db_path = config.data_dir + "/" + service + ".db";
  if (absl::Status claimed = ClaimDataFile(db_path); !claimed.ok()) {
    return StartupError(service, "store", claimed);
  }
  auto database = store::SqliteDatabase::Open(db_path, store::SqliteOptions());
  if (!database.ok()) return StartupError(service, "store", database.status());
  if (absl::Status migrated = (*database)->Migrate(definition.migrations); !migrated.ok()) {
    return StartupError(service, "store migration", migrated);
  }
  absl::Status probe_table = (*database)->Run(store::TxMode::kWrite, [](store::Transaction& tx) {
    return tx.Execute(kProbeTableSql, {}).status();
  });
  if (!probe_table.ok()) return StartupError(service, "store probe table", probe_table);

  // Identity: the hub's token table, held in memory and reloaded in the background.
  // It must exist: a mistyped path would otherwise serve an empty token table.
  auto tokens = TokenStore::OpenExisting(config.identity_db);
  if (!tokens.ok()) return StartupError(service, "identity database", tokens.status());
  TokenStore* token_store = tokens->get();
  Authenticator authenticator([token_store] { return token_store->LoadActive(); },
                              absl::Milliseconds(config.token_refresh_ms));
  if (absl::Status started = authenticator.Start(); !started.ok()) {
    return StartupError(service, "identity database", started);
  }

  DependencyMonitor monitor;
  monitor.Register("store", /*required=*/true);
  std::unique_ptr<cache::Cache> cache;
  if (config.redis_address.empty()) {
    cache = std::make_unique<cache::NullCache>();
  } else {
    monitor.Register("redis", /*required=*/false);
    cache::RedisCacheOptions options;
    options.host = redis_host;
    options.port = redis_port;
    options.connect_timeout = absl::Milliseconds(config.redis_timeout_ms);
    options.io_timeout = absl::Milliseconds(config.redis_timeout_ms);
    options.probe_interval = absl::Milliseconds(config.health_probe_ms);
    options.key_prefix = absl::StrCat("slihub:", config.hub_region, ":", service, ":");
    auto redis = cache::RedisCache::Create(options);
    if (!redis.ok()) return ConfigError(service, absl::StrCat("--redis: ", redis.status().message()));
    (*redis)->SetStateListener([&monitor](bool available, const std::string& detail) {
      monitor.Set("redis", available ? DependencyState::kUp : DependencyState::kDegraded,
                  available ? "" : absl::StrCat("cache bypassed: ", detail));
    });
    cache = *std::move(redis);
  }

  auto peers = PeerClients::Create(config, &monitor);
  if (!peers.ok()) return ConfigError(service, peers.status().message());
  auto federation =
      federation::Federation::Create(config, **reference_data, cache.get(), &monitor);
  if (!federation.ok()) return ConfigError(service, federation.status().message());

  WorkerPool pool(static_cast<size_t>(config.workers), static_cast<size_t>(config.max_queued));
  ServiceContext context;
  context.config = &config;
  context.reference_data = reference_data->get();
  context.database = database->get();
  context.cache = cache.get();
  context.dependencies = &monitor;
  context.peers = peers->get();
  context.federation = federation->get();
  context.runtime.authenticator = &authenticator;
  context.runtime.pool = &pool;
  context.runtime.hub_region = config.hub_region;
  context.runtime.mutual_tls = config.tls_enabled();
  for (const std::string& region : (*federation)->peers().Regions()) {
    context.runtime.peer_regions.insert(region);
  }

  // The audit trail: its own file, written by its own thread (common/audit/).
  if (absl::Status claimed = ClaimDataFile(config.audit_db); !claimed.ok()) {
    return StartupError(service, "audit trail", claimed);
  }
  auto audit_trail = audit::AuditTrail::Open(config.audit_db, &context.runtime);
  if (!audit_trail.ok()) return StartupError(service, "audit trail", audit_trail.status());

  auto service_impl = definition.make_service(context);
  if (!service_impl.ok()) return StartupError(service, "service", service_impl.status());
  if (config.demo_data && definition.load_demo_data) {
    if (absl::Status loaded = definition.load_demo_data(context); !loaded.ok()) {
      return StartupError(service, "demo data", loaded);
    }
  }
  DiagnosticsServiceImpl diagnostics(
      ServerIdentity{service, config.hub_region, absl::Now(), kVersion}, &monitor,
      context.runtime);
  ReferenceDataServiceImpl reference_service(context.reference_data, context.runtime);
  federation::FederationServiceImpl federation_service(&(*federation)->change_log(),
                                                       context.runtime);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(config.listen_address,
                           config.tls_enabled() ? security::MakeServerCredentials(tls_files)
                                                : grpc::InsecureServerCredentials(),
                           &bound_port);
  // gRPC sets SO_REUSEPORT by default: a second server on the same port would then silently
  // share its traffic. A port already in use must be a start-up failure instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  builder.SetMaxSendMessageSize(config.max_message_bytes);
  builder.RegisterService(service_impl->get());
  builder.RegisterService(&diagnostics);
  builder.RegisterService(&reference_service);
  builder.RegisterService(&federation_service);
  builder.RegisterService((*audit_trail)->service());
  // A request gRPC cannot parse is answered INVALID_ARGUMENT saying so, not UNIMPLEMENTED.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<UnparsedRequestInterceptorFactory>());
  // After it: every call's final status is recorded (a write's status waits for its entry).
  interceptors.push_back((*audit_trail)->MakeInterceptorFactory(definition.raw_methods));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    return StartupError(service, "listen",
                        absl::UnavailableError(absl::StrCat("cannot listen on ",
                                                            config.listen_address)));
  }

  std::unique_ptr<grpc::Server> health_server;
  if (!config.health_listen.empty()) {
    absl::StatusOr<std::unique_ptr<grpc::Server>> started = StartHealthServer(config.health_listen);
    if (!started.ok()) return StartupError(service, "health listen", started.status());
    health_server = *std::move(started);
  }
  // Every status goes to the main server's health service and the health-only listener's alike.
  std::vector<grpc::HealthCheckServiceInterface*> healths = {server->GetHealthCheckService()};
  if (health_server != nullptr) healths.push_back(health_server->GetHealthCheckService());
  auto set_health = [healths](const std::string& name, bool serving) {
    for (grpc::HealthCheckServiceInterface* health : healths) {
      health->SetServingStatus(name, serving);
    }
  };
  const std::vector<std::string> health_names = HealthNames(definition);
  auto publish_health = [set_health, health_names](bool serving) {
    for (const std::string& name : health_names) set_health(name, serving);
  };
  monitor.AddListener([publish_health, set_health](const DependencyStatus& changed, bool serving) {
    publish_health(serving);
    set_health("slihub.dependency." + changed.name, changed.state == DependencyState::kUp);
  });
  for (const DependencyStatus& dep : monitor.Snapshot()) {
    set_health("slihub.dependency." + dep.name, dep.state == DependencyState::kUp);
  }
  publish_health(monitor.serving());
  StoreProbe store_probe(context.database, &monitor, absl::Milliseconds(config.health_probe_ms));

  if (!config.tls_enabled()) {
    LogWarning("plaintext_listener")
        .Str("listen", config.listen_address)
        .Str("detail", "this server runs without TLS (loopback only); set --tls-cert, "
                       "--tls-key and --tls-ca to serve TLS");
  }
  LogInfo("server_started")
      .Str("listen", config.listen_address)
      .Int("port", bound_port)
      .Int("pid", getpid())
      .Int("workers", config.workers)
      .Bool("redis", !config.redis_address.empty())
      .Bool("tls", config.tls_enabled())
      .Str("health_listen", config.health_listen)
      .Str("version", kVersion);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  const absl::Time shutdown_start = absl::Now();
  LogInfo("shutdown_started").Str("signal", strsignal(signal_number))
      .Int("grace_ms", config.shutdown_grace_ms);
  // Readiness goes first, so load balancers stop routing here; then stop accepting and drain.
  for (grpc::HealthCheckServiceInterface* health : healths) health->Shutdown();
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::milliseconds(config.shutdown_grace_ms));
  pool.Shutdown();
  server->Wait();
  (*audit_trail)->Stop();  // every call has ended: commit what is queued, log the chain head
  if (health_server != nullptr) {
    health_server->Shutdown(std::chrono::system_clock::now());
    health_server->Wait();
  }
  cache.reset();  // stops the cache's probe thread before the health service goes away
  peers->reset();  // likewise the peers' probe thread
  (*federation)->StopFeeds();  // and the peer hubs' feeds, which report to the monitor
  LogInfo("shutdown_complete").Millis("drain_ms", absl::Now() - shutdown_start);
  return kExitOk;
}

}  // namespace slihub
