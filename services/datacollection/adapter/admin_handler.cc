// The regional admin's RPCs: indicators (versioned), collections and periods, each validated field by
// field and idempotent by request_id (the first answer is stored and replayed).
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/datacollection_service.h"
#include "services/datacollection/adapter/datacollection_methods.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "services/datacollection/adapter/service_helpers.h"
#include "services/datacollection/domain/validation.h"

namespace slihub::datacollection {
namespace {

bool IsQuarterly(int kind) {
  return kind == v1::COLLECTION_KIND_CORE_QUARTERLY || kind == v1::COLLECTION_KIND_SEND_QUARTERLY ||
         kind == v1::COLLECTION_KIND_WORKFORCE_QUARTERLY;
}

// "EE-core", "EE-send", "EE-workforce" for the quarterly kinds; "EE-adhoc-<n>" for ad hoc ones.
std::string DefaultCollectionId(const std::string& region, int kind, size_t existing) {
  switch (kind) {
    case v1::COLLECTION_KIND_CORE_QUARTERLY: return absl::StrCat(region, "-core");
    case v1::COLLECTION_KIND_SEND_QUARTERLY: return absl::StrCat(region, "-send");
    case v1::COLLECTION_KIND_WORKFORCE_QUARTERLY: return absl::StrCat(region, "-workforce");
    default: return absl::StrCat(region, "-adhoc-", existing + 1);
  }
}

// 1-`max` characters of [A-Za-z0-9_-].
bool IsPlainId(const std::string& id, size_t max) {
  if (id.empty() || id.size() > max) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void AddAll(const std::vector<Violation>& found, const std::string& prefix, FieldViolations* violations) {
  for (const Violation& v : found) violations->Add(absl::StrCat(prefix, ".", v.field), v.description);
}

// Checks each indicator id of `ids` exists, is not retired and is listed once.
absl::Status CheckIndicatorList(store::Transaction& tx, const google::protobuf::RepeatedPtrField<std::string>& ids,
                                const std::string& prefix, FieldViolations* violations) {
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string field = absl::StrCat(prefix, "[", i, "]");
    if (!seen.insert(ids[i]).second) {
      violations->Add(field, absl::StrCat(ids[i], " is listed twice"));
      continue;
    }
    auto def = repository::GetIndicator(tx, ids[i], 0);
    if (absl::IsNotFound(def.status())) {
      violations->Add(field, absl::StrCat("no indicator ", ids[i]));
    } else if (!def.ok()) {
      return def.status();
    } else if (def->retired) {
      violations->Add(field, absl::StrCat(ids[i], " is retired"));
    }
  }
  return absl::OkStatus();
}

// A period's times from the message, each required; open < deadline <= close.
// Reads the period's open, deadline and close instants, each given as an instant (*_time) or as a
// civil date in England (*_date): open at the start of its day, the deadline at the end of its day,
// close from the start of the day after.
void ReadTimes(const v1::CollectionPeriod& p, PeriodRecord* out, FieldViolations* violations) {
  enum class Edge { kStart, kEnd, kAfter };
  auto read = [&](bool has_time, const google::protobuf::Timestamp& t, bool has_date,
                  const slihub::common::v1::CivilDate& d, const char* name, Edge edge,
                  absl::Time* into) {
    const std::string time_field = absl::StrCat("period.", name, "_time");
    const std::string date_field = absl::StrCat("period.", name, "_date");
    if (has_time && has_date) {
      violations->Add(date_field, absl::StrCat("give ", name, "_time or ", name, "_date, not both"));
      return false;
    }
    if (has_date) {
      std::optional<absl::CivilDay> day = ReadDate(d, true, date_field, violations);
      if (!day) return false;
      *into = edge == Edge::kStart ? StartOfEnglandDay(*day)
              : edge == Edge::kEnd ? EndOfEnglandDay(*day)
                                   : StartOfEnglandDay(*day + 1);
      return true;
    }
    if (!has_time) {
      violations->Add(time_field, absl::StrCat("required (or ", name, "_date)"));
      return false;
    }
    auto time = FromProtoTimestamp(t);
    if (!time.ok()) {
      violations->Add(time_field, std::string(time.status().message()));
      return false;
    }
    *into = absl::FromUnixMicros(absl::ToUnixMicros(*time));  // the store keeps microseconds
    return true;
  };
  const bool open = read(p.has_open_time(), p.open_time(), p.has_open_date(), p.open_date(), "open",
                         Edge::kStart, &out->open_time);
  const bool deadline = read(p.has_deadline_time(), p.deadline_time(), p.has_deadline_date(),
                             p.deadline_date(), "deadline", Edge::kEnd, &out->deadline_time);
  const bool close = read(p.has_close_time(), p.close_time(), p.has_close_date(), p.close_date(),
                          "close", Edge::kAfter, &out->close_time);
  if (open && deadline && out->deadline_time <= out->open_time) {
    violations->Add(p.has_deadline_date() ? "period.deadline_date" : "period.deadline_time",
                    "must be after the open time");
  }
  if (deadline && close && out->close_time < out->deadline_time) {
    violations->Add(p.has_close_date() ? "period.close_date" : "period.close_time",
                    "must not be before the deadline");
  }
}

}  // namespace

template <typename Request, typename Response>
absl::Status DataCollectionServiceImpl::RunWrite(const CallInfo& call, const Request& request,
                                                 Response* response,
                                                 absl::FunctionRef<absl::Status(store::Transaction&)> body) {
  return ::slihub::RunIdempotent(*db_, call, request.request_id(), "request_id", request, response,
                                 body);
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::CreateIndicator(grpc::CallbackServerContext* context,
                                                                     const v1::CreateIndicatorRequest* request,
                                                                     v1::CreateIndicatorResponse* response) {
  return HandleUnary(runtime_, context, methods::kCreateIndicator, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    IndicatorDef def = IndicatorFromProto(request->indicator(), "indicator", &violations);
    def.version = 1;
    AddAll(ValidateIndicatorDef(def), "indicator", &violations);
    if (!violations.empty()) return violations.ToStatus();
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      if (repository::GetIndicator(tx, def.indicator_id, 0).ok()) {
        return absl::AlreadyExistsError(absl::StrCat("indicator ", def.indicator_id, " exists"));
      }
      if (absl::Status s = repository::InsertIndicator(tx, def); !s.ok()) return s;
      ToProto(def, response->mutable_indicator());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::UpdateIndicator(grpc::CallbackServerContext* context,
                                                                     const v1::UpdateIndicatorRequest* request,
                                                                     v1::UpdateIndicatorResponse* response) {
  return HandleUnary(runtime_, context, methods::kUpdateIndicator, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    IndicatorDef def = IndicatorFromProto(request->indicator(), "indicator", &violations);
    AddAll(ValidateIndicatorDef(def), "indicator", &violations);
    if (request->expected_version() < 0) violations.Add("expected_version", "must be 0 or a version number");
    if (!violations.empty()) return violations.ToStatus();
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      auto current = repository::GetIndicator(tx, def.indicator_id, 0);
      if (!current.ok()) return current.status();
      if (request->expected_version() != 0 && request->expected_version() != current->version) {
        return absl::AbortedError(absl::StrCat("expected version ", request->expected_version(), " but the latest is ",
                                               current->version, "; read again and retry"));
      }
      def.version = current->version + 1;
      if (absl::Status s = repository::InsertIndicator(tx, def); !s.ok()) return s;
      ToProto(def, response->mutable_indicator());
      return absl::OkStatus();
    });
  });
}

absl::Status DataCollectionServiceImpl::ReadCollection(store::Transaction& tx, const v1::Collection& in,
                                                       CollectionRecord* out, FieldViolations* violations) {
  if (in.has_region() && in.region().value() != region_) {
    violations->Add("collection.region.value", absl::StrCat("this hub holds region ", region_));
  }
  out->region = region_;
  CheckText(in.name(), "collection.name", kRequiredShortText, violations);
  CheckText(in.description(), "collection.description", TextRule{2000, true, false}, violations);
  out->name = in.name();
  out->description = in.description();
  if (in.indicator_ids_size() == 0) violations->Add("collection.indicator_ids", "at least one indicator");
  if (absl::Status s = CheckIndicatorList(tx, in.indicator_ids(), "collection.indicator_ids", violations);
      !s.ok()) {
    return s;
  }
  out->indicator_ids.assign(in.indicator_ids().begin(), in.indicator_ids().end());
  std::set<std::string> seen;
  out->la_codes.clear();
  for (int i = 0; i < in.la_codes_size(); ++i) {
    const std::string& la = in.la_codes(i).value();
    const LocalAuthorityRecord* record = refdata_->FindLocalAuthority(la);
    const std::string field = absl::StrCat("collection.la_codes[", i, "].value");
    if (record == nullptr || record->region_code != region_) {
      violations->Add(field, absl::StrCat("LA ", la, " is not in region ", region_));
    } else if (!seen.insert(la).second) {
      violations->Add(field, absl::StrCat("LA ", la, " is listed twice"));
    }
    out->la_codes.push_back(la);
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::CreateCollection(grpc::CallbackServerContext* context,
                                                                      const v1::CreateCollectionRequest* request,
                                                                      v1::CreateCollectionResponse* response) {
  return HandleUnary(runtime_, context, methods::kCreateCollection, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    const v1::Collection& in = request->collection();
    if (!in.collection_id().empty() && !IsPlainId(in.collection_id(), 64)) {
      violations.Add("collection.collection_id", "1-64 characters of [A-Za-z0-9_-]");
    }
    if (!v1::CollectionKind_IsValid(in.kind()) || in.kind() == v1::COLLECTION_KIND_UNSPECIFIED) {
      violations.Add("collection.kind", "required");
    }
    if (!violations.empty()) return violations.ToStatus();
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      CollectionRecord c;
      if (absl::Status s = ReadCollection(tx, in, &c, &violations); !s.ok()) return s;
      if (!violations.empty()) return violations.ToStatus();
      c.kind = in.kind();
      c.version = 1;
      auto existing = repository::ListCollections(tx, region_);
      if (!existing.ok()) return existing.status();
      if (IsQuarterly(c.kind)) {
        for (const CollectionRecord& other : *existing) {
          if (other.kind == c.kind) {
            return absl::AlreadyExistsError(absl::StrCat("region ", region_, " already has ", other.collection_id,
                                                         " of kind ", v1::CollectionKind_Name(c.kind)));
          }
        }
      }
      c.collection_id = in.collection_id().empty() ? DefaultCollectionId(region_, c.kind, existing->size())
                                                   : in.collection_id();
      absl::Status inserted = repository::InsertCollection(tx, c);
      if (absl::IsAlreadyExists(inserted)) {
        return absl::AlreadyExistsError(absl::StrCat("collection ", c.collection_id, " exists"));
      }
      if (!inserted.ok()) return inserted;
      ToProto(c, response->mutable_collection());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::UpdateCollection(grpc::CallbackServerContext* context,
                                                                      const v1::UpdateCollectionRequest* request,
                                                                      v1::UpdateCollectionResponse* response) {
  return HandleUnary(runtime_, context, methods::kUpdateCollection, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    CheckId(request->collection().collection_id(), "collection.collection_id", &violations);
    if (request->expected_version() < 0) violations.Add("expected_version", "must be 0 or a version number");
    if (!v1::CollectionKind_IsValid(request->collection().kind())) violations.Add("collection.kind", "unknown kind");
    if (!violations.empty()) return violations.ToStatus();
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      const v1::Collection& in = request->collection();
      auto current = ResolveCollection(tx, region_, in.collection_id());
      if (!current.ok()) return current.status();
      if (in.kind() != v1::COLLECTION_KIND_UNSPECIFIED && in.kind() != current->kind) {
        violations.Add("collection.kind", "is immutable");
      }
      CollectionRecord c = *current;
      if (absl::Status s = ReadCollection(tx, in, &c, &violations); !s.ok()) return s;
      if (!violations.empty()) return violations.ToStatus();
      if (request->expected_version() != 0 && request->expected_version() != current->version) {
        return absl::AbortedError(absl::StrCat("expected version ", request->expected_version(), " but the latest is ",
                                               current->version, "; read again and retry"));
      }
      if (absl::Status s = repository::UpdateCollection(tx, c); !s.ok()) return s;
      c.version = current->version + 1;
      ToProto(c, response->mutable_collection());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::CreateCollectionPeriod(
    grpc::CallbackServerContext* context, const v1::CreateCollectionPeriodRequest* request,
    v1::CreateCollectionPeriodResponse* response) {
  return HandleUnary(runtime_, context, methods::kCreateCollectionPeriod, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    const v1::CollectionPeriod& in = request->period();
    CheckId(in.collection_id(), "period.collection_id", &violations);
    PeriodRecord p;
    p.collection_id = in.collection_id();
    p.period_id = in.period_id();
    p.label = in.label();
    CheckText(p.label, "period.label", kShortText, &violations);
    ReadTimes(in, &p, &violations);
    if (!violations.empty()) return violations.ToStatus();
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, in.collection_id());
      if (!collection.ok()) return collection.status();
      absl::StatusOr<Quarter> quarter = absl::InvalidArgumentError("not quarterly");
      if (IsQuarterly(collection->kind)) {
        quarter = ParseQuarterId(p.period_id);
        if (!quarter.ok()) violations.Add("period.period_id", "a quarterly collection's periods are YYYY-Qn");
      } else if (!IsPlainId(p.period_id, 32)) {
        violations.Add("period.period_id", "1-32 characters of [A-Za-z0-9_-]");
      }
      auto date = [&](bool has, const slihub::common::v1::CivilDate& d, const char* field,
                      std::optional<absl::CivilDay> fallback) -> std::optional<absl::CivilDay> {
        if (!has) {
          if (!fallback) violations.Add(absl::StrCat("period.", field), "required");
          return fallback;
        }
        auto day = MakeCivilDate(d.year(), d.month(), d.day());
        if (!day.ok()) {
          violations.Add(absl::StrCat("period.", field), std::string(day.status().message()));
          return std::nullopt;
        }
        return *day;
      };
      const auto start = date(in.has_start_date(), in.start_date(), "start_date",
                              quarter.ok() ? std::optional<absl::CivilDay>(quarter->start_date) : std::nullopt);
      const auto end = date(in.has_end_date(), in.end_date(), "end_date",
                            quarter.ok() ? std::optional<absl::CivilDay>(quarter->end_date) : std::nullopt);
      if (start && end && *end < *start) violations.Add("period.end_date", "must not be before start_date");
      if (in.indicator_ids_size() > 0) {
        if (absl::Status s = CheckIndicatorList(tx, in.indicator_ids(), "period.indicator_ids", &violations);
            !s.ok()) {
          return s;
        }
        p.indicator_ids.assign(in.indicator_ids().begin(), in.indicator_ids().end());
      } else {
        p.indicator_ids = collection->indicator_ids;
      }
      if (!violations.empty()) return violations.ToStatus();
      p.start_date = FormatCivilDate(*start);
      p.end_date = FormatCivilDate(*end);
      if (p.label.empty()) p.label = quarter.ok() ? QuarterLabel(*quarter) : p.period_id;
      auto same_id = repository::PeriodsWithId(tx, region_, p.period_id);
      if (!same_id.ok()) return same_id.status();
      for (const PeriodRecord& other : *same_id) {
        if (other.collection_id == collection->collection_id) {
          return absl::AlreadyExistsError(absl::StrCat("period ", p.period_id, " exists in ", other.collection_id));
        }
        for (const std::string& id : p.indicator_ids) {
          if (std::find(other.indicator_ids.begin(), other.indicator_ids.end(), id) == other.indicator_ids.end()) {
            continue;
          }
          return FailedPreconditionError(
              absl::StrCat(id, " is already collected for ", p.period_id, " by ", other.collection_id),
              {{"CONFLICT", absl::StrCat("period/", other.collection_id, "/", p.period_id),
                "an indicator is collected once per period id in a region"}});
        }
      }
      if (absl::Status s = repository::InsertPeriod(tx, p); !s.ok()) return s;
      auto stored = repository::GetPeriod(tx, p.collection_id, p.period_id);
      if (!stored.ok()) return stored.status();
      ToProto(*stored, clock_(), response->mutable_period());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::UpdateCollectionPeriod(
    grpc::CallbackServerContext* context, const v1::UpdateCollectionPeriodRequest* request,
    v1::UpdateCollectionPeriodResponse* response) {
  return HandleUnary(runtime_, context, methods::kUpdateCollectionPeriod, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    const v1::CollectionPeriod& in = request->period();
    CheckId(in.collection_id(), "period.collection_id", &violations);
    CheckId(in.period_id(), "period.period_id", &violations);
    CheckText(in.label(), "period.label", kShortText, &violations);
    if (request->expected_version() < 0) violations.Add("expected_version", "must be 0 or a version number");
    PeriodRecord changed;
    ReadTimes(in, &changed, &violations);
    if (!violations.empty()) return violations.ToStatus();
    const absl::Time now = clock_();
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, in.collection_id());
      if (!collection.ok()) return collection.status();
      auto current = repository::GetPeriod(tx, collection->collection_id, in.period_id());
      if (!current.ok()) return current.status();
      auto same_date = [&](bool has, const slihub::common::v1::CivilDate& d, const std::string& stored,
                           const char* field) {
        auto day = MakeCivilDate(d.year(), d.month(), d.day());
        if (has && (!day.ok() || FormatCivilDate(*day) != stored)) {
          violations.Add(absl::StrCat("period.", field), "is immutable");
        }
      };
      same_date(in.has_start_date(), in.start_date(), current->start_date, "start_date");
      same_date(in.has_end_date(), in.end_date(), current->end_date, "end_date");
      PeriodRecord p = *current;
      if (!in.label().empty()) p.label = in.label();
      p.open_time = changed.open_time;
      p.deadline_time = changed.deadline_time;
      p.close_time = changed.close_time;
      if (in.indicator_ids_size() > 0) {
        if (absl::Status s = CheckIndicatorList(tx, in.indicator_ids(), "period.indicator_ids", &violations);
            !s.ok()) {
          return s;
        }
        p.indicator_ids.assign(in.indicator_ids().begin(), in.indicator_ids().end());
      }
      if (!violations.empty()) return violations.ToStatus();
      if (request->expected_version() != 0 && request->expected_version() != current->version) {
        return absl::AbortedError(absl::StrCat("expected version ", request->expected_version(), " but the latest is ",
                                               current->version, "; read again and retry"));
      }
      if (p.indicator_ids != current->indicator_ids && now >= current->open_time) {
        return FailedPreconditionError(
            absl::StrCat("period ", p.period_id, " has opened; its indicators can no longer change"),
            {{"STATE", absl::StrCat("period/", p.collection_id, "/", p.period_id),
              "indicators are editable only before open_time"}});
      }
      if (absl::Status s = repository::UpdatePeriod(tx, p); !s.ok()) return s;
      auto stored = repository::GetPeriod(tx, p.collection_id, p.period_id);
      if (!stored.ok()) return stored.status();
      ToProto(*stored, now, response->mutable_period());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::PublishPeriod(
    grpc::CallbackServerContext* context, const v1::PublishPeriodRequest* request,
    v1::PublishPeriodResponse* response) {
  return HandleUnary(runtime_, context, methods::kPublishPeriod,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    CheckRequestId(request->request_id(), "request_id", &violations);
    if (!request->collection_id().empty()) CheckId(request->collection_id(), "collection_id", &violations);
    CheckId(request->period_id(), "period_id", &violations);
    if (!violations.empty()) return violations.ToStatus();
    const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(clock_()));
    return RunWrite(call, *request, response, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      auto period = repository::GetPeriod(tx, collection->collection_id, request->period_id());
      if (!period.ok()) return period.status();
      if (now < period->open_time) {
        return FailedPreconditionError(
            absl::StrCat("period ", period->period_id, " has not opened yet"),
            {{"STATE", absl::StrCat("period/", period->collection_id, "/", period->period_id),
              "a period is published once it has opened"}});
      }
      if (absl::Status s = repository::PublishPeriod(tx, period->collection_id, period->period_id, now); !s.ok()) {
        return s;
      }
      auto stored = repository::GetPeriod(tx, period->collection_id, period->period_id);
      if (!stored.ok()) return stored.status();
      ToProto(*stored, now, response->mutable_period());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ListReturns(grpc::CallbackServerContext* context,
                                                                 const v1::ListReturnsRequest* request,
                                                                 v1::ListReturnsResponse* response) {
  return HandleUnary(runtime_, context, methods::kListReturns,
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    CheckId(request->period_id(), "period_id", &violations);
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
    const std::string after = DecodePageToken("returns", request->page().page_token(), "page.page_token", &violations);
    if (!v1::ReturnView_IsValid(request->view())) violations.Add("view", "unknown view");
    if (!violations.empty()) return violations.ToStatus();
    const bool region_wide = IsRegionWide(call.principal());
    const std::string only_la = region_wide ? "" : call.principal().la_code;
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto collection = ResolveCollection(tx, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      auto period = repository::GetPeriod(tx, collection->collection_id, request->period_id());
      if (!period.ok()) return period.status();
      auto versions = repository::ListReturnVersions(tx, collection->collection_id, period->period_id, false);
      if (!versions.ok()) return versions.status();
      const bool full = request->view() == v1::RETURN_VIEW_FULL;
      int64_t total = 0;
      for (ReturnRecord& r : *versions) {
        if (!r.latest || (!only_la.empty() && r.la_code != only_la)) continue;
        ++total;
        if (r.la_code <= after) continue;
        if (response->returns_size() == page_size) {
          if (response->page().next_page_token().empty()) {
            response->mutable_page()->set_next_page_token(
                EncodePageToken("returns", response->returns(page_size - 1).la_code().value()));
          }
          continue;
        }
        if (!full) {
          ToProto(r, false, response->add_returns());
        } else if (absl::Status s = ReadReturnInto(tx, r.la_code, r.collection_id, r.period_id, r.version, true,
                                                   response->add_returns());
                   !s.ok()) {
          return s;
        }
      }
      response->mutable_page()->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

}  // namespace slihub::datacollection
