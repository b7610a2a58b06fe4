// FindReviewers' national part, free of gRPC types: every asked region's reviewer directory (this
// hub's own first, the others' through the PeerReviewHubConnection) and their merge into ranked
// candidates with each region's state.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_REVIEWER_SEARCH_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_REVIEWER_SEARCH_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/federation/region_outcome.h"
#include "services/peerreview/client/peerreview_hub_connection.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"

namespace slihub::peerreview {

// Every asked region's directory: outcomes and replies in the same order, this hub's own first.
// Plain value.
struct RegionDirectories {
  std::vector<federation::RegionOutcome> outcomes;
  std::vector<std::optional<v1::ListReviewerDirectoryResponse>> directories;
};

// `local` (this hub's own directory, read at `now`) first; when `national`, then `hub`'s answers
// for `other_regions` in their order, or, with `hub` null (no federation), each of
// `other_regions` UNAVAILABLE "this hub has no federation". Blocks up to the federation deadline
// (worker pool only).
RegionDirectories GatherDirectories(const std::string& hub_region, absl::Time now,
                                    v1::ListReviewerDirectoryResponse local, bool national,
                                    PeerReviewHubConnection* hub,
                                    const std::vector<std::string>& other_regions);

// Answers a validated FindReviewers `request` from `regions` into `response`: the candidates
// ranked (RankReviewers) from every region's entries that name that region (a peer cannot speak
// for another), never `caller_la` nor the excluded LAs, and the federation info (NATIONAL or
// OWN_REGION per the request). UNAVAILABLE naming the regions (ErrorInfo REGION_UNAVAILABLE) when
// the request is STRICT and a region is not current; then nothing is filled.
absl::Status AnswerFindReviewers(const v1::FindReviewersRequest& request,
                                 const std::string& caller_la, const RegionDirectories& regions,
                                 absl::Time now, v1::FindReviewersResponse* response);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_REVIEWER_SEARCH_H_
