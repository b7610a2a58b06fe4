// Checks a service's method table (its MethodSpecs) against the service's descriptor, so that an
// RPC added to the contract without a row (roles, tenancy) is caught by the service's tests.
#ifndef SLIHUB_COMMON_SERVER_METHOD_TABLE_H_
#define SLIHUB_COMMON_SERVER_METHOD_TABLE_H_

#include <vector>

#include "absl/status/status.h"
#include "common/server/unary_call.h"
#include "google/protobuf/descriptor.h"

namespace slihub {

// OK when `table` holds exactly one row for every RPC of `service` and nothing else; otherwise
// FailedPrecondition naming every RPC without a row, every row given twice and every row for no
// RPC of the service. Thread-safe; no side effects.
absl::Status CheckMethodTable(const google::protobuf::ServiceDescriptor& service,
                              const std::vector<const MethodSpec*>& table);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_METHOD_TABLE_H_
