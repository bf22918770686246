// The scheduler: a client of any Kubernetes API server (dra's own, inside `dra server`, or a
// real cluster's, as `dra scheduler`). It watches nodes, ResourceSlices, DeviceClasses,
// ResourceClaims and pods, feeds a ClusterState, and for every pod of its scheduler name that has
// no node: writes the claims the decision allocates or reserves (resourceclaims/status, with
// optimistic concurrency), then binds the pod (pods/binding). Pods that cannot be scheduled get
// PodScheduled=False with reason Unschedulable and the explanation as the message, plus a
// FailedScheduling event; they are retried when nodes, slices, classes or claims change.
//
// Binding is asynchronous, as upstream's: once a pod is decided, its claims are assumed and the
// claim writes and the binding run on a pool of binding workers while the scheduling thread goes
// on with the next pod. Until its binding has ended (and, when it succeeded, until the pod is
// observed with its node), the pod is not decided again. A claim being written for one pod is not
// used in another pod's decision until that write has ended; the other pod waits and is queued
// again then. A failed claim write un-assumes the claims of that pod only (no other pod can hold
// an assumption of them at that time) and queues the pod again.
//
// Binding conditions (KEP-5007, DRADeviceBindingConditions): when an allocated device of a
// written claim lists bindingConditions, the pod is bound only once every one of those
// conditions is True in the claim's status.devices[] entry of that device. When one of its
// bindingFailureConditions is True, or options.binding_timeout passes first, the pod is removed
// from the claim's reservedFor, the claim is deallocated when no other consumer is left, and the
// pod is scheduled again.
//
// Thread-safe: Start and Stop from any thread; scheduling runs on one internal thread, binding
// on options.bind_workers threads, informer callbacks update the ClusterState under a mutex.
#ifndef DRA_SCHEDULER_SCHEDULER_H_
#define DRA_SCHEDULER_SCHEDULER_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/client/informer.h"
#include "dra/client/rest_client.h"
#include "dra/scheduler/cluster_state.h"

namespace dra::scheduler {

struct SchedulerOptions {
  // Pods with this spec.schedulerName are ours.
  std::string scheduler_name = "default-scheduler";
  allocator::Features features;
  // Unschedulable pods are tried again at least this often, even without cluster changes.
  absl::Duration retry_interval = absl::Seconds(30);
  // Written into events and managedFields.
  std::string component = "dra-scheduler";
  // Threads that write claims and bind pods (each holds at most one client connection).
  int bind_workers = 8;
  // How long a pod waits for the binding conditions of its devices (upstream's
  // DynamicResourcesArgs.bindingTimeout).
  absl::Duration binding_timeout = absl::Seconds(600);
  // Watch DeviceTaintRules (resource.k8s.io/v1beta2) and apply them to devices (only when the
  // API server serves them: a 404 on the first list turns this off).
  bool device_taint_rules = true;
};

class Scheduler {
 public:
  Scheduler(client::RestClient* client, SchedulerOptions options = {});
  ~Scheduler();

  // Starts the informers, the scheduling thread and the binding workers; returns once the
  // caches have synced (DeadlineExceeded after 30 s).
  absl::Status Start();
  // Stops the threads; bindings not started yet are dropped.
  void Stop();

  // Pods bound so far.
  int64_t scheduled_count() const { return scheduled_.load(); }
  int64_t unschedulable_count() const { return unschedulable_.load(); }
  // Pods whose binding conditions failed or timed out (their claims were released).
  int64_t binding_failures() const { return binding_failures_.load(); }

 private:
  // One unit of work of a binding worker.
  struct BindJob {
    enum class Step {
      kWrite,  // write the claims, then bind (or wait for binding conditions)
      kBind,   // the binding conditions are met: bind
      kUndo,   // a binding condition failed or timed out: release the claims, retry the pod
    };
    Step step = Step::kWrite;
    api::Pod pod;
    Decision decision;
    std::string reason;  // kUndo: why
  };
  // A pod whose claims are written and whose devices' binding conditions are not all met.
  struct AwaitingConditions {
    api::Pod pod;
    Decision decision;
    absl::Time deadline;
  };

  void Run();
  void BindLoop();
  // Decides and hands a scheduled pod to the binding workers; returns whether the pod should be
  // retried after a cluster change.
  // Decides for `pod`; true when it is unschedulable and should be parked. `decided_at` gets the
  // retry count at the decision (see retries_).
  bool ScheduleOne(const api::Pod& pod, uint64_t* decided_at);
  // Scheduling attempt metrics (scheduler_schedule_attempts_total, ..._duration_seconds,
  // dra_allocations_total).
  void RecordAttempt(const absl::StatusOr<Decision>& decision, absl::Duration took);
  void Write(BindJob& job);
  void Bind(const BindJob& job);
  void Undo(const BindJob& job);
  // The binding of `key` has ended: its claims may be used by other pods again.
  void EndBinding(const api::Pod& pod, const Decision& decision, bool keep_pod_blocked)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Checks a pod waiting for binding conditions; schedules its binding or its undo.
  void CheckConditions(const std::string& pod_key, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void PushJob(BindJob job) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnClaimChanged(const std::string& claim_key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MarkUnschedulable(const api::Pod& pod, const std::string& message);
  // Creates the special claim of extended resources with its allocation and records it in the
  // pod's status; false (undone) when a write failed.
  bool WriteExtendedClaim(const api::Pod& pod, const Decision& decision);
  void Enqueue(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RetryParked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Parks the unschedulable pod `key` until the next cluster change, or queues it again at once
  // when one came since `decided_at` (retries_ when its attempt began).
  void ParkLocked(const std::string& key, uint64_t decided_at) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  client::RestClient* client_;
  SchedulerOptions options_;
  std::vector<std::unique_ptr<client::Informer>> informers_;
  client::Informer* pods_ = nullptr;

  absl::Mutex mu_;
  ClusterState state_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);  // "ns/name" of pods to try
  std::set<std::string> queued_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> parked_ ABSL_GUARDED_BY(mu_);  // waiting for a change
  uint64_t retries_ ABSL_GUARDED_BY(mu_) = 0;          // RetryParked calls so far
  // Pods whose binding is in flight, or done but not yet observed: key -> uid.
  std::map<std::string, std::string> binding_ ABSL_GUARDED_BY(mu_);
  // Claims ("ns/name") being written for a pod whose binding has not ended -> that pod's uid.
  std::map<std::string, std::string> writing_claims_ ABSL_GUARDED_BY(mu_);
  // Pods waiting for a claim to appear or for its write to end, by claim key.
  std::map<std::string, std::set<std::string>> waiting_for_claim_ ABSL_GUARDED_BY(mu_);
  // Pods waiting for binding conditions, by pod key; and their claims -> pod key.
  std::map<std::string, AwaitingConditions> awaiting_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> awaiting_claims_ ABSL_GUARDED_BY(mu_);
  std::deque<BindJob> jobs_ ABSL_GUARDED_BY(mu_);
  // A binding-condition deadline was added: the scheduling thread recomputes when to wake.
  bool deadlines_changed_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  std::vector<std::thread> binders_;
  std::atomic<int64_t> scheduled_{0};
  std::atomic<int64_t> unschedulable_{0};
  int pending_collector_ = 0;  // metrics collector id (scheduler_pending_pods)
  std::atomic<int64_t> binding_failures_{0};
};

}  // namespace dra::scheduler

#endif  // DRA_SCHEDULER_SCHEDULER_H_
