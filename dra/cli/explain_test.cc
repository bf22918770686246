// `dra explain` against an in-process API server (no scheduler, no node agent): slices, classes,
// claims, pods and events are created directly, and the command's text and JSON output and exit
// status are checked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/cli/commands.h"
#include "dra/cli/run_for_test.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "dra/client/rest_client.h"

namespace dra::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Eight H100s on node-1, two per PCIe root; gpu-7 carries a NoSchedule taint.
std::string GpuSlice() {
  std::string devices;
  for (int i = 0; i < 8; ++i) {
    dra::StrAppend(&devices, "  - name: gpu-", i, "\n    attributes:\n",
                   "      type: {string: gpu}\n      architecture: {string: Hopper}\n",
                   "      resource.kubernetes.io/pcieRoot: {string: pci0000:", i / 2, "0}\n",
                   "    capacity:\n      memory: {value: 80Gi}\n");
    if (i == 7) {
      devices +=
          "    taints:\n    - {key: gpu.nvidia.com/xid, value: \"79\", effect: NoSchedule}\n";
    }
  }
  return dra::StrCat(R"(apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: node-1-gpus}
spec:
  driver: gpu.nvidia.com
  nodeName: node-1
  pool: {name: node-1, generation: 1, resourceSliceCount: 1}
  devices:
)",
                     devices);
}

constexpr char kObjects[] = R"(apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {kubernetes.io/hostname: node-1}}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu.nvidia.com}
spec:
  selectors:
  - cel: {expression: "device.driver == 'gpu.nvidia.com' && device.attributes['gpu.nvidia.com'].type == 'gpu'"}
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: part.example.com}
spec:
  selectors:
  - cel: {expression: "device.driver == 'part.example.com'"}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: node-1-counters}
spec:
  driver: part.example.com
  nodeName: node-1
  pool: {name: node-1, generation: 1, resourceSliceCount: 2}
  sharedCounters:
  - name: board
    counters:
      slots: {value: "2"}
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: node-1-parts}
spec:
  driver: part.example.com
  nodeName: node-1
  pool: {name: node-1, generation: 1, resourceSliceCount: 2}
  devices:
  - name: whole
    consumesCounters:
    - counterSet: board
      counters: {slots: {value: "2"}}
  - name: half-0
    consumesCounters:
    - counterSet: board
      counters: {slots: {value: "1"}}
)";

std::string Claim(const std::string& name, const std::string& body) {
  return dra::StrCat("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: ", name,
                     ", namespace: default}\nspec:\n  devices:\n", body);
}

std::string PodFor(const std::string& name, const std::string& claim) {
  return dra::StrCat("apiVersion: v1\nkind: Pod\nmetadata: {name: ", name,
                     ", namespace: default}\nspec:\n  containers:\n  - name: main\n"
                     "    image: busybox\n    resources: {claims: [{name: c}]}\n"
                     "  resourceClaims:\n  - {name: c, resourceClaimName: ",
                     claim, "}\n");
}

class ExplainTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    client_ = server_.Client();
    ASSERT_NE(client_, nullptr);
    Create(kObjects);
    Create(GpuSlice());
  }

  // Creates every document of `yaml`; returns the last one as stored.
  api::Value Create(const std::string& yaml) {
    absl::StatusOr<std::vector<api::Value>> docs = api::ParseDocuments(yaml);
    EXPECT_TRUE(docs.ok()) << docs.status();
    api::Value last;
    if (!docs.ok()) return last;
    for (const api::Value& doc : *docs) {
      std::string kind = doc.Find("kind")->text();
      client::ResourceRef ref = kind == "Node"            ? client::Nodes()
                                : kind == "Pod"           ? client::Pods()
                                : kind == "Event"         ? client::Events()
                                : kind == "DeviceClass"   ? client::DeviceClasses()
                                : kind == "ResourceSlice" ? client::ResourceSlices()
                                                          : client::ResourceClaims();
      absl::StatusOr<api::Value> created = client_->Create(ref, "", doc);
      EXPECT_TRUE(created.ok()) << created.status() << "\n" << yaml;
      if (created.ok()) last = *created;
    }
    return last;
  }

  // Replaces the status of `object` (a stored object of `ref`) with `status` (JSON).
  void SetStatus(const client::ResourceRef& ref, api::Value object, const std::string& status) {
    absl::StatusOr<api::Value> parsed = api::ParseJson(status);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    object.Set("status", *parsed);
    absl::StatusOr<api::Value> updated = client_->UpdateStatus(ref, "", object);
    ASSERT_TRUE(updated.ok()) << updated.status();
  }

  RunResult Explain(std::vector<std::string> args) {
    args.insert(args.begin(), "explain");
    args.push_back("--kubeconfig=" + server_.server()->kubeconfig_path());
    return RunDra(args);
  }

  client::testing::TestServer server_;
  std::unique_ptr<client::RestClient> client_;
};

TEST_F(ExplainTest, PodPendingForNineGpusOnEightGpuNode) {
  Create(Claim("nine",
               "    requests:\n    - name: gpus\n      exactly: {deviceClassName: "
               "gpu.nvidia.com, count: 9}\n"));
  Create(PodFor("nine-pod", "nine"));
  RunResult r = Explain({"pod", "nine-pod"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Pod default/nine-pod: Pending: not scheduled\n"));
  EXPECT_THAT(r.out, HasSubstr("default/nine (pod claim \"c\"): not allocated\n"));
  EXPECT_THAT(r.out, HasSubstr("0/1 nodes are available: 1 cannot allocate all claims."));
  EXPECT_THAT(r.out, HasSubstr("  node-1: cannot allocate all claims\n"));
  EXPECT_THAT(r.out, HasSubstr("  request \"gpus\": exactly 9 of class \"gpu.nvidia.com\"\n"));
  EXPECT_THAT(r.out, HasSubstr("node \"node-1\": 7 of 10 devices can serve it, 9 needed\n"));
  EXPECT_THAT(r.out, HasSubstr("2 rejected by class \"gpu.nvidia.com\" selector #0 "
                               "(device.driver == 'gpu.nvidia.com' && "));
  EXPECT_THAT(r.out, HasSubstr("1 tainted (gpu.nvidia.com/xid=79:NoSchedule): "
                               "gpu.nvidia.com/node-1/gpu-7\n"));
}

TEST_F(ExplainTest, ClaimSelectorMatchingNothing) {
  Create(Claim("ampere", R"(    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
        selectors:
        - cel: {expression: "device.attributes['gpu.nvidia.com'].architecture == 'Ampere'"}
)"));
  RunResult r = Explain({"claim", "ampere"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("ResourceClaim default/ampere: not allocated; no pod waits for it"));
  EXPECT_THAT(r.out, HasSubstr("cannot allocate claim \"default/ampere\" on node \"node-1\"\n"));
  EXPECT_THAT(r.out, HasSubstr("8 rejected by request selector #0 "
                               "(device.attributes['gpu.nvidia.com'].architecture == 'Ampere'): "
                               "gpu.nvidia.com/node-1/gpu-0, "));
  EXPECT_THAT(r.out, HasSubstr("0 of 10 devices can serve it, 1 needed"));
}

TEST_F(ExplainTest, DevicesInUseNameTheirClaim) {
  api::Value holder = Create(Claim("holder",
                                   "    requests:\n    - name: gpu\n      exactly: "
                                   "{deviceClassName: gpu.nvidia.com}\n"));
  SetStatus(client::ResourceClaims(), holder, R"({"allocation": {"devices": {"results": [
      {"request": "gpu", "driver": "gpu.nvidia.com", "pool": "node-1", "device": "gpu-0"},
      {"request": "gpu", "driver": "gpu.nvidia.com", "pool": "node-1", "device": "gpu-1"}]},
      "nodeSelector": {"nodeSelectorTerms": [{"matchFields": [
      {"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}}})");
  Create(Claim("six",
               "    requests:\n    - name: gpus\n      exactly: {deviceClassName: "
               "gpu.nvidia.com, count: 6}\n"));
  RunResult r = Explain({"claim", "six", "-n", "default"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 in use by claim \"default/holder\": gpu.nvidia.com/node-1/gpu-0, "
                               "gpu.nvidia.com/node-1/gpu-1\n"));
  EXPECT_THAT(r.out, HasSubstr("5 of 10 devices can serve it, 6 needed"));
}

TEST_F(ExplainTest, CelRuntimeErrorOfTheDocumentationMigClaim) {
  Create(Claim("mig-claim", R"(    requests:
    - name: mig
      exactly:
        deviceClassName: gpu.nvidia.com
        selectors:
        - cel:
            expression: device.attributes['gpu.nvidia.com'].migProfile == '3g.40gb'
)"));
  Create(PodFor("mig-pod", "mig-claim"));
  RunResult r = Explain({"pod", "mig-pod"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("claim default/mig-claim: selector #0: CEL runtime error: "
                               "no such key: migProfile"));
  EXPECT_THAT(r.out, HasSubstr("8 failed to evaluate request selector #0 "
                               "(device.attributes['gpu.nvidia.com'].migProfile == '3g.40gb': "
                               "no such key: migProfile)"));
  EXPECT_THAT(r.out, HasSubstr("have no attribute \"migProfile\"; their attributes: architecture, "
                               "resource.kubernetes.io/pcieRoot, type"));
}

TEST_F(ExplainTest, MatchAttributeThatCannotHold) {
  Create(Claim("three", R"(    requests:
    - name: gpus
      exactly: {deviceClassName: gpu.nvidia.com, count: 3}
    constraints:
    - matchAttribute: resource.kubernetes.io/pcieRoot
)"));
  RunResult r = Explain({"claim/three"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("constraint #0 matchAttribute \"resource.kubernetes.io/pcieRoot\" "
                               "over all requests\n"));
  EXPECT_THAT(r.out, HasSubstr("request \"gpus\" (3 needed): pci0000:00 (gpu-0, gpu-1); "
                               "pci0000:10 (gpu-2, gpu-3); pci0000:20 (gpu-4, gpu-5); "
                               "pci0000:30 (gpu-6)\n"));
  EXPECT_THAT(r.out, HasSubstr("cannot hold: no value of \"resource.kubernetes.io/pcieRoot\" is "
                               "carried by enough candidates of every request"));

  Create(Claim("two", R"(    requests:
    - name: gpus
      exactly: {deviceClassName: gpu.nvidia.com, count: 2}
    constraints:
    - matchAttribute: resource.kubernetes.io/pcieRoot
)"));
  r = Explain({"claim", "two"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("can be allocated on node \"node-1\" now"));
  EXPECT_THAT(r.out, HasSubstr("can hold with \"resource.kubernetes.io/pcieRoot\" = pci0000:00 or "
                               "pci0000:10 or pci0000:20"));
}

TEST_F(ExplainTest, SharedCountersExhausted) {
  api::Value holder = Create(Claim("half",
                                   "    requests:\n    - name: p\n      exactly: "
                                   "{deviceClassName: part.example.com}\n"));
  SetStatus(client::ResourceClaims(), holder, R"({"allocation": {"devices": {"results": [
      {"request": "p", "driver": "part.example.com", "pool": "node-1", "device": "half-0"}]}}})");
  Create(Claim("whole",
               "    requests:\n    - name: p\n      exactly: "
               "{deviceClassName: part.example.com}\n"));
  RunResult r = Explain({"claim", "whole"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 out of shared counters (board: slots needs 2, 1 left): "
                               "part.example.com/node-1/whole\n"));
  EXPECT_THAT(r.out,
              HasSubstr("1 in use by claim \"default/half\": part.example.com/node-1/half-0"));
}

TEST_F(ExplainTest, AllocatedClaimOfABoundPodWithFailedPrepare) {
  api::Value claim = Create(Claim("one",
                                  "    requests:\n    - name: gpu\n      exactly: "
                                  "{deviceClassName: gpu.nvidia.com}\n"));
  api::Value pod = Create(PodFor("worker", "one"));
  ASSERT_TRUE(client_->Bind("default", "worker", "node-1").ok());
  std::string uid = pod.Find("metadata")->Find("uid")->text();
  SetStatus(client::ResourceClaims(), claim,
            dra::StrCat(R"({"allocation": {"devices": {"results": [
      {"request": "gpu", "driver": "gpu.nvidia.com", "pool": "node-1", "device": "gpu-7"}]},
      "nodeSelector": {"nodeSelectorTerms": [{"matchFields": [
      {"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}},
      "reservedFor": [{"resource": "pods", "name": "worker", "uid": ")",
                        uid, R"("}]})"));
  Create(dra::StrCat(R"(apiVersion: v1
kind: Event
metadata: {name: worker.1, namespace: default}
involvedObject: {kind: Pod, name: worker, namespace: default, uid: )",
                     uid, R"(}
reason: FailedPrepareDynamicResources
message: 'prepare gpu.nvidia.com/node-1/gpu-7: device is unhealthy'
type: Warning
count: 3
source: {component: kubelet, host: node-1}
)"));
  RunResult r = Explain({"pod", "worker"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Pod default/worker: Pending: scheduled to node \"node-1\", its "
                               "containers are not started (see the events)\n"));
  EXPECT_THAT(r.out, HasSubstr("default/one (pod claim \"c\"): allocated on node \"node-1\", "
                               "reserved for pods/worker\n"));
  EXPECT_THAT(r.out, HasSubstr("    request \"gpu\": gpu.nvidia.com/node-1/gpu-7\n"
                               "      health: not reported\n"
                               "      taints: gpu.nvidia.com/xid=79:NoSchedule\n"));
  EXPECT_THAT(r.out, HasSubstr("  Warning FailedPrepareDynamicResources (x3) from kubelet: "
                               "prepare gpu.nvidia.com/node-1/gpu-7: device is unhealthy\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("Why")));

  // The node agent reports the device's health in the pod status; the pod runs.
  absl::StatusOr<api::Value> stored = client_->Get(client::Pods(), "default", "worker");
  ASSERT_TRUE(stored.ok());
  SetStatus(client::Pods(), *stored, R"({"phase": "Running", "conditions": [
      {"type": "PodScheduled", "status": "True"}],
      "containerStatuses": [{"name": "main", "ready": true, "restartCount": 0, "image": "busybox",
      "imageID": "busybox", "allocatedResourcesStatus": [{"name": "claim:c", "resources": [
      {"resourceID": "gpu.nvidia.com/node-1/gpu-7", "health": "Unhealthy"}]}]}]})");
  r = Explain({"pod", "worker"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("Pod default/worker: Running on node \"node-1\"\n  PodScheduled=True\n"));
  EXPECT_THAT(r.out, HasSubstr("      health: Unhealthy\n"));

  r = Explain({"claim", "one", "-o", "json"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.out << r.err;
  absl::StatusOr<api::Value> json = api::ParseJson(r.out);
  ASSERT_TRUE(json.ok()) << json.status() << r.out;
  EXPECT_EQ(json->Find("kind")->text(), "ResourceClaim");
  EXPECT_TRUE(json->Find("satisfied")->bool_value());
  const api::Value& device = json->Find("claims")->items()[0].Find("devices")->items()[0];
  EXPECT_EQ(device.Find("device")->text(), "gpu.nvidia.com/node-1/gpu-7");
  EXPECT_EQ(device.Find("health")->text(), "Unhealthy");
  EXPECT_EQ(device.Find("taints")->items()[0].text(), "gpu.nvidia.com/xid=79:NoSchedule");
  const api::Value& event = json->Find("events")->items()[0];
  EXPECT_EQ(event.Find("reason")->text(), "FailedPrepareDynamicResources");
  EXPECT_EQ(event.Find("object")->text(), "pod/worker");
}

TEST_F(ExplainTest, PendingJsonHasRequestsAndVerdict) {
  Create(Claim("nine",
               "    requests:\n    - name: gpus\n      exactly: {deviceClassName: "
               "gpu.nvidia.com, count: 9}\n"));
  Create(PodFor("nine-pod", "nine"));
  RunResult r = Explain({"pod", "nine-pod", "-o", "json"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  absl::StatusOr<api::Value> json = api::ParseJson(r.out);
  ASSERT_TRUE(json.ok()) << json.status() << r.out;
  EXPECT_FALSE(json->Find("satisfied")->bool_value());
  const api::Value* pending = json->Find("pending");
  ASSERT_NE(pending, nullptr);
  EXPECT_THAT(pending->Find("verdict")->text(),
              HasSubstr("0/1 nodes are available: 1 cannot allocate all claims."));
  const api::Value& request = pending->Find("claims")->items()[0].Find("requests")->items()[0];
  EXPECT_EQ(request.Find("name")->text(), "gpus");
  EXPECT_EQ(*request.Find("needed")->AsInt64(), 9);
  const api::Value& node = request.Find("nodes")->items()[0];
  EXPECT_EQ(node.Find("candidates")->items().size(), 7u);
}

TEST_F(ExplainTest, UnknownPodIsBadInputWithTheServersMessage) {
  RunResult r = Explain({"pod", "nope"});
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_EQ(r.err, "Error from server (NotFound): pods \"nope\" not found\n");
  r = Explain({"claim", "nope", "-n", "other"});
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("resourceclaims.resource.k8s.io \"nope\" not found"));
  r = Explain({"deployment", "x"});
  EXPECT_EQ(r.exit_code, kExitBadInput);
  EXPECT_THAT(r.err, HasSubstr("unknown kind \"deployment\" (want pod or claim)"));
}

}  // namespace
}  // namespace dra::cli
