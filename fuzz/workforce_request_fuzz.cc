// libFuzzer target: the workforce service's request validation. The first byte picks a request
// type; the rest is parsed as that request proto and checked as its handler checks it before the
// store (rule set, LA policy, employment periods, engagement terms, SWE numbers).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/server/request_fields.h"
#include "fuzz/fuzz_support.h"
#include "services/workforce/adapter/call_helpers.h"
#include "services/workforce/adapter/convert.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::workforce {
namespace {

// ReadPeriod's violations are relative to the period; they must name a field and say why.
void CheckPeriod(const pb::EmploymentPeriod& in) {
  std::vector<FieldViolation> violations;
  ReadPeriod(in, fuzz::Refdata(), &violations);
  for (const FieldViolation& v : violations) {
    if (v.field.empty() || v.description.empty()) std::abort();
  }
}

void Run(uint8_t kind, const uint8_t* data, size_t size) {
  FieldViolations v;
  switch (kind % 6) {
    case 0: {
      pb::PublishRuleSetRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      ReadRuleSet(req.rule_set(), fuzz::Refdata(), "rule_set", &v);
      break;
    }
    case 1: {
      pb::PublishLaWorkforcePolicyRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      ReadLaPolicy(req.policy(), fuzz::Refdata(), "EE", "policy", &v);
      break;
    }
    case 2: {
      pb::RecordEmploymentPeriodRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      CheckPeriod(req.period());
      break;
    }
    case 3: {
      pb::BatchRecordEmploymentPeriodsRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      CheckRequestId(req.request_id(), "request_id", &v);
      for (const pb::EmploymentPeriod& period : req.periods()) CheckPeriod(period);
      break;
    }
    case 4: {
      pb::CheckEngagementRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      const LocalAuthorityRecord* la = nullptr;
      ReadTerms(req.terms(), fuzz::Refdata(), "terms", &v, &la);
      ReadOptionalDate(req.as_of(), req.has_as_of(), "as_of", &v);
      CheckExceptionIds(req.exception_ids(), &v);
      break;
    }
    default: {
      pb::GetWorkerRequest req;
      if (!fuzz::ParseRequest(data, size, &req)) return;
      const std::string swe = ReadSweNumber(req.swe_number(), "swe_number", &v);
      if (swe.empty() == v.empty()) std::abort();  // a number, or a violation: never both
      break;
    }
  }
  fuzz::CheckViolations(v);
}

}  // namespace
}  // namespace slihub::workforce

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  slihub::workforce::Run(data[0], data + 1, size - 1);
  return 0;
}
