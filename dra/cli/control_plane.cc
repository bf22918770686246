#include "dra/cli/control_plane.h"

#include <string_view>
#include <utility>

#include "dra/base/strings.h"
#include "dra/client/kubeconfig.h"

namespace dra::cli {

absl::StatusOr<std::unique_ptr<ControlPlane>> ControlPlane::Start(ControlPlaneOptions options) {
  std::unique_ptr<ControlPlane> plane(new ControlPlane());
  absl::StatusOr<std::unique_ptr<apiserver::ApiServer>> server =
      apiserver::ApiServer::Start(options.server);
  if (!server.ok()) return server.status();
  plane->server_ = *std::move(server);
  plane->loopback_ = std::make_unique<LoopbackTransport>(&plane->server_->handler());
  if (!options.scheduler && !options.controllers) return plane;
  // The scheduler and the controllers share this client.
  absl::StatusOr<std::unique_ptr<client::RestClient>> self = plane->NewLoopbackClient("dra-server");
  if (!self.ok()) return self.status();
  plane->self_ = *std::move(self);
  client::RestClient* client = plane->self_.get();
  if (options.controllers) {
    plane->claim_controller_ = std::make_unique<controllers::ResourceClaimController>(client);
    plane->taint_controller_ = std::make_unique<controllers::DeviceTaintEvictionController>(client);
    plane->replicaset_controller_ = std::make_unique<controllers::ReplicaSetController>(client);
    plane->deployment_controller_ = std::make_unique<controllers::DeploymentController>(client);
    plane->cluster_metrics_ = std::make_unique<controllers::ClusterMetrics>(client);
    for (auto [name, started] : {std::pair<std::string_view, absl::Status>{
                                     "resourceclaim", plane->claim_controller_->Start()},
                                 {"device-taint-eviction", plane->taint_controller_->Start()},
                                 {"replicaset", plane->replicaset_controller_->Start()},
                                 {"deployment", plane->deployment_controller_->Start()}}) {
      if (!started.ok()) {
        return absl::Status(started.code(), StrCat(name, " controller: ", started.message()));
      }
    }
  }
  if (options.scheduler) {
    plane->scheduler_ = std::make_unique<scheduler::Scheduler>(client);
    if (absl::Status started = plane->scheduler_->Start(); !started.ok()) {
      return absl::Status(started.code(), StrCat("scheduler: ", started.message()));
    }
  }
  return plane;
}

ControlPlane::~ControlPlane() { Stop(); }

void ControlPlane::Stop() {
  cluster_metrics_.reset();
  scheduler_.reset();
  claim_controller_.reset();
  taint_controller_.reset();
  deployment_controller_.reset();
  replicaset_controller_.reset();
  self_.reset();
  if (server_ != nullptr) server_->Stop();
}

absl::StatusOr<std::unique_ptr<client::RestClient>> ControlPlane::NewClient(
    const std::string& user_agent, int max_connections) const {
  absl::StatusOr<client::ClusterConfig> cluster =
      client::LoadKubeconfig(server_->kubeconfig_path());
  if (!cluster.ok()) return cluster.status();
  return client::RestClient::Create(*cluster,
                                    {.user_agent = user_agent, .max_connections = max_connections});
}

absl::StatusOr<std::unique_ptr<client::RestClient>> ControlPlane::NewLoopbackClient(
    const std::string& user_agent) const {
  absl::StatusOr<client::ClusterConfig> cluster =
      client::LoadKubeconfig(server_->kubeconfig_path());
  if (!cluster.ok()) return cluster.status();
  return client::RestClient::Create(*cluster,
                                    {.user_agent = user_agent, .transport = loopback_.get()});
}

}  // namespace dra::cli
