// Tests of the resource.k8s.io validation rules, modelled on upstream's test tables
// (pkg/apis/resource/validation/validation_*_test.go): each rule with a valid case and its invalid
// cases, asserting upstream's exact error strings. The conformance test at the end validates every
// class, slice and claim of the shared allocator conformance files, which are valid by
// construction, to guard against false positives.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/api/codec/yaml.h"
#include "dra/api/defaults.h"
#include "dra/api/validation/validation.h"
#include "dra/base/strings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::api {
namespace {

namespace fs = std::filesystem;
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
constexpr char kCIdentMsg[] =
    "a valid C identifier must start with alphabetic character or '_', followed by a string of "
    "alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for "
    "validation is '[A-Za-z_][A-Za-z0-9_]*')";
constexpr char kNamePartMsg[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr char kLabelValueMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
    "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
constexpr char kRefMsg[] =
    "must be the name of a request in the claim or the name of a request and a subrequest "
    "separated by '/'";
constexpr char kBadName[] = "!@#$%^";
constexpr char kUid[] = "ac051fac-2ead-46d9-b8b4-4e0fbeb7455d";

std::string S(const std::string& a, const std::string& b) { return a + b; }

std::vector<std::string> Strings(const FieldErrorList& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.ToString());
  return out;
}

Value Json(const std::string& text) {
  auto v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

DeviceSelector Cel(std::string expression) {
  DeviceSelector s;
  s.cel = CELDeviceSelector{std::move(expression)};
  return s;
}

OpaqueDeviceConfiguration Opaque(std::string driver, const std::string& params) {
  return OpaqueDeviceConfiguration{std::move(driver), Json(params)};
}

// ---------------------------------------------------------------------------------------------
// DeviceClass

DeviceClass MakeClass(std::string name = "class") {
  DeviceClass c;
  c.metadata.name = std::move(name);
  return c;
}

TEST(DeviceClassTest, Valid) {
  DeviceClass c = MakeClass();
  c.spec.selectors = {Cel("device.driver == \"x\"")};
  c.spec.config = {{Opaque("dra.example.com", R"({"foo":42})")}};
  c.spec.extended_resource_name = "example.com/gpu";
  EXPECT_THAT(ValidateDeviceClass(c), IsEmpty());
}

TEST(DeviceClassTest, Name) {
  EXPECT_THAT(Strings(ValidateDeviceClass(MakeClass(""))),
              ElementsAre("metadata.name: Required value: name or generateName is required"));
  EXPECT_THAT(Strings(ValidateDeviceClass(MakeClass(kBadName))),
              ElementsAre(S("metadata.name: Invalid value: \"!@#$%^\": ", kSubdomainMsg)));
  EXPECT_THAT(Strings(ValidateDeviceClass(MakeClass(std::string(254, 'a')))),
              ElementsAre(S("metadata.name: Invalid value: \"" + std::string(254, 'a') + "\": ",
                            "must be no more than 253 bytes")));
  DeviceClass generated = MakeClass("");
  generated.metadata.generate_name = "class-";
  EXPECT_THAT(Strings(ValidateDeviceClass(generated)),
              ElementsAre("metadata.name: Internal error: generateName was specified "
                          "(\"class-\"), but no name was generated",
                          "metadata.name: Required value: name or generateName is required"));
  DeviceClass namespaced = MakeClass();
  namespaced.metadata.namespace_ = "default";
  namespaced.metadata.labels["hello-world"] = "spaces not allowed";
  EXPECT_THAT(
      Strings(ValidateDeviceClass(namespaced)),
      ElementsAre("metadata.namespace: Forbidden: not allowed on this type",
                  S("metadata.labels: Invalid value: \"spaces not allowed\": ", kLabelValueMsg)));
}

TEST(DeviceClassTest, ExtendedResourceName) {
  for (const std::string& bad : {std::string("example.com"), std::string("kubernetes.io/gpu"),
                                 std::string("requests.example.com/gpu"), std::string("a/b/c"),
                                 "example.com/" + std::string(64, 'a')}) {
    DeviceClass c = MakeClass();
    c.spec.extended_resource_name = bad;
    EXPECT_THAT(Strings(ValidateDeviceClass(c)),
                ElementsAre(S(S("spec.extendedResourceName: Invalid value: \"", bad),
                              "\": must be a valid extended resource name")))
        << bad;
  }
}

TEST(DeviceClassTest, Selectors) {
  DeviceClass c = MakeClass();
  c.spec.selectors = {Cel("true"), DeviceSelector{}, Cel(std::string(10 * 1024 + 1, 'x'))};
  EXPECT_THAT(Strings(ValidateDeviceClass(c)),
              ElementsAre("spec.selectors[1].cel: Required value",
                          "spec.selectors[2].cel.expression: Too long: may not be more than "
                          "10240 bytes"));
  c.spec.selectors.assign(33, Cel("true"));
  EXPECT_THAT(Strings(ValidateDeviceClass(c)),
              ElementsAre("spec.selectors: Too many: 33: must have at most 32 items"));
}

TEST(DeviceClassTest, CelHook) {
  ValidationOptions options;
  std::vector<std::string> seen;
  options.check_cel_selector = [&](std::string_view expression, const FieldPath& path) {
    seen.push_back(path.str() + "=" + std::string(expression));
    FieldErrorList errs;
    if (expression == "noSuchVar") {
      errs.push_back(InvalidStringError(path, expression, "compilation failed"));
    }
    return errs;
  };
  DeviceClass c = MakeClass();
  c.spec.selectors = {Cel("true"), Cel("noSuchVar"), Cel(std::string(10 * 1024 + 1, 'x'))};
  EXPECT_THAT(Strings(ValidateDeviceClass(c, options)),
              ElementsAre("spec.selectors[1].cel.expression: Invalid value: \"noSuchVar\": "
                          "compilation failed",
                          "spec.selectors[2].cel.expression: Too long: may not be more than "
                          "10240 bytes"));
  EXPECT_THAT(seen, ElementsAre("spec.selectors[0].cel.expression=true",
                                "spec.selectors[1].cel.expression=noSuchVar"));
}

TEST(DeviceClassTest, Configuration) {
  DeviceClass c = MakeClass();
  std::string big = R"({"str":")" + std::string(10 * 1024 - 10, 'x') + R"("})";
  ASSERT_EQ(big.size(), 10u * 1024);
  c.spec.config = {
      {Opaque("dra.example.com", R"({"foo":42})")},
      {OpaqueDeviceConfiguration{}},
      {Opaque("dra.example.com", R"("hello-world")")},
      {Opaque("dra.example.com", "null")},
      {std::nullopt},
      {Opaque("dra.example.com", big)},
      {Opaque("dra.example.com", R"({"str":")" + std::string(10 * 1024 - 9, 'x') + R"("})")},
      {Opaque("DRA.Example.COM", "{}")},
      {Opaque(std::string(64, 'a'), "{}")},
      {Opaque("dra_example.com", "{}")},
  };
  EXPECT_THAT(
      Strings(ValidateDeviceClass(c)),
      ElementsAre(
          "spec.config[1].opaque.driver: Required value",
          "spec.config[1].opaque.parameters: Required value",
          "spec.config[2].opaque.parameters: Invalid value: \"<value omitted>\": must be a "
          "valid JSON object",
          "spec.config[3].opaque.parameters: Required value",
          "spec.config[4].opaque: Required value",
          "spec.config[6].opaque.parameters: Too long: may not be more than 10240 bytes",
          "spec.config[8].opaque.driver: Too long: may not be more than 63 bytes",
          S("spec.config[9].opaque.driver: Invalid value: \"dra_example.com\": ", kSubdomainMsg)));
  c.spec.config.assign(33, {Opaque("dra.example.com", "{}")});
  EXPECT_THAT(Strings(ValidateDeviceClass(c)),
              ElementsAre("spec.config: Too many: 33: must have at most 32 items"));
}

// ---------------------------------------------------------------------------------------------
// ResourceClaim

ResourceClaim MakeClaim() {
  ResourceClaim claim;
  claim.metadata.name = "claim";
  claim.metadata.namespace_ = "default";
  DeviceRequest r;
  r.name = "req-0";
  r.exactly = ExactDeviceRequest{};
  r.exactly->device_class_name = "class";
  r.exactly->allocation_mode = "ExactCount";
  r.exactly->count = 1;
  claim.spec.devices.requests.push_back(r);
  return claim;
}

DeviceSubRequest SubRequest(std::string name) {
  DeviceSubRequest s;
  s.name = std::move(name);
  s.device_class_name = "class";
  s.allocation_mode = "ExactCount";
  s.count = 1;
  return s;
}

DeviceRequest PrioritizedRequest(std::string name, std::vector<std::string> subs) {
  DeviceRequest r;
  r.name = std::move(name);
  for (auto& s : subs) r.first_available.push_back(SubRequest(s));
  return r;
}

TEST(ResourceClaimTest, Valid) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.requests.push_back(PrioritizedRequest("req-1", {"sub-0", "sub-1"}));
  claim.spec.devices.requests[0].exactly->selectors = {Cel("true")};
  claim.spec.devices.requests[0].exactly->tolerations = {{"example.com/t", "Exists", "", "", {}}};
  claim.spec.devices.constraints = {{{"req-0", "req-1/sub-0"}, "dra.example.com/numa", {}}};
  claim.spec.devices.config = {{{"req-1"}, Opaque("dra.example.com", "{}")}};
  EXPECT_THAT(ValidateResourceClaim(claim), IsEmpty());
}

TEST(ResourceClaimTest, Metadata) {
  ResourceClaim claim = MakeClaim();
  claim.metadata.namespace_ = "";
  claim.metadata.name = kBadName;
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre(S("metadata.name: Invalid value: \"!@#$%^\": ", kSubdomainMsg),
                          "metadata.namespace: Required value"));
}

TEST(ResourceClaimTest, RequestNames) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.requests.push_back(claim.spec.devices.requests[0]);
  claim.spec.devices.requests.push_back(claim.spec.devices.requests[0]);
  claim.spec.devices.requests[1].name = kBadName;
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre(S("spec.devices.requests[1].name: Invalid value: \"!@#$%^\": ", kLabelMsg),
                  "spec.devices.requests[2]: Duplicate value: \"req-0\""));
  claim.spec.devices.requests.assign(33, MakeClaim().spec.devices.requests[0]);
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre("spec.devices.requests: Too many: 33: must have at most 32 items"));
}

TEST(ResourceClaimTest, ExactlyOrFirstAvailable) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.requests[0].exactly.reset();
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre("spec.devices.requests[0]: Required value: exactly one of `exactly` or "
                          "`firstAvailable` is required"));
  claim = MakeClaim();
  claim.spec.devices.requests[0].first_available = {SubRequest("sub")};
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre("spec.devices.requests[0]: Invalid value: null: exactly one of "
                  "`exactly` or `firstAvailable` is required, but multiple fields are set"));
}

TEST(ResourceClaimTest, ExactRequest) {
  ResourceClaim claim = MakeClaim();
  ExactDeviceRequest& r = *claim.spec.devices.requests[0].exactly;
  r.device_class_name = "";
  r.allocation_mode = "Some";
  r.selectors = {DeviceSelector{}};
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre("spec.devices.requests[0].exactly.deviceClassName: Required value",
                          "spec.devices.requests[0].exactly.selectors[0].cel: Required value",
                          "spec.devices.requests[0].exactly.allocationMode: Unsupported value: "
                          "\"Some\": supported values: \"All\", \"ExactCount\""));
  r.device_class_name = kBadName;
  r.allocation_mode = "ExactCount";
  r.count = 0;
  r.selectors.clear();
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre(S("spec.devices.requests[0].exactly.deviceClassName: Invalid value: "
                    "\"!@#$%^\": ",
                    kSubdomainMsg),
                  "spec.devices.requests[0].exactly.count: Invalid value: 0: must be greater "
                  "than zero"));
  r.device_class_name = "class";
  r.allocation_mode = "All";
  r.count = 2;
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre("spec.devices.requests[0].exactly.count: Invalid value: 2: must not be "
                          "specified when allocationMode is 'All'"));
  r.count = 0;
  r.admin_access = true;
  EXPECT_THAT(ValidateResourceClaim(claim), IsEmpty());
  r.selectors.assign(33, Cel("true"));
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre("spec.devices.requests[0].exactly.selectors: Too many: 33: must have "
                          "at most 32 items"));
}

TEST(ResourceClaimTest, FirstAvailable) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.requests[0] = PrioritizedRequest("req-0", {"sub-0", "sub-0", kBadName});
  claim.spec.devices.requests[0].first_available[1].device_class_name = "";
  claim.spec.devices.requests[0].first_available[1].allocation_mode = "";
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre("spec.devices.requests[0].firstAvailable[1].deviceClassName: Required value",
                  "spec.devices.requests[0].firstAvailable[1].allocationMode: Unsupported value: "
                  "\"\": supported values: \"All\", \"ExactCount\"",
                  S("spec.devices.requests[0].firstAvailable[2].name: Invalid value: \"!@#$%^\": ",
                    kLabelMsg),
                  "spec.devices.requests[0].firstAvailable[1]: Duplicate value: \"sub-0\""));
  claim.spec.devices.requests[0] =
      PrioritizedRequest("req-0", {"a", "b", "c", "d", "e", "f", "g", "h", "i"});
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre("spec.devices.requests[0].firstAvailable: Too many: 9: must have at "
                          "most 8 items"));
}

TEST(ResourceClaimTest, Tolerations) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.requests[0].exactly->tolerations = {
      {"example.com/a", "Equal", "v", "NoSchedule", {}},
      {"", "Exists", "", "", {}},
      {kBadName, "Exists", "x", "Bad", {}},
      {"k", "", "", "", {}},
      {"k", "In", "", "None", {}},
      {"k", "Equal", "spaces not allowed", "NoExecute", {}},
  };
  const std::string p = "spec.devices.requests[0].exactly.tolerations";
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre(S(p + "[2].key: Invalid value: \"!@#$%^\": ", kNamePartMsg),
                  p + "[2].value: Invalid value: \"x\": must be empty for operator `Exists`",
                  p + "[2].effect: Unsupported value: \"Bad\": supported values: \"NoExecute\", "
                      "\"NoSchedule\", \"None\"",
                  p + "[3].operator: Required value",
                  p + "[4].operator: Unsupported value: \"In\": supported values: \"Equal\", "
                      "\"Exists\"",
                  S(p + "[5].value: Invalid value: \"spaces not allowed\": ", kLabelValueMsg)));
}

TEST(ResourceClaimTest, Constraints) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.requests.push_back(PrioritizedRequest("req-1", {"sub-0"}));
  claim.spec.devices.constraints = {
      {{"req-0", "req-1", "req-1/sub-0"}, "dra.example.com/numa", {}},
      {{}, {}, "dra.example.com/numa"},
      {{"no-such", "req-0/x", "a/b/c", "req-0", "req-0"}, {}, {}},
      {{}, "numa", {}},
      {{}, "/numa", {}},
      {{}, "dra.example.com/", {}},
      {{}, "Dra_Example.com/9x", {}},
      {{}, "a/b/c", {}},
      {{}, std::string(64, 'a') + "/" + std::string(33, 'b'), {}},
      {{}, "both.example.com/a", "both.example.com/b"},
  };
  const std::string p = "spec.devices.constraints";
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre(
          S(p + "[2].requests[0]: Invalid value: \"no-such\": ", kRefMsg),
          S(p + "[2].requests[1]: Invalid value: \"req-0/x\": ", kRefMsg),
          S(p + "[2].requests[2]: Invalid value: \"a/b/c\": ", kRefMsg),
          p + "[2].requests[4]: Duplicate value: \"req-0\"",
          p + "[2]: Required value: exactly one of \"matchAttribute\" or \"distinctAttribute\" "
              "is required, but multiple fields are set",
          p + "[3].matchAttribute: Invalid value: \"numa\": a fully qualified name must be a "
              "domain and a name separated by a slash",
          p + "[4].matchAttribute: Invalid value: \"\": the domain must not be empty",
          p + "[5].matchAttribute: Invalid value: \"\": the name must not be empty",
          S(p + "[6].matchAttribute: Invalid value: \"Dra_Example.com\": ", kSubdomainMsg),
          S(p + "[6].matchAttribute: Invalid value: \"9x\": ", kCIdentMsg),
          p + "[7].matchAttribute: Invalid value: \"a/b/c\": must not contain more than one slash",
          p + "[8].matchAttribute: Too long: may not be more than 63 bytes",
          p + "[8].matchAttribute: Too long: may not be more than 32 bytes"));
  claim.spec.devices.constraints.assign(33, {{}, "dra.example.com/numa", {}});
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre(p + ": Too many: 33: must have at most 32 items"));
}

TEST(ResourceClaimTest, Config) {
  ResourceClaim claim = MakeClaim();
  claim.spec.devices.config = {
      {{"req-0"}, Opaque("dra.example.com", "{}")},
      {{"req-1"}, Opaque("", "[]")},
      {{}, std::nullopt},
  };
  const std::string p = "spec.devices.config";
  EXPECT_THAT(
      Strings(ValidateResourceClaim(claim)),
      ElementsAre(S(p + "[1].requests[0]: Invalid value: \"req-1\": ", kRefMsg),
                  p + "[1].opaque.driver: Required value",
                  p + "[1].opaque.parameters: Invalid value: \"<value omitted>\": must be a valid "
                      "JSON object",
                  p + "[2].opaque: Required value"));
  claim.spec.devices.config.assign(33, {{}, Opaque("dra.example.com", "{}")});
  EXPECT_THAT(Strings(ValidateResourceClaim(claim)),
              ElementsAre(p + ": Too many: 33: must have at most 32 items"));
}

ResourceClaim WithMeta(ResourceClaim claim, std::string rv = "1") {
  claim.metadata.resource_version = std::move(rv);
  claim.metadata.uid = kUid;
  return claim;
}

TEST(ResourceClaimTest, UpdateSpecImmutable) {
  ResourceClaim old = WithMeta(MakeClaim());
  EXPECT_THAT(ValidateResourceClaimUpdate(old, old), IsEmpty());
  ResourceClaim updated = old;
  updated.spec.devices.requests[0].exactly->count = 2;
  EXPECT_THAT(
      Strings(ValidateResourceClaimUpdate(updated, old)),
      ElementsAre(
          "spec: Invalid value: {\"Devices\":{\"Requests\":[{\"Name\":\"req-0\",\"Exactly\":"
          "{\"DeviceClassName\":\"class\",\"Selectors\":null,\"AllocationMode\":\"ExactCount\","
          "\"Count\":2,\"AdminAccess\":null,\"Tolerations\":null,\"Capacity\":null},"
          "\"FirstAvailable\":null}],\"Constraints\":null,\"Config\":null}}: field is "
          "immutable"));
  updated = old;
  updated.metadata.resource_version = "";
  updated.metadata.name = "other";
  updated.metadata.uid = "";
  updated.metadata.generation = -1;
  EXPECT_THAT(
      Strings(ValidateResourceClaimUpdate(updated, old)),
      ElementsAre("metadata.generation: Invalid value: -1: must be greater than or equal to 0",
                  "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
                  "metadata.generation: Invalid value: -1: must not be decremented",
                  "metadata.name: Invalid value: \"other\": field is immutable",
                  "metadata.uid: Invalid value: \"\": field is immutable"));
}

AllocationResult MakeAllocation() {
  AllocationResult a;
  DeviceRequestAllocationResult r;
  r.request = "req-0";
  r.driver = "dra.example.com";
  r.pool = "pool";
  r.device = "device-0";
  a.devices.results.push_back(r);
  return a;
}

TEST(ResourceClaimStatusTest, Allocation) {
  ResourceClaim old = WithMeta(MakeClaim());
  ResourceClaim claim = old;
  claim.status.allocation = MakeAllocation();
  claim.status.allocation->node_selector =
      NodeSelector{{{{{"kubernetes.io/hostname", "In", {"n"}}}, {}}}};
  EXPECT_THAT(ValidateResourceClaimStatusUpdate(claim, old), IsEmpty());

  auto& results = claim.status.allocation->devices.results;
  results.push_back(results[0]);
  results[1].request = "no-such";
  results[1].driver = "";
  results[1].pool = "";
  results[1].device = kBadName;
  results[1].share_id = "xyz";
  results.push_back(results[0]);
  results[2].share_id = "AC051FAC-2EAD-46D9-B8B4-4E0FBEB7455D";
  results.push_back(results[0]);
  results[3].share_id = kUid;
  results[3].binding_conditions = {"a", "a"};
  results[3].binding_failure_conditions = {"a", kBadName};
  const std::string p = "status.allocation.devices.results";
  EXPECT_THAT(
      Strings(ValidateResourceClaimStatusUpdate(claim, old)),
      ElementsAre(
          S(p + "[1].request: Invalid value: \"no-such\": ", kRefMsg),
          p + "[1].driver: Required value", p + "[1].pool: Required value",
          S(p + "[1].device: Invalid value: \"!@#$%^\": ", kLabelMsg),
          p + "[1].shareID: Invalid value: \"xyz\": error validating uid: invalid UUID length: 3",
          p + "[2].shareID: Invalid value: \"AC051FAC-2EAD-46D9-B8B4-4E0FBEB7455D\": uid must "
              "be in RFC 4122 normalized form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with "
              "lowercase hexadecimal characters",
          S(p + "[3].bindingFailureConditions[1]: Invalid value: \"!@#$%^\": ", kNamePartMsg),
          p + "[3].bindingConditions[1]: Duplicate value: \"a\"",
          p + "[3].bindingFailureConditions[0]: Invalid value: \"a\": bindingFailureConditions "
              "must not overlap with bindingConditions"));

  claim.status.allocation = MakeAllocation();
  claim.status.allocation->devices.config = {
      {"FromClass", {"req-0"}, Opaque("dra.example.com", "{}")},
      {"", {}, Opaque("dra.example.com", "{}")},
      {"Other", {"req-x"}, std::nullopt},
  };
  claim.status.allocation->node_selector = NodeSelector{};
  const std::string c = "status.allocation.devices.config";
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre(c + "[1].source: Required value",
                          c + "[2].source: Unsupported value: \"Other\": supported values: "
                              "\"FromClaim\", \"FromClass\"",
                          S(c + "[2].requests[0]: Invalid value: \"req-x\": ", kRefMsg),
                          c + "[2].opaque: Required value",
                          "status.allocation.nodeSelector.nodeSelectorTerms: Required value: must "
                          "have at least one node selector term"));

  claim.status.allocation = MakeAllocation();
  claim.status.allocation->devices.results.assign(33, MakeAllocation().devices.results[0]);
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre(p + ": Too many: 33: must have at most 32 items"));
}

TEST(ResourceClaimStatusTest, AllocationImmutable) {
  ResourceClaim old = WithMeta(MakeClaim());
  old.status.allocation = MakeAllocation();
  ResourceClaim claim = old;
  EXPECT_THAT(ValidateResourceClaimStatusUpdate(claim, old), IsEmpty());
  claim.status.allocation->devices.results[0].device = "device-1";
  EXPECT_THAT(
      Strings(ValidateResourceClaimStatusUpdate(claim, old)),
      ElementsAre("status.allocation: Invalid value: {\"Devices\":{\"Results\":[{\"Request\":"
                  "\"req-0\",\"Driver\":\"dra.example.com\",\"Pool\":\"pool\",\"Device\":"
                  "\"device-1\",\"AdminAccess\":null,\"Tolerations\":null,\"BindingConditions\":"
                  "null,\"BindingFailureConditions\":null,\"ShareID\":null,\"ConsumedCapacity\":"
                  "null}],\"Config\":null},\"NodeSelector\":null,\"AllocationTimestamp\":null}: "
                  "field is immutable"));
  // Removing the allocation is allowed, unless it is still reserved.
  claim = old;
  claim.status.allocation.reset();
  EXPECT_THAT(ValidateResourceClaimStatusUpdate(claim, old), IsEmpty());
  claim.status.reserved_for = {{"", "pods", "pod", kUid}};
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre("status.reservedFor: Forbidden: may not be specified when `allocated` "
                          "is not set"));
}

TEST(ResourceClaimStatusTest, ReservedFor) {
  ResourceClaim old = WithMeta(MakeClaim());
  old.status.allocation = MakeAllocation();
  ResourceClaim claim = old;
  claim.status.reserved_for = {
      {"", "pods", "pod", kUid}, {"", "", "", ""}, {"", "pods", "b", kUid}};
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre("status.reservedFor[1].resource: Required value",
                          "status.reservedFor[1].name: Required value",
                          "status.reservedFor[1].uid: Required value",
                          S("status.reservedFor[2]: Duplicate value: \"", kUid) + "\""));
  claim.status.reserved_for.clear();
  for (int i = 0; i < 257; ++i) {
    claim.status.reserved_for.push_back({"", "pods", "p", std::to_string(i)});
  }
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre("status.reservedFor: Too many: 257: must have at most 256 items"));
  // While the claim is being deleted, consumers may be removed but not added.
  old.status.reserved_for = {{"", "pods", "a", "1"}};
  old.metadata.deletion_timestamp = "2025-01-01T00:00:00Z";
  claim = old;
  claim.status.reserved_for.clear();
  EXPECT_THAT(ValidateResourceClaimStatusUpdate(claim, old), IsEmpty());
  claim.status.reserved_for = {{"", "pods", "a", "1"}, {"", "pods", "b", "2"}};
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre("status.reservedFor: Forbidden: new entries may not be added while "
                          "`deallocationRequested` or `deletionTimestamp` are set"));
}

TEST(ResourceClaimStatusTest, Devices) {
  ResourceClaim old = WithMeta(MakeClaim());
  old.status.allocation = MakeAllocation();
  ResourceClaim claim = old;
  AllocatedDeviceStatus ok;
  ok.driver = "dra.example.com";
  ok.pool = "pool";
  ok.device = "device-0";
  ok.conditions = {{"Ready", "True", 0, "2025-01-01T00:00:00Z", "Ok", ""}};
  ok.data = Json(R"({"a":1})");
  ok.network_data = NetworkDeviceData{"eth0", {"10.9.8.7/24", "2001:db8::1/64"}, "aa:bb"};
  claim.status.devices = {ok};
  EXPECT_THAT(ValidateResourceClaimStatusUpdate(claim, old), IsEmpty());

  AllocatedDeviceStatus other = ok;
  other.device = "device-1";
  other.share_id = kUid;
  other.conditions = {{"Ready", "Maybe", -1, "", "", ""}, {"Ready", "True", 0, "t", "9bad", ""}};
  other.data = Json("[1]");
  other.network_data = NetworkDeviceData{std::string(257, 'i'),
                                         {"10.9.8.7", "010.9.8.7/24", "2001:DB8::1/64",
                                          "::ffff:1.2.3.4/120", "10.9.8.7/24", "10.9.8.7/24"},
                                         std::string(129, 'h')};
  claim.status.devices = {ok, other, ok};
  const std::string p = "status.devices[1]";
  EXPECT_THAT(
      Strings(ValidateResourceClaimStatusUpdate(claim, old)),
      ElementsAre(
          p +
              ": Invalid value: {\"Driver\":\"dra.example.com\",\"Pool\":\"pool\",\"Device\":"
              "\"device-1\",\"ShareID\":\"" +
              kUid + "\"}: must be an allocated device in the claim",
          p + ".conditions[0].status: Unsupported value: \"Maybe\": supported values: "
              "\"False\", \"True\", \"Unknown\"",
          p + ".conditions[0].observedGeneration: Invalid value: -1: must be greater than or "
              "equal to zero",
          p + ".conditions[0].lastTransitionTime: Required value",
          p + ".conditions[0].reason: Required value",
          p + ".conditions[1].type: Duplicate value: \"Ready\"",
          p + ".conditions[1].reason: Invalid value: \"9bad\": a condition reason must start "
              "with alphabetic character, optionally followed by a string of alphanumeric "
              "characters or '_,:', and must end with an alphanumeric character or '_' (e.g. "
              "'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or "
              "'ReasonA:ReasonB', regex used for validation is "
              "'[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')",
          p + ".data: Invalid value: \"<value omitted>\": must be a valid JSON object",
          p + ".networkData.interfaceName: Too long: may not be more than 256 bytes",
          p + ".networkData.hardwareAddress: Too long: may not be more than 128 bytes",
          p + ".networkData.ips[0]: Invalid value: \"10.9.8.7\": must be a valid address in CIDR "
              "form, (e.g. 10.9.8.7/24 or 2001:db8::1/64)",
          p + ".networkData.ips[1]: Invalid value: \"010.9.8.7/24\": must be in canonical form "
              "(\"10.9.8.7/24\")",
          p + ".networkData.ips[2]: Invalid value: \"2001:DB8::1/64\": must be in canonical form "
              "(\"2001:db8::1/64\")",
          p + ".networkData.ips[3]: Invalid value: \"::ffff:1.2.3.4/120\": must be in canonical "
              "form (\"1.2.3.4/24\")",
          p + ".networkData.ips[5]: Duplicate value: \"10.9.8.7/24\"",
          "status.devices[2]: Duplicate value: {\"Driver\":\"dra.example.com\",\"Pool\":\"pool\","
          "\"Device\":\"device-0\",\"ShareID\":\"\"}"));

  other = ok;
  other.conditions.assign(9, ok.conditions[0]);
  for (int i = 0; i < 9; ++i) other.conditions[i].type = dra::StrCat("T", i);
  other.network_data->ips.assign(17, "10.9.8.7/24");
  claim.status.devices = {other};
  EXPECT_THAT(Strings(ValidateResourceClaimStatusUpdate(claim, old)),
              ElementsAre("status.devices[0].conditions: Too many: 9: must have at most 8 items",
                          "status.devices[0].networkData.ips: Too many: 17: must have at most 16 "
                          "items"));
}

// ---------------------------------------------------------------------------------------------
// ResourceClaimTemplate

TEST(ResourceClaimTemplateTest, Validate) {
  ResourceClaimTemplate t;
  t.metadata.name = "template";
  t.metadata.namespace_ = "default";
  t.spec.metadata.labels["a"] = "b";
  t.spec.spec = MakeClaim().spec;
  EXPECT_THAT(ValidateResourceClaimTemplate(t), IsEmpty());
  t.spec.metadata.name = "x";
  t.spec.metadata.uid = kUid;
  t.spec.metadata.finalizers = {"example.com/f"};
  t.spec.metadata.annotations[kBadName] = "v";
  t.spec.spec.devices.requests[0].exactly->device_class_name = "";
  EXPECT_THAT(Strings(ValidateResourceClaimTemplate(t)),
              ElementsAre(S("spec.metadata.annotations: Invalid value: \"!@#$%^\": ", kNamePartMsg),
                          "spec.metadata.name: Forbidden: cannot be set",
                          "spec.metadata.uID: Forbidden: cannot be set",
                          "spec.metadata.finalizers: Forbidden: cannot be set",
                          "spec.spec.devices.requests[0].exactly.deviceClassName: Required value"));
}

TEST(ResourceClaimTemplateTest, UpdateSpecImmutable) {
  ResourceClaimTemplate old;
  old.metadata.name = "template";
  old.metadata.namespace_ = "default";
  old.metadata.resource_version = "1";
  old.spec.spec = MakeClaim().spec;
  EXPECT_THAT(ValidateResourceClaimTemplateUpdate(old, old), IsEmpty());
  ResourceClaimTemplate updated = old;
  updated.spec.metadata.labels["a"] = "b";
  updated.spec.spec.devices.requests[0].exactly->count = 3;
  EXPECT_THAT(
      Strings(ValidateResourceClaimTemplateUpdate(updated, old)),
      ElementsAre("spec: Invalid value: {\"creationTimestamp\":null,\"labels\":{\"a\":\"b\"},"
                  "\"Spec\":{\"Devices\":{\"Requests\":[{\"Name\":\"req-0\",\"Exactly\":"
                  "{\"DeviceClassName\":\"class\",\"Selectors\":null,\"AllocationMode\":"
                  "\"ExactCount\",\"Count\":3,\"AdminAccess\":null,\"Tolerations\":null,"
                  "\"Capacity\":null},\"FirstAvailable\":null}],\"Constraints\":null,\"Config\":"
                  "null}}}: field is immutable"));
}

// ---------------------------------------------------------------------------------------------
// ResourceSlice

std::map<std::string, DeviceAttribute> TestAttributes() {
  std::map<std::string, DeviceAttribute> attrs;
  attrs["int"].int_ = 42;
  attrs["string"].string_ = "hello world";
  attrs["version"].version = "1.2.3";
  attrs["bool"].bool_ = true;
  return attrs;
}

ResourceSlice MakeSlice(int num_devices = 1) {
  ResourceSlice slice;
  slice.metadata.name = "slice";
  slice.spec.driver = "dra.example.com";
  slice.spec.pool.name = "pool";
  slice.spec.pool.resource_slice_count = 1;
  slice.spec.node_name = "worker";
  for (int i = 0; i < num_devices; ++i) {
    Device d;
    d.name = dra::StrCat("device-", i);
    d.attributes = TestAttributes();
    d.capacity["memory"].value = *Quantity::Parse("1Gi");
    slice.spec.devices.push_back(d);
  }
  return slice;
}

Quantity Qty(std::string_view s) { return *Quantity::Parse(s); }

TEST(ResourceSliceTest, Valid) {
  EXPECT_THAT(ValidateResourceSlice(MakeSlice(128)), IsEmpty());
  ResourceSlice slice = MakeSlice(0);
  slice.spec.shared_counters = {{"counter-set", {{"memory", {Qty("1Gi")}}}}};
  EXPECT_THAT(ValidateResourceSlice(slice), IsEmpty());
}

TEST(ResourceSliceTest, DeviceLimit) {
  EXPECT_THAT(Strings(ValidateResourceSlice(MakeSlice(129))),
              ElementsAre("spec.devices: Too many: 129: must have at most 128 items"));
  ResourceSlice slice = MakeSlice(65);
  for (auto& d : slice.spec.devices) d.taints = {{"example.com/taint", "", "NoExecute", {}}};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.devices: Too many: 65: must have at most 64 items"));
  slice = MakeSlice(65);
  slice.spec.devices[3].attributes["list"].ints = {1};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.devices: Too many: 65: must have at most 64 items"));
  slice = MakeSlice(64);
  for (auto& d : slice.spec.devices) d.taints = {{"example.com/taint", "", "NoExecute", {}}};
  EXPECT_THAT(ValidateResourceSlice(slice), IsEmpty());
}

TEST(ResourceSliceTest, MetadataAndPool) {
  ResourceSlice slice = MakeSlice();
  slice.metadata.name = "";
  slice.spec.pool.name = std::string(127, 'x') + "/" + std::string(127, 'y');
  slice.spec.pool.resource_slice_count = 0;
  slice.spec.pool.generation = -1;
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre(
          "metadata.name: Required value: name or generateName is required",
          "spec.pool.name: Too long: may not be more than 253 bytes",
          "spec.pool.resourceSliceCount: Invalid value: 0: must be greater than zero",
          "spec.pool.generation: Invalid value: -1: must be greater than or equal to zero"));
  slice = MakeSlice();
  slice.spec.pool.name = std::string(kBadName) + "/" + kBadName;
  slice.spec.driver = kBadName;
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(S("spec.driver: Invalid value: \"!@#$%^\": ", kSubdomainMsg),
                          S("spec.pool.name: Invalid value: \"!@#$%^\": ", kSubdomainMsg),
                          S("spec.pool.name: Invalid value: \"!@#$%^\": ", kSubdomainMsg)));
  slice = MakeSlice();
  slice.spec.pool.name = "";
  slice.spec.driver = "";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.driver: Required value", "spec.pool.name: Required value"));
  slice = MakeSlice();
  slice.spec.driver = "Dra.Example.COM";  // Driver names are compared case-insensitively.
  slice.spec.pool.name = "a/b.c";
  EXPECT_THAT(ValidateResourceSlice(slice), IsEmpty());
}

TEST(ResourceSliceTest, NodeSelection) {
  ResourceSlice slice = MakeSlice();
  slice.spec.node_name.reset();
  const char* msg =
      "exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is "
      "required";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(std::string("spec: Required value: ") + msg));
  slice.spec.node_name = "worker";
  slice.spec.all_nodes = true;
  slice.spec.node_selector = NodeSelector{{{{}, {{"metadata.name", "In", {"worker"}}}}}};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(std::string("spec: Invalid value: \"{`nodeName`, `nodeSelector`, "
                                      "`allNodes`}\": ") +
                          msg + ", but multiple fields are set"));
  slice = MakeSlice();
  slice.spec.node_name = "";
  slice.spec.all_nodes = false;
  slice.spec.per_device_node_selection = false;
  slice.spec.node_selector = NodeSelector{};
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre("spec.nodeName: Invalid value: \"\": must be either unset or set to a non-empty "
                  "string",
                  "spec.nodeSelector.nodeSelectorTerms: Required value: must have at least one "
                  "node selector term",
                  "spec.nodeSelector.nodeSelectorTerms: Invalid value: null: must have exactly "
                  "one node selector term",
                  "spec.allNodes: Invalid value: false: must be either unset or set to true",
                  "spec.perDeviceNodeSelection: Invalid value: false: must be either unset or set "
                  "to true"));
  slice = MakeSlice();
  slice.spec.node_name = kBadName;
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(S("spec.nodeName: Invalid value: \"!@#$%^\": ", kSubdomainMsg)));
  slice = MakeSlice();
  slice.spec.node_name.reset();
  NodeSelectorTerm term{{{"a", "Gt", {"1", "2"}}, {"b", "Foo", {}}, {"c", "Exists", {"x"}}},
                        {{"spec.nodeName", "In", {"a", "b"}}, {"metadata.name", "Exists", {"A"}}}};
  slice.spec.node_selector = NodeSelector{{term, NodeSelectorTerm{}}};
  const std::string t = "spec.nodeSelector.nodeSelectorTerms[0]";
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre(
          t + ".matchExpressions[0].values: Required value: must be specified single value when "
              "`operator` is 'Lt' or 'Gt'",
          t + ".matchExpressions[1].operator: Invalid value: \"Foo\": not a valid selector "
              "operator",
          t + ".matchExpressions[2].values: Forbidden: may not be specified when `operator` is "
              "'Exists' or 'DoesNotExist'",
          t + ".matchFields[0].values: Required value: must be only one value when `operator` is "
              "'In' or 'NotIn' for node field selector",
          t + ".matchFields[0].key: Invalid value: \"spec.nodeName\": not a valid field selector "
              "key",
          t + ".matchFields[1].operator: Invalid value: \"Exists\": not a valid selector operator",
          S(t + ".matchFields[1].values[0]: Invalid value: \"A\": ", kSubdomainMsg),
          "spec.nodeSelector.nodeSelectorTerms: Invalid value: [{\"MatchExpressions\":[{\"Key\":"
          "\"a\",\"Operator\":\"Gt\",\"Values\":[\"1\",\"2\"]},{\"Key\":\"b\",\"Operator\":"
          "\"Foo\",\"Values\":null},{\"Key\":\"c\",\"Operator\":\"Exists\",\"Values\":[\"x\"]}],"
          "\"MatchFields\":[{\"Key\":\"spec.nodeName\",\"Operator\":\"In\",\"Values\":[\"a\","
          "\"b\"]},{\"Key\":\"metadata.name\",\"Operator\":\"Exists\",\"Values\":[\"A\"]}]},"
          "{\"MatchExpressions\":null,\"MatchFields\":null}]: must have exactly one node selector "
          "term"));
}

TEST(ResourceSliceTest, PerDeviceNodeSelection) {
  ResourceSlice slice = MakeSlice(5);
  slice.spec.node_name.reset();
  slice.spec.per_device_node_selection = true;
  slice.spec.devices[0].node_name = "worker";
  slice.spec.devices[1].all_nodes = true;
  slice.spec.devices[2].node_selector = NodeSelector{{{{{"zone", "In", {"a"}}}, {}}}};
  slice.spec.devices[4].node_name = "";
  slice.spec.devices[4].all_nodes = false;
  const char* msg =
      "exactly one of `nodeName`, `nodeSelector`, or `allNodes` is required when "
      "`perDeviceNodeSelection` is set to true in the ResourceSlice spec";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(std::string("spec.devices[3]: Required value: ") + msg,
                          "spec.devices[4].nodeName: Invalid value: \"\": must not be empty",
                          "spec.devices[4].allNodes: Invalid value: false: must be either unset "
                          "or set to true",
                          std::string("spec.devices[4]: Required value: ") + msg));
  slice.spec.devices[3].node_name = "a";
  slice.spec.devices[3].all_nodes = true;
  slice.spec.devices.resize(4);
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(std::string("spec.devices[3]: Invalid value: \"{`nodeName`, "
                                      "`allNodes`}\": ") +
                          msg));
  slice = MakeSlice();
  slice.spec.devices[0].all_nodes = true;
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.devices[0]: Invalid value: null: `nodeName`, `nodeSelector` and "
                          "`allNodes` can only be set if `perDeviceNodeSelection` is set to true "
                          "in the ResourceSlice spec"));
}

TEST(ResourceSliceTest, DevicesAndSharedCounters) {
  ResourceSlice slice = MakeSlice();
  slice.spec.shared_counters = {{"counter-set", {{"memory", {Qty("1Gi")}}}}};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec: Invalid value: \"\": only one of `sharedCounters` or `devices` "
                          "is allowed"));
}

TEST(ResourceSliceTest, DeviceNames) {
  ResourceSlice slice = MakeSlice(3);
  slice.spec.devices[1].name = kBadName;
  slice.spec.devices[2].name = "device-0";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(S("spec.devices[1].name: Invalid value: \"!@#$%^\": ", kLabelMsg),
                          "spec.devices[2]: Duplicate value: \"device-0\""));
}

TEST(ResourceSliceTest, Attributes) {
  ResourceSlice slice = MakeSlice(7);
  auto& d = slice.spec.devices;
  d[1].attributes = {{kBadName, {}}};
  d[2].attributes.clear();
  d[2].attributes["good"].string_ = "x";
  d[2].attributes["good"].version = "1.2.3";
  d[3].attributes = {{"good", {}}};
  d[3].attributes["good"].version = std::string(65, 'x');
  d[4].attributes = {{"good", {}}};
  d[4].attributes["good"].string_ = std::string(65, 'x');
  d[5].attributes = {{"dra.example.com/" + std::string(33, 'a'), {}},
                     {"a/b/c", {}},
                     {"/x", {}},
                     {std::string(64, 'd') + "/x", {}}};
  for (auto& [k, v] : d[5].attributes) v.bool_ = true;
  d[6].attributes = {{"v1", {}}, {"v2", {}}, {"v3", {}}, {"v4", {}}};
  d[6].attributes["v1"].version = "1.2";
  d[6].attributes["v2"].version = "01.2.3";
  d[6].attributes["v3"].version = "1.2.3-alpha.01";
  d[6].attributes["v4"].version = "1.2.3-alpha.1+build.007";
  const std::string p = "spec.devices";
  std::string long_key = "dra.example.com/" + std::string(33, 'a');
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre(
          S(p + "[1].attributes: Invalid value: \"!@#$%^\": ", kCIdentMsg),
          p + "[1].attributes[!@#$%^]: Invalid value: \"\": exactly one value must be specified",
          p + "[2].attributes[good]: Invalid value: {\"IntValue\":null,\"BoolValue\":null,"
              "\"StringValue\":\"x\",\"VersionValue\":\"1.2.3\",\"IntValues\":null,\"BoolValues\":"
              "null,\"StringValues\":null,\"VersionValues\":null}: exactly one value must be "
              "specified",
          p + "[3].attributes[good].version: Invalid value: \"" + std::string(65, 'x') +
              "\": must be a string compatible with semver.org spec 2.0.0",
          p + "[3].attributes[good].version: Too long: may not be more than 64 bytes",
          p + "[4].attributes[good].string: Too long: may not be more than 64 bytes",
          p + "[5].attributes: Invalid value: \"\": the domain must not be empty",
          p + "[5].attributes: Invalid value: \"a/b/c\": must not contain more than one slash",
          p + "[5].attributes: Too long: may not be more than 63 bytes",
          p + "[5].attributes: Too long: may not be more than 32 bytes",
          p + "[6].attributes[v1].version: Invalid value: \"1.2\": must be a string compatible "
              "with semver.org spec 2.0.0",
          p + "[6].attributes[v2].version: Invalid value: \"01.2.3\": must be a string "
              "compatible with semver.org spec 2.0.0",
          p + "[6].attributes[v3].version: Invalid value: \"1.2.3-alpha.01\": must be a string "
              "compatible with semver.org spec 2.0.0"));
}

TEST(ResourceSliceTest, ListAttributes) {
  ResourceSlice slice = MakeSlice(4);
  auto& d = slice.spec.devices;
  d[0].attributes = {{"a", {}}};
  d[0].attributes["a"].ints = {1};
  d[0].attributes["a"].bools = {true};
  d[1].attributes = {{"a", {}}};
  d[1].attributes["a"].strings = {std::string(65, 'x'), "ok"};
  d[2].attributes = {{"a", {}}};
  d[2].attributes["a"].versions = {"1.0.0", "x"};
  d[3].attributes = {{"a", {}}, {"b", {}}};
  d[3].attributes["a"].strings.assign(40, "s");
  d[3].attributes["b"].ints.assign(9, 1);
  const std::string p = "spec.devices";
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre(
          p + "[0].attributes[a]: Invalid value: {\"IntValue\":null,\"BoolValue\":null,"
              "\"StringValue\":null,\"VersionValue\":null,\"IntValues\":[1],\"BoolValues\":[true],"
              "\"StringValues\":null,\"VersionValues\":null}: exactly one value must be specified",
          p + "[1].attributes[a].strings[0]: Too long: may not be more than 64 bytes",
          p + "[2].attributes[a].versions[1]: Invalid value: \"x\": must be a string compatible "
              "with semver.org spec 2.0.0",
          p + "[3]: Invalid value: 49: the total number of attribute values must not exceed "
              "48"));
}

TEST(ResourceSliceTest, AttributesAndCapacitiesLimit) {
  ResourceSlice slice = MakeSlice();
  Device& d = slice.spec.devices[0];
  for (int i = 0; i < 29; ++i) d.attributes[dra::StrCat("a", i)].int_ = i;
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.devices[0]: Invalid value: 34: the total number of attributes and "
                          "capacities must not exceed 32"));
  // The long key gets truncated in the entry's path.
  slice = MakeSlice();
  std::string key = "dra.example.com/" + std::string(100, 'a');
  slice.spec.devices[0].attributes = {{key, {}}};
  slice.spec.devices[0].attributes[key].int_ = 1;
  slice.spec.devices[0].attributes[key].bool_ = true;
  std::string truncated = key.substr(0, 47) + "..." + key.substr(key.size() - 46);
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre("spec.devices[0].attributes: Too long: may not be more than 32 bytes",
                  "spec.devices[0].attributes[" + truncated +
                      "]: Invalid value: {\"IntValue\":1,\"BoolValue\":true,\"StringValue\":null,"
                      "\"VersionValue\":null,\"IntValues\":null,\"BoolValues\":null,"
                      "\"StringValues\":null,\"VersionValues\":null}: exactly one value must be "
                      "specified"));
}

TEST(ResourceSliceTest, Taints) {
  ResourceSlice slice = MakeSlice();
  slice.spec.devices[0].taints = {{"example.com/taint", "v", "NoSchedule", {}},
                                  {"", "spaces not allowed", "", {}},
                                  {"k", "", "Evict", {}}};
  const std::string p = "spec.devices[0].taints";
  EXPECT_THAT(
      Strings(ValidateResourceSlice(slice)),
      ElementsAre(p + "[1].key: Invalid value: \"\": name part must be non-empty",
                  S(p + "[1].key: Invalid value: \"\": ", kNamePartMsg),
                  S(p + "[1].value: Invalid value: \"spaces not allowed\": ", kLabelValueMsg),
                  p + "[1].effect: Required value",
                  p + "[2].effect: Unsupported value: \"Evict\": supported values: "
                      "\"NoExecute\", \"NoSchedule\", \"None\""));
  slice.spec.devices[0].taints.assign(17, {"k", "", "None", {}});
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + ": Too many: 17: must have at most 16 items"));
}

TEST(ResourceSliceTest, Capacity) {
  ResourceSlice slice = MakeSlice(2);
  CapacityRequestPolicy policy;
  policy.default_ = Qty("1Gi");
  policy.valid_values = {Qty("1Gi")};
  slice.spec.devices[0].capacity["memory"].request_policy = policy;
  slice.spec.devices[1].capacity[kBadName].value = Qty("1");
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.devices[0].capacity[memory].requestPolicy: Forbidden: "
                          "allowMultipleAllocations must be true",
                          S("spec.devices[1].capacity: Invalid value: \"!@#$%^\": ", kCIdentMsg)));
  slice.spec.devices[0].allow_multiple_allocations = true;
  slice.spec.devices[1].capacity.erase(kBadName);
  EXPECT_THAT(ValidateResourceSlice(slice), IsEmpty());
}

FieldErrorList ValidatePolicy(const std::string& capacity, const CapacityRequestPolicy& policy) {
  ResourceSlice slice = MakeSlice();
  Device& d = slice.spec.devices[0];
  d.allow_multiple_allocations = true;
  d.capacity.clear();
  d.capacity["a"] = DeviceCapacity{Qty(capacity), policy};
  return ValidateResourceSlice(slice);
}

CapacityRequestPolicy Policy(std::optional<std::string> default_value,
                             std::vector<std::string> values,
                             std::optional<CapacityRequestPolicyRange> range = std::nullopt) {
  CapacityRequestPolicy p;
  if (default_value) p.default_ = Qty(*default_value);
  for (const auto& v : values) p.valid_values.push_back(Qty(v));
  p.valid_range = std::move(range);
  return p;
}

CapacityRequestPolicyRange Range(std::optional<std::string> min, std::optional<std::string> max,
                                 std::optional<std::string> step) {
  CapacityRequestPolicyRange r;
  if (min) r.min = Qty(*min);
  if (max) r.max = Qty(*max);
  if (step) r.step = Qty(*step);
  return r;
}

TEST(ResourceSliceTest, RequestPolicy) {
  const std::string p = "spec.devices[0].capacity[a].requestPolicy";
  EXPECT_THAT(ValidatePolicy("10Gi", Policy("1Gi", {"1Gi", "10Gi"})), IsEmpty());
  EXPECT_THAT(ValidatePolicy("10Gi", Policy("1Gi", {})), IsEmpty());
  EXPECT_THAT(ValidatePolicy("10Gi", Policy("1Gi", {}, Range("1Gi", "10Gi", "1Gi"))), IsEmpty());
  EXPECT_THAT(Strings(ValidatePolicy("1Gi", Policy(std::nullopt, {"1Gi"}))),
              ElementsAre(p + ".default: Required value: required when validValues is defined"));
  EXPECT_THAT(Strings(ValidatePolicy("1Gi", Policy(std::nullopt, {}, Range("1Gi", {}, {})))),
              ElementsAre(p + ".default: Required value: required when validRange is defined"));
  EXPECT_THAT(Strings(ValidatePolicy("1Gi", Policy("1Gi", {}, Range({}, {}, {})))),
              ElementsAre(p + ".validRange.min: Required value: required when validRange is "
                              "defined"));
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("1Gi", {"1Gi"}, Range("1Gi", {}, {})))),
              ElementsAre(p + ": Forbidden: exactly one policy can be specified, cannot specify "
                              "\"validValues\" and \"validRange\" at the same time"));
  EXPECT_THAT(
      Strings(ValidatePolicy("10Gi", Policy("1Gi", {"20Gi"}))),
      ElementsAre(p + ".validValues[0]: Invalid value: \"20Gi\": option is larger than capacity "
                      "value: 10Gi",
                  p + ".validValues: Invalid value: \"1Gi\": default value is not valid according "
                      "to the requestPolicy"));
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("1Gi", {"1Gi", "1Gi"}))),
              ElementsAre(p + ".validValues[1]: Duplicate value: \"1073741824\""));
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("1Ki", {"1Ki", "1024"}))),
              ElementsAre(p + ".validValues[1]: Duplicate value: \"1024\""));
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("1Gi", {"2Gi", "1Gi"}))),
              ElementsAre(p + ".validValues[1]: Invalid value: \"1Gi\": values must be sorted in "
                              "ascending order"));
  EXPECT_THAT(Strings(ValidatePolicy(
                  "100", Policy("1", {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}))),
              ElementsAre(p + ".validValues: Too many: 11: must have at most 10 items",
                          p + ".validValues: Invalid value: \"1\": default value is not valid "
                              "according to the requestPolicy"));
  const std::string r = p + ".validRange";
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("2Gi", {}, Range("20Gi", "1Gi", {})))),
              ElementsAre(r + ".min: Invalid value: \"20Gi\": min is larger than capacity value: "
                              "10Gi",
                          r + ".default: Invalid value: \"2Gi\": default is less than min: 20Gi",
                          r + ".max: Invalid value: \"20Gi\": min is larger than max: 1Gi",
                          r + ".default: Invalid value: \"2Gi\": default is more than max: 1Gi"));
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("1Gi", {}, Range("1Gi", "20Gi", {})))),
              ElementsAre(r + ".max: Invalid value: \"20Gi\": max is larger than capacity value: "
                              "10Gi"));
  EXPECT_THAT(Strings(ValidatePolicy("10Gi", Policy("2Gi", {}, Range("1Gi", "10Gi", "2Gi")))),
              ElementsAre(r + ".step: Invalid value: \"2Gi\": value is not a multiple of a given "
                              "step (2Gi) from (1Gi)",
                          r + ".step: Invalid value: \"10Gi\": value is not a multiple of a given "
                              "step (2Gi) from (1Gi)"));
  EXPECT_THAT(Strings(ValidatePolicy("10", Policy("1", {}, Range("1", {}, "10")))),
              ElementsAre(r + ".step: Invalid value: \"10\": one step 11 is larger than capacity "
                              "value: 10"));
  EXPECT_THAT(Strings(ValidatePolicy("10", Policy("1", {}, Range("1", {}, "0")))),
              ElementsAre(r + ".step: Invalid value: \"0\": must be greater than zero"));
  EXPECT_THAT(Strings(ValidatePolicy("10", Policy("0", {}, Range("-1", {}, "1")))),
              ElementsAre(r + ".min: Invalid value: \"-1\": must be greater than or equal to 0"));
  EXPECT_THAT(Strings(ValidatePolicy("18446744073709551616",
                                     Policy("0", {}, Range("0", {}, "18446744073709551616")))),
              ElementsAre(r + ".step: Invalid value: \"18446744073709551616\": must not be larger "
                              "than 9223372036854775807"));
}

TEST(ResourceSliceTest, CounterSets) {
  ResourceSlice slice = MakeSlice(0);
  slice.spec.shared_counters = {
      {"set-0", {{"memory", {Qty("1")}}}},
      {"", {}},
      {kBadName, {{kBadName, {Qty("1")}}}},
      {"set-0", {{"memory", {Qty("1")}}}},
  };
  const std::string p = "spec.sharedCounters";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + "[1].name: Required value", p + "[1].counters: Required value",
                          S(p + "[2].name: Invalid value: \"!@#$%^\": ", kLabelMsg),
                          S(p + "[2].counters: Invalid value: \"!@#$%^\": ", kLabelMsg),
                          p + "[3]: Duplicate value: \"set-0\""));
  slice.spec.shared_counters.assign(9, {"s", {{"c", {Qty("1")}}}});
  for (int i = 0; i < 9; ++i) slice.spec.shared_counters[i].name = dra::StrCat("s", i);
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + ": Too many: 9: must have at most 8 items"));
  slice.spec.shared_counters.resize(1);
  for (int i = 0; i < 33; ++i) {
    slice.spec.shared_counters[0].counters[dra::StrCat("c", i)] = {Qty("1")};
  }
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + "[0].counters: Too many: 34: must have at most 32 items"));
}

TEST(ResourceSliceTest, ConsumesCounters) {
  ResourceSlice slice = MakeSlice();
  Device& d = slice.spec.devices[0];
  d.consumes_counters = {{"", {}}, {"set-0", {{"Bad", {Qty("1")}}}}};
  const std::string p = "spec.devices[0].consumesCounters";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + "[0].counterSet: Required value", p + "[0].counters: Required value",
                          S(p + "[1].counters: Invalid value: \"Bad\": ", kLabelMsg)));
  d.consumes_counters = {{"set-0", {{"memory", {Qty("1")}}}}, {"set-0", {{"memory", {Qty("1")}}}}};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + "[1]: Duplicate value: \"set-0\""));
  d.consumes_counters = {
      {"a", {{"c", {Qty("1")}}}}, {"b", {{"c", {Qty("1")}}}}, {"c", {{"c", {Qty("1")}}}}};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + ": Too many: 3: must have at most 2 items"));
}

TEST(ResourceSliceTest, BindingConditions) {
  ResourceSlice slice = MakeSlice(4);
  auto& d = slice.spec.devices;
  d[0].binding_conditions = {"example.com/ready"};
  d[0].binding_failure_conditions = {"example.com/failed"};
  d[1].binding_conditions = {"a"};
  d[2].binding_failure_conditions = {"b"};
  d[3].binding_conditions = {"a", "b", "c", "d", "e"};
  d[3].binding_failure_conditions = {"f"};
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre("spec.devices[1].bindingFailureConditions: Invalid value: null: "
                          "bindingFailureConditions are required to use bindingConditions",
                          "spec.devices[2].bindingConditions: Invalid value: null: "
                          "bindingConditions are required to use bindingFailureConditions",
                          "spec.devices[3].bindingConditions: Too many: 5: must have at most 4 "
                          "items"));
}

TEST(ResourceSliceTest, NodeAllocatableResourceMappings) {
  ResourceSlice slice = MakeSlice();
  Device& d = slice.spec.devices[0];
  d.node_allocatable_resource_mappings["cpu"] = {"memory", Qty("1")};
  d.node_allocatable_resource_mappings["memory"] = {std::nullopt, Qty("2Gi")};
  EXPECT_THAT(ValidateResourceSlice(slice), IsEmpty());
  d.node_allocatable_resource_mappings["cpu"] = {"no-such", Qty("0")};
  d.node_allocatable_resource_mappings["example.com/gpu"] = {std::nullopt, std::nullopt};
  const std::string p = "spec.devices[0].nodeAllocatableResourceMappings";
  EXPECT_THAT(Strings(ValidateResourceSlice(slice)),
              ElementsAre(p + "[cpu].capacityKey: Not found: \"no-such\"",
                          p + "[cpu].allocationMultiplier: Invalid value: \"0\": must be positive",
                          p + "[example.com/gpu]: Invalid value: \"example.com/gpu\": must be a "
                              "node allocatable resource name"));
}

TEST(ResourceSliceTest, Update) {
  ResourceSlice old = MakeSlice();
  old.metadata.resource_version = "1";
  // Stored capacity policies and taints are not re-validated when unchanged.
  old.spec.devices[0].capacity["memory"].request_policy = CapacityRequestPolicy{};
  old.spec.devices[0].taints = {{"k", "", "Evict", {}}};
  EXPECT_THAT(ValidateResourceSliceUpdate(old, old), IsEmpty());
  ResourceSlice updated = old;
  updated.spec.driver = "other.example.com";
  updated.spec.pool.name = "other";
  updated.spec.node_name = "other";
  updated.spec.devices[0].taints[0].value = "x";
  EXPECT_THAT(
      Strings(ValidateResourceSliceUpdate(updated, old)),
      ElementsAre("spec.pool.name: Invalid value: \"other\": field is immutable",
                  "spec.driver: Invalid value: \"other.example.com\": field is immutable",
                  "spec.nodeName: Invalid value: \"other\": field is immutable",
                  "spec.devices[0].taints[0].effect: Unsupported value: \"Evict\": supported "
                  "values: \"NoExecute\", \"NoSchedule\", \"None\""));
  updated = old;
  updated.metadata.deletion_timestamp = "2025-01-01T00:00:00Z";
  ResourceSlice deleting = updated;
  updated.metadata.finalizers = {"example.com/b", "example.com/a"};
  EXPECT_THAT(
      Strings(ValidateResourceSliceUpdate(updated, deleting)),
      ElementsAre("metadata.finalizers: Forbidden: no new finalizers can be added if the "
                  "object is being deleted, found new finalizers []string{\"example.com/a\", "
                  "\"example.com/b\"}"));
  EXPECT_THAT(Strings(ValidateResourceSliceUpdate(updated, old)),
              ElementsAre("metadata.deletionTimestamp: Invalid value: \"2025-01-01T00:00:00Z\": "
                          "field is immutable"));
}

// ---------------------------------------------------------------------------------------------
// DeviceTaintRule

TEST(DeviceTaintRuleTest, Validate) {
  DeviceTaintRule rule;
  rule.metadata.name = "rule";
  rule.spec.taint = {"example.com/taint", "", "NoExecute", {}};
  EXPECT_THAT(ValidateDeviceTaintRule(rule), IsEmpty());
  rule.spec.device_selector = DeviceTaintSelector{"dra.example.com", "pool/a", "device-0"};
  EXPECT_THAT(ValidateDeviceTaintRule(rule), IsEmpty());
  rule.spec.device_selector = DeviceTaintSelector{"", kBadName, "A"};
  rule.spec.taint = {"", "", "", {}};
  EXPECT_THAT(Strings(ValidateDeviceTaintRule(rule)),
              ElementsAre("spec.deviceSelector.driver: Required value",
                          S("spec.deviceSelector.pool: Invalid value: \"!@#$%^\": ", kSubdomainMsg),
                          S("spec.deviceSelector.device: Invalid value: \"A\": ", kLabelMsg),
                          "spec.taint.key: Invalid value: \"\": name part must be non-empty",
                          S("spec.taint.key: Invalid value: \"\": ", kNamePartMsg),
                          "spec.taint.effect: Required value"));
  rule.metadata.namespace_ = "default";
  rule.spec.device_selector.reset();
  rule.spec.taint = {"k", "v", "Foo", {}};
  EXPECT_THAT(Strings(ValidateDeviceTaintRule(rule)),
              ElementsAre("metadata.namespace: Forbidden: not allowed on this type",
                          "spec.taint.effect: Unsupported value: \"Foo\": supported values: "
                          "\"NoExecute\", \"NoSchedule\", \"None\""));
}

// ---------------------------------------------------------------------------------------------
// Conformance objects: valid by construction, so validation must accept all of them.

std::vector<fs::path> YamlFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ConformanceTest, AllocatorObjectsAreValid) {
  int validated = 0;
  for (const char* dir : {"allocator", "allocator-generated"}) {
    for (const auto& file : YamlFiles(fs::path(DRA_SHARED_DIR) / "conformance" / dir)) {
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      auto docs = ParseYamlDocuments(text.str());
      ASSERT_TRUE(docs.ok()) << file << ": " << docs.status();
      for (const Value& doc : *docs) {
        for (const char* key : {"classes", "slices", "claims"}) {
          const Value* list = doc.Find(key);
          if (list == nullptr || !list->is_array()) continue;
          for (const Value& item : list->items()) {
            DecodedDocument decoded = DecodeDocument(item);
            ASSERT_TRUE(decoded.ok()) << file << ": " << key << ": " << decoded.status << " "
                                      << JoinFieldErrors(decoded.errors);
            Object object = *decoded.object;
            ApplyDefaults(object);
            FieldErrorList errs;
            std::string name;
            if (auto* c = std::get_if<DeviceClass>(&object)) {
              name = c->metadata.name;
              errs = ValidateDeviceClass(*c);
            } else if (auto* s = std::get_if<ResourceSlice>(&object)) {
              name = s->metadata.name;
              errs = ValidateResourceSlice(*s);
            } else if (auto* claim = std::get_if<ResourceClaim>(&object)) {
              // The API server takes the namespace from the request.
              if (claim->metadata.namespace_.empty()) claim->metadata.namespace_ = "default";
              name = claim->metadata.name;
              errs = ValidateResourceClaim(*claim);
            } else {
              ADD_FAILURE() << file << ": unexpected kind under " << key;
              continue;
            }
            EXPECT_THAT(Strings(errs), IsEmpty()) << file << ": " << key << " " << name;
            ++validated;
          }
        }
      }
    }
  }
  EXPECT_GT(validated, 100);
}

}  // namespace
}  // namespace dra::api
