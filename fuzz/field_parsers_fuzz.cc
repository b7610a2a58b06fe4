// libFuzzer target: the small parsers every request's text goes through, on arbitrary bytes:
// civil dates, decimals, quarter ids, SWE numbers, Ofsted URNs, postcode districts, page tokens,
// bearer tokens, role and log level names, request ids and the text rules.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "common/base/civil_date.h"
#include "common/base/log.h"
#include "common/base/text.h"
#include "common/identity/principal.h"
#include "common/identity/token_codec.h"
#include "common/server/paging.h"
#include "common/server/request_fields.h"
#include "services/datacollection/domain/decimal.h"
#include "services/datacollection/domain/period.h"
#include "services/placement/adapter/convert.h"
#include "services/placement/domain/ofsted_urn.h"
#include "services/workforce/domain/swe_number.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string owned(text);
  (void)slihub::ParseCivilDate(text);
  if (auto d = slihub::datacollection::ParseDecimal(text); d.ok()) {
    // A parsed decimal parses again from its own text to the same value.
    auto again = slihub::datacollection::ParseDecimal(slihub::datacollection::FormatDecimal(*d));
    if (!again.ok() || !(*again == *d)) std::abort();
  }
  (void)slihub::datacollection::ParseQuarterId(text);
  if (auto swe = slihub::workforce::NormaliseSweNumber(text); swe.ok()) {
    auto again = slihub::workforce::NormaliseSweNumber(*swe);
    if (!again.ok() || *again != *swe) std::abort();  // normal forms are fixed points
  }
  if (auto urn = slihub::placement::NormalizeOfstedUrn(text); urn.has_value()) {
    auto again = slihub::placement::NormalizeOfstedUrn(*urn);
    if (!again.has_value() || *again != *urn) std::abort();
  }
  std::string district;
  (void)slihub::placement::NormalizePostcodeDistrict(owned, &district);
  slihub::FieldViolations violations;
  const std::string key = slihub::DecodePageToken("providers", text, "page_token", &violations);
  if (!violations.empty() && !key.empty()) std::abort();
  if (violations.empty() && slihub::DecodePageToken("providers",
                                                    slihub::EncodePageToken("providers", key),
                                                    "page_token", &violations) != key) {
    std::abort();  // a token resumes where it says
  }
  (void)slihub::BearerToken(text);
  slihub::Role role;
  (void)slihub::ParseRole(text, &role);
  slihub::LogLevel level;
  (void)slihub::ParseLogLevel(text, &level);
  slihub::FieldViolations checks;
  slihub::CheckRequestId(text, "request_id", &checks);
  slihub::CheckId(text, "id", &checks);
  slihub::CheckText(text, "text", slihub::kLongText, &checks);
  (void)slihub::CountCodePoints(text);
  (void)slihub::TextProblem(text, 200, false);
  return 0;
}
