#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "dra/api/codec/json.h"
#include "dra/apiserver/patch/field_set.h"
#include "dra/apiserver/patch/patch.h"
#include "dra/base/strings.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

api::Value J(std::string_view text) {
  auto v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << " in " << text;
  return v.ok() ? *v : api::Value();
}

std::string ManagedFields(const api::Value& object) {
  const api::Value* metadata = object.Find("metadata");
  const api::Value* mf = metadata == nullptr ? nullptr : metadata->Find("managedFields");
  return mf == nullptr ? "" : api::WriteJson(*mf);
}

const PatchSchema& DeploymentSchema() { return PatchSchemaFor("apps/v1", "Deployment"); }

constexpr std::string_view kDeployment = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "resourceVersion": "5",
               "labels": {"app": "web"}},
  "spec": {
    "replicas": 1,
    "selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}},
                 "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
  }
})";

// The Deployment as `kubectl apply` (client-side) creates it: an Update by
// kubectl-client-side-apply.
api::Value CreatedByClientSideApply() {
  ApplyOptions options{.manager = "kubectl-client-side-apply", .now = "2025-01-01T00:00:00Z"};
  return UpdateManagedFields(std::nullopt, J(kDeployment), options, DeploymentSchema());
}

TEST(UpdateManagedFieldsTest, CreateRecordsEveryField) {
  api::Value created = CreatedByClientSideApply();
  EXPECT_EQ(
      ManagedFields(created),
      R"([{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1",)"
      R"("time":"2025-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":)"
      R"({"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},)"
      R"("f:template":{".":{},"f:metadata":{".":{},"f:labels":{".":{},"f:app":{}}},)"
      R"("f:spec":{".":{},"f:containers":{".":{},"k:{\"name\":\"c\"}":{".":{},"f:image":{},)"
      R"("f:name":{}}}}}}}}])");
}

TEST(UpdateManagedFieldsTest, EditTakesChangedFields) {
  api::Value created = CreatedByClientSideApply();
  api::Value edited = created;
  edited.FindMutable("spec")->Set("replicas", api::Value::Int(3));
  ApplyOptions options{.manager = "kubectl-edit", .now = "2025-01-02T00:00:00Z"};
  api::Value got = UpdateManagedFields(created, edited, options, DeploymentSchema());
  const std::string mf = ManagedFields(got);
  EXPECT_NE(mf.find(R"({"manager":"kubectl-edit","operation":"Update","apiVersion":"apps/v1",)"
                    R"("time":"2025-01-02T00:00:00Z","fieldsType":"FieldsV1",)"
                    R"("fieldsV1":{"f:spec":{"f:replicas":{}}}})"),
            std::string::npos)
      << mf;
  EXPECT_EQ(mf.find(R"("f:spec":{"f:replicas":{},"f:selector")"), std::string::npos) << mf;

  // A no-op update leaves the entries (and their times) alone.
  ApplyOptions later{.manager = "kubectl-edit", .now = "2025-01-03T00:00:00Z"};
  EXPECT_EQ(ManagedFields(UpdateManagedFields(got, got, later, DeploymentSchema())), mf);

  // `managedFields: []` resets the tracking: only the writer's changes remain.
  api::Value reset = got;
  reset.FindMutable("metadata")->Set("managedFields", api::Value::Array());
  reset.FindMutable("spec")->Set("replicas", api::Value::Int(4));
  EXPECT_EQ(ManagedFields(UpdateManagedFields(got, reset, later, DeploymentSchema())),
            R"([{"manager":"kubectl-edit","operation":"Update","apiVersion":"apps/v1",)"
            R"("time":"2025-01-03T00:00:00Z","fieldsType":"FieldsV1",)"
            R"("fieldsV1":{"f:spec":{"f:replicas":{}}}}])");
}

TEST(ServerSideApplyTest, ConflictWithClientSideApplyThenForce) {
  api::Value live = CreatedByClientSideApply();
  const api::Value applied = J(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 3}})");
  ApplyOptions options{.manager = "kubectl", .now = "2025-02-01T00:00:00Z"};
  std::vector<ApplyConflict> conflicts;
  auto got = ServerSideApply(live, applied, options, DeploymentSchema(), &conflicts);
  ASSERT_EQ(got.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(got.status().message(),
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
            "apps/v1: .spec.replicas");
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].field, ".spec.replicas");
  EXPECT_EQ(StrCat("conflict with ", DescribeConflictManager(conflicts[0])),
            "conflict with \"kubectl-client-side-apply\" using apps/v1");

  // Applying the value live already has is no conflict: the field becomes shared.
  const api::Value same = J(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web"}, "spec": {"replicas": 1}})");
  auto shared = ServerSideApply(live, same, options, DeploymentSchema());
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_NE(ManagedFields(*shared).find(R"("f:spec":{"f:replicas":{},"f:selector":{})"),
            std::string::npos);

  options.force = true;
  got = ServerSideApply(live, applied, options, DeploymentSchema(), &conflicts);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(conflicts.empty());
  EXPECT_EQ(api::WriteJson(*got->Find("spec")->Find("replicas")), "3");
  EXPECT_EQ(ManagedFields(*got),
            R"([{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1",)"
            R"("time":"2025-02-01T00:00:00Z","fieldsType":"FieldsV1",)"
            R"("fieldsV1":{"f:spec":{"f:replicas":{}}}},)"
            R"({"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1",)"
            R"("time":"2025-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":)"
            R"({"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:selector":{},)"
            R"("f:template":{".":{},"f:metadata":{".":{},"f:labels":{".":{},"f:app":{}}},)"
            R"("f:spec":{".":{},"f:containers":{".":{},"k:{\"name\":\"c\"}":{".":{},"f:image":{},)"
            R"("f:name":{}}}}}}}}])");
  // Untracked metadata survives the merge.
  EXPECT_EQ(got->Find("metadata")->Find("uid")->text(), "u-1");
}

TEST(ServerSideApplyTest, TwoAppliersConflict) {
  const PatchSchema& schema = PatchSchemaFor("v1", "ConfigMap");
  ApplyOptions a{.manager = "a", .now = "2025-01-01T00:00:00Z"};
  ApplyOptions b{.manager = "b", .now = "2025-01-02T00:00:00Z"};
  auto first = ServerSideApply(std::nullopt, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm","labels":{"x":"1","y":"1"}},"data":{"k":"v"}})"),
                               a, schema);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(
      ManagedFields(*first),
      R"([{"manager":"a","operation":"Apply","apiVersion":"v1","time":"2025-01-01T00:00:00Z",)"
      R"("fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}},"f:metadata":{"f:labels":)"
      R"({"f:x":{},"f:y":{}}}}}])");
  std::vector<ApplyConflict> conflicts;
  auto second = ServerSideApply(*first, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm","labels":{"x":"2","y":"2"}},"data":{"k":"v"}})"),
                                b, schema, &conflicts);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(second.status().message(),
            "Apply failed with 2 conflicts: conflicts with \"a\":\n- .metadata.labels.x\n"
            "- .metadata.labels.y");
  ASSERT_EQ(conflicts.size(), 2u);
  EXPECT_EQ(conflicts[1].field, ".metadata.labels.y");
  EXPECT_EQ(conflicts[1].operation, "Apply");
  EXPECT_EQ(DescribeConflictManager(conflicts[1]), "\"a\"");
}

TEST(ServerSideApplyTest, RemovesFieldsNoLongerApplied) {
  const PatchSchema& schema = PatchSchemaFor("v1", "ConfigMap");
  ApplyOptions a{.manager = "a", .now = "2025-01-01T00:00:00Z"};
  ApplyOptions b{.manager = "b", .now = "2025-01-02T00:00:00Z"};
  auto v1 = ServerSideApply(std::nullopt, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm","labels":{"x":"1","y":"1","z":"1"}}})"),
                            a, schema);
  ASSERT_TRUE(v1.ok()) << v1.status();
  // b co-owns z by applying the same value.
  auto v2 = ServerSideApply(*v1, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm","labels":{"z":"1"}}})"),
                            b, schema);
  ASSERT_TRUE(v2.ok()) << v2.status();
  auto v3 = ServerSideApply(*v2, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm","labels":{"x":"1"}}})"),
                            a, schema);
  ASSERT_TRUE(v3.ok()) << v3.status();
  EXPECT_EQ(api::WriteJson(*v3->Find("metadata")->Find("labels")), R"({"x":"1","z":"1"})");
  // Applying the same configuration again changes nothing, not even the time.
  ApplyOptions again{.manager = "a", .now = "2025-03-01T00:00:00Z"};
  auto v4 = ServerSideApply(*v3, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm","labels":{"x":"1"}}})"),
                            again, schema);
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(*v4, *v3);
  EXPECT_EQ(ManagedFields(*v4), ManagedFields(*v3));
  // Applying nothing at all gives up every field and the labels map goes with them.
  auto v5 = ServerSideApply(*v4, J(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm"}})"),
                            a, schema);
  ASSERT_TRUE(v5.ok()) << v5.status();
  EXPECT_EQ(api::WriteJson(*v5->Find("metadata")->Find("labels")), R"({"z":"1"})");
}

TEST(ServerSideApplyTest, MergesContainersByNameAndPortsByKey) {
  const PatchSchema& schema = DeploymentSchema();
  constexpr std::string_view kApp = R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web"},
    "spec":{"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80}]}]}}}})";
  ApplyOptions owner{.manager = "owner", .now = "2025-01-01T00:00:00Z"};
  auto v1 = ServerSideApply(std::nullopt, J(kApp), owner, schema);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_NE(ManagedFields(*v1).find(
                R"("f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},)"
                R"("f:containerPort":{}}})"),
            std::string::npos)
      << ManagedFields(*v1);
  ApplyOptions injector{.manager = "injector", .now = "2025-01-02T00:00:00Z"};
  auto v2 = ServerSideApply(*v1, J(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
        {"name":"sidecar","image":"proxy"}]}}}})"),
                            injector, schema);
  ASSERT_TRUE(v2.ok()) << v2.status();
  const api::Value* containers =
      v2->Find("spec")->Find("template")->Find("spec")->Find("containers");
  EXPECT_EQ(api::WriteJson(*containers),
            R"([{"name":"app","image":"nginx","ports":[{"containerPort":80}]},)"
            R"({"name":"sidecar","image":"proxy"}])");
  // The owner changes the image: no conflict, the sidecar stays.
  std::string updated(kApp);
  updated.replace(updated.find("\"nginx\""), 7, "\"nginx:2\"");
  auto v3 = ServerSideApply(*v2, J(updated), owner, schema);
  ASSERT_TRUE(v3.ok()) << v3.status();
  containers = v3->Find("spec")->Find("template")->Find("spec")->Find("containers");
  EXPECT_EQ(api::WriteJson(*containers),
            R"([{"name":"app","image":"nginx:2","ports":[{"containerPort":80}]},)"
            R"({"name":"sidecar","image":"proxy"}])");
  // The injector changing the owner's image conflicts, naming the item by key.
  std::vector<ApplyConflict> conflicts;
  auto v4 = ServerSideApply(*v3, J(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
        {"name":"sidecar","image":"proxy"},{"name":"app","image":"evil"}]}}}})"),
                            injector, schema, &conflicts);
  EXPECT_EQ(v4.status().message(),
            "Apply failed with 1 conflict: conflict with \"owner\": "
            ".spec.template.spec.containers[name=\"app\"].image");
  // The injector drops its container; it goes, the owner's stays.
  auto v5 = ServerSideApply(*v3, J(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web"}})"),
                            injector, schema);
  ASSERT_TRUE(v5.ok()) << v5.status();
  containers = v5->Find("spec")->Find("template")->Find("spec")->Find("containers");
  EXPECT_EQ(api::WriteJson(*containers),
            R"([{"name":"app","image":"nginx:2","ports":[{"containerPort":80}]}])");
  EXPECT_EQ(ManagedFields(*v5).find("injector"), std::string::npos);
}

TEST(ServerSideApplyTest, StatusSubresourceManager) {
  const PatchSchema& schema = PatchSchemaFor("resource.k8s.io/v1", "ResourceClaim");
  api::Value live = J(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
      "metadata":{"name":"c","namespace":"ns"},"spec":{"devices":{}}})");
  ApplyOptions driver{
      .manager = "gpu-driver", .now = "2025-01-01T00:00:00Z", .subresource = "status"};
  auto got = ServerSideApply(live, J(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
      "metadata":{"name":"c","namespace":"ns"},
      "status":{"devices":[{"driver":"gpu.example.com","pool":"p","device":"d0",
                            "conditions":[{"type":"Ready","status":"True"}]}]}})"),
                             driver, schema);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(
      ManagedFields(*got),
      R"([{"manager":"gpu-driver","operation":"Apply","apiVersion":"resource.k8s.io/v1",)"
      R"("time":"2025-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":)"
      R"({"f:devices":{"k:{\"device\":\"d0\",\"driver\":\"gpu.example.com\",\"pool\":\"p\"}":)"
      R"({".":{},"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:status":{},"f:type":{}}},)"
      R"("f:device":{},"f:driver":{},"f:pool":{}}}}},"subresource":"status"}])");
  ApplyConflict c{.manager = "gpu-driver",
                  .operation = "Update",
                  .api_version = "v1",
                  .subresource = "status",
                  .field = ".status"};
  EXPECT_EQ(DescribeConflictManager(c), "\"gpu-driver\" with subresource \"status\" using v1");
}

TEST(ServerSideApplyTest, SetAndAtomicLists) {
  const PatchSchema& schema = PatchSchemaFor("v1", "Pod");
  ApplyOptions a{.manager = "a", .now = "2025-01-01T00:00:00Z"};
  ApplyOptions b{.manager = "b", .now = "2025-01-02T00:00:00Z"};
  auto v1 = ServerSideApply(std::nullopt, J(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"p","finalizers":["a.io/f"]},
      "spec":{"tolerations":[{"key":"k","operator":"Exists"}]}})"),
                            a, schema);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_NE(ManagedFields(*v1).find(R"("f:finalizers":{"v:\"a.io/f\"":{}})"), std::string::npos)
      << ManagedFields(*v1);
  EXPECT_NE(ManagedFields(*v1).find(R"("f:tolerations":{})"), std::string::npos);
  // Another manager adds a finalizer: sets merge.
  auto v2 = ServerSideApply(*v1, J(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"p","finalizers":["b.io/f"]}})"),
                            b, schema);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(api::WriteJson(*v2->Find("metadata")->Find("finalizers")), R"(["a.io/f","b.io/f"])");
  // Replacing the atomic tolerations list conflicts as a whole.
  auto v3 = ServerSideApply(*v2, J(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"p"},"spec":{"tolerations":[]}})"),
                            b, schema);
  EXPECT_EQ(v3.status().message(),
            "Apply failed with 1 conflict: conflict with \"a\": .spec.tolerations");
  // a drops its finalizer; b's stays.
  auto v4 = ServerSideApply(*v2, J(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"p"},"spec":{"tolerations":[{"key":"k","operator":"Exists"}]}})"),
                            a, schema);
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(api::WriteJson(*v4->Find("metadata")->Find("finalizers")), R"(["b.io/f"])");
}

struct ApplyErrorCase {
  std::string name;
  std::string applied;
  std::string message;
};

class ServerSideApplyErrorTest : public testing::TestWithParam<ApplyErrorCase> {};

TEST_P(ServerSideApplyErrorTest, Rejects) {
  const ApplyErrorCase& c = GetParam();
  ApplyOptions options{.manager = "m", .now = "2025-01-01T00:00:00Z"};
  auto got = ServerSideApply(J(kDeployment), J(c.applied), options, DeploymentSchema());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ServerSideApplyErrorTest,
    testing::Values(
        ApplyErrorCase{"NoKind", R"({"apiVersion":"apps/v1","metadata":{"name":"web"}})",
                       "Object 'apiVersion' and 'Kind' are missing in the apply patch"},
        ApplyErrorCase{"ManagedFields",
                       R"({"apiVersion":"apps/v1","kind":"Deployment",
                           "metadata":{"name":"web","managedFields":[]}})",
                       "metadata.managedFields must be nil"},
        ApplyErrorCase{"WrongVersion",
                       R"({"apiVersion":"apps/v1beta1","kind":"Deployment",
                           "metadata":{"name":"web"}})",
                       "Incorrect version specified in apply patch. Specified patch version: "
                       "apps/v1beta1, expected: apps/v1"},
        ApplyErrorCase{"MissingKey",
                       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                           "spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})",
                       "failed to create typed patch object (apps/v1, Kind=Deployment): "
                       ".spec.template.spec.containers: element 0: associative list with keys "
                       "has an element that omits key field \"name\" (and doesn't have default "
                       "value)"},
        ApplyErrorCase{"DuplicateKey",
                       R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                           "spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"a"}]}}}})",
                       "failed to create typed patch object (apps/v1, Kind=Deployment): "
                       ".spec.template.spec.containers: duplicate entries for key [name=\"a\"]"}),
    [](const testing::TestParamInfo<ApplyErrorCase>& info) { return info.param.name; });

TEST(FieldSetTest, FieldsV1RoundTrip) {
  constexpr std::string_view kFields =
      R"({"f:metadata":{"f:finalizers":{".":{},"v:\"a/b\"":{}},"f:labels":{"f:app":{}}},)"
      R"("f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}})";
  auto set = patch_internal::FieldSet::FromFieldsV1(J(kFields));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(api::WriteJson(set->ToFieldsV1()), kFields);
  std::vector<std::string> paths;
  set->ForEach([&](const patch_internal::FieldPath& p) {
    paths.push_back(patch_internal::FieldPathString(p));
  });
  EXPECT_EQ(paths, (std::vector<std::string>{
                       ".metadata.finalizers", ".metadata.finalizers[=\"a/b\"]",
                       ".metadata.labels.app", ".spec.containers[name=\"c\"]",
                       ".spec.containers[name=\"c\"].image", ".spec.containers[name=\"c\"].name"}));
  EXPECT_FALSE(patch_internal::FieldSet::FromFieldsV1(J(R"({"x:y":{}})")).ok());
}

}  // namespace
}  // namespace dra::apiserver
