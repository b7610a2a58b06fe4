#include "tests/support/test_logs.h"

#include <errno.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace slihub::testing {

std::string TestLogDir() {
  static const std::string dir = [] {
    const std::string path = absl::StrCat(SLIHUB_TEST_LOG_DIR, "/", program_invocation_short_name);
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
    std::filesystem::create_directories(path, ignored);
    return path;
  }();
  return dir;
}

void KeepTestLog(const std::string& path, const std::string& name) {
  static std::atomic<int> kept{0};
  std::error_code error;
  if (path.empty() || std::filesystem::file_size(path, error) == 0 || error) return;
  const std::string to =
      absl::StrCat(TestLogDir(), "/", ::getpid(), "-", ++kept, "-", name, ".log");
  std::filesystem::copy_file(path, to, std::filesystem::copy_options::overwrite_existing, error);
}

}  // namespace slihub::testing
