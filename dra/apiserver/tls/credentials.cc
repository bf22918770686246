#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "dra/apiserver/tls/openssl_util.h"
#include "dra/apiserver/tls/tls.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using tls_internal::CertificateToPem;
using tls_internal::GeneralNamesPtr;
using tls_internal::OpenSslError;
using tls_internal::ParseCertificatePem;
using tls_internal::ParsePrivateKeyPem;
using tls_internal::PkeyPtr;
using tls_internal::PrivateKeyToPem;
using tls_internal::X509Ptr;
using tls_internal::X509StoreCtxPtr;
using tls_internal::X509StorePtr;

constexpr char kCaCertFile[] = "ca.crt";
constexpr char kCaKeyFile[] = "ca.key";
constexpr char kServingCertFile[] = "serving.crt";
constexpr char kServingKeyFile[] = "serving.key";
constexpr char kAdminCertFile[] = "admin.crt";
constexpr char kAdminKeyFile[] = "admin.key";
constexpr char kTokenFile[] = "token";

constexpr mode_t kCertMode = 0644;
constexpr mode_t kSecretMode = 0600;

constexpr absl::Duration kCaValidity = absl::Hours(24 * 365 * 10);
constexpr absl::Duration kLeafValidity = absl::Hours(24 * 365);
constexpr absl::Duration kRenewBefore = absl::Hours(24 * 30);
// Leaf certificates are valid from slightly in the past, for clients whose clocks lag.
constexpr absl::Duration kBackdate = absl::Hours(1);

// ---- files ------------------------------------------------------------------------------------

// The file's contents, or nullopt when it does not exist.
absl::StatusOr<std::optional<std::string>> ReadFileIfExists(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return absl::InternalError(StrCat("stat ", path.string(), ": ", ec.message()));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::PermissionDeniedError(
        StrCat("reading ", path.string(), ": ", std::strerror(errno)));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return absl::InternalError(StrCat("reading ", path.string()));
  return std::optional<std::string>(contents.str());
}

absl::Status Corrupt(const std::filesystem::path& path, const absl::Status& cause, bool derived) {
  std::string message = StrCat(path.string(), ": ", cause.message());
  if (derived) StrAppend(&message, " (delete it to have it re-created)");
  return absl::DataLossError(message);
}

// ---- hosts ------------------------------------------------------------------------------------

struct Sans {
  std::vector<std::string> ips;  // Canonical text form.
  std::vector<std::string> dns;  // Lower case.
};

bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    start = end + 1;
  }
  return true;
}

// IP literal in canonical form, or nullopt.
std::optional<std::string> CanonicalIp(std::string_view host) {
  std::string text(host);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    return std::string(inet_ntop(AF_INET, buf, out, sizeof(out)));
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    return std::string(inet_ntop(AF_INET6, buf, out, sizeof(out)));
  }
  return std::nullopt;
}

absl::StatusOr<Sans> ServingSans(const std::vector<std::string>& hosts) {
  Sans sans{.ips = {"127.0.0.1", "::1"}, .dns = {"localhost"}};
  for (const std::string& host : hosts) {
    if (std::optional<std::string> ip = CanonicalIp(host)) {
      if (std::find(sans.ips.begin(), sans.ips.end(), *ip) == sans.ips.end()) {
        sans.ips.push_back(*ip);
      }
      continue;
    }
    std::string name = host;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (!IsDnsName(name)) {
      return absl::InvalidArgumentError(
          StrCat("invalid host ", GoQuote(host), ": not an IP address nor a DNS name"));
    }
    if (std::find(sans.dns.begin(), sans.dns.end(), name) == sans.dns.end()) {
      sans.dns.push_back(name);
    }
  }
  return sans;
}

bool CoversSans(X509* cert, const Sans& sans) {
  for (const std::string& ip : sans.ips) {
    if (X509_check_ip_asc(cert, ip.c_str(), 0) != 1) return false;
  }
  for (const std::string& dns : sans.dns) {
    if (X509_check_host(cert, dns.data(), dns.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
                        nullptr) != 1) {
      return false;
    }
  }
  return true;
}

// ---- issuing ----------------------------------------------------------------------------------

absl::StatusOr<PkeyPtr> GenerateKey() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (key == nullptr) return OpenSslError("generating a P-256 key");
  return key;
}

enum class Usage { kCa, kServer, kClient };

struct CertSpec {
  std::string common_name;
  std::vector<std::string> organizations;
  Usage usage = Usage::kCa;
  Sans sans;
  absl::Time not_before;
  absl::Time not_after;
};

absl::Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) return OpenSslError(StrCat("creating extension ", OBJ_nid2sn(nid)));
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) return OpenSslError(StrCat("adding extension ", OBJ_nid2sn(nid)));
  return absl::OkStatus();
}

absl::Status AddSubjectAltNames(X509* cert, const Sans& sans) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (names == nullptr) return OpenSslError("allocating subjectAltName");
  for (const std::string& dns : sans.dns) {
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_IA5STRING* value = ASN1_IA5STRING_new();
    if (name == nullptr || value == nullptr ||
        ASN1_STRING_set(value, dns.data(), static_cast<int>(dns.size())) != 1) {
      GENERAL_NAME_free(name);
      ASN1_IA5STRING_free(value);
      return OpenSslError("encoding DNS name");
    }
    GENERAL_NAME_set0_value(name, GEN_DNS, value);
    sk_GENERAL_NAME_push(names.get(), name);
  }
  for (const std::string& ip : sans.ips) {
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_OCTET_STRING* value = a2i_IPADDRESS(ip.c_str());
    if (name == nullptr || value == nullptr) {
      GENERAL_NAME_free(name);
      ASN1_OCTET_STRING_free(value);
      return OpenSslError(StrCat("encoding IP address ", ip));
    }
    GENERAL_NAME_set0_value(name, GEN_IPADD, value);
    sk_GENERAL_NAME_push(names.get(), name);
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslError("adding subjectAltName");
  }
  return absl::OkStatus();
}

absl::Status SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return OpenSslError("RAND_bytes");
  bytes[0] &= 0x7f;  // Positive.
  bytes[0] |= 0x40;  // Full length, never zero.
  BIGNUM* bn = BN_bin2bn(bytes, sizeof(bytes), nullptr);
  if (bn == nullptr) return OpenSslError("BN_bin2bn");
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  if (serial == nullptr) return OpenSslError("setting the serial number");
  return absl::OkStatus();
}

// Issues a certificate for `key` per `spec`, signed by `issuer`/`issuer_key`, or self-signed
// when `issuer` is nullptr.
absl::StatusOr<X509Ptr> Issue(const CertSpec& spec, EVP_PKEY* key, X509* issuer,
                              EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (cert == nullptr) return OpenSslError("X509_new");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) return OpenSslError("X509_set_version");
  DRA_RETURN_IF_ERROR(SetRandomSerial(cert.get()));

  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (const std::string& org : spec.organizations) {
    if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(org.c_str()), -1, -1,
                                   0) != 1) {
      return OpenSslError("setting the subject organization");
    }
  }
  if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                                 -1, -1, 0) != 1) {
    return OpenSslError("setting the subject common name");
  }
  X509* signer = issuer != nullptr ? issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1) {
    return OpenSslError("setting the issuer");
  }
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), absl::ToTimeT(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), absl::ToTimeT(spec.not_after)) == nullptr) {
    return OpenSslError("setting the validity period");
  }
  if (X509_set_pubkey(cert.get(), key) != 1) return OpenSslError("X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  switch (spec.usage) {
    case Usage::kCa:
      DRA_RETURN_IF_ERROR(
          AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
      DRA_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage,
                                       "critical,digitalSignature,keyCertSign,cRLSign"));
      DRA_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
      break;
    case Usage::kServer:
    case Usage::kClient:
      DRA_RETURN_IF_ERROR(
          AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
      DRA_RETURN_IF_ERROR(
          AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
      DRA_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage,
                                       spec.usage == Usage::kServer ? "serverAuth" : "clientAuth"));
      DRA_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid"));
      break;
  }
  if (spec.usage == Usage::kServer) DRA_RETURN_IF_ERROR(AddSubjectAltNames(cert.get(), spec.sans));

  EVP_PKEY* signing_key = issuer_key != nullptr ? issuer_key : key;
  if (X509_sign(cert.get(), signing_key, EVP_sha256()) == 0) {
    return OpenSslError("signing the certificate");
  }
  return cert;
}

// ---- checks -----------------------------------------------------------------------------------

// Whether `cert` chains to `ca` for `purpose` (X509_PURPOSE_SSL_SERVER / _CLIENT) at `now`.
bool VerifiesAgainst(X509* cert, X509* ca, int purpose, absl::Time now) {
  X509StorePtr store(X509_STORE_new());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  bool ok = store != nullptr && ctx != nullptr && X509_STORE_add_cert(store.get(), ca) == 1 &&
            X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) == 1 &&
            X509_STORE_CTX_set_purpose(ctx.get(), purpose) == 1;
  if (ok) {
    X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(now));
    ok = X509_verify_cert(ctx.get()) == 1;
  }
  ERR_clear_error();
  return ok;
}

bool KeyMatches(X509* cert, EVP_PKEY* key) {
  bool ok = X509_check_private_key(cert, key) == 1;
  ERR_clear_error();
  return ok;
}

// Whether `cert`'s notAfter is before `t` (or cannot be compared).
bool ExpiresBefore(X509* cert, absl::Time t) {
  time_t limit = absl::ToTimeT(t);
  return X509_cmp_time(X509_get0_notAfter(cert), &limit) <= 0;
}

absl::Time NotAfter(X509* cert) {
  struct tm tm;
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return absl::InfinitePast();
  return absl::FromTimeT(timegm(&tm));
}

// ---- the CA -----------------------------------------------------------------------------------

struct KeyPair {
  X509Ptr cert;
  PkeyPtr key;
  std::string cert_pem;
  std::string key_pem;
};

absl::StatusOr<KeyPair> LoadOrCreateCa(const std::filesystem::path& dir, absl::Time now) {
  const std::filesystem::path cert_path = dir / kCaCertFile;
  const std::filesystem::path key_path = dir / kCaKeyFile;
  DRA_ASSIGN_OR_RETURN(std::optional<std::string> cert_pem, ReadFileIfExists(cert_path));
  DRA_ASSIGN_OR_RETURN(std::optional<std::string> key_pem, ReadFileIfExists(key_path));

  KeyPair ca;
  if (!cert_pem.has_value() && !key_pem.has_value()) {
    DRA_ASSIGN_OR_RETURN(ca.key, GenerateKey());
    CertSpec spec{.common_name = "dra-ca",
                  .usage = Usage::kCa,
                  .not_before = now - kBackdate,
                  .not_after = now + kCaValidity};
    DRA_ASSIGN_OR_RETURN(ca.cert, Issue(spec, ca.key.get(), nullptr, nullptr));
    DRA_ASSIGN_OR_RETURN(ca.cert_pem, CertificateToPem(ca.cert.get()));
    DRA_ASSIGN_OR_RETURN(ca.key_pem, PrivateKeyToPem(ca.key.get()));
    DRA_RETURN_IF_ERROR(WriteFileAtomically(key_path, ca.key_pem, kSecretMode));
    DRA_RETURN_IF_ERROR(WriteFileAtomically(cert_path, ca.cert_pem, kCertMode));
    return ca;
  }
  if (!cert_pem.has_value() || !key_pem.has_value()) {
    const std::filesystem::path& present = cert_pem.has_value() ? cert_path : key_path;
    const std::filesystem::path& missing = cert_pem.has_value() ? key_path : cert_path;
    return absl::FailedPreconditionError(
        StrCat(present.string(), " exists but ", missing.string(),
               " does not; restore it, or remove both to create a new CA (which invalidates "
               "every certificate and kubeconfig issued so far)"));
  }
  auto cert = ParseCertificatePem(*cert_pem);
  if (!cert.ok()) return Corrupt(cert_path, cert.status(), /*derived=*/false);
  auto key = ParsePrivateKeyPem(*key_pem);
  if (!key.ok()) return Corrupt(key_path, key.status(), /*derived=*/false);
  ca.cert = *std::move(cert);
  ca.key = *std::move(key);
  if (!KeyMatches(ca.cert.get(), ca.key.get())) {
    return absl::FailedPreconditionError(
        StrCat(key_path.string(), " does not match the certificate in ", cert_path.string()));
  }
  if (X509_check_ca(ca.cert.get()) < 1) {
    return absl::FailedPreconditionError(StrCat(cert_path.string(), " is not a CA certificate"));
  }
  if (ExpiresBefore(ca.cert.get(), now)) {
    return absl::FailedPreconditionError(
        StrCat(cert_path.string(),
               " has expired; remove ca.crt and ca.key to create a new CA (which invalidates "
               "every certificate and kubeconfig issued so far)"));
  }
  ca.cert_pem = *std::move(cert_pem);
  ca.key_pem = *std::move(key_pem);
  return ca;
}

// ---- leaf certificates ------------------------------------------------------------------------

struct LeafRequest {
  const char* cert_file;
  const char* key_file;
  CertSpec spec;  // Validity is filled in here.
  int purpose;
  bool check_sans;
};

absl::StatusOr<KeyPair> LoadOrIssueLeaf(const std::filesystem::path& dir, const KeyPair& ca,
                                        LeafRequest request, absl::Time now) {
  const std::filesystem::path cert_path = dir / request.cert_file;
  const std::filesystem::path key_path = dir / request.key_file;
  DRA_ASSIGN_OR_RETURN(std::optional<std::string> cert_pem, ReadFileIfExists(cert_path));
  DRA_ASSIGN_OR_RETURN(std::optional<std::string> key_pem, ReadFileIfExists(key_path));

  KeyPair leaf;
  if (cert_pem.has_value()) {
    auto cert = ParseCertificatePem(*cert_pem);
    if (!cert.ok()) return Corrupt(cert_path, cert.status(), /*derived=*/true);
    leaf.cert = *std::move(cert);
  }
  if (key_pem.has_value()) {
    auto key = ParsePrivateKeyPem(*key_pem);
    if (!key.ok()) return Corrupt(key_path, key.status(), /*derived=*/true);
    leaf.key = *std::move(key);
  }
  if (leaf.cert != nullptr && leaf.key != nullptr && KeyMatches(leaf.cert.get(), leaf.key.get()) &&
      VerifiesAgainst(leaf.cert.get(), ca.cert.get(), request.purpose, now) &&
      !ExpiresBefore(leaf.cert.get(), now + kRenewBefore) &&
      (!request.check_sans || CoversSans(leaf.cert.get(), request.spec.sans))) {
    leaf.cert_pem = *std::move(cert_pem);
    leaf.key_pem = *std::move(key_pem);
    return leaf;
  }

  request.spec.not_before = now - kBackdate;
  request.spec.not_after = std::min(now + kLeafValidity, NotAfter(ca.cert.get()));
  DRA_ASSIGN_OR_RETURN(leaf.key, GenerateKey());
  DRA_ASSIGN_OR_RETURN(leaf.cert, Issue(request.spec, leaf.key.get(), ca.cert.get(), ca.key.get()));
  DRA_ASSIGN_OR_RETURN(leaf.cert_pem, CertificateToPem(leaf.cert.get()));
  DRA_ASSIGN_OR_RETURN(leaf.key_pem, PrivateKeyToPem(leaf.key.get()));
  DRA_RETURN_IF_ERROR(WriteFileAtomically(key_path, leaf.key_pem, kSecretMode));
  DRA_RETURN_IF_ERROR(WriteFileAtomically(cert_path, leaf.cert_pem, kCertMode));
  return leaf;
}

// ---- the token --------------------------------------------------------------------------------

absl::StatusOr<std::string> LoadOrCreateToken(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / kTokenFile;
  DRA_ASSIGN_OR_RETURN(std::optional<std::string> contents, ReadFileIfExists(path));
  if (contents.has_value()) {
    std::string token = *std::move(contents);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (token.empty()) {
      return Corrupt(path, absl::DataLossError("empty token"), /*derived=*/true);
    }
    for (char c : token) {
      if (c < 0x21 || c > 0x7e) {
        return Corrupt(path,
                       absl::DataLossError("the token may hold only printable ASCII characters "
                                           "other than space, on one line"),
                       /*derived=*/true);
      }
    }
    return token;
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return OpenSslError("RAND_bytes");
  std::string token = tls_internal::Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
  DRA_RETURN_IF_ERROR(WriteFileAtomically(path, StrCat(token, "\n"), kSecretMode));
  return token;
}

absl::Status EnsureDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(StrCat("creating ", dir.string(), ": ", ec.message()));
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::FailedPreconditionError(StrCat(dir.string(), " is not a directory"));
  }
  if (created) {
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    if (ec) return absl::InternalError(StrCat("chmod ", dir.string(), ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Credentials> LoadOrCreateCredentials(const std::filesystem::path& dir,
                                                    const std::vector<std::string>& hosts,
                                                    absl::Time now) {
  DRA_ASSIGN_OR_RETURN(Sans sans, ServingSans(hosts));
  DRA_RETURN_IF_ERROR(EnsureDirectory(dir));
  DRA_ASSIGN_OR_RETURN(KeyPair ca, LoadOrCreateCa(dir, now));

  LeafRequest serving{
      .cert_file = kServingCertFile,
      .key_file = kServingKeyFile,
      .spec = {.common_name = "dra-apiserver", .usage = Usage::kServer, .sans = std::move(sans)},
      .purpose = X509_PURPOSE_SSL_SERVER,
      .check_sans = true};
  DRA_ASSIGN_OR_RETURN(KeyPair serving_pair, LoadOrIssueLeaf(dir, ca, std::move(serving), now));

  LeafRequest admin{.cert_file = kAdminCertFile,
                    .key_file = kAdminKeyFile,
                    .spec = {.common_name = std::string(kAdminUser),
                             .organizations = {std::string(kAdminGroup)},
                             .usage = Usage::kClient},
                    .purpose = X509_PURPOSE_SSL_CLIENT,
                    .check_sans = false};
  DRA_ASSIGN_OR_RETURN(KeyPair admin_pair, LoadOrIssueLeaf(dir, ca, std::move(admin), now));

  DRA_ASSIGN_OR_RETURN(std::string token, LoadOrCreateToken(dir));

  Credentials credentials;
  credentials.ca_cert_pem = std::move(ca.cert_pem);
  credentials.ca_key_pem = std::move(ca.key_pem);
  credentials.serving_cert_pem = std::move(serving_pair.cert_pem);
  credentials.serving_key_pem = std::move(serving_pair.key_pem);
  credentials.admin_cert_pem = std::move(admin_pair.cert_pem);
  credentials.admin_key_pem = std::move(admin_pair.key_pem);
  credentials.admin_token = std::move(token);
  return credentials;
}

}  // namespace dra::apiserver
