// Server-side apply and managedFields tracking (structured-merge-diff's Updater, with the
// apiserver fieldmanager's entry encoding, stripped fields and conflict messages).

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/codec/json.h"
#include "dra/api/value.h"
#include "dra/apiserver/patch/field_set.h"
#include "dra/apiserver/patch/patch.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;
using patch_internal::FieldPath;
using patch_internal::FieldPathString;
using patch_internal::FieldSet;
using Node = PatchSchema::Node;

constexpr std::string_view kApply = "Apply";
constexpr std::string_view kUpdate = "Update";

// Where a value sits, for the fields that are never tracked.
enum class Level { kRoot, kRootMember, kMetadata, kOther };

bool Untracked(Level level, std::string_view name) {
  if (level == Level::kRoot) return name == "apiVersion" || name == "kind";
  if (level == Level::kMetadata) {
    for (std::string_view f :
         {"name", "namespace", "managedFields", "resourceVersion", "uid", "creationTimestamp",
          "generation", "deletionTimestamp", "selfLink"}) {
      if (name == f) return true;
    }
  }
  return false;
}

Level ChildLevel(Level level, std::string_view name) {
  if (level == Level::kRoot) return name == "metadata" ? Level::kMetadata : Level::kRootMember;
  return Level::kOther;
}

const Node* MemberNode(const Node* node, std::string_view name) {
  return node == nullptr ? nullptr : node->Member(name);
}

bool IsAtomic(const Node* node) { return node != nullptr && node->field.atomic; }

bool IsAssociative(const Node* node) {
  return node != nullptr && node->field.list_type != ListType::kAtomic;
}

std::string FieldPe(std::string_view name) { return StrCat("f:", name); }

// The path element of a list item ("k:{...}" or "v:...").
absl::StatusOr<std::string> ItemPe(const Value& item, const FieldSchema& list) {
  if (list.list_type == ListType::kSet) {
    if (item.is_object() || item.is_array()) {
      return absl::InvalidArgumentError(
          StrCat("expected a primitive value in a set, got ", item.KindName()));
    }
    return StrCat("v:", api::WriteJson(item));
  }
  if (!item.is_object()) {
    return absl::InvalidArgumentError(
        StrCat("associative list with keys has an element that is not a map: ", item.KindName()));
  }
  std::vector<const ListMapKey*> keys;
  for (const ListMapKey& k : list.keys) keys.push_back(&k);
  std::sort(keys.begin(), keys.end(),
            [](const ListMapKey* a, const ListMapKey* b) { return a->name < b->name; });
  std::string out = "k:{";
  bool first = true;
  for (const ListMapKey* k : keys) {
    const Value* v = item.Find(k->name);
    if (v == nullptr || v->is_null()) {
      if (k->default_value.has_value()) {
        v = &*k->default_value;
      } else if (k->optional) {
        continue;
      } else {
        return absl::InvalidArgumentError(
            StrCat("associative list with keys has an element that omits key field ",
                   GoQuote(k->name), " (and doesn't have default value)"));
      }
    }
    if (!first) out += ",";
    first = false;
    api::AppendJsonString(out, k->name);
    StrAppend(&out, ":", api::WriteJson(*v));
  }
  out += "}";
  return out;
}

struct IndexedItem {
  std::string pe;
  size_t index;
};

// The path elements of a list's items; InvalidArgument on a bad item or a duplicate key.
absl::StatusOr<std::vector<IndexedItem>> IndexList(const Value& list, const FieldSchema& schema) {
  std::vector<IndexedItem> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < list.items().size(); ++i) {
    auto pe = ItemPe(list.items()[i], schema);
    if (!pe.ok()) {
      return absl::InvalidArgumentError(StrCat("element ", i, ": ", pe.status().message()));
    }
    if (!seen.insert(*pe).second) {
      return absl::InvalidArgumentError(
          StrCat("duplicate entries for key ", FieldPathString({*pe})));
    }
    out.push_back(IndexedItem{std::move(*pe), i});
  }
  return out;
}

absl::Status AtPath(const absl::Status& status, const FieldPath& path) {
  return absl::InvalidArgumentError(StrCat(FieldPathString(path), ": ", status.message()));
}

// The fields an applied configuration sets: leaves, atomic values and list items.
absl::Status CollectLeaves(const Value& v, const Node* node, Level level, FieldPath& path,
                           FieldSet& set) {
  if (v.is_object() && !IsAtomic(node)) {
    for (const auto& [name, child] : v.members()) {
      if (Untracked(level, name) || child.is_null()) continue;
      path.push_back(FieldPe(name));
      DRA_RETURN_IF_ERROR(
          CollectLeaves(child, MemberNode(node, name), ChildLevel(level, name), path, set));
      path.pop_back();
    }
    return absl::OkStatus();
  }
  if (v.is_array() && IsAssociative(node)) {
    auto indexed = IndexList(v, node->field);
    if (!indexed.ok()) return AtPath(indexed.status(), path);
    for (const IndexedItem& item : *indexed) {
      path.push_back(item.pe);
      set.Insert(path);
      DRA_RETURN_IF_ERROR(
          CollectLeaves(v.items()[item.index], node->Items(), Level::kOther, path, set));
      path.pop_back();
    }
    return absl::OkStatus();
  }
  set.Insert(path);
  return absl::OkStatus();
}

// Every field of `v` at and below path (used for wholly added or removed values).
void CollectAll(const Value& v, const Node* node, Level level, FieldPath& path, FieldSet& set) {
  if (v.is_object() && !IsAtomic(node)) {
    for (const auto& [name, child] : v.members()) {
      if (Untracked(level, name)) continue;
      path.push_back(FieldPe(name));
      if (level != Level::kRoot) set.Insert(path);
      CollectAll(child, MemberNode(node, name), ChildLevel(level, name), path, set);
      path.pop_back();
    }
  } else if (v.is_array() && IsAssociative(node)) {
    auto indexed = IndexList(v, node->field);
    if (!indexed.ok()) return;
    for (const IndexedItem& item : *indexed) {
      path.push_back(item.pe);
      set.Insert(path);
      CollectAll(v.items()[item.index], node->Items(), Level::kOther, path, set);
      path.pop_back();
    }
  }
}

struct Comparison {
  FieldSet added, modified, removed;
  bool empty() const { return added.empty() && modified.empty() && removed.empty(); }
};

void CompareValues(const Value* l, const Value* r, const Node* node, Level level, FieldPath& path,
                   Comparison& c) {
  if (l == nullptr && r == nullptr) return;
  const bool track_self = level != Level::kRootMember && level != Level::kMetadata;
  if (l == nullptr || r == nullptr) {
    FieldSet& set = l == nullptr ? c.added : c.removed;
    if (track_self) set.Insert(path);
    CollectAll(l == nullptr ? *r : *l, node, level, path, set);
    return;
  }
  if (l->is_object() && r->is_object() && !IsAtomic(node)) {
    std::vector<std::string> names;
    for (const auto& m : l->members()) names.push_back(m.first);
    for (const auto& m : r->members()) {
      if (l->Find(m.first) == nullptr) names.push_back(m.first);
    }
    for (const std::string& name : names) {
      if (Untracked(level, name)) continue;
      path.push_back(FieldPe(name));
      CompareValues(l->Find(name), r->Find(name), MemberNode(node, name), ChildLevel(level, name),
                    path, c);
      path.pop_back();
    }
    return;
  }
  if (l->is_array() && r->is_array() && IsAssociative(node)) {
    auto li = IndexList(*l, node->field);
    auto ri = IndexList(*r, node->field);
    if (li.ok() && ri.ok()) {
      std::map<std::string, size_t> rindex;
      for (const IndexedItem& item : *ri) rindex.emplace(item.pe, item.index);
      std::set<std::string> lseen;
      auto visit = [&](const std::string& pe, const Value* lv, const Value* rv) {
        path.push_back(pe);
        CompareValues(lv, rv, node->Items(), Level::kOther, path, c);
        path.pop_back();
      };
      for (const IndexedItem& item : *li) {
        lseen.insert(item.pe);
        auto it = rindex.find(item.pe);
        visit(item.pe, &l->items()[item.index],
              it == rindex.end() ? nullptr : &r->items()[it->second]);
      }
      for (const IndexedItem& item : *ri) {
        if (!lseen.count(item.pe)) visit(item.pe, nullptr, &r->items()[item.index]);
      }
      return;
    }
  }
  if (!(*l == *r)) c.modified.Insert(path);
}

Comparison Compare(const Value& l, const Value& r, const PatchSchema& schema) {
  Comparison c;
  FieldPath path;
  CompareValues(&l, &r, schema.root(), Level::kRoot, path, c);
  return c;
}

// structured-merge-diff's merge of an applied configuration into the live object.
absl::StatusOr<Value> Merge(const Value& l, const Value& r, const Node* node, FieldPath& path) {
  if (l.is_object() && r.is_object() && !IsAtomic(node)) {
    Value out = l;
    for (const auto& [name, rv] : r.members()) {
      Value* lv = out.FindMutable(name);
      if (lv == nullptr) {
        out.Set(name, rv);
        continue;
      }
      path.push_back(FieldPe(name));
      DRA_ASSIGN_OR_RETURN(*lv, Merge(*lv, rv, MemberNode(node, name), path));
      path.pop_back();
    }
    return out;
  }
  if (l.is_array() && r.is_array() && IsAssociative(node)) {
    auto ri = IndexList(r, node->field);
    if (!ri.ok()) return AtPath(ri.status(), path);
    auto li = IndexList(l, node->field);
    if (!li.ok()) return r;
    std::map<std::string, size_t> lmap, rmap;
    for (const IndexedItem& i : *li) lmap.emplace(i.pe, i.index);
    for (const IndexedItem& i : *ri) rmap.emplace(i.pe, i.index);
    std::vector<std::string> shared;
    for (const IndexedItem& i : *ri) {
      if (lmap.count(i.pe)) shared.push_back(i.pe);
    }
    size_t next_shared = 0;
    std::set<std::string> merged_rhs;
    std::vector<Value> out;
    auto merge_item = [&](const std::string& pe) -> absl::Status {
      merged_rhs.insert(pe);
      const Value& rv = r.items()[rmap[pe]];
      auto lit = lmap.find(pe);
      if (lit == lmap.end()) {
        out.push_back(rv);
      } else {
        path.push_back(pe);
        DRA_ASSIGN_OR_RETURN(Value m, Merge(l.items()[lit->second], rv, node->Items(), path));
        path.pop_back();
        out.push_back(std::move(m));
      }
      if (next_shared < shared.size() && shared[next_shared] == pe) ++next_shared;
      return absl::OkStatus();
    };
    size_t li_pos = 0, ri_pos = 0;
    const size_t llen = li->size(), rlen = ri->size();
    while (li_pos < llen || ri_pos < rlen) {
      if (li_pos < llen && ri_pos < rlen) {
        const std::string& pe = (*li)[li_pos].pe;
        if (pe == (*ri)[ri_pos].pe) {
          DRA_RETURN_IF_ERROR(merge_item(pe));
          ++li_pos;
          ++ri_pos;
          continue;
        }
        if (rmap.count(pe) && next_shared < shared.size() && shared[next_shared] != pe) {
          ++li_pos;
          continue;
        }
      }
      if (li_pos < llen) {
        const IndexedItem& item = (*li)[li_pos];
        if (!rmap.count(item.pe)) {
          out.push_back(l.items()[item.index]);
          ++li_pos;
          continue;
        }
        if (merged_rhs.count(item.pe)) {
          ++li_pos;
          continue;
        }
      }
      if (ri_pos < rlen) {
        DRA_RETURN_IF_ERROR(merge_item((*ri)[ri_pos].pe));
        ++ri_pos;
      }
    }
    return Value::Array(std::move(out));
  }
  return r;
}

bool IsContainer(const Value& v) { return v.is_object() || v.is_array(); }
bool IsEmptyContainer(const Value& v) {
  return (v.is_object() && v.members().empty()) || (v.is_array() && v.items().empty());
}

// Removes from `v` the members of `remove` that nobody in `owned` owns (nor anything below);
// containers emptied that way go too.
void RemoveFields(Value& v, const Node* node, const FieldSet& remove, const FieldSet* owned) {
  auto handle = [&](const std::string& pe, Value& child, const Node* child_node,
                    const FieldSet& child_remove) {
    const FieldSet* child_owned = owned == nullptr ? nullptr : owned->Child(pe);
    const bool owned_any = child_owned != nullptr && !child_owned->empty();
    if (child_remove.member() && !owned_any) return true;
    const bool was_full = IsContainer(child) && !IsEmptyContainer(child);
    RemoveFields(child, child_node, child_remove, child_owned);
    return was_full && IsEmptyContainer(child) && !owned_any;
  };
  if (v.is_object()) {
    for (const auto& [pe, child_remove] : remove.children()) {
      if (pe.substr(0, 2) != "f:") continue;
      std::string name = pe.substr(2);
      Value* child = v.FindMutable(name);
      if (child == nullptr) continue;
      if (handle(pe, *child, MemberNode(node, name), child_remove)) v.Remove(name);
    }
  } else if (v.is_array() && IsAssociative(node)) {
    auto indexed = IndexList(v, node->field);
    if (!indexed.ok()) return;
    std::vector<bool> drop(v.items().size(), false);
    for (const IndexedItem& item : *indexed) {
      const FieldSet* child_remove = remove.Child(item.pe);
      if (child_remove == nullptr) continue;
      drop[item.index] =
          handle(item.pe, v.mutable_items()[item.index], node->Items(), *child_remove);
    }
    std::vector<Value> kept;
    for (size_t i = 0; i < drop.size(); ++i) {
      if (!drop[i]) kept.push_back(std::move(v.mutable_items()[i]));
    }
    v.mutable_items() = std::move(kept);
  }
}

// One managedFields entry.
struct Entry {
  std::string manager;
  std::string operation;
  std::string api_version;
  std::string time;
  std::string subresource;
  FieldSet set;

  bool SameManager(const Entry& o) const {
    return manager == o.manager && operation == o.operation && subresource == o.subresource &&
           (operation == kApply || api_version == o.api_version);
  }
};

std::string StringField(const Value& obj, std::string_view name) {
  const Value* v = obj.Find(name);
  return v != nullptr && v->is_string() ? v->text() : std::string();
}

absl::StatusOr<std::vector<Entry>> DecodeEntries(const Value* managed_fields) {
  std::vector<Entry> out;
  if (managed_fields == nullptr || managed_fields->is_null()) return out;
  if (!managed_fields->is_array()) {
    return absl::InvalidArgumentError("metadata.managedFields: expected a list");
  }
  for (const Value& item : managed_fields->items()) {
    if (!item.is_object()) {
      return absl::InvalidArgumentError("metadata.managedFields: expected a list of objects");
    }
    Entry e;
    e.manager = StringField(item, "manager");
    e.operation = StringField(item, "operation");
    e.api_version = StringField(item, "apiVersion");
    e.time = StringField(item, "time");
    e.subresource = StringField(item, "subresource");
    if (e.operation != kApply && e.operation != kUpdate) {
      return absl::InvalidArgumentError(
          StrCat("metadata.managedFields: unsupported operation ", GoQuote(e.operation)));
    }
    const std::string fields_type = StringField(item, "fieldsType");
    if (fields_type != "FieldsV1") {
      return absl::InvalidArgumentError(
          StrCat("metadata.managedFields: unsupported fieldsType ", GoQuote(fields_type)));
    }
    if (const Value* fields = item.Find("fieldsV1"); fields != nullptr && !fields->is_null()) {
      auto set = FieldSet::FromFieldsV1(*fields);
      if (!set.ok()) {
        return absl::InvalidArgumentError(
            StrCat("metadata.managedFields: ", set.status().message()));
      }
      e.set = std::move(*set);
    }
    out.push_back(std::move(e));
  }
  return out;
}

// The entries in upstream's order (operation, time, manager, apiVersion, subresource), encoded.
Value EncodeEntries(std::vector<Entry> entries) {
  std::sort(entries.begin(), entries.end(), [](const Entry& p, const Entry& q) {
    return std::tie(p.operation, p.time, p.manager, p.api_version, p.subresource) <
           std::tie(q.operation, q.time, q.manager, q.api_version, q.subresource);
  });
  Value out = Value::Array();
  for (const Entry& e : entries) {
    Value item = Value::Object();
    item.Set("manager", Value::String(e.manager));
    item.Set("operation", Value::String(e.operation));
    item.Set("apiVersion", Value::String(e.api_version));
    if (!e.time.empty()) item.Set("time", Value::String(e.time));
    item.Set("fieldsType", Value::String("FieldsV1"));
    item.Set("fieldsV1", e.set.ToFieldsV1());
    if (!e.subresource.empty()) item.Set("subresource", Value::String(e.subresource));
    out.Append(std::move(item));
  }
  return out;
}

void SetManagedFields(Value& object, std::vector<Entry> entries) {
  Value* metadata = object.FindMutable("metadata");
  if (metadata == nullptr || !metadata->is_object()) {
    if (entries.empty()) return;
    metadata = &object.Set("metadata", Value::Object());
  }
  if (entries.empty()) {
    metadata->Remove("managedFields");
  } else {
    metadata->Set("managedFields", EncodeEntries(std::move(entries)));
  }
}

const Value* ManagedFieldsOf(const Value& object) {
  const Value* metadata = object.Find("metadata");
  return metadata == nullptr ? nullptr : metadata->Find("managedFields");
}

Value WithoutManagedFields(Value v) {
  if (Value* metadata = v.FindMutable("metadata")) metadata->Remove("managedFields");
  return v;
}

// Drops null members of objects (an applied null is the same as an absent field).
Value DropNulls(const Value& v) {
  if (v.is_object()) {
    Value out = Value::Object();
    for (const auto& [name, child] : v.members()) {
      if (!child.is_null()) out.Set(name, DropNulls(child));
    }
    return out;
  }
  if (v.is_array()) {
    Value out = Value::Array();
    for (const Value& item : v.items()) out.Append(DropNulls(item));
    return out;
  }
  return v;
}

// How upstream prints a conflicting manager (the apiserver fieldmanager's printManager).
std::string ManagerDescription(std::string_view manager, std::string_view operation,
                               std::string_view api_version, std::string_view subresource) {
  std::string out = GoQuote(manager);
  if (!subresource.empty()) StrAppend(&out, " with subresource ", GoQuote(subresource));
  if (operation == kUpdate) StrAppend(&out, " using ", api_version);
  return out;
}

}  // namespace

std::string DescribeConflictManager(const ApplyConflict& conflict) {
  return ManagerDescription(conflict.manager, conflict.operation, conflict.api_version,
                            conflict.subresource);
}

std::string ApplyConflictMessage(const std::vector<ApplyConflict>& conflicts) {
  if (conflicts.size() == 1) {
    return StrCat("Apply failed with 1 conflict: conflict with ",
                  DescribeConflictManager(conflicts[0]), ": ", conflicts[0].field);
  }
  std::map<std::string, std::vector<std::string>> by_manager;
  for (const ApplyConflict& c : conflicts) {
    by_manager[DescribeConflictManager(c)].push_back(c.field);
  }
  std::vector<std::string> lines;
  for (const auto& [manager, fields] : by_manager) {
    lines.push_back(StrCat("conflicts with ", manager, ":"));
    for (const std::string& f : fields) lines.push_back(StrCat("- ", f));
  }
  return StrCat("Apply failed with ", conflicts.size(), " conflicts: ", StrJoin(lines, "\n"));
}

absl::StatusOr<api::Value> ServerSideApply(const std::optional<api::Value>& live,
                                           const api::Value& applied, const ApplyOptions& options,
                                           const PatchSchema& schema,
                                           std::vector<ApplyConflict>* conflicts) {
  if (conflicts != nullptr) conflicts->clear();
  if (!applied.is_object()) {
    return absl::InvalidArgumentError(
        StrCat("error decoding YAML: apply patch must be an object, got ", applied.KindName()));
  }
  const std::string api_version = StringField(applied, "apiVersion");
  const std::string kind = StringField(applied, "kind");
  if (api_version.empty() || kind.empty()) {
    return absl::InvalidArgumentError(
        "Object 'apiVersion' and 'Kind' are missing in the apply patch");
  }
  const Value* metadata = applied.Find("metadata");
  if (metadata == nullptr || !metadata->is_object() || StringField(*metadata, "name").empty()) {
    return absl::InvalidArgumentError("metadata.name must be set in the apply patch");
  }
  if (const Value* mf = metadata->Find("managedFields"); mf != nullptr && !mf->is_null()) {
    return absl::InvalidArgumentError("metadata.managedFields must be nil");
  }
  if (options.manager.empty()) {
    return absl::InvalidArgumentError("fieldManager is required for apply requests");
  }
  if (live.has_value()) {
    const std::string live_version = StringField(*live, "apiVersion");
    if (!live_version.empty() && live_version != api_version) {
      return absl::InvalidArgumentError(StrCat(
          "Incorrect version specified in apply patch. Specified patch version: ", api_version,
          ", expected: ", live_version));
    }
  }

  const Value config = DropNulls(applied);
  const Value base = live.has_value() ? *live : Value::Object();
  auto decoded = DecodeEntries(live.has_value() ? ManagedFieldsOf(*live) : nullptr);
  if (!decoded.ok()) {
    return absl::InternalError(
        StrCat("failed to decode managed fields: ", decoded.status().message()));
  }
  std::vector<Entry> entries = std::move(*decoded);

  FieldSet config_set;
  FieldPath path;
  {
    absl::Status s = CollectLeaves(config, schema.root(), Level::kRoot, path, config_set);
    if (!s.ok()) {
      return absl::InvalidArgumentError(StrCat("failed to create typed patch object (", api_version,
                                               ", Kind=", kind, "): ", s.message()));
    }
  }
  path.clear();
  auto merged = Merge(base, config, schema.root(), path);
  if (!merged.ok()) {
    return absl::InvalidArgumentError(StrCat("failed to merge the apply patch (", api_version,
                                             ", Kind=", kind, "): ", merged.status().message()));
  }

  Entry self;
  self.manager = options.manager;
  self.operation = std::string(kApply);
  self.subresource = options.subresource;
  FieldSet last_set;
  std::optional<Entry> previous;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->SameManager(self)) {
      previous = *it;
      last_set = it->set;
      entries.erase(it);
      break;
    }
  }

  // Prune what the manager applied before and nobody owns any more.
  Value result = std::move(*merged);
  if (!last_set.empty()) {
    FieldSet owned = config_set;
    for (const Entry& e : entries) owned.Union(e.set);
    FieldSet remove = last_set;
    remove.Subtract(owned);
    RemoveFields(result, schema.root(), remove, &owned);
  }

  Comparison cmp = Compare(base, result, schema);
  FieldSet changed = cmp.added;
  changed.Union(cmp.modified);
  std::vector<ApplyConflict> found;
  std::vector<std::pair<size_t, FieldSet>> taken;
  for (size_t i = 0; i < entries.size(); ++i) {
    FieldSet overlap = entries[i].set.Intersection(changed);
    if (overlap.empty()) continue;
    overlap.ForEach([&](const FieldPath& p) {
      found.push_back(ApplyConflict{entries[i].manager, entries[i].operation,
                                    entries[i].api_version, entries[i].subresource,
                                    FieldPathString(p)});
    });
    taken.emplace_back(i, std::move(overlap));
  }
  if (!found.empty() && !options.force) {
    std::stable_sort(
        found.begin(), found.end(),
        [](const ApplyConflict& a, const ApplyConflict& b) { return a.manager < b.manager; });
    std::string message = ApplyConflictMessage(found);
    if (conflicts != nullptr) *conflicts = std::move(found);
    return absl::AbortedError(message);
  }
  for (auto& [i, set] : taken) entries[i].set.Subtract(set);
  for (Entry& e : entries) e.set.Subtract(cmp.removed);
  entries.erase(
      std::remove_if(entries.begin(), entries.end(), [](const Entry& e) { return e.set.empty(); }),
      entries.end());

  self.api_version = api_version;
  self.set = std::move(config_set);
  const bool unchanged = previous.has_value() && previous->set == self.set &&
                         previous->api_version == self.api_version && cmp.empty();
  self.time = unchanged ? previous->time : options.now;
  if (!self.set.empty()) entries.push_back(std::move(self));
  SetManagedFields(result, std::move(entries));
  if (live.has_value() && result == *live) return *live;
  return result;
}

api::Value UpdateManagedFields(const std::optional<api::Value>& old_object,
                               const api::Value& new_object, const ApplyOptions& options,
                               const PatchSchema& schema) {
  std::vector<Entry> entries;
  const Value* requested = ManagedFieldsOf(new_object);
  const bool reset = requested != nullptr && requested->is_array() &&
                     (requested->items().empty() ||
                      (requested->items().size() == 1 && requested->items()[0].is_object() &&
                       requested->items()[0].members().empty()));
  if (!reset) {
    auto from_new = DecodeEntries(requested);
    if (from_new.ok() && !from_new->empty()) {
      entries = std::move(*from_new);
    } else if (old_object.has_value()) {
      auto from_old = DecodeEntries(ManagedFieldsOf(*old_object));
      if (from_old.ok()) entries = std::move(*from_old);
    }
  }

  const Value base = old_object.has_value() ? WithoutManagedFields(*old_object) : Value::Object();
  Value result = WithoutManagedFields(new_object);
  Comparison cmp = Compare(base, result, schema);
  FieldSet changed = cmp.added;
  changed.Union(cmp.modified);

  Entry self;
  self.manager = options.manager;
  self.operation = std::string(kUpdate);
  self.api_version = StringField(new_object, "apiVersion");
  self.subresource = options.subresource;
  self.time = options.now;
  bool existed = false;
  for (Entry& e : entries) {
    if (e.SameManager(self)) {
      e.set.Subtract(cmp.removed);
      e.set.Union(changed);
      if (!cmp.empty()) e.time = options.now;
      existed = true;
    } else {
      e.set.Subtract(changed);
      e.set.Subtract(cmp.removed);
    }
  }
  if (!existed) {
    self.set = std::move(changed);
    entries.push_back(std::move(self));
  }
  entries.erase(
      std::remove_if(entries.begin(), entries.end(), [](const Entry& e) { return e.set.empty(); }),
      entries.end());
  SetManagedFields(result, std::move(entries));
  return result;
}

}  // namespace dra::apiserver
