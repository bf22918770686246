#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string_view>

#include "dra/apiserver/tls/openssl_util.h"
#include "dra/apiserver/tls/tls.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using tls_internal::OpenSslError;
using tls_internal::ParseCertificatePem;
using tls_internal::ParsePrivateKeyPem;

// TLS 1.2 suites: forward secrecy and AEAD only (TLS 1.3 suites are all such).
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

constexpr unsigned char kAlpnHttp11[] = "\x08http/1.1";
constexpr unsigned char kSessionIdContext[] = "dra-apiserver";

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kAlpnHttp11, sizeof(kAlpnHttp11) - 1, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

absl::Status SetUpServerContext(SSL_CTX& ctx, const Credentials& credentials) {
  ERR_clear_error();
  auto cert = ParseCertificatePem(credentials.serving_cert_pem);
  if (!cert.ok())
    return absl::InvalidArgumentError(StrCat("serving certificate: ", cert.status().message()));
  auto key = ParsePrivateKeyPem(credentials.serving_key_pem);
  if (!key.ok()) return absl::InvalidArgumentError(StrCat("serving key: ", key.status().message()));
  auto ca = ParseCertificatePem(credentials.ca_cert_pem);
  if (!ca.ok())
    return absl::InvalidArgumentError(StrCat("CA certificate: ", ca.status().message()));

  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) {
    return OpenSslError("setting the minimum TLS version");
  }
  if (SSL_CTX_set_cipher_list(&ctx, kTls12Ciphers) != 1) {
    return OpenSslError("setting the TLS 1.2 cipher list");
  }
  SSL_CTX_set_options(
      &ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_use_certificate(&ctx, cert->get()) != 1) {
    return OpenSslError("using the serving certificate");
  }
  if (SSL_CTX_use_PrivateKey(&ctx, key->get()) != 1) return OpenSslError("using the serving key");
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    return OpenSslError("the serving key does not match the serving certificate");
  }
  X509_STORE* store = SSL_CTX_get_cert_store(&ctx);
  if (store == nullptr || X509_STORE_add_cert(store, ca->get()) != 1) {
    return OpenSslError("adding the CA to the client verification store");
  }
  if (SSL_CTX_add_client_CA(&ctx, ca->get()) != 1) {
    return OpenSslError("advertising the CA for client certificates");
  }
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_set_purpose(&ctx, X509_PURPOSE_SSL_CLIENT) != 1) {
    return OpenSslError("setting the client certificate purpose");
  }
  if (SSL_CTX_set_session_id_context(&ctx, kSessionIdContext, sizeof(kSessionIdContext) - 1) != 1) {
    return OpenSslError("setting the session id context");
  }
  SSL_CTX_set_alpn_select_cb(&ctx, SelectAlpn, nullptr);
  return absl::OkStatus();
}

bool ConfigureServerContext(SSL_CTX& ctx, const Credentials& credentials) {
  return SetUpServerContext(ctx, credentials).ok();
}

}  // namespace dra::apiserver
