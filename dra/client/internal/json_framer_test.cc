#include "dra/client/internal/json_framer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dra::client::internal {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kStream =
    "{\"type\":\"ADDED\",\"object\":{\"s\":\"a}\\\"{[\"}}\n\n"
    "  {\"type\":\"DELETED\",\"object\":{\"a\":[1,{\"b\":\"\\\\\"}]}}\n"
    "\n[1,2]";

TEST(JsonFramerTest, WholeStream) {
  JsonFramer f;
  std::vector<std::string> out;
  ASSERT_TRUE(f.Feed(kStream, &out));
  EXPECT_THAT(
      out, ElementsAre("{\"type\":\"ADDED\",\"object\":{\"s\":\"a}\\\"{[\"}}",
                       "{\"type\":\"DELETED\",\"object\":{\"a\":[1,{\"b\":\"\\\\\"}]}}", "[1,2]"));
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(JsonFramerTest, EverySplitGivesTheSameValues) {
  std::vector<std::string> whole;
  {
    JsonFramer f;
    ASSERT_TRUE(f.Feed(kStream, &whole));
  }
  for (size_t chunk = 1; chunk <= 7; ++chunk) {
    JsonFramer f;
    std::vector<std::string> out;
    for (size_t i = 0; i < kStream.size(); i += chunk) {
      ASSERT_TRUE(f.Feed(kStream.substr(i, chunk), &out));
    }
    EXPECT_EQ(out, whole) << "chunk " << chunk;
  }
}

TEST(JsonFramerTest, PartialValueIsHeldBack) {
  JsonFramer f;
  std::vector<std::string> out;
  ASSERT_TRUE(f.Feed("{\"a\":", &out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(f.buffered(), 5u);
  ASSERT_TRUE(f.Feed("1}{", &out));
  EXPECT_THAT(out, ElementsAre("{\"a\":1}"));
}

TEST(JsonFramerTest, GarbageFails) {
  JsonFramer f;
  std::vector<std::string> out;
  EXPECT_FALSE(f.Feed("<html>", &out));
  EXPECT_FALSE(f.Feed("{}", &out));  // stays failed
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace dra::client::internal
