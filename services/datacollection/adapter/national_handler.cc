// Federation of data collection: GetPublishedAggregates (what other regions' hubs ask of this one)
// and the England comparator of a NATIONAL rug, formed exactly from every region's published
// aggregates (this region's read here, the others' asked through the typed hub connection,
// DataCollectionHubConnection: cached per period and invalidated by the owners' change feeds).
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/federation/federation.h"
#include "common/federation/federation_info.h"
#include "common/server/proto_time.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/datacollection_methods.h"
#include "services/datacollection/adapter/datacollection_service.h"
#include "services/datacollection/adapter/service_helpers.h"
#include "services/datacollection/domain/comparator.h"

namespace slihub::datacollection {

namespace cpb = ::slihub::common::v1;

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetPublishedAggregates(
    grpc::CallbackServerContext* context, const v1::GetPublishedAggregatesRequest* request,
    v1::GetPublishedAggregatesResponse* response) {
  return HandleUnary(runtime_, context, methods::kGetPublishedAggregates,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    CheckId(request->period_id(), "period_id", &violations);
    for (int i = 0; i < request->indicator_ids_size(); ++i) {
      CheckId(request->indicator_ids(i), absl::StrCat("indicator_ids[", i, "]"), &violations);
    }
    if (!violations.empty()) return violations.ToStatus();
    const std::set<std::string> indicators(request->indicator_ids().begin(),
                                           request->indicator_ids().end());
    return ReadPublishedAggregates(request->period_id(), indicators, response);
  });
}

absl::Status DataCollectionServiceImpl::ReadPublishedAggregates(
    const std::string& period_id, const std::set<std::string>& indicator_ids,
    v1::GetPublishedAggregatesResponse* out) {
  const absl::Time now = clock_();
  out->mutable_region()->set_value(region_);
  out->set_period_id(period_id);
  out->set_published(false);
  *out->mutable_as_of_time() = ToProtoTimestamp(now);
  CollectionRecord collection;
  PeriodRecord period;
  std::vector<IndicatorDef> defs;
  std::vector<LatestTotal> totals;
  bool published = false;
  absl::Status read = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    auto c = ResolveCollection(tx, region_, "");
    if (absl::IsNotFound(c.status())) return absl::OkStatus();
    if (!c.ok()) return c.status();
    collection = *std::move(c);
    auto p = repository::GetPeriod(tx, collection.collection_id, period_id);
    if (absl::IsNotFound(p.status())) return absl::OkStatus();
    if (!p.ok()) return p.status();
    period = *std::move(p);
    if (!period.publish_time.has_value()) return absl::OkStatus();
    published = true;
    auto versions = repository::LatestIndicatorVersions(tx);
    if (!versions.ok()) return versions.status();
    for (const std::string& id : period.indicator_ids) {
      if (!indicator_ids.empty() && !indicator_ids.count(id)) continue;
      auto version = versions->find(id);
      if (version == versions->end()) continue;
      if (auto hit = indicator_defs_.Find(id, version->second)) {
        defs.push_back(*hit);
        continue;
      }
      auto def = repository::GetIndicator(tx, id, version->second);
      if (!def.ok()) return def.status();
      indicator_defs_.Put(*def);
      defs.push_back(*std::move(def));
    }
    auto t = repository::CurrentTotals(tx, collection.collection_id, period_id);
    if (!t.ok()) return t.status();
    totals = *std::move(t);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!published) return absl::OkStatus();
  out->set_published(true);
  *out->mutable_publish_time() = ToProtoTimestamp(*period.publish_time);

  std::vector<std::string> las = collection.la_codes;
  if (las.empty()) {
    if (const RegionRecord* region = refdata_->FindRegion(region_)) las = region->la_codes;
  }
  const std::set<std::string> expected(las.begin(), las.end());
  std::map<std::string, std::vector<Observation>> by_indicator;
  std::sort(totals.begin(), totals.end(), [](const LatestTotal& a, const LatestTotal& b) {
    return std::tie(a.la_code, a.indicator_id) < std::tie(b.la_code, b.indicator_id);
  });
  std::set<std::string> wanted;
  for (const IndicatorDef& def : defs) wanted.insert(def.indicator_id);
  for (const LatestTotal& t : totals) {
    if (!wanted.count(t.indicator_id) || !expected.count(t.la_code)) continue;
    by_indicator[t.indicator_id].push_back(t.total);
    v1::PublishedLaFigure* figure = out->add_la_figures();
    figure->mutable_la_code()->set_value(t.la_code);
    figure->set_indicator_id(t.indicator_id);
    figure->set_state(static_cast<v1::ValueState>(t.total.state));
    if (t.total.state == ValueState::kPresent && t.total.value) {
      ToProto(*t.total.value, figure->mutable_value());
    }
  }
  for (const IndicatorDef& def : defs) {
    auto part = PartOf(by_indicator[def.indicator_id]);
    if (!part) {
      return absl::OutOfRangeError(
          absl::StrCat("the sums of indicator ", def.indicator_id, " do not fit in 64 bits"));
    }
    v1::IndicatorAggregate* a = out->add_indicators();
    a->set_indicator_id(def.indicator_id);
    a->set_unit(static_cast<v1::IndicatorUnit>(def.unit));
    a->set_decimal_places(def.decimal_places);
    a->set_las_expected(static_cast<int32_t>(expected.size()));
    a->set_las_present(part->las_present);
    ToProto(part->value_sum, a->mutable_value_sum());
    a->set_las_pooled(part->las_pooled);
    ToProto(part->numerator_sum, a->mutable_numerator_sum());
    ToProto(part->denominator_sum, a->mutable_denominator_sum());
    const ComparatorFigure figure = FormFigure(*part, def.unit, def.decimal_places);
    a->set_method(static_cast<v1::EnglandFigureMethod>(figure.method));
    if (figure.value) ToProto(*figure.value, a->mutable_region_figure());
  }
  return absl::OkStatus();
}

namespace {

AggregatePart PartFromProto(const v1::IndicatorAggregate& a) {
  AggregatePart part;
  part.las_present = a.las_present();
  part.value_sum = FromProto(a.value_sum());
  part.las_pooled = a.las_pooled();
  part.numerator_sum = FromProto(a.numerator_sum());
  part.denominator_sum = FromProto(a.denominator_sum());
  return part;
}

}  // namespace

RegionAggregates GatherRegionAggregates(const std::string& hub_region, absl::Time now,
                                        v1::GetPublishedAggregatesResponse local,
                                        DataCollectionHubConnection* hub,
                                        const std::vector<std::string>& other_regions,
                                        const std::string& period_id) {
  RegionAggregates out;
  out.outcomes = {federation::LocalOutcome(hub_region, now)};
  out.replies.emplace_back(std::move(local));
  out.federated = hub != nullptr;
  if (hub == nullptr) return out;
  for (auto& part : hub->GetPublishedAggregates(other_regions, period_id)) {
    out.outcomes.push_back(std::move(part.outcome));
    out.replies.push_back(std::move(part.reply));
  }
  return out;
}

absl::Status DataCollectionServiceImpl::AskPublishedAggregates(const std::string& period_id,
                                                               absl::Time now,
                                                               RegionAggregates* out) {
  v1::GetPublishedAggregatesResponse local;
  if (absl::Status read = ReadPublishedAggregates(period_id, {}, &local); !read.ok()) return read;
  static const std::vector<std::string> kNone;
  *out = GatherRegionAggregates(region_, now, std::move(local), hub_.get(),
                                federation_ != nullptr ? federation_->other_regions() : kNone,
                                period_id);
  return absl::OkStatus();
}

void FormEnglandFigure(const std::string& indicator_id, v1::IndicatorUnit unit, int decimal_places,
                       const RegionAggregates& regions, v1::EnglandFigure* england) {
  const bool all_current =
      std::all_of(regions.outcomes.begin(), regions.outcomes.end(),
                  [](const federation::RegionOutcome& o) { return o.current(); });
  AggregatePart sum;
  bool complete = all_current && regions.federated;
  bool overflow = false;
  absl::Time as_of = absl::InfiniteFuture();
  england->Clear();
  for (size_t r = 0; r < regions.replies.size(); ++r) {
    const auto& reply = regions.replies[r];
    const v1::IndicatorAggregate* found = nullptr;
    if (reply.has_value() && reply->published()) {
      for (const v1::IndicatorAggregate& a : reply->indicators()) {
        if (a.indicator_id() == indicator_id && a.unit() == unit &&
            a.decimal_places() == decimal_places) {
          found = &a;
        }
      }
    }
    if (found == nullptr) {
      complete = false;
      continue;
    }
    auto added = AddParts(sum, PartFromProto(*found));
    if (!added) {
      overflow = true;
      break;
    }
    sum = *added;
    as_of = std::min(as_of, regions.outcomes[r].as_of);
    england->add_regions_included()->set_value(regions.outcomes[r].region);
  }
  const ComparatorFigure figure =
      overflow ? ComparatorFigure{}
               : FormFigure(sum, static_cast<Unit>(unit), decimal_places);
  england->set_complete(complete && !overflow);
  england->set_las_included(overflow ? 0 : figure.las_included);
  if (figure.value) {
    england->set_state(v1::VALUE_STATE_PRESENT);
    ToProto(*figure.value, england->mutable_value());
    england->set_method(static_cast<v1::EnglandFigureMethod>(figure.method));
    *england->mutable_as_of_time() = ToProtoTimestamp(as_of);
  } else {
    england->set_state(v1::VALUE_STATE_NOT_SUBMITTED);
  }
}

absl::Status FillEnglandFigures(const RegionAggregates& regions, cpb::FederationMode mode,
                                absl::Time now, v1::Benchmark* rug, cpb::FederationInfo* info) {
  if (federation::IsStrict(mode)) {
    if (absl::Status every = federation::RequireEveryRegion(regions.outcomes); !every.ok()) {
      return every;
    }
  }
  for (v1::BenchmarkRow& row : *rug->mutable_rows()) {
    const v1::Indicator& indicator = row.indicator();
    FormEnglandFigure(indicator.indicator_id(), indicator.unit(), indicator.decimal_places(),
                      regions, row.mutable_england());
  }
  federation::FillFederationInfo(cpb::REGION_SCOPE_NATIONAL, regions.outcomes, now, info);
  return absl::OkStatus();
}

absl::Status DataCollectionServiceImpl::AddEnglandFigures(const v1::BenchmarkQuery& query,
                                                          v1::Benchmark* rug,
                                                          cpb::FederationInfo* info) {
  const absl::Time now = clock_();
  // Every region's published aggregates of the period, this hub's own first.
  RegionAggregates regions;
  if (absl::Status asked = AskPublishedAggregates(rug->period_id(), now, &regions); !asked.ok()) {
    return asked;
  }
  return FillEnglandFigures(regions, query.federation_mode(), now, rug, info);
}

}  // namespace slihub::datacollection
