#include "dra/api/codec/protobuf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"

namespace dra::api {
namespace {

using ::testing::HasSubstr;

// A tiny protobuf writer for hand-built inputs, independent of the code under test. Field
// numbers below are transcribed from upstream's generated.proto files.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}
// Varint field (wire type 0).
std::string I(int number, uint64_t v) { return Varint(uint64_t(number) << 3) + Varint(v); }
// Length-delimited field (wire type 2): strings, bytes, messages, map entries.
std::string L(int number, std::string_view bytes) {
  return Varint((uint64_t(number) << 3) | 2) + Varint(bytes.size()) + std::string(bytes);
}
std::string MapEntry(int number, std::string_view key, std::string_view value) {
  return L(number, L(1, key) + L(2, value));
}
std::string Envelope(std::string_view api_version, std::string_view kind, std::string_view raw) {
  return std::string("k8s\0", 4) + L(1, L(1, api_version) + L(2, kind)) + L(2, raw) + L(3, "") +
         L(4, "");
}
// ObjectMeta as upstream's marshaler writes it: every non-pointer scalar, zero or not, and an
// empty creationTimestamp for the zero time.
std::string Meta(std::string_view name, std::string_view extra = "") {
  return L(1, name) + L(2, "") + L(3, "") + L(4, "") + L(5, "") + L(6, "") + I(7, 0) + L(8, "") +
         std::string(extra);
}
std::string Quantity(std::string_view s) { return L(1, s); }

Value Json(std::string_view text) {
  auto v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << "\n" << text;
  return v.ok() ? *v : Value();
}

void ExpectDecodes(const std::string& bytes, std::string_view want_json) {
  auto got = DecodeKubernetesProtobuf(bytes);
  ASSERT_TRUE(got.ok()) << got.status();
  Value want = Json(want_json);
  EXPECT_EQ(*got, want) << "got:  " << WriteJson(*got, 2) << "\nwant: " << WriteJson(want, 2);
}

std::string ErrorOf(const std::string& bytes) {
  auto got = DecodeKubernetesProtobuf(bytes);
  EXPECT_FALSE(got.ok()) << WriteJson(*got);
  if (got.ok()) return "";
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << got.status();
  return std::string(got.status().message());
}

TEST(ProtobufTest, SchemaTableIsConsistent) {
  EXPECT_TRUE(protobuf_internal::ValidateSchemaTable().ok())
      << protobuf_internal::ValidateSchemaTable();
}

TEST(ProtobufTest, DetectsMagic) {
  EXPECT_TRUE(IsKubernetesProtobuf(std::string("k8s\0\x0a", 5)));
  EXPECT_TRUE(IsKubernetesProtobuf(std::string("k8s\0", 4)));
  EXPECT_FALSE(IsKubernetesProtobuf("k8s"));
  EXPECT_FALSE(IsKubernetesProtobuf("{\"kind\":\"Pod\"}"));
  EXPECT_FALSE(IsKubernetesProtobuf(""));
}

// The exact body `kubectl create namespace foo` sends.
TEST(ProtobufTest, KubectlCreateNamespace) {
  const std::string bytes(
      "k8s\x00"
      "\x0a\x0f"                     // typeMeta
      "\x0a\x02v1\x12\x09Namespace"  //
      "\x12\x1b"                     // raw: Namespace
      "\x0a\x13"                     // metadata
      "\x0a\x03"
      "foo\x12\x00\x1a\x00\x22\x00\x2a\x00\x32\x00\x38\x00\x42\x00"  //
      "\x12\x00"                                                     // spec
      "\x1a\x02\x0a\x00"                                             // status{phase: ""}
      "\x1a\x00\x22\x00",                                            // contentEncoding, contentType
      4 + 2 + 15 + 2 + 27 + 4);
  EXPECT_EQ(bytes, Envelope("v1", "Namespace", L(1, Meta("foo")) + L(2, "") + L(3, L(1, ""))));
  ExpectDecodes(bytes, R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"},
                           "spec": {}, "status": {}})");
}

// What `kubectl create deployment web --image=nginx` sends, zero-valued fields included.
std::string KubectlDeployment(uint64_t replicas) {
  std::string labels = MapEntry(11, "app", "web");
  std::string container = L(1, "nginx") + L(2, "nginx") + L(5, "") + L(8, "") + L(13, "") +
                          L(14, "") + I(16, 0) + I(17, 0) + I(18, 0) + L(20, "");
  std::string pod_spec = L(2, container) + L(3, "") + L(6, "") + L(8, "") + L(9, "") + L(10, "") +
                         I(11, 0) + I(12, 0) + I(13, 0) + L(16, "") + L(17, "") + L(19, "") +
                         L(24, "");
  std::string template_spec = L(1, Meta("", labels)) + L(2, pod_spec);
  std::string spec = I(1, replicas) + L(2, MapEntry(1, "app", "web")) + L(3, template_spec) +
                     L(4, L(1, "")) + I(5, 0) + I(7, 0);
  std::string status = I(1, 0) + I(2, 0) + I(3, 0) + I(4, 0) + I(5, 0) + I(7, 0);
  return Envelope("apps/v1", "Deployment", L(1, Meta("web", labels)) + L(2, spec) + L(3, status));
}

TEST(ProtobufTest, KubectlCreateDeployment) {
  ExpectDecodes(KubectlDeployment(1), R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
      "replicas": 1,
      "selector": {"matchLabels": {"app": "web"}},
      "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]}
      },
      "strategy": {}
    },
    "status": {}
  })");
}

TEST(ProtobufTest, PointerZeroIsKept) {
  auto got = DecodeKubernetesProtobuf(KubectlDeployment(0));
  ASSERT_TRUE(got.ok()) << got.status();
  const Value* replicas = got->Find("spec")->Find("replicas");
  ASSERT_NE(replicas, nullptr);
  EXPECT_EQ(replicas->AsInt64(), 0);
}

// A Pod using most of what PodSpec offers, as upstream marshals it.
std::string FullPodBytes() {
  const std::string time = I(1, 1700000000) + I(2, 0);  // 2023-11-14T22:13:20Z
  std::string owner =
      L(1, "ReplicaSet") + L(3, "rs") + L(4, "u2") + L(5, "apps/v1") + I(6, 1) + I(7, 0);
  std::string managed = L(1, "kubectl") + L(2, "Update") + L(3, "v1") + L(4, time) +
                        L(6, "FieldsV1") + L(7, L(1, R"({"f:spec":{"f:nodeName":{}}})")) + L(8, "");
  std::string meta = L(1, "p") + L(2, "") + L(3, "ns") + L(4, "") + L(5, "u1") + L(6, "42") +
                     I(7, 3) + L(8, time) + I(10, 0) + MapEntry(12, "a", "b") + L(13, owner) +
                     L(14, "example.com/f") + L(17, managed);

  std::string volumes = L(1, L(1, "data") + L(2, L(2, L(1, "")))) +  // emptyDir: {}
                        L(1, L(1, "cfg") + L(2, L(19, L(1, L(1, "cm")) + I(3, 420))));  // configMap
  std::string env = L(7, L(1, "A") + L(2, "1")) +
                    L(7, L(1, "NODE") + L(2, "") + L(3, L(1, L(1, "v1") + L(2, "spec.nodeName"))));
  std::string resources = MapEntry(1, "cpu", Quantity("500m")) +
                          MapEntry(2, "memory", Quantity("64Mi")) + L(3, L(1, "gpu") + L(2, ""));
  std::string liveness =
      L(1, L(2, L(1, "/healthz") + L(2, I(1, 0) + I(2, 8080) + L(3, "")))) + I(2, 3) + I(3, 0);
  std::string readiness = L(1, L(2, L(1, "") + L(2, I(1, 1) + I(2, 0) + L(3, "http"))));
  std::string container = L(1, "app") + L(2, "img") + L(3, "sh") + L(3, "-c") +
                          L(6, L(1, "http") + I(2, 0) + I(3, 8080) + L(4, "TCP") + L(5, "")) + env +
                          L(8, resources) + L(9, L(1, "data") + I(2, 1) + L(3, "/data")) +
                          L(10, liveness) + L(11, readiness) +
                          L(15, L(1, L(2, "ALL")) + I(2, 0) + I(4, 1000)) +
                          L(19, L(1, "") + L(2, L(1, L(1, "cm")))) + I(16, 0);
  std::string affinity = L(1, L(1, L(1, L(1, L(1, "zone") + L(2, "In") + L(3, "a") + L(3, "b")))));
  std::string status = L(1, "Pending") + L(7, time);
  std::string pod_spec =
      volumes + L(2, container) + I(4, 30) + MapEntry(7, "disk", "ssd") +
      L(14, L(4, Varint(1) + Varint(2)) + I(5, 2000)) + L(18, affinity) + I(21, 0) +
      L(22, L(1, "k") + L(2, "Exists") + L(3, "") + L(4, "NoExecute") + I(5, 0)) +
      L(38, L(1, "gate")) + L(39, L(1, "gpu") + L(4, "tmpl"));
  return Envelope("v1", "Pod", L(1, meta) + L(2, pod_spec) + L(3, status));
}

TEST(ProtobufTest, FullPod) {
  ExpectDecodes(FullPodBytes(), R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {
      "name": "p", "namespace": "ns", "uid": "u1", "resourceVersion": "42", "generation": 3,
      "creationTimestamp": "2023-11-14T22:13:20Z",
      "deletionGracePeriodSeconds": 0,
      "annotations": {"a": "b"},
      "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "uid": "u2",
                           "apiVersion": "apps/v1", "controller": true,
                           "blockOwnerDeletion": false}],
      "finalizers": ["example.com/f"],
      "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "v1",
                         "time": "2023-11-14T22:13:20Z", "fieldsType": "FieldsV1",
                         "fieldsV1": {"f:spec": {"f:nodeName": {}}}}]
    },
    "spec": {
      "volumes": [{"name": "data", "emptyDir": {}},
                  {"name": "cfg", "configMap": {"name": "cm", "defaultMode": 420}}],
      "containers": [{
        "name": "app", "image": "img", "command": ["sh", "-c"],
        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
        "env": [{"name": "A", "value": "1"},
                {"name": "NODE",
                 "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
        "resources": {"limits": {"cpu": "500m"}, "requests": {"memory": "64Mi"},
                      "claims": [{"name": "gpu"}]},
        "volumeMounts": [{"name": "data", "readOnly": true, "mountPath": "/data"}],
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080},
                          "initialDelaySeconds": 3},
        "readinessProbe": {"httpGet": {"port": "http"}},
        "securityContext": {"capabilities": {"drop": ["ALL"]}, "privileged": false,
                            "runAsUser": 1000},
        "envFrom": [{"configMapRef": {"name": "cm"}}]
      }],
      "terminationGracePeriodSeconds": 30,
      "nodeSelector": {"disk": "ssd"},
      "securityContext": {"supplementalGroups": [1, 2], "fsGroup": 2000},
      "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
          {"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}}},
      "automountServiceAccountToken": false,
      "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute",
                       "tolerationSeconds": 0}],
      "schedulingGates": [{"name": "gate"}],
      "resourceClaims": [{"name": "gpu", "resourceClaimTemplateName": "tmpl"}]
    },
    "status": {"phase": "Pending", "startTime": "2023-11-14T22:13:20Z"}
  })");
}

TEST(ProtobufTest, DeleteOptions) {
  std::string raw = I(1, 0) + L(2, L(1, "uid-1") + L(2, "7")) + L(4, "Foreground") + L(5, "All");
  ExpectDecodes(Envelope("v1", "DeleteOptions", raw), R"({
    "apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
    "preconditions": {"uid": "uid-1", "resourceVersion": "7"},
    "propagationPolicy": "Foreground", "dryRun": ["All"]})");
  ExpectDecodes(Envelope("meta.k8s.io/v1", "DeleteOptions", ""),
                R"({"apiVersion": "meta.k8s.io/v1", "kind": "DeleteOptions"})");
}

TEST(ProtobufTest, EventTimes) {
  std::string raw = L(1, Meta("e")) + L(2, L(1, "Pod") + L(3, "p")) + L(3, "Started") +
                    L(5, L(1, "kubelet") + L(2, "")) +
                    L(6, I(1, static_cast<uint64_t>(int64_t{-62135596800})) + I(2, 0)) +  // zero
                    L(7, I(1, 0) + I(2, 0)) +                            // the epoch is a real time
                    I(8, 2) + L(10, I(1, 951782400) + I(2, 123456789));  // leap day 2000
  ExpectDecodes(Envelope("v1", "Event", raw), R"({
    "apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"},
    "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Started",
    "source": {"component": "kubelet"}, "lastTimestamp": "1970-01-01T00:00:00Z", "count": 2,
    "eventTime": "2000-02-29T00:00:00.123456Z"})");
}

TEST(ProtobufTest, ResourceClaimWithOpaqueConfig) {
  std::string request =
      L(1, "gpu") + L(2, L(1, "gpu.example.com") + L(2, L(1, L(1, "device.driver == \"x\""))) +
                             L(3, "ExactCount") + I(4, 2));
  std::string config =
      L(1, "gpu") + L(2, L(1, L(1, "gpu.example.com") + L(2, L(1, R"({"sharing":"time"})"))));
  std::string raw = L(1, Meta("c")) + L(2, L(1, L(1, request) + L(3, config))) + L(3, "");
  ExpectDecodes(Envelope("resource.k8s.io/v1", "ResourceClaim", raw), R"({
    "apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaim", "metadata": {"name": "c"},
    "spec": {"devices": {
      "requests": [{"name": "gpu", "exactly": {
        "deviceClassName": "gpu.example.com",
        "selectors": [{"cel": {"expression": "device.driver == \"x\""}}],
        "allocationMode": "ExactCount", "count": 2}}],
      "config": [{"requests": ["gpu"],
                  "opaque": {"driver": "gpu.example.com", "parameters": {"sharing": "time"}}}]}},
    "status": {}})");
}

TEST(ProtobufTest, SecretBytesAreBase64) {
  std::string raw = L(1, Meta("s")) + MapEntry(2, "k", std::string("\x00\xff", 2)) + L(3, "Opaque");
  ExpectDecodes(Envelope("v1", "Secret", raw), R"({
    "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
    "data": {"k": "AP8="}, "type": "Opaque"})");
}

TEST(ProtobufTest, MapEntriesWithMissingParts) {
  // A missing value is the value type's zero; a repeated key keeps the last value.
  std::string meta = Meta("p", L(11, L(1, "k")) + MapEntry(11, "x", "1") + MapEntry(11, "x", "2"));
  std::string container = L(1, "c") + L(8, L(1, L(1, "cpu")) + L(2, L(2, Quantity("1"))));
  ExpectDecodes(Envelope("v1", "Pod", L(1, meta) + L(2, L(2, container))), R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p", "labels": {"k": "", "x": "2"}},
    "spec": {"containers": [{"name": "c",
                             "resources": {"limits": {"cpu": "0"}, "requests": {"": "1"}}}]}})");
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, L(11, L(3, "?"))))),
              HasSubstr("unknown protobuf field 3 in map entry"));
}

TEST(ProtobufTest, UnknownFieldIsAnError) {
  std::string raw = L(1, Meta("p")) + L(2, L(2, L(1, "c")) + I(99, 1));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Pod", raw)),
              HasSubstr("io.k8s.api.core.v1.PodSpec: unknown protobuf field 99 at spec"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, Meta("n") + I(15, 1)))),
              HasSubstr("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta: unknown protobuf "
                        "field 15 at metadata"));
}

TEST(ProtobufTest, UnsupportedKind) {
  std::string message = ErrorOf(Envelope("apps/v1", "StatefulSet", ""));
  EXPECT_THAT(message, HasSubstr("protobuf request bodies are supported for v1 Namespace, Pod"));
  EXPECT_THAT(message, HasSubstr("send JSON or YAML for apps/v1 StatefulSet"));
  EXPECT_THAT(ErrorOf(Envelope("v2", "Pod", "")), HasSubstr("send JSON or YAML for v2 Pod"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "", "")), HasSubstr("no kind"));
}

TEST(ProtobufTest, MalformedInput) {
  EXPECT_THAT(ErrorOf("{\"kind\": \"Pod\"}"), HasSubstr("magic"));
  // Truncated varint (a continuation bit on the last byte).
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", std::string("\x38\x80", 2))),
              HasSubstr("truncated varint"));
  // Varint longer than 10 bytes.
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, "\x38" + std::string(10, '\xff') + "\x01"))),
              HasSubstr("varint"));
  // Length past the end.
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", std::string("\x0a\x05\x0a\x01", 4))),
              HasSubstr("runs past the end"));
  EXPECT_THAT(ErrorOf(std::string("k8s\0\x12\xff\xff\xff\xff\x0f", 10)),
              HasSubstr("runs past the end"));
  // Wrong wire types.
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", I(1, 5))),
              HasSubstr("io.k8s.api.core.v1.Namespace.metadata (field 1): wire type varint, want "
                        "length-delimited"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, L(7, "x")))),
              HasSubstr("wire type length-delimited, want varint"));
  EXPECT_THAT(
      ErrorOf(Envelope("v1", "Namespace", L(1, Varint((1 << 3) | 1) + std::string(8, 'a')))),
      HasSubstr("wire type 64-bit"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, Varint((1 << 3) | 5) + "abcd"))),
              HasSubstr("wire type 32-bit"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, Varint((1 << 3) | 5) + "ab"))),
              HasSubstr("truncated 32-bit"));
  // Groups, invalid wire types, field number 0.
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", Varint((1 << 3) | 3) + Varint((1 << 3) | 4))),
              HasSubstr("groups are not supported"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", Varint((1 << 3) | 6))),
              HasSubstr("invalid wire type 6"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", Varint(2))), HasSubstr("invalid field number 0"));
  // Invalid UTF-8, bad IntOrString type, bad raw JSON, out-of-range time.
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, L(1, "\xff")))), HasSubstr("UTF-8"));
  std::string probe = L(10, L(1, L(2, L(2, I(1, 7)))));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Pod", L(2, L(2, L(1, "c") + probe)))),
              HasSubstr("IntOrString: invalid type 7"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, L(17, L(7, L(1, "{bad")))))),
              HasSubstr("raw bytes are not JSON"));
  EXPECT_THAT(ErrorOf(Envelope("v1", "Namespace", L(1, L(8, I(1, uint64_t{1} << 40))))),
              HasSubstr("out of range"));
  // Envelope problems.
  EXPECT_THAT(ErrorOf(std::string("k8s\0", 4) + L(1, L(1, "v1") + L(2, "Namespace")) + L(2, "") +
                      L(3, "gzip")),
              HasSubstr("contentEncoding"));
  EXPECT_THAT(ErrorOf(std::string("k8s\0", 4) + I(9, 1)),
              HasSubstr("io.k8s.apimachinery.pkg.runtime.Unknown: unknown protobuf field 9"));
}

TEST(ProtobufTest, PackedAndUnpackedRepeatedScalars) {
  for (const std::string& groups : {L(4, Varint(5) + Varint(6)), I(4, 5) + I(4, 6)}) {
    std::string raw = L(1, Meta("p")) + L(2, L(14, groups));
    ExpectDecodes(Envelope("v1", "Pod", raw), R"({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p"}, "spec": {"securityContext": {"supplementalGroups": [5, 6]}}})");
  }
}

TEST(ProtobufTest, NegativeIntegers) {
  // int32 negatives are sign-extended to 10-byte varints on the wire.
  std::string raw = L(1, Meta("p")) + L(2, L(14, I(2, static_cast<uint64_t>(int64_t{-5})) +
                                                     I(5, static_cast<uint64_t>(int64_t{-1}))) +
                                               I(25, static_cast<uint64_t>(int64_t{-7})));
  ExpectDecodes(Envelope("v1", "Pod", raw), R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "p"},
      "spec": {"securityContext": {"runAsUser": -5, "fsGroup": -1}, "priority": -7}})");
}

// Prefixes of an envelope that are themselves valid: the one that ends after typeMeta (an
// envelope without raw) and those that drop the trailing empty contentEncoding/contentType.
bool MayDecode(size_t n, size_t size, std::string_view api_version, std::string_view kind) {
  return n == 4 + L(1, L(1, api_version) + L(2, kind)).size() || n + 4 >= size;
}

TEST(ProtobufTest, EveryTruncationFailsCleanly) {
  for (const auto& [valid, kind] :
       {std::pair(KubectlDeployment(3), "Deployment"),
        std::pair(Envelope("v1", "Namespace", L(1, Meta("foo"))), "Namespace")}) {
    ASSERT_TRUE(DecodeKubernetesProtobuf(valid).ok());
    const std::string api_version = kind == std::string_view("Namespace") ? "v1" : "apps/v1";
    for (size_t n = 0; n < valid.size(); ++n) {
      auto got = DecodeKubernetesProtobuf(valid.substr(0, n));
      if (!MayDecode(n, valid.size(), api_version, kind)) {
        ASSERT_FALSE(got.ok()) << "prefix of " << n << " bytes decoded";
      }
      if (!got.ok()) {
        EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << got.status();
      }
    }
  }
}

TEST(ProtobufTest, MutationsNeverCrash) {
  const std::string valid = KubectlDeployment(3);
  for (size_t i = 0; i < valid.size(); ++i) {
    for (int b : {0x00, 0x01, 0x07, 0x7f, 0x80, 0xff}) {
      std::string mutated = valid;
      mutated[i] = static_cast<char>(b);
      auto got = DecodeKubernetesProtobuf(mutated);
      if (!got.ok()) {
        EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
      }
    }
  }
}

TEST(ProtobufTest, EncodeMatchesKubectlNamespaceBytes) {
  // The encoder writes only present fields, so a document with a name and empty spec/status
  // encodes to the kubectl body minus its zero-valued scalars.
  auto bytes = EncodeKubernetesProtobuf(Json(
      R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}, "spec": {}})"));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, Envelope("v1", "Namespace", L(1, L(1, "foo")) + L(2, "")));
}

TEST(ProtobufTest, EncodeWritesUpstreamShapes) {
  auto bytes = EncodeKubernetesProtobuf(Json(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "p", "labels": {"b": "2", "a": "1"},
                   "creationTimestamp": "2023-11-15T00:13:20+02:00"},
      "spec": {"containers": [{"name": "c",
                               "livenessProbe": {"httpGet": {"port": "http"}}}]}})"));
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  std::string meta = L(1, "p") + L(8, I(1, 1700000000) + I(2, 0)) + MapEntry(11, "a", "1") +
                     MapEntry(11, "b", "2");
  std::string probe = L(1, L(2, L(2, I(1, 1) + I(2, 0) + L(3, "http"))));
  EXPECT_EQ(*bytes, Envelope("v1", "Pod", L(1, meta) + L(2, L(2, L(1, "c") + L(10, probe)))));
}

TEST(ProtobufTest, EncodeErrors) {
  auto unknown = EncodeKubernetesProtobuf(
      Json(R"({"apiVersion": "v1", "kind": "Pod", "spec": {"containerz": []}})"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("unknown field \"containerz\" in io.k8s.api.core.v1.PodSpec at spec"));
  auto type = EncodeKubernetesProtobuf(
      Json(R"({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}})"));
  ASSERT_FALSE(type.ok());
  EXPECT_THAT(std::string(type.status().message()),
              HasSubstr("want 32-bit integer, got string at spec.replicas"));
  auto kind = EncodeKubernetesProtobuf(Json(R"({"apiVersion": "v1", "kind": "Service"})"));
  ASSERT_FALSE(kind.ok());
  EXPECT_THAT(std::string(kind.status().message()), HasSubstr("not for v1 Service"));
  auto time = EncodeKubernetesProtobuf(Json(
      R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "yesterday"}})"));
  ASSERT_FALSE(time.ok());
  EXPECT_THAT(std::string(time.status().message()), HasSubstr("invalid RFC 3339 time"));
}

// Every field of every message of every kind: encode, decode, compare. Catches inlined structs
// whose JSON names collide and any special message the codec cannot carry both ways.
TEST(ProtobufTest, RoundTripsEveryFieldOfEveryKind) {
  for (const auto& [api_version, kind] : protobuf_internal::SupportedKindList()) {
    SCOPED_TRACE(api_version + " " + kind);
    Value doc = protobuf_internal::MakeSampleDocument(api_version, kind);
    ASSERT_TRUE(doc.is_object());
    auto bytes = EncodeKubernetesProtobuf(doc);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    auto decoded = DecodeKubernetesProtobuf(*bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, doc) << WriteJson(*decoded).substr(0, 2000);
    auto again = EncodeKubernetesProtobuf(*decoded);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *bytes);
    // Truncations of a big message fail cleanly too (every 7th, to keep the test fast).
    for (size_t n = 0; n < bytes->size(); n += 7) {
      if (MayDecode(n, bytes->size(), api_version, kind)) continue;
      auto got = DecodeKubernetesProtobuf(bytes->substr(0, n));
      ASSERT_FALSE(got.ok()) << n;
      ASSERT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(ProtobufTest, DecodedDocumentsDecodeAsTypedObjects) {
  auto ns = DecodeKubernetesProtobuf(
      Envelope("v1", "Namespace", L(1, Meta("foo")) + L(2, "") + L(3, L(1, ""))));
  ASSERT_TRUE(ns.ok()) << ns.status();
  auto typed_ns = DecodeAs<Namespace>(*ns);
  EXPECT_TRUE(typed_ns.ok()) << typed_ns.status();
  EXPECT_EQ(typed_ns->metadata.name, "foo");

  auto pod = DecodeKubernetesProtobuf(FullPodBytes());
  ASSERT_TRUE(pod.ok()) << pod.status();
  auto typed_pod = DecodeAs<Pod>(*pod);
  ASSERT_TRUE(typed_pod.ok()) << typed_pod.status();

  // The other direction: the project's own documents encode, and decode back unchanged.
  Value doc = EncodeObject(Object(*typed_pod));
  auto bytes = EncodeKubernetesProtobuf(doc);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto back = DecodeKubernetesProtobuf(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  auto typed_back = DecodeAs<Pod>(*back);
  ASSERT_TRUE(typed_back.ok()) << typed_back.status();
  EXPECT_EQ(*typed_back, *typed_pod);
}

}  // namespace
}  // namespace dra::api
