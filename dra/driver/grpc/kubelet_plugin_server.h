// The kubelet-facing gRPC endpoints of one DRA driver on one node, as the Go helper
// k8s.io/dynamic-resource-allocation/kubeletplugin serves them:
//
// - the DRA socket `<plugin_data_dir>/dra.sock` (`dra-<pod UID>.sock` in rolling-update mode)
//   serving k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin, ...v1beta1.DRAPlugin and, when a health
//   publisher is given, v1.DRAResourceHealth and v1alpha1.DRAResourceHealth;
// - the registration socket `<registry_dir>/<driver>-reg.sock` (rolling update:
//   RollingUpdateRegistrarSocketFile) serving pluginregistration.Registration, which the
//   kubelet's plugin watcher finds and asks for the DRA socket and the supported services.
//
// Sockets are created with stale files at their paths removed first, are chmod 0600, and are
// removed again by Stop(). gRPC unlinks a listening unix socket path when it shuts down even if
// another process has bound a new socket there meanwhile, so two instances must never share
// socket paths; rolling-update mode gives each pod its own.
#ifndef DRA_DRIVER_GRPC_KUBELET_PLUGIN_SERVER_H_
#define DRA_DRIVER_GRPC_KUBELET_PLUGIN_SERVER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dra/driver/grpc/health_publisher.h"
#include "dra/driver/grpc/plugin_handler.h"

namespace dra::driver {

inline constexpr char kDefaultKubeletPluginsDir[] = "/var/lib/kubelet/plugins";
inline constexpr char kDefaultKubeletRegistryDir[] = "/var/lib/kubelet/plugins_registry";

// PluginInfo.type of DRA drivers.
inline constexpr char kDraPluginType[] = "DRAPlugin";
// Service names as advertised in PluginInfo.supported_versions.
inline constexpr char kDraPluginServiceV1[] = "v1.DRAPlugin";
inline constexpr char kDraPluginServiceV1beta1[] = "v1beta1.DRAPlugin";
inline constexpr char kDraResourceHealthServiceV1[] = "v1.DRAResourceHealth";
inline constexpr char kDraResourceHealthServiceV1alpha1[] = "v1alpha1.DRAResourceHealth";

// Longest socket path gRPC can bind: sizeof(sockaddr_un::sun_path) less the terminating NUL.
inline constexpr size_t kMaxUnixSocketPathLength = 107;

// Basename of the registration socket in rolling-update mode, the first of these whose full
// path under `registry_dir` fits kMaxUnixSocketPathLength (else the last):
//   <driver>-<pod UID>-reg.sock
//   <driver>-<base64url(SHA-256(pod UID))[:8 bytes]>-reg.sock
//   dra-<base64url(SHA-256(driver "\0" pod UID))[:16 bytes]>-reg.sock
// (base64url without padding).
std::string RollingUpdateRegistrarSocketFile(std::string_view registry_dir,
                                             std::string_view driver_name,
                                             std::string_view pod_uid);

struct KubeletPluginServerOptions {
  // DRA driver name, e.g. "gpu.nvidia.com". Required.
  std::string driver_name;
  // The kubelet's plugins directory; the DRA socket goes into `<plugins_dir>/<driver_name>/`.
  std::string plugins_dir = kDefaultKubeletPluginsDir;
  // Overrides `<plugins_dir>/<driver_name>` as the directory of the DRA socket (and of
  // serialize.lock). Must be the same path inside and outside the driver's container.
  std::string plugin_data_dir;
  // The directory the kubelet's plugin watcher watches (`<kubelet root>/plugins_registry`).
  std::string registry_dir = kDefaultKubeletRegistryDir;
  // Which DRAPlugin versions to serve; advertised in this order (v1 first). At least one.
  bool serve_v1 = true;
  bool serve_v1beta1 = true;
  // Which DRAResourceHealth versions to serve when a health publisher is given; advertised
  // after the DRAPlugin versions, v1 before v1alpha1. Kubelets ignore entries they do not know.
  bool serve_health_v1 = true;
  bool serve_health_v1alpha1 = true;
  // Rolling-update mode (kubelet >= 1.33): the UID of this driver pod. Non-empty: socket names
  // carry the UID so that two pods of the driver can be registered at once, and every
  // NodePrepareResources / NodeUnprepareResources call holds an exclusive flock on
  // `<plugin_data_dir>/serialize.lock` so that the two pods never prepare concurrently.
  std::string rolling_update_pod_uid;
  // How long Stop() lets in-flight unary calls finish before cancelling them.
  absl::Duration shutdown_grace = absl::Seconds(5);
};

// What the kubelet last reported through NotifyRegistrationStatus.
struct RegistrationState {
  bool notified = false;  // false: the kubelet has not called yet (since Start()).
  bool registered = false;
  std::string error;  // the kubelet's error when !registered.
};

// Serves the kubelet plugin sockets of one driver.
//
// Thread-safe: all methods may be called from any thread; Start() and Stop() serialize with
// each other. The handler's methods are called concurrently from gRPC threads.
class KubeletPluginServer {
 public:
  // `handler` must outlive the server. `health` may be null (no health service is served or
  // advertised); otherwise it must outlive the server.
  KubeletPluginServer(KubeletPluginServerOptions options, KubeletPluginHandler* handler,
                      const DeviceHealthPublisher* health = nullptr);
  ~KubeletPluginServer();  // Stop()s.

  KubeletPluginServer(const KubeletPluginServer&) = delete;
  KubeletPluginServer& operator=(const KubeletPluginServer&) = delete;

  // Creates the directories, removes stale socket files, starts serving the DRA socket and
  // then the registration socket. InvalidArgument for bad options (no driver name, no API
  // version, socket path too long), FailedPrecondition when already started, Internal or
  // Unavailable when a directory or socket cannot be created (nothing is left running then).
  absl::Status Start();

  // Ends open health streams, lets in-flight calls finish (up to shutdown_grace), stops both
  // servers and removes the socket files. No-op when not started. Start() may be called again.
  void Stop();

  bool running() const;

  // Absolute path of the DRA socket (PluginInfo.endpoint) and of the registration socket.
  const std::string& dra_socket_path() const { return dra_socket_path_; }
  const std::string& registration_socket_path() const { return registration_socket_path_; }

  // PluginInfo.supported_versions as advertised, most preferred first.
  std::vector<std::string> supported_versions() const;

  // OK once the kubelet reported successful registration; FailedPrecondition with the
  // kubelet's error when it reported failure; Unavailable when it has not reported yet.
  absl::Status registration_status() const;
  RegistrationState registration_state() const;

  // Waits until the kubelet has reported (success or failure) and returns
  // registration_status(); DeadlineExceeded when `timeout` passes first.
  absl::Status WaitForRegistration(absl::Duration timeout) const;

 private:
  class Impl;
  const KubeletPluginServerOptions options_;
  const std::string dra_socket_path_;
  const std::string registration_socket_path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dra::driver

#endif  // DRA_DRIVER_GRPC_KUBELET_PLUGIN_SERVER_H_
