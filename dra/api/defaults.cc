// Defaulting of every kind dra serves; see defaults.h for the contract.
//
// Sources: k8s.io/kubernetes pkg/apis/resource/v1/defaults.go, pkg/apis/core/v1/defaults.go, the
// generated SetObjectDefaults_* walks (zz_generated.defaults.go) including the declarative
// `+default` tags of k8s.io/api, and k8s.io/component-helpers/resource for pod-level resources.
// Free-form parts of a Pod (volumes, ports, probes, ephemeral containers) are defaulted on their
// Value trees with Go's zero-value rules: a non-pointer field is defaulted when absent, null or
// its zero value; a pointer field only when absent or null.
#include "dra/api/defaults.h"

#include <cmath>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace dra::api {
namespace {

constexpr std::string_view kTerminationMessagePathDefault = "/dev/termination-log";
constexpr std::string_view kTerminationMessageReadFile = "File";
constexpr std::string_view kPullAlways = "Always";
constexpr std::string_view kPullIfNotPresent = "IfNotPresent";
constexpr std::string_view kDNSClusterFirst = "ClusterFirst";
constexpr int64_t kDefaultTerminationGracePeriodSeconds = 30;
constexpr int64_t kVolumeSourceDefaultMode = 0644;  // 420
constexpr int64_t kServiceAccountTokenExpirationSeconds = 3600;
constexpr std::string_view kLabelMetadataName = "kubernetes.io/metadata.name";
constexpr std::string_view kHugePagesPrefix = "hugepages-";

// ---------------------------------------------------------------------------------------------
// Value helpers (Go zero-value semantics on free-form parts).

bool IsZeroValue(const Value* v) {
  if (v == nullptr || v->is_null()) return true;
  switch (v->kind()) {
    case Value::Kind::kString:
      return v->text().empty();
    case Value::Kind::kNumber:
      return v->AsDouble() == 0;
    case Value::Kind::kBool:
      return !v->bool_value();
    default:
      return false;
  }
}

// A non-pointer Go field: defaulted when absent, null or zero.
void DefaultIfZero(Value& object, std::string_view key, Value value) {
  if (!object.is_object()) return;
  if (IsZeroValue(object.Find(key))) object.Set(std::string(key), std::move(value));
}

// A pointer Go field: defaulted when absent or null.
void DefaultIfUnset(Value& object, std::string_view key, Value value) {
  if (!object.is_object()) return;
  const Value* current = object.Find(key);
  if (current == nullptr || current->is_null()) object.Set(std::string(key), std::move(value));
}

// The member `key` when it is an object, else nullptr.
Value* ObjectMember(Value& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  Value* member = object.FindMutable(key);
  return member != nullptr && member->is_object() ? member : nullptr;
}

// Calls fn on every object item of the array member `key`.
template <typename Fn>
void ForEachObjectItem(Value& object, std::string_view key, Fn fn) {
  if (!object.is_object()) return;
  Value* list = object.FindMutable(key);
  if (list == nullptr || !list->is_array()) return;
  for (Value& item : list->mutable_items()) {
    if (item.is_object()) fn(item);
  }
}

// ---------------------------------------------------------------------------------------------
// Quantities.

// SetDefaults_ResourceList: resource.Quantity.RoundUp(milli), i.e. values finer than 1m are
// rounded away from zero to the next thousandth.
void RoundUpToMilli(Quantity& q) {
  if (q.IsInteger()) return;
  // MilliValue() is only exact below ~9.2e15; larger non-integers are left as they are.
  if (std::fabs(q.AsApproximateFloat64()) >= 9.0e15) return;
  Quantity rounded = Quantity::FromScaled(q.MilliValue(), -3, q.format());
  if (rounded.Compare(q) != 0) q = rounded;
}

void RoundUpResourceList(ResourceList& list) {
  for (auto& [name, quantity] : list) RoundUpToMilli(quantity);
}

// addResourceList / maxResourceList of component-helpers/resource.
void AddResourceList(ResourceList& list, const ResourceList& add) {
  for (const auto& [name, quantity] : add) {
    auto it = list.find(name);
    if (it == list.end()) {
      list.emplace(name, quantity);
    } else {
      it->second = it->second.Add(quantity);
    }
  }
}

void MaxResourceList(ResourceList& list, const ResourceList& other) {
  for (const auto& [name, quantity] : other) {
    auto it = list.find(name);
    if (it == list.end()) {
      list.emplace(name, quantity);
    } else if (quantity.Compare(it->second) > 0) {
      it->second = quantity;
    }
  }
}

bool IsHugePageResourceName(std::string_view name) { return name.starts_with(kHugePagesPrefix); }

// resourcehelper.IsSupportedPodLevelResource.
bool IsSupportedPodLevelResource(std::string_view name) {
  return name == kResourceCPU || name == kResourceMemory || IsHugePageResourceName(name);
}

// corev1helper.IsOvercommitAllowed: native (no domain, or a kubernetes.io domain) and not
// hugepages.
bool IsOvercommitAllowed(std::string_view name) {
  const bool native = name.find('/') == std::string_view::npos ||
                      name.find("kubernetes.io/") != std::string_view::npos;
  return native && !IsHugePageResourceName(name);
}

ResourceList AggregateContainerResources(const PodSpec& spec, bool limits) {
  const auto get = [limits](const Container& c) -> const ResourceList& {
    return limits ? c.resources.limits : c.resources.requests;
  };
  ResourceList result;
  for (const Container& c : spec.containers) AddResourceList(result, get(c));
  ResourceList restartable;
  ResourceList init;
  for (const Container& c : spec.init_containers) {
    if (c.restart_policy.has_value() && *c.restart_policy == kRestartPolicyAlways) {
      AddResourceList(result, get(c));
      AddResourceList(restartable, get(c));
      MaxResourceList(init, restartable);
    } else {
      ResourceList combined;
      AddResourceList(combined, get(c));
      AddResourceList(combined, restartable);
      MaxResourceList(init, combined);
    }
  }
  MaxResourceList(result, init);
  return result;
}

bool HasSupportedPodLevelResource(const ResourceList& list) {
  for (const auto& [name, quantity] : list) {
    if (IsSupportedPodLevelResource(name)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Image references (github.com/distribution/reference v0.6 ParseNormalizedNamed, as used by
// k8s.io/kubernetes/pkg/util/parsers.ParseImageName).

constexpr size_t kNameTotalLengthMax = 255;
// No normalized reference longer than this can parse (name <= 255, ":" tag <= 129,
// "@" digest <= 136); checking it first also bounds the regular expression's work.
constexpr size_t kReferenceLengthBound = 520;

const std::regex& ReferenceRegexp() {
  static const std::regex* const kRegexp = [] {
    const std::string domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    const std::string domain_name = domain_component + "(?:\\." + domain_component + ")*";
    const std::string ipv6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    const std::string host = "(?:" + domain_name + "|" + ipv6 + ")";
    const std::string domain_and_port = host + "(?::[0-9]+)?";
    const std::string path_component = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    const std::string name =
        "(?:" + domain_and_port + "/)?" + path_component + "(?:/" + path_component + ")*";
    const std::string tag = "[\\w][\\w.-]{0,127}";
    const std::string digest =
        "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
    return new std::regex("^(" + name + ")(?::(" + tag + "))?(?:@(" + digest + "))?$",
                          std::regex::ECMAScript | std::regex::optimize);
  }();
  return *kRegexp;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// go-digest Digest.Validate for the algorithms registered in Kubernetes binaries.
bool IsValidDigest(std::string_view digest) {
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == digest.size()) return false;
  const std::string_view algorithm = digest.substr(0, colon);
  const std::string_view encoded = digest.substr(colon + 1);
  size_t size = 0;
  if (algorithm == "sha256") {
    size = 64;
  } else if (algorithm == "sha384") {
    size = 96;
  } else if (algorithm == "sha512") {
    size = 128;
  } else {
    return false;
  }
  return encoded.size() == size && IsLowerHex(encoded);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// splitDockerDomain: the registry and the remainder, with Docker Hub names canonicalized.
std::pair<std::string, std::string> SplitDockerDomain(std::string_view name) {
  constexpr std::string_view kDefaultDomain = "docker.io";
  constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
  constexpr std::string_view kOfficialRepoPrefix = "library/";
  const size_t slash = name.find('/');
  if (slash == std::string_view::npos) {
    return {std::string(kDefaultDomain), std::string(kOfficialRepoPrefix) + std::string(name)};
  }
  const std::string_view maybe_domain = name.substr(0, slash);
  const std::string_view maybe_remote = name.substr(slash + 1);
  std::string domain;
  std::string remote;
  if (maybe_domain == "localhost") {
    domain = std::string(maybe_domain);
    remote = std::string(maybe_remote);
  } else if (maybe_domain == kLegacyDefaultDomain) {
    domain = std::string(kDefaultDomain);
    remote = std::string(maybe_remote);
  } else if (maybe_domain.find_first_of(".:") != std::string_view::npos ||
             ToLower(maybe_domain) != maybe_domain) {
    domain = std::string(maybe_domain);
    remote = std::string(maybe_remote);
  } else {
    domain = std::string(kDefaultDomain);
    remote = std::string(name);
  }
  if (domain == kDefaultDomain && remote.find('/') == std::string::npos) {
    remote = std::string(kOfficialRepoPrefix) + remote;
  }
  return {std::move(domain), std::move(remote)};
}

// The tag ParseImageName reports: the explicit tag, "latest" without tag and digest, or
// nullopt when the reference does not parse.
std::optional<std::string> ParseImageTag(std::string_view image) {
  if (image.empty() || image.size() > kReferenceLengthBound) return std::nullopt;
  // A bare 64-character hex identifier is refused.
  if (image.size() == 64 && IsLowerHex(image)) return std::nullopt;
  auto [domain, remainder] = SplitDockerDomain(image);
  const std::string_view remote =
      std::string_view(remainder).substr(0, std::string_view(remainder).find(':'));
  if (ToLower(remote) != remote) return std::nullopt;
  const std::string full = domain + "/" + remainder;
  if (full.size() > kReferenceLengthBound) return std::nullopt;
  std::smatch match;
  if (!std::regex_match(full, match, ReferenceRegexp())) return std::nullopt;
  if (match[1].length() > static_cast<std::ptrdiff_t>(kNameTotalLengthMax)) return std::nullopt;
  const std::string tag = match[2].matched ? match[2].str() : "";
  if (match[3].matched && !IsValidDigest(match[3].str())) return std::nullopt;
  if (tag.empty() && !match[3].matched) return "latest";
  return tag;
}

// ---------------------------------------------------------------------------------------------
// core/v1 free-form parts.

// SetDefaults_ObjectFieldSelector.
void DefaultFieldRef(Value& holder) {
  if (Value* field_ref = ObjectMember(holder, "fieldRef")) {
    DefaultIfZero(*field_ref, "apiVersion", Value::String("v1"));
  }
}

// SetDefaults_HTTPGetAction.
void DefaultHTTPGet(Value& handler) {
  if (Value* http_get = ObjectMember(handler, "httpGet")) {
    DefaultIfZero(*http_get, "path", Value::String("/"));
    DefaultIfZero(*http_get, "scheme", Value::String("HTTP"));
  }
}

// SetDefaults_Probe plus its HTTP handler.
void DefaultProbe(Value& probe) {
  if (!probe.is_object()) return;
  DefaultIfZero(probe, "timeoutSeconds", Value::Int(1));
  DefaultIfZero(probe, "periodSeconds", Value::Int(10));
  DefaultIfZero(probe, "successThreshold", Value::Int(1));
  DefaultIfZero(probe, "failureThreshold", Value::Int(3));
  DefaultHTTPGet(probe);
}

void DefaultLifecycle(Value& lifecycle) {
  if (Value* post_start = ObjectMember(lifecycle, "postStart")) DefaultHTTPGet(*post_start);
  if (Value* pre_stop = ObjectMember(lifecycle, "preStop")) DefaultHTTPGet(*pre_stop);
}

// ContainerPort.protocol +default="TCP".
void DefaultContainerPort(Value& port) { DefaultIfZero(port, "protocol", Value::String("TCP")); }

// defaultHostNetworkPorts: hostPort follows containerPort.
void DefaultHostNetworkPort(Value& port) {
  const Value* container_port = port.Find("containerPort");
  if (IsZeroValue(container_port)) return;
  DefaultIfZero(port, "hostPort", *container_port);
}

void DefaultVolume(Value& volume) {
  // SetDefaults_Volume: a volume without any source is an emptyDir.
  bool has_source = false;
  for (const auto& [key, member] : volume.members()) {
    if (key != "name" && !member.is_null()) has_source = true;
  }
  if (!has_source) volume.Set("emptyDir", Value::Object());
  // ImageVolume: the pull policy follows the reference like a container's.
  if (Value* image = ObjectMember(volume, "image")) {
    if (IsZeroValue(image->Find("pullPolicy"))) {
      const Value* reference = image->Find("reference");
      const std::string ref =
          reference != nullptr && reference->is_string() ? reference->text() : "";
      image->Set("pullPolicy", Value::String(DefaultImagePullPolicy(ref)));
    }
  }
  if (Value* host_path = ObjectMember(volume, "hostPath")) {
    DefaultIfUnset(*host_path, "type", Value::String(""));  // HostPathUnset
  }
  if (Value* secret = ObjectMember(volume, "secret")) {
    DefaultIfUnset(*secret, "defaultMode", Value::Int(kVolumeSourceDefaultMode));
  }
  if (Value* iscsi = ObjectMember(volume, "iscsi")) {
    DefaultIfZero(*iscsi, "iscsiInterface", Value::String("default"));
  }
  if (Value* rbd = ObjectMember(volume, "rbd")) {
    DefaultIfZero(*rbd, "pool", Value::String("rbd"));
    DefaultIfZero(*rbd, "user", Value::String("admin"));
    DefaultIfZero(*rbd, "keyring", Value::String("/etc/ceph/keyring"));
  }
  if (Value* downward_api = ObjectMember(volume, "downwardAPI")) {
    DefaultIfUnset(*downward_api, "defaultMode", Value::Int(kVolumeSourceDefaultMode));
    ForEachObjectItem(*downward_api, "items", DefaultFieldRef);
  }
  if (Value* config_map = ObjectMember(volume, "configMap")) {
    DefaultIfUnset(*config_map, "defaultMode", Value::Int(kVolumeSourceDefaultMode));
  }
  if (Value* azure_disk = ObjectMember(volume, "azureDisk")) {
    DefaultIfUnset(*azure_disk, "cachingMode", Value::String("ReadWrite"));
    DefaultIfUnset(*azure_disk, "fsType", Value::String("ext4"));
    DefaultIfUnset(*azure_disk, "readOnly", Value::Bool(false));
    DefaultIfUnset(*azure_disk, "kind", Value::String("Shared"));
  }
  if (Value* projected = ObjectMember(volume, "projected")) {
    DefaultIfUnset(*projected, "defaultMode", Value::Int(kVolumeSourceDefaultMode));
    ForEachObjectItem(*projected, "sources", [](Value& source) {
      if (Value* downward_api = ObjectMember(source, "downwardAPI")) {
        ForEachObjectItem(*downward_api, "items", DefaultFieldRef);
      }
      if (Value* token = ObjectMember(source, "serviceAccountToken")) {
        DefaultIfUnset(*token, "expirationSeconds",
                       Value::Int(kServiceAccountTokenExpirationSeconds));
      }
    });
  }
  if (Value* scale_io = ObjectMember(volume, "scaleIO")) {
    DefaultIfZero(*scale_io, "storageMode", Value::String("ThinProvisioned"));
    DefaultIfZero(*scale_io, "fsType", Value::String("xfs"));
  }
  if (Value* ephemeral = ObjectMember(volume, "ephemeral")) {
    if (Value* claim_template = ObjectMember(*ephemeral, "volumeClaimTemplate")) {
      if (Value* spec = ObjectMember(*claim_template, "spec")) {
        DefaultIfUnset(*spec, "volumeMode", Value::String("Filesystem"));
      }
    }
  }
}

// SetDefaults_Container and the generated walk below it, for a typed container.
void DefaultContainer(Container& c) {
  if (c.image_pull_policy.empty()) c.image_pull_policy = DefaultImagePullPolicy(c.image);
  if (c.termination_message_path.empty()) {
    c.termination_message_path = std::string(kTerminationMessagePathDefault);
  }
  if (c.termination_message_policy.empty()) {
    c.termination_message_policy = std::string(kTerminationMessageReadFile);
  }
  for (Value& port : c.ports) DefaultContainerPort(port);
  for (EnvVar& env : c.env) {
    if (env.value_from.has_value()) DefaultFieldRef(*env.value_from);
  }
  RoundUpResourceList(c.resources.limits);
  RoundUpResourceList(c.resources.requests);
  if (c.liveness_probe.has_value()) DefaultProbe(*c.liveness_probe);
  if (c.readiness_probe.has_value()) DefaultProbe(*c.readiness_probe);
  if (c.startup_probe.has_value()) DefaultProbe(*c.startup_probe);
  if (c.lifecycle.has_value()) DefaultLifecycle(*c.lifecycle);
}

// The same for an ephemeral container, which is kept free-form.
void DefaultEphemeralContainer(Value& c) {
  if (!c.is_object()) return;
  if (IsZeroValue(c.Find("imagePullPolicy"))) {
    const Value* image = c.Find("image");
    c.Set("imagePullPolicy", Value::String(DefaultImagePullPolicy(
                                 image != nullptr && image->is_string() ? image->text() : "")));
  }
  DefaultIfZero(c, "terminationMessagePath",
                Value::String(std::string(kTerminationMessagePathDefault)));
  DefaultIfZero(c, "terminationMessagePolicy",
                Value::String(std::string(kTerminationMessageReadFile)));
  ForEachObjectItem(c, "ports", DefaultContainerPort);
  ForEachObjectItem(c, "env", [](Value& env) {
    if (Value* value_from = ObjectMember(env, "valueFrom")) DefaultFieldRef(*value_from);
  });
  for (std::string_view probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    if (Value* p = ObjectMember(c, probe)) DefaultProbe(*p);
  }
  if (Value* lifecycle = ObjectMember(c, "lifecycle")) DefaultLifecycle(*lifecycle);
}

// SetDefaults_Pod: requests default to limits per container.
void DefaultRequestsFromLimits(Container& c) {
  for (const auto& [name, quantity] : c.resources.limits) {
    c.resources.requests.emplace(name, quantity);  // keeps an existing request
  }
}

// defaultHugePagePodLimits.
void DefaultHugePagePodLimits(PodSpec& spec) {
  if (!spec.resources.has_value()) return;
  ResourceRequirements& pod = *spec.resources;
  if (pod.limits.empty() && pod.requests.empty()) return;
  ResourceList limits = pod.limits;
  for (const auto& [name, quantity] : AggregateContainerLimits(spec)) {
    if (!IsSupportedPodLevelResource(name) || !IsHugePageResourceName(name)) continue;
    if (pod.requests.contains(name)) continue;
    limits.emplace(name, quantity);
  }
  if (!limits.empty()) pod.limits = std::move(limits);
}

// defaultPodRequests.
void DefaultPodRequests(PodSpec& spec) {
  if (!spec.resources.has_value() || spec.resources->limits.empty()) return;
  ResourceList requests = spec.resources->requests;
  for (const auto& [name, quantity] : AggregateContainerRequests(spec)) {
    if (!requests.contains(name) && IsSupportedPodLevelResource(name) &&
        IsOvercommitAllowed(name)) {
      requests.emplace(name, quantity);
    }
  }
  for (const auto& [name, quantity] : spec.resources->limits) {
    if (!requests.contains(name) && IsSupportedPodLevelResource(name)) {
      requests.emplace(name, quantity);
    }
  }
  if (!requests.empty()) spec.resources->requests = std::move(requests);
}

bool AllContainersHaveLimitFor(const PodSpec& spec, const std::string& name) {
  for (const Container& c : spec.init_containers) {
    if (!c.resources.limits.contains(name)) return false;
  }
  for (const Container& c : spec.containers) {
    if (!c.resources.limits.contains(name)) return false;
  }
  return true;
}

// defaultPodLimits: pod-level limits from the containers' when pod-level requests are set and
// every container limits the resource.
void DefaultPodLimits(PodSpec& spec) {
  if (!spec.resources.has_value()) return;
  if (HasSupportedPodLevelResource(spec.resources->limits)) return;
  if (!HasSupportedPodLevelResource(spec.resources->requests)) return;
  ResourceList limits = spec.resources->limits;
  for (const auto& [name, quantity] : AggregateContainerLimits(spec)) {
    if (limits.contains(name) || !IsSupportedPodLevelResource(name) || !IsOvercommitAllowed(name) ||
        !AllContainersHaveLimitFor(spec, name)) {
      continue;
    }
    limits.emplace(name, quantity);
  }
  if (!limits.empty()) spec.resources->limits = std::move(limits);
}

// ---------------------------------------------------------------------------------------------
// resource.k8s.io.

std::optional<std::string> TruncatedNow(const DefaultingOptions& options) {
  if (!options.now.has_value()) return std::nullopt;
  std::string now = *options.now;
  const size_t t = now.find_first_of("Tt");
  const size_t dot = now.find('.', t == std::string::npos ? 0 : t);
  if (dot != std::string::npos) {
    size_t end = dot + 1;
    while (end < now.size() && now[end] >= '0' && now[end] <= '9') ++end;
    now.erase(dot, end - dot);
  }
  return now;
}

void DefaultToleration(DeviceToleration& toleration) {
  if (toleration.operator_.empty()) toleration.operator_ = std::string(kDeviceTolerationOpEqual);
}

void DefaultTaint(DeviceTaint& taint, const std::optional<std::string>& now) {
  if (!taint.time_added.has_value() && now.has_value()) taint.time_added = *now;
}

template <typename Request>
void DefaultAllocationMode(Request& request) {
  if (request.allocation_mode.empty()) {
    request.allocation_mode = std::string(kDeviceAllocationModeExactCount);
  }
  if (request.allocation_mode == kDeviceAllocationModeExactCount && request.count == 0) {
    request.count = 1;
  }
  for (DeviceToleration& toleration : request.tolerations) DefaultToleration(toleration);
}

void DefaultClaimSpec(ResourceClaimSpec& spec) {
  for (DeviceRequest& request : spec.devices.requests) {
    if (request.exactly.has_value()) DefaultAllocationMode(*request.exactly);
    for (DeviceSubRequest& sub : request.first_available) DefaultAllocationMode(sub);
  }
}

}  // namespace

std::string DefaultImagePullPolicy(std::string_view image) {
  const std::optional<std::string> tag = ParseImageTag(image);
  return std::string(tag.has_value() && *tag == "latest" ? kPullAlways : kPullIfNotPresent);
}

ResourceList AggregateContainerRequests(const PodSpec& spec) {
  return AggregateContainerResources(spec, /*limits=*/false);
}

ResourceList AggregateContainerLimits(const PodSpec& spec) {
  return AggregateContainerResources(spec, /*limits=*/true);
}

void ApplyDefaults(Object& object, const DefaultingOptions& options) {
  std::visit([&options](auto& typed) { ApplyDefaults(typed, options); }, object);
}

void ApplyDefaults(DeviceClass& /*object*/, const DefaultingOptions& /*options*/) {}

void ApplyDefaults(ResourceSlice& object, const DefaultingOptions& options) {
  const std::optional<std::string> now = TruncatedNow(options);
  for (Device& device : object.spec.devices) {
    for (auto& [name, mapping] : device.node_allocatable_resource_mappings) {
      if (!mapping.allocation_multiplier.has_value()) {
        mapping.allocation_multiplier = Quantity::FromInt64(1);
      }
    }
    for (DeviceTaint& taint : device.taints) DefaultTaint(taint, now);
  }
}

void ApplyDefaults(ResourceClaim& object, const DefaultingOptions& /*options*/) {
  DefaultClaimSpec(object.spec);
  if (object.status.allocation.has_value()) {
    for (DeviceRequestAllocationResult& result : object.status.allocation->devices.results) {
      for (DeviceToleration& toleration : result.tolerations) DefaultToleration(toleration);
    }
  }
}

void ApplyDefaults(ResourceClaimTemplate& object, const DefaultingOptions& /*options*/) {
  DefaultClaimSpec(object.spec.spec);
}

void ApplyDefaults(DeviceTaintRule& object, const DefaultingOptions& options) {
  DefaultTaint(object.spec.taint, TruncatedNow(options));
}

void ApplyDefaults(Pod& object, const DefaultingOptions& /*options*/) {
  PodSpec& spec = object.spec;
  // SetDefaults_Pod.
  for (Container& c : spec.containers) DefaultRequestsFromLimits(c);
  for (Container& c : spec.init_containers) DefaultRequestsFromLimits(c);
  // PodLevelResources (on by default since v1.34).
  DefaultHugePagePodLimits(spec);
  DefaultPodRequests(spec);
  DefaultPodLimits(spec);
  if (!spec.enable_service_links.has_value()) spec.enable_service_links = true;
  if (spec.host_network) {
    for (Container& c : spec.containers) {
      for (Value& port : c.ports) DefaultHostNetworkPort(port);
    }
    for (Container& c : spec.init_containers) {
      for (Value& port : c.ports) DefaultHostNetworkPort(port);
    }
  }
  // SetDefaults_PodSpec.
  if (spec.dns_policy.empty()) spec.dns_policy = std::string(kDNSClusterFirst);
  if (spec.restart_policy.empty()) spec.restart_policy = std::string(kRestartPolicyAlways);
  if (!spec.security_context.has_value() || spec.security_context->is_null()) {
    spec.security_context = Value::Object();
  }
  if (!spec.termination_grace_period_seconds.has_value()) {
    spec.termination_grace_period_seconds = kDefaultTerminationGracePeriodSeconds;
  }
  if (spec.scheduler_name.empty()) spec.scheduler_name = std::string(kDefaultSchedulerName);
  // The generated walk.
  for (Value& volume : spec.volumes) {
    if (volume.is_object()) DefaultVolume(volume);
  }
  for (Container& c : spec.init_containers) DefaultContainer(c);
  for (Container& c : spec.containers) DefaultContainer(c);
  for (Value& c : spec.ephemeral_containers) DefaultEphemeralContainer(c);
  RoundUpResourceList(spec.overhead);
  if (spec.resources.has_value()) {
    RoundUpResourceList(spec.resources->limits);
    RoundUpResourceList(spec.resources->requests);
  }
}

void ApplyDefaults(Node& object, const DefaultingOptions& /*options*/) {
  NodeStatus& status = object.status;
  if (status.allocatable.empty() && !status.capacity.empty()) status.allocatable = status.capacity;
  RoundUpResourceList(status.capacity);
  RoundUpResourceList(status.allocatable);
}

void ApplyDefaults(Namespace& object, const DefaultingOptions& /*options*/) {
  if (!object.metadata.name.empty()) {
    object.metadata.labels[std::string(kLabelMetadataName)] = object.metadata.name;
  }
  if (object.status.phase.empty()) object.status.phase = std::string(kNamespaceActive);
}

void ApplyDefaults(Event& /*object*/, const DefaultingOptions& /*options*/) {}

}  // namespace dra::api
