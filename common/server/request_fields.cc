#include "common/server/request_fields.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/text.h"

namespace slihub {
namespace {

std::string Path(absl::string_view field, absl::string_view leaf) {
  return absl::StrCat(field, ".", leaf);
}

}  // namespace

bool IsValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
    if (!ok) return false;
  }
  return true;
}

void CheckRequestId(absl::string_view id, absl::string_view field, FieldViolations* v) {
  if (id.empty()) {
    v->Add(std::string(field), "is required (the idempotency key of this write)");
  } else if (!IsValidRequestId(id)) {
    v->Add(std::string(field),
           "must be 1 to 128 characters from A-Z, a-z, 0-9 and - _ . : /");
  }
}

void CheckId(absl::string_view id, absl::string_view field, FieldViolations* v) {
  if (id.empty()) {
    v->Add(std::string(field), "is required");
    return;
  }
  if (id.size() > kMaxIdLength) {
    v->Add(std::string(field), absl::StrCat("must be at most ", kMaxIdLength, " characters"));
    return;
  }
  for (char c : id) {
    if (c <= 0x20 || c > 0x7e) {
      v->Add(std::string(field), "must be printable ASCII without spaces");
      return;
    }
  }
}

void CheckText(absl::string_view text, absl::string_view field, const TextRule& rule,
               FieldViolations* v) {
  if (text.empty()) {
    if (rule.required) v->Add(std::string(field), "is required");
    return;
  }
  if (std::optional<std::string> problem = TextProblem(text, rule.max_chars, rule.multiline)) {
    v->Add(std::string(field), *std::move(problem));
  }
}

std::optional<absl::CivilDay> ReadOptionalDate(const slihub::common::v1::CivilDate& date,
                                               bool present, absl::string_view field,
                                               FieldViolations* v) {
  if (!present) return std::nullopt;
  bool ok = true;
  if (date.year() < kMinYear || date.year() > kMaxYear) {
    v->Add(Path(field, "year"), absl::StrCat("must be between ", kMinYear, " and ", kMaxYear));
    ok = false;
  }
  if (date.month() < 1 || date.month() > 12) {
    v->Add(Path(field, "month"), "must be between 1 and 12");
    ok = false;
  }
  if (!ok) return std::nullopt;
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.day() < 1 || day.day() != date.day() || day.month() != date.month()) {
    v->Add(Path(field, "day"),
           absl::StrCat("is not a day of ", date.year(), "-", date.month() < 10 ? "0" : "",
                        date.month()));
    return std::nullopt;
  }
  return day;
}

std::optional<absl::CivilDay> ReadDate(const slihub::common::v1::CivilDate& date, bool present,
                                       absl::string_view field, FieldViolations* v) {
  if (!present) {
    v->Add(std::string(field), "is required");
    return std::nullopt;
  }
  return ReadOptionalDate(date, present, field, v);
}

const LocalAuthorityRecord* ReadLa(const ReferenceData& refdata, absl::string_view code,
                                   absl::string_view field, FieldViolations* v) {
  if (code.empty()) {
    v->Add(std::string(field), "is required");
    return nullptr;
  }
  const LocalAuthorityRecord* la = refdata.FindLocalAuthority(code);
  if (la == nullptr) {
    v->Add(std::string(field), "is not the DfE code of an English LA");
  }
  return la;
}

const LocalAuthorityRecord* ReadLaOfRegion(const ReferenceData& refdata, absl::string_view code,
                                           absl::string_view region, absl::string_view field,
                                           FieldViolations* v) {
  const LocalAuthorityRecord* la = ReadLa(refdata, code, field, v);
  if (la != nullptr && la->region_code != region) {
    v->Add(std::string(field), absl::StrCat("is not an LA of region ", region));
    return nullptr;
  }
  return la;
}

void CheckRange(int64_t value, int64_t min, int64_t max, absl::string_view field,
                FieldViolations* v) {
  if (value < min || value > max) {
    v->Add(std::string(field), absl::StrCat("must be between ", min, " and ", max));
  }
}

}  // namespace slihub
