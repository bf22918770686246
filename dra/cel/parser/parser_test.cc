#include "dra/cel/parser/parser.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "dra/base/strings.h"
#include "dra/cel/parser/debug.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#ifndef DRA_SHARED_DIR
#define DRA_SHARED_DIR "/work/shared"
#endif

namespace dra::cel {
namespace {

using ::testing::HasSubstr;

// Whitespace-insensitive comparison, so that expected trees can be written indented.
std::string Squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r') out.push_back(c);
  }
  return out;
}

std::string ParseToString(std::string_view text, const ParseOptions& options = {}) {
  absl::StatusOr<ParsedExpr> r = Parse(text, options);
  if (!r.ok()) return StrCat("ERROR ", r.status().message());
  return DebugString(*r->expr);
}

std::string ParseAdorned(std::string_view text, const ParseOptions& options = {}) {
  absl::StatusOr<ParsedExpr> r = Parse(text, options);
  if (!r.ok()) return StrCat("ERROR ", r.status().message());
  return AdornedDebugString(*r->expr);
}

std::string ParseError(std::string_view text, const ParseOptions& options = {}) {
  absl::StatusOr<ParsedExpr> r = Parse(text, options);
  if (r.ok()) return StrCat("parsed: ", DebugString(*r->expr));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

Constant ParseConstant(std::string_view text) {
  absl::StatusOr<ParsedExpr> r = Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status();
  if (!r.ok()) return {};
  const Constant* c = std::get_if<Constant>(&r->expr->kind);
  EXPECT_NE(c, nullptr) << text;
  return c ? *c : Constant{};
}

#define EXPECT_TREE(text, expected) EXPECT_EQ(Squash(ParseToString(text)), Squash(expected)) << text
#define EXPECT_ADORNED(text, expected) \
  EXPECT_EQ(Squash(ParseAdorned(text)), Squash(expected)) << text

// ---- literals -------------------------------------------------------------------------------

TEST(ParserLiterals, Integers) {
  EXPECT_EQ(ParseConstant("0"), Constant{int64_t{0}});
  EXPECT_EQ(ParseConstant("42"), Constant{int64_t{42}});
  EXPECT_EQ(ParseConstant("0xF"), Constant{int64_t{15}});
  EXPECT_EQ(ParseConstant("0x7fffffffffffffff"), Constant{int64_t{INT64_MAX}});
  EXPECT_EQ(ParseConstant("-1"), Constant{int64_t{-1}});
  EXPECT_EQ(ParseConstant("-9223372036854775808"), Constant{int64_t{INT64_MIN}});
  EXPECT_EQ(ParseConstant("-0x8000000000000000"), Constant{int64_t{INT64_MIN}});
  EXPECT_EQ(ParseConstant("9223372036854775807"), Constant{int64_t{INT64_MAX}});
}

TEST(ParserLiterals, Unsigned) {
  EXPECT_EQ(ParseConstant("0u"), Constant{uint64_t{0}});
  EXPECT_EQ(ParseConstant("23U"), Constant{uint64_t{23}});
  EXPECT_EQ(ParseConstant("0xFu"), Constant{uint64_t{15}});
  EXPECT_EQ(ParseConstant("18446744073709551615u"), Constant{UINT64_MAX});
  // A minus before a uint is the negation operator, not part of the literal.
  EXPECT_TREE("-1u", "-_(1u)");
}

TEST(ParserLiterals, Doubles) {
  EXPECT_EQ(ParseConstant("23.39"), Constant{23.39});
  EXPECT_EQ(ParseConstant("1e3"), Constant{1000.0});
  EXPECT_EQ(ParseConstant("1E-3"), Constant{0.001});
  EXPECT_EQ(ParseConstant("1.5e+2"), Constant{150.0});
  EXPECT_EQ(ParseConstant(".5"), Constant{0.5});
  EXPECT_EQ(ParseConstant(".5e1"), Constant{5.0});
  EXPECT_EQ(ParseConstant("-4.1"), Constant{-4.1});
  EXPECT_EQ(ParseConstant("1e-400"), Constant{0.0});  // underflow is accepted, as in Go
  EXPECT_TREE("4--4", "_-_(4, -4)");
  EXPECT_TREE("4--4.1", "_-_(4, -4.1)");
  // `1.` is an int followed by a dot.
  EXPECT_THAT(ParseError("1."), HasSubstr("no viable alternative at input '.'"));
}

TEST(ParserLiterals, IntegerErrors) {
  EXPECT_EQ(ParseError("0xFFFFFFFFFFFFFFFFF"),
            "ERROR: <input>:1:1: invalid int literal\n | 0xFFFFFFFFFFFFFFFFF\n | ^");
  EXPECT_EQ(ParseError("0xFFFFFFFFFFFFFFFFFu"),
            "ERROR: <input>:1:1: invalid uint literal\n | 0xFFFFFFFFFFFFFFFFFu\n | ^");
  EXPECT_EQ(ParseError("1.99e90000009"),
            "ERROR: <input>:1:1: invalid double literal\n | 1.99e90000009\n | ^");
  EXPECT_EQ(ParseError("9223372036854775808"),
            "ERROR: <input>:1:1: invalid int literal\n | 9223372036854775808\n | ^");
  EXPECT_EQ(ParseError("18446744073709551616u"),
            "ERROR: <input>:1:1: invalid uint literal\n | 18446744073709551616u\n | ^");
  // Two minus signs negate twice: the literal itself is then out of range.
  EXPECT_THAT(ParseError("--9223372036854775808"), HasSubstr("invalid int literal"));
}

TEST(ParserLiterals, OtherConstants) {
  EXPECT_EQ(ParseConstant("true"), Constant{true});
  EXPECT_EQ(ParseConstant("false"), Constant{false});
  EXPECT_EQ(ParseConstant("null"), Constant{});
}

TEST(ParserLiterals, StringForms) {
  EXPECT_EQ(ParseConstant("'hello'"), Constant{std::string("hello")});
  EXPECT_EQ(ParseConstant("\"hello\""), Constant{std::string("hello")});
  EXPECT_EQ(ParseConstant("'''hello'''"), Constant{std::string("hello")});
  EXPECT_EQ(ParseConstant("\"\"\"hello\"\"\""), Constant{std::string("hello")});
  EXPECT_EQ(ParseConstant("''"), Constant{std::string()});
  EXPECT_EQ(ParseConstant("\"\"\"\"\"\""), Constant{std::string()});
  EXPECT_EQ(ParseConstant("'''a\nb'''"), Constant{std::string("a\nb")});
  EXPECT_EQ(ParseConstant("'''a\r\nb\rc'''"), Constant{std::string("a\nb\nc")});
  EXPECT_EQ(ParseConstant("'''x''y'''"), Constant{std::string("x''y")});
  EXPECT_EQ(ParseConstant("\"it's\""), Constant{std::string("it's")});
  EXPECT_EQ(ParseConstant("'😁'"), Constant{std::string("😁")});
}

TEST(ParserLiterals, RawStrings) {
  EXPECT_EQ(ParseConstant("r'\\n'"), Constant{std::string("\\n")});
  EXPECT_EQ(ParseConstant("R\"\\d+\""), Constant{std::string("\\d+")});
  EXPECT_EQ(ParseConstant("r'''a\\'''"), Constant{std::string("a\\")});
  EXPECT_EQ(ParseConstant("r\"\"\"x\ny\"\"\""), Constant{std::string("x\ny")});
  EXPECT_EQ(ParseConstant("br'\\xff'"), Constant{Bytes{"\\xff"}});
  EXPECT_EQ(ParseConstant("BR'a'"), Constant{Bytes{"a"}});
}

TEST(ParserLiterals, StringEscapes) {
  EXPECT_EQ(ParseConstant(R"('\a\b\f\n\r\t\v\\\'\"\`\?')"),
            Constant{std::string("\a\b\f\n\r\t\v\\'\"`?")});
  // \x and octal escapes are code points in strings.
  EXPECT_EQ(ParseConstant(R"("\xC3\XBF")"), Constant{std::string("\u00c3\u00bf")});
  EXPECT_EQ(ParseConstant(R"("\303\277")"), Constant{std::string("\u00c3\u00bf")});
  EXPECT_EQ(ParseConstant(R"('\000')"), Constant{std::string(1, '\0')});
  EXPECT_EQ(ParseConstant(R"('\u00e9')"), Constant{std::string("\u00e9")});
  EXPECT_EQ(ParseConstant(R"('\U0001F601')"), Constant{std::string("\U0001F601")});
  EXPECT_EQ(ParseConstant(R"('''\'''')"), Constant{std::string("'")});
}

TEST(ParserLiterals, BytesEscapes) {
  EXPECT_EQ(ParseConstant("b'abc'"), Constant{Bytes{"abc"}});
  EXPECT_EQ(ParseConstant("B\"abc\""), Constant{Bytes{"abc"}});
  // \x and octal escapes are single bytes in bytes literals.
  EXPECT_EQ(ParseConstant(R"(b'\xff\101\000')"), Constant{Bytes{std::string("\xff"
                                                                            "A\0",
                                                                            3)}});
  EXPECT_EQ(ParseConstant(R"(b'\377')"), Constant{Bytes{"\xff"}});
  EXPECT_EQ(ParseConstant("b'ÿ'"), Constant{Bytes{"\xc3\xbf"}});
  EXPECT_EQ(ParseConstant("b'''a\nb'''"), Constant{Bytes{"a\nb"}});
  // cel-go v0.26 rejects \u and \U in bytes literals.
  EXPECT_EQ(ParseError(R"(b'\u00ff')"),
            "ERROR: <input>:1:1: unable to unescape string\n | b'\\u00ff'\n | ^");
}

TEST(ParserLiterals, EscapeErrors) {
  EXPECT_EQ(ParseError(R"('\udead' == '\ufffd')"),
            "ERROR: <input>:1:1: invalid unicode code point\n"
            " | '\\udead' == '\\ufffd'\n"
            " | ^");
  EXPECT_THAT(ParseError(R"('\U00110000')"), HasSubstr("invalid unicode code point"));
  EXPECT_EQ(ParseError(R"("\xFh")"),
            "ERROR: <input>:1:1: Syntax error: token recognition error at: '\"\\xFh'\n"
            " | \"\\xFh\"\n"
            " | ^\n"
            "ERROR: <input>:1:6: Syntax error: token recognition error at: '\"'\n"
            " | \"\\xFh\"\n"
            " | .....^\n"
            "ERROR: <input>:1:7: Syntax error: mismatched input '<EOF>' expecting {'[', '{', "
            "'(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, "
            "BYTES, IDENTIFIER}\n"
            " | \"\\xFh\"\n"
            " | ......^");
  EXPECT_THAT(ParseError(R"('\8')"), HasSubstr("token recognition error at: ''\\8'"));
  EXPECT_THAT(ParseError(R"('\07')"), HasSubstr("token recognition error"));
  EXPECT_THAT(ParseError("'abc"), HasSubstr("token recognition error at: ''abc'"));
  EXPECT_THAT(ParseError("'a\nb'"), HasSubstr("token recognition error at: ''a\n'"));
}

// ---- operators and precedence ---------------------------------------------------------------

TEST(ParserPrecedence, Arithmetic) {
  EXPECT_TREE("a + b * c", "_+_(a, _*_(b, c))");
  EXPECT_TREE("a * b + c", "_+_(_*_(a, b), c)");
  EXPECT_TREE("a - b - c", "_-_(_-_(a, b), c)");
  EXPECT_TREE("a / b % c", "_%_(_/_(a, b), c)");
  EXPECT_TREE("(a + b) * c", "_*_(_+_(a, b), c)");
  EXPECT_TREE("-a * b", "_*_(-_(a), b)");
}

TEST(ParserPrecedence, Relations) {
  EXPECT_TREE("a + 1 < b", "_<_(_+_(a, 1), b)");
  EXPECT_TREE("a == b != c", "_!=_(_==_(a, b), c)");
  EXPECT_TREE("a < b <= c > d >= e", "_>=_(_>_(_<=_(_<_(a, b), c), d), e)");
  EXPECT_TREE("a in b", "@in(a, b)");
  EXPECT_TREE("a in b == c", "_==_(@in(a, b), c)");
}

TEST(ParserPrecedence, Logic) {
  EXPECT_TREE("a || b && c", "_||_(a, _&&_(b, c))");
  EXPECT_TREE("a && b || c", "_||_(_&&_(a, b), c)");
  EXPECT_TREE("a == b && c", "_&&_(_==_(a, b), c)");
  EXPECT_TREE("!a && b", "_&&_(!_(a), b)");
  EXPECT_TREE("a ? b : c", "_?_:_(a, b, c)");
  EXPECT_TREE("a || b ? c && d : e", "_?_:_(_||_(a, b), _&&_(c, d), e)");
  EXPECT_TREE("a ? b : c ? d : e", "_?_:_(a, b, _?_:_(c, d, e))");
  // The middle operand is a conditionalOr: an unparenthesised ternary there is an error.
  EXPECT_THAT(ParseError("a ? b ? c : d : e"), HasSubstr("Syntax error"));
  EXPECT_TREE("a ? (b ? c : d) : e", "_?_:_(a, _?_:_(b, c, d), e)");
}

TEST(ParserPrecedence, LogicIsBalancedAsInCelGo) {
  EXPECT_ADORNED("a || b", "_||_(a^#1#, b^#2#)^#3#");
  EXPECT_ADORNED("a || b || c || d || e || f",
                 "_||_(_||_(_||_(a^#1#, b^#2#)^#3#, c^#4#)^#5#,"
                 "_||_(_||_(d^#6#, e^#8#)^#9#, f^#10#)^#11#)^#7#");
  EXPECT_ADORNED("a && b && c && d || e && f && g && h",
                 "_||_(_&&_(_&&_(a^#1#, b^#2#)^#3#, _&&_(c^#4#, d^#6#)^#7#)^#5#,"
                 "_&&_(_&&_(e^#8#, f^#9#)^#10#, _&&_(g^#11#, h^#13#)^#14#)^#12#)^#15#");
}

TEST(ParserPrecedence, Unary) {
  EXPECT_TREE("!a", "!_(a)");
  EXPECT_TREE("!!a", "a");
  EXPECT_TREE("!!!a", "!_(a)");
  EXPECT_TREE("-a", "-_(a)");
  EXPECT_TREE("--a", "a");
  EXPECT_TREE("-a.b", "-_(a.b)");
  EXPECT_TREE("!a.b()", "!_(a.b())");
  EXPECT_TREE("!-1", "!_(-1)");
  EXPECT_TREE("--1", "1");
  EXPECT_TREE("---1", "-_(1)");
  // The sign belongs to the literal, which then takes the member call.
  EXPECT_TREE("-1.abs()", "-1.abs()");
  // A unary operator applies to a member only, so `-!a` does not parse.
  EXPECT_THAT(ParseError("-!a"), HasSubstr("Syntax error"));
  EXPECT_TREE(std::string(10001, '!') + "a", "!_(a)");
}

TEST(ParserMembers, SelectCallIndex) {
  EXPECT_ADORNED("a.b.c", "a^#1#.b^#2#.c^#3#");
  EXPECT_ADORNED("a.b(c)", "a^#1#.b(c^#3#)^#2#");
  EXPECT_ADORNED("a(b, c)", "a(b^#2#, c^#3#)^#1#");
  EXPECT_ADORNED("a[b]", "_[_](a^#1#, b^#3#)^#2#");
  EXPECT_ADORNED("x[\"a\"].single_int32 == 23",
                 "_==_(_[_](x^#1#, \"a\"^#3#)^#2#.single_int32^#4#, 23^#6#)^#5#");
  EXPECT_ADORNED("size(x) == x.size()", "_==_(size(x^#2#)^#1#, x^#4#.size()^#5#)^#3#");
  EXPECT_TREE(".a", ".a");
  EXPECT_TREE(".a.b(1)", ".a.b(1)");
  EXPECT_TREE(".f(1)", ".f(1)");
  EXPECT_TREE("a.b.c(1)[2]", "_[_](a.b.c(1), 2)");
  // Formerly reserved words are fine as field and function names after a dot.
  EXPECT_TREE("a.if.while(1)", "a.if.while(1)");
  EXPECT_TREE("[1][0]", "_[_]([1], 0)");
  EXPECT_TREE("'abc'.size()", "\"abc\".size()");
}

TEST(ParserMembers, Aggregates) {
  EXPECT_ADORNED("[a, b, c]", "[a^#2#, b^#3#, c^#4#]^#1#");
  EXPECT_ADORNED("{a:b, c:d}", "{a^#3#:b^#4#^#2#, c^#6#:d^#7#^#5#}^#1#");
  EXPECT_ADORNED("foo{ a:b, c:d }", "foo{a:b^#3#^#2#, c:d^#5#^#4#}^#1#");
  EXPECT_TREE("[]", "[]");
  EXPECT_TREE("{}", "{}");
  EXPECT_TREE("foo{}", "foo{}");
  EXPECT_TREE("[1, 2,]", "[1, 2]");
  EXPECT_TREE("[,]", "[]");
  EXPECT_TREE("{1: 2,}", "{1:2}");
  EXPECT_TREE("{,}", "{}");
  EXPECT_TREE("a.b.Msg{f: 1,}", "a.b.Msg{f:1}");
  EXPECT_TREE(".a.Msg{f: 1}", ".a.Msg{f:1}");
  EXPECT_TREE("Msg{if: 1}", "Msg{if:1}");
  EXPECT_TREE("[] + [1,2,3,] + [4]", "_+_(_+_([], [1, 2, 3]), [4])");
  EXPECT_EQ(ParseError("f(a,)").substr(0, 45), "ERROR: <input>:1:5: Syntax error: mismatched ");
}

TEST(ParserOptional, Syntax) {
  EXPECT_ADORNED("a.?b[?0] && a[?c]",
                 "_&&_(_[?_](_?._(a^#1#, \"b\"^#2#)^#3#, 0^#5#)^#4#,"
                 "_[?_](a^#6#, c^#8#)^#7#)^#9#");
  EXPECT_ADORNED("{?'key': value}", "{?\"key\"^#3#:value^#4#^#2#}^#1#");
  EXPECT_ADORNED("[?a, ?b]", "[?a^#2#, ?b^#3#]^#1#");
  EXPECT_TREE("[a, ?b, c]", "[a, ?b, c]");
  EXPECT_ADORNED("Msg{?field: value}", "Msg{?field:value^#3#^#2#}^#1#");
  absl::StatusOr<ParsedExpr> r = Parse("[a, ?b, ?c]");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(std::get<ListExpr>(r->expr->kind).optional_indices, ::testing::ElementsAre(1, 2));
}

TEST(ParserOptional, DisabledSyntax) {
  ParseOptions o;
  o.enable_optional_syntax = false;
  EXPECT_EQ(ParseError("a.?b && a[?b]", o),
            "ERROR: <input>:1:2: unsupported syntax '.?'\n | a.?b && a[?b]\n | .^\n"
            "ERROR: <input>:1:10: unsupported syntax '[?'\n | a.?b && a[?b]\n | .........^");
  EXPECT_EQ(ParseError("[?a, ?b]", o),
            "ERROR: <input>:1:2: unsupported syntax '?'\n | [?a, ?b]\n | .^\n"
            "ERROR: <input>:1:6: unsupported syntax '?'\n | [?a, ?b]\n | .....^");
  EXPECT_EQ(ParseError("Msg{?field: value} && {?'key': value}", o),
            "ERROR: <input>:1:5: unsupported syntax '?'\n"
            " | Msg{?field: value} && {?'key': value}\n | ....^\n"
            "ERROR: <input>:1:24: unsupported syntax '?'\n"
            " | Msg{?field: value} && {?'key': value}\n | .......................^");
}

TEST(ParserEscapedIdents, OnlyWhenEnabled) {
  EXPECT_EQ(ParseError("a.`b-c`"),
            "ERROR: <input>:1:3: unsupported syntax: '`'\n | a.`b-c`\n | ..^");
  ParseOptions o;
  o.enable_ident_escape_syntax = true;
  EXPECT_EQ(ParseToString("a.`b-c`", o), "a.b-c");
  EXPECT_EQ(ParseToString("Msg{`in`: 1}", o), "Msg{\n  in:1\n}");
  EXPECT_THAT(ParseError("`b-c`", o), HasSubstr("mismatched input '`b-c`'"));
}

// ---- macros ---------------------------------------------------------------------------------

TEST(ParserMacros, Has) {
  EXPECT_ADORNED("has(m.f)", "m^#2#.f~test-only~^#4#");
  EXPECT_EQ(ParseError("has(m)"),
            "ERROR: <input>:1:5: invalid argument to has() macro\n"
            " | has(m)\n"
            " | ....^");
  EXPECT_TREE(".has(m)", ".has(m)");
  EXPECT_TREE("has(m, n)", "has(m, n)");
  absl::StatusOr<ParsedExpr> r = Parse("has(m.f)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source_info.macro_calls.at(4), "has(m.f)");
  EXPECT_EQ(r->source_info.positions.at(4), 3);  // the '(' of the call
}

TEST(ParserMacros, Exists) {
  EXPECT_ADORNED("m.exists(v, f)", R"(__comprehension__(
      // Variable
      v,
      // Target
      m^#1#,
      // Accumulator
      @result,
      // Init
      false^#5#,
      // LoopCondition
      @not_strictly_false(!_(@result^#6#)^#7#)^#8#,
      // LoopStep
      _||_(@result^#9#, f^#4#)^#10#,
      // Result
      @result^#11#)^#12#)");
}

TEST(ParserMacros, All) {
  EXPECT_ADORNED("m.all(v, f)", R"(__comprehension__(
      // Variable
      v,
      // Target
      m^#1#,
      // Accumulator
      @result,
      // Init
      true^#5#,
      // LoopCondition
      @not_strictly_false(@result^#6#)^#7#,
      // LoopStep
      _&&_(@result^#8#, f^#4#)^#9#,
      // Result
      @result^#10#)^#11#)");
}

TEST(ParserMacros, ExistsOne) {
  const char* kWant = R"(__comprehension__(
      // Variable
      v,
      // Target
      m^#1#,
      // Accumulator
      @result,
      // Init
      0^#5#,
      // LoopCondition
      true^#6#,
      // LoopStep
      _?_:_(f^#4#, _+_(@result^#7#, 1^#8#)^#9#, @result^#10#)^#11#,
      // Result
      _==_(@result^#12#, 1^#13#)^#14#)^#15#)";
  EXPECT_ADORNED("m.existsOne(v, f)", kWant);
  EXPECT_ADORNED("m.exists_one(v, f)", kWant);
}

TEST(ParserMacros, MapAndFilter) {
  EXPECT_ADORNED("m.map(v, f)", R"(__comprehension__(
      // Variable
      v,
      // Target
      m^#1#,
      // Accumulator
      @result,
      // Init
      []^#5#,
      // LoopCondition
      true^#6#,
      // LoopStep
      _+_(@result^#7#, [f^#4#]^#8#)^#9#,
      // Result
      @result^#10#)^#11#)");
  EXPECT_ADORNED("m.map(v, p, f)", R"(__comprehension__(
      // Variable
      v,
      // Target
      m^#1#,
      // Accumulator
      @result,
      // Init
      []^#6#,
      // LoopCondition
      true^#7#,
      // LoopStep
      _?_:_(p^#4#, _+_(@result^#8#, [f^#5#]^#9#)^#10#, @result^#11#)^#12#,
      // Result
      @result^#13#)^#14#)");
  EXPECT_ADORNED("m.filter(v, p)", R"(__comprehension__(
      // Variable
      v,
      // Target
      m^#1#,
      // Accumulator
      @result,
      // Init
      []^#5#,
      // LoopCondition
      true^#6#,
      // LoopStep
      _?_:_(p^#4#, _+_(@result^#7#, [v^#3#]^#8#)^#9#, @result^#10#)^#11#,
      // Result
      @result^#12#)^#13#)");
}

TEST(ParserMacros, TwoVariableForms) {
  EXPECT_TREE("m.all(k, v, v > k)", R"(__comprehension__(// Variable
      k, v, // Target
      m, // Accumulator
      @result, // Init
      true, // LoopCondition
      @not_strictly_false(@result), // LoopStep
      _&&_(@result, _>_(v, k)), // Result
      @result))");
  EXPECT_TREE("m.exists(k, v, v)", R"(__comprehension__(// Variable
      k, v, // Target
      m, // Accumulator
      @result, // Init
      false, // LoopCondition
      @not_strictly_false(!_(@result)), // LoopStep
      _||_(@result, v), // Result
      @result))");
  const char* kExistsOne = R"(__comprehension__(// Variable
      k, v, // Target
      m, // Accumulator
      @result, // Init
      0, // LoopCondition
      true, // LoopStep
      _?_:_(v, _+_(@result, 1), @result), // Result
      _==_(@result, 1)))";
  EXPECT_TREE("m.existsOne(k, v, v)", kExistsOne);
  EXPECT_TREE("m.exists_one(k, v, v)", kExistsOne);
  EXPECT_TREE("m.transformList(i, v, v * 2)", R"(__comprehension__(// Variable
      i, v, // Target
      m, // Accumulator
      @result, // Init
      [], // LoopCondition
      true, // LoopStep
      _+_(@result, [_*_(v, 2)]), // Result
      @result))");
  EXPECT_TREE("m.transformList(i, v, i > 0, v)", R"(__comprehension__(// Variable
      i, v, // Target
      m, // Accumulator
      @result, // Init
      [], // LoopCondition
      true, // LoopStep
      _?_:_(_>_(i, 0), _+_(@result, [v]), @result), // Result
      @result))");
  EXPECT_ADORNED("m.transformMap(k, v, v > 1, v * 2)", R"(__comprehension__(// Variable
      k, v, // Target
      m^#1#, // Accumulator
      @result, // Init
      {}^#16#, // LoopCondition
      true^#17#, // LoopStep
      _?_:_(_>_(v^#5#, 1^#7#)^#6#,
            cel.@mapInsert(@result^#11#, k^#12#, _*_(v^#8#, 2^#10#)^#9#)^#13#,
            @result^#14#)^#15#, // Result
      @result^#18#)^#19#)");
  EXPECT_TREE("m.transformMap(k, v, v)", R"(__comprehension__(// Variable
      k, v, // Target
      m, // Accumulator
      @result, // Init
      {}, // LoopCondition
      true, // LoopStep
      cel.@mapInsert(@result, k, v), // Result
      @result))");
  EXPECT_TREE("m.transformMapEntry(k, v, {v: k})", R"(__comprehension__(// Variable
      k, v, // Target
      m, // Accumulator
      @result, // Init
      {}, // LoopCondition
      true, // LoopStep
      cel.@mapInsert(@result, {v:k}), // Result
      @result))");
  EXPECT_TREE("m.transformMapEntry(k, v, k != '', {v: k})", R"(__comprehension__(// Variable
      k, v, // Target
      m, // Accumulator
      @result, // Init
      {}, // LoopCondition
      true, // LoopStep
      _?_:_(_!=_(k, ""), cel.@mapInsert(@result, {v:k}), @result), // Result
      @result))");
}

TEST(ParserMacros, Bind) {
  EXPECT_ADORNED("cel.bind(a, 1, a + a)", R"(__comprehension__(// Variable
      #unused, // Target
      []^#8#, // Accumulator
      a, // Init
      1^#4#, // LoopCondition
      false^#9#, // LoopStep
      a^#10#, // Result
      _+_(a^#5#, a^#7#)^#6#)^#11#)");
  // Only the `cel` namespace expands.
  EXPECT_TREE("x.bind(a, 1, a)", "x.bind(a, 1, a)");
  EXPECT_EQ(ParseError("cel.bind(a.b, 1, 2)"),
            "ERROR: <input>:1:11: cel.bind() variable names must be simple identifiers\n"
            " | cel.bind(a.b, 1, 2)\n"
            " | ..........^");
}

TEST(ParserMacros, OptionalMacros) {
  EXPECT_ADORNED("x.optMap(y, y + 1)", R"(_?_:_(
      x^#1#.hasValue()^#7#,
      optional.of(__comprehension__(// Variable
          #unused, // Target
          []^#8#, // Accumulator
          y, // Init
          x^#9#.value()^#10#, // LoopCondition
          false^#11#, // LoopStep
          y^#12#, // Result
          _+_(y^#4#, 1^#6#)^#5#)^#13#)^#14#,
      optional.none()^#15#)^#16#)");
  EXPECT_TREE("x.optFlatMap(y, optional.of(y))", R"(_?_:_(
      x.hasValue(),
      __comprehension__(// Variable
          #unused, // Target
          [], // Accumulator
          y, // Init
          x.value(), // LoopCondition
          false, // LoopStep
          y, // Result
          optional.of(y)),
      optional.none()))");
  EXPECT_THAT(ParseError("x.optMap(y.z, 1)"),
              HasSubstr("optMap() variable name must be a simple identifier"));
  EXPECT_THAT(ParseError("x.optFlatMap(1, 1)"),
              HasSubstr("optFlatMap() variable name must be a simple identifier"));
}

TEST(ParserMacros, ArgumentErrors) {
  EXPECT_EQ(ParseError("1.all(2, 3)"),
            "ERROR: <input>:1:7: argument must be a simple name\n"
            " | 1.all(2, 3)\n"
            " | ......^");
  EXPECT_EQ(ParseError("m.filter(a.b, false)"),
            "ERROR: <input>:1:11: argument is not an identifier\n"
            " | m.filter(a.b, false)\n"
            " | ..........^");
  EXPECT_EQ(ParseError("m.map(__result__, __result__)"),
            "ERROR: <input>:1:7: iteration variable overwrites accumulator variable\n"
            " | m.map(__result__, __result__)\n"
            " | ......^");
  EXPECT_THAT(ParseError("m.all(@x, 1)"), HasSubstr("token recognition error at: '@'"));
  EXPECT_EQ(ParseError("m.all(k, k, true)"),
            "ERROR: <input>:1:10: duplicate variable name: k\n"
            " | m.all(k, k, true)\n"
            " | .........^");
  EXPECT_THAT(ParseError("m.transformList(1, v, v)"), HasSubstr("argument must be a simple name"));
  EXPECT_EQ(ParseError("[1, 2, 3].map(var, var * var)"),
            "ERROR: <input>:1:15: reserved identifier: var\n"
            " | [1, 2, 3].map(var, var * var)\n"
            " | ..............^\n"
            "ERROR: <input>:1:15: argument is not an identifier\n"
            " | [1, 2, 3].map(var, var * var)\n"
            " | ..............^\n"
            "ERROR: <input>:1:20: reserved identifier: var\n"
            " | [1, 2, 3].map(var, var * var)\n"
            " | ...................^\n"
            "ERROR: <input>:1:26: reserved identifier: var\n"
            " | [1, 2, 3].map(var, var * var)\n"
            " | .........................^");
}

TEST(ParserMacros, Options) {
  ParseOptions none;
  none.enable_macros = false;
  EXPECT_EQ(ParseToString("has(a.b)", none), "has(\n  a.b\n)");
  EXPECT_EQ(Squash(ParseToString("m.all(x, x)", none)), "m.all(x,x)");
  ParseOptions legacy;
  legacy.enable_hidden_accumulator_name = false;
  EXPECT_THAT(ParseToString("m.all(x, x)", legacy), HasSubstr("__result__"));
  ParseOptions no_ext;
  no_ext.enable_two_var_comprehensions = false;
  no_ext.enable_bindings = false;
  no_ext.enable_optional_macros = false;
  EXPECT_EQ(Squash(ParseToString("m.all(k, v, true)", no_ext)), "m.all(k,v,true)");
  EXPECT_EQ(Squash(ParseToString("cel.bind(a, 1, a)", no_ext)), "cel.bind(a,1,a)");
  EXPECT_EQ(Squash(ParseToString("x.optMap(a, a)", no_ext)), "x.optMap(a,a)");
  // The accumulator names are refused as iteration variables either way.
  EXPECT_THAT(ParseError("m.all(@result, true)"), HasSubstr("token recognition error"));
  EXPECT_THAT(ParseError("[].existsOne(__result__, __result__)"),
              HasSubstr("1:14: iteration variable overwrites accumulator variable"));
}

TEST(ParserMacros, NestedMacroCallsAreRecorded) {
  absl::StatusOr<ParsedExpr> r = Parse("[[1]].all(x, x.exists(y, y > 0))");
  ASSERT_TRUE(r.ok()) << r.status();
  std::set<std::string> calls;
  for (const auto& [id, text] : r->source_info.macro_calls) calls.insert(text);
  EXPECT_THAT(calls, ::testing::UnorderedElementsAre("[[1]].all(x, x.exists(y, y > 0))",
                                                     "x.exists(y, y > 0)"));
}

// ---- errors ---------------------------------------------------------------------------------

constexpr const char* kExpectExpr =
    "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, "
    "STRING, BYTES, IDENTIFIER}";

TEST(ParserErrors, SyntaxErrorsMatchCelGo) {
  EXPECT_EQ(ParseError("a +"), StrCat("ERROR: <input>:1:4: Syntax error: mismatched input "
                                      "'<EOF>' expecting ",
                                      kExpectExpr, "\n | a +\n | ...^"));
  EXPECT_EQ(ParseError("a | b"),
            "ERROR: <input>:1:3: Syntax error: token recognition error at: '| '\n"
            " | a | b\n"
            " | ..^\n"
            "ERROR: <input>:1:5: Syntax error: extraneous input 'b' expecting <EOF>\n"
            " | a | b\n"
            " | ....^");
  EXPECT_EQ(ParseError("*@a | b"),
            StrCat("ERROR: <input>:1:1: Syntax error: extraneous input '*' expecting ", kExpectExpr,
                   "\n | *@a | b\n | ^\n"
                   "ERROR: <input>:1:2: Syntax error: token recognition error at: '@'\n"
                   " | *@a | b\n | .^\n"
                   "ERROR: <input>:1:5: Syntax error: token recognition error at: '| '\n"
                   " | *@a | b\n | ....^\n"
                   "ERROR: <input>:1:7: Syntax error: extraneous input 'b' expecting <EOF>\n"
                   " | *@a | b\n | ......^"));
  EXPECT_EQ(ParseError("1 + 2\n3 +"),
            "ERROR: <input>:2:1: Syntax error: mismatched input '3' expecting <EOF>\n"
            " | 3 +\n"
            " | ^");
  EXPECT_EQ(ParseError("TestAllTypes(){}"),
            "ERROR: <input>:1:15: Syntax error: mismatched input '{' expecting <EOF>\n"
            " | TestAllTypes(){}\n"
            " | ..............^");
  EXPECT_EQ(ParseError("{\"a\": 1}.\"a\""),
            "ERROR: <input>:1:10: Syntax error: no viable alternative at input '.\"a\"'\n"
            " | {\"a\": 1}.\"a\"\n"
            " | .........^");
  EXPECT_EQ(ParseError("self.true == 1"),
            "ERROR: <input>:1:6: Syntax error: mismatched input 'true' expecting IDENTIFIER\n"
            " | self.true == 1\n"
            " | .....^");
  EXPECT_EQ(ParseError("{a}"),
            "ERROR: <input>:1:3: Syntax error: mismatched input '}' expecting "
            "':'\n | {a}\n | ..^");
  EXPECT_EQ(ParseError("{:a}"),
            "ERROR: <input>:1:2: Syntax error: extraneous input ':' expecting {'[', '{', '}', '(', "
            "'.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, "
            "STRING, BYTES, IDENTIFIER}\n | {:a}\n | .^\n"
            "ERROR: <input>:1:4: Syntax error: mismatched input '}' expecting ':'\n | {:a}\n"
            " | ...^");
  EXPECT_EQ(ParseError("msg{:a}"),
            "ERROR: <input>:1:5: Syntax error: extraneous input ':' expecting {'}', ',', '?', "
            "IDENTIFIER, ESC_IDENTIFIER}\n | msg{:a}\n | ....^\n"
            "ERROR: <input>:1:7: Syntax error: mismatched input '}' expecting ':'\n | msg{:a}\n"
            " | ......^");
  EXPECT_EQ(ParseError("ind[a{b}]"),
            "ERROR: <input>:1:8: Syntax error: mismatched input '}' expecting ':'\n"
            " | ind[a{b}]\n"
            " | .......^");
  EXPECT_EQ(ParseError("x{."),
            "ERROR: <input>:1:3: Syntax error: mismatched input '.' expecting "
            "{'}', ',', '?', IDENTIFIER, ESC_IDENTIFIER}\n | x{.\n | ..^");
}

TEST(ParserErrors, UnicodeCarets) {
  EXPECT_EQ(ParseError("'😁' + 😁"),
            StrCat("ERROR: <input>:1:7: Syntax error: token recognition error at: '😁'\n"
                   " | '😁' + 😁\n"
                   " | .\uff0e....\uff3e\n"
                   "ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>' expecting ",
                   kExpectExpr, "\n | '😁' + 😁\n | .\uff0e....\uff0e^"));
}

TEST(ParserErrors, ReservedIdentifiers) {
  for (const char* word :
       {"as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while"}) {
    EXPECT_EQ(ParseError(word),
              StrCat("ERROR: <input>:1:1: reserved identifier: ", word, "\n | ", word, "\n | ^"));
    EXPECT_THAT(ParseError(StrCat(word, "(1)")), HasSubstr("reserved identifier"));
    // After a dot they are ordinary names.
    EXPECT_EQ(ParseToString(StrCat("a.", word)), StrCat("a.", word));
  }
  EXPECT_THAT(ParseError("in"), HasSubstr("Syntax error: mismatched input 'in' expecting"));
  EXPECT_THAT(ParseError("a.in"), HasSubstr("no viable alternative at input '.in'"));
  EXPECT_THAT(ParseError("a.null"), HasSubstr("mismatched input 'null' expecting IDENTIFIER"));
}

TEST(ParserErrors, MultiLinePositions) {
  EXPECT_EQ(ParseError("a &&\n  b.if(\n  )   +\n\tif"),
            "ERROR: <input>:4:2: reserved identifier: if\n |  if\n | .^");
}

TEST(ParserErrors, ErrorReportingLimit) {
  ParseOptions o;
  o.error_reporting_limit = 2;
  EXPECT_EQ(ParseError("'3# < 10\" '& tru ^^", o),
            "ERROR: <input>:1:12: Syntax error: token recognition error at: '& '\n"
            " | '3# < 10\" '& tru ^^\n"
            " | ...........^\n"
            "ERROR: <input>:1:18: Syntax error: token recognition error at: '^'\n"
            " | '3# < 10\" '& tru ^^\n"
            " | .................^\n"
            "ERROR: <input>:1:19: Syntax error: More than 2 syntax errors\n"
            " | '3# < 10\" '& tru ^^\n"
            " | ..................^");
  // At most 100 errors are shown; the rest are counted.
  std::string many;
  for (int i = 0; i < 150; ++i) many += "if + ";
  many += "1";
  std::string err = ParseError(many);
  EXPECT_THAT(err, HasSubstr("50 more errors were truncated"));
}

TEST(ParserErrors, CommentsAndWhitespace) {
  EXPECT_TREE("a // comment\n + b // another", "_+_(a, b)");
  EXPECT_TREE("\t\r\n\fa\f", "a");
  EXPECT_THAT(ParseError("a /* not a comment */"), HasSubstr("Syntax error"));
}

// ---- limits ---------------------------------------------------------------------------------

TEST(ParserLimits, DeepNestingIsAnError) {
  std::string parens = std::string(10000, '(') + "1" + std::string(10000, ')');
  EXPECT_EQ(ParseError(parens), "ERROR: <input>:-1:0: expression recursion limit exceeded: 250");
  std::string lists = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_EQ(ParseError(lists), "ERROR: <input>:-1:0: expression recursion limit exceeded: 250");
  std::string unclosed(50000, '[');
  EXPECT_EQ(ParseError(unclosed), "ERROR: <input>:-1:0: expression recursion limit exceeded: 250");
  std::string maps;
  for (int i = 0; i < 5000; ++i) maps += "{1:";
  EXPECT_THAT(ParseError(maps), HasSubstr("expression recursion limit exceeded: 250"));
  std::string ternaries;
  for (int i = 0; i < 5000; ++i) ternaries += "a ? b : ";
  ternaries += "c";
  EXPECT_THAT(ParseError(ternaries), HasSubstr("expression recursion limit exceeded: 250"));
  std::string calls;
  for (int i = 0; i < 5000; ++i) calls += "f(";
  EXPECT_THAT(ParseError(calls), HasSubstr("expression recursion limit exceeded: 250"));
}

TEST(ParserLimits, LongChainsAreAnError) {
  std::string selects = "a";
  for (int i = 0; i < 30000; ++i) selects += ".b";
  EXPECT_EQ(ParseError(selects), "ERROR: <input>:-1:0: max recursion depth exceeded");
  std::string sum = "1";
  for (int i = 0; i < 20000; ++i) sum += "+1";
  EXPECT_EQ(ParseError(sum), "ERROR: <input>:-1:0: max recursion depth exceeded");
  std::string index = "a";
  for (int i = 0; i < 10000; ++i) index += "[0]";
  EXPECT_EQ(ParseError(index), "ERROR: <input>:-1:0: max recursion depth exceeded");
  std::string calls = "a";
  for (int i = 0; i < 10000; ++i) calls += ".f()";
  EXPECT_EQ(ParseError(calls), "ERROR: <input>:-1:0: max recursion depth exceeded");
}

TEST(ParserLimits, ExactLimits) {
  ParseOptions o;
  o.max_recursion_depth = 32;
  std::string ok_sum = "1";
  for (int i = 0; i < 32; ++i) ok_sum += " + 1";
  EXPECT_TRUE(Parse(ok_sum, o).ok());
  EXPECT_EQ(ParseError(ok_sum + " + 1", o), "ERROR: <input>:-1:0: max recursion depth exceeded");
  std::string lists31 = std::string(31, '[') + "'fine'" + std::string(31, ']');
  EXPECT_TRUE(Parse(lists31, o).ok());
  std::string lists32 = std::string(32, '[') + "'not fine'" + std::string(32, ']');
  EXPECT_EQ(ParseError(lists32, o), "ERROR: <input>:-1:0: expression recursion limit exceeded: 32");
}

TEST(ParserLimits, LongButFlatInputsParse) {
  // Long && / || chains are balanced, so they stay shallow.
  std::string ands = "a";
  for (int i = 0; i < 15000; ++i) ands += " && a";
  EXPECT_TRUE(Parse(ands).ok());
  // A 100,000-element list, with the size limit lifted.
  std::string list = "[";
  for (int i = 0; i < 100000; ++i) list += "0,";
  list += "]";
  ParseOptions o;
  o.expression_size_code_point_limit = -1;
  absl::StatusOr<ParsedExpr> r = Parse(list, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(std::get<ListExpr>(r->expr->kind).elements.size(), 100000u);
}

TEST(ParserLimits, SizeLimit) {
  ParseOptions o;
  o.expression_size_code_point_limit = 2;
  EXPECT_EQ(ParseError("foo", o),
            "ERROR: <input>:-1:0: expression code point size exceeds limit: size: 3, limit 2");
  // Code points, not bytes.
  EXPECT_TRUE(Parse("'é'", ParseOptions{.expression_size_code_point_limit = 3}).ok());
  EXPECT_THAT(ParseError(std::string(100001, ' ')), HasSubstr("size: 100001, limit 100000"));
}

// ---- source info ----------------------------------------------------------------------------

TEST(ParserSourceInfo, PositionsAndLines) {
  absl::StatusOr<ParsedExpr> r = Parse("a.b(\n  'é',\n  c)");
  ASSERT_TRUE(r.ok());
  const SourceInfo& si = r->source_info;
  EXPECT_THAT(si.line_offsets, ::testing::ElementsAre(5, 12));
  EXPECT_EQ(si.positions.at(1), 0);   // a
  EXPECT_EQ(si.positions.at(2), 3);   // (
  EXPECT_EQ(si.positions.at(3), 7);   // 'é'
  EXPECT_EQ(si.positions.at(4), 14);  // c
  EXPECT_EQ(si.LineColumn(0), std::make_pair(1, 1));
  EXPECT_EQ(si.LineColumn(7), std::make_pair(2, 3));
  EXPECT_EQ(si.LineColumn(14), std::make_pair(3, 3));
  EXPECT_EQ(si.description, "<input>");
}

TEST(ParserDebug, Constants) {
  EXPECT_EQ(ParseToString("1.0"), "1");
  EXPECT_EQ(ParseToString("1e30"), "1e+30");
  EXPECT_EQ(ParseToString("1e-7"), "1e-07");
  EXPECT_EQ(ParseToString("0.0001"), "0.0001");
  EXPECT_EQ(ParseToString(R"('a"\\\n\x01')"), R"("a\"\\\n\x01")");
  EXPECT_EQ(ParseToString("b'\\xff'"), "b\"\\xff\"");
  EXPECT_EQ(ParseToString("'é'"), "\"é\"");
}

// ---- conformance data -----------------------------------------------------------------------

// A small reader for the protobuf text format of the cel-spec conformance files: enough to
// pull out each test's section, name and expr.
class TextprotoReader {
 public:
  struct Test {
    std::string section;
    std::string name;
    std::string expr;
    bool has_expr = false;
  };

  explicit TextprotoReader(std::string text) : s_(std::move(text)) {}

  std::vector<Test> Tests() {
    std::vector<Test> out;
    std::vector<std::string> stack;
    std::string section;
    Test current;
    std::string last_ident;
    while (true) {
      SkipSpace();
      if (i_ >= s_.size()) break;
      char c = s_[i_];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '[') {
        last_ident = ReadIdent();
        continue;
      }
      if (c == ':') {
        ++i_;
        SkipSpace();
        if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
          std::string value = ReadStrings();
          if (stack.size() == 1 && stack[0] == "section" && last_ident == "name") {
            section = value;
          } else if (stack.size() == 2 && stack[1] == "test") {
            if (last_ident == "name") current.name = value;
            if (last_ident == "expr") {
              current.expr = value;
              current.has_expr = true;
            }
          }
        }
        continue;
      }
      if (c == '{' || c == '<') {
        ++i_;
        stack.push_back(last_ident);
        if (stack.size() == 2 && last_ident == "test") current = Test{section, "", "", false};
        continue;
      }
      if (c == '}' || c == '>') {
        ++i_;
        if (stack.size() == 2 && stack[1] == "test") out.push_back(current);
        if (!stack.empty()) stack.pop_back();
        continue;
      }
      if (c == '"' || c == '\'') {
        ReadStrings();
        continue;
      }
      ++i_;  // numbers, commas, semicolons, signs
    }
    return out;
  }

 private:
  void SkipSpace() {
    while (i_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[i_]))) {
        ++i_;
      } else if (s_[i_] == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }

  std::string ReadIdent() {
    size_t b = i_;
    if (s_[i_] == '[') {
      while (i_ < s_.size() && s_[i_] != ']') ++i_;
      ++i_;
      return s_.substr(b, i_ - b);
    }
    while (i_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.')) {
      ++i_;
    }
    return s_.substr(b, i_ - b);
  }

  // One or more adjacent quoted strings, concatenated, with C escapes decoded.
  std::string ReadStrings() {
    std::string out;
    while (true) {
      SkipSpace();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) break;
      char q = s_[i_++];
      while (i_ < s_.size() && s_[i_] != q) {
        char c = s_[i_++];
        if (c != '\\') {
          out.push_back(c);
          continue;
        }
        char e = s_[i_++];
        switch (e) {
          case 'n':
            out.push_back('\n');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 'a':
            out.push_back('\a');
            break;
          case 'b':
            out.push_back('\b');
            break;
          case 'f':
            out.push_back('\f');
            break;
          case 'v':
            out.push_back('\v');
            break;
          case 'x': {
            int v = 0;
            for (int k = 0;
                 k < 2 && i_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[i_]));
                 ++k) {
              v = v * 16 + std::stoi(std::string(1, s_[i_++]), nullptr, 16);
            }
            out.push_back(static_cast<char>(v));
            break;
          }
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '7'; ++k) {
                v = v * 8 + (s_[i_++] - '0');
              }
              out.push_back(static_cast<char>(v));
            } else {
              out.push_back(e);  // \\ \' \" \?
            }
        }
      }
      ++i_;  // closing quote
    }
    return out;
  }

  std::string s_;
  size_t i_ = 0;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TextprotoReader, Strings) {
  TextprotoReader r(
      "section { name: \"s\" test { name: 't' expr: \"a\\n\" 'b\\'\\x41\\101' } }  # c");
  std::vector<TextprotoReader::Test> tests = r.Tests();
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0].section, "s");
  EXPECT_EQ(tests[0].name, "t");
  EXPECT_EQ(tests[0].expr, "a\nb'AA");
}

TEST(ParserConformance, CoreExpressionsParse) {
  const std::string dir = StrCat(DRA_SHARED_DIR, "/conformance/cel/");
  std::ifstream scope(dir + "scope.tsv");
  ASSERT_TRUE(scope.good()) << "missing " << dir << "scope.tsv";
  std::map<std::tuple<std::string, std::string, std::string>, std::string> scopes;
  std::set<std::string> files;
  std::string line;
  while (std::getline(scope, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ls(line);
    std::string col;
    while (std::getline(ls, col, '\t')) cols.push_back(col);
    if (cols.size() < 4) continue;
    scopes[{cols[0], cols[1], cols[2]}] = cols[3];
    files.insert(cols[0]);
  }
  int must_parse = 0;
  int parsed = 0;
  int total = 0;
  std::vector<std::string> failures;
  for (const std::string& file : files) {
    std::string text = ReadFile(dir + file + ".textproto");
    ASSERT_FALSE(text.empty()) << file;
    for (const auto& t : TextprotoReader(text).Tests()) {
      if (!t.has_expr) continue;
      ++total;
      auto it = scopes.find({file, t.section, t.name});
      bool core = it != scopes.end() && it->second == "core";
      absl::StatusOr<ParsedExpr> r = Parse(t.expr);
      if (!core) continue;
      ++must_parse;
      if (r.ok()) {
        ++parsed;
      } else {
        failures.push_back(StrCat(file, "/", t.section, "/", t.name, ": ", r.status().message()));
      }
    }
  }
  std::cout << "conformance: " << parsed << " / " << must_parse << " core expressions parse ("
            << total << " expressions read)\n";
  EXPECT_EQ(must_parse, 1377);
  EXPECT_TRUE(failures.empty()) << StrJoin(failures, "\n");
}

TEST(ParserConformance, NotInK8sBacktickFieldsAreRejected) {
  // scope.tsv marks backtick-quoted field names "not-in-k8s": Kubernetes rejects them.
  EXPECT_FALSE(Parse("{'a-b': 1}.`a-b`").ok());
}

}  // namespace
}  // namespace dra::cel
