// Patch types and field ownership for the API server: RFC 6902 JSON patch, RFC 7386 JSON merge
// patch, strategic merge patch, server-side apply, and the managedFields bookkeeping that
// kube-apiserver performs on every write.
//
// Everything works on dra::api::Value trees of objects as the API server stores them (v1 JSON).
//
// Error convention for all functions:
//   - absl::InvalidArgumentError: a malformed patch or body (the handler answers 400 BadRequest);
//   - absl::FailedPreconditionError: a well-formed patch that cannot be applied to this document,
//     e.g. a JSON-patch `test` that fails or a path that does not exist (the handler answers 422);
//   - absl::AbortedError: server-side apply conflicts (409 Conflict).
// Messages are worded as upstream's libraries word them (evanphx/json-patch v4, apimachinery's
// strategicpatch, structured-merge-diff and the apiserver's fieldmanager).
//
// Stateless functions; thread-safe. PatchSchema is immutable once built and thread-safe.
#ifndef DRA_APISERVER_PATCH_PATCH_H_
#define DRA_APISERVER_PATCH_PATCH_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::apiserver {

// RFC 6902 JSON Patch (add, remove, replace, move, copy, test; JSON pointers with ~0 ~1 escapes
// and the "-" index), as gopkg.in/evanphx/json-patch.v4 applies it for kube-apiserver, including
// its quirk that `replace` of a missing object member adds it. `patch` must be an array of
// operation objects (else InvalidArgument); failing operations give FailedPrecondition.
absl::StatusOr<api::Value> ApplyJsonPatch(const api::Value& document, const api::Value& patch);

// RFC 7386 JSON merge patch: null deletes, objects merge recursively, everything else replaces.
absl::StatusOr<api::Value> ApplyMergePatch(const api::Value& document, const api::Value& patch);

// How a list field merges.
enum class ListType {
  kAtomic,  // replaced as a whole (x-kubernetes-list-type: atomic; every unlisted list)
  kSet,     // primitive items merged as a set (listType=set)
  kMap,     // object items identified by key fields (listType=map)
};

// One key field of a listType=map list.
struct ListMapKey {
  std::string name;
  // Used when an item omits the key (e.g. containerPort's protocol defaults to "TCP").
  std::optional<api::Value> default_value;
  // An item may omit it (and has no default); the key then identifies items without it.
  bool optional = false;
};

// Schema facts of one field (the Kubernetes markers that both patch engines need).
struct FieldSchema {
  // Server-side apply: +listType and +listMapKey.
  ListType list_type = ListType::kAtomic;
  std::vector<ListMapKey> keys;
  // Strategic merge patch: patchStrategy=merge, with patchMergeKey for lists of objects (empty for
  // primitive lists merged as sets). Lists without it are replaced by the patch.
  bool smp_merge = false;
  std::string smp_merge_key;
  // +structType=atomic / +mapType=atomic (for objects), or atomic list items.
  bool atomic = false;
};

// Per-kind schema: a tree of fields addressed from the object root. Unlisted lists are atomic and
// unlisted objects granular.
//
// Immutable once built (Add is for construction only); thread-safe for concurrent readers.
class PatchSchema {
 public:
  // A node of the schema tree: the field's facts, its member fields, and its list items.
  struct Node {
    FieldSchema field;
    std::map<std::string, std::unique_ptr<Node>, std::less<>> members;
    std::unique_ptr<Node> items;

    // nullptr when the member or the items are not described.
    const Node* Member(std::string_view name) const;
    const Node* Items() const { return items.get(); }
  };

  PatchSchema();
  PatchSchema(PatchSchema&&) noexcept;
  PatchSchema& operator=(PatchSchema&&) noexcept;
  ~PatchSchema();

  // Declares the field at `path`: member names joined by '.', with "[]" after a list field's name
  // addressing its items, e.g. "spec.containers[].env" or "spec.containers[]" (the items
  // themselves, for `atomic` items). Returns *this for chaining.
  PatchSchema& Add(std::string_view path, FieldSchema field);
  // The facts declared for `path` (same syntax as Add), or nullptr.
  const FieldSchema* Find(std::string_view path) const;
  // The root of the tree (the object itself).
  const Node* root() const { return root_.get(); }

 private:
  Node* Ensure(std::string_view path);
  std::unique_ptr<Node> root_;
};

// The schema of a kind given its apiVersion and kind ("v1", "Pod"). Covers the metadata of every
// kind; v1 Pod, Node, Namespace, Event, PodTemplate, ReplicationController, Service, ConfigMap,
// Secret; coordination.k8s.io/v1 Lease; apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet;
// resource.k8s.io/v1 (and v1beta1, v1beta2) DeviceClass, ResourceSlice, ResourceClaim,
// ResourceClaimTemplate, DeviceTaintRule. Unknown kinds get a schema with metadata only.
// The returned reference stays valid for the life of the process.
const PatchSchema& PatchSchemaFor(std::string_view api_version, std::string_view kind);

// Strategic merge patch (apimachinery's strategicpatch.StrategicMergePatch with the API server's
// options) as kubectl apply (client-side), `kubectl patch` and `kubectl edit` send it: lists with
// a merge strategy merged by key, primitive merge lists unioned, directives `$patch: replace |
// delete` (maps and list items), `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
// `$setElementOrder/<field>`, null deletes. Other lists are replaced by the patch's list.
absl::StatusOr<api::Value> ApplyStrategicMergePatch(const api::Value& document,
                                                    const api::Value& patch,
                                                    const PatchSchema& schema);

struct ApplyOptions {
  // The field manager (fieldManager query parameter, or the user agent's default).
  std::string manager;
  // Server-side apply: take fields owned by other managers instead of failing.
  bool force = false;
  // The write's time, RFC 3339 (e.g. "2025-01-02T03:04:05Z"): managedFields entries' `time`.
  std::string now;
  // "status" for writes through the status subresource; recorded in the entries.
  std::string subresource;
};

// One server-side apply conflict: `manager` (with the operation, apiVersion and subresource that
// identify its managedFields entry) owns `field` (".spec.replicas",
// ".spec.template.spec.containers[name=\"c\"].image") with a value the apply would change.
struct ApplyConflict {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string subresource;
  std::string field;
};

// How upstream names a conflicting manager in messages: `"kubectl"` for an applier,
// `"kubectl-client-side-apply" using apps/v1` for an updater, plus ` with subresource "status"`.
// The metav1.StatusCause message of a conflict is "conflict with " + DescribeConflictManager(c)
// (cause type "FieldManagerConflict", field c.field).
std::string DescribeConflictManager(const ApplyConflict& conflict);

// The message of the 409 for `conflicts` (non-empty), as kube-apiserver words it, e.g.
// `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1:
// .spec.replicas`.
std::string ApplyConflictMessage(const std::vector<ApplyConflict>& conflicts);

// Server-side apply (structured-merge-diff semantics). `live` is the stored object (nullopt: the
// apply creates it); `applied` the applied configuration, a partial object that must carry
// apiVersion, kind and metadata.name, and no metadata.managedFields. Returns the new object:
// `applied` merged into `live` (granular objects merged, lists merged per `schema`), fields the
// manager applied before but no longer applies removed unless another manager owns them, and
// metadata.managedFields updated in Kubernetes' wire format (the manager's "Apply" entry owns
// exactly the fields of `applied`; fields it changes are removed from other managers' sets when
// forced; empty entries dropped). A field in `applied` whose value differs from live's and that
// another manager owns is a conflict: without options.force the result is AbortedError with
// ApplyConflictMessage, and the conflicts are stored in *conflicts when non-null. When the apply
// changes nothing, the result equals `live`.
absl::StatusOr<api::Value> ServerSideApply(const std::optional<api::Value>& live,
                                           const api::Value& applied, const ApplyOptions& options,
                                           const PatchSchema& schema,
                                           std::vector<ApplyConflict>* conflicts = nullptr);

// Ownership tracking for non-apply writes (create, update, patch): the fields that differ between
// `old_object` (nullopt for create) and `new_object` become owned by options.manager with
// operation "Update" (and new_object's apiVersion), and are removed from other managers' sets.
// The starting managedFields are new_object's when it carries a non-empty valid list, else
// old_object's; `managedFields: []` (or a single empty entry) in new_object resets them. Returns
// new_object with metadata.managedFields rewritten. Never fails: unreadable managedFields are
// treated as empty.
api::Value UpdateManagedFields(const std::optional<api::Value>& old_object,
                               const api::Value& new_object, const ApplyOptions& options,
                               const PatchSchema& schema);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_PATCH_PATCH_H_
