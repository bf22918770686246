#include "dra/store/store.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "dra/base/strings.h"
#include "dra/store/sqlite_store.h"
#include "dra/store/store_test_suite.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::store {
namespace {

// A fresh directory under the test temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = dra::StrCat(::testing::TempDir(), "/dra_store_XXXXXX");
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
}  // namespace

namespace testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreTest, SqliteBackends);
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
