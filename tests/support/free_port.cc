#include "tests/support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"

namespace slihub::testing {
namespace {

constexpr int kMaxAttempts = 100;

absl::Mutex g_mu;
absl::flat_hash_set<int>* const g_returned ABSL_PT_GUARDED_BY(g_mu) = new absl::flat_hash_set<int>();

// Binds 127.0.0.1:0 and returns the port the kernel chose, or -1 with errno set.
int BindEphemeralPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  const int saved = errno;
  close(fd);
  errno = saved;
  return port;
}

}  // namespace

int PickFreePort() {
  int last_errno = 0;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const int port = BindEphemeralPort();
    if (port <= 0) {
      last_errno = errno;
      continue;
    }
    absl::MutexLock lock(&g_mu);
    if (g_returned->insert(port).second) return port;
  }
  std::fprintf(stderr, "PickFreePort: no free port on 127.0.0.1 after %d attempts: %s\n",
               kMaxAttempts, last_errno != 0 ? std::strerror(last_errno) : "all were reused");
  std::abort();
}

}  // namespace slihub::testing
