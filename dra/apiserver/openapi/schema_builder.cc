#include "dra/apiserver/openapi/schema_builder.h"

#include <string>
#include <utility>

namespace dra::apiserver::openapi {
namespace {

constexpr std::string_view kV3RefPrefix = "#/components/schemas/";
constexpr std::string_view kV2RefPrefix = "#/definitions/";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string GenericDescription(std::string_view owner_key, std::string_view name,
                               std::optional<bool> object_meta) {
  if (name == "apiVersion") {
    return "The versioned schema of this representation of the object, such as v1 or "
           "resource.k8s.io/v1. Servers reject versions they do not serve.";
  }
  if (name == "kind") {
    return "The kind of this object, in CamelCase (for example Pod). Servers infer it from "
           "the endpoint when omitted.";
  }
  if (name == "metadata" && object_meta.has_value()) {
    return *object_meta ? "Standard object metadata." : "Standard list metadata.";
  }
  if (name == "items" && EndsWith(owner_key, "List")) return "The objects in this list.";
  return "";
}

}  // namespace

std::string SchemaRef(std::string_view name) { return dra::StrCat(kV3RefPrefix, name); }

std::string_view RefTarget(std::string_view ref) {
  if (ref.substr(0, kV3RefPrefix.size()) != kV3RefPrefix) return {};
  return ref.substr(kV3RefPrefix.size());
}

nlohmann::json ToSwaggerV2(const nlohmann::json& v3) {
  if (v3.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : v3) out.push_back(ToSwaggerV2(item));
    return out;
  }
  if (!v3.is_object()) return v3;
  nlohmann::json out = nlohmann::json::object();
  for (auto it = v3.begin(); it != v3.end(); ++it) {
    const std::string& key = it.key();
    if (key == "$ref" && it.value().is_string()) {
      std::string_view target = RefTarget(it.value().get_ref<const std::string&>());
      out[key] = target.empty() ? it.value() : nlohmann::json(dra::StrCat(kV2RefPrefix, target));
    } else if (key == "allOf" && it.value().is_array() && it.value().size() == 1 &&
               it.value()[0].is_object() && it.value()[0].size() == 1 &&
               it.value()[0].contains("$ref")) {
      out["$ref"] = ToSwaggerV2(it.value()[0])["$ref"];
    } else if (key == "oneOf") {
      out["type"] = "string";
    } else {
      out[key] = ToSwaggerV2(it.value());
    }
  }
  return out;
}

void SchemaBuilder::Define(std::string name, nlohmann::json schema) {
  definitions_.emplace(std::move(name), std::move(schema));
}

std::string SchemaBuilder::PackagePrefix(Package p) const {
  switch (p) {
    case Package::kMeta:
      return "io.k8s.apimachinery.pkg.apis.meta.v1";
    case Package::kCore:
      return "io.k8s.api.core.v1";
    case Package::kResource:
      return dra::StrCat("io.k8s.api.resource.", resource_version_);
    case Package::kCoordination:
      return "io.k8s.api.coordination.v1";
    case Package::kApps:
      return "io.k8s.api.apps.v1";
    case Package::kAutoscaling:
      return "io.k8s.api.autoscaling.v1";
  }
  return "";
}

std::string SchemaBuilder::DefineTime(TimeKind kind) {
  if (kind == TimeKind::kMicroTime) {
    Define(std::string(kMicroTimeName),
           {{"type", "string"},
            {"format", "date-time"},
            {"description",
             "A timestamp with microsecond precision, written in RFC 3339 "
             "form (for example 2006-01-02T15:04:05.000000Z07:00)."}});
    return std::string(kMicroTimeName);
  }
  Define(std::string(kTimeName),
         {{"type", "string"},
          {"format", "date-time"},
          {"description",
           "A timestamp with second precision, written in RFC 3339 form (for "
           "example 2006-01-02T15:04:05Z)."}});
  return std::string(kTimeName);
}

std::string SchemaBuilder::DefineQuantity() {
  Define(std::string(kQuantityName),
         {{"oneOf", {{{"type", "string"}}, {{"type", "number"}}}},
          {"description",
           "A fixed-point amount such as 100m, 2, 1.5Gi or 1e3: a number with an "
           "optional decimal (k, M, G...) or binary (Ki, Mi, Gi...) suffix, "
           "written as a string or a number."}});
  return std::string(kQuantityName);
}

std::string SchemaBuilder::DefineIntOrString() {
  Define(std::string(kIntOrStringName),
         {{"oneOf", {{{"type", "integer"}}, {{"type", "string"}}}},
          {"format", "int-or-string"},
          {"description", "Either an integer or a string, such as 3 or \"25%\"."}});
  return std::string(kIntOrStringName);
}

std::string SchemaBuilder::DefineRawExtension() {
  Define(std::string(kRawExtensionName), {{"type", "object"},
                                          {"x-kubernetes-preserve-unknown-fields", true},
                                          {"description", "An embedded object of any kind."}});
  return std::string(kRawExtensionName);
}

std::string SchemaBuilder::DefinePatch() {
  Define(std::string(kPatchName),
         {{"type", "object"},
          {"description",
           "A patch document; its format is given by the request's "
           "Content-Type (JSON patch, merge patch, strategic merge patch or "
           "apply configuration)."}});
  return std::string(kPatchName);
}

void SchemaBuilder::Annotate(nlohmann::json& schema, std::string_view owner_key,
                             std::string_view name, const FieldNote* note,
                             std::optional<bool> object_meta) {
  std::string description = note != nullptr && !note->description.empty()
                                ? std::string(note->description)
                                : GenericDescription(owner_key, name, object_meta);
  if (!description.empty()) {
    if (schema.contains("$ref")) {
      schema = {{"allOf", nlohmann::json::array({std::move(schema)})}};
    }
    schema["description"] = std::move(description);
  }
  if (note == nullptr) return;
  if (!note->patch_strategy.empty()) {
    schema["x-kubernetes-patch-strategy"] = std::string(note->patch_strategy);
  }
  if (!note->patch_merge_key.empty()) {
    schema["x-kubernetes-patch-merge-key"] = std::string(note->patch_merge_key);
  }
  if (!note->list_type.empty()) schema["x-kubernetes-list-type"] = std::string(note->list_type);
  if (!note->list_map_key.empty()) {
    schema["x-kubernetes-list-map-keys"] = nlohmann::json::array({std::string(note->list_map_key)});
  }
}

}  // namespace dra::apiserver::openapi
