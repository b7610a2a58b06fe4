// Polling helper for tests that wait on real processes and sockets.
#ifndef SLIHUB_TESTS_SUPPORT_WAIT_FOR_H_
#define SLIHUB_TESTS_SUPPORT_WAIT_FOR_H_

#include <algorithm>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace slihub::testing {

// Calls `predicate` every `poll_interval` until it returns true (returns true) or `timeout`
// has passed (returns false). The predicate is always called at least once and once more at
// the deadline, so a zero timeout is a single check. Runs on the calling thread.
template <typename Predicate>
bool WaitFor(Predicate&& predicate, absl::Duration timeout,
             absl::Duration poll_interval = absl::Milliseconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (predicate()) return true;
    const absl::Time now = absl::Now();
    if (now >= deadline) return false;
    absl::SleepFor(std::min(poll_interval, deadline - now));
  }
}

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_WAIT_FOR_H_
