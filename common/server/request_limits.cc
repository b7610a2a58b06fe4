#include "common/server/request_limits.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace slihub {

bool CheckCount(int count, int max, absl::string_view field, FieldViolations* v) {
  if (count <= max) return true;
  v->Add(std::string(field), absl::StrCat("must hold at most ", max, " items, not ", count));
  return false;
}

}  // namespace slihub
