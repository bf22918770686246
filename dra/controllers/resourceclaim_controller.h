// The ResourceClaim controller of kube-controller-manager (pkg/controller/resourceclaim), as a
// client of any Kubernetes API server.
//
// What it does, for pods that have spec.resourceClaims:
// - Generates claims: for an entry with resourceClaimTemplateName and no entry in
//   pod.status.resourceClaimStatuses yet, it creates a ResourceClaim in the pod's namespace
//   from the template (spec = template.spec.spec, labels and annotations from
//   template.spec.metadata) with generateName "<pod>-<claim>-" (both parts shortened in
//   proportion when longer than 57 characters, as upstream does), a controller owner reference
//   to the pod (blockOwnerDeletion) and the annotation
//   `resource.kubernetes.io/pod-claim-name: <claim>`; then records {name, resourceClaimName}
//   in pod.status.resourceClaimStatuses (PUT pods/status). A claim already owned by the pod
//   with that annotation (informer cache, or created by this controller and not yet seen by
//   the informer) is reused, so restarts and retries never create a second claim. A missing
//   template is an error retried with backoff.
// - Reserves an allocated claim for a pod that is already bound to a node but not yet in
//   the claim's status.reservedFor (a pod bound without the scheduler).
// - Releases reservations: a status.reservedFor pod entry is dropped when the pod is known to
//   be deleted, no longer exists (checked with a GET when the cache does not know it), was
//   replaced (other uid), or is done (phase Succeeded or Failed, or deleted before it got a
//   node). Entries for other resources are kept.
// - Deallocates: when dropping entries leaves status.reservedFor empty, status.allocation and
//   status.devices are cleared in the same status update (only on that transition: an
//   allocated claim that was never reserved stays allocated, as upstream); then the
//   `resource.kubernetes.io/delete-protection` finalizer is removed. A claim being deleted
//   with that finalizer and no reservation is deallocated and its finalizer removed.
// - Deletes an unreserved claim whose controlling owner is a pod that is done or was replaced
//   (claims of pods that are gone are left to the garbage collector, as upstream).
// Writes carry the cached resourceVersion; conflicts and other errors are retried with
// per-key exponential backoff once the caches have caught up.
//
// Thread-safe: Start, Stop and the accessors may be called from any thread. Informer
// handlers only update indexes and enqueue keys; options.workers worker threads do the API
// writes, each key ("pod:ns/name" or "claim:ns/name") on one worker at a time.
#ifndef DRA_CONTROLLERS_RESOURCECLAIM_CONTROLLER_H_
#define DRA_CONTROLLERS_RESOURCECLAIM_CONTROLLER_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/api/core_types.h"
#include "dra/api/resource_types.h"
#include "dra/api/value.h"
#include "dra/client/informer.h"
#include "dra/client/rest_client.h"
#include "dra/controllers/internal/work_queue.h"

namespace dra::controllers {

// pod.spec.resourceClaims[].name a generated claim was created for (upstream's
// podResourceClaimAnnotation).
inline constexpr std::string_view kPodClaimNameAnnotation = "resource.kubernetes.io/pod-claim-name";
// Field manager of the controller's writes.
inline constexpr std::string_view kResourceClaimControllerName = "ResourceClaimController";
// Longest generateName prefix: 63 minus a hyphen and 5 random characters.
inline constexpr size_t kMaxGenerateNameBase = 57;

struct ResourceClaimControllerOptions {
  // Watch only this namespace ("" for all).
  std::string ns;
  // Retry backoff per work item (doubles from min to max).
  absl::Duration min_retry_backoff = absl::Milliseconds(5);
  absl::Duration max_retry_backoff = absl::Seconds(30);
  // Informer settings (backoff, watch timeout); `ns` above overrides theirs.
  client::InformerOptions informer;
  // Remembered uids of deleted pods (upstream's maxUIDCacheEntries).
  size_t deleted_pod_cache_size = 500;
  // Worker threads (upstream's --concurrent-resourceclaim-syncs); one key is never synced by
  // two workers at the same time.
  int workers = 4;
};

class ResourceClaimController {
 public:
  using Options = ResourceClaimControllerOptions;

  // `client` must outlive the controller. Nothing runs before Start().
  explicit ResourceClaimController(client::RestClient* client, Options options = {});
  // Stops the controller.
  ~ResourceClaimController();

  ResourceClaimController(const ResourceClaimController&) = delete;
  ResourceClaimController& operator=(const ResourceClaimController&) = delete;

  // Starts the informers (pods, resourceclaims, resourceclaimtemplates) and the workers, which
  // begin once all three caches synced. FailedPrecondition when already started or stopped.
  absl::Status Start();
  // Stops the informers and the workers (in-flight requests complete first). Idempotent;
  // the controller cannot be restarted (create a new one).
  void Stop();

  // Whether all three informers have synced, waiting until `deadline`.
  bool WaitForSync(absl::Time deadline);

  // Counters since construction.
  int64_t claims_created() const { return claims_created_.load(); }
  int64_t claim_create_failures() const { return claim_create_failures_.load(); }
  int64_t claims_unreserved() const { return claims_unreserved_.load(); }  // updates
  int64_t claims_deallocated() const { return claims_deallocated_.load(); }
  int64_t claims_deleted() const { return claims_deleted_.load(); }
  int64_t sync_errors() const { return sync_errors_.load(); }
  // The last error of a work item (OK when none yet).
  absl::Status last_error() const;

  // "<pod>-<claim>-", or both parts shortened in proportion (without trailing hyphen) when
  // that is longer than kMaxGenerateNameBase, as upstream.
  static std::string GenerateNameFor(std::string_view pod_name, std::string_view claim_name);

 private:
  // The claim name a pod claim entry refers to (upstream resourceclaim.Name).
  struct ClaimName {
    enum class Kind {
      kName,          // `name` (check_owner: it was generated and must be owned by the pod)
      kNotNeeded,     // the status records that no claim was needed
      kNotGenerated,  // template entry without status entry yet
      kUnsupported,   // neither field set
    };
    Kind kind = Kind::kUnsupported;
    std::string name;
    bool check_owner = false;
  };
  static ClaimName ResolveClaimName(const api::Pod& pod, const api::PodResourceClaim& pod_claim);
  static bool IsPodDone(const api::Pod& pod);
  static bool IsOwnedBy(const api::ResourceClaim& claim, std::string_view pod_uid);

  // Informer handlers.
  void OnPod(const api::Value& object, bool deleted);
  void OnClaim(const api::Value* old_object, const api::Value* object);
  void OnTemplate(const api::Value& object);
  void EnqueuePod(const api::Pod& pod, bool deleted);
  bool PodNeedsWork(const api::Pod& pod);

  void Run();
  absl::Status Sync(const std::string& key);
  absl::Status SyncPod(std::string_view ns, std::string_view name);
  absl::Status SyncClaim(std::string_view ns, std::string_view name);
  // Creates or finds the generated claim of one pod claim entry; records its name in
  // `new_claims` when the pod status must be updated.
  absl::Status HandleClaim(const api::Pod& pod, const api::PodResourceClaim& pod_claim,
                           std::map<std::string, std::string>* new_claims);
  // The generated claim owned by `pod` for entry `pod_claim_name` (informer or claims created
  // by us that the informer has not delivered yet); its name.
  std::optional<std::string> FindPodResourceClaim(const api::Pod& pod,
                                                  std::string_view pod_claim_name);
  // A claim from the informer cache, else from the claims created by us.
  client::Informer::ObjectPtr LookupClaim(std::string_view ns, std::string_view name);
  absl::Status ReserveForPod(const api::Pod& pod, const api::Value& claim);

  client::RestClient* const client_;
  const Options options_;
  internal::WorkQueue queue_;
  std::unique_ptr<client::Informer> pods_;
  std::unique_ptr<client::Informer> claims_;
  std::unique_ptr<client::Informer> templates_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  // Uids of pods seen deleted (bounded, oldest dropped first).
  std::set<std::string> deleted_pods_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> deleted_order_ ABSL_GUARDED_BY(mu_);
  // Claim keys "ns/name" by the uid of their controlling pod (upstream claimPodOwnerIndex).
  std::map<std::string, std::set<std::string>> claims_by_owner_ ABSL_GUARDED_BY(mu_);
  // Pod keys by the claim keys they reference (upstream podResourceClaimIndex), and back.
  std::map<std::string, std::set<std::string>> pods_by_claim_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<std::string>> claims_of_pod_ ABSL_GUARDED_BY(mu_);
  // Claims created by the workers that the claim informer has not delivered yet, by key
  // (upstream's mutation cache).
  // They are in claims_by_owner_ from their creation on.
  std::map<std::string, client::Informer::ObjectPtr> created_ ABSL_GUARDED_BY(mu_);

  std::atomic<bool> stopping_{false};
  std::vector<std::thread> workers_;

  std::atomic<int64_t> claims_created_{0};
  std::atomic<int64_t> claim_create_failures_{0};
  std::atomic<int64_t> claims_unreserved_{0};
  std::atomic<int64_t> claims_deallocated_{0};
  std::atomic<int64_t> claims_deleted_{0};
  std::atomic<int64_t> sync_errors_{0};
};

}  // namespace dra::controllers

#endif  // DRA_CONTROLLERS_RESOURCECLAIM_CONTROLLER_H_
