#include "dra/cel/parser/lexer.h"

#include <algorithm>
#include <array>

namespace dra::cel::parser_internal {
namespace {

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char32_t c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentStart(char32_t c) { return IsLetter(c) || c == '_'; }
bool IsIdentPart(char32_t c) { return IsIdentStart(c) || IsDigit(c); }
bool IsWhitespace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

// The outcome of trying to match one token at a position: either the token's end, or the
// offset of the first character that no rule could accept (ANTLR's failure point).
struct Match {
  bool ok = false;
  int32_t end = 0;   // when ok
  int32_t fail = 0;  // when !ok
};

Match Ok(int32_t end) { return Match{true, end, 0}; }
Match Fail(int32_t at) { return Match{false, 0, at}; }

class Scanner {
 public:
  explicit Scanner(std::u32string_view cps) : cps_(cps), n_(static_cast<int32_t>(cps.size())) {}

  char32_t At(int32_t i) const { return i < n_ ? cps_[i] : 0; }
  int32_t size() const { return n_; }

  // An escape sequence starting at the backslash at `pos`: returns the offset after it.
  Match Escape(int32_t pos) const {
    int32_t next = pos + 1;
    if (next >= n_) return Fail(n_);
    char32_t e = cps_[next];
    switch (e) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '"':
      case '\'':
      case '\\':
      case '?':
      case '`':
        return Ok(next + 1);
      case 'x':
      case 'X':
        return HexDigits(next + 1, 2);
      case 'u':
        return HexDigits(next + 1, 4);
      case 'U':
        return HexDigits(next + 1, 8);
      case '0':
      case '1':
      case '2':
      case '3':
        for (int32_t i = next + 1; i < next + 3; ++i) {
          if (i >= n_) return Fail(n_);
          if (cps_[i] < '0' || cps_[i] > '7') return Fail(i);
        }
        return Ok(next + 3);
      default:
        return Fail(next);
    }
  }

  Match HexDigits(int32_t pos, int count) const {
    for (int32_t i = pos; i < pos + count; ++i) {
      if (i >= n_) return Fail(n_);
      if (!IsHexDigit(cps_[i])) return Fail(i);
    }
    return Ok(pos + count);
  }

  bool IsTriple(int32_t pos, char32_t q) const {
    return pos + 2 < n_ && cps_[pos] == q && cps_[pos + 1] == q && cps_[pos + 2] == q;
  }

  // A quoted string body starting at the opening quote `pos`.
  Match Quoted(int32_t pos, bool raw) const {
    char32_t q = cps_[pos];
    if (IsTriple(pos, q)) {
      Match m = TripleQuoted(pos, raw);
      // On failure the longest accepted prefix is the empty string made of two quotes.
      if (!m.ok) return Ok(pos + 2);
      return m;
    }
    int32_t i = pos + 1;
    while (true) {
      if (i >= n_) return Fail(n_);
      char32_t c = cps_[i];
      if (c == q) return Ok(i + 1);
      if (c == '\n' || c == '\r') return Fail(i);
      if (c == '\\' && !raw) {
        Match m = Escape(i);
        if (!m.ok) return m;
        i = m.end;
        continue;
      }
      ++i;
    }
  }

  Match TripleQuoted(int32_t pos, bool raw) const {
    char32_t q = cps_[pos];
    int32_t i = pos + 3;
    while (true) {
      if (IsTriple(i, q)) return Ok(i + 3);
      if (i >= n_) return Fail(n_);
      if (cps_[i] == '\\' && !raw) {
        Match m = Escape(i);
        if (!m.ok) return m;
        i = m.end;
        continue;
      }
      ++i;
    }
  }

  int32_t Digits(int32_t i) const {
    while (i < n_ && IsDigit(cps_[i])) ++i;
    return i;
  }

  // An exponent at `i`, or `i` itself when there is no complete one.
  int32_t Exponent(int32_t i) const {
    if (i < n_ && (cps_[i] == 'e' || cps_[i] == 'E')) {
      int32_t j = i + 1;
      if (j < n_ && (cps_[j] == '+' || cps_[j] == '-')) ++j;
      if (j < n_ && IsDigit(cps_[j])) return Digits(j);
    }
    return i;
  }

 private:
  std::u32string_view cps_;
  int32_t n_;
};

TokenKind KeywordOrIdent(std::u32string_view word) {
  if (word == U"true") return TokenKind::kTrue;
  if (word == U"false") return TokenKind::kFalse;
  if (word == U"null") return TokenKind::kNull;
  if (word == U"in") return TokenKind::kIn;
  return TokenKind::kIdentifier;
}

}  // namespace

std::string_view TokenKindDisplayName(TokenKind kind) {
  static constexpr std::array<std::string_view, static_cast<int>(TokenKind::kNumKinds)> kNames = {
      "<EOF>",   "'=='",     "'!='",   "'in'",    "'<'",        "'<='",
      "'>='",    "'>'",      "'&&'",   "'||'",    "'['",        "']'",
      "'{'",     "'}'",      "'('",    "')'",     "'.'",        "','",
      "'-'",     "'!'",      "'?'",    "':'",     "'+'",        "'*'",
      "'/'",     "'%'",      "'true'", "'false'", "'null'",     "NUM_FLOAT",
      "NUM_INT", "NUM_UINT", "STRING", "BYTES",   "IDENTIFIER", "ESC_IDENTIFIER"};
  int i = static_cast<int>(kind);
  if (i < 0 || i >= static_cast<int>(kNames.size())) return "<invalid>";
  return kNames[i];
}

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    int len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
      min = 0x10000;
    }
    bool valid = len > 0 && i + len <= n;
    for (int k = 1; valid && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) {
        valid = false;
      } else {
        cp = (cp << 6) | (cc & 0x3F);
      }
    }
    if (valid && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) valid = false;
    if (!valid) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) AppendUtf8(out, c);
  return out;
}

std::vector<int32_t> ComputeLineOffsets(std::u32string_view cps) {
  std::vector<int32_t> offsets;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (cps[i] == '\n') offsets.push_back(static_cast<int32_t>(i + 1));
  }
  return offsets;
}

std::vector<Token> Tokenize(std::u32string_view cps, const std::vector<int32_t>& line_offsets,
                            std::vector<LexError>& errors) {
  Scanner s(cps);
  const int32_t n = s.size();
  std::vector<Token> tokens;
  auto emit = [&](TokenKind kind, int32_t begin, int32_t end) {
    Token t;
    t.kind = kind;
    t.begin = begin;
    t.end = end;
    auto it = std::upper_bound(line_offsets.begin(), line_offsets.end(), begin);
    t.line = static_cast<int32_t>(it - line_offsets.begin()) + 1;
    int32_t line_start = it == line_offsets.begin() ? 0 : *(it - 1);
    t.column = begin - line_start;
    t.text = EncodeUtf8(cps.substr(begin, end - begin));
    tokens.push_back(std::move(t));
  };
  // Reports the characters from `begin` through the failure point and returns where lexing
  // resumes: just after the failing character, as ANTLR's lexer recovery does.
  auto fail = [&](int32_t begin, int32_t at) -> int32_t {
    int32_t stop = at < n ? at + 1 : n;
    if (stop <= begin) stop = std::min(begin + 1, n);
    errors.push_back(LexError{begin, EncodeUtf8(cps.substr(begin, stop - begin))});
    return stop;
  };

  int32_t i = 0;
  while (i < n) {
    char32_t c = s.At(i);
    if (IsWhitespace(c)) {
      ++i;
      continue;
    }
    if (c == '/' && s.At(i + 1) == '/') {
      while (i < n && s.At(i) != '\n') ++i;
      continue;
    }
    // String and bytes literals, with their optional prefixes.
    {
      int32_t q = i;
      bool bytes = false;
      bool raw = false;
      if (s.At(q) == 'b' || s.At(q) == 'B') {
        bytes = true;
        ++q;
      }
      if (s.At(q) == 'r' || s.At(q) == 'R') {
        raw = true;
        ++q;
      }
      if (s.At(q) == '"' || s.At(q) == '\'') {
        Match m = s.Quoted(q, raw);
        if (m.ok) {
          emit(bytes ? TokenKind::kBytes : TokenKind::kString, i, m.end);
          i = m.end;
          continue;
        }
        if (q == i) {  // no prefix that could be an identifier instead
          i = fail(i, m.fail);
          continue;
        }
        // Otherwise the prefix letters lex as an identifier; the quote starts again later.
      }
    }
    if (IsIdentStart(c)) {
      int32_t j = i + 1;
      while (j < n && IsIdentPart(s.At(j))) ++j;
      emit(KeywordOrIdent(cps.substr(i, j - i)), i, j);
      i = j;
      continue;
    }
    if (IsDigit(c)) {
      if (c == '0' && s.At(i + 1) == 'x' && IsHexDigit(s.At(i + 2))) {
        int32_t j = i + 2;
        while (j < n && IsHexDigit(s.At(j))) ++j;
        if (s.At(j) == 'u' || s.At(j) == 'U') {
          emit(TokenKind::kNumUint, i, j + 1);
          i = j + 1;
        } else {
          emit(TokenKind::kNumInt, i, j);
          i = j;
        }
        continue;
      }
      int32_t j = s.Digits(i);
      if (s.At(j) == '.' && IsDigit(s.At(j + 1))) {
        int32_t k = s.Exponent(s.Digits(j + 1));
        emit(TokenKind::kNumFloat, i, k);
        i = k;
        continue;
      }
      int32_t k = s.Exponent(j);
      if (k != j) {
        emit(TokenKind::kNumFloat, i, k);
        i = k;
        continue;
      }
      if (s.At(j) == 'u' || s.At(j) == 'U') {
        emit(TokenKind::kNumUint, i, j + 1);
        i = j + 1;
        continue;
      }
      emit(TokenKind::kNumInt, i, j);
      i = j;
      continue;
    }
    if (c == '.' && IsDigit(s.At(i + 1))) {
      int32_t k = s.Exponent(s.Digits(i + 1));
      emit(TokenKind::kNumFloat, i, k);
      i = k;
      continue;
    }
    if (c == '`') {
      int32_t j = i + 1;
      auto ok = [](char32_t ch) {
        return IsIdentPart(ch) || ch == '.' || ch == '-' || ch == '/' || ch == ' ';
      };
      while (j < n && ok(s.At(j))) ++j;
      if (j > i + 1 && s.At(j) == '`') {
        emit(TokenKind::kEscIdentifier, i, j + 1);
        i = j + 1;
      } else {
        i = fail(i, j);
      }
      continue;
    }
    // Operators and punctuation.
    auto two = [&](char32_t second, TokenKind kind2, TokenKind kind1, bool single_ok) {
      if (s.At(i + 1) == second) {
        emit(kind2, i, i + 2);
        i += 2;
      } else if (single_ok) {
        emit(kind1, i, i + 1);
        i += 1;
      } else {
        i = fail(i, i + 1);
      }
    };
    switch (c) {
      case '=':
        two('=', TokenKind::kEquals, TokenKind::kEof, false);
        continue;
      case '!':
        two('=', TokenKind::kNotEquals, TokenKind::kExclam, true);
        continue;
      case '<':
        two('=', TokenKind::kLessEquals, TokenKind::kLess, true);
        continue;
      case '>':
        two('=', TokenKind::kGreaterEquals, TokenKind::kGreater, true);
        continue;
      case '&':
        two('&', TokenKind::kLogicalAnd, TokenKind::kEof, false);
        continue;
      case '|':
        two('|', TokenKind::kLogicalOr, TokenKind::kEof, false);
        continue;
      default:
        break;
    }
    TokenKind single = TokenKind::kEof;
    switch (c) {
      case '[':
        single = TokenKind::kLBracket;
        break;
      case ']':
        single = TokenKind::kRBracket;
        break;
      case '{':
        single = TokenKind::kLBrace;
        break;
      case '}':
        single = TokenKind::kRBrace;
        break;
      case '(':
        single = TokenKind::kLParen;
        break;
      case ')':
        single = TokenKind::kRParen;
        break;
      case '.':
        single = TokenKind::kDot;
        break;
      case ',':
        single = TokenKind::kComma;
        break;
      case '-':
        single = TokenKind::kMinus;
        break;
      case '?':
        single = TokenKind::kQuestion;
        break;
      case ':':
        single = TokenKind::kColon;
        break;
      case '+':
        single = TokenKind::kPlus;
        break;
      case '*':
        single = TokenKind::kStar;
        break;
      case '/':
        single = TokenKind::kSlash;
        break;
      case '%':
        single = TokenKind::kPercent;
        break;
      default:
        break;
    }
    if (single != TokenKind::kEof) {
      emit(single, i, i + 1);
      ++i;
      continue;
    }
    i = fail(i, i);
  }
  emit(TokenKind::kEof, n, n);
  tokens.back().text = "<EOF>";
  return tokens;
}

}  // namespace dra::cel::parser_internal
