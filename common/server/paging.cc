#include "common/server/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace slihub {

std::string EncodePageToken(absl::string_view list_name, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat("v1|", list_name, "|", last_key));
}

std::string DecodePageToken(absl::string_view list_name, absl::string_view token,
                            const std::string& field, FieldViolations* violations) {
  if (token.empty()) return "";
  std::string raw;
  const std::string prefix = absl::StrCat("v1|", list_name, "|");
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, prefix) ||
      raw.size() == prefix.size()) {
    violations->Add(field, "is not a page token from this list; pass next_page_token as given");
    return "";
  }
  return raw.substr(prefix.size());
}

int ResolvePageSize(int requested, const std::string& field, FieldViolations* violations) {
  if (requested < 0 || requested > kMaxPageSize) {
    violations->Add(field, absl::StrCat("must be between 0 and ", kMaxPageSize));
    return kDefaultPageSize;
  }
  return requested == 0 ? kDefaultPageSize : requested;
}

}  // namespace slihub
