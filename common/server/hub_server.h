// Runs one slihub service as a server process: configuration, store, cache, identity, health,
// reflection, the service's handlers, and graceful shutdown on SIGTERM/SIGINT.
#ifndef SLIHUB_COMMON_SERVER_HUB_SERVER_H_
#define SLIHUB_COMMON_SERVER_HUB_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/service_context.h"
#include "common/store/migration.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace slihub {

// What a service binary contributes; the rest is common.
struct ServiceDefinition {
  std::string name;               // "workforce": names the binary, the store file and the logs
  std::string grpc_service_name;  // "slihub.workforce.v1.WorkforceService": its health entry
  std::vector<store::Migration> migrations;  // the service store's schema, applied at start-up
  // Builds the service's gRPC handlers. Called once, after the store is migrated.
  std::function<absl::StatusOr<std::unique_ptr<grpc::Service>>(const ServiceContext&)>
      make_service;
  // Loads demo records when --demo-data is set; must be idempotent. May be empty.
  std::function<absl::Status(const ServiceContext&)> load_demo_data;
  // The methods the service serves raw (gRPC ByteBuffer requests, WithRawCallbackMethod_*),
  // "/pkg.Service/Method": the audit interceptor parses their requests itself. A raw method left
  // out would have its ByteBuffer read as a message.
  std::vector<std::string> raw_methods;
};

// The process exit codes of RunServiceMain.
inline constexpr int kExitOk = 0;
inline constexpr int kExitStartupFailed = 1;
inline constexpr int kExitBadConfiguration = 2;

// Runs the service until SIGTERM or SIGINT, then drains in-flight calls for at most
// --shutdown-grace-ms. Prints a one-line error to stderr and returns kExitBadConfiguration for
// a bad setting, kExitStartupFailed when a dependency cannot be opened, kExitOk after a clean
// shutdown. Call from main() before any other thread starts (it blocks the signals).
int RunServiceMain(const ServiceDefinition& definition, int argc, char** argv);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_HUB_SERVER_H_
