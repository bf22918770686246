#include "dra/driver/agent/kubelet_simulator.h"

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "dra/api/codec/codec.h"
#include "dra/base/strings.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Records calls; fails claims whose name is in `failing`.
class FakeHandler : public KubeletPluginHandler {
 public:
  std::map<std::string, PrepareResult> NodePrepareResources(
      const std::vector<ClaimRef>& claims) override {
    absl::MutexLock lock(&mu_);
    std::map<std::string, PrepareResult> results;
    for (const ClaimRef& claim : claims) {
      prepares_.push_back(claim.name);
      if (failing_.count(claim.name) > 0) {
        results[claim.uid].error = "device gpu-0 is unhealthy";
      } else {
        prepared_[claim.uid] = claim;
        results[claim.uid].devices.push_back(
            PreparedDevice{.pool_name = "node-1", .device_name = "gpu-0"});
      }
    }
    return results;
  }
  std::map<std::string, std::string> NodeUnprepareResources(
      const std::vector<ClaimRef>& claims) override {
    absl::MutexLock lock(&mu_);
    std::map<std::string, std::string> results;
    for (const ClaimRef& claim : claims) {
      unprepares_.push_back(claim.name);
      prepared_.erase(claim.uid);
      results[claim.uid] = "";
    }
    return results;
  }
  std::vector<ClaimRef> Prepared() {
    absl::MutexLock lock(&mu_);
    std::vector<ClaimRef> refs;
    for (const auto& [uid, ref] : prepared_) refs.push_back(ref);
    return refs;
  }
  void SetFailing(const std::string& name, bool failing) {
    absl::MutexLock lock(&mu_);
    if (failing) {
      failing_.insert(name);
    } else {
      failing_.erase(name);
    }
  }
  std::vector<std::string> unprepares() {
    absl::MutexLock lock(&mu_);
    return unprepares_;
  }
  void AddPrepared(ClaimRef ref) {
    absl::MutexLock lock(&mu_);
    prepared_[ref.uid] = ref;
  }

 private:
  absl::Mutex mu_;
  std::set<std::string> failing_;
  std::vector<std::string> prepares_;
  std::vector<std::string> unprepares_;
  std::map<std::string, ClaimRef> prepared_;
};

template <typename T>
T Decode(const absl::StatusOr<api::Value>& value) {
  EXPECT_TRUE(value.ok()) << value.status();
  return *api::DecodeAs<T>(*value, {.strict = false});
}

class KubeletSimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    client_ = server_.Client();
    health_ = "Healthy";
  }

  void StartSimulator() {
    KubeletSimulatorOptions options;
    options.node_name = "node-1";
    options.min_backoff = absl::Milliseconds(50);
    options.max_backoff = absl::Milliseconds(200);
    options.device_health = [this](const std::string&, const std::string&, const std::string&) {
      absl::MutexLock lock(&mu_);
      return health_;
    };
    std::map<std::string, RegisteredDriver> drivers;
    drivers["gpu.example.com"] = RegisteredDriver{
        .handler = &handler_, .prepared_claims = [this] { return handler_.Prepared(); }};
    simulator_ = std::make_unique<KubeletSimulator>(client_.get(), options, drivers);
    simulator_->Start();
  }

  // An allocated claim reserved for `pod_uid` (when not empty).
  api::ResourceClaim CreateClaim(const std::string& name) {
    api::ResourceClaim claim;
    claim.metadata.name = name;
    claim.metadata.namespace_ = "default";
    api::DeviceRequest request;
    request.name = "gpu";
    request.exactly.emplace();
    request.exactly->device_class_name = "gpu.example.com";
    claim.spec.devices.requests.push_back(request);
    claim = Decode<api::ResourceClaim>(
        client_->Create(client::ResourceClaims(), "default", api::EncodeObject(claim)));
    return claim;
  }

  void Allocate(api::ResourceClaim& claim, const std::string& driver, const api::Pod& pod) {
    api::AllocationResult allocation;
    allocation.devices.results.push_back(api::DeviceRequestAllocationResult{
        .request = "gpu", .driver = driver, .pool = "node-1", .device = "gpu-0"});
    claim.status.allocation = allocation;
    claim.status.reserved_for.push_back(api::ResourceClaimConsumerReference{
        .resource = "pods", .name = pod.metadata.name, .uid = pod.metadata.uid});
    claim = Decode<api::ResourceClaim>(
        client_->UpdateStatus(client::ResourceClaims(), "default", api::EncodeObject(claim)));
  }

  api::Pod CreatePod(const std::string& name, const std::string& claim_name) {
    api::Pod pod;
    pod.metadata.name = name;
    pod.metadata.namespace_ = "default";
    pod.spec.node_name = "node-1";
    api::Container container;
    container.name = "main";
    container.image = "busybox";
    container.resources.claims.push_back(api::ContainerResourceClaim{.name = "gpu"});
    pod.spec.containers.push_back(container);
    pod.spec.resource_claims.push_back(
        api::PodResourceClaim{.name = "gpu", .resource_claim_name = claim_name});
    return Decode<api::Pod>(client_->Create(client::Pods(), "default", api::EncodeObject(pod)));
  }

  // Waits until `pred(pod)` holds for the stored pod.
  bool WaitForPod(const std::string& name, const std::function<bool(const api::Pod&)>& pred) {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      absl::StatusOr<api::Value> value = client_->Get(client::Pods(), "default", name);
      if (value.ok() && pred(*api::DecodeAs<api::Pod>(*value, {.strict = false}))) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  client::testing::TestServer server_;
  std::unique_ptr<client::RestClient> client_;
  FakeHandler handler_;
  absl::Mutex mu_;
  std::string health_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<KubeletSimulator> simulator_;
};

TEST_F(KubeletSimulatorTest, PreparesThenRunsThenUnpreparesOnDelete) {
  StartSimulator();
  api::ResourceClaim claim = CreateClaim("claim-1");
  api::Pod pod = CreatePod("pod-1", "claim-1");
  // Not reserved yet: the pod waits.
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_THAT(handler_.Prepared(), IsEmpty());
  Allocate(claim, "gpu.example.com", pod);
  ASSERT_TRUE(WaitForPod("pod-1", [](const api::Pod& p) { return p.status.phase == "Running"; }));
  api::Pod running = Decode<api::Pod>(client_->Get(client::Pods(), "default", "pod-1"));
  ASSERT_EQ(running.status.container_statuses.size(), 1u);
  const api::ContainerStatus& cs = running.status.container_statuses[0];
  EXPECT_TRUE(cs.ready);
  ASSERT_EQ(cs.allocated_resources_status.size(), 1u);
  EXPECT_EQ(cs.allocated_resources_status[0].name, "claim:gpu");
  ASSERT_EQ(cs.allocated_resources_status[0].resources.size(), 1u);
  EXPECT_EQ(cs.allocated_resources_status[0].resources[0].resource_id,
            "gpu.example.com/node-1/gpu-0");
  EXPECT_EQ(cs.allocated_resources_status[0].resources[0].health, "Healthy");
  EXPECT_FALSE(running.status.pod_ip.empty());

  // Health flows into the pod status.
  {
    absl::MutexLock lock(&mu_);
    health_ = "Unhealthy";
  }
  simulator_->HealthChanged();
  ASSERT_TRUE(WaitForPod("pod-1", [](const api::Pod& p) {
    return !p.status.container_statuses.empty() &&
           !p.status.container_statuses[0].allocated_resources_status.empty() &&
           p.status.container_statuses[0].allocated_resources_status[0].resources[0].health ==
               "Unhealthy";
  }));

  ASSERT_TRUE(client_->Delete(client::Pods(), "default", "pod-1").ok());
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (handler_.unprepares().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_THAT(handler_.unprepares(), ElementsAre("claim-1"));
  EXPECT_THAT(handler_.Prepared(), IsEmpty());
}

TEST_F(KubeletSimulatorTest, FailedPrepareIsReportedAndRetried) {
  handler_.SetFailing("claim-2", true);
  StartSimulator();
  api::ResourceClaim claim = CreateClaim("claim-2");
  api::Pod pod = CreatePod("pod-2", "claim-2");
  Allocate(claim, "gpu.example.com", pod);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  bool event_seen = false;
  while (!event_seen && absl::Now() < deadline) {
    absl::StatusOr<client::ListResult> events = client_->List(client::Events(), "default");
    for (const api::Value& item : events->items) {
      api::Event event = *api::DecodeAs<api::Event>(item, {.strict = false});
      if (event.reason == "FailedPrepareDynamicResources" &&
          event.involved_object.name == "pod-2") {
        EXPECT_THAT(event.message, ::testing::HasSubstr("device gpu-0 is unhealthy"));
        EXPECT_THAT(event.message, ::testing::HasSubstr("default/claim-2"));
        event_seen = true;
      }
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(event_seen);
  handler_.SetFailing("claim-2", false);
  EXPECT_TRUE(WaitForPod("pod-2", [](const api::Pod& p) { return p.status.phase == "Running"; }));
}

TEST_F(KubeletSimulatorTest, UnknownDriverAndStaleClaims) {
  // A claim prepared before a restart that no pod uses any more is unprepared.
  handler_.AddPrepared(ClaimRef{.namespace_name = "default", .uid = "stale", .name = "old"});
  StartSimulator();
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (handler_.unprepares().empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_THAT(handler_.unprepares(), ElementsAre("old"));

  api::ResourceClaim claim = CreateClaim("claim-3");
  api::Pod pod = CreatePod("pod-3", "claim-3");
  Allocate(claim, "other.example.com", pod);
  deadline = absl::Now() + absl::Seconds(10);
  bool event_seen = false;
  while (!event_seen && absl::Now() < deadline) {
    absl::StatusOr<client::ListResult> events = client_->List(client::Events(), "default");
    for (const api::Value& item : events->items) {
      api::Event event = *api::DecodeAs<api::Event>(item, {.strict = false});
      event_seen |=
          event.involved_object.name == "pod-3" &&
          event.message.find("DRA driver other.example.com is not registered") != std::string::npos;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(event_seen);
}

}  // namespace
}  // namespace dra::driver
