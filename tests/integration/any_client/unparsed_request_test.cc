// A request the server cannot parse (invalid UTF-8 in a proto3 string field, or bytes that are
// not protobuf) is answered INVALID_ARGUMENT with a message naming the request type and ErrorInfo
// REQUEST_NOT_PARSED, on a unary RPC of each of the four real servers, with and without a token,
// and on a server-streaming RPC; gRPC alone answered UNIMPLEMENTED with an empty message. A method
// the server does not serve still gets UNIMPLEMENTED.
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/any_client/four_services.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;
namespace pb = ::slihub::placement::v1;
namespace pr = ::slihub::peerreview::v1;
namespace wf = ::slihub::workforce::v1;

constexpr char kMarker[] = "Zq";        // set in a string field, then replaced by...
constexpr char kInvalidUtf8[] = "\xc3\x28";  // ...a lead byte without its continuation byte
constexpr char kGarbage[] = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";  // no valid tag

// `valid` (a serialized request holding kMarker in one string field) with that field's bytes made
// invalid UTF-8; the length is unchanged, so only the text is wrong.
std::string WithInvalidUtf8(std::string valid) {
  const size_t at = valid.find(kMarker);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) valid.replace(at, 2, kInvalidUtf8, 2);
  return valid;
}

// Sends `body` as the request of `method` ("/pkg.Service/Method") and returns the status.
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                     const std::string& body, const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, token);
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  return done.get_future().get();
}

// Expects the unparsed-request answer for a request of type `request_type`.
void ExpectNotParsed(const grpc::Status& status, const std::string& request_type) {
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(),
                                absl::StrCat("could not be parsed as ", request_type, " ")))
      << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(), "invalid UTF-8")) << status.error_message();
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(status)), "REQUEST_NOT_PARSED");
  EXPECT_LE(status.error_message().size(), kMaxStatusMessageBytes);
  EXPECT_LE(status.error_details().size(), kMaxStatusDetailsBytes);
}

// One unary method of a service, a valid request for it with kMarker in a string field, and the
// server that serves it.
struct Case {
  std::string method;
  std::string request_type;
  std::string valid_request;
  ServiceProcess* server;
  std::string token;
};

class UnparsedRequestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = new FourServices();
    ASSERT_TRUE(hub_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }

  static std::vector<Case> UnaryCases() {
    std::vector<Case> cases;
    wf::CheckEngagementRequest check;
    check.mutable_terms()->set_swe_number(kMarker);
    cases.push_back({absl::StrCat("/", wf::WorkforceService::service_full_name(),
                                  "/CheckEngagement"),
                     wf::CheckEngagementRequest::descriptor()->full_name(),
                     check.SerializeAsString(), &hub_->workforce(), ""});
    pb::GetVacancyRequest vacancy;
    vacancy.set_vacancy_id(kMarker);
    cases.push_back({absl::StrCat("/", pb::PlacementService::service_full_name(), "/GetVacancy"),
                     pb::GetVacancyRequest::descriptor()->full_name(),
                     vacancy.SerializeAsString(), &hub_->placement(), ""});
    dc::GetReturnRequest get_return;
    get_return.set_collection_id(kMarker);
    cases.push_back({absl::StrCat("/", dc::DataCollectionService::service_full_name(),
                                  "/GetReturn"),
                     dc::GetReturnRequest::descriptor()->full_name(),
                     get_return.SerializeAsString(), &hub_->datacollection(), ""});
    pr::GetCycleRequest cycle;
    cycle.set_cycle_id(kMarker);
    cases.push_back({absl::StrCat("/", pr::PeerReviewService::service_full_name(), "/GetCycle"),
                     pr::GetCycleRequest::descriptor()->full_name(), cycle.SerializeAsString(),
                     &hub_->peerreview(), ""});
    for (Case& c : cases) c.token = c.server->IssueToken("admin", {Role::kRegionalAdmin});
    return cases;
  }

  static inline FourServices* hub_ = nullptr;
};

TEST_F(UnparsedRequestTest, EachServiceSaysTheRequestCouldNotBeParsedWithOrWithoutAToken) {
  for (const Case& c : UnaryCases()) {
    auto channel = c.server->NewChannel();
    for (const std::string& token : {std::string(), c.token}) {
      SCOPED_TRACE(absl::StrCat(c.method, token.empty() ? " without a token" : " with a token"));
      ExpectNotParsed(CallRaw(channel, c.method, WithInvalidUtf8(c.valid_request), token),
                      c.request_type);
      ExpectNotParsed(CallRaw(channel, c.method, kGarbage, token), c.request_type);
    }
    // The same request with valid text reaches the handler as before.
    const grpc::Status valid = CallRaw(channel, c.method, c.valid_request, "");
    EXPECT_EQ(valid.error_code(), grpc::StatusCode::UNAUTHENTICATED) << c.method;
  }
}

TEST_F(UnparsedRequestTest, TheRugsOwnParseSaysTheSame) {
  ServiceProcess& server = hub_->datacollection();
  const std::string token = server.IssueToken("rug-reader", {Role::kRegionalAdmin});
  dc::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(kMarker);
  const std::string method =
      absl::StrCat("/", dc::DataCollectionService::service_full_name(), "/GetBenchmark");
  ExpectNotParsed(CallRaw(server.NewChannel(), method, WithInvalidUtf8(request.SerializeAsString()),
                          token),
                  dc::GetBenchmarkRequest::descriptor()->full_name());
}

TEST_F(UnparsedRequestTest, AServerStreamingRequestThatCannotBeParsedIsSaidSo) {
  ServiceProcess& server = hub_->placement();
  const std::string token = server.IssueToken("watcher", {Role::kRegionalAdmin});
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  pb::WatchVacanciesRequest request;
  request.add_setting_ids(kInvalidUtf8);  // the C++ client sends it (and logs that it is wrong)
  grpc::ClientContext context;
  PrepareContext(&context, token);
  std::unique_ptr<grpc::ClientReader<pb::WatchVacanciesResponse>> reader =
      stub->WatchVacancies(&context, request);
  pb::WatchVacanciesResponse event;
  EXPECT_FALSE(reader->Read(&event));
  ExpectNotParsed(reader->Finish(), pb::WatchVacanciesRequest::descriptor()->full_name());
}

TEST_F(UnparsedRequestTest, AMethodTheServerDoesNotServeIsStillUnimplemented) {
  auto channel = hub_->workforce().NewChannel();
  const std::string token = hub_->workforce().IssueToken("prober", {Role::kRegionalAdmin});
  const std::vector<std::string> methods = {
      absl::StrCat("/", wf::WorkforceService::service_full_name(), "/NoSuchMethod"),
      "/no.such.v1.Service/Call",
      // A method of the contract that this server does not serve.
      absl::StrCat("/", pb::PlacementService::service_full_name(), "/GetVacancy")};
  for (const std::string& method : methods) {
    for (const std::string& body : {std::string(kGarbage), std::string()}) {
      const grpc::Status status = CallRaw(channel, method, body, token);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
          << method << ": " << status.error_message();
    }
  }
}

}  // namespace
}  // namespace slihub::testing
