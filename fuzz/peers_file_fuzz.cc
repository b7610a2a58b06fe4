// libFuzzer target: the federation peers file (ParsePeersFile) on arbitrary bytes, against the
// real reference data. Token files are read relative to the current directory, so the target
// works in a scratch directory holding two token files, and skips inputs naming a path with '/'
// (a peers file is configuration: reading /dev/stdin from it is not a parser defect).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/federation/peer_hubs.h"
#include "common/refdata/reference_data.h"

namespace {

const slihub::ReferenceData* refdata = nullptr;
char scratch[] = "/tmp/slihub-peers-fuzz-XXXXXX";

// Removes the scratch directory when libFuzzer exits.
void RemoveScratch() { std::filesystem::remove_all(scratch); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto loaded = slihub::ReferenceData::LoadFromFile(
      SLIHUB_SOURCE_DIR "/deploy/reference/local_authorities.csv");
  if (!loaded.ok()) std::abort();
  refdata = loaded->release();
  if (mkdtemp(scratch) == nullptr || chdir(scratch) != 0) std::abort();
  std::atexit(RemoveScratch);
  std::ofstream("se.token") << "slh_token_for_se\n";
  std::ofstream("empty.token") << "  \n";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.find('/') != absl::string_view::npos) return 0;
  auto specs = slihub::federation::ParsePeersFile(text, "placement", "EE", *refdata);
  if (!specs.ok()) {
    if (specs.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  for (const slihub::federation::PeerHubSpec& spec : *specs) {
    if (spec.region == "EE" || spec.token.empty() || refdata->FindRegion(spec.region) == nullptr) {
      std::abort();
    }
  }
  return 0;
}
