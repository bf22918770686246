// Label selector grammar (labels.Parse), requirement validation (labels.NewRequirement) and the
// field selector grammar (fields.ParseSelector) with the kube-apiserver's field label lists.
#include "dra/apiserver/printing/selectors.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "dra/api/codec/json.h"
#include "dra/api/validation/names.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;
using Operator = LabelSelector::Operator;

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(absl::string_view(message.data(), message.size()));
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  return StrJoin(parts, sep);
}

// Go's strconv.ParseInt(s, 10, 64).
std::optional<int64_t> ParseGoInt64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, 10);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (negative) {
    if (magnitude > kMaxPositive + 1) return std::nullopt;
    return magnitude == kMaxPositive + 1 ? INT64_MIN : -static_cast<int64_t>(magnitude);
  }
  if (magnitude > kMaxPositive) return std::nullopt;
  return static_cast<int64_t>(magnitude);
}

// field.Invalid(path, value, detail).Error() for a string value.
std::string InvalidString(std::string_view path, std::string_view value, std::string_view detail) {
  return StrCat(path, ": Invalid value: ", GoQuote(value), ": ", detail);
}

// json.Marshal of a []string that may be nil.
std::string JsonStrings(const std::vector<std::string>& values, bool nil) {
  if (nil) return "null";
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    api::AppendJsonString(out, values[i]);
  }
  out += "]";
  return out;
}

// utilerrors.NewAggregate(errs).Error().
std::string Aggregate(const std::vector<std::string>& errs) {
  if (errs.size() == 1) return errs[0];
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& e : errs) {
    if (seen.insert(e).second) unique.push_back(e);
  }
  if (unique.size() == 1) return unique[0];
  return StrCat("[", Join(unique, ", "), "]");
}

std::optional<std::string> ValidateLabelKey(std::string_view key, std::string_view path) {
  std::vector<std::string> errs = api::IsQualifiedName(key);
  if (errs.empty()) return std::nullopt;
  return InvalidString(path, key, Join(errs, "; "));
}

// labels.NewRequirement's checks. `path` is the field path prefix ("" for none); `values_nil`
// tells a nil slice from an empty one for the error text.
std::vector<std::string> ValidateRequirement(const LabelSelector::Requirement& r,
                                             std::string_view path, bool values_nil) {
  auto child = [&](std::string_view name) {
    return path.empty() ? std::string(name) : StrCat(path, ".", name);
  };
  std::vector<std::string> errs;
  if (auto e = ValidateLabelKey(r.key, child("key"))) errs.push_back(*e);
  const std::string values_path = child("values");
  const std::string bad = JsonStrings(r.values, values_nil && r.values.empty());
  switch (r.op) {
    case Operator::kIn:
    case Operator::kNotIn:
      if (r.values.empty()) {
        errs.push_back(StrCat(values_path, ": Invalid value: ", bad,
                              ": for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case Operator::kEquals:
    case Operator::kDoubleEquals:
    case Operator::kNotEquals:
      if (r.values.size() != 1) {
        errs.push_back(StrCat(values_path, ": Invalid value: ", bad,
                              ": exact-match compatibility requires one single value"));
      }
      break;
    case Operator::kExists:
    case Operator::kDoesNotExist:
      if (!r.values.empty()) {
        errs.push_back(StrCat(values_path, ": Invalid value: ", bad,
                              ": values set must be empty for exists and does not exist"));
      }
      break;
    case Operator::kGreaterThan:
    case Operator::kLessThan:
      if (r.values.size() != 1) {
        errs.push_back(StrCat(values_path, ": Invalid value: ", bad,
                              ": for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      for (size_t i = 0; i < r.values.size(); ++i) {
        if (!ParseGoInt64(r.values[i])) {
          errs.push_back(InvalidString(StrCat(values_path, "[", i, "]"), r.values[i],
                                       "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
      break;
  }
  for (size_t i = 0; i < r.values.size(); ++i) {
    std::vector<std::string> msgs = api::IsValidLabelValue(r.values[i]);
    if (!msgs.empty()) {
      errs.push_back(InvalidString(StrCat(values_path, "[", i, "][", r.key, "]"), r.values[i],
                                   Join(msgs, "; ")));
    }
  }
  return errs;
}

std::vector<std::string> SortedUnique(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

void SortByKey(std::vector<LabelSelector::Requirement>& reqs) {
  std::stable_sort(reqs.begin(), reqs.end(),
                   [](const auto& a, const auto& b) { return a.key < b.key; });
}

// ---- Label selector lexer and parser -------------------------------------------------------

enum class Token {
  kError,
  kEnd,
  kClosedPar,
  kComma,
  kDoesNotExist,
  kDoubleEquals,
  kEquals,
  kGreaterThan,
  kIdentifier,
  kIn,
  kLessThan,
  kNotEquals,
  kNotIn,
  kOpenPar,
};

struct Item {
  Token token;
  std::string literal;
};

std::optional<Token> LiteralToken(std::string_view s) {
  if (s == ")") return Token::kClosedPar;
  if (s == ",") return Token::kComma;
  if (s == "!") return Token::kDoesNotExist;
  if (s == "==") return Token::kDoubleEquals;
  if (s == "=") return Token::kEquals;
  if (s == ">") return Token::kGreaterThan;
  if (s == "in") return Token::kIn;
  if (s == "<") return Token::kLessThan;
  if (s == "!=") return Token::kNotEquals;
  if (s == "notin") return Token::kNotIn;
  if (s == "(") return Token::kOpenPar;
  return std::nullopt;
}

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsSpecialSymbol(char c) {
  switch (c) {
    case '=':
    case '!':
    case '(':
    case ')':
    case ',':
    case '>':
    case '<':
      return true;
    default:
      return false;
  }
}

// A NUL byte ends the input, as in upstream's lexer.
class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Item Lex() {
    char c = Read();
    while (IsWhitespace(c)) c = Read();
    if (c == '\0') return {Token::kEnd, ""};
    Unread();
    if (IsSpecialSymbol(c)) return ScanSpecialSymbol();
    return ScanIdOrKeyword();
  }

 private:
  char Read() {
    if (pos_ < s_.size()) return s_[pos_++];
    return '\0';
  }
  void Unread() { --pos_; }

  Item ScanIdOrKeyword() {
    std::string buffer;
    while (true) {
      char c = Read();
      if (c == '\0') break;
      if (IsSpecialSymbol(c) || IsWhitespace(c)) {
        Unread();
        break;
      }
      buffer.push_back(c);
    }
    if (auto t = LiteralToken(buffer)) return {*t, buffer};
    return {Token::kIdentifier, buffer};
  }

  Item ScanSpecialSymbol() {
    std::optional<Item> last;
    std::string buffer;
    while (true) {
      char c = Read();
      if (c == '\0') break;
      if (!IsSpecialSymbol(c)) {
        Unread();
        break;
      }
      buffer.push_back(c);
      if (auto t = LiteralToken(buffer)) {
        last = Item{*t, buffer};
      } else if (last) {
        Unread();
        break;
      }
    }
    if (!last) return {Token::kError, StrCat("error expected: keyword found '", buffer, "'")};
    return *last;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

enum class Context { kKeyAndOperator, kValues };

class Parser {
 public:
  explicit Parser(std::string_view text) {
    Lexer lexer(text);
    while (true) {
      Item item = lexer.Lex();
      Token t = item.token;
      items_.push_back(std::move(item));
      if (t == Token::kEnd) break;
    }
  }

  absl::StatusOr<std::vector<LabelSelector::Requirement>> Parse() {
    std::vector<LabelSelector::Requirement> reqs;
    while (true) {
      const Item& next = Lookahead(Context::kValues);
      switch (Kind(next, Context::kValues)) {
        case Token::kIdentifier:
        case Token::kDoesNotExist: {
          absl::StatusOr<LabelSelector::Requirement> r = ParseRequirement();
          if (!r.ok()) {
            return Invalid(StrCat("unable to parse requirement: ", r.status().message()));
          }
          reqs.push_back(*std::move(r));
          const Item& sep = Consume();
          switch (Kind(sep, Context::kValues)) {
            case Token::kEnd:
              return reqs;
            case Token::kComma: {
              Token t2 = Kind(Lookahead(Context::kValues), Context::kValues);
              if (t2 != Token::kIdentifier && t2 != Token::kDoesNotExist) {
                return Invalid(StrCat("found '", Lookahead(Context::kValues).literal,
                                      "', expected: identifier after ','"));
              }
              break;
            }
            default:
              return Invalid(StrCat("found '", sep.literal, "', expected: ',' or 'end of string'"));
          }
          break;
        }
        case Token::kEnd:
          return reqs;
        default:
          return Invalid(
              StrCat("found '", next.literal, "', expected: !, identifier, or 'end of string'"));
      }
    }
  }

 private:
  static Token Kind(const Item& item, Context context) {
    if (context == Context::kValues && (item.token == Token::kIn || item.token == Token::kNotIn)) {
      return Token::kIdentifier;
    }
    return item.token;
  }
  const Item& Lookahead(Context) const { return items_[std::min(position_, items_.size() - 1)]; }
  const Item& Consume() {
    const Item& item = items_[std::min(position_, items_.size() - 1)];
    ++position_;
    return item;
  }

  absl::StatusOr<LabelSelector::Requirement> ParseRequirement() {
    LabelSelector::Requirement r;
    bool inferred = false;
    {
      const Item* item = &Consume();
      bool not_exists = false;
      if (Kind(*item, Context::kValues) == Token::kDoesNotExist) {
        not_exists = true;
        item = &Consume();
      }
      if (Kind(*item, Context::kValues) != Token::kIdentifier) {
        return Invalid(StrCat("found '", item->literal, "', expected: identifier"));
      }
      if (auto e = ValidateLabelKey(item->literal, "<nil>")) return Invalid(*e);
      r.key = item->literal;
      Token t = Kind(Lookahead(Context::kValues), Context::kValues);
      if (not_exists) {
        r.op = Operator::kDoesNotExist;
        inferred = true;
      } else if (t == Token::kEnd || t == Token::kComma) {
        r.op = Operator::kExists;
        inferred = true;
      }
    }
    if (!inferred) {
      const Item& op = Consume();
      switch (Kind(op, Context::kKeyAndOperator)) {
        case Token::kIn:
          r.op = Operator::kIn;
          break;
        case Token::kEquals:
          r.op = Operator::kEquals;
          break;
        case Token::kDoubleEquals:
          r.op = Operator::kDoubleEquals;
          break;
        case Token::kGreaterThan:
          r.op = Operator::kGreaterThan;
          break;
        case Token::kLessThan:
          r.op = Operator::kLessThan;
          break;
        case Token::kNotIn:
          r.op = Operator::kNotIn;
          break;
        case Token::kNotEquals:
          r.op = Operator::kNotEquals;
          break;
        default:
          return Invalid(
              StrCat("found '", op.literal, "', expected: in, notin, =, ==, !=, gt, lt"));
      }
      absl::StatusOr<std::vector<std::string>> values =
          (r.op == Operator::kIn || r.op == Operator::kNotIn) ? ParseValues() : ParseExactValue();
      if (!values.ok()) return values.status();
      r.values = SortedUnique(*std::move(values));
    }
    std::vector<std::string> errs = ValidateRequirement(r, "", false);
    if (!errs.empty()) return Invalid(Aggregate(errs));
    return r;
  }

  absl::StatusOr<std::vector<std::string>> ParseValues() {
    const Item& open = Consume();
    if (Kind(open, Context::kValues) != Token::kOpenPar) {
      return Invalid(StrCat("found '", open.literal, "' expected: '('"));
    }
    const Item& next = Lookahead(Context::kValues);
    switch (Kind(next, Context::kValues)) {
      case Token::kIdentifier:
      case Token::kComma: {
        std::string literal = next.literal;
        DRA_ASSIGN_OR_RETURN(std::vector<std::string> values, ParseIdentifiersList());
        if (Kind(Consume(), Context::kValues) != Token::kClosedPar) {
          return Invalid(StrCat("found '", literal, "', expected: ')'"));
        }
        return values;
      }
      case Token::kClosedPar:
        Consume();
        return std::vector<std::string>{""};
      default:
        return Invalid(StrCat("found '", next.literal, "', expected: ',', ')' or identifier"));
    }
  }

  absl::StatusOr<std::vector<std::string>> ParseIdentifiersList() {
    std::vector<std::string> values;
    while (true) {
      const Item& item = Consume();
      switch (Kind(item, Context::kValues)) {
        case Token::kIdentifier: {
          values.push_back(item.literal);
          const Item& next = Lookahead(Context::kValues);
          switch (Kind(next, Context::kValues)) {
            case Token::kComma:
              continue;
            case Token::kClosedPar:
              return values;
            default:
              return Invalid(StrCat("found '", next.literal, "', expected: ',' or ')'"));
          }
        }
        case Token::kComma: {
          if (values.empty()) values.push_back("");
          Token t2 = Kind(Lookahead(Context::kValues), Context::kValues);
          if (t2 == Token::kClosedPar) {
            values.push_back("");
            return values;
          }
          if (t2 == Token::kComma) {
            Consume();
            values.push_back("");
          }
          break;
        }
        default:
          return Invalid(StrCat("found '", item.literal, "', expected: ',', or identifier"));
      }
    }
  }

  absl::StatusOr<std::vector<std::string>> ParseExactValue() {
    Token t = Kind(Lookahead(Context::kValues), Context::kValues);
    if (t == Token::kEnd || t == Token::kComma) return std::vector<std::string>{""};
    const Item& item = Consume();
    if (Kind(item, Context::kValues) == Token::kIdentifier) {
      return std::vector<std::string>{item.literal};
    }
    return Invalid(StrCat("found '", item.literal, "', expected: identifier"));
  }

  std::vector<Item> items_;
  size_t position_ = 0;
};

bool RequirementMatches(const LabelSelector::Requirement& r, const Value& labels) {
  const Value* v = labels.is_object() ? labels.Find(r.key) : nullptr;
  const bool has = v != nullptr;
  const std::string label = has && v->is_string() ? v->text() : std::string();
  auto has_value = [&] {
    return std::find(r.values.begin(), r.values.end(), label) != r.values.end();
  };
  switch (r.op) {
    case Operator::kIn:
    case Operator::kEquals:
    case Operator::kDoubleEquals:
      return has && has_value();
    case Operator::kNotIn:
    case Operator::kNotEquals:
      return !has || !has_value();
    case Operator::kExists:
      return has;
    case Operator::kDoesNotExist:
      return !has;
    case Operator::kGreaterThan:
    case Operator::kLessThan: {
      if (!has || r.values.size() != 1) return false;
      std::optional<int64_t> lhs = ParseGoInt64(label);
      std::optional<int64_t> rhs = ParseGoInt64(r.values[0]);
      if (!lhs || !rhs) return false;
      return r.op == Operator::kGreaterThan ? *lhs > *rhs : *lhs < *rhs;
    }
  }
  return false;
}

std::string RequirementString(const LabelSelector::Requirement& r) {
  std::string out;
  if (r.op == Operator::kDoesNotExist) out += "!";
  out += r.key;
  switch (r.op) {
    case Operator::kEquals:
      out += "=";
      break;
    case Operator::kDoubleEquals:
      out += "==";
      break;
    case Operator::kNotEquals:
      out += "!=";
      break;
    case Operator::kIn:
      out += " in ";
      break;
    case Operator::kNotIn:
      out += " notin ";
      break;
    case Operator::kGreaterThan:
      out += ">";
      break;
    case Operator::kLessThan:
      out += "<";
      break;
    case Operator::kExists:
    case Operator::kDoesNotExist:
      return out;
  }
  const bool set = r.op == Operator::kIn || r.op == Operator::kNotIn;
  if (set) out += "(";
  std::vector<std::string> values = r.values;
  std::sort(values.begin(), values.end());
  out += Join(values, ",");
  if (set) out += ")";
  return out;
}

// ---- Field selectors -------------------------------------------------------------------------

std::vector<std::string> SplitTerms(std::string_view s) {
  std::vector<std::string> terms;
  if (s.empty()) return terms;
  size_t start = 0;
  bool in_slash = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_slash) {
      in_slash = false;
    } else if (c == '\\') {
      in_slash = true;
    } else if (c == ',') {
      terms.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.emplace_back(s.substr(start));
  return terms;
}

absl::StatusOr<std::string> UnescapeValue(std::string_view s) {
  if (s.find_first_of("\\,=") == std::string_view::npos) return std::string(s);
  std::string out;
  bool in_slash = false;
  for (size_t i = 0; i < s.size();) {
    uint32_t rune = 0;
    size_t len = DecodeUtf8(s, i, &rune);
    if (len == 0) len = 1;
    std::string_view ch = s.substr(i, len);
    i += len;
    if (in_slash) {
      if (ch == "\\" || ch == "," || ch == "=") {
        out += ch;
      } else {
        // Invalid UTF-8 reads as U+FFFD, as Go's range over a string does.
        std::string shown = len == 1 && static_cast<unsigned char>(ch[0]) >= 0x80
                                ? std::string("\xEF\xBF\xBD")
                                : std::string(ch);
        return Invalid(StrCat("invalid field selector: invalid escape sequence: \\", shown));
      }
      in_slash = false;
      continue;
    }
    if (ch == "\\") {
      in_slash = true;
    } else if (ch == "," || ch == "=") {
      return Invalid(StrCat("invalid field selector: unescaped character in value: ",
                            static_cast<int>(ch[0])));
    } else {
      out += ch;
    }
  }
  if (in_slash) return Invalid("invalid field selector: invalid escape sequence: \\");
  return out;
}

std::string GroupOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string()
                                         : std::string(api_version.substr(0, slash));
}

std::string VersionOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return std::string(slash == std::string_view::npos ? api_version : api_version.substr(slash + 1));
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), s) != options.end();
}

// The scheme's field label conversion for (api_version, kind): the converted label, or the
// error text.
absl::StatusOr<std::string> ConvertFieldLabel(std::string_view api_version, std::string_view kind,
                                              std::string_view label) {
  const std::string group = GroupOf(api_version);
  auto not_supported = [&] { return Invalid(StrCat("field label not supported: ", label)); };
  if (group.empty()) {
    if (kind == "Pod") {
      if (OneOf(label,
                {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
                 "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
                 "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"})) {
        return std::string(label);
      }
      if (label == "spec.host") return std::string("spec.nodeName");
      return not_supported();
    }
    if (kind == "Node") {
      if (OneOf(label, {"metadata.name", "spec.unschedulable"})) return std::string(label);
      return not_supported();
    }
    if (kind == "Event") {
      if (OneOf(label,
                {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                 "involvedObject.uid", "involvedObject.apiVersion",
                 "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                 "reportingComponent", "source", "type", "metadata.namespace", "metadata.name"})) {
        return std::string(label);
      }
      return not_supported();
    }
    if (kind == "Namespace") {
      if (OneOf(label, {"status.phase", "metadata.name"})) return std::string(label);
      return not_supported();
    }
    if (kind == "ReplicationController") {
      if (OneOf(label, {"metadata.name", "metadata.namespace", "status.replicas"})) {
        return std::string(label);
      }
      return not_supported();
    }
    if (kind == "Secret") {
      if (OneOf(label, {"type", "metadata.namespace", "metadata.name"})) {
        return std::string(label);
      }
      return not_supported();
    }
    if (kind == "Service") {
      if (OneOf(label, {"metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"})) {
        return std::string(label);
      }
      return not_supported();
    }
  }
  if (group == "resource.k8s.io" && kind == "ResourceSlice") {
    if (OneOf(label, {"metadata.name", "spec.nodeName", "spec.driver"})) {
      return std::string(label);
    }
    return Invalid(StrCat("field label not supported for ", group, "/", VersionOf(api_version),
                          ", Kind=", kind, ": ", label));
  }
  if (label == "metadata.name" || label == "metadata.namespace") return std::string(label);
  return Invalid(StrCat(GoQuote(label),
                        " is not a known field selector: only \"metadata.name\", "
                        "\"metadata.namespace\""));
}

const Value* Path(const Value& object, std::string_view dotted) {
  const Value* v = &object;
  while (v != nullptr) {
    size_t dot = dotted.find('.');
    v = v->Find(dotted.substr(0, dot));
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
  }
  return v;
}

std::string ScalarText(const Value* v) {
  if (v == nullptr) return "";
  if (v->is_string() || v->is_number()) return v->text();
  if (v->is_bool()) return v->bool_value() ? "true" : "false";
  return "";
}

}  // namespace

// ---- LabelSelector ---------------------------------------------------------------------------

LabelSelector LabelSelector::Nothing() {
  LabelSelector s;
  s.nothing_ = true;
  return s;
}

absl::StatusOr<LabelSelector> LabelSelector::Parse(std::string_view text) {
  Parser parser(text);
  DRA_ASSIGN_OR_RETURN(std::vector<Requirement> reqs, parser.Parse());
  SortByKey(reqs);
  LabelSelector s;
  s.requirements_ = std::move(reqs);
  return s;
}

absl::StatusOr<LabelSelector> LabelSelector::FromLabelSelector(const Value& selector) {
  if (selector.is_null()) return Nothing();
  if (!selector.is_object()) return Invalid("label selector must be an object");
  const Value* match_labels = selector.Find("matchLabels");
  const Value* match_expressions = selector.Find("matchExpressions");
  std::vector<Requirement> reqs;
  if (match_labels != nullptr && match_labels->is_object()) {
    for (const auto& [key, value] : match_labels->members()) {
      Requirement r{key, Operator::kEquals, {value.is_string() ? value.text() : std::string()}};
      std::vector<std::string> errs = ValidateRequirement(r, "", false);
      if (!errs.empty()) return Invalid(Aggregate(errs));
      reqs.push_back(std::move(r));
    }
  }
  if (match_expressions != nullptr && match_expressions->is_array()) {
    for (const Value& expr : match_expressions->items()) {
      const std::string key = ScalarText(expr.Find("key"));
      const std::string op = ScalarText(expr.Find("operator"));
      Requirement r;
      r.key = key;
      if (op == "In") {
        r.op = Operator::kIn;
      } else if (op == "NotIn") {
        r.op = Operator::kNotIn;
      } else if (op == "Exists") {
        r.op = Operator::kExists;
      } else if (op == "DoesNotExist") {
        r.op = Operator::kDoesNotExist;
      } else {
        return Invalid(StrCat(GoQuote(op), " is not a valid label selector operator"));
      }
      const Value* values = expr.Find("values");
      if (values != nullptr && values->is_array()) {
        for (const Value& v : values->items()) r.values.push_back(v.is_string() ? v.text() : "");
      }
      std::vector<std::string> errs = ValidateRequirement(r, "", true);
      if (!errs.empty()) return Invalid(Aggregate(errs));
      reqs.push_back(std::move(r));
    }
  }
  SortByKey(reqs);
  LabelSelector s;
  s.requirements_ = std::move(reqs);
  return s;
}

bool LabelSelector::Matches(const Value& labels) const {
  if (nothing_) return false;
  for (const Requirement& r : requirements_) {
    if (!RequirementMatches(r, labels)) return false;
  }
  return true;
}

std::string LabelSelector::String() const {
  std::vector<std::string> parts;
  for (const Requirement& r : requirements_) parts.push_back(RequirementString(r));
  return Join(parts, ",");
}

std::optional<std::string> LabelSelector::RequiredValue(std::string_view key) const {
  for (const Requirement& r : requirements_) {
    if (r.key != key) continue;
    if ((r.op == Operator::kEquals || r.op == Operator::kDoubleEquals || r.op == Operator::kIn) &&
        r.values.size() == 1) {
      return r.values[0];
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// ---- FieldSelector ---------------------------------------------------------------------------

absl::StatusOr<FieldSelector> FieldSelector::Parse(std::string_view text,
                                                   std::string_view api_version,
                                                   std::string_view kind) {
  std::vector<std::string> parts = SplitTerms(text);
  std::sort(parts.begin(), parts.end());
  FieldSelector s;
  s.kind_ = std::string(kind);
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    std::string_view term = part;
    size_t i = 0;
    std::string_view op;
    for (; i < term.size(); ++i) {
      std::string_view rest = term.substr(i);
      if (rest.starts_with("!=")) {
        op = "!=";
      } else if (rest.starts_with("==")) {
        op = "==";
      } else if (rest.starts_with("=")) {
        op = "=";
      }
      if (!op.empty()) break;
    }
    if (op.empty()) {
      return Invalid(StrCat("invalid selector: '", text, "'; can't understand '", part, "'"));
    }
    DRA_ASSIGN_OR_RETURN(std::string value, UnescapeValue(term.substr(i + op.size())));
    s.requirements_.push_back(Requirement{std::string(term.substr(0, i)), op != "!=", value});
  }
  for (Requirement& r : s.requirements_) {
    DRA_ASSIGN_OR_RETURN(r.field, ConvertFieldLabel(api_version, kind, r.field));
  }
  return s;
}

bool FieldSelector::Matches(const Value& object) const {
  for (const Requirement& r : requirements_) {
    const bool equal = FieldValue(object, kind_, r.field) == r.value;
    if (equal != r.equals) return false;
  }
  return true;
}

std::optional<std::string> FieldSelector::RequiredValue(std::string_view field) const {
  for (const Requirement& r : requirements_) {
    if (r.field == field && r.equals) return r.value;
  }
  return std::nullopt;
}

std::string FieldSelector::FieldValue(const Value& object, std::string_view kind,
                                      std::string_view field) {
  if (kind == "Pod") {
    if (field == "spec.hostNetwork") {
      const Value* v = Path(object, "spec.hostNetwork");
      return v != nullptr && v->is_bool() && v->bool_value() ? "true" : "false";
    }
    if (field == "status.podIP" || field == "status.podIPs") {
      std::vector<std::string> ips;
      const Value* list = Path(object, "status.podIPs");
      if (list != nullptr && list->is_array()) {
        for (const Value& ip : list->items()) ips.push_back(ScalarText(ip.Find("ip")));
      }
      if (ips.empty()) {
        std::string single = ScalarText(Path(object, "status.podIP"));
        if (!single.empty()) ips.push_back(single);
      }
      if (field == "status.podIP") return ips.empty() ? "" : ips[0];
      return Join(ips, ",");
    }
  }
  if (kind == "Node" && field == "spec.unschedulable") {
    const Value* v = Path(object, "spec.unschedulable");
    return v != nullptr && v->is_bool() && v->bool_value() ? "true" : "false";
  }
  if (kind == "Event" && field == "source") {
    std::string source = ScalarText(Path(object, "source.component"));
    if (source.empty()) source = ScalarText(object.Find("reportingComponent"));
    return source;
  }
  return ScalarText(Path(object, field));
}

}  // namespace dra::apiserver
