// Linked into every executable of a SLIHUB_SANITIZE=thread build (and only there).
//
// Debian's Abseil is a shared library built without ThreadSanitizer, so TSan cannot see
// absl::Mutex, absl::CondVar, absl::Notification or absl::BlockingCounter synchronise, nor the
// reference count of an absl::Status: it would report every ABSL_GUARDED_BY field (and gRPC's
// internals, which lock absl::Mutex and pass Status between threads too) as a race.
// These definitions interpose the library's (an executable's symbols come first) and tell TSan
// what each call does, with the same __tsan_mutex_* annotations Abseil itself makes when it is
// built with TSan, then call the library's definition found with dlsym(RTLD_NEXT).
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#define SLIHUB_STR2(x) #x
#define SLIHUB_STR(x) SLIHUB_STR2(x)

namespace {

// The Itanium-mangled name of absl::<inline namespace>::<rest>; const_member adds the K.
std::string AbslSymbol(const char* rest, bool const_member = false) {
#if defined(ABSL_OPTION_USE_INLINE_NAMESPACE) && ABSL_OPTION_USE_INLINE_NAMESPACE
  const char* ns = SLIHUB_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  std::string prefix = std::string("4absl") + std::to_string(std::strlen(ns)) + ns;
  std::string nested = std::string(const_member ? "_ZNK" : "_ZN") + prefix;
  // Inside the name, "NS0_" refers to the inline namespace (the second substitution).
  return nested + rest;
#else
  std::string nested = std::string(const_member ? "_ZNK" : "_ZN") + "4absl";
  return nested + rest;
#endif
}

// The library's definition of the symbol (the next one after this executable's).
void* Real(const char* rest, bool const_member = false) {
  const std::string name = AbslSymbol(rest, const_member);
  void* fn = dlsym(RTLD_NEXT, name.c_str());
  if (fn == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: no %s in the loaded libraries\n", name.c_str());
    std::abort();
  }
  return fn;
}

template <typename Fn>
Fn RealFn(const char* rest, bool const_member = false) {
  return reinterpret_cast<Fn>(Real(rest, const_member));
}

constexpr unsigned kRead = __tsan_mutex_read_lock;

// Only the outermost interposed call on a thread is annotated: the library's functions call each
// other (LockWhenWithTimeout calls LockWhenWithDeadline, Notification locks its own Mutex), and
// annotating the inner calls too would count one acquisition twice.
thread_local int t_depth = 0;
class Nesting {
 public:
  Nesting() : outer_(t_depth++ == 0) {}
  ~Nesting() { --t_depth; }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;
  bool outer() const { return outer_; }

 private:
  const bool outer_;
};

// A wait releases the mutex and takes it again before it returns. Inside, the waiting thread
// evaluates its condition while it holds the mutex, which TSan must not see as an access after a
// release: from the release (pre_unlock) to the end of the wait (post_unlock) the thread's own
// accesses are ignored, as they are inside Lock and Unlock; then it acquires the mutex again.
void WaitBegins(absl::Mutex* mu) { __tsan_mutex_pre_unlock(mu, 0); }
void WaitEnds(absl::Mutex* mu) {
  __tsan_mutex_post_unlock(mu, 0);
  __tsan_mutex_pre_lock(mu, 0);
  __tsan_mutex_post_lock(mu, 0, 0);
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

Mutex::~Mutex() {
  using Fn = void (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5MutexD1Ev");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_destroy(this, __tsan_mutex_not_static);
  real(this);
}

void Mutex::Lock() {
  using Fn = void (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5Mutex4LockEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, 0);
  real(this);
  if (nesting.outer()) __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::ReaderLock() {
  using Fn = void (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5Mutex10ReaderLockEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, kRead);
  real(this);
  if (nesting.outer()) __tsan_mutex_post_lock(this, kRead, 0);
}

bool Mutex::TryLock() {
  using Fn = bool (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5Mutex7TryLockEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, __tsan_mutex_try_lock);
  const bool locked = real(this);
  const unsigned flags = __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed);
  if (nesting.outer()) __tsan_mutex_post_lock(this, flags, 0);
  return locked;
}

bool Mutex::ReaderTryLock() {
  using Fn = bool (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5Mutex13ReaderTryLockEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, __tsan_mutex_try_read_lock);
  const bool locked = real(this);
  const unsigned flags = locked ? __tsan_mutex_try_read_lock : __tsan_mutex_try_read_lock_failed;
  if (nesting.outer()) __tsan_mutex_post_lock(this, flags, 0);
  return locked;
}

void Mutex::Unlock() {
  using Fn = void (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5Mutex6UnlockEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_unlock(this, 0);
  real(this);
  if (nesting.outer()) __tsan_mutex_post_unlock(this, 0);
}

void Mutex::ReaderUnlock() {
  using Fn = void (*)(Mutex*);
  static const Fn real = RealFn<Fn>("5Mutex12ReaderUnlockEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_unlock(this, kRead);
  real(this);
  if (nesting.outer()) __tsan_mutex_post_unlock(this, kRead);
}

void Mutex::LockWhen(const Condition& cond) {
  using Fn = void (*)(Mutex*, const Condition&);
  static const Fn real = RealFn<Fn>("5Mutex8LockWhenERKNS0_9ConditionE");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, 0);
  real(this, cond);
  if (nesting.outer()) __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  using Fn = void (*)(Mutex*, const Condition&);
  static const Fn real = RealFn<Fn>("5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, kRead);
  real(this, cond);
  if (nesting.outer()) __tsan_mutex_post_lock(this, kRead, 0);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  using Fn = bool (*)(Mutex*, const Condition&, Duration);
  static const Fn real =
      RealFn<Fn>("5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, 0);
  const bool met = real(this, cond, timeout);
  if (nesting.outer()) __tsan_mutex_post_lock(this, 0, 0);
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  using Fn = bool (*)(Mutex*, const Condition&, Time);
  static const Fn real =
      RealFn<Fn>("5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, 0);
  const bool met = real(this, cond, deadline);
  if (nesting.outer()) __tsan_mutex_post_lock(this, 0, 0);
  return met;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, Duration timeout) {
  using Fn = bool (*)(Mutex*, const Condition&, Duration);
  static const Fn real =
      RealFn<Fn>("5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, kRead);
  const bool met = real(this, cond, timeout);
  if (nesting.outer()) __tsan_mutex_post_lock(this, kRead, 0);
  return met;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  using Fn = bool (*)(Mutex*, const Condition&, Time);
  static const Fn real =
      RealFn<Fn>("5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const Nesting nesting;
  if (nesting.outer()) __tsan_mutex_pre_lock(this, kRead);
  const bool met = real(this, cond, deadline);
  if (nesting.outer()) __tsan_mutex_post_lock(this, kRead, 0);
  return met;
}

// Await and CondVar::Wait release the mutex while they block (slihub waits holding it
// exclusively; nothing waits under a reader lock).
void Mutex::Await(const Condition& cond) {
  using Fn = void (*)(Mutex*, const Condition&);
  static const Fn real = RealFn<Fn>("5Mutex5AwaitERKNS0_9ConditionE");
  const Nesting nesting;
  if (nesting.outer()) WaitBegins(this);
  real(this, cond);
  if (nesting.outer()) WaitEnds(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  using Fn = bool (*)(Mutex*, const Condition&, Duration);
  static const Fn real =
      RealFn<Fn>("5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const Nesting nesting;
  if (nesting.outer()) WaitBegins(this);
  const bool met = real(this, cond, timeout);
  if (nesting.outer()) WaitEnds(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  using Fn = bool (*)(Mutex*, const Condition&, Time);
  static const Fn real =
      RealFn<Fn>("5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const Nesting nesting;
  if (nesting.outer()) WaitBegins(this);
  const bool met = real(this, cond, deadline);
  if (nesting.outer()) WaitEnds(this);
  return met;
}

void CondVar::Wait(Mutex* mu) {
  using Fn = void (*)(CondVar*, Mutex*);
  static const Fn real = RealFn<Fn>("7CondVar4WaitEPNS0_5MutexE");
  const Nesting nesting;
  if (nesting.outer()) WaitBegins(mu);
  real(this, mu);
  if (nesting.outer()) WaitEnds(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  using Fn = bool (*)(CondVar*, Mutex*, Duration);
  static const Fn real = RealFn<Fn>("7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  const Nesting nesting;
  if (nesting.outer()) WaitBegins(mu);
  const bool timed_out = real(this, mu, timeout);
  if (nesting.outer()) WaitEnds(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  using Fn = bool (*)(CondVar*, Mutex*, Time);
  static const Fn real = RealFn<Fn>("7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  const Nesting nesting;
  if (nesting.outer()) WaitBegins(mu);
  const bool timed_out = real(this, mu, deadline);
  if (nesting.outer()) WaitEnds(mu);
  return timed_out;
}

// Notify happens before every wait that sees it.
void Notification::Notify() {
  using Fn = void (*)(Notification*);
  static const Fn real = RealFn<Fn>("12Notification6NotifyEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  using Fn = void (*)(const Notification*);
  static const Fn real = RealFn<Fn>("12Notification19WaitForNotificationEv", true);
  const Nesting nesting;
  real(this);
  if (nesting.outer()) __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  using Fn = bool (*)(const Notification*, Duration);
  static const Fn real =
      RealFn<Fn>("12Notification30WaitForNotificationWithTimeoutENS0_8DurationE", true);
  const Nesting nesting;
  const bool notified = real(this, timeout);
  if (notified && nesting.outer()) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  using Fn = bool (*)(const Notification*, Time);
  static const Fn real =
      RealFn<Fn>("12Notification31WaitForNotificationWithDeadlineENS0_4TimeE", true);
  const Nesting nesting;
  const bool notified = real(this, deadline);
  if (notified && nesting.outer()) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

// Every DecrementCount happens before Wait returns.
bool BlockingCounter::DecrementCount() {
  using Fn = bool (*)(BlockingCounter*);
  static const Fn real = RealFn<Fn>("15BlockingCounter14DecrementCountEv");
  const Nesting nesting;
  if (nesting.outer()) __tsan_release(this);
  return real(this);
}

void BlockingCounter::Wait() {
  using Fn = void (*)(BlockingCounter*);
  static const Fn real = RealFn<Fn>("15BlockingCounter4WaitEv");
  const Nesting nesting;
  real(this);
  if (nesting.outer()) __tsan_acquire(this);
}

// A Status's heap representation is shared between copies and freed by the last Unref, whose
// atomic decrement is in the library: every Unref happens before the free.
void Status::UnrefNonInlined(uintptr_t rep) {
  using Fn = void (*)(uintptr_t);
  static const Fn real = RealFn<Fn>("6Status15UnrefNonInlinedEm");
  __tsan_release(reinterpret_cast<void*>(rep));
  __tsan_acquire(reinterpret_cast<void*>(rep));
  real(rep);
}

ABSL_NAMESPACE_END
}  // namespace absl
