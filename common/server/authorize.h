// The request layer's authorization decision, as a pure function: the servers (unary_call.cc),
// the access-matrix generator and the matrix tests all apply this very rule.
#ifndef SLIHUB_COMMON_SERVER_AUTHORIZE_H_
#define SLIHUB_COMMON_SERVER_AUTHORIZE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/identity/principal.h"
#include "common/server/method_spec.h"

namespace slihub {

// OK when `principal` may call `method` on the hub of `hub_region`, as far as the layer can tell
// without the request: the token's scopes admit the method (else SCOPE_EXCLUDES_METHOD), it holds
// one of the method's roles (ROLE_REQUIRED), an LA role names its LA (LA_REQUIRED), and its
// region is served by the method's tenancy (REGION_OUT_OF_SCOPE). Every refusal is
// PERMISSION_DENIED with that ErrorInfo reason. Pure; thread-safe.
absl::Status AuthorizeCall(absl::string_view hub_region, const Principal& principal,
                           const MethodSpec& method);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_AUTHORIZE_H_
