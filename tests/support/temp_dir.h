// A private scratch directory for one test, removed with everything in it afterwards.
#ifndef SLIHUB_TESTS_SUPPORT_TEMP_DIR_H_
#define SLIHUB_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

#include "absl/strings/string_view.h"

namespace slihub::testing {

// Owns a fresh directory made by mkdtemp(3) under $TMPDIR (or /tmp when unset) and removes it
// recursively when destroyed. Construction aborts the test binary with a message when the
// directory cannot be made: that is a broken environment, not a test outcome.
// Move-only; thread-compatible.
class TempDir {
 public:
  // Creates "<tmp>/<prefix>-XXXXXX".
  explicit TempDir(absl::string_view prefix = "slihub-test");
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Absolute path of the directory, without a trailing slash. Empty after a move.
  const std::string& path() const { return path_; }

  // Returns path() + "/" + name; does not create anything.
  std::string Join(absl::string_view name) const;

 private:
  void Remove();
  std::string path_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_TEMP_DIR_H_
