// CheckEngagement's path: reading the terms, the caches and the store reads behind them, and the
// evaluation against the rule set and LA policy in force. Answered on gRPC's callback thread when
// the coherent caches hold everything it reads.
#include "services/workforce/adapter/workforce_service.h"

#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/errors/errors.h"
#include "common/federation/federation_info.h"
#include "common/federation/region_outcome.h"
#include "common/identity/tenancy.h"
#include "common/server/request_fields.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/domain/engagement_check.h"
#include "services/workforce/domain/rule_exception.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {

void WorkforceServiceImpl::ReadHubTerms(const v1::EngagementTerms& in, const std::string& field,
                                        FieldViolations* violations, EngagementTerms* terms,
                                        const LocalAuthorityRecord** la) const {
  *terms = ReadTerms(in, *context_.reference_data, field, violations, la);
  const std::string& hub = context_.config->hub_region;
  if (*la != nullptr && (*la)->region_code != hub) {
    violations->Add(Path(field, "la_code.value"),
                    absl::StrCat("is an LA of the ", (*la)->region_code,
                                 " region; this hub checks engagements for ", hub));
  }
}

bool WorkforceServiceImpl::FindCheckData(const std::string& region,
                                         const EngagementTerms& terms, CheckData* data) const {
  data->rule_sets_ticket = rule_sets_.Ticket(region);
  data->policies_ticket = la_policies_.Ticket(terms.la_code);
  data->history_ticket = histories_.Ticket(terms.swe_number);
  data->rule_sets = rule_sets_.Find(region);
  data->policies = la_policies_.Find(terms.la_code);
  data->history = histories_.Find(terms.swe_number);
  return data->rule_sets != nullptr && data->policies != nullptr && data->history != nullptr;
}

absl::Status WorkforceServiceImpl::LoadCheckData(store::Transaction& tx, const std::string& region,
                                                 const EngagementTerms& terms,
                                                 CheckData* data) const {
  // FindCheckData has just missed these: read them, without looking in the caches again.
  if (data->rule_sets == nullptr) {
    absl::StatusOr<RuleSetList> read = rule_sets_.LoadAndOffer(
        region, data->rule_sets_ticket, [&] { return WorkforceStore::ListRuleSets(tx, region); });
    if (!read.ok()) return read.status();
    data->rule_sets = *std::move(read);
  }
  if (data->policies == nullptr) {
    absl::StatusOr<LaPolicyList> read =
        la_policies_.LoadAndOffer(terms.la_code, data->policies_ticket, [&] {
          return WorkforceStore::ListLaPolicies(tx, terms.la_code);
        });
    if (!read.ok()) return read.status();
    data->policies = *std::move(read);
  }
  if (data->history == nullptr) {
    absl::StatusOr<std::shared_ptr<const WorkerHistory>> read =
        histories_.LoadAndOffer(terms.swe_number, data->history_ticket, [&] {
          return WorkforceStore::ReadWorkerHistory(tx, terms.swe_number);
        });
    if (!read.ok()) return read.status();
    data->history = *std::move(read);
  }
  return absl::OkStatus();
}

absl::StatusOr<CheckResult> WorkforceServiceImpl::Evaluate(store::Transaction& tx,
                                                           EngagementTerms* terms,
                                                           const std::string& region,
                                                           absl::CivilDay on) const {
  // A write transaction reads the latest commit, so tickets taken now are good.
  CheckData data;
  if (!FindCheckData(region, *terms, &data)) {
    absl::Status loaded = LoadCheckData(tx, region, *terms, &data);
    if (!loaded.ok()) return loaded;
  }
  return Evaluate(data, terms, region, on);
}

absl::StatusOr<CheckResult> WorkforceServiceImpl::Evaluate(const CheckData& data,
                                                           EngagementTerms* terms,
                                                           const std::string& region,
                                                           absl::CivilDay on,
                                                           const NationalFacts* national) const {
  const WorkerHistory& history = *data.history;
  const LaPolicy* mapping_policy = nullptr;
  const LaPolicy* notice_policy = nullptr;
  for (const StoredLaPolicy& s : *data.policies) {  // effective_from order: last match in force
    if (s.policy.effective_from <= terms->start_date) mapping_policy = &s.policy;
    if (s.policy.effective_from <= on) notice_policy = &s.policy;
  }
  if (terms->job_type == JobType::kUnspecified) {
    std::optional<JobType> mapped;
    if (mapping_policy != nullptr) mapped = mapping_policy->MapTitle(terms->local_job_title);
    if (!mapped.has_value()) {
      return InvalidArgumentError(
          "unmapped local job title",
          {{"terms.local_job_title",
            absl::StrCat("'", terms->local_job_title, "' is not mapped to a job type by LA ",
                         terms->la_code, "'s workforce policy in force on ",
                         FormatCivilDate(terms->start_date))}});
    }
    terms->job_type = *mapped;
  }
  const RuleSet* in_force = nullptr;
  for (const StoredRuleSet& s : *data.rule_sets) {
    if (s.rule_set.effective_from <= on) in_force = &s.rule_set;  // effective_from order
  }
  if (in_force == nullptr) {
    return FailedPreconditionError(
        absl::StrCat("no ", region, " rule set is in force on ", FormatCivilDate(on)),
        {{"RULE_SET", absl::StrCat("region/", region),
          "publish a rule set effective on or before the start date"}});
  }
  CheckInputs inputs;
  inputs.evaluated_on = on;
  inputs.region = region;
  inputs.rule_set = in_force;
  if (notice_policy != nullptr) {
    inputs.la_permanent_notice_weeks = notice_policy->NoticeFor(terms->job_type);
    inputs.la_policy_version = notice_policy->version;
  }
  inputs.history = &history.periods;
  inputs.register_checks = &history.register_checks;
  if (national == nullptr) return EvaluateEngagement(*terms, inputs);
  // A national check: the local history with what the other regions' hubs hold.
  std::vector<EmploymentPeriod> periods = history.periods;
  std::vector<RegisterCheck> checks = history.register_checks;
  MergeRegionFacts(national->answered, &periods, &checks);
  inputs.history = &periods;
  inputs.register_checks = &checks;
  inputs.missing_regions = national->missing_regions;
  return EvaluateEngagement(*terms, inputs);
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::CheckEngagement(
    grpc::CallbackServerContext* context, const v1::CheckEngagementRequest* request,
    v1::CheckEngagementResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kCheckEngagement,
      [this, request, response](const CallInfo& call) {
        return Check(call, *request, /*may_block=*/false, response);
      },
      [this, request, response](const CallInfo& call) {
        return *Check(call, *request, /*may_block=*/true, response);
      });
}

std::optional<absl::Status> WorkforceServiceImpl::Check(
    const CallInfo& call, const v1::CheckEngagementRequest& request, bool may_block,
    v1::CheckEngagementResponse* response) const {
  FieldViolations violations;
  const LocalAuthorityRecord* la = nullptr;
  EngagementTerms terms;
  ReadHubTerms(request.terms(), "terms", &violations, &terms, &la);
  std::optional<absl::CivilDay> as_of;
  as_of = ReadOptionalDate(request.as_of(), request.has_as_of(), "as_of", &violations);
  const cpb::RegionScope scope = request.scope() == cpb::REGION_SCOPE_UNSPECIFIED
                                     ? cpb::REGION_SCOPE_OWN_REGION
                                     : request.scope();
  if (scope != cpb::REGION_SCOPE_OWN_REGION && scope != cpb::REGION_SCOPE_NATIONAL) {
    violations.Add("scope", "must be OWN_REGION or NATIONAL");
  }
  if (!federation::IsKnownMode(request.federation_mode())) {
    violations.Add("federation_mode", "is not a federation mode");
  }
  CheckExceptionIds(request.exception_ids(), &violations);
  if (!violations.empty()) return violations.ToStatus();
  // A national check asks the other regions' hubs: never on gRPC's thread.
  const bool national = scope == cpb::REGION_SCOPE_NATIONAL;
  if (national && !may_block) return std::nullopt;
  absl::Status scope_ok =
      call.ActsForLa(*la);
  if (!scope_ok.ok()) return scope_ok;
  // Answered from the caches, with no transaction, when they hold everything it reads.
  CheckData data;
  const bool cached = FindCheckData(la->region_code, terms, &data);
  std::vector<RuleException> exceptions;
  if (!cached || !request.exception_ids().empty()) {
    if (!may_block) return std::nullopt;
    absl::Status read = context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      absl::Status loaded = LoadCheckData(tx, la->region_code, terms, &data);
      if (!loaded.ok()) return loaded;
      return LoadExceptions(tx, request.exception_ids(), &exceptions, nullptr);
    });
    if (!read.ok()) return read;
  }
  std::optional<NationalFacts> others;
  if (national) {
    others = AskOtherRegions(terms.swe_number);
    if (federation::IsStrict(request.federation_mode())) {
      absl::Status every = federation::RequireEveryRegion(others->outcomes);
      if (!every.ok()) return every;
    }
  }
  absl::StatusOr<CheckResult> result =
      Evaluate(data, &terms, la->region_code, as_of.value_or(terms.start_date),
               others.has_value() ? &*others : nullptr);
  if (!result.ok()) return result.status();
  absl::Status covered = ApplyExceptions(exceptions, terms, TodayInEngland(), &*result);
  if (!covered.ok()) return covered;
  const bool withhold = call.principal().region_code != la->region_code;
  const absl::Time now = absl::Now();
  ToProto(*result, withhold, now, response->mutable_check());
  FillFederation(scope,
                 others.has_value() ? others->outcomes
                                    : OwnRegionOnly(context_.config->hub_region, {}, scope, "",
                                                    now),
                 now, response->mutable_federation());
  return absl::OkStatus();
}

}  // namespace slihub::workforce
