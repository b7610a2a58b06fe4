#include "services/peerreview/app/data_pack_indicators.h"

#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "services/peerreview/store/review_records_store.h"

namespace slihub::peerreview {
namespace {

namespace dc = ::slihub::datacollection::v1;
using datacollection::DataCollectionClient;

// The fetched part of a pack.
struct FetchedIndicators {
  std::string period_id;
  std::vector<v1::DataPackItem> items;
  common::v1::FederationInfo federation;
};

// The core collection's latest period whose deadline has passed: (collection id, period id).
absl::StatusOr<std::pair<std::string, std::string>> LatestCorePeriod(
    const DataCollectionClient& client) {
  dc::ListCollectionsRequest list;
  list.set_kind(dc::COLLECTION_KIND_CORE_QUARTERLY);
  absl::StatusOr<dc::ListCollectionsResponse> collections =
      client.ListCollections(list);
  if (!collections.ok()) return collections.status();
  if (collections->collections().empty()) {
    return absl::NotFoundError("the region has no core quarterly collection");
  }
  const std::string collection_id = collections->collections(0).collection_id();
  dc::ListCollectionPeriodsRequest periods_request;
  periods_request.set_collection_id(collection_id);
  periods_request.mutable_page()->set_page_size(100);
  absl::StatusOr<dc::ListCollectionPeriodsResponse> periods =
      client.ListCollectionPeriods(periods_request);
  if (!periods.ok()) return periods.status();
  const absl::Time now = absl::Now();
  for (const dc::CollectionPeriod& p : periods->periods()) {  // latest start first
    absl::StatusOr<absl::Time> deadline = FromProtoTimestamp(p.deadline_time());
    if (deadline.ok() && *deadline < now) return std::make_pair(collection_id, p.period_id());
  }
  return absl::NotFoundError(
      absl::StrCat("collection ", collection_id, " has no period past its deadline"));
}

// The host's cells of the benchmark, or the data collection service's status.
absl::StatusOr<FetchedIndicators> Fetch(const DataCollectionClient& client,
                                        const IndicatorQuery& query) {
  dc::GetBenchmarkRequest request;
  dc::BenchmarkQuery* q = request.mutable_query();
  q->mutable_region()->set_value(query.region);
  q->set_period_id(query.period_id);
  if (query.period_id.empty()) {
    absl::StatusOr<std::pair<std::string, std::string>> latest =
        LatestCorePeriod(client);
    if (!latest.ok()) return latest.status();
    q->set_collection_id(latest->first);
    q->set_period_id(latest->second);
  }
  for (const std::string& id : query.indicator_ids) q->add_indicator_ids(id);
  q->set_scope(query.scope);
  absl::StatusOr<dc::GetBenchmarkResponse> response = client.GetBenchmark(request);
  if (!response.ok()) return response.status();
  FetchedIndicators out;
  out.period_id = response->benchmark().period_id();
  out.federation = response->federation();
  for (const dc::BenchmarkRow& row : response->benchmark().rows()) {
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

// The request field the data collection service's answer blames (an unknown period or
// indicator), or empty when the answer means the service could not serve (the pack degrades).
std::string BlamedField(const absl::Status& status, const IndicatorQuery& query) {
  if (absl::IsNotFound(status) && !query.period_id.empty()) return "period_id";
  if (absl::IsInvalidArgument(status)) {
    return query.indicator_ids.empty() ? "period_id" : "indicator_ids";
  }
  return "";
}

}  // namespace

absl::Status AddIndicators(store::Database& db, const DataCollectionClient& client,
                           const IndicatorQuery& query, v1::DataPack* pack,
                           common::v1::FederationInfo* federation) {
  absl::StatusOr<FetchedIndicators> fetched = Fetch(client, query);
  if (fetched.ok()) {
    pack->set_period_id(fetched->period_id);
    pack->set_data_source_state(v1::DATA_SOURCE_STATE_AVAILABLE);
    *pack->mutable_fetch_time() = ToProtoTimestamp(absl::Now());
    for (v1::DataPackItem& item : fetched->items) *pack->add_items() = std::move(item);
    *federation = std::move(fetched->federation);
    v1::DataPack remembered;
    remembered.set_period_id(pack->period_id());
    *remembered.mutable_fetch_time() = pack->fetch_time();
    *remembered.mutable_items() = pack->items();
    return db.Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      return ReviewRecordsStore::PutIndicators(tx, query.host, remembered);
    });
  }
  if (const std::string field = BlamedField(fetched.status(), query); !field.empty()) {
    FieldViolations unknown;
    unknown.Add(field, absl::StrCat("the data collection service says: ",
                                    fetched.status().message()));
    return unknown.ToStatus();
  }
  LogWarning("peerreview_data_pack_degraded")
      .Str("code", absl::StatusCodeToString(fetched.status().code()));
  pack->set_data_source_detail(std::string(fetched.status().message()));
  std::optional<v1::DataPack> last;
  absl::Status cached = db.Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<v1::DataPack>> found =
        ReviewRecordsStore::GetIndicators(tx, query.host, query.period_id);
    if (!found.ok()) return found.status();
    last = *std::move(found);
    return absl::OkStatus();
  });
  if (!cached.ok()) return cached;
  if (last.has_value()) {
    pack->set_data_source_state(v1::DATA_SOURCE_STATE_STALE);
    pack->set_period_id(last->period_id());
    *pack->mutable_fetch_time() = last->fetch_time();
    *pack->mutable_items() = last->items();
  } else {
    pack->set_data_source_state(v1::DATA_SOURCE_STATE_UNAVAILABLE);
    pack->set_period_id(query.period_id);
  }
  return absl::OkStatus();
}

}  // namespace slihub::peerreview
