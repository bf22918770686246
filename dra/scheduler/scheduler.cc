#include "dra/scheduler/scheduler.h"

#include <utility>

#include "dra/api/codec/codec.h"
#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"

namespace dra::scheduler {
namespace {

using api::Value;

template <typename T>
std::optional<T> Typed(const Value& object) {
  absl::StatusOr<T> typed = api::DecodeAs<T>(object, {.strict = false});
  if (!typed.ok()) return std::nullopt;
  return *std::move(typed);
}

std::string Str(const Value& object, std::initializer_list<std::string_view> path) {
  const Value* cur = &object;
  for (std::string_view p : path) {
    cur = cur->Find(p);
    if (cur == nullptr) return "";
  }
  return cur->is_string() ? cur->text() : "";
}

// The name an extended-resource claim is assumed under until it is created.
std::string ExtendedPlaceholder(const api::Pod& pod) {
  return dra::StrCat(".extended-resources-of-", pod.metadata.uid);
}

std::string Now() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

}  // namespace

Scheduler::Scheduler(client::RestClient* client, SchedulerOptions options)
    : client_(client), options_(std::move(options)), state_(options_.features) {}

Scheduler::~Scheduler() { Stop(); }

namespace {

bool IsOurs(const api::Pod& pod, const std::string& scheduler_name) {
  std::string name =
      pod.spec.scheduler_name.empty() ? "default-scheduler" : pod.spec.scheduler_name;
  return name == scheduler_name && pod.spec.node_name.empty() &&
         !pod.metadata.deletion_timestamp.has_value() && pod.status.phase != "Succeeded" &&
         pod.status.phase != "Failed" && pod.spec.scheduling_gates.empty();
}

}  // namespace

absl::Status Scheduler::Start() {
  auto add = [&](client::ResourceRef ref) {
    informers_.push_back(std::make_unique<client::Informer>(client_, std::move(ref)));
    return informers_.back().get();
  };
  client::Informer* nodes = add(client::Nodes());
  client::Informer* slices = add(client::ResourceSlices());
  client::Informer* classes = add(client::DeviceClasses());
  client::Informer* claims = add(client::ResourceClaims());
  pods_ = add(client::Pods());

  // Cluster changes update the state and give parked pods another chance; deletions of
  // claims too (their devices are free again).
  auto feed = [this]<typename T>(client::Informer* informer, void (ClusterState::*upsert)(const T&),
                                 auto remove, bool retry_on_delete) {
    auto apply = [this, upsert](const Value& o) {
      absl::MutexLock lock(&mu_);
      if (std::optional<T> typed = Typed<T>(o)) (state_.*upsert)(*typed);
      RetryParked();
    };
    informer->AddHandler(
        apply, [apply](const Value&, const Value& o) { apply(o); },
        [this, remove, retry_on_delete](const Value& o) {
          absl::MutexLock lock(&mu_);
          remove(state_, Str(o, {"metadata", "namespace"}), Str(o, {"metadata", "name"}));
          if (retry_on_delete) RetryParked();
        });
  };
  feed.template operator()<api::Node>(
      nodes, &ClusterState::UpsertNode,
      [](ClusterState& s, const std::string&, const std::string& name) { s.DeleteNode(name); },
      false);
  feed.template operator()<api::ResourceSlice>(
      slices, &ClusterState::UpsertSlice,
      [](ClusterState& s, const std::string&, const std::string& name) { s.DeleteSlice(name); },
      false);
  feed.template operator()<api::DeviceClass>(
      classes, &ClusterState::UpsertClass,
      [](ClusterState& s, const std::string&, const std::string& name) { s.DeleteClass(name); },
      false);
  feed.template operator()<api::ResourceClaim>(
      claims, &ClusterState::UpsertClaim,
      [](ClusterState& s, const std::string& ns, const std::string& name) {
        s.DeleteClaim(ns, name);
      },
      true);
  auto pod_event = [this](const Value& o) {
    std::optional<api::Pod> pod = Typed<api::Pod>(o);
    if (!pod.has_value() || !IsOurs(*pod, options_.scheduler_name)) return;
    absl::MutexLock lock(&mu_);
    std::string key = dra::StrCat(pod->metadata.namespace_, "/", pod->metadata.name);
    // A change of the pod itself (e.g. its claim statuses) is worth another try.
    parked_.erase(key);
    Enqueue(key);
  };
  pods_->AddHandler(
      pod_event, [pod_event](const Value&, const Value& o) { pod_event(o); }, [](const Value&) {});

  for (auto& informer : informers_) informer->Start();
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  for (auto& informer : informers_) {
    if (!informer->WaitForSync(deadline)) {
      return absl::DeadlineExceededError(
          dra::StrCat("scheduler: caches did not sync: ", informer->last_error().ToString()));
    }
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Scheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  for (auto& informer : informers_) informer->Stop();
}

void Scheduler::Enqueue(const std::string& key) {
  if (queued_.insert(key).second) queue_.push_back(key);
}

void Scheduler::RetryParked() {
  for (const std::string& key : parked_) Enqueue(key);
  parked_.clear();
}

void Scheduler::Run() {
  absl::Time next_retry = absl::Now() + options_.retry_interval;
  while (true) {
    std::string key;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this] {
        mu_.AssertHeld();
        return stopping_ || !queue_.empty();
      };
      mu_.AwaitWithDeadline(absl::Condition(&ready), next_retry);
      if (stopping_) return;
      if (absl::Now() >= next_retry) {
        RetryParked();
        next_retry = absl::Now() + options_.retry_interval;
      }
      if (queue_.empty()) continue;
      key = queue_.front();
      queue_.pop_front();
      queued_.erase(key);
    }
    size_t slash = key.find('/');
    client::Informer::ObjectPtr object = pods_->Get(key.substr(0, slash), key.substr(slash + 1));
    if (object == nullptr) continue;
    std::optional<api::Pod> pod = Typed<api::Pod>(*object);
    if (!pod.has_value() || !IsOurs(*pod, options_.scheduler_name)) continue;
    if (ScheduleOne(*pod)) {
      absl::MutexLock lock(&mu_);
      if (!queued_.contains(key)) parked_.insert(key);
    }
  }
}

bool Scheduler::ScheduleOne(const api::Pod& pod) {
  absl::StatusOr<Decision> decision;
  {
    absl::MutexLock lock(&mu_);
    decision = state_.Schedule(pod);
    if (decision.ok() && decision->kind == Decision::Kind::kScheduled) {
      for (const api::ResourceClaim& c : decision->claims) state_.Assume(c);
      if (decision->extended_claim.has_value()) {
        // Until it is created, the special claim holds its devices under a placeholder name.
        api::ResourceClaim placeholder = *decision->extended_claim;
        placeholder.metadata.name = ExtendedPlaceholder(pod);
        state_.Assume(placeholder);
      }
    }
  }
  if (!decision.ok()) {
    MarkUnschedulable(pod, std::string(decision.status().message()));
    return true;
  }
  if (decision->kind == Decision::Kind::kWaiting) return true;
  if (decision->kind == Decision::Kind::kUnschedulable) {
    MarkUnschedulable(pod, decision->message);
    return true;
  }
  // Write the claims, then bind. A failed claim write (a concurrent change) is forgotten and
  // the pod retried with the fresh state.
  for (const api::ResourceClaim& claim : decision->claims) {
    api::ResourceClaim stamped = claim;
    if (stamped.status.allocation.has_value() &&
        !stamped.status.allocation->allocation_timestamp.has_value()) {
      stamped.status.allocation->allocation_timestamp = Now();
    }
    absl::StatusOr<Value> written =
        client_->UpdateStatus(client::ResourceClaims(), claim.metadata.namespace_,
                              api::EncodeObject(stamped), {.field_manager = options_.component});
    if (!written.ok()) {
      absl::MutexLock lock(&mu_);
      for (const api::ResourceClaim& c : decision->claims) {
        state_.Forget(c.metadata.namespace_, c.metadata.name);
      }
      std::string key = dra::StrCat(pod.metadata.namespace_, "/", pod.metadata.name);
      Enqueue(key);
      return false;
    }
    if (auto typed = Typed<api::ResourceClaim>(*written)) {
      absl::MutexLock lock(&mu_);
      state_.UpsertClaim(*typed);
    }
  }
  if (decision->extended_claim.has_value() && !WriteExtendedClaim(pod, *decision)) {
    absl::MutexLock lock(&mu_);
    Enqueue(dra::StrCat(pod.metadata.namespace_, "/", pod.metadata.name));
    return false;
  }
  absl::Status bound = client_->Bind(pod.metadata.namespace_, pod.metadata.name, decision->node);
  if (!bound.ok() && !absl::IsNotFound(bound)) {
    MarkUnschedulable(pod, dra::StrCat("binding rejected: ", bound.message()));
    return true;
  }
  scheduled_++;
  return false;
}

bool Scheduler::WriteExtendedClaim(const api::Pod& pod, const Decision& decision) {
  const std::string& ns = pod.metadata.namespace_;
  auto drop_placeholder = [&] {
    absl::MutexLock lock(&mu_);
    state_.DeleteClaim(ns, ExtendedPlaceholder(pod));
  };
  api::ResourceClaim claim = *decision.extended_claim;
  api::ResourceClaimStatus status = claim.status;
  claim.status = api::ResourceClaimStatus();
  absl::StatusOr<Value> created =
      client_->Create(client::ResourceClaims(), ns, api::EncodeObject(claim),
                      {.field_manager = options_.component});
  if (!created.ok()) {
    drop_placeholder();
    return false;
  }
  std::optional<api::ResourceClaim> written = Typed<api::ResourceClaim>(*created);
  if (!written.has_value()) {
    drop_placeholder();
    return false;
  }
  written->status = status;
  if (written->status.allocation.has_value())
    written->status.allocation->allocation_timestamp = Now();
  absl::StatusOr<Value> updated =
      client_->UpdateStatus(client::ResourceClaims(), ns, api::EncodeObject(*written),
                            {.field_manager = options_.component});
  std::string name = written->metadata.name;
  if (updated.ok()) {
    Value mappings = Value::Array();
    for (const api::ContainerExtendedResourceRequest& m : decision.extended_mappings) {
      Value entry = Value::Object();
      entry.Set("containerName", Value::String(m.container_name));
      entry.Set("resourceName", Value::String(m.resource_name));
      entry.Set("requestName", Value::String(m.request_name));
      mappings.Append(std::move(entry));
    }
    Value claim_status = Value::Object();
    claim_status.Set("requestMappings", std::move(mappings));
    claim_status.Set("resourceClaimName", Value::String(name));
    Value pod_status = Value::Object();
    pod_status.Set("extendedResourceClaimStatus", std::move(claim_status));
    Value patch = Value::Object();
    patch.Set("status", std::move(pod_status));
    absl::StatusOr<Value> patched =
        client_->Patch(client::Pods(), ns, pod.metadata.name, client::PatchType::kMerge, patch,
                       "status", {.field_manager = options_.component});
    if (patched.ok()) {
      absl::MutexLock lock(&mu_);
      state_.DeleteClaim(ns, ExtendedPlaceholder(pod));
      if (auto typed = Typed<api::ResourceClaim>(*updated)) state_.UpsertClaim(*typed);
      return true;
    }
  }
  // Undo: the claim is removed again and the pod retried.
  (void)client_->Delete(client::ResourceClaims(), ns, name, {});
  drop_placeholder();
  return false;
}

void Scheduler::MarkUnschedulable(const api::Pod& pod, const std::string& message) {
  unschedulable_++;
  for (const api::PodCondition& c : pod.status.conditions) {
    if (c.type == "PodScheduled" && c.status == "False" && c.message == message) return;
  }
  Value condition = Value::Object();
  condition.Set("type", Value::String("PodScheduled"));
  condition.Set("status", Value::String("False"));
  condition.Set("lastProbeTime", Value::Null());
  condition.Set("lastTransitionTime", Value::String(Now()));
  condition.Set("reason", Value::String("Unschedulable"));
  condition.Set("message", Value::String(message));
  Value status = Value::Object();
  status.Set("conditions", Value::Array({condition}));
  Value patch = Value::Object();
  patch.Set("status", std::move(status));
  (void)client_->Patch(client::Pods(), pod.metadata.namespace_, pod.metadata.name,
                       client::PatchType::kStrategicMerge, patch, "status",
                       {.field_manager = options_.component});
  Value event = Value::Object();
  event.Set("apiVersion", Value::String("v1"));
  event.Set("kind", Value::String("Event"));
  Value meta = Value::Object();
  meta.Set("generateName", Value::String(pod.metadata.name + "."));
  meta.Set("namespace", Value::String(pod.metadata.namespace_));
  event.Set("metadata", std::move(meta));
  Value involved = Value::Object();
  involved.Set("apiVersion", Value::String("v1"));
  involved.Set("kind", Value::String("Pod"));
  involved.Set("name", Value::String(pod.metadata.name));
  involved.Set("namespace", Value::String(pod.metadata.namespace_));
  involved.Set("uid", Value::String(pod.metadata.uid));
  event.Set("involvedObject", std::move(involved));
  event.Set("reason", Value::String("FailedScheduling"));
  event.Set("message", Value::String(message));
  event.Set("type", Value::String("Warning"));
  Value source = Value::Object();
  source.Set("component", Value::String(options_.scheduler_name));
  event.Set("source", std::move(source));
  event.Set("firstTimestamp", Value::String(Now()));
  event.Set("lastTimestamp", Value::String(Now()));
  event.Set("count", Value::Int(1));
  (void)client_->Create(client::Events(), pod.metadata.namespace_, event,
                        {.field_manager = options_.component});
}

}  // namespace dra::scheduler
