// A deduplicating, rate-limited work queue of string keys, as client-go's workqueue.
//
// Contract:
// - A key is held at most once while waiting. A key added while a worker processes it (between
//   Get and Done) is queued again by Done, so one key is never processed twice at the same time.
// - AddRateLimited delays the key by min_backoff * 2^(failures so far), capped at max_backoff;
//   Forget resets the failure count.
// - Get blocks until a key is ready or the queue is shut down (then it returns nullopt).
//
// Thread-safe.
#ifndef DRA_CONTROLLERS_INTERNAL_WORK_QUEUE_H_
#define DRA_CONTROLLERS_INTERNAL_WORK_QUEUE_H_

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace dra::controllers::internal {

class WorkQueue {
 public:
  WorkQueue(absl::Duration min_backoff, absl::Duration max_backoff)
      : min_backoff_(min_backoff), max_backoff_(max_backoff) {}

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `key` now (no effect when it is already waiting, or after ShutDown).
  void Add(const std::string& key);
  // Queues `key` once `delay` has passed.
  void AddAfter(const std::string& key, absl::Duration delay);
  // Queues `key` after its backoff and counts a failure.
  void AddRateLimited(const std::string& key);
  // Resets the failure count of `key`.
  void Forget(const std::string& key);
  int Failures(const std::string& key) const;

  // The next ready key; nullopt once shut down. The caller must call Done(key) afterwards.
  std::optional<std::string> Get();
  void Done(const std::string& key);

  // Wakes every Get (which then return nullopt); later adds are ignored.
  void ShutDown();
  // Keys waiting to be processed now (not the delayed ones).
  size_t Len() const;

 private:
  void AddLocked(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const absl::Duration min_backoff_;
  const absl::Duration max_backoff_;

  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> dirty_ ABSL_GUARDED_BY(mu_);       // queued or to be queued by Done
  std::set<std::string> processing_ ABSL_GUARDED_BY(mu_);  // between Get and Done
  std::multimap<absl::Time, std::string> delayed_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> failures_ ABSL_GUARDED_BY(mu_);
  bool shutdown_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace dra::controllers::internal

#endif  // DRA_CONTROLLERS_INTERNAL_WORK_QUEUE_H_
