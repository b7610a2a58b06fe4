#include "common/audit/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/audit/audit_proto.h"
#include "common/audit/audit_store.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"

namespace slihub::audit {
namespace {

namespace v1 = ::slihub::common::v1;

constexpr char kServiceName[] = "slihub.common.v1.AuditService";
constexpr char kListName[] = "audit_entries";

const MethodSpec kListAuditEntries{MethodName(kServiceName, "ListAuditEntries"),
                                   {Role::kRegionalAdmin},
                                   Tenancy::kHubRegion,
                                   true,
                                   LaScope::kNone,
                                   "LA_OUT_OF_SCOPE",
                                   "this server's audit trail: its own region's admin only"};
const MethodSpec kVerifyAuditTrail{MethodName(kServiceName, "VerifyAuditTrail"),
                                   {Role::kRegionalAdmin},
                                   Tenancy::kHubRegion,
                                   true,
                                   LaScope::kNone,
                                   "LA_OUT_OF_SCOPE",
                                   "walks this server's audit chain: its own region's admin only"};

// Unix microseconds of `timestamp` for field `field`; 0 when unset.
int64_t MicrosOf(bool set, const google::protobuf::Timestamp& timestamp, const std::string& field,
                 FieldViolations* violations) {
  if (!set) return 0;
  absl::StatusOr<absl::Time> time = FromProtoTimestamp(timestamp);
  if (!time.ok()) {
    violations->Add(field, std::string(time.status().message()));
    return 0;
  }
  return absl::ToUnixMicros(*time);
}

}  // namespace

const std::vector<const MethodSpec*>& AuditMethods() {
  static const std::vector<const MethodSpec*>* const all =
      new std::vector<const MethodSpec*>{&kListAuditEntries, &kVerifyAuditTrail};
  return *all;
}

grpc::ServerUnaryReactor* AuditServiceImpl::ListAuditEntries(
    grpc::CallbackServerContext* context, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return HandleUnary(runtime_, context, kListAuditEntries,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    AuditFilter filter;
    filter.subject = request->principal_subject();
    filter.la = request->la_code().value();
    filter.record_key = request->record_key();
    filter.method = request->method();
    filter.oldest_first = request->oldest_first();
    filter.since_us = MicrosOf(request->has_since(), request->since(), "since", &violations);
    filter.until_us = MicrosOf(request->has_until(), request->until(), "until", &violations);
    if (filter.since_us != 0 && filter.until_us != 0 && filter.until_us <= filter.since_us) {
      violations.Add("until", "must be after since");
    }
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size",
                                          &violations);
    const std::string last = DecodePageToken(
        absl::StrCat(kListName, filter.oldest_first ? ":asc" : ":desc"),
        request->page().page_token(), "page.page_token", &violations);
    if (!last.empty() && !absl::SimpleAtoi(last, &filter.after_sequence)) {
      violations.Add("page.page_token", "is not a token this list made");
    }
    if (!violations.empty()) return violations.ToStatus();
    filter.limit = page_size + 1;
    absl::StatusOr<std::vector<AuditEntry>> entries = ListEntries(*db_, filter);
    if (!entries.ok()) return entries.status();
    const bool more = static_cast<int>(entries->size()) > page_size;
    if (more) entries->resize(page_size);
    for (const AuditEntry& entry : *entries) *response->add_entries() = ToProto(entry);
    response->mutable_page()->set_total_size(-1);
    if (more) {
      response->mutable_page()->set_next_page_token(
          EncodePageToken(absl::StrCat(kListName, filter.oldest_first ? ":asc" : ":desc"),
                          absl::StrCat(entries->back().sequence)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditServiceImpl::VerifyAuditTrail(
    grpc::CallbackServerContext* context, const v1::VerifyAuditTrailRequest* request,
    v1::VerifyAuditTrailResponse* response) {
  return HandleUnary(runtime_, context, kVerifyAuditTrail,
                     [this, request, response](const CallInfo&) -> absl::Status {
    if (request->expected_head_sequence() < 0) {
      return InvalidArgumentError("invalid request",
                                  {{"expected_head_sequence", "must not be negative"}});
    }
    absl::StatusOr<ChainVerdict> verdict =
        VerifyTrail(*db_, request->expected_head_sequence(), request->expected_head_hash());
    if (!verdict.ok()) return verdict.status();
    response->set_ok(verdict->ok);
    response->set_entries_checked(verdict->entries_checked);
    response->set_first_bad_sequence(verdict->first_bad_sequence);
    response->set_problem(verdict->problem);
    response->set_head_sequence(verdict->head_sequence);
    response->set_head_hash(verdict->head_hash);
    return absl::OkStatus();
  });
}

}  // namespace slihub::audit
