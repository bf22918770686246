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
