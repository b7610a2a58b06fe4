// QueryValues and ExportValuesCsv: the latest accepted figures of the region's LAs. QueryValues gives
// the minimal facts other services (the peer review data pack) need; at NATIONAL scope it adds
// other regions' published totals and the England figures, from every region's published
// aggregates (national_handler.cc's federated ask, shared with the rug's England figure).
// ExportValuesCsv pages the same figures as CSV.
#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/base/csv_writer.h"
#include "common/federation/federation_info.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/figure_access.h"
#include "services/datacollection/adapter/datacollection_service.h"
#include "services/datacollection/adapter/datacollection_methods.h"
#include "services/datacollection/adapter/service_helpers.h"

namespace slihub::datacollection {

grpc::ServerUnaryReactor* DataCollectionServiceImpl::QueryValues(grpc::CallbackServerContext* context,
                                                                 const v1::QueryValuesRequest* request,
                                                                 v1::QueryValuesResponse* response) {
  return HandleUnary(runtime_, context, methods::kQueryValues,
                     [this, request, response](const CallInfo& call) {
                       return DoQueryValues(call, *request, response);
                     });
}

absl::Status DataCollectionServiceImpl::DoQueryValues(const CallInfo& call, const v1::QueryValuesRequest& request,
                                                      v1::QueryValuesResponse* response) {
  namespace common = ::slihub::common::v1;
  const Principal& principal = call.principal();
  FieldViolations violations;
  if (!common::RegionScope_IsValid(request.scope())) violations.Add("scope", "unknown scope");
  if (request.scope() == common::REGION_SCOPE_OWN_LA && principal.la_code.empty()) {
    violations.Add("scope", "OWN_LA needs an LA-bound principal");
  }
  if (request.period_ids().empty()) violations.Add("period_ids", "at least one period id");
  for (int i = 0; i < request.period_ids_size(); ++i) {
    CheckId(request.period_ids(i), absl::StrCat("period_ids[", i, "]"), &violations);
  }
  std::set<std::string> las;
  for (int i = 0; i < request.la_codes_size(); ++i) {
    const std::string& la = request.la_codes(i).value();
    const LocalAuthorityRecord* record = refdata_->FindLocalAuthority(la);
    if (!IsLaCodeSyntax(la) || record == nullptr) {
      violations.Add(absl::StrCat("la_codes[", i, "].value"), "not a known DfE LA code");
    } else if (record->region_code != region_ && request.scope() != common::REGION_SCOPE_NATIONAL) {
      violations.Add(absl::StrCat("la_codes[", i, "].value"),
                     absl::StrCat("LA ", la, " is in region ", record->region_code, ": NATIONAL scope needed"));
    }
    las.insert(la);
  }
  if (!federation::IsKnownMode(request.federation_mode())) {
    violations.Add("federation_mode", "must be a FederationMode");
  }
  const int page_size = ResolvePageSize(request.page().page_size(), "page.page_size", &violations);
  const std::string after = DecodePageToken("values", request.page().page_token(), "page.page_token", &violations);
  if (!violations.empty()) return violations.ToStatus();
  const bool national = request.scope() == common::REGION_SCOPE_NATIONAL;
  if (request.scope() == common::REGION_SCOPE_OWN_LA) las = {principal.la_code};
  const std::set<std::string> indicators(request.indicator_ids().begin(), request.indicator_ids().end());
  const std::set<std::string> period_ids(request.period_ids().begin(), request.period_ids().end());

  const FigureView view = ViewOf(principal);
  using Key = std::tuple<std::string, std::string, std::string, std::string>;  // LA, period, indicator, collection
  std::vector<std::pair<Key, v1::ValueRecord>> found;
  absl::Status read = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    auto collections = repository::ListCollections(tx, region_);
    if (!collections.ok()) return collections.status();
    for (const CollectionRecord& c : *collections) {
      for (const std::string& period_id : period_ids) {
        auto period = repository::GetPeriod(tx, c.collection_id, period_id);
        if (absl::IsNotFound(period.status())) continue;
        if (!period.ok()) return period.status();
        auto versions = repository::ListReturnVersions(tx, c.collection_id, period_id, false);
        if (!versions.ok()) return versions.status();
        for (const ReturnRecord& header : *versions) {
          if (!header.latest || (!las.empty() && !las.count(header.la_code))) continue;
          if (!SeesFigures(view, header.la_code, *period)) continue;
          auto r = repository::GetReturn(tx, header.la_code, c.collection_id, period_id, header.version, true);
          if (!r.ok()) return r.status();
          const bool notes = SeesNotes(view, r->la_code);
          for (IndicatorFigures& f : r->values) {
            if (!indicators.empty() && !indicators.count(f.indicator_id)) continue;
            if (!request.include_breakdowns()) f.breakdowns.clear();
            if (!notes) StripNotes(f);
            v1::ValueRecord record;
            record.mutable_la_code()->set_value(r->la_code);
            record.mutable_region()->set_value(region_);
            record.set_collection_id(c.collection_id);
            record.set_period_id(period_id);
            ToProto(f, record.mutable_value());
            record.set_return_version(r->version);
            record.set_timeliness(static_cast<v1::Timeliness>(r->timeliness));
            *record.mutable_receive_time() = ToProtoTimestamp(r->receive_time);
            found.emplace_back(Key{r->la_code, period_id, f.indicator_id, c.collection_id}, std::move(record));
          }
        }
      }
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  const absl::Time now = clock_();
  std::vector<federation::RegionOutcome> outcomes;  // per region, its least current state
  if (national) {
    for (const std::string& period_id : period_ids) {
      RegionAggregates regions;
      if (absl::Status asked = AskPublishedAggregates(period_id, now, &regions); !asked.ok()) {
        return asked;
      }
      if (federation::IsStrict(request.federation_mode())) {
        if (absl::Status every = federation::RequireEveryRegion(regions.outcomes); !every.ok()) {
          return every;
        }
      }
      if (outcomes.empty()) {
        outcomes = regions.outcomes;
      } else {
        for (size_t r = 0; r < outcomes.size() && r < regions.outcomes.size(); ++r) {
          if (outcomes[r].current() && !regions.outcomes[r].current()) outcomes[r] = regions.outcomes[r];
        }
      }
      // Other regions' published totals (this region's figures were read above).
      for (size_t r = 1; r < regions.replies.size(); ++r) {
        const auto& reply = regions.replies[r];
        if (!reply.has_value() || !reply->published()) continue;
        for (const v1::PublishedLaFigure& f : reply->la_figures()) {
          if (!indicators.empty() && !indicators.count(f.indicator_id())) continue;
          if (!las.empty() && !las.count(f.la_code().value())) continue;
          const LocalAuthorityRecord* la = refdata_->FindLocalAuthority(f.la_code().value());
          if (la == nullptr || la->region_code != regions.outcomes[r].region) continue;  // its own LAs only
          v1::ValueRecord record;
          *record.mutable_la_code() = f.la_code();
          record.mutable_region()->set_value(regions.outcomes[r].region);
          record.set_period_id(period_id);
          v1::IndicatorValue* value = record.mutable_value();
          value->set_indicator_id(f.indicator_id());
          value->mutable_total()->set_state(f.state());
          if (f.has_value()) *value->mutable_total()->mutable_value() = f.value();
          found.emplace_back(Key{f.la_code().value(), period_id, f.indicator_id(), ""}, std::move(record));
        }
      }
      // The England figure of every indicator some region published (unit and decimal places
      // from the first region that has it, this region's first).
      std::set<std::string> done;
      for (const auto& reply : regions.replies) {
        if (!reply.has_value() || !reply->published()) continue;
        for (const v1::IndicatorAggregate& a : reply->indicators()) {
          if (!indicators.empty() && !indicators.count(a.indicator_id())) continue;
          if (!done.insert(a.indicator_id()).second) continue;
          v1::EnglandValue* england = response->add_england();
          england->set_period_id(period_id);
          england->set_indicator_id(a.indicator_id());
          FormEnglandFigure(a.indicator_id(), a.unit(), a.decimal_places(), regions,
                            england->mutable_england());
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto key_text = [](const Key& k) {
    return absl::StrCat(std::get<0>(k), "|", std::get<1>(k), "|", std::get<2>(k), "|", std::get<3>(k));
  };
  std::string last;
  for (auto& [key, record] : found) {
    const std::string text = key_text(key);
    if (!after.empty() && text <= after) continue;
    if (response->values_size() == page_size) {
      response->mutable_page()->set_next_page_token(EncodePageToken("values", last));
      break;
    }
    *response->add_values() = std::move(record);
    last = text;
  }
  response->mutable_page()->set_total_size(static_cast<int64_t>(found.size()));
  if (national) {
    federation::FillFederationInfo(common::REGION_SCOPE_NATIONAL, outcomes, now,
                                   response->mutable_federation());
    return absl::OkStatus();
  }
  response->mutable_federation()->set_scope(request.scope() == common::REGION_SCOPE_UNSPECIFIED
                                                ? common::REGION_SCOPE_OWN_REGION
                                                : request.scope());
  common::RegionAnswer* answer = response->mutable_federation()->add_regions();
  answer->mutable_region()->set_value(region_);
  answer->set_state(common::REGION_ANSWER_STATE_FRESH);
  *answer->mutable_as_of() = ToProtoTimestamp(now);
  return absl::OkStatus();
}

namespace {

std::string StateText(ValueState state) {
  switch (state) {
    case ValueState::kPresent: return "present";
    case ValueState::kMissing: return "missing";
    case ValueState::kSuppressed: return "suppressed";
    default: return "not_submitted";
  }
}

// Appends one exported figure to `csv` (note left out when `with_note` is false).
void AddValueCsvRow(const ReturnRecord& r, const std::string& indicator_id, Dimension dimension,
                    const std::string& category, const Observation& o, bool with_note, CsvWriter* csv) {
  auto number = [](const std::optional<Decimal>& d) { return d ? FormatDecimal(*d) : std::string(); };
  csv->Cell(r.la_code).Cell(r.period_id).Cell(indicator_id).Cell(DimensionName(dimension)).Cell(category);
  csv->Cell(StateText(o.state)).Cell(o.state == ValueState::kPresent ? number(o.value) : "");
  csv->Cell(number(o.numerator)).Cell(number(o.denominator)).Cell(with_note ? o.note : "");
  csv->Cell(absl::StrCat(r.version)).Cell(r.timeliness == Timeliness::kOnTime ? "on_time" : "late");
  csv->Cell(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", r.receive_time, absl::UTCTimeZone()));
  csv->EndRow();
}

constexpr int kDefaultCsvPage = 10000;
constexpr int kMaxCsvPage = 50000;

}  // namespace

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ExportValuesCsv(grpc::CallbackServerContext* context,
                                                                     const v1::ExportValuesCsvRequest* request,
                                                                     v1::ExportValuesCsvResponse* response) {
  return HandleUnary(runtime_, context, methods::kExportValuesCsv,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    const FigureView view = ViewOf(call.principal());
    const int requested = request->page().page_size();
    if (requested < 0 || requested > kMaxCsvPage) violations.Add("page.page_size", "must be 0..50000");
    const int page_size = requested == 0 ? kDefaultCsvPage : requested;
    const std::string after =
        DecodePageToken("values_csv", request->page().page_token(), "page.page_token", &violations);
    int64_t offset = 0;
    if (!after.empty() && !absl::SimpleAtoi(after, &offset)) violations.Add("page.page_token", "bad token");
    for (int i = 0; i < request->la_codes_size(); ++i) {
      if (!IsLaCodeSyntax(request->la_codes(i).value())) {
        violations.Add(absl::StrCat("la_codes[", i, "].value"), "must be a DfE three-digit LA code");
      }
    }
    if (!violations.empty()) return violations.ToStatus();
    const std::set<std::string> periods(request->period_ids().begin(), request->period_ids().end());
    const std::set<std::string> indicators(request->indicator_ids().begin(), request->indicator_ids().end());
    std::set<std::string> las;
    for (const auto& la : request->la_codes()) las.insert(la.value());
    std::vector<std::string> rows;
    absl::Status read = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      std::vector<CollectionRecord> collections;
      if (request->collection_id().empty()) {
        auto all = repository::ListCollections(tx, region_);
        if (!all.ok()) return all.status();
        collections = *std::move(all);
      } else {
        auto one = ResolveCollection(tx, region_, request->collection_id());
        if (!one.ok()) return one.status();
        collections.push_back(*one);
      }
      for (const CollectionRecord& c : collections) {
        auto listed = repository::ListPeriods(tx, c.collection_id);
        if (!listed.ok()) return listed.status();
        std::reverse(listed->begin(), listed->end());  // oldest first
        for (const PeriodRecord& p : *listed) {
          if (!periods.empty() && !periods.count(p.period_id)) continue;
          auto versions = repository::ListReturnVersions(tx, c.collection_id, p.period_id, false);
          if (!versions.ok()) return versions.status();
          for (const ReturnRecord& header : *versions) {
            if (!header.latest || (!las.empty() && !las.count(header.la_code))) continue;
            if (!SeesFigures(view, header.la_code, p)) continue;
            auto r = repository::GetReturn(tx, header.la_code, c.collection_id, p.period_id, header.version, true);
            if (!r.ok()) return r.status();
            if (absl::Status s = OrderLikePeriod(tx, *r); !s.ok()) return s;
            const bool notes = SeesNotes(view, r->la_code);
            for (const IndicatorFigures& f : r->values) {
              if (!indicators.empty() && !indicators.count(f.indicator_id)) continue;
              CsvWriter row;
              AddValueCsvRow(*r, f.indicator_id, Dimension::kTotal, "", f.total, notes, &row);
              rows.push_back(row.Release());
              if (!request->include_breakdowns()) continue;
              for (const BreakdownFigure& b : f.breakdowns) {
                CsvWriter breakdown;
                AddValueCsvRow(*r, f.indicator_id, b.dimension, b.category, b.observation, notes,
                               &breakdown);
                rows.push_back(breakdown.Release());
              }
            }
          }
        }
      }
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    std::string content;
    if (offset == 0) {
      CsvWriter header;
      header.AddRow({"la_code", "period_id", "indicator_id", "breakdown_dimension", "breakdown_category",
                     "state", "value", "numerator", "denominator", "note", "return_version", "timeliness",
                     "receive_time"});
      content = header.Release();
    }
    const int64_t end = std::min<int64_t>(static_cast<int64_t>(rows.size()), offset + page_size);
    for (int64_t i = offset; i < end; ++i) content += rows[static_cast<size_t>(i)];
    if (end < static_cast<int64_t>(rows.size())) {
      response->mutable_page()->set_next_page_token(EncodePageToken("values_csv", absl::StrCat(end)));
    }
    response->mutable_page()->set_total_size(static_cast<int64_t>(rows.size()));
    response->set_content(std::move(content));
    response->set_content_type("text/csv; charset=utf-8");
    response->set_file_name(absl::StrCat(region_, "-",
                                         request->collection_id().empty() ? "all" : request->collection_id(),
                                         "-values.csv"));
    return absl::OkStatus();
  });
}

}  // namespace slihub::datacollection
