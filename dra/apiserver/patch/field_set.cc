#include "dra/apiserver/patch/field_set.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "dra/api/codec/json.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver::patch_internal {
namespace {

int Rank(const std::string& pe) {
  if (pe.size() < 2 || pe[1] != ':') return 4;
  switch (pe[0]) {
    case 'f':
      return 0;
    case 'k':
      return 1;
    case 'v':
      return 2;
    case 'i':
      return 3;
    default:
      return 4;
  }
}

}  // namespace

bool PathElementLess::operator()(const std::string& a, const std::string& b) const {
  int ra = Rank(a), rb = Rank(b);
  if (ra != rb) return ra < rb;
  if (ra == 3) {
    long ia = std::strtol(a.c_str() + 2, nullptr, 10);
    long ib = std::strtol(b.c_str() + 2, nullptr, 10);
    if (ia != ib) return ia < ib;
  }
  return a < b;
}

const FieldSet* FieldSet::Child(const std::string& pe) const {
  auto it = children_.find(pe);
  return it == children_.end() ? nullptr : &it->second;
}

void FieldSet::Insert(const FieldPath& path) {
  if (path.empty()) return;
  FieldSet* node = this;
  for (const std::string& pe : path) node = &node->children_[pe];
  node->member_ = true;
}

bool FieldSet::Has(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const std::string& pe : path) {
    node = node->Child(pe);
    if (node == nullptr) return false;
  }
  return node->member_;
}

void FieldSet::Union(const FieldSet& other) {
  member_ = member_ || other.member_;
  for (const auto& [pe, child] : other.children_) children_[pe].Union(child);
}

void FieldSet::Subtract(const FieldSet& other) {
  if (other.member_) member_ = false;
  for (const auto& [pe, child] : other.children_) {
    auto it = children_.find(pe);
    if (it == children_.end()) continue;
    it->second.Subtract(child);
    if (it->second.empty()) children_.erase(it);
  }
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [pe, child] : children_) {
    const FieldSet* theirs = other.Child(pe);
    if (theirs == nullptr) continue;
    FieldSet both = child.Intersection(*theirs);
    if (!both.empty()) out.children_.emplace(pe, std::move(both));
  }
  return out;
}

void FieldSet::ForEach(const std::function<void(const FieldPath&)>& fn) const {
  FieldPath prefix;
  ForEachImpl(prefix, fn);
}

void FieldSet::ForEachImpl(FieldPath& prefix,
                           const std::function<void(const FieldPath&)>& fn) const {
  if (member_ && !prefix.empty()) fn(prefix);
  for (const auto& [pe, child] : children_) {
    prefix.push_back(pe);
    child.ForEachImpl(prefix, fn);
    prefix.pop_back();
  }
}

api::Value FieldSet::ToFieldsV1() const {
  api::Value out = api::Value::Object();
  if (member_ && !children_.empty()) out.Set(".", api::Value::Object());
  for (const auto& [pe, child] : children_) out.Set(pe, child.ToFieldsV1());
  return out;
}

absl::StatusOr<FieldSet> FieldSet::FromFieldsV1(const api::Value& fields) {
  if (!fields.is_object()) {
    return absl::InvalidArgumentError(
        StrCat("FieldsV1: expected an object, got ", fields.KindName()));
  }
  FieldSet out;
  for (const auto& [key, value] : fields.members()) {
    if (key == ".") {
      out.member_ = true;
      continue;
    }
    if (Rank(key) == 4) {
      return absl::InvalidArgumentError(StrCat("FieldsV1: unexpected path element ", GoQuote(key)));
    }
    DRA_ASSIGN_OR_RETURN(FieldSet child, FromFieldsV1(value));
    if (child.children_.empty()) child.member_ = true;
    out.children_[key].Union(child);
  }
  return out;
}

std::string FieldPathString(const FieldPath& path) {
  std::string out;
  for (const std::string& pe : path) {
    std::string_view body = std::string_view(pe).substr(2);
    switch (Rank(pe)) {
      case 0:
        StrAppend(&out, ".", body);
        break;
      case 1: {
        auto keys = api::ParseJson(body);
        std::vector<std::string> parts;
        if (keys.ok() && keys->is_object()) {
          for (const auto& [name, value] : keys->members()) {
            parts.push_back(StrCat(name, "=", api::WriteJson(value)));
          }
        }
        StrAppend(&out, "[", StrJoin(parts, ","), "]");
        break;
      }
      case 2:
        StrAppend(&out, "[=", body, "]");
        break;
      default:
        StrAppend(&out, "[", body, "]");
    }
  }
  return out;
}

}  // namespace dra::apiserver::patch_internal
