// The object layer of the API server: create, get, list, update, patch, delete and bind on
// hub-version documents, with kube-apiserver's semantics (optimistic concurrency, finalizers and
// deletionTimestamp, generateName, dryRun, namespace lifecycle, field ownership). The HTTP
// handler (handler.h) and the in-process controllers (controllers.h) both go through it.
//
// Objects are hub-version documents (see objects.h) with metadata.resourceVersion set to the
// store revision of their last write.
//
// Thread-safe: every method may be called concurrently; writes are serialized by the store
// (optimistic concurrency on resourceVersion).
#ifndef DRA_APISERVER_REGISTRY_H_
#define DRA_APISERVER_REGISTRY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/value.h"
#include "dra/apiserver/internal/bounded_cache.h"
#include "dra/apiserver/objects.h"
#include "dra/apiserver/resources.h"
#include "dra/store/store.h"

namespace dra::apiserver {

struct WriteParams {
  bool dry_run = false;
  FieldValidation field_validation = FieldValidation::kStrict;
  // The fieldManager (for managedFields); empty: derived from the user agent by the caller.
  std::string field_manager;
  // Receives warnings; may be null.
  std::vector<std::string>* warnings = nullptr;
  // The object's managedFields are already final (server-side apply computed them).
  bool managed_fields_final = false;
};

enum class PatchType { kJson, kMerge, kStrategicMerge, kApply };

struct PatchParams {
  PatchType type = PatchType::kMerge;
  // The patch body as sent (JSON; YAML for apply).
  std::string body;
  // The version the patch is written against ("v1beta1"): the object is converted to it first.
  std::string version;
  // Server-side apply: take fields owned by other managers.
  bool force = false;
};

enum class Propagation { kDefault, kBackground, kForeground, kOrphan };

struct DeleteParams {
  bool dry_run = false;
  Propagation propagation = Propagation::kDefault;
  std::optional<std::string> precondition_uid;
  std::optional<std::string> precondition_resource_version;
};

struct DeleteOutcome {
  api::Value object;  // the object as deleted, or as it is now while finalizers hold it
  bool deleted = false;
};

struct ListParams {
  std::string ns;  // "" lists every namespace
  // Filters applied to each object (nullptr: none).
  std::function<bool(const api::Value&)> filter;
  int64_t limit = 0;
  std::string continue_token;
  std::string resource_version;        // the resourceVersion parameter
  std::string resource_version_match;  // "", "Exact", "NotOlderThan"
};

struct ListOutcome {
  std::vector<api::Value> items;  // hub documents with resourceVersion
  int64_t revision = 0;
  std::string continue_token;
  std::optional<int64_t> remaining_item_count;
};

class Registry {
 public:
  explicit Registry(store::Store* store);
  ~Registry();

  store::Store& store() { return *store_; }

  absl::StatusOr<api::Value> Get(const ResourceType& type, std::string_view ns,
                                 std::string_view name);
  absl::StatusOr<ListOutcome> List(const ResourceType& type, const ListParams& params);

  // `object` is a decoded hub document (objects.h DecodeBody).
  absl::StatusOr<api::Value> Create(const ResourceType& type, std::string_view ns,
                                    api::Value object, const WriteParams& params);
  // Replaces the object (or its status). A non-empty metadata.resourceVersion must match the
  // stored one (409 Conflict otherwise); an empty one updates unconditionally.
  absl::StatusOr<api::Value> Update(const ResourceType& type, std::string_view ns,
                                    std::string_view name, api::Value object,
                                    Subresource subresource, const WriteParams& params);
  // Applies a patch to the current object and writes it, retrying on concurrent writes. Apply
  // patches create the object when it does not exist.
  absl::StatusOr<api::Value> Patch(const ResourceType& type, std::string_view ns,
                                   std::string_view name, const PatchParams& patch,
                                   Subresource subresource, const WriteParams& params);
  absl::StatusOr<DeleteOutcome> Delete(const ResourceType& type, std::string_view ns,
                                       std::string_view name, const DeleteParams& params);
  // namespaces/finalize: writes spec.finalizers of a namespace; a terminating namespace left
  // without finalizers is deleted.
  absl::StatusOr<api::Value> Finalize(std::string_view name, api::Value object,
                                      const WriteParams& params);
  // pods/binding: sets spec.nodeName of an unbound pod and its PodScheduled condition.
  absl::Status Bind(std::string_view ns, std::string_view name, std::string_view node,
                    const WriteParams& params);

  // Decodes a stored entry into a hub document with its resourceVersion.
  static absl::StatusOr<api::Value> FromStored(const store::KeyValue& kv);
  // FromStored, shared: the registry keeps the documents of the most recent writes and reads
  // decoded (by key and revision, which name the stored bytes for good), so that the watches,
  // the garbage collector and the next update of an object do not parse it again. `remember`:
  // keep this entry too (lists pass false, so as not to push out the recent writes).
  absl::StatusOr<std::shared_ptr<const api::Value>> Decoded(const store::KeyValue& kv,
                                                            bool remember = true);

 private:
  // Decoded documents by key and revision.
  using DecodedCache = internal::BoundedCache<std::pair<std::string, int64_t>, api::Value>;

  // Writes `updated` over the stored entry at `revision`, deleting instead when it has a
  // deletionTimestamp and no finalizers left.
  absl::StatusOr<api::Value> Commit(const ResourceType& type, std::string_view key,
                                    api::Value updated, int64_t revision, bool dry_run);
  absl::StatusOr<api::Value> UpdateInternal(const ResourceType& type, std::string_view ns,
                                            std::string_view name, api::Value object,
                                            Subresource subresource, const WriteParams& params,
                                            const store::KeyValue* current);
  absl::StatusOr<std::optional<api::Value>> NamespaceLabels(const ResourceType& type,
                                                            std::string_view ns,
                                                            std::string_view name);

  // Keeps `object`, the document written at `revision` of `key`.
  void Remember(std::string_view key, int64_t revision, const api::Value& object,
                size_t stored_bytes);
  // Keeps the document of `key`'s DELETED event: its `last` state, at the delete's `revision`.
  void RememberDeleted(std::string_view key, int64_t revision, const api::Value& last,
                       size_t stored_bytes);

  store::Store* store_;
  std::unique_ptr<DecodedCache> decoded_;
};

// The resourceVersion string of a revision.
std::string RevisionString(int64_t revision);
// Parses a resourceVersion; InvalidArgument (400) when it is not a non-negative integer.
absl::StatusOr<int64_t> ParseResourceVersion(std::string_view rv);
// The stored form of a document: JSON without metadata.resourceVersion.
std::string ToStored(const api::Value& object);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_REGISTRY_H_
