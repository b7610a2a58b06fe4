// WatchWriter against a recording sink: one write at a time, and exactly one Finish however gRPC
// orders its callbacks (the order that lost the Finish stalled a server's shutdown for good).
#include "services/placement/adapter/watch_writer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slihub::placement {
namespace {

// Records what the writer asks of the stream.
struct RecordingSink {
  void StartWrite(const std::string* message) { writes.push_back(*message); }
  void Finish(grpc::Status status) { finishes.push_back(status.error_code()); }
  std::vector<std::string> writes;
  std::vector<grpc::StatusCode> finishes;
};

using Writer = WatchWriter<std::string, RecordingSink>;

TEST(WatchWriterTest, WritesOneMessageAtATimeInOrder) {
  RecordingSink sink;
  Writer writer;
  writer.Attach(&sink);
  writer.Push("a");
  writer.Push("b");
  EXPECT_EQ(sink.writes, std::vector<std::string>{"a"});
  EXPECT_EQ(writer.queued(), 1u);
  writer.WriteDone(true);
  EXPECT_EQ(sink.writes, (std::vector<std::string>{"a", "b"}));
  writer.WriteDone(true);
  EXPECT_TRUE(sink.finishes.empty());
}

TEST(WatchWriterTest, ACancelDuringAWriteThatThenFailsFinishesOnce) {
  RecordingSink sink;
  Writer writer;
  writer.Attach(&sink);
  writer.Push("a");
  writer.End(grpc::Status::CANCELLED);  // OnCancel while the write is in flight
  EXPECT_TRUE(sink.finishes.empty());   // not while the write is in flight
  writer.WriteDone(false);              // the write then fails
  ASSERT_EQ(sink.finishes.size(), 1u);
  EXPECT_EQ(sink.finishes[0], grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(writer.ended());
}

TEST(WatchWriterTest, AFailedWriteThenACancelFinishesOnce) {
  RecordingSink sink;
  Writer writer;
  writer.Attach(&sink);
  writer.Push("a");
  writer.WriteDone(false);
  writer.End(grpc::Status::CANCELLED);
  EXPECT_EQ(sink.finishes.size(), 1u);
}

TEST(WatchWriterTest, AnEndAfterASuccessfulWriteKeepsItsStatusAndDropsTheQueue) {
  RecordingSink sink;
  Writer writer;
  writer.Attach(&sink);
  writer.Push("a");
  writer.Push("b");
  writer.End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "stopping"));
  writer.WriteDone(true);
  EXPECT_EQ(sink.writes, std::vector<std::string>{"a"});
  ASSERT_EQ(sink.finishes.size(), 1u);
  EXPECT_EQ(sink.finishes[0], grpc::StatusCode::UNAVAILABLE);
  writer.Push("c");  // dropped once ending
  EXPECT_EQ(sink.writes.size(), 1u);
}

TEST(WatchWriterTest, AnEndBeforeTheSinkExistsFinishesWhenItAttaches) {
  RecordingSink sink;
  Writer writer;
  writer.End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "stopping"));
  EXPECT_TRUE(sink.finishes.empty());
  writer.Attach(&sink);
  EXPECT_EQ(sink.finishes.size(), 1u);
}

}  // namespace
}  // namespace slihub::placement
