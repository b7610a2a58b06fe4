#include "common/cache/redis_connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstdarg>
#include <cstring>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace slihub::cache {
void RedisReplyDeleter::operator()(redisReply* reply) const { freeReplyObject(reply); }

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Connect(
    const std::string& host, int port, absl::Duration connect_timeout,
    absl::Duration io_timeout) {
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, absl::ToTimeval(connect_timeout));
  if (context == nullptr) {
    return absl::UnavailableError("redis connect: cannot allocate a context");
  }
  if (context->err != 0) {
    std::string reason = context->errstr;
    if (context->err == REDIS_ERR_IO && absl::StrContains(reason, "timed out")) {
      reason = absl::StrCat("connect timed out after ", absl::FormatDuration(connect_timeout));
    }
    redisFree(context);
    return absl::UnavailableError(absl::StrCat("redis connect: ", reason));
  }
  if (redisSetTimeout(context, absl::ToTimeval(io_timeout)) != REDIS_OK) {
    std::string reason = context->errstr;
    redisFree(context);
    return absl::UnavailableError(absl::StrCat("redis set timeout: ", reason));
  }
  return std::unique_ptr<RedisConnection>(new RedisConnection(context, io_timeout));
}

RedisConnection::RedisConnection(redisContext* context, absl::Duration io_timeout)
    : context_(context), io_timeout_(io_timeout) {}

RedisConnection::~RedisConnection() { redisFree(context_); }

bool RedisConnection::broken() const { return context_->err != 0; }

absl::Status RedisConnection::TransportError(absl::string_view command) const {
  std::string reason = context_->err != 0 ? context_->errstr : "no reply";
  // A read or write that hits SO_RCVTIMEO/SO_SNDTIMEO fails with EAGAIN.
  if (context_->err == REDIS_ERR_IO &&
      (absl::StrContains(reason, "temporarily unavailable") ||
       absl::StrContains(reason, "timed out"))) {
    reason = absl::StrCat("timed out after ", absl::FormatDuration(io_timeout_));
  }
  return absl::UnavailableError(absl::StrCat("redis ", command, ": ", reason));
}

absl::StatusOr<RedisReplyPtr> RedisConnection::Command(const char* format, ...) {
  va_list args;
  va_start(args, format);
  void* reply = redisvCommand(context_, format, args);
  va_end(args);
  if (reply == nullptr) {
    const char* space = std::strchr(format, ' ');
    return TransportError(space == nullptr ? absl::string_view(format)
                                           : absl::string_view(format, space - format));
  }
  return RedisReplyPtr(static_cast<redisReply*>(reply));
}

absl::StatusOr<RedisReplyPtr> RedisConnection::CommandArgv(
    absl::Span<const absl::string_view> args) {
  std::vector<const char*> pointers;
  std::vector<size_t> lengths;
  pointers.reserve(args.size());
  lengths.reserve(args.size());
  for (absl::string_view arg : args) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  void* reply = redisCommandArgv(context_, static_cast<int>(args.size()), pointers.data(),
                                 lengths.data());
  if (reply == nullptr) return TransportError(args.empty() ? "" : args[0]);
  return RedisReplyPtr(static_cast<redisReply*>(reply));
}

}  // namespace slihub::cache
