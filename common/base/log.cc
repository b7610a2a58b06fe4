#include "common/base/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace slihub {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};
std::string* g_static_fields = new std::string();

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  if (text == "debug") { *level = LogLevel::kDebug; return true; }
  if (text == "info") { *level = LogLevel::kInfo; return true; }
  if (text == "warning") { *level = LogLevel::kWarning; return true; }
  if (text == "error") { *level = LogLevel::kError; return true; }
  return false;
}

void ConfigureLogging(LogLevel min_level, std::string service, std::string hub_region) {
  g_min_level.store(static_cast<int>(min_level));
  std::string fields;
  if (!service.empty()) {
    fields += ",\"service\":";
    AppendJsonString(service, &fields);
  }
  if (!hub_region.empty()) {
    fields += ",\"hub\":";
    AppendJsonString(hub_region, &fields);
  }
  *g_static_fields = std::move(fields);
}

void AppendJsonString(absl::string_view value, std::string* out) {
  out->push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out->append(escaped);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

LogLine::LogLine(LogLevel level, absl::string_view event)
    : enabled_(static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed)) {
  if (!enabled_) return;
  buffer_.reserve(256);
  buffer_ = "{\"ts\":\"";
  buffer_ += absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  buffer_ += "\",\"level\":\"";
  buffer_ += LevelName(level);
  buffer_ += "\"";
  buffer_ += *g_static_fields;
  buffer_ += ",\"event\":";
  AppendJsonString(event, &buffer_);
}

LogLine::~LogLine() {
  if (!enabled_) return;
  buffer_ += "}\n";
  // One write per line so concurrent lines never interleave (stderr is unbuffered).
  const char* data = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) break;
    data += n;
    left -= static_cast<size_t>(n);
  }
}

void LogLine::Key(absl::string_view key) {
  buffer_ += ',';
  AppendJsonString(key, &buffer_);
  buffer_ += ':';
}

LogLine& LogLine::Str(absl::string_view key, absl::string_view value) {
  if (!enabled_) return *this;
  Key(key);
  AppendJsonString(value, &buffer_);
  return *this;
}

LogLine& LogLine::Int(absl::string_view key, int64_t value) {
  if (!enabled_) return *this;
  Key(key);
  absl::StrAppend(&buffer_, value);
  return *this;
}

LogLine& LogLine::Bool(absl::string_view key, bool value) {
  if (!enabled_) return *this;
  Key(key);
  buffer_ += value ? "true" : "false";
  return *this;
}

LogLine& LogLine::Millis(absl::string_view key, absl::Duration value) {
  if (!enabled_) return *this;
  Key(key);
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f", absl::ToDoubleMilliseconds(value));
  buffer_ += text;
  return *this;
}

}  // namespace slihub
