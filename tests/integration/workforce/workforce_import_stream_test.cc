// ImportEmploymentPeriods through the real server: a stream longer than one chunk with bad
// records at known positions, an idempotent replay, a request_id changed mid-stream, and an
// unauthenticated caller.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"

namespace slihub::testing {
namespace {

constexpr int kPeriods = 2500;   // three chunks of the server's 1,000
constexpr int kPerMessage = 300;
const std::set<int> kBad = {5, 1500, 2499};

// Period `i` of the test stream; the ones in kBad are invalid in three different ways.
wf::EmploymentPeriod StreamPeriod(int i) {
  wf::EmploymentPeriod p = Period(absl::StrCat("imp-", i), absl::StrCat("SW", 200000 + i), "873",
                                  Date(2015, 1, 1), Date(2016, 1, 1));
  if (i == 5) p.set_swe_number("SW0123");               // malformed SWE number
  if (i == 1500) p.mutable_la_code()->set_value("926");  // not the HR officer's LA
  if (i == 2499) *p.mutable_end_date() = Date(2014, 1, 1);  // ends before it starts
  return p;
}

class ImportStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    hr_ = server_.IssueToken("873-hr-import", {Role::kHrOfficer}, "873");
    stub_ = wf::WorkforceService::NewStub(server_.NewChannel());
  }

  // Streams the periods [0, kPeriods) under `request_id` (the last message under
  // `last_request_id` when given) and returns the call's status.
  grpc::Status Import(const std::string& token, const std::string& request_id,
                      wf::ImportEmploymentPeriodsResponse* response,
                      const std::string& last_request_id = "") {
    grpc::ClientContext context;
    PrepareContext(&context, token, absl::Seconds(60));
    auto writer = stub_->ImportEmploymentPeriods(&context, response);
    for (int start = 0; start < kPeriods; start += kPerMessage) {
      wf::ImportEmploymentPeriodsRequest message;
      const bool last = start + kPerMessage >= kPeriods;
      message.set_request_id(last && !last_request_id.empty() ? last_request_id : request_id);
      for (int i = start; i < std::min(kPeriods, start + kPerMessage); ++i) {
        *message.add_periods() = StreamPeriod(i);
      }
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // How many periods `swe` has (0 for an unknown worker; -1 on any other error).
  int PeriodsOf(const std::string& swe) {
    wf::ListEmploymentPeriodsRequest request;
    request.set_swe_number(swe);
    grpc::ClientContext context;
    PrepareContext(&context, hr_);
    wf::ListEmploymentPeriodsResponse response;
    grpc::Status status = stub_->ListEmploymentPeriods(&context, request, &response);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return 0;
    return status.ok() ? response.periods_size() : -1;
  }

  ServiceProcess server_;
  std::string hr_;
  std::unique_ptr<wf::WorkforceService::Stub> stub_;
};

TEST_F(ImportStreamTest, RecordsGoodPeriodsAcrossChunksAndReportsBadOnesInStreamOrder) {
  wf::ImportEmploymentPeriodsResponse response;
  grpc::Status status = Import(hr_, "hr-export-2026-11", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.counts().created(), kPeriods - static_cast<int>(kBad.size()));
  EXPECT_EQ(response.counts().rejected(), static_cast<int>(kBad.size()));
  ASSERT_EQ(response.rejected_size(), static_cast<int>(kBad.size()));
  std::vector<int> indexes;
  for (const auto& r : response.rejected()) {
    indexes.push_back(r.index());
    EXPECT_EQ(r.record_id(), absl::StrCat("imp-", r.index()));
    EXPECT_GT(r.violations_size(), 0);
  }
  EXPECT_EQ(indexes, std::vector<int>(kBad.begin(), kBad.end()));
  EXPECT_EQ(PeriodsOf("SW200000"), 1);
  EXPECT_EQ(PeriodsOf("SW202498"), 1);

  // The same import again replays: the same answer, nothing recorded twice.
  wf::ImportEmploymentPeriodsResponse replay;
  ASSERT_TRUE(Import(hr_, "hr-export-2026-11", &replay).ok());
  EXPECT_EQ(replay.counts().created(), response.counts().created());
  EXPECT_EQ(replay.rejected_size(), response.rejected_size());
  EXPECT_EQ(PeriodsOf("SW201000"), 1);
}

TEST_F(ImportStreamTest, RequestIdChangedMidStreamIsRefusedWithTheField) {
  wf::ImportEmploymentPeriodsResponse response;
  grpc::Status status = Import(hr_, "first-id", &response, "second-id");
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  ASSERT_GT(details.details_size(), 0);
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "request_id");
}

TEST_F(ImportStreamTest, UnauthenticatedAndWrongRoleCallersAreRefused) {
  wf::ImportEmploymentPeriodsResponse response;
  EXPECT_EQ(Import("slh_unknown", "x", &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string reader = server_.IssueToken("873-reader", {Role::kReader}, "873");
  EXPECT_EQ(Import(reader, "x", &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(PeriodsOf("SW200000"), 0);
}

}  // namespace
}  // namespace slihub::testing
