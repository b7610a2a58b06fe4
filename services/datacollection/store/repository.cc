#include "services/datacollection/store/repository.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/datacollection/store/totals_snapshot.h"

namespace slihub::datacollection {
namespace {

using store::Int;
using store::Null;
using store::Text;
using store::Value;

Value OptInt(const std::optional<Decimal>& d, bool scale) {
  if (!d) return Null();
  return Int(scale ? d->scale : d->unscaled);
}

std::optional<Decimal> ReadDecimal(const store::Row& row, const std::string& prefix) {
  if (row.IsNull(prefix + "_unscaled")) return std::nullopt;
  return Decimal{row.GetInt64(prefix + "_unscaled"),
                 static_cast<int>(row.GetInt64(prefix + "_scale"))};
}

std::vector<std::string> SplitList(const std::string& text) {
  if (text.empty()) return {};
  return absl::StrSplit(text, ',');
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

// Categories as "CODE\tLabel" lines (codes have no tabs or newlines; labels none either).
std::string EncodeCategories(const std::vector<Category>& categories) {
  std::vector<std::string> lines;
  for (const Category& c : categories) lines.push_back(absl::StrCat(c.code, "\t", c.label));
  return absl::StrJoin(lines, "\n");
}

std::vector<Category> DecodeCategories(const std::string& text) {
  std::vector<Category> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    out.push_back({parts.first, parts.second});
  }
  return out;
}

IndicatorDef ReadIndicator(const store::Row& row) {
  IndicatorDef def;
  def.indicator_id = row.GetText("indicator_id");
  def.version = row.GetInt64("version");
  def.name = row.GetText("name");
  def.short_name = row.GetText("short_name");
  def.definition = row.GetText("definition");
  def.unit = static_cast<Unit>(row.GetInt64("unit"));
  def.polarity = static_cast<Polarity>(row.GetInt64("polarity"));
  def.min_value = ReadDecimal(row, "min");
  def.max_value = ReadDecimal(row, "max");
  def.decimal_places = static_cast<int>(row.GetInt64("decimal_places"));
  def.source = row.GetText("source");
  def.derived_by_service = row.GetText("derived_by_service");
  def.effective_from = row.GetText("effective_from");
  def.retired = row.GetInt64("retired") != 0;
  return def;
}

CollectionRecord ReadCollection(const store::Row& row) {
  CollectionRecord c;
  c.collection_id = row.GetText("collection_id");
  c.region = row.GetText("region");
  c.kind = static_cast<int>(row.GetInt64("kind"));
  c.name = row.GetText("name");
  c.description = row.GetText("description");
  c.indicator_ids = SplitList(row.GetText("indicator_ids"));
  c.la_codes = SplitList(row.GetText("la_codes"));
  c.version = row.GetInt64("version");
  return c;
}

PeriodRecord ReadPeriod(const store::Row& row) {
  PeriodRecord p;
  p.collection_id = row.GetText("collection_id");
  p.period_id = row.GetText("period_id");
  p.label = row.GetText("label");
  p.start_date = row.GetText("start_date");
  p.end_date = row.GetText("end_date");
  p.open_time = FromMicros(row.GetInt64("open_us"));
  p.deadline_time = FromMicros(row.GetInt64("deadline_us"));
  p.close_time = FromMicros(row.GetInt64("close_us"));
  p.indicator_ids = SplitList(row.GetText("indicator_ids"));
  p.version = row.GetInt64("version");
  if (!row.IsNull("publish_us")) p.publish_time = FromMicros(row.GetInt64("publish_us"));
  return p;
}

ReturnRecord ReadReturn(const store::Row& row) {
  ReturnRecord r;
  r.la_code = row.GetText("la_code");
  r.collection_id = row.GetText("collection_id");
  r.period_id = row.GetText("period_id");
  r.version = row.GetInt64("version");
  r.timeliness = static_cast<Timeliness>(row.GetInt64("timeliness"));
  r.source = static_cast<int>(row.GetInt64("source"));
  r.receive_time = FromMicros(row.GetInt64("receive_us"));
  r.comment = row.GetText("comment");
  r.submitted_by = row.GetText("submitted_by");
  r.value_count = static_cast<int>(row.GetInt64("value_count"));
  return r;
}

Observation ReadObservation(const store::Row& row) {
  Observation o;
  o.state = static_cast<ValueState>(row.GetInt64("state"));
  o.value = ReadDecimal(row, "value");
  o.numerator = ReadDecimal(row, "numerator");
  o.denominator = ReadDecimal(row, "denominator");
  o.note = row.GetText("note");
  return o;
}

}  // namespace

namespace repository {

// Helpers of the functions below (not part of the interface).
absl::Status LoadBreakdowns(store::Transaction& tx, IndicatorDef& def);
absl::Status LoadFigures(store::Transaction& tx, ReturnRecord& r);
absl::Status BumpGeneration(store::Transaction& tx);
// The period's latest_totals row decoded, or nullopt when it has none.
absl::StatusOr<std::optional<std::vector<LatestTotal>>> ReadSnapshot(
    store::Transaction& tx, const std::string& collection_id, const std::string& period_id);
// Puts `r` (just inserted, the LA's new latest version) into its period's latest_totals row.
absl::Status UpdateLatestTotals(store::Transaction& tx, const ReturnRecord& r);

absl::StatusOr<int64_t> Generation(store::Transaction& tx) {
  auto rows = tx.Query("SELECT generation FROM store_generation WHERE id = 1");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::InternalError("store_generation has no row");
  return (*rows)[0].GetInt64(0);
}

absl::Status BumpGeneration(store::Transaction& tx) {
  return tx.Execute("UPDATE store_generation SET generation = generation + 1 WHERE id = 1")
      .status();
}

absl::Status InsertIndicator(store::Transaction& tx, const IndicatorDef& def) {
  auto inserted = tx.Execute(
      "INSERT INTO indicators (indicator_id, version, name, short_name, definition, unit, "
      "polarity, "
      "min_unscaled, min_scale, max_unscaled, max_scale, decimal_places, source, "
      "derived_by_service, "
      "effective_from, retired) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
      {Text(def.indicator_id), Int(def.version), Text(def.name), Text(def.short_name),
       Text(def.definition), Int(static_cast<int>(def.unit)), Int(static_cast<int>(def.polarity)),
       OptInt(def.min_value, false), OptInt(def.min_value, true), OptInt(def.max_value, false),
       OptInt(def.max_value, true), Int(def.decimal_places), Text(def.source),
       Text(def.derived_by_service), Text(def.effective_from), Int(def.retired ? 1 : 0)});
  if (!inserted.ok()) return inserted.status();
  if (absl::Status s = BumpGeneration(tx); !s.ok()) return s;
  for (const BreakdownSpec& b : def.breakdowns) {
    auto done = tx.Execute(
        "INSERT INTO indicator_breakdowns (indicator_id, version, dimension, aggregation, "
        "tolerance_unscaled, tolerance_scale, required, categories) VALUES "
        "($1,$2,$3,$4,$5,$6,$7,$8)",
        {Text(def.indicator_id), Int(def.version), Int(static_cast<int>(b.dimension)),
         Int(static_cast<int>(b.aggregation)), OptInt(b.sum_tolerance, false),
         OptInt(b.sum_tolerance, true), Int(b.required ? 1 : 0),
         Text(EncodeCategories(b.categories))});
    if (!done.ok()) return done.status();
  }
  return absl::OkStatus();
}

absl::Status LoadBreakdowns(store::Transaction& tx, IndicatorDef& def) {
  auto rows = tx.Query(
      "SELECT * FROM indicator_breakdowns WHERE indicator_id = $1 AND version = $2 ORDER BY "
      "dimension",
      {Text(def.indicator_id), Int(def.version)});
  if (!rows.ok()) return rows.status();
  for (const store::Row& row : *rows) {
    BreakdownSpec b;
    b.dimension = static_cast<Dimension>(row.GetInt64("dimension"));
    b.aggregation = static_cast<Aggregation>(row.GetInt64("aggregation"));
    b.sum_tolerance = ReadDecimal(row, "tolerance");
    b.required = row.GetInt64("required") != 0;
    b.categories = DecodeCategories(row.GetText("categories"));
    def.breakdowns.push_back(std::move(b));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<IndicatorDef>> ListLatestIndicators(store::Transaction& tx) {
  auto rows = tx.Query(
      "SELECT i.* FROM indicators i WHERE i.version = (SELECT MAX(version) FROM indicators j "
      "WHERE j.indicator_id = i.indicator_id) ORDER BY i.indicator_id");
  if (!rows.ok()) return rows.status();
  std::vector<IndicatorDef> out;
  for (const store::Row& row : *rows) {
    out.push_back(ReadIndicator(row));
    if (absl::Status s = LoadBreakdowns(tx, out.back()); !s.ok()) return s;
  }
  return out;
}

absl::StatusOr<IndicatorDef> GetIndicator(store::Transaction& tx, const std::string& id,
                                          int64_t version) {
  auto rows =
      version == 0
          ? tx.Query(
                "SELECT * FROM indicators WHERE indicator_id = $1 ORDER BY version DESC LIMIT 1",
                {Text(id)})
          : tx.Query("SELECT * FROM indicators WHERE indicator_id = $1 AND version = $2",
                     {Text(id), Int(version)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::NotFoundError(version == 0
                                   ? absl::StrCat("no indicator ", id)
                                   : absl::StrCat("no version ", version, " of indicator ", id));
  }
  IndicatorDef def = ReadIndicator((*rows)[0]);
  if (absl::Status s = LoadBreakdowns(tx, def); !s.ok()) return s;
  return def;
}

absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> LatestIndicatorVersions(
    store::Transaction& tx) {
  auto rows = tx.Query("SELECT indicator_id, MAX(version) FROM indicators GROUP BY indicator_id");
  if (!rows.ok()) return rows.status();
  absl::flat_hash_map<std::string, int64_t> out;
  for (const store::Row& row : *rows) out[row.GetText(size_t{0})] = row.GetInt64(1);
  return out;
}

absl::Status InsertCollection(store::Transaction& tx, const CollectionRecord& c) {
  if (absl::Status s = BumpGeneration(tx); !s.ok()) return s;
  return tx
      .Execute(
          "INSERT INTO collections (collection_id, region, kind, name, description, indicator_ids, "
          "la_codes, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
          {Text(c.collection_id), Text(c.region), Int(c.kind), Text(c.name), Text(c.description),
           Text(absl::StrJoin(c.indicator_ids, ",")), Text(absl::StrJoin(c.la_codes, ",")),
           Int(c.version)})
      .status();
}

absl::StatusOr<std::vector<CollectionRecord>> ListCollections(store::Transaction& tx,
                                                              const std::string& region) {
  auto rows = tx.Query("SELECT * FROM collections WHERE region = $1 ORDER BY collection_id",
                       {Text(region)});
  if (!rows.ok()) return rows.status();
  std::vector<CollectionRecord> out;
  for (const store::Row& row : *rows) out.push_back(ReadCollection(row));
  return out;
}

absl::StatusOr<CollectionRecord> GetCollection(store::Transaction& tx,
                                               const std::string& collection_id) {
  auto rows = tx.Query("SELECT * FROM collections WHERE collection_id = $1", {Text(collection_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return absl::NotFoundError(absl::StrCat("no collection ", collection_id));
  return ReadCollection((*rows)[0]);
}

absl::Status InsertPeriod(store::Transaction& tx, const PeriodRecord& p) {
  if (absl::Status s = BumpGeneration(tx); !s.ok()) return s;
  return tx
      .Execute(
          "INSERT INTO periods (collection_id, period_id, label, start_date, end_date, open_us, "
          "deadline_us, close_us, indicator_ids, version, publish_us) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
          {Text(p.collection_id), Text(p.period_id), Text(p.label), Text(p.start_date),
           Text(p.end_date), Int(Micros(p.open_time)), Int(Micros(p.deadline_time)),
           Int(Micros(p.close_time)), Text(absl::StrJoin(p.indicator_ids, ",")), Int(p.version),
           p.publish_time ? Int(Micros(*p.publish_time)) : Null()})
      .status();
}

absl::Status UpdateCollection(store::Transaction& tx, const CollectionRecord& c) {
  auto changed = tx.Execute(
      "UPDATE collections SET name = $2, description = $3, indicator_ids = $4, la_codes = $5, "
      "version = $6 "
      "WHERE collection_id = $1 AND version = $7",
      {Text(c.collection_id), Text(c.name), Text(c.description),
       Text(absl::StrJoin(c.indicator_ids, ",")), Text(absl::StrJoin(c.la_codes, ",")),
       Int(c.version + 1), Int(c.version)});
  if (!changed.ok()) return changed.status();
  if (*changed == 0) {
    return absl::AbortedError(
        absl::StrCat("collection ", c.collection_id, " changed since version ", c.version));
  }
  return BumpGeneration(tx);
}

absl::Status UpdatePeriod(store::Transaction& tx, const PeriodRecord& p) {
  auto changed = tx.Execute(
      "UPDATE periods SET label = $3, open_us = $4, deadline_us = $5, close_us = $6, indicator_ids "
      "= $7, "
      "version = $8 WHERE collection_id = $1 AND period_id = $2 AND version = $9",
      {Text(p.collection_id), Text(p.period_id), Text(p.label), Int(Micros(p.open_time)),
       Int(Micros(p.deadline_time)), Int(Micros(p.close_time)),
       Text(absl::StrJoin(p.indicator_ids, ",")), Int(p.version + 1), Int(p.version)});
  if (!changed.ok()) return changed.status();
  tx.Notify(kPublishedChannel, p.period_id);
  if (*changed == 0) {
    return absl::AbortedError(
        absl::StrCat("period ", p.period_id, " changed since version ", p.version));
  }
  return BumpGeneration(tx);
}

absl::Status PublishPeriod(store::Transaction& tx, const std::string& collection_id,
                           const std::string& period_id, absl::Time when) {
  auto changed = tx.Execute(
      "UPDATE periods SET publish_us = $3 WHERE collection_id = $1 AND period_id = $2 "
      "AND publish_us IS NULL",
      {Text(collection_id), Text(period_id), Int(Micros(when))});
  if (!changed.ok()) return changed.status();
  if (*changed == 0) {
    auto period = GetPeriod(tx, collection_id, period_id);
    if (!period.ok()) return period.status();
    return absl::OkStatus();
  }
  tx.Notify(kPublishedChannel, period_id);
  return BumpGeneration(tx);
}

absl::StatusOr<std::vector<PeriodRecord>> PeriodsWithId(store::Transaction& tx,
                                                        const std::string& region,
                                                        const std::string& period_id) {
  auto rows = tx.Query(
      "SELECT p.* FROM periods p JOIN collections c ON c.collection_id = p.collection_id "
      "WHERE c.region = $1 AND p.period_id = $2 ORDER BY p.collection_id",
      {Text(region), Text(period_id)});
  if (!rows.ok()) return rows.status();
  std::vector<PeriodRecord> out;
  for (const store::Row& row : *rows) out.push_back(ReadPeriod(row));
  return out;
}

absl::StatusOr<std::vector<PeriodRecord>> ListPeriods(store::Transaction& tx,
                                                      const std::string& collection_id) {
  auto rows = tx.Query(
      "SELECT * FROM periods WHERE collection_id = $1 ORDER BY start_date DESC, period_id DESC",
      {Text(collection_id)});
  if (!rows.ok()) return rows.status();
  std::vector<PeriodRecord> out;
  for (const store::Row& row : *rows) out.push_back(ReadPeriod(row));
  for (PeriodRecord& p : out) {
    for (const PeriodRecord& q : out) {
      if (q.start_date < p.start_date) {  // the first such is the latest before (DESC order)
        p.previous_period_id = q.period_id;
        break;
      }
    }
  }
  return out;
}

absl::StatusOr<PeriodRecord> GetPeriod(store::Transaction& tx, const std::string& collection_id,
                                       const std::string& period_id) {
  auto rows = tx.Query("SELECT * FROM periods WHERE collection_id = $1 AND period_id = $2",
                       {Text(collection_id), Text(period_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no period ", period_id, " in collection ", collection_id));
  }
  PeriodRecord p = ReadPeriod((*rows)[0]);
  auto previous = tx.Query(
      "SELECT period_id FROM periods WHERE collection_id = $1 AND start_date < $2 "
      "ORDER BY start_date DESC, period_id DESC LIMIT 1",
      {Text(collection_id), Text(p.start_date)});
  if (!previous.ok()) return previous.status();
  if (!previous->empty()) p.previous_period_id = (*previous)[0].GetText("period_id");
  return p;
}

absl::StatusOr<int64_t> LatestVersion(store::Transaction& tx, const std::string& la_code,
                                      const std::string& collection_id,
                                      const std::string& period_id) {
  auto rows = tx.Query(
      "SELECT COALESCE(MAX(version), 0) AS v FROM returns WHERE collection_id = $1 AND period_id = "
      "$2 "
      "AND la_code = $3",
      {Text(collection_id), Text(period_id), Text(la_code)});
  if (!rows.ok()) return rows.status();
  return (*rows)[0].GetInt64("v");
}

absl::Status InsertReturn(store::Transaction& tx, const ReturnRecord& r) {
  auto inserted = tx.Execute(
      "INSERT INTO returns (la_code, collection_id, period_id, version, timeliness, source, "
      "receive_us, "
      "comment, submitted_by, value_count) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
      {Text(r.la_code), Text(r.collection_id), Text(r.period_id), Int(r.version),
       Int(static_cast<int>(r.timeliness)), Int(r.source), Int(Micros(r.receive_time)),
       Text(r.comment), Text(r.submitted_by), Int(static_cast<int64_t>(r.values.size()))});
  if (!inserted.ok()) return inserted.status();
  tx.Notify(kPublishedChannel, r.period_id);
  auto insert_value = [&](const IndicatorFigures& f, Dimension dimension,
                          const std::string& category, const Observation& o, int64_t position) {
    return tx
        .Execute(
            "INSERT INTO return_values (collection_id, period_id, la_code, version, indicator_id, "
            "dimension, category, indicator_version, state, value_unscaled, value_scale, "
            "numerator_unscaled, numerator_scale, denominator_unscaled, denominator_scale, note, "
            "position) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)",
            {Text(r.collection_id), Text(r.period_id), Text(r.la_code), Int(r.version),
             Text(f.indicator_id), Int(static_cast<int>(dimension)), Text(category),
             Int(f.indicator_version), Int(static_cast<int>(o.state)), OptInt(o.value, false),
             OptInt(o.value, true), OptInt(o.numerator, false), OptInt(o.numerator, true),
             OptInt(o.denominator, false), OptInt(o.denominator, true), Text(o.note),
             Int(position)})
        .status();
  };
  for (const IndicatorFigures& f : r.values) {
    if (absl::Status s = insert_value(f, Dimension::kTotal, "", f.total, 0); !s.ok()) return s;
    for (size_t i = 0; i < f.breakdowns.size(); ++i) {
      const BreakdownFigure& b = f.breakdowns[i];
      absl::Status s =
          insert_value(f, b.dimension, b.category, b.observation, static_cast<int64_t>(i) + 1);
      if (!s.ok()) return s;
    }
  }
  if (absl::Status s = BumpGeneration(tx); !s.ok()) return s;
  return UpdateLatestTotals(tx, r);
}

absl::StatusOr<std::optional<std::vector<LatestTotal>>> ReadSnapshot(
    store::Transaction& tx, const std::string& collection_id, const std::string& period_id) {
  auto rows =
      tx.Query("SELECT totals FROM latest_totals WHERE collection_id = $1 AND period_id = $2",
               {Text(collection_id), Text(period_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<std::vector<LatestTotal>>();
  auto totals = DecodeTotals((*rows)[0].GetBlob(0));
  if (!totals.ok()) return totals.status();
  return std::optional<std::vector<LatestTotal>>(*std::move(totals));
}

absl::Status UpdateLatestTotals(store::Transaction& tx, const ReturnRecord& r) {
  auto snapshot = ReadSnapshot(tx, r.collection_id, r.period_id);
  if (!snapshot.ok()) return snapshot.status();
  std::vector<LatestTotal> totals;
  if (snapshot->has_value()) {
    totals = ReplaceLaTotals(**std::move(snapshot), r.la_code, r.values, r.version, r.timeliness);
  } else {
    auto rebuilt = LatestTotals(tx, r.collection_id, r.period_id, absl::InfiniteFuture());
    if (!rebuilt.ok()) return rebuilt.status();
    totals = *std::move(rebuilt);
  }
  return tx
      .Execute(
          "INSERT INTO latest_totals (collection_id, period_id, totals) VALUES ($1, $2, $3) "
          "ON CONFLICT (collection_id, period_id) DO UPDATE SET totals = excluded.totals, "
          "revision = latest_totals.revision + 1",
          {Text(r.collection_id), Text(r.period_id), store::Bytes(EncodeTotals(totals))})
      .status();
}

absl::StatusOr<std::optional<int64_t>> SnapshotRevision(store::Transaction& tx,
                                                        const std::string& collection_id,
                                                        const std::string& period_id) {
  auto rows =
      tx.Query("SELECT revision FROM latest_totals WHERE collection_id = $1 AND period_id = $2",
               {Text(collection_id), Text(period_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>((*rows)[0].GetInt64(size_t{0}));
}

absl::StatusOr<std::vector<LatestTotal>> CurrentTotals(store::Transaction& tx,
                                                       const std::string& collection_id,
                                                       const std::string& period_id) {
  auto snapshot = ReadSnapshot(tx, collection_id, period_id);
  if (!snapshot.ok()) return snapshot.status();
  if (snapshot->has_value()) return **std::move(snapshot);
  return LatestTotals(tx, collection_id, period_id, absl::InfiniteFuture());
}

absl::Status LoadFigures(store::Transaction& tx, ReturnRecord& r) {
  auto rows = tx.Query(
      "SELECT * FROM return_values WHERE collection_id = $1 AND period_id = $2 AND la_code = $3 "
      "AND version = $4 ORDER BY indicator_id, position",
      {Text(r.collection_id), Text(r.period_id), Text(r.la_code), Int(r.version)});
  if (!rows.ok()) return rows.status();
  for (const store::Row& row : *rows) {
    const std::string& id = row.GetText("indicator_id");
    if (r.values.empty() || r.values.back().indicator_id != id) {
      r.values.emplace_back();
      r.values.back().indicator_id = id;
      r.values.back().indicator_version = row.GetInt64("indicator_version");
    }
    const Dimension dimension = static_cast<Dimension>(row.GetInt64("dimension"));
    if (dimension == Dimension::kTotal) {
      r.values.back().total = ReadObservation(row);
    } else {
      r.values.back().breakdowns.push_back(
          {dimension, row.GetText("category"), ReadObservation(row)});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ReturnRecord> GetReturn(store::Transaction& tx, const std::string& la_code,
                                       const std::string& collection_id,
                                       const std::string& period_id, int64_t version,
                                       bool with_values) {
  auto latest = LatestVersion(tx, la_code, collection_id, period_id);
  if (!latest.ok()) return latest.status();
  const int64_t wanted = version == 0 ? *latest : version;
  auto rows = tx.Query(
      "SELECT * FROM returns WHERE collection_id = $1 AND period_id = $2 AND la_code = $3 AND "
      "version = $4",
      {Text(collection_id), Text(period_id), Text(la_code), Int(wanted)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::NotFoundError(absl::StrCat("no return version ", wanted, " from LA ", la_code,
                                            " for ", collection_id, " ", period_id));
  }
  ReturnRecord r = ReadReturn((*rows)[0]);
  r.latest = r.version == *latest;
  if (with_values) {
    if (absl::Status s = LoadFigures(tx, r); !s.ok()) return s;
  }
  return r;
}

absl::StatusOr<std::vector<ReturnRecord>> ListReturnVersions(store::Transaction& tx,
                                                             const std::string& collection_id,
                                                             const std::string& period_id,
                                                             bool with_given_indicators) {
  auto rows = tx.Query(
      "SELECT * FROM returns WHERE collection_id = $1 AND period_id = $2 ORDER BY la_code, version",
      {Text(collection_id), Text(period_id)});
  if (!rows.ok()) return rows.status();
  std::vector<ReturnRecord> out;
  for (const store::Row& row : *rows) out.push_back(ReadReturn(row));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].latest = i + 1 == out.size() || out[i + 1].la_code != out[i].la_code;
  }
  if (!with_given_indicators) return out;
  auto given = tx.Query(
      "SELECT la_code, version, indicator_id, state FROM return_values WHERE collection_id = $1 "
      "AND "
      "period_id = $2 AND dimension = 0 ORDER BY la_code, version, indicator_id",
      {Text(collection_id), Text(period_id)});
  if (!given.ok()) return given.status();
  size_t at = 0;
  for (const store::Row& row : *given) {
    while (at < out.size() && (out[at].la_code != row.GetText("la_code") ||
                               out[at].version != row.GetInt64("version"))) {
      ++at;
    }
    if (at == out.size()) break;
    IndicatorFigures f;
    f.indicator_id = row.GetText("indicator_id");
    f.total.state = static_cast<ValueState>(row.GetInt64("state"));
    out[at].values.push_back(std::move(f));
  }
  return out;
}

absl::StatusOr<std::vector<LatestTotal>> LatestTotals(store::Transaction& tx,
                                                      const std::string& collection_id,
                                                      const std::string& period_id,
                                                      absl::Time as_of) {
  auto rows = tx.Query(
      "SELECT v.la_code, v.indicator_id, v.state, v.value_unscaled, v.value_scale, "
      "v.numerator_unscaled, "
      "v.numerator_scale, v.denominator_unscaled, v.denominator_scale, v.note, r.version, "
      "r.timeliness "
      "FROM (SELECT la_code, MAX(version) AS version FROM returns WHERE collection_id = $1 AND "
      "period_id = $2 AND receive_us <= $3 GROUP BY la_code) l "
      "JOIN returns r ON r.collection_id = $1 AND r.period_id = $2 AND r.la_code = l.la_code AND "
      "r.version = l.version "
      "JOIN return_values v ON v.collection_id = $1 AND v.period_id = $2 AND v.la_code = l.la_code "
      "AND "
      "v.version = l.version AND v.dimension = 0",
      {Text(collection_id), Text(period_id),
       Int(as_of == absl::InfiniteFuture() ? INT64_MAX : Micros(as_of))});
  if (!rows.ok()) return rows.status();
  std::vector<LatestTotal> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) {
    LatestTotal t;
    t.la_code = row.GetText("la_code");
    t.indicator_id = row.GetText("indicator_id");
    t.total = ReadObservation(row);
    t.return_version = row.GetInt64("version");
    t.timeliness = static_cast<Timeliness>(row.GetInt64("timeliness"));
    out.push_back(std::move(t));
  }
  return out;
}

absl::StatusOr<std::vector<LatestBreakdown>> LatestBreakdowns(
    store::Transaction& tx, const std::string& collection_id, const std::string& period_id,
    const std::string& indicator_id, Dimension dimension, absl::Time as_of) {
  auto rows = tx.Query(
      "SELECT v.la_code, v.category, v.state, v.value_unscaled, v.value_scale, "
      "v.numerator_unscaled, "
      "v.numerator_scale, v.denominator_unscaled, v.denominator_scale, v.note "
      "FROM (SELECT la_code, MAX(version) AS version FROM returns WHERE collection_id = $1 AND "
      "period_id = $2 AND receive_us <= $3 GROUP BY la_code) l "
      "JOIN return_values v ON v.collection_id = $1 AND v.period_id = $2 AND v.la_code = l.la_code "
      "AND "
      "v.version = l.version AND v.indicator_id = $4 AND v.dimension = $5",
      {Text(collection_id), Text(period_id),
       Int(as_of == absl::InfiniteFuture() ? INT64_MAX : Micros(as_of)), Text(indicator_id),
       Int(static_cast<int>(dimension))});
  if (!rows.ok()) return rows.status();
  std::vector<LatestBreakdown> out;
  for (const store::Row& row : *rows) {
    out.push_back({row.GetText("la_code"), row.GetText("category"), ReadObservation(row)});
  }
  return out;
}

}  // namespace repository
}  // namespace slihub::datacollection
