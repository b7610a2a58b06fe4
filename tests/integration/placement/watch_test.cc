// WatchVacancies through the real placement binary: a snapshot, then a hold and a confirm as they
// happen; a resumed watch replays only later changes; filters and provider scope; refusals;
// cancellation; and a server that shuts down with a watch open.
#include <csignal>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

// A watch read on its own thread into a list of events and messages.
class Watcher {
 public:
  Watcher(Stub* stub, const std::string& token, const pb::WatchVacanciesRequest& request) {
    PrepareContext(&context_, token, absl::Seconds(60));
    reader_ = stub->WatchVacancies(&context_, request);
    thread_ = std::thread([this] {
      pb::WatchVacanciesResponse message;
      while (reader_->Read(&message)) {
        absl::MutexLock lock(&mu_);
        ++messages_;
        last_sequence_ = message.last_sequence();
        if (message.snapshot_complete()) snapshot_complete_at_ = messages_;
        for (const pb::VacancyEvent& e : message.events()) events_.push_back(e);
      }
      grpc::Status status = reader_->Finish();
      absl::MutexLock lock(&mu_);
      status_ = status;
      finished_ = true;
    });
  }
  ~Watcher() {
    context_.TryCancel();
    thread_.join();
  }

  // Waits until `n` events arrived (or 10 s) and returns them all.
  std::vector<pb::VacancyEvent> AwaitEvents(size_t n) {
    WaitFor(
        [&] {
          absl::MutexLock lock(&mu_);
          return events_.size() >= n || finished_;
        },
        absl::Seconds(10));
    absl::MutexLock lock(&mu_);
    return events_;
  }
  // Waits until at least one message arrived (or 10 s); returns its last_sequence.
  int64_t AwaitFirstMessage() {
    WaitFor(
        [&] {
          absl::MutexLock lock(&mu_);
          return messages_ > 0 || finished_;
        },
        absl::Seconds(10));
    absl::MutexLock lock(&mu_);
    return last_sequence_;
  }
  // Waits until the stream ended (or 10 s); returns its status.
  grpc::Status AwaitEnd() {
    const bool ended = WaitFor(
        [&] {
          absl::MutexLock lock(&mu_);
          return finished_;
        },
        absl::Seconds(10));
    if (!ended) return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "still open");
    absl::MutexLock lock(&mu_);
    return status_;
  }
  void Cancel() { context_.TryCancel(); }
  // Messages received so far.
  int messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }
  // The number (1-based) of the message marked snapshot_complete; 0 when none was.
  int snapshot_complete_at() {
    absl::MutexLock lock(&mu_);
    return snapshot_complete_at_;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<pb::WatchVacanciesResponse>> reader_;
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<pb::VacancyEvent> events_ ABSL_GUARDED_BY(mu_);
  int messages_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  int snapshot_complete_at_ ABSL_GUARDED_BY(mu_) = 0;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

class WatchIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // SE's hub is a peer (its certificate is admitted as hub:SE); nothing answers at its address.
    std::ofstream(peers_.Join("peers.csv")) << "SE,placement,127.0.0.1:1\n";
    server_ = std::make_unique<ServiceProcess>(
        PlacementOptions("EE", {"--peers-file=" + peers_.Join("peers.csv")}));
    ASSERT_TRUE(server_->Start().ok());
    admin_ = server_->IssueToken("ee-admin", {Role::kRegionalAdmin});
    provider_ = server_->IssueToken("acme-1", {Role::kProvider});
    officer_ = server_->IssueToken("926-po", {Role::kPlacementOfficer}, "926");
    stub_ = pb::PlacementService::NewStub(server_->NewChannel());
    const SeededRegister seeded = SeedRegister(stub_.get(), admin_, provider_, officer_);
    setting_id_ = seeded.setting_id;
    vacancy_ = seeded.vacancy;
    referral_id_ = seeded.referral_id;
    ASSERT_FALSE(referral_id_.empty());
  }

  pb::WatchVacanciesRequest Snapshot() {
    pb::WatchVacanciesRequest req;
    req.set_include_snapshot(true);
    return req;
  }

  TempDir peers_{"slihub-peers"};
  std::unique_ptr<ServiceProcess> server_;
  std::unique_ptr<Stub> stub_;
  std::string admin_, provider_, officer_, setting_id_, referral_id_;
  pb::Vacancy vacancy_;
};

TEST_F(WatchIntegrationTest, AWatcherSeesAHoldAndAConfirmAndAResumeReplaysOnlyLaterChanges) {
  Watcher watcher(stub_.get(), officer_, Snapshot());
  const std::vector<pb::VacancyEvent> snapshot = watcher.AwaitEvents(1);
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].type(), pb::VACANCY_EVENT_TYPE_SNAPSHOT);
  EXPECT_EQ(snapshot[0].vacancy().vacancy_id(), vacancy_.vacancy_id());

  pb::HoldVacancyRequest hold;

  hold.set_request_id(NextRequestId("hold"));
  hold.set_vacancy_id(vacancy_.vacancy_id());
  hold.set_referral_id(referral_id_);
  pb::HoldVacancyResponse held;
  ASSERT_TRUE(CallPlacement(stub_.get(), officer_, &Stub::HoldVacancy, hold, &held).ok());
  pb::ConfirmPlacementRequest confirm;
  confirm.set_request_id(NextRequestId("confirm"));
  confirm.set_hold_id(held.hold().hold_id());
  confirm.set_version(held.hold().version());
  confirm.mutable_start_date()->set_year(2026);
  confirm.mutable_start_date()->set_month(12);
  confirm.mutable_start_date()->set_day(1);
  pb::ConfirmPlacementResponse placed;
  ASSERT_TRUE(CallPlacement(stub_.get(), officer_, &Stub::ConfirmPlacement, confirm, &placed).ok());

  const std::vector<pb::VacancyEvent> events = watcher.AwaitEvents(3);
  ASSERT_EQ(events.size(), 3u);
  const pb::VacancyEvent& h = events[1];
  const pb::VacancyEvent& f = events[2];
  EXPECT_EQ(h.type(), pb::VACANCY_EVENT_TYPE_HELD);
  EXPECT_EQ(h.hold_id(), held.hold().hold_id());
  EXPECT_EQ(h.vacancy().beds_held(), 1);
  EXPECT_EQ(f.type(), pb::VACANCY_EVENT_TYPE_FILLED);
  EXPECT_EQ(f.hold_id(), held.hold().hold_id());
  EXPECT_EQ(f.vacancy().beds(), 1);
  EXPECT_EQ(f.vacancy().version(), placed.vacancy().version());
  EXPECT_EQ(f.sequence(), h.sequence() + 1);
  EXPECT_GT(h.sequence(), snapshot[0].sequence());

  pb::WatchVacanciesRequest resume;
  resume.set_resume_after_sequence(h.sequence());
  Watcher resumed(stub_.get(), admin_, resume);
  const std::vector<pb::VacancyEvent> replayed = resumed.AwaitEvents(1);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].type(), pb::VACANCY_EVENT_TYPE_FILLED);
  EXPECT_EQ(replayed[0].sequence(), f.sequence());

  resumed.Cancel();
  EXPECT_EQ(resumed.AwaitEnd().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(WatchIntegrationTest, FiltersAndProviderScope) {
  const std::string stranger = server_->IssueToken("other-provider", {Role::kProvider});
  Watcher outsider(stub_.get(), stranger, Snapshot());
  EXPECT_GT(outsider.AwaitFirstMessage(), 0);    // the snapshot's point, with no events:
  EXPECT_TRUE(outsider.AwaitEvents(0).empty());  // another provider's vacancy is not theirs
  Watcher own(stub_.get(), provider_, Snapshot());
  EXPECT_EQ(own.AwaitEvents(1).size(), 1u);
  pb::WatchVacanciesRequest elsewhere = Snapshot();
  elsewhere.mutable_host_la()->set_value("873");
  Watcher filtered(stub_.get(), admin_, elsewhere);
  EXPECT_GT(filtered.AwaitFirstMessage(), 0);
  EXPECT_TRUE(filtered.AwaitEvents(0).empty());
}

TEST_F(WatchIntegrationTest, RefusalsEndTheStreamWithTheirCodes) {
  pb::WatchVacanciesRequest ahead;
  ahead.set_resume_after_sequence(1000000);
  EXPECT_EQ(Watcher(stub_.get(), admin_, ahead).AwaitEnd().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  pb::WatchVacanciesRequest bad;
  bad.add_placement_types(static_cast<pb::PlacementType>(77));
  EXPECT_EQ(Watcher(stub_.get(), admin_, bad).AwaitEnd().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Watcher(stub_.get(), "", Snapshot()).AwaitEnd().error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string hr = server_->IssueToken("926-hr", {Role::kHrOfficer}, "926");
  EXPECT_EQ(Watcher(stub_.get(), hr, Snapshot()).AwaitEnd().error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// What another region's hub asks for its read model: settings with the events, the end of the
// snapshot marked, heartbeats as often as it asks; a hub principal may watch, and gets no audit.
TEST_F(WatchIntegrationTest, SettingsSnapshotEndAndHeartbeatForAPeerHub) {
  // SE's hub presents its certificate and no token.
  const std::string hub;
  auto hub_stub = pb::PlacementService::NewStub(server_->NewMachineChannel("SE", "placement"));
  ASSERT_TRUE(WaitFor(
      [&] { return Watcher(hub_stub.get(), hub, Snapshot()).AwaitEvents(1).size() == 1; },
      absl::Seconds(15)));
  pb::WatchVacanciesRequest req = Snapshot();
  req.set_include_settings(true);
  req.mutable_heartbeat()->set_nanos(200000000);
  Watcher watcher(hub_stub.get(), hub, req);
  const std::vector<pb::VacancyEvent> snapshot = watcher.AwaitEvents(1);
  ASSERT_EQ(snapshot.size(), 1u) << watcher.AwaitEnd().error_message();
  EXPECT_EQ(snapshot[0].setting().setting_id(), setting_id_);
  EXPECT_EQ(snapshot[0].setting().host_la().value(), "926");
  EXPECT_EQ(snapshot[0].setting().region().value(), "EE");
  EXPECT_FALSE(snapshot[0].setting().has_audit());
  EXPECT_FALSE(snapshot[0].vacancy().has_audit());
  EXPECT_EQ(watcher.snapshot_complete_at(), 1);
  const int before = watcher.messages();
  absl::SleepFor(absl::Milliseconds(1100));
  EXPECT_GE(watcher.messages() - before, 3);  // a heartbeat every 200 ms (the log read each 100)

  // Without include_settings no setting is sent; the officer's events keep their audit.
  Watcher plain(stub_.get(), officer_, Snapshot());
  const std::vector<pb::VacancyEvent> bare = plain.AwaitEvents(1);
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_FALSE(bare[0].has_setting());
  EXPECT_TRUE(bare[0].vacancy().has_audit());

  pb::WatchVacanciesRequest too_often = Snapshot();
  too_often.mutable_heartbeat()->set_nanos(50000000);
  EXPECT_EQ(Watcher(hub_stub.get(), hub, too_often).AwaitEnd().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(WatchShutdownTest, AnOpenWatchEndsWhenTheServerStops) {
  ServiceProcessOptions options = PlacementOptions();
  options.shutdown_grace_ms = 300;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  pb::WatchVacanciesRequest req;
  req.set_include_snapshot(true);
  Watcher watcher(stub.get(), admin, req);
  watcher.AwaitFirstMessage();
  const absl::Time start = absl::Now();
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());
  const grpc::Status ended = watcher.AwaitEnd();
  EXPECT_NE(ended.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << ended.error_message();
  EXPECT_NE(ended.error_code(), grpc::StatusCode::OK);
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

// A watcher that stops reading leaves the server's write in flight until gRPC cancels the call at
// shutdown; the cancelled write must still end the watch, or the server never finishes stopping.
TEST(WatchShutdownTest, AWatchWhoseReaderStoppedStillEndsWhenTheServerStops) {
  ServiceProcessOptions options = PlacementOptions();
  options.shutdown_grace_ms = 300;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string provider = server.IssueToken("acme-1", {Role::kProvider});
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  const SeededRegister seeded = SeedRegister(stub.get(), admin, provider, officer);
  // Enough snapshot to fill the stream's flow-control window many times over.
  for (int i = 0; i < 1500; ++i) {
    pb::PublishVacancyResponse published;
    ASSERT_TRUE(CallPlacement(stub.get(), provider, &Stub::PublishVacancy,
                              VacancyRequest(seeded.setting_id, absl::StrCat("bulk-", i), 1, 390000),
                              &published)
                    .ok());
  }
  // Watchers that never read; half are then cancelled by their clients with a write in flight,
  // the others by the server's shutdown.
  constexpr int kWatchers = 8;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<pb::WatchVacanciesResponse>>> readers;
  pb::WatchVacanciesRequest req;
  req.set_include_snapshot(true);
  for (int i = 0; i < kWatchers; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    PrepareContext(contexts.back().get(), admin, absl::Seconds(60));
    readers.push_back(stub->WatchVacancies(contexts.back().get(), req));
  }
  absl::SleepFor(absl::Seconds(1));
  for (int i = 0; i < kWatchers / 2; ++i) contexts[i]->TryCancel();
  absl::SleepFor(absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  ASSERT_TRUE(server.process().Signal(SIGTERM).ok());
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value()) << "the server did not stop";
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  for (auto& context : contexts) context->TryCancel();
}

}  // namespace
}  // namespace slihub::testing
