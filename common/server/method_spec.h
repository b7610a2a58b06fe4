// How one RPC is served and who may call it, declared once per method in its service's method
// table: what the request layer checks (roles, tenancy, the token's scopes) and what the body
// checks that the layer cannot see (how the call is scoped to an LA), so that the access matrix
// (tools/access_matrix) is generated from the same declarations the servers run.
#ifndef SLIHUB_COMMON_SERVER_METHOD_SPEC_H_
#define SLIHUB_COMMON_SERVER_METHOD_SPEC_H_

#include <string>
#include <vector>

#include "common/identity/principal.h"

namespace slihub {

// Which callers' regions a method serves. kHubRegion: only principals of the hub's own region;
// kPeerHubs: those, and other regions' hubs through the hub role (which the method's roles must
// list): the cross-region lookups of federation; kAnyRegion: principals of any region (public
// reference such as rule sets).
enum class Tenancy { kHubRegion, kPeerHubs, kAnyRegion };

// How the body scopes a call to a local authority, after the layer admitted it. LA roles are
// bound by it; region-wide principals (regional_admin, service) act for every LA of the region
// and other regions' hubs for the LAs of their own region (federation's rules, in the body).
enum class LaScope {
  kNone,        // region-wide data (catalogue, published rules, reference); no LA is named
  kRequestLa,   // the request names an LA (or its records do): the caller must act for it
  kRecordLa,    // the stored record's LA (found by its id): the caller must act for it
  kRowLa,       // each row's LA: a row of an LA the caller may not act for is rejected in the
                //   row's result, the others are recorded (the call itself succeeds)
  kCallerLa,    // lists and summaries cut to the caller's LA: naming another LA is refused
                //   (a provider's: cut to its own providers' records, whatever LA it names)
  kFiltered,    // lists cut to the records the caller may read: naming another LA only narrows
  kParty,       // the caller's LA must be a party to the record (host, reviewer, moderator)
  kPublished,   // other LAs' figures only once their period is published; own LA's always
};

// One RPC's row.
//   name       "/pkg.Service/Method", as gRPC and the logs name it
//   roles      a principal holding any of them may call (any authenticated principal when empty);
//              a principal admitted only through LA roles (tenancy.h) must name its LA
//   tenancy    which regions' principals may call; the layer refuses the others
//   may_block  the body touches the store, the cache or a peer, so it runs on the worker pool;
//              false only for bodies that read memory and return (served on gRPC's thread)
//   la_scope   how the body binds an admitted caller to an LA (the matrix states it)
//   la_reason  the ErrorInfo reason the body gives when la_scope refuses a caller
//   rule       one line for the matrix, only where the generated sentence does not say it
// Plain value; HandleUnary copies what it keeps, so a spec need not outlive the call.
struct MethodSpec {
  std::string name;
  std::vector<Role> roles;
  Tenancy tenancy = Tenancy::kHubRegion;
  bool may_block = true;
  LaScope la_scope = LaScope::kNone;
  std::string la_reason = "LA_OUT_OF_SCOPE";
  std::string rule = "";
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_METHOD_SPEC_H_
