#include "dra/apiserver/handler.h"

#include <filesystem>
#include <thread>

#include "dra/api/codec/json.h"
#include "dra/apiserver/controllers.h"
#include "dra/store/sqlite_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

using api::Value;
using ::testing::HasSubstr;

class HandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dra-handler-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = store::SqliteStore::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    HandlerOptions options;
    options.bookmark_interval = absl::Milliseconds(200);
    handler_ = std::make_unique<Handler>(store_.get(), options);
    ASSERT_EQ(Do("POST", "/api/v1/namespaces",
                 R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}})")
                  .code,
              201);
  }
  void TearDown() override {
    handler_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Response Do(std::string method, std::string path, std::string body = "",
              std::vector<std::pair<std::string, std::string>> query = {},
              std::string content_type = "application/json", std::string accept = "") {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    r.content_type = std::move(content_type);
    r.accept = std::move(accept);
    r.user_agent = "kubectl/v1.32.4 (linux/amd64)";
    return handler_->Handle(r);
  }
  static Value Json(const Response& r) {
    auto v = api::ParseJson(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : Value();
  }
  static std::string Str(const Value& v, std::initializer_list<std::string_view> path) {
    const Value* cur = &v;
    for (std::string_view p : path) {
      cur = cur->Find(p);
      if (cur == nullptr) return "<absent>";
    }
    return cur->is_string() ? cur->text() : api::WriteJson(*cur);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Handler> handler_;
};

constexpr char kClaim[] = R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
  "metadata":{"name":"gpu","labels":{"app":"a"}},
  "spec":{"devices":{"requests":[{"name":"gpu","exactly":{"deviceClassName":"gpu.example.com"}}]}}})";

TEST_F(HandlerTest, Discovery) {
  Value apis = Json(Do("GET", "/apis"));
  EXPECT_EQ(Str(apis, {"kind"}), "APIGroupList");
  EXPECT_THAT(api::WriteJson(apis),
              HasSubstr(R"("preferredVersion":{"groupVersion":"resource.k8s.io/v1")"));
  Value list = Json(Do("GET", "/apis/resource.k8s.io/v1"));
  EXPECT_THAT(api::WriteJson(list), HasSubstr(R"("name":"resourceclaims/status")"));
  EXPECT_THAT(api::WriteJson(Json(Do("GET", "/api/v1"))), HasSubstr(R"("name":"pods/binding")"));
  EXPECT_EQ(Do("GET", "/apis/nope.io").code, 404);
  Response aggregated =
      Do("GET", "/apis", "", {}, "",
         "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
  EXPECT_EQ(aggregated.content_type,
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  EXPECT_THAT(
      aggregated.body,
      HasSubstr(
          R"("resource":"resourceclaims","responseKind":{"group":"resource.k8s.io","version":"v1","kind":"ResourceClaim"},"scope":"Namespaced")"));
  EXPECT_THAT(aggregated.body, HasSubstr(R"("subresource":"status")"));
  EXPECT_EQ(Str(Json(Do("GET", "/version")), {"minor"}), "34");
  EXPECT_EQ(Do("GET", "/healthz").body, "ok");
  EXPECT_EQ(Do("GET", "/openapi/v3").code, 200);
  EXPECT_EQ(Do("GET", "/openapi/v3/apis/resource.k8s.io/v1").code, 200);
}

TEST_F(HandlerTest, CreateGetListUpdateDelete) {
  Response created = Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims",
                        kClaim, {{"fieldValidation", "Strict"}});
  ASSERT_EQ(created.code, 201) << created.body;
  Value claim = Json(created);
  EXPECT_EQ(Str(claim, {"metadata", "namespace"}), "default");
  EXPECT_NE(Str(claim, {"metadata", "uid"}), "<absent>");
  std::string rv = Str(claim, {"metadata", "resourceVersion"});
  EXPECT_THAT(api::WriteJson(claim), HasSubstr(R"("allocationMode":"ExactCount","count":1)"));

  Response again = Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", kClaim);
  EXPECT_EQ(again.code, 409);
  EXPECT_EQ(Str(Json(again), {"reason"}), "AlreadyExists");
  EXPECT_EQ(Str(Json(again), {"message"}), "resourceclaims.resource.k8s.io \"gpu\" already exists");

  Response got = Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu");
  EXPECT_EQ(got.code, 200);
  EXPECT_EQ(Str(Json(got), {"metadata", "resourceVersion"}), rv);

  // v1beta1 view of the same object.
  Value beta =
      Json(Do("GET", "/apis/resource.k8s.io/v1beta1/namespaces/default/resourceclaims/gpu"));
  EXPECT_EQ(Str(beta, {"apiVersion"}), "resource.k8s.io/v1beta1");
  EXPECT_THAT(api::WriteJson(beta), HasSubstr(R"("deviceClassName":"gpu.example.com")"));
  EXPECT_THAT(api::WriteJson(beta), ::testing::Not(HasSubstr("exactly")));

  // Stale resourceVersion.
  Value stale = claim;
  api::Value& meta = *stale.FindMutable("metadata");
  meta.Set("labels", Value::Object({{"app", Value::String("b")}}));
  meta.Set("resourceVersion", Value::String("1"));
  Response conflict = Do("PUT", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu",
                         api::WriteJson(stale));
  EXPECT_EQ(conflict.code, 409);
  EXPECT_THAT(Str(Json(conflict), {"message"}),
              HasSubstr("Operation cannot be fulfilled on resourceclaims.resource.k8s.io \"gpu\": "
                        "the object has been modified"));
  meta.Set("resourceVersion", Value::String(rv));
  Response updated = Do("PUT", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu",
                        api::WriteJson(stale));
  ASSERT_EQ(updated.code, 200) << updated.body;
  EXPECT_NE(Str(Json(updated), {"metadata", "resourceVersion"}), rv);

  // Immutable spec.
  Value changed = Json(updated);
  changed.FindMutable("spec")->FindMutable("devices")->mutable_members().clear();
  Response invalid = Do("PUT", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu",
                        api::WriteJson(changed));
  EXPECT_EQ(invalid.code, 422) << invalid.body;

  Value list = Json(Do("GET", "/apis/resource.k8s.io/v1/resourceclaims"));
  EXPECT_EQ(Str(list, {"kind"}), "ResourceClaimList");
  EXPECT_EQ(list.Find("items")->items().size(), 1u);
  Value filtered = Json(Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", "",
                           {{"labelSelector", "app=a"}}));
  EXPECT_EQ(filtered.Find("items")->items().size(), 0u);

  Response deleted = Do("DELETE", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu");
  EXPECT_EQ(deleted.code, 200);
  EXPECT_EQ(Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu").code, 404);
}

// Updates at a version that was current a moment ago (and that the registry still holds
// decoded) are conflicts, whatever else is wrong with them, as at any stale version.
TEST_F(HandlerTest, RecentlyStaleVersionsConflict) {
  const std::string path = "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims";
  Response created = Do("POST", path, kClaim);
  ASSERT_EQ(created.code, 201) << created.body;
  Value first = Json(created);
  Value labelled = first;
  labelled.FindMutable("metadata")->Set("labels", Value::Object({{"a", Value::String("1")}}));
  Response updated = Do("PUT", path + "/gpu", api::WriteJson(labelled));
  ASSERT_EQ(updated.code, 200) << updated.body;

  // Changed at the first version: the store refuses the write.
  Value other = first;
  other.FindMutable("metadata")->Set("labels", Value::Object({{"a", Value::String("2")}}));
  EXPECT_EQ(Do("PUT", path + "/gpu", api::WriteJson(other)).code, 409);
  // Unchanged at the first version: nothing to write, still a conflict.
  EXPECT_EQ(Do("PUT", path + "/gpu", api::WriteJson(first)).code, 409);
  // Invalid at the first version (spec is immutable): the conflict comes first.
  Value invalid = first;
  invalid.FindMutable("spec")->FindMutable("devices")->mutable_members().clear();
  EXPECT_EQ(Do("PUT", path + "/gpu", api::WriteJson(invalid)).code, 409);
  // Dry run at the first version.
  EXPECT_EQ(Do("PUT", path + "/gpu", api::WriteJson(other), {{"dryRun", "All"}}).code, 409);
  // Deleted meanwhile: not found.
  ASSERT_EQ(Do("DELETE", path + "/gpu").code, 200);
  EXPECT_EQ(Do("PUT", path + "/gpu", api::WriteJson(Json(updated))).code, 404);
  // The current version still updates.
  ASSERT_EQ(Do("POST", path, kClaim).code, 201);
  Value again = Json(Do("GET", path + "/gpu"));
  again.FindMutable("metadata")->Set("labels", Value::Object({{"a", Value::String("3")}}));
  EXPECT_EQ(Do("PUT", path + "/gpu", api::WriteJson(again)).code, 200);
}

TEST_F(HandlerTest, ValidationAndDecodingErrors) {
  Response bad = Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims",
                    R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
                        "metadata":{"name":"x"},"spec":{"devices":{"requests":[{"name":"r"}]}}})");
  EXPECT_EQ(bad.code, 422) << bad.body;
  Value status = Json(bad);
  EXPECT_EQ(Str(status, {"reason"}), "Invalid");
  EXPECT_THAT(Str(status, {"message"}),
              HasSubstr("ResourceClaim.resource.k8s.io \"x\" is invalid"));
  EXPECT_THAT(api::WriteJson(status), HasSubstr(R"("field":"spec.devices.requests[0]")"));

  Response unknown = Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims",
                        R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
                            "metadata":{"name":"y"},"spec":{"bogus":1}})",
                        {{"fieldValidation", "Strict"}});
  EXPECT_EQ(unknown.code, 400);
  EXPECT_THAT(Str(Json(unknown), {"message"}),
              HasSubstr("strict decoding error: unknown field \"spec.bogus\""));
  Response warned = Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims",
                       R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
                           "metadata":{"name":"y"},"spec":{"bogus":1}})",
                       {{"fieldValidation", "Warn"}});
  EXPECT_EQ(warned.code, 201) << warned.body;
  ASSERT_EQ(warned.warnings.size(), 1u);
  EXPECT_THAT(warned.warnings[0], HasSubstr("unknown field \"spec.bogus\""));

  Response ignored = Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims",
                        R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
                            "metadata":{"name":"z"},"spec":{"bogus":1}})",
                        {{"fieldValidation", "Ignore"}});
  EXPECT_EQ(ignored.code, 201) << ignored.body;
  EXPECT_TRUE(ignored.warnings.empty());
  EXPECT_THAT(ignored.body, ::testing::Not(HasSubstr("bogus")));
  // Status rules: reservedFor needs an allocation.
  Value claim = Json(Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/z"));
  claim.Set("status",
            *api::ParseJson(R"({"reservedFor":[{"resource":"pods","name":"p","uid":"u"}]})"));
  Response status_write =
      Do("PUT", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/z/status",
         api::WriteJson(claim));
  EXPECT_EQ(status_write.code, 422) << status_write.body;
  EXPECT_THAT(status_write.body, HasSubstr("status.reservedFor"));
  EXPECT_EQ(
      Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", "{not json").code,
      400);
  EXPECT_EQ(Do("POST", "/apis/resource.k8s.io/v1/namespaces/nope/resourceclaims", kClaim).code,
            404);
  std::string big(4 * 1024 * 1024, ' ');
  EXPECT_EQ(Do("POST", "/api/v1/namespaces", big).code, 413);
}

TEST_F(HandlerTest, GenerateNameDryRunAndTable) {
  std::string body = R"({"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-"},
      "spec":{"containers":[{"name":"c","image":"nginx"}]}})";
  Response dry = Do("POST", "/api/v1/namespaces/default/pods", body, {{"dryRun", "All"}});
  ASSERT_EQ(dry.code, 201) << dry.body;
  EXPECT_EQ(Json(Do("GET", "/api/v1/pods")).Find("items")->items().size(), 0u);
  Response created = Do("POST", "/api/v1/namespaces/default/pods", body);
  ASSERT_EQ(created.code, 201) << created.body;
  Value pod = Json(created);
  EXPECT_THAT(Str(pod, {"metadata", "name"}), ::testing::MatchesRegex("web-[a-z0-9]{5}"));
  EXPECT_EQ(Str(pod, {"status", "phase"}), "Pending");
  EXPECT_EQ(Str(pod, {"status", "qosClass"}), "BestEffort");

  Response table = Do("GET", "/api/v1/namespaces/default/pods", "", {}, "",
                      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
  Value t = Json(table);
  EXPECT_EQ(Str(t, {"kind"}), "Table");
  EXPECT_THAT(api::WriteJson(t), HasSubstr(R"("name":"Ready")"));

  // Binding.
  std::string name = Str(pod, {"metadata", "name"});
  Response bound = Do("POST", "/api/v1/namespaces/default/pods/" + name + "/binding",
                      R"({"apiVersion":"v1","kind":"Binding","metadata":{"name":")" + name +
                          R"("},"target":{"kind":"Node","name":"node-1"}})");
  EXPECT_EQ(bound.code, 201) << bound.body;
  EXPECT_EQ(Str(Json(Do("GET", "/api/v1/namespaces/default/pods/" + name)), {"spec", "nodeName"}),
            "node-1");
  EXPECT_EQ(Do("POST", "/api/v1/namespaces/default/pods/" + name + "/binding",
               R"({"target":{"kind":"Node","name":"node-2"}})")
                .code,
            409);
}

TEST_F(HandlerTest, PatchTypes) {
  ASSERT_EQ(Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", kClaim).code,
            201);
  std::string path = "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/gpu";
  Response merge = Do("PATCH", path, R"({"metadata":{"labels":{"tier":"x"}}})", {},
                      "application/merge-patch+json");
  ASSERT_EQ(merge.code, 200) << merge.body;
  EXPECT_EQ(Str(Json(merge), {"metadata", "labels", "tier"}), "x");
  Response json = Do("PATCH", path, R"([{"op":"remove","path":"/metadata/labels/tier"}])", {},
                     "application/json-patch+json");
  ASSERT_EQ(json.code, 200) << json.body;
  EXPECT_EQ(Str(Json(json), {"metadata", "labels", "tier"}), "<absent>");
  Response failed = Do("PATCH", path, R"([{"op":"test","path":"/metadata/name","value":"z"}])", {},
                       "application/json-patch+json");
  EXPECT_EQ(failed.code, 422) << failed.body;
  Response smp = Do("PATCH", path, R"({"metadata":{"annotations":{"a":"b"}}})", {},
                    "application/strategic-merge-patch+json");
  EXPECT_EQ(smp.code, 200) << smp.body;
  Response unsupported = Do("PATCH", path, "{}", {}, "text/plain");
  EXPECT_EQ(unsupported.code, 415);

  // Server-side apply: create, then a conflicting apply by another manager.
  std::string applied = R"({"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass",
      "metadata":{"name":"gpu","labels":{"owner":"one"}}})";
  Response apply = Do("PATCH", "/apis/resource.k8s.io/v1/deviceclasses/gpu", applied,
                      {{"fieldManager", "one"}}, "application/apply-patch+yaml");
  ASSERT_EQ(apply.code, 200) << apply.body;
  EXPECT_THAT(apply.body, HasSubstr(R"("manager":"one","operation":"Apply")"));
  std::string other = R"({"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass",
      "metadata":{"name":"gpu","labels":{"owner":"two"}}})";
  Response conflict = Do("PATCH", "/apis/resource.k8s.io/v1/deviceclasses/gpu", other,
                         {{"fieldManager", "two"}}, "application/apply-patch+yaml");
  EXPECT_EQ(conflict.code, 409) << conflict.body;
  EXPECT_THAT(conflict.body, HasSubstr("FieldManagerConflict"));
  Response forced =
      Do("PATCH", "/apis/resource.k8s.io/v1/deviceclasses/gpu", other,
         {{"fieldManager", "two"}, {"force", "true"}}, "application/apply-patch+yaml");
  EXPECT_EQ(forced.code, 200) << forced.body;
}

TEST_F(HandlerTest, Pagination) {
  for (int i = 0; i < 7; ++i) {
    std::string body =
        R"({"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass","metadata":{"name":"c)" +
        std::to_string(i) + R"("}})";
    ASSERT_EQ(Do("POST", "/apis/resource.k8s.io/v1/deviceclasses", body).code, 201);
  }
  std::vector<std::string> names;
  std::string token;
  int pages = 0;
  do {
    std::vector<std::pair<std::string, std::string>> q = {{"limit", "3"}};
    if (!token.empty()) q.emplace_back("continue", token);
    Value page = Json(Do("GET", "/apis/resource.k8s.io/v1/deviceclasses", "", q));
    for (const Value& item : page.Find("items")->items())
      names.push_back(Str(item, {"metadata", "name"}));
    token = Str(page, {"metadata", "continue"});
    if (token == "<absent>") token.clear();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names.size(), 7u);
  EXPECT_EQ(Do("GET", "/apis/resource.k8s.io/v1/deviceclasses", "", {{"continue", "garbage"}}).code,
            400);
}

TEST_F(HandlerTest, WatchDeliversEventsAndBookmarks) {
  Response watch = Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", "",
                      {{"watch", "true"}, {"allowWatchBookmarks", "true"}});
  ASSERT_EQ(watch.code, 200) << watch.body;
  ASSERT_NE(watch.stream, nullptr);
  ASSERT_EQ(Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", kClaim).code,
            201);
  auto chunk = watch.stream->Next(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(chunk.ok()) << chunk.status();
  EXPECT_THAT(*chunk, HasSubstr(R"({"type":"ADDED","object":{"apiVersion":"resource.k8s.io/v1")"));
  auto bookmark = watch.stream->Next(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(bookmark.ok()) << bookmark.status();
  EXPECT_THAT(*bookmark, HasSubstr(R"("type":"BOOKMARK")"));
  EXPECT_EQ(handler_->open_watches(), 1);
  {
    // Beyond the bound on open watches: 429.
    HandlerOptions bounded;
    bounded.max_watches = 1;
    Handler limited(store_.get(), bounded);
    Request r{.method = "GET", .path = "/api/v1/pods", .query = {{"watch", "1"}}};
    Response first = limited.Handle(r);
    ASSERT_NE(first.stream, nullptr);
    Response second = limited.Handle(r);
    EXPECT_EQ(second.code, 429) << second.body;
  }
  watch.stream.reset();
  EXPECT_EQ(handler_->open_watches(), 0);

  // Expired history: an ERROR event with 410.
  ASSERT_TRUE(store_->Compact(*store_->CurrentRevision()).ok());
  Response old = Do("GET", "/apis/resource.k8s.io/v1/resourceclaims", "",
                    {{"watch", "1"}, {"resourceVersion", "1"}});
  ASSERT_NE(old.stream, nullptr);
  auto error = old.stream->Next(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(error.ok());
  EXPECT_THAT(*error, HasSubstr(R"("type":"ERROR")"));
  EXPECT_THAT(*error, HasSubstr(R"("code":410)"));
  EXPECT_THAT(*error, HasSubstr("too old resource version"));
}

TEST_F(HandlerTest, AdminAccessNeedsLabelledNamespace) {
  std::string claim = R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
      "metadata":{"name":"admin"},"spec":{"devices":{"requests":[{"name":"r",
      "exactly":{"deviceClassName":"c","adminAccess":true}}]}}})";
  Response refused =
      Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", claim);
  EXPECT_EQ(refused.code, 422);
  EXPECT_THAT(Str(Json(refused), {"message"}),
              HasSubstr("spec.devices.requests[0].exactly.adminAccess: Forbidden: admin access to "
                        "devices requires the `resource.kubernetes.io/admin-access: true` label on "
                        "the containing namespace"));
  ASSERT_EQ(
      Do("POST", "/api/v1/namespaces",
         R"({"metadata":{"name":"ops","labels":{"resource.kubernetes.io/admin-access":"true"}}})")
          .code,
      201);
  EXPECT_EQ(Do("POST", "/apis/resource.k8s.io/v1/namespaces/ops/resourceclaims", claim).code, 201);
}

TEST_F(HandlerTest, FinalizersAndGarbageCollection) {
  Controllers controllers(&handler_->registry());
  ASSERT_TRUE(controllers.Start().ok());
  auto wait_for = [&](auto predicate) {
    for (int i = 0; i < 200 && !predicate(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return predicate();
  };

  // A finalizer holds the object with a deletionTimestamp until it is removed.
  ASSERT_EQ(Do("POST", "/apis/resource.k8s.io/v1/deviceclasses",
               R"({"metadata":{"name":"held","finalizers":["example.com/hold"]}})")
                .code,
            201);
  Response pending = Do("DELETE", "/apis/resource.k8s.io/v1/deviceclasses/held");
  EXPECT_EQ(pending.code, 200);
  EXPECT_NE(Str(Json(pending), {"metadata", "deletionTimestamp"}), "<absent>");
  EXPECT_EQ(Do("GET", "/apis/resource.k8s.io/v1/deviceclasses/held").code, 200);
  EXPECT_EQ(Do("PATCH", "/apis/resource.k8s.io/v1/deviceclasses/held",
               R"({"metadata":{"finalizers":null}})", {}, "application/merge-patch+json")
                .code,
            200);
  EXPECT_EQ(Do("GET", "/apis/resource.k8s.io/v1/deviceclasses/held").code, 404);

  // Background propagation: the dependent goes after its owner.
  Value owner =
      Json(Do("POST", "/api/v1/namespaces/default/pods",
              R"({"metadata":{"name":"owner"},"spec":{"containers":[{"name":"c","image":"i"}]}})"));
  std::string uid = Str(owner, {"metadata", "uid"});
  std::string dependent =
      std::string(
          R"({"metadata":{"name":"dep","ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"owner","uid":")") +
      uid + R"("}]},"spec":{"devices":{"requests":[]}}})";
  ASSERT_EQ(
      Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", dependent).code,
      201);
  EXPECT_EQ(Do("DELETE", "/api/v1/namespaces/default/pods/owner").code, 200);
  EXPECT_TRUE(wait_for([&] {
    return Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/dep").code == 404;
  }));

  // Orphan propagation keeps the dependent and drops its reference.
  owner = Json(
      Do("POST", "/api/v1/namespaces/default/pods",
         R"({"metadata":{"name":"owner2"},"spec":{"containers":[{"name":"c","image":"i"}]}})"));
  uid = Str(owner, {"metadata", "uid"});
  dependent =
      std::string(
          R"({"metadata":{"name":"dep2","ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"owner2","uid":")") +
      uid + R"("}]},"spec":{"devices":{"requests":[]}}})";
  ASSERT_EQ(
      Do("POST", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims", dependent).code,
      201);
  EXPECT_EQ(
      Do("DELETE", "/api/v1/namespaces/default/pods/owner2", R"({"propagationPolicy":"Orphan"})")
          .code,
      200);
  EXPECT_TRUE(
      wait_for([&] { return Do("GET", "/api/v1/namespaces/default/pods/owner2").code == 404; }));
  Value kept = Json(Do("GET", "/apis/resource.k8s.io/v1/namespaces/default/resourceclaims/dep2"));
  EXPECT_EQ(Str(kept, {"metadata", "ownerReferences"}), "<absent>");

  // Namespace deletion empties the namespace first; a finalizer of its own keeps it Terminating
  // (refusing new objects) until it is removed.
  ASSERT_EQ(Do("POST", "/api/v1/namespaces",
               R"({"metadata":{"name":"gone","finalizers":["example.com/hold"]}})")
                .code,
            201);
  ASSERT_EQ(Do("POST", "/apis/resource.k8s.io/v1/namespaces/gone/resourceclaims", kClaim).code,
            201);
  Value terminating = Json(Do("DELETE", "/api/v1/namespaces/gone"));
  EXPECT_EQ(Str(terminating, {"status", "phase"}), "Terminating");
  EXPECT_EQ(Do("POST", "/apis/resource.k8s.io/v1/namespaces/gone/resourceclaims",
               R"({"metadata":{"name":"late"},"spec":{"devices":{"requests":[]}}})")
                .code,
            403);
  EXPECT_TRUE(wait_for([&] {
    return Do("GET", "/apis/resource.k8s.io/v1/namespaces/gone/resourceclaims/gpu").code == 404;
  }));
  EXPECT_EQ(Do("GET", "/api/v1/namespaces/gone").code, 200);
  EXPECT_EQ(Do("PATCH", "/api/v1/namespaces/gone", R"({"metadata":{"finalizers":null}})", {},
               "application/merge-patch+json")
                .code,
            200);
  EXPECT_TRUE(wait_for([&] { return Do("GET", "/api/v1/namespaces/gone").code == 404; }));
  controllers.Stop();
}

TEST_F(HandlerTest, ServesTheWebPage) {
  for (const char* path : {"/ui", "/ui/"}) {
    Response page = Do("GET", path);
    EXPECT_EQ(page.code, 200) << path;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_THAT(page.body, HasSubstr("<script src=\"/ui/ui.js\""));
    bool csp = false;
    for (const auto& [name, value] : page.headers) {
      if (name == "Content-Security-Policy") {
        csp = value.find("script-src 'self'") != std::string::npos;
      }
    }
    EXPECT_TRUE(csp) << path;
  }
  Response script = Do("GET", "/ui/ui.js");
  EXPECT_EQ(script.code, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_THAT(script.body, HasSubstr("resource.k8s.io/v1/resourceslices"));
  EXPECT_EQ(Do("GET", "/ui/ui.css").code, 200);
  EXPECT_EQ(Do("GET", "/ui/missing.js").code, 404);
  EXPECT_EQ(Do("POST", "/ui", "{}").code, 405);
}

}  // namespace
}  // namespace dra::apiserver
