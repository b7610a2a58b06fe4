// A throwaway certificate authority for tests: a CA and leaf certificates (slihub machine
// identities, expired ones, ones from an unrelated CA) written as PEM files in a temp directory,
// made with the OpenSSL C API.
#ifndef SLIHUB_TESTS_SUPPORT_TEST_PKI_H_
#define SLIHUB_TESTS_SUPPORT_TEST_PKI_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {

// What one leaf certificate says. Plain data.
struct LeafOptions {
  std::string common_name = "slihub-test";
  std::vector<std::string> uris;                         // SAN URIs, e.g. a slihub machine URI
  std::vector<std::string> dns = {"localhost"};          // SAN DNS names
  std::vector<std::string> ips = {"127.0.0.1"};          // SAN IP addresses
  absl::Duration valid_for = absl::Hours(24);
  bool expired = false;  // valid from two days ago to one day ago
};

// A leaf's files. Plain data.
struct LeafFiles {
  std::string cert;  // PEM certificate path
  std::string key;   // PEM private key path
};

// One CA with its key, in its own temp directory (removed with the object). Thread-compatible.
class TestPki {
 public:
  // Makes a new CA named `name` (its subject CN). Internal error when OpenSSL fails.
  static absl::StatusOr<std::unique_ptr<TestPki>> Create(
      const std::string& name = "slihub test CA");
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  // The CA certificate's PEM path.
  const std::string& ca_cert() const { return ca_cert_path_; }
  // Issues a leaf signed by this CA into files "<file_name>.pem" and "<file_name>.key" in this
  // PKI's directory (replacing earlier ones of that name); each call has a new serial.
  absl::StatusOr<LeafFiles> Issue(const std::string& file_name, const LeafOptions& options);
  // Issues the certificate of the slihub service `service` of region `region`'s hub
  // (spiffe://slihub/region/<region>/service/<service>, DNS localhost, IP 127.0.0.1).
  absl::StatusOr<LeafFiles> IssueMachine(const std::string& region, const std::string& service);
  const std::string& dir() const { return dir_.path(); }

 private:
  struct Keys;
  TestPki();
  TempDir dir_;
  std::unique_ptr<Keys> keys_;
  std::string ca_cert_path_;
  long serial_ = 1;
};

// Reads a whole file ("" when unreadable).
std::string ReadWholeFile(const std::string& path);

// The process-wide PKI the integration harness uses (made on first use). Aborts when it cannot
// be made.
TestPki& SharedTestPki();

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_SUPPORT_TEST_PKI_H_
