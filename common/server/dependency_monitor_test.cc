#include "common/server/dependency_monitor.h"

#include <vector>

#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(DependencyMonitorTest, RequiredDownMeansNotServingOptionalDegradedDoesNot) {
  DependencyMonitor monitor;
  monitor.Register("store", true);
  monitor.Register("redis", false);
  std::vector<std::pair<std::string, bool>> events;
  monitor.AddListener([&](const DependencyStatus& d, bool serving) {
    events.emplace_back(d.name, serving);
  });
  EXPECT_TRUE(monitor.serving());
  monitor.Set("redis", DependencyState::kDegraded, "connection refused");
  EXPECT_TRUE(monitor.serving());
  monitor.Set("redis", DependencyState::kDegraded, "still refused");  // no change: no event
  monitor.Set("store", DependencyState::kDown, "disk I/O error");
  EXPECT_FALSE(monitor.serving());
  monitor.Set("store", DependencyState::kUp, "");
  EXPECT_TRUE(monitor.serving());
  monitor.Set("unknown", DependencyState::kDown, "ignored");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], std::make_pair(std::string("redis"), true));
  EXPECT_EQ(events[1], std::make_pair(std::string("store"), false));
  EXPECT_EQ(events[2], std::make_pair(std::string("store"), true));

  auto snapshot = monitor.Snapshot();
  ASSERT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot[0].name, "redis");
  EXPECT_EQ(snapshot[0].state, DependencyState::kDegraded);
  EXPECT_EQ(snapshot[0].detail, "still refused");
  EXPECT_EQ(snapshot[1].detail, "");
}

}  // namespace
}  // namespace slihub
