#include "dra/apiserver/http_server.h"

#include <httplib.h>

#include <utility>

#include "absl/strings/numbers.h"
#include "dra/apiserver/errors.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

Request ToRequest(const httplib::Request& req) {
  Request r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [k, v] : req.params) r.query.emplace_back(k, v);
  r.accept = req.get_header_value("Accept");
  r.content_type = req.get_header_value("Content-Type");
  r.user_agent = req.get_header_value("User-Agent");
  r.body = req.body;
  return r;
}

std::string QuoteWarning(std::string_view text) {
  std::string out = "299 - \"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

// Paths served without authentication: the health endpoints and the web page's static files
// (the page authenticates its own API requests).
bool IsPublicPath(std::string_view path) {
  return path == "/healthz" || path == "/livez" || path == "/readyz" ||
         path.starts_with("/healthz/") || path.starts_with("/livez/") ||
         path.starts_with("/readyz/") || path == "/ui" || path.starts_with("/ui/");
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(Handler* handler,
                                                              HttpServerOptions options) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(
        dra::StrCat("--listen ", GoQuote(options.listen), ": expected host:port"));
  }
  server->host_ = options.listen.substr(0, colon);
  if (server->host_.size() >= 2 && server->host_.front() == '[' && server->host_.back() == ']') {
    server->host_ = server->host_.substr(1, server->host_.size() - 2);
  }
  int port = 0;
  if (!absl::SimpleAtoi(options.listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        dra::StrCat("--listen ", GoQuote(options.listen), ": invalid port"));
  }
  if (options.insecure_http) {
    server->server_ = std::make_unique<httplib::Server>();
  } else {
    if (options.credentials == nullptr) {
      return absl::InvalidArgumentError("TLS needs credentials (or insecure HTTP)");
    }
    const Credentials* credentials = options.credentials;
    auto tls = std::make_unique<httplib::SSLServer>(
        [credentials](SSL_CTX& ctx) { return ConfigureServerContext(ctx, *credentials); });
    if (!tls->is_valid()) {
      return absl::InternalError("could not set up TLS with the server's certificate");
    }
    server->server_ = std::move(tls);
    server->authenticator_ = std::make_unique<Authenticator>(options.tokens);
  }
  httplib::Server& http = *server->server_;
  int threads = options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(4 * 1024 * 1024);
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second server bind
  // the same port and receive half of the connections.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<void*>(&yes), sizeof(yes));
  });
  http.set_keep_alive_max_count(100000);
  // Idle keep-alive connections are closed after 5 s (a stopping server waits for them).
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(absl::ToInt64Seconds(options.read_timeout));
  http.set_write_timeout(absl::ToInt64Seconds(options.write_timeout));

  Authenticator* authenticator = server->authenticator_.get();
  absl::Duration keepalive = options.watch_keepalive;
  std::shared_ptr<std::atomic<bool>> stopping = server->stopping_;
  auto serve = [handler, authenticator, keepalive, stopping](const httplib::Request& req,
                                                             httplib::Response& res) {
    if (authenticator != nullptr && !IsPublicPath(req.path)) {
      absl::StatusOr<UserInfo> user =
          authenticator->Authenticate(req.get_header_value("Authorization"), req.ssl);
      if (!user.ok()) {
        res.status = 401;
        res.set_content(UnauthorizedStatusJson(), "application/json");
        return;
      }
    }
    Response response = handler->Handle(ToRequest(req));
    res.status = response.code;
    for (const std::string& w : response.warnings) res.set_header("Warning", QuoteWarning(w));
    for (const auto& [name, value] : response.headers) res.set_header(name, value);
    if (response.stream != nullptr) {
      std::shared_ptr<EventStream> stream(std::move(response.stream));
      auto last_write = std::make_shared<absl::Time>(absl::Now());
      res.set_header("Cache-Control", "no-cache, private");
      res.set_chunked_content_provider(
          response.content_type,
          [stream, keepalive, stopping, last_write](size_t, httplib::DataSink& sink) {
            // Short waits so that a stopping server ends its watches promptly.
            absl::StatusOr<std::string> chunk = stream->Next(absl::Now() + absl::Seconds(1));
            if (stopping->load()) {
              sink.done();
              return true;
            }
            if (chunk.ok()) {
              *last_write = absl::Now();
              return sink.write(chunk->data(), chunk->size());
            }
            if (absl::IsDeadlineExceeded(chunk.status())) {
              if (absl::Now() - *last_write < keepalive) return true;
              // Whitespace between JSON values is skipped by watch decoders; writing it tells
              // whether the client is still there.
              *last_write = absl::Now();
              return sink.write("\n", 1);
            }
            sink.done();
            return true;
          });
      return;
    }
    res.set_content(std::move(response.body), response.content_type);
  };
  http.Get(".*", serve);
  http.Post(".*", serve);
  http.Put(".*", serve);
  http.Patch(".*", serve);
  http.Delete(".*", serve);
  http.Options(".*", serve);
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413) {
      res.set_content(
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          "\"message\":\"Request entity too large: limit is 3145728\",\"reason\":"
          "\"RequestEntityTooLarge\",\"code\":413}",
          "application/json");
    }
  });

  if (port == 0) {
    port = http.bind_to_any_port(server->host_);
    if (port < 0) {
      return absl::UnavailableError(
          dra::StrCat("cannot listen on ", options.listen, ": bind failed"));
    }
  } else if (!http.bind_to_port(server->host_, port)) {
    return absl::UnavailableError(
        dra::StrCat("cannot listen on ", options.listen, ": address in use or not available"));
  }
  server->port_ = port;
  server->options_ = std::move(options);
  httplib::Server* raw = server->server_.get();
  server->thread_ = std::thread([raw] { raw->listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop runs: wait for it, so that a Stop right
  // after Start cannot leave the loop running.
  for (int i = 0; i < 5000 && !raw->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return server;
}

HttpServer::~HttpServer() { Stop(); }

std::string HttpServer::url() const {
  std::string host = host_ == "0.0.0.0" || host_.empty() ? "127.0.0.1" : host_;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return dra::StrCat(options_.insecure_http ? "http" : "https", "://", host, ":", port_);
}

void HttpServer::Stop() {
  stopping_->store(true);
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dra::apiserver
