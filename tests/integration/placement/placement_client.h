// Helpers for the placement service's integration tests: starting the real binary and calling one
// RPC with a bearer token.
#ifndef SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_
#define SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {

// Options that run slihub-placement for `region` with `extra_args`.
inline ServiceProcessOptions PlacementOptions(const std::string& region = "EE",
                                              std::vector<std::string> extra_args = {}) {
  ServiceProcessOptions options;
  options.service = "placement";
  options.region = region;
  options.extra_args = std::move(extra_args);
  return options;
}

// Calls `method` on `stub` as `token` (20 s deadline).
template <typename Req, typename Resp>
grpc::Status CallPlacement(
    ::slihub::placement::v1::PlacementService::Stub* stub, const std::string& token,
    grpc::Status (::slihub::placement::v1::PlacementService::Stub::*method)(grpc::ClientContext*,
                                                                           const Req&, Resp*),
    const Req& request, Resp* response) {
  grpc::ClientContext context;
  PrepareContext(&context, token, absl::Seconds(20));
  return (stub->*method)(&context, request, response);
}

// A fresh request id ("<prefix>-<n>"): every write needs one, and one id is one request.
inline std::string NextRequestId(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

// A referral from `la` for a 13-year-old boy from Norwich (NR2) with emotional and behavioural
// needs, urgent, within `max_miles` (0: no limit).
inline ::slihub::placement::v1::CreateReferralRequest NorwichReferral(const std::string& la,
                                                                      double max_miles) {
  namespace pb = ::slihub::placement::v1;
  pb::CreateReferralRequest req;
  req.set_request_id(NextRequestId("referral"));
  pb::Referral* r = req.mutable_referral();
  r->mutable_la_code()->set_value(la);
  pb::ChildProfile* p = r->mutable_profile();
  p->set_age_years(13);
  p->set_sex(pb::SEX_MALE);
  p->add_needs(pb::NEED_CATEGORY_EMOTIONAL_BEHAVIOURAL);
  p->mutable_home_location()->set_postcode_district("NR2");
  p->mutable_home_location()->mutable_coordinates()->set_latitude(52.63);
  p->mutable_home_location()->mutable_coordinates()->set_longitude(1.29);
  p->set_sibling_group_size(1);
  p->set_urgency(pb::URGENCY_URGENT);
  r->mutable_constraints()->set_max_distance_miles(max_miles);
  return req;
}

// A private children's home of `provider_id` in `la` at (lat, lon), registered for emotional and
// behavioural needs and abuse/neglect, ages 8-17, 4 places; request id "setting-<urn>".
inline ::slihub::placement::v1::CreateSettingRequest SettingRequest(
    const std::string& provider_id, const std::string& urn, const std::string& la, double lat,
    double lon, ::slihub::placement::v1::OfstedGrade grade) {
  namespace pb = ::slihub::placement::v1;
  pb::CreateSettingRequest req;
  req.set_request_id("setting-" + urn);
  pb::Setting* s = req.mutable_setting();
  s->set_provider_id(provider_id);
  s->set_ofsted_urn(urn);
  s->set_name("Home " + urn);
  s->set_placement_type(pb::PLACEMENT_TYPE_CHILDRENS_HOME_PRIVATE);
  s->set_ofsted_grade(grade);
  s->add_registered_needs(pb::NEED_CATEGORY_EMOTIONAL_BEHAVIOURAL);
  s->add_registered_needs(pb::NEED_CATEGORY_ABUSE_NEGLECT);
  s->mutable_age_range()->set_min_years(8);
  s->mutable_age_range()->set_max_years(17);
  s->set_sex_accepted(pb::SEX_ACCEPTED_ANY);
  s->mutable_location()->set_postcode_district("NR1");
  s->mutable_location()->mutable_coordinates()->set_latitude(lat);
  s->mutable_location()->mutable_coordinates()->set_longitude(lon);
  s->mutable_host_la()->set_value(la);
  s->set_registered_places(4);
  s->set_active(true);
  return req;
}

// A shared vacancy of `beds` beds from 1 Nov 2026 at `cost_pence` a week.
inline ::slihub::placement::v1::PublishVacancyRequest VacancyRequest(const std::string& setting_id,
                                                                     const std::string& record_id,
                                                                     int beds, int64_t cost_pence) {
  namespace pb = ::slihub::placement::v1;
  pb::PublishVacancyRequest req;
  req.set_request_id(NextRequestId("vacancy-" + record_id));
  pb::Vacancy* v = req.mutable_vacancy();
  v->set_setting_id(setting_id);
  v->set_record_id(record_id);
  v->set_beds(beds);
  v->mutable_available_from()->set_year(2026);
  v->mutable_available_from()->set_month(11);
  v->mutable_available_from()->set_day(1);
  v->mutable_weekly_cost()->set_pence(cost_pence);
  v->set_occupancy(pb::OCCUPANCY_SHARED);
  v->set_sibling_capacity(1);
  return req;
}

// The benchmarks' referral: a 14-year-old girl from Norwich (LA 926) with two needs, within 60
// miles and £5,000 a week, needed by 2026-12-31 (request id "bench-referral").
inline ::slihub::placement::v1::CreateReferralRequest BenchmarkReferralRequest() {
  namespace pb = ::slihub::placement::v1;
  pb::CreateReferralRequest req;
  req.set_request_id("bench-referral");
  pb::Referral* r = req.mutable_referral();
  r->mutable_la_code()->set_value("926");
  r->mutable_profile()->set_age_years(14);
  r->mutable_profile()->set_sex(pb::SEX_FEMALE);
  r->mutable_profile()->add_needs(pb::NEED_CATEGORY_EMOTIONAL_BEHAVIOURAL);
  r->mutable_profile()->add_needs(pb::NEED_CATEGORY_ABUSE_NEGLECT);
  r->mutable_profile()->mutable_home_location()->mutable_coordinates()->set_latitude(52.63);
  r->mutable_profile()->mutable_home_location()->mutable_coordinates()->set_longitude(1.30);
  r->mutable_constraints()->set_max_distance_miles(60);
  r->mutable_constraints()->mutable_max_weekly_cost()->set_pence(500000);
  r->mutable_constraints()->mutable_needed_by()->set_year(2026);
  r->mutable_constraints()->mutable_needed_by()->set_month(12);
  r->mutable_constraints()->mutable_needed_by()->set_day(31);
  return req;
}

// What SeedRegister made. Plain data.
struct SeededRegister {
  std::string provider_id;
  std::string setting_id;
  ::slihub::placement::v1::Vacancy vacancy;  // 2 beds
  std::string referral_id;                   // from LA 926
};

// Registers provider "Acme Homes" (member "acme-1", as `admin`), its setting SC700001 in 926 and a
// vacancy (as `provider`), and a referral from 926 (as `officer`). Empty ids on failure (with a
// test failure recorded).
inline SeededRegister SeedRegister(::slihub::placement::v1::PlacementService::Stub* stub,
                                   const std::string& admin, const std::string& provider,
                                   const std::string& officer) {
  namespace pb = ::slihub::placement::v1;
  using Stub = pb::PlacementService::Stub;
  SeededRegister out;
  pb::CreateProviderRequest cp;
  cp.set_request_id(NextRequestId("provider"));
  cp.mutable_provider()->set_name("Acme Homes");
  cp.mutable_provider()->set_kind(pb::PROVIDER_KIND_PRIVATE);
  cp.mutable_provider()->add_member_subjects("acme-1");
  pb::CreateProviderResponse made;
  EXPECT_TRUE(CallPlacement(stub, admin, &Stub::CreateProvider, cp, &made).ok());
  out.provider_id = made.provider().provider_id();
  pb::CreateSettingResponse setting;
  EXPECT_TRUE(CallPlacement(stub, provider, &Stub::CreateSetting,
                            SettingRequest(out.provider_id, "SC700001", "926", 52.63, 1.30,
                                           pb::OFSTED_GRADE_GOOD),
                            &setting)
                  .ok());
  out.setting_id = setting.setting().setting_id();
  pb::PublishVacancyResponse vacancy;
  EXPECT_TRUE(CallPlacement(stub, provider, &Stub::PublishVacancy,
                            VacancyRequest(out.setting_id, "v-1", 2, 390000), &vacancy)
                  .ok());
  out.vacancy = vacancy.vacancy();
  pb::CreateReferralResponse referral;
  EXPECT_TRUE(
      CallPlacement(stub, officer, &Stub::CreateReferral, NorwichReferral("926", 0), &referral).ok());
  out.referral_id = referral.referral().referral_id();
  return out;
}

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_PLACEMENT_PLACEMENT_CLIENT_H_
