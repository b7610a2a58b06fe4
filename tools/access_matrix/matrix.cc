#include "tools/access_matrix/matrix.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit/audit_service.h"
#include "common/errors/errors.h"
#include "common/federation/federation_service.h"
#include "common/identity/tenancy.h"
#include "common/server/authorize.h"
#include "common/server/diagnostics_service.h"
#include "common/server/method_table.h"
#include "common/server/reference_data_service.h"
#include "services/datacollection/adapter/datacollection_methods.h"
#include "services/peerreview/adapter/peerreview_methods.h"
#include "services/placement/adapter/placement_methods.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "tools/access_matrix/contract.h"

namespace slihub::access_matrix {
namespace {

// The table of the contract service `full_name`, or an empty list when none is registered here.
std::vector<const MethodSpec*> TableOf(const std::string& full_name) {
  static const auto* tables = new std::map<std::string, std::vector<const MethodSpec*>>{
      {"slihub.datacollection.v1.DataCollectionService", datacollection::methods::All()},
      {"slihub.peerreview.v1.PeerReviewService", peerreview::methods::All()},
      {"slihub.placement.v1.PlacementService", placement::methods::All()},
      {"slihub.workforce.v1.WorkforceService", workforce::methods::All()},
      {"slihub.common.v1.ReferenceDataService", ReferenceDataMethods()},
      {"slihub.common.v1.DiagnosticsService", DiagnosticsMethods()},
      {"slihub.common.v1.FederationService", {&federation::WatchChangesMethod()}},
      {"slihub.common.v1.AuditService", audit::AuditMethods()},
  };
  auto it = tables->find(full_name);
  return it == tables->end() ? std::vector<const MethodSpec*>() : it->second;
}

bool BindsToOneLa(const Principal& who) { return !IsRegionWide(who) && !who.HasRole(Role::kHub); }

// The short code a cell shows for `e`.
std::string Code(const Expected& e) {
  if (!e.applies) return "–";
  if (e.allowed) return e.rows ? "rows" : e.cut ? "ok*" : "ok";
  static const auto* codes = new std::map<std::string, std::string>{
      {"ROLE_REQUIRED", "role"},     {"REGION_OUT_OF_SCOPE", "region"},
      {"LA_REQUIRED", "la"},         {"SCOPE_EXCLUDES_METHOD", "scope"},
      {"LA_OUT_OF_SCOPE", "LA"},     {"NOT_OWN_LA", "own"},
      {"NOT_PARTY", "party"},        {"NOT_MODERATOR", "mod"},
  };
  auto it = codes->find(e.reason);
  return it == codes->end() ? e.reason : it->second;
}

// The sentence the matrix says of `scope` for an LA-bound caller.
const char* ScopeSentence(LaScope scope) {
  switch (scope) {
    case LaScope::kNone: return "region-wide: no LA named";
    case LaScope::kRequestLa: return "the LA the request names must be the caller's";
    case LaScope::kRecordLa: return "the stored record's LA must be the caller's";
    case LaScope::kRowLa: return "each row's LA must be the caller's (else the row is rejected)";
    case LaScope::kCallerLa: return "cut to the caller's LA; naming another LA is refused";
    case LaScope::kFiltered: return "cut to the records the caller may read; naming an LA narrows";
    case LaScope::kParty: return "the caller's LA must be a party to the record";
    case LaScope::kPublished: return "other LAs' figures once published; the caller's own always";
  }
  return "";
}

const char* TenancySentence(Tenancy tenancy) {
  switch (tenancy) {
    case Tenancy::kHubRegion: return "this region";
    case Tenancy::kPeerHubs: return "this region; other regions' hubs";
    case Tenancy::kAnyRegion: return "any region";
  }
  return "";
}

}  // namespace

const std::vector<ServiceTable>& AllTables() {
  static const auto* all = [] {
    auto* tables = new std::vector<ServiceTable>();
    for (const google::protobuf::ServiceDescriptor* service : ContractServices()) {
      tables->push_back({service, TableOf(service->full_name())});
    }
    return tables;
  }();
  return *all;
}

absl::Status CheckAllTables() {
  std::vector<std::string> problems;
  for (const ServiceTable& table : AllTables()) {
    if (absl::Status checked = CheckMethodTable(*table.service, table.rows); !checked.ok()) {
      problems.emplace_back(checked.message());
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrJoin(problems, "\n"));
}

Principal CasePrincipal(const Places& places, Role role, Where where) {
  Principal who;
  who.roles = {role};
  who.region_code = where == Where::kOtherRegion ? places.other_region : places.hub_region;
  who.subject = absl::StrCat("matrix-", RoleName(role), "-", who.region_code);
  if (role != Role::kRegionalAdmin && role != Role::kService && role != Role::kHub) {
    who.la_code = where == Where::kOtherRegion ? places.other_region_la : places.own_la;
  }
  return who;
}

const std::string& CaseLa(const Places& places, Where where) {
  switch (where) {
    case Where::kOwnLa: return places.own_la;
    case Where::kOtherLa: return places.other_la;
    case Where::kOtherRegion: return places.other_region_la;
  }
  return places.own_la;
}

Expected Expect(const Places& places, const MethodSpec& method, Role role, Where where) {
  Expected e;
  if (role == Role::kHub && where != Where::kOtherRegion) {
    e.applies = false;
    return e;
  }
  const Principal who = CasePrincipal(places, role, where);
  if (absl::Status layer = AuthorizeCall(places.hub_region, who, method); !layer.ok()) {
    e.reason = GetErrorReason(layer);
    return e;
  }
  e.allowed = true;
  if (!BindsToOneLa(who) || where == Where::kOwnLa) {
    e.cut = BindsToOneLa(who) &&
            (method.la_scope == LaScope::kCallerLa || method.la_scope == LaScope::kFiltered);
    return e;
  }
  // An LA-bound caller and an LA other than its own (of this region, or of its own region
  // where the method serves any region).
  switch (method.la_scope) {
    case LaScope::kNone:
      return e;
    case LaScope::kPublished:
    case LaScope::kFiltered:
      e.cut = true;
      return e;
    case LaScope::kRowLa:
      e.rows = true;
      return e;
    case LaScope::kCallerLa:
      if (role == Role::kProvider) {  // scoped by its providers, not by an LA
        e.cut = true;
        return e;
      }
      e.allowed = false;
      e.by_body = true;
      e.reason = method.la_reason;
      return e;
    case LaScope::kRequestLa:
    case LaScope::kRecordLa:
    case LaScope::kParty:
      e.allowed = false;
      e.by_body = true;
      e.reason = method.la_reason;
      return e;
  }
  return e;
}

std::string RenderMarkdown() {
  const Places places;
  std::string out;
  absl::StrAppend(
      &out,
      "Generated by `tools/access_matrix` from the services' method tables (do not edit: "
      "`build/tools/access_matrix/slihub_access_matrix --write README.md`; the ctest "
      "`access_matrix_readme` fails when this section differs). Each cell is three answers: the "
      "caller's **own LA** · **another LA of the hub's region** · **another region** (a person "
      "of another region, or for role `hub` another region's hub). `ok` allowed; `ok*` allowed, "
      "the answer cut (to the caller's LA, or to published figures); `rows` the call succeeds but "
      "every row of that LA is rejected in its result; `–` no such case. "
      "Refusals are PERMISSION_DENIED with the ErrorInfo reason: `role` ROLE_REQUIRED, `region` "
      "REGION_OUT_OF_SCOPE (the request layer); `LA` LA_OUT_OF_SCOPE, `own` NOT_OWN_LA, `party` "
      "NOT_PARTY, `mod` NOT_MODERATOR (the body, on the LA the call concerns). A token with "
      "scopes (`--scope`) is also refused every method outside them (SCOPE_EXCLUDES_METHOD). "
      "Regional admins and services act for every LA of their region; a peer hub for the LAs of "
      "its own region; a provider for its own providers' records.\n");
  const std::vector<Role>& roles = AllRoles();
  for (const ServiceTable& table : AllTables()) {
    absl::StrAppend(&out, "\n#### ", table.service->full_name(), "\n\n| RPC |");
    for (Role role : roles) absl::StrAppend(&out, " ", RoleName(role), " |");
    absl::StrAppend(&out, " serves; LA rule |\n|---|");
    for (size_t i = 0; i < roles.size(); ++i) absl::StrAppend(&out, "---|");
    absl::StrAppend(&out, "---|\n");
    for (const MethodSpec* spec : table.rows) {
      const std::string short_name = spec->name.substr(spec->name.rfind('/') + 1);
      absl::StrAppend(&out, "| ", short_name, " |");
      for (Role role : roles) {
        std::vector<std::string> cell;
        for (Where where : {Where::kOwnLa, Where::kOtherLa, Where::kOtherRegion}) {
          cell.push_back(Code(Expect(places, *spec, role, where)));
        }
        absl::StrAppend(&out, " ", absl::StrJoin(cell, " · "), " |");
      }
      absl::StrAppend(&out, " ", TenancySentence(spec->tenancy), "; ",
                      ScopeSentence(spec->la_scope), spec->rule.empty() ? "" : "; ", spec->rule,
                      " |\n");
    }
  }
  return out;
}

}  // namespace slihub::access_matrix
