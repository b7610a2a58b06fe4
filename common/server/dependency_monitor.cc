#include "common/server/dependency_monitor.h"

#include "absl/time/clock.h"
#include "common/base/log.h"

namespace slihub {

const char* DependencyStateName(DependencyState state) {
  switch (state) {
    case DependencyState::kUp: return "up";
    case DependencyState::kDegraded: return "degraded";
    case DependencyState::kDown: return "down";
  }
  return "unknown";
}

void DependencyMonitor::Register(const std::string& name, bool required) {
  absl::MutexLock lock(&mu_);
  DependencyStatus& dep = deps_[name];
  dep.name = name;
  dep.required = required;
  dep.state = DependencyState::kUp;
  dep.since = absl::Now();
}

void DependencyMonitor::AddListener(Listener listener) {
  absl::MutexLock lock(&mu_);
  listeners_.push_back(std::move(listener));
}

void DependencyMonitor::Set(const std::string& name, DependencyState state,
                            const std::string& detail) {
  absl::MutexLock notify(&notify_mu_);
  DependencyStatus changed;
  bool serving = true;
  std::vector<Listener> listeners;
  {
    absl::MutexLock lock(&mu_);
    auto it = deps_.find(name);
    if (it == deps_.end()) return;
    DependencyStatus& dep = it->second;
    if (dep.state == state) {
      dep.detail = detail;
      return;
    }
    dep.state = state;
    dep.detail = state == DependencyState::kUp ? "" : detail;
    dep.since = absl::Now();
    changed = dep;
    for (const auto& [n, d] : deps_) {
      if (d.required && d.state == DependencyState::kDown) serving = false;
    }
    listeners = listeners_;
  }
  LogLine(state == DependencyState::kUp ? LogLevel::kInfo : LogLevel::kWarning,
          "dependency_state")
      .Str("dependency", changed.name)
      .Str("state", DependencyStateName(changed.state))
      .Str("detail", changed.detail)
      .Bool("serving", serving);
  for (const Listener& listener : listeners) listener(changed, serving);
}

bool DependencyMonitor::serving() const {
  absl::MutexLock lock(&mu_);
  for (const auto& [name, dep] : deps_) {
    if (dep.required && dep.state == DependencyState::kDown) return false;
  }
  return true;
}

std::vector<DependencyStatus> DependencyMonitor::Snapshot() const {
  absl::MutexLock lock(&mu_);
  std::vector<DependencyStatus> out;
  for (const auto& [name, dep] : deps_) out.push_back(dep);
  return out;
}

}  // namespace slihub
