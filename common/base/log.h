// Structured logging: one JSON object per line on stderr, or in a size-bounded rotating file.
#ifndef SLIHUB_COMMON_BASE_LOG_H_
#define SLIHUB_COMMON_BASE_LOG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "absl/time/time.h"

namespace slihub {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Parses "debug", "info", "warning" or "error". Returns false for anything else.
bool ParseLogLevel(absl::string_view text, LogLevel* level);

// Sets the minimum level written and the fields stamped on every line (service, hub region).
// Call once at start-up, before other threads log.
void ConfigureLogging(LogLevel min_level, std::string service, std::string hub_region);

// Sends every later line to `path` (appended) instead of stderr. Before a line would take the
// file past `max_bytes`, the file is renamed "<path>.1" (".1" to ".2", ... up to ".<keep>"; the
// oldest is dropped) and a new one begun, so the logs never hold more than about
// (keep + 1) * max_bytes. Unavailable when the file cannot be opened; InvalidArgument for
// max_bytes < 1024 or keep < 1. An empty `path` goes back to stderr. Call at start-up, before
// other threads log.
absl::Status ConfigureLogFile(const std::string& path, int64_t max_bytes, int keep);

// Writes one already-formatted line (ending in '\n') where log lines go. Thread-safe.
void WriteLogText(absl::string_view line);

// One log line, built field by field and written (one write(2) call) when destroyed.
// Field values are JSON-escaped. Never pass personal data: names, dates of birth, tokens.
// Thread-compatible: build each LogLine on one thread; concurrent lines never interleave.
class LogLine {
 public:
  LogLine(LogLevel level, absl::string_view event);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& Str(absl::string_view key, absl::string_view value);
  LogLine& Int(absl::string_view key, int64_t value);
  LogLine& Bool(absl::string_view key, bool value);
  // Writes the duration in milliseconds with microsecond precision.
  LogLine& Millis(absl::string_view key, absl::Duration value);

 private:
  void Key(absl::string_view key);
  bool enabled_;
  std::string buffer_;
};

// Shorthands: LogInfo("server_started").Str("address", address);
inline LogLine LogDebug(absl::string_view event) { return LogLine(LogLevel::kDebug, event); }
inline LogLine LogInfo(absl::string_view event) { return LogLine(LogLevel::kInfo, event); }
inline LogLine LogWarning(absl::string_view event) { return LogLine(LogLevel::kWarning, event); }
inline LogLine LogError(absl::string_view event) { return LogLine(LogLevel::kError, event); }

// Appends `value` to `out` as a JSON string literal (with quotes).
void AppendJsonString(absl::string_view value, std::string* out);

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_LOG_H_
