// Round trips of every kind: decode(encode(x)) == x through both YAML and JSON text, over the
// shared conformance objects, the documentation manifests and dra's own testdata.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/api/codec/reflect.h"
#include "dra/api/codec/yaml.h"

namespace dra::api {
namespace {

namespace fs = std::filesystem;

std::string ReadFileOrDie(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> YamlFilesIn(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectRoundTrip(const Object& object, const std::string& where) {
  Value encoded = EncodeObject(object);
  for (OutputFormat format : {OutputFormat::kYaml, OutputFormat::kJson}) {
    std::string text = WriteObjects({encoded}, format);
    auto back = DecodeAll(text);
    ASSERT_TRUE(back.ok()) << where << ": " << back.status() << "\n" << text;
    ASSERT_EQ(back->size(), 1u) << where;
    ASSERT_TRUE((*back)[0].ok()) << where << ": " << (*back)[0].status << " "
                                 << JoinFieldErrors((*back)[0].errors) << "\n"
                                 << text;
    Object decoded = *(*back)[0].object;
    // apiVersion/kind are filled in on encode.
    std::visit(
        [](auto& o) {
          o.api_version.clear();
          o.kind.clear();
        },
        decoded);
    Object expected = object;
    std::visit(
        [](auto& o) {
          o.api_version.clear();
          o.kind.clear();
        },
        expected);
    EXPECT_TRUE(decoded == expected)
        << where << " (" << (format == OutputFormat::kYaml ? "yaml" : "json") << ")\n"
        << text;
  }
}

// The objects of one conformance vector: classes, slices, claims and expected allocations.
int RoundTripConformanceFile(const fs::path& path) {
  auto docs = ParseYamlDocuments(ReadFileOrDie(path));
  EXPECT_TRUE(docs.ok()) << path << ": " << docs.status();
  if (!docs.ok() || docs->empty()) return 0;
  const Value& root = (*docs)[0];
  int count = 0;
  for (std::string_view key : {"classes", "slices", "claims"}) {
    const Value* list = root.Find(key);
    if (list == nullptr) continue;
    for (const Value& item : list->items()) {
      DecodedDocument doc = DecodeDocument(item);
      EXPECT_TRUE(doc.ok()) << path << ": " << doc.status << " " << JoinFieldErrors(doc.errors);
      if (!doc.ok()) continue;
      ExpectRoundTrip(*doc.object, path.string());
      ++count;
    }
  }
  if (const Value* expect = root.Find("expect")) {
    if (const Value* results = expect->Find("results")) {
      for (const Value& item : results->items()) {
        AllocationResult result;
        FieldErrorList errors = DecodeValue(item, result);
        EXPECT_TRUE(errors.empty()) << path << ": " << JoinFieldErrors(errors);
        AllocationResult back;
        EXPECT_TRUE(DecodeValue(EncodeValue(result), back).empty());
        EXPECT_TRUE(back == result) << path;
        ++count;
      }
    }
  }
  return count;
}

TEST(RoundTripTest, ConformanceObjects) {
  int files = 0;
  int objects = 0;
  for (std::string dir : {"allocator", "allocator-generated"}) {
    for (const auto& path : YamlFilesIn(fs::path(DRA_SHARED_DIR) / "conformance" / dir)) {
      objects += RoundTripConformanceFile(path);
      ++files;
    }
  }
  EXPECT_GT(files, 100);
  EXPECT_GT(objects, 500);
}

TEST(RoundTripTest, TestdataCoversEveryKind) {
  std::set<std::string> kinds;
  for (const auto& path : YamlFilesIn(fs::path(DRA_SOURCE_DIR) / "dra/api/testdata")) {
    auto docs = DecodeAll(ReadFileOrDie(path));
    ASSERT_TRUE(docs.ok()) << path << ": " << docs.status();
    for (const auto& doc : *docs) {
      ASSERT_TRUE(doc.ok()) << path << ": " << doc.status << " " << JoinFieldErrors(doc.errors);
      kinds.insert(doc.identity.kind);
      ExpectRoundTrip(*doc.object, path.string());
    }
  }
  std::set<std::string> all;
  std::apply([&](auto... t) { (all.insert(std::string(decltype(t)::kKind)), ...); },
             std::tuple<DeviceClass, ResourceSlice, ResourceClaim, ResourceClaimTemplate,
                        DeviceTaintRule, Pod, Node, Namespace, Event>());
  EXPECT_EQ(kinds, all);
}

TEST(RoundTripTest, DocManifestsThatDecode) {
  int decoded = 0;
  for (const auto& path : YamlFilesIn(fs::path(DRA_SHARED_DIR) / "examples" / "doc-manifests")) {
    auto docs = DecodeAll(ReadFileOrDie(path));
    if (!docs.ok()) continue;
    for (const auto& doc : *docs) {
      if (!doc.ok()) continue;
      ExpectRoundTrip(*doc.object, path.string());
      ++decoded;
    }
  }
  EXPECT_GT(decoded, 10);
}

}  // namespace
}  // namespace dra::api
