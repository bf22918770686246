#include "dra/base/semver.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

// Accept/reject decisions and messages are github.com/blang/semver/v4's (what Kubernetes' CEL
// semver() and DRA use); precedence examples are semver.org 2.0.0's.

namespace dra {
namespace {

SemVer V(std::string_view text) {
  absl::StatusOr<SemVer> v = SemVer::Parse(text);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status();
  return v.ok() ? *v : SemVer();
}

struct Case {
  std::string_view input;
  bool ok;
  std::string_view expected;  // ToString() when ok, else the error message.
};

void CheckCases(const std::vector<Case>& cases, bool normalize) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<SemVer> v =
        normalize ? SemVer::ParseNormalized(c.input) : SemVer::Parse(c.input);
    ASSERT_EQ(v.ok(), c.ok) << (v.ok() ? v->ToString() : std::string(v.status().message()));
    if (v.ok()) {
      EXPECT_EQ(v->ToString(), c.expected);
    } else {
      EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(std::string(v.status().message()), c.expected);
    }
  }
}

TEST(SemVerTest, ParseTable) {
  CheckCases(
      {
          {"", false, "Version string empty"},
          {"1", false, "No Major.Minor.Patch elements found"},
          {"1.2", false, "No Major.Minor.Patch elements found"},
          {"1.2.3.4", false, "Invalid character(s) found in patch number \"3.4\""},
          {"v1.2.3", false, "Invalid character(s) found in major number \"v1\""},
          {"01.2.3", false, "Major number must not contain leading zeroes \"01\""},
          {"1.02.3", false, "Minor number must not contain leading zeroes \"02\""},
          {"1.2.03", false, "Patch number must not contain leading zeroes \"03\""},
          {"1a.2.3", false, "Invalid character(s) found in major number \"1a\""},
          {"1.b.3", false, "Invalid character(s) found in minor number \"b\""},
          {"1.2.c", false, "Invalid character(s) found in patch number \"c\""},
          {".2.3", false, "strconv.ParseUint: parsing \"\": invalid syntax"},
          {"1..3", false, "strconv.ParseUint: parsing \"\": invalid syntax"},
          {"1.2.", false, "strconv.ParseUint: parsing \"\": invalid syntax"},
          {"18446744073709551616.0.0", false,
           "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
          {"1.2.3-", false, "Prerelease is empty"},
          {"1.2.3-.", false, "Prerelease is empty"},
          {"1.2.3-a..b", false, "Prerelease is empty"},
          {"1.2.3-01", false, "Numeric PreRelease version must not contain leading zeroes \"01\""},
          {"1.2.3-a_b", false, "Invalid character(s) found in prerelease \"a_b\""},
          {"1.2.3+", false, "Build meta data is empty"},
          {"1.2.3+a..b", false, "Build meta data is empty"},
          {"1.2.3+a_b", false, "Invalid character(s) found in build meta data \"a_b\""},
          {"1.2.3-18446744073709551616", false,
           "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"},
          {" 1.2.3", false, "Invalid character(s) found in major number \" 1\""},
          {"1.2.3 ", false, "Invalid character(s) found in patch number \"3 \""},
          {"1.2.3-rc.1+build.1", true, "1.2.3-rc.1+build.1"},
          {"1.2.3+build-1.01", true, "1.2.3+build-1.01"},
          {"1.2.3-0a", true, "1.2.3-0a"},
          {"1.2.3--", true, "1.2.3--"},
          {"1.2.3-a+b+c", false, "Invalid character(s) found in build meta data \"b+c\""},
          {"1.2.3+b-c", true, "1.2.3+b-c"},
          {"18446744073709551615.18446744073709551615.18446744073709551615", true,
           "18446744073709551615.18446744073709551615.18446744073709551615"},
      },
      /*normalize=*/false);
}

TEST(SemVerTest, ParseNormalizedTable) {
  CheckCases(
      {
          {"v1", true, "1.0.0"},
          {"1.0", true, "1.0.0"},
          {"01.01.01", true, "1.1.1"},
          {"v1.2.3-rc.1", true, "1.2.3-rc.1"},
          {"1.0-rc1", false, "short version cannot contain PreRelease/Build meta data"},
          {"1+b", false, "short version cannot contain PreRelease/Build meta data"},
          {"", false, "strconv.ParseUint: parsing \"\": invalid syntax"},
          {"v", false, "strconv.ParseUint: parsing \"\": invalid syntax"},
          {"00-rc.1.2", false, "Invalid character(s) found in major number \"0-rc\""},
          {"vv1.2.3", false, "Invalid character(s) found in major number \"0v1\""},
          {"1.2.3.4", false, "Invalid character(s) found in patch number \"3.4\""},
          {"0001", true, "1.0.0"},
      },
      /*normalize=*/true);
}

TEST(SemVerTest, Fields) {
  const SemVer v = V("1.2.3-alpha.1+build.5.x-y");
  EXPECT_EQ(v.major(), 1u);
  EXPECT_EQ(v.minor(), 2u);
  EXPECT_EQ(v.patch(), 3u);
  EXPECT_EQ(v.prerelease(), (std::vector<std::string>{"alpha", "1"}));
  EXPECT_EQ(v.build(), (std::vector<std::string>{"build", "5", "x-y"}));
  EXPECT_EQ(v.ToString(), "1.2.3-alpha.1+build.5.x-y");
  EXPECT_EQ(SemVer().ToString(), "0.0.0");
}

// semver.org section 11 and the spec's own examples.
TEST(SemVerTest, Precedence) {
  const std::vector<std::string_view> ascending = {
      "0.0.0-0",
      "0.0.0",
      "0.1.0",
      "0.9.0",
      "1.0.0-0",
      "1.0.0-0.0",
      "1.0.0-1",
      "1.0.0-2",
      "1.0.0-10",
      "1.0.0-18446744073709551615",
      "1.0.0--",
      "1.0.0-A",
      "1.0.0-Z",
      "1.0.0-a-b",
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.9.0",
      "1.10.0",
      "1.11.0",
      "2.0.0",
      "2.1.0",
      "2.1.1",
      "18446744073709551615.0.0",
  };
  for (size_t i = 0; i < ascending.size(); ++i) {
    for (size_t j = 0; j < ascending.size(); ++j) {
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(V(ascending[i]).Compare(V(ascending[j])), expected)
          << ascending[i] << " vs " << ascending[j];
    }
  }
}

TEST(SemVerTest, BuildMetadataIgnoredByCompareNotByEquality) {
  const SemVer a = V("1.0.0+20130313144700");
  const SemVer b = V("1.0.0+exp.sha.5114f85");
  const SemVer c = V("1.0.0");
  EXPECT_EQ(a.Compare(b), 0);
  EXPECT_EQ(a.Compare(c), 0);
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(a == c);
  EXPECT_TRUE(a == V("1.0.0+20130313144700"));
  EXPECT_EQ(V("1.0.0-alpha+001").Compare(V("1.0.0-alpha")), 0);
}

TEST(SemVerTest, RoundTrip) {
  for (std::string_view text :
       {"0.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--",
        "1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
        "1.0.0+21AF26D3----117B344092BD"}) {
    EXPECT_EQ(V(text).ToString(), text);
    EXPECT_TRUE(SemVer::MatchesSpecGrammar(text)) << text;
  }
}

// The grammar Kubernetes API validation checks (semver.org's regular expression).
TEST(SemVerTest, MatchesSpecGrammar) {
  for (std::string_view good :
       {"0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid",
        "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1",
        "1.0.0-alpha0.valid", "1.0.0-alpha.0valid", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123",
        "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "1.0.0", "2.0.0", "1.1.7",
        "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
        "1.0.0-0A.is.legal",
        // No size limit on numbers here, unlike Parse().
        "99999999999999999999999.999999999999999999.99999999999999999"}) {
    EXPECT_TRUE(SemVer::MatchesSpecGrammar(good)) << good;
  }
  for (std::string_view bad : {"1",
                               "1.2",
                               "1.2.3-0123",
                               "1.2.3-0123.0123",
                               "1.1.2+.123",
                               "+invalid",
                               "-invalid",
                               "-invalid+invalid",
                               "-invalid.01",
                               "alpha",
                               "alpha.beta",
                               "alpha.beta.1",
                               "alpha.1",
                               "alpha+beta",
                               "alpha_beta",
                               "alpha.",
                               "alpha..",
                               "beta",
                               "1.0.0-alpha_beta",
                               "-alpha.",
                               "1.0.0-alpha..",
                               "1.0.0-alpha..1",
                               "1.0.0-alpha...1",
                               "1.0.0-alpha....1",
                               "1.0.0-alpha.....1",
                               "1.0.0-alpha......1",
                               "1.0.0-alpha.......1",
                               "01.1.1",
                               "1.01.1",
                               "1.1.01",
                               "1.2",
                               "1.2.3.DEV",
                               "1.2-SNAPSHOT",
                               "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
                               "1.2-RC-SNAPSHOT",
                               "-1.0.3-gamma+b7718",
                               "+justmeta",
                               "9.8.7+meta+meta",
                               "9.8.7-whatever+meta+meta",
                               "v1.2.3",
                               " 1.2.3",
                               "1.2.3 ",
                               "1.2.3\n",
                               ""}) {
    EXPECT_FALSE(SemVer::MatchesSpecGrammar(bad)) << bad;
  }
}

// Parse() and the grammar agree except for numbers beyond uint64.
TEST(SemVerTest, ParseAgreesWithGrammar) {
  for (std::string_view text :
       {"1.2.3", "1.2.3-0123", "1.1.2+.123", "1.0.0-alpha..1", "9.8.7+meta+meta", "1.2.3----RC",
        "1.0.0-0A.is.legal", "1.2.3-a.b-c+d.e-f", "1.2.3-", "1.2.3+", "01.1.1", "1.2.3.4"}) {
    EXPECT_EQ(SemVer::Parse(text).ok(), SemVer::MatchesSpecGrammar(text)) << text;
  }
  EXPECT_FALSE(SemVer::Parse("18446744073709551616.0.0").ok());
  EXPECT_TRUE(SemVer::MatchesSpecGrammar("18446744073709551616.0.0"));
}

}  // namespace
}  // namespace dra
