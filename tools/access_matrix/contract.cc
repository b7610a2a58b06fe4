#include "tools/access_matrix/contract.h"

#include "absl/strings/str_cat.h"
#include "slihub/common/v1/audit_service.pb.h"
#include "slihub/common/v1/diagnostics_service.pb.h"
#include "slihub/common/v1/federation_service.pb.h"
#include "slihub/common/v1/reference_data_service.pb.h"
#include "slihub/datacollection/v1/datacollection_service.pb.h"
#include "slihub/peerreview/v1/peerreview_service.pb.h"
#include "slihub/placement/v1/placement_service.pb.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub {
namespace {

// The service `name` of the file that defines `message` (naming a message links its file in).
const google::protobuf::ServiceDescriptor* ServiceOf(
    const google::protobuf::Descriptor* message, const char* name) {
  return message->file()->FindServiceByName(name);
}

}  // namespace

const std::vector<const google::protobuf::ServiceDescriptor*>& ContractServices() {
  static const auto* services = new std::vector<const google::protobuf::ServiceDescriptor*>{
      ServiceOf(datacollection::v1::CreateIndicatorRequest::descriptor(),
                "DataCollectionService"),
      ServiceOf(peerreview::v1::CreateCycleRequest::descriptor(), "PeerReviewService"),
      ServiceOf(placement::v1::CreateProviderRequest::descriptor(), "PlacementService"),
      ServiceOf(workforce::v1::EmploymentPeriodResult::descriptor(), "WorkforceService"),
      ServiceOf(common::v1::LocalAuthority::descriptor(), "ReferenceDataService"),
      ServiceOf(common::v1::Dependency::descriptor(), "DiagnosticsService"),
      ServiceOf(common::v1::WatchChangesRequest::descriptor(), "FederationService"),
      ServiceOf(common::v1::ListAuditEntriesRequest::descriptor(), "AuditService"),
  };
  return *services;
}

const google::protobuf::MethodDescriptor* FindContractMethod(absl::string_view full_name) {
  for (const google::protobuf::ServiceDescriptor* service : ContractServices()) {
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (full_name == absl::StrCat("/", service->full_name(), "/", method->name())) return method;
    }
  }
  return nullptr;
}

}  // namespace slihub
