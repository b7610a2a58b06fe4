// `slihub placement referral create|match|hold|confirm|release|uasc rota`: the placement service
// for people and scripts. Tables by default, protobuf JSON with --json; exit 1 when the call fails.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/civil_date.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

namespace pl = ::slihub::placement::v1;

// The arguments of every placement command. Plain data.
struct PlacementArgs {
  std::string referral_id;
  std::string scope = "own-region";
  int limit = 10;
  bool strict = false;  // match: federation mode STRICT
  std::string vacancy_id;
  std::string hold_id;
  int64_t version = 0;
  double hours = 0;
  std::string start_date;
  std::string reason;
  std::string as_of;
  std::string request_id;
  // referral create: the anonymised profile (no name, date of birth or full postcode).
  std::string la;
  int age = -1;
  std::string sex;
  std::vector<std::string> needs;
  std::string home_district;
  double max_miles = 0;
  double max_weekly_pounds = 0;
  std::string urgency = "urgent";
  int siblings = 1;
};

std::string Pounds(const common::v1::Money& m) {
  return absl::StrFormat("£%d.%02d", m.pence() / 100, m.pence() % 100);
}

std::string Name(const std::string& enum_name, absl::string_view prefix) {
  return std::string(absl::StripPrefix(enum_name, prefix));
}

std::string DateText(const common::v1::CivilDate& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string TimeText(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string RequestId(const PlacementArgs& args) {
  return args.request_id.empty() ? absl::StrCat("cli-", absl::ToUnixNanos(absl::Now()))
                                 : args.request_id;
}

// Parses `text` (YYYY-MM-DD) into `out`; prints the problem and returns false when it is not a
// date.
bool ParseDate(const std::string& flag, const std::string& text, common::v1::CivilDate* out) {
  absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
  if (!day.ok()) {
    std::cerr << "error: " << flag << ": " << day.status().message() << "\n";
    return false;
  }
  out->set_year(static_cast<int>(day->year()));
  out->set_month(day->month());
  out->set_day(day->day());
  return true;
}

// A stub for the placement service of `options`' hub, or nullptr (after saying why).
std::unique_ptr<pl::PlacementService::Stub> Connect(const ClientOptions& options) {
  const std::string endpoint = ResolveEndpoint(options, "placement");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return nullptr;
  }
  return pl::PlacementService::NewStub(MakeChannel(endpoint));
}

// Calls `method` with `request`; prints the response as JSON (--json) or with `print`.
template <typename Req, typename Resp, typename Print>
int Run(const ClientOptions& options,
        grpc::Status (pl::PlacementService::Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
        const Req& request, Print print) {
  std::unique_ptr<pl::PlacementService::Stub> stub = Connect(options);
  if (stub == nullptr) return kExitUsage;
  grpc::ClientContext context;
  PrepareContext(options, &context);
  Resp response;
  grpc::Status status = (stub.get()->*method)(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
  } else {
    print(response);
  }
  return kExitOk;
}

// The hold's current version, for commands given none (0 when it cannot be read).
int64_t CurrentHoldVersion(const ClientOptions& options, const std::string& hold_id) {
  std::unique_ptr<pl::PlacementService::Stub> stub = Connect(options);
  if (stub == nullptr) return 0;
  grpc::ClientContext context;
  PrepareContext(options, &context);
  pl::GetHoldRequest request;
  request.set_hold_id(hold_id);
  pl::GetHoldResponse response;
  return stub->GetHold(&context, request, &response).ok() ? response.hold().version() : 0;
}

void PrintHold(const pl::Hold& h, const pl::Vacancy& v) {
  PrintTable({"HOLD", "STATE", "VERSION", "VACANCY", "REFERRAL", "EXPIRES", "BEDS FREE"},
             {{h.hold_id(), Name(pl::HoldState_Name(h.state()), "HOLD_STATE_"),
               std::to_string(h.version()), h.vacancy_id(), h.referral_id(),
               h.has_expire_time() ? TimeText(h.expire_time()) : "",
               absl::StrCat(v.beds_free(), " of ", v.beds())}});
}

void PrintMatches(const pl::MatchPlacementsRequest& request, const pl::MatchPlacementsResponse& r) {
  if (request.scope() == common::v1::REGION_SCOPE_NATIONAL) PrintRegionStates(r.federation());
  std::cout << "referral " << request.referral_id() << ": " << r.matches_size() << " matches of "
            << r.candidates() << " candidates\n";
  std::vector<std::vector<std::string>> rows;
  for (const pl::Match& m : r.matches()) {
    rows.push_back({std::to_string(m.rank()), m.vacancy().vacancy_id(), m.setting().name(),
                    Name(pl::PlacementType_Name(m.setting().placement_type()), "PLACEMENT_TYPE_"),
                    Name(pl::OfstedGrade_Name(m.setting().ofsted_grade()), "OFSTED_GRADE_"),
                    m.distance_known() ? absl::StrFormat("%.1f", m.distance_miles()) : "unknown",
                    Pounds(m.vacancy().weekly_cost()), absl::StrFormat("%.2f", m.score())});
  }
  if (!rows.empty()) {
    PrintTable({"RANK", "VACANCY", "SETTING", "TYPE", "GRADE", "MILES", "WEEKLY", "SCORE"}, rows);
  }
  for (const pl::Match& m : r.matches()) {
    std::cout << "\n#" << m.rank() << " " << m.vacancy().vacancy_id() << " (version "
              << m.vacancy().version() << ")\n";
    for (const pl::FilterResult& f : m.passed_filters()) {
      std::cout << "  passed " << Name(pl::MatchFilter_Name(f.filter()), "MATCH_FILTER_") << ": "
                << f.explanation() << "\n";
    }
    for (const pl::ScoreComponent& c : m.components()) {
      std::cout << absl::StrFormat(
          "  score  %s: %.2f x %.1f = %.2f (%s)\n",
          Name(pl::ScoreComponentKind_Name(c.kind()), "SCORE_COMPONENT_KIND_"), c.value(),
          c.weight(), c.contribution(), c.detail());
    }
  }
  std::vector<std::string> excluded;
  for (const pl::FilterExclusionCount& e : r.exclusions()) {
    excluded.push_back(
        absl::StrCat(Name(pl::MatchFilter_Name(e.filter()), "MATCH_FILTER_"), " ", e.excluded()));
  }
  if (!excluded.empty()) std::cout << "\nexcluded: " << absl::StrJoin(excluded, ", ") << "\n";
}

int Match(const ClientOptions& options, const PlacementArgs& args) {
  pl::MatchPlacementsRequest request;
  request.set_referral_id(args.referral_id);
  if (args.scope == "own-la") {
    request.set_scope(common::v1::REGION_SCOPE_OWN_LA);
  } else if (args.scope == "national") {
    request.set_scope(common::v1::REGION_SCOPE_NATIONAL);
  } else {
    request.set_scope(common::v1::REGION_SCOPE_OWN_REGION);
  }
  request.mutable_page()->set_page_size(args.limit);
  if (args.strict) request.set_federation_mode(common::v1::FEDERATION_MODE_STRICT);
  return Run(options, &pl::PlacementService::Stub::MatchPlacements, request,
             [&](const pl::MatchPlacementsResponse& r) { PrintMatches(request, r); });
}

// The value of enum `E` named `prefix` + `flag_value` upper-cased with '-' as '_' ("abuse-neglect"
// -> NEED_CATEGORY_ABUSE_NEGLECT); prints the problem and returns false when none has that name.
template <typename E, typename Parse>
bool ParseEnumFlag(const std::string& flag, const std::string& value, const std::string& prefix,
                   Parse parse, E* out) {
  std::string name = prefix;
  for (char c : value) name.push_back(c == '-' ? '_' : absl::ascii_toupper(c));
  if (!parse(name, out) || static_cast<int>(*out) == 0) {
    std::cerr << "error: " << flag << ": unknown value \"" << value << "\"\n";
    return false;
  }
  return true;
}

void PrintReferral(const pl::Referral& r) {
  const pl::ChildProfile& p = r.profile();
  std::vector<std::string> needs;
  for (int n : p.needs()) {
    needs.push_back(
        Name(pl::NeedCategory_Name(static_cast<pl::NeedCategory>(n)), "NEED_CATEGORY_"));
  }
  PrintTable({"REFERRAL", "LA", "STATE", "AGE", "SEX", "NEEDS", "HOME", "MAX MILES"},
             {{r.referral_id(), r.la_code().value(),
               Name(pl::ReferralState_Name(r.state()), "REFERRAL_STATE_"),
               std::to_string(p.age_years()), Name(pl::Sex_Name(p.sex()), "SEX_"),
               absl::StrJoin(needs, ","), p.home_location().postcode_district(),
               r.constraints().max_distance_miles() > 0
                   ? absl::StrFormat("%.0f", r.constraints().max_distance_miles())
                   : "no limit"}});
}

int CreateReferral(const ClientOptions& options, const PlacementArgs& args) {
  pl::CreateReferralRequest request;
  request.set_request_id(RequestId(args));
  pl::Referral* r = request.mutable_referral();
  r->mutable_la_code()->set_value(args.la);
  pl::ChildProfile* p = r->mutable_profile();
  p->set_age_years(args.age);
  pl::Sex sex;
  if (!ParseEnumFlag("--sex", args.sex, "SEX_", pl::Sex_Parse, &sex)) return kExitUsage;
  p->set_sex(sex);
  for (const std::string& need : args.needs) {
    pl::NeedCategory category;
    if (!ParseEnumFlag("--need", need, "NEED_CATEGORY_", pl::NeedCategory_Parse, &category)) {
      return kExitUsage;
    }
    p->add_needs(category);
  }
  pl::Urgency urgency;
  if (!ParseEnumFlag("--urgency", args.urgency, "URGENCY_", pl::Urgency_Parse, &urgency)) {
    return kExitUsage;
  }
  p->set_urgency(urgency);
  if (!args.home_district.empty()) {
    p->mutable_home_location()->set_postcode_district(args.home_district);
  }
  p->set_sibling_group_size(args.siblings);
  r->mutable_constraints()->set_max_distance_miles(args.max_miles);
  if (args.max_weekly_pounds > 0) {
    r->mutable_constraints()->mutable_max_weekly_cost()->set_pence(
        static_cast<int64_t>(args.max_weekly_pounds * 100 + 0.5));
  }
  return Run(options, &pl::PlacementService::Stub::CreateReferral, request,
             [](const pl::CreateReferralResponse& resp) { PrintReferral(resp.referral()); });
}

int Hold(const ClientOptions& options, const PlacementArgs& args) {
  pl::HoldVacancyRequest request;
  request.set_request_id(RequestId(args));
  request.set_vacancy_id(args.vacancy_id);
  request.set_referral_id(args.referral_id);
  request.set_expected_vacancy_version(args.version);
  request.mutable_duration()->set_seconds(static_cast<int64_t>(args.hours * 3600));
  return Run(options, &pl::PlacementService::Stub::HoldVacancy, request,
             [](const pl::HoldVacancyResponse& r) { PrintHold(r.hold(), r.vacancy()); });
}

int Confirm(const ClientOptions& options, const PlacementArgs& args) {
  pl::ConfirmPlacementRequest request;
  request.set_request_id(RequestId(args));
  request.set_hold_id(args.hold_id);
  request.set_version(args.version != 0 ? args.version : CurrentHoldVersion(options, args.hold_id));
  if (!ParseDate("--start-date", args.start_date, request.mutable_start_date())) return kExitUsage;
  return Run(options, &pl::PlacementService::Stub::ConfirmPlacement, request,
             [](const pl::ConfirmPlacementResponse& r) {
               const pl::Placement& p = r.placement();
               PrintTable({"PLACEMENT", "HOLD", "VACANCY", "START", "WEEKLY", "MILES"},
                          {{p.placement_id(), p.hold_id(), p.vacancy_id(), DateText(p.start_date()),
                            Pounds(p.weekly_cost()),
                            p.distance_known() ? absl::StrFormat("%.1f", p.distance_miles())
                                               : "unknown"}});
             });
}

int Release(const ClientOptions& options, const PlacementArgs& args) {
  pl::ReleaseHoldRequest request;
  request.set_request_id(RequestId(args));
  request.set_hold_id(args.hold_id);
  request.set_version(args.version != 0 ? args.version : CurrentHoldVersion(options, args.hold_id));
  request.set_reason(args.reason);
  return Run(options, &pl::PlacementService::Stub::ReleaseHold, request,
             [](const pl::ReleaseHoldResponse& r) { PrintHold(r.hold(), r.vacancy()); });
}

std::vector<std::string> StatusRow(const std::string& first, const pl::UascStatus& s) {
  return {first,
          s.la_code().value(),
          std::to_string(s.population().under18_population()),
          std::to_string(s.population().uasc_count()),
          absl::StrFormat("%.3f", s.threshold()),
          absl::StrFormat("%+.3f", s.headroom())};
}

void PrintRota(const std::string& region, const pl::GetUascRotaResponse& r) {
  const pl::UascStatus* any = r.entries_size() > 0
                                  ? &r.entries(0).status()
                                  : (r.not_receiving_size() > 0 ? &r.not_receiving(0) : nullptr);
  std::cout << "UASC rota for " << region;
  if (any != nullptr) {
    std::cout << " on " << DateText(any->as_of()) << " (threshold "
              << absl::StrFormat("%.2f", any->rate_per_100000() / 1000.0) << "% of under-18s)";
  }
  std::cout << "\n";
  std::vector<std::vector<std::string>> receiving;
  for (const pl::UascRotaEntry& e : r.entries()) {
    receiving.push_back(StatusRow(std::to_string(e.position()), e.status()));
  }
  if (!receiving.empty()) {
    PrintTable({"POSITION", "LA", "UNDER18", "UASC", "THRESHOLD", "HEADROOM"}, receiving);
  }
  std::vector<std::vector<std::string>> not_receiving;
  for (const pl::UascStatus& s : r.not_receiving()) {
    not_receiving.push_back(StatusRow(s.may_refer_out() ? "above" : "at", s));
  }
  if (!not_receiving.empty()) {
    std::cout << "\nnot receiving (at or above threshold):\n";
    PrintTable({"STATE", "LA", "UNDER18", "UASC", "THRESHOLD", "HEADROOM"}, not_receiving);
  }
  std::vector<std::string> missing;
  for (const common::v1::LaCode& la : r.missing_figures()) missing.push_back(la.value());
  if (!missing.empty()) std::cout << "\nno figures: " << absl::StrJoin(missing, " ") << "\n";
}

int Rota(const ClientOptions& options, const PlacementArgs& args) {
  pl::GetUascRotaRequest request;
  request.mutable_region()->set_value(options.region);
  if (!args.as_of.empty() && !ParseDate("--as-of", args.as_of, request.mutable_as_of())) {
    return kExitUsage;
  }
  return Run(options, &pl::PlacementService::Stub::GetUascRota, request,
             [&](const pl::GetUascRotaResponse& r) { PrintRota(options.region, r); });
}

// Adds a subcommand with the client options whose callback runs `run`.
template <typename Run>
CLI::App* Command(CLI::App& parent, const std::string& name, const std::string& help,
                  std::shared_ptr<ClientOptions> options, std::shared_ptr<PlacementArgs> args,
                  int* exit_code, Run run) {
  CLI::App* command = parent.add_subcommand(name, help);
  AddClientOptions(command, options.get());
  command->callback([=] { *exit_code = run(*options, *args); });
  return command;
}

}  // namespace

void AddPlacementCommands(CLI::App& group, int* exit_code) {
  auto options = std::make_shared<ClientOptions>();
  auto args = std::make_shared<PlacementArgs>();

  CLI::App* referral = group.add_subcommand("referral", "referrals (anonymised profiles)");
  referral->require_subcommand(1);
  CLI::App* create = Command(*referral, "create",
                             "open a referral from an anonymised profile: no name, date of birth "
                             "or full postcode",
                             options, args, exit_code, CreateReferral);
  create->add_option("--la", args->la, "the referring LA's code, e.g. 926")->required();
  create->add_option("--age", args->age, "age in whole years, 0-17")->required();
  create->add_option("--sex", args->sex, "female, male or not-stated")->required();
  create->add_option("--need", args->needs,
                     "a need, e.g. emotional-behavioural, abuse-neglect (repeatable)");
  create->add_option("--home-district", args->home_district,
                     "the home's postcode district (outward code only, e.g. NR2)");
  create->add_option("--max-miles", args->max_miles, "distance limit (0: none; needs a home)");
  create->add_option("--max-weekly-cost", args->max_weekly_pounds, "in pounds (0: none)");
  create->add_option("--urgency", args->urgency, "emergency, urgent or planned")
      ->capture_default_str();
  create->add_option("--siblings", args->siblings, "sibling group size")->capture_default_str();
  create->add_option("--request-id", args->request_id, "idempotency key (default: generated)");

  CLI::App* match = Command(group, "match", "ranked vacancies for a referral, with their reasons",
                            options, args, exit_code, Match);
  match->add_option("--referral", args->referral_id, "referral id")->required();
  match->add_option("--scope", args->scope, "own-la, own-region or national")
      ->check(CLI::IsMember({"own-la", "own-region", "national"}))
      ->capture_default_str();
  match->add_option("--limit", args->limit, "how many matches")->capture_default_str();
  match->add_flag("--strict", args->strict,
                  "national: fail (UNAVAILABLE, naming them) unless every region's part is "
                  "current");

  CLI::App* hold = Command(group, "hold", "reserve one bed of a vacancy for a referral", options,
                           args, exit_code, Hold);
  hold->add_option("--vacancy", args->vacancy_id, "vacancy id")->required();
  hold->add_option("--referral", args->referral_id, "referral id")->required();
  hold->add_option("--version", args->version, "the vacancy version decided on (0: any)");
  hold->add_option("--hours", args->hours, "how long to hold (0: the service's maximum)");
  hold->add_option("--request-id", args->request_id, "idempotency key (default: generated)");

  CLI::App* confirm =
      Command(group, "confirm", "turn a hold into a placement", options, args, exit_code, Confirm);
  confirm->add_option("--hold", args->hold_id, "hold id")->required();
  confirm->add_option("--start-date", args->start_date, "placement start, YYYY-MM-DD")->required();
  confirm->add_option("--version", args->version, "the hold version last seen (default: current)");
  confirm->add_option("--request-id", args->request_id, "idempotency key (default: generated)");

  CLI::App* release =
      Command(group, "release", "give a held bed back", options, args, exit_code, Release);
  release->add_option("--hold", args->hold_id, "hold id")->required();
  release->add_option("--reason", args->reason, "why the bed is released");
  release->add_option("--version", args->version, "the hold version last seen (default: current)");
  release->add_option("--request-id", args->request_id, "idempotency key (default: generated)");

  CLI::App* uasc = group.add_subcommand("uasc", "the UASC National Transfer Scheme");
  uasc->require_subcommand(1);
  CLI::App* rota = Command(*uasc, "rota", "the region's receiving LAs in rota order", options, args,
                           exit_code, Rota);
  rota->add_option("--as-of", args->as_of, "date, YYYY-MM-DD (default: today)");
}

}  // namespace slihub::cli
