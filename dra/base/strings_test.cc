#include "dra/base/strings.h"

#include <gtest/gtest.h>

namespace dra {
namespace {

TEST(StringsTest, StrCatMixesPieces) {
  std::string_view sv = "view";
  absl::string_view asv = "absl";
  EXPECT_EQ(StrCat("a", std::string("b"), sv, asv, 42, -7, int64_t{1} << 40, 1.5),
            "abviewabsl42-710995116277761.5");
}

TEST(StringsTest, StrAppendAppends) {
  std::string s = "x";
  StrAppend(&s, "y", 1);
  EXPECT_EQ(s, "xy1");
}

TEST(StringsTest, ReplaceAllIsOnePass) {
  EXPECT_EQ(StrReplaceAll("a'b''c", {{"'", "''"}}), "a''b''''c");
  EXPECT_EQ(StrReplaceAll("1_000_000", {{"_", ""}}), "1000000");
}

TEST(StringsTest, JoinAndContains) {
  EXPECT_EQ(StrJoin({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(StrJoin({}, ", "), "");
  EXPECT_TRUE(StrContains("hello", "ell"));
  EXPECT_FALSE(StrContains("hello", "xyz"));
}

}  // namespace
}  // namespace dra

namespace dra {
namespace {

TEST(StringsTest, GoQuoteMatchesStrconvQuote) {
  EXPECT_EQ(GoQuote("plain"), "\"plain\"");
  EXPECT_EQ(GoQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(GoQuote("\a\b\f\n\r\t\v"), "\"\\a\\b\\f\\n\\r\\t\\v\"");
  EXPECT_EQ(GoQuote(std::string("\x01\x7f", 2)), "\"\\x01\\x7f\"");
  EXPECT_EQ(GoQuote("\xff"), "\"\\xff\"");
  EXPECT_EQ(GoQuote("\xc3\xa9t\xc3\xa9"), "\"\xc3\xa9t\xc3\xa9\"");
  EXPECT_EQ(GoQuote("\xef\xbb\xbf"), "\"\\ufeff\"");
}

TEST(StringsTest, DecodeUtf8RejectsMalformed) {
  uint32_t rune = 0;
  EXPECT_EQ(DecodeUtf8("\xe2\x82\xac", 0, &rune), 3u);
  EXPECT_EQ(rune, 0x20ACu);
  EXPECT_EQ(DecodeUtf8("\xc0\x80", 0, &rune), 0u);      // overlong
  EXPECT_EQ(DecodeUtf8("\xed\xa0\x80", 0, &rune), 0u);  // surrogate
  EXPECT_EQ(DecodeUtf8("\xe2\x82", 0, &rune), 0u);      // truncated
}

}  // namespace
}  // namespace dra
