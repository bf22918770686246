#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dra/base/strings.h"
#include "dra/cel/conformance/cases.h"
#include "dra/cel/conformance/runner.h"
#include "dra/cel/library/library.h"
#include "dra/cel/parser/parser.h"
#include "dra/cel/runtime/activation.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/interpreter.h"
#include "dra/cel/runtime/value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::cel {
namespace {

using ::testing::HasSubstr;

const FunctionRegistry& Registry() {
  static const FunctionRegistry* registry = [] {
    auto* r = new FunctionRegistry();
    absl::Status s = RegisterStandardFunctions(r);
    if (s.ok()) s = RegisterNetworkLibrary(r);
    EXPECT_TRUE(s.ok()) << s;
    return r;
  }();
  return *registry;
}

struct Result {
  Value value;
  int64_t cost = 0;
};

Result RunCel(std::string_view text) {
  absl::StatusOr<ParsedExpr> parsed = Parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status();
  if (!parsed.ok()) return {Value::Error("parse error")};
  absl::StatusOr<std::unique_ptr<Program>> program = Program::Create(*parsed->expr, Registry());
  EXPECT_TRUE(program.ok()) << text << ": " << program.status();
  if (!program.ok()) return {Value::Error(std::string(program.status().message()))};
  EvalDetails details;
  Value v = (*program)->Evaluate(Activation(), &details).Own();
  return {v, details.actual_cost};
}

std::string Eval(std::string_view text) { return RunCel(text).value.DebugString(); }

void ExpectTrue(std::string_view text) { EXPECT_EQ(Eval(text), "true") << text; }
void ExpectFalse(std::string_view text) { EXPECT_EQ(Eval(text), "false") << text; }

std::string ErrorOf(std::string_view text) {
  Value v = RunCel(text).value;
  if (!v.IsError()) return "no error, got " + v.DebugString();
  return v.error_message();
}

// --- ip() --------------------------------------------------------------------------------------

TEST(NetworkLibraryTest, IpRoundTripsToCanonicalText) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"192.168.0.1", "192.168.0.1"},
      {"0.0.0.0", "0.0.0.0"},
      {"255.255.255.255", "255.255.255.255"},
      {"2001:db8::68", "2001:db8::68"},
      {"2001:DB8::68", "2001:db8::68"},
      {"2001:db8::0:0:0:abcd", "2001:db8::abcd"},
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"0:0:0:0:0:0:0:0", "::"},
      {"1:0:0:1:0:0:0:1", "1:0:0:1::1"},
      {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},
      {"0:0:1:0:0:1:0:0", "::1:0:0:1:0:0"},
      {"2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"},
      {"::1.2.3.4", "::102:304"},
      {"64:ff9b::192.0.2.1", "64:ff9b::c000:201"},
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
      {"ffff::", "ffff::"},
  };
  for (const auto& [in, want] : kCases) {
    EXPECT_EQ(Eval(StrCat("string(ip('", in, "'))")), StrCat("\"", want, "\"")) << in;
  }
}

TEST(NetworkLibraryTest, IpParseErrorsUseKubernetesAndGoWording) {
  // Input, and netip.ParseAddr's error, which Kubernetes wraps.
  const std::pair<std::string_view, std::string_view> kParseErrors[] = {
      {"192.168.0.1.0", R"(ParseAddr("192.168.0.1.0"): IPv4 address too long)"},
      {"127.0.0.256", R"(ParseAddr("127.0.0.256"): IPv4 field has value >255)"},
      {"01.2.3.4", R"(ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero)"},
      {"1.2.3", R"(ParseAddr("1.2.3"): IPv4 address too short)"},
      {"1..2.3", R"(ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3"))"},
      {"1.2.3.4:80", R"(ParseAddr("1.2.3.4:80"): unexpected character (at ":80"))"},
      {"", R"(ParseAddr(""): unable to parse IP)"},
      {"localhost", R"(ParseAddr("localhost"): unable to parse IP)"},
      {"%eth0", R"(ParseAddr("%eth0"): missing IPv6 address)"},
      {":::1",
       R"(ParseAddr(":::1"): each colon-separated field must have at least one digit (at ":1"))"},
      {"2001:db8:::68",
       R"(ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit)"
       R"( (at ":68"))"},
      {"12345::", R"(ParseAddr("12345::"): each group must have 4 or less digits (at "12345::"))"},
      {"1:2:3", R"(ParseAddr("1:2:3"): address string too short)"},
      {"1:2:3:4:5:6:7:8:9",
       R"(ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9"))"},
      {"1:2:3:4:5:6:7::8",
       R"(ParseAddr("1:2:3:4:5:6:7::8"): the :: must expand to at least one field of zeros)"},
      {"1:", R"(ParseAddr("1:"): colon must be followed by more characters (at ":"))"},
      {"1:g::", R"(ParseAddr("1:g::"): each colon-separated field must have at least one digit)"
                R"( (at "g::"))"},
      {"1:2x::", R"(ParseAddr("1:2x::"): unexpected character, want colon (at "x::"))"},
      {"1::2::3", R"(ParseAddr("1::2::3"): multiple :: in address (at ":3"))"},
      {"::1.2.3.256", R"(ParseAddr("::1.2.3.256"): IPv4 field has value >255)"},
      {"1:2:3:4:5:6:7:1.2.3.4",
       R"(ParseAddr("1:2:3:4:5:6:7:1.2.3.4"): embedded IPv4 address must replace the final 2)"
       R"( fields of the address (at "1.2.3.4"))"},
      {"fe80::1%", R"(ParseAddr("fe80::1%"): zone must be a non-empty string)"},
  };
  for (const auto& [in, go_error] : kParseErrors) {
    EXPECT_EQ(ErrorOf(StrCat("ip('", in, "')")),
              StrCat("IP Address ", GoQuote(in),
                     " parse error during conversion from string: ", go_error))
        << in;
    EXPECT_EQ(Eval(StrCat("isIP('", in, "')")), "false") << in;
  }
  // Valid for netip, refused by Kubernetes.
  const std::pair<std::string_view, std::string_view> kRefused[] = {
      {"fe80::1%en0", R"(IP address "fe80::1%en0" with zone value is not allowed)"},
      {"::ffff:192.168.0.1", R"(IPv4-mapped IPv6 address "::ffff:192.168.0.1" is not allowed)"},
      {"::ffff:c0a8:1", R"(IPv4-mapped IPv6 address "::ffff:c0a8:1" is not allowed)"},
  };
  for (const auto& [in, want] : kRefused) {
    EXPECT_EQ(ErrorOf(StrCat("ip('", in, "')")), want) << in;
    EXPECT_EQ(Eval(StrCat("isIP('", in, "')")), "false") << in;
  }
  // A quote in the input is escaped as Go's %q escapes it.
  EXPECT_THAT(ErrorOf(R"(ip('a"b'))"), HasSubstr(R"(IP Address "a\"b" parse error)"));
}

TEST(NetworkLibraryTest, IsIpAndIsCanonical) {
  ExpectTrue("isIP('127.0.0.1')");
  ExpectTrue("isIP('::1')");
  ExpectFalse("isIP('127.0.0.256')");
  ExpectFalse("isIP(':::1')");
  ExpectTrue("ip.isCanonical('127.0.0.1')");
  ExpectTrue("ip.isCanonical('2001:db8::abcd')");
  ExpectFalse("ip.isCanonical('2001:DB8::ABCD')");
  ExpectFalse("ip.isCanonical('2001:db8::0:0:0:abcd')");
  EXPECT_EQ(ErrorOf("ip.isCanonical('127.0.0.1.0')"),
            R"(IP Address "127.0.0.1.0" parse error during conversion from string: )"
            R"(ParseAddr("127.0.0.1.0"): IPv4 address too long)");
}

TEST(NetworkLibraryTest, IpProperties) {
  EXPECT_EQ(Eval("ip('127.0.0.1').family()"), "4");
  EXPECT_EQ(Eval("ip('::1').family()"), "6");
  ExpectTrue("ip('0.0.0.0').isUnspecified()");
  ExpectFalse("ip('127.0.0.1').isUnspecified()");
  ExpectTrue("ip('::').isUnspecified()");
  ExpectFalse("ip('::1').isUnspecified()");
  ExpectTrue("ip('127.0.0.1').isLoopback()");
  ExpectTrue("ip('127.255.0.3').isLoopback()");
  ExpectFalse("ip('192.168.0.1').isLoopback()");
  ExpectTrue("ip('::1').isLoopback()");
  ExpectFalse("ip('2001:db8::abcd').isLoopback()");
  ExpectTrue("ip('224.0.0.1').isLinkLocalMulticast()");
  ExpectFalse("ip('224.0.1.1').isLinkLocalMulticast()");
  ExpectTrue("ip('ff02::1').isLinkLocalMulticast()");
  ExpectTrue("ip('ff32::1').isLinkLocalMulticast()");
  ExpectFalse("ip('fd00::1').isLinkLocalMulticast()");
  ExpectFalse("ip('ff05::1').isLinkLocalMulticast()");
  ExpectTrue("ip('169.254.169.254').isLinkLocalUnicast()");
  ExpectFalse("ip('192.168.0.1').isLinkLocalUnicast()");
  ExpectTrue("ip('fe80::1').isLinkLocalUnicast()");
  ExpectTrue("ip('febf::1').isLinkLocalUnicast()");
  ExpectFalse("ip('fec0::1').isLinkLocalUnicast()");
  ExpectFalse("ip('fd80::1').isLinkLocalUnicast()");
  ExpectTrue("ip('192.168.0.1').isGlobalUnicast()");
  ExpectTrue("ip('10.0.0.1').isGlobalUnicast()");
  ExpectFalse("ip('255.255.255.255').isGlobalUnicast()");
  ExpectFalse("ip('0.0.0.0').isGlobalUnicast()");
  ExpectFalse("ip('127.0.0.1').isGlobalUnicast()");
  ExpectFalse("ip('224.0.0.1').isGlobalUnicast()");
  ExpectFalse("ip('169.254.1.1').isGlobalUnicast()");
  ExpectTrue("ip('2001:db8::abcd').isGlobalUnicast()");
  ExpectTrue("ip('fd00::1').isGlobalUnicast()");
  ExpectFalse("ip('ff00::1').isGlobalUnicast()");
  ExpectFalse("ip('::').isGlobalUnicast()");
  ExpectFalse("ip('::1').isGlobalUnicast()");
  ExpectFalse("ip('fe80::1').isGlobalUnicast()");
}

TEST(NetworkLibraryTest, IpEqualityAndType) {
  ExpectTrue("ip('127.0.0.1') == ip('127.0.0.1')");
  ExpectFalse("ip('127.0.0.1') == ip('10.0.0.1')");
  ExpectTrue("ip('2001:db8::1') == ip('2001:DB8::1')");
  ExpectTrue("ip('2001:db8::1') == ip('2001:db8:0::1')");
  ExpectFalse("ip('::') == ip('0.0.0.0')");
  ExpectTrue("ip('127.0.0.1') != ip('::1')");
  ExpectTrue("[ip('::1'), ip('::2')].exists(x, x == ip('::2'))");
  ExpectTrue("type(ip('1.2.3.4')) == type(ip('::1'))");
  ExpectFalse("type(ip('1.2.3.4')) == type(cidr('::1/128'))");
  EXPECT_EQ(ErrorOf("ip('127.0.0.1') == dyn('127.0.0.1')"), "no such overload");
  EXPECT_EQ(ErrorOf("ip('127.0.0.1') == cidr('127.0.0.1/32')"), "no such overload");
}

TEST(NetworkLibraryTest, IpArgumentTypesAreChecked) {
  EXPECT_THAT(ErrorOf("ip(1)"), HasSubstr("no such overload"));
  EXPECT_THAT(ErrorOf("isIP(cidr('192.168.0.0/24'))"), HasSubstr("no such overload"));
  EXPECT_THAT(ErrorOf("'1.2.3.4'.family()"), HasSubstr("no such overload"));
  EXPECT_THAT(ErrorOf("cidr('1.2.3.0/24').family()"), HasSubstr("no such overload"));
  // Errors in arguments propagate.
  EXPECT_THAT(ErrorOf("ip('x').family()"), HasSubstr(R"(IP Address "x" parse error)"));
}

// --- cidr() ------------------------------------------------------------------------------------

TEST(NetworkLibraryTest, CidrRoundTrips) {
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"192.168.0.0/24", "192.168.0.0/24"},
      {"192.168.0.1/24", "192.168.0.1/24"},  // host bits are kept
      {"0.0.0.0/0", "0.0.0.0/0"},
      {"10.0.0.1/32", "10.0.0.1/32"},
      {"2001:db8::/32", "2001:db8::/32"},
      {"2001:DB8:0::/48", "2001:db8::/48"},
      {"::/0", "::/0"},
      {"::1/128", "::1/128"},
  };
  for (const auto& [in, want] : kCases) {
    EXPECT_EQ(Eval(StrCat("string(cidr('", in, "'))")), StrCat("\"", want, "\"")) << in;
    EXPECT_EQ(Eval(StrCat("isCIDR('", in, "')")), "true") << in;
  }
}

TEST(NetworkLibraryTest, CidrParseErrors) {
  constexpr std::string_view kPrefix =
      "network address parse error during conversion from string: "
      "network address parse error during conversion from string: ";
  const std::pair<std::string_view, std::string_view> kCases[] = {
      {"192.168.0.0/", R"(netip.ParsePrefix("192.168.0.0/"): bad bits after slash: "")"},
      {"2001:db8::/", R"(netip.ParsePrefix("2001:db8::/"): bad bits after slash: "")"},
      {"192.168.0.0", R"(netip.ParsePrefix("192.168.0.0"): no '/')"},
      {"192.168.0.0/33", R"(netip.ParsePrefix("192.168.0.0/33"): prefix length out of range)"},
      {"::1/129", R"(netip.ParsePrefix("::1/129"): prefix length out of range)"},
      {"10.0.0.0/08", R"(netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08")"},
      {"10.0.0.0/+8", R"(netip.ParsePrefix("10.0.0.0/+8"): bad bits after slash: "+8")"},
      {"10.0.0.0/-", R"(netip.ParsePrefix("10.0.0.0/-"): bad bits after slash: "-")"},
      {"10.0.0.0/8a", R"(netip.ParsePrefix("10.0.0.0/8a"): bad bits after slash: "8a")"},
      {"10.0.0.0/99999999999999999999",
       R"(netip.ParsePrefix("10.0.0.0/99999999999999999999"): bad bits after slash: )"
       R"("99999999999999999999")"},
      {"10.0.0.0/9223372036854775807",
       R"(netip.ParsePrefix("10.0.0.0/9223372036854775807"): prefix length out of range)"},
      {"1.2.3/8", R"(netip.ParsePrefix("1.2.3/8"): ParseAddr("1.2.3"): IPv4 address too short)"},
      {"1.2.3.4/8/8",
       R"(netip.ParsePrefix("1.2.3.4/8/8"): ParseAddr("1.2.3.4/8"): unexpected character)"
       R"( (at "/8"))"},
      {"fe80::1%en0/24",
       R"(netip.ParsePrefix("fe80::1%en0/24"): IPv6 zones cannot be present in a prefix)"},
  };
  for (const auto& [in, want] : kCases) {
    EXPECT_EQ(ErrorOf(StrCat("cidr('", in, "')")), StrCat(kPrefix, want)) << in;
    EXPECT_EQ(Eval(StrCat("isCIDR('", in, "')")), "false") << in;
  }
  EXPECT_EQ(ErrorOf("cidr('::ffff:192.168.0.1/24')"),
            "network address parse error during conversion from string: IPv4-mapped IPv6 "
            R"(address "::ffff:192.168.0.1/24" is not allowed)");
  ExpectFalse("isCIDR('::ffff:192.168.0.1/24')");
}

TEST(NetworkLibraryTest, CidrAccessors) {
  ExpectTrue("cidr('192.168.0.1/24').ip() == ip('192.168.0.1')");
  EXPECT_EQ(Eval("cidr('192.168.0.1/24').ip().family()"), "4");
  EXPECT_EQ(Eval("cidr('::1/128').ip().family()"), "6");
  EXPECT_EQ(Eval("string(cidr('192.168.0.1/24').masked())"), "\"192.168.0.0/24\"");
  EXPECT_EQ(Eval("string(cidr('2001:db8:1::/32').masked())"), "\"2001:db8::/32\"");
  EXPECT_EQ(Eval("string(cidr('10.255.255.255/0').masked())"), "\"0.0.0.0/0\"");
  EXPECT_EQ(Eval("string(cidr('10.255.255.255/13').masked())"), "\"10.248.0.0/13\"");
  EXPECT_EQ(Eval("string(cidr('ffff:ffff::/17').masked())"), "\"ffff:8000::/17\"");
  EXPECT_EQ(Eval("cidr('192.168.0.0/16').prefixLength()"), "16");
  EXPECT_EQ(Eval("cidr('::1/128').prefixLength()"), "128");
  ExpectTrue("cidr('192.168.0.0/24') == cidr('192.168.0.0/24').masked()");
  ExpectFalse("cidr('192.168.0.1/24') == cidr('192.168.0.1/24').masked()");
  ExpectFalse("cidr('192.168.0.0/24') == cidr('192.168.0.0/25')");
  ExpectFalse("cidr('2001:db8::/32') == cidr('10.0.0.1/32')");
  EXPECT_EQ(ErrorOf("cidr('10.0.0.0/8') == '10.0.0.0/8'"), "no such overload");
}

TEST(NetworkLibraryTest, ContainsIp) {
  ExpectTrue("cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))");
  ExpectFalse("cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))");
  ExpectTrue("cidr('192.168.0.0/24').containsIP('192.168.0.255')");
  ExpectFalse("cidr('192.168.0.0/24').containsIP('192.168.1.1')");
  ExpectTrue("cidr('192.168.0.7/24').containsIP('192.168.0.1')");  // unmasked prefix
  ExpectTrue("cidr('0.0.0.0/0').containsIP('255.1.2.3')");
  ExpectFalse("cidr('0.0.0.0/0').containsIP('::1')");
  ExpectFalse("cidr('::/0').containsIP('1.2.3.4')");
  ExpectTrue("cidr('2001:db8::/32').containsIP(ip('2001:db8::1'))");
  ExpectFalse("cidr('2001:db8::/32').containsIP(ip('2001:dc8::1'))");
  ExpectFalse("cidr('2001:db8::/32').containsIP(ip('192.168.1.1'))");
  ExpectFalse("cidr('192.168.1.1/32').containsIP(ip('2001:db8::1'))");
  ExpectTrue("cidr('10.0.0.1/32').containsIP('10.0.0.1')");
  ExpectFalse("cidr('10.0.0.1/32').containsIP('10.0.0.2')");
  // Kubernetes hands the failed conversion to cidrContainsIP, which reports no such overload.
  EXPECT_EQ(ErrorOf("cidr('10.0.0.0/8').containsIP('10.0.0.256')"), "no such overload");
  EXPECT_EQ(ErrorOf("cidr('::/0').containsIP('::ffff:1.2.3.4')"), "no such overload");
}

TEST(NetworkLibraryTest, ContainsCidr) {
  ExpectTrue("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))");
  ExpectTrue("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.128/25'))");
  ExpectTrue("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.1/32'))");
  ExpectFalse("cidr('192.168.0.0/24').containsCIDR(cidr('192.169.0.1/32'))");
  ExpectFalse("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/23'))");
  ExpectTrue("cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')");
  ExpectFalse("cidr('192.168.1.0/24').containsCIDR('192.168.2.0/24')");
  ExpectTrue("cidr('10.0.0.0/8').containsCIDR('10.0.0.0/8')");
  ExpectTrue("cidr('0.0.0.0/0').containsCIDR('1.2.3.0/24')");
  ExpectFalse("cidr('0.0.0.0/0').containsCIDR('::/0')");
  ExpectFalse("cidr('::/0').containsCIDR('0.0.0.0/0')");
  ExpectTrue("cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/33'))");
  ExpectFalse("cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/31'))");
  ExpectTrue("cidr('2001:db8::/32').containsCIDR('2001:db8:ffff::/48')");
  EXPECT_EQ(ErrorOf("cidr('10.0.0.0/8').containsCIDR('10.0.0.0/33')"),
            "network address parse error during conversion from string: "
            "network address parse error during conversion from string: "
            R"(netip.ParsePrefix("10.0.0.0/33"): prefix length out of range)");
  EXPECT_THAT(ErrorOf("cidr('10.0.0.0/8').containsCIDR(ip('10.0.0.1'))"),
              HasSubstr("no such overload"));
}

TEST(NetworkLibraryTest, RuntimeCostsFollowKubernetes) {
  // ip(): ceil(11 * 0.1) = 2.
  EXPECT_EQ(RunCel("ip('192.168.0.1')").cost, 2);
  // ip.isCanonical(): ceil(11 * 2 * 0.1) = 3.
  EXPECT_EQ(RunCel("ip.isCanonical('192.168.0.1')").cost, 3);
  // family(): 1, on top of ip().
  EXPECT_EQ(RunCel("ip('::1').family()").cost, 2);
  // cidr(): ceil(14 * 0.1) = 2; containsIP(string): ceil((3 + 3) * 0.1) + ceil(11 * 0.1) = 3.
  EXPECT_EQ(RunCel("cidr('192.168.0.0/24').containsIP('192.168.0.1')").cost, 5);
  // containsCIDR(cidr): ceil(6 * 0.1) + ceil(3 * 0.1) + 1 = 3, plus two cidr() calls of 2.
  EXPECT_EQ(RunCel("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))").cost, 7);
  // ip(''): Kubernetes charges ceil(0 * 0.1) = 0.
  EXPECT_EQ(RunCel("isIP('')").cost, 0);
}

// --- Conformance -------------------------------------------------------------------------------

std::string CelDir() { return StrCat(DRA_SHARED_DIR, "/conformance/cel"); }

// Core network_ext cases passing (of 66). Three cases compare with the type identifiers net.IP
// and net.CIDR, which the interpreter does not resolve yet (it knows only built-in type names).
constexpr int kNetworkExtCoreFloor = 63;

int RunNetworkExt(bool bind_type_names, int* in_scope) {
  auto scope = conformance::LoadScope(CelDir() + "/scope.tsv");
  EXPECT_TRUE(scope.ok()) << scope.status();
  if (!scope.ok()) return 0;
  auto cases = conformance::LoadTextprotoCases(CelDir() + "/network_ext.textproto", *scope);
  EXPECT_TRUE(cases.ok()) << cases.status();
  if (!cases.ok()) return 0;
  int passed = 0;
  *in_scope = 0;
  for (conformance::CelCase c : *cases) {
    if (c.scope != "core") continue;
    ++*in_scope;
    if (bind_type_names) {
      // What cel.Types(IPType, CIDRType) gives a cel-go environment, as plain bindings.
      c.bindings.push_back({"net.IP", conformance::ExpectedValue::Type("net.IP")});
      c.bindings.push_back({"net.CIDR", conformance::ExpectedValue::Type("net.CIDR")});
    }
    conformance::CaseResult r = conformance::RunCase(c, Registry());
    if (r.status == conformance::CaseResult::Status::kPass) {
      ++passed;
    } else {
      std::cout << "FAIL " << c.id << ": " << c.expr << " -> " << r.detail << "\n";
    }
  }
  return passed;
}

TEST(NetworkLibraryConformanceTest, NetworkExtCoreCases) {
  int in_scope = 0;
  int passed = RunNetworkExt(/*bind_type_names=*/false, &in_scope);
  std::cout << "network_ext: " << passed << " passed / " << in_scope << " in scope\n";
  EXPECT_EQ(in_scope, 66);
  EXPECT_GE(passed, kNetworkExtCoreFloor);
}

TEST(NetworkLibraryConformanceTest, NetworkExtCoreCasesWithTypeNamesBound) {
  int in_scope = 0;
  int passed = RunNetworkExt(/*bind_type_names=*/true, &in_scope);
  std::cout << "network_ext (type names bound): " << passed << " passed / " << in_scope
            << " in scope\n";
  EXPECT_EQ(passed, in_scope);
}

bool UsesNetworkLibrary(std::string_view expr) {
  for (std::string_view fn : {"ip(", "cidr(", "isIP(", "isCIDR(", "ip.isCanonical("}) {
    if (expr.find(fn) != std::string_view::npos) return true;
  }
  return false;
}

TEST(NetworkLibraryConformanceTest, KubernetesLibraryCases) {
  auto cases = conformance::LoadYamlCases(CelDir() + "/k8s-libraries.yaml");
  ASSERT_TRUE(cases.ok()) << cases.status();
  int total = 0;
  int passed = 0;
  for (const conformance::CelCase& c : *cases) {
    if (c.name.rfind("lib/", 0) != 0 || !UsesNetworkLibrary(c.expr)) continue;
    if (c.device.has_value() || c.selector) continue;
    ++total;
    conformance::CaseResult r = conformance::RunCase(c, Registry());
    if (r.status == conformance::CaseResult::Status::kPass) {
      ++passed;
    } else {
      std::cout << "FAIL " << c.id << ": " << c.expr << " -> " << r.detail << "\n";
    }
  }
  std::cout << "k8s-libraries lib/ ip and cidr: " << passed << " passed / " << total << "\n";
  EXPECT_GE(total, 2);
  EXPECT_EQ(passed, total);
}

}  // namespace
}  // namespace dra::cel
