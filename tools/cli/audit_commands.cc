// `slihub audit list|verify`: a server's audit trail, online through AuditService, or verified
// offline from its SQLite file.
#include <filesystem>
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/audit/audit_proto.h"
#include "common/audit/audit_store.h"
#include "common/audit/chain_verifier.h"
#include "common/store/sqlite_database.h"
#include "slihub/common/v1/audit_service.grpc.pb.h"
#include "tools/cli/client_options.h"
#include "tools/cli/commands.h"

namespace slihub::cli {
namespace {

namespace v1 = ::slihub::common::v1;

// The list filters, from flags.
struct ListFlags {
  std::string service = "workforce";
  std::string principal;
  std::string la;
  std::string record;
  std::string method;
  std::string since;
  std::string until;
  bool oldest_first = false;
  int limit = 50;
};

// The verify settings, from flags.
struct VerifyFlags {
  std::string service = "workforce";
  std::string audit_db;
  std::string expect_head;  // "SEQUENCE:HEX"
};

bool ParseTimestamp(const std::string& text, const char* flag, google::protobuf::Timestamp* out) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    std::cerr << "error: " << flag << ": '" << text << "' is not an RFC 3339 time (" << error
              << ")\n";
    return false;
  }
  out->set_seconds(absl::ToUnixSeconds(time));
  out->set_nanos(static_cast<int32_t>((time - absl::FromUnixSeconds(out->seconds())) /
                                      absl::Nanoseconds(1)));
  return true;
}

bool ParseHead(const std::string& text, int64_t* sequence, std::string* hash) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(text.substr(0, colon), sequence) ||
      *sequence <= 0 || !audit::BytesOfHex(text.substr(colon + 1), hash) ||
      hash->size() != audit::kHashBytes) {
    std::cerr << "error: --expect-head: '" << text
              << "' is not SEQUENCE:HASH (the hash as 64 hex digits, from the server's "
                 "audit_chain_head log line)\n";
    return false;
  }
  return true;
}

std::string Describe(const v1::AuditEntry& entry) {
  return entry.reason().empty() ? entry.code() : absl::StrCat(entry.code(), " ", entry.reason());
}

int List(const ClientOptions& options, const ListFlags& flags) {
  const std::string endpoint = ResolveEndpoint(options, flags.service);
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port or --region\n";
    return kExitUsage;
  }
  v1::ListAuditEntriesRequest request;
  request.set_principal_subject(flags.principal);
  if (!flags.la.empty()) request.mutable_la_code()->set_value(flags.la);
  request.set_record_key(flags.record);
  request.set_method(flags.method);
  if (!flags.since.empty() && !ParseTimestamp(flags.since, "--since", request.mutable_since())) {
    return kExitUsage;
  }
  if (!flags.until.empty() && !ParseTimestamp(flags.until, "--until", request.mutable_until())) {
    return kExitUsage;
  }
  request.set_oldest_first(flags.oldest_first);
  request.mutable_page()->set_page_size(flags.limit);
  auto stub = v1::AuditService::NewStub(MakeChannel(endpoint));
  grpc::ClientContext context;
  PrepareContext(options, &context);
  v1::ListAuditEntriesResponse response;
  grpc::Status status = stub->ListAuditEntries(&context, request, &response);
  if (!status.ok()) return ReportError(status);
  if (options.json) {
    PrintJson(response);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const v1::AuditEntry& entry : response.entries()) {
    std::vector<std::string> las;
    for (const auto& la : entry.las()) las.push_back(la.value());
    rows.push_back({absl::StrCat(entry.sequence()),
                    absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ",
                                     absl::FromUnixSeconds(entry.time().seconds()) +
                                         absl::Nanoseconds(entry.time().nanos()),
                                     absl::UTCTimeZone()),
                    entry.subject().empty() ? "-" : entry.subject(), entry.method(),
                    Describe(entry), entry.request_id(), absl::StrJoin(las, ","),
                    absl::StrJoin(entry.record_keys(), ",")});
  }
  PrintTable({"SEQ", "TIME", "SUBJECT", "METHOD", "OUTCOME", "REQUEST_ID", "LAS", "KEYS"}, rows);
  if (!response.page().next_page_token().empty()) {
    std::cout << "(more entries: raise --limit or narrow the filters)\n";
  }
  return kExitOk;
}

// Prints `verdict` for `what`; kExitOk when the chain holds, else kExitFailed.
int Report(const std::string& what, const audit::ChainVerdict& verdict) {
  if (verdict.ok) {
    std::cout << what << ": ok, " << verdict.entries_checked << " entries, head "
              << verdict.head_sequence << ":" << audit::HexOf(verdict.head_hash) << "\n";
    return kExitOk;
  }
  std::cout << what << ": BROKEN at entry " << verdict.first_bad_sequence << ": "
            << verdict.problem << "\n";
  return kExitFailed;
}

int VerifyOffline(const VerifyFlags& flags, int64_t head_sequence, const std::string& head_hash) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(flags.audit_db, error)) {
    std::cerr << "error: --audit-db: " << flags.audit_db << " is not a file\n";
    return kExitUsage;
  }
  auto db = store::SqliteDatabase::Open(flags.audit_db);
  if (!db.ok()) {
    std::cerr << "error: " << flags.audit_db << ": " << db.status().message() << "\n";
    return kExitFailed;
  }
  absl::StatusOr<audit::ChainVerdict> verdict = audit::VerifyTrail(**db, head_sequence, head_hash);
  if (!verdict.ok()) {
    std::cerr << "error: " << flags.audit_db << ": " << verdict.status().message() << "\n";
    return kExitFailed;
  }
  return Report(flags.audit_db, *verdict);
}

// Asks the server to verify its chain, then fetches every entry and verifies it here too (a
// server that lies about its own chain is caught by the second check).
int VerifyOnline(const ClientOptions& options, const VerifyFlags& flags, int64_t head_sequence,
                 const std::string& head_hash) {
  const std::string endpoint = ResolveEndpoint(options, flags.service);
  if (endpoint.empty()) {
    std::cerr << "error: no endpoint: pass --endpoint host:port or --region\n";
    return kExitUsage;
  }
  auto stub = v1::AuditService::NewStub(MakeChannel(endpoint));
  v1::VerifyAuditTrailRequest request;
  request.set_expected_head_sequence(head_sequence);
  request.set_expected_head_hash(head_hash);
  v1::VerifyAuditTrailResponse server;
  {
    grpc::ClientContext context;
    PrepareContext(options, &context);
    grpc::Status status = stub->VerifyAuditTrail(&context, request, &server);
    if (!status.ok()) return ReportError(status);
  }
  audit::ChainVerdict server_verdict;
  server_verdict.ok = server.ok();
  server_verdict.entries_checked = server.entries_checked();
  server_verdict.first_bad_sequence = server.first_bad_sequence();
  server_verdict.problem = server.problem();
  server_verdict.head_sequence = server.head_sequence();
  server_verdict.head_hash = server.head_hash();
  const int server_exit = Report("server", server_verdict);

  audit::ChainVerifier verifier(head_sequence, head_hash);
  v1::ListAuditEntriesRequest list;
  list.set_oldest_first(true);
  list.mutable_page()->set_page_size(1000);
  bool broken = false;
  do {
    grpc::ClientContext context;
    PrepareContext(options, &context);
    v1::ListAuditEntriesResponse page;
    grpc::Status status = stub->ListAuditEntries(&context, list, &page);
    if (!status.ok()) return ReportError(status);
    for (const v1::AuditEntry& entry : page.entries()) {
      if (!verifier.Add(audit::FromProto(entry))) {
        broken = true;
        break;
      }
    }
    list.mutable_page()->set_page_token(page.page().next_page_token());
  } while (!broken && !list.page().page_token().empty());
  const int client_exit = Report("client", verifier.Finish());
  return server_exit == kExitOk && client_exit == kExitOk ? kExitOk : kExitFailed;
}

}  // namespace

void AddAuditCommands(CLI::App& app, int* exit_code) {
  CLI::App* group = app.add_subcommand("audit", "a server's audit trail (regional admin)");
  group->require_subcommand(1);

  auto options = std::make_shared<ClientOptions>();
  auto list_flags = std::make_shared<ListFlags>();
  CLI::App* list = group->add_subcommand("list", "audit entries, newest first");
  AddClientOptions(list, options.get());
  list->add_option("--service", list_flags->service,
                   "workforce, placement, datacollection or peerreview (the local stack's port)");
  list->add_option("--principal", list_flags->principal, "only calls by this token subject");
  list->add_option("--la", list_flags->la, "only calls by or naming this LA");
  list->add_option("--record", list_flags->record, "only calls naming this record key value");
  list->add_option("--method", list_flags->method, "only calls of /pkg.Service/Method");
  list->add_option("--since", list_flags->since, "only entries at or after (RFC 3339)");
  list->add_option("--until", list_flags->until, "only entries before (RFC 3339)");
  list->add_flag("--oldest-first", list_flags->oldest_first, "oldest entries first");
  list->add_option("--limit", list_flags->limit, "at most this many entries")
      ->check(CLI::Range(1, 1000));
  list->callback([=] { *exit_code = List(*options, *list_flags); });

  auto verify_options = std::make_shared<ClientOptions>();
  auto verify_flags = std::make_shared<VerifyFlags>();
  CLI::App* verify = group->add_subcommand(
      "verify", "check the hash chain: online (server and client side) or --audit-db offline; "
                "exit 1 when broken");
  AddClientOptions(verify, verify_options.get());
  verify->add_option("--service", verify_flags->service,
                     "workforce, placement, datacollection or peerreview (the local stack's port)");
  verify->add_option("--audit-db", verify_flags->audit_db,
                     "verify this audit trail file (<data-dir>/<service>-audit.db) directly, no server");
  verify->add_option("--expect-head", verify_flags->expect_head,
                     "SEQUENCE:HASH the chain must still hold (from an audit_chain_head log line)");
  verify->callback([=] {
    int64_t head_sequence = 0;
    std::string head_hash;
    if (!verify_flags->expect_head.empty() &&
        !ParseHead(verify_flags->expect_head, &head_sequence, &head_hash)) {
      *exit_code = kExitUsage;
      return;
    }
    *exit_code = verify_flags->audit_db.empty()
                     ? VerifyOnline(*verify_options, *verify_flags, head_sequence, head_hash)
                     : VerifyOffline(*verify_flags, head_sequence, head_hash);
  });
}

}  // namespace slihub::cli
