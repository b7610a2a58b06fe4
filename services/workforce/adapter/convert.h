// Translation between slihub.workforce.v1 messages and the workforce domain, with field
// validation that names the offending field by its proto path.
#ifndef SLIHUB_SERVICES_WORKFORCE_ADAPTER_CONVERT_H_
#define SLIHUB_SERVICES_WORKFORCE_ADAPTER_CONVERT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/refdata/reference_data.h"
#include "common/server/request_fields.h"
#include "services/workforce/domain/engagement_check.h"
#include "services/workforce/domain/history.h"
#include "services/workforce/domain/rule_set.h"
#include "services/workforce/store/workforce_store.h"
#include "slihub/common/v1/types.pb.h"
#include "slihub/workforce/v1/engagement.pb.h"
#include "slihub/workforce/v1/rule_set.pb.h"
#include "slihub/workforce/v1/worker.pb.h"

namespace slihub::workforce {

namespace pb = ::slihub::workforce::v1;
namespace cpb = ::slihub::common::v1;

// Appends `field` + "." + `suffix` (or `field` when suffix is empty).
std::string Path(const std::string& field, const std::string& suffix);

// `day` as a proto CivilDate.
cpb::CivilDate ToProtoDate(absl::CivilDay day);

// Reads a Get request's `selector` oneof (a version number, or the version in force on a
// date; unset means in force on `today`) into `version` (0 when by date) and `on`.
template <typename Request>
void ReadVersionSelector(const Request& request, absl::CivilDay today, int64_t* version,
                         std::optional<absl::CivilDay>* on, FieldViolations* violations) {
  switch (request.selector_case()) {
    case Request::kVersion:
      *version = request.version();
      if (*version <= 0) violations->Add("version", "must be positive");
      break;
    case Request::kInForceOn:
      *on = ReadDate(request.in_force_on(), true, "in_force_on", violations);
      break;
    default:
      *on = today;
  }
}

// The upper-case SWE number, or empty with a violation on `field`.
std::string ReadSweNumber(const std::string& text, const std::string& field,
                          FieldViolations* violations);

// A rule set to publish, validated; `field` is its path ("rule_set").
RuleSet ReadRuleSet(const pb::RuleSet& in, const ReferenceData& refdata, const std::string& field,
                    FieldViolations* violations);
void ToProto(const StoredRuleSet& in, pb::RuleSet* out);

// An LA policy to publish, validated; `field` is its path ("policy"). The LA must be of
// `hub`'s region.
LaPolicy ReadLaPolicy(const pb::LaWorkforcePolicy& in, const ReferenceData& refdata,
                      const std::string& hub, const std::string& field,
                      FieldViolations* violations);
void ToProto(const StoredLaPolicy& in, pb::LaWorkforcePolicy* out);

// An employment period to record, validated; violation paths are relative to the period. An
// unset job type with a local title is left for the LA policy to map.
// `region` is filled from the LA's reference data.
EmploymentPeriod ReadPeriod(const pb::EmploymentPeriod& in, const ReferenceData& refdata,
                            std::vector<FieldViolation>* violations);
void ToProto(const StoredPeriod& in, pb::EmploymentPeriod* out);

// A register check as the contract's RegisterCheck (its audit is the caller's to add).
void ToProto(const RegisterCheck& in, pb::RegisterCheck* out);
void ToProto(const Audit& in, cpb::AuditInfo* out);

// Engagement terms, validated; `field` is their path ("terms"). `la` receives the engaging LA.
EngagementTerms ReadTerms(const pb::EngagementTerms& in, const ReferenceData& refdata,
                          const std::string& field, FieldViolations* violations,
                          const LocalAuthorityRecord** la);

// `p` as a minimal qualifying-experience fact; with `withhold`, its LA and record id are left
// out.
void FillQualifying(const EmploymentPeriod& p, bool withhold, pb::QualifyingPeriod* out);

// A check result as the contract's EngagementCheck. With `withhold`, the LA, dates and record
// ids that identify where a worker worked are left out and details_withheld is set.
void ToProto(const CheckResult& in, bool withhold, absl::Time check_time,
             pb::EngagementCheck* out);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_ADAPTER_CONVERT_H_
