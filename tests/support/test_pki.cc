#include "tests/support/test_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

bool AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  const bool added = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

// A certificate for `key` named `common_name`, signed by `issuer_key` (self-signed when
// `issuer` is null), valid from `not_before` to `not_after` seconds from now.
Cert MakeCert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
              long serial, long not_before, long not_after,
              const std::vector<std::pair<int, std::string>>& extensions) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("slihub tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) {
    if (!AddExtension(cert.get(), &ctx, nid, value)) return nullptr;
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) return nullptr;
  return cert;
}

bool WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return false;
  const bool ok = cert != nullptr
                      ? PEM_write_X509(file, cert) == 1
                      : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  return std::fclose(file) == 0 && ok;
}

}  // namespace

struct TestPki::Keys {
  Key ca_key;
  Cert ca_cert;
};

TestPki::TestPki() : dir_("slihub-pki"), keys_(std::make_unique<Keys>()) {}
TestPki::~TestPki() = default;

absl::StatusOr<std::unique_ptr<TestPki>> TestPki::Create(const std::string& name) {
  std::unique_ptr<TestPki> pki(new TestPki());
  pki->keys_->ca_key.reset(EVP_EC_gen("P-256"));
  if (pki->keys_->ca_key == nullptr) return absl::InternalError("cannot make a CA key");
  pki->keys_->ca_cert = MakeCert(pki->keys_->ca_key.get(), name, nullptr,
                                 pki->keys_->ca_key.get(), pki->serial_++, -3600, 30 * 86400,
                                 {{NID_basic_constraints, "critical,CA:TRUE"},
                                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                  {NID_subject_key_identifier, "hash"}});
  if (pki->keys_->ca_cert == nullptr) return absl::InternalError("cannot make a CA certificate");
  pki->ca_cert_path_ = pki->dir_.Join("ca.pem");
  if (!WritePem(pki->ca_cert_path_, pki->keys_->ca_cert.get(), nullptr)) {
    return absl::InternalError("cannot write the CA certificate");
  }
  return pki;
}

absl::StatusOr<LeafFiles> TestPki::Issue(const std::string& file_name,
                                         const LeafOptions& options) {
  Key key(EVP_EC_gen("P-256"));
  if (key == nullptr) return absl::InternalError("cannot make a key");
  std::vector<std::string> names;
  for (const std::string& uri : options.uris) names.push_back("URI:" + uri);
  for (const std::string& dns : options.dns) names.push_back("DNS:" + dns);
  for (const std::string& ip : options.ips) names.push_back("IP:" + ip);
  std::vector<std::pair<int, std::string>> extensions = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
      {NID_ext_key_usage, "serverAuth,clientAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_authority_key_identifier, "keyid:always"}};
  if (!names.empty()) extensions.push_back({NID_subject_alt_name, absl::StrJoin(names, ",")});
  const long valid = static_cast<long>(absl::ToInt64Seconds(options.valid_for));
  Cert cert = MakeCert(key.get(), options.common_name, keys_->ca_cert.get(), keys_->ca_key.get(),
                       serial_++, options.expired ? -2 * 86400 : -3600,
                       options.expired ? -86400 : valid, extensions);
  if (cert == nullptr) return absl::InternalError("cannot make a certificate");
  LeafFiles files{dir_.Join(file_name + ".pem"), dir_.Join(file_name + ".key")};
  // Written beside and renamed, so that a server re-reading the files never sees half of one.
  if (!WritePem(files.key + ".new", nullptr, key.get()) ||
      !WritePem(files.cert + ".new", cert.get(), nullptr) ||
      std::rename((files.key + ".new").c_str(), files.key.c_str()) != 0 ||
      std::rename((files.cert + ".new").c_str(), files.cert.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot write ", files.cert));
  }
  return files;
}

absl::StatusOr<LeafFiles> TestPki::IssueMachine(const std::string& region,
                                                const std::string& service) {
  LeafOptions options;
  options.common_name = absl::StrCat(service, ".", region, ".slihub");
  options.uris = {absl::StrCat("spiffe://slihub/region/", region, "/service/", service)};
  return Issue(absl::StrCat("machine-", region, "-", service), options);
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TestPki& SharedTestPki() {
  static TestPki* const pki = [] {
    absl::StatusOr<std::unique_ptr<TestPki>> made = TestPki::Create();
    if (!made.ok()) {
      std::fprintf(stderr, "cannot make the test PKI: %s\n", made.status().ToString().c_str());
      std::abort();
    }
    return made->release();
  }();
  return *pki;
}

}  // namespace slihub::testing
