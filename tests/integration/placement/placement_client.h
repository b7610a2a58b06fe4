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

// A referral from `la` for a 13-year-old boy from Norwich (NR2) with emotional and behavioural
// needs, urgent, within `max_miles` (0: no limit).
inline ::slihub::placement::v1::CreateReferralRequest NorwichReferral(const std::string& la,
                                                                      double max_miles) {
  namespace pb = ::slihub::placement::v1;
  pb::CreateReferralRequest req;
  pb::Referral* r = req.mutable_referral();
  r->mutable_la_code()->set_value(la);
  pb::ChildProfile* p = r->mutable_profile();
  p->set_age_years(13);
  p->set_sex(pb::SEX_MALE);
  p->add_needs(pb::NEED_CATEGORY_EMOTIONAL_BEHAVIOURAL);
  p->mutable_home_location()->set_postcode_district("NR2");
  p->mutable_home_location()->mutable_coordinates()->set_latitude(52.63);
  p->mutable_home_location()->mutable_coordinates()->set_longitude(1.29);
  p->set_sibling_group_size(1);
  p->set_urgency(pb::URGENCY_URGENT);
  r->mutable_constraints()->set_max_distance_miles(max_miles);
  return req;
}

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_
