#include "dra/driver/agent/node_agent.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "dra/driver/agent/plugins.h"
#include "dra/driver/cdi/cdi.h"
#include "dra/driver/checkpoint/checkpoint.h"
#include "dra/driver/gpu/testdata/fake_nvml_env.h"
#include "dra/driver/grpc/fake_kubelet.h"
#include "dra/driver/profiles/profiles.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

class NodeAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    client_ = server_.Client();
    dir_ = server_.dir() / "node";
  }

  NodeAgentOptions Options() {
    NodeAgentOptions options;
    options.node_name = "node-1";
    options.drivers = {"gpu"};
    options.gpu_source = "profile:dgx-h100";
    options.cdi_dir = (dir_ / "cdi").string();
    options.state_dir = (dir_ / "state").string();
    options.kubelet_plugins_dir = (dir_ / "plugins").string();
    options.kubelet_registry_dir = (dir_ / "registry").string();
    options.register_node = true;
    options.install_device_classes = true;
    options.resync_interval = absl::Milliseconds(50);
    return options;
  }

  // A claim allocated `device` of gpu.nvidia.com on node-1 (no scheduler in this test); with
  // `admin_access`, in the namespace "monitoring" labelled for admin access.
  api::ResourceClaim AllocatedClaim(const std::string& name, const std::string& device,
                                    bool admin_access = false) {
    const std::string ns = admin_access ? "monitoring" : "default";
    if (admin_access) {
      absl::StatusOr<api::Value> labelled = client_->Create(
          client::Namespaces(), "",
          *api::ParseJson(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":)"
                          R"("monitoring","labels":{"resource.kubernetes.io/admin-access":)"
                          R"("true"}}})"));
      EXPECT_TRUE(labelled.ok() || absl::IsAlreadyExists(labelled.status())) << labelled.status();
    }
    api::ResourceClaim claim;
    claim.metadata.name = name;
    claim.metadata.namespace_ = ns;
    api::DeviceRequest request;
    request.name = "gpu";
    request.exactly.emplace();
    request.exactly->device_class_name = "gpu.nvidia.com";
    if (admin_access) request.exactly->admin_access = true;
    claim.spec.devices.requests.push_back(request);
    absl::StatusOr<api::Value> created =
        client_->Create(client::ResourceClaims(), ns, api::EncodeObject(claim));
    EXPECT_TRUE(created.ok()) << created.status();
    claim = *api::DecodeAs<api::ResourceClaim>(*created, {.strict = false});
    api::AllocationResult allocation;
    allocation.devices.results.push_back(api::DeviceRequestAllocationResult{
        .request = "gpu", .driver = "gpu.nvidia.com", .pool = "node-1", .device = device});
    if (admin_access) allocation.devices.results.back().admin_access = true;
    claim.status.allocation = allocation;
    absl::StatusOr<api::Value> updated =
        client_->UpdateStatus(client::ResourceClaims(), ns, api::EncodeObject(claim));
    EXPECT_TRUE(updated.ok()) << updated.status();
    return *api::DecodeAs<api::ResourceClaim>(*updated, {.strict = false});
  }

  static ClaimRef RefOf(const api::ResourceClaim& claim) {
    return ClaimRef{.namespace_name = claim.metadata.namespace_,
                    .uid = claim.metadata.uid,
                    .name = claim.metadata.name};
  }

  std::string SpecPath(const std::string& uid) {
    return cdi::TransientSpecPath((dir_ / "cdi").string(), "k8s.gpu.nvidia.com", "claim", uid);
  }

  client::testing::TestServer server_;
  std::unique_ptr<client::RestClient> client_;
  fs::path dir_;
};

TEST_F(NodeAgentTest, KubeletRegistersPreparesAndUnpreparesOverGrpc) {
  absl::StatusOr<std::unique_ptr<NodeAgent>> agent = NodeAgent::Start(client_.get(), Options());
  ASSERT_TRUE(agent.ok()) << agent.status();
  FakeKubelet kubelet(FakeKubeletOptions{.registry_dir = (dir_ / "registry").string()});
  ASSERT_TRUE(kubelet.Register("gpu.nvidia.com").ok());
  EXPECT_EQ(kubelet.dra_version(), DraApiVersion::kV1);
  EXPECT_TRUE((*agent)->kubelet_server("gpu.nvidia.com")->registration_status().ok());

  api::ResourceClaim claim = AllocatedClaim("claim-1", "gpu-2");
  for (DraApiVersion version : {DraApiVersion::kV1, DraApiVersion::kV1beta1, DraApiVersion::kV1}) {
    absl::StatusOr<std::map<std::string, PrepareResult>> prepared =
        kubelet.NodePrepareResources({RefOf(claim)}, version);
    ASSERT_TRUE(prepared.ok()) << prepared.status();
    const PrepareResult& result = (*prepared)[claim.metadata.uid];
    ASSERT_EQ(result.error, "");
    ASSERT_THAT(result.devices, SizeIs(1));
    EXPECT_EQ(result.devices[0].pool_name, "node-1");
    EXPECT_EQ(result.devices[0].device_name, "gpu-2");
    EXPECT_THAT(result.devices[0].request_names, ElementsAre("gpu"));
    EXPECT_THAT(result.devices[0].cdi_device_ids,
                ElementsAre(StrCat("k8s.gpu.nvidia.com/claim=", claim.metadata.uid, "-gpu-2")));
  }
  absl::StatusOr<cdi::Spec> spec = cdi::ReadSpecFile(SpecPath(claim.metadata.uid));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(cdi::ValidateSpec(*spec).ok());
  EXPECT_EQ(spec->devices[0].container_edits.device_nodes[0].path, "/dev/nvidia2");

  // A claim that was replaced (other UID) or is gone fails with the reason.
  ClaimRef replaced = RefOf(claim);
  replaced.uid = "00000000-0000-0000-0000-000000000000";
  absl::StatusOr<std::map<std::string, PrepareResult>> bad =
      kubelet.NodePrepareResources({replaced});
  ASSERT_TRUE(bad.ok());
  EXPECT_THAT((*bad)[replaced.uid].error, HasSubstr("got replaced"));

  // A second claim on the same device is refused while the first is prepared.
  api::ResourceClaim other = AllocatedClaim("claim-2", "gpu-2");
  absl::StatusOr<std::map<std::string, PrepareResult>> clash =
      kubelet.NodePrepareResources({RefOf(other)});
  ASSERT_TRUE(clash.ok());
  EXPECT_THAT((*clash)[other.metadata.uid].error,
              HasSubstr("device gpu-2 is already prepared for claim default/claim-1"));

  // A claim with adminAccess (monitoring) uses a device besides its ordinary claim, whichever
  // is prepared first.
  api::ResourceClaim monitor = AllocatedClaim("monitor", "gpu-2", /*admin_access=*/true);
  absl::StatusOr<std::map<std::string, PrepareResult>> monitored =
      kubelet.NodePrepareResources({RefOf(monitor)});
  ASSERT_TRUE(monitored.ok());
  EXPECT_EQ((*monitored)[monitor.metadata.uid].error, "");
  api::ResourceClaim watched = AllocatedClaim("monitored", "gpu-3");
  api::ResourceClaim monitor_first = AllocatedClaim("monitor-first", "gpu-3", true);
  monitored = kubelet.NodePrepareResources({RefOf(monitor_first)});
  ASSERT_TRUE(monitored.ok());
  EXPECT_EQ((*monitored)[monitor_first.metadata.uid].error, "");
  monitored = kubelet.NodePrepareResources({RefOf(watched)});
  ASSERT_TRUE(monitored.ok());
  EXPECT_EQ((*monitored)[watched.metadata.uid].error, "");
  // The checkpoint keeps the admin access (it still holds after a restart).
  absl::StatusOr<Checkpoint> saved =
      LoadCheckpoint((fs::path(Options().state_dir) / "gpu" / "checkpoint.json").string());
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_TRUE(saved->claims.at(monitor_first.metadata.uid).devices.at(0).admin_access);
  EXPECT_FALSE(saved->claims.at(watched.metadata.uid).devices.at(0).admin_access);
  absl::StatusOr<std::map<std::string, std::string>> released =
      kubelet.NodeUnprepareResources({RefOf(monitor), RefOf(watched), RefOf(monitor_first)});
  ASSERT_TRUE(released.ok()) << released.status();

  for (int i = 0; i < 2; ++i) {  // idempotent
    absl::StatusOr<std::map<std::string, std::string>> unprepared =
        kubelet.NodeUnprepareResources({RefOf(claim)}, DraApiVersion::kV1beta1);
    ASSERT_TRUE(unprepared.ok()) << unprepared.status();
    EXPECT_EQ((*unprepared)[claim.metadata.uid], "");
  }
  EXPECT_FALSE(fs::exists(SpecPath(claim.metadata.uid)));
  EXPECT_THAT((*agent)->preparer("gpu.nvidia.com")->PreparedClaims(), IsEmpty());

  // Health: every device reported, a fault turns one Unhealthy.
  absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> watch = kubelet.WatchHealth();
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::StatusOr<std::vector<DeviceHealth>> first = (*watch)->Next(absl::Seconds(5));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GE(first->size(), 8u);
  ASSERT_TRUE(AddFault(Options().state_dir, DeviceFault{.driver = "gpu.nvidia.com",
                                                        .device = "gpu-5",
                                                        .taint = {.key = "gpu.nvidia.com/xid",
                                                                  .value = "48",
                                                                  .effect = "NoSchedule"}})
                  .ok());
  bool unhealthy = false;
  for (int i = 0; i < 20 && !unhealthy; ++i) {
    absl::StatusOr<std::vector<DeviceHealth>> next = (*watch)->Next(absl::Seconds(5));
    ASSERT_TRUE(next.ok()) << next.status();
    for (const DeviceHealth& health : *next) {
      if (health.device_name == "gpu-5" && health.status == DeviceHealthStatus::kUnhealthy) {
        unhealthy = true;
        EXPECT_THAT(health.message, HasSubstr("gpu.nvidia.com/xid=48"));
      }
    }
  }
  EXPECT_TRUE(unhealthy);
  (*agent)->Stop();
  EXPECT_FALSE(fs::exists((*agent)->kubelet_server("gpu.nvidia.com")->dra_socket_path()));
}

// A prepare killed at `stage` (the process exits there, as with kill -9) leaves state that a
// restarted preparer rolls back: no checkpoint entry, no CDI spec, and the claim prepares again.
void CrashAndRecover(NodeAgentTest* test, client::RestClient* client, const ClaimRef& ref,
                     const std::string& stage, const std::string& state_dir,
                     const std::string& cdi_dir, const std::string& spec_path,
                     const client::ClusterConfig& config) {
  absl::StatusOr<Hardware> hardware = profiles::LoadProfile("dgx-h100");
  ASSERT_TRUE(hardware.ok());
  pid_t pid = fork();
  if (pid == 0) {
    absl::StatusOr<std::unique_ptr<client::RestClient>> own = client::RestClient::Create(config);
    if (!own.ok()) _exit(3);
    GpuPlugin plugin(hardware->gpus, {.simulated = true, .state_dir = state_dir});
    absl::StatusOr<std::unique_ptr<ClaimPreparer>> preparer =
        ClaimPreparer::Create(own->get(), &plugin,
                              {.node_name = "node-1",
                               .cdi_dir = cdi_dir,
                               .state_dir = state_dir,
                               .after_stage = [stage](std::string_view at) {
                                 if (at == stage) _exit(9);
                               }});
    if (!preparer.ok()) _exit(4);
    (*preparer)->NodePrepareResources({ref});
    _exit(5);  // the crash point was not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 9) << stage;
  absl::StatusOr<Checkpoint> left =
      LoadCheckpoint((fs::path(state_dir) / "checkpoint.json").string());
  ASSERT_TRUE(left.ok()) << left.status();
  ASSERT_EQ(left->claims.count(ref.uid), 1u);
  EXPECT_EQ(left->claims[ref.uid].state, ClaimPrepareState::kPrepareStarted);
  EXPECT_EQ(fs::exists(spec_path), stage == "CdiSpecWritten");

  GpuPlugin plugin(hardware->gpus, {.simulated = true, .state_dir = state_dir});
  absl::StatusOr<std::unique_ptr<ClaimPreparer>> restarted = ClaimPreparer::Create(
      client, &plugin, {.node_name = "node-1", .cdi_dir = cdi_dir, .state_dir = state_dir});
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_THAT((*restarted)->startup_report(),
              ElementsAre(HasSubstr("rolled back the interrupted prepare of claim default/")));
  absl::StatusOr<Checkpoint> after =
      LoadCheckpoint((fs::path(state_dir) / "checkpoint.json").string());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->claims.count(ref.uid), 0u);
  EXPECT_FALSE(fs::exists(spec_path));
  std::map<std::string, PrepareResult> again = (*restarted)->NodePrepareResources({ref});
  EXPECT_EQ(again[ref.uid].error, "");
  EXPECT_TRUE(fs::exists(spec_path));
  EXPECT_TRUE((*restarted)->NodeUnprepareResources({ref})[ref.uid].empty());
  (void)test;
}

TEST_F(NodeAgentTest, CrashBetweenPrepareStartedAndCompletedIsRolledBack) {
  api::Node node;
  node.metadata.name = "node-1";
  ASSERT_TRUE(client_->Create(client::Nodes(), "", api::EncodeObject(node)).ok());
  api::ResourceClaim claim = AllocatedClaim("crash", "gpu-1");
  std::string state = (dir_ / "state").string(), cdi = (dir_ / "cdi").string();
  for (const std::string stage : {"PrepareStarted", "CdiSpecWritten"}) {
    CrashAndRecover(this, client_.get(), RefOf(claim), stage, state, cdi,
                    SpecPath(claim.metadata.uid), server_.config());
  }
}

TEST_F(NodeAgentTest, SpecsWithoutCheckpointEntryAreRemovedAtStart) {
  fs::create_directories(dir_ / "cdi");
  cdi::Spec orphan;
  orphan.cdi_version = "0.5.0";
  orphan.kind = "k8s.gpu.nvidia.com/claim";
  orphan.devices.push_back(cdi::Device{.name = "abc-gpu-0", .container_edits = {.env = {"A=B"}}});
  std::string path = SpecPath("abc");
  ASSERT_TRUE(cdi::WriteSpecFile(orphan, path).ok());
  absl::StatusOr<std::unique_ptr<NodeAgent>> agent = NodeAgent::Start(client_.get(), Options());
  ASSERT_TRUE(agent.ok()) << agent.status();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_THAT((*agent)->report(), Contains(HasSubstr("removed CDI spec")));
}

// The NVML path of the agent, through the stand-in libnvidia-ml: the GPUs it reports are
// published, and an XID error it raises becomes NVIDIA's taint on that GPU's devices.
TEST_F(NodeAgentTest, NvmlGpusAndXidEventsBecomeSlicesAndTaints) {
  absl::StatusOr<Hardware> hardware = profiles::LoadProfile("a100-mig");
  ASSERT_TRUE(hardware.ok());
  std::string nvml_dir = (dir_ / "nvml").string();
  fs::create_directories(nvml_dir);
  gpu::testing::WriteFakeNvmlState(hardware->gpus, nvml_dir + "/state.yaml");
  gpu::testing::BuildFakeSysfs(hardware->gpus, nvml_dir + "/sys");
  setenv("FAKE_NVML_STATE", (nvml_dir + "/state.yaml").c_str(), 1);
  NodeAgentOptions options = Options();
  options.gpu_source = "nvml";
  options.nvml_library = DRA_FAKE_NVML_PATH;
  options.sysfs_root = nvml_dir + "/sys";
  absl::StatusOr<std::unique_ptr<NodeAgent>> agent = NodeAgent::Start(client_.get(), options);
  ASSERT_TRUE(agent.ok()) << agent.status();

  auto devices = [&] {
    std::map<std::string, api::Device> by_name;
    absl::StatusOr<client::ListResult> list = client_->List(client::ResourceSlices(), "");
    EXPECT_TRUE(list.ok());
    for (const api::Value& item : list->items) {
      api::ResourceSlice slice = *api::DecodeAs<api::ResourceSlice>(item, {.strict = false});
      for (const api::Device& d : slice.spec.devices) by_name[d.name] = d;
    }
    return by_name;
  };
  std::map<std::string, api::Device> published = devices();
  ASSERT_TRUE(published.count("gpu-1"));
  EXPECT_EQ(published["gpu-1"].attributes["productName"].string_, "NVIDIA A100-SXM4-80GB");
  // Real GPUs publish no MIG partitions (creating one would change the GPU); existing MIG
  // devices are published.
  for (const auto& [name, device] : published) {
    EXPECT_TRUE(device.consumes_counters.empty()) << name;
  }

  void* handle = dlopen(DRA_FAKE_NVML_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr);
  auto inject =
      reinterpret_cast<int (*)(const char*, unsigned long long, unsigned int, unsigned int)>(
          dlsym(handle, "FakeNvmlInjectXid"));
  ASSERT_NE(inject, nullptr);
  const GpuInfo& target = hardware->gpus[1];
  ASSERT_EQ(inject(target.uuid.c_str(), 79, 0xFFFFFFFFu, 0xFFFFFFFFu), 0);
  std::string name = gpu::GpuDeviceName(target.minor);
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  bool tainted = false;
  while (!tainted && absl::Now() < deadline) {
    std::map<std::string, api::Device> now = devices();
    for (const api::DeviceTaint& taint : now[name].taints) {
      tainted |=
          taint.key == "gpu.nvidia.com/xid" && taint.value == "79" && taint.effect == "NoSchedule";
    }
    if (!tainted) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_TRUE(tainted);
  (*agent)->Stop();
  dlclose(handle);
}

TEST_F(NodeAgentTest, SlicesDeletedByOthersAreRepublished) {
  NodeAgentOptions options = Options();
  options.republish_interval = absl::Milliseconds(200);
  absl::StatusOr<std::unique_ptr<NodeAgent>> agent = NodeAgent::Start(client_.get(), options);
  ASSERT_TRUE(agent.ok()) << agent.status();
  auto count = [&] {
    absl::StatusOr<client::ListResult> list = client_->List(client::ResourceSlices(), "");
    return list.ok() ? list->items.size() : 0;
  };
  size_t published = count();
  ASSERT_GT(published, 0u);
  absl::StatusOr<client::ListResult> list = client_->List(client::ResourceSlices(), "");
  ASSERT_TRUE(list.ok());
  for (const api::Value& item : list->items) {
    std::string name = api::IdentityOf(item).name;
    ASSERT_TRUE(client_->Delete(client::ResourceSlices(), "", name).ok());
  }
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (count() != published && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(count(), published);
}

}  // namespace
}  // namespace dra::driver
