// Back-pressure, message size and a failed store, as a client of a real server sees them.
#include <unistd.h>

#include <future>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace v1 = ::slihub::common::v1;

grpc::Status Echo(ServiceProcess& server, const std::string& token, const std::string& message,
                  int delay_ms) {
  auto stub = v1::DiagnosticsService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, token);
  v1::EchoRequest request;
  request.set_message(message);
  request.mutable_delay()->set_seconds(delay_ms / 1000);
  request.mutable_delay()->set_nanos((delay_ms % 1000) * 1000000);
  v1::EchoResponse response;
  return stub->Echo(&context, request, &response);
}

TEST(LimitsTest, AFullWorkerQueueAnswersResourceExhaustedAndRecovers) {
  ServiceProcessOptions options;
  options.extra_args = {"--workers=1", "--max-queued=1"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});

  // One call occupies the only worker, one waits in the queue; the rest are refused at once.
  std::vector<std::future<grpc::Status>> calls;
  for (int i = 0; i < 6; ++i) {
    calls.push_back(std::async(std::launch::async, [&] { return Echo(server, token, "x", 2500); }));
  }
  int ok = 0, exhausted = 0;
  for (auto& call : calls) {
    grpc::Status status = call.get();
    if (status.ok()) ++ok;
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++exhausted;
      EXPECT_EQ(GetErrorReason(FromGrpcStatus(status)), "SERVER_BUSY");
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_LE(ok, 2);
  EXPECT_EQ(ok + exhausted, 6);
  EXPECT_TRUE(Echo(server, token, "after", 0).ok());
}

TEST(LimitsTest, OversizedRequestIsRefusedWithoutHarm) {
  ServiceProcessOptions options;
  options.extra_args = {"--max-message-bytes=2048"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});
  EXPECT_EQ(Echo(server, token, std::string(4096, 'a'), 0).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Echo(server, token, "small", 0).ok());
}

TEST(LimitsTest, ALostStoreMakesTheServerNotServingAndSaysWhy) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto channel = server.NewChannel();
  ASSERT_EQ(HealthStatus(channel), "SERVING");

  ASSERT_EQ(::unlink((server.data_dir() + "/workforce.db").c_str()), 0);
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(channel) == "NOT_SERVING"; }, absl::Seconds(10)));
  EXPECT_EQ(HealthStatus(channel, "slihub.workforce.v1.WorkforceService"), "NOT_SERVING");
  EXPECT_EQ(HealthStatus(channel, "slihub.dependency.store"), "NOT_SERVING");

  auto stub = v1::DiagnosticsService::NewStub(channel);
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  v1::GetServerStatusResponse status;
  ASSERT_TRUE(stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &status).ok());
  EXPECT_FALSE(status.serving());
  bool saw_store = false;
  for (const auto& dep : status.dependencies()) {
    if (dep.name() != "store") continue;
    saw_store = true;
    EXPECT_EQ(dep.state(), v1::DEPENDENCY_STATE_DOWN);
    EXPECT_FALSE(dep.detail().empty());
  }
  EXPECT_TRUE(saw_store);
}

// The one field violation of `status` (INVALID_ARGUMENT), as "field: description".
std::string OnlyViolation(const grpc::Status& status) {
  if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
  }
  const std::vector<FieldViolation> violations = GetFieldViolations(FromGrpcStatus(status));
  if (violations.size() != 1) return absl::StrCat(violations.size(), " violations");
  return violations[0].field + ": " + violations[0].description;
}

ServiceProcessOptions ServiceOptions(const std::string& service) {
  ServiceProcessOptions options;
  options.service = service;
  return options;
}

// A return with more indicator values, or a value with more breakdown figures, than a return
// holds is refused whole before the store is touched.
TEST(LimitsTest, AReturnHoldsAtMost500ValuesOf200BreakdownsEach) {
  namespace dc = ::slihub::datacollection::v1;
  ServiceProcess server(ServiceOptions("datacollection"));
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto stub = dc::DataCollectionService::NewStub(server.NewChannel());
  auto submit = [&](const dc::SubmitReturnRequest& request) {
    grpc::ClientContext context;
    PrepareContext(&context, admin);
    dc::SubmitReturnResponse response;
    return stub->SubmitReturn(&context, request, &response);
  };
  dc::SubmitReturnRequest request;
  request.set_request_id("limits-values");
  request.mutable_la_code()->set_value("873");
  request.set_collection_id("core");
  request.set_period_id("2025-Q4");
  for (int i = 0; i < 501; ++i) {
    dc::IndicatorValue* value = request.add_values();
    value->set_indicator_id(absl::StrCat("IND-", i));
    value->mutable_total()->set_state(dc::VALUE_STATE_MISSING);
  }
  EXPECT_EQ(OnlyViolation(submit(request)), "values: must hold at most 500 items, not 501");

  request.mutable_values()->DeleteSubrange(1, 500);
  for (int b = 0; b < 201; ++b) {
    dc::BreakdownValue* breakdown = request.mutable_values(0)->add_breakdowns();
    breakdown->set_dimension(dc::BREAKDOWN_DIMENSION_SEX);
    breakdown->set_category(absl::StrCat("C", b));
  }
  EXPECT_EQ(OnlyViolation(submit(request)),
            "values[0].breakdowns: must hold at most 200 items, not 201");
}

TEST(LimitsTest, AnEngagementCheckCitesAtMost20Exceptions) {
  namespace wf = ::slihub::workforce::v1;
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto stub = wf::WorkforceService::NewStub(server.NewChannel());
  wf::CheckEngagementRequest request;
  request.mutable_terms()->set_swe_number("SW9001");
  request.mutable_terms()->mutable_la_code()->set_value("873");
  for (int i = 0; i < 21; ++i) request.add_exception_ids(absl::StrCat("exc-", i));
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  wf::CheckEngagementResponse response;
  const grpc::Status status = stub->CheckEngagement(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  bool named = false;
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(status))) {
    EXPECT_NE(v.field.rfind("exception_ids[", 0), 0u) << v.field;  // no element is judged
    named = named || (v.field == "exception_ids" &&
                      v.description == "must hold at most 20 items, not 21");
  }
  EXPECT_TRUE(named);
}

TEST(LimitsTest, AProviderListsAtMost100MemberSubjectsAndNothingIsCreated) {
  namespace pl = ::slihub::placement::v1;
  ServiceProcess server(ServiceOptions("placement"));
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto stub = pl::PlacementService::NewStub(server.NewChannel());
  pl::CreateProviderRequest request;
  request.set_request_id("limits-provider");
  request.mutable_provider()->set_name("Many Staff Ltd");
  request.mutable_provider()->set_kind(pl::PROVIDER_KIND_PRIVATE);
  request.mutable_provider()->mutable_la_code()->set_value("873");
  for (int i = 0; i < 101; ++i) request.mutable_provider()->add_member_subjects(absl::StrCat("s", i));
  grpc::ClientContext context;
  PrepareContext(&context, admin);
  pl::CreateProviderResponse response;
  EXPECT_EQ(OnlyViolation(stub->CreateProvider(&context, request, &response)),
            "provider.member_subjects: must hold at most 100 items, not 101");

  grpc::ClientContext list_context;
  PrepareContext(&list_context, admin);
  pl::ListProvidersResponse listed;
  ASSERT_TRUE(stub->ListProviders(&list_context, pl::ListProvidersRequest(), &listed).ok());
  for (const pl::Provider& p : listed.providers()) EXPECT_NE(p.name(), "Many Staff Ltd");
}

TEST(LimitsTest, ADateRangeSpansAtMostTwoYears) {
  namespace pr = ::slihub::peerreview::v1;
  ServiceProcess server(ServiceOptions("peerreview"));
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto stub = pr::PeerReviewService::NewStub(server.NewChannel());
  auto find = [&](int end_year, int end_day) {
    pr::FindReviewersRequest request;
    request.mutable_dates()->mutable_start()->set_year(2026);
    request.mutable_dates()->mutable_start()->set_month(1);
    request.mutable_dates()->mutable_start()->set_day(1);
    request.mutable_dates()->mutable_end()->set_year(end_year);
    request.mutable_dates()->mutable_end()->set_month(1);
    request.mutable_dates()->mutable_end()->set_day(end_day);
    grpc::ClientContext context;
    PrepareContext(&context, admin);
    pr::FindReviewersResponse response;
    return stub->FindReviewers(&context, request, &response);
  };
  // 2026-01-01 + 731 days is 2028-01-02 (2027 has 365 days, 2026 365).
  EXPECT_NE(find(2028, 2).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(OnlyViolation(find(2028, 3)),
            "dates.end: must be at most 731 days after the start (a range spans at most two "
            "years)");
}

// An import stream over its length (periods or messages) ends INVALID_ARGUMENT; one message that
// takes it over the limit records nothing of itself.
TEST(LimitsTest, AnImportStreamHoldsAtMost100000PeriodsIn10000Messages) {
  namespace wf = ::slihub::workforce::v1;
  namespace cv1 = ::slihub::common::v1;
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  auto stub = wf::WorkforceService::NewStub(server.NewChannel());
  auto import = [&](const std::vector<wf::ImportEmploymentPeriodsRequest>& messages) {
    grpc::ClientContext context;
    PrepareContext(&context, admin, absl::Seconds(60));
    wf::ImportEmploymentPeriodsResponse response;
    auto writer = stub->ImportEmploymentPeriods(&context, &response);
    for (const auto& message : messages) {
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  };

  wf::ImportEmploymentPeriodsRequest big;
  big.set_request_id("limits-import-periods");
  for (int i = 0; i < 100001; ++i) {
    wf::EmploymentPeriod* p = big.add_periods();
    p->set_swe_number("SW9001");
    if (i >= 1000) continue;  // the first chunk is a good one: it must not be recorded either
    p->set_record_id(absl::StrCat("r-", i));
    p->mutable_la_code()->set_value("873");
    p->set_employment_type(wf::EMPLOYMENT_TYPE_PERMANENT);
    cv1::CivilDate* start = p->mutable_start_date();
    start->set_year(2000 + i % 20);
    start->set_month(1);
    start->set_day(1 + i % 28);
  }
  const grpc::Status too_many = import({big});
  EXPECT_EQ(OnlyViolation(too_many),
            "periods: an import holds at most 100000 periods in at most 10000 messages; split the "
            "file over several imports");
  grpc::ClientContext get_context;
  PrepareContext(&get_context, admin);
  wf::GetWorkerRequest get;
  get.set_swe_number("SW9001");
  wf::GetWorkerResponse worker;
  EXPECT_EQ(stub->GetWorker(&get_context, get, &worker).error_code(),
            grpc::StatusCode::NOT_FOUND);

  wf::ImportEmploymentPeriodsRequest empty;
  empty.set_request_id("limits-import-messages");
  const std::vector<wf::ImportEmploymentPeriodsRequest> messages(10001, empty);
  EXPECT_EQ(OnlyViolation(import(messages)),
            "periods: an import holds at most 100000 periods in at most 10000 messages; split the "
            "file over several imports");
}

}  // namespace
}  // namespace slihub::testing
