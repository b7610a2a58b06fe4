// libFuzzer target: the data collection returns CSV import (ImportReturnsCsv's reading, before
// the store) on arbitrary bytes: the file checks, then each row's own columns, then the figures
// of each row judged against a core catalogue definition as the import groups them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/datacollection/adapter/returns_csv.h"
#include "services/datacollection/demo_data.h"
#include "services/datacollection/domain/validation.h"

namespace slihub::datacollection {
namespace {

void Run(absl::string_view text) {
  static const auto* const catalogue = new std::vector<IndicatorDef>(CoreCatalogue());
  FieldViolations violations;
  const ReturnsCsv csv = ReadReturnsCsv(text, text.size() % 2 == 0, &violations);
  if (!violations.empty()) return;
  if (csv.records.empty()) std::abort();  // no violation: at least the header row
  IndicatorFigures figures;
  for (size_t row = 1; row < csv.records.size(); ++row) {
    CsvFigure figure;
    std::optional<CsvRowProblem> problem = ReadReturnsCsvFigure(csv, row, &figure);
    if (problem.has_value()) {
      if (problem->message.empty()) std::abort();
      continue;
    }
    if (figure.dimension == Dimension::kTotal) {
      figures.total = figure.observation;
    } else {
      figures.breakdowns.push_back({figure.dimension, figure.category, figure.observation});
    }
  }
  const IndicatorDef& def = (*catalogue)[csv.records.size() % catalogue->size()];
  figures.indicator_id = def.indicator_id;
  for (const Violation& v : ValidateFigures(def, figures)) {
    if (v.description.empty()) std::abort();
  }
}

}  // namespace
}  // namespace slihub::datacollection

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  slihub::datacollection::Run(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
