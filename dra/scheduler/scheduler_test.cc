#include "dra/scheduler/scheduler.h"

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::scheduler {
namespace {

using ::testing::HasSubstr;

api::Value Doc(const std::string& yaml) {
  auto docs = api::ParseDocuments(yaml);
  EXPECT_TRUE(docs.ok()) << docs.status();
  return docs->front();
}

template <typename F>
bool Eventually(F predicate) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (predicate()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return predicate();
}

std::string Str(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* cur = &v;
  for (std::string_view p : path) {
    cur = cur->Find(p);
    if (cur == nullptr) return "";
  }
  return cur->is_string() ? cur->text() : api::WriteJson(*cur);
}

TEST(SchedulerTest, AllocatesReservesBindsAndExplains) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client
                  ->Create(client::Nodes(), "",
                           Doc("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n"))
                  .ok());
  ASSERT_TRUE(
      client
          ->Create(
              client::DeviceClasses(), "",
              Doc("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: "
                  "gpu}\nspec:\n"
                  "  selectors:\n  - cel: {expression: 'device.driver == \"gpu.example.com\"'}\n"))
          .ok());
  ASSERT_TRUE(client
                  ->Create(client::ResourceSlices(), "",
                           Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: "
                               "{name: node-1-gpu}\nspec:\n"
                               "  driver: gpu.example.com\n  nodeName: node-1\n  pool: {name: "
                               "node-1, generation: 1, "
                               "resourceSliceCount: 1}\n  devices:\n  - name: gpu-0\n"))
                  .ok());
  for (const char* name : {"c1", "c2"}) {
    ASSERT_TRUE(
        client
            ->Create(
                client::ResourceClaims(), "default",
                Doc(std::string(
                        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: ") +
                    name +
                    "}\nspec:\n  devices:\n    requests:\n    - name: gpu\n      exactly: "
                    "{deviceClassName: gpu}\n"))
            .ok());
  }
  Scheduler scheduler(client.get());
  ASSERT_TRUE(scheduler.Start().ok());
  for (const char* name : {"p1", "p2"}) {
    ASSERT_TRUE(
        client
            ->Create(client::Pods(), "default",
                     Doc(std::string("apiVersion: v1\nkind: Pod\nmetadata: {name: ") + name +
                         "}\nspec:\n  containers: [{name: c, image: i}]\n  resourceClaims:\n  - "
                         "{name: gpu, "
                         "resourceClaimName: " +
                         (std::string(name) == "p1" ? "c1" : "c2") + "}\n"))
            .ok());
  }
  ASSERT_TRUE(Eventually([&] {
    auto pod = client->Get(client::Pods(), "default", "p1");
    return pod.ok() && Str(*pod, {"spec", "nodeName"}) == "node-1";
  }));
  auto claim = client->Get(client::ResourceClaims(), "default", "c1");
  ASSERT_TRUE(claim.ok());
  EXPECT_THAT(api::WriteJson(*claim), HasSubstr(R"("device":"gpu-0")"));
  EXPECT_THAT(api::WriteJson(*claim),
              HasSubstr(R"("reservedFor":[{"resource":"pods","name":"p1")"));
  // The second pod finds no device: PodScheduled=False with the explanation, and an event.
  ASSERT_TRUE(Eventually([&] {
    auto pod = client->Get(client::Pods(), "default", "p2");
    return pod.ok() && api::WriteJson(*pod).find("Unschedulable") != std::string::npos;
  }));
  auto pod2 = client->Get(client::Pods(), "default", "p2");
  EXPECT_THAT(api::WriteJson(*pod2),
              HasSubstr("0/1 nodes are available: 1 cannot allocate all claims."));
  EXPECT_THAT(api::WriteJson(*pod2), HasSubstr("in use (gpu.example.com/node-1/gpu-0)"));
  auto events = client->List(client::Events(), "default");
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(api::WriteJson(events->items.front()), HasSubstr("FailedScheduling"));
  // A new device lets it through.
  ASSERT_TRUE(client
                  ->Create(client::ResourceSlices(), "",
                           Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: "
                               "{name: node-1-gpu-b}\nspec:\n"
                               "  driver: gpu.example.com\n  nodeName: node-1\n  pool: {name: "
                               "node-1-b, generation: 1, "
                               "resourceSliceCount: 1}\n  devices:\n  - name: gpu-1\n"))
                  .ok());
  EXPECT_TRUE(Eventually([&] {
    auto pod = client->Get(client::Pods(), "default", "p2");
    return pod.ok() && Str(*pod, {"spec", "nodeName"}) == "node-1";
  }));
  EXPECT_EQ(scheduler.scheduled_count(), 2);
  scheduler.Stop();
}

TEST(SchedulerTest, ExtendedResourceGetsASpecialClaim) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  ASSERT_TRUE(client
                  ->Create(client::Nodes(), "",
                           Doc("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n"))
                  .ok());
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
                  ->Create(client::ResourceSlices(), "",
                           Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: "
                               "{name: node-1-gpu}\nspec:\n"
                               "  driver: gpu.example.com\n  nodeName: node-1\n  pool: {name: "
                               "node-1, generation: 1, "
                               "resourceSliceCount: 1}\n  devices:\n  - name: gpu-0\n"))
                  .ok());
  Scheduler scheduler(client.get());
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(client
                  ->Create(client::Pods(), "default",
                           Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: legacy}\nspec:\n  "
                               "containers:\n  - name: cuda\n"
                               "    image: i\n    resources: {limits: {example.com/gpu: 1}}\n"))
                  .ok());
  ASSERT_TRUE(Eventually([&] {
    auto pod = client->Get(client::Pods(), "default", "legacy");
    return pod.ok() && Str(*pod, {"spec", "nodeName"}) == "node-1";
  }));
  auto pod = client->Get(client::Pods(), "default", "legacy");
  std::string claim_name =
      Str(*pod, {"status", "extendedResourceClaimStatus", "resourceClaimName"});
  ASSERT_THAT(claim_name, ::testing::StartsWith("legacy-extended-resources-"));
  EXPECT_THAT(
      api::WriteJson(*pod),
      HasSubstr(
          R"("requestMappings":[{"containerName":"cuda","resourceName":"example.com/gpu","requestName":"container-0-request-0"}])"));
  auto claim = client->Get(client::ResourceClaims(), "default", claim_name);
  ASSERT_TRUE(claim.ok());
  EXPECT_THAT(api::WriteJson(*claim), HasSubstr(R"("device":"gpu-0")"));
  EXPECT_THAT(api::WriteJson(*claim),
              HasSubstr(R"("resource.kubernetes.io/extended-resource-claim":"true")"));
  // The only device is taken: a DRA claim for the same class does not get it.
  ASSERT_TRUE(
      client
          ->Create(client::ResourceClaims(), "default",
                   Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: "
                       "c}\nspec:\n  devices:\n"
                       "    requests:\n    - name: gpu\n      exactly: {deviceClassName: gpu}\n"))
          .ok());
  ASSERT_TRUE(client
                  ->Create(client::Pods(), "default",
                           Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: dra}\nspec:\n  "
                               "containers: [{name: c, image: i}]\n"
                               "  resourceClaims:\n  - {name: gpu, resourceClaimName: c}\n"))
                  .ok());
  EXPECT_TRUE(Eventually([&] {
    auto p = client->Get(client::Pods(), "default", "dra");
    return p.ok() && api::WriteJson(*p).find("cannot allocate all claims") != std::string::npos;
  }));
  scheduler.Stop();
}

// A node with one device that has binding conditions (KEP-5007), its class and claim `c`.
void SetUpBindingConditions(client::RestClient& client) {
  ASSERT_TRUE(client
                  .Create(client::Nodes(), "",
                          Doc("apiVersion: v1\nkind: Node\nmetadata: {name: node-1}\n"))
                  .ok());
  ASSERT_TRUE(client
                  .Create(client::DeviceClasses(), "",
                          Doc("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: "
                              "gpu}\nspec:\n  selectors:\n  - cel: {expression: 'device.driver == "
                              "\"gpu.example.com\"'}\n"))
                  .ok());
  auto slice = client.Create(
      client::ResourceSlices(), "",
      Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: fabric}\nspec:\n"
          "  driver: gpu.example.com\n  nodeName: node-1\n  pool: {name: fabric, generation: 1, "
          "resourceSliceCount: 1}\n  devices:\n  - name: gpu-0\n    bindsToNode: true\n"
          "    bindingConditions: [DeviceAttached]\n"
          "    bindingFailureConditions: [AttachmentFailed]\n"));
  ASSERT_TRUE(slice.ok()) << slice.status();
  ASSERT_TRUE(client
                  .Create(client::ResourceClaims(), "default",
                          Doc("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: "
                              "{name: c}\nspec:\n  devices:\n    requests:\n    - name: gpu\n"
                              "      exactly: {deviceClassName: gpu}\n"))
                  .ok());
  ASSERT_TRUE(client
                  .Create(client::Pods(), "default",
                          Doc("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                              "  containers: [{name: c, image: i}]\n  resourceClaims:\n"
                              "  - {name: gpu, resourceClaimName: c}\n"))
                  .ok());
}

// Sets condition `type` of the claim's device to True in status.devices.
absl::Status SetDeviceCondition(client::RestClient& client, const std::string& type) {
  absl::StatusOr<api::Value> claim = client.Get(client::ResourceClaims(), "default", "c");
  if (!claim.ok()) return claim.status();
  api::Value* status = claim->FindMutable("status");
  if (status == nullptr) status = &claim->Set("status", api::Value::Object());
  api::Value devices =
      Doc("devices:\n- driver: gpu.example.com\n  pool: fabric\n  device: gpu-0\n"
          "  conditions:\n  - {type: " +
          type +
          ", status: 'True', reason: Test, message: set by the test, "
          "lastTransitionTime: '2025-01-01T00:00:00Z'}\n");
  status->Set("devices", *devices.Find("devices"));
  absl::Status s = client.UpdateStatus(client::ResourceClaims(), "default", *claim).status();
  EXPECT_TRUE(s.ok()) << s;
  return s;
}

bool Allocated(client::RestClient& client) {
  auto claim = client.Get(client::ResourceClaims(), "default", "c");
  return claim.ok() && api::WriteJson(*claim).find(R"("device":"gpu-0")") != std::string::npos;
}

TEST(SchedulerTest, BindsOnceTheBindingConditionsAreTrue) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  SetUpBindingConditions(*client);
  Scheduler scheduler(client.get());
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(Eventually([&] { return Allocated(*client); }));
  auto claim = client->Get(client::ResourceClaims(), "default", "c");
  EXPECT_THAT(api::WriteJson(*claim), HasSubstr(R"("bindingConditions":["DeviceAttached"])"));
  // Not bound while the condition is missing.
  absl::SleepFor(absl::Milliseconds(200));
  auto pod = client->Get(client::Pods(), "default", "p");
  ASSERT_TRUE(pod.ok());
  EXPECT_EQ(Str(*pod, {"spec", "nodeName"}), "");
  ASSERT_TRUE(SetDeviceCondition(*client, "DeviceAttached").ok());
  EXPECT_TRUE(Eventually([&] {
    auto p = client->Get(client::Pods(), "default", "p");
    return p.ok() && Str(*p, {"spec", "nodeName"}) == "node-1";
  }));
  EXPECT_EQ(scheduler.binding_failures(), 0);
  scheduler.Stop();
}

TEST(SchedulerTest, FailureConditionDeallocatesAndRetries) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  SetUpBindingConditions(*client);
  Scheduler scheduler(client.get());
  ASSERT_TRUE(scheduler.Start().ok());
  ASSERT_TRUE(Eventually([&] { return Allocated(*client); }));
  ASSERT_TRUE(SetDeviceCondition(*client, "AttachmentFailed").ok());
  // The claim is released (its status.devices cleared with the allocation), the pod gets the
  // reason and is scheduled again: allocated anew, waiting for the condition, not bound.
  ASSERT_TRUE(Eventually([&] { return scheduler.binding_failures() >= 1; }));
  EXPECT_TRUE(Eventually([&] {
    auto p = client->Get(client::Pods(), "default", "p");
    return p.ok() && api::WriteJson(*p).find(
                         "binding conditions not met: binding failure "
                         "condition \\\"AttachmentFailed\\\"") != std::string::npos;
  }));
  ASSERT_TRUE(Eventually([&] {
    auto claim = client->Get(client::ResourceClaims(), "default", "c");
    return claim.ok() && Allocated(*client) &&
           api::WriteJson(*claim).find("AttachmentFailed\",\"status\"") == std::string::npos;
  }));
  auto pod = client->Get(client::Pods(), "default", "p");
  EXPECT_EQ(Str(*pod, {"spec", "nodeName"}), "");
  // Attached this time.
  ASSERT_TRUE(SetDeviceCondition(*client, "DeviceAttached").ok());
  EXPECT_TRUE(Eventually([&] {
    auto p = client->Get(client::Pods(), "default", "p");
    return p.ok() && Str(*p, {"spec", "nodeName"}) == "node-1";
  }));
  scheduler.Stop();
}

TEST(SchedulerTest, BindingConditionsTimeOut) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  auto client = server.Client();
  SetUpBindingConditions(*client);
  SchedulerOptions options;
  options.binding_timeout = absl::Milliseconds(300);
  Scheduler scheduler(client.get(), options);
  ASSERT_TRUE(scheduler.Start().ok());
  EXPECT_TRUE(Eventually([&] {
    auto p = client->Get(client::Pods(), "default", "p");
    return p.ok() && api::WriteJson(*p).find("binding conditions not met: timed out after 300ms") !=
                         std::string::npos;
  }));
  EXPECT_GE(scheduler.binding_failures(), 1);
  auto pod = client->Get(client::Pods(), "default", "p");
  EXPECT_EQ(Str(*pod, {"spec", "nodeName"}), "");
  scheduler.Stop();
}

}  // namespace
}  // namespace dra::scheduler
