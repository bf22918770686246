#include "dra/scheduler/cluster_state.h"

#include "dra/api/codec/codec.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::scheduler {
namespace {

using ::testing::HasSubstr;

template <typename T>
T Parse(const std::string& yaml) {
  auto docs = api::ParseDocuments(yaml);
  EXPECT_TRUE(docs.ok()) << docs.status();
  auto object = api::DecodeAs<T>(docs->front());
  EXPECT_TRUE(object.ok()) << object.status() << "\n" << yaml;
  return *object;
}

api::Node Node(const std::string& name, const std::string& extra = "") {
  return Parse<api::Node>("apiVersion: v1\nkind: Node\nmetadata:\n  name: " + name +
                          "\n  labels: {zone: " + (name == "node-a" ? "a" : "b") + "}\n" + extra);
}

api::ResourceSlice Slice(const std::string& node, int gpus) {
  std::string devices;
  for (int i = 0; i < gpus; ++i) devices += "  - name: gpu-" + std::to_string(i) + "\n";
  return Parse<api::ResourceSlice>(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + node +
      "-gpus}\nspec:\n  driver: gpu.example.com\n  nodeName: " + node + "\n  pool: {name: " + node +
      ", generation: 1, resourceSliceCount: 1}\n  devices:\n" + devices);
}

api::DeviceClass Class() {
  return Parse<api::DeviceClass>(
      "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec:\n"
      "  selectors:\n  - cel: {expression: 'device.driver == \"gpu.example.com\"'}\n");
}

api::ResourceClaim Claim(const std::string& name, int count = 1) {
  return Parse<api::ResourceClaim>(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: " + name +
      ", namespace: default, uid: uid-" + name +
      "}\nspec:\n  devices:\n    requests:\n    - name: gpu\n      exactly: {deviceClassName: gpu, "
      "allocationMode: ExactCount, count: " +
      std::to_string(count) + "}\n");
}

api::Pod Pod(const std::string& name, const std::string& claim, const std::string& extra = "") {
  return Parse<api::Pod>("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
                         ", namespace: default, uid: uid-" + name +
                         "}\nspec:\n  containers: [{name: c, image: i}]\n  resourceClaims:\n"
                         "  - {name: gpu, resourceClaimName: " +
                         claim + "}\n" + extra);
}

class ClusterStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_.UpsertNode(Node("node-a"));
    state_.UpsertNode(Node("node-b"));
    state_.UpsertSlice(Slice("node-a", 1));
    state_.UpsertSlice(Slice("node-b", 2));
    state_.UpsertClass(Class());
  }

  // Schedules `pod` and assumes its claims, as the scheduler does before writing them.
  Decision ScheduleAndAssume(const api::Pod& pod) {
    absl::StatusOr<Decision> d = state_.Schedule(pod);
    EXPECT_TRUE(d.ok()) << d.status();
    if (!d.ok()) return {};
    for (const api::ResourceClaim& c : d->claims) state_.Assume(c);
    return *d;
  }

  ClusterState state_;
};

TEST_F(ClusterStateTest, PacksDevicesAndExplainsWhenFull) {
  for (const char* name : {"c1", "c2", "c3", "c4"}) state_.UpsertClaim(Claim(name));
  // node-a has the fewest free devices left after the allocation: packed first.
  Decision first = ScheduleAndAssume(Pod("p1", "c1"));
  ASSERT_EQ(first.kind, Decision::Kind::kScheduled) << first.message;
  EXPECT_EQ(first.node, "node-a");
  ASSERT_EQ(first.claims.size(), 1u);
  ASSERT_TRUE(first.claims[0].status.allocation.has_value());
  EXPECT_EQ(first.claims[0].status.reserved_for[0].name, "p1");
  EXPECT_EQ(first.claims[0].status.reserved_for[0].uid, "uid-p1");

  Decision second = ScheduleAndAssume(Pod("p2", "c2"));
  EXPECT_EQ(second.node, "node-b");
  Decision third = ScheduleAndAssume(Pod("p3", "c3"));
  EXPECT_EQ(third.node, "node-b");
  std::set<std::string> devices;
  for (const Decision* d : {&first, &second, &third}) {
    const auto& r = d->claims[0].status.allocation->devices.results[0];
    devices.insert(r.pool + "/" + r.device);
  }
  EXPECT_EQ(devices.size(), 3u);

  absl::StatusOr<Decision> full = state_.Schedule(Pod("p4", "c4"));
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->kind, Decision::Kind::kUnschedulable);
  EXPECT_THAT(full->message, HasSubstr("0/2 nodes are available: 2 cannot allocate all claims."));
  EXPECT_THAT(full->message, HasSubstr("in use"));

  // A deleted claim frees its device.
  state_.DeleteClaim("default", "c1");
  Decision after = ScheduleAndAssume(Pod("p4", "c4"));
  EXPECT_EQ(after.kind, Decision::Kind::kScheduled);
  EXPECT_EQ(after.node, "node-a");
}

TEST_F(ClusterStateTest, AllocatedClaimPinsTheNodeAndIsShared) {
  state_.UpsertClaim(Claim("shared"));
  Decision first = ScheduleAndAssume(Pod("p1", "shared"));
  ASSERT_EQ(first.kind, Decision::Kind::kScheduled);
  // The write comes back from the API: observed replaces assumed.
  state_.UpsertClaim(first.claims[0]);
  Decision second = ScheduleAndAssume(Pod("p2", "shared"));
  ASSERT_EQ(second.kind, Decision::Kind::kScheduled) << second.message;
  EXPECT_EQ(second.node, first.node);
  EXPECT_EQ(second.claims[0].status.allocation, first.claims[0].status.allocation);
  EXPECT_EQ(second.claims[0].status.reserved_for.size(), 2u);
}

TEST_F(ClusterStateTest, SelectorsAffinityAndTaints) {
  state_.UpsertClaim(Claim("c1"));
  state_.UpsertNode(
      Node("node-b", "spec:\n  taints: [{key: gpu, value: maintenance, effect: NoSchedule}]\n"));
  Decision only_a = ScheduleAndAssume(Pod("p1", "c1"));
  EXPECT_EQ(only_a.node, "node-a");
  state_.Forget("default", "c1");

  absl::StatusOr<Decision> nowhere =
      state_.Schedule(Pod("p2", "c1", "  nodeSelector: {zone: b}\n"));
  ASSERT_TRUE(nowhere.ok());
  EXPECT_EQ(nowhere->kind, Decision::Kind::kUnschedulable);
  EXPECT_THAT(nowhere->message,
              HasSubstr("1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had "
                        "untolerated taint {gpu: maintenance}"));

  Decision tolerated = ScheduleAndAssume(
      Pod("p3", "c1",
          "  tolerations: [{key: gpu, operator: Exists}]\n  affinity:\n    nodeAffinity:\n"
          "      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n"
          "        - matchExpressions: [{key: zone, operator: In, values: [b]}]\n"));
  EXPECT_EQ(tolerated.kind, Decision::Kind::kScheduled) << tolerated.message;
  EXPECT_EQ(tolerated.node, "node-b");
}

TEST_F(ClusterStateTest, TemplateClaimsWaitForTheController) {
  api::Pod pod = Parse<api::Pod>(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default, uid: uid-p}\nspec:\n"
      "  containers: [{name: c, image: i}]\n  resourceClaims:\n"
      "  - {name: gpu, resourceClaimTemplateName: t}\n");
  absl::StatusOr<Decision> waiting = state_.Schedule(pod);
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ(waiting->kind, Decision::Kind::kWaiting);
  pod.status.resource_claim_statuses.push_back({"gpu", std::string("p-gpu-x1y2z")});
  waiting = state_.Schedule(pod);
  EXPECT_EQ(waiting->kind, Decision::Kind::kWaiting);
  EXPECT_THAT(waiting->message, HasSubstr("not found"));
  api::ResourceClaim generated = Claim("p-gpu-x1y2z");
  state_.UpsertClaim(generated);
  absl::StatusOr<Decision> not_owner = state_.Schedule(pod);
  EXPECT_EQ(not_owner->kind, Decision::Kind::kUnschedulable);
  EXPECT_THAT(not_owner->message, HasSubstr("pod is not owner"));
  generated.metadata.owner_references.push_back({"v1", "Pod", "p", "uid-p", true, true});
  state_.UpsertClaim(generated);
  Decision scheduled = ScheduleAndAssume(pod);
  EXPECT_EQ(scheduled.kind, Decision::Kind::kScheduled) << scheduled.message;
}

TEST_F(ClusterStateTest, NewSlicesAreUsedAfterARebuild) {
  state_.UpsertClaim(Claim("big", 3));
  absl::StatusOr<Decision> no = state_.Schedule(Pod("p", "big"));
  EXPECT_EQ(no->kind, Decision::Kind::kUnschedulable);
  state_.UpsertSlice(Slice("node-b", 3));
  Decision yes = ScheduleAndAssume(Pod("p", "big"));
  EXPECT_EQ(yes.kind, Decision::Kind::kScheduled) << yes.message;
  EXPECT_EQ(yes.node, "node-b");
}

// Outcomes are reused for pods with the same claims only while nothing they depend on changed:
// devices every node sees, the node's labels, a forgotten assumption.
TEST_F(ClusterStateTest, ReusedOutcomesFollowSharedDevicesNodesAndForget) {
  ClusterState state;
  state.UpsertNode(Node("node-a"));
  state.UpsertNode(Node("node-b"));
  state.UpsertClass(Class());
  // One device that every node in zone a sees.
  state.UpsertSlice(Parse<api::ResourceSlice>(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: fabric}\nspec:\n"
      "  driver: gpu.example.com\n  nodeSelector:\n    nodeSelectorTerms:\n"
      "    - matchExpressions: [{key: zone, operator: In, values: [a]}]\n"
      "  pool: {name: fabric, generation: 1, resourceSliceCount: 1}\n"
      "  devices:\n  - name: gpu-0\n"));
  for (const char* name : {"c1", "c2"}) state.UpsertClaim(Claim(name));

  absl::StatusOr<Decision> first = state.Schedule(Pod("p1", "c1"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->kind, Decision::Kind::kScheduled) << first->message;
  EXPECT_EQ(first->node, "node-a");
  for (const api::ResourceClaim& c : first->claims) state.Assume(c);
  // The shared device is taken: no node can allocate it again.
  absl::StatusOr<Decision> second = state.Schedule(Pod("p2", "c2"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kind, Decision::Kind::kUnschedulable);
  // The first pod's write failed: the device is free again.
  state.Forget("default", "c1");
  second = state.Schedule(Pod("p2", "c2"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kind, Decision::Kind::kScheduled) << second->message;
  EXPECT_EQ(second->node, "node-a");

  // node-a leaves zone a, node-b joins it: the device follows the labels.
  state.UpsertNode(Parse<api::Node>(
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-a\n  labels: {zone: b}\n"));
  state.UpsertNode(Parse<api::Node>(
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-b\n  labels: {zone: a}\n"));
  second = state.Schedule(Pod("p2", "c2"));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->kind, Decision::Kind::kScheduled) << second->message;
  EXPECT_EQ(second->node, "node-b");
}

TEST_F(ClusterStateTest, ExtendedResourcesShareTheInventoryWithClaims) {
  api::DeviceClass gpu = Class();
  gpu.spec.extended_resource_name = "example.com/gpu";
  state_.UpsertClass(gpu);
  api::Pod plugin_style = Parse<api::Pod>(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: legacy, namespace: default, uid: uid-legacy}\n"
      "spec:\n  containers:\n  - name: cuda\n    image: i\n    resources:\n"
      "      limits: {example.com/gpu: 2, cpu: 1}\n");
  Decision d = ScheduleAndAssume(plugin_style);
  ASSERT_EQ(d.kind, Decision::Kind::kScheduled) << d.message;
  EXPECT_EQ(d.node, "node-b");  // only node-b has two devices
  ASSERT_TRUE(d.extended_claim.has_value());
  const api::ResourceClaim& special = *d.extended_claim;
  EXPECT_EQ(special.metadata.generate_name, "legacy-extended-resources-");
  EXPECT_EQ(special.metadata.annotations.at("resource.kubernetes.io/extended-resource-claim"),
            "true");
  ASSERT_EQ(special.spec.devices.requests.size(), 1u);
  EXPECT_EQ(special.spec.devices.requests[0].name, "container-0-request-0");
  EXPECT_EQ(special.status.allocation->devices.results.size(), 2u);
  ASSERT_EQ(d.extended_mappings.size(), 1u);
  EXPECT_EQ(d.extended_mappings[0].container_name, "cuda");
  EXPECT_EQ(d.extended_mappings[0].resource_name, "example.com/gpu");
  // Assume it as the scheduler does (under a placeholder name): node-b's devices are taken.
  api::ResourceClaim placeholder = special;
  placeholder.metadata.name = "placeholder";
  state_.Assume(placeholder);
  state_.UpsertClaim(Claim("dra-1"));
  state_.UpsertClaim(Claim("dra-2"));
  Decision first = ScheduleAndAssume(Pod("p1", "dra-1"));
  EXPECT_EQ(first.node, "node-a");
  absl::StatusOr<Decision> none = state_.Schedule(Pod("p2", "dra-2"));
  EXPECT_EQ(none->kind, Decision::Kind::kUnschedulable);
}

TEST_F(ClusterStateTest, DeviceTaintRulesKeepClaimsOffTheirDevices) {
  // node-a's only GPU is tainted NoSchedule by a rule: the claim goes to node-b; once the rule
  // is gone node-a's GPU is usable again.
  api::DeviceTaintRule rule = Parse<api::DeviceTaintRule>(
      "apiVersion: resource.k8s.io/v1beta2\nkind: DeviceTaintRule\nmetadata: {name: bad-gpu, "
      "creationTimestamp: '2026-01-01T00:00:00Z'}\nspec:\n  deviceSelector: {driver: "
      "gpu.example.com, pool: node-a, device: gpu-0}\n  taint: {key: example.com/broken, "
      "effect: NoSchedule}\n");
  state_.UpsertTaintRule(rule);
  state_.UpsertClaim(Claim("c1"));
  state_.UpsertClaim(Claim("c2", 2));
  Decision first = ScheduleAndAssume(Pod("p1", "c1"));
  ASSERT_EQ(first.kind, Decision::Kind::kScheduled) << first.message;
  EXPECT_EQ(first.node, "node-b");
  absl::StatusOr<Decision> blocked = state_.Schedule(Pod("p2", "c2"));
  ASSERT_TRUE(blocked.ok());
  EXPECT_EQ(blocked->kind, Decision::Kind::kUnschedulable);
  state_.DeleteTaintRule("bad-gpu");
  state_.DeleteClaim("default", "c1");
  state_.UpsertClaim(Claim("c3"));
  Decision third = ScheduleAndAssume(Pod("p3", "c3"));
  ASSERT_EQ(third.kind, Decision::Kind::kScheduled) << third.message;
  EXPECT_EQ(third.node, "node-a");
}

}  // namespace
}  // namespace dra::scheduler
