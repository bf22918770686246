#include "dra/apiserver/server.h"

#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "dra/apiserver/errors.h"
#include "dra/apiserver/ui/ui.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/store/etcd_store.h"
#include "dra/store/sqlite_store.h"

namespace dra::apiserver {
namespace {

absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(const ServerConfig& config) {
  if (config.storage == "sqlite" || config.storage.empty()) {
    DRA_ASSIGN_OR_RETURN(auto s, store::SqliteStore::Open(config.data_dir));
    return std::unique_ptr<store::Store>(std::move(s));
  }
  if (config.storage.starts_with("etcd://")) {
    std::string endpoints = config.storage.substr(7);
    std::string first = endpoints.substr(0, endpoints.find(','));
    size_t colon = first.rfind(':');
    store::EtcdStore::Options options;
    if (colon == std::string::npos) {
      options.host = first;
    } else {
      options.host = first.substr(0, colon);
      if (!absl::SimpleAtoi(first.substr(colon + 1), &options.port)) {
        return absl::InvalidArgumentError(
            dra::StrCat("--storage ", GoQuote(config.storage), ": invalid port"));
      }
    }
    DRA_ASSIGN_OR_RETURN(auto s, store::EtcdStore::Open(options));
    return std::unique_ptr<store::Store>(std::move(s));
  }
  return absl::InvalidArgumentError(dra::StrCat("--storage ", GoQuote(config.storage),
                                                ": expected sqlite or etcd://host:port[,...]"));
}

std::string ListenHost(const std::string& listen) {
  size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ApiServer>> ApiServer::Start(ServerConfig config) {
  std::unique_ptr<ApiServer> server(new ApiServer());
  if (config.data_dir.empty()) return absl::InvalidArgumentError("--data-dir is required");
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return absl::UnavailableError(
        dra::StrCat("cannot create --data-dir ", config.data_dir, ": ", ec.message()));
  }
  if (config.kubeconfig_out.empty()) {
    config.kubeconfig_out = (std::filesystem::path(config.data_dir) / "kubeconfig").string();
  }
  DRA_ASSIGN_OR_RETURN(server->store_, OpenStore(config));

  HttpServerOptions http_options;
  http_options.listen = config.listen;
  http_options.insecure_http = config.insecure_http;
  if (!config.insecure_http) {
    std::vector<std::string> hosts;
    std::string host = ListenHost(config.listen);
    if (!host.empty() && host != "0.0.0.0" && host != "::") hosts.push_back(host);
    DRA_ASSIGN_OR_RETURN(
        Credentials credentials,
        LoadOrCreateCredentials(std::filesystem::path(config.data_dir) / "pki", hosts));
    server->credentials_ = std::make_unique<Credentials>(std::move(credentials));
    http_options.credentials = server->credentials_.get();
    http_options.tokens = {server->credentials_->admin_token};
  }
  config.handler.server_address = config.listen;
  server->handler_ = std::make_unique<Handler>(server->store_.get(), config.handler);

  // The namespaces every cluster has.
  const ResourceType& namespaces = *FindResourceByKind("", "Namespace");
  for (std::string_view name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    if (server->handler_->registry().Get(namespaces, "", name).ok()) continue;
    api::Value ns = api::Value::Object();
    ns.Set("apiVersion", api::Value::String("v1"));
    ns.Set("kind", api::Value::String("Namespace"));
    api::Value meta = api::Value::Object();
    meta.Set("name", api::Value::String(std::string(name)));
    ns.Set("metadata", std::move(meta));
    absl::StatusOr<api::Value> created = server->handler_->registry().Create(
        namespaces, "", std::move(ns), {.field_manager = "dra-server"});
    if (!created.ok() && !absl::IsAlreadyExists(created.status())) return created.status();
  }

  server->controllers_ = std::make_unique<Controllers>(&server->handler_->registry());
  DRA_RETURN_IF_ERROR(server->controllers_->Start());
  DRA_ASSIGN_OR_RETURN(server->http_,
                       HttpServer::Start(server->handler_.get(), std::move(http_options)));
  std::string url = server->http_->url();
  DRA_RETURN_IF_ERROR(WriteKubeconfig(config.kubeconfig_out, url, server->credentials_.get()));
  server->kubeconfig_path_ = config.kubeconfig_out;
  server->config_ = std::move(config);
  server->compactor_ = std::thread([s = server.get()] { s->CompactLoop(); });
  return server;
}

ApiServer::~ApiServer() { Stop(); }

std::string ApiServer::ui_url() const {
  return ui::PageUrl(url(), credentials_ == nullptr ? "" : credentials_->admin_token);
}

void ApiServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (compactor_.joinable()) compactor_.join();
  if (http_ != nullptr) http_->Stop();
  if (controllers_ != nullptr) controllers_->Stop();
}

void ApiServer::CompactLoop() {
  // Compacts to the revision seen one history period ago, so that at least that much history
  // stays available to watches.
  int64_t previous = -1;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, absl::ToChronoSeconds(config_.history), [this] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    absl::StatusOr<int64_t> current = store_->CurrentRevision();
    if (previous > 0) (void)store_->Compact(previous);
    if (current.ok()) previous = *current;
    lock.lock();
  }
}

}  // namespace dra::apiserver
