// The regional admin's RPCs: indicators (versioned), collections and periods, each validated field by
// field and idempotent by request_id (the first answer is stored and replayed).
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "services/datacollection/adapter/convert.h"
#include "services/datacollection/adapter/datacollection_service.h"
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
absl::Status CheckIndicatorList(Repository& repo, const google::protobuf::RepeatedPtrField<std::string>& ids,
                                const std::string& prefix, FieldViolations* violations) {
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string field = absl::StrCat(prefix, "[", i, "]");
    if (!seen.insert(ids[i]).second) {
      violations->Add(field, absl::StrCat(ids[i], " is listed twice"));
      continue;
    }
    auto def = repo.GetIndicator(ids[i], 0);
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
void ReadTimes(const v1::CollectionPeriod& p, PeriodRecord* out, FieldViolations* violations) {
  auto read = [&](bool has, const google::protobuf::Timestamp& t, const char* field, absl::Time* into) {
    if (!has) {
      violations->Add(absl::StrCat("period.", field), "required");
      return false;
    }
    auto time = FromProtoTimestamp(t);
    if (!time.ok()) {
      violations->Add(absl::StrCat("period.", field), std::string(time.status().message()));
      return false;
    }
    *into = *time;
    return true;
  };
  const bool open = read(p.has_open_time(), p.open_time(), "open_time", &out->open_time);
  const bool deadline = read(p.has_deadline_time(), p.deadline_time(), "deadline_time", &out->deadline_time);
  const bool close = read(p.has_close_time(), p.close_time(), "close_time", &out->close_time);
  if (open && deadline && out->deadline_time <= out->open_time) {
    violations->Add("period.deadline_time", "must be after open_time");
  }
  if (deadline && close && out->close_time < out->deadline_time) {
    violations->Add("period.close_time", "must not be before deadline_time");
  }
}

}  // namespace

template <typename Request, typename Response>
absl::Status DataCollectionServiceImpl::RunIdempotent(const CallInfo& call, const char* method,
                                                      const Request& request, Response* response,
                                                      absl::FunctionRef<absl::Status(Repository&)> body) {
  if (absl::Status s = CheckActsForRegion(call.principal()); !s.ok()) return s;
  const std::string fingerprint = absl::StrCat(method, ":", Fingerprint(request));
  return db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    Repository repo(tx);
    auto seen = repo.FindImport(call.principal().subject, request.request_id());
    if (!seen.ok()) return seen.status();
    if (seen->has_value()) {
      if ((*seen)->first != fingerprint) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id ", request.request_id(), " was used for a different request"));
      }
      if (!response->ParseFromString((*seen)->second)) return absl::DataLossError("stored answer unreadable");
      return absl::OkStatus();
    }
    if (absl::Status s = body(repo); !s.ok()) return s;
    return repo.InsertImport(call.principal().subject, request.request_id(), fingerprint,
                             response->SerializeAsString());
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::CreateIndicator(grpc::CallbackServerContext* context,
                                                                     const v1::CreateIndicatorRequest* request,
                                                                     v1::CreateIndicatorResponse* response) {
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/CreateIndicator",
                     MethodPolicy{{Role::kRegionalAdmin}}, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    RequireId(request->request_id(), "request_id", &violations);
    IndicatorDef def = IndicatorFromProto(request->indicator(), "indicator", &violations);
    def.version = 1;
    AddAll(ValidateIndicatorDef(def), "indicator", &violations);
    if (!violations.empty()) return violations.ToStatus();
    return RunIdempotent(call, "CreateIndicator", *request, response, [&](Repository& repo) -> absl::Status {
      if (repo.GetIndicator(def.indicator_id, 0).ok()) {
        return absl::AlreadyExistsError(absl::StrCat("indicator ", def.indicator_id, " exists"));
      }
      if (absl::Status s = repo.InsertIndicator(def); !s.ok()) return s;
      ToProto(def, response->mutable_indicator());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::UpdateIndicator(grpc::CallbackServerContext* context,
                                                                     const v1::UpdateIndicatorRequest* request,
                                                                     v1::UpdateIndicatorResponse* response) {
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/UpdateIndicator",
                     MethodPolicy{{Role::kRegionalAdmin}}, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    RequireId(request->request_id(), "request_id", &violations);
    IndicatorDef def = IndicatorFromProto(request->indicator(), "indicator", &violations);
    AddAll(ValidateIndicatorDef(def), "indicator", &violations);
    if (request->expected_version() < 0) violations.Add("expected_version", "must be 0 or a version number");
    if (!violations.empty()) return violations.ToStatus();
    return RunIdempotent(call, "UpdateIndicator", *request, response, [&](Repository& repo) -> absl::Status {
      auto current = repo.GetIndicator(def.indicator_id, 0);
      if (!current.ok()) return current.status();
      if (request->expected_version() != 0 && request->expected_version() != current->version) {
        return absl::AbortedError(absl::StrCat("expected version ", request->expected_version(), " but the latest is ",
                                               current->version, "; read again and retry"));
      }
      def.version = current->version + 1;
      if (absl::Status s = repo.InsertIndicator(def); !s.ok()) return s;
      ToProto(def, response->mutable_indicator());
      return absl::OkStatus();
    });
  });
}

absl::Status DataCollectionServiceImpl::ReadCollection(Repository& repo, const v1::Collection& in,
                                                       CollectionRecord* out, FieldViolations* violations) {
  if (in.has_region() && in.region().value() != region_) {
    violations->Add("collection.region.value", absl::StrCat("this hub holds region ", region_));
  }
  out->region = region_;
  if (in.name().empty() || in.name().size() > 200) violations->Add("collection.name", "1-200 characters");
  out->name = in.name();
  out->description = in.description();
  if (in.indicator_ids_size() == 0) violations->Add("collection.indicator_ids", "at least one indicator");
  if (absl::Status s = CheckIndicatorList(repo, in.indicator_ids(), "collection.indicator_ids", violations);
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
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/CreateCollection",
                     MethodPolicy{{Role::kRegionalAdmin}}, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    RequireId(request->request_id(), "request_id", &violations);
    const v1::Collection& in = request->collection();
    if (!in.collection_id().empty() && !IsPlainId(in.collection_id(), 64)) {
      violations.Add("collection.collection_id", "1-64 characters of [A-Za-z0-9_-]");
    }
    if (!v1::CollectionKind_IsValid(in.kind()) || in.kind() == v1::COLLECTION_KIND_UNSPECIFIED) {
      violations.Add("collection.kind", "required");
    }
    if (!violations.empty()) return violations.ToStatus();
    return RunIdempotent(call, "CreateCollection", *request, response, [&](Repository& repo) -> absl::Status {
      CollectionRecord c;
      if (absl::Status s = ReadCollection(repo, in, &c, &violations); !s.ok()) return s;
      if (!violations.empty()) return violations.ToStatus();
      c.kind = in.kind();
      c.version = 1;
      auto existing = repo.ListCollections(region_);
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
      absl::Status inserted = repo.InsertCollection(c);
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
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/UpdateCollection",
                     MethodPolicy{{Role::kRegionalAdmin}}, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    RequireId(request->request_id(), "request_id", &violations);
    RequireId(request->collection().collection_id(), "collection.collection_id", &violations);
    if (request->expected_version() < 0) violations.Add("expected_version", "must be 0 or a version number");
    if (!v1::CollectionKind_IsValid(request->collection().kind())) violations.Add("collection.kind", "unknown kind");
    if (!violations.empty()) return violations.ToStatus();
    return RunIdempotent(call, "UpdateCollection", *request, response, [&](Repository& repo) -> absl::Status {
      const v1::Collection& in = request->collection();
      auto current = ResolveCollection(repo, region_, in.collection_id());
      if (!current.ok()) return current.status();
      if (in.kind() != v1::COLLECTION_KIND_UNSPECIFIED && in.kind() != current->kind) {
        violations.Add("collection.kind", "is immutable");
      }
      CollectionRecord c = *current;
      if (absl::Status s = ReadCollection(repo, in, &c, &violations); !s.ok()) return s;
      if (!violations.empty()) return violations.ToStatus();
      if (request->expected_version() != 0 && request->expected_version() != current->version) {
        return absl::AbortedError(absl::StrCat("expected version ", request->expected_version(), " but the latest is ",
                                               current->version, "; read again and retry"));
      }
      if (absl::Status s = repo.UpdateCollection(c); !s.ok()) return s;
      c.version = current->version + 1;
      ToProto(c, response->mutable_collection());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::CreateCollectionPeriod(
    grpc::CallbackServerContext* context, const v1::CreateCollectionPeriodRequest* request,
    v1::CreateCollectionPeriodResponse* response) {
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/CreateCollectionPeriod",
                     MethodPolicy{{Role::kRegionalAdmin}}, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    RequireId(request->request_id(), "request_id", &violations);
    const v1::CollectionPeriod& in = request->period();
    RequireId(in.collection_id(), "period.collection_id", &violations);
    PeriodRecord p;
    p.collection_id = in.collection_id();
    p.period_id = in.period_id();
    p.label = in.label();
    if (p.label.size() > 200) violations.Add("period.label", "at most 200 characters");
    ReadTimes(in, &p, &violations);
    if (!violations.empty()) return violations.ToStatus();
    return RunIdempotent(call, "CreateCollectionPeriod", *request, response, [&](Repository& repo) -> absl::Status {
      auto collection = ResolveCollection(repo, region_, in.collection_id());
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
        if (absl::Status s = CheckIndicatorList(repo, in.indicator_ids(), "period.indicator_ids", &violations);
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
      auto same_id = repo.PeriodsWithId(region_, p.period_id);
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
      if (absl::Status s = repo.InsertPeriod(p); !s.ok()) return s;
      auto stored = repo.GetPeriod(p.collection_id, p.period_id);
      if (!stored.ok()) return stored.status();
      ToProto(*stored, clock_(), response->mutable_period());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::UpdateCollectionPeriod(
    grpc::CallbackServerContext* context, const v1::UpdateCollectionPeriodRequest* request,
    v1::UpdateCollectionPeriodResponse* response) {
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/UpdateCollectionPeriod",
                     MethodPolicy{{Role::kRegionalAdmin}}, [this, request, response](const CallInfo& call) {
    FieldViolations violations;
    RequireId(request->request_id(), "request_id", &violations);
    const v1::CollectionPeriod& in = request->period();
    RequireId(in.collection_id(), "period.collection_id", &violations);
    RequireId(in.period_id(), "period.period_id", &violations);
    if (in.label().size() > 200) violations.Add("period.label", "at most 200 characters");
    if (request->expected_version() < 0) violations.Add("expected_version", "must be 0 or a version number");
    PeriodRecord changed;
    ReadTimes(in, &changed, &violations);
    if (!violations.empty()) return violations.ToStatus();
    const absl::Time now = clock_();
    return RunIdempotent(call, "UpdateCollectionPeriod", *request, response, [&](Repository& repo) -> absl::Status {
      auto collection = ResolveCollection(repo, region_, in.collection_id());
      if (!collection.ok()) return collection.status();
      auto current = repo.GetPeriod(collection->collection_id, in.period_id());
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
        if (absl::Status s = CheckIndicatorList(repo, in.indicator_ids(), "period.indicator_ids", &violations);
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
      if (absl::Status s = repo.UpdatePeriod(p); !s.ok()) return s;
      auto stored = repo.GetPeriod(p.collection_id, p.period_id);
      if (!stored.ok()) return stored.status();
      ToProto(*stored, now, response->mutable_period());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* DataCollectionServiceImpl::ListReturns(grpc::CallbackServerContext* context,
                                                                 const v1::ListReturnsRequest* request,
                                                                 v1::ListReturnsResponse* response) {
  return HandleUnary(runtime_, context, "/slihub.datacollection.v1.DataCollectionService/ListReturns",
                     MethodPolicy{{Role::kDataOfficer, Role::kService, Role::kRegionalAdmin}},
                     [this, request, response](const CallInfo& call) -> absl::Status {
    FieldViolations violations;
    RequireId(request->period_id(), "period_id", &violations);
    const int page_size = ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
    const std::string after = DecodePageToken("returns", request->page().page_token(), "page.page_token", &violations);
    if (!v1::ReturnView_IsValid(request->view())) violations.Add("view", "unknown view");
    if (!violations.empty()) return violations.ToStatus();
    const bool region_wide = IsRegionWide(call.principal());
    if (region_wide) {
      if (absl::Status s = CheckActsForRegion(call.principal()); !s.ok()) return s;
    }
    const std::string only_la = region_wide ? "" : call.principal().la_code;
    return db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      Repository repo(tx);
      auto collection = ResolveCollection(repo, region_, request->collection_id());
      if (!collection.ok()) return collection.status();
      auto period = repo.GetPeriod(collection->collection_id, request->period_id());
      if (!period.ok()) return period.status();
      auto versions = repo.ListReturnVersions(collection->collection_id, period->period_id, false);
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
        } else if (absl::Status s = ReadReturnInto(repo, r.la_code, r.collection_id, r.period_id, r.version, true,
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
