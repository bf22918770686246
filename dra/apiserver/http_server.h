// Binds the REST handler to HTTP(S) sockets with cpp-httplib: TLS with the server's credentials
// (or plain HTTP when asked), authentication of every request (bearer token or client
// certificate; 401 otherwise, except for the health endpoints and the /ui page's static
// files), chunked streaming of watches, limits (request body, read/write timeouts, worker
// threads).
//
// Thread-safe: Start/Stop from any thread; requests are served on an internal thread pool.
#ifndef DRA_APISERVER_HTTP_SERVER_H_
#define DRA_APISERVER_HTTP_SERVER_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dra/apiserver/handler.h"
#include "dra/apiserver/tls/tls.h"

namespace httplib {
class Server;
}

namespace dra::apiserver {

struct HttpServerOptions {
  // "host:port"; port 0 picks a free port.
  std::string listen = "127.0.0.1:6443";
  // Serve plain HTTP without authentication (local experiments only).
  bool insecure_http = false;
  // Required unless insecure_http: the serving certificate and the CA for client certificates.
  const Credentials* credentials = nullptr;
  // Bearer tokens accepted (as the admin user).
  std::vector<std::string> tokens;
  // Worker threads; each open connection (and so each watch) holds one. Leave room above
  // HandlerOptions::max_watches for ordinary requests.
  int threads = 600;
  absl::Duration read_timeout = absl::Seconds(60);
  absl::Duration write_timeout = absl::Seconds(60);
  // Idle watches write a newline this often, which clients skip, to notice closed connections.
  absl::Duration watch_keepalive = absl::Seconds(5);
};

class HttpServer {
 public:
  // Binds the socket and starts serving `handler` (which must outlive the server).
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(Handler* handler,
                                                           HttpServerOptions options);
  ~HttpServer();

  int port() const { return port_; }
  // "https://127.0.0.1:6443" (or http://).
  std::string url() const;
  // Stops accepting and waits for the serving thread (idempotent).
  void Stop();

 private:
  HttpServer() = default;

  HttpServerOptions options_;
  std::string host_;
  int port_ = 0;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<httplib::Server> server_;
  // Set by Stop: open watches end within a second.
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  std::thread thread_;
};

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_HTTP_SERVER_H_
