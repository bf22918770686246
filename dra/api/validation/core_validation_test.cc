// Tests of the core/v1 validation (Pod, Node, Namespace, Event) against the messages and field
// paths of k8s.io/kubernetes pkg/apis/core/validation.
#include <string>
#include <vector>

#include "dra/api/defaults.h"
#include "dra/api/validation/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dra::api {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kLabelMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr char kSubdomainMsg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

std::vector<std::string> Strings(const FieldErrorList& errors) {
  std::vector<std::string> out;
  for (const FieldError& e : errors) out.push_back(e.ToString());
  return out;
}

std::string S(std::string a, std::string_view b) { return a.append(b); }

Quantity Q(std::string_view text) { return Quantity::Parse(text).value(); }

// A valid, defaulted pod with one claim from a template and one container using it.
Pod ValidPod() {
  Pod pod;
  pod.metadata.name = "pod";
  pod.metadata.namespace_ = "default";
  pod.spec.resource_claims.push_back(
      PodResourceClaim{.name = "gpu", .resource_claim_template_name = "single-gpu"});
  Container c;
  c.name = "ctr";
  c.image = "registry.k8s.io/pause:3.10";
  c.resources.claims.push_back(ContainerResourceClaim{.name = "gpu"});
  pod.spec.containers.push_back(c);
  ApplyDefaults(pod);
  return pod;
}

std::vector<std::string> PodErrors(const Pod& pod) { return Strings(ValidatePod(pod)); }

TEST(PodValidationTest, ValidPod) { EXPECT_THAT(PodErrors(ValidPod()), IsEmpty()); }

TEST(PodValidationTest, UndefaultedPodMissesRequiredFields) {
  Pod pod;
  pod.metadata.name = "pod";
  pod.metadata.namespace_ = "default";
  Container c;
  c.name = "ctr";
  c.image = "busybox";
  pod.spec.containers.push_back(c);
  EXPECT_THAT(PodErrors(pod),
              ElementsAre("spec.terminationGracePeriodSeconds: Required value",
                          "spec.containers[0].terminationMessagePolicy: Required value",
                          "spec.containers[0].imagePullPolicy: Required value",
                          "spec.restartPolicy: Required value", "spec.dnsPolicy: Required value"));
}

TEST(PodValidationTest, ResourceClaims) {
  Pod pod = ValidPod();
  pod.spec.containers[0].resources.claims.clear();
  pod.spec.resource_claims = {
      PodResourceClaim{.resource_claim_name = "a"},
      PodResourceClaim{.name = "Bad", .resource_claim_name = "a"},
      PodResourceClaim{.name = "x", .resource_claim_name = "a"},
      PodResourceClaim{.name = "x", .resource_claim_name = "b"},
      PodResourceClaim{
          .name = "both", .resource_claim_name = "a", .resource_claim_template_name = "t"},
      PodResourceClaim{.name = "neither"},
      PodResourceClaim{.name = "names", .resource_claim_name = "Claim_1"},
      PodResourceClaim{.name = "tmpl", .resource_claim_template_name = "-t"},
  };
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre(
          "spec.resourceClaims[0].name: Required value",
          S("spec.resourceClaims[1].name: Invalid value: \"Bad\": ", kLabelMsg),
          "spec.resourceClaims[3].name: Duplicate value: \"x\"",
          "spec.resourceClaims[4]: Invalid value: core.PodResourceClaim{Name:\"both\", "
          "ResourceClaimName:(*string)(\"a\"), ResourceClaimTemplateName:(*string)(\"t\")}: at "
          "most "
          "one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
          "spec.resourceClaims[5]: Invalid value: core.PodResourceClaim{Name:\"neither\", "
          "ResourceClaimName:(*string)(nil), ResourceClaimTemplateName:(*string)(nil)}: must "
          "specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
          S("spec.resourceClaims[6].resourceClaimName: Invalid value: \"Claim_1\": ",
            kSubdomainMsg),
          S("spec.resourceClaims[7].resourceClaimTemplateName: Invalid value: \"-t\": ",
            kSubdomainMsg)));
}

TEST(PodValidationTest, ContainerClaimsMustNamePodClaims) {
  Pod pod = ValidPod();
  pod.spec.resource_claims.push_back(
      PodResourceClaim{.name = "nic", .resource_claim_name = "shared-nic"});
  pod.spec.containers[0].resources.claims = {
      ContainerResourceClaim{.name = "gpu"},
      ContainerResourceClaim{.name = "missing"},
      ContainerResourceClaim{.name = "gpu"},
      ContainerResourceClaim{},
      ContainerResourceClaim{.name = "nic", .request = "Bad_Request"},
      ContainerResourceClaim{.name = "nic", .request = "Bad_Request"},
  };
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre(
          "spec.containers[0].resources.claims[1]: Not found: \"missing\": must be one of the "
          "names in pod.spec.resourceClaims: gpu, nic",
          "spec.containers[0].resources.claims[2]: Duplicate value: \"gpu\"",
          "spec.containers[0].resources.claims[3]: Required value",
          S("spec.containers[0].resources.claims[4].request: Invalid value: \"Bad_Request\": ",
            kLabelMsg),
          S("spec.containers[0].resources.claims[5].request: Invalid value: \"Bad_Request\": ",
            kLabelMsg),
          "spec.containers[0].resources.claims[5]: Duplicate value: \"nic/Bad_Request\""));
}

TEST(PodValidationTest, ContainerClaimWithoutPodClaims) {
  Pod pod = ValidPod();
  pod.spec.resource_claims.clear();
  EXPECT_THAT(PodErrors(pod),
              ElementsAre("spec.containers[0].resources.claims[0]: Not found: \"gpu\": must be one "
                          "of the names in pod.spec.resourceClaims which is empty"));
}

TEST(PodValidationTest, WholeClaimAfterOneOfItsRequests) {
  Pod pod = ValidPod();
  pod.spec.containers[0].resources.claims = {
      ContainerResourceClaim{.name = "gpu", .request = "a"},
      ContainerResourceClaim{.name = "gpu", .request = "b"},
      ContainerResourceClaim{.name = "gpu"},
  };
  // One duplicate per request referenced before.
  EXPECT_THAT(PodErrors(pod),
              ElementsAre("spec.containers[0].resources.claims[2]: Duplicate value: \"gpu\"",
                          "spec.containers[0].resources.claims[2]: Duplicate value: \"gpu\""));
}

TEST(PodValidationTest, Containers) {
  Pod pod = ValidPod();
  Container second = pod.spec.containers[0];
  second.resources.claims.clear();
  second.image = "";
  second.restart_policy = "Always";
  Container unnamed = second;
  unnamed.name = "";
  unnamed.image = "busybox";
  unnamed.restart_policy.reset();
  Container upper = unnamed;
  upper.name = "Upper";
  upper.image = " busybox";
  pod.spec.containers.push_back(second);
  pod.spec.containers.push_back(unnamed);
  pod.spec.containers.push_back(upper);
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre("spec.containers[1].image: Required value",
                  "spec.containers[1].name: Duplicate value: \"ctr\"",
                  "spec.containers[1].restartPolicy: Forbidden: may not be set for non-init "
                  "containers",
                  "spec.containers[2].name: Required value",
                  S("spec.containers[3].name: Invalid value: \"Upper\": ", kLabelMsg),
                  "spec.containers[3].image: Invalid value: \" busybox\": must not have leading "
                  "or trailing whitespace"));
}

TEST(PodValidationTest, NoContainers) {
  Pod pod = ValidPod();
  pod.spec.containers.clear();
  EXPECT_THAT(PodErrors(pod), ElementsAre("spec.containers: Required value"));
}

TEST(PodValidationTest, InitContainers) {
  Pod pod = ValidPod();
  Container init;
  init.name = "ctr";
  init.image = "busybox";
  init.restart_policy = "OnFailure";
  init.liveness_probe = Value::Object();
  Container sidecar;
  sidecar.name = "sidecar";
  sidecar.image = "busybox";
  sidecar.restart_policy = "Always";
  sidecar.liveness_probe = Value::Object();
  pod.spec.init_containers = {init, sidecar};
  ApplyDefaults(pod);
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre("spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": "
                  "supported values: \"Always\"",
                  "spec.initContainers[0].name: Duplicate value: \"ctr\"",
                  "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init "
                  "containers without restartPolicy=Always"));
}

TEST(PodValidationTest, ContainerEnums) {
  Pod pod = ValidPod();
  pod.spec.containers[0].image_pull_policy = "Sometimes";
  pod.spec.containers[0].termination_message_policy = "Stdout";
  pod.spec.restart_policy = "Maybe";
  pod.spec.dns_policy = "Google";
  pod.spec.preemption_policy = "Always";
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre("spec.containers[0].terminationMessagePolicy: Unsupported value: \"Stdout\": "
                  "supported values: \"File\", \"FallbackToLogsOnError\"",
                  "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": "
                  "supported values: \"Always\", \"IfNotPresent\", \"Never\"",
                  "spec.restartPolicy: Unsupported value: \"Maybe\": supported values: "
                  "\"Always\", \"OnFailure\", \"Never\"",
                  "spec.dnsPolicy: Unsupported value: \"Google\": supported values: "
                  "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"",
                  "spec.preemptionPolicy: Unsupported value: \"Always\": supported values: "
                  "\"PreemptLowerPriority\", \"Never\""));
}

TEST(PodValidationTest, ContainerResources) {
  Pod pod = ValidPod();
  ResourceRequirements& r = pod.spec.containers[0].resources;
  r.requests["example.com/gpu"] = Q("1");
  r.limits["cpu"] = Q("1");
  r.requests["cpu"] = Q("2");
  r.limits["foo"] = Q("1");
  r.limits["example.com/nic"] = Q("2");
  r.requests["example.com/nic"] = Q("1");
  r.limits["example.com/half"] = Q("500m");
  r.requests["example.com/half"] = Q("500m");
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre(
          "spec.containers[0].resources.limits[example.com/half]: Invalid value: 500m: must be an "
          "integer",
          "spec.containers[0].resources.limits[foo]: Invalid value: foo: must be a standard "
          "resource type or fully qualified",
          "spec.containers[0].resources.limits[foo]: Invalid value: foo: must be a standard "
          "resource for containers",
          "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal "
          "to cpu limit of 1",
          "spec.containers[0].resources.limits: Required value: Limit must be set for non "
          "overcommitable resources",
          "spec.containers[0].resources.requests[example.com/half]: Invalid value: 500m: must be "
          "an "
          "integer",
          "spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to "
          "example.com/nic limit of 2"));
}

TEST(PodValidationTest, PodLevelResources) {
  Pod pod = ValidPod();
  pod.spec.containers[0].resources.requests["cpu"] = Q("2");
  pod.spec.containers[0].resources.limits["cpu"] = Q("4");
  ResourceRequirements pod_resources;
  pod_resources.requests["cpu"] = Q("1");
  pod_resources.limits["cpu"] = Q("2");
  pod_resources.limits["example.com/gpu"] = Q("1");
  pod_resources.claims.push_back(ContainerResourceClaim{.name = "gpu"});
  pod.spec.resources = pod_resources;
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre(
          "spec.resources.claims: Forbidden: claims cannot be set for Resources at pod-level",
          "spec.resources.limits[example.com/gpu]: Unsupported value: example.com/gpu: supported "
          "values: \"cpu\", \"hugepages-\", \"memory\"",
          "spec.resources.requests[cpu]: Invalid value: \"1\": must be greater than or equal to "
          "aggregate container requests of 2",
          "spec.resources.containers[0][cpu].limits: Invalid value: \"4\": must be less than or "
          "equal to pod limits of 2"));
}

TEST(PodValidationTest, HostNetworkPorts) {
  Pod pod = ValidPod();
  pod.spec.host_network = true;
  Value port = Value::Object();
  port.Set("containerPort", Value::Int(8080));
  port.Set("hostPort", Value::Int(80));
  pod.spec.containers[0].ports.push_back(port);
  EXPECT_THAT(PodErrors(pod),
              ElementsAre("spec.containers[0].ports[0].hostPort: Invalid value: 80: must match "
                          "`containerPort` when `hostNetwork` is true"));
}

TEST(PodValidationTest, Tolerations) {
  Pod pod = ValidPod();
  pod.spec.tolerations = {
      Toleration{.key = "gpu", .value = "true", .effect = "NoSchedule"},
      Toleration{.operator_ = "Exists"},
      Toleration{.value = "x"},
      Toleration{.key = "k", .effect = "NoSchedule", .toleration_seconds = 5},
      Toleration{.key = "k", .operator_ = "Exists", .value = "v"},
      Toleration{.key = "k", .operator_ = "Lt", .value = "5"},
      Toleration{.key = "k", .effect = "Sometimes"},
      Toleration{.key = "bad key", .value = "bad value!"},
  };
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre(
          "spec.tolerations[2].operator: Invalid value: \"\": operator must be Exists when `key` "
          "is "
          "empty, which means \"match all values and all keys\"",
          "spec.tolerations[3].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' "
          "when `tolerationSeconds` is set",
          "spec.tolerations[4].operator: Invalid value: \"v\": value must be empty when `operator` "
          "is 'Exists'",
          "spec.tolerations[5].operator: Unsupported value: \"Lt\": supported values: \"Equal\", "
          "\"Exists\"",
          "spec.tolerations[6].effect: Unsupported value: \"Sometimes\": supported values: "
          "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
          "spec.tolerations[7].key: Invalid value: \"bad key\": name part must consist of "
          "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
          "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          "spec.tolerations[7].operator: Invalid value: \"bad value!\": a valid label must be an "
          "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
          "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
          "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
}

TEST(PodValidationTest, SpecNamesAndNumbers) {
  Pod pod = ValidPod();
  pod.spec.node_name = "Node_1";
  pod.spec.service_account_name = "sa.";
  pod.spec.priority_class_name = "High";
  pod.spec.hostname = "host.name";
  pod.spec.active_deadline_seconds = 0;
  pod.spec.scheduling_gates = {PodSchedulingGate{.name = "example.com/gate"},
                               PodSchedulingGate{.name = "example.com/gate"}};
  EXPECT_THAT(PodErrors(pod),
              ElementsAre("spec.schedulingGates[1]: Duplicate value: \"example.com/gate\"",
                          S("spec.serviceAccountName: Invalid value: \"sa.\": ", kSubdomainMsg),
                          S("spec.nodeName: Invalid value: \"Node_1\": ", kSubdomainMsg),
                          "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and "
                          "2147483647, inclusive",
                          "spec.hostname: Invalid value: \"host.name\": must not contain dots",
                          S("spec.priorityClassName: Invalid value: \"High\": ", kSubdomainMsg),
                          "spec.nodeName: Forbidden: cannot be set until all schedulingGates have "
                          "been cleared"));
}

TEST(PodValidationTest, Annotations) {
  Pod pod = ValidPod();
  pod.metadata.annotations["kubernetes.io/config.mirror"] = "hash";
  pod.metadata.annotations["controller.kubernetes.io/pod-deletion-cost"] = "+10";
  pod.metadata.annotations["container.apparmor.security.beta.kubernetes.io/other"] =
      "runtime/default";
  pod.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"] = "localhost/../x";
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre("metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"hash\": "
                  "must set spec.nodeName if mirror pod annotation is set",
                  "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid "
                  "value: \"+10\": must be a 32bit integer",
                  "metadata.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "
                  "\"../x\": must not contain '..'",
                  "metadata.annotations[container.apparmor.security.beta.kubernetes.io/other]: "
                  "Invalid value: \"other\": container not found"));
}

TEST(PodValidationTest, CreateOnlyRulesAndStatus) {
  Pod pod = ValidPod();
  pod.spec.ephemeral_containers.push_back(Value::Object());
  pod.status.resource_claim_statuses = {
      PodResourceClaimStatus{.name = "gpu", .resource_claim_name = "pod-gpu-x7k2q"},
      PodResourceClaimStatus{.name = "gpu"},
      PodResourceClaimStatus{.name = "other", .resource_claim_name = "Bad"},
  };
  EXPECT_THAT(
      PodErrors(pod),
      ElementsAre(
          "spec.ephemeralContainers: Forbidden: cannot be set on create",
          "status.resourceClaimStatuses[1].name: Duplicate value: \"gpu\"",
          "status.resourceClaimStatuses[2].name: Invalid value: \"other\": must match the "
          "name of an entry in `spec.resourceClaims`",
          S("status.resourceClaimStatuses[2].name: Invalid value: \"Bad\": ", kSubdomainMsg)));
}

TEST(PodValidationTest, Metadata) {
  Pod pod = ValidPod();
  pod.metadata.name = "";
  pod.metadata.namespace_ = "";
  EXPECT_THAT(PodErrors(pod),
              ElementsAre("metadata.name: Required value: name or generateName is required",
                          "metadata.namespace: Required value"));
}

// ---------------------------------------------------------------------------------------------
// Node.

TEST(NodeValidationTest, TaintsAndResources) {
  Node node;
  node.metadata.name = "node-1";
  node.spec.taints = {
      Taint{.key = "gpu", .effect = "NoSchedule"},
      Taint{.key = "gpu", .value = "other", .effect = "NoSchedule"},
      Taint{.key = "gpu", .effect = "NoExecute"},
      Taint{.key = "x"},
      Taint{.key = "y", .effect = "Never"},
  };
  node.status.capacity["cpu"] = Q("-1");
  node.status.capacity["pods"] = Q("1500m");
  node.status.allocatable["cpu"] = Q("1");
  EXPECT_THAT(
      Strings(ValidateNode(node)),
      ElementsAre("metadata.taints[1]: Duplicate value: core.Taint{Key:\"gpu\", Value:\"other\", "
                  "Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key "
                  "and effect pair",
                  "metadata.taints[3].effect: Required value",
                  "metadata.taints[4].effect: Unsupported value: \"Never\": supported values: "
                  "\"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                  "status.capacity.cpu: Invalid value: \"-1\": must be greater than or equal to 0",
                  "status.capacity.pods: Invalid value: 1500m: must be an integer"));
}

TEST(NodeValidationTest, ClusterScoped) {
  Node node;
  node.metadata.name = "node_1";
  node.metadata.namespace_ = "default";
  EXPECT_THAT(Strings(ValidateNode(node)),
              ElementsAre(S("metadata.name: Invalid value: \"node_1\": ", kSubdomainMsg),
                          "metadata.namespace: Forbidden: not allowed on this type"));
}

// ---------------------------------------------------------------------------------------------
// Namespace.

TEST(NamespaceValidationTest, NameIsALabel) {
  Namespace ns;
  ns.metadata.name = "team.a";
  ns.spec.finalizers = {"kubernetes", "custom", "example.com/cleanup"};
  EXPECT_THAT(Strings(ValidateNamespace(ns)),
              ElementsAre("metadata.name: Invalid value: \"team.a\": must not contain dots",
                          "spec.finalizers: Invalid value: \"custom\": name is neither a standard "
                          "finalizer name nor is it fully qualified"));
  ns.metadata.name = "team-a";
  ns.spec.finalizers = {"kubernetes"};
  ApplyDefaults(ns);
  EXPECT_THAT(Strings(ValidateNamespace(ns)), IsEmpty());
}

// ---------------------------------------------------------------------------------------------
// Event.

Event LegacyEvent() {
  Event event;
  event.metadata.name = "pod.17a1b2c3d4e5f6a7";
  event.metadata.namespace_ = "default";
  event.involved_object = ObjectReference{.kind = "Pod", .namespace_ = "default", .name = "pod"};
  event.reason = "FailedScheduling";
  event.message = "0/1 nodes are available";
  event.type = "Warning";
  return event;
}

TEST(EventValidationTest, LegacyEvent) {
  EXPECT_THAT(Strings(ValidateEvent(LegacyEvent())), IsEmpty());

  Event event = LegacyEvent();
  event.involved_object.namespace_ = "other";
  EXPECT_THAT(Strings(ValidateEvent(event)),
              ElementsAre("involvedObject.namespace: Invalid value: \"other\": does not match "
                          "event.namespace"));

  Event cluster_scoped = LegacyEvent();
  cluster_scoped.involved_object.namespace_ = "";
  EXPECT_THAT(Strings(ValidateEvent(cluster_scoped)), IsEmpty());
  cluster_scoped.metadata.namespace_ = "team-a";
  EXPECT_THAT(Strings(ValidateEvent(cluster_scoped)),
              ElementsAre("involvedObject.namespace: Invalid value: \"\": does not match "
                          "event.namespace"));
}

TEST(EventValidationTest, NewStyleEventNeedsReportingFields) {
  Event event = LegacyEvent();
  event.event_time = "2025-01-02T03:04:05.000000Z";
  event.reason = std::string(129, 'r');
  EXPECT_THAT(
      Strings(ValidateEvent(event)),
      ElementsAre("reportingController: Required value",
                  "reportingController: Invalid value: \"\": name part must be non-empty",
                  "reportingController: Invalid value: \"\": name part must consist of "
                  "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                  "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                  "reportingInstance: Required value", "action: Required value",
                  "reason: Invalid value: \"\": can have at most 128 characters"));

  event.reason = "Scheduled";
  event.reporting_component = "dra.example.com/scheduler";
  event.reporting_instance = "scheduler-1";
  event.action = "Binding";
  EXPECT_THAT(Strings(ValidateEvent(event)), IsEmpty());
}

TEST(EventValidationTest, NamespaceMustBeASubdomain) {
  Event event = LegacyEvent();
  event.metadata.namespace_ = "";
  event.involved_object.namespace_ = "";
  EXPECT_THAT(Strings(ValidateEvent(event)),
              ElementsAre(S("namespace: Invalid value: \"\": ", kSubdomainMsg)));
}

// ---------------------------------------------------------------------------------------------
// Dispatch.

TEST(ValidateObjectTest, DispatchesCoreKinds) {
  Pod pod = ValidPod();
  pod.spec.containers.clear();
  EXPECT_THAT(Strings(ValidateObject(Object(pod))), ElementsAre("spec.containers: Required value"));
  Node node;
  EXPECT_THAT(Strings(ValidateObject(Object(node))),
              ElementsAre("metadata.name: Required value: name or generateName is required"));
  Namespace ns;
  ns.metadata.name = "ns";
  EXPECT_THAT(Strings(ValidateObject(Object(ns))), IsEmpty());
  EXPECT_THAT(Strings(ValidateObject(Object(LegacyEvent()))), IsEmpty());
}

}  // namespace
}  // namespace dra::api
