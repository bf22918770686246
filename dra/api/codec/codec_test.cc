#include "dra/api/codec/codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dra/api/codec/json.h"
#include "dra/api/codec/yaml.h"

namespace dra::api {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(JsonTest, ParsesAndWrites) {
  auto v = ParseJson(R"({"a": [1, 2.5, "x", true, null], "b": {"c": -3e2}})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(WriteJson(*v), R"({"a":[1,2.5,"x",true,null],"b":{"c":-3e2}})");
  EXPECT_EQ(v->Find("b")->Find("c")->AsInt64(), -300);
}

TEST(JsonTest, RejectsDuplicateFieldsWithPath) {
  auto v = ParseJson(R"({"spec": {"driver": "a", "driver": "b"}})");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(std::string(v.status().message()), HasSubstr("duplicate field \"spec.driver\""));
}

TEST(JsonTest, SyntaxErrorHasPosition) {
  auto v = ParseJson("{\n  \"a\": tru\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(std::string(v.status().message()), HasSubstr("line 3"));
}

TEST(JsonTest, StreamOfDocuments) {
  auto v = ParseJsonStream("{\"a\":1}\n{\"b\":\"}\"}\n");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_THAT(*v, SizeIs(2));
}

TEST(YamlTest, Yaml11ScalarResolution) {
  auto docs = ParseYamlDocuments(R"(
a: Y
b: off
c: ~
d: 0x1F
e: 0777
f: 1_000
g: 1.5e3
h: "Y"
i: 'on'
j: 5.
k: .5
l: 012abc
m: -0
p: 1e3
n: key
)");
  ASSERT_TRUE(docs.ok()) << docs.status();
  ASSERT_THAT(*docs, SizeIs(1));
  const Value& v = (*docs)[0];
  EXPECT_TRUE(v.Find("a")->is_bool());
  EXPECT_TRUE(v.Find("a")->bool_value());
  EXPECT_FALSE(v.Find("b")->bool_value());
  EXPECT_TRUE(v.Find("c")->is_null());
  EXPECT_EQ(v.Find("d")->AsInt64(), 31);
  EXPECT_EQ(v.Find("e")->AsInt64(), 511);
  EXPECT_EQ(v.Find("f")->AsInt64(), 1000);
  EXPECT_EQ(v.Find("g")->AsDouble(), 1500);
  EXPECT_TRUE(v.Find("h")->is_string());
  EXPECT_TRUE(v.Find("i")->is_string());
  EXPECT_EQ(v.Find("j")->text(), "5.0");
  EXPECT_EQ(v.Find("k")->text(), "0.5");
  EXPECT_TRUE(v.Find("l")->is_string());
  EXPECT_EQ(v.Find("m")->AsInt64(), 0);
  EXPECT_TRUE(v.Find("p")->is_number());
  // As with kubectl, a plain `n` key is the boolean false, which JSON spells "false".
  ASSERT_NE(v.Find("false"), nullptr);
  EXPECT_EQ(v.Find("false")->text(), "key");
}

TEST(YamlTest, DuplicateKeysAreErrors) {
  auto docs = ParseYamlDocuments("a: 1\nb: 2\na: 3\n");
  ASSERT_FALSE(docs.ok());
  EXPECT_THAT(std::string(docs.status().message()), HasSubstr("line 3"));
  EXPECT_THAT(std::string(docs.status().message()), HasSubstr("key \"a\" already set in map"));
}

TEST(YamlTest, AnchorsAliasesAndMerge) {
  auto docs = ParseYamlDocuments(R"(
base: &b {x: 1, z: 2}
derived:
  <<: *b
  z: 3
list: [*b]
)");
  ASSERT_TRUE(docs.ok()) << docs.status();
  const Value& v = (*docs)[0];
  EXPECT_EQ(v.Find("derived")->Find("x")->AsInt64(), 1);
  EXPECT_EQ(v.Find("derived")->Find("z")->AsInt64(), 3);
  EXPECT_EQ(v.Find("list")->items()[0].Find("z")->AsInt64(), 2);
}

TEST(YamlTest, SyntaxErrorHasLine) {
  auto docs = ParseYamlDocuments("a: [1, 2\nb: 3\n");
  ASSERT_FALSE(docs.ok());
  EXPECT_THAT(std::string(docs.status().message()), HasSubstr("yaml: line"));
}

TEST(YamlTest, StrayFlowIndicatorIsAnErrorNotAHang) {
  for (std::string_view text : {",", ",6.M", "a: 1\n,\n"}) {
    auto docs = ParseYamlDocuments(text);
    EXPECT_FALSE(docs.ok()) << text;
  }
}

TEST(YamlTest, InfinityIsRejected) {
  auto docs = ParseYamlDocuments("a: .inf\n");
  ASSERT_FALSE(docs.ok());
  EXPECT_THAT(std::string(docs.status().message()), HasSubstr("quote it"));
}

TEST(YamlTest, InvalidUtf8IsRejected) {
  auto docs = ParseYamlDocuments("a: b\nc: \xff\n");
  ASSERT_FALSE(docs.ok());
  EXPECT_THAT(std::string(docs.status().message()), HasSubstr("line 2, column 4: invalid UTF-8"));
  EXPECT_TRUE(ParseYamlDocuments("a: \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80\n").ok());
}

TEST(YamlTest, ControlCharactersAreRejected) {
  auto docs = ParseYamlDocuments(std::string_view("a: b\x00c\n", 7));
  ASSERT_FALSE(docs.ok());
  EXPECT_THAT(std::string(docs.status().message()),
              HasSubstr("line 1, column 5: control characters are not allowed"));
  EXPECT_TRUE(ParseYamlDocuments("\xef\xbb\xbf"
                                 "a: \"tab\there\"\r\n")
                  .ok());
}

TEST(YamlTest, MultiDocumentSkipsEmpty) {
  auto docs = ParseYamlDocuments("---\na: 1\n---\n---\nb: 2\n...\n");
  ASSERT_TRUE(docs.ok()) << docs.status();
  EXPECT_THAT(*docs, SizeIs(2));
}

TEST(YamlTest, WriterQuotesAmbiguousStringsAndReadsBack) {
  Value v = Value::Object();
  for (std::string s : {"Y",
                        "no",
                        "",
                        "~",
                        "0777",
                        "1e3",
                        "1.5",
                        ".inf",
                        "- a",
                        "a: b",
                        "a #b",
                        "#x",
                        " lead",
                        "trail ",
                        "multi\nline",
                        "quote'd",
                        "tab\there",
                        "x:",
                        "2024-01-02",
                        "12:30",
                        "null",
                        "<<",
                        "*alias",
                        "&a",
                        "!tag",
                        "%p",
                        "@",
                        "`",
                        "{a}",
                        "[a]",
                        "normal-string",
                        "gpu.nvidia.com",
                        "80Gi"}) {
    v.Set("k" + std::to_string(v.members().size()), Value::String(s));
  }
  v.Set("list", Value::Array({Value::Int(1), Value::Object({{"a", Value::String("b")}}),
                              Value::Array({Value::Bool(true)})}));
  v.Set("empty_list", Value::Array());
  v.Set("empty_map", Value::Object());
  v.Set("nested", Value::Object({{"inner", Value::Object({{"deep", Value::Null()}})}}));
  std::string text = WriteYaml(v);
  auto docs = ParseYamlDocuments(text);
  ASSERT_TRUE(docs.ok()) << docs.status() << "\n" << text;
  ASSERT_THAT(*docs, SizeIs(1));
  EXPECT_EQ((*docs)[0], v) << text;
}

TEST(YamlTest, KubectlLayout) {
  auto v = ParseJson(R"({"spec":{"devices":{"requests":[{"name":"gpu","exactly":{"count":1}}]}}})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(WriteYaml(*v),
            "spec:\n"
            "  devices:\n"
            "    requests:\n"
            "    - name: gpu\n"
            "      exactly:\n"
            "        count: 1\n");
}

TEST(CodecTest, DecodesClaimStrictly) {
  auto docs = DecodeAll(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: c
  namespace: ns
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
        count: 2
)");
  ASSERT_TRUE(docs.ok()) << docs.status();
  ASSERT_THAT(*docs, SizeIs(1));
  ASSERT_TRUE((*docs)[0].ok()) << JoinFieldErrors((*docs)[0].errors);
  const auto& claim = std::get<ResourceClaim>(*(*docs)[0].object);
  EXPECT_EQ(claim.metadata.namespace_, "ns");
  ASSERT_THAT(claim.spec.devices.requests, SizeIs(1));
  EXPECT_EQ(claim.spec.devices.requests[0].exactly->count, 2);
}

TEST(CodecTest, UnknownFieldsNameThePathAndSayWhereTheyGo) {
  auto docs = DecodeAll(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: c
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.nvidia.com
      bogus: 1
)");
  ASSERT_TRUE(docs.ok()) << docs.status();
  const auto& doc = (*docs)[0];
  ASSERT_FALSE(doc.ok());
  ASSERT_THAT(doc.errors, SizeIs(2));
  EXPECT_EQ(doc.errors[0].ToString(),
            "unknown field \"spec.devices.requests[0].deviceClassName\": in resource.k8s.io/v1 "
            "this field belongs under `exactly`: write "
            "spec.devices.requests[0].exactly.deviceClassName (the request shape of v1beta1 is "
            "not valid in v1)");
  EXPECT_EQ(doc.errors[1].ToString(), "unknown field \"spec.devices.requests[0].bogus\"");
}

TEST(CodecTest, NonStrictIgnoresUnknownFields) {
  auto docs = DecodeAll(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"},"x":1})",
                        DecodeOptions{.strict = false});
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE((*docs)[0].ok());
}

TEST(CodecTest, UnquotedYIsExplained) {
  auto docs = DecodeAll(R"(
apiVersion: v1
kind: Namespace
metadata:
  name: a
  labels:
    enabled: Y
)");
  ASSERT_TRUE(docs.ok());
  const auto& doc = (*docs)[0];
  ASSERT_THAT(doc.errors, SizeIs(1));
  EXPECT_EQ(doc.errors[0].ToString(),
            "metadata.labels[enabled]: Invalid value: true: must be a string, not boolean (YAML "
            "1.1 reads the unquoted Y as a boolean; write it in quotes: \"Y\")");
}

TEST(CodecTest, WrongTypesAreReported) {
  auto docs = DecodeAll(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",
    "metadata":{"name":"c"},"spec":{"devices":{"requests":[{"name":"r","exactly":{
    "deviceClassName":"x","count":"two"}}]}}})");
  ASSERT_TRUE(docs.ok());
  const auto& doc = (*docs)[0];
  ASSERT_THAT(doc.errors, SizeIs(1));
  EXPECT_EQ(doc.errors[0].field, "spec.devices.requests[0].exactly.count");
  EXPECT_THAT(doc.errors[0].ToString(), HasSubstr("must be an integer, not string"));
}

TEST(CodecTest, QuantitiesAcceptNumbers) {
  auto docs = DecodeAll(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d.example.com
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  nodeName: node-1
  devices:
  - name: d0
    capacity:
      memory: {value: 80Gi}
      cores: {value: 8}
)");
  ASSERT_TRUE(docs.ok());
  ASSERT_TRUE((*docs)[0].ok()) << JoinFieldErrors((*docs)[0].errors);
  const auto& slice = std::get<ResourceSlice>(*(*docs)[0].object);
  EXPECT_EQ(slice.spec.devices[0].capacity.at("cores").value.ToString(), "8");
  EXPECT_EQ(slice.spec.devices[0].capacity.at("memory").value.ToString(), "80Gi");
}

TEST(CodecTest, ListsAreExpanded) {
  auto docs = ParseDocuments(R"(
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: a}}
- {apiVersion: v1, kind: Namespace, metadata: {name: b}}
---
apiVersion: v1
kind: NamespaceList
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: c}}
)");
  ASSERT_TRUE(docs.ok()) << docs.status();
  EXPECT_THAT(*docs, SizeIs(3));
}

TEST(CodecTest, MissingKindAndUnknownKind) {
  auto docs = DecodeAll(R"(
kind: ResourceClaim
metadata: {name: c}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
)");
  ASSERT_TRUE(docs.ok());
  ASSERT_THAT(*docs, SizeIs(2));
  EXPECT_THAT(std::string((*docs)[0].status.message()),
              HasSubstr("write apiVersion: resource.k8s.io/v1"));
  EXPECT_THAT(std::string((*docs)[1].status.message()), HasSubstr("no kind \"Widget\""));
}

TEST(CodecTest, WriteObjectsJsonList) {
  std::vector<Value> docs = {Value::Object({{"kind", Value::String("Namespace")}}),
                             Value::Object({{"kind", Value::String("Node")}})};
  std::string json = WriteObjects(docs, OutputFormat::kJson);
  EXPECT_THAT(json, HasSubstr("\"kind\": \"List\""));
  auto back = ParseDocuments(json);
  ASSERT_TRUE(back.ok());
  EXPECT_THAT(*back, SizeIs(2));
}

}  // namespace
}  // namespace dra::api
