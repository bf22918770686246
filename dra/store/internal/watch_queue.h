// An unbounded event queue behind one WatchStream, shared by the stream (consumer) and the
// store (producer). Backends that fan out events themselves use it.
//
// Thread-safe.
#ifndef DRA_STORE_INTERNAL_WATCH_QUEUE_H_
#define DRA_STORE_INTERNAL_WATCH_QUEUE_H_

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/store/store.h"

namespace dra::store::internal {

class WatchQueue {
 public:
  explicit WatchQueue(std::string_view prefix) : prefix_(prefix) {}

  // Whether `key` falls under this watch's prefix.
  bool Matches(std::string_view key) const { return key.starts_with(prefix_); }

  // Appends an event; ignored once cancelled.
  void Push(WatchEvent event);
  // Ends the queue: Pop drains what is queued, then returns Cancelled.
  void Cancel();
  bool cancelled() const;

  absl::StatusOr<WatchEvent> Pop(absl::Time deadline);

 private:
  const std::string prefix_;
  mutable absl::Mutex mu_;
  std::deque<WatchEvent> events_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

// The WatchStream handed to callers; cancels its queue when destroyed.
class QueueWatchStream final : public WatchStream {
 public:
  explicit QueueWatchStream(std::shared_ptr<WatchQueue> queue) : queue_(std::move(queue)) {}
  ~QueueWatchStream() override { queue_->Cancel(); }

  absl::StatusOr<WatchEvent> Next(absl::Time deadline) override { return queue_->Pop(deadline); }
  void Cancel() override { queue_->Cancel(); }

 private:
  std::shared_ptr<WatchQueue> queue_;
};

}  // namespace dra::store::internal

#endif  // DRA_STORE_INTERNAL_WATCH_QUEUE_H_
