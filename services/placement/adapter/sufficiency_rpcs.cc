// PlacementService's GetSufficiency: vacancies, referrals, top matches and placements per LA
// and region.
#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "common/base/log.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/server/idempotency.h"
#include "common/server/paging.h"
#include "common/server/proto_time.h"
#include "common/server/request_fields.h"
#include "common/server/unary_call.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/adapter/placement_methods.h"
#include "services/placement/adapter/placement_service.h"
#include "services/placement/adapter/rpc_helpers.h"
#include "services/placement/domain/filter_key.h"
#include "services/placement/domain/rule_parameters.h"
#include "services/placement/domain/sufficiency.h"
#include "services/placement/store/transactions.h"

namespace slihub::placement {
namespace {

google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

void FillDistances(const DistanceSummary& d, pb::DistanceFigures* out) {
  out->set_count(d.count);
  out->set_distance_unknown(d.distance_unknown);
  out->set_median_distance_miles(d.median_miles);
  out->set_share_within_threshold_bp(d.share_within_bp);
  out->set_near_threshold_miles(d.threshold_miles);
}

void FillFigures(const AreaFigures& a, pb::SufficiencyFigures* out) {
  if (!a.la_code.empty()) out->mutable_la_code()->set_value(a.la_code);
  out->mutable_region()->set_value(a.region);
  for (const auto& [key, tally] : a.vacancies) {
    pb::VacancyCount* c = out->add_vacancies();
    c->set_placement_type(static_cast<pb::PlacementType>(key.first));
    c->set_ofsted_grade(static_cast<pb::OfstedGrade>(key.second));
    c->set_vacancies(tally.vacancies);
    c->set_beds_free(tally.beds_free);
    c->set_stale(tally.stale);
  }
  out->set_open_referrals(a.open_referrals);
  out->set_open_vacancies(a.open_vacancies);
  FillDistances(a.matches, out->mutable_matches());
  FillDistances(a.placements, out->mutable_placements());
  out->set_placements_outside_region(a.placements_outside_region);
  if (a.median_time_to_confirmation.has_value()) {
    *out->mutable_median_time_to_confirmation() = ToProtoDuration(*a.median_time_to_confirmation);
  }
  if (a.p90_time_to_confirmation.has_value()) {
    *out->mutable_p90_time_to_confirmation() = ToProtoDuration(*a.p90_time_to_confirmation);
  }
}

}  // namespace

grpc::ServerUnaryReactor* PlacementServiceImpl::GetSufficiency(grpc::CallbackServerContext* ctx,
                                                               const v1::GetSufficiencyRequest* req,
                                                               v1::GetSufficiencyResponse* resp) {
  return HandleUnary(
      context_.runtime, ctx, methods::kGetSufficiency,
      [this, req, resp](const CallInfo& call) -> absl::Status {
        FieldViolations v;
        CheckScope(req->scope(), "scope", &v);
        const std::optional<absl::CivilDay> start =
            DateFromProto(req->period_start(), "period_start", &v);
        const std::optional<absl::CivilDay> end =
            DateFromProto(req->period_end(), "period_end", &v);
        const Principal& who = call.principal();
        const common::v1::RegionScope scope = req->scope() == common::v1::REGION_SCOPE_UNSPECIFIED
                                                  ? common::v1::REGION_SCOPE_OWN_REGION
                                                  : req->scope();
        std::vector<std::pair<std::string, std::string>> las;
        if (scope == common::v1::REGION_SCOPE_OWN_LA) {
          const std::string la =
              req->la_code().value().empty() ? who.la_code : req->la_code().value();
          const LocalAuthorityRecord* record = context_.reference_data->FindLocalAuthority(la);
          if (record == nullptr) {
            v.Add("la_code.value", "required for OWN_LA: a known LA code (the caller has none)");
          } else {
            las.emplace_back(record->la_code, record->region_code);
          }
        } else {
          std::vector<const RegionRecord*> regions;
          if (scope == common::v1::REGION_SCOPE_NATIONAL) {
            for (const RegionRecord& r : context_.reference_data->regions()) regions.push_back(&r);
          } else {
            const std::string code =
                req->region().value().empty() ? who.region_code : req->region().value();
            const RegionRecord* r = context_.reference_data->FindRegion(code);
            if (r == nullptr) {
              v.Add("region.value", "not a known region");
            } else {
              regions.push_back(r);
            }
          }
          for (const RegionRecord* r : regions) {
            for (const std::string& la : r->la_codes) las.emplace_back(la, r->code);
          }
        }
        const absl::Time now = absl::Now();
        const absl::CivilDay period_end = end.value_or(absl::ToCivilDay(now, absl::UTCTimeZone()));
        const absl::CivilDay period_start = start.value_or(AddMonthsClamped(period_end, -12));
        if (start.has_value() && end.has_value() && *start > *end) {
          v.Add("period_start", "must not be after period_end");
        }
        if (!v.empty()) return v.ToStatus();
        return context_.database->Run(
            store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
              absl::StatusOr<SufficiencyData> data =
                  store_.LoadSufficiencyData(tx, absl::FromCivil(period_start, absl::UTCTimeZone()),
                                             absl::FromCivil(period_end + 1, absl::UTCTimeZone()),
                                             now, options_.match.stale_after);
              if (!data.ok()) return data.status();
              auto [la_figures, region_figures] =
                  ComputeSufficiency(las, data->stock, data->open_referrals_by_la,
                                     data->top_matches, data->placements, options_.near_home_miles);
              for (const AreaFigures& a : la_figures) FillFigures(a, resp->add_la_figures());
              if (scope != common::v1::REGION_SCOPE_OWN_LA) {
                for (const AreaFigures& a : region_figures)
                  FillFigures(a, resp->add_region_figures());
              }
              common::v1::FederationInfo* fed = resp->mutable_federation();
              fed->set_scope(scope);
              common::v1::RegionAnswer* answer = fed->add_regions();
              answer->mutable_region()->set_value(context_.config->hub_region);
              answer->set_state(common::v1::REGION_ANSWER_STATE_FRESH);
              *answer->mutable_as_of() = ToProtoTimestamp(now);
              return absl::OkStatus();
            });
      });
}

}  // namespace slihub::placement
