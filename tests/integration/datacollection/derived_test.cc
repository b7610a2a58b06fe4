// Derived indicators submitted by service identities (the workforce and placement services): a
// SERVICE principal submits for any LA of its own region, never another region's, merges into the
// LA's return without touching the LA's own figures, and data officers may not submit those figures
// either directly or by CSV.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_status.h"
#include "common/identity/token_store.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/datacollection/demo_server_test.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;

class DerivedIndicatorTest : public DemoServerTest {
 protected:
  static const std::string& Workforce() { return Token("svc-workforce", {Role::kService}); }
  static const std::string& Officer() { return Token("882-data", {Role::kDataOfficer}, "882"); }
  static const std::string& Reader() { return Token("ee-reader", {Role::kReader}); }

  absl::Status Submit(const std::string& token, const dc::SubmitReturnRequest& request,
                      dc::SubmitReturnResponse* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(stub_->SubmitReturn(&context, request, response));
  }

  std::string OpenPeriod() { return PeriodIn(dc::PERIOD_STATE_OPEN, Reader()); }

  // One figure for `indicator` of `la`, value unscaled/10.
  static dc::SubmitReturnRequest OneFigure(const std::string& request_id, const std::string& la,
                                           const std::string& period, const std::string& indicator, int64_t tenths) {
    dc::SubmitReturnRequest request;
    request.set_request_id(request_id);
    request.mutable_la_code()->set_value(la);
    request.set_collection_id("EE-core");
    request.set_period_id(period);
    dc::IndicatorValue* value = request.add_values();
    value->set_indicator_id(indicator);
    value->mutable_total()->set_state(dc::VALUE_STATE_PRESENT);
    value->mutable_total()->mutable_value()->set_unscaled(tenths);
    value->mutable_total()->mutable_value()->set_scale(1);
    return request;
  }

};


TEST_F(DerivedIndicatorTest, AServiceSubmitsForEveryLaOfItsRegionAndMergesWithTheLasFigures) {
  const std::string period = OpenPeriod();
  ASSERT_FALSE(period.empty());
  dc::SubmitReturnResponse response;
  ASSERT_TRUE(Submit(Officer(), OneFigure("882-own", "882", period, "CL-EET", 571), &response).ok());
  EXPECT_EQ(Submit(Officer(), OneFigure("882-agency", "882", period, "WF-AGENCY-RATE", 150), &response).code(),
            absl::StatusCode::kPermissionDenied);

  for (const char* la : {"821", "882", "935"}) {
    absl::Status s = Submit(Workforce(), OneFigure(absl::StrCat("agency-", la), la, period, "WF-AGENCY-RATE", 150), &response);
    ASSERT_TRUE(s.ok()) << la << " " << s;
    EXPECT_EQ(response.la_return().source(), dc::SUBMISSION_SOURCE_SERVICE);
  }
  EXPECT_EQ(response.la_return().audit().created_by(), "svc-workforce");

  dc::GetReturnResponse stored;
  ASSERT_TRUE(GetReturn(Officer(), "882", period, 0, &stored).ok());
  EXPECT_EQ(stored.la_return().version(), 2);
  ASSERT_EQ(stored.la_return().values_size(), 2);  // the LA's own figure kept, the derived one added
  std::set<std::string> ids;
  for (const dc::IndicatorValue& v : stored.la_return().values()) ids.insert(v.indicator_id());
  EXPECT_EQ(ids, (std::set<std::string>{"CL-EET", "WF-AGENCY-RATE"}));

  // The rug shows the derived figures at once.
  dc::GetBenchmarkRequest rug;
  rug.mutable_query()->set_period_id(period);
  rug.mutable_query()->add_indicator_ids("WF-AGENCY-RATE");
  dc::GetBenchmarkResponse benchmark;
  grpc::ClientContext rug_context;
  // The hub sees the open period's rug at once (councils once it is published).
  PrepareContext(&rug_context, Token("ee-admin", {Role::kRegionalAdmin}));
  ASSERT_TRUE(stub_->GetBenchmark(&rug_context, rug, &benchmark).ok());
  int present = 0;
  for (const dc::BenchmarkCell& cell : benchmark.benchmark().rows(0).cells()) {
    present += cell.state() == dc::VALUE_STATE_PRESENT;
  }
  EXPECT_EQ(present, 3);
}

TEST_F(DerivedIndicatorTest, AServiceOfAnotherRegionOrAnLaOutsideTheRegionIsRefused) {
  const std::string period = OpenPeriod();
  dc::SubmitReturnResponse response;
  EXPECT_EQ(Submit(Workforce(), OneFigure("agency-845", "845", period, "WF-AGENCY-RATE", 150), &response).code(),
            absl::StatusCode::kPermissionDenied);  // East Sussex is in the South East

  auto tokens = TokenStore::Open(server_->data_dir() + "/identity.db");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  TokenSpec spec;
  spec.subject = "svc-workforce-se";
  spec.region_code = "SE";
  spec.roles = {Role::kService};
  auto se_token = (*tokens)->Create(spec, absl::Now() - absl::Minutes(1));
  ASSERT_TRUE(se_token.ok()) << se_token.status();
  absl::Status refused;
  ASSERT_TRUE(WaitFor(
      [&] {
        refused = Submit(*se_token, OneFigure("se-agency-873", "873", period, "WF-AGENCY-RATE", 150), &response);
        return refused.code() != absl::StatusCode::kUnauthenticated;
      },
      absl::Seconds(10), absl::Milliseconds(50)));
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
  // The request layer refuses a principal of another region before any handler runs.
  EXPECT_NE(std::string(refused.message()).find("belongs to region SE"), std::string::npos)
      << refused;
}

TEST_F(DerivedIndicatorTest, ADataOfficersCsvRowOfADerivedIndicatorIsABadRow) {
  const std::string period = OpenPeriod();
  dc::ImportReturnsCsvRequest request;
  request.set_request_id("csv-derived");
  request.set_period_id(period);
  request.set_partial(true);
  request.set_csv("la_code,indicator_id,value\n882,WF-AGENCY-RATE,14.0\n882,CL-SUITABLE-ACCOM,91.0\n");
  dc::ImportReturnsCsvResponse response;
  grpc::ClientContext context;
  PrepareContext(&context, Officer());
  ASSERT_TRUE(stub_->ImportReturnsCsv(&context, request, &response).ok());
  EXPECT_EQ(response.rows_accepted(), 1);
  ASSERT_EQ(response.errors_size(), 1);
  EXPECT_EQ(response.errors(0).line(), 2);
  EXPECT_EQ(response.errors(0).column(), "indicator_id");

  request.set_request_id("csv-derived-service");
  request.set_csv("la_code,indicator_id,value\n882,WF-AGENCY-RATE,14.0\n883,WF-AGENCY-RATE,12.5\n");
  grpc::ClientContext service_context;
  PrepareContext(&service_context, Workforce());
  ASSERT_TRUE(stub_->ImportReturnsCsv(&service_context, request, &response).ok());
  EXPECT_EQ(response.rows_accepted(), 2);
  EXPECT_EQ(response.rows_rejected(), 0);
  EXPECT_EQ(response.versions_size(), 2);
}

}  // namespace
}  // namespace slihub::testing
