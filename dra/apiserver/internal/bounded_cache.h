// BoundedCache: shared immutable values by key, the oldest dropped first once there are more
// than `max_entries` of them or their sizes (as the caller counts them) add up to more than
// `max_bytes` (the newest entry is always kept). Used for the registry's decoded objects and the
// handler's shared watch events.
//
// Thread-safe.
#ifndef DRA_APISERVER_INTERNAL_BOUNDED_CACHE_H_
#define DRA_APISERVER_INTERNAL_BOUNDED_CACHE_H_

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace dra::apiserver::internal {

template <typename Key, typename T>
class BoundedCache {
 public:
  BoundedCache(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The value for `key`, or null.
  std::shared_ptr<const T> Find(const Key& key) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second.value;
  }

  // Keeps `value` under `key` unless the key is present already.
  void Add(Key key, std::shared_ptr<const T> value, size_t bytes) {
    absl::MutexLock lock(&mu_);
    if (!entries_.try_emplace(key, Entry{std::move(value), bytes}).second) return;
    bytes_ += bytes;
    order_.push_back(std::move(key));
    while (order_.size() > max_entries_ || (bytes_ > max_bytes_ && order_.size() > 1)) {
      auto oldest = entries_.find(order_.front());
      bytes_ -= oldest->second.bytes;
      entries_.erase(oldest);
      order_.pop_front();
    }
  }

  size_t size() {
    absl::MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::shared_ptr<const T> value;
    size_t bytes = 0;
  };

  const size_t max_entries_;
  const size_t max_bytes_;
  absl::Mutex mu_;
  std::map<Key, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<Key> order_ ABSL_GUARDED_BY(mu_);  // oldest first
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dra::apiserver::internal

#endif  // DRA_APISERVER_INTERNAL_BOUNDED_CACHE_H_
