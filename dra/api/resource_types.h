// Object model for resource.k8s.io/v1 as of Kubernetes v1.36: DeviceClass, ResourceSlice,
// ResourceClaim and ResourceClaimTemplate, plus DeviceTaintRule, which v1.36 serves only as
// resource.k8s.io/v1beta2 (and v1alpha3), with the same shape.
//
// Conventions are those of meta_types.h. All types are thread-compatible value types. Embedded
// (inline) Go structs are flattened: DeviceConfiguration's `opaque` member appears directly in
// DeviceClaimConfiguration, DeviceClassConfiguration and DeviceAllocationConfiguration.
// QualifiedName and FullyQualifiedName map keys and fields are plain strings.
#ifndef DRA_API_RESOURCE_TYPES_H_
#define DRA_API_RESOURCE_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dra/api/core_types.h"
#include "dra/api/meta_types.h"
#include "dra/api/value.h"
#include "dra/base/quantity.h"

namespace dra::api {

inline constexpr std::string_view kResourceGroup = "resource.k8s.io";
inline constexpr std::string_view kResourceGroupVersion = "resource.k8s.io/v1";
// The newest version serving DeviceTaintRule in v1.36.
inline constexpr std::string_view kDeviceTaintRuleGroupVersion = "resource.k8s.io/v1beta2";

// ---------------------------------------------------------------------------------------------
// Well-known names.

// Finalizer set on claims allocated by the built-in controllers.
inline constexpr std::string_view kFinalizer = "resource.kubernetes.io/delete-protection";
// Annotation ("true") on the special claim the scheduler creates for extended resources.
inline constexpr std::string_view kExtendedResourceClaimAnnotation =
    "resource.kubernetes.io/extended-resource-claim";
// Annotation on template-generated claims: the pod.spec.resourceClaims[].name it was made for.
inline constexpr std::string_view kPodResourceClaimAnnotation =
    "resource.kubernetes.io/pod-claim-name";
// Prefix of the implicit extended resource name of a DeviceClass without extendedResourceName.
inline constexpr std::string_view kResourceDeviceClassPrefix =
    "deviceclass.resource.kubernetes.io/";
// Namespace label ("true") that permits adminAccess requests in that namespace.
inline constexpr std::string_view kDRAAdminNamespaceLabelKey =
    "resource.kubernetes.io/admin-access";

// Synthetic authorization of resourceclaims/status writes.
inline constexpr std::string_view kSubresourceBinding = "binding";
inline constexpr std::string_view kSubresourceDriver = "driver";
inline constexpr std::string_view kVerbPrefixAssociatedNode = "associated-node:";
inline constexpr std::string_view kVerbPrefixArbitraryNode = "arbitrary-node:";

// Field selectors supported when listing ResourceSlices.
inline constexpr std::string_view kResourceSliceSelectorNodeName = "spec.nodeName";
inline constexpr std::string_view kResourceSliceSelectorDriver = "spec.driver";

// ---------------------------------------------------------------------------------------------
// Enumerations.

// DeviceTaint.effect / DeviceToleration.effect.
inline constexpr std::string_view kDeviceTaintEffectNone = "None";
inline constexpr std::string_view kDeviceTaintEffectNoSchedule = "NoSchedule";
inline constexpr std::string_view kDeviceTaintEffectNoExecute = "NoExecute";

// ExactDeviceRequest.allocationMode / DeviceSubRequest.allocationMode.
inline constexpr std::string_view kDeviceAllocationModeExactCount = "ExactCount";
inline constexpr std::string_view kDeviceAllocationModeAll = "All";

// DeviceToleration.operator.
inline constexpr std::string_view kDeviceTolerationOpExists = "Exists";
inline constexpr std::string_view kDeviceTolerationOpEqual = "Equal";

// DeviceAllocationConfiguration.source.
inline constexpr std::string_view kAllocationConfigSourceClass = "FromClass";
inline constexpr std::string_view kAllocationConfigSourceClaim = "FromClaim";

// Condition type published in DeviceTaintRule status.
inline constexpr std::string_view kDeviceTaintConditionEvictionInProgress = "EvictionInProgress";

// ---------------------------------------------------------------------------------------------
// Limits (values as in k8s.io/api resource/v1 at v1.36).

inline constexpr int kDriverNameMaxLength = 63;
inline constexpr int kPoolNameMaxLength = 253;  // DNS-1123 subdomain, like a node name.
inline constexpr int kDeviceMaxDomainLength = 63;
inline constexpr int kDeviceMaxIDLength = 32;
inline constexpr int kDeviceAttributeMaxValueLength = 64;

inline constexpr int kResourceSliceMaxSharedCapacity = 128;
inline constexpr int kResourceSliceMaxDevices = 128;
// Device limit of a slice where any device uses taints, consumes counters or has list-typed
// attributes.
inline constexpr int kResourceSliceMaxDevicesWithAdvancedFeatures = 64;
// The v1.34/v1.35 name of kResourceSliceMaxDevicesWithAdvancedFeatures.
inline constexpr int kResourceSliceMaxDevicesWithTaintsOrConsumesCounters =
    kResourceSliceMaxDevicesWithAdvancedFeatures;
inline constexpr int kResourceSliceMaxCounterSets = 8;
inline constexpr int kResourceSliceMaxCountersPerCounterSet = 32;
inline constexpr int kResourceSliceMaxDeviceCounterConsumptionsPerDevice = 2;
inline constexpr int kResourceSliceMaxCountersPerDeviceCounterConsumption = 32;
inline constexpr int kResourceSliceMaxAttributesAndCapacitiesPerDevice = 32;
// Per device: total number of scalar values across list and non-list attributes.
inline constexpr int kResourceSliceMaxAttributeValuesPerDevice = 48;
inline constexpr int kDeviceTaintsMaxLength = 16;
inline constexpr int kBindingConditionsMaxSize = 4;
inline constexpr int kBindingFailureConditionsMaxSize = 4;

inline constexpr int kAllocationResultsMaxSize = 32;
inline constexpr int kDeviceRequestsMaxSize = kAllocationResultsMaxSize;
inline constexpr int kDeviceConstraintsMaxSize = 32;
inline constexpr int kDeviceConfigMaxSize = 32;
inline constexpr int kDeviceSelectorsMaxSize = 32;
inline constexpr int kFirstAvailableDeviceRequestMaxSize = 8;
inline constexpr int kDeviceTolerationsMaxLength = 16;
inline constexpr int kCELSelectorExpressionMaxCost = 1000000;
inline constexpr int kCELSelectorExpressionMaxLength = 10 * 1024;
inline constexpr int kOpaqueParametersMaxLength = 10 * 1024;
inline constexpr int kResourceClaimReservedForMaxSize = 256;

inline constexpr int kAllocatedDeviceStatusMaxConditions = 8;
inline constexpr int kAllocatedDeviceStatusDataMaxLength = 10 * 1024;
inline constexpr int kNetworkDeviceDataMaxIPs = 16;
inline constexpr int kNetworkDeviceDataInterfaceNameMaxLength = 256;
inline constexpr int kNetworkDeviceDataHardwareAddressMaxLength = 128;

inline constexpr int kDeviceTaintRuleStatusMaxConditions = 8;

// ---------------------------------------------------------------------------------------------
// Shared building blocks.

// A CEL expression over one device (`device.driver`, `device.attributes[...]`, ...).
struct CELDeviceSelector {
  std::string expression;

  template <typename V>
  void VisitFields(V& v) {
    v("expression", expression, kEmitEmpty);
  }
  friend bool operator==(const CELDeviceSelector&, const CELDeviceSelector&) = default;
};

// A device selector; exactly one member is set (today only cel).
struct DeviceSelector {
  std::optional<CELDeviceSelector> cel;

  template <typename V>
  void VisitFields(V& v) {
    v("cel", cel);
  }
  friend bool operator==(const DeviceSelector&, const DeviceSelector&) = default;
};

// Driver-specific configuration: the driver it is for and free-form parameters.
struct OpaqueDeviceConfiguration {
  std::string driver;
  Value parameters;

  template <typename V>
  void VisitFields(V& v) {
    v("driver", driver, kEmitEmpty);
    v("parameters", parameters, kEmitEmpty);
  }
  friend bool operator==(const OpaqueDeviceConfiguration&,
                         const OpaqueDeviceConfiguration&) = default;
};

// A taint on a device. Effects: None, NoSchedule, NoExecute; unknown effects behave like None.
// time_added is set by the API server when absent.
struct DeviceTaint {
  std::string key;
  std::string value;
  std::string effect;
  std::optional<std::string> time_added;

  template <typename V>
  void VisitFields(V& v) {
    v("key", key, kEmitEmpty);
    v("value", value);
    v("effect", effect, kEmitEmpty);
    v("timeAdded", time_added);
  }
  friend bool operator==(const DeviceTaint&, const DeviceTaint&) = default;
};

// A claim's toleration of device taints. operator is Exists or Equal (the default).
struct DeviceToleration {
  std::string key;
  std::string operator_;
  std::string value;
  std::string effect;
  std::optional<int64_t> toleration_seconds;

  template <typename V>
  void VisitFields(V& v) {
    v("key", key);
    v("operator", operator_);
    v("value", value);
    v("effect", effect);
    v("tolerationSeconds", toleration_seconds);
  }
  friend bool operator==(const DeviceToleration&, const DeviceToleration&) = default;
};

// ---------------------------------------------------------------------------------------------
// ResourceSlice

// Identifies the pool a slice belongs to. Consumers use only the slices of a pool's highest
// generation and consider the pool complete when resource_slice_count slices of it are seen.
struct ResourcePool {
  std::string name;
  int64_t generation = 0;
  int64_t resource_slice_count = 0;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("generation", generation, kEmitEmpty);
    v("resourceSliceCount", resource_slice_count, kEmitEmpty);
  }
  friend bool operator==(const ResourcePool&, const ResourcePool&) = default;
};

// An amount of a shared counter.
struct Counter {
  Quantity value;

  template <typename V>
  void VisitFields(V& v) {
    v("value", value, kEmitEmpty);
  }
  friend bool operator==(const Counter&, const Counter&) = default;
};

// A named set of counters that devices of the pool consume from when allocated.
struct CounterSet {
  std::string name;
  std::map<std::string, Counter> counters;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("counters", counters);
  }
  friend bool operator==(const CounterSet&, const CounterSet&) = default;
};

// The counters a device consumes from one counter set.
struct DeviceCounterConsumption {
  std::string counter_set;
  std::map<std::string, Counter> counters;

  template <typename V>
  void VisitFields(V& v) {
    v("counterSet", counter_set, kEmitEmpty);
    v("counters", counters);
  }
  friend bool operator==(const DeviceCounterConsumption&,
                         const DeviceCounterConsumption&) = default;
};

// A valid range for consumable capacity requests: at least min, at most max (when set), in steps
// of step from min (when set).
struct CapacityRequestPolicyRange {
  std::optional<Quantity> min;
  std::optional<Quantity> max;
  std::optional<Quantity> step;

  template <typename V>
  void VisitFields(V& v) {
    v("min", min);
    v("max", max);
    v("step", step);
  }
  friend bool operator==(const CapacityRequestPolicyRange&,
                         const CapacityRequestPolicyRange&) = default;
};

// How requests consume a capacity of a device that allows multiple allocations: the default
// amount, and at most one of valid_values (ascending) and valid_range.
struct CapacityRequestPolicy {
  std::optional<Quantity> default_;
  std::vector<Quantity> valid_values;
  std::optional<CapacityRequestPolicyRange> valid_range;

  template <typename V>
  void VisitFields(V& v) {
    // Upstream has no omitempty here, so Go writes `"default": null` when unset; omitting it
    // decodes identically.
    v("default", default_);
    v("validValues", valid_values);
    v("validRange", valid_range);
  }
  friend bool operator==(const CapacityRequestPolicy&, const CapacityRequestPolicy&) = default;
};

// A capacity of a device: its fixed total and, for shareable devices, its request policy.
struct DeviceCapacity {
  Quantity value;
  std::optional<CapacityRequestPolicy> request_policy;

  template <typename V>
  void VisitFields(V& v) {
    v("value", value, kEmitEmpty);
    v("requestPolicy", request_policy);
  }
  friend bool operator==(const DeviceCapacity&, const DeviceCapacity&) = default;
};

// A device attribute value: exactly one member is set. The list forms (ints, bools, strings,
// versions) are non-empty when set (DRAListTypeAttributes). Strings and versions are at most
// kDeviceAttributeMaxValueLength long; versions are semver 2.0.0.
struct DeviceAttribute {
  std::optional<int64_t> int_;
  std::optional<bool> bool_;
  std::optional<std::string> string_;
  std::optional<std::string> version;
  std::vector<int64_t> ints;
  std::vector<bool> bools;
  std::vector<std::string> strings;
  std::vector<std::string> versions;

  template <typename V>
  void VisitFields(V& v) {
    v("int", int_);
    v("bool", bool_);
    v("string", string_);
    v("version", version);
    v("ints", ints);
    v("bools", bools);
    v("strings", strings);
    v("versions", versions);
  }
  friend bool operator==(const DeviceAttribute&, const DeviceAttribute&) = default;
};

// How an allocation of a device translates into node-allocatable resources (cpu, memory...):
// the allocated device count, or the consumed amount of capacity_key when set, times
// allocation_multiplier (default 1). DRANodeAllocatableResources, new in v1.36.
struct NodeAllocatableResourceMapping {
  std::optional<std::string> capacity_key;
  std::optional<Quantity> allocation_multiplier;

  template <typename V>
  void VisitFields(V& v) {
    v("capacityKey", capacity_key);
    v("allocationMultiplier", allocation_multiplier);
  }
  friend bool operator==(const NodeAllocatableResourceMapping&,
                         const NodeAllocatableResourceMapping&) = default;
};

// One device published in a ResourceSlice; unique by <driver, pool, name>. node_name,
// node_selector and all_nodes are used only when the slice sets per_device_node_selection.
struct Device {
  std::string name;
  std::map<std::string, DeviceAttribute> attributes;
  std::map<std::string, DeviceCapacity> capacity;
  std::vector<DeviceCounterConsumption> consumes_counters;
  std::optional<std::string> node_name;
  std::optional<NodeSelector> node_selector;
  std::optional<bool> all_nodes;
  std::vector<DeviceTaint> taints;
  std::optional<bool> binds_to_node;
  std::vector<std::string> binding_conditions;
  std::vector<std::string> binding_failure_conditions;
  std::optional<bool> allow_multiple_allocations;
  std::map<std::string, NodeAllocatableResourceMapping> node_allocatable_resource_mappings;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("attributes", attributes);
    v("capacity", capacity);
    v("consumesCounters", consumes_counters);
    v("nodeName", node_name);
    v("nodeSelector", node_selector);
    v("allNodes", all_nodes);
    v("taints", taints);
    v("bindsToNode", binds_to_node);
    v("bindingConditions", binding_conditions);
    v("bindingFailureConditions", binding_failure_conditions);
    v("allowMultipleAllocations", allow_multiple_allocations);
    v("nodeAllocatableResourceMappings", node_allocatable_resource_mappings);
  }
  friend bool operator==(const Device&, const Device&) = default;
};

// What a driver publishes in one slice. Exactly one of node_name, node_selector, all_nodes and
// per_device_node_selection is set; at most one of devices and shared_counters is non-empty.
struct ResourceSliceSpec {
  std::string driver;
  ResourcePool pool;
  std::optional<std::string> node_name;
  std::optional<NodeSelector> node_selector;
  std::optional<bool> all_nodes;
  std::vector<Device> devices;
  std::optional<bool> per_device_node_selection;
  std::vector<CounterSet> shared_counters;

  template <typename V>
  void VisitFields(V& v) {
    v("driver", driver, kEmitEmpty);
    v("pool", pool, kEmitEmpty);
    v("nodeName", node_name);
    v("nodeSelector", node_selector);
    v("allNodes", all_nodes);
    v("devices", devices);
    v("perDeviceNodeSelection", per_device_node_selection);
    v("sharedCounters", shared_counters);
  }
  friend bool operator==(const ResourceSliceSpec&, const ResourceSliceSpec&) = default;
};

// A part of a driver's resource pool (cluster scoped).
struct ResourceSlice {
  static constexpr std::string_view kKind = "ResourceSlice";
  static constexpr std::string_view kGroupVersion = "resource.k8s.io/v1";
  static constexpr std::string_view kResource = "resourceslices";
  static constexpr bool kNamespaced = false;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  ResourceSliceSpec spec;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
  }
  friend bool operator==(const ResourceSlice&, const ResourceSlice&) = default;
};

// ---------------------------------------------------------------------------------------------
// DeviceClass

// Class-level configuration, passed to drivers but not used for allocation.
struct DeviceClassConfiguration {
  std::optional<OpaqueDeviceConfiguration> opaque;

  template <typename V>
  void VisitFields(V& v) {
    v("opaque", opaque);
  }
  friend bool operator==(const DeviceClassConfiguration&,
                         const DeviceClassConfiguration&) = default;
};

// Selectors every device of the class must satisfy, configuration, and the extended resource
// name the class may satisfy (DRAExtendedResource).
struct DeviceClassSpec {
  std::vector<DeviceSelector> selectors;
  std::vector<DeviceClassConfiguration> config;
  std::optional<std::string> extended_resource_name;

  template <typename V>
  void VisitFields(V& v) {
    v("selectors", selectors);
    v("config", config);
    v("extendedResourceName", extended_resource_name);
  }
  friend bool operator==(const DeviceClassSpec&, const DeviceClassSpec&) = default;
};

// An admin-provided device class (cluster scoped).
struct DeviceClass {
  static constexpr std::string_view kKind = "DeviceClass";
  static constexpr std::string_view kGroupVersion = "resource.k8s.io/v1";
  static constexpr std::string_view kResource = "deviceclasses";
  static constexpr bool kNamespaced = false;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  DeviceClassSpec spec;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
  }
  friend bool operator==(const DeviceClass&, const DeviceClass&) = default;
};

// ---------------------------------------------------------------------------------------------
// ResourceClaim

// Capacity amounts each allocated device must provide (and that get consumed on shareable
// devices), keyed by qualified capacity name.
struct CapacityRequirements {
  std::map<std::string, Quantity> requests;

  template <typename V>
  void VisitFields(V& v) {
    v("requests", requests);
  }
  friend bool operator==(const CapacityRequirements&, const CapacityRequirements&) = default;
};

// A request for one or more identical devices of a class. count applies to ExactCount only
// (0 means the default of 1); an empty allocation_mode means ExactCount.
struct ExactDeviceRequest {
  std::string device_class_name;
  std::vector<DeviceSelector> selectors;
  std::string allocation_mode;
  int64_t count = 0;
  std::optional<bool> admin_access;
  std::vector<DeviceToleration> tolerations;
  std::optional<CapacityRequirements> capacity;

  template <typename V>
  void VisitFields(V& v) {
    v("deviceClassName", device_class_name, kEmitEmpty);
    v("selectors", selectors);
    v("allocationMode", allocation_mode);
    v("count", count);
    v("adminAccess", admin_access);
    v("tolerations", tolerations);
    v("capacity", capacity);
  }
  friend bool operator==(const ExactDeviceRequest&, const ExactDeviceRequest&) = default;
};

// One alternative of a prioritized list (DeviceRequest.firstAvailable). Like ExactDeviceRequest
// without admin access; referenced as "<request>/<subrequest>".
struct DeviceSubRequest {
  std::string name;
  std::string device_class_name;
  std::vector<DeviceSelector> selectors;
  std::string allocation_mode;
  int64_t count = 0;
  std::vector<DeviceToleration> tolerations;
  std::optional<CapacityRequirements> capacity;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("deviceClassName", device_class_name, kEmitEmpty);
    v("selectors", selectors);
    v("allocationMode", allocation_mode);
    v("count", count);
    v("tolerations", tolerations);
    v("capacity", capacity);
  }
  friend bool operator==(const DeviceSubRequest&, const DeviceSubRequest&) = default;
};

// A named request of a claim: exactly one of exactly and first_available is set.
struct DeviceRequest {
  std::string name;
  std::optional<ExactDeviceRequest> exactly;
  std::vector<DeviceSubRequest> first_available;

  template <typename V>
  void VisitFields(V& v) {
    v("name", name, kEmitEmpty);
    v("exactly", exactly);
    v("firstAvailable", first_available);
  }
  friend bool operator==(const DeviceRequest&, const DeviceRequest&) = default;
};

// A constraint across the devices allocated for some requests (all requests when empty):
// exactly one of match_attribute and distinct_attribute (fully qualified names) is set.
struct DeviceConstraint {
  std::vector<std::string> requests;
  std::optional<std::string> match_attribute;
  std::optional<std::string> distinct_attribute;

  template <typename V>
  void VisitFields(V& v) {
    v("requests", requests);
    v("matchAttribute", match_attribute);
    v("distinctAttribute", distinct_attribute);
  }
  friend bool operator==(const DeviceConstraint&, const DeviceConstraint&) = default;
};

// Claim-level configuration for some requests (all requests when empty).
struct DeviceClaimConfiguration {
  std::vector<std::string> requests;
  std::optional<OpaqueDeviceConfiguration> opaque;

  template <typename V>
  void VisitFields(V& v) {
    v("requests", requests);
    v("opaque", opaque);
  }
  friend bool operator==(const DeviceClaimConfiguration&,
                         const DeviceClaimConfiguration&) = default;
};

// The device part of a claim: requests that must all be satisfied, constraints across them,
// and configuration.
struct DeviceClaim {
  std::vector<DeviceRequest> requests;
  std::vector<DeviceConstraint> constraints;
  std::vector<DeviceClaimConfiguration> config;

  template <typename V>
  void VisitFields(V& v) {
    v("requests", requests, kEmitEmpty);
    v("constraints", constraints);
    v("config", config);
  }
  friend bool operator==(const DeviceClaim&, const DeviceClaim&) = default;
};

// What a claim asks for; immutable once created.
struct ResourceClaimSpec {
  DeviceClaim devices;

  template <typename V>
  void VisitFields(V& v) {
    v("devices", devices, kEmitEmpty);
  }
  friend bool operator==(const ResourceClaimSpec&, const ResourceClaimSpec&) = default;
};

// A consumer a claim is reserved for (usually a pod), in the claim's namespace.
struct ResourceClaimConsumerReference {
  std::string api_group;
  std::string resource;
  std::string name;
  std::string uid;

  template <typename V>
  void VisitFields(V& v) {
    v("apiGroup", api_group);
    v("resource", resource, kEmitEmpty);
    v("name", name, kEmitEmpty);
    v("uid", uid, kEmitEmpty);
  }
  friend bool operator==(const ResourceClaimConsumerReference&,
                         const ResourceClaimConsumerReference&) = default;
};

// One allocated device and the request ("<request>" or "<request>/<subrequest>") it satisfies.
// share_id distinguishes allocations of a device that allows multiple allocations;
// consumed_capacity is set for such devices only.
struct DeviceRequestAllocationResult {
  std::string request;
  std::string driver;
  std::string pool;
  std::string device;
  std::optional<bool> admin_access;
  std::vector<DeviceToleration> tolerations;
  std::vector<std::string> binding_conditions;
  std::vector<std::string> binding_failure_conditions;
  std::optional<std::string> share_id;
  std::map<std::string, Quantity> consumed_capacity;

  template <typename V>
  void VisitFields(V& v) {
    v("request", request, kEmitEmpty);
    v("driver", driver, kEmitEmpty);
    v("pool", pool, kEmitEmpty);
    v("device", device, kEmitEmpty);
    v("adminAccess", admin_access);
    v("tolerations", tolerations);
    v("bindingConditions", binding_conditions);
    v("bindingFailureConditions", binding_failure_conditions);
    v("shareID", share_id);
    v("consumedCapacity", consumed_capacity);
  }
  friend bool operator==(const DeviceRequestAllocationResult&,
                         const DeviceRequestAllocationResult&) = default;
};

// Configuration copied into an allocation, from the class (FromClass) or the claim (FromClaim).
struct DeviceAllocationConfiguration {
  std::string source;
  std::vector<std::string> requests;
  std::optional<OpaqueDeviceConfiguration> opaque;

  template <typename V>
  void VisitFields(V& v) {
    v("source", source, kEmitEmpty);
    v("requests", requests);
    v("opaque", opaque);
  }
  friend bool operator==(const DeviceAllocationConfiguration&,
                         const DeviceAllocationConfiguration&) = default;
};

// The allocated devices and all class and claim configuration that applies to them.
struct DeviceAllocationResult {
  std::vector<DeviceRequestAllocationResult> results;
  std::vector<DeviceAllocationConfiguration> config;

  template <typename V>
  void VisitFields(V& v) {
    v("results", results);
    v("config", config);
  }
  friend bool operator==(const DeviceAllocationResult&, const DeviceAllocationResult&) = default;
};

// The result of allocating a claim. node_selector limits where the devices are usable (unset:
// everywhere).
struct AllocationResult {
  DeviceAllocationResult devices;
  std::optional<NodeSelector> node_selector;
  std::optional<std::string> allocation_timestamp;

  template <typename V>
  void VisitFields(V& v) {
    v("devices", devices, kEmitEmpty);
    v("nodeSelector", node_selector);
    v("allocationTimestamp", allocation_timestamp);
  }
  friend bool operator==(const AllocationResult&, const AllocationResult&) = default;
};

// Network details of an allocated device, as reported by its driver. ips are in CIDR notation.
struct NetworkDeviceData {
  std::string interface_name;
  std::vector<std::string> ips;
  std::string hardware_address;

  template <typename V>
  void VisitFields(V& v) {
    v("interfaceName", interface_name);
    v("ips", ips);
    v("hardwareAddress", hardware_address);
  }
  friend bool operator==(const NetworkDeviceData&, const NetworkDeviceData&) = default;
};

// Driver-reported status of one allocated device, keyed by <driver, pool, device, share_id>.
struct AllocatedDeviceStatus {
  std::string driver;
  std::string pool;
  std::string device;
  std::optional<std::string> share_id;
  std::vector<Condition> conditions;
  std::optional<Value> data;
  std::optional<NetworkDeviceData> network_data;

  template <typename V>
  void VisitFields(V& v) {
    v("driver", driver, kEmitEmpty);
    v("pool", pool, kEmitEmpty);
    v("device", device, kEmitEmpty);
    v("shareID", share_id);
    v("conditions", conditions, kEmitEmpty);
    v("data", data);
    v("networkData", network_data);
  }
  friend bool operator==(const AllocatedDeviceStatus&, const AllocatedDeviceStatus&) = default;
};

// Whether and how a claim is allocated, who may use it, and per-device driver status.
struct ResourceClaimStatus {
  std::optional<AllocationResult> allocation;
  std::vector<ResourceClaimConsumerReference> reserved_for;
  std::vector<AllocatedDeviceStatus> devices;

  template <typename V>
  void VisitFields(V& v) {
    v("allocation", allocation);
    v("reservedFor", reserved_for);
    v("devices", devices);
  }
  friend bool operator==(const ResourceClaimStatus&, const ResourceClaimStatus&) = default;
};

// A request for devices by a workload (namespaced).
struct ResourceClaim {
  static constexpr std::string_view kKind = "ResourceClaim";
  static constexpr std::string_view kGroupVersion = "resource.k8s.io/v1";
  static constexpr std::string_view kResource = "resourceclaims";
  static constexpr bool kNamespaced = true;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  ResourceClaimSpec spec;
  ResourceClaimStatus status;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
    v("status", status, kEmitEmpty);
  }
  friend bool operator==(const ResourceClaim&, const ResourceClaim&) = default;
};

// ---------------------------------------------------------------------------------------------
// ResourceClaimTemplate

// The claim to generate: labels and annotations to copy (no other metadata allowed) and the spec.
struct ResourceClaimTemplateSpec {
  ObjectMeta metadata;
  ResourceClaimSpec spec;

  template <typename V>
  void VisitFields(V& v) {
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
  }
  friend bool operator==(const ResourceClaimTemplateSpec&,
                         const ResourceClaimTemplateSpec&) = default;
};

// A template from which a ResourceClaim is generated per pod (namespaced).
struct ResourceClaimTemplate {
  static constexpr std::string_view kKind = "ResourceClaimTemplate";
  static constexpr std::string_view kGroupVersion = "resource.k8s.io/v1";
  static constexpr std::string_view kResource = "resourceclaimtemplates";
  static constexpr bool kNamespaced = true;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  ResourceClaimTemplateSpec spec;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
  }
  friend bool operator==(const ResourceClaimTemplate&, const ResourceClaimTemplate&) = default;
};

// ---------------------------------------------------------------------------------------------
// DeviceTaintRule (resource.k8s.io/v1beta2 and v1alpha3 in v1.36)

// Which devices a rule taints: every set member must match; an empty selector matches all
// devices. (deviceClassName and selectors existed in v1alpha3 before v1.35 and are gone.)
struct DeviceTaintSelector {
  std::optional<std::string> driver;
  std::optional<std::string> pool;
  std::optional<std::string> device;

  template <typename V>
  void VisitFields(V& v) {
    v("driver", driver);
    v("pool", pool);
    v("device", device);
  }
  friend bool operator==(const DeviceTaintSelector&, const DeviceTaintSelector&) = default;
};

// The selected devices and the taint applied to them. Without a selector no device matches.
struct DeviceTaintRuleSpec {
  std::optional<DeviceTaintSelector> device_selector;
  DeviceTaint taint;

  template <typename V>
  void VisitFields(V& v) {
    v("deviceSelector", device_selector);
    v("taint", taint, kEmitEmpty);
  }
  friend bool operator==(const DeviceTaintRuleSpec&, const DeviceTaintRuleSpec&) = default;
};

// Progress of the eviction a rule causes (condition EvictionInProgress).
struct DeviceTaintRuleStatus {
  std::vector<Condition> conditions;

  template <typename V>
  void VisitFields(V& v) {
    v("conditions", conditions);
  }
  friend bool operator==(const DeviceTaintRuleStatus&, const DeviceTaintRuleStatus&) = default;
};

// Taints all matching devices as if their driver had published the taint (cluster scoped).
struct DeviceTaintRule {
  static constexpr std::string_view kKind = "DeviceTaintRule";
  static constexpr std::string_view kGroupVersion = kDeviceTaintRuleGroupVersion;
  static constexpr std::string_view kResource = "devicetaintrules";
  static constexpr bool kNamespaced = false;

  std::string api_version;
  std::string kind;
  ObjectMeta metadata;
  DeviceTaintRuleSpec spec;
  DeviceTaintRuleStatus status;

  template <typename V>
  void VisitFields(V& v) {
    v("apiVersion", api_version);
    v("kind", kind);
    v("metadata", metadata, kEmitEmpty);
    v("spec", spec, kEmitEmpty);
    v("status", status, kEmitEmpty);
  }
  friend bool operator==(const DeviceTaintRule&, const DeviceTaintRule&) = default;
};

}  // namespace dra::api

#endif  // DRA_API_RESOURCE_TYPES_H_
