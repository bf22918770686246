#include "dra/api/conversion.h"

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/field_error.h"
#include "dra/api/resource_types.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::api {
namespace {

constexpr std::string_view kGroupPrefix = "resource.k8s.io/";
constexpr std::string_view kV1alpha1 = "resource.k8s.io/v1alpha1";
constexpr std::string_view kV1alpha2 = "resource.k8s.io/v1alpha2";
constexpr std::string_view kV1alpha3 = "resource.k8s.io/v1alpha3";
constexpr std::string_view kV1beta1 = "resource.k8s.io/v1beta1";
constexpr std::string_view kV1beta2 = "resource.k8s.io/v1beta2";
constexpr std::string_view kV1 = "resource.k8s.io/v1";

constexpr std::string_view kDeviceClass = "DeviceClass";
constexpr std::string_view kResourceSlice = "ResourceSlice";
constexpr std::string_view kResourceClaim = "ResourceClaim";
constexpr std::string_view kResourceClaimTemplate = "ResourceClaimTemplate";
constexpr std::string_view kDeviceTaintRule = "DeviceTaintRule";
constexpr std::string_view kResourcePoolStatusRequest = "ResourcePoolStatusRequest";

// ---------------------------------------------------------------------------------------------
// Which kinds are served where, and what replaced the withdrawn ones.

// The four kinds that resource.k8s.io/v1, v1beta2 and v1beta1 all serve in v1.34 to v1.36.
bool IsCoreKind(std::string_view kind) {
  return kind == kDeviceClass || kind == kResourceSlice || kind == kResourceClaim ||
         kind == kResourceClaimTemplate;
}

// The version a kind is converted to by ConvertToV1, if it has one.
std::optional<std::string_view> HubVersion(std::string_view kind) {
  if (IsCoreKind(kind)) return kV1;
  if (kind == kDeviceTaintRule) return kDeviceTaintRuleGroupVersion;
  return std::nullopt;
}

constexpr std::string_view kV1alpha1Gone =
    "resource.k8s.io/v1alpha1 is no longer served (it was served only by Kubernetes v1.26 and "
    "removed in v1.27)";
constexpr std::string_view kV1alpha2Gone =
    "resource.k8s.io/v1alpha2 is no longer served (served by Kubernetes v1.27 to v1.30, removed "
    "in v1.31, when resource.k8s.io/v1alpha3 redesigned the API around devices)";

constexpr std::string_view kSchedulingRemoved =
    " was removed without replacement: the scheduler allocates devices itself from the "
    "ResourceSlices that drivers publish and records the result in the ResourceClaim's "
    "status.allocation";
constexpr std::string_view kParametersMoved =
    " was removed: parameters moved into the ResourceClaim's spec.devices (requests with CEL "
    "selectors over device attributes, and opaque driver parameters in spec.devices.config) and "
    "into the DeviceClass (resource.k8s.io/v1: spec.selectors and spec.config)";

// What replaced a kind of the classic DRA API (v1alpha1, v1alpha2); empty when `kind` is not
// one of them.
std::string ClassicReplacement(std::string_view kind) {
  if (kind == "ResourceClass") {
    return "ResourceClass was replaced by DeviceClass (resource.k8s.io/v1): instead of naming a "
           "driver (driverName) and a parameters object (parametersRef), a DeviceClass selects "
           "devices with CEL expressions in spec.selectors and carries driver configuration in "
           "spec.config; requests name it in exactly.deviceClassName";
  }
  if (kind == kResourceClaim) {
    return "ResourceClaim was replaced by ResourceClaim (resource.k8s.io/v1): resourceClassName "
           "and parametersRef became spec.devices.requests[] (exactly.deviceClassName, CEL "
           "selectors, allocationMode and count) plus opaque driver parameters in "
           "spec.devices.config; allocationMode Immediate/WaitForFirstConsumer is gone (devices "
           "are allocated when the first pod that uses the claim is scheduled)";
  }
  if (kind == kResourceClaimTemplate) {
    return "ResourceClaimTemplate was replaced by ResourceClaimTemplate (resource.k8s.io/v1): "
           "spec.spec is a v1 ResourceClaim spec (spec.spec.devices.requests[] instead of "
           "resourceClassName and parametersRef), and pods name the template in "
           "spec.resourceClaims[].resourceClaimTemplateName (there is no `source` any more)";
  }
  if (kind == "ResourceClaimParameters" || kind == "ResourceClassParameters") {
    return dra::StrCat(kind, kParametersMoved);
  }
  if (kind == "PodSchedulingContext" || kind == "PodScheduling") {
    return dra::StrCat(kind, kSchedulingRemoved);
  }
  if (kind == kResourceSlice) {
    return "ResourceSlice was replaced by ResourceSlice (resource.k8s.io/v1): driverName, "
           "nodeName and namedResources.instances became spec.driver, spec.pool, spec.nodeName "
           "and spec.devices[] (with attributes and capacity)";
  }
  return "";
}

// Where a kind that no current version serves was last served; empty for other kinds.
std::string_view LastServed(std::string_view kind) {
  if (kind == "ResourceClass" || kind == "ResourceClaimParameters" ||
      kind == "ResourceClassParameters") {
    return "it was last served as resource.k8s.io/v1alpha2 by Kubernetes v1.30 and removed in "
           "v1.31";
  }
  if (kind == "PodScheduling") {
    return "it was served only as resource.k8s.io/v1alpha1 by Kubernetes v1.26";
  }
  if (kind == "PodSchedulingContext") {
    return "it was last served as resource.k8s.io/v1alpha3 by Kubernetes v1.31 and removed in "
           "v1.32 together with the DRAControlPlaneController mode";
  }
  return "";
}

// How to write a kind that the structured-parameters alpha (v1alpha3, v1.31 to v1.33) served.
std::string_view V1alpha3Replacement(std::string_view kind) {
  if (kind == kDeviceClass)
    return "use DeviceClass (resource.k8s.io/v1), which has the same fields";
  if (kind == kResourceClaim) {
    return "use ResourceClaim (resource.k8s.io/v1): each request nests deviceClassName, "
           "selectors, allocationMode, count and adminAccess under `exactly` (or lists "
           "alternatives in firstAvailable)";
  }
  if (kind == kResourceClaimTemplate) {
    return "use ResourceClaimTemplate (resource.k8s.io/v1): each request in "
           "spec.spec.devices.requests nests deviceClassName, selectors, allocationMode, count "
           "and adminAccess under `exactly` (or lists alternatives in firstAvailable)";
  }
  return "use ResourceSlice (resource.k8s.io/v1): device fields sit directly on each device "
         "instead of under `basic`, and capacity entries are `{value: <quantity>}`";
}

// Where a kind is served, for "write apiVersion: ..." hints; empty for unknown kinds.
std::string ServedAs(std::string_view kind) {
  if (IsCoreKind(kind)) return dra::StrCat(kind, " is served as resource.k8s.io/v1");
  if (kind == kDeviceTaintRule) {
    return "DeviceTaintRule is served as resource.k8s.io/v1beta2 (since Kubernetes v1.36) and "
           "resource.k8s.io/v1alpha3";
  }
  return "";
}

absl::Status NoMatches(std::string_view kind, std::string_view api_version) {
  return absl::InvalidArgumentError(dra::StrCat(
      "no matches for kind \"", kind, "\" in version \"", api_version,
      "\" (resource.k8s.io serves DeviceClass, ResourceSlice, ResourceClaim and "
      "ResourceClaimTemplate as v1, v1beta2 and v1beta1, and DeviceTaintRule as v1beta2 and "
      "v1alpha3)"));
}

// ---------------------------------------------------------------------------------------------
// Tree helpers.

absl::Status PathError(const FieldPath& path, std::string_view detail) {
  return absl::InvalidArgumentError(dra::StrCat(path.str(), ": ", detail));
}

absl::Status NotAnObject(const FieldPath& path, const Value& value) {
  return PathError(path, dra::StrCat("expected an object, got ", value.KindName()));
}

const std::string* StringMember(const Value& object, std::string_view key) {
  const Value* v = object.Find(key);
  return v != nullptr && v->is_string() ? &v->text() : nullptr;
}

// A Go pointer, slice or map field that decodes to non-nil.
bool NonNull(const Value* v) { return v != nullptr && !v->is_null(); }

// A Go string, number or bool field that decodes to a non-zero value. Mistyped values count as
// set, so that the typed decoder reports them where they end up.
bool NonZero(const Value* v) {
  if (!NonNull(v)) return false;
  if (v->is_string()) return !v->text().empty();
  if (v->is_number()) return v->AsDouble() != 0;
  if (v->is_bool()) return v->bool_value();
  return true;
}

// Empty as `omitempty` sees it: null, "", 0, false or an empty list.
bool OmitEmpty(const Value& v) {
  if (v.is_array()) return v.items().empty();
  return !NonZero(&v);
}

// Moves the members named in `order` to the front of `object`, in that order; the others keep
// their relative order after them.
void Reorder(Value& object, std::initializer_list<std::string_view> order) {
  std::vector<Value::Member>& members = object.mutable_members();
  std::vector<bool> taken(members.size(), false);
  std::vector<Value::Member> sorted;
  sorted.reserve(members.size());
  for (std::string_view name : order) {
    for (size_t i = 0; i < members.size(); ++i) {
      if (!taken[i] && members[i].first == name) {
        sorted.push_back(std::move(members[i]));
        taken[i] = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < members.size(); ++i) {
    if (!taken[i]) sorted.push_back(std::move(members[i]));
  }
  members = std::move(sorted);
}

// The kind and version an object is converted from or to, for messages.
struct Context {
  std::string_view kind;
  std::string_view version;
};

absl::Status UnknownField(const FieldPath& path, const Context& ctx, std::string_view hint) {
  return PathError(path, dra::StrCat("unknown field in ", ctx.version, " ", ctx.kind, ": ", hint));
}

// ---------------------------------------------------------------------------------------------
// DeviceRequest: v1beta1 has the ExactDeviceRequest fields inline, v1 and v1beta2 under
// `exactly`.

// How a Go field of ExactDeviceRequest counts as set and when `omitempty` drops it.
enum class SetWhen { kNonZero, kNonNull };
enum class EmitWhen { kAlways, kNonEmpty, kNonNull };
struct ExactField {
  std::string_view name;
  SetWhen set_when;
  EmitWhen emit_when;
};

// In upstream declaration order.
constexpr std::array<ExactField, 7> kExactFields = {{
    {"deviceClassName", SetWhen::kNonZero, EmitWhen::kAlways},
    {"selectors", SetWhen::kNonNull, EmitWhen::kNonEmpty},
    {"allocationMode", SetWhen::kNonZero, EmitWhen::kNonEmpty},
    {"count", SetWhen::kNonZero, EmitWhen::kNonEmpty},
    {"adminAccess", SetWhen::kNonNull, EmitWhen::kNonNull},
    {"tolerations", SetWhen::kNonNull, EmitWhen::kNonEmpty},
    {"capacity", SetWhen::kNonNull, EmitWhen::kNonNull},
}};

bool IsSet(const ExactField& field, const Value* v) {
  return field.set_when == SetWhen::kNonZero ? NonZero(v) : NonNull(v);
}

// Sets `field` on `out` from `value` (nullopt when absent) as the Go encoder writes it.
void Emit(const ExactField& field, std::optional<Value> value, Value& out) {
  switch (field.emit_when) {
    case EmitWhen::kAlways:
      out.Set(std::string(field.name),
              value.has_value() && !value->is_null() ? *std::move(value) : Value::String(""));
      return;
    case EmitWhen::kNonEmpty:
      if (value.has_value() && !OmitEmpty(*value)) {
        out.Set(std::string(field.name), *std::move(value));
      }
      return;
    case EmitWhen::kNonNull:
      if (NonNull(value.has_value() ? &*value : nullptr)) {
        out.Set(std::string(field.name), *std::move(value));
      }
      return;
  }
}

constexpr std::string_view kExactlyHint =
    "resource.k8s.io/v1beta1 writes deviceClassName, selectors, allocationMode, count, "
    "adminAccess, tolerations and capacity directly on the request (or write apiVersion: "
    "resource.k8s.io/v1, which nests them under `exactly`)";

absl::Status RequestToV1(Value& request, const FieldPath& path, const Context& ctx) {
  if (!request.is_object()) return absl::OkStatus();  // the typed decoder reports it
  if (request.Find("exactly") != nullptr) {
    return UnknownField(path.Child("exactly"), ctx, kExactlyHint);
  }
  bool any_set = false;
  for (const ExactField& field : kExactFields) {
    if (IsSet(field, request.Find(field.name))) any_set = true;
  }
  Value exactly = Value::Object();
  for (const ExactField& field : kExactFields) {
    std::optional<Value> value = request.Remove(field.name);
    if (any_set) Emit(field, std::move(value), exactly);
  }
  if (any_set) request.Set("exactly", std::move(exactly));
  Reorder(request, {"name", "exactly", "firstAvailable"});
  return absl::OkStatus();
}

absl::Status RequestFromV1(Value& request, const FieldPath& path, const Context& ctx) {
  if (!request.is_object()) return absl::OkStatus();
  for (const ExactField& field : kExactFields) {
    if (request.Find(field.name) != nullptr) {
      return UnknownField(path.Child(field.name), ctx,
                          dra::StrCat("resource.k8s.io/v1 nests it under ",
                                      path.Child("exactly").Child(field.name).str()));
    }
  }
  std::optional<Value> exactly = request.Remove("exactly");
  if (exactly.has_value() && !exactly->is_null() && !exactly->is_object()) {
    return NotAnObject(path.Child("exactly"), *exactly);
  }
  if (exactly.has_value() && exactly->is_object()) {
    for (const auto& [name, value] : exactly->members()) {
      bool known = false;
      for (const ExactField& field : kExactFields) known = known || field.name == name;
      if (!known) {
        return UnknownField(path.Child("exactly").Child(name), ctx,
                            "it has no place in resource.k8s.io/v1beta1");
      }
    }
  }
  for (const ExactField& field : kExactFields) {
    std::optional<Value> value;
    if (exactly.has_value() && exactly->is_object()) value = exactly->Remove(field.name);
    Emit(field, std::move(value), request);
  }
  Reorder(request, {"name", "deviceClassName", "selectors", "allocationMode", "count",
                    "adminAccess", "firstAvailable", "tolerations", "capacity"});
  return absl::OkStatus();
}

// Converts every request of a ResourceClaimSpec at `path` in the direction given.
using RequestConverter = absl::Status (*)(Value&, const FieldPath&, const Context&);

absl::Status ConvertClaimSpec(Value* spec, const FieldPath& path, const Context& ctx,
                              RequestConverter convert) {
  if (spec == nullptr || !spec->is_object()) return absl::OkStatus();
  Value* devices = spec->FindMutable("devices");
  if (devices == nullptr || !devices->is_object()) return absl::OkStatus();
  Value* requests = devices->FindMutable("requests");
  if (requests == nullptr || !requests->is_array()) return absl::OkStatus();
  FieldPath requests_path = path.Child("devices").Child("requests");
  std::vector<Value>& items = requests->mutable_items();
  for (size_t i = 0; i < items.size(); ++i) {
    DRA_RETURN_IF_ERROR(convert(items[i], requests_path.Index(static_cast<int64_t>(i)), ctx));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// ResourceSlice: v1beta1 wraps device fields in `basic`; spec.nodeName and spec.allNodes are
// plain values in v1beta1 and pointers in v1.

// Drops spec.nodeName "" and spec.allNodes false, which the other version cannot distinguish
// from unset (upstream converts them to and from nil).
void NormalizeSliceNodeFields(Value& spec) {
  const Value* node_name = spec.Find("nodeName");
  if (node_name != nullptr &&
      (node_name->is_null() || (node_name->is_string() && node_name->text().empty()))) {
    spec.Remove("nodeName");
  }
  const Value* all_nodes = spec.Find("allNodes");
  if (all_nodes != nullptr &&
      (all_nodes->is_null() || (all_nodes->is_bool() && !all_nodes->bool_value()))) {
    spec.Remove("allNodes");
  }
}

absl::Status DeviceToV1(Value& device, const FieldPath& path, const Context& ctx) {
  if (!device.is_object()) return absl::OkStatus();
  for (const auto& [name, value] : device.members()) {
    if (name != "name" && name != "basic") {
      return UnknownField(
          path.Child(name), ctx,
          dra::StrCat("resource.k8s.io/v1beta1 puts device fields under ",
                      path.Child("basic").str(),
                      " (or write apiVersion: resource.k8s.io/v1, which has them on the device)"));
    }
  }
  std::optional<Value> basic = device.Remove("basic");
  if (!basic.has_value() || basic->is_null()) return absl::OkStatus();
  if (!basic->is_object()) return NotAnObject(path.Child("basic"), *basic);
  if (basic->Find("name") != nullptr) {
    return UnknownField(path.Child("basic").Child("name"), ctx,
                        dra::StrCat("the device name belongs in ", path.Child("name").str()));
  }
  for (auto& [name, value] : basic->mutable_members()) {
    device.Set(std::move(name), std::move(value));
  }
  return absl::OkStatus();
}

absl::Status DeviceFromV1(Value& device, const FieldPath& path, const Context& ctx) {
  if (!device.is_object()) return absl::OkStatus();
  if (device.Find("basic") != nullptr) {
    return UnknownField(path.Child("basic"), ctx,
                        dra::StrCat("resource.k8s.io/v1 has the device fields directly on ",
                                    path.str(), " (basic exists only in v1beta1)"));
  }
  Value basic = Value::Object();
  std::vector<Value::Member> kept;
  for (auto& member : device.mutable_members()) {
    if (member.first == "name") {
      kept.push_back(std::move(member));
    } else {
      basic.mutable_members().push_back(std::move(member));
    }
  }
  device.mutable_members() = std::move(kept);
  // Upstream always sets Basic when writing v1beta1, so `basic: {}` appears even when empty.
  device.Set("basic", std::move(basic));
  return absl::OkStatus();
}

using DeviceConverter = absl::Status (*)(Value&, const FieldPath&, const Context&);

absl::Status ConvertSliceSpec(Value* spec, const FieldPath& path, const Context& ctx,
                              DeviceConverter convert) {
  if (spec == nullptr || !spec->is_object()) return absl::OkStatus();
  NormalizeSliceNodeFields(*spec);
  Value* devices = spec->FindMutable("devices");
  if (devices == nullptr || !devices->is_array()) return absl::OkStatus();
  FieldPath devices_path = path.Child("devices");
  std::vector<Value>& items = devices->mutable_items();
  for (size_t i = 0; i < items.size(); ++i) {
    DRA_RETURN_IF_ERROR(convert(items[i], devices_path.Index(static_cast<int64_t>(i)), ctx));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// DeviceTaintRule: v1alpha3 before v1.35 also had deviceSelector.deviceClassName and .selectors.

absl::Status CheckTaintRuleSelector(Value& object, const FieldPath& root, const Context& ctx) {
  Value* spec = object.FindMutable("spec");
  if (spec == nullptr || !spec->is_object()) return absl::OkStatus();
  const Value* selector = spec->Find("deviceSelector");
  if (selector == nullptr || !selector->is_object()) return absl::OkStatus();
  for (std::string_view removed : {"deviceClassName", "selectors"}) {
    if (selector->Find(removed) != nullptr) {
      return PathError(
          root.Child("spec").Child("deviceSelector").Child(removed),
          dra::StrCat("field removed from ", ctx.version, " ", ctx.kind,
                      " in Kubernetes v1.35 (the eviction controller cannot evaluate device "
                      "classes and CEL selectors); select devices with driver, pool and "
                      "device instead, because dropping it would taint more devices"));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Per-object dispatch. `root` prefixes field paths (items[i] inside lists).

absl::Status ObjectToHub(Value& object, std::string_view kind, std::string_view from,
                         const FieldPath& root) {
  const Context ctx{kind, from};
  if (kind == kDeviceTaintRule) {
    if (from == kV1alpha3) DRA_RETURN_IF_ERROR(CheckTaintRuleSelector(object, root, ctx));
    return absl::OkStatus();
  }
  if (from != kV1beta1) return absl::OkStatus();  // v1beta2 and v1 have the same shape
  if (kind == kResourceSlice) {
    return ConvertSliceSpec(object.FindMutable("spec"), root.Child("spec"), ctx, DeviceToV1);
  }
  if (kind == kResourceClaim) {
    return ConvertClaimSpec(object.FindMutable("spec"), root.Child("spec"), ctx, RequestToV1);
  }
  if (kind == kResourceClaimTemplate) {
    Value* spec = object.FindMutable("spec");
    if (spec == nullptr || !spec->is_object()) return absl::OkStatus();
    return ConvertClaimSpec(spec->FindMutable("spec"), root.Child("spec").Child("spec"), ctx,
                            RequestToV1);
  }
  return absl::OkStatus();  // DeviceClass: identical in every served version
}

absl::Status ObjectFromHub(Value& object, std::string_view kind, std::string_view hub,
                           std::string_view to, const FieldPath& root) {
  const Context ctx{kind, hub};
  if (to != kV1beta1) return absl::OkStatus();
  if (kind == kResourceSlice) {
    return ConvertSliceSpec(object.FindMutable("spec"), root.Child("spec"), ctx, DeviceFromV1);
  }
  if (kind == kResourceClaim) {
    return ConvertClaimSpec(object.FindMutable("spec"), root.Child("spec"), ctx, RequestFromV1);
  }
  if (kind == kResourceClaimTemplate) {
    Value* spec = object.FindMutable("spec");
    if (spec == nullptr || !spec->is_object()) return absl::OkStatus();
    return ConvertClaimSpec(spec->FindMutable("spec"), root.Child("spec").Child("spec"), ctx,
                            RequestFromV1);
  }
  return absl::OkStatus();
}

// The object's apiVersion and kind, and for `<Kind>List` objects the item kind.
struct TypeInfo {
  std::string api_version;
  std::string kind;
  std::string item_kind;  // == kind unless a list
  bool is_list = false;
};

absl::StatusOr<TypeInfo> ReadTypeInfo(const Value& object) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(dra::StrCat("expected an object, got ", object.KindName()));
  }
  TypeInfo info;
  const std::string* api_version = StringMember(object, "apiVersion");
  const std::string* kind = StringMember(object, "kind");
  if (api_version == nullptr || api_version->empty()) {
    return absl::InvalidArgumentError("apiVersion: Required value");
  }
  if (kind == nullptr || kind->empty()) return absl::InvalidArgumentError("kind: Required value");
  info.api_version = *api_version;
  info.kind = *kind;
  info.item_kind = *kind;
  const Value* items = object.Find("items");
  if (kind->ends_with("List") && kind->size() > 4 &&
      (items == nullptr || items->is_array() || items->is_null())) {
    info.is_list = true;
    info.item_kind = kind->substr(0, kind->size() - 4);
  }
  return info;
}

// Applies `convert` to `object`, or to each item when it is a list; items that carry their own
// apiVersion get `new_version`.
template <typename F>
absl::Status ForEachObject(Value& object, const TypeInfo& info, std::string_view new_version,
                           F convert) {
  if (!info.is_list) {
    DRA_RETURN_IF_ERROR(convert(object, FieldPath()));
  } else if (Value* items = object.FindMutable("items"); items != nullptr && items->is_array()) {
    std::vector<Value>& list = items->mutable_items();
    for (size_t i = 0; i < list.size(); ++i) {
      FieldPath path = FieldPath("items").Index(static_cast<int64_t>(i));
      Value& item = list[i];
      if (item.is_object()) {
        const std::string* item_version = StringMember(item, "apiVersion");
        if (item_version != nullptr && *item_version != info.api_version) {
          return PathError(path.Child("apiVersion"), dra::StrCat("is ", *item_version, " in a ",
                                                                 info.api_version, " ", info.kind));
        }
      }
      DRA_RETURN_IF_ERROR(convert(item, path));
      if (item.is_object() && item.Find("apiVersion") != nullptr) {
        item.Set("apiVersion", Value::String(std::string(new_version)));
      }
    }
  }
  object.Set("apiVersion", Value::String(std::string(new_version)));
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckServedVersion(std::string_view api_version, std::string_view kind) {
  if (!api_version.starts_with(kGroupPrefix)) {
    return absl::InvalidArgumentError(
        dra::StrCat("\"", api_version, "\" is not a resource.k8s.io apiVersion"));
  }
  if (kind.empty()) return absl::InvalidArgumentError("kind: Required value");
  if (kind == kDeviceTaintRule && api_version == kDeviceTaintRuleGroupVersion) {
    return absl::OkStatus();
  }

  // Whole versions that no current release serves.
  if (api_version == kV1alpha1 || api_version == kV1alpha2) {
    std::string replacement = ClassicReplacement(kind);
    if (kind == kResourceSlice && api_version == kV1alpha1) replacement.clear();
    if (replacement.empty()) replacement = ServedAs(kind);
    if (replacement.empty()) {
      replacement =
          "resource.k8s.io/v1 serves DeviceClass, ResourceSlice, ResourceClaim and "
          "ResourceClaimTemplate";
    }
    return absl::InvalidArgumentError(
        dra::StrCat(api_version == kV1alpha1 ? kV1alpha1Gone : kV1alpha2Gone, "; ", replacement));
  }

  if (api_version == kV1alpha3) {
    if (kind == kDeviceTaintRule || kind == kResourcePoolStatusRequest) return absl::OkStatus();
    if (IsCoreKind(kind)) {
      return absl::InvalidArgumentError(dra::StrCat(
          "resource.k8s.io/v1alpha3 no longer serves ", kind,
          " (served by Kubernetes v1.31 to v1.33, removed in v1.34; v1alpha3 now serves only "
          "DeviceTaintRule and, since v1.36, ResourcePoolStatusRequest); ",
          V1alpha3Replacement(kind)));
    }
    if (kind == "PodSchedulingContext") {
      return absl::InvalidArgumentError(dra::StrCat(
          "resource.k8s.io/v1alpha3 no longer serves PodSchedulingContext (served only by "
          "Kubernetes v1.31, removed in v1.32 together with the DRAControlPlaneController "
          "mode); ",
          ClassicReplacement(kind)));
    }
  } else if (api_version == kV1beta1 || api_version == kV1beta2 || api_version == kV1) {
    if (IsCoreKind(kind)) return absl::OkStatus();
    if (kind == kDeviceTaintRule) {
      return absl::InvalidArgumentError(dra::StrCat(
          "DeviceTaintRule is not served as ", api_version,
          api_version == kV1 ? " before Kubernetes v1.37" : "",
          "; it is served as resource.k8s.io/v1beta2 (since v1.36) and resource.k8s.io/v1alpha3 "
          "(since v1.33): write apiVersion: ",
          kDeviceTaintRuleGroupVersion));
    }
  } else {
    std::string hint = ServedAs(kind);
    return absl::InvalidArgumentError(
        dra::StrCat("no matches for kind \"", kind, "\" in version \"", api_version,
                    "\": resource.k8s.io serves v1, v1beta2, v1beta1 and (alpha) v1alpha3",
                    hint.empty() ? "" : "; ", hint));
  }

  // A withdrawn kind asked for at a version that is still served.
  std::string_view last_served = LastServed(kind);
  if (!last_served.empty()) {
    return absl::InvalidArgumentError(
        dra::StrCat("no matches for kind \"", kind, "\" in version \"", api_version,
                    "\": ", last_served, "; ", ClassicReplacement(kind)));
  }
  return NoMatches(kind, api_version);
}

absl::Status ConvertToV1(Value& object) {
  DRA_ASSIGN_OR_RETURN(TypeInfo info, ReadTypeInfo(object));
  DRA_RETURN_IF_ERROR(CheckServedVersion(info.api_version, info.item_kind));
  std::optional<std::string_view> hub = HubVersion(info.item_kind);
  if (!hub.has_value()) {
    return absl::InvalidArgumentError(dra::StrCat(
        info.item_kind, " (", info.api_version,
        ") has no resource.k8s.io/v1 form to convert to; dra reads DeviceClass, ResourceSlice, "
        "ResourceClaim, ResourceClaimTemplate and DeviceTaintRule"));
  }
  const std::string& from = info.api_version;
  const std::string& kind = info.item_kind;
  return ForEachObject(object, info, *hub, [&](Value& item, const FieldPath& root) {
    return ObjectToHub(item, kind, from, root);
  });
}

absl::Status ConvertFromV1(Value& object, std::string_view target_version) {
  DRA_ASSIGN_OR_RETURN(TypeInfo info, ReadTypeInfo(object));
  std::optional<std::string_view> hub = HubVersion(info.item_kind);
  if (!hub.has_value()) {
    return absl::InvalidArgumentError(
        dra::StrCat("cannot convert ", info.item_kind, ": not a kind of resource.k8s.io/v1"));
  }
  if (info.api_version != *hub) {
    return absl::InvalidArgumentError(dra::StrCat("apiVersion: expected ", *hub, " for ", info.kind,
                                                  ", got ", info.api_version,
                                                  " (convert it with ConvertToV1 first)"));
  }
  DRA_RETURN_IF_ERROR(CheckServedVersion(target_version, info.item_kind));
  const std::string& kind = info.item_kind;
  std::string_view hub_version = *hub;
  return ForEachObject(object, info, target_version, [&](Value& item, const FieldPath& root) {
    return ObjectFromHub(item, kind, hub_version, target_version, root);
  });
}

}  // namespace dra::api
