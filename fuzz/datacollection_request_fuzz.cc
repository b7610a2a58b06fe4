// libFuzzer target: the data collection service's request validation. The first byte picks a
// request type; the rest is parsed as that request proto and checked as its handler checks it:
// an indicator definition, a return's figures against the core catalogue's definitions, and the
// returns CSV of an import (header and each row's own columns).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/server/request_fields.h"
#include "fuzz/fuzz_support.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/returns_csv.h"
#include "services/datacollection/adapter/service_helpers.h"
#include "services/datacollection/demo_data.h"
#include "services/datacollection/domain/validation.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"

namespace slihub::datacollection {
namespace {

const std::vector<IndicatorDef>& Catalogue() {
  static const auto* const catalogue = new std::vector<IndicatorDef>(CoreCatalogue());
  return *catalogue;
}

void CheckFound(const std::vector<Violation>& found) {
  for (const Violation& v : found) {
    if (v.description.empty()) std::abort();
  }
}

void Run(uint8_t kind, const uint8_t* data, size_t size) {
  FieldViolations v;
  switch (kind % 3) {
    case 0: {
      v1::CreateIndicatorRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      IndicatorDef def = IndicatorFromProto(req.indicator(), "indicator", &v);
      def.version = 1;
      CheckFound(ValidateIndicatorDef(def));
      break;
    }
    case 1: {
      v1::SubmitReturnRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckText(req.comment(), "comment", kCommentText, &v);
      for (const v1::IndicatorValue& value : req.values()) {
        const IndicatorDef* def = nullptr;
        for (const IndicatorDef& d : Catalogue()) {
          if (d.indicator_id == value.indicator_id()) def = &d;
        }
        // An unknown id is judged against the first definition: the figures are still read.
        if (def == nullptr) def = &Catalogue()[value.indicator_id().size() % Catalogue().size()];
        IndicatorFigures figures = FromProto(value);
        CheckFound(ValidateFigures(*def, figures));
      }
      break;
    }
    default: {
      v1::ImportReturnsCsvRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      const ReturnsCsv csv = ReadReturnsCsv(req.csv(), !req.period_id().empty(), &v);
      if (!v.empty()) break;
      for (size_t row = 1; row < csv.records.size(); ++row) {
        CsvFigure figure;
        std::optional<CsvRowProblem> problem = ReadReturnsCsvFigure(csv, row, &figure);
        if (problem.has_value() && problem->message.empty()) std::abort();
      }
      break;
    }
  }
  fuzz::CheckViolations(v);
}

}  // namespace
}  // namespace slihub::datacollection

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  slihub::datacollection::Run(data[0], data + 1, size - 1);
  return 0;
}
