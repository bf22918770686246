#include "dra/allocator/allocator.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/cel/device.h"
#include "dra/cel/selector.h"

namespace dra::allocator {
namespace {

using CompiledOrError = absl::StatusOr<std::shared_ptr<const cel::CompiledExpression>>;

constexpr int kMaxResults = api::kAllocationResultsMaxSize;

std::string DeviceKeyString(std::string_view driver, std::string_view pool,
                            std::string_view device) {
  return StrCat(driver, "\x1f", pool, "\x1f", device);
}

// --------------------------------------------------------------------------------------------
// Node selection (component-helpers nodeaffinity semantics).

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
    if (s.size() == 1) return false;
  }
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    if (v > (std::numeric_limits<int64_t>::max() - (s[i] - '0')) / 10) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = neg ? -v : v;
  return true;
}

absl::StatusOr<bool> LabelRequirementMatches(const NodeInfo& node,
                                             const api::NodeSelectorRequirement& req) {
  auto it = node.labels.find(req.key);
  const bool has = it != node.labels.end();
  const std::string& op = req.operator_;
  if (op == api::kNodeSelectorOpIn || op == api::kNodeSelectorOpNotIn) {
    if (req.values.empty()) {
      return absl::InvalidArgumentError(
          StrCat("values: Invalid value: []: for 'in', 'notin' operators, values set can't be "
                 "empty"));
    }
    bool in =
        has && std::find(req.values.begin(), req.values.end(), it->second) != req.values.end();
    return op == api::kNodeSelectorOpIn ? in : !in;
  }
  if (op == api::kNodeSelectorOpExists) return has;
  if (op == api::kNodeSelectorOpDoesNotExist) return !has;
  if (op == api::kNodeSelectorOpGt || op == api::kNodeSelectorOpLt) {
    int64_t want = 0;
    if (req.values.size() != 1 || !ParseInt64(req.values[0], &want)) {
      return absl::InvalidArgumentError(
          StrCat("values: Invalid value: for 'Gt', 'Lt' operators, exactly one integer value is "
                 "required"));
    }
    if (!has) return false;
    int64_t got = 0;
    if (!ParseInt64(it->second, &got)) return false;
    return op == api::kNodeSelectorOpGt ? got > want : got < want;
  }
  return absl::InvalidArgumentError(StrCat("\"", op, "\" is not a valid label selector operator"));
}

absl::StatusOr<bool> FieldRequirementMatches(const NodeInfo& node,
                                             const api::NodeSelectorRequirement& req) {
  if (req.key != "metadata.name") {
    return absl::InvalidArgumentError(
        StrCat("key: Invalid value: \"", req.key, "\": not a valid field selector key"));
  }
  if (req.values.size() != 1) {
    return absl::InvalidArgumentError(
        "values: Required value: must be only one value when "
        "`operator` is 'In' or 'NotIn' for node field selector");
  }
  if (req.operator_ == api::kNodeSelectorOpIn) return node.name == req.values[0];
  if (req.operator_ == api::kNodeSelectorOpNotIn) return node.name != req.values[0];
  return absl::InvalidArgumentError(
      StrCat("operator: Invalid value: \"", req.operator_, "\": not a valid selector operator"));
}


absl::StatusOr<bool> NodeMatches(const NodeInfo& node, const std::optional<std::string>& node_name,
                                 const std::optional<bool>& all_nodes,
                                 const std::optional<api::NodeSelector>& selector) {
  if (node_name.has_value() && !node_name->empty()) return node.name == *node_name;
  if (all_nodes.value_or(false)) return true;
  if (selector.has_value()) {
    absl::StatusOr<bool> m = NodeSelectorMatches(node, *selector);
    if (!m.ok()) {
      return absl::InvalidArgumentError(
          StrCat("failed to parse node selector: ", m.status().message()));
    }
    return *m;
  }
  return false;
}

// --------------------------------------------------------------------------------------------
// Consumable capacity.

Quantity RoundUpRange(const Quantity& requested, const api::CapacityRequestPolicyRange& range) {
  if (requested.Compare(*range.min) < 0) return *range.min;
  if (!range.step.has_value()) return requested;
  int64_t req = requested.Value();
  int64_t step = range.step->Value();
  int64_t min = range.min->Value();
  if (step == 0) return requested;
  int64_t added = req - min;
  int64_t n = added / step;
  if (added % step != 0) ++n;
  return Quantity::FromInt64(min + step * n, Quantity::Format::kBinarySI);
}

Quantity ConsumedFor(const Quantity* requested, const api::DeviceCapacity& cap) {
  if (requested == nullptr) {
    if (cap.request_policy.has_value() && cap.request_policy->default_.has_value()) {
      return *cap.request_policy->default_;
    }
    return cap.value;
  }
  if (!cap.request_policy.has_value()) return *requested;
  const api::CapacityRequestPolicy& policy = *cap.request_policy;
  if (policy.valid_range.has_value() && policy.valid_range->min.has_value()) {
    return RoundUpRange(*requested, *policy.valid_range);
  }
  if (!policy.valid_values.empty()) {
    for (const Quantity& v : policy.valid_values) {
      if (requested->Compare(v) <= 0) return v;
    }
  }
  return *requested;
}

bool ViolatesPolicy(const Quantity& value, const std::optional<api::CapacityRequestPolicy>& p) {
  if (!p.has_value()) return false;
  if (p->default_.has_value() && value.Compare(*p->default_) == 0) return false;
  if (p->valid_range.has_value()) {
    const api::CapacityRequestPolicyRange& range = *p->valid_range;
    if (range.max.has_value() && value.Compare(*range.max) > 0) return true;
    if (range.step.has_value() && range.min.has_value()) {
      int64_t step = range.step->Value();
      if (step != 0 && (value.Value() - range.min->Value()) % step != 0) return true;
    }
    return false;
  }
  if (!p->valid_values.empty()) {
    for (const Quantity& v : p->valid_values) {
      if (value.Compare(v) == 0) return false;
    }
    return true;
  }
  return false;
}

const Quantity* RequestedCapacity(const api::CapacityRequirements* reqs, const std::string& name) {
  if (reqs == nullptr) return nullptr;
  auto it = reqs->requests.find(name);
  return it == reqs->requests.end() ? nullptr : &it->second;
}

// --------------------------------------------------------------------------------------------
// Attribute sets for constraints.

enum class AttrKind { kNone, kInt, kBool, kString, kVersion };

struct AttrSet {
  AttrKind kind = AttrKind::kNone;
  std::vector<int64_t> ints;         // kInt, kBool (0/1)
  std::vector<std::string> strings;  // kString, kVersion

  bool HasIntersection(const AttrSet& o) const {
    if (kind == AttrKind::kNone || kind != o.kind) return false;
    if (kind == AttrKind::kInt || kind == AttrKind::kBool) {
      for (int64_t v : ints) {
        if (std::find(o.ints.begin(), o.ints.end(), v) != o.ints.end()) return true;
      }
      return false;
    }
    for (const std::string& v : strings) {
      if (std::find(o.strings.begin(), o.strings.end(), v) != o.strings.end()) return true;
    }
    return false;
  }
  void IntersectWith(const AttrSet& o) {
    if (kind == AttrKind::kNone || kind != o.kind) return;
    if (kind == AttrKind::kInt || kind == AttrKind::kBool) {
      std::erase_if(ints, [&](int64_t v) {
        return std::find(o.ints.begin(), o.ints.end(), v) == o.ints.end();
      });
    } else {
      std::erase_if(strings, [&](const std::string& v) {
        return std::find(o.strings.begin(), o.strings.end(), v) == o.strings.end();
      });
    }
  }
};

// upstream attributeAsSet: list forms first, then scalars; kNone when nothing is set.
AttrSet AsSet(const api::DeviceAttribute& a) {
  AttrSet s;
  if (!a.ints.empty()) {
    s.kind = AttrKind::kInt;
    s.ints = a.ints;
  } else if (!a.bools.empty()) {
    s.kind = AttrKind::kBool;
    for (bool b : a.bools) s.ints.push_back(b ? 1 : 0);
  } else if (!a.strings.empty()) {
    s.kind = AttrKind::kString;
    s.strings = a.strings;
  } else if (!a.versions.empty()) {
    s.kind = AttrKind::kVersion;
    s.strings = a.versions;
  } else if (a.int_.has_value()) {
    s.kind = AttrKind::kInt;
    s.ints.push_back(*a.int_);
  } else if (a.bool_.has_value()) {
    s.kind = AttrKind::kBool;
    s.ints.push_back(*a.bool_ ? 1 : 0);
  } else if (a.string_.has_value()) {
    s.kind = AttrKind::kString;
    s.strings.push_back(*a.string_);
  } else if (a.version.has_value()) {
    s.kind = AttrKind::kVersion;
    s.strings.push_back(*a.version);
  }
  return s;
}

// Scalar comparison as upstream does without list-type attributes: nullopt for an unknown type.
std::optional<bool> ScalarEqual(const api::DeviceAttribute& a, const api::DeviceAttribute& b) {
  if (a.string_.has_value()) return b.string_.has_value() && *a.string_ == *b.string_;
  if (a.int_.has_value()) return b.int_.has_value() && *a.int_ == *b.int_;
  if (a.bool_.has_value()) return b.bool_.has_value() && *a.bool_ == *b.bool_;
  if (a.version.has_value()) return b.version.has_value() && *a.version == *b.version;
  return std::nullopt;
}

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

bool ToleratesTaint(const api::DeviceToleration& t, const api::DeviceTaint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (!t.key.empty() && t.key != taint.key) return false;
  if (t.operator_.empty() || t.operator_ == api::kDeviceTolerationOpEqual) {
    return t.value == taint.value;
  }
  return t.operator_ == api::kDeviceTolerationOpExists;
}

std::string ClaimRef(const api::ResourceClaim& claim) {
  if (claim.metadata.namespace_.empty()) return claim.metadata.name;
  return StrCat(claim.metadata.namespace_, "/", claim.metadata.name);
}

struct DeviceRec {
  const api::Device* device = nullptr;
  int slice = 0;
  int key = 0;
  std::optional<cel::DeviceBinding> binding;
  absl::Status binding_error;
};

struct SliceRec {
  const api::ResourceSlice* slice = nullptr;
  int pool_key = 0;
  int first_device = 0;
  // The first device whose name an earlier device of the same slice already has, or -1.
  int first_duplicate = -1;
};

struct ClassRec {
  const api::DeviceClass* cls = nullptr;
  std::vector<CompiledOrError> selectors;
};

// View of one resource pool as seen from a node: built per call for the pools with slices for
// the node, and once in Create for pools seen only through their counter slices.
struct PoolView {
  int pool_key = 0;
  std::string driver;
  std::string name;
  bool incomplete = false;
  bool invalid = false;
  int slices_seen = 0;            // incomplete: slices of the newest generation seen
  int64_t slices_wanted = 0;      // incomplete: resourceSliceCount
  std::string invalid_reason;     // invalid: why, for the explanation
  std::vector<int> slices;        // device slices targeting the node, sorted by name
  std::vector<int> local_base;    // local index of each slice's first device
  std::vector<int> other_slices;  // same-generation slices not targeting the node
  // Counters, flattened: counter_index[set][counter] -> index into available/consumed.
  std::map<std::string, std::map<std::string, int>> counter_index;
  std::vector<Quantity> available;
  std::vector<Quantity> consumed;
  // What each device of `slices` consumes, flattened: the device with pool-local index i (its
  // position in slice order) consumes uses[use_begin[i]..use_begin[i+1]) as (counter, amount).
  std::vector<int> use_begin;
  std::vector<std::pair<int, const Quantity*>> uses;
};

}  // namespace

// --------------------------------------------------------------------------------------------
// Immutable index over the snapshot.

struct Allocator::Impl {
  Snapshot snap;
  std::vector<SliceRec> slices;
  std::vector<DeviceRec> devices;
  absl::flat_hash_map<std::string, int> device_keys;
  absl::flat_hash_map<std::string, int> pool_keys;  // driver \x1f pool
  std::vector<std::vector<int>> pool_slices;        // all slices of a pool, input order
  absl::flat_hash_map<std::string, std::vector<int>> slices_on_node;
  // Slices without a node name and without shared counters: node selection per call.
  std::vector<int> slices_node_dependent;
  // With DRAPartitionableDevices: slices with shared counters, which every node sees, by pool.
  absl::flat_hash_map<int, std::vector<int>> counter_slices;
  // The views of the pools that have counter slices as a node sees them when none of the pool's
  // other slices is for it (no devices to search), sorted by driver and pool name; only the
  // incomplete or invalid ones are kept, the others would add nothing to a call.
  std::vector<PoolView> counter_pools;
  absl::flat_hash_map<std::string, int> class_index;
  std::vector<ClassRec> classes;
  // The snapshot's allocated state (AllocateOptions::allocated may replace it per call).
  allocator_internal::AllocatedIndex allocated;
  mutable cel::ExpressionCache cel_cache;

  explicit Impl(Snapshot s) : snap(std::move(s)), cel_cache(cel::CompileOptions{}) {}

  int KeyOf(const DeviceRef& d) const {
    auto it = device_keys.find(DeviceKeyString(d.driver, d.pool, d.device));
    return it == device_keys.end() ? -1 : it->second;
  }
};

namespace {

struct Candidate {
  int pool = 0;
  int slice_pos = 0;
  int device_in_slice = 0;
  int device = 0;  // index into Impl::devices
  int local = 0;
};

struct Req {
  int claim = 0;
  int request = 0;
  int sub = -1;  // -1: not a subrequest
  const std::string* name = nullptr;
  const std::string* parent = nullptr;
  std::string full_name;  // "parent/sub" or name
  int class_idx = -1;
  const std::vector<api::DeviceSelector>* selectors = nullptr;
  std::vector<CompiledOrError> compiled;
  bool all = false;
  bool admin = false;
  const std::vector<api::DeviceToleration>* tolerations = nullptr;
  const api::CapacityRequirements* capacity = nullptr;
  int num_devices = 0;
  std::vector<Candidate> all_devices;
};

struct Constraint {
  bool distinct = false;
  std::string attribute;
  std::vector<char> applies;  // per Req index of the claim (global index)
  // match
  const api::DeviceAttribute* first = nullptr;
  AttrSet intersection;
  int num_devices = 0;
  // distinct: last attribute per (base) request name
  std::vector<std::pair<std::string, const api::DeviceAttribute*>> by_request;
};

struct InternalResult {
  int req = 0;
  int device = 0;
  std::optional<std::string> share_id;
  std::map<std::string, Quantity> consumed;
};

struct CapState {
  std::map<std::string, Quantity> sum;
  int count = 0;
};

struct Undo {
  int claim = 0;
  int key = 0;
  int local = 0;
  int req = 0;
  int device = 0;
  int pool = 0;
  bool inserted = false;
  bool multi = false;
  bool counters = false;
  size_t prev_results = 0;
};

// kBudget: the search made more than step_limit_ steps and stopped, state fully unwound.
enum Res { kFail = 0, kDone = 1, kMaxSize = 2, kError = 3, kBudget = 4 };

// Search steps (devices looked at) after which the search stops once to run the pruning
// analysis (Search::ProvablyUnsatisfiable); easy searches never pay for it.
constexpr int64_t kPruneAfterSteps = 2000;

// Why a device cannot serve a request, in the order the explanation checks.
enum class Why {
  kOk,
  kNode,      // per-device node selection does not match the node
  kBinding,   // has binding conditions, DRADeviceBindingConditions off
  kClassSel,  // a class selector is false
  kClassErr,  // a class selector failed to evaluate
  kReqSel,    // a request selector is false
  kReqErr,    // a request selector failed to evaluate
  kInUse,     // allocated to some other claim
  kTaint,     // a NoSchedule/NoExecute taint that the request does not tolerate
  kCounters,  // does not fit the shared counters left even alone
  kCapacity,  // consumable capacity left is not enough
};

using Bits = std::vector<uint64_t>;

int PopCount(const Bits& b) {
  int n = 0;
  for (uint64_t w : b) n += __builtin_popcountll(w);
  return n;
}
bool IsSubset(const Bits& a, const Bits& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] & ~b[i]) != 0) return false;
  }
  return true;
}
bool Intersects(const Bits& a, const Bits& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] & b[i]) != 0) return true;
  }
  return false;
}
void OrInto(Bits& into, const Bits& b) {
  for (size_t i = 0; i < b.size(); ++i) into[i] |= b[i];
}
bool Test(const Bits& b, int i) { return (b[i >> 6] >> (i & 63)) & 1; }
void SetBit(Bits& b, int i) { b[i >> 6] |= uint64_t{1} << (i & 63); }

// Up to three examples and how many there were.
struct Tally {
  int n = 0;
  std::vector<int> first;  // indices into Impl::devices
  void Add(int device) {
    if (n++ < 3) first.push_back(device);
  }
};

// Candidates of every Req (per-call, base state: nothing of this call allocated yet).
struct Analysis {
  bool eval_error = false;       // some selector failed to evaluate: no conclusion may be drawn
  std::vector<Bits> cand;        // per Req, bit = local device index
  std::vector<char> multi;       // per Req: some candidate is multi-allocatable
  std::vector<Candidate> local;  // local index -> candidate
};

// Detailed tally of one Req over the node's devices, for the explanation.
struct ReqDiag {
  int considered = 0;
  Tally node, binding, in_use, capacity, left;
  std::vector<Tally> class_sel, class_err, req_sel, req_err;
  std::vector<std::pair<std::string, Tally>> taints, counters;  // by key / set, first seen first
};

class Search {
 public:
  Search(const Allocator::Impl& impl, const NodeInfo& node,
         const std::vector<api::ResourceClaim>& claims, const AllocateOptions& options)
      : impl_(impl),
        alloc_(options.allocated != nullptr ? options.allocated->index() : impl.allocated),
        f_(impl.snap.features),
        node_(node),
        claims_(claims),
        options_(options) {}

  absl::StatusOr<AllocationOutcome> Run();

 private:
  absl::Status GatherPools();
  absl::Status ValidateRequest(Req& r);
  absl::StatusOr<bool> IsSelectable(const Req& r, const Candidate& c);
  absl::StatusOr<bool> SelectorsMatch(const Req& r, const DeviceRec& d,
                                      const std::vector<CompiledOrError>& sels, bool is_class);
  bool CapacityFits(const Req& r, const DeviceRec& d) const;
  // Explanation and pruning (only after a search failed or ran long; never on the easy path).
  Why Unavailable(const Req& r, const Candidate& c, std::string* detail) const;
  Why Classify(const Req& r, const Candidate& c, int* index, std::string* detail);
  bool CountersFitAlone(const PoolView& pool, const api::Device& dev, std::string* set) const;
  Analysis Analyze(std::vector<ReqDiag>* diags);
  static int Need(const Req& r) { return r.all ? std::max(r.num_devices, 1) : r.num_devices; }
  bool RequestInfeasible(const Analysis& a, int claim, int request) const;
  bool CheckSharing(const Analysis& a, std::vector<std::string>* lines) const;
  bool CheckMatch(const Analysis& a, int claim, int con, std::string* line) const;
  bool CheckDistinct(const Analysis& a, int claim, int con, std::string* line) const;
  bool ProvablyUnsatisfiable();
  std::string Explain();
  std::string DeviceName(int device) const;
  std::string DeviceList(const Tally& t) const;
  std::string RequestShape(const Req& r) const;
  std::string ConstraintHead(int claim, int con) const;
  Res AllocateOne(int claim, int request, int sub, int dev_idx, bool alloc_sub, int start_pool,
                  int start_slice, int start_device);
  Res AllocateDevice(const Req& r, const Candidate& c, bool must, Undo* undo);
  void Deallocate(const Undo& undo);
  bool CheckCounters(PoolView& pool, int local);
  void ReleaseCounters(PoolView& pool, int local);
  // `key` is the device's key, `local` its index among the node's devices.
  bool InUse(int key, int local) const {
    return alloc_.exclusive[key] > 0 || !allocating_[local].empty();
  }
  bool AllocatingForClaim(int local, int claim) const {
    const auto& v = allocating_[local];
    return std::find(v.begin(), v.end(), claim) != v.end();
  }
  Req& ReqAt(int claim, int request, int sub) {
    return reqs_[req_first_[claim][request] + std::max(sub, 0)];
  }
  absl::StatusOr<std::optional<api::NodeSelector>> NodeSelectorFor(
      const std::vector<InternalResult>& results);
  api::AllocationResult BuildResult(int claim, std::optional<api::NodeSelector> selector);

  const Allocator::Impl& impl_;
  const allocator_internal::AllocatedIndex& alloc_;
  const Features& f_;
  const NodeInfo& node_;
  const std::vector<api::ResourceClaim>& claims_;
  const AllocateOptions& options_;

  std::vector<PoolView> pools_;
  int num_local_ = 0;
  std::vector<Req> reqs_;
  std::vector<std::vector<int>> req_first_;
  std::vector<std::vector<int>> selected_sub_;
  std::vector<int8_t> match_cache_;
  std::vector<std::vector<Constraint>> constraints_;
  std::vector<std::vector<InternalResult>> results_;
  std::vector<std::vector<int>> allocating_;  // per local device index: claims
  absl::flat_hash_map<int, CapState> allocating_cap_;
  absl::Status error_;
  int64_t steps_ = 0;
  int64_t step_limit_ = kPruneAfterSteps;
};

// Fills `pool` from its slices of one generation that the node sees (`slices`, in gathering
// order); `all_slices`: all slices of that generation when some do not target the node.
void BuildPool(const Allocator::Impl& impl, const allocator_internal::AllocatedIndex& allocated,
               const Features& f, PoolView& pool, std::vector<int> slices,
               const std::vector<int>* all_slices) {
  auto name_of = [&](int si) -> const std::string& { return impl.slices[si].slice->metadata.name; };
  std::stable_sort(slices.begin(), slices.end(),
                   [&](int a, int b) { return name_of(a) < name_of(b); });
  std::vector<int> device_slices;
  std::vector<int> counter_slices;
  for (int si : slices) {
    if (f.partitionable_devices && !impl.slices[si].slice->spec.shared_counters.empty()) {
      counter_slices.push_back(si);
    } else {
      device_slices.push_back(si);
    }
  }
  auto listed_twice = [&](const api::Device& d) {
    pool.invalid = true;
    pool.invalid_reason = StrCat("device \"", d.name, "\" is listed twice");
  };
  if (device_slices.size() == 1) {
    const SliceRec& only = impl.slices[device_slices[0]];
    if (only.first_duplicate >= 0) {
      listed_twice(only.slice->spec.devices[only.first_duplicate]);
      return;
    }
  } else {
    absl::flat_hash_set<std::string_view> names;
    for (int si : device_slices) {
      for (const api::Device& d : impl.slices[si].slice->spec.devices) {
        if (!names.insert(d.name).second) {
          listed_twice(d);
          return;
        }
      }
    }
  }
  if (!f.partitionable_devices) {
    pool.slices = std::move(device_slices);
    return;
  }
  std::vector<Quantity> totals;
  for (int si : counter_slices) {
    for (const api::CounterSet& set : impl.slices[si].slice->spec.shared_counters) {
      auto [it, inserted] = pool.counter_index.try_emplace(set.name);
      if (!inserted) {
        pool.invalid = true;
        pool.invalid_reason = StrCat("counter set \"", set.name, "\" is defined twice");
        return;
      }
      for (const auto& [cname, counter] : set.counters) {
        it->second[cname] = static_cast<int>(totals.size());
        totals.push_back(counter.value);
      }
    }
  }
  auto consumption_valid = [&](int si) {
    for (const api::Device& d : impl.slices[si].slice->spec.devices) {
      for (const api::DeviceCounterConsumption& c : d.consumes_counters) {
        auto set = pool.counter_index.find(c.counter_set);
        bool ok = set != pool.counter_index.end();
        for (const auto& [cname, unused] : c.counters) {
          if (ok && !set->second.contains(cname)) ok = false;
        }
        if (!ok) {
          pool.invalid_reason = StrCat(
              "device \"", d.name, "\" consumes an unknown counter of set \"", c.counter_set, "\"");
          return false;
        }
      }
    }
    return true;
  };
  for (int si : slices) {
    if (!consumption_valid(si)) {
      pool.invalid = true;
      return;
    }
  }
  if (all_slices != nullptr && all_slices->size() != slices.size()) {
    absl::flat_hash_set<std::string_view> targeting;
    for (int si : slices) targeting.insert(name_of(si));
    for (int si : *all_slices) {
      if (!targeting.contains(name_of(si))) pool.other_slices.push_back(si);
    }
    for (int si : pool.other_slices) {
      if (!consumption_valid(si)) {
        pool.invalid = true;
        return;
      }
    }
  }
  pool.slices = std::move(device_slices);
  // Available counters: totals minus what allocated devices of the pool consume.
  pool.available = totals;
  pool.consumed.assign(totals.size(), Quantity());
  if (!totals.empty()) {
    for (const std::vector<int>* list : {&pool.slices, &pool.other_slices}) {
      for (int si : *list) {
        const SliceRec& s = impl.slices[si];
        for (size_t i = 0; i < s.slice->spec.devices.size(); ++i) {
          const DeviceRec& d = impl.devices[s.first_device + i];
          if (allocated.any[d.key] == 0) continue;
          for (const api::DeviceCounterConsumption& c : d.device->consumes_counters) {
            auto set = pool.counter_index.find(c.counter_set);
            if (set == pool.counter_index.end()) continue;
            for (const auto& [cname, counter] : c.counters) {
              auto ci = set->second.find(cname);
              if (ci == set->second.end()) continue;
              pool.available[ci->second] = pool.available[ci->second].Sub(counter.value);
            }
          }
        }
      }
    }
    for (int si : pool.slices) {
      for (const api::Device& d : impl.slices[si].slice->spec.devices) {
        pool.use_begin.push_back(static_cast<int>(pool.uses.size()));
        for (const api::DeviceCounterConsumption& c : d.consumes_counters) {
          auto set = pool.counter_index.find(c.counter_set);
          if (set == pool.counter_index.end()) continue;
          for (const auto& [cname, counter] : c.counters) {
            auto ci = set->second.find(cname);
            if (ci == set->second.end()) continue;
            pool.uses.emplace_back(ci->second, &counter.value);
          }
        }
      }
    }
    pool.use_begin.push_back(static_cast<int>(pool.uses.size()));
  }
}

// Keeps the slices of the newest generation among `slices`, in order.
void KeepNewest(const Allocator::Impl& impl, std::vector<int>& slices) {
  int64_t newest = std::numeric_limits<int64_t>::min();
  for (int si : slices) newest = std::max(newest, impl.slices[si].slice->spec.pool.generation);
  std::erase_if(slices,
                [&](int si) { return impl.slices[si].slice->spec.pool.generation != newest; });
}

enum class PoolKind { kObsolete, kNormal, kBinding };

// The view of pool `pk` from the slices of it that the node sees, all of one generation
// (non-empty, in gathering order). kObsolete: the pool has a newer generation elsewhere.
PoolKind MakePoolView(const Allocator::Impl& impl,
                      const allocator_internal::AllocatedIndex& allocated, const Features& f,
                      int pk, std::vector<int> slices, PoolView& pool) {
  const api::ResourceSliceSpec& first = impl.slices[slices[0]].slice->spec;
  const int64_t generation = first.pool.generation;
  pool.pool_key = pk;
  pool.driver = first.driver;
  pool.name = first.pool.name;
  const int64_t want = first.pool.resource_slice_count;
  if (static_cast<int64_t>(slices.size()) == want) {
    BuildPool(impl, allocated, f, pool, std::move(slices), nullptr);
  } else {
    std::vector<int> all;
    for (int si : impl.pool_slices[pk]) {
      int64_t gen = impl.slices[si].slice->spec.pool.generation;
      if (gen == generation) {
        all.push_back(si);
      } else if (gen > generation) {
        return PoolKind::kObsolete;
      }
    }
    if (static_cast<int64_t>(all.size()) != want) {
      pool.incomplete = true;
      pool.slices_seen = static_cast<int>(all.size());
      pool.slices_wanted = want;
      return PoolKind::kNormal;
    }
    BuildPool(impl, allocated, f, pool, std::move(slices), &all);
  }
  for (int si : pool.slices) {
    for (const api::Device& d : impl.slices[si].slice->spec.devices) {
      if (!d.binding_conditions.empty()) return PoolKind::kBinding;
    }
  }
  return PoolKind::kNormal;
}

bool PoolLess(const PoolView& a, const PoolView& b) {
  if (a.driver != b.driver) return a.driver < b.driver;
  return a.name < b.name;
}

// Whether a slice is gathered with the node's own slices (named node, no shared counters)
// rather than after them.
bool GatheredFirst(const api::ResourceSliceSpec& spec) {
  return spec.node_name.has_value() && !spec.node_name->empty() && spec.shared_counters.empty();
}

absl::Status Search::GatherPools() {
  // The slices the node sees, by pool, in gathering order: the node's own slices, then the
  // others in input order. Counter slices, which every node sees, are added to the pools found
  // here; pools seen only through them come precomputed (Impl::counter_pools).
  absl::flat_hash_map<int, int> pool_index;
  std::vector<std::pair<int, std::vector<int>>> by_pool;
  auto consider = [&](int si) -> absl::Status {
    const api::ResourceSliceSpec& spec = impl_.slices[si].slice->spec;
    if (!f_.partitionable_devices && spec.per_device_node_selection.has_value()) {
      return absl::OkStatus();
    }
    bool relevant = false;
    const bool has_name = spec.node_name.has_value() && !spec.node_name->empty();
    if (has_name || spec.all_nodes.value_or(false) || spec.node_selector.has_value()) {
      absl::StatusOr<bool> m =
          NodeMatches(node_, spec.node_name, spec.all_nodes, spec.node_selector);
      if (!m.ok()) {
        return absl::InvalidArgumentError(
            StrCat("gather pool information: failed to perform node selection for slice ",
                   impl_.slices[si].slice->metadata.name, ": ", m.status().message()));
      }
      relevant = *m;
    } else if (spec.per_device_node_selection.value_or(false)) {
      for (const api::Device& d : spec.devices) {
        absl::StatusOr<bool> m = NodeMatches(node_, d.node_name, d.all_nodes, d.node_selector);
        if (!m.ok()) {
          return absl::InvalidArgumentError(StrCat(
              "gather pool information: failed to perform node selection for device ", d.name,
              " in slice ", impl_.slices[si].slice->metadata.name, ": ", m.status().message()));
        }
        if (*m) {
          relevant = true;
          break;
        }
      }
    }
    if (!relevant) return absl::OkStatus();
    const int pk = impl_.slices[si].pool_key;
    auto [it, inserted] = pool_index.try_emplace(pk, static_cast<int>(by_pool.size()));
    if (inserted) by_pool.emplace_back(pk, std::vector<int>());
    by_pool[it->second].second.push_back(si);
    return absl::OkStatus();
  };
  if (auto it = impl_.slices_on_node.find(node_.name); it != impl_.slices_on_node.end()) {
    for (int si : it->second) DRA_RETURN_IF_ERROR(consider(si));
  }
  for (int si : impl_.slices_node_dependent) DRA_RETURN_IF_ERROR(consider(si));

  std::vector<PoolView> normal;
  std::vector<PoolView> with_binding;
  for (auto& [pk, slices] : by_pool) {
    if (f_.partitionable_devices) {
      if (auto it = impl_.counter_slices.find(pk); it != impl_.counter_slices.end()) {
        std::vector<int> merged;
        merged.reserve(slices.size() + it->second.size());
        std::merge(slices.begin(), slices.end(), it->second.begin(), it->second.end(),
                   std::back_inserter(merged), [&](int a, int b) {
                     const bool fa = GatheredFirst(impl_.slices[a].slice->spec);
                     const bool fb = GatheredFirst(impl_.slices[b].slice->spec);
                     if (fa != fb) return fa;
                     return a < b;
                   });
        slices = std::move(merged);
      }
    }
    KeepNewest(impl_, slices);
    PoolView pool;
    PoolKind kind = MakePoolView(impl_, alloc_, f_, pk, std::move(slices), pool);
    if (kind == PoolKind::kObsolete) continue;
    (kind == PoolKind::kBinding ? with_binding : normal).push_back(std::move(pool));
  }
  for (const PoolView& pool : impl_.counter_pools) {
    if (!pool_index.contains(pool.pool_key)) normal.push_back(pool);
  }
  // stable_sort allocates a buffer even for one element.
  if (normal.size() > 1) std::stable_sort(normal.begin(), normal.end(), PoolLess);
  if (with_binding.size() > 1) std::stable_sort(with_binding.begin(), with_binding.end(), PoolLess);
  pools_ = std::move(normal);
  for (PoolView& p : with_binding) pools_.push_back(std::move(p));
  for (PoolView& p : pools_) {
    p.local_base.clear();
    for (int si : p.slices) {
      p.local_base.push_back(num_local_);
      num_local_ += static_cast<int>(impl_.slices[si].slice->spec.devices.size());
    }
  }
  return absl::OkStatus();
}

absl::Status Search::ValidateRequest(Req& r) {
  const api::ResourceClaim& claim = claims_[r.claim];
  const std::string& rname = *r.name;
  for (size_t i = 0; i < r.selectors->size(); ++i) {
    if (!(*r.selectors)[i].cel.has_value()) {
      return absl::InvalidArgumentError(
          StrCat("claim ", ClaimRef(claim), ", request ", rname, ", selector #", i,
                 ": CEL expression empty (unsupported selector type?)"));
    }
  }
  const api::DeviceRequest& request = claim.spec.devices.requests[r.request];
  const std::string* class_name;
  const std::string* mode;
  int64_t count;
  if (r.sub < 0) {
    const api::ExactDeviceRequest& e = *request.exactly;
    if (!f_.admin_access && e.admin_access.has_value()) {
      return absl::InvalidArgumentError(
          StrCat("claim ", ClaimRef(claim), ", request ", rname,
                 ": admin access is requested, but the feature is disabled"));
    }
    class_name = &e.device_class_name;
    mode = &e.allocation_mode;
    count = e.count;
  } else {
    const api::DeviceSubRequest& s = request.first_available[r.sub];
    class_name = &s.device_class_name;
    mode = &s.allocation_mode;
    count = s.count;
  }
  if (class_name->empty()) {
    return absl::InvalidArgumentError(
        StrCat("claim ", ClaimRef(claim), ", request ", rname,
               ": missing device class name (unsupported request type?)"));
  }
  auto ci = impl_.class_index.find(*class_name);
  if (ci == impl_.class_index.end()) {
    return absl::NotFoundError(
        StrCat("claim ", ClaimRef(claim), ", request ", rname, ": could not retrieve device class ",
               *class_name, ": deviceclasses.resource.k8s.io \"", *class_name, "\" not found"));
  }
  r.class_idx = ci->second;
  for (const api::DeviceSelector& sel : *r.selectors) {
    r.compiled.push_back(impl_.cel_cache.GetOrCompile(sel.cel->expression));
  }
  if (*mode == api::kDeviceAllocationModeExactCount) {
    r.num_devices = static_cast<int>(std::min<int64_t>(count, std::numeric_limits<int>::max()));
    return absl::OkStatus();
  }
  if (*mode != api::kDeviceAllocationModeAll) {
    return absl::InvalidArgumentError(
        StrCat("claim ", ClaimRef(claim), ", request ", rname, ": unsupported count mode ", *mode));
  }
  r.all = true;
  for (int p = 0; p < static_cast<int>(pools_.size()); ++p) {
    const PoolView& pool = pools_[p];
    if (pool.incomplete) {
      return absl::FailedPreconditionError(StrCat("claim ", ClaimRef(claim), ", request ", rname,
                                                  ": asks for all devices, but resource pool ",
                                                  pool.driver, "/", pool.name,
                                                  " is currently being updated"));
    }
    if (pool.invalid) {
      return absl::FailedPreconditionError(StrCat("claim ", ClaimRef(claim), ", request ", rname,
                                                  ": asks for all devices, but resource pool ",
                                                  pool.driver, "/", pool.name,
                                                  " is currently invalid"));
    }
    for (int s = 0; s < static_cast<int>(pool.slices.size()); ++s) {
      const SliceRec& slice = impl_.slices[pool.slices[s]];
      const int n = static_cast<int>(slice.slice->spec.devices.size());
      for (int d = 0; d < n; ++d) {
        Candidate c{p, s, d, slice.first_device + d, pool.local_base[s] + d};
        absl::StatusOr<bool> ok = IsSelectable(r, c);
        if (!ok.ok()) return ok.status();
        if (!*ok) continue;
        if (f_.consumable_capacity && !CapacityFits(r, impl_.devices[c.device])) continue;
        r.all_devices.push_back(c);
      }
    }
  }
  r.num_devices = static_cast<int>(r.all_devices.size());
  return absl::OkStatus();
}

absl::StatusOr<bool> Search::SelectorsMatch(const Req& r, const DeviceRec& d,
                                            const std::vector<CompiledOrError>& sels,
                                            bool is_class) {
  auto prefix = [&](size_t i) {
    if (is_class) {
      return StrCat("class ", impl_.classes[r.class_idx].cls->metadata.name, ": selector #", i);
    }
    return StrCat("claim ", ClaimRef(claims_[r.claim]), ": selector #", i);
  };
  for (size_t i = 0; i < sels.size(); ++i) {
    if (!sels[i].ok()) {
      return absl::InvalidArgumentError(
          StrCat(prefix(i), ": CEL compile error: ", sels[i].status().message()));
    }
    if (!d.binding.has_value()) {
      return absl::InvalidArgumentError(
          StrCat(prefix(i), ": CEL runtime error: ", d.binding_error.message()));
    }
    absl::StatusOr<bool> m = (*sels[i])->Matches(*d.binding);
    if (!m.ok()) {
      return absl::InvalidArgumentError(
          StrCat(prefix(i), ": CEL runtime error: ", m.status().message()));
    }
    if (!*m) return false;
  }
  return true;
}

absl::StatusOr<bool> Search::IsSelectable(const Req& r, const Candidate& c) {
  const DeviceRec& d = impl_.devices[c.device];
  if (!f_.device_binding_and_status() && !d.device->binding_conditions.empty()) return false;
  const int req_index = static_cast<int>(&r - reqs_.data());
  int8_t& cached = match_cache_[static_cast<size_t>(req_index) * num_local_ + c.local];
  if (cached >= 0) return cached == 1;
  absl::StatusOr<bool> m = SelectorsMatch(r, d, impl_.classes[r.class_idx].selectors, true);
  if (!m.ok()) return m.status();
  if (!*m) {
    cached = 0;
    return false;
  }
  m = SelectorsMatch(r, d, r.compiled, false);
  if (!m.ok()) return m.status();
  if (!*m) {
    cached = 0;
    return false;
  }
  const api::ResourceSlice& slice = *impl_.slices[d.slice].slice;
  if (slice.spec.per_device_node_selection.value_or(false)) {
    absl::StatusOr<bool> nm =
        NodeMatches(node_, d.device->node_name, d.device->all_nodes, d.device->node_selector);
    if (!nm.ok()) return nm.status();
    if (!*nm) {
      cached = 0;
      return false;
    }
  }
  cached = 1;
  return true;
}

bool Search::CapacityFits(const Req& r, const DeviceRec& d) const {
  const api::Device& dev = *d.device;
  if (r.capacity != nullptr) {
    for (const auto& [name, unused] : r.capacity->requests) {
      if (!dev.capacity.contains(name)) return false;
    }
  }
  const std::map<std::string, Quantity>* allocated = nullptr;
  if (auto it = alloc_.aggregated.find(d.key); it != alloc_.aggregated.end()) {
    allocated = &it->second;
  }
  const CapState* allocating = nullptr;
  if (auto it = allocating_cap_.find(d.key); it != allocating_cap_.end()) {
    allocating = &it->second;
  }
  for (const auto& [name, cap] : dev.capacity) {
    Quantity consumed = ConsumedFor(RequestedCapacity(r.capacity, name), cap);
    if (ViolatesPolicy(consumed, cap.request_policy)) return false;
    Quantity total = consumed;
    if (allocated != nullptr) {
      if (auto it = allocated->find(name); it != allocated->end()) total = it->second.Add(total);
    }
    if (allocating != nullptr) {
      if (auto it = allocating->sum.find(name); it != allocating->sum.end()) {
        total = total.Add(it->second);
      }
    }
    if (total.Compare(cap.value) > 0) return false;
  }
  return true;
}

bool Search::CheckCounters(PoolView& pool, int local) {
  if (pool.use_begin.empty()) return true;
  const int i = local - pool.local_base[0];
  for (int u = pool.use_begin[i]; u < pool.use_begin[i + 1]; ++u) {
    Quantity& consumed = pool.consumed[pool.uses[u].first];
    consumed = consumed.Add(*pool.uses[u].second);
  }
  for (size_t c = 0; c < pool.available.size(); ++c) {
    if (pool.available[c].Compare(pool.consumed[c]) < 0) {
      ReleaseCounters(pool, local);
      return false;
    }
  }
  return true;
}

void Search::ReleaseCounters(PoolView& pool, int local) {
  if (pool.use_begin.empty()) return;
  const int i = local - pool.local_base[0];
  for (int u = pool.use_begin[i]; u < pool.use_begin[i + 1]; ++u) {
    Quantity& consumed = pool.consumed[pool.uses[u].first];
    consumed = consumed.Sub(*pool.uses[u].second);
  }
}

Res Search::AllocateDevice(const Req& r, const Candidate& c, bool must, Undo* undo) {
  const DeviceRec& d = impl_.devices[c.device];
  const api::Device& dev = *d.device;
  const int key = d.key;
  const bool multi = f_.consumable_capacity && dev.allow_multiple_allocations.value_or(false);
  if (!multi && r.admin && AllocatingForClaim(c.local, r.claim)) return kFail;
  if (!r.admin && InUse(key, c.local)) return kFail;
  if (!f_.partitionable_devices && !dev.consumes_counters.empty()) return kFail;
  PoolView& pool = pools_[c.pool];
  const bool capacity_in_use = alloc_.aggregated.contains(key) ||
                               (allocating_cap_.contains(key) && allocating_cap_.at(key).count > 0);
  const bool skip_counters = r.admin || (multi && capacity_in_use);
  bool counters = false;
  if (!skip_counters && !dev.consumes_counters.empty()) {
    if (!CheckCounters(pool, c.local)) return kFail;
    counters = true;
  }
  auto release = [&]() {
    if (counters) ReleaseCounters(pool, c.local);
  };
  if (f_.device_taints) {
    for (const api::DeviceTaint& taint : dev.taints) {
      if (taint.effect != api::kDeviceTaintEffectNoSchedule &&
          taint.effect != api::kDeviceTaintEffectNoExecute) {
        continue;
      }
      bool tolerated = false;
      for (const api::DeviceToleration& t : *r.tolerations) {
        if (ToleratesTaint(t, taint)) {
          tolerated = true;
          break;
        }
      }
      if (!tolerated) {
        release();
        return kFail;
      }
    }
  }
  const int req_index = static_cast<int>(&r - reqs_.data());
  std::vector<Constraint>& constraints = constraints_[r.claim];
  const std::string& driver = impl_.slices[d.slice].slice->spec.driver;
  const std::string& base = r.parent != nullptr ? *r.parent : *r.name;
  auto remove_constraint = [&](Constraint& con) {
    if (!con.applies[req_index]) return;
    if (con.distinct) {
      std::erase_if(con.by_request, [&](const auto& e) { return e.first == base; });
    }
    --con.num_devices;
  };
  for (size_t i = 0; i < constraints.size(); ++i) {
    Constraint& con = constraints[i];
    bool added = true;
    if (con.applies[req_index]) {
      const api::DeviceAttribute* attr = LookupAttribute(dev, driver, con.attribute);
      if (attr == nullptr) {
        added = false;
      } else if (!con.distinct) {
        if (con.num_devices == 0) {
          if (f_.list_type_attributes) {
            con.intersection = AsSet(*attr);
            if (con.intersection.kind == AttrKind::kNone) added = false;
          } else {
            con.first = attr;
          }
        } else if (f_.list_type_attributes) {
          AttrSet s = AsSet(*attr);
          if (s.kind == AttrKind::kNone || !con.intersection.HasIntersection(s)) {
            added = false;
          } else {
            con.intersection.IntersectWith(s);
          }
        } else {
          std::optional<bool> eq = ScalarEqual(*attr, *con.first);
          added = eq.value_or(false);
        }
        if (added) ++con.num_devices;
      } else {
        if (con.num_devices > 0) {
          if (f_.list_type_attributes) {
            AttrSet s = AsSet(*attr);
            if (s.kind == AttrKind::kNone) {
              added = false;
            } else {
              for (const auto& [unused, other] : con.by_request) {
                AttrSet o = AsSet(*other);
                if (o.kind == AttrKind::kNone) continue;
                if (s.HasIntersection(o)) {
                  added = false;
                  break;
                }
              }
            }
          } else {
            for (const auto& [unused, other] : con.by_request) {
              std::optional<bool> eq = ScalarEqual(*attr, *other);
              if (!eq.has_value()) {
                added = false;
                break;
              }
              if (*eq) {
                added = false;
                break;
              }
            }
          }
        }
        if (added) {
          bool replaced = false;
          for (auto& e : con.by_request) {
            if (e.first == base) {
              e.second = attr;
              replaced = true;
            }
          }
          if (!replaced) con.by_request.emplace_back(base, attr);
          ++con.num_devices;
        }
      }
    }
    if (!added) {
      if (must) {
        release();
        error_ = absl::FailedPreconditionError(
            StrCat("claim ", ClaimRef(claims_[r.claim]), ", request ", *r.name,
                   ": cannot add device ", driver, "/", impl_.slices[d.slice].slice->spec.pool.name,
                   "/", dev.name, " because a claim constraint would not be satisfied"));
        for (size_t e = 0; e < i; ++e) remove_constraint(constraints[e]);
        return kError;
      }
      for (size_t e = 0; e < i; ++e) remove_constraint(constraints[e]);
      release();
      return kFail;
    }
  }
  std::optional<std::string> share_id;
  std::map<std::string, Quantity> consumed;
  if (f_.consumable_capacity) {
    if (!CapacityFits(r, d)) {
      for (Constraint& con : constraints) remove_constraint(con);
      release();
      return kFail;
    }
    if (multi) {
      for (const auto& [name, cap] : dev.capacity) {
        consumed.emplace(name, ConsumedFor(RequestedCapacity(r.capacity, name), cap));
      }
      share_id = NewShareId();
      CapState& st = allocating_cap_[key];
      ++st.count;
      for (const auto& [name, q] : consumed) {
        auto [it, inserted] = st.sum.try_emplace(name, q);
        if (!inserted) it->second = it->second.Add(q);
      }
    }
  }
  bool inserted = false;
  if (!multi) {
    allocating_[c.local].push_back(r.claim);
    inserted = true;
  }
  undo->claim = r.claim;
  undo->key = key;
  undo->local = c.local;
  undo->req = req_index;
  undo->device = c.device;
  undo->pool = c.pool;
  undo->inserted = inserted;
  undo->multi = multi;
  undo->counters = counters;
  undo->prev_results = results_[r.claim].size();
  results_[r.claim].push_back(
      InternalResult{req_index, c.device, std::move(share_id), std::move(consumed)});
  return kDone;
}

void Search::Deallocate(const Undo& u) {
  const Req& r = reqs_[u.req];
  const std::string& base = r.parent != nullptr ? *r.parent : *r.name;
  for (Constraint& con : constraints_[u.claim]) {
    if (!con.applies[u.req]) continue;
    if (con.distinct) {
      std::erase_if(con.by_request, [&](const auto& e) { return e.first == base; });
    }
    --con.num_devices;
  }
  if (u.inserted) {
    auto& v = allocating_[u.local];
    auto it = std::find(v.begin(), v.end(), u.claim);
    if (it != v.end()) v.erase(it);
  }
  if (u.multi) {
    const InternalResult& res = results_[u.claim][u.prev_results];
    auto it = allocating_cap_.find(u.key);
    if (it != allocating_cap_.end()) {
      for (const auto& [name, q] : res.consumed) {
        auto s = it->second.sum.find(name);
        if (s != it->second.sum.end()) s->second = s->second.Sub(q);
      }
      if (--it->second.count == 0) allocating_cap_.erase(it);
    }
  }
  if (u.counters) ReleaseCounters(pools_[u.pool], u.local);
  results_[u.claim].resize(u.prev_results);
}

Res Search::AllocateOne(int claim, int request, int sub, int dev_idx, bool alloc_sub,
                        int start_pool, int start_slice, int start_device) {
  if (claim >= static_cast<int>(claims_.size())) return kDone;
  const api::ResourceClaim& c = claims_[claim];
  if (request >= static_cast<int>(c.spec.devices.requests.size())) {
    Res res = AllocateOne(claim + 1, 0, 0, 0, false, 0, 0, 0);
    return res == kMaxSize ? kFail : res;
  }
  const api::DeviceRequest& api_request = c.spec.devices.requests[request];
  const bool has_subs = !api_request.first_available.empty();
  if (!alloc_sub && has_subs) {
    bool all_exceeded = true;
    for (int s = 0; s < static_cast<int>(api_request.first_available.size()); ++s) {
      Res res = AllocateOne(claim, request, s, dev_idx, true, 0, 0, 0);
      if (res == kMaxSize) continue;
      all_exceeded = false;
      if (res == kError || res == kBudget) return res;
      if (res == kDone) {
        selected_sub_[claim][request] = s;
        return kDone;
      }
    }
    return all_exceeded ? kMaxSize : kFail;
  }
  Req& r = ReqAt(claim, request, has_subs ? sub : -1);
  if (r.all && r.all_devices.empty()) return kFail;
  if (dev_idx >= r.num_devices) {
    return AllocateOne(claim, request + 1, 0, 0, false, 0, 0, 0);
  }
  if (static_cast<int>(results_[claim].size()) + r.num_devices - dev_idx > kMaxResults) {
    return kMaxSize;
  }
  if (r.all) {
    Undo undo;
    Res res = AllocateDevice(r, r.all_devices[dev_idx], true, &undo);
    if (res != kDone) return res;
    res = AllocateOne(claim, request, sub, dev_idx + 1, alloc_sub, 0, 0, 0);
    if (res != kDone) Deallocate(undo);
    return res;
  }
  for (int p = start_pool; p < static_cast<int>(pools_.size()); ++p) {
    const PoolView& pool = pools_[p];
    if (pool.incomplete || pool.invalid) continue;
    const int slice_start = p == start_pool ? start_slice : 0;
    for (int s = slice_start; s < static_cast<int>(pool.slices.size()); ++s) {
      const SliceRec& slice = impl_.slices[pool.slices[s]];
      const int n = static_cast<int>(slice.slice->spec.devices.size());
      const int device_start = (p == start_pool && s == start_slice) ? start_device : 0;
      for (int d = device_start; d < n; ++d) {
        if (++steps_ > step_limit_) return kBudget;
        const Candidate cand{p, s, d, slice.first_device + d, pool.local_base[s] + d};
        const DeviceRec& dr = impl_.devices[cand.device];
        if (r.admin && AllocatingForClaim(cand.local, claim)) continue;
        if (!r.admin && InUse(dr.key, cand.local)) continue;
        absl::StatusOr<bool> selectable = IsSelectable(r, cand);
        if (!selectable.ok()) {
          error_ = selectable.status();
          return kError;
        }
        if (!*selectable) continue;
        if (f_.consumable_capacity && !CapacityFits(r, dr)) continue;
        Undo undo;
        Res res = AllocateDevice(r, cand, false, &undo);
        if (res == kError) return kError;
        if (res != kDone) continue;
        res = AllocateOne(claim, request, sub, dev_idx + 1, alloc_sub, p, s, d + 1);
        if (res == kDone) return kDone;
        Deallocate(undo);
        if (res != kFail) return res;
      }
    }
  }
  return kFail;
}

// --------------------------------------------------------------------------------------------
// Pruning and explanation. Both start from the base state (nothing of this call allocated:
// the search has unwound) and never run on a search that succeeds within kPruneAfterSteps.

bool Search::CountersFitAlone(const PoolView& pool, const api::Device& dev,
                              std::string* set_name) const {
  std::vector<Quantity> want = pool.consumed;
  for (const api::DeviceCounterConsumption& c : dev.consumes_counters) {
    auto set = pool.counter_index.find(c.counter_set);
    if (set == pool.counter_index.end()) continue;
    for (const auto& [cname, counter] : c.counters) {
      auto ci = set->second.find(cname);
      if (ci == set->second.end()) continue;
      want[ci->second] = want[ci->second].Add(counter.value);
    }
  }
  for (size_t i = 0; i < want.size(); ++i) {
    if (pool.available[i].Compare(want[i]) >= 0) continue;
    for (const auto& [name, counters] : pool.counter_index) {
      for (const auto& [unused, index] : counters) {
        if (index == static_cast<int>(i)) *set_name = name;
      }
    }
    return false;
  }
  return true;
}

// The state-dependent checks of the search, at the base state. A device that fails one of them
// can never be allocated for `r` in this call: everything they test only gets tighter as the
// search allocates.
Why Search::Unavailable(const Req& r, const Candidate& c, std::string* detail) const {
  const DeviceRec& d = impl_.devices[c.device];
  const api::Device& dev = *d.device;
  if (!r.admin && InUse(d.key, c.local)) return Why::kInUse;
  if (f_.device_taints) {
    for (const api::DeviceTaint& taint : dev.taints) {
      if (taint.effect != api::kDeviceTaintEffectNoSchedule &&
          taint.effect != api::kDeviceTaintEffectNoExecute) {
        continue;
      }
      bool tolerated = false;
      for (const api::DeviceToleration& t : *r.tolerations) {
        if (ToleratesTaint(t, taint)) tolerated = true;
      }
      if (!tolerated) {
        *detail = taint.key;
        return Why::kTaint;
      }
    }
  }
  if (!dev.consumes_counters.empty()) {
    if (!f_.partitionable_devices) {
      *detail = "DRAPartitionableDevices disabled";
      return Why::kCounters;
    }
    const bool multi = f_.consumable_capacity && dev.allow_multiple_allocations.value_or(false);
    if (!r.admin && !multi && !CountersFitAlone(pools_[c.pool], dev, detail)) {
      return Why::kCounters;
    }
  }
  if (f_.consumable_capacity && !CapacityFits(r, d)) return Why::kCapacity;
  return Why::kOk;
}

// Like IsSelectable followed by Unavailable, but says which check rejected the device.
Why Search::Classify(const Req& r, const Candidate& c, int* index, std::string* detail) {
  const DeviceRec& d = impl_.devices[c.device];
  const api::ResourceSlice& slice = *impl_.slices[d.slice].slice;
  if (slice.spec.per_device_node_selection.value_or(false)) {
    absl::StatusOr<bool> nm =
        NodeMatches(node_, d.device->node_name, d.device->all_nodes, d.device->node_selector);
    if (!nm.ok() || !*nm) return Why::kNode;
  }
  if (!f_.device_binding_and_status() && !d.device->binding_conditions.empty()) {
    return Why::kBinding;
  }
  auto run = [&](const std::vector<CompiledOrError>& sels, Why rejected, Why failed) {
    for (size_t i = 0; i < sels.size(); ++i) {
      *index = static_cast<int>(i);
      if (!sels[i].ok() || !d.binding.has_value()) return failed;
      absl::StatusOr<bool> m = (*sels[i])->Matches(*d.binding);
      if (!m.ok()) return failed;
      if (!*m) return rejected;
    }
    return Why::kOk;
  };
  Why why = run(impl_.classes[r.class_idx].selectors, Why::kClassSel, Why::kClassErr);
  if (why != Why::kOk) return why;
  why = run(r.compiled, Why::kReqSel, Why::kReqErr);
  if (why != Why::kOk) return why;
  return Unavailable(r, c, detail);
}

// Candidates of every Req. Without `diags` (pruning) the selectors are evaluated exactly as the
// search evaluates them (IsSelectable, on every device the search could look at) so that an
// evaluation error is noticed; with `diags` (explanation) every rejection is tallied.
Analysis Search::Analyze(std::vector<ReqDiag>* diags) {
  Analysis a;
  a.local.resize(num_local_);
  for (int p = 0; p < static_cast<int>(pools_.size()); ++p) {
    const PoolView& pool = pools_[p];
    if (pool.incomplete || pool.invalid) continue;
    for (int s = 0; s < static_cast<int>(pool.slices.size()); ++s) {
      const SliceRec& slice = impl_.slices[pool.slices[s]];
      const int n = static_cast<int>(slice.slice->spec.devices.size());
      for (int d = 0; d < n; ++d) {
        a.local[pool.local_base[s] + d] =
            Candidate{p, s, d, slice.first_device + d, pool.local_base[s] + d};
      }
    }
  }
  const size_t words = (static_cast<size_t>(num_local_) + 63) / 64;
  a.cand.assign(reqs_.size(), Bits(words, 0));
  a.multi.assign(reqs_.size(), 0);
  if (diags != nullptr) diags->assign(reqs_.size(), ReqDiag{});
  std::string detail;
  for (size_t k = 0; k < reqs_.size(); ++k) {
    const Req& r = reqs_[k];
    ReqDiag* diag = diags != nullptr ? &(*diags)[k] : nullptr;
    if (diag != nullptr) {
      diag->class_sel.resize(impl_.classes[r.class_idx].selectors.size());
      diag->class_err.resize(diag->class_sel.size());
      diag->req_sel.resize(r.compiled.size());
      diag->req_err.resize(r.compiled.size());
    }
    for (int p = 0; p < static_cast<int>(pools_.size()); ++p) {
      const PoolView& pool = pools_[p];
      if (pool.incomplete || pool.invalid) continue;
      for (int s = 0; s < static_cast<int>(pool.slices.size()); ++s) {
        const int n = static_cast<int>(impl_.slices[pool.slices[s]].slice->spec.devices.size());
        for (int d = 0; d < n; ++d) {
          const Candidate& c = a.local[pool.local_base[s] + d];
          Why why;
          int index = 0;
          if (diag == nullptr) {
            if (!r.admin && InUse(impl_.devices[c.device].key, c.local)) continue;
            absl::StatusOr<bool> selectable = IsSelectable(r, c);
            if (!selectable.ok()) {
              a.eval_error = true;
              return a;
            }
            if (!*selectable) continue;
            why = Unavailable(r, c, &detail);
          } else {
            ++diag->considered;
            why = Classify(r, c, &index, &detail);
            auto keyed = [&](std::vector<std::pair<std::string, Tally>>& v) {
              auto it = std::find_if(v.begin(), v.end(),
                                     [&](const auto& e) { return e.first == detail; });
              if (it == v.end()) it = v.insert(v.end(), {detail, Tally{}});
              it->second.Add(c.device);
            };
            switch (why) {
              case Why::kOk:
                diag->left.Add(c.device);
                break;
              case Why::kNode:
                diag->node.Add(c.device);
                break;
              case Why::kBinding:
                diag->binding.Add(c.device);
                break;
              case Why::kClassSel:
                diag->class_sel[index].Add(c.device);
                break;
              case Why::kClassErr:
                diag->class_err[index].Add(c.device);
                break;
              case Why::kReqSel:
                diag->req_sel[index].Add(c.device);
                break;
              case Why::kReqErr:
                diag->req_err[index].Add(c.device);
                break;
              case Why::kInUse:
                diag->in_use.Add(c.device);
                break;
              case Why::kTaint:
                keyed(diag->taints);
                break;
              case Why::kCounters:
                keyed(diag->counters);
                break;
              case Why::kCapacity:
                diag->capacity.Add(c.device);
                break;
            }
          }
          if (why != Why::kOk) continue;
          SetBit(a.cand[k], c.local);
          const api::Device& dev = *impl_.devices[c.device].device;
          if (f_.consumable_capacity && dev.allow_multiple_allocations.value_or(false)) {
            a.multi[k] = 1;
          }
        }
      }
    }
  }
  return a;
}

// A request cannot be satisfied: none of its subrequests (or the request itself) has as many
// candidates as it needs.
bool Search::RequestInfeasible(const Analysis& a, int claim, int request) const {
  const api::DeviceRequest& req = claims_[claim].spec.devices.requests[request];
  const int n = req.first_available.empty() ? 1 : static_cast<int>(req.first_available.size());
  for (int s = 0; s < n; ++s) {
    const int k = req_first_[claim][request] + s;
    if (PopCount(a.cand[k]) >= Need(reqs_[k])) return false;
  }
  return true;
}

// Requests that compete for the same devices: a group of requests needing more devices than the
// union of their candidates holds. The groups are, for every request, the requests whose
// candidates are a subset of its candidates, and the connected components of overlapping
// candidate sets. Admin-access requests and requests that may use a multi-allocatable device
// are left out (they can share devices). A request with subrequests counts with the fewest
// devices any subrequest needs, over the union of their candidates.
bool Search::CheckSharing(const Analysis& a, std::vector<std::string>* lines) const {
  struct Unit {
    int claim;
    int request;
    int64_t need;
    Bits bits;
  };
  std::vector<Unit> units;
  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    const auto& requests = claims_[ci].spec.devices.requests;
    for (size_t ri = 0; ri < requests.size(); ++ri) {
      const int n = requests[ri].first_available.empty()
                        ? 1
                        : static_cast<int>(requests[ri].first_available.size());
      Unit u{static_cast<int>(ci), static_cast<int>(ri), std::numeric_limits<int64_t>::max(),
             Bits(a.cand.empty() ? 0 : a.cand[0].size(), 0)};
      bool skip = false;
      for (int s = 0; s < n; ++s) {
        const int k = req_first_[ci][ri] + s;
        if (reqs_[k].admin || a.multi[k]) skip = true;
        u.need = std::min<int64_t>(u.need, Need(reqs_[k]));
        OrInto(u.bits, a.cand[k]);
      }
      // The explanation names requests infeasible alone by themselves, not in groups.
      if (lines != nullptr && RequestInfeasible(a, u.claim, u.request)) skip = true;
      if (!skip && u.need > 0) units.push_back(std::move(u));
    }
  }
  if (units.size() > 512) return false;  // quadratic below; such inputs are left to the search
  auto report = [&](const std::vector<int>& group, int64_t need, const Bits& bits) {
    // A single request is the per-request explanation's business.
    if (lines == nullptr || group.size() < 2) return;
    std::vector<int> claims;
    std::vector<int> sorted = group;
    std::sort(sorted.begin(), sorted.end());
    for (int g : sorted) {
      if (std::find(claims.begin(), claims.end(), units[g].claim) == claims.end()) {
        claims.push_back(units[g].claim);
      }
    }
    std::string line;
    if (claims.size() == 1) {
      StrAppend(&line, "claim \"", ClaimRef(claims_[claims[0]]), "\": requests ");
      for (size_t i = 0; i < sorted.size() && i < 3; ++i) {
        StrAppend(&line, i > 0 ? ", " : "", "\"",
                  claims_[claims[0]].spec.devices.requests[units[sorted[i]].request].name, "\"");
      }
    } else {
      StrAppend(&line, "node \"", node_.name, "\": requests of claims ");
      for (size_t i = 0; i < claims.size() && i < 3; ++i) {
        StrAppend(&line, i > 0 ? ", " : "", "\"", ClaimRef(claims_[claims[i]]), "\"");
      }
    }
    if (group.size() > 3 || claims.size() > 3) StrAppend(&line, ", ...");
    Tally devices;
    for (int l = 0; l < num_local_; ++l) {
      if (Test(bits, l)) devices.Add(a.local[l].device);
    }
    StrAppend(&line, " (", group.size(), " requests) need ", need,
              need == 1 ? " device" : " devices", " together, but only ", devices.n,
              devices.n == 1 ? " device can" : " devices can", " serve them");
    if (devices.n > 0) StrAppend(&line, " (", DeviceList(devices), ")");
    lines->push_back(std::move(line));
  };
  bool found = false;
  for (size_t u = 0; u < units.size(); ++u) {
    std::vector<int> group;
    int64_t need = 0;
    for (size_t w = 0; w < units.size(); ++w) {
      if (IsSubset(units[w].bits, units[u].bits)) {
        group.push_back(static_cast<int>(w));
        need += units[w].need;
      }
    }
    if (need > PopCount(units[u].bits)) {
      // Report each distinct candidate set once.
      bool seen = false;
      for (int g : group) {
        if (g < static_cast<int>(u) && units[g].bits == units[u].bits) seen = true;
      }
      if (!seen) report(group, need, units[u].bits);
      found = true;
      if (lines == nullptr) return true;
    }
  }
  if (found) return true;
  // Connected components.
  std::vector<int> comp(units.size(), -1);
  for (size_t u = 0; u < units.size(); ++u) {
    if (comp[u] >= 0) continue;
    std::vector<int> group = {static_cast<int>(u)};
    comp[u] = static_cast<int>(u);
    Bits bits = units[u].bits;
    int64_t need = units[u].need;
    for (size_t i = 0; i < group.size(); ++i) {
      for (size_t w = 0; w < units.size(); ++w) {
        if (comp[w] < 0 && Intersects(units[group[i]].bits, units[w].bits)) {
          comp[w] = static_cast<int>(u);
          group.push_back(static_cast<int>(w));
          OrInto(bits, units[w].bits);
          need += units[w].need;
        }
      }
    }
    if (group.size() > 1 && need > PopCount(bits)) {
      report(group, need, bits);
      found = true;
      if (lines == nullptr) return true;
    }
  }
  return found;
}

std::string Search::ConstraintHead(int claim, int con) const {
  const api::DeviceConstraint& c = claims_[claim].spec.devices.constraints[con];
  std::string out = StrCat("claim \"", ClaimRef(claims_[claim]), "\": constraint #", con, " ",
                           c.match_attribute.has_value() ? "matchAttribute" : "distinctAttribute",
                           " \"", constraints_[claim][con].attribute, "\" over ");
  if (c.requests.empty()) {
    StrAppend(&out, "all requests");
  } else {
    StrAppend(&out, c.requests.size() == 1 ? "request " : "requests ");
    for (size_t i = 0; i < c.requests.size(); ++i) {
      StrAppend(&out, i > 0 ? ", " : "", "\"", c.requests[i], "\"");
    }
  }
  return out;
}

namespace {

// One attribute value as a set key and as text: "int 1", "string \"a\"", "version 1.0.0".
std::vector<std::pair<std::string, std::string>> AttrValues(const AttrSet& s) {
  std::vector<std::pair<std::string, std::string>> out;
  switch (s.kind) {
    case AttrKind::kNone:
      break;
    case AttrKind::kInt:
      for (int64_t v : s.ints) out.push_back({StrCat("i", v), StrCat(v)});
      break;
    case AttrKind::kBool:
      for (int64_t v : s.ints) out.push_back({StrCat("b", v), v != 0 ? "true" : "false"});
      break;
    case AttrKind::kString:
      for (const std::string& v : s.strings) out.push_back({StrCat("s", v), GoQuote(v)});
      break;
    case AttrKind::kVersion:
      for (const std::string& v : s.strings) out.push_back({StrCat("v", v), StrCat("version ", v)});
      break;
  }
  return out;
}

}  // namespace

// matchAttribute: every device of the requests the constraint spans must carry one common
// value. Unsatisfiable when no value is carried by enough candidates of every spanned request
// (for a request with subrequests: of some subrequest). Only with DRAListTypeAttributes, whose
// set semantics this models exactly.
bool Search::CheckMatch(const Analysis& a, int claim, int con, std::string* line) const {
  const Constraint& c = constraints_[claim][con];
  if (c.distinct) return false;
  if (line == nullptr && !f_.list_type_attributes) return false;
  // Every value of every candidate of every spanned Req: its text, how many candidates of each
  // Req carry it, and which devices.
  struct Value {
    std::string text;
    std::map<int, int> counts;
    Bits devices;
  };
  std::map<std::string, Value> values;
  const auto& requests = claims_[claim].spec.devices.requests;
  std::vector<int> spanned;  // request indexes with some spanned Req
  // Whether the spanned requests must use distinct devices (then a value needs as many devices
  // as they need together): all their Reqs spanned, no admin access, no multi-allocatable.
  bool exclusive = true;
  int64_t need_sum = 0;
  for (size_t ri = 0; ri < requests.size(); ++ri) {
    const int n = requests[ri].first_available.empty()
                      ? 1
                      : static_cast<int>(requests[ri].first_available.size());
    bool any = false;
    bool all = true;
    int fewest = std::numeric_limits<int>::max();
    for (int s = 0; s < n; ++s) {
      const int k = req_first_[claim][ri] + s;
      if (!c.applies[k]) {
        all = false;
        continue;
      }
      any = true;
      fewest = std::min(fewest, Need(reqs_[k]));
      if (reqs_[k].admin || a.multi[k]) exclusive = false;
      for (int l = 0; l < num_local_; ++l) {
        if (!Test(a.cand[k], l)) continue;
        const DeviceRec& d = impl_.devices[a.local[l].device];
        const api::DeviceAttribute* attr =
            LookupAttribute(*d.device, impl_.slices[d.slice].slice->spec.driver, c.attribute);
        if (attr == nullptr) continue;
        for (auto& [key, text] : AttrValues(AsSet(*attr))) {
          Value& v = values[key];
          if (v.devices.empty()) {
            v.text = text;
            v.devices.assign(a.cand[k].size(), 0);
          }
          ++v.counts[k];
          SetBit(v.devices, l);
        }
      }
    }
    if (!any) continue;
    if (!all) exclusive = false;
    need_sum += fewest;
    spanned.push_back(static_cast<int>(ri));
  }
  // Whether a value (nullptr: none) serves enough of request `ri`'s devices.
  auto request_ok = [&](int ri, const Value* v) {
    const int n = requests[ri].first_available.empty()
                      ? 1
                      : static_cast<int>(requests[ri].first_available.size());
    for (int s = 0; s < n; ++s) {
      const int k = req_first_[claim][ri] + s;
      int have = PopCount(a.cand[k]);
      if (c.applies[k]) {
        have = 0;
        if (v != nullptr) {
          auto it = v->counts.find(k);
          if (it != v->counts.end()) have = it->second;
        }
      }
      if (have >= Need(reqs_[k])) return true;
    }
    return false;
  };
  int best_ok = -1;
  const Value* best = nullptr;
  bool too_few = false;  // some value serves every request alone, but not all together
  for (const auto& [key, v] : values) {
    int ok = 0;
    for (int ri : spanned) ok += request_ok(ri, &v) ? 1 : 0;
    if (ok == static_cast<int>(spanned.size())) {
      if (!exclusive || need_sum <= PopCount(v.devices)) return false;
      if (!too_few || PopCount(v.devices) > PopCount(best->devices)) best = &v;
      too_few = true;
      continue;
    }
    if (!too_few && ok > best_ok) {
      best_ok = ok;
      best = &v;
    }
  }
  if (values.empty()) {
    bool all_ok = true;
    for (int ri : spanned) all_ok = all_ok && request_ok(ri, nullptr);
    if (all_ok) return false;
  }
  if (line != nullptr) {
    *line = StrCat(ConstraintHead(claim, con), " cannot be met: ");
    if (best == nullptr) {
      StrAppend(line, "no candidate has the attribute");
    } else if (too_few) {
      const int have = PopCount(best->devices);
      StrAppend(line, "no value is carried by enough candidates for all requests together (best: ",
                best->text, ", on ", have, have == 1 ? " device, " : " devices, ", need_sum,
                " needed)");
    } else {
      StrAppend(line,
                "no value is carried by enough candidates of every request (best: ", best->text,
                ", ");
      bool first = true;
      for (int ri : spanned) {
        const int k = req_first_[claim][ri];  // the request or its first subrequest
        auto it = best->counts.find(k);
        StrAppend(line, first ? "on " : ", ", it == best->counts.end() ? 0 : it->second,
                  first ? " of the candidates of \"" : " of \"", reqs_[k].full_name, "\" (",
                  Need(reqs_[k]), " needed)");
        first = false;
      }
      StrAppend(line, ")");
    }
  }
  return true;
}

// distinctAttribute (explanation only): the devices of the spanned requests need values of their
// own; fewer distinct values among the candidates than devices needed is reported.
bool Search::CheckDistinct(const Analysis& a, int claim, int con, std::string* line) const {
  const Constraint& c = constraints_[claim][con];
  if (!c.distinct) return false;
  std::set<std::string> values;
  int spanned = 0;
  int needed = 0;
  const auto& requests = claims_[claim].spec.devices.requests;
  for (size_t ri = 0; ri < requests.size(); ++ri) {
    const int n = requests[ri].first_available.empty()
                      ? 1
                      : static_cast<int>(requests[ri].first_available.size());
    bool any = false;
    for (int s = 0; s < n; ++s) {
      const int k = req_first_[claim][ri] + s;
      if (!c.applies[k] || Need(reqs_[k]) == 0) continue;
      any = true;
      for (int l = 0; l < num_local_; ++l) {
        if (!Test(a.cand[k], l)) continue;
        const DeviceRec& d = impl_.devices[a.local[l].device];
        const api::DeviceAttribute* attr =
            LookupAttribute(*d.device, impl_.slices[d.slice].slice->spec.driver, c.attribute);
        if (attr == nullptr) continue;
        for (auto& [key, unused] : AttrValues(AsSet(*attr))) values.insert(key);
      }
    }
    if (!any) continue;
    int fewest = std::numeric_limits<int>::max();
    for (int s = 0; s < n; ++s) {
      const int k = req_first_[claim][ri] + s;
      if (c.applies[k]) fewest = std::min(fewest, Need(reqs_[k]));
    }
    needed += fewest;
    ++spanned;
  }
  if (spanned == 0 || static_cast<int>(values.size()) >= needed) return false;
  *line = StrCat(ConstraintHead(claim, con), " cannot be met: ", needed,
                 " distinct values needed, the candidates have ", values.size());
  return true;
}

// True when the claims certainly do not fit and the search would report no error: some request
// has too few candidates, requests compete for too few devices, or a matchAttribute constraint
// has no common value. Gives up (false) when a selector fails to evaluate or an All request is
// under a constraint (the search reports errors for those).
bool Search::ProvablyUnsatisfiable() {
  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    for (const Constraint& con : constraints_[ci]) {
      for (size_t k = 0; k < reqs_.size(); ++k) {
        if (con.applies[k] && reqs_[k].all) return false;
      }
    }
  }
  Analysis a = Analyze(nullptr);
  if (a.eval_error) return false;
  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    const int n = static_cast<int>(claims_[ci].spec.devices.requests.size());
    for (int ri = 0; ri < n; ++ri) {
      if (RequestInfeasible(a, static_cast<int>(ci), ri)) return true;
    }
    for (size_t con = 0; con < constraints_[ci].size(); ++con) {
      if (CheckMatch(a, static_cast<int>(ci), static_cast<int>(con), nullptr)) return true;
    }
  }
  return CheckSharing(a, nullptr);
}

std::string Search::DeviceName(int device) const {
  const DeviceRec& d = impl_.devices[device];
  const api::ResourceSliceSpec& spec = impl_.slices[d.slice].slice->spec;
  return StrCat(spec.driver, "/", spec.pool.name, "/", d.device->name);
}

std::string Search::DeviceList(const Tally& t) const {
  std::string out;
  for (size_t i = 0; i < t.first.size(); ++i) {
    StrAppend(&out, i > 0 ? ", " : "", DeviceName(t.first[i]));
  }
  if (t.n > static_cast<int>(t.first.size())) StrAppend(&out, ", ...");
  return out;
}

std::string Search::RequestShape(const Req& r) const {
  const std::string& cls = impl_.classes[r.class_idx].cls->metadata.name;
  std::string out = r.all ? StrCat("all of class \"", cls, "\"")
                          : StrCat("exactly ", r.num_devices, " of class \"", cls, "\"");
  if (r.admin) StrAppend(&out, ", admin access");
  return out;
}

std::string Search::Explain() {
  std::vector<std::string> lines;
  for (const PoolView& pool : pools_) {
    if (pool.incomplete) {
      lines.push_back(StrCat("node \"", node_.name, "\": pool \"", pool.driver, "/", pool.name,
                             "\" is incomplete (", pool.slices_seen, " of ", pool.slices_wanted,
                             " slices published), its devices were not considered"));
    } else if (pool.invalid) {
      lines.push_back(StrCat("node \"", node_.name, "\": pool \"", pool.driver, "/", pool.name,
                             "\" is invalid (", pool.invalid_reason,
                             "), its devices were not considered"));
    }
  }
  std::vector<ReqDiag> diags;
  Analysis a = Analyze(&diags);
  auto request_line = [&](int k, bool infeasible) {
    const Req& r = reqs_[k];
    const ReqDiag& g = diags[k];
    std::string line =
        StrCat("claim \"", ClaimRef(claims_[r.claim]),
               "\": ", infeasible ? "cannot allocate request \"" : "request \"", r.full_name,
               "\" (", RequestShape(r), "): ", g.considered,
               g.considered == 1 ? " device" : " devices", " on node \"", node_.name, "\"");
    auto part = [&](std::string_view what, const Tally& t) {
      if (t.n > 0) StrAppend(&line, "; ", t.n, " ", what, " (", DeviceList(t), ")");
    };
    part("not for this node", g.node);
    part("with binding conditions", g.binding);
    const std::string& cls = impl_.classes[r.class_idx].cls->metadata.name;
    for (size_t i = 0; i < g.class_sel.size(); ++i) {
      const Tally& t = g.class_sel[i];
      if (t.n > 0) {
        StrAppend(&line, "; class \"", cls, "\" selector #", i, " rejected ", t.n, " (",
                  DeviceList(t), ")");
      }
      const Tally& e = g.class_err[i];
      if (e.n > 0) {
        StrAppend(&line, "; class \"", cls, "\" selector #", i, " failed on ", e.n, " (",
                  DeviceList(e), ")");
      }
    }
    for (size_t i = 0; i < g.req_sel.size(); ++i) {
      const Tally& t = g.req_sel[i];
      if (t.n > 0) {
        StrAppend(&line, "; request selector #", i, " rejected ", t.n, " (", DeviceList(t), ")");
      }
      const Tally& e = g.req_err[i];
      if (e.n > 0) {
        StrAppend(&line, "; request selector #", i, " failed on ", e.n, " (", DeviceList(e), ")");
      }
    }
    part("in use", g.in_use);
    // "N what (KEY1, KEY2: devices)": the keys (taint keys, counter sets) first.
    auto keyed = [&](std::string_view what, const std::vector<std::pair<std::string, Tally>>& v) {
      if (v.empty()) return;
      Tally all;
      std::string keys;
      for (size_t i = 0; i < v.size(); ++i) {
        if (i < 3) StrAppend(&keys, i > 0 ? ", " : "", v[i].first);
        for (int d : v[i].second.first) {
          if (all.first.size() < 3) all.first.push_back(d);
        }
        all.n += v[i].second.n;
      }
      if (v.size() > 3) StrAppend(&keys, ", ...");
      StrAppend(&line, "; ", all.n, " ", what, " (", keys, ": ", DeviceList(all), ")");
    };
    keyed("tainted", g.taints);
    keyed("out of shared counters", g.counters);
    part("out of capacity", g.capacity);
    if (r.all && r.num_devices == 0) {
      StrAppend(&line, "; ", g.left.n, " left, at least 1 needed");
    } else {
      StrAppend(&line, "; ", g.left.n, " left, ", Need(r), " needed");
    }
    return line;
  };
  const size_t general = lines.size();
  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    const auto& requests = claims_[ci].spec.devices.requests;
    for (size_t ri = 0; ri < requests.size(); ++ri) {
      if (!RequestInfeasible(a, static_cast<int>(ci), static_cast<int>(ri))) continue;
      const int n = requests[ri].first_available.empty()
                        ? 1
                        : static_cast<int>(requests[ri].first_available.size());
      for (int s = 0; s < n; ++s) lines.push_back(request_line(req_first_[ci][ri] + s, true));
    }
    for (size_t con = 0; con < constraints_[ci].size(); ++con) {
      std::string line;
      if (CheckMatch(a, static_cast<int>(ci), static_cast<int>(con), &line) ||
          CheckDistinct(a, static_cast<int>(ci), static_cast<int>(con), &line)) {
        lines.push_back(std::move(line));
      }
    }
  }
  CheckSharing(a, &lines);
  if (lines.size() == general) {
    for (size_t k = 0; k < reqs_.size(); ++k)
      lines.push_back(request_line(static_cast<int>(k), false));
    lines.push_back(StrCat("node \"", node_.name,
                           "\": every request has enough candidates on its own, but no combination "
                           "satisfies all requests and constraints together (devices wanted by "
                           "several requests, constraints, shared counters or capacity)"));
  }
  return StrJoin(lines, "\n");
}

absl::StatusOr<std::optional<api::NodeSelector>> Search::NodeSelectorFor(
    const std::vector<InternalResult>& results) {
  api::NodeSelectorTerm term;
  auto add_new = [](const std::vector<api::NodeSelectorRequirement>& from,
                    std::vector<api::NodeSelectorRequirement>& to) {
    for (const auto& req : from) {
      std::vector<std::string> values = req.values;
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      bool found = false;
      for (const auto& existing : to) {
        if (existing.key != req.key || existing.operator_ != req.operator_) continue;
        std::vector<std::string> ev = existing.values;
        std::sort(ev.begin(), ev.end());
        ev.erase(std::unique(ev.begin(), ev.end()), ev.end());
        if (ev == values) {
          found = true;
          break;
        }
      }
      if (!found) to.push_back(req);
    }
  };
  for (const InternalResult& res : results) {
    const DeviceRec& d = impl_.devices[res.device];
    const api::ResourceSliceSpec& spec = impl_.slices[d.slice].slice->spec;
    const std::optional<std::string>* node_name;
    const std::optional<api::NodeSelector>* selector;
    if (spec.per_device_node_selection.value_or(false)) {
      node_name = &d.device->node_name;
      selector = &d.device->node_selector;
    } else {
      node_name = &spec.node_name;
      selector = &spec.node_selector;
    }
    if (node_name->has_value() || d.device->binds_to_node.value_or(false)) {
      api::NodeSelector ns;
      api::NodeSelectorTerm t;
      t.match_fields.push_back(api::NodeSelectorRequirement{
          "metadata.name", std::string(api::kNodeSelectorOpIn), {node_.name}});
      ns.node_selector_terms.push_back(std::move(t));
      return ns;
    }
    if (selector->has_value()) {
      const auto& terms = (*selector)->node_selector_terms;
      if (terms.size() == 1) {
        add_new(terms[0].match_fields, term.match_fields);
        add_new(terms[0].match_expressions, term.match_expressions);
      } else if (terms.size() > 1) {
        return absl::InvalidArgumentError(
            StrCat("unsupported ResourceSlice.NodeSelector with ", terms.size(), " terms"));
      }
    }
  }
  if (term.match_fields.empty() && term.match_expressions.empty()) return std::nullopt;
  api::NodeSelector ns;
  ns.node_selector_terms.push_back(std::move(term));
  return ns;
}

api::AllocationResult Search::BuildResult(int claim_index,
                                          std::optional<api::NodeSelector> selector) {
  const api::ResourceClaim& claim = claims_[claim_index];
  api::AllocationResult out;
  for (const InternalResult& res : results_[claim_index]) {
    const Req& r = reqs_[res.req];
    const DeviceRec& d = impl_.devices[res.device];
    const api::ResourceSliceSpec& spec = impl_.slices[d.slice].slice->spec;
    api::DeviceRequestAllocationResult e;
    e.request = r.full_name;
    e.driver = spec.driver;
    e.pool = spec.pool.name;
    e.device = d.device->name;
    if (r.admin) e.admin_access = true;
    e.tolerations = *r.tolerations;
    if (f_.device_binding_and_status()) {
      e.binding_conditions = d.device->binding_conditions;
      e.binding_failure_conditions = d.device->binding_failure_conditions;
    }
    e.share_id = res.share_id;
    e.consumed_capacity = res.consumed;
    out.devices.results.push_back(std::move(e));
  }
  // Class configs, each class once, listing every request that used it.
  const auto& requests = claim.spec.devices.requests;
  std::vector<std::pair<int, std::pair<size_t, size_t>>> class_ranges;
  for (size_t ri = 0; ri < requests.size(); ++ri) {
    const bool has_subs = !requests[ri].first_available.empty();
    const Req& r =
        ReqAt(claim_index, static_cast<int>(ri), has_subs ? selected_sub_[claim_index][ri] : -1);
    auto it = std::find_if(class_ranges.begin(), class_ranges.end(),
                           [&](const auto& e) { return e.first == r.class_idx; });
    if (it != class_ranges.end()) {
      for (size_t i = it->second.first; i < it->second.second; ++i) {
        out.devices.config[i].requests.push_back(r.full_name);
      }
      continue;
    }
    const size_t start = out.devices.config.size();
    for (const api::DeviceClassConfiguration& cfg : impl_.classes[r.class_idx].cls->spec.config) {
      api::DeviceAllocationConfiguration a;
      a.source = std::string(api::kAllocationConfigSourceClass);
      a.requests.push_back(r.full_name);
      a.opaque = cfg.opaque;
      out.devices.config.push_back(std::move(a));
    }
    class_ranges.push_back({r.class_idx, {start, out.devices.config.size()}});
  }
  for (const api::DeviceClaimConfiguration& cfg : claim.spec.devices.config) {
    auto append = [&]() {
      api::DeviceAllocationConfiguration a;
      a.source = std::string(api::kAllocationConfigSourceClaim);
      a.requests = cfg.requests;
      a.opaque = cfg.opaque;
      out.devices.config.push_back(std::move(a));
    };
    if (cfg.requests.empty()) {
      append();
      continue;
    }
    auto names = [&](const std::string& n) {
      return std::find(cfg.requests.begin(), cfg.requests.end(), n) != cfg.requests.end();
    };
    for (size_t ri = 0; ri < requests.size(); ++ri) {
      if (names(requests[ri].name)) {
        append();
        continue;
      }
      if (requests[ri].first_available.empty()) continue;
      const Req& r = ReqAt(claim_index, static_cast<int>(ri), selected_sub_[claim_index][ri]);
      if (names(r.full_name)) append();
    }
  }
  out.node_selector = std::move(selector);
  return out;
}

absl::StatusOr<AllocationOutcome> Search::Run() {
  AllocationOutcome outcome;
  absl::Status st = GatherPools();
  if (!st.ok()) return st;

  // Lay out one Req per request or subrequest.
  req_first_.resize(claims_.size());
  selected_sub_.resize(claims_.size());
  int total = 0;
  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    const auto& requests = claims_[ci].spec.devices.requests;
    selected_sub_[ci].assign(requests.size(), 0);
    for (const api::DeviceRequest& req : requests) {
      req_first_[ci].push_back(total);
      total += req.first_available.empty() ? 1 : static_cast<int>(req.first_available.size());
    }
  }
  reqs_.resize(total);
  match_cache_.assign(static_cast<size_t>(total) * num_local_, -1);
  constraints_.resize(claims_.size());
  results_.resize(claims_.size());
  allocating_.resize(num_local_);

  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    const api::ResourceClaim& claim = claims_[ci];
    const auto& requests = claim.spec.devices.requests;
    int64_t min_per_claim = 0;
    for (size_t ri = 0; ri < requests.size(); ++ri) {
      const api::DeviceRequest& request = requests[ri];
      const bool has_subs = !request.first_available.empty();
      if (!f_.prioritized_list && has_subs) {
        return absl::InvalidArgumentError(
            StrCat("claim ", ClaimRef(claim), ", request ", request.name,
                   ": has subrequests, but the DRAPrioritizedList feature is disabled"));
      }
      if (!f_.consumable_capacity) {
        if (request.exactly.has_value() && request.exactly->capacity.has_value()) {
          return absl::InvalidArgumentError(
              StrCat("claim ", ClaimRef(claim), ", request ", request.name,
                     ": has capacity requests, but the DRAConsumableCapacity feature is disabled"));
        }
        for (const api::DeviceSubRequest& sub : request.first_available) {
          if (sub.capacity.has_value()) {
            return absl::InvalidArgumentError(StrCat(
                "claim ", ClaimRef(claim), ", subrequest ", sub.name,
                ": has capacity requests, but the DRAConsumableCapacity feature is disabled"));
          }
        }
      }
      if (has_subs) {
        int64_t min_req = std::numeric_limits<int64_t>::max();
        for (size_t si = 0; si < request.first_available.size(); ++si) {
          const api::DeviceSubRequest& sub = request.first_available[si];
          Req& r = reqs_[req_first_[ci][ri] + si];
          r.claim = static_cast<int>(ci);
          r.request = static_cast<int>(ri);
          r.sub = static_cast<int>(si);
          r.name = &sub.name;
          r.parent = &request.name;
          r.full_name = StrCat(request.name, "/", sub.name);
          r.selectors = &sub.selectors;
          r.tolerations = &sub.tolerations;
          r.capacity = sub.capacity.has_value() ? &*sub.capacity : nullptr;
          DRA_RETURN_IF_ERROR(ValidateRequest(r));
          min_req = std::min<int64_t>(min_req, r.num_devices);
        }
        min_per_claim += min_req;
      } else {
        if (!request.exactly.has_value()) {
          return absl::InvalidArgumentError(
              StrCat("claim ", ClaimRef(claim), ", request ", request.name,
                     ": missing device class name (unsupported request type?)"));
        }
        const api::ExactDeviceRequest& e = *request.exactly;
        Req& r = reqs_[req_first_[ci][ri]];
        r.claim = static_cast<int>(ci);
        r.request = static_cast<int>(ri);
        r.sub = -1;
        r.name = &request.name;
        r.full_name = request.name;
        r.selectors = &e.selectors;
        r.tolerations = &e.tolerations;
        r.capacity = e.capacity.has_value() ? &*e.capacity : nullptr;
        r.admin = e.admin_access.value_or(false);
        DRA_RETURN_IF_ERROR(ValidateRequest(r));
        min_per_claim += r.num_devices;
      }
    }
    if (min_per_claim > kMaxResults) {
      return absl::InvalidArgumentError(StrCat("claim ", ClaimRef(claim),
                                               ": number of requested devices ", min_per_claim,
                                               " exceeds the claim limit of ", kMaxResults));
    }
    const bool distinct_supported =
        f_.consumable_capacity || f_.device_binding_and_status() || f_.list_type_attributes;
    const auto& cons = claim.spec.devices.constraints;
    for (size_t i = 0; i < cons.size(); ++i) {
      Constraint con;
      if (cons[i].match_attribute.has_value()) {
        con.attribute = *cons[i].match_attribute;
      } else if (cons[i].distinct_attribute.has_value() && distinct_supported) {
        con.distinct = true;
        con.attribute = *cons[i].distinct_attribute;
      } else {
        return absl::InvalidArgumentError(
            StrCat("claim ", ClaimRef(claim), ", constraint #", i,
                   ": empty constraint (unsupported constraint type?)"));
      }
      con.applies.assign(total, 0);
      for (int k = 0; k < total; ++k) {
        const Req& r = reqs_[k];
        if (r.claim != static_cast<int>(ci) || r.name == nullptr) continue;
        const auto& names = cons[i].requests;
        if (names.empty()) {
          con.applies[k] = 1;
          continue;
        }
        const std::string& base = r.parent != nullptr ? *r.parent : *r.name;
        bool hit = std::find(names.begin(), names.end(), base) != names.end();
        if (!hit && r.parent != nullptr) {
          hit = std::find(names.begin(), names.end(), r.full_name) != names.end();
        }
        con.applies[k] = hit ? 1 : 0;
      }
      constraints_[ci].push_back(std::move(con));
    }
  }

  // Depth first within a step budget; past it, prove unsatisfiability cheaply or search on.
  Res res = AllocateOne(0, 0, 0, 0, false, 0, 0, 0);
  if (res == kBudget) {
    if (ProvablyUnsatisfiable()) {
      res = kFail;
    } else {
      step_limit_ = std::numeric_limits<int64_t>::max();
      res = AllocateOne(0, 0, 0, 0, false, 0, 0, 0);
    }
  }
  if (res == kError) return error_;
  if (res != kDone) {
    outcome.kind = AllocationOutcome::Kind::kUnsatisfiable;
    for (const PoolView& pool : pools_) {
      if (pool.invalid) {
        outcome.kind = AllocationOutcome::Kind::kFailedOnNode;
        outcome.message = "invalid resource pools were encountered";
        break;
      }
    }
    if (options_.explain) outcome.explanation = Explain();
    return outcome;
  }
  outcome.kind = AllocationOutcome::Kind::kAllocated;
  for (size_t ci = 0; ci < claims_.size(); ++ci) {
    absl::StatusOr<std::optional<api::NodeSelector>> ns = NodeSelectorFor(results_[ci]);
    if (!ns.ok()) {
      return absl::InvalidArgumentError(StrCat("create NodeSelector for claim ",
                                               claims_[ci].metadata.name, ": ",
                                               ns.status().message()));
    }
    outcome.results.push_back(BuildResult(static_cast<int>(ci), std::move(*ns)));
  }
  return outcome;
}

}  // namespace

// --------------------------------------------------------------------------------------------

Features Features::None() {
  Features f;
  f.prioritized_list = f.admin_access = f.device_taints = f.partitionable_devices =
      f.consumable_capacity = f.device_binding_conditions = f.resource_claim_device_status =
          f.list_type_attributes = false;
  return f;
}

bool Features::Set(std::string_view name, bool value) {
  bool* gate = nullptr;
  if (name == "DRAPrioritizedList") gate = &prioritized_list;
  if (name == "DRAAdminAccess") gate = &admin_access;
  if (name == "DRADeviceTaints") gate = &device_taints;
  if (name == "DRAPartitionableDevices") gate = &partitionable_devices;
  if (name == "DRAConsumableCapacity") gate = &consumable_capacity;
  if (name == "DRADeviceBindingConditions") gate = &device_binding_conditions;
  if (name == "DRAResourceClaimDeviceStatus") gate = &resource_claim_device_status;
  if (name == "DRAListTypeAttributes") gate = &list_type_attributes;
  if (gate == nullptr) return false;
  *gate = value;
  return true;
}

void AllocatedState::Add(const api::AllocationResult& allocation) {
  for (const api::DeviceRequestAllocationResult& r : allocation.devices.results) {
    if (r.admin_access.value_or(false)) continue;
    DeviceRef ref{r.driver, r.pool, r.device};
    if (r.share_id.has_value()) {
      shares.push_back(Share{ref, *r.share_id});
      if (!r.consumed_capacity.empty()) consumed.push_back(Consumed{ref, r.consumed_capacity});
    } else {
      exclusive.push_back(std::move(ref));
    }
  }
}

NodeInfo NodeInfo::FromNode(const api::Node& node) {
  NodeInfo info;
  info.name = node.metadata.name;
  for (const auto& [k, v] : node.metadata.labels) info.labels[k] = v;
  return info;
}

std::string NewShareId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  std::string out;
  out.reserve(36);
  strings_internal::AppendHex(out, "", static_cast<uint32_t>(hi >> 32), 8);
  strings_internal::AppendHex(out, "-", static_cast<uint32_t>((hi >> 16) & 0xffff), 4);
  strings_internal::AppendHex(out, "-", static_cast<uint32_t>(hi & 0xffff), 4);
  strings_internal::AppendHex(out, "-", static_cast<uint32_t>(lo >> 48), 4);
  strings_internal::AppendHex(out, "-", static_cast<uint32_t>((lo >> 32) & 0xffff), 4);
  strings_internal::AppendHex(out, "", static_cast<uint32_t>(lo & 0xffffffff), 8);
  return out;
}

Allocator::Allocator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Allocator::~Allocator() = default;

const Snapshot& Allocator::snapshot() const { return impl_->snap; }

absl::StatusOr<std::unique_ptr<const Allocator>> Allocator::Create(Snapshot snapshot) {
  auto impl = std::make_unique<Impl>(std::move(snapshot));
  Impl& m = *impl;
  for (size_t ci = 0; ci < m.snap.classes.size(); ++ci) {
    const api::DeviceClass& cls = m.snap.classes[ci];
    m.class_index.try_emplace(cls.metadata.name, static_cast<int>(ci));
  }
  m.classes.resize(m.snap.classes.size());
  for (size_t ci = 0; ci < m.snap.classes.size(); ++ci) {
    ClassRec& rec = m.classes[ci];
    rec.cls = &m.snap.classes[ci];
    for (const api::DeviceSelector& sel : rec.cls->spec.selectors) {
      if (sel.cel.has_value()) {
        rec.selectors.push_back(m.cel_cache.GetOrCompile(sel.cel->expression));
      } else {
        rec.selectors.push_back(
            absl::InvalidArgumentError("CEL expression empty (unsupported selector type?)"));
      }
    }
  }
  m.slices.resize(m.snap.slices.size());
  for (size_t si = 0; si < m.snap.slices.size(); ++si) {
    const api::ResourceSlice& slice = m.snap.slices[si];
    const api::ResourceSliceSpec& spec = slice.spec;
    SliceRec& rec = m.slices[si];
    rec.slice = &slice;
    auto [pit, pinserted] = m.pool_keys.try_emplace(
        DeviceKeyString(spec.driver, spec.pool.name, ""), static_cast<int>(m.pool_slices.size()));
    if (pinserted) m.pool_slices.emplace_back();
    rec.pool_key = pit->second;
    m.pool_slices[rec.pool_key].push_back(static_cast<int>(si));
    rec.first_device = static_cast<int>(m.devices.size());
    absl::flat_hash_set<std::string_view> device_names;
    for (size_t di = 0; di < spec.devices.size(); ++di) {
      if (!device_names.insert(spec.devices[di].name).second) {
        rec.first_duplicate = static_cast<int>(di);
        break;
      }
    }
    for (const api::Device& d : spec.devices) {
      DeviceRec dr;
      dr.device = &d;
      dr.slice = static_cast<int>(si);
      auto [kit, kinserted] =
          m.device_keys.try_emplace(DeviceKeyString(spec.driver, spec.pool.name, d.name),
                                    static_cast<int>(m.device_keys.size()));
      dr.key = kit->second;
      absl::StatusOr<cel::DeviceBinding> b = cel::DeviceBinding::Create(spec.driver, d);
      if (b.ok()) {
        dr.binding = std::move(*b);
      } else {
        dr.binding_error = b.status();
      }
      m.devices.push_back(std::move(dr));
    }
    if (!spec.shared_counters.empty()) {
      // Without DRAPartitionableDevices such slices are ignored.
      if (m.snap.features.partitionable_devices) {
        m.counter_slices[rec.pool_key].push_back(static_cast<int>(si));
      }
    } else if (GatheredFirst(spec)) {
      m.slices_on_node[*spec.node_name].push_back(static_cast<int>(si));
    } else {
      m.slices_node_dependent.push_back(static_cast<int>(si));
    }
  }
  {
    AllocatedDevices initial(nullptr, {});
    initial.index_.exclusive.assign(m.device_keys.size(), 0);
    initial.index_.any.assign(m.device_keys.size(), 0);
    initial.index_.consuming_share.assign(m.device_keys.size(), 0);
    auto key_of = [&](const DeviceRef& d) { return m.KeyOf(d); };
    for (const DeviceRef& d : m.snap.allocated.exclusive) {
      int k = key_of(d);
      if (k >= 0) initial.index_.exclusive[k]++, initial.index_.any[k]++;
    }
    for (const AllocatedState::Share& sh : m.snap.allocated.shares) {
      int k = key_of(sh.device);
      if (k >= 0) initial.index_.any[k]++;
    }
    for (const AllocatedState::Consumed& c : m.snap.allocated.consumed) {
      int k = key_of(c.device);
      if (k < 0) continue;
      initial.index_.any[k]++;
      initial.index_.consuming_share[k]++;
      auto& agg = initial.index_.aggregated[k];
      for (const auto& [name, q] : c.capacity) {
        auto [it, inserted] = agg.try_emplace(name, q);
        if (!inserted) it->second = it->second.Add(q);
      }
    }
    m.allocated = std::move(initial.index_);
  }
  // Pools seen only through their counter slices have no devices to search; only those that are
  // incomplete or invalid matter (explanation, kFailedOnNode, All requests).
  for (const auto& [pk, counter_slices] : m.counter_slices) {
    std::vector<int> slices = counter_slices;
    KeepNewest(m, slices);
    PoolView pool;
    if (MakePoolView(m, m.allocated, m.snap.features, pk, std::move(slices), pool) ==
        PoolKind::kObsolete) {
      continue;
    }
    if (pool.incomplete || pool.invalid) m.counter_pools.push_back(std::move(pool));
  }
  std::sort(m.counter_pools.begin(), m.counter_pools.end(), PoolLess);
  return std::unique_ptr<const Allocator>(new Allocator(std::move(impl)));
}

absl::StatusOr<bool> NodeSelectorMatches(const NodeInfo& node, const api::NodeSelector& selector) {
  bool matched = false;
  for (const api::NodeSelectorTerm& term : selector.node_selector_terms) {
    if (term.match_expressions.empty() && term.match_fields.empty()) continue;
    bool ok = true;
    for (const auto& req : term.match_expressions) {
      absl::StatusOr<bool> m = LabelRequirementMatches(node, req);
      if (!m.ok()) return m.status();
      if (!*m) ok = false;
    }
    for (const auto& req : term.match_fields) {
      absl::StatusOr<bool> m = FieldRequirementMatches(node, req);
      if (!m.ok()) return m.status();
      if (!*m) ok = false;
    }
    if (ok) matched = true;
  }
  return matched;
}

AllocatedDevices Allocator::NewAllocatedDevices() const {
  return AllocatedDevices(this, impl_->allocated);
}

void AllocatedDevices::Apply(const DeviceRef& device, const std::optional<std::string>& share_id,
                             const std::map<std::string, Quantity>& consumed, int sign) {
  if (allocator_ == nullptr) return;
  int k = allocator_->impl_->KeyOf(device);
  if (k < 0) return;
  if (!share_id.has_value()) {
    index_.exclusive[k] += sign;
    index_.any[k] += sign;
    return;
  }
  index_.any[k] += sign;
  if (consumed.empty()) return;
  index_.consuming_share[k] += sign;
  if (index_.consuming_share[k] <= 0) {
    index_.aggregated.erase(k);
    return;
  }
  auto& agg = index_.aggregated[k];
  for (const auto& [name, q] : consumed) {
    auto [it, inserted] = agg.try_emplace(name, sign > 0 ? q : Quantity().Sub(q));
    if (!inserted) it->second = sign > 0 ? it->second.Add(q) : it->second.Sub(q);
  }
}

void AllocatedDevices::Add(const api::AllocationResult& allocation) {
  for (const api::DeviceRequestAllocationResult& r : allocation.devices.results) {
    if (r.admin_access.value_or(false)) continue;
    Apply(DeviceRef{r.driver, r.pool, r.device}, r.share_id, r.consumed_capacity, +1);
  }
}

void AllocatedDevices::Remove(const api::AllocationResult& allocation) {
  for (const api::DeviceRequestAllocationResult& r : allocation.devices.results) {
    if (r.admin_access.value_or(false)) continue;
    Apply(DeviceRef{r.driver, r.pool, r.device}, r.share_id, r.consumed_capacity, -1);
  }
}

void AllocatedDevices::Add(const AllocatedState& state) {
  static const std::map<std::string, Quantity> kNone;
  for (const DeviceRef& d : state.exclusive) Apply(d, std::nullopt, kNone, +1);
  for (const AllocatedState::Share& sh : state.shares) Apply(sh.device, sh.share_id, kNone, +1);
  for (const AllocatedState::Consumed& c : state.consumed) {
    // Consumed capacity is listed apart from its share: count it as one more consuming share.
    Apply(c.device, std::string(), c.capacity, +1);
  }
}

int64_t AllocatedDevices::exclusive_count() const {
  int64_t n = 0;
  for (int c : index_.exclusive) n += c > 0 ? 1 : 0;
  return n;
}

absl::StatusOr<AllocationOutcome> Allocator::Allocate(const NodeInfo& node,
                                                      const std::vector<api::ResourceClaim>& claims,
                                                      const AllocateOptions& options) const {
  if (options.allocated != nullptr && options.allocated->allocator() != this) {
    return absl::InvalidArgumentError(
        "AllocateOptions::allocated comes from another Allocator's NewAllocatedDevices()");
  }
  Search search(*impl_, node, claims, options);
  return search.Run();
}

}  // namespace dra::allocator
