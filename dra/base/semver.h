// Semantic versions (semver.org 2.0.0) as used by DRA version attributes and CEL's semver().
//
// Thread-compatible value type.
#ifndef DRA_BASE_SEMVER_H_
#define DRA_BASE_SEMVER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dra {

class SemVer {
 public:
  SemVer() = default;

  // Strict semver 2.0.0: MAJOR.MINOR.PATCH[-prerelease][+build], no leading zeros in numeric
  // identifiers, no "v" prefix, no surrounding whitespace. Accepts and rejects exactly what
  // github.com/blang/semver/v4 Parse does (used by Kubernetes for CEL's semver() and for DRA
  // version attributes in CEL), including its limit: MAJOR, MINOR, PATCH and numeric prerelease
  // identifiers must fit uint64. Errors are InvalidArgument with blang's messages, e.g.
  // "No Major.Minor.Patch elements found", "Major number must not contain leading zeroes \"01\"",
  // "Invalid character(s) found in prerelease \"a_b\"", "Build meta data is empty".
  static absl::StatusOr<SemVer> Parse(std::string_view text);

  // CEL's semver(text, true): drops one leading "v", strips leading zeros from the first three
  // dot-separated parts, fills a missing minor/patch with 0 ("1" -> "1.0.0"; an error "short
  // version cannot contain PreRelease/Build meta data" when a short form has "-" or "+"), then
  // Parse(). Mirrors normalizeAndParse in k8s.io/apiserver/pkg/cel/library/semverlib.go.
  static absl::StatusOr<SemVer> ParseNormalized(std::string_view text);

  // Whether `text` matches the semver.org 2.0.0 grammar as the regular expression that Kubernetes
  // API validation applies to DeviceAttribute.version ("must be a string compatible with
  // semver.org spec 2.0.0"). Unlike Parse() it puts no bound on numeric identifiers.
  static bool MatchesSpecGrammar(std::string_view text);

  uint64_t major() const { return major_; }
  uint64_t minor() const { return minor_; }
  uint64_t patch() const { return patch_; }
  const std::vector<std::string>& prerelease() const { return prerelease_; }
  const std::vector<std::string>& build() const { return build_; }

  // Precedence as semver.org section 11 (build metadata ignored): -1, 0, 1. Numeric prerelease
  // identifiers compare numerically and below alphanumeric ones, which compare bytewise; a
  // longer prerelease list wins when all shared identifiers are equal.
  int Compare(const SemVer& other) const;
  // MAJOR.MINOR.PATCH[-pre.release][+build.meta]; Parse(ToString()) round-trips.
  std::string ToString() const;

  // Equality is exact (build metadata included), so that round trips are lossless. CEL's == on
  // semver values is Compare() == 0 (blang's EQ), which ignores build metadata.
  friend bool operator==(const SemVer&, const SemVer&) = default;

 private:
  uint64_t major_ = 0;
  uint64_t minor_ = 0;
  uint64_t patch_ = 0;
  std::vector<std::string> prerelease_;
  std::vector<std::string> build_;
};

}  // namespace dra

#endif  // DRA_BASE_SEMVER_H_
