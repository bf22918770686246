#include "dra/driver/grpc/health_publisher.h"

#include <algorithm>
#include <utility>

namespace dra::driver {
namespace {

// How often a waiting stream asks whether its peer has gone away.
constexpr absl::Duration kCancelPollInterval = absl::Milliseconds(100);

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string TruncateHealthMessage(std::string message) {
  if (message.size() <= kMaxDeviceHealthMessageLength) return message;
  size_t cut = kMaxDeviceHealthMessageLength - 3;
  // Back off to the start of the UTF-8 sequence that straddles the cut.
  while (cut > 0 && IsUtf8Continuation(message[cut])) --cut;
  message.resize(cut);
  message.append("...");
  return message;
}

DeviceHealthPublisher::DeviceHealthPublisher(absl::Duration resend_interval)
    : resend_interval_(resend_interval > absl::ZeroDuration() ? resend_interval
                                                              : kDefaultResendInterval) {}

void DeviceHealthPublisher::Update(std::vector<DeviceHealth> devices) {
  for (DeviceHealth& d : devices) d.message = TruncateHealthMessage(std::move(d.message));
  absl::MutexLock lock(&mu_);
  if (devices == devices_) return;
  devices_ = std::move(devices);
  ++generation_;
}

std::vector<DeviceHealth> DeviceHealthPublisher::devices() const {
  absl::MutexLock lock(&mu_);
  return devices_;
}

int DeviceHealthPublisher::active_streams() const {
  absl::MutexLock lock(&mu_);
  return active_streams_;
}

bool DeviceHealthPublisher::WaitForActiveStreams(int n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return active_streams_ >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void DeviceHealthPublisher::Stream(
    std::stop_token stop, const std::function<bool()>& cancelled,
    const std::function<bool(const std::vector<DeviceHealth>&)>& send) const {
  std::vector<DeviceHealth> snapshot;
  uint64_t sent_generation = 0;
  {
    absl::MutexLock lock(&mu_);
    ++active_streams_;
    snapshot = devices_;
    sent_generation = generation_;
  }
  // absl::Mutex re-evaluates waiters' conditions when it is released, so taking and releasing
  // it after the stop request wakes a waiting stream at once.
  std::stop_callback wake(stop, [this] { absl::MutexLock lock(&mu_); });

  bool peer_alive = send(snapshot);
  absl::Time next_resend = absl::Now() + resend_interval_;
  while (peer_alive && !stop.stop_requested()) {
    bool changed = false;
    {
      absl::MutexLock lock(&mu_);
      auto wake_up = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return stop.stop_requested() || generation_ != sent_generation;
      };
      mu_.AwaitWithDeadline(absl::Condition(&wake_up),
                            std::min(next_resend, absl::Now() + kCancelPollInterval));
      if (stop.stop_requested()) break;
      if (generation_ != sent_generation) {
        snapshot = devices_;
        sent_generation = generation_;
        changed = true;
      }
    }
    if (changed || absl::Now() >= next_resend) {
      peer_alive = send(snapshot);
      next_resend = absl::Now() + resend_interval_;
    } else if (cancelled && cancelled()) {
      break;
    }
  }

  absl::MutexLock lock(&mu_);
  --active_streams_;
}

}  // namespace dra::driver
