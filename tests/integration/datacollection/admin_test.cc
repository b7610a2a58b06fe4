// The regional admin's RPCs through the real binary: indicators (versioned), collections and periods
// with their validation, idempotency and stale-version rules, and ListReturns' LA scoping and pages.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/datacollection/demo_server_test.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;

// The field paths of an INVALID_ARGUMENT status, joined with spaces.
std::string Fields(const absl::Status& status) {
  std::string out;
  for (const FieldViolation& v : GetFieldViolations(status)) absl::StrAppend(&out, out.empty() ? "" : " ", v.field);
  return out;
}

class DataCollectionAdminTest : public DemoServerTest {
 protected:
  static const std::string& Admin() { return Token("ee-admin", {Role::kRegionalAdmin}); }
  static const std::string& Officer() { return Token("873-data", {Role::kDataOfficer}, "873"); }

  // Calls `method` on the stub with `token`.
  template <typename Request, typename Response, typename Method>
  absl::Status Call(Method method, const std::string& token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(&context, token);
    return FromGrpcStatus(((*stub_).*method)(&context, request, response));
  }

  static dc::Indicator Indicator(const std::string& id) {
    dc::Indicator i;
    i.set_indicator_id(id);
    i.set_name("Children with an education, health and care plan per 10,000 children");
    i.set_short_name("EHC plans per 10k");
    i.set_definition("EHC plans maintained at the quarter end per 10,000 children aged 0-25.");
    i.set_unit(dc::INDICATOR_UNIT_RATE_PER_10000);
    i.set_polarity(dc::POLARITY_NEITHER);
    i.set_decimal_places(1);
    i.set_source("SEN2");
    i.mutable_effective_from()->set_year(2025);
    i.mutable_effective_from()->set_month(4);
    i.mutable_effective_from()->set_day(1);
    return i;
  }

  static google::protobuf::Timestamp At(absl::Time t) {
    google::protobuf::Timestamp out;
    out.set_seconds(absl::ToUnixSeconds(t));
    return out;
  }

};


TEST_F(DataCollectionAdminTest, IndicatorsAreCreatedOnceAndUpdatedAsNewVersions) {
  using Stub = dc::DataCollectionService::Stub;
  dc::CreateIndicatorRequest create;
  create.set_request_id("ind-1");
  *create.mutable_indicator() = Indicator("SEND-EHCP-RATE");
  dc::CreateIndicatorResponse created;
  ASSERT_TRUE(Call(&Stub::CreateIndicator, Admin(), create, &created).ok());
  EXPECT_EQ(created.indicator().version(), 1);

  dc::CreateIndicatorResponse replay;
  ASSERT_TRUE(Call(&Stub::CreateIndicator, Admin(), create, &replay).ok());
  EXPECT_EQ(replay.SerializeAsString(), created.SerializeAsString());
  dc::CreateIndicatorRequest other = create;
  other.mutable_indicator()->set_name("Something else");
  const absl::Status reused = Call(&Stub::CreateIndicator, Admin(), other, &replay);
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetErrorReason(reused), "IDEMPOTENCY_KEY_REUSED");
  other.set_request_id("ind-2");
  EXPECT_EQ(Call(&Stub::CreateIndicator, Admin(), other, &replay).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Call(&Stub::CreateIndicator, Officer(), create, &replay).code(), absl::StatusCode::kPermissionDenied);

  dc::CreateIndicatorRequest bad;
  bad.set_request_id("ind-3");
  *bad.mutable_indicator() = Indicator("bad id");
  bad.mutable_indicator()->set_unit(dc::INDICATOR_UNIT_COUNT);
  bad.mutable_indicator()->mutable_min_value()->set_unscaled(10);
  bad.mutable_indicator()->mutable_max_value()->set_unscaled(5);
  bad.mutable_indicator()->clear_effective_from();
  absl::Status refused = Call(&Stub::CreateIndicator, Admin(), bad, &replay);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(refused),
            "indicator.effective_from indicator.indicator_id indicator.decimal_places indicator.min_value");

  dc::UpdateIndicatorRequest update;
  update.set_request_id("ind-4");
  *update.mutable_indicator() = Indicator("SEND-EHCP-RATE");
  update.mutable_indicator()->set_short_name("EHCPs per 10k");
  update.set_expected_version(1);
  dc::UpdateIndicatorResponse updated;
  ASSERT_TRUE(Call(&Stub::UpdateIndicator, Admin(), update, &updated).ok());
  EXPECT_EQ(updated.indicator().version(), 2);
  update.set_request_id("ind-5");
  EXPECT_EQ(Call(&Stub::UpdateIndicator, Admin(), update, &updated).code(), absl::StatusCode::kAborted);
  update.set_expected_version(0);
  update.mutable_indicator()->set_indicator_id("NO-SUCH-INDICATOR");
  EXPECT_EQ(Call(&Stub::UpdateIndicator, Admin(), update, &updated).code(), absl::StatusCode::kNotFound);

  dc::GetIndicatorRequest get;
  get.set_indicator_id("SEND-EHCP-RATE");
  get.set_version(1);
  dc::GetIndicatorResponse first;
  ASSERT_TRUE(Call(&Stub::GetIndicator, Officer(), get, &first).ok());
  EXPECT_EQ(first.indicator().short_name(), "EHC plans per 10k");
  get.set_version(0);
  dc::GetIndicatorResponse latest;
  ASSERT_TRUE(Call(&Stub::GetIndicator, Officer(), get, &latest).ok());
  EXPECT_EQ(latest.indicator().version(), 2);
  EXPECT_EQ(latest.indicator().short_name(), "EHCPs per 10k");
}

TEST_F(DataCollectionAdminTest, CollectionsAndPeriodsAreValidatedAndVersioned) {
  using Stub = dc::DataCollectionService::Stub;
  dc::CreateIndicatorRequest indicator;
  indicator.set_request_id("col-ind");
  *indicator.mutable_indicator() = Indicator("SEND-TRIBUNAL-RATE");
  dc::CreateIndicatorResponse created_indicator;
  ASSERT_TRUE(Call(&Stub::CreateIndicator, Admin(), indicator, &created_indicator).ok());

  dc::CreateCollectionRequest bad;
  bad.set_request_id("col-bad");
  bad.mutable_collection()->set_kind(dc::COLLECTION_KIND_SEND_QUARTERLY);
  bad.mutable_collection()->set_name("SEND quarterly");
  bad.mutable_collection()->add_indicator_ids("NO-SUCH-INDICATOR");
  bad.mutable_collection()->add_la_codes()->set_value("202");  // Camden: London, not EE
  dc::CreateCollectionResponse collection;
  absl::Status refused = Call(&Stub::CreateCollection, Admin(), bad, &collection);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(refused), "collection.indicator_ids[0] collection.la_codes[0].value");

  dc::CreateCollectionRequest create;
  create.set_request_id("col-1");
  create.mutable_collection()->set_kind(dc::COLLECTION_KIND_SEND_QUARTERLY);
  create.mutable_collection()->set_name("SEND quarterly");
  create.mutable_collection()->add_indicator_ids("SEND-TRIBUNAL-RATE");
  ASSERT_TRUE(Call(&Stub::CreateCollection, Admin(), create, &collection).ok());
  EXPECT_EQ(collection.collection().collection_id(), "EE-send");
  EXPECT_EQ(collection.collection().region().value(), "EE");
  create.set_request_id("col-2");
  EXPECT_EQ(Call(&Stub::CreateCollection, Admin(), create, &collection).code(), absl::StatusCode::kAlreadyExists);

  dc::UpdateCollectionRequest update;
  update.set_request_id("col-3");
  *update.mutable_collection() = collection.collection();
  update.mutable_collection()->set_description("Quarterly SEND figures for the SEND rug.");
  update.mutable_collection()->add_la_codes()->set_value("873");
  update.set_expected_version(1);
  dc::UpdateCollectionResponse updated;
  ASSERT_TRUE(Call(&Stub::UpdateCollection, Admin(), update, &updated).ok());
  EXPECT_EQ(updated.collection().version(), 2);
  EXPECT_EQ(updated.collection().la_codes_size(), 1);
  update.set_request_id("col-4");
  EXPECT_EQ(Call(&Stub::UpdateCollection, Admin(), update, &updated).code(), absl::StatusCode::kAborted);
  update.set_expected_version(0);
  update.mutable_collection()->set_kind(dc::COLLECTION_KIND_AD_HOC);
  refused = Call(&Stub::UpdateCollection, Admin(), update, &updated);
  EXPECT_EQ(Fields(refused), "collection.kind");

  // Deadline 31 July 2027 noon UK time (BST): 11:00Z.
  const absl::Time open = absl::FromUnixSeconds(1806537600);      // 2027-04-01T00:00:00Z
  const absl::Time deadline = absl::FromUnixSeconds(1817031600);  // 2027-07-31T11:00:00Z
  const absl::Time close = deadline + absl::Hours(24 * 90);
  dc::CreateCollectionPeriodRequest period;
  period.set_request_id("per-bad");
  period.mutable_period()->set_collection_id("EE-send");
  period.mutable_period()->set_period_id("2027-Q5");
  *period.mutable_period()->mutable_open_time() = At(deadline);
  *period.mutable_period()->mutable_deadline_time() = At(open);
  *period.mutable_period()->mutable_close_time() = At(open - absl::Hours(1));
  dc::CreateCollectionPeriodResponse created_period;
  refused = Call(&Stub::CreateCollectionPeriod, Admin(), period, &created_period);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(refused), "period.deadline_time period.close_time");
  *period.mutable_period()->mutable_open_time() = At(open);
  *period.mutable_period()->mutable_deadline_time() = At(deadline);
  *period.mutable_period()->mutable_close_time() = At(close);
  refused = Call(&Stub::CreateCollectionPeriod, Admin(), period, &created_period);
  EXPECT_EQ(Fields(refused), "period.period_id period.start_date period.end_date");

  period.set_request_id("per-1");
  period.mutable_period()->set_period_id("2027-Q1");
  ASSERT_TRUE(Call(&Stub::CreateCollectionPeriod, Admin(), period, &created_period).ok());
  const dc::CollectionPeriod& p = created_period.period();
  EXPECT_EQ(p.label(), "Q1 2027-28 (Apr-Jun 2027)");
  EXPECT_EQ(p.start_date().month(), 4);
  EXPECT_EQ(p.end_date().day(), 30);
  EXPECT_EQ(p.indicator_ids_size(), 1);
  EXPECT_EQ(p.state(), dc::PERIOD_STATE_SCHEDULED);
  period.set_request_id("per-2");
  EXPECT_EQ(Call(&Stub::CreateCollectionPeriod, Admin(), period, &created_period).code(),
            absl::StatusCode::kAlreadyExists);

  // The same period id in the core collection may not collect the SEND indicator twice.
  dc::CreateCollectionPeriodRequest core = period;
  core.set_request_id("per-3");
  core.mutable_period()->set_collection_id("EE-core");
  core.mutable_period()->add_indicator_ids("SEND-TRIBUNAL-RATE");
  absl::Status conflict = Call(&Stub::CreateCollectionPeriod, Admin(), core, &created_period);
  EXPECT_EQ(conflict.code(), absl::StatusCode::kFailedPrecondition) << conflict;

  dc::UpdateCollectionPeriodRequest change;
  change.set_request_id("per-4");
  *change.mutable_period() = p;
  change.mutable_period()->set_label("Q1 2027-28");
  *change.mutable_period()->mutable_close_time() = At(close + absl::Hours(24 * 30));
  change.set_expected_version(1);
  dc::UpdateCollectionPeriodResponse changed;
  ASSERT_TRUE(Call(&Stub::UpdateCollectionPeriod, Admin(), change, &changed).ok());
  EXPECT_EQ(changed.period().version(), 2);
  EXPECT_EQ(changed.period().label(), "Q1 2027-28");
  change.set_request_id("per-5");
  EXPECT_EQ(Call(&Stub::UpdateCollectionPeriod, Admin(), change, &changed).code(), absl::StatusCode::kAborted);
}

TEST_F(DataCollectionAdminTest, PeriodIndicatorsAreFrozenOnceOpen) {
  using Stub = dc::DataCollectionService::Stub;
  dc::GetCollectionPeriodRequest get;
  get.set_collection_id("EE-core");
  get.set_period_id(PeriodIn(dc::PERIOD_STATE_OPEN, Admin()));
  dc::GetCollectionPeriodResponse open;
  ASSERT_TRUE(Call(&Stub::GetCollectionPeriod, Admin(), get, &open).ok());
  dc::UpdateCollectionPeriodRequest change;
  change.set_request_id("frozen-1");
  *change.mutable_period() = open.period();
  change.mutable_period()->mutable_indicator_ids()->RemoveLast();
  dc::UpdateCollectionPeriodResponse changed;
  EXPECT_EQ(Call(&Stub::UpdateCollectionPeriod, Admin(), change, &changed).code(),
            absl::StatusCode::kFailedPrecondition);
  change.mutable_period()->set_collection_id("EE-nothing");
  EXPECT_EQ(Call(&Stub::UpdateCollectionPeriod, Admin(), change, &changed).code(), absl::StatusCode::kNotFound);
}

TEST_F(DataCollectionAdminTest, ListReturnsGivesLatestVersionsByLaInPages) {
  using Stub = dc::DataCollectionService::Stub;
  dc::ListReturnsRequest request;
  request.set_period_id(PeriodIn(dc::PERIOD_STATE_LATE, Admin()));
  request.mutable_page()->set_page_size(4);
  std::vector<std::string> las;
  for (int page = 0; page < 5; ++page) {
    dc::ListReturnsResponse response;
    ASSERT_TRUE(Call(&Stub::ListReturns, Admin(), request, &response).ok());
    EXPECT_EQ(response.page().total_size(), 10);  // one demo LA has not submitted
    for (const dc::Return& r : response.returns()) {
      las.push_back(r.la_code().value());
      EXPECT_TRUE(r.latest());
      EXPECT_EQ(r.values_size(), 0);
    }
    if (response.page().next_page_token().empty()) break;
    request.mutable_page()->set_page_token(response.page().next_page_token());
  }
  ASSERT_EQ(las.size(), 10u);
  EXPECT_TRUE(std::is_sorted(las.begin(), las.end()));

  request.clear_page();
  request.set_view(dc::RETURN_VIEW_FULL);
  dc::ListReturnsResponse own;
  ASSERT_TRUE(Call(&Stub::ListReturns, Officer(), request, &own).ok());
  ASSERT_EQ(own.returns_size(), 1);
  EXPECT_EQ(own.returns(0).la_code().value(), "873");
  EXPECT_EQ(own.returns(0).values_size(), 22);
  request.set_period_id("2099-Q1");
  EXPECT_EQ(Call(&Stub::ListReturns, Admin(), request, &own).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace slihub::testing
