// Reporting from the engagement register: ListCapBreaches, GenerateQuarterlyReturn,
// GetComplianceSummary (NATIONAL: other regions' aggregates through the hub connection) and
// LookupComplianceSummary (this region's aggregates for other regions' hubs). The figures are computed by the domain (quarterly_return.h).
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/england_time.h"
#include "common/federation/federation_info.h"
#include "common/federation/region_outcome.h"
#include "common/identity/tenancy.h"
#include "common/server/idempotency.h"
#include "common/server/request_fields.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/workforce_methods.h"
#include "services/workforce/adapter/convert.h"
#include "services/workforce/adapter/return_csv.h"
#include "services/workforce/adapter/workforce_service.h"
#include "services/workforce/domain/quarterly_return.h"
#include "services/workforce/domain/rule_exception.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

constexpr char kCapBreachList[] = "cap_breaches";
constexpr int kNoLimit = std::numeric_limits<int>::max();

// One stored engagement decoded for reporting.
struct Decoded {
  EngagementRow row;
  pb::EngagementTerms terms;
  pb::EngagementCheck check;
  Assignment assignment;
};

const pb::RuleResult* FindRule(const pb::EngagementCheck& check, pb::Rule rule) {
  for (const pb::RuleResult& r : check.results()) {
    if (r.rule() == rule) return &r;
  }
  return nullptr;
}

absl::StatusOr<Decoded> Decode(EngagementRow row) {
  Decoded d;
  if (!d.terms.ParseFromString(row.terms) || !d.check.ParseFromString(row.check)) {
    return absl::DataLossError(absl::StrCat("engagement ", row.engagement_id,
                                            " could not be read"));
  }
  Assignment& a = d.assignment;
  a.engagement_id = row.engagement_id;
  a.la_code = row.la_code;
  a.swe_number = row.swe_number;
  a.job_type = static_cast<JobType>(d.check.job_type());
  a.engagement_model = static_cast<EngagementModel>(d.terms.engagement_model());
  a.hourly_pay_rate_pence = d.terms.hourly_pay_rate().pence();
  a.hourly_charge_rate_pence = d.terms.hourly_charge_rate().pence();
  a.contracted_minutes_per_week = d.terms.contracted_minutes_per_week();
  a.start_date = row.start_date;
  a.end_date = row.end_date;
  a.project_team = d.terms.project_team().is_project_team();
  a.agency_name = d.terms.agency_name();
  a.verdict = static_cast<Verdict>(row.verdict);
  for (const pb::RuleResult& r : d.check.results()) {
    a.rules.push_back({static_cast<Rule>(r.rule()), static_cast<RuleOutcome>(r.outcome()),
                       !r.exception_id().empty()});
  }
  a.approved_cap_breach = !row.cap_exception_id.empty();
  d.row = std::move(row);
  return d;
}

// Every engagement matching `filter`, decoded, in start date then id order.
absl::StatusOr<std::vector<Decoded>> ReadRegister(store::Transaction& tx,
                                                  const EngagementFilter& filter) {
  int64_t total = 0;
  absl::StatusOr<std::vector<EngagementRow>> rows =
      WorkforceStore::ListEngagements(tx, filter, "", kNoLimit, &total);
  if (!rows.ok()) return rows.status();
  std::vector<Decoded> out;
  out.reserve(rows->size());
  for (EngagementRow& row : *rows) {
    absl::StatusOr<Decoded> d = Decode(std::move(row));
    if (!d.ok()) return d.status();
    out.push_back(std::move(*d));
  }
  return out;
}

// The approved pay cap breach of `d` with the sign-offs of the exception that covered it.
absl::Status ToCapBreach(store::Transaction& tx, const Decoded& d, pb::CapBreach* out) {
  out->set_engagement_id(d.row.engagement_id);
  out->set_exception_id(d.row.cap_exception_id);
  out->mutable_la_code()->set_value(d.row.la_code);
  out->set_swe_number(d.row.swe_number);
  out->set_job_type(d.check.job_type());
  out->set_engagement_model(d.terms.engagement_model());
  *out->mutable_start_date() = ToProtoDate(d.row.start_date);
  *out->mutable_hourly_pay_rate() = d.terms.hourly_pay_rate();
  if (const pb::RuleResult* cap = FindRule(d.check, pb::RULE_PAY_CAP)) {
    *out->mutable_cap() = cap->pay_cap().cap();
    *out->mutable_excess() = cap->pay_cap().excess();
  }
  absl::StatusOr<std::optional<ExceptionRow>> exception =
      WorkforceStore::FindException(tx, d.row.cap_exception_id);
  if (!exception.ok()) return exception.status();
  pb::RuleException body;
  if (!exception->has_value() || !body.ParseFromString((*exception)->body)) {
    return absl::DataLossError(absl::StrCat("the exception of engagement ", d.row.engagement_id,
                                            " could not be read"));
  }
  *out->mutable_approvals() = body.approvals();
  std::vector<ExceptionApproval> approvals;
  for (const pb::ExceptionApproval& a : body.approvals()) {
    absl::StatusOr<absl::Time> at = FromProtoTimestamp(a.approve_time());
    approvals.push_back({a.approver(), static_cast<ApproverCapacity>(a.capacity()),
                         at.ok() ? *at : absl::InfiniteFuture(), a.comment()});
  }
  out->set_signed_off_before_start(SignedOffBefore(approvals, d.row.start_date));
  return absl::OkStatus();
}

// An LA a report may cover: a known LA of the hub's region (violation on `field` otherwise).
const LocalAuthorityRecord* ReadHubLa(const ReferenceData& refdata, const std::string& hub,
                                      const cpb::LaCode& code, const std::string& field,
                                      FieldViolations* violations) {
  const LocalAuthorityRecord* la = ReadLa(refdata, code.value(), field, violations);
  if (la != nullptr && la->region_code != hub) {
    violations->Add(field, absl::StrCat("is an LA of the ", la->region_code,
                                        " region; this hub holds the ", hub, " register"));
    return nullptr;
  }
  return la;
}

void ReadNarrative(const pb::ReturnNarrative& in, FieldViolations* violations) {
  for (int i = 0; i < in.explanations_size(); ++i) {
    const pb::RuleExplanation& e = in.explanations(i);
    const std::string path = absl::StrCat("narrative.explanations[", i, "]");
    if (e.rule() <= 0 || e.rule() > kMaxRule) violations->Add(Path(path, "rule"), "must be set");
    if (e.explanation().empty() || e.explanation().size() > 4000) {
      violations->Add(Path(path, "explanation"), "must be 1 to 4000 characters");
    }
  }
  for (int i = 0; i < in.agency_concerns_size(); ++i) {
    const pb::AgencyConcern& c = in.agency_concerns(i);
    const std::string path = absl::StrCat("narrative.agency_concerns[", i, "]");
    if (c.agency_name().empty() || c.agency_name().size() > 200) {
      violations->Add(Path(path, "agency_name"), "must be 1 to 200 characters");
    }
    if (c.concern().empty() || c.concern().size() > 4000) {
      violations->Add(Path(path, "concern"), "must be 1 to 4000 characters");
    }
  }
}

void ToProto(const LaCompliance& in, pb::LaComplianceSummary* out) {
  out->set_active_agency_workers(in.active_agency_workers);
  out->set_compliant_workers(in.compliant_workers);
  out->set_share_compliant_bp(in.share_compliant_bp);
  out->set_rule_breaches(in.rule_breaches);
  out->set_cap_breaches(in.cap_breaches);
  out->mutable_agency_spend()->set_pence(in.agency_spend_pence);
}

// The day the second of the DCS and Chief Executive signatures made `body` approved, if it was.
std::optional<absl::CivilDay> ApprovedOn(const pb::RuleException& body) {
  bool dcs = false;
  bool chief = false;
  absl::Time last = absl::InfinitePast();
  for (const pb::ExceptionApproval& a : body.approvals()) {
    dcs |= a.capacity() == pb::APPROVER_CAPACITY_DCS;
    chief |= a.capacity() == pb::APPROVER_CAPACITY_CHIEF_EXECUTIVE;
    absl::StatusOr<absl::Time> at = FromProtoTimestamp(a.approve_time());
    if (at.ok()) last = std::max(last, *at);
  }
  if (!dcs || !chief || last == absl::InfinitePast()) return std::nullopt;
  return EnglandDay(last);
}

}  // namespace

grpc::ServerUnaryReactor* WorkforceServiceImpl::ListCapBreaches(
    grpc::CallbackServerContext* context, const v1::ListCapBreachesRequest* request,
    v1::ListCapBreachesResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kListCapBreaches,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const Principal& who = call.principal();
        const std::string& hub = context_.config->hub_region;
        const std::string region =
            request->has_region() ? request->region().value() : who.region_code;
        const RegionRecord* region_record = context_.reference_data->FindRegion(region);
        if (region_record == nullptr) {
          violations.Add("region.value", absl::StrCat("'", region, "' is not a region key"));
        } else if (region != hub) {
          violations.Add("region.value", absl::StrCat("this hub holds the ", hub, " register"));
        }
        const LocalAuthorityRecord* la = nullptr;
        if (request->has_la_code()) {
          la = ReadHubLa(*context_.reference_data, hub, request->la_code(), "la_code.value",
                         &violations);
        }
        EngagementFilter filter;
        filter.today = TodayInEngland();
        filter.cap_breaches_only = true;
        filter.start_from = ReadOptionalDate(request->period_start(), request->has_period_start(),
                                             "period_start", &violations);
        filter.start_to = ReadOptionalDate(request->period_end(), request->has_period_end(),
                                           "period_end", &violations);
        if (filter.start_from && filter.start_to && *filter.start_from > *filter.start_to) {
          violations.Add("period_start", "must not be after period_end");
        }
        const int page_size =
            ResolvePageSize(request->page().page_size(), "page.page_size", &violations);
        const std::string after = DecodePageToken(kCapBreachList, request->page().page_token(),
                                                  "page.page_token", &violations);
        if (!violations.empty()) return violations.ToStatus();
        if (la != nullptr) {
          absl::Status scope = CheckActsForLa(who, la->la_code, la->region_code);
          if (!scope.ok()) return scope;
          filter.la_codes = {la->la_code};
        } else if (who.HasRole(Role::kService) ||
                   (who.HasRole(Role::kRegionalAdmin) && who.region_code == region)) {
          filter.la_codes = region_record->la_codes;
        } else if (!who.la_code.empty() && who.HasRole(Role::kHrOfficer)) {
          filter.la_codes = {who.la_code};
        } else {
          absl::Status refused =
              absl::PermissionDeniedError("the caller may not see this region's breaches");
          SetErrorInfo(refused, "LA_OUT_OF_SCOPE");
          return refused;
        }
        int64_t total = 0;
        return ReadPage(*context_.database, [&](store::Transaction& tx) {
          absl::StatusOr<std::vector<EngagementRow>> rows =
              WorkforceStore::ListEngagements(tx, filter, after, page_size + 1, &total);
          if (!rows.ok()) return rows.status();
          const bool more = static_cast<int>(rows->size()) > page_size;
          if (more) rows->resize(page_size);
          for (EngagementRow& row : *rows) {
            absl::StatusOr<Decoded> d = Decode(std::move(row));
            if (!d.ok()) return d.status();
            absl::Status added = ToCapBreach(tx, *d, response->add_cap_breaches());
            if (!added.ok()) return added;
            if (more && response->cap_breaches_size() == page_size) {
              response->mutable_page()->set_next_page_token(
                  EncodePageToken(kCapBreachList, WorkforceStore::EngagementKey(d->row)));
            }
          }
          response->mutable_page()->set_total_size(total);
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GenerateQuarterlyReturn(
    grpc::CallbackServerContext* context, const v1::GenerateQuarterlyReturnRequest* request,
    v1::GenerateQuarterlyReturnResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGenerateQuarterlyReturn,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const std::string& hub = context_.config->hub_region;
        const LocalAuthorityRecord* la = ReadHubLa(*context_.reference_data, hub,
                                                   request->la_code(), "la_code.value",
                                                   &violations);
        absl::StatusOr<DayRange> range =
            QuarterRange(request->quarter().year(), request->quarter().quarter());
        if (!range.ok()) {
          const bool bad_quarter =
              request->quarter().quarter() < 1 || request->quarter().quarter() > 4;
          violations.Add(bad_quarter ? "quarter.quarter" : "quarter.year",
                         std::string(range.status().message()));
        }
        ReadNarrative(request->narrative(), &violations);
        if (!violations.empty()) return violations.ToStatus();
        const Principal& who = call.principal();
        if (!(who.HasRole(Role::kDataOfficer) && who.la_code == la->la_code)) {
          absl::Status scope = CheckActsForLa(who, la->la_code, la->region_code);
          if (!scope.ok()) return scope;
        }
        const absl::CivilDay today = TodayInEngland();
        if (range->first > today) {
          return FailedPreconditionError(
              "the quarter has not started",
              {{"QUARTER", absl::StrCat(request->quarter().year(), "-Q",
                                        request->quarter().quarter()),
                absl::StrCat("starts on ", FormatCivilDate(range->first))}});
        }
        EngagementFilter filter;
        filter.today = today;
        filter.la_codes = {la->la_code};
        filter.active_from = range->first;
        filter.active_to = range->last;
        pb::QuarterlyReturn* out = response->mutable_quarterly_return();
        std::vector<Assignment> assignments;
        absl::Status read =
            context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
              absl::StatusOr<std::vector<Decoded>> decoded = ReadRegister(tx, filter);
              if (!decoded.ok()) return decoded.status();
              for (const Decoded& d : *decoded) {
                pb::AssignmentRow* row = out->add_assignments();
                row->set_engagement_id(d.row.engagement_id);
                row->set_swe_number(d.row.swe_number);
                row->set_job_type(d.check.job_type());
                row->set_engagement_model(d.terms.engagement_model());
                *row->mutable_hourly_pay_rate() = d.terms.hourly_pay_rate();
                *row->mutable_start_date() = ToProtoDate(d.row.start_date);
                if (d.row.end_date.has_value() && *d.row.end_date <= range->last) {
                  *row->mutable_end_date() = ToProtoDate(*d.row.end_date);
                }
                row->set_project_team(d.terms.project_team().is_project_team());
                row->set_agency_name(d.terms.agency_name());
                row->set_verdict(d.check.verdict());
                if (d.assignment.approved_cap_breach) {
                  absl::Status added =
                      ToCapBreach(tx, d, out->mutable_summary()->add_cap_breaches());
                  if (!added.ok()) return added;
                }
                assignments.push_back(d.assignment);
              }
              return absl::OkStatus();
            });
        if (!read.ok()) return read;
        out->mutable_la_code()->set_value(la->la_code);
        out->mutable_region()->set_value(la->region_code);
        *out->mutable_quarter() = request->quarter();
        *out->mutable_period_start() = ToProtoDate(range->first);
        *out->mutable_period_end() = ToProtoDate(range->last);
        *out->mutable_generate_time() = ToProtoTimestamp(absl::Now());
        out->set_provisional(today <= range->last);
        pb::ReturnSummary* summary = out->mutable_summary();
        for (const RuleTally& t : TallyRules(assignments)) {
          pb::RuleCompliance* c = summary->add_rule_compliance();
          c->set_rule(static_cast<pb::Rule>(t.rule));
          c->set_passed(t.passed);
          c->set_failed(t.failed);
          c->set_not_applicable(t.not_applicable);
          c->set_exempt(t.exempt);
          c->set_covered_by_exception(t.covered_by_exception);
          c->add_explanations(t.explanation);
          for (const pb::RuleExplanation& e : request->narrative().explanations()) {
            if (e.rule() == c->rule()) c->add_explanations(e.explanation());
          }
        }
        for (const AgencyCount& a : CountAgencies(assignments)) {
          pb::AgencyInvolvement* agency = summary->add_agencies();
          agency->set_agency_name(a.agency_name);
          agency->set_assignments(a.assignments);
        }
        *summary->mutable_agency_concerns() = request->narrative().agency_concerns();
        for (const MonthCost& m : MonthlyCosts(assignments, *range)) {
          pb::MonthlyAgencyCost* cost = summary->add_monthly_costs();
          cost->set_year(m.year);
          cost->set_month(m.month);
          cost->mutable_cost()->set_pence(m.cost_pence);
          cost->set_assignments_without_hours(m.assignments_without_hours);
        }
        if (request->include_csv()) {
          response->set_assignments_csv(AssignmentsCsv(*out));
          response->set_summary_csv(SummaryCsv(*out));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::GetComplianceSummary(
    grpc::CallbackServerContext* context, const v1::GetComplianceSummaryRequest* request,
    v1::GetComplianceSummaryResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kGetComplianceSummary,
      [this, request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        const Principal& who = call.principal();
        const std::string& hub = context_.config->hub_region;
        const cpb::RegionScope scope = request->scope() == cpb::REGION_SCOPE_UNSPECIFIED
                                           ? cpb::REGION_SCOPE_OWN_REGION
                                           : request->scope();
        if (scope < cpb::REGION_SCOPE_OWN_LA || scope > cpb::REGION_SCOPE_NATIONAL) {
          violations.Add("scope", "is not a region scope");
        }
        const std::string region =
            request->has_region() && scope != cpb::REGION_SCOPE_NATIONAL
                ? request->region().value()
                : who.region_code;
        if (context_.reference_data->FindRegion(region) == nullptr) {
          violations.Add("region.value", absl::StrCat("'", region, "' is not a region key"));
        } else if (region != hub && scope != cpb::REGION_SCOPE_NATIONAL) {
          violations.Add("region.value", absl::StrCat("this hub holds the ", hub, " register"));
        }
        std::optional<absl::CivilDay> first;
        std::optional<absl::CivilDay> last;
        first = ReadDate(request->period_start(), request->has_period_start(), "period_start",
                         &violations);
        last = ReadDate(request->period_end(), request->has_period_end(), "period_end",
                        &violations);
        if (first && last && *first > *last) {
          violations.Add("period_start", "must not be after period_end");
        }
        if (!federation::IsKnownMode(request->federation_mode())) {
          violations.Add("federation_mode", "is not a federation mode");
        }
        if (!violations.empty()) return violations.ToStatus();
        // Who sees which rows: LA-bound officers their own LA (with region totals); the
        // region's admins and readers, and services, every LA of the hub.
        const bool whole_region =
            who.HasRole(Role::kService) ||
            (who.HasAnyRole({Role::kRegionalAdmin, Role::kReader}) && who.region_code == hub);
        const LocalAuthorityRecord* own =
            who.la_code.empty() ? nullptr
                                : context_.reference_data->FindLocalAuthority(who.la_code);
        const bool la_officer =
            who.HasRole(Role::kHrOfficer) && own != nullptr && own->region_code == hub;
        std::string only_la;
        if (scope == cpb::REGION_SCOPE_OWN_LA || !whole_region) {
          if (!la_officer) {
            absl::Status refused = absl::PermissionDeniedError(absl::StrCat(
                "the caller may not see ", scope == cpb::REGION_SCOPE_OWN_LA ? "an LA's" : "the",
                " ", hub, " compliance summary"));
            SetErrorInfo(refused, "LA_OUT_OF_SCOPE");
            return refused;
          }
          only_la = who.la_code;
        }
        const bool national = scope == cpb::REGION_SCOPE_NATIONAL;
        absl::StatusOr<RegionCompliance> local = SummariseRegion(*first, *last);
        if (!local.ok()) return local.status();
        const absl::Time now = absl::Now();
        NationalSummaries others;
        if (national) {
          // Other regions' aggregates (never a worker's identity), each region's state beside.
          others = GatherComplianceSummaries(hub_.get(), hub, OtherRegions(), *first, *last,
                                             *context_.reference_data, now);
          if (federation::IsStrict(request->federation_mode())) {
            absl::Status every = federation::RequireEveryRegion(others.outcomes);
            if (!every.ok()) return every;
          }
        } else {
          others.outcomes = OwnRegionOnly(hub, {}, scope, "", now);
        }
        for (const pb::LaComplianceSummary& row : local->las) {
          if (!only_la.empty() && row.la_code().value() != only_la) continue;
          *response->add_la_summaries() = row;
        }
        *response->add_region_totals() = local->total;
        for (const pb::LookupComplianceSummaryResponse& region : others.answered) {
          AddRegionSummary(region, response);
        }
        if (!only_la.empty()) {
          // An LA's officer sees its own LA's row beside every region's total.
          auto* rows = response->mutable_la_summaries();
          rows->erase(std::remove_if(rows->begin(), rows->end(),
                                     [&](const pb::LaComplianceSummary& row) {
                                       return row.la_code().value() != only_la;
                                     }),
                      rows->end());
        }
        // Region then LA code order (the own region's rows are among them, not first).
        auto by_region_and_la = [](const pb::LaComplianceSummary& a,
                                   const pb::LaComplianceSummary& b) {
          return std::tie(a.region().value(), a.la_code().value()) <
                 std::tie(b.region().value(), b.la_code().value());
        };
        std::stable_sort(response->mutable_la_summaries()->begin(),
                         response->mutable_la_summaries()->end(), by_region_and_la);
        std::stable_sort(response->mutable_region_totals()->begin(),
                         response->mutable_region_totals()->end(), by_region_and_la);
        FillFederation(scope, others.outcomes, now, response->mutable_federation());
        return absl::OkStatus();
      });
}

absl::StatusOr<WorkforceServiceImpl::RegionCompliance> WorkforceServiceImpl::SummariseRegion(
    absl::CivilDay first, absl::CivilDay last) const {
  const std::string& hub = context_.config->hub_region;
  const RegionRecord* region_record = context_.reference_data->FindRegion(hub);
  if (region_record == nullptr) {
    return absl::InternalError(absl::StrCat("the hub's region ", hub, " is not a region key"));
  }
  const DayRange range{first, last};
  EngagementFilter filter;
  filter.today = TodayInEngland();
  filter.la_codes = region_record->la_codes;
  filter.active_from = range.first;
  filter.active_to = range.last;
  ExceptionFilter exception_filter;
  exception_filter.la_codes = region_record->la_codes;
  exception_filter.today = filter.today;
  std::map<std::string, std::vector<Assignment>> per_la;
  std::map<std::string, int> approved_per_la;
  absl::Status read = context_.database->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
    absl::StatusOr<std::vector<Decoded>> decoded = ReadRegister(tx, filter);
    if (!decoded.ok()) return decoded.status();
    for (Decoded& d : *decoded) per_la[d.row.la_code].push_back(std::move(d.assignment));
    int64_t total = 0;
    absl::StatusOr<std::vector<ExceptionRow>> exceptions =
        WorkforceStore::ListExceptions(tx, exception_filter, "", kNoLimit, &total);
    if (!exceptions.ok()) return exceptions.status();
    for (const ExceptionRow& row : *exceptions) {
      pb::RuleException body;
      if (!body.ParseFromString(row.body)) {
        return absl::DataLossError(absl::StrCat("exception ", row.exception_id, " is unreadable"));
      }
      const std::optional<absl::CivilDay> on = ApprovedOn(body);
      if (on.has_value() && *on >= range.first && *on <= range.last) {
        ++approved_per_la[row.la_code];
      }
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  RegionCompliance out;
  LaCompliance region_total;
  int region_exceptions = 0;
  std::vector<std::string> la_codes = region_record->la_codes;
  std::sort(la_codes.begin(), la_codes.end());
  for (const std::string& la_code : la_codes) {
    const LaCompliance figures = SummariseCompliance(per_la[la_code], range);
    region_total = AddCompliance(region_total, figures);
    region_exceptions += approved_per_la[la_code];
    pb::LaComplianceSummary& row = out.las.emplace_back();
    row.mutable_la_code()->set_value(la_code);
    row.mutable_region()->set_value(hub);
    ToProto(figures, &row);
    row.set_exceptions_approved(approved_per_la[la_code]);
  }
  out.total.mutable_region()->set_value(hub);
  ToProto(region_total, &out.total);
  out.total.set_exceptions_approved(region_exceptions);
  return out;
}

grpc::ServerUnaryReactor* WorkforceServiceImpl::LookupComplianceSummary(
    grpc::CallbackServerContext* context, const v1::LookupComplianceSummaryRequest* request,
    v1::LookupComplianceSummaryResponse* response) {
  return HandleUnary(
      context_.runtime, context, methods::kLookupComplianceSummary,
      [this, request, response](const CallInfo&) -> absl::Status {
        FieldViolations violations;
        const std::optional<absl::CivilDay> first = ReadDate(
            request->period_start(), request->has_period_start(), "period_start", &violations);
        const std::optional<absl::CivilDay> last = ReadDate(
            request->period_end(), request->has_period_end(), "period_end", &violations);
        if (first && last && *first > *last) {
          violations.Add("period_start", "must not be after period_end");
        }
        if (!violations.empty()) return violations.ToStatus();
        // Remembered before the read: a write that commits after it began is announced for
        // this period, so a peer never keeps an answer older than a change past the feed bound.
        if (compliance_feed_ != nullptr) {
          compliance_feed_->Asked(ComplianceSummaryKey(*first, *last));
        }
        absl::StatusOr<RegionCompliance> local = SummariseRegion(*first, *last);
        if (!local.ok()) return local.status();
        response->mutable_region()->set_value(context_.config->hub_region);
        for (pb::LaComplianceSummary& row : local->las) *response->add_la_summaries() = row;
        *response->mutable_region_total() = local->total;
        return absl::OkStatus();
      });
}

}  // namespace slihub::workforce
