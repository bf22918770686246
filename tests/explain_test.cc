// End-to-end tests of `dra explain` (scenario 11: a pending claim says exactly why): `dra server`
// and one `dra node` agent on a simulated DGX H100 (8 GPUs), claims and pods applied with the real
// kubectl, then `dra explain` and `kubectl dra explain` (the plugin, a `kubectl-dra` link to dra
// on PATH) run as a user would. Skipped when kubectl is not on PATH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e_util.h"

namespace dra {
namespace {

using namespace e2e;  // NOLINT: the helpers of every e2e test
using ::testing::HasSubstr;

fs::path DocManifests() { return fs::path(DRA_SHARED_DIR) / "examples" / "doc-manifests"; }

class ExplainTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string kubectl = FindOnPath("kubectl");
    if (kubectl.empty()) return;
    dir_ = MakeTempDir("explain_test.");
    ASSERT_FALSE(dir_.empty());
    fs::create_directories(dir_ / "scratch");
    // The kubectl plugin as users install it: a link named kubectl-dra to dra on PATH.
    fs::create_directories(dir_ / "bin");
    fs::create_symlink(DRA_BINARY, dir_ / "bin" / "kubectl-dra");
    std::string error;
    server_ = ServerProcess::Start(
                  {"--listen", "127.0.0.1:0", "--data-dir", (dir_ / "data").string()}, dir_, &error)
                  .release();
    ASSERT_NE(server_, nullptr) << error;
    kubectl_path_ = kubectl;
    kubectl_ = new Kubectl(kubectl, server_->kubeconfig(), dir_ / "scratch");
    node_ = new NodeProcess(server_->kubeconfig(), "node-h100", "dgx-h100", dir_);
    ASSERT_TRUE(node_->ready()) << node_->output();
    // Every GPU published (the pool complete) before anything is explained.
    ASSERT_TRUE(PollUntil([] {
      CommandResult r = Explain({"claim", "probe"});
      return r.err.find("not found") != std::string::npos &&
             kubectl_->Get({"resourceslices"}).dump().find("\"gpu-7\"") != std::string::npos;
    }));
  }

  static void TearDownTestSuite() {
    delete node_;
    delete kubectl_;
    delete server_;
    node_ = nullptr;
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
    if (HasFailure() && node_ != nullptr) std::cerr << "node-h100:\n" << node_->output();
  }

  static void Apply(const std::string& manifest, const std::string& ns) {
    CommandResult r = kubectl_->Run({"apply", "-n", ns, "-f", "-"}, manifest);
    ASSERT_EQ(r.exit_code, 0) << r << "\nmanifest:\n" << manifest;
  }

  static void CreateNamespace(const std::string& ns) {
    Apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns + "\n", "default");
  }

  // `dra explain ARGS --kubeconfig ...`.
  static CommandResult Explain(std::vector<std::string> args) {
    args.insert(args.begin(), {DRA_BINARY, "explain"});
    args.push_back("--kubeconfig=" + server_->kubeconfig());
    return RunCommand(args, "", dir_ / "scratch");
  }

  // Runs `dra explain` until its output contains `text` (the scheduler and the node agent work
  // in the background); the last result.
  static CommandResult ExplainUntil(const std::vector<std::string>& args, const std::string& text) {
    CommandResult r;
    PollUntil([&] {
      r = Explain(args);
      return r.all().find(text) != std::string::npos;
    });
    return r;
  }

  static std::string PodFor(const std::string& name, const std::string& claim) {
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
           "}\nspec:\n  containers:\n  - name: main\n    image: busybox\n    resources:\n"
           "      claims: [{name: gpu}]\n  resourceClaims:\n  - name: gpu\n"
           "    resourceClaimName: " +
           claim + "\n";
  }

  static fs::path dir_;
  static ServerProcess* server_;
  static Kubectl* kubectl_;
  static std::string kubectl_path_;
  static NodeProcess* node_;
};

fs::path ExplainTest::dir_;
ServerProcess* ExplainTest::server_ = nullptr;
Kubectl* ExplainTest::kubectl_ = nullptr;
std::string ExplainTest::kubectl_path_;
NodeProcess* ExplainTest::node_ = nullptr;

TEST_F(ExplainTest, PodPendingForNineGpusOnAnEightGpuNode) {
  CreateNamespace("nine");
  Apply(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: nine-gpus}
spec:
  devices:
    requests:
    - name: gpus
      exactly: {deviceClassName: gpu.nvidia.com, count: 9}
)",
        "nine");
  Apply(PodFor("trainer", "nine-gpus"), "nine");
  CommandResult r = ExplainUntil({"pod", "trainer", "-n", "nine"}, "PodScheduled=False");
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.out, HasSubstr("Pod nine/trainer: Pending: not scheduled\n"));
  EXPECT_THAT(r.out, HasSubstr("nine/nine-gpus (pod claim \"gpu\"): not allocated\n"));
  EXPECT_THAT(r.out, HasSubstr("0/1 nodes are available: 1 cannot allocate all claims."));
  EXPECT_THAT(r.out, HasSubstr("  request \"gpus\": exactly 9 of class \"gpu.nvidia.com\"\n"));
  EXPECT_THAT(r.out, HasSubstr("devices can serve it, 9 needed\n"));
  EXPECT_THAT(r.out, HasSubstr("Warning FailedScheduling from default-scheduler"));
}

TEST_F(ExplainTest, AmpereSelectorMatchesNothingOnTheH100Node) {
  CreateNamespace("ampere");
  Apply(ReadFile(DocManifests() / "nvidia-dra-driver-10-resourceclaim-ampere-gpu.yaml"), "ampere");
  CommandResult r = Explain({"claim", "ampere-gpu", "-n", "ampere"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.out, HasSubstr("ResourceClaim ampere/ampere-gpu: not allocated; no pod waits for "
                               "it\n"));
  EXPECT_THAT(r.out, HasSubstr("cannot allocate claim \"ampere/ampere-gpu\" on node "
                               "\"node-h100\"\n"));
  EXPECT_THAT(r.out, HasSubstr("8 rejected by request selector #0 "
                               "(device.attributes['gpu.nvidia.com'].architecture == 'Ampere'): "
                               "gpu.nvidia.com/node-h100/gpu-0, "));
}

TEST_F(ExplainTest, DocumentationMigClaimNamesAnAttributeTheDevicesLack) {
  CreateNamespace("mig");
  Apply(ReadFile(DocManifests() / "nvidia-dra-driver-14-resourceclaim-mig-claim.yaml"), "mig");
  Apply(PodFor("mig-pod", "mig-claim"), "mig");
  CommandResult r = Explain({"pod", "mig-pod", "-n", "mig"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.out, HasSubstr("claim mig/mig-claim: selector #0: CEL runtime error: no such key: "
                               "migProfile"));
  EXPECT_THAT(r.out, HasSubstr("failed to evaluate request selector #0 "
                               "(device.attributes['gpu.nvidia.com'].migProfile == '3g.40gb': no "
                               "such key: migProfile)"));
  EXPECT_THAT(r.out, HasSubstr("have no attribute \"migProfile\"; their attributes: "));
  EXPECT_THAT(r.out, HasSubstr("profile"));
}

TEST_F(ExplainTest, MatchAttributeThatCannotBeMet) {
  CreateNamespace("topology");
  // Two GPUs share each PCIe root of a DGX H100: three on one root cannot be found.
  Apply(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: three-on-one-root}
spec:
  devices:
    requests:
    - name: gpus
      exactly: {deviceClassName: gpu.nvidia.com, count: 3}
    constraints:
    - matchAttribute: resource.kubernetes.io/pcieRoot
)",
        "topology");
  Apply(PodFor("ring", "three-on-one-root"), "topology");
  CommandResult r = Explain({"pod", "ring", "-n", "topology"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.out, HasSubstr("constraint #0 matchAttribute \"resource.kubernetes.io/pcieRoot\" "
                               "over all requests cannot be met"));
  EXPECT_THAT(r.out, HasSubstr("  constraint #0 matchAttribute \"resource.kubernetes.io/pcieRoot\" "
                               "over all requests\n"));
  EXPECT_THAT(r.out, HasSubstr("request \"gpus\" (3 needed): pci0000:"));
  EXPECT_THAT(r.out, HasSubstr("cannot hold: no value of \"resource.kubernetes.io/pcieRoot\" is "
                               "carried by enough candidates of every request"));

  // The same for the claim alone, as JSON.
  r = Explain({"claim", "three-on-one-root", "-n", "topology", "-o", "json"});
  EXPECT_EQ(r.exit_code, 1) << r;
  Json json = ParseJson(r.out);
  ASSERT_TRUE(json.is_object()) << r;
  EXPECT_EQ(json["summary"], "not allocated; pod \"ring\" waits for it");
  EXPECT_EQ(json["pending"]["claims"][0]["constraints"][0]["nodes"][0]["canHold"], false);
}

TEST_F(ExplainTest, RunningPodListsDevicesAndHealthAlsoThroughKubectl) {
  CreateNamespace("running");
  const std::string name = "single-gpu";
  Apply(R"(apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: single-gpu}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.nvidia.com, count: 1}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: too-many}
spec:
  devices:
    requests:
    - name: gpus
      exactly: {deviceClassName: gpu.nvidia.com, count: 9}
)",
        "running");
  Apply(PodFor("worker", name), "running");
  Apply(PodFor("waiting", "too-many"), "running");
  CommandResult r = ExplainUntil({"pod", "worker", "-n", "running"}, "Running on node");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("Pod running/worker: Running on node \"node-h100\"\n"));
  EXPECT_THAT(r.out, HasSubstr("running/" + name +
                               " (pod claim \"gpu\"): allocated on node "
                               "\"node-h100\", reserved for pods/worker\n"));
  EXPECT_THAT(r.out, HasSubstr(": gpu.nvidia.com/node-h100/gpu-"));
  r = ExplainUntil({"pod", "worker", "-n", "running"}, "health: Healthy");
  EXPECT_THAT(r.out, HasSubstr("      health: Healthy\n"));

  // `kubectl dra explain ...`: kubectl finds kubectl-dra on PATH and passes it the arguments
  // after `dra`, flags included.
  std::string path = (dir_ / "bin").string() + ":" + std::getenv("PATH");
  CommandResult plugin =
      RunCommand({"/usr/bin/env", "PATH=" + path, kubectl_path_, "dra", "explain", "pod", "worker",
                  "-n", "running", "--kubeconfig", server_->kubeconfig()},
                 "", dir_ / "scratch");
  EXPECT_EQ(plugin.exit_code, 0) << plugin;
  EXPECT_THAT(plugin.out, HasSubstr("Pod running/worker: Running on node \"node-h100\"\n"));
  EXPECT_THAT(plugin.out, HasSubstr("      health: Healthy\n"));

  // A pending pod through the plugin: exit status 1; an unknown one: 2 and the NotFound message.
  plugin = RunCommand({"/usr/bin/env", "PATH=" + path, "KUBECONFIG=" + server_->kubeconfig(),
                       kubectl_path_, "dra", "explain", "pod/waiting", "--namespace=running"},
                      "", dir_ / "scratch");
  EXPECT_EQ(plugin.exit_code, 1) << plugin;
  EXPECT_THAT(plugin.out, HasSubstr("Pod running/waiting: Pending: not scheduled"));
  EXPECT_THAT(plugin.out, HasSubstr("0/1 nodes are available: 1 cannot allocate all claims."));
  plugin = RunCommand({"/usr/bin/env", "PATH=" + path, kubectl_path_, "dra", "explain", "pod",
                       "nope", "--kubeconfig=" + server_->kubeconfig()},
                      "", dir_ / "scratch");
  EXPECT_EQ(plugin.exit_code, 2) << plugin;
  EXPECT_THAT(plugin.err, HasSubstr("Error from server (NotFound): pods \"nope\" not found"));
}

}  // namespace
}  // namespace dra
