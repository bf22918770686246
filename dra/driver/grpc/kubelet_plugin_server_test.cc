#include "dra/driver/grpc/kubelet_plugin_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "dra/driver/grpc/fake_kubelet.h"
#include "dra/driver/grpc/health_publisher.h"
#include "dra/driver/grpc/plugin_handler.h"
#include "dra/driver/grpc/proto/dra_health_v1.pb.h"
#include "dra/driver/grpc/proto/dra_health_v1alpha1.pb.h"
#include "dra/driver/grpc/proto/dra_v1.pb.h"
#include "dra/driver/grpc/proto/dra_v1beta1.pb.h"
#include "dra/driver/grpc/proto/pluginregistration_v1.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kDriver[] = "gpu.example.com";

// A handler that answers every claim with one device and records what it was asked.
// Thread-safe.
class FakeHandler : public KubeletPluginHandler {
 public:
  std::map<std::string, PrepareResult> NodePrepareResources(
      const std::vector<ClaimRef>& claims) override {
    EnterAndWaitForPeers();
    std::map<std::string, PrepareResult> out;
    absl::MutexLock lock(&mu_);
    prepare_calls_.push_back(claims);
    for (const ClaimRef& c : claims) {
      if (auto it = canned_.find(c.uid); it != canned_.end()) {
        if (it->second.has_value()) out[c.uid] = *it->second;
        continue;
      }
      PreparedDevice d;
      d.request_names = {"req-0"};
      d.pool_name = "node-1";
      d.device_name = "gpu-" + c.name;
      d.cdi_device_ids = {"example.com/gpu=" + c.name};
      out[c.uid].devices = {d};
    }
    out["not-requested-uid"].error = "must be dropped";
    return out;
  }

  std::map<std::string, std::string> NodeUnprepareResources(
      const std::vector<ClaimRef>& claims) override {
    std::map<std::string, std::string> out;
    absl::MutexLock lock(&mu_);
    unprepare_calls_.push_back(claims);
    for (const ClaimRef& c : claims) {
      if (c.uid == "missing") continue;
      out[c.uid] = c.uid == "fails" ? "cannot unprepare" : "";
    }
    return out;
  }

  // The answer for claim `uid`; nullopt: no entry in the result map.
  void SetResult(const std::string& uid, std::optional<PrepareResult> result) {
    absl::MutexLock lock(&mu_);
    canned_[uid] = std::move(result);
  }

  // Each prepare call waits (up to `timeout`) until `n` calls are inside the handler at once.
  void ExpectConcurrentCalls(int n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    concurrency_target_ = n;
    concurrency_timeout_ = timeout;
  }

  int max_in_flight() const {
    absl::MutexLock lock(&mu_);
    return max_in_flight_;
  }
  std::vector<std::vector<ClaimRef>> prepare_calls() const {
    absl::MutexLock lock(&mu_);
    return prepare_calls_;
  }
  std::vector<std::vector<ClaimRef>> unprepare_calls() const {
    absl::MutexLock lock(&mu_);
    return unprepare_calls_;
  }

 private:
  void EnterAndWaitForPeers() {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    auto enough = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return max_in_flight_ >= concurrency_target_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&enough), concurrency_timeout_);
    --in_flight_;
  }

  mutable absl::Mutex mu_;
  std::map<std::string, std::optional<PrepareResult>> canned_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<ClaimRef>> prepare_calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<ClaimRef>> unprepare_calls_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int max_in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int concurrency_target_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Duration concurrency_timeout_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

// --- Raw gRPC calls by method path, independent of the generated stubs. ---

grpc::ByteBuffer ToBuffer(const google::protobuf::Message& m) {
  std::string bytes = m.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromBuffer(const grpc::ByteBuffer& buffer, google::protobuf::Message* m) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return m->ParseFromString(bytes);
}

std::shared_ptr<grpc::Channel> Dial(const std::string& socket) {
  return grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
}

grpc::Status RawUnary(const std::string& socket, const std::string& method,
                      const google::protobuf::Message& request,
                      google::protobuf::Message* response) {
  grpc::GenericStub stub(Dial(socket));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&ctx, method, ToBuffer(request), &cq);
  call->StartCall();
  grpc::ByteBuffer reply;
  grpc::Status status;
  call->Finish(&reply, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  EXPECT_TRUE(cq.Next(&tag, &ok));
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (status.ok() && !FromBuffer(reply, response)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "unparsable response");
  }
  return status;
}

// Opens a server stream at `method`, reads its first message into `response` and cancels.
grpc::Status RawFirstStreamMessage(const std::string& socket, const std::string& method,
                                   const google::protobuf::Message& request,
                                   google::protobuf::Message* response) {
  grpc::GenericStub stub(Dial(socket));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue cq;
  auto next = [&cq]() {
    void* tag;
    bool ok = false;
    return cq.Next(&tag, &ok) && ok;
  };
  auto call = stub.PrepareCall(&ctx, method, &cq);
  call->StartCall(reinterpret_cast<void*>(1));
  bool ok = next();
  grpc::ByteBuffer reply;
  if (ok) {
    call->Write(ToBuffer(request), reinterpret_cast<void*>(2));
    ok = next();
  }
  if (ok) {
    call->WritesDone(reinterpret_cast<void*>(3));
    ok = next();
  }
  if (ok) {
    call->Read(&reply, reinterpret_cast<void*>(4));
    ok = next();
  }
  // Cancel a stream that delivered a message; one that failed has its status already.
  if (ok) ctx.TryCancel();
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  next();
  cq.Shutdown();
  void* tag;
  bool ignored;
  while (cq.Next(&tag, &ignored)) {
  }
  if (!ok) return status.ok() ? grpc::Status(grpc::StatusCode::UNKNOWN, "no message") : status;
  if (!FromBuffer(reply, response)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "unparsable message");
  }
  return grpc::Status::OK;
}

class KubeletPluginServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/dra-grpc-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    // Non-default kubelet root dir, as with kubelet --root-dir.
    options_.driver_name = kDriver;
    options_.plugins_dir = root_ + "/kubelet/plugins";
    options_.registry_dir = root_ + "/kubelet/plugins_registry";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  FakeKubeletOptions KubeletOptions() const {
    FakeKubeletOptions o;
    o.registry_dir = options_.registry_dir;
    return o;
  }

  std::string root_;
  KubeletPluginServerOptions options_;
  FakeHandler handler_;
};

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

mode_t Mode(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode;
}

TEST_F(KubeletPluginServerTest, RegistersWithTheKubelet) {
  DeviceHealthPublisher health;
  KubeletPluginServer server(options_, &handler_, &health);
  EXPECT_EQ(server.dra_socket_path(), options_.plugins_dir + "/gpu.example.com/dra.sock");
  EXPECT_EQ(server.registration_socket_path(), options_.registry_dir + "/gpu.example.com-reg.sock");
  ASSERT_TRUE(server.Start().ok());
  EXPECT_TRUE(server.running());
  EXPECT_EQ(server.registration_status().code(), absl::StatusCode::kUnavailable);

  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_EQ(kubelet.plugin().type, "DRAPlugin");
  EXPECT_EQ(kubelet.plugin().name, kDriver);
  EXPECT_EQ(kubelet.plugin().endpoint, server.dra_socket_path());
  EXPECT_EQ(kubelet.plugin().registration_socket, server.registration_socket_path());
  EXPECT_THAT(kubelet.plugin().supported_versions,
              ElementsAre("v1.DRAPlugin", "v1beta1.DRAPlugin", "v1.DRAResourceHealth",
                          "v1alpha1.DRAResourceHealth"));
  EXPECT_EQ(kubelet.dra_version(), DraApiVersion::kV1);
  EXPECT_EQ(kubelet.health_version(), HealthApiVersion::kV1);
  EXPECT_EQ(server.WaitForRegistration(absl::Seconds(5)), absl::OkStatus());
  EXPECT_EQ(server.registration_status(), absl::OkStatus());
  EXPECT_TRUE(server.registration_state().registered);
}

TEST_F(KubeletPluginServerTest, WithoutHealthPublisherAdvertisesOnlyDraPlugin) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_THAT(kubelet.plugin().supported_versions,
              ElementsAre("v1.DRAPlugin", "v1beta1.DRAPlugin"));
  EXPECT_FALSE(kubelet.health_version().has_value());
  EXPECT_EQ(kubelet.WatchHealth().status().code(), absl::StatusCode::kFailedPrecondition);
  // The health services are not served either.
  v1alpha1::NodeWatchResourcesResponse response;
  EXPECT_EQ(RawFirstStreamMessage(server.dra_socket_path(),
                                  "/v1alpha1.DRAResourceHealth/NodeWatchResources",
                                  v1alpha1::NodeWatchResourcesRequest(), &response)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(KubeletPluginServerTest, KubeletThatKnowsOnlyV1beta1PicksIt) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubeletOptions o = KubeletOptions();
  o.known_dra_services = {"v1beta1.DRAPlugin"};
  FakeKubelet kubelet(o);
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_EQ(kubelet.dra_version(), DraApiVersion::kV1beta1);
}

TEST_F(KubeletPluginServerTest, ServingOnlyV1beta1) {
  options_.serve_v1 = false;
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_THAT(kubelet.plugin().supported_versions, ElementsAre("v1beta1.DRAPlugin"));
  EXPECT_EQ(kubelet.dra_version(), DraApiVersion::kV1beta1);
  k8s::io::kubelet::pkg::apis::dra::v1::NodePrepareResourcesResponse response;
  EXPECT_EQ(RawUnary(server.dra_socket_path(),
                     "/k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodePrepareResources",
                     k8s::io::kubelet::pkg::apis::dra::v1::NodePrepareResourcesRequest(), &response)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(KubeletPluginServerTest, RejectedRegistrationIsRecorded) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubeletOptions o = KubeletOptions();
  o.accept_registration = false;
  o.rejection_error = "driver name conflicts";
  FakeKubelet kubelet(o);
  absl::Status s = kubelet.Register(kDriver);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  absl::Status registered = server.WaitForRegistration(absl::Seconds(5));
  EXPECT_EQ(registered.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registered.message()), HasSubstr("driver name conflicts"));
  EXPECT_FALSE(server.registration_state().registered);
  EXPECT_EQ(server.registration_state().error, "driver name conflicts");
}

TEST_F(KubeletPluginServerTest, MethodPathsOnTheWire) {
  DeviceHealthPublisher health;
  DeviceHealth h;
  h.pool_name = "node-1";
  h.device_name = "gpu-0";
  h.status = DeviceHealthStatus::kUnhealthy;
  health.Update({h});
  KubeletPluginServer server(options_, &handler_, &health);
  ASSERT_TRUE(server.Start().ok());
  const std::string& reg = server.registration_socket_path();
  const std::string& dra = server.dra_socket_path();

  pluginregistration::PluginInfo info;
  ASSERT_TRUE(RawUnary(reg, "/pluginregistration.Registration/GetInfo",
                       pluginregistration::InfoRequest(), &info)
                  .ok());
  EXPECT_EQ(info.type(), "DRAPlugin");
  EXPECT_EQ(info.name(), kDriver);
  EXPECT_EQ(info.endpoint(), dra);

  pluginregistration::RegistrationStatus failed;
  failed.set_plugin_registered(false);
  failed.set_error("boom");
  pluginregistration::RegistrationStatusResponse ignored;
  grpc::Status notify =
      RawUnary(reg, "/pluginregistration.Registration/NotifyRegistrationStatus", failed, &ignored);
  EXPECT_FALSE(notify.ok());
  EXPECT_THAT(notify.error_message(), HasSubstr("boom"));
  pluginregistration::RegistrationStatus succeeded;
  succeeded.set_plugin_registered(true);
  EXPECT_TRUE(RawUnary(reg, "/pluginregistration.Registration/NotifyRegistrationStatus", succeeded,
                       &ignored)
                  .ok());
  EXPECT_EQ(server.registration_status(), absl::OkStatus());

  namespace drav1 = k8s::io::kubelet::pkg::apis::dra::v1;
  namespace drav1beta1 = k8s::io::kubelet::pkg::apis::dra::v1beta1;
  drav1::NodePrepareResourcesRequest prepare_v1;
  auto* claim = prepare_v1.add_claims();
  claim->set_namespace_("default");
  claim->set_uid("uid-1");
  claim->set_name("claim-1");
  drav1::NodePrepareResourcesResponse prepared_v1;
  ASSERT_TRUE(RawUnary(dra, "/k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodePrepareResources",
                       prepare_v1, &prepared_v1)
                  .ok());
  ASSERT_EQ(prepared_v1.claims().count("uid-1"), 1u);
  EXPECT_EQ(prepared_v1.claims().at("uid-1").devices(0).device_name(), "gpu-claim-1");

  drav1::NodeUnprepareResourcesResponse unprepared_v1;
  EXPECT_TRUE(RawUnary(dra, "/k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodeUnprepareResources",
                       drav1::NodeUnprepareResourcesRequest(), &unprepared_v1)
                  .ok());

  drav1beta1::NodePrepareResourcesResponse prepared_v1beta1;
  EXPECT_TRUE(RawUnary(dra, "/k8s.io.kubelet.pkg.apis.dra.v1beta1.DRAPlugin/NodePrepareResources",
                       drav1beta1::NodePrepareResourcesRequest(), &prepared_v1beta1)
                  .ok());
  drav1beta1::NodeUnprepareResourcesResponse unprepared_v1beta1;
  EXPECT_TRUE(RawUnary(dra, "/k8s.io.kubelet.pkg.apis.dra.v1beta1.DRAPlugin/NodeUnprepareResources",
                       drav1beta1::NodeUnprepareResourcesRequest(), &unprepared_v1beta1)
                  .ok());

  v1alpha1::NodeWatchResourcesResponse watched_v1alpha1;
  ASSERT_TRUE(RawFirstStreamMessage(dra, "/v1alpha1.DRAResourceHealth/NodeWatchResources",
                                    v1alpha1::NodeWatchResourcesRequest(), &watched_v1alpha1)
                  .ok());
  ASSERT_EQ(watched_v1alpha1.devices_size(), 1);
  EXPECT_EQ(watched_v1alpha1.devices(0).device().device_name(), "gpu-0");
  EXPECT_EQ(watched_v1alpha1.devices(0).health(), v1alpha1::UNHEALTHY);

  v1::NodeWatchResourcesResponse watched_v1;
  ASSERT_TRUE(RawFirstStreamMessage(dra, "/v1.DRAResourceHealth/NodeWatchResources",
                                    v1::NodeWatchResourcesRequest(), &watched_v1)
                  .ok());
  ASSERT_EQ(watched_v1.devices_size(), 1);
  EXPECT_EQ(watched_v1.devices(0).health(), v1::UNHEALTHY);

  // A path that is not served is reported as such (the raw calls above are meaningful).
  EXPECT_EQ(RawUnary(dra, "/k8s.io.kubelet.pkg.apis.dra.v1.DRAPlugin/NodeFrobnicate",
                     drav1::NodePrepareResourcesRequest(), &prepared_v1)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(KubeletPluginServerTest, PrepareAndUnprepareOnBothVersions) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());

  PrepareResult shared;
  shared.devices.push_back(
      {{"req-a", "req-b"}, "pool-1", "gpu-3", {"example.com/gpu=gpu-3"}, "4ba0c7f2-share"});
  shared.devices.push_back({{}, "pool-1", "gpu-4", {}, std::nullopt});
  handler_.SetResult("uid-shared", shared);
  PrepareResult failed;
  failed.error = "device gpu-9 is gone";
  failed.devices.push_back({{}, "pool-1", "gpu-9", {}, std::nullopt});
  handler_.SetResult("uid-failed", failed);
  handler_.SetResult("uid-missing", std::nullopt);

  const std::vector<ClaimRef> claims = {{"ns-a", "uid-shared", "shared"},
                                        {"ns-b", "uid-failed", "failed"},
                                        {"ns-c", "uid-missing", "missing"}};
  for (DraApiVersion version : {DraApiVersion::kV1, DraApiVersion::kV1beta1}) {
    SCOPED_TRACE(version == DraApiVersion::kV1 ? "v1" : "v1beta1");
    absl::StatusOr<std::map<std::string, PrepareResult>> result =
        kubelet.NodePrepareResources(claims, version);
    ASSERT_TRUE(result.ok()) << result.status();
    // Every requested claim, nothing else.
    ASSERT_EQ(result->size(), 3u);
    PrepareResult expected = shared;
    if (version == DraApiVersion::kV1beta1) expected.devices[0].share_id.reset();
    EXPECT_EQ(result->at("uid-shared"), expected);
    // Devices of a failed claim are not sent.
    EXPECT_EQ(result->at("uid-failed"), PrepareResult{.error = "device gpu-9 is gone"});
    EXPECT_TRUE(result->at("uid-missing").devices.empty());
    EXPECT_THAT(result->at("uid-missing").error, HasSubstr("ns-c/missing"));
    EXPECT_EQ(handler_.prepare_calls().back(), claims);

    absl::StatusOr<std::map<std::string, std::string>> unprepared = kubelet.NodeUnprepareResources(
        {{"ns-a", "uid-shared", "shared"}, {"ns", "fails", "x"}, {"ns", "missing", "y"}}, version);
    ASSERT_TRUE(unprepared.ok()) << unprepared.status();
    ASSERT_EQ(unprepared->size(), 3u);
    EXPECT_EQ(unprepared->at("uid-shared"), "");
    EXPECT_EQ(unprepared->at("fails"), "cannot unprepare");
    EXPECT_THAT(unprepared->at("missing"), HasSubstr("ns/y"));
  }
  EXPECT_EQ(handler_.prepare_calls().size(), 2u);
  EXPECT_EQ(handler_.unprepare_calls().size(), 2u);
}

TEST_F(KubeletPluginServerTest, EmptyRequestsSucceedWithoutTheHandler) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  for (DraApiVersion version : {DraApiVersion::kV1, DraApiVersion::kV1beta1}) {
    absl::StatusOr<std::map<std::string, PrepareResult>> prepared =
        kubelet.NodePrepareResources({}, version);
    ASSERT_TRUE(prepared.ok()) << prepared.status();
    EXPECT_TRUE(prepared->empty());
    absl::StatusOr<std::map<std::string, std::string>> unprepared =
        kubelet.NodeUnprepareResources({}, version);
    ASSERT_TRUE(unprepared.ok()) << unprepared.status();
    EXPECT_TRUE(unprepared->empty());
  }
  EXPECT_TRUE(handler_.prepare_calls().empty());
  EXPECT_TRUE(handler_.unprepare_calls().empty());
}

TEST_F(KubeletPluginServerTest, DuplicateClaimIsAnsweredOnce) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  absl::StatusOr<std::map<std::string, PrepareResult>> prepared =
      kubelet.NodePrepareResources({{"ns", "uid-1", "c"}, {"ns", "uid-1", "c"}});
  ASSERT_TRUE(prepared.ok());
  ASSERT_EQ(prepared->size(), 1u);
  EXPECT_EQ(prepared->at("uid-1").devices.size(), 1u);
}

TEST_F(KubeletPluginServerTest, ConcurrentPrepares) {
  constexpr int kCalls = 8;
  handler_.ExpectConcurrentCalls(kCalls, absl::Seconds(10));
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      const std::string uid = "uid-" + std::to_string(i);
      auto r = kubelet.NodePrepareResources({{"ns", uid, "claim-" + std::to_string(i)}},
                                            i % 2 ? DraApiVersion::kV1 : DraApiVersion::kV1beta1);
      results[i] = r.ok() && r->size() == 1 && r->at(uid).error.empty()
                       ? absl::OkStatus()
                       : absl::InternalError("bad result");
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : results) EXPECT_EQ(s, absl::OkStatus());
  EXPECT_EQ(handler_.max_in_flight(), kCalls);
}

TEST_F(KubeletPluginServerTest, SocketsAre0600AndRemovedOnStop) {
  KubeletPluginServer server(options_, &handler_);
  ASSERT_TRUE(server.Start().ok());
  for (const std::string& path : {server.dra_socket_path(), server.registration_socket_path()}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(S_ISSOCK(Mode(path)));
    EXPECT_EQ(Mode(path) & 07777, 0600u);
  }
  server.Stop();
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(Exists(server.dra_socket_path()));
  EXPECT_FALSE(Exists(server.registration_socket_path()));
  // The plugin data directory stays.
  EXPECT_TRUE(std::filesystem::is_directory(options_.plugins_dir + "/gpu.example.com"));

  // A stopped server starts again.
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  EXPECT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_EQ(server.WaitForRegistration(absl::Seconds(5)), absl::OkStatus());
}

// A unix socket file that nobody listens on, as a crashed plugin leaves behind.
void MakeStaleSocket(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ::close(fd);
}

TEST_F(KubeletPluginServerTest, StaleFilesAreReplaced) {
  KubeletPluginServer server(options_, &handler_);
  MakeStaleSocket(server.registration_socket_path());
  std::filesystem::create_directories(options_.plugins_dir + "/gpu.example.com");
  std::ofstream(server.dra_socket_path()) << "left over";
  ASSERT_TRUE(Exists(server.dra_socket_path()));
  ASSERT_EQ(server.Start(), absl::OkStatus());
  EXPECT_TRUE(S_ISSOCK(Mode(server.dra_socket_path())));
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_TRUE(kubelet.NodePrepareResources({{"ns", "u", "c"}}).ok());
}

TEST_F(KubeletPluginServerTest, StartErrors) {
  {
    KubeletPluginServerOptions o = options_;
    o.driver_name = "";
    KubeletPluginServer server(o, &handler_);
    EXPECT_EQ(server.Start().code(), absl::StatusCode::kInvalidArgument);
  }
  {
    KubeletPluginServerOptions o = options_;
    o.serve_v1 = false;
    o.serve_v1beta1 = false;
    KubeletPluginServer server(o, &handler_);
    EXPECT_EQ(server.Start().code(), absl::StatusCode::kInvalidArgument);
  }
  {
    KubeletPluginServerOptions o = options_;
    o.plugins_dir = root_ + "/" + std::string(120, 'p');
    KubeletPluginServer server(o, &handler_);
    absl::Status s = server.Start();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr("dra.sock"));
    EXPECT_FALSE(server.running());
  }
  {
    // The registration path is taken by a directory: the DRA socket is cleaned up again.
    KubeletPluginServer server(options_, &handler_);
    std::filesystem::create_directories(server.registration_socket_path());
    EXPECT_EQ(server.Start().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_FALSE(server.running());
    EXPECT_FALSE(Exists(server.dra_socket_path()));
    std::filesystem::remove(server.registration_socket_path());
  }
  {
    KubeletPluginServer server(options_, &handler_);
    ASSERT_TRUE(server.Start().ok());
    EXPECT_EQ(server.Start().code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST_F(KubeletPluginServerTest, HealthStreamInitialSnapshotAndUpdates) {
  DeviceHealthPublisher health;  // default resend interval: no resend during this test
  DeviceHealth gpu0;
  gpu0.pool_name = "node-1";
  gpu0.device_name = "gpu-0";
  gpu0.status = DeviceHealthStatus::kHealthy;
  gpu0.last_updated_unix = 1700000000;
  gpu0.health_check_timeout_seconds = 60;
  health.Update({gpu0});
  KubeletPluginServer server(options_, &handler_, &health);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());

  for (HealthApiVersion version : {HealthApiVersion::kV1alpha1, HealthApiVersion::kV1}) {
    SCOPED_TRACE(version == HealthApiVersion::kV1 ? "v1" : "v1alpha1");
    health.Update({gpu0});
    absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> watch = kubelet.WatchHealth(version);
    ASSERT_TRUE(watch.ok());
    absl::StatusOr<std::vector<DeviceHealth>> initial = (*watch)->Next(absl::Seconds(5));
    ASSERT_TRUE(initial.ok()) << initial.status();
    EXPECT_EQ(*initial, std::vector<DeviceHealth>{gpu0});

    DeviceHealth gpu1 = gpu0;
    gpu1.device_name = "gpu-1";
    gpu1.status = DeviceHealthStatus::kUnhealthy;
    gpu1.message = std::string(1500, 'x');
    DeviceHealth gpu0_unknown = gpu0;
    gpu0_unknown.status = DeviceHealthStatus::kUnknown;
    health.Update({gpu0_unknown, gpu1});
    absl::StatusOr<std::vector<DeviceHealth>> updated = (*watch)->Next(absl::Seconds(5));
    ASSERT_TRUE(updated.ok()) << updated.status();
    gpu1.message = std::string(1021, 'x') + "...";
    EXPECT_EQ(*updated, (std::vector<DeviceHealth>{gpu0_unknown, gpu1}));
  }
}

TEST_F(KubeletPluginServerTest, HealthStreamResendsPeriodically) {
  DeviceHealthPublisher health(absl::Milliseconds(100));
  DeviceHealth gpu0;
  gpu0.pool_name = "node-1";
  gpu0.device_name = "gpu-0";
  gpu0.status = DeviceHealthStatus::kHealthy;
  health.Update({gpu0});
  KubeletPluginServer server(options_, &handler_, &health);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> watch = kubelet.WatchHealth();
  ASSERT_TRUE(watch.ok());
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<std::vector<DeviceHealth>> snapshot = (*watch)->Next(absl::Seconds(5));
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    EXPECT_EQ(*snapshot, std::vector<DeviceHealth>{gpu0});
  }
}

TEST_F(KubeletPluginServerTest, StopWithOpenHealthStreamIsPrompt) {
  DeviceHealthPublisher health;  // 10 s resend interval
  KubeletPluginServer server(options_, &handler_, &health);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> v1 =
      kubelet.WatchHealth(HealthApiVersion::kV1);
  absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> v1alpha1 =
      kubelet.WatchHealth(HealthApiVersion::kV1alpha1);
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(v1alpha1.ok());
  ASSERT_TRUE((*v1)->Next(absl::Seconds(5)).ok());
  ASSERT_TRUE((*v1alpha1)->Next(absl::Seconds(5)).ok());
  ASSERT_TRUE(health.WaitForActiveStreams(2, absl::Seconds(5)));

  const absl::Time start = absl::Now();
  server.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(health.active_streams(), 0);
  EXPECT_NE((*v1)->WaitForEnd(absl::Seconds(2)).code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE((*v1alpha1)->WaitForEnd(absl::Seconds(2)).code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(KubeletPluginServerTest, KubeletCancellingTheWatchEndsTheStream) {
  DeviceHealthPublisher health;
  KubeletPluginServer server(options_, &handler_, &health);
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  absl::StatusOr<std::unique_ptr<FakeKubelet::HealthWatch>> watch = kubelet.WatchHealth();
  ASSERT_TRUE(watch.ok());
  ASSERT_TRUE((*watch)->Next(absl::Seconds(5)).ok());
  ASSERT_TRUE(health.WaitForActiveStreams(1, absl::Seconds(5)));
  (*watch)->Cancel();
  EXPECT_EQ((*watch)->WaitForEnd(absl::Seconds(5)).code(), absl::StatusCode::kCancelled);
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (health.active_streams() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(health.active_streams(), 0);
}

TEST_F(KubeletPluginServerTest, RollingUpdateSocketNamesAndSerialization) {
  options_.rolling_update_pod_uid = "7d3f0a52-3c1e-4c9a-9f0e-2b6d8e1a4c55";
  KubeletPluginServer server(options_, &handler_);
  EXPECT_EQ(
      server.dra_socket_path(),
      options_.plugins_dir + "/gpu.example.com/dra-7d3f0a52-3c1e-4c9a-9f0e-2b6d8e1a4c55.sock");
  EXPECT_EQ(std::filesystem::path(server.registration_socket_path()).filename(),
            RollingUpdateRegistrarSocketFile(options_.registry_dir, kDriver,
                                             options_.rolling_update_pod_uid));
  ASSERT_TRUE(server.Start().ok());
  FakeKubelet kubelet(KubeletOptions());
  ASSERT_EQ(kubelet.Register(kDriver), absl::OkStatus());
  EXPECT_EQ(kubelet.plugin().endpoint, server.dra_socket_path());

  // Calls are serialized through serialize.lock: two concurrent calls never overlap.
  handler_.ExpectConcurrentCalls(2, absl::Milliseconds(300));
  std::thread t([&] { EXPECT_TRUE(kubelet.NodePrepareResources({{"ns", "a", "a"}}).ok()); });
  EXPECT_TRUE(kubelet.NodePrepareResources({{"ns", "b", "b"}}).ok());
  t.join();
  EXPECT_EQ(handler_.prepare_calls().size(), 2u);
  EXPECT_EQ(handler_.max_in_flight(), 1);
  EXPECT_TRUE(Exists(options_.plugins_dir + "/gpu.example.com/serialize.lock"));

  // The second pod of a rolling update runs beside the first.
  KubeletPluginServerOptions other_options = options_;
  other_options.rolling_update_pod_uid = "0c5a9e61-2f1e-4d6c-8a55-0d4c8b7e9f10";
  FakeHandler other_handler;
  KubeletPluginServer other(other_options, &other_handler);
  ASSERT_TRUE(other.Start().ok());
  EXPECT_NE(other.dra_socket_path(), server.dra_socket_path());
  EXPECT_NE(other.registration_socket_path(), server.registration_socket_path());

  // Stopping one pod leaves the other's sockets alone.
  other.Stop();
  EXPECT_TRUE(Exists(server.dra_socket_path()));
  EXPECT_TRUE(Exists(server.registration_socket_path()));
  EXPECT_FALSE(Exists(other.dra_socket_path()));
}

}  // namespace
}  // namespace dra::driver
