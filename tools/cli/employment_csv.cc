// The HR history CSV export read as employment periods (see employment_csv.h).
#include "tools/cli/employment_csv.h"

#include <map>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "common/base/csv.h"

namespace slihub::cli {

namespace wf = ::slihub::workforce::v1;
namespace cv1 = ::slihub::common::v1;

// A date as YYYY-MM-DD or, as UK HR systems write it, DD/MM/YYYY.
std::optional<cv1::CivilDate> ParseDate(const std::string& text) {
  absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
  if (!day.ok()) {
    std::vector<std::string> parts = absl::StrSplit(text, '/');
    int d = 0, m = 0, y = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &d) ||
        !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &y) ||
        parts[2].size() != 4) {
      return std::nullopt;
    }
    day = MakeCivilDate(y, m, d);
    if (!day.ok()) return std::nullopt;
  }
  cv1::CivilDate out;
  out.set_year(static_cast<int32_t>(day->year()));
  out.set_month(day->month());
  out.set_day(day->day());
  return out;
}

// "yes"/"no", "true"/"false", "y"/"n", "1"/"0"; empty is no.
std::optional<bool> ParseYesNo(const std::string& text) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (v.empty() || v == "no" || v == "n" || v == "false" || v == "0") return false;
  if (v == "yes" || v == "y" || v == "true" || v == "1") return true;
  return std::nullopt;
}

namespace {

// The columns of an HR export, by header name (any case; spaces or '-' for '_').
struct Columns {
  std::map<std::string, size_t> index;

  std::string Get(const CsvRecord& r, const std::string& name) const {
    auto it = index.find(name);
    if (it == index.end() || it->second >= r.fields.size()) return "";
    return std::string(absl::StripAsciiWhitespace(r.fields[it->second]));
  }
};

ImportRow ReadRow(const Columns& c, const CsvRecord& r) {
  ImportRow out;
  out.line = r.line;
  wf::EmploymentPeriod& p = out.period;
  p.set_record_id(c.Get(r, "record_id"));
  p.set_swe_number(c.Get(r, "swe_number"));
  p.mutable_la_code()->set_value(c.Get(r, "la_code"));
  auto fail = [&](const std::string& column, const std::string& why) {
    if (out.error.empty()) out.error = absl::StrCat(column, ": ", why);
  };
  wf::EmploymentType type;
  if (!ParseEnumName(c.Get(r, "employment_type"), "EMPLOYMENT_TYPE_",
                     &wf::EmploymentType_Parse, &type)) {
    fail("employment_type", "must be permanent, agency, fixed-term or other");
  } else {
    p.set_employment_type(type);
  }
  const std::string job = c.Get(r, "job_type");
  wf::JobType job_type;
  if (!job.empty()) {
    if (ParseEnumName(job, "JOB_TYPE_", &wf::JobType_Parse, &job_type)) {
      p.set_job_type(job_type);
    } else {
      fail("job_type", "is not one of the five job types");
    }
  }
  p.set_local_job_title(c.Get(r, "local_job_title"));
  std::optional<cv1::CivilDate> start = ParseDate(c.Get(r, "start_date"));
  if (start.has_value()) {
    *p.mutable_start_date() = *start;
  } else {
    fail("start_date", "must be a date (YYYY-MM-DD or DD/MM/YYYY)");
  }
  const std::string end = c.Get(r, "end_date");
  if (!end.empty()) {
    std::optional<cv1::CivilDate> d = ParseDate(end);
    if (d.has_value()) {
      *p.mutable_end_date() = *d;
    } else {
      fail("end_date", "must be a date (YYYY-MM-DD or DD/MM/YYYY) or empty");
    }
  }
  const std::string reason = c.Get(r, "leaving_reason");
  wf::LeavingReason leaving;
  if (!reason.empty()) {
    if (ParseEnumName(reason, "LEAVING_REASON_", &wf::LeavingReason_Parse, &leaving)) {
      p.set_leaving_reason(leaving);
    } else {
      fail("leaving_reason", "is not a leaving reason (resigned, redundant, ...)");
    }
  }
  for (const char* flag : {"child_and_family", "asye"}) {
    std::optional<bool> v = ParseYesNo(c.Get(r, flag));
    if (!v.has_value()) {
      fail(flag, "must be yes or no");
    } else if (std::string(flag) == "asye") {
      p.set_asye(*v);
    } else {
      p.set_child_and_family(*v);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<ImportRow>> ParseEmploymentCsv(absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  if (records->empty()) return absl::InvalidArgumentError("the file is empty");
  Columns columns;
  for (size_t i = 0; i < (*records)[0].fields.size(); ++i) {
    std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace((*records)[0].fields[i]));
    absl::StrReplaceAll({{" ", "_"}, {"-", "_"}}, &name);
    columns.index[name] = i;
  }
  for (const char* needed : {"record_id", "swe_number", "la_code", "employment_type",
                             "start_date"}) {
    if (columns.index.count(needed) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("no '", needed, "' column in the header row"));
    }
  }
  std::vector<ImportRow> rows;
  rows.reserve(records->size() - 1);
  for (size_t i = 1; i < records->size(); ++i) rows.push_back(ReadRow(columns, (*records)[i]));
  return rows;
}

}  // namespace slihub::cli
