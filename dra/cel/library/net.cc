// The Kubernetes IP and CIDR CEL libraries (k8s.io/apiserver/pkg/cel/library ip.go and cidr.go,
// v1.34), with the runtime types net.IP and net.CIDR.
//
// Addresses are parsed the way Go's net/netip.ParseAddr and ParsePrefix parse them (Go 1.24), not
// the way inet_pton does: no leading zeros in IPv4 octets, at most four hex digits per IPv6 group,
// an embedded dotted quad only in the last 32 bits, zones split off before parsing. Kubernetes then
// rejects zones and IPv4-mapped IPv6 addresses. Error messages are the ones Kubernetes produces,
// including Go's wording of the parse failure.
//
// Runtime costs follow Kubernetes' CostEstimator.CallCost (library/cost.go): the call's total cost
// replaces cel-go's base cost of 1, so the registered cost functions return that total minus one.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "dra/base/strings.h"
#include "dra/cel/library/library.h"
#include "dra/cel/runtime/functions.h"
#include "dra/cel/runtime/value.h"

namespace dra::cel {
namespace {

constexpr std::string_view kIpTypeName = "net.IP";
constexpr std::string_view kCidrTypeName = "net.CIDR";

// --- Addresses (netip.Addr without zones) ------------------------------------------------------

// An IPv4 or IPv6 address. IPv4 addresses are kept in their IPv4-mapped IPv6 form (as netip does),
// so that prefix arithmetic works on one 128-bit layout for both families.
struct Addr {
  bool is4 = false;
  std::array<uint8_t, 16> bytes{};

  static Addr From4(const std::array<uint8_t, 4>& v4) {
    Addr a;
    a.is4 = true;
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::copy(v4.begin(), v4.end(), a.bytes.begin() + 12);
    return a;
  }

  int BitLen() const { return is4 ? 32 : 128; }
  // The i-th 16-bit group of the IPv6 (or IPv4-mapped) form.
  uint16_t Group(int i) const {
    return static_cast<uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  }
  uint8_t V4(int i) const { return bytes[12 + i]; }

  bool Is4In6() const {
    if (is4) return false;
    for (int i = 0; i < 10; ++i) {
      if (bytes[i] != 0) return false;
    }
    return bytes[10] == 0xff && bytes[11] == 0xff;
  }
  // The IPv4 address wrapped by an IPv4-mapped IPv6 address; other addresses unchanged.
  Addr Unmap() const {
    Addr a = *this;
    if (Is4In6()) a.is4 = true;
    return a;
  }

  bool IsUnspecified() const {
    if (is4) return V4(0) == 0 && V4(1) == 0 && V4(2) == 0 && V4(3) == 0;
    return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
  }
  bool IsLoopback() const {
    Addr a = Unmap();
    if (a.is4) return a.V4(0) == 127;
    for (int i = 0; i < 15; ++i) {
      if (a.bytes[i] != 0) return false;
    }
    return a.bytes[15] == 1;
  }
  bool IsMulticast() const {
    Addr a = Unmap();
    if (a.is4) return (a.V4(0) & 0xf0) == 0xe0;
    return a.bytes[0] == 0xff;
  }
  bool IsLinkLocalMulticast() const {
    Addr a = Unmap();
    if (a.is4) return a.V4(0) == 224 && a.V4(1) == 0 && a.V4(2) == 0;
    return (a.Group(0) & 0xff0f) == 0xff02;
  }
  bool IsLinkLocalUnicast() const {
    Addr a = Unmap();
    if (a.is4) return a.V4(0) == 169 && a.V4(1) == 254;
    return (a.Group(0) & 0xffc0) == 0xfe80;
  }
  bool IsGlobalUnicast() const {
    Addr a = Unmap();
    if (a.is4 && (a.IsUnspecified() ||
                  (a.V4(0) == 255 && a.V4(1) == 255 && a.V4(2) == 255 && a.V4(3) == 255))) {
      return false;
    }
    // netip compares with IPv6Unspecified(), which an IPv4 address never equals.
    bool v6_unspecified = !a.is4 && a.IsUnspecified();
    return !v6_unspecified && !a.IsLoopback() && !a.IsMulticast() && !a.IsLinkLocalUnicast();
  }

  // Keeps the top `bits` bits of the address (bits of the address's own family).
  Addr Masked(int bits) const {
    Addr a = *this;
    int effective = bits + (is4 ? 96 : 0);
    for (int i = 0; i < 16; ++i) {
      int keep = std::clamp(effective - 8 * i, 0, 8);
      a.bytes[i] &= static_cast<uint8_t>(0xff00 >> keep);
    }
    return a;
  }

  friend bool operator==(const Addr& a, const Addr& b) {
    return a.is4 == b.is4 && a.bytes == b.bytes;
  }
};

void AppendDecimal(std::string& out, uint8_t x) {
  if (x >= 100) out.push_back(static_cast<char>('0' + x / 100));
  if (x >= 10) out.push_back(static_cast<char>('0' + x / 10 % 10));
  out.push_back(static_cast<char>('0' + x % 10));
}

void AppendHex(std::string& out, uint16_t x) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (x >= 0x1000) out.push_back(kDigits[x >> 12]);
  if (x >= 0x100) out.push_back(kDigits[x >> 8 & 0xf]);
  if (x >= 0x10) out.push_back(kDigits[x >> 4 & 0xf]);
  out.push_back(kDigits[x & 0xf]);
}

void AppendDottedQuad(std::string& out, const Addr& a) {
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out.push_back('.');
    AppendDecimal(out, a.V4(i));
  }
}

// netip.Addr.String(): dotted quad, "::ffff:" + dotted quad for IPv4-mapped addresses, or RFC 5952
// (lowercase, the first longest run of two or more zero groups elided).
std::string AddrString(const Addr& a) {
  std::string out;
  if (a.is4) {
    AppendDottedQuad(out, a);
    return out;
  }
  if (a.Is4In6()) {
    out = "::ffff:";
    AppendDottedQuad(out, a);
    return out;
  }
  int zero_start = -1, zero_len = 0;
  for (int i = 0; i < 8; ++i) {
    int j = i;
    while (j < 8 && a.Group(j) == 0) ++j;
    if (int len = j - i; len >= 2 && len > zero_len) {
      zero_start = i;
      zero_len = len;
    }
  }
  for (int i = 0; i < 8; ++i) {
    if (i == zero_start) {
      out += "::";
      i += zero_len;
      if (i >= 8) break;
    } else if (i > 0) {
      out.push_back(':');
    }
    AppendHex(out, a.Group(i));
  }
  return out;
}

// --- Parsing (Go's netip.ParseAddr) ------------------------------------------------------------

// The text of netip's parseAddrError.
std::string AddrError(std::string_view in, std::string_view msg, std::string_view at = {}) {
  std::string out = StrCat("ParseAddr(", GoQuote(in), "): ", msg);
  if (!at.empty()) StrAppend(&out, " (at ", GoQuote(at), ")");
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses the dotted quad in[off, end) into fields; errors name the whole input `in`.
bool ParseIPv4Fields(std::string_view in, size_t off, size_t end, uint8_t* fields,
                     std::string* error) {
  std::string_view s = in.substr(off, end - off);
  int val = 0, pos = 0, dig_len = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      if (dig_len == 1 && val == 0) {
        *error = AddrError(in, "IPv4 field has octet with leading zero");
        return false;
      }
      val = val * 10 + (c - '0');
      ++dig_len;
      if (val > 255) {
        *error = AddrError(in, "IPv4 field has value >255");
        return false;
      }
    } else if (c == '.') {
      if (i == 0 || i == s.size() - 1 || s[i - 1] == '.') {
        *error = AddrError(in, "IPv4 field must have at least one digit", s.substr(i));
        return false;
      }
      if (pos == 3) {
        *error = AddrError(in, "IPv4 address too long");
        return false;
      }
      fields[pos++] = static_cast<uint8_t>(val);
      val = 0;
      dig_len = 0;
    } else {
      *error = AddrError(in, "unexpected character", s.substr(i));
      return false;
    }
  }
  if (pos < 3) {
    *error = AddrError(in, "IPv4 address too short");
    return false;
  }
  fields[3] = static_cast<uint8_t>(val);
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseIPv6(std::string_view in, Addr* out, std::string* zone, std::string* error) {
  std::string_view s = in;
  std::string_view zone_text;
  if (size_t pct = s.find('%'); pct != std::string_view::npos) {
    zone_text = s.substr(pct + 1);
    s = s.substr(0, pct);
    if (zone_text.empty()) {
      *error = AddrError(in, "zone must be a non-empty string");
      return false;
    }
  }
  Addr addr;
  std::array<uint8_t, 16>& ip = addr.bytes;
  int ellipsis = -1;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) {
      *out = addr;
      *zone = std::string(zone_text);
      return true;
    }
  }
  int i = 0;
  while (i < 16) {
    size_t off = 0;
    uint32_t acc = 0;
    for (; off < s.size(); ++off) {
      int d = HexValue(s[off]);
      if (d < 0) break;
      acc = (acc << 4) + static_cast<uint32_t>(d);
      if (off > 3) {
        *error = AddrError(in, "each group must have 4 or less digits", s);
        return false;
      }
      if (acc > 0xffff) {
        *error = AddrError(in, "IPv6 field has value >=2^16", s);
        return false;
      }
    }
    if (off == 0) {
      *error = AddrError(in, "each colon-separated field must have at least one digit", s);
      return false;
    }
    if (off < s.size() && s[off] == '.') {
      if (ellipsis < 0 && i != 12) {
        *error = AddrError(
            in, "embedded IPv4 address must replace the final 2 fields of the address", s);
        return false;
      }
      if (i + 4 > 16) {
        *error = AddrError(
            in, "too many hex fields to fit an embedded IPv4 at the end of the address", s);
        return false;
      }
      size_t end = in.size();
      if (!zone_text.empty()) end -= zone_text.size() + 1;
      if (!ParseIPv4Fields(in, end - s.size(), end, &ip[i], error)) return false;
      s = {};
      i += 4;
      break;
    }
    ip[i] = static_cast<uint8_t>(acc >> 8);
    ip[i + 1] = static_cast<uint8_t>(acc);
    i += 2;
    s.remove_prefix(off);
    if (s.empty()) break;
    if (s[0] != ':') {
      *error = AddrError(in, "unexpected character, want colon", s);
      return false;
    }
    if (s.size() == 1) {
      *error = AddrError(in, "colon must be followed by more characters", s);
      return false;
    }
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) {
        *error = AddrError(in, "multiple :: in address", s);
        return false;
      }
      ellipsis = i;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) {
    *error = AddrError(in, "trailing garbage after address", s);
    return false;
  }
  if (i < 16) {
    if (ellipsis < 0) {
      *error = AddrError(in, "address string too short");
      return false;
    }
    int n = 16 - i;
    for (int j = i - 1; j >= ellipsis; --j) ip[j + n] = ip[j];
    for (int j = ellipsis; j < ellipsis + n; ++j) ip[j] = 0;
  } else if (ellipsis >= 0) {
    *error = AddrError(in, "the :: must expand to at least one field of zeros");
    return false;
  }
  *out = addr;
  *zone = std::string(zone_text);
  return true;
}

// netip.ParseAddr: on success sets *out and *zone (empty for IPv4 and zone-less IPv6).
bool ParseAddr(std::string_view s, Addr* out, std::string* zone, std::string* error) {
  for (char c : s) {
    if (c == '.') {
      std::array<uint8_t, 4> fields{};
      if (!ParseIPv4Fields(s, 0, s.size(), fields.data(), error)) return false;
      *out = Addr::From4(fields);
      zone->clear();
      return true;
    }
    if (c == ':') return ParseIPv6(s, out, zone, error);
    if (c == '%') {
      *error = AddrError(s, "missing IPv6 address");
      return false;
    }
  }
  *error = AddrError(s, "unable to parse IP");
  return false;
}

// Kubernetes' parseIPAddr: netip.ParseAddr without zones and IPv4-mapped IPv6 addresses.
bool ParseKubernetesIP(std::string_view raw, Addr* out, std::string* error) {
  std::string zone, parse_error;
  if (!ParseAddr(raw, out, &zone, &parse_error)) {
    *error = StrCat("IP Address ", GoQuote(raw),
                    " parse error during conversion from string: ", parse_error);
    return false;
  }
  if (!zone.empty()) {
    *error = StrCat("IP address ", GoQuote(raw), " with zone value is not allowed");
    return false;
  }
  if (out->Is4In6()) {
    *error = StrCat("IPv4-mapped IPv6 address ", GoQuote(raw), " is not allowed");
    return false;
  }
  return true;
}

// --- Prefixes (netip.Prefix) -------------------------------------------------------------------

struct Prefix {
  Addr addr;  // not masked
  int bits = 0;

  Prefix Masked() const { return Prefix{addr.Masked(bits), bits}; }
  bool Contains(const Addr& ip) const {
    if (ip.is4 != addr.is4) return false;
    return ip.Masked(bits) == addr.Masked(bits);
  }
  bool Overlaps(const Prefix& o) const {
    if (*this == o) return true;
    if (addr.is4 != o.addr.is4) return false;
    int min_bits = std::min(bits, o.bits);
    if (min_bits == 0) return true;
    return addr.Masked(min_bits) == o.addr.Masked(min_bits);
  }

  friend bool operator==(const Prefix& a, const Prefix& b) {
    return a.addr == b.addr && a.bits == b.bits;
  }
};

std::string PrefixString(const Prefix& p) {
  std::string out = AddrString(p.addr);
  StrAppend(&out, "/", p.bits);
  return out;
}

// netip.ParsePrefix.
bool ParsePrefix(std::string_view s, Prefix* out, std::string* error) {
  auto fail = [&](std::string_view msg) {
    *error = StrCat("netip.ParsePrefix(", GoQuote(s), "): ", msg);
    return false;
  };
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) return fail("no '/'");
  Addr addr;
  std::string zone, addr_error;
  if (!ParseAddr(s.substr(0, slash), &addr, &zone, &addr_error)) return fail(addr_error);
  if (!zone.empty()) return fail("IPv6 zones cannot be present in a prefix");
  std::string_view bits_text = s.substr(slash + 1);
  std::string bad_bits = StrCat("bad bits after slash: ", GoQuote(bits_text));
  // strconv.Atoi would accept a sign and leading zeros; ParsePrefix does not.
  if (bits_text.size() > 1 && (bits_text[0] < '1' || bits_text[0] > '9')) return fail(bad_bits);
  if (bits_text.empty()) return fail(bad_bits);
  constexpr uint64_t kInt64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  uint64_t bits = 0;
  for (char c : bits_text) {
    if (!IsDigit(c)) return fail(bad_bits);
    uint64_t digit = static_cast<uint64_t>(c - '0');
    // Atoi fails (value out of range) beyond the int64 range.
    if (bits > (kInt64Max - digit) / 10) return fail(bad_bits);
    bits = bits * 10 + digit;
  }
  if (bits > static_cast<uint64_t>(addr.BitLen())) return fail("prefix length out of range");
  *out = Prefix{addr, static_cast<int>(bits)};
  return true;
}

// Kubernetes' parseCIDR (the error carries one "network address parse error ..." prefix; the
// cidr() function adds a second one).
bool ParseKubernetesCIDR(std::string_view raw, Prefix* out, std::string* error) {
  std::string parse_error;
  if (!ParsePrefix(raw, out, &parse_error)) {
    *error = StrCat("network address parse error during conversion from string: ", parse_error);
    return false;
  }
  if (out->addr.Is4In6()) {
    *error = StrCat("IPv4-mapped IPv6 address ", GoQuote(raw), " is not allowed");
    return false;
  }
  return true;
}

// --- Runtime values ----------------------------------------------------------------------------

constexpr char kIpTypeId = 0;
constexpr char kCidrTypeId = 0;

class IpValue final : public OpaqueValue {
 public:
  explicit IpValue(const Addr& addr) : addr_(addr) {}
  std::string_view TypeName() const override { return kIpTypeName; }
  Value Equal(const Value& other) const override;
  std::string DebugString() const override { return AddrString(addr_); }
  const void* TypeId() const override { return &kIpTypeId; }
  const Addr& addr() const { return addr_; }

 private:
  Addr addr_;
};

class CidrValue final : public OpaqueValue {
 public:
  explicit CidrValue(const Prefix& prefix) : prefix_(prefix) {}
  std::string_view TypeName() const override { return kCidrTypeName; }
  Value Equal(const Value& other) const override;
  std::string DebugString() const override { return PrefixString(prefix_); }
  const void* TypeId() const override { return &kCidrTypeId; }
  const Prefix& prefix() const { return prefix_; }

 private:
  Prefix prefix_;
};

const Addr* AsIp(const Value& v) {
  if (v.kind() != ValueKind::kOpaque || v.opaque().TypeId() != &kIpTypeId) return nullptr;
  return &static_cast<const IpValue&>(v.opaque()).addr();
}

const Prefix* AsCidr(const Value& v) {
  if (v.kind() != ValueKind::kOpaque || v.opaque().TypeId() != &kCidrTypeId) return nullptr;
  return &static_cast<const CidrValue&>(v.opaque()).prefix();
}

// Kubernetes' IP.Equal and CIDR.Equal: other types are "no such overload" (errors propagate).
Value IpValue::Equal(const Value& other) const {
  if (other.IsError()) return other;
  const Addr* o = AsIp(other);
  if (o == nullptr) return Value::Error("no such overload");
  return Value::Bool(*o == addr_);
}

Value CidrValue::Equal(const Value& other) const {
  if (other.IsError()) return other;
  const Prefix* o = AsCidr(other);
  if (o == nullptr) return Value::Error("no such overload");
  return Value::Bool(*o == prefix_);
}

Value MakeIp(const Addr& a) { return Value::Opaque(MakeRef<IpValue>(a)); }
Value MakeCidr(const Prefix& p) { return Value::Opaque(MakeRef<CidrValue>(p)); }

// --- Functions ---------------------------------------------------------------------------------

using Args = std::span<const Value>;

Value StringToIp(std::string_view s) {
  Addr addr;
  std::string error;
  if (!ParseKubernetesIP(s, &addr, &error)) return Value::Error(std::move(error));
  return MakeIp(addr);
}

Value StringToCidr(std::string_view s) {
  Prefix prefix;
  std::string error;
  if (!ParseKubernetesCIDR(s, &prefix, &error)) {
    return Value::Error(
        StrCat("network address parse error during conversion from string: ", error));
  }
  return MakeCidr(prefix);
}

Value IpFn(Args a) { return StringToIp(a[0].string_view()); }

Value IsIpFn(Args a) {
  Addr addr;
  std::string error;
  return Value::Bool(ParseKubernetesIP(a[0].string_view(), &addr, &error));
}

Value IpIsCanonicalFn(Args a) {
  std::string_view s = a[0].string_view();
  Addr addr;
  std::string error;
  if (!ParseKubernetesIP(s, &addr, &error)) return Value::Error(std::move(error));
  return Value::Bool(AddrString(addr) == s);
}

Value IpToStringFn(Args a) { return Value::String(AddrString(*AsIp(a[0]))); }

Value FamilyFn(Args a) { return Value::Int(AsIp(a[0])->is4 ? 4 : 6); }
Value IsUnspecifiedFn(Args a) { return Value::Bool(AsIp(a[0])->IsUnspecified()); }
Value IsLoopbackFn(Args a) { return Value::Bool(AsIp(a[0])->IsLoopback()); }
Value IsLinkLocalMulticastFn(Args a) { return Value::Bool(AsIp(a[0])->IsLinkLocalMulticast()); }
Value IsLinkLocalUnicastFn(Args a) { return Value::Bool(AsIp(a[0])->IsLinkLocalUnicast()); }
Value IsGlobalUnicastFn(Args a) { return Value::Bool(AsIp(a[0])->IsGlobalUnicast()); }

Value CidrFn(Args a) { return StringToCidr(a[0].string_view()); }

Value IsCidrFn(Args a) {
  Prefix prefix;
  std::string error;
  return Value::Bool(ParseKubernetesCIDR(a[0].string_view(), &prefix, &error));
}

Value CidrToStringFn(Args a) { return Value::String(PrefixString(*AsCidr(a[0]))); }

Value CidrContainsIpFn(Args a) { return Value::Bool(AsCidr(a[0])->Contains(*AsIp(a[1]))); }

// Kubernetes converts the string with ip() and, when that fails, reports "no such overload"
// rather than the parse error (cidrContainsIP receives an error where it expects an IP).
Value CidrContainsIpStringFn(Args a) {
  Addr addr;
  std::string error;
  if (!ParseKubernetesIP(a[1].string_view(), &addr, &error)) {
    return Value::Error("no such overload");
  }
  return Value::Bool(AsCidr(a[0])->Contains(addr));
}

bool ContainsCidr(const Prefix& outer, const Prefix& inner) {
  return outer.Overlaps(inner) && outer.bits <= inner.bits;
}

Value CidrContainsCidrFn(Args a) { return Value::Bool(ContainsCidr(*AsCidr(a[0]), *AsCidr(a[1]))); }

// Here the conversion error itself propagates (cidrContainsCIDR passes error arguments through).
Value CidrContainsCidrStringFn(Args a) {
  Value other = StringToCidr(a[1].string_view());
  if (other.IsError()) return other;
  return Value::Bool(ContainsCidr(*AsCidr(a[0]), *AsCidr(other)));
}

Value CidrIpFn(Args a) { return MakeIp(AsCidr(a[0])->addr); }
Value CidrMaskedFn(Args a) { return MakeCidr(AsCidr(a[0])->Masked()); }
Value PrefixLengthFn(Args a) { return Value::Int(AsCidr(a[0])->bits); }

// --- Costs (library/cost.go CallCost), as extra cost beyond the interpreter's 1 per call ------

constexpr double kStringTraversalCostFactor = 0.1;

int64_t TraversalCost(double size, double factor = kStringTraversalCostFactor) {
  return static_cast<int64_t>(std::ceil(size * factor));
}

// cel-go's Size() of a string: its code points.
double StringSize(const Value& v) { return static_cast<double>(CodePointCount(v.string_view())); }

// Kubernetes' CIDR.Size(): ceil(prefix bits / 8).
double CidrSize(const Value& v) { return std::ceil(static_cast<double>(AsCidr(v)->bits) / 8); }

int64_t ParseCost(Args a) { return TraversalCost(StringSize(a[0])) - 1; }

int64_t IsCanonicalCost(Args a) { return TraversalCost(StringSize(a[0]) * 2) - 1; }

int64_t ContainsIpCost(Args a) {
  double cidr_size = CidrSize(a[0]);
  int64_t cost = TraversalCost(cidr_size + cidr_size);
  if (a[1].IsString()) cost += TraversalCost(StringSize(a[1]));
  return cost - 1;
}

int64_t ContainsCidrCost(Args a) {
  double cidr_size = CidrSize(a[0]);
  int64_t cost = TraversalCost(cidr_size + cidr_size) + TraversalCost(cidr_size) + 1;
  if (a[1].IsString()) cost += TraversalCost(StringSize(a[1]));
  return cost - 1;
}

}  // namespace

absl::Status RegisterNetworkLibrary(FunctionRegistry* registry) {
  const ArgType kString = ArgType::Of(ValueKind::kString);
  const ArgType kIp = ArgType::Opaque(kIpTypeName);
  const ArgType kCidr = ArgType::Opaque(kCidrTypeName);
  constexpr CallStyle G = CallStyle::kGlobal;
  constexpr CallStyle R = CallStyle::kReceiver;
  absl::Status s;
  auto add = [&](std::string_view name, CallStyle style, std::vector<ArgType> args,
                 FunctionImpl impl, CostFunction cost = nullptr) {
    if (s.ok()) s = registry->Add(name, style, std::move(args), impl, cost);
  };

  // library.IP
  add("ip", G, {kString}, IpFn, ParseCost);
  add("isIP", G, {kString}, IsIpFn, ParseCost);
  add("ip.isCanonical", G, {kString}, IpIsCanonicalFn, IsCanonicalCost);
  add("string", G, {kIp}, IpToStringFn);
  add("family", R, {kIp}, FamilyFn);
  add("isUnspecified", R, {kIp}, IsUnspecifiedFn);
  add("isLoopback", R, {kIp}, IsLoopbackFn);
  add("isLinkLocalMulticast", R, {kIp}, IsLinkLocalMulticastFn);
  add("isLinkLocalUnicast", R, {kIp}, IsLinkLocalUnicastFn);
  add("isGlobalUnicast", R, {kIp}, IsGlobalUnicastFn);

  // library.CIDR
  add("cidr", G, {kString}, CidrFn, ParseCost);
  add("isCIDR", G, {kString}, IsCidrFn, ParseCost);
  add("string", G, {kCidr}, CidrToStringFn);
  add("containsIP", R, {kCidr, kString}, CidrContainsIpStringFn, ContainsIpCost);
  add("containsIP", R, {kCidr, kIp}, CidrContainsIpFn, ContainsIpCost);
  add("containsCIDR", R, {kCidr, kString}, CidrContainsCidrStringFn, ContainsCidrCost);
  add("containsCIDR", R, {kCidr, kCidr}, CidrContainsCidrFn, ContainsCidrCost);
  add("ip", R, {kCidr}, CidrIpFn);
  add("masked", R, {kCidr}, CidrMaskedFn);
  add("prefixLength", R, {kCidr}, PrefixLengthFn);
  return s;
}

}  // namespace dra::cel
