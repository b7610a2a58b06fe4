// Rule exceptions: RequestException, ApproveException, RejectException, GetException,
// ListExceptions, and their use by checks.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/identity/tenancy.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/domain/rule_exception.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

// The domain view of a stored exception message.
absl::StatusOr<RuleException> ToDomain(const pb::RuleException& in, const ReferenceData& refdata) {
  FieldViolations ignored;
  const LocalAuthorityRecord* la = nullptr;
  RuleException out;
  out.exception_id = in.exception_id();
  out.la_code = in.la_code().value();
  out.terms = ReadTerms(in.terms(), refdata, "terms", &ignored, &la);
  if (!ignored.empty()) return absl::DataLossError("a stored exception's terms are unreadable");
  for (int rule : in.rules()) out.rules.push_back(static_cast<Rule>(rule));
  out.state = static_cast<ExceptionState>(in.state());
  absl::StatusOr<absl::CivilDay> expires =
      MakeCivilDate(in.expires_on().year(), in.expires_on().month(), in.expires_on().day());
  if (!expires.ok()) return absl::DataLossError("a stored exception's expiry is unreadable");
  out.expires_on = *expires;
  for (const pb::ExceptionApproval& a : in.approvals()) {
    absl::StatusOr<absl::Time> at = FromProtoTimestamp(a.approve_time());
    out.approvals.push_back({a.approver(), static_cast<ApproverCapacity>(a.capacity()),
                             at.ok() ? *at : absl::UnixEpoch(), a.comment()});
  }
  out.engagement_id = in.engagement_id();
  return out;
}

// `in` as the caller sees it on `today` (expiry applied).
void Present(pb::RuleException in, absl::CivilDay today, const RuleException& domain,
             pb::RuleException* out) {
  in.set_state(static_cast<pb::ExceptionState>(CurrentState(domain, today)));
  *out = std::move(in);
}

absl::Status ParseBody(const ExceptionRow& row, pb::RuleException* out) {
  if (!out->ParseFromString(row.body)) {
    return absl::DataLossError(absl::StrCat("exception ", row.exception_id, " is unreadable"));
  }
  return absl::OkStatus();
}

// OK when `who` acts for the exception's LA: an HR officer, DCS or Chief Executive of it, or a
// regional admin of its region.
absl::Status CheckExceptionScope(const Principal& who, const LocalAuthorityRecord& la) {
  if (who.la_code == la.la_code &&
      who.HasAnyRole({Role::kHrOfficer, Role::kDcs, Role::kChiefExecutive})) {
    return absl::OkStatus();
  }
  return CheckActsForLa(who, la.la_code, la.region_code);
}

constexpr char kExceptionList[] = "exceptions";

// Adds violations for the fields ApproveException and RejectException share; `text_field`
// names the free text (comment or reason), required when `text_required`.
void CheckSigningFields(const std::string& request_id, const std::string& exception_id,
                        int64_t version, int capacity, const char* text_field,
                        const std::string& text, bool text_required,
                        FieldViolations* violations) {
  CheckRequestId(request_id, "request_id", violations);
  if (exception_id.empty() || exception_id.size() > 64) {
    violations->Add("exception_id", "must be 1 to 64 characters");
  }
  if (version < 0) violations->Add("version", "must not be negative");
  if (capacity != pb::APPROVER_CAPACITY_DCS && capacity != pb::APPROVER_CAPACITY_CHIEF_EXECUTIVE) {
    violations->Add("capacity", "must be DCS or CHIEF_EXECUTIVE");
  }
  CheckText(text, text_field, TextRule{2000, true, text_required}, violations);
}

// PermissionDenied (CAPACITY_NOT_HELD) unless `who` holds the role of `capacity`.
absl::Status CheckCapacityHeld(const Principal& who, int capacity) {
  const Role needed = capacity == pb::APPROVER_CAPACITY_DCS ? Role::kDcs : Role::kChiefExecutive;
  if (who.HasRole(needed)) return absl::OkStatus();
  absl::Status status =
      absl::PermissionDeniedError("the caller does not hold the capacity it signs in");
  SetErrorInfo(status, "CAPACITY_NOT_HELD");
  return status;
}

// A stored exception loaded for a signature, in its three forms.
struct Signable {
  ExceptionRow row;
  pb::RuleException body;
  RuleException domain;
};

// The exception `id` for a signature by `who`: NotFound; PermissionDenied unless `who` is of
// its LA; Aborted when `version` is set and stale.
absl::StatusOr<Signable> LoadSignable(store::Transaction& tx, const std::string& id,
                                      int64_t version, const Principal& who,
                                      const ReferenceData& refdata) {
  absl::StatusOr<std::optional<ExceptionRow>> row = WorkforceStore::FindException(tx, id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return absl::NotFoundError(absl::StrCat("no exception ", id));
  if (who.la_code != (*row)->la_code) {
    absl::Status status = absl::PermissionDeniedError(
        "only the exception's own LA's DCS and Chief Executive sign it");
    SetErrorInfo(status, "LA_OUT_OF_SCOPE", {{"la_code", (*row)->la_code}});
    return status;
  }
  if (version > 0 && version != (*row)->version) {
    return absl::AbortedError(
        absl::StrCat("the exception is at version ", (*row)->version, ", not ", version));
  }
  Signable out;
  out.row = std::move(**row);
  absl::Status parsed = ParseBody(out.row, &out.body);
  if (!parsed.ok()) return parsed;
  absl::StatusOr<RuleException> domain = ToDomain(out.body, refdata);
  if (!domain.ok()) return domain.status();
  out.domain = std::move(*domain);
  return out;
}

// Stores the signed exception `s` (state from its domain form) and copies it to `out`.
absl::Status SaveSigned(store::Transaction& tx, Signable& s, const std::string& by,
                        absl::Time now, const WriteMeta& meta, pb::RuleException* out) {
  s.body.set_state(static_cast<pb::ExceptionState>(s.domain.state));
  s.body.set_version(s.row.version + 1);
  s.body.mutable_audit()->set_updated_by(by);
  *s.body.mutable_audit()->mutable_update_time() = ToProtoTimestamp(now);
  s.row.state = s.body.state();
  s.row.body = s.body.SerializeAsString();
  absl::StatusOr<int64_t> version = WorkforceStore::UpdateException(tx, s.row, meta);
  if (!version.ok()) return version.status();
  *out = s.body;
  return absl::OkStatus();
}

}  // namespace

absl::Status WorkforceServiceImpl::LoadExceptions(
    store::Transaction& tx, const google::protobuf::RepeatedPtrField<std::string>& ids,
    std::vector<RuleException>* domain, std::vector<ExceptionRow>* rows) const {
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!seen.insert(id).second) continue;
    absl::StatusOr<std::optional<ExceptionRow>> row = WorkforceStore::FindException(tx, id);
    if (!row.ok()) return row.status();
    if (!row->has_value()) return absl::NotFoundError(absl::StrCat("no exception ", id));
    pb::RuleException body;
    absl::Status parsed = ParseBody(**row, &body);
    if (!parsed.ok()) return parsed;
    absl::StatusOr<RuleException> e = ToDomain(body, *context_.reference_data);
    if (!e.ok()) return e.status();
    domain->push_back(std::move(*e));
    if (rows != nullptr) rows->push_back(std::move(**row));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::RequestException(
    grpc::CallbackServerContext* context, const v1::RequestExceptionRequest* request,
    v1::RequestExceptionResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kRequestException,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        const LocalAuthorityRecord* la = nullptr;
        EngagementTerms terms;
        ReadHubTerms(request->terms(), "terms", &violations, &terms, &la);
        std::set<int> rules;
        for (int i = 0; i < request->rules_size(); ++i) {
          const int rule = request->rules(i);
          if (rule <= 0 || rule > kMaxRule || !rules.insert(rule).second) {
            violations.Add(absl::StrCat("rules[", i, "]"), "must be a rule, listed once");
          }
        }
        CheckText(request->reason(), "reason", TextRule{2000, true, true}, &violations);
        const absl::CivilDay today = TodayInEngland();
        std::optional<absl::CivilDay> expires;
        if ((expires = ReadDate(request->expires_on(), request->has_expires_on(), "expires_on",
                                &violations)) &&
            *expires < today) {
          violations.Add("expires_on", "must not be in the past");
        }
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = call.ActsForLa(*la);
        if (!scope.ok()) return scope;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<CheckResult> result =
                  Evaluate(tx, &terms, la->region_code, terms.start_date);
              if (!result.ok()) return result.status();
              std::set<int> failed;
              for (const RuleResult& r : result->results) {
                if (r.outcome == RuleOutcome::kFail) failed.insert(static_cast<int>(r.rule));
              }
              const std::string subject = terms.swe_number;
              if (failed.empty()) {
                return FailedPreconditionError(
                    "nothing to except", {{"RULES", subject, "the terms fail no rule"}});
              }
              std::vector<PreconditionViolation> not_failing;
              for (int rule : rules) {
                if (failed.count(rule) == 0) {
                  not_failing.push_back({pb::Rule_Name(static_cast<pb::Rule>(rule)), subject,
                                         "the terms do not fail this rule"});
                }
              }
              if (!not_failing.empty()) {
                return FailedPreconditionError("a named rule does not fail", not_failing);
              }
              pb::RuleException body;
              body.mutable_la_code()->set_value(la->la_code);
              *body.mutable_terms() = request->terms();
              body.mutable_terms()->set_swe_number(terms.swe_number);
              // Stored with the resolved job type, so later terms compare like for like.
              body.mutable_terms()->set_job_type(static_cast<pb::JobType>(terms.job_type));
              for (int rule : rules.empty() ? failed : rules) {
                body.add_rules(static_cast<pb::Rule>(rule));
              }
              body.set_reason(request->reason());
              body.set_state(pb::EXCEPTION_STATE_PENDING);
              *body.mutable_expires_on() = ToProtoDate(*expires);
              const absl::Time now = absl::Now();
              ToProto(*result, /*withhold=*/false, now, body.mutable_check());
              const WriteMeta meta = Meta(call, request->request_id());
              ToProto(Audit{now, meta.principal, now, meta.principal, meta.request_id},
                      body.mutable_audit());
              ExceptionRow row;
              row.la_code = la->la_code;
              row.swe_number = terms.swe_number;
              row.state = pb::EXCEPTION_STATE_PENDING;
              row.expires_on = *expires;
              absl::StatusOr<ExceptionRow> inserted = WorkforceStore::InsertException(
                  tx, row, meta, [&](const std::string& id, int64_t version) {
                    body.set_exception_id(id);
                    body.set_version(version);
                    return body.SerializeAsString();
                  });
              if (!inserted.ok()) return inserted.status();
              *response->mutable_rule_exception() = body;
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ApproveException(
    grpc::CallbackServerContext* context, const v1::ApproveExceptionRequest* request,
    v1::ApproveExceptionResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kApproveException,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckSigningFields(request->request_id(), request->exception_id(), request->version(),
                           request->capacity(), "comment", request->comment(), false,
                           &violations);
        if (!violations.empty()) return violations.ToStatus();
        const Principal& who = call.principal();
        absl::Status held = CheckCapacityHeld(who, request->capacity());
        if (!held.ok()) return held;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<Signable> s = LoadSignable(tx, request->exception_id(),
                                                        request->version(), who,
                                                        *context_.reference_data);
              if (!s.ok()) return s.status();
              const absl::Time now = absl::Now();
              absl::Status signed_status =
                  Approve(&s->domain, who.subject,
                          static_cast<ApproverCapacity>(request->capacity()), now,
                          request->comment(), TodayInEngland());
              if (!signed_status.ok()) return signed_status;
              pb::ExceptionApproval* approval = s->body.add_approvals();
              approval->set_approver(who.subject);
              approval->set_capacity(request->capacity());
              *approval->mutable_approve_time() = ToProtoTimestamp(now);
              approval->set_comment(request->comment());
              return SaveSigned(tx, *s, who.subject, now, Meta(call, request->request_id()),
                                response->mutable_rule_exception());
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::RejectException(
    grpc::CallbackServerContext* context, const v1::RejectExceptionRequest* request,
    v1::RejectExceptionResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kRejectException,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckSigningFields(request->request_id(), request->exception_id(), request->version(),
                           request->capacity(), "reason", request->reason(), true, &violations);
        if (!violations.empty()) return violations.ToStatus();
        const Principal& who = call.principal();
        absl::Status held = CheckCapacityHeld(who, request->capacity());
        if (!held.ok()) return held;
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<Signable> s = LoadSignable(tx, request->exception_id(),
                                                        request->version(), who,
                                                        *context_.reference_data);
              if (!s.ok()) return s.status();
              absl::Status rejected = Reject(&s->domain, TodayInEngland());
              if (!rejected.ok()) return rejected;
              const absl::Time now = absl::Now();
              s->body.set_rejected_by(who.subject);
              s->body.set_rejection_reason(request->reason());
              *s->body.mutable_reject_time() = ToProtoTimestamp(now);
              return SaveSigned(tx, *s, who.subject, now, Meta(call, request->request_id()),
                                response->mutable_rule_exception());
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetException(
    grpc::CallbackServerContext* context, const v1::GetExceptionRequest* request,
    v1::GetExceptionResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetException,
      [this, request, response](const CallInfo& call) -> absl::Status {
        if (request->exception_id().empty() || request->exception_id().size() > 64) {
          return InvalidArgumentError("bad exception_id",
                                      {{"exception_id", "must be 1 to 64 characters"}});
        }
        std::optional<ExceptionRow> row;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::optional<ExceptionRow>> got =
                  WorkforceStore::FindException(tx, request->exception_id());
              if (got.ok()) row = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        if (!row.has_value()) {
          return absl::NotFoundError(absl::StrCat("no exception ", request->exception_id()));
        }
        const LocalAuthorityRecord* la = context_.reference_data->FindLocalAuthority(row->la_code);
        if (la == nullptr) return absl::InternalError("an exception names an unknown LA");
        absl::Status scope = CheckExceptionScope(call.principal(), *la);
        if (!scope.ok()) return scope;
        pb::RuleException body;
        absl::Status parsed = ParseBody(*row, &body);
        if (!parsed.ok()) return parsed;
        absl::StatusOr<RuleException> domain = ToDomain(body, *context_.reference_data);
        if (!domain.ok()) return domain.status();
        Present(std::move(body), TodayInEngland(), *domain, response->mutable_rule_exception());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListExceptions(
    grpc::CallbackServerContext* context, const v1::ListExceptionsRequest* request,
    v1::ListExceptionsResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListExceptions,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const Principal& who = call.principal();
        ExceptionFilter filter;
        filter.today = TodayInEngland();
        const LocalAuthorityRecord* la = nullptr;
        if (request->has_la_code()) {
          la = ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        }
        if (!request->swe_number().empty()) {
          filter.swe_number = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        }
        if (request->state() < 0 || request->state() > pb::EXCEPTION_STATE_USED) {
          violations.Add("state", "is not an exception state");
        }
        filter.state = request->state();
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string after = DecodePageToken(kExceptionList, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::StatusOr<std::vector<std::string>> la_codes =
            ListScope(who, la, *context_.reference_data, [&](const LocalAuthorityRecord& l) {
              return CheckExceptionScope(who, l);
            });
        if (!la_codes.ok()) return la_codes.status();
        filter.la_codes = std::move(*la_codes);
        std::vector<ExceptionRow> rows;
        int64_t total = 0;
        absl::Status read = ReadPage(*context_.database, [&](store::Transaction& tx) {
          absl::StatusOr<std::vector<ExceptionRow>> got =
              WorkforceStore::ListExceptions(tx, filter, after, page_size + 1, &total);
          if (got.ok()) rows = std::move(*got);
          return got.status();
        });
        if (!read.ok()) return read;
        const bool more = static_cast<int>(rows.size()) > page_size;
        if (more) rows.resize(page_size);
        for (const ExceptionRow& row : rows) {
          pb::RuleException body;
          absl::Status parsed = ParseBody(row, &body);
          if (!parsed.ok()) return parsed;
          absl::StatusOr<RuleException> domain = ToDomain(body, *context_.reference_data);
          if (!domain.ok()) return domain.status();
          Present(std::move(body), filter.today, *domain, response->add_rule_exceptions());
        }
        if (more) {
          response->mutable_page()->set_next_page_token(
              EncodePageToken(kExceptionList, rows.back().exception_id));
        }
        response->mutable_page()->set_total_size(total);
        return absl::OkStatus();
      });
}

}  // namespace slihub::workforce
