// Addressing a resource of a Kubernetes API server: group, version and plural name, and the
// REST paths built from them.
//
// Value types and stateless functions; thread-safe.
#ifndef DRA_CLIENT_RESOURCE_REF_H_
#define DRA_CLIENT_RESOURCE_REF_H_

#include <optional>
#include <string>
#include <string_view>

namespace dra::client {

struct ResourceRef {
  std::string group;    // "" for the core group
  std::string version;  // "v1"
  std::string plural;   // "resourceclaims"
  bool namespaced = true;

  // "resourceclaims.resource.k8s.io" (or "pods" for the core group), as messages name it.
  std::string GroupResource() const;

  // The collection path: "/api/v1/namespaces/<ns>/pods", "/apis/resource.k8s.io/v1/
  // resourceslices"; for a namespaced resource an empty `ns` means all namespaces. Namespace
  // and names are percent-encoded as path segments.
  std::string CollectionPath(std::string_view ns) const;
  // The object path: CollectionPath(ns) + "/<name>" [+ "/<subresource>"].
  std::string ObjectPath(std::string_view ns, std::string_view name,
                         std::string_view subresource = "") const;

  friend bool operator==(const ResourceRef&, const ResourceRef&) = default;
};

// The resources DRA components use.
ResourceRef Pods();
ResourceRef Nodes();
ResourceRef Namespaces();
ResourceRef Events();                  // core/v1 events
ResourceRef Leases();                  // coordination.k8s.io/v1
ResourceRef ResourceClaims();          // resource.k8s.io/v1
ResourceRef ResourceClaimTemplates();  // resource.k8s.io/v1
ResourceRef ResourceSlices();          // resource.k8s.io/v1, cluster-scoped
ResourceRef DeviceClasses();           // resource.k8s.io/v1, cluster-scoped
ResourceRef DeviceTaintRules();        // resource.k8s.io/v1beta2, cluster-scoped
ResourceRef Deployments();             // apps/v1
ResourceRef ReplicaSets();             // apps/v1

// Percent-encodes everything but RFC 3986 unreserved characters (for query values and path
// segments).
// The resource of `kind` (one of the kinds above, e.g. "ResourceClaim") at the version of
// `api_version` ("resource.k8s.io/v1beta1" -> v1beta1); nullopt for other kinds or a group
// that does not match the kind.
std::optional<ResourceRef> ResourceRefForKind(std::string_view api_version, std::string_view kind);

std::string PercentEncode(std::string_view s);

}  // namespace dra::client

#endif  // DRA_CLIENT_RESOURCE_REF_H_
