// Tests of ApplyDefaults against the defaults of k8s.io/kubernetes pkg/apis/resource/v1 and
// pkg/apis/core/v1 (defaults.go and the generated walks).
#include "dra/api/defaults.h"

#include <string>
#include <vector>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "gtest/gtest.h"

namespace dra::api {
namespace {

Quantity Q(std::string_view text) { return Quantity::Parse(text).value(); }

Value ParseJson(std::string_view json) {
  absl::StatusOr<std::vector<Value>> docs = ParseDocuments(json);
  EXPECT_TRUE(docs.ok()) << docs.status();
  EXPECT_EQ(docs->size(), 1u);
  return docs->front();
}

// ---------------------------------------------------------------------------------------------
// resource.k8s.io

TEST(ResourceDefaultsTest, ExactRequestGetsExactCountAndCountOne) {
  ResourceClaim claim;
  claim.spec.devices.requests.push_back(
      DeviceRequest{.name = "gpu", .exactly = ExactDeviceRequest{}});
  ApplyDefaults(claim);
  const ExactDeviceRequest& exactly = *claim.spec.devices.requests[0].exactly;
  EXPECT_EQ(exactly.allocation_mode, "ExactCount");
  EXPECT_EQ(exactly.count, 1);
}

TEST(ResourceDefaultsTest, ExplicitModeAndCountAreKept) {
  ResourceClaim claim;
  ExactDeviceRequest all;
  all.allocation_mode = "All";
  ExactDeviceRequest ten;
  ten.allocation_mode = "ExactCount";
  ten.count = 10;
  claim.spec.devices.requests.push_back(DeviceRequest{.name = "all", .exactly = all});
  claim.spec.devices.requests.push_back(DeviceRequest{.name = "ten", .exactly = ten});
  ApplyDefaults(claim);
  EXPECT_EQ(claim.spec.devices.requests[0].exactly->allocation_mode, "All");
  EXPECT_EQ(claim.spec.devices.requests[0].exactly->count, 0);  // count only for ExactCount
  EXPECT_EQ(claim.spec.devices.requests[1].exactly->count, 10);
}

TEST(ResourceDefaultsTest, SubRequestsAreDefaulted) {
  ResourceClaim claim;
  DeviceRequest request{.name = "req-1"};
  request.first_available.push_back(DeviceSubRequest{.name = "sub-1"});
  DeviceSubRequest all{.name = "sub-2"};
  all.allocation_mode = "All";
  request.first_available.push_back(all);
  claim.spec.devices.requests.push_back(request);
  ApplyDefaults(claim);
  const DeviceRequest& out = claim.spec.devices.requests[0];
  EXPECT_FALSE(out.exactly.has_value());
  EXPECT_EQ(out.first_available[0].allocation_mode, "ExactCount");
  EXPECT_EQ(out.first_available[0].count, 1);
  EXPECT_EQ(out.first_available[1].allocation_mode, "All");
  EXPECT_EQ(out.first_available[1].count, 0);
}

TEST(ResourceDefaultsTest, TolerationOperatorDefaultsToEqualEverywhere) {
  ResourceClaim claim;
  ExactDeviceRequest exactly;
  exactly.tolerations.push_back(DeviceToleration{.key = "a"});
  exactly.tolerations.push_back(DeviceToleration{.key = "b", .operator_ = "Exists"});
  DeviceRequest first{.name = "first"};
  DeviceSubRequest sub{.name = "sub"};
  sub.tolerations.push_back(DeviceToleration{.key = "c"});
  first.first_available.push_back(sub);
  claim.spec.devices.requests.push_back(DeviceRequest{.name = "exact", .exactly = exactly});
  claim.spec.devices.requests.push_back(first);
  AllocationResult allocation;
  DeviceRequestAllocationResult result;
  result.tolerations.push_back(DeviceToleration{.key = "d"});
  allocation.devices.results.push_back(result);
  claim.status.allocation = allocation;

  ApplyDefaults(claim);
  EXPECT_EQ(claim.spec.devices.requests[0].exactly->tolerations[0].operator_, "Equal");
  EXPECT_EQ(claim.spec.devices.requests[0].exactly->tolerations[1].operator_, "Exists");
  EXPECT_EQ(claim.spec.devices.requests[1].first_available[0].tolerations[0].operator_, "Equal");
  EXPECT_EQ(claim.status.allocation->devices.results[0].tolerations[0].operator_, "Equal");
}

TEST(ResourceDefaultsTest, TemplateSpecIsDefaulted) {
  ResourceClaimTemplate tmpl;
  ExactDeviceRequest exactly;
  exactly.tolerations.push_back(DeviceToleration{.key = "a"});
  tmpl.spec.spec.devices.requests.push_back(DeviceRequest{.name = "gpu", .exactly = exactly});
  ApplyDefaults(tmpl);
  const ExactDeviceRequest& out = *tmpl.spec.spec.devices.requests[0].exactly;
  EXPECT_EQ(out.allocation_mode, "ExactCount");
  EXPECT_EQ(out.count, 1);
  EXPECT_EQ(out.tolerations[0].operator_, "Equal");
}

TEST(ResourceDefaultsTest, DeviceTaintTimeAddedNeedsNow) {
  ResourceSlice slice;
  Device device{.name = "device-0"};
  device.taints.push_back(DeviceTaint{.key = "k", .effect = "NoSchedule"});
  device.taints.push_back(
      DeviceTaint{.key = "j", .effect = "NoExecute", .time_added = "2006-01-02T15:04:05Z"});
  slice.spec.devices.push_back(device);

  ResourceSlice without_now = slice;
  ApplyDefaults(without_now);
  EXPECT_FALSE(without_now.spec.devices[0].taints[0].time_added.has_value());

  ApplyDefaults(slice, DefaultingOptions{.now = "2025-03-04T05:06:07.891234Z"});
  EXPECT_EQ(slice.spec.devices[0].taints[0].time_added, "2025-03-04T05:06:07Z");
  EXPECT_EQ(slice.spec.devices[0].taints[1].time_added, "2006-01-02T15:04:05Z");
}

TEST(ResourceDefaultsTest, DeviceTaintRuleTaintTimeAdded) {
  DeviceTaintRule rule;
  rule.spec.taint = DeviceTaint{.key = "k", .effect = "NoExecute"};
  ApplyDefaults(rule, DefaultingOptions{.now = "2025-03-04T05:06:07+02:00"});
  EXPECT_EQ(rule.spec.taint.time_added, "2025-03-04T05:06:07+02:00");
}

TEST(ResourceDefaultsTest, AllocationMultiplierDefaultsToOne) {
  ResourceSlice slice;
  Device device{.name = "cpu-0"};
  device.node_allocatable_resource_mappings["cpu"] = NodeAllocatableResourceMapping{};
  device.node_allocatable_resource_mappings["memory"] =
      NodeAllocatableResourceMapping{.capacity_key = "mem", .allocation_multiplier = Q("2")};
  slice.spec.devices.push_back(device);
  ApplyDefaults(slice);
  const auto& mappings = slice.spec.devices[0].node_allocatable_resource_mappings;
  ASSERT_TRUE(mappings.at("cpu").allocation_multiplier.has_value());
  EXPECT_EQ(mappings.at("cpu").allocation_multiplier->ToString(), "1");
  EXPECT_EQ(mappings.at("memory").allocation_multiplier->ToString(), "2");
}

TEST(ResourceDefaultsTest, DeviceClassHasNoDefaults) {
  DeviceClass cls;
  cls.metadata.name = "gpu.example.com";
  DeviceClass before = cls;
  ApplyDefaults(cls);
  EXPECT_EQ(cls, before);
}

TEST(ResourceDefaultsTest, ObjectDispatch) {
  ResourceClaim claim;
  claim.spec.devices.requests.push_back(
      DeviceRequest{.name = "gpu", .exactly = ExactDeviceRequest{}});
  Object object = claim;
  ApplyDefaults(object);
  EXPECT_EQ(std::get<ResourceClaim>(object).spec.devices.requests[0].exactly->count, 1);
}

// ---------------------------------------------------------------------------------------------
// Image pull policy.

TEST(ImagePullPolicyTest, FollowsTheTag) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  struct Case {
    std::string image;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"nginx", "Always"},
      {"nginx:latest", "Always"},
      {"nginx:1.25", "IfNotPresent"},
      {"library/nginx", "Always"},
      {"docker.io/library/nginx:latest", "Always"},
      {"registry.k8s.io/pause:3.10", "IfNotPresent"},
      {"registry.k8s.io/pause", "Always"},
      {"localhost:5000/app", "Always"},
      {"localhost:5000/app:v1", "IfNotPresent"},
      {"example.com:5000/team/app:latest", "Always"},
      {"Example.com/app", "Always"},  // an upper-case first component is a registry
      {"[::1]:5000/app", "Always"},
      {"nginx@" + digest, "IfNotPresent"},
      {"nginx:latest@" + digest, "Always"},
      {"nginx:latest@sha256:abc", "IfNotPresent"},  // invalid digest: does not parse
      {"Nginx", "IfNotPresent"},                    // repository names are lower case
      {"nginx:bad:tag", "IfNotPresent"},
      {std::string(64, 'a'), "IfNotPresent"},  // bare image IDs are refused
      {"", "IfNotPresent"},
      {" nginx", "IfNotPresent"},
      {"example.com/" + std::string(243, 'a'), "Always"},        // name of 255 characters
      {"example.com/" + std::string(244, 'a'), "IfNotPresent"},  // name too long
      {"nginx:" + std::string(128, 't'), "IfNotPresent"},
      {"nginx:" + std::string(129, 't'), "IfNotPresent"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DefaultImagePullPolicy(c.image), c.want) << c.image;
  }
}

// ---------------------------------------------------------------------------------------------
// Pod.

Pod MinimalPod() {
  Pod pod;
  pod.metadata.name = "pod";
  pod.metadata.namespace_ = "default";
  Container c;
  c.name = "ctr";
  c.image = "registry.k8s.io/pause:3.10";
  pod.spec.containers.push_back(c);
  return pod;
}

TEST(PodDefaultsTest, SpecDefaults) {
  Pod pod = MinimalPod();
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.scheduler_name, "default-scheduler");
  EXPECT_EQ(pod.spec.restart_policy, "Always");
  EXPECT_EQ(pod.spec.dns_policy, "ClusterFirst");
  EXPECT_EQ(pod.spec.termination_grace_period_seconds, 30);
  EXPECT_EQ(pod.spec.security_context, Value::Object());
  EXPECT_EQ(pod.spec.enable_service_links, true);
  const Container& c = pod.spec.containers[0];
  EXPECT_EQ(c.termination_message_path, "/dev/termination-log");
  EXPECT_EQ(c.termination_message_policy, "File");
  EXPECT_EQ(c.image_pull_policy, "IfNotPresent");
}

TEST(PodDefaultsTest, ExplicitValuesAreKept) {
  Pod pod = MinimalPod();
  pod.spec.scheduler_name = "my-scheduler";
  pod.spec.restart_policy = "Never";
  pod.spec.dns_policy = "Default";
  pod.spec.termination_grace_period_seconds = 0;
  pod.spec.enable_service_links = false;
  pod.spec.containers[0].image_pull_policy = "Never";
  pod.spec.containers[0].termination_message_policy = "FallbackToLogsOnError";
  Pod before = pod;
  before.spec.security_context = Value::Object();
  before.spec.containers[0].termination_message_path = "/dev/termination-log";
  ApplyDefaults(pod);
  EXPECT_EQ(pod, before);
}

TEST(PodDefaultsTest, InitAndLatestContainers) {
  Pod pod = MinimalPod();
  Container init;
  init.name = "init";
  init.image = "busybox";
  pod.spec.init_containers.push_back(init);
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.init_containers[0].image_pull_policy, "Always");
  EXPECT_EQ(pod.spec.init_containers[0].termination_message_policy, "File");
}

TEST(PodDefaultsTest, TolerationsAreNotDefaulted) {
  Pod pod = MinimalPod();
  pod.spec.tolerations.push_back(Toleration{.key = "k", .value = "v", .effect = "NoSchedule"});
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.tolerations[0].operator_, "");
}

TEST(PodDefaultsTest, RequestsDefaultToLimits) {
  Pod pod = MinimalPod();
  ResourceRequirements& r = pod.spec.containers[0].resources;
  r.limits["cpu"] = Q("2");
  r.limits["memory"] = Q("1Gi");
  r.limits["example.com/gpu"] = Q("1");
  r.requests["cpu"] = Q("500m");
  ApplyDefaults(pod);
  EXPECT_EQ(r.requests.at("cpu").ToString(), "500m");
  EXPECT_EQ(r.requests.at("memory").ToString(), "1Gi");
  EXPECT_EQ(r.requests.at("example.com/gpu").ToString(), "1");
}

TEST(PodDefaultsTest, QuantitiesRoundUpToMilli) {
  Pod pod = MinimalPod();
  pod.spec.containers[0].resources.requests["cpu"] = Q("0.0001");
  pod.spec.containers[0].resources.limits["cpu"] = Q("1.0001");
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.containers[0].resources.requests.at("cpu").ToString(), "1m");
  EXPECT_EQ(pod.spec.containers[0].resources.limits.at("cpu").ToString(), "1001m");
}

TEST(PodDefaultsTest, PodLevelRequestsFromContainersAndLimits) {
  Pod pod = MinimalPod();
  pod.spec.containers[0].resources.requests["cpu"] = Q("100m");
  Container second;
  second.name = "second";
  second.image = "busybox:1";
  second.resources.requests["cpu"] = Q("200m");
  pod.spec.containers.push_back(second);
  ResourceRequirements pod_resources;
  pod_resources.limits["cpu"] = Q("1");
  pod_resources.limits["memory"] = Q("1Gi");
  pod.spec.resources = pod_resources;
  ApplyDefaults(pod);
  const ResourceList& requests = pod.spec.resources->requests;
  EXPECT_EQ(requests.at("cpu").ToString(), "300m");    // aggregate of the containers
  EXPECT_EQ(requests.at("memory").ToString(), "1Gi");  // from the pod-level limit
}

TEST(PodDefaultsTest, PodLevelLimitsWhenEveryContainerHasOne) {
  Pod pod = MinimalPod();
  pod.spec.containers[0].resources.limits["memory"] = Q("1Gi");
  Container sidecar;
  sidecar.name = "sidecar";
  sidecar.image = "busybox:1";
  sidecar.restart_policy = "Always";
  sidecar.resources.limits["memory"] = Q("512Mi");
  pod.spec.init_containers.push_back(sidecar);
  ResourceRequirements pod_resources;
  pod_resources.requests["memory"] = Q("1Gi");
  pod.spec.resources = pod_resources;
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.resources->limits.at("memory").ToString(), "1536Mi");
}

TEST(PodDefaultsTest, AggregateCountsSidecarsAndInitPeaks) {
  PodSpec spec;
  Container app;
  app.resources.requests["cpu"] = Q("1");
  spec.containers.push_back(app);
  Container sidecar;
  sidecar.restart_policy = "Always";
  sidecar.resources.requests["cpu"] = Q("500m");
  Container init;
  init.resources.requests["cpu"] = Q("2");
  spec.init_containers = {sidecar, init};
  // max(1 + 0.5, 0.5 + 2)
  EXPECT_EQ(AggregateContainerRequests(spec).at("cpu").ToString(), "2500m");
}

TEST(PodDefaultsTest, FreeFormContainerParts) {
  Pod pod = MinimalPod();
  Container& c = pod.spec.containers[0];
  c.ports.push_back(ParseJson(R"({"containerPort": 8080})"));
  c.env.push_back(EnvVar{
      .name = "NODE", .value_from = ParseJson(R"({"fieldRef": {"fieldPath": "spec.nodeName"}})")});
  c.liveness_probe = ParseJson(R"({"httpGet": {"port": 8080}})");
  c.lifecycle = ParseJson(R"({"preStop": {"httpGet": {"port": 80, "path": "/stop"}}})");
  ApplyDefaults(pod);
  EXPECT_EQ(c.ports[0], ParseJson(R"({"containerPort": 8080, "protocol": "TCP"})"));
  EXPECT_EQ(*c.env[0].value_from,
            ParseJson(R"({"fieldRef": {"fieldPath": "spec.nodeName", "apiVersion": "v1"}})"));
  EXPECT_EQ(*c.liveness_probe,
            ParseJson(R"({"httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
      "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})"));
  EXPECT_EQ(
      *c.lifecycle,
      ParseJson(R"({"preStop": {"httpGet": {"port": 80, "path": "/stop", "scheme": "HTTP"}}})"));
}

TEST(PodDefaultsTest, HostNetworkPorts) {
  Pod pod = MinimalPod();
  pod.spec.host_network = true;
  pod.spec.containers[0].ports.push_back(ParseJson(R"({"containerPort": 8080})"));
  pod.spec.containers[0].ports.push_back(ParseJson(R"({"containerPort": 9090, "hostPort": 9091})"));
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.containers[0].ports[0],
            ParseJson(R"({"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"})"));
  EXPECT_EQ(pod.spec.containers[0].ports[1],
            ParseJson(R"({"containerPort": 9090, "hostPort": 9091, "protocol": "TCP"})"));
}

TEST(PodDefaultsTest, Volumes) {
  Pod pod = MinimalPod();
  pod.spec.volumes = {
      ParseJson(R"({"name": "scratch"})"),
      ParseJson(R"({"name": "cfg", "configMap": {"name": "cfg"}})"),
      ParseJson(R"({"name": "sec", "secret": {"secretName": "s", "defaultMode": 256}})"),
      ParseJson(R"({"name": "host", "hostPath": {"path": "/dev"}})"),
      ParseJson(R"({"name": "token", "projected": {"sources": [
          {"serviceAccountToken": {"path": "token"}},
          {"downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}})"),
      ParseJson(R"({"name": "img", "image": {"reference": "quay.io/models/llm:latest"}})"),
  };
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.volumes[0], ParseJson(R"({"name": "scratch", "emptyDir": {}})"));
  EXPECT_EQ(pod.spec.volumes[1],
            ParseJson(R"({"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}})"));
  EXPECT_EQ(pod.spec.volumes[2],
            ParseJson(R"({"name": "sec", "secret": {"secretName": "s", "defaultMode": 256}})"));
  EXPECT_EQ(pod.spec.volumes[3],
            ParseJson(R"({"name": "host", "hostPath": {"path": "/dev", "type": ""}})"));
  EXPECT_EQ(pod.spec.volumes[4], ParseJson(R"({"name": "token", "projected": {"defaultMode": 420,
      "sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}},
      {"downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name",
      "apiVersion": "v1"}}]}}]}})"));
  EXPECT_EQ(pod.spec.volumes[5], ParseJson(R"({"name": "img", "image": {
      "reference": "quay.io/models/llm:latest", "pullPolicy": "Always"}})"));
}

TEST(PodDefaultsTest, EphemeralContainers) {
  Pod pod = MinimalPod();
  pod.spec.ephemeral_containers.push_back(ParseJson(R"({"name": "debug", "image": "busybox"})"));
  ApplyDefaults(pod);
  EXPECT_EQ(pod.spec.ephemeral_containers[0], ParseJson(R"({"name": "debug", "image": "busybox",
      "imagePullPolicy": "Always", "terminationMessagePath": "/dev/termination-log",
      "terminationMessagePolicy": "File"})"));
}

TEST(PodDefaultsTest, Idempotent) {
  Pod pod = MinimalPod();
  pod.spec.containers[0].resources.limits["cpu"] = Q("1");
  pod.spec.volumes.push_back(ParseJson(R"({"name": "scratch"})"));
  ApplyDefaults(pod);
  Pod once = pod;
  ApplyDefaults(pod);
  EXPECT_EQ(pod, once);
}

// ---------------------------------------------------------------------------------------------
// Node, Namespace, Event.

TEST(NodeDefaultsTest, AllocatableFromCapacity) {
  Node node;
  node.status.capacity["cpu"] = Q("8");
  node.status.capacity["pods"] = Q("110");
  ApplyDefaults(node);
  EXPECT_EQ(node.status.allocatable, node.status.capacity);

  Node set;
  set.status.capacity["cpu"] = Q("8");
  set.status.allocatable["cpu"] = Q("7500m");
  ApplyDefaults(set);
  EXPECT_EQ(set.status.allocatable.at("cpu").ToString(), "7500m");
}

TEST(NamespaceDefaultsTest, PhaseAndNameLabel) {
  Namespace ns;
  ns.metadata.name = "team-a";
  ns.metadata.labels["kubernetes.io/metadata.name"] = "other";
  ApplyDefaults(ns);
  EXPECT_EQ(ns.status.phase, "Active");
  EXPECT_EQ(ns.metadata.labels.at("kubernetes.io/metadata.name"), "team-a");

  Namespace generated;
  generated.metadata.generate_name = "team-";
  generated.status.phase = "Terminating";
  ApplyDefaults(generated);
  EXPECT_TRUE(generated.metadata.labels.empty());
  EXPECT_EQ(generated.status.phase, "Terminating");
}

TEST(EventDefaultsTest, NoDefaults) {
  Event event;
  event.metadata.name = "e";
  event.reason = "Started";
  Event before = event;
  ApplyDefaults(event);
  EXPECT_EQ(event, before);
}

}  // namespace
}  // namespace dra::api
