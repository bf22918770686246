#include "dra/api/conversion.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "dra/api/codec/yaml.h"
#include "dra/api/value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::api {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

Value Yaml(std::string_view text) {
  auto docs = ParseYamlDocuments(text);
  EXPECT_TRUE(docs.ok()) << docs.status();
  if (!docs.ok() || docs->size() != 1) {
    ADD_FAILURE() << "expected exactly one YAML document";
    return Value();
  }
  return (*docs)[0];
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path SharedDir() { return fs::path(DRA_SHARED_DIR); }

std::string Show(const Value& v) { return WriteYaml(v); }

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

// Converts `in` to v1 and checks it against `want`, then converts back to the original version
// and checks that nothing was lost.
void ExpectToV1AndBack(std::string_view in_yaml, std::string_view want_yaml) {
  Value in = Yaml(in_yaml);
  Value want = Yaml(want_yaml);
  std::string version = in.Find("apiVersion")->text();
  Value got = in;
  ASSERT_TRUE(ConvertToV1(got).ok());
  EXPECT_EQ(got, want) << "got:\n" << Show(got) << "want:\n" << Show(want);
  Value back = got;
  ASSERT_TRUE(ConvertFromV1(back, version).ok());
  EXPECT_EQ(back, in) << "round trip:\n" << Show(back) << "original:\n" << Show(in);
}

// --------------------------------------------------------------------------------------------
// ResourceClaim

TEST(ConvertToV1Test, V1beta1ClaimNestsExactFieldsUnderExactly) {
  ExpectToV1AndBack(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c, namespace: default}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.nvidia.com
      selectors:
      - cel: {expression: "device.attributes['gpu.nvidia.com'].type == 'gpu'"}
      allocationMode: ExactCount
      count: 2
      adminAccess: false
      tolerations:
      - {key: maintenance, operator: Exists, effect: NoSchedule}
      capacity:
        requests: {memory: 10Gi}
    constraints:
    - requests: [gpu]
      matchAttribute: gpu.nvidia.com/uuid
    config:
    - requests: [gpu]
      opaque:
        driver: gpu.nvidia.com
        parameters: {apiVersion: resource.nvidia.com/v1beta1, kind: GpuConfig}
)",
                    R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: default}
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
        selectors:
        - cel: {expression: "device.attributes['gpu.nvidia.com'].type == 'gpu'"}
        allocationMode: ExactCount
        count: 2
        adminAccess: false
        tolerations:
        - {key: maintenance, operator: Exists, effect: NoSchedule}
        capacity:
          requests: {memory: 10Gi}
    constraints:
    - requests: [gpu]
      matchAttribute: gpu.nvidia.com/uuid
    config:
    - requests: [gpu]
      opaque:
        driver: gpu.nvidia.com
        parameters: {apiVersion: resource.nvidia.com/v1beta1, kind: GpuConfig}
)");
}

TEST(ConvertToV1Test, V1beta1ClaimWithFirstAvailable) {
  // As kubectl prints it: v1beta1's deviceClassName has no omitempty, so it shows as "".
  ExpectToV1AndBack(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c, namespace: default}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: ""
      firstAvailable:
      - name: large
        deviceClassName: gpu.nvidia.com
        selectors:
        - cel: {expression: "device.capacity['gpu.nvidia.com'].memory.compareTo(quantity('80Gi')) >= 0"}
        allocationMode: ExactCount
        count: 1
      - name: two-small
        deviceClassName: gpu.nvidia.com
        allocationMode: ExactCount
        count: 2
status:
  allocation:
    devices:
      results:
      - {request: gpu/large, driver: gpu.nvidia.com, pool: node-1, device: gpu-0}
    nodeSelector:
      nodeSelectorTerms:
      - matchFields:
        - {key: metadata.name, operator: In, values: [node-1]}
  reservedFor:
  - {resource: pods, name: p, uid: 1234}
)",
                    R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c, namespace: default}
spec:
  devices:
    requests:
    - name: gpu
      firstAvailable:
      - name: large
        deviceClassName: gpu.nvidia.com
        selectors:
        - cel: {expression: "device.capacity['gpu.nvidia.com'].memory.compareTo(quantity('80Gi')) >= 0"}
        allocationMode: ExactCount
        count: 1
      - name: two-small
        deviceClassName: gpu.nvidia.com
        allocationMode: ExactCount
        count: 2
status:
  allocation:
    devices:
      results:
      - {request: gpu/large, driver: gpu.nvidia.com, pool: node-1, device: gpu-0}
    nodeSelector:
      nodeSelectorTerms:
      - matchFields:
        - {key: metadata.name, operator: In, values: [node-1]}
  reservedFor:
  - {resource: pods, name: p, uid: 1234}
)");
}

TEST(ConvertToV1Test, V1beta1FirstAvailableWithoutDeviceClassNameKey) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      firstAvailable:
      - {name: a, deviceClassName: gpu.nvidia.com}
)");
  ASSERT_TRUE(ConvertToV1(claim).ok());
  const Value& request = claim.Find("spec")->Find("devices")->Find("requests")->items()[0];
  EXPECT_EQ(request.Find("exactly"), nullptr);
  // Writing v1beta1 again emits deviceClassName: "" as the Go encoder does.
  ASSERT_TRUE(ConvertFromV1(claim, "resource.k8s.io/v1beta1").ok());
  const Value& back = claim.Find("spec")->Find("devices")->Find("requests")->items()[0];
  ASSERT_NE(back.Find("deviceClassName"), nullptr);
  EXPECT_EQ(*back.Find("deviceClassName"), Value::String(""));
}

TEST(ConvertToV1Test, V1beta1DeviceClassNameAndFirstAvailableKeepsBoth) {
  // Upstream's conversion creates `exactly` whenever one of its fields is set and leaves the
  // "exactly one of" check to validation.
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.nvidia.com
      firstAvailable:
      - {name: a, deviceClassName: gpu.nvidia.com}
)");
  ASSERT_TRUE(ConvertToV1(claim).ok());
  EXPECT_EQ(claim, Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.nvidia.com}
      firstAvailable:
      - {name: a, deviceClassName: gpu.nvidia.com}
)")) << Show(claim);
}

TEST(ConvertToV1Test, V1beta1ZeroValuedExactFieldsDoNotCreateExactly) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: ""
      allocationMode: ""
      count: 0
      adminAccess: null
      firstAvailable:
      - {name: a, deviceClassName: x}
)");
  ASSERT_TRUE(ConvertToV1(claim).ok());
  EXPECT_EQ(claim.Find("spec")->Find("devices")->Find("requests")->items()[0],
            Yaml("{name: gpu, firstAvailable: [{name: a, deviceClassName: x}]}"))
      << Show(claim);
}

TEST(ConvertToV1Test, V1beta1EmptySelectorListCountsAsSet) {
  // A non-nil empty slice is "set" for upstream's check, but omitempty drops it when written.
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - {name: gpu, selectors: []}
)");
  ASSERT_TRUE(ConvertToV1(claim).ok());
  EXPECT_EQ(claim.Find("spec")->Find("devices")->Find("requests")->items()[0],
            Yaml(R"({name: gpu, exactly: {deviceClassName: ""}})"))
      << Show(claim);
}

TEST(ConvertToV1Test, V1beta1RequestWithExactlyIsRejected) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: a
      deviceClassName: x
    - name: b
      exactly: {deviceClassName: x}
)");
  absl::Status s = ConvertToV1(claim);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(s), AllOf(HasSubstr("spec.devices.requests[1].exactly:"),
                            HasSubstr("resource.k8s.io/v1beta1 ResourceClaim"),
                            HasSubstr("directly on the request")));
}

TEST(ConvertToV1Test, V1beta2AndV1ClaimsOnlyChangeApiVersion) {
  const char* kClaim = R"(
apiVersion: %s
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.nvidia.com, allocationMode: All}
)";
  for (std::string_view version : {"resource.k8s.io/v1beta2", "resource.k8s.io/v1"}) {
    char in_text[512];
    char want_text[512];
    std::snprintf(in_text, sizeof(in_text), kClaim, std::string(version).c_str());
    std::snprintf(want_text, sizeof(want_text), kClaim, "resource.k8s.io/v1");
    ExpectToV1AndBack(in_text, want_text);
  }
}

TEST(ConvertFromV1Test, V1ClaimToV1beta1InlinesExactly) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
        count: 1
        allocationMode: ExactCount
    - name: any
      firstAvailable:
      - {name: a, deviceClassName: gpu.nvidia.com}
)");
  ASSERT_TRUE(ConvertFromV1(claim, "resource.k8s.io/v1beta1").ok());
  EXPECT_EQ(claim, Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.nvidia.com
      allocationMode: ExactCount
      count: 1
    - name: any
      deviceClassName: ""
      firstAvailable:
      - {name: a, deviceClassName: gpu.nvidia.com}
)")) << Show(claim);
  // Upstream field order.
  const Value& request = claim.Find("spec")->Find("devices")->Find("requests")->items()[0];
  ASSERT_EQ(request.members().size(), 4u);
  EXPECT_EQ(request.members()[0].first, "name");
  EXPECT_EQ(request.members()[1].first, "deviceClassName");
  EXPECT_EQ(request.members()[2].first, "allocationMode");
  EXPECT_EQ(request.members()[3].first, "count");
}

TEST(ConvertFromV1Test, V1ClaimWithInlineFieldsIsRejected) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - {name: gpu, deviceClassName: gpu.nvidia.com}
)");
  absl::Status s = ConvertFromV1(claim, "resource.k8s.io/v1beta1");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(s), AllOf(HasSubstr("spec.devices.requests[0].deviceClassName:"),
                            HasSubstr("resource.k8s.io/v1 ResourceClaim"),
                            HasSubstr("spec.devices.requests[0].exactly.deviceClassName")));
}

TEST(ConvertFromV1Test, RequiresHubVersion) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaim
metadata: {name: c}
spec: {devices: {requests: []}}
)");
  absl::Status s = ConvertFromV1(claim, "resource.k8s.io/v1beta2");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(s), HasSubstr("expected resource.k8s.io/v1"));
}

TEST(ConvertFromV1Test, RejectsUnservedTargets) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c}
spec: {devices: {requests: []}}
)");
  Value copy = claim;
  EXPECT_THAT(Msg(ConvertFromV1(copy, "resource.k8s.io/v1alpha3")), HasSubstr("removed in v1.34"));
  copy = claim;
  EXPECT_THAT(Msg(ConvertFromV1(copy, "resource.k8s.io/v1alpha2")), HasSubstr("no longer served"));
  copy = claim;
  EXPECT_EQ(ConvertFromV1(copy, "apps/v1").code(), absl::StatusCode::kInvalidArgument);
}

// --------------------------------------------------------------------------------------------
// ResourceClaimTemplate

TEST(ConvertToV1Test, V1beta1TemplateConvertsNestedClaimSpec) {
  ExpectToV1AndBack(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata: {name: t, namespace: default}
spec:
  metadata:
    labels: {app: training}
  spec:
    devices:
      requests:
      - name: gpu
        deviceClassName: gpu.nvidia.com
        allocationMode: All
        adminAccess: true
)",
                    R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: t, namespace: default}
spec:
  metadata:
    labels: {app: training}
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: gpu.nvidia.com
          allocationMode: All
          adminAccess: true
)");
}

TEST(ConvertToV1Test, DocManifestV1beta1TemplateGpuNicTopology) {
  fs::path path = SharedDir() / "examples" / "doc-manifests" /
                  "dra-overview-00-resourceclaimtemplate-gpu-nic-topology.yaml";
  auto docs = ParseYamlDocuments(ReadFile(path));
  ASSERT_TRUE(docs.ok()) << docs.status();
  ASSERT_EQ(docs->size(), 1u);
  Value original = (*docs)[0];
  Value object = original;
  ASSERT_EQ(object.Find("apiVersion")->text(), "resource.k8s.io/v1beta1");
  ASSERT_TRUE(ConvertToV1(object).ok());
  EXPECT_EQ(object, Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: gpu-nic-topology
spec:
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: nvidia-gpu
          count: 1
      - name: rdma-nic
        exactly:
          deviceClassName: rdma-nic
          count: 1
      constraints:
      - requests: ["gpu", "rdma-nic"]
        matchAttribute: pcieRoot
)")) << Show(object);
  ASSERT_TRUE(ConvertFromV1(object, "resource.k8s.io/v1beta1").ok());
  EXPECT_EQ(object, original) << Show(object);
}

// --------------------------------------------------------------------------------------------
// ResourceSlice

TEST(ConvertToV1Test, V1beta1SliceFlattensBasicDevices) {
  ExpectToV1AndBack(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: node-1-gpu.nvidia.com-abcde}
spec:
  driver: gpu.nvidia.com
  pool: {name: node-1, generation: 1, resourceSliceCount: 1}
  nodeName: node-1
  sharedCounters:
  - name: gpu-0-counter-set
    counters:
      memory: {value: 80Gi}
  devices:
  - name: gpu-0
    basic:
      attributes:
        type: {string: gpu}
        driverVersion: {version: 550.54.15}
        index: {int: 0}
      capacity:
        memory: {value: 80Gi}
        bandwidth:
          value: 100G
          requestPolicy:
            default: 10G
            validRange: {min: 1G, step: 1G}
      consumesCounters:
      - counterSet: gpu-0-counter-set
        counters:
          memory: {value: 80Gi}
      taints:
      - {key: unhealthy, value: "true", effect: NoSchedule, timeAdded: "2025-01-01T00:00:00Z"}
      allowMultipleAllocations: true
  - name: gpu-1
    basic: {}
)",
                    R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: node-1-gpu.nvidia.com-abcde}
spec:
  driver: gpu.nvidia.com
  pool: {name: node-1, generation: 1, resourceSliceCount: 1}
  nodeName: node-1
  sharedCounters:
  - name: gpu-0-counter-set
    counters:
      memory: {value: 80Gi}
  devices:
  - name: gpu-0
    attributes:
      type: {string: gpu}
      driverVersion: {version: 550.54.15}
      index: {int: 0}
    capacity:
      memory: {value: 80Gi}
      bandwidth:
        value: 100G
        requestPolicy:
          default: 10G
          validRange: {min: 1G, step: 1G}
    consumesCounters:
    - counterSet: gpu-0-counter-set
      counters:
        memory: {value: 80Gi}
    taints:
    - {key: unhealthy, value: "true", effect: NoSchedule, timeAdded: "2025-01-01T00:00:00Z"}
    allowMultipleAllocations: true
  - name: gpu-1
)");
}

TEST(ConvertToV1Test, V1beta1SlicePerDeviceNodeSelection) {
  ExpectToV1AndBack(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: dra.example.com
  pool: {name: p, generation: 3, resourceSliceCount: 2}
  perDeviceNodeSelection: true
  devices:
  - name: d0
    basic:
      nodeName: node-a
      bindsToNode: true
      bindingConditions: [attached]
      bindingFailureConditions: [failed]
  - name: d1
    basic:
      allNodes: true
  - name: d2
    basic:
      nodeSelector:
        nodeSelectorTerms:
        - matchExpressions:
          - {key: zone, operator: In, values: [a]}
)",
                    R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: dra.example.com
  pool: {name: p, generation: 3, resourceSliceCount: 2}
  perDeviceNodeSelection: true
  devices:
  - name: d0
    nodeName: node-a
    bindsToNode: true
    bindingConditions: [attached]
    bindingFailureConditions: [failed]
  - name: d1
    allNodes: true
  - name: d2
    nodeSelector:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: zone, operator: In, values: [a]}
)");
}

TEST(ConvertToV1Test, V1beta2SliceOnlyChangesApiVersion) {
  ExpectToV1AndBack(R"(
apiVersion: resource.k8s.io/v1beta2
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  allNodes: true
  devices:
  - name: d0
    attributes: {model: {string: x}}
    capacity: {memory: {value: 1Gi}}
)",
                    R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  allNodes: true
  devices:
  - name: d0
    attributes: {model: {string: x}}
    capacity: {memory: {value: 1Gi}}
)");
}

TEST(ConvertToV1Test, V1beta1SliceDropsEmptyNodeNameAndFalseAllNodes) {
  Value slice = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  nodeName: ""
  allNodes: false
  nodeSelector: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Exists}]}]}
)");
  ASSERT_TRUE(ConvertToV1(slice).ok());
  EXPECT_EQ(slice.Find("spec")->Find("nodeName"), nullptr);
  EXPECT_EQ(slice.Find("spec")->Find("allNodes"), nullptr);
  EXPECT_NE(slice.Find("spec")->Find("nodeSelector"), nullptr);
}

TEST(ConvertToV1Test, V1beta1SliceWithDeviceFieldsOutsideBasicIsRejected) {
  Value slice = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  allNodes: true
  devices:
  - name: d0
    attributes:
      model: {string: x}
)");
  absl::Status s = ConvertToV1(slice);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(s), AllOf(HasSubstr("spec.devices[0].attributes:"),
                            HasSubstr("resource.k8s.io/v1beta1 ResourceSlice"),
                            HasSubstr("spec.devices[0].basic")));
}

TEST(ConvertToV1Test, V1beta1SliceWithNonObjectBasicIsRejected) {
  Value slice = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  allNodes: true
  devices:
  - {name: d0, basic: [1]}
)");
  absl::Status s = ConvertToV1(slice);
  EXPECT_THAT(Msg(s), HasSubstr("spec.devices[0].basic: expected an object, got array"));
}

TEST(ConvertToV1Test, V1beta1SliceWithNameInsideBasicIsRejected) {
  Value slice = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  allNodes: true
  devices:
  - {name: d0, basic: {name: other}}
)");
  EXPECT_THAT(Msg(ConvertToV1(slice)), HasSubstr("spec.devices[0].basic.name:"));
}

TEST(ConvertFromV1Test, V1SliceToV1beta1WrapsDevicesInBasic) {
  Value slice = Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  nodeName: ""
  allNodes: true
  devices:
  - name: d0
    attributes: {model: {string: x}}
    capacity: {memory: {value: 1Gi}}
  - name: d1
)");
  ASSERT_TRUE(ConvertFromV1(slice, "resource.k8s.io/v1beta1").ok());
  EXPECT_EQ(slice, Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  allNodes: true
  devices:
  - name: d0
    basic:
      attributes: {model: {string: x}}
      capacity: {memory: {value: 1Gi}}
  - name: d1
    basic: {}
)")) << Show(slice);
}

TEST(ConvertFromV1Test, V1SliceWithBasicIsRejected) {
  Value slice = Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: s}
spec:
  driver: d
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  devices:
  - {name: d0, basic: {}}
)");
  absl::Status s = ConvertFromV1(slice, "resource.k8s.io/v1beta1");
  EXPECT_THAT(Msg(s), AllOf(HasSubstr("spec.devices[0].basic:"),
                            HasSubstr("resource.k8s.io/v1 ResourceSlice")));
}

// --------------------------------------------------------------------------------------------
// DeviceClass

TEST(ConvertToV1Test, DeviceClassIsTheSameInEveryVersion) {
  const char* kClass = R"(
apiVersion: %s
kind: DeviceClass
metadata: {name: gpu.nvidia.com}
spec:
  selectors:
  - cel: {expression: "device.driver == 'gpu.nvidia.com'"}
  config:
  - opaque:
      driver: gpu.nvidia.com
      parameters: {apiVersion: resource.nvidia.com/v1beta1, kind: GpuConfig}
  extendedResourceName: nvidia.com/gpu
)";
  char want[1024];
  std::snprintf(want, sizeof(want), kClass, "resource.k8s.io/v1");
  for (const char* version :
       {"resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1"}) {
    char in[1024];
    std::snprintf(in, sizeof(in), kClass, version);
    ExpectToV1AndBack(in, want);
  }
}

// --------------------------------------------------------------------------------------------
// DeviceTaintRule

constexpr std::string_view kTaintRule = R"(
apiVersion: resource.k8s.io/v1alpha3
kind: DeviceTaintRule
metadata: {name: r}
spec:
  deviceSelector: {driver: gpu.nvidia.com, pool: node-1, device: gpu-0}
  taint: {key: maintenance, value: planned, effect: NoExecute}
status:
  conditions:
  - type: EvictionInProgress
    status: "False"
    reason: Completed
    message: ""
    lastTransitionTime: "2025-01-01T00:00:00Z"
)";

TEST(ConvertToV1Test, DeviceTaintRuleConvertsToItsHubVersion) {
  Value rule = Yaml(kTaintRule);
  Value original = rule;
  ASSERT_TRUE(ConvertToV1(rule).ok());
  EXPECT_EQ(rule.Find("apiVersion")->text(), "resource.k8s.io/v1beta2");
  Value want = original;
  want.Set("apiVersion", Value::String("resource.k8s.io/v1beta2"));
  EXPECT_EQ(rule, want);
  ASSERT_TRUE(ConvertFromV1(rule, "resource.k8s.io/v1alpha3").ok());
  EXPECT_EQ(rule, original);

  Value beta = want;
  ASSERT_TRUE(ConvertToV1(beta).ok());
  EXPECT_EQ(beta, want);
}

TEST(ConvertToV1Test, DeviceTaintRuleRemovedSelectorFieldsAreRejected) {
  Value rule = Yaml(R"(
apiVersion: resource.k8s.io/v1alpha3
kind: DeviceTaintRule
metadata: {name: r}
spec:
  deviceSelector:
    deviceClassName: gpu.nvidia.com
  taint: {key: k, effect: NoSchedule}
)");
  absl::Status s = ConvertToV1(rule);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(s), AllOf(HasSubstr("spec.deviceSelector.deviceClassName:"), HasSubstr("v1.35"),
                            HasSubstr("DeviceTaintRule")));
}

TEST(ConvertToV1Test, DeviceTaintRuleIsNotServedAsV1beta1OrV1) {
  for (const char* version : {"resource.k8s.io/v1beta1", "resource.k8s.io/v1"}) {
    Value rule = Yaml(kTaintRule);
    rule.Set("apiVersion", Value::String(version));
    absl::Status s = ConvertToV1(rule);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << version;
    EXPECT_THAT(Msg(s), HasSubstr("write apiVersion: resource.k8s.io/v1beta2")) << version;
  }
  Value rule = Yaml(kTaintRule);
  ASSERT_TRUE(ConvertToV1(rule).ok());
  EXPECT_THAT(Msg(ConvertFromV1(rule, "resource.k8s.io/v1beta1")),
              HasSubstr("DeviceTaintRule is not served as resource.k8s.io/v1beta1"));
}

// --------------------------------------------------------------------------------------------
// Lists

TEST(ConvertToV1Test, ListsConvertEveryItem) {
  Value list = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimList
metadata: {resourceVersion: "7"}
items:
- apiVersion: resource.k8s.io/v1beta1
  kind: ResourceClaim
  metadata: {name: a}
  spec: {devices: {requests: [{name: r, deviceClassName: x}]}}
- metadata: {name: b}
  spec: {devices: {requests: [{name: r, deviceClassName: y}]}}
)");
  Value original = list;
  ASSERT_TRUE(ConvertToV1(list).ok());
  EXPECT_EQ(list, Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaimList
metadata: {resourceVersion: "7"}
items:
- apiVersion: resource.k8s.io/v1
  kind: ResourceClaim
  metadata: {name: a}
  spec: {devices: {requests: [{name: r, exactly: {deviceClassName: x}}]}}
- metadata: {name: b}
  spec: {devices: {requests: [{name: r, exactly: {deviceClassName: y}}]}}
)")) << Show(list);
  ASSERT_TRUE(ConvertFromV1(list, "resource.k8s.io/v1beta1").ok());
  EXPECT_EQ(list, original);
}

TEST(ConvertToV1Test, ListErrorsNameTheItem) {
  Value list = Yaml(R"(
apiVersion: resource.k8s.io/v1beta1
kind: ResourceSliceList
items:
- metadata: {name: a}
  spec:
    driver: d
    devices: [{name: x, attributes: {}}]
)");
  EXPECT_THAT(Msg(ConvertToV1(list)), HasSubstr("items[0].spec.devices[0].attributes:"));
}

// --------------------------------------------------------------------------------------------
// Withdrawn versions and kinds

struct WithdrawnCase {
  const char* api_version;
  const char* kind;
  std::vector<const char*> want;
};

TEST(CheckServedVersionTest, WithdrawnVersionsNameTheReplacement) {
  const std::vector<WithdrawnCase> cases = {
      {"resource.k8s.io/v1alpha2",
       "ResourceClass",
       {"resource.k8s.io/v1alpha2 is no longer served", "removed in v1.31",
        "ResourceClass was replaced by DeviceClass (resource.k8s.io/v1)", "spec.selectors"}},
      {"resource.k8s.io/v1alpha2",
       "ResourceClaim",
       {"resource.k8s.io/v1alpha2 is no longer served",
        "ResourceClaim was replaced by ResourceClaim (resource.k8s.io/v1)",
        "spec.devices.requests"}},
      {"resource.k8s.io/v1alpha2",
       "ResourceClaimTemplate",
       {"ResourceClaimTemplate was replaced by ResourceClaimTemplate (resource.k8s.io/v1)",
        "resourceClaimTemplateName"}},
      {"resource.k8s.io/v1alpha2",
       "ResourceClaimParameters",
       {"no longer served", "spec.devices", "CEL selectors", "opaque", "DeviceClass"}},
      {"resource.k8s.io/v1alpha2",
       "ResourceClassParameters",
       {"no longer served", "spec.devices", "DeviceClass"}},
      {"resource.k8s.io/v1alpha2",
       "PodSchedulingContext",
       {"no longer served", "PodSchedulingContext was removed",
        "the scheduler allocates devices itself"}},
      {"resource.k8s.io/v1alpha2",
       "ResourceSlice",
       {"no longer served", "ResourceSlice was replaced by ResourceSlice (resource.k8s.io/v1)"}},
      {"resource.k8s.io/v1alpha2",
       "DeviceClass",
       {"no longer served", "DeviceClass is served as resource.k8s.io/v1"}},
      {"resource.k8s.io/v1alpha1",
       "ResourceClass",
       {"resource.k8s.io/v1alpha1 is no longer served", "Kubernetes v1.26", "removed in v1.27",
        "DeviceClass (resource.k8s.io/v1)"}},
      {"resource.k8s.io/v1alpha1",
       "PodScheduling",
       {"resource.k8s.io/v1alpha1 is no longer served", "the scheduler allocates"}},
      {"resource.k8s.io/v1alpha3",
       "ResourceClaim",
       {"resource.k8s.io/v1alpha3 no longer serves ResourceClaim", "v1.31 to v1.33",
        "removed in v1.34", "ResourceClaim (resource.k8s.io/v1)", "exactly"}},
      {"resource.k8s.io/v1alpha3",
       "ResourceSlice",
       {"removed in v1.34", "basic", "{value: <quantity>}"}},
      {"resource.k8s.io/v1alpha3",
       "DeviceClass",
       {"removed in v1.34", "DeviceClass (resource.k8s.io/v1)"}},
      {"resource.k8s.io/v1alpha3",
       "ResourceClaimTemplate",
       {"removed in v1.34", "ResourceClaimTemplate (resource.k8s.io/v1)"}},
      {"resource.k8s.io/v1alpha3",
       "PodSchedulingContext",
       {"removed in v1.32", "DRAControlPlaneController", "the scheduler allocates"}},
      {"resource.k8s.io/v1",
       "ResourceClass",
       {"no matches for kind \"ResourceClass\" in version \"resource.k8s.io/v1\"",
        "removed in v1.31", "DeviceClass (resource.k8s.io/v1)"}},
      {"resource.k8s.io/v1beta1",
       "PodSchedulingContext",
       {"no matches for kind", "removed in v1.32"}},
      {"resource.k8s.io/v1", "Foo", {"no matches for kind \"Foo\" in version"}},
      {"resource.k8s.io/v2", "ResourceClaim", {"resource.k8s.io serves v1, v1beta2, v1beta1"}},
      {"v1", "ResourceClaim", {"not a resource.k8s.io apiVersion"}},
  };
  for (const WithdrawnCase& c : cases) {
    absl::Status s = CheckServedVersion(c.api_version, c.kind);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.api_version << " " << c.kind;
    for (const char* want : c.want) {
      EXPECT_THAT(Msg(s), HasSubstr(want)) << c.api_version << " " << c.kind;
    }
  }
}

TEST(CheckServedVersionTest, ServedKinds) {
  for (const char* version :
       {"resource.k8s.io/v1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1"}) {
    for (const char* kind :
         {"DeviceClass", "ResourceSlice", "ResourceClaim", "ResourceClaimTemplate"}) {
      EXPECT_TRUE(CheckServedVersion(version, kind).ok()) << version << " " << kind;
    }
  }
  EXPECT_TRUE(CheckServedVersion("resource.k8s.io/v1beta2", "DeviceTaintRule").ok());
  EXPECT_TRUE(CheckServedVersion("resource.k8s.io/v1alpha3", "DeviceTaintRule").ok());
  EXPECT_TRUE(CheckServedVersion("resource.k8s.io/v1alpha3", "ResourcePoolStatusRequest").ok());
}

TEST(ConvertToV1Test, LegacyV1alpha2DocManifestIsRefused) {
  auto docs = ParseYamlDocuments(
      ReadFile(SharedDir() / "examples" / "doc-manifests" / "devopsroles-legacy-v1alpha2.yaml"));
  ASSERT_TRUE(docs.ok()) << docs.status();
  int refused = 0;
  for (Value& doc : *docs) {
    if (!doc.Find("apiVersion")->text().starts_with("resource.k8s.io/")) continue;
    std::string kind = doc.Find("kind")->text();
    absl::Status s = ConvertToV1(doc);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << kind;
    EXPECT_THAT(Msg(s), HasSubstr("resource.k8s.io/v1alpha2 is no longer served")) << kind;
    EXPECT_THAT(Msg(s), HasSubstr("was replaced by")) << kind;
    ++refused;
  }
  EXPECT_EQ(refused, 2);
}

TEST(ConvertToV1Test, ResourcePoolStatusRequestHasNoV1Form) {
  Value request = Yaml(R"(
apiVersion: resource.k8s.io/v1alpha3
kind: ResourcePoolStatusRequest
metadata: {name: r}
spec: {driver: d}
)");
  absl::Status s = ConvertToV1(request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(s), HasSubstr("no resource.k8s.io/v1 form"));
}

TEST(ConvertToV1Test, MissingTypeMeta) {
  Value v = Yaml("{kind: ResourceClaim}");
  EXPECT_THAT(Msg(ConvertToV1(v)), HasSubstr("apiVersion: Required value"));
  Value array = Value::Array();
  EXPECT_EQ(ConvertToV1(array).code(), absl::StatusCode::kInvalidArgument);
}

// --------------------------------------------------------------------------------------------
// Round trips over every resource.k8s.io/v1 object in the shared examples and conformance data:
// v1 -> v1beta1 -> v1 and v1 -> v1beta2 -> v1 must give back the same tree.

void CollectResourceObjects(const Value& v, std::vector<Value>& out) {
  if (v.is_object()) {
    const Value* api_version = v.Find("apiVersion");
    const Value* kind = v.Find("kind");
    if (api_version != nullptr && api_version->is_string() &&
        api_version->text() == "resource.k8s.io/v1" && kind != nullptr && kind->is_string()) {
      out.push_back(v);
      return;
    }
    for (const auto& [name, member] : v.members()) CollectResourceObjects(member, out);
  } else if (v.is_array()) {
    for (const Value& item : v.items()) CollectResourceObjects(item, out);
  }
}

TEST(RoundTripTest, SharedV1ObjectsSurviveV1beta1AndV1beta2) {
  std::vector<Value> objects;
  for (const char* dir :
       {"examples/doc-manifests", "conformance/allocator", "conformance/allocator-generated"}) {
    fs::path root = SharedDir() / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() != ".yaml") continue;
      auto docs = ParseYamlDocuments(ReadFile(entry.path()));
      if (!docs.ok()) continue;  // the codec tests cover unreadable files
      for (const Value& doc : *docs) CollectResourceObjects(doc, objects);
    }
  }
  ASSERT_GT(objects.size(), 100u);
  int checked = 0;
  for (const Value& object : objects) {
    std::string kind = object.Find("kind")->text();
    if (kind != "DeviceClass" && kind != "ResourceSlice" && kind != "ResourceClaim" &&
        kind != "ResourceClaimTemplate") {
      continue;
    }
    for (const char* version : {"resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2"}) {
      Value converted = object;
      absl::Status down = ConvertFromV1(converted, version);
      ASSERT_TRUE(down.ok()) << down << "\n" << Show(object);
      EXPECT_EQ(converted.Find("apiVersion")->text(), version);
      absl::Status up = ConvertToV1(converted);
      ASSERT_TRUE(up.ok()) << up << "\n" << Show(object);
      EXPECT_EQ(converted, object) << version << "\n"
                                   << Show(converted) << "original:\n"
                                   << Show(object);
      ++checked;
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(RoundTripTest, V1beta1ShapeHasNoV1OnlyFields) {
  Value claim = Yaml(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c}
spec:
  devices:
    requests:
    - name: r
      exactly: {deviceClassName: x, count: 3}
)");
  ASSERT_TRUE(ConvertFromV1(claim, "resource.k8s.io/v1beta1").ok());
  EXPECT_THAT(Show(claim), Not(HasSubstr("exactly")));
}

}  // namespace
}  // namespace dra::api
