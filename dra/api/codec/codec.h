// Reading and writing whole API objects: JSON or YAML bytes <-> typed objects.
//
// Reading: a byte stream (one JSON document, concatenated JSON documents, or multi-document YAML)
// is split into documents; `kind: List` / `*List` documents are expanded into their items. Each
// document is then decoded on its own: apiVersion and kind pick the type, older resource.k8s.io
// versions are converted to v1 first, withdrawn ones are refused with an error naming what
// replaced them, and the typed decoder collects field errors (unknown fields in strict mode,
// mistyped values).
//
// Stateless functions; thread-safe.
#ifndef DRA_API_CODEC_CODEC_H_
#define DRA_API_CODEC_CODEC_H_

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/core_types.h"
#include "dra/api/field_error.h"
#include "dra/api/resource_types.h"
#include "dra/api/value.h"

namespace dra::api {

// Every kind dra reads and writes.
using Object = std::variant<DeviceClass, ResourceSlice, ResourceClaim, ResourceClaimTemplate,
                            DeviceTaintRule, Pod, Node, Namespace, Event>;

// apiVersion/kind/name/namespace of any object, for messages.
struct ObjectIdentity {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string namespace_;

  // `resourceclaims "ns/name"`-style reference as upstream messages print it:
  // `ResourceClaim "default/my-claim"`.
  std::string Describe() const;
};

ObjectIdentity IdentityOf(const Object& object);
// Reads the identity fields from an undecoded document (best effort; missing ones stay empty).
ObjectIdentity IdentityOf(const Value& document);

struct DecodeOptions {
  // Reject unknown and duplicate fields (the API server's fieldValidation=Strict).
  bool strict = true;
};

// The outcome of decoding one document.
struct DecodedDocument {
  ObjectIdentity identity;  // as written in the document (apiVersion before conversion)
  // Set when the document could be decoded. When `errors` holds only unknown fields, the object
  // is what remains without them (so that validation can report more); with any other field
  // error it is unset.
  std::optional<Object> object;
  FieldErrorList errors;  // field-level decoding problems
  // Document-level problem: NotFound for a kind dra does not model outside resource.k8s.io
  // (callers may skip it), InvalidArgument for everything else (no apiVersion or kind, a
  // withdrawn or unknown resource.k8s.io version or kind).
  absl::Status status;

  bool ok() const { return status.ok() && errors.empty() && object.has_value(); }
};

// Splits `bytes` into documents. JSON is detected by a leading '{' or '['; anything else is
// YAML. List kinds are expanded. Errors (syntax) name line and column.
absl::StatusOr<std::vector<Value>> ParseDocuments(std::string_view bytes);

// Decodes one document (see the file comment).
DecodedDocument DecodeDocument(const Value& document, const DecodeOptions& options = {});

// Parses and decodes every document of `bytes`.
absl::StatusOr<std::vector<DecodedDocument>> DecodeAll(std::string_view bytes,
                                                       const DecodeOptions& options = {});

// Decodes a typed object from a document that must be of T's kind (already v1).
template <typename T>
absl::StatusOr<T> DecodeAs(const Value& document, const DecodeOptions& options = {});

// Encodes an object as a v1 document tree (apiVersion and kind filled in).
Value EncodeObject(const Object& object);

enum class OutputFormat { kYaml, kJson };
// Writes objects: one YAML document each (separated by ---), or JSON (a single object, or a
// `kind: List` when there are several), pretty-printed as kubectl prints them.
std::string WriteObjects(const std::vector<Value>& documents, OutputFormat format);

}  // namespace dra::api

#include "dra/api/codec/codec_inl.h"  // IWYU pragma: export

#endif  // DRA_API_CODEC_CODEC_H_
