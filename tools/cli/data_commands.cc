// `slihub data rug|status|submit`: the tartan rug, who is late, and a CSV return submitted, from the data
// collection service.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/base/text.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

namespace dc = ::slihub::datacollection::v1;

struct RugArgs {
  std::string region;
  std::string period;
  std::string collection;
  std::vector<std::string> indicators;
  std::string html_path;
  std::string csv_path;
  std::string scope = "region";  // region or national (adds the England figure)
  bool strict = false;           // national: fail when a region is missing
};

int Rug(const ClientOptions& options, const RugArgs& args) {
  const std::string endpoint = ResolveEndpoint(options, "datacollection");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
  if (!args.html_path.empty() && !args.csv_path.empty()) {
    std::cerr << "error: pass one of --html or --csv\n";
    return kExitUsage;
  }
  if (args.scope != "region" && args.scope != "national") {
    std::cerr << "error: --scope is region or national\n";
    return kExitUsage;
  }
  dc::ExportBenchmarkRequest request;
  dc::BenchmarkQuery* query = request.mutable_query();
  query->mutable_region()->set_value(args.region.empty() ? options.region : args.region);
  query->set_period_id(args.period);
  query->set_collection_id(args.collection);
  for (const std::string& id : args.indicators) query->add_indicator_ids(id);
  if (args.scope == "national") {
    query->set_scope(slihub::common::v1::REGION_SCOPE_NATIONAL);
    query->set_federation_mode(args.strict ? slihub::common::v1::FEDERATION_MODE_STRICT
                                           : slihub::common::v1::FEDERATION_MODE_PARTIAL);
  }
  request.set_format(args.html_path.empty() ? dc::BENCHMARK_FORMAT_CSV : dc::BENCHMARK_FORMAT_HTML);

  grpc::ClientContext context;
  PrepareContext(options, &context);
  dc::ExportBenchmarkResponse response;
  grpc::Status status =
      dc::DataCollectionService::NewStub(MakeChannel(endpoint))->ExportBenchmark(&context, request,
                                                                                &response);
  if (!status.ok()) return ReportError(status);
  if (args.scope == "national") PrintRegionStates(response.federation(), std::cerr);
  const std::string& path = !args.html_path.empty() ? args.html_path
                            : !args.csv_path.empty() ? args.csv_path
                                                     : std::string("-");
  return WriteOutput(path, response.content());
}

int Status(const ClientOptions& options, const std::string& period, const std::string& collection) {
  const std::string endpoint = ResolveEndpoint(options, "datacollection");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
  dc::GetSubmissionStatusRequest request;
  request.set_period_id(period);
  request.set_collection_id(collection);
  grpc::ClientContext context;
  PrepareContext(options, &context);
  dc::GetSubmissionStatusResponse response;
  grpc::Status status = dc::DataCollectionService::NewStub(MakeChannel(endpoint))
                            ->GetSubmissionStatus(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  bool all_on_time = true;
  for (const auto& la : response.las()) {
    all_on_time &= la.state() == dc::SUBMISSION_STATE_ON_TIME;
    rows.push_back({la.la_code().value(),
                    std::string(absl::StripPrefix(dc::SubmissionState_Name(la.state()),
                                                  "SUBMISSION_STATE_")),
                    absl::StrCat(la.latest_version()), absl::StrCat(la.indicators_on_time()),
                    absl::StrCat(la.indicators_late()), absl::StrCat(la.indicators_missing())});
  }
  PrintTable({"LA", "STATE", "VERSION", "ON_TIME", "LATE", "MISSING"}, rows);
  // A check for scripts: exit 1 unless every LA submitted on time (the seeds' 100% KPI).
  return all_on_time ? kExitOk : kExitFailed;
}

// Publishes a period's figures to the region's councils (PublishPeriod).
int Publish(const ClientOptions& options, const std::string& period, const std::string& collection,
            const std::string& request_id) {
  const std::string endpoint = ResolveEndpoint(options, "datacollection");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
  dc::PublishPeriodRequest request;
  request.set_request_id(request_id.empty() ? absl::StrCat("cli-publish-", collection, "-", period)
                                            : request_id);
  request.set_collection_id(collection);
  request.set_period_id(period);
  grpc::ClientContext context;
  PrepareContext(options, &context);
  dc::PublishPeriodResponse response;
  grpc::Status status = dc::DataCollectionService::NewStub(MakeChannel(endpoint))
                            ->PublishPeriod(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
    return kExitOk;
  }
  std::cout << "published " << response.period().collection_id() << " " << response.period().period_id()
            << ": every council of the region now sees its figures (never the notes)\n";
  return kExitOk;
}

struct SubmitArgs {
  std::string csv_path;
  std::string period;
  std::string collection;
  std::string request_id;
  std::string comment;
  bool dry_run = false;
  bool partial = false;
};

// Where `content` stops being UTF-8, as "LINE:COLUMN: ..." (1-based; columns in characters), or
// empty when all of it is UTF-8.
std::string Utf8Problem(const std::string& content) {
  const std::optional<size_t> bad = FirstInvalidUtf8(content);
  if (!bad) return "";
  const absl::string_view before = absl::string_view(content).substr(0, *bad);
  const size_t newline = before.rfind('\n');
  const size_t line_start = newline == absl::string_view::npos ? 0 : newline + 1;
  const int64_t line = 1 + std::count(before.begin(), before.end(), '\n');
  return absl::StrCat(line, ":", 1 + CountCodePoints(before.substr(line_start)),
                      ": not valid UTF-8 (byte 0x",
                      absl::Hex(static_cast<unsigned char>(content[*bad]), absl::kZeroPad2),
                      "): the file looks like Latin-1 or Windows-1252; save it as UTF-8");
}

// A request id that is the same for the same file, period and collection, so re-running the command
// after a lost answer replays the first import instead of adding versions.
std::string DefaultRequestId(const SubmitArgs& args, const std::string& content) {
  uint64_t h = 1469598103934665603ull;
  for (const std::string* part : {&args.period, &args.collection, &content}) {
    for (unsigned char c : *part) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return absl::StrCat(args.dry_run ? "cli-dry-" : "cli-", args.partial ? "partial-" : "", hex);
}

int Submit(const ClientOptions& options, const SubmitArgs& args) {
  const std::string endpoint = ResolveEndpoint(options, "datacollection");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
  std::ifstream in(args.csv_path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << args.csv_path << "\n";
    return kExitUsage;
  }
  std::stringstream content;
  content << in.rdbuf();
  if (const std::string problem = Utf8Problem(content.str()); !problem.empty()) {
    std::cerr << args.csv_path << ":" << problem << "\n";
    return kExitFailed;
  }
  dc::ImportReturnsCsvRequest request;
  request.set_request_id(args.request_id.empty() ? DefaultRequestId(args, content.str()) : args.request_id);
  request.set_collection_id(args.collection);
  request.set_period_id(args.period);
  request.set_csv(content.str());
  request.set_dry_run(args.dry_run);
  request.set_partial(args.partial);
  request.set_comment(args.comment);
  grpc::ClientContext context;
  PrepareContext(options, &context);
  dc::ImportReturnsCsvResponse response;
  grpc::Status status =
      dc::DataCollectionService::NewStub(MakeChannel(endpoint))->ImportReturnsCsv(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
  } else {
    for (const dc::CsvRowError& e : response.errors()) {
      std::cerr << args.csv_path << ":" << e.line() << ": " << (e.column().empty() ? "row" : e.column()) << ": "
                << e.message() << "\n";
    }
    std::vector<std::vector<std::string>> rows;
    for (const dc::Return& r : response.versions()) {
      rows.push_back({r.la_code().value(), r.period_id(), absl::StrCat(r.version()),
                      std::string(absl::StripPrefix(dc::Timeliness_Name(r.timeliness()), "TIMELINESS_")),
                      absl::StrCat(r.value_count())});
    }
    if (!rows.empty()) PrintTable({"LA", "PERIOD", "VERSION", "TIMELINESS", "INDICATORS"}, rows);
    for (const dc::ValidationWarning& w : response.warnings()) {
      std::cerr << "warning: " << w.indicator_id() << ": " << w.message() << "\n";
    }
    std::cout << response.rows_read() << " rows read, " << response.rows_accepted() << " accepted, "
              << response.rows_rejected() << " rejected"
              << (args.dry_run ? " (dry run: nothing stored)"
                  : response.stored_nothing()
                      ? " (nothing stored: fix the rows above, or pass --partial to store the good ones)"
                      : "")
              << (response.replayed() ? " (replayed: this file was already imported)" : "") << "\n";
  }
  // Any bad row fails the command, so scripts notice an import that did not store the whole file.
  return response.rows_rejected() == 0 ? kExitOk : kExitFailed;
}

}  // namespace

void AddDataCommands(CLI::App& group, int* exit_code) {
  auto options = std::make_shared<ClientOptions>();
  auto rug_args = std::make_shared<RugArgs>();
  CLI::App* rug = group.add_subcommand("rug", "the tartan rug as HTML or CSV (ExportBenchmark)");
  AddClientOptions(rug, options.get());
  rug->add_option("--of-region", rug_args->region, "the rug's region (default: --region)");
  rug->add_option("--period", rug_args->period, "collection period, e.g. 2025-Q2")->required();
  rug->add_option("--collection", rug_args->collection, "collection id (default: the core one)");
  rug->add_option("--indicator", rug_args->indicators, "an indicator id; repeat (default: all)");
  rug->add_option("--html", rug_args->html_path, "write the self-contained HTML page here");
  rug->add_option("--csv", rug_args->csv_path, "write CSV here ('-' or neither: stdout)");
  rug->add_option("--scope", rug_args->scope,
                  "region, or national: add the England figure (england_* CSV columns) formed "
                  "from every region's published figures; each region's state goes to stderr");
  rug->add_flag("--strict", rug_args->strict,
                "with --scope national: fail (UNAVAILABLE) when a region is missing");
  rug->callback([=] { *exit_code = Rug(*options, *rug_args); });

  auto period = std::make_shared<std::string>();
  auto collection = std::make_shared<std::string>();
  // `data status` is the submission status here; the server's own state stays at
  // `slihub status --service datacollection`.
  for (CLI::App* generic : group.get_subcommands([](CLI::App* sub) { return sub->get_name() == "status"; })) {
    group.remove_subcommand(generic);
  }
  CLI::App* status = group.add_subcommand(
      "status", "who submitted on time, late or not at all (exit 1 unless all on time)");
  status->alias("returns");
  AddClientOptions(status, options.get());
  status->add_option("--period", *period, "collection period, e.g. 2025-Q2")->required();
  status->add_option("--collection", *collection, "collection id (default: the core one)");
  status->callback([=] { *exit_code = Status(*options, *period, *collection); });

  auto publish_period = std::make_shared<std::string>();
  auto publish_collection = std::make_shared<std::string>();
  auto publish_request_id = std::make_shared<std::string>();
  CLI::App* publish = group.add_subcommand(
      "publish", "publish a period's figures to the region's councils (regional admin; PublishPeriod)");
  AddClientOptions(publish, options.get());
  publish->add_option("--period", *publish_period, "collection period, e.g. 2025-Q2")->required();
  publish->add_option("--collection", *publish_collection, "collection id (default: the core one)");
  publish->add_option("--request-id", *publish_request_id,
                      "idempotency key (default: derived from the collection and period)");
  publish->callback([=] {
    *exit_code = Publish(*options, *publish_period, *publish_collection, *publish_request_id);
  });

  auto submit_args = std::make_shared<SubmitArgs>();
  CLI::App* submit = group.add_subcommand(
      "submit", "submit figures from a UTF-8 CSV file (ImportReturnsCsv), all or nothing: bad rows "
                "are listed by line and column, fail the command (exit 1) and store nothing unless "
                "--partial");
  AddClientOptions(submit, options.get());
  submit->add_option("--csv", submit_args->csv_path, "the CSV file (columns: see ImportReturnsCsvRequest)")
      ->required();
  submit->add_option("--period", submit_args->period, "the period every row is for, e.g. 2025-Q2")->required();
  submit->add_option("--collection", submit_args->collection, "collection id (default: the core one)");
  submit->add_option("--request-id", submit_args->request_id,
                     "idempotency key (default: derived from the file, period and collection)");
  submit->add_option("--comment", submit_args->comment, "a note stored with each version");
  submit->add_flag("--dry-run", submit_args->dry_run, "validate and report, store nothing");
  submit->add_flag("--partial", submit_args->partial,
                   "store the good rows even when some rows are bad (still exit 1)");
  submit->callback([=] { *exit_code = Submit(*options, *submit_args); });
}

}  // namespace slihub::cli
