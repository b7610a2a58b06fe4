// Canonical errors with machine-readable details (google.rpc BadRequest, PreconditionFailure,
// ErrorInfo) carried as absl::Status payloads, so domain code stays free of gRPC types.
#ifndef SLIHUB_COMMON_ERRORS_ERRORS_H_
#define SLIHUB_COMMON_ERRORS_ERRORS_H_

#include <map>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"

namespace slihub {

// Payload type URLs: the google.protobuf.Any type_url of each detail message.
inline constexpr char kBadRequestTypeUrl[] = "type.googleapis.com/google.rpc.BadRequest";
inline constexpr char kPreconditionFailureTypeUrl[] =
    "type.googleapis.com/google.rpc.PreconditionFailure";
inline constexpr char kErrorInfoTypeUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr char kErrorDomain[] = "slihub.gov.uk";

// One invalid request field: its path as in the proto ("engagement.start_date.month") and why.
struct FieldViolation {
  std::string field;
  std::string description;
};

// One failed precondition: a type ("STATE", "VERSION", "CAPACITY"), the subject it is about
// ("vacancy/123"), and why.
struct PreconditionViolation {
  std::string type;
  std::string subject;
  std::string description;
};

// Collects field violations while validating one request. Thread-compatible.
class FieldViolations {
 public:
  // Records that `field` is invalid because of `description`.
  void Add(std::string field, std::string description);
  // Records every violation of `other`, with `prefix` + "." prepended to each field path.
  void AddNested(absl::string_view prefix, const std::vector<FieldViolation>& other);
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }
  // OK when empty; otherwise InvalidArgument with a summary message and the BadRequest detail.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// InvalidArgument carrying a google.rpc.BadRequest detail with `violations`.
absl::Status InvalidArgumentError(absl::string_view message,
                                  const std::vector<FieldViolation>& violations);

// FailedPrecondition carrying a google.rpc.PreconditionFailure detail with `violations`.
absl::Status FailedPreconditionError(absl::string_view message,
                                     const std::vector<PreconditionViolation>& violations);

// Attaches a google.rpc.ErrorInfo detail (domain slihub.gov.uk) to a non-OK `status`.
// `reason` is a stable UPPER_SNAKE_CASE identifier such as "TOKEN_EXPIRED".
void SetErrorInfo(absl::Status& status, absl::string_view reason,
                  const std::map<std::string, std::string>& metadata = {});

// The details carried by `status` (empty when there are none).
std::vector<FieldViolation> GetFieldViolations(const absl::Status& status);
std::vector<PreconditionViolation> GetPreconditionViolations(const absl::Status& status);
// The ErrorInfo reason, or empty.
std::string GetErrorReason(const absl::Status& status);

}  // namespace slihub

#endif  // SLIHUB_COMMON_ERRORS_ERRORS_H_
