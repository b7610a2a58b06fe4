// `slihub peer groups propose`: ask the peer review service for a grouping and show why.
// `slihub peer summary`: the cycle's regional summary as Markdown or HTML.
// `slihub peer reviewers`: candidate reviewer LAs (FindReviewers), nationally with each region's
// state above them.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "absl/time/clock.h"
#include "services/peerreview/adapter/grouping_defaults.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

namespace pr = ::slihub::peerreview::v1;

// Flags start from the service's own defaults (grouping_defaults.h), so a propose without flags
// asks for what ProposeGroups does with an empty config.
struct ProposeArgs {
  std::string cycle_id;
  int group_size = peerreview::kDefaultGroupSize;
  bool larger_groups = false;
  int no_repeat_cycles = peerreview::kDefaultNoRepeatCycles;
  uint64_t seed = peerreview::kDefaultSeed;
  std::string request_id;
  // Soft-aim weights: grade mix, statistical neighbours, travel, even reviewing load.
  std::vector<int> weights = {std::begin(peerreview::kDefaultWeights),
                              std::end(peerreview::kDefaultWeights)};
};

std::string Codes(const google::protobuf::RepeatedPtrField<common::v1::LaCode>& codes) {
  std::vector<std::string> out;
  for (const auto& c : codes) out.push_back(c.value());
  return absl::StrJoin(out, " ");
}

// The peer review service's stub, or null (with a message) when no endpoint is known.
std::unique_ptr<pr::PeerReviewService::Stub> PeerStub(const ClientOptions& options) {
  const std::string endpoint = ResolveEndpoint(options, "peerreview");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return nullptr;
  }
  return pr::PeerReviewService::NewStub(MakeChannel(endpoint));
}

int Propose(const ClientOptions& options, const ProposeArgs& args) {
  std::unique_ptr<pr::PeerReviewService::Stub> stub = PeerStub(options);
  if (stub == nullptr) return kExitUsage;
  pr::ProposeGroupsRequest request;
  request.set_request_id(args.request_id.empty()
                             ? absl::StrCat("cli-", absl::ToUnixNanos(absl::Now()))
                             : args.request_id);
  request.set_cycle_id(args.cycle_id);
  pr::GroupingConfig* config = request.mutable_config();
  config->set_group_size(args.group_size);
  config->set_remainder_policy(args.larger_groups ? pr::REMAINDER_POLICY_LARGER_GROUPS
                                                  : pr::REMAINDER_POLICY_SMALLER_GROUPS);
  config->set_no_repeat_cycles(args.no_repeat_cycles);
  config->set_seed(args.seed);
  config->mutable_weights()->set_grade_mix(args.weights[0]);
  config->mutable_weights()->set_statistical_neighbours(args.weights[1]);
  config->mutable_weights()->set_travel(args.weights[2]);
  config->mutable_weights()->set_review_load(args.weights[3]);

  grpc::ClientContext context;
  PrepareContext(options, &context);
  pr::ProposeGroupsResponse response;
  grpc::Status status = stub->ProposeGroups(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  const pr::GroupingProposal& p = response.proposal();
  const bool grouped = p.outcome() == pr::PROPOSAL_OUTCOME_OPTIMAL ||
                       p.outcome() == pr::PROPOSAL_OUTCOME_FEASIBLE;
  if (options.json) {
    PrintJson(response);
    return grouped ? kExitOk : kExitFailed;
  }
  std::cout << "proposal " << p.proposal_id() << ": "
            << absl::StripPrefix(pr::ProposalOutcome_Name(p.outcome()), "PROPOSAL_OUTCOME_")
            << ", score " << p.score() << " of " << p.max_score()
            << (p.stats().proven_optimal() ? " (proven optimal)" : "") << "\n";
  std::vector<std::vector<std::string>> groups;
  for (const auto& g : p.groups()) groups.push_back({g.group_id(), Codes(g.members())});
  if (!groups.empty()) PrintTable({"GROUP", "MEMBERS"}, groups);
  std::vector<std::vector<std::string>> constraints;
  for (const auto& c : p.constraints()) {
    constraints.push_back(
        {std::string(absl::StripPrefix(pr::ConstraintKind_Name(c.kind()), "CONSTRAINT_KIND_")),
         std::string(absl::StripPrefix(pr::ConstraintState_Name(c.state()), "CONSTRAINT_STATE_")),
         c.detail()});
  }
  for (const auto& c : p.conflicting_constraints()) {
    constraints.push_back(
        {std::string(absl::StripPrefix(pr::ConstraintKind_Name(c.kind()), "CONSTRAINT_KIND_")),
         "CONFLICTING", absl::StrCat(Codes(c.la_codes()), ": ", c.detail())});
  }
  if (!constraints.empty()) PrintTable({"CONSTRAINT", "STATE", "DETAIL"}, constraints);
  return grouped ? kExitOk : kExitFailed;
}

struct SummaryArgs {
  std::string cycle_id;
  std::string html_path;
  std::string markdown_path;
  std::string due_by;  // YYYY-MM-DD
};

int Summary(const ClientOptions& options, const SummaryArgs& args) {
  if (!args.html_path.empty() && !args.markdown_path.empty()) {
    std::cerr << "error: pass one of --html or --markdown\n";
    return kExitUsage;
  }
  common::v1::CivilDate due_by;
  if (!args.due_by.empty()) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(args.due_by.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) {
      std::cerr << "error: --due-by takes a date as YYYY-MM-DD\n";
      return kExitUsage;
    }
    due_by.set_year(y);
    due_by.set_month(m);
    due_by.set_day(d);
  }
  std::unique_ptr<pr::PeerReviewService::Stub> stub = PeerStub(options);
  if (stub == nullptr) return kExitUsage;
  grpc::ClientContext context;
  PrepareContext(options, &context);
  if (options.json) {
    pr::GetRegionalSummaryRequest request;
    request.set_cycle_id(args.cycle_id);
    *request.mutable_actions_due_by() = due_by;
    pr::GetRegionalSummaryResponse response;
    grpc::Status status = stub->GetRegionalSummary(&context, request, &response);
    if (!status.ok()) return ReportError(status);
    PrintJson(response);
    return kExitOk;
  }
  pr::ExportRegionalSummaryRequest request;
  request.set_cycle_id(args.cycle_id);
  request.set_format(args.html_path.empty() ? pr::SUMMARY_FORMAT_MARKDOWN : pr::SUMMARY_FORMAT_HTML);
  *request.mutable_actions_due_by() = due_by;
  pr::ExportRegionalSummaryResponse response;
  grpc::Status status = stub->ExportRegionalSummary(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  const std::string path = !args.html_path.empty() ? args.html_path : args.markdown_path;
  return WriteOutput(path, response.content());
}

struct ReviewersArgs {
  std::string scope = "own-region";  // own-region or national
  std::string theme_id;
  std::string from;  // YYYY-MM-DD: free on every day from..to
  std::string to;
  std::vector<std::string> excluded;
  int max_candidates = 0;  // 0: the service's default (50)
  bool strict = false;     // national: UNAVAILABLE (naming them) unless every region is current
};

bool ParseDate(const std::string& text, common::v1::CivilDate* out) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return false;
  out->set_year(y);
  out->set_month(m);
  out->set_day(d);
  return true;
}

std::string Trimmed(const std::string& name, absl::string_view prefix) {
  return std::string(absl::StripPrefix(name, prefix));
}

int Reviewers(const ClientOptions& options, const ReviewersArgs& args) {
  pr::FindReviewersRequest request;
  request.set_scope(args.scope == "national" ? common::v1::REGION_SCOPE_NATIONAL
                                             : common::v1::REGION_SCOPE_OWN_REGION);
  request.set_federation_mode(args.strict ? common::v1::FEDERATION_MODE_STRICT
                                          : common::v1::FEDERATION_MODE_PARTIAL);
  request.set_theme_id(args.theme_id);
  if (!args.from.empty() || !args.to.empty()) {
    if (!ParseDate(args.from, request.mutable_dates()->mutable_start()) ||
        !ParseDate(args.to.empty() ? args.from : args.to, request.mutable_dates()->mutable_end())) {
      std::cerr << "error: --from and --to take dates as YYYY-MM-DD\n";
      return kExitUsage;
    }
  }
  for (const std::string& la : args.excluded) request.add_excluded()->set_value(la);
  request.set_max_candidates(args.max_candidates);
  std::unique_ptr<pr::PeerReviewService::Stub> stub = PeerStub(options);
  if (stub == nullptr) return kExitUsage;
  grpc::ClientContext context;
  PrepareContext(options, &context);
  pr::FindReviewersResponse response;
  grpc::Status status = stub->FindReviewers(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
    return kExitOk;
  }
  if (request.scope() == common::v1::REGION_SCOPE_NATIONAL) PrintRegionStates(response.federation());
  std::cout << response.candidates_size() << " candidate reviewer LAs"
            << (args.theme_id.empty() ? "" : absl::StrCat(" (theme ", args.theme_id, " reviewers first)"))
            << "\n";
  std::vector<std::vector<std::string>> rows;
  int rank = 0;
  for (const pr::ReviewerCandidate& c : response.candidates()) {
    const pr::ReviewerEntry& e = c.entry();
    rows.push_back({std::to_string(++rank), e.region().value(), e.la_code().value(),
                    Trimmed(pr::OfstedGrade_Name(e.latest_ilacs_grade()), "OFSTED_GRADE_"),
                    absl::StrJoin(e.themes_reviewed(), " "),
                    std::to_string(e.challenges_reviewing() + e.thematic_reviews_live()),
                    c.reviewed_theme() ? "yes" : ""});
  }
  if (!rows.empty()) {
    PrintTable({"RANK", "REGION", "LA", "ILACS", "THEMES REVIEWED", "LOAD", "REVIEWED THEME"}, rows);
  }
  return kExitOk;
}

}  // namespace

void AddPeerCommands(CLI::App& group, int* exit_code) {
  auto options = std::make_shared<ClientOptions>();
  auto args = std::make_shared<ProposeArgs>();
  CLI::App* groups = group.add_subcommand("groups", "peer challenge groupings");
  groups->require_subcommand(1);
  CLI::App* propose = groups->add_subcommand(
      "propose", "propose groups for a cycle (exit 1 when no grouping satisfies the constraints)");
  AddClientOptions(propose, options.get());
  propose->add_option("--cycle", args->cycle_id, "cycle id, e.g. EE-2025")->required();
  propose->add_option("--size", args->group_size, "group size: 2, 3 or 4")->capture_default_str();
  propose->add_flag("--larger-groups", args->larger_groups,
                    "put the remainder in larger groups (default: smaller)");
  propose->add_option("--no-repeat", args->no_repeat_cycles,
                      "no partner from this many earlier cycles")
      ->capture_default_str();
  propose->add_option("--seed", args->seed, "seed (same seed, same answer)")->capture_default_str();
  propose->add_option("--weights", args->weights,
                      "four soft-aim weights: grade mix, neighbours, travel, review load")
      ->expected(4)
      ->capture_default_str();
  propose->add_option("--request-id", args->request_id, "idempotency key (default: generated)");
  propose->callback([=] { *exit_code = Propose(*options, *args); });

  auto summary_args = std::make_shared<SummaryArgs>();
  CLI::App* summary = group.add_subcommand(
      "summary", "the cycle's regional summary (themes, strengths, actions due) as Markdown or HTML");
  AddClientOptions(summary, options.get());
  summary->add_option("--cycle", summary_args->cycle_id, "cycle id, e.g. EE-2024 (the demo's cycle in CHALLENGE)")->required();
  summary->add_option("--html", summary_args->html_path, "write the self-contained HTML page here");
  summary->add_option("--markdown", summary_args->markdown_path, "write Markdown here ('-' or neither: stdout)");
  summary->add_option("--due-by", summary_args->due_by, "list actions due by this date (default: in 90 days)");
  summary->callback([=] { *exit_code = Summary(*options, *summary_args); });

  auto reviewers_args = std::make_shared<ReviewersArgs>();
  CLI::App* reviewers = group.add_subcommand(
      "reviewers", "candidate reviewer LAs (FindReviewers); national: each region's state above them");
  AddClientOptions(reviewers, options.get());
  reviewers->add_option("--scope", reviewers_args->scope, "own-region or national")
      ->check(CLI::IsMember({"own-region", "national"}))
      ->capture_default_str();
  reviewers->add_option("--theme", reviewers_args->theme_id, "LAs that reviewed this theme first");
  reviewers->add_option("--from", reviewers_args->from, "available from this date (YYYY-MM-DD)");
  reviewers->add_option("--to", reviewers_args->to, "available to this date (YYYY-MM-DD; default: --from)");
  reviewers->add_option("--exclude", reviewers_args->excluded, "an LA code never proposed; repeat");
  reviewers->add_option("--max", reviewers_args->max_candidates, "at most this many (1-500; default 50)");
  reviewers->add_flag("--strict", reviewers_args->strict,
                      "national: fail (UNAVAILABLE, naming them) unless every region's part is current");
  reviewers->callback([=] { *exit_code = Reviewers(*options, *reviewers_args); });
}

}  // namespace slihub::cli
