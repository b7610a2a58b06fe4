#include "services/datacollection/adapter/rug_answer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"

namespace slihub::datacollection {
namespace {

// A rug of `rows` indicators by 3 LAs with every kind of field set somewhere.
v1::Benchmark* MakeRug(google::protobuf::Arena* arena, int rows) {
  auto* rug = google::protobuf::Arena::CreateMessage<v1::Benchmark>(arena);
  rug->mutable_region()->set_value("EE");
  rug->set_collection_id("EE-core");
  rug->set_period_id("2025-Q2");
  rug->set_previous_period_id("2025-Q1");
  for (const char* la : {"873", "926", "935"}) rug->add_la_codes()->set_value(la);
  rug->mutable_compute_time()->set_seconds(1760000000);
  for (int i = 0; i < rows; ++i) {
    v1::BenchmarkRow* row = rug->add_rows();
    row->mutable_indicator()->set_indicator_id(absl::StrCat("ind-", i));
    row->mutable_regional()->set_las_present(3);
    for (const char* la : {"873", "926", "935"}) {
      v1::BenchmarkCell* cell = row->add_cells();
      cell->mutable_la_code()->set_value(la);
      cell->set_indicator_id(absl::StrCat("ind-", i));
      cell->set_rank(i % 3 + 1);
      cell->mutable_value()->set_unscaled(1000 + i);  // a long answer needs multi-byte lengths
      cell->mutable_value()->set_scale(1);
      cell->set_note(std::string(static_cast<size_t>(i % 200), 'n'));
    }
  }
  rug->add_disproportionality()->set_indicator_id("ind-0");
  return rug;
}

TEST(RugAnswerTest, TheBytesParseToTheRugWithOrWithoutHelpers) {
  WorkerPool pool(2, 64);
  for (WorkerPool* helpers : {static_cast<WorkerPool*>(nullptr), &pool}) {
    for (int rows : {0, 1, 250}) {
      google::protobuf::Arena arena;
      v1::Benchmark* rug = MakeRug(&arena, rows);
      const std::string before = rug->SerializeAsString();
      const std::string bytes = SerializeRugAnswer(rug, helpers);
      v1::GetBenchmarkResponse parsed;
      ASSERT_TRUE(parsed.ParseFromString(bytes)) << rows;
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.benchmark(), *rug))
          << rows;
      EXPECT_EQ(rug->SerializeAsString(), before) << "the rug is left as it was";
      EXPECT_EQ(rug->rows_size(), rows);
    }
  }
}

// The bytes of `buffer`, and the number of slices they came in.
std::string Flatten(const grpc::ByteBuffer& buffer, size_t* slice_count = nullptr) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (slice_count != nullptr) *slice_count = slices.size();
  return bytes;
}

// How many times each top-level field number occurs in `bytes`; {-1: 1} when they do not parse.
std::map<int, int> TopLevelFieldCounts(const std::string& bytes) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  std::map<int, int> counts;
  while (const uint32_t tag = in.ReadTag()) {
    ++counts[WireFormatLite::GetTagFieldNumber(tag)];
    if (!WireFormatLite::SkipField(&in, tag)) return {{-1, 1}};
  }
  return counts;
}

v1::GetBenchmarkResponse PerCall() {
  v1::GetBenchmarkResponse per_call;
  per_call.mutable_benchmark()->mutable_as_of_time()->set_seconds(1765000000);
  per_call.mutable_benchmark()->mutable_as_of_time()->set_nanos(123000);
  per_call.mutable_federation()->set_scope(slihub::common::v1::REGION_SCOPE_OWN_REGION);
  return per_call;
}

// Every decoder must read the same rug: protobufjs (@grpc/proto-loader) keeps only the last
// occurrence of a message field, so the rug and the call's as_of_time must be ONE field.
TEST(RugAnswerTest, ACallsAnswerIsTheRugAndItsOwnFieldsInOneBenchmarkField) {
  for (int rows : {0, 1, 250}) {
    SCOPED_TRACE(rows);
    google::protobuf::Arena arena;
    v1::Benchmark* rug = MakeRug(&arena, rows);
    auto answer = std::make_shared<const std::string>(SerializeRugAnswer(rug, nullptr));
    const grpc::ByteBuffer buffer = RugAnswerForCall(*answer, answer, PerCall());
    size_t slices = 0;
    const std::string bytes = Flatten(buffer, &slices);

    const std::map<int, int> expected_counts = {{1, 1}, {2, 1}};
    EXPECT_EQ(TopLevelFieldCounts(bytes), expected_counts);
    v1::GetBenchmarkResponse parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes));
    v1::GetBenchmarkResponse expected = PerCall();
    expected.mutable_benchmark()->MergeFrom(*rug);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, expected));
    // The benchmark field alone, as a decoder that keeps one occurrence would read it.
    const std::string field = parsed.benchmark().SerializeAsString();
    v1::Benchmark alone;
    ASSERT_TRUE(alone.ParseFromString(field));
    EXPECT_EQ(alone.rows_size(), rows);
    EXPECT_TRUE(alone.has_as_of_time());

    // The cached bytes are not copied: the middle slice is `answer` itself, held by the buffer.
    EXPECT_EQ(slices, 3u);
    EXPECT_GE(answer.use_count(), 2);
  }
}

TEST(RugAnswerTest, TheBufferReleasesTheCachedAnswerWhenDropped) {
  google::protobuf::Arena arena;
  auto answer =
      std::make_shared<const std::string>(SerializeRugAnswer(MakeRug(&arena, 3), nullptr));
  {
    const grpc::ByteBuffer buffer = RugAnswerForCall(*answer, answer, PerCall());
    EXPECT_EQ(answer.use_count(), 2);
  }
  EXPECT_EQ(answer.use_count(), 1);
}

TEST(RugAnswerTest, WithoutPerCallFieldsTheAnswerIsTheCachedRug) {
  google::protobuf::Arena arena;
  v1::Benchmark* rug = MakeRug(&arena, 4);
  auto answer = std::make_shared<const std::string>(SerializeRugAnswer(rug, nullptr));
  const std::string bytes = Flatten(RugAnswerForCall(*answer, answer, {}));
  EXPECT_EQ(bytes, *answer);
}

TEST(RugAnswerTest, BytesThatAreNotARugAnswerAreMergedIntoOnePiece) {
  v1::GetBenchmarkResponse earlier;
  earlier.mutable_benchmark()->set_period_id("2025-Q2");
  earlier.mutable_federation()->set_scope(slihub::common::v1::REGION_SCOPE_NATIONAL);
  for (const std::string& not_a_rug_answer : {std::string(), earlier.SerializeAsString()}) {
    const std::string bytes = Flatten(RugAnswerForCall(not_a_rug_answer, nullptr, PerCall()));
    const std::map<int, int> expected_counts = {{1, 1}, {2, 1}};
    EXPECT_EQ(TopLevelFieldCounts(bytes), expected_counts);
    v1::GetBenchmarkResponse parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes));
    v1::GetBenchmarkResponse expected;
    expected.ParseFromString(not_a_rug_answer);
    expected.MergeFrom(PerCall());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, expected));
  }
}

}  // namespace
}  // namespace slihub::datacollection
