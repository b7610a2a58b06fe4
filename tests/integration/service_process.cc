#include "tests/integration/service_process.h"

#include <chrono>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/identity/token_store.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "tests/support/free_port.h"
#include "tests/support/test_logs.h"
#include "tests/support/test_pki.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {

ServiceProcess::ServiceProcess(ServiceProcessOptions options)
    : options_(std::move(options)), dir_("slihub-it") {}

ServiceProcess::~ServiceProcess() {
  if (process_.pid() <= 0) return;
  (void)process_.Kill();
  KeepTestLog(process_.stderr_path(), options_.service);
  KeepTestLog(process_.stdout_path(), options_.service + "-stdout");
}

std::string ServiceProcess::binary() const {
  return absl::StrCat(SLIHUB_BINARY_DIR, "/services/", options_.service, "/slihub-",
                      options_.service);
}

absl::Status ServiceProcess::ProvisionIdentity() {
  // Servers refuse a missing identity database; a hub is provisioned with one, as tools/dev does.
  auto store = TokenStore::Open(dir_.Join("identity.db"));
  return store.ok() ? absl::OkStatus() : store.status();
}

absl::Status ServiceProcess::ProvisionCertificate() {
  if (!tls_cert_.empty()) return absl::OkStatus();
  absl::StatusOr<LeafFiles> files = SharedTestPki().IssueMachine(options_.region, options_.service);
  if (!files.ok()) return files.status();
  // The server's own copies, so that a test may replace them (certificate reload).
  tls_cert_ = dir_.Join("tls-cert.pem");
  tls_key_ = dir_.Join("tls-key.pem");
  std::ofstream(tls_cert_) << ReadWholeFile(files->cert);
  std::ofstream(tls_key_) << ReadWholeFile(files->key);
  return absl::OkStatus();
}

absl::Status ServiceProcess::Start() {
  if (absl::Status provisioned = ProvisionIdentity(); !provisioned.ok()) return provisioned;
  port_ = options_.port != 0 ? options_.port : PickFreePort();
  std::vector<std::string> args = {
      binary(),
      "--hub-region=" + options_.region,
      "--listen=" + endpoint(),
      "--data-dir=" + dir_.path(),
      std::string("--reference-data=") + SLIHUB_SOURCE_DIR +
          "/deploy/reference/local_authorities.csv",
      absl::StrCat("--shutdown-grace-ms=", options_.shutdown_grace_ms),
      absl::StrCat("--token-refresh-ms=", options_.token_refresh_ms),
      absl::StrCat("--health-probe-ms=", options_.health_probe_ms),
  };
  if (options_.redis_port != 0) {
    args.push_back(absl::StrCat("--redis=127.0.0.1:", options_.redis_port));
  }
  if (options_.tls) {
    if (absl::Status made = ProvisionCertificate(); !made.ok()) return made;
    args.push_back("--tls-cert=" + tls_cert_);
    args.push_back("--tls-key=" + tls_key_);
    args.push_back("--tls-ca=" + SharedTestPki().ca_cert());
    args.push_back(absl::StrCat("--tls-reload-s=", options_.tls_reload_s));
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  absl::Status started = process_.Start(args, options_.extra_env, dir_.path(), options_.service);
  if (!started.ok()) return started;
  auto channel = NewChannel();
  const bool serving = WaitFor(
      [&] { return !process_.running() || HealthStatus(channel) == "SERVING"; }, absl::Seconds(20),
      absl::Milliseconds(50));
  if (!serving || !process_.running()) {
    return absl::UnavailableError(
        absl::StrCat(options_.service, " did not become SERVING; stderr:\n", process_.ReadStderr()));
  }
  return absl::OkStatus();
}

absl::Status ServiceProcess::StartRaw(const std::vector<std::string>& args,
                                      const std::map<std::string, std::string>& env) {
  if (absl::Status provisioned = ProvisionIdentity(); !provisioned.ok()) return provisioned;
  std::vector<std::string> argv = {binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return process_.Start(argv, env, dir_.path(), options_.service);
}

std::string ServiceProcess::IssueToken(const std::string& subject, std::vector<Role> roles,
                                       const std::string& la_code, absl::Time expire_time) {
  auto store = TokenStore::Open(dir_.Join("identity.db"));
  if (!store.ok()) return "";
  TokenSpec spec;
  spec.subject = subject;
  spec.la_code = la_code;
  spec.region_code = options_.region;
  spec.roles = std::move(roles);
  spec.expire_time = expire_time;
  // An earlier "now" lets tests issue tokens that have already expired.
  auto token = (*store)->Create(spec, absl::Now() - absl::Hours(1));
  if (!token.ok()) return "";
  if (expire_time > absl::Now() && process_.running()) {
    // The server reloads tokens every --token-refresh-ms: wait until it knows this one.
    auto stub = common::v1::DiagnosticsService::NewStub(NewChannel());
    WaitFor(
        [&] {
          grpc::ClientContext context;
          PrepareContext(&context, *token, absl::Seconds(2));
          common::v1::WhoAmIResponse response;
          return stub->WhoAmI(&context, common::v1::WhoAmIRequest(), &response).ok();
        },
        absl::Seconds(10), absl::Milliseconds(20));
  }
  return *token;
}

void ServiceProcess::RevokeTokens(const std::string& subject) {
  auto store = TokenStore::Open(dir_.Join("identity.db"));
  if (store.ok()) (void)(*store)->Revoke(subject, absl::Now());
}

std::string ServiceProcess::IssuePeerHubToken(const std::string& caller_region) {
  auto store = TokenStore::Open(dir_.Join("identity.db"));
  if (!store.ok()) return "";
  TokenSpec spec;
  spec.subject = "hub-" + caller_region;
  spec.region_code = caller_region;
  spec.roles = {Role::kHub};
  auto token = (*store)->Create(spec, absl::Now());
  return token.ok() ? *token : "";
}

std::shared_ptr<grpc::Channel> ServiceProcess::NewChannel() const {
  // Short reconnect backoff: tests poll servers that are starting, stopping or restarting.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  return grpc::CreateCustomChannel(
      endpoint(), options_.tls ? TestTlsCredentials() : grpc::InsecureChannelCredentials(), args);
}

std::shared_ptr<grpc::Channel> ServiceProcess::NewMachineChannel(const std::string& region,
                                                                 const std::string& service) const {
  absl::StatusOr<LeafFiles> files = SharedTestPki().IssueMachine(region, service);
  if (!files.ok()) return nullptr;
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  return grpc::CreateCustomChannel(endpoint(), TestTlsCredentials(files->cert, files->key), args);
}

std::shared_ptr<grpc::ChannelCredentials> TestTlsCredentials(const std::string& client_cert,
                                                             const std::string& client_key) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadWholeFile(SharedTestPki().ca_cert());
  if (!client_cert.empty()) {
    ssl.pem_cert_chain = ReadWholeFile(client_cert);
    ssl.pem_private_key = ReadWholeFile(client_key);
  }
  return grpc::SslCredentials(ssl);
}

void PrepareContext(grpc::ClientContext* context, const std::string& token,
                    absl::Duration timeout) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
}

std::string HealthStatus(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, "", absl::Seconds(1));
  // Waiting for the channel to connect keeps the call polling the connection attempt; a
  // fail-fast call on a reconnecting channel would leave it to gRPC's 5 s backup poller.
  context.set_wait_for_ready(true);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return absl::StrCat("error ", status.error_code(), ": ", status.error_message());
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
}

::slihub::common::v1::DependencyState DependencyStateOf(ServiceProcess& server,
                                                        const std::string& token,
                                                        const std::string& name,
                                                        std::string* detail) {
  namespace v1 = ::slihub::common::v1;
  auto stub = v1::DiagnosticsService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, token);
  v1::GetServerStatusResponse response;
  if (!stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &response).ok()) {
    return v1::DEPENDENCY_STATE_UNSPECIFIED;
  }
  for (const auto& dep : response.dependencies()) {
    if (dep.name() != name) continue;
    if (detail != nullptr) *detail = dep.detail();
    return dep.state();
  }
  return v1::DEPENDENCY_STATE_UNSPECIFIED;
}

}  // namespace slihub::testing
