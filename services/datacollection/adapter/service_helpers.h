// Helpers the data collection RPC handlers share: request fingerprints for idempotency, id checks,
// role scope, collection resolution, indicator ordering and building the next return version.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_SERVICE_HELPERS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_SERVICE_HELPERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/identity/principal.h"
#include "google/protobuf/message.h"
#include "services/datacollection/store/repository.h"
#include "slihub/datacollection/v1/return.pb.h"

namespace slihub::datacollection {

// A stable fingerprint of a request (deterministic serialization, FNV-1a 64), for idempotency keys.
std::string Fingerprint(const google::protobuf::Message& message);

// Adds a violation for `field` unless `value` has 1-64 characters.
void RequireId(const std::string& value, const std::string& field, FieldViolations* violations);

// The collection `collection_id` of `region`, or the region's core quarterly one when empty.
// NotFound when absent or in another region.
absl::StatusOr<CollectionRecord> ResolveCollection(Repository& repo, const std::string& region,
                                                   const std::string& collection_id);

// Puts `r`'s figures in the order of its period's indicator list (the store keeps id order).
absl::Status OrderLikePeriod(Repository& repo, ReturnRecord& r);

// Version `version` (0: the latest) of `la_code`'s return into `out`, with its figures in the
// period's indicator order when `full`. NotFound when absent.
absl::Status ReadReturnInto(Repository& repo, const std::string& la_code, const std::string& collection_id,
                            const std::string& period_id, int64_t version, bool full,
                            slihub::datacollection::v1::Return* out);

// The version after `latest` for `la_code`: `submitted` replaces those indicators whole; the others
// are carried over from version `latest` unless `replace`. Stamped on time or late at `now`; source,
// comment and submitter are left for the caller.
absl::StatusOr<ReturnRecord> BuildNextVersion(Repository& repo, const PeriodRecord& period,
                                              const std::string& la_code,
                                              std::vector<IndicatorFigures> submitted, bool replace,
                                              int64_t latest, absl::Time now);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_SERVICE_HELPERS_H_
