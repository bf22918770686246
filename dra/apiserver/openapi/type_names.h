// The name table of the OpenAPI documents: for every C++ type that appears in a served object,
// the upstream definition it corresponds to (package and name, e.g. io.k8s.api.core.v1 + "Pod")
// and a short description of the type.
//
// TypeInfo<T> is declared but not defined for other types, so a struct that is reachable from a
// served kind but missing here fails to compile in SchemaBuilder::Register<T>(). Definitions in
// the resource.k8s.io package are named per served version (io.k8s.api.resource.v1.Device,
// io.k8s.api.resource.v1beta2.Device, ...).
//
// Compile-time constants only; thread-safe.
#ifndef DRA_APISERVER_OPENAPI_TYPE_NAMES_H_
#define DRA_APISERVER_OPENAPI_TYPE_NAMES_H_

#include <string_view>

#include "dra/api/core_types.h"
#include "dra/api/meta_types.h"
#include "dra/api/resource_types.h"
#include "dra/apiserver/openapi/models.h"

namespace dra::apiserver::openapi {

// The upstream Go package a definition lives in.
enum class Package { kMeta, kCore, kResource, kCoordination, kApps, kAutoscaling };

// Short tag of a package, used in the keys of the field-note table ("core.Pod").
constexpr std::string_view PackageTag(Package p) {
  switch (p) {
    case Package::kMeta:
      return "meta";
    case Package::kCore:
      return "core";
    case Package::kResource:
      return "resource";
    case Package::kCoordination:
      return "coordination";
    case Package::kApps:
      return "apps";
    case Package::kAutoscaling:
      return "autoscaling";
  }
  return "";
}

// Specialized below for every named type: kPackage, kName (the upstream type name) and
// kDescription.
template <typename T>
struct TypeInfo;

#define DRA_OPENAPI_TYPE(Type, Pkg, Name, Description)            \
  template <>                                                     \
  struct TypeInfo<Type> {                                         \
    static constexpr Package kPackage = Package::Pkg;             \
    static constexpr std::string_view kName = Name;               \
    static constexpr std::string_view kDescription = Description; \
  }

// meta/v1
DRA_OPENAPI_TYPE(api::OwnerReference, kMeta, "OwnerReference",
                 "Identifies an object that owns this one; owned objects are garbage collected "
                 "after their owners.");
DRA_OPENAPI_TYPE(api::ManagedFieldsEntry, kMeta, "ManagedFieldsEntry",
                 "Records which fields one field manager owns after one kind of operation.");
DRA_OPENAPI_TYPE(api::ObjectMeta, kMeta, "ObjectMeta",
                 "Metadata every persisted object carries: identity, labels, annotations, "
                 "ownership and lifecycle information.");
DRA_OPENAPI_TYPE(api::ShardInfo, kMeta, "ShardInfo",
                 "Describes which shard of a collection a list response holds.");
DRA_OPENAPI_TYPE(api::ListMeta, kMeta, "ListMeta",
                 "Metadata of a list response: its resource version and the continue token.");
DRA_OPENAPI_TYPE(api::StatusCause, kMeta, "StatusCause",
                 "One cause of an error, usually tied to a field.");
DRA_OPENAPI_TYPE(api::StatusDetails, kMeta, "StatusDetails",
                 "Extra data about a failed request: the object involved and the causes.");
DRA_OPENAPI_TYPE(api::Status, kMeta, "Status",
                 "The result of a request that returns no object, including every error.");
DRA_OPENAPI_TYPE(api::LabelSelectorRequirement, kMeta, "LabelSelectorRequirement",
                 "A requirement on one label: a key, an operator and values.");
DRA_OPENAPI_TYPE(api::LabelSelector, kMeta, "LabelSelector",
                 "A label query over objects. All conditions are ANDed; an empty selector "
                 "matches everything and a null selector matches nothing.");
DRA_OPENAPI_TYPE(api::Condition, kMeta, "Condition",
                 "One aspect of the current state of an object, with the time it last "
                 "changed and a reason.");
DRA_OPENAPI_TYPE(Preconditions, kMeta, "Preconditions",
                 "Conditions that must hold before an operation is carried out.");
DRA_OPENAPI_TYPE(DeleteOptions, kMeta, "DeleteOptions",
                 "Options of a delete request: grace period, preconditions and how dependents "
                 "are handled.");
DRA_OPENAPI_TYPE(WatchEvent, kMeta, "WatchEvent",
                 "One event of a watch stream: its type and the object concerned.");

// core/v1
DRA_OPENAPI_TYPE(api::NodeSelectorRequirement, kCore, "NodeSelectorRequirement",
                 "A requirement on one node label or field: a key, an operator and values.");
DRA_OPENAPI_TYPE(api::NodeSelectorTerm, kCore, "NodeSelectorTerm",
                 "A conjunction of node requirements. An empty term matches no node.");
DRA_OPENAPI_TYPE(api::NodeSelector, kCore, "NodeSelector",
                 "Selects nodes: a node matches when any of the terms matches.");
DRA_OPENAPI_TYPE(api::Taint, kCore, "Taint",
                 "A taint on a node that repels pods which do not tolerate it.");
DRA_OPENAPI_TYPE(api::Toleration, kCore, "Toleration",
                 "Lets a pod be scheduled onto or keep running on nodes with matching taints.");
DRA_OPENAPI_TYPE(api::ObjectReference, kCore, "ObjectReference",
                 "A reference to an object of any kind.");
DRA_OPENAPI_TYPE(api::EnvVar, kCore, "EnvVar", "An environment variable of a container.");
DRA_OPENAPI_TYPE(api::ContainerResourceClaim, kCore, "ResourceClaim",
                 "Names one of the pod's resource claims (and optionally one request of it) "
                 "that a container uses.");
DRA_OPENAPI_TYPE(api::ResourceRequirements, kCore, "ResourceRequirements",
                 "Compute resources of a container or pod: limits, requests and the dynamic "
                 "resource claims it uses.");
DRA_OPENAPI_TYPE(api::Container, kCore, "Container",
                 "A single application container that runs in a pod.");
DRA_OPENAPI_TYPE(api::PodResourceClaim, kCore, "PodResourceClaim",
                 "A pod-level reference to a ResourceClaim, either an existing claim or one "
                 "generated from a ResourceClaimTemplate.");
DRA_OPENAPI_TYPE(api::PodSchedulingGate, kCore, "PodSchedulingGate",
                 "A gate that keeps a pod from being scheduled while it is present.");
DRA_OPENAPI_TYPE(api::PodSchedulingGroup, kCore, "PodSchedulingGroup",
                 "The pod group a pod is scheduled together with.");
DRA_OPENAPI_TYPE(api::PodSpec, kCore, "PodSpec", "The desired state of a pod.");
DRA_OPENAPI_TYPE(api::PodCondition, kCore, "PodCondition",
                 "One aspect of the current state of a pod.");
DRA_OPENAPI_TYPE(api::PodResourceClaimStatus, kCore, "PodResourceClaimStatus",
                 "The ResourceClaim chosen or generated for one pod resource claim entry.");
DRA_OPENAPI_TYPE(api::ContainerExtendedResourceRequest, kCore, "ContainerExtendedResourceRequest",
                 "Maps an extended resource of a container to the claim request backing it.");
DRA_OPENAPI_TYPE(api::PodExtendedResourceClaimStatus, kCore, "PodExtendedResourceClaimStatus",
                 "The claim generated for the extended resources of a pod that are backed by "
                 "dynamic resource allocation.");
DRA_OPENAPI_TYPE(api::NodeAllocatableResourceClaimStatus, kCore,
                 "NodeAllocatableResourceClaimStatus",
                 "Node-allocatable resources allocated to a pod through one claim.");
DRA_OPENAPI_TYPE(api::ResourceHealth, kCore, "ResourceHealth",
                 "The health of one allocated resource instance.");
DRA_OPENAPI_TYPE(api::ResourceStatus, kCore, "ResourceStatus",
                 "The health of the resources behind one resource name.");
DRA_OPENAPI_TYPE(api::ContainerStatus, kCore, "ContainerStatus",
                 "The observed state of one container.");
DRA_OPENAPI_TYPE(api::HostIP, kCore, "HostIP", "An IP address of the node that hosts a pod.");
DRA_OPENAPI_TYPE(api::PodIP, kCore, "PodIP", "An IP address of a pod.");
DRA_OPENAPI_TYPE(api::PodStatus, kCore, "PodStatus", "The observed state of a pod.");
DRA_OPENAPI_TYPE(api::Pod, kCore, "Pod",
                 "A group of containers that run together on one node, with the resources and "
                 "resource claims they use.");
DRA_OPENAPI_TYPE(api::NodeSpec, kCore, "NodeSpec", "The desired state of a node.");
DRA_OPENAPI_TYPE(api::NodeCondition, kCore, "NodeCondition",
                 "One aspect of the current state of a node.");
DRA_OPENAPI_TYPE(api::NodeAddress, kCore, "NodeAddress", "An address of a node.");
DRA_OPENAPI_TYPE(api::NodeStatus, kCore, "NodeStatus", "The observed state of a node.");
DRA_OPENAPI_TYPE(api::Node, kCore, "Node", "A machine of the cluster that runs pods.");
DRA_OPENAPI_TYPE(api::NamespaceSpec, kCore, "NamespaceSpec", "The desired state of a namespace.");
DRA_OPENAPI_TYPE(api::NamespaceCondition, kCore, "NamespaceCondition",
                 "One aspect of the current state of a namespace.");
DRA_OPENAPI_TYPE(api::NamespaceStatus, kCore, "NamespaceStatus",
                 "The observed state of a namespace.");
DRA_OPENAPI_TYPE(api::Namespace, kCore, "Namespace",
                 "A scope for names: namespaced objects are unique by name within it.");
DRA_OPENAPI_TYPE(api::EventSource, kCore, "EventSource",
                 "The component and host that reported an event.");
DRA_OPENAPI_TYPE(api::EventSeries, kCore, "EventSeries", "Data about a series of repeated events.");
DRA_OPENAPI_TYPE(api::Event, kCore, "Event",
                 "A report of something that happened to an object in the cluster.");
DRA_OPENAPI_TYPE(Binding, kCore, "Binding",
                 "Binds a pod to a node; created through the pods/binding subresource.");

// resource.k8s.io
DRA_OPENAPI_TYPE(api::CELDeviceSelector, kResource, "CELDeviceSelector",
                 "Selects devices with a CEL expression over one device.");
DRA_OPENAPI_TYPE(api::DeviceSelector, kResource, "DeviceSelector",
                 "A condition a device must satisfy; exactly one member is set.");
DRA_OPENAPI_TYPE(api::OpaqueDeviceConfiguration, kResource, "OpaqueDeviceConfiguration",
                 "Driver-specific configuration parameters, passed to one driver.");
DRA_OPENAPI_TYPE(api::DeviceTaint, kResource, "DeviceTaint",
                 "A taint on a device that keeps claims which do not tolerate it away from the "
                 "device.");
DRA_OPENAPI_TYPE(api::DeviceToleration, kResource, "DeviceToleration",
                 "Lets a claim use devices with matching taints.");
DRA_OPENAPI_TYPE(api::ResourcePool, kResource, "ResourcePool",
                 "Identifies the pool a ResourceSlice belongs to and how many slices the pool "
                 "has.");
DRA_OPENAPI_TYPE(api::Counter, kResource, "Counter", "An amount of a shared counter.");
DRA_OPENAPI_TYPE(api::CounterSet, kResource, "CounterSet",
                 "A named set of counters that devices consume from when they are allocated.");
DRA_OPENAPI_TYPE(api::DeviceCounterConsumption, kResource, "DeviceCounterConsumption",
                 "The counters a device consumes from one counter set.");
DRA_OPENAPI_TYPE(api::CapacityRequestPolicyRange, kResource, "CapacityRequestPolicyRange",
                 "The valid range of capacity requests: a minimum, an optional maximum and an "
                 "optional step.");
DRA_OPENAPI_TYPE(api::CapacityRequestPolicy, kResource, "CapacityRequestPolicy",
                 "How requests consume a capacity of a device that can be allocated more than "
                 "once.");
DRA_OPENAPI_TYPE(api::DeviceCapacity, kResource, "DeviceCapacity",
                 "A capacity of a device and, for shareable devices, its request policy.");
DRA_OPENAPI_TYPE(api::DeviceAttribute, kResource, "DeviceAttribute",
                 "The value of a device attribute; exactly one member is set.");
DRA_OPENAPI_TYPE(api::NodeAllocatableResourceMapping, kResource, "NodeAllocatableResourceMapping",
                 "How allocating a device translates into node-allocatable resources.");
DRA_OPENAPI_TYPE(api::Device, kResource, "Device",
                 "One device published in a ResourceSlice, with its attributes and capacities.");
DRA_OPENAPI_TYPE(api::ResourceSliceSpec, kResource, "ResourceSliceSpec",
                 "The devices a driver publishes in one slice and the nodes they are reachable "
                 "from.");
DRA_OPENAPI_TYPE(api::ResourceSlice, kResource, "ResourceSlice",
                 "Part of the devices of one driver's resource pool, as published by the "
                 "driver.");
DRA_OPENAPI_TYPE(api::DeviceClassConfiguration, kResource, "DeviceClassConfiguration",
                 "Configuration of a device class, passed to the drivers.");
DRA_OPENAPI_TYPE(api::DeviceClassSpec, kResource, "DeviceClassSpec",
                 "The selectors and configuration of a device class.");
DRA_OPENAPI_TYPE(api::DeviceClass, kResource, "DeviceClass",
                 "A vendor- or admin-provided class of devices that claims can request by "
                 "name.");
DRA_OPENAPI_TYPE(api::CapacityRequirements, kResource, "CapacityRequirements",
                 "Capacity amounts each allocated device must provide.");
DRA_OPENAPI_TYPE(api::ExactDeviceRequest, kResource, "ExactDeviceRequest",
                 "A request for one or more identical devices of a class.");
DRA_OPENAPI_TYPE(api::DeviceSubRequest, kResource, "DeviceSubRequest",
                 "One alternative of a prioritized list of requests.");
DRA_OPENAPI_TYPE(api::DeviceRequest, kResource, "DeviceRequest",
                 "A named request for devices of a claim: either an exact request or a "
                 "prioritized list of alternatives.");
DRA_OPENAPI_TYPE(api::DeviceConstraint, kResource, "DeviceConstraint",
                 "A constraint across the devices allocated for some requests of a claim.");
DRA_OPENAPI_TYPE(api::DeviceClaimConfiguration, kResource, "DeviceClaimConfiguration",
                 "Configuration of a claim for some or all of its requests.");
DRA_OPENAPI_TYPE(api::DeviceClaim, kResource, "DeviceClaim",
                 "The devices a claim asks for: requests, constraints and configuration.");
DRA_OPENAPI_TYPE(api::ResourceClaimSpec, kResource, "ResourceClaimSpec",
                 "What a claim asks for. It cannot change once the claim is created.");
DRA_OPENAPI_TYPE(api::ResourceClaimConsumerReference, kResource, "ResourceClaimConsumerReference",
                 "An object (usually a pod) that a claim is reserved for.");
DRA_OPENAPI_TYPE(api::DeviceRequestAllocationResult, kResource, "DeviceRequestAllocationResult",
                 "One allocated device and the request it satisfies.");
DRA_OPENAPI_TYPE(api::DeviceAllocationConfiguration, kResource, "DeviceAllocationConfiguration",
                 "Configuration copied into an allocation from the class or the claim.");
DRA_OPENAPI_TYPE(api::DeviceAllocationResult, kResource, "DeviceAllocationResult",
                 "The allocated devices and the configuration that applies to them.");
DRA_OPENAPI_TYPE(api::AllocationResult, kResource, "AllocationResult",
                 "The result of allocating a claim: the devices and where they can be used.");
DRA_OPENAPI_TYPE(api::NetworkDeviceData, kResource, "NetworkDeviceData",
                 "Network details of an allocated device, as reported by its driver.");
DRA_OPENAPI_TYPE(api::AllocatedDeviceStatus, kResource, "AllocatedDeviceStatus",
                 "Driver-reported status of one allocated device.");
DRA_OPENAPI_TYPE(api::ResourceClaimStatus, kResource, "ResourceClaimStatus",
                 "Whether and how a claim is allocated and who may use it.");
DRA_OPENAPI_TYPE(api::ResourceClaim, kResource, "ResourceClaim",
                 "A request for access to devices, allocated by the scheduler and used by "
                 "pods.");
DRA_OPENAPI_TYPE(api::ResourceClaimTemplateSpec, kResource, "ResourceClaimTemplateSpec",
                 "The ResourceClaim generated from a template: metadata to copy and the spec.");
DRA_OPENAPI_TYPE(api::ResourceClaimTemplate, kResource, "ResourceClaimTemplate",
                 "A template from which a ResourceClaim is generated for each pod that "
                 "references it.");
DRA_OPENAPI_TYPE(api::DeviceTaintSelector, kResource, "DeviceTaintSelector",
                 "Selects the devices a DeviceTaintRule applies to.");
DRA_OPENAPI_TYPE(api::DeviceTaintRuleSpec, kResource, "DeviceTaintRuleSpec",
                 "The devices a rule selects and the taint it applies to them.");
DRA_OPENAPI_TYPE(api::DeviceTaintRuleStatus, kResource, "DeviceTaintRuleStatus",
                 "The progress of the eviction a rule causes.");
DRA_OPENAPI_TYPE(api::DeviceTaintRule, kResource, "DeviceTaintRule",
                 "Adds a taint to all devices that match its selector.");

// coordination.k8s.io/v1
DRA_OPENAPI_TYPE(LeaseSpec, kCoordination, "LeaseSpec",
                 "The holder of a lease and how long it is held.");
DRA_OPENAPI_TYPE(Lease, kCoordination, "Lease",
                 "A lease, used for leader election and node heartbeats.");

// autoscaling/v1
DRA_OPENAPI_TYPE(ScaleSpec, kAutoscaling, "ScaleSpec", "The desired scale of a workload.");
DRA_OPENAPI_TYPE(ScaleStatus, kAutoscaling, "ScaleStatus", "The observed scale of a workload.");
DRA_OPENAPI_TYPE(Scale, kAutoscaling, "Scale",
                 "The scale subresource of a workload: desired and observed replicas.");

// apps/v1
DRA_OPENAPI_TYPE(PodTemplateSpec, kCore, "PodTemplateSpec",
                 "The pods a workload creates: their metadata and spec.");
DRA_OPENAPI_TYPE(RollingUpdateDeployment, kApps, "RollingUpdateDeployment",
                 "How many pods a rolling update may take down or add at a time.");
DRA_OPENAPI_TYPE(DeploymentStrategy, kApps, "DeploymentStrategy",
                 "How a deployment replaces old pods with new ones.");
DRA_OPENAPI_TYPE(DeploymentSpec, kApps, "DeploymentSpec", "The desired state of a deployment.");
DRA_OPENAPI_TYPE(DeploymentCondition, kApps, "DeploymentCondition",
                 "One aspect of the current state of a deployment.");
DRA_OPENAPI_TYPE(DeploymentStatus, kApps, "DeploymentStatus",
                 "The observed state of a deployment.");
DRA_OPENAPI_TYPE(Deployment, kApps, "Deployment",
                 "Declarative updates for a set of identical pods, managed through replica "
                 "sets.");
DRA_OPENAPI_TYPE(ReplicaSetSpec, kApps, "ReplicaSetSpec", "The desired state of a replica set.");
DRA_OPENAPI_TYPE(ReplicaSetCondition, kApps, "ReplicaSetCondition",
                 "One aspect of the current state of a replica set.");
DRA_OPENAPI_TYPE(ReplicaSetStatus, kApps, "ReplicaSetStatus",
                 "The observed state of a replica set.");
DRA_OPENAPI_TYPE(ReplicaSet, kApps, "ReplicaSet",
                 "Keeps a given number of identical pods running.");

#undef DRA_OPENAPI_TYPE

}  // namespace dra::apiserver::openapi

#endif  // DRA_APISERVER_OPENAPI_TYPE_NAMES_H_
