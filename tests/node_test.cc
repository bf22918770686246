// End-to-end tests of `dra node` against `dra server`, driven by the real kubectl: two node
// agents on simulated hardware (node-h100: dgx-h100, node-a100: a100-mig) publish their devices;
// the documentation's GPU claims are allocated to the expected devices by the scheduler; pods
// run with their CDI specs and device health; faults taint devices; agents survive restarts.
// Skipped when kubectl is not on PATH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/e2e_util.h"

namespace dra {
namespace {

using namespace e2e;  // NOLINT: the helpers of every e2e test
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

fs::path DocManifests() { return fs::path(DRA_SHARED_DIR) / "examples" / "doc-manifests"; }

class NodeTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string kubectl = FindOnPath("kubectl");
    if (kubectl.empty()) return;
    dir_ = MakeTempDir("node_test.");
    ASSERT_FALSE(dir_.empty());
    fs::create_directories(dir_ / "scratch");
    std::string error;
    server_ = ServerProcess::Start(
                  {"--listen", "127.0.0.1:0", "--data-dir", (dir_ / "data").string()}, dir_, &error)
                  .release();
    ASSERT_NE(server_, nullptr) << error;
    kubectl_ = new Kubectl(kubectl, server_->kubeconfig(), dir_ / "scratch");
    h100_ = new NodeProcess(server_->kubeconfig(), "node-h100", "dgx-h100", dir_);
    a100_ = new NodeProcess(server_->kubeconfig(), "node-a100", "a100-mig", dir_,
                            {"--metrics-listen=127.0.0.1:0"});
    ASSERT_TRUE(h100_->ready()) << h100_->output();
    ASSERT_TRUE(a100_->ready()) << a100_->output();
  }

  static void TearDownTestSuite() {
    delete h100_;
    delete a100_;
    delete kubectl_;
    delete server_;
    h100_ = a100_ = nullptr;
    kubectl_ = nullptr;
    server_ = nullptr;
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  void SetUp() override {
    if (kubectl_ == nullptr) GTEST_SKIP() << "kubectl is not on PATH";
  }

  void TearDown() override {
    if (HasFailure() && server_ != nullptr) {
      std::cerr << "node-h100:\n" << h100_->output() << "\nnode-a100:\n" << a100_->output();
    }
  }

  static void Apply(const std::string& manifest) {
    CommandResult r = kubectl_->Apply(manifest);
    ASSERT_EQ(r.exit_code, 0) << r << "\nmanifest:\n" << manifest;
  }

  // The devices of the claim's allocation, as "node/driver/device"; empty while unallocated.
  static std::vector<std::string> Allocated(const std::string& claim, const std::string& ns) {
    std::vector<std::string> devices;
    Json got = kubectl_->Get({"resourceclaim", claim, "-n", ns});
    if (!got.is_object() || !got.contains("status") || !got["status"].contains("allocation")) {
      return devices;
    }
    for (const Json& result : got["status"]["allocation"]["devices"]["results"]) {
      devices.push_back(result["pool"].get<std::string>() + "/" +
                        result["driver"].get<std::string>() + "/" +
                        result["device"].get<std::string>());
    }
    return devices;
  }

  // A pod in `ns` using claim `claim` (by name).
  static std::string PodFor(const std::string& name, const std::string& ns,
                            const std::string& claim) {
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns +
           "}\nspec:\n  containers:\n  - name: main\n    image: busybox\n    resources:\n"
           "      claims: [{name: c}]\n  resourceClaims:\n  - name: c\n    resourceClaimName: " +
           claim + "\n";
  }

  static std::string PodPhase(const std::string& name, const std::string& ns) {
    CommandResult r =
        kubectl_->Run({"get", "pod", name, "-n", ns, "-o", "jsonpath={.status.phase}"});
    return r.exit_code == 0 ? r.out : "";
  }

  static void CreateNamespace(const std::string& ns) {
    Apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n");
  }

  static fs::path dir_;
  static ServerProcess* server_;
  static Kubectl* kubectl_;
  static NodeProcess* h100_;
  static NodeProcess* a100_;
};

fs::path NodeTest::dir_;
ServerProcess* NodeTest::server_ = nullptr;
Kubectl* NodeTest::kubectl_ = nullptr;
NodeProcess* NodeTest::h100_ = nullptr;
NodeProcess* NodeTest::a100_ = nullptr;

// The devices of `driver` on `node`, by name, from the published slices.
std::map<std::string, Json> Devices(const Json& slices, const std::string& node,
                                    const std::string& driver) {
  std::map<std::string, Json> devices;
  for (const Json& slice : slices["items"]) {
    if (slice["spec"]["driver"] != driver || slice["spec"].value("nodeName", "") != node) continue;
    for (const Json& device : slice["spec"].value("devices", Json::array())) {
      devices[device["name"].get<std::string>()] = device;
    }
  }
  return devices;
}

TEST_F(NodeTest, SlicesOfDgxH100CarryNvidiaAttributes) {
  Json slices = kubectl_->Get({"resourceslices"});
  std::map<std::string, Json> gpus = Devices(slices, "node-h100", "gpu.nvidia.com");
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(gpus.count("gpu-" + std::to_string(i))) << i;
  const Json& gpu0 = gpus["gpu-0"];
  EXPECT_EQ(gpu0["attributes"]["type"]["string"], "gpu");
  EXPECT_EQ(gpu0["attributes"]["productName"]["string"], "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpu0["attributes"]["architecture"]["string"], "Hopper");
  EXPECT_EQ(gpu0["attributes"]["cudaComputeCapability"]["version"], "9.0.0");
  EXPECT_TRUE(gpu0["attributes"]["driverVersion"].contains("version"));
  EXPECT_TRUE(gpu0["attributes"]["uuid"]["string"].get<std::string>().rfind("GPU-", 0) == 0);
  EXPECT_TRUE(gpu0["attributes"]["resource.kubernetes.io/pcieRoot"].contains("string"));
  EXPECT_TRUE(gpu0["attributes"]["resource.kubernetes.io/pciBusID"].contains("string"));
  // NVML's total memory of an H100 80GB HBM3 (less than 80Gi).
  EXPECT_THAT(gpu0["capacity"]["memory"]["value"].get<std::string>(), testing::EndsWith("Mi"));
  // MIG partitions of the MIG-capable H100s, consuming from the GPU's counter set.
  ASSERT_TRUE(gpus.count("gpu-0-mig-1g10gb-19-0"));
  EXPECT_EQ(gpus["gpu-0-mig-1g10gb-19-0"]["attributes"]["type"]["string"], "mig");
  EXPECT_EQ(gpus["gpu-0-mig-1g10gb-19-0"]["consumesCounters"][0]["counterSet"],
            "gpu-0-counter-set");
  // Counters live in slices without devices (v1.35+).
  int counter_slices = 0;
  for (const Json& slice : slices["items"]) {
    if (slice["spec"].contains("sharedCounters")) {
      ++counter_slices;
      EXPECT_FALSE(slice["spec"].contains("devices"));
    }
  }
  EXPECT_GE(counter_slices, 1);
  // RDMA NICs share the GPUs' PCIe roots.
  std::map<std::string, Json> nics = Devices(slices, "node-h100", "dra.net");
  std::set<std::string> gpu_roots, rdma_roots;
  for (const auto& [name, device] : gpus) {
    if (device["attributes"]["type"]["string"] == "gpu") {
      gpu_roots.insert(device["attributes"]["resource.kubernetes.io/pcieRoot"]["string"]);
    }
  }
  for (const auto& [name, device] : nics) {
    if (device["attributes"].contains("dra.net/rdma") &&
        device["attributes"]["dra.net/rdma"]["bool"] == true) {
      rdma_roots.insert(device["attributes"]["resource.kubernetes.io/pcieRoot"]["string"]);
    }
  }
  EXPECT_THAT(rdma_roots, SizeIs(4));
  EXPECT_EQ(rdma_roots, gpu_roots);
  EXPECT_THAT(Devices(slices, "node-h100", "dra.cpu"), SizeIs(2));
  // Owner references to the nodes the agents registered.
  for (const Json& slice : slices["items"]) {
    ASSERT_EQ(slice["metadata"]["ownerReferences"].size(), 1u);
    EXPECT_EQ(slice["metadata"]["ownerReferences"][0]["kind"], "Node");
  }
  // The DeviceClasses the drivers install.
  Json classes = kubectl_->Get({"deviceclasses"});
  std::set<std::string> names;
  for (const Json& c : classes["items"]) names.insert(c["metadata"]["name"]);
  for (const char* name : {"gpu.nvidia.com", "mig.nvidia.com", "dra.cpu", "dra.net"}) {
    EXPECT_TRUE(names.count(name)) << name;
  }
}

TEST_F(NodeTest, DocumentationClaimsGetTheExpectedDevices) {
  const std::string ns = "doc-claims";
  CreateNamespace(ns);
  struct Case {
    std::string file;
    std::string claim;
    std::string node;  // where its devices must be ("" = pending)
    size_t devices;
  } cases[] = {
      {"nvidia-dra-driver-06-resourceclaim-single-gpu.yaml", "single-gpu", "*", 1},
      {"nvidia-dra-driver-08-resourceclaim-multi-gpu.yaml", "multi-gpu", "*", 4},
      {"nvidia-dra-driver-10-resourceclaim-ampere-gpu.yaml", "ampere-gpu", "node-a100", 1},
      {"nvidia-dra-driver-11-resourceclaim-specific-gpu.yaml", "specific-gpu", "node-a100", 1},
      {"nvidia-dra-driver-15-resourceclaim-topology-aware.yaml", "topology-aware", "*", 2},
      {"", "high-memory-gpu", "*", 1},
  };
  for (const Case& c : cases) {
    if (c.file.empty()) continue;
    std::string manifest = ReadFile(DocManifests() / c.file);
    // The documents name namespace default in some manifests; everything goes to `ns` here.
    size_t at = manifest.find("namespace: default");
    if (at != std::string::npos) manifest.replace(at, 18, "namespace: " + ns);
    CommandResult r = kubectl_->Run({"apply", "-n", ns, "-f", "-"}, manifest);
    ASSERT_EQ(r.exit_code, 0) << r;
    Apply(PodFor("pod-" + c.claim, ns, c.claim));
  }
  // The documentation's memory selector treats device.capacity as a map of quantities (it is
  // keyed by domain first): the API server rejects it at creation; the corrected form works.
  CommandResult bad = kubectl_->Run(
      {"apply", "-n", ns, "-f",
       (DocManifests() / "nvidia-dra-driver-09-resourceclaim-high-memory-gpu.yaml").string()});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("found no matching overload for 'compareTo'"));
  Apply(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: high-memory-gpu, "
      "namespace: " +
      ns +
      "}\nspec:\n  devices:\n    requests:\n    - name: gpu\n      exactly:\n"
      "        deviceClassName: gpu.nvidia.com\n        selectors:\n        - cel:\n"
      "            expression: device.capacity['gpu.nvidia.com'].memory.compareTo("
      "quantity('20Gi')) >= 0\n");
  Apply(PodFor("pod-high-memory-gpu", ns, "high-memory-gpu"));
  // A MIG partition by profile (the documentation's `migProfile` attribute does not exist;
  // NVIDIA's driver publishes `profile`).
  Apply(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: mig-3g, namespace: " +
      ns +
      "}\nspec:\n  devices:\n    requests:\n    - name: mig\n      exactly:\n"
      "        deviceClassName: mig.nvidia.com\n        selectors:\n        - cel:\n"
      "            expression: device.attributes['gpu.nvidia.com'].profile == '3g.40gb'\n");
  Apply(PodFor("pod-mig-3g", ns, "mig-3g"));

  for (const Case& c : cases) {
    std::vector<std::string> devices;
    ASSERT_TRUE(PollUntil([&] {
      devices = Allocated(c.claim, ns);
      return !devices.empty();
    })) << c.claim;
    EXPECT_THAT(devices, SizeIs(c.devices)) << c.claim;
    for (const std::string& device : devices) {
      if (c.node != "*") {
        EXPECT_EQ(device.substr(0, device.find('/')), c.node) << c.claim;
      }
      EXPECT_THAT(device, HasSubstr("/gpu.nvidia.com/gpu-")) << c.claim;
      EXPECT_THAT(device, Not(HasSubstr("-mig-"))) << c.claim;
    }
    EXPECT_TRUE(PollUntil([&] { return PodPhase("pod-" + c.claim, ns) == "Running"; })) << c.claim;
  }
  // Two GPUs on one PCIe root: on the DGX, the pairs 0/1, 2/3, ... share a root.
  std::vector<std::string> pair = Allocated("topology-aware", ns);
  ASSERT_THAT(pair, SizeIs(2));
  std::vector<std::string> mig;
  ASSERT_TRUE(PollUntil([&] {
    mig = Allocated("mig-3g", ns);
    return !mig.empty();
  }));
  EXPECT_THAT(mig[0], HasSubstr("-mig-3g40gb-"));
  EXPECT_TRUE(PollUntil([&] { return PodPhase("pod-mig-3g", ns) == "Running"; }));

  // The documentation's MIG claim names an attribute that does not exist: it stays pending and
  // says why.
  CommandResult r = kubectl_->Run(
      {"apply", "-n", ns, "-f",
       (DocManifests() / "nvidia-dra-driver-14-resourceclaim-mig-claim.yaml").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  Apply(PodFor("pod-mig-doc", ns, "mig-claim"));
  EXPECT_TRUE(PollUntil([&] {
    CommandResult d = kubectl_->Run({"describe", "pod", "pod-mig-doc", "-n", ns});
    return d.out.find("migProfile") != std::string::npos;
  })) << kubectl_->Run({"describe", "pod", "pod-mig-doc", "-n", ns});
  EXPECT_TRUE(Allocated("mig-claim", ns).empty());
  ASSERT_EQ(kubectl_->Run({"delete", "namespace", ns, "--wait=false"}).exit_code, 0);
}

TEST_F(NodeTest, PodLifecycleCdiHealthAndFaults) {
  const std::string ns = "lifecycle";
  CreateNamespace(ns);
  Apply(
      "apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\nmetadata: {name: gpu, "
      "namespace: " +
      ns +
      "}\nspec:\n  spec:\n    devices:\n      requests:\n      - name: gpu\n"
      "        exactly:\n          deviceClassName: gpu.nvidia.com\n          selectors:\n"
      "          - cel: {expression: \"device.attributes['gpu.nvidia.com'].architecture == "
      "'Hopper'\"}\n");
  Apply("apiVersion: v1\nkind: Pod\nmetadata: {name: worker, namespace: " + ns +
        "}\nspec:\n  containers:\n  - name: main\n    image: busybox\n    resources:\n"
        "      claims: [{name: gpu}]\n  resourceClaims:\n  - name: gpu\n"
        "    resourceClaimTemplateName: gpu\n");
  ASSERT_TRUE(PollUntil([&] { return PodPhase("worker", ns) == "Running"; }));
  Json pod = kubectl_->Get({"pod", "worker", "-n", ns});
  std::string claim = pod["status"]["resourceClaimStatuses"][0]["resourceClaimName"];
  Json claim_json = kubectl_->Get({"resourceclaim", claim, "-n", ns});
  std::string uid = claim_json["metadata"]["uid"];
  std::string device = claim_json["status"]["allocation"]["devices"]["results"][0]["device"];
  const Json& status = pod["status"]["containerStatuses"][0]["allocatedResourcesStatus"][0];
  EXPECT_EQ(status["name"], "claim:gpu");
  EXPECT_EQ(status["resources"][0]["resourceID"], "gpu.nvidia.com/node-h100/" + device);
  EXPECT_EQ(status["resources"][0]["health"], "Healthy");
  // The CDI spec of the claim, with the device's node and the common NVIDIA edits.
  fs::path spec = h100_->cdi_dir() / ("k8s.gpu.nvidia.com-claim_" + uid + ".json");
  ASSERT_TRUE(fs::exists(spec));
  Json cdi = ParseJson(ReadFile(spec));
  EXPECT_EQ(cdi["kind"], "k8s.gpu.nvidia.com/claim");
  EXPECT_EQ(cdi["devices"][0]["name"], uid + "-" + device);
  EXPECT_THAT(cdi["containerEdits"]["env"].dump(), HasSubstr("NVIDIA_VISIBLE_DEVICES=GPU-"));
  // The spec passes a JSON-schema check of the CDI specification (Debian's python3-jsonschema),
  // and the check does reject a spec that breaks the specification.
  const std::string schema =
      (fs::path(DRA_SOURCE_DIR) / "dra/driver/cdi/testdata/cdi-spec.schema.json").string();
  const std::string check =
      "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), "
      "json.load(open(sys.argv[1])))";
  if (fs::exists("/usr/bin/python3")) {
    CommandResult valid =
        RunCommand({"/usr/bin/python3", "-c", check, schema, spec.string()}, "", dir_ / "scratch");
    EXPECT_EQ(valid.exit_code, 0) << valid;
    Json broken = cdi;
    broken["devices"][0]["name"] = "-" + uid;
    broken["devices"][0]["containerEdits"] = Json::object();
    WriteFile(dir_ / "scratch" / "broken.json", broken.dump());
    CommandResult invalid = RunCommand(
        {"/usr/bin/python3", "-c", check, schema, (dir_ / "scratch" / "broken.json").string()}, "",
        dir_ / "scratch");
    EXPECT_NE(invalid.exit_code, 0) << invalid;
  }

  // A fault on the GPU taints it in the slice and the pod reports it Unhealthy.
  CommandResult fault =
      RunCommand({DRA_BINARY, "node", "fault", "--state-dir=" + (h100_->state_dir()).string(),
                  "--device=" + device, "--xid=79"},
                 "", dir_ / "scratch");
  ASSERT_EQ(fault.exit_code, 0) << fault;
  EXPECT_TRUE(PollUntil([&] {
    Json p = kubectl_->Get({"pod", "worker", "-n", ns});
    return p["status"]["containerStatuses"][0]["allocatedResourcesStatus"][0]["resources"][0]
            ["health"] == "Unhealthy";
  }));
  Json slices = kubectl_->Get({"resourceslices"});
  Json tainted = Devices(slices, "node-h100", "gpu.nvidia.com")[device];
  ASSERT_TRUE(tainted.contains("taints"));
  EXPECT_EQ(tainted["taints"][0]["key"], "gpu.nvidia.com/xid");
  EXPECT_EQ(tainted["taints"][0]["value"], "79");
  EXPECT_EQ(tainted["taints"][0]["effect"], "NoSchedule");

  // Deleting the pod unprepares (spec removed) and the claim is deleted.
  ASSERT_EQ(kubectl_->Run({"delete", "pod", "worker", "-n", ns}).exit_code, 0);
  EXPECT_TRUE(PollUntil([&] { return !fs::exists(spec); }));
  EXPECT_TRUE(PollUntil([&] {
    CommandResult r = kubectl_->Run({"get", "resourceclaim", claim, "-n", ns});
    return r.exit_code != 0;
  }));
  ASSERT_EQ(RunCommand({DRA_BINARY, "node", "fault", "--state-dir=" + h100_->state_dir().string(),
                        "--clear"},
                       "", dir_ / "scratch")
                .exit_code,
            0);
  EXPECT_TRUE(PollUntil([&] {
    Json s = kubectl_->Get({"resourceslices"});
    return !Devices(s, "node-h100", "gpu.nvidia.com")[device].contains("taints");
  }));
}

TEST_F(NodeTest, AgentRestartKeepsPreparedClaimsAndRejectsCorruptCheckpoint) {
  const std::string ns = "restart";
  CreateNamespace(ns);
  Apply("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: a100, namespace: " +
        ns +
        "}\nspec:\n  devices:\n    requests:\n    - name: gpu\n      exactly:\n"
        "        deviceClassName: gpu.nvidia.com\n        selectors:\n        - cel:\n"
        "            expression: device.attributes['gpu.nvidia.com'].architecture == 'Ampere'\n");
  Apply(PodFor("a100-pod", ns, "a100"));
  ASSERT_TRUE(PollUntil([&] { return PodPhase("a100-pod", ns) == "Running"; }));
  std::string uid = kubectl_->Get({"resourceclaim", "a100", "-n", ns})["metadata"]["uid"];
  fs::path checkpoint = a100_->state_dir() / "gpu" / "checkpoint.json";
  ASSERT_THAT(ReadFile(checkpoint), HasSubstr(uid));

  // SIGKILL and restart: the claim is still prepared, its spec kept.
  a100_->Kill();
  a100_->Start();
  ASSERT_TRUE(a100_->ready()) << a100_->output();
  EXPECT_THAT(ReadFile(checkpoint), HasSubstr(uid));
  EXPECT_TRUE(fs::exists(a100_->cdi_dir() / ("k8s.gpu.nvidia.com-claim_" + uid + ".json")));

  // A corrupt checkpoint is reported and moved aside, never trusted.
  a100_->Stop();
  std::string text = ReadFile(checkpoint);
  size_t at = text.find(uid);
  ASSERT_NE(at, std::string::npos);
  text[at] = text[at] == 'f' ? '0' : 'f';  // still JSON; the checksum no longer matches
  WriteFile(checkpoint, text);
  a100_->Start();
  ASSERT_TRUE(a100_->ready()) << a100_->output();
  EXPECT_THAT(a100_->output(), HasSubstr("checkpoint is corrupt"));
  bool moved_aside = false;
  for (const auto& entry : fs::directory_iterator(a100_->state_dir() / "gpu")) {
    moved_aside |= entry.path().filename().string().find("checkpoint.json.corrupt-") == 0;
  }
  EXPECT_TRUE(moved_aside);
  // The running pod's claim is prepared again (the kubelet's part re-runs for pods on the node).
  EXPECT_TRUE(PollUntil([&] { return ReadFile(checkpoint).find(uid) != std::string::npos; }));
  ASSERT_EQ(kubectl_->Run({"delete", "namespace", ns, "--wait=false"}).exit_code, 0);
}

// The value of the first sample of `metric` with all of `labels` in a Prometheus text page.
double Sample(const std::string& page, const std::string& metric,
              const std::vector<std::string>& labels) {
  for (const std::string& line : Lines(page)) {
    if (line.rfind(metric + "{", 0) != 0 && line.rfind(metric + " ", 0) != 0) continue;
    bool all = true;
    for (const std::string& label : labels) all &= line.find(label) != std::string::npos;
    if (all) return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return -1;
}

TEST_F(NodeTest, MetricsMoveAsPodsComeAndGo) {
  std::string address = a100_->metrics_address();
  ASSERT_FALSE(address.empty()) << a100_->output();
  auto scrape = [&] {
    CommandResult r = RunCommand({"/usr/bin/curl", "-sf", "http://" + address + "/metrics"}, "",
                                 dir_ / "scratch");
    return r.exit_code == 0 ? r.out : std::string();
  };
  const std::vector<std::string> gpu = {"driver=\"gpu.nvidia.com\"", "node=\"node-a100\""};
  std::string before = scrape();
  ASSERT_FALSE(before.empty());
  double prepares = std::max(0.0, Sample(before, "dra_node_prepare_duration_seconds_count", gpu));
  double prepared = Sample(before, "dra_node_prepared_claims", gpu);
  const std::string ns = "metrics";
  CreateNamespace(ns);
  Apply("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: a100, namespace: " +
        ns +
        "}\nspec:\n  devices:\n    requests:\n    - name: gpu\n      exactly:\n"
        "        deviceClassName: gpu.nvidia.com\n        selectors:\n        - cel:\n"
        "            expression: device.attributes['gpu.nvidia.com'].architecture == 'Ampere'\n");
  Apply(PodFor("metrics-pod", ns, "a100"));
  ASSERT_TRUE(PollUntil([&] { return PodPhase("metrics-pod", ns) == "Running"; }));
  std::string running = scrape();
  EXPECT_GT(Sample(running, "dra_node_prepare_duration_seconds_count", gpu), prepares);
  EXPECT_EQ(Sample(running, "dra_node_prepared_claims", gpu), prepared + 1);
  ASSERT_EQ(kubectl_->Run({"delete", "pod", "metrics-pod", "-n", ns}).exit_code, 0);
  EXPECT_TRUE(
      PollUntil([&] { return Sample(scrape(), "dra_node_prepared_claims", gpu) == prepared; }));
  EXPECT_GE(Sample(scrape(), "dra_node_unprepare_duration_seconds_count", gpu), 1);
  ASSERT_EQ(kubectl_->Run({"delete", "namespace", ns, "--wait=false"}).exit_code, 0);
}

}  // namespace
}  // namespace dra
