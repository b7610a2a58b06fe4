#include "common/errors/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace slihub {
namespace {

template <typename Proto>
bool ParsePayload(const absl::Status& status, const char* type_url, Proto* out) {
  absl::optional<absl::Cord> payload = status.GetPayload(type_url);
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

}  // namespace

void FieldViolations::Add(std::string field, std::string description) {
  violations_.push_back({std::move(field), std::move(description)});
}

void FieldViolations::AddNested(absl::string_view prefix, const std::vector<FieldViolation>& other) {
  for (const FieldViolation& v : other) {
    violations_.push_back({absl::StrCat(prefix, ".", v.field), v.description});
  }
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  const FieldViolation& first = violations_.front();
  std::string message = absl::StrCat(first.field, ": ", first.description);
  if (violations_.size() > 1) {
    absl::StrAppend(&message, " (and ", violations_.size() - 1, " more)");
  }
  return InvalidArgumentError(message, violations_);
}

absl::Status InvalidArgumentError(absl::string_view message,
                                  const std::vector<FieldViolation>& violations) {
  absl::Status status = absl::InvalidArgumentError(message);
  google::rpc::BadRequest detail;
  for (const FieldViolation& v : violations) {
    auto* out = detail.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(detail.SerializeAsString()));
  return status;
}

absl::Status FailedPreconditionError(absl::string_view message,
                                     const std::vector<PreconditionViolation>& violations) {
  absl::Status status = absl::FailedPreconditionError(message);
  google::rpc::PreconditionFailure detail;
  for (const PreconditionViolation& v : violations) {
    auto* out = detail.add_violations();
    out->set_type(v.type);
    out->set_subject(v.subject);
    out->set_description(v.description);
  }
  status.SetPayload(kPreconditionFailureTypeUrl, absl::Cord(detail.SerializeAsString()));
  return status;
}

void SetErrorInfo(absl::Status& status, absl::string_view reason,
                  const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(kErrorDomain);
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
}

std::vector<FieldViolation> GetFieldViolations(const absl::Status& status) {
  std::vector<FieldViolation> out;
  google::rpc::BadRequest detail;
  if (!ParsePayload(status, kBadRequestTypeUrl, &detail)) return out;
  for (const auto& v : detail.field_violations()) out.push_back({v.field(), v.description()});
  return out;
}

std::vector<PreconditionViolation> GetPreconditionViolations(const absl::Status& status) {
  std::vector<PreconditionViolation> out;
  google::rpc::PreconditionFailure detail;
  if (!ParsePayload(status, kPreconditionFailureTypeUrl, &detail)) return out;
  for (const auto& v : detail.violations()) out.push_back({v.type(), v.subject(), v.description()});
  return out;
}

std::string GetErrorReason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (!ParsePayload(status, kErrorInfoTypeUrl, &info)) return "";
  return info.reason();
}

}  // namespace slihub
