#include "dra/client/informer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/internal/test_server.h"

namespace dra::client {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

api::Value Lease(std::string_view name, std::string_view labels, std::string_view holder = "a") {
  absl::StatusOr<api::Value> v = api::ParseJson(dra::StrCat(
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":")", name,
      R"(","labels":)", labels, R"(},"spec":{"holderIdentity":")", holder, R"("}})"));
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : api::Value();
}

std::string Name(const api::Value& o) { return o.Find("metadata")->Find("name")->text(); }
std::string Holder(const api::Value& o) { return o.Find("spec")->Find("holderIdentity")->text(); }

absl::Time Soon() { return absl::Now() + absl::Seconds(5); }

// Records handler calls as "ADD x", "UPDATE x a->b", "DELETE x".
class Recorder {
 public:
  void Attach(Informer& informer) {
    informer.AddHandler([this](const api::Value& o) { Add(dra::StrCat("ADD ", Name(o))); },
                        [this](const api::Value& old, const api::Value& o) {
                          Add(dra::StrCat("UPDATE ", Name(o), " ", Holder(old), "->", Holder(o)));
                        },
                        [this](const api::Value& o) { Add(dra::StrCat("DELETE ", Name(o))); });
  }
  // Waits until `n` events were recorded (or 5 s passed); returns them all.
  std::vector<std::string> WaitFor(size_t n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return events_.size() >= n; };
    mu_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(5));
    return events_;
  }

 private:
  void Add(std::string e) {
    absl::MutexLock lock(&mu_);
    events_.push_back(std::move(e));
  }
  absl::Mutex mu_;
  std::vector<std::string> events_ ABSL_GUARDED_BY(mu_);
};

class InformerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ = new testing::TestServer(
        testing::ServerOptions{.tls = false, .bookmark_interval = absl::Milliseconds(200)});
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    client_ = server_.Client();
    ASSERT_NE(client_, nullptr);
  }

  static testing::TestServer* shared_;
  testing::TestServer& server_ = *shared_;
  std::unique_ptr<RestClient> client_;
};

testing::TestServer* InformerTest::shared_ = nullptr;

TEST_F(InformerTest, SyncThenEventsInOrder) {
  ASSERT_TRUE(
      client_
          ->Create(Namespaces(), "", *api::ParseJson(R"({"apiVersion":"v1","kind":"Namespace",
                               "metadata":{"name":"other"}})"))
          .ok());
  for (std::string name : {"s0", "s1", "s2"}) {
    ASSERT_TRUE(client_->Create(Leases(), "default", Lease(name, R"({"t":"sync"})")).ok());
  }
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("unlabelled", "{}")).ok());
  ASSERT_TRUE(client_->Create(Leases(), "other", Lease("elsewhere", R"({"t":"sync"})")).ok());

  InformerOptions options;
  options.ns = "default";
  options.label_selector = "t=sync";
  options.page_size = 2;  // the first list takes two pages
  Informer informer(client_.get(), Leases(), options);
  Recorder recorder;
  recorder.Attach(informer);
  EXPECT_FALSE(informer.HasSynced());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(Soon()));
  EXPECT_EQ(informer.list_count(), 1);
  EXPECT_THAT(recorder.WaitFor(3), ElementsAre("ADD s0", "ADD s1", "ADD s2"));
  ASSERT_THAT(informer.List(), SizeIs(3));
  EXPECT_EQ(Name(*informer.List()[0]), "s0");
  ASSERT_NE(informer.Get("default", "s1"), nullptr);
  EXPECT_EQ(informer.Get("default", "unlabelled"), nullptr);
  EXPECT_EQ(informer.Get("other", "elsewhere"), nullptr);
  EXPECT_FALSE(informer.LastSyncResourceVersion().empty());

  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("s3", R"({"t":"sync"})")).ok());
  ASSERT_TRUE(client_
                  ->Patch(Leases(), "default", "s0", PatchType::kMerge,
                          R"({"spec":{"holderIdentity":"b"}})")
                  .ok());
  absl::StatusOr<api::Value> deleted = client_->Delete(Leases(), "default", "s1");
  ASSERT_TRUE(deleted.ok());
  EXPECT_THAT(recorder.WaitFor(6),
              ElementsAre("ADD s0", "ADD s1", "ADD s2", "ADD s3", "UPDATE s0 a->b", "DELETE s1"));
  EXPECT_EQ(informer.Get("default", "s1"), nullptr);
  ASSERT_NE(informer.Get("default", "s0"), nullptr);
  EXPECT_EQ(Holder(*informer.Get("default", "s0")), "b");
  EXPECT_EQ(informer.LastSyncResourceVersion(), server_.CurrentResourceVersion());

  absl::Time start = absl::Now();
  informer.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  informer.Stop();  // idempotent
}

TEST_F(InformerTest, ClusterScopedAndHandlersMayReadTheCache) {
  ASSERT_TRUE(client_
                  ->Create(Nodes(), "", *api::ParseJson(R"({"apiVersion":"v1","kind":"Node",
                               "metadata":{"name":"node-a"}})"))
                  .ok());
  Informer informer(client_.get(), Nodes());
  std::vector<std::string> seen;
  absl::Notification added;
  informer.AddHandler(
      [&](const api::Value& o) {
        // The cache already holds the object when the handler runs.
        if (informer.Get("", Name(o)) != nullptr) seen.push_back(Name(o));
        if (Name(o) == "node-b") added.Notify();
      },
      nullptr, nullptr);
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(Soon()));
  ASSERT_TRUE(client_
                  ->Create(Nodes(), "", *api::ParseJson(R"({"apiVersion":"v1","kind":"Node",
                               "metadata":{"name":"node-b"}})"))
                  .ok());
  ASSERT_TRUE(added.WaitForNotificationWithTimeout(absl::Seconds(5)));
  informer.Stop();
  EXPECT_THAT(seen, ElementsAre("node-a", "node-b"));
  EXPECT_EQ(Informer::KeyOf(*informer.Get("", "node-a")), "node-a");
}

TEST_F(InformerTest, BookmarksAdvanceTheVersion) {
  InformerOptions options;
  options.label_selector = "t=bookmarks";
  Informer informer(client_.get(), Leases(), options);
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(Soon()));
  // Writes the informer does not see (other labels) still move its version, via bookmarks.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        client_->Create(Leases(), "default", Lease(dra::StrCat("bm", i), R"({"t":"x"})")).ok());
  }
  std::string current = server_.CurrentResourceVersion();
  absl::Time deadline = Soon();
  while (informer.LastSyncResourceVersion() != current && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(informer.LastSyncResourceVersion(), current);
  EXPECT_THAT(informer.List(), IsEmpty());
  EXPECT_EQ(informer.list_count(), 1);
}

TEST(InformerBackoffTest, UnreachableServer) {
  ClusterConfig config;
  config.server = "http://127.0.0.1:1";
  absl::StatusOr<std::unique_ptr<RestClient>> client = RestClient::Create(config);
  ASSERT_TRUE(client.ok());
  InformerOptions options;
  options.min_backoff = absl::Milliseconds(20);
  options.max_backoff = absl::Milliseconds(100);
  Informer informer(client->get(), Leases(), options);
  informer.Start();
  EXPECT_FALSE(informer.WaitForSync(absl::Now() + absl::Milliseconds(300)));
  EXPECT_TRUE(absl::IsUnavailable(informer.last_error())) << informer.last_error();
  absl::Time start = absl::Now();
  informer.Stop();
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
  EXPECT_FALSE(informer.WaitForSync(absl::InfiniteFuture()));  // stopped: returns at once
}

// A watch that ends while the informer is busy, then a compaction: the next watch gets 410, the
// informer lists again and delivers what it missed as differences.
TEST(InformerRelistTest, RelistAfterCompactionDeliversDifferences) {
  testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  std::unique_ptr<RestClient> client = server.Client();
  ASSERT_NE(client, nullptr);
  for (std::string name : {"a", "b", "trigger"}) {
    ASSERT_TRUE(client->Create(Leases(), "default", Lease(name, R"({"t":"relist"})")).ok());
  }

  InformerOptions options;
  options.label_selector = "t=relist";
  options.allow_bookmarks = false;
  options.watch_timeout = absl::Seconds(1);
  Informer informer(client.get(), Leases(), options);
  Recorder recorder;
  recorder.Attach(informer);
  absl::Notification blocked, release;
  informer.AddHandler(
      nullptr,
      [&](const api::Value&, const api::Value& o) {
        if (Name(o) == "trigger" && !blocked.HasBeenNotified()) {
          blocked.Notify();
          release.WaitForNotification();
        }
      },
      nullptr);
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(Soon()));
  EXPECT_THAT(recorder.WaitFor(3), ElementsAre("ADD a", "ADD b", "ADD trigger"));

  ASSERT_TRUE(client
                  ->Patch(Leases(), "default", "trigger", PatchType::kMerge,
                          R"({"spec":{"holderIdentity":"t"}})")
                  .ok());
  ASSERT_TRUE(blocked.WaitForNotificationWithTimeout(absl::Seconds(5)));
  // Wait for the server to end the informer's watch (timeoutSeconds=1).
  absl::Time deadline = Soon();
  while (server.server()->handler().open_watches() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(server.server()->handler().open_watches(), 0);
  // Changes the informer cannot see on that watch, then the history is gone.
  ASSERT_TRUE(client->Delete(Leases(), "default", "b").ok());
  ASSERT_TRUE(client->Create(Leases(), "default", Lease("c", R"({"t":"relist"})")).ok());
  ASSERT_TRUE(
      client
          ->Patch(Leases(), "default", "a", PatchType::kMerge, R"({"spec":{"holderIdentity":"z"}})")
          .ok());
  ASSERT_TRUE(server.CompactAll().ok());
  release.Notify();

  std::vector<std::string> events = recorder.WaitFor(7);
  ASSERT_THAT(events, SizeIs(7));
  EXPECT_EQ(events[3], "UPDATE trigger a->t");
  EXPECT_THAT(std::vector<std::string>(events.begin() + 4, events.end()),
              UnorderedElementsAre("UPDATE a a->z", "ADD c", "DELETE b"));
  EXPECT_EQ(informer.list_count(), 2);
  EXPECT_TRUE(absl::IsOutOfRange(informer.last_error())) << informer.last_error();
  std::vector<std::string> names;
  for (const Informer::ObjectPtr& o : informer.List()) names.push_back(Name(*o));
  EXPECT_THAT(names, ElementsAre("a", "c", "trigger"));
  EXPECT_EQ(informer.LastSyncResourceVersion(), server.CurrentResourceVersion());
  informer.Stop();
}

}  // namespace
}  // namespace dra::client
