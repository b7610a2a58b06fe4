// The tartan rug for a 33-LA region (London) x 20 indicators, four quarters of stored figures:
//   BM_RugDomainOnly        the domain calculation alone (ranks, bands, stats, neighbours, change)
//   BM_LatestValuesQuery    the SQLite read alone (latest totals of the period and the previous one)
//   BM_SqlWindowRanking     baseline: the ranks alone by a SQL RANK() window query on the same data
//   BM_BuildBenchmark       store read + domain + protobuf (the RPC body)
//   BM_GetBenchmarkRpc      the full GetBenchmark RPC against the real slihub-datacollection binary
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/refdata/reference_data.h"
#include "common/store/sqlite_database.h"
#include "services/datacollection/adapter/benchmark_builder.h"
#include "services/datacollection/bench/rug_inputs.h"
#include "services/datacollection/demo_data.h"
#include "services/datacollection/domain/rug.h"
#include "services/datacollection/store/repository.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"

namespace slihub::datacollection {
namespace {

constexpr char kRegion[] = "LDN";
constexpr int kIndicators = 20;

struct Fixture {
  slihub::testing::TempDir dir{"slihub-dc-bench"};
  std::unique_ptr<ReferenceData> refdata;
  std::unique_ptr<store::Database> db;
  std::string period_id;
  std::string previous_period_id;
  std::vector<std::string> indicator_ids;
  std::vector<IndicatorDef> defs;
  std::vector<RugRowInput> inputs;
  std::unique_ptr<slihub::testing::ServiceProcess> server;
  std::string token;
};

Fixture& Shared() {
  static Fixture* f = [] {
    auto* f = new Fixture();
    f->refdata = *ReferenceData::LoadFromFile(std::string(SLIHUB_SOURCE_DIR) +
                                              "/deploy/reference/local_authorities.csv");
    f->db = *store::SqliteDatabase::Open(f->dir.Join("datacollection.db"));
    if (!f->db->Migrate(DataCollectionMigrations()).ok()) std::abort();
    const absl::Time now = absl::Now();
    if (!LoadDemoData(*f->db, *f->refdata, kRegion, now).ok()) std::abort();
    const std::vector<IndicatorDef> catalogue = CoreCatalogue();
    for (int i = 0; i < kIndicators; ++i) {
      f->defs.push_back(catalogue[i]);
      f->indicator_ids.push_back(catalogue[i].indicator_id);
    }
    std::vector<PeriodRecord> periods = DemoPeriods(CoreCollectionId(kRegion), {}, now);
    f->period_id = periods[3].period_id;  // the latest past quarter
    f->previous_period_id = periods[2].period_id;

    // The domain's inputs, read once.
    f->inputs = ReadRugInputs(*f->db, *f->refdata, f->refdata->FindRegion(kRegion)->la_codes, f->defs,
                              CoreCollectionId(kRegion), f->period_id, f->previous_period_id);

    slihub::testing::ServiceProcessOptions options;
    options.service = "datacollection";
    options.region = kRegion;
    options.extra_args = {"--demo-data", "--log-level", "error"};
    f->server = std::make_unique<slihub::testing::ServiceProcess>(options);
    if (!f->server->Start().ok()) std::abort();
    f->token = f->server->IssueToken("bench-reader", {Role::kReader});
    // A council reads the rug of a published quarter: the regional admin publishes it first.
    const std::string admin = f->server->IssueToken("bench-admin", {Role::kRegionalAdmin});
    slihub::datacollection::v1::PublishPeriodRequest publish;
    publish.set_request_id("bench-publish");
    publish.set_period_id(f->period_id);
    slihub::datacollection::v1::PublishPeriodResponse published;
    grpc::ClientContext context;
    slihub::testing::PrepareContext(&context, admin);
    if (!slihub::datacollection::v1::DataCollectionService::NewStub(f->server->NewChannel())
             ->PublishPeriod(&context, publish, &published)
             .ok()) {
      std::abort();
    }
    return f;
  }();
  return *f;
}

void BM_RugDomainOnly(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    for (const RugRowInput& input : f.inputs) benchmark::DoNotOptimize(ComputeRugRow(input));
  }
}

void BM_LatestValuesQuery(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    (void)f.db->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      benchmark::DoNotOptimize(repository::LatestTotals(tx, CoreCollectionId(kRegion), f.period_id, absl::InfiniteFuture()));
      benchmark::DoNotOptimize(
          repository::LatestTotals(tx, CoreCollectionId(kRegion), f.previous_period_id, absl::InfiniteFuture()));
      return absl::OkStatus();
    });
  }
}

void BM_SqlWindowRanking(benchmark::State& state) {
  Fixture& f = Shared();
  std::string in;
  for (const std::string& id : f.indicator_ids) absl::StrAppend(&in, in.empty() ? "" : ",", "'", id, "'");
  const std::string sql = absl::StrCat(
      "WITH latest AS (SELECT la_code, MAX(version) AS version FROM returns WHERE collection_id = $1 "
      "AND period_id = $2 GROUP BY la_code) "
      "SELECT v.indicator_id, v.la_code, RANK() OVER (PARTITION BY v.indicator_id ORDER BY "
      "CASE WHEN i.polarity = 2 THEN v.value_unscaled ELSE -v.value_unscaled END) AS rank, "
      "COUNT(*) OVER (PARTITION BY v.indicator_id) AS n "
      "FROM latest l JOIN return_values v ON v.collection_id = $1 AND v.period_id = $2 AND "
      "v.la_code = l.la_code AND v.version = l.version AND v.dimension = 0 AND v.state = 1 "
      "JOIN indicators i ON i.indicator_id = v.indicator_id AND i.version = v.indicator_version "
      "WHERE v.indicator_id IN (", in, ")");
  for (auto _ : state) {
    (void)f.db->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      auto rows = tx.Query(sql, {store::Text(CoreCollectionId(kRegion)), store::Text(f.period_id)});
      if (!rows.ok()) std::abort();
      benchmark::DoNotOptimize(rows);
      return absl::OkStatus();
    });
  }
}

void BM_BuildBenchmark(benchmark::State& state) {
  Fixture& f = Shared();
  RugQuery query;
  query.region = kRegion;
  query.period_id = f.period_id;
  query.indicator_ids = f.indicator_ids;
  for (auto _ : state) {
    v1::Benchmark out;
    if (!BuildBenchmark(*f.db, *f.refdata, query, absl::Now(), &out).ok()) std::abort();
    benchmark::DoNotOptimize(out);
  }
}

void BM_GetBenchmarkRpc(benchmark::State& state) {
  Fixture& f = Shared();
  auto stub = v1::DataCollectionService::NewStub(f.server->NewChannel());
  v1::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(f.period_id);
  for (const std::string& id : f.indicator_ids) request.mutable_query()->add_indicator_ids(id);
  for (auto _ : state) {
    grpc::ClientContext context;
    slihub::testing::PrepareContext(&context, f.token);
    v1::GetBenchmarkResponse response;
    grpc::Status status = stub->GetBenchmark(&context, request, &response);
    if (!status.ok()) {
      state.SkipWithError(status.error_message().c_str());
      break;
    }
    if (response.benchmark().rows_size() != kIndicators || response.benchmark().la_codes_size() != 33) {
      state.SkipWithError("unexpected rug shape");
      break;
    }
  }
}

BENCHMARK(BM_RugDomainOnly);
BENCHMARK(BM_LatestValuesQuery);
BENCHMARK(BM_SqlWindowRanking);
BENCHMARK(BM_BuildBenchmark);
BENCHMARK(BM_GetBenchmarkRpc)->UseRealTime();

}  // namespace
}  // namespace slihub::datacollection

BENCHMARK_MAIN();
