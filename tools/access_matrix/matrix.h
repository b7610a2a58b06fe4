// The access matrix: for every RPC of every service a slihub server registers, what each role
// may do in each tenancy (own LA, another LA of the region, another region), derived from the
// method tables by the request layer's own rule (AuthorizeCall) and the bodies' declared LA scope.
// The README's section and the over-the-wire test (tests/integration/access_matrix_test.cc)
// both come from here.
#ifndef SLIHUB_TOOLS_ACCESS_MATRIX_MATRIX_H_
#define SLIHUB_TOOLS_ACCESS_MATRIX_MATRIX_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/identity/principal.h"
#include "common/server/method_spec.h"
#include "google/protobuf/descriptor.h"

namespace slihub::access_matrix {

// One service's method table beside its descriptor.
struct ServiceTable {
  const google::protobuf::ServiceDescriptor* service = nullptr;
  std::vector<const MethodSpec*> rows;
};

// Every registered service's table: the four services', then reference data, diagnostics and
// federation (ContractServices()'s order). Lives as long as the process.
const std::vector<ServiceTable>& AllTables();

// OK when every service of the contract has a table and every table has exactly one row per RPC
// (CheckMethodTable); FailedPrecondition naming each problem otherwise.
absl::Status CheckAllTables();

// Where the caller stands relative to the call.
enum class Where {
  kOwnLa,        // a principal of the hub's region; the call concerns its own LA
  kOtherLa,      // a principal of the hub's region; the call concerns another LA of the region
  kOtherRegion,  // a principal of another region (role hub: another region's hub)
};

// The places of the matrix: the hub's region and LAs, and another region's.
struct Places {
  std::string hub_region = "EE";
  std::string own_la = "873";
  std::string other_la = "821";
  std::string other_region = "SE";
  std::string other_region_la = "825";
};

// The principal the matrix uses for `role` at `where`: LA roles, readers and providers carry an
// LA (own_la, or other_region_la in another region); regional_admin, service and hub none.
Principal CasePrincipal(const Places& places, Role role, Where where);

// The LA the call concerns for `where` (own_la, other_la, or other_region_la).
const std::string& CaseLa(const Places& places, Where where);

// What the matrix says of one case.
struct Expected {
  bool applies = true;   // false: no such case (role hub inside its own region)
  bool allowed = false;
  bool by_body = false;  // the refusal comes from the body's LA scope, not from the layer
  bool cut = false;      // allowed, but the answer is cut (own LA's rows, published figures)
  bool rows = false;     // allowed, but the rows of this LA are rejected in the rows' results
  std::string reason;    // the ErrorInfo reason of a refusal
};

// The matrix's answer for `method` called by `role` at `where`.
Expected Expect(const Places& places, const MethodSpec& method, Role role, Where where);

// The Markdown section for the README (without the markers).
std::string RenderMarkdown();

}  // namespace slihub::access_matrix

#endif  // SLIHUB_TOOLS_ACCESS_MATRIX_MATRIX_H_
