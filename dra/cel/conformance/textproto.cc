#include "dra/cel/conformance/textproto.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::cel::conformance {

TextMessage::TextMessage() = default;
TextMessage::TextMessage(const TextMessage&) = default;
TextMessage::TextMessage(TextMessage&&) noexcept = default;
TextMessage& TextMessage::operator=(const TextMessage&) = default;
TextMessage& TextMessage::operator=(TextMessage&&) noexcept = default;
TextMessage::~TextMessage() = default;

const TextValue* TextMessage::Find(std::string_view name) const {
  for (const TextField& f : fields_) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

std::vector<const TextValue*> TextMessage::FindAll(std::string_view name) const {
  std::vector<const TextValue*> out;
  for (const TextField& f : fields_) {
    if (f.name == name) out.push_back(&f.value);
  }
  return out;
}

std::string TextMessage::DebugString() const {
  std::string out;
  for (const TextField& f : fields_) {
    if (!out.empty()) out += ' ';
    out += f.name;
    switch (f.value.kind) {
      case TextValue::Kind::kMessage:
        out += " { ";
        out += f.value.message.DebugString();
        out += f.value.message.fields().empty() ? "}" : " }";
        break;
      case TextValue::Kind::kString:
        StrAppend(&out, ": \"", EscapeTextString(f.value.text), "\"");
        break;
      default:
        StrAppend(&out, ": ", f.value.text);
        break;
    }
  }
  return out;
}

std::string EscapeTextString(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {

absl::Status ValueError(const TextValue& v, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("line ", v.line, ": ", what, ", got ",
                                           v.is_message() ? "a message" : "'", v.text,
                                           v.is_message() ? "" : "'"));
}

// Parses an unsigned magnitude in decimal, hex (0x) or octal (leading 0).
std::optional<uint64_t> ParseMagnitude(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
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
    if (value > (std::numeric_limits<uint64_t>::max() - d) / base) return std::nullopt;
    value = value * base + d;
  }
  return value;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<int64_t> TextValue::AsInt64() const {
  if (kind != Kind::kNumber) return ValueError(*this, "expected an integer");
  std::string_view s = text;
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  std::optional<uint64_t> m = ParseMagnitude(s);
  if (!m.has_value()) return ValueError(*this, "expected an integer");
  if (negative) {
    if (*m > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
      return ValueError(*this, "integer out of int64 range");
    }
    return static_cast<int64_t>(0 - *m);
  }
  if (*m > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return ValueError(*this, "integer out of int64 range");
  }
  return static_cast<int64_t>(*m);
}

absl::StatusOr<uint64_t> TextValue::AsUint64() const {
  if (kind != Kind::kNumber || text.empty() || text[0] == '-') {
    return ValueError(*this, "expected an unsigned integer");
  }
  std::optional<uint64_t> m = ParseMagnitude(text);
  if (!m.has_value()) return ValueError(*this, "expected an unsigned integer");
  return *m;
}

absl::StatusOr<double> TextValue::AsDouble() const {
  if (kind != Kind::kNumber && kind != Kind::kIdentifier) {
    return ValueError(*this, "expected a floating-point number");
  }
  std::string_view s = text;
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  double magnitude;
  if (EqualsIgnoreCase(s, "inf") || EqualsIgnoreCase(s, "infinity")) {
    magnitude = std::numeric_limits<double>::infinity();
  } else if (EqualsIgnoreCase(s, "nan")) {
    magnitude = std::numeric_limits<double>::quiet_NaN();
  } else {
    if (kind != Kind::kNumber || s.empty()) {
      return ValueError(*this, "expected a floating-point number");
    }
    if (s.back() == 'f' || s.back() == 'F') {
      if (s.size() < 2 || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) {
        return ValueError(*this, "expected a floating-point number");
      }
      s.remove_suffix(1);
    }
    bool hex_or_octal =
        s.size() > 1 && s[0] == '0' && s.find_first_of(".eE") == std::string_view::npos;
    if (hex_or_octal) {
      std::optional<uint64_t> m = ParseMagnitude(s);
      if (!m.has_value()) return ValueError(*this, "expected a floating-point number");
      magnitude = static_cast<double>(*m);
    } else {
      std::string copy(s);
      char* end = nullptr;
      errno = 0;
      magnitude = std::strtod(copy.c_str(), &end);
      if (end != copy.c_str() + copy.size() || copy.empty() ||
          !(copy[0] == '.' || (copy[0] >= '0' && copy[0] <= '9'))) {
        return ValueError(*this, "expected a floating-point number");
      }
    }
  }
  return negative ? -magnitude : magnitude;
}

absl::StatusOr<bool> TextValue::AsBool() const {
  if (kind == Kind::kIdentifier) {
    if (text == "true" || text == "True" || text == "t") return true;
    if (text == "false" || text == "False" || text == "f") return false;
  } else if (kind == Kind::kNumber) {
    if (text == "1") return true;
    if (text == "0") return false;
  }
  return ValueError(*this, "expected a boolean");
}

absl::StatusOr<std::string> TextValue::AsString() const {
  if (kind != Kind::kString) return ValueError(*this, "expected a string literal");
  return text;
}

absl::StatusOr<std::string> TextValue::AsIdentifier() const {
  if (kind != Kind::kIdentifier) return ValueError(*this, "expected an identifier");
  return text;
}

absl::StatusOr<const TextMessage*> TextValue::AsMessage() const {
  if (kind != Kind::kMessage) return ValueError(*this, "expected a message");
  return &message;
}

namespace {

constexpr int kMaxDepth = 100;

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Recursive-descent parser over the raw text; tracks line and column for errors.
class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  absl::StatusOr<TextMessage> ParseDocument() {
    TextMessage root;
    DRA_RETURN_IF_ERROR(ParseFields(root, '\0', 0));
    return root;
  }

 private:
  absl::Status Error(std::string_view message) const { return ErrorAt(line_, column_, message); }
  absl::Status ErrorAt(int line, int column, std::string_view message) const {
    return absl::InvalidArgumentError(
        StrCat(source_.empty() ? "textproto" : source_, ":", line, ":", column, ": ", message));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void Advance() {
    if (AtEnd()) return;
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void SkipSpaceAndComments() {
    while (!AtEnd()) {
      char c = Peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else if (c == '#') {
        while (!AtEnd() && Peek() != '\n') Advance();
      } else {
        break;
      }
    }
  }

  // Parses fields until `close` (or the end of input when close is '\0').
  absl::Status ParseFields(TextMessage& message, char close, int depth) {
    if (depth > kMaxDepth) return Error("messages nested too deeply");
    while (true) {
      SkipSpaceAndComments();
      if (AtEnd()) {
        if (close == '\0') return absl::OkStatus();
        return Error(StrCat("unexpected end of input, expected '", std::string(1, close), "'"));
      }
      if (Peek() == close) {
        Advance();
        return absl::OkStatus();
      }
      DRA_RETURN_IF_ERROR(ParseField(message, depth));
      SkipSpaceAndComments();
      if (Peek() == ',' || Peek() == ';') Advance();
    }
  }

  absl::StatusOr<std::string> ParseFieldName() {
    if (Peek() == '[') {
      std::string name = "[";
      Advance();
      while (true) {
        SkipSpaceAndComments();
        if (AtEnd()) return Error("unterminated '[' in field name");
        char c = Peek();
        Advance();
        name += c;
        if (c == ']') break;
      }
      if (name.size() == 2) return Error("empty '[]' field name");
      return name;
    }
    if (!IsIdentStart(Peek())) {
      return Error(StrCat("expected a field name, got '", std::string(1, Peek()), "'"));
    }
    std::string name;
    while (IsIdentChar(Peek())) {
      name += Peek();
      Advance();
    }
    return name;
  }

  absl::Status ParseField(TextMessage& message, int depth) {
    DRA_ASSIGN_OR_RETURN(std::string name, ParseFieldName());
    SkipSpaceAndComments();
    bool colon = false;
    if (Peek() == ':') {
      colon = true;
      Advance();
      SkipSpaceAndComments();
    }
    if (Peek() == '{' || Peek() == '<') {
      DRA_ASSIGN_OR_RETURN(TextValue v, ParseMessageValue(depth));
      message.mutable_fields().push_back(TextField{std::move(name), std::move(v)});
      return absl::OkStatus();
    }
    if (!colon) {
      return Error(StrCat("expected ':' or '{' after field name '", name, "'"));
    }
    if (Peek() == '[') {
      Advance();
      SkipSpaceAndComments();
      if (Peek() == ']') {
        Advance();
        return absl::OkStatus();
      }
      while (true) {
        SkipSpaceAndComments();
        TextValue v;
        if (Peek() == '{' || Peek() == '<') {
          DRA_ASSIGN_OR_RETURN(v, ParseMessageValue(depth));
        } else {
          DRA_ASSIGN_OR_RETURN(v, ParseScalar());
        }
        message.mutable_fields().push_back(TextField{name, std::move(v)});
        SkipSpaceAndComments();
        if (Peek() == ',') {
          Advance();
          continue;
        }
        if (Peek() == ']') {
          Advance();
          return absl::OkStatus();
        }
        return Error("expected ',' or ']' in list value");
      }
    }
    DRA_ASSIGN_OR_RETURN(TextValue v, ParseScalar());
    message.mutable_fields().push_back(TextField{std::move(name), std::move(v)});
    return absl::OkStatus();
  }

  absl::StatusOr<TextValue> ParseMessageValue(int depth) {
    TextValue v;
    v.kind = TextValue::Kind::kMessage;
    v.line = line_;
    v.column = column_;
    v.message.set_line(line_);
    char close = Peek() == '{' ? '}' : '>';
    Advance();
    DRA_RETURN_IF_ERROR(ParseFields(v.message, close, depth + 1));
    return v;
  }

  absl::StatusOr<TextValue> ParseScalar() {
    TextValue v;
    v.line = line_;
    v.column = column_;
    char c = Peek();
    if (c == '"' || c == '\'') {
      v.kind = TextValue::Kind::kString;
      while (Peek() == '"' || Peek() == '\'') {
        DRA_RETURN_IF_ERROR(ParseStringLiteral(v.text));
        SkipSpaceAndComments();
      }
      return v;
    }
    std::string token;
    if (c == '-') {
      token += '-';
      Advance();
      SkipSpaceAndComments();
      c = Peek();
      if (!IsDigit(c) && c != '.' && !IsIdentStart(c)) return Error("expected a number after '-'");
    }
    if (IsDigit(c) || c == '.') {
      v.kind = TextValue::Kind::kNumber;
      char prev = '\0';
      while (IsIdentChar(Peek()) || Peek() == '.' ||
             ((Peek() == '+' || Peek() == '-') && (prev == 'e' || prev == 'E') &&
              !(token.size() > 1 && (token[1] == 'x' || token[1] == 'X')))) {
        prev = Peek();
        token += prev;
        Advance();
      }
    } else if (IsIdentStart(c)) {
      v.kind = token.empty() ? TextValue::Kind::kIdentifier : TextValue::Kind::kNumber;
      while (IsIdentChar(Peek())) {
        token += Peek();
        Advance();
      }
    } else if (AtEnd()) {
      return Error("unexpected end of input, expected a value");
    } else {
      return Error(StrCat("expected a value, got '", std::string(1, c), "'"));
    }
    v.text = std::move(token);
    return v;
  }

  // Appends the unescaped bytes of one quoted literal to `out`.
  absl::Status ParseStringLiteral(std::string& out) {
    int start_line = line_;
    int start_column = column_;
    char quote = Peek();
    Advance();
    while (true) {
      if (AtEnd() || Peek() == '\n') {
        return ErrorAt(start_line, start_column, "unterminated string literal");
      }
      char c = Peek();
      Advance();
      if (c == quote) return absl::OkStatus();
      if (c != '\\') {
        out += c;
        continue;
      }
      if (AtEnd()) return ErrorAt(start_line, start_column, "unterminated string literal");
      char e = Peek();
      int escape_line = line_;
      int escape_column = column_ - 1;
      Advance();
      switch (e) {
        case 'a':
          out += '\a';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case '\\':
        case '\'':
        case '"':
        case '?':
          out += e;
          break;
        case 'x':
        case 'X': {
          int value = 0;
          int digits = 0;
          while (digits < 2 && HexDigit(Peek()) >= 0) {
            value = value * 16 + HexDigit(Peek());
            Advance();
            ++digits;
          }
          if (digits == 0) return ErrorAt(escape_line, escape_column, "\\x needs a hex digit");
          out += static_cast<char>(value);
          break;
        }
        case 'u':
        case 'U': {
          int want = e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (int i = 0; i < want; ++i) {
            int d = HexDigit(Peek());
            if (d < 0) {
              return ErrorAt(escape_line, escape_column,
                             StrCat("\\", std::string(1, e), " needs ", want, " hex digits"));
            }
            cp = cp * 16 + static_cast<uint32_t>(d);
            Advance();
          }
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return ErrorAt(escape_line, escape_column, "invalid Unicode code point in escape");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int i = 0; i < 2 && Peek() >= '0' && Peek() <= '7'; ++i) {
              value = value * 8 + (Peek() - '0');
              Advance();
            }
            if (value > 0xFF) {
              return ErrorAt(escape_line, escape_column, "octal escape out of range");
            }
            out += static_cast<char>(value);
            break;
          }
          return ErrorAt(escape_line, escape_column,
                         StrCat("invalid escape sequence '\\", std::string(1, e), "'"));
      }
    }
  }

  std::string_view text_;
  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

absl::StatusOr<TextMessage> ParseTextproto(std::string_view text, std::string_view source) {
  return Parser(text, source).ParseDocument();
}

}  // namespace dra::cel::conformance
