// The engagement register: CreateEngagement, GetEngagement, ListEngagements, UpdateEngagement
// and EndEngagement.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/england_time.h"
#include "common/identity/tenancy.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/domain/rule_exception.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

constexpr char kEngagementList[] = "engagements";

pb::EngagementState StateOf(const EngagementRow& row, absl::CivilDay today) {
  if (row.end_date.has_value()) return pb::ENGAGEMENT_STATE_ENDED;
  return row.start_date > today ? pb::ENGAGEMENT_STATE_PLANNED : pb::ENGAGEMENT_STATE_ACTIVE;
}

absl::Status ToProto(const EngagementRow& row, absl::CivilDay today, pb::Engagement* out) {
  out->set_engagement_id(row.engagement_id);
  out->set_record_id(row.record_id);
  if (!out->mutable_terms()->ParseFromString(row.terms) ||
      !out->mutable_check()->ParseFromString(row.check)) {
    return absl::DataLossError(
        absl::StrCat("engagement ", row.engagement_id, " could not be read"));
  }
  out->set_state(StateOf(row, today));
  std::set<std::string> exception_ids;
  for (const pb::RuleResult& r : out->check().results()) {
    if (!r.exception_id().empty() && exception_ids.insert(r.exception_id()).second) {
      out->add_exception_ids(r.exception_id());
    }
  }
  if (row.end_date.has_value()) *out->mutable_end_date() = ToProtoDate(*row.end_date);
  if (row.reference_provided_on.has_value()) {
    out->set_national_template_reference_provided(true);
    *out->mutable_reference_provided_on() = ToProtoDate(*row.reference_provided_on);
  }
  out->set_version(row.version);
  ToProto(row.audit, out->mutable_audit());
  return absl::OkStatus();
}

// Marks each of `rows` USED by `engagement_id`.
absl::Status MarkUsed(store::Transaction& tx, std::vector<ExceptionRow>& rows,
                      const std::string& engagement_id, const WriteMeta& meta) {
  for (ExceptionRow& used : rows) {
    pb::RuleException body;
    if (!body.ParseFromString(used.body)) {
      return absl::DataLossError("a stored exception is unreadable");
    }
    body.set_state(pb::EXCEPTION_STATE_USED);
    body.set_engagement_id(engagement_id);
    body.set_version(used.version + 1);
    used.state = pb::EXCEPTION_STATE_USED;
    used.body = body.SerializeAsString();
    absl::StatusOr<int64_t> version = WorkforceStore::UpdateException(tx, used, meta);
    if (!version.ok()) return version.status();
  }
  return absl::OkStatus();
}

// Validates the fields every engagement change names; adds violations.
void CheckChangeFields(const std::string& request_id, const std::string& engagement_id,
                       int64_t version, FieldViolations* violations) {
  CheckRequestId(request_id, "request_id", violations);
  if (engagement_id.empty() || engagement_id.size() > 64) {
    violations->Add("engagement_id", "must be 1 to 64 characters");
  }
  if (version < 0) violations->Add("version", "must not be negative");
}

}  // namespace

absl::Status WorkforceServiceImpl::CheckForRegister(
    store::Transaction& tx, EngagementTerms* terms, const std::string& region,
    const google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& engagement_id,
    EngagementRow* row, std::vector<ExceptionRow>* newly_used) const {
  absl::StatusOr<CheckResult> result = Evaluate(tx, terms, region, terms->start_date);
  if (!result.ok()) return result.status();
  std::vector<RuleException> exceptions;
  std::vector<ExceptionRow> exception_rows;
  absl::Status loaded = LoadExceptions(tx, ids, &exceptions, &exception_rows);
  if (!loaded.ok()) return loaded;
  for (size_t i = 0; i < exceptions.size(); ++i) {
    const bool ours = !engagement_id.empty() && exceptions[i].state == ExceptionState::kUsed &&
                      exceptions[i].engagement_id == engagement_id;
    if (ours) {
      // Still covers the engagement it was used by.
      exceptions[i].state = ExceptionState::kApproved;
      exceptions[i].expires_on = absl::CivilDay::max();
    } else {
      newly_used->push_back(std::move(exception_rows[i]));
    }
  }
  absl::Status covered = ApplyExceptions(exceptions, *terms, TodayInEngland(), &*result);
  if (!covered.ok()) return covered;
  if (result->verdict == Verdict::kNonCompliant) {
    std::vector<PreconditionViolation> failed;
    for (const RuleResult& r : result->results) {
      if (r.outcome != RuleOutcome::kFail || !r.exception_id.empty()) continue;
      failed.push_back(
          {pb::Rule_Name(static_cast<pb::Rule>(r.rule)), terms->swe_number, r.explanation});
    }
    return FailedPreconditionError(absl::StrCat("the engagement fails ", failed.size(),
                                                " rule(s) that no approved exception covers"),
                                   failed);
  }
  if (result->verdict == Verdict::kIncomplete) {
    std::vector<PreconditionViolation> missing;
    for (const RuleResult& r : result->results) {
      if (r.outcome != RuleOutcome::kIncomplete) continue;
      missing.push_back(
          {pb::Rule_Name(static_cast<pb::Rule>(r.rule)), terms->swe_number, r.explanation});
    }
    return FailedPreconditionError(
        absl::StrCat("the check is incomplete: ", missing.size(),
                     " rule(s) lack the facts they decide on"),
        missing);
  }
  v1::EngagementCheck check;
  ToProto(*result, /*withhold=*/false, absl::Now(), &check);
  row->verdict = static_cast<int>(result->verdict);
  row->check = check.SerializeAsString();
  row->cap_exception_id.clear();
  for (const RuleResult& r : result->results) {
    if (r.rule == Rule::kPayCap && r.outcome == RuleOutcome::kFail) {
      row->cap_exception_id = r.exception_id;
    }
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::CreateEngagement(
    grpc::CallbackServerContext* context, const v1::CreateEngagementRequest* request,
    v1::CreateEngagementResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kCreateEngagement,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckRequestId(request->request_id(), "request_id", &violations);
        if (request->record_id().empty() || request->record_id().size() > 128) {
          violations.Add("record_id", "must be 1 to 128 characters");
        }
        const LocalAuthorityRecord* la = nullptr;
        EngagementTerms terms;
        ReadHubTerms(request->terms(), "terms", &violations, &terms, &la);
        CheckExceptionIds(request->exception_ids(), &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = call.ActsForLa(*la);
        if (!scope.ok()) return scope;
        v1::EngagementTerms stored_terms = request->terms();
        stored_terms.set_swe_number(terms.swe_number);
        const std::string encoded_terms = stored_terms.SerializeAsString();
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              const absl::CivilDay today = TodayInEngland();
              absl::StatusOr<std::optional<EngagementRow>> existing =
                  WorkforceStore::FindEngagementByRecord(tx, la->la_code, request->record_id());
              if (!existing.ok()) return existing.status();
              if (existing->has_value()) {
                if ((*existing)->terms != encoded_terms) {
                  return absl::AlreadyExistsError(absl::StrCat(
                      "record id ", request->record_id(), " is already used by engagement ",
                      (*existing)->engagement_id, " with other terms"));
                }
                return ToProto(**existing, today, response->mutable_engagement());
              }
              EngagementRow row;
              std::vector<ExceptionRow> newly_used;
              absl::Status checked = CheckForRegister(tx, &terms, la->region_code,
                                                      request->exception_ids(), "", &row,
                                                      &newly_used);
              if (!checked.ok()) return checked;
              row.la_code = la->la_code;
              row.record_id = request->record_id();
              row.swe_number = terms.swe_number;
              row.start_date = terms.start_date;
              row.expected_end_date = terms.expected_end_date;
              row.terms = encoded_terms;
              const WriteMeta meta = Meta(call, request->request_id());
              absl::StatusOr<EngagementRow> inserted =
                  WorkforceStore::InsertEngagement(tx, std::move(row), meta);
              if (!inserted.ok()) return inserted.status();
              absl::Status marked = MarkUsed(tx, newly_used, inserted->engagement_id, meta);
              if (!marked.ok()) return marked;
              return ToProto(*inserted, today, response->mutable_engagement());
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetEngagement(
    grpc::CallbackServerContext* context, const v1::GetEngagementRequest* request,
    v1::GetEngagementResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetEngagement,
      [this, request, response](const CallInfo& call) -> absl::Status {
        if (request->engagement_id().empty() || request->engagement_id().size() > 64) {
          return InvalidArgumentError("bad engagement_id",
                                      {{"engagement_id", "must be 1 to 64 characters"}});
        }
        std::optional<EngagementRow> row;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::optional<EngagementRow>> got =
                  WorkforceStore::FindEngagement(tx, request->engagement_id());
              if (got.ok()) row = std::move(*got);
              return got.status();
            });
        if (!read.ok()) return read;
        if (!row.has_value()) {
          return absl::NotFoundError(
              absl::StrCat("no engagement ", request->engagement_id()));
        }
        const LocalAuthorityRecord* la = context_.reference_data->FindLocalAuthority(row->la_code);
        if (la == nullptr) return absl::InternalError("an engagement names an unknown LA");
        absl::Status scope = call.ActsForLa(*la);
        if (!scope.ok()) return scope;
        return ToProto(*row, TodayInEngland(), response->mutable_engagement());
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListEngagements(
    grpc::CallbackServerContext* context, const v1::ListEngagementsRequest* request,
    v1::ListEngagementsResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListEngagements,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const Principal& who = call.principal();
        EngagementFilter filter;
        filter.today = TodayInEngland();
        const LocalAuthorityRecord* la = nullptr;
        if (request->has_la_code()) {
          la = ReadLa(*context_.reference_data, request->la_code().value(), "la_code.value", &violations);
        }
        if (!request->swe_number().empty()) {
          filter.swe_number = ReadSweNumber(request->swe_number(), "swe_number", &violations);
        }
        if (request->state() < 0 || request->state() > pb::ENGAGEMENT_STATE_ENDED) {
          violations.Add("state", "is not an engagement state");
        }
        filter.state = request->state();
        filter.active_on = ReadOptionalDate(request->active_on(), request->has_active_on(),
                                            "active_on", &violations);
        if (!request->record_id().empty()) {
          if (!request->has_la_code()) violations.Add("record_id", "needs la_code");
          filter.record_id = request->record_id();
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string after = DecodePageToken(kEngagementList, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::StatusOr<std::vector<std::string>> la_codes =
            ListScope(who, la, *context_.reference_data, [&](const LocalAuthorityRecord& l) {
              return CheckActsForLa(who, l.la_code, l.region_code);
            });
        if (!la_codes.ok()) return la_codes.status();
        filter.la_codes = std::move(*la_codes);
        std::vector<EngagementRow> rows;
        int64_t total = 0;
        absl::Status read = ReadPage(*context_.database, [&](store::Transaction& tx) {
          absl::StatusOr<std::vector<EngagementRow>> got =
              WorkforceStore::ListEngagements(tx, filter, after, page_size + 1, &total);
          if (got.ok()) rows = std::move(*got);
          return got.status();
        });
        if (!read.ok()) return read;
        const bool more = static_cast<int>(rows.size()) > page_size;
        if (more) rows.resize(page_size);
        for (const EngagementRow& row : rows) {
          absl::Status converted = ToProto(row, filter.today, response->add_engagements());
          if (!converted.ok()) return converted;
        }
        if (more) {
          response->mutable_page()->set_next_page_token(
              EncodePageToken(kEngagementList, WorkforceStore::EngagementKey(rows.back())));
        }
        response->mutable_page()->set_total_size(total);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::UpdateEngagement(
    grpc::CallbackServerContext* context, const v1::UpdateEngagementRequest* request,
    v1::UpdateEngagementResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kUpdateEngagement,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckChangeFields(request->request_id(), request->engagement_id(), request->version(),
                          &violations);
        const LocalAuthorityRecord* la = nullptr;
        EngagementTerms terms;
        ReadHubTerms(request->terms(), "terms", &violations, &terms, &la);
        CheckExceptionIds(request->exception_ids(), &violations);
        if (!violations.empty()) return violations.ToStatus();
        absl::Status scope = call.ActsForLa(*la);
        if (!scope.ok()) return scope;
        v1::EngagementTerms stored_terms = request->terms();
        stored_terms.set_swe_number(terms.swe_number);
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<EngagementRow> row =
                  LoadForChange(tx, request->engagement_id(), request->version(), call);
              if (!row.ok()) return row.status();
              if (row->swe_number != terms.swe_number || row->la_code != terms.la_code) {
                return InvalidArgumentError(
                    "an engagement's worker and LA are fixed",
                    {{"terms", "must keep the engagement's swe_number and la_code"}});
              }
              std::vector<ExceptionRow> newly_used;
              absl::Status checked =
                  CheckForRegister(tx, &terms, la->region_code, request->exception_ids(),
                                   row->engagement_id, &*row, &newly_used);
              if (!checked.ok()) return checked;
              row->start_date = terms.start_date;
              row->expected_end_date = terms.expected_end_date;
              row->terms = stored_terms.SerializeAsString();
              const WriteMeta meta = Meta(call, request->request_id());
              absl::StatusOr<EngagementRow> updated =
                  WorkforceStore::UpdateEngagement(tx, std::move(*row), meta);
              if (!updated.ok()) return updated.status();
              absl::Status marked = MarkUsed(tx, newly_used, updated->engagement_id, meta);
              if (!marked.ok()) return marked;
              return ToProto(*updated, TodayInEngland(), response->mutable_engagement());
            });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::EndEngagement(
    grpc::CallbackServerContext* context, const v1::EndEngagementRequest* request,
    v1::EndEngagementResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kEndEngagement,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        CheckChangeFields(request->request_id(), request->engagement_id(), request->version(),
                          &violations);
        std::optional<absl::CivilDay> end;
        end = ReadDate(request->end_date(), request->has_end_date(), "end_date", &violations);
        std::optional<absl::CivilDay> reference_on;
        if (request->national_template_reference_provided()) {
          if (!request->has_reference_provided_on()) {
            violations.Add("reference_provided_on",
                           "is required when national_template_reference_provided");
          } else {
            reference_on = ReadDate(request->reference_provided_on(), true,
                                    "reference_provided_on", &violations);
          }
        } else if (request->has_reference_provided_on()) {
          violations.Add("reference_provided_on",
                         "must be unset unless national_template_reference_provided");
        }
        if (!violations.empty()) return violations.ToStatus();
        return RunIdempotent(
            *context_.database, call, request->request_id(), "request_id", *request, response,
            [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<EngagementRow> row =
                  LoadForChange(tx, request->engagement_id(), request->version(), call);
              if (!row.ok()) return row.status();
              FieldViolations dates;
              if (*end < row->start_date) {
                dates.Add("end_date", absl::StrCat("must not be before the start date ",
                                                   FormatCivilDate(row->start_date)));
              }
              if (reference_on.has_value() && *reference_on < row->start_date) {
                dates.Add("reference_provided_on", "must not be before the start date");
              }
              if (!dates.empty()) return dates.ToStatus();
              row->end_date = end;
              row->reference_provided_on = reference_on;
              absl::StatusOr<EngagementRow> updated = WorkforceStore::UpdateEngagement(
                  tx, std::move(*row), Meta(call, request->request_id()));
              if (!updated.ok()) return updated.status();
              return ToProto(*updated, TodayInEngland(), response->mutable_engagement());
            });
      });
}

absl::StatusOr<EngagementRow> WorkforceServiceImpl::LoadForChange(store::Transaction& tx,
                                                                  const std::string& id,
                                                                  int64_t version,
                                                                  const CallInfo& call) const {
  absl::StatusOr<std::optional<EngagementRow>> row = WorkforceStore::FindEngagement(tx, id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return absl::NotFoundError(absl::StrCat("no engagement ", id));
  const LocalAuthorityRecord* la = context_.reference_data->FindLocalAuthority((*row)->la_code);
  if (la == nullptr) return absl::InternalError("an engagement names an unknown LA");
  absl::Status scope = call.ActsForLa(*la);
  if (!scope.ok()) return scope;
  if (version > 0 && version != (*row)->version) {
    return absl::AbortedError(
        absl::StrCat("the engagement is at version ", (*row)->version, ", not ", version));
  }
  if ((*row)->end_date.has_value()) {
    return FailedPreconditionError(
        "the engagement has ended",
        {{"STATE", absl::StrCat("engagement/", id),
          absl::StrCat("ended on ", FormatCivilDate(*(*row)->end_date))}});
  }
  return std::move(**row);
}

}  // namespace slihub::workforce
