// Test helper: a real `dra server` (dra::apiserver::ApiServer) in-process on 127.0.0.1:0 with a
// temporary data directory, and the ClusterConfig of the kubeconfig it wrote.
//
// For tests only (links dra_apiserver). Thread-compatible.
#ifndef DRA_CLIENT_INTERNAL_TEST_SERVER_H_
#define DRA_CLIENT_INTERNAL_TEST_SERVER_H_

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "dra/apiserver/server.h"
#include "dra/client/kubeconfig.h"
#include "dra/client/rest_client.h"

namespace dra::client::testing {

// A fresh temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "dra_client_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct ServerOptions {
  bool tls = false;
  absl::Duration bookmark_interval = absl::Seconds(60);
};

class TestServer {
 public:
  // Starts the server; on failure `status()` says why and server() is null.
  explicit TestServer(ServerOptions options = {}) {
    apiserver::ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.data_dir = (dir_.path() / "data").string();
    config.insecure_http = !options.tls;
    config.handler.bookmark_interval = options.bookmark_interval;
    absl::StatusOr<std::unique_ptr<apiserver::ApiServer>> server =
        apiserver::ApiServer::Start(std::move(config));
    if (!server.ok()) {
      status_ = server.status();
      return;
    }
    server_ = *std::move(server);
    absl::StatusOr<ClusterConfig> loaded = LoadKubeconfig(server_->kubeconfig_path());
    if (!loaded.ok()) {
      status_ = loaded.status();
      return;
    }
    config_ = *std::move(loaded);
  }
  ~TestServer() {
    if (server_ != nullptr) server_->Stop();
  }

  const absl::Status& status() const { return status_; }
  apiserver::ApiServer* server() { return server_.get(); }
  const ClusterConfig& config() const { return config_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

  std::unique_ptr<RestClient> Client(RestClientOptions options = {}) const {
    absl::StatusOr<std::unique_ptr<RestClient>> client = RestClient::Create(config_, options);
    return client.ok() ? *std::move(client) : nullptr;
  }

  // The store's current revision as a resourceVersion string.
  std::string CurrentResourceVersion() {
    absl::StatusOr<int64_t> rev = server_->store().CurrentRevision();
    return rev.ok() ? std::to_string(*rev) : "";
  }
  // Discards the whole history (watches from older versions get 410).
  absl::Status CompactAll() {
    absl::StatusOr<int64_t> rev = server_->store().CurrentRevision();
    if (!rev.ok()) return rev.status();
    return server_->store().Compact(*rev);
  }

 private:
  TempDir dir_;
  absl::Status status_;
  std::unique_ptr<apiserver::ApiServer> server_;
  ClusterConfig config_;
};

}  // namespace dra::client::testing

#endif  // DRA_CLIENT_INTERNAL_TEST_SERVER_H_
