#include "services/workforce/adapter/workforce_service.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/england_time.h"
#include "common/identity/tenancy.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/import_stream.h"
#include "services/workforce/domain/engagement_check.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

constexpr int kMaxBatch = 1000;

// The rule set and LA policy caches hold every region's and LA's version lists many times over,
// and are off, as the history cache is, when the memory cache is.
size_t ListCacheBytes(const ServerConfig& config) {
  return config.memory_cache_mb > 0 ? size_t{8} << 20 : 0;
}

// A rough size for a cached version list (each version with its caps, mappings and audit).
template <typename T>
size_t ListBytes(const std::vector<T>& list) {
  return sizeof(list) + list.size() * (sizeof(T) + 512);
}

// The heap a string holds beyond its own object (none while short enough to be inline).
size_t HeapBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

// The memory a cached worker history holds (about 2.6 KB with ten periods).
size_t HistoryBytes(const WorkerHistory& history) {
  size_t bytes = sizeof(history) + history.periods.capacity() * sizeof(EmploymentPeriod) +
                 history.register_checks.capacity() * sizeof(RegisterCheck);
  for (const EmploymentPeriod& p : history.periods) {
    bytes += HeapBytes(p.record_id) + HeapBytes(p.swe_number) + HeapBytes(p.la_code) +
             HeapBytes(p.region) + HeapBytes(p.local_job_title);
  }
  for (const RegisterCheck& c : history.register_checks) {
    bytes += HeapBytes(c.check_id) + HeapBytes(c.swe_number) + HeapBytes(c.checked_by) +
             c.conditions.capacity() * sizeof(std::string);
    for (const std::string& condition : c.conditions) bytes += HeapBytes(condition);
  }
  return bytes;
}

bool MayActFor(const Principal& who, const LocalAuthorityRecord& la) {
  return CheckActsForLa(who, la.la_code, la.region_code).ok();
}

pb::RecordOutcome ToProto(RecordResult r) {
  switch (r) {
    case RecordResult::kCreated: return pb::RECORD_OUTCOME_CREATED;
    case RecordResult::kUpdated: return pb::RECORD_OUTCOME_UPDATED;
    case RecordResult::kUnchanged: return pb::RECORD_OUTCOME_UNCHANGED;
  }
  return pb::RECORD_OUTCOME_UNSPECIFIED;
}

}  // namespace

WorkforceServiceImpl::WorkforceServiceImpl(const ServiceContext& context)
    : context_(context),
      rule_sets_(context.database, kRuleSetsChannel, ListCacheBytes(*context.config),
                 ListBytes<StoredRuleSet>),
      la_policies_(context.database, kLaPoliciesChannel, ListCacheBytes(*context.config),
                   ListBytes<StoredLaPolicy>),
      histories_(context.database, kWorkerHistoryChannel,
                 static_cast<size_t>(context.config->memory_cache_mb) << 20, HistoryBytes) {
  SetMessageAllocatorFor_CheckEngagement(&check_allocator_);
  StartFederation();
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::PublishRuleSet(
    grpc::CallbackServerContext* context, const v1::PublishRuleSetRequest* request,
    v1::PublishRuleSetResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kPublishRuleSet,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        if (!request->has_rule_set()) violations.Add("rule_set", "is required");
        RuleSet rule_set =
            ReadRuleSet(request->rule_set(), *context_.reference_data, "rule_set", &violations);
        if (!violations.empty()) return violations.ToStatus();
        if (rule_set.region != call.principal().region_code) {
          absl::Status status = absl::PermissionDeniedError(
              absl::StrCat("only a regional admin of ", rule_set.region,
                           " may publish its rule set"));
          SetErrorInfo(status, "REGION_OUT_OF_SCOPE", {{"region", rule_set.region}});
          return status;
        }
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<StoredRuleSet> stored = WorkforceStore::PublishRuleSet(
                  tx, rule_set, Meta(call, request->request_id()));
              if (!stored.ok()) return stored.status();
              ToProto(*stored, response->mutable_rule_set());
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetRuleSet(grpc::CallbackServerContext* context,
                                                           const v1::GetRuleSetRequest* request,
                                                           v1::GetRuleSetResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetRuleSet,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string region =
            request->has_region() ? request->region().value() : call.principal().region_code;
        if (context_.reference_data->FindRegion(region) == nullptr) {
          violations.Add("region.value", absl::StrCat("'", region, "' is not a region key"));
        }
        std::optional<absl::CivilDay> on;
        int64_t version = 0;
        ReadVersionSelector(*request, TodayInEngland(), &version, &on, &violations);
        if (!violations.empty()) return violations.ToStatus();
        std::vector<StoredRuleSet> versions;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<StoredRuleSet>> got =
                  WorkforceStore::ListRuleSets(tx, region);
              if (got.ok()) versions = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        const StoredRuleSet* found = nullptr;
        for (const StoredRuleSet& s : versions) {
          if (version > 0 ? s.rule_set.version == version : s.rule_set.effective_from <= *on) {
            found = &s;  // versions are in effective_from order: the last match is in force
          }
        }
        if (found == nullptr) {
          return absl::NotFoundError(
              version > 0 ? absl::StrCat("the ", region, " rule set has no version ", version)
                          : absl::StrCat("no ", region, " rule set is in force on ",
                                         FormatCivilDate(*on)));
        }
        ToProto(*found, response->mutable_rule_set());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListRuleSets(
    grpc::CallbackServerContext* context, const v1::ListRuleSetsRequest* request,
    v1::ListRuleSetsResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListRuleSets,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string region =
            request->has_region() ? request->region().value() : call.principal().region_code;
        if (context_.reference_data->FindRegion(region) == nullptr) {
          violations.Add("region.value", absl::StrCat("'", region, "' is not a region key"));
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string list = absl::StrCat("rule_sets/", region);
        const std::string after = DecodePageToken(list, request->page().page_token(),
                                                  "page.page_token", &violations);
        int64_t after_version = 0;
        if (!after.empty() && !absl::SimpleAtoi(after, &after_version)) {
          violations.Add("page.page_token", "is not a token this list made");
        }
        if (!violations.empty()) return violations.ToStatus();
        std::vector<StoredRuleSet> versions;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<StoredRuleSet>> got =
                  WorkforceStore::ListRuleSets(tx, region);
              if (got.ok()) versions = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        response->mutable_page()->set_total_size(static_cast<int64_t>(versions.size()));
        int64_t last = 0;
        for (const StoredRuleSet& s : versions) {
          if (s.rule_set.version <= after_version) continue;
          if (response->rule_sets_size() == page_size) {
            response->mutable_page()->set_next_page_token(
                EncodePageToken(list, absl::StrCat(last)));
            break;
          }
          ToProto(s, response->add_rule_sets());
          last = s.rule_set.version;
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::RecordEmploymentPeriod(
    grpc::CallbackServerContext* context, const v1::RecordEmploymentPeriodRequest* request,
    v1::RecordEmploymentPeriodResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kRecordEmploymentPeriod,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        if (!request->has_period()) violations.Add("period", "is required");
        std::vector<FieldViolation> period_violations;
        EmploymentPeriod period =
            ReadPeriod(request->period(), *context_.reference_data, &period_violations);
        violations.AddNested("period", period_violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope =
            call.ActsForLa(*context_.reference_data->FindLocalAuthority(period.la_code));
        if (!scope.ok()) return scope;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<std::optional<FieldViolation>> unmapped =
                  MapPeriodTitle(tx, &period);
              if (!unmapped.ok()) return unmapped.status();
              if (unmapped->has_value()) {
                return InvalidArgumentError(
                    "unmapped local job title",
                    {{"period." + (*unmapped)->field, (*unmapped)->description}});
              }
              StoredPeriod stored;
              absl::StatusOr<RecordResult> result = WorkforceStore::RecordPeriod(
                  tx, period, Meta(call, request->request_id()), &stored);
              if (!result.ok()) return result.status();
              ToProto(stored, response->mutable_period());
              response->set_outcome(ToProto(*result));
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::BatchRecordEmploymentPeriods(
    grpc::CallbackServerContext* context, const v1::BatchRecordEmploymentPeriodsRequest* request,
    v1::BatchRecordEmploymentPeriodsResponse* response) {
  return HandleUnary(context_.runtime, context, methods::kBatchRecordEmploymentPeriods,
                     [this, request, response](const CallInfo& call) {
                       return RecordBatch(call, *request, response);
                     });
}

grpc::ServerReadReactor<v1::ImportEmploymentPeriodsRequest>*
WorkforceServiceImpl::ImportEmploymentPeriods(grpc::CallbackServerContext* context,
                                              v1::ImportEmploymentPeriodsResponse* response) {
  return new ImportStreamReactor(
      context_.runtime, context, methods::kImportEmploymentPeriods,
      [this](const CallInfo& call, const v1::BatchRecordEmploymentPeriodsRequest& chunk,
             v1::BatchRecordEmploymentPeriodsResponse* result) {
        return RecordBatch(call, chunk, result);
      },
      response);
}

absl::Status WorkforceServiceImpl::RecordBatch(
    const CallInfo& call,
    const v1::BatchRecordEmploymentPeriodsRequest& batch,
    v1::BatchRecordEmploymentPeriodsResponse* response) const {
  const v1::BatchRecordEmploymentPeriodsRequest* request = &batch;
  FieldViolations violations;
  CheckRequestId(request->request_id(), "request_id", &violations);
  if (request->periods_size() == 0 || request->periods_size() > kMaxBatch) {
    violations.Add("periods", absl::StrCat("must hold 1 to ", kMaxBatch, " periods, not ",
                                           request->periods_size()));
  }
  if (!violations.empty()) return violations.ToStatus();

  const int n = request->periods_size();
  std::vector<std::optional<EmploymentPeriod>> accepted(n);
  std::vector<std::vector<FieldViolation>> rejected(n);
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < n; ++i) {
    const v1::EmploymentPeriod& in = request->periods(i);
    EmploymentPeriod period = ReadPeriod(in, *context_.reference_data, &rejected[i]);
    if (!period.la_code.empty()) {
      if (!MayActFor(call.principal(),
                     *context_.reference_data->FindLocalAuthority(period.la_code))) {
        rejected[i].push_back({"la_code.value", "the caller may not record periods for "
                                                "this LA"});
      }
      if (!seen.insert({period.la_code, period.record_id}).second) {
        rejected[i].push_back({"record_id", "appears earlier in the batch for this LA"});
      }
    }
    if (rejected[i].empty()) accepted[i] = std::move(period);
  }
  return RunIdempotent(
      *context_.database, call, request->request_id(), "request_id", *request, response,
      [&](store::Transaction& tx) -> absl::Status {
        const WriteMeta meta = Meta(call, request->request_id());
        for (int i = 0; i < n; ++i) {
          if (!accepted[i].has_value()) continue;
          absl::StatusOr<std::optional<FieldViolation>> unmapped =
              MapPeriodTitle(tx, &*accepted[i]);
          if (!unmapped.ok()) return unmapped.status();
          if (unmapped->has_value()) {
            rejected[i].push_back(**unmapped);
            accepted[i].reset();
          }
        }
        std::vector<const EmploymentPeriod*> to_record;
        for (const std::optional<EmploymentPeriod>& period : accepted) {
          if (period.has_value()) to_record.push_back(&*period);
        }
        absl::StatusOr<std::vector<WorkforceStore::PeriodRecord>> recorded =
            WorkforceStore::RecordPeriods(tx, to_record, meta);
        if (!recorded.ok()) return recorded.status();
        v1::RecordCounts* counts = response->mutable_counts();
        size_t next = 0;
        for (int i = 0; i < n; ++i) {
          v1::EmploymentPeriodResult* result = response->add_results();
          result->set_index(i);
          result->set_record_id(request->periods(i).record_id());
          if (!accepted[i].has_value()) {
            result->set_outcome(v1::RECORD_OUTCOME_REJECTED);
            for (const FieldViolation& fv : rejected[i]) {
              auto* out = result->add_violations();
              out->set_field(fv.field);
              out->set_description(fv.description);
            }
            counts->set_rejected(counts->rejected() + 1);
            continue;
          }
          const WorkforceStore::PeriodRecord& record = (*recorded)[next++];
          result->set_outcome(ToProto(record.result));
          result->set_version(record.stored.version);
          switch (record.result) {
            case RecordResult::kCreated: counts->set_created(counts->created() + 1); break;
            case RecordResult::kUpdated: counts->set_updated(counts->updated() + 1); break;
            case RecordResult::kUnchanged:
              counts->set_unchanged(counts->unchanged() + 1);
              break;
          }
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::RecordRegisterCheck(
    grpc::CallbackServerContext* context, const v1::RecordRegisterCheckRequest* request,
    v1::RecordRegisterCheckResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kRecordRegisterCheck,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        RegisterCheck check;
        check.swe_number = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        if (request->source() == v1::REGISTER_CHECK_SOURCE_UNSPECIFIED ||
            request->source() == v1::REGISTER_CHECK_SOURCE_MANUAL_ATTESTATION) {
          check.source = v1::REGISTER_CHECK_SOURCE_MANUAL_ATTESTATION;
        } else {
          violations.Add("source", "must be MANUAL_ATTESTATION (the only adapter so far)");
        }
        if (request->status() <= 0 || request->status() > kMaxRegisterStatus) {
          violations.Add("status", "must be set");
        }
        check.status = static_cast<RegisterStatus>(request->status());
        if (request->conditions_size() > 50) violations.Add("conditions", "must be at most 50");
        for (int i = 0; i < request->conditions_size() && i < 50; ++i) {
          const std::string& c = request->conditions(i);
          CheckText(c, absl::StrCat("conditions[", i, "]"), TextRule{500, false, true},
                    &violations);
          check.conditions.push_back(c);
        }
        const absl::Time now = absl::Now();
        if (!request->has_checked_at()) {
          violations.Add("checked_at", "is required");
        } else {
          absl::StatusOr<absl::Time> at = FromProtoTimestamp(request->checked_at());
          if (!at.ok()) {
            violations.Add("checked_at", std::string(at.status().message()));
          } else if (*at > now + absl::Minutes(5)) {
            violations.Add("checked_at", "must not be in the future");
          } else if (*at < StartOfEnglandDay(absl::CivilDay(2019, 12, 2))) {
            violations.Add("checked_at", "must not be before Social Work England's register "
                                         "opened (2 December 2019)");
          } else {
            check.checked_at = absl::FromUnixMicros(absl::ToUnixMicros(*at));
          }
        }
        CheckText(request->checked_by(), "checked_by", TextRule{128, false, false}, &violations);
        check.checked_by =
            request->checked_by().empty() ? call.principal().subject : request->checked_by();
        if (!violations.empty()) return violations.ToStatus();
        // Whose check it is: an LA officer's decides its own LA's checks only; a regional
        // admin's or the register service's is the hub's and counts for every LA.
        check.recorder_la = IsRegionWide(call.principal()) ? std::string(kHubRecorder)
                                                           : call.principal().la_code;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<StoredRegisterCheck> stored = WorkforceStore::RecordRegisterCheck(
                  tx, check, Meta(call, request->request_id()));
              if (!stored.ok()) return stored.status();
              v1::RegisterCheck* out = response->mutable_register_check();
              ToProto(stored->check, out);
              ToProto(stored->audit, out->mutable_audit());
              return absl::OkStatus();
            });
      });
}

absl::StatusOr<WorkforceServiceImpl::RuleSetList> WorkforceServiceImpl::RuleSets(
    store::Transaction& tx, const std::string& region, store::CacheTicket ticket) const {
  return rule_sets_.FindOrLoad(region, ticket,
                               [&] { return WorkforceStore::ListRuleSets(tx, region); });
}

absl::StatusOr<WorkforceServiceImpl::LaPolicyList> WorkforceServiceImpl::LaPolicies(
    store::Transaction& tx, const std::string& la_code, store::CacheTicket ticket) const {
  return la_policies_.FindOrLoad(la_code, ticket,
                                 [&] { return WorkforceStore::ListLaPolicies(tx, la_code); });
}

absl::StatusOr<std::optional<FieldViolation>> WorkforceServiceImpl::MapPeriodTitle(
    store::Transaction& tx, EmploymentPeriod* period) const {
  if (period->job_type != JobType::kUnspecified) return std::optional<FieldViolation>();
  // A write transaction reads the latest commit, so a ticket taken now is good.
  absl::StatusOr<LaPolicyList> policies =
      LaPolicies(tx, period->la_code, la_policies_.Ticket(period->la_code));
  if (!policies.ok()) return policies.status();
  std::vector<LaPolicy> versions;
  for (const StoredLaPolicy& s : **policies) versions.push_back(s.policy);
  const LaPolicy* policy = PolicyInForce(versions, period->start_date);
  std::optional<JobType> mapped;
  if (policy != nullptr) mapped = policy->MapTitle(period->local_job_title);
  if (mapped.has_value()) {
    period->job_type = *mapped;
    return std::optional<FieldViolation>();
  }
  return std::optional<FieldViolation>(FieldViolation{
      "local_job_title", absl::StrCat("is not mapped to a job type by LA ", period->la_code,
                                      "'s workforce policy in force on ",
                                      FormatCivilDate(period->start_date),
                                      "; set job_type or publish a mapping")});
}

}  // namespace slihub::workforce
