#include "common/audit/audit_proto.h"

namespace slihub::audit {

namespace v1 = ::slihub::common::v1;

v1::AuditEntry ToProto(const AuditEntry& entry) {
  v1::AuditEntry out;
  out.set_sequence(entry.sequence);
  out.mutable_time()->set_seconds(entry.time_us / 1000000);
  out.mutable_time()->set_nanos(static_cast<int32_t>(entry.time_us % 1000000) * 1000);
  out.set_subject(entry.subject);
  for (const std::string& role : entry.roles) out.add_roles(role);
  if (!entry.principal_la.empty()) out.mutable_principal_la()->set_value(entry.principal_la);
  if (!entry.principal_region.empty()) {
    out.mutable_principal_region()->set_value(entry.principal_region);
  }
  out.set_method(entry.method);
  out.set_request_id(entry.request_id);
  out.set_kind(static_cast<v1::AuditKind>(static_cast<int>(entry.kind)));
  out.set_code(entry.code);
  out.set_reason(entry.reason);
  for (const std::string& la : entry.las) out.add_las()->set_value(la);
  for (const std::string& key : entry.record_keys) out.add_record_keys(key);
  out.set_prev_hash(entry.prev_hash);
  out.set_entry_hash(entry.entry_hash);
  return out;
}

AuditEntry FromProto(const v1::AuditEntry& proto) {
  AuditEntry entry;
  entry.sequence = proto.sequence();
  entry.time_us = proto.time().seconds() * 1000000 + proto.time().nanos() / 1000;
  entry.subject = proto.subject();
  entry.roles.assign(proto.roles().begin(), proto.roles().end());
  entry.principal_la = proto.principal_la().value();
  entry.principal_region = proto.principal_region().value();
  entry.method = proto.method();
  entry.request_id = proto.request_id();
  entry.kind = static_cast<AuditKind>(static_cast<int>(proto.kind()));
  entry.code = proto.code();
  entry.reason = proto.reason();
  for (const auto& la : proto.las()) entry.las.push_back(la.value());
  entry.record_keys.assign(proto.record_keys().begin(), proto.record_keys().end());
  entry.prev_hash = proto.prev_hash();
  entry.entry_hash = proto.entry_hash();
  return entry;
}

}  // namespace slihub::audit
