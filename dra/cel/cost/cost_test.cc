#include "dra/cel/cost/cost.h"

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dra/base/strings.h"
#include "dra/cel/checker/checker.h"
#include "dra/cel/checker/k8s_decls.h"
#include "dra/cel/conformance/cases.h"
#include "gtest/gtest.h"

#ifndef DRA_SHARED_DIR
#define DRA_SHARED_DIR "../shared"
#endif

namespace dra::cel {
namespace {

using checker::DraEnvOptions;

std::shared_ptr<const checker::Env> DraEnv(const DraEnvOptions& options = {}) {
  auto env = checker::NewDraSelectorEnv(options);
  EXPECT_TRUE(env.ok()) << env.status();
  return *env;
}

absl::StatusOr<CostEstimate> Estimate(std::string_view text, const DraEnvOptions& env = {},
                                      const CostOptions& options = {}) {
  auto compiled = checker::Compile(text, *DraEnv(env));
  if (!compiled.ok()) return compiled.status();
  return EstimateCost(compiled->parsed, compiled->checked, options);
}

uint64_t MaxCost(std::string_view text) {
  absl::StatusOr<CostEstimate> est = Estimate(text);
  EXPECT_TRUE(est.ok()) << text << ": " << est.status();
  return est.ok() ? est->max : 0;
}

// The estimates reference/cel-environment.md §3 pins (from upstream compile_test.go).
TEST(CostTest, PinnedEstimates) {
  EXPECT_EQ(MaxCost(R"(device.driver == "")"), 2u);
  EXPECT_EQ(MaxCost(R"("x" in device.attributes)"), 3u);
  EXPECT_EQ(MaxCost(R"(device.attributes["dra.example.com"].name)"), 4u);
  EXPECT_EQ(MaxCost(R"(device.attributes["dra.example.com"].name == "fish")"), 5u);
  EXPECT_EQ(MaxCost(R"(device.attributes["dra.example.com"].name.isGreaterThan(semver("0.0.1")))"),
            6u);
  EXPECT_EQ(MaxCost(R"(cel.bind(dra, device.attributes["dra.example.com"], dra.name))"), 15u);
  EXPECT_EQ(MaxCost(R"(device.attributes["dra.example.com"].services.matches("[^a]?sym"))"), 18u);
  EXPECT_EQ(MaxCost(R"(device.attributes["dra.example.com"].exists_one(x, x == "services"))"),
            133u);
  EXPECT_EQ(MaxCost(R"(device.attributes.exists_one(x, x == "dra.example.com"))"), 164u);
}

TEST(CostTest, NestedLoopsExceedTheSelectorLimit) {
  std::string expr = "int('1'.find('[0-9]*')) < 100";
  for (const char* var : {"z5", "z4", "z3", "z2", "z", "y", "x"}) {
    expr = StrCat("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(", var, ", ", expr, ")");
  }
  absl::StatusOr<CostEstimate> est = Estimate(expr);
  ASSERT_TRUE(est.ok()) << est.status();
  EXPECT_EQ(est->max, 85555551u);
  std::optional<api::FieldError> err = CheckSelectorCost(
      api::FieldPath("spec").Child("selectors").Index(0).Child("cel").Child("expression"), *est);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->type, api::FieldError::Type::kForbidden);
  EXPECT_EQ(err->ToString(),
            "spec.selectors[0].cel.expression: Forbidden: too complex, exceeds cost limit");
}

TEST(CostTest, LimitIsInclusive) {
  api::FieldPath path("expression");
  EXPECT_FALSE(CheckSelectorCost(path, CostEstimate{0, kSelectorMaxCost}).has_value());
  EXPECT_TRUE(CheckSelectorCost(path, CostEstimate{0, kSelectorMaxCost + 1}).has_value());
}

TEST(CostTest, MinAndMax) {
  // && and || charge the right-hand side only to the max.
  absl::StatusOr<CostEstimate> est =
      Estimate(R"(device.driver == "a" && device.attributes["d"].x == "fish")");
  ASSERT_TRUE(est.ok()) << est.status();
  EXPECT_EQ(est->min, 3u);
  EXPECT_EQ(est->max, 3u + 5u);
  // Constants cost nothing; has() costs nothing under Kubernetes.
  est = Estimate("true");
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est, (CostEstimate{0, 0}));
  EXPECT_EQ(MaxCost(R"(has(device.attributes["dra.example.com"].cores))"), 3u);
  CostOptions with_presence_cost;
  with_presence_cost.presence_test_has_cost = true;
  est = Estimate(R"(has(device.attributes["dra.example.com"].cores))", {}, with_presence_cost);
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(est->max, 4u);
}

TEST(CostTest, UnboundedSaturates) {
  // A split of an unbounded string yields an unbounded list; `in` over it is unbounded.
  EXPECT_EQ(
      MaxCost(
          R"("pci0000" in device.attributes["resource.kubernetes.io"].?pcieRoot.orValue("").split(":"))"),
      kUnboundedCost);
  // Without the DRA size estimates, a device string has no bound either.
  CostOptions no_sizes;
  no_sizes.dra_device_sizes = false;
  absl::StatusOr<CostEstimate> est = Estimate(
      R"(device.attributes["dra.example.com"].exists_one(x, x == "services"))", {}, no_sizes);
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(est->max, kUnboundedCost);
}

// Figures derived by hand from the upstream estimator code (cel-go checker/cost.go, apiserver
// library/cost.go, ext sets/lists), for paths the conformance files do not pin.
TEST(CostTest, LibraryEstimates) {
  // Kubernetes string functions: ceil(64 * 0.1) over a 64-character attribute value (and `==`
  // against "" is free: the smaller side has size 0).
  EXPECT_EQ(MaxCost(R"(device.attributes["d"].s.lowerAscii() == "")"), 4u + 7u);
  // replace: 2 * 64 * 0.1; its result size (64 replacements of 2) bounds the next call.
  EXPECT_EQ(MaxCost(R"(device.attributes["d"].s.replace("a", "bb").size() > 0)"),
            4u + 13u + 1u + 1u);
  // A namespaced function: `sets` is not an identifier (no cost for it).
  EXPECT_EQ(MaxCost(R"(sets.contains(["a"], ["a"]))"), 1u + 1u + 10u + 10u);
  // dyn() costs 1 and keeps its argument's size (63 for the driver).
  EXPECT_EQ(MaxCost(R"(dyn(device.driver) == "x")"), 1u + 2u + 1u);
  // containsIP with a string: byte comparison {8, 32} * 0.1 plus the parse of the string.
  EXPECT_EQ(MaxCost(R"(cidr("10.0.0.0/8").containsIP("10.1.2.3"))"), 1u + 4u + 1u);
  // ext.Lists range: n + 1 + 10, then a loop of n iterations.
  EXPECT_EQ(MaxCost("lists.range(4).exists(i, i == 2)"), 15u + 1u + 4u * (3u + 3u));
  // `==` on Quantity costs 1; `!=` is not special-cased upstream and has no size bound.
  EXPECT_EQ(MaxCost(R"(device.capacity["d"].memory == quantity("1"))"), 6u);
  EXPECT_EQ(MaxCost(R"(device.capacity["d"].memory != quantity("1"))"), 1844674407370955264u + 5u);
}

TEST(CostTest, EmptyAstIsAnError) {
  ParsedExpr parsed;
  checker::CheckedExpr checked;
  EXPECT_FALSE(EstimateCost(parsed, checked).ok());
}

// Every case of the Kubernetes conformance files that pins an estimate.
struct FileResult {
  int cases = 0;
  int passed = 0;
};

FileResult RunFile(const std::string& file) {
  FileResult result;
  auto cases = conformance::LoadYamlCases(StrCat(DRA_SHARED_DIR, "/conformance/cel/", file));
  EXPECT_TRUE(cases.ok()) << cases.status();
  if (!cases.ok()) return result;
  std::map<std::pair<bool, bool>, std::shared_ptr<const checker::Env>> envs;
  for (const conformance::CelCase& c : *cases) {
    if (!c.estimated_cost) continue;
    ++result.cases;
    DraEnvOptions env_options;
    env_options.new_expressions = c.env == "NewExpressions";
    env_options.consumable_capacity = c.consumable_capacity;
    auto& env = envs[{env_options.new_expressions, env_options.consumable_capacity}];
    if (env == nullptr) env = DraEnv(env_options);
    auto compiled = checker::Compile(c.expr, *env);
    if (!compiled.ok()) {
      ADD_FAILURE() << file << " " << c.name << ": compile: " << compiled.status();
      continue;
    }
    absl::StatusOr<CostEstimate> est = EstimateCost(compiled->parsed, compiled->checked);
    if (!est.ok()) {
      ADD_FAILURE() << file << " " << c.name << ": " << est.status();
      continue;
    }
    if (est->max == *c.estimated_cost) {
      ++result.passed;
    } else {
      ADD_FAILURE() << file << " " << c.name << ": estimated " << est->max << ", want "
                    << *c.estimated_cost << "\n  " << c.expr;
    }
  }
  std::cout << "cost " << file << ": " << result.passed << " passed / " << result.cases
            << " with estimated_cost\n";
  return result;
}

TEST(CostConformanceTest, K8sLibraries) {
  FileResult r = RunFile("k8s-libraries.yaml");
  EXPECT_GE(r.cases, 45);
  EXPECT_EQ(r.passed, r.cases);
}

TEST(CostConformanceTest, Generated) {
  FileResult r = RunFile("generated.yaml");
  EXPECT_GE(r.cases, 87);
  EXPECT_EQ(r.passed, r.cases);
}

}  // namespace
}  // namespace dra::cel
