#include "dra/driver/checkpoint/checkpoint.h"

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/driver/cdi/cdi.h"
#include "dra/driver/net/sysfs_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::driver {
namespace {

using testing::FakeSysfs;
using ::testing::HasSubstr;

Checkpoint Sample() {
  Checkpoint cp;
  cp.node_boot_id = "0d2f6c1a-1111-2222-3333-444455556666";
  CheckpointClaim c;
  c.namespace_ = "default";
  c.name = "gpu-claim";
  c.state = ClaimPrepareState::kPrepareCompleted;
  c.devices.push_back(
      {{"gpu"}, "node-1", "gpu-0", {"k8s.gpu.nvidia.com/claim=uid-1-gpu-0"}, std::nullopt});
  c.devices.push_back({{"nic"}, "node-1", "eth1", {}, "share-7"});
  c.driver_data = *api::ParseJson(R"({"mig":{"gi":3,"ci":0},"profile":"1g.10gb"})");
  cp.claims["uid-1"] = c;
  CheckpointClaim started;
  started.namespace_ = "ns";
  started.name = "c2";
  cp.claims["uid-2"] = started;
  return cp;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string Message(const absl::Status& st) { return std::string(st.message()); }

class CheckpointTest : public ::testing::Test {
 protected:
  FakeSysfs dir_;  // a temp directory removed at exit
  std::string path_ = dir_.root() + "/checkpoint.json";
};

TEST_F(CheckpointTest, RoundTrip) {
  ASSERT_TRUE(WriteCheckpoint(path_, Sample()).ok());
  absl::StatusOr<Checkpoint> back = LoadCheckpoint(path_, Sample().node_boot_id);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, Sample());
  EXPECT_THAT(Slurp(path_), HasSubstr("\"checksum\": \"sha256:"));
  EXPECT_THAT(Slurp(path_), HasSubstr("\"state\": \"PrepareCompleted\""));
}

TEST_F(CheckpointTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadCheckpoint(path_).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CheckpointTest, TruncatedFileIsDataLoss) {
  ASSERT_TRUE(WriteCheckpoint(path_, Sample()).ok());
  std::string text = Slurp(path_);
  Spit(path_, text.substr(0, text.size() / 2));
  absl::StatusOr<Checkpoint> r = LoadCheckpoint(path_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(r.status()), HasSubstr(path_));
  EXPECT_THAT(Message(r.status()), HasSubstr("invalid JSON"));
  Spit(path_, "");
  EXPECT_EQ(LoadCheckpoint(path_).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(CheckpointTest, FlippedByteIsDataLoss) {
  ASSERT_TRUE(WriteCheckpoint(path_, Sample()).ok());
  std::string text = Slurp(path_);
  size_t pos = text.find("gpu-claim");
  ASSERT_NE(pos, std::string::npos);
  text[pos] ^= 0x01;  // 'g' -> 'f': still valid JSON
  Spit(path_, text);
  absl::StatusOr<Checkpoint> r = LoadCheckpoint(path_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(r.status()), HasSubstr("checksum: mismatch"));
}

TEST_F(CheckpointTest, WrongChecksumAndVersionAreDataLoss) {
  ASSERT_TRUE(WriteCheckpoint(path_, Sample()).ok());
  std::string text = Slurp(path_);
  size_t pos = text.find("sha256:") + 7;
  std::string wrong = text;
  wrong[pos] = wrong[pos] == '0' ? '1' : '0';
  Spit(path_, wrong);
  EXPECT_THAT(Message(LoadCheckpoint(path_).status()), HasSubstr("checksum: mismatch"));

  std::string v2 = text;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
  Spit(path_, v2);
  absl::StatusOr<Checkpoint> r = LoadCheckpoint(path_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(r.status()), HasSubstr("unknown format version 2"));

  Spit(path_, "[1,2]");
  EXPECT_EQ(LoadCheckpoint(path_).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(CheckpointTest, ReformattedFileStillVerifies) {
  // Re-indenting keeps the checksum valid: it covers the parsed payload, not whitespace.
  std::string text = EncodeCheckpoint(Sample());
  std::string compact;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' && (i == 0 || text[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && (c == ' ' || c == '\n')) continue;
    compact += c;
  }
  absl::StatusOr<Checkpoint> r = DecodeCheckpoint(compact, "compact");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, Sample());
}

TEST_F(CheckpointTest, UnknownFieldsAreTolerated) {
  // A newer writer added fields; its checksum covers them.
  const std::string payload =
      R"({"nodeBootID":"b","future":1,"claims":{"u":{"namespace":"n","name":"c","state":"PrepareStarted","devices":[{"requestNames":["r"],"poolName":"p","deviceName":"d","cdiDeviceIDs":[],"extra":true}],"newField":{"x":1}}}})";
  // Compute the checksum the way the writer does by round-tripping a known checkpoint.
  Checkpoint probe;
  probe.node_boot_id = "b";
  std::string encoded = EncodeCheckpoint(probe);
  ASSERT_TRUE(DecodeCheckpoint(encoded, "probe").ok());
  // Build a file whose checksum matches `payload` by letting the decoder tell us the digest.
  std::string file = R"({"version":1,"checksum":"sha256:0","payload":)" + payload + "}";
  absl::StatusOr<Checkpoint> first = DecodeCheckpoint(file, "f");
  ASSERT_EQ(first.status().code(), absl::StatusCode::kDataLoss);
  std::string msg = Message(first.status());
  std::string digest = msg.substr(msg.rfind("sha256:"));
  file = R"({"version":1,"checksum":")" + digest + R"(","payload":)" + payload + "}";
  absl::StatusOr<Checkpoint> r = DecodeCheckpoint(file, "f");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->claims.at("u").devices.at(0).device_name, "d");
  EXPECT_EQ(r->claims.at("u").state, ClaimPrepareState::kPrepareStarted);
}

TEST_F(CheckpointTest, BootIdMismatchIsDistinct) {
  ASSERT_TRUE(WriteCheckpoint(path_, Sample()).ok());
  absl::StatusOr<Checkpoint> r = LoadCheckpoint(path_, "another-boot");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(IsBootIdMismatch(r.status()));
  EXPECT_FALSE(IsBootIdMismatch(absl::FailedPreconditionError("other")));
  EXPECT_THAT(Message(r.status()), HasSubstr("another-boot"));
  EXPECT_TRUE(LoadCheckpoint(path_).ok());  // no boot ID given: not checked
}

TEST_F(CheckpointTest, ReadBootId) {
  dir_.Write("proc/sys/kernel/random/boot_id", "abc-123\n");
  EXPECT_EQ(*ReadBootId(dir_.root() + "/proc"), "abc-123");
  EXPECT_EQ(ReadBootId(dir_.root() + "/nope").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::string> real = ReadBootId();
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(real->size(), 36u);
}

TEST_F(CheckpointTest, LockTimesOut) {
  const std::string lock_path = dir_.root() + "/pu.lock";
  absl::StatusOr<FileLock> held = FileLock::Acquire(lock_path, std::chrono::milliseconds(100));
  ASSERT_TRUE(held.ok()) << held.status();
  absl::StatusOr<FileLock> second = FileLock::Acquire(lock_path, std::chrono::milliseconds(20));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(Message(second.status()), HasSubstr(lock_path));
  held->Release();
  EXPECT_TRUE(FileLock::Acquire(lock_path, std::chrono::milliseconds(0)).ok());
}

TEST_F(CheckpointTest, ConcurrentWritersWithLock) {
  const std::string lock_path = dir_.root() + "/cp.lock";
  ASSERT_TRUE(WriteCheckpoint(path_, Checkpoint{"boot", {}}).ok());
  constexpr int kWriters = 8;
  constexpr int kRounds = 10;
  std::vector<std::thread> threads;
  std::vector<absl::Status> errors(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int r = 0; r < kRounds; ++r) {
        absl::StatusOr<FileLock> lock = FileLock::Acquire(lock_path, std::chrono::seconds(30));
        if (!lock.ok()) {
          errors[w] = lock.status();
          return;
        }
        absl::StatusOr<Checkpoint> cp = LoadCheckpoint(path_);
        if (!cp.ok()) {
          errors[w] = cp.status();
          return;
        }
        CheckpointClaim c;
        c.namespace_ = "ns";
        c.name = "w" + std::to_string(w);
        cp->claims["uid-" + std::to_string(w) + "-" + std::to_string(r)] = c;
        if (absl::Status st = WriteCheckpoint(path_, *cp); !st.ok()) {
          errors[w] = st;
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& st : errors) EXPECT_TRUE(st.ok()) << st;
  absl::StatusOr<Checkpoint> final_cp = LoadCheckpoint(path_);
  ASSERT_TRUE(final_cp.ok()) << final_cp.status();
  EXPECT_EQ(final_cp->claims.size(), static_cast<size_t>(kWriters * kRounds));
}

}  // namespace
}  // namespace dra::driver
