#include "dra/cel/parser/parser.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "dra/base/strings.h"
#include "dra/cel/parser/lexer.h"

namespace dra::cel {
namespace {

using parser_internal::Token;
using parser_internal::TokenKind;

// ---------------------------------------------------------------------------------------------
// Token sets for "expecting ..." messages, printed in ANTLR vocabulary order.

using TokenSet = uint64_t;

constexpr TokenSet Bit(TokenKind k) { return TokenSet{1} << static_cast<int>(k); }

constexpr TokenSet kExprStart =
    Bit(TokenKind::kLBracket) | Bit(TokenKind::kLBrace) | Bit(TokenKind::kLParen) |
    Bit(TokenKind::kDot) | Bit(TokenKind::kMinus) | Bit(TokenKind::kExclam) |
    Bit(TokenKind::kTrue) | Bit(TokenKind::kFalse) | Bit(TokenKind::kNull) |
    Bit(TokenKind::kNumFloat) | Bit(TokenKind::kNumInt) | Bit(TokenKind::kNumUint) |
    Bit(TokenKind::kString) | Bit(TokenKind::kBytes) | Bit(TokenKind::kIdentifier);
constexpr TokenSet kFieldStart = Bit(TokenKind::kRBrace) | Bit(TokenKind::kComma) |
                                 Bit(TokenKind::kQuestion) | Bit(TokenKind::kIdentifier) |
                                 Bit(TokenKind::kEscIdentifier);
constexpr TokenSet kFieldName = Bit(TokenKind::kIdentifier) | Bit(TokenKind::kEscIdentifier);

bool InSet(TokenSet set, TokenKind k) { return (set & Bit(k)) != 0; }

std::string SetDisplay(TokenSet set) {
  std::vector<std::string> names;
  for (int k = 0; k < static_cast<int>(TokenKind::kNumKinds); ++k) {
    if (set & (TokenSet{1} << k)) {
      names.emplace_back(parser_internal::TokenKindDisplayName(static_cast<TokenKind>(k)));
    }
  }
  if (names.size() == 1) return names[0];
  return StrCat("{", StrJoin(names, ", "), "}");
}

// How ANTLR quotes a token in an error message.
std::string TokenDisplay(const Token& t) {
  if (t.kind == TokenKind::kEof) return "'<EOF>'";
  return StrCat("'", StrReplaceAll(t.text, {{"\n", "\\n"}, {"\r", "\\r"}, {"\t", "\\t"}}), "'");
}

// ---------------------------------------------------------------------------------------------
// Literal decoding.

// Unquotes and unescapes a string or bytes literal's text (without the b prefix) as cel-go's
// parser/unescape.go does. Returns the decoded bytes, or nullopt with `error` set.
std::optional<std::string> Unescape(std::u32string_view token, bool is_bytes, std::string& error) {
  // Newlines normalise to \n, as in all CEL strings.
  std::u32string value;
  value.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '\r') {
      value.push_back('\n');
      if (i + 1 < token.size() && token[i + 1] == '\n') ++i;
    } else {
      value.push_back(token[i]);
    }
  }
  error = "unable to unescape string";
  if (value.size() < 2) return std::nullopt;
  bool raw = false;
  std::u32string_view v = value;
  if (v[0] == 'r' || v[0] == 'R') {
    v.remove_prefix(1);
    raw = true;
  }
  if (v.empty() || v.front() != v.back() || (v.front() != '"' && v.front() != '\'')) {
    return std::nullopt;
  }
  if (v.size() >= 6 && (v.substr(0, 3) == U"'''" || v.substr(0, 3) == U"\"\"\"")) {
    if (v.substr(v.size() - 3) != v.substr(0, 3)) return std::nullopt;
    v = v.substr(3, v.size() - 6);
  } else {
    if (v.size() < 2) return std::nullopt;
    v = v.substr(1, v.size() - 2);
  }
  std::string out;
  if (raw || v.find(U'\\') == std::u32string_view::npos) {
    return parser_internal::EncodeUtf8(v);
  }
  auto hex = [](char32_t c) -> int {
    if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
    return -1;
  };
  auto valid_rune = [](uint32_t r) { return r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF); };
  size_t i = 0;
  while (i < v.size()) {
    char32_t c = v[i];
    if (c != '\\') {
      parser_internal::AppendUtf8(out, c);
      ++i;
      continue;
    }
    if (i + 1 >= v.size()) {
      error = "unable to unescape string, found '\\' as last character";
      return std::nullopt;
    }
    char32_t e = v[i + 1];
    i += 2;
    char32_t simple = 0;
    switch (e) {
      case 'a':
        simple = '\a';
        break;
      case 'b':
        simple = '\b';
        break;
      case 'f':
        simple = '\f';
        break;
      case 'n':
        simple = '\n';
        break;
      case 'r':
        simple = '\r';
        break;
      case 't':
        simple = '\t';
        break;
      case 'v':
        simple = '\v';
        break;
      case '\\':
      case '\'':
      case '"':
      case '`':
      case '?':
        simple = e;
        break;
      default:
        break;
    }
    if (simple != 0) {
      out.push_back(static_cast<char>(simple));
      continue;
    }
    if (e == 'x' || e == 'X' || e == 'u' || e == 'U') {
      size_t n = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
      if (is_bytes && n > 2) {
        error = "unable to unescape string";
        return std::nullopt;
      }
      if (v.size() - i < n) {
        error = "unable to unescape string";
        return std::nullopt;
      }
      uint32_t r = 0;
      for (size_t j = 0; j < n; ++j) {
        int h = hex(v[i + j]);
        if (h < 0) {
          error = "unable to unescape string";
          return std::nullopt;
        }
        r = (r << 4) | static_cast<uint32_t>(h);
      }
      i += n;
      if (is_bytes) {
        out.push_back(static_cast<char>(r));
        continue;
      }
      if (!valid_rune(r)) {
        error = "invalid unicode code point";
        return std::nullopt;
      }
      parser_internal::AppendUtf8(out, r);
      continue;
    }
    if (e >= '0' && e <= '3') {
      if (v.size() - i < 2) {
        error = "unable to unescape octal sequence in string";
        return std::nullopt;
      }
      uint32_t r = static_cast<uint32_t>(e - '0');
      for (size_t j = 0; j < 2; ++j) {
        char32_t d = v[i + j];
        if (d < '0' || d > '7') {
          error = "unable to unescape octal sequence in string";
          return std::nullopt;
        }
        r = r * 8 + static_cast<uint32_t>(d - '0');
      }
      i += 2;
      if (is_bytes) {
        out.push_back(static_cast<char>(r));
      } else {
        parser_internal::AppendUtf8(out, r);
      }
      continue;
    }
    error = "unable to unescape string";
    return std::nullopt;
  }
  return out;
}

// Parses the digits of an integer literal (sign handled by the caller) into a magnitude.
bool ParseMagnitude(std::string_view digits, int base, uint64_t& out) {
  if (digits.empty()) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

std::optional<int64_t> ParseIntLiteral(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && text[1] == 'x') {
    base = 16;
    text.remove_prefix(2);
  }
  uint64_t mag = 0;
  if (!ParseMagnitude(text, base, mag)) return std::nullopt;
  if (negative) {
    if (mag > uint64_t{1} << 63) return std::nullopt;
    return static_cast<int64_t>(0 - mag);
  }
  if (mag > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(mag);
}

std::optional<uint64_t> ParseUintLiteral(std::string_view text) {
  text.remove_suffix(1);  // u or U
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && text[1] == 'x') {
    base = 16;
    text.remove_prefix(2);
  }
  uint64_t v = 0;
  if (!ParseMagnitude(text, base, v)) return std::nullopt;
  return v;
}

std::optional<double> ParseDoubleLiteral(const std::string& text) {
  double d = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc() && ptr == text.data() + text.size()) return d;
  if (ec == std::errc::result_out_of_range) {
    // Go accepts underflow (rounding to a subnormal or zero) and rejects overflow.
    errno = 0;
    double s = std::strtod(text.c_str(), nullptr);
    if (s == HUGE_VAL || s == -HUGE_VAL) return std::nullopt;
    return s;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The parser.

bool IsReserved(std::string_view id) {
  static constexpr std::string_view kReserved[] = {
      "as",        "break", "const",  "continue", "else", "false", "for",
      "function",  "if",    "import", "in",       "let",  "loop",  "package",
      "namespace", "null",  "return", "true",     "var",  "void",  "while"};
  for (std::string_view r : kReserved) {
    if (r == id) return true;
  }
  return false;
}

struct Error {
  int32_t line = -1;    // 1-based; -1 for no location
  int32_t column = -1;  // 0-based
  std::string message;
};

// A parsed subexpression: the expression, where its text starts and ends, and how deep its
// operator/selection nesting goes (what cel-go's visitor limits).
struct Node {
  ExprPtr expr;
  int32_t start = 0;
  int32_t end = 0;
  int depth = 0;
};

template <typename... T>
std::vector<ExprPtr> Args(T&&... args) {
  std::vector<ExprPtr> v;
  v.reserve(sizeof...(args));
  (v.push_back(std::forward<T>(args)), ...);
  return v;
}

class ParserImpl {
 public:
  ParserImpl(std::string_view text, const ParseOptions& options)
      : options_(options), cps_(parser_internal::DecodeUtf8(text)) {
    max_depth_ = options.max_recursion_depth;
    if (max_depth_ == 0) max_depth_ = 250;
    if (max_depth_ < 0) max_depth_ = INT_MAX;
    reporting_limit_ = options.error_reporting_limit > 0 ? options.error_reporting_limit : 100;
    recovery_limit_ = options.error_recovery_limit;
    if (recovery_limit_ == 0) recovery_limit_ = 30;
    if (recovery_limit_ < 0) recovery_limit_ = INT_MAX;
    accu_name_ = options.enable_hidden_accumulator_name ? std::string(kHiddenAccumulatorName)
                                                        : std::string(kLegacyAccumulatorName);
    line_offsets_ = parser_internal::ComputeLineOffsets(cps_);
  }

  absl::StatusOr<ParsedExpr> Run() {
    int64_t size_limit = options_.expression_size_code_point_limit;
    if (size_limit == 0) size_limit = 100000;
    ExprPtr root;
    if (size_limit >= 0 && static_cast<int64_t>(cps_.size()) > size_limit) {
      ReportInternal(StrCat("expression code point size exceeds limit: size: ", cps_.size(),
                            ", limit ", size_limit));
    } else {
      std::vector<parser_internal::LexError> lex_errors;
      tokens_ = parser_internal::Tokenize(cps_, line_offsets_, lex_errors);
      for (const auto& e : lex_errors) {
        ReportSyntax(e.offset, StrCat("token recognition error at: '", e.text, "'"));
        if (aborted_) break;
      }
      if (!aborted_) {
        Node n = ParseExpr();
        if (!aborted_ && Peek().kind != TokenKind::kEof) {
          const Token& t = Peek();
          if (Peek(1).kind == TokenKind::kEof) {
            ReportSyntax(t.begin, StrCat("extraneous input ", TokenDisplay(t), " expecting <EOF>"));
          } else {
            ReportSyntax(t.begin, StrCat("mismatched input ", TokenDisplay(t), " expecting <EOF>"));
          }
        }
        root = std::move(n.expr);
      }
    }
    if (!errors_.empty()) return absl::InvalidArgumentError(FormatErrors());
    ParsedExpr out;
    out.expr = std::move(root);
    out.source_info.line_offsets = line_offsets_;
    out.source_info.positions = std::move(positions_);
    out.source_info.macro_calls = std::move(macro_calls_);
    return out;
  }

 private:
  // ---- tokens ---------------------------------------------------------------------------

  // The k-th token ahead. Once parsing is aborted, everything reads as the end of input so
  // that every loop unwinds at once.
  const Token& Peek(int k = 0) const {
    if (aborted_) return tokens_.back();
    size_t i = std::min(pos_ + static_cast<size_t>(k), tokens_.size() - 1);
    return tokens_[i];
  }
  bool At(TokenKind k) const { return Peek().kind == k; }
  const Token& Next() {
    const Token& t = Peek();
    if (!aborted_ && pos_ + 1 < tokens_.size()) ++pos_;
    prev_end_ = t.end;
    return t;
  }

  // ---- errors ---------------------------------------------------------------------------

  std::pair<int32_t, int32_t> LineCol(int32_t offset) const {
    auto it = std::upper_bound(line_offsets_.begin(), line_offsets_.end(), offset);
    int32_t line = static_cast<int32_t>(it - line_offsets_.begin()) + 1;
    int32_t start = it == line_offsets_.begin() ? 0 : *(it - 1);
    return {line, offset - start};
  }

  void AddError(int32_t line, int32_t column, std::string message) {
    ++num_errors_;
    if (num_errors_ > kMaxErrorsToReport) return;
    errors_.push_back(Error{line, column, std::move(message)});
  }

  void ReportError(int32_t offset, std::string message) {
    auto [line, col] = LineCol(offset);
    AddError(line, col, std::move(message));
  }

  void ReportInternal(std::string message) {
    AddError(-1, -1, std::move(message));
    aborted_ = true;
  }

  // A syntax error ends the parse (the grammar's own recovery is limited to skipping one
  // unexpected token, see Recover()).
  void ReportSyntax(int32_t offset, const std::string& message) {
    if (aborted_) return;
    if (syntax_errors_ < reporting_limit_) {
      ++syntax_errors_;
      ReportError(offset, StrCat("Syntax error: ", message));
    } else {
      ReportError(offset, StrCat("Syntax error: More than ", reporting_limit_, " syntax errors"));
      aborted_ = true;
    }
  }

  void SyntaxAbort(int32_t offset, const std::string& message) {
    if (aborted_) return;
    ReportSyntax(offset, message);
    aborted_ = true;
  }

  // ANTLR's single-token deletion: when the current token is unexpected but the one after
  // it is, report the current one as extraneous and skip it.
  bool Recover(TokenSet expected) {
    if (aborted_ || !InSet(expected, Peek(1).kind)) return false;
    if (recovery_attempts_ >= recovery_limit_) {
      SyntaxAbort(Peek().begin, StrCat("error recovery attempt limit exceeded: ", recovery_limit_));
      return false;
    }
    ++recovery_attempts_;
    const Token& t = Peek();
    ReportSyntax(t.begin,
                 StrCat("extraneous input ", TokenDisplay(t), " expecting ", SetDisplay(expected)));
    Next();
    return !aborted_;
  }

  // Consumes a token of kind `k`, or reports what was found instead.
  std::optional<Token> Expect(TokenKind k, TokenSet expected = 0) {
    if (expected == 0) expected = Bit(k);
    if (At(k)) return Next();
    if (aborted_) return std::nullopt;
    if (Peek(1).kind == k && Recover(expected)) return Next();
    if (aborted_) return std::nullopt;
    const Token& t = Peek();
    SyntaxAbort(t.begin,
                StrCat("mismatched input ", TokenDisplay(t), " expecting ", SetDisplay(expected)));
    return std::nullopt;
  }

  std::string FormatErrors() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
      return a.line < b.line || (a.line == b.line && a.column < b.column);
    });
    std::vector<std::string> blocks;
    for (const Error& e : errors_) blocks.push_back(FormatError(e));
    if (num_errors_ > kMaxErrorsToReport) {
      blocks.push_back(StrCat(num_errors_ - kMaxErrorsToReport, " more errors were truncated"));
    }
    return StrJoin(blocks, "\n");
  }

  std::string FormatError(const Error& e) const {
    std::string out = StrCat("ERROR: <input>:", e.line, ":", e.column + 1, ": ", e.message);
    if (e.line < 1 || e.line > static_cast<int32_t>(line_offsets_.size()) + 1) return out;
    int32_t begin = e.line == 1 ? 0 : line_offsets_[e.line - 2];
    int32_t end = e.line - 1 < static_cast<int32_t>(line_offsets_.size())
                      ? line_offsets_[e.line - 1] - 1
                      : static_cast<int32_t>(cps_.size());
    std::u32string_view line = std::u32string_view(cps_).substr(begin, end - begin);
    std::string snippet = parser_internal::EncodeUtf8(line);
    if (snippet.size() > 16384) return out;
    std::replace(snippet.begin(), snippet.end(), '\t', ' ');
    StrAppend(&out, "\n | ", snippet, "\n | ");
    int32_t i = 0;
    for (; i < e.column && i < static_cast<int32_t>(line.size()); ++i) {
      out.append(line[i] >= 0x80 ? "\uff0e" : ".");
    }
    out.append(i < static_cast<int32_t>(line.size()) && line[i] >= 0x80 ? "\uff3e" : "^");
    return out;
  }

  // ---- ids and nodes --------------------------------------------------------------------

  int64_t NewId(int32_t offset) {
    int64_t id = next_id_++;
    positions_[id] = offset;
    return id;
  }

  void DeleteId(int64_t id) {
    positions_.erase(id);
    if (id == next_id_ - 1) --next_id_;
  }

  int32_t OffsetOf(int64_t id) const {
    auto it = positions_.find(id);
    return it == positions_.end() ? 0 : it->second;
  }

  template <typename K>
  static ExprPtr MakeExpr(int64_t id, K&& kind) {
    auto e = std::make_unique<Expr>();
    e->id = id;
    e->kind = std::forward<K>(kind);
    return e;
  }

  // A placeholder for an expression that failed; the parse result is an error anyway.
  ABSL_ATTRIBUTE_NOINLINE Node ErrorNode(int32_t offset, std::string message, int32_t start,
                                         int32_t end) {
    int64_t id = NewId(offset);
    ReportError(offset, std::move(message));
    return Node{MakeExpr(id, Constant{}), start, end, 0};
  }

  static ExprPtr MakeCall(int64_t id, std::string fn, std::vector<ExprPtr> args,
                          ExprPtr target = nullptr) {
    CallExpr call;
    call.target = std::move(target);
    call.function = std::move(fn);
    call.args = std::move(args);
    return MakeExpr(id, std::move(call));
  }

  // Marks `n` as one more level of nesting that cel-go's visitor counts.
  void CountDepth(Node& n, int child_depth) {
    n.depth = child_depth + 1;
    if (n.depth > max_depth_ && !aborted_) ReportInternal("max recursion depth exceeded");
  }

  // ---- grammar --------------------------------------------------------------------------

  // expr: conditionalOr ('?' conditionalOr ':' expr)?
  Node ParseExpr(TokenSet extra_expected = 0) {
    if (++rule_depth_ > max_depth_) {
      if (!aborted_) {
        ReportInternal(StrCat("expression recursion limit exceeded: ", max_depth_));
      }
      --rule_depth_;
      return Node{MakeExpr(0, Constant{}), Peek().begin, Peek().begin, 0};
    }
    leading_expected_ = extra_expected;
    Node cond = ParseOr();
    if (At(TokenKind::kQuestion)) {
      const Token& q = Next();
      int64_t id = NewId(q.begin);
      Node t = ParseOr();
      Expect(TokenKind::kColon);
      Node f = ParseExpr();
      Node n{
          MakeCall(id, "_?_:_", Args(std::move(cond.expr), std::move(t.expr), std::move(f.expr))),
          cond.start, f.end, 0};
      CountDepth(n, std::max({cond.depth, t.depth, f.depth}));
      --rule_depth_;
      return n;
    }
    --rule_depth_;
    return cond;
  }

  Node ParseOr() { return ParseLogic(TokenKind::kLogicalOr, "_||_"); }

  // conditionalOr / conditionalAnd: terms joined by one operator, built into a balanced tree.
  Node ParseLogic(TokenKind op, const char* function) {
    Node first =
        op == TokenKind::kLogicalOr ? ParseLogic(TokenKind::kLogicalAnd, "_&&_") : ParseRelation();
    if (!At(op)) return first;
    std::vector<ExprPtr> terms;
    std::vector<int64_t> ops;
    int depth = first.depth;
    int32_t start = first.start;
    int32_t end = first.end;
    terms.push_back(std::move(first.expr));
    while (At(op)) {
      const Token& t = Next();
      Node next = op == TokenKind::kLogicalOr ? ParseLogic(TokenKind::kLogicalAnd, "_&&_")
                                              : ParseRelation();
      ops.push_back(NewId(t.begin));
      depth = std::max(depth, next.depth);
      end = next.end;
      terms.push_back(std::move(next.expr));
    }
    return Node{Balance(function, terms, ops, 0, static_cast<int>(ops.size()) - 1), start, end,
                depth};
  }

  ExprPtr Balance(const char* function, std::vector<ExprPtr>& terms,
                  const std::vector<int64_t>& ops, int lo, int hi) {
    int mid = (lo + hi + 1) / 2;
    ExprPtr left = mid == lo ? std::move(terms[mid]) : Balance(function, terms, ops, lo, mid - 1);
    ExprPtr right =
        mid == hi ? std::move(terms[mid + 1]) : Balance(function, terms, ops, mid + 1, hi);
    return MakeCall(ops[mid], function, Args(std::move(left), std::move(right)));
  }

  static const char* RelationOp(TokenKind k) {
    switch (k) {
      case TokenKind::kLess:
        return "_<_";
      case TokenKind::kLessEquals:
        return "_<=_";
      case TokenKind::kGreater:
        return "_>_";
      case TokenKind::kGreaterEquals:
        return "_>=_";
      case TokenKind::kEquals:
        return "_==_";
      case TokenKind::kNotEquals:
        return "_!=_";
      case TokenKind::kIn:
        return "@in";
      default:
        return nullptr;
    }
  }

  static const char* AddOp(TokenKind k) {
    if (k == TokenKind::kPlus) return "_+_";
    if (k == TokenKind::kMinus) return "_-_";
    return nullptr;
  }

  static const char* MulOp(TokenKind k) {
    if (k == TokenKind::kStar) return "_*_";
    if (k == TokenKind::kSlash) return "_/_";
    if (k == TokenKind::kPercent) return "_%_";
    return nullptr;
  }

  // Left-associative binary operators of one precedence level.
  template <typename Sub>
  Node ParseBinary(const char* (*op_of)(TokenKind), Sub sub) {
    Node lhs = sub();
    while (const char* fn = op_of(Peek().kind)) {
      const Token& t = Next();
      int64_t id = NewId(t.begin);
      Node rhs = sub();
      Node n{MakeCall(id, fn, Args(std::move(lhs.expr), std::move(rhs.expr))), lhs.start, rhs.end,
             0};
      CountDepth(n, std::max(lhs.depth, rhs.depth));
      lhs = std::move(n);
      if (aborted_) break;
    }
    return lhs;
  }

  Node ParseRelation() {
    return ParseBinary(&RelationOp, [this] { return ParseAdditive(); });
  }
  Node ParseAdditive() {
    return ParseBinary(&AddOp, [this] { return ParseMultiplicative(); });
  }
  Node ParseMultiplicative() {
    return ParseBinary(&MulOp, [this] { return ParseUnary(); });
  }

  // unary: member | '!'+ member | '-'+ member
  Node ParseUnary() {
    TokenSet extra = std::exchange(leading_expected_, 0);
    TokenSet expected = kExprStart | extra;
    if (!aborted_ && !InSet(kExprStart, Peek().kind) && !InSet(extra, Peek().kind)) {
      Recover(expected);
    }
    if (At(TokenKind::kExclam) || At(TokenKind::kMinus)) {
      TokenKind k = Peek().kind;
      bool is_number = Peek(1).kind == TokenKind::kNumInt || Peek(1).kind == TokenKind::kNumFloat;
      if (k == TokenKind::kMinus && is_number) return ParseMember(expected);  // signed literal
      const Token& first = Next();
      int count = 1;
      while (At(k)) {
        Next();
        ++count;
      }
      if (count % 2 == 0) {
        Node m = ParseMember(kExprStart);
        m.start = first.begin;
        return m;
      }
      int64_t id = NewId(first.begin);
      Node m = ParseMember(kExprStart);
      return Node{MakeCall(id, k == TokenKind::kExclam ? "!_" : "-_", Args(std::move(m.expr))),
                  first.begin, m.end, m.depth};
    }
    return ParseMember(expected);
  }

  // member: primary followed by selections, member calls and indexing.
  Node ParseMember(TokenSet expected) {
    Node n = ParsePrimary(expected);
    while (!aborted_) {
      if (At(TokenKind::kDot)) {
        if (!ParseSelectOrCall(n)) break;
        continue;
      }
      if (At(TokenKind::kLBracket)) {
        ParseIndex(n);
        continue;
      }
      break;
    }
    return n;
  }

  // After a member: `.name`, `.?name` or `.name(args)`. False on a syntax error. Kept out of
  // line (as are the other cold branches) so that the frames on the recursive path stay small.
  ABSL_ATTRIBUTE_NOINLINE bool ParseSelectOrCall(Node& n) {
    const Token& dot = Next();
    bool opt = false;
    if (At(TokenKind::kQuestion)) {
      Next();
      opt = true;
    }
    const Token& id_tok = Peek();
    if (id_tok.kind == TokenKind::kIdentifier && !opt && Peek(1).kind == TokenKind::kLParen) {
      const Token& name = Next();
      const Token& open = Next();
      int64_t id = NewId(open.begin);
      std::vector<Node> args = ParseCallArgs();
      int32_t end = prev_end_;
      n = ReceiverCallOrMacro(id, open.begin, name.text, std::move(n), std::move(args), end);
      return true;
    }
    if (id_tok.kind != TokenKind::kIdentifier && id_tok.kind != TokenKind::kEscIdentifier) {
      if (opt) {
        SyntaxAbort(id_tok.begin, StrCat("mismatched input ", TokenDisplay(id_tok), " expecting ",
                                         SetDisplay(kFieldName)));
      } else if (id_tok.kind == TokenKind::kTrue || id_tok.kind == TokenKind::kFalse ||
                 id_tok.kind == TokenKind::kNull) {
        SyntaxAbort(id_tok.begin,
                    StrCat("mismatched input ", TokenDisplay(id_tok), " expecting IDENTIFIER"));
      } else {
        std::string text = id_tok.kind == TokenKind::kEof ? "" : id_tok.text;
        SyntaxAbort(id_tok.begin, StrCat("no viable alternative at input '.", text, "'"));
      }
      return false;
    }
    const Token& name = Next();
    std::string field = name.text;
    if (name.kind == TokenKind::kEscIdentifier) {
      field = field.substr(1, field.size() - 2);
      if (!options_.enable_ident_escape_syntax) {
        ReportError(name.begin, "unsupported syntax: '`'");
      }
    }
    if (opt) {
      if (!options_.enable_optional_syntax) {
        n = ErrorNode(dot.begin, "unsupported syntax '.?'", n.start, name.end);
        return true;
      }
      int64_t lit_id = NewId(name.begin);
      ExprPtr lit = MakeExpr(lit_id, Constant{field});
      int64_t id = NewId(dot.begin);
      Node out{MakeCall(id, "_?._", Args(std::move(n.expr), std::move(lit))), n.start, name.end, 0};
      CountDepth(out, n.depth);
      n = std::move(out);
      return true;
    }
    int64_t id = NewId(dot.begin);
    SelectExpr sel;
    sel.operand = std::move(n.expr);
    sel.field = std::move(field);
    Node out{MakeExpr(id, std::move(sel)), n.start, name.end, 0};
    CountDepth(out, n.depth);
    n = std::move(out);
    return true;
  }

  // After a member: `[index]` or `[?index]`.
  ABSL_ATTRIBUTE_NOINLINE void ParseIndex(Node& n) {
    const Token& open = Next();
    bool opt = false;
    if (At(TokenKind::kQuestion)) {
      Next();
      opt = true;
    }
    int64_t id = NewId(open.begin);
    Node index = ParseExpr();
    std::optional<Token> close = Expect(TokenKind::kRBracket);
    int32_t end = close ? close->end : index.end;
    if (opt && !options_.enable_optional_syntax) {
      n = ErrorNode(open.begin, "unsupported syntax '[?'", n.start, end);
      return;
    }
    Node out{MakeCall(id, opt ? "_[?_]" : "_[_]", Args(std::move(n.expr), std::move(index.expr))),
             n.start, end, 0};
    CountDepth(out, std::max(n.depth, index.depth));
    n = std::move(out);
  }

  // '(' [expr (',' expr)*] ')' after the '(' was consumed.
  ABSL_ATTRIBUTE_NOINLINE std::vector<Node> ParseCallArgs() {
    std::vector<Node> args;
    if (At(TokenKind::kRParen)) {
      Next();
      return args;
    }
    TokenSet extra = Bit(TokenKind::kRParen);
    while (!aborted_) {
      args.push_back(ParseExpr(extra));
      extra = 0;
      if (At(TokenKind::kComma)) {
        Next();
        continue;
      }
      Expect(TokenKind::kRParen, Bit(TokenKind::kRParen) | Bit(TokenKind::kComma));
      break;
    }
    return args;
  }

  Node ParsePrimary(TokenSet expected) {
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kDot:
      case TokenKind::kIdentifier:
        return ParseIdentOrCallOrMessage();
      case TokenKind::kLParen: {
        const Token& open = Next();
        Node n = ParseExpr();
        std::optional<Token> close = Expect(TokenKind::kRParen);
        n.start = open.begin;
        n.end = close ? close->end : n.end;
        return n;
      }
      case TokenKind::kLBracket:
        return ParseList();
      case TokenKind::kLBrace:
        return ParseMap();
      case TokenKind::kMinus:
      case TokenKind::kNumInt:
      case TokenKind::kNumUint:
      case TokenKind::kNumFloat:
      case TokenKind::kString:
      case TokenKind::kBytes:
      case TokenKind::kTrue:
      case TokenKind::kFalse:
      case TokenKind::kNull:
        return ParseLiteral(expected);
      default:
        break;
    }
    int32_t at = t.begin;
    SyntaxAbort(at,
                StrCat("mismatched input ", TokenDisplay(t), " expecting ", SetDisplay(expected)));
    return Node{MakeExpr(0, Constant{}), at, at, 0};
  }

  ABSL_ATTRIBUTE_NOINLINE Node ParseLiteral(TokenSet expected) {
    const Token* tp = &Next();
    int32_t start = tp->begin;
    std::string text;
    if (tp->kind == TokenKind::kMinus) {
      const Token& num = Peek();
      if (num.kind != TokenKind::kNumInt && num.kind != TokenKind::kNumFloat) {
        SyntaxAbort(num.begin, StrCat("mismatched input ", TokenDisplay(num), " expecting ",
                                      SetDisplay(expected)));
        return Node{MakeExpr(0, Constant{}), start, start, 0};
      }
      text = "-";
      tp = &Next();
    }
    const Token& t = *tp;
    text += t.text;
    int32_t end = t.end;
    Constant c;
    switch (t.kind) {
      case TokenKind::kNumInt: {
        auto v = ParseIntLiteral(text);
        if (!v) return ErrorNode(start, "invalid int literal", start, end);
        c.value = *v;
        break;
      }
      case TokenKind::kNumUint: {
        auto v = ParseUintLiteral(text);
        if (!v) return ErrorNode(start, "invalid uint literal", start, end);
        c.value = *v;
        break;
      }
      case TokenKind::kNumFloat: {
        auto v = ParseDoubleLiteral(text);
        if (!v) return ErrorNode(start, "invalid double literal", start, end);
        c.value = *v;
        break;
      }
      case TokenKind::kString:
      case TokenKind::kBytes: {
        bool is_bytes = t.kind == TokenKind::kBytes;
        std::u32string_view body = std::u32string_view(cps_).substr(t.begin, t.end - t.begin);
        if (is_bytes) body.remove_prefix(1);
        std::string error;
        std::optional<std::string> s = Unescape(body, is_bytes, error);
        if (!s) {
          // cel-go reports the error and keeps the undecoded text as the value.
          ReportError(start, error);
          s = parser_internal::EncodeUtf8(body);
        }
        if (is_bytes) {
          c.value = Bytes{std::move(*s)};
        } else {
          c.value = std::move(*s);
        }
        break;
      }
      case TokenKind::kTrue:
        c.value = true;
        break;
      case TokenKind::kFalse:
        c.value = false;
        break;
      default:  // kNull
        break;
    }
    return Node{MakeExpr(NewId(start), std::move(c)), start, end, 0};
  }

  // Ident, GlobalCall or CreateMessage (all may start with a leading dot).
  ABSL_ATTRIBUTE_NOINLINE Node ParseIdentOrCallOrMessage() {
    int32_t start = Peek().begin;
    bool leading_dot = false;
    if (At(TokenKind::kDot)) {
      leading_dot = true;
      if (Peek(1).kind != TokenKind::kIdentifier) {
        Next();
        const Token& t = Peek();
        SyntaxAbort(t.begin, StrCat("mismatched input ", TokenDisplay(t), " expecting IDENTIFIER"));
        return Node{MakeExpr(0, Constant{}), start, start, 0};
      }
      Next();
    }
    // Look ahead for IDENT ('.' IDENT)* '{': a message construction.
    int k = 1;
    while (Peek(k).kind == TokenKind::kDot && Peek(k + 1).kind == TokenKind::kIdentifier) k += 2;
    if (Peek(k).kind == TokenKind::kLBrace) return ParseMessage(start, leading_dot, k);

    const Token& name = Next();
    std::string full = leading_dot ? StrCat(".", name.text) : name.text;
    if (At(TokenKind::kLParen)) {
      const Token& open = Next();
      if (IsReserved(name.text)) {
        std::vector<Node> ignored = ParseCallArgs();
        return ErrorNode(start, StrCat("reserved identifier: ", name.text), start, prev_end_);
      }
      int64_t id = NewId(open.begin);
      std::vector<Node> args = ParseCallArgs();
      return GlobalCallOrMacro(id, open.begin, full, std::move(args), start, prev_end_);
    }
    if (IsReserved(name.text)) {
      return ErrorNode(start, StrCat("reserved identifier: ", name.text), start, name.end);
    }
    return Node{MakeExpr(NewId(name.begin), IdentExpr{std::move(full)}), start, name.end, 0};
  }

  ABSL_ATTRIBUTE_NOINLINE Node ParseMessage(int32_t start, bool leading_dot, int name_tokens) {
    std::string name = leading_dot ? "." : "";
    for (int i = 0; i < name_tokens; ++i) name += Next().text;
    const Token& open = Next();
    int64_t id = NewId(open.begin);
    StructExpr st;
    st.message_name = std::move(name);
    int depth = 0;
    bool first = true;
    while (!aborted_) {
      if (At(TokenKind::kRBrace)) break;
      if (first && At(TokenKind::kComma)) {
        Next();
        break;
      }
      if (!InSet(kFieldStart, Peek().kind)) Recover(kFieldStart);
      first = false;
      bool opt = false;
      int32_t opt_at = Peek().begin;
      if (At(TokenKind::kQuestion)) {
        Next();
        opt = true;
        if (!options_.enable_optional_syntax) ReportError(opt_at, "unsupported syntax '?'");
      }
      const Token& f = Peek();
      if (f.kind != TokenKind::kIdentifier && f.kind != TokenKind::kEscIdentifier) {
        TokenSet want = opt ? kFieldName : kFieldStart;
        SyntaxAbort(f.begin,
                    StrCat("mismatched input ", TokenDisplay(f), " expecting ", SetDisplay(want)));
        break;
      }
      const Token& field = Next();
      std::string field_name = field.text;
      if (field.kind == TokenKind::kEscIdentifier) {
        field_name = field_name.substr(1, field_name.size() - 2);
      }
      std::optional<Token> colon = Expect(TokenKind::kColon);
      if (!colon) break;
      int64_t field_id = NewId(colon->begin);
      Node value = ParseExpr();
      depth = std::max(depth, value.depth);
      if (opt && !options_.enable_optional_syntax) {
        // Reported above.
      } else if (field.kind == TokenKind::kEscIdentifier && !options_.enable_ident_escape_syntax) {
        ReportError(field.begin, "unsupported syntax: '`'");
      } else {
        st.fields.push_back(
            StructField{field_id, std::move(field_name), std::move(value.expr), opt});
      }
      if (At(TokenKind::kComma)) {
        Next();
        continue;
      }
      if (!At(TokenKind::kRBrace)) {
        Expect(TokenKind::kRBrace, Bit(TokenKind::kRBrace) | Bit(TokenKind::kComma));
      }
      break;
    }
    std::optional<Token> close = Expect(TokenKind::kRBrace);
    int32_t end = close ? close->end : Peek().begin;
    return Node{MakeExpr(id, std::move(st)), start, end, depth};
  }

  ABSL_ATTRIBUTE_NOINLINE Node ParseList() {
    const Token& open = Next();
    int64_t id = NewId(open.begin);
    ListExpr list;
    int depth = 0;
    const TokenSet first_extra =
        Bit(TokenKind::kRBracket) | Bit(TokenKind::kComma) | Bit(TokenKind::kQuestion);
    TokenSet extra = first_extra;
    while (!aborted_) {
      if (At(TokenKind::kRBracket)) break;
      if (list.elements.empty() && At(TokenKind::kComma) && extra == first_extra) {
        Next();
        break;
      }
      bool opt = false;
      int32_t opt_at = Peek().begin;
      if (At(TokenKind::kQuestion)) {
        Next();
        opt = true;
      }
      Node e = ParseExpr(opt ? 0 : extra);
      extra = Bit(TokenKind::kRBracket) | Bit(TokenKind::kQuestion);
      depth = std::max(depth, e.depth);
      if (opt) {
        if (!options_.enable_optional_syntax) {
          ReportError(opt_at, "unsupported syntax '?'");
        } else {
          list.optional_indices.push_back(static_cast<int32_t>(list.elements.size()));
        }
      }
      list.elements.push_back(std::move(e.expr));
      if (At(TokenKind::kComma)) {
        Next();
        continue;
      }
      if (!At(TokenKind::kRBracket)) {
        Expect(TokenKind::kRBracket, Bit(TokenKind::kRBracket) | Bit(TokenKind::kComma));
      }
      break;
    }
    std::optional<Token> close = Expect(TokenKind::kRBracket);
    int32_t end = close ? close->end : Peek().begin;
    return Node{MakeExpr(id, std::move(list)), open.begin, end, depth};
  }

  ABSL_ATTRIBUTE_NOINLINE Node ParseMap() {
    const Token& open = Next();
    int64_t id = NewId(open.begin);
    MapExpr map;
    int depth = 0;
    const TokenSet first_extra =
        Bit(TokenKind::kRBrace) | Bit(TokenKind::kComma) | Bit(TokenKind::kQuestion);
    TokenSet extra = first_extra;
    bool first = true;
    while (!aborted_) {
      if (At(TokenKind::kRBrace)) break;
      if (first && At(TokenKind::kComma)) {
        Next();
        break;
      }
      if (!InSet(kExprStart | extra, Peek().kind)) Recover(kExprStart | extra);
      first = false;
      // cel-go numbers the entry (at its ':') before its key.
      int64_t entry_id = NewId(Peek().begin);
      bool opt = false;
      int32_t opt_at = Peek().begin;
      if (At(TokenKind::kQuestion)) {
        Next();
        opt = true;
      }
      Node key = ParseExpr(opt ? 0 : extra);
      extra = Bit(TokenKind::kRBrace) | Bit(TokenKind::kQuestion);
      std::optional<Token> colon = Expect(TokenKind::kColon);
      if (!colon) break;
      positions_[entry_id] = colon->begin;
      Node value = ParseExpr();
      depth = std::max({depth, key.depth, value.depth});
      if (opt && !options_.enable_optional_syntax) {
        ReportError(opt_at, "unsupported syntax '?'");
      } else {
        map.entries.push_back(MapEntry{entry_id, std::move(key.expr), std::move(value.expr), opt});
      }
      if (At(TokenKind::kComma)) {
        Next();
        continue;
      }
      if (!At(TokenKind::kRBrace)) {
        Expect(TokenKind::kRBrace, Bit(TokenKind::kRBrace) | Bit(TokenKind::kComma));
      }
      break;
    }
    std::optional<Token> close = Expect(TokenKind::kRBrace);
    int32_t end = close ? close->end : Peek().begin;
    return Node{MakeExpr(id, std::move(map)), open.begin, end, depth};
  }

  // ---- calls and macros -----------------------------------------------------------------

  ABSL_ATTRIBUTE_NOINLINE Node GlobalCallOrMacro(int64_t id, int32_t call_at, const std::string& fn,
                                                 std::vector<Node> args, int32_t start,
                                                 int32_t end) {
    int depth = 0;
    for (const Node& a : args) depth = std::max(depth, a.depth);
    if (std::optional<Node> m = ExpandMacro(id, call_at, fn, nullptr, args, start, end)) {
      m->depth = std::max(m->depth, depth);
      return std::move(*m);
    }
    std::vector<ExprPtr> exprs;
    for (Node& a : args) exprs.push_back(std::move(a.expr));
    return Node{MakeCall(id, fn, std::move(exprs)), start, end, depth};
  }

  ABSL_ATTRIBUTE_NOINLINE Node ReceiverCallOrMacro(int64_t id, int32_t call_at,
                                                   const std::string& fn, Node target,
                                                   std::vector<Node> args, int32_t end) {
    int depth = target.depth;
    for (const Node& a : args) depth = std::max(depth, a.depth);
    int32_t start = target.start;
    std::optional<Node> m = ExpandMacro(id, call_at, fn, &target, args, start, end);
    Node out;
    if (m) {
      out = std::move(*m);
    } else {
      std::vector<ExprPtr> exprs;
      for (Node& a : args) exprs.push_back(std::move(a.expr));
      out = Node{MakeCall(id, fn, std::move(exprs), std::move(target.expr)), start, end, 0};
    }
    CountDepth(out, depth);
    return out;
  }

  enum class MacroKind {
    kHas,
    kAll,
    kExists,
    kExistsOne,
    kMap,
    kFilter,
    kAll2,
    kExists2,
    kExistsOne2,
    kTransformList,
    kTransformMap,
    kTransformMapEntry,
    kBind,
    kOptMap,
    kOptFlatMap,
    kSortBy,
  };

  std::optional<MacroKind> FindMacro(const std::string& fn, size_t argc, bool receiver) const {
    if (!options_.enable_macros) return std::nullopt;
    if (!receiver) {
      if (fn == "has" && argc == 1) return MacroKind::kHas;
      return std::nullopt;
    }
    if (argc == 2) {
      if (fn == "all") return MacroKind::kAll;
      if (fn == "exists") return MacroKind::kExists;
      if (fn == "exists_one" || fn == "existsOne") return MacroKind::kExistsOne;
      if (fn == "map") return MacroKind::kMap;
      if (fn == "filter") return MacroKind::kFilter;
      if (options_.enable_optional_macros) {
        if (fn == "optMap") return MacroKind::kOptMap;
        if (fn == "optFlatMap") return MacroKind::kOptFlatMap;
      }
      // ext.Lists v2+: the checker declares its helper only where the library is enabled.
      if (fn == "sortBy") return MacroKind::kSortBy;
      return std::nullopt;
    }
    if (argc == 3) {
      if (fn == "map") return MacroKind::kMap;
      if (options_.enable_bindings && fn == "bind") return MacroKind::kBind;
    }
    if (options_.enable_two_var_comprehensions && (argc == 3 || argc == 4)) {
      if (argc == 3) {
        if (fn == "all") return MacroKind::kAll2;
        if (fn == "exists") return MacroKind::kExists2;
        if (fn == "exists_one" || fn == "existsOne") return MacroKind::kExistsOne2;
      }
      if (fn == "transformList") return MacroKind::kTransformList;
      if (fn == "transformMap") return MacroKind::kTransformMap;
      if (fn == "transformMapEntry") return MacroKind::kTransformMapEntry;
    }
    return std::nullopt;
  }

  // Helpers that build macro expansion nodes, each numbered (after its children, as cel-go
  // numbers them) at the position of the macro call.
  int64_t MacroId() { return NewId(macro_at_); }
  ExprPtr MLit(Constant c) { return MakeExpr(MacroId(), std::move(c)); }
  ExprPtr MIdent(std::string name) { return MakeExpr(MacroId(), IdentExpr{std::move(name)}); }
  ExprPtr MAccu() { return MIdent(accu_name_); }
  ExprPtr MCall(std::string fn, std::vector<ExprPtr> args) {
    return MakeCall(MacroId(), std::move(fn), std::move(args));
  }
  ExprPtr MMember(std::string fn, ExprPtr target) {
    return MakeCall(MacroId(), std::move(fn), {}, std::move(target));
  }
  ExprPtr MList(std::vector<ExprPtr> elems) {
    ListExpr l;
    l.elements = std::move(elems);
    return MakeExpr(MacroId(), std::move(l));
  }
  ExprPtr MMap() { return MakeExpr(MacroId(), MapExpr{}); }
  ExprPtr MComprehension(ExprPtr range, std::string iter_var, std::string iter_var2,
                         std::string accu_var, ExprPtr init, ExprPtr cond, ExprPtr step,
                         ExprPtr result) {
    ComprehensionExpr c;
    c.iter_var = std::move(iter_var);
    c.iter_var2 = std::move(iter_var2);
    c.iter_range = std::move(range);
    c.accu_var = std::move(accu_var);
    c.accu_init = std::move(init);
    c.loop_condition = std::move(cond);
    c.loop_step = std::move(step);
    c.result = std::move(result);
    return MakeExpr(MacroId(), std::move(c));
  }

  // A deep copy with fresh ids (pre-order), each at its original's position.
  ExprPtr Copy(const Expr& e) {
    int64_t id = NewId(OffsetOf(e.id));
    auto copy = [this](const ExprPtr& p) -> ExprPtr { return p ? Copy(*p) : nullptr; };
    return std::visit(
        [&](const auto& k) -> ExprPtr {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Constant> || std::is_same_v<K, IdentExpr>) {
            return MakeExpr(id, k);
          } else if constexpr (std::is_same_v<K, SelectExpr>) {
            return MakeExpr(id, SelectExpr{copy(k.operand), k.field, k.test_only});
          } else if constexpr (std::is_same_v<K, CallExpr>) {
            std::vector<ExprPtr> args;
            for (const auto& a : k.args) args.push_back(copy(a));
            ExprPtr target = copy(k.target);
            return MakeCall(id, k.function, std::move(args), std::move(target));
          } else if constexpr (std::is_same_v<K, ListExpr>) {
            ListExpr l;
            for (const auto& a : k.elements) l.elements.push_back(copy(a));
            l.optional_indices = k.optional_indices;
            return MakeExpr(id, std::move(l));
          } else if constexpr (std::is_same_v<K, MapExpr>) {
            MapExpr m;
            for (const auto& en : k.entries) {
              int64_t eid = MacroId();
              ExprPtr key = copy(en.key);
              ExprPtr value = copy(en.value);
              m.entries.push_back(MapEntry{eid, std::move(key), std::move(value), en.optional});
            }
            return MakeExpr(id, std::move(m));
          } else if constexpr (std::is_same_v<K, StructExpr>) {
            StructExpr s;
            s.message_name = k.message_name;
            for (const auto& f : k.fields) {
              int64_t fid = MacroId();
              s.fields.push_back(StructField{fid, f.name, copy(f.value), f.optional});
            }
            return MakeExpr(id, std::move(s));
          } else {
            ComprehensionExpr c;
            c.iter_var = k.iter_var;
            c.iter_var2 = k.iter_var2;
            c.accu_var = k.accu_var;
            c.iter_range = copy(k.iter_range);
            c.accu_init = copy(k.accu_init);
            c.loop_condition = copy(k.loop_condition);
            c.loop_step = copy(k.loop_step);
            c.result = copy(k.result);
            return MakeExpr(id, std::move(c));
          }
        },
        e.kind);
  }

  static const IdentExpr* AsIdent(const ExprPtr& e) {
    return e ? std::get_if<IdentExpr>(&e->kind) : nullptr;
  }

  // A macro whose arguments are malformed: the error's position is the offending argument's.
  struct MacroError {
    int64_t arg_id;
    std::string message;
  };

  std::optional<Node> ExpandMacro(int64_t call_id, int32_t call_at, const std::string& fn,
                                  Node* target, std::vector<Node>& args, int32_t start,
                                  int32_t end) {
    std::optional<MacroKind> kind = FindMacro(fn, args.size(), target != nullptr);
    if (!kind) return std::nullopt;
    if (*kind == MacroKind::kBind) {
      const IdentExpr* ns = AsIdent(target->expr);
      if (ns == nullptr || ns->name != "cel") return std::nullopt;
    }
    macro_at_ = call_at;
    std::string text;
    if (options_.populate_macro_calls) {
      text = parser_internal::EncodeUtf8(std::u32string_view(cps_).substr(start, end - start));
    }
    std::optional<MacroError> error;
    ExprPtr out = Expand(*kind, target, args, error);
    if (error) {
      int32_t at = error->arg_id > 0 ? OffsetOf(error->arg_id) : call_at;
      DeleteId(call_id);
      return ErrorNode(at, error->message, start, end);
    }
    if (options_.populate_macro_calls) macro_calls_[out->id] = std::move(text);
    DeleteId(call_id);
    return Node{std::move(out), start, end, 0};
  }

  std::optional<std::string> IterVar(const Node& arg, const char* not_ident,
                                     std::optional<MacroError>& error) {
    const IdentExpr* id = AsIdent(arg.expr);
    if (id == nullptr) {
      error = MacroError{arg.expr->id, not_ident};
      return std::nullopt;
    }
    return id->name;
  }

  bool OverwritesAccu(const std::string& v) const {
    return v == accu_name_ || v == kLegacyAccumulatorName;
  }

  ExprPtr Expand(MacroKind kind, Node* target, std::vector<Node>& args,
                 std::optional<MacroError>& error) {
    switch (kind) {
      case MacroKind::kHas: {
        auto* sel = std::get_if<SelectExpr>(&args[0].expr->kind);
        if (sel == nullptr) {
          error = MacroError{args[0].expr->id, "invalid argument to has() macro"};
          return nullptr;
        }
        int64_t id = MacroId();
        return MakeExpr(id, SelectExpr{std::move(sel->operand), sel->field, true});
      }
      case MacroKind::kAll:
      case MacroKind::kExists:
      case MacroKind::kExistsOne:
      case MacroKind::kMap:
      case MacroKind::kFilter: {
        bool quantifier =
            kind == MacroKind::kAll || kind == MacroKind::kExists || kind == MacroKind::kExistsOne;
        std::optional<std::string> v = IterVar(
            args[0],
            quantifier ? "argument must be a simple name" : "argument is not an identifier", error);
        if (!v) return nullptr;
        if (OverwritesAccu(*v)) {
          error =
              MacroError{args[0].expr->id, "iteration variable overwrites accumulator variable"};
          return nullptr;
        }
        ExprPtr range = std::move(target->expr);
        if (quantifier) {
          return Quantifier(kind, std::move(range), *v, "", std::move(args[1].expr));
        }
        if (kind == MacroKind::kMap) {
          ExprPtr filter = args.size() == 3 ? std::move(args[1].expr) : nullptr;
          ExprPtr fn = std::move(args.back().expr);
          return Transform(std::move(range), *v, "", std::move(filter), std::move(fn));
        }
        // filter: the element itself (the iteration variable argument) is what is kept.
        ExprPtr init = MList({});
        ExprPtr cond = MLit(Constant{true});
        ExprPtr accu = MAccu();
        ExprPtr elem = MList(Args(std::move(args[0].expr)));
        ExprPtr add = MCall("_+_", Args(std::move(accu), std::move(elem)));
        ExprPtr otherwise = MAccu();
        ExprPtr step =
            MCall("_?_:_", Args(std::move(args[1].expr), std::move(add), std::move(otherwise)));
        ExprPtr result = MAccu();
        return MComprehension(std::move(range), *v, "", accu_name_, std::move(init),
                              std::move(cond), std::move(step), std::move(result));
      }
      case MacroKind::kAll2:
      case MacroKind::kExists2:
      case MacroKind::kExistsOne2:
      case MacroKind::kTransformList:
      case MacroKind::kTransformMap:
      case MacroKind::kTransformMapEntry: {
        std::optional<std::string> v1 = IterVar(args[0], "argument must be a simple name", error);
        if (!v1) return nullptr;
        std::optional<std::string> v2 = IterVar(args[1], "argument must be a simple name", error);
        if (!v2) return nullptr;
        if (*v1 == *v2) {
          error = MacroError{args[1].expr->id, StrCat("duplicate variable name: ", *v1)};
          return nullptr;
        }
        if (OverwritesAccu(*v1)) {
          error =
              MacroError{args[0].expr->id, "iteration variable overwrites accumulator variable"};
          return nullptr;
        }
        if (OverwritesAccu(*v2)) {
          error =
              MacroError{args[1].expr->id, "iteration variable overwrites accumulator variable"};
          return nullptr;
        }
        ExprPtr range = std::move(target->expr);
        if (kind == MacroKind::kAll2 || kind == MacroKind::kExists2 ||
            kind == MacroKind::kExistsOne2) {
          MacroKind one = kind == MacroKind::kAll2      ? MacroKind::kAll
                          : kind == MacroKind::kExists2 ? MacroKind::kExists
                                                        : MacroKind::kExistsOne;
          return Quantifier(one, std::move(range), *v1, *v2, std::move(args[2].expr));
        }
        ExprPtr filter = args.size() == 4 ? std::move(args[2].expr) : nullptr;
        ExprPtr fn = std::move(args.back().expr);
        if (kind == MacroKind::kTransformList) {
          return Transform(std::move(range), *v1, *v2, std::move(filter), std::move(fn));
        }
        ExprPtr accu = MAccu();
        ExprPtr step;
        if (kind == MacroKind::kTransformMap) {
          ExprPtr key = MIdent(*v1);
          step = MCall("cel.@mapInsert", Args(std::move(accu), std::move(key), std::move(fn)));
        } else {
          step = MCall("cel.@mapInsert", Args(std::move(accu), std::move(fn)));
        }
        if (filter) {
          ExprPtr otherwise = MAccu();
          step = MCall("_?_:_", Args(std::move(filter), std::move(step), std::move(otherwise)));
        }
        ExprPtr init = MMap();
        ExprPtr cond = MLit(Constant{true});
        ExprPtr result = MAccu();
        return MComprehension(std::move(range), *v1, *v2, accu_name_, std::move(init),
                              std::move(cond), std::move(step), std::move(result));
      }
      case MacroKind::kBind: {
        const IdentExpr* var = AsIdent(args[0].expr);
        if (var == nullptr) {
          error =
              MacroError{args[0].expr->id, "cel.bind() variable names must be simple identifiers"};
          return nullptr;
        }
        std::string name = var->name;
        ExprPtr range = MList({});
        ExprPtr cond = MLit(Constant{false});
        ExprPtr step = MIdent(name);
        return MComprehension(std::move(range), "#unused", "", name, std::move(args[1].expr),
                              std::move(cond), std::move(step), std::move(args[2].expr));
      }
      case MacroKind::kSortBy: {
        // l.sortBy(x, key) -> cel.bind(@__sortBy_input__, l,
        //     @__sortBy_input__.@sortByAssociatedKeys(@__sortBy_input__.map(x, key)))
        std::optional<std::string> v = IterVar(args[0], "argument is not an identifier", error);
        if (!v) return nullptr;
        const auto& kind_of_target = target->expr->kind;
        if (!std::holds_alternative<ListExpr>(kind_of_target) &&
            !std::holds_alternative<SelectExpr>(kind_of_target) &&
            !std::holds_alternative<IdentExpr>(kind_of_target) &&
            !std::holds_alternative<ComprehensionExpr>(kind_of_target) &&
            !std::holds_alternative<CallExpr>(kind_of_target)) {
          error = MacroError{target->expr->id,
                             "sortBy can only be applied to a list, identifier, comprehension, "
                             "call or select expression"};
          return nullptr;
        }
        const std::string input = "@__sortBy_input__";
        ExprPtr keys = Transform(MIdent(input), *v, "", nullptr, std::move(args[1].expr));
        ExprPtr sorted =
            MakeCall(MacroId(), "@sortByAssociatedKeys", Args(std::move(keys)), MIdent(input));
        return MComprehension(MList({}), "#unused", "", input, std::move(target->expr),
                              MLit(Constant{false}), MIdent(input), std::move(sorted));
      }
      case MacroKind::kOptMap:
      case MacroKind::kOptFlatMap: {
        const IdentExpr* var = AsIdent(args[0].expr);
        if (var == nullptr) {
          error = MacroError{args[0].expr->id,
                             kind == MacroKind::kOptMap
                                 ? "optMap() variable name must be a simple identifier"
                                 : "optFlatMap() variable name must be a simple identifier"};
          return nullptr;
        }
        std::string name = var->name;
        ExprPtr original = std::move(target->expr);
        // hasValue() gets the original target (attached below, once the copy that value()
        // gets has been made); the ids follow cel-go's evaluation order.
        ExprPtr has_value = MMember("hasValue", nullptr);
        ExprPtr range = MList({});
        ExprPtr copy = Copy(*original);
        ExprPtr value = MMember("value", std::move(copy));
        ExprPtr cond = MLit(Constant{false});
        ExprPtr step = MIdent(name);
        ExprPtr comp = MComprehension(std::move(range), "#unused", "", name, std::move(value),
                                      std::move(cond), std::move(step), std::move(args[1].expr));
        std::get<CallExpr>(has_value->kind).target = std::move(original);
        ExprPtr then;
        if (kind == MacroKind::kOptMap) {
          then = MCall("optional.of", Args(std::move(comp)));
        } else {
          then = std::move(comp);
        }
        ExprPtr none = MCall("optional.none", {});
        return MCall("_?_:_", Args(std::move(has_value), std::move(then), std::move(none)));
      }
    }
    return nullptr;
  }

  // all / exists / exists_one, with one or two iteration variables.
  ExprPtr Quantifier(MacroKind kind, ExprPtr range, const std::string& v1, const std::string& v2,
                     ExprPtr pred) {
    ExprPtr init, cond, step, result;
    if (kind == MacroKind::kAll) {
      init = MLit(Constant{true});
      ExprPtr a = MAccu();
      cond = MCall("@not_strictly_false", Args(std::move(a)));
      ExprPtr b = MAccu();
      step = MCall("_&&_", Args(std::move(b), std::move(pred)));
      result = MAccu();
    } else if (kind == MacroKind::kExists) {
      init = MLit(Constant{false});
      ExprPtr a = MAccu();
      ExprPtr n = MCall("!_", Args(std::move(a)));
      cond = MCall("@not_strictly_false", Args(std::move(n)));
      ExprPtr b = MAccu();
      step = MCall("_||_", Args(std::move(b), std::move(pred)));
      result = MAccu();
    } else {
      init = MLit(Constant{int64_t{0}});
      cond = MLit(Constant{true});
      ExprPtr a = MAccu();
      ExprPtr one = MLit(Constant{int64_t{1}});
      ExprPtr inc = MCall("_+_", Args(std::move(a), std::move(one)));
      ExprPtr b = MAccu();
      step = MCall("_?_:_", Args(std::move(pred), std::move(inc), std::move(b)));
      ExprPtr c = MAccu();
      ExprPtr one2 = MLit(Constant{int64_t{1}});
      result = MCall("_==_", Args(std::move(c), std::move(one2)));
    }
    return MComprehension(std::move(range), v1, v2, accu_name_, std::move(init), std::move(cond),
                          std::move(step), std::move(result));
  }

  // map / transformList: accu + [fn], optionally under a filter.
  ExprPtr Transform(ExprPtr range, const std::string& v1, const std::string& v2, ExprPtr filter,
                    ExprPtr fn) {
    ExprPtr init = MList({});
    ExprPtr cond = MLit(Constant{true});
    ExprPtr accu = MAccu();
    ExprPtr elem = MList(Args(std::move(fn)));
    ExprPtr step = MCall("_+_", Args(std::move(accu), std::move(elem)));
    if (filter) {
      ExprPtr otherwise = MAccu();
      step = MCall("_?_:_", Args(std::move(filter), std::move(step), std::move(otherwise)));
    }
    ExprPtr result = MAccu();
    return MComprehension(std::move(range), v1, v2, accu_name_, std::move(init), std::move(cond),
                          std::move(step), std::move(result));
  }

  static constexpr int kMaxErrorsToReport = 100;

  const ParseOptions& options_;
  std::u32string cps_;
  std::vector<int32_t> line_offsets_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int max_depth_ = 250;
  int reporting_limit_ = 100;
  int recovery_limit_ = 30;
  int recovery_attempts_ = 0;
  int rule_depth_ = 0;
  int syntax_errors_ = 0;
  int num_errors_ = 0;
  bool aborted_ = false;
  int32_t prev_end_ = 0;
  TokenSet leading_expected_ = 0;
  std::string accu_name_;
  int32_t macro_at_ = 0;
  int64_t next_id_ = 1;
  std::vector<Error> errors_;
  std::map<int64_t, int32_t> positions_;
  std::map<int64_t, std::string> macro_calls_;
};

}  // namespace

absl::StatusOr<ParsedExpr> Parse(std::string_view text, const ParseOptions& options) {
  ParserImpl parser(text, options);
  return parser.Run();
}

}  // namespace dra::cel
