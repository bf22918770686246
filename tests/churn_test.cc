// Randomized churn through the API of an in-process `dra server` with its scheduler and claim
// controller: pods (with template claims, shared claims or extended resources), claims and
// slices are created and deleted at random for a bounded time; once the control plane has
// settled, invariants are checked from the API alone:
//   - no device is allocated to two claims;
//   - every device of an allocation exists in a published slice (or its claim's pods are gone);
//   - every pod in a claim's reservedFor exists with that uid;
//   - every scheduled pod's claims are allocated, reserved for it and pinned to its node.
#include <map>
#include <random>
#include <set>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "dra/controllers/resourceclaim_controller.h"
#include "dra/scheduler/scheduler.h"
#include "gtest/gtest.h"

namespace dra {
namespace {

using api::Value;

Value Doc(const std::string& yaml) { return api::ParseDocuments(yaml)->front(); }

std::string Slice(int node, int generation, int devices) {
  std::string d;
  for (int i = 0; i < devices; ++i) d += "  - name: gpu-" + std::to_string(i) + "\n";
  std::string name = "node-" + std::to_string(node);
  return "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: " + name +
         "-gpus}\nspec:\n  driver: gpu.example.com\n  nodeName: " + name +
         "\n  pool: {name: " + name + ", generation: " + std::to_string(generation) +
         ", resourceSliceCount: 1}\n  devices:\n" + d;
}

TEST(ChurnTest, InvariantsHoldAfterRandomChurn) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  const int kNodes = 4;
  ASSERT_TRUE(
      client
          ->Create(
              client::DeviceClasses(), "",
              Doc("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: "
                  "gpu}\nspec:\n"
                  "  extendedResourceName: example.com/gpu\n"
                  "  selectors:\n  - cel: {expression: 'device.driver == \"gpu.example.com\"'}\n"))
          .ok());
  ASSERT_TRUE(client
                  ->Create(client::ResourceClaimTemplates(), "default",
                           Doc("apiVersion: resource.k8s.io/v1\nkind: "
                               "ResourceClaimTemplate\nmetadata: {name: one}\n"
                               "spec:\n  spec:\n    devices:\n      requests:\n      - name: gpu\n "
                               "       exactly: "
                               "{deviceClassName: gpu}\n"))
                  .ok());
  std::map<int, int> generation;
  for (int n = 0; n < kNodes; ++n) {
    ASSERT_TRUE(client
                    ->Create(client::Nodes(), "",
                             Doc("apiVersion: v1\nkind: Node\nmetadata: {name: node-" +
                                 std::to_string(n) + "}\n"))
                    .ok());
    generation[n] = 1;
    ASSERT_TRUE(client->Create(client::ResourceSlices(), "", Doc(Slice(n, 1, 3))).ok());
  }
  controllers::ResourceClaimController claims(client.get());
  scheduler::Scheduler scheduler(client.get(), {.retry_interval = absl::Seconds(1)});
  ASSERT_TRUE(claims.Start().ok());
  ASSERT_TRUE(scheduler.Start().ok());

  std::mt19937 rng(20261124);
  int next = 0;
  absl::Time end = absl::Now() + absl::Seconds(6);
  while (absl::Now() < end) {
    int action = std::uniform_int_distribution<int>(0, 9)(rng);
    std::string id = std::to_string(next++);
    if (action <= 3) {
      // A pod with a claim from the template.
      (void)client->Create(client::Pods(), "default",
                           Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: t-" + id +
                               "}\nspec:\n  containers: "
                               "[{name: c, image: i}]\n  resourceClaims:\n  - {name: gpu, "
                               "resourceClaimTemplateName: one}\n"));
    } else if (action == 4) {
      // A shared claim and two pods using it.
      (void)client->Create(
          client::ResourceClaims(), "default",
          Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: s-" + id +
              "}\nspec:\n  devices:\n    requests:\n    - name: gpu\n      exactly: "
              "{deviceClassName: gpu}\n"));
      for (const char* suffix : {"a", "b"}) {
        (void)client->Create(
            client::Pods(), "default",
            Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: s-" + id + suffix +
                "}\nspec:\n  "
                "containers: [{name: c, image: i}]\n  resourceClaims:\n  - {name: gpu, "
                "resourceClaimName: s-" +
                id + "}\n"));
      }
    } else if (action == 5) {
      // Extended resource.
      (void)client->Create(
          client::Pods(), "default",
          Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: x-" + id +
              "}\nspec:\n  containers:\n"
              "  - {name: c, image: i, resources: {limits: {example.com/gpu: 1}}}\n"));
    } else if (action <= 8) {
      // Delete a random pod.
      auto pods = client->List(client::Pods(), "default");
      if (pods.ok() && !pods->items.empty()) {
        const Value& pod =
            pods->items[std::uniform_int_distribution<size_t>(0, pods->items.size() - 1)(rng)];
        (void)client->Delete(client::Pods(), "default", pod.Find("metadata")->Find("name")->text());
      }
    } else {
      // Republish a node's slice with more or fewer devices.
      int n = std::uniform_int_distribution<int>(0, kNodes - 1)(rng);
      int devices = std::uniform_int_distribution<int>(2, 5)(rng);
      auto old = client->Get(client::ResourceSlices(), "", "node-" + std::to_string(n) + "-gpus");
      if (old.ok()) {
        Value slice = Doc(Slice(n, ++generation[n], devices));
        slice.FindMutable("metadata")
            ->Set("resourceVersion", *old->Find("metadata")->Find("resourceVersion"));
        (void)client->Update(client::ResourceSlices(), "", slice);
      }
    }
    absl::SleepFor(absl::Milliseconds(15));
  }
  // Settle: the control plane catches up with the last changes (every reservation names a live
  // pod), within a bound.
  absl::Time settle_deadline = absl::Now() + absl::Seconds(20);
  absl::SleepFor(absl::Seconds(1));
  while (absl::Now() < settle_deadline) {
    auto live = client->List(client::Pods(), "default");
    auto current = client->List(client::ResourceClaims(), "default");
    if (!live.ok() || !current.ok()) break;
    std::set<std::string> uids;
    for (const Value& p : live->items) uids.insert(p.Find("metadata")->Find("uid")->text());
    bool settled = true;
    for (const Value& c : current->items) {
      const Value* status = c.Find("status");
      const Value* reserved = status != nullptr ? status->Find("reservedFor") : nullptr;
      if (reserved == nullptr) continue;
      for (const Value& r : reserved->items()) {
        const Value* uid = r.Find("uid");
        if (uid != nullptr && !uids.contains(uid->text())) settled = false;
      }
    }
    if (settled) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  scheduler.Stop();
  claims.Stop();

  auto pods = client->List(client::Pods(), "default");
  auto all_claims = client->List(client::ResourceClaims(), "default");
  ASSERT_TRUE(pods.ok() && all_claims.ok());
  std::map<std::string, api::Pod> pod_by_name;
  for (const Value& v : pods->items) {
    auto pod = api::DecodeAs<api::Pod>(v, {.strict = false});
    ASSERT_TRUE(pod.ok());
    pod_by_name[pod->metadata.name] = *pod;
  }
  std::map<std::string, api::ResourceClaim> claim_by_name;
  std::map<std::string, std::string> device_owner;
  int allocated = 0, scheduled = 0;
  for (const Value& v : all_claims->items) {
    auto claim = api::DecodeAs<api::ResourceClaim>(v, {.strict = false});
    ASSERT_TRUE(claim.ok());
    claim_by_name[claim->metadata.name] = *claim;
    if (!claim->status.allocation.has_value()) continue;
    ++allocated;
    for (const auto& r : claim->status.allocation->devices.results) {
      std::string device = r.pool + "/" + r.device;
      auto [it, inserted] = device_owner.emplace(device, claim->metadata.name);
      EXPECT_TRUE(inserted) << device << " allocated to " << it->second << " and "
                            << claim->metadata.name;
    }
    for (const auto& consumer : claim->status.reserved_for) {
      auto pod = pod_by_name.find(consumer.name);
      EXPECT_TRUE(pod != pod_by_name.end() && pod->second.metadata.uid == consumer.uid)
          << claim->metadata.name << " reserved for missing pod " << consumer.name;
    }
  }
  for (const auto& [name, pod] : pod_by_name) {
    if (pod.spec.node_name.empty()) continue;
    ++scheduled;
    std::vector<std::string> names;
    for (const auto& s : pod.status.resource_claim_statuses) {
      if (s.resource_claim_name.has_value()) names.push_back(*s.resource_claim_name);
    }
    for (const auto& pc : pod.spec.resource_claims) {
      if (pc.resource_claim_name.has_value()) names.push_back(*pc.resource_claim_name);
    }
    if (pod.status.extended_resource_claim_status.has_value()) {
      names.push_back(pod.status.extended_resource_claim_status->resource_claim_name);
    }
    for (const std::string& claim_name : names) {
      auto claim = claim_by_name.find(claim_name);
      ASSERT_NE(claim, claim_by_name.end()) << name << " runs without its claim " << claim_name;
      ASSERT_TRUE(claim->second.status.allocation.has_value()) << claim_name;
      bool reserved = false;
      for (const auto& c : claim->second.status.reserved_for) reserved |= c.uid == pod.metadata.uid;
      EXPECT_TRUE(reserved) << claim_name << " not reserved for " << name;
      const auto& terms = claim->second.status.allocation->node_selector->node_selector_terms;
      ASSERT_FALSE(terms.empty());
      EXPECT_EQ(terms[0].match_fields[0].values[0], pod.spec.node_name) << claim_name;
    }
  }
  std::cerr << "churn: " << next << " actions, " << pod_by_name.size() << " pods (" << scheduled
            << " scheduled), " << claim_by_name.size() << " claims (" << allocated
            << " allocated)\n";
  EXPECT_GT(scheduled, 0);
}

}  // namespace
}  // namespace dra
