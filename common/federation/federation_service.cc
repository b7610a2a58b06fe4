#include "common/federation/federation_service.h"

#include <string>

#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"

namespace slihub::federation {

namespace cpb = ::slihub::common::v1;

namespace {

// Ends a refused watch at once with `status`.
class RefusedWatch final : public grpc::ServerWriteReactor<cpb::WatchChangesResponse> {
 public:
  explicit RefusedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

const MethodSpec& WatchChangesMethod() {
  static const MethodSpec* const spec = new MethodSpec{
      MethodName(cpb::FederationService::service_full_name(), "WatchChanges"),
      {Role::kHub, Role::kService},
      Tenancy::kPeerHubs,
      true,
      LaScope::kNone,
      "LA_OUT_OF_SCOPE",
      "the change log's record keys and versions; a peer hub follows it to refresh its caches"};
  return *spec;
}

grpc::ServerWriteReactor<cpb::WatchChangesResponse>* FederationServiceImpl::WatchChanges(
    grpc::CallbackServerContext* context, const cpb::WatchChangesRequest* request) {
  std::string request_id;
  std::string subject;
  absl::StatusOr<Principal> who =
      AdmitCall(runtime_, context, WatchChangesMethod(), &request_id, &subject);
  if (!who.ok()) return new RefusedWatch(ToGrpcStatus(who.status()));
  FieldViolations violations;
  if (request->after_sequence() < 0) violations.Add("after_sequence", "must not be negative");
  if (request->epoch().size() > 64) violations.Add("epoch", "at most 64 characters");
  if (!violations.empty()) return new RefusedWatch(ToGrpcStatus(violations.ToStatus()));
  return log_->Watch(request->epoch(), request->after_sequence());
}

}  // namespace slihub::federation
