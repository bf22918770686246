#include "dra/store/store.h"

#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "dra/base/strings.h"
#include "dra/store/etcd_store.h"
#include "dra/store/sqlite_store.h"
#include "dra/store/store_test_suite.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::store {
namespace {

// A fresh directory under the test temp dir, removed with the object.
class TempDir {
 public:
  explicit TempDir(std::string_view parent = "") {
    std::string pattern = dra::StrCat(parent.empty() ? ::testing::TempDir() : std::string(parent),
                                      "/dra_store_XXXXXX");
    char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

template <SqliteStore::Durability kDurability>
class SqliteFactory {
 public:
  std::unique_ptr<Store> New() {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store =
        SqliteStore::Open(dir_.path(), {.durability = kDurability});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

 private:
  TempDir dir_;
};

using SqliteBackends = ::testing::Types<SqliteFactory<SqliteStore::Durability::kProcessCrash>,
                                        SqliteFactory<SqliteStore::Durability::kPowerLoss>>;

// A free loopback TCP port (bound to port 0, then released for the child to take).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

// A private single-member etcd (the `etcd` on PATH, Debian's etcd-server) listening on
// loopback only, with its data directory on tmpfs when there is one; killed with the object.
class EtcdProcess {
 public:
  EtcdProcess() : dir_(std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "") { Spawn(); }

  // Starts etcd on two free ports (with a fresh data directory per attempt).
  void Spawn() {
    ++attempt_;
    client_port_ = FreePort();
    const int peer_port = FreePort();
    const std::string client_url = dra::StrCat("http://127.0.0.1:", client_port_);
    const std::string peer_url = dra::StrCat("http://127.0.0.1:", peer_port);
    std::vector<std::string> args = {"etcd",
                                     "--name=default",
                                     dra::StrCat("--data-dir=", dir_.path(), "/etcd-", attempt_),
                                     dra::StrCat("--listen-client-urls=", client_url),
                                     dra::StrCat("--advertise-client-urls=", client_url),
                                     dra::StrCat("--listen-peer-urls=", peer_url),
                                     dra::StrCat("--initial-advertise-peer-urls=", peer_url),
                                     dra::StrCat("--initial-cluster=default=", peer_url),
                                     "--log-level=error"};
    const std::string log = dra::StrCat(dir_.path(), "/etcd-", attempt_, ".log");
    fflush(stdout);
    fflush(stderr);
    pid_ = fork();
    if (pid_ == 0) {
      // Dies with the test binary, even when it crashes.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      FILE* out = freopen(log.c_str(), "w", stdout);
      if (out != nullptr) dup2(fileno(out), 2);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    EXPECT_GT(pid_, 0);
  }
  ~EtcdProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Connects once etcd answers, within 10 s.
  std::unique_ptr<EtcdStore> Connect() {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    absl::Status last;
    while (absl::Now() < deadline) {
      absl::StatusOr<std::unique_ptr<EtcdStore>> store =
          EtcdStore::Open({.port = client_port_, .timeout = absl::Seconds(5)});
      if (store.ok()) return *std::move(store);
      last = store.status();
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        // Another process may have taken a port between FreePort and etcd's bind: try again.
        if (attempt_ < 3) {
          Spawn();
          continue;
        }
        ADD_FAILURE() << "etcd exited with status " << status << "; see its log";
        return nullptr;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    ADD_FAILURE() << "etcd did not answer within 10 s: " << last;
    return nullptr;
  }

 private:
  TempDir dir_;
  int client_port_ = 0;
  int attempt_ = 0;
  pid_t pid_ = 0;
};

// One fresh etcd per test, so that revisions start at 0.
class EtcdFactory {
 public:
  std::unique_ptr<Store> New() { return etcd_.Connect(); }

 private:
  EtcdProcess etcd_;
};
}  // namespace

namespace testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreTest, SqliteBackends);
INSTANTIATE_TYPED_TEST_SUITE_P(Etcd, StoreTest, ::testing::Types<EtcdFactory>);
}  // namespace testing

namespace {

TEST(PrefixEndTest, Increments) {
  EXPECT_EQ(PrefixEnd("/a/"), "/a0");
  EXPECT_EQ(PrefixEnd("a\xff"), "b");
  EXPECT_EQ(PrefixEnd("\xff\xff"), "");
  EXPECT_EQ(PrefixEnd(""), "");
}

TEST(SqliteStoreTest, ReopenKeepsValuesRevisionsAndHistory) {
  TempDir dir;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(dir.path());
    ASSERT_TRUE(s.ok()) << s.status();
    ASSERT_TRUE((*s)->Create("/a", "1").ok());
    ASSERT_TRUE((*s)->Create("/b", "2").ok());
    ASSERT_TRUE((*s)->Update("/a", "3", 1).ok());
    ASSERT_TRUE((*s)->Delete("/b").ok());
    ASSERT_TRUE((*s)->Compact(2).ok());
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(dir.path());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*(*s)->CurrentRevision(), 4);
  EXPECT_EQ(*(*s)->CompactedRevision(), 2);
  EXPECT_EQ((*s)->Get("/a")->value, "3");
  EXPECT_EQ((*s)->Get("/b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*s)->Watch("", 1).status().code(), absl::StatusCode::kOutOfRange);
  absl::StatusOr<std::unique_ptr<WatchStream>> w = (*s)->Watch("", 2);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(testing::TakeEvents(**w, 2).size(), 2u);
  EXPECT_EQ(*(*s)->Create("/c", "5"), 5);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/store.db"));
}

TEST(SqliteStoreTest, OpenFailsOnUnusableDirectory) {
  TempDir dir;
  const std::string file = dir.path() + "/not_a_dir";
  FILE* f = fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  EXPECT_FALSE(SqliteStore::Open(file + "/sub").ok());
}

// Two stores over one etcd, as two `dra server` replicas: each sees the other's writes, and
// conditional writes stay linearizable across them.
TEST(EtcdStoreTest, ReplicasShareRevisionsAndWatches) {
  EtcdProcess etcd;
  std::unique_ptr<EtcdStore> a = etcd.Connect();
  std::unique_ptr<EtcdStore> b = etcd.Connect();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = b->Watch("/r/", 0);
  ASSERT_TRUE(watch.ok()) << watch.status();
  EXPECT_EQ(*a->Create("/r/x", "1"), 1);
  EXPECT_EQ(b->Create("/r/x", "2").status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(*b->Update("/r/x", "2", 1), 2);
  EXPECT_EQ(a->Update("/r/x", "3", 1).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(a->Get("/r/x")->value, "2");
  EXPECT_EQ(*a->CurrentRevision(), 2);
  EXPECT_THAT(testing::TakeEvents(**watch, 2),
              ::testing::ElementsAre(WatchEvent{EventType::kAdded, "/r/x", "1", 1, 1},
                                     WatchEvent{EventType::kModified, "/r/x", "2", 2, 1}));
  ASSERT_TRUE(b->Compact(1).ok());
  EXPECT_EQ(*a->CompactedRevision(), 1);
  EXPECT_EQ(a->Watch("", 0).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(EtcdStoreTest, OpenFailsWhenEtcdIsDown) {
  absl::StatusOr<std::unique_ptr<EtcdStore>> store =
      EtcdStore::Open({.port = FreePort(), .timeout = absl::Seconds(1)});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << store.status();
}

// Child side of the crash test: writes keys forever, reporting each acknowledged one.
[[noreturn]] void WriteUntilKilled(const std::string& dir, int round, int ack_fd) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(dir);
  if (!s.ok()) _exit(2);
  for (int32_t i = 0;; ++i) {
    std::string key = dra::StrCat("/crash/", round, "/", i);
    if (!(*s)->Create(key, dra::StrCat("value-", i)).ok()) _exit(3);
    if (i % 7 == 0 && !(*s)->Update(key, "updated", *(*s)->CurrentRevision()).ok()) _exit(4);
    if (write(ack_fd, &i, sizeof(i)) != static_cast<ssize_t>(sizeof(i))) _exit(5);
  }
}

// Every write acknowledged before a SIGKILL is present after reopening, over several rounds.
TEST(SqliteStoreCrashTest, AcknowledgedWritesSurviveSigkill) {
  TempDir dir;
  int64_t total_acked = 0;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      WriteUntilKilled(dir.path(), round, fds[1]);
    }
    close(fds[1]);
    // Kill after a varying number of acknowledgements, mid-stream.
    const int kill_after = 200 + 150 * round;
    std::vector<int32_t> acked;
    int32_t i;
    while (read(fds[0], &i, sizeof(i)) == static_cast<ssize_t>(sizeof(i))) {
      acked.push_back(i);
      if (static_cast<int>(acked.size()) == kill_after) {
        ASSERT_EQ(kill(pid, SIGKILL), 0);
      }
    }
    close(fds[0]);
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "child exited on its own with status " << wstatus;
    ASSERT_GE(static_cast<int>(acked.size()), kill_after);
    total_acked += static_cast<int64_t>(acked.size());

    absl::StatusOr<std::unique_ptr<SqliteStore>> s = SqliteStore::Open(dir.path());
    ASSERT_TRUE(s.ok()) << s.status();
    for (int32_t key : acked) {
      absl::StatusOr<KeyValue> kv = (*s)->Get(dra::StrCat("/crash/", round, "/", key));
      ASSERT_TRUE(kv.ok()) << "acknowledged write " << key << " lost: " << kv.status();
      EXPECT_EQ(kv->value, key % 7 == 0 ? "updated" : dra::StrCat("value-", key));
    }
    absl::StatusOr<ListResult> list = (*s)->List(dra::StrCat("/crash/", round, "/"));
    ASSERT_TRUE(list.ok());
    // At most the one write in flight when killed may also have committed.
    EXPECT_GE(list->items.size(), acked.size());
    EXPECT_LE(list->items.size(), acked.size() + 1);
    // The history is intact: a watch from 0 replays one event per revision.
    absl::StatusOr<std::unique_ptr<WatchStream>> w = (*s)->Watch("", 0);
    ASSERT_TRUE(w.ok());
    const int64_t revision = *(*s)->CurrentRevision();
    std::vector<WatchEvent> events = testing::TakeEvents(**w, static_cast<int>(revision));
    ASSERT_EQ(static_cast<int64_t>(events.size()), revision);
    EXPECT_EQ(events.back().revision, revision);
  }
  EXPECT_GE(total_acked, 200 + 350 + 500);
}

}  // namespace
}  // namespace dra::store
