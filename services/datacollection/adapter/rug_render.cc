#include "services/datacollection/adapter/rug_render.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/base/csv_writer.h"
#include "common/base/html.h"
#include "services/datacollection/adapter/convert.h"

namespace slihub::datacollection {
namespace {

std::string Number(bool present, const v1::DecimalValue& d) {
  return present ? FormatDecimal(FromProto(d)) : std::string();
}

std::string StateName(v1::ValueState state) {
  switch (state) {
    case v1::VALUE_STATE_PRESENT: return "present";
    case v1::VALUE_STATE_MISSING: return "missing";
    case v1::VALUE_STATE_SUPPRESSED: return "suppressed";
    default: return "not_submitted";
  }
}

std::string TrendName(v1::TrendDirection d) {
  switch (d) {
    case v1::TREND_DIRECTION_IMPROVED: return "improved";
    case v1::TREND_DIRECTION_WORSENED: return "worsened";
    case v1::TREND_DIRECTION_UNCHANGED: return "unchanged";
    case v1::TREND_DIRECTION_INCREASED: return "increased";
    case v1::TREND_DIRECTION_DECREASED: return "decreased";
    default: return "not_comparable";
  }
}

// Fill colours: quartile 1 (best) to 4, then not ranked; POLARITY_NEITHER rows use neutral blues.
const char* Fill(const v1::BenchmarkCell& cell, v1::Polarity polarity) {
  static const char* const kJudged[] = {"#1a9850", "#a6d96a", "#fdae61", "#d73027"};
  static const char* const kNeutral[] = {"#08519c", "#4292c6", "#9ecae1", "#deebf7"};
  const int band = static_cast<int>(cell.quartile());
  if (band < 1 || band > 4) return "#d9d9d9";
  return polarity == v1::POLARITY_NEITHER ? kNeutral[band - 1] : kJudged[band - 1];
}

std::string TimeText(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
                          absl::UTCTimeZone());
}

std::string RegionStateName(slihub::common::v1::RegionAnswerState state) {
  switch (state) {
    case slihub::common::v1::REGION_ANSWER_STATE_FRESH: return "FRESH";
    case slihub::common::v1::REGION_ANSWER_STATE_CACHED: return "CACHED";
    case slihub::common::v1::REGION_ANSWER_STATE_STALE: return "STALE";
    case slihub::common::v1::REGION_ANSWER_STATE_TIMED_OUT: return "TIMED_OUT";
    default: return "UNAVAILABLE";
  }
}

// The table of each region's state above a NATIONAL rug: which regions its England figures rest on.
std::string RegionTable(const slihub::common::v1::FederationInfo& federation) {
  std::string out = absl::StrCat(
      "<h2>Regions the England figure rests on (", federation.partial() ? "partial" : "complete",
      ")</h2>\n<table class=\"federation\"><thead><tr><th>Region</th><th>State</th><th>Age</th>"
      "<th>As of</th><th>Reason</th></tr></thead><tbody>\n");
  for (const slihub::common::v1::RegionAnswer& a : federation.regions()) {
    const absl::Duration age = absl::Seconds(a.age().seconds()) + absl::Nanoseconds(a.age().nanos());
    absl::StrAppend(&out, "<tr data-region=\"", HtmlEscape(a.region().value()), "\" data-state=\"",
                    RegionStateName(a.state()), "\"><td>", HtmlEscape(a.region().value()), "</td><td>",
                    RegionStateName(a.state()), "</td><td>",
                    a.has_age() ? HtmlEscape(absl::FormatDuration(absl::Trunc(age, absl::Milliseconds(1))))
                                : std::string(),
                    "</td><td>", a.has_as_of() ? HtmlEscape(TimeText(a.as_of())) : std::string(), "</td><td>",
                    HtmlEscape(a.reason()), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");
  return out;
}

// The England figure beside a row: its value (or "-"), method, completeness and as-of time.
struct EnglandText {
  std::string shown;  // in the column
  std::string as_of;  // empty when not formed
};

EnglandText England(const v1::EnglandFigure& england) {
  EnglandText out;
  if (england.state() != v1::VALUE_STATE_PRESENT || !england.has_value()) {
    out.shown = "- (no published figures)";
    return out;
  }
  out.shown = absl::StrCat(FormatDecimal(FromProto(england.value())), " (",
                           england.method() == v1::ENGLAND_FIGURE_METHOD_POOLED ? "pooled" : "mean of LAs",
                           ", ", england.las_included(), " LAs", england.complete() ? "" : ", incomplete", ")");
  if (england.has_as_of_time()) out.as_of = TimeText(england.as_of_time());
  return out;
}

const char* TextColour(const char* fill) {
  const std::string f = fill;
  return (f == "#1a9850" || f == "#d73027" || f == "#08519c" || f == "#4292c6") ? "#ffffff" : "#000000";
}

}  // namespace

std::string RenderRugCsv(const v1::Benchmark& rug) {
  CsvWriter out;
  out.AddRow({"region", "collection_id", "period_id", "indicator_id", "indicator_short_name", "la_code",
              "state", "value", "rank", "ranked_count", "rank_tied", "quartile", "regional_mean",
              "regional_median", "statistical_neighbour_average", "statistical_neighbours_used",
              "previous_period_id", "previous_value", "difference", "trend", "top_20_percent",
              "bottom_20_percent", "return_version", "timeliness", "note", "england_value",
              "england_method", "england_las_included", "england_complete", "england_as_of_time"});
  for (const v1::BenchmarkRow& row : rug.rows()) {
    const std::string mean = Number(row.regional().has_mean(), row.regional().mean());
    const std::string median = Number(row.regional().has_median(), row.regional().median());
    // The England comparator (NATIONAL scope only; empty columns otherwise).
    const v1::EnglandFigure& england = row.england();
    const bool england_present = england.state() == v1::VALUE_STATE_PRESENT;
    const std::string england_method =
        !england_present ? ""
        : england.method() == v1::ENGLAND_FIGURE_METHOD_POOLED ? "pooled"
                                                                : "mean_of_las";
    const std::string england_as_of =
        england.has_as_of_time()
            ? absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ",
                               absl::FromUnixSeconds(england.as_of_time().seconds()) +
                                   absl::Nanoseconds(england.as_of_time().nanos()),
                               absl::UTCTimeZone())
            : "";
    for (const v1::BenchmarkCell& cell : row.cells()) {
      const int band = static_cast<int>(cell.quartile());
      std::vector<std::string> fields = {
          rug.region().value(), rug.collection_id(), rug.period_id(), row.indicator().indicator_id(),
          row.indicator().short_name(), cell.la_code().value(), StateName(cell.state()),
          Number(cell.state() == v1::VALUE_STATE_PRESENT && cell.has_value(), cell.value()),
          cell.rank() > 0 ? absl::StrCat(cell.rank()) : "", absl::StrCat(cell.ranked_count()),
          cell.rank_tied() ? "true" : "false", band >= 1 && band <= 4 ? absl::StrCat(band) : "",
          mean, median,
          Number(cell.has_statistical_neighbour_average(), cell.statistical_neighbour_average()),
          absl::StrCat(cell.statistical_neighbours_used()), cell.change().previous_period_id(),
          Number(cell.change().has_previous_value(), cell.change().previous_value()),
          Number(cell.change().has_difference(), cell.change().difference()),
          TrendName(cell.change().direction()), cell.top_20_percent() ? "true" : "false",
          cell.bottom_20_percent() ? "true" : "false", absl::StrCat(cell.return_version()),
          cell.timeliness() == v1::TIMELINESS_ON_TIME ? "on_time"
                                                       : (cell.timeliness() == v1::TIMELINESS_LATE ? "late" : ""),
          cell.note(), Number(england_present && england.has_value(), england.value()),
          england_method, england_present ? absl::StrCat(england.las_included()) : "",
          england_present ? (england.complete() ? "true" : "false") : "", england_as_of};
      for (const std::string& field : fields) out.Cell(field);
      out.EndRow();
    }
  }
  return out.Release();
}

std::string RenderRugHtml(const v1::Benchmark& rug, const ReferenceData& refdata,
                          const slihub::common::v1::FederationInfo* federation) {
  constexpr int kLabelWidth = 230, kCellWidth = 74, kCellHeight = 26, kHeaderHeight = 120, kStatsWidth = 140;
  constexpr int kEnglandWidth = 420;
  const bool national =
      federation != nullptr && federation->scope() == slihub::common::v1::REGION_SCOPE_NATIONAL;
  const int columns = rug.la_codes_size();
  const int england_x = kLabelWidth + columns * kCellWidth + kStatsWidth;
  const int width = england_x + (national ? kEnglandWidth : 0) + 10;
  const int height = kHeaderHeight + rug.rows_size() * kCellHeight + 10;
  const RegionRecord* region = refdata.FindRegion(rug.region().value());
  const std::string title = absl::StrCat("Tartan rug: ", region ? region->name : rug.region().value(), ", ",
                                         rug.period_id());
  std::string svg = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", width, "\" height=\"", height,
      "\" role=\"img\" aria-label=\"", HtmlEscape(title), "\" font-family=\"Arial, sans-serif\" font-size=\"11\">\n");
  for (int c = 0; c < columns; ++c) {
    const std::string& code = rug.la_codes(c).value();
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(code);
    const int x = kLabelWidth + c * kCellWidth + kCellWidth / 2;
    absl::StrAppend(&svg, "<text class=\"la\" data-la=\"", HtmlEscape(code), "\" transform=\"translate(", x, ",",
                    kHeaderHeight - 6, ") rotate(-45)\">", HtmlEscape(la ? la->name : code), " (", HtmlEscape(code),
                    ")</text>\n");
  }
  absl::StrAppend(&svg, "<text x=\"", kLabelWidth + columns * kCellWidth + 8, "\" y=\"", kHeaderHeight - 6,
                  "\" font-weight=\"bold\">Region mean / median</text>\n");
  if (national) {
    absl::StrAppend(&svg, "<text x=\"", england_x + 8, "\" y=\"", kHeaderHeight - 6,
                    "\" font-weight=\"bold\">England (as of)</text>\n");
  }
  for (int r = 0; r < rug.rows_size(); ++r) {
    const v1::BenchmarkRow& row = rug.rows(r);
    const int y = kHeaderHeight + r * kCellHeight;
    absl::StrAppend(&svg, "<text class=\"indicator\" data-indicator=\"", HtmlEscape(row.indicator().indicator_id()),
                    "\" x=\"4\" y=\"", y + 17, "\"><title>", HtmlEscape(row.indicator().name()), "</title>",
                    HtmlEscape(row.indicator().short_name()), "</text>\n");
    for (int c = 0; c < row.cells_size(); ++c) {
      const v1::BenchmarkCell& cell = row.cells(c);
      const char* fill = Fill(cell, row.indicator().polarity());
      const int x = kLabelWidth + c * kCellWidth;
      const bool present = cell.state() == v1::VALUE_STATE_PRESENT && cell.has_value();
      const std::string shown = present ? FormatDecimal(FromProto(cell.value()))
                                        : (cell.state() == v1::VALUE_STATE_SUPPRESSED
                                               ? "supp."
                                               : (cell.state() == v1::VALUE_STATE_MISSING ? "missing" : "n/s"));
      std::string tip = absl::StrCat(cell.la_code().value(), " ", row.indicator().indicator_id(), ": ", shown);
      if (cell.rank() > 0) absl::StrAppend(&tip, ", rank ", cell.rank(), " of ", cell.ranked_count());
      if (cell.bottom_20_percent()) absl::StrAppend(&tip, ", bottom 20%");
      if (cell.top_20_percent()) absl::StrAppend(&tip, ", top 20%");
      absl::StrAppend(&svg, "<g class=\"cell\" data-la=\"", HtmlEscape(cell.la_code().value()), "\" data-indicator=\"",
                      HtmlEscape(row.indicator().indicator_id()), "\"><title>", HtmlEscape(tip), "</title><rect x=\"", x,
                      "\" y=\"", y, "\" width=\"", kCellWidth - 2, "\" height=\"", kCellHeight - 2,
                      "\" fill=\"", fill, "\"", cell.bottom_20_percent() ? " stroke=\"#000\" stroke-width=\"2\"" : "",
                      "/><text x=\"", x + kCellWidth / 2 - 1, "\" y=\"", y + 16,
                      "\" text-anchor=\"middle\" fill=\"", TextColour(fill), "\">", HtmlEscape(shown), "</text></g>\n");
    }
    const std::string mean = row.regional().has_mean() ? FormatDecimal(FromProto(row.regional().mean())) : "-";
    const std::string median =
        row.regional().has_median() ? FormatDecimal(FromProto(row.regional().median())) : "-";
    absl::StrAppend(&svg, "<text x=\"", kLabelWidth + columns * kCellWidth + 8, "\" y=\"", y + 17, "\">",
                    HtmlEscape(mean), " / ", HtmlEscape(median), "</text>\n");
    if (national) {
      const EnglandText england = England(row.england());
      absl::StrAppend(&svg, "<text class=\"england\" data-indicator=\"",
                      HtmlEscape(row.indicator().indicator_id()), "\" data-as-of=\"", HtmlEscape(england.as_of),
                      "\" x=\"", england_x + 8, "\" y=\"", y + 17, "\">", HtmlEscape(england.shown),
                      england.as_of.empty() ? std::string() : absl::StrCat(" as of ", HtmlEscape(england.as_of)),
                      "</text>\n");
    }
  }
  absl::StrAppend(&svg, "</svg>\n");

  std::string key = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"30\" font-family=\"Arial, "
                    "sans-serif\" font-size=\"11\">\n";
  const std::pair<const char*, const char*> entries[] = {
      {"#1a9850", "1st quartile (best)"}, {"#a6d96a", "2nd"}, {"#fdae61", "3rd"},
      {"#d73027", "4th quartile (worst)"}, {"#4292c6", "no polarity"}, {"#d9d9d9", "not ranked"}};
  int x = 0;
  for (const auto& [colour, label] : entries) {
    absl::StrAppend(&key, "<rect x=\"", x, "\" y=\"6\" width=\"16\" height=\"16\" fill=\"", colour,
                    "\"/><text x=\"", x + 20, "\" y=\"18\">", label, "</text>\n");
    x += 125;
  }
  absl::StrAppend(&key, "</svg>\n");

  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", HtmlEscape(title),
      "</title>\n<style>body{font-family:Arial,sans-serif;margin:16px;color:#111}"
      "h1{font-size:20px}h2{font-size:15px}p{font-size:13px}table.federation{border-collapse:collapse;"
      "font-size:12px;margin-bottom:12px}table.federation td,table.federation th{border:1px solid #bbb;"
      "padding:2px 8px;text-align:left}</style>\n</head>\n<body>\n<h1>", HtmlEscape(title), "</h1>\n<p>",
      HtmlEscape(rug.collection_id()), "; change against ",
      HtmlEscape(rug.previous_period_id().empty() ? std::string("no previous period") : rug.previous_period_id()),
      ". Cells are coloured by quartile band within the region (rank 1 = best by polarity, ties shared); "
      "a black border marks the bottom 20%. Missing (missing), suppressed (supp.) and not submitted (n/s) "
      "figures are never counted as zero.</p>\n",
      national ? absl::StrCat("<p>The England figure beside each row is formed from every region's published "
                              "aggregates; it is incomplete when a region below is missing, stale or has not "
                              "published the indicator, and dated by its oldest part.</p>\n",
                              RegionTable(*federation))
               : std::string(),
      key, svg, "</body>\n</html>\n");
}

}  // namespace slihub::datacollection
