// Rule exceptions: RequestException, ApproveException, GetException, and their use by checks.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "services/workforce/adapter/call_helpers.h"
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
  FieldViolations date_violations;
  std::optional<absl::CivilDay> expires = ReadDate(in.expires_on(), "expires_on", &date_violations);
  if (!expires.has_value()) return absl::DataLossError("a stored exception's expiry is unreadable");
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
  return CheckLaScope(who, la, {Role::kRegionalAdmin});
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
  static const std::string method = Method("RequestException");
  return HandleUnary(
      context_.runtime, context, method.c_str(),
      MethodPolicy{{Role::kHrOfficer, Role::kRegionalAdmin}},
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), &violations);
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
        if (request->reason().empty() || request->reason().size() > 2000) {
          violations.Add("reason", "must be 1 to 2000 characters");
        }
        const absl::CivilDay today = Today();
        std::optional<absl::CivilDay> expires;
        if (!request->has_expires_on()) {
          violations.Add("expires_on", "is required");
        } else if ((expires = ReadDate(request->expires_on(), "expires_on", &violations)) &&
                   *expires < today) {
          violations.Add("expires_on", "must not be in the past");
        }
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = CheckLaScope(call.principal(), *la, {Role::kRegionalAdmin});
        if (!scope.ok()) return scope;
        return RunIdempotent(
            *context_.database, method.c_str(), call, request->request_id(), *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<CheckResult> result =
                  Evaluate(tx, terms, la->region_code, terms.start_date);
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
  static const std::string method = Method("ApproveException");
  return HandleUnary(
      context_.runtime, context, method.c_str(),
      MethodPolicy{{Role::kDcs, Role::kChiefExecutive}},
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), &violations);
        if (request->exception_id().empty() || request->exception_id().size() > 64) {
          violations.Add("exception_id", "must be 1 to 64 characters");
        }
        if (request->version() < 0) violations.Add("version", "must not be negative");
        const ApproverCapacity capacity = static_cast<ApproverCapacity>(request->capacity());
        if (capacity != ApproverCapacity::kDcs && capacity != ApproverCapacity::kChiefExecutive) {
          violations.Add("capacity", "must be DCS or CHIEF_EXECUTIVE");
        }
        if (request->comment().size() > 2000) {
          violations.Add("comment", "must be at most 2000 characters");
        }
        if (!violations.empty()) return violations.ToStatus();
        const Principal& who = call.principal();
        const Role needed =
            capacity == ApproverCapacity::kDcs ? Role::kDcs : Role::kChiefExecutive;
        if (!who.HasRole(needed)) {
          absl::Status status = absl::PermissionDeniedError(
              "the caller does not hold the capacity it signs in");
          SetErrorInfo(status, "CAPACITY_NOT_HELD");
          return status;
        }
        return RunIdempotent(
            *context_.database, method.c_str(), call, request->request_id(), *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<std::optional<ExceptionRow>> row =
                  WorkforceStore::FindException(tx, request->exception_id());
              if (!row.ok()) return row.status();
              if (!row->has_value()) {
                return absl::NotFoundError(
                    absl::StrCat("no exception ", request->exception_id()));
              }
              if (who.la_code != (*row)->la_code) {
                absl::Status status = absl::PermissionDeniedError(
                    "only the exception's own LA's DCS and Chief Executive sign it");
                SetErrorInfo(status, "LA_OUT_OF_SCOPE", {{"la_code", (*row)->la_code}});
                return status;
              }
              if (request->version() > 0 && request->version() != (*row)->version) {
                return absl::AbortedError(absl::StrCat("the exception is at version ",
                                                       (*row)->version, ", not ",
                                                       request->version()));
              }
              pb::RuleException body;
              absl::Status parsed = ParseBody(**row, &body);
              if (!parsed.ok()) return parsed;
              absl::StatusOr<RuleException> domain = ToDomain(body, *context_.reference_data);
              if (!domain.ok()) return domain.status();
              const absl::Time now = absl::Now();
              absl::Status signed_status =
                  Approve(&*domain, who.subject, capacity, now, request->comment(), Today());
              if (!signed_status.ok()) return signed_status;
              pb::ExceptionApproval* approval = body.add_approvals();
              approval->set_approver(who.subject);
              approval->set_capacity(request->capacity());
              *approval->mutable_approve_time() = ToProtoTimestamp(now);
              approval->set_comment(request->comment());
              body.set_state(static_cast<pb::ExceptionState>(domain->state));
              body.set_version((*row)->version + 1);
              body.mutable_audit()->set_updated_by(who.subject);
              *body.mutable_audit()->mutable_update_time() = ToProtoTimestamp(now);
              ExceptionRow updated = **row;
              updated.state = body.state();
              updated.body = body.SerializeAsString();
              absl::StatusOr<int64_t> version =
                  WorkforceStore::UpdateException(tx, updated, Meta(call, request->request_id()));
              if (!version.ok()) return version.status();
              *response->mutable_rule_exception() = body;
              return absl::OkStatus();
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetException(
    grpc::CallbackServerContext* context, const v1::GetExceptionRequest* request,
    v1::GetExceptionResponse* response) {
  return HandleUnary(
      context_.runtime, context, "/slihub.workforce.v1.WorkforceService/GetException",
      MethodPolicy{{Role::kHrOfficer, Role::kDcs, Role::kChiefExecutive, Role::kRegionalAdmin}},
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
        Present(std::move(body), Today(), *domain, response->mutable_rule_exception());
        return absl::OkStatus();
      });
}

}  // namespace slihub::workforce
