#include "dra/apiserver/controllers.h"

#include <utility>

#include "dra/api/codec/json.h"
#include "dra/apiserver/errors.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;

const ResourceType* TypeOfKey(std::string_view key) {
  for (const ResourceType& t : ServedResources()) {
    if (key.starts_with(t.KeyPrefix())) return &t;
  }
  return nullptr;
}

std::vector<std::string> StringList(const Value* v) {
  std::vector<std::string> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const Value& item : v->items()) {
    if (item.is_string()) out.push_back(item.text());
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

Controllers::Controllers(Registry* registry) : registry_(registry) {}

Controllers::~Controllers() { Stop(); }

absl::Status Controllers::Start() {
  absl::StatusOr<store::ListResult> all = registry_->store().List("/registry/");
  if (!all.ok()) return all.status();
  for (const store::KeyValue& kv : all->items) Apply(kv.key, &kv, /*remember=*/false);
  absl::StatusOr<std::unique_ptr<store::WatchStream>> stream =
      registry_->store().Watch("/registry/", all->revision);
  if (!stream.ok()) return stream.status();
  stream_ = *std::move(stream);
  processed_revision_ = all->revision;
  for (const auto& [uid, entry] : entries_) queue_.insert(uid);
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Controllers::Stop() {
  stop_ = true;
  if (stream_ != nullptr) stream_->Cancel();
  if (thread_.joinable()) thread_.join();
}

void Controllers::Apply(const std::string& key, const store::KeyValue* entry_kv, bool remember) {
  // Drop what the index knew of the key.
  if (auto it = uid_by_key_.find(key); it != uid_by_key_.end()) {
    std::string uid = it->second;
    uid_by_key_.erase(it);
    if (auto e = entries_.find(uid); e != entries_.end()) {
      for (const std::string& owner : e->second.owners) {
        dependents_[owner].erase(uid);
        if (dependents_[owner].empty()) dependents_.erase(owner);
        Enqueue(owner);
      }
      if (!e->second.ns.empty()) {
        namespace_members_[e->second.ns].erase(uid);
        if (auto ns = namespace_uid_.find(e->second.ns); ns != namespace_uid_.end()) {
          Enqueue(ns->second);
        }
      }
      if (e->second.type != nullptr && e->second.type->kind == "Namespace") {
        namespace_uid_.erase(e->second.name);
      }
      entries_.erase(e);
    }
    if (auto d = dependents_.find(uid); d != dependents_.end()) {
      for (const std::string& dependent : d->second) Enqueue(dependent);
    }
  }
  if (entry_kv == nullptr) return;
  absl::StatusOr<std::shared_ptr<const Value>> decoded = registry_->Decoded(*entry_kv, remember);
  if (!decoded.ok()) return;
  const Value* object = decoded->get();
  std::string uid = MetaString(*object, "uid");
  if (uid.empty()) return;
  Entry entry;
  entry.type = TypeOfKey(key);
  entry.ns = MetaString(*object, "namespace");
  entry.name = MetaString(*object, "name");
  entry.deleting = !MetaString(*object, "deletionTimestamp").empty();
  if (const Value* meta = object->Find("metadata")) {
    entry.finalizers = StringList(meta->Find("finalizers"));
    if (const Value* refs = meta->Find("ownerReferences"); refs != nullptr && refs->is_array()) {
      for (const Value& ref : refs->items()) {
        const Value* owner_uid = ref.Find("uid");
        if (owner_uid != nullptr && owner_uid->is_string()) {
          entry.owners.push_back(owner_uid->text());
        }
      }
    }
  }
  if (entry.type != nullptr && entry.type->kind == "Namespace") {
    const Value* spec = object->Find("spec");
    entry.namespace_finalizer =
        spec != nullptr && Contains(StringList(spec->Find("finalizers")), "kubernetes");
    namespace_uid_[entry.name] = uid;
  }
  for (const std::string& owner : entry.owners) dependents_[owner].insert(uid);
  if (!entry.ns.empty()) namespace_members_[entry.ns].insert(uid);
  uid_by_key_[key] = uid;
  entries_[uid] = std::move(entry);
  Enqueue(uid);
}

void Controllers::Run() {
  absl::Time next_retry = absl::Now() + absl::Seconds(1);
  while (!stop_) {
    absl::StatusOr<store::WatchEvent> event = stream_->Next(
        queue_.empty() ? absl::Now() + absl::Milliseconds(500) : absl::InfinitePast());
    if (event.ok()) {
      store::KeyValue kv{std::move(event->key), std::move(event->value), event->create_revision,
                         event->revision};
      Apply(kv.key, event->type == store::EventType::kDeleted ? nullptr : &kv,
            /*remember=*/true);
      processed_revision_ = event->revision;
      continue;  // drain events before acting on a consistent index
    }
    if (!absl::IsDeadlineExceeded(event.status())) {
      if (stop_) return;
      // The stream ended (store closed): nothing more to do.
      return;
    }
    while (!queue_.empty() && !stop_) {
      std::string uid = *queue_.begin();
      queue_.erase(queue_.begin());
      Process(uid);
    }
    if (absl::Now() >= next_retry) {
      for (const std::string& uid : retry_) queue_.insert(uid);
      retry_.clear();
      next_retry = absl::Now() + absl::Seconds(1);
    }
  }
}

void Controllers::Process(const std::string& uid) {
  auto it = entries_.find(uid);
  if (it == entries_.end()) return;
  const Entry entry = it->second;
  bool ok = true;

  // Dangling owner references.
  if (!entry.owners.empty()) {
    std::set<std::string> missing;
    for (const std::string& owner : entry.owners) {
      if (!entries_.contains(owner)) missing.insert(owner);
    }
    if (!missing.empty()) {
      if (missing.size() == entry.owners.size()) {
        if (!entry.deleting) ok = DeleteObject(entry);
      } else {
        ok = RemoveOwnerReferences(entry, missing);
      }
      if (!ok) retry_.insert(uid);
      return;
    }
  }

  if (!entry.deleting) return;
  auto deps = dependents_.find(uid);
  std::set<std::string> dependents =
      deps != dependents_.end() ? deps->second : std::set<std::string>();
  if (Contains(entry.finalizers, "orphan")) {
    for (const std::string& d : dependents) {
      auto dep = entries_.find(d);
      if (dep != entries_.end()) ok = RemoveOwnerReferences(dep->second, {uid}) && ok;
    }
    if (ok) ok = RemoveFinalizer(entry, "orphan");
  } else if (Contains(entry.finalizers, "foregroundDeletion")) {
    for (const std::string& d : dependents) {
      auto dep = entries_.find(d);
      if (dep != entries_.end() && !dep->second.deleting) ok = DeleteObject(dep->second) && ok;
    }
    if (dependents.empty()) ok = RemoveFinalizer(entry, "foregroundDeletion") && ok;
  }
  if (entry.type != nullptr && entry.type->kind == "Namespace" && entry.namespace_finalizer) {
    auto members = namespace_members_.find(entry.name);
    if (members == namespace_members_.end() || members->second.empty()) {
      absl::StatusOr<Value> current = registry_->Get(*entry.type, "", entry.name);
      if (current.ok()) {
        Value object = *std::move(current);
        Value* spec = object.FindMutable("spec");
        if (spec != nullptr && spec->is_object()) {
          Value kept = Value::Array();
          for (const std::string& f : StringList(spec->Find("finalizers"))) {
            if (f != "kubernetes") kept.Append(Value::String(f));
          }
          spec->Set("finalizers", std::move(kept));
        }
        ok = registry_->Finalize(entry.name, std::move(object), {}).ok() && ok;
      }
    } else {
      for (const std::string& member : members->second) {
        auto m = entries_.find(member);
        if (m != entries_.end() && !m->second.deleting) ok = DeleteObject(m->second) && ok;
      }
    }
  }
  if (!ok) retry_.insert(uid);
}

bool Controllers::DeleteObject(const Entry& entry) {
  if (entry.type == nullptr) return true;
  absl::StatusOr<DeleteOutcome> outcome = registry_->Delete(*entry.type, entry.ns, entry.name, {});
  return outcome.ok() || absl::IsNotFound(outcome.status());
}

bool Controllers::RemoveFinalizer(const Entry& entry, std::string_view finalizer) {
  if (entry.type == nullptr) return true;
  absl::StatusOr<Value> current = registry_->Get(*entry.type, entry.ns, entry.name);
  if (absl::IsNotFound(current.status())) return true;
  if (!current.ok()) return false;
  Value& meta = MutableMeta(*current);
  Value kept = Value::Array();
  for (const std::string& f : StringList(meta.Find("finalizers"))) {
    if (f != finalizer) kept.Append(Value::String(f));
  }
  meta.Set("finalizers", std::move(kept));
  absl::StatusOr<Value> updated =
      registry_->Update(*entry.type, entry.ns, entry.name, *std::move(current), Subresource::kNone,
                        {.field_manager = "garbage-collector"});
  return updated.ok() || absl::IsNotFound(updated.status());
}

bool Controllers::RemoveOwnerReferences(const Entry& entry,
                                        const std::set<std::string>& owner_uids) {
  if (entry.type == nullptr) return true;
  absl::StatusOr<Value> current = registry_->Get(*entry.type, entry.ns, entry.name);
  if (absl::IsNotFound(current.status())) return true;
  if (!current.ok()) return false;
  Value& meta = MutableMeta(*current);
  Value kept = Value::Array();
  if (const Value* refs = meta.Find("ownerReferences"); refs != nullptr && refs->is_array()) {
    for (const Value& ref : refs->items()) {
      const Value* uid = ref.Find("uid");
      if (uid != nullptr && uid->is_string() && owner_uids.contains(uid->text())) continue;
      kept.Append(ref);
    }
  }
  if (kept.items().empty()) {
    meta.Remove("ownerReferences");
  } else {
    meta.Set("ownerReferences", std::move(kept));
  }
  absl::StatusOr<Value> updated =
      registry_->Update(*entry.type, entry.ns, entry.name, *std::move(current), Subresource::kNone,
                        {.field_manager = "garbage-collector"});
  return updated.ok() || absl::IsNotFound(updated.status());
}

}  // namespace dra::apiserver
