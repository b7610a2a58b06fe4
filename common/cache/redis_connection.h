// One blocking hiredis connection with connect and I/O timeouts.
#ifndef SLIHUB_COMMON_CACHE_REDIS_CONNECTION_H_
#define SLIHUB_COMMON_CACHE_REDIS_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

struct redisContext;
struct redisReply;

namespace slihub::cache {

// Frees a hiredis reply.
struct RedisReplyDeleter {
  void operator()(redisReply* reply) const;
};
// An owned hiredis reply.
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyDeleter>;

// Owns one redisContext. Any transport failure (refused, reset, closed, timed out) leaves the
// connection broken(): the caller must discard it. Error replies from the server ("-ERR ...")
// are returned as replies and do not break it. Thread-compatible: one thread at a time.
class RedisConnection {
 public:
  // Connects within `connect_timeout` and sets `io_timeout` on every later read and write.
  // Returns UNAVAILABLE with hiredis's reason when the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Connect(const std::string& host,
                                                                  int port,
                                                                  absl::Duration connect_timeout,
                                                                  absl::Duration io_timeout);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Runs one command written as hiredis format text ("GET %b" with pointer and length pairs:
  // binary-safe). Returns the reply, or UNAVAILABLE (and broken()) on a transport failure.
  absl::StatusOr<RedisReplyPtr> Command(const char* format, ...);

  // Runs one command given as separate binary-safe arguments, e.g. {"MGET", k1, k2}.
  absl::StatusOr<RedisReplyPtr> CommandArgv(absl::Span<const absl::string_view> args);

  // True once a transport failure has happened; the connection is then unusable.
  bool broken() const;

 private:
  RedisConnection(redisContext* context, absl::Duration io_timeout);
  // The UNAVAILABLE status describing the context's current error.
  absl::Status TransportError(absl::string_view command) const;

  redisContext* const context_;
  const absl::Duration io_timeout_;
};

}  // namespace slihub::cache

#endif  // SLIHUB_COMMON_CACHE_REDIS_CONNECTION_H_
