#include "services/workforce/store/workforce_store.h"

#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/civil_date.h"
#include "services/workforce/store/worker_history_codec.h"

namespace slihub::workforce {
namespace {

using store::Int;
using store::Null;
using store::Text;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

// Comma-separated enum numbers ("2,3,6").
template <typename E>
std::string JoinEnums(const std::vector<E>& values) {
  std::vector<int> ints;
  for (E v : values) ints.push_back(static_cast<int>(v));
  return absl::StrJoin(ints, ",");
}

template <typename E>
std::vector<E> SplitEnums(const std::string& text) {
  std::vector<E> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int v = 0;
    if (absl::SimpleAtoi(part, &v)) out.push_back(static_cast<E>(v));
  }
  return out;
}

absl::CivilDay DayFromText(const std::string& text) {
  absl::StatusOr<absl::CivilDay> day = ParseCivilDate(text);
  return day.ok() ? *day : absl::CivilDay();
}

// The employment period columns the rules read, in the order PeriodFromRow reads them.
constexpr char kPeriodColumns[] =
    "record_id, swe_number, la_code, region, employment_type, job_type, local_job_title, "
    "start_date, end_date, leaving_reason, child_and_family, asye";

// "SELECT <the period columns>[, version and audit columns] FROM employment_periods WHERE
// <where>", built once per call site.
std::string SelectPeriods(bool with_audit, const char* where) {
  return absl::StrCat("SELECT ", kPeriodColumns,
                      with_audit ? ", version, create_time_us, created_by, update_time_us, "
                                   "updated_by, request_id"
                                 : "",
                      " FROM employment_periods WHERE ", where);
}

// A period from a row selected as kPeriodColumns (read by position: this is on
// CheckEngagement's hot path).
EmploymentPeriod PeriodFromRow(const store::Row& row) {
  EmploymentPeriod p;
  p.record_id = row.GetText(size_t{0});
  p.swe_number = row.GetText(1);
  p.la_code = row.GetText(2);
  p.region = row.GetText(3);
  p.employment_type = static_cast<EmploymentType>(row.GetInt64(4));
  p.job_type = static_cast<JobType>(row.GetInt64(5));
  p.local_job_title = row.GetText(6);
  p.start_date = DayFromText(row.GetText(7));
  if (!row.IsNull(8)) p.end_date = DayFromText(row.GetText(8));
  p.leaving_reason = static_cast<LeavingReason>(row.GetInt64(9));
  p.child_and_family = row.GetInt64(10) != 0;
  p.asye = row.GetInt64(11) != 0;
  return p;
}

StoredPeriod StoredPeriodFromRow(const store::Row& row) {
  StoredPeriod p;
  p.period = PeriodFromRow(row);
  p.version = row.GetInt64("version");
  p.audit = {FromMicros(row.GetInt64("create_time_us")), row.GetText("created_by"),
             FromMicros(row.GetInt64("update_time_us")), row.GetText("updated_by"),
             row.GetText("request_id")};
  return p;
}

RegisterCheck CheckFromRow(const store::Row& row) {
  RegisterCheck c;
  c.check_id = absl::StrCat("rc-", row.GetInt64("seq"));
  c.swe_number = row.GetText("swe_number");
  c.status = static_cast<RegisterStatus>(row.GetInt64("status"));
  const std::string& conditions = row.GetText("conditions");
  if (!conditions.empty()) c.conditions = absl::StrSplit(conditions, '\n');
  c.checked_at = FromMicros(row.GetInt64("checked_at_us"));
  c.checked_by = row.GetText("checked_by");
  c.source = static_cast<int>(row.GetInt64("source"));
  c.recorder_la = row.GetText("recorder_la");
  return c;
}

StoredRegisterCheck StoredCheckFromRow(const store::Row& row) {
  StoredRegisterCheck out;
  out.check = CheckFromRow(row);
  out.audit.create_time = out.audit.update_time = FromMicros(row.GetInt64("create_time_us"));
  out.audit.created_by = out.audit.updated_by = row.GetText("created_by");
  out.audit.request_id = row.GetText("request_id");
  return out;
}

// The sequence number inside "<prefix><n>", or 0 when `id` is not one.
int64_t SeqOf(const std::string& id, const std::string& prefix) {
  int64_t seq = 0;
  if (id.rfind(prefix, 0) != 0 || !absl::SimpleAtoi(id.substr(prefix.size()), &seq)) return 0;
  return seq;
}

std::optional<absl::CivilDay> OptionalDay(const store::Row& row, const char* column) {
  if (row.IsNull(column)) return std::nullopt;
  return DayFromText(row.GetText(column));
}

store::Value DayOrNull(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? Text(FormatCivilDate(*day)) : Null();
}

ExceptionRow ExceptionFromRow(const store::Row& r) {
  ExceptionRow out;
  out.exception_id = absl::StrCat("ex-", r.GetInt64("seq"));
  out.la_code = r.GetText("la_code");
  out.swe_number = r.GetText("swe_number");
  out.state = static_cast<int>(r.GetInt64("state"));
  out.expires_on = DayFromText(r.GetText("expires_on"));
  out.body = r.GetBlob("body");
  out.version = r.GetInt64("version");
  return out;
}

EngagementRow EngagementFromRow(const store::Row& row) {
  EngagementRow e;
  e.engagement_id = absl::StrCat("eng-", row.GetInt64("seq"));
  e.la_code = row.GetText("la_code");
  e.record_id = row.GetText("record_id");
  e.swe_number = row.GetText("swe_number");
  e.start_date = DayFromText(row.GetText("start_date"));
  e.expected_end_date = OptionalDay(row, "expected_end_date");
  e.end_date = OptionalDay(row, "end_date");
  e.reference_provided_on = OptionalDay(row, "reference_provided_on");
  e.cap_exception_id = row.GetText("cap_exception_id");
  e.verdict = static_cast<int>(row.GetInt64("verdict"));
  e.terms = row.GetBlob("terms");
  e.check = row.GetBlob("check_result");
  e.version = row.GetInt64("version");
  e.audit.create_time = FromMicros(row.GetInt64("create_time_us"));
  e.audit.created_by = row.GetText("created_by");
  e.audit.update_time = FromMicros(row.GetInt64("update_time_us"));
  e.audit.updated_by = row.GetText("updated_by");
  e.audit.request_id = row.GetText("request_id");
  return e;
}

// The sequence number inside "eng-<n>", or 0 when `id` is not one.
int64_t EngagementSeq(const std::string& id) {
  int64_t seq = 0;
  if (id.rfind("eng-", 0) != 0 || !absl::SimpleAtoi(id.substr(4), &seq)) return 0;
  return seq;
}

// The worker's periods read from employment_periods, in WorkerHistory order.
absl::StatusOr<std::vector<EmploymentPeriod>> PeriodsFromRows(store::Transaction& tx,
                                                              const std::string& swe_number) {
  static const std::string kSelectByWorker =
      SelectPeriods(false, "swe_number = $1 ORDER BY start_date, la_code, record_id");
  absl::StatusOr<store::ResultSet> rows = tx.Query(kSelectByWorker, {Text(swe_number)});
  if (!rows.ok()) return rows.status();
  std::vector<EmploymentPeriod> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) out.push_back(PeriodFromRow(row));
  return out;
}

// The worker's register checks read from register_checks, in WorkerHistory order.
absl::StatusOr<std::vector<RegisterCheck>> ChecksFromRows(store::Transaction& tx,
                                                          const std::string& swe_number) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT * FROM register_checks WHERE swe_number = $1 ORDER BY checked_at_us DESC, seq DESC",
      {Text(swe_number)});
  if (!rows.ok()) return rows.status();
  std::vector<RegisterCheck> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) out.push_back(CheckFromRow(row));
  return out;
}

absl::StatusOr<WorkerHistory> HistoryFromRows(store::Transaction& tx,
                                              const std::string& swe_number) {
  WorkerHistory out;
  absl::StatusOr<std::vector<EmploymentPeriod>> periods = PeriodsFromRows(tx, swe_number);
  if (!periods.ok()) return periods.status();
  out.periods = *std::move(periods);
  absl::StatusOr<std::vector<RegisterCheck>> checks = ChecksFromRows(tx, swe_number);
  if (!checks.ok()) return checks.status();
  out.register_checks = *std::move(checks);
  return out;
}

// The history a worker_histories blob holds; an empty blob (a worker recorded before the table
// existed) is derived from the rows instead.
absl::StatusOr<WorkerHistory> HistoryFromBlob(store::Transaction& tx, const std::string& blob,
                                              const std::string& swe_number) {
  if (blob.empty()) return HistoryFromRows(tx, swe_number);
  return DecodeWorkerHistory(blob, swe_number);
}

// Rewrites the worker's worker_histories row from the rows, after a write to them in `tx`; a
// worker with nothing recorded has no row.
absl::Status RefreshWorkerHistory(store::Transaction& tx, const std::string& swe_number) {
  tx.Notify(kWorkerHistoryChannel, swe_number);
  absl::StatusOr<WorkerHistory> history = HistoryFromRows(tx, swe_number);
  if (!history.ok()) return history.status();
  if (history->periods.empty() && history->register_checks.empty()) {
    return tx.Execute("DELETE FROM worker_histories WHERE swe_number = $1", {Text(swe_number)})
        .status();
  }
  return tx
      .Execute(
          "INSERT INTO worker_histories (swe_number, history) VALUES ($1, $2) "
          "ON CONFLICT (swe_number) DO UPDATE SET history = excluded.history",
          {Text(swe_number), store::Bytes(EncodeWorkerHistory(*history))})
      .status();
}

}  // namespace

absl::StatusOr<EngagementRow> WorkforceStore::InsertEngagement(store::Transaction& tx,
                                                               EngagementRow row,
                                                               const WriteMeta& meta) {
  absl::StatusOr<store::ResultSet> existing = tx.Query(
      "SELECT seq FROM engagements WHERE la_code = $1 AND record_id = $2",
      {Text(row.la_code), Text(row.record_id)});
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) {
    return absl::AlreadyExistsError(absl::StrCat("LA ", row.la_code,
                                                 " already has an engagement with record id ",
                                                 row.record_id));
  }
  absl::StatusOr<store::ResultSet> inserted = tx.Query(
      "INSERT INTO engagements (la_code, record_id, swe_number, start_date, expected_end_date, "
      "end_date, verdict, terms, check_result, version, create_time_us, created_by, "
      "update_time_us, updated_by, request_id, cap_exception_id) "
      "VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, 1, $9, $10, $9, $10, $11, $12) "
      "RETURNING seq",
      {Text(row.la_code), Text(row.record_id), Text(row.swe_number),
       Text(FormatCivilDate(row.start_date)), DayOrNull(row.expected_end_date), Int(row.verdict),
       store::Bytes(row.terms), store::Bytes(row.check), Int(Micros(meta.now)),
       Text(meta.principal), Text(meta.request_id), Text(row.cap_exception_id)});
  if (!inserted.ok()) return inserted.status();
  row.engagement_id = absl::StrCat("eng-", (*inserted)[0].GetInt64("seq"));
  tx.Notify(kComplianceChannel, row.la_code);
  row.version = 1;
  row.end_date.reset();
  row.reference_provided_on.reset();
  row.audit = {meta.now, meta.principal, meta.now, meta.principal, meta.request_id};
  return row;
}

absl::StatusOr<EngagementRow> WorkforceStore::UpdateEngagement(store::Transaction& tx,
                                                               EngagementRow row,
                                                               const WriteMeta& meta) {
  absl::StatusOr<int64_t> changed = tx.Execute(
      "UPDATE engagements SET start_date = $3, expected_end_date = $4, end_date = $5, "
      "reference_provided_on = $6, verdict = $7, terms = $8, check_result = $9, "
      "cap_exception_id = $10, version = version + 1, update_time_us = $11, updated_by = $12, "
      "request_id = $13 WHERE seq = $1 AND version = $2",
      {Int(EngagementSeq(row.engagement_id)), Int(row.version),
       Text(FormatCivilDate(row.start_date)), DayOrNull(row.expected_end_date),
       DayOrNull(row.end_date), DayOrNull(row.reference_provided_on), Int(row.verdict),
       store::Bytes(row.terms), store::Bytes(row.check), Text(row.cap_exception_id),
       Int(Micros(meta.now)), Text(meta.principal), Text(meta.request_id)});
  if (!changed.ok()) return changed.status();
  if (*changed == 0) {
    return absl::AbortedError(absl::StrCat("engagement ", row.engagement_id,
                                           " changed since version ", row.version));
  }
  tx.Notify(kComplianceChannel, row.la_code);
  row.version += 1;
  row.audit.update_time = meta.now;
  row.audit.updated_by = meta.principal;
  row.audit.request_id = meta.request_id;
  return row;
}

absl::StatusOr<std::optional<EngagementRow>> WorkforceStore::FindEngagement(
    store::Transaction& tx, const std::string& engagement_id) {
  const int64_t seq = EngagementSeq(engagement_id);
  if (seq <= 0) return std::optional<EngagementRow>();
  absl::StatusOr<store::ResultSet> rows =
      tx.Query("SELECT * FROM engagements WHERE seq = $1", {Int(seq)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<EngagementRow>();
  return std::optional<EngagementRow>(EngagementFromRow((*rows)[0]));
}

absl::StatusOr<std::optional<EngagementRow>> WorkforceStore::FindEngagementByRecord(
    store::Transaction& tx, const std::string& la_code, const std::string& record_id) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT * FROM engagements WHERE la_code = $1 AND record_id = $2",
      {Text(la_code), Text(record_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<EngagementRow>();
  return std::optional<EngagementRow>(EngagementFromRow((*rows)[0]));
}

std::string WorkforceStore::EngagementKey(const EngagementRow& row) {
  return absl::StrCat(FormatCivilDate(row.start_date), "/", EngagementSeq(row.engagement_id));
}

absl::StatusOr<std::vector<EngagementRow>> WorkforceStore::ListEngagements(
    store::Transaction& tx, const EngagementFilter& filter, const std::string& after, int limit,
    int64_t* total) {
  std::string where = "1 = 1";
  std::vector<store::Value> params;
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  if (!filter.la_codes.empty()) {
    std::vector<std::string> marks;
    for (const std::string& la : filter.la_codes) marks.push_back(bind(Text(la)));
    absl::StrAppend(&where, " AND la_code IN (", absl::StrJoin(marks, ", "), ")");
  }
  if (!filter.swe_number.empty()) {
    absl::StrAppend(&where, " AND swe_number = ", bind(Text(filter.swe_number)));
  }
  if (!filter.record_id.empty()) {
    absl::StrAppend(&where, " AND record_id = ", bind(Text(filter.record_id)));
  }
  if (filter.active_on.has_value()) {
    const std::string day = bind(Text(FormatCivilDate(*filter.active_on)));
    absl::StrAppend(&where, " AND start_date <= ", day, " AND (end_date IS NULL OR end_date >= ",
                    day, ")");
  }
  if (filter.active_from.has_value() && filter.active_to.has_value()) {
    absl::StrAppend(&where, " AND start_date <= ", bind(Text(FormatCivilDate(*filter.active_to))),
                    " AND (end_date IS NULL OR end_date >= ",
                    bind(Text(FormatCivilDate(*filter.active_from))), ")");
  }
  if (filter.start_from.has_value()) {
    absl::StrAppend(&where, " AND start_date >= ", bind(Text(FormatCivilDate(*filter.start_from))));
  }
  if (filter.start_to.has_value()) {
    absl::StrAppend(&where, " AND start_date <= ", bind(Text(FormatCivilDate(*filter.start_to))));
  }
  if (filter.cap_breaches_only) absl::StrAppend(&where, " AND cap_exception_id != ''");
  const std::string today = FormatCivilDate(filter.today);
  switch (filter.state) {
    case 1:
      absl::StrAppend(&where, " AND end_date IS NULL AND start_date > ", bind(Text(today)));
      break;
    case 2:
      absl::StrAppend(&where, " AND end_date IS NULL AND start_date <= ", bind(Text(today)));
      break;
    case 3:
      absl::StrAppend(&where, " AND end_date IS NOT NULL");
      break;
    default:
      break;
  }
  absl::StatusOr<store::ResultSet> counted =
      tx.Query(absl::StrCat("SELECT COUNT(*) AS n FROM engagements WHERE ", where), params);
  if (!counted.ok()) return counted.status();
  *total = (*counted)[0].GetInt64("n");
  std::string page_where = where;
  if (!after.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(after, '/');
    int64_t seq = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &seq)) {
      return absl::InvalidArgumentError("bad engagement list key");
    }
    const std::string start = bind(Text(parts[0]));
    const std::string s = bind(Int(seq));
    absl::StrAppend(&page_where, " AND (start_date > ", start, " OR (start_date = ", start,
                    " AND seq > ", s, "))");
  }
  const std::string lim = bind(Int(limit));
  absl::StatusOr<store::ResultSet> rows =
      tx.Query(absl::StrCat("SELECT * FROM engagements WHERE ", page_where,
                            " ORDER BY start_date, seq LIMIT ", lim),
               params);
  if (!rows.ok()) return rows.status();
  std::vector<EngagementRow> out;
  for (const store::Row& row : *rows) out.push_back(EngagementFromRow(row));
  return out;
}

absl::StatusOr<std::vector<StoredRuleSet>> WorkforceStore::ListRuleSets(
    store::Transaction& tx, const std::string& region) {
  absl::StatusOr<store::ResultSet> sets = tx.Query(
      "SELECT * FROM rule_sets WHERE region = $1 ORDER BY effective_from", {Text(region)});
  if (!sets.ok()) return sets.status();
  absl::StatusOr<store::ResultSet> caps = tx.Query(
      "SELECT version, job_type, engagement_model, hourly_cap_pence, uncapped FROM rule_set_caps "
      "WHERE region = $1 ORDER BY version, job_type, engagement_model",
      {Text(region)});
  if (!caps.ok()) return caps.status();
  std::vector<StoredRuleSet> out;
  out.reserve(sets->size());
  for (const store::Row& row : *sets) {
    StoredRuleSet s;
    RuleSet& r = s.rule_set;
    r.region = row.GetText("region");
    r.version = row.GetInt64("version");
    r.effective_from = DayFromText(row.GetText("effective_from"));
    r.cooling_off_months = static_cast<int>(row.GetInt64("cooling_off_months"));
    r.cooling_off_exempt_reasons =
        SplitEnums<LeavingReason>(row.GetText("cooling_off_exempt_reasons"));
    r.min_experience_months = static_cast<int>(row.GetInt64("min_experience_months"));
    r.references_required = static_cast<int>(row.GetInt64("references_required"));
    r.max_notice_weeks = static_cast<int>(row.GetInt64("max_notice_weeks"));
    r.disabled_rules = SplitEnums<Rule>(row.GetText("disabled_rules"));
    r.source = row.GetText("source");
    r.register_check_max_age_days =
        static_cast<int>(row.GetInt64("register_check_max_age_days"));
    for (const store::Row& cap : *caps) {
      if (cap.GetInt64("version") != r.version) continue;
      r.pay_caps.push_back({static_cast<JobType>(cap.GetInt64("job_type")),
                            static_cast<EngagementModel>(cap.GetInt64("engagement_model")),
                            cap.GetInt64("hourly_cap_pence"), cap.GetInt64("uncapped") != 0});
    }
    s.audit.create_time = s.audit.update_time = FromMicros(row.GetInt64("create_time_us"));
    s.audit.created_by = s.audit.updated_by = row.GetText("created_by");
    s.audit.request_id = row.GetText("request_id");
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

// The next version number of `key` in `table` (rule_sets by region, la_policies by la_code)
// for a version effective from `effective`: AlreadyExists when one has that date,
// FailedPrecondition when one is later (publishing would rewrite history). `what` names the
// versioned thing in messages.
absl::StatusOr<int64_t> NextVersion(store::Transaction& tx, const char* table,
                                    const char* key_column, const std::string& key,
                                    const std::string& effective, const std::string& what) {
  absl::StatusOr<store::ResultSet> latest = tx.Query(
      absl::StrCat("SELECT COALESCE(MAX(version), 0) AS version, MAX(effective_from) AS latest, "
                   "SUM(effective_from = $2) AS same FROM ",
                   table, " WHERE ", key_column, " = $1"),
      {Text(key), Text(effective)});
  if (!latest.ok()) return latest.status();
  const store::Row& row = (*latest)[0];
  if (row.GetInt64("same") > 0) {
    return absl::AlreadyExistsError(
        absl::StrCat(what, " already has a version effective from ", effective));
  }
  if (!row.IsNull("latest") && row.GetText("latest") > effective) {
    return absl::FailedPreconditionError(absl::StrCat(
        what, " has a version effective from ", row.GetText("latest"),
        "; a version effective from ", effective,
        " would rewrite history (publish versions in effective date order)"));
  }
  return row.GetInt64("version") + 1;
}

}  // namespace

absl::StatusOr<StoredRuleSet> WorkforceStore::PublishRuleSet(store::Transaction& tx,
                                                             RuleSet rule_set,
                                                             const WriteMeta& meta) {
  tx.Notify(kRuleSetsChannel, rule_set.region);
  const std::string effective = FormatCivilDate(rule_set.effective_from);
  absl::StatusOr<int64_t> version =
      NextVersion(tx, "rule_sets", "region", rule_set.region, effective,
                  absl::StrCat("the ", rule_set.region, " rule set"));
  if (!version.ok()) return version.status();
  rule_set.version = *version;
  absl::StatusOr<int64_t> inserted = tx.Execute(
      "INSERT INTO rule_sets (region, version, effective_from, cooling_off_months, "
      "cooling_off_exempt_reasons, min_experience_months, references_required, "
      "max_notice_weeks, disabled_rules, source, create_time_us, created_by, request_id, "
      "register_check_max_age_days) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {Text(rule_set.region), Int(rule_set.version), Text(effective),
       Int(rule_set.cooling_off_months), Text(JoinEnums(rule_set.cooling_off_exempt_reasons)),
       Int(rule_set.min_experience_months), Int(rule_set.references_required),
       Int(rule_set.max_notice_weeks), Text(JoinEnums(rule_set.disabled_rules)),
       Text(rule_set.source), Int(Micros(meta.now)), Text(meta.principal),
       Text(meta.request_id), Int(rule_set.register_check_max_age_days)});
  if (!inserted.ok()) return inserted.status();
  for (const PayCap& cap : rule_set.pay_caps) {
    absl::StatusOr<int64_t> cap_inserted = tx.Execute(
        "INSERT INTO rule_set_caps (region, version, job_type, engagement_model, "
        "hourly_cap_pence, uncapped) VALUES ($1, $2, $3, $4, $5, $6)",
        {Text(rule_set.region), Int(rule_set.version), Int(static_cast<int>(cap.job_type)),
         Int(static_cast<int>(cap.engagement_model)), Int(cap.hourly_cap_pence),
         Int(cap.uncapped ? 1 : 0)});
    if (!cap_inserted.ok()) return cap_inserted.status();
  }
  StoredRuleSet out;
  out.rule_set = std::move(rule_set);
  out.audit = {meta.now, meta.principal, meta.now, meta.principal, meta.request_id};
  return out;
}

absl::StatusOr<std::vector<StoredLaPolicy>> WorkforceStore::ListLaPolicies(
    store::Transaction& tx, const std::string& la_code) {
  absl::StatusOr<store::ResultSet> versions = tx.Query(
      "SELECT * FROM la_policies WHERE la_code = $1 ORDER BY effective_from", {Text(la_code)});
  if (!versions.ok()) return versions.status();
  absl::StatusOr<store::ResultSet> titles = tx.Query(
      "SELECT version, local_title, job_type FROM la_policy_titles WHERE la_code = $1 "
      "ORDER BY version, position",
      {Text(la_code)});
  if (!titles.ok()) return titles.status();
  absl::StatusOr<store::ResultSet> notice = tx.Query(
      "SELECT version, job_type, notice_weeks FROM la_policy_notice WHERE la_code = $1 "
      "ORDER BY version, job_type",
      {Text(la_code)});
  if (!notice.ok()) return notice.status();
  std::vector<StoredLaPolicy> out;
  for (const store::Row& row : *versions) {
    StoredLaPolicy s;
    LaPolicy& p = s.policy;
    p.la_code = la_code;
    p.version = row.GetInt64("version");
    p.effective_from = DayFromText(row.GetText("effective_from"));
    for (const store::Row& t : *titles) {
      if (t.GetInt64("version") != p.version) continue;
      p.mappings.push_back(
          {t.GetText("local_title"), static_cast<JobType>(t.GetInt64("job_type"))});
    }
    for (const store::Row& n : *notice) {
      if (n.GetInt64("version") != p.version) continue;
      p.notice.push_back({static_cast<JobType>(n.GetInt64("job_type")),
                          static_cast<int>(n.GetInt64("notice_weeks"))});
    }
    s.audit.create_time = s.audit.update_time = FromMicros(row.GetInt64("create_time_us"));
    s.audit.created_by = s.audit.updated_by = row.GetText("created_by");
    s.audit.request_id = row.GetText("request_id");
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<StoredLaPolicy> WorkforceStore::PublishLaPolicy(store::Transaction& tx,
                                                               LaPolicy policy,
                                                               const WriteMeta& meta) {
  tx.Notify(kLaPoliciesChannel, policy.la_code);
  const std::string effective = FormatCivilDate(policy.effective_from);
  absl::StatusOr<int64_t> version =
      NextVersion(tx, "la_policies", "la_code", policy.la_code, effective,
                  absl::StrCat("LA ", policy.la_code, "'s policy"));
  if (!version.ok()) return version.status();
  policy.version = *version;
  absl::StatusOr<int64_t> inserted = tx.Execute(
      "INSERT INTO la_policies (la_code, version, effective_from, create_time_us, created_by, "
      "request_id) VALUES ($1, $2, $3, $4, $5, $6)",
      {Text(policy.la_code), Int(policy.version), Text(effective), Int(Micros(meta.now)),
       Text(meta.principal), Text(meta.request_id)});
  if (!inserted.ok()) return inserted.status();
  for (size_t i = 0; i < policy.mappings.size(); ++i) {
    absl::StatusOr<int64_t> title = tx.Execute(
        "INSERT INTO la_policy_titles (la_code, version, position, local_title, job_type) "
        "VALUES ($1, $2, $3, $4, $5)",
        {Text(policy.la_code), Int(policy.version), Int(static_cast<int64_t>(i)),
         Text(policy.mappings[i].local_title),
         Int(static_cast<int>(policy.mappings[i].job_type))});
    if (!title.ok()) return title.status();
  }
  for (const PermanentNotice& n : policy.notice) {
    absl::StatusOr<int64_t> notice = tx.Execute(
        "INSERT INTO la_policy_notice (la_code, version, job_type, notice_weeks) "
        "VALUES ($1, $2, $3, $4)",
        {Text(policy.la_code), Int(policy.version), Int(static_cast<int>(n.job_type)),
         Int(n.notice_weeks)});
    if (!notice.ok()) return notice.status();
  }
  StoredLaPolicy out;
  out.policy = std::move(policy);
  out.audit = {meta.now, meta.principal, meta.now, meta.principal, meta.request_id};
  return out;
}

absl::StatusOr<RecordResult> WorkforceStore::RecordPeriod(store::Transaction& tx,
                                                          const EmploymentPeriod& period,
                                                          const WriteMeta& meta,
                                                          StoredPeriod* stored) {
  const EmploymentPeriod* one[] = {&period};
  absl::StatusOr<std::vector<PeriodRecord>> recorded = RecordPeriods(tx, one, meta);
  if (!recorded.ok()) return recorded.status();
  *stored = std::move(recorded->front().stored);
  return recorded->front().result;
}

absl::StatusOr<std::vector<WorkforceStore::PeriodRecord>> WorkforceStore::RecordPeriods(
    store::Transaction& tx, absl::Span<const EmploymentPeriod* const> periods,
    const WriteMeta& meta) {
  std::set<std::string> touched;
  std::vector<PeriodRecord> out(periods.size());
  for (size_t i = 0; i < periods.size(); ++i) {
    absl::StatusOr<RecordResult> result =
        RecordPeriodRow(tx, *periods[i], meta, &out[i].stored, &touched);
    if (!result.ok()) return result.status();
    out[i].result = *result;
  }
  for (const std::string& swe : touched) {
    if (absl::Status s = RefreshWorkerHistory(tx, swe); !s.ok()) return s;
  }
  return out;
}

absl::StatusOr<RecordResult> WorkforceStore::RecordPeriodRow(store::Transaction& tx,
                                                             const EmploymentPeriod& period,
                                                             const WriteMeta& meta,
                                                             StoredPeriod* stored,
                                                             std::set<std::string>* touched) {
  static const std::string kSelectByRecord =
      SelectPeriods(true, "la_code = $1 AND record_id = $2");
  absl::StatusOr<store::ResultSet> existing = tx.Query(
      kSelectByRecord,
      {Text(period.la_code), Text(period.record_id)});
  if (!existing.ok()) return existing.status();
  const store::Value end =
      period.end_date.has_value() ? Text(FormatCivilDate(*period.end_date)) : Null();
  if (!existing->empty()) {
    const store::Row& row = (*existing)[0];
    const EmploymentPeriod before = PeriodFromRow(row);
    stored->audit.create_time = FromMicros(row.GetInt64("create_time_us"));
    stored->audit.created_by = row.GetText("created_by");
    if (before.SameContent(period)) {
      stored->period = before;
      stored->version = row.GetInt64("version");
      stored->audit.update_time = FromMicros(row.GetInt64("update_time_us"));
      stored->audit.updated_by = row.GetText("updated_by");
      stored->audit.request_id = row.GetText("request_id");
      return RecordResult::kUnchanged;
    }
    const int64_t version = row.GetInt64("version") + 1;
    absl::StatusOr<int64_t> updated = tx.Execute(
        "UPDATE employment_periods SET swe_number = $3, region = $4, employment_type = $5, "
        "job_type = $6, local_job_title = $7, start_date = $8, end_date = $9, "
        "leaving_reason = $10, child_and_family = $11, asye = $12, version = $13, "
        "update_time_us = $14, updated_by = $15, request_id = $16 "
        "WHERE la_code = $1 AND record_id = $2",
        {Text(period.la_code), Text(period.record_id), Text(period.swe_number),
         Text(period.region), Int(static_cast<int>(period.employment_type)),
         Int(static_cast<int>(period.job_type)), Text(period.local_job_title),
         Text(FormatCivilDate(period.start_date)), end,
         Int(static_cast<int>(period.leaving_reason)), Int(period.child_and_family),
         Int(period.asye), Int(version), Int(Micros(meta.now)), Text(meta.principal),
         Text(meta.request_id)});
    if (!updated.ok()) return updated.status();
    touched->insert(before.swe_number);
    touched->insert(period.swe_number);
    stored->period = period;
    stored->version = version;
    stored->audit.update_time = meta.now;
    stored->audit.updated_by = meta.principal;
    stored->audit.request_id = meta.request_id;
    return RecordResult::kUpdated;
  }
  absl::StatusOr<int64_t> inserted = tx.Execute(
      "INSERT INTO employment_periods (la_code, record_id, swe_number, region, "
      "employment_type, job_type, local_job_title, start_date, end_date, leaving_reason, "
      "child_and_family, asye, version, create_time_us, created_by, update_time_us, "
      "updated_by, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, "
      "$13, $14, $13, $14, $15)",
      {Text(period.la_code), Text(period.record_id), Text(period.swe_number),
       Text(period.region), Int(static_cast<int>(period.employment_type)),
       Int(static_cast<int>(period.job_type)), Text(period.local_job_title),
       Text(FormatCivilDate(period.start_date)), end,
       Int(static_cast<int>(period.leaving_reason)), Int(period.child_and_family),
       Int(period.asye), Int(Micros(meta.now)), Text(meta.principal), Text(meta.request_id)});
  if (!inserted.ok()) return inserted.status();
  touched->insert(period.swe_number);
  stored->period = period;
  stored->version = 1;
  stored->audit = {meta.now, meta.principal, meta.now, meta.principal, meta.request_id};
  return RecordResult::kCreated;
}

absl::StatusOr<std::vector<EmploymentPeriod>> WorkforceStore::ListWorkerPeriods(
    store::Transaction& tx, const std::string& swe_number) {
  absl::StatusOr<WorkerHistory> history = ReadWorkerHistory(tx, swe_number);
  if (!history.ok()) return history.status();
  return std::move(history->periods);
}

absl::StatusOr<std::optional<StoredPeriod>> WorkforceStore::FindPeriod(
    store::Transaction& tx, const std::string& la_code, const std::string& record_id) {
  static const std::string kSelectByRecord =
      SelectPeriods(true, "la_code = $1 AND record_id = $2");
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      kSelectByRecord,
      {Text(la_code), Text(record_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredPeriod>();
  return std::optional<StoredPeriod>(StoredPeriodFromRow((*rows)[0]));
}

absl::Status WorkforceStore::DeletePeriod(store::Transaction& tx, const std::string& la_code,
                                          const std::string& record_id, int64_t version) {
  absl::StatusOr<store::ResultSet> deleted = tx.Query(
      "DELETE FROM employment_periods WHERE la_code = $1 AND record_id = $2 "
      "AND ($3 = 0 OR version = $3) RETURNING swe_number",
      {Text(la_code), Text(record_id), Int(version)});
  if (!deleted.ok()) return deleted.status();
  if (!deleted->empty()) return RefreshWorkerHistory(tx, (*deleted)[0].GetText(size_t{0}));
  absl::StatusOr<std::optional<StoredPeriod>> existing = FindPeriod(tx, la_code, record_id);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) {
    return absl::NotFoundError(absl::StrCat("LA ", la_code, " has no period ", record_id));
  }
  return absl::AbortedError(absl::StrCat("period ", record_id, " is at version ",
                                         (*existing)->version, ", not ", version));
}

absl::StatusOr<std::vector<WorkerSummary>> WorkforceStore::ListWorkers(
    store::Transaction& tx, const std::vector<std::string>& la_codes, const std::string& after,
    int limit, int64_t* total) {
  std::vector<store::Value> params;
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  std::string where = "1 = 1";
  if (!la_codes.empty()) {
    std::vector<std::string> marks;
    for (const std::string& la : la_codes) marks.push_back(bind(Text(la)));
    absl::StrAppend(&where, " AND la_code IN (", absl::StrJoin(marks, ", "), ")");
  }
  absl::StatusOr<store::ResultSet> counted = tx.Query(
      absl::StrCat("SELECT COUNT(DISTINCT swe_number) AS n FROM employment_periods WHERE ", where),
      params);
  if (!counted.ok()) return counted.status();
  *total = (*counted)[0].GetInt64("n");
  const std::string from = bind(Text(after));
  const std::string lim = bind(Int(limit));
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      absl::StrCat("SELECT w.swe_number AS swe_number, (SELECT COUNT(*) FROM employment_periods "
                   "p WHERE p.swe_number = w.swe_number) AS periods FROM (SELECT DISTINCT "
                   "swe_number FROM employment_periods WHERE ",
                   where, " AND swe_number > ", from, ") w ORDER BY w.swe_number LIMIT ", lim),
      params);
  if (!rows.ok()) return rows.status();
  std::vector<WorkerSummary> out;
  for (const store::Row& row : *rows) {
    out.push_back({row.GetText("swe_number"), static_cast<int>(row.GetInt64("periods"))});
  }
  return out;
}

absl::StatusOr<std::vector<StoredPeriod>> WorkforceStore::ListWorkerStoredPeriods(
    store::Transaction& tx, const std::string& swe_number) {
  static const std::string kSelectStoredByWorker =
      SelectPeriods(true, "swe_number = $1 ORDER BY start_date, la_code, record_id");
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      kSelectStoredByWorker,
      {Text(swe_number)});
  if (!rows.ok()) return rows.status();
  std::vector<StoredPeriod> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) out.push_back(StoredPeriodFromRow(row));
  return out;
}

absl::StatusOr<StoredRegisterCheck> WorkforceStore::RecordRegisterCheck(store::Transaction& tx,
                                                                        RegisterCheck check,
                                                                        const WriteMeta& meta) {
  absl::StatusOr<store::ResultSet> inserted = tx.Query(
      "INSERT INTO register_checks (swe_number, status, conditions, checked_at_us, checked_by, "
      "source, create_time_us, created_by, request_id, recorder_la) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq",
      {Text(check.swe_number), Int(static_cast<int>(check.status)),
       Text(absl::StrJoin(check.conditions, "\n")), Int(Micros(check.checked_at)),
       Text(check.checked_by), Int(check.source), Int(Micros(meta.now)), Text(meta.principal),
       Text(meta.request_id), Text(check.recorder_la)});
  if (!inserted.ok()) return inserted.status();
  if (absl::Status s = RefreshWorkerHistory(tx, check.swe_number); !s.ok()) return s;
  check.check_id = absl::StrCat("rc-", (*inserted)[0].GetInt64("seq"));
  StoredRegisterCheck out;
  out.check = std::move(check);
  out.audit = {meta.now, meta.principal, meta.now, meta.principal, meta.request_id};
  return out;
}

absl::StatusOr<std::vector<StoredRegisterCheck>> WorkforceStore::ListRegisterChecks(
    store::Transaction& tx, const std::string& swe_number) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT * FROM register_checks WHERE swe_number = $1 ORDER BY checked_at_us DESC, seq DESC",
      {Text(swe_number)});
  if (!rows.ok()) return rows.status();
  std::vector<StoredRegisterCheck> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) out.push_back(StoredCheckFromRow(row));
  return out;
}

absl::Status WorkforceStore::RebuildWorkerHistory(store::Transaction& tx,
                                                  const std::string& swe_number) {
  return RefreshWorkerHistory(tx, swe_number);
}

absl::StatusOr<WorkerHistory> WorkforceStore::ReadWorkerHistory(store::Transaction& tx,
                                                                const std::string& swe_number) {
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      "SELECT history FROM worker_histories WHERE swe_number = $1", {Text(swe_number)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return WorkerHistory();
  return HistoryFromBlob(tx, (*rows)[0].GetBlob(size_t{0}), swe_number);
}

absl::StatusOr<ExceptionRow> WorkforceStore::InsertException(
    store::Transaction& tx, ExceptionRow row, const WriteMeta& meta,
    absl::FunctionRef<std::string(const std::string& id, int64_t version)> encode) {
  absl::StatusOr<store::ResultSet> inserted = tx.Query(
      "INSERT INTO rule_exceptions (la_code, swe_number, state, body, version, create_time_us, "
      "created_by, update_time_us, updated_by, request_id, expires_on) "
      "VALUES ($1, $2, $3, x'', 1, $4, $5, $4, $5, $6, $7) RETURNING seq",
      {Text(row.la_code), Text(row.swe_number), Int(row.state), Int(Micros(meta.now)),
       Text(meta.principal), Text(meta.request_id), Text(FormatCivilDate(row.expires_on))});
  if (!inserted.ok()) return inserted.status();
  const int64_t seq = (*inserted)[0].GetInt64("seq");
  tx.Notify(kComplianceChannel, row.la_code);
  row.exception_id = absl::StrCat("ex-", seq);
  row.version = 1;
  row.body = encode(row.exception_id, row.version);
  absl::StatusOr<int64_t> updated =
      tx.Execute("UPDATE rule_exceptions SET body = $2 WHERE seq = $1",
                 {Int(seq), store::Bytes(row.body)});
  if (!updated.ok()) return updated.status();
  return row;
}

absl::StatusOr<std::optional<ExceptionRow>> WorkforceStore::FindException(
    store::Transaction& tx, const std::string& exception_id) {
  const int64_t seq = SeqOf(exception_id, "ex-");
  if (seq <= 0) return std::optional<ExceptionRow>();
  absl::StatusOr<store::ResultSet> rows =
      tx.Query("SELECT * FROM rule_exceptions WHERE seq = $1", {Int(seq)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ExceptionRow>();
  return std::optional<ExceptionRow>(ExceptionFromRow((*rows)[0]));
}

absl::StatusOr<std::vector<ExceptionRow>> WorkforceStore::ListExceptions(
    store::Transaction& tx, const ExceptionFilter& filter, const std::string& after, int limit,
    int64_t* total) {
  std::vector<store::Value> params;
  auto bind = [&](store::Value v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  std::string where = "1 = 1";
  if (!filter.la_codes.empty()) {
    std::vector<std::string> marks;
    for (const std::string& la : filter.la_codes) marks.push_back(bind(Text(la)));
    absl::StrAppend(&where, " AND la_code IN (", absl::StrJoin(marks, ", "), ")");
  }
  if (!filter.swe_number.empty()) {
    absl::StrAppend(&where, " AND swe_number = ", bind(Text(filter.swe_number)));
  }
  if (filter.state != 0) {
    // Pending (1) and approved (2) exceptions past their last day are expired (4).
    absl::StrAppend(&where, " AND (CASE WHEN state IN (1, 2) AND expires_on < ",
                    bind(Text(FormatCivilDate(filter.today))), " THEN 4 ELSE state END) = ",
                    bind(Int(filter.state)));
  }
  absl::StatusOr<store::ResultSet> counted =
      tx.Query(absl::StrCat("SELECT COUNT(*) AS n FROM rule_exceptions WHERE ", where), params);
  if (!counted.ok()) return counted.status();
  *total = (*counted)[0].GetInt64("n");
  if (!after.empty()) {
    const int64_t seq = SeqOf(after, "ex-");
    if (seq <= 0) return absl::InvalidArgumentError("bad exception list key");
    absl::StrAppend(&where, " AND seq < ", bind(Int(seq)));
  }
  const std::string lim = bind(Int(limit));
  absl::StatusOr<store::ResultSet> rows = tx.Query(
      absl::StrCat("SELECT * FROM rule_exceptions WHERE ", where, " ORDER BY seq DESC LIMIT ", lim),
      params);
  if (!rows.ok()) return rows.status();
  std::vector<ExceptionRow> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) out.push_back(ExceptionFromRow(row));
  return out;
}

absl::StatusOr<int64_t> WorkforceStore::UpdateException(store::Transaction& tx,
                                                        const ExceptionRow& row,
                                                        const WriteMeta& meta) {
  absl::StatusOr<int64_t> changed = tx.Execute(
      "UPDATE rule_exceptions SET state = $3, body = $4, version = version + 1, "
      "update_time_us = $5, updated_by = $6, request_id = $7 WHERE seq = $1 AND version = $2",
      {Int(SeqOf(row.exception_id, "ex-")), Int(row.version), Int(row.state),
       store::Bytes(row.body), Int(Micros(meta.now)), Text(meta.principal),
       Text(meta.request_id)});
  if (!changed.ok()) return changed.status();
  if (*changed == 0) {
    return absl::AbortedError(absl::StrCat("exception ", row.exception_id,
                                           " changed since version ", row.version));
  }
  tx.Notify(kComplianceChannel, row.la_code);
  return row.version + 1;
}


}  // namespace slihub::workforce
