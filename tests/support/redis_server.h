// A real redis-server for integration tests, on a free loopback port, in its own directory.
#ifndef SLIHUB_TESTS_SUPPORT_REDIS_SERVER_H_
#define SLIHUB_TESTS_SUPPORT_REDIS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {

// How to start a RedisServer.
struct RedisServerOptions {
  int port = 0;                                   // 0: pick a free port (retried if taken)
  std::string binary = "/usr/bin/redis-server";   // the server program
  absl::Duration start_timeout = absl::Seconds(10);  // how long to wait for PONG
  std::vector<std::string> extra_args;            // appended, e.g. {"--maxmemory", "1mb"}
};

// Owns one redis-server process bound to 127.0.0.1 without persistence ("--save ''",
// "--appendonly no"), its working directory (a TempDir) and its log
// ("<dir>/redis-server.stdout", appended across restarts). The destructor kills it.
// Thread-compatible: drive one RedisServer from one thread at a time.
class RedisServer {
 public:
  // Starts the server and waits until it answers (checked to be this process, not another
  // server on the port). Returns DEADLINE_EXCEEDED if it does not answer within start_timeout,
  // or UNAVAILABLE (with the end of its log) if it exits early, e.g. when the port is taken.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(RedisServerOptions options = {});

  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // The TCP port; the same across Stop/Kill/Restart.
  int port() const { return port_; }
  // Always "127.0.0.1".
  std::string host() const { return "127.0.0.1"; }
  // The server's working directory.
  const std::string& dir() const { return dir_.path(); }
  // Pid of the current (or last) server process.
  pid_t pid() const { return process_.pid(); }

  // True while the process has not ended (it may be stopped by SIGSTOP and not answering).
  bool running();

  // Sends PING on a fresh connection (500 ms timeouts). OK when the answer is PONG,
  // UNAVAILABLE otherwise.
  absl::Status Ping() const;

  // SIGTERM, then waits up to `timeout` for the process to exit; kills it and returns
  // DEADLINE_EXCEEDED if it does not. OK if it was not running.
  absl::Status Stop(absl::Duration timeout = absl::Seconds(10));

  // SIGKILL and reap: the abrupt death of the cache. OK if it was not running.
  absl::Status Kill();

  // Sends `signal` to the server, e.g. SIGSTOP / SIGCONT to simulate a hung server.
  absl::Status Signal(int signal);

  // Stops the server if running, then starts it again on the same port and waits for PONG.
  // The data is gone (no persistence). Errors as for Start.
  absl::Status Restart();

  // The server's log so far.
  std::string ReadLog() const;

 private:
  RedisServer(RedisServerOptions options, int port);
  // Starts the process on port_ and waits until it answers as itself, or exits early.
  absl::Status Launch();
  // The pid the server on port_ reports (INFO server), to tell ours from a stranger.
  absl::StatusOr<int> ServerPid() const;
  // Runs one command on a fresh connection; the status or string reply.
  absl::StatusOr<std::string> Query(const char* command) const;

  const RedisServerOptions options_;
  int port_;
  TempDir dir_;          // destroyed after process_, so the server never outlives its dir
  Subprocess process_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_REDIS_SERVER_H_
