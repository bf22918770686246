// Kubernetes resource.Quantity as a value type.
//
// Thread-compatible value type (all const methods are safe to call concurrently; nothing is cached
// lazily). Semantics follow k8s.io/apimachinery/pkg/api/resource exactly: parsing of every suffix
// (binary Ki..Ei, decimal n u m k M G T P E, exponents e/E), the canonical string form that
// Kubernetes prints (String()/MarshalJSON), comparison by numeric value, add/sub.
//
// Like upstream, a quantity is held either as an int64 amount (value * 10^scale) or as an
// arbitrary-precision decimal, and a few results depend on which (see AsInt64() and
// AsApproximateFloat64()). Parse() picks the int64 form when the number has at most 18 digits
// once leading zeros are dropped and a scale of at least -9 (nano); with a binary suffix only for
// Ki, Mi, Gi and Ti without a fraction and with few enough digits. Everything else, and any
// Add/Sub that overflows int64, is held as a decimal, exactly as upstream does.
//
// Deliberate limits where upstream would allocate without bound: the decimal form holds at most
// 2^20 digits, so Parse() rejects inputs that would need more (e.g.
// "1234567890123456789e100000000") and Add()/Sub() results that would need more keep only their
// 2^20 most significant digits; BinarySI values with more than 4096 integer digits print as
// DecimalSI. Exponent arithmetic wraps in int32 as upstream's does.
#ifndef DRA_BASE_QUANTITY_H_
#define DRA_BASE_QUANTITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace dra {

class Quantity {
 public:
  // The suffix family the quantity was written in; kept for the canonical string form.
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  // Zero, DecimalSI ("0").
  Quantity();

  // Parses as resource.ParseQuantity does (no whitespace trimming: upstream's UnmarshalJSON trims
  // before parsing, ParseQuantity itself does not). Errors are InvalidArgument with upstream's
  // text: "quantities must match the regular expression
  // '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", "unable to parse quantity's suffix" or
  // "unable to parse numeric part of quantity". Precision below 1n is rounded up (away from
  // zero) to the next 1n; binary quantities are capped at 2^63-1 in magnitude.
  // Upstream quirks kept: "-", "+", "." and a suffix alone ("Ki", "m", "e5") parse as 0 ("Pi",
  // "Ei" fail on the numeric part), and an input that looks canonical ("1Ki", but also "+1",
  // "01", "1.500k") is printed back verbatim by ToString().
  static absl::StatusOr<Quantity> Parse(std::string_view text);
  // resource.NewQuantity(value, format): int64 form, scale 0.
  static Quantity FromInt64(int64_t value, Format format = Format::kDecimalSI);
  // value * 10^scale, e.g. FromScaled(5, -3) is 5m (resource.NewScaledQuantity, int64 form).
  static Quantity FromScaled(int64_t value, int32_t scale, Format format = Format::kDecimalSI);

  // Canonical form, byte for byte what Kubernetes prints for the same quantity (Quantity.String()),
  // including upstream's oddities: a decimal exponent without an SI suffix prints the bare
  // mantissa ("1000E" -> "1"), BinarySI values that are not whole or below 1024 in magnitude print
  // as DecimalSI, zero is always "0".
  std::string ToString() const;

  // -1, 0, 1 comparing numeric values.
  int Compare(const Quantity& other) const;
  int Sign() const;
  bool IsZero() const { return Sign() == 0; }

  // Exact sum/difference (Quantity.Add/Sub on a copy). The result keeps this quantity's format,
  // or takes other's format when this one is zero.
  Quantity Add(const Quantity& other) const;
  Quantity Sub(const Quantity& other) const;
  // Negated copy (Quantity.Neg), same format.
  Quantity Neg() const;

  // Value rounded up to an integer (Quantity.Value()), and in thousandths (MilliValue()).
  // Rounding is away from zero in the int64 form. In the decimal form upstream truncates toward
  // zero and adds one whenever something was cut off, whatever the sign: "-0.0000000001" (a
  // decimal -1n) has Value() 1, while "-1n" (int64 form) has -1. Like upstream these wrap
  // silently when the result does not fit int64 (check Value() against the magnitude you need
  // before trusting MilliValue()).
  int64_t Value() const;
  int64_t MilliValue() const;
  // value / 10^scale rounded as above (Quantity.ScaledValue); Value() is ScaledValue(0).
  int64_t ScaledValue(int32_t scale) const;
  // The exact integer value as upstream's AsInt64() reports it: only quantities held in the int64
  // form with a scale >= 0 whose value fits int64 have one. So "50k", "1Gi", "1E" have a value
  // but "1000m", "0m", "1.5Gi", "1Pi" and "9223372036854775807" do not (upstream test
  // TestParseQuantity documents the same). CEL's isInteger()/asInteger() are defined by this.
  std::optional<int64_t> AsInt64() const;
  // AsInt64().has_value(): CEL quantity's isInteger().
  bool IsInteger() const;
  // Quantity.AsApproximateFloat64(): mantissa as float64 times Go's math.Pow10(exponent), so it
  // rounds exactly as upstream does; +/-Inf when out of range.
  double AsApproximateFloat64() const;

  Format format() const { return format_; }

  // Equality is by numeric value: "1", "1000m" and "1e0" are equal.
  friend bool operator==(const Quantity& a, const Quantity& b) { return a.Compare(b) == 0; }
  friend bool operator<(const Quantity& a, const Quantity& b) { return a.Compare(b) < 0; }

 private:
  friend struct QuantityInternal;  // Helpers in quantity.cc.

  // int64 form (is_decimal_ false): int_value_ * 10^int_scale_.
  // Decimal form (is_decimal_ true): (negative_ ? -1 : 1) * digits_ * 10^exponent_, digits_ a
  // decimal string without leading zeros ("0" for zero, then negative_ is false). digits_ keeps
  // trailing zeros: they mirror upstream's inf.Dec scale, which AsApproximateFloat64() and
  // ScaledValue() observe.
  bool is_decimal_ = false;
  int64_t int_value_ = 0;
  int32_t int_scale_ = 0;
  bool negative_ = false;
  std::string digits_;
  int64_t exponent_ = 0;
  Format format_ = Format::kDecimalSI;
  // The input text when Parse() found it canonical-looking; upstream caches it and prints it back.
  std::string cached_;
};

}  // namespace dra

#endif  // DRA_BASE_QUANTITY_H_
