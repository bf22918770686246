// Validation of the core/v1 kinds (Pod, Node, Namespace, Event) and the kind dispatch of
// ValidateObject; see validation.h for the contract.
//
// Rules, messages and field paths follow k8s.io/kubernetes pkg/apis/core/validation
// (validation.go and events.go) for a create request, including upstream's quirks:
// node taints are reported under metadata.taints, namespace finalizers under spec.finalizers
// without an index, node capacities as status.capacity.<name>, Event fields by their internal
// names (reportingController). Bad values render as field.Error does: strings quoted, numbers
// bare, resource names and quantities (fmt.Stringer upstream) bare, structs in Go's %#v form.
// Go map iteration is random upstream; here maps are visited in key order.
//
// Covered for Pod: metadata, pod annotations (mirror, deletion cost, seccomp, AppArmor),
// terminationGracePeriodSeconds, resourceClaims, containers and init containers (name, image,
// terminationMessagePolicy, imagePullPolicy, resources with claims, restartPolicy, probes and
// lifecycle where forbidden), pod-level resources, hostNetwork ports, restartPolicy, dnsPolicy,
// nodeSelector, schedulingGates, serviceAccountName, nodeName, activeDeadlineSeconds,
// hostname, subdomain, tolerations, priorityClassName, runtimeClassName, preemptionPolicy,
// overhead, the create-only rules (no ephemeral containers, no nodeName with scheduling gates)
// and status.resourceClaimStatuses. Free-form parts (volumes, ports beyond hostNetwork, env,
// probes' contents, security contexts, affinity, DNS config) are not validated.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dra/api/defaults.h"
#include "dra/api/validation/names.h"
#include "dra/api/validation/validation.h"
#include "dra/base/strings.h"

namespace dra::api {
namespace {

constexpr std::string_view kMirrorPodAnnotationKey = "kubernetes.io/config.mirror";
constexpr std::string_view kPodDeletionCostAnnotationKey =
    "controller.kubernetes.io/pod-deletion-cost";
constexpr std::string_view kSeccompPodAnnotationKey = "seccomp.security.alpha.kubernetes.io/pod";
constexpr std::string_view kSeccompContainerAnnotationKeyPrefix =
    "container.seccomp.security.alpha.kubernetes.io/";
constexpr std::string_view kAppArmorContainerAnnotationKeyPrefix =
    "container.apparmor.security.beta.kubernetes.io/";
constexpr std::string_view kHugePagesPrefix = "hugepages-";
constexpr std::string_view kRequestsHugePagesPrefix = "requests.hugepages-";
constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();
constexpr size_t kEventReportingInstanceLengthLimit = 128;
constexpr size_t kEventActionLengthLimit = 128;
constexpr size_t kEventReasonLengthLimit = 128;
constexpr size_t kEventNoteLengthLimit = 1024;

// ---------------------------------------------------------------------------------------------
// Error helpers.

FieldError NotFoundError(const FieldPath& path, std::string rendered_value, std::string detail) {
  return FieldError{FieldError::Type::kNotFound, path.str(), std::move(rendered_value),
                    std::move(detail)};
}

// field.NotSupported with an already rendered bad value.
FieldError NotSupportedRendered(const FieldPath& path, std::string rendered_value,
                                const std::vector<std::string>& supported) {
  FieldError e = NotSupportedError(path, "", supported);
  e.bad_value = std::move(rendered_value);
  return e;
}

void Append(FieldErrorList& to, FieldErrorList from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// Invalid(path, value, msg) for each message of a format check.
void AppendInvalid(FieldErrorList& errs, const FieldPath& path, std::string_view value,
                   const std::vector<std::string>& messages) {
  for (const std::string& msg : messages) errs.push_back(InvalidStringError(path, value, msg));
}

FieldErrorList ValidateDNS1123LabelField(std::string_view value, const FieldPath& path) {
  FieldErrorList errs;
  AppendInvalid(errs, path, value, IsDNS1123Label(value));
  return errs;
}

FieldErrorList ValidateQualifiedNameField(std::string_view value, const FieldPath& path) {
  FieldErrorList errs;
  AppendInvalid(errs, path, value, IsQualifiedName(value));
  return errs;
}

FieldErrorList ValidateSubdomainField(std::string_view value, const FieldPath& path) {
  FieldErrorList errs;
  AppendInvalid(errs, path, value, IsDNS1123Subdomain(value));
  return errs;
}

// Go's %#v of a *string field.
std::string GoStringPointer(const std::optional<std::string>& p) {
  // Upstream prints the pointer's address; the pointee is shown instead, which is stable.
  return p.has_value() ? dra::StrCat("(*string)(", QuoteValue(*p), ")") : "(*string)(nil)";
}

// Go's %#v of a core.PodResourceClaim.
std::string GoPodResourceClaim(const PodResourceClaim& claim) {
  return dra::StrCat(
      "core.PodResourceClaim{Name:", QuoteValue(claim.name),
      ", ResourceClaimName:", GoStringPointer(claim.resource_claim_name),
      ", ResourceClaimTemplateName:", GoStringPointer(claim.resource_claim_template_name), "}");
}

// Go's %#v of a core.Taint.
std::string GoTaint(const Taint& taint) {
  return dra::StrCat("core.Taint{Key:", QuoteValue(taint.key), ", Value:", QuoteValue(taint.value),
                     ", Effect:", QuoteValue(taint.effect), ", TimeAdded:",
                     taint.time_added.has_value()
                         ? dra::StrCat("(*v1.Time)(", QuoteValue(*taint.time_added), ")")
                         : std::string("(*v1.Time)(nil)"),
                     "}");
}

int64_t IntMember(const Value& object, std::string_view key) {
  const Value* v = object.is_object() ? object.Find(key) : nullptr;
  if (v == nullptr || !v->is_number()) return 0;
  return v->AsInt64().value_or(0);
}

// ---------------------------------------------------------------------------------------------
// Resource names and quantities (pkg/apis/core/helper).

bool HasPrefix(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

bool IsHugePageResourceName(std::string_view name) { return HasPrefix(name, kHugePagesPrefix); }

bool IsNativeResource(std::string_view name) {
  return name.find('/') == std::string_view::npos ||
         name.find("kubernetes.io/") != std::string_view::npos;
}

bool IsOvercommitAllowed(std::string_view name) {
  return IsNativeResource(name) && !IsHugePageResourceName(name);
}

bool IsStandardResourceName(std::string_view name) {
  static const std::set<std::string_view> kStandard = {
      "cpu",
      "memory",
      "ephemeral-storage",
      "requests.cpu",
      "requests.memory",
      "requests.ephemeral-storage",
      "limits.cpu",
      "limits.memory",
      "limits.ephemeral-storage",
      "pods",
      "resourcequotas",
      "services",
      "replicationcontrollers",
      "secrets",
      "configmaps",
      "persistentvolumeclaims",
      "storage",
      "requests.storage",
      "services.nodeports",
      "services.loadbalancers",
  };
  return kStandard.contains(name) || HasPrefix(name, kHugePagesPrefix) ||
         HasPrefix(name, kRequestsHugePagesPrefix);
}

bool IsStandardContainerResourceName(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
         IsHugePageResourceName(name);
}

bool IsExtendedResourceName(std::string_view name) {
  if (IsNativeResource(name) || HasPrefix(name, "requests.")) return false;
  return IsQualifiedName(dra::StrCat("requests.", name)).empty();
}

bool IsIntegerResourceName(std::string_view name) {
  static const std::set<std::string_view> kStandardInteger = {
      "pods",
      "resourcequotas",
      "services",
      "replicationcontrollers",
      "secrets",
      "configmaps",
      "persistentvolumeclaims",
      "services.nodeports",
      "services.loadbalancers",
  };
  return kStandardInteger.contains(name) || IsExtendedResourceName(name);
}

bool IsSupportedPodLevelResource(std::string_view name) {
  return name == "cpu" || name == "memory" || IsHugePageResourceName(name);
}

// validateResourceName. Resource names are fmt.Stringers upstream: rendered bare.
FieldErrorList ValidateResourceName(std::string_view name, const FieldPath& path) {
  FieldErrorList errs;
  for (const std::string& msg : IsQualifiedName(name)) {
    errs.push_back(InvalidError(path, std::string(name), msg));
  }
  if (!errs.empty()) return errs;
  if (name.find('/') == std::string_view::npos && !IsStandardResourceName(name)) {
    errs.push_back(InvalidError(path, std::string(name),
                                "must be a standard resource type or fully qualified"));
  }
  return errs;
}

FieldErrorList ValidateContainerResourceName(std::string_view name, const FieldPath& path) {
  FieldErrorList errs = ValidateResourceName(name, path);
  if (name.find('/') == std::string_view::npos) {
    if (!IsStandardContainerResourceName(name)) {
      errs.push_back(
          InvalidError(path, std::string(name), "must be a standard resource for containers"));
    }
  } else if (!IsNativeResource(name) && !IsExtendedResourceName(name)) {
    errs.push_back(
        InvalidError(path, std::string(name), "doesn't follow extended resource name standard"));
  }
  return errs;
}

FieldErrorList ValidatePodResourceName(std::string_view name, const FieldPath& path) {
  FieldErrorList errs = ValidateResourceName(name, path);
  if (!errs.empty()) return errs;
  if (!IsSupportedPodLevelResource(name)) {
    errs.push_back(NotSupportedRendered(path, std::string(name), {"cpu", "hugepages-", "memory"}));
  }
  return errs;
}

// ValidateResourceQuantityValue.
FieldErrorList ValidateResourceQuantityValue(std::string_view name, const Quantity& value,
                                             const FieldPath& path) {
  FieldErrorList errs;
  if (value.Sign() < 0) {
    errs.push_back(
        InvalidStringError(path, value.ToString(), "must be greater than or equal to 0"));
  }
  if (IsIntegerResourceName(name) && value.MilliValue() % 1000 != 0) {
    errs.push_back(InvalidError(path, value.ToString(), "must be an integer"));
  }
  return errs;
}

// IsHugePageResourceValueDivisible.
bool IsHugePageValueDivisible(std::string_view name, const Quantity& quantity) {
  absl::StatusOr<Quantity> page_size = Quantity::Parse(name.substr(kHugePagesPrefix.size()));
  if (!page_size.ok()) return false;
  if (page_size->Sign() <= 0 || page_size->MilliValue() % 1000 != 0) return false;
  return quantity.Value() % page_size->Value() == 0;
}

// validateResourceClaimNames: container claims must name a pod claim, once per claim/request.
FieldErrorList ValidateResourceClaimNames(const std::vector<ContainerResourceClaim>& claims,
                                          const std::set<std::string>& pod_claim_names,
                                          const FieldPath& path) {
  FieldErrorList errs;
  std::set<std::string> names;
  for (size_t i = 0; i < claims.size(); ++i) {
    const ContainerResourceClaim& claim = claims[i];
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    if (claim.name.empty()) {
      errs.push_back(RequiredError(idx));
      continue;
    }
    if (names.contains(claim.name)) {
      // All requests of that claim already referenced.
      errs.push_back(DuplicateError(idx, QuoteValue(claim.name)));
    } else {
      std::string key = claim.name;
      if (!claim.request.empty()) {
        Append(errs, ValidateDNS1123LabelField(claim.request, idx.Child("request")));
        key += "/" + claim.request;
      }
      if (names.contains(key)) {
        errs.push_back(DuplicateError(idx, QuoteValue(key)));
      } else if (claim.request.empty()) {
        // A whole claim overlaps with any of its requests referenced before.
        for (const std::string& previous : names) {
          const size_t slash = previous.find('/');
          if (slash != std::string::npos && previous.substr(0, slash) == claim.name) {
            errs.push_back(DuplicateError(idx, QuoteValue(claim.name)));
          }
        }
      }
      names.insert(key);
    }
    if (!pod_claim_names.contains(claim.name)) {
      std::string detail = "must be one of the names in pod.spec.resourceClaims";
      if (pod_claim_names.empty()) {
        detail += " which is empty";
      } else {
        detail += ": " + dra::StrJoin(std::vector<std::string>(pod_claim_names.begin(),
                                                               pod_claim_names.end()),
                                      ", ");
      }
      errs.push_back(NotFoundError(idx, QuoteValue(claim.name), std::move(detail)));
    }
  }
  return errs;
}

using ResourceNameFn = FieldErrorList (*)(std::string_view, const FieldPath&);

// validateResourceRequirements.
FieldErrorList ValidateResourceRequirements(const ResourceRequirements& requirements,
                                            ResourceNameFn name_fn,
                                            const std::set<std::string>& pod_claim_names,
                                            const FieldPath& path) {
  FieldErrorList errs;
  const FieldPath lim_path = path.Child("limits");
  const FieldPath req_path = path.Child("requests");
  bool lim_cpu_or_memory = false;
  bool req_cpu_or_memory = false;
  bool lim_huge_pages = false;
  bool req_huge_pages = false;
  for (const auto& [name, quantity] : requirements.limits) {
    const FieldPath p = lim_path.Key(name);
    Append(errs, name_fn(name, p));
    Append(errs, ValidateResourceQuantityValue(name, quantity, p));
    if (IsHugePageResourceName(name)) {
      lim_huge_pages = true;
      if (!IsHugePageValueDivisible(name, quantity)) {
        errs.push_back(InvalidStringError(
            p, quantity.ToString(),
            dra::StrCat(quantity.ToString(), " is not positive integer multiple of ", name)));
      }
    }
    if (name == kResourceCPU || name == kResourceMemory) lim_cpu_or_memory = true;
  }
  for (const auto& [name, quantity] : requirements.requests) {
    const FieldPath p = req_path.Key(name);
    Append(errs, name_fn(name, p));
    Append(errs, ValidateResourceQuantityValue(name, quantity, p));
    auto limit = requirements.limits.find(name);
    if (limit != requirements.limits.end()) {
      if (quantity.Compare(limit->second) != 0 && !IsOvercommitAllowed(name)) {
        errs.push_back(InvalidStringError(
            req_path, quantity.ToString(),
            dra::StrCat("must be equal to ", name, " limit of ", limit->second.ToString())));
      } else if (quantity.Compare(limit->second) > 0) {
        errs.push_back(InvalidStringError(req_path, quantity.ToString(),
                                          dra::StrCat("must be less than or equal to ", name,
                                                      " limit of ", limit->second.ToString())));
      }
    } else if (!IsOvercommitAllowed(name)) {
      errs.push_back(RequiredError(lim_path, "Limit must be set for non overcommitable resources"));
    }
    if (IsHugePageResourceName(name)) {
      req_huge_pages = true;
      if (!IsHugePageValueDivisible(name, quantity)) {
        errs.push_back(InvalidStringError(
            p, quantity.ToString(),
            dra::StrCat(quantity.ToString(), " is not positive integer multiple of ", name)));
      }
    }
    if (name == kResourceCPU || name == kResourceMemory) req_cpu_or_memory = true;
  }
  if (!lim_cpu_or_memory && !req_cpu_or_memory && (req_huge_pages || lim_huge_pages)) {
    errs.push_back(ForbiddenError(path, "HugePages require cpu or memory"));
  }
  Append(errs,
         ValidateResourceClaimNames(requirements.claims, pod_claim_names, path.Child("claims")));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Tolerations and taints.

FieldErrorList ValidateTaintEffect(std::string_view effect, bool allow_empty,
                                   const FieldPath& path) {
  if (!allow_empty && effect.empty()) return {RequiredError(path)};
  if (effect == kTaintEffectNoSchedule || effect == kTaintEffectPreferNoSchedule ||
      effect == kTaintEffectNoExecute) {
    return {};
  }
  return {NotSupportedError(path, effect, {"NoSchedule", "PreferNoSchedule", "NoExecute"})};
}

FieldErrorList ValidateTolerations(const std::vector<Toleration>& tolerations,
                                   const FieldPath& path) {
  FieldErrorList errs;
  for (size_t i = 0; i < tolerations.size(); ++i) {
    const Toleration& t = tolerations[i];
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    if (!t.key.empty()) Append(errs, ValidateQualifiedNameField(t.key, idx.Child("key")));
    if (t.key.empty() && t.operator_ != kTolerationOpExists) {
      errs.push_back(InvalidStringError(
          idx.Child("operator"), t.operator_,
          "operator must be Exists when `key` is empty, which means \"match all values and all "
          "keys\""));
    }
    if (t.toleration_seconds.has_value() && t.effect != kTaintEffectNoExecute) {
      errs.push_back(
          InvalidStringError(idx.Child("effect"), t.effect,
                             "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (t.operator_ == kTolerationOpEqual || t.operator_.empty()) {
      const std::vector<std::string> msgs = IsValidLabelValue(t.value);
      if (!msgs.empty()) {
        errs.push_back(InvalidStringError(idx.Child("operator"), t.value, dra::StrJoin(msgs, ";")));
      }
    } else if (t.operator_ == kTolerationOpExists) {
      if (!t.value.empty()) {
        errs.push_back(InvalidStringError(idx.Child("operator"), t.value,
                                          "value must be empty when `operator` is 'Exists'"));
      }
    } else {
      errs.push_back(NotSupportedError(idx.Child("operator"), t.operator_, {"Equal", "Exists"}));
    }
    if (!t.effect.empty()) Append(errs, ValidateTaintEffect(t.effect, true, idx.Child("effect")));
  }
  return errs;
}

FieldErrorList ValidateNodeTaints(const std::vector<Taint>& taints, const FieldPath& path) {
  FieldErrorList errs;
  std::map<std::string, std::set<std::string>> unique;  // effect -> keys
  for (size_t i = 0; i < taints.size(); ++i) {
    const Taint& taint = taints[i];
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    Append(errs, ValidateQualifiedNameField(taint.key, idx.Child("key")));
    const std::vector<std::string> msgs = IsValidLabelValue(taint.value);
    if (!msgs.empty()) {
      errs.push_back(InvalidStringError(idx.Child("value"), taint.value, dra::StrJoin(msgs, ";")));
    }
    Append(errs, ValidateTaintEffect(taint.effect, false, idx.Child("effect")));
    std::set<std::string>& keys = unique[taint.effect];
    if (keys.contains(taint.key)) {
      FieldError dup = DuplicateError(idx, GoTaint(taint));
      dup.detail = "taints must be unique by key and effect pair";
      errs.push_back(std::move(dup));
      continue;
    }
    keys.insert(taint.key);
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Pod.

// validateLocalDescendingPath.
FieldErrorList ValidateLocalDescendingPath(std::string_view target, const FieldPath& path) {
  FieldErrorList errs;
  if (target.starts_with('/')) {
    errs.push_back(InvalidStringError(path, target, "must be a relative path"));
  }
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    if (target.substr(start, end - start) == "..") {
      errs.push_back(InvalidStringError(path, target, "must not contain '..'"));
      break;
    }
    start = end + 1;
  }
  return errs;
}

FieldErrorList ValidateSeccompProfileAnnotation(std::string_view profile, const FieldPath& path) {
  if (profile == "runtime/default" || profile == "docker/default" || profile == "unconfined") {
    return {};
  }
  if (profile.starts_with("localhost/")) {
    return ValidateLocalDescendingPath(profile.substr(std::string_view("localhost/").size()), path);
  }
  return {InvalidStringError(path, profile, "must be a valid seccomp profile")};
}

bool PodHasContainer(const PodSpec& spec, std::string_view name) {
  for (const Container& c : spec.init_containers) {
    if (c.name == name) return true;
  }
  for (const Container& c : spec.containers) {
    if (c.name == name) return true;
  }
  for (const Value& c : spec.ephemeral_containers) {
    const Value* n = c.is_object() ? c.Find("name") : nullptr;
    if (n != nullptr && n->is_string() && n->text() == name) return true;
  }
  return false;
}

// helper.GetDeletionCostFromPodAnnotations accepts a base-10 int32 without '+' or leading zeros.
bool IsValidDeletionCost(std::string_view value) {
  if (value.empty()) return false;
  const char first = value[0];
  if (!(first == '-' || (first == '0' && value == "0") || (first >= '1' && first <= '9'))) {
    return false;
  }
  std::string_view digits = value;
  bool negative = false;
  if (digits[0] == '-') {
    negative = true;
    digits.remove_prefix(1);
  }
  if (digits.empty()) return false;
  int64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
    if (v > int64_t{1} << 32) return false;  // out of int32 range either way
  }
  if (negative) v = -v;
  return v >= std::numeric_limits<int32_t>::min() && v <= kMaxInt32;
}

// ValidatePodSpecificAnnotations (the serialized tolerations annotation is not checked).
FieldErrorList ValidatePodSpecificAnnotations(const std::map<std::string, std::string>& annotations,
                                              const PodSpec& spec, const FieldPath& path) {
  FieldErrorList errs;
  if (auto it = annotations.find(std::string(kMirrorPodAnnotationKey)); it != annotations.end()) {
    if (spec.node_name.empty()) {
      errs.push_back(InvalidStringError(path.Key(kMirrorPodAnnotationKey), it->second,
                                        "must set spec.nodeName if mirror pod annotation is set"));
    }
  }
  if (auto it = annotations.find(std::string(kPodDeletionCostAnnotationKey));
      it != annotations.end() && !IsValidDeletionCost(it->second)) {
    errs.push_back(InvalidStringError(path.Key(kPodDeletionCostAnnotationKey), it->second,
                                      "must be a 32bit integer"));
  }
  // ValidateSeccompPodAnnotations (note: Child, not Key, upstream).
  if (auto it = annotations.find(std::string(kSeccompPodAnnotationKey)); it != annotations.end()) {
    Append(errs,
           ValidateSeccompProfileAnnotation(it->second, path.Child(kSeccompPodAnnotationKey)));
  }
  for (const auto& [key, value] : annotations) {
    if (key.starts_with(kSeccompContainerAnnotationKeyPrefix)) {
      Append(errs, ValidateSeccompProfileAnnotation(value, path.Child(key)));
    }
  }
  // ValidateAppArmorPodAnnotations.
  for (const auto& [key, value] : annotations) {
    if (!key.starts_with(kAppArmorContainerAnnotationKeyPrefix)) continue;
    const std::string container = key.substr(kAppArmorContainerAnnotationKeyPrefix.size());
    if (!PodHasContainer(spec, container)) {
      errs.push_back(InvalidStringError(path.Key(key), container, "container not found"));
    }
    if (!(value.empty() || value == "runtime/default" || value == "unconfined" ||
          value.starts_with("localhost/"))) {
      errs.push_back(InvalidStringError(
          path.Key(key), value, dra::StrCat("invalid AppArmor profile name: ", QuoteValue(value))));
    }
  }
  return errs;
}

FieldErrorList ValidatePodResourceClaims(const std::vector<PodResourceClaim>& claims,
                                         const FieldPath& path) {
  FieldErrorList errs;
  std::set<std::string> names;
  for (size_t i = 0; i < claims.size(); ++i) {
    const PodResourceClaim& claim = claims[i];
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    if (claim.name.empty()) {
      errs.push_back(RequiredError(idx.Child("name")));
    } else if (names.contains(claim.name)) {
      errs.push_back(DuplicateError(idx.Child("name"), QuoteValue(claim.name)));
    } else {
      Append(errs, ValidateDNS1123LabelField(claim.name, idx.Child("name")));
      names.insert(claim.name);
    }
    if (claim.resource_claim_name.has_value() && claim.resource_claim_template_name.has_value()) {
      errs.push_back(InvalidError(
          idx, GoPodResourceClaim(claim),
          "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"));
    }
    if (!claim.resource_claim_name.has_value() && !claim.resource_claim_template_name.has_value()) {
      errs.push_back(
          InvalidError(idx, GoPodResourceClaim(claim),
                       "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"));
    }
    if (claim.resource_claim_name.has_value()) {
      Append(errs,
             ValidateSubdomainField(*claim.resource_claim_name, idx.Child("resourceClaimName")));
    }
    if (claim.resource_claim_template_name.has_value()) {
      Append(errs, ValidateSubdomainField(*claim.resource_claim_template_name,
                                          idx.Child("resourceClaimTemplateName")));
    }
  }
  return errs;
}

FieldErrorList ValidatePullPolicy(std::string_view policy, const FieldPath& path) {
  if (policy == "Always" || policy == "IfNotPresent" || policy == "Never") return {};
  if (policy.empty()) return {RequiredError(path)};
  return {NotSupportedError(path, policy, {"Always", "IfNotPresent", "Never"})};
}

// validateContainerCommon.
FieldErrorList ValidateContainerCommon(const Container& c,
                                       const std::set<std::string>& pod_claim_names,
                                       const FieldPath& path) {
  FieldErrorList errs;
  const FieldPath name_path = path.Child("name");
  if (c.name.empty()) {
    errs.push_back(RequiredError(name_path));
  } else {
    Append(errs, ValidateDNS1123LabelField(c.name, name_path));
  }
  if (c.image.empty()) errs.push_back(RequiredError(path.Child("image")));
  if (c.termination_message_policy.empty()) {
    errs.push_back(RequiredError(path.Child("terminationMessagePolicy")));
  } else if (c.termination_message_policy != "File" &&
             c.termination_message_policy != "FallbackToLogsOnError") {
    errs.push_back(NotSupportedError(path.Child("terminationMessagePolicy"),
                                     c.termination_message_policy,
                                     {"File", "FallbackToLogsOnError"}));
  }
  Append(errs, ValidatePullPolicy(c.image_pull_policy, path.Child("imagePullPolicy")));
  Append(errs, ValidateResourceRequirements(c.resources, ValidateContainerResourceName,
                                            pod_claim_names, path.Child("resources")));
  return errs;
}

FieldErrorList ValidateContainers(const std::vector<Container>& containers,
                                  const std::set<std::string>& pod_claim_names,
                                  const FieldPath& path) {
  if (containers.empty()) return {RequiredError(path)};
  FieldErrorList errs;
  std::set<std::string> names;
  for (size_t i = 0; i < containers.size(); ++i) {
    const Container& c = containers[i];
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    Append(errs, ValidateContainerCommon(c, pod_claim_names, idx));
    if (names.contains(c.name)) {
      errs.push_back(DuplicateError(idx.Child("name"), QuoteValue(c.name)));
    } else {
      names.insert(c.name);
    }
    if (c.restart_policy.has_value()) {
      errs.push_back(
          ForbiddenError(idx.Child("restartPolicy"), "may not be set for non-init containers"));
    }
  }
  return errs;
}

FieldErrorList ValidateInitContainers(const std::vector<Container>& init_containers,
                                      const std::vector<Container>& containers,
                                      const std::set<std::string>& pod_claim_names,
                                      const FieldPath& path) {
  FieldErrorList errs;
  std::set<std::string> names;
  for (const Container& c : containers) names.insert(c.name);
  for (size_t i = 0; i < init_containers.size(); ++i) {
    const Container& c = init_containers[i];
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    Append(errs, ValidateContainerCommon(c, pod_claim_names, idx));
    bool restart_always = false;
    if (c.restart_policy.has_value()) {
      if (*c.restart_policy != kRestartPolicyAlways) {
        errs.push_back(
            NotSupportedError(idx.Child("restartPolicy"), *c.restart_policy, {"Always"}));
      }
      restart_always = *c.restart_policy == kRestartPolicyAlways;
    }
    if (names.contains(c.name)) {
      errs.push_back(DuplicateError(idx.Child("name"), QuoteValue(c.name)));
    } else if (!c.name.empty()) {
      names.insert(c.name);
    }
    if (!restart_always) {
      constexpr std::string_view kDetail =
          "may not be set for init containers without restartPolicy=Always";
      if (c.lifecycle.has_value()) {
        errs.push_back(ForbiddenError(idx.Child("lifecycle"), std::string(kDetail)));
      }
      if (c.liveness_probe.has_value()) {
        errs.push_back(ForbiddenError(idx.Child("livenessProbe"), std::string(kDetail)));
      }
      if (c.readiness_probe.has_value()) {
        errs.push_back(ForbiddenError(idx.Child("readinessProbe"), std::string(kDetail)));
      }
      if (c.startup_probe.has_value()) {
        errs.push_back(ForbiddenError(idx.Child("startupProbe"), std::string(kDetail)));
      }
    }
  }
  return errs;
}

// validatePodResources (PodLevelResources) with validatePodResourceConsistency.
FieldErrorList ValidatePodResources(const PodSpec& spec,
                                    const std::set<std::string>& pod_claim_names,
                                    const FieldPath& path) {
  if (!spec.resources.has_value()) return {};
  const ResourceRequirements& resources = *spec.resources;
  FieldErrorList errs;
  if (!resources.claims.empty()) {
    errs.push_back(
        ForbiddenError(path.Child("claims"), "claims cannot be set for Resources at pod-level"));
  }
  Append(errs,
         ValidateResourceRequirements(resources, ValidatePodResourceName, pod_claim_names, path));
  const FieldPath req_path = path.Child("requests");
  for (const auto& [name, container_requests] : AggregateContainerRequests(spec)) {
    auto it = resources.requests.find(name);
    const Quantity pod_requests = it != resources.requests.end() ? it->second : Quantity();
    if (container_requests.Compare(pod_requests) > 0) {
      errs.push_back(InvalidStringError(
          req_path.Key(name), pod_requests.ToString(),
          dra::StrCat("must be greater than or equal to aggregate container requests of ",
                      container_requests.ToString())));
    }
  }
  for (size_t i = 0; i < spec.containers.size(); ++i) {
    for (const auto& [name, container_limit] : spec.containers[i].resources.limits) {
      auto it = resources.limits.find(name);
      if (it == resources.limits.end()) continue;
      if (container_limit.Compare(it->second) > 0) {
        errs.push_back(InvalidStringError(
            path.Child("containers").Index(static_cast<int64_t>(i)).Key(name).Child("limits"),
            container_limit.ToString(),
            dra::StrCat("must be less than or equal to pod limits of ", it->second.ToString())));
      }
    }
  }
  return errs;
}

// validatePodHostNetworkDeps for a Pod (ResourceIsPod).
FieldErrorList ValidatePodHostNetworkDeps(const PodSpec& spec, const FieldPath& path) {
  FieldErrorList errs;
  if (!spec.host_network) return errs;
  const FieldPath containers_path = path.Child("containers");
  for (size_t i = 0; i < spec.containers.size(); ++i) {
    const FieldPath ports_path = containers_path.Index(static_cast<int64_t>(i)).Child("ports");
    const std::vector<Value>& ports = spec.containers[i].ports;
    for (size_t j = 0; j < ports.size(); ++j) {
      const int64_t host_port = IntMember(ports[j], "hostPort");
      const int64_t container_port = IntMember(ports[j], "containerPort");
      if (host_port != container_port) {
        errs.push_back(InvalidError(ports_path.Index(static_cast<int64_t>(j)).Child("hostPort"),
                                    dra::StrCat(host_port),
                                    "must match `containerPort` when `hostNetwork` is true"));
      }
    }
  }
  return errs;
}

FieldErrorList ValidateRestartPolicy(std::string_view policy, const FieldPath& path) {
  if (policy == kRestartPolicyAlways || policy == kRestartPolicyOnFailure ||
      policy == kRestartPolicyNever) {
    return {};
  }
  if (policy.empty()) return {RequiredError(path)};
  return {NotSupportedError(path, policy, {"Always", "OnFailure", "Never"})};
}

FieldErrorList ValidateDNSPolicy(std::string_view policy, const FieldPath& path) {
  if (policy == "ClusterFirstWithHostNet" || policy == "ClusterFirst" || policy == "Default" ||
      policy == "None") {
    return {};
  }
  if (policy.empty()) return {RequiredError(path)};
  return {NotSupportedError(path, policy,
                            {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"})};
}

FieldErrorList ValidateSchedulingGates(const std::vector<PodSchedulingGate>& gates,
                                       const FieldPath& path) {
  FieldErrorList errs;
  std::set<std::string> seen;
  for (size_t i = 0; i < gates.size(); ++i) {
    const FieldPath idx = path.Index(static_cast<int64_t>(i));
    Append(errs, ValidateQualifiedNameField(gates[i].name, idx));
    if (seen.contains(gates[i].name)) {
      errs.push_back(DuplicateError(idx, QuoteValue(gates[i].name)));
    }
    seen.insert(gates[i].name);
  }
  return errs;
}

// ValidatePodSpec for a Pod.
FieldErrorList ValidatePodSpec(const PodSpec& spec, const FieldPath& path) {
  FieldErrorList errs;
  if (!spec.termination_grace_period_seconds.has_value()) {
    errs.push_back(RequiredError(path.Child("terminationGracePeriodSeconds")));
  }
  std::set<std::string> pod_claim_names;  // gatherPodResourceClaimNames
  for (const PodResourceClaim& claim : spec.resource_claims) {
    if (!claim.name.empty()) pod_claim_names.insert(claim.name);
  }
  Append(errs, ValidatePodResourceClaims(spec.resource_claims, path.Child("resourceClaims")));
  Append(errs, ValidateContainers(spec.containers, pod_claim_names, path.Child("containers")));
  Append(errs, ValidateInitContainers(spec.init_containers, spec.containers, pod_claim_names,
                                      path.Child("initContainers")));
  Append(errs, ValidatePodResources(spec, pod_claim_names, path.Child("resources")));
  Append(errs, ValidatePodHostNetworkDeps(spec, path));
  Append(errs, ValidateRestartPolicy(spec.restart_policy, path.Child("restartPolicy")));
  Append(errs, ValidateDNSPolicy(spec.dns_policy, path.Child("dnsPolicy")));
  Append(errs, ValidateLabels(spec.node_selector, path.Child("nodeSelector")));
  Append(errs, ValidateSchedulingGates(spec.scheduling_gates, path.Child("schedulingGates")));
  if (!spec.service_account_name.empty()) {
    Append(errs,
           ValidateSubdomainField(spec.service_account_name, path.Child("serviceAccountName")));
  }
  if (!spec.node_name.empty()) {
    Append(errs, ValidateSubdomainField(spec.node_name, path.Child("nodeName")));
  }
  if (spec.active_deadline_seconds.has_value()) {
    const int64_t value = *spec.active_deadline_seconds;
    if (value < 1 || value > kMaxInt32) {
      errs.push_back(InvalidError(path.Child("activeDeadlineSeconds"), dra::StrCat(value),
                                  dra::StrCat("must be between 1 and ", kMaxInt32, ", inclusive")));
    }
  }
  if (!spec.hostname.empty()) {
    Append(errs, ValidateDNS1123LabelField(spec.hostname, path.Child("hostname")));
  }
  if (!spec.subdomain.empty()) {
    Append(errs, ValidateDNS1123LabelField(spec.subdomain, path.Child("subdomain")));
  }
  if (!spec.tolerations.empty()) {
    Append(errs, ValidateTolerations(spec.tolerations, path.Child("tolerations")));
  }
  if (!spec.priority_class_name.empty()) {
    Append(errs, ValidateSubdomainField(spec.priority_class_name, path.Child("priorityClassName")));
  }
  if (spec.runtime_class_name.has_value()) {
    Append(errs, ValidateSubdomainField(*spec.runtime_class_name, path.Child("runtimeClassName")));
  }
  if (spec.preemption_policy.has_value()) {
    const std::string& policy = *spec.preemption_policy;
    if (policy.empty()) {
      errs.push_back(RequiredError(path.Child("preemptionPolicy")));
    } else if (policy != "PreemptLowerPriority" && policy != "Never") {
      errs.push_back(NotSupportedError(path.Child("preemptionPolicy"), policy,
                                       {"PreemptLowerPriority", "Never"}));
    }
  }
  if (!spec.overhead.empty()) {
    ResourceRequirements overhead;
    overhead.limits = spec.overhead;
    Append(errs, ValidateResourceRequirements(overhead, ValidateContainerResourceName, {},
                                              path.Child("overhead")));
  }
  return errs;
}

// validateContainersOnlyForPod.
FieldErrorList ValidateContainersOnlyForPod(const std::vector<Container>& containers,
                                            const FieldPath& path) {
  FieldErrorList errs;
  for (size_t i = 0; i < containers.size(); ++i) {
    const std::string& image = containers[i].image;
    const size_t first = image.find_first_not_of(" \t\n\v\f\r");
    const size_t last = image.find_last_not_of(" \t\n\v\f\r");
    const bool padded =
        !image.empty() && (first == std::string::npos || first != 0 || last != image.size() - 1);
    if (padded) {
      errs.push_back(InvalidStringError(path.Index(static_cast<int64_t>(i)).Child("image"), image,
                                        "must not have leading or trailing whitespace"));
    }
  }
  return errs;
}

FieldErrorList ValidatePodResourceClaimStatuses(const std::vector<PodResourceClaimStatus>& statuses,
                                                const std::vector<PodResourceClaim>& claims,
                                                const FieldPath& path) {
  FieldErrorList errs;
  std::set<std::string> seen;
  for (size_t i = 0; i < statuses.size(); ++i) {
    const PodResourceClaimStatus& status = statuses[i];
    const FieldPath name_path = path.Index(static_cast<int64_t>(i)).Child("name");
    bool found = false;
    for (const PodResourceClaim& claim : claims) found = found || claim.name == status.name;
    if (!found) {
      errs.push_back(InvalidStringError(
          name_path, status.name, "must match the name of an entry in `spec.resourceClaims`"));
    }
    if (seen.contains(status.name)) {
      errs.push_back(DuplicateError(name_path, QuoteValue(status.name)));
    } else {
      seen.insert(status.name);
    }
    if (status.resource_claim_name.has_value()) {
      // Upstream reports the claim name under `name`.
      Append(errs, ValidateSubdomainField(*status.resource_claim_name, name_path));
    }
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Namespace finalizers.

bool IsStandardFinalizerName(std::string_view name) {
  return name == kFinalizerKubernetes || name == kFinalizerOrphanDependents ||
         name == kFinalizerDeleteDependents;
}

FieldErrorList ValidateFinalizerName(std::string_view name, const FieldPath& path) {
  FieldErrorList errs = ValidateQualifiedNameField(name, path);
  if (name.find('/') == std::string_view::npos && !IsStandardFinalizerName(name)) {
    errs.push_back(InvalidStringError(
        path, name, "name is neither a standard finalizer name nor is it fully qualified"));
  }
  return errs;
}

}  // namespace

FieldErrorList ValidateObject(const Object& object, const ValidationOptions& options) {
  return std::visit(
      [&options](const auto& typed) -> FieldErrorList {
        using T = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<T, DeviceClass>) {
          return ValidateDeviceClass(typed, options);
        } else if constexpr (std::is_same_v<T, ResourceSlice>) {
          return ValidateResourceSlice(typed, options);
        } else if constexpr (std::is_same_v<T, ResourceClaim>) {
          return ValidateResourceClaim(typed, options);
        } else if constexpr (std::is_same_v<T, ResourceClaimTemplate>) {
          return ValidateResourceClaimTemplate(typed, options);
        } else if constexpr (std::is_same_v<T, DeviceTaintRule>) {
          return ValidateDeviceTaintRule(typed, options);
        } else if constexpr (std::is_same_v<T, Pod>) {
          return ValidatePod(typed, options);
        } else if constexpr (std::is_same_v<T, Node>) {
          return ValidateNode(typed, options);
        } else if constexpr (std::is_same_v<T, Namespace>) {
          return ValidateNamespace(typed, options);
        } else {
          static_assert(std::is_same_v<T, Event>, "unhandled kind in ValidateObject");
          return ValidateEvent(typed, options);
        }
      },
      object);
}

FieldErrorList ValidatePod(const Pod& pod, const ValidationOptions& /*options*/) {
  const FieldPath meta_path("metadata");
  const FieldPath spec_path("spec");
  // validatePodMetadataAndSpec.
  FieldErrorList errs = ValidateObjectMeta(pod.metadata, /*namespaced=*/true,
                                           /*name_is_label=*/false, meta_path);
  Append(errs, ValidatePodSpecificAnnotations(pod.metadata.annotations, pod.spec,
                                              meta_path.Child("annotations")));
  Append(errs, ValidatePodSpec(pod.spec, spec_path));
  Append(errs, ValidateContainersOnlyForPod(pod.spec.containers, spec_path.Child("containers")));
  Append(errs,
         ValidateContainersOnlyForPod(pod.spec.init_containers, spec_path.Child("initContainers")));
  // ValidatePodCreate.
  if (!pod.spec.ephemeral_containers.empty()) {
    errs.push_back(
        ForbiddenError(spec_path.Child("ephemeralContainers"), "cannot be set on create"));
  }
  if (!pod.spec.node_name.empty() && !pod.spec.scheduling_gates.empty()) {
    errs.push_back(ForbiddenError(spec_path.Child("nodeName"),
                                  "cannot be set until all schedulingGates have been cleared"));
  }
  // ValidatePodStatusUpdate's claim statuses, for pods read with their status.
  Append(errs, ValidatePodResourceClaimStatuses(
                   pod.status.resource_claim_statuses, pod.spec.resource_claims,
                   FieldPath("status").Child("resourceClaimStatuses")));
  return errs;
}

FieldErrorList ValidateNode(const Node& node, const ValidationOptions& /*options*/) {
  const FieldPath meta_path("metadata");
  FieldErrorList errs =
      ValidateObjectMeta(node.metadata, /*namespaced=*/false, /*name_is_label=*/false, meta_path);
  if (!node.spec.taints.empty()) {
    // Upstream reports spec.taints under metadata.
    Append(errs, ValidateNodeTaints(node.spec.taints, meta_path.Child("taints")));
  }
  // ValidateNodeResources.
  for (const auto& [name, quantity] : node.status.capacity) {
    Append(errs, ValidateResourceQuantityValue(name, quantity,
                                               FieldPath("status").Child("capacity").Child(name)));
  }
  for (const auto& [name, quantity] : node.status.allocatable) {
    Append(errs, ValidateResourceQuantityValue(
                     name, quantity, FieldPath("status").Child("allocatable").Child(name)));
  }
  return errs;
}

FieldErrorList ValidateNamespace(const Namespace& ns, const ValidationOptions& /*options*/) {
  FieldErrorList errs = ValidateObjectMeta(ns.metadata, /*namespaced=*/false,
                                           /*name_is_label=*/true, FieldPath("metadata"));
  const FieldPath finalizers_path = FieldPath("spec").Child("finalizers");
  for (const std::string& finalizer : ns.spec.finalizers) {
    Append(errs, ValidateFinalizerName(finalizer, finalizers_path));
  }
  return errs;
}

FieldErrorList ValidateEvent(const Event& event, const ValidationOptions& /*options*/) {
  // legacyValidateEvent: core/v1 creates get no further (metadata) validation upstream.
  FieldErrorList errs;
  const std::string& ns = event.metadata.namespace_;
  const std::string& involved_ns = event.involved_object.namespace_;
  const FieldPath involved_ns_path = FieldPath("involvedObject").Child("namespace");
  constexpr std::string_view kMismatch = "does not match event.namespace";
  if (event.event_time.empty()) {
    if (involved_ns.empty()) {
      if (!ns.empty() && ns != "default") {
        errs.push_back(InvalidStringError(involved_ns_path, involved_ns, std::string(kMismatch)));
      }
    } else if (ns != involved_ns) {
      errs.push_back(InvalidStringError(involved_ns_path, involved_ns, std::string(kMismatch)));
    }
  } else {
    if (involved_ns.empty() && ns != "default" && ns != "kube-system") {
      errs.push_back(InvalidStringError(involved_ns_path, involved_ns, std::string(kMismatch)));
    }
    // core/v1 reportingComponent is the internal ReportingController.
    const FieldPath controller_path("reportingController");
    if (event.reporting_component.empty()) errs.push_back(RequiredError(controller_path));
    AppendInvalid(errs, controller_path, event.reporting_component,
                  IsQualifiedName(event.reporting_component));
    const auto check_length = [&errs](const std::string& value, std::string_view field,
                                      size_t limit, bool required) {
      const FieldPath p{std::string(field)};
      if (required && value.empty()) errs.push_back(RequiredError(p));
      if (value.size() > limit) {
        errs.push_back(
            InvalidStringError(p, "", dra::StrCat("can have at most ", limit, " characters")));
      }
    };
    check_length(event.reporting_instance, "reportingInstance", kEventReportingInstanceLengthLimit,
                 true);
    check_length(event.action, "action", kEventActionLengthLimit, true);
    check_length(event.reason, "reason", kEventReasonLengthLimit, true);
    check_length(event.message, "message", kEventNoteLengthLimit, false);
  }
  AppendInvalid(errs, FieldPath("namespace"), ns, IsDNS1123Subdomain(ns));
  return errs;
}

}  // namespace dra::api
