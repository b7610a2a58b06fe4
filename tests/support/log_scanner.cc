#include "tests/support/log_scanner.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/support/sensitive_text.h"

namespace slihub::testing {
namespace {

// One kind of personal data and how to see it in a line.
struct Rule {
  const char* what;
  std::regex pattern;
};

const std::vector<Rule>& Rules() {
  static const auto* const rules = new std::vector<Rule>{
      // As the domain normalises them (SW and digits), in any case; postcode districts like SW1A
      // or SW19 have at most two digits.
      {"SWE number", std::regex(R"(\b[Ss][Ww][0-9]{3,6}\b)")},
      // A full postcode: district, a space, the sector digit and the two-letter unit.
      {"postcode", std::regex(R"(\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}\b)")},
      // A child's anonymised profile: its fields (as JSON keys) and the enum values only a
      // profile carries.
      {"child profile", std::regex(R"re("(age_years|sibling_group_size|legal_status|home_location|risks|needs)"|RISK_CATEGORY_|LEGAL_STATUS_)re")},
  };
  return *rules;
}

}  // namespace

std::optional<std::string> PersonalDataIn(absl::string_view line) {
  for (const char* text : kSensitiveTestText) {
    if (absl::StrContains(line, text)) return absl::StrCat("free text \"", text, "\"");
  }
  const std::string owned(line);
  for (const Rule& rule : Rules()) {
    std::smatch match;
    if (std::regex_search(owned, match, rule.pattern)) {
      return absl::StrCat(rule.what, " ", match.str(0));
    }
  }
  return std::nullopt;
}

std::vector<LogFinding> ScanLogDir(const std::string& dir, int* files, long* lines) {
  std::vector<LogFinding> findings;
  int file_count = 0;
  long line_count = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, error)) {
    if (!entry.is_regular_file()) continue;
    ++file_count;
    std::ifstream in(entry.path());
    std::string text;
    int number = 0;
    while (std::getline(in, text)) {
      ++number;
      ++line_count;
      if (std::optional<std::string> what = PersonalDataIn(text)) {
        findings.push_back({entry.path().string(), number, *what});
      }
    }
  }
  if (files != nullptr) *files = file_count;
  if (lines != nullptr) *lines = line_count;
  return findings;
}

}  // namespace slihub::testing
