#include "dra/controllers/device_taint_eviction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "dra/api/codec/json.h"
#include "dra/base/strings.h"
#include "dra/client/client.h"
#include "dra/client/internal/test_server.h"
#include "dra/controllers/controllers.h"

namespace dra::controllers {
namespace {

// Taints are dated here (in the past for the real clock; fake clocks start here).
constexpr char kT0[] = "2025-01-01T00:00:00Z";
absl::Time T0() { return absl::FromUnixSeconds(1735689600); }

api::Value Json(std::string_view text) {
  absl::StatusOr<api::Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status() << "\n" << text;
  return v.ok() ? *v : api::Value();
}

const api::Value* At(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* cur = &v;
  for (std::string_view key : path) {
    if (cur == nullptr) return nullptr;
    cur = cur->Find(key);
  }
  return cur;
}
std::string Str(const api::Value& v, std::initializer_list<std::string_view> path) {
  const api::Value* found = At(v, path);
  return found != nullptr && found->is_string() ? found->text() : "";
}

// Polls `done` until it holds or 10 s passed.
bool Eventually(const std::function<bool()>& done) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// A clock that moves only when told. Thread-safe.
class FakeClock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

std::string Taint(std::string_view key, std::string_view effect, bool dated = true) {
  return dra::StrCat(R"({"key":")", key, R"(","value":"v","effect":")", effect, R"(")",
                     dated ? dra::StrCat(R"(,"timeAdded":")", kT0, R"(")") : "", "}");
}

class DeviceTaintEvictionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new client::testing::TestServer(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(shared_->status().ok()) << shared_->status();
    client_ = shared_->Client();
    ASSERT_NE(client_, nullptr);
    // One namespace and one driver per test: slices and rules are cluster-scoped.
    ++tests_;
    ns_ = dra::StrCat("taint-", tests_);
    driver_ = dra::StrCat("d", tests_, ".example.com");
    ASSERT_TRUE(client_
                    ->Create(client::Namespaces(), "",
                             Json(dra::StrCat(R"({"apiVersion":"v1","kind":"Namespace",)",
                                              R"("metadata":{"name":")", ns_, R"("}})")))
                    .ok());
  }
  void TearDown() override {
    if (controller_ != nullptr) controller_->Stop();
  }

  void StartController(bool fake_clock = false) {
    DeviceTaintEvictionControllerOptions options;
    options.ns = ns_;
    options.informer.min_backoff = absl::Milliseconds(20);
    options.rule_status_period = absl::Milliseconds(300);
    if (fake_clock) options.clock = [this] { return clock_.Now(); };
    controller_ = std::make_unique<DeviceTaintEvictionController>(client_.get(), options);
    ASSERT_TRUE(controller_->Start().ok());
    ASSERT_TRUE(controller_->WaitForSync(absl::Now() + absl::Seconds(10)));
  }

  // A slice of pool "pool" with devices gpu-0..gpu-<n-1>; `taints` (a JSON array) on gpu-0.
  void CreateSlice(std::string_view taints = "[]", int devices = 4) {
    std::string list;
    for (int i = 0; i < devices; ++i) {
      if (i > 0) list += ",";
      list += dra::StrCat(R"({"name":"gpu-)", i, R"(")",
                          i == 0 ? dra::StrCat(R"(,"taints":)", taints) : "", "}");
    }
    absl::StatusOr<api::Value> created = client_->Create(
        client::ResourceSlices(), "",
        Json(dra::StrCat(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceSlice",)",
                         R"("metadata":{"name":")", SliceName(), R"("},"spec":{"driver":")",
                         driver_, R"(","pool":{"name":"pool","generation":1,)",
                         R"("resourceSliceCount":1},"nodeName":"node-1","devices":[)", list,
                         "]}}")));
    ASSERT_TRUE(created.ok()) << created.status();
  }
  std::string SliceName() { return dra::StrCat(ns_, "-slice"); }
  // Replaces the taints of gpu-0.
  void SetSliceTaints(std::string_view taints) {
    absl::StatusOr<api::Value> slice = client_->Get(client::ResourceSlices(), "", SliceName());
    ASSERT_TRUE(slice.ok()) << slice.status();
    api::Value updated = *slice;
    api::Value& device = updated.FindMutable("spec")->FindMutable("devices")->mutable_items()[0];
    device.Set("taints", Json(taints));
    absl::StatusOr<api::Value> written = client_->Update(client::ResourceSlices(), "", updated);
    ASSERT_TRUE(written.ok()) << written.status();
  }

  // A DeviceTaintRule for gpu-<device> of this test's driver.
  void CreateRule(std::string_view name, std::string_view taint, int device = 0) {
    absl::StatusOr<api::Value> created = client_->Create(
        client::DeviceTaintRules(), "",
        Json(dra::StrCat(R"({"apiVersion":"resource.k8s.io/v1beta2","kind":"DeviceTaintRule",)",
                         R"("metadata":{"name":")", name, R"("},"spec":{"deviceSelector":)",
                         R"({"driver":")", driver_, R"(","pool":"pool","device":"gpu-)", device,
                         R"("},"taint":)", taint, "}}")));
    ASSERT_TRUE(created.ok()) << created.status();
  }
  api::Value GetRule(std::string_view name) {
    absl::StatusOr<api::Value> rule = client_->Get(client::DeviceTaintRules(), "", name);
    EXPECT_TRUE(rule.ok()) << rule.status();
    return rule.ok() ? *rule : api::Value();
  }
  // The EvictionInProgress condition of a rule (null when none).
  api::Value RuleCondition(std::string_view name) {
    api::Value rule = GetRule(name);
    const api::Value* conditions = At(rule, {"status", "conditions"});
    if (conditions == nullptr || !conditions->is_array()) return api::Value();
    for (const api::Value& c : conditions->items()) {
      if (Str(c, {"type"}) == "EvictionInProgress") return c;
    }
    return api::Value();
  }

  // A pod bound to node-1 (unless !bound) using claim `claim` (entry "gpu"); `finalizer` keeps
  // it after deletion.
  api::Value CreatePod(std::string_view name, std::string_view claim, bool finalizer = false,
                       bool bound = true) {
    absl::StatusOr<api::Value> created = client_->Create(
        client::Pods(), ns_,
        Json(dra::StrCat(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")", name, R"(")",
                         finalizer ? R"(,"finalizers":["example.com/keep"])" : "", R"(},"spec":{)",
                         bound ? R"("nodeName":"node-1",)" : "",
                         R"("containers":[{"name":"c","image":"busybox"}],)",
                         R"("resourceClaims":[{"name":"gpu","resourceClaimName":")", claim,
                         R"("}]}})")));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : api::Value();
  }
  // A claim for one device; allocated (gpu-<device>, with the JSON array `tolerations` in the
  // result) and reserved for `pod` when `allocate`.
  void CreateClaim(std::string_view name, const api::Value& pod, bool allocate = true,
                   std::string_view tolerations = "[]", int device = 0) {
    absl::StatusOr<api::Value> created = client_->Create(
        client::ResourceClaims(), ns_,
        Json(dra::StrCat(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceClaim",)",
                         R"("metadata":{"name":")", name, R"("},)",
                         R"("spec":{"devices":{"requests":[{"name":"gpu","exactly":)",
                         R"({"deviceClassName":"gpu.example.com"}}]}}})")));
    ASSERT_TRUE(created.ok()) << created.status();
    if (!allocate) return;
    api::Value updated = *created;
    updated.Set(
        "status",
        Json(dra::StrCat(
            R"({"allocation":{"devices":{"results":[{"request":"gpu","driver":")", driver_,
            R"(","pool":"pool","device":"gpu-)", device, R"(","tolerations":)", tolerations,
            R"(}]},"nodeSelector":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name",)",
            R"("operator":"In","values":["node-1"]}]}]}},"reservedFor":[{"resource":"pods",)",
            R"("name":")", Str(pod, {"metadata", "name"}), R"(","uid":")",
            Str(pod, {"metadata", "uid"}), R"("}]})")));
    absl::StatusOr<api::Value> written =
        client_->UpdateStatus(client::ResourceClaims(), ns_, updated);
    ASSERT_TRUE(written.ok()) << written.status();
  }
  // Pod and claim "<name>-claim" allocated gpu-<device>.
  api::Value PodWithClaim(std::string_view name, std::string_view tolerations = "[]",
                          int device = 0, bool finalizer = false) {
    std::string claim = dra::StrCat(name, "-claim");
    api::Value pod = CreatePod(name, claim, finalizer);
    CreateClaim(claim, pod, true, tolerations, device);
    return pod;
  }

  bool PodGone(std::string_view name) {
    return absl::IsNotFound(client_->Get(client::Pods(), ns_, name).status());
  }
  bool PodExists(std::string_view name) { return client_->Get(client::Pods(), ns_, name).ok(); }
  // Messages of the DeviceTaintManagerEviction Events of pod `name`.
  std::vector<std::string> EventMessages(std::string_view name) {
    std::vector<std::string> messages;
    absl::StatusOr<client::ListResult> events = client_->List(client::Events(), ns_);
    if (!events.ok()) return messages;
    for (const api::Value& e : events->items) {
      if (Str(e, {"involvedObject", "name"}) == name &&
          Str(e, {"reason"}) == kDeviceTaintManagerEvictionEventReason) {
        messages.push_back(Str(e, {"message"}));
      }
    }
    return messages;
  }
  // A pod on gpu-<device> without toleration, evicted once the controller caught up with
  // every earlier change to that device.
  void ExpectSentinelEvicted(int device) {
    PodWithClaim("sentinel", "[]", device);
    EXPECT_TRUE(Eventually([&] { return PodGone("sentinel"); })) << controller_->last_error();
  }

  static client::testing::TestServer* shared_;
  static int tests_;
  std::unique_ptr<client::RestClient> client_;
  std::string ns_;
  std::string driver_;
  FakeClock clock_{T0()};
  std::unique_ptr<DeviceTaintEvictionController> controller_;
};

client::testing::TestServer* DeviceTaintEvictionTest::shared_ = nullptr;
int DeviceTaintEvictionTest::tests_ = 0;

TEST_F(DeviceTaintEvictionTest, SliceNoExecuteTaintEvictsPodOfAllocatedClaim) {
  StartController();
  CreateSlice(dra::StrCat("[", Taint("example.com/broken", "NoExecute"), "]"));
  api::Value pod = PodWithClaim("pod-a", "[]", 0, /*finalizer=*/true);
  // The finalizer keeps the deleted pod visible with its condition.
  absl::StatusOr<api::Value> current;
  ASSERT_TRUE(Eventually([&] {
    current = client_->Get(client::Pods(), ns_, "pod-a");
    return current.ok() && At(*current, {"metadata", "deletionTimestamp"}) != nullptr;
  })) << controller_->last_error();
  const api::Value* conditions = At(*current, {"status", "conditions"});
  ASSERT_NE(conditions, nullptr);
  bool found = false;
  for (const api::Value& c : conditions->items()) {
    if (Str(c, {"type"}) != "DisruptionTarget") continue;
    found = true;
    EXPECT_EQ(Str(c, {"status"}), "True");
    EXPECT_EQ(Str(c, {"reason"}), "DeletionByDeviceTaintManager");
    EXPECT_EQ(Str(c, {"message"}), "Device Taint manager: deleting due to NoExecute taint");
    EXPECT_FALSE(Str(c, {"lastTransitionTime"}).empty());
  }
  EXPECT_TRUE(found) << api::WriteJson(*current);
  EXPECT_THAT(EventMessages("pod-a"), ::testing::ElementsAre("Marking for deletion"));
  EXPECT_EQ(controller_->pods_evicted(), 1);
  EXPECT_TRUE(controller_->ScheduledEvictions().empty());

  // A pod that is already terminating is not evicted again (a new controller finds it).
  controller_->Stop();
  StartController();
  ExpectSentinelEvicted(0);
  EXPECT_EQ(controller_->pods_evicted(), 1);  // the sentinel
  EXPECT_THAT(EventMessages("pod-a"), ::testing::SizeIs(1));
  EXPECT_TRUE(controller_->ScheduledEvictions().empty());
}

TEST_F(DeviceTaintEvictionTest, ToleratedTaintDoesNotEvict) {
  StartController();
  CreateSlice(dra::StrCat("[", Taint("example.com/broken", "NoExecute"), "]"));
  // Tolerated forever: by key and value, or by Exists.
  PodWithClaim("equal", R"([{"key":"example.com/broken","value":"v","effect":"NoExecute"}])");
  PodWithClaim("exists", R"([{"operator":"Exists","effect":"NoExecute"}])");
  // Not tolerated: other value; no effect named (as upstream: only NoExecute tolerations count).
  PodWithClaim("other-value", R"([{"key":"example.com/broken","value":"w","effect":"NoExecute"}])");
  PodWithClaim("no-effect", R"([{"operator":"Exists"}])");
  EXPECT_TRUE(Eventually([&] { return PodGone("other-value") && PodGone("no-effect"); }))
      << controller_->last_error();
  ExpectSentinelEvicted(0);
  EXPECT_TRUE(PodExists("equal"));
  EXPECT_TRUE(PodExists("exists"));
  EXPECT_EQ(controller_->pods_evicted(), 3);
}

TEST_F(DeviceTaintEvictionTest, TolerationSecondsEvictsLater) {
  clock_.Set(T0() + absl::Seconds(10));
  StartController(/*fake_clock=*/true);
  CreateSlice(dra::StrCat("[", Taint("example.com/broken", "NoExecute"), "]"));
  PodWithClaim("pod-a", R"([{"operator":"Exists","effect":"NoExecute","tolerationSeconds":60},)"
                        R"({"key":"example.com/broken","operator":"Exists","effect":"NoExecute",)"
                        R"("tolerationSeconds":120}])");
  std::string key = dra::StrCat(ns_, "/pod-a");
  // The smallest matching tolerationSeconds counts.
  ASSERT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().contains(key); }))
      << controller_->last_error();
  EXPECT_EQ(controller_->ScheduledEvictions()[key], T0() + absl::Seconds(60));

  clock_.Set(T0() + absl::Seconds(59));
  controller_->CheckScheduled();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(PodExists("pod-a"));
  EXPECT_EQ(controller_->pods_evicted(), 0);

  clock_.Set(T0() + absl::Seconds(61));
  controller_->CheckScheduled();
  EXPECT_TRUE(Eventually([&] { return PodGone("pod-a"); })) << controller_->last_error();
  EXPECT_EQ(controller_->pods_evicted(), 1);
}

TEST_F(DeviceTaintEvictionTest, TaintRemovedBeforeDeadlineCancels) {
  StartController(/*fake_clock=*/true);
  CreateSlice(dra::StrCat("[", Taint("example.com/broken", "NoExecute"), "]"));
  PodWithClaim("pod-a", R"([{"operator":"Exists","effect":"NoExecute","tolerationSeconds":60}])");
  std::string key = dra::StrCat(ns_, "/pod-a");
  ASSERT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().contains(key); }))
      << controller_->last_error();

  SetSliceTaints("[]");
  ASSERT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().empty(); }));
  EXPECT_EQ(controller_->evictions_cancelled(), 1);
  EXPECT_TRUE(Eventually([&] { return EventMessages("pod-a").size() == 1; }));
  EXPECT_THAT(EventMessages("pod-a"), ::testing::ElementsAre("Cancelling deletion"));

  clock_.Set(T0() + absl::Hours(1));
  controller_->CheckScheduled();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(PodExists("pod-a"));
  EXPECT_EQ(controller_->pods_evicted(), 0);
}

TEST_F(DeviceTaintEvictionTest, DeviceTaintRuleSelectingDeviceEvicts) {
  StartController();
  CreateSlice();
  PodWithClaim("on-gpu-0", "[]", 0);
  PodWithClaim("on-gpu-1", "[]", 1);
  // timeAdded set by the API server (now).
  CreateRule(dra::StrCat(ns_, "-rule"), Taint("example.com/maintenance", "NoExecute", false), 0);
  EXPECT_TRUE(Eventually([&] { return PodGone("on-gpu-0"); })) << controller_->last_error();
  EXPECT_TRUE(PodExists("on-gpu-1"));
  EXPECT_EQ(controller_->pods_evicted(), 1);

  // A rule also taints an allocated device that no slice publishes.
  CreatePod("unpublished", "unpublished-claim");
  CreateClaim("unpublished-claim", client_->Get(client::Pods(), ns_, "unpublished").value(), true,
              "[]", 7);
  CreateRule(dra::StrCat(ns_, "-rule-7"), Taint("example.com/maintenance", "NoExecute"), 7);
  EXPECT_TRUE(Eventually([&] { return PodGone("unpublished"); })) << controller_->last_error();
}

TEST_F(DeviceTaintEvictionTest, RuleDeletedCancels) {
  StartController(/*fake_clock=*/true);
  CreateSlice();
  PodWithClaim("pod-a", R"([{"operator":"Exists","effect":"NoExecute","tolerationSeconds":60}])");
  std::string rule = dra::StrCat(ns_, "-rule");
  CreateRule(rule, Taint("example.com/maintenance", "NoExecute"));
  std::string key = dra::StrCat(ns_, "/pod-a");
  ASSERT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().contains(key); }))
      << controller_->last_error();
  EXPECT_EQ(controller_->ScheduledEvictions()[key], T0() + absl::Seconds(60));

  ASSERT_TRUE(client_->Delete(client::DeviceTaintRules(), "", rule).ok());
  ASSERT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().empty(); }));
  EXPECT_EQ(controller_->evictions_cancelled(), 1);
  clock_.Set(T0() + absl::Hours(1));
  controller_->CheckScheduled();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(PodExists("pod-a"));
}

TEST_F(DeviceTaintEvictionTest, NoScheduleAndNoneDoNotEvict) {
  StartController();
  CreateSlice(dra::StrCat("[", Taint("a", "NoSchedule"), ",", Taint("b", "None"), "]"));
  PodWithClaim("pod-a", "[]", 0);
  std::string rule = dra::StrCat(ns_, "-rule");
  CreateRule(rule, Taint("example.com/maintenance", "NoSchedule"), 0);
  // A NoExecute taint on another device evicts its pod only.
  CreateRule(dra::StrCat(ns_, "-evict-1"), Taint("x", "NoExecute"), 1);
  ExpectSentinelEvicted(1);
  EXPECT_TRUE(PodExists("pod-a"));
  EXPECT_TRUE(controller_->ScheduledEvictions().empty());
  api::Value condition;
  ASSERT_TRUE(Eventually([&] {
    condition = RuleCondition(rule);
    return !condition.is_null();
  })) << controller_->last_error();
  EXPECT_EQ(Str(condition, {"status"}), "False");
  EXPECT_EQ(Str(condition, {"reason"}), "OtherEffect");
  EXPECT_EQ(Str(condition, {"message"}), "Eviction only happens for the NoExecute effect.");
}

TEST_F(DeviceTaintEvictionTest, RuleStatusCondition) {
  StartController();
  CreateSlice();
  // Pending for an hour (real clock): PodsPendingEviction.
  PodWithClaim("pod-a", R"([{"operator":"Exists","effect":"NoExecute","tolerationSeconds":3600}])",
               0);
  std::string pending = dra::StrCat(ns_, "-pending");
  CreateRule(pending, Taint("example.com/maintenance", "NoExecute", false), 0);
  api::Value condition;
  ASSERT_TRUE(Eventually([&] {
    condition = RuleCondition(pending);
    return Str(condition, {"reason"}) == "PodsPendingEviction";
  })) << api::WriteJson(condition)
      << controller_->last_error();
  EXPECT_EQ(Str(condition, {"status"}), "True");
  EXPECT_EQ(Str(condition, {"message"}), "1 pod needs to be evicted in 1 namespace.");
  EXPECT_EQ(At(condition, {"observedGeneration"})->AsInt64().value_or(0),
            At(GetRule(pending), {"metadata", "generation"})->AsInt64().value_or(-1));
  EXPECT_FALSE(Str(condition, {"lastTransitionTime"}).empty());

  // Evicting at once: Completed, with the count.
  PodWithClaim("pod-b", "[]", 1);
  std::string evict = dra::StrCat(ns_, "-evict");
  CreateRule(evict, Taint("example.com/maintenance", "NoExecute", false), 1);
  ASSERT_TRUE(Eventually([&] {
    condition = RuleCondition(evict);
    return Str(condition, {"reason"}) == "Completed";
  })) << api::WriteJson(condition)
      << controller_->last_error();
  EXPECT_EQ(Str(condition, {"status"}), "False");
  EXPECT_EQ(Str(condition, {"message"}), "1 pod evicted since starting the controller.");

  // Nothing selected.
  std::string idle = dra::StrCat(ns_, "-idle");
  CreateRule(idle, Taint("example.com/maintenance", "NoExecute"), 3);
  ASSERT_TRUE(Eventually([&] { return !RuleCondition(idle).is_null(); }));
  EXPECT_EQ(Str(RuleCondition(idle), {"reason"}), "NotStarted");
  EXPECT_EQ(Str(RuleCondition(idle), {"message"}), "");

  // Effect None: what NoExecute would do. The status of such a rule is computed once, so it is
  // recreated (as its message tells users to) until the controller has seen the new pod's
  // allocated claim.
  PodWithClaim("pod-c", "[]", 2);
  std::string none = dra::StrCat(ns_, "-none");
  for (int attempt = 0; attempt < 50; ++attempt) {
    CreateRule(none, Taint("example.com/maintenance", "None"), 2);
    ASSERT_TRUE(Eventually([&] { return !RuleCondition(none).is_null(); }));
    condition = RuleCondition(none);
    if (Str(condition, {"message"}).find("1 allocated device") != std::string::npos) break;
    ASSERT_TRUE(client_->Delete(client::DeviceTaintRules(), "", none).ok());
    ASSERT_TRUE(Eventually([&] {
      return absl::IsNotFound(client_->Get(client::DeviceTaintRules(), "", none).status());
    }));
  }
  EXPECT_EQ(Str(condition, {"status"}), "False");
  EXPECT_EQ(Str(condition, {"reason"}), "NoEffect");
  EXPECT_EQ(Str(condition, {"message"}),
            "1 published device selected. 1 allocated device selected. 1 pod would be evicted "
            "in 1 namespace if the effect was NoExecute. This information will not be updated "
            "again. Recreate the DeviceTaintRule to trigger an update.");
  EXPECT_TRUE(PodExists("pod-c"));
  EXPECT_TRUE(PodExists("pod-a"));
}

TEST_F(DeviceTaintEvictionTest, UnallocatedClaimsOtherReservationsAndUnboundPodsAreIgnored) {
  StartController();
  CreateSlice(dra::StrCat("[", Taint("example.com/broken", "NoExecute"), "]"));
  // The claim exists but is not allocated.
  api::Value pod = CreatePod("pod-a", "unallocated");
  CreateClaim("unallocated", pod, /*allocate=*/false);
  // Reserved for another pod (e.g. one this pod replaced under the same name).
  CreatePod("pod-b", "reserved-elsewhere");
  api::Value stranger = Json(R"({"metadata":{"name":"pod-b","uid":"not-this-one"}})");
  CreateClaim("reserved-elsewhere", stranger);
  // Allocated and reserved, but the pod is not bound to a node yet.
  api::Value unbound = CreatePod("pod-c", "unbound-claim", false, /*bound=*/false);
  CreateClaim("unbound-claim", unbound);
  ExpectSentinelEvicted(0);
  EXPECT_TRUE(PodExists("pod-a"));
  EXPECT_TRUE(PodExists("pod-b"));
  EXPECT_TRUE(PodExists("pod-c"));
  EXPECT_EQ(controller_->pods_evicted(), 1);
}

TEST_F(DeviceTaintEvictionTest, DeallocatedClaimCancels) {
  StartController(/*fake_clock=*/true);
  CreateSlice(dra::StrCat("[", Taint("example.com/broken", "NoExecute"), "]"));
  PodWithClaim("pod-a", R"([{"operator":"Exists","effect":"NoExecute","tolerationSeconds":60}])");
  std::string key = dra::StrCat(ns_, "/pod-a");
  ASSERT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().contains(key); }))
      << controller_->last_error();
  absl::StatusOr<api::Value> claim = client_->Get(client::ResourceClaims(), ns_, "pod-a-claim");
  ASSERT_TRUE(claim.ok());
  api::Value updated = *claim;
  updated.Set("status", api::Value::Object());
  ASSERT_TRUE(client_->UpdateStatus(client::ResourceClaims(), ns_, updated).ok());
  EXPECT_TRUE(Eventually([&] { return controller_->ScheduledEvictions().empty(); }));
}

// The whole controller set as `dra server` runs it: a ReplicaSet's pod gets a claim from a
// template, is allocated and bound (as the scheduler would), a DeviceTaintRule evicts it, the
// ReplicaSet replaces it and the claim controller cleans up the evicted pod's claim.
TEST(DeviceTaintEvictionServerTest, EvictedPodIsReplacedByItsReplicaSet) {
  client::testing::TestServer server;
  ASSERT_TRUE(server.status().ok()) << server.status();
  std::unique_ptr<client::RestClient> client = server.Client();
  ASSERT_NE(client, nullptr);
  ResourceClaimController claims(client.get());
  ReplicaSetController replicasets(client.get());
  DeploymentController deployments(client.get());
  // A short status period, so that the rule's condition settles within the test.
  DeviceTaintEvictionController taints(
      client.get(),
      DeviceTaintEvictionControllerOptions{.rule_status_period = absl::Milliseconds(300)});
  ASSERT_TRUE(claims.Start().ok());
  ASSERT_TRUE(replicasets.Start().ok());
  ASSERT_TRUE(deployments.Start().ok());
  ASSERT_TRUE(taints.Start().ok());

  ASSERT_TRUE(client
                  ->Create(client::ResourceSlices(), "",
                           Json(R"({"apiVersion":"resource.k8s.io/v1","kind":"ResourceSlice",
                                    "metadata":{"name":"node-1-gpus"},
                                    "spec":{"driver":"gpu.example.com","nodeName":"node-1",
                                    "pool":{"name":"node-1","generation":1,"resourceSliceCount":1},
                                    "devices":[{"name":"gpu-0"},{"name":"gpu-1"}]}})"))
                  .ok());
  ASSERT_TRUE(client
                  ->Create(client::ResourceClaimTemplates(), "default",
                           Json(R"({"apiVersion":"resource.k8s.io/v1",
                                    "kind":"ResourceClaimTemplate","metadata":{"name":"gpu"},
                                    "spec":{"spec":{"devices":{"requests":[{"name":"gpu",
                                    "exactly":{"deviceClassName":"gpu.example.com"}}]}}}})"))
                  .ok());
  ASSERT_TRUE(client
                  ->Create(client::ReplicaSets(), "default",
                           Json(R"({"apiVersion":"apps/v1","kind":"ReplicaSet",
                                    "metadata":{"name":"app"},
                                    "spec":{"replicas":1,"selector":{"matchLabels":{"app":"a"}},
                                    "template":{"metadata":{"labels":{"app":"a"}},
                                    "spec":{"containers":[{"name":"c","image":"busybox"}],
                                    "resourceClaims":[{"name":"gpu",
                                    "resourceClaimTemplateName":"gpu"}]}}}})"))
                  .ok());

  // The pod and its generated claim.
  std::string pod_name;
  std::string claim_name;
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<client::ListResult> pods = client->List(client::Pods(), "default");
    if (!pods.ok() || pods->items.size() != 1) return false;
    pod_name = Str(pods->items[0], {"metadata", "name"});
    const api::Value* statuses = At(pods->items[0], {"status", "resourceClaimStatuses"});
    if (statuses == nullptr || statuses->items().empty()) return false;
    claim_name = Str(statuses->items()[0], {"resourceClaimName"});
    return !claim_name.empty();
  })) << claims.last_error();
  absl::StatusOr<api::Value> pod = client->Get(client::Pods(), "default", pod_name);
  ASSERT_TRUE(pod.ok());

  // What the scheduler does: allocate gpu-0, reserve, bind.
  absl::StatusOr<api::Value> claim = client->Get(client::ResourceClaims(), "default", claim_name);
  ASSERT_TRUE(claim.ok());
  api::Value allocated = *claim;
  allocated.Set("status", Json(dra::StrCat(
                              R"({"allocation":{"devices":{"results":[{"request":"gpu",)",
                              R"("driver":"gpu.example.com","pool":"node-1","device":"gpu-0"}]}},)",
                              R"("reservedFor":[{"resource":"pods","name":")", pod_name,
                              R"(","uid":")", Str(*pod, {"metadata", "uid"}), R"("}]})")));
  absl::StatusOr<api::Value> written =
      client->UpdateStatus(client::ResourceClaims(), "default", allocated);
  ASSERT_TRUE(written.ok()) << written.status();
  ASSERT_TRUE(client->Bind("default", pod_name, "node-1").ok());

  ASSERT_TRUE(
      client
          ->Create(client::DeviceTaintRules(), "", Json(R"({"apiVersion":"resource.k8s.io/v1beta2",
                                    "kind":"DeviceTaintRule","metadata":{"name":"maintenance"},
                                    "spec":{"deviceSelector":{"driver":"gpu.example.com",
                                    "device":"gpu-0"},"taint":{"key":"example.com/maintenance",
                                    "effect":"NoExecute"}}})"))
          .ok());

  // Evicted, replaced by a new pod with a new claim; the old claim goes away.
  EXPECT_TRUE(Eventually([&] {
    return absl::IsNotFound(client->Get(client::Pods(), "default", pod_name).status());
  })) << taints.last_error();
  EXPECT_EQ(taints.pods_evicted(), 1);
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<client::ListResult> pods = client->List(client::Pods(), "default");
    return pods.ok() && pods->items.size() == 1 &&
           Str(pods->items[0], {"metadata", "name"}) != pod_name;
  })) << replicasets.last_error();
  EXPECT_TRUE(Eventually([&] {
    return absl::IsNotFound(client->Get(client::ResourceClaims(), "default", claim_name).status());
  })) << claims.last_error();
  absl::StatusOr<client::ListResult> events = client->List(client::Events(), "default");
  ASSERT_TRUE(events.ok());
  bool marked = false;
  for (const api::Value& e : events->items) {
    marked |= Str(e, {"involvedObject", "name"}) == pod_name &&
              Str(e, {"reason"}) == "DeviceTaintManagerEviction" &&
              Str(e, {"source", "component"}) == "device-taint-eviction-controller";
  }
  EXPECT_TRUE(marked);
  api::Value condition;
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<api::Value> rule = client->Get(client::DeviceTaintRules(), "", "maintenance");
    if (!rule.ok()) return false;
    const api::Value* conditions = At(*rule, {"status", "conditions"});
    if (conditions == nullptr || conditions->items().empty()) return false;
    condition = conditions->items()[0];
    return Str(condition, {"reason"}) == "Completed";
  })) << api::WriteJson(condition);

  taints.Stop();
  deployments.Stop();
  replicasets.Stop();
  claims.Stop();
}

}  // namespace
}  // namespace dra::controllers
