// Authentication, authorization and request validation as a client sees them over the wire.
#include <future>

#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/common/v1/reference_data_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

class ApiErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServiceProcess();
    ASSERT_TRUE(server_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  grpc::Status WhoAmI(const std::string& token, v1::WhoAmIResponse* response) {
    auto stub = v1::DiagnosticsService::NewStub(server_->NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return stub->WhoAmI(&context, v1::WhoAmIRequest(), response);
  }

  grpc::Status GetLa(const std::string& token, const std::string& code,
                     v1::GetLocalAuthorityResponse* response) {
    auto stub = v1::ReferenceDataService::NewStub(server_->NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, token);
    v1::GetLocalAuthorityRequest request;
    request.mutable_la_code()->set_value(code);
    return stub->GetLocalAuthority(&context, request, response);
  }

  static ServiceProcess* server_;
};
ServiceProcess* ApiErrorsTest::server_ = nullptr;

TEST_F(ApiErrorsTest, CallsWithoutAValidTokenAreUnauthenticatedWithAReason) {
  v1::WhoAmIResponse response;
  grpc::Status none = WhoAmI("", &response);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(none)), "TOKEN_MISSING");

  grpc::Status unknown = WhoAmI("slh_not-a-real-token", &response);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(unknown)), "TOKEN_UNKNOWN");

  const std::string expired = server_->IssueToken("it-expired", {Role::kReader}, "",
                                                  absl::Now() - absl::Minutes(1));
  ASSERT_FALSE(expired.empty());
  ASSERT_TRUE(WaitFor([&] { return GetErrorReason(FromGrpcStatus(WhoAmI(expired, &response))) ==
                                   "TOKEN_EXPIRED"; },
                      absl::Seconds(5)));
}

TEST_F(ApiErrorsTest, ValidTokenMapsToItsPrincipalAndRevocationTakesEffect) {
  const std::string token = server_->IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
  v1::WhoAmIResponse response;
  ASSERT_TRUE(WaitFor([&] { return WhoAmI(token, &response).ok(); }, absl::Seconds(5)));
  EXPECT_EQ(response.principal().subject(), "873-hr-1");
  EXPECT_EQ(response.principal().la_code().value(), "873");
  EXPECT_EQ(response.principal().region().value(), "EE");
  ASSERT_EQ(response.principal().roles_size(), 1);
  EXPECT_EQ(response.principal().roles(0), v1::ROLE_HR_OFFICER);

  server_->RevokeTokens("873-hr-1");
  EXPECT_TRUE(WaitFor(
      [&] { return WhoAmI(token, &response).error_code() == grpc::StatusCode::UNAUTHENTICATED; },
      absl::Seconds(5)));
}

TEST_F(ApiErrorsTest, CallsOutsideThePrincipalsRolesArePermissionDenied) {
  const std::string reader = server_->IssueToken("it-reader-2", {Role::kReader});
  const std::string admin = server_->IssueToken("it-admin", {Role::kRegionalAdmin});
  auto stub = v1::DiagnosticsService::NewStub(server_->NewChannel());
  v1::GetServerStatusResponse response;
  ASSERT_TRUE(WaitFor(
      [&] {
        grpc::ClientContext context;
        PrepareContext(&context, reader);
        return stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &response)
                   .error_code() == grpc::StatusCode::PERMISSION_DENIED;
      },
      absl::Seconds(5)));
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  grpc::Status status = stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.service(), "workforce");
  EXPECT_TRUE(response.serving());
}

TEST_F(ApiErrorsTest, MalformedRequestGetsFieldViolationsInGoogleRpcStatus) {
  const std::string token = server_->IssueToken("it-reader-3", {Role::kReader});
  v1::GetLocalAuthorityResponse la;
  grpc::Status status;
  ASSERT_TRUE(WaitFor([&] {
    status = GetLa(token, "87", &la);
    return status.error_code() != grpc::StatusCode::UNAUTHENTICATED;
  }, absl::Seconds(5)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "la_code.value");

  EXPECT_EQ(GetLa(token, "999", &la).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(GetLa(token, "935", &la).ok());
  EXPECT_EQ(la.local_authority().name(), "Suffolk");

  auto refs = v1::ReferenceDataService::NewStub(server_->NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, token);
  v1::ListLocalAuthoritiesRequest list;
  list.mutable_region()->set_value("XX");
  list.mutable_page()->set_page_size(-1);
  list.mutable_page()->set_page_token("garbage");
  v1::ListLocalAuthoritiesResponse listed;
  absl::Status list_status = FromGrpcStatus(refs->ListLocalAuthorities(&context, list, &listed));
  EXPECT_EQ(list_status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : GetFieldViolations(list_status)) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"region.value", "page.page_size", "page.page_token"}));

  auto diagnostics = v1::DiagnosticsService::NewStub(server_->NewChannel());
  grpc::ClientContext echo_context;
  PrepareContext(&echo_context, token);
  v1::EchoRequest echo;
  echo.mutable_delay()->set_seconds(11);
  v1::EchoResponse echoed;
  absl::Status echo_status = FromGrpcStatus(diagnostics->Echo(&echo_context, echo, &echoed));
  ASSERT_EQ(GetFieldViolations(echo_status).size(), 1u);
  EXPECT_EQ(GetFieldViolations(echo_status)[0].field, "delay");
}

TEST_F(ApiErrorsTest, ListPagesThroughARegionInCodeOrder) {
  const std::string token = server_->IssueToken("it-reader-4", {Role::kReader});
  auto refs = v1::ReferenceDataService::NewStub(server_->NewChannel());
  std::vector<std::string> codes;
  std::string page_token;
  int pages = 0;
  ASSERT_TRUE(WaitFor([&] {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    v1::ListRegionsResponse regions;
    return refs->ListRegions(&context, v1::ListRegionsRequest(), &regions).ok();
  }, absl::Seconds(5)));
  do {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    v1::ListLocalAuthoritiesRequest request;
    request.mutable_region()->set_value("SE");
    request.mutable_page()->set_page_size(5);
    request.mutable_page()->set_page_token(page_token);
    v1::ListLocalAuthoritiesResponse response;
    grpc::Status status = refs->ListLocalAuthorities(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.page().total_size(), 19);
    for (const auto& la : response.local_authorities()) codes.push_back(la.la_code().value());
    page_token = response.page().next_page_token();
    ++pages;
  } while (!page_token.empty());
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(codes.size(), 19u);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
}

TEST_F(ApiErrorsTest, UnknownMethodsAreUnimplemented) {
  grpc::GenericStub stub(server_->NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, server_->IssueToken("it-hr", {Role::kHrOfficer}, "873"));
  grpc::Slice empty_message("");
  grpc::ByteBuffer request(&empty_message, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/slihub.workforce.v1.WorkforceService/NoSuchMethod",
                 grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  EXPECT_EQ(done.get_future().get().error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace slihub::testing
