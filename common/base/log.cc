#include "common/base/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace slihub {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};
std::string* g_static_fields = new std::string();

// The rotating log file, when ConfigureLogFile was called; stderr otherwise.
struct LogFile {
  std::mutex mu;
  std::string path;
  int64_t max_bytes = 0;
  int keep = 0;
  int fd = -1;        // guarded by mu
  int64_t size = 0;   // guarded by mu: bytes in the current file
};
LogFile* const g_file = new LogFile();
std::atomic<bool> g_to_file{false};

int OpenForAppend(const std::string& path, int64_t* size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  struct stat info;
  *size = fd >= 0 && fstat(fd, &info) == 0 ? info.st_size : 0;
  return fd;
}

void WriteAll(int fd, absl::string_view text) {
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data += n;
    left -= static_cast<size_t>(n);
  }
}

// Shifts <path>.N to .N+1 (dropping .keep) and <path> to .1, then opens a fresh <path>.
// Caller holds g_file->mu. On failure keeps writing to whatever is open.
void RotateLocked() {
  LogFile& f = *g_file;
  std::remove(absl::StrCat(f.path, ".", f.keep).c_str());
  for (int i = f.keep - 1; i >= 1; --i) {
    std::rename(absl::StrCat(f.path, ".", i).c_str(), absl::StrCat(f.path, ".", i + 1).c_str());
  }
  std::rename(f.path.c_str(), absl::StrCat(f.path, ".1").c_str());
  int64_t size = 0;
  const int fd = OpenForAppend(f.path, &size);
  if (fd < 0) return;
  ::close(f.fd);
  f.fd = fd;
  f.size = size;
}

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

absl::Status ConfigureLogFile(const std::string& path, int64_t max_bytes, int keep) {
  if (path.empty()) {
    std::lock_guard<std::mutex> lock(g_file->mu);
    g_to_file.store(false);
    if (g_file->fd >= 0) ::close(g_file->fd);
    g_file->fd = -1;
    return absl::OkStatus();
  }
  if (max_bytes < 1024 || keep < 1) {
    return absl::InvalidArgumentError("log file: max_bytes must be >= 1024 and keep >= 1");
  }
  int64_t size = 0;
  const int fd = OpenForAppend(path, &size);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("log file ", path, ": ", std::strerror(errno)));
  }
  std::lock_guard<std::mutex> lock(g_file->mu);
  if (g_file->fd >= 0) ::close(g_file->fd);
  g_file->path = path;
  g_file->max_bytes = max_bytes;
  g_file->keep = keep;
  g_file->fd = fd;
  g_file->size = size;
  g_to_file.store(true);
  return absl::OkStatus();
}

void WriteLogText(absl::string_view line) {
  if (!g_to_file.load(std::memory_order_acquire)) {
    // One write per line so concurrent lines never interleave (stderr is unbuffered).
    WriteAll(STDERR_FILENO, line);
    return;
  }
  LogFile& f = *g_file;
  std::lock_guard<std::mutex> lock(f.mu);
  if (f.size > 0 && f.size + static_cast<int64_t>(line.size()) > f.max_bytes) RotateLocked();
  WriteAll(f.fd, line);
  f.size += static_cast<int64_t>(line.size());
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
  WriteLogText(buffer_);
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
