#include "services/datacollection/adapter/datacollection_service.h"

#include "common/federation/federation.h"
#include "common/federation/federation_info.h"
#include "services/datacollection/adapter/datacollection_methods.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/identity/tenancy.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/request_fields.h"
#include "common/server/request_limits.h"
#include "common/server/proto_time.h"
#include "common/server/unparsed_request_interceptor.h"
#include "common/server/arena_message_allocator.h"
#include "services/datacollection/adapter/benchmark_builder.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/figure_access.h"
#include "services/datacollection/adapter/rug_answer.h"
#include "services/datacollection/adapter/rug_render.h"
#include "services/datacollection/adapter/service_helpers.h"
#include "services/datacollection/domain/tracking.h"
#include "services/datacollection/domain/validation.h"
#include "services/datacollection/store/repository.h"

namespace slihub::datacollection {
namespace {

// A return's size: indicator values per SubmitReturn, breakdown figures per value.
constexpr int kMaxReturnValues = 500;
constexpr int kMaxValueBreakdowns = 200;

}  // namespace

DataCollectionServiceImpl::DataCollectionServiceImpl(const ServiceContext& context,
                                                     std::function<absl::Time()> clock)
    : db_(context.database),
      refdata_(context.reference_data),
      federation_(context.federation),
      region_(context.config->hub_region),
      runtime_(context.runtime),
      clock_(std::move(clock)) {
  SetMessageAllocatorFor_ExportBenchmark(&export_benchmark_allocator_);
  // Peers cache this hub's published aggregates per period; its writes announce the period.
  if (federation_ != nullptr) {
    federation_->change_log().Follow(db_, repository::kPublishedChannel);
    hub_ = MakeDataCollectionHubConnection(federation_);
  }
}

absl::Status DataCollectionServiceImpl::CheckLaAccess(const Principal& principal,
                                                      const std::string& la_code) const {
  const LocalAuthorityRecord* la = refdata_->FindLocalAuthority(la_code);
  if (la == nullptr || la->region_code != region_) {
    absl::Status denied =
        absl::PermissionDeniedError(absl::StrCat("LA ", la_code, " is not in region ", region_));
    SetErrorInfo(denied, "LA_OUT_OF_SCOPE", {{"la_code", la_code}});
    return denied;
  }
  return CheckActsForLa(principal, la->la_code, la->region_code);
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetIndicator(grpc::CallbackServerContext* context,
                                                                  const v1::GetIndicatorRequest* request,
                                                                  v1::GetIndicatorResponse* response) {
  return HandleUnary(runtime_, context, methods::kGetIndicator,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    CheckId(request->indicator_id(), "indicator_id", &violations);
    if (request->version() < 0) violations.Add("version", "must be 0 (latest) or a version number");
    if (!violations.empty()) return violations.ToStatus();
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto def = repository::GetIndicator(tx, request->indicator_id(), request->version());
      if (!def.ok()) return def.status();
      ToProto(*def, response->mutable_indicator());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ListIndicators(grpc::CallbackServerContext* context,
                                                                    const v1::ListIndicatorsRequest* request,
                                                                    v1::ListIndicatorsResponse* response) {
  return HandleUnary(runtime_, context, methods::kListIndicators,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
    const std::string after =
        DecodePageToken("indicators", request->page().page_token(), "page.page_token", &violations);
    if (!v1::IndicatorUnit_IsValid(request->unit())) violations.Add("unit", "unknown unit");
    if (!violations.empty()) return violations.ToStatus();
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto all = repository::ListLatestIndicators(tx);
      if (!all.ok()) return all.status();
      int64_t total = 0;
      std::string last;
      for (const IndicatorDef& def : *all) {
        if (def.retired && !request->include_retired()) continue;
        if (request->unit() != v1::INDICATOR_UNIT_UNSPECIFIED && static_cast<int>(def.unit) != request->unit()) {
          continue;
        }
        ++total;
        if (def.indicator_id <= after) continue;
        if (response->indicators_size() == page_size) {
          if (response->page().next_page_token().empty()) {
            response->mutable_page()->set_next_page_token(EncodePageToken("indicators", last));
          }
          continue;
        }
        ToProto(def, response->add_indicators());
        last = def.indicator_id;
      }
      response->mutable_page()->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetCollection(grpc::CallbackServerContext* context,
                                                                   const v1::GetCollectionRequest* request,
                                                                   v1::GetCollectionResponse* response) {
  return HandleUnary(runtime_, context, methods::kGetCollection,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    CheckId(request->collection_id(), "collection_id", &violations);
    if (!violations.empty()) return violations.ToStatus();
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      ToProto(*collection, response->mutable_collection());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ListCollections(grpc::CallbackServerContext* context,
                                                                     const v1::ListCollectionsRequest* request,
                                                                     v1::ListCollectionsResponse* response) {
  return HandleUnary(runtime_, context, methods::kListCollections,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
    const std::string after =
        DecodePageToken("collections", request->page().page_token(), "page.page_token", &violations);
    if (!v1::CollectionKind_IsValid(request->kind())) violations.Add("kind", "unknown collection kind");
    if (!violations.empty()) return violations.ToStatus();
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto all = repository::ListCollections(tx, region_);
      if (!all.ok()) return all.status();
      int64_t total = 0;
      std::string last;
      for (const CollectionRecord& c : *all) {
        if (request->kind() != v1::COLLECTION_KIND_UNSPECIFIED && c.kind != request->kind()) continue;
        ++total;
        if (c.collection_id <= after) continue;
        if (response->collections_size() == page_size) {
          if (response->page().next_page_token().empty()) {
            response->mutable_page()->set_next_page_token(EncodePageToken("collections", last));
          }
          continue;
        }
        ToProto(c, response->add_collections());
        last = c.collection_id;
      }
      response->mutable_page()->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetCollectionPeriod(
    grpc::CallbackServerContext* context, const v1::GetCollectionPeriodRequest* request,
    v1::GetCollectionPeriodResponse* response) {
  return HandleUnary(runtime_, context, methods::kGetCollectionPeriod,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    CheckId(request->collection_id(), "collection_id", &violations);
    CheckId(request->period_id(), "period_id", &violations);
    if (!violations.empty()) return violations.ToStatus();
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      auto period = repository::GetPeriod(tx, collection->collection_id, request->period_id());
      if (!period.ok()) return period.status();
      ToProto(*period, clock_(), response->mutable_period());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ListCollectionPeriods(
    grpc::CallbackServerContext* context, const v1::ListCollectionPeriodsRequest* request,
    v1::ListCollectionPeriodsResponse* response) {
  return HandleUnary(runtime_, context, methods::kListCollectionPeriods,
                     [this, request, response](const CallInfo&) -> absl::Status {
    FieldViolations violations;
    CheckId(request->collection_id(), "collection_id", &violations);
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
    const std::string after =
        DecodePageToken("periods", request->page().page_token(), "page.page_token", &violations);
    if (!v1::PeriodState_IsValid(request->state())) violations.Add("state", "unknown period state");
    if (!violations.empty()) return violations.ToStatus();
    const absl::Time now = clock_();
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      auto periods = repository::ListPeriods(tx, collection->collection_id);
      if (!periods.ok()) return periods.status();
      bool started = after.empty();
      int64_t total = 0;
      std::string last;
      for (const PeriodRecord& p : *periods) {
        v1::CollectionPeriod proto;
        ToProto(p, now, &proto);
        if (request->state() != v1::PERIOD_STATE_UNSPECIFIED && proto.state() != request->state()) continue;
        ++total;
        if (!started) {
          started = p.period_id == after;
          continue;
        }
        if (response->periods_size() == page_size) {
          if (response->page().next_page_token().empty()) {
            response->mutable_page()->set_next_page_token(EncodePageToken("periods", last));
          }
          continue;
        }
        *response->add_periods() = std::move(proto);
        last = p.period_id;
      }
      response->mutable_page()->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::SubmitReturn(grpc::CallbackServerContext* context,
                                                                  const v1::SubmitReturnRequest* request,
                                                                  v1::SubmitReturnResponse* response) {
  return HandleUnary(runtime_, context, methods::kSubmitReturn,
                     [this, request, response](const CallInfo& call) {
                       return DoSubmitReturn(call, *request, response);
                     });
}

absl::Status DataCollectionServiceImpl::DoSubmitReturn(const CallInfo& call,
                                                       const v1::SubmitReturnRequest& request,
                                                       v1::SubmitReturnResponse* response) {
  const Principal& principal = call.principal();
  FieldViolations violations;
  CheckRequestId(request.request_id(), "request_id", &violations);
  const std::string& la_code = request.la_code().value();
  const LocalAuthorityRecord* la = ReadLa(*refdata_, la_code, "la_code.value", &violations);
  CheckId(request.collection_id(), "collection_id", &violations);
  CheckId(request.period_id(), "period_id", &violations);
  if (request.values().empty()) violations.Add("values", "at least one indicator value");
  std::set<std::string> seen;
  const bool within_limits = CheckCount(request.values_size(), kMaxReturnValues, "values", &violations);
  for (int i = 0; within_limits && i < request.values_size(); ++i) {
    const v1::IndicatorValue& value = request.values(i);
    const std::string& id = value.indicator_id();
    const std::string field = absl::StrCat("values[", i, "].indicator_id");
    if (id.empty()) violations.Add(field, "required");
    else if (!seen.insert(id).second) violations.Add(field, absl::StrCat(id, " is given twice"));
    CheckText(value.total().note(), absl::StrCat("values[", i, "].total.note"), kNoteText, &violations);
    if (!CheckCount(value.breakdowns_size(), kMaxValueBreakdowns, absl::StrCat("values[", i, "].breakdowns"),
                    &violations)) {
      continue;
    }
    for (int b = 0; b < value.breakdowns_size(); ++b) {
      CheckText(value.breakdowns(b).category(), absl::StrCat("values[", i, "].breakdowns[", b, "].category"),
                kShortText, &violations);
      CheckText(value.breakdowns(b).observation().note(),
                absl::StrCat("values[", i, "].breakdowns[", b, "].observation.note"), kNoteText, &violations);
    }
  }
  if (!v1::SubmitMode_IsValid(request.mode())) violations.Add("mode", "unknown mode");
  if (request.expected_version() < 0) violations.Add("expected_version", "must not be negative");
  CheckText(request.comment(), "comment", kCommentText, &violations);
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status s = call.ActsForLa(*la); !s.ok()) return s;

  // Stored and answered alike: the store keeps microseconds.
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(clock_()));
  const bool by_service = principal.HasRole(Role::kService);
  const bool officer_only = !IsRegionWide(principal);
  bool ran = false;
  absl::Status written = RunIdempotent(*db_, call, request.request_id(), "request_id", request, response,
                                       [&](store::Transaction& tx) -> absl::Status {
    ran = true;
    auto collection = ResolveCollection(tx, region_, request.collection_id());
    if (!collection.ok()) return collection.status();
    auto period = repository::GetPeriod(tx, collection->collection_id, request.period_id());
    if (!period.ok()) return period.status();
    const PeriodState state =
        StateAt(PeriodWindow{period->open_time, period->deadline_time, period->close_time}, now);
    if (state == PeriodState::kScheduled || state == PeriodState::kClosed) {
      return FailedPreconditionError(
          absl::StrCat("period ", period->period_id, state == PeriodState::kScheduled ? " is not open yet" : " is closed"),
          {{"STATE", absl::StrCat("period/", collection->collection_id, "/", period->period_id),
            state == PeriodState::kScheduled ? "returns are refused before open_time"
                                             : "returns are refused from close_time"}});
    }

    FieldViolations figure_violations;
    std::vector<IndicatorFigures> submitted;
    for (int i = 0; i < request.values_size(); ++i) {
      const v1::IndicatorValue& value = request.values(i);
      const std::string prefix = absl::StrCat("values[", i, "]");
      if (std::find(period->indicator_ids.begin(), period->indicator_ids.end(), value.indicator_id()) ==
          period->indicator_ids.end()) {
        figure_violations.Add(prefix + ".indicator_id",
                              absl::StrCat(value.indicator_id(), " is not collected in period ", period->period_id));
        continue;
      }
      auto def = repository::GetIndicator(tx, value.indicator_id(), 0);
      if (!def.ok()) return def.status();
      if (def->retired) {
        return FailedPreconditionError(absl::StrCat("indicator ", def->indicator_id, " is retired"),
                                       {{"STATE", absl::StrCat("indicator/", def->indicator_id),
                                         "a retired indicator cannot be submitted"}});
      }
      if (officer_only && !def->derived_by_service.empty()) {
        return absl::PermissionDeniedError(absl::StrCat(def->indicator_id, " is derived by the ",
                                                        def->derived_by_service,
                                                        " service; data officers may not submit it"));
      }
      IndicatorFigures figures = FromProto(value);
      std::vector<FieldViolation> nested;
      for (const Violation& v : ValidateFigures(*def, figures)) nested.push_back({v.field, v.description});
      figure_violations.AddNested(prefix, nested);
      submitted.push_back(std::move(figures));
    }
    if (!figure_violations.empty()) return figure_violations.ToStatus();
    if (!period->previous_period_id.empty()) {
      auto before = repository::CurrentTotals(tx, collection->collection_id, period->previous_period_id);
      if (!before.ok()) return before.status();
      for (const IndicatorFigures& f : submitted) {
        for (const LatestTotal& t : *before) {
          if (t.la_code != la_code || t.indicator_id != f.indicator_id) continue;
          auto def = repository::GetIndicator(tx, f.indicator_id, 0);
          if (!def.ok()) return def.status();
          if (auto warning = LargeChangeWarning(*def, f.total, t.total)) {
            v1::ValidationWarning* w = response->add_warnings();
            w->set_indicator_id(f.indicator_id);
            w->set_code("LARGE_CHANGE");
            w->set_message(*warning);
          }
        }
      }
    }

    auto latest = repository::LatestVersion(tx, la_code, collection->collection_id, period->period_id);
    if (!latest.ok()) return latest.status();
    if (request.expected_version() != 0 && request.expected_version() != *latest) {
      return absl::AbortedError(absl::StrCat("expected version ", request.expected_version(),
                                             " but the latest is ", *latest, "; read again and retry"));
    }

    auto next = BuildNextVersion(tx, *period, la_code, std::move(submitted),
                                 request.mode() == v1::SUBMIT_MODE_REPLACE, *latest, now);
    if (!next.ok()) return next.status();
    ReturnRecord& record = *next;
    record.source = by_service ? v1::SUBMISSION_SOURCE_SERVICE : v1::SUBMISSION_SOURCE_API;
    record.comment = request.comment();
    record.submitted_by = principal.subject;
    if (request.validate_only()) {
      record.version = 0;
      record.latest = false;
      ToProto(record, false, response->mutable_la_return());
      return absl::OkStatus();
    }
    if (absl::Status s = repository::InsertReturn(tx, record); !s.ok()) return s;
    ToProto(record, false, response->mutable_la_return());
    response->mutable_la_return()->mutable_audit()->set_request_id(request.request_id());
    return absl::OkStatus();
  });
  if (written.ok() && !ran) response->set_replayed(true);
  return written;
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetReturn(grpc::CallbackServerContext* context,
                                                               const v1::GetReturnRequest* request,
                                                               v1::GetReturnResponse* response) {
  return HandleUnary(runtime_, context, methods::kGetReturn,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    if (!IsLaCodeSyntax(request->la_code().value())) {
      violations.Add("la_code.value", "must be a DfE three-digit LA code");
    }
    CheckId(request->collection_id(), "collection_id", &violations);
    CheckId(request->period_id(), "period_id", &violations);
    if (request->version() < 0) violations.Add("version", "must be 0 (latest) or a version number");
    if (!v1::ReturnView_IsValid(request->view())) violations.Add("view", "unknown view");
    if (!violations.empty()) return violations.ToStatus();
    if (absl::Status s = CheckLaAccess(call.principal(), request->la_code().value()); !s.ok()) return s;
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      return ReadReturnInto(tx, request->la_code().value(), collection->collection_id, request->period_id(),
                            request->version(), request->view() == v1::RETURN_VIEW_FULL,
                            response->mutable_la_return());
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ListReturnVersions(
    grpc::CallbackServerContext* context, const v1::ListReturnVersionsRequest* request,
    v1::ListReturnVersionsResponse* response) {
  return HandleUnary(runtime_, context, methods::kListReturnVersions,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    const std::string& la_code = request->la_code().value();
    if (!IsLaCodeSyntax(la_code)) violations.Add("la_code.value", "must be a DfE three-digit LA code");
    CheckId(request->collection_id(), "collection_id", &violations);
    CheckId(request->period_id(), "period_id", &violations);
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
    const std::string after =
        DecodePageToken("return_versions", request->page().page_token(), "page.page_token", &violations);
    if (!v1::ReturnView_IsValid(request->view())) violations.Add("view", "unknown view");
    if (!violations.empty()) return violations.ToStatus();
    if (absl::Status s = CheckLaAccess(call.principal(), la_code); !s.ok()) return s;
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      auto latest = repository::LatestVersion(tx, la_code, collection->collection_id, request->period_id());
      if (!latest.ok()) return latest.status();
      if (*latest == 0) {
        return absl::NotFoundError(absl::StrCat("LA ", la_code, " has no return for ", request->period_id()));
      }
      int64_t start = *latest;
      if (!after.empty()) {
        if (!absl::SimpleAtoi(after, &start)) return absl::InvalidArgumentError("bad page token");
        --start;
      }
      const bool full = request->view() == v1::RETURN_VIEW_FULL;
      for (int64_t v = start; v >= 1; --v) {
        if (response->versions_size() == page_size) {
          response->mutable_page()->set_next_page_token(EncodePageToken("return_versions", absl::StrCat(v + 1)));
          break;
        }
        absl::Status read = ReadReturnInto(tx, la_code, collection->collection_id, request->period_id(), v, full,
                                           response->add_versions());
        if (!read.ok()) return read;
      }
      response->mutable_page()->set_total_size(*latest);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetSubmissionStatus(
    grpc::CallbackServerContext* context, const v1::GetSubmissionStatusRequest* request,
    v1::GetSubmissionStatusResponse* response) {
  return HandleUnary(runtime_, context, methods::kGetSubmissionStatus,
                     [this, request, response](const CallInfo&) {
                       return DoGetSubmissionStatus(*request, response);
                     });
}

absl::Status DataCollectionServiceImpl::DoGetSubmissionStatus(const v1::GetSubmissionStatusRequest& request,
                                                              v1::GetSubmissionStatusResponse* response) {
  FieldViolations violations;
  CheckId(request.period_id(), "period_id", &violations);
  for (int i = 0; i < request.states_size(); ++i) {
    if (!v1::SubmissionState_IsValid(request.states(i)) || request.states(i) == v1::SUBMISSION_STATE_UNSPECIFIED) {
      violations.Add(absl::StrCat("states[", i, "]"), "unknown submission state");
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  const absl::Time now = clock_();
  CollectionRecord collection;
  PeriodRecord period;
  std::vector<ReturnRecord> versions;
  absl::Status read = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    auto c = ResolveCollection(tx, region_, request.collection_id());
    if (!c.ok()) return c.status();
    collection = *c;
    auto p = repository::GetPeriod(tx, collection.collection_id, request.period_id());
    if (!p.ok()) return p.status();
    period = *p;
    auto v = repository::ListReturnVersions(tx, collection.collection_id, period.period_id, true);
    if (!v.ok()) return v.status();
    versions = *std::move(v);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;

  std::vector<std::string> las = collection.la_codes;
  if (las.empty()) {
    const RegionRecord* region = refdata_->FindRegion(region_);
    if (region != nullptr) las = region->la_codes;
  }
  std::sort(las.begin(), las.end());
  std::vector<LaStatus> statuses;
  for (const std::string& la : las) {
    std::vector<VersionFacts> facts;
    for (const ReturnRecord& r : versions) {
      if (r.la_code != la) continue;
      VersionFacts f{r.version, r.receive_time, {}};
      for (const IndicatorFigures& given : r.values) f.indicators_given.insert(given.indicator_id);
      facts.push_back(std::move(f));
    }
    statuses.push_back(ComputeLaStatus(la, period.indicator_ids, facts, period.deadline_time, now));
  }
  ToProto(period, now, response->mutable_period());
  for (const LaStatus& s : statuses) {
    if (request.states_size() > 0 &&
        std::find(request.states().begin(), request.states().end(), static_cast<int>(s.state)) ==
            request.states().end()) {
      continue;
    }
    v1::LaSubmissionStatus* out = response->add_las();
    out->mutable_la_code()->set_value(s.la_code);
    out->set_state(static_cast<v1::SubmissionState>(s.state));
    out->set_latest_version(s.latest_version);
    if (s.latest_version > 0) {
      *out->mutable_first_receive_time() = ToProtoTimestamp(s.first_receive_time);
      *out->mutable_latest_receive_time() = ToProtoTimestamp(s.latest_receive_time);
    }
    out->set_indicators_expected(s.expected);
    out->set_indicators_on_time(s.on_time);
    out->set_indicators_late(s.late);
    out->set_indicators_missing(s.missing);
    ToProto(s.on_time_share, out->mutable_on_time_share());
  }
  const RegionSummary summary = Summarise(statuses);
  v1::RegionSubmissionSummary* region = response->mutable_region();
  region->mutable_region()->set_value(region_);
  region->set_las_expected(summary.expected);
  region->set_las_on_time(summary.on_time);
  region->set_las_late(summary.late);
  region->set_las_missing(summary.missing);
  region->set_las_not_due(summary.not_due);
  ToProto(summary.la_on_time_share, region->mutable_la_on_time_share());
  ToProto(summary.indicator_on_time_share, region->mutable_indicator_on_time_share());
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::GetBenchmark(grpc::CallbackServerContext* context,
                                                                  const grpc::ByteBuffer* request_bytes,
                                                                  grpc::ByteBuffer* response_bytes) {
  return HandleUnary(runtime_, context, methods::kGetBenchmark,
                     [this, request_bytes, response_bytes](const CallInfo& call) -> absl::Status {
    std::vector<grpc::Slice> slices;
    v1::GetBenchmarkRequest request;
    std::string bytes;
    if (request_bytes->Dump(&slices).ok()) {
      for (const grpc::Slice& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    if (!request.ParseFromString(bytes)) return UnparsedRequestError(call.method());
    FieldViolations violations;
    auto cached = ComputeBenchmark(call.principal(), request.query(), &violations);
    if (!cached.ok()) return cached.status();
    // The cached answer's bytes with the per-call fields added inside its one benchmark field.
    if (request.query().scope() == slihub::common::v1::REGION_SCOPE_NATIONAL) {
      // The England figures differ per call (peers' states): the rug is copied, not shared.
      v1::GetBenchmarkResponse national;
      *national.mutable_benchmark() = *(*cached)->rug;
      if (!request.query().has_as_of_time()) {
        *national.mutable_benchmark()->mutable_as_of_time() = ToProtoTimestamp(clock_());
      }
      if (absl::Status s = AddEnglandFigures(request.query(), national.mutable_benchmark(),
                                             national.mutable_federation());
          !s.ok()) {
        return s;
      }
      grpc::Slice slice(national.SerializeAsString());
      *response_bytes = grpc::ByteBuffer(&slice, 1);
      return absl::OkStatus();
    }
    v1::GetBenchmarkResponse per_call;
    if (!request.query().has_as_of_time()) {
      *per_call.mutable_benchmark()->mutable_as_of_time() = ToProtoTimestamp(clock_());
    }
    per_call.mutable_federation()->set_scope(EffectiveScope(request.query()));
    // The cached bytes go out without a copy: the buffer holds a reference to the cached rug.
    *response_bytes = RugAnswerForCall((*cached)->answer, *cached, std::move(per_call));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ExportBenchmark(grpc::CallbackServerContext* context,
                                                                     const v1::ExportBenchmarkRequest* request,
                                                                     v1::ExportBenchmarkResponse* response) {
  return HandleUnary(runtime_, context, methods::kExportBenchmark,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    if (request->format() != v1::BENCHMARK_FORMAT_CSV && request->format() != v1::BENCHMARK_FORMAT_HTML) {
      violations.Add("format", "must be CSV or HTML");
    }
    auto computed = ComputeBenchmark(call.principal(), request->query(), &violations);
    if (!computed.ok()) return computed.status();
    const v1::Benchmark* shown = (*computed)->rug;
    v1::Benchmark national;
    if (request->query().scope() == slihub::common::v1::REGION_SCOPE_NATIONAL) {
      national = *shown;
      if (absl::Status s = AddEnglandFigures(request->query(), &national,
                                             response->mutable_federation());
          !s.ok()) {
        return s;
      }
      shown = &national;
    }
    const v1::Benchmark& rug = *shown;
    const bool csv = request->format() == v1::BENCHMARK_FORMAT_CSV;
    const slihub::common::v1::FederationInfo* federation =
        response->has_federation() ? &response->federation() : nullptr;
    response->set_content(csv ? RenderRugCsv(rug) : RenderRugHtml(rug, *refdata_, federation));
    response->set_content_type(csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8");
    response->set_file_name(absl::StrCat("rug-", rug.region().value(), "-", rug.period_id(), csv ? ".csv" : ".html"));
    if (!response->has_federation()) {
      response->mutable_federation()->set_scope(EffectiveScope(request->query()));
    }
    return absl::OkStatus();
  });
}

bool DataCollectionServiceImpl::IsKnownPublished(const std::string& period_key) const {
  absl::MutexLock lock(&published_mu_);
  return published_.contains(period_key);
}

void DataCollectionServiceImpl::RememberPublished(const std::string& period_key) {
  absl::MutexLock lock(&published_mu_);
  published_.insert(period_key);
}

slihub::common::v1::RegionScope DataCollectionServiceImpl::EffectiveScope(const v1::BenchmarkQuery& q) {
  return q.scope() == slihub::common::v1::REGION_SCOPE_UNSPECIFIED ? slihub::common::v1::REGION_SCOPE_OWN_REGION
                                                                    : q.scope();
}

absl::StatusOr<std::shared_ptr<const CachedRug>> DataCollectionServiceImpl::ComputeBenchmark(
    const Principal& principal, const v1::BenchmarkQuery& q, FieldViolations* violations) {
  RugQuery query;
  query.region = q.has_region() ? q.region().value() : principal.region_code;
  if (query.region != region_) {
    violations->Add("query.region.value", absl::StrCat("this hub holds region ", region_,
                                                       "; ask that region's hub for its rug"));
  }
  CheckId(q.period_id(), "query.period_id", violations);
  query.period_id = q.period_id();
  query.collection_id = q.collection_id();
  query.previous_period_id = q.previous_period_id();
  for (int i = 0; i < q.indicator_ids_size(); ++i) {
    if (q.indicator_ids(i).empty()) violations->Add(absl::StrCat("query.indicator_ids[", i, "]"), "empty id");
    query.indicator_ids.push_back(q.indicator_ids(i));
  }
  if (q.has_as_of_time()) {
    auto as_of = FromProtoTimestamp(q.as_of_time());
    if (!as_of.ok()) violations->Add("query.as_of_time", std::string(as_of.status().message()));
    else query.as_of = *as_of;
  }
  if (!slihub::common::v1::RegionScope_IsValid(q.scope())) violations->Add("query.scope", "unknown scope");
  if (!federation::IsKnownMode(q.federation_mode())) {
    violations->Add("query.federation_mode", "unknown federation mode");
  }
  if (q.scope() == slihub::common::v1::REGION_SCOPE_OWN_LA) {
    if (principal.la_code.empty()) violations->Add("query.scope", "OWN_LA needs an LA-bound principal");
    query.only_la = principal.la_code;
  }
  query.include_disproportionality = q.include_disproportionality();
  const FigureView view = ViewOf(principal);
  query.with_notes = view.hub;
  if (!violations->empty()) return violations->ToStatus();
  // NATIONAL: the region's own rug (cached like any other); the England figures are added per call.
  return CachedBenchmark(query, view);
}

absl::StatusOr<std::shared_ptr<const CachedRug>> DataCollectionServiceImpl::CachedBenchmark(
    const RugQuery& query, const FigureView& view) {
  const absl::Time now = clock_();
  int64_t generation = 0;
  // The rug shows every LA's figures, and in its change column those of the period it compares
  // with: a council sees it once both are published (a fact that never reverts, so it is
  // remembered once seen).
  const std::string period_key =
      absl::StrCat(query.collection_id, "|", query.period_id, "|", query.previous_period_id);
  const bool check_published = !view.hub && !IsKnownPublished(period_key);
  absl::Status read = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
    auto g = repository::Generation(tx);
    if (!g.ok()) return g.status();
    generation = *g;
    if (!check_published) return absl::OkStatus();
    auto collection = ResolveCollection(tx, region_, query.collection_id);
    if (!collection.ok()) return collection.status();
    auto period = repository::GetPeriod(tx, collection->collection_id, query.period_id);
    if (!period.ok()) return period.status();
    if (absl::Status visible = CheckRegionFiguresVisible(view, *period); !visible.ok()) return visible;
    const std::string& previous_id =
        query.previous_period_id.empty() ? period->previous_period_id : query.previous_period_id;
    if (!previous_id.empty()) {
      auto previous = repository::GetPeriod(tx, collection->collection_id, previous_id);
      if (!previous.ok()) return previous.status();
      if (absl::Status visible = CheckRegionFiguresVisible(view, *previous); !visible.ok()) {
        return visible;
      }
    }
    RememberPublished(period_key);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (std::shared_ptr<const CachedRug> hit = rug_cache_.Find(RugCacheKey(query, generation))) return hit;
  auto cached = std::make_shared<CachedRug>();
  cached->arena = std::make_shared<google::protobuf::Arena>(LargeMessageArenaOptions());
  v1::Benchmark* built = google::protobuf::Arena::CreateMessage<v1::Benchmark>(cached->arena.get());
  if (absl::Status s = BuildBenchmark(*db_, *refdata_, query, now, built, &generation,
                                     {runtime_.pool, &indicator_defs_, &period_totals_}); !s.ok()) {
    return s;
  }
  if (query.as_of == absl::InfiniteFuture()) built->clear_as_of_time();  // "now" is added per call
  cached->rug = built;
  cached->answer = SerializeRugAnswer(built, runtime_.pool);
  rug_cache_.Put(RugCacheKey(query, generation), cached);
  return std::shared_ptr<const CachedRug>(std::move(cached));
}

}  // namespace slihub::datacollection
