// Fetching a host's indicators with their regional comparison from DataCollectionService
// (GetBenchmark, and for an unnamed period the core collection's latest period past its deadline).
// Blocking: call it from a worker thread.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_INDICATOR_FETCH_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_INDICATOR_FETCH_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/peerreview/v1/summary.pb.h"

namespace slihub::peerreview {

// How to reach the data collection service: its channel (null when not configured) and what
// every outgoing call's context needs (deadline, service token).
struct IndicatorSource {
  std::shared_ptr<grpc::Channel> channel;
  std::function<void(grpc::ClientContext*)> prepare;
};

// What to fetch.
struct IndicatorQuery {
  std::string region;
  std::string host;
  std::string period_id;  // empty: the core collection's latest period whose deadline has passed
  std::vector<std::string> indicator_ids;  // empty: all of the period
  common::v1::RegionScope scope = common::v1::REGION_SCOPE_OWN_REGION;
};

// The fetched pack part: period, items and the federation info.
struct FetchedIndicators {
  std::string period_id;
  std::vector<v1::DataPackItem> items;
  common::v1::FederationInfo federation;
};

// The host's cells of the benchmark. Errors: FAILED_PRECONDITION "not configured" when the
// channel is null; the data collection service's status otherwise (UNAVAILABLE when down,
// NOT_FOUND or INVALID_ARGUMENT for an unknown period or indicator).
absl::StatusOr<FetchedIndicators> FetchIndicators(const IndicatorSource& source, const IndicatorQuery& query);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_INDICATOR_FETCH_H_
