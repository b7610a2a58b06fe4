// Transport security against real servers: TLS on the listener, client certificates verified
// against the hub's CA, machine identity (own service, peer hub) from the certificate, the
// refusal of machine tokens under mutual TLS, the loopback-only rule for plaintext, the
// health-only listener, and certificate reload without a restart.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/security/tls_credentials.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/free_port.h"
#include "tests/support/test_pki.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

// Calls WhoAmI on `channel` with `token` (may be empty).
grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                    v1::WhoAmIResponse* response, grpc::ClientContext* context = nullptr) {
  grpc::ClientContext own;
  grpc::ClientContext* ctx = context != nullptr ? context : &own;
  PrepareContext(ctx, token, absl::Seconds(5));
  return v1::DiagnosticsService::NewStub(channel)->WhoAmI(ctx, v1::WhoAmIRequest(), response);
}

std::shared_ptr<grpc::Channel> Channel(const std::string& endpoint,
                                       std::shared_ptr<grpc::ChannelCredentials> credentials) {
  return grpc::CreateChannel(endpoint, std::move(credentials));
}

grpc::SslCredentialsOptions Trusting(const std::string& ca_path) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadWholeFile(ca_path);
  return ssl;
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServiceProcessOptions options;
    options.extra_args = {"--peers-file=" + PeersFile()};
    server_ = new ServiceProcess(options);
    ASSERT_TRUE(server_->Start().ok());
    person_token_ = new std::string(server_->IssueToken("ee-admin", {Role::kRegionalAdmin}));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete person_token_;
  }
  // EE's workforce peers file: SE is a peer, LDN is not.
  static std::string PeersFile() {
    static TempDir* dir = new TempDir("slihub-peers");
    const std::string path = dir->Join("peers.csv");
    std::ofstream(path) << "SE,workforce,127.0.0.1:1\n";
    return path;
  }
  static ServiceProcess* server_;
  static std::string* person_token_;
};
ServiceProcess* TlsTest::server_ = nullptr;
std::string* TlsTest::person_token_ = nullptr;

TEST_F(TlsTest, APersonsTokenOverServerAuthenticatedTlsIsServed) {
  v1::WhoAmIResponse who;
  grpc::ClientContext context;
  ASSERT_TRUE(WhoAmI(server_->NewChannel(), *person_token_, &who, &context).ok());
  EXPECT_EQ(who.principal().subject(), "ee-admin");
  // The client saw the server's certificate: the EE workforce machine identity.
  auto uris = context.auth_context()->FindPropertyValues("peer_uri");
  ASSERT_EQ(uris.size(), 1u);
  EXPECT_EQ(std::string(uris[0].data(), uris[0].size()),
            "spiffe://slihub/region/EE/service/workforce");
}

TEST_F(TlsTest, PlaintextClientAndAClientTrustingAnotherCaAreRefused) {
  v1::WhoAmIResponse who;
  const grpc::Status plaintext = WhoAmI(
      Channel(server_->endpoint(), grpc::InsecureChannelCredentials()), *person_token_, &who);
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();
  auto other = TestPki::Create("unrelated CA");
  ASSERT_TRUE(other.ok());
  const grpc::Status wrong_ca = WhoAmI(
      Channel(server_->endpoint(), grpc::SslCredentials(Trusting((*other)->ca_cert()))),
      *person_token_, &who);
  EXPECT_EQ(wrong_ca.error_code(), grpc::StatusCode::UNAVAILABLE) << wrong_ca.error_message();
}

TEST_F(TlsTest, ClientCertificatesFromAnotherCaOrExpiredAreRefused) {
  auto other = TestPki::Create("unrelated CA");
  ASSERT_TRUE(other.ok());
  auto foreign = (*other)->IssueMachine("EE", "placement");
  ASSERT_TRUE(foreign.ok());
  LeafOptions expired_options;
  expired_options.uris = {"spiffe://slihub/region/EE/service/placement"};
  expired_options.expired = true;
  auto expired = SharedTestPki().Issue("expired-ee-placement", expired_options);
  ASSERT_TRUE(expired.ok());
  for (const LeafFiles& client : {*foreign, *expired}) {
    v1::WhoAmIResponse who;
    const grpc::Status status =
        WhoAmI(Channel(server_->endpoint(), TestTlsCredentials(client.cert, client.key)), "", &who);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << client.cert << ": " << status.error_message();
  }
}

TEST_F(TlsTest, OwnServiceCertificateGivesTheServiceRole) {
  v1::WhoAmIResponse who;
  const grpc::Status status = WhoAmI(server_->NewMachineChannel("EE", "placement"), "", &who);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(who.principal().subject(), "service:placement");
  EXPECT_EQ(who.principal().region().value(), "EE");
  ASSERT_EQ(who.principal().roles_size(), 1);
  EXPECT_EQ(who.principal().roles(0), v1::ROLE_SERVICE);
  // The service role admits CheckEngagement, but the placement service never calls it: its
  // certificate carries only the calls placement makes (least privilege), so it is refused.
  auto workforce =
      ::slihub::workforce::v1::WorkforceService::NewStub(server_->NewMachineChannel("EE", "placement"));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ::slihub::workforce::v1::CheckEngagementRequest request;
  ::slihub::workforce::v1::CheckEngagementResponse response;
  const grpc::Status check = workforce->CheckEngagement(&context, request, &response);
  EXPECT_EQ(check.error_code(), grpc::StatusCode::PERMISSION_DENIED) << check.error_message();
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(check)), "SCOPE_EXCLUDES_METHOD");
}

// A server calling another service or hub checks that the callee is who its configuration says:
// EE's workforce answering where SE's workforce was expected (a wrong peers-file row, a hijacked
// address) fails the handshake, although its certificate chains to the same CA.
TEST_F(TlsTest, ACalleeMustPresentTheIdentityTheCallerExpects) {
  auto caller = SharedTestPki().IssueMachine("SE", "peerreview");
  ASSERT_TRUE(caller.ok());
  security::TlsFiles files;
  files.cert = caller->cert;
  files.key = caller->key;
  files.ca = SharedTestPki().ca_cert();
  v1::WhoAmIResponse who;
  const grpc::Status expected = WhoAmI(
      Channel(server_->endpoint(), security::MakeChannelCredentials(
                                       files, "spiffe://slihub/region/EE/service/workforce")),
      *person_token_, &who);
  EXPECT_TRUE(expected.ok()) << expected.error_message();
  const grpc::Status impostor = WhoAmI(
      Channel(server_->endpoint(), security::MakeChannelCredentials(
                                       files, "spiffe://slihub/region/SE/service/workforce")),
      *person_token_, &who);
  EXPECT_EQ(impostor.error_code(), grpc::StatusCode::UNAVAILABLE) << impostor.error_message();
}

TEST_F(TlsTest, PeerHubCertificateIsAdmittedOnlyFromAListedRegion) {
  v1::WhoAmIResponse who;
  const grpc::Status listed = WhoAmI(server_->NewMachineChannel("SE", "workforce"), "", &who);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_EQ(who.principal().subject(), "hub:SE");
  EXPECT_EQ(who.principal().region().value(), "SE");
  ASSERT_EQ(who.principal().roles_size(), 1);
  EXPECT_EQ(who.principal().roles(0), v1::ROLE_HUB);

  const grpc::Status unlisted = WhoAmI(server_->NewMachineChannel("LDN", "workforce"), "", &who);
  EXPECT_EQ(unlisted.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(unlisted)), "HUB_NOT_PEER");
}

TEST_F(TlsTest, MachineTokensAreRefusedUnderMutualTls) {
  const std::string service_token = server_->IssueToken("svc-placement", {Role::kService});
  const std::string hub_token = server_->IssuePeerHubToken("SE");
  for (const std::string& token : {service_token, hub_token}) {
    v1::WhoAmIResponse who;
    const grpc::Status status = WhoAmI(server_->NewChannel(), token, &who);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(GetErrorReason(FromGrpcStatus(status)), "MACHINE_IDENTITY_REQUIRES_CERTIFICATE");
  }
  // A person's token over a connection with a machine certificate is the person's.
  v1::WhoAmIResponse who;
  ASSERT_TRUE(WhoAmI(server_->NewMachineChannel("EE", "placement"), *person_token_, &who).ok());
  EXPECT_EQ(who.principal().subject(), "ee-admin");
  // Neither token nor certificate: TOKEN_MISSING as before.
  const grpc::Status anonymous = WhoAmI(server_->NewChannel(), "", &who);
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(anonymous)), "TOKEN_MISSING");
}

TEST(TlsStartTest, PlaintextOnANonLoopbackAddressIsRefusedAtStart) {
  ServiceProcess server;
  ASSERT_TRUE(server
                  .StartRaw({"--hub-region=EE",
                             absl::StrCat("--listen=0.0.0.0:", PickFreePort()),
                             "--data-dir=" + server.data_dir(),
                             std::string("--reference-data=") + SLIHUB_SOURCE_DIR +
                                 "/deploy/reference/local_authorities.csv"})
                  .ok());
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 2);
  const std::string err = server.process().ReadStderr();
  EXPECT_NE(err.find("loopback"), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
}

TEST(TlsStartTest, AnUnreadableOrMismatchedTlsFileIsAConfigurationError) {
  auto other = SharedTestPki().IssueMachine("EE", "placement");
  ASSERT_TRUE(other.ok());
  ServiceProcess owner;  // its certificate, with another certificate's key
  ASSERT_TRUE(owner.Start().ok());
  for (const auto& [files, named] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--tls-cert=/nonexistent.pem", "--tls-key=" + other->key,
             "--tls-ca=" + SharedTestPki().ca_cert()},
            "--tls-cert"},
           {{"--tls-cert=" + owner.tls_cert(), "--tls-key=" + other->key,
             "--tls-ca=" + SharedTestPki().ca_cert()},
            "--tls-key"}}) {
    ServiceProcess server;
    std::vector<std::string> args = {"--hub-region=EE",
                                     absl::StrCat("--listen=127.0.0.1:", PickFreePort()),
                                     "--data-dir=" + server.data_dir(),
                                     std::string("--reference-data=") + SLIHUB_SOURCE_DIR +
                                         "/deploy/reference/local_authorities.csv"};
    args.insert(args.end(), files.begin(), files.end());
    ASSERT_TRUE(server.StartRaw(args).ok());
    auto exit = server.process().WaitForExit(absl::Seconds(10));
    ASSERT_TRUE(exit.has_value());
    EXPECT_EQ(exit->exit_code, 2);
    const std::string err = server.process().ReadStderr();
    EXPECT_NE(err.find(named), std::string::npos) << err;
    EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
  }
}

TEST(TlsStartTest, PlaintextOnLoopbackWarnsThatItRunsWithoutTls) {
  ServiceProcessOptions options;
  options.tls = false;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  EXPECT_NE(server.process().ReadStderr().find("plaintext_listener"), std::string::npos);
}

TEST(TlsStartTest, HealthOnlyListenerAnswersHealthAndNothingElse) {
  const int health_port = PickFreePort();
  ServiceProcessOptions options;
  options.extra_args = {absl::StrCat("--health-listen=127.0.0.1:", health_port)};
  ServiceProcess server(options);
  const absl::Status started = server.Start();
  ASSERT_TRUE(started.ok()) << started;
  const std::string token = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  auto health = grpc::CreateChannel(absl::StrCat("127.0.0.1:", health_port),
                                    grpc::InsecureChannelCredentials());
  EXPECT_EQ(HealthStatus(health), "SERVING");
  EXPECT_EQ(HealthStatus(health, "slihub.workforce.v1.WorkforceService"), "SERVING");
  EXPECT_EQ(HealthStatus(health, "slihub.dependency.store"), "SERVING");
  v1::WhoAmIResponse who;
  const grpc::Status other = WhoAmI(health, token, &who);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::UNIMPLEMENTED) << other.error_message();
  // The main listener still speaks TLS only.
  EXPECT_TRUE(WhoAmI(server.NewChannel(), token, &who).ok());
  // At shutdown the health-only listener stops too.
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());
  ASSERT_TRUE(server.process().WaitForExit(absl::Seconds(15)).has_value());
  EXPECT_NE(HealthStatus(health), "SERVING");
}

TEST(TlsStartTest, ReplacedCertificateIsServedToNewConnectionsWithoutARestart) {
  ServiceProcessOptions options;
  options.tls_reload_s = 1;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  auto served_common_name = [&]() -> std::string {
    grpc::ClientContext context;
    v1::WhoAmIResponse who;
    if (!WhoAmI(server.NewChannel(), token, &who, &context).ok()) return "";
    auto names = context.auth_context()->FindPropertyValues("x509_common_name");
    return names.empty() ? "" : std::string(names[0].data(), names[0].size());
  };
  EXPECT_EQ(served_common_name(), "workforce.EE.slihub");
  LeafOptions renewed;
  renewed.common_name = "renewed.workforce.EE.slihub";
  renewed.uris = {"spiffe://slihub/region/EE/service/workforce"};
  auto files = SharedTestPki().Issue("renewed-ee-workforce", renewed);
  ASSERT_TRUE(files.ok());
  // Replaced as an operator (or cert-manager) would: new files renamed over the old ones.
  std::ofstream(server.tls_key() + ".new") << ReadWholeFile(files->key);
  std::ofstream(server.tls_cert() + ".new") << ReadWholeFile(files->cert);
  ASSERT_EQ(std::rename((server.tls_key() + ".new").c_str(), server.tls_key().c_str()), 0);
  ASSERT_EQ(std::rename((server.tls_cert() + ".new").c_str(), server.tls_cert().c_str()), 0);
  const int pid = server.process().pid();
  EXPECT_TRUE(WaitFor([&] { return served_common_name() == "renewed.workforce.EE.slihub"; },
                      absl::Seconds(10), absl::Milliseconds(200)));
  EXPECT_TRUE(server.process().running());
  EXPECT_EQ(server.process().pid(), pid);
}

}  // namespace
}  // namespace slihub::testing
