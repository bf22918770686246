// The device taint eviction controller of kube-controller-manager
// (pkg/controller/devicetainteviction, KEP-5055 "DRA: device taints and tolerations"), as a
// client of any Kubernetes API server.
//
// What it does:
// - Taints of a device: the taints of the device in its ResourceSlice (only slices of the
//   pool's highest generation count) plus the spec.taint of every DeviceTaintRule whose
//   spec.deviceSelector matches the device's driver, pool and device name (every set member
//   must be equal; a rule without a selector matches nothing). A rule also applies to an
//   allocated device that no slice publishes any more. Only taints with effect NoExecute
//   evict; NoSchedule, None and unknown effects never do.
// - Eviction time of an allocated claim: for every allocated device
//   (status.allocation.devices.results[]) and every NoExecute taint of it, the taint's
//   timeAdded (a taint without one counts as added at the Unix epoch) unless a toleration
//   recorded in that result tolerates it: a toleration with effect NoExecute whose key,
//   operator (Equal, the default, or Exists) and value match tolerates forever without
//   tolerationSeconds, else until timeAdded + the smallest matching tolerationSeconds
//   (negative counts as 0). As upstream, a toleration without an effect does not prevent
//   eviction. The claim's time is the earliest over its devices; its reasons are all such
//   taints.
// - Pods: a pod bound to a node (spec.nodeName) is evicted at the earliest eviction time of
//   the claims it uses: spec.resourceClaims resolved through status.resourceClaimStatuses
//   for template entries (such a claim must be owned by the pod), allocated, and reserved for
//   the pod (status.reservedFor has its uid). When the time comes the worker GETs the pod
//   and, unless it was replaced (other uid), is already terminating (deletionTimestamp) or
//   done (phase Succeeded or Failed), emits a Normal Event `DeviceTaintManagerEviction`
//   "Marking for deletion", adds the pod condition DisruptionTarget=True (reason
//   DeletionByDeviceTaintManager, message "Device Taint manager: deleting due to NoExecute
//   taint") with a strategic-merge patch of pods/status, and deletes the pod with a uid
//   precondition. A scheduled eviction that no longer applies (taint removed, rule deleted,
//   toleration, claim deallocated or unreserved) is cancelled with the Event
//   `DeviceTaintManagerEviction` "Cancelling deletion".
// - DeviceTaintRule status (v1.35+): condition EvictionInProgress (observedGeneration = the
//   rule's generation) written with server-side apply of the status (field manager
//   kDeviceTaintEvictionControllerName, forced). For effect NoExecute: True/
//   PodsPendingEviction "<n> pod(s) need(s) to be evicted in <m> namespace(s)." while pods
//   are pending, else False/Completed when this controller evicted pods for the rule, else
//   False/NotStarted. For None: False/NoEffect with the counts a NoExecute effect would have
//   ("<a> published devices selected. <b> allocated devices selected. <n> pods would be
//   evicted in <m> different namespaces if the effect was NoExecute. ..."). Other effects:
//   False/OtherEffect "Eviction only happens for the NoExecute effect.". " <k> pod(s)
//   evicted since starting the controller." is appended when k > 0. A condition written
//   less than rule_status_period ago for the same generation is not rewritten before the
//   period has passed; the status is refreshed when the rule is created or its spec changes,
//   every period while pods are pending, and one period after each eviction it caused.
// Writes are retried with per-key exponential backoff.
//
// Time comes from Options::clock; an eviction is due when clock() >= its time. Scheduled
// evictions are rechecked when their time comes by the real clock, and at once by
// CheckScheduled() (for a clock that moves on its own terms, as in tests).
//
// Thread-safe: Start, Stop, CheckScheduled and the accessors may be called from any thread.
// Informer handlers only update indexes (under one mutex) and enqueue keys; one worker
// thread does all API writes.
#ifndef DRA_CONTROLLERS_DEVICE_TAINT_EVICTION_H_
#define DRA_CONTROLLERS_DEVICE_TAINT_EVICTION_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/core_types.h"
#include "dra/api/resource_types.h"
#include "dra/api/value.h"
#include "dra/client/informer.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/internal/work_queue.h"

namespace dra::controllers {

// Field manager, Event source component and Event reporting component (upstream
// names.DeviceTaintEvictionController).
inline constexpr std::string_view kDeviceTaintEvictionControllerName =
    "device-taint-eviction-controller";
// Reason and message of the DisruptionTarget pod condition set before deletion.
inline constexpr std::string_view kDeletionByDeviceTaintManagerReason =
    "DeletionByDeviceTaintManager";
inline constexpr std::string_view kDeletionByDeviceTaintManagerMessage =
    "Device Taint manager: deleting due to NoExecute taint";
// Reason of the Events about pods ("Marking for deletion", "Cancelling deletion").
inline constexpr std::string_view kDeviceTaintManagerEvictionEventReason =
    "DeviceTaintManagerEviction";

struct DeviceTaintEvictionControllerOptions {
  // Watch pods and claims only in this namespace ("" for all); slices and rules are
  // cluster-scoped.
  std::string ns;
  // The current time (default absl::Now).
  std::function<absl::Time()> clock;
  // Shortest time between two status updates of one DeviceTaintRule (upstream
  // ruleStatusPeriod).
  absl::Duration rule_status_period = absl::Seconds(10);
  // Watch DeviceTaintRules (resource.k8s.io/v1beta2). Off for servers that do not serve them
  // (upstream: feature gate DRADeviceTaintRules); then only slice taints evict.
  bool device_taint_rules = true;
  // Retry backoff per work item (doubles from min to max).
  absl::Duration min_retry_backoff = absl::Milliseconds(5);
  absl::Duration max_retry_backoff = absl::Seconds(30);
  // Informer settings (backoff, watch timeout); `ns` above overrides theirs for pods and
  // claims.
  client::InformerOptions informer;
};

class DeviceTaintEvictionController {
 public:
  using Options = DeviceTaintEvictionControllerOptions;

  // `client` must outlive the controller. Nothing runs before Start().
  explicit DeviceTaintEvictionController(client::RestClient* client, Options options = {});
  // Stops the controller.
  ~DeviceTaintEvictionController();

  DeviceTaintEvictionController(const DeviceTaintEvictionController&) = delete;
  DeviceTaintEvictionController& operator=(const DeviceTaintEvictionController&) = delete;

  // Starts the informers (resourceslices, devicetaintrules, resourceclaims, pods) and the
  // worker, which begins once all caches synced. FailedPrecondition when already started or
  // stopped.
  absl::Status Start();
  // Stops the informers and the worker (an in-flight request completes first). Idempotent;
  // the controller cannot be restarted (create a new one).
  void Stop();
  // Whether all informers have synced, waiting until `deadline`.
  bool WaitForSync(absl::Time deadline);

  // Re-examines every scheduled eviction and the status of every NoExecute rule, now (the
  // status is still not rewritten within rule_status_period of its last change).
  void CheckScheduled();

  // Pods with a scheduled eviction ("namespace/name") and when it is due.
  std::map<std::string, absl::Time> ScheduledEvictions() const;

  // Counters since construction.
  int64_t pods_evicted() const { return pods_evicted_.load(); }
  int64_t evictions_cancelled() const { return evictions_cancelled_.load(); }
  int64_t rule_status_updates() const { return rule_status_updates_.load(); }
  int64_t sync_errors() const { return sync_errors_.load(); }
  // The last error of a work item (OK when none yet).
  absl::Status last_error() const;

 private:
  struct PodRef {
    std::string ns;
    std::string name;
    std::string uid;
    auto operator<=>(const PodRef&) const = default;
  };
  // One taint that causes eviction: from a DeviceTaintRule (rule_uid set) or from a device
  // in a ResourceSlice.
  struct TaintReason {
    std::string rule_name;
    std::string rule_uid;
    std::string slice_name;
    std::string driver;
    std::string pool;
    std::string device;
    int index = 0;
    api::DeviceTaint taint;
    bool operator==(const TaintReason&) const = default;
    // Rules first (by name), then driver, pool, device, taint index.
    bool operator<(const TaintReason& other) const;
  };
  struct Eviction {
    absl::Time when;
    std::vector<TaintReason> reasons;  // sorted, unique
    bool operator==(const Eviction&) const = default;
  };
  struct AllocatedClaim {
    api::ResourceClaim claim;
    std::optional<Eviction> eviction;
  };
  struct Pool {
    std::map<std::string, api::ResourceSlice> slices;  // by slice name
    int64_t max_generation = 0;
  };
  using PoolId = std::pair<std::string, std::string>;  // driver, pool
  struct PendingEvent {
    PodRef pod;
    std::string message;
  };

  absl::Time Now() const;

  // Informer handlers (old or new may be null).
  void OnSlice(const api::Value* old_object, const api::Value* object);
  void OnRule(const api::Value* old_object, const api::Value* object);
  void OnClaim(const api::Value* old_object, const api::Value* object);
  void OnPod(const api::Value* old_object, const api::Value* object);

  // The device and its slice in the pool's highest generation, or nulls.
  std::pair<const api::ResourceSlice*, const api::Device*> FindDevice(
      const std::string& driver, const std::string& pool, const std::string& device) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // NoExecute taints by device name in the pool's highest generation.
  std::map<std::string, std::vector<api::DeviceTaint>> TaintedDevices(const Pool& pool) const;
  // The eviction of an allocated claim; `simulate` is an extra rule evaluated as given.
  std::optional<Eviction> ClaimEviction(const api::ResourceClaim& claim,
                                        const api::DeviceTaintRule* simulate) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The eviction of a pod (nullopt: none); with `simulate`, claim evictions are recomputed
  // with that extra rule instead of taken from the index.
  std::optional<Eviction> PodEviction(const api::Pod& pod,
                                      const api::DeviceTaintRule* simulate) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Schedules or cancels the eviction of `pod`.
  void HandlePod(const api::Pod& pod) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // HandlePod for each cached pod in claim.status.reservedFor.
  void HandlePods(const api::ResourceClaim& claim) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Recomputes the eviction of `key`; HandlePods when it changed.
  void RecomputeClaim(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Cancel(const PodRef& ref, bool with_event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  void Run();
  // A positive duration: process the key again after it.
  absl::StatusOr<absl::Duration> Sync(const std::string& key);
  absl::StatusOr<absl::Duration> MaybeDeletePod(const PodRef& ref);
  // OK when the pod was deleted; NotFound when it is gone or replaced; FailedPrecondition when
  // it needs no eviction (terminating or done).
  absl::Status AddConditionAndDeletePod(const PodRef& ref);
  absl::StatusOr<absl::Duration> MaybeUpdateRuleStatus(const std::string& name,
                                                       const std::string& uid);
  // Pods pending eviction because of `rule` and their namespaces.
  std::pair<int64_t, int64_t> CountPendingPods(const api::DeviceTaintRule& rule,
                                               const api::DeviceTaintRule* simulate) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FlushEvents();
  void CreateEvent(const PendingEvent& event);

  client::RestClient* const client_;
  const Options options_;
  internal::WorkQueue queue_;
  std::unique_ptr<client::Informer> slices_;
  std::unique_ptr<client::Informer> rules_;  // null when !options_.device_taint_rules
  std::unique_ptr<client::Informer> claims_;
  std::unique_ptr<client::Informer> pods_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::map<PoolId, Pool> pools_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, api::DeviceTaintRule> rule_index_ ABSL_GUARDED_BY(mu_);  // by name
  std::map<std::string, AllocatedClaim> allocated_ ABSL_GUARDED_BY(mu_);         // by "ns/name"
  std::map<PodRef, Eviction> delete_pod_at_ ABSL_GUARDED_BY(mu_);
  // Pods evicted because of a rule, by rule uid (upstream taintRuleStats).
  std::map<std::string, int64_t> evicted_by_rule_ ABSL_GUARDED_BY(mu_);
  std::deque<PendingEvent> events_ ABSL_GUARDED_BY(mu_);

  std::atomic<bool> stopping_{false};
  std::thread worker_;

  std::atomic<int64_t> pods_evicted_{0};
  std::atomic<int64_t> evictions_cancelled_{0};
  std::atomic<int64_t> rule_status_updates_{0};
  std::atomic<int64_t> sync_errors_{0};
};

}  // namespace dra::controllers

#endif  // DRA_CONTROLLERS_DEVICE_TAINT_EVICTION_H_
