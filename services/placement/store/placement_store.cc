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

using sql::AuditFrom;
using sql::DayFrom;
using sql::DayText;
using sql::FromMicros;
using sql::Micros;
using sql::NextId;
using sql::NotFound;
using sql::Precondition;
using sql::ReadById;
using sql::Stale;
using store::Int;
using store::Null;
using store::Real;
using store::Row;
using store::Text;
using store::Transaction;
using store::TxMode;
using store::Value;

using rows::CheckUrnFree;
using rows::Conditions;
using rows::ConfirmedAt;
using rows::EndHold;
using rows::FindHold;
using rows::FindPlacementForHold;
using rows::FindProvider;
using rows::FindReferral;
using rows::FindSetting;
using rows::FindVacancy;
using rows::HoldFrom;
using rows::IsResidential;
using rows::JoinInts;
using rows::kReferralSelect;
using rows::kSettingColumns;
using rows::kVacancySelect;
using rows::LaFilter;
using rows::MustVacancy;
using rows::PlacementFrom;
using rows::ProviderFilter;
using rows::ProviderFrom;
using rows::ReadAll;
using rows::ReferralFrom;
using rows::ReferralValues;
using rows::SettingFactsFrom;
using rows::SettingFrom;
using rows::SettingValues;
using rows::SplitInts;
using rows::TypesFrom;
using rows::TypesText;
using rows::VacancyFactsFrom;
using rows::VacancyFrom;

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
