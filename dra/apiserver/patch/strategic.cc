// Strategic merge patch, with the options kube-apiserver applies it with (parallel deletion lists
// merged, unmatched nulls ignored).

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/value.h"
#include "dra/apiserver/patch/patch.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;
using Node = PatchSchema::Node;

constexpr std::string_view kDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
constexpr std::string_view kSetElementOrder = "$setElementOrder/";

// Go's %v of a decoded JSON value, as upstream's error messages print maps.
std::string GoFormat(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "<nil>";
    case Value::Kind::kBool:
      return v.bool_value() ? "true" : "false";
    case Value::Kind::kNumber:
    case Value::Kind::kString:
      return v.text();
    case Value::Kind::kArray: {
      std::vector<std::string> parts;
      for (const Value& item : v.items()) parts.push_back(GoFormat(item));
      return StrCat("[", StrJoin(parts, " "), "]");
    }
    case Value::Kind::kObject: {
      std::vector<std::pair<std::string, std::string>> members;
      for (const auto& [k, m] : v.members()) members.emplace_back(k, GoFormat(m));
      std::sort(members.begin(), members.end());
      std::vector<std::string> parts;
      for (const auto& [k, m] : members) parts.push_back(StrCat(k, ":", m));
      return StrCat("map[", StrJoin(parts, " "), "]");
    }
  }
  return "";
}

absl::Status BadPatchType(const Value& type, const Value& map) {
  return absl::InvalidArgumentError(
      StrCat("unknown patch type: ", GoFormat(type), " in map: ", GoFormat(map)));
}

absl::Status NoMergeKey(const Value& map, std::string_view key) {
  return absl::InvalidArgumentError(
      StrCat("map: ", GoFormat(map), " does not contain declared merge key: ", key));
}

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

const Node* MemberNode(const Node* node, std::string_view name) {
  return node == nullptr ? nullptr : node->Member(name);
}

bool IsMergeList(const Node* node) { return node != nullptr && node->field.smp_merge; }

// The identity of a list item for ordering and matching: the merge key's value for maps, the
// item itself for primitives. nullptr when a map lacks the key.
const Value* ItemKey(const Value& item, std::string_view merge_key) {
  if (merge_key.empty() || !item.is_object()) return &item;
  return item.Find(merge_key);
}

int IndexOf(const std::vector<Value>& list, const Value& item, std::string_view merge_key) {
  const Value* key = ItemKey(item, merge_key);
  if (key == nullptr) return -1;
  for (size_t i = 0; i < list.size(); ++i) {
    const Value* other = ItemKey(list[i], merge_key);
    if (other != nullptr && *other == *key) return static_cast<int>(i);
  }
  return -1;
}

// Stable-sorts `items` by their position in `order`; items not in `order` keep their relative
// position after those that are.
void SortByOrder(std::vector<Value>& items, const std::vector<Value>& order,
                 std::string_view merge_key) {
  std::vector<std::pair<int, Value>> keyed;
  for (Value& item : items) {
    int idx = IndexOf(order, item, merge_key);
    keyed.emplace_back(idx < 0 ? static_cast<int>(order.size()) : idx, std::move(item));
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  items.clear();
  for (auto& [idx, item] : keyed) items.push_back(std::move(item));
}

// Orders the merged list: the patch's items in `patch_order`, the server-only items in their
// server order, interleaved by their positions in the server's list (strategicpatch's
// normalizeElementOrder).
std::vector<Value> NormalizeOrder(std::vector<Value> merged, const std::vector<Value>& patch_order,
                                  const std::vector<Value>& server_order,
                                  std::string_view merge_key) {
  std::vector<Value> patch_items, server_only;
  for (Value& item : merged) {
    if (IndexOf(patch_order, item, merge_key) >= 0) {
      patch_items.push_back(std::move(item));
    } else {
      server_only.push_back(std::move(item));
    }
  }
  SortByOrder(patch_items, patch_order, merge_key);
  SortByOrder(server_only, server_order, merge_key);
  std::vector<Value> out;
  size_t i = 0, j = 0;
  while (i < server_only.size() || j < patch_items.size()) {
    if (i >= server_only.size()) {
      out.push_back(std::move(patch_items[j++]));
    } else if (j >= patch_items.size()) {
      out.push_back(std::move(server_only[i++]));
    } else {
      int li = IndexOf(server_order, server_only[i], merge_key);
      int ri = IndexOf(server_order, patch_items[j], merge_key);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push_back(std::move(server_only[i++]));
      } else {
        out.push_back(std::move(patch_items[j++]));
      }
    }
  }
  return out;
}

absl::StatusOr<Value> MergeMap(Value original, Value patch, const Node* node);
absl::StatusOr<Value> MergeList(Value original, Value patch, const Node* node, bool delete_list);

// A patch value for a field the original lacks: directives resolved, nulls dropped.
absl::StatusOr<Value> Fresh(Value patch, const Node* node) {
  if (patch.is_object()) return MergeMap(Value::Object(), std::move(patch), node);
  if (patch.is_array()) return MergeList(Value::Array(), std::move(patch), node, false);
  return patch;
}

absl::Status ApplyRetainKeys(Value& original, Value& patch) {
  std::optional<Value> retain = patch.Remove(kRetainKeys);
  if (!retain.has_value()) return absl::OkStatus();
  const absl::Status bad = absl::InvalidArgumentError("invalid patch format of retainKeys");
  if (!retain->is_array()) return bad;
  auto retained = [&](std::string_view key) {
    return std::any_of(retain->items().begin(), retain->items().end(),
                       [&](const Value& v) { return v.is_string() && v.text() == key; });
  };
  for (const auto& [key, value] : patch.members()) {
    if (value.is_null() || HasPrefix(key, kDeleteFromPrimitiveList) ||
        HasPrefix(key, kSetElementOrder)) {
      continue;
    }
    if (!retained(key)) return bad;
  }
  auto& members = original.mutable_members();
  members.erase(std::remove_if(members.begin(), members.end(),
                               [&](const Value::Member& m) { return !retained(m.first); }),
                members.end());
  return absl::OkStatus();
}

// Handles every `$setElementOrder/<field>` of `patch`, merging <field> and ordering the result;
// removes the directives and the fields they handled from `patch`.
absl::Status ApplySetElementOrder(Value& original, Value& patch, const Node* node) {
  std::vector<std::string> directives;
  for (const auto& [key, value] : patch.members()) {
    if (HasPrefix(key, kSetElementOrder)) directives.push_back(key);
  }
  for (const std::string& directive : directives) {
    Value order = *patch.Remove(directive);
    std::string field = directive.substr(kSetElementOrder.size());
    if (!order.is_array()) {
      return absl::InvalidArgumentError(
          StrCat("invalid type for ", directive, ": ", GoFormat(order), " is not a list"));
    }
    const Node* list_node = MemberNode(node, field);
    if (!IsMergeList(list_node)) continue;
    std::optional<Value> patch_list = patch.Remove(field);
    const Value* original_list = original.Find(field);
    if (patch_list.has_value() && !patch_list->is_array()) {
      patch.Set(field, std::move(*patch_list));  // handled (as a replacement) by the main loop
      continue;
    }
    if (original_list != nullptr && !original_list->is_array()) original_list = nullptr;
    if (!patch_list.has_value() && original_list == nullptr) continue;
    const std::string& merge_key = list_node->field.smp_merge_key;
    Value server = original_list != nullptr ? *original_list : Value::Array();
    Value merged = server;
    if (patch_list.has_value()) {
      DRA_ASSIGN_OR_RETURN(merged, MergeList(server, std::move(*patch_list), list_node, false));
    }
    for (const Value& item : order.items()) {
      if (!merge_key.empty() && (!item.is_object() || item.Find(merge_key) == nullptr)) {
        return NoMergeKey(item, merge_key);
      }
    }
    original.Set(field, Value::Array(NormalizeOrder(std::move(merged.mutable_items()),
                                                    order.items(), server.items(), merge_key)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Value> MergeMap(Value original, Value patch, const Node* node) {
  if (const Value* directive = patch.Find(kDirective)) {
    if (directive->is_string() && directive->text() == "replace") {
      patch.Remove(kDirective);
      return patch;
    }
    if (directive->is_string() && directive->text() == "delete") return Value::Object();
    return BadPatchType(*directive, patch);
  }
  if (!original.is_object()) original = Value::Object();
  DRA_RETURN_IF_ERROR(ApplyRetainKeys(original, patch));
  DRA_RETURN_IF_ERROR(ApplySetElementOrder(original, patch, node));
  for (auto& [patch_key, patch_value] : patch.mutable_members()) {
    std::string key = patch_key;
    bool delete_list = false;
    if (HasPrefix(key, kDeleteFromPrimitiveList)) {
      key = key.substr(kDeleteFromPrimitiveList.size());
      delete_list = true;
    }
    if (patch_value.is_null()) {
      original.Remove(key);
      continue;
    }
    const Node* child = MemberNode(node, key);
    Value* current = original.FindMutable(key);
    if (current == nullptr || current->kind() != patch_value.kind() ||
        !(current->is_object() || current->is_array())) {
      if (delete_list) continue;
      if (current != nullptr && !current->is_object() && !current->is_array() &&
          current->kind() == patch_value.kind()) {
        *current = std::move(patch_value);
        continue;
      }
      DRA_ASSIGN_OR_RETURN(Value fresh, Fresh(std::move(patch_value), child));
      original.Set(key, std::move(fresh));
      continue;
    }
    if (current->is_object()) {
      DRA_ASSIGN_OR_RETURN(*current, MergeMap(std::move(*current), std::move(patch_value), child));
    } else {
      DRA_ASSIGN_OR_RETURN(
          *current, MergeList(std::move(*current), std::move(patch_value), child, delete_list));
    }
  }
  return original;
}

absl::StatusOr<Value> MergeList(Value original, Value patch, const Node* node, bool delete_list) {
  if (!IsMergeList(node)) return patch;
  std::vector<Value>& server = original.mutable_items();
  std::vector<Value>& items = patch.mutable_items();
  if (server.empty() && items.empty()) return original;
  bool maps = false, scalars = false;
  for (const std::vector<Value>* list : {&server, &items}) {
    for (const Value& item : *list) {
      if (item.is_array()) return absl::InvalidArgumentError("cannot have a slice of lists");
      (item.is_object() ? maps : scalars) = true;
    }
  }
  if (maps && scalars) {
    return absl::InvalidArgumentError("mismatched types in list: maps and primitives");
  }
  if (!maps) {
    std::vector<Value> merged;
    if (delete_list) {
      for (Value& item : server) {
        if (std::find(items.begin(), items.end(), item) == items.end()) {
          merged.push_back(std::move(item));
        }
      }
      return Value::Array(std::move(merged));
    }
    for (const std::vector<Value>* list : {&server, &items}) {
      for (const Value& item : *list) {
        if (std::find(merged.begin(), merged.end(), item) == merged.end()) merged.push_back(item);
      }
    }
    return Value::Array(NormalizeOrder(std::move(merged), items, server, ""));
  }
  const std::string& merge_key = node->field.smp_merge_key;
  if (merge_key.empty()) {
    return absl::InvalidArgumentError("cannot merge lists without merge key");
  }
  // Items carrying `$patch`: delete by key, or replace the whole list.
  std::vector<Value> plain;
  bool replace = false;
  for (Value& item : items) {
    const Value* directive = item.Find(kDirective);
    if (directive == nullptr) {
      plain.push_back(std::move(item));
      continue;
    }
    std::string type = directive->is_string() ? directive->text() : "";
    if (type == "delete") {
      const Value* key = item.Find(merge_key);
      if (key == nullptr) return NoMergeKey(item, merge_key);
      server.erase(std::remove_if(server.begin(), server.end(),
                                  [&](const Value& s) {
                                    const Value* k = s.Find(merge_key);
                                    return k != nullptr && *k == *key;
                                  }),
                   server.end());
    } else if (type == "replace") {
      replace = true;
    } else if (type == "merge") {
      return absl::InvalidArgumentError("merging lists cannot yet be specified in the patch");
    } else {
      return BadPatchType(*directive, item);
    }
  }
  std::vector<Value> base = replace ? std::vector<Value>() : server;
  std::vector<Value> order_source = replace ? std::vector<Value>() : plain;
  std::vector<Value> merged = base;
  for (Value& item : plain) {
    const Value* key = item.Find(merge_key);
    if (key == nullptr) return NoMergeKey(item, merge_key);
    int idx = IndexOf(merged, item, merge_key);
    if (idx >= 0) {
      DRA_ASSIGN_OR_RETURN(merged[idx],
                           MergeMap(std::move(merged[idx]), std::move(item), node->Items()));
    } else {
      DRA_ASSIGN_OR_RETURN(Value fresh, Fresh(std::move(item), node->Items()));
      merged.push_back(std::move(fresh));
    }
  }
  if (replace) return Value::Array(std::move(merged));
  return Value::Array(NormalizeOrder(std::move(merged), order_source, base, merge_key));
}

}  // namespace

absl::StatusOr<api::Value> ApplyStrategicMergePatch(const api::Value& document,
                                                    const api::Value& patch,
                                                    const PatchSchema& schema) {
  if (!patch.is_object()) {
    return absl::InvalidArgumentError(StrCat("json: cannot unmarshal ", patch.KindName(),
                                             " into Go value of type map[string]interface {}"));
  }
  return MergeMap(document, patch, schema.root());
}

}  // namespace dra::apiserver
