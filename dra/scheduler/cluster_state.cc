#include "dra/scheduler/cluster_state.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "dra/api/codec/reflect.h"
#include "dra/api/device_taints.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::scheduler {
namespace {

// Nodes checked for feasibility per pod before the best one is picked (upstream's minimum
// number of feasible nodes to find); the scan starts where the previous pod's stopped.
constexpr size_t kFeasibleNodesToFind = 100;

std::string ClaimKey(std::string_view ns, std::string_view name) {
  return dra::StrCat(ns, "/", name);
}

std::string DeviceKey(std::string_view driver, std::string_view pool, std::string_view device) {
  return dra::StrCat(driver, "/", pool, "/", device);
}

bool Tolerates(const api::Toleration& t, const api::Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (t.operator_ == "Exists") return t.key.empty() || t.key == taint.key;
  return t.key == taint.key && t.value == taint.value;
}

// The first taint of `node` with a NoSchedule or NoExecute effect that `pod` does not tolerate.
const api::Taint* UntoleratedTaint(const api::Node& node, const api::Pod& pod,
                                   api::Taint* unschedulable) {
  if (node.spec.unschedulable) {
    *unschedulable = api::Taint{"node.kubernetes.io/unschedulable", "", "NoSchedule", {}};
    bool tolerated =
        std::any_of(pod.spec.tolerations.begin(), pod.spec.tolerations.end(),
                    [&](const api::Toleration& t) { return Tolerates(t, *unschedulable); });
    if (!tolerated) return unschedulable;
  }
  for (const api::Taint& taint : node.spec.taints) {
    if (taint.effect != "NoSchedule" && taint.effect != "NoExecute") continue;
    bool tolerated = std::any_of(pod.spec.tolerations.begin(), pod.spec.tolerations.end(),
                                 [&](const api::Toleration& t) { return Tolerates(t, taint); });
    if (!tolerated) return &taint;
  }
  return nullptr;
}

// pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, if any.
absl::StatusOr<std::optional<api::NodeSelector>> RequiredNodeAffinity(const api::Pod& pod) {
  if (!pod.spec.affinity.has_value()) return std::optional<api::NodeSelector>();
  const api::Value* node_affinity = pod.spec.affinity->Find("nodeAffinity");
  const api::Value* required =
      node_affinity != nullptr
          ? node_affinity->Find("requiredDuringSchedulingIgnoredDuringExecution")
          : nullptr;
  if (required == nullptr || required->is_null()) return std::optional<api::NodeSelector>();
  api::FieldErrorList errors;
  api::NodeSelector selector;
  api::Decoder decoder(&errors, /*strict=*/false);
  decoder.Decode(*required,
                 api::FieldPath("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnored"
                                "DuringExecution"),
                 selector);
  if (!errors.empty()) return absl::InvalidArgumentError(api::JoinFieldErrors(errors));
  return std::optional<api::NodeSelector>(std::move(selector));
}

bool IsNativeResource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || name == "pods" ||
         name.starts_with("hugepages-") || name.starts_with("requests.") ||
         name.find('/') == std::string_view::npos || name.starts_with("kubernetes.io/");
}

bool Reserves(const api::ResourceClaim& claim, const api::Pod& pod) {
  return std::any_of(claim.status.reserved_for.begin(), claim.status.reserved_for.end(),
                     [&](const api::ResourceClaimConsumerReference& r) {
                       return r.resource == "pods" && r.uid == pod.metadata.uid;
                     });
}

// Whether `claims` are those a memo was made for.
bool SameClaims(const std::vector<std::pair<std::string, api::ResourceClaimSpec>>& memo,
                const std::vector<api::ResourceClaim>& claims) {
  if (memo.size() != claims.size()) return false;
  for (size_t i = 0; i < claims.size(); ++i) {
    if (memo[i].first != claims[i].metadata.namespace_ || !(memo[i].second == claims[i].spec)) {
      return false;
    }
  }
  return true;
}

bool OwnedBy(const api::ResourceClaim& claim, const api::Pod& pod) {
  return std::any_of(claim.metadata.owner_references.begin(), claim.metadata.owner_references.end(),
                     [&](const api::OwnerReference& r) { return r.uid == pod.metadata.uid; });
}

}  // namespace

ClusterState::ClusterState(allocator::Features features) : features_(features) {}

void ClusterState::UpsertNode(const api::Node& node) {
  nodes_[node.metadata.name] = node;
  NodeChanged(node.metadata.name);
}

void ClusterState::DeleteNode(std::string_view name) {
  nodes_.erase(std::string(name));
  NodeChanged(std::string(name));
  memo_.erase(std::string(name));
}

uint64_t ClusterState::NodeGeneration(const std::string& node) const {
  auto it = node_generation_.find(node);
  return it == node_generation_.end() ? 0 : it->second;
}

void ClusterState::UpsertSlice(const api::ResourceSlice& slice) {
  DeleteSlice(slice.metadata.name);
  slices_[slice.metadata.name] = slice;
  if (slice.spec.node_name.has_value() && !slice.spec.node_name->empty()) {
    node_devices_[*slice.spec.node_name] += static_cast<int64_t>(slice.spec.devices.size());
  }
  allocator_stale_ = true;
}

void ClusterState::DeleteSlice(std::string_view name) {
  auto it = slices_.find(std::string(name));
  if (it == slices_.end()) return;
  const api::ResourceSlice& old = it->second;
  if (old.spec.node_name.has_value() && !old.spec.node_name->empty()) {
    node_devices_[*old.spec.node_name] -= static_cast<int64_t>(old.spec.devices.size());
  }
  slices_.erase(it);
  allocator_stale_ = true;
}

void ClusterState::UpsertTaintRule(const api::DeviceTaintRule& rule) {
  taint_rules_[rule.metadata.name] = rule;
  allocator_stale_ = true;
}

void ClusterState::DeleteTaintRule(std::string_view name) {
  if (taint_rules_.erase(std::string(name)) > 0) allocator_stale_ = true;
}

void ClusterState::UpsertClass(const api::DeviceClass& device_class) {
  classes_[device_class.metadata.name] = device_class;
  allocator_stale_ = true;
}

void ClusterState::DeleteClass(std::string_view name) {
  if (classes_.erase(std::string(name)) > 0) allocator_stale_ = true;
}

void ClusterState::CountAllocation(const api::ResourceClaim& claim, int sign) {
  if (!claim.status.allocation.has_value()) return;
  if (!allocator_stale_ && allocated_.has_value()) {
    if (sign > 0) {
      allocated_->Add(*claim.status.allocation);
    } else {
      allocated_->Remove(*claim.status.allocation);
    }
  }
  for (const api::DeviceRequestAllocationResult& r : claim.status.allocation->devices.results) {
    auto it = device_node_.find(DeviceKey(r.driver, r.pool, r.device));
    if (it == device_node_.end()) {
      // A device every node may see (or one of a slice not indexed yet): any node's outcome
      // may change.
      ++global_generation_;
      continue;
    }
    NodeChanged(it->second);
    if (r.admin_access.value_or(false)) continue;
    node_allocated_[it->second] += sign;
  }
}

void ClusterState::UpsertClaim(const api::ResourceClaim& claim) {
  std::string key = ClaimKey(claim.metadata.namespace_, claim.metadata.name);
  auto it = claims_.find(key);
  if (it == claims_.end()) {
    claims_[key] = ClaimEntry{claim, std::nullopt};
    CountAllocation(claim, +1);
    return;
  }
  CountAllocation(it->second.effective(), -1);
  it->second.observed = claim;
  // The observed claim replaces an assumed one once it carries an allocation (the scheduler's
  // write, or a later one).
  if (it->second.assumed.has_value() && claim.status.allocation.has_value()) {
    it->second.assumed.reset();
  }
  CountAllocation(it->second.effective(), +1);
}

void ClusterState::DeleteClaim(std::string_view ns, std::string_view name) {
  auto it = claims_.find(ClaimKey(ns, name));
  if (it == claims_.end()) return;
  CountAllocation(it->second.effective(), -1);
  claims_.erase(it);
}

void ClusterState::Assume(const api::ResourceClaim& claim) {
  std::string key = ClaimKey(claim.metadata.namespace_, claim.metadata.name);
  auto it = claims_.find(key);
  if (it == claims_.end()) {
    it = claims_.emplace(key, ClaimEntry{claim, std::nullopt}).first;
    it->second.observed.status = api::ResourceClaimStatus();
  } else {
    CountAllocation(it->second.effective(), -1);
  }
  it->second.assumed = claim;
  CountAllocation(claim, +1);
}

void ClusterState::Forget(std::string_view ns, std::string_view name) {
  auto it = claims_.find(ClaimKey(ns, name));
  if (it == claims_.end() || !it->second.assumed.has_value()) return;
  CountAllocation(*it->second.assumed, -1);
  it->second.assumed.reset();
  CountAllocation(it->second.observed, +1);
}

const api::ResourceClaim* ClusterState::FindClaim(std::string_view ns,
                                                  std::string_view name) const {
  auto it = claims_.find(ClaimKey(ns, name));
  return it == claims_.end() ? nullptr : &it->second.effective();
}

void ClusterState::ScoreResults(AllocationMemo& memo,
                                const std::vector<api::ResourceClaim>& to_allocate) const {
  memo.local_devices = 0;
  memo.subrequest_rank = 0;
  for (const api::AllocationResult& r : memo.results) {
    for (const auto& d : r.devices.results) {
      if (!d.admin_access.value_or(false) &&
          device_node_.contains(DeviceKey(d.driver, d.pool, d.device))) {
        ++memo.local_devices;
      }
    }
  }
  for (size_t i = 0; i < memo.results.size() && i < to_allocate.size(); ++i) {
    for (const auto& d : memo.results[i].devices.results) {
      size_t slash = d.request.find('/');
      if (slash == std::string::npos) continue;
      std::string_view request = std::string_view(d.request).substr(0, slash);
      std::string_view sub = std::string_view(d.request).substr(slash + 1);
      for (const api::DeviceRequest& r : to_allocate[i].spec.devices.requests) {
        if (r.name != request) continue;
        for (size_t k = 0; k < r.first_available.size(); ++k) {
          if (r.first_available[k].name == sub) memo.subrequest_rank += static_cast<int64_t>(k);
        }
      }
    }
  }
}

absl::Status ClusterState::EnsureAllocator() {
  if (!allocator_stale_ && allocator_ != nullptr) return absl::OkStatus();
  allocator::Snapshot snapshot;
  snapshot.features = features_;
  for (const auto& [name, c] : classes_) snapshot.classes.push_back(c);
  device_node_.clear();
  for (const auto& [name, s] : slices_) {
    snapshot.slices.push_back(s);
    for (const auto& [rule_name, rule] : taint_rules_) {
      for (api::Device& d : snapshot.slices.back().spec.devices) {
        if (!api::DeviceTaintRuleSelects(rule, s.spec.driver, s.spec.pool.name, d.name)) continue;
        api::DeviceTaint taint = rule.spec.taint;
        if (!taint.time_added.has_value()) taint.time_added = rule.metadata.creation_timestamp;
        d.taints.push_back(std::move(taint));
      }
    }
    if (s.spec.node_name.has_value() && !s.spec.node_name->empty()) {
      for (const api::Device& d : s.spec.devices) {
        device_node_[DeviceKey(s.spec.driver, s.spec.pool.name, d.name)] = *s.spec.node_name;
      }
    }
  }
  DRA_ASSIGN_OR_RETURN(allocator_, allocator::Allocator::Create(std::move(snapshot)));
  allocated_.emplace(allocator_->NewAllocatedDevices());
  allocator_stale_ = false;
  ++global_generation_;
  node_allocated_.clear();
  for (const auto& [key, entry] : claims_) CountAllocation(entry.effective(), +1);
  return absl::OkStatus();
}

int64_t ClusterState::FreeDevices(const std::string& node, int64_t extra) const {
  auto total = node_devices_.find(node);
  auto used = node_allocated_.find(node);
  return (total != node_devices_.end() ? total->second : 0) -
         (used != node_allocated_.end() ? used->second : 0) - extra;
}

absl::StatusOr<Decision> ClusterState::Schedule(const api::Pod& pod) {
  Decision decision;
  const std::string& ns = pod.metadata.namespace_;

  // The pod's claims, each once.
  std::vector<const api::ResourceClaim*> claims;
  for (size_t i = 0; i < pod.spec.resource_claims.size(); ++i) {
    const api::PodResourceClaim& pc = pod.spec.resource_claims[i];
    std::string claim_name;
    bool from_template = false;
    if (pc.resource_claim_name.has_value()) {
      claim_name = *pc.resource_claim_name;
    } else if (pc.resource_claim_template_name.has_value()) {
      from_template = true;
      auto status = std::find_if(
          pod.status.resource_claim_statuses.begin(), pod.status.resource_claim_statuses.end(),
          [&](const api::PodResourceClaimStatus& s) { return s.name == pc.name; });
      if (status == pod.status.resource_claim_statuses.end()) {
        decision.kind = Decision::Kind::kWaiting;
        decision.message =
            dra::StrCat("waiting for the ResourceClaim of pod.spec.resourceClaims[", i, "] (",
                        GoQuote(pc.name), ") to be created from its template");
        return decision;
      }
      if (!status->resource_claim_name.has_value()) continue;  // no claim needed
      claim_name = *status->resource_claim_name;
    } else {
      continue;
    }
    const api::ResourceClaim* claim = FindClaim(ns, claim_name);
    if (claim == nullptr) {
      decision.kind = Decision::Kind::kWaiting;
      decision.waiting_for = ClaimKey(ns, claim_name);
      decision.message = dra::StrCat("resourceclaim ", GoQuote(claim_name), " not found");
      return decision;
    }
    if (claim->metadata.deletion_timestamp.has_value()) {
      decision.message = dra::StrCat("resourceclaim ", GoQuote(claim_name), " is being deleted");
      return decision;
    }
    if (from_template && !OwnedBy(*claim, pod)) {
      decision.message =
          dra::StrCat("ResourceClaim ", GoQuote(claim_name), " was not created for pod ",
                      GoQuote(pod.metadata.name), " (pod is not owner)");
      return decision;
    }
    if (!Reserves(*claim, pod) && claim->status.reserved_for.size() >= kReservedForMaxSize) {
      decision.message =
          dra::StrCat("resourceclaim ", GoQuote(claim_name), " is in use by ", kReservedForMaxSize,
                      " consumers, the most a claim can be reserved for");
      return decision;
    }
    if (std::find(claims.begin(), claims.end(), claim) == claims.end()) claims.push_back(claim);
  }

  // Extended resources backed by a DeviceClass become the special claim's requests.
  std::optional<api::ResourceClaim> extended;
  std::vector<api::ContainerExtendedResourceRequest> mappings;
  if (pod.status.extended_resource_claim_status.has_value() &&
      !pod.status.extended_resource_claim_status->resource_claim_name.empty()) {
    const std::string& name = pod.status.extended_resource_claim_status->resource_claim_name;
    const api::ResourceClaim* claim = FindClaim(ns, name);
    if (claim == nullptr) {
      decision.kind = Decision::Kind::kWaiting;
      decision.waiting_for = ClaimKey(ns, name);
      decision.message = dra::StrCat("resourceclaim ", GoQuote(name), " not found");
      return decision;
    }
    if (std::find(claims.begin(), claims.end(), claim) == claims.end()) claims.push_back(claim);
  } else {
    auto class_for = [&](const std::string& resource) -> const api::DeviceClass* {
      for (const auto& [name, c] : classes_) {
        if (c.spec.extended_resource_name == resource ||
            resource == dra::StrCat("deviceclass.resource.kubernetes.io/", name)) {
          return &c;
        }
      }
      return nullptr;
    };
    auto add_container = [&](const api::Container& container, size_t index) {
      size_t request_index = 0;
      // Extended resources must have requests equal to limits; limits are what users write.
      const api::ResourceList& list = container.resources.limits.empty()
                                          ? container.resources.requests
                                          : container.resources.limits;
      for (const auto& [resource, quantity] : list) {
        if (IsNativeResource(resource)) continue;
        const api::DeviceClass* device_class = class_for(resource);
        if (device_class == nullptr || quantity.Value() <= 0) continue;
        if (!extended.has_value()) {
          extended.emplace();
          extended->api_version = "resource.k8s.io/v1";
          extended->kind = "ResourceClaim";
          extended->metadata.generate_name = dra::StrCat(pod.metadata.name, "-extended-resources-");
          extended->metadata.namespace_ = ns;
          extended->metadata.annotations[std::string(api::kExtendedResourceClaimAnnotation)] =
              "true";
          extended->metadata.owner_references.push_back(
              {"v1", "Pod", pod.metadata.name, pod.metadata.uid, true, true});
        }
        std::string request = dra::StrCat("container-", index, "-request-", request_index++);
        api::DeviceRequest r;
        r.name = request;
        r.exactly.emplace();
        r.exactly->device_class_name = device_class->metadata.name;
        r.exactly->allocation_mode = "ExactCount";
        r.exactly->count = quantity.Value();
        extended->spec.devices.requests.push_back(std::move(r));
        mappings.push_back({container.name, resource, request});
      }
    };
    for (size_t i = 0; i < pod.spec.init_containers.size(); ++i) {
      add_container(pod.spec.init_containers[i], i);
    }
    for (size_t i = 0; i < pod.spec.containers.size(); ++i) {
      add_container(pod.spec.containers[i], pod.spec.init_containers.size() + i);
    }
  }

  DRA_RETURN_IF_ERROR(EnsureAllocator());
  std::vector<api::ResourceClaim> to_allocate;
  std::vector<const api::NodeSelector*> allocated_selectors;
  for (const api::ResourceClaim* claim : claims) {
    if (claim->status.allocation.has_value()) {
      if (claim->status.allocation->node_selector.has_value()) {
        allocated_selectors.push_back(&*claim->status.allocation->node_selector);
      }
    } else {
      to_allocate.push_back(*claim);
    }
  }
  // The special claim is allocated last, after the pod's own claims.
  if (extended.has_value()) to_allocate.push_back(*extended);
  DRA_ASSIGN_OR_RETURN(std::optional<api::NodeSelector> affinity, RequiredNodeAffinity(pod));

  // Filter.
  struct Fit {
    std::string node;
    const std::vector<api::AllocationResult>* results;  // null: no claim to allocate
    // Sum over the allocated devices of the position of the subrequest they satisfy in their
    // request's firstAvailable list (0 for the first choice and for plain requests).
    int64_t subrequest_rank = 0;
    int64_t free_after = 0;
  };
  std::vector<Fit> fits;
  int selector_mismatch = 0, tainted = 0, claims_elsewhere = 0, cannot_allocate = 0;
  std::map<std::string, int> taint_counts;
  std::string first_dra_failure_node;
  allocator::AllocateOptions options;
  options.explain = false;
  options.allocated = &*allocated_;
  std::vector<const api::Node*> order;
  order.reserve(nodes_.size());
  for (const auto& [name, node] : nodes_) order.push_back(&node);
  const size_t n = order.size();
  const size_t start = n == 0 ? 0 : next_start_ % n;
  size_t examined = 0;
  for (size_t step = 0; step < n && fits.size() < kFeasibleNodesToFind; ++step) {
    const api::Node& node = *order[(start + step) % n];
    ++examined;
    allocator::NodeInfo info = allocator::NodeInfo::FromNode(node);
    bool selected = true;
    for (const auto& [k, v] : pod.spec.node_selector) {
      auto it = node.metadata.labels.find(k);
      if (it == node.metadata.labels.end() || it->second != v) selected = false;
    }
    if (selected && affinity.has_value()) {
      absl::StatusOr<bool> m = allocator::NodeSelectorMatches(info, *affinity);
      if (!m.ok()) return m.status();
      selected = *m;
    }
    if (!selected) {
      ++selector_mismatch;
      continue;
    }
    api::Taint unschedulable;
    if (const api::Taint* taint = UntoleratedTaint(node, pod, &unschedulable)) {
      ++tainted;
      taint_counts[dra::StrCat("{", taint->key, taint->value.empty() ? "" : ": ", taint->value,
                               "}")]++;
      continue;
    }
    bool elsewhere = false;
    for (const api::NodeSelector* s : allocated_selectors) {
      absl::StatusOr<bool> m = allocator::NodeSelectorMatches(info, *s);
      if (!m.ok() || !*m) elsewhere = true;
    }
    if (elsewhere) {
      ++claims_elsewhere;
      continue;
    }
    Fit fit{node.metadata.name, nullptr, 0};
    int64_t extra = 0;
    if (!to_allocate.empty()) {
      // std::map entries stay put: fits point at their results until the end of this call.
      AllocationMemo& memo = memo_[node.metadata.name];
      const uint64_t node_generation = NodeGeneration(node.metadata.name);
      if (memo.global_generation != global_generation_ || memo.global_generation == 0 ||
          memo.node_generation != node_generation || !SameClaims(memo.claims, to_allocate)) {
        DRA_ASSIGN_OR_RETURN(allocator::AllocationOutcome outcome,
                             allocator_->Allocate(info, to_allocate, options));
        memo = AllocationMemo();
        // Results with share IDs (consumable capacity) belong to one allocation: not reused.
        bool reusable = std::none_of(
            outcome.results.begin(), outcome.results.end(), [](const api::AllocationResult& r) {
              return std::any_of(r.devices.results.begin(), r.devices.results.end(),
                                 [](const auto& d) { return d.share_id.has_value(); });
            });
        memo.global_generation = reusable ? global_generation_ : 0;
        memo.node_generation = node_generation;
        for (const api::ResourceClaim& c : to_allocate) {
          memo.claims.emplace_back(c.metadata.namespace_, c.spec);
        }
        memo.allocated = outcome.allocated();
        if (memo.allocated) {
          memo.results = std::move(outcome.results);
          ScoreResults(memo, to_allocate);
        }
      }
      if (!memo.allocated) {
        ++cannot_allocate;
        if (first_dra_failure_node.empty()) first_dra_failure_node = node.metadata.name;
        continue;
      }
      extra = memo.local_devices;
      fit.subrequest_rank = memo.subrequest_rank;
      fit.results = &memo.results;
    }
    fit.free_after = FreeDevices(fit.node, extra);
    fits.push_back(std::move(fit));
  }
  next_start_ = n == 0 ? 0 : (start + examined) % n;

  if (fits.empty()) {
    decision.kind = Decision::Kind::kUnschedulable;
    std::vector<std::string> reasons;
    if (cannot_allocate > 0) {
      reasons.push_back(dra::StrCat(cannot_allocate, " cannot allocate all claims"));
    }
    if (claims_elsewhere > 0) {
      reasons.push_back(dra::StrCat(claims_elsewhere,
                                    " node(s) did not match the allocation of a ResourceClaim"));
    }
    if (selector_mismatch > 0) {
      reasons.push_back(
          dra::StrCat(selector_mismatch, " node(s) didn't match Pod's node affinity/selector"));
    }
    for (const auto& [taint, count] : taint_counts) {
      reasons.push_back(dra::StrCat(count, " node(s) had untolerated taint ", taint));
    }
    std::sort(reasons.begin(), reasons.end());
    decision.message = dra::StrCat("0/", n, " nodes are available", reasons.empty() ? "" : ": ",
                                   dra::StrJoin(reasons, ", "), ".");
    if (!first_dra_failure_node.empty()) {
      allocator::AllocateOptions explain;
      explain.allocated = &*allocated_;
      absl::StatusOr<allocator::AllocationOutcome> why = allocator_->Allocate(
          allocator::NodeInfo::FromNode(nodes_.at(first_dra_failure_node)), to_allocate, explain);
      if (why.ok() && !why->explanation.empty()) {
        dra::StrAppend(&decision.message, "\n", why->explanation);
      } else if (why.ok() && !why->message.empty()) {
        dra::StrAppend(&decision.message, "\n", why->message);
      }
    }
    return decision;
  }

  // Score: the node where prioritized lists get their earlier choices (as Kubernetes v1.35+
  // prefers), then the fewest free devices left on the node, then node name.
  const Fit& best = *std::min_element(fits.begin(), fits.end(), [](const Fit& a, const Fit& b) {
    return std::tie(a.subrequest_rank, a.free_after, a.node) <
           std::tie(b.subrequest_rank, b.free_after, b.node);
  });
  decision.kind = Decision::Kind::kScheduled;
  decision.node = best.node;
  size_t next_result = 0;
  for (const api::ResourceClaim* claim : claims) {
    api::ResourceClaim updated = *claim;
    if (!updated.status.allocation.has_value()) {
      updated.status.allocation = (*best.results)[next_result++];
    }
    if (!Reserves(updated, pod)) {
      updated.status.reserved_for.push_back(
          api::ResourceClaimConsumerReference{"", "pods", pod.metadata.name, pod.metadata.uid});
    }
    decision.claims.push_back(std::move(updated));
  }
  if (extended.has_value()) {
    extended->status.allocation = (*best.results)[next_result++];
    extended->status.reserved_for.push_back(
        api::ResourceClaimConsumerReference{"", "pods", pod.metadata.name, pod.metadata.uid});
    decision.extended_claim = std::move(extended);
    decision.extended_mappings = std::move(mappings);
  }
  return decision;
}

}  // namespace dra::scheduler
