#include "common/server/idempotency.h"

#include <memory>

#include "common/errors/errors.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.pb.h"
#include "tests/support/temp_dir.h"

namespace slihub {
namespace {

using slihub::common::v1::EchoRequest;
using slihub::common::v1::EchoResponse;

class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDatabase::Open(dir_.Join("svc.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate({IdempotencyMigration(1)}).ok());
    principal_.subject = "873-hr-1";
    principal_.region_code = "EE";
  }

  // Runs a write that counts its runs and answers with the current count.
  absl::Status Write(const std::string& method, const std::string& request_id,
                     const EchoRequest& request, EchoResponse* response, bool fail = false) {
    const CallInfo call(&principal_, &trace_id_, &context_, &method);
    return RunIdempotent(*db_, call, request_id, "request_id", request, response,
                         [&](store::Transaction&) -> absl::Status {
                           if (fail) return absl::FailedPreconditionError("refused");
                           ++runs_;
                           response->set_message(absl::StrCat(request.message(), "#", runs_));
                           return absl::OkStatus();
                         });
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  Principal principal_;
  std::string trace_id_ = "trace-1";
  grpc::CallbackServerContext context_;
  int runs_ = 0;
};

TEST_F(IdempotencyTest, AReplayGetsTheKeptAnswerWithoutRunningAgain) {
  EchoRequest request;
  request.set_message("hello");
  EchoResponse first, second;
  ASSERT_TRUE(Write("/s/M", "r-1", request, &first).ok());
  ASSERT_TRUE(Write("/s/M", "r-1", request, &second).ok());
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(second.message(), "hello#1");
}

TEST_F(IdempotencyTest, TheSameIdForADifferentRequestIsRefused) {
  EchoRequest request;
  request.set_message("hello");
  EchoResponse answer;
  ASSERT_TRUE(Write("/s/M", "r-1", request, &answer).ok());
  request.set_message("changed");
  absl::Status reused = Write("/s/M", "r-1", request, &answer);
  EXPECT_EQ(reused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetErrorReason(reused), "IDEMPOTENCY_KEY_REUSED");
  ASSERT_EQ(GetFieldViolations(reused).size(), 1u);
  EXPECT_EQ(GetFieldViolations(reused)[0].field, "request_id");
  // Another method with the same id and bytes is a reuse too.
  request.set_message("hello");
  EXPECT_EQ(GetErrorReason(Write("/s/Other", "r-1", request, &answer)), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, AFailedWriteKeepsNothing) {
  EchoRequest request;
  request.set_message("hello");
  EchoResponse answer;
  EXPECT_EQ(Write("/s/M", "r-1", request, &answer, /*fail=*/true).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Write("/s/M", "r-1", request, &answer).ok());
  EXPECT_EQ(answer.message(), "hello#1");
}

TEST_F(IdempotencyTest, FindKeptAnswerReadsWithoutWriting) {
  EchoRequest request;
  request.set_message("hello");
  EchoResponse answer;
  const std::string method = "/s/M";
  const CallInfo call(&principal_, &trace_id_, &context_, &method);
  absl::StatusOr<bool> none =
      FindKeptAnswer(*db_, call, "r-1", "request_id", request, &answer);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(*none);
  ASSERT_TRUE(Write(method, "r-1", request, &answer).ok());
  EchoResponse kept;
  absl::StatusOr<bool> found = FindKeptAnswer(*db_, call, "r-1", "request_id", request, &kept);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(*found);
  EXPECT_EQ(kept.message(), "hello#1");
  request.set_message("changed");
  EXPECT_EQ(GetErrorReason(
                FindKeptAnswer(*db_, call, "r-1", "request_id", request, &kept).status()),
            "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, IdsAreKeptPerCaller) {
  EchoRequest request;
  request.set_message("hello");
  EchoResponse answer;
  ASSERT_TRUE(Write("/s/M", "r-1", request, &answer).ok());
  principal_.subject = "926-hr-1";
  ASSERT_TRUE(Write("/s/M", "r-1", request, &answer).ok());
  EXPECT_EQ(runs_, 2);
}

}  // namespace
}  // namespace slihub
