#include "dra/driver/agent/node_agent.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/time/clock.h"
#include "dra/api/codec/codec.h"
#include "dra/base/metrics.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"
#include "dra/driver/agent/plugins.h"
#include "dra/driver/cdi/cdi.h"
#include "dra/driver/cpu/cpu.h"
#include "dra/driver/gpu/gpu_discovery.h"
#include "dra/driver/gpu/health.h"
#include "dra/driver/gpu/nvml_discovery.h"
#include "dra/driver/net/net.h"
#include "dra/driver/profiles/profiles.h"

namespace dra::driver {
namespace {

std::string FaultsPath(const std::string& state_dir) {
  return (std::filesystem::path(state_dir) / "faults.json").string();
}

bool FaultApplies(const DeviceFault& fault, const std::string& driver, const std::string& device) {
  return fault.driver == driver &&
         (device == fault.device || device.rfind(fault.device + "-", 0) == 0);
}

bool Disrupting(const api::DeviceTaint& taint) {
  return taint.effect == "NoSchedule" || taint.effect == "NoExecute";
}

}  // namespace

absl::StatusOr<std::vector<DeviceFault>> ReadFaults(const std::string& state_dir) {
  std::string path = FaultsPath(state_dir);
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (absl::IsNotFound(text.status())) return std::vector<DeviceFault>{};
  DRA_RETURN_IF_ERROR(text.status());
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("faults") ||
      !doc["faults"].is_array()) {
    return absl::InvalidArgumentError(StrCat(path, ": expected {\"faults\": [...]}"));
  }
  std::vector<DeviceFault> faults;
  int i = 0;
  for (const nlohmann::json& item : doc["faults"]) {
    auto field = [&](const char* name) -> std::string {
      return item.is_object() && item.contains(name) && item[name].is_string()
                 ? item[name].get<std::string>()
                 : "";
    };
    DeviceFault fault{.driver = field("driver"), .device = field("device")};
    fault.taint.key = field("key");
    fault.taint.value = field("value");
    fault.taint.effect = field("effect");
    if (fault.driver.empty() || fault.device.empty() || fault.taint.key.empty() ||
        fault.taint.effect.empty()) {
      return absl::InvalidArgumentError(
          StrCat(path, ": faults[", i, "]: driver, device, key and effect are required"));
    }
    faults.push_back(std::move(fault));
    ++i;
  }
  return faults;
}

absl::Status WriteFaults(const std::string& state_dir, const std::vector<DeviceFault>& faults) {
  nlohmann::json list = nlohmann::json::array();
  for (const DeviceFault& fault : faults) {
    list.push_back({{"driver", fault.driver},
                    {"device", fault.device},
                    {"key", fault.taint.key},
                    {"value", fault.taint.value},
                    {"effect", fault.taint.effect}});
  }
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  return WriteFileAtomically(FaultsPath(state_dir),
                             nlohmann::json({{"faults", list}}).dump(2) + "\n", "faults.");
}

absl::Status AddFault(const std::string& state_dir, DeviceFault fault) {
  DRA_ASSIGN_OR_RETURN(std::vector<DeviceFault> faults, ReadFaults(state_dir));
  std::erase_if(faults, [&](const DeviceFault& f) {
    return f.driver == fault.driver && f.device == fault.device && f.taint.key == fault.taint.key;
  });
  faults.push_back(std::move(fault));
  return WriteFaults(state_dir, faults);
}

absl::Status ClearFaults(const std::string& state_dir, const std::string& driver,
                         const std::string& device) {
  DRA_ASSIGN_OR_RETURN(std::vector<DeviceFault> faults, ReadFaults(state_dir));
  std::erase_if(faults, [&](const DeviceFault& f) {
    return (driver.empty() || f.driver == driver) && (device.empty() || f.device == device);
  });
  return WriteFaults(state_dir, faults);
}

absl::StatusOr<std::unique_ptr<NodeAgent>> NodeAgent::Start(client::RestClient* client,
                                                            NodeAgentOptions options) {
  if (options.node_name.empty()) return absl::InvalidArgumentError("node name is required");
  std::unique_ptr<NodeAgent> agent(new NodeAgent(client, std::move(options)));
  DRA_RETURN_IF_ERROR(agent->Init());
  agent->loop_ = std::thread([a = agent.get()] { a->Run(); });
  return agent;
}

NodeAgent::~NodeAgent() { Stop(); }

void NodeAgent::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (xid_watcher_ != nullptr) xid_watcher_->Stop();
  if (loop_.joinable()) loop_.join();
  if (simulator_ != nullptr) simulator_->Stop();
  for (auto& [name, driver] : drivers_) {
    if (driver.server != nullptr) driver.server->Stop();
  }
}

std::vector<std::string> NodeAgent::driver_names() const {
  std::vector<std::string> names;
  for (const auto& [name, driver] : drivers_) names.push_back(name);
  return names;
}

std::vector<std::string> NodeAgent::report() const { return report_; }

const KubeletPluginServer* NodeAgent::kubelet_server(const std::string& driver) const {
  auto it = drivers_.find(driver);
  return it == drivers_.end() ? nullptr : it->second.server.get();
}

ClaimPreparer* NodeAgent::preparer(const std::string& driver) const {
  auto it = drivers_.find(driver);
  return it == drivers_.end() ? nullptr : it->second.preparer.get();
}

absl::Status NodeAgent::Init() {
  // Hardware.
  Hardware hardware;
  bool simulated = false;
  const std::string& source = options_.gpu_source;
  if (source != "auto" && source != "nvml" && source != "none") {
    DRA_ASSIGN_OR_RETURN(hardware, profiles::LoadProfile(source));
    simulated = true;
    // Simulated GPUs of one profile get the same UUIDs on every node; real ones are unique, so
    // each node's are made its own.
    for (GpuInfo& info : hardware.gpus) {
      info.uuid = DerivedUuid("GPU-", StrCat(options_.node_name, "/", info.uuid));
      for (MigDevice& mig : info.mig_devices) {
        mig.uuid = DerivedUuid("MIG-", StrCat(options_.node_name, "/", mig.uuid));
      }
    }
  } else {
    auto wants = [&](const char* d) {
      return std::find(options_.drivers.begin(), options_.drivers.end(), d) !=
             options_.drivers.end();
    };
    if (wants("gpu") && source != "none") {
      absl::StatusOr<std::unique_ptr<gpu::NvmlGpuDiscovery>> nvml =
          gpu::NvmlGpuDiscovery::Create(gpu::NvmlOptions{.library_path = options_.nvml_library,
                                                         .sysfs_root = options_.sysfs_root});
      absl::StatusOr<std::vector<GpuInfo>> gpus =
          nvml.ok() ? (*nvml)->Discover() : absl::StatusOr<std::vector<GpuInfo>>(nvml.status());
      if (gpus.ok()) {
        hardware.gpus = *std::move(gpus);
        nvml_ = *std::move(nvml);
      } else if (source == "nvml") {
        return absl::Status(gpus.status().code(),
                            StrCat("GPU discovery with NVML: ", gpus.status().message()));
      } else {
        report_.push_back(StrCat("no GPUs published: ", gpus.status().message()));
      }
    }
    if (wants("cpu")) {
      DRA_ASSIGN_OR_RETURN(hardware.cpus, DiscoverCpus(options_.sysfs_root));
    }
    if (wants("net")) {
      absl::StatusOr<std::vector<NicInfo>> nics = DiscoverNics(options_.sysfs_root);
      if (nics.ok()) {
        hardware.nics = *std::move(nics);
      } else {
        report_.push_back(StrCat("no NICs published: ", nics.status().message()));
      }
    }
  }

  hardware_ = hardware;
  if (nvml_ != nullptr && !hardware_.gpus.empty()) {
    absl::StatusOr<std::unique_ptr<gpu::NvmlXidWatcher>> watcher =
        nvml_->WatchXids([this](const gpu::GpuHealthEvent& event) { OnGpuHealthEvent(event); },
                         /*wait_timeout_ms=*/1000);
    if (watcher.ok()) {
      xid_watcher_ = *std::move(watcher);
    } else {
      report_.push_back(StrCat("GPU health events not watched: ", watcher.status().message()));
    }
  }

  if (options_.register_node) DRA_RETURN_IF_ERROR(RegisterNode());

  for (const std::string& name : options_.drivers) {
    std::unique_ptr<DriverPlugin> plugin;
    std::string state = (std::filesystem::path(options_.state_dir) / name).string();
    if (name == "gpu") {
      plugin = std::make_unique<GpuPlugin>(
          hardware.gpus,
          GpuPluginOptions{.model = {.dynamic_mig = simulated && !options_.consumable_capacity,
                                     .consumable_memory = options_.consumable_capacity},
                           .simulated = simulated,
                           .state_dir = state});
    } else if (name == "cpu") {
      CpuModelOptions cpu_options;
      if (!options_.reserved_cpus.empty()) {
        absl::StatusOr<std::vector<int>> reserved = ParseCpuList(options_.reserved_cpus);
        if (!reserved.ok()) {
          return absl::InvalidArgumentError(
              StrCat("--reserved-cpus: ", reserved.status().message()));
        }
        cpu_options.reserved_cpus = *reserved;
      }
      plugin = std::make_unique<CpuPlugin>(hardware.cpus, cpu_options);
    } else if (name == "net") {
      plugin = std::make_unique<NetPlugin>(
          hardware.nics, NetModelOptions{.bandwidth_capacity = options_.consumable_capacity});
    } else {
      return absl::InvalidArgumentError(
          StrCat("unknown driver \"", name, "\": want gpu, cpu or net"));
    }
    Driver driver;
    DRA_ASSIGN_OR_RETURN(driver.base, plugin->Resources());
    DRA_ASSIGN_OR_RETURN(
        driver.preparer,
        ClaimPreparer::Create(client_, plugin.get(),
                              ClaimPreparerOptions{.node_name = options_.node_name,
                                                   .cdi_dir = options_.cdi_dir,
                                                   .state_dir = state,
                                                   .proc_root = options_.proc_root}));
    for (const std::string& line : driver.preparer->startup_report()) {
      report_.push_back(StrCat(plugin->name(), ": ", line));
    }
    driver.health = std::make_unique<DeviceHealthPublisher>();
    if (options_.serve_kubelet_grpc) {
      KubeletPluginServerOptions server_options;
      server_options.driver_name = plugin->name();
      server_options.plugins_dir = options_.kubelet_plugins_dir;
      server_options.registry_dir = options_.kubelet_registry_dir;
      server_options.rolling_update_pod_uid = options_.pod_uid;
      driver.server = std::make_unique<KubeletPluginServer>(server_options, driver.preparer.get(),
                                                            driver.health.get());
      DRA_RETURN_IF_ERROR(driver.server->Start());
    }
    driver.publisher = std::make_unique<SlicePublisher>(
        client_, SlicePublisherOptions{.node_name = options_.node_name});
    if (options_.install_device_classes) InstallDeviceClasses(*plugin);
    driver.plugin = std::move(plugin);
    drivers_[driver.plugin->name()] = std::move(driver);
  }
  DRA_RETURN_IF_ERROR(Resync());

  if (options_.simulate_kubelet) {
    std::map<std::string, RegisteredDriver> registered;
    for (auto& [name, driver] : drivers_) {
      ClaimPreparer* preparer = driver.preparer.get();
      registered[name] = RegisteredDriver{.handler = preparer, .prepared_claims = [preparer] {
                                            return preparer->PreparedClaims();
                                          }};
    }
    KubeletSimulatorOptions sim;
    sim.node_name = options_.node_name;
    sim.device_health = [this](const std::string& driver, const std::string&,
                               const std::string& device) { return DeviceHealth(driver, device); };
    simulator_ = std::make_unique<KubeletSimulator>(client_, sim, std::move(registered));
    simulator_->Start();
  }
  return absl::OkStatus();
}

void NodeAgent::OnGpuHealthEvent(const gpu::GpuHealthEvent& event) {
  api::DeviceTaint taint;
  switch (event.kind) {
    case gpu::GpuHealthEvent::Kind::kXid:
      taint = gpu::XidTaint(event.xid.xid);
      break;
    case gpu::GpuHealthEvent::Kind::kGpuLost:
      taint = gpu::GpuLostTaint();
      break;
    case gpu::GpuHealthEvent::Kind::kUnmonitored:
      taint = gpu::UnmonitoredTaint();
      break;
  }
  absl::MutexLock lock(&mu_);
  for (const GpuInfo& info : hardware_.gpus) {
    if (!event.gpu_uuid.empty() && info.uuid != event.gpu_uuid) continue;
    DeviceFault fault{
        .driver = kGpuDriverName, .device = gpu::GpuDeviceName(info.minor), .taint = taint};
    std::erase_if(gpu_events_, [&](const DeviceFault& f) {
      return f.device == fault.device && f.taint.key == fault.taint.key;
    });
    gpu_events_.push_back(std::move(fault));
  }
}

absl::Status NodeAgent::RegisterNode() {
  absl::StatusOr<api::Value> existing = client_->Get(client::Nodes(), "", options_.node_name);
  if (existing.ok()) return absl::OkStatus();
  if (!absl::IsNotFound(existing.status())) return existing.status();
  api::Node node;
  node.metadata.name = options_.node_name;
  node.metadata.labels = options_.node_labels;
  node.metadata.labels["kubernetes.io/hostname"] = options_.node_name;
  node.metadata.labels["kubernetes.io/os"] = "linux";
  node.metadata.labels["kubernetes.io/arch"] = "amd64";
  absl::StatusOr<api::Value> created =
      client_->Create(client::Nodes(), "", api::EncodeObject(node));
  if (!created.ok() && !absl::IsAlreadyExists(created.status())) return created.status();
  if (!created.ok()) return absl::OkStatus();
  DRA_ASSIGN_OR_RETURN(api::Node stored, api::DecodeAs<api::Node>(*created, {.strict = false}));
  std::string now = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  api::ResourceList capacity;
  capacity["pods"] = *Quantity::Parse("110");
  capacity["cpu"] = *Quantity::Parse("112");
  capacity["memory"] = *Quantity::Parse("2Ti");
  stored.status.capacity = capacity;
  stored.status.allocatable = capacity;
  stored.status.conditions.push_back(
      api::NodeCondition{.type = "Ready",
                         .status = "True",
                         .last_heartbeat_time = now,
                         .last_transition_time = now,
                         .reason = "KubeletReady",
                         .message = "dra node agent is posting ready status"});
  stored.status.addresses.push_back(
      api::NodeAddress{.type = "Hostname", .address = options_.node_name});
  return client_->UpdateStatus(client::Nodes(), "", api::EncodeObject(stored)).status();
}

void NodeAgent::InstallDeviceClasses(const DriverPlugin& plugin) {
  for (const api::DeviceClass& device_class : plugin.DeviceClasses()) {
    absl::StatusOr<api::Value> created =
        client_->Create(client::DeviceClasses(), "", api::EncodeObject(device_class));
    if (!created.ok() && !absl::IsAlreadyExists(created.status())) {
      report_.push_back(StrCat("DeviceClass ", device_class.metadata.name,
                               " not installed: ", created.status().message()));
    }
  }
}

std::string NodeAgent::DeviceHealth(const std::string& driver, const std::string& device) const {
  absl::MutexLock lock(&mu_);
  auto d = health_.find(driver);
  if (d == health_.end()) return "Unknown";
  auto it = d->second.find(device);
  return it == d->second.end() ? "Unknown" : it->second;
}

absl::Status NodeAgent::Resync() {
  absl::MutexLock resync_lock(&resync_mu_);
  absl::StatusOr<std::vector<DeviceFault>> faults = ReadFaults(options_.state_dir);
  std::vector<DeviceFault> current;
  {
    absl::MutexLock lock(&mu_);
    if (faults.ok()) {
      faults_ = *faults;
      faults_loaded_ = true;
    }
    current = faults_;
    current.insert(current.end(), gpu_events_.begin(), gpu_events_.end());
  }

  absl::Status first_error = faults.status();
  for (const DeviceFault& fault : current) {
    if (std::find(seen_faults_.begin(), seen_faults_.end(), fault) != seen_faults_.end()) continue;
    metrics::CounterFamily("dra_node_health_events_total",
                           "Device faults (taints) that appeared on the node.")
        .Add({{"driver", fault.driver},
              {"node", options_.node_name},
              {"effect", fault.taint.effect}})
        .Increment();
  }
  seen_faults_ = current;
  bool health_changed = false;
  for (auto& [name, driver] : drivers_) {
    DriverResources resources = driver.base;
    std::map<std::string, std::string> health;
    std::vector<dra::driver::DeviceHealth> reports;
    int64_t now = absl::ToUnixSeconds(absl::Now());
    for (api::Device& device : resources.devices) {
      bool healthy = true;
      std::string message;
      for (const DeviceFault& fault : current) {
        if (!FaultApplies(fault, name, device.name)) continue;
        device.taints.push_back(fault.taint);
        if (Disrupting(fault.taint)) {
          healthy = false;
          message = StrCat(fault.taint.key, "=", fault.taint.value, ":", fault.taint.effect);
        }
      }
      health[device.name] = healthy ? "Healthy" : "Unhealthy";
      reports.push_back(dra::driver::DeviceHealth{
          .pool_name = options_.node_name,
          .device_name = device.name,
          .status = healthy ? DeviceHealthStatus::kHealthy : DeviceHealthStatus::kUnhealthy,
          .last_updated_unix = now,
          .message = message});
    }
    // The slices are compared with the API (a list) only when the devices changed, and every
    // republish_interval to repair what others changed or deleted.
    absl::Time now_time = absl::Now();
    if (!driver.published.has_value() || !(*driver.published == resources) ||
        now_time >= driver.next_full_publish) {
      absl::StatusOr<PublishResult> published = driver.publisher->Publish(resources);
      if (published.ok()) {
        driver.published = resources;
        driver.next_full_publish = now_time + options_.republish_interval;
      } else {
        driver.published.reset();
        if (first_error.ok()) first_error = published.status();
      }
    }
    driver.health->Update(std::move(reports));
    int unhealthy = 0;
    for (const auto& [device, state] : health) unhealthy += state != "Healthy";
    metrics::GaugeFamily("dra_node_unhealthy_devices", "Devices reported Unhealthy, by driver.")
        .Add({{"driver", name}, {"node", options_.node_name}})
        .Set(unhealthy);
    absl::MutexLock lock(&mu_);
    if (health_[name] != health) {
      health_[name] = std::move(health);
      health_changed = true;
    }
  }
  if (health_changed && simulator_ != nullptr) simulator_->HealthChanged();
  return first_error;
}

void NodeAgent::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.resync_interval)) return;
    }
    (void)Resync();
  }
}

}  // namespace dra::driver
