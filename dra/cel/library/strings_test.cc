#include "dra/base/strings.h"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "dra/cel/conformance/cases.h"
#include "dra/cel/conformance/runner.h"
#include "dra/cel/library/library.h"
#include "dra/cel/parser/parser.h"
#include "dra/cel/runtime/activation.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/interpreter.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::cel {
namespace {

const FunctionRegistry& Registry() {
  static const FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();
    absl::Status s = RegisterStandardFunctions(r);
    if (s.ok()) s = RegisterStringsExtension(r);
    if (!s.ok())
      std::fprintf(stderr, "registration failed: %s\n", std::string(s.message()).c_str());
    return r;
  }();
  return *registry;
}

// Evaluates `expr`; the result is owned (detached from the program).
Value Eval(std::string_view expr) {
  auto parsed = Parse(expr, ParseOptions{});
  if (!parsed.ok()) return Value::Error(StrCat("parse: ", parsed.status().message()));
  auto program = Program::Create(*parsed->expr, Registry(), ProgramOptions{});
  if (!program.ok()) return Value::Error(StrCat("plan: ", program.status().message()));
  Activation activation;
  return (*program)->Evaluate(activation).Own();
}

std::string EvalString(std::string_view expr) {
  Value v = Eval(expr);
  if (v.kind() == ValueKind::kString) return std::string(v.string_view());
  return StrCat("<", v.DebugString(), ">");
}

std::string EvalError(std::string_view expr) {
  Value v = Eval(expr);
  if (v.IsError()) return v.error_message();
  return StrCat("<no error: ", v.DebugString(), ">");
}

int64_t EvalInt(std::string_view expr) {
  Value v = Eval(expr);
  EXPECT_EQ(v.kind(), ValueKind::kInt) << expr << " -> " << v.DebugString();
  return v.kind() == ValueKind::kInt ? v.int_value() : -999;
}

bool EvalTrue(std::string_view expr) { return Eval(expr).IsTrue(); }

TEST(StringsExtensionTest, CharAt) {
  EXPECT_EQ(EvalString("'tacocat'.charAt(3)"), "o");
  EXPECT_EQ(EvalString("'tacocat'.charAt(7)"), "");
  EXPECT_EQ(EvalString("'©αT'.charAt(1)"), "α");
  EXPECT_EQ(EvalError("'tacocat'.charAt(30)"), "index out of range: 30");
  EXPECT_EQ(EvalError("'tacocat'.charAt(-1)"), "index out of range: -1");
  EXPECT_THAT(EvalError("42.charAt(2)"), testing::HasSubstr("no such overload"));
}

TEST(StringsExtensionTest, IndexOf) {
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('')"), 0);
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('ac')"), 1);
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('none')"), -1);
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('', 3)"), 3);
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('at', 3)"), 5);
  EXPECT_EQ(EvalInt("'ta©o©αT'.indexOf('©αT', 3)"), 4);
  EXPECT_EQ(EvalInt("'ta©o©αT'.indexOf('©α', 5)"), -1);
  EXPECT_EQ(EvalInt("'ab'.indexOf('abc')"), -1);
  // cel-go v0.26: an offset past the end finds nothing; an empty needle returns the offset.
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('a', 30)"), -1);
  EXPECT_EQ(EvalInt("'tacocat'.indexOf('', 30)"), 30);
  EXPECT_EQ(EvalError("'tacocat'.indexOf('a', -1)"), "index out of range: -1");
}

TEST(StringsExtensionTest, LastIndexOf) {
  EXPECT_EQ(EvalInt("''.lastIndexOf('@@')"), -1);
  EXPECT_EQ(EvalInt("'tacocat'.lastIndexOf('')"), 7);
  EXPECT_EQ(EvalInt("'tacocat'.lastIndexOf('at')"), 5);
  EXPECT_EQ(EvalInt("'tacocat'.lastIndexOf('a', 3)"), 1);
  EXPECT_EQ(EvalInt("'ta©o©αT'.lastIndexOf('©', 3)"), 2);
  EXPECT_EQ(EvalInt("'ta©o©αT'.lastIndexOf('©α', 4)"), 4);
  EXPECT_EQ(EvalInt("'bananananana'.lastIndexOf('nana', 7)"), 6);
  EXPECT_EQ(EvalInt("'tacocat'.lastIndexOf('a', 30)"), -1);
  EXPECT_EQ(EvalError("'tacocat'.lastIndexOf('a', -1)"), "index out of range: -1");
}

TEST(StringsExtensionTest, AsciiCase) {
  EXPECT_EQ(EvalString("'TacoCÆt Xii'.lowerAscii()"), "tacocÆt xii");
  EXPECT_EQ(EvalString("'tacoCαt'.upperAscii()"), "TACOCαT");
}

TEST(StringsExtensionTest, Replace) {
  EXPECT_EQ(EvalString("'{0} days {0} hours'.replace('{0}', '2')"), "2 days 2 hours");
  EXPECT_EQ(EvalString("'{0} days {0} hours'.replace('{0}', '2', 1)"), "2 days {0} hours");
  EXPECT_EQ(EvalString("'aaa'.replace('a', 'b', 0)"), "aaa");
  EXPECT_EQ(EvalString("'aaa'.replace('a', 'b', -1)"), "bbb");
  EXPECT_EQ(EvalString("'aaa'.replace('a', 'b', 5)"), "bbb");
  // An empty pattern matches before every code point and at the end.
  EXPECT_EQ(EvalString("'a©b'.replace('', '-')"), "-a-©-b-");
  EXPECT_EQ(EvalString("'abc'.replace('', '-', 2)"), "-a-bc");
}

TEST(StringsExtensionTest, Split) {
  EXPECT_TRUE(EvalTrue("'hello world'.split(' ') == ['hello', 'world']"));
  EXPECT_TRUE(EvalTrue("'hello world events!'.split(' ', 0) == []"));
  EXPECT_TRUE(EvalTrue("'a b c'.split(' ', 2) == ['a', 'b c']"));
  EXPECT_TRUE(EvalTrue("'o©o©o©o'.split('©', -1) == ['o', 'o', 'o', 'o']"));
  EXPECT_TRUE(EvalTrue("'a©c'.split('') == ['a', '©', 'c']"));
  EXPECT_TRUE(EvalTrue("'abc'.split('', 2) == ['a', 'bc']"));
  EXPECT_TRUE(EvalTrue("''.split('') == []"));
  EXPECT_TRUE(EvalTrue("''.split(',') == ['']"));
}

TEST(StringsExtensionTest, Substring) {
  EXPECT_EQ(EvalString("'tacocat'.substring(4)"), "cat");
  EXPECT_EQ(EvalString("'tacocat'.substring(7)"), "");
  EXPECT_EQ(EvalString("'ta©o©αT'.substring(2, 6)"), "©o©α");
  EXPECT_EQ(EvalError("'tacocat'.substring(40)"), "index out of range: 40");
  EXPECT_EQ(EvalError("'tacocat'.substring(1, 50)"), "index out of range: 50");
  EXPECT_EQ(EvalError("'tacocat'.substring(-1, 2)"), "index out of range: -1");
  EXPECT_EQ(EvalError("'tacocat'.substring(4, 3)"), "invalid substring range. start: 4, end: 3");
}

TEST(StringsExtensionTest, Trim) {
  EXPECT_EQ(EvalString("' \\f\\n\\r\\t\\vtext  '.trim()"), "text");
  EXPECT_EQ(EvalString("'\\u0085\\u00a0\\u1680text\\u2000\\u3000'.trim()"), "text");
  EXPECT_EQ(EvalString("'\\u200btext\\ufeff'.trim()"), "\u200btext\ufeff");
  EXPECT_EQ(EvalString("'   '.trim()"), "");
}

TEST(StringsExtensionTest, Join) {
  EXPECT_EQ(EvalString("['x', 'y'].join()"), "xy");
  EXPECT_EQ(EvalString("['x', 'y'].join('-')"), "x-y");
  EXPECT_EQ(EvalString("[].join('-')"), "");
  EXPECT_EQ(EvalError("['x', 1].join()"), "join: invalid input: 1");
}

TEST(StringsExtensionTest, Quote) {
  EXPECT_EQ(EvalString("strings.quote('a\\nb\"c\\\\')"), "\"a\\nb\\\"c\\\\\"");
  EXPECT_EQ(EvalString("strings.quote('\\a\\b\\f\\r\\t\\v')"), "\"\\a\\b\\f\\r\\t\\v\"");
  EXPECT_EQ(EvalString("strings.quote('😀')"), "\"😀\"");
  EXPECT_EQ(EvalString("strings.quote('')"), "\"\"");
}

TEST(StringsExtensionTest, ReverseIsNotEnabled) {
  EXPECT_THAT(EvalError("'abc'.reverse()"), testing::Not(testing::StartsWith("<no error")));
}

TEST(StringsExtensionTest, FormatBasics) {
  EXPECT_EQ(EvalString("'%% and %s'.format(['x'])"), "% and x");
  EXPECT_EQ(EvalString("'%d %d'.format([-7, 7u])"), "-7 7");
  EXPECT_EQ(EvalString("'%b %b %b'.format([5, uint(64), true])"), "101 1000000 1");
  EXPECT_EQ(EvalString("'%o %o'.format([11, -8])"), "13 -10");
  EXPECT_EQ(EvalString("'%x %X %x'.format([30, 30, -30])"), "1e 1E -1e");
  EXPECT_EQ(EvalString("'%x'.format(['Hello'])"), "48656c6c6f");
  EXPECT_EQ(EvalString("'%X'.format([b'\\xff\\x01'])"), "FF01");
}

TEST(StringsExtensionTest, FormatString) {
  EXPECT_EQ(EvalString("'%s'.format([null])"), "null");
  EXPECT_EQ(EvalString("'%s %s'.format([56.8, 1e21])"), "56.8 1e+21");
  EXPECT_EQ(EvalString("'%s'.format([type(1)])"), "int");
  EXPECT_EQ(EvalString("'%s'.format([b'xyz'])"), "xyz");
  EXPECT_EQ(EvalString("'%s'.format([duration('1h45m47s')])"), "6347s");
  EXPECT_EQ(EvalString("'%s'.format([timestamp('2023-02-03T23:31:20+00:00')])"),
            "2023-02-03T23:31:20Z");
  // The pre-v4 formatter renders lists and maps with CEL-like quoting.
  EXPECT_EQ(EvalString("'%s'.format([['abc', 3.14, null, [9], b'x', true]])"),
            "[\"abc\", 3.140000, null, [9], b\"x\", true]");
  EXPECT_EQ(EvalString("'%s'.format([[double('NaN'), double('-Infinity')]])"),
            "[\"NaN\", \"-Inf\"]");
  EXPECT_EQ(EvalString("'%s'.format([[timestamp('2023-02-03T23:31:20Z'), duration('2h')]])"),
            "[timestamp(\"2023-02-03T23:31:20Z\"), duration(\"7200s\")]");
  EXPECT_EQ(EvalString("'%s'.format([{'b': 1, 'a': 'x', 2: true}])"),
            "{\"a\":\"x\", \"b\":1, 2:true}");
}

TEST(StringsExtensionTest, FormatFixedPoint) {
  EXPECT_EQ(EvalString("'%.3f'.format([1.2345])"), "1.234");
  EXPECT_EQ(EvalString("'%f'.format([2.71828])"), "2.718280");
  EXPECT_EQ(EvalString("'%.0f'.format([2.5])"), "2");
  EXPECT_EQ(EvalString("'%.0f'.format([1.5])"), "2");
  EXPECT_EQ(EvalString("'%.0f'.format([3.4999])"), "3");
  EXPECT_EQ(EvalString("'%.5f'.format([-1.2])"), "-1.20000");
  EXPECT_EQ(EvalString("'%.3f'.format([-123.4999])"), "-123.500");
  // en-US grouping, and x/text's symbols for infinities.
  EXPECT_EQ(EvalString("'%.2f'.format([1234567.891])"), "1,234,567.89");
  EXPECT_EQ(EvalString("'%f'.format([double('NaN')])"), "NaN");
  EXPECT_EQ(EvalString("'%f'.format([double('Infinity')])"), "∞");
  EXPECT_EQ(EvalString("'%f'.format([double('-Infinity')])"), "-∞");
  EXPECT_EQ(EvalString("'%.1f'.format(['NaN'])"), "NaN");
  // x/text rounds a lone 5 at the first digit up.
  EXPECT_EQ(EvalString("'%.0f'.format([0.5])"), "1");
  EXPECT_EQ(EvalString("'%.0f'.format([0.006])"), "0");
  EXPECT_EQ(EvalString("'%.2f'.format([-0.0001])"), "0.00");
  EXPECT_EQ(EvalString("'%.2f'.format([-0.006])"), "-0.01");
  // Go's printer refuses precisions past 1e7 while parsing its format.
  EXPECT_EQ(EvalString("'%.10000010f'.format([1.0])"), "%!(NOVERB)");
}

TEST(StringsExtensionTest, FormatScientific) {
  EXPECT_EQ(EvalString("'%.6e'.format([1052.032911275])"), "1.052033×10⁰³");
  EXPECT_EQ(EvalString("'%e'.format([2.71828])"), "2.718280×10⁰⁰");
  EXPECT_EQ(EvalString("'%e'.format([-0.00125])"), "-1.250000×10⁻⁰³");
  EXPECT_EQ(EvalString("'%e'.format([double('NaN')])"), "   NaN");
  EXPECT_EQ(EvalString("'%e'.format([double('-Infinity')])"), "    -∞");
}

TEST(StringsExtensionTest, FormatErrors) {
  EXPECT_EQ(EvalError("'%a'.format([1])"),
            "could not parse formatting clause: unrecognized formatting clause \"a\"");
  EXPECT_EQ(EvalError("'%d %d %d'.format([0, 1])"), "index 2 out of range");
  EXPECT_EQ(EvalError("'%'.format([])"), "index 0 out of range");
  EXPECT_EQ(EvalError("'%'.format([1])"), "unexpected end of string");
  EXPECT_EQ(EvalError("'%.3'.format([1.0])"),
            "could not parse formatting clause: error while parsing precision: could not find "
            "end of precision specifier");
  EXPECT_EQ(EvalError("'%b'.format(['abc'])"),
            "error during formatting: only integers and bools can be formatted as binary, was "
            "given string");
  EXPECT_EQ(EvalError("'%d'.format([duration('30m2s')])"),
            "error during formatting: decimal clause can only be used on integers, was given "
            "google.protobuf.Duration");
  EXPECT_EQ(EvalError("'%x'.format([0.5])"),
            "error during formatting: only integers, byte buffers, and strings can be formatted "
            "as hex, was given double");
  EXPECT_EQ(EvalError("'%f'.format([2])"),
            "error during formatting: fixed-point clause can only be used on doubles, was given "
            "int");
  EXPECT_EQ(EvalError("'%e'.format([null])"),
            "error during formatting: scientific clause can only be used on doubles, was given "
            "null_type");
  EXPECT_EQ(EvalError("'%s'.format([optional.of(1)])"),
            "error during formatting: string clause can only be used on strings, bools, bytes, "
            "ints, doubles, maps, lists, types, durations, and timestamps, was given "
            "optional_type");
}

TEST(StringsExtensionTest, RuntimeCost) {
  auto cost = [](std::string_view expr) {
    auto parsed = Parse(expr, ParseOptions{});
    EXPECT_TRUE(parsed.ok());
    auto program = Program::Create(*parsed->expr, Registry(), ProgramOptions{});
    EXPECT_TRUE(program.ok());
    Activation activation;
    EvalDetails details;
    (*program)->Evaluate(activation, &details);
    return details.actual_cost;
  };
  // Kubernetes: ceil(25 code points × 0.1) = 3 for lowerAscii on a constant.
  EXPECT_EQ(cost("'abcdefghijklmnopqrstuvwxy'.lowerAscii()"), 3);
  // replace: ceil(25 × 2 × 0.1) = 5.
  EXPECT_EQ(cost("'abcdefghijklmnopqrstuvwxy'.replace('a', 'b')"), 5);
  // charAt keeps cel-go's default of 1.
  EXPECT_EQ(cost("'abc'.charAt(1)"), 1);
}

// Every `core` case of string_ext.textproto, through the conformance runner.
TEST(StringsExtensionConformanceTest, CoreCases) {
  const std::string dir = StrCat(DRA_SHARED_DIR, "/conformance/cel/");
  auto scope = conformance::LoadScope(dir + "scope.tsv");
  ASSERT_TRUE(scope.ok()) << scope.status();
  auto cases = conformance::LoadTextprotoCases(dir + "string_ext.textproto", *scope);
  ASSERT_TRUE(cases.ok()) << cases.status();
  int core = 0;
  int passed = 0;
  for (const conformance::CelCase& c : *cases) {
    if (c.scope != "core") continue;
    ++core;
    conformance::CaseResult r = conformance::RunCase(c, Registry());
    if (r.status == conformance::CaseResult::Status::kPass) {
      ++passed;
    } else {
      std::printf("FAIL %s: %s\n  expr: %s\n", c.id.c_str(), r.detail.c_str(), c.expr.c_str());
    }
  }
  std::printf("string_ext core: %d passed / %d\n", passed, core);
  EXPECT_EQ(core, 185);
  EXPECT_GE(passed, 185);
}

}  // namespace
}  // namespace dra::cel
