// libFuzzer target: the peer review service's request validation. The first byte picks a request
// type; the rest is parsed as that request proto and checked as its handler checks it before the
// store: a cycle's editable fields (participants, phase dates, themes), a thematic review request,
// an unavailability declaration and a reviewer search's dates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/server/request_fields.h"
#include "fuzz/fuzz_support.h"
#include "services/peerreview/adapter/convert.h"
#include "services/peerreview/adapter/cycle_fields.h"
#include "services/peerreview/adapter/event_support.h"
#include "services/peerreview/adapter/themes.h"
#include "services/peerreview/domain/cycle_state.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"

namespace slihub::peerreview {
namespace {

void Run(uint8_t kind, const uint8_t* data, size_t size) {
  FieldViolations v;
  switch (kind % 5) {
    case 0: {
      v1::CreateCycleRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckEditableFields(req.cycle(), fuzz::Refdata(), "EE", &v);
      FieldViolations phases;
      const PhaseDates dates = ToPhaseDates(req.cycle().phases(), "cycle.phases", &phases);
      for (const FieldViolation& found : CheckPhaseOrder(dates)) {
        if (found.description.empty()) std::abort();
      }
      break;
    }
    case 1: {
      v1::UpdateCycleRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckId(req.cycle().cycle_id(), "cycle.cycle_id", &v);
      CheckEditableFields(req.cycle(), fuzz::Refdata(), "SE", &v);
      CheckThemes(req.cycle().themes(), "cycle.themes", &v);
      break;
    }
    case 2: {
      v1::RequestThematicReviewRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckId(req.theme_id(), "theme_id", &v);
      CheckText(req.scope(), "scope", TextRule{2000, true, false}, &v);
      CheckDateRange(req.dates(), "dates", &v);
      const DayRange range = ToDayRange(req.dates(), "dates", &v);
      (void)range;
      break;
    }
    case 3: {
      v1::DeclareUnavailabilityRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckDateRange(req.unavailability().dates(), "unavailability.dates", &v);
      CheckText(req.unavailability().reason(), "unavailability.reason", TextRule{500, true, false},
                &v);
      break;
    }
    default: {
      v1::FindReviewersRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      if (req.has_dates()) CheckDateRange(req.dates(), "dates", &v);
      if (!req.theme_id().empty()) CheckId(req.theme_id(), "theme_id", &v);
      break;
    }
  }
  fuzz::CheckViolations(v);
}

}  // namespace
}  // namespace slihub::peerreview

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  slihub::peerreview::Run(data[0], data + 1, size - 1);
  return 0;
}
