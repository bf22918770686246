#include "dra/driver/agent/kubelet_simulator.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <utility>

#include "dra/api/codec/codec.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"

namespace dra::driver {
namespace {

constexpr char kFieldManager[] = "dra-kubelet";

std::string Now() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

bool Terminal(const api::Pod& pod) {
  return pod.metadata.deletion_timestamp.has_value() || pod.status.phase == "Succeeded" ||
         pod.status.phase == "Failed";
}

// The claim names a pod uses: pod claim name -> ResourceClaim name ("" when not known yet).
std::map<std::string, std::string> PodClaimNames(const api::Pod& pod) {
  std::map<std::string, std::string> names;
  for (const api::PodResourceClaim& claim : pod.spec.resource_claims) {
    std::string resolved = claim.resource_claim_name.value_or("");
    if (claim.resource_claim_template_name.has_value()) {
      for (const api::PodResourceClaimStatus& status : pod.status.resource_claim_statuses) {
        if (status.name == claim.name) resolved = status.resource_claim_name.value_or("-");
      }
    }
    names[claim.name] = resolved;
  }
  return names;
}

std::string PodIp(const std::string& uid) {
  size_t h = std::hash<std::string>{}(uid);
  return StrCat("10.244.", (h >> 8) % 250 + 1, ".", h % 250 + 2);
}

bool Reserves(const api::ResourceClaim& claim, const std::string& pod_uid) {
  for (const api::ResourceClaimConsumerReference& ref : claim.status.reserved_for) {
    if (ref.uid == pod_uid) return true;
  }
  return false;
}

}  // namespace

KubeletSimulator::KubeletSimulator(client::RestClient* client, KubeletSimulatorOptions options,
                                   std::map<std::string, RegisteredDriver> drivers)
    : client_(client), options_(std::move(options)), drivers_(std::move(drivers)) {
  client::InformerOptions informer;
  informer.field_selector = StrCat("spec.nodeName=", options_.node_name);
  pods_ = std::make_unique<client::Informer>(client_, client::Pods(), informer);
  auto key_of = [](const api::Value& object) { return client::Informer::KeyOf(object); };
  pods_->AddHandler(
      [this, key_of](const api::Value& o) { MarkDirty(key_of(o)); },
      [this, key_of](const api::Value&, const api::Value& o) { MarkDirty(key_of(o)); },
      [this, key_of](const api::Value& o) { MarkDirty(key_of(o)); });
}

KubeletSimulator::~KubeletSimulator() { Stop(); }

void KubeletSimulator::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (started_) return;
    started_ = true;
  }
  pods_->Start();
  worker_ = std::thread([this] { Run(); });
}

void KubeletSimulator::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  pods_->Stop();
  if (worker_.joinable()) worker_.join();
}

void KubeletSimulator::MarkDirty(const std::string& key) {
  absl::MutexLock lock(&mu_);
  dirty_.insert(key);
  retry_at_.erase(key);
}

void KubeletSimulator::HealthChanged() {
  absl::MutexLock lock(&mu_);
  for (auto& [key, state] : pods_state_) {
    if (state.running) {
      state.running = false;  // forces a status rewrite
      dirty_.insert(key);
    }
  }
}

std::vector<std::string> KubeletSimulator::RunningPods() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> running;
  for (const auto& [key, state] : pods_state_) {
    if (state.running) running.push_back(key);
  }
  return running;
}

void KubeletSimulator::Run() {
  while (!pods_->WaitForSync(absl::Now() + absl::Milliseconds(200))) {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
  }
  bool cleaned_up = false;
  while (true) {
    std::vector<std::string> keys;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        if (stopping_ || !dirty_.empty()) return true;
        absl::Time now = absl::Now();
        for (const auto& [key, at] : retry_at_) {
          if (at <= now) return true;
        }
        return false;
      };
      mu_.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(100));
      if (stopping_) return;
      keys.assign(dirty_.begin(), dirty_.end());
      dirty_.clear();
      absl::Time now = absl::Now();
      for (auto it = retry_at_.begin(); it != retry_at_.end();) {
        if (it->second <= now) {
          keys.push_back(it->first);
          it = retry_at_.erase(it);
        } else {
          ++it;
        }
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const std::string& key : keys) {
      bool done = Sync(key);
      absl::MutexLock lock(&mu_);
      if (done) {
        backoff_.erase(key);
      } else if (dirty_.count(key) == 0) {
        absl::Duration& backoff = backoff_[key];
        backoff = backoff == absl::ZeroDuration() ? options_.min_backoff
                                                  : std::min(backoff * 2, options_.max_backoff);
        retry_at_[key] = absl::Now() + backoff;
      }
    }
    if (!cleaned_up) {
      CleanupUnusedClaims();
      cleaned_up = true;
    }
  }
}

bool KubeletSimulator::Sync(const std::string& key) {
  client::Informer::ObjectPtr object =
      pods_->Get(key.substr(0, key.find('/')), key.substr(key.find('/') + 1));
  if (object == nullptr) {
    ReleasePod(key);
    return true;
  }
  absl::StatusOr<api::Pod> pod =
      api::DecodeAs<api::Pod>(*object, api::DecodeOptions{.strict = false});
  if (!pod.ok()) return true;  // nothing a kubelet could do with it
  bool replaced = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = pods_state_.find(key);
    replaced =
        it != pods_state_.end() && !it->second.uid.empty() && it->second.uid != pod->metadata.uid;
  }
  if (replaced) ReleasePod(key);  // a pod of the same name replaced the old one
  if (Terminal(*pod)) {
    ReleasePod(key);
    return true;
  }
  std::vector<api::ResourceClaim> claims;
  absl::Status prepared = PreparePod(*pod, &claims);
  if (!prepared.ok()) {
    if (!absl::IsUnavailable(prepared)) {
      PostEvent(*pod, "FailedPrepareDynamicResources", std::string(prepared.message()));
    }
    return false;
  }
  {
    absl::MutexLock lock(&mu_);
    if (pods_state_[key].running && pod->status.phase == "Running") return true;
  }
  absl::Status written = WriteRunningStatus(*pod, claims);
  if (!written.ok()) return false;
  absl::MutexLock lock(&mu_);
  pods_state_[key].running = true;
  return true;
}

absl::Status KubeletSimulator::PreparePod(const api::Pod& pod,
                                          std::vector<api::ResourceClaim>* claims) {
  std::string key = StrCat(pod.metadata.namespace_, "/", pod.metadata.name);
  std::vector<std::string> names;
  for (const auto& [pod_claim, name] : PodClaimNames(pod)) {
    if (name.empty()) {
      return absl::UnavailableError(
          StrCat("waiting for the ResourceClaim of pod claim ", pod_claim));
    }
    if (name == "-") continue;  // the template produced no claim
    names.push_back(name);
  }
  if (pod.status.extended_resource_claim_status.has_value() &&
      !pod.status.extended_resource_claim_status->resource_claim_name.empty()) {
    names.push_back(pod.status.extended_resource_claim_status->resource_claim_name);
  }
  std::map<std::string, std::vector<ClaimRef>> by_driver;
  for (const std::string& name : names) {
    absl::StatusOr<api::Value> value =
        client_->Get(client::ResourceClaims(), pod.metadata.namespace_, name);
    if (absl::IsNotFound(value.status())) {
      return absl::UnavailableError(StrCat("waiting for ResourceClaim ", name));
    }
    DRA_RETURN_IF_ERROR(value.status());
    DRA_ASSIGN_OR_RETURN(api::ResourceClaim claim,
                         api::DecodeAs<api::ResourceClaim>(*value, {.strict = false}));
    if (!claim.status.allocation.has_value() || !Reserves(claim, pod.metadata.uid)) {
      return absl::UnavailableError(StrCat("pod ", key, " (", pod.metadata.uid,
                                           ") is not allowed to use resource claim ", name));
    }
    std::set<std::string> drivers;
    for (const api::DeviceRequestAllocationResult& result :
         claim.status.allocation->devices.results) {
      drivers.insert(result.driver);
    }
    for (const std::string& driver : drivers) {
      by_driver[driver].push_back(ClaimRef{.namespace_name = claim.metadata.namespace_,
                                           .uid = claim.metadata.uid,
                                           .name = claim.metadata.name});
    }
    claims->push_back(std::move(claim));
  }
  for (const auto& [driver, refs] : by_driver) {
    auto it = drivers_.find(driver);
    if (it == drivers_.end()) {
      return absl::FailedPreconditionError(
          StrCat("failed to prepare dynamic resources: DRA driver ", driver,
                 " is not registered on node ", options_.node_name));
    }
    std::map<std::string, PrepareResult> results = it->second.handler->NodePrepareResources(refs);
    for (const ClaimRef& ref : refs) {
      auto result = results.find(ref.uid);
      if (result == results.end()) {
        return absl::FailedPreconditionError(
            StrCat("failed to prepare dynamic resources: NodePrepareResources of driver ", driver,
                   " left out claim ", ref.namespace_name, "/", ref.name));
      }
      if (!result->second.error.empty()) {
        return absl::FailedPreconditionError(
            StrCat("failed to prepare dynamic resources: NodePrepareResources failed for "
                   "ResourceClaim ",
                   ref.namespace_name, "/", ref.name, ": ", result->second.error));
      }
      absl::MutexLock lock(&mu_);
      PreparedClaim& prepared = prepared_[ref.uid];
      prepared.ref = ref;
      prepared.drivers.insert(driver);
      prepared.pod_uids.insert(pod.metadata.uid);
      PodState& state = pods_state_[key];
      state.uid = pod.metadata.uid;
      state.claim_uids.insert(ref.uid);
    }
  }
  absl::MutexLock lock(&mu_);
  pods_state_[key].uid = pod.metadata.uid;
  return absl::OkStatus();
}

absl::Status KubeletSimulator::WriteRunningStatus(const api::Pod& pod,
                                                  const std::vector<api::ResourceClaim>& claims) {
  std::map<std::string, const api::ResourceClaim*> claim_by_pod_name;
  std::map<std::string, std::string> names = PodClaimNames(pod);
  for (const api::ResourceClaim& claim : claims) {
    for (const auto& [pod_claim, name] : names) {
      if (name == claim.metadata.name) claim_by_pod_name[pod_claim] = &claim;
    }
  }
  std::string now = Now();
  api::PodStatus status = pod.status;
  status.phase = "Running";
  status.host_ip = options_.host_ip;
  status.host_ips = {api::HostIP{options_.host_ip}};
  if (status.pod_ip.empty()) {
    status.pod_ip = PodIp(pod.metadata.uid);
    status.pod_ips = {api::PodIP{status.pod_ip}};
  }
  if (!status.start_time.has_value()) status.start_time = now;
  auto set_condition = [&](const std::string& type) {
    for (api::PodCondition& condition : status.conditions) {
      if (condition.type == type) {
        if (condition.status != "True") {
          condition.status = "True";
          condition.last_transition_time = now;
          condition.reason.clear();
          condition.message.clear();
        }
        return;
      }
    }
    status.conditions.push_back(
        api::PodCondition{.type = type, .status = "True", .last_transition_time = now});
  };
  for (const char* type :
       {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    set_condition(type);
  }
  std::vector<api::ContainerStatus> containers;
  for (const api::Container& container : pod.spec.containers) {
    api::ContainerStatus cs;
    for (const api::ContainerStatus& old : pod.status.container_statuses) {
      if (old.name == container.name) cs = old;
    }
    cs.name = container.name;
    cs.image = container.image;
    if (cs.image_id.empty()) cs.image_id = container.image;
    if (cs.container_id.empty()) {
      char id[32];
      std::snprintf(id, sizeof(id), "%016zx",
                    std::hash<std::string>{}(pod.metadata.uid + container.name));
      cs.container_id = StrCat("containerd://", id);
    }
    cs.ready = true;
    cs.started = true;
    if (!cs.state.is_object() || cs.state.Find("running") == nullptr) {
      cs.state = api::Value::Object(
          {{"running", api::Value::Object({{"startedAt", api::Value::String(now)}})}});
    }
    cs.allocated_resources_status.clear();
    for (const api::ContainerResourceClaim& ref : container.resources.claims) {
      auto it = claim_by_pod_name.find(ref.name);
      if (it == claim_by_pod_name.end() || !it->second->status.allocation.has_value()) continue;
      api::ResourceStatus rs;
      rs.name = ref.request.empty() ? StrCat("claim:", ref.name)
                                    : StrCat("claim:", ref.name, "/", ref.request);
      for (const api::DeviceRequestAllocationResult& result :
           it->second->status.allocation->devices.results) {
        if (!ref.request.empty() && result.request != ref.request &&
            result.request.rfind(ref.request + "/", 0) != 0) {
          continue;
        }
        std::string health = options_.device_health
                                 ? options_.device_health(result.driver, result.pool, result.device)
                                 : "Healthy";
        rs.resources.push_back(api::ResourceHealth{
            .resource_id = StrCat(result.driver, "/", result.pool, "/", result.device),
            .health = health});
      }
      cs.allocated_resources_status.push_back(std::move(rs));
    }
    containers.push_back(std::move(cs));
  }
  status.container_statuses = std::move(containers);
  if (status == pod.status) return absl::OkStatus();

  api::Pod updated = pod;
  updated.status = std::move(status);
  updated.metadata.managed_fields.clear();
  client::WriteOptions write;
  write.field_manager = kFieldManager;
  absl::StatusOr<api::Value> result = client_->UpdateStatus(client::Pods(), pod.metadata.namespace_,
                                                            api::EncodeObject(updated), write);
  return result.status();
}

void KubeletSimulator::ReleasePod(const std::string& key) {
  std::set<std::string> claim_uids;
  std::string pod_uid;
  {
    absl::MutexLock lock(&mu_);
    auto it = pods_state_.find(key);
    if (it == pods_state_.end()) return;
    claim_uids = it->second.claim_uids;
    pod_uid = it->second.uid;
    pods_state_.erase(it);
  }
  for (const std::string& uid : claim_uids) {
    PreparedClaim claim;
    {
      absl::MutexLock lock(&mu_);
      auto it = prepared_.find(uid);
      if (it == prepared_.end()) continue;
      it->second.pod_uids.erase(pod_uid);
      if (!it->second.pod_uids.empty()) continue;
      claim = it->second;
      prepared_.erase(it);
    }
    for (const std::string& driver : claim.drivers) {
      auto d = drivers_.find(driver);
      if (d != drivers_.end()) d->second.handler->NodeUnprepareResources({claim.ref});
    }
  }
}

void KubeletSimulator::CleanupUnusedClaims() {
  for (const auto& [driver, registered] : drivers_) {
    if (!registered.prepared_claims) continue;
    std::vector<ClaimRef> unused;
    for (const ClaimRef& ref : registered.prepared_claims()) {
      absl::MutexLock lock(&mu_);
      if (prepared_.count(ref.uid) == 0) unused.push_back(ref);
    }
    if (!unused.empty()) registered.handler->NodeUnprepareResources(unused);
  }
}

void KubeletSimulator::PostEvent(const api::Pod& pod, const std::string& reason,
                                 const std::string& message) {
  std::string key = StrCat(pod.metadata.namespace_, "/", pod.metadata.name);
  {
    absl::MutexLock lock(&mu_);
    PodState& state = pods_state_[key];
    state.uid = pod.metadata.uid;
    if (state.last_event == message) return;
    state.last_event = message;
  }
  api::Event event;
  event.metadata.generate_name = StrCat(pod.metadata.name, ".");
  event.metadata.namespace_ = pod.metadata.namespace_;
  event.involved_object.kind = "Pod";
  event.involved_object.api_version = "v1";
  event.involved_object.name = pod.metadata.name;
  event.involved_object.namespace_ = pod.metadata.namespace_;
  event.involved_object.uid = pod.metadata.uid;
  event.reason = reason;
  event.message = message;
  event.type = "Warning";
  event.source.component = "kubelet";
  event.source.host = options_.node_name;
  event.count = 1;
  event.first_timestamp = Now();
  event.last_timestamp = event.first_timestamp;
  (void)client_->Create(client::Events(), pod.metadata.namespace_, api::EncodeObject(event));
}

}  // namespace dra::driver
