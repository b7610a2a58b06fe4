// The request layer's field rules, the same in every service: request ids, identifiers, text,
// civil dates, LA codes and numbers. Each reader adds a violation named by the field's proto
// path to `v` and returns what it read; the handler turns `v` into INVALID_ARGUMENT once every
// field has been looked at, so a caller learns all that is wrong in one answer.
#ifndef SLIHUB_COMMON_SERVER_REQUEST_FIELDS_H_
#define SLIHUB_COMMON_SERVER_REQUEST_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "common/refdata/reference_data.h"
#include "slihub/common/v1/types.pb.h"

namespace slihub {

// A request id (the `request_id` field of every write, and the x-request-id header): 1 to 128
// characters from A-Z a-z 0-9 and - _ . : / — a UUID fits. A write's `request_id` is required: it
// is the idempotency key (idempotency.h).
inline constexpr size_t kMaxRequestIdLength = 128;
bool IsValidRequestId(absl::string_view id);
void CheckRequestId(absl::string_view id, absl::string_view field, FieldViolations* v);

// An identifier of a record (vacancy, cycle, period...): required, 1 to 100 characters, printable
// ASCII without spaces.
inline constexpr size_t kMaxIdLength = 100;
void CheckId(absl::string_view id, absl::string_view field, FieldViolations* v);

// How long a text field may be, in characters, and whether it may hold line breaks.
struct TextRule {
  size_t max_chars = 200;
  bool multiline = false;
  bool required = false;
};
inline constexpr TextRule kShortText{200, false, false};
inline constexpr TextRule kRequiredShortText{200, false, true};
inline constexpr TextRule kLongText{10000, true, false};

// Text: valid UTF-8, within the rule's length, without control characters (but tab and line ends
// in multi-line text), non-empty when required.
void CheckText(absl::string_view text, absl::string_view field, const TextRule& rule,
               FieldViolations* v);

// The years every civil date of the contract must fall in: outside them a date is a typing
// error (9999-12-31, year 0), not a fact.
inline constexpr int kMinYear = 1950;
inline constexpr int kMaxYear = 2100;

// A required civil date, valid (no 31 April) and within kMinYear..kMaxYear; nullopt after adding a
// violation (at `field` when unset, at `field`.year/.month/.day otherwise).
std::optional<absl::CivilDay> ReadDate(const slihub::common::v1::CivilDate& date, bool present,
                                       absl::string_view field, FieldViolations* v);

// As ReadDate, but unset (`present` false) is allowed and reads as nullopt without a violation.
std::optional<absl::CivilDay> ReadOptionalDate(const slihub::common::v1::CivilDate& date,
                                               bool present, absl::string_view field,
                                               FieldViolations* v);

// The LA a DfE code names (`field` is the code's path, e.g. "la_code.value"), or nullptr after
// adding a violation when it is empty or no LA has it.
const LocalAuthorityRecord* ReadLa(const ReferenceData& refdata, absl::string_view code,
                                   absl::string_view field, FieldViolations* v);

// As ReadLa, and the LA must be in `region` (the hub's): "is not an LA of region EE" otherwise.
const LocalAuthorityRecord* ReadLaOfRegion(const ReferenceData& refdata, absl::string_view code,
                                           absl::string_view region, absl::string_view field,
                                           FieldViolations* v);

// A count or amount that must lie in [min, max]; adds "must be between min and max".
void CheckRange(int64_t value, int64_t min, int64_t max, absl::string_view field,
                FieldViolations* v);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_REQUEST_FIELDS_H_
