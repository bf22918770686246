#include "dra/cel/checker/checker.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::cel::checker {
namespace {

constexpr int kMaxErrorsToReport = 100;
constexpr size_t kMaxSnippetLength = 16384;

const Type& UnspecifiedType() {
  static const Type* const kType = new Type();
  return *kType;
}

struct Issue {
  int32_t line = -1;
  int32_t column = -1;  // 0-based code points
  std::string message;
};

// The name `a.b.c` of an identifier or of a chain of non-test-only selections on one.
std::optional<std::string> ToQualifiedName(const Expr& e) {
  if (const auto* ident = std::get_if<IdentExpr>(&e.kind)) return ident->name;
  if (const auto* sel = std::get_if<SelectExpr>(&e.kind)) {
    if (sel->test_only || sel->operand == nullptr) return std::nullopt;
    std::optional<std::string> operand = ToQualifiedName(*sel->operand);
    if (!operand) return std::nullopt;
    return StrCat(*operand, ".", sel->field);
  }
  return std::nullopt;
}

bool IsCrossTypeNumericOverload(std::string_view id) {
  static constexpr std::string_view kPrefixes[] = {"less_", "less_equals_", "greater_",
                                                   "greater_equals_"};
  static constexpr std::string_view kSuffixes[] = {"int64_double", "int64_uint64", "uint64_double",
                                                   "uint64_int64", "double_int64", "double_uint64"};
  for (std::string_view p : kPrefixes) {
    for (std::string_view s : kSuffixes) {
      if (id.size() == p.size() + s.size() && id.substr(0, p.size()) == p &&
          id.substr(p.size()) == s) {
        return true;
      }
    }
  }
  return false;
}

std::pair<Type, bool> MaybeUnwrapOptional(const Type& t) {
  if (t.IsOptional() && !t.params().empty()) return {t.params()[0], true};
  return {t, false};
}

class Checker {
 public:
  Checker(const Env& env, const SourceInfo& info, std::string_view source)
      : env_(env),
        info_(info),
        source_(source),
        filter_cross_type_(!env.options().cross_type_numeric_comparisons) {}

  absl::StatusOr<CheckedExpr> Run(const Expr& root) {
    Check(root);
    CheckedExpr out;
    for (auto& [id, t] : types_) out.types.emplace(id, Substitute(mappings_, t, true));
    out.references = std::move(refs_);
    if (!issues_.empty()) return absl::InvalidArgumentError(FormatIssues());
    if (env_.options().homogeneous_aggregate_literals) {
      ValidateHomogeneous(root, false, out.types);
      if (!issues_.empty()) return absl::InvalidArgumentError(FormatIssues());
    }
    out.result_type = out.TypeOf(root.id);
    return out;
  }

 private:
  // ---- errors -----------------------------------------------------------------------------

  void ReportError(int64_t id, std::string message) {
    ++num_issues_;
    if (num_issues_ > kMaxErrorsToReport) return;
    Issue issue;
    if (auto it = info_.positions.find(id); it != info_.positions.end()) {
      auto [line, column] = info_.LineColumn(it->second);
      issue.line = line;
      issue.column = column - 1;
    }
    issue.message = std::move(message);
    issues_.push_back(std::move(issue));
  }

  void TypeMismatch(int64_t id, const Type& expected, const Type& actual) {
    ReportError(id, StrCat("expected type '", expected.ToString(), "' but found '",
                           actual.ToString(), "'"));
  }

  void UndeclaredReference(int64_t id, std::string_view name) {
    ReportError(id, StrCat("undeclared reference to '", name, "' (in container '",
                           env_.options().container, "')"));
  }

  // Code points of the source, decoded once, for snippets.
  const std::vector<uint32_t>& CodePoints() {
    if (!decoded_) {
      decoded_ = true;
      for (size_t i = 0; i < source_.size();) {
        uint32_t rune = 0;
        size_t n = DecodeUtf8(source_, i, &rune);
        if (n == 0) {
          rune = 0xFFFD;
          n = 1;
        }
        code_points_.push_back(rune);
        i += n;
      }
    }
    return code_points_;
  }

  std::string FormatIssue(const Issue& issue) {
    std::string out = StrCat("ERROR: ", info_.description, ":", issue.line, ":", issue.column + 1,
                             ": ", issue.message);
    if (source_.empty() || issue.line < 1) return out;
    const std::vector<uint32_t>& cps = CodePoints();
    const std::vector<int32_t>& starts = info_.line_offsets;
    if (issue.line > static_cast<int32_t>(starts.size()) + 1) return out;
    int32_t begin = issue.line == 1 ? 0 : starts[issue.line - 2];
    int32_t end = issue.line - 1 < static_cast<int32_t>(starts.size())
                      ? starts[issue.line - 1] - 1
                      : static_cast<int32_t>(cps.size());
    begin = std::clamp<int32_t>(begin, 0, static_cast<int32_t>(cps.size()));
    end = std::clamp<int32_t>(end, begin, static_cast<int32_t>(cps.size()));
    std::string snippet;
    std::vector<size_t> widths;
    for (int32_t i = begin; i < end; ++i) {
      uint32_t c = cps[i] == '\t' ? ' ' : cps[i];
      size_t before = snippet.size();
      AppendUtf8(&snippet, c);
      widths.push_back(snippet.size() - before);
    }
    if (snippet.size() > kMaxSnippetLength) return out;
    StrAppend(&out, "\n | ", snippet, "\n | ");
    size_t i = 0;
    for (; i < static_cast<size_t>(std::max(issue.column, 0)) && i < widths.size(); ++i) {
      out.append(widths[i] > 1 ? "\uff0e" : ".");
    }
    out.append(i < widths.size() && widths[i] > 1 ? "\uff3e" : "^");
    return out;
  }

  static void AppendUtf8(std::string* out, uint32_t c) {
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (c >> 6)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (c >> 12)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (c >> 18)));
      out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }

  std::string FormatIssues() {
    std::stable_sort(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
      return a.line < b.line || (a.line == b.line && a.column < b.column);
    });
    std::vector<std::string> blocks;
    for (const Issue& issue : issues_) blocks.push_back(FormatIssue(issue));
    if (num_issues_ > kMaxErrorsToReport) {
      blocks.push_back(StrCat(num_issues_ - kMaxErrorsToReport, " more errors were truncated"));
    }
    return StrJoin(blocks, "\n");
  }

  // ---- lookups ----------------------------------------------------------------------------

  struct Resolved {
    std::string name;
    Type type;
  };

  std::optional<Resolved> LookupIdent(std::string_view name) const {
    for (const std::string& candidate : env_.ResolveCandidateNames(name)) {
      for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
        if (auto found = it->find(candidate); found != it->end()) {
          return Resolved{candidate, found->second};
        }
      }
      if (const VariableDecl* v = env_.FindVariable(candidate); v != nullptr) {
        return Resolved{v->name, v->type};
      }
    }
    return std::nullopt;
  }

  const FunctionDecl* LookupFunction(std::string_view name) const {
    for (const std::string& candidate : env_.ResolveCandidateNames(name)) {
      if (const FunctionDecl* fn = env_.FindFunction(candidate); fn != nullptr) return fn;
    }
    return nullptr;
  }

  // ---- type bookkeeping -------------------------------------------------------------------

  void SetType(const Expr& e, Type t) { types_.insert_or_assign(e.id, std::move(t)); }
  void SetType(int64_t id, Type t) { types_.insert_or_assign(id, std::move(t)); }
  const Type& GetType(const Expr& e) const {
    auto it = types_.find(e.id);
    return it == types_.end() ? UnspecifiedType() : it->second;
  }

  Type NewTypeVar() { return Type::Param(StrCat("_var", free_type_var_counter_++)); }

  bool IsAssignableHere(const Type& t1, const Type& t2) { return IsAssignable(&mappings_, t1, t2); }

  // ---- the walk ---------------------------------------------------------------------------

  void Check(const Expr& e) {
    std::visit([&](const auto& kind) { CheckKind(e, kind); }, e.kind);
  }

  void CheckKind(const Expr& e, const Constant& c) {
    switch (c.value.index()) {
      case 0:
        SetType(e, Type::NullType());
        break;
      case 1:
        SetType(e, Type::Bool());
        break;
      case 2:
        SetType(e, Type::Int());
        break;
      case 3:
        SetType(e, Type::Uint());
        break;
      case 4:
        SetType(e, Type::Double());
        break;
      case 5:
        SetType(e, Type::String());
        break;
      default:
        SetType(e, Type::Bytes());
        break;
    }
  }

  void CheckKind(const Expr& e, const IdentExpr& ident) {
    if (std::optional<Resolved> r = LookupIdent(ident.name)) {
      SetType(e, r->type);
      refs_[e.id] = Reference{r->name, {}, false};
      return;
    }
    SetType(e, Type::Error());
    UndeclaredReference(e.id, ident.name);
  }

  void CheckKind(const Expr& e, const SelectExpr& sel) {
    if (std::optional<std::string> qname = ToQualifiedName(e)) {
      if (std::optional<Resolved> r = LookupIdent(*qname)) {
        SetType(e, r->type);
        refs_[e.id] = Reference{r->name, {}, false};
        return;
      }
    }
    Type result = CheckSelectField(e, *sel.operand, sel.field, false);
    if (sel.test_only) result = Type::Bool();
    SetType(e, Substitute(mappings_, result, false));
  }

  Type CheckSelectField(const Expr& e, const Expr& operand, const std::string& field,
                        bool optional) {
    Check(operand);
    Type operand_type = Substitute(mappings_, GetType(operand), false);
    auto [target, is_opt] = MaybeUnwrapOptional(operand_type);
    Type result = Type::Error();
    switch (target.kind()) {
      case TypeKind::kMap:
        result = target.params()[1];
        break;
      case TypeKind::kStruct: {
        const std::map<std::string, Type>* fields = env_.FindStructType(target.name());
        if (fields == nullptr) {
          ReportError(e.id, StrCat("unexpected failed resolution of '", target.name(), "'"));
        } else if (auto it = fields->find(field); it != fields->end()) {
          result = it->second;
        } else {
          ReportError(e.id, StrCat("undefined field '", field, "'"));
        }
        break;
      }
      case TypeKind::kTypeParam:
        IsAssignableHere(Type::Dyn(), target);
        result = Type::Dyn();
        break;
      default:
        if (!target.IsDynOrError()) {
          ReportError(e.id,
                      StrCat("type '", target.ToString(), "' does not support field selection"));
        }
        result = Type::Dyn();
        break;
    }
    if (is_opt || optional) return Type::Optional(result);
    return result;
  }

  void CheckOptSelect(const Expr& e, const CallExpr& call) {
    if (call.args.size() != 2 || call.target != nullptr) {
      ReportError(e.id, StrCat("unsupported optional field selection: incorrect signature.",
                               call.target != nullptr ? " member call with" : "",
                               " argument count: ", call.args.size()));
      return;
    }
    const Expr& field = *call.args[1];
    const auto* c = std::get_if<Constant>(&field.kind);
    const std::string* name = c == nullptr ? nullptr : std::get_if<std::string>(&c->value);
    if (name == nullptr) {
      ReportError(field.id, "unsupported optional field selection");
      return;
    }
    Type result = CheckSelectField(e, *call.args[0], *name, true);
    SetType(e, Substitute(mappings_, result, false));
    refs_[e.id] = Reference{"_?._", {"select_optional_field"}, false};
  }

  void CheckKind(const Expr& e, const CallExpr& call) {
    if (call.function == "_?._") {
      CheckOptSelect(e, call);
      return;
    }
    for (const ExprPtr& arg : call.args) Check(*arg);
    if (call.target == nullptr) {
      const FunctionDecl* fn = LookupFunction(call.function);
      if (fn == nullptr) {
        UndeclaredReference(e.id, call.function);
        SetType(e, Type::Error());
        return;
      }
      ResolveOverloadOrError(e, *fn, nullptr, call.args, false);
      return;
    }
    if (std::optional<std::string> prefix = ToQualifiedName(*call.target)) {
      if (const FunctionDecl* fn = LookupFunction(StrCat(*prefix, ".", call.function));
          fn != nullptr) {
        ResolveOverloadOrError(e, *fn, nullptr, call.args, true);
        return;
      }
    }
    Check(*call.target);
    if (const FunctionDecl* fn = LookupFunction(call.function); fn != nullptr) {
      ResolveOverloadOrError(e, *fn, call.target.get(), call.args, false);
      return;
    }
    SetType(e, Type::Error());
    UndeclaredReference(e.id, call.function);
  }

  void ResolveOverloadOrError(const Expr& call, const FunctionDecl& fn, const Expr* target,
                              const std::vector<ExprPtr>& args, bool namespaced) {
    std::vector<Type> arg_types;
    if (target != nullptr) arg_types.push_back(GetType(*target));
    for (const ExprPtr& arg : args) arg_types.push_back(GetType(*arg));

    std::optional<Type> result_type;
    Reference ref{fn.name, {}, namespaced};
    for (const OverloadDecl& overload : fn.overloads) {
      if (filter_cross_type_ && IsCrossTypeNumericOverload(overload.id)) continue;
      if ((target == nullptr && overload.member) || (target != nullptr && !overload.member)) {
        continue;
      }
      if (fn.name == "_&&_" || fn.name == "_||_") {
        bool failed = false;
        for (size_t i = 0; i < arg_types.size(); ++i) {
          if (!IsAssignableHere(arg_types[i], Type::Bool())) {
            TypeMismatch(args[i]->id, Type::Bool(), arg_types[i]);
            failed = true;
          }
        }
        if (failed) {
          SetType(call, Type::Error());
          return;
        }
        ref.overload_ids.push_back(overload.id);
        SetType(call, Type::Bool());
        refs_[call.id] = std::move(ref);
        return;
      }
      // Instantiate the overload's type parameters with fresh type variables.
      std::vector<Type> params = overload.arg_types;
      Type result = overload.result;
      std::vector<std::string> type_params;
      for (const Type& p : params) CollectTypeParams(p, &type_params);
      CollectTypeParams(result, &type_params);
      if (!type_params.empty()) {
        TypeSubstitution fresh;
        for (const std::string& name : type_params) fresh.Add(Type::Param(name), NewTypeVar());
        for (Type& p : params) p = Substitute(fresh, p, false);
        result = Substitute(fresh, result, false);
      }
      if (!IsAssignableList(&mappings_, arg_types, params)) continue;
      ref.overload_ids.push_back(overload.id);
      Type fn_result = Substitute(mappings_, result, false);
      if (!result_type) {
        result_type = std::move(fn_result);
      } else if (!result_type->IsDyn() && !fn_result.IsExact(*result_type)) {
        result_type = Type::Dyn();
      }
    }
    if (!result_type) {
      std::vector<std::string> names;
      for (size_t i = target != nullptr ? 1 : 0; i < arg_types.size(); ++i) {
        names.push_back(Substitute(mappings_, arg_types[i], true).ToString());
      }
      std::string signature;
      if (target != nullptr) {
        signature = StrCat(Substitute(mappings_, arg_types[0], true).ToString(), ".");
      }
      StrAppend(&signature, "(", StrJoin(names, ", "), ")");
      ReportError(call.id, StrCat("found no matching overload for '", fn.name, "' applied to '",
                                  signature, "'"));
      SetType(call, Type::Error());
      return;
    }
    SetType(call, *std::move(result_type));
    refs_[call.id] = std::move(ref);
  }

  // Checks compatibility of joined types and returns the most general common type.
  Type JoinTypes(const std::optional<Type>& previous, const Type& current) {
    if (!previous) return current;
    if (IsAssignableHere(*previous, current)) return MostGeneral(*previous, current);
    // cel-go v0.26's checker always joins mismatched element types to dyn; homogeneity is
    // enforced by the validator that runs after checking (EnvOptions).
    return Type::Dyn();
  }

  void CheckKind(const Expr& e, const ListExpr& list) {
    std::optional<Type> elems_type;
    for (size_t i = 0; i < list.elements.size(); ++i) {
      const Expr& elem = *list.elements[i];
      Check(elem);
      Type elem_type = GetType(elem);
      if (std::find(list.optional_indices.begin(), list.optional_indices.end(),
                    static_cast<int32_t>(i)) != list.optional_indices.end()) {
        auto [inner, is_opt] = MaybeUnwrapOptional(elem_type);
        if (!is_opt && !inner.IsDyn()) TypeMismatch(elem.id, Type::Optional(inner), inner);
        elem_type = std::move(inner);
      }
      elems_type = JoinTypes(elems_type, elem_type);
    }
    if (!elems_type) elems_type = NewTypeVar();
    SetType(e, Type::List(*std::move(elems_type)));
  }

  void CheckKind(const Expr& e, const MapExpr& map) {
    std::optional<Type> key_type;
    std::optional<Type> value_type;
    for (const MapEntry& entry : map.entries) {
      Check(*entry.key);
      key_type = JoinTypes(key_type, GetType(*entry.key));
      Check(*entry.value);
      Type vt = GetType(*entry.value);
      if (entry.optional) {
        auto [inner, is_opt] = MaybeUnwrapOptional(vt);
        if (!is_opt && !inner.IsDyn()) TypeMismatch(entry.value->id, Type::Optional(inner), inner);
        vt = std::move(inner);
      }
      value_type = JoinTypes(value_type, vt);
    }
    if (!key_type) {
      key_type = NewTypeVar();
      value_type = NewTypeVar();
    }
    SetType(e, Type::Map(*std::move(key_type), *std::move(value_type)));
  }

  void CheckKind(const Expr& e, const StructExpr& st) {
    std::optional<Resolved> r = LookupIdent(st.message_name);
    if (!r) {
      UndeclaredReference(e.id, st.message_name);
      SetType(e, Type::Error());
      return;
    }
    refs_[e.id] = Reference{r->name, {}, false};
    Type result = Type::Error();
    if (r->type.kind() != TypeKind::kError) {
      if (r->type.kind() != TypeKind::kType) {
        ReportError(e.id, StrCat("'", r->type.ToString(), "' is not a type"));
      } else if (r->type.params().empty() || r->type.params()[0].kind() != TypeKind::kStruct) {
        ReportError(e.id, StrCat("'",
                                 r->type.params().empty() ? std::string("type")
                                                          : r->type.params()[0].ToString(),
                                 "' is not a message type"));
      } else {
        result = r->type.params()[0];
      }
    }
    SetType(e, result);
    const std::map<std::string, Type>* fields =
        result.kind() == TypeKind::kStruct ? env_.FindStructType(result.name()) : nullptr;
    for (const StructField& f : st.fields) {
      Check(*f.value);
      Type field_type = Type::Error();
      if (fields != nullptr) {
        if (auto it = fields->find(f.name); it != fields->end()) {
          field_type = it->second;
        } else {
          ReportError(f.id, StrCat("undefined field '", f.name, "'"));
        }
      }
      Type vt = GetType(*f.value);
      if (f.optional) {
        auto [inner, is_opt] = MaybeUnwrapOptional(vt);
        if (!is_opt && !inner.IsDyn()) TypeMismatch(f.value->id, Type::Optional(inner), inner);
        vt = std::move(inner);
      }
      if (!IsAssignableHere(field_type, vt)) {
        ReportError(f.id,
                    StrCat("expected type of field '", f.name, "' is '", field_type.ToString(),
                           "' but provided type is '", vt.ToString(), "'"));
      }
    }
  }

  void CheckKind(const Expr& e, const ComprehensionExpr& comp) {
    Check(*comp.iter_range);
    Check(*comp.accu_init);
    Type range_type = Substitute(mappings_, GetType(*comp.iter_range), false);
    Type accu_type = GetType(*comp.accu_init);
    // cel-go's scoped environments drop the overload filter (a quirk kept for fidelity).
    filter_cross_type_ = false;
    scopes_.push_back({{comp.accu_var, accu_type}});

    bool two_vars = !comp.iter_var2.empty();
    Type var_type;
    Type var2_type;
    switch (range_type.kind()) {
      case TypeKind::kList:
        var_type = range_type.params()[0];
        if (two_vars) {
          var2_type = var_type;
          var_type = Type::Int();
        }
        break;
      case TypeKind::kMap:
        var_type = range_type.params()[0];
        if (two_vars) var2_type = range_type.params()[1];
        break;
      case TypeKind::kDyn:
      case TypeKind::kError:
      case TypeKind::kTypeParam:
        IsAssignableHere(Type::Dyn(), range_type);
        var_type = Type::Dyn();
        if (two_vars) var2_type = Type::Dyn();
        break;
      default:
        ReportError(comp.iter_range->id,
                    StrCat("expression of type '", range_type.ToString(),
                           "' cannot be range of a comprehension (must be list, map, or "
                           "dynamic)"));
        var_type = Type::Error();
        if (two_vars) var2_type = Type::Error();
        break;
    }
    std::map<std::string, Type> loop_scope;
    loop_scope.insert_or_assign(comp.iter_var, var_type);
    if (two_vars) loop_scope.insert_or_assign(comp.iter_var2, var2_type);
    scopes_.push_back(std::move(loop_scope));
    Check(*comp.loop_condition);
    AssertType(*comp.loop_condition, Type::Bool());
    Check(*comp.loop_step);
    AssertType(*comp.loop_step, accu_type);
    scopes_.pop_back();
    Check(*comp.result);
    scopes_.pop_back();
    SetType(e, Substitute(mappings_, GetType(*comp.result), false));
  }

  void AssertType(const Expr& e, const Type& t) {
    Type actual = GetType(e);
    if (!IsAssignableHere(t, actual)) TypeMismatch(e.id, t, actual);
  }

  // ---- cel.ValidateHomogeneousAggregateLiterals -------------------------------------------

  void ValidateHomogeneous(const Expr& e, bool exempt, const std::map<int64_t, Type>& types) {
    auto type_of = [&](int64_t id) -> Type {
      auto it = types.find(id);
      return it == types.end() ? Type() : it->second;
    };
    if (const auto* call = std::get_if<CallExpr>(&e.kind)) {
      std::string_view name = call->function;
      if (auto it = refs_.find(e.id); it != refs_.end()) name = it->second.name;
      bool child_exempt = exempt;
      for (const std::string& f : env_.options().homogeneous_exempt_functions) {
        if (f == name) child_exempt = true;
      }
      if (call->target != nullptr) ValidateHomogeneous(*call->target, child_exempt, types);
      for (const ExprPtr& arg : call->args) ValidateHomogeneous(*arg, child_exempt, types);
      return;
    }
    if (const auto* list = std::get_if<ListExpr>(&e.kind)) {
      if (!exempt) {
        std::optional<Type> elem_type;
        for (size_t i = 0; i < list->elements.size(); ++i) {
          const Expr& elem = *list->elements[i];
          Type et = type_of(elem.id);
          if (std::find(list->optional_indices.begin(), list->optional_indices.end(),
                        static_cast<int32_t>(i)) != list->optional_indices.end() &&
              !et.params().empty()) {
            et = et.params()[0];
          }
          if (!elem_type) {
            elem_type = std::move(et);
            continue;
          }
          if (!elem_type->IsEquivalent(et)) {
            TypeMismatch(elem.id, *elem_type, et);
            break;
          }
        }
      }
      for (const ExprPtr& elem : list->elements) ValidateHomogeneous(*elem, exempt, types);
      return;
    }
    if (const auto* map = std::get_if<MapExpr>(&e.kind)) {
      if (!exempt) {
        std::optional<Type> key_type;
        std::optional<Type> value_type;
        for (const MapEntry& entry : map->entries) {
          Type kt = type_of(entry.key->id);
          Type vt = type_of(entry.value->id);
          if (entry.optional && !vt.params().empty()) vt = vt.params()[0];
          if (!key_type && !value_type) {
            key_type = std::move(kt);
            value_type = std::move(vt);
            continue;
          }
          if (!key_type->IsEquivalent(kt)) TypeMismatch(entry.key->id, *key_type, kt);
          if (!value_type->IsEquivalent(vt)) TypeMismatch(entry.value->id, *value_type, vt);
        }
      }
      for (const MapEntry& entry : map->entries) {
        ValidateHomogeneous(*entry.key, exempt, types);
        ValidateHomogeneous(*entry.value, exempt, types);
      }
      return;
    }
    if (const auto* sel = std::get_if<SelectExpr>(&e.kind)) {
      if (sel->operand != nullptr) ValidateHomogeneous(*sel->operand, exempt, types);
      return;
    }
    if (const auto* st = std::get_if<StructExpr>(&e.kind)) {
      for (const StructField& f : st->fields) ValidateHomogeneous(*f.value, exempt, types);
      return;
    }
    if (const auto* comp = std::get_if<ComprehensionExpr>(&e.kind)) {
      for (const Expr* child :
           {comp->iter_range.get(), comp->accu_init.get(), comp->loop_condition.get(),
            comp->loop_step.get(), comp->result.get()}) {
        if (child != nullptr) ValidateHomogeneous(*child, exempt, types);
      }
    }
  }

  const Env& env_;
  const SourceInfo& info_;
  std::string_view source_;
  bool filter_cross_type_;
  TypeSubstitution mappings_;
  std::map<int64_t, Type> types_;
  std::map<int64_t, Reference> refs_;
  std::vector<std::map<std::string, Type>> scopes_;
  std::vector<Issue> issues_;
  int num_issues_ = 0;
  int free_type_var_counter_ = 0;
  bool decoded_ = false;
  std::vector<uint32_t> code_points_;
};

}  // namespace

const Type& CheckedExpr::TypeOf(int64_t id) const {
  auto it = types.find(id);
  return it == types.end() ? UnspecifiedType() : it->second;
}

const Reference* CheckedExpr::ReferenceOf(int64_t id) const {
  auto it = references.find(id);
  return it == references.end() ? nullptr : &it->second;
}

absl::StatusOr<CheckedExpr> Check(const ParsedExpr& parsed, const Env& env,
                                  std::string_view source) {
  if (parsed.expr == nullptr) return absl::InvalidArgumentError("empty expression");
  return Checker(env, parsed.source_info, source).Run(*parsed.expr);
}

absl::StatusOr<CheckedAst> Compile(std::string_view text, const Env& env,
                                   const ParseOptions& options) {
  CheckedAst out;
  DRA_ASSIGN_OR_RETURN(out.parsed, Parse(text, options));
  DRA_ASSIGN_OR_RETURN(out.checked, Check(out.parsed, env, text));
  return out;
}

}  // namespace dra::cel::checker
