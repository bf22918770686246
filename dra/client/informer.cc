#include "dra/client/informer.h"

#include <algorithm>
#include <utility>

#include "dra/base/strings.h"

namespace dra::client {
namespace {

std::string MetaString(const api::Value& object, std::string_view key) {
  const api::Value* meta = object.Find("metadata");
  const api::Value* v = meta != nullptr ? meta->Find(key) : nullptr;
  return v != nullptr && v->is_string() ? v->text() : std::string();
}

std::string KeyFor(std::string_view ns, std::string_view name) {
  return ns.empty() ? std::string(name) : dra::StrCat(ns, "/", name);
}

}  // namespace

std::string Informer::KeyOf(const api::Value& object) {
  return KeyFor(MetaString(object, "namespace"), MetaString(object, "name"));
}

Informer::Informer(RestClient* client, ResourceRef ref, InformerOptions options)
    : client_(client),
      ref_(std::move(ref)),
      options_(std::move(options)),
      backoff_(options_.min_backoff) {}

Informer::~Informer() { Stop(); }

void Informer::AddHandler(OnAdd on_add, OnUpdate on_update, OnDelete on_delete) {
  auto handler = std::make_shared<const Handler>(
      Handler{std::move(on_add), std::move(on_update), std::move(on_delete)});
  absl::MutexLock lock(&mu_);
  handlers_.push_back(std::move(handler));
}

void Informer::Start() {
  absl::MutexLock join(&join_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (started_ || stopping_) return;
    started_ = true;
  }
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (current_watch_ != nullptr) current_watch_->Cancel();
  }
  absl::MutexLock join(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

bool Informer::Stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void Informer::SetError(absl::Status status) {
  absl::MutexLock lock(&mu_);
  last_error_ = std::move(status);
}

bool Informer::WaitForSync(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return synced_ || stopping_; };
  mu_.AwaitWithDeadline(absl::Condition(&done), deadline);
  return synced_;
}

bool Informer::HasSynced() const {
  absl::MutexLock lock(&mu_);
  return synced_;
}

Informer::ObjectPtr Informer::Get(std::string_view ns, std::string_view name) const {
  std::string key = KeyFor(ref_.namespaced ? ns : std::string_view(), name);
  absl::MutexLock lock(&mu_);
  auto it = cache_.find(key);
  return it == cache_.end() ? nullptr : it->second;
}

std::vector<Informer::ObjectPtr> Informer::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<ObjectPtr> out;
  out.reserve(cache_.size());
  for (const auto& [key, object] : cache_) out.push_back(object);
  return out;
}

std::string Informer::LastSyncResourceVersion() const {
  absl::MutexLock lock(&mu_);
  return resource_version_;
}

int64_t Informer::list_count() const {
  absl::MutexLock lock(&mu_);
  return lists_;
}

absl::Status Informer::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

void Informer::Backoff() {
  absl::Time until = absl::Now() + backoff_;
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
  absl::MutexLock lock(&mu_);
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
  mu_.AwaitWithDeadline(absl::Condition(&stopping), until);
}

void Informer::Notify(const std::vector<Notification>& notifications) {
  if (notifications.empty()) return;
  std::vector<std::shared_ptr<const Handler>> handlers;
  {
    absl::MutexLock lock(&mu_);
    handlers = handlers_;
  }
  for (const Notification& n : notifications) {
    for (const auto& h : handlers) {
      switch (n.kind) {
        case Kind::kAdd:
          if (h->on_add) h->on_add(*n.object);
          break;
        case Kind::kUpdate:
          if (h->on_update) h->on_update(*n.old_object, *n.object);
          break;
        case Kind::kDelete:
          if (h->on_delete) h->on_delete(*n.object);
          break;
      }
    }
  }
}

bool Informer::Relist() {
  ListOptions list_options;
  list_options.label_selector = options_.label_selector;
  list_options.field_selector = options_.field_selector;
  list_options.limit = options_.page_size;
  absl::StatusOr<ListResult> listed = client_->ListAll(ref_, options_.ns, list_options);
  if (!listed.ok()) {
    SetError(listed.status());
    return false;
  }
  std::map<std::string, ObjectPtr> fresh;
  std::vector<Notification> notifications;
  {
    absl::MutexLock lock(&mu_);
    for (api::Value& item : listed->items) {
      std::string key = KeyOf(item);
      auto object = std::make_shared<const api::Value>(std::move(item));
      auto old = cache_.find(key);
      if (old == cache_.end()) {
        notifications.push_back({Kind::kAdd, nullptr, object});
      } else if (MetaString(*old->second, "resourceVersion") !=
                     MetaString(*object, "resourceVersion") ||
                 MetaString(*old->second, "uid") != MetaString(*object, "uid")) {
        notifications.push_back({Kind::kUpdate, old->second, object});
      }
      fresh[key] = std::move(object);
    }
    for (const auto& [key, object] : cache_) {
      if (!fresh.contains(key)) notifications.push_back({Kind::kDelete, nullptr, object});
    }
    cache_ = std::move(fresh);
    resource_version_ = listed->resource_version;
    ++lists_;
  }
  Notify(notifications);
  // Synced once the handlers have seen the first list too, so that a caller of WaitForSync
  // finds everything the handlers derive from it (e.g. the scheduler's cluster state).
  absl::MutexLock lock(&mu_);
  synced_ = true;
  return true;
}

void Informer::Apply(WatchEvent& event) {
  std::string key = KeyOf(*event.object);
  std::string rv = event.ResourceVersion();
  ObjectPtr object = std::move(event.object);
  std::vector<Notification> notifications;
  {
    absl::MutexLock lock(&mu_);
    if (!rv.empty()) resource_version_ = rv;
    if (event.type == WatchEvent::Type::kDeleted) {
      cache_.erase(key);
      notifications.push_back({Kind::kDelete, nullptr, object});
    } else {
      auto [it, inserted] = cache_.try_emplace(key, object);
      if (inserted) {
        notifications.push_back({Kind::kAdd, nullptr, object});
      } else {
        notifications.push_back({Kind::kUpdate, it->second, object});
        it->second = object;
      }
    }
  }
  Notify(notifications);
}

bool Informer::WatchOnce(bool* relist, absl::Status* end) {
  WatchOptions watch_options;
  watch_options.resource_version = LastSyncResourceVersion();
  watch_options.label_selector = options_.label_selector;
  watch_options.field_selector = options_.field_selector;
  watch_options.allow_bookmarks = options_.allow_bookmarks;
  watch_options.timeout = options_.watch_timeout;
  absl::StatusOr<std::unique_ptr<WatchStream>> stream =
      client_->Watch(ref_, options_.ns, watch_options);
  if (!stream.ok()) {
    *relist = absl::IsOutOfRange(stream.status());
    *end = stream.status();
    return false;
  }
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      *end = absl::CancelledError("informer stopped");
      return false;
    }
    current_watch_ = stream->get();
  }
  bool delivered = false;
  while (true) {
    absl::StatusOr<WatchEvent> event = (*stream)->Next(absl::InfiniteFuture());
    if (!event.ok()) {
      *end = event.status();
      break;
    }
    if (event->type == WatchEvent::Type::kError) {
      *end = event->Error();
      *relist = absl::IsOutOfRange(*end);
      break;
    }
    delivered = true;
    if (event->type == WatchEvent::Type::kBookmark) {
      std::string rv = event->ResourceVersion();
      absl::MutexLock lock(&mu_);
      if (!rv.empty()) resource_version_ = rv;
      continue;
    }
    Apply(*event);
  }
  {
    absl::MutexLock lock(&mu_);
    current_watch_ = nullptr;
  }
  return delivered;
}

void Informer::Run() {
  bool need_list = true;
  // No watch has delivered anything since the last list: a version that expires again right
  // away must not make the loop list back to back.
  bool nothing_since_list = false;
  while (!Stopping()) {
    if (need_list) {
      if (nothing_since_list) Backoff();
      if (!Relist()) {
        Backoff();
        continue;
      }
      need_list = false;
      nothing_since_list = true;
    }
    absl::Time started = absl::Now();
    bool relist = false;
    absl::Status end;
    bool delivered = WatchOnce(&relist, &end);
    if (Stopping()) break;
    if (delivered) {
      nothing_since_list = false;
      backoff_ = options_.min_backoff;
    }
    if (relist) {
      need_list = true;
      SetError(end);
      continue;
    }
    // A watch the server ended normally after it delivered something (or after a while) is
    // simply re-opened; anything else waits first.
    bool normal_end = absl::IsCancelled(end);
    if (!normal_end) SetError(end);
    if (normal_end && (delivered || absl::Now() - started >= absl::Seconds(1))) {
      backoff_ = options_.min_backoff;
    } else {
      Backoff();
    }
  }
}

}  // namespace dra::client
