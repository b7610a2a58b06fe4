// Helpers for the placement service's integration tests: starting the real binary and calling one
// RPC with a bearer token.
#ifndef SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_
#define SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {

// Options that run slihub-placement for `region` with `extra_args`.
inline ServiceProcessOptions PlacementOptions(const std::string& region = "EE",
                                              std::vector<std::string> extra_args = {}) {
  ServiceProcessOptions options;
  options.service = "placement";
  options.region = region;
  options.extra_args = std::move(extra_args);
  return options;
}

// Calls `method` on `stub` as `token` (20 s deadline).
template <typename Req, typename Resp>
grpc::Status CallPlacement(
    ::slihub::placement::v1::PlacementService::Stub* stub, const std::string& token,
    grpc::Status (::slihub::placement::v1::PlacementService::Stub::*method)(grpc::ClientContext*,
                                                                           const Req&, Resp*),
    const Req& request, Resp* response) {
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(20));
  return (stub->*method)(&context, request, response);
}

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_
