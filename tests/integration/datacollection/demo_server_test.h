// A test suite base for the data collection integration tests: one real slihub-datacollection for
// region EE with the demo data, shared by the suite's tests, and the helpers they share.
#ifndef SLIHUB_TESTS_INTEGRATION_DATACOLLECTION_DEMO_SERVER_TEST_H_
#define SLIHUB_TESTS_INTEGRATION_DATACOLLECTION_DEMO_SERVER_TEST_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {

// Starts the server in SetUpTestSuite (a derived suite's own SetUpTestSuite calls this one first
// and then issues its tokens with Token) and stops it in TearDownTestSuite.
class DemoServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServiceProcessOptions options;
    options.service = "datacollection";
    options.region = "EE";
    options.extra_args = {"--demo-data"};
    // Plaintext: these suites act as the hub's other services with service-role tokens, which a
    // server under mutual TLS refuses (tests/integration/tls_test.cc covers certificates).
    options.tls = false;
    server_ = new ServiceProcess(options);
    ASSERT_TRUE(server_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    tokens_.clear();
  }
  void SetUp() override { stub_ = slihub::datacollection::v1::DataCollectionService::NewStub(server_->NewChannel()); }

  // A token of this hub's region for `subject`, issued on first use and kept for the suite.
  static const std::string& Token(const std::string& subject, std::vector<Role> roles, const std::string& la = "") {
    auto [it, added] = tokens_.try_emplace(subject);
    if (added) it->second = server_->IssueToken(subject, std::move(roles), la);
    return it->second;
  }

  // One version (0: the latest) of `la`'s EE-core return for `period`, with its figures.
  absl::Status GetReturn(const std::string& token, const std::string& la, const std::string& period,
                         int64_t version, slihub::datacollection::v1::GetReturnResponse* response) {
    slihub::datacollection::v1::GetReturnRequest request;
    request.mutable_la_code()->set_value(la);
    request.set_collection_id("EE-core");
    request.set_period_id(period);
    request.set_version(version);
    request.set_view(slihub::datacollection::v1::RETURN_VIEW_FULL);
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(stub_->GetReturn(&context, request, response));
  }

  // The id of the latest EE-core period in `state` (OPEN: the current quarter; LATE: the latest
  // past one; CLOSED: an older one), read with `token`; empty when there is none.
  std::string PeriodIn(slihub::datacollection::v1::PeriodState state, const std::string& token) {
    slihub::datacollection::v1::ListCollectionPeriodsRequest request;
    request.set_collection_id("EE-core");
    request.set_state(state);
    slihub::datacollection::v1::ListCollectionPeriodsResponse response;
    grpc::ClientContext context;
    PrepareContext(&context, token);
    grpc::Status status = stub_->ListCollectionPeriods(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (response.periods_size() == 0) return "";
    return response.periods(0).period_id();
  }

  static inline ServiceProcess* server_ = nullptr;
  static inline std::map<std::string, std::string> tokens_;
  std::unique_ptr<slihub::datacollection::v1::DataCollectionService::Stub> stub_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_DATACOLLECTION_DEMO_SERVER_TEST_H_
