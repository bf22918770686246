// The scheduler: a client of any Kubernetes API server (dra's own, inside `dra server`, or a
// real cluster's, as `dra scheduler`). It watches nodes, ResourceSlices, DeviceClasses,
// ResourceClaims and pods, feeds a ClusterState, and for every pod of its scheduler name that has
// no node: writes the claims the decision allocates or reserves (resourceclaims/status, with
// optimistic concurrency), then binds the pod (pods/binding). Pods that cannot be scheduled get
// PodScheduled=False with reason Unschedulable and the explanation as the message, plus a
// FailedScheduling event; they are retried when nodes, slices, classes or claims change.
//
// Thread-safe: Start and Stop from any thread; scheduling runs on one internal thread, informer
// callbacks update the ClusterState under a mutex.
#ifndef DRA_SCHEDULER_SCHEDULER_H_
#define DRA_SCHEDULER_SCHEDULER_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

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
};

class Scheduler {
 public:
  Scheduler(client::RestClient* client, SchedulerOptions options = {});
  ~Scheduler();

  // Starts the informers and the scheduling thread; returns once the caches have synced
  // (DeadlineExceeded after 30 s).
  absl::Status Start();
  void Stop();

  int64_t scheduled_count() const { return scheduled_.load(); }
  int64_t unschedulable_count() const { return unschedulable_.load(); }

 private:
  void Run();
  // Decides and acts for one pod; returns whether it should be retried after a change.
  bool ScheduleOne(const api::Pod& pod);
  void MarkUnschedulable(const api::Pod& pod, const std::string& message);
  // Creates the special claim of extended resources with its allocation and records it in the
  // pod's status; false (undone) when a write failed.
  bool WriteExtendedClaim(const api::Pod& pod, const Decision& decision);
  void Enqueue(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RetryParked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  client::RestClient* client_;
  SchedulerOptions options_;
  std::vector<std::unique_ptr<client::Informer>> informers_;
  client::Informer* pods_ = nullptr;

  absl::Mutex mu_;
  ClusterState state_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);  // "ns/name" of pods to try
  std::set<std::string> queued_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> parked_ ABSL_GUARDED_BY(mu_);  // waiting for a change
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  std::atomic<int64_t> scheduled_{0};
  std::atomic<int64_t> unschedulable_{0};
};

}  // namespace dra::scheduler

#endif  // DRA_SCHEDULER_SCHEDULER_H_
