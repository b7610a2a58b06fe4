// The interceptor in a real in-process gRPC server: a write's status reaches the client only
// after its entry is committed (Proceed is deferred to the writer thread), under concurrency.
#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/audit/audit_interceptor.h"
#include "common/audit/audit_store.h"
#include "common/audit/audit_writer.h"
#include "common/identity/authenticator.h"
#include "common/store/sqlite_database.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace slihub::audit {
namespace {

// A method no descriptor marks NO_SIDE_EFFECTS: audited as a write.
constexpr char kWriteMethod[] = "/slihub.test.v1.Test/Write";

// Answers every call OK after reading its one message, echoing the caller's x-request-id.
class EchoIdService : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(grpc::GenericCallbackServerContext* context) {
        auto id = context->client_metadata().find("x-request-id");
        if (id != context->client_metadata().end()) {
          context->AddInitialMetadata("x-request-id", std::string(id->second.data(),
                                                                  id->second.size()));
        }
        StartRead(&request_);
      }
      void OnReadDone(bool) override { Finish(grpc::Status::OK); }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer request_;
    };
    return new Reactor(context);
  }
};

class AuditInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenAuditDatabase(dir_.Join("audit.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    auto writer = AuditWriter::Start(db_.get());
    ASSERT_TRUE(writer.ok());
    writer_ = *std::move(writer);
    ASSERT_TRUE(authenticator_.Start().ok());
    runtime_.authenticator = &authenticator_;
    runtime_.hub_region = "EE";
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(std::make_unique<AuditInterceptorFactory>(&runtime_, writer_.get()));
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    server_->Shutdown();
    server_->Wait();
    writer_->Stop();
  }

  grpc::Status Call(const std::string& request_id) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    context.AddMetadata("x-request-id", request_id);
    grpc::Slice payload("x");
    grpc::ByteBuffer request(&payload, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, kWriteMethod, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }

  int64_t EntriesFor(const std::string& request_id) {
    int64_t count = -1;
    absl::Status read = db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) {
      auto rows = tx.Query("SELECT count(*) FROM audit_entries WHERE request_id = $1",
                           {store::Text(request_id)});
      if (!rows.ok()) return rows.status();
      count = rows->rows()[0].GetInt64(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return count;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<AuditWriter> writer_;
  Authenticator authenticator_{[] { return std::vector<ActiveToken>{}; }, absl::Seconds(60)};
  CallRuntime runtime_;
  EchoIdService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(AuditInterceptorTest, WriteStatusWaitsForItsEntryToCommit) {
  // Hold the audit store's write lock: the writer cannot commit until it is released.
  absl::Notification holding;
  absl::Notification release;
  std::thread holder([&] {
    absl::Status held = db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      holding.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    });
    EXPECT_TRUE(held.ok()) << held;
  });
  holding.WaitForNotification();
  std::atomic<bool> answered{false};
  std::thread caller([&] {
    EXPECT_TRUE(Call("held-write").ok());
    answered.store(true);
    EXPECT_EQ(EntriesFor("held-write"), 1);  // committed before the client heard OK
  });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_FALSE(answered.load()) << "the write was acknowledged before its entry was committed";
  release.Notify();
  holder.join();
  caller.join();
  EXPECT_TRUE(answered.load());
}

TEST_F(AuditInterceptorTest, ConcurrentWritesAreEachCommittedBeforeTheirAnswer) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = absl::StrCat("w-", t, "-", i);
        ASSERT_TRUE(Call(id).ok());
        EXPECT_EQ(EntriesFor(id), 1) << id;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto verdict = VerifyTrail(*db_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->problem;
  EXPECT_EQ(verdict->entries_checked, kThreads * kEach);
  AuditFilter filter;
  filter.limit = 1;
  auto newest = ListEntries(*db_, filter);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 1u);
  EXPECT_EQ((*newest)[0].method, kWriteMethod);
  EXPECT_EQ((*newest)[0].kind, AuditKind::kWrite);
  EXPECT_EQ((*newest)[0].code, "OK");
  EXPECT_EQ((*newest)[0].subject, "");  // no token: recorded as unauthenticated
}

}  // namespace
}  // namespace slihub::audit
