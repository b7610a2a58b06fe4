// The stored records of the data collection service beyond the indicator itself: collections,
// periods and return versions. Plain data.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_STORE_RECORDS_H_
#define SLIHUB_SERVICES_DATACOLLECTION_STORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/datacollection/domain/indicator.h"
#include "services/datacollection/domain/period.h"

namespace slihub::datacollection {

// A collection of a region (kind numbered as slihub.datacollection.v1.CollectionKind).
struct CollectionRecord {
  std::string collection_id;
  std::string region;
  int kind = 0;
  std::string name;
  std::string description;
  std::vector<std::string> indicator_ids;
  std::vector<std::string> la_codes;  // empty: every LA of the region
  int64_t version = 1;
};

// One period of a collection.
struct PeriodRecord {
  std::string collection_id;
  std::string period_id;
  std::string label;
  std::string start_date;  // YYYY-MM-DD
  std::string end_date;
  absl::Time open_time;
  absl::Time deadline_time;
  absl::Time close_time;
  std::vector<std::string> indicator_ids;
  std::string previous_period_id;  // derived on read
  int64_t version = 1;
  std::optional<absl::Time> publish_time;  // set once the regional admin published the period
};

// One accepted version of an LA's return (source numbered as slihub.datacollection.v1.SubmissionSource).
struct ReturnRecord {
  std::string la_code;
  std::string collection_id;
  std::string period_id;
  int64_t version = 0;
  Timeliness timeliness = Timeliness::kUnspecified;
  int source = 0;
  absl::Time receive_time;
  std::string comment;
  std::string submitted_by;  // the principal's subject
  bool latest = false;
  int value_count = 0;
  std::vector<IndicatorFigures> values;  // filled only when asked for
};

// One LA's total figure for one indicator from its latest version (the rug's input).
struct LatestTotal {
  std::string la_code;
  std::string indicator_id;
  Observation total;
  int64_t return_version = 0;
  Timeliness timeliness = Timeliness::kUnspecified;
};

// One LA's breakdown figure for one indicator and category from its latest version.
struct LatestBreakdown {
  std::string la_code;
  std::string category;
  Observation observation;
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_STORE_RECORDS_H_
