#include "dra/apiserver/objects.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <utility>
#include <variant>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/reflect.h"
#include "dra/api/defaults.h"
#include "dra/api/validation/names.h"
#include "dra/api/validation/validation.h"
#include "dra/api/workloads.h"
#include "dra/apiserver/errors.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/cel/validation_hook.h"

namespace dra::apiserver {
namespace {

using api::FieldError;
using api::FieldErrorList;
using api::FieldPath;
using api::Value;

constexpr std::string_view kAdminAccessLabel = "resource.kubernetes.io/admin-access";

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device() ^
           static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }());
  return rng;
}

const Value* FindPath(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* cur = &v;
  for (std::string_view key : path) {
    cur = cur->Find(key);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

std::string CannotBeHandled(const ResourceType& type, std::string_view version) {
  return dra::StrCat(type.kind, " in version \"", version, "\" cannot be handled as a ", type.kind,
                     ": ");
}

// Typed objects: the metadata member of any api::Object.
api::ObjectMeta& MetaOf(api::Object& object) {
  return std::visit([](auto& o) -> api::ObjectMeta& { return o.metadata; }, object);
}

FieldErrorList AdminAccessErrors(const api::DeviceClaim& devices, const FieldPath& path,
                                 const std::optional<Value>& namespace_labels) {
  bool allowed = false;
  if (namespace_labels.has_value()) {
    const Value* label = namespace_labels->Find(kAdminAccessLabel);
    allowed = label != nullptr && label->is_string() && label->text() == "true";
  }
  FieldErrorList errors;
  if (allowed) return errors;
  for (size_t i = 0; i < devices.requests.size(); ++i) {
    const api::DeviceRequest& r = devices.requests[i];
    if (r.exactly.has_value() && r.exactly->admin_access.value_or(false)) {
      errors.push_back(api::ForbiddenError(
          path.Child("requests")
              .Index(static_cast<int64_t>(i))
              .Child("exactly")
              .Child("adminAccess"),
          dra::StrCat("admin access to devices requires the `", kAdminAccessLabel,
                      ": true` label on the containing namespace")));
    }
  }
  return errors;
}

bool IsBestEffortResource(const std::string& name) { return name == "cpu" || name == "memory"; }

// QoS class as upstream's GetPodQOS computes it from cpu and memory requests and limits.
std::string PodQosClass(const api::PodSpec& spec) {
  bool any = false;
  bool guaranteed = true;
  auto consider = [&](const api::Container& c) {
    for (const auto& [name, q] : c.resources.requests) {
      if (IsBestEffortResource(name) && !q.IsZero()) any = true;
    }
    for (const auto& [name, q] : c.resources.limits) {
      if (IsBestEffortResource(name) && !q.IsZero()) any = true;
    }
    for (const char* name : {"cpu", "memory"}) {
      auto limit = c.resources.limits.find(name);
      auto request = c.resources.requests.find(name);
      if (limit == c.resources.limits.end() || request == c.resources.requests.end() ||
          limit->second.Compare(request->second) != 0) {
        guaranteed = false;
      }
    }
  };
  for (const api::Container& c : spec.init_containers) consider(c);
  for (const api::Container& c : spec.containers) consider(c);
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

// Validation and defaulting of typed kinds. `old` is set for updates.
absl::StatusOr<Value> FinishTyped(const ResourceType& type, const Value& object, const Value* old,
                                  Subresource subresource, bool creating,
                                  const WriteOptions& options) {
  api::DecodedDocument decoded = api::DecodeDocument(object, {.strict = false});
  if (!decoded.status.ok()) return BadRequestError(std::string(decoded.status.message()));
  if (!decoded.errors.empty() || !decoded.object.has_value()) {
    return BadRequestError(dra::StrCat(CannotBeHandled(type, type.storage_version),
                                       api::JoinFieldErrors(decoded.errors, ", ")));
  }
  api::Object typed = *std::move(decoded.object);
  api::ApplyDefaults(typed, {.now = options.now});
  if (creating) {
    if (auto* pod = std::get_if<api::Pod>(&typed)) {
      pod->status = api::PodStatus{};
      pod->status.phase = "Pending";
      pod->status.qos_class = PodQosClass(pod->spec);
    }
  }

  // Selectors are compiled as the API server compiles them (shared cache, thread-safe).
  static const api::ValidationOptions* const validation_options_ptr =
      new api::ValidationOptions(cel::SelectorValidationOptions());
  const api::ValidationOptions& validation_options = *validation_options_ptr;
  FieldErrorList errors = api::ValidateObject(typed, validation_options);
  std::optional<api::Object> old_typed;
  if (old != nullptr) {
    api::DecodedDocument old_decoded = api::DecodeDocument(*old, {.strict = false});
    if (old_decoded.object.has_value()) old_typed = std::move(old_decoded.object);
  }
  if (old_typed.has_value()) {
    FieldErrorList update_errors;
    if (auto* claim = std::get_if<api::ResourceClaim>(&typed)) {
      const auto& old_claim = std::get<api::ResourceClaim>(*old_typed);
      update_errors =
          subresource == Subresource::kStatus
              ? api::ValidateResourceClaimStatusUpdate(*claim, old_claim, validation_options)
              : api::ValidateResourceClaimUpdate(*claim, old_claim, validation_options);
    } else if (auto* slice = std::get_if<api::ResourceSlice>(&typed)) {
      update_errors = api::ValidateResourceSliceUpdate(
          *slice, std::get<api::ResourceSlice>(*old_typed), validation_options);
    } else if (auto* tmpl = std::get_if<api::ResourceClaimTemplate>(&typed)) {
      update_errors = api::ValidateResourceClaimTemplateUpdate(
          *tmpl, std::get<api::ResourceClaimTemplate>(*old_typed), validation_options);
    }
    // Errors of the object itself may repeat in the update rules; keep each once.
    for (FieldError& e : update_errors) {
      if (std::find(errors.begin(), errors.end(), e) == errors.end()) {
        errors.push_back(std::move(e));
      }
    }
  }
  // adminAccess is checked when the spec is written (status updates cannot add it).
  if (subresource == Subresource::kNone) {
    if (auto* claim = std::get_if<api::ResourceClaim>(&typed)) {
      bool was_admin = false;
      if (old_typed.has_value()) {
        // An unchanged spec was admitted before (specs are immutable anyway).
        was_admin = std::get<api::ResourceClaim>(*old_typed).spec == claim->spec;
      }
      if (!was_admin) {
        FieldErrorList admin = AdminAccessErrors(
            claim->spec.devices, FieldPath("spec").Child("devices"), options.namespace_labels);
        errors.insert(errors.end(), admin.begin(), admin.end());
      }
    } else if (auto* tmpl = std::get_if<api::ResourceClaimTemplate>(&typed)) {
      bool unchanged = old_typed.has_value() &&
                       std::get<api::ResourceClaimTemplate>(*old_typed).spec == tmpl->spec;
      if (!unchanged) {
        FieldErrorList admin = AdminAccessErrors(tmpl->spec.spec.devices,
                                                 FieldPath("spec").Child("spec").Child("devices"),
                                                 options.namespace_labels);
        errors.insert(errors.end(), admin.begin(), admin.end());
      }
    }
  }
  if (!errors.empty()) return InvalidError(type, MetaOf(typed).name, errors);
  return api::EncodeObject(typed);
}

// Kind-specific checks and defaults of document kinds.
absl::StatusOr<Value> FinishDocument(const ResourceType& type, Value object) {
  FieldErrorList errors;
  const Value* meta_value = object.Find("metadata");
  api::ObjectMeta meta;
  if (meta_value != nullptr) {
    api::Decoder decoder(&errors, /*strict=*/false);
    decoder.Decode(*meta_value, FieldPath("metadata"), meta);
  }
  if (!errors.empty()) {
    return BadRequestError(dra::StrCat(CannotBeHandled(type, type.versions.front()),
                                       api::JoinFieldErrors(errors, ", ")));
  }
  errors = api::ValidateObjectMeta(meta, type.namespaced, /*name_is_label=*/false,
                                   FieldPath("metadata"));
  if (type.kind == "Deployment" || type.kind == "ReplicaSet") {
    Value& spec =
        object.Set("spec", object.Find("spec") != nullptr && object.Find("spec")->is_object()
                               ? *object.Find("spec")
                               : Value::Object());
    if (spec.Find("replicas") == nullptr) spec.Set("replicas", Value::Int(1));
    if (type.kind == "Deployment") {
      if (spec.Find("revisionHistoryLimit") == nullptr) {
        spec.Set("revisionHistoryLimit", Value::Int(10));
      }
      if (spec.Find("progressDeadlineSeconds") == nullptr) {
        spec.Set("progressDeadlineSeconds", Value::Int(600));
      }
      if (spec.Find("strategy") == nullptr) {
        Value rolling = Value::Object();
        rolling.Set("maxUnavailable", Value::String("25%"));
        rolling.Set("maxSurge", Value::String("25%"));
        Value strategy = Value::Object();
        strategy.Set("type", Value::String("RollingUpdate"));
        strategy.Set("rollingUpdate", std::move(rolling));
        spec.Set("strategy", std::move(strategy));
      }
    }
    const Value* selector = spec.Find("selector");
    if (selector == nullptr || !selector->is_object() || selector->members().empty()) {
      errors.push_back(api::RequiredError(FieldPath("spec").Child("selector")));
    }
    if (std::optional<api::EmbeddedPodTemplate> tmpl = api::PodTemplateOf(object)) {
      absl::StatusOr<api::Pod> pod = api::DecodeAs<api::Pod>(tmpl->pod, {.strict = false});
      if (!pod.ok()) {
        return BadRequestError(dra::StrCat(CannotBeHandled(type, type.versions.front()),
                                           std::string(pod.status().message())));
      }
      api::ApplyDefaults(*pod);
      for (FieldError e : api::ValidatePod(*pod)) {
        // The pod's own metadata (name, namespace) comes from the workload: skip those.
        if (e.field.starts_with("metadata.name") || e.field.starts_with("metadata.namespace")) {
          continue;
        }
        e.field = dra::StrCat("spec.template.", e.field);
        errors.push_back(std::move(e));
      }
      Value encoded = api::EncodeObject(*pod);
      Value& template_value = spec.Set(
          "template", spec.Find("template") != nullptr ? *spec.Find("template") : Value::Object());
      if (const Value* pod_spec = encoded.Find("spec")) template_value.Set("spec", *pod_spec);
    } else {
      errors.push_back(api::RequiredError(FieldPath("spec").Child("template")));
    }
  } else if (type.kind == "Lease") {
    if (const Value* spec = object.Find("spec")) {
      auto check = [&](std::string_view field, Value::Kind kind, std::string_view what) {
        const Value* v = spec->Find(field);
        if (v != nullptr && !v->is_null() && v->kind() != kind) {
          errors.push_back(FieldError{FieldError::Type::kTypeInvalid, dra::StrCat("spec.", field),
                                      std::nullopt, dra::StrCat("must be ", what)});
        }
      };
      check("holderIdentity", Value::Kind::kString, "a string");
      check("leaseDurationSeconds", Value::Kind::kNumber, "an integer");
      check("acquireTime", Value::Kind::kString, "a timestamp");
      check("renewTime", Value::Kind::kString, "a timestamp");
      check("leaseTransitions", Value::Kind::kNumber, "an integer");
      check("strategy", Value::Kind::kString, "a string");
      check("preferredHolder", Value::Kind::kString, "a string");
    }
  }
  if (!errors.empty()) return InvalidError(type, meta.name, errors);
  return object;
}

void CopyMember(Value& to, const Value& from, std::string_view key) {
  if (const Value* v = from.Find(key)) {
    to.Set(std::string(key), *v);
  } else {
    to.Remove(key);
  }
}

}  // namespace

std::string NewUid() {
  std::array<uint8_t, 16> b;
  uint64_t hi = Rng()();
  uint64_t lo = Rng()();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (8 * i));
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string RandomSuffix() {
  // Upstream's alphabet: no vowels (no words), no confusable characters.
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string s(5, ' ');
  for (char& c : s) c = kAlphabet[Rng()() % kAlphabet.size()];
  return s;
}

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

absl::Status CheckBodyNamespace(const ResourceType& type, const Value& object,
                                std::string_view ns) {
  if (!type.namespaced) return absl::OkStatus();
  std::string body_ns = MetaString(object, "namespace");
  if (!body_ns.empty() && body_ns != ns) {
    return BadRequestError(
        "the namespace of the provided object does not match the namespace sent on the request");
  }
  return absl::OkStatus();
}

std::string MetaString(const Value& object, std::string_view field) {
  const Value* meta = object.Find("metadata");
  if (meta == nullptr) return "";
  const Value* v = meta->Find(field);
  return v != nullptr && v->is_string() ? v->text() : "";
}

Value& MutableMeta(Value& object) {
  Value* meta = object.FindMutable("metadata");
  if (meta == nullptr || !meta->is_object()) return object.Set("metadata", Value::Object());
  return *meta;
}

namespace {

// Splits decoding errors into unknown/duplicate fields, handled per fieldValidation (Strict:
// 400; Warn: warnings; Ignore: dropped), and the others (400).
absl::Status ApplyFieldValidation(const ResourceType& type, std::string_view version,
                                  const FieldErrorList& errors, const WriteOptions& options) {
  FieldErrorList hard;
  std::vector<std::string> unknown;
  for (const FieldError& e : errors) {
    if (e.type == FieldError::Type::kUnknownField || e.type == FieldError::Type::kDuplicateField) {
      unknown.push_back(e.ToString());
    } else {
      hard.push_back(e);
    }
  }
  if (!hard.empty()) {
    return BadRequestError(
        dra::StrCat(CannotBeHandled(type, version), api::JoinFieldErrors(hard, ", ")));
  }
  if (unknown.empty()) return absl::OkStatus();
  if (options.field_validation == FieldValidation::kStrict) {
    return BadRequestError(dra::StrCat(CannotBeHandled(type, version),
                                       "strict decoding error: ", dra::StrJoin(unknown, ", ")));
  }
  if (options.warnings != nullptr) {
    options.warnings->insert(options.warnings->end(), unknown.begin(), unknown.end());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Value> DecodeBody(const ResourceType& type, std::string_view version, Value body,
                                 const WriteOptions& options) {
  if (!body.is_object()) {
    return BadRequestError(dra::StrCat(CannotBeHandled(type, version),
                                       "the request body must be a JSON or YAML object"));
  }
  std::string expected_api_version = type.ApiVersion(version);
  const Value* api_version = body.Find("apiVersion");
  if (api_version == nullptr || (api_version->is_string() && api_version->text().empty())) {
    body.Set("apiVersion", Value::String(expected_api_version));
  } else if (!api_version->is_string() || api_version->text() != expected_api_version) {
    return BadRequestError(dra::StrCat(
        "the API version in the data (", api_version->is_string() ? api_version->text() : "?",
        ") does not match the expected API version (", expected_api_version, ")"));
  }
  // Looked up after the apiVersion write above, which may move the members.
  const Value* kind = body.Find("kind");
  if (kind == nullptr || (kind->is_string() && kind->text().empty())) {
    body.Set("kind", Value::String(type.kind));
  } else if (!kind->is_string() || kind->text() != type.kind) {
    return BadRequestError(dra::StrCat("the kind in the data (",
                                       kind->is_string() ? kind->text() : "?",
                                       ") does not match the expected kind (", type.kind, ")"));
  }
  if (const Value* meta = body.Find("metadata"); meta != nullptr && !meta->is_object()) {
    return BadRequestError(dra::StrCat(CannotBeHandled(type, version),
                                       "metadata: expected an object, got ", meta->KindName()));
  }

  if (type.model == ObjectModel::kDocument) {
    if (const Value* meta = body.Find("metadata")) {
      FieldErrorList errors;
      api::ObjectMeta decoded;
      api::Decoder decoder(&errors, options.field_validation != FieldValidation::kIgnore);
      decoder.Decode(*meta, FieldPath("metadata"), decoded);
      DRA_RETURN_IF_ERROR(ApplyFieldValidation(type, version, errors, options));
      body.Set("metadata", api::EncodeValue(decoded));
    }
    return body;
  }

  api::DecodedDocument decoded =
      api::DecodeDocument(body, {.strict = options.field_validation != FieldValidation::kIgnore});
  if (!decoded.status.ok()) {
    return BadRequestError(
        dra::StrCat(CannotBeHandled(type, version), std::string(decoded.status.message())));
  }
  DRA_RETURN_IF_ERROR(ApplyFieldValidation(type, version, decoded.errors, options));
  if (!decoded.object.has_value()) {
    return BadRequestError(
        dra::StrCat(CannotBeHandled(type, version), "the object could not be decoded"));
  }
  return api::EncodeObject(*decoded.object);
}

absl::StatusOr<Value> PrepareCreate(const ResourceType& type, Value object, std::string_view ns,
                                    const WriteOptions& options) {
  Value& meta = MutableMeta(object);
  if (type.namespaced) {
    DRA_RETURN_IF_ERROR(CheckBodyNamespace(type, object, ns));
    meta.Set("namespace", Value::String(std::string(ns)));
  } else {
    meta.Remove("namespace");
  }
  if (MetaString(object, "name").empty()) {
    std::string prefix = MetaString(object, "generateName");
    if (!prefix.empty()) {
      // Upstream keeps the name within 63 characters.
      if (prefix.size() > 58) prefix.resize(58);
      meta.Set("name", Value::String(prefix + RandomSuffix()));
    }
  }
  meta.Set("uid", Value::String(NewUid()));
  meta.Set("creationTimestamp", Value::String(options.now));
  for (std::string_view field :
       {"resourceVersion", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
    meta.Remove(field);
  }
  if (type.tracks_generation) {
    meta.Set("generation", Value::Int(1));
  } else {
    meta.Remove("generation");
  }
  if (type.has_status && type.kind != "Node") object.Remove("status");
  if (type.kind == "Namespace") {
    Value spec = Value::Object();
    spec.Set("finalizers", Value::Array({Value::String("kubernetes")}));
    object.Set("spec", std::move(spec));
  }
  if (type.model == ObjectModel::kDocument) return FinishDocument(type, std::move(object));
  return FinishTyped(type, object, nullptr, Subresource::kNone, /*creating=*/true, options);
}

absl::StatusOr<Value> PrepareUpdate(const ResourceType& type, Value updated, const Value& old,
                                    Subresource subresource, const WriteOptions& options) {
  Value result;
  if (subresource == Subresource::kStatus) {
    result = old;
    CopyMember(result, updated, "status");
    if (const Value* managed = FindPath(updated, {"metadata", "managedFields"})) {
      MutableMeta(result).Set("managedFields", *managed);
    }
  } else {
    result = std::move(updated);
    const Value* old_meta = old.Find("metadata");
    Value& meta = MutableMeta(result);
    if (old_meta != nullptr) {
      std::string uid = MetaString(result, "uid");
      if (!uid.empty() && uid != MetaString(old, "uid")) {
        return InvalidError(type, MetaString(old, "name"),
                            {api::InvalidStringError(FieldPath("metadata").Child("uid"), uid,
                                                     "field is immutable")});
      }
      for (std::string_view field : {"uid", "creationTimestamp", "deletionTimestamp",
                                     "deletionGracePeriodSeconds", "generation", "namespace"}) {
        CopyMember(meta, *old_meta, field);
      }
      // Update validation sees the version being replaced (the store strips it again).
      CopyMember(meta, *old_meta, "resourceVersion");
      meta.Remove("selfLink");
    }
    if (type.has_status) CopyMember(result, old, "status");
    if (type.kind == "Namespace") CopyMember(result, old, "spec");
    if (type.tracks_generation) {
      const Value* new_spec = result.Find("spec");
      const Value* old_spec = old.Find("spec");
      bool changed = (new_spec == nullptr) != (old_spec == nullptr) ||
                     (new_spec != nullptr && !(*new_spec == *old_spec));
      if (changed) {
        const Value* generation = FindPath(old, {"metadata", "generation"});
        int64_t g = generation != nullptr ? generation->AsInt64().value_or(0) : 0;
        MutableMeta(result).Set("generation", Value::Int(g + 1));
      }
    }
  }
  if (type.model == ObjectModel::kDocument) return FinishDocument(type, std::move(result));
  return FinishTyped(type, result, &old, subresource, /*creating=*/false, options);
}

}  // namespace dra::apiserver
