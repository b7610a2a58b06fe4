#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace slihub::testing {
namespace {

// The fd the child keeps for reporting an exec failure to the parent.
constexpr int kErrorFd = 3;

std::string Errno(absl::string_view what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

// Resolves a program name like execvp(3) would, before fork (the child must not allocate).
std::optional<std::string> ResolveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    if (access(program.c_str(), X_OK) == 0) return program;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path != nullptr ? path : "/usr/bin:/bin", ':')) {
    std::string candidate = absl::StrCat(dir.empty() ? "." : dir, "/", program);
    struct stat info;
    if (stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

// The parent's environment with `extra` added or overriding.
std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> result;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    absl::string_view text(*entry);
    const size_t equals = text.find('=');
    const std::string key(text.substr(0, equals));
    if (extra.count(key) == 0) result.emplace_back(text);
  }
  for (const auto& [key, value] : extra) result.push_back(absl::StrCat(key, "=", value));
  return result;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> result;
  result.reserve(strings.size() + 1);
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

std::string ReadFile(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ExitStatus FromWaitStatus(int status) {
  ExitStatus result;
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.term_signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

// Closes every fd from `first` up; falls back to a loop where close_range(2) is missing.
void CloseFrom(int first, int max_fd) {
  if (close_range(first, ~0U, 0) == 0) return;
  for (int fd = first; fd < max_fd; ++fd) close(fd);
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void RunChild(const char* program, char* const* argv, char* const* envp,
                           int stdin_fd, int stdout_fd, int stderr_fd, int error_fd,
                           pid_t parent, int max_fd) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  dup2(stdin_fd, STDIN_FILENO);
  dup2(stdout_fd, STDOUT_FILENO);
  dup2(stderr_fd, STDERR_FILENO);
  if (error_fd != kErrorFd) {
    if (dup3(error_fd, kErrorFd, O_CLOEXEC) < 0) _exit(127);
  }
  CloseFrom(kErrorFd + 1, max_fd);
  // Ignored signals and the signal mask survive exec; give the program a clean slate.
  struct sigaction action;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigaction(sig, nullptr, &action) == 0 && action.sa_handler == SIG_IGN) {
      action.sa_handler = SIG_DFL;
      sigaction(sig, &action, nullptr);
    }
  }
  sigset_t empty;
  sigemptyset(&empty);
  sigprocmask(SIG_SETMASK, &empty, nullptr);
  execve(program, argv, envp);
  const int error = errno;
  ssize_t ignored = write(kErrorFd, &error, sizeof(error));
  (void)ignored;
  _exit(127);
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (signaled) {
    return absl::StrCat("killed by signal ", term_signal, " (", strsignal(term_signal), ")");
  }
  return absl::StrCat("exit code ", exit_code);
}

Subprocess::~Subprocess() {
  if (!reaped_) Kill().IgnoreError();
}

absl::Status Subprocess::Start(const std::vector<std::string>& argv,
                               const std::map<std::string, std::string>& env,
                               const std::string& output_dir, const std::string& name) {
  if (!reaped_ && !Reap(false)) {
    return absl::FailedPreconditionError(absl::StrCat("process ", pid_, " is still running"));
  }
  if (argv.empty()) return absl::InvalidArgumentError("Subprocess::Start: empty argv");
  const std::optional<std::string> program = ResolveProgram(argv[0]);
  if (!program) return absl::NotFoundError(absl::StrCat("no executable program ", argv[0]));

  std::vector<std::string> args = argv;
  std::vector<std::string> environment = BuildEnvironment(env);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(environment);

  std::string out_path, err_path;
  if (!output_dir.empty()) {
    std::string base = name;
    if (base.empty()) {
      const size_t slash = argv[0].rfind('/');
      base = slash == std::string::npos ? argv[0] : argv[0].substr(slash + 1);
    }
    out_path = absl::StrCat(output_dir, "/", base, ".stdout");
    err_path = absl::StrCat(output_dir, "/", base, ".stderr");
  }
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
  const int stdin_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int stdout_fd = open(out_path.empty() ? "/dev/null" : out_path.c_str(), flags, 0644);
  const int stderr_fd = open(err_path.empty() ? "/dev/null" : err_path.c_str(), flags, 0644);
  int error_pipe[2] = {-1, -1};
  absl::Status status;
  if (stdin_fd < 0 || stdout_fd < 0 || stderr_fd < 0) {
    status = absl::InternalError(Errno(absl::StrCat("opening output files in ", output_dir)));
  } else if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    status = absl::InternalError(Errno("pipe2"));
  }
  auto close_all = [&] {
    for (int fd : {stdin_fd, stdout_fd, stderr_fd, error_pipe[0], error_pipe[1]}) {
      if (fd >= 0) close(fd);
    }
  };
  if (!status.ok()) {
    close_all();
    return status;
  }

  struct rlimit limit;
  const int max_fd = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                         ? static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20))
                         : 65536;
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) {
    status = absl::InternalError(Errno("fork"));
    close_all();
    return status;
  }
  if (child == 0) {
    RunChild(program->c_str(), c_args.data(), c_env.data(), stdin_fd, stdout_fd, stderr_fd,
             error_pipe[1], parent, max_fd);
  }
  setpgid(child, child);  // also done by the child; whichever runs first wins the race
  close(error_pipe[1]);
  error_pipe[1] = -1;
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(error_pipe[0], &exec_errno, sizeof(exec_errno));
  } while (n < 0 && errno == EINTR);
  close_all();

  pid_ = child;
  reaped_ = false;
  status_.reset();
  stdout_path_ = out_path;
  stderr_path_ = err_path;
  if (n > 0) {
    Reap(true);
    return absl::InternalError(
        absl::StrCat("exec ", *program, " failed: ", std::strerror(exec_errno)));
  }
  return absl::OkStatus();
}

bool Subprocess::Reap(bool block) {
  if (reaped_) return true;
  int wait_status = 0;
  pid_t result;
  do {
    result = waitpid(pid_, &wait_status, block ? 0 : WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == 0) return false;
  reaped_ = true;
  if (result == pid_) {
    status_ = FromWaitStatus(wait_status);
  } else {
    // ECHILD: someone else reaped it (SIGCHLD ignored); the status is lost.
    status_ = ExitStatus{false, -1, 0};
  }
  // The group may hold grandchildren the child left behind; they must not outlive the test.
  kill(-pid_, SIGKILL);
  return true;
}

bool Subprocess::running() { return !reaped_ && !Reap(false); }

absl::Status Subprocess::Signal(int signal) {
  if (!running()) {
    return absl::FailedPreconditionError(absl::StrCat("process ", pid_, " is not running"));
  }
  if (kill(pid_, signal) != 0) return absl::InternalError(Errno("kill"));
  return absl::OkStatus();
}

std::optional<ExitStatus> Subprocess::WaitForExit(absl::Duration timeout) {
  if (pid_ < 0) return std::nullopt;
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration pause = absl::Milliseconds(1);
  while (!Reap(false)) {
    const absl::Time now = absl::Now();
    if (now >= deadline) return std::nullopt;
    absl::SleepFor(std::min(pause, deadline - now));
    pause = std::min(pause * 2, absl::Milliseconds(20));
  }
  return status_;
}

absl::Status Subprocess::Kill() {
  if (pid_ < 0) return absl::FailedPreconditionError("process was never started");
  if (!reaped_) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);  // in case the child had not yet joined its own group
    Reap(true);
  }
  return absl::OkStatus();
}

std::string Subprocess::ReadStdout() const { return ReadFile(stdout_path_); }

std::string Subprocess::ReadStderr() const { return ReadFile(stderr_path_); }

}  // namespace slihub::testing
