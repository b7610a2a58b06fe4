// Reading the returns CSV (see returns_csv.h).
#include "services/datacollection/adapter/returns_csv.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/text.h"
#include "services/datacollection/adapter/service_helpers.h"
#include "services/datacollection/domain/decimal.h"

namespace slihub::datacollection {
namespace {

const char* const kRequiredColumns[] = {"la_code", "period_id", "indicator_id", "value"};

// Where `csv` stops being UTF-8, as "line L, column C: ..." (1-based, columns in characters), or
// nullopt when all of it is UTF-8.
std::optional<std::string> Utf8Problem(absl::string_view csv) {
  const std::optional<size_t> bad = FirstInvalidUtf8(csv);
  if (!bad) return std::nullopt;
  const absl::string_view before = csv.substr(0, *bad);
  const size_t line_start = before.rfind('\n') == absl::string_view::npos ? 0 : before.rfind('\n') + 1;
  const int64_t line = 1 + std::count(before.begin(), before.end(), '\n');
  const size_t column = 1 + CountCodePoints(before.substr(line_start));
  return absl::StrCat("line ", line, ", column ", column, ": not valid UTF-8 (byte 0x",
                      absl::Hex(static_cast<unsigned char>(csv[*bad]), absl::kZeroPad2),
                      "); save the file as UTF-8 (it looks like Latin-1 or Windows-1252)");
}

}  // namespace

std::string ReturnsCsv::Get(size_t row, const char* name) const {
  auto it = columns.find(name);
  if (row >= records.size() || it == columns.end() || it->second >= records[row].fields.size()) {
    return "";
  }
  return std::string(absl::StripAsciiWhitespace(records[row].fields[it->second]));
}

ReturnsCsv ReadReturnsCsv(absl::string_view csv, bool period_given, FieldViolations* violations) {
  ReturnsCsv out;
  if (csv.size() > kMaxReturnsCsvBytes) {
    violations->Add("csv", "larger than 4 MiB: split the file over several calls");
    return out;
  }
  if (std::optional<std::string> problem = Utf8Problem(csv)) {
    violations->Add("csv", *problem);
    return out;
  }
  auto parsed = ParseCsv(csv);
  if (!parsed.ok()) {
    violations->Add("csv", std::string(parsed.status().message()));
    return out;
  }
  if (parsed->empty()) {
    violations->Add("csv", "a header row is required");
    return out;
  }
  out.records = *std::move(parsed);
  for (size_t i = 0; i < out.records[0].fields.size(); ++i) {
    out.columns[absl::AsciiStrToLower(absl::StripAsciiWhitespace(out.records[0].fields[i]))] = i;
  }
  for (const char* required : kRequiredColumns) {
    if (!out.columns.count(required) && !(period_given && std::string(required) == "period_id")) {
      violations->Add("csv", absl::StrCat("missing header column ", required));
    }
  }
  return out;
}

std::optional<CsvRowProblem> ReadReturnsCsvFigure(const ReturnsCsv& csv, size_t row,
                                                  CsvFigure* out) {
  CsvFigure& figure = *out;
  figure.line = row < csv.records.size() ? csv.records[row].line : 0;
  const std::string dimension = absl::AsciiStrToLower(csv.Get(row, "breakdown_dimension"));
  figure.category = csv.Get(row, "breakdown_category");
  if (dimension.empty()) {
    if (!figure.category.empty()) return CsvRowProblem{"breakdown_category", "a total row has no category"};
  } else if (dimension == "ethnicity_group" || dimension == "sex" || dimension == "age_band") {
    figure.dimension = dimension == "sex" ? Dimension::kSex
                                          : (dimension == "age_band" ? Dimension::kAgeBand : Dimension::kEthnicityGroup);
    if (figure.category.empty()) {
      return CsvRowProblem{"breakdown_category", "required with a breakdown dimension"};
    }
  } else {
    return CsvRowProblem{"breakdown_dimension", "must be empty, ethnicity_group, sex or age_band"};
  }
  const std::string state_text = absl::AsciiStrToLower(csv.Get(row, "state"));
  const std::string value_text = csv.Get(row, "value");
  if (state_text == "present" || (state_text.empty() && !value_text.empty())) {
    figure.observation.state = ValueState::kPresent;
  } else if (state_text == "missing") {
    figure.observation.state = ValueState::kMissing;
  } else if (state_text == "suppressed") {
    figure.observation.state = ValueState::kSuppressed;
  } else {
    return CsvRowProblem{"state", state_text.empty() ? "give a value or a state"
                                                     : "must be present, missing or suppressed"};
  }
  const std::pair<const char*, std::optional<Decimal>*> numbers[] = {
      {"value", &figure.observation.value},
      {"numerator", &figure.observation.numerator},
      {"denominator", &figure.observation.denominator}};
  for (const auto& [column, target] : numbers) {
    const std::string text = csv.Get(row, column);
    if (text.empty()) continue;
    auto number = ParseDecimal(text);
    if (!number.ok()) return CsvRowProblem{column, std::string(number.status().message())};
    *target = *number;
  }
  figure.observation.note = csv.Get(row, "note");
  if (std::optional<std::string> problem =
          TextProblem(figure.observation.note, kNoteText.max_chars, kNoteText.multiline)) {
    return CsvRowProblem{"note", *problem};
  }
  if (std::optional<std::string> problem = TextProblem(figure.category, 200, false)) {
    return CsvRowProblem{"breakdown_category", *problem};
  }
  return std::nullopt;
}

}  // namespace slihub::datacollection
