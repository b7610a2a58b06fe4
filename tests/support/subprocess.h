// A child process for integration tests: started with fork/exec, always reaped.
#ifndef SLIHUB_TESTS_SUPPORT_SUBPROCESS_H_
#define SLIHUB_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace slihub::testing {

// How a child ended: exited with a code, or was killed by a signal.
struct ExitStatus {
  bool signaled = false;  // true when a signal ended the process
  int exit_code = 0;      // the exit code when !signaled; -1 if the status was lost
  int term_signal = 0;    // the signal number when signaled

  // True for a normal exit with code 0.
  bool success() const { return !signaled && exit_code == 0; }
  // "exit code 3" or "killed by signal 9 (Killed)".
  std::string ToString() const;
};

// Owns at most one running child. The child runs in its own process group, gets SIGKILL if the
// thread that started it dies (so a crashed test binary leaves no orphan), and is killed and
// reaped by the destructor if still running (so a failed assertion leaves no zombie). Once the
// child has been reaped, anything left in its process group is sent SIGKILL too.
// Start from a thread that outlives the child (the kernel ties the death signal to that thread).
// Thread-compatible: use one Subprocess from one thread at a time.
class Subprocess {
 public:
  Subprocess() = default;
  // Kills the whole process group with SIGKILL and reaps the child if it is still running.
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Starts argv[0] (searched in $PATH when it has no '/') with argv, the parent's environment
  // plus `env` (which overrides), stdin from /dev/null, and stdout/stderr appended to
  // "<output_dir>/<name>.stdout" and "<name>.stderr" (name defaults to argv[0]'s basename;
  // an empty output_dir discards the output). Returns FAILED_PRECONDITION if a child is still
  // running, INVALID_ARGUMENT for an empty argv, NOT_FOUND for a missing program, and
  // INTERNAL when fork, exec or opening the files fails.
  absl::Status Start(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& output_dir = "", const std::string& name = "");

  // Pid of the current or last child, or -1 if never started.
  pid_t pid() const { return pid_; }

  // True while the child has been started and not yet reaped (polls without blocking).
  bool running();

  // Sends `signal` to the child process itself (not its group). FAILED_PRECONDITION if it is
  // not running.
  absl::Status Signal(int signal);

  // Waits up to `timeout` for the child to end and reaps it. Returns its exit status, or
  // nullopt if it is still running at the deadline. After the child has been reaped, returns
  // the same status again immediately; nullopt if never started.
  std::optional<ExitStatus> WaitForExit(absl::Duration timeout);

  // Sends SIGKILL to the child's process group and reaps the child (a no-op returning OK if it
  // had already ended; WaitForExit(0) then gives the status). FAILED_PRECONDITION if never
  // started.
  absl::Status Kill();

  // Paths of the captured output files (empty when output is discarded or never started).
  const std::string& stdout_path() const { return stdout_path_; }
  const std::string& stderr_path() const { return stderr_path_; }

  // Contents of the captured files so far; empty when there is none.
  std::string ReadStdout() const;
  std::string ReadStderr() const;

 private:
  // Reaps the child if it has ended; with `block` waits for it. Returns true once reaped.
  bool Reap(bool block);

  pid_t pid_ = -1;
  bool reaped_ = true;
  std::optional<ExitStatus> status_;
  std::string stdout_path_;
  std::string stderr_path_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_SUBPROCESS_H_
