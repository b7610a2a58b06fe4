// PlacementStore's referrals.
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

using sql::Micros;
using sql::NextId;
using sql::NotFound;
using sql::Precondition;
using sql::ReadById;
using sql::Stale;
using store::Int;
using store::Row;
using store::Text;
using store::Transaction;

using rows::Conditions;
using rows::EndHold;
using rows::FindReferral;
using rows::HoldFrom;
using rows::kReferralSelect;
using rows::LaFilter;
using rows::ReadAll;
using rows::ReferralFrom;
using rows::ReferralValues;

// The referral `referral_id` as it stands, when it is at `version` and still open: NOT_FOUND,
// ABORTED (another version) or FAILED_PRECONDITION REFERRAL_NOT_OPEN otherwise.
absl::StatusOr<ReferralRecord> ReadOpenReferral(Transaction& tx, const std::string& referral_id,
                                                int64_t version) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query("SELECT * FROM referrals WHERE referral_id = $1", {Text(referral_id)});
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return NotFound("referral", referral_id);
  ReferralRecord cur = ReferralFrom((*rs)[0]);
  const std::string subject = "referral/" + referral_id;
  if (cur.version != version) return Stale(subject, version, cur.version);
  if (cur.state != kReferralOpen) {
    return Precondition("REFERRAL_NOT_OPEN", subject, "the referral is already placed or closed");
  }
  return cur;
}

}  // namespace

absl::StatusOr<ReferralRecord> PlacementStore::CreateReferral(Transaction& tx,
                                                              const ReferralRecord& draft,
                                                              const WriteContext& w) const {
  absl::StatusOr<std::string> id = NextId(tx, region_, "r");
  if (!id.ok()) return id.status();
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO referrals(referral_id, la_code, age_years, sex, needs, risks, legal_status, "
      "uasc, home_district, home_latitude, home_longitude, sibling_group_size, urgency, "
      "allowed_types, max_distance_miles, max_weekly_cost_pence, min_ofsted_grade, "
      "allow_not_judged, needed_by, solo_required, keep_siblings_together, state, version, "
      "created_at, created_by, updated_at, updated_by, request_id) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, 1, $22, "
      "$23, $22, $23, $24)",
      ReferralValues(draft, {Text(*id), Text(draft.la_code)},
                     {Int(Micros(w.now)), Text(w.subject), Text(w.request_id)}));
  if (!n.ok()) return n.status();
  auto made = FindReferral(tx, "referral_id = $1", {Text(*id)});
  if (!made.ok()) return made.status();
  return **made;
}

absl::StatusOr<ReferralRecord> PlacementStore::GetReferral(Transaction& tx,
                                                           const std::string& referral_id) const {
  return ReadById<ReferralRecord>(tx, "referral", referral_id, [&](Transaction& tx) {
    return FindReferral(tx, "referral_id = $1", {Text(referral_id)});
  });
}

absl::StatusOr<ReferralRecord> PlacementStore::UpdateReferral(Transaction& tx,
                                                              const std::string& referral_id,
                                                              int64_t version,
                                                              const ReferralRecord& next,
                                                              const WriteContext& w) const {
  absl::StatusOr<ReferralRecord> open = ReadOpenReferral(tx, referral_id, version);
  if (!open.ok()) return open.status();
  const ReferralRecord& cur = *open;
  const std::string subject = "referral/" + referral_id;
  absl::StatusOr<int64_t> n = tx.Execute(
      "UPDATE referrals SET age_years = $1, sex = $2, needs = $3, risks = $4, "
      "legal_status = $5, uasc = $6, home_district = $7, home_latitude = $8, "
      "home_longitude = $9, sibling_group_size = $10, urgency = $11, allowed_types = $12, "
      "max_distance_miles = $13, max_weekly_cost_pence = $14, min_ofsted_grade = $15, "
      "allow_not_judged = $16, needed_by = $17, solo_required = $18, "
      "keep_siblings_together = $19, version = version + 1, updated_at = $20, "
      "updated_by = $21, last_request_id = $22 WHERE referral_id = $23 AND version = $24",
      ReferralValues(next, {},
                     {Int(Micros(w.now)), Text(w.subject), Text(w.request_id), Text(referral_id),
                      Int(version)}));
  if (!n.ok()) return n.status();
  if (*n != 1) return Stale(subject, version, cur.version + 1);
  auto now = FindReferral(tx, "referral_id = $1", {Text(referral_id)});
  if (!now.ok()) return now.status();
  return **now;
}

absl::StatusOr<ReferralRecord> PlacementStore::CloseReferral(Transaction& tx,
                                                             const std::string& referral_id,
                                                             int64_t version, int close_reason,
                                                             const WriteContext& w) const {
  absl::StatusOr<ReferralRecord> open = ReadOpenReferral(tx, referral_id, version);
  if (!open.ok()) return open.status();
  const ReferralRecord& cur = *open;
  const std::string subject = "referral/" + referral_id;
  absl::StatusOr<int64_t> n = tx.Execute(
      "UPDATE referrals SET state = 3, close_reason = $1, version = version + 1, "
      "updated_at = $2, updated_by = $3, last_request_id = $4 "
      "WHERE referral_id = $5 AND version = $6",
      {Int(close_reason), Int(Micros(w.now)), Text(w.subject), Text(w.request_id),
       Text(referral_id), Int(version)});
  if (!n.ok()) return n.status();
  if (*n != 1) return Stale(subject, version, cur.version + 1);
  absl::StatusOr<store::ResultSet> holds =
      tx.Query("SELECT * FROM holds WHERE referral_id = $1 AND state = 1", {Text(referral_id)});
  if (!holds.ok()) return holds.status();
  for (const Row& r : *holds) {
    absl::Status ended = EndHold(tx, HoldFrom(r), kHoldReleased, "referral closed", w);
    if (!ended.ok()) return ended;
  }
  auto now = FindReferral(tx, "referral_id = $1", {Text(referral_id)});
  if (!now.ok()) return now.status();
  return **now;
}

absl::StatusOr<std::vector<ReferralRecord>> PlacementStore::ListReferrals(
    Transaction& tx, const RecordQuery& q) const {
  Conditions c;
  LaFilter(q, "la_code", &c);
  if (q.state != 0) c.Add("state = $?", Int(q.state));
  c.Before("created_at", "referral_id", q.before);
  const std::string sql =
      absl::StrCat(kReferralSelect, c.Tail("created_at", "referral_id", q.limit));
  return ReadAll<ReferralRecord>(tx, sql, c.params(), ReferralFrom);
}

}  // namespace slihub::placement
