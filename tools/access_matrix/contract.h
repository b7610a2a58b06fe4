// The services of slihub's gRPC contract, as the generated descriptor pool holds them: what token
// scopes are checked against and what the access matrix must cover, RPC by RPC.
#ifndef SLIHUB_TOOLS_ACCESS_MATRIX_CONTRACT_H_
#define SLIHUB_TOOLS_ACCESS_MATRIX_CONTRACT_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace slihub {

// Every service a slihub server registers: the four services' and the common ones (reference
// data, diagnostics, federation), in that order. Descriptors live as long as the process.
const std::vector<const google::protobuf::ServiceDescriptor*>& ContractServices();

// The method named "/pkg.Service/Method" among ContractServices(), or null.
const google::protobuf::MethodDescriptor* FindContractMethod(absl::string_view full_name);

}  // namespace slihub

#endif  // SLIHUB_TOOLS_ACCESS_MATRIX_CONTRACT_H_
