// The tartan rug at national scale: 153 LAs x 100 indicators x 8 quarters of stored figures (every
// English LA placed in one synthetic region "ENG", so one rug holds them all), 1,224 returns and
// about 135,000 stored figures. In the same run:
//   BM_SqlWindowRanking       baseline: rank, ranked count and quartile of every LA on every indicator
//                             of the latest quarter by one SQL RANK() window query on the same SQLite file
//   BM_RugDomainOnly          the domain calculation alone over inputs read once
//   BM_BuildBenchmarkUncached store read + domain + protobuf, no cache (what a cache miss costs)
//   BM_GetBenchmarkRpc        the full GetBenchmark RPC against the real slihub-datacollection binary
//                             (steady state: repeated reads, the rug cached per data generation);
//                             server_ms is the median latency the server itself logged for the calls,
//                             server_cpu_ms the server process's CPU time per call (load-independent)
//   BM_GetBenchmarkRpcAfterSubmit  the same RPC right after an accepted SubmitReturn (untimed), so
//                             every timed call recomputes the rug
#include <algorithm>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/base/csv.h"
#include "common/refdata/reference_data.h"
#include "common/store/sqlite_database.h"
#include "grpcpp/create_channel.h"
#include "common/server/arena_message_allocator.h"
#include "services/datacollection/adapter/benchmark_builder.h"
#include "services/datacollection/bench/rug_inputs.h"
#include "services/datacollection/domain/rug.h"
#include "services/datacollection/store/repository.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::datacollection {
namespace {

constexpr char kRegion[] = "ENG";
constexpr char kCollection[] = "ENG-core";
constexpr int kIndicators = 100;
constexpr int kPeriods = 8;

// FNV-1a: deterministic figures on every machine.
uint64_t Hash(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The reference data with every LA moved into region ENG (neighbours unchanged, so all are in-region).
std::string WriteAllEnglandReference(const slihub::testing::TempDir& dir) {
  auto records = ReadCsvFile(std::string(SLIHUB_SOURCE_DIR) + "/deploy/reference/local_authorities.csv");
  if (!records.ok()) std::abort();
  const std::string path = dir.Join("all_england.csv");
  std::ofstream out(path);
  bool header = true;
  for (CsvRecord& r : *records) {
    if (!header) {
      r.fields[3] = kRegion;
      r.fields[4] = "England (every LA in one benchmark region)";
      r.fields[5] = "E92000001";
    }
    header = false;
    std::vector<std::string> quoted;
    for (const std::string& f : r.fields) {
      quoted.push_back(f.find(',') == std::string::npos ? f : absl::StrCat("\"", f, "\""));
    }
    out << absl::StrJoin(quoted, ",") << "\n";
  }
  return path;
}

std::vector<IndicatorDef> ScaleCatalogue() {
  static const Unit kUnits[] = {Unit::kPercentage, Unit::kRatePer10000, Unit::kCount, Unit::kDays, Unit::kRatio};
  static const Polarity kPolarities[] = {Polarity::kHigherIsBetter, Polarity::kLowerIsBetter, Polarity::kNeither};
  std::vector<IndicatorDef> out;
  for (int i = 0; i < kIndicators; ++i) {
    IndicatorDef def;
    def.indicator_id = absl::StrCat("SCALE-", 100 + i);
    def.name = absl::StrCat("Scale indicator ", i);
    def.short_name = def.name;
    def.definition = "Synthetic indicator for the national-scale rug benchmark.";
    def.unit = kUnits[i % 5];
    def.polarity = kPolarities[i % 3];
    def.decimal_places = def.unit == Unit::kCount ? 0 : 1;
    def.source = "benchmark";
    def.effective_from = "2023-04-01";
    out.push_back(std::move(def));
  }
  return out;
}

// A figure for (LA, indicator, period): about 1% MISSING, 1% SUPPRESSED, else PRESENT within range.
Observation ScaleFigure(const IndicatorDef& def, const std::string& la, const std::string& period, int revision) {
  const uint64_t level = Hash(absl::StrCat(la, "/", def.indicator_id));
  const uint64_t wobble = Hash(absl::StrCat(la, "/", def.indicator_id, "/", period, "/", revision));
  Observation o;
  if (wobble % 101 == 0) {
    o.state = ValueState::kMissing;
    o.note = "Not available";
  } else if (wobble % 103 == 0) {
    o.state = ValueState::kSuppressed;
    o.note = "Small numbers";
  } else {
    o.state = ValueState::kPresent;
    const int64_t span = def.unit == Unit::kPercentage ? 1000 : 5000;
    o.value = Decimal{static_cast<int64_t>((level % static_cast<uint64_t>(span) + wobble % 40) % (span + 1)),
                      def.decimal_places};
  }
  return o;
}

struct Fixture {
  slihub::testing::TempDir dir{"slihub-dc-scale"};
  std::unique_ptr<ReferenceData> refdata;
  std::unique_ptr<store::Database> db;
  std::vector<IndicatorDef> defs;
  std::vector<std::string> las;
  std::vector<std::string> period_ids;
  std::vector<RugRowInput> inputs;
  std::unique_ptr<slihub::testing::ServiceProcess> server;
  std::shared_ptr<grpc::Channel> channel;
  std::string reader_token;
  std::string admin_token;
};

// Seeds the store: the catalogue, one collection, 8 quarters (2023-Q1..2024-Q4; the last one still
// accepts late returns), a version 1 from every LA (the last LA missing in the latest quarter) and a
// version 2 from every tenth LA.
void Seed(Fixture& f) {
  absl::Status seeded = f.db->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    std::vector<std::string> ids;
    for (const IndicatorDef& def : f.defs) {
      ids.push_back(def.indicator_id);
      if (absl::Status s = repository::InsertIndicator(tx, def); !s.ok()) return s;
    }
    CollectionRecord c;
    c.collection_id = kCollection;
    c.region = kRegion;
    c.kind = 1;
    c.name = "England core (benchmark)";
    c.indicator_ids = ids;
    if (absl::Status s = repository::InsertCollection(tx, c); !s.ok()) return s;
    Quarter q = *ParseQuarterId("2023-Q1");
    for (int p = 0; p < kPeriods; ++p) {
      PeriodRecord period;
      period.collection_id = kCollection;
      period.period_id = QuarterId(q);
      period.label = QuarterLabel(q);
      period.start_date = absl::StrCat(absl::FormatCivilTime(q.start_date));
      period.end_date = absl::StrCat(absl::FormatCivilTime(q.end_date));
      period.open_time = absl::FromCivil(q.start_date, absl::UTCTimeZone());
      period.deadline_time = absl::FromCivil(q.end_date + 31, absl::UTCTimeZone());
      period.close_time = p + 1 == kPeriods ? absl::FromCivil(absl::CivilDay(2100, 1, 1), absl::UTCTimeZone())
                                            : period.deadline_time + absl::Hours(24 * 90);
      period.indicator_ids = ids;
      period.publish_time = period.open_time;  // councils (the reader) see every quarter's rug
      if (absl::Status s = repository::InsertPeriod(tx, period); !s.ok()) return s;
      f.period_ids.push_back(period.period_id);
      for (size_t l = 0; l < f.las.size(); ++l) {
        const bool latest = p + 1 == kPeriods;
        if (latest && l + 1 == f.las.size()) continue;
        for (int version = 1; version <= (l % 10 == 0 ? 2 : 1); ++version) {
          ReturnRecord r;
          r.la_code = f.las[l];
          r.collection_id = kCollection;
          r.period_id = period.period_id;
          r.version = version;
          r.receive_time = period.deadline_time - absl::Hours(48) + absl::Hours(version);
          r.timeliness = StampTimeliness(r.receive_time, period.deadline_time);
          r.source = 1;
          r.submitted_by = "benchmark";
          for (const IndicatorDef& def : f.defs) {
            IndicatorFigures fig;
            fig.indicator_id = def.indicator_id;
            fig.indicator_version = 1;
            fig.total = ScaleFigure(def, f.las[l], period.period_id, version);
            r.values.push_back(std::move(fig));
          }
          if (absl::Status s = repository::InsertReturn(tx, r); !s.ok()) return s;
        }
      }
      q = Quarter(*ParseQuarterId(absl::StrCat(q.quarter == 4 ? q.financial_year + 1 : q.financial_year, "-Q",
                                               q.quarter % 4 + 1)));
    }
    return absl::OkStatus();
  });
  if (!seeded.ok()) {
    std::fprintf(stderr, "seeding failed: %s\n", seeded.ToString().c_str());
    std::abort();
  }
}

Fixture& Shared() {
  static Fixture* shared = [] {
    auto* f = new Fixture();
    const std::string reference = WriteAllEnglandReference(f->dir);
    f->refdata = *ReferenceData::LoadFromFile(reference);
    f->las = f->refdata->FindRegion(kRegion)->la_codes;
    f->defs = ScaleCatalogue();

    slihub::testing::ServiceProcessOptions options;
    options.service = "datacollection";
    options.region = kRegion;
    f->server = std::make_unique<slihub::testing::ServiceProcess>(options);
    f->db = *store::SqliteDatabase::Open(f->server->data_dir() + "/datacollection.db");
    if (!f->db->Migrate(DataCollectionMigrations()).ok()) std::abort();
    const absl::Time started = absl::Now();
    Seed(*f);
    std::fprintf(stderr, "seeded %zu LAs x %d indicators x %d periods in %s\n", f->las.size(), kIndicators,
                 kPeriods, absl::FormatDuration(absl::Now() - started).c_str());
    f->inputs = ReadRugInputs(*f->db, *f->refdata, f->las, f->defs, kCollection, f->period_ids[kPeriods - 1],
                              f->period_ids[kPeriods - 2]);

    f->reader_token = f->server->IssueToken("bench-reader", {Role::kReader});
    f->admin_token = f->server->IssueToken("bench-admin", {Role::kRegionalAdmin});
    const int port = slihub::testing::PickFreePort();
    const std::string endpoint = absl::StrCat("127.0.0.1:", port);
    absl::Status started_server = f->server->StartRaw(
        {"--hub-region=ENG", "--listen=" + endpoint, "--data-dir=" + f->server->data_dir(),
         "--reference-data=" + reference, "--log-level=info", "--token-refresh-ms=100"});
    if (!started_server.ok()) std::abort();
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    f->channel = grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args);
    if (!slihub::testing::WaitFor([&] { return slihub::testing::HealthStatus(f->channel) == "SERVING"; },
                                  absl::Seconds(30), absl::Milliseconds(50))) {
      std::fprintf(stderr, "server did not start: %s\n", f->server->process().ReadStderr().c_str());
      std::abort();
    }
    return f;
  }();
  return *shared;
}

void BM_SqlWindowRanking(benchmark::State& state) {
  Fixture& f = Shared();
  const std::string sql =
      "WITH latest AS (SELECT la_code, MAX(version) AS version FROM returns WHERE collection_id = $1 "
      "AND period_id = $2 GROUP BY la_code), "
      "ranked AS (SELECT v.indicator_id, v.la_code, RANK() OVER (PARTITION BY v.indicator_id ORDER BY "
      "CASE WHEN i.polarity = 2 THEN v.value_unscaled ELSE -v.value_unscaled END) AS rank, "
      "COUNT(*) OVER (PARTITION BY v.indicator_id) AS n "
      "FROM latest l JOIN return_values v ON v.collection_id = $1 AND v.period_id = $2 AND "
      "v.la_code = l.la_code AND v.version = l.version AND v.dimension = 0 AND v.state = 1 "
      "JOIN indicators i ON i.indicator_id = v.indicator_id AND i.version = v.indicator_version) "
      "SELECT indicator_id, la_code, rank, n, (4 * rank + n - 1) / n AS quartile FROM ranked";
  size_t rows = 0;
  for (auto _ : state) {
    (void)f.db->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      auto result = tx.Query(sql, {store::Text(kCollection), store::Text(f.period_ids.back())});
      if (!result.ok()) std::abort();
      rows = result->size();
      return absl::OkStatus();
    });
  }
  state.counters["ranked_cells"] = static_cast<double>(rows);
}

void BM_RugDomainOnly(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    for (const RugRowInput& input : f.inputs) benchmark::DoNotOptimize(ComputeRugRow(input));
  }
}

void BM_BuildBenchmarkUncached(benchmark::State& state) {
  Fixture& f = Shared();
  RugQuery query;
  query.region = kRegion;
  query.period_id = f.period_ids.back();
  for (auto _ : state) {
    google::protobuf::Arena arena(LargeMessageArenaOptions());
    auto* out = google::protobuf::Arena::CreateMessage<v1::Benchmark>(&arena);
    if (!BuildBenchmark(*f.db, *f.refdata, query, absl::Now(), out).ok()) std::abort();
    benchmark::DoNotOptimize(out);
  }
}

// Checks the shape of a national rug answer.
bool FullRug(const v1::GetBenchmarkResponse& response) {
  return response.benchmark().rows_size() == kIndicators && response.benchmark().la_codes_size() == 153 &&
         response.benchmark().rows(0).cells_size() == 153;
}

// The median latency_ms the server logged for GetBenchmark calls since the last call of this
// function (the server's own measure: authentication, the handler and the answer handed to gRPC).
double MedianServerMillis(Fixture& f) {
  static size_t consumed = 0;
  const std::string log = f.server->process().ReadStderr();
  std::vector<double> millis;
  for (absl::string_view line : absl::StrSplit(absl::string_view(log).substr(std::min(consumed, log.size())), '\n')) {
    if (!absl::StrContains(line, "/GetBenchmark\"")) continue;
    const size_t at = line.find("\"latency_ms\":");
    double value = 0;
    if (at != absl::string_view::npos &&
        absl::SimpleAtod(line.substr(at + 13, line.find_first_of(",}", at + 13) - at - 13), &value)) {
      millis.push_back(value);
    }
  }
  consumed = log.size();
  if (millis.empty()) return 0;
  std::sort(millis.begin(), millis.end());
  return millis[millis.size() / 2];
}

// The CPU time the server process has used so far (user + system, from /proc; 10 ms ticks).
double ServerCpuMillis(Fixture& f) {
  std::ifstream in(absl::StrCat("/proc/", f.server->process().pid(), "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(stat.substr(close + 2), ' ');
  int64_t user = 0, system = 0;  // fields 14 and 15 of proc(5), here 11 and 12 after the command name
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user) || !absl::SimpleAtoi(fields[12], &system)) return 0;
  return 1000.0 * static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// One GetBenchmark call; false (and the benchmark skipped with the reason) unless a full national rug
// came back. `bytes` (optional) receives the answer's size.
bool CallRug(v1::DataCollectionService::Stub& stub, const v1::GetBenchmarkRequest& request, const std::string& token,
             benchmark::State& state, size_t* bytes = nullptr) {
  grpc::ClientContext context;
  slihub::testing::PrepareContext(&context, token);
  google::protobuf::Arena arena(LargeMessageArenaOptions());
  auto& response = *google::protobuf::Arena::CreateMessage<v1::GetBenchmarkResponse>(&arena);
  grpc::Status status = stub.GetBenchmark(&context, request, &response);
  if (!status.ok() || !FullRug(response)) {
    state.SkipWithError(status.ok() ? "unexpected rug shape" : status.error_message().c_str());
    return false;
  }
  if (bytes != nullptr) *bytes = response.ByteSizeLong();
  return true;
}

void BM_GetBenchmarkRpc(benchmark::State& state) {
  Fixture& f = Shared();
  auto stub = v1::DataCollectionService::NewStub(f.channel);
  v1::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(f.period_ids.back());
  size_t bytes = 0;
  MedianServerMillis(f);
  const double cpu_before = ServerCpuMillis(f);
  for (auto _ : state) {
    if (!CallRug(*stub, request, f.reader_token, state, &bytes)) break;
  }
  state.counters["server_ms"] = MedianServerMillis(f);
  state.counters["server_cpu_ms"] = (ServerCpuMillis(f) - cpu_before) / static_cast<double>(state.iterations());
  state.counters["response_bytes"] = static_cast<double>(bytes);
}

void BM_GetBenchmarkRpcAfterSubmit(benchmark::State& state) {
  Fixture& f = Shared();
  auto stub = v1::DataCollectionService::NewStub(f.channel);
  v1::GetBenchmarkRequest request;
  request.mutable_query()->set_period_id(f.period_ids.back());
  int64_t n = 0;
  MedianServerMillis(f);
  for (auto _ : state) {
    state.PauseTiming();
    v1::SubmitReturnRequest submit;
    submit.set_request_id(absl::StrCat("scale-", absl::ToUnixMicros(absl::Now()), "-", n));
    submit.mutable_la_code()->set_value(f.las[1]);
    submit.set_collection_id(kCollection);
    submit.set_period_id(f.period_ids.back());
    v1::IndicatorValue* value = submit.add_values();
    value->set_indicator_id(f.defs[0].indicator_id);
    value->mutable_total()->set_state(v1::VALUE_STATE_PRESENT);
    value->mutable_total()->mutable_value()->set_unscaled(100 + n % 500);
    value->mutable_total()->mutable_value()->set_scale(1);
    ++n;
    grpc::ClientContext submit_context;
    slihub::testing::PrepareContext(&submit_context, f.admin_token);
    v1::SubmitReturnResponse submitted;
    grpc::Status accepted = stub->SubmitReturn(&submit_context, submit, &submitted);
    if (!accepted.ok()) {
      state.SkipWithError(accepted.error_message().c_str());
      break;
    }
    state.ResumeTiming();
    if (!CallRug(*stub, request, f.reader_token, state)) break;
  }
  state.counters["server_ms"] = MedianServerMillis(f);
}

BENCHMARK(BM_SqlWindowRanking)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RugDomainOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildBenchmarkUncached)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GetBenchmarkRpc)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GetBenchmarkRpcAfterSubmit)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace slihub::datacollection

BENCHMARK_MAIN();
