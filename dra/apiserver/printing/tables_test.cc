#include "dra/apiserver/printing/tables.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "dra/api/codec/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::apiserver {
namespace {

using api::Value;

Value Json(std::string_view text) {
  absl::StatusOr<Value> v = api::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return v.ok() ? *v : Value();
}

absl::Time Now() { return *ParseRfc3339("2026-11-24T06:00:00Z"); }

// The cells of each row as compact JSON.
std::vector<std::string> Cells(std::string_view api_version, std::string_view kind,
                               const std::vector<Value>& objects) {
  Value table = BuildTable(api_version, kind, objects, Now(), IncludeObject::kNone, Value());
  std::vector<std::string> out;
  for (const Value& row : table.Find("rows")->items()) {
    out.push_back(api::WriteJson(*row.Find("cells")));
  }
  return out;
}

std::string CellsOf(std::string_view api_version, std::string_view kind, std::string_view json) {
  std::vector<std::string> cells = Cells(api_version, kind, {Json(json)});
  return cells.empty() ? "" : cells[0];
}

// "Name:type:priority" for every column.
std::vector<std::string> Columns(std::string_view api_version, std::string_view kind) {
  Value table = BuildTable(api_version, kind, {}, Now(), IncludeObject::kNone, Value());
  std::vector<std::string> out;
  for (const Value& c : table.Find("columnDefinitions")->items()) {
    out.push_back(c.Find("name")->text() + ":" + c.Find("type")->text() + ":" +
                  c.Find("priority")->text());
  }
  return out;
}

TEST(DurationTest, HumanDuration) {
  struct Case {
    absl::Duration d;
    std::string text;
  };
  const std::vector<Case> cases = {
      {absl::Seconds(-3), "<invalid>"},
      {absl::Seconds(-2), "<invalid>"},
      {absl::Milliseconds(-1500), "0s"},
      {absl::Seconds(0), "0s"},
      {absl::Seconds(119), "119s"},
      {absl::Seconds(120), "2m"},
      {absl::Seconds(330), "5m30s"},
      {absl::Minutes(10) + absl::Seconds(30), "10m"},
      {absl::Minutes(179), "179m"},
      {absl::Hours(3), "3h"},
      {absl::Hours(3) + absl::Minutes(10), "3h10m"},
      {absl::Hours(8) + absl::Minutes(10), "8h"},
      {absl::Hours(47), "47h"},
      {absl::Hours(50), "2d2h"},
      {absl::Hours(48), "2d"},
      {absl::Hours(24 * 8), "8d"},
      {absl::Hours(24 * 729), "729d"},
      {absl::Hours(24 * 730), "2y"},
      {absl::Hours(24 * 760), "2y30d"},
      {absl::Hours(24 * 365 * 9), "9y"},
  };
  for (const Case& c : cases) EXPECT_EQ(HumanDuration(c.d), c.text) << c.d;
}

TEST(DurationTest, ShortHumanDuration) {
  EXPECT_EQ(ShortHumanDuration(absl::Seconds(-5)), "<invalid>");
  EXPECT_EQ(ShortHumanDuration(absl::Seconds(59)), "59s");
  EXPECT_EQ(ShortHumanDuration(absl::Seconds(330)), "5m");
  EXPECT_EQ(ShortHumanDuration(absl::Hours(5)), "5h");
  EXPECT_EQ(ShortHumanDuration(absl::Hours(50)), "2d");
  EXPECT_EQ(ShortHumanDuration(absl::Hours(24 * 800)), "2y");
}

TEST(TimestampTest, ParsesRfc3339) {
  EXPECT_EQ(ParseRfc3339("2026-11-24T05:00:00Z"), Now() - absl::Hours(1));
  EXPECT_EQ(ParseRfc3339("2026-11-24T07:00:00+02:00"), Now() - absl::Hours(1));
  EXPECT_EQ(ParseRfc3339("2026-11-24T05:59:59.500000Z"), Now() - absl::Milliseconds(500));
  EXPECT_EQ(ParseRfc3339("yesterday"), std::nullopt);
  EXPECT_EQ(ParseRfc3339(""), std::nullopt);
}

TEST(TableTest, DocumentShape) {
  const Value pod = Json(R"({"apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web", "namespace": "default", "uid": "u1",
                 "creationTimestamp": "2026-11-24T05:00:00Z"},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]}, "status": {"phase": "Pending"}})");
  Value table = BuildTable("v1", "Pod", {pod}, Now(), IncludeObject::kMetadata,
                           Json(R"({"resourceVersion": "42", "continue": ""})"));
  EXPECT_EQ(table.Find("kind")->text(), "Table");
  EXPECT_EQ(table.Find("apiVersion")->text(), "meta.k8s.io/v1");
  EXPECT_EQ(api::WriteJson(*table.Find("metadata")), R"({"resourceVersion":"42"})");
  const Value& first_column = table.Find("columnDefinitions")->items()[0];
  EXPECT_EQ(api::WriteJson(first_column).substr(0, 60),
            R"({"name":"Name","type":"string","format":"name","description")");
  EXPECT_EQ(first_column.Find("priority")->text(), "0");
  const Value& row = table.Find("rows")->items()[0];
  EXPECT_EQ(api::WriteJson(*row.Find("object")),
            R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":)"
            R"({"name":"web","namespace":"default","uid":"u1",)"
            R"("creationTimestamp":"2026-11-24T05:00:00Z"}})");
  EXPECT_EQ(row.Find("conditions"), nullptr);

  Value full = BuildTable("v1", "Pod", {pod}, Now(), IncludeObject::kObject, Value());
  EXPECT_EQ(*full.Find("rows")->items()[0].Find("object"), pod);
  EXPECT_EQ(api::WriteJson(*full.Find("metadata")), "{}");

  Value none = BuildTable("v1", "Pod", {pod}, Now(), IncludeObject::kNone, Value());
  EXPECT_EQ(none.Find("rows")->items()[0].Find("object"), nullptr);
}

TEST(TableTest, IncludeObjectParameter) {
  EXPECT_EQ(*ParseIncludeObject(""), IncludeObject::kMetadata);
  EXPECT_EQ(*ParseIncludeObject("None"), IncludeObject::kNone);
  EXPECT_EQ(*ParseIncludeObject("Metadata"), IncludeObject::kMetadata);
  EXPECT_EQ(*ParseIncludeObject("Object"), IncludeObject::kObject);
  EXPECT_FALSE(ParseIncludeObject("All").ok());
}

TEST(TableTest, PodColumns) {
  EXPECT_THAT(
      Columns("v1", "Pod"),
      testing::ElementsAre("Name:string:0", "Ready:string:0", "Status:string:0",
                           "Restarts:string:0", "Age:string:0", "IP:string:1", "Node:string:1",
                           "Nominated Node:string:1", "Readiness Gates:string:1"));
}

TEST(TableTest, RunningPodWithRestarts) {
  EXPECT_EQ(
      CellsOf("v1", "Pod", R"({
    "metadata": {"name": "web", "creationTimestamp": "2026-11-24T05:00:00Z"},
    "spec": {"nodeName": "node-1", "containers": [{"name": "c", "image": "nginx"}]},
    "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.5"}],
      "conditions": [{"type": "Ready", "status": "True"}],
      "containerStatuses": [{"name": "c", "ready": true, "restartCount": 2,
        "state": {"running": {"startedAt": "2026-11-24T05:55:00Z"}},
        "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-24T05:55:00Z"}}}]}})"),
      R"j(["web","1/1","Running","2 (5m ago)","60m","10.0.0.5","node-1","<none>","<none>"])j");
}

TEST(TableTest, PodStatuses) {
  struct Case {
    std::string pod;
    std::string cells;
  };
  const std::vector<Case> cases = {
      // Terminating.
      {R"({"metadata": {"name": "t", "creationTimestamp": "2026-11-24T05:58:00Z",
            "deletionTimestamp": "2026-11-24T06:00:30Z"},
          "spec": {"containers": [{"name": "c"}]},
          "status": {"phase": "Running", "containerStatuses": [{"name": "c", "ready": true,
            "restartCount": 0, "state": {"running": {}}}]}})",
       R"(["t","1/1","Terminating","0","2m","<none>","<none>","<none>","<none>"])"},
      // Node lost.
      {R"({"metadata": {"name": "u", "deletionTimestamp": "2026-11-24T06:00:30Z"},
          "spec": {"containers": [{"name": "c"}]},
          "status": {"phase": "Running", "reason": "NodeLost"}})",
       R"(["u","0/1","Unknown","0","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Waiting for the image.
      {R"({"metadata": {"name": "p", "creationTimestamp": "2026-11-24T05:59:30Z"},
          "spec": {"nodeName": "n", "containers": [{"name": "c"}, {"name": "d"}]},
          "status": {"phase": "Pending", "containerStatuses": [
            {"name": "c", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ContainerCreating"}}},
            {"name": "d", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ContainerCreating"}}}]}})",
       R"(["p","0/2","ContainerCreating","0","30s","<none>","n","<none>","<none>"])"},
      // Unscheduled.
      {R"({"metadata": {"name": "q", "creationTimestamp": "2026-11-24T05:59:30Z"},
          "spec": {"containers": [{"name": "c"}]},
          "status": {"phase": "Pending", "nominatedNodeName": "n2"}})",
       R"(["q","0/1","Pending","0","30s","<none>","<none>","n2","<none>"])"},
      // Scheduling gates.
      {R"({"metadata": {"name": "g"}, "spec": {"containers": [{"name": "c"}]},
          "status": {"phase": "Pending", "conditions": [
            {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}})",
       R"(["g","0/1","SchedulingGated","0","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Init container running.
      {R"({"metadata": {"name": "i"},
          "spec": {"initContainers": [{"name": "init"}, {"name": "init2"}],
                   "containers": [{"name": "c"}]},
          "status": {"phase": "Pending", "initContainerStatuses": [
            {"name": "init", "state": {"terminated": {"exitCode": 0}}},
            {"name": "init2", "state": {"running": {}}}],
            "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "PodInitializing"}}}]}})",
       R"(["i","0/1","Init:1/2","0","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Init container failed without a reason.
      {R"({"metadata": {"name": "f"},
          "spec": {"initContainers": [{"name": "init"}], "containers": [{"name": "c"}]},
          "status": {"phase": "Pending", "initContainerStatuses": [
            {"name": "init", "restartCount": 3, "state": {"terminated": {"exitCode": 1}},
             "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-24T05:50:00Z"}}}]}})",
       R"j(["f","0/1","Init:ExitCode:1","3 (10m ago)","<unknown>","<none>","<none>","<none>","<none>"])j"},
      // Init container crash looping.
      {R"({"metadata": {"name": "w"},
          "spec": {"initContainers": [{"name": "init"}], "containers": [{"name": "c"}]},
          "status": {"phase": "Pending", "initContainerStatuses": [
            {"name": "init", "restartCount": 1, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}})",
       R"(["w","0/1","Init:CrashLoopBackOff","1","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Native sidecar started and ready; main container running.
      {R"({"metadata": {"name": "s"},
          "spec": {"initContainers": [{"name": "side", "restartPolicy": "Always"}],
                   "containers": [{"name": "c"}]},
          "status": {"phase": "Running",
            "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [{"name": "side", "started": true, "ready": true,
              "restartCount": 1, "state": {"running": {}}}],
            "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0,
              "state": {"running": {}}}]}})",
       R"(["s","2/2","Running","1","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Crash looping main container.
      {R"({"metadata": {"name": "crash"}, "spec": {"containers": [{"name": "c"}]},
          "status": {"phase": "Running", "containerStatuses": [{"name": "c", "ready": false,
            "restartCount": 7, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                         "finishedAt": "2026-11-24T05:59:00Z"}}}]}})",
       R"j(["crash","0/1","CrashLoopBackOff","7 (60s ago)","<unknown>","<none>","<none>","<none>","<none>"])j"},
      // Killed by a signal.
      {R"({"metadata": {"name": "k"}, "spec": {"containers": [{"name": "c"}]},
          "status": {"phase": "Failed", "containerStatuses": [{"name": "c",
            "state": {"terminated": {"exitCode": 137, "signal": 9}}}]}})",
       R"(["k","0/1","Signal:9","0","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Completed with one container still running and the pod not ready.
      {R"({"metadata": {"name": "n"},
          "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
          "status": {"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": true, "state": {"running": {}}},
            {"name": "b", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}})",
       R"(["n","1/2","NotReady","0","<unknown>","<none>","<none>","<none>","<none>"])"},
      // Readiness gates.
      {R"({"metadata": {"name": "rg"},
          "spec": {"containers": [{"name": "c"}],
                   "readinessGates": [{"conditionType": "x/a"}, {"conditionType": "x/b"}]},
          "status": {"phase": "Running", "conditions": [
            {"type": "x/a", "status": "True"}, {"type": "x/b", "status": "False"}]}})",
       R"(["rg","0/1","Running","0","<unknown>","<none>","<none>","<none>","1/2"])"},
  };
  for (const Case& c : cases) EXPECT_EQ(CellsOf("v1", "Pod", c.pod), c.cells) << c.pod;
}

TEST(TableTest, SucceededPodHasCompletedCondition) {
  Value table = BuildTable("v1", "Pod", {Json(R"({"metadata": {"name": "done"},
    "spec": {"containers": [{"name": "c"}]},
    "status": {"phase": "Succeeded", "containerStatuses": [{"name": "c",
      "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}})")},
                           Now(), IncludeObject::kNone, Value());
  const Value& row = table.Find("rows")->items()[0];
  EXPECT_EQ(api::WriteJson(*row.Find("cells")),
            R"(["done","0/1","Completed","0","<unknown>","<none>","<none>","<none>","<none>"])");
  EXPECT_EQ(api::WriteJson(*row.Find("conditions")),
            R"([{"type":"Completed","status":"True","reason":"Succeeded",)"
            R"("message":"The pod has completed successfully."}])");
}

TEST(TableTest, Node) {
  EXPECT_THAT(Columns("v1", "Node"),
              testing::ElementsAre("Name:string:0", "Status:string:0", "Roles:string:0",
                                   "Age:string:0", "Version:string:0", "Internal-IP:string:1",
                                   "External-IP:string:1", "OS-Image:string:1",
                                   "Kernel-Version:string:1", "Container-Runtime:string:1"));
  EXPECT_EQ(CellsOf("v1", "Node", R"j({
    "metadata": {"name": "node-1", "creationTimestamp": "2026-11-20T06:00:00Z",
      "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "gpu",
                 "node-role.kubernetes.io/": "x"}},
    "spec": {"unschedulable": true},
    "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                              {"type": "Ready", "status": "True"}],
      "addresses": [{"type": "Hostname", "address": "node-1"},
                    {"type": "InternalIP", "address": "192.168.1.10"}],
      "nodeInfo": {"kubeletVersion": "v1.34.1", "osImage": "Debian GNU/Linux 12 (bookworm)",
                   "kernelVersion": "6.1.0-18-amd64",
                   "containerRuntimeVersion": "containerd://1.7.13"}}})j"),
            R"(["node-1","Ready,SchedulingDisabled","control-plane,gpu","4d","v1.34.1",)"
            R"j("192.168.1.10","<none>","Debian GNU/Linux 12 (bookworm)","6.1.0-18-amd64",)j"
            R"("containerd://1.7.13"])");
  EXPECT_EQ(CellsOf("v1", "Node", R"({"metadata": {"name": "n2"},
    "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}})"),
            R"(["n2","NotReady","<none>","<unknown>","","<none>","<none>","<unknown>",)"
            R"("<unknown>","<unknown>"])");
  EXPECT_EQ(CellsOf("v1", "Node", R"({"metadata": {"name": "n3"}})"),
            R"(["n3","Unknown","<none>","<unknown>","","<none>","<none>","<unknown>",)"
            R"("<unknown>","<unknown>"])");
}

TEST(TableTest, Namespace) {
  EXPECT_THAT(Columns("v1", "Namespace"),
              testing::ElementsAre("Name:string:0", "Status:string:0", "Age:string:0"));
  EXPECT_EQ(CellsOf("v1", "Namespace", R"({"metadata": {"name": "default",
    "creationTimestamp": "2026-10-01T00:00:00Z"}, "status": {"phase": "Active"}})"),
            R"(["default","Active","54d"])");
}

TEST(TableTest, Event) {
  EXPECT_THAT(Columns("v1", "Event"),
              testing::ElementsAre("Last Seen:string:0", "Type:string:0", "Reason:string:0",
                                   "Object:string:0", "Subobject:string:1", "Source:string:1",
                                   "Message:string:0", "First Seen:string:1", "Count:string:1",
                                   "Name:string:1"));
  EXPECT_EQ(CellsOf("v1", "Event", R"({
    "metadata": {"name": "web.1", "namespace": "default"},
    "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{c}"},
    "reason": "Pulled", "type": "Normal", "message": "  Pulled image \"nginx\"\n",
    "source": {"component": "kubelet", "host": "node-1"},
    "firstTimestamp": "2026-11-24T05:50:00Z", "lastTimestamp": "2026-11-24T05:58:00Z",
    "count": 3})"),
            R"(["2m","Normal","Pulled","pod/web","spec.containers{c}","kubelet, node-1",)"
            R"("Pulled image \"nginx\"","10m",3,"web.1"])");
  // events.k8s.io-style event: eventTime, series, reporting fields.
  EXPECT_EQ(CellsOf("v1", "Event", R"({
    "metadata": {"name": "c.2"},
    "involvedObject": {"kind": "ResourceClaim"},
    "reason": "Allocated", "type": "Normal", "message": "ok",
    "reportingComponent": "dra-scheduler", "reportingInstance": "sched-0",
    "eventTime": "2026-11-24T05:00:00.000000Z",
    "series": {"count": 4, "lastObservedTime": "2026-11-24T05:59:00.000000Z"}})"),
            R"(["60s","Normal","Allocated","resourceclaim","","dra-scheduler, sched-0","ok",)"
            R"("60m",4,"c.2"])");
  EXPECT_EQ(CellsOf("v1", "Event", R"({"metadata": {"name": "e"},
    "involvedObject": {"kind": "Node", "name": "n1"}, "source": {"component": "kubelet"}})"),
            R"(["<unknown>","","","node/n1","","kubelet","","<unknown>",1,"e"])");
}

TEST(TableTest, Lease) {
  EXPECT_THAT(Columns("coordination.k8s.io/v1", "Lease"),
              testing::ElementsAre("Name:string:0", "Holder:string:0", "Age:string:0"));
  EXPECT_EQ(CellsOf("coordination.k8s.io/v1", "Lease", R"({"metadata": {"name": "node-1",
    "creationTimestamp": "2026-11-24T02:30:00Z"}, "spec": {"holderIdentity": "node-1"}})"),
            R"(["node-1","node-1","3h30m"])");
  EXPECT_EQ(CellsOf("coordination.k8s.io/v1", "Lease", R"({"metadata": {"name": "free"}})"),
            R"(["free","","<unknown>"])");
}

TEST(TableTest, Deployment) {
  EXPECT_THAT(Columns("apps/v1", "Deployment"),
              testing::ElementsAre("Name:string:0", "Ready:string:0", "Up-to-date:string:0",
                                   "Available:string:0", "Age:string:0", "Containers:string:1",
                                   "Images:string:1", "Selector:string:1"));
  EXPECT_EQ(
      CellsOf("apps/v1", "Deployment", R"({
    "metadata": {"name": "web", "creationTimestamp": "2026-11-24T05:00:00Z"},
    "spec": {"replicas": 3,
      "selector": {"matchLabels": {"app": "web"},
                   "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]},
      "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"},
                                           {"name": "log", "image": "busybox"}]}}},
    "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2,
               "availableReplicas": 2}})"),
      R"j(["web","2/3",3,2,"60m","nginx,log","nginx:1.27,busybox","app=web,tier in (a,b)"])j");
  EXPECT_EQ(CellsOf("apps/v1", "Deployment", R"({"metadata": {"name": "d"}})"),
            R"(["d","0/1",0,0,"<unknown>","","",""])");
  EXPECT_EQ(CellsOf("apps/v1", "Deployment", R"({"metadata": {"name": "bad"},
    "spec": {"replicas": 0, "selector": {"matchExpressions": [{"key": "a", "operator": "Is"}]}}})"),
            R"(["bad","0/0",0,0,"<unknown>","","","<invalid>"])");
}

TEST(TableTest, ReplicaSet) {
  EXPECT_THAT(Columns("apps/v1", "ReplicaSet"),
              testing::ElementsAre("Name:string:0", "Desired:integer:0", "Current:integer:0",
                                   "Ready:integer:0", "Age:string:0", "Containers:string:1",
                                   "Images:string:1", "Selector:string:1"));
  EXPECT_EQ(CellsOf("apps/v1", "ReplicaSet", R"({
    "metadata": {"name": "web-5d4f", "creationTimestamp": "2026-11-24T05:00:00Z"},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web", "pod-template-hash": "5d4f"}},
      "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
    "status": {"replicas": 3, "readyReplicas": 1}})"),
            R"(["web-5d4f",3,3,1,"60m","nginx","nginx:1.27","app=web,pod-template-hash=5d4f"])");
  EXPECT_EQ(CellsOf("apps/v1", "ReplicaSet", R"({"metadata": {"name": "e"},
    "spec": {"selector": {}}})"),
            R"(["e",1,0,0,"<unknown>","","","<none>"])");
}

TEST(TableTest, ResourceClaim) {
  EXPECT_THAT(Columns("resource.k8s.io/v1", "ResourceClaim"),
              testing::ElementsAre("Name:string:0", "State:string:0", "Age:string:0"));
  struct Case {
    std::string claim;
    std::string cells;
  };
  const std::vector<Case> cases = {
      {R"({"metadata": {"name": "gpu", "creationTimestamp": "2026-11-24T05:59:00Z"},
          "status": {"allocation": {"devices": {"results": [{"request": "gpu",
            "driver": "gpu.nvidia.com", "pool": "node-1", "device": "gpu-0"}]}},
            "reservedFor": [{"resource": "pods", "name": "web", "uid": "u1"}]}})",
       R"(["gpu","allocated,reserved","60s"])"},
      {R"({"metadata": {"name": "a"}, "status": {"allocation": {}}})",
       R"(["a","allocated","<unknown>"])"},
      {R"({"metadata": {"name": "p"}, "spec": {"devices": {}}})", R"(["p","pending","<unknown>"])"},
      {R"({"metadata": {"name": "d", "deletionTimestamp": "2026-11-24T06:00:00Z"},
          "status": {"allocation": {}, "reservedFor": [{"resource": "pods", "name": "x"}]}})",
       R"(["d","deleted,allocated,reserved","<unknown>"])"},
      {R"({"metadata": {"name": "gone", "deletionTimestamp": "2026-11-24T06:00:00Z"}})",
       R"(["gone","deleted","<unknown>"])"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CellsOf("resource.k8s.io/v1", "ResourceClaim", c.claim), c.cells) << c.claim;
  }
}

TEST(TableTest, ResourceSlice) {
  EXPECT_THAT(Columns("resource.k8s.io/v1", "ResourceSlice"),
              testing::ElementsAre("Name:string:0", "Node:string:0", "Driver:string:0",
                                   "Pool:string:0", "Age:string:0"));
  EXPECT_EQ(CellsOf("resource.k8s.io/v1", "ResourceSlice", R"({
    "metadata": {"name": "node-1-gpu.nvidia.com-x7k2p",
                 "creationTimestamp": "2026-11-24T03:00:00Z"},
    "spec": {"driver": "gpu.nvidia.com", "nodeName": "node-1",
             "pool": {"name": "node-1", "generation": 1, "resourceSliceCount": 1},
             "devices": [{"name": "gpu-0"}]}})"),
            R"(["node-1-gpu.nvidia.com-x7k2p","node-1","gpu.nvidia.com","node-1","3h"])");
  EXPECT_EQ(CellsOf("resource.k8s.io/v1", "ResourceSlice", R"({
    "metadata": {"name": "net"},
    "spec": {"driver": "net.example.com", "allNodes": true, "pool": {"name": "fabric"}}})"),
            R"(["net","","net.example.com","fabric","<unknown>"])");
}

TEST(TableTest, DeviceClassAndTemplate) {
  EXPECT_THAT(Columns("resource.k8s.io/v1", "DeviceClass"),
              testing::ElementsAre("Name:string:0", "Age:string:0"));
  EXPECT_EQ(CellsOf("resource.k8s.io/v1", "DeviceClass", R"({"metadata": {"name":
    "gpu.nvidia.com", "creationTimestamp": "2026-11-23T06:00:00Z"}})"),
            R"(["gpu.nvidia.com","24h"])");
  EXPECT_THAT(Columns("resource.k8s.io/v1", "ResourceClaimTemplate"),
              testing::ElementsAre("Name:string:0", "Age:string:0"));
  EXPECT_EQ(CellsOf("resource.k8s.io/v1", "ResourceClaimTemplate", R"({"metadata": {"name":
    "single-gpu", "creationTimestamp": "2026-11-24T05:54:30Z"}})"),
            R"(["single-gpu","5m30s"])");
}

TEST(TableTest, DefaultConvertor) {
  EXPECT_THAT(Columns("resource.k8s.io/v1beta2", "DeviceTaintRule"),
              testing::ElementsAre("Name:string:0", "Created At:date:0"));
  EXPECT_EQ(CellsOf("resource.k8s.io/v1beta2", "DeviceTaintRule", R"({"metadata": {"name":
    "maintenance", "creationTimestamp": "2026-11-24T07:00:00+02:00"}})"),
            R"(["maintenance","2026-11-24T05:00:00Z"])");
  EXPECT_EQ(CellsOf("example.com/v1", "Widget", R"({"metadata": {"name": "w"}})"),
            R"(["w","0001-01-01T00:00:00Z"])");
}

TEST(TableTest, ManyRowsKeepOrder) {
  std::vector<Value> objects;
  for (const char* name : {"c", "a", "b"}) {
    objects.push_back(Json(std::string(R"({"metadata": {"name": ")") + name + R"("}})"));
  }
  EXPECT_THAT(
      Cells("resource.k8s.io/v1", "DeviceClass", objects),
      testing::ElementsAre(R"(["c","<unknown>"])", R"(["a","<unknown>"])", R"(["b","<unknown>"])"));
}

}  // namespace
}  // namespace dra::apiserver
