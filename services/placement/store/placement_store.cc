// The repository's construction and its rule parameters.
#include "services/placement/store/placement_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"
#include "services/placement/domain/holds.h"
#include "services/placement/domain/matching.h"
#include "services/placement/store/placement_rows.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

using store::Row;
using store::Transaction;

}  // namespace

PlacementStore::PlacementStore(std::string hub_region) : region_(std::move(hub_region)) {}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PlacementStore::LoadRuleParameters(
    Transaction& tx) const {
  std::vector<std::pair<std::string, std::string>> out;
  absl::StatusOr<store::ResultSet> rs =
      tx.Query("SELECT name, value FROM rule_parameters ORDER BY name");
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.emplace_back(r.GetText("name"), r.GetText("value"));
  return out;
}

}  // namespace slihub::placement
