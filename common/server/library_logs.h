// Routes the messages libprotobuf and gRPC core print on their own into slihub's JSON-lines log,
// so that a log file holds nothing but JSON objects.
#ifndef SLIHUB_COMMON_SERVER_LIBRARY_LOGS_H_
#define SLIHUB_COMMON_SERVER_LIBRARY_LOGS_H_

namespace slihub {

// Installs handlers (google::protobuf::SetLogHandler, gpr_set_log_function) that write each
// library message as one "library_log" line with source (protobuf|grpc), file, line and message.
// Call once at start-up, before other threads run (neither library's setter is thread-safe).
void RouteLibraryLogs();

}  // namespace slihub

#endif  // SLIHUB_COMMON_SERVER_LIBRARY_LOGS_H_
