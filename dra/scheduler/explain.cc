#include "dra/scheduler/explain.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "dra/allocator/allocator.h"
#include "dra/api/codec/codec.h"
#include "dra/base/quantity.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/cel/device.h"
#include "dra/cel/selector.h"
#include "dra/client/resource_ref.h"
#include "dra/scheduler/cluster_state.h"

namespace dra::scheduler {
namespace {

using allocator::NodeInfo;

std::string DeviceId(std::string_view driver, std::string_view pool, std::string_view device) {
  return dra::StrCat(driver, "/", pool, "/", device);
}

std::string ClaimKey(const api::ResourceClaim& claim) {
  return dra::StrCat(claim.metadata.namespace_, "/", claim.metadata.name);
}

std::string TaintText(const api::DeviceTaint& taint) {
  return dra::StrCat(taint.key, taint.value.empty() ? "" : "=", taint.value, ":", taint.effect);
}

template <typename T>
absl::StatusOr<std::vector<T>> ListTyped(client::RestClient& client, const client::ResourceRef& ref,
                                         std::string_view ns,
                                         const client::ListOptions& options = {}) {
  DRA_ASSIGN_OR_RETURN(client::ListResult list, client.ListAll(ref, ns, options));
  std::vector<T> out;
  out.reserve(list.items.size());
  for (const api::Value& item : list.items) {
    DRA_ASSIGN_OR_RETURN(T typed, api::DecodeAs<T>(item, {.strict = false}));
    out.push_back(std::move(typed));
  }
  return out;
}

template <typename T>
absl::StatusOr<T> GetTyped(client::RestClient& client, const client::ResourceRef& ref,
                           std::string_view ns, std::string_view name) {
  DRA_ASSIGN_OR_RETURN(api::Value object, client.Get(ref, ns, name));
  return api::DecodeAs<T>(object, {.strict = false});
}

// The attribute `name` ("domain/id", or "id" in the driver's domain) of a device.
const api::DeviceAttribute* LookupAttribute(const api::Device& device, std::string_view driver,
                                            const std::string& name) {
  auto it = device.attributes.find(name);
  if (it != device.attributes.end()) return &it->second;
  size_t slash = name.find('/');
  if (slash == std::string::npos) return nullptr;
  if (std::string_view(name).substr(0, slash) != driver) return nullptr;
  it = device.attributes.find(name.substr(slash + 1));
  return it == device.attributes.end() ? nullptr : &it->second;
}

std::string AttributeText(const api::DeviceAttribute& a) {
  if (a.string_.has_value()) return *a.string_;
  if (a.int_.has_value()) return std::to_string(*a.int_);
  if (a.bool_.has_value()) return *a.bool_ ? "true" : "false";
  if (a.version.has_value()) return *a.version;
  std::vector<std::string> parts;
  for (const std::string& s : a.strings) parts.push_back(s);
  for (int64_t i : a.ints) parts.push_back(std::to_string(i));
  for (bool b : a.bools) parts.push_back(b ? "true" : "false");
  for (const std::string& v : a.versions) parts.push_back(v);
  return dra::StrCat("[", dra::StrJoin(parts, ","), "]");
}

bool Tolerates(const api::DeviceToleration& t, const api::DeviceTaint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.operator_.empty() || t.operator_ == api::kDeviceTolerationOpEqual) {
    return t.value == taint.value;
  }
  return t.operator_ == api::kDeviceTolerationOpExists;
}

// One request or subrequest, flattened.
struct RequestSpec {
  std::string name;
  std::string device_class;
  const std::vector<api::DeviceSelector>* selectors = nullptr;
  bool all = false;
  int64_t count = 1;
  bool admin = false;
  const std::vector<api::DeviceToleration>* tolerations = nullptr;
  const std::optional<api::CapacityRequirements>* capacity = nullptr;
};

std::vector<RequestSpec> Flatten(const api::DeviceRequest& r) {
  std::vector<RequestSpec> out;
  if (r.exactly.has_value()) {
    const api::ExactDeviceRequest& e = *r.exactly;
    out.push_back({r.name, e.device_class_name, &e.selectors,
                   e.allocation_mode == api::kDeviceAllocationModeAll,
                   std::max<int64_t>(e.count, 1), e.admin_access.value_or(false), &e.tolerations,
                   &e.capacity});
  }
  for (const api::DeviceSubRequest& s : r.first_available) {
    out.push_back({dra::StrCat(r.name, "/", s.name), s.device_class_name, &s.selectors,
                   s.allocation_mode == api::kDeviceAllocationModeAll,
                   std::max<int64_t>(s.count, 1), false, &s.tolerations, &s.capacity});
  }
  return out;
}

// The cluster indexed for the device-by-device analysis.
class Analyzer {
 public:
  Analyzer(const ClusterObjects& cluster, const std::set<std::string>& analysed_claims) {
    for (const api::ResourceSlice& slice : cluster.slices) {
      for (const api::Device& device : slice.spec.devices) {
        devices_.push_back(
            {&slice, &device, DeviceId(slice.spec.driver, slice.spec.pool.name, device.name)});
      }
      for (const api::CounterSet& set : slice.spec.shared_counters) {
        for (const auto& [counter, value] : set.counters) {
          counters_[CounterKey(slice.spec.driver, slice.spec.pool.name, set.name, counter)] =
              value.value;
        }
      }
    }
    for (size_t i = 0; i < devices_.size(); ++i) by_id_.emplace(devices_[i].id, i);
    std::set<std::string> counted;
    for (const api::ResourceClaim& claim : cluster.claims) {
      if (!claim.status.allocation.has_value() || analysed_claims.contains(ClaimKey(claim))) {
        continue;
      }
      for (const api::DeviceRequestAllocationResult& r : claim.status.allocation->devices.results) {
        if (r.admin_access.value_or(false)) continue;
        std::string id = DeviceId(r.driver, r.pool, r.device);
        if (!r.share_id.has_value()) holders_[id].push_back(ClaimKey(claim));
        for (const auto& [name, q] : r.consumed_capacity) {
          auto [it, inserted] = consumed_[id].try_emplace(name, q);
          if (!inserted) it->second = it->second.Add(q);
        }
        if (!counted.insert(id).second) continue;
        auto dev = by_id_.find(id);
        if (dev == by_id_.end()) continue;
        for (const api::DeviceCounterConsumption& c :
             devices_[dev->second].device->consumes_counters) {
          for (const auto& [counter, value] : c.counters) {
            auto left = counters_.find(CounterKey(r.driver, r.pool, c.counter_set, counter));
            if (left != counters_.end()) left->second = left->second.Sub(value.value);
          }
        }
      }
    }
    for (const api::DeviceClass& c : cluster.classes) classes_.emplace(c.metadata.name, &c);
  }

  const api::DeviceClass* FindClass(const std::string& name) const {
    auto it = classes_.find(name);
    return it == classes_.end() ? nullptr : it->second;
  }

  // The request on `node`, device by device.
  RequestOnNode Analyze(const RequestSpec& r, const NodeInfo& node,
                        std::vector<std::string>* hints) {
    RequestOnNode out;
    out.node = node.name;
    std::vector<DeviceGroup>& groups = out.rejected;
    auto reject = [&](std::string check, std::string detail, const std::string& device) {
      for (DeviceGroup& g : groups) {
        if (g.check == check && g.detail == detail) {
          g.devices.push_back(device);
          return;
        }
      }
      groups.push_back({std::move(check), std::move(detail), {device}});
    };
    const api::DeviceClass* device_class = FindClass(r.device_class);
    // Devices on which a selector failed with "no such key", per selector, for the hints.
    std::map<std::string, std::vector<const api::Device*>> missing_keys;
    for (size_t i = 0; i < devices_.size(); ++i) {
      Dev& d = devices_[i];
      const api::ResourceSliceSpec& slice = d.slice->spec;
      if (!VisibleOn(slice.node_name, slice.all_nodes, slice.node_selector, node)) continue;
      if (slice.per_device_node_selection.value_or(false) &&
          !VisibleOn(d.device->node_name, d.device->all_nodes, d.device->node_selector, node)) {
        ++out.devices;
        reject("not for this node", "", d.id);
        continue;
      }
      ++out.devices;
      if (device_class == nullptr) {
        reject(dra::StrCat("not considered: class ", GoQuote(r.device_class), " not found"), "",
               d.id);
        continue;
      }
      const cel::DeviceBinding* binding = Binding(d);
      if (binding == nullptr) {
        reject("could not be evaluated", d.binding_error, d.id);
        continue;
      }
      auto run = [&](const std::vector<api::DeviceSelector>& selectors,
                     const std::string& what) -> bool {
        for (size_t s = 0; s < selectors.size(); ++s) {
          if (!selectors[s].cel.has_value()) continue;
          const std::string& expression = selectors[s].cel->expression;
          std::string name = dra::StrCat(what, " selector #", s);
          absl::StatusOr<std::shared_ptr<const cel::CompiledExpression>> compiled =
              cache_.GetOrCompile(expression);
          if (!compiled.ok()) {
            reject(dra::StrCat("failed to compile ", name),
                   std::string(compiled.status().message()), d.id);
            return false;
          }
          absl::StatusOr<bool> matches = (*compiled)->Matches(*binding);
          if (!matches.ok()) {
            std::string error(matches.status().message());
            reject(dra::StrCat("failed to evaluate ", name), dra::StrCat(expression, ": ", error),
                   d.id);
            if (size_t at = error.find("no such key: "); at != std::string::npos) {
              missing_keys[dra::StrCat(name, " (", expression, "): ", error.substr(at + 13))]
                  .push_back(d.device);
            }
            return false;
          }
          if (!*matches) {
            reject(dra::StrCat("rejected by ", name), expression, d.id);
            return false;
          }
        }
        return true;
      };
      if (!run(device_class->spec.selectors, dra::StrCat("class ", GoQuote(r.device_class)))) {
        continue;
      }
      if (!run(*r.selectors, "request")) continue;
      if (!r.admin) {
        auto held = holders_.find(d.id);
        if (held != holders_.end() && !held->second.empty()) {
          reject(dra::StrCat("in use by claim ", GoQuote(held->second.front())), "", d.id);
          continue;
        }
      }
      std::string taint;
      for (const api::DeviceTaint& t : d.device->taints) {
        if (t.effect != api::kDeviceTaintEffectNoSchedule &&
            t.effect != api::kDeviceTaintEffectNoExecute) {
          continue;
        }
        bool tolerated =
            std::any_of(r.tolerations->begin(), r.tolerations->end(),
                        [&](const api::DeviceToleration& tol) { return Tolerates(tol, t); });
        if (!tolerated) {
          taint = TaintText(t);
          break;
        }
      }
      if (!taint.empty()) {
        reject("tainted", taint, d.id);
        continue;
      }
      if (!r.admin) {
        std::string short_of = CountersShort(d);
        if (!short_of.empty()) {
          reject("out of shared counters", short_of, d.id);
          continue;
        }
      }
      std::string capacity = CapacityShort(d, r);
      if (!capacity.empty()) {
        reject("out of capacity", capacity, d.id);
        continue;
      }
      out.candidates.push_back(d.id);
    }
    for (const auto& [selector, devices] : missing_keys) {
      size_t colon = selector.rfind(": ");
      std::string key = selector.substr(colon + 2);
      std::set<std::string> names;
      for (const api::Device* device : devices) {
        for (const auto& [attribute, value] : device->attributes) names.insert(attribute);
      }
      std::string hint = dra::StrCat(
          "request ", GoQuote(r.name), ", ", selector.substr(0, colon), ": the ", devices.size(),
          " devices of node ", GoQuote(node.name), " it was evaluated on have no attribute ",
          GoQuote(key), "; their attributes: ",
          dra::StrJoin(std::vector<std::string>(names.begin(), names.end()), ", "));
      if (std::find(hints->begin(), hints->end(), hint) == hints->end()) hints->push_back(hint);
    }
    return out;
  }

  // The attribute of device `id` as text; nullopt when the device lacks it.
  std::optional<std::string> Attribute(const std::string& id, const std::string& name) const {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    const Dev& d = devices_[it->second];
    const api::DeviceAttribute* a = LookupAttribute(*d.device, d.slice->spec.driver, name);
    if (a == nullptr) return std::nullopt;
    return AttributeText(*a);
  }

 private:
  struct Dev {
    const api::ResourceSlice* slice;
    const api::Device* device;
    std::string id;
    std::optional<cel::DeviceBinding> binding;
    std::string binding_error;
    bool bound = false;
  };

  static std::string CounterKey(std::string_view driver, std::string_view pool,
                                std::string_view set, std::string_view counter) {
    return dra::StrCat(driver, "/", pool, "/", set, "/", counter);
  }

  static bool VisibleOn(const std::optional<std::string>& node_name,
                        const std::optional<bool>& all_nodes,
                        const std::optional<api::NodeSelector>& selector, const NodeInfo& node) {
    if (node_name.has_value() && !node_name->empty()) return *node_name == node.name;
    if (all_nodes.value_or(false)) return true;
    if (selector.has_value()) {
      absl::StatusOr<bool> m = allocator::NodeSelectorMatches(node, *selector);
      return m.ok() && *m;
    }
    return false;
  }

  const cel::DeviceBinding* Binding(Dev& d) {
    if (!d.bound) {
      d.bound = true;
      absl::StatusOr<cel::DeviceBinding> b =
          cel::DeviceBinding::Create(d.slice->spec.driver, *d.device);
      if (b.ok()) {
        d.binding.emplace(*std::move(b));
      } else {
        d.binding_error = std::string(b.status().message());
      }
    }
    return d.binding.has_value() ? &*d.binding : nullptr;
  }

  // "set: counter needs X, Y left" for the first counter the device would overdraw, or "".
  std::string CountersShort(const Dev& d) const {
    for (const api::DeviceCounterConsumption& c : d.device->consumes_counters) {
      for (const auto& [counter, value] : c.counters) {
        auto left = counters_.find(
            CounterKey(d.slice->spec.driver, d.slice->spec.pool.name, c.counter_set, counter));
        if (left == counters_.end()) continue;
        if (value.value.Compare(left->second) > 0) {
          return dra::StrCat(c.counter_set, ": ", counter, " needs ", value.value.ToString(), ", ",
                             left->second.ToString(), " left");
        }
      }
    }
    return "";
  }

  // "name: needs X, Y left" for the first requested capacity the device cannot give, or "".
  std::string CapacityShort(const Dev& d, const RequestSpec& r) const {
    if (!r.capacity->has_value()) return "";
    for (const auto& [name, wanted] : (*r.capacity)->requests) {
      auto cap = d.device->capacity.find(name);
      if (cap == d.device->capacity.end()) {
        size_t slash = name.find('/');
        if (slash != std::string::npos && name.substr(0, slash) == d.slice->spec.driver) {
          cap = d.device->capacity.find(name.substr(slash + 1));
        }
      }
      if (cap == d.device->capacity.end()) return dra::StrCat(name, ": the device has none");
      Quantity left = cap->second.value;
      if (auto used = consumed_.find(d.id); used != consumed_.end()) {
        if (auto u = used->second.find(name); u != used->second.end()) left = left.Sub(u->second);
      }
      if (wanted.Compare(left) > 0) {
        return dra::StrCat(name, ": needs ", wanted.ToString(), ", ", left.ToString(), " left");
      }
    }
    return "";
  }

  std::vector<Dev> devices_;
  std::map<std::string, size_t> by_id_;
  std::map<std::string, const api::DeviceClass*> classes_;
  std::map<std::string, std::vector<std::string>> holders_;  // device -> exclusive claims
  std::map<std::string, std::map<std::string, Quantity>> consumed_;
  std::map<std::string, Quantity> counters_;  // what is left of each shared counter
  cel::ExpressionCache cache_;
};

std::vector<NodeInfo> NodesOf(const ClusterObjects& cluster) {
  std::map<std::string, NodeInfo> by_name;
  for (const api::Node& node : cluster.nodes) {
    by_name.try_emplace(node.metadata.name, NodeInfo::FromNode(node));
  }
  if (by_name.empty()) {
    for (const api::ResourceSlice& slice : cluster.slices) {
      if (slice.spec.node_name.has_value() && !slice.spec.node_name->empty()) {
        by_name.try_emplace(*slice.spec.node_name, NodeInfo{.name = *slice.spec.node_name});
      }
    }
  }
  std::vector<NodeInfo> nodes;
  for (auto& [name, info] : by_name) nodes.push_back(std::move(info));
  return nodes;
}

// The scheduler's reason for a one-node cluster, without the count: "0/1 nodes are available:
// 1 node(s) had untolerated taint {k}." -> "had untolerated taint {k}".
std::string OneNodeReason(std::string_view first_line) {
  constexpr std::string_view kPrefix = "0/1 nodes are available: ";
  if (!first_line.starts_with(kPrefix)) return std::string(first_line);
  std::string_view reason = first_line.substr(kPrefix.size());
  if (reason.starts_with("1 ")) reason.remove_prefix(2);
  if (reason.starts_with("node(s) ")) reason.remove_prefix(8);
  if (reason.ends_with(".")) reason.remove_suffix(1);
  return std::string(reason);
}

std::pair<std::string, std::string> SplitFirstLine(const std::string& message) {
  size_t nl = message.find('\n');
  if (nl == std::string::npos) return {message, ""};
  return {message.substr(0, nl), message.substr(nl + 1)};
}

ClusterState StateOf(const ClusterObjects& cluster, const std::vector<const api::Node*>& nodes) {
  ClusterState state;
  for (const api::Node* node : nodes) state.UpsertNode(*node);
  for (const api::ResourceSlice& slice : cluster.slices) state.UpsertSlice(slice);
  for (const api::DeviceClass& c : cluster.classes) state.UpsertClass(c);
  for (const api::ResourceClaim& claim : cluster.claims) state.UpsertClaim(claim);
  return state;
}

// Verdicts through the scheduler's decision for `pod`.
void VerdictsForPod(const ClusterObjects& cluster, const api::Pod& pod,
                    const ExplainOptions& options, PendingExplanation& out) {
  std::vector<const api::Node*> all;
  for (const api::Node& node : cluster.nodes) all.push_back(&node);
  std::sort(all.begin(), all.end(), [](const api::Node* a, const api::Node* b) {
    return a->metadata.name < b->metadata.name;
  });
  ClusterState state = StateOf(cluster, all);
  absl::StatusOr<Decision> decision = state.Schedule(pod);
  if (!decision.ok()) {
    out.verdict = std::string(decision.status().message());
    out.fatal = true;
    return;
  }
  switch (decision->kind) {
    case Decision::Kind::kScheduled:
      out.fits = true;
      out.node = decision->node;
      out.verdict = dra::StrCat(
          "the pod fits on node ", GoQuote(decision->node),
          " now; it waits for its scheduler (spec.schedulerName ",
          GoQuote(pod.spec.scheduler_name.empty() ? "default-scheduler" : pod.spec.scheduler_name),
          ") to bind it");
      break;
    case Decision::Kind::kWaiting:
      out.verdict = decision->message;
      return;
    case Decision::Kind::kUnschedulable:
      out.verdict = decision->message;
      break;
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (i >= options.max_nodes) {
      out.nodes_not_examined = all.size() - i;
      break;
    }
    ClusterState one = StateOf(cluster, {all[i]});
    absl::StatusOr<Decision> d = one.Schedule(pod);
    NodeVerdict v{.node = all[i]->metadata.name};
    if (!d.ok()) {
      v.reason = std::string(d.status().message());
    } else if (d->kind == Decision::Kind::kScheduled) {
      v.fits = true;
    } else {
      auto [first, rest] = SplitFirstLine(d->message);
      v.reason = OneNodeReason(first);
      v.explanation = rest;
    }
    out.nodes.push_back(std::move(v));
  }
}

// Verdicts through the allocator alone, for claims no pending pod uses.
absl::Status VerdictsForClaims(const ClusterObjects& cluster,
                               const std::vector<api::ResourceClaim>& pending,
                               const ExplainOptions& options, PendingExplanation& out) {
  allocator::Snapshot snapshot{.classes = cluster.classes, .slices = cluster.slices};
  for (const api::ResourceClaim& claim : cluster.claims) {
    if (claim.status.allocation.has_value()) snapshot.allocated.Add(*claim.status.allocation);
  }
  DRA_ASSIGN_OR_RETURN(auto alloc, allocator::Allocator::Create(std::move(snapshot)));
  std::vector<NodeInfo> nodes = NodesOf(cluster);
  std::vector<std::string> names;
  for (const NodeInfo& n : nodes) names.push_back(n.name);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i >= options.max_nodes) {
      out.nodes_not_examined = nodes.size() - i;
      break;
    }
    absl::StatusOr<allocator::AllocationOutcome> outcome = alloc->Allocate(nodes[i], pending);
    if (!outcome.ok()) {
      out.verdict = std::string(outcome.status().message());
      out.fatal = true;
      out.nodes.clear();
      return absl::OkStatus();
    }
    NodeVerdict v{.node = nodes[i].name, .fits = outcome->allocated()};
    if (!v.fits) {
      v.reason = outcome->kind == allocator::AllocationOutcome::Kind::kFailedOnNode
                     ? outcome->message
                     : "cannot allocate all claims";
      v.explanation = outcome->explanation;
    } else if (!out.fits) {
      out.fits = true;
      out.node = nodes[i].name;
    }
    out.nodes.push_back(std::move(v));
  }
  std::vector<std::string> keys;
  for (const api::ResourceClaim& c : pending) keys.push_back(GoQuote(ClaimKey(c)));
  std::string what =
      dra::StrCat(pending.size() == 1 ? "claim " : "claims ", dra::StrJoin(keys, ", "));
  if (out.fits) {
    out.verdict = dra::StrCat(what, " can be allocated on node ", GoQuote(out.node),
                              " now; it is allocated when a pod that uses it is scheduled");
  } else if (nodes.empty()) {
    out.verdict = dra::StrCat("cannot allocate ", what, ": the cluster has no nodes");
  } else {
    out.verdict =
        nodes.size() == 1
            ? dra::StrCat("cannot allocate ", what, " on node ", GoQuote(nodes[0].name))
            : dra::StrCat("cannot allocate ", what, " on any of the ", nodes.size(), " nodes");
    for (const NodeVerdict& v : out.nodes) {
      if (v.explanation.empty()) continue;
      dra::StrAppend(&out.verdict,
                     nodes.size() == 1 ? "\n" : dra::StrCat("\nnode ", GoQuote(v.node), ":\n"),
                     v.explanation);
      break;
    }
  }
  return absl::OkStatus();
}

void AnalyzeConstraints(const api::ResourceClaim& claim, const Analyzer& analyzer,
                        PendingClaim& out) {
  const std::vector<api::DeviceConstraint>& constraints = claim.spec.devices.constraints;
  for (size_t i = 0; i < constraints.size(); ++i) {
    const api::DeviceConstraint& c = constraints[i];
    bool match = c.match_attribute.has_value();
    const std::string attribute = match ? *c.match_attribute : c.distinct_attribute.value_or("");
    if (attribute.empty()) continue;
    std::vector<std::string> requests = c.requests;
    if (requests.empty()) {
      for (const api::DeviceRequest& r : claim.spec.devices.requests) requests.push_back(r.name);
    }
    std::vector<std::string> quoted;
    for (const std::string& r : requests) quoted.push_back(GoQuote(r));
    ConstraintExplanation ce;
    ce.summary = dra::StrCat(
        "constraint #", i, " ", match ? "matchAttribute " : "distinctAttribute ",
        GoQuote(attribute), " over ",
        c.requests.empty() ? "all requests" : dra::StrCat("requests ", dra::StrJoin(quoted, ", ")));
    std::set<std::string> nodes;
    for (const RequestExplanation& r : out.requests) {
      for (const RequestOnNode& n : r.nodes) nodes.insert(n.node);
    }
    for (const std::string& node : nodes) {
      ConstraintOnNode con{.node = node};
      // value -> devices, per request; the devices needed per request.
      std::vector<std::map<std::string, std::vector<std::string>>> values;
      std::vector<int64_t> needed;
      int64_t total_needed = 0;
      std::set<std::string> distinct;
      for (const std::string& request : requests) {
        std::map<std::string, std::vector<std::string>> by_value;
        std::vector<std::string> without;
        int64_t need = 0;
        std::set<std::string> seen;
        for (const RequestExplanation& r : out.requests) {
          if (r.name != request && !r.name.starts_with(request + "/")) continue;
          for (const RequestOnNode& n : r.nodes) {
            if (n.node != node) continue;
            need = need == 0 ? (r.all ? static_cast<int64_t>(n.candidates.size()) : r.needed)
                             : std::min(need, r.all ? static_cast<int64_t>(n.candidates.size())
                                                    : r.needed);
            for (const std::string& id : n.candidates) {
              if (!seen.insert(id).second) continue;
              std::optional<std::string> v = analyzer.Attribute(id, attribute);
              if (v.has_value()) {
                by_value[*v].push_back(id);
                distinct.insert(*v);
              } else {
                without.push_back(id);
              }
            }
          }
        }
        std::vector<std::string> parts;
        for (const auto& [value, devices] : by_value) {
          std::vector<std::string> short_names;
          for (const std::string& id : devices) short_names.push_back(id.substr(id.rfind('/') + 1));
          parts.push_back(dra::StrCat(value, " (", dra::StrJoin(short_names, ", "), ")"));
        }
        std::string line = dra::StrCat(
            "request ", GoQuote(request), " (", need,
            " needed): ", parts.empty() ? "no candidate carries it" : dra::StrJoin(parts, "; "));
        if (!without.empty() && !parts.empty()) {
          dra::StrAppend(&line, "; ", without.size(), " candidates without the attribute");
        }
        con.findings.push_back(std::move(line));
        values.push_back(std::move(by_value));
        needed.push_back(need);
        total_needed += need;
      }
      if (match) {
        std::vector<std::string> common;
        if (!values.empty()) {
          for (const auto& [value, devices] : values[0]) {
            bool everywhere = true;
            for (size_t k = 0; k < values.size(); ++k) {
              auto it = values[k].find(value);
              if (it == values[k].end() || static_cast<int64_t>(it->second.size()) < needed[k]) {
                everywhere = false;
              }
            }
            if (everywhere) common.push_back(value);
          }
        }
        con.can_hold = !common.empty();
        con.findings.push_back(
            con.can_hold ? dra::StrCat("can hold with ", GoQuote(attribute), " = ",
                                       dra::StrJoin(common, " or "))
                         : dra::StrCat("cannot hold: no value of ", GoQuote(attribute),
                                       " is carried by enough candidates of every request"));
      } else {
        con.can_hold = static_cast<int64_t>(distinct.size()) >= total_needed;
        con.findings.push_back(
            con.can_hold ? dra::StrCat("can hold: ", distinct.size(), " distinct values for ",
                                       total_needed, " devices")
                         : dra::StrCat("cannot hold: ", distinct.size(), " distinct values of ",
                                       GoQuote(attribute), " among the candidates, ", total_needed,
                                       " devices needed"));
      }
      ce.nodes.push_back(std::move(con));
    }
    out.constraints.push_back(std::move(ce));
  }
}

std::vector<std::string> NodesOfSelector(const api::NodeSelector& selector, bool* only_names) {
  std::vector<std::string> names;
  *only_names = true;
  for (const api::NodeSelectorTerm& term : selector.node_selector_terms) {
    bool named = term.match_expressions.empty() && term.match_fields.size() == 1 &&
                 term.match_fields[0].key == "metadata.name" &&
                 term.match_fields[0].operator_ == "In";
    if (!named) {
      *only_names = false;
      continue;
    }
    names.insert(names.end(), term.match_fields[0].values.begin(),
                 term.match_fields[0].values.end());
  }
  return names;
}

std::string SelectorText(const api::NodeSelector& selector) {
  std::vector<std::string> terms;
  for (const api::NodeSelectorTerm& term : selector.node_selector_terms) {
    std::vector<std::string> reqs;
    auto add = [&](const std::vector<api::NodeSelectorRequirement>& list) {
      for (const api::NodeSelectorRequirement& r : list) {
        reqs.push_back(dra::StrCat(
            r.key, " ", r.operator_,
            r.values.empty() ? "" : dra::StrCat(" [", dra::StrJoin(r.values, ","), "]")));
      }
    };
    add(term.match_expressions);
    add(term.match_fields);
    terms.push_back(dra::StrJoin(reqs, " and "));
  }
  return dra::StrJoin(terms, " or ");
}

// Fills the allocation part of `report` from `claim`, the slices and the consumer pods.
void DescribeClaim(const api::ResourceClaim& claim, const ClusterObjects& cluster,
                   const std::vector<api::Pod>& consumers, ClaimReport& report) {
  report.found = true;
  report.ns = claim.metadata.namespace_;
  report.name = claim.metadata.name;
  report.deleting = claim.metadata.deletion_timestamp.has_value();
  for (const api::ResourceClaimConsumerReference& r : claim.status.reserved_for) {
    report.reserved_for.push_back(dra::StrCat(r.resource, "/", r.name));
  }
  if (!claim.status.allocation.has_value()) return;
  report.allocated = true;
  if (claim.status.allocation->node_selector.has_value()) {
    bool only_names = true;
    report.nodes = NodesOfSelector(*claim.status.allocation->node_selector, &only_names);
    if (!only_names) report.node_selector = SelectorText(*claim.status.allocation->node_selector);
  }
  std::map<std::string, const api::Device*> devices;
  for (const api::ResourceSlice& slice : cluster.slices) {
    for (const api::Device& d : slice.spec.devices) {
      devices.emplace(DeviceId(slice.spec.driver, slice.spec.pool.name, d.name), &d);
    }
  }
  std::map<std::string, const api::ResourceHealth*> health;
  for (const api::Pod& pod : consumers) {
    for (const api::ContainerStatus& cs : pod.status.container_statuses) {
      for (const api::ResourceStatus& rs : cs.allocated_resources_status) {
        for (const api::ResourceHealth& h : rs.resources) health.emplace(h.resource_id, &h);
      }
    }
  }
  for (const api::DeviceRequestAllocationResult& r : claim.status.allocation->devices.results) {
    AllocatedDevice d;
    d.request = r.request;
    d.device = DeviceId(r.driver, r.pool, r.device);
    d.share_id = r.share_id;
    d.admin_access = r.admin_access.value_or(false);
    if (auto it = devices.find(d.device); it != devices.end()) {
      for (const api::DeviceTaint& t : it->second->taints) d.taints.push_back(TaintText(t));
    }
    if (auto it = health.find(d.device); it != health.end()) {
      d.health = it->second->health;
      d.health_message = it->second->message.value_or("");
    }
    for (const api::AllocatedDeviceStatus& s : claim.status.devices) {
      if (s.driver != r.driver || s.pool != r.pool || s.device != r.device ||
          s.share_id != r.share_id) {
        continue;
      }
      for (const api::Condition& c : s.conditions) {
        std::string text = dra::StrCat(c.type, "=", c.status);
        if (!c.reason.empty() || !c.message.empty()) {
          dra::StrAppend(&text, " (", c.reason, c.reason.empty() || c.message.empty() ? "" : ": ",
                         c.message, ")");
        }
        d.conditions.push_back(std::move(text));
      }
    }
    report.devices.push_back(std::move(d));
  }
}

absl::StatusOr<std::vector<EventReport>> EventsOf(client::RestClient& client, const api::Pod& pod) {
  client::ListOptions options;
  options.field_selector =
      dra::StrCat("involvedObject.kind=Pod,involvedObject.name=", pod.metadata.name);
  DRA_ASSIGN_OR_RETURN(
      std::vector<api::Event> events,
      ListTyped<api::Event>(client, client::Events(), pod.metadata.namespace_, options));
  std::vector<EventReport> out;
  for (const api::Event& e : events) {
    if (!pod.metadata.uid.empty() && !e.involved_object.uid.empty() &&
        e.involved_object.uid != pod.metadata.uid) {
      continue;
    }
    EventReport r;
    r.type = e.type;
    r.reason = e.reason;
    r.message = e.message;
    r.source = !e.reporting_component.empty() ? e.reporting_component : e.source.component;
    r.count = e.series.has_value() ? e.series->count : std::max(e.count, 1);
    r.last_seen = !e.last_timestamp.empty() ? e.last_timestamp
                  : e.series.has_value()    ? e.series->last_observed_time
                                            : e.event_time;
    if (r.last_seen.empty()) r.last_seen = e.metadata.creation_timestamp;
    r.object = dra::StrCat("pod/", pod.metadata.name);
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const EventReport& a, const EventReport& b) {
    return a.last_seen < b.last_seen;
  });
  return out;
}

// The claim name a pod's resourceClaims entry resolves to; "" while it is not created yet,
// nullopt when no claim is needed.
std::optional<std::string> ClaimNameOf(const api::Pod& pod, const api::PodResourceClaim& pc) {
  if (pc.resource_claim_name.has_value()) return *pc.resource_claim_name;
  for (const api::PodResourceClaimStatus& s : pod.status.resource_claim_statuses) {
    if (s.name == pc.name) return s.resource_claim_name;
  }
  return std::string();
}

bool UsesClaim(const api::Pod& pod, const std::string& claim) {
  for (const api::PodResourceClaim& pc : pod.spec.resource_claims) {
    std::optional<std::string> name = ClaimNameOf(pod, pc);
    if (name.has_value() && *name == claim) return true;
  }
  return pod.status.extended_resource_claim_status.has_value() &&
         pod.status.extended_resource_claim_status->resource_claim_name == claim;
}

}  // namespace

absl::StatusOr<PendingExplanation> ExplainPending(const ClusterObjects& cluster,
                                                  const api::Pod* pod,
                                                  const std::vector<api::ResourceClaim>& pending,
                                                  const ExplainOptions& options) {
  PendingExplanation out;
  if (pod != nullptr) {
    VerdictsForPod(cluster, *pod, options, out);
  } else {
    DRA_RETURN_IF_ERROR(VerdictsForClaims(cluster, pending, options, out));
  }
  // Nodes where the allocation was tried and failed, else (fatal errors, or claims that fit)
  // every examined node, else the one that fits.
  std::vector<NodeInfo> nodes;
  std::map<std::string, NodeInfo> infos;
  for (const NodeInfo& n : NodesOf(cluster)) infos.emplace(n.name, n);
  for (const NodeVerdict& v : out.nodes) {
    if (!v.fits && v.reason == "cannot allocate all claims" && infos.contains(v.node)) {
      nodes.push_back(infos.at(v.node));
    }
  }
  if (nodes.empty() && out.fatal) {
    for (const auto& [name, info] : infos) {
      if (nodes.size() >= options.max_nodes) break;
      nodes.push_back(info);
    }
  }
  if (nodes.empty() && out.fits && infos.contains(out.node)) nodes.push_back(infos.at(out.node));

  std::set<std::string> keys;
  for (const api::ResourceClaim& c : pending) keys.insert(ClaimKey(c));
  Analyzer analyzer(cluster, keys);
  for (const api::ResourceClaim& claim : pending) {
    PendingClaim pc;
    pc.claim = ClaimKey(claim);
    for (const api::DeviceRequest& request : claim.spec.devices.requests) {
      for (const RequestSpec& spec : Flatten(request)) {
        RequestExplanation re;
        re.name = spec.name;
        re.all = spec.all;
        re.needed = spec.all ? 0 : spec.count;
        re.summary = spec.all ? dra::StrCat("all of class ", GoQuote(spec.device_class))
                              : dra::StrCat("exactly ", spec.count, " of class ",
                                            GoQuote(spec.device_class));
        if (spec.admin) dra::StrAppend(&re.summary, ", admin access");
        for (const NodeInfo& node : nodes) {
          re.nodes.push_back(analyzer.Analyze(spec, node, &pc.hints));
        }
        pc.requests.push_back(std::move(re));
      }
    }
    AnalyzeConstraints(claim, analyzer, pc);
    out.claims.push_back(std::move(pc));
  }
  return out;
}

absl::StatusOr<ClusterObjects> ReadCluster(client::RestClient& client) {
  ClusterObjects cluster;
  DRA_ASSIGN_OR_RETURN(cluster.nodes, ListTyped<api::Node>(client, client::Nodes(), ""));
  DRA_ASSIGN_OR_RETURN(cluster.slices,
                       ListTyped<api::ResourceSlice>(client, client::ResourceSlices(), ""));
  DRA_ASSIGN_OR_RETURN(cluster.classes,
                       ListTyped<api::DeviceClass>(client, client::DeviceClasses(), ""));
  DRA_ASSIGN_OR_RETURN(cluster.claims,
                       ListTyped<api::ResourceClaim>(client, client::ResourceClaims(), ""));
  return cluster;
}

absl::StatusOr<Report> Explain(client::RestClient& client, Report::Kind kind, std::string_view ns,
                               std::string_view name, const ExplainOptions& options) {
  Report report;
  report.kind = kind;
  report.ns = std::string(ns);
  report.name = std::string(name);
  std::optional<api::Pod> pod;
  std::optional<api::ResourceClaim> asked;
  if (kind == Report::Kind::kPod) {
    DRA_ASSIGN_OR_RETURN(pod, GetTyped<api::Pod>(client, client::Pods(), ns, name));
  } else {
    DRA_ASSIGN_OR_RETURN(asked,
                         GetTyped<api::ResourceClaim>(client, client::ResourceClaims(), ns, name));
  }
  DRA_ASSIGN_OR_RETURN(ClusterObjects cluster, ReadCluster(client));
  auto find_claim = [&](const std::string& claim) -> const api::ResourceClaim* {
    for (const api::ResourceClaim& c : cluster.claims) {
      if (c.metadata.namespace_ == ns && c.metadata.name == claim) return &c;
    }
    return nullptr;
  };

  std::vector<api::ResourceClaim> pending;
  if (pod.has_value()) {
    report.phase = pod->status.phase;
    report.node = pod->spec.node_name;
    for (const api::PodCondition& c : pod->status.conditions) {
      if (c.type != "PodScheduled") continue;
      report.scheduled_status = c.status;
      report.scheduled_reason = c.reason;
      report.scheduled_message = c.message;
    }
    std::vector<std::pair<std::string, std::string>> refs;  // claim name, source
    for (const api::PodResourceClaim& pc : pod->spec.resource_claims) {
      std::optional<std::string> claim = ClaimNameOf(*pod, pc);
      std::string source = pc.resource_claim_name.has_value()
                               ? dra::StrCat("pod claim ", GoQuote(pc.name))
                               : dra::StrCat("pod claim ", GoQuote(pc.name), ", from template ",
                                             GoQuote(pc.resource_claim_template_name.value_or("")));
      if (!claim.has_value()) continue;
      refs.emplace_back(*claim, std::move(source));
    }
    if (pod->status.extended_resource_claim_status.has_value() &&
        !pod->status.extended_resource_claim_status->resource_claim_name.empty()) {
      refs.emplace_back(pod->status.extended_resource_claim_status->resource_claim_name,
                        "extended resources");
    }
    std::vector<api::Pod> consumers = {*pod};
    for (const auto& [claim_name, source] : refs) {
      ClaimReport cr;
      cr.ns = std::string(ns);
      cr.name = claim_name;
      cr.source = source;
      if (claim_name.empty()) {
        cr.problem = "not created from its template yet";
        report.claims.push_back(std::move(cr));
        continue;
      }
      const api::ResourceClaim* claim = find_claim(claim_name);
      if (claim == nullptr) {
        cr.problem = dra::StrCat("resourceclaim ", GoQuote(claim_name), " not found");
        report.claims.push_back(std::move(cr));
        continue;
      }
      DescribeClaim(*claim, cluster, consumers, cr);
      if (!claim->status.allocation.has_value()) pending.push_back(*claim);
      report.claims.push_back(std::move(cr));
    }
    DRA_ASSIGN_OR_RETURN(report.events, EventsOf(client, *pod));
    bool done = pod->status.phase == "Running" || pod->status.phase == "Succeeded";
    report.satisfied = done;
    if (!done && (pod->spec.node_name.empty() || !pending.empty()) &&
        !pod->metadata.deletion_timestamp.has_value()) {
      DRA_ASSIGN_OR_RETURN(report.pending, ExplainPending(cluster, &*pod, pending, options));
    }
    if (pod->metadata.deletion_timestamp.has_value()) {
      report.summary = "Terminating";
    } else if (done) {
      report.summary = dra::StrCat(pod->status.phase, " on node ", GoQuote(pod->spec.node_name));
    } else if (pod->status.phase == "Failed") {
      report.summary =
          dra::StrCat("Failed", pod->status.reason.empty() ? "" : ": ", pod->status.reason);
    } else if (pod->spec.node_name.empty()) {
      report.summary = "Pending: not scheduled";
    } else {
      bool failing = std::any_of(report.events.begin(), report.events.end(),
                                 [](const EventReport& e) { return e.type == "Warning"; });
      report.summary = dra::StrCat("Pending: scheduled to node ", GoQuote(pod->spec.node_name),
                                   failing ? ", its containers are not started (see the events)"
                                           : ", its containers are not started yet");
    }
    return report;
  }

  // A claim.
  ClaimReport cr;
  std::vector<api::Pod> consumers;
  for (const api::ResourceClaimConsumerReference& r : asked->status.reserved_for) {
    if (r.resource != "pods") continue;
    absl::StatusOr<api::Pod> p = GetTyped<api::Pod>(client, client::Pods(), ns, r.name);
    if (p.ok()) consumers.push_back(*std::move(p));
  }
  DescribeClaim(*asked, cluster, consumers, cr);
  report.claims.push_back(std::move(cr));
  for (const api::Pod& p : consumers) {
    DRA_ASSIGN_OR_RETURN(std::vector<EventReport> events, EventsOf(client, p));
    report.events.insert(report.events.end(), events.begin(), events.end());
  }
  report.satisfied = asked->status.allocation.has_value();
  if (report.satisfied) {
    report.summary = "allocated";
    return report;
  }
  // Explained through a pod that waits for it, when there is one.
  DRA_ASSIGN_OR_RETURN(std::vector<api::Pod> pods, ListTyped<api::Pod>(client, client::Pods(), ns));
  const api::Pod* waiting = nullptr;
  for (const api::Pod& p : pods) {
    if (p.spec.node_name.empty() && !p.metadata.deletion_timestamp.has_value() &&
        UsesClaim(p, asked->metadata.name)) {
      waiting = &p;
      break;
    }
  }
  std::vector<api::ResourceClaim> claims;
  if (waiting != nullptr) {
    for (const api::PodResourceClaim& pc : waiting->spec.resource_claims) {
      std::optional<std::string> claim = ClaimNameOf(*waiting, pc);
      if (!claim.has_value() || claim->empty()) continue;
      const api::ResourceClaim* c = find_claim(*claim);
      if (c != nullptr && !c->status.allocation.has_value()) claims.push_back(*c);
    }
    DRA_ASSIGN_OR_RETURN(std::vector<EventReport> events, EventsOf(client, *waiting));
    report.events.insert(report.events.end(), events.begin(), events.end());
    report.summary =
        dra::StrCat("not allocated; pod ", GoQuote(waiting->metadata.name), " waits for it");
  } else {
    claims.push_back(*asked);
    report.summary = "not allocated; no pod waits for it";
  }
  DRA_ASSIGN_OR_RETURN(report.pending, ExplainPending(cluster, waiting, claims, options));
  return report;
}

}  // namespace dra::scheduler
