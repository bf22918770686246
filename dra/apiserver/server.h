// `dra server` assembled: storage (SQLite in the data directory, or etcd), credentials and the
// kubeconfig, the REST handler, the in-process controllers, the HTTP(S) listener, the default
// namespaces and periodic compaction of the store's history.
//
// Thread-safe: Start and Stop from any thread.
#ifndef DRA_APISERVER_SERVER_H_
#define DRA_APISERVER_SERVER_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dra/apiserver/controllers.h"
#include "dra/apiserver/handler.h"
#include "dra/apiserver/http_server.h"
#include "dra/apiserver/tls/tls.h"
#include "dra/store/store.h"

namespace dra::apiserver {

struct ServerConfig {
  std::string listen = "127.0.0.1:6443";
  // Holds store.db (SQLite), the credentials (pki/) and the kubeconfig.
  std::string data_dir;
  // "sqlite" or "etcd://host:port[,host:port...]" (the first endpoint is used).
  std::string storage = "sqlite";
  // Default: <data_dir>/kubeconfig.
  std::string kubeconfig_out;
  bool insecure_http = false;
  // Writes older than this are compacted out of the history (watches from before them get 410).
  absl::Duration history = absl::Minutes(5);
  HandlerOptions handler;
};

class ApiServer {
 public:
  static absl::StatusOr<std::unique_ptr<ApiServer>> Start(ServerConfig config);
  ~ApiServer();

  std::string url() const { return http_->url(); }
  // The web page's address: url() + "/ui", with the admin token in the fragment
  // ("#token=...") unless the server runs without authentication.
  std::string ui_url() const;
  const std::string& kubeconfig_path() const { return kubeconfig_path_; }
  Handler& handler() { return *handler_; }
  store::Store& store() { return *store_; }

  void Stop();

 private:
  ApiServer() = default;
  void CompactLoop();

  ServerConfig config_;
  std::string kubeconfig_path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Credentials> credentials_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<Controllers> controllers_;
  std::unique_ptr<HttpServer> http_;
  std::thread compactor_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_SERVER_H_
