#include "dra/cli/loopback_transport.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/informer.h"
#include "dra/client/internal/test_server.h"
#include "dra/client/resource_ref.h"
#include "dra/client/rest_client.h"

namespace dra::cli {
namespace {

using api::Value;
using client::WatchEvent;

Value Json(std::string_view text) {
  absl::StatusOr<Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value::Object();
}

Value Claim(std::string_view name, std::string_view label = "a") {
  return Json(dra::StrCat(
      R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim","metadata":{"name":")", name,
      R"(","labels":{"tier":")", label,
      R"("}},"spec":{"devices":{"requests":[{"name":"r","exactly":{"deviceClassName":"c"}}]}}})"));
}

std::string Name(const Value& object) {
  const Value* meta = object.Find("metadata");
  const Value* name = meta != nullptr ? meta->Find("name") : nullptr;
  return name != nullptr && name->is_string() ? name->text() : "";
}

absl::Time Soon() { return absl::Now() + absl::Seconds(5); }

class LoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    loopback_ = std::make_unique<LoopbackTransport>(&server_.server()->handler());
    client_ = server_.Client({.user_agent = "loopback-test", .transport = loopback_.get()});
    ASSERT_NE(client_, nullptr);
  }

  client::testing::TestServer server_;
  std::unique_ptr<LoopbackTransport> loopback_;
  std::unique_ptr<client::RestClient> client_;
};

TEST(LoopbackRequestTest, DecodesPathAndQuery) {
  apiserver::Request r = LoopbackRequest(
      {.method = "GET",
       .path_and_query = "/api/v1/namespaces/a%2Db/pods?labelSelector=app%3Dx%2Cy+z&watch=true&"
                         "&flag&bad=%zz",
       .user_agent = "ua"});
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/api/v1/namespaces/a-b/pods");
  ASSERT_EQ(r.query.size(), 4u);
  EXPECT_EQ(r.query[0], (std::pair<std::string, std::string>{"labelSelector", "app=x,y z"}));
  EXPECT_EQ(r.query[1], (std::pair<std::string, std::string>{"watch", "true"}));
  EXPECT_EQ(r.query[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(r.query[3], (std::pair<std::string, std::string>{"bad", "%zz"}));
  EXPECT_EQ(r.accept, "application/json");
  EXPECT_EQ(r.user_agent, "ua");
}

TEST_F(LoopbackTest, VerbsAndErrorsAsOverHttp) {
  absl::StatusOr<Value> created = client_->Create(client::ResourceClaims(), "default", Claim("x"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(Name(*created), "x");
  absl::StatusOr<Value> again = client_->Create(client::ResourceClaims(), "default", Claim("x"));
  EXPECT_TRUE(absl::IsAlreadyExists(again.status())) << again.status();
  absl::StatusOr<Value> missing = client_->Get(client::ResourceClaims(), "default", "nope");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_NE(missing.status().message().find("\"nope\" not found"), std::string::npos);

  ASSERT_TRUE(client_->Create(client::ResourceClaims(), "default", Claim("y", "b")).ok());
  absl::StatusOr<client::ListResult> listed =
      client_->List(client::ResourceClaims(), "default", {.label_selector = "tier in (b)"});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(Name(listed->items[0]), "y");

  // A stale resourceVersion is a conflict.
  Value stale = *created;
  stale.FindMutable("metadata")->Set("labels", Json(R"({"tier":"c"})"));
  ASSERT_TRUE(client_->Update(client::ResourceClaims(), "default", stale).ok());
  absl::StatusOr<Value> conflict = client_->Update(client::ResourceClaims(), "default", stale);
  EXPECT_TRUE(absl::IsAborted(conflict.status())) << conflict.status();

  // Validation errors name the field, as over HTTP.
  Value bad = Claim("z");
  bad.FindMutable("spec")->Set("devices", Json(R"({"requests":[{"name":"r"}]})"));
  absl::StatusOr<Value> invalid = client_->Create(client::ResourceClaims(), "default", bad);
  EXPECT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("spec.devices.requests[0]"), std::string::npos)
      << invalid.status();

  absl::StatusOr<Value> deleted = client_->Delete(client::ResourceClaims(), "default", "x");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(absl::IsNotFound(client_->Get(client::ResourceClaims(), "default", "x").status()));
}

TEST_F(LoopbackTest, WatchDeliversSharedObjects) {
  absl::StatusOr<std::unique_ptr<client::WatchStream>> first =
      client_->Watch(client::ResourceClaims(), "", {.resource_version = "1"});
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<client::WatchStream>> second =
      client_->Watch(client::ResourceClaims(), "", {.resource_version = "1"});
  ASSERT_TRUE(second.ok()) << second.status();

  ASSERT_TRUE(client_->Create(client::ResourceClaims(), "default", Claim("w")).ok());
  absl::StatusOr<WatchEvent> a = (*first)->Next(Soon());
  absl::StatusOr<WatchEvent> b = (*second)->Next(Soon());
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->type, WatchEvent::Type::kAdded);
  EXPECT_EQ(Name(*a->object), "w");
  // One decoded object for both watches: no copy, no JSON.
  EXPECT_EQ(a->object.get(), b->object.get());
  EXPECT_FALSE(a->ResourceVersion().empty());

  ASSERT_TRUE(client_->Delete(client::ResourceClaims(), "default", "w").ok());
  absl::StatusOr<WatchEvent> gone = (*first)->Next(Soon());
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_EQ(gone->type, WatchEvent::Type::kDeleted);

  // Nothing more: DeadlineExceeded, and the stream goes on.
  absl::StatusOr<WatchEvent> idle = (*first)->Next(absl::Now() + absl::Milliseconds(50));
  EXPECT_TRUE(absl::IsDeadlineExceeded(idle.status())) << idle.status();
}

TEST_F(LoopbackTest, WatchErrorsAndEnd) {
  // A label selector the server rejects fails the watch call itself.
  absl::StatusOr<std::unique_ptr<client::WatchStream>> bad =
      client_->Watch(client::ResourceClaims(), "", {.label_selector = "a in ("});
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status())) << bad.status();

  // timeoutSeconds: the server ends the watch.
  absl::StatusOr<std::unique_ptr<client::WatchStream>> timed =
      client_->Watch(client::ResourceClaims(), "", {.timeout = absl::Seconds(1)});
  ASSERT_TRUE(timed.ok()) << timed.status();
  absl::StatusOr<WatchEvent> end = (*timed)->Next(absl::Now() + absl::Seconds(10));
  EXPECT_TRUE(absl::IsCancelled(end.status())) << end.status();
  EXPECT_EQ(end.status().message(), "watch ended by the server");
}

TEST_F(LoopbackTest, CancelWakesABlockedNext) {
  absl::StatusOr<std::unique_ptr<client::WatchStream>> watch =
      client_->Watch(client::ResourceClaims(), "", {.resource_version = "1"});
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::Time start = absl::Now();
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(100));
    (*watch)->Cancel();
  });
  absl::StatusOr<WatchEvent> event = (*watch)->Next(absl::InfiniteFuture());
  canceller.join();
  EXPECT_TRUE(absl::IsCancelled(event.status())) << event.status();
  EXPECT_EQ(event.status().message(), "watch cancelled");
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // Every later call says the same.
  EXPECT_TRUE(absl::IsCancelled((*watch)->Next(absl::InfinitePast()).status()));
}

TEST_F(LoopbackTest, InformerSyncsAndFollows) {
  ASSERT_TRUE(client_->Create(client::ResourceClaims(), "default", Claim("before")).ok());
  client::Informer informer(client_.get(), client::ResourceClaims());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(Soon()));
  EXPECT_NE(informer.Get("default", "before"), nullptr);
  ASSERT_TRUE(client_->Create(client::ResourceClaims(), "default", Claim("after")).ok());
  absl::Time deadline = Soon();
  while (informer.Get("default", "after") == nullptr && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_NE(informer.Get("default", "after"), nullptr);
  informer.Stop();
}

}  // namespace
}  // namespace dra::cli
