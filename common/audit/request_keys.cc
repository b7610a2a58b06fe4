#include "common/audit/request_keys.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace slihub::audit {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kLaCodeType[] = "slihub.common.v1.LaCode";
constexpr char kRegionCodeType[] = "slihub.common.v1.RegionCode";

bool IsKeyValue(absl::string_view value) {
  if (value.empty() || value.size() > kMaxKeyLength) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
           c == '.' || c == ':' || c == '/';
  });
}

void AddUnique(std::string value, std::vector<std::string>* list) {
  if (list->size() >= kMaxKeyCount) return;
  if (std::find(list->begin(), list->end(), value) != list->end()) return;
  list->push_back(std::move(value));
}

// The `value` field of a LaCode or RegionCode message.
std::string WrappedValue(const Message& wrapper) {
  const FieldDescriptor* value = wrapper.GetDescriptor()->FindFieldByName("value");
  if (value == nullptr || value->type() != FieldDescriptor::TYPE_STRING) return "";
  return wrapper.GetReflection()->GetString(wrapper, value);
}

class Collector {
 public:
  explicit Collector(RequestKeys* keys) : keys_(keys) {}

  // Scans `message`; descends into message fields while `depth` < 1.
  void Scan(const Message& message, int depth) {
    const Reflection* reflection = message.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    reflection->ListFields(message, &fields);
    for (const FieldDescriptor* field : fields) {
      const int count = field->is_repeated()
                            ? std::min(reflection->FieldSize(message, field), kMaxRepeatedScanned)
                            : 1;
      for (int i = 0; i < count; ++i) ScanValue(message, field, i, depth);
    }
  }

 private:
  void ScanValue(const Message& message, const FieldDescriptor* field, int index, int depth) {
    const Reflection* reflection = message.GetReflection();
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      const Message& child = field->is_repeated()
                                 ? reflection->GetRepeatedMessage(message, field, index)
                                 : reflection->GetMessage(message, field);
      const std::string& type = field->message_type()->full_name();
      if (type == kLaCodeType) {
        AddLa(WrappedValue(child));
      } else if (type == kRegionCodeType) {
        AddKey(field->name(), WrappedValue(child));
      } else if (depth < 1) {
        Scan(child, depth + 1);
      }
      return;
    }
    if (field->type() != FieldDescriptor::TYPE_STRING) return;
    const std::string value = field->is_repeated()
                                  ? reflection->GetRepeatedString(message, field, index)
                                  : reflection->GetString(message, field);
    if (field->name() == "la_code" || field->name() == "la_codes") {
      AddLa(value);
    } else if (IsKeyFieldName(field->name())) {
      AddKey(field->name(), value);
    }
  }

  void AddLa(const std::string& value) {
    if (IsKeyValue(value)) AddUnique(value, &keys_->las);
  }
  void AddKey(const std::string& field, const std::string& value) {
    if (IsKeyValue(value)) AddUnique(absl::StrCat(field, "=", value), &keys_->record_keys);
  }

  RequestKeys* keys_;
};

}  // namespace

bool IsKeyFieldName(absl::string_view name) {
  for (absl::string_view suffix :
       {"_id", "_ids", "_reference", "reference", "_code", "_codes", "_urn"}) {
    if (absl::EndsWith(name, suffix)) return true;
  }
  // Exact names only where a suffix would also match personal data (phone_number, ...).
  return name == "urn" || name == "swe_number";
}

RequestKeys ExtractRequestKeys(const Message& request) {
  RequestKeys keys;
  Collector(&keys).Scan(request, 0);
  return keys;
}

}  // namespace slihub::audit
