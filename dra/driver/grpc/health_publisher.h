// The device-health side of a kubelet plugin: the node agent publishes the complete health
// list of its driver's devices here, and every open DRAResourceHealth.NodeWatchResources stream
// receives it.
#ifndef DRA_DRIVER_GRPC_HEALTH_PUBLISHER_H_
#define DRA_DRIVER_GRPC_HEALTH_PUBLISHER_H_

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "dra/driver/grpc/plugin_handler.h"

namespace dra::driver {

// Returns `message` unchanged when it has at most kMaxDeviceHealthMessageLength bytes, else its
// longest prefix of at most kMaxDeviceHealthMessageLength - 3 bytes that ends on a UTF-8
// character boundary, followed by "...".
std::string TruncateHealthMessage(std::string message);

// Holds the latest complete device-health list and feeds it to watch streams.
//
// A stream (Stream()) receives the full list when it starts, after every Update() that changes
// the list, and again whenever `resend_interval` has passed since its last send (the kubelet
// marks devices Unknown when they are not refreshed within their health-check timeout).
//
// Thread-safe: Update() and any number of concurrent Stream() calls may run at once.
class DeviceHealthPublisher {
 public:
  static constexpr absl::Duration kDefaultResendInterval = absl::Seconds(10);

  // `resend_interval` must be positive.
  explicit DeviceHealthPublisher(absl::Duration resend_interval = kDefaultResendInterval);

  DeviceHealthPublisher(const DeviceHealthPublisher&) = delete;
  DeviceHealthPublisher& operator=(const DeviceHealthPublisher&) = delete;

  // Replaces the list with `devices` (the complete list of the driver's devices; messages are
  // truncated with TruncateHealthMessage). Open streams are sent the new list promptly unless it
  // equals the current one.
  void Update(std::vector<DeviceHealth> devices) ABSL_LOCKS_EXCLUDED(mu_);

  // The current list, as sent to streams.
  std::vector<DeviceHealth> devices() const ABSL_LOCKS_EXCLUDED(mu_);

  absl::Duration resend_interval() const { return resend_interval_; }

  // Number of Stream() calls currently running.
  int active_streams() const ABSL_LOCKS_EXCLUDED(mu_);

  // Waits until at least `n` Stream() calls are running; false when `timeout` passes first.
  bool WaitForActiveStreams(int n, absl::Duration timeout) const ABSL_LOCKS_EXCLUDED(mu_);

  // Runs one watch stream on the calling thread: calls `send` with the complete list at once,
  // after each change and every resend_interval(). Returns when `send` returns false (the peer
  // went away), when `stop` is requested (promptly), or when `cancelled` returns true (polled
  // at least every 100 ms). `send` is called without internal locks held.
  void Stream(std::stop_token stop, const std::function<bool()>& cancelled,
              const std::function<bool(const std::vector<DeviceHealth>&)>& send) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const absl::Duration resend_interval_;
  mutable absl::Mutex mu_;
  std::vector<DeviceHealth> devices_ ABSL_GUARDED_BY(mu_);
  // Incremented by every Update() that changes `devices_`.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  mutable int active_streams_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_GRPC_HEALTH_PUBLISHER_H_
