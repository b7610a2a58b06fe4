// PlacementStore's record of holds and placements other regions' hubs made for this hub's
// referrals (the peer_holds table).
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "services/placement/store/placement_rows.h"
#include "services/placement/store/placement_store.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

using sql::DayFrom;
using sql::DayText;
using sql::FromMicros;
using sql::Micros;
using sql::NotFound;
using store::Int;
using store::Null;
using store::Real;
using store::Row;
using store::Text;
using store::Transaction;

using rows::EndHold;
using rows::FindReferral;
using rows::HoldFrom;

PeerHoldRecord PeerHoldFrom(const Row& r) {
  PeerHoldRecord h;
  h.hold_id = r.GetText("hold_id");
  h.region = r.GetText("region");
  h.referral_id = r.GetText("referral_id");
  h.la_code = r.GetText("la_code");
  h.vacancy_id = r.GetText("vacancy_id");
  h.state = static_cast<int>(r.GetInt64("state"));
  h.version = r.GetInt64("version");
  h.placement_id = r.GetText("placement_id");
  if (!r.GetText("start_date").empty()) h.start_date = DayFrom(r.GetText("start_date"));
  h.weekly_cost_pence = r.GetInt64("weekly_cost_pence");
  if (!r.IsNull("distance_miles")) h.distance_miles = r.GetDouble("distance_miles");
  if (!r.IsNull("confirm_time")) h.confirm_time = FromMicros(r.GetInt64("confirm_time"));
  h.reason = r.GetText("reason");
  return h;
}

}  // namespace

absl::Status PlacementStore::RecordPeerHold(Transaction& tx, const PeerHoldRecord& h,
                                            absl::Time now) const {
  auto referral = FindReferral(tx, "referral_id = $1", {Text(h.referral_id)});
  if (!referral.ok()) return referral.status();
  if (!referral->has_value()) return NotFound("referral", h.referral_id);
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO peer_holds(hold_id, region, referral_id, la_code, vacancy_id, state, version, "
      "placement_id, start_date, weekly_cost_pence, distance_miles, confirm_time, reason, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $14) ON CONFLICT(hold_id) DO UPDATE SET state = excluded.state, "
      "version = excluded.version, placement_id = excluded.placement_id, "
      "start_date = excluded.start_date, weekly_cost_pence = excluded.weekly_cost_pence, "
      "distance_miles = excluded.distance_miles, confirm_time = excluded.confirm_time, "
      "reason = excluded.reason, updated_at = excluded.updated_at "
      "WHERE excluded.version >= peer_holds.version",
      {Text(h.hold_id), Text(h.region), Text(h.referral_id), Text(h.la_code), Text(h.vacancy_id),
       Int(h.state), Int(h.version), Text(h.placement_id),
       Text(h.start_date.has_value() ? DayText(*h.start_date) : ""), Int(h.weekly_cost_pence),
       h.distance_miles.has_value() ? Real(*h.distance_miles) : Null(),
       h.confirm_time.has_value() ? Int(Micros(*h.confirm_time)) : Null(), Text(h.reason),
       Int(Micros(now))});
  return n.status();
}

absl::StatusOr<std::optional<PeerHoldRecord>> PlacementStore::FindPeerHold(
    Transaction& tx, const std::string& hold_id) const {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query("SELECT * FROM peer_holds WHERE hold_id = $1", {Text(hold_id)});
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<PeerHoldRecord>();
  return std::optional<PeerHoldRecord>(PeerHoldFrom((*rs)[0]));
}

absl::StatusOr<std::vector<PeerHoldRecord>> PlacementStore::ActivePeerHolds(
    Transaction& tx, const std::string& referral_id) const {
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      "SELECT * FROM peer_holds WHERE referral_id = $1 AND state = 1 ORDER BY hold_id",
      {Text(referral_id)});
  if (!rs.ok()) return rs.status();
  std::vector<PeerHoldRecord> out;
  for (const Row& r : *rs) out.push_back(PeerHoldFrom(r));
  return out;
}

absl::Status PlacementStore::RecordPeerPlacement(Transaction& tx, const PeerHoldRecord& placed,
                                                 const WriteContext& w) const {
  if (absl::Status recorded = RecordPeerHold(tx, placed, w.now); !recorded.ok()) return recorded;
  absl::StatusOr<int64_t> n = tx.Execute(
      "UPDATE referrals SET state = 2, placement_id = $1, version = version + 1, "
      "updated_at = $2, updated_by = $3 WHERE referral_id = $4 AND state = 1",
      {Text(placed.placement_id), Int(Micros(w.now)), Text(w.subject), Text(placed.referral_id)});
  if (!n.ok()) return n.status();
  if (*n == 0) return absl::OkStatus();  // already placed (a replay) or closed meanwhile
  // The child is placed: the referral's holds on this hub's beds go back.
  absl::StatusOr<store::ResultSet> holds = tx.Query(
      "SELECT * FROM holds WHERE referral_id = $1 AND state = 1", {Text(placed.referral_id)});
  if (!holds.ok()) return holds.status();
  for (const Row& r : *holds) {
    absl::Status ended = EndHold(tx, HoldFrom(r), kHoldReleased, "referral placed elsewhere", w);
    if (!ended.ok()) return ended;
  }
  return absl::OkStatus();
}

}  // namespace slihub::placement
