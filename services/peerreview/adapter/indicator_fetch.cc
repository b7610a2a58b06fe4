#include "services/peerreview/adapter/indicator_fetch.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/grpc_status.h"
#include "common/server/proto_time.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"

namespace slihub::peerreview {
namespace {

namespace dc = ::slihub::datacollection::v1;

template <typename Call>
absl::Status Invoke(const IndicatorSource& source, Call call) {
  grpc::ClientContext context;
  if (source.prepare) source.prepare(&context);
  return FromGrpcStatus(call(&context));
}

// The core collection's latest period whose deadline has passed.
absl::StatusOr<std::pair<std::string, std::string>> LatestCorePeriod(dc::DataCollectionService::Stub& stub,
                                                                     const IndicatorSource& source) {
  dc::ListCollectionsRequest list;
  list.set_kind(dc::COLLECTION_KIND_CORE_QUARTERLY);
  dc::ListCollectionsResponse collections;
  absl::Status status = Invoke(source, [&](grpc::ClientContext* ctx) { return stub.ListCollections(ctx, list, &collections); });
  if (!status.ok()) return status;
  if (collections.collections().empty()) return absl::NotFoundError("the region has no core quarterly collection");
  const std::string collection_id = collections.collections(0).collection_id();
  dc::ListCollectionPeriodsRequest periods_request;
  periods_request.set_collection_id(collection_id);
  periods_request.mutable_page()->set_page_size(100);
  dc::ListCollectionPeriodsResponse periods;
  status = Invoke(source, [&](grpc::ClientContext* ctx) {
    return stub.ListCollectionPeriods(ctx, periods_request, &periods);
  });
  if (!status.ok()) return status;
  const absl::Time now = absl::Now();
  for (const dc::CollectionPeriod& p : periods.periods()) {  // latest start first
    absl::StatusOr<absl::Time> deadline = FromProtoTimestamp(p.deadline_time());
    if (deadline.ok() && *deadline < now) return std::make_pair(collection_id, p.period_id());
  }
  return absl::NotFoundError(absl::StrCat("collection ", collection_id, " has no period past its deadline"));
}

}  // namespace

absl::StatusOr<FetchedIndicators> FetchIndicators(const IndicatorSource& source, const IndicatorQuery& query) {
  if (source.channel == nullptr) {
    return absl::FailedPreconditionError("the data collection service is not configured (--service-endpoint datacollection=...)");
  }
  auto stub = dc::DataCollectionService::NewStub(source.channel);
  dc::GetBenchmarkRequest request;
  dc::BenchmarkQuery* q = request.mutable_query();
  q->mutable_region()->set_value(query.region);
  q->set_period_id(query.period_id);
  if (query.period_id.empty()) {
    absl::StatusOr<std::pair<std::string, std::string>> latest = LatestCorePeriod(*stub, source);
    if (!latest.ok()) return latest.status();
    q->set_collection_id(latest->first);
    q->set_period_id(latest->second);
  }
  for (const std::string& id : query.indicator_ids) q->add_indicator_ids(id);
  q->set_scope(query.scope);
  dc::GetBenchmarkResponse response;
  absl::Status status = Invoke(source, [&](grpc::ClientContext* ctx) { return stub->GetBenchmark(ctx, request, &response); });
  if (!status.ok()) return status;
  FetchedIndicators out;
  out.period_id = response.benchmark().period_id();
  out.federation = response.federation();
  for (const dc::BenchmarkRow& row : response.benchmark().rows()) {
    v1::DataPackItem item;
    *item.mutable_indicator() = row.indicator();
    *item.mutable_regional() = row.regional();
    if (query.scope == common::v1::REGION_SCOPE_NATIONAL) *item.mutable_england() = row.england();
    for (const dc::BenchmarkCell& cell : row.cells()) {
      if (cell.la_code().value() == query.host) *item.mutable_host() = cell;
    }
    out.items.push_back(std::move(item));
  }
  return out;
}

}  // namespace slihub::peerreview
