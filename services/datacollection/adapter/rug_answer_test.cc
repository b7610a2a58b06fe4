#include "services/datacollection/adapter/rug_answer.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
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

}  // namespace
}  // namespace slihub::datacollection
