#include "dra/driver/grpc/fake_kubelet.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "dra/base/strings.h"
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

absl::Status FromGrpc(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

std::chrono::system_clock::time_point Deadline(absl::Duration timeout) {
  return std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout);
}

std::shared_ptr<grpc::Channel> UnixChannel(const std::string& path) {
  return grpc::CreateChannel(StrCat("unix:", path), grpc::InsecureChannelCredentials());
}

bool IsSocket(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// Registration sockets in `dir` as the plugin watcher would consider them, sorted.
std::vector<std::string> RegistrationSockets(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (name.size() < 9 || name.compare(name.size() - 9, 9, "-reg.sock") != 0) continue;
    if (IsSocket(entry.path().string())) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

template <typename ProtoRequest>
ProtoRequest ClaimsRequest(const std::vector<ClaimRef>& claims) {
  ProtoRequest request;
  for (const ClaimRef& c : claims) {
    auto* out = request.add_claims();
    out->set_namespace_(c.namespace_name);
    out->set_uid(c.uid);
    out->set_name(c.name);
  }
  return request;
}

template <typename ProtoResponse>
std::map<std::string, PrepareResult> PrepareResults(const ProtoResponse& response) {
  std::map<std::string, PrepareResult> out;
  for (const auto& [uid, claim] : response.claims()) {
    PrepareResult& result = out[uid];
    result.error = claim.error();
    for (const auto& d : claim.devices()) {
      PreparedDevice device;
      device.request_names.assign(d.request_names().begin(), d.request_names().end());
      device.pool_name = d.pool_name();
      device.device_name = d.device_name();
      device.cdi_device_ids.assign(d.cdi_device_ids().begin(), d.cdi_device_ids().end());
      if constexpr (requires { d.has_share_id(); }) {
        if (d.has_share_id()) device.share_id = d.share_id();
      }
      result.devices.push_back(std::move(device));
    }
  }
  return out;
}

template <typename ProtoResponse>
std::map<std::string, std::string> UnprepareResults(const ProtoResponse& response) {
  std::map<std::string, std::string> out;
  for (const auto& [uid, claim] : response.claims()) out[uid] = claim.error();
  return out;
}

template <typename ProtoResponse>
std::vector<DeviceHealth> HealthSnapshot(const ProtoResponse& response) {
  std::vector<DeviceHealth> out;
  for (const auto& d : response.devices()) {
    DeviceHealth h;
    h.pool_name = d.device().pool_name();
    h.device_name = d.device().device_name();
    switch (static_cast<int>(d.health())) {
      case 1:
        h.status = DeviceHealthStatus::kHealthy;
        break;
      case 2:
        h.status = DeviceHealthStatus::kUnhealthy;
        break;
      default:
        h.status = DeviceHealthStatus::kUnknown;
    }
    h.last_updated_unix = d.last_updated_time();
    h.health_check_timeout_seconds = d.health_check_timeout_seconds();
    h.message = d.message();
    out.push_back(std::move(h));
  }
  return out;
}

class HealthWatchImpl final : public FakeKubelet::HealthWatch {
 public:
  // Starts a reader thread that runs `read(context, sink)`; `read` returns the final status.
  template <typename Stub, typename Request, typename Response>
  static std::unique_ptr<HealthWatchImpl> Open(std::shared_ptr<grpc::Channel> channel) {
    auto watch = std::unique_ptr<HealthWatchImpl>(new HealthWatchImpl());
    HealthWatchImpl* self = watch.get();
    watch->reader_ = std::thread([self, channel = std::move(channel)] {
      auto stub = Stub::NewStub(channel);
      Request request;
      std::unique_ptr<grpc::ClientReader<Response>> reader =
          stub->NodeWatchResources(&self->context_, request);
      Response response;
      while (reader->Read(&response)) self->Push(HealthSnapshot(response));
      self->Finish(FromGrpc(reader->Finish()));
    });
    return watch;
  }

  ~HealthWatchImpl() override {
    Cancel();
    if (reader_.joinable()) reader_.join();
  }

  absl::StatusOr<std::vector<DeviceHealth>> Next(absl::Duration timeout) override {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !queue_.empty() || final_status_.has_value();
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ready), timeout)) {
      return absl::DeadlineExceededError(
          StrCat("no health snapshot within ", absl::FormatDuration(timeout)));
    }
    if (queue_.empty()) {
      return absl::OutOfRangeError(StrCat("health stream ended: ", final_status_->ToString()));
    }
    std::vector<DeviceHealth> next = std::move(queue_.front());
    queue_.pop_front();
    return next;
  }

  absl::Status WaitForEnd(absl::Duration timeout) override {
    absl::MutexLock lock(&mu_);
    auto ended = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return final_status_.has_value(); };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ended), timeout)) {
      return absl::DeadlineExceededError(
          StrCat("health stream still open after ", absl::FormatDuration(timeout)));
    }
    return *final_status_;
  }

  int received() const override {
    absl::MutexLock lock(&mu_);
    return received_;
  }

  void Cancel() override { context_.TryCancel(); }

 private:
  HealthWatchImpl() = default;

  void Push(std::vector<DeviceHealth> snapshot) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(snapshot));
    ++received_;
  }

  void Finish(absl::Status status) {
    absl::MutexLock lock(&mu_);
    final_status_ = std::move(status);
  }

  grpc::ClientContext context_;
  mutable absl::Mutex mu_;
  std::deque<std::vector<DeviceHealth>> queue_ ABSL_GUARDED_BY(mu_);
  int received_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<absl::Status> final_status_ ABSL_GUARDED_BY(mu_);
  std::thread reader_;
};

}  // namespace

class FakeKubelet::Channels {
 public:
  explicit Channels(const std::string& endpoint)
      : channel(UnixChannel(endpoint)),
        v1(drav1::DRAPlugin::NewStub(channel)),
        v1beta1(drav1beta1::DRAPlugin::NewStub(channel)) {}

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<drav1::DRAPlugin::Stub> v1;
  std::unique_ptr<drav1beta1::DRAPlugin::Stub> v1beta1;
};

FakeKubelet::FakeKubelet(FakeKubeletOptions options) : options_(std::move(options)) {}

FakeKubelet::~FakeKubelet() = default;

absl::Status FakeKubelet::Register(std::string_view driver_name, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last_problem = "no registration socket";
  while (true) {
    for (const std::string& socket : RegistrationSockets(options_.registry_dir)) {
      auto stub = registration::Registration::NewStub(UnixChannel(socket));
      grpc::ClientContext ctx;
      ctx.set_deadline(Deadline(absl::Seconds(5)));
      registration::InfoRequest request;
      registration::PluginInfo info;
      grpc::Status s = stub->GetInfo(&ctx, request, &info);
      if (!s.ok()) {
        last_problem = StrCat("GetInfo on ", socket, ": ", s.error_message());
        continue;
      }
      if (!driver_name.empty() && info.name() != driver_name) continue;

      // Validate as the kubelet's DRA registration handler does.
      std::string problem;
      std::optional<DraApiVersion> dra;
      std::optional<HealthApiVersion> health;
      for (const std::string& v : info.supported_versions()) {
        auto known = [&v](const std::vector<std::string>& list) {
          return std::find(list.begin(), list.end(), v) != list.end();
        };
        if (!dra.has_value() && known(options_.known_dra_services)) {
          dra = v == kDraPluginServiceV1 ? DraApiVersion::kV1 : DraApiVersion::kV1beta1;
        }
        if (!health.has_value() && known(options_.known_health_services)) {
          health = v == kDraResourceHealthServiceV1 ? HealthApiVersion::kV1
                                                    : HealthApiVersion::kV1alpha1;
        }
      }
      if (info.type() != kDraPluginType) {
        problem = StrCat("plugin type ", GoQuote(info.type()), " is not \"DRAPlugin\"");
      } else if (info.name().empty()) {
        problem = "plugin name is empty";
      } else if (info.endpoint().empty() || info.endpoint()[0] != '/') {
        problem = StrCat("endpoint ", GoQuote(info.endpoint()), " is not an absolute path");
      } else if (!IsSocket(info.endpoint())) {
        problem = StrCat("endpoint ", info.endpoint(), " is not a unix socket");
      } else if (!dra.has_value()) {
        problem = StrCat(
            "none of the supported versions [",
            StrJoin({info.supported_versions().begin(), info.supported_versions().end()}, ", "),
            "] is a known DRAPlugin service");
      }

      registration::RegistrationStatus status;
      status.set_plugin_registered(problem.empty() && options_.accept_registration);
      if (!problem.empty()) {
        status.set_error(problem);
      } else if (!options_.accept_registration) {
        status.set_error(options_.rejection_error);
      }
      grpc::ClientContext notify_ctx;
      notify_ctx.set_deadline(Deadline(absl::Seconds(5)));
      registration::RegistrationStatusResponse ignored;
      grpc::Status notified = stub->NotifyRegistrationStatus(&notify_ctx, status, &ignored);
      if (!status.plugin_registered()) {
        return absl::FailedPreconditionError(
            StrCat("registration of ", info.name(), " failed: ", status.error()));
      }
      if (!notified.ok()) {
        return absl::UnavailableError(
            StrCat("NotifyRegistrationStatus on ", socket, ": ", notified.error_message()));
      }
      plugin_.registration_socket = socket;
      plugin_.type = info.type();
      plugin_.name = info.name();
      plugin_.endpoint = info.endpoint();
      plugin_.supported_versions.assign(info.supported_versions().begin(),
                                        info.supported_versions().end());
      dra_version_ = *dra;
      health_version_ = health;
      channels_ = std::make_unique<Channels>(plugin_.endpoint);
      return absl::OkStatus();
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          StrCat("no DRA plugin", driver_name.empty() ? "" : " ", driver_name, " registered in ",
                 options_.registry_dir, " within ", absl::FormatDuration(timeout), " (",
                 last_problem, ")"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::StatusOr<std::map<std::string, PrepareResult>> FakeKubelet::NodePrepareResources(
    const std::vector<ClaimRef>& claims, std::optional<DraApiVersion> version) {
  if (channels_ == nullptr) return absl::FailedPreconditionError("no plugin registered");
  grpc::ClientContext ctx;
  ctx.set_deadline(Deadline(options_.call_timeout));
  if (version.value_or(dra_version_) == DraApiVersion::kV1) {
    drav1::NodePrepareResourcesResponse response;
    grpc::Status s = channels_->v1->NodePrepareResources(
        &ctx, ClaimsRequest<drav1::NodePrepareResourcesRequest>(claims), &response);
    if (!s.ok()) return FromGrpc(s);
    return PrepareResults(response);
  }
  drav1beta1::NodePrepareResourcesResponse response;
  grpc::Status s = channels_->v1beta1->NodePrepareResources(
      &ctx, ClaimsRequest<drav1beta1::NodePrepareResourcesRequest>(claims), &response);
  if (!s.ok()) return FromGrpc(s);
  return PrepareResults(response);
}

absl::StatusOr<std::map<std::string, std::string>> FakeKubelet::NodeUnprepareResources(
    const std::vector<ClaimRef>& claims, std::optional<DraApiVersion> version) {
  if (channels_ == nullptr) return absl::FailedPreconditionError("no plugin registered");
  grpc::ClientContext ctx;
  ctx.set_deadline(Deadline(options_.call_timeout));
  if (version.value_or(dra_version_) == DraApiVersion::kV1) {
    drav1::NodeUnprepareResourcesResponse response;
    grpc::Status s = channels_->v1->NodeUnprepareResources(
        &ctx, ClaimsRequest<drav1::NodeUnprepareResourcesRequest>(claims), &response);
    if (!s.ok()) return FromGrpc(s);
    return UnprepareResults(response);
  }
  drav1beta1::NodeUnprepareResourcesResponse response;
  grpc::Status s = channels_->v1beta1->NodeUnprepareResources(
      &ctx, ClaimsRequest<drav1beta1::NodeUnprepareResourcesRequest>(claims), &response);
  if (!s.ok()) return FromGrpc(s);
  return UnprepareResults(response);
}

absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> FakeKubelet::WatchHealth(
    std::optional<HealthApiVersion> version) {
  if (channels_ == nullptr) return absl::FailedPreconditionError("no plugin registered");
  if (!version.has_value()) version = health_version_;
  if (!version.has_value()) {
    return absl::FailedPreconditionError(
        StrCat("plugin ", plugin_.name, " advertises no known DRAResourceHealth service"));
  }
  if (*version == HealthApiVersion::kV1) {
    return HealthWatchImpl::Open<healthv1::DRAResourceHealth, healthv1::NodeWatchResourcesRequest,
                                 healthv1::NodeWatchResourcesResponse>(channels_->channel);
  }
  return HealthWatchImpl::Open<healthv1alpha1::DRAResourceHealth,
                               healthv1alpha1::NodeWatchResourcesRequest,
                               healthv1alpha1::NodeWatchResourcesResponse>(channels_->channel);
}

}  // namespace dra::driver
