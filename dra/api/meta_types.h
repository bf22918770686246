// Object model for the meta/v1 types shared by every API kind: object and list metadata, owner
// references, metav1.Status, label selectors and metav1.Condition.
//
// Conventions shared by meta_types.h, core_types.h and resource_types.h:
// - Every type is a plain aggregate and a thread-compatible value type: copyable, comparable with
//   ==, no invariants enforced by the type itself (validation lives in dra/api/validation).
// - Members are the JSON field names in snake_case (a trailing underscore where the name is a C++
//   keyword). Go pointers and optional-with-meaning fields are std::optional, slices are
//   std::vector, maps are std::map keyed by std::string, metav1.Time and metav1.MicroTime are
//   RFC 3339 strings, enum-like fields are std::string, free-form JSON is dra::api::Value.
// - VisitFields(v) calls v(json_name, member) or v(json_name, member, kEmitEmpty) once per member,
//   in upstream declaration order. kEmitEmpty marks members that the Kubernetes JSON encoding
//   writes even when they hold their zero value (no `omitempty`, or a non-pointer struct).
//   Generic codecs, diffing and validation walk objects through it.
// - Top-level kinds carry api_version, kind and metadata first, and the static constants kKind,
//   kGroupVersion, kResource (plural resource name) and kNamespaced.
#ifndef DRA_API_META_TYPES_H_
#define DRA_API_META_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dra/api/value.h"

namespace dra::api {

// Flags passed as the optional third argument of a VisitFields visitor call.
enum FieldFlag {
  // Serialize the member even when it holds its zero value (empty string, 0, false, empty
  // struct, empty list).
  kEmitEmpty = 1,
};

// Well-known values of meta/v1 enumerations.
inline constexpr std::string_view kStatusSuccess = "Success";
inline constexpr std::string_view kStatusFailure = "Failure";

inline constexpr std::string_view kStatusReasonUnknown = "";
inline constexpr std::string_view kStatusReasonUnauthorized = "Unauthorized";
inline constexpr std::string_view kStatusReasonForbidden = "Forbidden";
inline constexpr std::string_view kStatusReasonNotFound = "NotFound";
inline constexpr std::string_view kStatusReasonAlreadyExists = "AlreadyExists";
inline constexpr std::string_view kStatusReasonConflict = "Conflict";
inline constexpr std::string_view kStatusReasonGone = "Gone";
inline constexpr std::string_view kStatusReasonInvalid = "Invalid";
inline constexpr std::string_view kStatusReasonServerTimeout = "ServerTimeout";
inline constexpr std::string_view kStatusReasonStoreReadError = "StorageReadError";
inline constexpr std::string_view kStatusReasonTimeout = "Timeout";
inline constexpr std::string_view kStatusReasonTooManyRequests = "TooManyRequests";
inline constexpr std::string_view kStatusReasonBadRequest = "BadRequest";
inline constexpr std::string_view kStatusReasonMethodNotAllowed = "MethodNotAllowed";
inline constexpr std::string_view kStatusReasonNotAcceptable = "NotAcceptable";
inline constexpr std::string_view kStatusReasonRequestEntityTooLarge = "RequestEntityTooLarge";
inline constexpr std::string_view kStatusReasonUnsupportedMediaType = "UnsupportedMediaType";
inline constexpr std::string_view kStatusReasonInternalError = "InternalError";
inline constexpr std::string_view kStatusReasonExpired = "Expired";
inline constexpr std::string_view kStatusReasonServiceUnavailable = "ServiceUnavailable";

inline constexpr std::string_view kCauseTypeFieldValueNotFound = "FieldValueNotFound";
inline constexpr std::string_view kCauseTypeFieldValueRequired = "FieldValueRequired";
inline constexpr std::string_view kCauseTypeFieldValueDuplicate = "FieldValueDuplicate";
inline constexpr std::string_view kCauseTypeFieldValueInvalid = "FieldValueInvalid";
inline constexpr std::string_view kCauseTypeFieldValueNotSupported = "FieldValueNotSupported";
inline constexpr std::string_view kCauseTypeForbidden = "FieldValueForbidden";
inline constexpr std::string_view kCauseTypeTooLong = "FieldValueTooLong";
inline constexpr std::string_view kCauseTypeTooMany = "FieldValueTooMany";
inline constexpr std::string_view kCauseTypeInternal = "InternalError";
inline constexpr std::string_view kCauseTypeTypeInvalid = "FieldValueTypeInvalid";
inline constexpr std::string_view kCauseTypeUnexpectedServerResponse = "UnexpectedServerResponse";
inline constexpr std::string_view kCauseTypeFieldManagerConflict = "FieldManagerConflict";
inline constexpr std::string_view kCauseTypeResourceVersionTooLarge = "ResourceVersionTooLarge";

inline constexpr std::string_view kLabelSelectorOpIn = "In";
inline constexpr std::string_view kLabelSelectorOpNotIn = "NotIn";
inline constexpr std::string_view kLabelSelectorOpExists = "Exists";
inline constexpr std::string_view kLabelSelectorOpDoesNotExist = "DoesNotExist";

inline constexpr std::string_view kConditionTrue = "True";
inline constexpr std::string_view kConditionFalse = "False";
inline constexpr std::string_view kConditionUnknown = "Unknown";

inline constexpr std::string_view kFinalizerOrphanDependents = "orphan";
inline constexpr std::string_view kFinalizerDeleteDependents = "foregroundDeletion";

// A reference from a dependent object to its owner (metadata.ownerReferences[]).
struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> block_owner_deletion;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version, kEmitEmpty);
    v("kind", kind, kEmitEmpty);
    v("name", name, kEmitEmpty);
    v("uid", uid, kEmitEmpty);
    v("controller", controller);
    v("blockOwnerDeletion", block_owner_deletion);
  }
  friend bool operator==(const OwnerReference&, const OwnerReference&) = default;
};

// One server-side-apply field ownership record (metadata.managedFields[]). The owned field set
// (fieldsV1) is kept free-form.
struct ManagedFieldsEntry {
  std::string manager;
  std::string operation;
  std::string api_version;
  std::optional<std::string> time;
  std::string fields_type;
  std::optional<Value> fields_v1;
  std::string subresource;

  template <typename V>
  void VisitFields(V& v) {
    v("manager", manager);
    v("operation", operation);
    v("apiVersion", api_version);
    v("time", time);
    v("fieldsType", fields_type);
    v("fieldsV1", fields_v1);
    v("subresource", subresource);
  }
  friend bool operator==(const ManagedFieldsEntry&, const ManagedFieldsEntry&) = default;
};

// Standard metadata of every persisted object (metav1.ObjectMeta). creation_timestamp is empty
// when unset; deletion_timestamp is set once deletion has been requested.
struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;
  std::string self_link;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::string creation_timestamp;
  std::optional<std::string> deletion_timestamp;
  std::optional<int64_t> deletion_grace_period_seconds;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;
  std::vector<std::string> finalizers;
  std::vector<ManagedFieldsEntry> managed_fields;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name);
    v("generateName", generate_name);
    v("namespace", namespace_);
    v("selfLink", self_link);
    v("uid", uid);
    v("resourceVersion", resource_version);
    v("generation", generation);
    v("creationTimestamp", creation_timestamp);
    v("deletionTimestamp", deletion_timestamp);
    v("deletionGracePeriodSeconds", deletion_grace_period_seconds);
    v("labels", labels);
    v("annotations", annotations);
    v("ownerReferences", owner_references);
    v("finalizers", finalizers);
    v("managedFields", managed_fields);
  }
  friend bool operator==(const ObjectMeta&, const ObjectMeta&) = default;
};

// Describes the shard of a sharded list response (metav1.ShardInfo).
struct ShardInfo {
  std::string selector;

  template <typename V>
  void VisitFields(V& v) {
    v("selector", selector, kEmitEmpty);
  }
  friend bool operator==(const ShardInfo&, const ShardInfo&) = default;
};

// Metadata of list responses (metav1.ListMeta).
struct ListMeta {
  std::string self_link;
  std::string resource_version;
  std::string continue_;
  std::optional<int64_t> remaining_item_count;
  std::optional<ShardInfo> shard_info;

  template <typename V>
  void VisitFields(V& v) {
    v("selfLink", self_link);
    v("resourceVersion", resource_version);
    v("continue", continue_);
    v("remainingItemCount", remaining_item_count);
    v("shardInfo", shard_info);
  }
  friend bool operator==(const ListMeta&, const ListMeta&) = default;
};

// One reason for a failed request, usually tied to a field path (metav1.StatusCause). Note that
// the cause type is serialized as "reason".
struct StatusCause {
  std::string reason;
  std::string message;
  std::string field;

  template <typename V>
  void VisitFields(V& v) {
    v("reason", reason);
    v("message", message);
    v("field", field);
  }
  friend bool operator==(const StatusCause&, const StatusCause&) = default;
};

// Extended data of a Status: which object failed and why (metav1.StatusDetails).
struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::string uid;
  std::vector<StatusCause> causes;
  int32_t retry_after_seconds = 0;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name);
    v("group", group);
    v("kind", kind);
    v("uid", uid);
    v("causes", causes);
    v("retryAfterSeconds", retry_after_seconds);
  }
  friend bool operator==(const StatusDetails&, const StatusDetails&) = default;
};

// The result of a call that does not return an object, in particular every error response
// (metav1.Status). `code` is the HTTP status code.
struct Status {
  static constexpr std::string_view kKind = "Status";
  static constexpr std::string_view kGroupVersion = "v1";
  // Status is not a served resource; it has no REST path of its own.
  static constexpr std::string_view kResource = "";
  static constexpr bool kNamespaced = false;

  std::string api_version;
  std::string kind;
  ListMeta metadata;
  std::string status;
  std::string message;
  std::string reason;
  std::optional<StatusDetails> details;
  int32_t code = 0;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("status", status);
    v("message", message);
    v("reason", reason);
    v("details", details);
    v("code", code);
  }
  friend bool operator==(const Status&, const Status&) = default;
};

// One requirement of a label selector: key, operator (In, NotIn, Exists, DoesNotExist) and
// values (metav1.LabelSelectorRequirement).
struct LabelSelectorRequirement {
  std::string key;
  std::string operator_;
  std::vector<std::string> values;

  template <typename V>
  void VisitFields(V& v) {
    v("key", key, kEmitEmpty);
    v("operator", operator_, kEmitEmpty);
    v("values", values);
  }
  friend bool operator==(const LabelSelectorRequirement&,
                         const LabelSelectorRequirement&) = default;
};

// A label query; all of match_labels and match_expressions are ANDed (metav1.LabelSelector).
struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;

  template <typename V>
  void VisitFields(V& v) {
    v("matchLabels", match_labels);
    v("matchExpressions", match_expressions);
  }
  friend bool operator==(const LabelSelector&, const LabelSelector&) = default;
};

// The standard condition type (metav1.Condition). status is "True", "False" or "Unknown".
struct Condition {
  std::string type;
  std::string status;
  int64_t observed_generation = 0;
  std::string last_transition_time;
  std::string reason;
  std::string message;

  template <typename V>
  void VisitFields(V& v) {
    v("type", type, kEmitEmpty);
    v("status", status, kEmitEmpty);
    v("observedGeneration", observed_generation);
    // Required upstream; a zero time is written by Go as null, so it is not marked kEmitEmpty.
    v("lastTransitionTime", last_transition_time);
    v("reason", reason, kEmitEmpty);
    v("message", message, kEmitEmpty);
  }
  friend bool operator==(const Condition&, const Condition&) = default;
};

}  // namespace dra::api

#endif  // DRA_API_META_TYPES_H_
