// Translation of the UASC records and positions to slihub.placement.v1 messages. No rules here.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_UASC_CONVERT_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_UASC_CONVERT_H_

#include <string>

#include "services/placement/domain/uasc.h"
#include "services/placement/store/uasc_store.h"
#include "slihub/placement/v1/uasc.pb.h"

namespace slihub::placement {

namespace pb = ::slihub::placement::v1;

pb::UascThresholdRule ToProto(const UascThresholdRecord& r);
pb::UascPopulation ToProto(const UascPopulationRecord& p);
// `overdue` is judged at `today`.
pb::UascTransfer ToProto(const UascTransferRecord& t, absl::CivilDay today);

// An LA's status: its figures, the rule used and its position against it. Plain data.
struct UascStatusView {
  std::string region;
  absl::CivilDay as_of;
  UascPopulationRecord population;
  UascThreshold rule;
  UascPosition position;
};

pb::UascStatus ToProto(const UascStatusView& s);

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_UASC_CONVERT_H_
