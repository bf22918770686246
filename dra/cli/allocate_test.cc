#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "dra/api/codec/codec.h"
#include "dra/base/strings.h"
#include "dra/cli/commands.h"
#include "dra/cli/run_for_test.h"

namespace dra::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kClass[] = R"(
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: gpu
spec:
  selectors:
  - cel:
      expression: device.driver == "gpu.example.com"
)";

// A slice of `devices` devices gpu-0... on `node`.
std::string Slice(const std::string& node, int devices) {
  std::string s = StrCat(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: )",
                         node, R"(-gpus
spec:
  driver: gpu.example.com
  nodeName: )",
                         node, R"(
  pool:
    name: )",
                         node, R"(
    generation: 1
    resourceSliceCount: 1
  devices:
)");
  for (int i = 0; i < devices; ++i) StrAppend(&s, "  - name: gpu-", i, "\n");
  return s;
}

// A pending claim for `count` devices of class gpu; no namespace.
std::string Claim(const std::string& name, int count = 1) {
  return StrCat(R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: )",
                name, R"(
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu
        count: )",
                count, "\n");
}

std::string Node(const std::string& name, const std::string& labels = "") {
  std::string s = StrCat("\napiVersion: v1\nkind: Node\nmetadata:\n  name: ", name, "\n");
  if (!labels.empty()) StrAppend(&s, "  labels:\n", labels);
  return s;
}

std::string Docs(const std::vector<std::string>& docs) { return StrJoin(docs, "\n---\n"); }

// Decodes the claims of a command's output (a List).
std::vector<api::ResourceClaim> DecodeClaims(const std::string& text) {
  std::vector<api::ResourceClaim> claims;
  auto docs = api::DecodeAll(text);
  EXPECT_TRUE(docs.ok()) << docs.status() << "\n" << text;
  if (!docs.ok()) return claims;
  for (auto& doc : *docs) {
    EXPECT_TRUE(doc.ok()) << doc.status << " " << api::JoinFieldErrors(doc.errors);
    if (!doc.ok()) continue;
    auto* claim = std::get_if<api::ResourceClaim>(&*doc.object);
    EXPECT_NE(claim, nullptr);
    if (claim != nullptr) claims.push_back(*claim);
  }
  return claims;
}

// The single device allocated to `claim`, or "" if not exactly one.
std::string OnlyDevice(const api::ResourceClaim& claim) {
  if (!claim.status.allocation.has_value()) return "";
  const auto& results = claim.status.allocation->devices.results;
  if (results.size() != 1) return "";
  return StrCat(results[0].pool, "/", results[0].device);
}

// The node name of a nodeSelector `metadata.name In [node]`, or "".
std::string SelectedNode(const api::ResourceClaim& claim) {
  if (!claim.status.allocation.has_value() || !claim.status.allocation->node_selector.has_value()) {
    return "";
  }
  const auto& terms = claim.status.allocation->node_selector->node_selector_terms;
  if (terms.size() != 1 || terms[0].match_fields.size() != 1 ||
      terms[0].match_fields[0].values.size() != 1) {
    return "";
  }
  return terms[0].match_fields[0].values[0];
}

TEST(AllocateTest, YamlOutput) {
  RunResult r = RunDra({"allocate", "-f", "-"}, Docs({kClass, Slice("node-1", 2), Claim("c1")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("kind: List"));
  EXPECT_THAT(r.out, Not(HasSubstr("allocationTimestamp")));
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));
  EXPECT_EQ(claims[0].metadata.name, "c1");
  EXPECT_EQ(claims[0].metadata.namespace_, "default");
  EXPECT_EQ(OnlyDevice(claims[0]), "node-1/gpu-0");
  EXPECT_EQ(SelectedNode(claims[0]), "node-1");
  EXPECT_FALSE(claims[0].status.allocation->allocation_timestamp.has_value());
}

TEST(AllocateTest, JsonOutput) {
  RunResult r = RunDra({"allocate", "-f", "-", "-o", "json"},
                       Docs({kClass, Slice("node-1", 2), Claim("c1"), Claim("c2")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_THAT(r.out, Not(IsEmpty()));
  EXPECT_EQ(r.out[0], '{');
  EXPECT_THAT(r.out, HasSubstr("\"kind\": \"List\""));
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(2));
  EXPECT_EQ(OnlyDevice(claims[0]), "node-1/gpu-0");
  EXPECT_EQ(OnlyDevice(claims[1]), "node-1/gpu-1");
}

TEST(AllocateTest, NoPendingClaimsPrintsEmptyList) {
  RunResult r = RunDra({"allocate", "-f", "-"}, Docs({kClass, Slice("node-1", 1)}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("kind: List"));
  EXPECT_THAT(DecodeClaims(r.out), IsEmpty());
}

TEST(AllocateTest, ReadsFilesAndDirectories) {
  std::string dir = ::testing::TempDir() + "allocate_test_dir";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/a-class.yaml") << kClass;
  std::ofstream(dir + "/b-slice.yaml") << Slice("node-1", 1);
  std::string claim_file = ::testing::TempDir() + "allocate_test_claim.yaml";
  std::ofstream(claim_file) << Claim("c1");
  RunResult r = RunDra({"allocate", "-f", dir, "-f", claim_file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));
  EXPECT_EQ(OnlyDevice(claims[0]), "node-1/gpu-0");
}

TEST(AllocateTest, SearchTriesSliceNodesInNameOrder) {
  // node-a has one device, node-b two, node-c two: two claims first fit on node-b.
  RunResult r =
      RunDra({"allocate", "-f", "-"}, Docs({kClass, Slice("node-c", 2), Slice("node-b", 2),
                                            Slice("node-a", 1), Claim("c1"), Claim("c2")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(2));
  EXPECT_EQ(OnlyDevice(claims[0]), "node-b/gpu-0");
  EXPECT_EQ(OnlyDevice(claims[1]), "node-b/gpu-1");
  EXPECT_EQ(SelectedNode(claims[1]), "node-b");

  // One claim fits on node-a, the first by name.
  r = RunDra({"allocate", "-f", "-"},
             Docs({kClass, Slice("node-c", 2), Slice("node-a", 1), Claim("c1")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));
  EXPECT_EQ(SelectedNode(claims[0]), "node-a");
}

TEST(AllocateTest, NodeObjectsAreTheCandidates) {
  // Only node-a and node-c are nodes; node-b's slice is not tried.
  RunResult r = RunDra({"allocate", "-f", "-"},
                       Docs({kClass, Node("node-c"), Node("node-a"), Slice("node-a", 1),
                             Slice("node-b", 2), Claim("c1", 2)}));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out;
  EXPECT_THAT(r.err, HasSubstr("on any of the 2 nodes tried: node-a, node-c"));
  EXPECT_THAT(r.err, Not(HasSubstr("node-b")));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(AllocateTest, NodeFlagPicksTheNode) {
  std::string input =
      Docs({kClass, Slice("node-a", 1), Slice("node-b", 2), Claim("c1"), Claim("c2")});
  RunResult r = RunDra({"allocate", "-f", "-", "--node", "node-b"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(2));
  EXPECT_EQ(SelectedNode(claims[0]), "node-b");

  r = RunDra({"allocate", "-f", "-", "--node", "node-a"}, input);
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("cannot allocate all claims on node \"node-a\""));
  EXPECT_THAT(r.err, Not(HasSubstr("node-b")));
}

TEST(AllocateTest, NodeLabelsComeFromTheNodeObject) {
  constexpr char kRegionalSlice[] = R"(
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: regional
spec:
  driver: gpu.example.com
  nodeSelector:
    nodeSelectorTerms:
    - matchExpressions:
      - key: region
        operator: In
        values: [r1]
  pool:
    name: regional
    generation: 1
    resourceSliceCount: 1
  devices:
  - name: gpu-0
)";
  std::string input = Docs({kClass, kRegionalSlice, Node("node-x", "    region: r1\n"),
                            Node("node-y", "    region: r2\n"), Claim("c1")});
  RunResult r = RunDra({"allocate", "-f", "-", "--node", "node-x"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));
  EXPECT_EQ(OnlyDevice(claims[0]), "regional/gpu-0");

  r = RunDra({"allocate", "-f", "-", "--node", "node-y"}, input);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out;
  // A node without a Node object has no labels.
  r = RunDra({"allocate", "-f", "-", "--node", "node-z"}, input);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out;

  // Without --node: node-x is the first node (by name) where the claim fits.
  r = RunDra({"allocate", "-f", "-"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));
  ASSERT_TRUE(claims[0].status.allocation.has_value());
}

TEST(AllocateTest, UnsatisfiableExitsOneWithExplanation) {
  RunResult r = RunDra({"allocate", "-f", "-"}, Docs({kClass, Slice("node-1", 1), Claim("c1", 3)}));
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_THAT(r.err, HasSubstr("allocate: cannot allocate all claims on node \"node-1\":\n  "));
}

TEST(AllocateTest, NoNodeToTryIsBadInput) {
  RunResult r = RunDra({"allocate", "-f", "-"}, Docs({kClass, Claim("c1")}));
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("no node to allocate for"));
}

TEST(AllocateTest, AllocatedClaimsAreInUse) {
  constexpr char kAllocated[] = R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: old
  namespace: team-a
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu
status:
  allocation:
    devices:
      results:
      - request: gpu
        driver: gpu.example.com
        pool: node-1
        device: gpu-0
    nodeSelector:
      nodeSelectorTerms:
      - matchFields:
        - key: metadata.name
          operator: In
          values: [node-1]
)";
  RunResult r =
      RunDra({"allocate", "-f", "-"}, Docs({kClass, Slice("node-1", 2), kAllocated, Claim("c1")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));  // the allocated claim is not printed
  EXPECT_EQ(claims[0].metadata.name, "c1");
  EXPECT_EQ(OnlyDevice(claims[0]), "node-1/gpu-1");

  r = RunDra({"allocate", "-f", "-"},
             Docs({kClass, Slice("node-1", 2), kAllocated, Claim("c1", 2)}));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out;
}

TEST(AllocateTest, BadYamlIsBadInput) {
  RunResult r = RunDra({"allocate", "-f", "-"}, "kind: [unclosed\n");
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("error: <stdin>:"));
  EXPECT_THAT(r.out, IsEmpty());
}

TEST(AllocateTest, InvalidObjectIsBadInput) {
  std::string bad = Claim("c1");
  bad.replace(bad.find("name: gpu"), 9, "name: GPU_0");
  RunResult r = RunDra({"allocate", "-f", "-"}, Docs({kClass, Slice("node-1", 1), bad}));
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("ResourceClaim \"default/c1\": spec.devices.requests[0].name: "
                               "Invalid value: \"GPU_0\""));
  EXPECT_THAT(r.out, IsEmpty());

  // Strict decoding: an unknown field is an error.
  std::string unknown = Slice("node-1", 1) + "    color: red\n";
  r = RunDra({"allocate", "-f", "-"}, Docs({kClass, unknown, Claim("c1")}));
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("unknown field"));
}

TEST(AllocateTest, OtherKindsAreIgnoredWithANote) {
  constexpr char kConfigMap[] = R"(
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
)";
  constexpr char kNamespace[] = R"(
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
)";
  RunResult r = RunDra({"allocate", "-f", "-"},
                       Docs({kConfigMap, kNamespace, kClass, Slice("node-1", 1), Claim("c1")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("allocate: ignoring ConfigMap"));
  EXPECT_THAT(r.err, HasSubstr("allocate: ignoring Namespace"));
  EXPECT_THAT(DecodeClaims(r.out), SizeIs(1));
}

TEST(AllocateTest, FeatureGates) {
  std::string input = Docs({kClass, Slice("node-1", 1), Claim("c1")});
  RunResult r = RunDra(
      {"allocate", "-f", "-", "--feature-gates", "DRAPrioritizedList=false,DRAAdminAccess=true"},
      input);
  EXPECT_EQ(r.exit_code, 0) << r.err;

  r = RunDra({"allocate", "-f", "-", "--feature-gates", "DRAAdminAccess=true,DRAFrobnicate=true"},
             input);
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("unknown feature gate \"DRAFrobnicate\""));
  EXPECT_THAT(r.out, IsEmpty());

  r = RunDra({"allocate", "-f", "-", "--feature-gates", "DRAAdminAccess=maybe"}, input);
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("DRAAdminAccess"));
}

TEST(AllocateTest, GatedFieldWithFeatureOffIsFatal) {
  constexpr char kFirstAvailable[] = R"(
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: either
spec:
  devices:
    requests:
    - name: gpu
      firstAvailable:
      - name: two
        deviceClassName: gpu
        count: 2
      - name: one
        deviceClassName: gpu
)";
  std::string input = Docs({kClass, Slice("node-1", 1), kFirstAvailable});
  RunResult r = RunDra({"allocate", "-f", "-"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(1));
  ASSERT_TRUE(claims[0].status.allocation.has_value());
  ASSERT_THAT(claims[0].status.allocation->devices.results, SizeIs(1));
  EXPECT_EQ(claims[0].status.allocation->devices.results[0].request, "gpu/one");

  r = RunDra({"allocate", "-f", "-", "--feature-gates", "DRAPrioritizedList=false"}, input);
  EXPECT_EQ(r.exit_code, kExitBadInput) << r.out;
  EXPECT_THAT(r.err, HasSubstr("error: "));
}

TEST(AllocateTest, RepeatPrintsTiming) {
  RunResult r = RunDra({"allocate", "-f", "-", "--repeat", "5"},
                       Docs({kClass, Slice("node-1", 2), Claim("c1")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(DecodeClaims(r.out), SizeIs(1));
  EXPECT_THAT(r.err, ContainsRegex("allocate: median [0-9]+\\.[0-9] µs, min [0-9]+\\.[0-9] µs "
                                   "over 5 runs\n"));

  // Unsatisfiable input is timed too.
  r = RunDra({"allocate", "-f", "-", "--repeat", "3"},
             Docs({kClass, Slice("node-1", 1), Claim("c1", 2)}));
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("over 3 runs"));
}

TEST(AllocateTest, HelpDescribesFlags) {
  RunResult r = RunDra({"allocate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--feature-gates"));
  EXPECT_THAT(r.out, HasSubstr("--repeat"));
  EXPECT_THAT(r.out, HasSubstr("Exit status"));
}

// The objects of a conformance vector as one manifest, with its node as a Node object.
std::string VectorManifest(const api::Value& vector) {
  std::vector<api::Value> objects;
  api::Value node = api::Value::Object();
  node.Set("apiVersion", api::Value::String("v1"));
  node.Set("kind", api::Value::String("Node"));
  api::Value metadata = api::Value::Object();
  metadata.Set("name", *vector.Find("node"));
  if (const api::Value* labels = vector.Find("nodeLabels")) metadata.Set("labels", *labels);
  node.Set("metadata", std::move(metadata));
  objects.push_back(std::move(node));
  for (std::string_view key : {"classes", "slices", "claims"}) {
    if (const api::Value* items = vector.Find(key)) {
      for (const api::Value& item : items->items()) objects.push_back(item);
    }
  }
  return api::WriteObjects(objects, api::OutputFormat::kYaml);
}

TEST(AllocateTest, ConformanceVectorWithConstraint) {
  std::ifstream file(StrCat(DRA_SHARED_DIR, "/conformance/allocator/with-constraint.yaml"));
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  auto docs = api::ParseDocuments(text.str());
  ASSERT_TRUE(docs.ok()) << docs.status();
  ASSERT_THAT(*docs, SizeIs(1));
  const api::Value& vector = (*docs)[0];
  const api::Value* expected = vector.Find("expect")->Find("results");
  ASSERT_NE(expected, nullptr);

  // The vector runs with every gate off.
  RunResult r = RunDra({"allocate", "-f", "-", "--feature-gates",
                        "DRAPrioritizedList=false,DRAAdminAccess=false,DRADeviceTaints=false,"
                        "DRAPartitionableDevices=false,DRAConsumableCapacity=false,"
                        "DRADeviceBindingConditions=false,DRAResourceClaimDeviceStatus=false"},
                       VectorManifest(vector));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<api::ResourceClaim> claims = DecodeClaims(r.out);
  ASSERT_THAT(claims, SizeIs(expected->items().size()));
  for (size_t i = 0; i < claims.size(); ++i) {
    ASSERT_TRUE(claims[i].status.allocation.has_value());
    const auto& got = claims[i].status.allocation->devices.results;
    const api::Value& want = *expected->items()[i].Find("devices")->Find("results");
    ASSERT_THAT(got, SizeIs(want.items().size()));
    for (size_t j = 0; j < got.size(); ++j) {
      const api::Value& w = want.items()[j];
      EXPECT_EQ(got[j].request, w.Find("request")->text());
      EXPECT_EQ(got[j].driver, w.Find("driver")->text());
      EXPECT_EQ(got[j].pool, w.Find("pool")->text());
      EXPECT_EQ(got[j].device, w.Find("device")->text());
    }
    EXPECT_EQ(SelectedNode(claims[i]), vector.Find("node")->text());
  }
}

}  // namespace
}  // namespace dra::cli
