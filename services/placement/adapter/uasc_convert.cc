#include "services/placement/adapter/uasc_convert.h"

#include "common/server/proto_time.h"
#include "services/placement/adapter/convert.h"

namespace slihub::placement {

pb::UascThresholdRule ToProto(const UascThresholdRecord& r) {
  pb::UascThresholdRule out;
  out.set_version(r.rule.version);
  *out.mutable_effective_from() = DateToProto(r.rule.effective_from);
  out.set_rate_per_100000(r.rule.rate_per_100000);
  FillAudit(r.audit, out.mutable_audit());
  return out;
}

pb::UascPopulation ToProto(const UascPopulationRecord& p) {
  pb::UascPopulation out;
  out.mutable_la_code()->set_value(p.figures.la_code);
  *out.mutable_as_of() = DateToProto(p.figures.as_of);
  out.set_under18_population(p.figures.under18_population);
  out.set_uasc_count(p.figures.uasc_count);
  FillAudit(p.audit, out.mutable_audit());
  return out;
}

pb::UascTransfer ToProto(const UascTransferRecord& t, absl::CivilDay today) {
  pb::UascTransfer out;
  out.set_transfer_id(t.transfer_id);
  out.set_record_id(t.record_id);
  out.mutable_referring_la()->set_value(t.referring_la);
  out.mutable_receiving_la()->set_value(t.receiving_la);
  *out.mutable_referred_on() = DateToProto(t.referred_on);
  out.set_from_hotel(t.from_hotel);
  *out.mutable_deadline() = DateToProto(t.deadline);
  out.set_state(static_cast<pb::UascTransferState>(t.state));
  if (t.transferred_on.has_value()) *out.mutable_transferred_on() = DateToProto(*t.transferred_on);
  out.set_overdue(TransferOverdue(t.state, t.deadline, t.transferred_on, today));
  out.set_cancel_reason(t.cancel_reason);
  if (t.cancel_time.has_value()) *out.mutable_cancel_time() = ToProtoTimestamp(*t.cancel_time);
  out.set_version(t.version);
  FillAudit(t.audit, out.mutable_audit());
  return out;
}

pb::UascStatus ToProto(const UascStatusView& s) {
  pb::UascStatus out;
  out.mutable_la_code()->set_value(s.position.la_code);
  out.mutable_region()->set_value(s.region);
  *out.mutable_as_of() = DateToProto(s.as_of);
  *out.mutable_population() = ToProto(s.population);
  out.set_rate_per_100000(s.rule.rate_per_100000);
  out.set_threshold_rule_version(s.rule.version);
  out.set_threshold(s.position.threshold);
  out.set_headroom(s.position.headroom);
  out.set_may_refer_out(s.position.may_refer_out);
  out.set_can_be_directed(s.position.can_be_directed);
  return out;
}

}  // namespace slihub::placement
