#include "services/datacollection/adapter/service_helpers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/datacollection/adapter/convert.h"
#include "slihub/datacollection/v1/collection.pb.h"

namespace slihub::datacollection {

absl::StatusOr<CollectionRecord> ResolveCollection(store::Transaction& tx, const std::string& region,
                                                   const std::string& collection_id) {
  if (collection_id.empty()) {
    auto collections = repository::ListCollections(tx, region);
    if (!collections.ok()) return collections.status();
    for (const CollectionRecord& c : *collections) {
      if (c.kind == v1::COLLECTION_KIND_CORE_QUARTERLY) return c;
    }
    return absl::NotFoundError(absl::StrCat("region ", region, " has no core quarterly collection"));
  }
  auto collection = repository::GetCollection(tx, collection_id);
  if (!collection.ok()) return collection.status();
  if (collection->region != region) {
    return absl::NotFoundError(absl::StrCat("no collection ", collection_id, " in region ", region));
  }
  return collection;
}

// Puts `r`'s figures in the order of its period's indicator list (the store keeps id order).
absl::Status OrderLikePeriod(store::Transaction& tx, ReturnRecord& r) {
  auto period = repository::GetPeriod(tx, r.collection_id, r.period_id);
  if (!period.ok()) return period.status();
  auto position = [&](const IndicatorFigures& f) {
    return std::find(period->indicator_ids.begin(), period->indicator_ids.end(), f.indicator_id) -
           period->indicator_ids.begin();
  };
  std::stable_sort(r.values.begin(), r.values.end(),
                   [&](const IndicatorFigures& a, const IndicatorFigures& b) { return position(a) < position(b); });
  return absl::OkStatus();
}

absl::Status ReadReturnInto(store::Transaction& tx, const std::string& la_code, const std::string& collection_id,
                            const std::string& period_id, int64_t version, bool full, v1::Return* out) {
  auto r = repository::GetReturn(tx, la_code, collection_id, period_id, version, full);
  if (!r.ok()) return r.status();
  if (full) {
    if (absl::Status s = OrderLikePeriod(tx, *r); !s.ok()) return s;
  }
  ToProto(*r, full, out);
  return absl::OkStatus();
}

absl::StatusOr<ReturnRecord> BuildNextVersion(store::Transaction& tx, const PeriodRecord& period,
                                              const std::string& la_code,
                                              std::vector<IndicatorFigures> submitted, bool replace,
                                              int64_t latest, absl::Time now) {
  ReturnRecord record;
  record.la_code = la_code;
  record.collection_id = period.collection_id;
  record.period_id = period.period_id;
  record.version = latest + 1;
  record.receive_time = now;
  record.timeliness = StampTimeliness(now, period.deadline_time);
  record.latest = true;
  std::vector<IndicatorFigures> carried;
  if (!replace && latest > 0) {
    auto previous = repository::GetReturn(tx, la_code, period.collection_id, period.period_id, latest, true);
    if (!previous.ok()) return previous.status();
    carried = std::move(previous->values);
  }
  for (const std::string& id : period.indicator_ids) {
    auto match = [&](const IndicatorFigures& f) { return f.indicator_id == id; };
    auto fresh = std::find_if(submitted.begin(), submitted.end(), match);
    if (fresh != submitted.end()) {
      record.values.push_back(std::move(*fresh));
      continue;
    }
    auto old = std::find_if(carried.begin(), carried.end(), match);
    if (old != carried.end()) record.values.push_back(std::move(*old));
  }
  record.value_count = static_cast<int>(record.values.size());
  return record;
}

}  // namespace slihub::datacollection
