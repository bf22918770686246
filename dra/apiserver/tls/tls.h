// Transport security and authentication for the API server: the server's certificates and admin
// credentials, the OpenSSL server context, request authentication and the admin kubeconfig.
//
// The server is secure by default. On first start LoadOrCreateCredentials creates, in the data
// directory, a certificate authority, a serving certificate signed by it, an admin client
// certificate and an admin bearer token; WriteKubeconfig writes a kubeconfig that kubectl uses
// as is. Clients authenticate with `Authorization: Bearer <token>` or with a client certificate
// signed by the CA (the common name is the user, the organizations are the groups), as with
// kube-apiserver's --token-auth-file and --client-ca-file.
//
// Thread-safety: the free functions are thread-safe except that at most one caller (thread or
// process) may use a given credentials directory at a time. Authenticator is immutable after
// construction and thread-safe.
#ifndef DRA_APISERVER_TLS_TLS_H_
#define DRA_APISERVER_TLS_TLS_H_

#include <openssl/ssl.h>
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace dra::apiserver {

// Subject of the admin client certificate and the user of the admin token.
inline constexpr std::string_view kAdminUser = "dra-admin";
inline constexpr std::string_view kAdminGroup = "system:masters";
// Group every authenticated user belongs to, as kube-apiserver adds it.
inline constexpr std::string_view kAuthenticatedGroup = "system:authenticated";

// The server's credentials, PEM encoded (keys as PKCS#8 "PRIVATE KEY").
struct Credentials {
  std::string ca_cert_pem, ca_key_pem;
  std::string serving_cert_pem, serving_key_pem;
  // Client certificate with CN "dra-admin", O "system:masters".
  std::string admin_cert_pem, admin_key_pem;
  // 256 random bits, base64url without padding (43 characters).
  std::string admin_token;
};

// Loads the credentials from `dir`, creating the directory (mode 0700) and whatever is missing:
//   ca.crt, ca.key          self-signed CA, ECDSA P-256, CN "dra-ca", valid 10 years.
//   serving.crt, serving.key serving certificate (serverAuth), ECDSA P-256, valid 1 year (never
//                           past the CA's expiry), SANs: `hosts` (IP SANs for IP literals,
//                           "[v6]" accepted, DNS SANs otherwise) plus 127.0.0.1, ::1, localhost.
//   admin.crt, admin.key    admin client certificate (clientAuth), valid 1 year.
//   token                   the admin bearer token, one line.
// Keys and the token are written with mode 0600, certificates with 0644; every file is written
// atomically (temporary file, fsync, rename, fsync of the directory).
//
// Policy:
// - The CA is never replaced. When exactly one of ca.crt / ca.key exists, when they do not
//   match, or when the CA has expired, the result is FailedPrecondition naming the file.
// - The serving certificate is re-issued (new key) when either file is missing, the key does not
//   match, it was not signed by the CA, it does not cover every host, it is not yet valid at
//   `now`, or it expires within 30 days of `now`. The admin certificate likewise, except for
//   the hosts check. The token is created only when missing.
// - A file that exists but cannot be parsed (not PEM, truncated, an empty or malformed token)
//   is never replaced silently: the result is DataLoss naming the file; deleting a derived file
//   (anything but ca.crt / ca.key) makes the next call re-create it.
// - An invalid host (not an IP literal nor a DNS name) gives InvalidArgument.
// `now` is the current time, injectable for tests.
absl::StatusOr<Credentials> LoadOrCreateCredentials(const std::filesystem::path& dir,
                                                    const std::vector<std::string>& hosts,
                                                    absl::Time now = absl::Now());

// Configures a server-side SSL_CTX: TLS 1.2 or newer (ECDHE with AEAD ciphers for 1.2), the
// serving certificate and key, and client certificates requested (SSL_VERIFY_PEER without
// SSL_VERIFY_FAIL_IF_NO_PEER_CERT, so requests with bearer tokens and anonymous requests still
// complete the handshake) and verified against the CA for client authentication; a presented
// certificate that does not verify fails the handshake. ALPN selects "http/1.1".
absl::Status SetUpServerContext(SSL_CTX& ctx, const Credentials& credentials);
// SetUpServerContext(ctx, credentials).ok(), in the shape of httplib::SSLServer's callback.
bool ConfigureServerContext(SSL_CTX& ctx, const Credentials& credentials);

// Who a request is.
struct UserInfo {
  std::string name;
  std::vector<std::string> groups;

  friend bool operator==(const UserInfo&, const UserInfo&) = default;
};

// A bearer token and the user it authenticates.
struct StaticToken {
  std::string token;
  UserInfo user;
};

// Authenticates requests from their Authorization header and their TLS connection.
//
// A verified client certificate on the connection authenticates its subject (CN = user name,
// O = groups); a certificate without a CN is rejected. Otherwise `Authorization: Bearer <token>`
// (scheme case-insensitive) with a known token authenticates that token's user; tokens are
// compared in constant time (SHA-256 digests, every token compared). A token that fails to hash
// at construction is dropped. kAuthenticatedGroup is appended to every user's groups. Anything
// else (no credentials, unknown token, another scheme) is Unauthenticated with the message
// "Unauthorized"; callers answer 401 with UnauthorizedStatusJson().
//
// Thread-safety: immutable after construction; thread-safe.
class Authenticator {
 public:
  // Every token authenticates the admin user (kAdminUser, groups {kAdminGroup}).
  explicit Authenticator(std::vector<std::string> tokens);
  explicit Authenticator(std::vector<StaticToken> tokens);

  // `connection` is the request's TLS connection, or nullptr for plain HTTP.
  absl::StatusOr<UserInfo> Authenticate(std::string_view authorization_header,
                                        const SSL* connection) const;

 private:
  struct Entry {
    unsigned char digest[32];  // SHA-256 of the token.
    UserInfo user;
  };
  std::vector<Entry> entries_;
};

// The body kube-apiserver sends with 401 Unauthorized: a metav1.Status as JSON, ending in a
// newline as Go's json.Encoder writes it. Content-Type: application/json.
std::string UnauthorizedStatusJson();

// Writes a kubeconfig for `server_url` (e.g. "https://127.0.0.1:6443") atomically with mode
// 0600: cluster "dra" (certificate-authority-data: base64 of the CA PEM), user "dra-admin" (token,
// client-certificate-data, client-key-data), context "dra" as current-context. With
// `credentials` == nullptr (insecure HTTP mode) the cluster is plain HTTP and the user has no
// credentials. The URL must start with "https://" when credentials are given and "http://"
// otherwise (InvalidArgument).
absl::Status WriteKubeconfig(const std::filesystem::path& path, std::string_view server_url,
                             const Credentials* credentials);

// Writes `contents` to `path` atomically: a temporary file in the same directory created with
// `mode`, written, fsync'ed and renamed over `path`, then the directory is fsync'ed. Readers see
// either the old or the new contents, also after a crash.
absl::Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents,
                                 mode_t mode);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_TLS_TLS_H_
