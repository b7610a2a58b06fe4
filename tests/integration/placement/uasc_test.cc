// The UASC National Transfer Scheme through the real placement binary: seeded threshold rules,
// effective-dated figures, an LA's status under 0.07% and 0.1%, the EE rota (order, ties, LAs not
// receiving, missing figures), transfers with working-day deadlines across Christmas, their
// preconditions, versions, idempotency, access, and the overdue list.
#include <algorithm>
#include <string>
#include <vector>

#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

common::v1::CivilDate Date(int y, int m, int d) {
  common::v1::CivilDate out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

std::string Text(const common::v1::CivilDate& d) {
  return absl::StrCat(d.year(), "-", d.month(), "-", d.day());
}

class UascIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServiceProcess(PlacementOptions());
    ASSERT_TRUE(server_->Start().ok());
    admin_ = new std::string(server_->IssueToken("ee-admin", {Role::kRegionalAdmin}));
    po821_ = new std::string(server_->IssueToken("821-po", {Role::kPlacementOfficer}, "821"));
    po926_ = new std::string(server_->IssueToken("926-po", {Role::kPlacementOfficer}, "926"));
    po873_ = new std::string(server_->IssueToken("873-po", {Role::kPlacementOfficer}, "873"));
    do822_ = new std::string(server_->IssueToken("822-do", {Role::kDataOfficer}, "822"));
    stub_ = pb::PlacementService::NewStub(server_->NewChannel()).release();
    // 2025 figures: rota 926 (80), 874 (60), 822 (40), 823 (40), 881 (10); at threshold 873, 935;
    // above 821, 919; no figures 882, 883.
    struct Figures {
      const char* la;
      int64_t under18;
      int64_t uasc;
    };
    for (const Figures& f :
         {Figures{"821", 80000, 120}, Figures{"823", 90000, 50}, Figures{"873", 140000, 140},
          Figures{"874", 70000, 10}, Figures{"881", 300000, 290}, Figures{"919", 250000, 260},
          Figures{"926", 180000, 100}, Figures{"935", 150000, 150}}) {
      ASSERT_TRUE(Submit(*admin_, f.la, Date(2025, 3, 31), f.under18, f.uasc).ok()) << f.la;
    }
    ASSERT_TRUE(Submit(*do822_, "822", Date(2025, 3, 31), 60000, 20).ok());
    // 2022 figures for 873: 100 against 0.07% of 140,000 = 98 (above then).
    ASSERT_TRUE(Submit(*admin_, "873", Date(2022, 3, 31), 140000, 100).ok());
  }

  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
  }

  template <typename Req, typename Resp>
  static grpc::Status Call(const std::string& token,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                           const Req& request, Resp* response) {
    return CallPlacement(stub_, token, method, request, response);
  }

  static grpc::Status Submit(const std::string& token, const std::string& la,
                             const common::v1::CivilDate& as_of, int64_t under18, int64_t uasc) {
    pb::SubmitUascPopulationRequest req;
    req.set_request_id(NextRequestId("population"));
    req.mutable_population()->mutable_la_code()->set_value(la);
    *req.mutable_population()->mutable_as_of() = as_of;
    req.mutable_population()->set_under18_population(under18);
    req.mutable_population()->set_uasc_count(uasc);
    pb::SubmitUascPopulationResponse resp;
    return Call(token, &Stub::SubmitUascPopulation, req, &resp);
  }

  static grpc::Status Record(const std::string& token, const std::string& record_id,
                             const std::string& from, const std::string& to,
                             const common::v1::CivilDate& referred_on, bool hotel,
                             pb::UascTransfer* out) {
    pb::RecordUascTransferRequest req;
    req.set_request_id(NextRequestId("record-" + record_id));
    pb::UascTransfer* t = req.mutable_transfer();
    t->set_record_id(record_id);
    t->mutable_referring_la()->set_value(from);
    t->mutable_receiving_la()->set_value(to);
    *t->mutable_referred_on() = referred_on;
    t->set_from_hotel(hotel);
    pb::RecordUascTransferResponse resp;
    grpc::Status st = Call(token, &Stub::RecordUascTransfer, req, &resp);
    if (out != nullptr) *out = resp.transfer();
    return st;
  }

  static std::string PreconditionType(const grpc::Status& st) {
    const auto v = GetPreconditionViolations(FromGrpcStatus(st));
    return v.empty() ? "" : v[0].type;
  }

  static ServiceProcess* server_;
  static Stub* stub_;
  static std::string* admin_;
  static std::string* po821_;
  static std::string* po926_;
  static std::string* po873_;
  static std::string* do822_;
};

ServiceProcess* UascIntegrationTest::server_ = nullptr;
Stub* UascIntegrationTest::stub_ = nullptr;
std::string* UascIntegrationTest::admin_ = nullptr;
std::string* UascIntegrationTest::po821_ = nullptr;
std::string* UascIntegrationTest::po926_ = nullptr;
std::string* UascIntegrationTest::po873_ = nullptr;
std::string* UascIntegrationTest::do822_ = nullptr;

TEST_F(UascIntegrationTest, ThresholdRulesAreSeededAndEffectiveDated) {
  pb::ListUascThresholdRulesRequest req;
  pb::ListUascThresholdRulesResponse resp;
  ASSERT_TRUE(Call(*po926_, &Stub::ListUascThresholdRules, req, &resp).ok());
  ASSERT_EQ(resp.rules_size(), 2);
  EXPECT_EQ(resp.rules(0).rate_per_100000(), 70);
  EXPECT_EQ(resp.rules(1).rate_per_100000(), 100);
  EXPECT_EQ(Text(resp.rules(1).effective_from()), "2022-8-24");

  pb::PublishUascThresholdRuleRequest dup;

  dup.set_request_id(NextRequestId("dup"));
  *dup.mutable_rule()->mutable_effective_from() = Date(2022, 8, 24);
  dup.mutable_rule()->set_rate_per_100000(120);
  pb::PublishUascThresholdRuleResponse made;
  EXPECT_EQ(Call(*admin_, &Stub::PublishUascThresholdRule, dup, &made).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Call(*po926_, &Stub::PublishUascThresholdRule, dup, &made).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  dup.mutable_rule()->set_rate_per_100000(0);
  EXPECT_EQ(Call(*admin_, &Stub::PublishUascThresholdRule, dup, &made).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(UascIntegrationTest, StatusUsesTheRuleAndFiguresInForce) {
  pb::GetUascStatusRequest req;
  req.mutable_la_code()->set_value("873");
  *req.mutable_as_of() = Date(2022, 6, 1);
  pb::GetUascStatusResponse before;
  ASSERT_TRUE(Call(*po926_, &Stub::GetUascStatus, req, &before).ok());
  EXPECT_EQ(before.status().rate_per_100000(), 70);
  EXPECT_EQ(before.status().threshold_rule_version(), 1);
  EXPECT_DOUBLE_EQ(before.status().threshold(), 98.0);
  EXPECT_DOUBLE_EQ(before.status().headroom(), -2.0);
  EXPECT_TRUE(before.status().may_refer_out());
  EXPECT_FALSE(before.status().can_be_directed());
  EXPECT_EQ(before.status().region().value(), "EE");

  *req.mutable_as_of() = Date(2025, 4, 1);
  pb::GetUascStatusResponse after;
  ASSERT_TRUE(Call(*po926_, &Stub::GetUascStatus, req, &after).ok());
  EXPECT_EQ(after.status().rate_per_100000(), 100);
  EXPECT_DOUBLE_EQ(after.status().threshold(), 140.0);
  EXPECT_FALSE(after.status().may_refer_out());  // exactly at the threshold: neither
  EXPECT_FALSE(after.status().can_be_directed());
  EXPECT_EQ(after.status().population().uasc_count(), 140);

  *req.mutable_as_of() = Date(2021, 1, 1);
  pb::GetUascStatusResponse none;
  grpc::Status missing = Call(*po926_, &Stub::GetUascStatus, req, &none);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionType(missing), "NO_FIGURES");
  req.mutable_la_code()->set_value("999");
  EXPECT_EQ(Call(*po926_, &Stub::GetUascStatus, req, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.mutable_la_code()->set_value("9x");
  EXPECT_EQ(Call(*po926_, &Stub::GetUascStatus, req, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(UascIntegrationTest, SubmissionsAreValidatedAndScoped) {
  pb::SubmitUascPopulationRequest req;
  req.set_request_id(NextRequestId("population"));
  req.mutable_population()->mutable_la_code()->set_value("999");
  *req.mutable_population()->mutable_as_of() = Date(2999, 1, 1);
  req.mutable_population()->set_under18_population(-1);
  req.mutable_population()->set_uasc_count(-5);
  pb::SubmitUascPopulationResponse resp;
  grpc::Status bad = Call(*admin_, &Stub::SubmitUascPopulation, req, &resp);
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(bad))) fields.push_back(v.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"population.la_code.value", "population.as_of",
                                      "population.under18_population", "population.uasc_count"}));
  EXPECT_EQ(Submit(*do822_, "821", Date(2025, 3, 31), 1000, 1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Figures by meaning: more UASC than under-18s, 0/0, and an impossible population are refused.
  struct Bad {
    int64_t under18, uasc;
    std::string field;
  };
  for (const Bad& b :
       {Bad{1000, 1001, "population.uasc_count"}, Bad{0, 0, "population.under18_population"},
        Bad{5000000, 3, "population.under18_population"}}) {
    const grpc::Status st = Submit(*admin_, "821", Date(2020, 3, 31), b.under18, b.uasc);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << b.under18 << "/" << b.uasc;
    const std::vector<FieldViolation> violations = GetFieldViolations(FromGrpcStatus(st));
    ASSERT_FALSE(violations.empty());
    EXPECT_EQ(violations[0].field, b.field);
  }
  EXPECT_TRUE(Submit(*admin_, "821", Date(2020, 3, 31), 1000, 1000).ok());  // all UASC: allowed
  EXPECT_EQ(Submit(*po873_, "821", Date(2025, 3, 31), 1000, 1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UascIntegrationTest, RotaOrdersFurthestBelowFirstWithTiesByLaCode) {
  pb::GetUascRotaRequest req;
  *req.mutable_as_of() = Date(2025, 6, 1);
  pb::GetUascRotaResponse resp;
  ASSERT_TRUE(Call(*po926_, &Stub::GetUascRota, req, &resp).ok());  // the caller's region: EE
  std::vector<std::string> order;
  for (const pb::UascRotaEntry& e : resp.entries()) {
    order.push_back(e.status().la_code().value());
    EXPECT_EQ(e.position(), static_cast<int>(order.size()));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"926", "874", "822", "823", "881"}));
  EXPECT_DOUBLE_EQ(resp.entries(0).status().headroom(), 80.0);
  std::vector<std::string> out;
  for (const pb::UascStatus& s : resp.not_receiving()) out.push_back(s.la_code().value());
  EXPECT_EQ(out, (std::vector<std::string>{"821", "873", "919", "935"}));
  std::vector<std::string> missing;
  for (const common::v1::LaCode& la : resp.missing_figures()) missing.push_back(la.value());
  EXPECT_EQ(missing, (std::vector<std::string>{"882", "883"}));

  req.mutable_region()->set_value("SE");
  EXPECT_EQ(Call(*po926_, &Stub::GetUascRota, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.mutable_region()->set_value("XX");
  EXPECT_EQ(Call(*po926_, &Stub::GetUascRota, req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(UascIntegrationTest, TransfersHaveWorkingDayDeadlinesAndPreconditions) {
  pb::UascTransfer t;
  // Friday 19 Dec 2025: ten working days skip Christmas, Boxing Day and New Year's Day.
  ASSERT_TRUE(Record(*po821_, "x-1", "821", "926", Date(2025, 12, 19), false, &t).ok());
  EXPECT_EQ(Text(t.deadline()), "2026-1-7");
  EXPECT_EQ(t.state(), pb::UASC_TRANSFER_STATE_PENDING);
  EXPECT_EQ(t.version(), 1);
  pb::UascTransfer hotel;
  ASSERT_TRUE(Record(*po821_, "x-2", "821", "874", Date(2025, 12, 19), true, &hotel).ok());
  EXPECT_EQ(Text(hotel.deadline()), "2025-12-30");

  pb::UascTransfer again;
  ASSERT_TRUE(Record(*po821_, "x-1", "821", "926", Date(2025, 12, 19), false, &again).ok());
  EXPECT_EQ(again.transfer_id(), t.transfer_id());
  EXPECT_EQ(Record(*po821_, "x-1", "821", "874", Date(2025, 12, 19), false, nullptr).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  grpc::Status below = Record(*admin_, "x-3", "822", "926", Date(2025, 12, 19), false, nullptr);
  EXPECT_EQ(below.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionType(below), "REFERRING_NOT_ABOVE_THRESHOLD");
  grpc::Status full = Record(*po821_, "x-4", "821", "935", Date(2025, 12, 19), false, nullptr);
  EXPECT_EQ(PreconditionType(full), "RECEIVING_AT_OR_ABOVE_THRESHOLD");
  grpc::Status unknown = Record(*po821_, "x-5", "821", "882", Date(2025, 12, 19), false, nullptr);
  EXPECT_EQ(PreconditionType(unknown), "NO_FIGURES");
  EXPECT_EQ(Record(*po821_, "x-6", "821", "821", Date(2025, 12, 19), false, nullptr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Record(*po926_, "x-7", "821", "926", Date(2025, 12, 19), false, nullptr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UascIntegrationTest, CompleteCancelVersionsAccessAndTheOverdueList) {
  pb::UascTransfer late, early, dropped;
  ASSERT_TRUE(Record(*po821_, "y-1", "821", "926", Date(2025, 12, 19), false, &late).ok());
  ASSERT_TRUE(Record(*po821_, "y-2", "821", "926", Date(2025, 12, 19), true, &early).ok());
  ASSERT_TRUE(Record(*po821_, "y-3", "821", "823", Date(2025, 12, 19), true, &dropped).ok());

  pb::CompleteUascTransferRequest complete;
  complete.set_request_id("complete-y-2");
  complete.set_transfer_id(early.transfer_id());
  complete.set_version(1);
  *complete.mutable_transferred_on() = Date(2025, 12, 18);
  pb::CompleteUascTransferResponse completed;
  EXPECT_EQ(Call(*po926_, &Stub::CompleteUascTransfer, complete, &completed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // before referred_on
  *complete.mutable_transferred_on() = Date(2025, 12, 29);
  EXPECT_EQ(Call(*po873_, &Stub::CompleteUascTransfer, complete, &completed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(*po926_, &Stub::CompleteUascTransfer, complete, &completed).ok());
  EXPECT_EQ(completed.transfer().state(), pb::UASC_TRANSFER_STATE_COMPLETED);
  EXPECT_FALSE(completed.transfer().overdue());
  EXPECT_EQ(completed.transfer().version(), 2);
  complete.set_request_id("complete-y-2-again");
  EXPECT_EQ(Call(*po926_, &Stub::CompleteUascTransfer, complete, &completed).error_code(),
            grpc::StatusCode::ABORTED);  // version 1 is stale now

  pb::CancelUascTransferRequest cancel;
  cancel.set_request_id(NextRequestId("cancel"));
  cancel.set_transfer_id(dropped.transfer_id());
  cancel.set_version(1);
  pb::CancelUascTransferResponse cancelled;
  EXPECT_EQ(Call(*po821_, &Stub::CancelUascTransfer, cancel, &cancelled).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // no reason
  cancel.set_reason("placement found locally");
  ASSERT_TRUE(Call(*po821_, &Stub::CancelUascTransfer, cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.transfer().state(), pb::UASC_TRANSFER_STATE_CANCELLED);
  EXPECT_TRUE(cancelled.transfer().has_cancel_time());
  cancel.set_version(2);
  cancel.set_request_id(NextRequestId("cancel"));
  EXPECT_EQ(Call(*po821_, &Stub::CancelUascTransfer, cancel, &cancelled).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  pb::GetUascTransferRequest get;
  get.set_transfer_id(late.transfer_id());
  pb::GetUascTransferResponse got;
  EXPECT_EQ(Call(*po873_, &Stub::GetUascTransfer, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(*po926_, &Stub::GetUascTransfer, get, &got).ok());
  EXPECT_EQ(got.transfer().record_id(), "y-1");

  pb::ListUascTransfersRequest list;
  list.set_overdue_only(true);
  *list.mutable_as_of() = Date(2026, 1, 8);  // the day after y-1's deadline
  pb::ListUascTransfersResponse overdue;
  ASSERT_TRUE(Call(*admin_, &Stub::ListUascTransfers, list, &overdue).ok());
  std::vector<std::string> ids;
  for (const pb::UascTransfer& x : overdue.transfers()) {
    ids.push_back(x.record_id());
    EXPECT_TRUE(x.overdue());
  }
  EXPECT_NE(std::find(ids.begin(), ids.end(), "y-1"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "y-2"), ids.end());  // completed in time
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "y-3"), ids.end());  // cancelled
  *list.mutable_as_of() = Date(2026, 1, 7);
  ASSERT_TRUE(Call(*admin_, &Stub::ListUascTransfers, list, &overdue).ok());
  for (const pb::UascTransfer& x : overdue.transfers()) EXPECT_NE(x.record_id(), "y-1");

  pb::ListUascTransfersRequest mine;
  mine.mutable_page()->set_page_size(1);
  std::vector<std::string> pages;
  for (int i = 0; i < 20; ++i) {
    pb::ListUascTransfersResponse page;
    ASSERT_TRUE(Call(*po926_, &Stub::ListUascTransfers, mine, &page).ok());
    for (const pb::UascTransfer& x : page.transfers()) {
      pages.push_back(x.record_id());
      EXPECT_TRUE(x.receiving_la().value() == "926" || x.referring_la().value() == "926");
    }
    if (page.page().next_page_token().empty()) break;
    mine.mutable_page()->set_page_token(page.page().next_page_token());
  }
  EXPECT_NE(std::find(pages.begin(), pages.end(), "y-1"), pages.end());
  EXPECT_EQ(std::find(pages.begin(), pages.end(), "y-3"), pages.end());  // 821 to 823
  mine.mutable_la_code()->set_value("821");
  pb::ListUascTransfersResponse denied;
  EXPECT_EQ(Call(*po926_, &Stub::ListUascTransfers, mine, &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(UascDemoDataTest, EachDemoHubHasARotaAndAnOverdueTransfer) {
  for (const std::string region : {"EE", "SE"}) {
    ServiceProcess server(PlacementOptions(region, {"--demo-data"}));
    ASSERT_TRUE(server.Start().ok()) << region;
    const std::string admin = server.IssueToken(region + "-admin", {Role::kRegionalAdmin});
    auto stub = pb::PlacementService::NewStub(server.NewChannel());
    pb::GetUascRotaResponse rota;
    ASSERT_TRUE(
        CallPlacement(stub.get(), admin, &Stub::GetUascRota, pb::GetUascRotaRequest(), &rota).ok())
        << region;
    EXPECT_GE(rota.entries_size(), 3) << region;
    EXPECT_GE(rota.not_receiving_size(), 3) << region;
    EXPECT_EQ(rota.missing_figures_size(), 0) << region;
    pb::ListUascTransfersRequest list;
    list.set_overdue_only(true);
    pb::ListUascTransfersResponse overdue;
    ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::ListUascTransfers, list, &overdue).ok())
        << region;
    ASSERT_EQ(overdue.transfers_size(), 1) << region;
    EXPECT_EQ(overdue.transfers(0).receiving_la().value(),
              rota.entries(0).status().la_code().value());
  }
}

}  // namespace
}  // namespace slihub::testing
