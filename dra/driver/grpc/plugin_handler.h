// Transport-independent side of the kubelet DRA plugin services: the value types a node agent
// sees and the handler interface it implements. No protobuf or gRPC type appears here; the
// server (kubelet_plugin_server.h) converts between these and the v1 / v1beta1 wire messages.
#ifndef DRA_DRIVER_GRPC_PLUGIN_HANDLER_H_
#define DRA_DRIVER_GRPC_PLUGIN_HANDLER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dra::driver {

// One ResourceClaim as the kubelet names it in NodePrepareResources / NodeUnprepareResources.
// The kubelet sends only these three fields; the handler must look the claim up itself and
// check that the UID still matches (a different UID means the claim got replaced).
struct ClaimRef {
  std::string namespace_name;
  std::string uid;
  std::string name;

  friend bool operator==(const ClaimRef&, const ClaimRef&) = default;
};

// One device prepared for a claim (Device in the wire messages).
struct PreparedDevice {
  // Requests of the claim the device was allocated for; empty means all requests. Sub-request
  // names ("req/sub") must already be reduced to the request ("req").
  std::vector<std::string> request_names;
  std::string pool_name;
  std::string device_name;
  // Fully qualified CDI device names ("vendor.com/class=name"); may be empty.
  std::vector<std::string> cdi_device_ids;
  // status.allocation.devices.results[].shareID of the allocation. Sent to kubelets speaking
  // v1; v1beta1 has no such field and it is dropped there.
  std::optional<std::string> share_id;

  friend bool operator==(const PreparedDevice&, const PreparedDevice&) = default;
};

// Outcome of preparing one claim. A non-empty `error` means the claim failed and the kubelet
// ignores `devices` and retries later.
struct PrepareResult {
  std::vector<PreparedDevice> devices;
  std::string error;

  friend bool operator==(const PrepareResult&, const PrepareResult&) = default;
};

// What the node agent implements to serve the kubelet's DRAPlugin calls (both API versions).
//
// Thread-safety: implementations must be thread-safe. The server calls both methods
// concurrently from gRPC threads, for overlapping or identical claims (the kubelet retries);
// both must be idempotent. Implementations must not throw.
class KubeletPluginHandler {
 public:
  virtual ~KubeletPluginHandler() = default;

  // Prepares `claims` (never empty; the server answers an empty request itself). Returns one
  // result per claim, keyed by claim UID. A claim missing from the map is reported to the
  // kubelet as failed; entries for UIDs not requested are dropped.
  virtual std::map<std::string, PrepareResult> NodePrepareResources(
      const std::vector<ClaimRef>& claims) = 0;

  // Unprepares `claims` (never empty). Returns, keyed by claim UID, "" for success or an error
  // message. Unpreparing an unknown or already unprepared claim succeeds. A claim missing from
  // the map is reported to the kubelet as failed.
  virtual std::map<std::string, std::string> NodeUnprepareResources(
      const std::vector<ClaimRef>& claims) = 0;
};

// Health of one device as the DRAResourceHealth service reports it.
enum class DeviceHealthStatus { kUnknown, kHealthy, kUnhealthy };

// Maximum length in bytes of DeviceHealth::message on the wire; longer messages are cut to
// kMaxDeviceHealthMessageLength - 3 bytes (on a UTF-8 character boundary) plus "...".
inline constexpr size_t kMaxDeviceHealthMessageLength = 1024;

struct DeviceHealth {
  std::string pool_name;
  std::string device_name;
  DeviceHealthStatus status = DeviceHealthStatus::kUnknown;
  // Unix time in seconds at which `status` was determined.
  int64_t last_updated_unix = 0;
  // Seconds without a fresh report after which the kubelet considers the device Unknown;
  // zero or negative selects the kubelet's default (30 s).
  int64_t health_check_timeout_seconds = 0;
  std::string message;

  friend bool operator==(const DeviceHealth&, const DeviceHealth&) = default;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_GRPC_PLUGIN_HANDLER_H_
