#include "services/placement/store/uasc_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/placement/store/sql_helpers.h"

namespace slihub::placement {
namespace {

using sql::AuditFrom;
using sql::DayFrom;
using sql::DayText;
using sql::FromMicros;
using sql::Micros;
using store::Int;
using store::Row;
using store::Text;
using store::Transaction;
using store::Value;

UascThresholdRecord RuleFrom(const Row& r) {
  UascThresholdRecord out;
  out.rule.version = r.GetInt64("version");
  out.rule.effective_from = DayFrom(r.GetText("effective_from"));
  out.rule.rate_per_100000 = static_cast<int>(r.GetInt64("rate_per_100000"));
  out.audit.create_time = FromMicros(r.GetInt64("created_at"));
  out.audit.created_by = r.GetText("created_by");
  out.audit.update_time = out.audit.create_time;
  out.audit.updated_by = out.audit.created_by;
  out.audit.request_id = r.GetText("request_id");
  return out;
}

UascPopulationRecord PopulationFrom(const Row& r) {
  UascPopulationRecord out;
  out.figures.la_code = r.GetText("la_code");
  out.figures.as_of = DayFrom(r.GetText("as_of"));
  out.figures.under18_population = r.GetInt64("under18_population");
  out.figures.uasc_count = r.GetInt64("uasc_count");
  out.audit = AuditFrom(r);
  return out;
}

UascTransferRecord TransferFrom(const Row& r) {
  UascTransferRecord t;
  t.transfer_id = r.GetText("transfer_id");
  t.record_id = r.GetText("record_id");
  t.referring_la = r.GetText("referring_la");
  t.receiving_la = r.GetText("receiving_la");
  t.referred_on = DayFrom(r.GetText("referred_on"));
  t.from_hotel = r.GetInt64("from_hotel") != 0;
  t.deadline = DayFrom(r.GetText("deadline"));
  t.state = static_cast<int>(r.GetInt64("state"));
  if (!r.GetText("transferred_on").empty()) t.transferred_on = DayFrom(r.GetText("transferred_on"));
  t.cancel_reason = r.GetText("cancel_reason");
  if (!r.IsNull("cancel_time")) t.cancel_time = FromMicros(r.GetInt64("cancel_time"));
  t.version = r.GetInt64("version");
  t.audit = AuditFrom(r);
  return t;
}

absl::StatusOr<std::optional<UascTransferRecord>> FindTransfer(Transaction& tx,
                                                               const std::string& where,
                                                               absl::Span<const Value> params) {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query(absl::StrCat("SELECT * FROM uasc_transfers WHERE ", where), params);
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return std::optional<UascTransferRecord>();
  return std::optional<UascTransferRecord>(TransferFrom((*rs)[0]));
}

bool SameTransfer(const UascTransferRecord& a, const UascTransferRecord& b) {
  return a.receiving_la == b.receiving_la && a.referred_on == b.referred_on &&
         a.from_hotel == b.from_hotel;
}

// "$first, $first+1, ..." for `n` placeholders.
std::string Placeholders(int first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", "$", first + static_cast<int>(i));
  }
  return out;
}

}  // namespace

UascStore::UascStore(std::string hub_region) : region_(std::move(hub_region)) {}

absl::StatusOr<UascThresholdRecord> UascStore::PublishThresholdRule(Transaction& tx,
                                                                    const UascThreshold& draft,
                                                                    const WriteContext& w) const {
  absl::StatusOr<store::ResultSet> clash =
      tx.Query("SELECT version FROM uasc_threshold_rules WHERE effective_from = $1",
               {Text(DayText(draft.effective_from))});
  if (!clash.ok()) return clash.status();
  if (!clash->empty()) {
    return absl::AlreadyExistsError(
        absl::StrCat("a threshold rule from ", DayText(draft.effective_from),
                     " already exists (version ", (*clash)[0].GetInt64(0), ")"));
  }
  absl::StatusOr<store::ResultSet> made = tx.Query(
      "INSERT INTO uasc_threshold_rules(version, effective_from, rate_per_100000, created_at, "
      "created_by, request_id) SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5 "
      "FROM uasc_threshold_rules RETURNING *",
      {Text(DayText(draft.effective_from)), Int(draft.rate_per_100000), Int(Micros(w.now)),
       Text(w.subject), Text(w.request_id)});
  if (!made.ok()) return made.status();
  return RuleFrom((*made)[0]);
}

absl::StatusOr<std::vector<UascThresholdRecord>> UascStore::ListThresholdRules(
    Transaction& tx, const std::string& after_day, int limit) const {
  std::vector<UascThresholdRecord> out;
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      "SELECT * FROM uasc_threshold_rules WHERE effective_from > $1 ORDER BY effective_from "
      "LIMIT $2",
      {Text(after_day), Int(limit)});
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.push_back(RuleFrom(r));
  return out;
}

absl::StatusOr<UascPopulationRecord> UascStore::SubmitPopulation(Transaction& tx,
                                                                 const UascFigures& figures,
                                                                 const WriteContext& w) const {
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      "INSERT INTO uasc_populations(la_code, as_of, under18_population, uasc_count, created_at, "
      "created_by, updated_at, updated_by, request_id) VALUES ($1, $2, $3, $4, $5, $6, $5, $6, "
      "$7) "
      "ON CONFLICT(la_code, as_of) DO UPDATE SET under18_population = "
      "excluded.under18_population, "
      "uasc_count = excluded.uasc_count, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by, request_id = excluded.request_id RETURNING *",
      {Text(figures.la_code), Text(DayText(figures.as_of)), Int(figures.under18_population),
       Int(figures.uasc_count), Int(Micros(w.now)), Text(w.subject), Text(w.request_id)});
  if (!rs.ok()) return rs.status();
  return PopulationFrom((*rs)[0]);
}

absl::StatusOr<UascInputs> UascStore::LoadInputs(Transaction& tx,
                                                 const std::vector<std::string>& la_codes,
                                                 absl::CivilDay as_of) const {
  UascInputs out;
  absl::StatusOr<store::ResultSet> rules = tx.Query("SELECT * FROM uasc_threshold_rules");
  if (!rules.ok()) return rules.status();
  for (const Row& r : *rules) out.rules.push_back(RuleFrom(r).rule);
  if (la_codes.empty()) return out;
  std::vector<Value> params = {Text(DayText(as_of))};
  for (const std::string& la : la_codes) params.push_back(Text(la));
  absl::StatusOr<store::ResultSet> rs =
      tx.Query(absl::StrCat("SELECT p.* FROM uasc_populations p WHERE p.la_code IN (",
                            Placeholders(2, la_codes.size()),
                            ") AND p.as_of = (SELECT max(q.as_of) FROM uasc_populations q "
                            "WHERE q.la_code = p.la_code AND q.as_of <= $1)"),
               params);
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) {
    UascPopulationRecord p = PopulationFrom(r);
    out.latest[p.figures.la_code] = std::move(p);
  }
  return out;
}

absl::StatusOr<std::vector<absl::CivilDay>> UascStore::BankHolidays(Transaction& tx) const {
  std::vector<absl::CivilDay> out;
  absl::StatusOr<store::ResultSet> rs = tx.Query("SELECT day FROM bank_holidays ORDER BY day");
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.push_back(DayFrom(r.GetText("day")));
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<UascTransferRecord> UascStore::RecordTransfer(Transaction& tx,
                                                             const UascTransferRecord& draft,
                                                             const WriteContext& w) const {
  UascTransferRecord out;
  auto prior = FindTransfer(tx, "referring_la = $1 AND record_id = $2",
                            {Text(draft.referring_la), Text(draft.record_id)});
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) {
    if (!SameTransfer(**prior, draft)) {
      return absl::AlreadyExistsError(
          absl::StrCat("record_id ", draft.record_id, " is already used by transfer ",
                       (*prior)->transfer_id, " with different content"));
    }
    out = **prior;
    return out;
  }
  absl::StatusOr<std::string> id = sql::NextId(tx, region_, "t");
  if (!id.ok()) return id.status();
  absl::StatusOr<int64_t> n = tx.Execute(
      "INSERT INTO uasc_transfers(transfer_id, record_id, referring_la, receiving_la, "
      "referred_on, from_hotel, deadline, state, version, created_at, created_by, updated_at, "
      "updated_by, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1, $8, $9, $8, $9, $10)",
      {Text(*id), Text(draft.record_id), Text(draft.referring_la), Text(draft.receiving_la),
       Text(DayText(draft.referred_on)), Int(draft.from_hotel ? 1 : 0),
       Text(DayText(draft.deadline)), Int(Micros(w.now)), Text(w.subject), Text(w.request_id)});
  if (!n.ok()) return n.status();
  auto made = FindTransfer(tx, "transfer_id = $1", {Text(*id)});
  if (!made.ok()) return made.status();
  out = **made;
  return out;
}

absl::StatusOr<UascTransferRecord> UascStore::EndTransfer(
    Transaction& tx, const std::string& transfer_id, int64_t version, int state,
    const std::string& assignments, std::vector<Value> params, const WriteContext& w) const {
  absl::StatusOr<store::ResultSet> rs =
      tx.Query("SELECT * FROM uasc_transfers WHERE transfer_id = $1", {Text(transfer_id)});
  if (!rs.ok()) return rs.status();
  if (rs->empty()) return sql::NotFound("transfer", transfer_id);
  const UascTransferRecord cur = TransferFrom((*rs)[0]);
  const std::string subject = "uasc-transfer/" + transfer_id;
  if (cur.version != version) return sql::Stale(subject, version, cur.version);
  if (cur.state != kTransferPending) {
    return sql::Precondition("TRANSFER_NOT_PENDING", subject,
                             "the transfer is already completed or cancelled");
  }
  std::vector<Value> all = {Int(state), Int(Micros(w.now)), Text(w.subject), Text(w.request_id),
                            Text(transfer_id)};
  for (Value& v : params) all.push_back(std::move(v));
  all.push_back(Int(version));
  absl::StatusOr<int64_t> n =
      tx.Execute(absl::StrCat("UPDATE uasc_transfers SET state = $1, ", assignments,
                              ", version = version + 1, updated_at = $2, updated_by = $3, "
                              "last_request_id = $4 WHERE transfer_id = $5 AND version = $",
                              all.size()),
                 all);
  if (!n.ok()) return n.status();
  if (*n != 1) return sql::Stale(subject, version, cur.version + 1);
  auto now = FindTransfer(tx, "transfer_id = $1", {Text(transfer_id)});
  if (!now.ok()) return now.status();
  return **now;
}

absl::StatusOr<UascTransferRecord> UascStore::CompleteTransfer(Transaction& tx,
                                                               const std::string& transfer_id,
                                                               int64_t version,
                                                               absl::CivilDay transferred_on,
                                                               const WriteContext& w) const {
  return EndTransfer(tx, transfer_id, version, kTransferCompleted, "transferred_on = $6",
                     {Text(DayText(transferred_on))}, w);
}

absl::StatusOr<UascTransferRecord> UascStore::CancelTransfer(Transaction& tx,
                                                             const std::string& transfer_id,
                                                             int64_t version,
                                                             const std::string& reason,
                                                             const WriteContext& w) const {
  return EndTransfer(tx, transfer_id, version, kTransferCancelled,
                     "cancel_reason = $6, cancel_time = $2", {Text(reason)}, w);
}

absl::StatusOr<UascTransferRecord> UascStore::GetTransfer(Transaction& tx,
                                                          const std::string& transfer_id) const {
  return sql::ReadById<UascTransferRecord>(tx, "transfer", transfer_id, [&](Transaction& tx) {
    return FindTransfer(tx, "transfer_id = $1", {Text(transfer_id)});
  });
}

absl::StatusOr<std::optional<UascTransferRecord>> UascStore::GetTransferByRecord(
    Transaction& tx, const std::string& referring_la, const std::string& record_id) const {
  std::optional<UascTransferRecord> out;
  auto found = FindTransfer(tx, "referring_la = $1 AND record_id = $2",
                            {Text(referring_la), Text(record_id)});
  if (!found.ok()) return found.status();
  out = *std::move(found);
  return out;
}

absl::StatusOr<std::vector<UascTransferRecord>> UascStore::ListTransfers(
    Transaction& tx, const UascTransferQuery& q) const {
  std::vector<Value> params = {Text(q.after_deadline), Text(q.after_id)};
  std::string where = "(deadline > $1 OR (deadline = $1 AND transfer_id > $2))";
  if (!q.la_codes.empty()) {
    const std::string list = Placeholders(static_cast<int>(params.size()) + 1, q.la_codes.size());
    absl::StrAppend(&where, " AND (referring_la IN (", list, ") OR receiving_la IN (", list, "))");
    for (const std::string& la : q.la_codes) params.push_back(Text(la));
  }
  if (q.state != 0) {
    params.push_back(Int(q.state));
    absl::StrAppend(&where, " AND state = $", params.size());
  }
  if (q.overdue_on.has_value()) {
    params.push_back(Text(DayText(*q.overdue_on)));
    absl::StrAppend(&where, " AND ((state = 1 AND deadline < $", params.size(),
                    ") OR (state = 2 AND transferred_on > deadline))");
  }
  params.push_back(Int(q.limit));
  const std::string query = absl::StrCat("SELECT * FROM uasc_transfers WHERE ", where,
                                         " ORDER BY deadline, transfer_id LIMIT $", params.size());
  std::vector<UascTransferRecord> out;
  absl::StatusOr<store::ResultSet> rs = tx.Query(query, params);
  if (!rs.ok()) return rs.status();
  for (const Row& r : *rs) out.push_back(TransferFrom(r));
  return out;
}

}  // namespace slihub::placement
