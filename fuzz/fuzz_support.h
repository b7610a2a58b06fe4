// What the libFuzzer targets share: the real reference data and postcode districts (loaded once
// from deploy/reference), the parse of a request proto from the input, and the check that
// validation answers as the handlers do (nothing, or INVALID_ARGUMENT with field violations).
#ifndef SLIHUB_FUZZ_FUZZ_SUPPORT_H_
#define SLIHUB_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "common/errors/errors.h"
#include "common/refdata/reference_data.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"

namespace slihub::fuzz {

// The reference data in deploy/reference/local_authorities.csv; aborts when it cannot be read.
// Loaded on first use, never freed; thread-safe.
inline const ReferenceData& Refdata() {
  static const ReferenceData* const refdata = [] {
    auto loaded = ReferenceData::LoadFromFile(SLIHUB_SOURCE_DIR
                                              "/deploy/reference/local_authorities.csv");
    if (!loaded.ok()) std::abort();
    return loaded->release();
  }();
  return *refdata;
}

// Parses `size` bytes at `data` into `message` (binary wire format); false when they are not one.
// Protobuf's own log of refused parses (invalid UTF-8 in a string) is silenced: it is not a finding.
inline bool ParseRequest(const uint8_t* data, size_t size, google::protobuf::Message* message) {
  static const bool quiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
  return message->ParseFromArray(data, static_cast<int>(size));
}

// Aborts (a fuzz finding) unless `violations` become OK or INVALID_ARGUMENT naming each field.
inline void CheckViolations(const FieldViolations& violations) {
  const absl::Status status = violations.ToStatus();
  if (violations.empty() != status.ok()) std::abort();
  if (!status.ok() && status.code() != absl::StatusCode::kInvalidArgument) std::abort();
  for (const FieldViolation& v : violations.violations()) {
    if (v.description.empty()) std::abort();
  }
}

}  // namespace slihub::fuzz

#endif  // SLIHUB_FUZZ_FUZZ_SUPPORT_H_
