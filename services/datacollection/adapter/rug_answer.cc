#include "services/datacollection/adapter/rug_answer.h"

#include <cstdint>
#include <utility>
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

// Reads the varint at `bytes[*at]`, advancing *at. False when it runs past the end.
bool ReadVarint(const std::string& bytes, size_t* at, uint64_t* n) {
  *n = 0;
  for (int shift = 0; *at < bytes.size() && shift < 64; shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[(*at)++]);
    *n |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
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

grpc::ByteBuffer RugAnswerForCall(const std::string& answer, std::shared_ptr<const void> owner,
                                  v1::GetBenchmarkResponse per_call) {
  // `answer` is the benchmark tag, the rug's length, then the rug's fields: the call's own rug
  // fields go after them inside the same field, under the new length; its other fields follow.
  size_t body = 1;
  uint64_t rug_size = 0;
  if (answer.empty() || answer[0] != kResponseBenchmarkTag ||
      !ReadVarint(answer, &body, &rug_size) || rug_size != answer.size() - body) {
    // Not SerializeRugAnswer's bytes (a programming error): parse and merge, then send one piece.
    v1::GetBenchmarkResponse merged;
    merged.ParseFromString(answer);
    merged.MergeFrom(per_call);
    grpc::Slice slice(merged.SerializeAsString());
    return grpc::ByteBuffer(&slice, 1);
  }
  std::string tail = per_call.has_benchmark() ? per_call.benchmark().SerializeAsString() : "";
  std::string head;
  head.push_back(kResponseBenchmarkTag);
  AppendVarint(rug_size + tail.size(), &head);
  per_call.clear_benchmark();
  tail += per_call.SerializeAsString();
  auto* held = new std::shared_ptr<const void>(std::move(owner));
  grpc::Slice slices[3] = {
      grpc::Slice(head),
      grpc::Slice(const_cast<char*>(answer.data() + body), answer.size() - body,
                  [](void* held) { delete static_cast<std::shared_ptr<const void>*>(held); },
                  held),
      grpc::Slice(tail)};
  return grpc::ByteBuffer(slices, 3);
}

}  // namespace slihub::datacollection
