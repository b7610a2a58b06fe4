// Service tokens with least privilege: a service's token is scoped to the calls it makes
// (ServiceCallScopes) and refused every other method; it is rotated by replacing the token file
// and revoking the old token, and the calling service's peer calls keep working without a
// restart (PeerClients re-reads the file on its probe loop).
#include <cstdio>
#include <fstream>

#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/identity/service_scopes.h"
#include "common/identity/token_store.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace cpb = ::slihub::common::v1;
namespace dpb = ::slihub::datacollection::v1;

// Issues peer review's service token (role service, its scopes) in `hub`'s identity database.
std::string IssueServiceToken(ServiceProcess& hub, const std::string& subject) {
  auto store = TokenStore::Open(hub.data_dir() + "/identity.db");
  if (!store.ok()) return "";
  TokenSpec spec;
  spec.subject = subject;
  spec.region_code = "EE";
  spec.roles = {Role::kService};
  spec.scopes = ServiceCallScopes("peerreview");
  spec.expire_time = absl::Now() + absl::Hours(24);
  auto token = (*store)->Create(spec, absl::Now());
  return token.ok() ? *token : "";
}

void Revoke(ServiceProcess& hub, const std::string& subject) {
  auto store = TokenStore::Open(hub.data_dir() + "/identity.db");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Revoke(subject, absl::Now()).ok());
}

// Replaces `path` by a rename, as tools/dev rotate-tokens does.
void WriteTokenFile(const std::string& path, const std::string& token) {
  const std::string tmp = path + ".new";
  std::ofstream(tmp) << token << "\n";
  ASSERT_EQ(std::rename(tmp.c_str(), path.c_str()), 0);
}

TEST(ServiceTokenTest, AScopedServiceTokenCallsOnlyItsMethods) {
  ServiceProcessOptions options;
  options.service = "datacollection";
  options.tls = false;  // tokens identify services only on plaintext loopback (tls_test: certificates)
  ServiceProcess data(options);
  ASSERT_TRUE(data.Start().ok());
  const std::string token = IssueServiceToken(data, "service-peerreview-EE-1");
  ASSERT_FALSE(token.empty());
  absl::SleepFor(absl::Milliseconds(300));  // the server's token refresh
  auto stub = dpb::DataCollectionService::NewStub(data.NewChannel());

  grpc::ClientContext listed;
  PrepareContext(&listed, token);
  dpb::ListCollectionsResponse collections;
  EXPECT_TRUE(stub->ListCollections(&listed, dpb::ListCollectionsRequest(), &collections).ok());

  grpc::ClientContext submitted;
  PrepareContext(&submitted, token);
  dpb::SubmitReturnResponse response;
  const grpc::Status refused =
      stub->SubmitReturn(&submitted, dpb::SubmitReturnRequest(), &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(refused)), "SCOPE_EXCLUDES_METHOD");
}

TEST(ServiceTokenTest, RotationNeedsNoRestartOfTheCallingService) {
  ServiceProcessOptions data_options;
  data_options.service = "datacollection";
  data_options.tls = false;
  ServiceProcess data(data_options);
  ASSERT_TRUE(data.Start().ok());
  TempDir secrets;
  const std::string token_file = secrets.Join("peerreview");
  WriteTokenFile(token_file, IssueServiceToken(data, "service-peerreview-EE-old"));

  ServiceProcessOptions caller_options;
  caller_options.service = "peerreview";
  caller_options.tls = false;
  caller_options.extra_args = {"--service-endpoint=datacollection=" + data.endpoint(),
                               "--service-token-file=" + token_file, "--peer-deadline-ms=1000"};
  ServiceProcess caller(caller_options);
  ASSERT_TRUE(caller.Start().ok());
  const int caller_pid = caller.process().pid();
  const std::string admin = caller.IssueToken("it-admin", {Role::kRegionalAdmin});
  ASSERT_TRUE(WaitFor([&] { return DependencyStateOf(caller, admin, "peer.datacollection") == cpb::DEPENDENCY_STATE_UP; },
                      absl::Seconds(10)));

  // Rotate: a new token in the file, a few probe intervals (100 ms) to read it, the old revoked.
  const std::string fresh = IssueServiceToken(data, "service-peerreview-EE-new");
  ASSERT_FALSE(fresh.empty());
  WriteTokenFile(token_file, fresh);
  absl::SleepFor(absl::Milliseconds(600));
  Revoke(data, "service-peerreview-EE-old");
  absl::SleepFor(absl::Milliseconds(300));  // data collection's token refresh (100 ms)

  // The peer calls (the probe's WhoAmI with the service token) keep being accepted: with the
  // old token the peer would turn DEGRADED ("service token refused") within a probe interval.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(DependencyStateOf(caller, admin, "peer.datacollection"), cpb::DEPENDENCY_STATE_UP) << "after " << i * 100 << " ms";
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(caller.process().pid(), caller_pid);
  EXPECT_TRUE(caller.process().running());
}

}  // namespace
}  // namespace slihub::testing
