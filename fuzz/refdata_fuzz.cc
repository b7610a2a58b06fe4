// libFuzzer target: the LA reference CSV loader (ReferenceData::LoadFromText) on arbitrary
// bytes. Loaded data must be self-consistent: every LA found by its code, in its region.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "common/refdata/reference_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto refdata = slihub::ReferenceData::LoadFromText(text);
  if (!refdata.ok()) return 0;
  for (const slihub::LocalAuthorityRecord& la : (*refdata)->local_authorities()) {
    if ((*refdata)->FindLocalAuthority(la.la_code) != &la) std::abort();
    if (!slihub::IsLaCodeSyntax(la.la_code)) std::abort();
    if ((*refdata)->FindRegion(la.region_code) == nullptr) std::abort();
  }
  return 0;
}
