// A service that calls another (--service-endpoint) probes it, reports it as an optional
// dependency, and keeps serving while it is down.
#include <fstream>

#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

// Waits (up to 10 s) until `caller` reports its data collection peer DEGRADED; its detail into
// `*detail`. False when it never does.
bool WaitForDegradedDataCollection(ServiceProcess& caller, std::string* detail) {
  const std::string admin = caller.IssueToken("it-admin", {Role::kRegionalAdmin});
  return WaitFor(
      [&] {
        return DependencyStateOf(caller, admin, "peer.datacollection", detail) ==
               v1::DEPENDENCY_STATE_DEGRADED;
      },
      absl::Seconds(10));
}

TEST(PeerOutageTest, PeerIsProbedAndItsOutageDegradesButDoesNotStopTheCaller) {
  ServiceProcessOptions data_options;
  data_options.service = "datacollection";
  ServiceProcess data(data_options);
  ASSERT_TRUE(data.Start().ok());
  TempDir secrets;
  const std::string token_file = secrets.path() + "/service-token";
  {
    std::ofstream out(token_file);
    out << data.IssueToken("hub-service-EE", {Role::kService}) << "\n";
  }

  ServiceProcessOptions caller_options;
  caller_options.service = "peerreview";
  caller_options.extra_args = {"--service-endpoint=datacollection=" + data.endpoint(),
                               "--service-token-file=" + token_file, "--peer-deadline-ms=500"};
  ServiceProcess caller(caller_options);
  ASSERT_TRUE(caller.Start().ok());
  const std::string admin = caller.IssueToken("it-admin", {Role::kRegionalAdmin});
  const std::string peer = "peer.datacollection";
  ASSERT_TRUE(WaitFor([&] { return DependencyStateOf(caller, admin, peer) ==
                               v1::DEPENDENCY_STATE_UP; },
                      absl::Seconds(10)));
  auto channel = caller.NewChannel();
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency." + peer), "SERVING");

  ASSERT_TRUE(data.process().Kill().ok());
  ASSERT_TRUE(WaitFor([&] { return DependencyStateOf(caller, admin, peer) ==
                               v1::DEPENDENCY_STATE_DEGRADED; },
                      absl::Seconds(10)));
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency." + peer), "NOT_SERVING");
  EXPECT_EQ(HealthStatus(channel), "SERVING");
}

TEST(PeerOutageTest, ARefusedServiceTokenIsReportedAsTheReason) {
  // Plaintext: under TLS the certificate, not a token, is presented (the test below).
  ServiceProcessOptions data_options;
  data_options.service = "datacollection";
  data_options.tls = false;
  ServiceProcess data(data_options);
  ASSERT_TRUE(data.Start().ok());
  TempDir secrets;
  const std::string token_file = secrets.path() + "/service-token";
  std::ofstream(token_file) << "slh_not_a_token_of_this_hub\n";

  ServiceProcessOptions caller_options;
  caller_options.service = "workforce";
  caller_options.extra_args = {"--service-endpoint=datacollection=" + data.endpoint(),
                               "--service-token-file=" + token_file};
  caller_options.tls = false;
  ServiceProcess caller(caller_options);
  ASSERT_TRUE(caller.Start().ok());
  std::string detail;
  ASSERT_TRUE(WaitForDegradedDataCollection(caller, &detail));
  EXPECT_NE(detail.find("service token refused"), std::string::npos) << detail;
}

TEST(PeerOutageTest, AServiceAtTheWrongHubIsRefusedAndReportedAsTheReason) {
  // A South East service configured to call the East of England's data collection finds there a
  // certificate naming EE's data collection, not its own hub's: it refuses the handshake (the
  // callee must be who the configuration says) and reports the peer DEGRADED, naming why.
  ServiceProcessOptions data_options;
  data_options.service = "datacollection";
  ServiceProcess data(data_options);
  ASSERT_TRUE(data.Start().ok());
  ServiceProcessOptions caller_options;
  caller_options.service = "workforce";
  caller_options.region = "SE";
  caller_options.extra_args = {"--service-endpoint=datacollection=" + data.endpoint()};
  ServiceProcess caller(caller_options);
  ASSERT_TRUE(caller.Start().ok());
  std::string detail;
  ASSERT_TRUE(WaitForDegradedDataCollection(caller, &detail));
  EXPECT_NE(detail.find("does not name spiffe://slihub/region/SE/service/datacollection"),
            std::string::npos)
      << detail;
}

}  // namespace
}  // namespace slihub::testing
