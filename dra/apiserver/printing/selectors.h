// Label and field selectors as the API server accepts them in the `labelSelector` and
// `fieldSelector` query parameters of list and watch requests.
//
// LabelSelector follows k8s.io/apimachinery/pkg/labels.Parse (set-based and equality-based
// requirements) and metav1.LabelSelectorAsSelector (matchLabels / matchExpressions objects).
// FieldSelector follows k8s.io/apimachinery/pkg/fields.ParseSelector plus the per-kind field
// label conversion of the kube-apiserver scheme, so only the fields a kind supports are accepted.
// Parse errors are InvalidArgument carrying upstream's message text; the caller answers them
// with 400 Bad Request.
//
// Both classes are immutable value types after construction: thread-compatible, and safe to
// share between threads for concurrent const use.
#ifndef DRA_APISERVER_PRINTING_SELECTORS_H_
#define DRA_APISERVER_PRINTING_SELECTORS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::apiserver {

class LabelSelector {
 public:
  enum class Operator {
    kIn,
    kNotIn,
    kEquals,
    kDoubleEquals,
    kNotEquals,
    kExists,
    kDoesNotExist,
    kGreaterThan,
    kLessThan,
  };
  struct Requirement {
    std::string key;
    Operator op = Operator::kExists;
    // Sorted and free of duplicates for kIn/kNotIn; one value for the equality and
    // comparison operators; empty for kExists/kDoesNotExist.
    std::vector<std::string> values;
  };

  // The selector that matches everything.
  LabelSelector() = default;
  // The selector that matches nothing (what a null metav1.LabelSelector means).
  static LabelSelector Nothing();

  // Parses the `labelSelector` query syntax, e.g. "app=web,tier in (a,b),!canary,gen>3".
  // The empty string (or only whitespace) is the selector that matches everything. Errors are
  // InvalidArgument with upstream's text, e.g. "unable to parse requirement: found 'b',
  // expected: in, notin, =, ==, !=, gt, lt".
  static absl::StatusOr<LabelSelector> Parse(std::string_view text);

  // Converts a metav1.LabelSelector object ({"matchLabels":{...},"matchExpressions":[...]}) as
  // LabelSelectorAsSelector does: null means Nothing(), an empty object means everything.
  // Errors are InvalidArgument, e.g. "\"Foo\" is not a valid label selector operator".
  static absl::StatusOr<LabelSelector> FromLabelSelector(const api::Value& selector);

  // Whether the labels (a metadata.labels object of strings; null or absent means no labels)
  // satisfy every requirement.
  bool Matches(const api::Value& labels_object_or_null) const;

  // True when the selector does not restrict anything (Nothing() is not empty).
  bool empty() const { return !nothing_ && requirements_.empty(); }
  bool matches_nothing() const { return nothing_; }

  // Requirements sorted by key.
  const std::vector<Requirement>& requirements() const { return requirements_; }

  // The canonical text, as labels.Selector.String() writes it ("a=b,c in (x,y),!d"); "" for
  // the empty selector and for Nothing().
  std::string String() const;

  // The value the selector pins `key` to (through =, == or a one-value `in`), if any.
  std::optional<std::string> RequiredValue(std::string_view key) const;

 private:
  std::vector<Requirement> requirements_;
  bool nothing_ = false;
};

class FieldSelector {
 public:
  struct Requirement {
    // The field label after conversion (pods' legacy "spec.host" reads as "spec.nodeName").
    std::string field;
    // true for "=" and "==", false for "!=".
    bool equals = true;
    // Unescaped value.
    std::string value;
  };

  // The selector that matches everything.
  FieldSelector() = default;

  // Parses the `fieldSelector` query syntax ("a=b,c!=d", values escaped with backslash) and
  // checks every field label against what `kind` (of `api_version`, e.g. "v1" or
  // "resource.k8s.io/v1") supports. Errors are InvalidArgument with upstream's text, e.g.
  // "field label not supported: spec.foo" (core kinds), "field label not supported for
  // resource.k8s.io/v1, Kind=ResourceSlice: spec.foo", or "\"spec.foo\" is not a known field
  // selector: only \"metadata.name\", \"metadata.namespace\"" (kinds without their own list).
  static absl::StatusOr<FieldSelector> Parse(std::string_view text, std::string_view api_version,
                                             std::string_view kind);

  // Whether `object` (a full API object of the kind given to Parse) satisfies every
  // requirement. Absent fields read as "" (booleans as "false").
  bool Matches(const api::Value& object) const;

  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

  // The value an equality requirement pins `field` to, if any (e.g. "metadata.name").
  std::optional<std::string> RequiredValue(std::string_view field) const;

  // The value of the selectable field `field` of `object` of `kind`, as matching sees it.
  static std::string FieldValue(const api::Value& object, std::string_view kind,
                                std::string_view field);

 private:
  std::vector<Requirement> requirements_;
  std::string kind_;
};

}  // namespace dra::apiserver

#endif  // DRA_APISERVER_PRINTING_SELECTORS_H_
