#include "common/server/proto_time.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(ProtoTimeTest, TimestampRoundTripsIncludingBeforeEpoch) {
  for (absl::Time t : {absl::FromUnixSeconds(1764000000) + absl::Milliseconds(250),
                       absl::FromUnixSeconds(-5) + absl::Milliseconds(100)}) {
    auto ts = ToProtoTimestamp(t);
    EXPECT_GE(ts.nanos(), 0);
    auto back = FromProtoTimestamp(ts);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, t);
  }
  google::protobuf::Timestamp bad;
  bad.set_nanos(-1);
  EXPECT_FALSE(FromProtoTimestamp(bad).ok());
}

TEST(ProtoTimeTest, DurationValidatesNanosAndSign) {
  google::protobuf::Duration d;
  d.set_seconds(2);
  d.set_nanos(500000000);
  EXPECT_EQ(*FromProtoDuration(d), absl::Milliseconds(2500));
  d.set_nanos(-1);
  EXPECT_FALSE(FromProtoDuration(d).ok());
  d.set_seconds(0);
  d.set_nanos(1000000000);
  EXPECT_FALSE(FromProtoDuration(d).ok());
}

TEST(ProtoTimeTest, DurationRoundTripsWithOneSign) {
  for (absl::Duration d : {absl::Milliseconds(2500), absl::Milliseconds(-2500), absl::ZeroDuration(),
                           absl::Nanoseconds(-1)}) {
    google::protobuf::Duration wire = ToProtoDuration(d);
    EXPECT_FALSE(wire.seconds() > 0 && wire.nanos() < 0);
    EXPECT_FALSE(wire.seconds() < 0 && wire.nanos() > 0);
    EXPECT_EQ(*FromProtoDuration(wire), d);
  }
}

}  // namespace
}  // namespace slihub
