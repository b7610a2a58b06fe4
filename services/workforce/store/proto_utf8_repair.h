// Repairs the string fields of a serialized protobuf message that are not valid UTF-8 (proto3
// refuses to parse them), leaving every other byte of the message as it was.
#ifndef SLIHUB_SERVICES_WORKFORCE_STORE_PROTO_UTF8_REPAIR_H_
#define SLIHUB_SERVICES_WORKFORCE_STORE_PROTO_UTF8_REPAIR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace slihub::workforce {

// `wire` (a serialized `type`) with each string field, at any depth, that is not valid UTF-8
// rewritten by ReplaceInvalidUtf8; other fields, unknown fields included, are copied unchanged.
// Sets `*repaired` to the number of string fields rewritten. DataLoss when `wire` is not
// well-formed protobuf wire format (nothing can be repaired then).
absl::StatusOr<std::string> RepairProtoUtf8(const google::protobuf::Descriptor& type,
                                            absl::string_view wire, int64_t* repaired);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_STORE_PROTO_UTF8_REPAIR_H_
