// The encoding of a worker's history in the worker_histories table: one protobuf blob
// (slihub.workforce.storage.v1.WorkerHistory) per worker, so that CheckEngagement reads a worker's
// whole history with one index lookup.
#ifndef SLIHUB_SERVICES_WORKFORCE_STORE_WORKER_HISTORY_CODEC_H_
#define SLIHUB_SERVICES_WORKFORCE_STORE_WORKER_HISTORY_CODEC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/workforce/domain/history.h"

namespace slihub::workforce {

// A worker's periods (start date, LA code, record id order) and register checks (newest
// checked_at first, then highest sequence). Plain data.
struct WorkerHistory {
  std::vector<EmploymentPeriod> periods;
  std::vector<RegisterCheck> register_checks;
};

// `history` as stored. Every register check's check_id must be "rc-<sequence>"; periods and
// checks keep their order.
std::string EncodeWorkerHistory(const WorkerHistory& history);

// The history `blob` encodes, for the worker `swe_number` (which the blob does not repeat).
// DataLoss when the blob does not parse.
absl::StatusOr<WorkerHistory> DecodeWorkerHistory(const std::string& blob,
                                                  const std::string& swe_number);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_STORE_WORKER_HISTORY_CODEC_H_
