#include "dra/cel/conformance/cases.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/cel/conformance/textproto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#ifndef DRA_SHARED_DIR
#error "DRA_SHARED_DIR must name the shared directory (holding conformance/cel/)"
#endif

namespace dra::cel::conformance {
namespace {

using ::testing::HasSubstr;
using Kind = ExpectedValue::Kind;

const std::string& CelDir() {
  static const std::string* dir = new std::string(std::string(DRA_SHARED_DIR) + "/conformance/cel");
  return *dir;
}

std::vector<std::string> TextprotoPaths() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(CelDir())) {
    if (entry.path().extension() == ".textproto") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// All textproto cases, loaded once.
const std::vector<CelCase>& AllTextprotoCases() {
  static const std::vector<CelCase>* cases = [] {
    auto* out = new std::vector<CelCase>();
    absl::StatusOr<ScopeTable> scope = LoadScope(CelDir() + "/scope.tsv");
    if (!scope.ok()) return out;
    for (const std::string& path : TextprotoPaths()) {
      absl::StatusOr<std::vector<CelCase>> cases = LoadTextprotoCases(path, *scope);
      if (!cases.ok()) continue;
      out->insert(out->end(), cases->begin(), cases->end());
    }
    return out;
  }();
  return *cases;
}

const CelCase* FindCase(const std::vector<CelCase>& cases, std::string_view id) {
  for (const CelCase& c : cases) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// textproto reader

TEST(TextprotoTest, ParsesTheSyntaxTheFilesUse) {
  absl::StatusOr<TextMessage> m = ParseTextproto(R"pb(
    # comment
    name: "a"
          'b'  # adjacent literals
    n: -12,
    d: -inf
    ; e: 1.5e-3
    id: NULL_VALUE
    msg { x: 1 }
    msg: { x: 2 }
    list: [1, 2]
    any { [type.googleapis.com/pkg.Msg] { f: "\x41\101\n\'" } }
  )pb");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Find("name")->text, "ab");
  EXPECT_EQ(*m->Find("n")->AsInt64(), -12);
  EXPECT_TRUE(std::isinf(*m->Find("d")->AsDouble()));
  EXPECT_LT(*m->Find("d")->AsDouble(), 0);
  EXPECT_DOUBLE_EQ(*m->Find("e")->AsDouble(), 1.5e-3);
  EXPECT_EQ(*m->Find("id")->AsIdentifier(), "NULL_VALUE");
  ASSERT_EQ(m->FindAll("msg").size(), 2u);
  EXPECT_EQ(*m->FindAll("msg")[1]->message.Find("x")->AsInt64(), 2);
  EXPECT_EQ(m->FindAll("list").size(), 2u);
  const TextMessage& any = m->Find("any")->message;
  ASSERT_EQ(any.fields().size(), 1u);
  EXPECT_EQ(any.fields()[0].name, "[type.googleapis.com/pkg.Msg]");
  EXPECT_EQ(any.fields()[0].value.message.Find("f")->text, "AA\n'");
}

TEST(TextprotoTest, ErrorsCarryLineAndColumn) {
  absl::StatusOr<TextMessage> m = ParseTextproto("a: 1\nb {\n  c: \"x\n}\n", "f.textproto");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(std::string(m.status().message()), HasSubstr("f.textproto:3:6"));
  EXPECT_THAT(std::string(m.status().message()), HasSubstr("unterminated string"));

  m = ParseTextproto("a {\n b: 1\n", "g");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(std::string(m.status().message()), HasSubstr("expected '}'"));

  m = ParseTextproto("a 1");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(std::string(m.status().message()), HasSubstr("1:3"));

  m = ParseTextproto("a: \"\\q\"");
  EXPECT_FALSE(m.ok());
}

TEST(TextprotoTest, NumberConversions) {
  absl::StatusOr<TextMessage> m = ParseTextproto(
      "a: 0x10 b: 010 c: 18446744073709551615 d: -9223372036854775808 e: nan f: Infinity g: 1f");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(*m->Find("a")->AsInt64(), 16);
  EXPECT_EQ(*m->Find("b")->AsInt64(), 8);
  EXPECT_EQ(*m->Find("c")->AsUint64(), std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(m->Find("c")->AsInt64().ok());
  EXPECT_EQ(*m->Find("d")->AsInt64(), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(m->Find("d")->AsUint64().ok());
  EXPECT_TRUE(std::isnan(*m->Find("e")->AsDouble()));
  EXPECT_TRUE(std::isinf(*m->Find("f")->AsDouble()));
  EXPECT_EQ(*m->Find("g")->AsDouble(), 1.0);
}

// ---------------------------------------------------------------------------------------------
// textproto cases against scope.tsv

TEST(ConformanceDataTest, EveryTextprotoLoads) {
  absl::StatusOr<ScopeTable> scope = LoadScope(CelDir() + "/scope.tsv");
  ASSERT_TRUE(scope.ok()) << scope.status();
  std::vector<std::string> paths = TextprotoPaths();
  EXPECT_GE(paths.size(), 20u);
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<CelCase>> cases = LoadTextprotoCases(path, *scope);
    EXPECT_TRUE(cases.ok()) << cases.status();
  }
}

TEST(ConformanceDataTest, ScopeCoversEveryTestAndNothingElse) {
  absl::StatusOr<ScopeTable> scope = LoadScope(CelDir() + "/scope.tsv");
  ASSERT_TRUE(scope.ok()) << scope.status();
  const std::vector<CelCase>& cases = AllTextprotoCases();
  std::set<std::string> ids;
  std::map<std::string, size_t> per_key;
  for (const CelCase& c : cases) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate " << c.id;
    EXPECT_FALSE(c.scope.empty()) << c.id << " has no row in scope.tsv";
    std::string key = c.id.substr(0, c.id.find('#'));
    const ScopeRow* row = scope->Find(key, per_key[key]++);
    if (row != nullptr) {
      EXPECT_EQ(row->disable_check, c.disable_check) << c.id;
    }
  }
  for (const auto& [key, rows] : scope->rows) {
    EXPECT_EQ(per_key[key], rows.size()) << "scope.tsv rows " << key << " vs tests";
  }
  EXPECT_EQ(scope->size(), cases.size());
  // Upstream repeats a few test names within a section; they get "#2" ids.
  EXPECT_TRUE(ids.count("string_ext/index_of/empty_index#2"));
}

TEST(ConformanceDataTest, CountsMatchTheReadme) {
  const std::vector<CelCase>& cases = AllTextprotoCases();
  std::map<std::string, int> per_file;
  std::map<std::string, int> per_scope;
  int core_disable_check = 0;
  int check_only = 0;
  for (const CelCase& c : cases) {
    ++per_file[c.source];
    ++per_scope[c.scope];
    if (c.check_only) ++check_only;
    if (c.scope == "core" && c.disable_check) ++core_disable_check;
  }
  // The README's table of files copied; a new file only needs a row added here.
  const std::map<std::string, int> expected = {
      {"basic.textproto", 43},        {"bindings_ext.textproto", 8},
      {"comparisons.textproto", 406}, {"conversions.textproto", 109},
      {"fields.textproto", 60},       {"fp_math.textproto", 30},
      {"integer_math.textproto", 64}, {"lists.textproto", 39},
      {"logic.textproto", 30},        {"macros.textproto", 44},
      {"macros2.textproto", 46},      {"namespace.textproto", 14},
      {"network_ext.textproto", 69},  {"optionals.textproto", 70},
      {"parse.textproto", 219},       {"plumbing.textproto", 5},
      {"string.textproto", 51},       {"string_ext.textproto", 216},
      {"timestamps.textproto", 78},   {"type_deduction.textproto", 47},
  };
  for (const auto& [file, count] : expected) EXPECT_EQ(per_file[file], count) << file;
  EXPECT_EQ(cases.size(), 1648u);
  EXPECT_EQ(per_scope["core"], 1377);
  EXPECT_EQ(per_scope["k8s-compile-error"], 59);
  EXPECT_EQ(per_scope["k8s-differs"], 19);
  EXPECT_EQ(per_scope["not-in-k8s"], 9);
  EXPECT_EQ(per_scope["checker"], 22);
  EXPECT_EQ(per_scope["checker-k8s-differs"], 3);
  EXPECT_EQ(per_scope["out:proto"], 139);
  EXPECT_EQ(per_scope["out:upstream"], 20);
  EXPECT_EQ(check_only, 25);
  EXPECT_EQ(core_disable_check, 102);
}

TEST(ConformanceDataTest, EveryTextprotoCaseIsWellFormed) {
  for (const CelCase& c : AllTextprotoCases()) {
    SCOPED_TRACE(c.id);
    EXPECT_FALSE(c.expr.empty());
    switch (c.outcome) {
      case CelCase::Outcome::kValue:
        EXPECT_TRUE(c.value.has_value());
        break;
      case CelCase::Outcome::kTypeOnly:
        EXPECT_TRUE(c.check_only);
        EXPECT_FALSE(c.deduced_type.empty());
        break;
      case CelCase::Outcome::kEvalError:
        break;
      default:
        ADD_FAILURE() << "unexpected outcome " << OutcomeName(c.outcome);
    }
    for (const Decl& d : c.type_env) {
      EXPECT_FALSE(d.name.empty());
      EXPECT_FALSE(d.type.empty());
    }
    for (const Binding& b : c.bindings) EXPECT_FALSE(b.name.empty());
  }
}

TEST(ConformanceDataTest, TextprotoSpotChecks) {
  const std::vector<CelCase>& cases = AllTextprotoCases();

  const CelCase* c = FindCase(cases, "basic/self_eval_nonzeroish/self_eval_map_singleitem");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->expr, "{\"k\":\"v\"}");
  ASSERT_TRUE(c->value.has_value());
  EXPECT_EQ(*c->value,
            ExpectedValue::Map({{ExpectedValue::String("k"), ExpectedValue::String("v")}}));
  EXPECT_EQ(c->scope, "core");

  c = FindCase(cases, "basic/self_eval_nonzeroish/self_eval_bytes_invalid_utf8");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->expr, "b'\\000\\xff'");  // unescaped once: CEL escapes remain
  EXPECT_EQ(*c->value, ExpectedValue::Bytes(std::string("\0\xff", 2)));
  EXPECT_EQ(ToString(*c->value), "b\"\\x00\\xff\"");

  c = FindCase(cases, "conversions/type/bool");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::Type("bool"));

  c = FindCase(cases, "basic/unbound/self_eval_unbound_lookup");
  if (c == nullptr) {
    for (const CelCase& x : cases) {
      if (x.name == "self_eval_unbound_lookup") c = &x;
    }
  }
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->outcome, CelCase::Outcome::kEvalError);
  EXPECT_TRUE(c->disable_check);
  EXPECT_THAT(c->error_substring, HasSubstr("undeclared reference to 'x'"));
  EXPECT_FALSE(c->value.has_value());

  c = FindCase(cases, "fp_math/fp_math/fp_overflow_negative");
  if (c == nullptr) {
    for (const CelCase& x : cases) {
      if (x.source == "fp_math.textproto" && x.name == "fp_overflow_negative") c = &x;
    }
  }
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::Double(-std::numeric_limits<double>::infinity()));

  // A typed result and a check-only case.
  c = FindCase(cases, "type_deduction/complex_initializers/map");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->deduced_type, "map(string, int)");
  EXPECT_EQ(c->outcome, CelCase::Outcome::kValue);
  c = FindCase(cases, "type_deduction/functions/function_result_type");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->outcome, CelCase::Outcome::kTypeOnly);
  EXPECT_EQ(c->deduced_type, "string");
  ASSERT_EQ(c->type_env.size(), 1u);
  EXPECT_EQ(c->type_env[0].kind, Decl::Kind::kFunction);
  EXPECT_EQ(c->type_env[0].type, "fn_string_int(string, int) -> string");

  // An identifier declaration with a binding.
  int with_map_decl = 0;
  for (const CelCase& x : cases) {
    if (x.source != "fields.textproto") continue;
    for (const Decl& d : x.type_env) {
      if (d.name == "x" && d.type == "map(string, int)") ++with_map_decl;
    }
  }
  EXPECT_GT(with_map_decl, 0);
}

TEST(ConformanceDataTest, NaNMatchesNaN) {
  absl::StatusOr<std::vector<CelCase>> cases = ParseTextprotoCases(
      R"pb(section {
             name: "s"
             test {
               name: "t"
               expr: "0.0/0.0"
               value: { double_value: nan }
             }
             test {
               name: "u"
               expr: "x"
               bindings {
                 key: "x"
                 value { value { list_value { values { uint64_value: 1 } } } }
               }
               eval_error { errors { message: "boom" } }
             }
           })pb",
      "synthetic.textproto", ScopeTable());
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].id, "synthetic/s/t");
  ASSERT_TRUE((*cases)[0].value.has_value());
  EXPECT_TRUE(std::isnan((*cases)[0].value->double_value));
  EXPECT_EQ(*(*cases)[0].value, ExpectedValue::Double(std::nan("")));
  EXPECT_FALSE(*(*cases)[0].value == ExpectedValue::Double(1.0));
  EXPECT_EQ((*cases)[1].bindings.size(), 1u);
  EXPECT_EQ((*cases)[1].bindings[0].value, ExpectedValue::List({ExpectedValue::Uint(1)}));
  EXPECT_EQ((*cases)[1].error_substring, "boom");
}

TEST(ConformanceDataTest, UnknownFieldsAreErrors) {
  absl::StatusOr<std::vector<CelCase>> cases =
      ParseTextprotoCases("section { name: \"s\"\n test { name: \"t\" expr: \"1\"\n bogus: 1 } }",
                          "x.textproto", ScopeTable());
  ASSERT_FALSE(cases.ok());
  EXPECT_THAT(std::string(cases.status().message()), HasSubstr("x.textproto: line 3"));
  EXPECT_THAT(std::string(cases.status().message()), HasSubstr("bogus"));
}

// ---------------------------------------------------------------------------------------------
// ExpectedValue semantics and encodings

TEST(ExpectedValueTest, KindsAndMapsCompareAsTheSuitesDo) {
  EXPECT_FALSE(ExpectedValue::Int(1) == ExpectedValue::Uint(1));
  EXPECT_FALSE(ExpectedValue::Int(1) == ExpectedValue::Double(1));
  ExpectedValue a = ExpectedValue::Map({{ExpectedValue::Int(1), ExpectedValue::String("a")},
                                        {ExpectedValue::Int(2), ExpectedValue::String("b")}});
  ExpectedValue b = ExpectedValue::Map({{ExpectedValue::Int(2), ExpectedValue::String("b")},
                                        {ExpectedValue::Int(1), ExpectedValue::String("a")}});
  EXPECT_EQ(a, b);
  b.entries[0].value = ExpectedValue::String("c");
  EXPECT_FALSE(a == b);
  EXPECT_EQ(ExpectedValue::Quantity("1Gi"), ExpectedValue::Quantity("1024Mi"));
  EXPECT_FALSE(ExpectedValue::Quantity("1G") == ExpectedValue::Quantity("1Gi"));
  EXPECT_EQ(ExpectedValue::Semver("1.2.3"), ExpectedValue::Semver("1.2.3+build"));
  EXPECT_FALSE(ExpectedValue::OptionalNone() == ExpectedValue::OptionalOf(ExpectedValue::Null()));
}

TEST(ExpectedValueTest, JsonEncodingRoundTripsThroughTheYamlReader) {
  std::vector<ExpectedValue> values = {
      ExpectedValue::Null(),
      ExpectedValue::Bool(true),
      ExpectedValue::Int(-7),
      ExpectedValue::Uint(18446744073709551615u),
      ExpectedValue::Double(2),
      ExpectedValue::Double(0.1),
      ExpectedValue::String("a\"b\n\xf0\x9f\x99\x82"),
      ExpectedValue::Bytes("abc"),
      ExpectedValue::Type("list"),
      ExpectedValue::Quantity("1Gi"),
      ExpectedValue::Semver("1.2.3"),
      ExpectedValue::OptionalNone(),
      ExpectedValue::OptionalOf(ExpectedValue::Int(2)),
      ExpectedValue::List({ExpectedValue::Int(1), ExpectedValue::String("x")}),
      ExpectedValue::Map({{ExpectedValue::String("k"), ExpectedValue::List()}}),
  };
  for (const ExpectedValue& v : values) {
    std::string json = EncodeExpectedAsJson(v);
    SCOPED_TRACE(json);
    absl::StatusOr<api::Value> parsed = api::ParseJson(json);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    absl::StatusOr<ExpectedValue> back = ExpectedFromYaml(*parsed);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, v) << ToString(*back) << " vs " << ToString(v);
  }
  EXPECT_EQ(EncodeExpectedAsJson(ExpectedValue::Uint(3)), "{\"uint\": 3}");
  EXPECT_EQ(EncodeExpectedAsJson(ExpectedValue::Double(2)), "2.0");
  EXPECT_EQ(EncodeExpectedAsJson(ExpectedValue::Double(-std::numeric_limits<double>::infinity())),
            "-Infinity");
  EXPECT_EQ(EncodeExpectedAsJson(ExpectedValue::OptionalNone()), "{\"optional\": \"none\"}");
  EXPECT_EQ(ToString(ExpectedValue::OptionalOf(ExpectedValue::Uint(2))), "optional.of(2u)");
  EXPECT_EQ(ToString(ExpectedValue::Quantity("1Gi")), "quantity(\"1Gi\")");
}

// ---------------------------------------------------------------------------------------------
// YAML cases

void CheckYamlCase(const CelCase& c) {
  SCOPED_TRACE(c.id);
  EXPECT_FALSE(c.name.empty());
  EXPECT_FALSE(c.expr.empty());
  switch (c.outcome) {
    case CelCase::Outcome::kValue:
      ASSERT_TRUE(c.value.has_value());
      EXPECT_TRUE(c.error_kind.empty());
      if (c.selector) {
        EXPECT_EQ(c.value->kind, Kind::kBool);
      }
      break;
    case CelCase::Outcome::kCompileError:
      EXPECT_EQ(c.error_kind, "compile");
      break;
    case CelCase::Outcome::kEvalError:
      EXPECT_EQ(c.error_kind, "eval");
      break;
    case CelCase::Outcome::kAnyError:
      EXPECT_EQ(c.error_kind, "program");
      break;
    case CelCase::Outcome::kTypeOnly:
      ADD_FAILURE() << "type-only YAML case";
  }
  if (c.outcome != CelCase::Outcome::kValue) {
    EXPECT_FALSE(c.error_substring.empty());
    EXPECT_FALSE(c.value.has_value());
  }
  if (c.estimated_cost.has_value()) {
    EXPECT_TRUE(c.selector);
  }
  if (c.device.has_value()) {
    EXPECT_TRUE(c.device->is_object());
  }
}

TEST(ConformanceDataTest, K8sLibrariesLoads) {
  absl::StatusOr<std::vector<CelCase>> cases = LoadYamlCases(CelDir() + "/k8s-libraries.yaml");
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_EQ(cases->size(), 209u);
  std::map<std::string, int> groups;
  int selectors = 0;
  int with_device = 0;
  int with_cost = 0;
  for (const CelCase& c : *cases) {
    CheckYamlCase(c);
    ++groups[c.name.substr(0, c.name.find('/'))];
    selectors += c.selector;
    with_device += c.device.has_value();
    with_cost += c.estimated_cost.has_value();
  }
  EXPECT_EQ(selectors, 53);
  EXPECT_EQ(with_device, 43);
  EXPECT_EQ(with_cost, 45);
  // Three quarters of the README's group counts are in the file; each group is present.
  for (std::string_view g : {"dra", "quantity", "semver", "sem", "lib"}) {
    EXPECT_GT(groups[std::string(g)], 0) << g;
  }
  EXPECT_EQ(groups.size(), 5u);

  const CelCase* c = FindCase(*cases, "dra/syntax-error");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->expr, "?!");
  EXPECT_EQ(c->outcome, CelCase::Outcome::kCompileError);
  EXPECT_EQ(c->error_substring, "Syntax error");

  c = FindCase(*cases, "dra/runtime-error-lookup-identifier");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->outcome, CelCase::Outcome::kEvalError);
  EXPECT_EQ(c->estimated_cost, 6u);
  EXPECT_TRUE(c->selector);

  c = FindCase(*cases, "dra/domain-check-positive");
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->device.has_value());
  const api::Value* attr = c->device->Find("attributes")->Find("dra.example.com/something");
  ASSERT_NE(attr, nullptr);
  EXPECT_TRUE(attr->Find("bool")->bool_value());

  c = FindCase(*cases, "quantity/parse");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::Quantity("12Mi"));
  EXPECT_EQ(EncodeExpectedAsJson(*c->value), "{\"quantity\": \"12Mi\"}");

  c = FindCase(*cases, "semver/parse");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::Semver("1.2.3"));

  int program = 0;
  int new_expressions = 0;
  for (const CelCase& x : *cases) {
    program += x.outcome == CelCase::Outcome::kAnyError;
    new_expressions += x.env == "NewExpressions";
  }
  EXPECT_EQ(program, 3);
  EXPECT_EQ(new_expressions, 3);
}

TEST(ConformanceDataTest, GeneratedLoads) {
  absl::StatusOr<std::vector<CelCase>> cases = LoadYamlCases(CelDir() + "/generated.yaml");
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_EQ(cases->size(), 200u);
  int selectors = 0;
  for (const CelCase& c : *cases) {
    CheckYamlCase(c);
    EXPECT_NE(c.outcome, CelCase::Outcome::kAnyError) << c.id;
    if (c.selector) {
      ++selectors;
      EXPECT_TRUE(c.device.has_value()) << c.id;
    }
  }
  EXPECT_EQ(selectors, 100);

  const CelCase* c = FindCase(*cases, "gen/core/150-collections");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::OptionalOf(ExpectedValue::Int(2)));
  EXPECT_EQ(EncodeExpectedAsJson(*c->value), "{\"optional\": 2}");

  c = FindCase(*cases, "gen/core/067-double");  // `expect: .inf`, plain
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::Double(std::numeric_limits<double>::infinity()));

  c = FindCase(*cases, "gen/core/056-double");  // `expect: 9007199254740992.0`
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*c->value, ExpectedValue::Double(9007199254740992.0));

  c = FindCase(*cases, "gen/dra/002-gpu-error");
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->device.has_value());
  EXPECT_EQ(c->device->Find("capacity")->Find("multiprocessors")->text(), "148");
  EXPECT_EQ(c->device->Find("attributes")->Find("driverVersion")->Find("version")->text(),
            "580.105.8");
  EXPECT_EQ(c->estimated_cost, 32u);
  c = FindCase(*cases, "gen/dra/035-gpu-macro-driver");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->estimated_cost, std::numeric_limits<uint64_t>::max());
}

TEST(ConformanceDataTest, YamlSchemaErrorsAreReported) {
  auto error_of = [](std::string_view yaml) {
    absl::StatusOr<std::vector<CelCase>> cases = ParseYamlCases(yaml, "t.yaml");
    return cases.ok() ? std::string("ok") : std::string(cases.status().message());
  };
  EXPECT_THAT(error_of("cases:\n- name: a\n  expr: x\n  expect: 1\n  error: e\n"),
              HasSubstr("both expect and error"));
  EXPECT_THAT(error_of("cases:\n- name: a\n  expr: x\n  bogus: 1\n  expect: 1\n"),
              HasSubstr("unknown key 'bogus'"));
  EXPECT_THAT(error_of("cases:\n- name: a\n  expr: x\n  expect: yes\n"),
              HasSubstr("ambiguous plain scalar 'yes'"));
  EXPECT_THAT(error_of("cases:\n- name: a\n  expr: x\n  error: e\n  error_kind: later\n"),
              HasSubstr("unknown kind 'later'"));
  EXPECT_THAT(error_of("cases:\n- name: a\n  expr: x\n  expect: 1\n- name: a\n  expr: y\n"
                       "  expect: 2\n"),
              HasSubstr("duplicate case name a"));
  EXPECT_THAT(error_of("cases:\n- name: a\n  expr: x\n  expect: 1\n  device:\n"
                       "    attributes:\n      v:\n        float: 1.0\n"),
              HasSubstr("unknown type 'float'"));
  // Plain scalars the YAML 1.1 reader would turn into other types keep their text where the
  // schema wants a string.
  absl::StatusOr<std::vector<CelCase>> cases = ParseYamlCases(
      "cases:\n- name: a\n  expr: 1.0\n  expect: [.nan, -.inf, {uint: 5}]\n  device:\n"
      "    driver: on\n    capacity:\n      c: 10\n",
      "t.yaml");
  ASSERT_TRUE(cases.ok()) << cases.status();
  const CelCase& c = (*cases)[0];
  EXPECT_EQ(c.expr, "1.0");
  EXPECT_EQ(c.device->Find("driver")->text(), "on");
  EXPECT_EQ(c.device->Find("capacity")->Find("c")->text(), "10");
  ASSERT_EQ(c.value->items.size(), 3u);
  EXPECT_TRUE(std::isnan(c.value->items[0].double_value));
  EXPECT_EQ(c.value->items[1], ExpectedValue::Double(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(c.value->items[2], ExpectedValue::Uint(5));
}

}  // namespace
}  // namespace dra::cel::conformance
