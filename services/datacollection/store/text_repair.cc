#include "services/datacollection/store/text_repair.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/text.h"

namespace slihub::datacollection {
namespace {

// One table's text columns and the key columns that name a row.
struct TextColumns {
  const char* table;
  std::vector<const char*> keys;
  std::vector<const char*> columns;
  bool feeds_totals;  // its text is copied into latest_totals rows
};

const std::vector<TextColumns>& Tables() {
  static const auto* tables = new std::vector<TextColumns>{
      {"indicators",
       {"indicator_id", "version"},
       {"name", "short_name", "definition", "source"},
       false},
      {"collections", {"collection_id"}, {"name", "description"}, false},
      {"periods", {"collection_id", "period_id"}, {"label"}, false},
      {"returns", {"collection_id", "period_id", "la_code", "version"}, {"comment"}, false},
      {"return_values",
       {"collection_id", "period_id", "la_code", "version", "indicator_id", "dimension",
        "category"},
       {"note"},
       true},
  };
  return *tables;
}

// The stored value of a key column, exactly as stored (keys may be TEXT or INTEGER).
store::Value KeyValue(const store::Row& row, const char* column) { return row.value(column); }

// A key column shown in the quarantine row.
std::string KeyText(const store::Row& row, const char* column) {
  const std::string& text = row.GetText(column);
  return text.empty() ? absl::StrCat(row.GetInt64(column)) : ReplaceInvalidUtf8(text);
}

}  // namespace

absl::StatusOr<int64_t> RepairStoredText(store::Transaction& tx, absl::Time now) {
  int64_t repaired = 0;
  for (const TextColumns& t : Tables()) {
    for (const char* column : t.columns) {
      const std::string keys = absl::StrJoin(t.keys, ", ");
      auto rows = tx.Query(absl::StrCat("SELECT ", keys, ", ", column, " AS text FROM ", t.table,
                                        " WHERE ", column, " <> ''"));
      if (!rows.ok()) return rows.status();
      for (const store::Row& row : *rows) {
        const std::string text = row.GetText("text");
        if (IsValidUtf8(text)) continue;
        std::vector<store::Value> params = {store::Text(ReplaceInvalidUtf8(text))};
        std::string where;
        std::vector<std::string> key_text;
        for (size_t k = 0; k < t.keys.size(); ++k) {
          absl::StrAppend(&where, k == 0 ? "" : " AND ", t.keys[k], " = $", k + 2);
          params.push_back(KeyValue(row, t.keys[k]));
          key_text.push_back(KeyText(row, t.keys[k]));
        }
        auto changed = tx.Execute(
            absl::StrCat("UPDATE ", t.table, " SET ", column, " = $1 WHERE ", where), params);
        if (!changed.ok()) return changed.status();
        auto kept = tx.Execute(
            "INSERT INTO text_quarantine (table_name, row_key, column_name, original_hex, "
            "repaired_us) VALUES ($1, $2, $3, $4, $5)",
            {store::Text(t.table), store::Text(absl::StrJoin(key_text, "|")), store::Text(column),
             store::Text(absl::BytesToHexString(text)), store::Int(absl::ToUnixMicros(now))});
        if (!kept.ok()) return kept.status();
        if (t.feeds_totals) {
          auto dropped =
              tx.Execute("DELETE FROM latest_totals WHERE collection_id = $1 AND period_id = $2",
                         {KeyValue(row, "collection_id"), KeyValue(row, "period_id")});
          if (!dropped.ok()) return dropped.status();
        }
        ++repaired;
      }
    }
  }
  if (repaired > 0) {
    auto bumped =
        tx.Execute("UPDATE store_generation SET generation = generation + 1 WHERE id = 1");
    if (!bumped.ok()) return bumped.status();
  }
  return repaired;
}

}  // namespace slihub::datacollection
