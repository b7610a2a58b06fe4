// PlacementStore's sufficiency inputs: the register's stock, open referrals, top matches and
// placements.
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
#include "services/placement/store/placement_store.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

using sql::FromMicros;
using sql::Micros;
using store::Int;
using store::Null;
using store::Real;
using store::Row;
using store::Text;
using store::Transaction;

}  // namespace

absl::Status PlacementStore::RecordTopMatch(Transaction& tx, const std::string& referral_id,
                                            const std::string& la_code,
                                            const std::string& vacancy_id,
                                            std::optional<double> distance_miles,
                                            absl::Time now) const {
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO referral_top_matches(referral_id, la_code, vacancy_id, distance_miles, "
      "matched_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(referral_id) DO UPDATE SET "
      "la_code = excluded.la_code, vacancy_id = excluded.vacancy_id, "
      "distance_miles = excluded.distance_miles, matched_at = excluded.matched_at",
      {Text(referral_id), Text(la_code), Text(vacancy_id),
       distance_miles.has_value() ? Real(*distance_miles) : Null(), Int(Micros(now))});
  return n.status();
}

absl::StatusOr<SufficiencyData> PlacementStore::LoadSufficiencyData(
    Transaction& tx, absl::Time period_start, absl::Time period_end, absl::Time now,
    absl::Duration stale_after) const {
  SufficiencyData out;
  // Referrals of this hub carry its prefix; the references other regions' hubs hold beds under
  // (EnsurePeerReferral) are theirs to count, never this region's (nor their LAs' here: only the
  // reference and a hold's confirmation are known, not the child or when it was referred).
  const std::string own = region_ + "-";
  absl::StatusOr<store::ResultSet> stock = tx.Query(
      "SELECT s.host_la, s.region, s.placement_type, s.ofsted_grade, v.beds - v.beds_held AS "
      "free, "
      "v.last_confirmed_at FROM vacancies v JOIN settings s ON s.setting_id = v.setting_id "
      "WHERE v.state = 1");
  if (!stock.ok()) return stock.status();
  for (const Row& r : *stock) {
    out.stock.push_back(VacancyStock{
        r.GetText("host_la"), r.GetText("region"),
        static_cast<PlacementType>(r.GetInt64("placement_type")),
        static_cast<OfstedGrade>(r.GetInt64("ofsted_grade")), static_cast<int>(r.GetInt64("free")),
        now - FromMicros(r.GetInt64("last_confirmed_at")) > stale_after});
  }
  absl::StatusOr<store::ResultSet> open = tx.Query(
      "SELECT la_code, count(*) AS n FROM referrals WHERE created_at < $1 "
      "AND (state = 1 OR updated_at >= $1) AND substr(referral_id, 1, length($2)) = $2 "
      "GROUP BY la_code",
      {Int(Micros(period_end)), Text(own)});
  if (!open.ok()) return open.status();
  for (const Row& r : *open)
    out.open_referrals_by_la[r.GetText("la_code")] = static_cast<int>(r.GetInt64("n"));
  absl::StatusOr<store::ResultSet> placed = tx.Query(
      "SELECT p.la_code, p.distance_miles, p.confirm_time, r.created_at FROM placements p "
      "JOIN referrals r ON r.referral_id = p.referral_id "
      "WHERE p.confirm_time >= $1 AND p.confirm_time < $2 "
      "AND substr(r.referral_id, 1, length($3)) = $3",
      {Int(Micros(period_start)), Int(Micros(period_end)), Text(own)});
  if (!placed.ok()) return placed.status();
  for (const Row& r : *placed) {
    PlacementFlow f;
    f.la_code = r.GetText("la_code");
    if (!r.IsNull("distance_miles")) f.distance_miles = r.GetDouble("distance_miles");
    f.time_to_confirmation =
        FromMicros(r.GetInt64("confirm_time")) - FromMicros(r.GetInt64("created_at"));
    out.placements.push_back(std::move(f));
  }
  // Placements this hub's referrals found in other regions' settings, confirmed at their owners.
  absl::StatusOr<store::ResultSet> elsewhere = tx.Query(
      "SELECT p.la_code, p.distance_miles, p.confirm_time, r.created_at FROM peer_holds p "
      "JOIN referrals r ON r.referral_id = p.referral_id "
      "WHERE p.state = 2 AND p.confirm_time >= $1 AND p.confirm_time < $2",
      {Int(Micros(period_start)), Int(Micros(period_end))});
  if (!elsewhere.ok()) return elsewhere.status();
  for (const Row& r : *elsewhere) {
    PlacementFlow f;
    f.la_code = r.GetText("la_code");
    if (!r.IsNull("distance_miles")) f.distance_miles = r.GetDouble("distance_miles");
    f.time_to_confirmation =
        FromMicros(r.GetInt64("confirm_time")) - FromMicros(r.GetInt64("created_at"));
    f.outside_region = true;
    out.placements.push_back(std::move(f));
  }
  absl::StatusOr<store::ResultSet> top = tx.Query(
      "SELECT t.la_code, t.distance_miles FROM referral_top_matches t "
      "JOIN referrals r ON r.referral_id = t.referral_id "
      "WHERE r.created_at >= $1 AND r.created_at < $2 "
      "AND substr(r.referral_id, 1, length($3)) = $3",
      {Int(Micros(period_start)), Int(Micros(period_end)), Text(own)});
  if (!top.ok()) return top.status();
  for (const Row& r : *top) {
    TopMatchFlow m;
    m.la_code = r.GetText("la_code");
    if (!r.IsNull("distance_miles")) m.distance_miles = r.GetDouble("distance_miles");
    out.top_matches.push_back(std::move(m));
  }
  return out;
}

}  // namespace slihub::placement
