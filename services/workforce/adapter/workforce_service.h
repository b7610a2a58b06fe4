// The WorkforceService gRPC adapter: validates requests, checks the caller's LA and region,
// translates to the domain and the store, and back. No rules live here.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_SERVICE_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_SERVICE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "common/federation/federation.h"
#include "common/server/arena_message_allocator.h"
#include "common/server/service_context.h"
#include "common/server/unary_call.h"
#include "common/store/coherent_cache.h"
#include "services/workforce/adapter/compliance_feed.h"
#include "services/workforce/adapter/national_merge.h"
#include "services/workforce/client/workforce_hub_connection.h"
#include "services/workforce/domain/engagement_check.h"
#include "services/workforce/domain/rule_exception.h"
#include "services/workforce/store/workforce_store.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"

namespace slihub::workforce {

// Serves rule sets, LA workforce policies (publish, get, list), workers (get, list),
// employment history (record, batch, list, delete), register checks (record, list),
// qualifying experience, CheckEngagement, the engagement register (create, get, list, update,
// end), exceptions (request, approve, reject, get, list), cap breaches, the quarterly return and
// the compliance summary; ImportEmploymentPeriods streams history in chunks of the batch RPC.
// Federation: LookupWorkerFacts and LookupComplianceSummary answer other regions' hubs;
// CheckEngagement, GetQualifyingExperience and GetComplianceSummary at NATIONAL scope ask them
// through a WorkforceHubConnection.
// Thread-safe; borrows the context's members.
class WorkforceServiceImpl final : public v1::WorkforceService::CallbackService {
 public:
  explicit WorkforceServiceImpl(const ServiceContext& context);

  grpc::ServerUnaryReactor* PublishRuleSet(grpc::CallbackServerContext* context,
                                           const v1::PublishRuleSetRequest* request,
                                           v1::PublishRuleSetResponse* response) override;
  grpc::ServerUnaryReactor* GetRuleSet(grpc::CallbackServerContext* context,
                                       const v1::GetRuleSetRequest* request,
                                       v1::GetRuleSetResponse* response) override;
  grpc::ServerUnaryReactor* ListRuleSets(grpc::CallbackServerContext* context,
                                         const v1::ListRuleSetsRequest* request,
                                         v1::ListRuleSetsResponse* response) override;
  grpc::ServerUnaryReactor* RecordEmploymentPeriod(
      grpc::CallbackServerContext* context, const v1::RecordEmploymentPeriodRequest* request,
      v1::RecordEmploymentPeriodResponse* response) override;
  grpc::ServerUnaryReactor* BatchRecordEmploymentPeriods(
      grpc::CallbackServerContext* context,
      const v1::BatchRecordEmploymentPeriodsRequest* request,
      v1::BatchRecordEmploymentPeriodsResponse* response) override;
  grpc::ServerReadReactor<v1::ImportEmploymentPeriodsRequest>* ImportEmploymentPeriods(
      grpc::CallbackServerContext* context,
      v1::ImportEmploymentPeriodsResponse* response) override;
  grpc::ServerUnaryReactor* RecordRegisterCheck(grpc::CallbackServerContext* context,
                                                const v1::RecordRegisterCheckRequest* request,
                                                v1::RecordRegisterCheckResponse* response) override;
  grpc::ServerUnaryReactor* CheckEngagement(grpc::CallbackServerContext* context,
                                            const v1::CheckEngagementRequest* request,
                                            v1::CheckEngagementResponse* response) override;
  grpc::ServerUnaryReactor* CreateEngagement(grpc::CallbackServerContext* context,
                                             const v1::CreateEngagementRequest* request,
                                             v1::CreateEngagementResponse* response) override;
  grpc::ServerUnaryReactor* GetEngagement(grpc::CallbackServerContext* context,
                                          const v1::GetEngagementRequest* request,
                                          v1::GetEngagementResponse* response) override;
  grpc::ServerUnaryReactor* ListEngagements(grpc::CallbackServerContext* context,
                                            const v1::ListEngagementsRequest* request,
                                            v1::ListEngagementsResponse* response) override;
  grpc::ServerUnaryReactor* ListEmploymentPeriods(
      grpc::CallbackServerContext* context, const v1::ListEmploymentPeriodsRequest* request,
      v1::ListEmploymentPeriodsResponse* response) override;
  grpc::ServerUnaryReactor* ListRegisterChecks(grpc::CallbackServerContext* context,
                                               const v1::ListRegisterChecksRequest* request,
                                               v1::ListRegisterChecksResponse* response) override;
  grpc::ServerUnaryReactor* RequestException(grpc::CallbackServerContext* context,
                                             const v1::RequestExceptionRequest* request,
                                             v1::RequestExceptionResponse* response) override;
  grpc::ServerUnaryReactor* ApproveException(grpc::CallbackServerContext* context,
                                             const v1::ApproveExceptionRequest* request,
                                             v1::ApproveExceptionResponse* response) override;
  grpc::ServerUnaryReactor* GetException(grpc::CallbackServerContext* context,
                                         const v1::GetExceptionRequest* request,
                                         v1::GetExceptionResponse* response) override;
  grpc::ServerUnaryReactor* UpdateEngagement(grpc::CallbackServerContext* context,
                                             const v1::UpdateEngagementRequest* request,
                                             v1::UpdateEngagementResponse* response) override;
  grpc::ServerUnaryReactor* EndEngagement(grpc::CallbackServerContext* context,
                                          const v1::EndEngagementRequest* request,
                                          v1::EndEngagementResponse* response) override;
  grpc::ServerUnaryReactor* RejectException(grpc::CallbackServerContext* context,
                                            const v1::RejectExceptionRequest* request,
                                            v1::RejectExceptionResponse* response) override;
  grpc::ServerUnaryReactor* ListExceptions(grpc::CallbackServerContext* context,
                                           const v1::ListExceptionsRequest* request,
                                           v1::ListExceptionsResponse* response) override;
  grpc::ServerUnaryReactor* ListCapBreaches(grpc::CallbackServerContext* context,
                                            const v1::ListCapBreachesRequest* request,
                                            v1::ListCapBreachesResponse* response) override;
  grpc::ServerUnaryReactor* PublishLaWorkforcePolicy(
      grpc::CallbackServerContext* context, const v1::PublishLaWorkforcePolicyRequest* request,
      v1::PublishLaWorkforcePolicyResponse* response) override;
  grpc::ServerUnaryReactor* GetLaWorkforcePolicy(
      grpc::CallbackServerContext* context, const v1::GetLaWorkforcePolicyRequest* request,
      v1::GetLaWorkforcePolicyResponse* response) override;
  grpc::ServerUnaryReactor* ListLaWorkforcePolicies(
      grpc::CallbackServerContext* context, const v1::ListLaWorkforcePoliciesRequest* request,
      v1::ListLaWorkforcePoliciesResponse* response) override;
  grpc::ServerUnaryReactor* GetWorker(grpc::CallbackServerContext* context,
                                      const v1::GetWorkerRequest* request,
                                      v1::GetWorkerResponse* response) override;
  grpc::ServerUnaryReactor* ListWorkers(grpc::CallbackServerContext* context,
                                        const v1::ListWorkersRequest* request,
                                        v1::ListWorkersResponse* response) override;
  grpc::ServerUnaryReactor* DeleteEmploymentPeriod(
      grpc::CallbackServerContext* context, const v1::DeleteEmploymentPeriodRequest* request,
      v1::DeleteEmploymentPeriodResponse* response) override;
  grpc::ServerUnaryReactor* GetQualifyingExperience(
      grpc::CallbackServerContext* context, const v1::GetQualifyingExperienceRequest* request,
      v1::GetQualifyingExperienceResponse* response) override;
  grpc::ServerUnaryReactor* LookupWorkerFacts(grpc::CallbackServerContext* context,
                                              const v1::LookupWorkerFactsRequest* request,
                                              v1::LookupWorkerFactsResponse* response) override;
  grpc::ServerUnaryReactor* GenerateQuarterlyReturn(
      grpc::CallbackServerContext* context, const v1::GenerateQuarterlyReturnRequest* request,
      v1::GenerateQuarterlyReturnResponse* response) override;
  grpc::ServerUnaryReactor* GetComplianceSummary(
      grpc::CallbackServerContext* context, const v1::GetComplianceSummaryRequest* request,
      v1::GetComplianceSummaryResponse* response) override;
  grpc::ServerUnaryReactor* LookupComplianceSummary(
      grpc::CallbackServerContext* context, const v1::LookupComplianceSummaryRequest* request,
      v1::LookupComplianceSummaryResponse* response) override;

 private:
  // BatchRecordEmploymentPeriods' body (also each chunk of ImportEmploymentPeriods): validates
  // every period, records the good ones in one transaction and reports each one's outcome;
  // idempotent under the call's method and the batch's request_id.
  absl::Status RecordBatch(const CallInfo& call,
                           const v1::BatchRecordEmploymentPeriodsRequest& batch,
                           v1::BatchRecordEmploymentPeriodsResponse* response) const;
  // CheckEngagement's body. When `may_block` is false it answers only from the in-process caches,
  // returning nullopt (with `response` untouched) when it would need the store.
  std::optional<absl::Status> Check(const CallInfo& call,
                                    const v1::CheckEngagementRequest& request, bool may_block,
                                    v1::CheckEngagementResponse* response) const;
  // Reads `in` as terms (violations under `field`), requiring the engaging LA to be in the hub's
  // region; `la` receives the LA (nullptr when invalid).
  void ReadHubTerms(const v1::EngagementTerms& in, const std::string& field,
                    FieldViolations* violations, EngagementTerms* terms,
                    const LocalAuthorityRecord** la) const;
  // Asks every other region's hub for `swe`'s facts (LookupWorkerFacts) in one fan-out, through
  // the federation's cache keyed by the worker's history change key. Blocks up to the
  // federation deadline: call on the worker pool. Without a federation, every other region is
  // UNAVAILABLE. Never fails: a region's failure is its outcome.
  using RuleSetList = std::shared_ptr<const std::vector<StoredRuleSet>>;
  using LaPolicyList = std::shared_ptr<const std::vector<StoredLaPolicy>>;

  // What a check reads, shared with the in-process caches: the region's rule set versions, the
  // LA's policy versions (both oldest effective_from first) and the worker's history, with the
  // tickets to offer what a store read fills in.
  struct CheckData {
    store::CacheTicket rule_sets_ticket, policies_ticket, history_ticket;
    RuleSetList rule_sets;
    LaPolicyList policies;
    std::shared_ptr<const WorkerHistory> history;
  };
  // Takes the fill tickets for a check of `terms` in `region`, then what the caches hold;
  // returns true when they held all three. Call before the transaction that fills the rest.
  bool FindCheckData(const std::string& region, const EngagementTerms& terms,
                     CheckData* data) const;
  // Reads in `tx` what `data` is missing, offering each to its cache.
  absl::Status LoadCheckData(store::Transaction& tx, const std::string& region,
                             const EngagementTerms& terms, CheckData* data) const;
  // Evaluates `terms` on `on` against `data`, first resolving a local job title through the LA
  // policy in force on the start date (InvalidArgument on terms.local_job_title when
  // unmapped). FailedPrecondition when no rule set of `region` is in force on `on`.
  // With `national` set, the worker's history is the local one merged with the other regions'
  // facts, and the rules know the missing regions.
  absl::StatusOr<CheckResult> Evaluate(const CheckData& data, EngagementTerms* terms,
                                       const std::string& region, absl::CivilDay on,
                                       const NationalFacts* national = nullptr) const;
  // The same in the write transaction `tx`, reading what the caches miss in it.
  absl::StatusOr<CheckResult> Evaluate(store::Transaction& tx, EngagementTerms* terms,
                                       const std::string& region, absl::CivilDay on) const;

  // Maps the local title of `period` when its job type is unset, through its LA's policy in
  // force on its start date. Returns a violation (local_job_title) when the title is unmapped.
  absl::StatusOr<std::optional<FieldViolation>> MapPeriodTitle(store::Transaction& tx,
                                                               EmploymentPeriod* period) const;

  NationalFacts AskOtherRegions(const std::string& swe) const;
  // Every region of England but this hub's, in code order.
  std::vector<std::string> OtherRegions() const;
  // At construction: follows the worker history channel into the federation's change log and
  // starts the compliance feed (so peers' cached lookups are invalidated), and makes the hub
  // connection (a stub per configured peer).
  void StartFederation();

  // The hub's region's compliance over [first, last]: one row per LA of the region (LA code
  // order, region set) and the region total (la_code unset). Reads the store.
  struct RegionCompliance {
    std::vector<v1::LaComplianceSummary> las;
    v1::LaComplianceSummary total;
  };
  absl::StatusOr<RegionCompliance> SummariseRegion(absl::CivilDay first,
                                                   absl::CivilDay last) const;

  // Checks `terms` for the register as CreateEngagement does: evaluates them on their start
  // date, applies the exceptions named by `ids` (one already used by `engagement_id`, when
  // set, counts as approved for it) and refuses failures no exception covers. On success fills
  // `row`'s verdict, check and cap exception, and `newly_used` with the exceptions to mark used.
  absl::Status CheckForRegister(store::Transaction& tx, EngagementTerms* terms,
                                const std::string& region,
                                const google::protobuf::RepeatedPtrField<std::string>& ids,
                                const std::string& engagement_id, EngagementRow* row,
                                std::vector<ExceptionRow>* newly_used) const;

  // The engagement `id` for a change by `call`: NotFound, PermissionDenied outside the caller's
  // scope, Aborted when `version` is set and stale, FailedPrecondition when it has ended.
  absl::StatusOr<EngagementRow> LoadForChange(store::Transaction& tx, const std::string& id,
                                              int64_t version, const CallInfo& call) const;

  // Loads the exceptions named by `ids` (duplicates once) as domain records and, when `rows` is
  // not null, their stored rows. NotFound for an unknown id.
  absl::Status LoadExceptions(store::Transaction& tx,
                              const google::protobuf::RepeatedPtrField<std::string>& ids,
                              std::vector<RuleException>* domain,
                              std::vector<ExceptionRow>* rows) const;
  // The region's rule set versions: the cached copy, else read in `tx` and offered under
  // `ticket` (CoherentCache::FindOrLoad says when it must be taken). Thread-safe.
  absl::StatusOr<RuleSetList> RuleSets(store::Transaction& tx, const std::string& region,
                                       store::CacheTicket ticket) const;
  // The LA's policy versions, cached as rule sets are. Thread-safe.
  absl::StatusOr<LaPolicyList> LaPolicies(store::Transaction& tx, const std::string& la_code,
                                          store::CacheTicket ticket) const;

  ServiceContext context_;
  // In-process copies of what CheckEngagement reads, kept coherent with the store by its change
  // notifications (the service's SQLite file has no other writer).
  mutable store::CoherentCache<std::vector<StoredRuleSet>> rule_sets_;
  mutable store::CoherentCache<std::vector<StoredLaPolicy>> la_policies_;
  mutable store::CoherentCache<WorkerHistory> histories_;
  // The calls to other regions' hubs; null without a federation.
  std::shared_ptr<WorkforceHubConnection> hub_;
  // Announces the periods peers cached when a summary-changing write commits; null without a
  // federation.
  std::unique_ptr<ComplianceFeed> compliance_feed_;
  // CheckEngagement's messages live on a per-call arena (its answer is many small messages).
  ArenaMessageAllocator<v1::CheckEngagementRequest, v1::CheckEngagementResponse> check_allocator_;
};

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_WORKFORCE_SERVICE_H_
