// What the API server does to an object between the request body and the store, per kind
// (upstream's registry strategies): decoding with fieldValidation, metadata the server owns
// (uid, creationTimestamp, generation, generateName), status handling for resources with a
// status subresource, defaulting, validation and update rules.
//
// Documents here are hub-version trees (resource.k8s.io/v1, resource.k8s.io/v1beta2 for
// DeviceTaintRule, v1 for the core group): stored bytes are their JSON, without
// metadata.resourceVersion (the store's revision is the resourceVersion).
//
// Stateless functions; thread-safe.
#ifndef DRA_APISERVER_OBJECTS_H_
#define DRA_APISERVER_OBJECTS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/value.h"
#include "dra/apiserver/resources.h"

namespace dra::apiserver {

// The fieldValidation query parameter.
enum class FieldValidation { kStrict, kWarn, kIgnore };

struct WriteOptions {
  FieldValidation field_validation = FieldValidation::kStrict;
  // The request time, RFC 3339 ("2026-11-24T06:00:00Z").
  std::string now;
  // Receives warnings (unknown fields with kWarn); may be null.
  std::vector<std::string>* warnings = nullptr;
  // The labels of the object's namespace (for the adminAccess rule); unset for cluster-scoped
  // kinds.
  std::optional<api::Value> namespace_labels;
};

// Decodes a request body sent for `type` at `version` into a hub document: checks apiVersion and
// kind against the URL (missing ones are taken from it), converts older resource.k8s.io versions,
// applies fieldValidation to unknown and duplicate fields, and rejects mistyped values (400).
absl::StatusOr<api::Value> DecodeBody(const ResourceType& type, std::string_view version,
                                      api::Value body, const WriteOptions& options);

// Turns a decoded document into the object to store on create in namespace `ns` ("" for
// cluster-scoped kinds): name from generateName, uid, creationTimestamp, generation, status reset
// where the kind has a status subresource, defaults, validation (422 Invalid) and the cross-object
// rules (adminAccess needs a labelled namespace).
absl::StatusOr<api::Value> PrepareCreate(const ResourceType& type, api::Value object,
                                         std::string_view ns, const WriteOptions& options);

enum class Subresource { kNone, kStatus };

// Turns a decoded document into the object to store on update of `old`: server-owned metadata
// kept, status kept (main resource) or only status taken (status subresource), generation bumped
// on spec changes, defaults, validation including the kind's update rules.
absl::StatusOr<api::Value> PrepareUpdate(const ResourceType& type, api::Value updated,
                                         const api::Value& old, Subresource subresource,
                                         const WriteOptions& options);

// A fresh random (version 4) UUID.
std::string NewUid();
// Five random characters as upstream appends to generateName.
std::string RandomSuffix();
// The current time in RFC 3339 with second precision.
std::string NowRfc3339();

// BadRequest when a namespaced `object` names a namespace other than the request's `ns`.
absl::Status CheckBodyNamespace(const ResourceType& type, const api::Value& object,
                                std::string_view ns);

// Reads metadata.<field> as a string ("" when absent).
std::string MetaString(const api::Value& object, std::string_view field);
// The object's metadata (created empty when absent or not an object).
api::Value& MutableMeta(api::Value& object);

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_OBJECTS_H_
