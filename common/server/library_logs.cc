#include "common/server/library_logs.h"

#include <string>

#include "common/base/log.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"

namespace slihub {
namespace {

LogLevel FromProtobuf(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO: return LogLevel::kInfo;
    case google::protobuf::LOGLEVEL_WARNING: return LogLevel::kWarning;
    default: return LogLevel::kError;  // ERROR and FATAL (FATAL aborts after the handler)
  }
}

void ProtobufHandler(google::protobuf::LogLevel level, const char* filename, int line,
                     const std::string& message) {
  LogLine(FromProtobuf(level), "library_log")
      .Str("source", "protobuf")
      .Str("file", filename == nullptr ? "" : filename)
      .Int("line", line)
      .Str("message", message);
}

LogLevel FromGrpc(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG: return LogLevel::kDebug;
    case GPR_LOG_SEVERITY_INFO: return LogLevel::kInfo;
    default: return LogLevel::kError;
  }
}

void GrpcHandler(gpr_log_func_args* args) {
  LogLine(FromGrpc(args->severity), "library_log")
      .Str("source", "grpc")
      .Str("file", args->file == nullptr ? "" : args->file)
      .Int("line", args->line)
      .Str("message", args->message == nullptr ? "" : args->message);
}

}  // namespace

void RouteLibraryLogs() {
  google::protobuf::SetLogHandler(&ProtobufHandler);
  gpr_set_log_function(&GrpcHandler);
}

}  // namespace slihub
