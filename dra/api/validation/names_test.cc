// Tests of the name, label and metadata rules against upstream's messages
// (k8s.io/apimachinery/pkg/util/validation, pkg/api/validate/content, pkg/api/validation).
#include "dra/api/validation/names.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::api {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kLabelMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr char kSubdomainMsg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr char kNamePartMsg[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr char kLabelValueMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
    "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

std::vector<std::string> Strings(const FieldErrorList& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.ToString());
  return out;
}

TEST(NamesTest, DNS1123Label) {
  EXPECT_THAT(IsDNS1123Label("my-name"), IsEmpty());
  EXPECT_THAT(IsDNS1123Label("0"), IsEmpty());
  EXPECT_THAT(IsDNS1123Label(std::string(63, 'a')), IsEmpty());
  EXPECT_THAT(IsDNS1123Label("A"), ElementsAre(kLabelMsg));
  EXPECT_THAT(IsDNS1123Label(""), ElementsAre(kLabelMsg));
  EXPECT_THAT(IsDNS1123Label("-a"), ElementsAre(kLabelMsg));
  EXPECT_THAT(IsDNS1123Label("a-"), ElementsAre(kLabelMsg));
  EXPECT_THAT(IsDNS1123Label("a.b"), ElementsAre("must not contain dots"));
  EXPECT_THAT(IsDNS1123Label(std::string(64, 'a')),
              ElementsAre("must be no more than 63 characters"));
}

TEST(NamesTest, DNS1123Subdomain) {
  EXPECT_THAT(IsDNS1123Subdomain("example.com"), IsEmpty());
  EXPECT_THAT(IsDNS1123Subdomain("a"), IsEmpty());
  EXPECT_THAT(IsDNS1123Subdomain("a..b"), ElementsAre(kSubdomainMsg));
  EXPECT_THAT(IsDNS1123Subdomain(".a"), ElementsAre(kSubdomainMsg));
  EXPECT_THAT(IsDNS1123Subdomain("Example.com"), ElementsAre(kSubdomainMsg));
  EXPECT_THAT(IsDNS1123Subdomain(""), ElementsAre(kSubdomainMsg));
  std::string long_name = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                          std::string(63, 'c') + "." + std::string(63, 'd');
  EXPECT_THAT(IsDNS1123Subdomain(long_name), ElementsAre("must be no more than 253 characters"));
}

TEST(NamesTest, CIdentifier) {
  EXPECT_THAT(IsCIdentifier("my_name"), IsEmpty());
  EXPECT_THAT(IsCIdentifier("_x9"), IsEmpty());
  const char* msg =
      "a valid C identifier must start with alphabetic character or '_', followed by a string of "
      "alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used "
      "for validation is '[A-Za-z_][A-Za-z0-9_]*')";
  EXPECT_THAT(IsCIdentifier("9abc"), ElementsAre(msg));
  EXPECT_THAT(IsCIdentifier(""), ElementsAre(msg));
  EXPECT_THAT(IsCIdentifier("a-b"), ElementsAre(msg));
}

TEST(NamesTest, QualifiedName) {
  EXPECT_THAT(IsQualifiedName("example.com/MyName"), IsEmpty());
  EXPECT_THAT(IsQualifiedName("my.name"), IsEmpty());
  EXPECT_THAT(IsQualifiedName(""), ElementsAre("name part must be non-empty", kNamePartMsg));
  EXPECT_THAT(IsQualifiedName("/a"), ElementsAre("prefix part must be non-empty"));
  EXPECT_THAT(IsQualifiedName("Example.com/a"),
              ElementsAre(std::string("prefix part ") + kSubdomainMsg));
  EXPECT_THAT(IsQualifiedName("a/"), ElementsAre("name part must be non-empty", kNamePartMsg));
  EXPECT_THAT(IsQualifiedName(std::string(64, 'a')),
              ElementsAre("name part must be no more than 63 bytes"));
  EXPECT_THAT(IsQualifiedName(std::string(254, 'a') + "/b"),
              ElementsAre("prefix part must be no more than 253 bytes"));
  EXPECT_THAT(
      IsQualifiedName("a/b/c"),
      ElementsAre("a valid label key must consist of alphanumeric characters, '-', '_' or '.', "
                  "and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                  "'my.name',  or '123-abc', regex used for validation is "
                  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain "
                  "prefix and '/' (e.g. 'example.com/MyName')"));
}

TEST(NamesTest, LabelValue) {
  EXPECT_THAT(IsValidLabelValue(""), IsEmpty());
  EXPECT_THAT(IsValidLabelValue("my_value"), IsEmpty());
  EXPECT_THAT(IsValidLabelValue("spaces not allowed"), ElementsAre(kLabelValueMsg));
  EXPECT_THAT(IsValidLabelValue(std::string(64, 'a')),
              ElementsAre("must be no more than 63 bytes"));
}

TEST(NamesTest, ValidateLabels) {
  EXPECT_THAT(ValidateLabels({{"apps.kubernetes.io/name", "test"}}, FieldPath("labels")),
              IsEmpty());
  EXPECT_THAT(Strings(ValidateLabels({{"hello-world", "spaces not allowed"}, {"!@#", "x"}},
                                     FieldPath("metadata").Child("labels"))),
              ElementsAre(std::string("metadata.labels: Invalid value: \"!@#\": ") + kNamePartMsg,
                          std::string("metadata.labels: Invalid value: \"spaces not allowed\": ") +
                              kLabelValueMsg));
}

ObjectMeta Meta(std::string name, std::string ns = "") {
  ObjectMeta meta;
  meta.name = std::move(name);
  meta.namespace_ = std::move(ns);
  return meta;
}

FieldErrorList Validate(const ObjectMeta& meta, bool namespaced = false, bool label = false) {
  return ValidateObjectMeta(meta, namespaced, label, FieldPath("metadata"));
}

TEST(ObjectMetaTest, Valid) {
  EXPECT_THAT(Validate(Meta("foo")), IsEmpty());
  EXPECT_THAT(Validate(Meta("foo", "default"), /*namespaced=*/true), IsEmpty());
  ObjectMeta generated = Meta("foo");
  generated.generate_name = "foo-";
  EXPECT_THAT(Validate(generated), IsEmpty());
}

TEST(ObjectMetaTest, Names) {
  EXPECT_THAT(Strings(Validate(Meta(""))),
              ElementsAre("metadata.name: Required value: name or generateName is required"));
  EXPECT_THAT(
      Strings(Validate(Meta("!@#$%^"))),
      ElementsAre(std::string("metadata.name: Invalid value: \"!@#$%^\": ") + kSubdomainMsg));
  EXPECT_THAT(Strings(Validate(Meta("a.b"), false, /*label=*/true)),
              ElementsAre("metadata.name: Invalid value: \"a.b\": must not contain dots"));
  ObjectMeta generated = Meta("");
  generated.generate_name = "Foo-";
  EXPECT_THAT(
      Strings(Validate(generated)),
      ElementsAre(std::string("metadata.generateName: Invalid value: \"Foo-\": ") + kSubdomainMsg,
                  "metadata.name: Required value: name or generateName is required"));
}

TEST(ObjectMetaTest, Namespace) {
  EXPECT_THAT(Strings(Validate(Meta("foo"), /*namespaced=*/true)),
              ElementsAre("metadata.namespace: Required value"));
  EXPECT_THAT(Strings(Validate(Meta("foo", "a.b"), /*namespaced=*/true)),
              ElementsAre("metadata.namespace: Invalid value: \"a.b\": must not contain dots"));
  EXPECT_THAT(Strings(Validate(Meta("foo", "default"))),
              ElementsAre("metadata.namespace: Forbidden: not allowed on this type"));
}

TEST(ObjectMetaTest, GenerationLabelsAnnotations) {
  ObjectMeta meta = Meta("foo");
  meta.generation = -1;
  meta.labels["hello-world"] = "spaces not allowed";
  meta.annotations["!@#$%^"] = "hello world";
  EXPECT_THAT(
      Strings(Validate(meta)),
      ElementsAre(
          "metadata.generation: Invalid value: -1: must be greater than or equal to 0",
          std::string("metadata.labels: Invalid value: \"spaces not allowed\": ") + kLabelValueMsg,
          std::string("metadata.annotations: Invalid value: \"!@#$%^\": ") + kNamePartMsg));
}

TEST(ObjectMetaTest, AnnotationsSize) {
  ObjectMeta meta = Meta("foo");
  meta.annotations["a"] = std::string(256 * 1024, 'x');
  EXPECT_THAT(Strings(Validate(meta)),
              ElementsAre("metadata.annotations: Too long: may not be more than 262144 bytes"));
  meta.annotations["a"] = std::string(256 * 1024 - 1, 'x');
  EXPECT_THAT(Validate(meta), IsEmpty());
}

TEST(ObjectMetaTest, Finalizers) {
  ObjectMeta meta = Meta("foo");
  meta.finalizers = {"example.com/foo", "kubernetes", "foo", "orphan", "foregroundDeletion"};
  EXPECT_THAT(
      Strings(Validate(meta)),
      ElementsAre("metadata.finalizers: Invalid value: [\"example.com/foo\",\"kubernetes\","
                  "\"foo\",\"orphan\",\"foregroundDeletion\"]: finalizer orphan and "
                  "foregroundDeletion cannot be both set",
                  "metadata.finalizers[2]: Invalid value: \"foo\": name is neither a standard "
                  "finalizer name nor is it fully qualified"));
}

TEST(ObjectMetaTest, OwnerReferences) {
  ObjectMeta meta = Meta("foo");
  meta.owner_references = {
      {"v1", "Pod", "foo", "ac051fac-2ead-46d9-b8b4-4e0fbeb7455d", true, std::nullopt},
      {"", "", "", "", true, std::nullopt},
      {"v1", "Event", "e", "u", std::nullopt, std::nullopt},
  };
  EXPECT_THAT(
      Strings(Validate(meta)),
      ElementsAre(
          "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
          "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
          "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
          "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty",
          "metadata.ownerReferences: Invalid value: [{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
          "\"name\":\"foo\",\"uid\":\"ac051fac-2ead-46d9-b8b4-4e0fbeb7455d\",\"controller\":true},"
          "{\"apiVersion\":\"\",\"kind\":\"\",\"name\":\"\",\"uid\":\"\",\"controller\":true},"
          "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"name\":\"e\",\"uid\":\"u\"}]: Only one "
          "reference can have Controller set to true. Found \"true\" in references for Pod/foo "
          "and /",
          "metadata.ownerReferences: Invalid value: {\"apiVersion\":\"v1\",\"kind\":\"Event\","
          "\"name\":\"e\",\"uid\":\"u\"}: /v1, Kind=Event is disallowed from being an owner"));
}

TEST(ObjectMetaTest, ManagedFields) {
  ObjectMeta meta = Meta("foo");
  ManagedFieldsEntry ok;
  ok.manager = "foo";
  ok.operation = "Apply";
  ok.fields_type = "FieldsV1";
  ManagedFieldsEntry bad;
  bad.manager = std::string("a\x01", 2);
  bad.operation = "Patch";
  bad.fields_type = "FieldsV2";
  bad.subresource = std::string(257, 's');
  meta.managed_fields = {ok, bad};
  EXPECT_THAT(
      Strings(Validate(meta)),
      ElementsAre(
          "metadata.managedFields[1].operation: Invalid value: \"Patch\": must be `Apply` or "
          "`Update`",
          "metadata.managedFields[1].fieldsType: Invalid value: \"FieldsV2\": must be `FieldsV1`",
          "metadata.managedFields[1].manager: Invalid value: \"a\\x01\": invalid character U+0001 "
          "(at position 1)",
          "metadata.managedFields[1].subresource: Too long: may not be more than 256 bytes"));
}

}  // namespace
}  // namespace dra::api
