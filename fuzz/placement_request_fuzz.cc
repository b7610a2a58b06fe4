// libFuzzer target: the placement service's request validation. The first byte picks a request
// type; the rest is parsed as that request proto and checked as its handler checks it before the
// store (provider, setting, vacancy terms, referral profile and constraints).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "absl/time/clock.h"
#include "common/server/request_fields.h"
#include "fuzz/fuzz_support.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/domain/postcode_districts.h"
#include "services/placement/store/placement_store.h"
#include "slihub/placement/v1/placement_service.pb.h"

namespace slihub::placement {
namespace {

const PostcodeDistricts& Districts() {
  static const PostcodeDistricts* const districts = [] {
    auto loaded = PostcodeDistricts::LoadFromFile(SLIHUB_SOURCE_DIR
                                                  "/deploy/reference/postcode_districts.csv");
    if (!loaded.ok()) std::abort();
    return loaded->release();
  }();
  return *districts;
}

void Referral(const pb::ChildProfile& profile, const pb::PlacementConstraints& constraints,
              FieldViolations* v) {
  ChildProfile child;
  ReferralExtras extras;
  ProfileFromProto(profile, Districts(), "profile", v, &child, &extras);
  const PlacementConstraints converted = ConstraintsFromProto(constraints, "constraints", v);
  CheckDistanceLimit(child, converted, "constraints", v);
}

void Run(uint8_t kind, const uint8_t* data, size_t size) {
  FieldViolations v;
  switch (kind % 6) {
    case 0: {
      pb::CreateProviderRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      ProviderFromProto(req.provider(), fuzz::Refdata(), "provider", &v);
      break;
    }
    case 1: {
      pb::CreateSettingRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      SettingFromProto(req.setting(), fuzz::Refdata(), Districts(), "setting", &v);
      break;
    }
    case 2: {
      pb::PublishVacancyRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckId(req.vacancy().setting_id(), "vacancy.setting_id", &v);
      VacancyTermsFromProto(req.vacancy(), "vacancy", &v);
      ReadConfirmTime(req.vacancy().last_confirmed_at(), req.vacancy().has_last_confirmed_at(),
                      absl::Now(), "vacancy.last_confirmed_at", &v);
      break;
    }
    case 3: {
      pb::CreateReferralRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      Referral(req.referral().profile(), req.referral().constraints(), &v);
      break;
    }
    case 4: {
      pb::UpdateReferralRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      Referral(req.profile(), req.constraints(), &v);
      break;
    }
    default: {
      pb::UpdateVacancyRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      VacancyTermsFromProto(req.vacancy(), "vacancy", &v);
      break;
    }
  }
  fuzz::CheckViolations(v);
}

}  // namespace
}  // namespace slihub::placement

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  slihub::placement::Run(data[0], data + 1, size - 1);
  return 0;
}
