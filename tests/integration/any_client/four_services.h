// The four services of one East of England hub as real processes with their demo data, peer
// review calling data collection with a service token, started once for a test binary.
#ifndef SLIHUB_TESTS_INTEGRATION_ANY_CLIENT_FOUR_SERVICES_H_
#define SLIHUB_TESTS_INTEGRATION_ANY_CLIENT_FOUR_SERVICES_H_

#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {

// Owns the four processes; the destructor stops them. Thread-compatible.
class FourServices {
 public:
  // Starts data collection first (peer review names it), then the other three.
  absl::Status Start() {
    datacollection_ = Make("datacollection", {});
    if (absl::Status s = datacollection_->Start(); !s.ok()) return s;
    const std::string token_file = dir_.Join("service-token");
    {
      std::ofstream out(token_file);
      out << datacollection_->IssueToken("hub-service-EE", {Role::kService}) << "\n";
    }
    peerreview_ = Make("peerreview", {"--service-endpoint=datacollection=" +
                                          datacollection_->endpoint(),
                                      "--service-token-file=" + token_file,
                                      "--peer-deadline-ms=5000"});
    workforce_ = Make("workforce", {});
    placement_ = Make("placement", {});
    for (ServiceProcess* p : {peerreview_.get(), workforce_.get(), placement_.get()}) {
      if (absl::Status s = p->Start(); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  ServiceProcess& workforce() { return *workforce_; }
  ServiceProcess& placement() { return *placement_; }
  ServiceProcess& datacollection() { return *datacollection_; }
  ServiceProcess& peerreview() { return *peerreview_; }

 private:
  static std::unique_ptr<ServiceProcess> Make(const std::string& service,
                                              std::vector<std::string> args) {
    ServiceProcessOptions options;
    options.service = service;
    options.region = "EE";
    options.extra_args = std::move(args);
    options.extra_args.push_back("--demo-data");
    return std::make_unique<ServiceProcess>(options);
  }

  TempDir dir_;
  std::unique_ptr<ServiceProcess> datacollection_;
  std::unique_ptr<ServiceProcess> peerreview_;
  std::unique_ptr<ServiceProcess> workforce_;
  std::unique_ptr<ServiceProcess> placement_;
};

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_ANY_CLIENT_FOUR_SERVICES_H_
