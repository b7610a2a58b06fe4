#include "common/identity/authenticator.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/identity/token_codec.h"
#include "gtest/gtest.h"

namespace slihub {
namespace {

class FakeTokenTable {
 public:
  void Put(const std::string& token, Principal principal) {
    absl::MutexLock lock(&mu_);
    tokens_.push_back({HashToken(token), std::move(principal)});
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    tokens_.clear();
  }
  void Fail(bool fail) { fail_ = fail; }
  int loads() const { return loads_; }
  Authenticator::Loader Loader() {
    return [this]() -> absl::StatusOr<std::vector<ActiveToken>> {
      ++loads_;
      absl::SleepFor(absl::Milliseconds(5));  // a store read takes a moment
      if (fail_) return absl::UnavailableError("identity database unreadable");
      absl::MutexLock lock(&mu_);
      return tokens_;
    };
  }

 private:
  absl::Mutex mu_;
  std::vector<ActiveToken> tokens_;
  std::atomic<bool> fail_{false};
  std::atomic<int> loads_{0};
};

Principal HrOfficer() {
  Principal p;
  p.subject = "873-hr-1";
  p.la_code = "873";
  p.region_code = "EE";
  p.roles = {Role::kHrOfficer};
  return p;
}

TEST(AuthenticatorTest, MapsValidTokenToPrincipal) {
  FakeTokenTable table;
  table.Put("slh_good", HrOfficer());
  Authenticator auth(table.Loader(), absl::Hours(1));
  ASSERT_TRUE(auth.Start().ok());
  auto who = auth.Authenticate("Bearer slh_good", absl::Now());
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->subject, "873-hr-1");
  EXPECT_TRUE(who->HasRole(Role::kHrOfficer));
  EXPECT_FALSE(who->HasAnyRole({Role::kRegionalAdmin, Role::kService}));
}

TEST(AuthenticatorTest, RejectsMissingUnknownAndExpiredTokensWithReasons) {
  FakeTokenTable table;
  Principal expired = HrOfficer();
  expired.expire_time = absl::FromUnixSeconds(1000);
  table.Put("slh_old", expired);
  Authenticator auth(table.Loader(), absl::Hours(1));
  ASSERT_TRUE(auth.Start().ok());
  const absl::Time now = absl::FromUnixSeconds(2000);
  struct Case {
    const char* header;
    const char* reason;
  } cases[] = {{"", "TOKEN_MISSING"},
               {"Basic xyz", "TOKEN_MISSING"},
               {"Bearer slh_nope", "TOKEN_UNKNOWN"},
               {"Bearer slh_old", "TOKEN_EXPIRED"}};
  for (const Case& c : cases) {
    auto who = auth.Authenticate(c.header, now);
    ASSERT_FALSE(who.ok()) << c.header;
    EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(GetErrorReason(who.status()), c.reason) << c.header;
  }
}

TEST(AuthenticatorTest, ReloadPicksUpRevocationAndKeepsSnapshotOnError) {
  FakeTokenTable table;
  table.Put("slh_a", HrOfficer());
  Authenticator auth(table.Loader(), absl::Milliseconds(20));
  ASSERT_TRUE(auth.Start().ok());
  ASSERT_TRUE(auth.Authenticate("Bearer slh_a", absl::Now()).ok());

  table.Fail(true);
  EXPECT_FALSE(auth.Reload().ok());
  EXPECT_TRUE(auth.Authenticate("Bearer slh_a", absl::Now()).ok());  // old snapshot kept

  table.Fail(false);
  table.Clear();
  // The background refresh (every 20 ms) notices the revocation without being asked.
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (auth.Authenticate("Bearer slh_a", absl::Now()).ok() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_FALSE(auth.Authenticate("Bearer slh_a", absl::Now()).ok());
}

TEST(AuthenticatorTest, ReloadSinceAdmitsANewTokenWithOneSharedRateLimitedLoad) {
  FakeTokenTable table;
  Authenticator auth(table.Loader(), absl::Hours(1));
  ASSERT_TRUE(auth.Start().ok());
  table.Put("slh_new", HrOfficer());
  const absl::Time asked = absl::Now();
  ASSERT_FALSE(auth.Authenticate("Bearer slh_new", asked).ok());
  const int loads_before = table.loads();
  std::vector<std::thread> callers;
  for (int i = 0; i < 16; ++i) {
    callers.emplace_back([&] { EXPECT_TRUE(auth.ReloadSince(asked).ok()); });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(table.loads() - loads_before, 1) << "concurrent callers share one reload";
  EXPECT_TRUE(auth.Authenticate("Bearer slh_new", absl::Now()).ok());
  // A reload that started after `asked` already answers it: no further load.
  EXPECT_TRUE(auth.ReloadSince(asked).ok());
  EXPECT_EQ(table.loads() - loads_before, 1);
  // Back-to-back demands are spaced by the rate limit.
  const absl::Time start = absl::Now();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(auth.ReloadSince(absl::Now()).ok());
  EXPECT_GE(absl::Now() - start, 3 * Authenticator::kMinReloadGap);
  EXPECT_EQ(table.loads() - loads_before, 5);
}

TEST(AuthenticatorTest, StartFailsWhenFirstLoadFails) {
  FakeTokenTable table;
  table.Fail(true);
  Authenticator auth(table.Loader(), absl::Hours(1));
  EXPECT_EQ(auth.Start().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace slihub
