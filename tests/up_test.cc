// End-to-end tests of `dra up`: `--demo` prints the allocation table of the scenario examples
// and exits 0; a cluster started with `dra up` serves kubectl (simulated GPUs published) and
// keeps its state across a restart. Skipped when kubectl is not on PATH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "tests/e2e_util.h"

namespace dra {
namespace {

using namespace e2e;  // NOLINT: the helpers of every e2e test
using ::testing::HasSubstr;

TEST(UpTest, DemoPrintsWhichClaimGotWhichDevices) {
  fs::path dir = MakeTempDir("up_demo.");
  CommandResult r = RunCommand({DRA_BINARY, "up", "--demo", "--listen", "127.0.0.1:0", "--data-dir",
                                (dir / "data").string()},
                               "", dir, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("NAMESPACE"));
  EXPECT_THAT(r.out, HasSubstr("DEVICES"));
  // Every pod of the demo scenarios appears with its node and devices.
  for (const char* pod :
       {"one-gpu", "four-gpus", "gpu-40gi", "hopper-gpu", "a100-by-name", "compute-capability-9",
        "gpu-and-nic", "two-gpus-one-numa", "two-gpus-two-roots"}) {
    bool found = false;
    for (const std::string& line : Lines(r.out)) {
      if (line.find(std::string(" ") + pod + " ") == std::string::npos) continue;
      found = true;
      EXPECT_THAT(line, HasSubstr("gpu.nvidia.com/gpu-")) << line;
    }
    EXPECT_TRUE(found) << pod << "\n" << r.out;
  }
  size_t inference = 0;
  for (const std::string& line : Lines(r.out)) {
    inference += line.rfind("deployment ", 0) == 0 && line.find(" inference-") != std::string::npos;
  }
  EXPECT_EQ(inference, 3u) << r.out;
  EXPECT_THAT(r.out, HasSubstr("dra.net/"));  // the GPU + RDMA NIC claim
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(UpTest, ServesKubectlAndKeepsStateAcrossRestarts) {
  std::string kubectl_path = FindOnPath("kubectl");
  if (kubectl_path.empty()) GTEST_SKIP() << "kubectl is not on PATH";
  fs::path dir = MakeTempDir("up_restart.");
  std::vector<std::string> argv = {
      DRA_BINARY, "up", "--listen",  "127.0.0.1:0",      "--data-dir", (dir / "data").string(),
      "--nodes",  "2",  "--profile", "dgx-h100,a100-mig"};
  std::string kubeconfig = (dir / "data" / "server" / "kubeconfig").string();
  auto start = [&](const std::string& log) {
    pid_t pid = Spawn(argv, "", dir / log, dir / (log + ".err"));
    bool ready = PollUntil(
        [&] { return ReadFile(dir / log).find("export KUBECONFIG=") != std::string::npos; });
    EXPECT_TRUE(ready) << ReadFile(dir / log) << ReadFile(dir / (log + ".err"));
    return pid;
  };
  pid_t pid = start("up1.log");
  Kubectl kubectl(kubectl_path, kubeconfig, dir);
  Json slices = kubectl.Get({"resourceslices"});
  std::set<std::string> gpu_nodes;
  for (const Json& slice : slices["items"]) {
    if (slice["spec"]["driver"] == "gpu.nvidia.com") gpu_nodes.insert(slice["spec"]["nodeName"]);
  }
  EXPECT_EQ(gpu_nodes, (std::set<std::string>{"dgx-h100-1", "a100-mig-1"}));
  CommandResult applied =
      kubectl.Run({"apply", "-f",
                   (fs::path(DRA_SOURCE_DIR) / "examples/scenarios/02-deployment.yaml").string()});
  ASSERT_EQ(applied.exit_code, 0) << applied;
  auto running = [&] {
    Json pods = kubectl.Get({"pods", "-n", "deployment"});
    int n = 0;
    for (const Json& pod : pods.value("items", Json::array())) {
      n += pod["status"].value("phase", "") == "Running";
    }
    return n;
  };
  ASSERT_TRUE(PollUntil([&] { return running() == 3; }));
  // /metrics of the one process (API server, scheduler, controllers, node agents) moved.
  auto sample = [&](const std::string& metric, const std::vector<std::string>& labels) {
    CommandResult r = kubectl.Run({"get", "--raw", "/metrics"});
    EXPECT_EQ(r.exit_code, 0) << r;
    for (const std::string& line : Lines(r.out)) {
      if (line.rfind(metric + "{", 0) != 0) continue;
      bool all = true;
      for (const std::string& label : labels) all &= line.find(label) != std::string::npos;
      if (all) return std::stod(line.substr(line.rfind(' ') + 1));
    }
    return -1.0;
  };
  EXPECT_GE(sample("scheduler_schedule_attempts_total", {"result=\"scheduled\""}), 3);
  EXPECT_TRUE(PollUntil([&] { return sample("dra_resourceclaims", {"state=\"reserved\""}) == 3; }));
  EXPECT_EQ(sample("dra_devices", {"driver=\"gpu.nvidia.com\"", "state=\"allocated\""}), 3);
  EXPECT_GE(sample("dra_node_prepare_duration_seconds_count", {"driver=\"gpu.nvidia.com\""}), 1);
  Json before = kubectl.Get({"resourceclaims", "-n", "deployment"});
  Terminate(pid);

  pid = start("up2.log");
  // The same pods and claims, still Running and allocated, after the restart.
  EXPECT_EQ(running(), 3);
  Json after = kubectl.Get({"resourceclaims", "-n", "deployment"});
  ASSERT_EQ(after["items"].size(), before["items"].size());
  for (size_t i = 0; i < after["items"].size(); ++i) {
    EXPECT_EQ(after["items"][i]["metadata"]["uid"], before["items"][i]["metadata"]["uid"]);
    EXPECT_EQ(after["items"][i]["status"]["allocation"],
              before["items"][i]["status"]["allocation"]);
  }
  Terminate(pid);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace dra
