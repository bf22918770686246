#include "dra/driver/grpc/health_publisher.h"

#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "dra/driver/grpc/internal/sha256.h"
#include "dra/driver/grpc/kubelet_plugin_server.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

std::string Hex(const std::array<uint8_t, 32>& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : digest) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Hex(grpc_internal::Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(grpc_internal::Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(grpc_internal::Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(grpc_internal::Sha256(std::string(1000, 'a'))),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(RollingUpdateRegistrarSocketFileTest, PrefersReadableNamesThatFit) {
  const std::string uid = "7d3f0a52-3c1e-4c9a-9f0e-2b6d8e1a4c55";
  const std::string driver = "gpu.example.com";
  EXPECT_EQ(RollingUpdateRegistrarSocketFile("/var/lib/kubelet/plugins_registry", driver, uid),
            "gpu.example.com-7d3f0a52-3c1e-4c9a-9f0e-2b6d8e1a4c55-reg.sock");
  // 55 + 1 + 58 > 107: the UID is replaced by base64url(SHA-256(uid)[:8]).
  const std::string dir55 = "/" + std::string(54, 'd');
  EXPECT_EQ(RollingUpdateRegistrarSocketFile(dir55, driver, uid),
            "gpu.example.com-NDbw0DLSPL4-reg.sock");
  // Nothing with the driver name fits: dra-<base64url(SHA-256(driver \0 uid)[:16])>-reg.sock.
  const std::string dir80 = "/" + std::string(79, 'd');
  EXPECT_EQ(RollingUpdateRegistrarSocketFile(dir80, driver, uid),
            "dra-TWEbMRXJ7v1gql-NBgRWBQ-reg.sock");
}

TEST(TruncateHealthMessageTest, KeepsShortMessages) {
  EXPECT_EQ(TruncateHealthMessage(""), "");
  const std::string exact(kMaxDeviceHealthMessageLength, 'x');
  EXPECT_EQ(TruncateHealthMessage(exact), exact);
}

TEST(TruncateHealthMessageTest, CutsTo1021PlusEllipsis) {
  const std::string truncated = TruncateHealthMessage(std::string(2000, 'x'));
  EXPECT_EQ(truncated.size(), kMaxDeviceHealthMessageLength);
  EXPECT_EQ(truncated, std::string(1021, 'x') + "...");
}

TEST(TruncateHealthMessageTest, DoesNotSplitUtf8Characters) {
  // 1020 ASCII bytes, then two-byte characters: byte 1021 is the middle of one.
  std::string message(1020, 'x');
  for (int i = 0; i < 10; ++i) message += "\xc3\xa9";  // é
  const std::string truncated = TruncateHealthMessage(message);
  EXPECT_EQ(truncated, std::string(1020, 'x') + "...");
}

DeviceHealth Healthy(std::string name) {
  DeviceHealth h;
  h.pool_name = "node-1";
  h.device_name = std::move(name);
  h.status = DeviceHealthStatus::kHealthy;
  h.last_updated_unix = 1700000000;
  return h;
}

TEST(DeviceHealthPublisherTest, UpdateStoresTruncatedList) {
  DeviceHealthPublisher publisher;
  EXPECT_EQ(publisher.resend_interval(), absl::Seconds(10));
  DeviceHealth h = Healthy("gpu-0");
  h.message = std::string(3000, 'm');
  publisher.Update({h});
  ASSERT_EQ(publisher.devices().size(), 1u);
  EXPECT_EQ(publisher.devices()[0].message.size(), kMaxDeviceHealthMessageLength);
}

TEST(DeviceHealthPublisherTest, StreamSendsInitialChangesAndResends) {
  DeviceHealthPublisher publisher(absl::Milliseconds(50));
  publisher.Update({Healthy("gpu-0")});
  std::stop_source stop;
  absl::Mutex mu;
  std::vector<std::vector<DeviceHealth>> sent;
  std::thread stream([&] {
    publisher.Stream(stop.get_token(), nullptr, [&](const std::vector<DeviceHealth>& devices) {
      absl::MutexLock lock(&mu);
      sent.push_back(devices);
      return true;
    });
  });
  auto count_at_least = [&](size_t n) {
    absl::MutexLock lock(&mu);
    auto enough = [&]() { return sent.size() >= n; };
    return mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(5));
  };
  ASSERT_TRUE(count_at_least(1));
  publisher.Update({Healthy("gpu-0"), Healthy("gpu-1")});
  // The change, then at least two periodic resends of it.
  auto has_new_list_resent = [&]() {
    int with_two = 0;
    for (const auto& s : sent) with_two += s.size() == 2;
    return with_two >= 3;
  };
  {
    absl::MutexLock lock(&mu);
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&has_new_list_resent), absl::Seconds(5)));
    EXPECT_EQ(sent.front(), std::vector<DeviceHealth>{Healthy("gpu-0")});
  }
  EXPECT_TRUE(publisher.WaitForActiveStreams(1, absl::Seconds(1)));
  stop.request_stop();
  stream.join();
  EXPECT_EQ(publisher.active_streams(), 0);
}

TEST(DeviceHealthPublisherTest, UnchangedUpdateIsNotSent) {
  DeviceHealthPublisher publisher(absl::Hours(1));
  publisher.Update({Healthy("gpu-0")});
  std::stop_source stop;
  std::atomic<int> sends = 0;
  std::thread stream([&] {
    publisher.Stream(stop.get_token(), nullptr, [&](const std::vector<DeviceHealth>&) {
      ++sends;
      return true;
    });
  });
  ASSERT_TRUE(publisher.WaitForActiveStreams(1, absl::Seconds(5)));
  publisher.Update({Healthy("gpu-0")});
  publisher.Update({Healthy("gpu-1")});
  // The second Update is a change; once it arrived the first (no change) had its chance too.
  for (absl::Time deadline = absl::Now() + absl::Seconds(5); sends < 2 && absl::Now() < deadline;) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  stop.request_stop();
  stream.join();
  EXPECT_EQ(sends, 2);
}

TEST(DeviceHealthPublisherTest, StreamEndsWhenSendFailsOrCancelled) {
  DeviceHealthPublisher publisher(absl::Hours(1));
  std::stop_source stop;
  publisher.Stream(stop.get_token(), nullptr,
                   [](const std::vector<DeviceHealth>&) { return false; });
  EXPECT_EQ(publisher.active_streams(), 0);

  std::atomic<bool> cancelled = false;
  absl::Notification done;
  std::thread stream([&] {
    publisher.Stream(
        stop.get_token(), [&] { return cancelled.load(); },
        [](const std::vector<DeviceHealth>&) { return true; });
    done.Notify();
  });
  ASSERT_TRUE(publisher.WaitForActiveStreams(1, absl::Seconds(5)));
  cancelled = true;
  EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(5)));
  stream.join();
}

TEST(DeviceHealthPublisherTest, StopIsPrompt) {
  DeviceHealthPublisher publisher(absl::Hours(1));
  std::stop_source stop;
  absl::Notification done;
  std::thread stream([&] {
    publisher.Stream(
        stop.get_token(), [] { return false; },
        [](const std::vector<DeviceHealth>&) { return true; });
    done.Notify();
  });
  ASSERT_TRUE(publisher.WaitForActiveStreams(1, absl::Seconds(5)));
  const absl::Time start = absl::Now();
  stop.request_stop();
  EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(5)));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  stream.join();
}

}  // namespace
}  // namespace dra::driver
