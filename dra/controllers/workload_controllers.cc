#include "dra/controllers/workload_controllers.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/resource_ref.h"

namespace dra::controllers {
namespace {

using api::Value;
using ObjectPtr = client::Informer::ObjectPtr;

std::string Key(std::string_view ns, std::string_view name) { return dra::StrCat(ns, "/", name); }

const Value* At(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* cur = &v;
  for (std::string_view key : path) {
    if (cur == nullptr || !cur->is_object()) return nullptr;
    cur = cur->Find(key);
  }
  return cur;
}

std::string StrAt(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* found = At(v, path);
  return found != nullptr && found->is_string() ? found->text() : "";
}

std::optional<int64_t> IntAt(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* found = At(v, path);
  if (found == nullptr || !found->is_number()) return std::nullopt;
  return found->AsInt64();
}

bool BoolAt(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* found = At(v, path);
  return found != nullptr && found->is_bool() && found->bool_value();
}

bool IsDeleting(const Value& object) {
  const Value* ts = At(object, {"metadata", "deletionTimestamp"});
  return ts != nullptr && !ts->is_null();
}

// The member `key` of `object` as an object, created (or replaced when not an object).
Value& ObjectMember(Value& object, std::string_view key) {
  Value* member = object.FindMutable(key);
  if (member == nullptr || !member->is_object()) {
    return object.Set(std::string(key), Value::Object());
  }
  return *member;
}

std::map<std::string, std::string> StringMap(const Value* v) {
  std::map<std::string, std::string> out;
  if (v == nullptr || !v->is_object()) return out;
  for (const auto& [key, value] : v->members()) {
    if (value.is_string()) out[key] = value.text();
  }
  return out;
}

std::map<std::string, std::string> LabelsOf(const Value& object) {
  return StringMap(At(object, {"metadata", "labels"}));
}

// The uid of the controlling owner of `object` when it is of `kind` (apps/v1 or v1 Pod).
std::string ControllerUid(const Value& object, std::string_view kind) {
  const Value* refs = At(object, {"metadata", "ownerReferences"});
  if (refs == nullptr || !refs->is_array()) return "";
  for (const Value& ref : refs->items()) {
    if (BoolAt(ref, {"controller"}) && StrAt(ref, {"kind"}) == kind) return StrAt(ref, {"uid"});
  }
  return "";
}

// The controlling owner's name when it is of `kind`.
std::string ControllerName(const Value& object, std::string_view kind) {
  const Value* refs = At(object, {"metadata", "ownerReferences"});
  if (refs == nullptr || !refs->is_array()) return "";
  for (const Value& ref : refs->items()) {
    if (BoolAt(ref, {"controller"}) && StrAt(ref, {"kind"}) == kind) return StrAt(ref, {"name"});
  }
  return "";
}

Value ControllerRef(std::string_view kind, const Value& owner) {
  return Value::Object({{"apiVersion", Value::String("apps/v1")},
                        {"kind", Value::String(std::string(kind))},
                        {"name", Value::String(StrAt(owner, {"metadata", "name"}))},
                        {"uid", Value::String(StrAt(owner, {"metadata", "uid"}))},
                        {"controller", Value::Bool(true)},
                        {"blockOwnerDeletion", Value::Bool(true)}});
}

// metav1.LabelSelector semantics; a missing or non-object selector matches nothing (apps/v1
// requires one).
bool SelectorMatches(const Value* selector, const std::map<std::string, std::string>& labels) {
  if (selector == nullptr || !selector->is_object()) return false;
  for (const auto& [key, value] : StringMap(selector->Find("matchLabels"))) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  const Value* expressions = selector->Find("matchExpressions");
  if (expressions == nullptr || !expressions->is_array()) return true;
  for (const Value& expr : expressions->items()) {
    std::string key = StrAt(expr, {"key"});
    std::string op = StrAt(expr, {"operator"});
    std::vector<std::string> values;
    if (const Value* vs = expr.Find("values"); vs != nullptr && vs->is_array()) {
      for (const Value& v : vs->items()) {
        if (v.is_string()) values.push_back(v.text());
      }
    }
    auto it = labels.find(key);
    bool has = it != labels.end();
    bool in = has && std::find(values.begin(), values.end(), it->second) != values.end();
    if (op == "In" && !in) return false;
    if (op == "NotIn" && in) return false;
    if (op == "Exists" && !has) return false;
    if (op == "DoesNotExist" && has) return false;
    if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") return false;
  }
  return true;
}

// Objects with members sorted by key, recursively (a canonical form for hashing).
Value Canonical(const Value& v) {
  if (v.is_array()) {
    std::vector<Value> items;
    items.reserve(v.items().size());
    for (const Value& item : v.items()) items.push_back(Canonical(item));
    return Value::Array(std::move(items));
  }
  if (!v.is_object()) return v;
  std::vector<Value::Member> members;
  members.reserve(v.members().size());
  for (const auto& [key, value] : v.members()) members.emplace_back(key, Canonical(value));
  std::sort(members.begin(), members.end(),
            [](const Value::Member& a, const Value::Member& b) { return a.first < b.first; });
  return Value::Object(std::move(members));
}

// The template without the pod-template-hash label (and without an empty labels map).
Value WithoutHash(const Value& pod_template) {
  Value copy = pod_template;
  if (Value* meta = copy.FindMutable("metadata"); meta != nullptr && meta->is_object()) {
    if (Value* labels = meta->FindMutable("labels"); labels != nullptr && labels->is_object()) {
      labels->Remove(kPodTemplateHashLabel);
      if (labels->members().empty()) meta->Remove("labels");
    }
    if (meta->members().empty()) copy.Remove("metadata");
  }
  return copy;
}

bool EqualIgnoreHash(const Value* a, const Value* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return WithoutHash(*a) == WithoutHash(*b);
}

int64_t Revision(const Value& object) {
  int64_t revision = 0;
  std::string text = StrAt(object, {"metadata", "annotations", kRevisionAnnotation});
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), revision);
  if (error != std::errc() || end != text.data() + text.size()) revision = 0;
  return revision;
}

bool IsPodActive(const Value& pod) {
  std::string phase = StrAt(pod, {"status", "phase"});
  return !IsDeleting(pod) && phase != "Succeeded" && phase != "Failed";
}

// The Ready condition, or nullptr.
const Value* ReadyCondition(const Value& pod) {
  const Value* conditions = At(pod, {"status", "conditions"});
  if (conditions == nullptr || !conditions->is_array()) return nullptr;
  for (const Value& c : conditions->items()) {
    if (StrAt(c, {"type"}) == "Ready") return &c;
  }
  return nullptr;
}

bool IsPodReady(const Value& pod) {
  const Value* ready = ReadyCondition(pod);
  return ready != nullptr && StrAt(*ready, {"status"}) == "True";
}

// Ready for at least `min_ready_seconds` at `now`; otherwise, when ready, sets `*recheck` to
// the time it becomes available.
bool IsPodAvailable(const Value& pod, int64_t min_ready_seconds, absl::Time now,
                    std::optional<absl::Time>* recheck) {
  if (!IsPodReady(pod)) return false;
  if (min_ready_seconds <= 0) return true;
  std::string since = StrAt(*ReadyCondition(pod), {"lastTransitionTime"});
  absl::Time t;
  std::string error;
  if (since.empty() || !absl::ParseTime(absl::RFC3339_full, since, &t, &error)) return false;
  absl::Time available_at = t + absl::Seconds(min_ready_seconds);
  if (available_at <= now) return true;
  if (!recheck->has_value() || available_at < **recheck) *recheck = available_at;
  return false;
}

int PhaseRank(const Value& pod) {
  std::string phase = StrAt(pod, {"status", "phase"});
  if (phase == "Pending" || phase.empty()) return 0;
  if (phase == "Unknown") return 1;
  return 2;  // Running
}

// Upstream controller.ActivePods ordering: the pods to delete first come first.
bool DeleteFirst(const ObjectPtr& a, const ObjectPtr& b) {
  bool a_assigned = !StrAt(*a, {"spec", "nodeName"}).empty();
  bool b_assigned = !StrAt(*b, {"spec", "nodeName"}).empty();
  if (a_assigned != b_assigned) return !a_assigned;
  if (PhaseRank(*a) != PhaseRank(*b)) return PhaseRank(*a) < PhaseRank(*b);
  if (IsPodReady(*a) != IsPodReady(*b)) return !IsPodReady(*a);
  std::string a_created = StrAt(*a, {"metadata", "creationTimestamp"});
  std::string b_created = StrAt(*b, {"metadata", "creationTimestamp"});
  if (a_created != b_created) return a_created > b_created;  // newer first
  return StrAt(*a, {"metadata", "name"}) > StrAt(*b, {"metadata", "name"});
}

}  // namespace

// ---- WorkloadControllerBase ----

WorkloadControllerBase::WorkloadControllerBase(client::RestClient* client, Options options,
                                               std::string_view name)
    : client_(client),
      options_(std::move(options)),
      name_(name),
      queue_(options_.min_retry_backoff, options_.max_retry_backoff) {}

WorkloadControllerBase::~WorkloadControllerBase() { Stop(); }

absl::Status WorkloadControllerBase::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (started_ || stopped_) {
      return absl::FailedPreconditionError(dra::StrCat(name_, ": already started or stopped"));
    }
    // Under mu_ so that WaitForSync never sees a half-built informers_.
    client::InformerOptions informer_options = options_.informer;
    informer_options.ns = options_.ns;
    SetUpInformers(informer_options);
    started_ = true;
  }
  for (const std::unique_ptr<client::Informer>& informer : informers_) informer->Start();
  worker_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void WorkloadControllerBase::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    if (!started_) return;
  }
  stopping_ = true;
  queue_.ShutDown();
  if (worker_.joinable()) worker_.join();
  for (const std::unique_ptr<client::Informer>& informer : informers_) informer->Stop();
}

bool WorkloadControllerBase::WaitForSync(absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return false;
  }
  for (const std::unique_ptr<client::Informer>& informer : informers_) {
    if (!informer->WaitForSync(deadline)) return false;
  }
  return true;
}

absl::Status WorkloadControllerBase::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

client::Informer* WorkloadControllerBase::AddInformer(
    const client::ResourceRef& ref, const client::InformerOptions& informer_options) {
  informers_.push_back(std::make_unique<client::Informer>(client_, ref, informer_options));
  return informers_.back().get();
}

void WorkloadControllerBase::Enqueue(std::string_view ns, std::string_view name) {
  queue_.Add(Key(ns, name));
}

void WorkloadControllerBase::EnqueueAfter(std::string_view ns, std::string_view name,
                                          absl::Duration delay) {
  queue_.AddAfter(Key(ns, name), delay);
}

void WorkloadControllerBase::Run() {
  while (!stopping_) {
    if (WaitForSync(absl::Now() + absl::Milliseconds(100))) break;
  }
  while (!stopping_) {
    std::optional<std::string> key = queue_.Get();
    if (!key.has_value()) return;
    size_t slash = key->find('/');
    std::string_view ns = std::string_view(*key).substr(0, slash);
    std::string_view name = std::string_view(*key).substr(slash + 1);
    ++syncs_;
    absl::Status status = Sync(ns, name);
    if (status.ok()) {
      queue_.Forget(*key);
    } else {
      ++sync_errors_;
      {
        absl::MutexLock lock(&mu_);
        last_error_ = absl::Status(status.code(), dra::StrCat(*key, ": ", status.message()));
      }
      queue_.AddRateLimited(*key);
    }
    queue_.Done(*key);
  }
}

// ---- ReplicaSetController ----

ReplicaSetController::ReplicaSetController(client::RestClient* client, Options options)
    : WorkloadControllerBase(client, std::move(options), "ReplicaSetController") {}

ReplicaSetController::~ReplicaSetController() { Stop(); }

void ReplicaSetController::SetUpInformers(const client::InformerOptions& informer_options) {
  replicasets_ = AddInformer(client::ReplicaSets(), informer_options);
  pods_ = AddInformer(client::Pods(), informer_options);
  auto on_rs = [this](const Value& o) {
    Enqueue(StrAt(o, {"metadata", "namespace"}), StrAt(o, {"metadata", "name"}));
  };
  replicasets_->AddHandler(
      on_rs, [on_rs](const Value&, const Value& o) { on_rs(o); },
      [this](const Value& o) {
        absl::MutexLock lock(&expectations_mu_);
        expectations_.erase(
            Key(StrAt(o, {"metadata", "namespace"}), StrAt(o, {"metadata", "name"})));
      });
  pods_->AddHandler([this](const Value& o) { OnPod(o, false); },
                    [this](const Value& old, const Value& o) {
                      // A pod whose controller changed: both owners recount.
                      if (ControllerName(old, "ReplicaSet") != ControllerName(o, "ReplicaSet")) {
                        OnPod(old, false);
                      }
                      OnPod(o, false);
                    },
                    [this](const Value& o) { OnPod(o, true); });
}

void ReplicaSetController::OnPod(const Value& object, bool deleted) {
  std::string owner = ControllerName(object, "ReplicaSet");
  if (owner.empty()) return;
  std::string ns = StrAt(object, {"metadata", "namespace"});
  std::string name = StrAt(object, {"metadata", "name"});
  {
    absl::MutexLock lock(&expectations_mu_);
    auto it = expectations_.find(Key(ns, owner));
    if (it != expectations_.end()) {
      it->second.creates.erase(name);
      if (deleted || IsDeleting(object)) it->second.deletes.erase(name);
    }
  }
  Enqueue(ns, owner);
}

absl::Status ReplicaSetController::Sync(std::string_view ns, std::string_view name) {
  std::string key = Key(ns, name);
  ObjectPtr rs = replicasets_->Get(ns, name);
  if (rs == nullptr) {
    absl::MutexLock lock(&expectations_mu_);
    expectations_.erase(key);
    return absl::OkStatus();
  }
  const std::string uid = StrAt(*rs, {"metadata", "uid"});
  const Value* selector = At(*rs, {"spec", "selector"});
  const Value* pod_template = At(*rs, {"spec", "template"});
  const int64_t replicas = IntAt(*rs, {"spec", "replicas"}).value_or(1);
  const int64_t min_ready_seconds = IntAt(*rs, {"spec", "minReadySeconds"}).value_or(0);
  const absl::Time now = absl::Now();

  // Pending creates and deletes, after dropping expired ones.
  size_t pending_creates = 0;
  std::map<std::string, absl::Time> pending_deletes;
  {
    absl::MutexLock lock(&expectations_mu_);
    Expectations& e = expectations_[key];
    for (auto* m : {&e.creates, &e.deletes}) {
      std::erase_if(
          *m, [&](const auto& entry) { return now - entry.second > options_.expectation_timeout; });
    }
    pending_creates = e.creates.size();
    pending_deletes = e.deletes;
  }

  std::vector<ObjectPtr> active;
  for (const ObjectPtr& pod : pods_->List()) {
    if (StrAt(*pod, {"metadata", "namespace"}) != ns) continue;
    if (ControllerUid(*pod, "ReplicaSet") != uid) continue;
    if (!SelectorMatches(selector, LabelsOf(*pod))) continue;
    if (!IsPodActive(*pod) || pending_deletes.contains(StrAt(*pod, {"metadata", "name"}))) {
      continue;
    }
    active.push_back(pod);
  }

  absl::Status result = absl::OkStatus();
  if (!IsDeleting(*rs) && pod_template != nullptr && pod_template->is_object()) {
    int64_t diff = static_cast<int64_t>(active.size() + pending_creates) - replicas;
    if (diff < 0) {
      int64_t count = std::min<int64_t>(-diff, options_.burst_replicas);
      Value pod =
          Value::Object({{"apiVersion", Value::String("v1")}, {"kind", Value::String("Pod")}});
      Value& meta = ObjectMember(pod, "metadata");
      meta.Set("generateName", Value::String(dra::StrCat(name, "-")));
      meta.Set("namespace", Value::String(std::string(ns)));
      if (const Value* labels = At(*pod_template, {"metadata", "labels"}); labels != nullptr) {
        meta.Set("labels", *labels);
      }
      if (const Value* annotations = At(*pod_template, {"metadata", "annotations"});
          annotations != nullptr) {
        meta.Set("annotations", *annotations);
      }
      if (const Value* finalizers = At(*pod_template, {"metadata", "finalizers"});
          finalizers != nullptr) {
        meta.Set("finalizers", *finalizers);
      }
      meta.Set("ownerReferences", Value::Array({ControllerRef("ReplicaSet", *rs)}));
      const Value* spec = pod_template->Find("spec");
      pod.Set("spec", spec != nullptr ? *spec : Value::Object());
      for (int64_t i = 0; i < count; ++i) {
        absl::StatusOr<Value> created = client_->Create(
            client::Pods(), ns, pod, {.field_manager = std::string(kReplicaSetControllerName)});
        if (!created.ok()) {
          result = created.status();
          break;
        }
        ++pods_created_;
        std::string pod_name = StrAt(*created, {"metadata", "name"});
        {
          absl::MutexLock lock(&expectations_mu_);
          expectations_[key].creates[pod_name] = now;
        }
        // The informer may have delivered it before it was recorded.
        if (pods_->Get(ns, pod_name) != nullptr) {
          absl::MutexLock lock(&expectations_mu_);
          expectations_[key].creates.erase(pod_name);
        }
      }
    } else if (diff > 0) {
      std::vector<ObjectPtr> victims = active;
      std::sort(victims.begin(), victims.end(), DeleteFirst);
      int64_t count =
          std::min<int64_t>({diff, options_.burst_replicas, static_cast<int64_t>(victims.size())});
      for (int64_t i = 0; i < count; ++i) {
        std::string pod_name = StrAt(*victims[i], {"metadata", "name"});
        {
          absl::MutexLock lock(&expectations_mu_);
          expectations_[key].deletes[pod_name] = now;
        }
        absl::StatusOr<Value> deleted =
            client_->Delete(client::Pods(), ns, pod_name,
                            {.precondition_uid = StrAt(*victims[i], {"metadata", "uid"})});
        if (!deleted.ok() && !absl::IsNotFound(deleted.status())) {
          absl::MutexLock lock(&expectations_mu_);
          expectations_[key].deletes.erase(pod_name);
          result = deleted.status();
          break;
        }
        ++pods_deleted_;
      }
    }
  }

  // Status, from the pods as the cache shows them now (pod events bring the next sync).
  std::map<std::string, std::string> template_labels;
  if (pod_template != nullptr) template_labels = LabelsOf(*pod_template);
  int64_t fully_labeled = 0, ready = 0, available = 0;
  std::optional<absl::Time> recheck;
  for (const ObjectPtr& pod : active) {
    std::map<std::string, std::string> labels = LabelsOf(*pod);
    if (std::all_of(template_labels.begin(), template_labels.end(), [&](const auto& entry) {
          auto it = labels.find(entry.first);
          return it != labels.end() && it->second == entry.second;
        })) {
      ++fully_labeled;
    }
    if (IsPodReady(*pod)) ++ready;
    if (IsPodAvailable(*pod, min_ready_seconds, now, &recheck)) ++available;
  }
  if (recheck.has_value()) EnqueueAfter(ns, name, *recheck - now);

  Value updated = *rs;
  Value& status = ObjectMember(updated, "status");
  Value before = status;
  status.Set("replicas", Value::Int(static_cast<int64_t>(active.size())));
  status.Set("fullyLabeledReplicas", Value::Int(fully_labeled));
  status.Set("readyReplicas", Value::Int(ready));
  status.Set("availableReplicas", Value::Int(available));
  status.Set("observedGeneration", Value::Int(IntAt(*rs, {"metadata", "generation"}).value_or(0)));
  if (!(status == before)) {
    absl::StatusOr<Value> written =
        client_->UpdateStatus(client::ReplicaSets(), ns, updated,
                              {.field_manager = std::string(kReplicaSetControllerName)});
    if (written.ok()) {
      ++status_updates_;
    } else if (!absl::IsNotFound(written.status()) && result.ok()) {
      result = written.status();
    }
  }
  return result;
}

// ---- DeploymentController ----

DeploymentController::DeploymentController(client::RestClient* client, Options options)
    : WorkloadControllerBase(client, std::move(options), "DeploymentController") {}

DeploymentController::~DeploymentController() { Stop(); }

std::string DeploymentController::ComputeHash(const Value& pod_template, int64_t collision_count) {
  std::string text = api::WriteJson(Canonical(pod_template));
  if (collision_count > 0) dra::StrAppend(&text, collision_count);
  uint32_t hash = 2166136261u;  // FNV-32a
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  // rand.SafeEncodeString of the decimal number: no vowels, no confusable characters.
  static constexpr std::string_view kAlphanums = "bcdfghjklmnpqrstvwxz2456789";
  std::string digits = dra::StrCat(hash);
  std::string out;
  for (unsigned char c : digits) out.push_back(kAlphanums[c % kAlphanums.size()]);
  return out;
}

void DeploymentController::SetUpInformers(const client::InformerOptions& informer_options) {
  deployments_ = AddInformer(client::Deployments(), informer_options);
  replicasets_ = AddInformer(client::ReplicaSets(), informer_options);
  auto on_deployment = [this](const Value& o) {
    Enqueue(StrAt(o, {"metadata", "namespace"}), StrAt(o, {"metadata", "name"}));
  };
  deployments_->AddHandler(
      on_deployment, [on_deployment](const Value&, const Value& o) { on_deployment(o); }, nullptr);
  replicasets_->AddHandler(
      [this](const Value& o) { OnReplicaSet(o); },
      [this](const Value& old, const Value& o) {
        if (ControllerName(old, "Deployment") != ControllerName(o, "Deployment")) {
          OnReplicaSet(old);
        }
        OnReplicaSet(o);
      },
      [this](const Value& o) { OnReplicaSet(o); });
}

void DeploymentController::OnReplicaSet(const Value& object) {
  std::string owner = ControllerName(object, "Deployment");
  if (!owner.empty()) Enqueue(StrAt(object, {"metadata", "namespace"}), owner);
}

absl::Status DeploymentController::Sync(std::string_view ns, std::string_view name) {
  ObjectPtr d = deployments_->Get(ns, name);
  if (d == nullptr || IsDeleting(*d)) return absl::OkStatus();
  const std::string uid = StrAt(*d, {"metadata", "uid"});
  const Value* pod_template = At(*d, {"spec", "template"});
  if (pod_template == nullptr || !pod_template->is_object()) {
    return absl::InvalidArgumentError(
        dra::StrCat("deployments \"", ns, "/", name, "\": spec.template: Required value"));
  }
  const int64_t replicas = IntAt(*d, {"spec", "replicas"}).value_or(1);
  const int64_t collision_count = IntAt(*d, {"status", "collisionCount"}).value_or(0);
  const bool recreate = StrAt(*d, {"spec", "strategy", "type"}) == "Recreate";
  const bool paused = BoolAt(*d, {"spec", "paused"});
  const client::WriteOptions write{.field_manager = std::string(kDeploymentControllerName)};

  // Its ReplicaSets, oldest first.
  std::vector<ObjectPtr> owned;
  for (const ObjectPtr& rs : replicasets_->List()) {
    if (StrAt(*rs, {"metadata", "namespace"}) == ns && ControllerUid(*rs, "Deployment") == uid) {
      owned.push_back(rs);
    }
  }
  std::stable_sort(owned.begin(), owned.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
    return StrAt(*a, {"metadata", "creationTimestamp"}) <
           StrAt(*b, {"metadata", "creationTimestamp"});
  });
  std::optional<Value> new_rs;
  std::vector<ObjectPtr> old;
  int64_t max_old_revision = 0;
  for (const ObjectPtr& rs : owned) {
    if (!new_rs.has_value() && EqualIgnoreHash(At(*rs, {"spec", "template"}), pod_template)) {
      new_rs = *rs;
    } else {
      old.push_back(rs);
      max_old_revision = std::max(max_old_revision, Revision(*rs));
    }
  }

  if (!paused) {
    bool old_have_pods = false;
    for (const ObjectPtr& rs : old) {
      if (IntAt(*rs, {"spec", "replicas"}).value_or(1) > 0 ||
          IntAt(*rs, {"status", "replicas"}).value_or(0) > 0) {
        old_have_pods = true;
      }
    }
    const int64_t new_replicas = recreate && old_have_pods ? 0 : replicas;
    const std::string revision = dra::StrCat(max_old_revision + 1);

    if (!new_rs.has_value()) {
      std::string hash = ComputeHash(*pod_template, collision_count);
      Value tmpl = *pod_template;
      ObjectMember(ObjectMember(tmpl, "metadata"), "labels")
          .Set(std::string(kPodTemplateHashLabel), Value::String(hash));
      Value rs = Value::Object(
          {{"apiVersion", Value::String("apps/v1")}, {"kind", Value::String("ReplicaSet")}});
      Value& meta = ObjectMember(rs, "metadata");
      meta.Set("name", Value::String(dra::StrCat(name, "-", hash)));
      meta.Set("namespace", Value::String(std::string(ns)));
      meta.Set("labels", *At(tmpl, {"metadata", "labels"}));
      Value& annotations = ObjectMember(meta, "annotations");
      annotations.Set(std::string(kRevisionAnnotation), Value::String(revision));
      annotations.Set(std::string(kDesiredReplicasAnnotation),
                      Value::String(dra::StrCat(replicas)));
      annotations.Set(std::string(kMaxReplicasAnnotation), Value::String(dra::StrCat(replicas)));
      meta.Set("ownerReferences", Value::Array({ControllerRef("Deployment", *d)}));
      Value& spec = ObjectMember(rs, "spec");
      spec.Set("replicas", Value::Int(new_replicas));
      if (const Value* mrs = At(*d, {"spec", "minReadySeconds"}); mrs != nullptr) {
        spec.Set("minReadySeconds", *mrs);
      }
      Value rs_selector;
      if (const Value* s = At(*d, {"spec", "selector"}); s != nullptr && s->is_object()) {
        rs_selector = *s;
      } else {
        rs_selector = Value::Object();
      }
      ObjectMember(rs_selector, "matchLabels")
          .Set(std::string(kPodTemplateHashLabel), Value::String(hash));
      spec.Set("selector", std::move(rs_selector));
      spec.Set("template", std::move(tmpl));
      absl::StatusOr<Value> created = client_->Create(client::ReplicaSets(), ns, rs, write);
      if (created.ok()) {
        ++replicasets_created_;
        new_rs = *std::move(created);
      } else if (created.status().code() == absl::StatusCode::kAlreadyExists) {
        absl::StatusOr<Value> existing =
            client_->Get(client::ReplicaSets(), ns, dra::StrCat(name, "-", hash));
        if (!existing.ok()) return existing.status();
        if (ControllerUid(*existing, "Deployment") == uid &&
            EqualIgnoreHash(At(*existing, {"spec", "template"}), pod_template)) {
          new_rs = *std::move(existing);  // ours, not yet in the cache
        } else {
          // A hash collision: bump collisionCount, which changes the hash.
          Value updated = *d;
          ObjectMember(updated, "status").Set("collisionCount", Value::Int(collision_count + 1));
          absl::StatusOr<Value> written =
              client_->UpdateStatus(client::Deployments(), ns, updated, write);
          if (!written.ok()) return written.status();
          return absl::AbortedError(dra::StrCat("replicasets \"", ns, "/", name, "-", hash,
                                                "\" exists and is not this deployment's"));
        }
      } else {
        return created.status();
      }
    }

    // The new ReplicaSet: size and annotations.
    {
      Value updated = *new_rs;
      bool changed = false;
      if (IntAt(updated, {"spec", "replicas"}).value_or(1) != new_replicas) {
        ObjectMember(updated, "spec").Set("replicas", Value::Int(new_replicas));
        changed = true;
        ++replicasets_scaled_;
      }
      Value& annotations = ObjectMember(ObjectMember(updated, "metadata"), "annotations");
      std::string desired = dra::StrCat(replicas);
      if (Revision(updated) <= max_old_revision) {
        annotations.Set(std::string(kRevisionAnnotation), Value::String(revision));
        changed = true;
      }
      if (StrAt(updated, {"metadata", "annotations", kDesiredReplicasAnnotation}) != desired) {
        annotations.Set(std::string(kDesiredReplicasAnnotation), Value::String(desired));
        annotations.Set(std::string(kMaxReplicasAnnotation), Value::String(desired));
        changed = true;
      }
      if (changed) {
        absl::StatusOr<Value> written = client_->Update(client::ReplicaSets(), ns, updated, write);
        if (!written.ok()) return written.status();
        new_rs = *std::move(written);
      }
    }

    // Older ReplicaSets: scaled to 0.
    for (const ObjectPtr& rs : old) {
      if (IntAt(*rs, {"spec", "replicas"}).value_or(1) == 0) continue;
      Value updated = *rs;
      ObjectMember(updated, "spec").Set("replicas", Value::Int(0));
      absl::StatusOr<Value> written = client_->Update(client::ReplicaSets(), ns, updated, write);
      if (!written.ok() && !absl::IsNotFound(written.status())) return written.status();
      ++replicasets_scaled_;
    }

    // Revision history: old ReplicaSets without pods beyond the limit, lowest revision first.
    const int64_t limit = IntAt(*d, {"spec", "revisionHistoryLimit"}).value_or(10);
    std::vector<ObjectPtr> idle;
    for (const ObjectPtr& rs : old) {
      if (IntAt(*rs, {"spec", "replicas"}).value_or(1) == 0 &&
          IntAt(*rs, {"status", "replicas"}).value_or(0) == 0 && !IsDeleting(*rs)) {
        idle.push_back(rs);
      }
    }
    std::stable_sort(idle.begin(), idle.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
      return Revision(*a) < Revision(*b);
    });
    for (int64_t i = 0; i + limit < static_cast<int64_t>(idle.size()); ++i) {
      absl::StatusOr<Value> deleted =
          client_->Delete(client::ReplicaSets(), ns, StrAt(*idle[i], {"metadata", "name"}),
                          {.precondition_uid = StrAt(*idle[i], {"metadata", "uid"})});
      if (!deleted.ok() && !absl::IsNotFound(deleted.status())) return deleted.status();
      ++replicasets_deleted_;
    }
  }

  // The deployment's revision annotation follows the new ReplicaSet.
  Value current = *d;
  if (new_rs.has_value()) {
    std::string revision = StrAt(*new_rs, {"metadata", "annotations", kRevisionAnnotation});
    if (!revision.empty() &&
        StrAt(current, {"metadata", "annotations", kRevisionAnnotation}) != revision) {
      ObjectMember(ObjectMember(current, "metadata"), "annotations")
          .Set(std::string(kRevisionAnnotation), Value::String(revision));
      absl::StatusOr<Value> written = client_->Update(client::Deployments(), ns, current, write);
      if (!written.ok()) return written.status();
      current = *std::move(written);
    }
  }

  // Status, from the ReplicaSets' statuses as the cache shows them.
  int64_t total = 0, updated_replicas = 0, ready = 0, available = 0;
  const std::string new_uid = new_rs.has_value() ? StrAt(*new_rs, {"metadata", "uid"}) : "";
  for (const ObjectPtr& rs : owned) {
    int64_t rs_replicas = IntAt(*rs, {"status", "replicas"}).value_or(0);
    total += rs_replicas;
    if (StrAt(*rs, {"metadata", "uid"}) == new_uid) updated_replicas = rs_replicas;
    ready += IntAt(*rs, {"status", "readyReplicas"}).value_or(0);
    available += IntAt(*rs, {"status", "availableReplicas"}).value_or(0);
  }
  Value& status = ObjectMember(current, "status");
  Value before = status;
  status.Set("observedGeneration",
             Value::Int(IntAt(current, {"metadata", "generation"}).value_or(0)));
  status.Set("replicas", Value::Int(total));
  status.Set("updatedReplicas", Value::Int(updated_replicas));
  status.Set("readyReplicas", Value::Int(ready));
  status.Set("availableReplicas", Value::Int(available));
  status.Set("unavailableReplicas", Value::Int(std::max<int64_t>(0, replicas - available)));
  if (!(status == before)) {
    absl::StatusOr<Value> written =
        client_->UpdateStatus(client::Deployments(), ns, current, write);
    if (!written.ok() && !absl::IsNotFound(written.status())) return written.status();
    ++status_updates_;
  }
  return absl::OkStatus();
}

}  // namespace dra::controllers
