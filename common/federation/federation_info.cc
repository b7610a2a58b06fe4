#include "common/federation/federation_info.h"

#include "common/server/proto_time.h"

namespace slihub::federation {

namespace cpb = ::slihub::common::v1;

void FillFederationInfo(cpb::RegionScope scope, const std::vector<RegionOutcome>& outcomes,
                        absl::Time now, cpb::FederationInfo* out) {
  out->Clear();
  out->set_scope(scope);
  for (const RegionOutcome& outcome : outcomes) {
    cpb::RegionAnswer* answer = out->add_regions();
    answer->mutable_region()->set_value(outcome.region);
    answer->set_state(static_cast<cpb::RegionAnswerState>(outcome.state));
    if (outcome.has_answer()) {
      *answer->mutable_as_of() = ToProtoTimestamp(outcome.as_of);
      *answer->mutable_age() = ToProtoDuration(std::max(absl::ZeroDuration(), now - outcome.as_of));
    }
    answer->set_reason(outcome.reason);
    if (!outcome.current()) out->set_partial(true);
  }
}

bool IsStrict(cpb::FederationMode mode) { return mode == cpb::FEDERATION_MODE_STRICT; }

bool IsKnownMode(int mode) { return cpb::FederationMode_IsValid(mode); }

}  // namespace slihub::federation
