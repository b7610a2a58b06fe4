#include "tests/support/redis_server.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/free_port.h"

namespace slihub::testing {
namespace {

constexpr int kPortAttempts = 5;
constexpr char kLogName[] = "redis-server";

// The last `max_chars` characters of `text`, for error messages.
std::string Tail(const std::string& text, size_t max_chars = 800) {
  return text.size() <= max_chars ? text : text.substr(text.size() - max_chars);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(RedisServerOptions options) {
  const bool pick_port = options.port == 0;
  absl::Status status;
  for (int attempt = 0; attempt < (pick_port ? kPortAttempts : 1); ++attempt) {
    const int port = pick_port ? PickFreePort() : options.port;
    std::unique_ptr<RedisServer> server(new RedisServer(options, port));
    status = server->Launch();
    if (status.ok()) return server;
    // Another process may have taken the port between PickFreePort and bind; try another.
    if (!absl::StrContains(server->ReadLog(), "Address already in use")) break;
  }
  return status;
}

RedisServer::RedisServer(RedisServerOptions options, int port)
    : options_(std::move(options)), port_(port), dir_("slihub-redis") {}

RedisServer::~RedisServer() { process_.Kill().IgnoreError(); }

bool RedisServer::running() { return process_.running(); }

absl::Status RedisServer::Launch() {
  std::vector<std::string> argv = {options_.binary, "--bind", "127.0.0.1",
                                   "--port", std::to_string(port_), "--dir", dir_.path(),
                                   "--save", "", "--appendonly", "no",
                                   "--daemonize", "no"};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  if (absl::Status status = process_.Start(argv, {}, dir_.path(), kLogName); !status.ok()) {
    return status;
  }
  const absl::Time deadline = absl::Now() + options_.start_timeout;
  absl::Status ping;
  while (true) {
    if (std::optional<ExitStatus> exit = process_.WaitForExit(absl::ZeroDuration())) {
      return absl::UnavailableError(absl::StrCat("redis-server on port ", port_, " exited (",
                                                 exit->ToString(), ") before answering PING: ",
                                                 Tail(ReadLog())));
    }
    // Another server on the port would answer PING too: check that it is ours.
    absl::StatusOr<int> pid = ServerPid();
    if (pid.ok() && *pid == process_.pid()) return absl::OkStatus();
    ping = pid.ok() ? absl::UnavailableError(absl::StrCat("port ", port_,
                                                           " is answered by process ", *pid))
                    : pid.status();
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  process_.Kill().IgnoreError();
  return absl::DeadlineExceededError(
      absl::StrCat("redis-server on port ", port_, " did not answer within ",
                   absl::FormatDuration(options_.start_timeout), ": ", ping.message(),
                   "; log: ", Tail(ReadLog())));
}

absl::Status RedisServer::Ping() const {
  absl::StatusOr<std::string> pong = Query("PING");
  if (!pong.ok()) return pong.status();
  if (*pong != "PONG") return absl::UnavailableError(absl::StrCat("PING answered ", *pong));
  return absl::OkStatus();
}

absl::StatusOr<int> RedisServer::ServerPid() const {
  absl::StatusOr<std::string> info = Query("INFO server");
  if (!info.ok()) return info.status();
  for (absl::string_view line : absl::StrSplit(*info, absl::ByAnyChar("\r\n"))) {
    int pid = 0;
    if (absl::ConsumePrefix(&line, "process_id:") && absl::SimpleAtoi(line, &pid)) return pid;
  }
  return absl::UnavailableError("INFO server has no process_id");
}

absl::StatusOr<std::string> RedisServer::Query(const char* command) const {
  const timeval timeout = {0, 500 * 1000};
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeout);
  if (context == nullptr) return absl::UnavailableError("redisConnect: out of memory");
  absl::StatusOr<std::string> result;
  if (context->err != 0) {
    result = absl::UnavailableError(absl::StrCat("connect: ", context->errstr));
  } else {
    redisSetTimeout(context, timeout);
    auto* reply = static_cast<redisReply*>(redisCommand(context, command));
    if (reply == nullptr) {
      result = absl::UnavailableError(absl::StrCat(command, ": ", context->errstr));
    } else if (reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_STRING) {
      result = std::string(reply->str, reply->len);
    } else {
      result = absl::UnavailableError(absl::StrCat(
          command, " answered ", std::string(reply->str ? reply->str : "", reply->len)));
    }
    if (reply != nullptr) freeReplyObject(reply);
  }
  redisFree(context);
  return result;
}

absl::Status RedisServer::Stop(absl::Duration timeout) {
  if (!process_.running()) return absl::OkStatus();
  process_.Signal(SIGCONT).IgnoreError();  // a stopped server cannot handle SIGTERM
  if (absl::Status status = process_.Signal(SIGTERM); !status.ok()) return status;
  if (process_.WaitForExit(timeout).has_value()) return absl::OkStatus();
  process_.Kill().IgnoreError();
  return absl::DeadlineExceededError(absl::StrCat(
      "redis-server on port ", port_, " did not exit within ", absl::FormatDuration(timeout),
      " of SIGTERM; killed"));
}

absl::Status RedisServer::Kill() {
  if (!process_.running()) return absl::OkStatus();
  return process_.Kill();
}

absl::Status RedisServer::Signal(int signal) { return process_.Signal(signal); }

absl::Status RedisServer::Restart() {
  if (absl::Status status = Stop(); !status.ok()) return status;
  return Launch();
}

std::string RedisServer::ReadLog() const { return process_.ReadStdout(); }

}  // namespace slihub::testing
