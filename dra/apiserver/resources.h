// The resources `dra server` serves: their groups, versions, names, scope and subresources, and
// where their objects live in the store.
//
// Immutable tables built once; thread-safe.
#ifndef DRA_APISERVER_RESOURCES_H_
#define DRA_APISERVER_RESOURCES_H_

#include <string>
#include <string_view>
#include <vector>

namespace dra::apiserver {

// How the server turns a written document into a stored object.
enum class ObjectModel {
  // A kind of dra::api::Object: decoded strictly, defaulted and validated by the api layer.
  kTyped,
  // Kept as a document: metadata checked, the rest stored as written (with kind-specific checks
  // where the server has them, e.g. a Deployment's pod template).
  kDocument,
};

struct ResourceType {
  std::string group;  // "" for the core group
  // Served versions, the preferred one first. The first is also the stored (hub) version, except
  // where `storage_version` says otherwise.
  std::vector<std::string> versions;
  std::string storage_version;  // "v1", "v1beta2"
  std::string kind;
  std::string plural;
  std::string singular;
  bool namespaced = false;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  bool has_status = false;   // a `status` subresource; the main resource ignores status writes
  bool has_binding = false;  // pods/binding
  bool has_scale = false;    // a `scale` subresource (apps)
  // metadata.generation starts at 1 and grows with every spec change.
  bool tracks_generation = false;
  ObjectModel model = ObjectModel::kTyped;

  // "resource.k8s.io/v1", or "v1" for the core group.
  std::string ApiVersion(std::string_view version) const;
  std::string StorageApiVersion() const { return ApiVersion(storage_version); }
  // "resourceclaims.resource.k8s.io", or "pods" for the core group (as in error messages).
  std::string GroupResource() const;
  // "ResourceClaim.resource.k8s.io", or "Pod" (as in Invalid error messages).
  std::string GroupKind() const;
  bool Serves(std::string_view version) const;

  // Store keys: "/registry/<group or core>/<plural>/" then "<namespace>/" when namespaced.
  std::string KeyPrefix() const;
  std::string NamespacePrefix(std::string_view ns) const;
  std::string Key(std::string_view ns, std::string_view name) const;
};

// Every served resource, in discovery order.
const std::vector<ResourceType>& ServedResources();

// The resource for (group, version, plural), or nullptr.
const ResourceType* FindResource(std::string_view group, std::string_view version,
                                 std::string_view plural);
// The resource of a kind in a group (any served version), or nullptr.
const ResourceType* FindResourceByKind(std::string_view group, std::string_view kind);

// Groups in discovery order (without the core group), each with its versions, preferred first.
struct GroupVersions {
  std::string group;
  std::vector<std::string> versions;
};
const std::vector<GroupVersions>& ServedGroups();

// Splits "group/version" ("v1" for core) into its parts.
void SplitApiVersion(std::string_view api_version, std::string& group, std::string& version);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_RESOURCES_H_
