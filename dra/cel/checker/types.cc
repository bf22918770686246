#include "dra/cel/checker/types.h"

#include <utility>

#include "absl/status/status.h"
#include "dra/base/strings.h"

namespace dra::cel::checker {
namespace {

bool IsTypeInternal(const Type& a, const Type& b, bool check_param_names) {
  if (a.kind() != b.kind() || a.params().size() != b.params().size()) return false;
  if ((check_param_names || a.kind() != TypeKind::kTypeParam) && a.name() != b.name()) {
    return false;
  }
  for (size_t i = 0; i < a.params().size(); ++i) {
    if (!IsTypeInternal(a.params()[i], b.params()[i], check_param_names)) return false;
  }
  return true;
}

// cel-go's Type.isDyn (runtime types): dyn, any and type parameters.
bool IsDynLike(const Type& t) {
  return t.kind() == TypeKind::kDyn || t.kind() == TypeKind::kAny ||
         t.kind() == TypeKind::kTypeParam;
}

// cel-go's Type.IsAssignableType with the default rule (no wrapper types here).
bool IsAssignableType(const Type& to, const Type& from) {
  if (IsDynLike(to)) return true;
  if (to.kind() != from.kind() || to.name() != from.name() ||
      to.params().size() != from.params().size()) {
    return false;
  }
  for (size_t i = 0; i < to.params().size(); ++i) {
    if (!IsAssignableType(to.params()[i], from.params()[i])) return false;
  }
  return true;
}

bool IsLegacyNullable(const Type& t) {
  switch (t.kind()) {
    case TypeKind::kOpaque:
    case TypeKind::kStruct:
    case TypeKind::kAny:
    case TypeKind::kDuration:
    case TypeKind::kTimestamp:
      return true;
    default:
      return false;
  }
}

bool IsAssignableNull(const Type& t) {
  return IsLegacyNullable(t) || IsAssignableType(t, Type::NullType());
}

bool IsEqualOrLessSpecific(const Type& t1, const Type& t2) {
  if (t1.IsDyn() || t1.kind() == TypeKind::kTypeParam) return true;
  if (t2.IsDyn() || t2.kind() == TypeKind::kTypeParam) return false;
  if (t1.kind() != t2.kind()) return false;
  switch (t1.kind()) {
    case TypeKind::kOpaque:
      if (t1.name() != t2.name() || t1.params().size() != t2.params().size()) return false;
      for (size_t i = 0; i < t1.params().size(); ++i) {
        if (!IsEqualOrLessSpecific(t1.params()[i], t2.params()[i])) return false;
      }
      return true;
    case TypeKind::kList:
      return IsEqualOrLessSpecific(t1.params()[0], t2.params()[0]);
    case TypeKind::kMap:
      return IsEqualOrLessSpecific(t1.params()[0], t2.params()[0]) &&
             IsEqualOrLessSpecific(t1.params()[1], t2.params()[1]);
    case TypeKind::kType:
      return true;
    default:
      return t1.IsExact(t2);
  }
}

bool NotReferencedIn(const TypeSubstitution& m, const Type& t, const Type& within) {
  if (t.IsExact(within)) return false;
  switch (within.kind()) {
    case TypeKind::kTypeParam: {
      const Type* sub = m.Find(within);
      if (sub == nullptr) return true;
      return NotReferencedIn(m, t, *sub);
    }
    case TypeKind::kOpaque:
    case TypeKind::kList:
    case TypeKind::kMap:
    case TypeKind::kType:
      for (const Type& p : within.params()) {
        if (!NotReferencedIn(m, t, p)) return false;
      }
      return true;
    default:
      return true;
  }
}

bool InternalIsAssignable(TypeSubstitution* m, const Type& t1, const Type& t2);

// Whether t2 (or its binding) is a valid substitution for t1; `has_sub` tells whether t2 was
// already bound.
bool IsValidTypeSubstitution(TypeSubstitution* m, const Type& t1, const Type& t2, bool* has_sub) {
  *has_sub = false;
  if (t1.kind() == t2.kind() && t1.IsExact(t2)) {
    *has_sub = true;
    return true;
  }
  if (const Type* found = m->Find(t2); found != nullptr) {
    Type t2_sub = *found;  // copy: *m may change below
    *has_sub = true;
    if (t1.kind() == t2_sub.kind() && t1.IsExact(t2_sub)) return true;
    if (InternalIsAssignable(m, t1, t2_sub)) {
      Type t2_new = MostGeneral(t1, t2_sub);
      if (NotReferencedIn(*m, t2, t2_new)) m->Add(t2, std::move(t2_new));
      return true;
    }
    return false;
  }
  if (NotReferencedIn(*m, t2, t1)) {
    m->Add(t2, t1);
    return true;
  }
  return false;
}

bool InternalIsAssignableList(TypeSubstitution* m, const std::vector<Type>& l1,
                              const std::vector<Type>& l2) {
  if (l1.size() != l2.size()) return false;
  for (size_t i = 0; i < l1.size(); ++i) {
    if (!InternalIsAssignable(m, l1[i], l2[i])) return false;
  }
  return true;
}

bool InternalIsAssignable(TypeSubstitution* m, const Type& t1, const Type& t2) {
  TypeKind k1 = t1.kind();
  TypeKind k2 = t2.kind();
  if (k2 == TypeKind::kTypeParam) {
    bool has_sub = false;
    if (IsValidTypeSubstitution(m, t1, t2, &has_sub)) return true;
    if (has_sub) return false;
  }
  if (k1 == TypeKind::kTypeParam) {
    bool has_sub = false;
    return IsValidTypeSubstitution(m, t2, t1, &has_sub);
  }
  if (t1.IsDynOrError() || t2.IsDynOrError()) return true;
  if (k1 == TypeKind::kNullType) return IsAssignableNull(t2);
  if (k2 == TypeKind::kNullType) return IsAssignableNull(t1);
  switch (k1) {
    case TypeKind::kBool:
    case TypeKind::kBytes:
    case TypeKind::kDouble:
    case TypeKind::kInt:
    case TypeKind::kString:
    case TypeKind::kUint:
    case TypeKind::kAny:
    case TypeKind::kDuration:
    case TypeKind::kTimestamp:
    case TypeKind::kStruct:
      return IsAssignableType(t2, t1);
    case TypeKind::kType:
      return k2 == TypeKind::kType;
    case TypeKind::kOpaque:
    case TypeKind::kList:
    case TypeKind::kMap:
      return k1 == k2 && t1.name() == t2.name() &&
             InternalIsAssignableList(m, t1.params(), t2.params());
    default:
      return false;
  }
}

// ---- ParseType ---------------------------------------------------------------------------

class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  absl::StatusOr<Type> ParseAll() {
    absl::StatusOr<Type> t = ParseOne(0);
    if (!t.ok()) return t;
    SkipSpace();
    if (pos_ != text_.size()) return Err("trailing text");
    return t;
  }

 private:
  absl::Status Err(std::string_view what) const {
    return absl::InvalidArgumentError(
        StrCat("bad type '", text_, "': ", what, " at offset ", pos_));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  absl::StatusOr<Type> ParseOne(int depth) {
    if (depth > 64) return Err("nested too deeply");
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '(' || c == ')' || c == ',' || c == ' ') break;
      ++pos_;
    }
    std::string name(text_.substr(start, pos_ - start));
    if (name.empty()) return Err("missing type name");
    std::vector<Type> params;
    bool has_parens = false;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      has_parens = true;
      ++pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ')') {
        ++pos_;
      } else {
        while (true) {
          absl::StatusOr<Type> p = ParseOne(depth + 1);
          if (!p.ok()) return p.status();
          params.push_back(*std::move(p));
          SkipSpace();
          if (pos_ < text_.size() && text_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (pos_ < text_.size() && text_[pos_] == ')') {
            ++pos_;
            break;
          }
          return Err("expected ',' or ')'");
        }
      }
    }
    return Build(name, std::move(params), has_parens);
  }

  absl::StatusOr<Type> Build(const std::string& name, std::vector<Type> params, bool has_parens) {
    auto want = [&](size_t n) -> absl::Status {
      if (params.size() != n) return Err(StrCat("'", name, "' takes ", n, " parameters"));
      return absl::OkStatus();
    };
    if (name == "list") {
      if (params.empty() && !has_parens) return Type::List(Type::Param("A"));
      if (absl::Status s = want(1); !s.ok()) return s;
      return Type::List(params[0]);
    }
    if (name == "map") {
      if (params.empty() && !has_parens) return Type::Map(Type::Param("A"), Type::Param("B"));
      if (absl::Status s = want(2); !s.ok()) return s;
      return Type::Map(params[0], params[1]);
    }
    if (name == "type") {
      if (params.empty()) return Type::TypeType();
      if (absl::Status s = want(1); !s.ok()) return s;
      return Type::TypeOf(params[0]);
    }
    if (name == "function") {
      if (params.empty()) return Err("function without a result type");
      Type result = params[0];
      params.erase(params.begin());
      return Type::Function(std::move(result), std::move(params));
    }
    if (name == "wrapper") return absl::UnimplementedError("wrapper types are not supported");
    if (!params.empty() || has_parens) return Type::Opaque(name, std::move(params));
    static const auto* const kSimple = new std::map<std::string, Type, std::less<>>{
        {"dyn", Type::Dyn()},
        {"any", Type::Any()},
        {"google.protobuf.Any", Type::Any()},
        {"bool", Type::Bool()},
        {"bytes", Type::Bytes()},
        {"double", Type::Double()},
        {"int", Type::Int()},
        {"uint", Type::Uint()},
        {"string", Type::String()},
        {"null", Type::NullType()},
        {"null_type", Type::NullType()},
        {"timestamp", Type::Timestamp()},
        {"google.protobuf.Timestamp", Type::Timestamp()},
        {"duration", Type::Duration()},
        {"google.protobuf.Duration", Type::Duration()},
        {"!error!", Type::Error()},
        {"*error*", Type::Error()},
        {"error", Type::Error()},
        {"net.IP", Type::Opaque("net.IP")},
        {"net.CIDR", Type::Opaque("net.CIDR")},
    };
    if (auto it = kSimple->find(name); it != kSimple->end()) return it->second;
    if (name.find('.') != std::string::npos) return Type::Object(name);
    return Type::Param(name);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

std::string JoinTypes(const std::vector<Type>& types, size_t from,
                      std::string (*format)(const Type&)) {
  std::vector<std::string> parts;
  for (size_t i = from; i < types.size(); ++i) parts.push_back(format(types[i]));
  return StrJoin(parts, ", ");
}

std::string FormatCel(const Type& t) { return t.ToString(); }

}  // namespace

Type Type::TypeOf(Type t) { return Type(TypeKind::kType, "type", {std::move(t)}); }
Type Type::List(Type elem) { return Type(TypeKind::kList, "list", {std::move(elem)}); }
Type Type::Map(Type key, Type value) {
  return Type(TypeKind::kMap, "map", {std::move(key), std::move(value)});
}
Type Type::Opaque(std::string name, std::vector<Type> params) {
  return Type(TypeKind::kOpaque, std::move(name), std::move(params));
}
Type Type::Optional(Type value) { return Opaque("optional_type", {std::move(value)}); }
Type Type::Object(std::string name) { return Type(TypeKind::kStruct, std::move(name)); }
Type Type::Param(std::string name) { return Type(TypeKind::kTypeParam, std::move(name)); }
Type Type::Function(Type result, std::vector<Type> args) {
  std::vector<Type> params;
  params.reserve(args.size() + 1);
  params.push_back(std::move(result));
  for (Type& a : args) params.push_back(std::move(a));
  return Opaque("function", std::move(params));
}

bool Type::IsExact(const Type& other) const { return IsTypeInternal(*this, other, true); }
bool Type::IsEquivalent(const Type& other) const { return IsTypeInternal(*this, other, false); }

std::string Type::ToString() const {
  switch (kind_) {
    case TypeKind::kAny:
      return "any";
    case TypeKind::kDuration:
      return "duration";
    case TypeKind::kError:
      return "!error!";
    case TypeKind::kNullType:
      return "null";
    case TypeKind::kTimestamp:
      return "timestamp";
    case TypeKind::kTypeParam:
      return name_;
    case TypeKind::kUnspecified:
      return "";
    case TypeKind::kOpaque:
      if (name_ == "function" && !params_.empty()) {
        std::string out = StrCat("(", JoinTypes(params_, 1, FormatCel), ")");
        std::string result = params_[0].ToString();
        if (!result.empty()) StrAppend(&out, " -> ", result);
        return out;
      }
      break;
    default:
      break;
  }
  if (params_.empty()) return name_;
  return StrCat(name_, "(", JoinTypes(params_, 0, FormatCel), ")");
}

std::string DescribeType(const Type& t) {
  switch (t.kind()) {
    case TypeKind::kNullType:
      return "null_type";
    case TypeKind::kTimestamp:
    case TypeKind::kDuration:
      return t.name();
    case TypeKind::kError:
      return "*error*";
    case TypeKind::kAny:
      return "any";
    case TypeKind::kTypeParam:
      return t.name();
    case TypeKind::kUnspecified:
      return "";
    default:
      break;
  }
  if (t.params().empty()) return t.name();
  return StrCat(t.name(), "(", JoinTypes(t.params(), 0, DescribeType), ")");
}

absl::StatusOr<Type> ParseType(std::string_view text) { return TypeParser(text).ParseAll(); }

const Type* TypeSubstitution::Find(const Type& t) const {
  if (bindings_.empty()) return nullptr;
  auto it = bindings_.find(t.ToString());
  return it == bindings_.end() ? nullptr : &it->second;
}

void TypeSubstitution::Add(const Type& from, Type to) {
  bindings_.insert_or_assign(from.ToString(), std::move(to));
}

bool IsAssignable(TypeSubstitution* m, const Type& t1, const Type& t2) {
  TypeSubstitution copy = *m;
  if (!InternalIsAssignable(&copy, t1, t2)) return false;
  *m = std::move(copy);
  return true;
}

bool IsAssignableList(TypeSubstitution* m, const std::vector<Type>& l1,
                      const std::vector<Type>& l2) {
  TypeSubstitution copy = *m;
  if (!InternalIsAssignableList(&copy, l1, l2)) return false;
  *m = std::move(copy);
  return true;
}

Type Substitute(const TypeSubstitution& m, const Type& t, bool type_param_to_dyn) {
  if (const Type* sub = m.Find(t); sub != nullptr) {
    return Substitute(m, *sub, type_param_to_dyn);
  }
  switch (t.kind()) {
    case TypeKind::kTypeParam:
      return type_param_to_dyn ? Type::Dyn() : t;
    case TypeKind::kOpaque: {
      std::vector<Type> params;
      params.reserve(t.params().size());
      for (const Type& p : t.params()) params.push_back(Substitute(m, p, type_param_to_dyn));
      return Type::Opaque(t.name(), std::move(params));
    }
    case TypeKind::kList:
      return Type::List(Substitute(m, t.params()[0], type_param_to_dyn));
    case TypeKind::kMap:
      return Type::Map(Substitute(m, t.params()[0], type_param_to_dyn),
                       Substitute(m, t.params()[1], type_param_to_dyn));
    case TypeKind::kType:
      if (!t.params().empty()) {
        return Type::TypeOf(Substitute(m, t.params()[0], type_param_to_dyn));
      }
      return t;
    default:
      return t;
  }
}

Type MostGeneral(const Type& t1, const Type& t2) { return IsEqualOrLessSpecific(t1, t2) ? t1 : t2; }

void CollectTypeParams(const Type& t, std::vector<std::string>* names) {
  if (t.kind() == TypeKind::kTypeParam) {
    for (const std::string& n : *names) {
      if (n == t.name()) return;
    }
    names->push_back(t.name());
    return;
  }
  for (const Type& p : t.params()) CollectTypeParams(p, names);
}

}  // namespace dra::cel::checker
