#include "dra/cel/conformance/cases.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "dra/api/codec/yaml.h"
#include "dra/base/quantity.h"
#include "dra/base/semver.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::cel::conformance {

// ---------------------------------------------------------------------------------------------
// ExpectedValue

ExpectedValue::ExpectedValue() = default;
ExpectedValue::ExpectedValue(const ExpectedValue&) = default;
ExpectedValue::ExpectedValue(ExpectedValue&&) noexcept = default;
ExpectedValue& ExpectedValue::operator=(const ExpectedValue&) = default;
ExpectedValue& ExpectedValue::operator=(ExpectedValue&&) noexcept = default;
ExpectedValue::~ExpectedValue() = default;

ExpectedValue ExpectedValue::Null() { return ExpectedValue(); }
ExpectedValue ExpectedValue::Bool(bool v) {
  ExpectedValue e;
  e.kind = Kind::kBool;
  e.bool_value = v;
  return e;
}
ExpectedValue ExpectedValue::Int(int64_t v) {
  ExpectedValue e;
  e.kind = Kind::kInt;
  e.int_value = v;
  return e;
}
ExpectedValue ExpectedValue::Uint(uint64_t v) {
  ExpectedValue e;
  e.kind = Kind::kUint;
  e.uint_value = v;
  return e;
}
ExpectedValue ExpectedValue::Double(double v) {
  ExpectedValue e;
  e.kind = Kind::kDouble;
  e.double_value = v;
  return e;
}
namespace {
ExpectedValue WithText(ExpectedValue::Kind kind, std::string text) {
  ExpectedValue e;
  e.kind = kind;
  e.text = std::move(text);
  return e;
}
}  // namespace
ExpectedValue ExpectedValue::String(std::string v) { return WithText(Kind::kString, std::move(v)); }
ExpectedValue ExpectedValue::Bytes(std::string v) { return WithText(Kind::kBytes, std::move(v)); }
ExpectedValue ExpectedValue::Type(std::string name) {
  return WithText(Kind::kType, std::move(name));
}
ExpectedValue ExpectedValue::Quantity(std::string text) {
  return WithText(Kind::kQuantity, std::move(text));
}
ExpectedValue ExpectedValue::Semver(std::string text) {
  return WithText(Kind::kSemver, std::move(text));
}
ExpectedValue ExpectedValue::Object(std::string type_name, std::string body) {
  ExpectedValue e = WithText(Kind::kObject, std::move(type_name));
  e.object_text = std::move(body);
  return e;
}
ExpectedValue ExpectedValue::List(std::vector<ExpectedValue> items) {
  ExpectedValue e;
  e.kind = Kind::kList;
  e.items = std::move(items);
  return e;
}
ExpectedValue ExpectedValue::Map(std::vector<ExpectedMapEntry> entries) {
  ExpectedValue e;
  e.kind = Kind::kMap;
  e.entries = std::move(entries);
  return e;
}
ExpectedValue ExpectedValue::OptionalNone() {
  ExpectedValue e;
  e.kind = Kind::kOptional;
  return e;
}
ExpectedValue ExpectedValue::OptionalOf(ExpectedValue v) {
  ExpectedValue e;
  e.kind = Kind::kOptional;
  e.items.push_back(std::move(v));
  return e;
}

bool operator==(const ExpectedValue& a, const ExpectedValue& b) {
  using Kind = ExpectedValue::Kind;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.bool_value == b.bool_value;
    case Kind::kInt:
      return a.int_value == b.int_value;
    case Kind::kUint:
      return a.uint_value == b.uint_value;
    case Kind::kDouble:
      if (std::isnan(a.double_value)) return std::isnan(b.double_value);
      return a.double_value == b.double_value;
    case Kind::kString:
    case Kind::kBytes:
    case Kind::kType:
      return a.text == b.text;
    case Kind::kQuantity: {
      absl::StatusOr<dra::Quantity> qa = dra::Quantity::Parse(a.text);
      absl::StatusOr<dra::Quantity> qb = dra::Quantity::Parse(b.text);
      if (qa.ok() && qb.ok()) return qa->Compare(*qb) == 0;
      return a.text == b.text;
    }
    case Kind::kSemver: {
      absl::StatusOr<dra::SemVer> va = dra::SemVer::Parse(a.text);
      absl::StatusOr<dra::SemVer> vb = dra::SemVer::Parse(b.text);
      if (va.ok() && vb.ok()) return va->Compare(*vb) == 0;
      return a.text == b.text;
    }
    case Kind::kObject:
      return a.text == b.text && a.object_text == b.object_text;
    case Kind::kList:
    case Kind::kOptional:
      return a.items == b.items;
    case Kind::kMap: {
      if (a.entries.size() != b.entries.size()) return false;
      for (const ExpectedMapEntry& ea : a.entries) {
        bool found = false;
        for (const ExpectedMapEntry& eb : b.entries) {
          if (ea.key == eb.key) {
            if (!(ea.value == eb.value)) return false;
            found = true;
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
  }
  return false;
}

namespace {

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  std::string s(buf, ec == std::errc() ? end : buf);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  unsigned char c = s[i];
  size_t n;
  uint32_t min;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    min = 0x80;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    min = 0x800;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    min = 0x10000;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char d = s[i + k];
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = Utf8SequenceLength(s, i);
    if (n == 0 || c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
      }
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  out += '"';
}

// A CEL string literal body with escapes for quotes, controls and (for bytes) non-ASCII.
std::string CelQuote(std::string_view s, bool bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = bytes ? "b\"" : "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = bytes ? (c < 0x80 ? 1 : 0) : Utf8SequenceLength(s, i);
    if (n == 0 || c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  out += '"';
  return out;
}

std::string MapKeyText(const ExpectedValue& key) {
  switch (key.kind) {
    case ExpectedValue::Kind::kString:
      return key.text;
    case ExpectedValue::Kind::kInt:
      return std::to_string(key.int_value);
    case ExpectedValue::Kind::kUint:
      return std::to_string(key.uint_value);
    case ExpectedValue::Kind::kBool:
      return key.bool_value ? "true" : "false";
    default:
      return ToString(key);
  }
}

void AppendJson(std::string& out, const ExpectedValue& v) {
  using Kind = ExpectedValue::Kind;
  switch (v.kind) {
    case Kind::kNull:
      out += "null";
      return;
    case Kind::kBool:
      out += v.bool_value ? "true" : "false";
      return;
    case Kind::kInt:
      out += std::to_string(v.int_value);
      return;
    case Kind::kUint:
      StrAppend(&out, "{\"uint\": ", std::to_string(v.uint_value), "}");
      return;
    case Kind::kDouble:
      out += FormatDouble(v.double_value);
      return;
    case Kind::kString:
      AppendJsonString(out, v.text);
      return;
    case Kind::kBytes:
      out += "{\"bytes\": ";
      AppendJsonString(out, v.text);
      out += "}";
      return;
    case Kind::kType:
      out += "{\"type\": ";
      AppendJsonString(out, v.text);
      out += "}";
      return;
    case Kind::kQuantity:
      out += "{\"quantity\": ";
      AppendJsonString(out, v.text);
      out += "}";
      return;
    case Kind::kSemver:
      out += "{\"semver\": ";
      AppendJsonString(out, v.text);
      out += "}";
      return;
    case Kind::kObject:
      out += "{\"object\": ";
      AppendJsonString(out, StrCat(v.text, " { ", v.object_text, " }"));
      out += "}";
      return;
    case Kind::kOptional:
      out += "{\"optional\": ";
      if (v.items.empty()) {
        out += "\"none\"";
      } else {
        AppendJson(out, v.items[0]);
      }
      out += "}";
      return;
    case Kind::kList:
      out += '[';
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ", ";
        AppendJson(out, v.items[i]);
      }
      out += ']';
      return;
    case Kind::kMap:
      out += '{';
      for (size_t i = 0; i < v.entries.size(); ++i) {
        if (i > 0) out += ", ";
        AppendJsonString(out, MapKeyText(v.entries[i].key));
        out += ": ";
        AppendJson(out, v.entries[i].value);
      }
      out += '}';
      return;
  }
}

}  // namespace

std::string ToString(const ExpectedValue& v) {
  using Kind = ExpectedValue::Kind;
  switch (v.kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return v.bool_value ? "true" : "false";
    case Kind::kInt:
      return std::to_string(v.int_value);
    case Kind::kUint:
      return std::to_string(v.uint_value) + "u";
    case Kind::kDouble:
      if (std::isnan(v.double_value)) return "double(\"NaN\")";
      if (std::isinf(v.double_value)) {
        return v.double_value > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")";
      }
      return FormatDouble(v.double_value);
    case Kind::kString:
      return CelQuote(v.text, false);
    case Kind::kBytes:
      return CelQuote(v.text, true);
    case Kind::kType:
      return v.text;
    case Kind::kQuantity:
      return StrCat("quantity(", CelQuote(v.text, false), ")");
    case Kind::kSemver:
      return StrCat("semver(", CelQuote(v.text, false), ")");
    case Kind::kObject:
      return StrCat(v.text, "{", v.object_text, "}");
    case Kind::kOptional:
      return v.items.empty() ? "optional.none()"
                             : StrCat("optional.of(", ToString(v.items[0]), ")");
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ", ";
        out += ToString(v.items[i]);
      }
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < v.entries.size(); ++i) {
        if (i > 0) out += ", ";
        StrAppend(&out, ToString(v.entries[i].key), ": ", ToString(v.entries[i].value));
      }
      return out + "}";
    }
  }
  return "?";
}

std::string EncodeExpectedAsJson(const ExpectedValue& value) {
  std::string out;
  AppendJson(out, value);
  return out;
}

std::string_view OutcomeName(CelCase::Outcome outcome) {
  switch (outcome) {
    case CelCase::Outcome::kValue:
      return "value";
    case CelCase::Outcome::kEvalError:
      return "eval_error";
    case CelCase::Outcome::kCompileError:
      return "compile_error";
    case CelCase::Outcome::kAnyError:
      return "any_error";
    case CelCase::Outcome::kTypeOnly:
      return "type_only";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// YAML expectations

namespace {

using Position = std::pair<int, int>;

// Plain scalars that the YAML reader turned into `.inf`-style doubles are rewritten to quoted
// strings before parsing (the reader rejects them); their positions are remembered here.
struct YamlContext {
  std::set<Position> special_floats;
};

bool IsSpecialFloatText(std::string_view s) {
  static constexpr std::string_view kForms[] = {".nan",  ".NaN",  ".NAN",  ".inf",
                                                ".Inf",  ".INF",  "+.inf", "+.Inf",
                                                "+.INF", "-.inf", "-.Inf", "-.INF"};
  return std::find(std::begin(kForms), std::end(kForms), s) != std::end(kForms);
}

double SpecialFloat(std::string_view s) {
  if (s.find_first_of("aA") != std::string_view::npos) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return s[0] == '-' ? -std::numeric_limits<double>::infinity()
                     : std::numeric_limits<double>::infinity();
}

absl::Status YamlError(const api::Value& v, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("line ", v.line(), ": ", message));
}

// The text of a scalar that the schema wants as a string: strings as they are, plain scalars
// that YAML resolved to another type as written.
absl::StatusOr<std::string> ScalarText(const api::Value& v, std::string_view field) {
  if (v.is_string()) return v.text();
  if (v.yaml_plain_text().has_value()) return *v.yaml_plain_text();
  if (v.is_number()) return v.text();
  return YamlError(v, StrCat(field, ": expected a string, got ", v.KindName()));
}

// Spellings whose meaning differs between YAML 1.1 (kubectl, go-yaml v2) and YAML 1.2 readers;
// an expectation written that way is ambiguous.
bool IsAmbiguousPlainScalar(const api::Value& v) {
  if (!v.yaml_plain_text().has_value()) return false;
  const std::string& t = *v.yaml_plain_text();
  if (v.is_bool()) return t != "true" && t != "false";
  if (v.is_number()) {
    std::string_view s = t;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.find('_') != std::string_view::npos) return true;
    if (s.size() > 1 && s[0] == '0' && s[1] != '.' && s[1] != 'e' && s[1] != 'E') return true;
  }
  return false;
}

absl::StatusOr<ExpectedValue> FromYaml(const api::Value& v, const YamlContext& ctx, int depth) {
  if (depth > 100) return YamlError(v, "expectation nested too deeply");
  if (IsAmbiguousPlainScalar(v)) {
    return YamlError(v, StrCat("ambiguous plain scalar '", *v.yaml_plain_text(),
                               "' (YAML 1.1 and 1.2 read it differently): quote it"));
  }
  switch (v.kind()) {
    case api::Value::Kind::kNull:
      return ExpectedValue::Null();
    case api::Value::Kind::kBool:
      return ExpectedValue::Bool(v.bool_value());
    case api::Value::Kind::kNumber: {
      const std::string& written = v.yaml_plain_text().value_or(v.text());
      bool is_float = written.find_first_of(".eE") != std::string::npos &&
                      written.find_first_of("xX") == std::string::npos;
      if (is_float) return ExpectedValue::Double(v.AsDouble());
      const std::string& t = v.text();
      errno = 0;
      char* end = nullptr;
      long long i = std::strtoll(t.c_str(), &end, 10);
      if (errno != 0 || end != t.c_str() + t.size() || t.empty()) {
        return YamlError(
            v, StrCat("integer ", written, " does not fit int64 (write {uint: N} for a uint)"));
      }
      return ExpectedValue::Int(static_cast<int64_t>(i));
    }
    case api::Value::Kind::kString:
      if (ctx.special_floats.count({v.line(), v.column()}) > 0) {
        return ExpectedValue::Double(SpecialFloat(v.text()));
      }
      return ExpectedValue::String(v.text());
    case api::Value::Kind::kArray: {
      std::vector<ExpectedValue> items;
      for (const api::Value& item : v.items()) {
        DRA_ASSIGN_OR_RETURN(ExpectedValue e, FromYaml(item, ctx, depth + 1));
        items.push_back(std::move(e));
      }
      return ExpectedValue::List(std::move(items));
    }
    case api::Value::Kind::kObject:
      break;
  }
  if (v.members().size() == 1) {
    const auto& [key, inner] = v.members()[0];
    if (key == "uint") {
      if (!inner.is_number() || inner.text().empty() || inner.text()[0] == '-') {
        return YamlError(inner, "uint: expected a non-negative integer");
      }
      errno = 0;
      char* end = nullptr;
      unsigned long long u = std::strtoull(inner.text().c_str(), &end, 10);
      if (errno != 0 || end != inner.text().c_str() + inner.text().size()) {
        return YamlError(inner, StrCat("uint: ", inner.text(), " is not a uint64"));
      }
      return ExpectedValue::Uint(static_cast<uint64_t>(u));
    }
    if (key == "bytes" || key == "type" || key == "quantity" || key == "semver") {
      DRA_ASSIGN_OR_RETURN(std::string text, ScalarText(inner, key));
      if (key == "bytes") return ExpectedValue::Bytes(std::move(text));
      if (key == "type") return ExpectedValue::Type(std::move(text));
      if (key == "quantity") {
        if (!dra::Quantity::Parse(text).ok()) {
          return YamlError(inner, StrCat("quantity: '", text, "' is not a quantity"));
        }
        return ExpectedValue::Quantity(std::move(text));
      }
      if (!dra::SemVer::Parse(text).ok()) {
        return YamlError(inner, StrCat("semver: '", text, "' is not a semantic version"));
      }
      return ExpectedValue::Semver(std::move(text));
    }
    if (key == "optional") {
      if (inner.is_string() && inner.text() == "none") return ExpectedValue::OptionalNone();
      DRA_ASSIGN_OR_RETURN(ExpectedValue e, FromYaml(inner, ctx, depth + 1));
      return ExpectedValue::OptionalOf(std::move(e));
    }
  }
  std::vector<ExpectedMapEntry> entries;
  for (const auto& [key, inner] : v.members()) {
    DRA_ASSIGN_OR_RETURN(ExpectedValue e, FromYaml(inner, ctx, depth + 1));
    entries.push_back(ExpectedMapEntry{ExpectedValue::String(key), std::move(e)});
  }
  return ExpectedValue::Map(std::move(entries));
}

}  // namespace

absl::StatusOr<ExpectedValue> ExpectedFromYaml(const api::Value& value) {
  return FromYaml(value, YamlContext(), 0);
}

// ---------------------------------------------------------------------------------------------
// Textproto cases

namespace {

absl::Status TextError(int line, std::string_view message) {
  return absl::InvalidArgumentError(StrCat("line ", line, ": ", message));
}

// Fails on fields outside `known`.
absl::Status CheckFields(const TextMessage& m, std::initializer_list<std::string_view> known,
                         std::string_view what) {
  for (const TextField& f : m.fields()) {
    if (std::find(known.begin(), known.end(), f.name) == known.end()) {
      return TextError(f.value.line, StrCat("unknown field '", f.name, "' in ", what));
    }
  }
  return absl::OkStatus();
}

// The single value of a non-repeated field (nullptr when absent; an error when repeated).
absl::StatusOr<const TextValue*> Single(const TextMessage& m, std::string_view name) {
  std::vector<const TextValue*> all = m.FindAll(name);
  if (all.size() > 1) return TextError(all[1]->line, StrCat("field '", name, "' repeated"));
  return all.empty() ? nullptr : all[0];
}

absl::StatusOr<const TextMessage*> SingleMessage(const TextMessage& m, std::string_view name) {
  DRA_ASSIGN_OR_RETURN(const TextValue* v, Single(m, name));
  if (v == nullptr) return nullptr;
  return v->AsMessage();
}

absl::StatusOr<std::string> SingleString(const TextMessage& m, std::string_view name) {
  DRA_ASSIGN_OR_RETURN(const TextValue* v, Single(m, name));
  if (v == nullptr) return std::string();
  return v->AsString();
}

absl::StatusOr<bool> SingleBool(const TextMessage& m, std::string_view name) {
  DRA_ASSIGN_OR_RETURN(const TextValue* v, Single(m, name));
  if (v == nullptr) return false;
  return v->AsBool();
}

std::string_view PrimitiveName(std::string_view p) {
  if (p == "BOOL") return "bool";
  if (p == "INT64") return "int";
  if (p == "UINT64") return "uint";
  if (p == "DOUBLE") return "double";
  if (p == "STRING") return "string";
  if (p == "BYTES") return "bytes";
  return "";
}

absl::StatusOr<std::string> DescribeTypeAt(const TextMessage& type, int depth);

absl::StatusOr<std::string> DescribeChild(const TextMessage& m, std::string_view field, int depth) {
  DRA_ASSIGN_OR_RETURN(const TextMessage* child, SingleMessage(m, field));
  if (child == nullptr) return TextError(m.line(), StrCat("type without '", field, "'"));
  return DescribeTypeAt(*child, depth + 1);
}

absl::StatusOr<std::string> DescribeTypeAt(const TextMessage& type, int depth) {
  if (depth > 50) return TextError(type.line(), "type nested too deeply");
  if (type.fields().size() != 1) {
    if (type.fields().empty()) return TextError(type.line(), "empty type");
    return TextError(type.line(), "type with more than one kind");
  }
  const TextField& f = type.fields()[0];
  const TextValue& v = f.value;
  if (f.name == "dyn") return std::string("dyn");
  if (f.name == "null") return std::string("null_type");
  if (f.name == "error") return std::string("*error*");
  if (f.name == "primitive" || f.name == "wrapper") {
    DRA_ASSIGN_OR_RETURN(std::string p, v.AsIdentifier());
    std::string_view name = PrimitiveName(p);
    if (name.empty()) return TextError(v.line, StrCat("unknown primitive type ", p));
    if (f.name == "wrapper") return StrCat("wrapper(", name, ")");
    return std::string(name);
  }
  if (f.name == "well_known") {
    DRA_ASSIGN_OR_RETURN(std::string w, v.AsIdentifier());
    if (w == "ANY") return std::string("any");
    if (w == "TIMESTAMP") return std::string("google.protobuf.Timestamp");
    if (w == "DURATION") return std::string("google.protobuf.Duration");
    return TextError(v.line, StrCat("unknown well-known type ", w));
  }
  if (f.name == "message_type" || f.name == "type_param") return v.AsString();
  DRA_ASSIGN_OR_RETURN(const TextMessage* m, v.AsMessage());
  if (f.name == "list_type") {
    DRA_ASSIGN_OR_RETURN(std::string elem, DescribeChild(*m, "elem_type", depth));
    return StrCat("list(", elem, ")");
  }
  if (f.name == "map_type") {
    DRA_ASSIGN_OR_RETURN(std::string key, DescribeChild(*m, "key_type", depth));
    DRA_ASSIGN_OR_RETURN(std::string value, DescribeChild(*m, "value_type", depth));
    return StrCat("map(", key, ", ", value, ")");
  }
  if (f.name == "type") {
    if (m->fields().empty()) return std::string("type");
    DRA_ASSIGN_OR_RETURN(std::string t, DescribeTypeAt(*m, depth + 1));
    return StrCat("type(", t, ")");
  }
  if (f.name == "abstract_type") {
    DRA_ASSIGN_OR_RETURN(std::string name, SingleString(*m, "name"));
    std::vector<std::string> params;
    for (const TextValue* p : m->FindAll("parameter_types")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* pm, p->AsMessage());
      DRA_ASSIGN_OR_RETURN(std::string t, DescribeTypeAt(*pm, depth + 1));
      params.push_back(std::move(t));
    }
    if (params.empty()) return name;
    return StrCat(name, "(", StrJoin(params, ", "), ")");
  }
  if (f.name == "function") {
    std::vector<std::string> parts;
    DRA_ASSIGN_OR_RETURN(std::string result, DescribeChild(*m, "result_type", depth));
    parts.push_back(std::move(result));
    for (const TextValue* p : m->FindAll("arg_types")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* pm, p->AsMessage());
      DRA_ASSIGN_OR_RETURN(std::string t, DescribeTypeAt(*pm, depth + 1));
      parts.push_back(std::move(t));
    }
    return StrCat("function(", StrJoin(parts, ", "), ")");
  }
  return TextError(v.line, StrCat("unknown type kind '", f.name, "'"));
}

absl::StatusOr<ExpectedValue> ValueFromText(const TextMessage& value, int depth) {
  if (depth > 100) return TextError(value.line(), "value nested too deeply");
  if (value.fields().size() != 1) {
    return TextError(value.line(), value.fields().empty() ? "value without a kind"
                                                          : "value with more than one kind");
  }
  const TextField& f = value.fields()[0];
  const TextValue& v = f.value;
  if (f.name == "null_value") {
    // An enum: by name or by number.
    if (!(v.kind == TextValue::Kind::kIdentifier && v.text == "NULL_VALUE") &&
        !(v.kind == TextValue::Kind::kNumber && v.text == "0")) {
      return TextError(v.line, StrCat("null_value must be NULL_VALUE or 0, got ", v.text));
    }
    return ExpectedValue::Null();
  }
  if (f.name == "bool_value") {
    DRA_ASSIGN_OR_RETURN(bool b, v.AsBool());
    return ExpectedValue::Bool(b);
  }
  if (f.name == "int64_value") {
    DRA_ASSIGN_OR_RETURN(int64_t i, v.AsInt64());
    return ExpectedValue::Int(i);
  }
  if (f.name == "uint64_value") {
    DRA_ASSIGN_OR_RETURN(uint64_t u, v.AsUint64());
    return ExpectedValue::Uint(u);
  }
  if (f.name == "double_value") {
    DRA_ASSIGN_OR_RETURN(double d, v.AsDouble());
    return ExpectedValue::Double(d);
  }
  if (f.name == "string_value") {
    DRA_ASSIGN_OR_RETURN(std::string s, v.AsString());
    return ExpectedValue::String(std::move(s));
  }
  if (f.name == "bytes_value") {
    DRA_ASSIGN_OR_RETURN(std::string s, v.AsString());
    return ExpectedValue::Bytes(std::move(s));
  }
  if (f.name == "type_value") {
    DRA_ASSIGN_OR_RETURN(std::string s, v.AsString());
    return ExpectedValue::Type(std::move(s));
  }
  DRA_ASSIGN_OR_RETURN(const TextMessage* m, v.AsMessage());
  if (f.name == "list_value") {
    DRA_RETURN_IF_ERROR(CheckFields(*m, {"values"}, "list_value"));
    std::vector<ExpectedValue> items;
    for (const TextValue* item : m->FindAll("values")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* im, item->AsMessage());
      DRA_ASSIGN_OR_RETURN(ExpectedValue e, ValueFromText(*im, depth + 1));
      items.push_back(std::move(e));
    }
    return ExpectedValue::List(std::move(items));
  }
  if (f.name == "map_value") {
    DRA_RETURN_IF_ERROR(CheckFields(*m, {"entries"}, "map_value"));
    std::vector<ExpectedMapEntry> entries;
    for (const TextValue* entry : m->FindAll("entries")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* em, entry->AsMessage());
      DRA_RETURN_IF_ERROR(CheckFields(*em, {"key", "value"}, "map entry"));
      DRA_ASSIGN_OR_RETURN(const TextMessage* km, SingleMessage(*em, "key"));
      DRA_ASSIGN_OR_RETURN(const TextMessage* vm, SingleMessage(*em, "value"));
      if (km == nullptr || vm == nullptr)
        return TextError(em->line(), "map entry needs key and value");
      DRA_ASSIGN_OR_RETURN(ExpectedValue key, ValueFromText(*km, depth + 1));
      DRA_ASSIGN_OR_RETURN(ExpectedValue val, ValueFromText(*vm, depth + 1));
      entries.push_back(ExpectedMapEntry{std::move(key), std::move(val)});
    }
    return ExpectedValue::Map(std::move(entries));
  }
  if (f.name == "enum_value") {
    DRA_ASSIGN_OR_RETURN(std::string type, SingleString(*m, "type"));
    DRA_ASSIGN_OR_RETURN(const TextValue* ev, Single(*m, "value"));
    return ExpectedValue::Object(std::move(type), ev == nullptr ? "0" : ev->text);
  }
  if (f.name == "object_value") {
    if (m->fields().size() == 1 && m->fields()[0].name.size() > 2 &&
        m->fields()[0].name.front() == '[' && m->fields()[0].value.is_message()) {
      std::string url = m->fields()[0].name.substr(1, m->fields()[0].name.size() - 2);
      size_t slash = url.rfind('/');
      return ExpectedValue::Object(slash == std::string::npos ? url : url.substr(slash + 1),
                                   m->fields()[0].value.message.DebugString());
    }
    return ExpectedValue::Object("google.protobuf.Any", m->DebugString());
  }
  return TextError(v.line, StrCat("unknown value kind '", f.name, "'"));
}

absl::StatusOr<Decl> DeclFromText(const TextMessage& m) {
  DRA_RETURN_IF_ERROR(CheckFields(m, {"name", "ident", "function"}, "type_env"));
  Decl decl;
  decl.raw = m;
  DRA_ASSIGN_OR_RETURN(decl.name, SingleString(m, "name"));
  if (decl.name.empty()) return TextError(m.line(), "type_env entry without a name");
  DRA_ASSIGN_OR_RETURN(const TextMessage* ident, SingleMessage(m, "ident"));
  DRA_ASSIGN_OR_RETURN(const TextMessage* function, SingleMessage(m, "function"));
  if ((ident == nullptr) == (function == nullptr)) {
    return TextError(m.line(), "type_env entry needs exactly one of ident and function");
  }
  if (ident != nullptr) {
    decl.kind = Decl::Kind::kIdent;
    DRA_RETURN_IF_ERROR(CheckFields(*ident, {"type", "value", "doc"}, "ident"));
    DRA_ASSIGN_OR_RETURN(const TextMessage* type, SingleMessage(*ident, "type"));
    if (type == nullptr) return TextError(ident->line(), "ident without a type");
    DRA_ASSIGN_OR_RETURN(decl.type, DescribeType(*type));
    return decl;
  }
  decl.kind = Decl::Kind::kFunction;
  std::vector<std::string> overloads;
  for (const TextValue* ov : function->FindAll("overloads")) {
    DRA_ASSIGN_OR_RETURN(const TextMessage* o, ov->AsMessage());
    DRA_RETURN_IF_ERROR(CheckFields(
        *o, {"overload_id", "params", "type_params", "result_type", "is_instance_function", "doc"},
        "overload"));
    DRA_ASSIGN_OR_RETURN(std::string id, SingleString(*o, "overload_id"));
    std::vector<std::string> params;
    for (const TextValue* p : o->FindAll("params")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* pm, p->AsMessage());
      DRA_ASSIGN_OR_RETURN(std::string t, DescribeType(*pm));
      params.push_back(std::move(t));
    }
    DRA_ASSIGN_OR_RETURN(const TextMessage* result, SingleMessage(*o, "result_type"));
    std::string result_text = "dyn";
    if (result != nullptr) {
      DRA_ASSIGN_OR_RETURN(result_text, DescribeType(*result));
    }
    DRA_ASSIGN_OR_RETURN(bool receiver, SingleBool(*o, "is_instance_function"));
    overloads.push_back(
        StrCat(receiver ? "receiver " : "", id, "(", StrJoin(params, ", "), ") -> ", result_text));
  }
  if (overloads.empty()) return TextError(function->line(), "function without overloads");
  decl.type = StrJoin(overloads, "; ");
  return decl;
}

absl::StatusOr<std::string> ErrorMessages(const TextMessage& error_set) {
  DRA_RETURN_IF_ERROR(CheckFields(error_set, {"errors"}, "error set"));
  std::vector<std::string> messages;
  for (const TextValue* e : error_set.FindAll("errors")) {
    DRA_ASSIGN_OR_RETURN(const TextMessage* em, e->AsMessage());
    DRA_RETURN_IF_ERROR(CheckFields(*em, {"message", "code", "details"}, "error"));
    DRA_ASSIGN_OR_RETURN(std::string message, SingleString(*em, "message"));
    messages.push_back(std::move(message));
  }
  return StrJoin(messages, "; ");
}

absl::Status FillTest(const TextMessage& t, CelCase& c) {
  DRA_RETURN_IF_ERROR(
      CheckFields(t,
                  {"name", "description", "expr", "disable_macros", "disable_check", "check_only",
                   "type_env", "container", "locale", "bindings", "value", "typed_result",
                   "eval_error", "any_eval_errors", "unknown", "any_unknowns"},
                  "test"));
  DRA_ASSIGN_OR_RETURN(c.name, SingleString(t, "name"));
  DRA_ASSIGN_OR_RETURN(c.description, SingleString(t, "description"));
  DRA_ASSIGN_OR_RETURN(const TextValue* expr, Single(t, "expr"));
  if (expr == nullptr) return TextError(t.line(), "test without expr");
  DRA_ASSIGN_OR_RETURN(c.expr, expr->AsString());
  DRA_ASSIGN_OR_RETURN(c.disable_macros, SingleBool(t, "disable_macros"));
  DRA_ASSIGN_OR_RETURN(c.disable_check, SingleBool(t, "disable_check"));
  DRA_ASSIGN_OR_RETURN(c.check_only, SingleBool(t, "check_only"));
  DRA_ASSIGN_OR_RETURN(c.container, SingleString(t, "container"));
  for (const TextValue* d : t.FindAll("type_env")) {
    DRA_ASSIGN_OR_RETURN(const TextMessage* dm, d->AsMessage());
    DRA_ASSIGN_OR_RETURN(Decl decl, DeclFromText(*dm));
    c.type_env.push_back(std::move(decl));
  }
  for (const TextValue* b : t.FindAll("bindings")) {
    DRA_ASSIGN_OR_RETURN(const TextMessage* bm, b->AsMessage());
    DRA_RETURN_IF_ERROR(CheckFields(*bm, {"key", "value"}, "bindings"));
    Binding binding;
    DRA_ASSIGN_OR_RETURN(binding.name, SingleString(*bm, "key"));
    DRA_ASSIGN_OR_RETURN(const TextMessage* expr_value, SingleMessage(*bm, "value"));
    if (expr_value == nullptr) return TextError(bm->line(), "binding without a value");
    DRA_RETURN_IF_ERROR(CheckFields(*expr_value, {"value"},
                                    "binding value (error and unknown "
                                    "bindings are not supported)"));
    DRA_ASSIGN_OR_RETURN(const TextMessage* vm, SingleMessage(*expr_value, "value"));
    if (vm == nullptr) return TextError(expr_value->line(), "binding without a value");
    DRA_ASSIGN_OR_RETURN(binding.value, ValueFromText(*vm, 0));
    c.bindings.push_back(std::move(binding));
  }

  int matchers = 0;
  for (std::string_view m :
       {"value", "typed_result", "eval_error", "any_eval_errors", "unknown", "any_unknowns"}) {
    matchers += static_cast<int>(t.FindAll(m).size());
  }
  if (matchers > 1) return TextError(t.line(), "test with more than one result matcher");
  c.outcome = c.check_only ? CelCase::Outcome::kTypeOnly : CelCase::Outcome::kValue;
  if (matchers == 0) {
    c.value = ExpectedValue::Bool(true);
    return absl::OkStatus();
  }
  DRA_ASSIGN_OR_RETURN(const TextMessage* value, SingleMessage(t, "value"));
  if (value != nullptr) {
    DRA_ASSIGN_OR_RETURN(c.value, ValueFromText(*value, 0));
    return absl::OkStatus();
  }
  DRA_ASSIGN_OR_RETURN(const TextMessage* typed, SingleMessage(t, "typed_result"));
  if (typed != nullptr) {
    DRA_RETURN_IF_ERROR(CheckFields(*typed, {"result", "deduced_type"}, "typed_result"));
    DRA_ASSIGN_OR_RETURN(const TextMessage* result, SingleMessage(*typed, "result"));
    if (result != nullptr) {
      DRA_ASSIGN_OR_RETURN(c.value, ValueFromText(*result, 0));
    } else if (!c.check_only) {
      return TextError(typed->line(), "typed_result without result in a test that evaluates");
    }
    DRA_ASSIGN_OR_RETURN(const TextMessage* type, SingleMessage(*typed, "deduced_type"));
    if (type == nullptr) return TextError(typed->line(), "typed_result without deduced_type");
    DRA_ASSIGN_OR_RETURN(c.deduced_type, DescribeType(*type));
    return absl::OkStatus();
  }
  DRA_ASSIGN_OR_RETURN(const TextMessage* eval_error, SingleMessage(t, "eval_error"));
  if (eval_error != nullptr) {
    c.outcome = CelCase::Outcome::kEvalError;
    DRA_ASSIGN_OR_RETURN(c.error_substring, ErrorMessages(*eval_error));
    return absl::OkStatus();
  }
  DRA_ASSIGN_OR_RETURN(const TextMessage* any_errors, SingleMessage(t, "any_eval_errors"));
  if (any_errors != nullptr) {
    c.outcome = CelCase::Outcome::kEvalError;
    std::vector<std::string> all;
    for (const TextValue* set : any_errors->FindAll("errors")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* sm, set->AsMessage());
      DRA_ASSIGN_OR_RETURN(std::string m, ErrorMessages(*sm));
      all.push_back(std::move(m));
    }
    c.error_substring = StrJoin(all, " | ");
    return absl::OkStatus();
  }
  return TextError(t.line(), "unknown/any_unknowns matchers are not supported");
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot open ", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(StrCat("cannot read ", path));
  return buffer.str();
}

absl::Status Prefixed(std::string_view file, const absl::Status& status) {
  return absl::Status(status.code(), StrCat(file, ": ", status.message()));
}

}  // namespace

absl::StatusOr<std::string> DescribeType(const TextMessage& type) {
  return DescribeTypeAt(type, 0);
}

absl::StatusOr<std::vector<CelCase>> ParseTextprotoCases(std::string_view text,
                                                         std::string_view file_name,
                                                         const ScopeTable& scope) {
  absl::StatusOr<TextMessage> file = ParseTextproto(text, file_name);
  if (!file.ok()) return file.status();
  std::string stem(file_name);
  if (size_t dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
  std::vector<CelCase> cases;
  absl::Status status = [&]() -> absl::Status {
    DRA_RETURN_IF_ERROR(CheckFields(*file, {"name", "description", "section"}, "file"));
    std::map<std::string, size_t> seen;
    for (const TextValue* s : file->FindAll("section")) {
      DRA_ASSIGN_OR_RETURN(const TextMessage* section, s->AsMessage());
      DRA_RETURN_IF_ERROR(CheckFields(*section, {"name", "description", "test"}, "section"));
      DRA_ASSIGN_OR_RETURN(std::string section_name, SingleString(*section, "name"));
      for (const TextValue* t : section->FindAll("test")) {
        DRA_ASSIGN_OR_RETURN(const TextMessage* test, t->AsMessage());
        CelCase c;
        c.source = std::string(file_name);
        c.section = section_name;
        DRA_RETURN_IF_ERROR(FillTest(*test, c));
        std::string key = StrCat(stem, "/", section_name, "/", c.name);
        size_t occurrence = seen[key]++;
        c.id = occurrence == 0 ? key : StrCat(key, "#", occurrence + 1);
        if (const ScopeRow* row = scope.Find(key, occurrence)) {
          c.scope = row->scope;
          c.scope_note = row->note;
          c.reference_passes = row->reference_passes;
        }
        cases.push_back(std::move(c));
      }
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) return Prefixed(file_name, status);
  return cases;
}

absl::StatusOr<std::vector<CelCase>> LoadTextprotoCases(const std::string& path,
                                                        const ScopeTable& scope) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseTextprotoCases(text, BaseName(path), scope);
}

// ---------------------------------------------------------------------------------------------
// scope.tsv

const ScopeRow* ScopeTable::Find(std::string_view key, size_t occurrence) const {
  auto it = rows.find(std::string(key));
  if (it == rows.end() || occurrence >= it->second.size()) return nullptr;
  return &it->second[occurrence];
}

size_t ScopeTable::size() const {
  size_t n = 0;
  for (const auto& [key, list] : rows) n += list.size();
  return n;
}

absl::StatusOr<ScopeTable> LoadScope(const std::string& path) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  ScopeTable table;
  std::string name = BaseName(path);
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      cols.emplace_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (cols.size() < 6 || cols.size() > 7) {
      return absl::InvalidArgumentError(
          StrCat(name, ":", line_number, ": expected 7 tab-separated columns, got ", cols.size()));
    }
    cols.resize(7);
    if ((cols[4] != "pass" && cols[4] != "fail") || (cols[5] != "yes" && cols[5] != "no")) {
      return absl::InvalidArgumentError(
          StrCat(name, ":", line_number, ": bad reference or disable_check column"));
    }
    ScopeRow row{cols[0], cols[1], cols[2], cols[3], cols[4] == "pass", cols[5] == "yes", cols[6]};
    std::string key = StrCat(row.file, "/", row.section, "/", row.test);
    table.rows[key].push_back(std::move(row));
  }
  return table;
}

// ---------------------------------------------------------------------------------------------
// YAML cases

namespace {

// ParseYamlDocuments rejects plain .inf/.nan (JSON cannot hold them). Quote each one it reports
// and remember where it was, so that expectations can still read it as a double.
absl::StatusOr<std::vector<api::Value>> ParseYamlKeepingSpecialFloats(std::string text,
                                                                      YamlContext& ctx) {
  static constexpr std::string_view kNeedle = " is not representable in JSON";
  for (int attempt = 0; attempt < 100000; ++attempt) {
    absl::StatusOr<std::vector<api::Value>> docs = api::ParseYamlDocuments(text);
    if (docs.ok()) return docs;
    std::string message(docs.status().message());
    int line = 0;
    int column = 0;
    char token[32] = {0};
    size_t at = message.find("line ");
    if (message.find(kNeedle) == std::string::npos || at == std::string::npos ||
        std::sscanf(message.c_str() + at, "line %d, column %d: the value %31s", &line, &column,
                    token) != 3 ||
        !IsSpecialFloatText(token)) {
      return docs.status();
    }
    // Find the byte offset of (line, column).
    size_t offset = 0;
    for (int l = 1; l < line && offset != std::string::npos; ++l) {
      offset = text.find('\n', offset);
      if (offset != std::string::npos) ++offset;
    }
    if (offset == std::string::npos) return docs.status();
    offset += static_cast<size_t>(column - 1);
    std::string_view t(token);
    if (offset + t.size() > text.size() || text.compare(offset, t.size(), t) != 0) {
      return docs.status();
    }
    text.replace(offset, t.size(), StrCat("'", t, "'"));
    ctx.special_floats.insert({line, column});
  }
  return absl::InvalidArgumentError("too many special floats");
}

absl::Status CheckDevice(const api::Value& device, api::Value& out) {
  if (!device.is_object()) return YamlError(device, "device: expected a map");
  out = api::Value::Object();
  for (const auto& [key, v] : device.members()) {
    if (key == "driver") {
      DRA_ASSIGN_OR_RETURN(std::string driver, ScalarText(v, "device.driver"));
      out.Set("driver", api::Value::String(std::move(driver)));
    } else if (key == "allowMultipleAllocations") {
      if (!v.is_bool()) return YamlError(v, "device.allowMultipleAllocations: expected a bool");
      out.Set(key, v);
    } else if (key == "attributes") {
      if (!v.is_object()) return YamlError(v, "device.attributes: expected a map");
      api::Value attrs = api::Value::Object();
      for (const auto& [name, attr] : v.members()) {
        if (!attr.is_object() || attr.members().size() != 1) {
          return YamlError(attr, StrCat("device.attributes[", name,
                                        "]: expected one of {bool|int|string|version: value}"));
        }
        const auto& [type, value] = attr.members()[0];
        api::Value a;
        if (type == "bool") {
          if (!value.is_bool() || IsAmbiguousPlainScalar(value)) {
            return YamlError(value, StrCat("device.attributes[", name, "].bool: expected a bool"));
          }
          a = value;
        } else if (type == "int") {
          if (!value.is_number() || !value.AsInt64().has_value() ||
              value.text().find_first_of(".eE") != std::string::npos ||
              IsAmbiguousPlainScalar(value)) {
            return YamlError(value,
                             StrCat("device.attributes[", name, "].int: expected an integer"));
          }
          a = value;
        } else if (type == "string" || type == "version") {
          DRA_ASSIGN_OR_RETURN(std::string s,
                               ScalarText(value, StrCat("device.attributes[", name, "]")));
          if (type == "version" && !dra::SemVer::Parse(s).ok()) {
            return YamlError(value, StrCat("device.attributes[", name, "].version: '", s,
                                           "' is not a semantic version"));
          }
          a = api::Value::String(std::move(s));
        } else {
          return YamlError(attr, StrCat("device.attributes[", name, "]: unknown type '", type,
                                        "' (bool, int, string, version)"));
        }
        attrs.Set(name, api::Value::Object({{type, std::move(a)}}));
      }
      out.Set("attributes", std::move(attrs));
    } else if (key == "capacity") {
      if (!v.is_object()) return YamlError(v, "device.capacity: expected a map");
      api::Value caps = api::Value::Object();
      for (const auto& [name, cap] : v.members()) {
        DRA_ASSIGN_OR_RETURN(std::string q, ScalarText(cap, StrCat("device.capacity[", name, "]")));
        if (!dra::Quantity::Parse(q).ok()) {
          return YamlError(cap, StrCat("device.capacity[", name, "]: '", q, "' is not a quantity"));
        }
        caps.Set(name, api::Value::String(std::move(q)));
      }
      out.Set("capacity", std::move(caps));
    } else {
      return YamlError(v, StrCat("device: unknown key '", key, "'"));
    }
  }
  return absl::OkStatus();
}

absl::Status FillYamlCase(const api::Value& item, const YamlContext& ctx, CelCase& c) {
  if (!item.is_object()) return YamlError(item, "case: expected a map");
  const api::Value* error = nullptr;
  const api::Value* error_kind = nullptr;
  const api::Value* expect = nullptr;
  for (const auto& [key, v] : item.members()) {
    if (key == "name") {
      DRA_ASSIGN_OR_RETURN(c.name, ScalarText(v, key));
    } else if (key == "expr") {
      DRA_ASSIGN_OR_RETURN(c.expr, ScalarText(v, key));
    } else if (key == "note") {
      DRA_ASSIGN_OR_RETURN(c.note, ScalarText(v, key));
    } else if (key == "env") {
      DRA_ASSIGN_OR_RETURN(c.env, ScalarText(v, key));
      if (c.env != "NewExpressions" && c.env != "StoredExpressions") {
        return YamlError(v, StrCat("env: unknown environment '", c.env, "'"));
      }
      if (c.env == "StoredExpressions") c.env.clear();
    } else if (key == "selector" || key == "consumable_capacity") {
      if (!v.is_bool() || IsAmbiguousPlainScalar(v)) {
        return YamlError(v, StrCat(key, ": expected true or false"));
      }
      (key == "selector" ? c.selector : c.consumable_capacity) = v.bool_value();
    } else if (key == "estimated_cost") {
      errno = 0;
      char* end = nullptr;
      unsigned long long cost = std::strtoull(v.text().c_str(), &end, 10);
      if (!v.is_number() || v.text().empty() || v.text()[0] == '-' || errno != 0 ||
          end != v.text().c_str() + v.text().size() || IsAmbiguousPlainScalar(v)) {
        return YamlError(v, "estimated_cost: expected a non-negative integer");
      }
      c.estimated_cost = static_cast<uint64_t>(cost);
    } else if (key == "device") {
      api::Value device;
      DRA_RETURN_IF_ERROR(CheckDevice(v, device));
      c.device = std::move(device);
    } else if (key == "expect") {
      expect = &v;
    } else if (key == "error") {
      error = &v;
    } else if (key == "error_kind") {
      error_kind = &v;
    } else {
      return YamlError(v, StrCat("unknown key '", key, "'"));
    }
  }
  if (c.name.empty()) return YamlError(item, "case without a name");
  if (item.Find("expr") == nullptr) return YamlError(item, "case without expr");
  if (expect != nullptr && (error != nullptr || error_kind != nullptr)) {
    return YamlError(item, "case with both expect and error");
  }
  if (expect != nullptr) {
    c.outcome = CelCase::Outcome::kValue;
    DRA_ASSIGN_OR_RETURN(c.value, FromYaml(*expect, ctx, 0));
    return absl::OkStatus();
  }
  if (error == nullptr && error_kind == nullptr) {
    return YamlError(item, "case with neither expect nor error");
  }
  if (error != nullptr) {
    DRA_ASSIGN_OR_RETURN(c.error_substring, ScalarText(*error, "error"));
  }
  c.outcome = CelCase::Outcome::kAnyError;
  if (error_kind != nullptr) {
    DRA_ASSIGN_OR_RETURN(c.error_kind, ScalarText(*error_kind, "error_kind"));
    if (c.error_kind == "compile") {
      c.outcome = CelCase::Outcome::kCompileError;
    } else if (c.error_kind == "eval") {
      c.outcome = CelCase::Outcome::kEvalError;
    } else if (c.error_kind != "program") {
      return YamlError(*error_kind, StrCat("error_kind: unknown kind '", c.error_kind,
                                           "' (compile, program, eval)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CelCase>> ParseYamlCases(std::string_view text,
                                                    std::string_view file_name) {
  YamlContext ctx;
  absl::StatusOr<std::vector<api::Value>> docs =
      ParseYamlKeepingSpecialFloats(std::string(text), ctx);
  if (!docs.ok()) return Prefixed(file_name, docs.status());
  if (docs->size() != 1 || !(*docs)[0].is_object() || (*docs)[0].members().size() != 1 ||
      (*docs)[0].Find("cases") == nullptr || !(*docs)[0].Find("cases")->is_array()) {
    return absl::InvalidArgumentError(
        StrCat(file_name, ": expected one document with the single key `cases:` (a list)"));
  }
  std::vector<CelCase> cases;
  std::set<std::string> names;
  for (const api::Value& item : (*docs)[0].Find("cases")->items()) {
    CelCase c;
    c.source = std::string(file_name);
    absl::Status status = FillYamlCase(item, ctx, c);
    if (!status.ok()) {
      const api::Value* name = item.is_object() ? item.Find("name") : nullptr;
      return Prefixed(
          StrCat(file_name, name != nullptr && name->is_string() ? StrCat(" (", name->text(), ")")
                                                                 : std::string()),
          status);
    }
    c.id = c.name;
    if (!names.insert(c.name).second) {
      return absl::InvalidArgumentError(
          StrCat(file_name, ": line ", item.line(), ": duplicate case name ", c.name));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

absl::StatusOr<std::vector<CelCase>> LoadYamlCases(const std::string& path) {
  DRA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseYamlCases(text, BaseName(path));
}

}  // namespace dra::cel::conformance
