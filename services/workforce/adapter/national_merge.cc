#include "services/workforce/adapter/national_merge.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "services/workforce/adapter/convert.h"

namespace slihub::workforce {
namespace {

// Every region of `others` UNAVAILABLE with `reason`, after `hub_region` FRESH.
std::vector<federation::RegionOutcome> Unfederated(const std::string& hub_region,
                                                   const std::vector<std::string>& others,
                                                   absl::Time now) {
  std::vector<federation::RegionOutcome> out = {federation::LocalOutcome(hub_region, now)};
  for (const std::string& region : others) {
    federation::RegionOutcome o;
    o.region = region;
    o.state = federation::RegionState::kUnavailable;
    o.reason = "this hub has no federation";
    out.push_back(std::move(o));
  }
  return out;
}

// Why `reply` cannot stand as `region`'s summary, or nullopt when it can.
std::optional<std::string> Misfit(const std::string& region,
                                  const v1::LookupComplianceSummaryResponse& reply,
                                  const ReferenceData& refdata) {
  if (reply.region().value() != region) {
    return absl::StrCat("the hub asked for ", region, " answered for '", reply.region().value(),
                        "'");
  }
  for (const pb::LaComplianceSummary& row : reply.la_summaries()) {
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(row.la_code().value());
    if (la == nullptr || la->region_code != region) {
      return absl::StrCat("the ", region, " hub's summary names an LA outside its region");
    }
  }
  return std::nullopt;
}

}  // namespace

RegionFacts FromFacts(const std::string& region, const v1::LookupWorkerFactsResponse& in,
                      const std::string& swe, const ReferenceData& refdata) {
  RegionFacts out;
  out.region = region;
  for (const pb::WorkerFactPeriod& f : in.periods()) {
    const LocalAuthorityRecord* la = refdata.FindLocalAuthority(f.la_code().value());
    if (la == nullptr || f.employment_type() < 0 || f.employment_type() > kMaxEmploymentType ||
        f.job_type() < 0 || f.job_type() > kMaxJobType || f.leaving_reason() < 0 ||
        f.leaving_reason() > kMaxLeavingReason) {
      continue;
    }
    FieldViolations ignored;
    std::optional<absl::CivilDay> start =
        ReadDate(f.start_date(), f.has_start_date(), "start_date", &ignored);
    std::optional<absl::CivilDay> end =
        ReadOptionalDate(f.end_date(), f.has_end_date(), "end_date", &ignored);
    if (!start.has_value() || !ignored.empty() || (end.has_value() && *end < *start)) continue;
    EmploymentPeriod p;
    p.record_id = f.record_id();
    p.swe_number = swe;
    p.la_code = la->la_code;
    p.region = la->region_code;
    p.employment_type = static_cast<EmploymentType>(f.employment_type());
    p.job_type = static_cast<JobType>(f.job_type());
    p.start_date = *start;
    p.end_date = end;
    p.leaving_reason = static_cast<LeavingReason>(f.leaving_reason());
    p.child_and_family = f.child_and_family();
    p.asye = f.asye();
    out.periods.push_back(std::move(p));
  }
  for (const pb::WorkerFactCheck& f : in.register_checks()) {
    absl::StatusOr<absl::Time> at = FromProtoTimestamp(f.checked_at());
    if (!at.ok() || f.status() <= 0 || f.status() > kMaxRegisterStatus) continue;
    RegisterCheck c;
    c.check_id = f.check_id();
    c.swe_number = swe;
    c.status = static_cast<RegisterStatus>(f.status());
    c.checked_at = *at;
    c.checked_by = absl::StrCat("the ", region, " hub");
    c.source = f.source();
    c.recorder_la = f.recorder_la();
    for (int i = 0; i < f.condition_count() && i < 100; ++i) {
      c.conditions.push_back(absl::StrCat("a condition of practice recorded at ", region));
    }
    out.register_checks.push_back(std::move(c));
  }
  return out;
}

NationalFacts GatherWorkerFacts(WorkforceHubConnection* hub, const std::string& hub_region,
                                const std::vector<std::string>& others, const std::string& swe,
                                const ReferenceData& refdata, absl::Time now) {
  NationalFacts out;
  if (hub == nullptr) {
    out.outcomes = Unfederated(hub_region, others, now);
    out.missing_regions = others;
    return out;
  }
  out.outcomes.push_back(federation::LocalOutcome(hub_region, now));
  for (auto& part : hub->LookupWorkerFacts(others, swe)) {
    if (part.outcome.has_answer() && part.reply.has_value()) {
      out.answered.push_back(FromFacts(part.outcome.region, *part.reply, swe, refdata));
    } else {
      out.missing_regions.push_back(part.outcome.region);
    }
    out.outcomes.push_back(std::move(part.outcome));
  }
  return out;
}

NationalSummaries GatherComplianceSummaries(WorkforceHubConnection* hub,
                                            const std::string& hub_region,
                                            const std::vector<std::string>& others,
                                            absl::CivilDay first, absl::CivilDay last,
                                            const ReferenceData& refdata, absl::Time now) {
  NationalSummaries out;
  if (hub == nullptr) {
    out.outcomes = Unfederated(hub_region, others, now);
    return out;
  }
  out.outcomes.push_back(federation::LocalOutcome(hub_region, now));
  for (auto& part : hub->LookupComplianceSummary(others, first, last)) {
    if (part.outcome.has_answer() && part.reply.has_value()) {
      std::optional<std::string> misfit = Misfit(part.outcome.region, *part.reply, refdata);
      if (!misfit.has_value()) {
        out.answered.push_back(std::move(*part.reply));
      } else {
        part.outcome.state = federation::RegionState::kUnavailable;
        part.outcome.reason = *misfit;
      }
    }
    out.outcomes.push_back(std::move(part.outcome));
  }
  return out;
}

void AddRegionSummary(const v1::LookupComplianceSummaryResponse& in,
                      v1::GetComplianceSummaryResponse* out) {
  for (const pb::LaComplianceSummary& row : in.la_summaries()) *out->add_la_summaries() = row;
  pb::LaComplianceSummary* total = out->add_region_totals();
  *total = in.region_total();
  total->clear_la_code();
  *total->mutable_region() = in.region();
}

}  // namespace slihub::workforce
