// Row mapping, lookups and query building that the placement repository's files share (an
// internal header of store/, not for other code).
#ifndef SLIHUB_SERVICES_PLACEMENT_STORE_PLACEMENT_ROWS_H_
#define SLIHUB_SERVICES_PLACEMENT_STORE_PLACEMENT_ROWS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement::rows {

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

// When the provider says it confirmed `f`: its stated last_confirmed_at, or the write's time.
absl::Time ConfirmedAt(const VacancyFacts& f, const WriteContext& w);

std::string JoinInts(const std::vector<int>& v);

std::vector<int> SplitInts(const std::string& s);

bool IsResidential(PlacementType t);

ProviderRecord ProviderFrom(const Row& r);

absl::StatusOr<std::optional<ProviderRecord>> FindProvider(Transaction& tx, const std::string& sql,
                                                           absl::Span<const Value> params);

inline constexpr char kSettingColumns[] =
    "s.setting_id, s.provider_id, s.ofsted_urn, s.name, s.placement_type, s.ofsted_grade, "
    "s.ofsted_grade_date, s.registered_needs, s.age_min, s.age_max, s.sex_accepted, "
    "s.postcode_district, s.latitude, s.longitude, s.host_la, s.region, s.registered_places, "
    "s.active, s.version AS setting_version";

SettingFacts SettingFactsFrom(const Row& r);

// `before`, then the setting's columns ofsted_urn .. active (table order), then `after`.
std::vector<Value> SettingValues(const SettingRecord& s, std::vector<Value> before,
                                 std::vector<Value> after);

SettingRecord SettingFrom(const Row& r);

absl::StatusOr<std::optional<SettingRecord>> FindSetting(Transaction& tx, const std::string& where,
                                                         absl::Span<const Value> params);

// AlreadyExists when `f` is residential and another residential setting (not `except_id`) has
// its URN.
absl::Status CheckUrnFree(Transaction& tx, const SettingFacts& f, const std::string& except_id);

inline constexpr char kVacancySelect[] =
    "SELECT v.vacancy_id, v.setting_id, v.record_id, v.beds, v.beds_held, v.available_from, "
    "v.weekly_cost_pence, v.occupancy, v.sibling_capacity, v.last_confirmed_at, v.state, "
    "v.version, v.created_at, v.created_by, v.updated_at, v.updated_by, v.request_id, "
    "v.last_request_id, s.region AS v_region, s.host_la AS v_host_la FROM vacancies v "
    "JOIN settings s ON s.setting_id = v.setting_id ";

VacancyFacts VacancyFactsFrom(const Row& r);

VacancyRecord VacancyFrom(const Row& r);

absl::StatusOr<std::optional<std::pair<VacancyRecord, std::string>>> FindVacancy(
    Transaction& tx, const std::string& vacancy_id);

absl::StatusOr<VacancyRecord> MustVacancy(Transaction& tx, const std::string& vacancy_id);

inline constexpr char kReferralSelect[] = "SELECT * FROM referrals ";

std::vector<PlacementType> TypesFrom(const std::string& text);

std::string TypesText(const std::vector<PlacementType>& types);

// `before`, then r's profile and constraint columns (age_years .. keep_siblings_together, in
// table order), then `after`: the parameters of the referral INSERT and UPDATE.
std::vector<Value> ReferralValues(const ReferralRecord& r, std::vector<Value> before,
                                  std::vector<Value> after);

ReferralRecord ReferralFrom(const Row& r);

absl::StatusOr<std::optional<ReferralRecord>> FindReferral(Transaction& tx,
                                                           const std::string& where,
                                                           absl::Span<const Value> params);

HoldRecord HoldFrom(const Row& r);

absl::StatusOr<std::optional<std::pair<HoldRecord, std::string>>> FindHold(
    Transaction& tx, const std::string& where, absl::Span<const Value> params);

PlacementRecord PlacementFrom(const Row& r);

absl::StatusOr<std::optional<PlacementRecord>> FindPlacementForHold(Transaction& tx,
                                                                    const std::string& hold_id);

// Marks one active hold as ended (state) and returns its bed to the vacancy.
absl::Status EndHold(Transaction& tx, const HoldRecord& hold, int state, const std::string& reason,
                     const WriteContext& w);

// A WHERE clause built from optional filters, with its parameters numbered in order.
class Conditions {
 public:
  // Adds `sql` with "$?" standing for the next parameter, bound to `value`.
  void Add(const std::string& sql, Value value) {
    params_.push_back(std::move(value));
    conds_.push_back(absl::StrReplaceAll(sql, {{"$?", absl::StrCat("$", params_.size())}}));
  }
  // Adds "<column> IN (...)" over `values` (an empty list matches nothing).
  void In(const std::string& column, const std::vector<std::string>& values) {
    std::vector<std::string> marks;
    for (const std::string& v : values) {
      params_.push_back(Text(v));
      marks.push_back(absl::StrCat("$", params_.size()));
    }
    conds_.push_back(
        values.empty() ? "0" : absl::StrCat(column, " IN (", absl::StrJoin(marks, ", "), ")"));
  }
  // Adds the keyset condition "(time, id) < before" for newest-first pages.
  void Before(const std::string& time_col, const std::string& id_col,
              const std::optional<std::pair<int64_t, std::string>>& before) {
    if (!before.has_value()) return;
    params_.push_back(Int(before->first));
    const std::string t = absl::StrCat("$", params_.size());
    params_.push_back(Text(before->second));
    conds_.push_back(absl::StrCat("(", time_col, " < ", t, " OR (", time_col, " = ", t, " AND ",
                                  id_col, " < $", params_.size(), "))"));
  }
  // " WHERE ... ORDER BY time DESC, id DESC LIMIT n".
  std::string Tail(const std::string& time_col, const std::string& id_col, int limit) {
    params_.push_back(Int(limit));
    return absl::StrCat(conds_.empty() ? "" : " WHERE ", absl::StrJoin(conds_, " AND "),
                        " ORDER BY ", time_col, " DESC, ", id_col, " DESC LIMIT $", params_.size());
  }
  const std::vector<Value>& params() const { return params_; }
  // " WHERE ..." (empty without conditions).
  std::string Where() const {
    return conds_.empty() ? "" : absl::StrCat(" WHERE ", absl::StrJoin(conds_, " AND "));
  }
  // Adds a condition whose placeholders were bound with Bind.
  void Raw(std::string sql) { conds_.push_back(std::move(sql)); }
  // Binds `value` as the next parameter and returns its placeholder.
  std::string Bind(Value value) {
    params_.push_back(std::move(value));
    return absl::StrCat("$", params_.size());
  }

 private:
  std::vector<std::string> conds_;
  std::vector<Value> params_;
};

// Runs `sql` with `params` in `tx` and converts each row with `from`.
template <typename Record, typename From>
absl::StatusOr<std::vector<Record>> ReadAll(Transaction& tx, const std::string& sql,
                                            const std::vector<Value>& params, From from) {
  std::vector<Record> out;
  absl::StatusOr<store::ResultSet> rs = tx.Query(sql, params);
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.push_back(from(r));
  return out;
}

// The placing-LA filter of `q` on `column`.
void LaFilter(const RecordQuery& q, const std::string& column, Conditions* c);

// The provider scope of `q`: vacancies whose settings belong to its providers.
void ProviderFilter(const RecordQuery& q, const std::string& vacancy_column, Conditions* c);

}  // namespace slihub::placement::rows

#endif  // SLIHUB_SERVICES_PLACEMENT_STORE_PLACEMENT_ROWS_H_
