// Field sets as structured-merge-diff keeps them for managedFields, and their FieldsV1 wire form.
//
// A path is a sequence of path elements written as in FieldsV1: "f:<field name>",
// "k:<JSON object of the list-map keys, sorted by name>", "v:<JSON value of a set item>" or
// "i:<index>". A FieldSet marks some paths as members (owned); a member may also have member
// descendants (FieldsV1 writes the node itself as ".": {}).
//
// Internal to dra/apiserver/patch. Thread-compatible value type.
#ifndef DRA_APISERVER_PATCH_FIELD_SET_H_
#define DRA_APISERVER_PATCH_FIELD_SET_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dra/api/value.h"

namespace dra::apiserver::patch_internal {

using FieldPath = std::vector<std::string>;

// Orders path elements as structured-merge-diff does: field names, then keys, values, indices.
struct PathElementLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

class FieldSet {
 public:
  bool member() const { return member_; }
  // True when no path is a member.
  bool empty() const { return !member_ && children_.empty(); }
  const std::map<std::string, FieldSet, PathElementLess>& children() const { return children_; }
  // nullptr when there is no child `pe` with members.
  const FieldSet* Child(const std::string& pe) const;

  // Marks `path` (non-empty) as a member.
  void Insert(const FieldPath& path);
  bool Has(const FieldPath& path) const;
  void Union(const FieldSet& other);
  // Removes other's members from this set (exact paths, as fieldpath.Set.Difference does).
  void Subtract(const FieldSet& other);
  FieldSet Intersection(const FieldSet& other) const;
  // Calls fn with each member path, in order.
  void ForEach(const std::function<void(const FieldPath&)>& fn) const;

  // {"f:metadata":{"f:labels":{"f:app":{}}}, ...}
  api::Value ToFieldsV1() const;
  // InvalidArgument for anything but nested objects with path-element keys.
  static absl::StatusOr<FieldSet> FromFieldsV1(const api::Value& fields);

  friend bool operator==(const FieldSet& a, const FieldSet& b) = default;

 private:
  void ForEachImpl(FieldPath& prefix, const std::function<void(const FieldPath&)>& fn) const;

  bool member_ = false;
  std::map<std::string, FieldSet, PathElementLess> children_;
};

// Upstream's string form of a path, as conflict messages print it:
// ".spec.template.spec.containers[name=\"c\"].image", ".metadata.finalizers[=\"x\"]".
std::string FieldPathString(const FieldPath& path);

}  // namespace dra::apiserver::patch_internal

#endif  // DRA_APISERVER_PATCH_FIELD_SET_H_
