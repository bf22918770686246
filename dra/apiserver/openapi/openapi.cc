#include "dra/apiserver/openapi/openapi.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dra/api/core_types.h"
#include "dra/api/meta_types.h"
#include "dra/api/resource_types.h"
#include "dra/apiserver/openapi/models.h"
#include "dra/apiserver/openapi/schema_builder.h"
#include "dra/base/strings.h"
#include "nlohmann/json.hpp"

namespace dra::apiserver::openapi {
namespace {

using json = nlohmann::json;

constexpr std::string_view kResourceGroupName = "resource.k8s.io";
constexpr std::string_view kGvkExtension = "x-kubernetes-group-version-kind";

struct Gvk {
  std::string group;
  std::string version;
  std::string kind;

  json ToJson() const { return {{"group", group}, {"kind", kind}, {"version", version}}; }
};

// ---------------------------------------------------------------------------------------------
// Kinds with a typed model.

struct KindDefs {
  std::string item;
  std::string list;
};

struct KindModel {
  std::string_view group;
  std::string_view kind;
  KindDefs (*define)(SchemaBuilder&);
};

template <typename T>
KindDefs DefineKind(SchemaBuilder& b) {
  return {b.Register<T>(), b.Register<ObjectList<T>>()};
}

constexpr KindModel kKindModels[] = {
    {"", "Namespace", &DefineKind<api::Namespace>},
    {"", "Node", &DefineKind<api::Node>},
    {"", "Pod", &DefineKind<api::Pod>},
    {"", "Event", &DefineKind<api::Event>},
    {kResourceGroupName, "DeviceClass", &DefineKind<api::DeviceClass>},
    {kResourceGroupName, "ResourceSlice", &DefineKind<api::ResourceSlice>},
    {kResourceGroupName, "ResourceClaim", &DefineKind<api::ResourceClaim>},
    {kResourceGroupName, "ResourceClaimTemplate", &DefineKind<api::ResourceClaimTemplate>},
    {kResourceGroupName, "DeviceTaintRule", &DefineKind<api::DeviceTaintRule>},
    {"coordination.k8s.io", "Lease", &DefineKind<Lease>},
    {"apps", "Deployment", &DefineKind<Deployment>},
    {"apps", "ReplicaSet", &DefineKind<ReplicaSet>},
};

std::string FirstLabel(std::string_view group) {
  if (group.empty()) return "core";
  return std::string(group.substr(0, group.find('.')));
}

// Typed metadata, free-form spec and status, for kinds without a model.
KindDefs DefineUntypedKind(SchemaBuilder& b, const ServedResource& r) {
  std::string prefix = dra::StrCat("io.k8s.api.", FirstLabel(r.group), ".", r.version, ".");
  json free_form = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  json api_version = {{"type", "string"}, {"description", "The versioned schema of this object."}};
  json kind = {{"type", "string"}, {"description", "The kind of this object."}};
  json item = {{"type", "object"},
               {"description", dra::StrCat("A ", r.kind, " object.")},
               {"properties",
                {{"apiVersion", api_version},
                 {"kind", kind},
                 {"metadata",
                  {{"allOf", json::array({b.TypeSchema<api::ObjectMeta>()})},
                   {"description", "Standard object metadata."}}},
                 {"spec", free_form},
                 {"status", free_form}}}};
  json list = {{"type", "object"},
               {"description", dra::StrCat("A list of ", r.kind, " objects.")},
               {"required", json::array({"items"})},
               {"properties",
                {{"apiVersion", api_version},
                 {"kind", kind},
                 {"metadata",
                  {{"allOf", json::array({b.TypeSchema<api::ListMeta>()})},
                   {"description", "Standard list metadata."}}},
                 {"items",
                  {{"type", "array"},
                   {"items", {{"$ref", SchemaRef(dra::StrCat(prefix, r.kind))}}},
                   {"description", "The objects in this list."}}}}}};
  KindDefs defs{dra::StrCat(prefix, r.kind), dra::StrCat(prefix, r.kind, "List")};
  b.Define(defs.item, std::move(item));
  b.Define(defs.list, std::move(list));
  return defs;
}

KindDefs DefineServedKind(SchemaBuilder& b, const ServedResource& r) {
  for (const KindModel& m : kKindModels) {
    if (m.group == r.group && m.kind == r.kind) return m.define(b);
  }
  return DefineUntypedKind(b, r);
}

void AddGvk(json& schema, const Gvk& gvk) {
  json& list = schema[std::string(kGvkExtension)];
  if (!list.is_array()) list = json::array();
  json entry = gvk.ToJson();
  for (const json& e : list) {
    if (e == entry) return;
  }
  list.push_back(std::move(entry));
}

// ---------------------------------------------------------------------------------------------
// Operations.

struct Param {
  std::string name;
  std::string in;  // "query" or "path"
  std::string type;
  std::string description;
  bool required = false;
};

Param Query(std::string name, std::string type, std::string description) {
  return {std::move(name), "query", std::move(type), std::move(description), false};
}

const Param& Pretty() {
  static const Param* const p =
      new Param(Query("pretty", "string", "If 'true', the output is pretty-printed."));
  return *p;
}

std::vector<Param> ListParams(bool with_watch) {
  std::vector<Param> params;
  if (with_watch) {
    params.push_back(Query("allowWatchBookmarks", "boolean",
                           "Asks for BOOKMARK watch events. Servers may ignore it."));
  }
  params.push_back(
      Query("continue", "string", "The continue token of the previous page of a paginated list."));
  params.push_back(
      Query("fieldSelector", "string", "Restricts the result to objects matching these fields."));
  params.push_back(
      Query("labelSelector", "string", "Restricts the result to objects matching these labels."));
  params.push_back(Query("limit", "integer", "Maximum number of objects to return in one page."));
  params.push_back(Query("resourceVersion", "string",
                         "Which version of the collection to read or to start watching from."));
  params.push_back(Query("resourceVersionMatch", "string",
                         "How resourceVersion applies to a list: Exact or NotOlderThan."));
  params.push_back(Query("sendInitialEvents", "boolean",
                         "Starts a watch with synthetic ADDED events for existing objects."));
  params.push_back(
      Query("timeoutSeconds", "integer", "Time limit of the list or watch call, in seconds."));
  if (with_watch) {
    params.push_back(Query("watch", "boolean",
                           "Watch for changes and return a stream of add, update and remove "
                           "events."));
  }
  return params;
}

Param DryRun() {
  return Query("dryRun", "string",
               "When set to All, the request is processed fully but nothing is persisted.");
}

std::vector<Param> WriteParams(bool patch) {
  std::vector<Param> params = {
      DryRun(),
      Query("fieldManager", "string",
            "Name of the actor making the change, recorded in managedFields. Required for "
            "apply patches."),
      Query("fieldValidation", "string",
            "How to treat unknown and duplicate fields in the request body: Ignore, Warn or "
            "Strict."),
  };
  if (patch) {
    params.push_back(Query("force", "boolean",
                           "Makes an apply request take ownership of conflicting fields. Only "
                           "valid for apply patches."));
  }
  return params;
}

std::vector<Param> DeleteParams() {
  return {
      DryRun(),
      Query("gracePeriodSeconds", "integer",
            "Seconds the object gets to terminate before it is deleted; 0 deletes "
            "immediately."),
      Query("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean",
            "Deletes an object that cannot be read from storage (unsafe)."),
      Query("orphanDependents", "boolean",
            "Deprecated: use propagationPolicy. Whether to orphan the dependents."),
      Query("propagationPolicy", "string",
            "How dependents are garbage collected: Orphan, Background or Foreground."),
  };
}

std::vector<Param> Concat(std::vector<Param> a, const std::vector<Param>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Response {
  std::string code;
  std::string definition;
};

struct Operation {
  std::string method;  // get, post, put, patch, delete
  std::string id;
  std::string description;
  std::string action;
  Gvk gvk;
  std::vector<Param> params;
  std::string body;  // definition name; empty: no body
  bool body_required = true;
  bool patch_body = false;
  bool watch = false;
  std::vector<Response> responses;
};

struct PathItem {
  std::vector<Param> params;
  std::vector<Operation> ops;
};

const std::vector<std::string>& PatchContentTypes() {
  static const auto* const types = new std::vector<std::string>{
      "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
      "application/strategic-merge-patch+json"};
  return *types;
}

std::vector<std::string> ResponseContentTypes(bool watch) {
  if (watch) {
    return {"application/json", "application/json;stream=watch",
            "application/vnd.kubernetes.protobuf",
            "application/vnd.kubernetes.protobuf;stream=watch", "application/yaml"};
  }
  return {"application/json", "application/vnd.kubernetes.protobuf", "application/yaml"};
}

std::string ResponseDescription(std::string_view code) {
  if (code == "201") return "Created";
  if (code == "202") return "Accepted";
  return "OK";
}

json ParamV3(const Param& p) {
  json out = {{"name", p.name},
              {"in", p.in},
              {"description", p.description},
              {"schema", {{"type", p.type}, {"uniqueItems", true}}}};
  if (p.required) out["required"] = true;
  return out;
}

json ParamV2(const Param& p) {
  json out = {{"name", p.name},
              {"in", p.in},
              {"description", p.description},
              {"type", p.type},
              {"uniqueItems", true}};
  if (p.required) out["required"] = true;
  return out;
}

json OperationV3(const Operation& op, const std::string& tag) {
  json out = {{"tags", json::array({tag})},
              {"description", op.description},
              {"operationId", op.id},
              {"x-kubernetes-action", op.action},
              {std::string(kGvkExtension), op.gvk.ToJson()}};
  if (!op.params.empty()) {
    json params = json::array();
    for (const Param& p : op.params) params.push_back(ParamV3(p));
    out["parameters"] = std::move(params);
  }
  if (!op.body.empty()) {
    json content = json::object();
    json schema = {{"$ref", SchemaRef(op.body)}};
    if (op.patch_body) {
      for (const std::string& type : PatchContentTypes()) content[type] = {{"schema", schema}};
    } else {
      content["*/*"] = {{"schema", schema}};
    }
    out["requestBody"] = {{"content", std::move(content)}};
    if (op.body_required) out["requestBody"]["required"] = true;
  }
  json responses = json::object();
  for (const Response& r : op.responses) {
    json content = json::object();
    for (const std::string& type : ResponseContentTypes(op.watch)) {
      content[type] = {{"schema", {{"$ref", SchemaRef(r.definition)}}}};
    }
    responses[r.code] = {{"description", ResponseDescription(r.code)},
                         {"content", std::move(content)}};
  }
  responses["401"] = {{"description", "Unauthorized"}};
  out["responses"] = std::move(responses);
  return out;
}

json OperationV2(const Operation& op, const std::string& tag) {
  json out = {{"tags", json::array({tag})},
              {"description", op.description},
              {"operationId", op.id},
              {"schemes", json::array({"https"})},
              {"consumes", op.patch_body ? json(PatchContentTypes()) : json::array({"*/*"})},
              {"produces", json(ResponseContentTypes(op.watch))},
              {"x-kubernetes-action", op.action},
              {std::string(kGvkExtension), op.gvk.ToJson()}};
  json params = json::array();
  if (!op.body.empty()) {
    json body = {{"name", "body"},
                 {"in", "body"},
                 {"schema", {{"$ref", dra::StrCat("#/definitions/", op.body)}}}};
    if (op.body_required) body["required"] = true;
    params.push_back(std::move(body));
  }
  for (const Param& p : op.params) params.push_back(ParamV2(p));
  if (!params.empty()) out["parameters"] = std::move(params);
  json responses = json::object();
  for (const Response& r : op.responses) {
    responses[r.code] = {{"description", ResponseDescription(r.code)},
                         {"schema", {{"$ref", dra::StrCat("#/definitions/", r.definition)}}}};
  }
  responses["401"] = {{"description", "Unauthorized"}};
  out["responses"] = std::move(responses);
  return out;
}

// ---------------------------------------------------------------------------------------------
// One group-version document.

std::string Capitalize(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// "" -> "Core", "resource.k8s.io" -> "Resource", "flowcontrol.apiserver.k8s.io" ->
// "FlowcontrolApiserver".
std::string GroupIdPart(std::string_view group) {
  if (group.empty()) return "Core";
  std::string_view g = group;
  for (std::string_view suffix : {std::string_view(".k8s.io"), std::string_view(".io")}) {
    if (g.size() > suffix.size() && g.substr(g.size() - suffix.size()) == suffix) {
      g = g.substr(0, g.size() - suffix.size());
      break;
    }
  }
  std::string out;
  size_t start = 0;
  while (start <= g.size()) {
    size_t dot = g.find('.', start);
    if (dot == std::string_view::npos) dot = g.size();
    out += Capitalize(g.substr(start, dot - start));
    start = dot + 1;
  }
  return out;
}

class GroupVersionDocument {
 public:
  GroupVersionDocument(std::string group, std::string version)
      : group_(std::move(group)),
        version_(std::move(version)),
        builder_(group_ == kResourceGroupName ? version_ : "v1") {
    std::string id_group = GroupIdPart(group_);
    id_prefix_ = dra::StrCat(id_group, Capitalize(version_));
    id_group[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(id_group[0])));
    tag_ = dra::StrCat(id_group, "_", version_);
    prefix_ = group_.empty() ? dra::StrCat("/api/", version_)
                             : dra::StrCat("/apis/", group_, "/", version_);
    status_ = builder_.Register<api::Status>();
    AddGvk(builder_.definitions()[status_], Gvk{"", "v1", "Status"});
    delete_options_ = builder_.Register<DeleteOptions>();
    watch_event_ = builder_.Register<WatchEvent>();
    patch_ = DefinitionOf<PatchBody>();
  }

  void AddResource(const ServedResource& r);

  // Applies version-specific schema differences and drops unreferenced definitions.
  void Finish();

  json V3() const;
  // Paths and definitions in Swagger 2.0 form, for merging into the v2 document.
  json V2Paths() const;
  json V2Definitions() const;

 private:
  template <typename T>
  std::string DefinitionOf() {
    return std::string(RefTarget(builder_.TypeSchema<T>()["$ref"].template get<std::string>()));
  }

  void AddResourceOps(const ServedResource& r, const KindDefs& defs);
  void AddSubresource(const ServedResource& r, const KindDefs& defs, std::string_view sub,
                      const std::string& item_path, const std::vector<Param>& item_params);
  void ApplyV1beta1();
  void DropUnreferenced();

  std::string group_;
  std::string version_;
  SchemaBuilder builder_;
  std::string id_prefix_;
  std::string tag_;
  std::string prefix_;
  std::string status_;
  std::string delete_options_;
  std::string watch_event_;
  std::string patch_;
  std::map<std::string, PathItem> paths_;
};

void GroupVersionDocument::AddResource(const ServedResource& r) {
  KindDefs defs = DefineServedKind(builder_, r);
  AddGvk(builder_.definitions()[defs.item], Gvk{r.group, r.version, r.kind});
  AddGvk(builder_.definitions()[defs.list], Gvk{r.group, r.version, dra::StrCat(r.kind, "List")});
  AddResourceOps(r, defs);
}

void GroupVersionDocument::AddResourceOps(const ServedResource& r, const KindDefs& defs) {
  const Gvk gvk{r.group, r.version, r.kind};
  const std::string ns = r.namespaced ? "Namespaced" : "";
  const std::string scope = r.namespaced ? "/namespaces/{namespace}" : "";
  const std::string id = dra::StrCat(id_prefix_, ns, r.kind);
  Param namespace_param{"namespace", "path", "string",
                        "Object name and auth scope, such as for teams and projects.", true};
  Param name_param{"name", "path", "string", dra::StrCat("Name of the ", r.kind, "."), true};

  std::vector<Param> collection_params;
  if (r.namespaced) collection_params.push_back(namespace_param);
  collection_params.push_back(Pretty());
  std::vector<Param> item_params = {name_param};
  if (r.namespaced) item_params.push_back(namespace_param);
  item_params.push_back(Pretty());

  const std::string collection = dra::StrCat(prefix_, scope, "/", r.plural);
  const std::string item = dra::StrCat(collection, "/{name}");
  std::vector<Response> item_ok = {{"200", defs.item}};
  std::vector<Response> item_write = {{"200", defs.item}, {"201", defs.item}};

  PathItem& c = paths_[collection];
  c.params = collection_params;
  c.ops.push_back({"get",
                   dra::StrCat("list", id),
                   dra::StrCat("List or watch ", r.kind, " objects."),
                   "list",
                   gvk,
                   ListParams(true),
                   "",
                   false,
                   false,
                   false,
                   {{"200", defs.list}}});
  c.ops.push_back({"post",
                   dra::StrCat("create", id),
                   dra::StrCat("Create a ", r.kind, "."),
                   "post",
                   gvk,
                   WriteParams(false),
                   defs.item,
                   true,
                   false,
                   false,
                   {{"200", defs.item}, {"201", defs.item}, {"202", defs.item}}});
  c.ops.push_back({"delete",
                   dra::StrCat("delete", id_prefix_, "Collection", ns, r.kind),
                   dra::StrCat("Delete a collection of ", r.kind, " objects."),
                   "deletecollection",
                   gvk,
                   Concat(DeleteParams(), ListParams(false)),
                   delete_options_,
                   false,
                   false,
                   false,
                   {{"200", status_}}});

  PathItem& i = paths_[item];
  i.params = item_params;
  i.ops.push_back({"get",
                   dra::StrCat("read", id),
                   dra::StrCat("Read the specified ", r.kind, "."),
                   "get",
                   gvk,
                   {},
                   "",
                   false,
                   false,
                   false,
                   item_ok});
  i.ops.push_back({"put", dra::StrCat("replace", id),
                   dra::StrCat("Replace the specified ", r.kind, "."), "put", gvk,
                   WriteParams(false), defs.item, true, false, false, item_write});
  i.ops.push_back({"patch", dra::StrCat("patch", id),
                   dra::StrCat("Partially update the specified ", r.kind, "."), "patch", gvk,
                   WriteParams(true), patch_, true, true, false, item_write});
  i.ops.push_back({"delete",
                   dra::StrCat("delete", id),
                   dra::StrCat("Delete a ", r.kind, "."),
                   "delete",
                   gvk,
                   DeleteParams(),
                   delete_options_,
                   false,
                   false,
                   false,
                   {{"200", status_}, {"202", status_}}});

  // Watch endpoints (deprecated upstream in favour of ?watch=true, still used by old clients).
  const std::string watch_collection = dra::StrCat(prefix_, "/watch", scope, "/", r.plural);
  PathItem& wc = paths_[watch_collection];
  wc.params = Concat(collection_params, ListParams(true));
  wc.ops.push_back({"get",
                    dra::StrCat("watch", id, "List"),
                    dra::StrCat("Watch changes to a list of ", r.kind, " objects."),
                    "watchlist",
                    gvk,
                    {},
                    "",
                    false,
                    false,
                    true,
                    {{"200", watch_event_}}});
  PathItem& wi = paths_[dra::StrCat(watch_collection, "/{name}")];
  wi.params = Concat(item_params, ListParams(true));
  wi.ops.push_back({"get",
                    dra::StrCat("watch", id),
                    dra::StrCat("Watch changes to a ", r.kind, " object."),
                    "watch",
                    gvk,
                    {},
                    "",
                    false,
                    false,
                    true,
                    {{"200", watch_event_}}});

  if (r.namespaced) {
    const std::string all_id = dra::StrCat(id_prefix_, r.kind);
    PathItem& all = paths_[dra::StrCat(prefix_, "/", r.plural)];
    all.params = Concat({Pretty()}, ListParams(true));
    all.ops.push_back({"get",
                       dra::StrCat("list", all_id, "ForAllNamespaces"),
                       dra::StrCat("List or watch ", r.kind, " objects in all namespaces."),
                       "list",
                       gvk,
                       {},
                       "",
                       false,
                       false,
                       false,
                       {{"200", defs.list}}});
    PathItem& wall = paths_[dra::StrCat(prefix_, "/watch/", r.plural)];
    wall.params = Concat({Pretty()}, ListParams(true));
    wall.ops.push_back({"get",
                        dra::StrCat("watch", all_id, "ListForAllNamespaces"),
                        dra::StrCat("Watch changes to ", r.kind, " objects in all namespaces."),
                        "watchlist",
                        gvk,
                        {},
                        "",
                        false,
                        false,
                        true,
                        {{"200", watch_event_}}});
  }

  for (const std::string& sub : r.subresources) {
    AddSubresource(r, defs, sub, item, item_params);
  }
}

void GroupVersionDocument::AddSubresource(const ServedResource& r, const KindDefs& defs,
                                          std::string_view sub, const std::string& item_path,
                                          const std::vector<Param>& item_params) {
  const std::string ns = r.namespaced ? "Namespaced" : "";
  const std::string id = dra::StrCat(id_prefix_, ns, r.kind, Capitalize(sub));
  const std::string path = dra::StrCat(item_path, "/", sub);
  if (sub == "status" || sub == "scale") {
    Gvk gvk{r.group, r.version, r.kind};
    std::string def = defs.item;
    std::string what = dra::StrCat("status of the specified ", r.kind);
    if (sub == "scale") {
      gvk = Gvk{"autoscaling", "v1", "Scale"};
      def = builder_.Register<Scale>();
      AddGvk(builder_.definitions()[def], gvk);
      what = dra::StrCat("scale of the specified ", r.kind);
    }
    std::vector<Response> write = {{"200", def}, {"201", def}};
    PathItem& p = paths_[path];
    p.params = item_params;
    p.ops.push_back({"get",
                     dra::StrCat("read", id),
                     dra::StrCat("Read the ", what, "."),
                     "get",
                     gvk,
                     {},
                     "",
                     false,
                     false,
                     false,
                     {{"200", def}}});
    p.ops.push_back({"put", dra::StrCat("replace", id), dra::StrCat("Replace the ", what, "."),
                     "put", gvk, WriteParams(false), def, true, false, false, write});
    p.ops.push_back({"patch", dra::StrCat("patch", id),
                     dra::StrCat("Partially update the ", what, "."), "patch", gvk,
                     WriteParams(true), patch_, true, true, false, write});
  } else if (sub == "binding") {
    Gvk gvk{"", "v1", "Binding"};
    std::string def = builder_.Register<Binding>();
    AddGvk(builder_.definitions()[def], gvk);
    PathItem& p = paths_[path];
    p.params = item_params;
    p.ops.push_back({"post",
                     dra::StrCat("create", id),
                     dra::StrCat("Create a binding of the specified ", r.kind, "."),
                     "post",
                     gvk,
                     WriteParams(false),
                     def,
                     true,
                     false,
                     false,
                     {{"200", def}, {"201", def}, {"202", def}}});
  }
}

void GroupVersionDocument::Finish() {
  if (group_ == kResourceGroupName && version_ == "v1beta1") ApplyV1beta1();
  DropUnreferenced();
}

// resource.k8s.io/v1beta1 differs from v1 in two types: DeviceRequest has the
// ExactDeviceRequest fields inline (no `exactly`), and Device wraps everything but its name in
// `basic` (BasicDevice).
void GroupVersionDocument::ApplyV1beta1() {
  auto& defs = builder_.definitions();
  const std::string prefix = "io.k8s.api.resource.v1beta1.";
  auto request = defs.find(prefix + "DeviceRequest");
  auto exact = defs.find(prefix + "ExactDeviceRequest");
  if (request != defs.end() && exact != defs.end()) {
    json& props = request->second["properties"];
    props.erase("exactly");
    for (auto it = exact->second["properties"].begin(); it != exact->second["properties"].end();
         ++it) {
      props[it.key()] = it.value();
    }
    request->second["required"] = json::array({"name"});
  }
  auto device = defs.find(prefix + "Device");
  if (device != defs.end()) {
    json basic = device->second;
    basic["description"] =
        "The attributes, capacities and other properties of a device (everything but its "
        "name).";
    basic["properties"].erase("name");
    basic.erase("required");
    json name = device->second["properties"]["name"];
    const std::string basic_name = prefix + "BasicDevice";
    device->second["properties"] = {{"name", name},
                                    {"basic",
                                     {{"allOf", json::array({{{"$ref", SchemaRef(basic_name)}}})},
                                      {"description", "The properties of the device."}}}};
    device->second["required"] = json::array({"name"});
    defs[basic_name] = std::move(basic);
  }
}

void CollectRefs(const json& j, std::set<std::string>* out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "$ref" && it.value().is_string()) {
        std::string_view target = RefTarget(it.value().get_ref<const std::string&>());
        if (!target.empty()) out->insert(std::string(target));
      } else {
        CollectRefs(it.value(), out);
      }
    }
  } else if (j.is_array()) {
    for (const json& item : j) CollectRefs(item, out);
  }
}

void GroupVersionDocument::DropUnreferenced() {
  auto& defs = builder_.definitions();
  std::set<std::string> reachable;
  std::vector<std::string> queue;
  std::set<std::string> roots;
  for (const auto& [path, item] : paths_) {
    for (const Operation& op : item.ops) {
      if (!op.body.empty()) roots.insert(op.body);
      for (const Response& r : op.responses) roots.insert(r.definition);
    }
  }
  queue.assign(roots.begin(), roots.end());
  while (!queue.empty()) {
    std::string name = std::move(queue.back());
    queue.pop_back();
    if (!reachable.insert(name).second) continue;
    auto it = defs.find(name);
    if (it == defs.end()) continue;
    std::set<std::string> refs;
    CollectRefs(it->second, &refs);
    for (const std::string& ref : refs) {
      if (reachable.count(ref) == 0) queue.push_back(ref);
    }
  }
  for (auto it = defs.begin(); it != defs.end();) {
    it = reachable.count(it->first) != 0 ? std::next(it) : defs.erase(it);
  }
}

json GroupVersionDocument::V3() const {
  json paths = json::object();
  for (const auto& [path, item] : paths_) {
    json p = json::object();
    for (const Operation& op : item.ops) p[op.method] = OperationV3(op, tag_);
    json params = json::array();
    for (const Param& param : item.params) params.push_back(ParamV3(param));
    if (!params.empty()) p["parameters"] = std::move(params);
    paths[path] = std::move(p);
  }
  json schemas = json::object();
  for (const auto& [name, schema] : builder_.definitions()) schemas[name] = schema;
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "unversioned"}}},
          {"paths", std::move(paths)},
          {"components",
           {{"schemas", std::move(schemas)},
            {"securitySchemes",
             {{"BearerToken",
               {{"type", "apiKey"},
                {"name", "authorization"},
                {"in", "header"},
                {"description", "Bearer token authentication."}}}}}}},
          {"security", json::array({{{"BearerToken", json::array()}}})}};
}

json GroupVersionDocument::V2Paths() const {
  json paths = json::object();
  for (const auto& [path, item] : paths_) {
    json p = json::object();
    for (const Operation& op : item.ops) p[op.method] = OperationV2(op, tag_);
    json params = json::array();
    for (const Param& param : item.params) params.push_back(ParamV2(param));
    if (!params.empty()) p["parameters"] = std::move(params);
    paths[path] = std::move(p);
  }
  return paths;
}

json GroupVersionDocument::V2Definitions() const {
  json defs = json::object();
  for (const auto& [name, schema] : builder_.definitions()) defs[name] = ToSwaggerV2(schema);
  return defs;
}

// FNV-1a over the text, twice with different offset bases: a stable 128-bit digest in
// uppercase hex. Only used to let clients cache documents.
std::string Digest(std::string_view text) {
  std::string out;
  for (uint64_t basis : {uint64_t{14695981039346656037ULL}, uint64_t{0x84222325CBF29CE4ULL}}) {
    uint64_t h = basis;
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(h >> shift) & 0xF]);
  }
  return out;
}

}  // namespace

std::vector<ServedResource> DefaultServedResources() {
  std::vector<ServedResource> out = {
      {"", "v1", "Namespace", "namespaces", false, {"status"}},
      {"", "v1", "Node", "nodes", false, {"status"}},
      {"", "v1", "Pod", "pods", true, {"status", "binding"}},
      {"", "v1", "Event", "events", true, {}},
  };
  for (const char* version : {"v1", "v1beta2", "v1beta1"}) {
    const std::string g(kResourceGroupName);
    out.push_back({g, version, "DeviceClass", "deviceclasses", false, {}});
    out.push_back({g, version, "ResourceSlice", "resourceslices", false, {}});
    out.push_back({g, version, "ResourceClaim", "resourceclaims", true, {"status"}});
    out.push_back({g, version, "ResourceClaimTemplate", "resourceclaimtemplates", true, {}});
    if (std::string_view(version) == "v1beta2") {
      out.push_back({g, version, "DeviceTaintRule", "devicetaintrules", false, {}});
    }
  }
  out.push_back({"coordination.k8s.io", "v1", "Lease", "leases", true, {}});
  out.push_back({"apps", "v1", "Deployment", "deployments", true, {"status", "scale"}});
  out.push_back({"apps", "v1", "ReplicaSet", "replicasets", true, {"status", "scale"}});
  return out;
}

std::string GroupVersionPath(std::string_view group, std::string_view version) {
  if (group.empty()) return dra::StrCat("api/", version);
  return dra::StrCat("apis/", group, "/", version);
}

OpenApiDocuments OpenApiDocuments::Build(const std::vector<ServedResource>& resources) {
  std::map<std::string, std::unique_ptr<GroupVersionDocument>> docs;
  for (const ServedResource& r : resources) {
    auto& doc = docs[GroupVersionPath(r.group, r.version)];
    if (doc == nullptr) doc = std::make_unique<GroupVersionDocument>(r.group, r.version);
    doc->AddResource(r);
  }

  OpenApiDocuments out;
  json index_paths = json::object();
  json v2_paths = json::object();
  json v2_definitions = json::object();
  for (auto& [path, doc] : docs) {
    doc->Finish();
    Document d;
    d.json = doc->V3().dump();
    d.hash = Digest(d.json);
    index_paths[path] = {
        {"serverRelativeURL", dra::StrCat("/openapi/v3/", path, "?hash=", d.hash)}};
    out.v3_.emplace(path, std::move(d));

    json paths = doc->V2Paths();
    for (auto it = paths.begin(); it != paths.end(); ++it) v2_paths[it.key()] = it.value();
    json defs = doc->V2Definitions();
    for (auto it = defs.begin(); it != defs.end(); ++it) {
      if (!v2_definitions.contains(it.key())) {
        v2_definitions[it.key()] = it.value();
        continue;
      }
      // The same definition served by several group-versions: merge the GVK lists.
      json& existing = v2_definitions[it.key()];
      if (it.value().contains(std::string(kGvkExtension))) {
        for (const json& gvk : it.value()[std::string(kGvkExtension)]) {
          json& list = existing[std::string(kGvkExtension)];
          if (!list.is_array()) list = json::array();
          bool found = false;
          for (const json& e : list) found = found || e == gvk;
          if (!found) list.push_back(gvk);
        }
      }
    }
  }
  out.v3_index_ = json{{"paths", std::move(index_paths)}}.dump();
  out.v2_ = json{{"swagger", "2.0"},
                 {"info", {{"title", "Kubernetes"}, {"version", "unversioned"}}},
                 {"paths", std::move(v2_paths)},
                 {"definitions", std::move(v2_definitions)},
                 {"securityDefinitions",
                  {{"BearerToken",
                    {{"type", "apiKey"},
                     {"name", "authorization"},
                     {"in", "header"},
                     {"description", "Bearer token authentication."}}}}},
                 {"security", json::array({{{"BearerToken", json::array()}}})}}
                .dump();
  return out;
}

const std::string* OpenApiDocuments::V3GroupVersion(std::string_view path) const {
  auto it = v3_.find(path);
  return it == v3_.end() ? nullptr : &it->second.json;
}

const std::string* OpenApiDocuments::V3Hash(std::string_view path) const {
  auto it = v3_.find(path);
  return it == v3_.end() ? nullptr : &it->second.hash;
}

std::vector<std::string> OpenApiDocuments::V3Paths() const {
  std::vector<std::string> out;
  for (const auto& [path, doc] : v3_) out.push_back(path);
  return out;
}

}  // namespace dra::apiserver::openapi
