// ImportReturnsCsv: rows grouped by (LA, period) become one MERGE version each; bad rows are reported
// by line and column, and an indicator whose breakdown does not add up makes every row of its group
// bad. One bad row stores nothing unless the caller asked for a partial import.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_format.h"
#include "common/base/csv.h"
#include "common/base/text.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/datacollection_service.h"
#include "services/datacollection/adapter/datacollection_methods.h"
#include "services/datacollection/adapter/returns_csv.h"
#include "services/datacollection/adapter/service_helpers.h"
#include "services/datacollection/domain/validation.h"

namespace slihub::datacollection {
namespace {

constexpr int kMaxReportedErrors = 1000;

// The column a violation's field path points at ("total.value.scale" -> "value").
std::string ColumnOf(absl::string_view field) {
  if (absl::EndsWith(field, ".category")) return "breakdown_category";
  if (absl::EndsWith(field, ".dimension")) return "breakdown_dimension";
  for (const char* column : {"value", "numerator", "denominator", "state", "note"}) {
    if (absl::StrContains(field, absl::StrCat(".", column))) return column;
  }
  return "";
}

}  // namespace

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ImportReturnsCsv(grpc::CallbackServerContext* context,
                                                                      const v1::ImportReturnsCsvRequest* request,
                                                                      v1::ImportReturnsCsvResponse* response) {
  return HandleUnary(runtime_, context, methods::kImportReturnsCsv,
                     [this, request, response](const CallInfo& call) {
                       return DoImportReturnsCsv(call, *request, response);
                     });
}

absl::Status DataCollectionServiceImpl::DoImportReturnsCsv(const CallInfo& call,
                                                           const v1::ImportReturnsCsvRequest& request,
                                                           v1::ImportReturnsCsvResponse* response) {
  const Principal& principal = call.principal();
  FieldViolations violations;
  CheckRequestId(request.request_id(), "request_id", &violations);
  CheckText(request.comment(), "comment", kCommentText, &violations);
  if (!request.period_id().empty()) CheckId(request.period_id(), "period_id", &violations);
  if (!request.collection_id().empty()) CheckId(request.collection_id(), "collection_id", &violations);
  const ReturnsCsv csv = ReadReturnsCsv(request.csv(), !request.period_id().empty(), &violations);
  const std::vector<CsvRecord>& records = csv.records;
  if (!violations.empty()) return violations.ToStatus();

  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(clock_()));
  const bool officer_only = !IsRegionWide(principal);
  bool ran = false;
  absl::Status written = RunIdempotent(*db_, call, request.request_id(), "request_id", request, response,
                                       [&](store::Transaction& tx) -> absl::Status {
    ran = true;
    auto collection = ResolveCollection(tx, region_, request.collection_id());
    if (!collection.ok()) return collection.status();

    std::map<std::string, absl::StatusOr<PeriodRecord>> periods;
    std::map<std::string, absl::StatusOr<IndicatorDef>> indicators;
    // (LA, period) -> indicator -> rows, and the keys already seen for duplicates.
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<CsvFigure>>> groups;
    std::map<std::string, int64_t> seen;
    std::vector<v1::CsvRowError> errors;
    std::set<int64_t> rejected_lines;
    int64_t rows_read = 0, rows_accepted = 0;
    auto report = [&](int64_t line, const std::string& column, const std::string& la, const std::string& indicator,
                      const std::string& message) {
      v1::CsvRowError e;
      e.set_line(line);
      e.set_column(column);
      e.set_indicator_id(indicator);
      if (!la.empty()) e.mutable_la_code()->set_value(la);
      e.set_message(message);
      errors.push_back(std::move(e));
      rejected_lines.insert(line);
    };

    for (size_t r = 1; r < records.size(); ++r) {
      const CsvRecord& rec = records[r];
      ++rows_read;
      auto get = [&](const char* name) { return csv.Get(r, name); };
      if (rec.fields.size() != records[0].fields.size()) {
        report(rec.line, "", get("la_code"), get("indicator_id"),
               absl::StrCat("expected ", records[0].fields.size(), " fields, found ", rec.fields.size()));
        continue;
      }
      const std::string la = get("la_code"), indicator_id = get("indicator_id");
      std::string period_id = get("period_id");
      auto fail = [&](const std::string& column, const std::string& message) {
        report(rec.line, column, la, indicator_id, message);
      };
      if (!request.period_id().empty()) {
        if (period_id.empty()) period_id = request.period_id();
        if (period_id != request.period_id()) {
          fail("period_id", absl::StrCat("this import is for period ", request.period_id()));
          continue;
        }
      }
      if (!IsLaCodeSyntax(la)) { fail("la_code", "must be a DfE three-digit LA code"); continue; }
      if (absl::Status access = CheckLaAccess(principal, la); !access.ok()) {
        fail("la_code", std::string(access.message()));
        continue;
      }
      auto p = periods.find(period_id);
      if (p == periods.end()) p = periods.emplace(period_id, repository::GetPeriod(tx, collection->collection_id, period_id)).first;
      if (!p->second.ok()) {
        if (p->second.status().code() != absl::StatusCode::kNotFound) return p->second.status();
        fail("period_id", absl::StrCat("no period ", period_id, " in ", collection->collection_id));
        continue;
      }
      const PeriodRecord& period = *p->second;
      const PeriodState state = StateAt(PeriodWindow{period.open_time, period.deadline_time, period.close_time}, now);
      if (state == PeriodState::kScheduled || state == PeriodState::kClosed) {
        fail("period_id", absl::StrCat("period ", period_id, state == PeriodState::kClosed ? " is closed" : " is not open yet"));
        continue;
      }
      if (std::find(period.indicator_ids.begin(), period.indicator_ids.end(), indicator_id) ==
          period.indicator_ids.end()) {
        fail("indicator_id", absl::StrCat("'", indicator_id, "' is not collected in period ", period_id));
        continue;
      }
      auto d = indicators.find(indicator_id);
      if (d == indicators.end()) d = indicators.emplace(indicator_id, repository::GetIndicator(tx, indicator_id, 0)).first;
      if (!d->second.ok()) return d->second.status();
      if (d->second->retired) { fail("indicator_id", "the indicator is retired"); continue; }
      if (officer_only && !d->second->derived_by_service.empty()) {
        fail("indicator_id", absl::StrCat("derived by the ", d->second->derived_by_service, " service"));
        continue;
      }
      CsvFigure figure;
      if (std::optional<CsvRowProblem> problem = ReadReturnsCsvFigure(csv, r, &figure)) {
        fail(problem->column, problem->message);
        continue;
      }
      const std::string key = absl::StrCat(la, "|", period_id, "|", indicator_id, "|",
                                           static_cast<int>(figure.dimension), "|", figure.category);
      if (auto [it, inserted] = seen.emplace(key, rec.line); !inserted) {
        fail("", absl::StrCat("duplicate of line ", it->second));
        continue;
      }
      groups[{la, period_id}][indicator_id].push_back(std::move(figure));
    }

    std::vector<std::pair<std::pair<std::string, std::string>, std::vector<IndicatorFigures>>> to_store;
    for (auto& [key, by_indicator] : groups) {
      std::vector<IndicatorFigures> good;
      for (auto& [indicator_id, rows] : by_indicator) {
        const IndicatorDef& def = *indicators.at(indicator_id);
        IndicatorFigures figures;
        figures.indicator_id = indicator_id;
        std::vector<int64_t> breakdown_lines;
        int64_t total_line = 0;
        for (const CsvFigure& row : rows) {
          if (row.dimension == Dimension::kTotal) {
            figures.total = row.observation;
            total_line = row.line;
          } else {
            figures.breakdowns.push_back({row.dimension, row.category, row.observation});
            breakdown_lines.push_back(row.line);
          }
        }
        std::vector<Violation> problems;
        if (total_line == 0) {
          problems.push_back({"", absl::StrCat(indicator_id, ": no total row for this LA and period")});
        } else {
          problems = ValidateFigures(def, figures);
        }
        if (problems.empty()) {
          rows_accepted += static_cast<int64_t>(rows.size());
          good.push_back(std::move(figures));
          continue;
        }
        std::set<int64_t> reported;
        for (const Violation& v : problems) {
          int64_t line = 0;
          if (absl::StartsWith(v.field, "total")) {
            line = total_line;
          } else if (absl::StartsWith(v.field, "breakdowns[")) {
            const size_t i = std::stoul(v.field.substr(11));
            if (i < breakdown_lines.size()) line = breakdown_lines[i];
          }
          if (line != 0 && reported.insert(line).second) report(line, ColumnOf(v.field), key.first, indicator_id, v.description);
        }
        for (const CsvFigure& row : rows) {
          if (reported.count(row.line)) continue;
          report(row.line, "", key.first, indicator_id,
                 absl::StrCat("dropped with the other rows of ", indicator_id, ": ", problems.front().description));
        }
      }
      if (!good.empty()) to_store.emplace_back(key, std::move(good));
    }
    // All or nothing unless the caller asked for the good rows alone.
    const bool any_bad = rows_accepted < rows_read;
    const bool store_nothing = any_bad && !request.partial();
    if (store_nothing) rows_accepted = 0;
    for (auto& [key, good] : to_store) {
      if (store_nothing || request.dry_run()) break;
      const PeriodRecord& period = *periods.at(key.second);
      auto latest = repository::LatestVersion(tx, key.first, collection->collection_id, period.period_id);
      if (!latest.ok()) return latest.status();
      auto next = BuildNextVersion(tx, period, key.first, std::move(good), false, *latest, now);
      if (!next.ok()) return next.status();
      next->source = v1::SUBMISSION_SOURCE_CSV_IMPORT;
      next->comment = request.comment();
      next->submitted_by = principal.subject;
      if (absl::Status s = repository::InsertReturn(tx, *next); !s.ok()) return s;
      ToProto(*next, false, response->add_versions());
    }
    response->set_stored_nothing(store_nothing);

    std::stable_sort(errors.begin(), errors.end(),
                     [](const v1::CsvRowError& a, const v1::CsvRowError& b) { return a.line() < b.line(); });
    for (size_t i = 0; i < errors.size() && i < kMaxReportedErrors; ++i) *response->add_errors() = errors[i];
    response->set_rows_read(rows_read);
    response->set_rows_accepted(rows_accepted);
    response->set_rows_rejected(rows_read - rows_accepted);
    return absl::OkStatus();
  });
  if (written.ok() && !ran) response->set_replayed(true);
  return written;
}

}  // namespace slihub::datacollection
