// Whether this build runs under a sanitizer (SLIHUB_SANITIZE, `tools/dev check asan|tsan`), for
// tests whose time budgets pin the speed of a Release build.
#ifndef SLIHUB_COMMON_BASE_SANITIZERS_H_
#define SLIHUB_COMMON_BASE_SANITIZERS_H_

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLIHUB_INTERNAL_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define SLIHUB_INTERNAL_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SLIHUB_INTERNAL_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define SLIHUB_INTERNAL_TSAN 1
#endif

namespace slihub {

// How many times a test's time budget grows in this build: 1 without a sanitizer, 4 under
// ASan+UBSan and 10 under TSan (instrumented code runs about 2-3 and 5-15 times slower). A test
// that asserts "within 1 s" asserts "within 1 s * kSanitizerSlowdown".
#if defined(SLIHUB_INTERNAL_TSAN)
inline constexpr int kSanitizerSlowdown = 10;
#elif defined(SLIHUB_INTERNAL_ASAN)
inline constexpr int kSanitizerSlowdown = 4;
#else
inline constexpr int kSanitizerSlowdown = 1;
#endif

}  // namespace slihub

#undef SLIHUB_INTERNAL_ASAN
#undef SLIHUB_INTERNAL_TSAN

#endif  // SLIHUB_COMMON_BASE_SANITIZERS_H_
