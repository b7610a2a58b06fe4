// slihub_access_matrix: prints the access matrix (Markdown) generated from the method tables;
// `--write README.md` replaces the README's section between the access-matrix markers, `--check
// README.md` fails (exit 1) when that section differs. Fails (exit 1) when a registered service
// has an RPC without a row.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tools/access_matrix/matrix.h"

namespace {

constexpr char kBegin[] = "<!-- access-matrix:begin -->\n";
constexpr char kEnd[] = "<!-- access-matrix:end -->";

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return static_cast<bool>(in);
}

}  // namespace

int main(int argc, char** argv) {
  using slihub::access_matrix::CheckAllTables;
  using slihub::access_matrix::RenderMarkdown;
  if (absl::Status tables = CheckAllTables(); !tables.ok()) {
    std::cerr << "access matrix: a method table is incomplete:\n" << tables.message() << "\n";
    return 1;
  }
  const std::string section = RenderMarkdown();
  if (argc == 1) {
    std::cout << section;
    return 0;
  }
  const std::string mode = argv[1];
  if (argc != 3 || (mode != "--write" && mode != "--check")) {
    std::cerr << "usage: slihub_access_matrix [--write|--check README.md]\n";
    return 2;
  }
  std::string readme;
  if (!ReadFile(argv[2], &readme)) {
    std::cerr << "cannot read " << argv[2] << "\n";
    return 1;
  }
  const size_t begin = readme.find(kBegin);
  const size_t end = readme.find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    std::cerr << argv[2] << " has no access-matrix markers\n";
    return 1;
  }
  const size_t from = begin + sizeof(kBegin) - 1;
  if (mode == "--check") {
    if (readme.compare(from, end - from, section) == 0) return 0;
    std::cerr << argv[2] << "'s access matrix differs from the method tables: run "
              << "slihub_access_matrix --write " << argv[2] << "\n";
    return 1;
  }
  readme.replace(from, end - from, section);
  std::ofstream out(argv[2], std::ios::trunc);
  out << readme;
  return out ? 0 : 1;
}
