// A stand-in for the kubelet's side of the DRA plugin protocol, for tests (unit and end to
// end). It finds a plugin's registration socket the way the kubelet's plugin watcher does,
// registers it, and then calls the plugin's DRAPlugin and DRAResourceHealth services. All of
// its interface uses the value types of plugin_handler.h.
#ifndef DRA_DRIVER_GRPC_FAKE_KUBELET_H_
#define DRA_DRIVER_GRPC_FAKE_KUBELET_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dra/driver/grpc/kubelet_plugin_server.h"
#include "dra/driver/grpc/plugin_handler.h"

namespace dra::driver {

enum class DraApiVersion { kV1, kV1beta1 };
enum class HealthApiVersion { kV1, kV1alpha1 };

struct FakeKubeletOptions {
  // Where plugins put their registration sockets.
  std::string registry_dir = kDefaultKubeletRegistryDir;
  // DRAPlugin services this kubelet speaks. Of the plugin's supported_versions, the first
  // entry found here is used (so the plugin's order decides).
  std::vector<std::string> known_dra_services = {kDraPluginServiceV1, kDraPluginServiceV1beta1};
  // DRAResourceHealth services this kubelet speaks, chosen the same way.
  std::vector<std::string> known_health_services = {kDraResourceHealthServiceV1,
                                                    kDraResourceHealthServiceV1alpha1};
  // false: after validating, tell the plugin its registration failed with `rejection_error`.
  bool accept_registration = true;
  std::string rejection_error = "registration rejected by the fake kubelet";
  // Deadline of each unary call.
  absl::Duration call_timeout = absl::Seconds(45);
};

// What the plugin told the fake kubelet at registration.
struct RegisteredPlugin {
  std::string registration_socket;  // path of the socket found in the registry dir
  std::string type;
  std::string name;
  std::string endpoint;
  std::vector<std::string> supported_versions;
};

// Talks to one registered plugin.
//
// Thread-safe after Register() returned: calls and watches may run concurrently. Register()
// itself must not run concurrently with anything else.
class FakeKubelet {
 public:
  explicit FakeKubelet(FakeKubeletOptions options = {});
  ~FakeKubelet();

  FakeKubelet(const FakeKubelet&) = delete;
  FakeKubelet& operator=(const FakeKubelet&) = delete;

  // Polls the registry dir (up to `timeout`) for a socket named `*-reg.sock` (names starting
  // with '.' are ignored) whose GetInfo reports `driver_name` (any driver when empty), then
  // validates the PluginInfo as the kubelet does: type "DRAPlugin", the name, an absolute
  // endpoint that is a socket, at least one known DRAPlugin service. Then calls
  // NotifyRegistrationStatus: registered when valid and accept_registration, else not
  // registered with the reason. Returns OK when registered; FailedPrecondition when the
  // PluginInfo is invalid or the registration was rejected (the plugin's reply to the
  // rejection is not an error); DeadlineExceeded when no matching plugin appeared.
  absl::Status Register(std::string_view driver_name, absl::Duration timeout = absl::Seconds(10));

  // Valid after a successful Register().
  const RegisteredPlugin& plugin() const { return plugin_; }
  DraApiVersion dra_version() const { return dra_version_; }
  // Unset when the plugin advertises no known health service.
  std::optional<HealthApiVersion> health_version() const { return health_version_; }

  // Calls NodePrepareResources on the endpoint with API `version` (default: the negotiated
  // one). A non-OK status means the call itself failed (gRPC code and message kept). The
  // result maps claim UID to the plugin's answer, as received.
  absl::StatusOr<std::map<std::string, PrepareResult>> NodePrepareResources(
      const std::vector<ClaimRef>& claims, std::optional<DraApiVersion> version = std::nullopt);

  // Calls NodeUnprepareResources; the result maps claim UID to "" or the error.
  absl::StatusOr<std::map<std::string, std::string>> NodeUnprepareResources(
      const std::vector<ClaimRef>& claims, std::optional<DraApiVersion> version = std::nullopt);

  // One open NodeWatchResources stream; received snapshots are queued in order.
  // Thread-safe.
  class HealthWatch {
   public:
    virtual ~HealthWatch() = default;  // Cancels the stream and waits for it to end.

    // The next snapshot not yet returned, waiting up to `timeout`. DeadlineExceeded when none
    // arrives in time; OutOfRange (with the stream's final status in the message) when the
    // stream ended and every snapshot was returned.
    virtual absl::StatusOr<std::vector<DeviceHealth>> Next(absl::Duration timeout) = 0;

    // Waits up to `timeout` for the stream to end; returns its final gRPC status converted
    // to absl::Status, or DeadlineExceeded.
    virtual absl::Status WaitForEnd(absl::Duration timeout) = 0;

    // Number of snapshots received so far.
    virtual int received() const = 0;

    // Cancels the stream (as the kubelet does when it stops watching).
    virtual void Cancel() = 0;
  };

  // Opens NodeWatchResources with API `version` (default: the negotiated one;
  // FailedPrecondition when there is none).
  absl::StatusOr<std::unique_ptr<HealthWatch>> WatchHealth(
      std::optional<HealthApiVersion> version = std::nullopt);

 private:
  class Channels;
  const FakeKubeletOptions options_;
  RegisteredPlugin plugin_;
  DraApiVersion dra_version_ = DraApiVersion::kV1;
  std::optional<HealthApiVersion> health_version_;
  std::unique_ptr<Channels> channels_;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_GRPC_FAKE_KUBELET_H_
