// Conversions between AuditEntry and its wire form, slihub.common.v1.AuditEntry.
#ifndef SLIHUB_COMMON_AUDIT_AUDIT_PROTO_H_
#define SLIHUB_COMMON_AUDIT_AUDIT_PROTO_H_

#include "common/audit/audit_entry.h"
#include "slihub/common/v1/audit_service.pb.h"

namespace slihub::audit {

// Every field, exactly (the time to the microsecond), so that the receiver can recompute hashes.
common::v1::AuditEntry ToProto(const AuditEntry& entry);

// The inverse of ToProto.
AuditEntry FromProto(const common::v1::AuditEntry& proto);

}  // namespace slihub::audit

#endif  // SLIHUB_COMMON_AUDIT_AUDIT_PROTO_H_
