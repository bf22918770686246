#include <string>

#include "absl/status/status.h"
#include "dra/api/codec/json.h"
#include "dra/apiserver/patch/patch.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

api::Value J(std::string_view text) {
  auto v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << " in " << text;
  return v.ok() ? *v : api::Value();
}

constexpr std::string_view kPod = R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web", "tier": "fe"},
               "finalizers": ["a.example.com/f"]},
  "spec": {
    "containers": [
      {"name": "app", "image": "nginx:1.25", "ports": [{"containerPort": 80}],
       "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
      {"name": "istio-proxy", "image": "istio/proxyv2"}
    ],
    "volumes": [{"name": "data", "emptyDir": {}}],
    "tolerations": [{"key": "k1", "operator": "Exists"}]
  }
})";

struct SmpCase {
  std::string name;
  std::string patch;
  // JSON pointer-free check: the expected value of one top-level path, compact JSON; or the
  // error message when code is not OK.
  std::string field;  // "metadata" or "spec"
  std::string expected;
  absl::StatusCode code = absl::StatusCode::kOk;
};

class StrategicMergePatchTest : public testing::TestWithParam<SmpCase> {};

TEST_P(StrategicMergePatchTest, Applies) {
  const SmpCase& c = GetParam();
  auto got = ApplyStrategicMergePatch(J(kPod), J(c.patch), PatchSchemaFor("v1", "Pod"));
  if (c.code == absl::StatusCode::kOk) {
    ASSERT_TRUE(got.ok()) << got.status();
    const api::Value* field = got->Find(c.field);
    ASSERT_NE(field, nullptr);
    EXPECT_EQ(api::WriteJson(*field), c.expected);
  } else {
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), c.code);
    EXPECT_EQ(got.status().message(), c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StrategicMergePatchTest,
    testing::Values(
        // What `kubectl apply` (client-side) sends after the image changed and a label was
        // dropped from the manifest.
        SmpCase{
            "ClientSideApply",
            R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
                    "labels":{"tier":null}},
                    "spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"istio-proxy"}],
                    "containers":[{"image":"nginx:1.27","name":"app"}]}})",
            "spec",
            R"({"containers":[{"name":"app","image":"nginx:1.27","ports":[{"containerPort":80}],)"
            R"("env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},)"
            R"({"name":"istio-proxy","image":"istio/proxyv2"}],"volumes":[{"name":"data",)"
            R"("emptyDir":{}}],"tolerations":[{"key":"k1","operator":"Exists"}]})"},
        SmpCase{"LabelRemovedAnnotationAdded",
                R"({"metadata":{"annotations":{"x":"1"},"labels":{"tier":null,"zone":null}}})",
                "metadata",
                R"({"name":"web","namespace":"default","labels":{"app":"web"},)"
                R"("finalizers":["a.example.com/f"],"annotations":{"x":"1"}})"},
        SmpCase{
            "SetElementOrderReorders",
            R"({"spec":{"$setElementOrder/containers":[{"name":"istio-proxy"},{"name":"app"}]}})",
            "spec",
            R"({"containers":[{"name":"istio-proxy","image":"istio/proxyv2"},{"name":"app",)"
            R"("image":"nginx:1.25","ports":[{"containerPort":80}],"env":[{"name":"A",)"
            R"("value":"1"},{"name":"B","value":"2"}]}],"volumes":[{"name":"data","emptyDir":{}}],)"
            R"("tolerations":[{"key":"k1","operator":"Exists"}]})"},
        SmpCase{
            "EnvMergedByName",
            R"({"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"3"},
                    {"name":"C","value":"4"},{"name":"A","$patch":"delete"}]}]}})",
            "spec",
            R"({"containers":[{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}],)"
            R"("env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"istio-proxy",)"
            R"("image":"istio/proxyv2"}],"volumes":[{"name":"data","emptyDir":{}}],)"
            R"("tolerations":[{"key":"k1","operator":"Exists"}]})"},
        SmpCase{
            "DeleteContainerAndReplaceTolerations",
            R"({"spec":{"containers":[{"name":"istio-proxy","$patch":"delete"}],
                    "tolerations":[{"key":"k2","operator":"Exists"}]}})",
            "spec",
            R"({"containers":[{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}],)"
            R"("env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}],"volumes":[{"name":)"
            R"("data","emptyDir":{}}],"tolerations":[{"key":"k2","operator":"Exists"}]})"},
        SmpCase{
            "ReplaceList",
            R"({"spec":{"containers":[{"name":"new","image":"busybox"},{"$patch":"replace"}]}})",
            "spec",
            R"({"containers":[{"name":"new","image":"busybox"}],"volumes":[{"name":"data",)"
            R"("emptyDir":{}}],"tolerations":[{"key":"k1","operator":"Exists"}]})"},
        SmpCase{"ReplaceMap", R"({"metadata":{"labels":{"$patch":"replace","only":"this"}}})",
                "metadata",
                R"({"name":"web","namespace":"default","labels":{"only":"this"},)"
                R"("finalizers":["a.example.com/f"]})"},
        SmpCase{"FinalizersUnion", R"({"metadata":{"finalizers":["b.example.com/f"]}})", "metadata",
                R"({"name":"web","namespace":"default","labels":{"app":"web","tier":"fe"},)"
                R"("finalizers":["b.example.com/f","a.example.com/f"]})"},
        SmpCase{"DeleteFromPrimitiveList",
                R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a.example.com/f"]}})",
                "metadata",
                R"({"name":"web","namespace":"default","labels":{"app":"web","tier":"fe"},)"
                R"("finalizers":[]})"},
        SmpCase{
            "RetainKeysInVolume",
            R"({"spec":{"volumes":[{"name":"data","hostPath":{"path":"/d"},
                    "$retainKeys":["hostPath","name"]}]}})",
            "spec",
            R"({"containers":[{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}],)"
            R"("env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"istio-proxy",)"
            R"("image":"istio/proxyv2"}],"volumes":[{"name":"data","hostPath":{"path":"/d"}}],)"
            R"("tolerations":[{"key":"k1","operator":"Exists"}]})"},
        SmpCase{"MissingMergeKey", R"({"spec":{"containers":[{"image":"x"}]}})", "",
                "map: map[image:x] does not contain declared merge key: name",
                absl::StatusCode::kInvalidArgument},
        SmpCase{"UnknownDirective", R"({"metadata":{"labels":{"$patch":"frob"}}})", "",
                "unknown patch type: frob in map: map[$patch:frob]",
                absl::StatusCode::kInvalidArgument},
        SmpCase{"MergeDirectiveInList", R"({"spec":{"containers":[{"$patch":"merge"}]}})", "",
                "merging lists cannot yet be specified in the patch",
                absl::StatusCode::kInvalidArgument},
        SmpCase{"RetainKeysMissingField",
                R"({"spec":{"volumes":[{"name":"data","hostPath":{"path":"/d"},
                    "$retainKeys":["name"]}]}})",
                "", "invalid patch format of retainKeys", absl::StatusCode::kInvalidArgument}),
    [](const testing::TestParamInfo<SmpCase>& info) { return info.param.name; });

TEST(StrategicMergePatchTest, DeploymentTemplateAndStrategy) {
  const api::Value deployment = J(R"({
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
    "spec": {
      "replicas": 2,
      "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
      "template": {"metadata": {"labels": {"app": "d"}},
                   "spec": {"containers": [{"name": "c", "image": "a:1"}]}}
    }
  })");
  auto got = ApplyStrategicMergePatch(deployment, J(R"({"spec": {
      "strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null},
      "template": {"spec": {"containers": [{"name": "c", "image": "a:2"},
                                           {"name": "s", "image": "b:1"}]}}}})"),
                                      PatchSchemaFor("apps/v1", "Deployment"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(api::WriteJson(*got->Find("spec")),
            R"({"replicas":2,"strategy":{"type":"Recreate"},"template":{"metadata":{"labels":)"
            R"({"app":"d"}},"spec":{"containers":[{"name":"c","image":"a:2"},)"
            R"({"name":"s","image":"b:1"}]}}})");
}

TEST(StrategicMergePatchTest, UnknownKindReplacesLists) {
  const PatchSchema& schema = PatchSchemaFor("example.com/v1", "Widget");
  auto got = ApplyStrategicMergePatch(J(R"({"spec":{"items":[{"name":"a"}],"n":1}})"),
                                      J(R"({"spec":{"items":[{"name":"b"}]}})"), schema);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(api::WriteJson(*got), R"({"spec":{"items":[{"name":"b"}],"n":1}})");
}

TEST(StrategicMergePatchTest, ResourceClaimStatusReservedFor) {
  const api::Value claim = J(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
    "metadata":{"name":"c"},
    "status":{"reservedFor":[{"resource":"pods","name":"p1","uid":"u1"}]}})");
  auto got = ApplyStrategicMergePatch(
      claim, J(R"({"status":{"reservedFor":[{"resource":"pods","name":"p2","uid":"u2"}]}})"),
      PatchSchemaFor("resource.k8s.io/v1", "ResourceClaim"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->Find("status")->Find("reservedFor")->items().size(), 2u);
}

TEST(PatchSchemaTest, DescribesListTypes) {
  const PatchSchema& pod = PatchSchemaFor("v1", "Pod");
  const FieldSchema* ports = pod.Find("spec.containers[].ports");
  ASSERT_NE(ports, nullptr);
  EXPECT_EQ(ports->list_type, ListType::kMap);
  ASSERT_EQ(ports->keys.size(), 2u);
  EXPECT_EQ(ports->keys[0].name, "containerPort");
  EXPECT_EQ(ports->smp_merge_key, "containerPort");
  EXPECT_EQ(pod.Find("metadata.finalizers")->list_type, ListType::kSet);
  EXPECT_EQ(pod.Find("spec.tolerations"), nullptr);
  const PatchSchema& rs = PatchSchemaFor("apps/v1", "ReplicaSet");
  EXPECT_EQ(rs.Find("spec.template.spec.containers[].env")->keys[0].name, "name");
  const PatchSchema& claim = PatchSchemaFor("resource.k8s.io/v1", "ResourceClaim");
  EXPECT_EQ(claim.Find("status.devices")->keys.size(), 4u);
  EXPECT_EQ(claim.Find("spec.devices.requests"), nullptr);
  EXPECT_NE(PatchSchemaFor("v1", "Unknown").Find("metadata.ownerReferences"), nullptr);
}

}  // namespace
}  // namespace dra::apiserver
