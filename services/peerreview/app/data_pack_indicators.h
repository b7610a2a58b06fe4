// The indicators part of a peer review data pack: the host's cells of the data collection
// service's benchmark with their regional (and, nationally, England) comparison, remembered after
// each fetch so that a pack still has the last ones (STALE) while the service does not answer.
// Application logic shared by the gRPC adapter and any other front end; free of gRPC types.
#ifndef SLIHUB_SERVICES_PEERREVIEW_APP_DATA_PACK_INDICATORS_H_
#define SLIHUB_SERVICES_PEERREVIEW_APP_DATA_PACK_INDICATORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/store/database.h"
#include "services/datacollection/client/datacollection_connection.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/peerreview/v1/summary.pb.h"

namespace slihub::peerreview {

// What to fetch for one host.
struct IndicatorQuery {
  std::string region;
  std::string host;
  std::string period_id;  // empty: the core collection's latest period whose deadline has passed
  std::vector<std::string> indicator_ids;  // empty: all of the period
  common::v1::RegionScope scope = common::v1::REGION_SCOPE_OWN_REGION;
};

// Fills `pack`'s period_id, items, fetch_time, data_source_state and data_source_detail, and
// `federation`, by calling the data collection service through `client` (blocking: call it on a
// worker thread). When the service answers, the pack is AVAILABLE and its items are
// remembered in `db`. When the service cannot serve (down, deadline passed, not configured,
// refusing the token), the call still succeeds: the pack is STALE with the last remembered items
// of the host (for the requested period, or any when none was named), or UNAVAILABLE without
// items when none are remembered, and data_source_detail says why. When the service blames the
// request (NOT_FOUND for a named period, INVALID_ARGUMENT for a period or indicator), returns
// INVALID_ARGUMENT on "period_id" or "indicator_ids" and fills nothing. Store errors are returned.
absl::Status AddIndicators(store::Database& db, const datacollection::DataCollectionClient& client,
                           const IndicatorQuery& query, v1::DataPack* pack,
                           common::v1::FederationInfo* federation);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_APP_DATA_PACK_INDICATORS_H_
