#include "common/server/diagnostics_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/server/proto_time.h"

namespace slihub {
namespace {

namespace v1 = ::slihub::common::v1;

constexpr size_t kMaxEchoBytes = 4096;
constexpr absl::Duration kMaxEchoDelay = absl::Seconds(10);

v1::DependencyState ToProto(DependencyState state) {
  switch (state) {
    case DependencyState::kUp: return v1::DEPENDENCY_STATE_UP;
    case DependencyState::kDegraded: return v1::DEPENDENCY_STATE_DEGRADED;
    case DependencyState::kDown: return v1::DEPENDENCY_STATE_DOWN;
  }
  return v1::DEPENDENCY_STATE_UNSPECIFIED;
}

}  // namespace

const std::vector<const MethodSpec*>& DiagnosticsMethods() {
  static const auto* all = new std::vector<const MethodSpec*>{
      new MethodSpec{"/slihub.common.v1.DiagnosticsService/Echo", {}, Tenancy::kAnyRegion, true,
                     LaScope::kNone, "LA_OUT_OF_SCOPE", "echoes the caller's message; no data"},
      new MethodSpec{"/slihub.common.v1.DiagnosticsService/WhoAmI", {}, Tenancy::kAnyRegion,
                     /*may_block=*/false, LaScope::kNone, "LA_OUT_OF_SCOPE",
                     "the caller's own principal"},
      new MethodSpec{"/slihub.common.v1.DiagnosticsService/GetServerStatus",
                     {Role::kRegionalAdmin, Role::kService}, Tenancy::kHubRegion,
                     /*may_block=*/false}};
  return *all;
}

DiagnosticsServiceImpl::DiagnosticsServiceImpl(ServerIdentity identity,
                                               const DependencyMonitor* monitor,
                                               CallRuntime runtime)
    : identity_(std::move(identity)), monitor_(monitor), runtime_(runtime) {}

grpc::ServerUnaryReactor* DiagnosticsServiceImpl::Echo(grpc::CallbackServerContext* context,
                                                       const v1::EchoRequest* request,
                                                       v1::EchoResponse* response) {
  return HandleUnary(
      runtime_, context,
      *DiagnosticsMethods()[0],
      [request, response](const CallInfo& call) -> absl::Status {
        FieldViolations violations;
        if (request->message().size() > kMaxEchoBytes) {
          violations.Add("message", absl::StrCat("is longer than ", kMaxEchoBytes, " bytes"));
        }
        absl::Duration delay = absl::ZeroDuration();
        if (request->has_delay()) {
          absl::StatusOr<absl::Duration> parsed = FromProtoDuration(request->delay());
          if (!parsed.ok()) {
            violations.Add("delay", std::string(parsed.status().message()));
          } else if (*parsed < absl::ZeroDuration() || *parsed > kMaxEchoDelay) {
            violations.Add("delay", "must be between 0 and 10 seconds");
          } else {
            delay = *parsed;
          }
        }
        if (!violations.empty()) return violations.ToStatus();
        // Deliberately holds a worker (Echo is the baseline and the drain-test workload), but
        // gives it back as soon as the call is cancelled.
        const absl::Time until = absl::Now() + delay;
        while (absl::Now() < until) {
          if (call.cancelled()) return absl::CancelledError("cancelled during the echo delay");
          absl::SleepFor(std::min(absl::Milliseconds(10), until - absl::Now()));
        }
        response->set_message(request->message());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* DiagnosticsServiceImpl::WhoAmI(grpc::CallbackServerContext* context,
                                                         const v1::WhoAmIRequest* request,
                                                         v1::WhoAmIResponse* response) {
  return HandleUnary(runtime_, context,
                     *DiagnosticsMethods()[1],
                     [response](const CallInfo& call) -> absl::Status {
                       const Principal& who = call.principal();
                       v1::Principal* out = response->mutable_principal();
                       out->set_subject(who.subject);
                       if (!who.la_code.empty()) out->mutable_la_code()->set_value(who.la_code);
                       out->mutable_region()->set_value(who.region_code);
                       for (Role role : who.roles) {
                         out->add_roles(static_cast<v1::Role>(static_cast<int>(role)));
                       }
                       if (who.expire_time != absl::InfiniteFuture()) {
                         *out->mutable_expire_time() = ToProtoTimestamp(who.expire_time);
                       }
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* DiagnosticsServiceImpl::GetServerStatus(
    grpc::CallbackServerContext* context, const v1::GetServerStatusRequest* request,
    v1::GetServerStatusResponse* response) {
  return HandleUnary(
      runtime_, context,
      *DiagnosticsMethods()[2],
      [this, response](const CallInfo&) -> absl::Status {
        response->set_service(identity_.service);
        response->mutable_hub_region()->set_value(identity_.hub_region);
        response->set_serving(monitor_->serving());
        *response->mutable_start_time() = ToProtoTimestamp(identity_.start_time);
        response->set_version(identity_.version);
        for (const DependencyStatus& dep : monitor_->Snapshot()) {
          v1::Dependency* out = response->add_dependencies();
          out->set_name(dep.name);
          out->set_required(dep.required);
          out->set_state(ToProto(dep.state));
          out->set_detail(dep.detail);
          *out->mutable_since() = ToProtoTimestamp(dep.since);
        }
        return absl::OkStatus();
      });
}

}  // namespace slihub
