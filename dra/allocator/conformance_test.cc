// Runs every allocator conformance vector (../shared/conformance/allocator*/, format and
// comparison rules in its README) through dra::allocator and compares with the expectation.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "dra/allocator/allocator.h"
#include "dra/api/codec/reflect.h"
#include "dra/api/codec/yaml.h"
#include "dra/base/strings.h"
#include "gtest/gtest.h"

namespace dra::allocator {
namespace {

// All vectors pass; a regression fails this floor.
constexpr int kPassFloor = 242;

constexpr std::string_view kSharePlaceholder = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";

struct Vector {
  std::string path;
  std::string name;
  Features features = Features::None();
  NodeInfo node;
  Snapshot snapshot;
  std::vector<api::ResourceClaim> claims;
  std::optional<std::vector<api::AllocationResult>> results;
  bool unsatisfiable = false;
  std::optional<std::string> error;
};

template <typename T>
std::string Decode(const api::Value& v, T& out) {
  api::FieldErrorList errors = api::DecodeValue(v, out, /*strict=*/false);
  if (errors.empty()) return "";
  return "decode error";
}

std::string LoadVector(const std::string& path, Vector* vec) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  absl::StatusOr<std::vector<api::Value>> docs = api::ParseYamlDocuments(ss.str());
  if (!docs.ok() || docs->size() != 1) return "cannot parse";
  const api::Value& doc = (*docs)[0];
  vec->path = path;
  if (const api::Value* v = doc.Find("name")) vec->name = v->text();
  if (const api::Value* v = doc.Find("features")) {
    for (const api::Value& f : v->items()) {
      if (!vec->features.Set(f.text(), true)) return StrCat("unknown feature ", f.text());
    }
    // The README lists the binding-condition gates together; DRAListTypeAttributes is not an
    // allocator gate of the vectors (off unless listed).
  }
  if (const api::Value* v = doc.Find("node")) vec->node.name = v->text();
  if (const api::Value* v = doc.Find("nodeLabels")) {
    for (const auto& [k, val] : v->members()) vec->node.labels[k] = val.text();
  }
  if (const api::Value* v = doc.Find("classes")) {
    for (const api::Value& item : v->items()) {
      api::DeviceClass c;
      if (std::string e = Decode(item, c); !e.empty()) return StrCat("class: ", e);
      vec->snapshot.classes.push_back(std::move(c));
    }
  }
  if (const api::Value* v = doc.Find("slices")) {
    for (const api::Value& item : v->items()) {
      api::ResourceSlice s;
      if (std::string e = Decode(item, s); !e.empty()) return StrCat("slice: ", e);
      vec->snapshot.slices.push_back(std::move(s));
    }
  }
  if (const api::Value* v = doc.Find("allocated")) {
    for (const api::Value& item : v->items()) {
      DeviceRef ref;
      if (const api::Value* x = item.Find("driver")) ref.driver = x->text();
      if (const api::Value* x = item.Find("pool")) ref.pool = x->text();
      if (const api::Value* x = item.Find("device")) ref.device = x->text();
      const api::Value* share = item.Find("shareID");
      const api::Value* consumed = item.Find("consumedCapacity");
      if (share == nullptr && consumed == nullptr) {
        vec->snapshot.allocated.exclusive.push_back(ref);
        continue;
      }
      if (share != nullptr) vec->snapshot.allocated.shares.push_back({ref, share->text()});
      if (consumed != nullptr) {
        AllocatedState::Consumed c{ref, {}};
        if (std::string e = Decode(*consumed, c.capacity); !e.empty()) return "consumed";
        vec->snapshot.allocated.consumed.push_back(std::move(c));
      }
    }
  }
  if (const api::Value* v = doc.Find("claims")) {
    for (const api::Value& item : v->items()) {
      api::ResourceClaim c;
      if (std::string e = Decode(item, c); !e.empty()) return StrCat("claim: ", e);
      vec->claims.push_back(std::move(c));
    }
  }
  const api::Value* expect = doc.Find("expect");
  if (expect == nullptr) return "no expect";
  if (const api::Value* v = expect->Find("results")) {
    std::vector<api::AllocationResult> results;
    for (const api::Value& item : v->items()) {
      api::AllocationResult r;
      if (std::string e = Decode(item, r); !e.empty()) return StrCat("result: ", e);
      results.push_back(std::move(r));
    }
    vec->results = std::move(results);
  } else if (expect->Find("unsatisfiable") != nullptr) {
    vec->unsatisfiable = true;
  } else if (const api::Value* v = expect->Find("error")) {
    vec->error = v->text();
  } else {
    return "unknown expectation";
  }
  vec->snapshot.features = vec->features;
  return "";
}

api::NodeSelector Normalize(api::NodeSelector ns) {
  auto norm_reqs = [](std::vector<api::NodeSelectorRequirement>& reqs) {
    for (auto& r : reqs) std::sort(r.values.begin(), r.values.end());
    std::sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) {
      return std::tie(a.key, a.operator_, a.values) < std::tie(b.key, b.operator_, b.values);
    });
  };
  for (auto& t : ns.node_selector_terms) {
    norm_reqs(t.match_expressions);
    norm_reqs(t.match_fields);
  }
  std::sort(ns.node_selector_terms.begin(), ns.node_selector_terms.end(),
            [](const auto& a, const auto& b) {
              return api::EncodeValue(a).Find("matchFields") != nullptr &&
                     api::EncodeValue(b).Find("matchFields") == nullptr;
            });
  return ns;
}

std::string Yaml(const api::AllocationResult& r) { return api::WriteYaml(api::EncodeValue(r)); }

// Returns "" when `actual` matches `expected` under the README's rules.
std::string CompareResult(const api::AllocationResult& expected, api::AllocationResult actual) {
  for (auto& e : actual.devices.results) {
    if (e.share_id.has_value() && !e.share_id->empty()) e.share_id = std::string(kSharePlaceholder);
  }
  std::vector<bool> used(expected.devices.results.size(), false);
  bool ok = expected.devices.results.size() == actual.devices.results.size();
  for (const auto& a : actual.devices.results) {
    bool found = false;
    for (size_t i = 0; i < expected.devices.results.size() && !found; ++i) {
      if (!used[i] && expected.devices.results[i] == a) used[i] = found = true;
    }
    if (!found) ok = false;
  }
  if (!(expected.devices.config == actual.devices.config)) ok = false;
  if (expected.node_selector.has_value() != actual.node_selector.has_value()) {
    ok = false;
  } else if (expected.node_selector.has_value() &&
             !(Normalize(*expected.node_selector) == Normalize(*actual.node_selector))) {
    ok = false;
  }
  if (ok) return "";
  return StrCat("expected:\n", Yaml(expected), "actual:\n", Yaml(actual));
}

std::string RunVector(const Vector& vec) {
  absl::StatusOr<std::unique_ptr<const Allocator>> allocator = Allocator::Create(vec.snapshot);
  if (!allocator.ok()) return StrCat("Create: ", allocator.status().ToString());
  absl::StatusOr<AllocationOutcome> outcome = (*allocator)->Allocate(vec.node, vec.claims);
  std::string got;
  if (!outcome.ok()) {
    got = StrCat("error: ", outcome.status().message());
  } else if (outcome->kind == AllocationOutcome::Kind::kFailedOnNode) {
    got = StrCat("node failure: ", outcome->message);
  } else if (outcome->kind == AllocationOutcome::Kind::kUnsatisfiable) {
    got = "unsatisfiable";
  } else {
    got = "allocated";
  }
  if (vec.error.has_value()) {
    std::string message;
    if (!outcome.ok()) {
      message = std::string(outcome.status().message());
    } else if (outcome->kind == AllocationOutcome::Kind::kFailedOnNode) {
      message = outcome->message;
    } else {
      return StrCat("expected error \"", *vec.error, "\", got ", got);
    }
    if (!StrContains(message, *vec.error)) {
      return StrCat("expected error \"", *vec.error, "\", got \"", message, "\"");
    }
    return "";
  }
  if (vec.unsatisfiable) {
    if (got != "unsatisfiable") return StrCat("expected unsatisfiable, got ", got);
    return "";
  }
  if (got != "allocated") return StrCat("expected results, got ", got);
  if (outcome->results.size() != vec.results->size()) return "wrong number of results";
  for (size_t i = 0; i < vec.results->size(); ++i) {
    std::string diff = CompareResult((*vec.results)[i], outcome->results[i]);
    if (!diff.empty()) return StrCat("claim #", i, ":\n", diff);
  }
  return "";
}

TEST(AllocatorConformance, AllVectors) {
  std::vector<std::string> files;
  for (const char* dir : {"/conformance/allocator", "/conformance/allocator-generated"}) {
    std::filesystem::path root = std::filesystem::path(DRA_SHARED_DIR + std::string(dir));
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  int passed = 0;
  for (const std::string& file : files) {
    Vector vec;
    std::string err = LoadVector(file, &vec);
    if (err.empty()) err = RunVector(vec);
    if (err.empty()) {
      ++passed;
    } else {
      std::printf("FAIL %s: %s\n", file.c_str(), err.c_str());
    }
  }
  std::printf("allocator conformance: %d passed / %zu\n", passed, files.size());
  EXPECT_GE(passed, kPassFloor);
}

}  // namespace
}  // namespace dra::allocator
