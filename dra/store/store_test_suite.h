// The shared conformance suite every Store backend runs.
//
// A backend instantiates it with a factory type F that has a default constructor (preparing an
// empty, private backend: a temp directory, a fresh etcd key prefix...), a destructor cleaning it
// up, and `std::unique_ptr<dra::store::Store> New()` returning a store over it:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Types<SqliteFactory>);
#ifndef DRA_STORE_STORE_TEST_SUITE_H_
#define DRA_STORE_STORE_TEST_SUITE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "dra/base/strings.h"
#include "dra/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::store::testing {

// Takes `n` events, failing the test when one does not come within a generous timeout.
inline std::vector<WatchEvent> TakeEvents(WatchStream& stream, int n) {
  std::vector<WatchEvent> events;
  for (int i = 0; i < n; ++i) {
    absl::StatusOr<WatchEvent> event = stream.Next(absl::Now() + absl::Seconds(10));
    EXPECT_TRUE(event.ok()) << "event " << i << ": " << event.status();
    if (!event.ok()) break;
    events.push_back(*std::move(event));
  }
  return events;
}

// True when no event is queued right now.
inline bool NoPendingEvent(WatchStream& stream) {
  return stream.Next(absl::InfinitePast()).status().code() == absl::StatusCode::kDeadlineExceeded;
}

inline std::vector<std::string> Keys(const ListResult& result) {
  std::vector<std::string> keys;
  for (const KeyValue& kv : result.items) keys.push_back(kv.key);
  return keys;
}

template <typename Factory>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.New();
    ASSERT_NE(store_, nullptr);
  }

  Store& store() { return *store_; }

  Factory factory_;
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE_P(StoreTest);

TYPED_TEST_P(StoreTest, EmptyStore) {
  Store& s = this->store();
  EXPECT_EQ(*s.CurrentRevision(), 0);
  EXPECT_EQ(*s.CompactedRevision(), 0);
  EXPECT_EQ(s.Get("/a").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<ListResult> list = s.List("");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->items.empty());
  EXPECT_EQ(list->revision, 0);
  EXPECT_TRUE(list->continue_key.empty());
}

TYPED_TEST_P(StoreTest, CreateAndGet) {
  Store& s = this->store();
  absl::StatusOr<int64_t> rev = s.Create("/a", "one");
  ASSERT_TRUE(rev.ok()) << rev.status();
  EXPECT_EQ(*rev, 1);
  absl::StatusOr<KeyValue> kv = s.Get("/a");
  ASSERT_TRUE(kv.ok()) << kv.status();
  EXPECT_EQ(*kv, (KeyValue{.key = "/a", .value = "one", .create_revision = 1, .mod_revision = 1}));
  EXPECT_EQ(s.Create("/a", "again").status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(s.Get("/a")->value, "one");
  EXPECT_EQ(s.Get("/b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.Create("", "x").status().code(), absl::StatusCode::kInvalidArgument);

  // Empty values and arbitrary bytes round-trip.
  ASSERT_TRUE(s.Create("/empty", "").ok());
  EXPECT_EQ(s.Get("/empty")->value, "");
  const std::string binary_key("/bin\0\xff", 6);
  const std::string binary_value("\0\x01\xfe\xff", 4);
  ASSERT_TRUE(s.Create(binary_key, binary_value).ok());
  EXPECT_EQ(s.Get(binary_key)->value, binary_value);
  EXPECT_EQ(*s.CurrentRevision(), 3);
}

TYPED_TEST_P(StoreTest, UpdateChecksRevision) {
  Store& s = this->store();
  EXPECT_EQ(s.Update("/a", "x", 0).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(s.Create("/a", "v1").ok());
  absl::StatusOr<int64_t> stale = s.Update("/a", "v2", 7);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  absl::StatusOr<int64_t> rev = s.Update("/a", "v2", 1);
  ASSERT_TRUE(rev.ok()) << rev.status();
  EXPECT_EQ(*rev, 2);
  EXPECT_EQ(*s.Get("/a"),
            (KeyValue{.key = "/a", .value = "v2", .create_revision = 1, .mod_revision = 2}));
  // The old revision is now stale: a lost update is refused.
  EXPECT_EQ(s.Update("/a", "v3", 1).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(s.Get("/a")->value, "v2");
  // Failed writes do not consume revisions.
  EXPECT_EQ(*s.CurrentRevision(), 2);
}

TYPED_TEST_P(StoreTest, Delete) {
  Store& s = this->store();
  EXPECT_EQ(s.Delete("/a").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(s.Create("/a", "v1").ok());
  EXPECT_EQ(s.Delete("/a", 5).status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(s.Get("/a").ok());
  absl::StatusOr<DeleteResult> deleted = s.Delete("/a", 1);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->revision, 2);
  EXPECT_EQ(deleted->prev,
            (KeyValue{.key = "/a", .value = "v1", .create_revision = 1, .mod_revision = 1}));
  EXPECT_EQ(s.Get("/a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.Delete("/a").status().code(), absl::StatusCode::kNotFound);
  // Created again: a new create_revision.
  ASSERT_TRUE(s.Create("/a", "v2").ok());
  EXPECT_EQ(s.Get("/a")->create_revision, 3);
  // Unconditional delete.
  ASSERT_TRUE(s.Delete("/a").ok());
  EXPECT_EQ(*s.CurrentRevision(), 4);
}

TYPED_TEST_P(StoreTest, ListByPrefix) {
  Store& s = this->store();
  for (const char* key : {"/b/1", "/a/2", "/ab/1", "/a/1", "/a", "/c"}) {
    ASSERT_TRUE(s.Create(key, key).ok());
  }
  absl::StatusOr<ListResult> a = s.List("/a/");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_THAT(Keys(*a), ::testing::ElementsAre("/a/1", "/a/2"));
  EXPECT_EQ(a->revision, 6);
  EXPECT_EQ(a->items[0].value, "/a/1");
  EXPECT_THAT(Keys(*s.List("/a")), ::testing::ElementsAre("/a", "/a/1", "/a/2", "/ab/1"));
  EXPECT_THAT(Keys(*s.List("")),
              ::testing::ElementsAre("/a", "/a/1", "/a/2", "/ab/1", "/b/1", "/c"));
  EXPECT_TRUE(s.List("/z")->items.empty());
  EXPECT_EQ(s.List("", ListOptions{.limit = -1}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TYPED_TEST_P(StoreTest, ListPaginatesOverOneSnapshot) {
  Store& s = this->store();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(s.Create(dra::StrCat("/p/", i), "v").ok());
  ASSERT_TRUE(s.Create("/q", "outside").ok());
  std::vector<std::string> seen;
  ListOptions options{.limit = 3};
  int pages = 0;
  int64_t snapshot = 0;
  while (true) {
    absl::StatusOr<ListResult> page = s.List("/p/", options);
    ASSERT_TRUE(page.ok()) << page.status();
    if (pages == 0) {
      snapshot = page->revision;
      // Writes after the first page do not show in later pages.
      ASSERT_TRUE(s.Create("/p/99", "late").ok());
      ASSERT_TRUE(s.Delete("/p/5").ok());
    } else {
      EXPECT_EQ(page->revision, snapshot);
    }
    ++pages;
    EXPECT_LE(page->items.size(), 3u);
    for (const KeyValue& kv : page->items) seen.push_back(kv.key);
    if (page->continue_key.empty()) break;
    options.continue_key = page->continue_key;
    options.at_revision = page->revision;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_THAT(seen, ::testing::ElementsAre("/p/0", "/p/1", "/p/2", "/p/3", "/p/4", "/p/5", "/p/6",
                                           "/p/7", "/p/8", "/p/9"));
  // A limit equal to the number of items needs no continuation.
  absl::StatusOr<ListResult> exact = s.List("/p/", ListOptions{.limit = 10});
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->items.size(), 10u);
  EXPECT_TRUE(exact->continue_key.empty());
}

TYPED_TEST_P(StoreTest, ListAtRevision) {
  Store& s = this->store();
  ASSERT_TRUE(s.Create("/k/a", "a1").ok());     // 1
  ASSERT_TRUE(s.Create("/k/b", "b1").ok());     // 2
  ASSERT_TRUE(s.Update("/k/a", "a2", 1).ok());  // 3
  ASSERT_TRUE(s.Delete("/k/b").ok());           // 4
  ASSERT_TRUE(s.Create("/k/c", "c1").ok());     // 5
  ASSERT_TRUE(s.Create("/k/b", "b2").ok());     // 6
  ASSERT_TRUE(s.Create("/other", "o").ok());    // 7

  auto at = [&](int64_t rev) {
    absl::StatusOr<ListResult> r = s.List("/k/", ListOptions{.at_revision = rev});
    EXPECT_TRUE(r.ok()) << r.status();
    if (r.ok()) {
      EXPECT_EQ(r->revision, rev);
    }
    return r.ok() ? r->items : std::vector<KeyValue>{};
  };
  EXPECT_THAT(at(0), ::testing::IsEmpty());
  EXPECT_THAT(at(2),
              ::testing::ElementsAre(KeyValue{"/k/a", "a1", 1, 1}, KeyValue{"/k/b", "b1", 2, 2}));
  EXPECT_THAT(at(3),
              ::testing::ElementsAre(KeyValue{"/k/a", "a2", 1, 3}, KeyValue{"/k/b", "b1", 2, 2}));
  EXPECT_THAT(at(4), ::testing::ElementsAre(KeyValue{"/k/a", "a2", 1, 3}));
  EXPECT_THAT(at(5),
              ::testing::ElementsAre(KeyValue{"/k/a", "a2", 1, 3}, KeyValue{"/k/c", "c1", 5, 5}));
  EXPECT_THAT(at(7),
              ::testing::ElementsAre(KeyValue{"/k/a", "a2", 1, 3}, KeyValue{"/k/b", "b2", 6, 6},
                                     KeyValue{"/k/c", "c1", 5, 5}));
  // Pagination at a past revision.
  absl::StatusOr<ListResult> page =
      s.List("/k/", ListOptions{.at_revision = 3, .limit = 1, .continue_key = "/k/a"});
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Keys(*page), ::testing::ElementsAre("/k/b"));
  EXPECT_TRUE(page->continue_key.empty());
  EXPECT_EQ(s.List("/k/", ListOptions{.at_revision = 8}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TYPED_TEST_P(StoreTest, WatchReplaysHistoryThenFollows) {
  Store& s = this->store();
  ASSERT_TRUE(s.Create("/w/a", "a1").ok());     // 1
  ASSERT_TRUE(s.Create("/x/other", "o").ok());  // 2
  ASSERT_TRUE(s.Update("/w/a", "a2", 1).ok());  // 3
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = s.Watch("/w/", 1);
  ASSERT_TRUE(watch.ok()) << watch.status();
  WatchStream& w = **watch;
  EXPECT_THAT(TakeEvents(w, 1),
              ::testing::ElementsAre(WatchEvent{EventType::kModified, "/w/a", "a2", 3, 1}));
  EXPECT_TRUE(NoPendingEvent(w));

  ASSERT_TRUE(s.Create("/w/b", "b1").ok());  // 4
  ASSERT_TRUE(s.Create("/x/y", "y").ok());   // 5 (other prefix)
  ASSERT_TRUE(s.Delete("/w/a", 3).ok());     // 6
  EXPECT_THAT(TakeEvents(w, 2),
              ::testing::ElementsAre(WatchEvent{EventType::kAdded, "/w/b", "b1", 4, 4},
                                     WatchEvent{EventType::kDeleted, "/w/a", "a2", 6, 1}));
  EXPECT_TRUE(NoPendingEvent(w));

  // From the current revision: only what comes next. From 0: the whole history.
  absl::StatusOr<std::unique_ptr<WatchStream>> now = s.Watch("", *s.CurrentRevision());
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(NoPendingEvent(**now));
  absl::StatusOr<std::unique_ptr<WatchStream>> all = s.Watch("", 0);
  ASSERT_TRUE(all.ok());
  std::vector<WatchEvent> history = TakeEvents(**all, 6);
  ASSERT_EQ(history.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(history[i].revision, i + 1);
  EXPECT_EQ(EventTypeName(history[0].type), "ADDED");
  EXPECT_EQ(EventTypeName(history[2].type), "MODIFIED");
  EXPECT_EQ(EventTypeName(history[5].type), "DELETED");

  EXPECT_EQ(s.Watch("", 7).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.Watch("", -1).status().code(), absl::StatusCode::kInvalidArgument);
}

TYPED_TEST_P(StoreTest, MultipleWatchersSeeTheSameOrder) {
  Store& s = this->store();
  std::vector<std::unique_ptr<WatchStream>> watchers;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<std::unique_ptr<WatchStream>> w = s.Watch("/m/", 0);
    ASSERT_TRUE(w.ok()) << w.status();
    watchers.push_back(*std::move(w));
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(s.Create(dra::StrCat("/m/", i), "v").ok());
  // A cancelled watcher stops receiving; the others are unaffected.
  watchers[4]->Cancel();
  ASSERT_TRUE(s.Update("/m/0", "v2", 1).ok());
  std::vector<WatchEvent> first = TakeEvents(*watchers[0], 21);
  ASSERT_EQ(first.size(), 21u);
  for (size_t i = 0; i < first.size(); ++i)
    EXPECT_EQ(first[i].revision, static_cast<int64_t>(i + 1));
  for (int i = 1; i < 4; ++i) EXPECT_EQ(TakeEvents(*watchers[i], 21), first);
  EXPECT_EQ(TakeEvents(*watchers[4], 20).size(), 20u);
  EXPECT_EQ(watchers[4]->Next(absl::InfiniteFuture()).status().code(),
            absl::StatusCode::kCancelled);
}

TYPED_TEST_P(StoreTest, WatchStreamOutlivesStore) {
  absl::StatusOr<std::unique_ptr<WatchStream>> w = this->store().Watch("", 0);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(this->store().Create("/a", "v").ok());
  this->store_.reset();
  EXPECT_EQ(TakeEvents(**w, 1).size(), 1u);
  EXPECT_EQ((*w)->Next(absl::Now() + absl::Seconds(10)).status().code(),
            absl::StatusCode::kCancelled);
}

TYPED_TEST_P(StoreTest, CompactionMakesOldRevisionsTooOld) {
  Store& s = this->store();
  ASSERT_TRUE(s.Create("/c/a", "a1").ok());     // 1
  ASSERT_TRUE(s.Create("/c/b", "b1").ok());     // 2
  ASSERT_TRUE(s.Update("/c/a", "a2", 1).ok());  // 3
  ASSERT_TRUE(s.Delete("/c/b").ok());           // 4
  absl::StatusOr<std::unique_ptr<WatchStream>> running = s.Watch("/c/", 0);
  ASSERT_TRUE(running.ok());

  EXPECT_EQ(s.Compact(5).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(s.Compact(3).ok());
  EXPECT_EQ(*s.CompactedRevision(), 3);
  EXPECT_TRUE(s.Compact(2).ok());  // Older: a no-op.
  EXPECT_EQ(*s.CompactedRevision(), 3);

  absl::StatusOr<std::unique_ptr<WatchStream>> old = s.Watch("/c/", 2);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(old.status().message()),
              ::testing::HasSubstr("too old resource version"));
  EXPECT_EQ(s.List("/c/", ListOptions{.at_revision = 2}).status().code(),
            absl::StatusCode::kOutOfRange);

  // At or after the compacted revision still works.
  absl::StatusOr<ListResult> at3 = s.List("/c/", ListOptions{.at_revision = 3});
  ASSERT_TRUE(at3.ok()) << at3.status();
  EXPECT_THAT(Keys(*at3), ::testing::ElementsAre("/c/a", "/c/b"));
  absl::StatusOr<std::unique_ptr<WatchStream>> from3 = s.Watch("/c/", 3);
  ASSERT_TRUE(from3.ok()) << from3.status();
  EXPECT_THAT(TakeEvents(**from3, 1),
              ::testing::ElementsAre(WatchEvent{EventType::kDeleted, "/c/b", "b1", 4, 2}));
  // Current values survive; the running watch keeps everything it was sent.
  EXPECT_EQ(s.Get("/c/a")->value, "a2");
  EXPECT_EQ(TakeEvents(**running, 4).size(), 4u);

  // Compacting everything keeps the revision counter.
  ASSERT_TRUE(s.Compact(4).ok());
  EXPECT_EQ(*s.CurrentRevision(), 4);
  EXPECT_EQ(*s.Create("/c/z", "z"), 5);
}

TYPED_TEST_P(StoreTest, WatchCancelAndPoll) {
  absl::StatusOr<std::unique_ptr<WatchStream>> w = this->store().Watch("", 0);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->Next(absl::InfinitePast()).status().code(), absl::StatusCode::kDeadlineExceeded);
  std::thread canceller([&] { (*w)->Cancel(); });
  EXPECT_EQ((*w)->Next(absl::InfiniteFuture()).status().code(), absl::StatusCode::kCancelled);
  canceller.join();
  (*w)->Cancel();
  ASSERT_TRUE(this->store().Create("/a", "v").ok());
  EXPECT_EQ((*w)->Next(absl::InfinitePast()).status().code(), absl::StatusCode::kCancelled);
}

TYPED_TEST_P(StoreTest, ConcurrentWriters) {
  Store& s = this->store();
  constexpr int kThreads = 8;
  constexpr int kKeysPerThread = 50;
  constexpr int kIncrementsPerThread = 25;
  ASSERT_TRUE(s.Create("/counter", "0").ok());
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = s.Watch("", 1);
  ASSERT_TRUE(watch.ok());
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeysPerThread; ++i) {
        EXPECT_TRUE(s.Create(dra::StrCat("/t/", t, "/", i), "v").ok());
      }
      // Read-modify-write with optimistic concurrency: retry on Aborted.
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        while (true) {
          absl::StatusOr<KeyValue> kv = s.Get("/counter");
          ASSERT_TRUE(kv.ok());
          int value = std::stoi(kv->value);
          absl::StatusOr<int64_t> rev =
              s.Update("/counter", std::to_string(value + 1), kv->mod_revision);
          if (rev.ok()) break;
          ASSERT_EQ(rev.status().code(), absl::StatusCode::kAborted) << rev.status();
          ++conflicts;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  constexpr int kWrites = kThreads * (kKeysPerThread + kIncrementsPerThread);
  EXPECT_EQ(s.Get("/counter")->value, std::to_string(kThreads * kIncrementsPerThread));
  EXPECT_EQ(*s.CurrentRevision(), 1 + kWrites);
  EXPECT_EQ(s.List("/t/")->items.size(), static_cast<size_t>(kThreads * kKeysPerThread));
  std::vector<WatchEvent> events = TakeEvents(**watch, kWrites);
  ASSERT_EQ(events.size(), static_cast<size_t>(kWrites));
  for (int i = 0; i < kWrites; ++i) EXPECT_EQ(events[i].revision, i + 2);
  EXPECT_TRUE(NoPendingEvent(**watch));
}

REGISTER_TYPED_TEST_SUITE_P(StoreTest, EmptyStore, CreateAndGet, UpdateChecksRevision, Delete,
                            ListByPrefix, ListPaginatesOverOneSnapshot, ListAtRevision,
                            WatchReplaysHistoryThenFollows, MultipleWatchersSeeTheSameOrder,
                            WatchStreamOutlivesStore, CompactionMakesOldRevisionsTooOld,
                            WatchCancelAndPoll, ConcurrentWriters);

}  // namespace dra::store::testing

#endif  // DRA_STORE_STORE_TEST_SUITE_H_
