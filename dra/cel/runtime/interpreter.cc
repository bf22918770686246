#include "dra/cel/runtime/interpreter.h"

#include <cmath>
#include <string_view>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "dra/base/strings.h"

namespace dra::cel {
namespace internal {

// Mutable state of one evaluation.
struct Frame {
  const Activation* activation = nullptr;
  Value* slots = nullptr;
  const Node** lazy = nullptr;  // per slot: initializer still to evaluate (cel.bind)
  int64_t cost = 0;
  int64_t limit = -1;
  bool cancelled = false;

  void AddCost(int64_t n) {
    cost += n;
    if (limit >= 0 && cost > limit) cancelled = true;
  }
};

class Node {
 public:
  virtual ~Node() = default;
  virtual Value Eval(Frame& f) const = 0;
  // For constant folding: the node's value when it is a constant.
  virtual const Value* ConstantValue() const { return nullptr; }
};

}  // namespace internal

namespace {

using internal::Frame;
using internal::Node;
using NodePtr = std::unique_ptr<Node>;

Value CostLimitError() {
  static const ErrorValue* const kError =
      new ErrorValue("operation cancelled: actual cost limit exceeded");
  return Value::ErrorView(kError);
}

Value InvalidKeyError(const Value& key) {
  return Value::Error(StrCat("unsupported key type: ", key.TypeName()));
}

// --- Selection and indexing semantics ------------------------------------------------------------

// `operand.field`; `optional` selects with optional semantics (missing -> none).
Value SelectField(const Value& operand, std::string_view field, bool test_only, bool optional) {
  switch (operand.kind()) {
    case ValueKind::kMap: {
      std::optional<Value> v = operand.map().FindField(field);
      if (test_only) return Value::Bool(v.has_value());
      if (!v.has_value()) {
        if (optional) return Value::OptionalNone();
        return Value::Error(StrCat("no such key: ", field));
      }
      if (optional) return Value::OptionalOf(std::move(*v));
      return std::move(*v);
    }
    case ValueKind::kOptional:
      if (!operand.optional_has_value()) {
        return test_only ? Value::Bool(false) : Value::OptionalNone();
      }
      return SelectField(operand.optional_value(), field, test_only, !test_only);
    case ValueKind::kError:
      return operand;
    default:
      return ErrNoSuchOverload();
  }
}

// The integer position denoted by an index value, or an error.
bool ListIndex(const Value& index, int64_t* out, Value* error) {
  switch (index.kind()) {
    case ValueKind::kInt:
      *out = index.int_value();
      return true;
    case ValueKind::kUint:
      if (index.uint_value() > static_cast<uint64_t>(INT64_MAX)) {
        *error = ErrIndexOutOfBounds(-1);
        return false;
      }
      *out = static_cast<int64_t>(index.uint_value());
      return true;
    case ValueKind::kDouble: {
      double d = index.double_value();
      if (d != std::trunc(d) || !(d >= -9.2e18 && d <= 9.2e18)) {
        *error = Value::Error(StrCat("unsupported index value ", FormatDouble(d), " in list"));
        return false;
      }
      *out = static_cast<int64_t>(d);
      return true;
    }
    default:
      *error = ErrNoSuchOverload();
      return false;
  }
}

Value IndexValue(const Value& operand, const Value& index, bool optional) {
  if (operand.IsError()) return operand;
  if (index.IsError()) return index;
  switch (operand.kind()) {
    case ValueKind::kList: {
      int64_t i;
      Value err;
      if (!ListIndex(index, &i, &err)) return err;
      const ListValue& l = operand.list();
      if (i < 0 || static_cast<uint64_t>(i) >= l.Size()) {
        if (optional) return Value::OptionalNone();
        return ErrIndexOutOfBounds(i);
      }
      if (optional) return Value::OptionalOf(l.Get(static_cast<size_t>(i)));
      return l.Get(static_cast<size_t>(i));
    }
    case ValueKind::kMap: {
      std::optional<Value> v;
      if (index.kind() == ValueKind::kString) {
        v = operand.map().FindField(index.string_view());
      } else if (IsValidMapKey(index) || index.kind() == ValueKind::kDouble) {
        v = operand.map().Find(index);
      } else {
        return InvalidKeyError(index);
      }
      if (!v.has_value()) {
        if (optional) return Value::OptionalNone();
        return ErrNoSuchKey(index);
      }
      if (optional) return Value::OptionalOf(std::move(*v));
      return std::move(*v);
    }
    case ValueKind::kOptional:
      if (!operand.optional_has_value()) return Value::OptionalNone();
      return IndexValue(operand.optional_value(), index, true);
    default:
      return ErrNoSuchOverload();
  }
}

// --- Nodes ---------------------------------------------------------------------------------------

// A literal. Strings and bytes are kept in the node and handed out as borrowed views, so
// reading a constant never touches a reference count.
class ConstNode final : public Node {
 public:
  explicit ConstNode(Value v) : value_(std::move(v)) {}
  ConstNode(ValueKind kind, std::string text) : storage_(std::move(text)) {
    value_ = kind == ValueKind::kString ? Value::StringView(storage_) : Value::BytesView(storage_);
  }
  Value Eval(Frame&) const override { return value_; }
  const Value* ConstantValue() const override { return &value_; }

 private:
  std::string storage_;
  Value value_;
};

class SlotNode final : public Node {
 public:
  explicit SlotNode(int slot) : slot_(slot) {}
  Value Eval(Frame& f) const override {
    if (const Node* init = f.lazy[slot_]) {
      f.lazy[slot_] = nullptr;
      f.slots[slot_] = init->Eval(f);
    }
    f.AddCost(1);
    return f.slots[slot_];
  }

 private:
  int slot_;
};

// Type names usable as identifiers (`type(x) == int`): CEL's own and those of the libraries the
// Kubernetes environment declares with cel.Types (their values' TypeName() spells the same).
constexpr std::string_view kTypeNames[] = {"int",
                                           "uint",
                                           "double",
                                           "bool",
                                           "string",
                                           "bytes",
                                           "list",
                                           "map",
                                           "null_type",
                                           "type",
                                           "optional_type",
                                           "google.protobuf.Timestamp",
                                           "google.protobuf.Duration",
                                           "net.IP",
                                           "net.CIDR",
                                           "kubernetes.Quantity",
                                           "kubernetes.Semver",
                                           "kubernetes.URL"};

bool IsBuiltinTypeName(std::string_view name) {
  for (std::string_view n : kTypeNames) {
    if (n == name) return true;
  }
  return false;
}

// A variable, possibly written as a qualified name: `a.b.c` where the activation may bind "a",
// "a.b" or "a.b.c". The longest bound prefix wins; the remaining parts are field selections.
class AttributeNode final : public Node {
 public:
  // `candidates[i]` are the full names to look up for names[i], in resolution order (container
  // prefixes first; see Planner::Candidates).
  AttributeNode(std::vector<std::string> names, std::vector<std::vector<std::string>> candidates,
                std::vector<std::string> fields, bool test_only)
      : names_(std::move(names)),
        candidates_(std::move(candidates)),
        fields_(std::move(fields)),
        test_only_(test_only) {}

  Value Eval(Frame& f) const override {
    f.AddCost(1);
    for (size_t k = names_.size(); k > 0; --k) {
      const Value* v = nullptr;
      for (const std::string& candidate : candidates_[k - 1]) {
        v = f.activation->Find(candidate);
        if (v != nullptr) break;
      }
      if (v == nullptr) continue;
      if (k == names_.size()) return test_only_ ? Value::Bool(true) : *v;
      return ApplyFields(*v, k - 1);
    }
    for (size_t k = names_.size(); k > 0; --k) {
      if (IsBuiltinTypeName(names_[k - 1])) {
        Value t = Value::TypeValue(TypeNameStorage(names_[k - 1]));
        if (k == names_.size()) return t;
        return ApplyFields(t, k - 1);
      }
    }
    return Value::Error(StrCat("no such attribute(s): ", names_.back()));
  }

 private:
  // The static storage of a type name (IsBuiltinTypeName(name) is true).
  static std::string_view TypeNameStorage(std::string_view name) {
    for (std::string_view n : kTypeNames) {
      if (n == name) return n;
    }
    return "unknown";
  }

  // Applies fields_[first..] to `v` (fields_[i] is the field after names_[i]).
  Value ApplyFields(const Value& root, size_t first) const {
    if (first + 1 == fields_.size() && root.kind() == ValueKind::kMap && !test_only_) {
      // Fast path: one field on a map.
      std::optional<Value> r = root.map().FindField(fields_[first]);
      if (r.has_value()) return std::move(*r);
      return Value::Error(StrCat("no such key: ", fields_[first]));
    }
    Value v = root;
    for (size_t i = first; i < fields_.size(); ++i) {
      bool last = i + 1 == fields_.size();
      v = SelectField(v, fields_[i], last && test_only_, false);
      if (v.IsError()) return v;
    }
    return v;
  }

  std::vector<std::string> names_;  // "a", "a.b", "a.b.c"
  std::vector<std::vector<std::string>> candidates_;
  std::vector<std::string> fields_;  // "b", "c" (fields_[i] follows names_[i])
  bool test_only_;
};

class SelectNode final : public Node {
 public:
  SelectNode(NodePtr operand, std::string field, bool test_only)
      : operand_(std::move(operand)), field_(std::move(field)), test_only_(test_only) {}
  Value Eval(Frame& f) const override {
    Value v = operand_->Eval(f);
    if (!test_only_) f.AddCost(1);
    return SelectField(v, field_, test_only_, false);
  }

 private:
  NodePtr operand_;
  std::string field_;
  bool test_only_;
};

class OptSelectNode final : public Node {
 public:
  OptSelectNode(NodePtr operand, std::string field)
      : operand_(std::move(operand)), field_(std::move(field)) {}
  Value Eval(Frame& f) const override {
    Value v = operand_->Eval(f);
    f.AddCost(1);
    if (v.kind() == ValueKind::kOptional && !v.optional_has_value()) return v;
    if (v.kind() == ValueKind::kOptional)
      return SelectField(v.optional_value(), field_, false, true);
    return SelectField(v, field_, false, true);
  }

 private:
  NodePtr operand_;
  std::string field_;
};

class IndexNode final : public Node {
 public:
  IndexNode(NodePtr operand, NodePtr index, bool optional)
      : operand_(std::move(operand)), index_(std::move(index)), optional_(optional) {}
  Value Eval(Frame& f) const override {
    Value v = operand_->Eval(f);
    Value i = index_->Eval(f);
    f.AddCost(1);
    if (optional_ && v.kind() == ValueKind::kOptional) {
      if (!v.optional_has_value()) return v;
      return IndexValue(v.optional_value(), i, true);
    }
    return IndexValue(v, i, optional_);
  }

 private:
  NodePtr operand_;
  NodePtr index_;
  bool optional_;
};

class AndNode final : public Node {
 public:
  AndNode(NodePtr lhs, NodePtr rhs) : lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value Eval(Frame& f) const override {
    Value l = lhs_->Eval(f);
    if (l.IsFalse()) return l;
    Value r = rhs_->Eval(f);
    if (r.IsFalse()) return r;
    if (l.IsTrue() && r.IsTrue()) return r;
    if (!l.IsBool()) return l.IsError() ? l : ErrNoSuchOverload();
    return r.IsError() ? r : ErrNoSuchOverload();
  }

 private:
  NodePtr lhs_, rhs_;
};

class OrNode final : public Node {
 public:
  OrNode(NodePtr lhs, NodePtr rhs) : lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value Eval(Frame& f) const override {
    Value l = lhs_->Eval(f);
    if (l.IsTrue()) return l;
    Value r = rhs_->Eval(f);
    if (r.IsTrue()) return r;
    if (l.IsFalse() && r.IsFalse()) return r;
    if (!l.IsBool()) return l.IsError() ? l : ErrNoSuchOverload();
    return r.IsError() ? r : ErrNoSuchOverload();
  }

 private:
  NodePtr lhs_, rhs_;
};

class TernaryNode final : public Node {
 public:
  TernaryNode(NodePtr c, NodePtr t, NodePtr e)
      : cond_(std::move(c)), then_(std::move(t)), else_(std::move(e)) {}
  Value Eval(Frame& f) const override {
    Value c = cond_->Eval(f);
    if (c.IsTrue()) return then_->Eval(f);
    if (c.IsFalse()) return else_->Eval(f);
    return c.IsError() ? c : ErrNoSuchOverload();
  }

 private:
  NodePtr cond_, then_, else_;
};

class NotStrictlyFalseNode final : public Node {
 public:
  explicit NotStrictlyFalseNode(NodePtr arg) : arg_(std::move(arg)) {}
  Value Eval(Frame& f) const override {
    Value v = arg_->Eval(f);
    if (v.IsBool()) return v;
    return Value::Bool(true);
  }

 private:
  NodePtr arg_;
};

class CallNode final : public Node {
 public:
  CallNode(std::string name, std::vector<const Overload*> candidates, std::vector<NodePtr> args)
      : name_(std::move(name)), candidates_(std::move(candidates)), args_(std::move(args)) {
    all_strict_ = true;
    for (const Overload* o : candidates_) all_strict_ = all_strict_ && o->strict;
  }
  Value Eval(Frame& f) const override {
    const size_t n = args_.size();
    if (n <= 3) {
      Value values[3];
      for (size_t i = 0; i < n; ++i) values[i] = args_[i]->Eval(f);
      if (f.cancelled) return CostLimitError();
      return Invoke(f, std::span<const Value>(values, n));
    }
    absl::InlinedVector<Value, 8> values;
    values.reserve(n);
    for (const NodePtr& a : args_) values.push_back(a->Eval(f));
    if (f.cancelled) return CostLimitError();
    return Invoke(f, values);
  }
  Value Invoke(Frame& f, std::span<const Value> values) const {
    if (all_strict_) {
      for (const Value& v : values) {
        if (v.IsError()) return v;
      }
    }
    const Overload* o = Dispatch(candidates_, values);
    if (o == nullptr) {
      for (const Value& v : values) {
        if (v.IsError()) return v;
      }
      return NoMatchingOverload(name_, values);
    }
    if (!all_strict_ && o->strict) {
      for (const Value& v : values) {
        if (v.IsError()) return v;
      }
    }
    f.AddCost(1 + (o->cost != nullptr ? o->cost(values) : 0));
    return o->impl(values);
  }

 private:
  std::string name_;
  std::vector<const Overload*> candidates_;
  std::vector<NodePtr> args_;
  bool all_strict_;
};

// A call whose arguments are all constants, evaluated once when the program is planned
// (`quantity("1Mi")`, `semver("1.2.3")`, `"a" + "b"`): evaluation returns the stored value and
// still charges the call's cost, so runtime cost tracking is unchanged. Calls whose planned
// result is an error are not folded: the error must surface at evaluation, where `||`, `&&`
// and the optional functions can still absorb it.
class FoldedCallNode final : public Node {
 public:
  FoldedCallNode(Value value, int64_t cost) : value_(std::move(value)), cost_(cost) {}
  Value Eval(Frame& f) const override {
    f.AddCost(cost_);
    if (f.cancelled) return CostLimitError();
    return value_;
  }

 private:
  Value value_;
  int64_t cost_;
};

// Evaluates `call` once when all its arguments are constants; nullopt otherwise.
std::optional<std::pair<Value, int64_t>> EvaluateConstantCall(
    const Node& call, const std::vector<const Node*>& args) {
  for (const Node* a : args) {
    if (a->ConstantValue() == nullptr) return std::nullopt;
  }
  Activation empty;
  Frame f;
  f.activation = &empty;
  Value v = call.Eval(f);
  if (f.cancelled) return std::nullopt;
  return std::make_pair(v.Own(), f.cost);
}

// `a == b` / `a != b` with the standard overload: no dispatch, a direct string fast path.
class EqualNode final : public Node {
 public:
  EqualNode(NodePtr lhs, NodePtr rhs, bool negate)
      : lhs_(std::move(lhs)), rhs_(std::move(rhs)), negate_(negate) {}
  Value Eval(Frame& f) const override {
    Value l = lhs_->Eval(f);
    Value r = rhs_->Eval(f);
    if (l.kind() == ValueKind::kString && r.kind() == ValueKind::kString) {
      std::string_view a = l.string_view(), b = r.string_view();
      // 1 for the call plus 0.1 per character traversed, rounded up (cel-go string equality).
      f.AddCost(1 + static_cast<int64_t>((a.size() + 9) / 10));
      return Value::Bool((a == b) != negate_);
    }
    f.AddCost(1);
    Value eq = Equal(l, r);
    if (negate_ && eq.IsBool()) return Value::Bool(!eq.bool_value());
    return eq;
  }

 private:
  NodePtr lhs_, rhs_;
  bool negate_;
};

// `a.or(b)` / `a.orValue(b)`: b is evaluated only when a is none.
class OptionalOrNode final : public Node {
 public:
  OptionalOrNode(bool or_value, std::unique_ptr<CallNode> fallback, NodePtr lhs, NodePtr rhs)
      : or_value_(or_value),
        fallback_(std::move(fallback)),
        lhs_(std::move(lhs)),
        rhs_(std::move(rhs)) {}
  Value Eval(Frame& f) const override {
    Value l = lhs_->Eval(f);
    if (l.kind() == ValueKind::kOptional) {
      f.AddCost(1);
      if (l.optional_has_value()) return or_value_ ? l.optional_value() : l;
      Value r = rhs_->Eval(f);
      if (!or_value_ && r.kind() != ValueKind::kOptional && !r.IsError()) {
        return NoMatchingOverload("or", std::vector<Value>{l, r});
      }
      return r;
    }
    Value values[2] = {std::move(l), rhs_->Eval(f)};
    return fallback_->Invoke(f, values);
  }

 private:
  bool or_value_;
  std::unique_ptr<CallNode> fallback_;
  NodePtr lhs_, rhs_;
};

class ListNode final : public Node {
 public:
  // A list of constants without optional entries is built once here; evaluation then only
  // charges the literal's cost.
  ListNode(std::vector<NodePtr> elements, std::vector<bool> optional)
      : elements_(std::move(elements)), optional_(std::move(optional)) {
    std::vector<Value> values;
    for (size_t i = 0; i < elements_.size(); ++i) {
      const Value* v = elements_[i]->ConstantValue();
      if (v == nullptr || optional_[i] || v->IsError()) return;
      values.push_back(v->Own());
    }
    constant_ = Value::List(MakeRef<VectorListValue>(std::move(values)));
  }
  const Value* ConstantValue() const override {
    return constant_.has_value() ? &*constant_ : nullptr;
  }
  Value Eval(Frame& f) const override {
    if (constant_.has_value()) {
      f.AddCost(10);
      return *constant_;
    }
    std::vector<Value> out;
    out.reserve(elements_.size());
    for (size_t i = 0; i < elements_.size(); ++i) {
      Value v = elements_[i]->Eval(f);
      if (v.IsError()) return v;
      if (optional_[i]) {
        if (v.kind() != ValueKind::kOptional) return ErrNoSuchOverload();
        if (!v.optional_has_value()) continue;
        out.push_back(v.optional_value());
      } else {
        out.push_back(std::move(v));
      }
    }
    f.AddCost(10);
    return Value::List(MakeRef<VectorListValue>(std::move(out)));
  }

 private:
  std::vector<NodePtr> elements_;
  std::vector<bool> optional_;
  std::optional<Value> constant_;
};

class MapNode final : public Node {
 public:
  struct Entry {
    NodePtr key;
    NodePtr value;
    bool optional;
  };
  explicit MapNode(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  Value Eval(Frame& f) const override {
    auto m = MakeRef<VectorMapValue>();
    for (const Entry& e : entries_) {
      Value k = e.key->Eval(f);
      if (k.IsError()) return k;
      Value v = e.value->Eval(f);
      if (v.IsError()) return v;
      if (!IsValidMapKey(k)) return InvalidKeyError(k);
      if (e.optional) {
        if (v.kind() != ValueKind::kOptional) return ErrNoSuchOverload();
        if (!v.optional_has_value()) continue;
        m->Put(std::move(k), v.optional_value());
      } else {
        m->Put(std::move(k), std::move(v));
      }
    }
    f.AddCost(30);
    return Value::Map(std::move(m));
  }

 private:
  std::vector<Entry> entries_;
};

class ComprehensionNode final : public Node {
 public:
  ComprehensionNode(int iter_slot, int iter2_slot, int accu_slot, NodePtr range, NodePtr init,
                    NodePtr cond, NodePtr step, NodePtr result)
      : iter_slot_(iter_slot),
        iter2_slot_(iter2_slot),
        accu_slot_(accu_slot),
        range_(std::move(range)),
        init_(std::move(init)),
        cond_(std::move(cond)),
        step_(std::move(step)),
        result_(std::move(result)) {}

  Value Eval(Frame& f) const override {
    Value range = range_->Eval(f);
    if (range.IsError()) return range;
    f.lazy[accu_slot_] = nullptr;
    f.slots[accu_slot_] = init_->Eval(f);
    if (range.kind() == ValueKind::kList) {
      const ListValue& l = range.list();
      for (size_t i = 0; i < l.Size(); ++i) {
        if (f.cancelled) return CostLimitError();
        if (iter2_slot_ >= 0) {
          f.slots[iter_slot_] = Value::Int(static_cast<int64_t>(i));
          f.slots[iter2_slot_] = l.Get(i);
        } else {
          f.slots[iter_slot_] = l.Get(i);
        }
        if (!Step(f)) break;
      }
    } else if (range.kind() == ValueKind::kMap) {
      range.map().ForEach([&](const Value& k, const Value& v) {
        if (f.cancelled) return false;
        f.slots[iter_slot_] = k;
        if (iter2_slot_ >= 0) f.slots[iter2_slot_] = v;
        return Step(f);
      });
      if (f.cancelled) return CostLimitError();
    } else {
      return Value::Error(StrCat("cannot iterate over a value of type ", range.TypeName()));
    }
    return result_->Eval(f);
  }

 private:
  // One iteration; false to stop.
  bool Step(Frame& f) const {
    Value c = cond_->Eval(f);
    if (!c.IsTrue()) return false;
    f.slots[accu_slot_] = step_->Eval(f);
    return true;
  }

  int iter_slot_, iter2_slot_, accu_slot_;
  NodePtr range_, init_, cond_, step_, result_;
};

// cel.bind(name, init, expr): init is evaluated at most once, on first use of name.
class BindNode final : public Node {
 public:
  BindNode(int slot, NodePtr init, NodePtr result)
      : slot_(slot), init_(std::move(init)), result_(std::move(result)) {}
  Value Eval(Frame& f) const override {
    f.lazy[slot_] = init_.get();
    Value r = result_->Eval(f);
    f.lazy[slot_] = nullptr;
    return r;
  }

 private:
  int slot_;
  NodePtr init_, result_;
};

// --- Planner -------------------------------------------------------------------------------------

class Planner {
 public:
  Planner(const FunctionRegistry& registry, std::string container,
          std::optional<std::vector<std::string>> declared)
      : registry_(registry), container_(std::move(container)), declared_(std::move(declared)) {}

  void set_constant_error_functions(std::vector<std::string> functions) {
    constant_error_functions_ = std::move(functions);
  }

  // The names to try for a (possibly qualified) variable name: with container "a.b", name `y`
  // is looked up as "a.b.y", "a.y", then "y"; a leading dot (`.y`) means only "y".
  std::vector<std::string> Candidates(std::string_view name) const {
    if (name.starts_with('.')) return {std::string(name.substr(1))};
    std::vector<std::string> out;
    std::string_view prefix = container_;
    while (!prefix.empty()) {
      out.push_back(StrCat(prefix, ".", name));
      size_t dot = prefix.rfind('.');
      prefix = dot == std::string_view::npos ? std::string_view() : prefix.substr(0, dot);
    }
    out.emplace_back(name);
    if (declared_.has_value()) {
      std::erase_if(out, [&](const std::string& candidate) {
        return std::find(declared_->begin(), declared_->end(), candidate) == declared_->end();
      });
    }
    return out;
  }

  absl::StatusOr<NodePtr> Plan(const Expr& e) {
    if (++depth_ > kMaxDepth) return absl::InvalidArgumentError("expression nested too deeply");
    absl::StatusOr<NodePtr> r = std::visit([&](const auto& k) { return PlanKind(e, k); }, e.kind);
    --depth_;
    return r;
  }

  int num_slots() const { return num_slots_; }

 private:
  static constexpr int kMaxDepth = 1000;

  int LookupLocal(std::string_view name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return -1;
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const Constant& c) {
    Value v = std::visit(
        [](const auto& x) -> Value {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return Value::Null();
          } else if constexpr (std::is_same_v<T, bool>) {
            return Value::Bool(x);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            return Value::Int(x);
          } else if constexpr (std::is_same_v<T, uint64_t>) {
            return Value::Uint(x);
          } else if constexpr (std::is_same_v<T, double>) {
            return Value::Double(x);
          } else {
            return Value::Null();  // strings and bytes below
          }
        },
        c.value);
    if (const auto* s = std::get_if<std::string>(&c.value)) {
      return NodePtr(std::make_unique<ConstNode>(ValueKind::kString, *s));
    }
    if (const auto* b = std::get_if<Bytes>(&c.value)) {
      return NodePtr(std::make_unique<ConstNode>(ValueKind::kBytes, b->data));
    }
    return NodePtr(std::make_unique<ConstNode>(std::move(v)));
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const IdentExpr& id) {
    int slot = LookupLocal(id.name);
    if (slot >= 0) return NodePtr(std::make_unique<SlotNode>(slot));
    return NodePtr(
        std::make_unique<AttributeNode>(std::vector<std::string>{id.name},
                                        std::vector<std::vector<std::string>>{Candidates(id.name)},
                                        std::vector<std::string>{}, false));
  }

  // If `e` is a chain of selects rooted at a non-local identifier, its parts.
  bool QualifiedParts(const Expr& e, std::vector<std::string>* parts) {
    if (const auto* id = std::get_if<IdentExpr>(&e.kind)) {
      if (LookupLocal(id->name) >= 0) return false;
      parts->push_back(id->name);
      return true;
    }
    if (const auto* sel = std::get_if<SelectExpr>(&e.kind)) {
      if (sel->test_only || sel->operand == nullptr) return false;
      if (!QualifiedParts(*sel->operand, parts)) return false;
      parts->push_back(sel->field);
      return true;
    }
    return false;
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr& e, const SelectExpr& sel) {
    if (sel.operand == nullptr) return absl::InvalidArgumentError("select without operand");
    std::vector<std::string> parts;
    if (QualifiedParts(*sel.operand, &parts)) {
      parts.push_back(sel.field);
      std::vector<std::string> names, fields;
      std::string joined;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
          joined += ".";
          fields.push_back(parts[i]);
        }
        joined += parts[i];
        names.push_back(joined);
      }
      std::vector<std::vector<std::string>> candidates;
      for (const std::string& name : names) candidates.push_back(Candidates(name));
      return NodePtr(std::make_unique<AttributeNode>(std::move(names), std::move(candidates),
                                                     std::move(fields), sel.test_only));
    }
    (void)e;
    absl::StatusOr<NodePtr> operand = Plan(*sel.operand);
    if (!operand.ok()) return operand.status();
    return NodePtr(std::make_unique<SelectNode>(std::move(*operand), sel.field, sel.test_only));
  }

  absl::StatusOr<std::vector<NodePtr>> PlanAll(const std::vector<ExprPtr>& exprs) {
    std::vector<NodePtr> out;
    for (const ExprPtr& x : exprs) {
      if (x == nullptr) return absl::InvalidArgumentError("missing expression");
      absl::StatusOr<NodePtr> n = Plan(*x);
      if (!n.ok()) return n.status();
      out.push_back(std::move(*n));
    }
    return out;
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const CallExpr& call) {
    const std::string& fn = call.function;
    size_t argc = call.args.size();
    auto need = [&](size_t n) -> absl::Status {
      if (argc != n || call.target != nullptr) {
        return absl::InvalidArgumentError(StrCat("malformed call to ", fn));
      }
      return absl::OkStatus();
    };
    if (fn == "_&&_" || fn == "_||_") {
      if (absl::Status s = need(2); !s.ok()) return s;
      absl::StatusOr<std::vector<NodePtr>> a = PlanAll(call.args);
      if (!a.ok()) return a.status();
      if (fn == "_&&_")
        return NodePtr(std::make_unique<AndNode>(std::move((*a)[0]), std::move((*a)[1])));
      return NodePtr(std::make_unique<OrNode>(std::move((*a)[0]), std::move((*a)[1])));
    }
    if (fn == "_?_:_") {
      if (absl::Status s = need(3); !s.ok()) return s;
      absl::StatusOr<std::vector<NodePtr>> a = PlanAll(call.args);
      if (!a.ok()) return a.status();
      return NodePtr(std::make_unique<TernaryNode>(std::move((*a)[0]), std::move((*a)[1]),
                                                   std::move((*a)[2])));
    }
    if (fn == "@not_strictly_false") {
      if (absl::Status s = need(1); !s.ok()) return s;
      absl::StatusOr<std::vector<NodePtr>> a = PlanAll(call.args);
      if (!a.ok()) return a.status();
      return NodePtr(std::make_unique<NotStrictlyFalseNode>(std::move((*a)[0])));
    }
    if (fn == "_[_]" || fn == "_[?_]") {
      if (absl::Status s = need(2); !s.ok()) return s;
      absl::StatusOr<std::vector<NodePtr>> a = PlanAll(call.args);
      if (!a.ok()) return a.status();
      return NodePtr(
          std::make_unique<IndexNode>(std::move((*a)[0]), std::move((*a)[1]), fn == "_[?_]"));
    }
    if (fn == "_?._") {
      if (absl::Status s = need(2); !s.ok()) return s;
      const auto* field = std::get_if<Constant>(&call.args[1]->kind);
      if (field == nullptr || !std::holds_alternative<std::string>(field->value)) {
        return absl::InvalidArgumentError("optional select needs a string field name");
      }
      absl::StatusOr<NodePtr> operand = Plan(*call.args[0]);
      if (!operand.ok()) return operand.status();
      return NodePtr(std::make_unique<OptSelectNode>(std::move(*operand),
                                                     std::get<std::string>(field->value)));
    }
    // Qualified global function names written as receiver calls: optional.of(x), strings.quote.
    if (call.target != nullptr) {
      std::vector<std::string> parts;
      if (QualifiedParts(*call.target, &parts)) {
        std::string q = StrJoin(parts, ".");
        std::string qualified = StrCat(q, ".", fn);
        if (registry_.HasFunction(qualified)) {
          return PlanGlobalCall(qualified, call.args);
        }
      }
    }
    std::vector<NodePtr> args;
    bool receiver = call.target != nullptr;
    if (receiver) {
      absl::StatusOr<NodePtr> t = Plan(*call.target);
      if (!t.ok()) return t.status();
      args.push_back(std::move(*t));
    }
    absl::StatusOr<std::vector<NodePtr>> rest = PlanAll(call.args);
    if (!rest.ok()) return rest.status();
    for (NodePtr& n : *rest) args.push_back(std::move(n));
    std::vector<const Overload*> candidates = registry_.Find(fn, receiver, args.size());
    if (candidates.empty()) {
      // Unchecked programs fail at evaluation, as cel-go does, so that error absorption
      // (`f_unknown() || true`) still applies. The checker rejects such calls earlier.
      return NodePtr(std::make_unique<ConstNode>(Value::Error(StrCat("no such overload: ", fn))));
    }
    if (!receiver && args.size() == 2 && (fn == "_==_" || fn == "_!=_") && candidates.size() == 1 &&
        candidates[0]->impl == FunctionRegistry::Standard().Find(fn, false, 2).front()->impl) {
      return NodePtr(
          std::make_unique<EqualNode>(std::move(args[0]), std::move(args[1]), fn == "_!=_"));
    }
    if (receiver && args.size() == 2 && (fn == "or" || fn == "orValue")) {
      NodePtr lhs = std::move(args[0]);
      NodePtr rhs = std::move(args[1]);
      auto fallback = std::make_unique<CallNode>(fn, std::move(candidates), std::vector<NodePtr>{});
      return NodePtr(std::make_unique<OptionalOrNode>(fn == "orValue", std::move(fallback),
                                                      std::move(lhs), std::move(rhs)));
    }
    std::vector<const Node*> arg_nodes;
    for (const NodePtr& a : args) arg_nodes.push_back(a.get());
    return Fold(fn, std::make_unique<CallNode>(fn, std::move(candidates), std::move(args)),
                arg_nodes);
  }

  // Folds a call whose arguments are all constants (see FoldedCallNode). An error result is
  // kept for evaluation, except for the functions whose literal arguments Kubernetes checks
  // when it builds the program (constant_error_functions): those fail planning.
  absl::StatusOr<NodePtr> Fold(const std::string& fn, NodePtr call,
                               const std::vector<const Node*>& args) {
    auto folded = EvaluateConstantCall(*call, args);
    if (!folded.has_value()) return call;
    if (folded->first.IsError()) {
      if (std::find(constant_error_functions_.begin(), constant_error_functions_.end(), fn) !=
          constant_error_functions_.end()) {
        return absl::InvalidArgumentError(folded->first.error_message());
      }
      return call;
    }
    return NodePtr(std::make_unique<FoldedCallNode>(std::move(folded->first), folded->second));
  }

  absl::StatusOr<NodePtr> PlanGlobalCall(const std::string& fn, const std::vector<ExprPtr>& in) {
    absl::StatusOr<std::vector<NodePtr>> args = PlanAll(in);
    if (!args.ok()) return args.status();
    std::vector<const Overload*> candidates = registry_.Find(fn, false, args->size());
    if (candidates.empty()) {
      // Unchecked programs fail at evaluation, as cel-go does, so that error absorption
      // (`f_unknown() || true`) still applies. The checker rejects such calls earlier.
      return NodePtr(std::make_unique<ConstNode>(Value::Error(StrCat("no such overload: ", fn))));
    }
    std::vector<const Node*> arg_nodes;
    for (const NodePtr& a : *args) arg_nodes.push_back(a.get());
    return Fold(fn, std::make_unique<CallNode>(fn, std::move(candidates), std::move(*args)),
                arg_nodes);
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const ListExpr& list) {
    absl::StatusOr<std::vector<NodePtr>> elements = PlanAll(list.elements);
    if (!elements.ok()) return elements.status();
    std::vector<bool> optional(elements->size(), false);
    for (int32_t i : list.optional_indices) {
      if (i < 0 || static_cast<size_t>(i) >= optional.size()) {
        return absl::InvalidArgumentError("optional index out of range");
      }
      optional[static_cast<size_t>(i)] = true;
    }
    return NodePtr(std::make_unique<ListNode>(std::move(*elements), std::move(optional)));
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const MapExpr& map) {
    std::vector<MapNode::Entry> entries;
    for (const MapEntry& me : map.entries) {
      if (me.key == nullptr || me.value == nullptr) {
        return absl::InvalidArgumentError("malformed map entry");
      }
      absl::StatusOr<NodePtr> k = Plan(*me.key);
      if (!k.ok()) return k.status();
      absl::StatusOr<NodePtr> v = Plan(*me.value);
      if (!v.ok()) return v.status();
      entries.push_back(MapNode::Entry{std::move(*k), std::move(*v), me.optional});
    }
    return NodePtr(std::make_unique<MapNode>(std::move(entries)));
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const StructExpr& s) {
    return absl::InvalidArgumentError(
        StrCat("message construction is not supported: ", s.message_name));
  }

  absl::StatusOr<NodePtr> PlanKind(const Expr&, const ComprehensionExpr& c) {
    if (!c.iter_range || !c.accu_init || !c.loop_condition || !c.loop_step || !c.result) {
      return absl::InvalidArgumentError("malformed comprehension");
    }
    // cel.bind: an empty range and a constant false condition.
    const auto* range_list = std::get_if<ListExpr>(&c.iter_range->kind);
    const auto* cond_const = std::get_if<Constant>(&c.loop_condition->kind);
    if (range_list != nullptr && range_list->elements.empty() && cond_const != nullptr &&
        cond_const->value == Constant{false}.value) {
      absl::StatusOr<NodePtr> init = Plan(*c.accu_init);
      if (!init.ok()) return init.status();
      int slot = num_slots_++;
      scopes_.emplace_back(c.accu_var, slot);
      absl::StatusOr<NodePtr> result = Plan(*c.result);
      scopes_.pop_back();
      if (!result.ok()) return result.status();
      return NodePtr(std::make_unique<BindNode>(slot, std::move(*init), std::move(*result)));
    }
    absl::StatusOr<NodePtr> range = Plan(*c.iter_range);
    if (!range.ok()) return range.status();
    absl::StatusOr<NodePtr> init = Plan(*c.accu_init);
    if (!init.ok()) return init.status();
    int accu = num_slots_++;
    int iter = num_slots_++;
    int iter2 = c.iter_var2.empty() ? -1 : num_slots_++;
    scopes_.emplace_back(c.accu_var, accu);
    scopes_.emplace_back(c.iter_var, iter);
    if (iter2 >= 0) scopes_.emplace_back(c.iter_var2, iter2);
    absl::StatusOr<NodePtr> cond = Plan(*c.loop_condition);
    absl::StatusOr<NodePtr> step = absl::InternalError("unplanned");
    if (cond.ok()) step = Plan(*c.loop_step);
    scopes_.pop_back();
    if (iter2 >= 0) scopes_.pop_back();
    if (!cond.ok()) return cond.status();
    if (!step.ok()) return step.status();
    absl::StatusOr<NodePtr> result = Plan(*c.result);
    scopes_.pop_back();
    if (!result.ok()) return result.status();
    return NodePtr(std::make_unique<ComprehensionNode>(iter, iter2, accu, std::move(*range),
                                                       std::move(*init), std::move(*cond),
                                                       std::move(*step), std::move(*result)));
  }

  const FunctionRegistry& registry_;
  std::string container_;
  std::optional<std::vector<std::string>> declared_;
  std::vector<std::string> constant_error_functions_;
  std::vector<std::pair<std::string, int>> scopes_;
  int num_slots_ = 0;
  int depth_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Program>> Program::Create(const Expr& expr,
                                                         const FunctionRegistry& registry,
                                                         ProgramOptions options) {
  Planner planner(registry, options.container, options.declared_variables);
  planner.set_constant_error_functions(options.constant_error_functions);
  absl::StatusOr<NodePtr> root = planner.Plan(expr);
  if (!root.ok()) return root.status();
  std::unique_ptr<Program> p(new Program());
  p->options_ = options;
  p->root_ = std::move(*root);
  p->num_slots_ = planner.num_slots();
  return p;
}

Program::~Program() = default;

Value Program::Evaluate(const Activation& activation, EvalDetails* details) const {
  Frame f;
  f.activation = &activation;
  f.limit = options_.cost_limit;
  if (num_slots_ == 0) {
    Value result = root_->Eval(f);
    if (details != nullptr) details->actual_cost = f.cost;
    if (f.cancelled) return CostLimitError();
    return result;
  }
  absl::InlinedVector<Value, 8> slots;
  absl::InlinedVector<const Node*, 8> lazy;
  slots.resize(static_cast<size_t>(num_slots_));
  lazy.resize(static_cast<size_t>(num_slots_), nullptr);
  f.slots = slots.data();
  f.lazy = lazy.data();
  Value result = root_->Eval(f);
  if (details != nullptr) details->actual_cost = f.cost;
  if (f.cancelled) return CostLimitError();
  return result;
}

}  // namespace dra::cel
