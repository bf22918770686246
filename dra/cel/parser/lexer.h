// The CEL lexer: turns an expression (already decoded into code points) into tokens, following
// the lexical grammar of cel-spec doc/langdef.md as cel-go v0.26 implements it (ANTLR's
// longest-match rules, including its error recovery: an unrecognised character sequence is
// reported and skipped, and lexing goes on).
//
// Internal to dra/cel/parser. Stateless functions; thread-safe.
#ifndef DRA_CEL_PARSER_LEXER_H_
#define DRA_CEL_PARSER_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dra::cel::parser_internal {

// Token kinds, in the order of cel-go's ANTLR vocabulary (the order matters: expected-token
// sets in syntax errors are printed in this order).
enum class TokenKind : int {
  kEof = 0,
  kEquals,         // ==
  kNotEquals,      // !=
  kIn,             // in
  kLess,           // <
  kLessEquals,     // <=
  kGreaterEquals,  // >=
  kGreater,        // >
  kLogicalAnd,     // &&
  kLogicalOr,      // ||
  kLBracket,       // [
  kRBracket,       // ]
  kLBrace,         // {
  kRBrace,         // }
  kLParen,         // (
  kRParen,         // )
  kDot,            // .
  kComma,          // ,
  kMinus,          // -
  kExclam,         // !
  kQuestion,       // ?
  kColon,          // :
  kPlus,           // +
  kStar,           // *
  kSlash,          // /
  kPercent,        // %
  kTrue,           // true
  kFalse,          // false
  kNull,           // null
  kNumFloat,
  kNumInt,
  kNumUint,
  kString,
  kBytes,
  kIdentifier,
  kEscIdentifier,  // `a-b`
  kNumKinds,
};

// How ANTLR names a token kind in "expecting ..." lists: 'lit' for fixed tokens, the rule name
// (NUM_INT, IDENTIFIER...) otherwise, <EOF> for the end.
std::string_view TokenKindDisplayName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEof;
  int32_t begin = 0;   // code point offset of the first character
  int32_t end = 0;     // code point offset one past the last character
  int32_t line = 1;    // 1-based
  int32_t column = 0;  // 0-based, in code points
  std::string text;    // the token's source text, UTF-8
};

// A lexical error: ANTLR's "token recognition error at: '<text>'".
struct LexError {
  int32_t offset = 0;  // code point offset where the bad sequence starts
  std::string text;    // the sequence that could not be recognised, UTF-8
};

// Decodes UTF-8 into code points; every byte of an invalid sequence becomes U+FFFD (as Go
// does when it ranges over a string).
std::u32string DecodeUtf8(std::string_view text);

// Appends the UTF-8 encoding of `cp` (which must be a valid scalar value or at most 0x10FFFF).
void AppendUtf8(std::string& out, char32_t cp);

// Encodes a range of code points as UTF-8.
std::string EncodeUtf8(std::u32string_view cps);

// Code point offsets at which lines 2, 3, ... start (just after each '\n').
std::vector<int32_t> ComputeLineOffsets(std::u32string_view cps);

// Tokenises `cps`. Whitespace and comments are dropped; the last token is always kEof.
// Unrecognised input is reported in `errors` and skipped as ANTLR's lexer skips it.
std::vector<Token> Tokenize(std::u32string_view cps, const std::vector<int32_t>& line_offsets,
                            std::vector<LexError>& errors);

}  // namespace dra::cel::parser_internal

#endif  // DRA_CEL_PARSER_LEXER_H_
