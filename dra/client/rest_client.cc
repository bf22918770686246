#include "dra/client/rest_client.h"

#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "dra/api/codec/json.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/errors.h"
#include "dra/client/internal/json_framer.h"

namespace dra::client {
namespace {

api::Value Str(std::string_view s) { return api::Value::String(std::string(s)); }

std::string StringAt(const api::Value& v, std::string_view a, std::string_view b = "") {
  const api::Value* x = v.Find(a);
  if (x != nullptr && !b.empty()) x = x->Find(b);
  return x != nullptr && x->is_string() ? x->text() : std::string();
}

// Builds an encoded query string.
class Query {
 public:
  void Add(std::string_view key, std::string_view value) {
    parts_.push_back(dra::StrCat(PercentEncode(key), "=", PercentEncode(value)));
  }
  void AddIfSet(std::string_view key, std::string_view value) {
    if (!value.empty()) Add(key, value);
  }
  std::string Suffix() const { return parts_.empty() ? "" : "?" + dra::StrJoin(parts_, "&"); }

 private:
  std::vector<std::string> parts_;
};

std::string OpenSslError() {
  unsigned long err = ERR_get_error();  // NOLINT(runtime/int): OpenSSL's type
  ERR_clear_error();
  if (err == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(err, buf, sizeof(buf));
  return buf;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr MemBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string_view ErrorName(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
      return "connection failed";
    case httplib::Error::BindIPAddress:
      return "cannot bind the local address";
    case httplib::Error::Read:
      return "read failed (connection closed or timed out)";
    case httplib::Error::Write:
      return "write failed";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    case httplib::Error::Canceled:
      return "cancelled";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "loading certificates failed";
    case httplib::Error::SSLServerVerification:
      return "the server's certificate did not verify";
    case httplib::Error::Compression:
      return "decompression failed";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    default:
      return "request failed";
  }
}

absl::Status TransportError(std::string_view method, std::string_view url, httplib::Error error,
                            long verify_result) {  // NOLINT(runtime/int): OpenSSL's type
  std::string message = dra::StrCat(method, " ", url, ": ", ErrorName(error));
  if (error == httplib::Error::SSLServerVerification && verify_result != X509_V_OK) {
    dra::StrAppend(&message, ": ", X509_verify_cert_error_string(verify_result));
  }
  if (error == httplib::Error::ConnectionTimeout) return absl::DeadlineExceededError(message);
  if (error == httplib::Error::Canceled) return absl::CancelledError(message);
  return absl::UnavailableError(message);
}

// Adds apiVersion/kind to list items that lack them (kube-apiserver omits them).
void FillItemKinds(const api::Value& list, std::vector<api::Value>& items) {
  std::string kind = StringAt(list, "kind");
  std::string api_version = StringAt(list, "apiVersion");
  if (kind.size() <= 4 || !kind.ends_with("List") || api_version.empty()) return;
  kind.resize(kind.size() - 4);
  for (api::Value& item : items) {
    if (!item.is_object()) continue;
    if (item.Find("apiVersion") == nullptr) item.Set("apiVersion", Str(api_version));
    if (item.Find("kind") == nullptr) item.Set("kind", Str(kind));
  }
}

absl::StatusOr<WatchEvent> ParseWatchEvent(std::string_view text) {
  absl::StatusOr<api::Value> doc = api::ParseJson(text);
  if (!doc.ok()) {
    return absl::DataLossError(dra::StrCat("watch: invalid event: ", doc.status().message()));
  }
  std::string type = StringAt(*doc, "type");
  WatchEvent event;
  if (type == "ADDED") {
    event.type = WatchEvent::Type::kAdded;
  } else if (type == "MODIFIED") {
    event.type = WatchEvent::Type::kModified;
  } else if (type == "DELETED") {
    event.type = WatchEvent::Type::kDeleted;
  } else if (type == "BOOKMARK") {
    event.type = WatchEvent::Type::kBookmark;
  } else if (type == "ERROR") {
    event.type = WatchEvent::Type::kError;
  } else {
    return absl::DataLossError(dra::StrCat("watch: unknown event type ", GoQuote(type)));
  }
  api::Value* object = doc->FindMutable("object");
  if (object == nullptr || !object->is_object()) {
    return absl::DataLossError(dra::StrCat("watch: ", type, " event without an object"));
  }
  event.object = std::make_shared<const api::Value>(std::move(*object));
  return event;
}

// A watch response read on its own thread into a bounded queue of events.
class HttpWatchStream : public WatchStream {
 public:
  static constexpr size_t kMaxQueued = 4096;

  HttpWatchStream(std::unique_ptr<httplib::ClientImpl> connection, httplib::Request request,
                  std::string url)
      : connection_(std::move(connection)), url_(std::move(url)) {
    connection_->set_socket_options([this](socket_t sock) {
      absl::MutexLock lock(&mu_);
      // Cancel() before the socket existed: end the request at once.
      if (cancelled_) ::shutdown(sock, SHUT_RDWR);
    });
    request.response_handler = [this](const httplib::Response& response) {
      absl::MutexLock lock(&mu_);
      http_status_ = response.status;
      headers_ = true;
      return !cancelled_;
    };
    request.content_receiver = [this](const char* data, size_t size, uint64_t, uint64_t) {
      return Receive(std::string_view(data, size));
    };
    thread_ = std::thread([this, request = std::move(request)]() mutable { Run(request); });
  }

  ~HttpWatchStream() override {
    Cancel();
    thread_.join();
  }

  // Waits until the server answered (or the request failed) and returns the error when it was
  // not 200; DeadlineExceeded (the request cancelled) when nothing came before `deadline`.
  absl::Status WaitForHeaders(absl::Time deadline) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithDeadline(absl::Condition(this, &HttpWatchStream::AnsweredLocked), deadline);
      if (done_ && (!headers_ || http_status_ != 200)) return end_;
      if (AnsweredLocked()) return absl::OkStatus();
    }
    Cancel();
    return absl::DeadlineExceededError(dra::StrCat("watch ", url_, ": no response in time"));
  }

  absl::StatusOr<WatchEvent> Next(absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !events_.empty() || done_ || cancelled_;
    };
    while (!ready()) {
      if (cv_.WaitWithDeadline(&mu_, deadline) && !ready()) {
        return absl::DeadlineExceededError("watch: no event before the deadline");
      }
    }
    if (!events_.empty()) {
      WatchEvent event = std::move(events_.front());
      events_.pop_front();
      cv_.SignalAll();  // room for the reader
      return event;
    }
    if (cancelled_) return absl::CancelledError("watch cancelled");
    return end_;
  }

  void Cancel() override {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) return;
      cancelled_ = true;
      cv_.SignalAll();
    }
    connection_->stop();
  }

 private:
  // 200 (events follow) or the end of the request (error responses are read to the end).
  bool AnsweredLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return (headers_ && http_status_ == 200) || done_;
  }
  bool RoomLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cancelled_ || events_.size() < kMaxQueued;
  }

  bool Receive(std::string_view data) {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) return false;
      if (http_status_ != 200) {
        if (error_body_.size() < 64 * 1024) error_body_.append(data);
        return true;
      }
    }
    std::vector<std::string> documents;
    if (!framer_.Feed(data, &documents)) {
      absl::MutexLock lock(&mu_);
      stream_error_ = absl::DataLossError(
          dra::StrCat("watch ", url_, ": the response is not a stream of JSON objects"));
      return false;
    }
    for (const std::string& document : documents) {
      absl::StatusOr<WatchEvent> event = ParseWatchEvent(document);
      absl::MutexLock lock(&mu_);
      if (!event.ok()) {
        stream_error_ = event.status();
        return false;
      }
      mu_.Await(absl::Condition(this, &HttpWatchStream::RoomLocked));
      if (cancelled_) return false;
      events_.push_back(*std::move(event));
      cv_.SignalAll();
    }
    return true;
  }

  void Run(httplib::Request& request) {
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) {
        Finish(absl::CancelledError("watch cancelled"));
        return;
      }
    }
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    bool ok = connection_->send(request, response, error);
    absl::MutexLock lock(&mu_);
    if (cancelled_) {
      Finish(absl::CancelledError("watch cancelled"));
    } else if (!stream_error_.ok()) {
      Finish(stream_error_);
    } else if (headers_ && http_status_ != 200) {
      Finish(ErrorFromResponse(http_status_, error_body_));
    } else if (!ok) {
      Finish(TransportError("watch", url_, error, X509_V_OK));
    } else {
      Finish(absl::CancelledError("watch ended by the server"));
    }
  }

  void Finish(absl::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    end_ = std::move(status);
    done_ = true;
    cv_.SignalAll();
  }

  const std::unique_ptr<httplib::ClientImpl> connection_;
  const std::string url_;
  internal::JsonFramer framer_;  // reader thread only

  absl::Mutex mu_;
  absl::CondVar cv_;
  bool headers_ ABSL_GUARDED_BY(mu_) = false;
  int http_status_ ABSL_GUARDED_BY(mu_) = 0;
  std::string error_body_ ABSL_GUARDED_BY(mu_);
  std::deque<WatchEvent> events_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status stream_error_ ABSL_GUARDED_BY(mu_);
  absl::Status end_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// The numeric address of `host` (itself when it already is one).
absl::StatusOr<std::string> ResolveHost(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc != 0 || result == nullptr) {
    return absl::UnavailableError(dra::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  char buf[NI_MAXHOST];
  rc = getnameinfo(result->ai_addr, result->ai_addrlen, buf, sizeof(buf), nullptr, 0,
                   NI_NUMERICHOST);
  freeaddrinfo(result);
  if (rc != 0) {
    return absl::UnavailableError(dra::StrCat("cannot resolve ", host, ": ", gai_strerror(rc)));
  }
  return std::string(buf);
}

std::string_view PatchContentType(PatchType type) {
  switch (type) {
    case PatchType::kJson:
      return "application/json-patch+json";
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kStrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::kApply:
      return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

// InvalidArgument unless `name` is set, and `ns` too for a namespaced resource.
absl::Status CheckObjectAddress(const ResourceRef& ref, std::string_view ns,
                                std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError(dra::StrCat(ref.GroupResource(), ": name is required"));
  }
  if (ref.namespaced && ns.empty()) {
    return absl::InvalidArgumentError(
        dra::StrCat(ref.GroupResource(), " ", GoQuote(name), ": a namespace is required"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string WatchEvent::ResourceVersion() const {
  return object == nullptr ? std::string() : StringAt(*object, "metadata", "resourceVersion");
}

absl::Status WatchEvent::Error() const {
  if (type != Type::kError) return absl::OkStatus();
  return ErrorFromStatusDocument(object == nullptr ? api::Value::Object() : *object);
}

std::string_view WatchEventTypeName(WatchEvent::Type type) {
  switch (type) {
    case WatchEvent::Type::kAdded:
      return "ADDED";
    case WatchEvent::Type::kModified:
      return "MODIFIED";
    case WatchEvent::Type::kDeleted:
      return "DELETED";
    case WatchEvent::Type::kBookmark:
      return "BOOKMARK";
    case WatchEvent::Type::kError:
      return "ERROR";
  }
  return "ERROR";
}

// TLS material parsed once; every connection's SSL_CTX takes references.
struct RestClient::Tls {
  std::vector<X509*> ca;
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  std::string server_name;  // tls_server_name

  ~Tls() {
    for (X509* c : ca) X509_free(c);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

absl::StatusOr<std::unique_ptr<RestClient>> RestClient::Create(ClusterConfig config,
                                                               Options options) {
  Endpoint endpoint;
  std::string_view rest = config.server;
  if (rest.starts_with("https://")) {
    endpoint.https = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return absl::InvalidArgumentError(
        dra::StrCat("server ", GoQuote(config.server), ": must start with https:// or http://"));
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    endpoint.base_path = std::string(rest.substr(slash));
    while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
      endpoint.base_path.pop_back();
    }
  }
  std::string_view port_text;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(
          dra::StrCat("server ", GoQuote(config.server), ": unterminated IPv6 address"));
    }
    endpoint.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (after.starts_with(":")) port_text = after.substr(1);
  } else {
    size_t colon = authority.rfind(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (endpoint.host.empty()) {
    return absl::InvalidArgumentError(dra::StrCat("server ", GoQuote(config.server), ": no host"));
  }
  endpoint.port = endpoint.https ? 443 : 80;
  if (!port_text.empty()) {
    if (!absl::SimpleAtoi(std::string(port_text), &endpoint.port) || endpoint.port <= 0 ||
        endpoint.port > 65535) {
      return absl::InvalidArgumentError(
          dra::StrCat("server ", GoQuote(config.server), ": invalid port"));
    }
  }
  if (options.max_connections < 1) options.max_connections = 1;

  std::unique_ptr<Tls> tls;
  if (endpoint.https) {
    tls = std::make_unique<Tls>();
    tls->server_name = config.tls_server_name;
    ERR_clear_error();
    if (!config.ca_pem.empty()) {
      BioPtr bio = MemBio(config.ca_pem);
      while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        tls->ca.push_back(cert);
      }
      ERR_clear_error();
      if (tls->ca.empty()) {
        return absl::InvalidArgumentError(
            "certificate authority: no certificate found in the PEM data");
      }
    }
    if (!config.client_cert_pem.empty() || !config.client_key_pem.empty()) {
      BioPtr cert_bio = MemBio(config.client_cert_pem);
      tls->cert = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr);
      if (tls->cert == nullptr) {
        return absl::InvalidArgumentError(
            dra::StrCat("client certificate: cannot parse the PEM data: ", OpenSslError()));
      }
      BioPtr key_bio = MemBio(config.client_key_pem);
      tls->key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
      if (tls->key == nullptr) {
        return absl::InvalidArgumentError(
            dra::StrCat("client key: cannot parse the PEM data: ", OpenSslError()));
      }
      if (X509_check_private_key(tls->cert, tls->key) != 1) {
        ERR_clear_error();
        return absl::InvalidArgumentError(
            "client key: does not match the client certificate's public key");
      }
    }
  }
  return std::unique_ptr<RestClient>(
      new RestClient(std::move(config), std::move(options), std::move(endpoint), std::move(tls)));
}

RestClient::RestClient(ClusterConfig config, Options options, Endpoint endpoint,
                       std::unique_ptr<Tls> tls)
    : config_(std::move(config)),
      options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      tls_(std::move(tls)) {}

RestClient::~RestClient() = default;

absl::StatusOr<std::unique_ptr<httplib::ClientImpl>> RestClient::NewConnection(
    absl::Duration read_timeout) const {
  std::unique_ptr<httplib::ClientImpl> connection;
  if (endpoint_.https) {
    const std::string& name = tls_->server_name.empty() ? endpoint_.host : tls_->server_name;
    std::unique_ptr<httplib::SSLClient> ssl =
        tls_->cert != nullptr
            ? std::make_unique<httplib::SSLClient>(name, endpoint_.port, tls_->cert, tls_->key)
            : std::make_unique<httplib::SSLClient>(name, endpoint_.port);
    if (!ssl->is_valid()) {
      return absl::InternalError(dra::StrCat("TLS setup failed: ", OpenSslError()));
    }
    if (name != endpoint_.host) {
      // Connect to the server's address while verifying (and sending SNI for) `name`.
      DRA_ASSIGN_OR_RETURN(std::string address, ResolveHost(endpoint_.host));
      ssl->set_hostname_addr_map({{name, address}});
    }
    if (config_.insecure_skip_tls_verify) {
      ssl->enable_server_certificate_verification(false);
    } else if (!tls_->ca.empty()) {
      X509_STORE* store = SSL_CTX_get_cert_store(ssl->ssl_context());
      for (X509* ca : tls_->ca) X509_STORE_add_cert(store, ca);
      ERR_clear_error();  // duplicates are not an error
    }
    connection = std::move(ssl);
  } else {
    connection = std::make_unique<httplib::ClientImpl>(endpoint_.host, endpoint_.port);
  }
  auto seconds = [](absl::Duration d) {
    return std::chrono::microseconds(std::max<int64_t>(absl::ToInt64Microseconds(d), 1000));
  };
  connection->set_keep_alive(true);
  connection->set_url_encode(false);
  connection->set_tcp_nodelay(true);
  connection->set_connection_timeout(seconds(std::min(options_.timeout, absl::Seconds(30))));
  connection->set_read_timeout(seconds(read_timeout));
  connection->set_write_timeout(seconds(options_.timeout));
  return connection;
}

absl::StatusOr<std::unique_ptr<httplib::ClientImpl>> RestClient::Acquire(bool* reused) {
  {
    absl::MutexLock lock(&mu_);
    while (idle_.empty() && open_ >= options_.max_connections) cv_.Wait(&mu_);
    if (!idle_.empty()) {
      std::unique_ptr<httplib::ClientImpl> connection = std::move(idle_.back());
      idle_.pop_back();
      *reused = true;
      return connection;
    }
    ++open_;
  }
  *reused = false;
  absl::StatusOr<std::unique_ptr<httplib::ClientImpl>> connection = NewConnection(options_.timeout);
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    cv_.Signal();
  }
  return connection;
}

void RestClient::Release(std::unique_ptr<httplib::ClientImpl> connection, bool keep) {
  std::unique_ptr<httplib::ClientImpl> dropped;  // closed outside the lock
  absl::MutexLock lock(&mu_);
  if (keep) {
    idle_.push_back(std::move(connection));
  } else {
    dropped = std::move(connection);
    --open_;
  }
  cv_.Signal();
}

absl::StatusOr<RestClient::Response> RestClient::Send(std::string_view method,
                                                      const std::string& path_and_query,
                                                      std::string_view body,
                                                      std::string_view content_type,
                                                      const api::Value* object) {
  if (options_.transport != nullptr) {
    DRA_ASSIGN_OR_RETURN(Transport::Response response,
                         options_.transport->RoundTrip(
                             {.method = method,
                              .path_and_query = path_and_query,
                              .content_type = body.empty() && object == nullptr ? "" : content_type,
                              .body = body,
                              .user_agent = options_.user_agent,
                              .object = object}));
    return Response{response.status, std::move(response.body), std::move(response.object)};
  }
  std::string encoded;
  if (object != nullptr) {
    encoded = api::WriteJson(*object);
    body = encoded;
  }
  std::string path = endpoint_.base_path + path_and_query;
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    DRA_ASSIGN_OR_RETURN(std::unique_ptr<httplib::ClientImpl> connection, Acquire(&reused));
    httplib::Request request;
    request.method = std::string(method);
    request.path = path;
    request.headers.emplace("Accept", "application/json");
    request.headers.emplace("User-Agent", options_.user_agent);
    if (!config_.token.empty()) {
      request.headers.emplace("Authorization", dra::StrCat("Bearer ", config_.token));
    }
    if (!body.empty()) {
      request.body = std::string(body);
      request.headers.emplace("Content-Type", std::string(content_type));
    }
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    bool ok = connection->send(request, response, error);
    if (ok) {
      Release(std::move(connection), true);
      return Response{response.status, std::move(response.body)};
    }
    long verify = X509_V_OK;  // NOLINT(runtime/int): OpenSSL's type
    if (auto* ssl = dynamic_cast<httplib::SSLClient*>(connection.get()); ssl != nullptr) {
      verify = ssl->get_openssl_verify_result();
    }
    Release(std::move(connection), false);
    bool idempotent = method == "GET" || method == "PUT" || method == "DELETE";
    bool not_sent = error == httplib::Error::Write || error == httplib::Error::Connection;
    if (attempt == 0 && reused && (idempotent || not_sent)) continue;
    return TransportError(method, config_.server + path, error, verify);
  }
}

absl::StatusOr<api::Value> RestClient::Call(std::string_view method,
                                            const std::string& path_and_query,
                                            std::string_view body, std::string_view content_type) {
  DRA_ASSIGN_OR_RETURN(Response response, Send(method, path_and_query, body, content_type));
  return Decode(method, path_and_query, std::move(response));
}

absl::StatusOr<api::Value> RestClient::CallWithObject(std::string_view method,
                                                      const std::string& path_and_query,
                                                      const api::Value& object) {
  DRA_ASSIGN_OR_RETURN(Response response,
                       Send(method, path_and_query, "", "application/json", &object));
  return Decode(method, path_and_query, std::move(response));
}

absl::StatusOr<api::Value> RestClient::Decode(std::string_view method,
                                              const std::string& path_and_query,
                                              Response response) {
  if (response.object.has_value()) {
    if (response.status >= 200 && response.status < 300) return *std::move(response.object);
    response.body = api::WriteJson(*response.object);
  }
  if (response.status < 200 || response.status >= 300) {
    return ErrorFromResponse(response.status, response.body);
  }
  if (response.body.empty()) return api::Value::Object();
  absl::StatusOr<api::Value> doc = api::ParseJson(response.body);
  if (!doc.ok()) {
    return absl::DataLossError(dra::StrCat(method, " ", path_and_query,
                                           ": invalid JSON response: ", doc.status().message()));
  }
  return doc;
}

absl::StatusOr<api::Value> RestClient::RequestJson(std::string_view method,
                                                   std::string_view path_and_query,
                                                   std::string_view body,
                                                   std::string_view content_type) {
  return Call(method, std::string(path_and_query), body, content_type);
}

absl::StatusOr<api::Value> RestClient::Get(const ResourceRef& ref, std::string_view ns,
                                           std::string_view name) {
  DRA_RETURN_IF_ERROR(CheckObjectAddress(ref, ns, name));
  return Call("GET", ref.ObjectPath(ns, name));
}

absl::StatusOr<ListResult> RestClient::List(const ResourceRef& ref, std::string_view ns,
                                            const ListOptions& options) {
  Query q;
  q.AddIfSet("labelSelector", options.label_selector);
  q.AddIfSet("fieldSelector", options.field_selector);
  if (options.limit > 0) q.Add("limit", std::to_string(options.limit));
  q.AddIfSet("continue", options.continue_token);
  q.AddIfSet("resourceVersion", options.resource_version);
  q.AddIfSet("resourceVersionMatch", options.resource_version_match);
  DRA_ASSIGN_OR_RETURN(api::Value list, Call("GET", ref.CollectionPath(ns) + q.Suffix()));
  ListResult result;
  if (api::Value* items = list.FindMutable("items"); items != nullptr && items->is_array()) {
    result.items = std::move(items->mutable_items());
  }
  FillItemKinds(list, result.items);
  result.resource_version = StringAt(list, "metadata", "resourceVersion");
  result.continue_token = StringAt(list, "metadata", "continue");
  return result;
}

absl::StatusOr<ListResult> RestClient::ListAll(const ResourceRef& ref, std::string_view ns,
                                               const ListOptions& options) {
  ListOptions page = options;
  if (page.limit <= 0) page.limit = 500;
  ListResult all;
  while (true) {
    absl::StatusOr<ListResult> result = List(ref, ns, page);
    if (!result.ok()) {
      if (absl::IsOutOfRange(result.status()) && !page.continue_token.empty()) {
        // The continue token expired: one consistent list without paging.
        ListOptions full = options;
        full.limit = 0;
        full.continue_token.clear();
        return List(ref, ns, full);
      }
      return result.status();
    }
    for (api::Value& item : result->items) all.items.push_back(std::move(item));
    all.resource_version = result->resource_version;
    if (result->continue_token.empty()) return all;
    page.continue_token = result->continue_token;
    // Later pages come from the first page's snapshot; resourceVersion may not be repeated.
    page.resource_version.clear();
    page.resource_version_match.clear();
  }
}

namespace {

void AddWriteOptions(Query& q, const WriteOptions& options) {
  q.AddIfSet("fieldManager", options.field_manager);
  if (options.dry_run) q.Add("dryRun", "All");
}

}  // namespace

absl::StatusOr<api::Value> RestClient::Create(const ResourceRef& ref, std::string_view ns,
                                              const api::Value& object,
                                              const WriteOptions& options) {
  std::string object_ns = StringAt(object, "metadata", "namespace");
  if (ns.empty()) ns = object_ns;
  if (ref.namespaced && ns.empty()) {
    return absl::InvalidArgumentError(
        dra::StrCat(ref.GroupResource(), ": a namespace is required"));
  }
  Query q;
  AddWriteOptions(q, options);
  return CallWithObject("POST", ref.CollectionPath(ns) + q.Suffix(), object);
}

absl::StatusOr<api::Value> RestClient::Put(const ResourceRef& ref, std::string_view ns,
                                           const api::Value& object, std::string_view subresource,
                                           const WriteOptions& options) {
  std::string object_ns = StringAt(object, "metadata", "namespace");
  if (ns.empty()) ns = object_ns;
  std::string name = StringAt(object, "metadata", "name");
  if (name.empty()) {
    return absl::InvalidArgumentError(
        dra::StrCat(ref.GroupResource(), ": metadata.name is required for an update"));
  }
  if (ref.namespaced && ns.empty()) {
    return absl::InvalidArgumentError(
        dra::StrCat(ref.GroupResource(), " ", GoQuote(name), ": a namespace is required"));
  }
  Query q;
  AddWriteOptions(q, options);
  return CallWithObject("PUT", ref.ObjectPath(ns, name, subresource) + q.Suffix(), object);
}

absl::StatusOr<api::Value> RestClient::Update(const ResourceRef& ref, std::string_view ns,
                                              const api::Value& object,
                                              const WriteOptions& options) {
  return Put(ref, ns, object, "", options);
}

absl::StatusOr<api::Value> RestClient::UpdateStatus(const ResourceRef& ref, std::string_view ns,
                                                    const api::Value& object,
                                                    const WriteOptions& options) {
  return Put(ref, ns, object, "status", options);
}

absl::StatusOr<api::Value> RestClient::Patch(const ResourceRef& ref, std::string_view ns,
                                             std::string_view name, PatchType type,
                                             std::string_view body, std::string_view subresource,
                                             const PatchOptions& options) {
  DRA_RETURN_IF_ERROR(CheckObjectAddress(ref, ns, name));
  Query q;
  q.AddIfSet("fieldManager", options.field_manager);
  if (options.dry_run) q.Add("dryRun", "All");
  if (options.force) q.Add("force", "true");
  return Call("PATCH", ref.ObjectPath(ns, name, subresource) + q.Suffix(), body,
              PatchContentType(type));
}

absl::StatusOr<api::Value> RestClient::Patch(const ResourceRef& ref, std::string_view ns,
                                             std::string_view name, PatchType type,
                                             const api::Value& body, std::string_view subresource,
                                             const PatchOptions& options) {
  return Patch(ref, ns, name, type, std::string_view(api::WriteJson(body)), subresource, options);
}

absl::StatusOr<api::Value> RestClient::Delete(const ResourceRef& ref, std::string_view ns,
                                              std::string_view name, const DeleteOptions& options) {
  DRA_RETURN_IF_ERROR(CheckObjectAddress(ref, ns, name));
  api::Value body = api::Value::Object();
  if (!options.propagation_policy.empty()) {
    body.Set("propagationPolicy", Str(options.propagation_policy));
  }
  if (!options.precondition_uid.empty() || !options.precondition_resource_version.empty()) {
    api::Value pre = api::Value::Object();
    if (!options.precondition_uid.empty()) pre.Set("uid", Str(options.precondition_uid));
    if (!options.precondition_resource_version.empty()) {
      pre.Set("resourceVersion", Str(options.precondition_resource_version));
    }
    body.Set("preconditions", std::move(pre));
  }
  if (options.grace_period_seconds.has_value()) {
    body.Set("gracePeriodSeconds", api::Value::Int(*options.grace_period_seconds));
  }
  if (options.dry_run) body.Set("dryRun", api::Value::Array({Str("All")}));
  std::string text;
  if (!body.members().empty()) {
    api::Value doc =
        api::Value::Object({{"kind", Str("DeleteOptions")}, {"apiVersion", Str("v1")}});
    for (api::Value::Member& m : body.mutable_members()) doc.Set(m.first, std::move(m.second));
    text = api::WriteJson(doc);
  }
  return Call("DELETE", ref.ObjectPath(ns, name), text);
}

absl::Status RestClient::Bind(std::string_view ns, std::string_view pod, std::string_view node) {
  if (ns.empty() || pod.empty() || node.empty()) {
    return absl::InvalidArgumentError("bind: namespace, pod and node are required");
  }
  api::Value binding = api::Value::Object(
      {{"apiVersion", Str("v1")},
       {"kind", Str("Binding")},
       {"metadata", api::Value::Object({{"name", Str(pod)}, {"namespace", Str(ns)}})},
       {"target", api::Value::Object(
                      {{"apiVersion", Str("v1")}, {"kind", Str("Node")}, {"name", Str(node)}})}});
  return CallWithObject("POST", Pods().ObjectPath(ns, pod, "binding"), binding).status();
}

absl::StatusOr<std::unique_ptr<WatchStream>> RestClient::Watch(const ResourceRef& ref,
                                                               std::string_view ns,
                                                               const WatchOptions& options) {
  Query q;
  q.Add("watch", "true");
  q.AddIfSet("resourceVersion", options.resource_version);
  q.AddIfSet("labelSelector", options.label_selector);
  q.AddIfSet("fieldSelector", options.field_selector);
  if (options.allow_bookmarks) q.Add("allowWatchBookmarks", "true");
  absl::Duration server_timeout = options.timeout;
  if (server_timeout > absl::ZeroDuration()) {
    q.Add("timeoutSeconds",
          std::to_string(std::max<int64_t>(1, absl::ToInt64Seconds(server_timeout))));
  } else {
    server_timeout = absl::Hours(1);
  }
  if (options_.transport != nullptr) {
    std::string path_and_query = ref.CollectionPath(ns) + q.Suffix();
    DRA_ASSIGN_OR_RETURN(Transport::WatchResponse answer,
                         options_.transport->Watch({.method = "GET",
                                                    .path_and_query = path_and_query,
                                                    .user_agent = options_.user_agent}));
    if (answer.stream == nullptr) {
      if (answer.response.object.has_value()) {
        answer.response.body = api::WriteJson(*answer.response.object);
      }
      return ErrorFromResponse(answer.response.status, answer.response.body);
    }
    return std::move(answer.stream);
  }
  std::string path = endpoint_.base_path + ref.CollectionPath(ns) + q.Suffix();
  // Idle watches of kube-apiserver send nothing for long stretches: the read timeout only has
  // to end a watch whose server vanished.
  DRA_ASSIGN_OR_RETURN(std::unique_ptr<httplib::ClientImpl> connection,
                       NewConnection(server_timeout + absl::Minutes(1)));
  connection->set_keep_alive(false);
  httplib::Request request;
  request.method = "GET";
  request.path = path;
  request.headers.emplace("Accept", "application/json");
  request.headers.emplace("User-Agent", options_.user_agent);
  if (!config_.token.empty()) {
    request.headers.emplace("Authorization", dra::StrCat("Bearer ", config_.token));
  }
  auto stream = std::make_unique<HttpWatchStream>(std::move(connection), std::move(request),
                                                  config_.server + path);
  DRA_RETURN_IF_ERROR(stream->WaitForHeaders(absl::Now() + options_.timeout));
  return stream;
}

}  // namespace dra::client
