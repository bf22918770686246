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

constexpr std::string_view kClaim = R"({
  "apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaim",
  "metadata": {"name": "gpu", "namespace": "default", "labels": {"team": "a"}},
  "spec": {"devices": {"requests": [{"name": "r0", "exactly": {"deviceClassName": "gpu"}}]}}
})";

struct JsonPatchCase {
  std::string name;
  std::string patch;
  // Expected document (compact JSON) when code is OK, else the error message.
  std::string expected;
  absl::StatusCode code = absl::StatusCode::kOk;
};

class JsonPatchTest : public testing::TestWithParam<JsonPatchCase> {};

TEST_P(JsonPatchTest, Applies) {
  const JsonPatchCase& c = GetParam();
  const api::Value doc = J(R"({"a": {"b": 1, "c": [1, 2, 3]}, "x~y": 1, "s/t": 2})");
  auto got = ApplyJsonPatch(doc, J(c.patch));
  if (c.code == absl::StatusCode::kOk) {
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(api::WriteJson(*got), c.expected);
  } else {
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), c.code);
    EXPECT_EQ(got.status().message(), c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonPatchTest,
    testing::Values(
        JsonPatchCase{"AddMember", R"([{"op":"add","path":"/a/d","value":{"e":true}}])",
                      R"({"a":{"b":1,"c":[1,2,3],"d":{"e":true}},"x~y":1,"s/t":2})"},
        JsonPatchCase{"AddReplacesMember", R"([{"op":"add","path":"/a/b","value":5}])",
                      R"({"a":{"b":5,"c":[1,2,3]},"x~y":1,"s/t":2})"},
        JsonPatchCase{"AddArrayIndexAndEnd",
                      R"([{"op":"add","path":"/a/c/0","value":0},
                          {"op":"add","path":"/a/c/-","value":4}])",
                      R"({"a":{"b":1,"c":[0,1,2,3,4]},"x~y":1,"s/t":2})"},
        JsonPatchCase{
            "Escapes",
            R"([{"op":"remove","path":"/x~0y"},{"op":"replace","path":"/s~1t","value":3}])",
            R"({"a":{"b":1,"c":[1,2,3]},"s/t":3})"},
        JsonPatchCase{"RemoveArrayItem", R"([{"op":"remove","path":"/a/c/1"}])",
                      R"({"a":{"b":1,"c":[1,3]},"x~y":1,"s/t":2})"},
        JsonPatchCase{"ReplaceMissingMemberAdds", R"([{"op":"replace","path":"/a/z","value":1}])",
                      R"({"a":{"b":1,"c":[1,2,3],"z":1},"x~y":1,"s/t":2})"},
        JsonPatchCase{"MoveAndCopy",
                      R"([{"op":"move","from":"/a/b","path":"/b"},
                          {"op":"copy","from":"/a/c","path":"/a/d"}])",
                      R"({"a":{"c":[1,2,3],"d":[1,2,3]},"x~y":1,"s/t":2,"b":1})"},
        JsonPatchCase{"TestPasses",
                      R"([{"op":"test","path":"/a","value":{"c":[1,2,3],"b":1}},
                          {"op":"test","path":"/a/missing","value":null}])",
                      R"({"a":{"b":1,"c":[1,2,3]},"x~y":1,"s/t":2})"},
        JsonPatchCase{"TestFails", R"([{"op":"test","path":"/a/b","value":2}])",
                      "testing value /a/b failed: test failed",
                      absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{"AddMissingParent", R"([{"op":"add","path":"/q/r","value":1}])",
                      R"(add operation does not apply: doc is missing path: "/q/r": missing value)",
                      absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{"RemoveMissingMember", R"([{"op":"remove","path":"/a/zz"}])",
                      "error in remove for path: '/a/zz': Unable to remove nonexistent key: zz: "
                      "missing value",
                      absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{"ReplaceBadIndex", R"([{"op":"replace","path":"/a/c/7","value":1}])",
                      "replace operation does not apply: doc is missing key: /a/c/7: missing value",
                      absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{"AddBadIndex", R"([{"op":"add","path":"/a/c/9","value":1}])",
                      "error in add for path: '/a/c/9': Unable to access invalid index: 9: invalid "
                      "index referenced",
                      absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{
            "MoveMissingFrom", R"([{"op":"move","from":"/q/r","path":"/b"}])",
            "move operation does not apply: doc is missing from path: /q/r: missing value",
            absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{"UnknownOp", R"([{"op":"frob","path":"/a"}])", "Unexpected kind: frob",
                      absl::StatusCode::kFailedPrecondition},
        JsonPatchCase{"NotAList", R"({"op":"add"})",
                      "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
                      absl::StatusCode::kInvalidArgument},
        JsonPatchCase{"OpNotAnObject", R"(["add"])",
                      "json: cannot unmarshal string into Go value of type jsonpatch.Operation",
                      absl::StatusCode::kInvalidArgument}),
    [](const testing::TestParamInfo<JsonPatchCase>& info) { return info.param.name; });

TEST(JsonPatchTest, ResourceClaimLabels) {
  auto got = ApplyJsonPatch(J(kClaim), J(R"([
    {"op": "test", "path": "/metadata/labels/team", "value": "a"},
    {"op": "replace", "path": "/metadata/labels/team", "value": "b"},
    {"op": "add", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "trainer"}
  ])"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(api::WriteJson(*got->Find("metadata")->Find("labels")),
            R"({"team":"b","app.kubernetes.io/name":"trainer"})");
  // The patch is applied atomically: a failing later operation leaves no partial result.
  auto failed = ApplyJsonPatch(J(kClaim), J(R"([
    {"op": "remove", "path": "/metadata/labels/team"},
    {"op": "test", "path": "/metadata/labels/team", "value": "a"}
  ])"));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(failed.status().message(), "testing value /metadata/labels/team failed: test failed");
}

TEST(MergePatchTest, MergesObjectsAndDeletesNulls) {
  auto got = ApplyMergePatch(J(kClaim), J(R"({
    "metadata": {"labels": {"team": null, "tier": "gold"}, "annotations": {"a": "1", "b": null}},
    "spec": {"devices": {"requests": [{"name": "r1"}]}}
  })"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(api::WriteJson(*got),
            R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim","metadata":{"name":"gpu",)"
            R"("namespace":"default","labels":{"tier":"gold"},"annotations":{"a":"1"}},)"
            R"("spec":{"devices":{"requests":[{"name":"r1"}]}}})");
}

TEST(MergePatchTest, ScalarReplacesObject) {
  auto got = ApplyMergePatch(J(R"({"a": {"b": 1}, "c": 2})"), J(R"({"a": "x", "c": {"d": null}})"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(api::WriteJson(*got), R"({"a":"x","c":{}})");
}

TEST(MergePatchTest, RejectsNonObjectPatch) {
  auto got = ApplyMergePatch(J(kClaim), J("[1]"));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), "Invalid JSON Patch");
}

}  // namespace
}  // namespace dra::apiserver
