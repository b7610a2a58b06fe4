// Starts a real slihub service binary for an integration test, on a free port, with its own
// data directory and identity database, and issues tokens for it.
#ifndef SLIHUB_TESTS_INTEGRATION_SERVICE_PROCESS_H_
#define SLIHUB_TESTS_INTEGRATION_SERVICE_PROCESS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/identity/principal.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "slihub/common/v1/diagnostics_service.pb.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {

// How to run one service process.
struct ServiceProcessOptions {
  std::string service = "workforce";  // the binary slihub-<service>
  std::string region = "EE";
  int redis_port = 0;                  // 0: run without Redis
  int shutdown_grace_ms = 5000;
  int token_refresh_ms = 100;
  int health_probe_ms = 100;
  int port = 0;                        // 0: a free port chosen at each Start
  std::vector<std::string> extra_args;
  std::map<std::string, std::string> extra_env;
  // TLS on every listener with the shared test PKI (SharedTestPki): the server presents the
  // certificate of its service and region and verifies client certificates. false: plaintext.
  bool tls = true;
  int tls_reload_s = 60;
};

// One running service. Thread-compatible. The destructor kills the process if still running.
class ServiceProcess {
 public:
  explicit ServiceProcess(ServiceProcessOptions options = {});
  // Kills the process if still running and keeps its log for integration_log_scan
  // (tests/support/test_logs.h) before the data directory goes.
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Starts the binary and waits (up to 20 s) until gRPC health answers SERVING. Start and
  // StartRaw first create the data directory's identity.db if missing (servers require one).
  absl::Status Start();
  // Starts the binary with exactly `args` (no defaults), for start-up failure tests.
  absl::Status StartRaw(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env = {});

  // Issues a token in this hub's identity database (as `slihub token create` does). While the
  // server runs, waits until it accepts an unexpired token (its reload interval).
  std::string IssueToken(const std::string& subject, std::vector<Role> roles,
                         const std::string& la_code = "",
                         absl::Time expire_time = absl::InfiniteFuture());
  // Revokes `subject`'s tokens.
  void RevokeTokens(const std::string& subject);
  // Issues, in this hub's identity database, the token the hub of `caller_region` presents to it
  // (role hub, region `caller_region`), as `slihub token create --role hub` does.
  std::string IssuePeerHubToken(const std::string& caller_region);

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  // A new channel to the server as a council's system or the CLI connects: server-authenticated
  // TLS trusting the shared test CA (plaintext when options().tls is false).
  std::shared_ptr<grpc::Channel> NewChannel() const;
  // A new channel presenting the certificate of service `service` of region `region`'s hub
  // (issued by the shared test PKI): the server sees "service:<service>" (own region) or
  // "hub:<region>" (a peer region). Needs TLS.
  std::shared_ptr<grpc::Channel> NewMachineChannel(const std::string& region,
                                                   const std::string& service) const;
  // The server's certificate and key files (under TLS, after Start).
  const std::string& tls_cert() const { return tls_cert_; }
  const std::string& tls_key() const { return tls_key_; }
  Subprocess& process() { return process_; }
  // The options the next Start uses (tests may change them between restarts).
  ServiceProcessOptions& options() { return options_; }
  // Whether the server runs TLS (options().tls).
  bool tls_enabled() const { return options_.tls; }
  const std::string& data_dir() const { return dir_.path(); }
  std::string binary() const;

 private:
  absl::Status ProvisionIdentity();
  absl::Status ProvisionCertificate();
  ServiceProcessOptions options_;
  std::string tls_cert_;
  std::string tls_key_;
  TempDir dir_;
  int port_ = 0;
  Subprocess process_;
};

// Channel credentials trusting the shared test CA, presenting `client` (cert, key paths) when
// given.
std::shared_ptr<grpc::ChannelCredentials> TestTlsCredentials(const std::string& client_cert = "",
                                                             const std::string& client_key = "");

// The state `server` reports for its dependency `name` ("peer.datacollection", "redis", ...) in
// DiagnosticsService.GetServerStatus, asked with `token` (its detail into `*detail` when given);
// UNSPECIFIED when the call fails or no such dependency is listed.
::slihub::common::v1::DependencyState DependencyStateOf(ServiceProcess& server,
                                                        const std::string& token,
                                                        const std::string& name,
                                                        std::string* detail = nullptr);

// Sets a deadline of `timeout` and, when `token` is not empty, the bearer token.
void PrepareContext(grpc::ClientContext* context, const std::string& token,
                    absl::Duration timeout = absl::Seconds(10));

// The grpc.health.v1 status name ("SERVING", ...) for `service`, or the RPC error text.
std::string HealthStatus(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service = "");

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_SERVICE_PROCESS_H_
