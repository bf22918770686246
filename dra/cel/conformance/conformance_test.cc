// Runs every CEL conformance case in ../shared/conformance/cel through the parser and the
// runtime and reports `cel-spec: N passed / M in scope`. The pass counts may only go up: the
// floors below are the counts this layer reached, raised as it grows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "dra/cel/conformance/cases.h"
#include "dra/cel/conformance/runner.h"
#include "dra/cel/environment.h"

namespace dra::cel::conformance {
namespace {

namespace fs = std::filesystem;

fs::path CelDir() { return fs::path(DRA_SHARED_DIR) / "conformance" / "cel"; }

// Passing counts reached so far (ratchet): raise them when the layer improves.
constexpr int kCoreFloor = 1377;

TEST(CelSpecConformanceTest, CoreCases) {
  auto scope = LoadScope((CelDir() / "scope.tsv").string());
  ASSERT_TRUE(scope.ok()) << scope.status();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(CelDir())) {
    if (e.path().extension() == ".textproto") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int in_scope = 0;
  int passed = 0;
  std::map<std::string, std::pair<int, int>> per_file;
  std::vector<std::string> failures;
  for (const auto& file : files) {
    auto cases = LoadTextprotoCases(file.string(), *scope);
    ASSERT_TRUE(cases.ok()) << cases.status();
    for (const CelCase& c : *cases) {
      if (c.scope != "core") continue;
      ++in_scope;
      ++per_file[c.source].second;
      CaseResult r = RunCase(c, KubernetesFunctions());
      if (r.status == CaseResult::Status::kPass) {
        ++passed;
        ++per_file[c.source].first;
      } else {
        failures.push_back(c.id + ": " + c.expr + " -> " + r.detail);
      }
    }
  }
  std::cout << "cel-spec: " << passed << " passed / " << in_scope << " in scope\n";
  for (const auto& [file, counts] : per_file) {
    std::cout << "  " << file << ": " << counts.first << "/" << counts.second << "\n";
  }
  if (const char* out = std::getenv("DRA_CEL_FAILURES")) {
    std::ofstream f(out);
    for (const auto& line : failures) f << line << "\n";
  }
  EXPECT_GE(passed, kCoreFloor);
  EXPECT_EQ(in_scope, 1377);
}

// Passing counts over the Kubernetes case files (ratchet, as above).
constexpr int kKubernetesLibrariesFloor = 209;
constexpr int kGeneratedFloor = 200;

int RunKubernetesFile(const std::string& file, int* total) {
  auto cases = LoadYamlCases((CelDir() / file).string());
  EXPECT_TRUE(cases.ok()) << cases.status();
  if (!cases.ok()) return 0;
  int passed = 0;
  std::vector<std::string> failures;
  for (const CelCase& c : *cases) {
    ++*total;
    CaseResult r = RunKubernetesCase(c);
    if (r.status == CaseResult::Status::kPass) {
      ++passed;
    } else {
      failures.push_back(c.id + ": " + c.expr + " -> " + r.detail);
    }
  }
  std::cout << file << ": " << passed << " passed / " << *total << "\n";
  if (const char* out = std::getenv("DRA_CEL_FAILURES")) {
    std::ofstream f(std::string(out) + "." + file);
    for (const auto& line : failures) f << line << "\n";
  }
  return passed;
}

TEST(KubernetesCelConformanceTest, LibrariesAndDeviceCases) {
  int total = 0;
  EXPECT_GE(RunKubernetesFile("k8s-libraries.yaml", &total), kKubernetesLibrariesFloor);
  total = 0;
  EXPECT_GE(RunKubernetesFile("generated.yaml", &total), kGeneratedFloor);
}

}  // namespace
}  // namespace dra::cel::conformance
