#include "dra/base/semver.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dra/base/strings.h"

namespace dra {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

absl::string_view Absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// strings.SplitN(s, sep, n) for n > 0, or strings.Split for n == 0.
std::vector<std::string_view> Split(std::string_view s, char sep, size_t n = 0) {
  std::vector<std::string_view> parts;
  while (n == 0 || parts.size() + 1 < n) {
    const size_t i = s.find(sep);
    if (i == std::string_view::npos) break;
    parts.push_back(s.substr(0, i));
    s.remove_prefix(i + 1);
  }
  parts.push_back(s);
  return parts;
}

bool IsAlphanumeric(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// Every byte is an ASCII digit (true for the empty string, as blang's containsOnly).
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool AllAlphanumeric(std::string_view s) {
  for (char c : s) {
    if (!IsAlphanumeric(c)) return false;
  }
  return true;
}

bool HasLeadingZeroes(std::string_view s) { return s.size() > 1 && s[0] == '0'; }

absl::Status Invalid(std::string message) { return absl::InvalidArgumentError(std::move(message)); }

// strconv.ParseUint(s, 10, 64) with Go's error text.
absl::StatusOr<uint64_t> ParseUint64(std::string_view s) {
  const auto syntax = [&] {
    return Invalid(absl::StrCat("strconv.ParseUint: parsing ", GoQuote(s), ": invalid syntax"));
  };
  if (s.empty()) return syntax();
  uint64_t v = 0;
  bool overflow = false;
  for (char c : s) {
    if (!IsDigit(c)) return syntax();
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) overflow = true;
    if (!overflow) v = v * 10 + d;
  }
  if (overflow) {
    return Invalid(absl::StrCat("strconv.ParseUint: parsing ", GoQuote(s), ": value out of range"));
  }
  return v;
}

absl::StatusOr<uint64_t> ParseVersionNumber(std::string_view s, std::string_view what,
                                            std::string_view what_capitalized) {
  if (!AllDigits(s)) {
    return Invalid(
        absl::StrCat("Invalid character(s) found in ", Absl(what), " number ", GoQuote(s)));
  }
  if (HasLeadingZeroes(s)) {
    return Invalid(absl::StrCat(Absl(what_capitalized), " number must not contain leading zeroes ",
                                GoQuote(s)));
  }
  return ParseUint64(s);
}

// One identifier of the grammar's prerelease part: 0, [1-9][0-9]*, or [0-9]*[A-Za-z-][0-9A-Za-z-]*.
bool IsPrereleaseIdentifier(std::string_view s) {
  if (s.empty() || !AllAlphanumeric(s)) return false;
  return !AllDigits(s) || !HasLeadingZeroes(s);
}

bool IsNumericIdentifier(std::string_view s) {
  return !s.empty() && AllDigits(s) && !HasLeadingZeroes(s);
}

// Compares two valid prerelease identifiers (blang PRVersion.Compare).
int ComparePrerelease(const std::string& a, const std::string& b) {
  const bool na = AllDigits(a);
  const bool nb = AllDigits(b);
  if (na && !nb) return -1;
  if (!na && nb) return 1;
  if (na && nb) {
    // No leading zeros, so the longer number is the larger one.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

absl::StatusOr<SemVer> SemVer::Parse(std::string_view s) {
  if (s.empty()) return Invalid("Version string empty");
  std::vector<std::string_view> parts = Split(s, '.', 3);
  if (parts.size() != 3) return Invalid("No Major.Minor.Patch elements found");

  SemVer v;
  absl::StatusOr<uint64_t> major = ParseVersionNumber(parts[0], "major", "Major");
  if (!major.ok()) return major.status();
  absl::StatusOr<uint64_t> minor = ParseVersionNumber(parts[1], "minor", "Minor");
  if (!minor.ok()) return minor.status();
  v.major_ = *major;
  v.minor_ = *minor;

  std::string_view patch = parts[2];
  std::vector<std::string_view> build;
  std::vector<std::string_view> prerelease;
  if (const size_t plus = patch.find('+'); plus != std::string_view::npos) {
    build = Split(patch.substr(plus + 1), '.');
    patch = patch.substr(0, plus);
  }
  if (const size_t dash = patch.find('-'); dash != std::string_view::npos) {
    prerelease = Split(patch.substr(dash + 1), '.');
    patch = patch.substr(0, dash);
  }
  absl::StatusOr<uint64_t> patch_number = ParseVersionNumber(patch, "patch", "Patch");
  if (!patch_number.ok()) return patch_number.status();
  v.patch_ = *patch_number;

  for (std::string_view pr : prerelease) {
    if (pr.empty()) return Invalid("Prerelease is empty");
    if (AllDigits(pr)) {
      if (HasLeadingZeroes(pr)) {
        return Invalid(absl::StrCat("Numeric PreRelease version must not contain leading zeroes ",
                                    GoQuote(pr)));
      }
      absl::StatusOr<uint64_t> number = ParseUint64(pr);
      if (!number.ok()) return number.status();
    } else if (!AllAlphanumeric(pr)) {
      return Invalid(absl::StrCat("Invalid character(s) found in prerelease ", GoQuote(pr)));
    }
    v.prerelease_.emplace_back(pr);
  }
  for (std::string_view b : build) {
    if (b.empty()) return Invalid("Build meta data is empty");
    if (!AllAlphanumeric(b)) {
      return Invalid(absl::StrCat("Invalid character(s) found in build meta data ", GoQuote(b)));
    }
    v.build_.emplace_back(b);
  }
  return v;
}

absl::StatusOr<SemVer> SemVer::ParseNormalized(std::string_view s) {
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  std::vector<std::string> parts;
  for (std::string_view p : Split(s, '.', 3)) parts.emplace_back(p);
  for (std::string& p : parts) {
    if (p.size() > 1) {
      const size_t first = p.find_first_not_of('0');
      p = first == std::string::npos ? std::string() : p.substr(first);
      if (p.empty() || !IsDigit(p[0])) p = "0" + p;
    }
  }
  if (parts.size() < 3) {
    if (parts.back().find_first_of("+-") != std::string::npos) {
      return Invalid("short version cannot contain PreRelease/Build meta data");
    }
    while (parts.size() < 3) parts.emplace_back("0");
  }
  return Parse(absl::StrJoin(parts, "."));
}

bool SemVer::MatchesSpecGrammar(std::string_view s) {
  // Split off "+build" at the first '+', then "-prerelease" at the first '-' of the rest.
  std::string_view build;
  bool has_build = false;
  if (const size_t plus = s.find('+'); plus != std::string_view::npos) {
    build = s.substr(plus + 1);
    s = s.substr(0, plus);
    has_build = true;
  }
  std::string_view prerelease;
  bool has_prerelease = false;
  if (const size_t dash = s.find('-'); dash != std::string_view::npos) {
    prerelease = s.substr(dash + 1);
    s = s.substr(0, dash);
    has_prerelease = true;
  }
  std::vector<std::string_view> core = Split(s, '.');
  if (core.size() != 3) return false;
  for (std::string_view n : core) {
    if (!IsNumericIdentifier(n)) return false;
  }
  if (has_prerelease) {
    for (std::string_view id : Split(prerelease, '.')) {
      if (!IsPrereleaseIdentifier(id)) return false;
    }
  }
  if (has_build) {
    for (std::string_view id : Split(build, '.')) {
      if (id.empty() || !AllAlphanumeric(id)) return false;
    }
  }
  return true;
}

int SemVer::Compare(const SemVer& o) const {
  if (major_ != o.major_) return major_ > o.major_ ? 1 : -1;
  if (minor_ != o.minor_) return minor_ > o.minor_ ? 1 : -1;
  if (patch_ != o.patch_) return patch_ > o.patch_ ? 1 : -1;
  // A version without prerelease has higher precedence than one with.
  if (prerelease_.empty() || o.prerelease_.empty()) {
    if (prerelease_.empty() && o.prerelease_.empty()) return 0;
    return prerelease_.empty() ? 1 : -1;
  }
  const size_t n = std::min(prerelease_.size(), o.prerelease_.size());
  for (size_t i = 0; i < n; ++i) {
    if (const int c = ComparePrerelease(prerelease_[i], o.prerelease_[i]); c != 0) return c;
  }
  if (prerelease_.size() == o.prerelease_.size()) return 0;
  return prerelease_.size() < o.prerelease_.size() ? -1 : 1;
}

std::string SemVer::ToString() const {
  std::string out = absl::StrCat(major_, ".", minor_, ".", patch_);
  if (!prerelease_.empty()) absl::StrAppend(&out, "-", absl::StrJoin(prerelease_, "."));
  if (!build_.empty()) absl::StrAppend(&out, "+", absl::StrJoin(build_, "."));
  return out;
}

}  // namespace dra
