#include "dra/controllers/device_taint_eviction.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "dra/api/codec/codec.h"
#include "dra/api/device_taints.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/client/errors.h"
#include "dra/client/resource_ref.h"

namespace dra::controllers {
namespace {

constexpr std::string_view kPodKeyPrefix = "pod:";
constexpr std::string_view kRuleKeyPrefix = "rule:";
constexpr std::string_view kEventsKey = "events";

std::string Key(std::string_view ns, std::string_view name) { return dra::StrCat(ns, "/", name); }

template <typename T>
absl::StatusOr<T> Decode(const api::Value& object) {
  return api::DecodeAs<T>(object, api::DecodeOptions{.strict = false});
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::optional<absl::Time> ParseTime(std::string_view text) {
  absl::Time t;
  std::string error;
  if (text.empty() || !absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &error)) {
    return std::nullopt;
  }
  return t;
}

// When a taint was added; the Unix epoch when it has no (valid) timeAdded.
absl::Time TaintTime(const api::DeviceTaint& taint) {
  if (!taint.time_added.has_value()) return absl::UnixEpoch();
  return ParseTime(*taint.time_added).value_or(absl::UnixEpoch());
}

// Upstream resourceclaim.ToleratesTaint (core/v1 Toleration.ToleratesTaint for devices).
bool ToleratesTaint(const api::DeviceToleration& toleration, const api::DeviceTaint& taint) {
  if (!toleration.effect.empty() && toleration.effect != taint.effect) return false;
  if (!toleration.key.empty() && toleration.key != taint.key) return false;
  if (toleration.operator_.empty() || toleration.operator_ == api::kDeviceTolerationOpEqual) {
    return toleration.value == taint.value;
  }
  return toleration.operator_ == api::kDeviceTolerationOpExists;
}

bool RuleMatchesDevice(const api::DeviceTaintRule& rule, std::string_view driver,
                       std::string_view pool, std::string_view device) {
  return api::DeviceTaintRuleSelects(rule, driver, pool, device);
}

bool IsControlledBy(const api::ResourceClaim& claim, std::string_view pod_uid) {
  for (const api::OwnerReference& owner : claim.metadata.owner_references) {
    if (owner.controller.value_or(false) && owner.uid == pod_uid) return true;
  }
  return false;
}

bool IsReservedForPod(const api::ResourceClaim& claim, std::string_view pod_uid) {
  for (const api::ResourceClaimConsumerReference& ref : claim.status.reserved_for) {
    if (ref.api_group.empty() && ref.resource == "pods" && ref.uid == pod_uid) return true;
  }
  return false;
}

// "1 pod" / "<n> pods" style counts.
std::string Count(int64_t n, std::string_view one, std::string_view many) {
  return n == 1 ? dra::StrCat("1 ", one) : dra::StrCat(n, " ", many);
}

}  // namespace

bool DeviceTaintEvictionController::TaintReason::operator<(const TaintReason& other) const {
  bool rule = !rule_uid.empty();
  bool other_rule = !other.rule_uid.empty();
  if (rule != other_rule) return rule;  // rules first
  return std::tie(rule_name, rule_uid, driver, pool, device, index, slice_name) <
         std::tie(other.rule_name, other.rule_uid, other.driver, other.pool, other.device,
                  other.index, other.slice_name);
}

DeviceTaintEvictionController::DeviceTaintEvictionController(client::RestClient* client,
                                                             Options options)
    : client_(client),
      options_(std::move(options)),
      queue_(options_.min_retry_backoff, options_.max_retry_backoff) {}

DeviceTaintEvictionController::~DeviceTaintEvictionController() { Stop(); }

absl::Time DeviceTaintEvictionController::Now() const {
  return options_.clock ? options_.clock() : absl::Now();
}

absl::Status DeviceTaintEvictionController::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (started_ || stopped_) {
      return absl::FailedPreconditionError(
          "DeviceTaintEvictionController: already started or stopped");
    }
    started_ = true;
    client::InformerOptions cluster_options = options_.informer;
    cluster_options.ns = "";
    client::InformerOptions ns_options = options_.informer;
    ns_options.ns = options_.ns;
    slices_ =
        std::make_unique<client::Informer>(client_, client::ResourceSlices(), cluster_options);
    if (options_.device_taint_rules) {
      rules_ =
          std::make_unique<client::Informer>(client_, client::DeviceTaintRules(), cluster_options);
    }
    claims_ = std::make_unique<client::Informer>(client_, client::ResourceClaims(), ns_options);
    pods_ = std::make_unique<client::Informer>(client_, client::Pods(), ns_options);
  }
  slices_->AddHandler([this](const api::Value& o) { OnSlice(nullptr, &o); },
                      [this](const api::Value& old, const api::Value& o) { OnSlice(&old, &o); },
                      [this](const api::Value& o) { OnSlice(&o, nullptr); });
  if (rules_ != nullptr) {
    rules_->AddHandler([this](const api::Value& o) { OnRule(nullptr, &o); },
                       [this](const api::Value& old, const api::Value& o) { OnRule(&old, &o); },
                       [this](const api::Value& o) { OnRule(&o, nullptr); });
  }
  claims_->AddHandler([this](const api::Value& o) { OnClaim(nullptr, &o); },
                      [this](const api::Value& old, const api::Value& o) { OnClaim(&old, &o); },
                      [this](const api::Value& o) { OnClaim(&o, nullptr); });
  pods_->AddHandler([this](const api::Value& o) { OnPod(nullptr, &o); },
                    [this](const api::Value& old, const api::Value& o) { OnPod(&old, &o); },
                    [this](const api::Value& o) { OnPod(&o, nullptr); });
  slices_->Start();
  if (rules_ != nullptr) rules_->Start();
  claims_->Start();
  pods_->Start();
  worker_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void DeviceTaintEvictionController::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    stopped_ = true;
    if (!started_) return;
  }
  stopping_ = true;
  queue_.ShutDown();
  if (worker_.joinable()) worker_.join();
  pods_->Stop();
  claims_->Stop();
  if (rules_ != nullptr) rules_->Stop();
  slices_->Stop();
}

bool DeviceTaintEvictionController::WaitForSync(absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    if (!started_) return false;
  }
  return slices_->WaitForSync(deadline) && (rules_ == nullptr || rules_->WaitForSync(deadline)) &&
         claims_->WaitForSync(deadline) && pods_->WaitForSync(deadline);
}

void DeviceTaintEvictionController::CheckScheduled() {
  absl::MutexLock lock(&mu_);
  for (const auto& [ref, eviction] : delete_pod_at_) {
    queue_.Add(dra::StrCat(kPodKeyPrefix, ref.ns, "/", ref.name, "/", ref.uid));
  }
  for (const auto& [name, rule] : rule_index_) {
    // Only NoExecute rules have a status that follows evictions.
    if (rule.spec.taint.effect != api::kDeviceTaintEffectNoExecute) continue;
    queue_.Add(dra::StrCat(kRuleKeyPrefix, name, "/", rule.metadata.uid));
  }
}

std::map<std::string, absl::Time> DeviceTaintEvictionController::ScheduledEvictions() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, absl::Time> result;
  for (const auto& [ref, eviction] : delete_pod_at_) result[Key(ref.ns, ref.name)] = eviction.when;
  return result;
}

absl::Status DeviceTaintEvictionController::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

// ---- Evaluation (mu_ held) ----

std::pair<const api::ResourceSlice*, const api::Device*> DeviceTaintEvictionController::FindDevice(
    const std::string& driver, const std::string& pool, const std::string& device) const {
  auto it = pools_.find(PoolId(driver, pool));
  if (it == pools_.end()) return {nullptr, nullptr};
  for (const auto& [name, slice] : it->second.slices) {
    if (slice.spec.pool.generation != it->second.max_generation) continue;
    for (const api::Device& d : slice.spec.devices) {
      if (d.name == device) return {&slice, &d};
    }
  }
  return {nullptr, nullptr};
}

std::map<std::string, std::vector<api::DeviceTaint>> DeviceTaintEvictionController::TaintedDevices(
    const Pool& pool) const {
  std::map<std::string, std::vector<api::DeviceTaint>> result;
  for (const auto& [name, slice] : pool.slices) {
    if (slice.spec.pool.generation != pool.max_generation) continue;
    for (const api::Device& device : slice.spec.devices) {
      for (const api::DeviceTaint& taint : device.taints) {
        if (taint.effect == api::kDeviceTaintEffectNoExecute) {
          result[device.name].push_back(taint);
        }
      }
    }
  }
  return result;
}

std::optional<DeviceTaintEvictionController::Eviction> DeviceTaintEvictionController::ClaimEviction(
    const api::ResourceClaim& claim, const api::DeviceTaintRule* simulate) const {
  if (!claim.status.allocation.has_value()) return std::nullopt;
  std::optional<absl::Time> when;
  std::set<TaintReason> reasons;
  for (const api::DeviceRequestAllocationResult& result :
       claim.status.allocation->devices.results) {
    // Every NoExecute taint of the device: the slice's, then the matching rules'.
    std::vector<TaintReason> taints;
    auto [slice, device] = FindDevice(result.driver, result.pool, result.device);
    if (device != nullptr) {
      for (size_t i = 0; i < device->taints.size(); ++i) {
        if (device->taints[i].effect != api::kDeviceTaintEffectNoExecute) continue;
        taints.push_back(TaintReason{.slice_name = slice->metadata.name,
                                     .driver = result.driver,
                                     .pool = result.pool,
                                     .device = result.device,
                                     .index = static_cast<int>(i),
                                     .taint = device->taints[i]});
      }
    }
    auto add_rule = [&](const api::DeviceTaintRule& rule) {
      if (rule.spec.taint.effect != api::kDeviceTaintEffectNoExecute ||
          !RuleMatchesDevice(rule, result.driver, result.pool, result.device)) {
        return;
      }
      taints.push_back(TaintReason{.rule_name = rule.metadata.name,
                                   .rule_uid = rule.metadata.uid,
                                   .taint = rule.spec.taint});
    };
    for (const auto& [name, rule] : rule_index_) {
      if (simulate != nullptr && rule.metadata.uid == simulate->metadata.uid) continue;
      add_rule(rule);
    }
    if (simulate != nullptr) add_rule(*simulate);

    for (TaintReason& reason : taints) {
      absl::Time taint_when = TaintTime(reason.taint);
      bool forever = false;
      std::optional<int64_t> seconds;
      for (const api::DeviceToleration& toleration : result.tolerations) {
        // As upstream: only tolerations that name the NoExecute effect count.
        if (toleration.effect != api::kDeviceTaintEffectNoExecute ||
            !ToleratesTaint(toleration, reason.taint)) {
          continue;
        }
        if (!toleration.toleration_seconds.has_value()) {
          forever = true;
          break;
        }
        int64_t s = std::max<int64_t>(0, *toleration.toleration_seconds);
        if (!seconds.has_value() || s < *seconds) seconds = s;
      }
      if (forever) continue;
      if (seconds.has_value()) taint_when += absl::Seconds(*seconds);
      if (!when.has_value() || taint_when < *when) when = taint_when;
      reasons.insert(std::move(reason));
    }
  }
  if (!when.has_value()) return std::nullopt;
  return Eviction{.when = *when,
                  .reasons = std::vector<TaintReason>(reasons.begin(), reasons.end())};
}

std::optional<DeviceTaintEvictionController::Eviction> DeviceTaintEvictionController::PodEviction(
    const api::Pod& pod, const api::DeviceTaintRule* simulate) const {
  if (pod.spec.node_name.empty()) return std::nullopt;  // not scheduled: nothing runs
  std::optional<Eviction> eviction;
  std::set<TaintReason> reasons;
  for (const api::PodResourceClaim& pod_claim : pod.spec.resource_claims) {
    // The claim's name (upstream resourceclaim.Name).
    std::string claim_name;
    bool check_owner = false;
    if (pod_claim.resource_claim_name.has_value()) {
      claim_name = *pod_claim.resource_claim_name;
    } else if (pod_claim.resource_claim_template_name.has_value()) {
      for (const api::PodResourceClaimStatus& status : pod.status.resource_claim_statuses) {
        if (status.name == pod_claim.name && status.resource_claim_name.has_value()) {
          claim_name = *status.resource_claim_name;
          check_owner = true;
        }
      }
    }
    if (claim_name.empty()) continue;  // not generated yet, not needed, or unsupported
    auto it = allocated_.find(Key(pod.metadata.namespace_, claim_name));
    if (it == allocated_.end()) continue;  // unknown or not allocated
    const api::ResourceClaim& claim = it->second.claim;
    if (check_owner && !IsControlledBy(claim, pod.metadata.uid)) continue;
    // Only the pod the claim is reserved for uses it (not a replacement under the same name).
    if (!IsReservedForPod(claim, pod.metadata.uid)) continue;
    std::optional<Eviction> claim_eviction =
        simulate != nullptr ? ClaimEviction(claim, simulate) : it->second.eviction;
    if (!claim_eviction.has_value()) continue;
    if (!eviction.has_value() || claim_eviction->when < eviction->when) {
      absl::Time when = claim_eviction->when;
      eviction = Eviction{.when = when};
    }
    reasons.insert(claim_eviction->reasons.begin(), claim_eviction->reasons.end());
  }
  if (eviction.has_value()) eviction->reasons.assign(reasons.begin(), reasons.end());
  return eviction;
}

void DeviceTaintEvictionController::Cancel(const PodRef& ref, bool with_event) {
  if (delete_pod_at_.erase(ref) == 0) return;
  ++evictions_cancelled_;
  if (with_event) {
    events_.push_back(PendingEvent{.pod = ref, .message = "Cancelling deletion"});
    queue_.Add(std::string(kEventsKey));
  }
}

void DeviceTaintEvictionController::HandlePod(const api::Pod& pod) {
  PodRef ref{pod.metadata.namespace_, pod.metadata.name, pod.metadata.uid};
  std::optional<Eviction> eviction = PodEviction(pod, nullptr);
  if (!eviction.has_value()) {
    Cancel(ref, /*with_event=*/true);
    return;
  }
  auto it = delete_pod_at_.find(ref);
  if (it == delete_pod_at_.end() || it->second != *eviction) {
    delete_pod_at_[ref] = *eviction;
    queue_.AddAfter(dra::StrCat(kPodKeyPrefix, ref.ns, "/", ref.name, "/", ref.uid),
                    eviction->when - Now());
  }
  // Eviction because of a rule is in progress: its status may need an update.
  for (const TaintReason& reason : eviction->reasons) {
    if (!reason.rule_uid.empty()) {
      queue_.Add(dra::StrCat(kRuleKeyPrefix, reason.rule_name, "/", reason.rule_uid));
    }
  }
}

void DeviceTaintEvictionController::HandlePods(const api::ResourceClaim& claim) {
  for (const api::ResourceClaimConsumerReference& consumer : claim.status.reserved_for) {
    if (!consumer.api_group.empty() || consumer.resource != "pods") continue;
    client::Informer::ObjectPtr object = pods_->Get(claim.metadata.namespace_, consumer.name);
    if (object == nullptr) continue;
    absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*object);
    if (!pod.ok() || pod->metadata.uid != consumer.uid) continue;
    HandlePod(*pod);
  }
}

void DeviceTaintEvictionController::RecomputeClaim(const std::string& key) {
  auto it = allocated_.find(key);
  if (it == allocated_.end()) return;
  std::optional<Eviction> eviction = ClaimEviction(it->second.claim, nullptr);
  if (eviction == it->second.eviction) return;
  it->second.eviction = std::move(eviction);
  HandlePods(it->second.claim);
}

// ---- Informer handlers ----

void DeviceTaintEvictionController::OnSlice(const api::Value* old_object,
                                            const api::Value* object) {
  std::optional<api::ResourceSlice> old_slice;
  std::optional<api::ResourceSlice> new_slice;
  if (old_object != nullptr) {
    absl::StatusOr<api::ResourceSlice> s = Decode<api::ResourceSlice>(*old_object);
    if (s.ok()) old_slice = *std::move(s);
  }
  if (object != nullptr) {
    absl::StatusOr<api::ResourceSlice> s = Decode<api::ResourceSlice>(*object);
    if (!s.ok()) return;
    new_slice = *std::move(s);
  }
  absl::MutexLock lock(&mu_);
  // A slice might move between pools; both are updated.
  std::set<PoolId> ids;
  if (old_slice.has_value()) ids.emplace(old_slice->spec.driver, old_slice->spec.pool.name);
  if (new_slice.has_value()) ids.emplace(new_slice->spec.driver, new_slice->spec.pool.name);
  for (const PoolId& id : ids) {
    Pool& pool = pools_[id];
    std::map<std::string, std::vector<api::DeviceTaint>> before = TaintedDevices(pool);
    if (old_slice.has_value()) pool.slices.erase(old_slice->metadata.name);
    if (new_slice.has_value() && PoolId(new_slice->spec.driver, new_slice->spec.pool.name) == id) {
      pool.slices[new_slice->metadata.name] = *new_slice;
    }
    pool.max_generation = std::numeric_limits<int64_t>::min();
    for (const auto& [name, slice] : pool.slices) {
      pool.max_generation = std::max(pool.max_generation, slice.spec.pool.generation);
    }
    std::map<std::string, std::vector<api::DeviceTaint>> after = TaintedDevices(pool);
    if (pool.slices.empty()) pools_.erase(id);
    if (before == after) continue;
    // Devices whose NoExecute taints changed.
    std::set<std::string> modified;
    for (const auto& [device, taints] : before) {
      auto it = after.find(device);
      if (it == after.end() || it->second != taints) modified.insert(device);
    }
    for (const auto& [device, taints] : after) {
      if (!before.contains(device)) modified.insert(device);
    }
    std::vector<std::string> keys;
    for (const auto& [key, allocated] : allocated_) {
      for (const api::DeviceRequestAllocationResult& result :
           allocated.claim.status.allocation->devices.results) {
        if (result.driver == id.first && result.pool == id.second &&
            modified.contains(result.device)) {
          keys.push_back(key);
          break;
        }
      }
    }
    for (const std::string& key : keys) RecomputeClaim(key);
  }
}

void DeviceTaintEvictionController::OnRule(const api::Value* old_object, const api::Value* object) {
  std::optional<api::DeviceTaintRule> old_rule;
  std::optional<api::DeviceTaintRule> new_rule;
  if (old_object != nullptr) {
    absl::StatusOr<api::DeviceTaintRule> r = Decode<api::DeviceTaintRule>(*old_object);
    if (r.ok()) old_rule = *std::move(r);
  }
  if (object != nullptr) {
    absl::StatusOr<api::DeviceTaintRule> r = Decode<api::DeviceTaintRule>(*object);
    if (!r.ok()) return;
    new_rule = *std::move(r);
  }
  absl::MutexLock lock(&mu_);
  if (new_rule.has_value()) {
    rule_index_[new_rule->metadata.name] = *new_rule;
  } else if (old_rule.has_value()) {
    rule_index_.erase(old_rule->metadata.name);
    evicted_by_rule_.erase(old_rule->metadata.uid);
  }
  if (old_rule.has_value() && new_rule.has_value() &&
      old_rule->metadata.uid == new_rule->metadata.uid && old_rule->spec == new_rule->spec) {
    return;  // a status or metadata change
  }
  // New rule or changed spec: the status is due at least once.
  if (new_rule.has_value()) {
    queue_.Add(dra::StrCat(kRuleKeyPrefix, new_rule->metadata.name, "/", new_rule->metadata.uid));
  }
  // Rule changes are rare: re-evaluate every allocated claim.
  std::vector<std::string> keys;
  for (const auto& [key, allocated] : allocated_) keys.push_back(key);
  for (const std::string& key : keys) RecomputeClaim(key);
}

void DeviceTaintEvictionController::OnClaim(const api::Value* old_object,
                                            const api::Value* object) {
  std::optional<api::ResourceClaim> old_claim;
  std::optional<api::ResourceClaim> new_claim;
  if (old_object != nullptr) {
    absl::StatusOr<api::ResourceClaim> c = Decode<api::ResourceClaim>(*old_object);
    if (c.ok()) old_claim = *std::move(c);
  }
  if (object != nullptr) {
    absl::StatusOr<api::ResourceClaim> c = Decode<api::ResourceClaim>(*object);
    if (!c.ok()) return;
    new_claim = *std::move(c);
  }
  const api::ResourceClaim& claim = new_claim.has_value() ? *new_claim : *old_claim;
  std::string key = Key(claim.metadata.namespace_, claim.metadata.name);
  absl::MutexLock lock(&mu_);
  if (new_claim.has_value() && new_claim->status.allocation.has_value()) {
    allocated_[key] =
        AllocatedClaim{.claim = *new_claim, .eviction = ClaimEviction(*new_claim, nullptr)};
  } else {
    allocated_.erase(key);
  }
  // The pods of both versions (reservations may have changed).
  if (old_claim.has_value()) HandlePods(*old_claim);
  if (new_claim.has_value() &&
      (!old_claim.has_value() || old_claim->status.reserved_for != new_claim->status.reserved_for ||
       old_claim->metadata.uid != new_claim->metadata.uid)) {
    HandlePods(*new_claim);
  }
}

void DeviceTaintEvictionController::OnPod(const api::Value* old_object, const api::Value* object) {
  if (object == nullptr) {
    // Deleted: nothing left to do for it.
    absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*old_object);
    if (!pod.ok()) return;
    absl::MutexLock lock(&mu_);
    Cancel(PodRef{pod->metadata.namespace_, pod->metadata.name, pod->metadata.uid},
           /*with_event=*/false);
    return;
  }
  // Pods change often; only scheduling and claim statuses matter (in particular, the
  // DisruptionTarget condition written before deletion does not bring the pod back).
  if (old_object != nullptr) {
    const api::Value* old_spec = old_object->Find("spec");
    const api::Value* new_spec = object->Find("spec");
    const api::Value* old_status = old_object->Find("status");
    const api::Value* new_status = object->Find("status");
    auto field = [](const api::Value* parent, std::string_view name) {
      const api::Value* v = parent == nullptr ? nullptr : parent->Find(name);
      return v == nullptr ? api::Value() : *v;
    };
    if (field(old_spec, "nodeName") == field(new_spec, "nodeName") &&
        field(old_status, "resourceClaimStatuses") == field(new_status, "resourceClaimStatuses")) {
      return;
    }
  }
  absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*object);
  if (!pod.ok() || pod->spec.resource_claims.empty()) return;
  absl::MutexLock lock(&mu_);
  HandlePod(*pod);
}

// ---- Worker ----

void DeviceTaintEvictionController::Run() {
  while (!stopping_) {
    if (WaitForSync(absl::Now() + absl::Milliseconds(100))) break;
  }
  while (!stopping_) {
    std::optional<std::string> key = queue_.Get();
    if (!key.has_value()) return;
    absl::StatusOr<absl::Duration> again = Sync(*key);
    if (!again.ok()) {
      ++sync_errors_;
      {
        absl::MutexLock lock(&mu_);
        last_error_ =
            absl::Status(again.status().code(), dra::StrCat(*key, ": ", again.status().message()));
      }
      queue_.AddRateLimited(*key);
    } else {
      queue_.Forget(*key);
      if (*again > absl::ZeroDuration()) queue_.AddAfter(*key, *again);
    }
    queue_.Done(*key);
  }
}

absl::StatusOr<absl::Duration> DeviceTaintEvictionController::Sync(const std::string& key) {
  std::string_view rest = key;
  if (rest == kEventsKey) {
    FlushEvents();
    return absl::ZeroDuration();
  }
  if (rest.starts_with(kPodKeyPrefix)) {
    rest.remove_prefix(kPodKeyPrefix.size());
    size_t first = rest.find('/');
    size_t second = first == std::string_view::npos ? first : rest.find('/', first + 1);
    if (second == std::string_view::npos) {
      return absl::InvalidArgumentError(dra::StrCat("unexpected key: ", key));
    }
    return MaybeDeletePod(PodRef{std::string(rest.substr(0, first)),
                                 std::string(rest.substr(first + 1, second - first - 1)),
                                 std::string(rest.substr(second + 1))});
  }
  if (rest.starts_with(kRuleKeyPrefix)) {
    rest.remove_prefix(kRuleKeyPrefix.size());
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      return absl::InvalidArgumentError(dra::StrCat("unexpected key: ", key));
    }
    return MaybeUpdateRuleStatus(std::string(rest.substr(0, slash)),
                                 std::string(rest.substr(slash + 1)));
  }
  return absl::InvalidArgumentError(dra::StrCat("unexpected key: ", key));
}

absl::StatusOr<absl::Duration> DeviceTaintEvictionController::MaybeDeletePod(const PodRef& ref) {
  Eviction eviction;
  {
    absl::MutexLock lock(&mu_);
    auto it = delete_pod_at_.find(ref);
    if (it == delete_pod_at_.end()) return absl::ZeroDuration();  // cancelled or done
    eviction = it->second;
  }
  absl::Duration again = eviction.when - Now();
  if (again > absl::ZeroDuration()) return again;  // not yet (perhaps the time moved)

  absl::Status status = AddConditionAndDeletePod(ref);
  if (!status.ok() && !absl::IsNotFound(status) && !absl::IsFailedPrecondition(status)) {
    return absl::Status(status.code(),
                        dra::StrCat("evict pod ", ref.ns, "/", ref.name, ": ", status.message()));
  }
  absl::MutexLock lock(&mu_);
  delete_pod_at_.erase(ref);
  if (!status.ok()) return absl::ZeroDuration();  // gone, replaced or terminating: not ours
  ++pods_evicted_;
  for (const TaintReason& reason : eviction.reasons) {
    if (reason.rule_uid.empty()) continue;
    ++evicted_by_rule_[reason.rule_uid];
    // The status reads the informer cache, which does not know about the deletion yet.
    queue_.AddAfter(dra::StrCat(kRuleKeyPrefix, reason.rule_name, "/", reason.rule_uid),
                    options_.rule_status_period);
  }
  return absl::ZeroDuration();
}

absl::Status DeviceTaintEvictionController::AddConditionAndDeletePod(const PodRef& ref) {
  DRA_ASSIGN_OR_RETURN(api::Value object, client_->Get(client::Pods(), ref.ns, ref.name));
  DRA_ASSIGN_OR_RETURN(api::Pod pod, Decode<api::Pod>(object));
  if (pod.metadata.uid != ref.uid) {
    // Replaced by another pod with the same name: the one to evict is gone.
    return absl::NotFoundError(dra::StrCat("pods \"", ref.name, "\" not found"));
  }
  if (pod.metadata.deletion_timestamp.has_value()) {
    return absl::FailedPreconditionError("already terminating");
  }
  if (pod.status.phase == api::kPodSucceeded || pod.status.phase == api::kPodFailed) {
    return absl::FailedPreconditionError("already done");
  }
  CreateEvent(PendingEvent{.pod = ref, .message = "Marking for deletion"});

  // DisruptionTarget=True, unless already there (upstream apipod.UpdatePodCondition).
  std::string transition = Rfc3339(Now());
  bool update = true;
  for (const api::PodCondition& condition : pod.status.conditions) {
    if (condition.type != api::kPodConditionDisruptionTarget) continue;
    if (condition.status == "True") {
      transition = condition.last_transition_time;
      update = condition.reason != kDeletionByDeviceTaintManagerReason ||
               condition.message != kDeletionByDeviceTaintManagerMessage;
    }
  }
  const client::PatchOptions patch_options{.field_manager =
                                               std::string(kDeviceTaintEvictionControllerName)};
  if (update) {
    api::Value condition = api::Value::Object(
        {{"type", api::Value::String(std::string(api::kPodConditionDisruptionTarget))},
         {"status", api::Value::String("True")},
         {"lastTransitionTime", api::Value::String(transition)},
         {"reason", api::Value::String(std::string(kDeletionByDeviceTaintManagerReason))},
         {"message", api::Value::String(std::string(kDeletionByDeviceTaintManagerMessage))}});
    // The uid makes the patch fail when the pod was replaced in the meantime.
    api::Value patch = api::Value::Object(
        {{"metadata", api::Value::Object({{"uid", api::Value::String(ref.uid)}})},
         {"status", api::Value::Object({{"conditions", api::Value::Array({condition})}})}});
    DRA_RETURN_IF_ERROR(client_
                            ->Patch(client::Pods(), ref.ns, ref.name,
                                    client::PatchType::kStrategicMerge, patch, "status",
                                    patch_options)
                            .status());
  }
  // The precondition guards against a replacement with the same name: the delete then fails
  // and the next attempt finds the new pod.
  return client_
      ->Delete(client::Pods(), ref.ns, ref.name, client::DeleteOptions{.precondition_uid = ref.uid})
      .status();
}

std::pair<int64_t, int64_t> DeviceTaintEvictionController::CountPendingPods(
    const api::DeviceTaintRule& rule, const api::DeviceTaintRule* simulate) const {
  int64_t pods = 0;
  std::set<std::string> namespaces;
  for (const client::Informer::ObjectPtr& object : pods_->List()) {
    const api::Value* spec = object->Find("spec");
    if (spec == nullptr || spec->Find("resourceClaims") == nullptr) continue;
    absl::StatusOr<api::Pod> pod = Decode<api::Pod>(*object);
    if (!pod.ok() || pod->metadata.deletion_timestamp.has_value()) continue;
    std::optional<Eviction> eviction = PodEviction(*pod, simulate);
    if (!eviction.has_value()) continue;
    for (const TaintReason& reason : eviction->reasons) {
      if (reason.rule_uid == rule.metadata.uid) {
        ++pods;
        namespaces.insert(pod->metadata.namespace_);
        break;
      }
    }
  }
  return {pods, static_cast<int64_t>(namespaces.size())};
}

absl::StatusOr<absl::Duration> DeviceTaintEvictionController::MaybeUpdateRuleStatus(
    const std::string& name, const std::string& uid) {
  if (rules_ == nullptr) return absl::ZeroDuration();
  client::Informer::ObjectPtr object = rules_->Get("", name);
  if (object == nullptr) return absl::ZeroDuration();  // deleted
  DRA_ASSIGN_OR_RETURN(api::DeviceTaintRule rule, Decode<api::DeviceTaintRule>(*object));
  if (rule.metadata.uid != uid) return absl::ZeroDuration();  // replaced

  const api::Condition* existing = nullptr;
  for (const api::Condition& condition : rule.status.conditions) {
    if (condition.type == api::kDeviceTaintConditionEvictionInProgress) existing = &condition;
  }
  // Any change of the condition bumps lastTransitionTime; no rewrite within the period (so
  // "in progress" turns false with a delay).
  absl::Time now = Now();
  if (existing != nullptr && existing->observed_generation == rule.metadata.generation) {
    std::optional<absl::Time> last = ParseTime(existing->last_transition_time);
    if (last.has_value()) {
      absl::Duration since = now - *last;
      if (since < options_.rule_status_period) return options_.rule_status_period - since;
    }
  }

  api::Condition condition{
      .type = std::string(api::kDeviceTaintConditionEvictionInProgress),
      .status = "False",
      .observed_generation = rule.metadata.generation,
      .last_transition_time = existing != nullptr ? existing->last_transition_time : "",
      .reason = dra::StrCat("Effect", rule.spec.taint.effect),
  };
  int64_t evicted = 0;
  {
    absl::MutexLock lock(&mu_);
    auto stats = evicted_by_rule_.find(rule.metadata.uid);
    if (stats != evicted_by_rule_.end()) evicted = stats->second;
    if (rule.spec.taint.effect == api::kDeviceTaintEffectNoExecute) {
      auto [pending, namespaces] = CountPendingPods(rule, nullptr);
      if (pending > 0) {
        condition.status = "True";
        condition.reason = "PodsPendingEviction";
        condition.message = dra::StrCat(
            pending == 1 ? "1 pod needs" : dra::StrCat(pending, " pods need"), " to be evicted in ",
            namespaces == 1 ? "1 namespace." : dra::StrCat(namespaces, " different namespaces."));
      } else {
        condition.reason = evicted > 0 ? "Completed" : "NotStarted";
      }
    } else if (rule.spec.taint.effect == api::kDeviceTaintEffectNone) {
      // What NoExecute would do.
      api::DeviceTaintRule simulate = rule;
      simulate.spec.taint.effect = std::string(api::kDeviceTaintEffectNoExecute);
      auto [pending, namespaces] = CountPendingPods(rule, &simulate);
      int64_t published = 0;
      for (const auto& [id, pool] : pools_) {
        for (const auto& [slice_name, slice] : pool.slices) {
          if (slice.spec.pool.generation != pool.max_generation) continue;
          for (const api::Device& device : slice.spec.devices) {
            if (RuleMatchesDevice(rule, id.first, id.second, device.name)) ++published;
          }
        }
      }
      int64_t allocated = 0;
      for (const auto& [key, claim] : allocated_) {
        for (const api::DeviceRequestAllocationResult& result :
             claim.claim.status.allocation->devices.results) {
          if (RuleMatchesDevice(rule, result.driver, result.pool, result.device)) ++allocated;
        }
      }
      condition.reason = "NoEffect";
      condition.message = dra::StrCat(
          Count(published, "published device selected. ", "published devices selected. "),
          Count(allocated, "allocated device selected. ", "allocated devices selected. "),
          Count(pending, "pod would be evicted in ", "pods would be evicted in "),
          Count(namespaces, "namespace ", "different namespaces "),
          "if the effect was NoExecute. This information will not be updated again. Recreate "
          "the DeviceTaintRule to trigger an update.");
    } else {
      condition.reason = "OtherEffect";
      condition.message = "Eviction only happens for the NoExecute effect.";
    }
  }
  if (evicted > 0) {
    if (!condition.message.empty()) condition.message += " ";
    condition.message +=
        dra::StrCat(Count(evicted, "pod", "pods"), " evicted since starting the controller.");
  }
  // While pods are pending, look again after a period: evictions and deletions the informers
  // report late are then reflected without another trigger.
  absl::Duration again =
      condition.status == "True" ? options_.rule_status_period : absl::ZeroDuration();
  if (existing != nullptr && condition == *existing) return again;

  condition.last_transition_time = Rfc3339(now);
  api::Value apply = api::Value::Object(
      {{"apiVersion", api::Value::String(std::string(api::kDeviceTaintRuleGroupVersion))},
       {"kind", api::Value::String("DeviceTaintRule")},
       {"metadata", api::Value::Object({{"name", api::Value::String(rule.metadata.name)},
                                        {"uid", api::Value::String(rule.metadata.uid)}})},
       {"status",
        api::Value::Object(
            {{"conditions",
              api::Value::Array({api::Value::Object(
                  {{"type", api::Value::String(condition.type)},
                   {"status", api::Value::String(condition.status)},
                   {"observedGeneration", api::Value::Int(condition.observed_generation)},
                   {"lastTransitionTime", api::Value::String(condition.last_transition_time)},
                   {"reason", api::Value::String(condition.reason)},
                   {"message", api::Value::String(condition.message)}})})}})}});
  absl::StatusOr<api::Value> written = client_->Patch(
      client::DeviceTaintRules(), "", rule.metadata.name, client::PatchType::kApply, apply,
      "status",
      client::PatchOptions{.field_manager = std::string(kDeviceTaintEvictionControllerName),
                           .force = true});
  if (!written.ok()) {
    return absl::Status(written.status().code(),
                        dra::StrCat("add condition to DeviceTaintRule ", rule.metadata.name,
                                    " status: ", written.status().message()));
  }
  ++rule_status_updates_;
  return again;
}

void DeviceTaintEvictionController::FlushEvents() {
  std::deque<PendingEvent> events;
  {
    absl::MutexLock lock(&mu_);
    events.swap(events_);
  }
  for (const PendingEvent& event : events) CreateEvent(event);
}

void DeviceTaintEvictionController::CreateEvent(const PendingEvent& event) {
  std::string now = Rfc3339(Now());
  api::Value object = api::Value::Object(
      {{"apiVersion", api::Value::String("v1")},
       {"kind", api::Value::String("Event")},
       {"metadata", api::Value::Object({{"generateName", api::Value::String(event.pod.name + ".")},
                                        {"namespace", api::Value::String(event.pod.ns)}})},
       {"involvedObject", api::Value::Object({{"apiVersion", api::Value::String("v1")},
                                              {"kind", api::Value::String("Pod")},
                                              {"name", api::Value::String(event.pod.name)},
                                              {"namespace", api::Value::String(event.pod.ns)},
                                              {"uid", api::Value::String(event.pod.uid)}})},
       {"reason", api::Value::String(std::string(kDeviceTaintManagerEvictionEventReason))},
       {"message", api::Value::String(event.message)},
       {"type", api::Value::String("Normal")},
       {"source", api::Value::Object({{"component", api::Value::String(std::string(
                                                        kDeviceTaintEvictionControllerName))}})},
       {"firstTimestamp", api::Value::String(now)},
       {"lastTimestamp", api::Value::String(now)},
       {"count", api::Value::Int(1)},
       {"reportingComponent",
        api::Value::String(std::string(kDeviceTaintEvictionControllerName))}});
  // Events are best effort, as upstream's recorder.
  (void)client_->Create(
      client::Events(), event.pod.ns, object,
      client::WriteOptions{.field_manager = std::string(kDeviceTaintEvictionControllerName)});
}

}  // namespace dra::controllers
