#include "dra/api/codec/codec.h"

#include <utility>

#include "dra/api/codec/json.h"
#include "dra/api/codec/reflect.h"
#include "dra/api/codec/yaml.h"
#include "dra/api/conversion.h"
#include "dra/base/strings.h"

namespace dra::api {
namespace {

template <typename T>
void FillTypeMeta(T& object) {
  object.api_version = std::string(T::kGroupVersion);
  object.kind = std::string(T::kKind);
}

// Decodes into the alternative of Object whose kind and group/version match, if any.
template <size_t I = 0>
bool DecodeKnownKind(std::string_view api_version, std::string_view kind, const Value& document,
                     Decoder& decoder, std::optional<Object>& out) {
  if constexpr (I < std::variant_size_v<Object>) {
    using T = std::variant_alternative_t<I, Object>;
    if (kind == T::kKind && api_version == T::kGroupVersion) {
      T object;
      decoder.DecodeStruct(document, FieldPath(), object);
      out = std::move(object);
      return true;
    }
    return DecodeKnownKind<I + 1>(api_version, kind, document, decoder, out);
  } else {
    return false;
  }
}

template <size_t I = 0>
std::string_view GroupVersionOfKind(std::string_view kind) {
  if constexpr (I < std::variant_size_v<Object>) {
    using T = std::variant_alternative_t<I, Object>;
    if (kind == T::kKind) return T::kGroupVersion;
    return GroupVersionOfKind<I + 1>(kind);
  } else {
    return "";
  }
}

// Fields that older resource.k8s.io versions had on a request and v1 nests under `exactly`.
constexpr std::string_view kExactlyFields[] = {"deviceClassName", "selectors",   "allocationMode",
                                               "count",           "adminAccess", "tolerations",
                                               "capacity"};

// Explains unknown fields that come from copying an older API version's shape into a v1 object.
std::string MovedFieldHint(std::string_view path) {
  std::string_view last = path;
  if (auto dot = path.rfind('.'); dot != std::string_view::npos) last = path.substr(dot + 1);
  std::string_view parent = path.substr(0, path.size() - last.size());
  if (parent.ends_with('.')) parent.remove_suffix(1);
  auto is_request = [&] {
    // spec.devices.requests[N] or spec.spec.devices.requests[N] (templates)
    return parent.ends_with("]") && dra::StrContains(parent, "devices.requests[") &&
           !dra::StrContains(parent, "firstAvailable");
  };
  for (auto f : kExactlyFields) {
    if (last == f && is_request()) {
      return dra::StrCat("in resource.k8s.io/v1 this field belongs under `exactly`: write ", parent,
                         ".exactly.", last, " (the request shape of v1beta1 is not valid in v1)");
    }
  }
  if (last == "quantity" && dra::StrContains(parent, ".attributes[")) {
    std::string_view attribute = parent.substr(parent.rfind('[') + 1);
    attribute.remove_suffix(1);
    std::string_view device = parent.substr(0, parent.rfind(".attributes["));
    return dra::StrCat(
        "attributes are bool, int, string or version (or the lists ints, bools, strings, "
        "versions); a quantity is published as capacity: write ",
        device, ".capacity[", attribute, "].value");
  }
  if (last == "source" && parent.ends_with("]") &&
      dra::StrContains(parent, "spec.resourceClaims[")) {
    return dra::StrCat("pod.spec.resourceClaims[].source was removed in Kubernetes v1.31: write ",
                       parent, ".resourceClaimName or ", parent,
                       ".resourceClaimTemplateName directly");
  }
  if (last == "basic" && dra::StrContains(parent, "devices[")) {
    return dra::StrCat(
        "resource.k8s.io/v1 has no `basic`: move its fields (attributes, capacity, ...) up into ",
        parent);
  }
  return "";
}

}  // namespace

std::string ObjectIdentity::Describe() const {
  std::string name_part = namespace_.empty() ? name : dra::StrCat(namespace_, "/", name);
  return dra::StrCat(kind.empty() ? "object" : kind, " \"", name_part, "\"");
}

ObjectIdentity IdentityOf(const Value& document) {
  ObjectIdentity id;
  auto str = [&](const Value* v) { return v != nullptr && v->is_string() ? v->text() : ""; };
  id.api_version = str(document.Find("apiVersion"));
  id.kind = str(document.Find("kind"));
  if (const Value* meta = document.Find("metadata")) {
    id.name = str(meta->Find("name"));
    if (id.name.empty()) id.name = str(meta->Find("generateName"));
    id.namespace_ = str(meta->Find("namespace"));
  }
  return id;
}

ObjectIdentity IdentityOf(const Object& object) {
  return std::visit(
      [](const auto& o) {
        return ObjectIdentity{
            o.api_version.empty() ? std::string(std::decay_t<decltype(o)>::kGroupVersion)
                                  : o.api_version,
            std::string(std::decay_t<decltype(o)>::kKind), o.metadata.name, o.metadata.namespace_};
      },
      object);
}

absl::StatusOr<std::vector<Value>> ParseDocuments(std::string_view bytes) {
  std::string_view trimmed = bytes;
  while (!trimmed.empty() &&
         (trimmed[0] == ' ' || trimmed[0] == '\n' || trimmed[0] == '\t' || trimmed[0] == '\r')) {
    trimmed.remove_prefix(1);
  }
  std::vector<Value> documents;
  if (!trimmed.empty() && (trimmed[0] == '{' || trimmed[0] == '[')) {
    auto parsed = ParseJsonStream(bytes);
    if (!parsed.ok()) return parsed.status();
    documents = *std::move(parsed);
  } else {
    auto parsed = ParseYamlDocuments(bytes);
    if (!parsed.ok()) return parsed.status();
    documents = *std::move(parsed);
  }
  std::vector<Value> out;
  for (auto& doc : documents) {
    if (doc.is_array()) {
      for (auto& item : doc.mutable_items()) out.push_back(std::move(item));
      continue;
    }
    const Value* kind = doc.Find("kind");
    const Value* items = doc.Find("items");
    if (kind != nullptr && kind->is_string() && kind->text().ends_with("List") &&
        (items == nullptr || items->is_array() || items->is_null())) {
      if (items != nullptr && items->is_array()) {
        for (const auto& item : items->items()) out.push_back(item);
      }
      continue;
    }
    out.push_back(std::move(doc));
  }
  return out;
}

DecodedDocument DecodeDocument(const Value& document, const DecodeOptions& options) {
  DecodedDocument result;
  result.identity = IdentityOf(document);
  const ObjectIdentity& id = result.identity;
  if (!document.is_object()) {
    result.status =
        absl::InvalidArgumentError(dra::StrCat("expected an object, got ", document.KindName()));
    return result;
  }
  if (id.kind.empty() || id.api_version.empty()) {
    result.status = absl::InvalidArgumentError(
        dra::StrCat("Object 'Kind' is missing or apiVersion is not set in ", id.Describe(),
                    ": every manifest needs apiVersion and kind"));
    if (!id.kind.empty() && id.api_version.empty()) {
      std::string_view gv = GroupVersionOfKind(id.kind);
      if (!gv.empty()) {
        result.status = absl::InvalidArgumentError(
            dra::StrCat(id.Describe(), ": apiVersion is not set; write apiVersion: ", gv));
      }
    }
    return result;
  }

  Value converted = document;
  if (id.api_version.starts_with("resource.k8s.io/")) {
    if (absl::Status served = CheckServedVersion(id.api_version, id.kind); !served.ok()) {
      result.status =
          absl::InvalidArgumentError(dra::StrCat(id.Describe(), ": ", served.message()));
      return result;
    }
    if (absl::Status s = ConvertToV1(converted); !s.ok()) {
      result.status = absl::InvalidArgumentError(dra::StrCat(id.Describe(), ": ", s.message()));
      return result;
    }
  }
  const Value* api_version = converted.Find("apiVersion");
  std::string version = api_version != nullptr ? api_version->text() : id.api_version;

  Decoder decoder(&result.errors, options.strict);
  std::optional<Object> object;
  if (!DecodeKnownKind(version, id.kind, converted, decoder, object)) {
    std::string_view gv = GroupVersionOfKind(id.kind);
    if (!gv.empty()) {
      result.status = absl::InvalidArgumentError(
          dra::StrCat(id.Describe(), ": no kind \"", id.kind, "\" is registered for version \"",
                      id.api_version, "\"; write apiVersion: ", gv));
    } else {
      // Outside resource.k8s.io this is a kind dra does not model (a Service, a ConfigMap...):
      // NotFound lets callers skip it. Inside, no such kind exists.
      std::string message = dra::StrCat(
          id.Describe(), ": no kind \"", id.kind, "\" is registered for version \"", id.api_version,
          "\" (dra reads DeviceClass, ResourceSlice, ResourceClaim, "
          "ResourceClaimTemplate, DeviceTaintRule, Pod, Node, Namespace and Event)");
      result.status = id.api_version.starts_with("resource.k8s.io/")
                          ? absl::InvalidArgumentError(message)
                          : absl::NotFoundError(message);
    }
    return result;
  }
  for (FieldError& e : result.errors) {
    if (e.type == FieldError::Type::kUnknownField && e.detail.empty()) {
      e.detail = MovedFieldHint(e.field);
    }
  }
  // With only unknown fields the rest of the object is still meaningful (validation can add
  // its own findings); a mistyped value leaves a hole, so the object is dropped then.
  bool only_unknown = true;
  for (const FieldError& e : result.errors) {
    only_unknown = only_unknown && e.type == FieldError::Type::kUnknownField;
  }
  if (only_unknown) result.object = std::move(object);
  return result;
}

absl::StatusOr<std::vector<DecodedDocument>> DecodeAll(std::string_view bytes,
                                                       const DecodeOptions& options) {
  auto documents = ParseDocuments(bytes);
  if (!documents.ok()) return documents.status();
  std::vector<DecodedDocument> out;
  out.reserve(documents->size());
  for (const auto& doc : *documents) out.push_back(DecodeDocument(doc, options));
  return out;
}

Value EncodeObject(const Object& object) {
  return std::visit(
      [](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        T copy = o;
        FillTypeMeta(copy);
        return EncodeValue(copy);
      },
      object);
}

std::string WriteObjects(const std::vector<Value>& documents, OutputFormat format) {
  if (format == OutputFormat::kYaml) return WriteYamlDocuments(documents);
  if (documents.size() == 1) return WriteJson(documents[0], 4) + "\n";
  Value list = Value::Object();
  list.Set("apiVersion", Value::String("v1"));
  list.Set("items", Value::Array(documents));
  list.Set("kind", Value::String("List"));
  list.Set("metadata", Value::Object({{"resourceVersion", Value::String("")}}));
  return WriteJson(list, 4) + "\n";
}

}  // namespace dra::api
