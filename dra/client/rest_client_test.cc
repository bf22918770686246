#include "dra/client/rest_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/errors.h"
#include "dra/client/internal/test_server.h"

namespace dra::client {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

api::Value Json(std::string_view text) {
  absl::StatusOr<api::Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << " in " << text;
  return v.ok() ? *v : api::Value();
}

api::Value Lease(std::string_view name, std::string_view holder = "a",
                 std::string_view labels = "{}") {
  return Json(dra::StrCat(
      R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":")", name,
      R"(","labels":)", labels, R"(},"spec":{"holderIdentity":")", holder, R"("}})"));
}

std::string Meta(const api::Value& o, std::string_view key) {
  const api::Value* m = o.Find("metadata");
  const api::Value* v = m != nullptr ? m->Find(key) : nullptr;
  return v != nullptr && v->is_string() ? v->text() : "";
}

std::string Holder(const api::Value& o) {
  const api::Value* s = o.Find("spec");
  const api::Value* h = s != nullptr ? s->Find("holderIdentity") : nullptr;
  return h != nullptr ? h->text() : "";
}

class RestClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.status().ok()) << server_.status();
    client_ = server_.Client();
    ASSERT_NE(client_, nullptr);
  }

  testing::TestServer server_;
  std::unique_ptr<RestClient> client_;
};

TEST_F(RestClientTest, CreateGetUpdateDelete) {
  absl::StatusOr<api::Value> created = client_->Create(Leases(), "default", Lease("l1"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(Meta(*created, "uid").empty());
  EXPECT_FALSE(Meta(*created, "resourceVersion").empty());

  absl::StatusOr<api::Value> got = client_->Get(Leases(), "default", "l1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(Meta(*got, "uid"), Meta(*created, "uid"));

  api::Value changed = *got;
  changed.FindMutable("spec")->Set("holderIdentity", api::Value::String("b"));
  absl::StatusOr<api::Value> updated = client_->Update(Leases(), "", changed);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(Holder(*updated), "b");
  EXPECT_NE(Meta(*updated, "resourceVersion"), Meta(*got, "resourceVersion"));

  // The stale resourceVersion of `got` conflicts: 409 Conflict -> Aborted.
  absl::StatusOr<api::Value> stale = client_->Update(Leases(), "default", changed);
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  EXPECT_THAT(stale.status().message(),
              HasSubstr(R"(Operation cannot be fulfilled on leases.coordination.k8s.io "l1")"));
  EXPECT_EQ(ReasonOf(stale.status()), "Conflict");
  EXPECT_EQ(HttpCodeOf(stale.status()), 409);

  absl::StatusOr<api::Value> deleted = client_->Delete(Leases(), "default", "l1");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  absl::StatusOr<api::Value> gone = client_->Get(Leases(), "default", "l1");
  EXPECT_TRUE(absl::IsNotFound(gone.status())) << gone.status();
  EXPECT_EQ(gone.status().message(), R"(leases.coordination.k8s.io "l1" not found)");
  std::optional<api::Value> doc = StatusDocumentOf(gone.status());
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->Find("kind")->text(), "Status");
  EXPECT_EQ(ReasonOf(gone.status()), "NotFound");
  EXPECT_EQ(HttpCodeOf(gone.status()), 404);
}

TEST_F(RestClientTest, ErrorCodes) {
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("dup")).ok());
  absl::StatusOr<api::Value> again = client_->Create(Leases(), "default", Lease("dup"));
  EXPECT_TRUE(absl::IsAlreadyExists(again.status())) << again.status();
  EXPECT_EQ(again.status().message(), R"(leases.coordination.k8s.io "dup" already exists)");

  absl::StatusOr<api::Value> invalid = client_->Create(Leases(), "default", Lease("Bad_Name"));
  EXPECT_TRUE(absl::IsFailedPrecondition(invalid.status())) << invalid.status();
  EXPECT_THAT(invalid.status().message(), HasSubstr(R"("Bad_Name" is invalid)"));
  EXPECT_EQ(HttpCodeOf(invalid.status()), 422);
  EXPECT_EQ(ReasonOf(invalid.status()), "Invalid");

  ListOptions bad;
  bad.label_selector = "a in (";
  absl::StatusOr<ListResult> listed = client_->List(Leases(), "default", bad);
  EXPECT_TRUE(absl::IsInvalidArgument(listed.status())) << listed.status();
  EXPECT_EQ(HttpCodeOf(listed.status()), 400);

  absl::StatusOr<api::Value> no_ns = client_->Create(Leases(), "nope", Lease("x"));
  EXPECT_TRUE(absl::IsNotFound(no_ns.status())) << no_ns.status();

  // Requests that never reach the server: missing name, unreachable server.
  EXPECT_TRUE(absl::IsInvalidArgument(client_->Get(Leases(), "default", "").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(client_->Get(Leases(), "", "dup").status()));
  EXPECT_TRUE(client_->Get(Nodes(), "ignored", "missing").status().code() ==
              absl::StatusCode::kNotFound);
  ClusterConfig down = server_.config();
  down.server = "http://127.0.0.1:1";
  absl::StatusOr<std::unique_ptr<RestClient>> offline = RestClient::Create(down);
  ASSERT_TRUE(offline.ok());
  absl::StatusOr<api::Value> refused = (*offline)->Get(Leases(), "default", "dup");
  EXPECT_TRUE(absl::IsUnavailable(refused.status())) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("127.0.0.1:1"));
}

TEST_F(RestClientTest, CreateOptions) {
  WriteOptions dry;
  dry.dry_run = true;
  absl::StatusOr<api::Value> created = client_->Create(Leases(), "default", Lease("dry"), dry);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(absl::IsNotFound(client_->Get(Leases(), "default", "dry").status()));

  WriteOptions manager;
  manager.field_manager = "my-manager";
  created = client_->Create(Leases(), "default", Lease("managed"), manager);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(api::WriteJson(*created), HasSubstr(R"("manager":"my-manager")"));
}

TEST_F(RestClientTest, Pagination) {
  for (int i = 0; i < 23; ++i) {
    ASSERT_TRUE(
        client_->Create(Leases(), "default", Lease(dra::StrCat("p", i), "a", R"({"set":"p"})"))
            .ok());
  }
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("other")).ok());

  ListOptions page;
  page.limit = 10;
  page.label_selector = "set=p";
  absl::StatusOr<ListResult> first = client_->List(Leases(), "default", page);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->items, SizeIs(10));
  EXPECT_FALSE(first->continue_token.empty());
  EXPECT_FALSE(first->resource_version.empty());
  // Items carry apiVersion and kind.
  EXPECT_EQ(first->items[0].Find("kind")->text(), "Lease");

  page.limit = 7;
  absl::StatusOr<ListResult> all = client_->ListAll(Leases(), "default", page);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(all->items, SizeIs(23));
  EXPECT_TRUE(all->continue_token.empty());

  // All namespaces; field selector.
  absl::StatusOr<ListResult> everywhere = client_->ListAll(Leases(), "");
  ASSERT_TRUE(everywhere.ok()) << everywhere.status();
  EXPECT_THAT(everywhere->items, SizeIs(24));
  ListOptions by_name;
  by_name.field_selector = "metadata.name=p3";
  absl::StatusOr<ListResult> one = client_->List(Leases(), "default", by_name);
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_THAT(one->items, SizeIs(1));
  EXPECT_EQ(Meta(one->items[0], "name"), "p3");
}

TEST_F(RestClientTest, PatchTypes) {
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("pt")).ok());

  absl::StatusOr<api::Value> merged = client_->Patch(Leases(), "default", "pt", PatchType::kMerge,
                                                     R"({"metadata":{"labels":{"m":"1"}}})");
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_THAT(api::WriteJson(*merged), HasSubstr(R"("m":"1")"));

  absl::StatusOr<api::Value> strategic =
      client_->Patch(Leases(), "default", "pt", PatchType::kStrategicMerge,
                     Json(R"({"metadata":{"labels":{"s":"2"}}})"));
  ASSERT_TRUE(strategic.ok()) << strategic.status();
  EXPECT_THAT(api::WriteJson(*strategic), HasSubstr(R"("s":"2")"));

  absl::StatusOr<api::Value> json =
      client_->Patch(Leases(), "default", "pt", PatchType::kJson,
                     R"([{"op":"replace","path":"/spec/holderIdentity","value":"j"}])");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(Holder(*json), "j");

  PatchOptions apply;
  apply.field_manager = "tester";
  std::string body = R"(apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: pt
  namespace: default
spec:
  holderIdentity: applied
)";
  absl::StatusOr<api::Value> applied =
      client_->Patch(Leases(), "default", "pt", PatchType::kApply, body, "", apply);
  // holderIdentity is owned by the JSON patch's manager: a conflict without force.
  EXPECT_TRUE(absl::IsAborted(applied.status())) << applied.status();
  apply.force = true;
  applied = client_->Patch(Leases(), "default", "pt", PatchType::kApply, body, "", apply);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(Holder(*applied), "applied");

  // Apply needs a field manager.
  absl::StatusOr<api::Value> unmanaged =
      client_->Patch(Leases(), "default", "pt", PatchType::kApply, body);
  EXPECT_FALSE(unmanaged.ok());

  absl::StatusOr<api::Value> bad_json =
      client_->Patch(Leases(), "default", "pt", PatchType::kJson, R"({"not":"a list"})");
  EXPECT_FALSE(bad_json.ok());
  EXPECT_NE(HttpCodeOf(bad_json.status()), 0);
}

TEST_F(RestClientTest, PodStatusAndBinding) {
  api::Value pod = Json(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
      "spec":{"containers":[{"name":"c","image":"busybox"}]}})");
  ASSERT_TRUE(client_->Create(Pods(), "default", pod).ok());
  ASSERT_TRUE(client_
                  ->Create(Nodes(), "", Json(R"({"apiVersion":"v1","kind":"Node",
      "metadata":{"name":"n1"}})"))
                  .ok());

  absl::Status bound = client_->Bind("default", "p", "n1");
  ASSERT_TRUE(bound.ok()) << bound;
  absl::StatusOr<api::Value> got = client_->Get(Pods(), "default", "p");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->Find("spec")->Find("nodeName")->text(), "n1");
  // A second binding conflicts.
  EXPECT_FALSE(client_->Bind("default", "p", "n1").ok());

  api::Value with_status = *got;
  with_status.Set("status", Json(R"({"phase":"Running"})"));
  absl::StatusOr<api::Value> updated = client_->UpdateStatus(Pods(), "default", with_status);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->Find("status")->Find("phase")->text(), "Running");

  absl::StatusOr<api::Value> patched = client_->Patch(
      Pods(), "default", "p", PatchType::kMerge, R"({"status":{"phase":"Succeeded"}})", "status");
  ASSERT_TRUE(patched.ok()) << patched.status();
  EXPECT_EQ(patched->Find("status")->Find("phase")->text(), "Succeeded");
}

TEST_F(RestClientTest, DeleteOptions) {
  absl::StatusOr<api::Value> created = client_->Create(Leases(), "default", Lease("d"));
  ASSERT_TRUE(created.ok());

  DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "not-the-uid";
  absl::StatusOr<api::Value> refused = client_->Delete(Leases(), "default", "d", wrong_uid);
  EXPECT_TRUE(absl::IsAborted(refused.status())) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("Precondition failed"));

  DeleteOptions dry;
  dry.dry_run = true;
  dry.propagation_policy = "Background";
  ASSERT_TRUE(client_->Delete(Leases(), "default", "d", dry).ok());
  EXPECT_TRUE(client_->Get(Leases(), "default", "d").ok());

  DeleteOptions exact;
  exact.precondition_uid = Meta(*created, "uid");
  exact.precondition_resource_version = Meta(*created, "resourceVersion");
  exact.grace_period_seconds = 0;
  absl::StatusOr<api::Value> deleted = client_->Delete(Leases(), "default", "d", exact);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(absl::IsNotFound(client_->Delete(Leases(), "default", "d").status()));
}

TEST_F(RestClientTest, RawRequest) {
  absl::StatusOr<api::Value> version = client_->RequestJson("GET", "/version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_NE(version->Find("gitVersion"), nullptr);
  absl::StatusOr<api::Value> missing = client_->RequestJson("GET", "/apis/nope.example/v1");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
}

TEST_F(RestClientTest, ConcurrentRequestsShareThePool) {
  RestClientOptions options;
  options.max_connections = 3;
  std::unique_ptr<RestClient> client = server_.Client(options);
  ASSERT_NE(client, nullptr);
  constexpr int kThreads = 8, kPerThread = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string name = dra::StrCat("c-", t, "-", i);
        if (!client->Create(Leases(), "default", Lease(name)).ok()) ++failures;
        absl::StatusOr<api::Value> got = client->Get(Leases(), "default", name);
        if (!got.ok() || Meta(*got, "name") != name) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  absl::StatusOr<ListResult> all = client->ListAll(Leases(), "default");
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(all->items, SizeIs(kThreads * kPerThread));
}

TEST_F(RestClientTest, CreateValidatesConfig) {
  ClusterConfig config = server_.config();
  config.server = "ftp://x";
  EXPECT_TRUE(absl::IsInvalidArgument(RestClient::Create(config).status()));
  config.server = "https://127.0.0.1:99999";
  EXPECT_TRUE(absl::IsInvalidArgument(RestClient::Create(config).status()));
  config.server = "https://127.0.0.1:6443";
  config.ca_pem = "not pem";
  EXPECT_THAT(RestClient::Create(config).status().message(), HasSubstr("certificate authority"));
  config.ca_pem = "";
  config.client_cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  config.client_key_pem = "x";
  EXPECT_THAT(RestClient::Create(config).status().message(), HasSubstr("client certificate"));
}

// ---- Watch ----

// One server for the suite: stopping a server with open watches takes up to a second.
class WatchTest : public ::testing::Test {
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

  static absl::Time Soon() { return absl::Now() + absl::Seconds(5); }

  static testing::TestServer* shared_;
  testing::TestServer& server_ = *shared_;
  std::unique_ptr<RestClient> client_;
};

testing::TestServer* WatchTest::shared_ = nullptr;

TEST_F(WatchTest, EventsInOrder) {
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("before")).ok());
  absl::StatusOr<ListResult> listed = client_->List(Leases(), "default");
  ASSERT_TRUE(listed.ok());
  WatchOptions options;
  options.resource_version = listed->resource_version;
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(Leases(), "default", options);
  ASSERT_TRUE(watch.ok()) << watch.status();
  WatchStream& w = **watch;

  // Nothing yet.
  EXPECT_TRUE(absl::IsDeadlineExceeded(w.Next(absl::Now() + absl::Milliseconds(50)).status()));

  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("w")).ok());
  ASSERT_TRUE(
      client_
          ->Patch(Leases(), "default", "w", PatchType::kMerge, R"({"spec":{"holderIdentity":"z"}})")
          .ok());
  ASSERT_TRUE(client_->Delete(Leases(), "default", "w").ok());

  absl::StatusOr<WatchEvent> e1 = w.Next(Soon());
  ASSERT_TRUE(e1.ok()) << e1.status();
  EXPECT_EQ(e1->type, WatchEvent::Type::kAdded);
  EXPECT_EQ(Meta(*e1->object, "name"), "w");
  absl::StatusOr<WatchEvent> e2 = w.Next(Soon());
  ASSERT_TRUE(e2.ok()) << e2.status();
  EXPECT_EQ(e2->type, WatchEvent::Type::kModified);
  EXPECT_EQ(Holder(*e2->object), "z");
  absl::StatusOr<WatchEvent> e3 = w.Next(Soon());
  ASSERT_TRUE(e3.ok()) << e3.status();
  EXPECT_EQ(e3->type, WatchEvent::Type::kDeleted);
  EXPECT_EQ(WatchEventTypeName(e3->type), "DELETED");
  EXPECT_LT(std::stoll(e1->ResourceVersion()), std::stoll(e3->ResourceVersion()));

  w.Cancel();
  absl::StatusOr<WatchEvent> after = w.Next(Soon());
  EXPECT_TRUE(absl::IsCancelled(after.status())) << after.status();
  w.Cancel();  // idempotent
}

TEST_F(WatchTest, InitialEventsAndSelectors) {
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("x1", "a", R"({"k":"v"})")).ok());
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("x2", "a", R"({"k":"w"})")).ok());
  WatchOptions options;
  options.label_selector = "k=v";
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(Leases(), "", options);
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::StatusOr<WatchEvent> first = (*watch)->Next(Soon());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->type, WatchEvent::Type::kAdded);
  EXPECT_EQ(Meta(*first->object, "name"), "x1");
  EXPECT_TRUE(
      absl::IsDeadlineExceeded((*watch)->Next(absl::Now() + absl::Milliseconds(50)).status()));

  WatchOptions bad;
  bad.label_selector = "a in (";
  absl::StatusOr<std::unique_ptr<WatchStream>> refused = client_->Watch(Leases(), "", bad);
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
}

TEST_F(WatchTest, Bookmarks) {
  absl::StatusOr<ListResult> listed = client_->List(Leases(), "default");
  ASSERT_TRUE(listed.ok());
  WatchOptions options;
  options.resource_version = listed->resource_version;
  options.allow_bookmarks = true;
  options.label_selector = "nothing=matches";
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(Leases(), "default", options);
  ASSERT_TRUE(watch.ok()) << watch.status();
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("unseen")).ok());
  std::string current = server_.CurrentResourceVersion();
  absl::Time deadline = Soon();
  std::string seen;
  while (seen != current && absl::Now() < deadline) {
    absl::StatusOr<WatchEvent> e = (*watch)->Next(deadline);
    ASSERT_TRUE(e.ok()) << e.status();
    ASSERT_EQ(e->type, WatchEvent::Type::kBookmark);
    seen = e->ResourceVersion();
  }
  EXPECT_EQ(seen, current);
}

TEST_F(WatchTest, ExpiredVersionIsAnErrorEvent) {
  absl::StatusOr<api::Value> created = client_->Create(Leases(), "default", Lease("old"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(client_->Create(Leases(), "default", Lease("new")).ok());
  ASSERT_TRUE(server_.CompactAll().ok());
  WatchOptions options;
  options.resource_version = Meta(*created, "resourceVersion");
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(Leases(), "default", options);
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::StatusOr<WatchEvent> e = (*watch)->Next(Soon());
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->type, WatchEvent::Type::kError);
  absl::Status error = e->Error();
  EXPECT_TRUE(absl::IsOutOfRange(error)) << error;
  EXPECT_THAT(error.message(), HasSubstr("too old resource version"));
  EXPECT_EQ(HttpCodeOf(error), 410);
  // The server ends the stream after the error.
  absl::StatusOr<WatchEvent> end = (*watch)->Next(Soon());
  EXPECT_TRUE(absl::IsCancelled(end.status())) << end.status();
}

TEST_F(WatchTest, ServerTimeoutEndsTheStream) {
  WatchOptions options;
  options.resource_version = server_.CurrentResourceVersion();
  options.timeout = absl::Seconds(1);
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(Leases(), "default", options);
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::StatusOr<WatchEvent> end = (*watch)->Next(Soon());
  EXPECT_TRUE(absl::IsCancelled(end.status())) << end.status();
  EXPECT_THAT(end.status().message(), HasSubstr("ended by the server"));
}

TEST_F(WatchTest, CancelWakesABlockedReaderAndDestructionIsPrompt) {
  WatchOptions options;
  options.resource_version = server_.CurrentResourceVersion();
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(Leases(), "default", options);
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::Time start = absl::Now();
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(100));
    (*watch)->Cancel();
  });
  absl::StatusOr<WatchEvent> e = (*watch)->Next(absl::InfiniteFuture());
  canceller.join();
  EXPECT_TRUE(absl::IsCancelled(e.status())) << e.status();
  watch->reset();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

TEST_F(WatchTest, ManyEventsThroughTheBoundedQueue) {
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = client_->Watch(
      Leases(), "default", WatchOptions{.resource_version = server_.CurrentResourceVersion()});
  ASSERT_TRUE(watch.ok()) << watch.status();
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(client_->Create(Leases(), "default", Lease(dra::StrCat("m", i))).ok());
  }
  for (int i = 0; i < kCount; ++i) {
    absl::StatusOr<WatchEvent> e = (*watch)->Next(Soon());
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(Meta(*e->object, "name"), dra::StrCat("m", i));
  }
}

// ---- TLS ----

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.status().ok()) << server_.status(); }

  static absl::Status Probe(const ClusterConfig& config) {
    absl::StatusOr<std::unique_ptr<RestClient>> client = RestClient::Create(config);
    if (!client.ok()) return client.status();
    return (*client)->List(Namespaces(), "").status();
  }

  testing::TestServer server_{testing::ServerOptions{.tls = true}};
};

TEST_F(TlsTest, TokenOnly) {
  ClusterConfig config = server_.config();
  ASSERT_THAT(config.server, ::testing::StartsWith("https://"));
  ASSERT_FALSE(config.token.empty());
  config.client_cert_pem.clear();
  config.client_key_pem.clear();
  EXPECT_TRUE(Probe(config).ok()) << Probe(config);
}

TEST_F(TlsTest, ClientCertificateOnly) {
  ClusterConfig config = server_.config();
  ASSERT_FALSE(config.client_cert_pem.empty());
  config.token.clear();
  absl::Status s = Probe(config);
  EXPECT_TRUE(s.ok()) << s;
  // And a watch over TLS.
  absl::StatusOr<std::unique_ptr<RestClient>> client = RestClient::Create(config);
  ASSERT_TRUE(client.ok());
  absl::StatusOr<std::unique_ptr<WatchStream>> watch = (*client)->Watch(Namespaces(), "");
  ASSERT_TRUE(watch.ok()) << watch.status();
  absl::StatusOr<WatchEvent> e = (*watch)->Next(absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->type, WatchEvent::Type::kAdded);
}

TEST_F(TlsTest, NoCredentialsIsUnauthenticated) {
  ClusterConfig config = server_.config();
  config.token.clear();
  config.client_cert_pem.clear();
  config.client_key_pem.clear();
  absl::Status s = Probe(config);
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_EQ(s.message(), "Unauthorized");
  config.token = "wrong";
  EXPECT_TRUE(absl::IsUnauthenticated(Probe(config)));
}

TEST_F(TlsTest, ServerVerification) {
  ClusterConfig config = server_.config();
  config.client_cert_pem.clear();
  config.client_key_pem.clear();
  // Another CA: the server's certificate does not verify.
  config.ca_pem = server_.config().client_cert_pem;  // a certificate that is not the CA
  absl::Status s = Probe(config);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("certificate"));

  // No CA but insecure-skip-tls-verify.
  config.ca_pem.clear();
  config.insecure_skip_tls_verify = true;
  s = Probe(config);
  EXPECT_TRUE(s.ok()) << s;

  // tls-server-name: "localhost" is in the serving certificate, "wrong.example" is not.
  config = server_.config();
  config.tls_server_name = "localhost";
  s = Probe(config);
  EXPECT_TRUE(s.ok()) << s;
  config.tls_server_name = "wrong.example";
  s = Probe(config);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
}

}  // namespace
}  // namespace dra::client
