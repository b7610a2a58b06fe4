// Nothing acknowledged is lost: writers hammer a real service, the process is killed with
// SIGKILL mid-stream, restarted on the same data directory, and every write that was
// acknowledged before the kill must read back.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;
namespace pb = ::slihub::placement::v1;
namespace wf = ::slihub::workforce::v1;

constexpr int kWriters = 4;
constexpr int kAcknowledgedBeforeKill = 150;

// Calls `write(i)` for i = 0, 1, ... from kWriters threads; once kAcknowledgedBeforeKill writes
// have been acknowledged (write returned true), kills `server` with SIGKILL while the writers
// are still writing. Returns the acknowledged indices.
std::vector<int> WriteUntilKilled(ServiceProcess& server, const std::function<bool(int)>& write) {
  std::atomic<int> next{0};
  std::atomic<bool> killed{false};
  absl::Mutex mu;
  std::vector<int> acknowledged;
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&] {
      while (!killed.load()) {
        const int i = next.fetch_add(1);
        if (write(i)) {
          absl::MutexLock lock(&mu);
          acknowledged.push_back(i);
        }
      }
    });
  }
  const bool enough = WaitFor(
      [&] {
        absl::MutexLock lock(&mu);
        return acknowledged.size() >= static_cast<size_t>(kAcknowledgedBeforeKill);
      },
      absl::Seconds(60));
  EXPECT_TRUE(server.process().Kill().ok());
  killed.store(true);
  for (std::thread& writer : writers) writer.join();
  EXPECT_TRUE(enough) << "too few writes acknowledged before the kill";
  auto exit = server.process().WaitForExit(absl::ZeroDuration());
  EXPECT_TRUE(exit.has_value() && exit->signaled) << "the server was not killed by a signal";
  absl::MutexLock lock(&mu);
  return acknowledged;
}

TEST(CrashDurabilityTest, WorkforceKeepsEveryAcknowledgedEmploymentPeriod) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string hr = server.IssueToken("873-hr-crash", {Role::kHrOfficer}, "873");
  auto channel = server.NewChannel();

  auto swe = [](int i) { return absl::StrCat("SW", 100000 + i); };
  const std::vector<int> acknowledged = WriteUntilKilled(server, [&](int i) {
    wf::RecordEmploymentPeriodRequest request;
    request.set_request_id(absl::StrCat("crash-", i));
    wf::EmploymentPeriod* period = request.mutable_period();
    period->set_record_id(absl::StrCat("crash-", i));
    period->set_swe_number(swe(i));
    period->mutable_la_code()->set_value("873");
    period->set_employment_type(wf::EMPLOYMENT_TYPE_PERMANENT);
    period->set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
    period->mutable_start_date()->set_year(2020);
    period->mutable_start_date()->set_month(1);
    period->mutable_start_date()->set_day(1);
    period->set_child_and_family(true);
    grpc::ClientContext context;
    PrepareContext(&context, hr);
    wf::RecordEmploymentPeriodResponse response;
    return wf::WorkforceService::NewStub(channel)
        ->RecordEmploymentPeriod(&context, request, &response)
        .ok();
  });
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kAcknowledgedBeforeKill));

  ASSERT_TRUE(server.Start().ok());
  auto stub = wf::WorkforceService::NewStub(server.NewChannel());
  for (int i : acknowledged) {
    wf::ListEmploymentPeriodsRequest request;
    request.set_swe_number(swe(i));
    grpc::ClientContext context;
    PrepareContext(&context, hr);
    wf::ListEmploymentPeriodsResponse response;
    grpc::Status status = stub->ListEmploymentPeriods(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.periods_size(), 1) << "acknowledged period " << i << " was lost";
    EXPECT_EQ(response.periods(0).record_id(), absl::StrCat("crash-", i));
  }
}

TEST(CrashDurabilityTest, DataCollectionKeepsEveryAcknowledgedReturnVersion) {
  ServiceProcessOptions options;
  options.service = "datacollection";
  options.extra_args = {"--demo-data"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string officer = server.IssueToken("873-data-crash", {Role::kDataOfficer}, "873");
  auto channel = server.NewChannel();

  std::string open_period;
  {
    dc::ListCollectionPeriodsRequest request;
    request.set_collection_id("EE-core");
    request.set_state(dc::PERIOD_STATE_OPEN);
    grpc::ClientContext context;
    PrepareContext(&context, officer);
    dc::ListCollectionPeriodsResponse response;
    ASSERT_TRUE(dc::DataCollectionService::NewStub(channel)
                    ->ListCollectionPeriods(&context, request, &response)
                    .ok());
    ASSERT_GT(response.periods_size(), 0);
    open_period = response.periods(0).period_id();
  }

  absl::Mutex mu;
  std::map<int64_t, int64_t> value_by_version;  // what each acknowledged version holds
  const std::vector<int> acknowledged = WriteUntilKilled(server, [&](int i) {
    dc::SubmitReturnRequest request;
    request.set_request_id(absl::StrCat("crash-", i));
    request.mutable_la_code()->set_value("873");
    request.set_collection_id("EE-core");
    request.set_period_id(open_period);
    dc::IndicatorValue* value = request.add_values();
    value->set_indicator_id("CLA-COUNT");
    value->mutable_total()->set_state(dc::VALUE_STATE_PRESENT);
    value->mutable_total()->mutable_value()->set_unscaled(300 + i);
    grpc::ClientContext context;
    PrepareContext(&context, officer);
    dc::SubmitReturnResponse response;
    if (!dc::DataCollectionService::NewStub(channel)
             ->SubmitReturn(&context, request, &response)
             .ok()) {
      return false;
    }
    absl::MutexLock lock(&mu);
    value_by_version[response.la_return().version()] = 300 + i;
    return true;
  });
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kAcknowledgedBeforeKill));

  ASSERT_TRUE(server.Start().ok());
  auto stub = dc::DataCollectionService::NewStub(server.NewChannel());
  absl::MutexLock lock(&mu);
  ASSERT_EQ(value_by_version.size(), acknowledged.size()) << "two writes got one version";
  for (const auto& [version, expected] : value_by_version) {
    dc::GetReturnRequest request;
    request.mutable_la_code()->set_value("873");
    request.set_collection_id("EE-core");
    request.set_period_id(open_period);
    request.set_version(version);
    request.set_view(dc::RETURN_VIEW_FULL);
    grpc::ClientContext context;
    PrepareContext(&context, officer);
    dc::GetReturnResponse response;
    grpc::Status status = stub->GetReturn(&context, request, &response);
    ASSERT_TRUE(status.ok()) << "acknowledged version " << version << ": "
                             << status.error_message();
    bool found = false;
    for (const auto& v : response.la_return().values()) {
      if (v.indicator_id() == "CLA-COUNT") {
        found = true;
        EXPECT_EQ(v.total().value().unscaled(), expected) << "version " << version;
      }
    }
    EXPECT_TRUE(found) << "version " << version << " lost its value";
  }
}

TEST(CrashDurabilityTest, PlacementKeepsEveryAcknowledgedReferral) {
  ServiceProcess server(PlacementOptions());
  ASSERT_TRUE(server.Start().ok());
  const std::string officer = server.IssueToken("926-po-crash", {Role::kPlacementOfficer}, "926");
  auto channel = server.NewChannel();

  absl::Mutex mu;
  std::map<std::string, int> miles_by_referral;  // what each acknowledged referral holds
  const std::vector<int> acknowledged = WriteUntilKilled(server, [&](int i) {
    pb::CreateReferralRequest request = NorwichReferral("926", 10 + i % 50);
    request.set_request_id(absl::StrCat("crash-", i));
    pb::CreateReferralResponse response;
    auto stub = pb::PlacementService::NewStub(channel);
    if (!CallPlacement(stub.get(), officer, &pb::PlacementService::Stub::CreateReferral, request,
                       &response)
             .ok()) {
      return false;
    }
    absl::MutexLock lock(&mu);
    miles_by_referral[response.referral().referral_id()] = 10 + i % 50;
    return true;
  });
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(kAcknowledgedBeforeKill));

  ASSERT_TRUE(server.Start().ok());
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  absl::MutexLock lock(&mu);
  ASSERT_EQ(miles_by_referral.size(), acknowledged.size()) << "two writes got one id";
  for (const auto& [referral_id, max_miles] : miles_by_referral) {
    pb::GetReferralRequest request;
    request.set_referral_id(referral_id);
    pb::GetReferralResponse response;
    grpc::Status status = CallPlacement(stub.get(), officer,
                                        &pb::PlacementService::Stub::GetReferral, request,
                                        &response);
    ASSERT_TRUE(status.ok()) << "acknowledged referral " << referral_id << ": "
                             << status.error_message();
    EXPECT_EQ(response.referral().constraints().max_distance_miles(), max_miles);
  }
}

}  // namespace
}  // namespace slihub::testing
