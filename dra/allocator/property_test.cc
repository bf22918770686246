// Randomized property test of the allocator: random pools (several drivers, pools and nodes,
// random attributes, shared counters and counter consumption, multi-allocatable devices with
// capacity and request policies, taints), a random allocated state and random claims
// (exactly/firstAvailable, counts, All mode, CEL selectors over the random attributes,
// matchAttribute/distinctAttribute, capacity requests, tolerations). For every seed of a fixed
// set, Allocate must not crash and must be deterministic; a result must
//   - have one AllocationResult per claim and, per request, the requested number of devices
//     of exactly one subrequest (All: every selectable device of the node);
//   - only use devices visible to the node that satisfy their class and request selectors
//     (evaluated here independently with cel::CompiledExpression and cel::DeviceBinding) and
//     whose NoSchedule/NoExecute taints are tolerated;
//   - never give a device twice exclusively (across claims and the allocated state);
//   - never exceed a shared counter or a device capacity;
//   - satisfy matchAttribute and distinctAttribute constraints.
// A Status is accepted only for inputs that warrant one (a selector that fails at run time on a
// device of the node, All over an incomplete pool, All with a constraint that cannot hold, more
// than 32 devices). A failure prints its seed and the input as YAML; DRA_PROPERTY_SEED=N runs
// seed N alone and prints its input and outcome.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "dra/allocator/allocator.h"
#include "dra/api/codec/reflect.h"
#include "dra/api/codec/yaml.h"
#include "dra/api/resource_types.h"
#include "dra/base/quantity.h"
#include "dra/base/strings.h"
#include "dra/cel/device.h"
#include "dra/cel/selector.h"
#include "gtest/gtest.h"

namespace dra::allocator {
namespace {

constexpr int kNumSeeds = 1000;
constexpr std::string_view kCommonDomain = "common.example.com";
const std::vector<std::string> kDrivers = {"a.example.com", "b.example.com", "c.example.com"};
const std::vector<std::string> kNodes = {"node-0", "node-1", "node-2"};

Quantity Q(std::string_view text) { return *Quantity::Parse(text); }

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  // Uniform in [lo, hi].
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(gen_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

 private:
  std::mt19937_64 gen_;
};

struct Case {
  Snapshot snapshot;
  NodeInfo node;
  std::vector<api::ResourceClaim> claims;
};

api::DeviceAttribute StringAttr(std::string s) {
  api::DeviceAttribute a;
  a.string_ = std::move(s);
  return a;
}
api::DeviceAttribute IntAttr(int64_t i) {
  api::DeviceAttribute a;
  a.int_ = i;
  return a;
}

api::Device RandomDevice(Rng& rng, const std::string& name, bool pool_has_counters) {
  api::Device d;
  d.name = name;
  if (rng.Chance(0.8)) d.attributes["model"] = StringAttr(rng.Pick<std::string>({"a", "b", "c"}));
  if (rng.Chance(0.8)) {
    // Now and then a string where other devices have an int: constraints and selectors over
    // mixed types must not crash.
    d.attributes["numa"] = rng.Chance(0.05) ? StringAttr("1") : IntAttr(rng.Int(0, 2));
  }
  if (rng.Chance(0.7)) {
    api::DeviceAttribute v;
    v.version = rng.Pick<std::string>({"1.0.0", "1.2.3", "2.0.0"});
    d.attributes["version"] = v;
  }
  if (rng.Chance(0.8)) {
    d.attributes[StrCat(kCommonDomain, "/zone")] = StringAttr(rng.Pick<std::string>({"z1", "z2"}));
  }
  if (rng.Chance(0.7)) {
    api::DeviceCapacity cap{Q(rng.Pick<std::string>({"1Gi", "2Gi", "4Gi", "8Gi"})), std::nullopt};
    if (rng.Chance(0.25)) {
      d.allow_multiple_allocations = true;
      switch (rng.Int(0, 3)) {
        case 0:
          break;
        case 1:
          cap.request_policy.emplace();
          cap.request_policy->default_ = Q("1Gi");
          break;
        case 2:
          cap.request_policy.emplace();
          cap.request_policy->default_ = Q("1Gi");
          cap.request_policy->valid_values = {Q("1Gi"), Q("2Gi"), Q("4Gi")};
          break;
        default:
          cap.request_policy.emplace();
          cap.request_policy->default_ = Q("1Gi");
          cap.request_policy->valid_range =
              api::CapacityRequestPolicyRange{Q("1Gi"), std::nullopt, Q("1Gi")};
          break;
      }
    }
    d.capacity["memory"] = cap;
  }
  if (pool_has_counters && rng.Chance(0.6)) {
    api::DeviceCounterConsumption c;
    c.counter_set = "set-0";
    c.counters["mem"] = api::Counter{Q(rng.Pick<std::string>({"2Gi", "4Gi", "6Gi"}))};
    if (rng.Chance(0.5)) c.counters["slots"] = api::Counter{Q("1")};
    d.consumes_counters.push_back(std::move(c));
    if (rng.Chance(0.3)) {
      d.consumes_counters.push_back(
          api::DeviceCounterConsumption{"set-1", {{"engines", api::Counter{Q("1")}}}});
    }
  }
  if (rng.Chance(0.1)) {
    d.taints.push_back(api::DeviceTaint{
        "k", "v", rng.Pick<std::string>({"NoSchedule", "NoExecute", "None"}), std::nullopt});
  }
  return d;
}

// Pools of every driver, on random nodes (half of them on `node`) or on all nodes.
void AddPools(Rng& rng, const std::string& node_for_claims,
              std::vector<api::ResourceSlice>& slices) {
  for (const std::string& driver : kDrivers) {
    const int num_pools = rng.Int(0, 3);
    for (int p = 0; p < num_pools; ++p) {
      const std::string pool = StrCat("pool-", p);
      const bool all_nodes = rng.Chance(0.25);
      const std::string node = rng.Chance(0.5) ? node_for_claims : rng.Pick(kNodes);
      const bool has_counters = rng.Chance(0.4);
      const int num_device_slices = rng.Int(1, 2);
      const int64_t count = num_device_slices + (has_counters ? 1 : 0) + (rng.Chance(0.05) ? 1 : 0);
      auto new_slice = [&](std::string name) {
        api::ResourceSlice s;
        s.metadata.name = StrCat(driver, "-", pool, "-", name);
        s.spec.driver = driver;
        s.spec.pool = api::ResourcePool{pool, 1, count};
        if (all_nodes) {
          s.spec.all_nodes = true;
        } else {
          s.spec.node_name = node;
        }
        return s;
      };
      if (has_counters) {
        api::ResourceSlice s = new_slice("counters");
        s.spec.shared_counters.push_back(api::CounterSet{
            "set-0",
            {{"mem", api::Counter{Q(rng.Pick<std::string>({"6Gi", "8Gi", "12Gi"}))}},
             {"slots", api::Counter{Q(StrCat(rng.Int(1, 3)))}}}});
        s.spec.shared_counters.push_back(
            api::CounterSet{"set-1", {{"engines", api::Counter{Q("2")}}}});
        slices.push_back(std::move(s));
      }
      int device_number = 0;
      for (int i = 0; i < num_device_slices; ++i) {
        api::ResourceSlice s = new_slice(StrCat("s", i));
        const int n = rng.Int(0, 6);
        for (int k = 0; k < n; ++k) {
          s.spec.devices.push_back(
              RandomDevice(rng, StrCat("dev-", device_number++), has_counters));
        }
        slices.push_back(std::move(s));
      }
    }
  }
}

AllocatedState RandomAllocated(Rng& rng, const std::vector<api::ResourceSlice>& slices) {
  AllocatedState state;
  for (const api::ResourceSlice& s : slices) {
    for (const api::Device& d : s.spec.devices) {
      if (!rng.Chance(0.15)) continue;
      DeviceRef ref{s.spec.driver, s.spec.pool.name, d.name};
      if (!d.allow_multiple_allocations.value_or(false)) {
        state.exclusive.push_back(ref);
        continue;
      }
      state.shares.push_back(AllocatedState::Share{ref, NewShareId()});
      state.consumed.push_back(AllocatedState::Consumed{ref, {{"memory", Q("1Gi")}}});
    }
  }
  return state;
}

std::vector<api::DeviceClass> Classes() {
  auto make = [](std::string name, std::vector<std::string> exprs) {
    api::DeviceClass c;
    c.metadata.name = std::move(name);
    for (std::string& e : exprs) {
      c.spec.selectors.push_back(api::DeviceSelector{api::CELDeviceSelector{std::move(e)}});
    }
    return c;
  };
  std::vector<api::DeviceClass> classes = {
      make("any", {}),
      make("not-c", {"\"model\" in device.attributes[device.driver] && "
                     "device.attributes[device.driver].model != \"c\""}),
      make("big", {"\"memory\" in device.capacity[device.driver]",
                   "device.capacity[device.driver].memory.compareTo(quantity(\"2Gi\")) >= 0"}),
  };
  for (const std::string& driver : kDrivers) {
    classes.push_back(make(StrCat("drv-", driver), {StrCat("device.driver == \"", driver, "\"")}));
  }
  return classes;
}

const std::vector<std::string>& RequestSelectors() {
  static const std::vector<std::string> selectors = {
      "\"model\" in device.attributes[device.driver] && "
      "device.attributes[device.driver].model == \"b\"",
      "\"numa\" in device.attributes[device.driver] && device.attributes[device.driver].numa >= 1",
      "\"version\" in device.attributes[device.driver] && "
      "device.attributes[device.driver].version.isGreaterThan(semver(\"1.1.0\"))",
      "device.driver != \"b.example.com\"",
      "!device.allowMultipleAllocations",
      // Fails at run time on devices without a zone: a fatal error when reached.
      "device.attributes[\"common.example.com\"].zone == \"z1\"",
  };
  return selectors;
}

template <typename R>
void FillRequest(Rng& rng, const std::vector<api::DeviceClass>& classes, R& r) {
  r.device_class_name = rng.Pick(classes).metadata.name;
  const int num_selectors = rng.Chance(0.6) ? 0 : rng.Int(1, 2);
  for (int i = 0; i < num_selectors; ++i) {
    const std::string& sel = RequestSelectors()[static_cast<size_t>(
        rng.Int(0, static_cast<int>(RequestSelectors().size()) - (rng.Chance(0.85) ? 2 : 1)))];
    r.selectors.push_back(api::DeviceSelector{api::CELDeviceSelector{sel}});
  }
  if (rng.Chance(0.08)) {
    r.allocation_mode = std::string(api::kDeviceAllocationModeAll);
  } else {
    r.allocation_mode = std::string(api::kDeviceAllocationModeExactCount);
    r.count = rng.Chance(0.7) ? 1 : rng.Int(2, 3);
  }
  if (rng.Chance(0.2)) {
    r.tolerations.push_back(api::DeviceToleration{"k", "Exists", "", "", std::nullopt});
  }
  if (rng.Chance(0.2)) {
    r.capacity.emplace();
    r.capacity->requests["memory"] = Q(rng.Pick<std::string>({"512Mi", "1Gi", "2Gi", "3Gi"}));
  }
}

std::vector<api::ResourceClaim> RandomClaims(Rng& rng,
                                             const std::vector<api::DeviceClass>& classes) {
  std::vector<api::ResourceClaim> claims;
  const int num_claims = rng.Chance(0.5) ? 1 : rng.Int(2, 3);
  for (int ci = 0; ci < num_claims; ++ci) {
    api::ResourceClaim claim;
    claim.metadata.name = StrCat("claim-", ci);
    claim.metadata.namespace_ = "default";
    const int num_requests = rng.Chance(0.5) ? 1 : rng.Int(2, 3);
    std::vector<std::string> names;
    for (int ri = 0; ri < num_requests; ++ri) {
      api::DeviceRequest req;
      req.name = StrCat("req-", ri);
      names.push_back(req.name);
      if (rng.Chance(0.75)) {
        req.exactly.emplace();
        FillRequest(rng, classes, *req.exactly);
      } else {
        const int num_subs = rng.Int(1, 3);
        for (int si = 0; si < num_subs; ++si) {
          api::DeviceSubRequest sub;
          sub.name = StrCat("sub-", si);
          FillRequest(rng, classes, sub);
          req.first_available.push_back(std::move(sub));
        }
      }
      claim.spec.devices.requests.push_back(std::move(req));
    }
    const int num_constraints = rng.Chance(0.7) ? 0 : rng.Int(1, 2);
    for (int k = 0; k < num_constraints; ++k) {
      api::DeviceConstraint con;
      const std::string attr =
          rng.Pick<std::string>({StrCat(kCommonDomain, "/zone"), "a.example.com/numa",
                                 "a.example.com/model", "b.example.com/model"});
      if (rng.Chance(0.6)) {
        con.match_attribute = attr;
      } else {
        con.distinct_attribute = attr;
      }
      if (rng.Chance(0.5)) {
        for (const std::string& n : names) {
          if (rng.Chance(0.6)) con.requests.push_back(n);
        }
      }
      claim.spec.devices.constraints.push_back(std::move(con));
    }
    claims.push_back(std::move(claim));
  }
  return claims;
}

Case RandomCase(uint64_t seed) {
  Rng rng(seed);
  Case c;
  c.snapshot.classes = Classes();
  c.node = NodeInfo{rng.Pick(kNodes), {}};
  AddPools(rng, c.node.name, c.snapshot.slices);
  c.snapshot.allocated = RandomAllocated(rng, c.snapshot.slices);
  c.claims = RandomClaims(rng, c.snapshot.classes);
  return c;
}

std::string DumpCase(const Case& c) {
  std::vector<api::Value> docs;
  for (const api::DeviceClass& x : c.snapshot.classes) docs.push_back(api::EncodeValue(x));
  for (const api::ResourceSlice& x : c.snapshot.slices) docs.push_back(api::EncodeValue(x));
  for (const api::ResourceClaim& x : c.claims) docs.push_back(api::EncodeValue(x));
  std::string out = StrCat("# node: ", c.node.name, "\n# allocated exclusively:");
  for (const DeviceRef& r : c.snapshot.allocated.exclusive) {
    StrAppend(&out, " ", r.driver, "/", r.pool, "/", r.device);
  }
  StrAppend(&out, "\n# shared (1Gi memory each):");
  for (const AllocatedState::Share& s : c.snapshot.allocated.shares) {
    StrAppend(&out, " ", s.device.driver, "/", s.device.pool, "/", s.device.device);
  }
  StrAppend(&out, "\n", api::WriteYamlDocuments(docs));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Independent checking.

using Key = std::tuple<std::string, std::string, std::string>;  // driver, pool, device

struct DeviceInfo {
  const api::ResourceSlice* slice;
  const api::Device* device;
  std::optional<cel::DeviceBinding> binding;
};

class Checker {
 public:
  explicit Checker(const Case& c) : c_(c) {
    std::map<std::pair<std::string, std::string>, int> slices_seen;
    for (const api::ResourceSlice& s : c.snapshot.slices) {
      slices_seen[{s.spec.driver, s.spec.pool.name}]++;
    }
    for (const api::ResourceSlice& s : c.snapshot.slices) {
      const bool complete =
          slices_seen[{s.spec.driver, s.spec.pool.name}] == s.spec.pool.resource_slice_count;
      // Slices with shared counters belong to every node's view, as upstream gathers them.
      const bool has_counters = !s.spec.shared_counters.empty();
      const bool visible = s.spec.all_nodes.value_or(false) || s.spec.node_name == c.node.name;
      if ((visible || has_counters) && !complete) incomplete_visible_ = true;
      for (const api::CounterSet& set : s.spec.shared_counters) {
        for (const auto& [name, counter] : set.counters) {
          counter_totals_[{s.spec.driver, s.spec.pool.name, set.name, name}] = counter.value;
        }
      }
      if (!visible) continue;
      for (const api::Device& d : s.spec.devices) {
        DeviceInfo info{&s, &d, std::nullopt};
        absl::StatusOr<cel::DeviceBinding> b = cel::DeviceBinding::Create(s.spec.driver, d);
        if (b.ok()) info.binding = *std::move(b);
        Key key{s.spec.driver, s.spec.pool.name, d.name};
        devices_[key] = std::move(info);
        if (complete) complete_order_.push_back(key);
      }
    }
    for (const api::DeviceClass& cls : c.snapshot.classes) {
      classes_[cls.metadata.name] = &cls;
    }
  }

  // Evaluates `selectors` on the device: true/false, or nullopt for a runtime error.
  std::optional<bool> Matches(const std::vector<api::DeviceSelector>& selectors,
                              const DeviceInfo& d) {
    for (const api::DeviceSelector& sel : selectors) {
      absl::StatusOr<std::shared_ptr<const cel::CompiledExpression>> expr =
          cache_.GetOrCompile(sel.cel->expression);
      if (!expr.ok() || !d.binding.has_value()) return std::nullopt;
      absl::StatusOr<bool> m = (*expr)->Matches(*d.binding);
      if (!m.ok()) return std::nullopt;
      if (!*m) return false;
    }
    return true;
  }

  // Class then request selectors, as the allocator applies them.
  std::optional<bool> Selectable(const std::string& class_name,
                                 const std::vector<api::DeviceSelector>& selectors,
                                 const DeviceInfo& d) {
    std::optional<bool> m = Matches(classes_.at(class_name)->spec.selectors, d);
    if (!m.has_value() || !*m) return m;
    return Matches(selectors, d);
  }

  // Whether some selector of the claims fails at run time on some device of the node.
  bool AnySelectorError() {
    for (const api::ResourceClaim& claim : c_.claims) {
      for (const api::DeviceRequest& req : claim.spec.devices.requests) {
        auto check = [&](const std::string& cls, const std::vector<api::DeviceSelector>& sels) {
          for (const auto& [key, d] : devices_) {
            if (!Matches(classes_.at(cls)->spec.selectors, d).has_value()) return true;
            if (!Matches(sels, d).has_value()) return true;
          }
          return false;
        };
        if (req.exactly.has_value() &&
            check(req.exactly->device_class_name, req.exactly->selectors)) {
          return true;
        }
        for (const api::DeviceSubRequest& sub : req.first_available) {
          if (check(sub.device_class_name, sub.selectors)) return true;
        }
      }
    }
    return false;
  }

  bool HasAllRequest(bool with_constraints_only) const {
    for (const api::ResourceClaim& claim : c_.claims) {
      if (with_constraints_only && claim.spec.devices.constraints.empty()) continue;
      for (const api::DeviceRequest& req : claim.spec.devices.requests) {
        if (req.exactly.has_value() &&
            req.exactly->allocation_mode == api::kDeviceAllocationModeAll) {
          return true;
        }
        for (const api::DeviceSubRequest& sub : req.first_available) {
          if (sub.allocation_mode == api::kDeviceAllocationModeAll) return true;
        }
      }
    }
    return false;
  }

  // Empty when the error is warranted, else why not.
  std::string CheckError(const absl::Status& st) {
    const std::string msg(st.message());
    if (StrContains(msg, "CEL runtime error")) {
      return AnySelectorError() ? "" : "CEL runtime error but no selector fails on any device";
    }
    if (StrContains(msg, "asks for all devices, but resource pool")) {
      return HasAllRequest(false) && incomplete_visible_ ? "" : "no All request or no bad pool";
    }
    if (StrContains(msg, "because a claim constraint would not be satisfied")) {
      return HasAllRequest(true) ? "" : "constraint error without an All request";
    }
    if (StrContains(msg, "exceeds the claim limit")) return "";
    return "unexpected error";
  }

  // Empty when the allocation satisfies every property, else the first violation.
  std::string CheckAllocation(const AllocationOutcome& out) {
    if (out.results.size() != c_.claims.size()) return "wrong number of results";
    std::set<Key> exclusive;
    std::set<Key> in_use_before;
    for (const DeviceRef& r : c_.snapshot.allocated.exclusive) {
      exclusive.insert({r.driver, r.pool, r.device});
      in_use_before.insert({r.driver, r.pool, r.device});
    }
    std::map<Key, std::map<std::string, Quantity>> consumed;
    for (const AllocatedState::Share& s : c_.snapshot.allocated.shares) {
      in_use_before.insert({s.device.driver, s.device.pool, s.device.device});
    }
    for (const AllocatedState::Consumed& s : c_.snapshot.allocated.consumed) {
      for (const auto& [name, q] : s.capacity) {
        Quantity& sum = consumed[{s.device.driver, s.device.pool, s.device.device}][name];
        sum = sum.Add(q);
      }
    }
    std::set<Key> newly_used;
    std::set<std::string> share_ids;
    std::map<Key, std::set<std::string>> new_capacity;  // capacity names consumed anew

    for (size_t ci = 0; ci < c_.claims.size(); ++ci) {
      const api::ResourceClaim& claim = c_.claims[ci];
      const std::vector<api::DeviceRequestAllocationResult>& results =
          out.results[ci].devices.results;
      const std::string where = StrCat("claim ", claim.metadata.name, ": ");
      if (results.size() > 32) return where + "more than 32 results";
      size_t matched = 0;
      for (const api::DeviceRequest& req : claim.spec.devices.requests) {
        // The results of this request and the subrequest they are for.
        std::vector<const api::DeviceRequestAllocationResult*> mine;
        std::set<std::string> names;
        for (const api::DeviceRequestAllocationResult& r : results) {
          if (r.request == req.name || r.request.starts_with(req.name + "/")) {
            mine.push_back(&r);
            names.insert(r.request);
          }
        }
        matched += mine.size();
        if (names.size() != 1) return StrCat(where, "request ", req.name, ": no or mixed results");
        const std::string& class_name =
            req.exactly.has_value() ? req.exactly->device_class_name : std::string();
        const std::vector<api::DeviceSelector>* selectors = nullptr;
        const std::vector<api::DeviceToleration>* tolerations = nullptr;
        const std::optional<api::CapacityRequirements>* capacity = nullptr;
        std::string cls = class_name;
        std::string mode;
        int64_t count = 0;
        if (req.exactly.has_value()) {
          if (*names.begin() != req.name) return where + "subrequest result for exactly";
          selectors = &req.exactly->selectors;
          tolerations = &req.exactly->tolerations;
          capacity = &req.exactly->capacity;
          mode = req.exactly->allocation_mode;
          count = req.exactly->count;
        } else {
          const api::DeviceSubRequest* sub = nullptr;
          for (const api::DeviceSubRequest& s : req.first_available) {
            if (*names.begin() == StrCat(req.name, "/", s.name)) sub = &s;
          }
          if (sub == nullptr) return StrCat(where, "unknown subrequest ", *names.begin());
          cls = sub->device_class_name;
          selectors = &sub->selectors;
          tolerations = &sub->tolerations;
          capacity = &sub->capacity;
          mode = sub->allocation_mode;
          count = sub->count;
        }
        if (mode == api::kDeviceAllocationModeAll) {
          if (!capacity->has_value()) {
            // Every selectable device of the node, none of them left out.
            size_t want = 0;
            for (const Key& k : complete_order_) {
              if (Selectable(cls, *selectors, devices_.at(k)).value_or(false)) ++want;
            }
            if (mine.size() != want) {
              return StrCat(where, *names.begin(), ": All gave ", mine.size(), " devices, ", want,
                            " are selectable");
            }
          }
        } else if (static_cast<int64_t>(mine.size()) != count) {
          return StrCat(where, *names.begin(), ": ", mine.size(), " devices for count ", count);
        }
        for (const api::DeviceRequestAllocationResult* r : mine) {
          const Key key{r->driver, r->pool, r->device};
          const std::string dev =
              StrCat(where, r->request, ": ", r->driver, "/", r->pool, "/", r->device, ": ");
          auto it = devices_.find(key);
          if (it == devices_.end()) return dev + "not a device of the node";
          const DeviceInfo& d = it->second;
          std::optional<bool> sel = Selectable(cls, *selectors, d);
          if (!sel.value_or(false)) return dev + "does not satisfy its selectors";
          for (const api::DeviceTaint& t : d.device->taints) {
            if (t.effect == "None") continue;
            bool tolerated = false;
            for (const api::DeviceToleration& tol : *tolerations) {
              if (tol.key == t.key && tol.operator_ == "Exists") tolerated = true;
            }
            if (!tolerated) return dev + "untolerated taint";
          }
          const bool multi = d.device->allow_multiple_allocations.value_or(false);
          if (!multi) {
            if (r->share_id.has_value()) return dev + "share ID on an exclusive device";
            if (!exclusive.insert(key).second) return dev + "allocated twice";
          } else {
            if (!r->share_id.has_value()) return dev + "no share ID on a shared device";
            if (!share_ids.insert(*r->share_id).second) return dev + "share ID used twice";
            for (const auto& [name, q] : r->consumed_capacity) {
              auto cap = d.device->capacity.find(name);
              if (cap == d.device->capacity.end()) return dev + "consumes unknown capacity";
              Quantity& sum = consumed[key][name];
              sum = sum.Add(q);
              if (q.Sign() > 0) new_capacity[key].insert(name);
            }
          }
          if (capacity->has_value()) {
            for (const auto& [name, q] : (*capacity)->requests) {
              auto cap = d.device->capacity.find(name);
              if (cap == d.device->capacity.end()) return dev + "lacks requested capacity";
              if (cap->second.value.Compare(q) < 0) return dev + "capacity below request";
              if (multi) {
                auto c = r->consumed_capacity.find(name);
                if (c == r->consumed_capacity.end() || c->second.Compare(q) < 0) {
                  return dev + "consumes less than requested";
                }
              }
            }
          }
          if (!in_use_before.contains(key)) newly_used.insert(key);
        }
      }
      if (matched != results.size()) return where + "results for unknown requests";
      std::string con = CheckConstraints(claim, results);
      if (!con.empty()) return where + con;
    }

    // Capacity: wherever this allocation consumes some, the sum stays within the device's.
    for (const auto& [key, names] : new_capacity) {
      const api::Device& dev = *devices_.at(key).device;
      for (const std::string& name : names) {
        if (consumed[key][name].Compare(dev.capacity.at(name).value) > 0) {
          return StrCat("capacity ", name, " of ", std::get<2>(key), " exceeded");
        }
      }
    }
    // Counters: every device in use consumes once; wherever this allocation adds consumption,
    // the total stays within the counter set.
    std::map<std::tuple<std::string, std::string, std::string, std::string>, Quantity> used;
    std::set<std::tuple<std::string, std::string, std::string, std::string>> touched;
    std::set<Key> all_used = in_use_before;
    all_used.insert(newly_used.begin(), newly_used.end());
    for (const Key& key : all_used) {
      auto it = devices_.find(key);
      if (it == devices_.end()) continue;
      for (const api::DeviceCounterConsumption& c : it->second.device->consumes_counters) {
        for (const auto& [name, counter] : c.counters) {
          auto ck = std::make_tuple(std::get<0>(key), std::get<1>(key), c.counter_set, name);
          used[ck] = used[ck].Add(counter.value);
          if (newly_used.contains(key) && counter.value.Sign() > 0) touched.insert(ck);
        }
      }
    }
    for (const auto& ck : touched) {
      auto total = counter_totals_.find(ck);
      if (total == counter_totals_.end()) return "consumes an unknown counter";
      if (used[ck].Compare(total->second) > 0) {
        return StrCat("counter ", std::get<0>(ck), "/", std::get<1>(ck), "/", std::get<2>(ck), "/",
                      std::get<3>(ck), " exceeded: ", used[ck].ToString(), " > ",
                      total->second.ToString());
      }
    }
    return "";
  }

 private:
  static const api::DeviceAttribute* Lookup(const api::ResourceSlice& slice,
                                            const api::Device& device, const std::string& name) {
    if (auto it = device.attributes.find(name); it != device.attributes.end()) return &it->second;
    const size_t slash = name.find('/');
    if (slash != std::string::npos && name.substr(0, slash) == slice.spec.driver) {
      if (auto it = device.attributes.find(name.substr(slash + 1)); it != device.attributes.end()) {
        return &it->second;
      }
    }
    return nullptr;
  }

  std::string CheckConstraints(const api::ResourceClaim& claim,
                               const std::vector<api::DeviceRequestAllocationResult>& results) {
    for (const api::DeviceConstraint& con : claim.spec.devices.constraints) {
      const std::string& attr =
          con.match_attribute.has_value() ? *con.match_attribute : *con.distinct_attribute;
      std::vector<const api::DeviceAttribute*> values;
      std::map<std::string, int> per_request;
      for (const api::DeviceRequestAllocationResult& r : results) {
        const std::string base = r.request.substr(0, r.request.find('/'));
        if (!con.requests.empty() &&
            std::find(con.requests.begin(), con.requests.end(), base) == con.requests.end()) {
          continue;
        }
        const DeviceInfo& d = devices_.at({r.driver, r.pool, r.device});
        const api::DeviceAttribute* a = Lookup(*d.slice, *d.device, attr);
        if (a == nullptr) return StrCat(r.device, " lacks constrained attribute ", attr);
        values.push_back(a);
        per_request[base]++;
      }
      if (con.match_attribute.has_value()) {
        for (const api::DeviceAttribute* a : values) {
          if (!(*a == *values[0])) return StrCat("matchAttribute ", attr, " violated");
        }
      } else {
        // Upstream's distinctAttribute keeps one value per request, so only when every
        // constrained request has one device are all values pairwise distinct.
        bool one_each = true;
        for (const auto& [unused, n] : per_request) one_each = one_each && n == 1;
        if (!one_each) continue;
        for (size_t i = 0; i < values.size(); ++i) {
          for (size_t j = i + 1; j < values.size(); ++j) {
            if (*values[i] == *values[j]) return StrCat("distinctAttribute ", attr, " violated");
          }
        }
      }
    }
    return "";
  }

  const Case& c_;
  std::map<Key, DeviceInfo> devices_;
  std::vector<Key> complete_order_;  // devices of complete pools visible to the node
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Quantity>
      counter_totals_;
  std::map<std::string, const api::DeviceClass*> classes_;
  cel::ExpressionCache cache_;
  bool incomplete_visible_ = false;
};

// The outcome without share IDs (random per call), for comparing two calls.
std::string OutcomeShape(const absl::StatusOr<AllocationOutcome>& out) {
  if (!out.ok()) return StrCat("error: ", out.status().message());
  std::string shape = StrCat("kind ", static_cast<int>(out->kind));
  for (const api::AllocationResult& r : out->results) {
    for (const api::DeviceRequestAllocationResult& d : r.devices.results) {
      StrAppend(&shape, " ", d.request, "=", d.driver, "/", d.pool, "/", d.device,
                d.share_id.has_value() ? "(shared)" : "");
    }
  }
  return shape;
}

bool SameIndex(const allocator_internal::AllocatedIndex& a,
               const allocator_internal::AllocatedIndex& b) {
  return a.exclusive == b.exclusive && a.any == b.any && a.consuming_share == b.consuming_share &&
         a.aggregated == b.aggregated;
}

// An Allocator built without the allocated state and given it incrementally
// (AllocateOptions::allocated) decides as one built with it; removing an allocation undoes
// adding it.
std::string CheckIncremental(const Case& c, const absl::StatusOr<AllocationOutcome>& expected) {
  Snapshot bare = c.snapshot;
  bare.allocated = AllocatedState();
  absl::StatusOr<std::unique_ptr<const Allocator>> allocator = Allocator::Create(bare);
  if (!allocator.ok()) return "incremental: Create failed";
  AllocatedDevices devices = (*allocator)->NewAllocatedDevices();
  devices.Add(c.snapshot.allocated);
  AllocateOptions options;
  options.allocated = &devices;
  absl::StatusOr<AllocationOutcome> out = (*allocator)->Allocate(c.node, c.claims, options);
  if (OutcomeShape(out) != OutcomeShape(expected)) {
    return StrCat("incremental state differs: ", OutcomeShape(out), " vs ", OutcomeShape(expected));
  }
  if (out.ok() && out->allocated()) {
    AllocatedDevices before = devices;
    for (const api::AllocationResult& r : out->results) devices.Add(r);
    for (const api::AllocationResult& r : out->results) devices.Remove(r);
    if (!SameIndex(before.index(), devices.index())) return "Remove does not undo Add";
  }
  return "";
}

TEST(AllocatorPropertyTest, RandomInputsKeepTheInvariants) {
  std::map<std::string, int> tally;
  int failures = 0;
  std::pair<double, uint64_t> slowest{0, 0};
  // DRA_PROPERTY_SEED=N runs seed N alone and prints its input.
  uint64_t first = 1;
  uint64_t last = kNumSeeds;
  const char* only = std::getenv("DRA_PROPERTY_SEED");
  if (only != nullptr) first = last = std::strtoull(only, nullptr, 10);
  for (uint64_t seed = first; seed <= last; ++seed) {
    const Case c = RandomCase(seed);
    absl::StatusOr<std::unique_ptr<const Allocator>> allocator = Allocator::Create(c.snapshot);
    ASSERT_TRUE(allocator.ok()) << "seed " << seed << ": " << allocator.status();
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<AllocationOutcome> out = (*allocator)->Allocate(c.node, c.claims);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    slowest = std::max(slowest, std::make_pair(ms, seed));
    absl::StatusOr<AllocationOutcome> again = (*allocator)->Allocate(c.node, c.claims);
    Checker checker(c);
    std::string problem;
    if (out.ok() != again.ok() || (out.ok() && out->kind != again->kind)) {
      problem = "not deterministic";
    } else if (!out.ok()) {
      tally["error"]++;
      problem = checker.CheckError(out.status());
      if (!problem.empty()) problem = StrCat(problem, ": ", out.status().message());
    } else if (out->allocated()) {
      tally["allocated"]++;
      problem = checker.CheckAllocation(*out);
    } else {
      tally[out->kind == AllocationOutcome::Kind::kUnsatisfiable ? "unsatisfiable"
                                                                 : "failed on node"]++;
    }
    if (problem.empty()) problem = CheckIncremental(c, out);
    if (only != nullptr) {
      std::cerr << DumpCase(c) << "# outcome: "
                << (out.ok() ? StrCat("kind ", static_cast<int>(out->kind), "\n", out->explanation)
                             : std::string(out.status().message()))
                << "\n";
    }
    if (!problem.empty()) {
      ADD_FAILURE() << "seed " << seed << ": " << problem;
      if (++failures == 1) std::cerr << "input of seed " << seed << ":\n" << DumpCase(c);
    }
  }
  std::cerr << "outcomes over " << (last - first + 1) << " seeds:";
  for (const auto& [kind, n] : tally) std::cerr << " " << kind << "=" << n;
  std::cerr << "; slowest Allocate: seed " << slowest.second << ", " << slowest.first << " ms\n";
  // The generator must exercise every outcome.
  if (only != nullptr) return;
  EXPECT_GT(tally["allocated"], kNumSeeds / 5);
  EXPECT_GT(tally["unsatisfiable"], 0);
  EXPECT_GT(tally["error"], 0);
}

}  // namespace
}  // namespace dra::allocator
