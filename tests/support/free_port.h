// Free TCP ports on the loopback interface for tests that start servers.
#ifndef SLIHUB_TESTS_SUPPORT_FREE_PORT_H_
#define SLIHUB_TESTS_SUPPORT_FREE_PORT_H_

namespace slihub::testing {

// Returns a TCP port that was free on 127.0.0.1 a moment ago (the kernel's choice for a bind to
// port 0), never the same port twice in one process. Another process may still take it before
// the caller binds, so servers started on it should be retried on failure. Thread-safe.
// Aborts with a message when no socket can be bound (a broken environment).
int PickFreePort();

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_FREE_PORT_H_
