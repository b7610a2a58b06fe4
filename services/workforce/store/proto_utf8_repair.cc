#include "services/workforce/store/proto_utf8_repair.h"

#include "absl/status/status.h"
#include "common/base/text.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace slihub::workforce {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

constexpr int kMaxDepth = 64;

// Appends the repaired `wire` of a `type` message to `out`; false when `wire` is malformed.
bool Repair(const Descriptor& type, absl::string_view wire, int depth, std::string* out,
            int64_t* repaired) {
  if (depth > kMaxDepth) return false;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(wire.data()),
                                               static_cast<int>(wire.size()));
  google::protobuf::io::StringOutputStream sink(out);
  google::protobuf::io::CodedOutputStream output(&sink);
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) return input.ConsumedEntireMessage();
    const FieldDescriptor* field = type.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    const bool delimited =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (field == nullptr || !delimited ||
        (field->type() != FieldDescriptor::TYPE_STRING &&
         field->type() != FieldDescriptor::TYPE_MESSAGE)) {
      if (!WireFormatLite::SkipField(&input, tag, &output)) return false;  // copies it
      continue;
    }
    uint32_t length = 0;
    std::string bytes;
    if (!input.ReadVarint32(&length) || !input.ReadString(&bytes, static_cast<int>(length))) {
      return false;
    }
    std::string fixed;
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (IsValidUtf8(bytes)) {
        fixed = std::move(bytes);
      } else {
        fixed = ReplaceInvalidUtf8(bytes);
        ++*repaired;
      }
    } else if (!Repair(*field->message_type(), bytes, depth + 1, &fixed, repaired)) {
      return false;
    }
    output.WriteTag(tag);
    output.WriteVarint32(static_cast<uint32_t>(fixed.size()));
    output.WriteString(fixed);
  }
}

}  // namespace

absl::StatusOr<std::string> RepairProtoUtf8(const google::protobuf::Descriptor& type,
                                            absl::string_view wire, int64_t* repaired) {
  *repaired = 0;
  std::string out;
  if (!Repair(type, wire, 0, &out, repaired)) {
    return absl::DataLossError(type.full_name() + " is not well-formed wire format");
  }
  return out;
}

}  // namespace slihub::workforce
