// Helpers the data collection RPC handlers share: text rules, collection resolution, indicator ordering and building the next return version.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_SERVICE_HELPERS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_SERVICE_HELPERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/errors/errors.h"
#include "common/identity/principal.h"
#include "common/server/request_fields.h"
#include "google/protobuf/message.h"
#include "services/datacollection/store/repository.h"
#include "slihub/datacollection/v1/return.pb.h"

namespace slihub::datacollection {

// The text rules of free text in returns (request_fields.h): a figure's note, a return's comment.
inline constexpr TextRule kNoteText{500, true, false};
inline constexpr TextRule kCommentText{2000, true, false};

// The collection `collection_id` of `region`, or the region's core quarterly one when empty.
// NotFound when absent or in another region.
absl::StatusOr<CollectionRecord> ResolveCollection(store::Transaction& tx, const std::string& region,
                                                   const std::string& collection_id);

// Puts `r`'s figures in the order of its period's indicator list (the store keeps id order).
absl::Status OrderLikePeriod(store::Transaction& tx, ReturnRecord& r);

// Version `version` (0: the latest) of `la_code`'s return into `out`, with its figures in the
// period's indicator order when `full`. NotFound when absent.
absl::Status ReadReturnInto(store::Transaction& tx, const std::string& la_code, const std::string& collection_id,
                            const std::string& period_id, int64_t version, bool full,
                            slihub::datacollection::v1::Return* out);

// The version after `latest` for `la_code`: `submitted` replaces those indicators whole; the others
// are carried over from version `latest` unless `replace`. Stamped on time or late at `now`; source,
// comment and submitter are left for the caller.
absl::StatusOr<ReturnRecord> BuildNextVersion(store::Transaction& tx, const PeriodRecord& period,
                                              const std::string& la_code,
                                              std::vector<IndicatorFigures> submitted, bool replace,
                                              int64_t latest, absl::Time now);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_SERVICE_HELPERS_H_
