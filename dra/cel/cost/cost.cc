#include "dra/cel/cost/cost.h"

#include <cmath>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "dra/cel/checker/types.h"

namespace dra::cel {
namespace {

using checker::Type;
using checker::TypeKind;

// ---------------------------------------------------------------------------------------------
// Saturating arithmetic (cel-go addUint64NoOverflow, multiplyUint64NoOverflow,
// multiplyByCostFactor).

constexpr double kTwoTo64 = 18446744073709551616.0;
// Go's float64(math.MaxUint64) rounds to 2^64.
constexpr double kMaxUint64AsDouble = 18446744073709551616.0;

uint64_t AddSat(uint64_t x, uint64_t y) {
  if (y > 0 && x > UINT64_MAX - y) return UINT64_MAX;
  return x + y;
}

uint64_t MulSat(uint64_t x, uint64_t y) {
  if (y != 0 && x > UINT64_MAX / y) return UINT64_MAX;
  return x * y;
}

uint64_t MulFactor(uint64_t x, double y) {
  const double xf = static_cast<double>(x);
  if (xf > 0 && y > 0 && xf > kMaxUint64AsDouble / y) return UINT64_MAX;
  const double c = std::ceil(xf * y);
  if (c >= kTwoTo64) return UINT64_MAX;
  return static_cast<uint64_t>(c);
}

// Go's uint64(f) for a non-negative float64 on amd64 (values of 2^64 and above do not saturate:
// they come out as 1<<63).
uint64_t GoFloatToUint64(double f) {
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (f < kTwoTo63) return static_cast<uint64_t>(static_cast<int64_t>(f));
  const double y = f - kTwoTo63;
  const uint64_t z = y < kTwoTo63 ? static_cast<uint64_t>(static_cast<int64_t>(y))
                                  : uint64_t{1} << 63;  // cvttsd2si's "integer indefinite"
  return z | (uint64_t{1} << 63);
}

// cel-go SizeEstimate.
struct Size {
  uint64_t min = 0;
  uint64_t max = 0;

  static Size Fixed(uint64_t v) { return {v, v}; }
  static Size Unknown() { return {0, UINT64_MAX}; }
  Size Add(Size o) const { return {AddSat(min, o.min), AddSat(max, o.max)}; }
  Size Multiply(Size o) const { return {MulSat(min, o.min), MulSat(max, o.max)}; }
  Size Union(Size o) const { return {o.min < min ? o.min : min, o.max > max ? o.max : max}; }
};

// cel-go CostEstimate, with its operations.
struct Cost {
  uint64_t min = 0;
  uint64_t max = 0;

  static Cost Fixed(uint64_t v) { return {v, v}; }
  Cost Add(Cost o) const { return {AddSat(min, o.min), AddSat(max, o.max)}; }
  Cost Multiply(Cost o) const { return {MulSat(min, o.min), MulSat(max, o.max)}; }
  Cost MultiplyByCostFactor(double f) const { return {MulFactor(min, f), MulFactor(max, f)}; }
  Cost Union(Cost o) const { return {o.min < min ? o.min : min, o.max > max ? o.max : max}; }
};

Cost SizeTimesFactor(Size s, double f) { return {MulFactor(s.min, f), MulFactor(s.max, f)}; }
Cost SizeTimesCost(Size s, Cost c) { return {MulSat(s.min, c.min), MulSat(s.max, c.max)}; }
Cost SizeAsCost(Size s) { return {s.min, s.max}; }

constexpr double kStringTraversalCostFactor = 0.1;
constexpr double kRegexStringLengthCostFactor = 0.25;
constexpr uint64_t kSelectAndIdentCost = 1;
constexpr uint64_t kListCreateBaseCost = 10;
constexpr uint64_t kMapCreateBaseCost = 30;
constexpr uint64_t kStructCreateBaseCost = 40;
// apiserver pkg/cel/limits.go.
constexpr uint64_t kMaxFormatSize = 64;
constexpr double kMaxNameFormatRegexSize = 128;

// ---------------------------------------------------------------------------------------------
// Field paths, as Go slices: appending to a path that has spare capacity writes into the
// backing array it shares with other paths, exactly as cel-go's `append(path, x)` does. (This
// matters only in corner cases, e.g. the key variable of a two-variable comprehension over an
// indexed map sees the value's path; it is reproduced so that estimates match.)
class GoPath {
 public:
  GoPath() = default;
  // []string{name}.
  static GoPath Of(std::string name) {
    GoPath p;
    p.buf_ = std::make_shared<std::vector<std::string>>(1, std::move(name));
    p.len_ = 1;
    p.cap_ = 1;
    return p;
  }

  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  const std::string& operator[](size_t i) const { return (*buf_)[i]; }

  GoPath Append(std::string elem) const {
    GoPath out;
    if (len_ < cap_) {
      (*buf_)[len_] = std::move(elem);
      out.buf_ = buf_;
      out.cap_ = cap_;
    } else {
      out.cap_ = cap_ == 0 ? 1 : 2 * cap_;  // Go's growth for small slices
      out.buf_ = std::make_shared<std::vector<std::string>>(out.cap_);
      for (size_t i = 0; i < len_; ++i) (*out.buf_)[i] = (*buf_)[i];
      (*out.buf_)[len_] = std::move(elem);
    }
    out.len_ = len_ + 1;
    return out;
  }

  // A fresh copy (no shared backing array).
  GoPath Copy() const {
    GoPath out;
    for (size_t i = 0; i < len_; ++i) out = out.Append((*buf_)[i]);
    return out;
  }

 private:
  std::shared_ptr<std::vector<std::string>> buf_;
  size_t len_ = 0;
  size_t cap_ = 0;
};

// cel-go checker.AstNode: what the estimators see of a node.
struct AstNode {
  GoPath path;  // empty when the node is not reachable from a variable
  Type type;
  const Expr* expr = nullptr;  // null for list-element pseudo nodes
  std::optional<Size> computed_size;
};

struct CallEstimate {
  Cost cost;
  std::optional<Size> result_size;
};

// ---------------------------------------------------------------------------------------------
// The DRA size estimator (dynamic-resource-allocation cel/compile.go sizeEstimator over the
// apiserver DeclTypes of the `device` variable, newest version).

struct DeclNode {
  uint64_t max_elements = 0;
  std::map<std::string, const DeclNode*, std::less<>> fields;
  const DeclNode* key = nullptr;
  const DeclNode* elem = nullptr;
};

struct DraDecls {
  DeclNode domain{63, {}, nullptr, nullptr};     // DeviceMaxDomainLength
  DeclNode id{32, {}, nullptr, nullptr};         // DeviceMaxIDLength
  DeclNode driver{63, {}, nullptr, nullptr};     // DriverNameMaxLength
  DeclNode attribute{64, {}, nullptr, nullptr};  // DeviceAttributeMaxValueLength
  DeclNode multi_alloc{1, {}, nullptr, nullptr};
  DeclNode quantity{0, {}, nullptr, nullptr};
  DeclNode inner_attributes{32, {}, &id, &attribute};
  DeclNode outer_attributes{32, {}, &domain, &inner_attributes};
  DeclNode inner_capacity{32, {}, &id, &quantity};
  DeclNode outer_capacity{32, {}, &domain, &inner_capacity};
  DeclNode device;

  DraDecls() {
    device.fields = {{"driver", &driver},
                     {"attributes", &outer_attributes},
                     {"capacity", &outer_capacity},
                     {"allowMultipleAllocations", &multi_alloc}};
  }
};

const DraDecls& Dra() {
  static const DraDecls* const decls = new DraDecls();
  return *decls;
}

std::optional<Size> DraEstimateSize(const AstNode& node) {
  const GoPath& path = node.path;
  if (path.empty()) return std::nullopt;
  if (path[0] != "device") return std::nullopt;
  const DraDecls& d = Dra();
  const DeclNode* current = &d.device;
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& name = path[i];
    if (name == "@items" || name == "@values") {
      if (current->elem == nullptr) return std::nullopt;
      current = current->elem;
    } else if (name == "@keys") {
      if (current->key == nullptr) return std::nullopt;
      current = current->key;
    } else if (auto it = current->fields.find(name); it != current->fields.end()) {
      current = it->second;
    } else if (current->elem == &d.attribute) {
      // Any attribute of a domain has the attribute value's maximum size.
      current = &d.attribute;
    } else {
      return std::nullopt;
    }
  }
  return Size{0, current->max_elements};
}

// ---------------------------------------------------------------------------------------------
// Helpers over the AST.

const Constant* AsConstant(const Expr* e) {
  return e == nullptr ? nullptr : std::get_if<Constant>(&e->kind);
}

// cel-go computeExprSize: exact sizes of literals and aggregate literals.
std::optional<Size> ExprSize(const Expr& e) {
  if (const auto* c = std::get_if<Constant>(&e.kind)) {
    if (const auto* s = std::get_if<std::string>(&c->value)) {
      uint64_t runes = 0;
      for (unsigned char ch : *s) {
        if ((ch & 0xC0) != 0x80) ++runes;
      }
      return Size::Fixed(runes);
    }
    if (const auto* b = std::get_if<Bytes>(&c->value)) return Size::Fixed(b->data.size());
    return Size::Fixed(1);
  }
  if (const auto* l = std::get_if<ListExpr>(&e.kind)) return Size::Fixed(l->elements.size());
  if (const auto* m = std::get_if<MapExpr>(&e.kind)) return Size::Fixed(m->entries.size());
  return std::nullopt;
}

bool IsScalar(const Type& t) {
  switch (t.kind()) {
    case TypeKind::kBool:
    case TypeKind::kDouble:
    case TypeKind::kDuration:
    case TypeKind::kInt:
    case TypeKind::kTimestamp:
    case TypeKind::kUint:
      return true;
    case TypeKind::kOpaque:
      if (t.name() == "optional_type" && !t.params().empty()) return IsScalar(t.params()[0]);
      return false;
    default:
      return false;
  }
}

// nodeAsIntValue of cel-go ext/lists.go.
uint64_t NodeAsIntValue(const AstNode& node, uint64_t default_value) {
  const Constant* c = AsConstant(node.expr);
  if (c == nullptr) return default_value;
  const auto* i = std::get_if<int64_t>(&c->value);
  if (i == nullptr) return default_value;
  if (*i < 0) return 0;
  return static_cast<uint64_t>(*i);
}

bool IsAccumulatorName(const std::string& name) {
  return name == "__result__" || name == "@result";
}

// cel-go's entrySizeEstimate: the container kind and key/value sizes of list and map values.
struct EntrySize {
  TypeKind container = TypeKind::kUnspecified;
  Size key;
  Size val;
};

std::optional<EntrySize> UnionEntry(const std::optional<EntrySize>& a,
                                    const std::optional<EntrySize>& b) {
  if (!a || !b) return std::nullopt;
  return EntrySize{a->container, a->key.Union(b->key), a->val.Union(b->val)};
}

struct LocalVar {
  GoPath path;
  std::optional<Size> size;
  std::optional<EntrySize> entry_size;
};

// ---------------------------------------------------------------------------------------------
// The estimator (cel-go checker/cost.go coster).

class Coster {
 public:
  Coster(const checker::CheckedExpr& checked, const CostOptions& options)
      : checked_(checked),
        options_(options),
        presence_test_cost_(Cost::Fixed(options.presence_test_has_cost ? 1 : 0)) {}

  Cost CostOf(const Expr* e) {
    if (e == nullptr) return {};
    if (std::holds_alternative<Constant>(e->kind)) return {};
    if (std::optional<std::string> name = VariableName(*e)) return CostIdent(*e, *name);
    if (const auto* sel = std::get_if<SelectExpr>(&e->kind)) return CostSelect(*e, *sel);
    if (const auto* call = std::get_if<CallExpr>(&e->kind)) return CostCall(*e, *call);
    if (const auto* list = std::get_if<ListExpr>(&e->kind)) return CostCreateList(*e, *list);
    if (const auto* map = std::get_if<MapExpr>(&e->kind)) return CostCreateMap(*map, *e);
    if (const auto* st = std::get_if<StructExpr>(&e->kind)) return CostCreateStruct(*st);
    if (const auto* comp = std::get_if<ComprehensionExpr>(&e->kind)) {
      return IsBind(*comp) ? CostBind(*e, *comp) : CostComprehension(*e, *comp);
    }
    return {};
  }

 private:
  // The variable a node reads, as cel-go's checked AST has it: identifiers, and select chains
  // the checker resolved to a (qualified) variable, which cel-go rewrites into identifiers.
  std::optional<std::string> VariableName(const Expr& e) const {
    if (const auto* ident = std::get_if<IdentExpr>(&e.kind)) {
      const checker::Reference* ref = checked_.ReferenceOf(e.id);
      if (ref != nullptr && !ref->name.empty()) return ref->name;
      return ident->name;
    }
    if (const auto* sel = std::get_if<SelectExpr>(&e.kind); sel != nullptr && !sel->test_only) {
      const checker::Reference* ref = checked_.ReferenceOf(e.id);
      if (ref != nullptr && !ref->name.empty() && ref->overload_ids.empty()) return ref->name;
    }
    return std::nullopt;
  }

  const Type& TypeOf(const Expr& e) const { return checked_.TypeOf(e.id); }

  // --- local variables ---

  LocalVar* PeekLocal(const std::string& name) {
    auto it = locals_.find(name);
    if (it == locals_.end() || it->second.empty()) return nullptr;
    return &it->second.back();
  }
  void PushLocal(const std::string& name, LocalVar v) { locals_[name].push_back(std::move(v)); }
  void PopLocal(const std::string& name) {
    auto it = locals_.find(name);
    if (it != locals_.end() && !it->second.empty()) it->second.pop_back();
  }

  TypeKind ContainerOf(const std::optional<EntrySize>& entry, const Expr& range) const {
    TypeKind k = entry ? entry->container : TypeKind::kUnspecified;
    if (k == TypeKind::kUnspecified) k = TypeOf(range).kind();
    return k;
  }

  void PushIterKey(const std::string& name, const Expr& range) {
    std::optional<EntrySize> entry = ComputeEntrySize(range);
    std::optional<Size> size;
    if (entry) size = entry->key;
    const bool list = ContainerOf(entry, range) == TypeKind::kList;
    PushLocal(name, LocalVar{GetPath(range).Append(list ? "@indices" : "@keys"), size, {}});
  }

  void PushIterValue(const std::string& name, const Expr& range) {
    std::optional<EntrySize> entry = ComputeEntrySize(range);
    std::optional<Size> size;
    if (entry) size = entry->val;
    const bool list = ContainerOf(entry, range) == TypeKind::kList;
    PushLocal(name, LocalVar{GetPath(range).Append(list ? "@items" : "@values"), size, {}});
  }

  void PushIterSingle(const std::string& name, const Expr& range) {
    std::optional<EntrySize> entry = ComputeEntrySize(range);
    std::optional<Size> size;
    if (entry) size = entry->key;
    std::string subpath = "@keys";
    if (ContainerOf(entry, range) == TypeKind::kList) {
      size = entry ? std::optional<Size>(entry->val) : std::nullopt;
      subpath = "@items";
    }
    PushLocal(name, LocalVar{GetPath(range).Append(std::move(subpath)), size, {}});
  }

  void PushLocalVar(const std::string& name, const Expr& e) {
    GoPath path = GetPath(e);
    std::optional<EntrySize> entry = ComputeEntrySize(e);
    std::optional<Size> size = ComputeSize(e);
    PushLocal(name, LocalVar{std::move(path), size, entry});
  }

  // --- paths and sizes ---

  GoPath GetPath(const Expr& e) {
    if (std::optional<std::string> name = VariableName(e)) {
      if (LocalVar* v = PeekLocal(*name)) return v->path;
    }
    auto it = paths_.find(e.id);
    return it == paths_.end() ? GoPath() : it->second;
  }
  void AddPath(const Expr& e, GoPath path) { paths_[e.id] = std::move(path); }

  AstNode NewAstNode(const Expr& e) {
    AstNode node;
    node.path = GetPath(e);
    if (!node.path.empty() && IsAccumulatorName(node.path[0])) node.path = GoPath();
    node.type = TypeOf(e);
    node.expr = &e;
    node.computed_size = ComputeSize(e);
    return node;
  }

  void SetSize(const Expr& e, const std::optional<Size>& size) {
    if (size) sizes_[e.id] = *size;
  }

  Size SizeOrUnknown(const Expr& e) { return ComputeSize(e).value_or(Size::Unknown()); }
  static Size SizeOrUnknown(const AstNode& n) { return n.computed_size.value_or(Size::Unknown()); }

  void CopySizeEstimates(const Expr& dst, const Expr& src) {
    SetSize(dst, ComputeSize(src));
    SetEntrySize(dst, ComputeEntrySize(src));
  }

  std::optional<Size> EstimatorSize(const AstNode& node) const {
    if (!options_.dra_device_sizes) return std::nullopt;
    return DraEstimateSize(node);
  }

  std::optional<Size> ComputeSize(const Expr& e) {
    if (auto it = sizes_.find(e.id); it != sizes_.end()) return it->second;
    if (std::optional<Size> s = ExprSize(e)) return s;
    AstNode node;
    node.path = GetPath(e);
    node.type = TypeOf(e);
    node.expr = &e;
    if (std::optional<Size> s = EstimatorSize(node)) {
      sizes_[e.id] = *s;
      return s;
    }
    if (IsScalar(TypeOf(e))) return Size::Fixed(1);
    if (std::optional<std::string> name = VariableName(e)) {
      if (LocalVar* v = PeekLocal(*name); v != nullptr && v->size) return v->size;
    }
    return std::nullopt;
  }

  void SetEntrySize(const Expr& e, const std::optional<EntrySize>& entry) {
    if (entry) entry_sizes_[e.id] = *entry;
  }

  std::optional<EntrySize> ComputeEntrySize(const Expr& e) {
    if (auto it = entry_sizes_.find(e.id); it != entry_sizes_.end()) return it->second;
    if (std::optional<std::string> name = VariableName(e)) {
      if (LocalVar* v = PeekLocal(*name); v != nullptr && v->entry_size) return v->entry_size;
    }
    return std::nullopt;
  }

  // --- node kinds ---

  Cost CostIdent(const Expr& e, const std::string& name) {
    if (LocalVar* v = PeekLocal(name)) {
      AddPath(e, v->path);
    } else {
      AddPath(e, GoPath::Of(name));
    }
    return Cost::Fixed(kSelectAndIdentCost);
  }

  Cost CostSelect(const Expr& e, const SelectExpr& sel) {
    Cost sum;
    if (sel.test_only) {
      sum = sum.Add(presence_test_cost_);
      return sum.Add(CostOf(sel.operand.get()));
    }
    sum = sum.Add(CostOf(sel.operand.get()));
    switch (TypeOf(*sel.operand).kind()) {
      case TypeKind::kMap:
      case TypeKind::kStruct:
      case TypeKind::kTypeParam:
        sum = sum.Add(Cost::Fixed(kSelectAndIdentCost));
        break;
      default:
        break;
    }
    AddPath(e, GetPath(*sel.operand).Append(sel.field));
    return sum;
  }

  Cost CostCall(const Expr& e, const CallExpr& call) {
    const checker::Reference* ref = checked_.ReferenceOf(e.id);
    const bool namespaced = ref != nullptr && ref->namespaced;
    const std::string& function = ref != nullptr && !ref->name.empty() ? ref->name : call.function;

    if (function == "dyn" && !call.args.empty()) {
      const Expr& arg = *call.args[0];
      Cost arg_cost = CostOf(&arg);
      CopySizeEstimates(e, arg);
      return Cost::Fixed(1).Add(arg_cost);
    }

    std::vector<AstNode> args;
    std::vector<Cost> arg_costs;
    args.reserve(call.args.size());
    arg_costs.reserve(call.args.size());
    for (const ExprPtr& arg : call.args) {
      arg_costs.push_back(CostOf(arg.get()));
      args.push_back(NewAstNode(*arg));
    }
    if (ref == nullptr || ref->overload_ids.empty()) return {};

    Cost sum;
    std::optional<AstNode> target;
    if (call.target != nullptr && !namespaced) {
      sum = sum.Add(CostOf(call.target.get()));
      target = NewAstNode(*call.target);
    }
    const AstNode* target_ptr = target ? &*target : nullptr;

    Cost fn_cost{UINT64_MAX, 0};
    std::optional<Size> result_size;
    for (const std::string& overload : ref->overload_ids) {
      CallEstimate est = FunctionCost(e, function, overload, target_ptr, args, arg_costs);
      fn_cost = fn_cost.Union(est.cost);
      if (est.result_size) {
        result_size = result_size ? result_size->Union(*est.result_size) : *est.result_size;
      }
      if ((overload == "index_list" || overload == "index_map") && !call.args.empty()) {
        std::optional<EntrySize> entry = ComputeEntrySize(*call.args[0]);
        result_size = entry ? std::optional<Size>(entry->val) : std::nullopt;
        AddPath(e, GetPath(*call.args[0]).Append(overload == "index_list" ? "@items" : "@values"));
      }
      if (!result_size) result_size = ComputeSize(e);
    }
    SetSize(e, result_size);
    return sum.Add(fn_cost);
  }

  Cost CostCreateList(const Expr& e, const ListExpr& list) {
    Cost sum;
    Size item{UINT64_MAX, 0};
    if (list.elements.empty()) item.min = 0;
    for (const ExprPtr& elem : list.elements) {
      sum = sum.Add(CostOf(elem.get()));
      item = item.Union(SizeOrUnknown(*elem));
    }
    SetEntrySize(e, EntrySize{TypeKind::kList, Size::Fixed(1), item});
    return sum.Add(Cost::Fixed(kListCreateBaseCost));
  }

  Cost CostCreateMap(const MapExpr& map, const Expr& e) {
    Cost sum;
    Size key{UINT64_MAX, 0};
    Size val{UINT64_MAX, 0};
    if (map.entries.empty()) {
      key.min = 0;
      val.min = 0;
    }
    for (const MapEntry& entry : map.entries) {
      sum = sum.Add(CostOf(entry.key.get()));
      sum = sum.Add(CostOf(entry.value.get()));
      key = key.Union(SizeOrUnknown(*entry.key));
      val = val.Union(SizeOrUnknown(*entry.value));
    }
    SetEntrySize(e, EntrySize{TypeKind::kMap, key, val});
    return sum.Add(Cost::Fixed(kMapCreateBaseCost));
  }

  Cost CostCreateStruct(const StructExpr& st) {
    Cost sum;
    for (const StructField& field : st.fields) sum = sum.Add(CostOf(field.value.get()));
    return sum.Add(Cost::Fixed(kStructCreateBaseCost));
  }

  Cost CostComprehension(const Expr& e, const ComprehensionExpr& comp) {
    Cost sum;
    sum = sum.Add(CostOf(comp.iter_range.get()));
    sum = sum.Add(CostOf(comp.accu_init.get()));
    PushLocalVar(comp.accu_var, *comp.accu_init);
    if (!comp.iter_var2.empty()) {
      PushIterKey(comp.iter_var, *comp.iter_range);
      PushIterValue(comp.iter_var2, *comp.iter_range);
    } else {
      PushIterSingle(comp.iter_var, *comp.iter_range);
    }
    Cost loop_cost = CostOf(comp.loop_condition.get());
    Cost step_cost = CostOf(comp.loop_step.get());
    PopLocal(comp.iter_var);
    if (!comp.iter_var2.empty()) PopLocal(comp.iter_var2);
    sum = sum.Add(CostOf(comp.result.get()));
    PopLocal(comp.accu_var);

    Size range_count = SizeOrUnknown(*comp.iter_range);
    sum = sum.Add(SizeTimesCost(range_count, step_cost.Add(loop_cost)));

    const Expr& init = *comp.accu_init;
    if (std::holds_alternative<Constant>(init.kind)) {
      SetSize(e, ComputeSize(init));
    } else if (std::holds_alternative<ListExpr>(init.kind) ||
               std::holds_alternative<MapExpr>(init.kind)) {
      SetSize(e, range_count);
      SetEntrySize(e, ComputeEntrySize(*comp.loop_step));
    }
    return sum;
  }

  bool IsBind(const ComprehensionExpr& comp) const {
    const auto* range = std::get_if<ListExpr>(&comp.iter_range->kind);
    const Constant* cond = AsConstant(comp.loop_condition.get());
    if (range == nullptr || !range->elements.empty() || cond == nullptr) return false;
    const auto* b = std::get_if<bool>(&cond->value);
    return b != nullptr && !*b && comp.accu_var != "__result__";
  }

  Cost CostBind(const Expr& e, const ComprehensionExpr& comp) {
    Cost sum;
    sum = sum.Add(CostOf(comp.iter_range.get()));
    sum = sum.Add(CostOf(comp.accu_init.get()));
    PushLocalVar(comp.accu_var, *comp.accu_init);
    sum = sum.Add(CostOf(comp.result.get()));
    PopLocal(comp.accu_var);
    CopySizeEstimates(e, *comp.result);
    return sum;
  }

  // --- calls ---

  CallEstimate FunctionCost(const Expr& e, const std::string& function, const std::string& overload,
                            const AstNode* target, const std::vector<AstNode>& args,
                            const std::vector<Cost>& arg_costs) {
    Cost arg_sum;
    for (const Cost& c : arg_costs) arg_sum = arg_sum.Add(c);

    if (std::optional<CallEstimate> est = OverloadEstimate(overload, target, args)) {
      return {est->cost.Add(arg_sum), est->result_size};
    }
    if (options_.kubernetes_library_costs) {
      if (std::optional<CallEstimate> est = KubernetesEstimate(function, overload, target, args)) {
        return {est->cost.Add(arg_sum), est->result_size};
      }
    }

    const double kStr = kStringTraversalCostFactor;
    if (overload == "string_format") {
      if (target != nullptr) return {SizeTimesFactor(SizeOrUnknown(*target), kStr).Add(arg_sum)};
    } else if (overload == "string_to_bytes") {
      if (args.size() == 1) {
        Size sz = SizeOrUnknown(args[0]);
        // Go does not saturate sz.Max * 4.
        return {SizeTimesFactor(sz, kStr).Add(arg_sum), Size{sz.min, sz.max * 4}};
      }
    } else if (overload == "bytes_to_string") {
      if (args.size() == 1) {
        Size sz = SizeOrUnknown(args[0]);
        return {SizeTimesFactor(sz, kStr).Add(arg_sum), Size{sz.min / 4, sz.max}};
      }
    } else if (overload == "strings_quote") {
      if (args.size() == 1) {
        Size sz = SizeOrUnknown(args[0]);
        return {SizeTimesFactor(sz, kStr).Add(arg_sum), Size{sz.min + 2, sz.max * 2 + 2}};
      }
    } else if (overload == "starts_with_string" || overload == "ends_with_string") {
      if (args.size() == 1) return {SizeTimesFactor(SizeOrUnknown(args[0]), kStr).Add(arg_sum)};
    } else if (overload == "in_list") {
      if (args.size() == 2) return {SizeTimesFactor(SizeOrUnknown(args[1]), 1).Add(arg_sum)};
    } else if (overload == "matches_string") {
      if (target != nullptr && args.size() == 1) {
        Cost str = SizeTimesFactor(SizeOrUnknown(*target).Add(Size::Fixed(1)), kStr);
        Cost re = SizeTimesFactor(SizeOrUnknown(args[0]), kRegexStringLengthCostFactor);
        return {str.Multiply(re).Add(arg_sum)};
      }
    } else if (overload == "contains_string") {
      if (target != nullptr && args.size() == 1) {
        Cost str = SizeTimesFactor(SizeOrUnknown(*target), kStr);
        Cost sub = SizeTimesFactor(SizeOrUnknown(args[0]), kStr);
        return {str.Multiply(sub).Add(arg_sum)};
      }
    } else if (overload == "logical_or" || overload == "logical_and") {
      if (arg_costs.size() == 2) {
        const Cost& lhs = arg_costs[0];
        const Cost& rhs = arg_costs[1];
        return {Cost{lhs.min, lhs.Add(rhs).max}};
      }
    } else if (overload == "conditional") {
      if (args.size() == 3) {
        Size size = SizeOrUnknown(args[1]).Union(SizeOrUnknown(args[2]));
        SetEntrySize(e,
                     UnionEntry(ComputeEntrySize(*args[1].expr), ComputeEntrySize(*args[2].expr)));
        Cost cost = arg_costs[0].Add(arg_costs[1].Union(arg_costs[2]));
        return {cost, size};
      }
    } else if (overload == "add_string" || overload == "add_bytes" || overload == "add_list") {
      if (args.size() == 2) {
        Size result = SizeOrUnknown(args[0]).Add(SizeOrUnknown(args[1]));
        std::optional<EntrySize> entry =
            UnionEntry(ComputeEntrySize(*args[0].expr), ComputeEntrySize(*args[1].expr));
        SetEntrySize(e, entry);
        if (overload == "add_list") return {Cost::Fixed(1).Add(arg_sum), result};
        return {SizeTimesFactor(result, kStr).Add(arg_sum), result};
      }
    } else if (overload == "less_string" || overload == "greater_string" ||
               overload == "less_equals_string" || overload == "greater_equals_string" ||
               overload == "less_bytes" || overload == "greater_bytes" ||
               overload == "less_equals_bytes" || overload == "greater_equals_bytes" ||
               overload == "equals" || overload == "not_equals") {
      if (args.size() == 2) {
        Size lhs = SizeOrUnknown(args[0]);
        Size rhs = SizeOrUnknown(args[1]);
        uint64_t smallest_max = rhs.max < lhs.max ? rhs.max : lhs.max;
        uint64_t min = smallest_max > 0 ? 1 : 0;
        return {Cost{min, smallest_max}.MultiplyByCostFactor(kStr).Add(arg_sum)};
      }
    }
    // O(1) functions.
    return {Cost::Fixed(1).Add(arg_sum)};
  }

  // Size as the extension libraries and the Kubernetes estimator compute it: the node's
  // computed size, else the size estimator's, else unknown.
  Size EstimateSizeOf(const AstNode& node) const {
    if (node.computed_size) return *node.computed_size;
    if (std::optional<Size> s = EstimatorSize(node)) return *s;
    return Size::Unknown();
  }

  // The overload estimators that cel-go's ext.Lists(v3) and ext.Sets() install
  // (cel.CostEstimatorOptions); they take precedence over the Kubernetes estimator.
  std::optional<CallEstimate> OverloadEstimate(const std::string& overload, const AstNode* target,
                                               const std::vector<AstNode>& args) const {
    const Cost call_cost = Cost::Fixed(1);
    auto list_call = [&](double factor, Size list_size) {
      Cost cost = SizeTimesFactor(list_size, factor).Add(call_cost);
      cost = cost.Add(Cost::Fixed(kListCreateBaseCost));
      return CallEstimate{cost, list_size};
    };
    auto sort_cost = [&](const AstNode& node, const std::string& elem_type) {
      Size sz = EstimateSizeOf(node);
      double factor = 2.0;
      if (elem_type == "string" || elem_type == "bytes") factor += kStringTraversalCostFactor;
      return list_call(factor, sz.Multiply(sz));
    };
    if (overload == "list_sets_contains_list" || overload == "list_sets_intersects_list" ||
        overload == "list_sets_equivalent_list") {
      if (args.size() != 2) return std::nullopt;
      const double factor = overload == "list_sets_equivalent_list" ? 2 : 1;
      Size product = EstimateSizeOf(args[0]).Multiply(EstimateSizeOf(args[1]));
      return CallEstimate{SizeTimesFactor(product, factor).Add(call_cost), std::nullopt};
    }
    if (overload == "list_slice") {
      if (target == nullptr || args.size() != 2) return std::nullopt;
      Size sz = EstimateSizeOf(*target);
      uint64_t start = NodeAsIntValue(args[0], 0);
      uint64_t end = NodeAsIntValue(args[1], sz.max);
      return list_call(1, Size::Fixed(end - start));
    }
    if (overload == "lists_range") {
      if (target != nullptr || args.size() != 1) return std::nullopt;
      return list_call(1, Size::Fixed(NodeAsIntValue(args[0], UINT64_MAX)));
    }
    if (overload == "list_reverse") {
      if (target == nullptr || !args.empty()) return std::nullopt;
      return list_call(1, EstimateSizeOf(*target));
    }
    if (overload == "list_flatten" || overload == "list_flatten_int") {
      if (target == nullptr || args.size() > 1) return std::nullopt;
      uint64_t depth = 1;
      if (args.size() == 1) depth = NodeAsIntValue(args[0], UINT64_MAX);
      return list_call(static_cast<double>(depth), EstimateSizeOf(*target));
    }
    if (overload == "list_distinct") {
      if (target == nullptr || !args.empty()) return std::nullopt;
      Size sz = EstimateSizeOf(*target);
      return list_call(2.0, sz.Multiply(sz));
    }
    // list_<T>_sort and list_<T>_sortByAssociatedKeys for the comparable types.
    static const char* const kComparable[] = {
        "int",    "uint", "double", "bool", "google.protobuf.Duration", "google.protobuf.Timestamp",
        "string", "bytes"};
    for (const char* t : kComparable) {
      const std::string type_name = t;
      if (overload == "list_" + type_name + "_sort") {
        if (target == nullptr || !args.empty()) return std::nullopt;
        return sort_cost(*target, type_name);
      }
      if (overload == "list_" + type_name + "_sortByAssociatedKeys") {
        if (target == nullptr || args.size() != 1) return std::nullopt;
        return sort_cost(args[0], type_name);
      }
    }
    return std::nullopt;
  }

  // The list-element pseudo node of library.CostEstimator.listElementNode.
  static std::optional<AstNode> ListElementNode(const AstNode& list) {
    if (list.type.params().empty()) return std::nullopt;
    AstNode node;
    node.type = list.type.params()[0];
    if (!list.path.empty()) node.path = list.path.Copy().Append("@items");
    return node;
  }

  // k8s.io/apiserver pkg/cel/library/cost.go CostEstimator.EstimateCallCost (keyed by function
  // name, like upstream).
  std::optional<CallEstimate> KubernetesEstimate(const std::string& function,
                                                 const std::string& overload, const AstNode* target,
                                                 const std::vector<AstNode>& args) const {
    const double kStr = kStringTraversalCostFactor;
    auto fixed = [](uint64_t v) { return CallEstimate{Cost::Fixed(v), std::nullopt}; };
    auto is = [&](std::initializer_list<const char*> names) {
      for (const char* n : names) {
        if (function == n) return true;
      }
      return false;
    };

    if (function == "check") return fixed(350000);
    if (is({"serviceAccount", "path", "group", "resource", "subresource", "namespace", "name",
            "allowed", "reason", "error", "errored"})) {
      return fixed(1);
    }
    if (is({"fieldSelector", "labelSelector"})) {
      if (args.size() != 1) return std::nullopt;
      Size length = EstimateSizeOf(args[0]);
      Cost parse = SizeTimesFactor(length, kStr);
      Cost requirements = SizeTimesFactor(length, 0.5);
      Cost requirement_cost = requirements.MultiplyByCostFactor(
          static_cast<double>(kListCreateBaseCost + kStructCreateBaseCost));
      return CallEstimate{Cost::Fixed(kListCreateBaseCost).Add(parse).Add(requirement_cost),
                          std::nullopt};
    }
    if (is({"isSorted", "sum", "max", "min", "indexOf", "lastIndexOf"})) {
      if (target == nullptr) return std::nullopt;
      if (std::optional<AstNode> elem = ListElementNode(*target)) {
        Cost elem_cost = Cost::Fixed(1);
        const TypeKind k = elem->type.kind();
        if (k == TypeKind::kString || k == TypeKind::kBytes) {
          elem_cost = elem_cost.Add(SizeTimesFactor(EstimateSizeOf(*elem), kStr));
        }
        return CallEstimate{SizeTimesCost(EstimateSizeOf(*target), elem_cost), std::nullopt};
      }
      return CallEstimate{SizeTimesFactor(EstimateSizeOf(*target), kStr), std::nullopt};
    }
    if (is({"url", "jsonpatch.escapeKey"})) {
      if (args.size() != 1) return std::nullopt;
      Size sz = EstimateSizeOf(args[0]);
      return CallEstimate{SizeTimesFactor(sz, kStr), sz};
    }
    if (is({"lowerAscii", "upperAscii", "substring", "trim"})) {
      if (target == nullptr) return std::nullopt;
      Size sz = EstimateSizeOf(*target);
      return CallEstimate{SizeTimesFactor(sz, kStr), sz};
    }
    if (function == "replace") {
      if (target == nullptr || args.size() < 2) return std::nullopt;
      return Replace(*target, args);
    }
    if (function == "split") {
      if (target == nullptr) return std::nullopt;
      Size sz = EstimateSizeOf(*target);
      uint64_t max = sz.max;
      if (args.size() > 1) {
        if (const Constant* c = AsConstant(args[1].expr)) {
          if (const auto* i = std::get_if<int64_t>(&c->value)) max = static_cast<uint64_t>(*i);
        }
      }
      return CallEstimate{SizeTimesFactor(sz, 2 * kStr), Size{0, max}};
    }
    if (function == "join") {
      if (target == nullptr) return std::nullopt;
      Size sz;
      Size list_size = EstimateSizeOf(*target);
      if (std::optional<AstNode> elem = ListElementNode(*target)) {
        sz = list_size.Multiply(EstimateSizeOf(*elem));
      }
      if (!args.empty()) {
        Size sep = EstimateSizeOf(args[0]);
        Size separators{list_size.min > 0 ? list_size.min - 1 : 0,
                        list_size.max > 0 ? list_size.max - 1 : 0};
        sz = sz.Add(sep.Multiply(separators));
      }
      return CallEstimate{SizeTimesFactor(sz, kStr), sz};
    }
    if (is({"find", "findAll"})) {
      if (target == nullptr || args.empty()) return std::nullopt;
      Size sz = EstimateSizeOf(*target);
      Cost str = SizeTimesFactor(sz.Add(Size::Fixed(1)), kStr);
      Cost re = SizeTimesFactor(EstimateSizeOf(args[0]), kRegexStringLengthCostFactor);
      return CallEstimate{str.Multiply(re), Size{0, sz.max}};
    }
    if (is({"cidr", "isIP", "isCIDR"})) {
      if (args.empty()) return std::nullopt;
      return CallEstimate{SizeTimesFactor(EstimateSizeOf(args[0]), kStr), std::nullopt};
    }
    if (function == "ip") {
      if (overload == "cidr_ip") return fixed(1);
      if (args.empty()) return std::nullopt;
      return CallEstimate{SizeTimesFactor(EstimateSizeOf(args[0]), kStr), std::nullopt};
    }
    if (function == "ip.isCanonical") {
      if (args.empty()) return std::nullopt;
      return CallEstimate{SizeTimesFactor(EstimateSizeOf(args[0]), 2 * kStr), std::nullopt};
    }
    if (is({"masked", "prefixLength", "family", "isUnspecified", "isLoopback",
            "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast"})) {
      return fixed(1);
    }
    if (is({"containsIP", "containsCIDR"})) {
      if (args.empty()) return std::nullopt;
      const Size ip_bytes{4, 16};
      Cost cost = SizeTimesFactor(ip_bytes.Add(ip_bytes), kStr);
      if (function == "containsCIDR") {
        cost = cost.Add(SizeTimesFactor(ip_bytes, kStr));
        cost = cost.Add(Cost::Fixed(1));
      }
      if (overload == "cidr_contains_ip_string" || overload == "cidr_contains_cidr_string") {
        cost = cost.Add(SizeAsCost(EstimateSizeOf(args[0])).MultiplyByCostFactor(kStr));
      }
      return CallEstimate{cost, std::nullopt};
    }
    if (is({"quantity", "isQuantity", "semver", "isSemver"})) {
      if (args.empty()) return std::nullopt;
      return CallEstimate{SizeTimesFactor(EstimateSizeOf(args[0]), kStr), std::nullopt};
    }
    if (function == "validate") {
      if (args.empty()) return std::nullopt;
      Cost cost = SizeTimesFactor(EstimateSizeOf(args[0]), kStr)
                      .MultiplyByCostFactor(kMaxNameFormatRegexSize * kRegexStringLengthCostFactor);
      return CallEstimate{cost, std::nullopt};
    }
    if (function == "format.named") return fixed(1);
    if (is({"sign", "asInteger", "isInteger", "asApproximateFloat", "isGreaterThan", "isLessThan",
            "compareTo", "add", "sub", "major", "minor", "patch"})) {
      return fixed(1);
    }
    if (is({"getScheme", "getHostname", "getHost", "getPort", "getEscapedPath", "getQuery"})) {
      return fixed(1);
    }
    if (function == "_==_") {
      if (args.size() != 2) return std::nullopt;
      const Type& t = args[0].type;
      if (!t.IsExact(args[1].type)) return std::nullopt;
      if (t.kind() == TypeKind::kOpaque && (t.name() == "net.IP" || t.name() == "net.CIDR")) {
        return fixed(1);
      }
      if (t.kind() == TypeKind::kStruct) {
        const std::string& n = t.name();
        if (n == "kubernetes.Quantity" || n == "kubernetes.Semver" ||
            n == "kubernetes.authorization.Authorizer" ||
            n == "kubernetes.authorization.PathCheck" ||
            n == "kubernetes.authorization.GroupCheck" ||
            n == "kubernetes.authorization.ResourceCheck" ||
            n == "kubernetes.authorization.Decision") {
          return fixed(1);
        }
        if (n == "kubernetes.NamedFormat") {
          return CallEstimate{Cost{1, kMaxFormatSize}.MultiplyByCostFactor(kStr), std::nullopt};
        }
        if (n == "kubernetes.URL") {
          Size size = Size::Fixed(1);
          // Upstream reads the right-hand side's size twice.
          const std::optional<Size>& rhs = args[1].computed_size;
          if (rhs) size = rhs->Union(*rhs);
          return CallEstimate{Cost{1, size.max}.MultiplyByCostFactor(kStr), std::nullopt};
        }
      }
    }
    return std::nullopt;
  }

  CallEstimate Replace(const AstNode& target, const std::vector<AstNode>& args) const {
    Size sz = EstimateSizeOf(target);
    Size to_replace = EstimateSizeOf(args[0]);
    Size replace_with = EstimateSizeOf(args[1]);
    Size count;
    Size retained;
    // The longest result.
    if (to_replace.min == 0) {
      count.max = sz.max < UINT64_MAX ? sz.max + 1 : sz.max;
      retained.max = sz.max;
    } else if (replace_with.max <= to_replace.min) {
      count.max = 0;
      retained.max = sz.max;
    } else {
      count.max = GoFloatToUint64(
          std::ceil(static_cast<double>(sz.max) / static_cast<double>(to_replace.min)));
    }
    // The shortest result.
    if (to_replace.max == 0) {
      count.min = sz.min < UINT64_MAX ? sz.min + 1 : sz.min;
      retained.min = sz.min;
    } else if (to_replace.max <= replace_with.min) {
      count.min = 0;
      retained.min = sz.min;
    } else {
      count.min = GoFloatToUint64(
          std::ceil(static_cast<double>(sz.min) / static_cast<double>(to_replace.max)));
    }
    Size size = count.Multiply(replace_with).Add(retained);
    return CallEstimate{SizeTimesFactor(sz, 2 * kStringTraversalCostFactor), size};
  }

  const checker::CheckedExpr& checked_;
  const CostOptions& options_;
  const Cost presence_test_cost_;
  std::map<int64_t, GoPath> paths_;
  std::map<std::string, std::vector<LocalVar>> locals_;
  std::map<int64_t, Size> sizes_;
  std::map<int64_t, EntrySize> entry_sizes_;
};

}  // namespace

absl::StatusOr<CostEstimate> EstimateCost(const ParsedExpr& parsed,
                                          const checker::CheckedExpr& checked,
                                          const CostOptions& options) {
  if (parsed.expr == nullptr) return absl::InvalidArgumentError("cost estimation: empty AST");
  Coster coster(checked, options);
  Cost cost = coster.CostOf(parsed.expr.get());
  return CostEstimate{cost.min, cost.max};
}

api::FieldError CostLimitExceededError(const api::FieldPath& expression_path) {
  return api::ForbiddenError(expression_path, std::string(kCostLimitExceededDetail));
}

std::optional<api::FieldError> CheckSelectorCost(const api::FieldPath& expression_path,
                                                 const CostEstimate& estimate) {
  if (estimate.max > kSelectorMaxCost) return CostLimitExceededError(expression_path);
  return std::nullopt;
}

}  // namespace dra::cel
