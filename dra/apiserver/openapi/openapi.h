// The OpenAPI documents of the API server, as kubectl reads them:
// - /openapi/v3: an index {"paths": {"api/v1": {"serverRelativeURL":
//   "/openapi/v3/api/v1?hash=<HASH>"}, "apis/<group>/<version>": {...}}};
// - /openapi/v3/api/v1 and /openapi/v3/apis/<group>/<version>: one OpenAPI 3.0 document per
//   group-version with the REST paths of its resources and the schemas of its kinds
//   (components.schemas, upstream definition names such as io.k8s.api.core.v1.Pod);
// - /openapi/v2: one Swagger 2.0 document with every path and definition.
//
// Every operation carries x-kubernetes-action and x-kubernetes-group-version-kind; patch,
// create and replace declare the dryRun, fieldManager and fieldValidation query parameters
// (kubectl checks fieldValidation before apply/create), patch also force. Kind schemas carry
// x-kubernetes-group-version-kind (a list), which `kubectl explain` looks up.
//
// Schemas are generated from the dra::api types (see schema_builder.h). Kinds without a typed
// model get a schema with typed metadata and free-form spec and status.
#ifndef DRA_APISERVER_OPENAPI_OPENAPI_H_
#define DRA_APISERVER_OPENAPI_OPENAPI_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dra::apiserver::openapi {

// One resource the server serves at one group-version.
struct ServedResource {
  std::string group;  // "" for the core group.
  std::string version;
  std::string kind;
  std::string plural;
  bool namespaced = false;
  // Subresources: "status", "binding" (pods) and "scale" (apps workloads); others are ignored.
  std::vector<std::string> subresources;
};

// The resources the dra API server serves: core/v1 namespaces, nodes, pods and events;
// resource.k8s.io v1, v1beta2 and v1beta1 deviceclasses, resourceslices, resourceclaims and
// resourceclaimtemplates, and v1beta2 devicetaintrules; coordination.k8s.io/v1 leases; apps/v1
// deployments and replicasets.
std::vector<ServedResource> DefaultServedResources();

// The key of a group-version in the v3 index and the path of its document under /openapi/v3/:
// "api/v1" for the core group, "apis/<group>/<version>" otherwise.
std::string GroupVersionPath(std::string_view group, std::string_view version);

// All documents, rendered once as compact JSON text. Immutable after Build; thread-safe.
class OpenApiDocuments {
 public:
  // Builds every document for `resources`. Deterministic: equal input gives byte-identical
  // documents.
  static OpenApiDocuments Build(const std::vector<ServedResource>& resources);

  // The /openapi/v3 index document.
  const std::string& V3Index() const { return v3_index_; }

  // The document served at /openapi/v3/<path> (path as in GroupVersionPath, without query);
  // nullptr for unknown paths.
  const std::string* V3GroupVersion(std::string_view path) const;

  // The content hash of that document, as used in the index's `?hash=` (uppercase hex);
  // nullptr for unknown paths.
  const std::string* V3Hash(std::string_view path) const;

  // The index keys, sorted.
  std::vector<std::string> V3Paths() const;

  // The /openapi/v2 document (Swagger 2.0, JSON).
  const std::string& V2() const { return v2_; }

 private:
  struct Document {
    std::string json;
    std::string hash;
  };

  OpenApiDocuments() = default;

  std::string v3_index_;
  std::map<std::string, Document, std::less<>> v3_;
  std::string v2_;
};

}  // namespace dra::apiserver::openapi

#endif  // DRA_APISERVER_OPENAPI_OPENAPI_H_
