// Generates OpenAPI schemas from C++ API types by walking their VisitFields (see
// dra/api/meta_types.h), registering each struct once as a named definition.
//
// Member types map as follows: std::string -> string, bool -> boolean, integers -> integer
// (int32/int64 format), floating point -> number, std::optional<T> -> T, std::vector<T> ->
// array, std::map<std::string, T> -> object with additionalProperties, dra::Quantity -> $ref to
// io.k8s.apimachinery.pkg.api.resource.Quantity, dra::api::Value -> free-form object
// (x-kubernetes-preserve-unknown-fields), IntOrString / RawExtension / PatchBody (models.h) ->
// $ref to their upstream definitions, and any other struct -> $ref to its definition, named by
// TypeInfo<T> (type_names.h; a missing entry is a compile error). String fields listed as
// timestamps in field_notes.cc become $refs to meta/v1 Time or MicroTime.
//
// Schemas are produced in OpenAPI v3 form: references are "#/components/schemas/<name>", and a
// reference that carries a description is wrapped as {"allOf": [{"$ref": ...}], "description":
// ...}. ToSwaggerV2() rewrites a schema into the Swagger 2.0 form.
//
// A property is `required` when its member is flagged kEmitEmpty and is a scalar, a list or a
// free-form value (structs are always written, so the flag says nothing about them); the
// field-note table overrides this rule per field.
//
// Thread-compatible: one builder per document being built.
#ifndef DRA_APISERVER_OPENAPI_SCHEMA_BUILDER_H_
#define DRA_APISERVER_OPENAPI_SCHEMA_BUILDER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dra/api/codec/reflect.h"
#include "dra/api/meta_types.h"
#include "dra/api/value.h"
#include "dra/apiserver/openapi/field_notes.h"
#include "dra/apiserver/openapi/models.h"
#include "dra/apiserver/openapi/type_names.h"
#include "dra/base/quantity.h"
#include "dra/base/strings.h"
#include "nlohmann/json.hpp"

namespace dra::apiserver::openapi {

inline constexpr std::string_view kQuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";
inline constexpr std::string_view kTimeName = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
inline constexpr std::string_view kMicroTimeName = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
inline constexpr std::string_view kIntOrStringName =
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
inline constexpr std::string_view kRawExtensionName =
    "io.k8s.apimachinery.pkg.runtime.RawExtension";
inline constexpr std::string_view kPatchName = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

// "#/components/schemas/<name>".
std::string SchemaRef(std::string_view name);

// The definition name a "#/components/schemas/..." reference points to; empty for other
// strings.
std::string_view RefTarget(std::string_view ref);

// Rewrites a v3-form schema (or any JSON tree holding schemas) into Swagger 2.0 form: references
// point to "#/definitions/", single-reference allOf wrappers become plain $ref with siblings, and
// oneOf alternatives (Quantity, IntOrString) become type string.
nlohmann::json ToSwaggerV2(const nlohmann::json& v3);

namespace schema_internal {

// The codec's member-type traits (dra/api/codec/reflect.h).
using api::codec_internal::IsOptional;
using api::codec_internal::IsStringMap;
using api::codec_internal::IsVector;
template <typename T>
struct IsObjectList : std::false_type {};
template <typename T>
struct IsObjectList<ObjectList<T>> : std::true_type {
  using Item = T;
};

template <typename T>
struct StripOptional {
  using type = T;
};
template <typename T>
struct StripOptional<std::optional<T>> {
  using type = T;
};

// Whether kEmitEmpty on a member of this type means "required" (see the file comment).
template <typename M>
constexpr bool FlagMeansRequired() {
  using T = typename StripOptional<M>::type;
  return std::is_same_v<T, std::string> || std::is_arithmetic_v<T> || std::is_same_v<T, Quantity> ||
         std::is_same_v<T, api::Value> || IsVector<T>::value;
}

}  // namespace schema_internal

class SchemaBuilder {
 public:
  // `resource_version` names the io.k8s.api.resource.<version> package ("v1", "v1beta2"...).
  explicit SchemaBuilder(std::string resource_version)
      : resource_version_(std::move(resource_version)) {}

  // The definition name of struct T, e.g. "io.k8s.api.core.v1.Pod".
  template <typename T>
  std::string NameOf() const {
    if constexpr (schema_internal::IsObjectList<T>::value) {
      using Item = typename schema_internal::IsObjectList<T>::Item;
      return dra::StrCat(PackagePrefix(TypeInfo<Item>::kPackage), ".", TypeInfo<Item>::kName,
                         "List");
    } else {
      return dra::StrCat(PackagePrefix(TypeInfo<T>::kPackage), ".", TypeInfo<T>::kName);
    }
  }

  // The field-note owner key of struct T, e.g. "core.Pod" (see field_notes.h).
  template <typename T>
  static std::string OwnerKey() {
    if constexpr (schema_internal::IsObjectList<T>::value) {
      using Item = typename schema_internal::IsObjectList<T>::Item;
      return dra::StrCat(PackageTag(TypeInfo<Item>::kPackage), ".", TypeInfo<Item>::kName, "List");
    } else {
      return dra::StrCat(PackageTag(TypeInfo<T>::kPackage), ".", TypeInfo<T>::kName);
    }
  }

  // Registers struct T and every definition it references; returns T's definition name.
  // Registering again is a no-op.
  template <typename T>
  std::string Register() {
    std::string name = NameOf<T>();
    if (definitions_.count(name) != 0) return name;
    definitions_[name] = nullptr;  // Placeholder: stops recursion through cyclic types.
    nlohmann::json schema = {{"type", "object"}};
    if constexpr (schema_internal::IsObjectList<T>::value) {
      using Item = typename schema_internal::IsObjectList<T>::Item;
      schema["description"] = dra::StrCat("A list of ", TypeInfo<Item>::kName, " objects.");
    } else {
      schema["description"] = std::string(TypeInfo<T>::kDescription);
    }
    PropertyVisitor visitor{this, OwnerKey<T>(), nlohmann::json::object(), nlohmann::json::array()};
    T instance{};
    instance.VisitFields(visitor);
    schema["properties"] = std::move(visitor.properties);
    if (!visitor.required.empty()) schema["required"] = std::move(visitor.required);
    definitions_[name] = std::move(schema);
    return name;
  }

  // Adds a hand-made definition unless one of that name exists.
  void Define(std::string name, nlohmann::json schema);

  std::map<std::string, nlohmann::json>& definitions() { return definitions_; }
  const std::map<std::string, nlohmann::json>& definitions() const { return definitions_; }

  // The schema of a member of type T, without description: inline for scalars, lists and
  // maps, a $ref for named definitions (registered on the way).
  template <typename T>
  nlohmann::json TypeSchema() {
    using schema_internal::IsOptional;
    using schema_internal::IsStringMap;
    using schema_internal::IsVector;
    if constexpr (IsOptional<T>::value) {
      return TypeSchema<typename T::value_type>();
    } else if constexpr (std::is_same_v<T, api::Value>) {
      return {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
    } else if constexpr (std::is_same_v<T, std::string>) {
      return {{"type", "string"}};
    } else if constexpr (std::is_same_v<T, bool>) {
      return {{"type", "boolean"}};
    } else if constexpr (std::is_integral_v<T>) {
      return {{"type", "integer"}, {"format", sizeof(T) <= 4 ? "int32" : "int64"}};
    } else if constexpr (std::is_floating_point_v<T>) {
      return {{"type", "number"}, {"format", "double"}};
    } else if constexpr (std::is_same_v<T, Quantity>) {
      return RefTo(DefineQuantity());
    } else if constexpr (std::is_same_v<T, IntOrString>) {
      return RefTo(DefineIntOrString());
    } else if constexpr (std::is_same_v<T, RawExtension>) {
      return RefTo(DefineRawExtension());
    } else if constexpr (std::is_same_v<T, PatchBody>) {
      return RefTo(DefinePatch());
    } else if constexpr (IsVector<T>::value) {
      return {{"type", "array"}, {"items", TypeSchema<typename T::value_type>()}};
    } else if constexpr (IsStringMap<T>::value) {
      return {{"type", "object"}, {"additionalProperties", TypeSchema<typename T::mapped_type>()}};
    } else {
      return RefTo(Register<T>());
    }
  }

  // Defines meta/v1 Time or MicroTime; returns its name.
  std::string DefineTime(TimeKind kind);

 private:
  struct PropertyVisitor {
    SchemaBuilder* builder;
    std::string owner_key;
    nlohmann::json properties;
    nlohmann::json required;

    template <typename M>
    void operator()(std::string_view name, M& /*member*/, int flags = 0) {
      const FieldNote* note = FindFieldNote(owner_key, name);
      nlohmann::json schema;
      constexpr bool kIsString =
          std::is_same_v<typename schema_internal::StripOptional<M>::type, std::string>;
      if (kIsString && note != nullptr && note->time != TimeKind::kNone) {
        schema = RefTo(builder->DefineTime(note->time));
      } else {
        schema = builder->TypeSchema<M>();
      }
      builder->Annotate(schema, owner_key, name, note, IsObjectMeta<M>());
      properties[std::string(name)] = std::move(schema);
      bool is_required = (flags & api::kEmitEmpty) != 0 && schema_internal::FlagMeansRequired<M>();
      if (note != nullptr && note->required.has_value()) is_required = *note->required;
      if (is_required) required.push_back(std::string(name));
    }

    template <typename M>
    static std::optional<bool> IsObjectMeta() {
      if constexpr (std::is_same_v<M, api::ObjectMeta>) return true;
      if constexpr (std::is_same_v<M, api::ListMeta>) return false;
      return std::nullopt;
    }
  };

  // Adds the description and the patch/list hints of field `name` of `owner_key` to `schema`.
  // `object_meta` is set for metadata members (true: ObjectMeta, false: ListMeta).
  static void Annotate(nlohmann::json& schema, std::string_view owner_key, std::string_view name,
                       const FieldNote* note, std::optional<bool> object_meta);

  static nlohmann::json RefTo(std::string_view name) { return {{"$ref", SchemaRef(name)}}; }

  std::string PackagePrefix(Package p) const;
  std::string DefineQuantity();
  std::string DefineIntOrString();
  std::string DefineRawExtension();
  std::string DefinePatch();

  std::string resource_version_;
  std::map<std::string, nlohmann::json> definitions_;
};

}  // namespace dra::apiserver::openapi

#endif  // DRA_APISERVER_OPENAPI_SCHEMA_BUILDER_H_
