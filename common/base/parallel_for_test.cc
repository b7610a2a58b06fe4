#include "common/base/parallel_for.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

TEST(ParallelForTest, RunsEveryIterationExactlyOnce) {
  WorkerPool pool(3, 16);
  for (size_t n : {0u, 1u, 2u, 7u, 1000u}) {
    std::vector<std::atomic<int>> runs(n);
    ParallelFor(&pool, 3, n, [&](size_t i) { runs[i].fetch_add(1); });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(runs[i].load(), 1) << "n=" << n << " i=" << i;
  }
}

TEST(ParallelForTest, UsesThePoolsThreads) {
  WorkerPool pool(2, 16);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  ParallelFor(&pool, 2, 60, [&](size_t) {
    const int now = inside.fetch_add(1) + 1;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    inside.fetch_sub(1);
  });
  EXPECT_GE(most.load(), 2);
}

TEST(ParallelForTest, ABusyPoolOnlyMeansTheCallerDoesTheWork) {
  // Declared before the pool, so they outlive its thread (still inside
  // release.WaitForNotification() when the test body ends) until the pool joins it.
  absl::Notification started;
  absl::Notification release;
  WorkerPool pool(1, 1);
  ASSERT_TRUE(pool.TrySubmit([&] {  // occupies the thread
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  ASSERT_TRUE(pool.TrySubmit([] {}));  // fills the queue
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> elsewhere{0};
  ParallelFor(&pool, 4, 50, [&](size_t) {
    if (std::this_thread::get_id() != caller) elsewhere.fetch_add(1);
  });
  EXPECT_EQ(elsewhere.load(), 0);
  release.Notify();
}

TEST(ParallelForTest, WithoutAPoolRunsInline) {
  const std::thread::id caller = std::this_thread::get_id();
  int count = 0;
  ParallelFor(nullptr, 4, 10, [&](size_t) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    ++count;
  });
  EXPECT_EQ(count, 10);
}

}  // namespace
}  // namespace slihub
