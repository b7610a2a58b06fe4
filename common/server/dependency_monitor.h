// Tracks the state of a server's dependencies and whether the server is SERVING.
#ifndef SLIHUB_COMMON_SERVER_DEPENDENCY_MONITOR_H_
#define SLIHUB_COMMON_SERVER_DEPENDENCY_MONITOR_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace slihub {

enum class DependencyState { kUp = 1, kDegraded = 2, kDown = 3 };

// "up", "degraded" or "down".
const char* DependencyStateName(DependencyState state);

// What is known of one dependency at one moment.
struct DependencyStatus {
  std::string name;
  bool required = false;
  DependencyState state = DependencyState::kUp;
  std::string detail;  // why, when not up
  absl::Time since;
};

// Thread-safe registry of dependency states. The server is serving while no required
// dependency is down. Listeners run on the thread that reported the change, one change at a
// time and in order; a listener must not call Set.
class DependencyMonitor {
 public:
  // Called with the dependency that changed and whether the server is now serving.
  using Listener = std::function<void(const DependencyStatus& changed, bool serving)>;

  // Adds `name` in state up. Call before any Set for it.
  void Register(const std::string& name, bool required);
  // Records `name`'s state; notifies listeners (and logs) only when the state changes.
  // An unregistered name is ignored.
  void Set(const std::string& name, DependencyState state, const std::string& detail);
  // Adds a listener for the changes that follow. Thread-safe.
  void AddListener(Listener listener);

  bool serving() const;
  std::vector<DependencyStatus> Snapshot() const;

 private:
  absl::Mutex notify_mu_;  // serializes Set, so listeners see changes in order
  mutable absl::Mutex mu_ ABSL_ACQUIRED_AFTER(notify_mu_);
  std::map<std::string, DependencyStatus> deps_ ABSL_GUARDED_BY(mu_);
  std::vector<Listener> listeners_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_DEPENDENCY_MONITOR_H_
