#include "services/peerreview/adapter/peerreview_service.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/federation/federation.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/cycle_fields.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/adapter/grouping_defaults.h"
#include "services/peerreview/adapter/handler_support.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/peerreview/adapter/themes.h"
#include "services/peerreview/domain/cycle_state.h"
#include "services/peerreview/domain/group_sizes.h"
#include "services/peerreview/domain/grouping_solver.h"
#include "services/peerreview/store/peerreview_store.h"

namespace slihub::peerreview {
namespace {

Grade ToGrade(v1::OfstedGrade grade) { return static_cast<Grade>(grade); }

// The domain problem of `cycle` under `config` (validated), with the region's history.
GroupingProblem BuildProblem(const v1::Cycle& cycle, const ReferenceData& refdata,
                             const std::vector<HistoryGroup>& history,
                             const v1::GroupingConfig& config) {
  GroupingProblem problem;
  problem.year = cycle.year();
  for (const auto& p : cycle.participants()) {
    GroupingParticipant participant;
    participant.la_code = p.la_code().value();
    participant.grade = ToGrade(p.latest_ilacs_grade());
    if (const LocalAuthorityRecord* la = refdata.FindLocalAuthority(participant.la_code)) {
      participant.region_code = la->region_code;
      participant.statistical_neighbours = la->statistical_neighbours;
    }
    problem.participants.push_back(std::move(participant));
  }
  for (const HistoryGroup& group : history) problem.history.push_back({group.year, group.members});
  problem.group_size = config.group_size();
  problem.remainder = config.remainder_policy() == v1::REMAINDER_POLICY_LARGER_GROUPS
                          ? RemainderPolicy::kLargerGroups
                          : RemainderPolicy::kSmallerGroups;
  problem.no_repeat_cycles = config.no_repeat_cycles();
  for (const auto& c : cycle.conflicts_of_interest()) {
    problem.conflicts.push_back({c.pair().first().value(), c.pair().second().value(), c.pair().reason()});
  }
  for (const auto& c : config.extra_conflicts()) {
    problem.conflicts.push_back({c.first().value(), c.second().value(), c.reason()});
  }
  for (const auto& p : config.pinned_pairs()) {
    problem.pinned_pairs.push_back({p.first().value(), p.second().value(), p.reason()});
  }
  problem.weights = {config.weights().grade_mix(), config.weights().statistical_neighbours(),
                     config.weights().travel(), config.weights().review_load()};
  problem.neighbour_preference = config.neighbour_preference() == v1::NEIGHBOUR_PREFERENCE_APART
                                     ? NeighbourPreference::kApart
                                     : NeighbourPreference::kTogether;
  problem.seed = config.seed();
  problem.method = config.solver() == v1::SOLVER_METHOD_EXHAUSTIVE  ? SolverMethod::kExhaustive
                   : config.solver() == v1::SOLVER_METHOD_HEURISTIC ? SolverMethod::kHeuristic
                                                                     : SolverMethod::kAuto;
  problem.time_limit = absl::Seconds(1);
  if (config.has_time_limit()) {
    absl::StatusOr<absl::Duration> limit = FromProtoDuration(config.time_limit());
    if (limit.ok()) problem.time_limit = *limit;
  }
  return problem;
}

// Field checks of a GroupingConfig that need the cycle (participants) as well.
void CheckConfig(const v1::GroupingConfig& c, const v1::Cycle& cycle, FieldViolations* v) {
  const int n = cycle.participants_size();
  if (c.group_size() < 2 || c.group_size() > 4) {
    v->Add("config.group_size", "must be 2, 3 or 4");
  } else if (n >= 2) {
    const RemainderPolicy policy = c.remainder_policy() == v1::REMAINDER_POLICY_LARGER_GROUPS
                                       ? RemainderPolicy::kLargerGroups
                                       : RemainderPolicy::kSmallerGroups;
    absl::StatusOr<std::vector<int>> sizes = ComputeGroupSizes(n, c.group_size(), policy);
    if (!sizes.ok()) v->Add("config.remainder_policy", std::string(sizes.status().message()));
  }
  if (n < 2) v->Add("cycle_id", absl::StrCat("the cycle has ", n, " participants; grouping needs 2"));
  if (!v1::RemainderPolicy_IsValid(c.remainder_policy())) {
    v->Add("config.remainder_policy", "is not a RemainderPolicy value");
  }
  if (c.no_repeat_cycles() < 0 || c.no_repeat_cycles() > 10) {
    v->Add("config.no_repeat_cycles", "must be between 0 and 10");
  }
  for (int i = 0; i < c.extra_conflicts_size(); ++i) {
    CheckPair(cycle, c.extra_conflicts(i), absl::StrCat("config.extra_conflicts[", i, "]"), v);
  }
  for (int i = 0; i < c.pinned_pairs_size(); ++i) {
    CheckPair(cycle, c.pinned_pairs(i), absl::StrCat("config.pinned_pairs[", i, "]"), v);
  }
  const std::pair<int, const char*> weights[] = {
      {c.weights().grade_mix(), "grade_mix"},
      {c.weights().statistical_neighbours(), "statistical_neighbours"},
      {c.weights().travel(), "travel"},
      {c.weights().review_load(), "review_load"}};
  for (const auto& [weight, name] : weights) {
    if (weight < 0 || weight > 100) v->Add(absl::StrCat("config.weights.", name), "must be between 0 and 100");
  }
  if (!v1::NeighbourPreference_IsValid(c.neighbour_preference())) {
    v->Add("config.neighbour_preference", "is not a NeighbourPreference value");
  }
  if (!v1::SolverMethod_IsValid(c.solver())) {
    v->Add("config.solver", "is not a SolverMethod value");
  } else if (c.solver() == v1::SOLVER_METHOD_EXHAUSTIVE && n > kMaxExhaustiveParticipants) {
    v->Add("config.solver", absl::StrCat("EXHAUSTIVE takes at most ", kMaxExhaustiveParticipants,
                                         " participants; the cycle has ", n));
  }
  if (c.has_time_limit()) {
    absl::StatusOr<absl::Duration> limit = FromProtoDuration(c.time_limit());
    if (!limit.ok() || *limit <= absl::ZeroDuration() || *limit > absl::Seconds(60)) {
      v->Add("config.time_limit", "must be more than 0 and at most 60 s");
    }
  }
}

std::vector<PreconditionViolation> ViolatedConstraints(const std::vector<ConstraintResult>& list) {
  std::vector<PreconditionViolation> out;
  for (const ConstraintResult& c : list) {
    if (c.state != ConstraintState::kViolated) continue;
    std::vector<std::string> subjects;
    for (const std::string& la : c.la_codes) subjects.push_back(absl::StrCat("la/", la));
    out.push_back({ConstraintKindName(c.kind), absl::StrJoin(subjects, ","), c.detail});
  }
  return out;
}

// The peers of a server configured without any: every connection answers "not configured".
const PeerClients& NoPeers() {
  static const PeerClients* const none = new PeerClients();
  return *none;
}

}  // namespace

PeerReviewServiceImpl::PeerReviewServiceImpl(const ServiceContext& context)
    : context_(context),
      datacollection_(datacollection::MakeDataCollectionConnection(
          context.peers != nullptr ? *context.peers : NoPeers())) {
  // Peers cache this hub's reviewer directory; its cycle and thematic review writes announce it.
  if (context_.federation != nullptr) {
    context_.federation->change_log().Follow(context_.database, kDirectoryChannel);
    hub_ = MakePeerReviewHubConnection(context_.federation);
  }
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::CreateCycle(grpc::CallbackServerContext* context,
                                                             const v1::CreateCycleRequest* request,
                                                             v1::CreateCycleResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kCreateCycle,
               [this, request, response](const CallInfo& call) -> absl::Status {
    const ReferenceData& refdata = *context_.reference_data;
    const std::string& hub = context_.config->hub_region;
    const v1::Cycle& in = request->cycle();
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    if (!in.region().value().empty() && in.region().value() != hub) {
      v.Add("cycle.region.value", absl::StrCat("this hub serves region ", hub));
    }
    if (in.year() < 2000 || in.year() > 2100) v.Add("cycle.year", "must be between 2000 and 2100");
    CheckEditableFields(in, refdata, hub, &v);
    if (!v.empty()) return v.ToStatus();

    v1::Cycle cycle;
    cycle.set_cycle_id(absl::StrCat(hub, "-", in.year()));
    cycle.mutable_region()->set_value(hub);
    cycle.set_year(in.year());
    const RegionRecord* region = refdata.FindRegion(hub);
    cycle.set_name(!in.name().empty() ? in.name()
                                      : absl::StrCat(region ? region->name : hub, " peer review ",
                                                     in.year(), "-", (in.year() + 1) % 100));
    cycle.set_state(v1::CYCLE_STATE_SETUP);
    SetParticipantsSorted(in, &cycle);
    *cycle.mutable_phases() = in.phases();
    cycle.set_version(1);
    common::v1::AuditInfo* audit = cycle.mutable_audit();
    *audit->mutable_create_time() = ToProtoTimestamp(absl::Now());
    *audit->mutable_update_time() = audit->create_time();
    audit->set_created_by(call.principal().subject);
    audit->set_updated_by(call.principal().subject);
    audit->set_request_id(call.request_id());
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      if (in.themes_size() > 0) {
        *cycle.mutable_themes() = in.themes();
      } else {
        absl::StatusOr<std::vector<v1::Cycle>> previous =
            PeerReviewStore::ListCycles(tx, hub, 0, in.year(), 1);
        if (!previous.ok()) return previous.status();
        if (!previous->empty()) {
          *cycle.mutable_themes() = previous->front().themes();
        } else {
          for (const v1::Theme& theme : SeedThemes()) *cycle.add_themes() = theme;
        }
      }
      absl::Status inserted = PeerReviewStore::InsertCycle(tx, {cycle, 1});
      if (absl::IsAlreadyExists(inserted)) {
        return absl::AlreadyExistsError(
            absl::StrCat("region ", hub, " already has a cycle for ", in.year(), ": ", cycle.cycle_id()));
      }
      if (!inserted.ok()) return inserted;
      *response->mutable_cycle() = cycle;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetCycle(grpc::CallbackServerContext* context,
                                                          const v1::GetCycleRequest* request,
                                                          v1::GetCycleResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetCycle,
               [this, request, response](const CallInfo& call) -> absl::Status {
    if (request->cycle_id().empty()) {
      FieldViolations v;
      v.Add("cycle_id", "is required");
      return v.ToStatus();
    }
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!stored.ok()) return stored.status();
      *response->mutable_cycle() = std::move(stored->cycle);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListCycles(grpc::CallbackServerContext* context,
                                                            const v1::ListCyclesRequest* request,
                                                            v1::ListCyclesResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListCycles,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    const int size = ResolvePageSize(request->page().page_size(), "page.page_size", &v);
    const std::string after = DecodePageToken("cycles", request->page().page_token(),
                                              "page.page_token", &v);
    int before_year = 0;
    if (!after.empty() && !absl::SimpleAtoi(after, &before_year)) {
      v.Add("page.page_token", "is not a page token from this list");
    }
    if (!v1::CycleState_IsValid(request->state())) v.Add("state", "is not a CycleState value");
    if (!v.empty()) return v.ToStatus();
    const std::string& region = call.principal().region_code;
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<v1::Cycle>> cycles =
          PeerReviewStore::ListCycles(tx, region, request->state(), before_year, size + 1);
      if (!cycles.ok()) return cycles.status();
      absl::StatusOr<int64_t> total = PeerReviewStore::CountCycles(tx, region, request->state());
      if (!total.ok()) return total.status();
      for (int i = 0; i < static_cast<int>(cycles->size()) && i < size; ++i) {
        *response->add_cycles() = (*cycles)[i];
      }
      if (static_cast<int>(cycles->size()) > size) {
        response->mutable_page()->set_next_page_token(
            EncodePageToken("cycles", absl::StrCat((*cycles)[size - 1].year())));
      }
      response->mutable_page()->set_total_size(*total);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::AdvanceCycle(grpc::CallbackServerContext* context,
                                                              const v1::AdvanceCycleRequest* request,
                                                              v1::AdvanceCycleResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kAdvanceCycle,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->cycle_id(), "cycle_id", &v);
    if (request->target_state() == v1::CYCLE_STATE_UNSPECIFIED ||
        !IsCycleState(request->target_state())) {
      v.Add("target_state", "must be a cycle state (SELF_ASSESSMENT ... CLOSED)");
    }
    CheckText(request->note(), "note", TextRule{500, true, false}, &v);
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycle(tx, request->cycle_id());
      if (!stored.ok()) return stored.status();
      v1::Cycle& cycle = stored->cycle;
      absl::Status check = CheckRegion(call.principal(), cycle);
      if (check.ok()) check = CheckVersion(cycle, request->expected_version());
      if (!check.ok()) return check;
      CycleReadiness readiness;
      readiness.participants = cycle.participants_size();
      FieldViolations ignored;
      readiness.phases = ToPhaseDates(cycle.phases(), "phases", &ignored);
      absl::StatusOr<std::map<std::string, int>> states =
          PeerReviewStore::SelfAssessmentStates(tx, cycle.cycle_id());
      if (!states.ok()) return states.status();
      for (const auto& p : cycle.participants()) {
        auto it = states->find(p.la_code().value());
        const int state = it == states->end() ? 0 : it->second;
        if (state < v1::SELF_ASSESSMENT_STATE_SUBMITTED) readiness.not_submitted.push_back(p.la_code().value());
        if (state < v1::SELF_ASSESSMENT_STATE_MODERATED) readiness.not_moderated.push_back(p.la_code().value());
      }
      readiness.groups_accepted = cycle.groups_size() > 0;
      check = GatherEventReadiness(tx, cycle.cycle_id(), &readiness);
      if (!check.ok()) return check;
      const auto from = static_cast<CycleState>(cycle.state());
      const auto to = static_cast<CycleState>(request->target_state());
      check = CheckCycleAdvance(cycle.cycle_id(), from, to, readiness);
      if (!check.ok()) return check;
      if (to == CycleState::kSelfAssessment) {
        std::vector<std::string> las;
        for (const auto& p : cycle.participants()) las.push_back(p.la_code().value());
        check = PeerReviewStore::CreateDraftSelfAssessments(tx, cycle.cycle_id(), las);
        if (!check.ok()) return check;
      }
      v1::CycleTransition* transition = cycle.add_history();
      transition->set_from_state(cycle.state());
      transition->set_to_state(request->target_state());
      *transition->mutable_transition_time() = ToProtoTimestamp(absl::Now());
      transition->set_moved_by(call.principal().subject);
      transition->set_note(request->note());
      cycle.set_state(request->target_state());
      Touch(call, cycle);
      check = PeerReviewStore::UpdateCycle(tx, *stored);
      if (!check.ok()) return check;
      *response->mutable_cycle() = cycle;
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::DeclareConflictOfInterest(
    grpc::CallbackServerContext* context, const v1::DeclareConflictOfInterestRequest* request,
    v1::DeclareConflictOfInterestResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kDeclareConflictOfInterest,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->cycle_id(), "cycle_id", &v);
    for (const auto& [la, field] : {std::make_pair(request->pair().first().value(), "pair.first.value"),
                                    std::make_pair(request->pair().second().value(), "pair.second.value")}) {
      if (!IsLaCodeSyntax(la)) v.Add(field, "must be a DfE three-digit LA code, e.g. 873");
    }
    if (!v.empty()) return v.ToStatus();
    const Principal& principal = call.principal();
    const std::string& first = request->pair().first().value();
    const std::string& second = request->pair().second().value();
    if (!principal.HasRole(Role::kRegionalAdmin) && principal.la_code != first &&
        principal.la_code != second) {
      absl::Status status = absl::PermissionDeniedError(
          "a peer reviewer may declare only conflicts that involve its own LA");
      SetErrorInfo(status, "NOT_OWN_LA");
      return status;
    }
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycleOfRegion(tx, principal, request->cycle_id());
      if (!stored.ok()) return stored.status();
      v1::Cycle& cycle = stored->cycle;
      FieldViolations pair_violations;
      CheckPair(cycle, request->pair(), "pair", &pair_violations);
      if (!pair_violations.empty()) return pair_violations.ToStatus();
      if (cycle.state() >= v1::CYCLE_STATE_SUMMARY) {
        return FailedPreconditionError(
            absl::StrCat("cycle ", cycle.cycle_id(), " is past CHALLENGE: declarations are closed"),
            {{"STATE", absl::StrCat("cycle/", cycle.cycle_id()), "cycle in SUMMARY or CLOSED"}});
      }
      auto* list = cycle.mutable_conflicts_of_interest();
      auto same = [&](const v1::ConflictOfInterest& c) {
        const std::string& a = c.pair().first().value();
        const std::string& b = c.pair().second().value();
        return (a == first && b == second) || (a == second && b == first);
      };
      auto it = std::find_if(list->begin(), list->end(), same);
      if (request->withdraw()) {
        if (it == list->end()) {
          return absl::NotFoundError(absl::StrCat("no declared conflict between ", first, " and ", second));
        }
        list->erase(it);
      } else if (it == list->end()) {
        v1::ConflictOfInterest* added = list->Add();
        *added->mutable_pair() = request->pair();
        if (added->pair().first().value() > added->pair().second().value()) {
          std::swap(*added->mutable_pair()->mutable_first(), *added->mutable_pair()->mutable_second());
        }
        added->set_declared_by(principal.subject);
        *added->mutable_declare_time() = ToProtoTimestamp(absl::Now());
      }
      ++stored->inputs_version;
      Touch(call, cycle);
      absl::Status check = PeerReviewStore::UpdateCycle(tx, *stored);
      if (!check.ok()) return check;
      *response->mutable_cycle() = cycle;
      if (!request->withdraw()) {
        for (const v1::Group& group : cycle.groups()) {
          int found = 0;
          for (const auto& m : group.members()) found += m.value() == first || m.value() == second;
          if (found == 2) response->add_conflicting_group_ids(group.group_id());
        }
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ImportHistoricalGroups(
    grpc::CallbackServerContext* context, const v1::ImportHistoricalGroupsRequest* request,
    v1::ImportHistoricalGroupsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kImportHistoricalGroups,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    if (request->groups_size() == 0) v.Add("groups", "must hold at least one group");
    std::map<int, std::vector<std::vector<std::string>>> by_year;
    std::map<int, std::set<std::string>> seen;
    for (int i = 0; i < request->groups_size(); ++i) {
      const v1::HistoricalGroup& group = request->groups(i);
      const std::string field = absl::StrCat("groups[", i, "]");
      if (group.year() < 2000 || group.year() > 2100) v.Add(field + ".year", "must be between 2000 and 2100");
      if (group.members_size() < 2 || group.members_size() > 4) {
        v.Add(field + ".members", "a group has 2 to 4 members");
      }
      std::vector<std::string> members;
      for (int j = 0; j < group.members_size(); ++j) {
        const std::string& la = group.members(j).value();
        const std::string member_field = absl::StrCat(field, ".members[", j, "].value");
        ReadLaOfRegion(*context_.reference_data, la, context_.config->hub_region, member_field, &v);
        if (!seen[group.year()].insert(la).second) {
          v.Add(member_field, absl::StrCat(la, " is in more than one group of ", group.year()));
        }
        members.push_back(la);
      }
      by_year[group.year()].push_back(std::move(members));
    }
    if (!v.empty()) return v.ToStatus();
    const std::string& region = context_.config->hub_region;
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      for (const auto& [year, groups] : by_year) {
        absl::StatusOr<std::optional<StoredCycle>> cycle =
            PeerReviewStore::GetCycle(tx, absl::StrCat(region, "-", year));
        if (!cycle.ok()) return cycle.status();
        if (cycle->has_value()) {
          return FailedPreconditionError(
              absl::StrCat("slihub already holds the ", year, " cycle of ", region),
              {{"HISTORY", absl::StrCat("cycle/", region, "-", year),
                "a slihub cycle already holds that year"}});
        }
        absl::Status replaced = PeerReviewStore::ReplaceHistory(tx, region, year, groups);
        if (!replaced.ok()) return replaced;
      }
      absl::StatusOr<std::vector<int>> years = PeerReviewStore::HistoryYears(tx, region);
      if (!years.ok()) return years.status();
      response->set_groups_imported(request->groups_size());
      for (int year : *years) response->add_years(year);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ProposeGroups(grpc::CallbackServerContext* context,
                                                               const v1::ProposeGroupsRequest* request,
                                                               v1::ProposeGroupsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kProposeGroups,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->cycle_id(), "cycle_id", &v);
    if (!v.empty()) return v.ToStatus();
    const v1::GroupingConfig config = WithGroupingDefaults(request->config());
    // A retry gets the kept proposal without solving again.
    absl::StatusOr<bool> kept = FindKeptAnswer(*context_.database, call, request->request_id(),
                                               "request_id", *request, response);
    if (!kept.ok()) return kept.status();
    if (*kept) return absl::OkStatus();
    StoredCycle stored;
    std::vector<HistoryGroup> history;
    absl::Status read = context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> cycle = LoadCycle(tx, request->cycle_id());
      if (!cycle.ok()) return cycle.status();
      stored = *std::move(cycle);
      absl::StatusOr<std::vector<HistoryGroup>> past =
          PeerReviewStore::LoadHistory(tx, stored.cycle.region().value());
      if (!past.ok()) return past.status();
      history = *std::move(past);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    const v1::Cycle& cycle = stored.cycle;
    absl::Status check = CheckRegion(call.principal(), cycle);
    if (!check.ok()) return check;
    CheckConfig(config, cycle, &v);
    if (!v.empty()) return v.ToStatus();
    if (cycle.state() >= v1::CYCLE_STATE_CHALLENGE) {
      return FailedPreconditionError(
          absl::StrCat("cycle ", cycle.cycle_id(), " is in ", v1::CycleState_Name(cycle.state()),
                       ": groups can no longer change"),
          {{"STATE", absl::StrCat("cycle/", cycle.cycle_id()), "cycle in CHALLENGE or later"}});
    }
    absl::StatusOr<GroupingResult> solved =
        SolveGrouping(BuildProblem(cycle, *context_.reference_data, history, config));
    if (!solved.ok()) return absl::InvalidArgumentError(solved.status().message());
    const GroupingResult result = *std::move(solved);
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<int64_t> number = PeerReviewStore::NextProposalNumber(tx, stored.cycle.cycle_id());
      if (!number.ok()) return number.status();
      v1::GroupingProposal* proposal = response->mutable_proposal();
      proposal->set_proposal_id(absl::StrCat(stored.cycle.cycle_id(), "-P", *number));
      proposal->set_cycle_id(stored.cycle.cycle_id());
      proposal->set_cycle_version(stored.cycle.version());
      *proposal->mutable_config() = config;
      ToProto(result, proposal);
      common::v1::AuditInfo* audit = proposal->mutable_audit();
      *audit->mutable_create_time() = ToProtoTimestamp(absl::Now());
      audit->set_created_by(call.principal().subject);
      audit->set_request_id(call.request_id());
      return PeerReviewStore::InsertProposal(tx, *number, {*proposal, stored.inputs_version});
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::GetGroupingProposal(
    grpc::CallbackServerContext* context, const v1::GetGroupingProposalRequest* request,
    v1::GetGroupingProposalResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kGetGroupingProposal,
               [this, request, response](const CallInfo& call) -> absl::Status {
    if (request->proposal_id().empty()) {
      FieldViolations v;
      v.Add("proposal_id", "is required");
      return v.ToStatus();
    }
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::optional<StoredProposal>> found =
          PeerReviewStore::GetProposal(tx, request->proposal_id());
      if (!found.ok()) return found.status();
      if (!found->has_value()) return absl::NotFoundError(absl::StrCat("no proposal ", request->proposal_id()));
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), (*found)->proposal.cycle_id());
      if (!cycle.ok()) return cycle.status();
      *response->mutable_proposal() = std::move((*found)->proposal);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::ListGroupingProposals(
    grpc::CallbackServerContext* context, const v1::ListGroupingProposalsRequest* request,
    v1::ListGroupingProposalsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kListGroupingProposals,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckId(request->cycle_id(), "cycle_id", &v);
    const int size = ResolvePageSize(request->page().page_size(), "page.page_size", &v);
    const std::string after = DecodePageToken(absl::StrCat("proposals/", request->cycle_id()),
                                              request->page().page_token(), "page.page_token", &v);
    int64_t before = 0;
    if (!after.empty() && !absl::SimpleAtoi(after, &before)) {
      v.Add("page.page_token", "is not a page token from this list");
    }
    if (!v.empty()) return v.ToStatus();
    return context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> cycle = LoadCycleOfRegion(tx, call.principal(), request->cycle_id());
      if (!cycle.ok()) return cycle.status();
      absl::StatusOr<std::vector<StoredProposal>> proposals =
          PeerReviewStore::ListProposals(tx, request->cycle_id(), before, size + 1);
      if (!proposals.ok()) return proposals.status();
      for (int i = 0; i < static_cast<int>(proposals->size()) && i < size; ++i) {
        *response->add_proposals() = (*proposals)[i].proposal;
      }
      if (static_cast<int>(proposals->size()) > size) {
        const int64_t last = PeerReviewStore::ProposalNumber((*proposals)[size - 1].proposal.proposal_id());
        response->mutable_page()->set_next_page_token(
            EncodePageToken(absl::StrCat("proposals/", request->cycle_id()), absl::StrCat(last)));
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* PeerReviewServiceImpl::AcceptGroups(grpc::CallbackServerContext* context,
                                                              const v1::AcceptGroupsRequest* request,
                                                              v1::AcceptGroupsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kAcceptGroups,
               [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations v;
    CheckRequestId(request->request_id(), "request_id", &v);
    CheckId(request->cycle_id(), "cycle_id", &v);
    if (request->source_case() == v1::AcceptGroupsRequest::SOURCE_NOT_SET) {
      v.Add("proposal_id", "either proposal_id or manual is required");
    } else if (request->has_proposal_id() && request->proposal_id().empty()) {
      v.Add("proposal_id", "must not be empty");
    } else if (request->has_manual()) {
      if (request->manual().groups_size() == 0) v.Add("manual.groups", "must hold at least one group");
      for (int i = 0; i < request->manual().groups_size(); ++i) {
        const auto& group = request->manual().groups(i);
        for (int j = 0; j < group.members_size(); ++j) {
          if (!IsLaCodeSyntax(group.members(j).value())) {
            v.Add(absl::StrCat("manual.groups[", i, "].members[", j, "].value"),
                  "must be a DfE three-digit LA code, e.g. 873");
          }
        }
      }
    }
    if (!v.empty()) return v.ToStatus();
    return RunIdempotent(*context_.database, call, request->request_id(), "request_id", *request,
                         response,
                       [&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<StoredCycle> stored = LoadCycle(tx, request->cycle_id());
      if (!stored.ok()) return stored.status();
      v1::Cycle& cycle = stored->cycle;
      absl::Status check = CheckRegion(call.principal(), cycle);
      if (check.ok()) check = CheckVersion(cycle, request->expected_version());
      if (!check.ok()) return check;
      const std::string subject = absl::StrCat("cycle/", cycle.cycle_id());
      if (cycle.state() >= v1::CYCLE_STATE_CHALLENGE) {
        return FailedPreconditionError(
            absl::StrCat("cycle ", cycle.cycle_id(), " is in ", v1::CycleState_Name(cycle.state()),
                         ": groups can no longer change"),
            {{"STATE", subject, "cycle in CHALLENGE or later"}});
      }
      cycle.clear_groups();
      if (request->has_proposal_id()) {
        absl::StatusOr<std::optional<StoredProposal>> found =
            PeerReviewStore::GetProposal(tx, request->proposal_id());
        if (!found.ok()) return found.status();
        if (!found->has_value() || (*found)->proposal.cycle_id() != cycle.cycle_id()) {
          return absl::NotFoundError(
              absl::StrCat("cycle ", cycle.cycle_id(), " has no proposal ", request->proposal_id()));
        }
        const v1::GroupingProposal& proposal = (*found)->proposal;
        const std::string about = absl::StrCat("proposal/", proposal.proposal_id());
        if (proposal.outcome() != v1::PROPOSAL_OUTCOME_OPTIMAL &&
            proposal.outcome() != v1::PROPOSAL_OUTCOME_FEASIBLE) {
          return FailedPreconditionError(
              absl::StrCat("proposal ", proposal.proposal_id(), " has no groups (",
                           v1::ProposalOutcome_Name(proposal.outcome()), ")"),
              {{"PROPOSAL", about, "the proposal found no feasible grouping"}});
        }
        if ((*found)->inputs_version != stored->inputs_version) {
          return FailedPreconditionError(
              absl::StrCat("proposal ", proposal.proposal_id(),
                           " is stale: participants or conflicts changed since; propose again"),
              {{"STALE", about, "participants or declared conflicts changed after the proposal"}});
        }
        *cycle.mutable_groups() = proposal.groups();
        cycle.set_accepted_proposal_id(proposal.proposal_id());
        *response->mutable_constraints() = proposal.constraints();
      } else {
        absl::StatusOr<std::vector<HistoryGroup>> history =
            PeerReviewStore::LoadHistory(tx, cycle.region().value());
        if (!history.ok()) return history.status();
        v1::GroupingConfig config;
        config.set_group_size(2);
        config.set_no_repeat_cycles(kDefaultNoRepeatCycles);
        absl::StatusOr<std::vector<StoredProposal>> last =
            PeerReviewStore::ListProposals(tx, cycle.cycle_id(), 0, 1);
        if (!last.ok()) return last.status();
        if (!last->empty()) {
          config.set_no_repeat_cycles(last->front().proposal.config().no_repeat_cycles());
          *config.mutable_weights() = last->front().proposal.config().weights();
        }
        std::vector<std::vector<std::string>> groups;
        for (const auto& group : request->manual().groups()) {
          std::vector<std::string> members;
          for (const auto& m : group.members()) members.push_back(m.value());
          groups.push_back(std::move(members));
        }
        const GroupingResult result = EvaluateGrouping(
            BuildProblem(cycle, *context_.reference_data, *history, config), groups);
        if (result.outcome != Outcome::kFeasible) {
          const std::vector<PreconditionViolation> violated = ViolatedConstraints(result.constraints);
          return FailedPreconditionError(
              absl::StrCat("the groups break ", violated.size(), " hard constraint(s)"), violated);
        }
        for (const GroupResult& group : result.groups) ToProto(group, cycle.add_groups());
        cycle.clear_accepted_proposal_id();
        for (const ConstraintResult& c : result.constraints) ToProto(c, response->add_constraints());
      }
      std::vector<std::string> cancelled;
      check = CancelScheduledEvents(tx, call, cycle.cycle_id(), &cancelled);
      if (!check.ok()) return check;
      for (const std::string& id : cancelled) response->add_cancelled_event_ids(id);
      Touch(call, cycle);
      check = PeerReviewStore::UpdateCycle(tx, *stored);
      if (!check.ok()) return check;
      *response->mutable_cycle() = cycle;
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::peerreview
