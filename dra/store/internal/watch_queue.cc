#include "dra/store/internal/watch_queue.h"

#include <utility>

#include "absl/status/status.h"

namespace dra::store::internal {

void WatchQueue::Push(WatchEvent event) {
  absl::MutexLock lock(&mu_);
  if (cancelled_) return;
  events_.push_back(std::move(event));
}

void WatchQueue::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
}

bool WatchQueue::cancelled() const {
  absl::MutexLock lock(&mu_);
  return cancelled_;
}

absl::StatusOr<WatchEvent> WatchQueue::Pop(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto ready = [this]()
                   ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !events_.empty() || cancelled_; };
  mu_.AwaitWithDeadline(absl::Condition(&ready), deadline);
  if (!events_.empty()) {
    WatchEvent event = std::move(events_.front());
    events_.pop_front();
    return event;
  }
  if (cancelled_) return absl::CancelledError("watch stream cancelled");
  return absl::DeadlineExceededError("no watch event before the deadline");
}

}  // namespace dra::store::internal
