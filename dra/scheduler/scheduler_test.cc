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

}  // namespace
}  // namespace dra::scheduler
