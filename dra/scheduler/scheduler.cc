#include "dra/scheduler/scheduler.h"

#include <algorithm>
#include <utility>

#include "dra/api/codec/codec.h"
#include "dra/base/metrics.h"
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

// IsOurs on the pod's document.
bool IsOursDocument(const Value& pod, const std::string& scheduler_name) {
  std::string name = Str(pod, {"spec", "schedulerName"});
  if (name.empty()) name = "default-scheduler";
  std::string phase = Str(pod, {"status", "phase"});
  const Value* meta = pod.Find("metadata");
  const Value* deletion = meta != nullptr ? meta->Find("deletionTimestamp") : nullptr;
  const Value* spec = pod.Find("spec");
  const Value* gates = spec != nullptr ? spec->Find("schedulingGates") : nullptr;
  return name == scheduler_name && Str(pod, {"spec", "nodeName"}).empty() &&
         (deletion == nullptr || deletion->is_null()) && phase != "Succeeded" &&
         phase != "Failed" && (gates == nullptr || !gates->is_array() || gates->items().empty());
}

// "ns/name" of the claims the pod refers to, as far as they are known (template claims once the
// pod status names them; the special claim of extended resources once it is recorded).
std::vector<std::string> PodClaimKeys(const api::Pod& pod) {
  std::vector<std::string> keys;
  const std::string& ns = pod.metadata.namespace_;
  for (const api::PodResourceClaim& pc : pod.spec.resource_claims) {
    if (pc.resource_claim_name.has_value()) {
      keys.push_back(dra::StrCat(ns, "/", *pc.resource_claim_name));
      continue;
    }
    for (const api::PodResourceClaimStatus& s : pod.status.resource_claim_statuses) {
      if (s.name == pc.name && s.resource_claim_name.has_value()) {
        keys.push_back(dra::StrCat(ns, "/", *s.resource_claim_name));
      }
    }
  }
  if (pod.status.extended_resource_claim_status.has_value() &&
      !pod.status.extended_resource_claim_status->resource_claim_name.empty()) {
    keys.push_back(
        dra::StrCat(ns, "/", pod.status.extended_resource_claim_status->resource_claim_name));
  }
  return keys;
}

std::string PodKey(const api::Pod& pod) {
  return dra::StrCat(pod.metadata.namespace_, "/", pod.metadata.name);
}

std::string ClaimKeyOf(const api::ResourceClaim& claim) {
  return dra::StrCat(claim.metadata.namespace_, "/", claim.metadata.name);
}

bool ConditionTrue(const std::vector<api::Condition>& conditions, const std::string& type) {
  return std::any_of(conditions.begin(), conditions.end(),
                     [&](const api::Condition& c) { return c.type == type && c.status == "True"; });
}

bool HasBindingConditions(const api::ResourceClaim& claim) {
  if (!claim.status.allocation.has_value()) return false;
  for (const api::DeviceRequestAllocationResult& r : claim.status.allocation->devices.results) {
    if (!r.binding_conditions.empty()) return true;
  }
  return false;
}

}  // namespace

absl::Status Scheduler::Start() {
  pending_collector_ = metrics::AddGaugeCollector(
      "scheduler_pending_pods",
      "Pods waiting to be scheduled: active (queued), unschedulable (waiting for a change), "
      "binding (claims being written or binding conditions awaited).",
      [this] {
        absl::MutexLock lock(&mu_);
        return std::vector<metrics::GaugeSample>{
            {{{"queue", "active"}}, static_cast<double>(queue_.size())},
            {{{"queue", "unschedulable"}}, static_cast<double>(parked_.size())},
            {{{"queue", "binding"}}, static_cast<double>(binding_.size())}};
      });
  auto add = [&](client::ResourceRef ref) {
    informers_.push_back(std::make_unique<client::Informer>(client_, std::move(ref)));
    return informers_.back().get();
  };
  client::Informer* nodes = add(client::Nodes());
  client::Informer* slices = add(client::ResourceSlices());
  client::Informer* classes = add(client::DeviceClasses());
  client::Informer* claims = add(client::ResourceClaims());
  pods_ = add(client::Pods());
  // DeviceTaintRules are served only where DRADeviceTaints is on (beta from v1.36).
  bool serves_rules =
      options_.device_taint_rules &&
      !absl::IsNotFound(client_->List(client::DeviceTaintRules(), "", {.limit = 1}).status());
  client::Informer* rules = serves_rules ? add(client::DeviceTaintRules()) : nullptr;

  // Cluster changes update the state and give parked pods another chance; deletions of
  // claims too (their devices are free again). Claim changes also wake the pods waiting for
  // that claim and check the binding conditions of the pod that waits for them.
  auto feed = [this]<typename T>(client::Informer* informer, void (ClusterState::*upsert)(const T&),
                                 auto remove, bool is_claim) {
    auto apply = [this, upsert, is_claim](const Value& o) {
      std::optional<T> typed = Typed<T>(o);
      absl::MutexLock lock(&mu_);
      if (typed.has_value()) (state_.*upsert)(*typed);
      if (is_claim) {
        OnClaimChanged(
            dra::StrCat(Str(o, {"metadata", "namespace"}), "/", Str(o, {"metadata", "name"})));
      }
      RetryParked();
    };
    informer->AddHandler(
        apply, [apply](const Value&, const Value& o) { apply(o); },
        [this, remove, is_claim](const Value& o) {
          std::string ns = Str(o, {"metadata", "namespace"});
          std::string name = Str(o, {"metadata", "name"});
          absl::MutexLock lock(&mu_);
          remove(state_, ns, name);
          if (is_claim) OnClaimChanged(dra::StrCat(ns, "/", name));
          RetryParked();
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
  if (rules != nullptr) {
    feed.template operator()<api::DeviceTaintRule>(
        rules, &ClusterState::UpsertTaintRule,
        [](ClusterState& s, const std::string&, const std::string& name) {
          s.DeleteTaintRule(name);
        },
        false);
  }
  feed.template operator()<api::ResourceClaim>(
      claims, &ClusterState::UpsertClaim,
      [](ClusterState& s, const std::string& ns, const std::string& name) {
        s.DeleteClaim(ns, name);
      },
      true);
  // Pod events are checked on the document (the pod is decoded when it is scheduled).
  auto pod_event = [this](const Value& o) {
    std::string key =
        dra::StrCat(Str(o, {"metadata", "namespace"}), "/", Str(o, {"metadata", "name"}));
    std::string uid = Str(o, {"metadata", "uid"});
    std::string node = Str(o, {"spec", "nodeName"});
    absl::MutexLock lock(&mu_);
    if (auto b = binding_.find(key); b != binding_.end()) {
      // Bound (observed with its node) or replaced by another pod of that name: done. Else its
      // binding is in flight and it is not decided again; a failed binding queues it.
      if (b->second != uid || !node.empty()) {
        binding_.erase(b);
      } else {
        return;
      }
    }
    if (!IsOursDocument(o, options_.scheduler_name)) return;
    // A change of the pod itself (e.g. its claim statuses) is worth another try.
    parked_.erase(key);
    Enqueue(key);
  };
  pods_->AddHandler(
      pod_event, [pod_event](const Value&, const Value& o) { pod_event(o); },
      [this](const Value& o) {
        std::string key =
            dra::StrCat(Str(o, {"metadata", "namespace"}), "/", Str(o, {"metadata", "name"}));
        std::string uid = Str(o, {"metadata", "uid"});
        absl::MutexLock lock(&mu_);
        parked_.erase(key);
        if (auto a = awaiting_.find(key);
            a != awaiting_.end() && a->second.pod.metadata.uid == uid) {
          // Its claims are released by the claim controller.
          AwaitingConditions gone = std::move(a->second);
          awaiting_.erase(a);
          for (const api::ResourceClaim& c : gone.decision.claims)
            awaiting_claims_.erase(ClaimKeyOf(c));
          EndBinding(gone.pod, gone.decision, /*keep_pod_blocked=*/false);
        }
        if (auto b = binding_.find(key); b != binding_.end() && b->second == uid) {
          binding_.erase(b);
        }
      });

  for (auto& informer : informers_) informer->Start();
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  for (auto& informer : informers_) {
    if (!informer->WaitForSync(deadline)) {
      return absl::DeadlineExceededError(
          dra::StrCat("scheduler: caches did not sync: ", informer->last_error().ToString()));
    }
  }
  thread_ = std::thread([this] { Run(); });
  for (int i = 0; i < std::max(1, options_.bind_workers); ++i) {
    binders_.emplace_back([this] { BindLoop(); });
  }
  return absl::OkStatus();
}

void Scheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  for (std::thread& t : binders_) {
    if (t.joinable()) t.join();
  }
  binders_.clear();
  for (auto& informer : informers_) informer->Stop();
  metrics::RemoveCollector(pending_collector_);
  pending_collector_ = 0;
}

void Scheduler::Enqueue(const std::string& key) {
  if (queued_.insert(key).second) queue_.push_back(key);
}

void Scheduler::RetryParked() {
  ++retries_;
  for (const std::string& key : parked_) Enqueue(key);
  parked_.clear();
}

void Scheduler::OnClaimChanged(const std::string& claim_key) {
  if (auto w = waiting_for_claim_.find(claim_key); w != waiting_for_claim_.end()) {
    for (const std::string& pod_key : w->second) Enqueue(pod_key);
    waiting_for_claim_.erase(w);
  }
  if (auto a = awaiting_claims_.find(claim_key); a != awaiting_claims_.end()) {
    CheckConditions(a->second, absl::Now());
  }
}

void Scheduler::PushJob(BindJob job) { jobs_.push_back(std::move(job)); }

void Scheduler::EndBinding(const api::Pod& pod, const Decision& decision, bool keep_pod_blocked) {
  std::string key = PodKey(pod);
  for (const api::ResourceClaim& c : decision.claims) {
    std::string claim_key = ClaimKeyOf(c);
    if (auto w = writing_claims_.find(claim_key);
        w != writing_claims_.end() && w->second == pod.metadata.uid) {
      writing_claims_.erase(w);
    }
    if (auto a = awaiting_claims_.find(claim_key);
        a != awaiting_claims_.end() && a->second == key) {
      awaiting_claims_.erase(a);
    }
    if (auto w = waiting_for_claim_.find(claim_key); w != waiting_for_claim_.end()) {
      for (const std::string& pod_key : w->second) Enqueue(pod_key);
      waiting_for_claim_.erase(w);
    }
  }
  if (auto b = binding_.find(key);
      !keep_pod_blocked && b != binding_.end() && b->second == pod.metadata.uid) {
    binding_.erase(b);
  }
}

void Scheduler::CheckConditions(const std::string& pod_key, absl::Time now) {
  auto it = awaiting_.find(pod_key);
  if (it == awaiting_.end()) return;
  AwaitingConditions& a = it->second;
  bool all_met = true;
  std::string failed;
  for (const api::ResourceClaim& written : a.decision.claims) {
    const api::ResourceClaim* claim =
        state_.FindClaim(written.metadata.namespace_, written.metadata.name);
    if (claim == nullptr || !claim->status.allocation.has_value()) {
      failed = dra::StrCat("resourceclaim ", GoQuote(written.metadata.name),
                           " was deleted or deallocated while waiting for binding conditions");
      break;
    }
    for (const api::DeviceRequestAllocationResult& r : claim->status.allocation->devices.results) {
      if (r.binding_conditions.empty() && r.binding_failure_conditions.empty()) continue;
      const api::AllocatedDeviceStatus* device = nullptr;
      for (const api::AllocatedDeviceStatus& d : claim->status.devices) {
        if (d.driver == r.driver && d.pool == r.pool && d.device == r.device &&
            d.share_id == r.share_id) {
          device = &d;
        }
      }
      for (const std::string& type : r.binding_failure_conditions) {
        if (device != nullptr && ConditionTrue(device->conditions, type) && failed.empty()) {
          failed = dra::StrCat("binding failure condition ", GoQuote(type), " of device ", r.driver,
                               "/", r.pool, "/", r.device, " in resourceclaim ",
                               GoQuote(claim->metadata.name), " is True");
        }
      }
      for (const std::string& type : r.binding_conditions) {
        if (device == nullptr || !ConditionTrue(device->conditions, type)) all_met = false;
      }
    }
    if (!failed.empty()) break;
  }
  if (failed.empty() && !all_met && now >= a.deadline) {
    failed = dra::StrCat("timed out after ", absl::FormatDuration(options_.binding_timeout),
                         " waiting for the binding conditions of its devices");
  }
  if (failed.empty() && !all_met) return;
  BindJob job;
  job.step = failed.empty() ? BindJob::Step::kBind : BindJob::Step::kUndo;
  job.pod = std::move(a.pod);
  job.decision = std::move(a.decision);
  job.reason = std::move(failed);
  for (const api::ResourceClaim& c : job.decision.claims) {
    if (auto ac = awaiting_claims_.find(ClaimKeyOf(c));
        ac != awaiting_claims_.end() && ac->second == pod_key) {
      awaiting_claims_.erase(ac);
    }
  }
  awaiting_.erase(it);
  PushJob(std::move(job));
}

void Scheduler::Run() {
  absl::Time next_retry = absl::Now() + options_.retry_interval;
  while (true) {
    std::string key;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this] {
        mu_.AssertHeld();
        return stopping_ || !queue_.empty() || deadlines_changed_;
      };
      absl::Time wake = next_retry;
      for (const auto& [pod_key, a] : awaiting_) wake = std::min(wake, a.deadline);
      mu_.AwaitWithDeadline(absl::Condition(&ready), wake);
      deadlines_changed_ = false;
      if (stopping_) return;
      absl::Time now = absl::Now();
      if (now >= next_retry) {
        RetryParked();
        next_retry = now + options_.retry_interval;
      }
      std::vector<std::string> expired;
      for (const auto& [pod_key, a] : awaiting_) {
        if (a.deadline <= now) expired.push_back(pod_key);
      }
      for (const std::string& pod_key : expired) CheckConditions(pod_key, now);
      if (queue_.empty()) continue;
      key = queue_.front();
      queue_.pop_front();
      queued_.erase(key);
      if (binding_.contains(key)) continue;
    }
    size_t slash = key.find('/');
    client::Informer::ObjectPtr object = pods_->Get(key.substr(0, slash), key.substr(slash + 1));
    if (object == nullptr) continue;
    std::optional<api::Pod> pod = Typed<api::Pod>(*object);
    if (!pod.has_value() || !IsOurs(*pod, options_.scheduler_name)) continue;
    uint64_t decided_at = 0;
    if (ScheduleOne(*pod, &decided_at)) {
      absl::MutexLock lock(&mu_);
      ParkLocked(key, decided_at);
    }
  }
}

void Scheduler::RecordAttempt(const absl::StatusOr<Decision>& decision, absl::Duration took) {
  std::string result = !decision.ok()                                 ? "error"
                       : decision->kind == Decision::Kind::kScheduled ? "scheduled"
                       : decision->kind == Decision::Kind::kWaiting   ? "waiting"
                                                                      : "unschedulable";
  metrics::Labels labels{{"result", result}, {"profile", options_.scheduler_name}};
  metrics::CounterFamily("scheduler_schedule_attempts_total",
                         "Attempts to schedule pods, by result.")
      .Add(labels)
      .Increment();
  metrics::HistogramFamily("scheduler_scheduling_attempt_duration_seconds",
                           "Time of one scheduling decision (filters, allocator, score).")
      .Add(labels, metrics::LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(took));
  auto& allocations = metrics::CounterFamily("dra_allocations_total",
                                             "Claims the scheduler tried to allocate, by outcome.");
  if (!decision.ok()) {
    allocations.Add({{"outcome", "error"}}).Increment();
  } else if (decision->kind == Decision::Kind::kScheduled) {
    for (const api::ResourceClaim& claim : decision->claims) {
      if (claim.status.allocation.has_value())
        allocations.Add({{"outcome", "allocated"}}).Increment();
    }
  } else if (decision->kind == Decision::Kind::kUnschedulable) {
    allocations.Add({{"outcome", "unsatisfiable"}}).Increment();
  }
}

bool Scheduler::ScheduleOne(const api::Pod& pod, uint64_t* decided_at) {
  std::string key = PodKey(pod);
  absl::StatusOr<Decision> decision;
  {
    absl::MutexLock lock(&mu_);
    *decided_at = retries_;
    if (binding_.contains(key)) return false;
    // A claim being written for another pod is used once that write has ended.
    for (const std::string& claim_key : PodClaimKeys(pod)) {
      if (writing_claims_.contains(claim_key)) {
        waiting_for_claim_[claim_key].insert(key);
        return false;
      }
    }
    absl::Time start = absl::Now();
    decision = state_.Schedule(pod);
    RecordAttempt(decision, absl::Now() - start);
    if (decision.ok() && decision->kind == Decision::Kind::kWaiting) {
      // A claim that is not there yet wakes the pod when it appears; a pod whose status does
      // not name its claims yet is woken by its own update.
      if (!decision->waiting_for.empty()) waiting_for_claim_[decision->waiting_for].insert(key);
      return false;
    }
    if (decision.ok() && decision->kind == Decision::Kind::kScheduled) {
      for (const api::ResourceClaim& c : decision->claims) {
        state_.Assume(c);
        writing_claims_[ClaimKeyOf(c)] = pod.metadata.uid;
      }
      if (decision->extended_claim.has_value()) {
        // Until it is created, the special claim holds its devices under a placeholder name.
        api::ResourceClaim placeholder = *decision->extended_claim;
        placeholder.metadata.name = ExtendedPlaceholder(pod);
        state_.Assume(placeholder);
      }
      binding_[key] = pod.metadata.uid;
      PushJob(BindJob{BindJob::Step::kWrite, pod, *std::move(decision), ""});
      return false;
    }
  }
  if (!decision.ok()) {
    MarkUnschedulable(pod, std::string(decision.status().message()));
    return true;
  }
  MarkUnschedulable(pod, decision->message);
  return true;
}

void Scheduler::BindLoop() {
  while (true) {
    BindJob job;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this] {
        mu_.AssertHeld();
        return stopping_ || !jobs_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    switch (job.step) {
      case BindJob::Step::kWrite:
        Write(job);
        break;
      case BindJob::Step::kBind:
        Bind(job);
        break;
      case BindJob::Step::kUndo:
        Undo(job);
        break;
    }
  }
}

void Scheduler::Write(BindJob& job) {
  const api::Pod& pod = job.pod;
  std::string key = PodKey(pod);
  std::vector<api::ResourceClaim>& claims = job.decision.claims;
  // Write the claims, then bind. A failed claim write (a concurrent change) un-assumes the
  // claims not written yet and the pod is retried with the fresh state.
  for (size_t i = 0; i < claims.size(); ++i) {
    api::ResourceClaim stamped = claims[i];
    if (stamped.status.allocation.has_value() &&
        !stamped.status.allocation->allocation_timestamp.has_value()) {
      stamped.status.allocation->allocation_timestamp = Now();
    }
    absl::StatusOr<Value> written =
        client_->UpdateStatus(client::ResourceClaims(), stamped.metadata.namespace_,
                              api::EncodeObject(stamped), {.field_manager = options_.component});
    std::optional<api::ResourceClaim> typed;
    if (written.ok()) typed = Typed<api::ResourceClaim>(*written);
    absl::MutexLock lock(&mu_);
    if (!written.ok()) {
      for (size_t j = i; j < claims.size(); ++j) {
        state_.Forget(claims[j].metadata.namespace_, claims[j].metadata.name);
      }
      if (job.decision.extended_claim.has_value()) {
        state_.DeleteClaim(pod.metadata.namespace_, ExtendedPlaceholder(pod));
      }
      EndBinding(pod, job.decision, /*keep_pod_blocked=*/false);
      Enqueue(key);
      return;
    }
    if (typed.has_value()) {
      state_.UpsertClaim(*typed);
      claims[i] = *std::move(typed);
    }
  }
  if (job.decision.extended_claim.has_value() && !WriteExtendedClaim(pod, job.decision)) {
    absl::MutexLock lock(&mu_);
    EndBinding(pod, job.decision, /*keep_pod_blocked=*/false);
    Enqueue(key);
    return;
  }
  if (options_.features.device_binding_conditions &&
      std::any_of(claims.begin(), claims.end(), HasBindingConditions)) {
    absl::MutexLock lock(&mu_);
    for (const api::ResourceClaim& c : claims) awaiting_claims_[ClaimKeyOf(c)] = key;
    awaiting_[key] = AwaitingConditions{std::move(job.pod), std::move(job.decision),
                                        absl::Now() + options_.binding_timeout};
    deadlines_changed_ = true;
    CheckConditions(key, absl::Now());
    return;
  }
  Bind(job);
}

void Scheduler::Bind(const BindJob& job) {
  const api::Pod& pod = job.pod;
  std::string key = PodKey(pod);
  absl::Status bound = client_->Bind(pod.metadata.namespace_, pod.metadata.name, job.decision.node);
  bool rejected = !bound.ok() && !absl::IsNotFound(bound);
  uint64_t decided_at = 0;
  {
    absl::MutexLock lock(&mu_);
    // A bound pod stays blocked until it is observed with its node.
    EndBinding(pod, job.decision, /*keep_pod_blocked=*/bound.ok());
    decided_at = retries_;
  }
  if (rejected) {
    MarkUnschedulable(pod, dra::StrCat("binding rejected: ", bound.message()));
    absl::MutexLock lock(&mu_);
    ParkLocked(key, decided_at);
    return;
  }
  scheduled_++;
}

void Scheduler::Undo(const BindJob& job) {
  const api::Pod& pod = job.pod;
  std::string key = PodKey(pod);
  binding_failures_++;
  // Remove the pod from each claim's reservedFor; deallocate a claim nobody else reserves.
  for (const api::ResourceClaim& c : job.decision.claims) {
    const std::string& ns = c.metadata.namespace_;
    for (int attempt = 0; attempt < 5; ++attempt) {
      absl::StatusOr<Value> fresh = client_->Get(client::ResourceClaims(), ns, c.metadata.name);
      if (!fresh.ok()) break;
      std::optional<api::ResourceClaim> claim = Typed<api::ResourceClaim>(*fresh);
      if (!claim.has_value()) break;
      auto& reserved = claim->status.reserved_for;
      reserved.erase(std::remove_if(reserved.begin(), reserved.end(),
                                    [&](const api::ResourceClaimConsumerReference& r) {
                                      return r.resource == "pods" && r.uid == pod.metadata.uid;
                                    }),
                     reserved.end());
      if (reserved.empty()) {
        claim->status.allocation.reset();
        claim->status.devices.clear();
      }
      absl::StatusOr<Value> written =
          client_->UpdateStatus(client::ResourceClaims(), ns, api::EncodeObject(*claim),
                                {.field_manager = options_.component});
      if (written.ok()) {
        if (auto typed = Typed<api::ResourceClaim>(*written)) {
          absl::MutexLock lock(&mu_);
          state_.UpsertClaim(*typed);
        }
        break;
      }
      if (!absl::IsAborted(written.status())) break;
    }
  }
  uint64_t decided_at = 0;
  {
    absl::MutexLock lock(&mu_);
    EndBinding(pod, job.decision, /*keep_pod_blocked=*/false);
    decided_at = retries_;
  }
  MarkUnschedulable(pod, dra::StrCat("binding conditions not met: ", job.reason));
  absl::MutexLock lock(&mu_);
  ParkLocked(key, decided_at);
}

void Scheduler::ParkLocked(const std::string& key, uint64_t decided_at) {
  // A cluster change while the pod was being marked unschedulable (without the lock) would have
  // found it not parked yet: it is tried again at once instead.
  if (retries_ != decided_at) {
    Enqueue(key);
  } else if (!queued_.contains(key)) {
    parked_.insert(key);
  }
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
  // A pod that is gone needs no condition; other failures (a dropped connection) are retried a
  // few times so that the reason does not wait for the next retry interval.
  for (int attempt = 0; attempt < 3; ++attempt) {
    absl::StatusOr<Value> patched = client_->Patch(
        client::Pods(), pod.metadata.namespace_, pod.metadata.name,
        client::PatchType::kStrategicMerge, patch, "status", {.field_manager = options_.component});
    if (patched.ok() || absl::IsNotFound(patched.status())) break;
  }
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
