#include "dra/controllers/workload_controllers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/client.h"
#include "dra/client/internal/test_server.h"
#include "dra/controllers/controllers.h"

namespace dra::controllers {
namespace {

api::Value Json(std::string_view text) {
  absl::StatusOr<api::Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << "\n" << text;
  return v.ok() ? *v : api::Value();
}

const api::Value* At(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* cur = &v;
  for (std::string_view key : path) {
    if (cur == nullptr || !cur->is_object()) return nullptr;
    cur = cur->Find(key);
  }
  return cur;
}
std::string Str(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* found = At(v, path);
  return found != nullptr && found->is_string() ? found->text() : "";
}
int64_t Int(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* found = At(v, path);
  return found != nullptr && found->is_number() ? found->AsInt64().value_or(-1) : -1;
}

// Polls `done` until it holds or 20 s passed.
bool Eventually(const std::function<bool()>& done) {
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

TEST(ComputeHashTest, StableAndSafe) {
  api::Value a = Json(R"({"metadata":{"labels":{"app":"x"}},"spec":{"containers":[]}})");
  api::Value b = Json(R"({"spec":{"containers":[]},"metadata":{"labels":{"app":"x"}}})");
  std::string hash = DeploymentController::ComputeHash(a, 0);
  EXPECT_EQ(hash, DeploymentController::ComputeHash(b, 0));  // key order does not matter
  EXPECT_NE(hash, DeploymentController::ComputeHash(a, 1));
  EXPECT_FALSE(hash.empty());
  EXPECT_LE(hash.size(), 10u);
  EXPECT_EQ(hash.find_first_not_of("bcdfghjklmnpqrstvwxz2456789"), std::string::npos);
}

class WorkloadControllersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new client::testing::TestServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(shared_->status().ok()) << shared_->status();
    client_ = shared_->Client();
    ASSERT_NE(client_, nullptr);
    ns_ = dra::StrCat("wl-", ++namespaces_);
    ASSERT_TRUE(client_
                    ->Create(client::Namespaces(), "",
                             Json(dra::StrCat(R"({"apiVersion":"v1","kind":"Namespace",)",
                                              R"("metadata":{"name":")", ns_, R"("}})")))
                    .ok());
    WorkloadControllerOptions options;
    options.ns = ns_;
    options.informer.min_backoff = absl::Milliseconds(20);
    replicasets_ = std::make_unique<ReplicaSetController>(client_.get(), options);
    deployments_ = std::make_unique<DeploymentController>(client_.get(), options);
    ASSERT_TRUE(replicasets_->Start().ok());
    ASSERT_TRUE(deployments_->Start().ok());
    ASSERT_TRUE(replicasets_->WaitForSync(absl::Now() + absl::Seconds(10)));
    ASSERT_TRUE(deployments_->WaitForSync(absl::Now() + absl::Seconds(10)));
  }
  void TearDown() override {
    if (deployments_ != nullptr) deployments_->Stop();
    if (replicasets_ != nullptr) replicasets_->Stop();
  }

  // The DRA documentation's example: a Deployment whose pods each get a claim from a
  // ResourceClaimTemplate.
  std::string DeploymentJson(std::string_view name, int replicas, std::string_view image) {
    return dra::StrCat(
        R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":")", name,
        R"(","labels":{"app":")", name, R"("}},"spec":{"replicas":)", replicas,
        R"(,"selector":{"matchLabels":{"app":")", name, R"("}},)",
        R"("template":{"metadata":{"labels":{"app":")", name, R"("}},"spec":{)",
        R"("containers":[{"name":"ctr0","image":")", image,
        R"(","resources":{"claims":[{"name":"gpu"}]}}],)",
        R"("resourceClaims":[{"name":"gpu","resourceClaimTemplateName":"single-gpu"}]}}}})");
  }

  std::vector<api::Value> List(const client::ResourceRef& ref) {
    absl::StatusOr<client::ListResult> list = client_->List(ref, ns_);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? list->items : std::vector<api::Value>{};
  }
  // Pods not being deleted.
  std::vector<api::Value> LivePods() {
    std::vector<api::Value> out;
    for (api::Value& pod : List(client::Pods())) {
      if (At(pod, {"metadata", "deletionTimestamp"}) == nullptr) out.push_back(std::move(pod));
    }
    return out;
  }
  // The ReplicaSet whose first container runs `image` (null while there is none).
  api::Value ReplicaSetWith(std::string_view image) {
    for (api::Value& rs : List(client::ReplicaSets())) {
      const api::Value* containers = At(rs, {"spec", "template", "spec", "containers"});
      if (containers != nullptr && containers->is_array() && !containers->items().empty() &&
          Str(containers->items()[0], {"image"}) == image) {
        return rs;
      }
    }
    return api::Value();
  }
  std::string ControllerUidOf(const api::Value& object, std::string_view kind) {
    const api::Value* refs = At(object, {"metadata", "ownerReferences"});
    if (refs == nullptr || !refs->is_array()) return "";
    for (const api::Value& ref : refs->items()) {
      const api::Value* controller = ref.Find("controller");
      if (controller != nullptr && controller->is_bool() && controller->bool_value() &&
          Str(ref, {"kind"}) == kind && Str(ref, {"apiVersion"}) == "apps/v1") {
        const api::Value* block = ref.Find("blockOwnerDeletion");
        EXPECT_TRUE(block != nullptr && block->is_bool() && block->bool_value());
        return Str(ref, {"uid"});
      }
    }
    return "";
  }

  static client::testing::TestServer* shared_;
  static int namespaces_;
  std::unique_ptr<client::RestClient> client_;
  std::string ns_;
  std::unique_ptr<ReplicaSetController> replicasets_;
  std::unique_ptr<DeploymentController> deployments_;
};

client::testing::TestServer* WorkloadControllersTest::shared_ = nullptr;
int WorkloadControllersTest::namespaces_ = 0;

TEST_F(WorkloadControllersTest, DeploymentLifecycle) {
  absl::StatusOr<api::Value> deployment =
      client_->Create(client::Deployments(), ns_, Json(DeploymentJson("web", 3, "busybox:1")));
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  const std::string d_uid = Str(*deployment, {"metadata", "uid"});

  // One ReplicaSet, three pods with the right owners and labels.
  api::Value rs;
  ASSERT_TRUE(Eventually([&] {
    rs = ReplicaSetWith("busybox:1");
    return !rs.is_null() && LivePods().size() == 3;
  })) << "pods: "
      << LivePods().size() << " last error: " << replicasets_->last_error() << " / "
      << deployments_->last_error();
  EXPECT_EQ(List(client::ReplicaSets()).size(), 1u);
  const std::string hash = Str(rs, {"metadata", "labels", kPodTemplateHashLabel});
  EXPECT_FALSE(hash.empty());
  EXPECT_EQ(Str(rs, {"metadata", "name"}), dra::StrCat("web-", hash));
  EXPECT_EQ(Str(rs, {"spec", "selector", "matchLabels", kPodTemplateHashLabel}), hash);
  EXPECT_EQ(Str(rs, {"metadata", "annotations", kRevisionAnnotation}), "1");
  EXPECT_EQ(ControllerUidOf(rs, "Deployment"), d_uid);
  const std::string rs_uid = Str(rs, {"metadata", "uid"});
  for (const api::Value& pod : LivePods()) {
    EXPECT_EQ(ControllerUidOf(pod, "ReplicaSet"), rs_uid);
    EXPECT_EQ(Str(pod, {"metadata", "labels", "app"}), "web");
    EXPECT_EQ(Str(pod, {"metadata", "labels", kPodTemplateHashLabel}), hash);
    EXPECT_TRUE(Str(pod, {"metadata", "name"}).starts_with(dra::StrCat("web-", hash, "-")));
    EXPECT_EQ(Str(pod, {"metadata", "namespace"}), ns_);
    const api::Value* claims = At(pod, {"spec", "resourceClaims"});
    ASSERT_NE(claims, nullptr);
    EXPECT_EQ(claims->items().size(), 1u);
  }
  // Statuses.
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<api::Value> got =
        client_->Get(client::ReplicaSets(), ns_, Str(rs, {"metadata", "name"}));
    absl::StatusOr<api::Value> d = client_->Get(client::Deployments(), ns_, "web");
    return got.ok() && d.ok() && Int(*got, {"status", "replicas"}) == 3 &&
           Int(*got, {"status", "fullyLabeledReplicas"}) == 3 &&
           Int(*got, {"status", "readyReplicas"}) == 0 &&
           Int(*got, {"status", "observedGeneration"}) == Int(*got, {"metadata", "generation"}) &&
           Int(*d, {"status", "replicas"}) == 3 && Int(*d, {"status", "updatedReplicas"}) == 3 &&
           Int(*d, {"status", "observedGeneration"}) == Int(*d, {"metadata", "generation"}) &&
           Str(*d, {"metadata", "annotations", kRevisionAnnotation}) == "1";
  }));

  // Scale to 1: two pods deleted.
  ASSERT_TRUE(client_
                  ->Patch(client::Deployments(), ns_, "web", client::PatchType::kMerge,
                          std::string_view(R"({"spec":{"replicas":1}})"))
                  .ok());
  EXPECT_TRUE(Eventually([&] { return LivePods().size() == 1; })) << LivePods().size();
  EXPECT_GE(replicasets_->pods_deleted(), 2);

  // A deleted pod is recreated.
  std::string victim = Str(LivePods()[0], {"metadata", "name"});
  ASSERT_TRUE(client_->Delete(client::Pods(), ns_, victim).ok());
  EXPECT_TRUE(Eventually([&] {
    std::vector<api::Value> pods = LivePods();
    return pods.size() == 1 && Str(pods[0], {"metadata", "name"}) != victim;
  }));

  // A new image: a new ReplicaSet, the old one scaled to 0, one new pod.
  ASSERT_TRUE(client_
                  ->Patch(client::Deployments(), ns_, "web", client::PatchType::kMerge,
                          std::string_view(R"({"spec":{"template":{"spec":{"containers":[)"
                                           R"({"name":"ctr0","image":"busybox:2",)"
                                           R"("resources":{"claims":[{"name":"gpu"}]}}]}}}})"))
                  .ok());
  api::Value new_rs;
  EXPECT_TRUE(Eventually([&] {
    new_rs = ReplicaSetWith("busybox:2");
    api::Value old_rs = ReplicaSetWith("busybox:1");
    std::vector<api::Value> pods = LivePods();
    return !new_rs.is_null() && !old_rs.is_null() && Int(old_rs, {"spec", "replicas"}) == 0 &&
           Int(new_rs, {"spec", "replicas"}) == 1 && pods.size() == 1 &&
           ControllerUidOf(pods[0], "ReplicaSet") == Str(new_rs, {"metadata", "uid"});
  })) << LivePods().size();
  EXPECT_EQ(Str(new_rs, {"metadata", "annotations", kRevisionAnnotation}), "2");
  EXPECT_NE(Str(new_rs, {"metadata", "name"}), Str(rs, {"metadata", "name"}));
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<api::Value> d = client_->Get(client::Deployments(), ns_, "web");
    return d.ok() && Str(*d, {"metadata", "annotations", kRevisionAnnotation}) == "2" &&
           Int(*d, {"status", "updatedReplicas"}) == 1 && Int(*d, {"status", "replicas"}) == 1;
  }));

  // Deleting the deployment: the garbage collector removes the ReplicaSets and the pods.
  ASSERT_TRUE(client_->Delete(client::Deployments(), ns_, "web").ok());
  EXPECT_TRUE(Eventually([&] {
    return List(client::ReplicaSets()).empty() && List(client::Pods()).empty();
  })) << List(client::ReplicaSets()).size()
      << " " << List(client::Pods()).size();
}

TEST_F(WorkloadControllersTest, ReplicaSetReadyStatusAndSurplusOrder) {
  absl::StatusOr<api::Value> rs = client_->Create(
      client::ReplicaSets(), ns_,
      Json(R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"plain"},)"
           R"("spec":{"replicas":2,"selector":{"matchLabels":{"app":"plain"}},)"
           R"("template":{"metadata":{"labels":{"app":"plain"}},)"
           R"("spec":{"containers":[{"name":"c","image":"busybox"}]}}}})"));
  ASSERT_TRUE(rs.ok()) << rs.status();
  ASSERT_TRUE(Eventually([&] { return LivePods().size() == 2; }));
  // Pod 0 scheduled, running and ready; pod 1 stays pending.
  api::Value ready = LivePods()[0];
  const std::string ready_name = Str(ready, {"metadata", "name"});
  ASSERT_TRUE(client_->Bind(ns_, ready_name, "node-1").ok());
  absl::StatusOr<api::Value> bound = client_->Get(client::Pods(), ns_, ready_name);
  ASSERT_TRUE(bound.ok());
  api::Value updated = *bound;
  updated.Set("status", Json(R"({"phase":"Running","conditions":[{"type":"Ready",)"
                             R"("status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}]})"));
  ASSERT_TRUE(client_->UpdateStatus(client::Pods(), ns_, updated).ok());
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<api::Value> got = client_->Get(client::ReplicaSets(), ns_, "plain");
    return got.ok() && Int(*got, {"status", "replicas"}) == 2 &&
           Int(*got, {"status", "readyReplicas"}) == 1 &&
           Int(*got, {"status", "availableReplicas"}) == 1;
  }));
  // Scale down to 1: the pending pod goes, the ready one stays.
  ASSERT_TRUE(client_
                  ->Patch(client::ReplicaSets(), ns_, "plain", client::PatchType::kMerge,
                          std::string_view(R"({"spec":{"replicas":1}})"))
                  .ok());
  EXPECT_TRUE(Eventually([&] {
    std::vector<api::Value> pods = LivePods();
    return pods.size() == 1 && Str(pods[0], {"metadata", "name"}) == ready_name;
  }));
  // A pod of someone else matching the selector is left alone and not counted.
  ASSERT_TRUE(client_
                  ->Create(client::Pods(), ns_,
                           Json(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"stray",)"
                                R"("labels":{"app":"plain"}},"spec":{"containers":)"
                                R"([{"name":"c","image":"busybox"}]}})"))
                  .ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(LivePods().size(), 2u);
  // Conflicts with the test's own writes may have been retried; nothing else failed.
  absl::Status error = replicasets_->last_error();
  EXPECT_TRUE(error.ok() || absl::IsAborted(error)) << error;
  EXPECT_EQ(replicasets_->pods_created(), 2);
}

}  // namespace
}  // namespace dra::controllers
