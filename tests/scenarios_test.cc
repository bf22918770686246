// End-to-end tests of the scenario examples (examples/scenarios/04-*.yaml .. 11-*.yaml) on one
// `dra up` cluster with three simulated nodes (dgx-h100-1, a100-mig-1, dgx-h100-shared-1), driven
// by the real kubectl as a user would: each test applies its scenario, checks the outcome from
// the API (`kubectl get -o json`), and deletes its namespaces, waiting until they and their
// claims are gone so that the next test finds every device free. Skipped when kubectl is not on
// PATH.
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
using ::testing::StartsWith;

constexpr char kDgx[] = "dgx-h100-1";
constexpr char kA100[] = "a100-mig-1";
constexpr char kShared[] = "dgx-h100-shared-1";

// The YAML documents of a scenario file, in file order (the header comment stays with the
// first document).
std::vector<std::string> Documents(const std::string& name) {
  std::string text = ReadFile(fs::path(DRA_SOURCE_DIR) / "examples" / "scenarios" / name);
  std::vector<std::string> docs(1);
  std::stringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line == "---") {
      docs.emplace_back();
      continue;
    }
    docs.back() += line + "\n";
  }
  return docs;
}

std::string Join(const std::vector<std::string>& docs) {
  std::string text;
  for (const std::string& doc : docs) text += (text.empty() ? "" : "---\n") + doc;
  return text;
}

// Whether the document is the object `kind` named `name` (written `metadata: {name: NAME, ...`).
bool Is(const std::string& doc, const std::string& kind, const std::string& name) {
  return doc.find("\nkind: " + kind + "\n") != std::string::npos &&
         doc.find("metadata: {name: " + name + ",") != std::string::npos;
}

// The documents of `docs` except the object `kind`/`name`, and that object's document.
std::pair<std::vector<std::string>, std::string> SplitOff(const std::vector<std::string>& docs,
                                                          const std::string& kind,
                                                          const std::string& name) {
  std::pair<std::vector<std::string>, std::string> out;
  for (const std::string& doc : docs) {
    if (Is(doc, kind, name)) {
      out.second = doc;
    } else {
      out.first.push_back(doc);
    }
  }
  return out;
}

// One entry of a claim's status.allocation.devices.results.
struct Result {
  std::string request, driver, pool, device;
  Json json;
  std::string id() const { return driver + "/" + pool + "/" + device; }
};

std::vector<Result> ResultsOf(const Json& claim) {
  std::vector<Result> results;
  if (!claim.is_object() || !claim.contains("status") || !claim["status"].contains("allocation")) {
    return results;
  }
  for (const Json& r : claim["status"]["allocation"]["devices"]["results"]) {
    results.push_back({r.value("request", ""), r.value("driver", ""), r.value("pool", ""),
                       r.value("device", ""), r});
  }
  return results;
}

// The devices of `driver` on `node`, by name, from the published slices.
std::map<std::string, Json> Devices(const Json& slices, const std::string& node,
                                    const std::string& driver) {
  std::map<std::string, Json> devices;
  if (!slices.is_object()) return devices;
  for (const Json& slice : slices["items"]) {
    if (slice["spec"]["driver"] != driver || slice["spec"].value("nodeName", "") != node) continue;
    for (const Json& device : slice["spec"].value("devices", Json::array())) {
      devices[device["name"].get<std::string>()] = device;
    }
  }
  return devices;
}

std::string Attribute(const Json& device, const std::string& name) {
  if (!device.contains("attributes") || !device["attributes"].contains(name)) return "";
  for (const auto& [type, value] : device["attributes"][name].items()) {
    return value.is_string() ? value.get<std::string>() : value.dump();
  }
  return "";
}

// The message of the pod's PodScheduled=False condition, or "".
std::string UnschedulableMessage(const Json& pod) {
  if (!pod.is_object() || !pod.contains("status")) return "";
  for (const Json& c : pod["status"].value("conditions", Json::array())) {
    if (c.value("type", "") == "PodScheduled" && c.value("status", "") == "False") {
      return c.value("message", "");
    }
  }
  return "";
}

class ScenariosTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string kubectl = FindOnPath("kubectl");
    if (kubectl.empty()) return;
    dir_ = MakeTempDir("scenarios_test.");
    ASSERT_FALSE(dir_.empty());
    fs::create_directories(dir_ / "scratch");
    data_ = dir_ / "data";
    pid_ = Spawn({DRA_BINARY, "up", "--listen", "127.0.0.1:0", "--data-dir", data_.string(),
                  "--nodes", "3", "--profile", "dgx-h100,a100-mig,dgx-h100+shared"},
                 "", dir_ / "up.out", dir_ / "up.err");
    const std::string kKubeconfig = "dra up: kubeconfig: ";
    std::string kubeconfig;
    PollUntil(
        [&] {
          std::string text = ReadFile(dir_ / "up.out");
          size_t at = text.find(kKubeconfig);
          size_t end = at == std::string::npos ? at : text.find('\n', at);
          if (end != std::string::npos) {
            kubeconfig = text.substr(at + kKubeconfig.size(), end - at - kKubeconfig.size());
            return true;
          }
          return WaitUntil(pid_, Clock::now()).has_value();
        },
        std::chrono::seconds(60));
    ASSERT_FALSE(kubeconfig.empty()) << UpOutput();
    kubectl_ = new Kubectl(kubectl, kubeconfig, dir_ / "scratch");
    kubeconfig_ = kubeconfig;
    // Every node's GPUs published before the first scenario.
    ASSERT_TRUE(PollUntil([] {
      Json slices = kubectl_->Get({"resourceslices"});
      return Devices(slices, kDgx, "gpu.nvidia.com").count("gpu-7") &&
             Devices(slices, kA100, "gpu.nvidia.com").count("gpu-3") &&
             Devices(slices, kShared, "gpu.nvidia.com").count("gpu-7") &&
             Devices(slices, kShared, "dra.net").size() == 8;
    })) << UpOutput();
  }

  static void TearDownTestSuite() {
    delete kubectl_;
    kubectl_ = nullptr;
    if (pid_ > 0) Terminate(pid_);
    pid_ = 0;
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  void SetUp() override {
    if (kubectl_ == nullptr) GTEST_SKIP() << "kubectl is not on PATH";
  }

  // Clears the faults the test injected and deletes its namespaces, waiting until they and
  // their claims are gone.
  void TearDown() override {
    if (kubectl_ == nullptr) return;
    if (HasFailure()) std::cerr << UpOutput();
    for (const std::string& node : faulted_nodes_) {
      CommandResult r = RunCommand(
          {DRA_BINARY, "node", "fault", "--state-dir", StateDir(node).string(), "--clear"}, "",
          dir_ / "scratch");
      EXPECT_EQ(r.exit_code, 0) << r;
      EXPECT_TRUE(PollUntil([&] {
        for (const auto& [name, device] :
             Devices(kubectl_->Get({"resourceslices"}), node, "gpu.nvidia.com")) {
          if (device.contains("taints")) return false;
        }
        return true;
      })) << "taints left on "
          << node;
    }
    if (namespaces_.empty()) return;
    std::vector<std::string> args = {"delete", "namespace", "--wait=false", "--ignore-not-found"};
    args.insert(args.end(), namespaces_.begin(), namespaces_.end());
    CommandResult deleted = kubectl_->Run(args);
    EXPECT_EQ(deleted.exit_code, 0) << deleted;
    EXPECT_TRUE(PollUntil(
        [&] {
          Json claims = kubectl_->Get({"resourceclaims", "--all-namespaces"});
          if (!claims.is_object()) return false;
          for (const Json& claim : claims["items"]) {
            if (namespaces_.count(claim["metadata"]["namespace"])) return false;
          }
          for (const std::string& ns : namespaces_) {
            if (kubectl_->Run({"get", "namespace", ns}).exit_code == 0) return false;
          }
          return true;
        },
        std::chrono::seconds(60)))
        << "namespaces or claims left behind";
  }

  static std::string UpOutput() {
    return "--- dra up stdout\n" + ReadFile(dir_ / "up.out") + "--- dra up stderr\n" +
           ReadFile(dir_ / "up.err");
  }
  static fs::path StateDir(const std::string& node) { return data_ / "nodes" / node / "state"; }
  static fs::path CdiDir(const std::string& node) { return data_ / "nodes" / node / "cdi"; }

  // Applies the documents; the namespaces among them are deleted when the test ends.
  void Apply(const std::vector<std::string>& docs) {
    std::string text = Join(docs);
    Track(text);
    CommandResult r = kubectl_->Apply(text);
    ASSERT_EQ(r.exit_code, 0) << r << "\nmanifest:\n" << text;
  }
  void Track(const std::string& text) {
    size_t at = 0;
    const std::string kNamespace = "kind: Namespace\nmetadata:\n  name: ";
    while ((at = text.find(kNamespace, at)) != std::string::npos) {
      at += kNamespace.size();
      namespaces_.insert(text.substr(at, text.find('\n', at) - at));
    }
  }
  void Fault(const std::string& node, const std::string& device,
             const std::vector<std::string>& extra = {}) {
    faulted_nodes_.insert(node);
    std::vector<std::string> argv = {
        DRA_BINARY, "node", "fault", "--state-dir", StateDir(node).string(),
        "--device", device, "--xid", "79"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    CommandResult r = RunCommand(argv, "", dir_ / "scratch");
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  static Json Claim(const std::string& ns, const std::string& name) {
    return kubectl_->Get({"resourceclaim", name, "-n", ns});
  }
  static Json Pod(const std::string& ns, const std::string& name) {
    return kubectl_->Get({"pod", name, "-n", ns});
  }
  static std::vector<Json> Items(const std::vector<std::string>& args) {
    Json list = kubectl_->Get(args);
    std::vector<Json> items;
    if (list.is_object()) {
      for (const Json& item : list["items"]) items.push_back(item);
    }
    return items;
  }
  // The allocation results of the claim, once it is allocated (empty after the timeout).
  static std::vector<Result> WaitForResults(const std::string& ns, const std::string& name) {
    std::vector<Result> results;
    PollUntil([&] {
      results = ResultsOf(Claim(ns, name));
      return !results.empty();
    });
    return results;
  }
  static bool Running(const std::string& ns, const std::string& pod) {
    Json p = Pod(ns, pod);
    return p.is_object() && p["status"].value("phase", "") == "Running";
  }
  static bool WaitRunning(const std::string& ns, const std::vector<std::string>& pods) {
    return PollUntil([&] {
      for (const std::string& pod : pods) {
        if (!Running(ns, pod)) return false;
      }
      return true;
    });
  }
  // The Running pods of `ns` with label app=`app`, once there are `count` of them.
  static std::vector<Json> WaitRunningReplicas(const std::string& ns, const std::string& app,
                                               size_t count) {
    std::vector<Json> running;
    PollUntil([&] {
      running.clear();
      for (const Json& pod : Items({"pods", "-n", ns, "-l", "app=" + app})) {
        if (pod["status"].value("phase", "") == "Running" &&
            !pod["metadata"].contains("deletionTimestamp")) {
          running.push_back(pod);
        }
      }
      return running.size() == count;
    });
    return running;
  }
  // The name of the claim the pod's resourceClaims entry `entry` resolved to.
  static std::string ClaimOfPod(const Json& pod, const std::string& entry) {
    for (const Json& s : pod["status"].value("resourceClaimStatuses", Json::array())) {
      if (s.value("name", "") == entry) return s.value("resourceClaimName", "");
    }
    return "";
  }
  // Waits for the pod to be marked unschedulable with a message containing `text`; the message.
  static std::string WaitUnschedulable(const std::string& ns, const std::string& pod,
                                       const std::string& text) {
    std::string message;
    PollUntil([&] {
      message = UnschedulableMessage(Pod(ns, pod));
      return message.find(text) != std::string::npos;
    });
    return message;
  }

  static fs::path dir_;
  static fs::path data_;
  static pid_t pid_;
  static std::string kubeconfig_;
  static Kubectl* kubectl_;

  std::set<std::string> namespaces_;
  std::set<std::string> faulted_nodes_;
};

fs::path ScenariosTest::dir_;
fs::path ScenariosTest::data_;
pid_t ScenariosTest::pid_ = 0;
std::string ScenariosTest::kubeconfig_;
Kubectl* ScenariosTest::kubectl_ = nullptr;

// 4: a 1g.10gb MIG device by profile; three partitions of one GPU to three pods; the counters
// keep the whole GPU from being allocated while its partitions are, and free it after.
TEST_F(ScenariosTest, Mig) {
  const std::string ns = "mig";
  auto [first, whole_gpu_pod] = SplitOff(Documents("04-mig.yaml"), "Pod", "whole-gpu-1");
  ASSERT_FALSE(whole_gpu_pod.empty());
  Apply(first);
  ASSERT_TRUE(WaitRunning(ns, {"one-1g", "slice-a", "slice-b", "slice-c"}));
  Json slices = kubectl_->Get({"resourceslices"});

  std::vector<Result> one = WaitForResults(ns, "one-1g");
  ASSERT_THAT(one, SizeIs(1));
  EXPECT_EQ(one[0].pool, kA100);
  EXPECT_EQ(Attribute(Devices(slices, kA100, "gpu.nvidia.com")[one[0].device], "profile"),
            "1g.10gb");
  EXPECT_EQ(Attribute(Devices(slices, kA100, "gpu.nvidia.com")[one[0].device], "type"), "mig");

  std::set<std::string> partitions;
  for (const char* claim : {"slice-a", "slice-b", "slice-c"}) {
    std::vector<Result> r = WaitForResults(ns, claim);
    ASSERT_THAT(r, SizeIs(1)) << claim;
    EXPECT_EQ(r[0].pool, kDgx) << claim;
    EXPECT_THAT(r[0].device, StartsWith("gpu-1-mig-1g10gb-")) << claim;
    Json device = Devices(slices, kDgx, "gpu.nvidia.com")[r[0].device];
    EXPECT_EQ(Attribute(device, "parentIndex"), "1") << claim;
    EXPECT_EQ(device["consumesCounters"][0]["counterSet"], "gpu-1-counter-set") << claim;
    partitions.insert(r[0].device);
  }
  EXPECT_THAT(partitions, SizeIs(3));

  // The whole GPU 1 consumes every counter of gpu-1-counter-set: it waits for the partitions.
  Apply({whole_gpu_pod});
  std::string message = WaitUnschedulable(ns, "whole-gpu-1", "gpu-1-counter-set");
  EXPECT_THAT(message, HasSubstr("out of shared counters (gpu-1-counter-set: "
                                 "gpu.nvidia.com/dgx-h100-1/gpu-1)"));
  EXPECT_THAT(ResultsOf(Claim(ns, "whole-gpu-1")), SizeIs(0));
  CommandResult described = kubectl_->Run({"describe", "pod", "whole-gpu-1", "-n", ns});
  EXPECT_THAT(described.out, HasSubstr("FailedScheduling"));
  EXPECT_THAT(described.out, HasSubstr("gpu-1-counter-set"));

  CommandResult r = kubectl_->Run({"delete", "pod", "-n", ns, "slice-a", "slice-b", "slice-c"});
  ASSERT_EQ(r.exit_code, 0) << r;
  ASSERT_TRUE(WaitRunning(ns, {"whole-gpu-1"}))
      << Pod(ns, "whole-gpu-1").dump(2) << "\nclaims:\n"
      << kubectl_->Get({"resourceclaims", "-n", ns}).dump(2);
  std::vector<Result> whole = ResultsOf(Claim(ns, "whole-gpu-1"));
  ASSERT_THAT(whole, SizeIs(1));
  EXPECT_EQ(whole[0].id(), "gpu.nvidia.com/dgx-h100-1/gpu-1");
}

// 5: consumable capacity: three claims of 10Gi each share one GPU of the shared node, two claims
// of 100G share one NIC, each allocation with its own shareID.
TEST_F(ScenariosTest, ConsumableCapacity) {
  const std::string ns = "consumable-capacity";
  Apply(Documents("05-consumable-capacity.yaml"));
  ASSERT_THAT(WaitRunningReplicas(ns, "inference", 3), SizeIs(3));
  ASSERT_THAT(WaitRunningReplicas(ns, "loader", 2), SizeIs(2));
  std::vector<Result> gpus, nics;
  for (const Json& claim : Items({"resourceclaims", "-n", ns})) {
    std::vector<Result> results = ResultsOf(claim);
    ASSERT_THAT(results, SizeIs(1)) << claim.dump(2);
    (results[0].request == "gpu" ? gpus : nics).push_back(results[0]);
  }
  ASSERT_THAT(gpus, SizeIs(3));
  ASSERT_THAT(nics, SizeIs(2));
  std::set<std::string> gpu_devices, nic_devices, share_ids;
  for (const Result& r : gpus) {
    EXPECT_EQ(r.pool, kShared);
    EXPECT_EQ(r.json["consumedCapacity"]["memory"], "10Gi") << r.json.dump();
    gpu_devices.insert(r.id());
    share_ids.insert(r.json.value("shareID", ""));
  }
  for (const Result& r : nics) {
    EXPECT_EQ(r.pool, kShared);
    EXPECT_EQ(r.driver, "dra.net");
    EXPECT_EQ(r.json["consumedCapacity"]["bandwidth"], "100G") << r.json.dump();
    nic_devices.insert(r.id());
    share_ids.insert(r.json.value("shareID", ""));
  }
  EXPECT_THAT(gpu_devices, SizeIs(1)) << "the three 10Gi claims share one GPU";
  EXPECT_THAT(nic_devices, SizeIs(1)) << "the two 100G claims share one NIC";
  EXPECT_THAT(share_ids, SizeIs(5));
  EXPECT_THAT(share_ids, Not(Contains("")));
  // The shared GPU publishes 80Gi of memory with a request policy.
  Json gpu = Devices(kubectl_->Get({"resourceslices"}), kShared, "gpu.nvidia.com")[gpus[0].device];
  EXPECT_EQ(gpu.value("allowMultipleAllocations", false), true);
  EXPECT_TRUE(gpu["capacity"]["memory"].contains("requestPolicy")) << gpu.dump();
}

// 6: firstAvailable: with every H100 of dgx-h100-1 taken, the claim gets its second choice (two
// A100s); on a node with a free H100, its first.
TEST_F(ScenariosTest, PrioritizedList) {
  const std::string ns = "prioritized-list";
  auto [first, trainer] = SplitOff(Documents("06-prioritized-list.yaml"), "Pod", "trainer");
  ASSERT_FALSE(trainer.empty());
  Apply(first);
  ASSERT_TRUE(WaitRunning(ns, {"h100-hog"}));
  std::vector<Result> hog = WaitForResults(ns, "all-h100s");
  EXPECT_THAT(hog, SizeIs(8));
  for (const Result& r : hog) EXPECT_EQ(r.pool, kDgx);

  Apply({trainer});
  ASSERT_TRUE(WaitRunning(ns, {"trainer"}));
  std::vector<Result> chosen = ResultsOf(Claim(ns, "h100-or-two-a100"));
  ASSERT_THAT(chosen, SizeIs(2));
  Json slices = kubectl_->Get({"resourceslices"});
  for (const Result& r : chosen) {
    EXPECT_EQ(r.request, "gpus/a100x2");
    EXPECT_EQ(r.pool, kA100);
    EXPECT_EQ(Attribute(Devices(slices, kA100, "gpu.nvidia.com")[r.device], "productName"),
              "NVIDIA A100-SXM4-80GB");
  }
  EXPECT_NE(chosen[0].device, chosen[1].device);

  // With the H100s free again, the same claim on dgx-h100-1 gets its first choice.
  CommandResult r = kubectl_->Run({"delete", "pod", "-n", ns, "h100-hog", "trainer"});
  ASSERT_EQ(r.exit_code, 0) << r;
  ASSERT_TRUE(PollUntil([&] {
    return ResultsOf(Claim(ns, "h100-or-two-a100")).empty() &&
           ResultsOf(Claim(ns, "all-h100s")).empty();
  }));
  std::string on_dgx = trainer;
  size_t at = on_dgx.find("  affinity:");
  size_t end = on_dgx.find("  containers:");
  ASSERT_NE(at, std::string::npos);
  on_dgx.replace(at, end - at, "  nodeSelector: {kubernetes.io/hostname: dgx-h100-1}\n");
  Apply({on_dgx});
  ASSERT_TRUE(WaitRunning(ns, {"trainer"}));
  chosen = ResultsOf(Claim(ns, "h100-or-two-a100"));
  ASSERT_THAT(chosen, SizeIs(1));
  EXPECT_EQ(chosen[0].request, "gpus/h100");
  EXPECT_EQ(chosen[0].pool, kDgx);
}

// 6, the node choice: when one node can serve a claim's first choice and another only a later
// one, the scheduler prefers the node of the first choice (as upstream's prioritized-list scoring
// does since v1.35), before its bin-packing score.
TEST_F(ScenariosTest, PrioritizedListPrefersTheNodeOfTheFirstChoice) {
  const std::string ns = "prioritized-list";
  auto [first, trainer] = SplitOff(Documents("06-prioritized-list.yaml"), "Pod", "trainer");
  std::vector<std::string> docs;
  for (const std::string& doc : first) {
    if (!Is(doc, "Pod", "h100-hog")) docs.push_back(doc);
  }
  docs.push_back(trainer);
  Apply(docs);
  ASSERT_TRUE(WaitRunning(ns, {"trainer"}));
  std::vector<Result> chosen = ResultsOf(Claim(ns, "h100-or-two-a100"));
  ASSERT_THAT(chosen, SizeIs(1));
  EXPECT_EQ(chosen[0].request, "gpus/h100");
}

// 7: one claim with an MPS configuration, reserved for three pods; its CDI spec carries the MPS
// client environment; the spec goes with the claim.
TEST_F(ScenariosTest, SharedClaimWithMps) {
  const std::string ns = "shared-claim";
  Apply(Documents("07-shared-claim.yaml"));
  ASSERT_TRUE(WaitRunning(ns, {"worker-1", "worker-2", "worker-3"}));
  Json claim = Claim(ns, "shared-gpu");
  std::vector<Result> results = ResultsOf(claim);
  ASSERT_THAT(results, SizeIs(1));
  const std::string node = results[0].pool;
  std::set<std::string> reserved;
  for (const Json& consumer : claim["status"]["reservedFor"]) reserved.insert(consumer["name"]);
  EXPECT_EQ(reserved, (std::set<std::string>{"worker-1", "worker-2", "worker-3"}));
  for (const char* pod : {"worker-1", "worker-2", "worker-3"}) {
    EXPECT_EQ(Pod(ns, pod)["spec"]["nodeName"], node) << pod;
  }
  EXPECT_EQ(claim["status"]["allocation"]["devices"]["config"][0]["opaque"]["parameters"]["sharing"]
                 ["strategy"],
            "MPS");

  const std::string uid = claim["metadata"]["uid"];
  fs::path spec = CdiDir(node) / ("k8s.gpu.nvidia.com-claim_" + uid + ".json");
  ASSERT_TRUE(PollUntil([&] { return fs::exists(spec); })) << spec;
  Json cdi = ParseJson(ReadFile(spec));
  std::vector<std::string> env = cdi["containerEdits"].value("env", std::vector<std::string>{});
  EXPECT_THAT(env, Contains("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=50")) << cdi.dump(2);
  EXPECT_THAT(env, Contains(StartsWith("CUDA_MPS_PIPE_DIRECTORY="))) << cdi.dump(2);
  EXPECT_THAT(env, Contains(StartsWith("NVIDIA_VISIBLE_DEVICES=GPU-"))) << cdi.dump(2);

  // The last pod gone, the claim is unprepared: its spec is removed.
  CommandResult r = kubectl_->Run({"delete", "pod", "-n", ns, "worker-1", "worker-2", "worker-3"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(PollUntil([&] { return !fs::exists(spec); })) << spec;
}

// 8: a monitoring claim with adminAccess in a labelled namespace gets the device another claim
// holds; the same claim in an unlabelled namespace is refused by the API server.
TEST_F(ScenariosTest, AdminAccess) {
  const std::string ns = "admin-access";
  std::string text = Join(Documents("08-admin-access.yaml"));
  Track(text);
  CommandResult applied = kubectl_->Apply(text);
  EXPECT_NE(applied.exit_code, 0) << applied;
  EXPECT_THAT(applied.err,
              HasSubstr("The ResourceClaim \"gpu-monitor\" is invalid: "
                        "spec.devices.requests[0].exactly.adminAccess: Forbidden: admin access to "
                        "devices requires the `resource.kubernetes.io/admin-access: true` label "
                        "on the containing namespace"))
      << applied;
  EXPECT_NE(
      kubectl_->Run({"get", "resourceclaim", "gpu-monitor", "-n", "admin-access-denied"}).exit_code,
      0);

  ASSERT_TRUE(WaitRunning(ns, {"training", "gpu-monitor"}));
  std::vector<Result> training = ResultsOf(Claim(ns, "training-gpu"));
  std::vector<Result> monitor = ResultsOf(Claim(ns, "gpu-monitor"));
  ASSERT_THAT(training, SizeIs(1));
  ASSERT_THAT(monitor, SizeIs(1));
  EXPECT_EQ(training[0].id(), "gpu.nvidia.com/a100-mig-1/gpu-1");
  EXPECT_EQ(monitor[0].id(), training[0].id());
  EXPECT_EQ(monitor[0].json.value("adminAccess", false), true) << monitor[0].json.dump();
  EXPECT_EQ(training[0].json.value("adminAccess", false), false) << training[0].json.dump();
}

// 9: a fault taints a GPU: the pod using it sees it Unhealthy, a new replica gets another GPU, a
// NoExecute fault evicts the pod (DisruptionTarget, deleted) and its replacement avoids the GPU.
TEST_F(ScenariosTest, DeviceHealth) {
  const std::string ns = "device-health";
  Apply(Documents("09-device-health.yaml"));
  std::vector<Json> pods = WaitRunningReplicas(ns, "inference", 1);
  ASSERT_THAT(pods, SizeIs(1));
  const std::string victim = pods[0]["metadata"]["name"];
  std::vector<Result> held = WaitForResults(ns, ClaimOfPod(pods[0], "gpu"));
  ASSERT_THAT(held, SizeIs(1));
  ASSERT_EQ(held[0].pool, kDgx);
  const std::string device = held[0].device;
  const std::string resource_id = "gpu.nvidia.com/dgx-h100-1/" + device;

  // NoSchedule: the slice carries the taint; the running pod reports the device Unhealthy.
  Fault(kDgx, device);
  EXPECT_TRUE(PollUntil([&] {
    Json tainted = Devices(kubectl_->Get({"resourceslices"}), kDgx, "gpu.nvidia.com")[device];
    return tainted.contains("taints") && tainted["taints"][0]["key"] == "gpu.nvidia.com/xid" &&
           tainted["taints"][0]["value"] == "79" && tainted["taints"][0]["effect"] == "NoSchedule";
  }));
  Json health;
  EXPECT_TRUE(PollUntil([&] {
    Json pod = Pod(ns, victim);
    if (!pod.is_object() || !pod["status"].contains("containerStatuses")) return false;
    health = pod["status"]["containerStatuses"][0].value("allocatedResourcesStatus", Json());
    return health.dump().find("Unhealthy") != std::string::npos;
  })) << health.dump();
  ASSERT_TRUE(health.is_array() && !health.empty()) << health.dump();
  EXPECT_EQ(health[0]["name"], "claim:gpu");
  EXPECT_EQ(health[0]["resources"][0]["resourceID"], resource_id);
  EXPECT_EQ(health[0]["resources"][0]["health"], "Unhealthy");
  EXPECT_TRUE(Running(ns, victim));

  // A new replica avoids the tainted device.
  CommandResult scaled =
      kubectl_->Run({"scale", "-n", ns, "deployment/inference", "--replicas", "2"});
  ASSERT_EQ(scaled.exit_code, 0) << scaled;
  pods = WaitRunningReplicas(ns, "inference", 2);
  ASSERT_THAT(pods, SizeIs(2));
  for (const Json& pod : pods) {
    if (pod["metadata"]["name"] == victim) continue;
    std::vector<Result> other = WaitForResults(ns, ClaimOfPod(pod, "gpu"));
    ASSERT_THAT(other, SizeIs(1));
    EXPECT_NE(other[0].id(), held[0].id());
  }

  // NoExecute: the pod using the device is marked (DisruptionTarget) and deleted; the
  // Deployment's replacement gets a healthy GPU.
  BackgroundProcess watch({FindOnPath("kubectl"), "--kubeconfig=" + kubeconfig_, "get", "pod",
                           victim, "-n", ns, "--watch", "-o", "json"},
                          dir_ / "scratch" / "watch-victim.out");
  ASSERT_TRUE(watch.WaitForOutput(victim));
  Fault(kDgx, device, {"--effect", "NoExecute"});
  EXPECT_TRUE(PollUntil([&] {
    return kubectl_->Run({"get", "pod", victim, "-n", ns}).exit_code != 0;
  })) << "pod "
      << victim << " was not evicted";
  EXPECT_TRUE(watch.WaitForOutput("DeletionByDeviceTaintManager")) << watch.output();
  EXPECT_THAT(watch.output(), HasSubstr("DisruptionTarget"));
  watch.Stop();
  bool evicted_event = false;
  for (const Json& event : Items({"events", "-n", ns})) {
    evicted_event |= event["involvedObject"]["name"] == victim &&
                     event.value("reason", "") == "DeviceTaintManagerEviction";
  }
  EXPECT_TRUE(evicted_event);
  pods = WaitRunningReplicas(ns, "inference", 2);
  ASSERT_THAT(pods, SizeIs(2));
  for (const Json& pod : pods) {
    EXPECT_NE(pod["metadata"]["name"], victim);
    std::vector<Result> now = WaitForResults(ns, ClaimOfPod(pod, "gpu"));
    ASSERT_THAT(now, SizeIs(1));
    EXPECT_NE(now[0].id(), held[0].id());
  }
}

// 10: a device-plugin style pod (nvidia.com/gpu: 1) next to DRA pods on one node gets a special
// claim from the same devices: every full GPU of the node is used once; one more GPU pod waits.
TEST_F(ScenariosTest, DevicePluginMigration) {
  const std::string ns = "device-plugin-migration";
  Apply(Documents("10-device-plugin-migration.yaml"));
  ASSERT_TRUE(WaitRunning(ns, {"legacy-cuda", "dra-one", "dra-two"}));
  Json legacy = Pod(ns, "legacy-cuda");
  ASSERT_TRUE(legacy["status"].contains("extendedResourceClaimStatus")) << legacy.dump(2);
  const Json& status = legacy["status"]["extendedResourceClaimStatus"];
  const std::string special = status.value("resourceClaimName", "");
  EXPECT_THAT(special, StartsWith("legacy-cuda-extended-resources-"));
  ASSERT_THAT(status["requestMappings"], SizeIs(1));
  EXPECT_EQ(status["requestMappings"][0]["containerName"], "cuda");
  EXPECT_EQ(status["requestMappings"][0]["resourceName"], "nvidia.com/gpu");
  Json claim = Claim(ns, special);
  ASSERT_THAT(ResultsOf(claim), SizeIs(1));
  EXPECT_EQ(ResultsOf(claim)[0].pool, kA100);
  EXPECT_EQ(ResultsOf(claim)[0].request, status["requestMappings"][0]["requestName"]);
  EXPECT_EQ(claim["status"]["reservedFor"][0]["name"], "legacy-cuda");

  // Every allocated device of the node, in every namespace, is allocated once; the three pods
  // hold the node's three full GPUs.
  std::vector<std::string> devices;
  for (const Json& c : Items({"resourceclaims", "--all-namespaces"})) {
    for (const Result& r : ResultsOf(c)) {
      if (r.pool == kA100 && !r.json.value("adminAccess", false)) devices.push_back(r.id());
    }
  }
  std::set<std::string> distinct(devices.begin(), devices.end());
  EXPECT_EQ(distinct.size(), devices.size()) << testing::PrintToString(devices);
  EXPECT_EQ(distinct, (std::set<std::string>{"gpu.nvidia.com/a100-mig-1/gpu-1",
                                             "gpu.nvidia.com/a100-mig-1/gpu-2",
                                             "gpu.nvidia.com/a100-mig-1/gpu-3"}));

  // One more device-plugin style pod on the node finds no GPU left.
  std::string extra = "apiVersion: v1\nkind: Pod\nmetadata: {name: one-too-many, namespace: " + ns +
                      "}\nspec:\n  nodeSelector: {kubernetes.io/hostname: a100-mig-1}\n"
                      "  containers:\n  - name: cuda\n    image: busybox\n    resources:\n"
                      "      limits:\n        nvidia.com/gpu: 1\n";
  Apply({extra});
  std::string message = WaitUnschedulable(ns, "one-too-many", "in use");
  EXPECT_THAT(message, HasSubstr("0 left, 1 needed"));
}

// 11: unsatisfiable claims stay pending; describe and `dra explain` say why.
TEST_F(ScenariosTest, PendingClaim) {
  const std::string ns = "pending-claim";
  Apply(Documents("11-pending-claim.yaml"));
  std::string nine = WaitUnschedulable(ns, "nine-gpus", "9 needed");
  EXPECT_THAT(nine, HasSubstr("0/3 nodes are available: 3 cannot allocate all claims."));
  EXPECT_THAT(nine, HasSubstr("claim \"pending-claim/nine-gpus\": cannot allocate request "
                              "\"gpus\" (exactly 9 of class \"gpu.nvidia.com\")"));
  std::string b200 = WaitUnschedulable(ns, "b200", "request selector #0 rejected");
  EXPECT_THAT(b200, HasSubstr("0 left, 1 needed"));
  EXPECT_THAT(ResultsOf(Claim(ns, "nine-gpus")), SizeIs(0));
  EXPECT_THAT(ResultsOf(Claim(ns, "b200")), SizeIs(0));
  for (const char* pod : {"nine-gpus", "b200"}) {
    EXPECT_EQ(Pod(ns, pod)["status"]["conditions"][0]["reason"], "Unschedulable") << pod;
  }

  CommandResult described;
  EXPECT_TRUE(PollUntil([&] {
    described = kubectl_->Run({"describe", "pod", "nine-gpus", "-n", ns});
    return described.out.find("FailedScheduling") != std::string::npos;
  })) << described;
  EXPECT_THAT(described.out, HasSubstr("PodScheduled   False"));
  EXPECT_THAT(described.out, HasSubstr("9 needed"));

  CommandResult explained =
      RunCommand({DRA_BINARY, "explain", "pod", "nine-gpus", "-n", ns, "--kubeconfig", kubeconfig_},
                 "", dir_ / "scratch");
  EXPECT_EQ(explained.exit_code, 1) << explained;
  EXPECT_THAT(explained.out, HasSubstr("cannot allocate request \"gpus\""));
  EXPECT_THAT(explained.out, HasSubstr("9 needed"));
  explained =
      RunCommand({DRA_BINARY, "explain", "pod", "b200", "-n", ns, "--kubeconfig", kubeconfig_}, "",
                 dir_ / "scratch");
  EXPECT_EQ(explained.exit_code, 1) << explained;
  EXPECT_THAT(explained.out, HasSubstr("request selector #0 (device.attributes['gpu.nvidia.com']"
                                       ".productName == 'NVIDIA B200')"));
}

}  // namespace
}  // namespace dra
