#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dra/apiserver/tls/tls.h"

namespace dra::apiserver {
namespace {

bool Sha256(std::string_view data, unsigned char (&digest)[32]) {
  unsigned int len = 0;
  return EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) == 1 &&
         len == 32;
}

UserInfo WithAuthenticatedGroup(UserInfo user) {
  if (std::find(user.groups.begin(), user.groups.end(), kAuthenticatedGroup) == user.groups.end()) {
    user.groups.emplace_back(kAuthenticatedGroup);
  }
  return user;
}

// The UTF-8 values of every `nid` attribute of `name`, in order.
std::vector<std::string> NameEntries(const X509_NAME* name, int nid) {
  std::vector<std::string> values;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len >= 0) values.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  return values;
}

// The user of the verified client certificate on `connection`, if any.
std::optional<UserInfo> CertificateUser(const SSL* connection) {
  if (connection == nullptr) return std::nullopt;
  X509* peer = SSL_get0_peer_certificate(connection);
  if (peer == nullptr || SSL_get_verify_result(connection) != X509_V_OK) return std::nullopt;
  const X509_NAME* subject = X509_get_subject_name(peer);
  std::vector<std::string> common_names = NameEntries(subject, NID_commonName);
  if (common_names.empty() || common_names.front().empty()) return std::nullopt;
  return UserInfo{.name = common_names.front(),
                  .groups = NameEntries(subject, NID_organizationName)};
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The token of a "Bearer <token>" header (scheme case-insensitive), or nullopt.
std::optional<std::string_view> BearerToken(std::string_view header) {
  header = TrimSpace(header);
  size_t space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view scheme = header.substr(0, space);
  constexpr std::string_view kBearer = "bearer";
  if (scheme.size() != kBearer.size() ||
      !std::equal(scheme.begin(), scheme.end(), kBearer.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
      })) {
    return std::nullopt;
  }
  std::string_view token = header.substr(space + 1);
  token = token.substr(0, token.find(' '));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

Authenticator::Authenticator(std::vector<std::string> tokens) {
  entries_.reserve(tokens.size());
  for (const std::string& token : tokens) {
    Entry entry;
    if (!Sha256(token, entry.digest)) continue;
    entry.user = WithAuthenticatedGroup(
        UserInfo{.name = std::string(kAdminUser), .groups = {std::string(kAdminGroup)}});
    entries_.push_back(std::move(entry));
  }
}

Authenticator::Authenticator(std::vector<StaticToken> tokens) {
  entries_.reserve(tokens.size());
  for (StaticToken& token : tokens) {
    Entry entry;
    if (!Sha256(token.token, entry.digest)) continue;
    entry.user = WithAuthenticatedGroup(std::move(token.user));
    entries_.push_back(std::move(entry));
  }
}

absl::StatusOr<UserInfo> Authenticator::Authenticate(std::string_view authorization_header,
                                                     const SSL* connection) const {
  if (std::optional<UserInfo> user = CertificateUser(connection)) {
    return WithAuthenticatedGroup(*std::move(user));
  }
  if (std::optional<std::string_view> token = BearerToken(authorization_header)) {
    unsigned char digest[32];
    if (!Sha256(*token, digest)) return absl::UnauthenticatedError("Unauthorized");
    const Entry* match = nullptr;
    // Every entry is compared, so timing does not reveal which one matched.
    for (const Entry& entry : entries_) {
      if (CRYPTO_memcmp(entry.digest, digest, sizeof(digest)) == 0) match = &entry;
    }
    if (match != nullptr) return match->user;
  }
  return absl::UnauthenticatedError("Unauthorized");
}

std::string UnauthorizedStatusJson() {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
         R"("message":"Unauthorized","reason":"Unauthorized","code":401})"
         "\n";
}

}  // namespace dra::apiserver
