// The kubelet's part of DRA for pods bound to one node, for clusters without a kubelet (`dra
// server`, `dra up`): what a kubelet does between "pod bound" and "pod running" and back.
//
// For every pod with spec.nodeName == node that is not terminating or done:
// - resolves its claims (spec.resourceClaims: resourceClaimName, or the generated name from
//   status.resourceClaimStatuses; plus the extended-resource claim of
//   status.extendedResourceClaimStatus) and GETs each one; waits while a claim is missing, not
//   allocated, or does not list the pod in status.reservedFor (the kubelet's "pod is not allowed
//   to use resource claim" check);
// - calls NodePrepareResources of every driver named by the allocation results, with all the
//   pod's claims of that driver, as the kubelet does over gRPC (here in-process); a driver that
//   is not registered on this node or a per-claim error is reported as a
//   FailedPrepareDynamicResources Event on the pod and retried with backoff (1 s doubling to
//   30 s);
// - then writes the pod status as a kubelet would: phase Running, the Initialized /
//   PodReadyToStartContainers / ContainersReady / Ready / PodScheduled conditions, hostIP, a
//   podIP, startTime, and containerStatuses (running, ready) with allocatedResourcesStatus:
//   for each container claim `claim:<name>[/<request>]` the devices `<driver>/<pool>/<device>`
//   with their health (Healthy, Unhealthy, Unknown) from the health source. The status is
//   rewritten when the health of a device changes (HealthChanged()).
// When the pod is deleted, terminating or done, its claims are unprepared once no other pod
// of this node uses them. After the first sync, claims that drivers report as prepared but
// that no pod of the node uses are unprepared (cleanup after a restart).
//
// Thread-safe: Start/Stop/HealthChanged from any thread. One worker thread does all API calls;
// informer handlers only mark pods dirty.
#ifndef DRA_DRIVER_AGENT_KUBELET_SIMULATOR_H_
#define DRA_DRIVER_AGENT_KUBELET_SIMULATOR_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/core_types.h"
#include "dra/api/resource_types.h"
#include "dra/client/informer.h"
#include "dra/client/rest_client.h"
#include "dra/driver/grpc/plugin_handler.h"

namespace dra::driver {

// One driver registered on the node, as the kubelet sees it.
struct RegisteredDriver {
  KubeletPluginHandler* handler = nullptr;  // not owned; outlives the simulator
  // The claims the driver has prepared now (for the cleanup after a restart); may be empty.
  std::function<std::vector<ClaimRef>()> prepared_claims;
};

struct KubeletSimulatorOptions {
  std::string node_name;
  std::string host_ip = "10.0.0.1";
  absl::Duration min_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(30);
  // Health of a device ("Healthy", "Unhealthy", "Unknown"); everything Healthy when empty.
  std::function<std::string(const std::string& driver, const std::string& pool,
                            const std::string& device)>
      device_health;
};

class KubeletSimulator {
 public:
  // `client` must outlive the simulator.
  KubeletSimulator(client::RestClient* client, KubeletSimulatorOptions options,
                   std::map<std::string, RegisteredDriver> drivers);
  ~KubeletSimulator();

  KubeletSimulator(const KubeletSimulator&) = delete;
  KubeletSimulator& operator=(const KubeletSimulator&) = delete;

  void Start();
  void Stop();
  // Re-reports allocatedResourcesStatus of the running pods.
  void HealthChanged();

  // Pods (ns/name) whose claims are prepared and whose status says Running.
  std::vector<std::string> RunningPods() const;

 private:
  struct PreparedClaim {
    ClaimRef ref;
    std::set<std::string> drivers;
    std::set<std::string> pod_uids;
  };
  struct PodState {
    std::string uid;
    std::set<std::string> claim_uids;  // prepared for this pod
    bool running = false;
    std::string last_event;  // message of the last event posted (no repeats)
  };

  void Run();
  void MarkDirty(const std::string& key);
  // Processes one pod key; false when it should be retried.
  bool Sync(const std::string& key);
  absl::Status PreparePod(const api::Pod& pod, std::vector<api::ResourceClaim>* claims);
  absl::Status WriteRunningStatus(const api::Pod& pod,
                                  const std::vector<api::ResourceClaim>& claims);
  void ReleasePod(const std::string& key);
  void CleanupUnusedClaims();
  void PostEvent(const api::Pod& pod, const std::string& reason, const std::string& message);

  client::RestClient* const client_;
  const KubeletSimulatorOptions options_;
  const std::map<std::string, RegisteredDriver> drivers_;
  std::unique_ptr<client::Informer> pods_;

  mutable absl::Mutex mu_;
  std::set<std::string> dirty_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Time> retry_at_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Duration> backoff_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  // Worker-thread state, read by RunningPods under mu_.
  std::map<std::string, PodState> pods_state_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, PreparedClaim> prepared_ ABSL_GUARDED_BY(mu_);
  std::thread worker_;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_AGENT_KUBELET_SIMULATOR_H_
