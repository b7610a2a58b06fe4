#include "services/placement/store/sql_helpers.h"

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/errors/errors.h"

namespace slihub::placement::sql {

std::string DayText(absl::CivilDay d) { return FormatCivilDate(d); }

absl::CivilDay DayFrom(const std::string& s) {
  absl::StatusOr<absl::CivilDay> d = ParseCivilDate(s);
  return d.ok() ? *d : absl::CivilDay();
}

Audit AuditFrom(const store::Row& r) {
  Audit a;
  a.create_time = FromMicros(r.GetInt64("created_at"));
  a.created_by = r.GetText("created_by");
  a.update_time = FromMicros(r.GetInt64("updated_at"));
  a.updated_by = r.GetText("updated_by");
  a.request_id = r.GetText("request_id");
  return a;
}

absl::StatusOr<std::string> NextId(store::Transaction& tx, const std::string& region,
                                   const std::string& kind) {
  absl::StatusOr<store::ResultSet> rs = tx.Query(
      "INSERT INTO id_counters(kind, next) VALUES ($1, 1) "
      "ON CONFLICT(kind) DO UPDATE SET next = next + 1 RETURNING next",
      {store::Text(kind)});
  if (!rs.ok()) return rs.status();
  return absl::StrCat(region, "-", kind, "-", (*rs)[0].GetInt64(0));
}

absl::Status NotFound(absl::string_view what, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
}

absl::Status Precondition(const std::string& type, const std::string& subject,
                          const std::string& description) {
  absl::Status s = FailedPreconditionError(description, {{type, subject, description}});
  SetErrorInfo(s, type);
  return s;
}

absl::Status Stale(const std::string& subject, int64_t expected, int64_t actual) {
  absl::Status s = absl::AbortedError(absl::StrCat(subject, " is at version ", actual,
                                                   ", not the expected ", expected));
  SetErrorInfo(s, "STALE_VERSION");
  return s;
}

}  // namespace slihub::placement::sql
