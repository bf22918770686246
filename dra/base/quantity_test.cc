#include "dra/base/quantity.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Expected values come from k8s.io/apimachinery/pkg/api/resource: the tables of its
// quantity_test.go (TestQuantityParse, TestQuantityString, TestQuantityParseEmit,
// TestParseQuantity, TestQuantityCmp, TestQuantityCmpInt64AndDec, TestAdd, TestSub,
// TestNewSet, TestMilliNewSet, TestNewScaledSet, TestScaledValue,
// TestQuantityAsApproximateFloat64) and, for the other columns and the quirks, from running
// the upstream Go code on the same inputs.

namespace dra {
namespace {

using Format = Quantity::Format;
constexpr Format kDec = Format::kDecimalSI;
constexpr Format kBin = Format::kBinarySI;
constexpr Format kExp = Format::kDecimalExponent;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr std::optional<int64_t> kNone = std::nullopt;

constexpr std::string_view kRegexpError =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

Quantity Q(std::string_view text) {
  absl::StatusOr<Quantity> q = Quantity::Parse(text);
  EXPECT_TRUE(q.ok()) << text << ": " << q.status();
  return q.ok() ? *q : Quantity();
}

uint64_t Bits(double d) {
  uint64_t b = 0;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

struct ParseCase {
  std::string_view input;
  std::string_view canonical;
  Format format;
  int64_t value;
  int64_t milli_value;
  std::optional<int64_t> as_int64;
};

// input -> ToString(), format(), Value(), MilliValue(), AsInt64().
constexpr ParseCase kParseCases[] = {
    {"0", "0", kDec, 0, 0, int64_t{0}},
    {"0n", "0", kDec, 0, 0, kNone},
    {"0u", "0", kDec, 0, 0, kNone},
    {"0m", "0", kDec, 0, 0, kNone},
    {"0Ki", "0", kBin, 0, 0, int64_t{0}},
    {"0k", "0", kDec, 0, 0, int64_t{0}},
    {"0Mi", "0", kBin, 0, 0, int64_t{0}},
    {"0M", "0", kDec, 0, 0, int64_t{0}},
    {"0Gi", "0", kBin, 0, 0, int64_t{0}},
    {"0G", "0", kDec, 0, 0, int64_t{0}},
    {"0Ti", "0", kBin, 0, 0, int64_t{0}},
    {"0T", "0", kDec, 0, 0, int64_t{0}},
    {"1", "1", kDec, 1, 1000, int64_t{1}},
    {"1Ki", "1Ki", kBin, 1024, 1024000, int64_t{1024}},
    {"8Ki", "8Ki", kBin, 8192, 8192000, int64_t{8192}},
    {"7Mi", "7Mi", kBin, 7340032, 7340032000, int64_t{7340032}},
    {"6Gi", "6Gi", kBin, 6442450944, 6442450944000, int64_t{6442450944}},
    {"5Ti", "5Ti", kBin, 5497558138880, 5497558138880000, int64_t{5497558138880}},
    {"4Pi", "4Pi", kBin, 4503599627370496, 4503599627370496000, kNone},
    {"3Ei", "3Ei", kBin, 3458764513820540928, kMin, kNone},
    {"10Ti", "10Ti", kBin, 10995116277760, 10995116277760000, int64_t{10995116277760}},
    {"100Ti", "100Ti", kBin, 109951162777600, 109951162777600000, kNone},
    {"5n", "5n", kDec, 1, 1, kNone},
    {"4u", "4u", kDec, 1, 1, kNone},
    {"3m", "3m", kDec, 1, 3, kNone},
    {"9", "9", kDec, 9, 9000, int64_t{9}},
    {"8k", "8k", kDec, 8000, 8000000, int64_t{8000}},
    {"50k", "50k", kDec, 50000, 50000000, int64_t{50000}},
    {"7M", "7M", kDec, 7000000, 7000000000, int64_t{7000000}},
    {"6G", "6G", kDec, 6000000000, 6000000000000, int64_t{6000000000}},
    {"5T", "5T", kDec, 5000000000000, 5000000000000000, int64_t{5000000000000}},
    {"40T", "40T", kDec, 40000000000000, 40000000000000000, int64_t{40000000000000}},
    {"300T", "300T", kDec, 300000000000000, 300000000000000000, int64_t{300000000000000}},
    {"2P", "2P", kDec, 2000000000000000, 2000000000000000000, int64_t{2000000000000000}},
    {"1E", "1E", kDec, 1000000000000000000, 0, int64_t{1000000000000000000}},
    {"1E-3", "1E-3", kExp, 1, 1, kNone},
    {"1e3", "1e3", kExp, 1000, 1000000, int64_t{1000}},
    {"1E6", "1E6", kExp, 1000000, 1000000000, int64_t{1000000}},
    {"1e9", "1e9", kExp, 1000000000, 1000000000000, int64_t{1000000000}},
    {"1E12", "1E12", kExp, 1000000000000, 1000000000000000, int64_t{1000000000000}},
    {"1e15", "1e15", kExp, 1000000000000000, 1000000000000000000, int64_t{1000000000000000}},
    {"1E18", "1E18", kExp, 1000000000000000000, 0, int64_t{1000000000000000000}},
    {"1e14", "100e12", kExp, 100000000000000, 100000000000000000, int64_t{100000000000000}},
    {"1e13", "10e12", kExp, 10000000000000, 10000000000000000, int64_t{10000000000000}},
    {"100.035k", "100.035k", kDec, 100035, 100035000, int64_t{100035}},
    {"0.001", "1m", kDec, 1, 1, kNone},
    {"0.0005k", "500m", kDec, 1, 500, kNone},
    {"0.005", "5m", kDec, 1, 5, kNone},
    {"0.05", "50m", kDec, 1, 50, kNone},
    {"0.5", "500m", kDec, 1, 500, kNone},
    {"0.00050k", "500m", kDec, 1, 500, kNone},
    {"0.00500", "5m", kDec, 1, 5, kNone},
    {"0.05000", "50m", kDec, 1, 50, kNone},
    {"0.50000", "500m", kDec, 1, 500, kNone},
    {"0.5e0", "500e-3", kExp, 1, 500, kNone},
    {"0.5e-1", "50e-3", kExp, 1, 50, kNone},
    {"0.5e-2", "5e-3", kExp, 1, 5, kNone},
    {"10.035M", "10.035M", kDec, 10035000, 10035000000, int64_t{10035000}},
    {"1.2e3", "1200", kExp, 1200, 1200000, int64_t{1200}},
    {"1.3E+6", "1300e3", kExp, 1300000, 1300000000, int64_t{1300000}},
    {"1.40e9", "1400e6", kExp, 1400000000, 1400000000000, int64_t{1400000000}},
    {"1.53E12", "1530e9", kExp, 1530000000000, 1530000000000000, int64_t{1530000000000}},
    {"1.6e15", "1600e12", kExp, 1600000000000000, 1600000000000000000, int64_t{1600000000000000}},
    {"1.7E18", "1700e15", kExp, 1700000000000000000, 0, int64_t{1700000000000000000}},
    {"9.01", "9010m", kDec, 10, 9010, kNone},
    {"8.1k", "8100", kDec, 8100, 8100000, int64_t{8100}},
    {"7.123456M", "7.123456M", kDec, 7123456, 7123456000, int64_t{7123456}},
    {"6.987654321G", "6.987654321G", kDec, 6987654321, 6987654321000, int64_t{6987654321}},
    {"5.444T", "5.444T", kDec, 5444000000000, 5444000000000000, int64_t{5444000000000}},
    {"40.1T", "40100G", kDec, 40100000000000, 40100000000000000, int64_t{40100000000000}},
    {"300.2T", "300200G", kDec, 300200000000000, 300200000000000000, int64_t{300200000000000}},
    {"2.5P", "2500T", kDec, 2500000000000000, 2500000000000000000, int64_t{2500000000000000}},
    {"1.01E", "1010P", kDec, 1010000000000000000, 0, int64_t{1010000000000000000}},
    {"3.001n", "4n", kDec, 1, 1, kNone},
    {"1.1E-9", "2e-9", kExp, 1, 1, kNone},
    {"0.0000000001", "1n", kDec, 1, 1, kNone},
    {"0.0000000005", "1n", kDec, 1, 1, kNone},
    {"0.00000000050", "1n", kDec, 1, 1, kNone},
    {"0.5e-9", "1e-9", kExp, 1, 1, kNone},
    {"0.9n", "1n", kDec, 1, 1, kNone},
    {"0.00000012345", "124n", kDec, 1, 1, kNone},
    {"0.00000012354", "124n", kDec, 1, 1, kNone},
    {"9Ei", "9223372036854775807", kBin, 9223372036854775807, -1000, kNone},
    {"9223372036854775807Ki", "9223372036854775807", kBin, 9223372036854775807, -1000, kNone},
    {"12E", "12E", kDec, 0, 0, kNone},
    {"100.035Ki", "102435840m", kBin, 102436, 102435840, kNone},
    {"0.5Mi", "512Ki", kBin, 524288, 524288000, kNone},
    {"0.05Gi", "53687091200m", kBin, 53687092, 53687091200, kNone},
    {"0.025Ti", "27487790694400m", kBin, 27487790695, 27487790694400, kNone},
    {"0.000000000001Ki", "2n", kDec, 1, 1, kNone},
    {".001", "1m", kDec, 1, 1, kNone},
    {".0001k", "100m", kDec, 1, 100, kNone},
    {"1.", "1.", kDec, 1, 1000, int64_t{1}},
    {"1.G", "1.G", kDec, 1000000000, 1000000000000, int64_t{1000000000}},
    {"-1", "-1", kDec, -1, -1000, int64_t{-1}},
    {"-1.5", "-1500m", kDec, -2, -1500, kNone},
    {"-100m", "-100m", kDec, -1, -100, kNone},
    {"-1.5Gi", "-1536Mi", kBin, -1610612736, -1610612736000, kNone},
    {"-0.0000000001", "-1n", kDec, 1, 1, kNone},
    {"-9Ei", "-9223372036854775807", kBin, -9223372036854775807, 1000, kNone},
    {"+5", "+5", kDec, 5, 5000, int64_t{5}},
    {"+1", "+1", kDec, 1, 1000, int64_t{1}},
    {"01", "01", kDec, 1, 1000, int64_t{1}},
    {"-01", "-01", kDec, -1, -1000, int64_t{-1}},
    {"1.500k", "1.500k", kDec, 1500, 1500000, int64_t{1500}},
    {"1000", "1k", kDec, 1000, 1000000, int64_t{1000}},
    {"1000m", "1", kDec, 1, 1000, kNone},
    {"1024", "1024", kDec, 1024, 1024000, int64_t{1024}},
    {"1024Ki", "1Mi", kBin, 1048576, 1048576000, int64_t{1048576}},
    {"1536Ki", "1536Ki", kBin, 1572864, 1572864000, int64_t{1572864}},
    {"1.5Gi", "1536Mi", kBin, 1610612736, 1610612736000, kNone},
    {"1025Mi", "1025Mi", kBin, 1074790400, 1074790400000, int64_t{1074790400}},
    {"2048Ki", "2Mi", kBin, 2097152, 2097152000, int64_t{2097152}},
    {"1024Mi", "1Gi", kBin, 1073741824, 1073741824000, int64_t{1073741824}},
    {"1000M", "1G", kDec, 1000000000, 1000000000000, int64_t{1000000000}},
    {".001Ki", "1024m", kBin, 2, 1024, kNone},
    {".000001Ki", "1024u", kDec, 1, 2, kNone},
    {".000000001Ki", "1024n", kDec, 1, 1, kNone},
    {".000000000001Ki", "2n", kDec, 1, 1, kNone},
    {"0.1", "100m", kDec, 1, 100, kNone},
    {"1000E", "1", kDec, 0, 0, kNone},
    {"1e4", "10e3", kExp, 10000, 10000000, int64_t{10000}},
    {"100e1", "1e3", kExp, 1000, 1000000, int64_t{1000}},
    {"1e400", "10e399", kExp, 0, 0, kNone},
    {"1.5", "1500m", kDec, 2, 1500, kNone},
    {"1.1Ki", "1126400m", kBin, 1127, 1126400, kNone},
    {"2Ki", "2Ki", kBin, 2048, 2048000, int64_t{2048}},
    {"1Mi", "1Mi", kBin, 1048576, 1048576000, int64_t{1048576}},
    {"2Gi", "2Gi", kBin, 2147483648, 2147483648000, int64_t{2147483648}},
    {"50.703k", "50.703k", kDec, 50703, 50703000, int64_t{50703}},
    {"-", "0", kDec, 0, 0, int64_t{0}},
    {"+", "0", kDec, 0, 0, int64_t{0}},
    {".", "0", kDec, 0, 0, int64_t{0}},
    {"Ki", "0", kBin, 0, 0, int64_t{0}},
    {"m", "0", kDec, 0, 0, kNone},
    {"e5", "0", kExp, 0, 0, int64_t{0}},
    {"-999999999999999999", "-999999999999999999", kDec, -999999999999999999, -3875820019684211736,
     int64_t{-999999999999999999}},
    {"999999999999999999", "999999999999999999", kDec, 999999999999999999, 3875820019684211736,
     int64_t{999999999999999999}},
    {"999999999999999999.0", "999999999999999999", kDec, 999999999999999999, 3875820019684211736,
     kNone},
    {"999999999999999999.1", "999999999999999999100m", kDec, 1000000000000000000,
     3875820019684211836, kNone},
    {"9999999999999999999", "9999999999999999999", kDec, -8446744073709551617, 1864712049423023128,
     kNone},
    {"1000000000000000000", "1E", kDec, 1000000000000000000, 3875820019684212736, kNone},
    {"1.0E", "1E", kDec, 1000000000000000000, 0, int64_t{1000000000000000000}},
    {"1.0000000000000000001E", "1000000000000000000100m", kDec, 1000000000000000001,
     3875820019684212836, kNone},
    {"10E", "10E", kDec, 0, 0, kNone},
    {"10000000000000000000", "10E", kDec, -8446744073709551616, 1864712049423024128, kNone},
    {"9223372036854775806", "9223372036854775806", kDec, 9223372036854775806, -2000, kNone},
    {"9223372036854775807", "9223372036854775807", kDec, 9223372036854775807, -1000, kNone},
    {"9223372036854775808", "9223372036854775808", kDec, kMin, 0, kNone},
    {"-9223372036854775808", "-9223372036854775808", kDec, 0, 0, kNone},
    {"9223372036854775807.1", "9223372036854775807100m", kDec, kMin, -900, kNone},
    {"9999999999999999999999999999999999999G", "9999999999999999999999999999999999999G", kDec,
     8023796053858137600, -537618205517352960, kNone},
};

TEST(QuantityParseTest, Table) {
  for (const ParseCase& c : kParseCases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<Quantity> q = Quantity::Parse(c.input);
    ASSERT_TRUE(q.ok()) << q.status();
    EXPECT_EQ(q->ToString(), c.canonical);
    EXPECT_EQ(q->format(), c.format);
    EXPECT_EQ(q->Value(), c.value);
    EXPECT_EQ(q->MilliValue(), c.milli_value);
    EXPECT_EQ(q->AsInt64(), c.as_int64);
    EXPECT_EQ(q->IsInteger(), c.as_int64.has_value());
  }
}

TEST(QuantityParseTest, CanonicalFormRoundTrips) {
  for (const ParseCase& c : kParseCases) {
    // Upstream prints 10^21 as "1" (no suffix for 10^21), which does not round-trip.
    if (c.input == "1000E") continue;
    SCOPED_TRACE(c.input);
    const Quantity q = Q(c.input);
    const Quantity again = Q(c.canonical);
    EXPECT_EQ(again.Compare(q), 0) << c.canonical;
    EXPECT_EQ(again.ToString(), c.canonical);
  }
}

// TestQuantityParse's "negative version of everything" and "explicit +": same magnitude and
// format, opposite (or same) sign.
TEST(QuantityParseTest, SignedVariants) {
  for (const ParseCase& c : kParseCases) {
    if (c.input.empty() || c.input[0] == '-' || c.input[0] == '+') continue;
    SCOPED_TRACE(c.input);
    const Quantity q = Q(c.input);
    const Quantity neg = Q(absl::StrCat("-", absl::string_view(c.input.data(), c.input.size())));
    const Quantity pos = Q(absl::StrCat("+", absl::string_view(c.input.data(), c.input.size())));
    EXPECT_EQ(neg.Compare(q.Neg()), 0);
    EXPECT_EQ(neg.Sign(), -q.Sign());
    EXPECT_EQ(neg.format(), q.format());
    EXPECT_EQ(pos.Compare(q), 0);
    EXPECT_EQ(pos.format(), q.format());
  }
}

// TestQuantityParseEmit, both signs.
TEST(QuantityParseTest, ParseEmit) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"1Ki", "1Ki"},
      {"1Mi", "1Mi"},
      {"1Gi", "1Gi"},
      {"1024Mi", "1Gi"},
      {"1000M", "1G"},
      {".001Ki", "1024m"},
      {".000001Ki", "1024u"},
      {".000000001Ki", "1024n"},
      {".000000000001Ki", "2n"},
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(Q(in).ToString(), out) << in;
    const std::string neg_in = absl::StrCat("-", absl::string_view(in.data(), in.size()));
    EXPECT_EQ(Q(neg_in).ToString(), absl::StrCat("-", absl::string_view(out.data(), out.size())))
        << neg_in;
  }
}

// TestParseQuantity: AsInt64 depends on the representation upstream picks; canonical forms of
// values around and beyond int64.
TEST(QuantityParseTest, LargeValues) {
  struct Case {
    std::string_view input;
    std::optional<int64_t> as_int64;
    std::string_view canonical;  // Empty: same as input.
  };
  const Case cases[] = {
      {"-999999999999999999", -999999999999999999, ""},
      {"999999999999999999", 999999999999999999, ""},
      {"-999999999999999999.0", kNone, "-999999999999999999"},
      {"999999999999999999.0", kNone, "999999999999999999"},
      {"-999999999999999999.1", kNone, "-999999999999999999100m"},
      {"999999999999999999.1", kNone, "999999999999999999100m"},
      {"-9999999999999999999", kNone, ""},
      {"9999999999999999999", kNone, ""},
      {"-1E", -1000000000000000000, ""},
      {"1E", 1000000000000000000, ""},
      {"-1000000000000000000", kNone, "-1E"},
      {"1000000000000000000", kNone, "1E"},
      {"-9999999999999999999.0", kNone, "-9999999999999999999"},
      {"9999999999999999999.0", kNone, "9999999999999999999"},
      {"-1.0E", -1000000000000000000, "-1E"},
      {"1.0E", 1000000000000000000, "1E"},
      {"-1000000000000000000.0", kNone, "-1E"},
      {"1000000000000000000.0", kNone, "1E"},
      {"-9999999999999999999000m", kNone, "-9999999999999999999"},
      {"9999999999999999999000m", kNone, "9999999999999999999"},
      {"-9999999999999999999.1", kNone, "-9999999999999999999100m"},
      {"9999999999999999999.1", kNone, "9999999999999999999100m"},
      {"-1.0000000000000000001E", kNone, "-1000000000000000000100m"},
      {"1.0000000000000000001E", kNone, "1000000000000000000100m"},
      {"-1000000000000000000.1", kNone, "-1000000000000000000100m"},
      {"1000000000000000000.1", kNone, "1000000000000000000100m"},
      {"-1.000000000000000001E", kNone, "-1000000000000000001"},
      {"1.000000000000000001E", kNone, "1000000000000000001"},
      {"-1000000000000000001", kNone, ""},
      {"1000000000000000001", kNone, ""},
      {"-10E", kNone, ""},
      {"10E", kNone, ""},
      {"-10000000000000000000", kNone, "-10E"},
      {"10000000000000000000", kNone, "10E"},
      {"-10.0E", kNone, "-10E"},
      {"10.0E", kNone, "10E"},
      {"-10000000000000000000.0", kNone, "-10E"},
      {"10000000000000000000.0", kNone, "10E"},
      {"-10000000000000000000000m", kNone, "-10E"},
      {"10000000000000000000000m", kNone, "10E"},
      {"-10.0000000000000000001E", kNone, "-10000000000000000000100m"},
      {"10.0000000000000000001E", kNone, "10000000000000000000100m"},
      {"-10000000000000000000.1", kNone, "-10000000000000000000100m"},
      {"10000000000000000000.1", kNone, "10000000000000000000100m"},
      {"-10.000000000000000001E", kNone, "-10000000000000000001"},
      {"10.000000000000000001E", kNone, "10000000000000000001"},
      {"-10000000000000000001", kNone, ""},
      {"10000000000000000001", kNone, ""},
      {"-9223372036854775809", kNone, ""},
      {"9223372036854775806", kNone, ""},
      {"-9223372036854775809.0", kNone, "-9223372036854775809"},
      {"9223372036854775806.0", kNone, "9223372036854775806"},
      {"-9223372036854775809000m", kNone, "-9223372036854775809"},
      {"9223372036854775806000m", kNone, "9223372036854775806"},
      {"-9223372036854775809.1", kNone, "-9223372036854775809100m"},
      {"9223372036854775806.1", kNone, "9223372036854775806100m"},
      {"-9223372036854775808", kNone, ""},
      {"9223372036854775807", kNone, ""},
      {"-9223372036854775808.0", kNone, "-9223372036854775808"},
      {"9223372036854775807.0", kNone, "9223372036854775807"},
      {"-9223372036854775808000m", kNone, "-9223372036854775808"},
      {"9223372036854775807000m", kNone, "9223372036854775807"},
      {"-9223372036854775808.1", kNone, "-9223372036854775808100m"},
      {"9223372036854775807.1", kNone, "9223372036854775807100m"},
      {"-9223372036854775807", kNone, ""},
      {"9223372036854775808", kNone, ""},
      {"-9223372036854775807.0", kNone, "-9223372036854775807"},
      {"9223372036854775808.0", kNone, "9223372036854775808"},
      {"-9223372036854775807000m", kNone, "-9223372036854775807"},
      {"9223372036854775808000m", kNone, "9223372036854775808"},
      {"-9223372036854775807.1", kNone, "-9223372036854775807100m"},
      {"9223372036854775808.1", kNone, "9223372036854775808100m"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    const Quantity q = Q(c.input);
    EXPECT_EQ(q.AsInt64(), c.as_int64);
    EXPECT_EQ(q.ToString(), c.canonical.empty() ? c.input : c.canonical);
  }
}

TEST(QuantityParseTest, Errors) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      // TestQuantityParse's invalid list.
      {"", kRegexpError},
      {"1.1.M", kRegexpError},
      {"1+1.0M", kRegexpError},
      {"0.1mi", "unable to parse quantity's suffix"},
      {"0.1am", kRegexpError},
      {"aoeu", kRegexpError},
      {".5i", "unable to parse quantity's suffix"},
      {"1i", "unable to parse quantity's suffix"},
      {"-3.01i", "unable to parse quantity's suffix"},
      {"-3.01e-", "unable to parse quantity's suffix"},
      {" 1", kRegexpError},
      {"1 ", kRegexpError},
      // More.
      {"Non-Numeric", kRegexpError},
      {"1e", "unable to parse quantity's suffix"},
      {"1e+", "unable to parse quantity's suffix"},
      {"1ee3", "unable to parse quantity's suffix"},
      {"1Ee3", "unable to parse quantity's suffix"},
      {"1e3.5", kRegexpError},
      {"1e1e1", kRegexpError},
      {"1e+-1", kRegexpError},
      {"--1", "unable to parse quantity's suffix"},
      {"+-1", "unable to parse quantity's suffix"},
      {"0x10", kRegexpError},
      {"1ki", "unable to parse quantity's suffix"},
      {"1KI", kRegexpError},
      {"1K", "unable to parse quantity's suffix"},
      {"1Gb", kRegexpError},
      {"1e99999999999999999999", "unable to parse quantity's suffix"},
      // The numeric part has no digit and the suffix forces the arbitrary-precision path.
      {"Pi", "unable to parse numeric part of quantity"},
      {".Ei", "unable to parse numeric part of quantity"},
      {"e-10", "unable to parse numeric part of quantity"},
      {"-.e-10", "unable to parse numeric part of quantity"},
  };
  for (const auto& [in, message] : cases) {
    absl::StatusOr<Quantity> q = Quantity::Parse(in);
    ASSERT_FALSE(q.ok()) << "'" << in << "' parsed as " << q->ToString();
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << in;
    EXPECT_EQ(std::string(q.status().message()), message) << in;
  }
}

// Where upstream would allocate without bound we refuse instead.
TEST(QuantityParseTest, TooLarge) {
  for (std::string_view in : {"1e-2147483648", "1234567890123456789e100000000"}) {
    absl::StatusOr<Quantity> q = Quantity::Parse(in);
    ASSERT_FALSE(q.ok()) << in;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(q.status().message()), testing::HasSubstr("too large"));
  }
  // Cheap in the int64 form: accepted as upstream does.
  EXPECT_EQ(Q("1e2147483647").ToString(), "10e2147483646");
  EXPECT_EQ(Q("1e400").ToString(), "10e399");
  // The exponent is truncated to int32, as upstream does.
  EXPECT_EQ(Q("1e4294967297").ToString(), "10");
  EXPECT_EQ(Q("1e9223372036854775807").ToString(), "100e-3");
}

// TestQuantityString: canonical form of values built from mantissa * 10^exponent, and the
// alternate spellings that parse to the same canonical form.
TEST(QuantityStringTest, Table) {
  struct Case {
    int64_t value;
    int32_t scale;
    Format format;
    std::string_view expect;
    std::string_view alternate;
  };
  const Case cases[] = {
      {1024 * 1024 * 1024, 0, kBin, "1Gi", "1024Mi"},
      {300 * 1024 * 1024, 0, kBin, "300Mi", "307200Ki"},
      {6 * 1024, 0, kBin, "6Ki", ""},
      {1001LL * 1024 * 1024 * 1024, 0, kBin, "1001Gi", "1025024Mi"},
      {1024LL * 1024 * 1024 * 1024, 0, kBin, "1Ti", "1024Gi"},
      {5, 0, kBin, "5", "5000m"},
      {500, -3, kBin, "500m", "0.5"},
      {1, 9, kDec, "1G", "1000M"},
      {1000, 6, kDec, "1G", "0.001T"},
      {1000000, 3, kDec, "1G", ""},
      {1000000000, 0, kDec, "1G", ""},
      {1, -3, kDec, "1m", "1000u"},
      {80, -3, kDec, "80m", ""},
      {1080, -3, kDec, "1080m", "1.08"},
      {108, -2, kDec, "1080m", "1080000000n"},
      {10800, -4, kDec, "1080m", ""},
      {300, 6, kDec, "300M", ""},
      {1, 12, kDec, "1T", ""},
      {1234567, 6, kDec, "1234567M", ""},
      {1234567, -3, kBin, "1234567m", ""},
      {3, 3, kDec, "3k", ""},
      {1025, 0, kBin, "1025", ""},
      {0, 0, kDec, "0", ""},
      {0, 0, kBin, "0", ""},
      {1, 9, kExp, "1e9", ".001e12"},
      {1, -3, kExp, "1e-3", "0.001e0"},
      {1, -9, kExp, "1e-9", "1000e-12"},
      {80, -3, kExp, "80e-3", ""},
      {300, 6, kExp, "300e6", ""},
      {1, 12, kExp, "1e12", ""},
      {1, 3, kExp, "1e3", ""},
      {3, 3, kExp, "3e3", ""},
      {3, 3, kDec, "3k", ""},
      {0, 0, kExp, "0", "00"},
      {1, -9, kDec, "1n", ""},
      {80, -9, kDec, "80n", ""},
      {1080, -9, kDec, "1080n", ""},
      {108, -8, kDec, "1080n", ""},
      {10800, -10, kDec, "1080n", ""},
      {1, -6, kDec, "1u", ""},
      {80, -6, kDec, "80u", ""},
      {1080, -6, kDec, "1080u", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expect);
    const Quantity q = Quantity::FromScaled(c.value, c.scale, c.format);
    EXPECT_EQ(q.ToString(), c.expect);
    // The canonical form parses back to itself.
    EXPECT_EQ(Q(c.expect).ToString(), c.expect);
    if (!c.alternate.empty()) {
      EXPECT_EQ(Q(c.alternate).ToString(), c.expect) << c.alternate;
    }
    if (c.value != 0) {
      EXPECT_EQ(q.Neg().ToString(),
                absl::StrCat("-", absl::string_view(c.expect.data(), c.expect.size())));
    }
  }
}

TEST(QuantityStringTest, Quirks) {
  // A decimal exponent beyond the SI suffixes prints the bare mantissa.
  EXPECT_EQ(Q("1000E").ToString(), "1");
  EXPECT_EQ(Quantity::FromScaled(1, -12).ToString(), "1");
  EXPECT_EQ(Quantity::FromScaled(1, 21, kExp).ToString(), "1e21");
  // So does a power of 1024 beyond Ei.
  EXPECT_EQ(Q("8Ei").Add(Q("8Ei")).ToString(), "18446744073709551614");
  Quantity two_to_70(Quantity::FromInt64(0, kBin));
  for (int i = 0; i < 256; ++i) two_to_70 = two_to_70.Add(Q("4Ei"));
  EXPECT_EQ(two_to_70.ToString(), "1");  // 1024^7
  EXPECT_EQ(two_to_70.Sub(Q("4Ei")).ToString(), "1020Ei");
  EXPECT_EQ(Quantity::FromScaled(1 << 10, 21, kBin).ToString(), "953674316406250Gi");
  // -2^63 in the int64 form keeps no binary suffix.
  EXPECT_EQ(Quantity::FromInt64(kMin, kBin).ToString(), "-9223372036854775808");
  EXPECT_EQ(Quantity::FromInt64(kMin + 1, kBin).ToString(), "-9223372036854775807");
  // Canonical-looking input is echoed, even with a sign or leading zeros.
  EXPECT_EQ(Q("+1").ToString(), "+1");
  EXPECT_EQ(Q("01").ToString(), "01");
  EXPECT_EQ(Q("1.500k").ToString(), "1.500k");
  EXPECT_EQ(Q("1.").ToString(), "1.");
  EXPECT_EQ(Q("+1Ki").ToString(), "+1Ki");
  // ...until arithmetic produces a new value.
  EXPECT_EQ(Q("+1").Add(Quantity()).ToString(), "1");
  EXPECT_EQ(Q("1.500k").Sub(Q("0")).ToString(), "1500");
}

// TestNewSet / TestMilliNewSet / TestNewScaledSet.
TEST(QuantityStringTest, Constructors) {
  EXPECT_EQ(Quantity::FromInt64(1).ToString(), "1");
  EXPECT_EQ(Quantity::FromInt64(1000).ToString(), "1k");
  EXPECT_EQ(Quantity::FromInt64(1234000).ToString(), "1234k");
  EXPECT_EQ(Quantity::FromInt64(1024, kBin).ToString(), "1Ki");
  EXPECT_EQ(Quantity::FromInt64(1000000, kExp).ToString(), "1e6");
  EXPECT_EQ(Quantity::FromInt64(1024 * 1024, kBin).ToString(), "1Mi");
  EXPECT_EQ(Quantity::FromScaled(1, -3).ToString(), "1m");
  EXPECT_EQ(Quantity::FromScaled(1000, -3).ToString(), "1");
  EXPECT_EQ(Quantity::FromScaled(1234000, -3).ToString(), "1234");
  EXPECT_EQ(Quantity::FromScaled(1024, -3, kBin).ToString(), "1024m");
  EXPECT_EQ(Quantity::FromScaled(1000000, -3, kExp).ToString(), "1e3");
  EXPECT_EQ(Quantity::FromScaled(1024 * 1024, -3, kBin).ToString(), "1048576m");
  const std::pair<std::pair<int64_t, int32_t>, std::string_view> scaled[] = {
      {{1, -9}, "1n"}, {{1000, -9}, "1u"}, {{1, -6}, "1u"}, {{1000, -6}, "1m"},
      {{1, -3}, "1m"}, {{1000, -3}, "1"},  {{1, 0}, "1"},   {{0, -9}, "0"},
      {{0, -6}, "0"},  {{0, -3}, "0"},     {{0, 0}, "0"},
  };
  for (const auto& [vs, expect] : scaled) {
    const Quantity q = Quantity::FromScaled(vs.first, vs.second);
    EXPECT_EQ(q.ToString(), expect);
    EXPECT_EQ(Q(expect).ScaledValue(vs.second), vs.first) << expect;
  }
  EXPECT_EQ(Quantity().ToString(), "0");
  EXPECT_EQ(Quantity().format(), kDec);
}

// TestScaledValue plus rounding: Value() and MilliValue() round up (away from zero in the int64
// form).
TEST(QuantityValueTest, ScaledValue) {
  const struct {
    int32_t from;
    int32_t to;
    int64_t expected;
  } cases[] = {
      {-9, -9, 1}, {-9, -6, 1},    {-9, -3, 1},         {-9, 0, 1},        {-6, -9, 1000},
      {-6, -6, 1}, {-6, -3, 1},    {-6, 0, 1},          {-3, -9, 1000000}, {-3, -6, 1000},
      {-3, -3, 1}, {-3, 0, 1},     {0, -9, 1000000000}, {0, -6, 1000000},  {0, -3, 1000},
      {0, 0, 1},   {2, -2, 10000},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Quantity::FromScaled(1, c.from).ScaledValue(c.to), c.expected)
        << c.from << " -> " << c.to;
  }
}

TEST(QuantityValueTest, Rounding) {
  EXPECT_EQ(Q("1.5").Value(), 2);
  EXPECT_EQ(Q("-1.5").Value(), -2);  // int64 form: away from zero.
  EXPECT_EQ(Q("1m").Value(), 1);
  EXPECT_EQ(Q("1001m").Value(), 2);
  EXPECT_EQ(Q("1n").MilliValue(), 1);
  EXPECT_EQ(Q("1.5u").MilliValue(), 1);
  EXPECT_EQ(Q("999999n").MilliValue(), 1);
  EXPECT_EQ(Q("1000001n").MilliValue(), 2);
  EXPECT_EQ(Q("-1000001n").MilliValue(), -2);
  EXPECT_EQ(Q("1Ki").MilliValue(), 1024000);
  // Decimal form: upstream's fast path truncates and adds one, so negatives round up too.
  EXPECT_EQ(Q("-0.0000000001").Value(), 1);
  EXPECT_EQ(Q("-1.5Gi").Value(), -1610612736);
  EXPECT_EQ(Q("-7.5Ki").Value(), -7680);
  EXPECT_EQ(Q("-7.3Ki").Value(), -7474);
  // Overflow wraps as upstream's does.
  EXPECT_EQ(Q("1E").MilliValue(), 0);
  EXPECT_EQ(Q("9223372036854775807").MilliValue(), -1000);
  EXPECT_EQ(Q("10000000000000000k").Value(), -8446744073709551616);
  EXPECT_EQ(Quantity::FromInt64(kMax).Value(), kMax);
  EXPECT_EQ(Quantity::FromInt64(kMin).Value(), kMin);
}

// TestQuantityCmp and TestQuantityCmpInt64AndDec.
TEST(QuantityCompareTest, Table) {
  EXPECT_EQ(Q("0").Compare(Q("0")), 0);
  EXPECT_EQ(Q("100m").Compare(Q("50m")), 1);
  EXPECT_EQ(Q("50m").Compare(Q("100m")), -1);
  EXPECT_EQ(Q("10000T").Compare(Q("100Gi")), 1);
  EXPECT_EQ(Q("1").Compare(Q("1000m")), 0);
  EXPECT_EQ(Q("1").Compare(Q("1e0")), 0);
  EXPECT_EQ(Q("1Ki").Compare(Q("1024")), 0);
  EXPECT_EQ(Q("1.5Gi").Compare(Q("1536Mi")), 0);
  EXPECT_EQ(Q("-1").Compare(Q("0")), -1);
  EXPECT_EQ(Q("9223372036854775808").Compare(Q("9223372036854775807")), 1);
  EXPECT_EQ(Q("1e400").Compare(Q("1e399")), 1);
  EXPECT_EQ(Q("-1e400").Compare(Q("1n")), -1);
  EXPECT_TRUE(Q("1") == Q("1000m"));
  EXPECT_TRUE(Q("999m") < Q("1"));

  const int64_t e18 = 1000000LL * 1000000 * 1000000;
  const struct {
    Quantity a;
    Quantity b;
    int cmp;
  } cases[] = {
      {Quantity::FromScaled(901, -2), Quantity::FromScaled(901, -2), 0},
      {Quantity::FromScaled(90, -1), Quantity::FromScaled(901, -2), -1},
      {Quantity::FromScaled(901, -2), Quantity::FromScaled(900, -2), 1},
      {Quantity::FromScaled(0, 0), Quantity::FromScaled(0, 0), 0},
      {Quantity::FromScaled(0, 1), Quantity::FromScaled(0, -1), 0},
      {Quantity::FromScaled(0, -1), Quantity::FromScaled(0, 1), 0},
      {Quantity::FromScaled(800, -3), Quantity::FromScaled(1, 0), -1},
      {Quantity::FromScaled(800, -3), Quantity::FromScaled(79, -2), 1},
      {Quantity::FromScaled(kMax, 0), Quantity::FromScaled(1, -1), 1},
      {Quantity::FromScaled(kMax, 1), Quantity::FromScaled(1, 0), 1},
      {Quantity::FromScaled(kMax, 1), Quantity::FromScaled(1, 1), 1},
      {Quantity::FromScaled(kMax, 1), Quantity::FromScaled(0, 1), 1},
      {Quantity::FromScaled(kMax, -16), Quantity::FromScaled(1, 3), -1},
      {Quantity::FromScaled(kMin, 0), Quantity::FromScaled(0, 0), -1},
      {Quantity::FromScaled(kMin, -18), Quantity::FromScaled(-1, 0), -1},
      {Quantity::FromScaled(kMin, -19), Quantity::FromScaled(-1, 0), 1},
      {Quantity::FromScaled(e18, -17), Quantity::FromScaled(1, 1), 0},
      {Quantity::FromScaled(e18, -17), Quantity::FromScaled(-10, 0), 1},
      {Quantity::FromScaled(-e18, -17), Quantity::FromScaled(-10, 0), 0},
      {Quantity::FromScaled(e18, -17), Quantity::FromScaled(1, 0), 1},
      {Quantity::FromScaled(e18 + 1, -17), Quantity::FromScaled(1, 1), 1},
      {Quantity::FromScaled(e18 - 1, -17), Quantity::FromScaled(1, 1), -1},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    EXPECT_EQ(cases[i].a.Compare(cases[i].b), cases[i].cmp) << i;
    EXPECT_EQ(cases[i].b.Compare(cases[i].a), -cases[i].cmp) << i;
    // Same against the arbitrary-precision form (x + 0.0 forces it).
    const Quantity a_dec = cases[i].a.Add(Q("1e-20")).Sub(Q("1e-20"));
    EXPECT_EQ(a_dec.AsInt64(), std::nullopt) << i;
    EXPECT_EQ(a_dec.Compare(cases[i].b), cases[i].cmp) << i;
    EXPECT_EQ(cases[i].b.Compare(a_dec), -cases[i].cmp) << i;
  }
}

TEST(QuantityCompareTest, Sign) {
  EXPECT_EQ(Q("0").Sign(), 0);
  EXPECT_EQ(Q("0Ki").Sign(), 0);
  EXPECT_EQ(Q("-0").Sign(), 0);
  EXPECT_EQ(Q("-1n").Sign(), -1);
  EXPECT_EQ(Q("1e400").Sign(), 1);
  EXPECT_EQ(Q("-1e400").Sign(), -1);
  EXPECT_TRUE(Q("0.0").IsZero());
  EXPECT_FALSE(Q("1e-30").IsZero());  // Rounded up to 1n.
}

// TestAdd / TestSub (formats follow the receiver unless it is zero).
TEST(QuantityArithmeticTest, AddSub) {
  const Quantity ten = Quantity::FromInt64(10);
  const Quantity ten_bin = Quantity::FromInt64(10, kBin);
  const Quantity one_e1 = Quantity::FromScaled(1, 1);
  const Quantity one = Quantity::FromInt64(1);
  const Quantity one_bin = Quantity::FromInt64(1, kBin);
  const Quantity fifty = Quantity::FromInt64(50);
  const Quantity zero;

  EXPECT_EQ(ten.Add(one_e1).Compare(Quantity::FromInt64(20)), 0);
  EXPECT_EQ(ten.Add(one_bin).Compare(Quantity::FromInt64(11)), 0);
  EXPECT_EQ(ten.Add(one_bin).format(), kDec);
  EXPECT_EQ(ten_bin.Add(one).format(), kBin);
  EXPECT_EQ(zero.Add(fifty).Compare(fifty), 0);
  EXPECT_EQ(fifty.Add(zero).Compare(fifty), 0);
  EXPECT_EQ(zero.Add(zero).Compare(zero), 0);

  EXPECT_TRUE(ten.Sub(one_e1).IsZero());
  EXPECT_EQ(ten.Sub(one_bin).Compare(Quantity::FromInt64(9)), 0);
  EXPECT_EQ(ten_bin.Sub(one).format(), kBin);
  EXPECT_EQ(zero.Sub(fifty).Compare(Quantity::FromInt64(-50)), 0);
  EXPECT_EQ(fifty.Sub(zero).Compare(fifty), 0);
  EXPECT_TRUE(zero.Sub(zero).IsZero());

  EXPECT_EQ(Q("1.5Gi").Add(Q("512Mi")).ToString(), "2Gi");
  EXPECT_EQ(Q("1").Add(Q("500m")).ToString(), "1500m");
  EXPECT_EQ(Q("1Gi").Sub(Q("1.5Gi")).ToString(), "-512Mi");
  EXPECT_EQ(Q("100m").Sub(Q("1")).ToString(), "-900m");
  EXPECT_EQ(Q("1e3").Add(Q("1")).ToString(), "1001");
  EXPECT_EQ(Q("1k").Add(Q("1e3")).ToString(), "2k");
  EXPECT_EQ(Q("1e3").Add(Q("1k")).ToString(), "2e3");
}

// TestQuantityAddZeroPreservesSuffix / TestQuantitySubZeroPreservesSuffix.
TEST(QuantityArithmeticTest, ZeroPreservesSuffix) {
  const Quantity zero = Q("0");
  for (std::string_view text : {"100m", "1Gi"}) {
    const Quantity v = Q(text);
    EXPECT_EQ(v.Add(zero).ToString(), text);
    EXPECT_EQ(zero.Add(v).ToString(), text);
    EXPECT_EQ(v.Sub(zero).ToString(), text);
    EXPECT_EQ(zero.Sub(v).ToString(), v.Neg().ToString());
  }
}

TEST(QuantityArithmeticTest, OverflowMovesToDecimal) {
  const Quantity max = Quantity::FromInt64(kMax);
  const Quantity sum = max.Add(Quantity::FromInt64(1));
  EXPECT_EQ(sum.ToString(), "9223372036854775808");
  EXPECT_EQ(sum.AsInt64(), std::nullopt);
  EXPECT_EQ(sum.Sub(Quantity::FromInt64(1)).ToString(), "9223372036854775807");
  // Still the decimal form, so no int64 value even though it would fit.
  EXPECT_EQ(sum.Sub(Quantity::FromInt64(1)).AsInt64(), std::nullopt);
  EXPECT_EQ(Q("999999999999999999").Add(Q("1n")).ToString(), "999999999999999999000000001n");
  EXPECT_EQ(Q("4Ei").Add(Q("4Ei")).ToString(), "8Ei");
  EXPECT_EQ(Q("-4Ei").Add(Q("-4Ei")).ToString(), "-8Ei");
  // Upstream negates -2^63 with wrapping when subtracting in the int64 form.
  EXPECT_EQ(Quantity().Sub(Quantity::FromInt64(kMin)).ToString(), "-9223372036854775808");
  EXPECT_EQ(Quantity::FromInt64(5).Sub(Quantity::FromInt64(kMin)).ToString(),
            "-9223372036854775803");
  // In the decimal form it is exact.
  EXPECT_EQ(Quantity().Sub(Q("-4Ei").Add(Q("-4Ei"))).ToString(), "8Ei");
}

TEST(QuantityArithmeticTest, KeepsScale) {
  // int64 form results keep the smaller scale, which AsInt64 observes.
  EXPECT_EQ(Q("1").Add(Q("500m")).Sub(Q("500m")).AsInt64(), std::nullopt);
  EXPECT_EQ(Q("1").Add(Q("500m")).Sub(Q("500m")).ToString(), "1");
  EXPECT_EQ(Q("1k").Add(Q("1")).AsInt64(), 1001);
}

// From k8s.io/apiserver/pkg/cel/library/quantity_test.go: quantity("50k").add(20) adds
// NewQuantity(20, DecimalExponent).
TEST(QuantityArithmeticTest, CelLibraryCases) {
  const Quantity twenty = Quantity::FromInt64(20, kExp);
  EXPECT_EQ(Q("50k").Add(twenty).Sub(Q("100k")).AsInt64(), -49980);
  EXPECT_EQ(Q("50k").Add(twenty).Sub(Q("100k")).Sub(Quantity::FromInt64(-50000, kExp)).AsInt64(),
            20);
  EXPECT_EQ(Q("50k").AsInt64(), 50000);
  EXPECT_FALSE(Q("9999999999999999999999999999999999999G").IsInteger());
  EXPECT_TRUE(Q("50").IsInteger());
  EXPECT_EQ(Q("50.703k").AsApproximateFloat64(), 50703.0);
  const Quantity big = Q("9999999999999999999999999999999999999");
  EXPECT_EQ(big.Add(Q("1")).Compare(big.Add(Q("2"))), -1);
  EXPECT_EQ(Quantity().Add(twenty).ToString(), "20");
  EXPECT_EQ(Quantity().Add(twenty).format(), kExp);
}

// TestAddSubRoundTrip / TestAddSubRoundTripAcrossScales.
TEST(QuantityArithmeticTest, RoundTrip) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> dist(0, kMax);
  for (int k = -10; k <= 10; ++k) {
    Quantity q;
    std::vector<int64_t> order;
    for (int i = 0; i < 100; ++i) {
      order.push_back(dist(rng));
      q = q.Add(Quantity::FromScaled(order.back(), k));
    }
    for (int64_t j : order) q = q.Sub(Quantity::FromScaled(j, k));
    EXPECT_TRUE(q.IsZero()) << k << ": " << q.ToString();
  }
  Quantity q;
  std::vector<int64_t> order;
  for (int i = 0; i < 100; ++i) {
    order.push_back(dist(rng));
    q = q.Add(Quantity::FromScaled(order.back(), static_cast<int32_t>(order.back() % 20 - 10)));
  }
  for (int64_t j : order) q = q.Sub(Quantity::FromScaled(j, static_cast<int32_t>(j % 20 - 10)));
  EXPECT_TRUE(q.IsZero()) << q.ToString();
  for (int i = 0; i < 100; ++i) {
    const Quantity x = Quantity::FromScaled(dist(rng), i % 21 - 10);
    EXPECT_EQ(x.Neg().Neg().Compare(x), 0);
    EXPECT_EQ(x.Neg().Sign(), -x.Sign());
  }
}

// TestQuantityAsApproximateFloat64 and TestStringQuantityAsApproximateFloat64.
TEST(QuantityFloatTest, Table) {
  const double m7 = 7.0 * 1024 * 1024;
  const struct {
    Quantity q;
    double expected;
  } cases[] = {
      {Quantity::FromScaled(0, 0, kDec), 0.0},
      {Quantity::FromScaled(0, 0, kExp), 0.0},
      {Quantity::FromScaled(0, 0, kBin), 0.0},
      {Quantity::FromScaled(1, 0, kDec), 1},
      {Quantity::FromScaled(1024, 0, kBin), 1024},
      {Quantity::FromScaled(8 * 1024, 0, kBin), 8 * 1024},
      {Quantity::FromScaled(7 * 1024 * 1024, 0, kBin), m7},
      {Quantity::FromScaled(7 * 1024 * 1024, 1, kBin), m7 * 10},
      {Quantity::FromScaled(7 * 1024 * 1024, 4, kBin), m7 * 10000},
      {Quantity::FromScaled(7 * 1024 * 1024, 8, kDec), m7 * 100000000},
      {Quantity::FromScaled(7 * 1024 * 1024, -1, kDec), m7 * 0.1},
      {Quantity::FromScaled(7 * 1024 * 1024, -8, kExp), m7 / 100000000.0},
      {Quantity::FromScaled(kMax, 0, kDec), 9223372036854775807.0},
      {Quantity::FromScaled(12, 18, kDec), 1.2e19},
      {Quantity::FromScaled(12, 500, kDec), std::numeric_limits<double>::infinity()},
      {Quantity::FromScaled(-12, 500, kDec), -std::numeric_limits<double>::infinity()},
      {Q("9Ei"), 9223372036854775807.0},
      {Q("2Ki"), 2048},
      {Q("1.1Ki"), 1126.4},
      {Q("1Mi"), 1.048576e+06},
      {Q("2Gi"), 2.147483648e+09},
      {Q("1e400"), std::numeric_limits<double>::infinity()},
      {Q("-1e400"), -std::numeric_limits<double>::infinity()},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    EXPECT_EQ(cases[i].q.AsApproximateFloat64(), cases[i].expected) << i;
  }
}

// The decimal form multiplies its unscaled digits by Pow10(-9), which rounds differently from
// the int64 form: bit patterns as upstream computes them.
TEST(QuantityFloatTest, RepresentationDependentBits) {
  EXPECT_EQ(Bits(Q("999999999999999999").AsApproximateFloat64()), 0x43abc16d674ec800u);
  EXPECT_EQ(Bits(Q("999999999999999999.0").AsApproximateFloat64()), 0x43abc16d674ec801u);
  EXPECT_EQ(Bits(Q("0.05Gi").AsApproximateFloat64()), 0x418999999999999au);
  EXPECT_EQ(Bits(Q("-7.5Ki").AsApproximateFloat64()), 0xc0be000000000001u);
  EXPECT_EQ(Bits(Q("123.456789n").AsApproximateFloat64()), 0x3e80a49b88e59fe0u);
  EXPECT_EQ(Bits(Q("1e-9").AsApproximateFloat64()), 0x3e112e0be826d695u);
}

}  // namespace
}  // namespace dra
