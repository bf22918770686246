#include "dra/apiserver/openapi/openapi.h"

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dra/apiserver/openapi/field_notes.h"
#include "dra/apiserver/openapi/schema_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace dra::apiserver::openapi {
namespace {

using json = nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

const OpenApiDocuments& Docs() {
  static const OpenApiDocuments* const docs =
      new OpenApiDocuments(OpenApiDocuments::Build(DefaultServedResources()));
  return *docs;
}

json Parse(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text.substr(0, 200);
  return j;
}

json V3(std::string_view path) {
  const std::string* text = Docs().V3GroupVersion(path);
  if (text == nullptr) {
    ADD_FAILURE() << "no document " << path;
    return json::object();
  }
  return Parse(*text);
}

const json& Schema(const json& doc, const std::string& name) {
  static const json kNull;
  const json& schemas = doc["components"]["schemas"];
  if (!schemas.contains(name)) {
    ADD_FAILURE() << "no schema " << name;
    return kNull;
  }
  return schemas[name];
}

// The reference a property points to, through an allOf wrapper; empty if none.
std::string RefOf(const json& property) {
  if (property.contains("$ref")) return property["$ref"].get<std::string>();
  if (property.contains("allOf") && property["allOf"].size() == 1) {
    return RefOf(property["allOf"][0]);
  }
  return "";
}

std::string Ref(std::string_view name) { return "#/components/schemas/" + std::string(name); }

json GvkJson(const std::string& group, const std::string& version, const std::string& kind) {
  return {{"group", group}, {"kind", kind}, {"version", version}};
}

// Mirrors kubectl's query-parameter check (cli-runtime supportsQueryParamV3): the first patch
// operation tagged with the GVK decides.
bool SupportsQueryParam(const json& doc, const json& gvk, std::string_view param) {
  for (const auto& [path, item] : doc["paths"].items()) {
    if (!item.contains("patch")) continue;
    const json& op = item["patch"];
    if (op.value("x-kubernetes-group-version-kind", json()) != gvk) continue;
    for (const json& p : op.value("parameters", json::array())) {
      if (p["name"] == param && p["in"] == "query") return true;
    }
    return false;
  }
  return false;
}

void CollectRefs(const json& j, std::vector<std::string>* out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "$ref" && it.value().is_string()) {
        out->push_back(it.value().get<std::string>());
      } else {
        CollectRefs(it.value(), out);
      }
    }
  } else if (j.is_array()) {
    for (const json& item : j) CollectRefs(item, out);
  }
}

TEST(OpenApiTest, IndexListsEveryGroupVersion) {
  json index = Parse(Docs().V3Index());
  std::vector<std::string> keys;
  for (const auto& [key, value] : index["paths"].items()) {
    keys.push_back(key);
    const std::string* hash = Docs().V3Hash(key);
    ASSERT_NE(hash, nullptr);
    EXPECT_EQ(value["serverRelativeURL"], "/openapi/v3/" + key + "?hash=" + *hash);
    EXPECT_EQ(hash->size(), 32u);
    EXPECT_NE(Docs().V3GroupVersion(key), nullptr);
  }
  EXPECT_THAT(keys, ElementsAre("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1",
                                "apis/resource.k8s.io/v1", "apis/resource.k8s.io/v1beta1",
                                "apis/resource.k8s.io/v1beta2"));
  EXPECT_EQ(Docs().V3Paths(), keys);
  EXPECT_EQ(Docs().V3GroupVersion("apis/resource.k8s.io/v1alpha3"), nullptr);
  EXPECT_EQ(Docs().V3GroupVersion("api/v1?hash=x"), nullptr);
  EXPECT_EQ(Docs().V3Hash("apis/nope/v1"), nullptr);
}

TEST(OpenApiTest, DocumentsAreWellFormed) {
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    EXPECT_EQ(doc["openapi"], "3.0.0") << path;
    EXPECT_TRUE(doc["paths"].is_object()) << path;
    EXPECT_TRUE(doc["components"]["schemas"].is_object()) << path;
  }
  json v2 = Parse(Docs().V2());
  EXPECT_EQ(v2["swagger"], "2.0");
  EXPECT_TRUE(v2["definitions"].is_object());
}

TEST(OpenApiTest, BuildIsDeterministic) {
  OpenApiDocuments again = OpenApiDocuments::Build(DefaultServedResources());
  EXPECT_EQ(again.V3Index(), Docs().V3Index());
  EXPECT_EQ(again.V2(), Docs().V2());
  for (const std::string& path : Docs().V3Paths()) {
    ASSERT_NE(again.V3GroupVersion(path), nullptr);
    EXPECT_EQ(*again.V3GroupVersion(path), *Docs().V3GroupVersion(path)) << path;
  }
}

TEST(OpenApiTest, EveryKindSupportsFieldValidationInV3) {
  for (const ServedResource& r : DefaultServedResources()) {
    json doc = V3(GroupVersionPath(r.group, r.version));
    json gvk = GvkJson(r.group, r.version, r.kind);
    EXPECT_TRUE(SupportsQueryParam(doc, gvk, "fieldValidation")) << gvk.dump();
    EXPECT_TRUE(SupportsQueryParam(doc, gvk, "dryRun")) << gvk.dump();
    EXPECT_TRUE(SupportsQueryParam(doc, gvk, "fieldManager")) << gvk.dump();
  }
}

TEST(OpenApiTest, EveryPatchOperationIsComplete) {
  // kubectl's check stops at the first matching patch operation, in map order: every patch
  // operation must therefore pass it on its own.
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    int patches = 0;
    for (const auto& [p, item] : doc["paths"].items()) {
      if (!item.contains("patch")) continue;
      ++patches;
      const json& op = item["patch"];
      EXPECT_EQ(op["x-kubernetes-action"], "patch") << p;
      const json& gvk = op["x-kubernetes-group-version-kind"];
      EXPECT_TRUE(gvk.contains("group") && gvk.contains("version") && gvk.contains("kind")) << p;
      std::set<std::string> names;
      for (const json& param : op["parameters"]) {
        if (param["in"] == "query") names.insert(param["name"]);
      }
      EXPECT_THAT(names, Contains("fieldValidation")) << p;
      EXPECT_THAT(names, Contains("force")) << p;
      EXPECT_TRUE(op["requestBody"]["content"].contains("application/apply-patch+yaml")) << p;
      EXPECT_TRUE(op["requestBody"]["content"].contains("application/strategic-merge-patch+json"))
          << p;
    }
    EXPECT_GT(patches, 0) << path;
  }
}

TEST(OpenApiTest, EveryOperationIsTaggedAndUnique) {
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    std::set<std::string> ids;
    for (const auto& [p, item] : doc["paths"].items()) {
      for (const char* method : {"get", "post", "put", "patch", "delete"}) {
        if (!item.contains(method)) continue;
        const json& op = item[method];
        EXPECT_TRUE(op.contains("x-kubernetes-action")) << p << " " << method;
        EXPECT_TRUE(op.contains("x-kubernetes-group-version-kind")) << p << " " << method;
        EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second)
            << "duplicate " << op["operationId"];
        EXPECT_TRUE(op["responses"].contains("200") || op["responses"].contains("201")) << p;
      }
    }
  }
}

TEST(OpenApiTest, ResourcePathsHaveTheExpectedOperations) {
  json core = V3("api/v1");
  const json& pods = core["paths"]["/api/v1/namespaces/{namespace}/pods"];
  EXPECT_EQ(pods["get"]["x-kubernetes-action"], "list");
  EXPECT_EQ(pods["post"]["x-kubernetes-action"], "post");
  EXPECT_EQ(pods["delete"]["x-kubernetes-action"], "deletecollection");
  EXPECT_EQ(RefOf(pods["get"]["responses"]["200"]["content"]["application/json"]["schema"]),
            Ref("io.k8s.api.core.v1.PodList"));
  EXPECT_EQ(RefOf(pods["post"]["requestBody"]["content"]["*/*"]["schema"]),
            Ref("io.k8s.api.core.v1.Pod"));
  std::set<std::string> list_params;
  for (const json& p : pods["get"]["parameters"]) list_params.insert(p["name"]);
  for (const char* name :
       {"labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch"}) {
    EXPECT_THAT(list_params, Contains(name));
  }
  const json& pod = core["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"];
  for (const char* method : {"get", "put", "patch", "delete"}) {
    EXPECT_TRUE(pod.contains(method)) << method;
  }
  std::set<std::string> path_params;
  for (const json& p : pod["parameters"]) path_params.insert(p["name"]);
  EXPECT_THAT(path_params, Contains("name"));
  EXPECT_THAT(path_params, Contains("namespace"));

  EXPECT_TRUE(core["paths"].contains("/api/v1/pods"));
  EXPECT_TRUE(core["paths"].contains("/api/v1/watch/namespaces/{namespace}/pods"));
  EXPECT_EQ(core["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/status"]["patch"]
                ["x-kubernetes-group-version-kind"],
            GvkJson("", "v1", "Pod"));
  const json& binding = core["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/binding"];
  EXPECT_EQ(binding["post"]["x-kubernetes-group-version-kind"], GvkJson("", "v1", "Binding"));
  EXPECT_FALSE(binding.contains("get"));
  EXPECT_TRUE(core["paths"].contains("/api/v1/nodes/{name}/status"));
  EXPECT_FALSE(core["paths"].contains("/api/v1/namespaces/{namespace}/nodes"));

  json resource = V3("apis/resource.k8s.io/v1");
  EXPECT_TRUE(resource["paths"].contains("/apis/resource.k8s.io/v1/deviceclasses/{name}"));
  EXPECT_TRUE(resource["paths"].contains(
      "/apis/resource.k8s.io/v1/namespaces/{namespace}/resourceclaims/{name}/status"));
  EXPECT_FALSE(resource["paths"].contains("/apis/resource.k8s.io/v1/devicetaintrules"));
  json v1beta2 = V3("apis/resource.k8s.io/v1beta2");
  EXPECT_TRUE(v1beta2["paths"].contains("/apis/resource.k8s.io/v1beta2/devicetaintrules"));

  json apps = V3("apis/apps/v1");
  const json& scale =
      apps["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  EXPECT_EQ(scale["patch"]["x-kubernetes-group-version-kind"],
            GvkJson("autoscaling", "v1", "Scale"));
  EXPECT_THAT(Schema(apps, "io.k8s.api.autoscaling.v1.Scale")["x-kubernetes-group-version-kind"],
              Contains(GvkJson("autoscaling", "v1", "Scale")));
}

// Mirrors `kubectl explain` (kubectl/pkg/explain/v2/templates/plaintext.tmpl): find the GVK on
// an operation of the resource's paths, then the schema whose GVK list contains it.
TEST(OpenApiTest, ExplainFindsEveryKindSchema) {
  for (const ServedResource& r : DefaultServedResources()) {
    json doc = V3(GroupVersionPath(r.group, r.version));
    std::string prefix = r.group.empty() ? "/api" : "/apis/" + r.group;
    std::vector<std::string> search = {
        prefix + "/" + r.version + "/" + r.plural,
        prefix + "/" + r.version + "/" + r.plural + "/{name}",
        prefix + "/" + r.version + "/namespaces/{namespace}/" + r.plural,
        prefix + "/" + r.version + "/namespaces/{namespace}/" + r.plural + "/{name}",
    };
    json gvk;
    for (const std::string& path : search) {
      if (!doc["paths"].contains(path)) continue;
      for (const char* method : {"get", "post", "put", "patch", "delete"}) {
        const json& item = doc["paths"][path];
        if (item.contains(method) && item[method].contains("x-kubernetes-group-version-kind")) {
          gvk = item[method]["x-kubernetes-group-version-kind"];
          break;
        }
      }
      if (!gvk.is_null()) break;
    }
    ASSERT_FALSE(gvk.is_null()) << r.plural;
    EXPECT_EQ(gvk, GvkJson(r.group, r.version, r.kind));
    int found = 0;
    for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
      const json& list = schema.value("x-kubernetes-group-version-kind", json::array());
      for (const json& g : list) {
        if (g == gvk) {
          ++found;
          EXPECT_FALSE(schema.value("description", "").empty()) << name;
          EXPECT_TRUE(schema["properties"].contains("metadata")) << name;
        }
      }
    }
    EXPECT_EQ(found, 1) << gvk.dump();
  }
}

TEST(OpenApiTest, RefsResolveWithinEachDocument) {
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    std::vector<std::string> refs;
    CollectRefs(doc, &refs);
    EXPECT_THAT(refs, Not(IsEmpty()));
    for (const std::string& ref : refs) {
      ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
      EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(21))) << path << ": " << ref;
    }
  }
  json v2 = Parse(Docs().V2());
  std::vector<std::string> refs;
  CollectRefs(v2, &refs);
  for (const std::string& ref : refs) {
    ASSERT_EQ(ref.rfind("#/definitions/", 0), 0u) << ref;
    EXPECT_TRUE(v2["definitions"].contains(ref.substr(14))) << ref;
  }
}

TEST(OpenApiTest, UnreferencedDefinitionsAreDropped) {
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    std::vector<std::string> refs;
    CollectRefs(doc, &refs);
    std::set<std::string> used(refs.begin(), refs.end());
    for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
      EXPECT_TRUE(used.count(Ref(name)) != 0) << path << ": " << name;
    }
  }
}

TEST(OpenApiTest, ResourceClaimFieldTypes) {
  json doc = V3("apis/resource.k8s.io/v1");
  const json& claim = Schema(doc, "io.k8s.api.resource.v1.ResourceClaim");
  EXPECT_EQ(claim["type"], "object");
  EXPECT_THAT(claim["x-kubernetes-group-version-kind"],
              ElementsAre(GvkJson("resource.k8s.io", "v1", "ResourceClaim")));
  EXPECT_THAT(claim["required"], Contains("spec"));
  EXPECT_EQ(RefOf(claim["properties"]["metadata"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  EXPECT_FALSE(claim["properties"]["metadata"].value("description", "").empty());
  EXPECT_EQ(RefOf(claim["properties"]["spec"]), Ref("io.k8s.api.resource.v1.ResourceClaimSpec"));
  EXPECT_EQ(claim["properties"]["apiVersion"]["type"], "string");

  const json& spec = Schema(doc, "io.k8s.api.resource.v1.ResourceClaimSpec");
  EXPECT_EQ(RefOf(spec["properties"]["devices"]), Ref("io.k8s.api.resource.v1.DeviceClaim"));
  const json& requests =
      Schema(doc, "io.k8s.api.resource.v1.DeviceClaim")["properties"]["requests"];
  EXPECT_EQ(requests["type"], "array");
  EXPECT_EQ(RefOf(requests["items"]), Ref("io.k8s.api.resource.v1.DeviceRequest"));
  EXPECT_EQ(requests["x-kubernetes-list-type"], "atomic");

  const json& request = Schema(doc, "io.k8s.api.resource.v1.DeviceRequest");
  EXPECT_EQ(RefOf(request["properties"]["exactly"]),
            Ref("io.k8s.api.resource.v1.ExactDeviceRequest"));
  EXPECT_THAT(request["required"], ElementsAre("name"));
  const json& exact = Schema(doc, "io.k8s.api.resource.v1.ExactDeviceRequest");
  EXPECT_EQ(exact["properties"]["count"]["type"], "integer");
  EXPECT_EQ(exact["properties"]["count"]["format"], "int64");
  EXPECT_EQ(exact["properties"]["adminAccess"]["type"], "boolean");
  EXPECT_THAT(exact["required"], ElementsAre("deviceClassName"));

  // Quantities.
  const json& counter = Schema(doc, "io.k8s.api.resource.v1.Counter");
  EXPECT_EQ(RefOf(counter["properties"]["value"]),
            Ref("io.k8s.apimachinery.pkg.api.resource.Quantity"));
  const json& capacity = Schema(doc, "io.k8s.api.resource.v1.CapacityRequirements");
  EXPECT_EQ(capacity["properties"]["requests"]["type"], "object");
  EXPECT_EQ(RefOf(capacity["properties"]["requests"]["additionalProperties"]),
            Ref("io.k8s.apimachinery.pkg.api.resource.Quantity"));
  EXPECT_TRUE(Schema(doc, "io.k8s.apimachinery.pkg.api.resource.Quantity").contains("oneOf"));

  // Maps of structs, lists of scalars, free-form values.
  const json& device = Schema(doc, "io.k8s.api.resource.v1.Device");
  EXPECT_EQ(RefOf(device["properties"]["attributes"]["additionalProperties"]),
            Ref("io.k8s.api.resource.v1.DeviceAttribute"));
  const json& attribute = Schema(doc, "io.k8s.api.resource.v1.DeviceAttribute");
  EXPECT_EQ(attribute["properties"]["ints"]["items"]["type"], "integer");
  EXPECT_EQ(attribute["properties"]["bools"]["items"]["type"], "boolean");
  const json& opaque = Schema(doc, "io.k8s.api.resource.v1.OpaqueDeviceConfiguration");
  EXPECT_EQ(opaque["properties"]["parameters"]["x-kubernetes-preserve-unknown-fields"], true);
  EXPECT_THAT(opaque["required"], ElementsAre("driver", "parameters"));

  // Timestamps.
  const json& allocation = Schema(doc, "io.k8s.api.resource.v1.AllocationResult");
  EXPECT_EQ(RefOf(allocation["properties"]["allocationTimestamp"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.Time"));
  const json& time = Schema(doc, "io.k8s.apimachinery.pkg.apis.meta.v1.Time");
  EXPECT_EQ(time["type"], "string");
  EXPECT_EQ(time["format"], "date-time");
  const json& meta = Schema(doc, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  EXPECT_EQ(RefOf(meta["properties"]["creationTimestamp"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.Time"));
  EXPECT_EQ(meta["properties"]["labels"]["additionalProperties"]["type"], "string");
  EXPECT_FALSE(meta.contains("required"));
}

TEST(OpenApiTest, CoreFieldTypesAndPatchHints) {
  json doc = V3("api/v1");
  const json& spec = Schema(doc, "io.k8s.api.core.v1.PodSpec");
  EXPECT_THAT(spec["required"], ElementsAre("containers"));
  const json& containers = spec["properties"]["containers"];
  EXPECT_EQ(containers["type"], "array");
  EXPECT_EQ(RefOf(containers["items"]), Ref("io.k8s.api.core.v1.Container"));
  EXPECT_EQ(containers["x-kubernetes-patch-merge-key"], "name");
  EXPECT_EQ(containers["x-kubernetes-patch-strategy"], "merge");
  EXPECT_EQ(containers["x-kubernetes-list-type"], "map");
  EXPECT_THAT(containers["x-kubernetes-list-map-keys"], ElementsAre("name"));
  EXPECT_EQ(spec["properties"]["volumes"]["x-kubernetes-patch-merge-key"], "name");
  EXPECT_EQ(spec["properties"]["volumes"]["items"]["x-kubernetes-preserve-unknown-fields"], true);
  const json& container = Schema(doc, "io.k8s.api.core.v1.Container");
  EXPECT_EQ(container["properties"]["env"]["x-kubernetes-patch-merge-key"], "name");
  EXPECT_THAT(container["required"], ElementsAre("name"));
  const json& resources = Schema(doc, "io.k8s.api.core.v1.ResourceRequirements");
  EXPECT_EQ(RefOf(resources["properties"]["limits"]["additionalProperties"]),
            Ref("io.k8s.apimachinery.pkg.api.resource.Quantity"));
  EXPECT_EQ(RefOf(resources["properties"]["claims"]["items"]),
            Ref("io.k8s.api.core.v1.ResourceClaim"));
  const json& event = Schema(doc, "io.k8s.api.core.v1.Event");
  EXPECT_EQ(RefOf(event["properties"]["eventTime"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"));
  EXPECT_THAT(event["required"], ElementsAre("metadata", "involvedObject"));
  const json& list = Schema(doc, "io.k8s.api.core.v1.PodList");
  EXPECT_THAT(list["required"], ElementsAre("items"));
  EXPECT_THAT(list["x-kubernetes-group-version-kind"], ElementsAre(GvkJson("", "v1", "PodList")));
  EXPECT_EQ(RefOf(list["properties"]["metadata"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"));
  EXPECT_FALSE(doc["components"]["schemas"].contains("io.k8s.api.resource.v1.ResourceClaim"));
}

TEST(OpenApiTest, V1beta1HasItsOwnShape) {
  json doc = V3("apis/resource.k8s.io/v1beta1");
  EXPECT_FALSE(
      doc["components"]["schemas"].contains("io.k8s.api.resource.v1beta1.ExactDeviceRequest"));
  const json& request = Schema(doc, "io.k8s.api.resource.v1beta1.DeviceRequest");
  EXPECT_FALSE(request["properties"].contains("exactly"));
  for (const char* field : {"name", "deviceClassName", "selectors", "allocationMode", "count",
                            "adminAccess", "tolerations", "capacity", "firstAvailable"}) {
    EXPECT_TRUE(request["properties"].contains(field)) << field;
  }
  EXPECT_THAT(request["required"], ElementsAre("name"));
  const json& device = Schema(doc, "io.k8s.api.resource.v1beta1.Device");
  EXPECT_EQ(device["properties"].size(), 2u);
  EXPECT_EQ(RefOf(device["properties"]["basic"]), Ref("io.k8s.api.resource.v1beta1.BasicDevice"));
  const json& basic = Schema(doc, "io.k8s.api.resource.v1beta1.BasicDevice");
  EXPECT_FALSE(basic["properties"].contains("name"));
  EXPECT_TRUE(basic["properties"].contains("attributes"));
  EXPECT_THAT(
      Schema(doc, "io.k8s.api.resource.v1beta1.ResourceClaim")["x-kubernetes-group-version-kind"],
      ElementsAre(GvkJson("resource.k8s.io", "v1beta1", "ResourceClaim")));
  for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
    EXPECT_EQ(name.find("io.k8s.api.resource.v1."), std::string::npos) << name;
  }

  json v1beta2 = V3("apis/resource.k8s.io/v1beta2");
  EXPECT_TRUE(Schema(v1beta2, "io.k8s.api.resource.v1beta2.DeviceRequest")["properties"].contains(
      "exactly"));
  EXPECT_THAT(
      Schema(v1beta2,
             "io.k8s.api.resource.v1beta2.DeviceTaintRule")["x-kubernetes-group-version-kind"],
      ElementsAre(GvkJson("resource.k8s.io", "v1beta2", "DeviceTaintRule")));
}

TEST(OpenApiTest, WorkloadSchemasAreTyped) {
  json apps = V3("apis/apps/v1");
  const json& spec = Schema(apps, "io.k8s.api.apps.v1.DeploymentSpec");
  EXPECT_THAT(spec["required"], ElementsAre("selector", "template"));
  EXPECT_EQ(RefOf(spec["properties"]["template"]), Ref("io.k8s.api.core.v1.PodTemplateSpec"));
  const json& rolling = Schema(apps, "io.k8s.api.apps.v1.RollingUpdateDeployment");
  EXPECT_EQ(RefOf(rolling["properties"]["maxSurge"]),
            Ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
  EXPECT_TRUE(apps["components"]["schemas"].contains("io.k8s.api.core.v1.PodSpec"));

  json coordination = V3("apis/coordination.k8s.io/v1");
  const json& lease = Schema(coordination, "io.k8s.api.coordination.v1.LeaseSpec");
  EXPECT_EQ(RefOf(lease["properties"]["renewTime"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"));
}

// Every note in the field table names a real generated field, and time notes took effect.
TEST(OpenApiTest, FieldNotesMatchGeneratedSchemas) {
  json all = json::object();
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    for (const auto& [name, schema] : doc["components"]["schemas"].items()) all[name] = schema;
  }
  auto prefix_of = [](std::string_view tag) -> std::string {
    if (tag == "meta") return "io.k8s.apimachinery.pkg.apis.meta.v1.";
    if (tag == "resource") return "io.k8s.api.resource.v1beta2.";
    return "io.k8s.api." + std::string(tag) + ".v1.";
  };
  for (const FieldNoteKey& key : AllFieldNoteKeys()) {
    std::string_view owner = key.owner_key;
    size_t dot = owner.find('.');
    std::string name = prefix_of(owner.substr(0, dot)) + std::string(owner.substr(dot + 1));
    ASSERT_TRUE(all.contains(name)) << name;
    ASSERT_TRUE(all[name]["properties"].contains(std::string(key.field)))
        << name << "." << key.field;
    const FieldNote* note = FindFieldNote(key.owner_key, key.field);
    ASSERT_NE(note, nullptr);
    if (note->time != TimeKind::kNone) {
      EXPECT_EQ(RefOf(all[name]["properties"][std::string(key.field)]),
                Ref(note->time == TimeKind::kTime ? kTimeName : kMicroTimeName))
          << name << "." << key.field;
    }
  }
}

// A string field whose name says it is a time must be typed as one (keeps the time table
// complete when types gain fields).
TEST(OpenApiTest, TimeLikeFieldsAreTimestamps) {
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
      if (!schema.contains("properties")) continue;
      for (const auto& [field, property] : schema["properties"].items()) {
        // Split the camelCase name into lowercase words.
        std::vector<std::string> words(1);
        for (char c : field) {
          if (std::isupper(static_cast<unsigned char>(c)) && !words.back().empty()) {
            words.emplace_back();
          }
          words.back().push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        bool time_like = false;
        for (const std::string& w : words) time_like = time_like || w == "time" || w == "timestamp";
        if (!time_like) continue;
        std::string ref = RefOf(property);
        EXPECT_TRUE(ref == Ref(kTimeName) || ref == Ref(kMicroTimeName))
            << name << "." << field << " is " << property.dump();
      }
    }
  }
}

TEST(OpenApiTest, EveryKindAndMainFieldHasADescription) {
  for (const std::string& path : Docs().V3Paths()) {
    json doc = V3(path);
    for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
      EXPECT_FALSE(schema.value("description", "").empty()) << name;
      if (!schema.contains("x-kubernetes-group-version-kind") || !schema.contains("properties")) {
        continue;
      }
      for (const char* field : {"apiVersion", "kind", "metadata", "spec"}) {
        if (!schema["properties"].contains(field)) continue;
        EXPECT_FALSE(schema["properties"][field].value("description", "").empty())
            << name << "." << field;
      }
    }
  }
}

TEST(OpenApiTest, SwaggerV2) {
  json v2 = Parse(Docs().V2());
  EXPECT_EQ(Docs().V2().find("#/components/"), std::string::npos);
  EXPECT_EQ(Docs().V2().find("\"allOf\""), std::string::npos);
  EXPECT_EQ(Docs().V2().find("\"oneOf\""), std::string::npos);
  EXPECT_EQ(v2["definitions"]["io.k8s.apimachinery.pkg.api.resource.Quantity"]["type"], "string");
  const json& pod = v2["definitions"]["io.k8s.api.core.v1.Pod"];
  EXPECT_THAT(pod["x-kubernetes-group-version-kind"], ElementsAre(GvkJson("", "v1", "Pod")));
  EXPECT_EQ(pod["properties"]["spec"]["$ref"], "#/definitions/io.k8s.api.core.v1.PodSpec");
  EXPECT_FALSE(pod["properties"]["spec"].value("description", "").empty());
  for (const char* name :
       {"io.k8s.api.resource.v1.ResourceClaim", "io.k8s.api.resource.v1beta1.ResourceClaim",
        "io.k8s.api.resource.v1beta2.DeviceTaintRule", "io.k8s.api.apps.v1.Deployment",
        "io.k8s.api.coordination.v1.Lease"}) {
    EXPECT_TRUE(v2["definitions"].contains(name)) << name;
  }
  // Every kind's patch operation carries fieldValidation (kubectl's v2 check).
  for (const ServedResource& r : DefaultServedResources()) {
    json gvk = GvkJson(r.group, r.version, r.kind);
    int matched = 0;
    for (const auto& [path, item] : v2["paths"].items()) {
      if (!item.contains("patch") || item["patch"]["x-kubernetes-group-version-kind"] != gvk) {
        continue;
      }
      ++matched;
      bool found = false;
      for (const json& p : item["patch"]["parameters"]) {
        found = found || (p["name"] == "fieldValidation" && p["in"] == "query");
      }
      EXPECT_TRUE(found) << path;
      EXPECT_EQ(item["patch"]["parameters"][0]["in"], "body") << path;
    }
    EXPECT_GT(matched, 0) << gvk.dump();
  }
}

TEST(OpenApiTest, UntypedKindsGetAFreeFormSchema) {
  OpenApiDocuments docs =
      OpenApiDocuments::Build({{"example.com", "v1", "Widget", "widgets", true, {"status"}}});
  EXPECT_EQ(docs.V3Paths(), std::vector<std::string>{"apis/example.com/v1"});
  const std::string* text = docs.V3GroupVersion("apis/example.com/v1");
  ASSERT_NE(text, nullptr);
  json doc = Parse(*text);
  const json& widget = Schema(doc, "io.k8s.api.example.v1.Widget");
  EXPECT_THAT(widget["x-kubernetes-group-version-kind"],
              ElementsAre(GvkJson("example.com", "v1", "Widget")));
  EXPECT_EQ(widget["properties"]["spec"]["x-kubernetes-preserve-unknown-fields"], true);
  EXPECT_EQ(RefOf(widget["properties"]["metadata"]),
            Ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  EXPECT_TRUE(SupportsQueryParam(doc, GvkJson("example.com", "v1", "Widget"), "fieldValidation"));
  EXPECT_TRUE(
      doc["paths"].contains("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status"));
}

TEST(OpenApiTest, EmptyInputGivesEmptyIndex) {
  OpenApiDocuments docs = OpenApiDocuments::Build({});
  EXPECT_EQ(Parse(docs.V3Index()), json({{"paths", json::object()}}));
  EXPECT_TRUE(docs.V3Paths().empty());
  EXPECT_EQ(Parse(docs.V2())["swagger"], "2.0");
}

TEST(SchemaBuilderTest, ToSwaggerV2RewritesReferences) {
  json v3 = {{"properties",
              {{"a", {{"allOf", {{{"$ref", "#/components/schemas/X"}}}}, {"description", "d"}}},
               {"b", {{"$ref", "#/components/schemas/Y"}}},
               {"c", {{"oneOf", {{{"type", "string"}}, {{"type", "number"}}}}}}}}};
  json v2 = ToSwaggerV2(v3);
  EXPECT_EQ(v2["properties"]["a"], json({{"$ref", "#/definitions/X"}, {"description", "d"}}));
  EXPECT_EQ(v2["properties"]["b"], json({{"$ref", "#/definitions/Y"}}));
  EXPECT_EQ(v2["properties"]["c"], json({{"type", "string"}}));
}

}  // namespace
}  // namespace dra::apiserver::openapi
