// Everything a service's adapter and domain code get from the common runtime at start-up.
#ifndef SLIHUB_COMMON_SERVER_SERVICE_CONTEXT_H_
#define SLIHUB_COMMON_SERVER_SERVICE_CONTEXT_H_

#include "common/cache/cache.h"
#include "common/config/server_config.h"
#include "common/refdata/reference_data.h"
#include "common/server/dependency_monitor.h"
#include "common/server/peer_clients.h"
#include "common/server/unary_call.h"
#include "common/store/database.h"

namespace slihub {

namespace federation {
class Federation;
}  // namespace federation

// Borrowed pointers owned by the server; valid until the service's gRPC handlers are destroyed.
// Every member is thread-safe.
struct ServiceContext {
  const ServerConfig* config = nullptr;
  const ReferenceData* reference_data = nullptr;
  store::Database* database = nullptr;     // the service's own SQLite file, migrated
  cache::Cache* cache = nullptr;           // Redis, or a no-op cache when none is configured
  DependencyMonitor* dependencies = nullptr;
  const PeerClients* peers = nullptr;      // other services this one calls; set by RunServiceMain
  // The other regions' hubs of this service, their answers' cache and this hub's change log
  // for them; set by RunServiceMain (no peers configured: every other region UNAVAILABLE).
  federation::Federation* federation = nullptr;
  CallRuntime runtime;                     // authentication and the worker pool for HandleUnary
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_SERVICE_CONTEXT_H_
