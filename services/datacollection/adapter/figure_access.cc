#include "services/datacollection/adapter/figure_access.h"

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/identity/tenancy.h"

namespace slihub::datacollection {

FigureView ViewOf(const Principal& principal) {
  return FigureView{IsRegionWide(principal), principal.la_code};
}

bool SeesFigures(const FigureView& view, const std::string& la_code, const PeriodRecord& period) {
  if (view.hub) return true;
  if (!view.own_la.empty() && view.own_la == la_code) return true;
  return period.publish_time.has_value();
}

bool SeesNotes(const FigureView& view, const std::string& la_code) {
  return view.hub || (!view.own_la.empty() && view.own_la == la_code);
}

void StripNotes(IndicatorFigures& figures) {
  figures.total.note.clear();
  for (BreakdownFigure& b : figures.breakdowns) b.observation.note.clear();
}

absl::Status CheckRegionFiguresVisible(const FigureView& view, const PeriodRecord& period) {
  if (view.hub || period.publish_time.has_value()) return absl::OkStatus();
  absl::Status denied = absl::PermissionDeniedError(absl::StrCat(
      "period ", period.period_id, " of ", period.collection_id,
      " is not published yet: until the regional admin publishes it, an LA sees only its "
      "own figures"));
  SetErrorInfo(denied, "PERIOD_NOT_PUBLISHED", {{"period_id", period.period_id}});
  return denied;
}

}  // namespace slihub::datacollection
