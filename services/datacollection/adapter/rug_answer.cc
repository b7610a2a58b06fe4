#include "services/datacollection/adapter/rug_answer.h"

#include <cstdint>
#include <vector>

#include "common/base/parallel_for.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"

namespace slihub::datacollection {
namespace {

// Wire-format tags (field number << 3 | length-delimited).
constexpr char kResponseBenchmarkTag = (v1::GetBenchmarkResponse::kBenchmarkFieldNumber << 3) | 2;
constexpr char kBenchmarkRowsTag = (v1::Benchmark::kRowsFieldNumber << 3) | 2;

void AppendVarint(uint64_t n, std::string* out) {
  for (; n >= 0x80; n >>= 7) out->push_back(static_cast<char>((n & 0x7f) | 0x80));
  out->push_back(static_cast<char>(n));
}

size_t VarintSize(uint64_t n) {
  size_t size = 1;
  for (; n >= 0x80; n >>= 7) ++size;
  return size;
}

}  // namespace

std::string SerializeRugAnswer(v1::Benchmark* rug, WorkerPool* pool) {
  // Everything but the rows, serialized with the rows set aside (a pointer swap on one arena).
  google::protobuf::RepeatedPtrField<v1::BenchmarkRow> rows(rug->GetArena());
  rug->mutable_rows()->Swap(&rows);
  const std::string head = rug->SerializeAsString();
  rug->mutable_rows()->Swap(&rows);

  const std::vector<std::string>::size_type n = static_cast<size_t>(rug->rows_size());
  std::vector<std::string> row_bytes(n);
  ParallelFor(pool, SpareCores(), n, [&](size_t i) {
    rug->rows(static_cast<int>(i)).SerializeToString(&row_bytes[i]);
  });

  // Repeated fields may follow the others on the wire: parsers append each framed row in order.
  uint64_t rug_size = head.size();
  for (const std::string& row : row_bytes) rug_size += 1 + VarintSize(row.size()) + row.size();
  std::string answer;
  answer.reserve(1 + VarintSize(rug_size) + rug_size);
  answer.push_back(kResponseBenchmarkTag);
  AppendVarint(rug_size, &answer);
  answer += head;
  for (const std::string& row : row_bytes) {
    answer.push_back(kBenchmarkRowsTag);
    AppendVarint(row.size(), &answer);
    answer += row;
  }
  return answer;
}

}  // namespace slihub::datacollection
