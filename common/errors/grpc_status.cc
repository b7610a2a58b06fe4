#include "common/errors/grpc_status.h"

#include <memory>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/rpc/status.pb.h"

namespace slihub {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// `text` cut to at most `max_bytes` on a UTF-8 character boundary, marked with "..." when cut.
std::string Truncated(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "...");
}

// Cuts every string field of `message` (recursively) to kMaxDetailStringBytes.
void TruncateStrings(Message* message) {
  const auto* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          reflection->SetRepeatedString(
              message, field, i,
              Truncated(reflection->GetRepeatedString(*message, field, i), kMaxDetailStringBytes));
        }
      } else {
        reflection->SetString(message, field,
                              Truncated(reflection->GetString(*message, field),
                                        kMaxDetailStringBytes));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_map()) continue;  // ErrorInfo metadata: keys and values are ours
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          TruncateStrings(reflection->MutableRepeatedMessage(message, field, i));
        }
      } else {
        TruncateStrings(reflection->MutableMessage(message, field));
      }
    }
  }
}

// Drops the last element of `message`'s first non-empty repeated message field. False when
// there is none.
bool DropLastRepeated(Message* message) {
  const auto* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated() && !field->is_map() &&
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        reflection->FieldSize(*message, field) > 0) {
      reflection->RemoveLast(message, field);
      return true;
    }
  }
  return false;
}

// The payload as its google.rpc message, when the type is one this binary knows.
std::unique_ptr<Message> ParseKnownPayload(absl::string_view type_url, const std::string& value) {
  const size_t slash = type_url.rfind('/');
  const std::string name(type_url.substr(slash == absl::string_view::npos ? 0 : slash + 1));
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
  if (descriptor == nullptr) return nullptr;
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  if (prototype == nullptr) return nullptr;
  std::unique_ptr<Message> message(prototype->New());
  if (!message->ParseFromString(value)) return nullptr;
  return message;
}

// Keeps `detail` within kMaxStatusDetailsBytes: long strings cut first, then trailing
// violations dropped (the message says how many), then the details dropped altogether.
void Bound(google::rpc::Status* detail) {
  if (detail->ByteSizeLong() <= kMaxStatusDetailsBytes) return;
  std::vector<std::unique_ptr<Message>> parsed(detail->details_size());
  for (int i = 0; i < detail->details_size(); ++i) {
    parsed[i] = ParseKnownPayload(detail->details(i).type_url(), detail->details(i).value());
    if (parsed[i] == nullptr) continue;
    TruncateStrings(parsed[i].get());
    detail->mutable_details(i)->set_value(parsed[i]->SerializeAsString());
  }
  int dropped = 0;
  while (detail->ByteSizeLong() > kMaxStatusDetailsBytes) {
    bool shrunk = false;
    for (int i = 0; i < detail->details_size() && !shrunk; ++i) {
      if (parsed[i] != nullptr && DropLastRepeated(parsed[i].get())) {
        detail->mutable_details(i)->set_value(parsed[i]->SerializeAsString());
        shrunk = true;
      }
    }
    if (!shrunk) {
      detail->clear_details();
      break;
    }
    ++dropped;
  }
  if (dropped > 0) {
    detail->set_message(absl::StrCat(detail->message(), " (", dropped, " more not listed)"));
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  google::rpc::Status detail;
  detail.set_code(static_cast<int>(status.code()));
  detail.set_message(Truncated(std::string(status.message()), kMaxStatusMessageBytes));
  status.ForEachPayload([&detail](absl::string_view type_url, const absl::Cord& payload) {
    auto* any = detail.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  Bound(&detail);
  if (detail.details_size() == 0) return grpc::Status(code, detail.message());
  return grpc::Status(code, detail.message(), detail.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status detail;
  if (!status.error_details().empty() && detail.ParseFromString(status.error_details())) {
    for (const auto& any : detail.details()) out.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return out;
}

}  // namespace slihub
