// Federation over real gRPC on loopback: a peer hub in-process (an Echo service standing for a
// lookup, and its change log served as FederationService), this hub's Federation asking it with
// an in-memory cache. Covers fresh, cached, invalidated, stale, timed out, single flight, the
// change feed's resume and reset, and who may watch the feed.
#include "common/federation/federation.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/worker_pool.h"
#include "common/cache/in_memory_cache.h"
#include "common/federation/federation_service.h"
#include "common/identity/authenticator.h"
#include "common/identity/token_codec.h"
#include "common/server/dependency_monitor.h"
#include "common/server/proto_time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "slihub/common/v1/diagnostics_service.grpc.pb.h"
#include "tests/support/wait_for.h"

namespace slihub::federation {
namespace {

namespace cpb = ::slihub::common::v1;
using ::slihub::testing::WaitFor;

constexpr char kHubToken[] = "slh_hub-ee-at-se";        // role hub, region EE
constexpr char kReaderToken[] = "slh_reader-ee-at-se";  // role reader, region EE
constexpr char kOwnReader[] = "slh_reader-se-at-se";    // role reader, region SE

// Answers Echo with "<message>#<n>" (n counts the calls) after the request's delay.
class CountingEcho final : public cpb::DiagnosticsService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const cpb::EchoRequest* request,
                                 cpb::EchoResponse* response) override {
    const int n = ++calls;
    absl::SleepFor(delay.load() * 1.0);
    response->set_message(absl::StrCat(request->message(), "#", n));
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  std::atomic<int> calls{0};
  std::atomic<absl::Duration> delay{absl::ZeroDuration()};
};

Principal MakePrincipal(const std::string& region, Role role) {
  Principal p;
  p.subject = absl::StrCat(region, "-", RoleName(role));
  p.region_code = region;
  p.roles = {role};
  return p;
}

// The SE hub: Echo plus its change log's feed, with SE's token table.
class PeerHub {
 public:
  PeerHub()
      : authenticator_(
            []() -> absl::StatusOr<std::vector<ActiveToken>> {
              return std::vector<ActiveToken>{
                  {HashToken(kHubToken), MakePrincipal("EE", Role::kHub)},
                  {HashToken(kReaderToken), MakePrincipal("EE", Role::kReader)},
                  {HashToken(kOwnReader), MakePrincipal("SE", Role::kReader)}};
            },
            absl::Hours(1)),
        pool_(1, 16),
        log_(ChangeLogOptions{100, absl::Milliseconds(100), 500}) {
    EXPECT_TRUE(authenticator_.Start().ok());
    service_ = std::make_unique<FederationServiceImpl>(
        &log_, CallRuntime{&authenticator_, &pool_, "SE", false, {}});
  }
  ~PeerHub() {
    Stop();
    pool_.Shutdown();
  }
  void Start(int port = 0) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", port), grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&echo);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void Stop() {
    if (server_ == nullptr) return;
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(100));
    server_.reset();
  }
  std::string endpoint() const { return absl::StrCat("127.0.0.1:", port_); }
  ChangeLog& log() { return log_; }
  CountingEcho echo;

 private:
  Authenticator authenticator_;
  WorkerPool pool_;
  ChangeLog log_;
  std::unique_ptr<FederationServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

class FederationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ConfigureLogging(LogLevel::kError, "test", "EE");
    peer_.Start();
    federation_ = MakeFederation();
  }

  std::unique_ptr<Federation> MakeFederation(size_t memory_entries = 4096) {
    FederationOptions options;
    options.cache.memory_entries = memory_entries;
    options.deadline = absl::Milliseconds(500);
    options.cache.fresh = absl::Seconds(30);
    options.cache.stale_max = absl::Minutes(5);
    options.feeds.silence_limit = absl::Milliseconds(500);
    options.feeds.min_backoff = absl::Milliseconds(20);
    options.feeds.max_backoff = absl::Milliseconds(100);
    return std::make_unique<Federation>(
        "EE", std::vector<std::string>{"EE", "LDN", "SE"},
        std::make_unique<PeerHubs>(std::vector<PeerHubSpec>{{"SE", peer_.endpoint(), kHubToken}}),
        &cache_, nullptr, options);
  }

  // Asks SE and LDN (no peer configured) to echo `message`.
  std::vector<RegionReply<cpb::EchoResponse>> Ask(
      const std::string& message, std::optional<std::string> key = FeedKey("test", "k"),
      Federation* federation = nullptr) {
    federation = federation == nullptr ? federation_.get() : federation;
    auto stub = std::shared_ptr<cpb::DiagnosticsService::Stub>(
        cpb::DiagnosticsService::NewStub(federation->peers().Channel("SE")));
    return federation->Ask<cpb::EchoResponse>(
        {"SE", "LDN"}, key,
        [stub, message](const std::string& region, grpc::ClientContext* context,
                        cpb::EchoResponse* reply, std::function<void(grpc::Status)> done) {
          auto request = std::make_shared<cpb::EchoRequest>();
          request->set_message(message);
          stub->async()->Echo(context, request.get(), reply,
                              [request, done](grpc::Status status) { done(status); });
        });
  }

  cache::InMemoryCache cache_;
  PeerHub peer_;
  std::unique_ptr<Federation> federation_;
};

TEST_F(FederationTest, AnswersFreshThenFromTheCacheWhileTheFeedIsInSync) {
  ASSERT_TRUE(federation_->feeds().AwaitAllInSync(absl::Seconds(5)));
  auto first = Ask("a");
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].outcome.state, RegionState::kFresh);
  EXPECT_EQ(first[0].reply->message(), "a#1");
  EXPECT_EQ(first[1].outcome.region, "LDN");
  EXPECT_EQ(first[1].outcome.state, RegionState::kUnavailable);
  EXPECT_NE(first[1].outcome.reason.find("no peer hub"), std::string::npos);
  EXPECT_FALSE(first[1].reply.has_value());

  auto second = Ask("a");
  EXPECT_EQ(second[0].outcome.state, RegionState::kCached);
  EXPECT_EQ(second[0].reply->message(), "a#1");
  EXPECT_EQ(second[0].outcome.as_of, first[0].outcome.as_of);
  EXPECT_EQ(peer_.echo.calls.load(), 1);
}

TEST_F(FederationTest, TheInProcessTierServesWhileRedisIsDownWithinItsBound) {
  federation_ = MakeFederation(/*memory_entries=*/1);
  ASSERT_TRUE(federation_->feeds().AwaitAllInSync(absl::Seconds(5)));
  ASSERT_EQ(Ask("a", FeedKey("test", "a"))[0].outcome.state, RegionState::kFresh);
  ASSERT_EQ(Ask("b", FeedKey("test", "b"))[0].outcome.state, RegionState::kFresh);
  cache_.SetAvailable(false);
  // "b" is in process; "a" was pushed out by the bound of one entry and Redis is down.
  EXPECT_EQ(Ask("b", FeedKey("test", "b"))[0].outcome.state, RegionState::kCached);
  EXPECT_EQ(Ask("a", FeedKey("test", "a"))[0].outcome.state, RegionState::kFresh);
  EXPECT_EQ(peer_.echo.calls.load(), 3);
  // An invalidation drops the in-process copy too.
  peer_.log().Publish(FeedKey("test", "a"));
  ASSERT_TRUE(WaitFor([&] { return Ask("a", FeedKey("test", "a"))[0].outcome.state ==
                                    RegionState::kFresh; },
                      absl::Seconds(2), absl::Milliseconds(5)));
  cache_.SetAvailable(true);
}

TEST_F(FederationTest, AChangeAnnouncedByTheOwnerReachesTheCacheWithinTheBound) {
  ASSERT_TRUE(federation_->feeds().AwaitAllInSync(absl::Seconds(5)));
  Ask("a");
  ASSERT_EQ(Ask("a")[0].outcome.state, RegionState::kCached);
  const absl::Time changed = absl::Now();
  peer_.log().Publish(FeedKey("test", "k"));
  ASSERT_TRUE(WaitFor([&] { return Ask("a")[0].outcome.state == RegionState::kFresh; },
                      absl::Seconds(2), absl::Milliseconds(1)));
  const absl::Duration bound = absl::Now() - changed;
  EXPECT_LT(bound, absl::Seconds(1)) << "invalidation took " << bound;
  EXPECT_EQ(peer_.echo.calls.load(), 2);
  // Another key's change leaves this one cached.
  peer_.log().Publish(FeedKey("test", "other"));
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(Ask("a")[0].outcome.state, RegionState::kCached);
}

TEST_F(FederationTest, WithoutACacheKeyEveryCallGoesToThePeerAndNothingIsKept) {
  ASSERT_TRUE(federation_->feeds().AwaitAllInSync(absl::Seconds(5)));
  EXPECT_EQ(Ask("w", std::nullopt)[0].outcome.state, RegionState::kFresh);
  EXPECT_EQ(Ask("w", std::nullopt)[0].outcome.state, RegionState::kFresh);
  EXPECT_EQ(peer_.echo.calls.load(), 2);
  EXPECT_EQ(Ask("w")[0].reply->message(), "w#3");
}

TEST_F(FederationTest, ADeadPeerIsAnsweredStaleFromTheCacheThenUnavailableWithoutOne) {
  ASSERT_TRUE(federation_->feeds().AwaitAllInSync(absl::Seconds(5)));
  ASSERT_EQ(Ask("a")[0].outcome.state, RegionState::kFresh);
  peer_.Stop();
  // The feed's loss distrusts the cache: the entry is no longer served as current.
  ASSERT_TRUE(WaitFor([&] { return !federation_->feeds().InSync("SE"); }, absl::Seconds(3)));
  const absl::Time asked = absl::Now();
  auto stale = Ask("a");
  EXPECT_LT(absl::Now() - asked, absl::Milliseconds(700));
  EXPECT_EQ(stale[0].outcome.state, RegionState::kStale);
  EXPECT_EQ(stale[0].reply->message(), "a#1");
  EXPECT_FALSE(stale[0].outcome.reason.empty());
  EXPECT_FALSE(stale[0].outcome.current());
  // Another key was never cached: its part is missing.
  auto missing = Ask("b", FeedKey("test", "never-asked"));
  EXPECT_EQ(missing[0].outcome.state, RegionState::kUnavailable);
  EXPECT_FALSE(missing[0].reply.has_value());
}

TEST_F(FederationTest, ASlowPeerTimesOutWithinTheOneDeadline) {
  peer_.echo.delay = absl::Seconds(2);
  const absl::Time asked = absl::Now();
  auto slow = Ask("s", std::nullopt);
  const absl::Duration took = absl::Now() - asked;
  EXPECT_EQ(slow[0].outcome.state, RegionState::kTimedOut);
  EXPECT_EQ(slow[1].outcome.state, RegionState::kUnavailable);
  EXPECT_LT(took, absl::Milliseconds(900)) << took;
  peer_.echo.delay = absl::ZeroDuration();
}

TEST_F(FederationTest, IdenticalConcurrentMissesMakeOnePeerCall) {
  peer_.echo.delay = absl::Milliseconds(200);
  std::vector<std::thread> callers;
  std::atomic<int> fresh{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      if (Ask("burst", FeedKey("test", "burst"))[0].outcome.state == RegionState::kFresh) ++fresh;
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(fresh.load(), 8);
  EXPECT_EQ(peer_.echo.calls.load(), 1);
  peer_.echo.delay = absl::ZeroDuration();
}

TEST_F(FederationTest, AnAnswerFetchedAcrossAnInvalidationIsNotKept) {
  ASSERT_TRUE(federation_->feeds().AwaitAllInSync(absl::Seconds(5)));
  peer_.echo.delay = absl::Milliseconds(300);
  std::thread asker([&] { EXPECT_EQ(Ask("r")[0].outcome.state, RegionState::kFresh); });
  absl::SleepFor(absl::Milliseconds(100));
  peer_.log().Publish(FeedKey("test", "k"));  // lands while the call is in flight
  asker.join();
  peer_.echo.delay = absl::ZeroDuration();
  EXPECT_EQ(Ask("r")[0].outcome.state, RegionState::kFresh);  // not served from the cache
}

// At shutdown the server stops the feeds before its health service goes away: from Stop on,
// nothing is reported to the monitor (whose listener publishes to the health service), neither
// the streams Stop cancels nor a peer that disappears afterwards.
TEST_F(FederationTest, StoppedFeedsReportNothingMoreToTheMonitor) {
  DependencyMonitor monitor;
  std::atomic<int> reports{0};
  std::atomic<bool> stopped{false};
  std::atomic<int> after_stop{0};
  monitor.AddListener([&](const DependencyStatus& changed, bool) {
    ++reports;
    if (stopped) ++after_stop;
  });
  PeerAnswerCache answers(&cache_, PeerCacheOptions{});
  PeerHubs hubs({PeerHubSpec{"SE", peer_.endpoint(), kHubToken}});
  ChangeFeedOptions options;
  options.silence_limit = absl::Milliseconds(300);
  ChangeFeeds feeds(&hubs, &answers, &monitor, options);
  ASSERT_TRUE(feeds.AwaitAllInSync(absl::Seconds(5)));
  EXPECT_GT(reports.load(), 0);  // registered, then UP
  stopped = true;
  feeds.Stop();  // cancelling the stream reports nothing either
  peer_.Stop();
  absl::SleepFor(absl::Milliseconds(600));
  EXPECT_EQ(after_stop.load(), 0);
  EXPECT_FALSE(answers.Trusted("SE"));
}

// The feed itself, read with a plain client.
class ChangeFeedWireTest : public FederationTest {
 protected:
  std::vector<cpb::WatchChangesResponse> Watch(const std::string& token, const std::string& epoch,
                                               int64_t after, size_t messages,
                                               grpc::Status* status) {
    auto stub = cpb::FederationService::NewStub(
        grpc::CreateChannel(peer_.endpoint(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    cpb::WatchChangesRequest request;
    request.set_epoch(epoch);
    request.set_after_sequence(after);
    auto reader = stub->WatchChanges(&context, request);
    std::vector<cpb::WatchChangesResponse> out;
    cpb::WatchChangesResponse message;
    while (out.size() < messages && reader->Read(&message)) out.push_back(message);
    if (out.size() == messages) context.TryCancel();  // a live stream: end it here
    *status = reader->Finish();
    return out;
  }
};

TEST_F(ChangeFeedWireTest, ResumesWithinItsEpochAndResetsOtherwise) {
  for (const char* key : {"a/1", "a/2", "a/3"}) peer_.log().Publish(key);
  const std::string epoch = peer_.log().epoch();
  grpc::Status status;
  auto resumed = Watch(kHubToken, epoch, 1, 1, &status);
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_FALSE(resumed[0].reset());
  EXPECT_EQ(resumed[0].epoch(), epoch);
  ASSERT_EQ(resumed[0].keys_size(), 2);
  EXPECT_EQ(resumed[0].keys(0), "a/2");
  EXPECT_EQ(resumed[0].last_sequence(), 3);

  auto other_epoch = Watch(kHubToken, "0123", 1, 1, &status);
  ASSERT_EQ(other_epoch.size(), 1u);
  EXPECT_TRUE(other_epoch[0].reset());
  EXPECT_EQ(other_epoch[0].keys_size(), 0);
  EXPECT_EQ(other_epoch[0].last_sequence(), 3);

  // Beyond what the log holds (capacity 100): reset.
  for (int i = 0; i < 150; ++i) peer_.log().Publish(absl::StrCat("b/", i));
  auto too_old = Watch(kHubToken, epoch, 2, 1, &status);
  ASSERT_EQ(too_old.size(), 1u);
  EXPECT_TRUE(too_old[0].reset());
}

TEST_F(ChangeFeedWireTest, OnlyHubsAndOwnServicesMayWatch) {
  grpc::Status status;
  Watch(kReaderToken, "", 0, 1, &status);  // another region, not a hub
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Watch(kOwnReader, "", 0, 1, &status);  // own region, wrong role
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Watch("slh_unknown", "", 0, 1, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto heard = Watch(kHubToken, "", 0, 2, &status);  // a first message, then a heartbeat
  EXPECT_EQ(heard.size(), 2u);
}

}  // namespace
}  // namespace slihub::federation
