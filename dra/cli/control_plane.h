// The control plane of `dra server` and `dra up` in one process: the API server and, as its
// clients (as kube-scheduler and kube-controller-manager are, but through the loopback transport
// instead of sockets), the scheduler and the
// ResourceClaim, device taint eviction, ReplicaSet and Deployment controllers, and the gauges of
// claims and devices by state (controllers::ClusterMetrics) for /metrics.
//
// Thread-compatible: Start, then Stop (or destruction) from one thread.
#ifndef DRA_CLI_CONTROL_PLANE_H_
#define DRA_CLI_CONTROL_PLANE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "dra/apiserver/server.h"
#include "dra/cli/loopback_transport.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/cluster_metrics.h"
#include "dra/controllers/device_taint_eviction.h"
#include "dra/controllers/resourceclaim_controller.h"
#include "dra/controllers/workload_controllers.h"
#include "dra/scheduler/scheduler.h"

namespace dra::cli {

struct ControlPlaneOptions {
  apiserver::ServerConfig server;
  bool scheduler = true;
  bool controllers = true;
};

class ControlPlane {
 public:
  // Starts everything; on failure stops what was started. The error names the component
  // ("scheduler: ...", "resourceclaim controller: ...").
  static absl::StatusOr<std::unique_ptr<ControlPlane>> Start(ControlPlaneOptions options);
  ~ControlPlane();

  // Components first (their client connections closed, so the server has no idle keep-alive
  // connection to wait for), then the server. Idempotent.
  void Stop();

  apiserver::ApiServer& server() { return *server_; }
  // A new client of the server with its admin kubeconfig, over HTTP(S).
  absl::StatusOr<std::unique_ptr<client::RestClient>> NewClient(const std::string& user_agent,
                                                                int max_connections = 8) const;
  // A new client that reaches the server in-process (loopback_transport.h), as the components
  // do; it must not outlive the control plane.
  absl::StatusOr<std::unique_ptr<client::RestClient>> NewLoopbackClient(
      const std::string& user_agent) const;

 private:
  ControlPlane() = default;

  std::unique_ptr<apiserver::ApiServer> server_;
  std::unique_ptr<LoopbackTransport> loopback_;
  std::unique_ptr<client::RestClient> self_;
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  std::unique_ptr<controllers::ResourceClaimController> claim_controller_;
  std::unique_ptr<controllers::DeviceTaintEvictionController> taint_controller_;
  std::unique_ptr<controllers::ReplicaSetController> replicaset_controller_;
  std::unique_ptr<controllers::DeploymentController> deployment_controller_;
  std::unique_ptr<controllers::ClusterMetrics> cluster_metrics_;
};

}  // namespace dra::cli

#endif  // DRA_CLI_CONTROL_PLANE_H_
