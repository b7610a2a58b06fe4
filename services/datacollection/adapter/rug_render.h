// Renders a computed tartan rug as CSV (one row per LA and indicator) or as one self-contained HTML
// page (inline CSS and SVG, no scripts or external assets) coloured by quartile band.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_RENDER_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_RENDER_H_

#include <string>

#include "common/refdata/reference_data.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/datacollection/v1/benchmark.pb.h"

namespace slihub::datacollection {

// RFC 4180 CSV with a header row and CRLF line ends; missing and suppressed values have an empty
// value column and their state, never 0.
std::string RenderRugCsv(const slihub::datacollection::v1::Benchmark& rug);

// The HTML page: an SVG grid (indicators x LAs, LA names from `refdata`), each cell showing the value
// or its state and filled by quartile band, the regional mean and median per row, and a key. When
// `federation` is NATIONAL (the rows' England figures filled), also a table of each region's state
// (age, reason) above the grid and, beside each row, its England figure with its method, whether
// it is complete, and its as-of time. Pure; every text HTML-escaped.
std::string RenderRugHtml(const slihub::datacollection::v1::Benchmark& rug, const ReferenceData& refdata,
                          const slihub::common::v1::FederationInfo* federation = nullptr);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_RUG_RENDER_H_
