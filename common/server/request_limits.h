// Size limits on a request's repeated fields, refused as INVALID_ARGUMENT field violations before
// any element is judged or stored (the README's "Limits" table lists every limit).
#ifndef SLIHUB_COMMON_SERVER_REQUEST_LIMITS_H_
#define SLIHUB_COMMON_SERVER_REQUEST_LIMITS_H_

#include "absl/strings/string_view.h"
#include "common/errors/errors.h"

namespace slihub {

// Adds "must hold at most <max> items, not <count>" to `field` when `count` exceeds `max`; the
// caller then judges no element, so the request is refused whole. True when within the limit.
bool CheckCount(int count, int max, absl::string_view field, FieldViolations* v);

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_REQUEST_LIMITS_H_
