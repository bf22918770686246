#include <atomic>
#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "dra/cel/device.h"
#include "dra/cel/parser/parser.h"
#include "dra/cel/selector.h"
#include "dra/cel/runtime/activation.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/interpreter.h"
#include "dra/cel/runtime/value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Counts heap allocations so tests can assert that the selector fast path does not allocate.
namespace {
std::atomic<int64_t> g_allocations{0};
}  // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace dra::cel {
namespace {

using ::testing::HasSubstr;

// --- Hand-built ASTs ---------------------------------------------------------------------------

int64_t next_id = 1;
ExprPtr Make(decltype(Expr::kind) kind) {
  auto e = std::make_unique<Expr>();
  e->id = next_id++;
  e->kind = std::move(kind);
  return e;
}
ExprPtr Ident(std::string name) { return Make(IdentExpr{std::move(name)}); }
ExprPtr Str(std::string s) { return Make(Constant{std::move(s)}); }
ExprPtr Int(int64_t i) { return Make(Constant{i}); }
ExprPtr Select(ExprPtr operand, std::string field, bool test_only = false) {
  return Make(SelectExpr{std::move(operand), std::move(field), test_only});
}
ExprPtr Call(std::string fn, std::vector<ExprPtr> args, ExprPtr target = nullptr) {
  CallExpr c;
  c.target = std::move(target);
  c.function = std::move(fn);
  c.args = std::move(args);
  return Make(std::move(c));
}
template <typename... E>
std::vector<ExprPtr> Args(E... e) {
  std::vector<ExprPtr> v;
  (v.push_back(std::move(e)), ...);
  return v;
}

// A host-backed map with string keys: the kind of provider DRA uses for a device.
class HostMap final : public MapValue {
 public:
  void Set(std::string key, Value v) { entries_[std::move(key)] = std::move(v); }
  size_t Size() const override { return entries_.size(); }
  std::optional<Value> Find(const Value& key) const override {
    if (key.kind() != ValueKind::kString) return std::nullopt;
    return FindField(key.string_view());
  }
  std::optional<Value> FindField(std::string_view name) const override {
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override {
    for (const auto& [k, v] : entries_) {
      if (!fn(Value::StringView(k), v)) return;
    }
  }

 private:
  std::map<std::string, Value, std::less<>> entries_;
};

// --- Helpers over the parser -------------------------------------------------------------------

struct Result {
  Value value;
  int64_t cost = 0;
};

Result RunCel(std::string_view text, const Activation& act = Activation(),
              ProgramOptions options = {}) {
  absl::StatusOr<ParsedExpr> parsed = Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status();
  if (!parsed.ok()) return {Value::Error("parse error")};
  absl::StatusOr<std::unique_ptr<Program>> program =
      Program::Create(*parsed->expr, FunctionRegistry::Standard(), options);
  EXPECT_TRUE(program.ok()) << text << ": " << program.status();
  if (!program.ok()) return {Value::Error(std::string(program.status().message()))};
  EvalDetails details;
  Value v = (*program)->Evaluate(act, &details).Own();
  return {v, details.actual_cost};
}

std::string Eval(std::string_view text, const Activation& act = Activation()) {
  return RunCel(text, act).value.DebugString();
}

void ExpectValue(std::string_view text, std::string_view expected) {
  EXPECT_EQ(Eval(text), expected) << text;
}

void ExpectError(std::string_view text, std::string_view substring) {
  Value v = RunCel(text).value;
  ASSERT_TRUE(v.IsError()) << text << " gave " << v.DebugString();
  EXPECT_THAT(v.error_message(), HasSubstr(std::string(substring))) << text;
}

// --- Values --------------------------------------------------------------------------------------

TEST(ValueTest, ScalarsAreInlineAndOwnedStringsShare) {
  Value a = Value::String("a fairly long string that does not fit inline");
  Value b = a;
  EXPECT_EQ(a.string_view().data(), b.string_view().data());
  EXPECT_TRUE(Equal(Value::Int(1), Value::Uint(1)).IsTrue());
  EXPECT_TRUE(Equal(Value::Int(1), Value::Double(1.0)).IsTrue());
  EXPECT_TRUE(Equal(Value::Int(1), Value::String("1")).IsFalse());
  EXPECT_TRUE(Equal(Value::Double(NAN), Value::Double(NAN)).IsFalse());
  EXPECT_EQ(Compare(Value::Int(-1), Value::Uint(0)).int_value(), -1);
  EXPECT_THAT(Compare(Value::Double(NAN), Value::Int(1)).error_message(), HasSubstr("NaN"));
}

TEST(ValueTest, MapKeysAreHeterogeneousNumbers) {
  auto m = MakeRef<VectorMapValue>();
  for (int i = 0; i < 20; ++i) m->Put(Value::Int(i), Value::Int(i * 10));
  m->Put(Value::String("k"), Value::Bool(true));
  m->Put(Value::Bool(true), Value::Int(-1));
  EXPECT_EQ(m->Find(Value::Uint(3))->int_value(), 30);
  EXPECT_EQ(m->Find(Value::Double(4.0))->int_value(), 40);
  EXPECT_FALSE(m->Find(Value::Double(4.5)).has_value());
  EXPECT_EQ(m->Find(Value::Bool(true))->int_value(), -1);
  EXPECT_FALSE(m->Find(Value::Bool(false)).has_value());
  EXPECT_TRUE(m->FindField("k")->IsTrue());
  m->Put(Value::Uint(3), Value::Int(33));  // last write wins
  EXPECT_EQ(m->Find(Value::Int(3))->int_value(), 33);
  EXPECT_EQ(m->Size(), 22u);
}

TEST(ValueTest, FormatDoubleMatchesGo) {
  EXPECT_EQ(FormatDouble(1.5), "1.5");
  EXPECT_EQ(FormatDouble(1e6), "1e+06");
  EXPECT_EQ(FormatDouble(123456), "123456");
  EXPECT_EQ(FormatDouble(1e20), "1e+20");
  EXPECT_EQ(FormatDouble(1e-7), "1e-07");
  EXPECT_EQ(FormatDouble(-4.5e-3), "-0.0045");
  EXPECT_EQ(FormatDouble(123.456), "123.456");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(1.0 / 0.0), "+Inf");
}

TEST(ValueTest, TimestampRange) {
  EXPECT_TRUE(Value::Timestamp(-62135596800, 0).kind() == ValueKind::kTimestamp);
  EXPECT_TRUE(Value::Timestamp(-62135596801, 0).IsError());
  EXPECT_TRUE(Value::Timestamp(253402300800, 0).IsError());
}

// --- Hand-built AST, host-backed device ----------------------------------------------------------

TEST(InterpreterTest, HandBuiltSelectorOnHostMapDoesNotAllocate) {
  ExprPtr e = Call("_==_", Args(Select(Ident("device"), "driver"), Str("gpu.nvidia.com")));
  auto program = Program::Create(*e);
  ASSERT_TRUE(program.ok()) << program.status();
  HostMap device;
  device.Set("driver", Value::StringView("gpu.nvidia.com"));
  Activation act;
  act.Bind("device", Value::MapView(&device));
  EXPECT_TRUE((*program)->Evaluate(act).IsTrue());
  int64_t before = g_allocations.load();
  for (int i = 0; i < 100; ++i) {
    Activation a;
    a.Bind("device", Value::MapView(&device));
    EXPECT_TRUE((*program)->Evaluate(a).IsTrue());
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  device.Set("driver", Value::StringView("other"));
  EXPECT_TRUE((*program)->Evaluate(act).IsFalse());
}

TEST(InterpreterTest, HandBuiltMissingKeyAndHas) {
  ExprPtr e = Select(Ident("m"), "missing");
  ExprPtr h = Select(Ident("m"), "missing", /*test_only=*/true);
  HostMap m;
  Activation act;
  act.Bind("m", Value::MapView(&m));
  Value v = (*Program::Create(*e))->Evaluate(act);
  ASSERT_TRUE(v.IsError());
  EXPECT_EQ(v.error_message(), "no such key: missing");
  EXPECT_TRUE((*Program::Create(*h))->Evaluate(act).IsFalse());
}

TEST(InterpreterTest, UnknownFunctionFailsAtEvaluation) {
  ExprPtr e = Call("noSuchFunction", Args(Int(1)));
  auto program = Program::Create(*e);
  ASSERT_TRUE(program.ok()) << program.status();
  Activation act;
  Value v = (*program)->Evaluate(act);
  ASSERT_EQ(v.kind(), ValueKind::kError);
  EXPECT_EQ(v.error_message(), "no such overload: noSuchFunction");
}

TEST(InterpreterTest, ConcurrentEvaluation) {
  absl::StatusOr<ParsedExpr> parsed = Parse("[1, 2, 3].map(x, x * n).exists(y, y == 3 * n)");
  ASSERT_TRUE(parsed.ok());
  auto program = Program::Create(*parsed->expr);
  ASSERT_TRUE(program.ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        Activation act;
        act.Bind("n", Value::Int(t + i));
        if ((*program)->Evaluate(act).IsTrue()) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 800);
}

// --- Semantics through the parser ----------------------------------------------------------------

TEST(SemanticsTest, Literals) {
  ExpectValue("1", "1");
  ExpectValue("1u", "1u");
  ExpectValue("-9223372036854775808", "-9223372036854775808");
  ExpectValue("2.5", "2.5");
  ExpectValue("'a\\nb'", "\"a\\nb\"");
  ExpectValue("b'ab'", "b\"ab\"");
  ExpectValue("null", "null");
  ExpectValue("[1, 'a', null]", "[1, \"a\", null]");
  ExpectValue("{'a': 1, 2: true}", "{\"a\": 1, 2: true}");
  ExpectValue("{'a': 1, 'a': 2}", "{\"a\": 2}");
}

TEST(SemanticsTest, IntegerArithmetic) {
  ExpectValue("-7 / 2", "-3");
  ExpectValue("-7 % 3", "-1");
  ExpectValue("7u / 2u", "3u");
  ExpectError("9223372036854775807 + 1", "integer overflow");
  ExpectError("-9223372036854775808 - 1", "integer overflow");
  ExpectError("9223372036854775807 * 2", "integer overflow");
  ExpectError("-(-9223372036854775808)", "integer overflow");
  ExpectError("-9223372036854775808 / -1", "integer overflow");
  ExpectError("-9223372036854775808 % -1", "integer overflow");
  ExpectError("1 / 0", "division by zero");
  ExpectError("1 % 0", "modulus by zero");
  ExpectError("1u / 0u", "division by zero");
  ExpectError("0u - 1u", "unsigned integer overflow");
  ExpectError("18446744073709551615u + 1u", "unsigned integer overflow");
  ExpectError("1 + 1u", "no such overload");
  ExpectError("1.0 % 2.0", "no such overload");
}

TEST(SemanticsTest, DoubleArithmetic) {
  ExpectValue("1.0 / 0.0", "+Inf");
  ExpectValue("-1.0 / 0.0", "-Inf");
  ExpectValue("0.5 + 0.25", "0.75");
  ExpectValue("double('NaN') == double('NaN')", "false");
  ExpectError("double('NaN') < 1.0", "NaN values cannot be ordered");
}

TEST(SemanticsTest, HeterogeneousComparison) {
  ExpectValue("dyn(1) == 1.0", "true");
  ExpectValue("dyn(1u) == 1", "true");
  ExpectValue("dyn(1) == '1'", "false");
  ExpectValue("1 < 1.5", "true");
  ExpectValue("-1 < 0u", "true");
  ExpectValue("2u > 1.5", "true");
  ExpectValue("[1, 2] == [1.0, 2u]", "true");
  ExpectValue("{1: 'a'} == {1u: 'a'}", "true");
  ExpectValue("{'a': 1} == {'a': 2}", "false");
  ExpectValue("[1] == [1, 2]", "false");
  ExpectValue("null == null", "true");
  ExpectValue("dyn(null) == 0", "false");
  ExpectError("'a' > dyn(1)", "no such overload");
  ExpectValue("false < true", "true");
  ExpectValue("b'a' < b'b'", "true");
}

TEST(SemanticsTest, Strings) {
  ExpectValue("'Z' < 'a'", "true");
  ExpectValue("'é' > 'z'", "true");
  ExpectValue("size('héllo')", "5");
  ExpectValue("'héllo'.size()", "5");
  ExpectValue("size(b'h\\xc3\\xa9')", "3");
  ExpectValue("'abc' + 'def'", "\"abcdef\"");
  ExpectValue("'hello'.contains('ell')", "true");
  ExpectValue("'hello'.startsWith('he')", "true");
  ExpectValue("'hello'.endsWith('lo')", "true");
  ExpectValue("'hello'.matches('l+')", "true");
  ExpectValue("matches('hello', '^h.*o$')", "true");
  ExpectValue("'hello'.matches('^l')", "false");
  ExpectError("'hello'.matches('(')", "invalid");
}

TEST(SemanticsTest, Logic) {
  ExpectValue("false && (1 / 0 == 1)", "false");
  ExpectValue("(1 / 0 == 1) && false", "false");
  ExpectValue("true || (1 / 0 == 1)", "true");
  ExpectValue("(1 / 0 == 1) || true", "true");
  ExpectError("true && (1 / 0 == 1)", "division by zero");
  ExpectError("false || (1 / 0 == 1)", "division by zero");
  ExpectError("(1 / 0 == 1) && (2 % 0 == 1)", "division by zero");
  ExpectValue("dyn(1) || true", "true");
  ExpectError("dyn(1) && true", "no such overload");
  ExpectValue("!true", "false");
  ExpectValue("true ? 1 : 1 / 0", "1");
  ExpectValue("false ? 1 / 0 : 2", "2");
  ExpectError("dyn(1) ? 1 : 2", "no such overload");
}

TEST(SemanticsTest, ListsAndMaps) {
  ExpectValue("[1, 2] + [3]", "[1, 2, 3]");
  ExpectValue("[1, 2, 3][1]", "2");
  ExpectValue("[1, 2, 3][dyn(1u)]", "2");
  ExpectValue("[1, 2, 3][dyn(2.0)]", "3");
  ExpectError("[1, 2, 3][3]", "index out of bounds: 3");
  ExpectError("[1, 2, 3][-1]", "index out of bounds: -1");
  ExpectValue("2 in [1, 2]", "true");
  ExpectValue("2.0 in [1, 2]", "true");
  ExpectValue("'a' in {'a': 1}", "true");
  ExpectValue("1u in {1: 'x'}", "true");
  ExpectValue("{'a': 1}.a", "1");
  ExpectValue("{'a': 1}['a']", "1");
  ExpectValue("{1: 'x'}[1u]", "\"x\"");
  ExpectValue("{1: 'x'}[1.0]", "\"x\"");
  ExpectError("{'a': 1}.b", "no such key: b");
  ExpectError("{'a': 1}['b']", "no such key: b");
  ExpectValue("has({'a': 1}.a)", "true");
  ExpectValue("has({'a': 1}.b)", "false");
  ExpectError("has(dyn(1).a)", "no such overload");
  ExpectValue("size([1, 2])", "2");
  ExpectValue("size({'a': 1})", "1");
  ExpectError("{[1]: 2}", "unsupported key type");
}

TEST(SemanticsTest, Conversions) {
  ExpectValue("int('123')", "123");
  ExpectValue("int(-1.9)", "-1");
  ExpectValue("int(2u)", "2");
  ExpectError("int(1e19)", "integer overflow");
  ExpectError("int(18446744073709551615u)", "integer overflow");
  ExpectError("int('abc')", "invalid syntax");
  ExpectError("int('9223372036854775808')", "out of range");
  ExpectValue("uint(1.5)", "1u");
  ExpectError("uint(-1)", "unsigned integer overflow");
  ExpectError("uint(-1.0)", "unsigned integer overflow");
  ExpectValue("double('1e3')", "1000");
  ExpectValue("double('inf')", "+Inf");
  ExpectValue("double(3)", "3");
  ExpectValue("string(1.5)", "\"1.5\"");
  ExpectValue("string(1000000.0)", "\"1e+06\"");
  ExpectValue("string(-4.5e-3)", "\"-0.0045\"");
  ExpectValue("string(12u)", "\"12\"");
  ExpectValue("string(true)", "\"true\"");
  ExpectValue("string(b'abc')", "\"abc\"");
  ExpectError("string(b'\\xff')", "invalid UTF-8");
  ExpectValue("bytes('abc')", "b\"abc\"");
  ExpectValue("bool('True')", "true");
  ExpectValue("bool('f')", "false");
  ExpectError("bool('yes')", "invalid syntax");
  ExpectValue("type(1)", "type(int)");
  ExpectValue("type(1) == int", "true");
  ExpectValue("type('a') == string", "true");
  ExpectValue("type(type(1))", "type(type)");
  ExpectValue("type(null)", "type(null_type)");
  ExpectValue("type([]) == list && type({}) == map", "true");
  ExpectValue("dyn([1])", "[1]");
}

TEST(SemanticsTest, TimestampsAndDurations) {
  ExpectValue("timestamp('2023-01-02T03:04:05Z')", "timestamp(\"2023-01-02T03:04:05Z\")");
  ExpectValue("string(timestamp('2023-01-02T03:04:05.120Z'))", "\"2023-01-02T03:04:05.12Z\"");
  ExpectValue("timestamp('2023-01-02T03:04:05+01:00').getHours()", "2");
  ExpectValue("timestamp('2023-01-02T03:04:05Z').getFullYear()", "2023");
  ExpectValue("timestamp('2023-01-02T03:04:05Z').getMonth()", "0");
  ExpectValue("timestamp('2023-01-02T03:04:05Z').getDayOfMonth()", "1");
  ExpectValue("timestamp('2023-01-02T03:04:05Z').getDate()", "2");
  ExpectValue("timestamp('2023-01-02T03:04:05Z').getDayOfYear()", "1");
  ExpectValue("timestamp('2023-01-01T03:04:05Z').getDayOfWeek()", "0");
  ExpectValue("timestamp('2023-01-02T03:04:05Z').getHours('-05:00')", "22");
  ExpectValue("timestamp('2023-07-02T03:04:05Z').getHours('America/New_York')", "23");
  ExpectValue("timestamp('2023-01-02T03:04:05.250Z').getMilliseconds()", "250");
  ExpectValue("duration('1h30m')", "duration(\"5400s\")");
  ExpectValue("duration('1.5s')", "duration(\"1.5s\")");
  ExpectValue("duration('-1m').getSeconds()", "-60");
  ExpectValue("duration('90m').getHours()", "1");
  ExpectValue("string(duration('3600s'))", "\"3600s\"");
  ExpectValue(
      "timestamp('2023-01-02T00:00:00Z') + duration('24h') == "
      "timestamp('2023-01-03T00:00:00Z')",
      "true");
  ExpectValue("timestamp('2023-01-02T00:00:00Z') - timestamp('2023-01-01T00:00:00Z')",
              "duration(\"86400s\")");
  ExpectValue("int(timestamp('1970-01-01T00:01:00Z'))", "60");
  ExpectValue("timestamp(60) == timestamp('1970-01-01T00:01:00Z')", "true");
  ExpectValue("duration('1s') < duration('2s')", "true");
  ExpectError("timestamp('9999-12-31T23:59:59Z') + duration('1s')", "range");
  ExpectError("timestamp('0001-01-01T00:00:00Z') - duration('1ns')", "range");
  ExpectError("timestamp(253402300800)", "range");
  ExpectError("timestamp('2023-13-01T00:00:00Z')", "timestamp");
  ExpectError("duration('1x')", "invalid duration");
  ExpectError("duration('9223372036854775807s')", "invalid duration");
}

TEST(SemanticsTest, Macros) {
  ExpectValue("[1, 2, 3].all(x, x > 0)", "true");
  ExpectValue("[1, 2, 3].exists(x, x > 2)", "true");
  ExpectValue("[1, 2, 3].exists_one(x, x > 1)", "false");
  ExpectValue("[1, 2, 3].map(x, x * 2)", "[2, 4, 6]");
  ExpectValue("[1, 2, 3].map(x, x > 1, x * 2)", "[4, 6]");
  ExpectValue("[1, 2, 3].filter(x, x != 2)", "[1, 3]");
  ExpectValue("{'a': 1, 'b': 2}.map(k, k)", "[\"a\", \"b\"]");
  ExpectValue("[0, -1].all(x, 1 / x > 0)", "false");
  ExpectError("[0, 1].all(x, 1 / x > 0)", "division by zero");
  ExpectValue("{'a': 1}.transformMapEntry(k, v, {k + 'x': v})", "{\"ax\": 1}");
  ExpectError("{'a': 1, 'b': 2}.transformMapEntry(k, v, {'z': v})", "already exists");
  ExpectValue("[1, 0].exists(x, 1 / x == 1)", "true");
  ExpectError("[1, 0].all(x, 1 / x > 0)", "division by zero");
  ExpectError("[1, 0].exists_one(x, 1 / x == 1)", "division by zero");
  ExpectValue("[10, 20].all(i, v, v == (i + 1) * 10)", "true");
  ExpectValue("{'a': 1}.exists(k, v, k == 'a' && v == 1)", "true");
  ExpectValue("[1, 2].transformList(i, v, v + i)", "[1, 3]");
  ExpectValue("{'a': 1}.transformMap(k, v, v + 1)", "{\"a\": 2}");
  ExpectValue("cel.bind(x, 2, x * x)", "4");
  ExpectValue("cel.bind(x, 1 / 0, true)", "true");
  ExpectValue("cel.bind(a, 1, cel.bind(b, a + 1, a + b))", "3");
  ExpectValue("[1, 2].map(x, cel.bind(y, x * 10, y + x))", "[11, 22]");
  ExpectValue("[[1], [2, 3]].exists(l, l.exists(x, x == 3))", "true");
  ExpectError("1.all(x, true)", "cannot iterate");
}

TEST(SemanticsTest, Optionals) {
  ExpectValue("optional.of(1)", "optional.of(1)");
  ExpectValue("optional.none()", "optional.none()");
  ExpectValue("optional.ofNonZeroValue(0)", "optional.none()");
  ExpectValue("optional.ofNonZeroValue('a')", "optional.of(\"a\")");
  ExpectValue("optional.of(1).hasValue()", "true");
  ExpectValue("optional.of(1).value()", "1");
  ExpectError("optional.none().value()", "optional.none()");
  ExpectValue("optional.none().orValue(5)", "5");
  ExpectValue("optional.of(1).orValue(1 / 0)", "1");
  ExpectValue("optional.none().or(optional.of(2))", "optional.of(2)");
  ExpectValue("optional.of(1).or(optional.of(1 / 0))", "optional.of(1)");
  ExpectValue("{'a': 1}.?a", "optional.of(1)");
  ExpectValue("{'a': 1}.?b", "optional.none()");
  ExpectValue("{'a': 1}.?b.orValue(7)", "7");
  ExpectValue("{'a': {'b': 2}}.?a.b", "optional.of(2)");
  ExpectValue("{'a': {'b': 2}}.?a.c", "optional.none()");
  ExpectValue("{'a': 1}[?'a']", "optional.of(1)");
  ExpectValue("[1, 2][?5]", "optional.none()");
  ExpectValue("[1, 2][?1]", "optional.of(2)");
  ExpectValue("[1, ?optional.none(), ?optional.of(3)]", "[1, 3]");
  ExpectValue("{'a': 1, ?'b': optional.none(), ?'c': optional.of(3)}", "{\"a\": 1, \"c\": 3}");
  ExpectValue("optional.of(2).optMap(x, x * 3)", "optional.of(6)");
  ExpectValue("optional.none().optMap(x, x * 3)", "optional.none()");
  ExpectValue("optional.of(2).optFlatMap(x, optional.of(x + 1))", "optional.of(3)");
  ExpectValue("[1, 2].first()", "optional.of(1)");
  ExpectValue("[].last()", "optional.none()");
  ExpectValue("optional.unwrap([optional.of(1), optional.none()])", "[1]");
  ExpectValue("optional.of(1) == optional.of(1)", "true");
}

TEST(SemanticsTest, Variables) {
  HostMap device;
  HostMap attrs;
  HostMap domain;
  domain.Set("model", Value::StringView("a100"));
  domain.Set("cores", Value::Int(64));
  attrs.Set("gpu.example.com", Value::MapView(&domain));
  device.Set("driver", Value::StringView("gpu.example.com"));
  device.Set("attributes", Value::MapView(&attrs));
  Activation act;
  act.Bind("device", Value::MapView(&device));
  act.Bind("a.b", Value::Int(7));
  EXPECT_EQ(Eval("device.driver == 'gpu.example.com'", act), "true");
  EXPECT_EQ(Eval("device.attributes['gpu.example.com'].model", act), "\"a100\"");
  EXPECT_EQ(Eval("device.attributes['gpu.example.com'].cores > 32", act), "true");
  EXPECT_EQ(Eval("has(device.attributes['gpu.example.com'].model)", act), "true");
  EXPECT_EQ(Eval("has(device.attributes['gpu.example.com'].memory)", act), "false");
  EXPECT_EQ(Eval("device.attributes['gpu.example.com'].?memory.orValue(0)", act), "0");
  EXPECT_EQ(Eval("device.attributes['gpu.example.com'].memory", act), "error(no such key: memory)");
  EXPECT_EQ(Eval("device.attributes.exists(d, d == 'gpu.example.com')", act), "true");
  EXPECT_EQ(Eval("a.b + 1", act), "8");
  EXPECT_THAT(Eval("nope", act), HasSubstr("no such attribute"));
  EXPECT_EQ(Eval("[1].exists(device, device == 1)", act), "true");  // shadowing
}

TEST(SemanticsTest, CostTracking) {
  Result r = RunCel("[1, 2, 3].map(x, x * 2)");
  EXPECT_GT(r.cost, 0);
  ProgramOptions limited;
  limited.cost_limit = 100;
  Result big = RunCel(
      "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
      ".all(b, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(c, a + b + c > 0)))",
      Activation(), limited);
  ASSERT_TRUE(big.value.IsError());
  EXPECT_EQ(big.value.error_message(), "operation cancelled: actual cost limit exceeded");
  Result small = RunCel("1 + 1 == 2", Activation(), limited);
  EXPECT_TRUE(small.value.IsTrue());
}

}  // namespace
}  // namespace dra::cel

namespace dra::cel {
namespace {

// The DRA selectors of the benchmarks, through the full compile path (checker, folding, the
// device binding): matching a device allocates nothing.
TEST(SelectorAllocationTest, MatchingDoesNotAllocate) {
  api::Device device;
  device.name = "gpu-0";
  device.attributes["driverVersion"].version = "1.2.3";
  device.attributes["model"].string_ = "NVIDIA H100 80GB HBM3";
  device.capacity["memory"].value = *Quantity::Parse("80Gi");
  auto binding = DeviceBinding::Create("test-driver.cdi.k8s.io", device);
  ASSERT_TRUE(binding.ok()) << binding.status();
  for (const char* expression :
       {R"(device.driver == "test-driver.cdi.k8s.io")",
        R"(device.attributes["test-driver.cdi.k8s.io"].driverVersion.major() >= 1 && )"
        R"(device.capacity["test-driver.cdi.k8s.io"].memory.isGreaterThan(quantity("1Mi")))",
        R"(device.attributes["test-driver.cdi.k8s.io"].model.startsWith("NVIDIA"))",
        R"("test-driver.cdi.k8s.io" in device.attributes)"}) {
    auto compiled = CompiledExpression::Compile(expression);
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    ASSERT_TRUE(*(*compiled)->Matches(*binding)) << expression;  // warm up (thread_local)
    int64_t before = g_allocations.load();
    for (int i = 0; i < 100; ++i) {
      auto matched = (*compiled)->Matches(*binding);
      ASSERT_TRUE(matched.ok() && *matched);
    }
    EXPECT_EQ(g_allocations.load() - before, 0) << expression;
  }
}

}  // namespace
}  // namespace dra::cel
