#include "dra/cel/checker/decls.h"

#include <utility>

#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::cel::checker {
namespace {

bool SameSignature(const OverloadDecl& a, const OverloadDecl& b) {
  if (a.member != b.member || a.arg_types.size() != b.arg_types.size()) return false;
  for (size_t i = 0; i < a.arg_types.size(); ++i) {
    if (!a.arg_types[i].IsExact(b.arg_types[i])) return false;
  }
  return a.result.IsExact(b.result);
}

OverloadDecl Global(std::string id, std::vector<Type> args, Type result) {
  return OverloadDecl{std::move(id), false, std::move(args), std::move(result)};
}
OverloadDecl Member(std::string id, std::vector<Type> args, Type result) {
  return OverloadDecl{std::move(id), true, std::move(args), std::move(result)};
}

}  // namespace

std::string OverloadDecl::Signature() const {
  std::vector<std::string> args;
  size_t first = member ? 1 : 0;
  for (size_t i = first; i < arg_types.size(); ++i) args.push_back(arg_types[i].ToString());
  std::string out;
  if (member && !arg_types.empty()) StrAppend(&out, arg_types[0].ToString(), ".");
  StrAppend(&out, "(", StrJoin(args, ", "), ") -> ", result.ToString());
  return out;
}

std::shared_ptr<Env> Env::NewChild(std::shared_ptr<const Env> parent) {
  auto child = std::make_shared<Env>(parent->options());
  child->parent_ = std::move(parent);
  return child;
}

absl::Status Env::AddVariable(std::string name, Type type) {
  if (auto it = variables_.find(name); it != variables_.end()) {
    if (it->second.type.IsExact(type)) return absl::OkStatus();
    return absl::AlreadyExistsError(StrCat("overlapping identifier for name '", name, "'"));
  }
  std::string key = name;
  variables_.emplace(std::move(key), VariableDecl{std::move(name), std::move(type)});
  return absl::OkStatus();
}

absl::Status Env::AddFunction(FunctionDecl fn) {
  for (const OverloadDecl& o : fn.overloads) {
    if (o.member && o.arg_types.empty()) {
      return absl::InvalidArgumentError(
          StrCat("receiver-style overload '", o.id, "' of '", fn.name, "' has no receiver"));
    }
  }
  FunctionDecl merged;
  if (auto it = functions_.find(fn.name); it != functions_.end()) {
    merged = it->second;
  } else if (const FunctionDecl* inherited = FindFunction(fn.name); inherited != nullptr) {
    merged = *inherited;
  } else {
    merged.name = fn.name;
  }
  for (OverloadDecl& o : fn.overloads) {
    bool skip = false;
    for (const OverloadDecl& existing : merged.overloads) {
      if (existing.id != o.id) continue;
      if (!SameSignature(existing, o)) {
        return absl::AlreadyExistsError(StrCat("overload signature collision in function ", fn.name,
                                               ": ", o.id, " collides with ", existing.id));
      }
      skip = true;
      break;
    }
    if (!skip) merged.overloads.push_back(std::move(o));
  }
  std::string key = merged.name;
  functions_.insert_or_assign(std::move(key), std::move(merged));
  return absl::OkStatus();
}

absl::Status Env::AddFunction(std::string name, std::vector<OverloadDecl> overloads) {
  return AddFunction(FunctionDecl{std::move(name), std::move(overloads)});
}

absl::Status Env::AddStructType(std::string name, std::map<std::string, Type> fields) {
  if (FindStructType(name) != nullptr) {
    return absl::AlreadyExistsError(StrCat("type '", name, "' is already declared"));
  }
  DRA_RETURN_IF_ERROR(AddVariable(name, Type::TypeOf(Type::Object(name))));
  struct_types_.emplace(std::move(name), std::move(fields));
  return absl::OkStatus();
}

absl::Status Env::AddTypeIdentifier(const Type& t) {
  return AddVariable(t.name(), Type::TypeOf(t));
}

const VariableDecl* Env::FindVariable(std::string_view name) const {
  for (const Env* e = this; e != nullptr; e = e->parent_.get()) {
    if (auto it = e->variables_.find(name); it != e->variables_.end()) return &it->second;
  }
  return nullptr;
}

const FunctionDecl* Env::FindFunction(std::string_view name) const {
  for (const Env* e = this; e != nullptr; e = e->parent_.get()) {
    if (auto it = e->functions_.find(name); it != e->functions_.end()) return &it->second;
  }
  return nullptr;
}

const std::map<std::string, Type>* Env::FindStructType(std::string_view name) const {
  for (const Env* e = this; e != nullptr; e = e->parent_.get()) {
    if (auto it = e->struct_types_.find(name); it != e->struct_types_.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

std::vector<std::string> Env::ResolveCandidateNames(std::string_view name) const {
  if (!name.empty() && name[0] == '.') return {std::string(name.substr(1))};
  const std::string& container = options_.container;
  if (container.empty()) return {std::string(name)};
  std::vector<std::string> out;
  std::string_view next = container;
  out.push_back(StrCat(next, ".", name));
  for (size_t i = next.rfind('.'); i != std::string_view::npos; i = next.rfind('.')) {
    next = next.substr(0, i);
    out.push_back(StrCat(next, ".", name));
  }
  out.emplace_back(name);
  return out;
}

absl::Status AddStandardLibrary(Env* env) {
  const Type a = Type::Param("A");
  const Type b = Type::Param("B");
  const Type list_a = Type::List(a);
  const Type map_ab = Type::Map(a, b);
  const Type kBool = Type::Bool(), kInt = Type::Int(), kUint = Type::Uint(),
             kDouble = Type::Double(), kString = Type::String(), kBytes = Type::Bytes(),
             kTs = Type::Timestamp(), kDur = Type::Duration();

  for (const Type& t : {kBool, kBytes, kDouble, kDur, kInt, list_a, map_ab, Type::NullType(),
                        kString, kTs, Type::TypeType(), kUint}) {
    DRA_RETURN_IF_ERROR(env->AddTypeIdentifier(t));
  }

  DRA_RETURN_IF_ERROR(env->AddFunction("_?_:_", {Global("conditional", {kBool, a, a}, a)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("_&&_", {Global("logical_and", {kBool, kBool}, kBool)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("_||_", {Global("logical_or", {kBool, kBool}, kBool)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("!_", {Global("logical_not", {kBool}, kBool)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("@not_strictly_false", {Global("not_strictly_false", {kBool}, kBool)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("_==_", {Global("equals", {a, a}, kBool)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("_!=_", {Global("not_equals", {a, a}, kBool)}));

  DRA_RETURN_IF_ERROR(env->AddFunction(
      "_+_", {Global("add_bytes", {kBytes, kBytes}, kBytes),
              Global("add_double", {kDouble, kDouble}, kDouble),
              Global("add_duration_duration", {kDur, kDur}, kDur),
              Global("add_duration_timestamp", {kDur, kTs}, kTs),
              Global("add_timestamp_duration", {kTs, kDur}, kTs),
              Global("add_int64", {kInt, kInt}, kInt), Global("add_list", {list_a, list_a}, list_a),
              Global("add_string", {kString, kString}, kString),
              Global("add_uint64", {kUint, kUint}, kUint)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("_/_", {Global("divide_double", {kDouble, kDouble}, kDouble),
                                               Global("divide_int64", {kInt, kInt}, kInt),
                                               Global("divide_uint64", {kUint, kUint}, kUint)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("_%_", {Global("modulo_int64", {kInt, kInt}, kInt),
                                               Global("modulo_uint64", {kUint, kUint}, kUint)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("_*_", {Global("multiply_double", {kDouble, kDouble}, kDouble),
                               Global("multiply_int64", {kInt, kInt}, kInt),
                               Global("multiply_uint64", {kUint, kUint}, kUint)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "-_", {Global("negate_double", {kDouble}, kDouble), Global("negate_int64", {kInt}, kInt)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("_-_", {Global("subtract_double", {kDouble, kDouble}, kDouble),
                               Global("subtract_duration_duration", {kDur, kDur}, kDur),
                               Global("subtract_int64", {kInt, kInt}, kInt),
                               Global("subtract_timestamp_duration", {kTs, kDur}, kTs),
                               Global("subtract_timestamp_timestamp", {kTs, kTs}, kDur),
                               Global("subtract_uint64", {kUint, kUint}, kUint)}));

  // Ordering operators: same overload layout for all four.
  struct Cmp {
    const char* op;
    const char* prefix;
  };
  for (const Cmp& c : {Cmp{"_<_", "less"}, Cmp{"_<=_", "less_equals"}, Cmp{"_>_", "greater"},
                       Cmp{"_>=_", "greater_equals"}}) {
    std::string p = c.prefix;
    DRA_RETURN_IF_ERROR(env->AddFunction(
        c.op,
        {Global(p + "_bool", {kBool, kBool}, kBool), Global(p + "_int64", {kInt, kInt}, kBool),
         Global(p + "_int64_double", {kInt, kDouble}, kBool),
         Global(p + "_int64_uint64", {kInt, kUint}, kBool),
         Global(p + "_uint64", {kUint, kUint}, kBool),
         Global(p + "_uint64_double", {kUint, kDouble}, kBool),
         Global(p + "_uint64_int64", {kUint, kInt}, kBool),
         Global(p + "_double", {kDouble, kDouble}, kBool),
         Global(p + "_double_int64", {kDouble, kInt}, kBool),
         Global(p + "_double_uint64", {kDouble, kUint}, kBool),
         Global(p + "_string", {kString, kString}, kBool),
         Global(p + "_bytes", {kBytes, kBytes}, kBool), Global(p + "_timestamp", {kTs, kTs}, kBool),
         Global(p + "_duration", {kDur, kDur}, kBool)}));
  }

  DRA_RETURN_IF_ERROR(env->AddFunction(
      "_[_]", {Global("index_list", {list_a, kInt}, a), Global("index_map", {map_ab, a}, b)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "@in", {Global("in_list", {a, list_a}, kBool), Global("in_map", {a, map_ab}, kBool)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "size", {Global("size_bytes", {kBytes}, kInt), Member("bytes_size", {kBytes}, kInt),
               Global("size_list", {list_a}, kInt), Member("list_size", {list_a}, kInt),
               Global("size_map", {map_ab}, kInt), Member("map_size", {map_ab}, kInt),
               Global("size_string", {kString}, kInt), Member("string_size", {kString}, kInt)}));

  // Conversions.
  DRA_RETURN_IF_ERROR(env->AddFunction("type", {Global("type", {a}, Type::TypeOf(a))}));
  DRA_RETURN_IF_ERROR(env->AddFunction("bool", {Global("bool_to_bool", {kBool}, kBool),
                                                Global("string_to_bool", {kString}, kBool)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("bytes", {Global("bytes_to_bytes", {kBytes}, kBytes),
                                                 Global("string_to_bytes", {kString}, kBytes)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("double", {Global("double_to_double", {kDouble}, kDouble),
                                                  Global("int64_to_double", {kInt}, kDouble),
                                                  Global("string_to_double", {kString}, kDouble),
                                                  Global("uint64_to_double", {kUint}, kDouble)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "duration",
      {Global("duration_to_duration", {kDur}, kDur), Global("int64_to_duration", {kInt}, kDur),
       Global("string_to_duration", {kString}, kDur)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("dyn", {Global("to_dyn", {a}, Type::Dyn())}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "int",
      {Global("int64_to_int64", {kInt}, kInt), Global("double_to_int64", {kDouble}, kInt),
       Global("duration_to_int64", {kDur}, kInt), Global("string_to_int64", {kString}, kInt),
       Global("timestamp_to_int64", {kTs}, kInt), Global("uint64_to_int64", {kUint}, kInt)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "string",
      {Global("string_to_string", {kString}, kString), Global("bool_to_string", {kBool}, kString),
       Global("bytes_to_string", {kBytes}, kString), Global("double_to_string", {kDouble}, kString),
       Global("duration_to_string", {kDur}, kString), Global("int64_to_string", {kInt}, kString),
       Global("timestamp_to_string", {kTs}, kString),
       Global("uint64_to_string", {kUint}, kString)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "timestamp",
      {Global("timestamp_to_timestamp", {kTs}, kTs), Global("int64_to_timestamp", {kInt}, kTs),
       Global("string_to_timestamp", {kString}, kTs)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "uint",
      {Global("uint64_to_uint64", {kUint}, kUint), Global("double_to_uint64", {kDouble}, kUint),
       Global("int64_to_uint64", {kInt}, kUint), Global("string_to_uint64", {kString}, kUint)}));

  // String functions.
  DRA_RETURN_IF_ERROR(
      env->AddFunction("contains", {Member("contains_string", {kString, kString}, kBool)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("endsWith", {Member("ends_with_string", {kString, kString}, kBool)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("startsWith", {Member("starts_with_string", {kString, kString}, kBool)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("matches", {Global("matches", {kString, kString}, kBool),
                                   Member("matches_string", {kString, kString}, kBool)}));

  // Timestamp and duration accessors.
  struct Getter {
    const char* name;
    const char* ts_id;
    const char* ts_tz_id;
    const char* dur_id;  // nullptr: timestamps only
  };
  for (const Getter& g : {
           Getter{"getFullYear", "timestamp_to_year", "timestamp_to_year_with_tz", nullptr},
           Getter{"getMonth", "timestamp_to_month", "timestamp_to_month_with_tz", nullptr},
           Getter{"getDayOfYear", "timestamp_to_day_of_year", "timestamp_to_day_of_year_with_tz",
                  nullptr},
           Getter{"getDayOfMonth", "timestamp_to_day_of_month", "timestamp_to_day_of_month_with_tz",
                  nullptr},
           Getter{"getDate", "timestamp_to_day_of_month_1_based",
                  "timestamp_to_day_of_month_1_based_with_tz", nullptr},
           Getter{"getDayOfWeek", "timestamp_to_day_of_week", "timestamp_to_day_of_week_with_tz",
                  nullptr},
           Getter{"getHours", "timestamp_to_hours", "timestamp_to_hours_with_tz",
                  "duration_to_hours"},
           Getter{"getMinutes", "timestamp_to_minutes", "timestamp_to_minutes_with_tz",
                  "duration_to_minutes"},
           Getter{"getSeconds", "timestamp_to_seconds", "timestamp_to_seconds_tz",
                  "duration_to_seconds"},
           Getter{"getMilliseconds", "timestamp_to_milliseconds",
                  "timestamp_to_milliseconds_with_tz", "duration_to_milliseconds"},
       }) {
    std::vector<OverloadDecl> overloads = {Member(g.ts_id, {kTs}, kInt),
                                           Member(g.ts_tz_id, {kTs, kString}, kInt)};
    if (g.dur_id != nullptr) overloads.push_back(Member(g.dur_id, {kDur}, kInt));
    DRA_RETURN_IF_ERROR(env->AddFunction(g.name, std::move(overloads)));
  }

  // ext.TwoVarComprehensions: the helper its transformMap/transformMapEntry expansions call.
  const Type k = Type::Param("K");
  const Type v = Type::Param("V");
  const Type map_kv = Type::Map(k, v);
  DRA_RETURN_IF_ERROR(env->AddFunction("cel.@mapInsert",
                                       {Global("@mapInsert_map_key_value", {map_kv, k, v}, map_kv),
                                        Global("@mapInsert_map_map", {map_kv, map_kv}, map_kv)}));
  return absl::OkStatus();
}

absl::Status AddOptionalLibrary(Env* env) {
  const Type k = Type::Param("K");
  const Type v = Type::Param("V");
  const Type opt_v = Type::Optional(v);
  const Type list_v = Type::List(v);
  const Type map_kv = Type::Map(k, v);
  const Type kBool = Type::Bool(), kInt = Type::Int();

  DRA_RETURN_IF_ERROR(
      env->AddVariable("optional_type", Type::TypeOf(Type::Optional(Type::Param("T")))));
  DRA_RETURN_IF_ERROR(env->AddFunction("optional.of", {Global("optional_of", {v}, opt_v)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("optional.ofNonZeroValue", {Global("optional_ofNonZeroValue", {v}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("optional.none", {Global("optional_none", {}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("value", {Member("optional_value", {opt_v}, v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("hasValue", {Member("optional_hasValue", {opt_v}, kBool)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("or", {Member("optional_or_optional", {opt_v, opt_v}, opt_v)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("orValue", {Member("optional_orValue_value", {opt_v, v}, v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "_?._", {Global("select_optional_field", {Type::Dyn(), Type::String()}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "_[?_]",
      {Global("list_optindex_optional_int", {list_v, kInt}, opt_v),
       Global("optional_list_optindex_optional_int", {Type::Optional(list_v), kInt}, opt_v),
       Global("map_optindex_optional_value", {map_kv, k}, opt_v),
       Global("optional_map_optindex_optional_value", {Type::Optional(map_kv), k}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction(
      "_[_]", {Global("optional_list_index_int", {Type::Optional(list_v), kInt}, opt_v),
               Global("optional_map_index_value", {Type::Optional(map_kv), k}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("last", {Member("list_last", {list_v}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("first", {Member("list_first", {list_v}, opt_v)}));
  DRA_RETURN_IF_ERROR(env->AddFunction("optional.unwrap",
                                       {Global("optional_unwrap", {Type::List(opt_v)}, list_v)}));
  DRA_RETURN_IF_ERROR(
      env->AddFunction("unwrapOpt", {Member("optional_unwrapOpt", {Type::List(opt_v)}, list_v)}));
  return absl::OkStatus();
}

}  // namespace dra::cel::checker
