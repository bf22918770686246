#include "dra/controllers/resourceclaim_controller.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <regex>
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

using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kAllocation[] = R"({
  "devices": {"results": [{"request": "gpu", "driver": "gpu.example.com", "pool": "node-1",
                           "device": "gpu-0"}]},
  "nodeSelector": {"nodeSelectorTerms": [{"matchFields": [
    {"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}})";

api::Value Json(std::string_view text) {
  absl::StatusOr<api::Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << "\n" << text;
  return v.ok() ? *v : api::Value();
}

const api::Value* At(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* cur = &v;
  for (std::string_view key : path) {
    if (cur == nullptr) return nullptr;
    cur = cur->Find(key);
  }
  return cur;
}
std::string Str(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* found = At(v, path);
  return found != nullptr && found->is_string() ? found->text() : "";
}

// Polls `done` until it holds or 10 s passed.
bool Eventually(const std::function<bool()>& done) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class ResourceClaimControllerTest : public ::testing::Test {
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
    // One namespace per test, watched alone by its controller.
    ns_ = dra::StrCat("ns-", ++namespaces_);
    ASSERT_TRUE(client_
                    ->Create(client::Namespaces(), "",
                             Json(dra::StrCat(R"({"apiVersion":"v1","kind":"Namespace",)",
                                              R"("metadata":{"name":")", ns_, R"("}})")))
                    .ok());
    StartController();
  }
  void TearDown() override {
    if (controller_ != nullptr) controller_->Stop();
  }

  void StartController() {
    ResourceClaimControllerOptions options;
    options.ns = ns_;
    options.informer.min_backoff = absl::Milliseconds(20);
    controller_ = std::make_unique<ResourceClaimController>(client_.get(), options);
    ASSERT_TRUE(controller_->Start().ok());
    ASSERT_TRUE(controller_->WaitForSync(absl::Now() + absl::Seconds(10)));
  }

  void CreateTemplate(std::string_view name) {
    absl::StatusOr<api::Value> created = client_->Create(
        client::ResourceClaimTemplates(), ns_,
        Json(dra::StrCat(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaimTemplate",)",
                         R"("metadata":{"name":")", name, R"("},"spec":{)",
                         R"("metadata":{"labels":{"team":"a"},"annotations":{"note":"x"}},)",
                         R"("spec":{"devices":{"requests":[{"name":"gpu","exactly":)",
                         R"({"deviceClassName":"gpu.example.com"}}]}}}})")));
    ASSERT_TRUE(created.ok()) << created.status();
  }
  // A claim the user creates (no owner).
  void CreateClaim(std::string_view name) {
    absl::StatusOr<api::Value> created = client_->Create(
        client::ResourceClaims(), ns_,
        Json(dra::StrCat(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",)",
                         R"("metadata":{"name":")", name, R"("},)",
                         R"("spec":{"devices":{"requests":[{"name":"gpu","exactly":)",
                         R"({"deviceClassName":"gpu.example.com"}}]}}})")));
    ASSERT_TRUE(created.ok()) << created.status();
  }
  // A pod with one claim entry `claim` using a template or an existing claim.
  api::Value CreatePod(std::string_view name, std::string_view claim, std::string_view source,
                       bool from_template, std::string_view node = "") {
    std::string node_field = node.empty() ? "" : dra::StrCat(R"("nodeName":")", node, R"(",)");
    absl::StatusOr<api::Value> created = client_->Create(
        client::Pods(), ns_,
        Json(dra::StrCat(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")", name,
                         R"("},"spec":{)", node_field,
                         R"("containers":[{"name":"c","image":"busybox"}],)",
                         R"("resourceClaims":[{"name":")", claim, R"(",")",
                         from_template ? "resourceClaimTemplateName" : "resourceClaimName",
                         R"(":")", source, R"("}]}})")));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : api::Value();
  }

  absl::StatusOr<api::Value> GetPod(std::string_view name) {
    return client_->Get(client::Pods(), ns_, name);
  }
  absl::StatusOr<api::Value> GetClaim(std::string_view name) {
    return client_->Get(client::ResourceClaims(), ns_, name);
  }
  std::vector<api::Value> ListClaims() {
    absl::StatusOr<client::ListResult> list = client_->List(client::ResourceClaims(), ns_);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? list->items : std::vector<api::Value>{};
  }

  // The claim name recorded in the pod status for entry `claim` ("" until then).
  std::string RecordedClaim(std::string_view pod, std::string_view claim) {
    absl::StatusOr<api::Value> object = GetPod(pod);
    if (!object.ok()) return "";
    const api::Value* statuses = At(*object, {"status", "resourceClaimStatuses"});
    if (statuses == nullptr || !statuses->is_array()) return "";
    for (const api::Value& entry : statuses->items()) {
      if (Str(entry, {"name"}) == claim) return Str(entry, {"resourceClaimName"});
    }
    return "";
  }
  std::string WaitForRecordedClaim(std::string_view pod, std::string_view claim) {
    std::string name;
    Eventually([&] { return !(name = RecordedClaim(pod, claim)).empty(); });
    return name;
  }

  // Allocates `claim` and reserves it for `pod`, as the scheduler would (finalizer included).
  void AllocateAndReserve(std::string_view claim, const api::Value& pod) {
    absl::StatusOr<api::Value> object = GetClaim(claim);
    ASSERT_TRUE(object.ok()) << object.status();
    api::Value updated = *object;
    api::Value* meta = updated.FindMutable("metadata");
    meta->Set("finalizers", api::Value::Array({api::Value::String(std::string(api::kFinalizer))}));
    absl::StatusOr<api::Value> written = client_->Update(client::ResourceClaims(), ns_, updated);
    ASSERT_TRUE(written.ok()) << written.status();
    updated = *written;
    api::Value status = api::Value::Object({{"allocation", Json(kAllocation)}});
    if (!pod.is_null()) {
      status.Set("reservedFor",
                 api::Value::Array({api::Value::Object(
                     {{"resource", api::Value::String("pods")},
                      {"name", api::Value::String(Str(pod, {"metadata", "name"}))},
                      {"uid", api::Value::String(Str(pod, {"metadata", "uid"}))}})}));
    }
    updated.Set("status", std::move(status));
    written = client_->UpdateStatus(client::ResourceClaims(), ns_, updated);
    ASSERT_TRUE(written.ok()) << written.status();
  }

  static client::testing::TestServer* shared_;
  static int namespaces_;
  std::unique_ptr<client::RestClient> client_;
  std::string ns_;
  std::unique_ptr<ResourceClaimController> controller_;
};

client::testing::TestServer* ResourceClaimControllerTest::shared_ = nullptr;
int ResourceClaimControllerTest::namespaces_ = 0;

TEST(GenerateNameTest, ShortAndLongNames) {
  EXPECT_EQ(ResourceClaimController::GenerateNameFor("pod", "gpu"), "pod-gpu-");
  std::string pod(60, 'p');
  std::string claim(20, 'c');
  std::string name = ResourceClaimController::GenerateNameFor(pod, claim);
  // 82 characters shortened in proportion: 60*57/82 = 41 and 20*57/82 = 13, no trailing hyphen.
  EXPECT_EQ(name, dra::StrCat(std::string(41, 'p'), "-", std::string(13, 'c')));
  EXPECT_LE(name.size(), kMaxGenerateNameBase);
}

TEST_F(ResourceClaimControllerTest, CreatesClaimsFromTemplatesWithoutDuplicates) {
  CreateTemplate("tmpl");
  api::Value pod_a = CreatePod("pod-a", "my-gpu", "tmpl", true);
  std::string claim_a = WaitForRecordedClaim("pod-a", "my-gpu");
  ASSERT_FALSE(claim_a.empty()) << controller_->last_error();
  EXPECT_TRUE(std::regex_match(claim_a, std::regex("pod-a-my-gpu-[a-z0-9]{5}"))) << claim_a;

  absl::StatusOr<api::Value> claim = GetClaim(claim_a);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(Str(*claim, {"metadata", "generateName"}), "pod-a-my-gpu-");
  EXPECT_EQ(Str(*claim, {"metadata", "annotations", kPodClaimNameAnnotation}), "my-gpu");
  EXPECT_EQ(Str(*claim, {"metadata", "annotations", "note"}), "x");
  EXPECT_EQ(Str(*claim, {"metadata", "labels", "team"}), "a");
  const api::Value* owners = At(*claim, {"metadata", "ownerReferences"});
  ASSERT_NE(owners, nullptr);
  ASSERT_THAT(owners->items(), SizeIs(1));
  const api::Value& owner = owners->items()[0];
  EXPECT_EQ(Str(owner, {"kind"}), "Pod");
  EXPECT_EQ(Str(owner, {"apiVersion"}), "v1");
  EXPECT_EQ(Str(owner, {"name"}), "pod-a");
  EXPECT_EQ(Str(owner, {"uid"}), Str(pod_a, {"metadata", "uid"}));
  EXPECT_EQ(*At(owner, {"controller"}), api::Value::Bool(true));
  EXPECT_EQ(*At(owner, {"blockOwnerDeletion"}), api::Value::Bool(true));
  absl::StatusOr<api::Value> tmpl = client_->Get(client::ResourceClaimTemplates(), ns_, "tmpl");
  ASSERT_TRUE(tmpl.ok());
  EXPECT_EQ(*At(*claim, {"spec"}), *At(*tmpl, {"spec", "spec"}));

  CreatePod("pod-b", "my-gpu", "tmpl", true);
  std::string claim_b = WaitForRecordedClaim("pod-b", "my-gpu");
  ASSERT_FALSE(claim_b.empty()) << controller_->last_error();
  EXPECT_NE(claim_a, claim_b);
  EXPECT_EQ(controller_->claims_created(), 2);

  // A new controller finds the existing claims and creates only the third pod's.
  controller_->Stop();
  StartController();
  CreatePod("pod-c", "my-gpu", "tmpl", true);
  ASSERT_FALSE(WaitForRecordedClaim("pod-c", "my-gpu").empty()) << controller_->last_error();
  EXPECT_EQ(controller_->claims_created(), 1);
  EXPECT_THAT(ListClaims(), SizeIs(3));
  EXPECT_EQ(RecordedClaim("pod-a", "my-gpu"), claim_a);
  EXPECT_EQ(RecordedClaim("pod-b", "my-gpu"), claim_b);
}

TEST_F(ResourceClaimControllerTest, MissingTemplateIsRetried) {
  CreatePod("pod-a", "my-gpu", "later", true);
  ASSERT_TRUE(Eventually([&] { return controller_->sync_errors() > 0; }));
  EXPECT_THAT(std::string(controller_->last_error().message()),
              ::testing::HasSubstr("resource claim template \"later\""));
  EXPECT_THAT(ListClaims(), IsEmpty());
  CreateTemplate("later");
  EXPECT_FALSE(WaitForRecordedClaim("pod-a", "my-gpu").empty()) << controller_->last_error();
  EXPECT_THAT(ListClaims(), SizeIs(1));
}

TEST_F(ResourceClaimControllerTest, DeletedPodReleasesAndDeallocatesClaim) {
  CreateClaim("shared");
  api::Value pod = CreatePod("pod-a", "c", "shared", false);
  AllocateAndReserve("shared", pod);
  ASSERT_TRUE(client_->Delete(client::Pods(), ns_, "pod-a").ok());
  absl::StatusOr<api::Value> claim;
  ASSERT_TRUE(Eventually([&] {
    claim = GetClaim("shared");
    return claim.ok() && At(*claim, {"status", "reservedFor"}) == nullptr &&
           At(*claim, {"status", "allocation"}) == nullptr &&
           At(*claim, {"metadata", "finalizers"}) == nullptr;
  })) << (claim.ok() ? api::WriteJson(*claim) : claim.status().ToString())
      << controller_->last_error();
  EXPECT_EQ(controller_->claims_deallocated(), 1);
  EXPECT_EQ(controller_->claims_deleted(), 0);  // not generated: kept
}

TEST_F(ResourceClaimControllerTest, SucceededPodReleasesAndDeletesGeneratedClaim) {
  CreateTemplate("tmpl");
  api::Value pod = CreatePod("pod-a", "my-gpu", "tmpl", true);
  std::string claim_name = WaitForRecordedClaim("pod-a", "my-gpu");
  ASSERT_FALSE(claim_name.empty()) << controller_->last_error();
  AllocateAndReserve(claim_name, pod);

  // The pod finishes.
  absl::StatusOr<api::Value> current = GetPod("pod-a");
  ASSERT_TRUE(current.ok());
  api::Value updated = *current;
  updated.FindMutable("status")->Set("phase", api::Value::String("Succeeded"));
  ASSERT_TRUE(client_->UpdateStatus(client::Pods(), ns_, updated).ok());

  ASSERT_TRUE(Eventually([&] { return absl::IsNotFound(GetClaim(claim_name).status()); }))
      << controller_->last_error();
  EXPECT_EQ(controller_->claims_deallocated(), 1);
  EXPECT_EQ(controller_->claims_deleted(), 1);
  EXPECT_TRUE(GetPod("pod-a").ok());  // the pod itself stays
}

TEST_F(ResourceClaimControllerTest, DeletedPodsGeneratedClaimGoesAway) {
  CreateTemplate("tmpl");
  api::Value pod = CreatePod("pod-a", "my-gpu", "tmpl", true);
  std::string claim_name = WaitForRecordedClaim("pod-a", "my-gpu");
  ASSERT_FALSE(claim_name.empty()) << controller_->last_error();
  AllocateAndReserve(claim_name, pod);
  ASSERT_TRUE(client_->Delete(client::Pods(), ns_, "pod-a").ok());
  // Unreserved and deallocated by the controller (which removes the finalizer), then deleted
  // by the garbage collector.
  EXPECT_TRUE(Eventually([&] { return absl::IsNotFound(GetClaim(claim_name).status()); }))
      << controller_->last_error();
  EXPECT_THAT(ListClaims(), IsEmpty());
}

TEST_F(ResourceClaimControllerTest, ReservesForBoundPodAndReleasesWhenItFails) {
  CreateClaim("shared");
  AllocateAndReserve("shared", api::Value());
  api::Value pod = CreatePod("pod-a", "c", "shared", false, "node-1");
  absl::StatusOr<api::Value> claim;
  ASSERT_TRUE(Eventually([&] {
    claim = GetClaim("shared");
    return claim.ok() && At(*claim, {"status", "reservedFor"}) != nullptr;
  })) << controller_->last_error();
  const api::Value* reserved = At(*claim, {"status", "reservedFor"});
  ASSERT_THAT(reserved->items(), SizeIs(1));
  EXPECT_EQ(Str(reserved->items()[0], {"uid"}), Str(pod, {"metadata", "uid"}));

  absl::StatusOr<api::Value> current = GetPod("pod-a");
  ASSERT_TRUE(current.ok());
  api::Value updated = *current;
  updated.FindMutable("status")->Set("phase", api::Value::String("Failed"));
  ASSERT_TRUE(client_->UpdateStatus(client::Pods(), ns_, updated).ok());
  EXPECT_TRUE(Eventually([&] {
    claim = GetClaim("shared");
    return claim.ok() && At(*claim, {"status", "reservedFor"}) == nullptr &&
           At(*claim, {"status", "allocation"}) == nullptr;
  })) << controller_->last_error();
}

TEST_F(ResourceClaimControllerTest, DeletedGeneratedClaimOfRunningPodIsRecreated) {
  CreateTemplate("tmpl");
  CreatePod("pod-a", "my-gpu", "tmpl", true);
  std::string first = WaitForRecordedClaim("pod-a", "my-gpu");
  ASSERT_FALSE(first.empty()) << controller_->last_error();
  ASSERT_TRUE(client_->Delete(client::ResourceClaims(), ns_, first).ok());
  std::string second;
  ASSERT_TRUE(Eventually([&] {
    second = RecordedClaim("pod-a", "my-gpu");
    return !second.empty() && second != first;
  })) << controller_->last_error();
  EXPECT_TRUE(GetClaim(second).ok());
  EXPECT_EQ(controller_->claims_created(), 2);
}

TEST(ResourceClaimControllerTlsTest, CreatesClaimOverTls) {
  client::testing::TestServer server(client::testing::ServerOptions{.tls = true});
  ASSERT_TRUE(server.status().ok()) << server.status();
  std::unique_ptr<client::RestClient> client = server.Client();
  ASSERT_NE(client, nullptr);
  ResourceClaimController controller(client.get());
  ASSERT_TRUE(controller.Start().ok());
  EXPECT_FALSE(controller.Start().ok());  // once
  ASSERT_TRUE(controller.WaitForSync(absl::Now() + absl::Seconds(10)));
  ASSERT_TRUE(client
                  ->Create(client::ResourceClaimTemplates(), "default",
                           Json(R"({"apiVersion":"resource.k8s.io/v1",
                                    "kind":"ResourceClaimTemplate","metadata":{"name":"t"},
                                    "spec":{"spec":{"devices":{"requests":[{"name":"gpu",
                                    "exactly":{"deviceClassName":"gpu.example.com"}}]}}}})"))
                  .ok());
  ASSERT_TRUE(client
                  ->Create(client::Pods(), "default",
                           Json(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                                    "spec":{"containers":[{"name":"c","image":"busybox"}],
                                    "resourceClaims":[{"name":"c","resourceClaimTemplateName":"t"}]}})"))
                  .ok());
  EXPECT_TRUE(Eventually([&] { return controller.claims_created() == 1; }))
      << controller.last_error();
  absl::StatusOr<client::ListResult> claims = client->List(client::ResourceClaims(), "default");
  ASSERT_TRUE(claims.ok());
  ASSERT_THAT(claims->items, SizeIs(1));
  EXPECT_EQ(Str(claims->items[0], {"metadata", "generateName"}), "p-c-");
  controller.Stop();
  controller.Stop();
}

}  // namespace
}  // namespace dra::controllers
