#include "common/server/method_table.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub {

absl::Status CheckMethodTable(const google::protobuf::ServiceDescriptor& service,
                              const std::vector<const MethodSpec*>& table) {
  std::map<std::string, int> rows;
  for (const MethodSpec* spec : table) ++rows[spec->name];
  std::vector<std::string> problems;
  for (int i = 0; i < service.method_count(); ++i) {
    const std::string name = MethodName(service.full_name(), service.method(i)->name());
    auto it = rows.find(name);
    if (it == rows.end()) {
      problems.push_back(absl::StrCat(name, " has no row"));
      continue;
    }
    if (it->second > 1) problems.push_back(absl::StrCat(name, " has ", it->second, " rows"));
    rows.erase(it);
  }
  for (const auto& [name, count] : rows) {
    problems.push_back(absl::StrCat(name, " is not an RPC of ", service.full_name()));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("method table of ", service.full_name(), ": ", absl::StrJoin(problems, "; ")));
}

}  // namespace slihub
