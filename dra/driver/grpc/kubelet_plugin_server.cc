#include "dra/driver/grpc/kubelet_plugin_server.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stop_token>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/synchronization/mutex.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"
#include "dra/driver/grpc/internal/sha256.h"
#include "dra/driver/grpc/proto/dra_health_v1.grpc.pb.h"
#include "dra/driver/grpc/proto/dra_health_v1alpha1.grpc.pb.h"
#include "dra/driver/grpc/proto/dra_v1.grpc.pb.h"
#include "dra/driver/grpc/proto/dra_v1beta1.grpc.pb.h"
#include "dra/driver/grpc/proto/pluginregistration_v1.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace dra::driver {
namespace {

namespace drav1 = ::k8s::io::kubelet::pkg::apis::dra::v1;
namespace drav1beta1 = ::k8s::io::kubelet::pkg::apis::dra::v1beta1;
namespace healthv1 = ::v1;
namespace healthv1alpha1 = ::v1alpha1;
namespace registration = ::pluginregistration;

std::string ErrnoText(int err) { return std::strerror(err); }

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) return path;
  return abs.lexically_normal().string();
}

std::string JoinPath(std::string_view dir, std::string_view file) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out.push_back('/');
  out.append(file);
  return out;
}

std::string PluginDataDir(const KubeletPluginServerOptions& o) {
  return AbsolutePath(o.plugin_data_dir.empty() ? JoinPath(o.plugins_dir, o.driver_name)
                                                : o.plugin_data_dir);
}

std::string DraSocketPath(const KubeletPluginServerOptions& o) {
  return JoinPath(PluginDataDir(o), o.rolling_update_pod_uid.empty()
                                        ? std::string("dra.sock")
                                        : StrCat("dra-", o.rolling_update_pod_uid, ".sock"));
}

std::string RegistrationSocketPath(const KubeletPluginServerOptions& o) {
  const std::string dir = AbsolutePath(o.registry_dir);
  return JoinPath(
      dir, o.rolling_update_pod_uid.empty()
               ? StrCat(o.driver_name, "-reg.sock")
               : RollingUpdateRegistrarSocketFile(dir, o.driver_name, o.rolling_update_pod_uid));
}

// Identity of a socket file we created, so that Stop() removes only our own (gRPC itself
// unlinks the path on shutdown; this covers the case where it did not).
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool valid = false;
};

FileId IdOf(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return {};
  return {st.st_dev, st.st_ino, true};
}

void RemoveIfOurs(const std::string& path, const FileId& id) {
  FileId now = IdOf(path);
  if (id.valid && now.valid && now.dev == id.dev && now.ino == id.ino) ::unlink(path.c_str());
}

// Makes `path` usable for a new socket: its directory exists, nothing is at the path.
absl::Status PrepareSocketPath(const std::string& path) {
  if (path.size() > kMaxUnixSocketPathLength) {
    return absl::InvalidArgumentError(StrCat("socket path ", path, " is ", path.size(),
                                             " bytes long, more than the limit of ",
                                             kMaxUnixSocketPathLength));
  }
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::InternalError(StrCat("create directory ", dir.string(), ": ", ec.message()));
  }
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(
          StrCat("socket path ", path, " is taken by a directory"));
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return absl::InternalError(StrCat("remove stale socket ", path, ": ", ErrnoText(errno)));
    }
  }
  return absl::OkStatus();
}

// An exclusive flock held for the lifetime of the object (released by close).
class FileLock {
 public:
  static absl::StatusOr<FileLock> Acquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return absl::UnavailableError(StrCat("open ", path, ": ", ErrnoText(errno)));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return absl::UnavailableError(StrCat("lock ", path, ": ", ErrnoText(err)));
    }
    return FileLock(fd);
  }
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// State shared by the services of one Start() .. Stop() period.
struct ServiceContext {
  KubeletPluginHandler* handler = nullptr;
  const DeviceHealthPublisher* health = nullptr;
  std::string serialize_lock_path;  // empty: calls are not serialized across processes
  std::stop_token stop;
};

grpc::Status ToGrpc(const absl::Status& s) {
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()), std::string(s.message()));
}

template <typename Request>
std::vector<ClaimRef> ClaimRefsOf(const Request& request) {
  std::vector<ClaimRef> claims;
  claims.reserve(request.claims_size());
  for (const auto& c : request.claims()) claims.push_back({c.namespace_(), c.uid(), c.name()});
  return claims;
}

std::string MissingResult(const ClaimRef& c) {
  return StrCat("DRA driver returned no result for claim ", c.namespace_name, "/", c.name, " (UID ",
                c.uid, ")");
}

template <typename ProtoDevice>
void FillDevice(const PreparedDevice& d, ProtoDevice* out) {
  for (const std::string& r : d.request_names) out->add_request_names(r);
  out->set_pool_name(d.pool_name);
  out->set_device_name(d.device_name);
  for (const std::string& id : d.cdi_device_ids) out->add_cdi_device_ids(id);
  if constexpr (requires { out->set_share_id(std::string()); }) {
    if (d.share_id.has_value()) out->set_share_id(*d.share_id);
  }
}

template <typename Request, typename Response>
grpc::Status Prepare(const ServiceContext& ctx, const Request& request, Response* response) {
  if (request.claims_size() == 0) return grpc::Status::OK;
  const std::vector<ClaimRef> claims = ClaimRefsOf(request);
  std::optional<FileLock> lock;
  if (!ctx.serialize_lock_path.empty()) {
    absl::StatusOr<FileLock> l = FileLock::Acquire(ctx.serialize_lock_path);
    if (!l.ok()) return ToGrpc(l.status());
    lock.emplace(*std::move(l));
  }
  std::map<std::string, PrepareResult> results = ctx.handler->NodePrepareResources(claims);
  auto& out = *response->mutable_claims();
  std::set<std::string> done;
  for (const ClaimRef& claim : claims) {
    if (!done.insert(claim.uid).second) continue;
    auto& entry = out[claim.uid];
    auto it = results.find(claim.uid);
    if (it == results.end()) {
      entry.set_error(MissingResult(claim));
    } else if (!it->second.error.empty()) {
      entry.set_error(it->second.error);
    } else {
      for (const PreparedDevice& d : it->second.devices) FillDevice(d, entry.add_devices());
    }
  }
  return grpc::Status::OK;
}

template <typename Request, typename Response>
grpc::Status Unprepare(const ServiceContext& ctx, const Request& request, Response* response) {
  if (request.claims_size() == 0) return grpc::Status::OK;
  const std::vector<ClaimRef> claims = ClaimRefsOf(request);
  std::optional<FileLock> lock;
  if (!ctx.serialize_lock_path.empty()) {
    absl::StatusOr<FileLock> l = FileLock::Acquire(ctx.serialize_lock_path);
    if (!l.ok()) return ToGrpc(l.status());
    lock.emplace(*std::move(l));
  }
  std::map<std::string, std::string> results = ctx.handler->NodeUnprepareResources(claims);
  auto& out = *response->mutable_claims();
  for (const ClaimRef& claim : claims) {
    auto it = results.find(claim.uid);
    out[claim.uid].set_error(it == results.end() ? MissingResult(claim) : it->second);
  }
  return grpc::Status::OK;
}

template <typename Service, typename PrepareReq, typename PrepareResp, typename UnprepareReq,
          typename UnprepareResp>
class DraPluginService final : public Service {
 public:
  explicit DraPluginService(const ServiceContext* ctx) : ctx_(ctx) {}

  grpc::Status NodePrepareResources(grpc::ServerContext*, const PrepareReq* request,
                                    PrepareResp* response) override {
    return Prepare(*ctx_, *request, response);
  }
  grpc::Status NodeUnprepareResources(grpc::ServerContext*, const UnprepareReq* request,
                                      UnprepareResp* response) override {
    return Unprepare(*ctx_, *request, response);
  }

 private:
  const ServiceContext* ctx_;
};

using DraPluginV1Service =
    DraPluginService<drav1::DRAPlugin::Service, drav1::NodePrepareResourcesRequest,
                     drav1::NodePrepareResourcesResponse, drav1::NodeUnprepareResourcesRequest,
                     drav1::NodeUnprepareResourcesResponse>;
using DraPluginV1beta1Service =
    DraPluginService<drav1beta1::DRAPlugin::Service, drav1beta1::NodePrepareResourcesRequest,
                     drav1beta1::NodePrepareResourcesResponse,
                     drav1beta1::NodeUnprepareResourcesRequest,
                     drav1beta1::NodeUnprepareResourcesResponse>;

template <typename Service, typename Request, typename Response>
class HealthService final : public Service {
 public:
  explicit HealthService(const ServiceContext* ctx) : ctx_(ctx) {}

  grpc::Status NodeWatchResources(grpc::ServerContext* context, const Request*,
                                  grpc::ServerWriter<Response>* writer) override {
    ctx_->health->Stream(
        ctx_->stop, [context] { return context->IsCancelled(); },
        [writer](const std::vector<DeviceHealth>& devices) {
          Response response;
          for (const DeviceHealth& d : devices) {
            auto* out = response.add_devices();
            out->mutable_device()->set_pool_name(d.pool_name);
            out->mutable_device()->set_device_name(d.device_name);
            // Both versions number the enum UNKNOWN = 0, HEALTHY = 1, UNHEALTHY = 2.
            int health = d.status == DeviceHealthStatus::kHealthy     ? 1
                         : d.status == DeviceHealthStatus::kUnhealthy ? 2
                                                                      : 0;
            out->set_health(static_cast<decltype(out->health())>(health));
            out->set_last_updated_time(d.last_updated_unix);
            out->set_health_check_timeout_seconds(d.health_check_timeout_seconds);
            out->set_message(d.message);
          }
          return writer->Write(response);
        });
    if (ctx_->stop.stop_requested()) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "DRA plugin is shutting down");
    }
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    return grpc::Status::OK;
  }

 private:
  const ServiceContext* ctx_;
};

using HealthV1Service =
    HealthService<healthv1::DRAResourceHealth::Service, healthv1::NodeWatchResourcesRequest,
                  healthv1::NodeWatchResourcesResponse>;
using HealthV1alpha1Service = HealthService<healthv1alpha1::DRAResourceHealth::Service,
                                            healthv1alpha1::NodeWatchResourcesRequest,
                                            healthv1alpha1::NodeWatchResourcesResponse>;

}  // namespace

std::string RollingUpdateRegistrarSocketFile(std::string_view registry_dir,
                                             std::string_view driver_name,
                                             std::string_view pod_uid) {
  auto encode = [](std::string_view data, size_t bytes) {
    std::array<uint8_t, 32> digest = grpc_internal::Sha256(data);
    return absl::WebSafeBase64Escape(
        absl::string_view(reinterpret_cast<const char*>(digest.data()), bytes));
  };
  std::string driver_and_uid = StrCat(driver_name, std::string_view("\0", 1), pod_uid);
  const std::string candidates[] = {
      StrCat(driver_name, "-", pod_uid, "-reg.sock"),
      StrCat(driver_name, "-", encode(pod_uid, 8), "-reg.sock"),
      StrCat("dra-", encode(driver_and_uid, 16), "-reg.sock"),
  };
  for (const std::string& basename : candidates) {
    if (JoinPath(registry_dir, basename).size() <= kMaxUnixSocketPathLength) return basename;
  }
  return candidates[2];
}

class KubeletPluginServer::Impl {
 public:
  Impl(const KubeletPluginServerOptions& options, std::string dra_socket,
       std::string registration_socket, KubeletPluginHandler* handler,
       const DeviceHealthPublisher* health)
      : options_(options),
        dra_socket_(std::move(dra_socket)),
        registration_socket_(std::move(registration_socket)),
        handler_(handler),
        health_(health) {}

  std::vector<std::string> SupportedVersions() const {
    std::vector<std::string> v;
    if (options_.serve_v1) v.push_back(kDraPluginServiceV1);
    if (options_.serve_v1beta1) v.push_back(kDraPluginServiceV1beta1);
    if (health_ != nullptr) {
      if (options_.serve_health_v1) v.push_back(kDraResourceHealthServiceV1);
      if (options_.serve_health_v1alpha1) v.push_back(kDraResourceHealthServiceV1alpha1);
    }
    return v;
  }

  absl::Status Start() ABSL_LOCKS_EXCLUDED(lifecycle_mu_, registration_mu_);
  void Stop() ABSL_LOCKS_EXCLUDED(lifecycle_mu_);

  bool running() const ABSL_LOCKS_EXCLUDED(lifecycle_mu_) {
    absl::MutexLock lock(&lifecycle_mu_);
    return running_ != nullptr;
  }

  RegistrationState registration_state() const ABSL_LOCKS_EXCLUDED(registration_mu_) {
    absl::MutexLock lock(&registration_mu_);
    return registration_;
  }

  bool WaitForNotification(absl::Duration timeout) const ABSL_LOCKS_EXCLUDED(registration_mu_) {
    absl::MutexLock lock(&registration_mu_);
    return registration_mu_.AwaitWithTimeout(absl::Condition(&registration_.notified), timeout);
  }

  void RecordRegistration(bool registered, std::string error)
      ABSL_LOCKS_EXCLUDED(registration_mu_) {
    absl::MutexLock lock(&registration_mu_);
    registration_.notified = true;
    registration_.registered = registered;
    registration_.error = registered ? std::string() : std::move(error);
  }

 private:
  class RegistrationService final : public registration::Registration::Service {
   public:
    explicit RegistrationService(Impl* impl) : impl_(impl) {}

    grpc::Status GetInfo(grpc::ServerContext*, const registration::InfoRequest*,
                         registration::PluginInfo* info) override {
      info->set_type(kDraPluginType);
      info->set_name(impl_->options_.driver_name);
      info->set_endpoint(impl_->dra_socket_);
      for (const std::string& v : impl_->SupportedVersions()) info->add_supported_versions(v);
      return grpc::Status::OK;
    }

    grpc::Status NotifyRegistrationStatus(grpc::ServerContext*,
                                          const registration::RegistrationStatus* status,
                                          registration::RegistrationStatusResponse*) override {
      impl_->RecordRegistration(status->plugin_registered(), status->error());
      if (!status->plugin_registered()) {
        return grpc::Status(grpc::StatusCode::UNKNOWN,
                            StrCat("failed registration process: ", status->error()));
      }
      return grpc::Status::OK;
    }

   private:
    Impl* impl_;
  };

  // Everything one Start() created. Servers are declared after the services they use so that
  // they are destroyed first.
  struct Running {
    std::stop_source stop;
    ServiceContext context;
    std::vector<std::unique_ptr<grpc::Service>> services;
    std::unique_ptr<grpc::Server> dra_server;
    std::unique_ptr<grpc::Server> registration_server;
    FileId dra_socket_id;
    FileId registration_socket_id;
  };

  absl::StatusOr<std::unique_ptr<grpc::Server>> Serve(const std::string& path,
                                                      const std::vector<grpc::Service*>& services,
                                                      FileId* id) const {
    DRA_RETURN_IF_ERROR(PrepareSocketPath(path));
    grpc::ServerBuilder builder;
    builder.AddListeningPort(StrCat("unix:", path), grpc::InsecureServerCredentials());
    for (grpc::Service* s : services) builder.RegisterService(s);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (server == nullptr) {
      return absl::UnavailableError(StrCat("cannot serve gRPC on unix socket ", path));
    }
    if (::chmod(path.c_str(), 0600) != 0) {
      int err = errno;
      server->Shutdown();
      ::unlink(path.c_str());
      return absl::InternalError(StrCat("chmod 0600 ", path, ": ", ErrnoText(err)));
    }
    *id = IdOf(path);
    return server;
  }

  void Shutdown(Running& r) const {
    r.stop.request_stop();
    auto deadline =
        std::chrono::system_clock::now() + absl::ToChronoMilliseconds(options_.shutdown_grace);
    if (r.registration_server != nullptr) {
      r.registration_server->Shutdown(deadline);
      r.registration_server->Wait();
      RemoveIfOurs(registration_socket_, r.registration_socket_id);
    }
    if (r.dra_server != nullptr) {
      r.dra_server->Shutdown(deadline);
      r.dra_server->Wait();
      RemoveIfOurs(dra_socket_, r.dra_socket_id);
    }
  }

  const KubeletPluginServerOptions& options_;
  const std::string dra_socket_;
  const std::string registration_socket_;
  KubeletPluginHandler* const handler_;
  const DeviceHealthPublisher* const health_;

  mutable absl::Mutex lifecycle_mu_;
  std::unique_ptr<Running> running_ ABSL_GUARDED_BY(lifecycle_mu_);

  mutable absl::Mutex registration_mu_;
  RegistrationState registration_ ABSL_GUARDED_BY(registration_mu_);
};

absl::Status KubeletPluginServer::Impl::Start() {
  absl::MutexLock lock(&lifecycle_mu_);
  if (running_ != nullptr) return absl::FailedPreconditionError("kubelet plugin already started");
  if (options_.driver_name.empty()) {
    return absl::InvalidArgumentError("kubelet plugin: driver name must be set");
  }
  if (!options_.serve_v1 && !options_.serve_v1beta1) {
    return absl::InvalidArgumentError(
        "kubelet plugin: no DRAPlugin API version (v1, v1beta1) is enabled");
  }
  if (handler_ == nullptr) return absl::InvalidArgumentError("kubelet plugin: no handler");

  auto r = std::make_unique<Running>();
  r->context.handler = handler_;
  r->context.health = health_;
  r->context.stop = r->stop.get_token();
  if (!options_.rolling_update_pod_uid.empty()) {
    r->context.serialize_lock_path = JoinPath(PluginDataDir(options_), "serialize.lock");
  }

  std::vector<grpc::Service*> dra_services;
  auto add = [&](std::unique_ptr<grpc::Service> s) {
    dra_services.push_back(s.get());
    r->services.push_back(std::move(s));
  };
  if (options_.serve_v1) add(std::make_unique<DraPluginV1Service>(&r->context));
  if (options_.serve_v1beta1) add(std::make_unique<DraPluginV1beta1Service>(&r->context));
  if (health_ != nullptr && options_.serve_health_v1) {
    add(std::make_unique<HealthV1Service>(&r->context));
  }
  if (health_ != nullptr && options_.serve_health_v1alpha1) {
    add(std::make_unique<HealthV1alpha1Service>(&r->context));
  }
  auto registration_service = std::make_unique<RegistrationService>(this);
  std::vector<grpc::Service*> registration_services = {registration_service.get()};
  r->services.push_back(std::move(registration_service));

  {
    absl::MutexLock reg_lock(&registration_mu_);
    registration_ = RegistrationState();
  }

  // The DRA socket first, so that it is ready when the kubelet learns of it.
  absl::StatusOr<std::unique_ptr<grpc::Server>> dra =
      Serve(dra_socket_, dra_services, &r->dra_socket_id);
  if (!dra.ok()) return dra.status();
  r->dra_server = *std::move(dra);

  absl::StatusOr<std::unique_ptr<grpc::Server>> reg =
      Serve(registration_socket_, registration_services, &r->registration_socket_id);
  if (!reg.ok()) {
    Shutdown(*r);
    return reg.status();
  }
  r->registration_server = *std::move(reg);
  running_ = std::move(r);
  return absl::OkStatus();
}

void KubeletPluginServer::Impl::Stop() {
  absl::MutexLock lock(&lifecycle_mu_);
  if (running_ == nullptr) return;
  Shutdown(*running_);
  running_.reset();
}

KubeletPluginServer::KubeletPluginServer(KubeletPluginServerOptions options,
                                         KubeletPluginHandler* handler,
                                         const DeviceHealthPublisher* health)
    : options_(std::move(options)),
      dra_socket_path_(DraSocketPath(options_)),
      registration_socket_path_(RegistrationSocketPath(options_)),
      impl_(std::make_unique<Impl>(options_, dra_socket_path_, registration_socket_path_, handler,
                                   health)) {}

KubeletPluginServer::~KubeletPluginServer() { Stop(); }

absl::Status KubeletPluginServer::Start() { return impl_->Start(); }

void KubeletPluginServer::Stop() { impl_->Stop(); }

bool KubeletPluginServer::running() const { return impl_->running(); }

std::vector<std::string> KubeletPluginServer::supported_versions() const {
  return impl_->SupportedVersions();
}

RegistrationState KubeletPluginServer::registration_state() const {
  return impl_->registration_state();
}

absl::Status KubeletPluginServer::registration_status() const {
  RegistrationState s = impl_->registration_state();
  if (!s.notified) {
    return absl::UnavailableError(
        StrCat("DRA driver ", options_.driver_name, " has not been registered by the kubelet yet"));
  }
  if (!s.registered) {
    return absl::FailedPreconditionError(StrCat("kubelet rejected the registration of DRA driver ",
                                                options_.driver_name, ": ", s.error));
  }
  return absl::OkStatus();
}

absl::Status KubeletPluginServer::WaitForRegistration(absl::Duration timeout) const {
  if (!impl_->WaitForNotification(timeout)) {
    return absl::DeadlineExceededError(StrCat("DRA driver ", options_.driver_name,
                                              ": no registration status from the kubelet within ",
                                              absl::FormatDuration(timeout)));
  }
  return registration_status();
}

}  // namespace dra::driver
