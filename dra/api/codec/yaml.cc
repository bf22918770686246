#include "dra/api/codec/yaml.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/exceptions.h"
#include "yaml-cpp/mark.h"
#include "yaml-cpp/parser.h"

namespace dra::api {
namespace {

constexpr size_t kMaxDepth = 512;

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options) {
    if (s == o) return true;
  }
  return false;
}

bool IsYamlTrue(std::string_view s) {
  return IsOneOf(s, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"});
}
bool IsYamlFalse(std::string_view s) {
  return IsOneOf(s, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"});
}
bool IsYamlNull(std::string_view s) { return IsOneOf(s, {"", "~", "null", "Null", "NULL"}); }
bool IsYamlSpecialFloat(std::string_view s) {
  return IsOneOf(s, {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                     "-.inf", "-.Inf", "-.INF"});
}

// Integer forms accepted by Go's strconv.ParseInt(s, 0, 64) after removing '_': optional sign,
// then 0x/0X hex, 0b/0B binary, 0o/0O or leading-0 octal, or decimal. Returns the decimal text.
std::optional<std::string> ResolveYamlInt(std::string_view plain) {
  std::string s = dra::StrReplaceAll(plain, {{"_", ""}});
  if (s.empty()) return std::nullopt;
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  std::string_view digits(s);
  digits.remove_prefix(i);
  if (digits.empty()) return std::nullopt;
  int base = 10;
  if (digits.size() > 1 && digits[0] == '0') {
    char c = digits[1];
    if (c == 'x' || c == 'X') {
      base = 16;
      digits.remove_prefix(2);
    } else if (c == 'b' || c == 'B') {
      base = 2;
      digits.remove_prefix(2);
    } else if (c == 'o' || c == 'O') {
      base = 8;
      digits.remove_prefix(2);
    } else {
      base = 8;
      digits.remove_prefix(1);
    }
    if (digits.empty()) return std::nullopt;
  }
  unsigned __int128 value = 0;
  for (char c : digits) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    value = value * base + d;
    if (value > static_cast<unsigned __int128>(UINT64_MAX)) return std::nullopt;
  }
  if (negative) {
    if (value > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
    if (value == 0) return std::string("0");
    return dra::StrCat("-", static_cast<uint64_t>(value));
  }
  return dra::StrCat(static_cast<uint64_t>(value));
}

// go-yaml v2's float form: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool IsYamlFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0;
  while (i < s.size() && absl::ascii_isdigit(s[i])) ++i, ++int_digits;
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && absl::ascii_isdigit(s[i])) ++i, ++frac_digits;
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && absl::ascii_isdigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// A JSON number text for a YAML float ("5." -> "5.0", ".5" -> "0.5", "+1" -> "1").
std::string JsonFloatText(std::string_view s) {
  std::string out;
  size_t i = 0;
  if (s[0] == '+') {
    i = 1;
  } else if (s[0] == '-') {
    out += '-';
    i = 1;
  }
  if (i < s.size() && s[i] == '.') out += '0';
  for (; i < s.size(); ++i) {
    char c = s[i];
    out += c;
    if (c == '.' && (i + 1 == s.size() || !absl::ascii_isdigit(s[i + 1]))) out += '0';
  }
  // JSON forbids leading zeros ("007.5"); strip them.
  size_t start = out[0] == '-' ? 1 : 0;
  while (out.size() > start + 1 && out[start] == '0' && absl::ascii_isdigit(out[start + 1])) {
    out.erase(start, 1);
  }
  return out;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    // yaml-cpp can report a document at the same place forever on some malformed input (a lone
    // ","): a second document starting where the previous one did means no progress.
    if (documents_started_ > 0 && mark.pos == last_document_pos_) {
      Fail(mark, "did not find expected node content");
    }
    ++documents_started_;
    last_document_pos_ = mark.pos;
    stack_.clear();
    anchors_.clear();
    has_root_ = false;
  }
  void OnDocumentEnd() override {
    if (has_root_ && !root_.is_null()) documents_.push_back(std::move(root_));
    root_ = Value();
    has_root_ = false;
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Value v;
    Position(v, mark);
    Add(std::move(v), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Fail(mark, "unknown anchor");
      return;
    }
    if (++alias_expansions_ > 10000) {
      Fail(mark, "document contains excessive aliasing");
      return;
    }
    Add(it->second, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Value v = Resolve(mark, tag, value);
    Position(v, mark);
    Add(std::move(v), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, Value::Array(), anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, Value::Object(), anchor);
  }
  void OnMapEnd() override { Close(); }

  const std::string& error() const { return error_; }
  std::vector<Value> TakeDocuments() { return std::move(documents_); }

 private:
  struct Frame {
    Value value;
    YAML::anchor_t anchor = 0;
    // For maps: the key read and waiting for its value.
    std::optional<Value> pending_key;
    std::vector<Value> merges;
  };

  void Fail(const YAML::Mark& mark, std::string_view message) {
    if (!error_.empty()) return;
    error_ = dra::StrCat("yaml: line ", mark.line + 1, ", column ", mark.column + 1, ": ", message);
  }

  static void Position(Value& v, const YAML::Mark& mark) {
    v.set_position(mark.line + 1, mark.column + 1);
  }

  Value Resolve(const YAML::Mark& mark, const std::string& tag, const std::string& text) {
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value::String(text);
    if (tag == "tag:yaml.org,2002:binary") return Value::String(text);
    if (tag != "?" && !tag.empty() && tag != "tag:yaml.org,2002:int" &&
        tag != "tag:yaml.org,2002:float" && tag != "tag:yaml.org,2002:bool" &&
        tag != "tag:yaml.org,2002:null") {
      // Unknown local tags are ignored, as go-yaml does for plain resolution.
    }
    Value v;
    if (IsYamlNull(text)) {
      v = Value::Null();
    } else if (IsYamlTrue(text)) {
      v = Value::Bool(true);
    } else if (IsYamlFalse(text)) {
      v = Value::Bool(false);
    } else if (auto i = ResolveYamlInt(text)) {
      v = Value::Number(*i);
    } else if (IsYamlFloat(text)) {
      v = Value::Number(JsonFloatText(text));
    } else if (IsYamlSpecialFloat(text)) {
      Fail(mark, dra::StrCat("the value ", text,
                             " is not representable in JSON; quote it to make it a string"));
      v = Value::String(text);
    } else {
      return Value::String(text);
    }
    v.set_yaml_plain_text(text);
    return v;
  }

  void Open(const YAML::Mark& mark, Value v, YAML::anchor_t anchor) {
    if (stack_.size() >= kMaxDepth) {
      Fail(mark, "document is nested too deeply");
    }
    Position(v, mark);
    stack_.push_back(Frame{std::move(v), anchor, std::nullopt, {}});
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.value.is_object() && !f.merges.empty()) {
      // Merge keys: explicit keys win, then earlier merge sources win over later ones.
      for (const Value& source : f.merges) {
        for (const auto& [k, v] : source.members()) {
          if (f.value.Find(k) == nullptr) f.value.mutable_members().emplace_back(k, v);
        }
      }
    }
    Add(std::move(f.value), f.anchor);
  }

  void Add(Value v, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = v;
    if (stack_.empty()) {
      root_ = std::move(v);
      has_root_ = true;
      return;
    }
    Frame& f = stack_.back();
    if (f.value.is_array()) {
      f.value.Append(std::move(v));
      return;
    }
    if (!f.pending_key.has_value()) {
      f.pending_key = std::move(v);
      return;
    }
    Value key = std::move(*f.pending_key);
    f.pending_key.reset();
    if (key.is_string() && key.text() == "<<" && !key.yaml_plain_text().has_value()) {
      // The merge key `<<` (only when written plain; resolution keeps it a string).
    }
    if (key.is_string() && key.text() == "<<") {
      if (v.is_object()) {
        f.merges.push_back(std::move(v));
        return;
      }
      if (v.is_array()) {
        for (auto& item : v.mutable_items()) {
          if (item.is_object()) f.merges.push_back(std::move(item));
        }
        return;
      }
    }
    std::string key_text;
    switch (key.kind()) {
      case Value::Kind::kString:
      case Value::Kind::kNumber:
        key_text = key.text();
        break;
      case Value::Kind::kBool:
        key_text = key.bool_value() ? "true" : "false";
        break;
      case Value::Kind::kNull:
        key_text = "null";
        break;
      default: {
        YAML::Mark mark;
        mark.line = key.line() - 1;
        mark.column = key.column() - 1;
        Fail(mark, "mapping keys must be scalars");
        return;
      }
    }
    if (f.value.Find(key_text) != nullptr) {
      YAML::Mark mark;
      mark.line = key.line() - 1;
      mark.column = key.column() - 1;
      Fail(mark, dra::StrCat("key \"", key_text, "\" already set in map"));
      return;
    }
    f.value.mutable_members().emplace_back(std::move(key_text), std::move(v));
  }

  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Value> anchors_;
  Value root_;
  bool has_root_ = false;
  std::vector<Value> documents_;
  std::string error_;
  size_t alias_expansions_ = 0;
  size_t documents_started_ = 0;
  int last_document_pos_ = -1;
};

// --- Writing ---------------------------------------------------------------------------------

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  if (IsYamlNull(s) || IsYamlTrue(s) || IsYamlFalse(s) || IsYamlSpecialFloat(s) ||
      ResolveYamlInt(s).has_value() || IsYamlFloat(s) || s == "<<") {
    return true;
  }
  // Leading characters that start another YAML construct.
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(s[0]) != std::string_view::npos) {
    // "-" followed by a non-space is fine in plain scalars only in some contexts; quote always.
    return true;
  }
  if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t') return true;
  if (dra::StrContains(s, ": ") || dra::StrContains(s, " #") || s.back() == ':') return true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  // Strings YAML 1.2 readers would take for numbers (e.g. "1e3" forms already covered above,
  // "0o17", "+.5") and timestamps are quoted too, for readers other than ours.
  if (absl::ascii_isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.' || s[0] == '+') {
    bool all_numberish = true;
    for (char c : s) {
      if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
            c == '+' || c == '_' || c == ':')) {
        all_numberish = false;
        break;
      }
    }
    if (all_numberish && (dra::StrContains(s, "-") || dra::StrContains(s, ":"))) return true;
  }
  return false;
}

void AppendScalar(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.bool_value() ? "true" : "false";
      return;
    case Value::Kind::kNumber:
      out += v.text();
      return;
    case Value::Kind::kString: {
      const std::string& s = v.text();
      if (!NeedsQuotes(s)) {
        out += s;
      } else if (s.find_first_of("\n\r\t\\") == std::string::npos &&
                 std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20; })) {
        out += '\'';
        out += dra::StrReplaceAll(s, {{"'", "''"}});
        out += '\'';
      } else {
        AppendJsonString(out, s);  // JSON strings are valid double-quoted YAML scalars.
      }
      return;
    }
    case Value::Kind::kArray:
      out += "[]";
      return;
    case Value::Kind::kObject:
      out += "{}";
      return;
  }
}

bool IsEmptyCollection(const Value& v) {
  return (v.is_array() && v.items().empty()) || (v.is_object() && v.members().empty());
}

void AppendKey(std::string& out, const std::string& key) { AppendScalar(out, Value::String(key)); }

void WriteNode(std::string& out, const Value& v, int indent);

// Writes `v` as the value after "key:" or "- "; `indent` is the indentation of its members.
void WriteMapping(std::string& out, const Value& v, int indent, bool first_inline) {
  bool first = true;
  for (const auto& [k, item] : v.members()) {
    if (!(first && first_inline)) out.append(static_cast<size_t>(indent), ' ');
    first = false;
    AppendKey(out, k);
    out += ':';
    if (item.is_object() && !item.members().empty()) {
      out += '\n';
      WriteMapping(out, item, indent + 2, false);
    } else if (item.is_array() && !item.items().empty()) {
      out += '\n';
      WriteNode(out, item, indent);
    } else {
      out += ' ';
      AppendScalar(out, item);
      out += '\n';
    }
  }
}

void WriteNode(std::string& out, const Value& v, int indent) {
  if (v.is_object() && !v.members().empty()) {
    WriteMapping(out, v, indent, false);
    return;
  }
  if (v.is_array() && !v.items().empty()) {
    for (const auto& item : v.items()) {
      out.append(static_cast<size_t>(indent), ' ');
      out += "- ";
      if (item.is_object() && !item.members().empty()) {
        WriteMapping(out, item, indent + 2, true);
      } else if (item.is_array() && !item.items().empty()) {
        out += '\n';
        WriteNode(out, item, indent + 2);
      } else {
        AppendScalar(out, item);
        out += '\n';
      }
    }
    return;
  }
  out.append(static_cast<size_t>(indent), ' ');
  AppendScalar(out, v);
  out += '\n';
  (void)IsEmptyCollection;
}

}  // namespace

// Offset of the first byte that is not part of well-formed UTF-8, or npos.
// The first byte go-yaml would refuse: not UTF-8, or a control character (anything outside
// YAML's printable set but tab, line feed and carriage return; a byte order mark at the start is
// fine). Sets *reason.
size_t FirstUnreadable(std::string_view text, std::string_view* reason) {
  for (size_t i = 0; i < text.size();) {
    uint32_t rune;
    size_t length = DecodeUtf8(text, i, &rune);
    if (length == 0) {
      *reason = "invalid UTF-8 byte; files must be UTF-8";
      return i;
    }
    bool printable = rune == '\t' || rune == '\n' || rune == '\r' ||
                     (rune >= 0x20 && rune <= 0x7E) || rune == 0x85 ||
                     (rune >= 0xA0 && rune <= 0xD7FF) || (rune >= 0xE000 && rune <= 0xFFFD) ||
                     (rune >= 0x10000 && rune <= 0x10FFFF);
    if (rune == 0xFEFF && i != 0) printable = false;
    if (!printable && !(rune == 0xFEFF && i == 0)) {
      *reason = "control characters are not allowed";
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

absl::StatusOr<std::vector<Value>> ParseYamlDocuments(std::string_view text) {
  // As go-yaml (and so kubectl) does, refuse bytes that are not UTF-8 and control characters.
  std::string_view reason;
  if (size_t bad = FirstUnreadable(text, &reason); bad != std::string_view::npos) {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return absl::InvalidArgumentError(
        dra::StrCat("yaml: line ", line, ", column ", column, ": ", reason));
  }
  std::istringstream in{std::string(text)};
  TreeBuilder builder;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
      if (!builder.error().empty()) break;
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        dra::StrCat("yaml: line ", e.mark.line + 1, ", column ", e.mark.column + 1, ": ", e.msg));
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(dra::StrCat("yaml: ", e.what()));
  }
  if (!builder.error().empty()) return absl::InvalidArgumentError(builder.error());
  return builder.TakeDocuments();
}

std::string WriteYaml(const Value& value) {
  std::string out;
  WriteNode(out, value, 0);
  return out;
}

std::string WriteYamlDocuments(const std::vector<Value>& values) {
  std::string out;
  bool first = true;
  for (const auto& v : values) {
    if (!first) out += "---\n";
    first = false;
    out += WriteYaml(v);
  }
  return out;
}

}  // namespace dra::api
