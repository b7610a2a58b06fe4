#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/free_port.h"
#include "tests/support/redis_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

// True while `pid` exists and is not a zombie.
bool ProcessAlive(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat) return false;
  std::string line;
  std::getline(stat, line);
  const size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

TEST(TempDirTest, CreatesAndRemovesRecursively) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    struct stat info;
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_TRUE(S_ISDIR(info.st_mode));
    ASSERT_EQ(mkdir(dir.Join("sub").c_str(), 0755), 0);
    std::ofstream(dir.Join("sub/file")) << "x";
    TempDir other;
    EXPECT_NE(other.path(), path);
  }
  EXPECT_NE(access(path.c_str(), F_OK), 0);
}

TEST(TempDirTest, MoveTransfersOwnership) {
  TempDir first;
  const std::string path = first.path();
  TempDir second(std::move(first));
  EXPECT_TRUE(first.path().empty());
  EXPECT_EQ(second.path(), path);
  EXPECT_EQ(access(path.c_str(), F_OK), 0);
}

TEST(FreePortTest, PortsAreDistinctAndBindable) {
  std::set<int> ports;
  for (int i = 0; i < 50; ++i) {
    const int port = PickFreePort();
    EXPECT_GT(port, 0);
    EXPECT_LT(port, 65536);
    EXPECT_TRUE(ports.insert(port).second) << "port " << port << " returned twice";
  }
}

TEST(SubprocessTest, ReportsExitCode) {
  Subprocess process;
  ASSERT_TRUE(process.Start({"/bin/sh", "-c", "exit 3"}).ok());
  std::optional<ExitStatus> status = process.WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_FALSE(status->signaled);
  EXPECT_EQ(status->exit_code, 3);
  EXPECT_FALSE(status->success());
  EXPECT_FALSE(process.running());
  // Already reaped: the same status again, at once.
  EXPECT_EQ(process.WaitForExit(absl::ZeroDuration())->exit_code, 3);
}

TEST(SubprocessTest, ReportsSuccess) {
  Subprocess process;
  ASSERT_TRUE(process.Start({"true"}).ok());
  std::optional<ExitStatus> status = process.WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->success()) << status->ToString();
}

TEST(SubprocessTest, ReportsDeathBySignal) {
  Subprocess process;
  ASSERT_TRUE(process.Start({"sleep", "30"}).ok());
  ASSERT_TRUE(process.Signal(SIGTERM).ok());
  std::optional<ExitStatus> status = process.WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->signaled);
  EXPECT_EQ(status->term_signal, SIGTERM);
  EXPECT_EQ(status->ToString(), absl::StrCat("killed by signal ", SIGTERM, " (Terminated)"));
  EXPECT_FALSE(process.Signal(SIGTERM).ok());
}

TEST(SubprocessTest, WaitTimesOutWhileRunningThenKill) {
  Subprocess process;
  ASSERT_TRUE(process.Start({"sleep", "30"}).ok());
  const absl::Time start = absl::Now();
  EXPECT_FALSE(process.WaitForExit(absl::Milliseconds(100)).has_value());
  const absl::Duration waited = absl::Now() - start;
  EXPECT_GE(waited, absl::Milliseconds(100));
  EXPECT_LT(waited, absl::Seconds(2));
  EXPECT_TRUE(process.running());
  ASSERT_TRUE(process.Kill().ok());
  std::optional<ExitStatus> status = process.WaitForExit(absl::ZeroDuration());
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->signaled);
  EXPECT_EQ(status->term_signal, SIGKILL);
}

TEST(SubprocessTest, CapturesOutputAndPassesEnvironment) {
  TempDir dir;
  Subprocess process;
  ASSERT_TRUE(process
                  .Start({"/bin/sh", "-c", "echo out:$SLIHUB_A; echo err:$SLIHUB_B >&2"},
                         {{"SLIHUB_A", "one"}, {"SLIHUB_B", "two words"}}, dir.path(), "shell")
                  .ok());
  ASSERT_TRUE(process.WaitForExit(absl::Seconds(10)).has_value());
  EXPECT_EQ(process.ReadStdout(), "out:one\n");
  EXPECT_EQ(process.ReadStderr(), "err:two words\n");
  EXPECT_EQ(process.stderr_path(), dir.Join("shell.stderr"));
}

TEST(SubprocessTest, ChildGetsDefaultSignalsAndOwnGroup) {
  TempDir dir;
  Subprocess process;
  ASSERT_TRUE(process.Start({"/bin/sh", "-c", "ps -o pgid= -p $$ | tr -d ' '"}, {}, dir.path())
                  .ok());
  ASSERT_TRUE(process.WaitForExit(absl::Seconds(10)).has_value());
  EXPECT_EQ(process.ReadStdout(), absl::StrCat(process.pid(), "\n"));
}

TEST(SubprocessTest, MissingProgramIsNotFound) {
  Subprocess process;
  absl::Status status = process.Start({"slihub-no-such-program"});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_EQ(process.Start({}).code(), absl::StatusCode::kInvalidArgument);
}

TEST(SubprocessTest, ExecFailureIsReported) {
  TempDir dir;
  const std::string script = dir.Join("not-a-program");
  std::ofstream(script) << "\x7f" "ELF garbage";
  chmod(script.c_str(), 0755);
  Subprocess process;
  absl::Status status = process.Start({script});
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_FALSE(process.running());
}

TEST(SubprocessTest, RefusesSecondStartWhileRunning) {
  Subprocess process;
  ASSERT_TRUE(process.Start({"sleep", "30"}).ok());
  EXPECT_EQ(process.Start({"true"}).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(process.Kill().ok());
  ASSERT_TRUE(process.Start({"true"}).ok());
  EXPECT_TRUE(process.WaitForExit(absl::Seconds(10))->success());
}

TEST(SubprocessTest, DestructorKillsAndReapsWholeGroup) {
  TempDir dir;
  pid_t child = -1;
  int grandchild = -1;
  {
    Subprocess process;
    ASSERT_TRUE(process.Start({"/bin/sh", "-c", "sleep 60 & echo $!; wait"}, {}, dir.path(),
                              "group")
                    .ok());
    child = process.pid();
    ASSERT_TRUE(WaitFor([&] { return !process.ReadStdout().empty(); }, absl::Seconds(10)));
    ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(process.ReadStdout()), &grandchild));
    EXPECT_TRUE(ProcessAlive(grandchild));
  }
  // The child was reaped by us: no zombie, no process.
  EXPECT_FALSE(ProcessAlive(child));
  EXPECT_NE(access(absl::StrCat("/proc/", child).c_str(), F_OK), 0);
  // The grandchild was in the child's group and got SIGKILL too.
  EXPECT_TRUE(WaitFor([&] { return !ProcessAlive(grandchild); }, absl::Seconds(10)));
}

TEST(WaitForTest, ReturnsAsSoonAsTrueAndFalseAtDeadline) {
  int calls = 0;
  EXPECT_TRUE(WaitFor([&] { return ++calls == 3; }, absl::Seconds(10), absl::Milliseconds(1)));
  EXPECT_EQ(calls, 3);
  const absl::Time start = absl::Now();
  EXPECT_FALSE(WaitFor([] { return false; }, absl::Milliseconds(50)));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50));
}

TEST(RedisServerTest, StartStopRestartKill) {
  absl::StatusOr<std::unique_ptr<RedisServer>> started = RedisServer::Start();
  ASSERT_TRUE(started.ok()) << started.status();
  RedisServer& server = **started;
  const int port = server.port();
  EXPECT_GT(port, 0);
  EXPECT_TRUE(server.Ping().ok());
  EXPECT_TRUE(server.running());

  ASSERT_TRUE(server.Stop().ok());
  EXPECT_FALSE(server.running());
  EXPECT_EQ(server.Ping().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE(server.Restart().ok());
  EXPECT_EQ(server.port(), port);
  EXPECT_TRUE(server.Ping().ok());

  const pid_t pid = server.pid();
  ASSERT_TRUE(server.Kill().ok());
  EXPECT_FALSE(ProcessAlive(pid));
  EXPECT_FALSE(server.Ping().ok());

  ASSERT_TRUE(server.Restart().ok());
  EXPECT_TRUE(server.Ping().ok());
  EXPECT_TRUE(absl::StrContains(server.ReadLog(), "Ready to accept connections"));
}

TEST(RedisServerTest, PausedServerDoesNotAnswerAndStopStillWorks) {
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE((*server)->Signal(SIGSTOP).ok());
  EXPECT_FALSE((*server)->Ping().ok());
  EXPECT_TRUE((*server)->Stop().ok());
}

TEST(RedisServerTest, ExplicitPortAndBusyPort) {
  RedisServerOptions options;
  options.port = PickFreePort();
  absl::StatusOr<std::unique_ptr<RedisServer>> first = RedisServer::Start(options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->port(), options.port);
  options.start_timeout = absl::Seconds(5);
  absl::StatusOr<std::unique_ptr<RedisServer>> second = RedisServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  EXPECT_TRUE(absl::StrContains(second.status().message(), "Address already in use"))
      << second.status();
}

TEST(RedisServerTest, MissingBinaryIsAClearError) {
  RedisServerOptions options;
  options.binary = "/nonexistent/redis-server";
  absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kNotFound) << server.status();
}

}  // namespace
}  // namespace slihub::testing
