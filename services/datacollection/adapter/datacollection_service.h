// The gRPC adapter of DataCollectionService: request validation with field paths, role and LA/region
// checks, translation to the domain and store, and canonical errors. RPCs not listed here answer
// UNIMPLEMENTED (the generated base class).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_DATACOLLECTION_SERVICE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_DATACOLLECTION_SERVICE_H_

#include <functional>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/server/arena_message_allocator.h"
#include "common/federation/region_outcome.h"
#include "common/server/service_context.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "services/datacollection/adapter/benchmark_builder.h"
#include "services/datacollection/adapter/figure_access.h"
#include "services/datacollection/adapter/rug_cache.h"
#include "services/datacollection/client/datacollection_hub_connection.h"
#include "services/datacollection/store/repository.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::federation {
class Federation;
}  // namespace slihub::federation

namespace slihub::datacollection {

// Every region's published aggregates of one period as a federated ask gave them: outcomes and
// replies in the same order, this hub's own first. Plain value.
struct RegionAggregates {
  std::vector<federation::RegionOutcome> outcomes;
  std::vector<std::optional<v1::GetPublishedAggregatesResponse>> replies;
  bool federated = false;  // false when the hub runs without a federation (England incomplete)
};

// The England figure of one indicator (matched on id, unit and decimal places) formed exactly from
// the published parts in `regions` into `england`: PRESENT with the regions included, complete
// only when every region was current and had the indicator published. Pure.
void FormEnglandFigure(const std::string& indicator_id, v1::IndicatorUnit unit, int decimal_places,
                       const RegionAggregates& regions, v1::EnglandFigure* england);

// Every region's published aggregates of `period_id`: `local` (this hub's own, read at `now`)
// first, then `hub`'s answers for `other_regions` in their order. With `hub` null (no federation)
// only the local part, federated = false. Blocks up to the federation deadline (worker pool only).
RegionAggregates GatherRegionAggregates(const std::string& hub_region, absl::Time now,
                                        v1::GetPublishedAggregatesResponse local,
                                        DataCollectionHubConnection* hub,
                                        const std::vector<std::string>& other_regions,
                                        const std::string& period_id);

// Fills every row's England figure of `rug` from `regions` (FormEnglandFigure) and `info` with each
// region's state (NATIONAL scope, as of `now`). UNAVAILABLE naming the regions (ErrorInfo
// REGION_UNAVAILABLE) when `mode` is STRICT and a region is not current; then nothing is filled.
absl::Status FillEnglandFigures(const RegionAggregates& regions,
                                slihub::common::v1::FederationMode mode, absl::Time now,
                                v1::Benchmark* rug, slihub::common::v1::FederationInfo* info);

// Serves one hub's data collection RPCs. Thread-safe: all state lives in the store.
// GetBenchmark is a raw method (gRPC's ByteBuffer in and out) so a cached rug's answer, serialized
// once, is sent as it is; every other method is typed.
class DataCollectionServiceImpl final
    : public v1::DataCollectionService::WithRawCallbackMethod_GetBenchmark<v1::DataCollectionService::CallbackService> {
 public:
  // `context` members must outlive this object; `clock` gives "now" (absl::Now by default).
  explicit DataCollectionServiceImpl(const ServiceContext& context,
                                     std::function<absl::Time()> clock = absl::Now);

  grpc::ServerUnaryReactor* CreateIndicator(grpc::CallbackServerContext* context,
                                            const v1::CreateIndicatorRequest* request,
                                            v1::CreateIndicatorResponse* response) override;
  grpc::ServerUnaryReactor* UpdateIndicator(grpc::CallbackServerContext* context,
                                            const v1::UpdateIndicatorRequest* request,
                                            v1::UpdateIndicatorResponse* response) override;
  grpc::ServerUnaryReactor* CreateCollection(grpc::CallbackServerContext* context,
                                             const v1::CreateCollectionRequest* request,
                                             v1::CreateCollectionResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCollection(grpc::CallbackServerContext* context,
                                             const v1::UpdateCollectionRequest* request,
                                             v1::UpdateCollectionResponse* response) override;
  grpc::ServerUnaryReactor* CreateCollectionPeriod(grpc::CallbackServerContext* context,
                                                   const v1::CreateCollectionPeriodRequest* request,
                                                   v1::CreateCollectionPeriodResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCollectionPeriod(grpc::CallbackServerContext* context,
                                                   const v1::UpdateCollectionPeriodRequest* request,
                                                   v1::UpdateCollectionPeriodResponse* response) override;
  grpc::ServerUnaryReactor* PublishPeriod(grpc::CallbackServerContext* context,
                                          const v1::PublishPeriodRequest* request,
                                          v1::PublishPeriodResponse* response) override;
  grpc::ServerUnaryReactor* ListReturns(grpc::CallbackServerContext* context, const v1::ListReturnsRequest* request,
                                        v1::ListReturnsResponse* response) override;
  grpc::ServerUnaryReactor* GetIndicator(grpc::CallbackServerContext* context,
                                         const v1::GetIndicatorRequest* request,
                                         v1::GetIndicatorResponse* response) override;
  grpc::ServerUnaryReactor* ListIndicators(grpc::CallbackServerContext* context,
                                           const v1::ListIndicatorsRequest* request,
                                           v1::ListIndicatorsResponse* response) override;
  grpc::ServerUnaryReactor* GetCollection(grpc::CallbackServerContext* context,
                                          const v1::GetCollectionRequest* request,
                                          v1::GetCollectionResponse* response) override;
  grpc::ServerUnaryReactor* ListCollections(grpc::CallbackServerContext* context,
                                            const v1::ListCollectionsRequest* request,
                                            v1::ListCollectionsResponse* response) override;
  grpc::ServerUnaryReactor* GetCollectionPeriod(grpc::CallbackServerContext* context,
                                                const v1::GetCollectionPeriodRequest* request,
                                                v1::GetCollectionPeriodResponse* response) override;
  grpc::ServerUnaryReactor* ListCollectionPeriods(grpc::CallbackServerContext* context,
                                                  const v1::ListCollectionPeriodsRequest* request,
                                                  v1::ListCollectionPeriodsResponse* response) override;
  grpc::ServerUnaryReactor* SubmitReturn(grpc::CallbackServerContext* context,
                                         const v1::SubmitReturnRequest* request,
                                         v1::SubmitReturnResponse* response) override;
  grpc::ServerUnaryReactor* GetReturn(grpc::CallbackServerContext* context,
                                      const v1::GetReturnRequest* request,
                                      v1::GetReturnResponse* response) override;
  grpc::ServerUnaryReactor* ListReturnVersions(grpc::CallbackServerContext* context,
                                               const v1::ListReturnVersionsRequest* request,
                                               v1::ListReturnVersionsResponse* response) override;
  grpc::ServerUnaryReactor* GetSubmissionStatus(grpc::CallbackServerContext* context,
                                                const v1::GetSubmissionStatusRequest* request,
                                                v1::GetSubmissionStatusResponse* response) override;
  grpc::ServerUnaryReactor* ImportReturnsCsv(grpc::CallbackServerContext* context,
                                             const v1::ImportReturnsCsvRequest* request,
                                             v1::ImportReturnsCsvResponse* response) override;
  grpc::ServerUnaryReactor* QueryValues(grpc::CallbackServerContext* context,
                                        const v1::QueryValuesRequest* request,
                                        v1::QueryValuesResponse* response) override;
  grpc::ServerUnaryReactor* ExportValuesCsv(grpc::CallbackServerContext* context,
                                            const v1::ExportValuesCsvRequest* request,
                                            v1::ExportValuesCsvResponse* response) override;
  // Serves a GetBenchmarkRequest with a GetBenchmarkResponse, as serialized bytes.
  grpc::ServerUnaryReactor* GetBenchmark(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ExportBenchmark(grpc::CallbackServerContext* context,
                                            const v1::ExportBenchmarkRequest* request,
                                            v1::ExportBenchmarkResponse* response) override;
  grpc::ServerUnaryReactor* GetPublishedAggregates(grpc::CallbackServerContext* context,
                                                   const v1::GetPublishedAggregatesRequest* request,
                                                   v1::GetPublishedAggregatesResponse* response) override;

 private:
  // This hub's published aggregates of `period_id` in its core quarterly collection (only
  // `indicator_ids` when not empty) into `out`; published = false when the period is unknown or
  // unpublished. Errors: the store's; OutOfRange when a sum does not fit in 64 bits.
  absl::Status ReadPublishedAggregates(const std::string& period_id,
                                       const std::set<std::string>& indicator_ids,
                                       v1::GetPublishedAggregatesResponse* out);
  // Every region's published aggregates of `period_id` into `out`: this hub's own read here
  // (first), the others' asked through the federation (cached per period, invalidated by the
  // owners' "datacollection.published" feeds). Blocks up to the federation deadline (worker pool
  // only). Errors: the local read's.
  absl::Status AskPublishedAggregates(const std::string& period_id, absl::Time now,
                                      RegionAggregates* out);
  // Fills every row's England figure of `rug` from every region's published aggregates (this
  // region's read here, the others' through the federation) and `info` with each region's state.
  // Blocks up to the federation deadline (worker pool only). UNAVAILABLE naming the missing
  // regions when `query` is STRICT and a region is not current.
  absl::Status AddEnglandFigures(const v1::BenchmarkQuery& query, v1::Benchmark* rug,
                                 slihub::common::v1::FederationInfo* info);
  absl::Status DoSubmitReturn(const CallInfo& call, const v1::SubmitReturnRequest& request,
                              v1::SubmitReturnResponse* response);
  absl::Status DoImportReturnsCsv(const CallInfo& call, const v1::ImportReturnsCsvRequest& request,
                                  v1::ImportReturnsCsvResponse* response);
  absl::Status DoQueryValues(const CallInfo& call, const v1::QueryValuesRequest& request,
                             v1::QueryValuesResponse* response);
  absl::Status DoGetSubmissionStatus(const v1::GetSubmissionStatusRequest& request,
                                     v1::GetSubmissionStatusResponse* response);
  // Validates `query` (violations collected in `violations`) and gives its rug (shared, immutable).
  absl::StatusOr<std::shared_ptr<const CachedRug>> ComputeBenchmark(const Principal& principal,
                                                                        const v1::BenchmarkQuery& query,
                                                                        FieldViolations* violations);
  // The rug for `query` from the cache when the store has not changed since it was computed, else
  // computed now (and cached). The rug has no as_of_time for a query without as_of.
  // Refuses a caller that is not the hub (PERIOD_NOT_PUBLISHED) while the period is unpublished.
  absl::StatusOr<std::shared_ptr<const CachedRug>> CachedBenchmark(const RugQuery& query,
                                                                   const FigureView& view);
  // Periods ("collection|period" as the query names them) seen published: publication never
  // reverts, so a council's rug skips the check once a period is known published.
  bool IsKnownPublished(const std::string& period_key) const;
  void RememberPublished(const std::string& period_key);
  // OWN_REGION when the query leaves the scope unset.
  static slihub::common::v1::RegionScope EffectiveScope(const v1::BenchmarkQuery& query);
  // Runs `body` in one write transaction through common RunIdempotent (idempotency.h), keyed by
  // request.request_id() on the field "request_id".
  template <typename Request, typename Response>
  absl::Status RunWrite(const CallInfo& call, const Request& request, Response* response,
                        absl::FunctionRef<absl::Status(store::Transaction&)> body);
  // Reads a collection message's region, name, description, indicators and LAs into `out`,
  // recording problems under "collection.".
  absl::Status ReadCollection(store::Transaction& tx, const v1::Collection& in, CollectionRecord* out,
                              FieldViolations* violations);
  // OK when the principal may read or write `la_code`'s returns (own LA, or region-wide roles of
  // this hub's region); PERMISSION_DENIED with ErrorInfo LA_OUT_OF_SCOPE otherwise.
  absl::Status CheckLaAccess(const Principal& principal, const std::string& la_code) const;

  store::Database* db_;
  const ReferenceData* refdata_;
  federation::Federation* federation_;  // null in tests without a server: England from this hub
  // Calls to other regions' hubs (made in the constructor); null when federation_ is.
  std::shared_ptr<DataCollectionHubConnection> hub_;
  std::string region_;
  CallRuntime runtime_;
  std::function<absl::Time()> clock_;
  RugCache rug_cache_{8};
  IndicatorDefCache indicator_defs_;
  PeriodTotalsCache period_totals_{16};
  mutable absl::Mutex published_mu_;
  absl::flat_hash_set<std::string> published_ ABSL_GUARDED_BY(published_mu_);
  ArenaMessageAllocator<v1::ExportBenchmarkRequest, v1::ExportBenchmarkResponse> export_benchmark_allocator_{
      LargeMessageArenaOptions()};
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_DATACOLLECTION_SERVICE_H_
