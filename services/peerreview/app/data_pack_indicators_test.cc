// The data pack's indicators against a fake data collection connection: what the pack says when
// the peer answers, fails, times out or blames the request.
#include "services/peerreview/app/data_pack_indicators.h"

#include <memory>

#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "services/datacollection/client/testing/fake_datacollection_connection.h"
#include "services/peerreview/store/migrations.h"
#include "tests/support/temp_dir.h"

namespace slihub::peerreview {
namespace {

namespace dc = ::slihub::datacollection::v1;
using datacollection::CallOptions;
using datacollection::DataCollectionClient;
using datacollection::testing::FakeDataCollectionConnection;

// A benchmark of `period` with one indicator and cells for 873 (value 41) and 874 (value 57).
dc::GetBenchmarkResponse Benchmark(const std::string& period) {
  dc::GetBenchmarkResponse response;
  dc::Benchmark* b = response.mutable_benchmark();
  b->set_period_id(period);
  dc::BenchmarkRow* row = b->add_rows();
  row->mutable_indicator()->set_indicator_id("CSC-REFERRAL-RATE");
  for (const auto& [la, value] : {std::make_pair("873", 41), std::make_pair("874", 57)}) {
    dc::BenchmarkCell* cell = row->add_cells();
    cell->mutable_la_code()->set_value(la);
    cell->mutable_value()->set_unscaled(value);
  }
  response.mutable_federation()->set_scope(common::v1::REGION_SCOPE_OWN_REGION);
  return response;
}

IndicatorQuery QueryFor873(const std::string& period) {
  IndicatorQuery query;
  query.region = "EE";
  query.host = "873";
  query.period_id = period;
  return query;
}

class DataPackIndicatorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDatabase::Open(dir_.Join("peerreview.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate(PeerReviewMigrations()).ok());
  }

  slihub::testing::TempDir dir_;
  // The client the pack is built with: over fake_, with `options` as its call options.
  DataCollectionClient Client(CallOptions options = {}) {
    return DataCollectionClient(fake_, options);
  }

  std::unique_ptr<store::Database> db_;
  std::shared_ptr<FakeDataCollectionConnection> fake_ =
      std::make_shared<FakeDataCollectionConnection>();
};

TEST_F(DataPackIndicatorsTest, AnsweringPeerGivesAvailableHostCellsWithTheCallersDeadline) {
  fake_->SetGetBenchmark(Benchmark("2026-Q1"));
  v1::DataPack pack;
  common::v1::FederationInfo federation;
  const CallOptions options{absl::Milliseconds(750)};
  ASSERT_TRUE(
      AddIndicators(*db_, Client(options), QueryFor873("2026-Q1"), &pack, &federation).ok());
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_AVAILABLE);
  EXPECT_EQ(pack.period_id(), "2026-Q1");
  ASSERT_EQ(pack.items_size(), 1);
  EXPECT_EQ(pack.items(0).host().la_code().value(), "873");
  EXPECT_EQ(pack.items(0).host().value().unscaled(), 41);
  EXPECT_EQ(federation.scope(), common::v1::REGION_SCOPE_OWN_REGION);
  ASSERT_EQ(fake_->options().size(), 1u);
  EXPECT_EQ(fake_->options()[0].deadline, absl::Milliseconds(750));
  ASSERT_EQ(fake_->benchmark_requests().size(), 1u);
  EXPECT_EQ(fake_->benchmark_requests()[0].query().region().value(), "EE");
  EXPECT_EQ(fake_->benchmark_requests()[0].query().period_id(), "2026-Q1");
}

TEST_F(DataPackIndicatorsTest, FailingPeerAfterAnAnswerGivesStaleItemsAndTheReason) {
  fake_->SetGetBenchmark(Benchmark("2026-Q1"));
  v1::DataPack first;
  common::v1::FederationInfo federation;
  ASSERT_TRUE(AddIndicators(*db_, Client(), QueryFor873("2026-Q1"), &first, &federation).ok());

  fake_->SetGetBenchmark(absl::UnavailableError("connection refused"));
  v1::DataPack pack;
  ASSERT_TRUE(AddIndicators(*db_, Client(), QueryFor873("2026-Q1"), &pack, &federation).ok());
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_STALE);
  EXPECT_EQ(pack.data_source_detail(), "connection refused");
  EXPECT_EQ(pack.period_id(), "2026-Q1");
  ASSERT_EQ(pack.items_size(), 1);
  EXPECT_EQ(pack.items(0).host().value().unscaled(), 41);
  EXPECT_EQ(pack.fetch_time().seconds(), first.fetch_time().seconds());
}

TEST_F(DataPackIndicatorsTest, FailingPeerWithNothingRememberedGivesUnavailableAndTheReason) {
  fake_->SetGetBenchmark(absl::DeadlineExceededError("Deadline Exceeded"));
  v1::DataPack pack;
  common::v1::FederationInfo federation;
  ASSERT_TRUE(AddIndicators(*db_, Client(), QueryFor873("2026-Q1"), &pack, &federation).ok());
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_UNAVAILABLE);
  EXPECT_EQ(pack.data_source_detail(), "Deadline Exceeded");
  EXPECT_EQ(pack.period_id(), "2026-Q1");
  EXPECT_EQ(pack.items_size(), 0);
}

TEST_F(DataPackIndicatorsTest, RememberedItemsOfAnotherHostAreNotServed) {
  fake_->SetGetBenchmark(Benchmark("2026-Q1"));
  v1::DataPack first;
  common::v1::FederationInfo federation;
  IndicatorQuery other = QueryFor873("2026-Q1");
  other.host = "874";
  ASSERT_TRUE(AddIndicators(*db_, Client(), other, &first, &federation).ok());

  fake_->SetGetBenchmark(absl::UnavailableError("down"));
  v1::DataPack pack;
  ASSERT_TRUE(AddIndicators(*db_, Client(), QueryFor873("2026-Q1"), &pack, &federation).ok());
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_UNAVAILABLE);
}

TEST_F(DataPackIndicatorsTest, UnknownNamedPeriodIsAFieldViolationAndFillsNothing) {
  fake_->SetGetBenchmark(absl::NotFoundError("no period 2031-Q1"));
  v1::DataPack pack;
  common::v1::FederationInfo federation;
  const absl::Status status =
      AddIndicators(*db_, Client(), QueryFor873("2031-Q1"), &pack, &federation);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::vector<FieldViolation> violations = GetFieldViolations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "period_id");
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_UNSPECIFIED);
  EXPECT_EQ(pack.items_size(), 0);
}

TEST_F(DataPackIndicatorsTest, UnnamedPeriodIsTheCoreCollectionsLatestPastItsDeadline) {
  dc::ListCollectionsResponse collections;
  collections.add_collections()->set_collection_id("EE-core");
  fake_->SetListCollections(collections);
  dc::ListCollectionPeriodsResponse periods;
  dc::CollectionPeriod* open = periods.add_periods();  // latest start first
  open->set_period_id("2026-Q3");
  *open->mutable_deadline_time() = ToProtoTimestamp(absl::Now() + absl::Hours(24 * 30));
  dc::CollectionPeriod* closed = periods.add_periods();
  closed->set_period_id("2026-Q2");
  *closed->mutable_deadline_time() = ToProtoTimestamp(absl::Now() - absl::Hours(24));
  fake_->SetListCollectionPeriods(periods);
  fake_->SetGetBenchmark(Benchmark("2026-Q2"));
  v1::DataPack pack;
  common::v1::FederationInfo federation;
  ASSERT_TRUE(AddIndicators(*db_, Client(), QueryFor873(""), &pack, &federation).ok());
  ASSERT_EQ(fake_->benchmark_requests().size(), 1u);
  EXPECT_EQ(fake_->benchmark_requests()[0].query().collection_id(), "EE-core");
  EXPECT_EQ(fake_->benchmark_requests()[0].query().period_id(), "2026-Q2");
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_AVAILABLE);
}

TEST_F(DataPackIndicatorsTest, PeerFailingToListCollectionsDegradesWithItsReason) {
  fake_->SetListCollections(absl::UnavailableError("failed to connect to all addresses"));
  v1::DataPack pack;
  common::v1::FederationInfo federation;
  ASSERT_TRUE(AddIndicators(*db_, Client(), QueryFor873(""), &pack, &federation).ok());
  EXPECT_EQ(pack.data_source_state(), v1::DATA_SOURCE_STATE_UNAVAILABLE);
  EXPECT_EQ(pack.data_source_detail(), "failed to connect to all addresses");
  EXPECT_TRUE(fake_->benchmark_requests().empty());
}

}  // namespace
}  // namespace slihub::peerreview
