// `slihub peer groups propose`: ask the peer review service for a grouping and show why.
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "slihub/peerreview/v1/peerreview_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

namespace pr = ::slihub::peerreview::v1;

struct ProposeArgs {
  std::string cycle_id;
  int group_size = 3;
  bool larger_groups = false;
  int no_repeat_cycles = 1;
  uint64_t seed = 1;
  std::string request_id;
  // Soft-aim weights: grade mix, statistical neighbours, travel, even reviewing load.
  std::vector<int> weights = {50, 20, 10, 30};
};

std::string Codes(const google::protobuf::RepeatedPtrField<common::v1::LaCode>& codes) {
  std::vector<std::string> out;
  for (const auto& c : codes) out.push_back(c.value());
  return absl::StrJoin(out, " ");
}

int Propose(const ClientOptions& options, const ProposeArgs& args) {
  const std::string endpoint = ResolveEndpoint(options, "peerreview");
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port (or --region EE|SE)\n";
    return kExitUsage;
  }
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
  grpc::Status status = pr::PeerReviewService::NewStub(MakeChannel(endpoint))
                            ->ProposeGroups(&context, request, &response);
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
}

}  // namespace slihub::cli
