// Minimal Deployment and ReplicaSet controllers of kube-controller-manager
// (pkg/controller/deployment, pkg/controller/replicaset), as clients of any Kubernetes API
// server, so that workloads whose pod templates use ResourceClaimTemplates make pods (the
// ResourceClaim controller and the scheduler then give each pod its claims and node).
//
// ReplicaSetController, for each ReplicaSet not being deleted:
// - Its pods are the active pods (not being deleted, phase neither Succeeded nor Failed) of
//   its namespace that match spec.selector and whose controller ownerReference has its uid.
//   Orphans are not adopted and pods of other controllers are left alone.
// - Missing pods are created from spec.template: generateName "<rs>-", the template's labels,
//   annotations and spec, ownerReferences [{apps/v1 ReplicaSet, name, uid, controller: true,
//   blockOwnerDeletion: true}]. Surplus pods are deleted, unscheduled before scheduled,
//   Pending before Unknown before Running, not ready before ready, newest first.
// - Pods created or deleted but not yet seen so by the pod informer are remembered (upstream's
//   expectations, by pod name, forgotten after `expectation_timeout`), so a sync never creates
//   or deletes twice.
// - status (replicasets/status): replicas, fullyLabeledReplicas, readyReplicas (Ready
//   condition True), availableReplicas (ready for spec.minReadySeconds), observedGeneration.
//
// DeploymentController, for each Deployment not being deleted and not paused:
// - The pod-template-hash of spec.template (plus status.collisionCount) is upstream's shape:
//   FNV-32a of the template (here its canonical JSON, keys sorted), the decimal number mapped
//   to the characters "bcdfghjklmnpqrstvwxz2456789".
// - Its ReplicaSets are those whose controller ownerReference has its uid. The new one is the
//   one whose template equals spec.template ignoring the pod-template-hash label; when there is
//   none, "<deployment>-<hash>" is created with the template (label pod-template-hash added to
//   its labels, to the selector's matchLabels and to the ReplicaSet's labels), an owner
//   reference to the deployment and annotations deployment.kubernetes.io/revision (the highest
//   revision of its ReplicaSets plus one), desired-replicas and max-replicas. A name taken by
//   a ReplicaSet of someone else bumps status.collisionCount (and the hash).
// - Older ReplicaSets are scaled to 0. RollingUpdate (the default) scales the new one to
//   spec.replicas at the same time (neither maxSurge nor maxUnavailable is enforced); Recreate
//   waits until the older ones report no pods. Old ReplicaSets with no replicas beyond
//   spec.revisionHistoryLimit (default 10) are deleted, oldest revision first.
// - The deployment's deployment.kubernetes.io/revision annotation follows its new ReplicaSet.
// - status (deployments/status): replicas, updatedReplicas, readyReplicas,
//   availableReplicas, unavailableReplicas, observedGeneration, collisionCount.
// Not done (upstream has them): adoption and release of orphans, conditions, progress
// deadlines, rollback annotations, paused rollouts beyond skipping the sync, Events, metrics.
//
// Writes carry the cached resourceVersion; conflicts and other errors are retried with
// per-key exponential backoff.
//
// Thread-safe: Start, Stop and the accessors may be called from any thread. Informer
// handlers only update small indexes and enqueue keys; each controller has one worker thread
// that does all of its API writes.
#ifndef DRA_CONTROLLERS_WORKLOAD_CONTROLLERS_H_
#define DRA_CONTROLLERS_WORKLOAD_CONTROLLERS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/value.h"
#include "dra/client/informer.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/internal/work_queue.h"

namespace dra::controllers {

// Label of a ReplicaSet and its pods with the hash of the deployment's template
// (apps/v1 DefaultDeploymentUniqueLabelKey).
inline constexpr std::string_view kPodTemplateHashLabel = "pod-template-hash";
inline constexpr std::string_view kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr std::string_view kDesiredReplicasAnnotation =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr std::string_view kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
// Field managers of the controllers' writes.
inline constexpr std::string_view kReplicaSetControllerName = "replicaset-controller";
inline constexpr std::string_view kDeploymentControllerName = "deployment-controller";

struct WorkloadControllerOptions {
  // Watch only this namespace ("" for all).
  std::string ns;
  // Retry backoff per work item (doubles from min to max).
  absl::Duration min_retry_backoff = absl::Milliseconds(5);
  absl::Duration max_retry_backoff = absl::Seconds(30);
  // Informer settings (backoff, watch timeout); `ns` above overrides theirs.
  client::InformerOptions informer;
  // ReplicaSetController: pods created or deleted per sync at most (upstream burstReplicas).
  int burst_replicas = 500;
  // ReplicaSetController: how long a create or delete not yet seen by the informer is
  // remembered (upstream ExpectationsTimeout).
  absl::Duration expectation_timeout = absl::Minutes(5);
};

// Everything the two controllers share: informers, queue, worker, error bookkeeping.
class WorkloadControllerBase {
 public:
  using Options = WorkloadControllerOptions;

  WorkloadControllerBase(const WorkloadControllerBase&) = delete;
  WorkloadControllerBase& operator=(const WorkloadControllerBase&) = delete;

  // Starts the informers and the worker, which begins once every informer synced.
  // FailedPrecondition when already started or stopped.
  absl::Status Start();
  // Stops the informers and the worker (an in-flight request completes first). Idempotent;
  // a controller cannot be restarted (create a new one).
  void Stop();
  // Whether every informer has synced, waiting until `deadline`.
  bool WaitForSync(absl::Time deadline);

  int64_t syncs() const { return syncs_.load(); }
  int64_t sync_errors() const { return sync_errors_.load(); }
  // The last error of a work item (OK when none yet).
  absl::Status last_error() const;

 protected:
  // `client` must outlive the controller. Nothing runs before Start().
  WorkloadControllerBase(client::RestClient* client, Options options, std::string_view name);
  // Subclasses' destructors must call Stop() (the worker calls Sync).
  virtual ~WorkloadControllerBase();

  // Creates the informers (AddInformer) and registers handlers; called once by Start with
  // mu_ held (it must not call back into the base class's locked methods).
  virtual void SetUpInformers(const client::InformerOptions& informer_options) = 0;
  virtual absl::Status Sync(std::string_view ns, std::string_view name) = 0;

  // Adds an informer (SetUpInformers only); the base starts, waits for and stops it.
  client::Informer* AddInformer(const client::ResourceRef& ref,
                                const client::InformerOptions& informer_options);
  void Enqueue(std::string_view ns, std::string_view name);
  void EnqueueAfter(std::string_view ns, std::string_view name, absl::Duration delay);

  client::RestClient* const client_;
  const Options options_;

 private:
  void Run();

  const std::string name_;
  internal::WorkQueue queue_;
  // Filled by Start under mu_ before started_ is set (and before the worker and informers
  // run); read-only afterwards, so readers that saw started_ need no lock.
  std::vector<std::unique_ptr<client::Informer>> informers_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);

  std::atomic<bool> stopping_{false};
  std::thread worker_;
  std::atomic<int64_t> syncs_{0};
  std::atomic<int64_t> sync_errors_{0};
};

class ReplicaSetController : public WorkloadControllerBase {
 public:
  explicit ReplicaSetController(client::RestClient* client, Options options = {});
  ~ReplicaSetController() override;

  int64_t pods_created() const { return pods_created_.load(); }
  int64_t pods_deleted() const { return pods_deleted_.load(); }
  int64_t status_updates() const { return status_updates_.load(); }

 private:
  // Creates and deletes not yet observed by the pod informer, of one ReplicaSet.
  struct Expectations {
    std::map<std::string, absl::Time> creates;  // pod name -> when
    std::map<std::string, absl::Time> deletes;
  };

  void SetUpInformers(const client::InformerOptions& informer_options) override;
  absl::Status Sync(std::string_view ns, std::string_view name) override;
  void OnPod(const api::Value& object, bool deleted);

  client::Informer* replicasets_ = nullptr;
  client::Informer* pods_ = nullptr;

  absl::Mutex expectations_mu_;
  // By ReplicaSet key "ns/name".
  std::map<std::string, Expectations> expectations_ ABSL_GUARDED_BY(expectations_mu_);

  std::atomic<int64_t> pods_created_{0};
  std::atomic<int64_t> pods_deleted_{0};
  std::atomic<int64_t> status_updates_{0};
};

class DeploymentController : public WorkloadControllerBase {
 public:
  explicit DeploymentController(client::RestClient* client, Options options = {});
  ~DeploymentController() override;

  int64_t replicasets_created() const { return replicasets_created_.load(); }
  int64_t replicasets_scaled() const { return replicasets_scaled_.load(); }
  int64_t replicasets_deleted() const { return replicasets_deleted_.load(); }
  int64_t status_updates() const { return status_updates_.load(); }

  // The pod-template-hash of a pod template (a JSON object) and collision count.
  static std::string ComputeHash(const api::Value& pod_template, int64_t collision_count);

 private:
  void SetUpInformers(const client::InformerOptions& informer_options) override;
  absl::Status Sync(std::string_view ns, std::string_view name) override;
  void OnReplicaSet(const api::Value& object);

  client::Informer* deployments_ = nullptr;
  client::Informer* replicasets_ = nullptr;

  std::atomic<int64_t> replicasets_created_{0};
  std::atomic<int64_t> replicasets_scaled_{0};
  std::atomic<int64_t> replicasets_deleted_{0};
  std::atomic<int64_t> status_updates_{0};
};

}  // namespace dra::controllers

#endif  // DRA_CONTROLLERS_WORKLOAD_CONTROLLERS_H_
