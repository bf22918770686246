// Internal helpers of dra_apiserver_tls: owning OpenSSL pointers, PEM and base64 conversions.
// Not part of the library's public interface.
//
// Stateless functions; thread-safe (OpenSSL 3 is thread-safe for independent objects). Each
// function that fails drains OpenSSL's thread-local error queue into its Status.
#ifndef DRA_APISERVER_TLS_OPENSSL_UTIL_H_
#define DRA_APISERVER_TLS_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dra::apiserver::tls_internal {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr =
    std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;

// An Internal error "<what>: <OpenSSL's queued errors>"; clears the queue.
absl::Status OpenSslError(std::string_view what);
// OpenSSL's queued errors joined with "; " ("unknown error" when empty); clears the queue.
std::string DrainOpenSslErrors();

// The first certificate / private key in `pem`. Errors are InvalidArgument.
absl::StatusOr<X509Ptr> ParseCertificatePem(std::string_view pem);
absl::StatusOr<PkeyPtr> ParsePrivateKeyPem(std::string_view pem);
absl::StatusOr<std::string> CertificateToPem(X509* cert);
// PKCS#8 "PRIVATE KEY" PEM.
absl::StatusOr<std::string> PrivateKeyToPem(EVP_PKEY* key);

// Standard base64 with padding, no line breaks.
std::string Base64Encode(std::string_view data);
// URL-safe base64 without padding.
std::string Base64UrlEncode(std::string_view data);

}  // namespace dra::apiserver::tls_internal

#endif  // DRA_APISERVER_TLS_OPENSSL_UTIL_H_
