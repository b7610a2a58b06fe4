// `slihub workforce check|import`: check proposed agency terms rule by rule, and load employment
// history from an HR system's CSV export.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/civil_date.h"
#include "common/base/csv.h"
#include "common/base/text.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"
#include "tools/cli/employment_csv.h"

namespace slihub::cli {
namespace {

namespace wf = ::slihub::workforce::v1;
namespace cv1 = ::slihub::common::v1;

constexpr int kBatchSize = 1000;

std::string Strip(absl::string_view text, absl::string_view prefix) {
  return std::string(absl::StripPrefix(text, prefix));
}

// ---- check ----

struct CheckArgs {
  std::string swe;
  std::string la;
  std::string job_type;
  std::string local_title;
  std::string model;
  std::string start;
  std::string end;
  int64_t pay_pence = 0;
  int64_t charge_pence = 0;
  int minutes_per_week = 0;
  int notice_weeks = -1;  // -1: not given (the notice rule is then INCOMPLETE)
  std::vector<std::string> references;
  bool project_team = false;
  std::string project_name;
  bool team_identified = false;
  bool team_costs_per_worker = false;
  bool team_la_controls = false;
  std::string agency;
  std::string as_of;
  std::vector<std::string> exception_ids;
  std::string scope;    // "", own-region or national
  bool strict = false;  // with national: fail when any region has no current answer
};

// A reference from "SOURCE[,la=CODE][,practice][,template][,received=DATE]", SOURCE one of
// la, employer, agency, other.
bool ParseReference(const std::string& spec, wf::Reference* out, std::string* error) {
  static const std::map<std::string, wf::ReferenceSource> kSources = {
      {"la", wf::REFERENCE_SOURCE_LOCAL_AUTHORITY},
      {"employer", wf::REFERENCE_SOURCE_OTHER_EMPLOYER},
      {"agency", wf::REFERENCE_SOURCE_AGENCY},
      {"other", wf::REFERENCE_SOURCE_OTHER}};
  std::vector<std::string> parts = absl::StrSplit(spec, ',');
  auto source = kSources.find(absl::AsciiStrToLower(parts[0]));
  if (source == kSources.end()) {
    *error = absl::StrCat("reference '", spec,
                          "': the source must be la, employer, agency or other");
    return false;
  }
  out->set_source(source->second);
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p == "practice") {
      out->set_practice_based(true);
    } else if (p == "template") {
      out->set_national_template(true);
    } else if (absl::StartsWith(p, "la=")) {
      out->mutable_referee_la()->set_value(p.substr(3));
    } else if (absl::StartsWith(p, "received=")) {
      std::optional<cv1::CivilDate> d = ParseDate(p.substr(9));
      if (!d.has_value()) {
        *error = absl::StrCat("reference '", spec, "': bad received date");
        return false;
      }
      *out->mutable_received_on() = *d;
    } else {
      *error = absl::StrCat("reference '", spec, "': unknown part '", p, "'");
      return false;
    }
  }
  return true;
}

// The request for `args`, or a usage error in `error`.
bool BuildCheckRequest(const CheckArgs& args, wf::CheckEngagementRequest* request,
                       std::string* error) {
  wf::EngagementTerms* t = request->mutable_terms();
  t->set_swe_number(args.swe);
  t->mutable_la_code()->set_value(args.la);
  if (!args.local_title.empty()) {
    t->set_local_job_title(args.local_title);
  } else {
    wf::JobType job;
    if (!ParseEnumName(args.job_type, "JOB_TYPE_", &wf::JobType_Parse, &job)) {
      *error = "--job-type must be social-worker, senior-social-worker, advanced-practitioner, "
               "team-manager or iro-cp-chair (or pass --local-title)";
      return false;
    }
    t->set_job_type(job);
  }
  wf::EngagementModel model;
  if (!ParseEnumName(args.model, "ENGAGEMENT_MODEL_", &wf::EngagementModel_Parse, &model)) {
    *error = "--model must be limited-company, umbrella or agency-paye";
    return false;
  }
  t->set_engagement_model(model);
  std::optional<cv1::CivilDate> start = ParseDate(args.start);
  if (!start.has_value()) {
    *error = "--start must be a date (YYYY-MM-DD)";
    return false;
  }
  *t->mutable_start_date() = *start;
  if (!args.end.empty()) {
    std::optional<cv1::CivilDate> end = ParseDate(args.end);
    if (!end.has_value()) {
      *error = "--end must be a date (YYYY-MM-DD)";
      return false;
    }
    *t->mutable_expected_end_date() = *end;
  }
  t->mutable_hourly_pay_rate()->set_pence(args.pay_pence);
  t->mutable_hourly_charge_rate()->set_pence(args.charge_pence);
  t->set_contracted_minutes_per_week(args.minutes_per_week);
  if (args.notice_weeks >= 0) t->set_notice_weeks(args.notice_weeks);
  for (const std::string& spec : args.references) {
    if (!ParseReference(spec, t->add_references(), error)) return false;
  }
  if (args.project_team) {
    wf::ProjectTeamFacts* team = t->mutable_project_team();
    team->set_is_project_team(true);
    team->set_project_name(args.project_name);
    team->set_workers_identified_and_approved(args.team_identified);
    team->set_costs_per_worker(args.team_costs_per_worker);
    team->set_la_controls_practice(args.team_la_controls);
  }
  t->set_agency_name(args.agency);
  if (!args.as_of.empty()) {
    std::optional<cv1::CivilDate> as_of = ParseDate(args.as_of);
    if (!as_of.has_value()) {
      *error = "--as-of must be a date (YYYY-MM-DD)";
      return false;
    }
    *request->mutable_as_of() = *as_of;
  }
  for (const std::string& id : args.exception_ids) request->add_exception_ids(id);
  const std::string scope = absl::AsciiStrToLower(args.scope);
  if (scope == "national") {
    request->set_scope(cv1::REGION_SCOPE_NATIONAL);
  } else if (scope == "own-region") {
    request->set_scope(cv1::REGION_SCOPE_OWN_REGION);
  } else if (!scope.empty()) {
    *error = "--scope must be own-region or national";
    return false;
  }
  if (args.strict) {
    if (scope != "national") {
      *error = "--strict needs --scope national";
      return false;
    }
    request->set_federation_mode(cv1::FEDERATION_MODE_STRICT);
  }
  return true;
}

int Check(const ClientOptions& options, const CheckArgs& args) {
  const std::string endpoint = ResolveEndpoint(options, "workforce");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
  wf::CheckEngagementRequest request;
  std::string error;
  if (!BuildCheckRequest(args, &request, &error)) {
    std::cerr << "error: " << error << "\n";
    return kExitUsage;
  }
  grpc::ClientContext context;
  PrepareContext(options, &context);
  wf::CheckEngagementResponse response;
  grpc::Status status = wf::WorkforceService::NewStub(MakeChannel(endpoint))
                            ->CheckEngagement(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  const wf::EngagementCheck& check = response.check();
  if (options.json) {
    PrintJson(response);
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const wf::RuleResult& r : check.results()) {
      std::string outcome = Strip(wf::RuleOutcome_Name(r.outcome()), "RULE_OUTCOME_");
      if (!r.exception_id().empty()) absl::StrAppend(&outcome, " (", r.exception_id(), ")");
      rows.push_back({Strip(wf::Rule_Name(r.rule()), "RULE_"), outcome, r.explanation()});
    }
    PrintTable({"RULE", "OUTCOME", "FIGURES"}, rows);
    std::cout << "\nverdict: " << Strip(wf::Verdict_Name(check.verdict()), "VERDICT_")
              << " (" << check.region().value() << " rule set v" << check.rule_set_version()
              << ", evaluated on "
              << absl::StrFormat("%04d-%02d-%02d", check.evaluated_on().year(),
                                 check.evaluated_on().month(), check.evaluated_on().day())
              << ")\n\n";
    PrintRegionStates(response.federation());
  }
  return check.verdict() == wf::VERDICT_NON_COMPLIANT ? kExitFailed : kExitOk;
}

// ---- import ----

// A stable id for the file's content, so a re-run of the same export replays, not repeats.
std::string ContentId(const std::vector<ImportRow>& rows) {
  uint64_t hash = 1469598103934665603ULL;
  for (const ImportRow& r : rows) {
    for (unsigned char ch : r.period.SerializeAsString()) {
      hash ^= ch;
      hash *= 1099511628211ULL;
    }
  }
  return absl::StrFormat("%016x", hash);
}

// Why the file at `path` is not UTF-8 text, as "path:line:column: ..." at its first bad byte
// (columns count characters from 1), or nullopt when it is (or cannot be read: the CSV reader
// says why). A byte in 0x80-0x9F, where Windows-1252 keeps its dashes and curly quotes, gets the
// hint to save the export as UTF-8.
std::optional<std::string> NotUtf8(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::optional<size_t> bad = FirstInvalidUtf8(bytes);
  if (!bad.has_value()) return std::nullopt;
  const size_t line_start = bytes.rfind('\n', *bad) == std::string::npos
                                ? 0
                                : bytes.rfind('\n', *bad) + 1;
  const size_t line = 1 + std::count(bytes.begin(), bytes.begin() + line_start, '\n');
  const size_t column =
      1 + CountCodePoints(absl::string_view(bytes).substr(line_start, *bad - line_start));
  const unsigned char byte = static_cast<unsigned char>(bytes[*bad]);
  std::string message = absl::StrFormat("%s:%d:%d: byte 0x%02X is not UTF-8", path, line, column,
                                        byte);
  if (byte >= 0x80 && byte <= 0x9F) {
    absl::StrAppend(&message, "; the file looks like Windows-1252: save it as UTF-8");
  } else {
    absl::StrAppend(&message, "; save the file as UTF-8");
  }
  return message;
}

int Import(const ClientOptions& options, const std::string& path) {
  const std::string endpoint = ResolveEndpoint(options, "workforce");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
  // Refused before anything is sent: the service keeps text as UTF-8 only.
  if (std::optional<std::string> problem = NotUtf8(path)) {
    std::cerr << *problem << " (nothing was sent)\n";
    return kExitUsage;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << path << "\n";
    return kExitUsage;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  absl::StatusOr<std::vector<ImportRow>> parsed = ParseEmploymentCsv(text);
  if (!parsed.ok()) {
    std::cerr << "error: " << path << ": " << parsed.status().message() << "\n";
    return kExitUsage;
  }
  const std::vector<ImportRow>& rows = *parsed;
  std::vector<const ImportRow*> sendable;
  std::vector<std::string> bad;
  for (const ImportRow& r : rows) {
    if (r.error.empty()) {
      sendable.push_back(&r);
    } else {
      bad.push_back(absl::StrCat("line ", r.line, ": ", r.error));
    }
  }
  wf::RecordCounts counts;
  auto stub = wf::WorkforceService::NewStub(MakeChannel(endpoint));
  const std::string import_id = ContentId(rows);
  for (size_t first = 0; first < sendable.size(); first += kBatchSize) {
    const size_t last = std::min(sendable.size(), first + kBatchSize);
    wf::BatchRecordEmploymentPeriodsRequest request;
    request.set_request_id(absl::StrCat("import-", import_id, "-", first / kBatchSize));
    for (size_t i = first; i < last; ++i) *request.add_periods() = sendable[i]->period;
    grpc::ClientContext context;
    PrepareContext(options, &context);
    wf::BatchRecordEmploymentPeriodsResponse response;
    grpc::Status status = stub->BatchRecordEmploymentPeriods(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "error: after " << first << " of " << sendable.size() << " rows were sent\n";
      return ReportError(status);
    }
    counts.set_created(counts.created() + response.counts().created());
    counts.set_updated(counts.updated() + response.counts().updated());
    counts.set_unchanged(counts.unchanged() + response.counts().unchanged());
    for (const wf::EmploymentPeriodResult& result : response.results()) {
      if (result.outcome() != wf::RECORD_OUTCOME_REJECTED) continue;
      const ImportRow* row = sendable[first + result.index()];
      for (const auto& v : result.violations()) {
        bad.push_back(absl::StrCat("line ", row->line, ": ", v.field(), ": ", v.description()));
      }
    }
  }
  std::sort(bad.begin(), bad.end(), [](const std::string& a, const std::string& b) {
    int la = 0, lb = 0;
    (void)absl::SimpleAtoi(absl::StripPrefix(a.substr(0, a.find(':')), "line "), &la);
    (void)absl::SimpleAtoi(absl::StripPrefix(b.substr(0, b.find(':')), "line "), &lb);
    return la < lb;
  });
  const int64_t rejected = static_cast<int64_t>(rows.size()) - counts.created() -
                           counts.updated() - counts.unchanged();
  counts.set_rejected(rejected);
  if (options.json) {
    PrintJson(counts);
  } else {
    std::cout << "created " << counts.created() << ", updated " << counts.updated()
              << ", unchanged " << counts.unchanged() << ", rejected " << rejected << "\n";
  }
  for (const std::string& line : bad) std::cerr << line << "\n";
  return rejected > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void AddWorkforceCommands(CLI::App& group, int* exit_code) {
  auto options = std::make_shared<ClientOptions>();
  auto a = std::make_shared<CheckArgs>();
  CLI::App* check = group.add_subcommand(
      "check", "check proposed agency terms rule by rule (exit 1 when they would not comply)");
  AddClientOptions(check, options.get());
  check->add_option("--swe", a->swe, "Social Work England number, e.g. SW12345")->required();
  check->add_option("--la", a->la, "the engaging LA's code, e.g. 873")->required();
  check->add_option("--job-type", a->job_type,
                    "social-worker, senior-social-worker, advanced-practitioner, team-manager "
                    "or iro-cp-chair");
  check->add_option("--local-title", a->local_title, "the LA's own job title (instead)");
  check->add_option("--model", a->model, "limited-company, umbrella or agency-paye")->required();
  check->add_option("--start", a->start, "start date, YYYY-MM-DD")->required();
  check->add_option("--end", a->end, "expected end date, YYYY-MM-DD");
  check->add_option("--pay-pence", a->pay_pence, "hourly pay to the worker in pence")->required();
  check->add_option("--charge-pence", a->charge_pence, "hourly charge to the LA in pence");
  check->add_option("--minutes-per-week", a->minutes_per_week, "contracted minutes a week");
  check->add_option("--notice-weeks", a->notice_weeks, "notice period in weeks");
  check->add_option("--reference", a->references,
                    "SOURCE[,la=CODE][,practice][,template][,received=DATE]; repeat");
  check->add_flag("--project-team", a->project_team, "the engagement is a project team");
  check->add_option("--project-name", a->project_name, "the project team's name");
  check->add_flag("--team-identified", a->team_identified,
                  "every team member identified and approved in advance");
  check->add_flag("--team-costs-per-worker", a->team_costs_per_worker,
                  "costs broken down per worker");
  check->add_flag("--team-la-controls", a->team_la_controls, "the LA controls practice");
  check->add_option("--agency", a->agency, "the supplying agency's name");
  check->add_option("--as-of", a->as_of, "what if it started on this date instead");
  check->add_option("--exception", a->exception_ids, "an approved exception id; repeat");
  check->add_option("--scope", a->scope,
                    "own-region (default) or national: national also asks every other "
                    "region's hub for the worker's periods and register checks");
  check->add_flag("--strict", a->strict,
                  "with --scope national: fail (exit 1, UNAVAILABLE) naming any region without "
                  "a current answer, instead of answering with what is known");
  check->callback([=] { *exit_code = Check(*options, *a); });

  auto csv = std::make_shared<std::string>();
  CLI::App* import = group.add_subcommand(
      "import", "load employment history from an HR CSV export (exit 1 if any row is bad)");
  AddClientOptions(import, options.get());
  import
      ->add_option("--csv", *csv,
                   "the export: a header row naming record_id, swe_number, la_code, "
                   "employment_type, job_type, local_job_title, start_date, end_date, "
                   "leaving_reason, child_and_family, asye")
      ->required();
  import->callback([=] { *exit_code = Import(*options, *csv); });
}

}  // namespace slihub::cli
