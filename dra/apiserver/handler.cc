#include "dra/apiserver/handler.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/api/codec/protobuf.h"
#include "dra/api/conversion.h"
#include "dra/apiserver/errors.h"
#include "dra/apiserver/internal/bounded_cache.h"
#include "dra/apiserver/openapi/openapi.h"
#include "dra/apiserver/patch/patch.h"
#include "dra/apiserver/printing/selectors.h"
#include "dra/apiserver/printing/tables.h"
#include "dra/apiserver/ui/ui.h"
#include "dra/base/metrics.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;

constexpr std::string_view kServerMajor = "1";
constexpr std::string_view kServerMinor = "34";
constexpr std::string_view kServerGitVersion = "v1.34.0-dra";

Value Str(std::string_view s) { return Value::String(std::string(s)); }

// A JSON answer; encoded by Handler::Handle unless the client takes objects.
Response JsonResponse(int code, Value document) {
  Response r;
  r.code = code;
  r.document = std::move(document);
  return r;
}

// Encodes a deferred JSON document into the body.
void EncodeDocument(Response& r) {
  if (!r.document.has_value()) return;
  r.body = api::WriteJson(*r.document);
  r.document.reset();
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

const std::string* Param(const Request& r, std::string_view name) {
  for (const auto& [k, v] : r.query) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string ParamOr(const Request& r, std::string_view name, std::string_view fallback = "") {
  const std::string* v = Param(r, name);
  return v != nullptr ? *v : std::string(fallback);
}

bool ParamTrue(const Request& r, std::string_view name) {
  const std::string* v = Param(r, name);
  return v != nullptr && (*v == "true" || *v == "1" || *v == "True");
}

// What the client accepts for object responses.
enum class Shape { kObject, kTable, kPartialMetadata };

absl::StatusOr<Shape> NegotiateShape(const Request& r) {
  if (r.accept.empty()) return Shape::kObject;
  bool any_json = false;
  Shape shape = Shape::kObject;
  bool shaped = false;
  size_t start = 0;
  std::string_view accept = r.accept;
  while (start <= accept.size()) {
    size_t comma = accept.find(',', start);
    if (comma == std::string_view::npos) comma = accept.size();
    std::string_view item = accept.substr(start, comma - start);
    start = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    bool json = item.starts_with("application/json") || item.starts_with("*/*") ||
                item.starts_with("application/*") || item.starts_with("application/yaml");
    if (!json) continue;
    any_json = true;
    if (!shaped) {
      if (item.find("as=Table") != std::string_view::npos) {
        shape = Shape::kTable;
        shaped = true;
      } else if (item.find("as=PartialObjectMetadata") != std::string_view::npos) {
        shape = Shape::kPartialMetadata;
        shaped = true;
      } else if (item.find("as=") == std::string_view::npos) {
        shaped = true;
      }
    }
  }
  if (!any_json) {
    return ApiError(406, "NotAcceptable",
                    dra::StrCat("only the following media types are accepted: application/json, "
                                "application/yaml; got ",
                                r.accept));
  }
  return shape;
}

// Converts a hub document to the requested version in place.
absl::Status ToVersion(const ResourceType& type, std::string_view version, Value& object) {
  if (version == type.storage_version) return absl::OkStatus();
  absl::Status s = api::ConvertFromV1(object, type.ApiVersion(version));
  if (!s.ok()) return absl::InternalError(std::string(s.message()));
  return absl::OkStatus();
}

// An OpenAPI v2 document in gnostic's protobuf encoding (openapi_v2.Document) with only
// `swagger: "2.0"` and info {title, version}.
std::string MinimalOpenApiV2Protobuf() {
  auto field = [](int number, std::string_view bytes) {
    std::string out;
    out += static_cast<char>((number << 3) | 2);
    out += static_cast<char>(bytes.size());
    out += bytes;
    return out;
  };
  std::string info = field(1, "Kubernetes") + field(2, kServerGitVersion);
  return field(1, "2.0") + field(2, info);
}

Value PartialMetadata(const Value& object) {
  Value out = Value::Object();
  out.Set("kind", Str("PartialObjectMetadata"));
  out.Set("apiVersion", Str("meta.k8s.io/v1"));
  if (const Value* meta = object.Find("metadata")) out.Set("metadata", *meta);
  return out;
}

Value ResourceEntry(const ResourceType& t, std::string name, std::string kind,
                    std::vector<std::string> verbs, bool with_names) {
  Value e = Value::Object();
  e.Set("name", Value::String(std::move(name)));
  e.Set("singularName", Value::String(with_names ? t.singular : ""));
  e.Set("namespaced", Value::Bool(t.namespaced));
  e.Set("kind", Value::String(std::move(kind)));
  Value v = Value::Array();
  for (std::string& verb : verbs) v.Append(Value::String(std::move(verb)));
  e.Set("verbs", std::move(v));
  if (with_names && !t.short_names.empty()) {
    Value s = Value::Array();
    for (const std::string& n : t.short_names) s.Append(Str(n));
    e.Set("shortNames", std::move(s));
  }
  if (with_names && !t.categories.empty()) {
    Value s = Value::Array();
    for (const std::string& n : t.categories) s.Append(Str(n));
    e.Set("categories", std::move(s));
  }
  return e;
}

Value ResourceList(std::string_view group, std::string_view version) {
  Value list = Value::Object();
  list.Set("kind", Str("APIResourceList"));
  list.Set("apiVersion", Str("v1"));
  list.Set("groupVersion",
           Value::String(group.empty() ? std::string(version) : dra::StrCat(group, "/", version)));
  Value resources = Value::Array();
  for (const ResourceType& t : ServedResources()) {
    if (t.group != group || !t.Serves(version)) continue;
    resources.Append(ResourceEntry(
        t, t.plural, t.kind,
        {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}, true));
    if (t.has_status) {
      resources.Append(
          ResourceEntry(t, t.plural + "/status", t.kind, {"get", "patch", "update"}, false));
    }
    if (t.has_binding) {
      resources.Append(ResourceEntry(t, t.plural + "/binding", "Binding", {"create"}, false));
    }
    if (t.has_scale) {
      Value scale =
          ResourceEntry(t, t.plural + "/scale", "Scale", {"get", "patch", "update"}, false);
      scale.Set("group", Str("autoscaling"));
      scale.Set("version", Str("v1"));
      resources.Append(std::move(scale));
    }
  }
  list.Set("resources", std::move(resources));
  return list;
}

// The apidiscovery.k8s.io/v2 (or v2beta1) media type the client asked for, or "" when it did not.
std::string AggregatedDiscoveryType(const Request& r) {
  if (r.accept.find("as=APIGroupDiscoveryList") == std::string::npos ||
      r.accept.find("g=apidiscovery.k8s.io") == std::string::npos) {
    return "";
  }
  // Clients list the versions they read, best first.
  for (std::string_view v : {"v2", "v2beta1"}) {
    std::string needle = dra::StrCat("g=apidiscovery.k8s.io;v=", v, ";as=APIGroupDiscoveryList");
    if (r.accept.find(needle) != std::string::npos) {
      return dra::StrCat("application/json;g=apidiscovery.k8s.io;v=", v,
                         ";as=APIGroupDiscoveryList");
    }
  }
  return "";
}

Value KindRef(std::string_view group, std::string_view version, std::string_view kind) {
  Value k = Value::Object();
  k.Set("group", Str(group));
  k.Set("version", Str(version));
  k.Set("kind", Str(kind));
  return k;
}

Value StringArray(const std::vector<std::string>& items) {
  Value a = Value::Array();
  for (const std::string& s : items) a.Append(Str(s));
  return a;
}

// The aggregated discovery document (apidiscovery.k8s.io) of the core group (`core`) or of every
// other group.
Value AggregatedDiscovery(bool core, std::string_view media_type) {
  Value list = Value::Object();
  list.Set("kind", Str("APIGroupDiscoveryList"));
  list.Set("apiVersion", Str(media_type.find("v=v2beta1") != std::string_view::npos
                                 ? "apidiscovery.k8s.io/v2beta1"
                                 : "apidiscovery.k8s.io/v2"));
  list.Set("metadata", Value::Object());
  std::vector<GroupVersions> groups;
  if (core) {
    groups.push_back({"", {"v1"}});
  } else {
    groups = ServedGroups();
  }
  Value items = Value::Array();
  for (const GroupVersions& g : groups) {
    Value item = Value::Object();
    Value meta = Value::Object();
    if (!g.group.empty()) meta.Set("name", Str(g.group));
    item.Set("metadata", std::move(meta));
    Value versions = Value::Array();
    for (const std::string& version : g.versions) {
      Value resources = Value::Array();
      for (const ResourceType& t : ServedResources()) {
        if (t.group != g.group || !t.Serves(version)) continue;
        Value r = Value::Object();
        r.Set("resource", Str(t.plural));
        r.Set("responseKind", KindRef(t.group, version, t.kind));
        r.Set("scope", Str(t.namespaced ? "Namespaced" : "Cluster"));
        r.Set("singularResource", Str(t.singular));
        r.Set("verbs", StringArray({"create", "delete", "deletecollection", "get", "list", "patch",
                                    "update", "watch"}));
        if (!t.short_names.empty()) r.Set("shortNames", StringArray(t.short_names));
        if (!t.categories.empty()) r.Set("categories", StringArray(t.categories));
        Value subresources = Value::Array();
        auto add_sub = [&](std::string_view name, Value kind, std::vector<std::string> verbs) {
          Value sub = Value::Object();
          sub.Set("subresource", Str(name));
          sub.Set("responseKind", std::move(kind));
          sub.Set("verbs", StringArray(verbs));
          subresources.Append(std::move(sub));
        };
        if (t.has_status) {
          add_sub("status", KindRef(t.group, version, t.kind), {"get", "patch", "update"});
        }
        if (t.has_binding) add_sub("binding", KindRef("", "v1", "Binding"), {"create"});
        if (t.has_scale) {
          add_sub("scale", KindRef("autoscaling", "v1", "Scale"), {"get", "patch", "update"});
        }
        if (!subresources.items().empty()) r.Set("subresources", std::move(subresources));
        resources.Append(std::move(r));
      }
      Value v = Value::Object();
      v.Set("version", Str(version));
      v.Set("resources", std::move(resources));
      v.Set("freshness", Str("Current"));
      versions.Append(std::move(v));
    }
    item.Set("versions", std::move(versions));
    items.Append(std::move(item));
  }
  list.Set("items", std::move(items));
  return list;
}

Value GroupDocument(const GroupVersions& g) {
  Value group = Value::Object();
  group.Set("name", Str(g.group));
  Value versions = Value::Array();
  for (const std::string& v : g.versions) {
    Value gv = Value::Object();
    gv.Set("groupVersion", Value::String(dra::StrCat(g.group, "/", v)));
    gv.Set("version", Str(v));
    versions.Append(std::move(gv));
  }
  group.Set("versions", versions);
  group.Set("preferredVersion", versions.items().front());
  return group;
}

absl::StatusOr<FieldValidation> ParseFieldValidation(const Request& r) {
  std::string v = ParamOr(r, "fieldValidation");
  if (v.empty() || v == "Warn") return FieldValidation::kWarn;
  if (v == "Strict") return FieldValidation::kStrict;
  if (v == "Ignore") return FieldValidation::kIgnore;
  return BadRequestError(dra::StrCat("fieldValidation: Unsupported value: ", GoQuote(v),
                                     ": supported values: \"Ignore\", \"Strict\", \"Warn\""));
}

absl::StatusOr<bool> ParseDryRun(const Request& r) {
  bool dry = false;
  for (const auto& [k, v] : r.query) {
    if (k != "dryRun") continue;
    if (v != "All") {
      return BadRequestError(
          dra::StrCat("dryRun: Unsupported value: ", GoQuote(v), ": supported values: \"All\""));
    }
    dry = true;
  }
  return dry;
}

std::string DefaultFieldManager(const Request& r) {
  std::string_view ua = r.user_agent;
  size_t slash = ua.find('/');
  if (slash != std::string_view::npos) ua = ua.substr(0, slash);
  std::string manager(ua.substr(0, 128));
  return manager.empty() ? "unknown" : manager;
}

absl::StatusOr<WriteParams> ParseWriteParams(const Request& r, std::vector<std::string>* warnings) {
  WriteParams p;
  DRA_ASSIGN_OR_RETURN(p.dry_run, ParseDryRun(r));
  DRA_ASSIGN_OR_RETURN(p.field_validation, ParseFieldValidation(r));
  p.field_manager = ParamOr(r, "fieldManager");
  if (p.field_manager.size() > 128) {
    return BadRequestError("fieldManager: Too long: may not be more than 128 bytes");
  }
  if (p.field_manager.empty()) p.field_manager = DefaultFieldManager(r);
  p.warnings = warnings;
  return p;
}

bool IsProtobufBody(const Request& r) {
  return r.content_type.starts_with(api::kKubernetesProtobufMediaType) ||
         api::IsKubernetesProtobuf(r.body);
}

absl::StatusOr<Value> ParseBody(const Request& r) {
  if (r.body_object != nullptr) return *r.body_object;
  if (r.body.empty()) return BadRequestError("the request body is empty");
  if (IsProtobufBody(r)) {
    absl::StatusOr<Value> decoded = api::DecodeKubernetesProtobuf(r.body);
    if (!decoded.ok()) return BadRequestError(std::string(decoded.status().message()));
    return decoded;
  }
  absl::StatusOr<std::vector<Value>> documents = api::ParseDocuments(r.body);
  if (!documents.ok()) return BadRequestError(std::string(documents.status().message()));
  if (documents->size() != 1) {
    return BadRequestError("the request body must contain exactly one object");
  }
  return std::move(documents->front());
}

// Filters of list and watch requests.
struct Filter {
  std::optional<LabelSelector> labels;
  std::optional<FieldSelector> fields;

  bool active() const { return labels.has_value() || fields.has_value(); }
  bool Matches(const Value& object) const {
    if (labels.has_value()) {
      const Value* meta = object.Find("metadata");
      const Value* l = meta != nullptr ? meta->Find("labels") : nullptr;
      if (!labels->Matches(l != nullptr ? *l : Value())) return false;
    }
    if (fields.has_value() && !fields->Matches(object)) return false;
    return true;
  }
};

absl::StatusOr<Filter> ParseFilter(const Request& r, const ResourceType& type,
                                   std::string_view version, std::string_view item_name) {
  Filter f;
  std::string label_text = ParamOr(r, "labelSelector");
  if (!label_text.empty()) {
    absl::StatusOr<LabelSelector> s = LabelSelector::Parse(label_text);
    if (!s.ok()) return BadRequestError(std::string(s.status().message()));
    if (!s->empty()) f.labels = *std::move(s);
  }
  std::string field_text = ParamOr(r, "fieldSelector");
  if (!item_name.empty()) {
    field_text = field_text.empty() ? dra::StrCat("metadata.name=", item_name)
                                    : dra::StrCat(field_text, ",metadata.name=", item_name);
  }
  if (!field_text.empty()) {
    absl::StatusOr<FieldSelector> s =
        FieldSelector::Parse(field_text, type.ApiVersion(version), type.kind);
    if (!s.ok()) return BadRequestError(std::string(s.status().message()));
    if (!s->empty()) f.fields = *std::move(s);
  }
  return f;
}

// One parsed resource URL.
struct ResourcePath {
  const ResourceType* type = nullptr;
  std::string version;
  std::string ns;
  std::string name;
  std::string subresource;
  bool watch_prefix = false;
};

Value ListDocument(const ResourceType& type, std::string_view version, std::vector<Value> items,
                   const ListOutcome& outcome) {
  Value list = Value::Object();
  list.Set("kind", Value::String(type.kind + "List"));
  list.Set("apiVersion", Value::String(type.ApiVersion(version)));
  Value meta = Value::Object();
  meta.Set("resourceVersion", Value::String(RevisionString(outcome.revision)));
  if (!outcome.continue_token.empty()) meta.Set("continue", Str(outcome.continue_token));
  list.Set("metadata", std::move(meta));
  Value array = Value::Array(std::move(items));
  list.Set("items", std::move(array));
  return list;
}

absl::StatusOr<Propagation> ParsePropagation(std::string_view text) {
  if (text.empty()) return Propagation::kDefault;
  if (text == "Background") return Propagation::kBackground;
  if (text == "Foreground") return Propagation::kForeground;
  if (text == "Orphan") return Propagation::kOrphan;
  return BadRequestError(dra::StrCat("propagationPolicy: Unsupported value: ", GoQuote(text),
                                     ": supported values: \"Foreground\", \"Background\", "
                                     "\"Orphan\""));
}

absl::StatusOr<DeleteParams> ParseDeleteParams(const Request& r) {
  DeleteParams p;
  DRA_ASSIGN_OR_RETURN(p.dry_run, ParseDryRun(r));
  DRA_ASSIGN_OR_RETURN(p.propagation, ParsePropagation(ParamOr(r, "propagationPolicy")));
  if (const std::string* orphan = Param(r, "orphanDependents")) {
    if (*orphan == "true") p.propagation = Propagation::kOrphan;
  }
  if (!r.body.empty()) {
    absl::StatusOr<Value> body =
        IsProtobufBody(r) ? api::DecodeKubernetesProtobuf(r.body) : api::ParseJson(r.body);
    if (!body.ok() || !body->is_object()) {
      return BadRequestError("the body of a delete request must be a DeleteOptions object");
    }
    if (const Value* policy = body->Find("propagationPolicy");
        policy != nullptr && policy->is_string()) {
      DRA_ASSIGN_OR_RETURN(p.propagation, ParsePropagation(policy->text()));
    }
    if (const Value* orphan = body->Find("orphanDependents");
        orphan != nullptr && orphan->is_bool() && orphan->bool_value()) {
      p.propagation = Propagation::kOrphan;
    }
    if (const Value* pre = body->Find("preconditions"); pre != nullptr && pre->is_object()) {
      if (const Value* uid = pre->Find("uid"); uid != nullptr && uid->is_string()) {
        p.precondition_uid = uid->text();
      }
      if (const Value* rv = pre->Find("resourceVersion"); rv != nullptr && rv->is_string()) {
        p.precondition_resource_version = rv->text();
      }
    }
    if (const Value* dry = body->Find("dryRun"); dry != nullptr && dry->is_array()) {
      for (const Value& d : dry->items()) {
        if (d.is_string() && d.text() == "All") p.dry_run = true;
      }
    }
  }
  return p;
}

}  // namespace

// One watch event as sent: its type, its object (at the watch's version and shape) and, once a
// JSON client asked for it, its encoding. Thread-safe (the encoding is made once).
class WatchItem {
 public:
  WatchItem(std::string_view type, std::shared_ptr<const Value> object)
      : type_(type), object_(std::move(object)) {}

  std::string_view type() const { return type_; }
  const std::shared_ptr<const Value>& object() const { return object_; }
  // `{"type":...,"object":...}` and a newline.
  const std::string& Json() const {
    std::call_once(once_, [this] {
      json_ = dra::StrCat("{\"type\":\"", type_, "\",\"object\":", api::WriteJson(*object_), "}\n");
    });
    return json_;
  }

 private:
  const std::string_view type_;
  const std::shared_ptr<const Value> object_;
  mutable std::once_flag once_;
  mutable std::string json_;
};

// The most recent watch events as sent to unfiltered watches, by revision, key, version and
// shape: every such watch of a resource sends the same item for one store event, decoded (and
// encoded, for JSON clients) by the first watch that gets to it. Watches take an event within
// moments of each other: a short window (sized by the events' stored form) is enough to share it.
class Handler::SharedEvents : public internal::BoundedCache<std::string, WatchItem> {
 public:
  SharedEvents() : BoundedCache(1024, 4 << 20) {}
};

// A running watch: the store's event stream turned into watch events at the requested version,
// filtered, with synthetic initial events and bookmarks.
class Handler::Watch : public EventStream {
 public:
  Watch(const ResourceType& type, std::string version, Shape shape, IncludeObject include,
        Filter filter, bool bookmarks, absl::Duration bookmark_interval, absl::Time end,
        store::Store* store, Registry* registry, std::shared_ptr<std::atomic<int>> counter,
        std::shared_ptr<SharedEvents> shared)
      : type_(type),
        version_(std::move(version)),
        shape_(shape),
        include_(include),
        filter_(std::move(filter)),
        bookmarks_(bookmarks),
        bookmark_interval_(bookmark_interval),
        end_(end),
        store_(store),
        registry_(registry),
        counter_(std::move(counter)),
        shared_(std::move(shared)) {}

  ~Watch() override { counter_->fetch_sub(1); }

  // Queues synthetic ADDED events for `items` (a list at `revision`).
  void AddInitial(const std::vector<Value>& items, int64_t revision, bool end_bookmark) {
    for (const Value& item : items) {
      visible_.insert(MetaString(item, "namespace") + "/" + MetaString(item, "name"));
      pending_.push_back(MakeItem("ADDED", std::make_shared<const Value>(item)));
    }
    last_revision_ = revision;
    if (end_bookmark) pending_.push_back(Bookmark(revision, /*initial_events_end=*/true));
  }
  void RememberVisible(const std::vector<Value>& items) {
    for (const Value& item : items) {
      visible_.insert(MetaString(item, "namespace") + "/" + MetaString(item, "name"));
    }
  }
  void Start(std::unique_ptr<store::WatchStream> stream, int64_t revision) {
    stream_ = std::move(stream);
    last_revision_ = std::max(last_revision_, revision);
    last_emit_ = absl::Now();
  }
  void Fail(const absl::Status& status) {
    pending_.push_back(std::make_shared<const WatchItem>(
        "ERROR", std::make_shared<const Value>(StatusDocument(status))));
    failed_ = true;
  }

  absl::StatusOr<std::string> Next(absl::Time deadline) override {
    std::vector<std::shared_ptr<const WatchItem>> items;
    DRA_RETURN_IF_ERROR(Collect(deadline, items));
    std::string out;
    for (const auto& item : items) out += item->Json();
    return out;
  }

  absl::StatusOr<std::vector<ObjectEvent>> NextObjects(absl::Time deadline) override {
    std::vector<std::shared_ptr<const WatchItem>> items;
    DRA_RETURN_IF_ERROR(Collect(deadline, items));
    std::vector<ObjectEvent> out;
    out.reserve(items.size());
    for (const auto& item : items) out.push_back({item->type(), item->object()});
    return out;
  }

  void Cancel() override {
    cancelled_.store(true);
    // stream_ is set before the watch is handed out and never replaced.
    if (stream_ != nullptr) stream_->Cancel();
  }

 private:
  using Items = std::vector<std::shared_ptr<const WatchItem>>;

  // The next items (at least one), waiting until `deadline`.
  absl::Status Collect(absl::Time deadline, Items& out) {
    auto flush_pending = [&] {
      while (!pending_.empty()) {
        out.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    };
    flush_pending();
    if (!out.empty()) {
      last_emit_ = absl::Now();
      return absl::OkStatus();
    }
    if (cancelled_.load()) return absl::CancelledError("watch cancelled");
    if (failed_ || stream_ == nullptr) return absl::CancelledError("watch ended");
    absl::Time now = absl::Now();
    if (now >= end_) return absl::CancelledError("watch timed out");
    deadline = std::min(deadline, end_);
    if (bookmarks_) deadline = std::min(deadline, last_emit_ + bookmark_interval_);
    while (true) {
      absl::StatusOr<store::WatchEvent> event = stream_->Next(deadline);
      if (absl::IsDeadlineExceeded(event.status())) {
        if (!out.empty()) break;
        if (bookmarks_ && absl::Now() >= last_emit_ + bookmark_interval_) {
          absl::StatusOr<int64_t> current = store_->CurrentRevision();
          // Events up to `current` are queued before CurrentRevision returns; deliver them
          // first so that the bookmark never runs ahead of an undelivered event.
          absl::StatusOr<store::WatchEvent> late = stream_->Next(absl::InfinitePast());
          if (late.ok()) {
            Handle(*late, out);
            deadline = absl::InfinitePast();
            continue;
          }
          if (current.ok() && *current > last_revision_) last_revision_ = *current;
          last_emit_ = absl::Now();
          out.push_back(Bookmark(last_revision_, false));
          return absl::OkStatus();
        }
        return event.status();
      }
      if (!event.ok()) {
        if (!out.empty()) break;
        return event.status();
      }
      Handle(*event, out);
      // Drain what is already queued without waiting.
      deadline = absl::InfinitePast();
    }
    last_emit_ = absl::Now();
    return absl::OkStatus();
  }

  void Handle(const store::WatchEvent& event, Items& out) {
    last_revision_ = event.revision;
    std::string_view type = store::EventTypeName(event.type);
    if (!filter_.active() && shape_ == Shape::kObject && shared_ != nullptr) {
      // The same item for every unfiltered watch at this version.
      std::string id = dra::StrCat(event.revision, " ", static_cast<int>(event.type), " ", version_,
                                   " ", event.key);
      if (std::shared_ptr<const WatchItem> hit = shared_->Find(id)) {
        out.push_back(std::move(hit));
        return;
      }
      store::KeyValue kv{event.key, event.value, event.create_revision, event.revision};
      absl::StatusOr<std::shared_ptr<const Value>> object = registry_->Decoded(kv);
      if (!object.ok()) return;
      std::shared_ptr<const WatchItem> item = MakeItem(type, *std::move(object));
      out.push_back(item);
      shared_->Add(id, std::move(item), event.value.size());
      return;
    }
    store::KeyValue kv{event.key, event.value, event.create_revision, event.revision};
    absl::StatusOr<std::shared_ptr<const Value>> object = registry_->Decoded(kv);
    if (!object.ok()) return;
    std::string id = MetaString(**object, "namespace") + "/" + MetaString(**object, "name");
    if (filter_.active()) {
      bool matches = filter_.Matches(**object);
      bool was_visible = visible_.contains(id);
      if (event.type == store::EventType::kDeleted) {
        if (!was_visible && !matches) return;
        visible_.erase(id);
      } else if (matches) {
        type = was_visible ? "MODIFIED" : "ADDED";
        visible_.insert(id);
      } else {
        if (!was_visible) return;
        visible_.erase(id);
        type = "DELETED";
      }
    }
    out.push_back(MakeItem(type, *std::move(object)));
  }

  // The item sent for `document` (a hub document): converted to the watch's version and shape
  // (the same object when it needs neither).
  std::shared_ptr<const WatchItem> MakeItem(std::string_view event_type,
                                            std::shared_ptr<const Value> document) {
    if (version_ == type_.storage_version && shape_ == Shape::kObject) {
      return std::make_shared<const WatchItem>(event_type, std::move(document));
    }
    Value object = *document;
    absl::Status converted = ToVersion(type_, version_, object);
    if (!converted.ok()) {
      return std::make_shared<const WatchItem>(
          "ERROR", std::make_shared<const Value>(StatusDocument(converted)));
    }
    if (shape_ == Shape::kTable) {
      Value list_meta = Value::Object();
      list_meta.Set("resourceVersion", Str(MetaString(object, "resourceVersion")));
      object = BuildTable(type_.ApiVersion(version_), type_.kind, {object}, absl::Now(), include_,
                          list_meta);
    } else if (shape_ == Shape::kPartialMetadata) {
      object = PartialMetadata(object);
    }
    return std::make_shared<const WatchItem>(event_type,
                                             std::make_shared<const Value>(std::move(object)));
  }

  std::shared_ptr<const WatchItem> Bookmark(int64_t revision, bool initial_events_end) {
    Value object = Value::Object();
    object.Set("kind", Value::String(type_.kind));
    object.Set("apiVersion", Value::String(type_.ApiVersion(version_)));
    Value meta = Value::Object();
    meta.Set("resourceVersion", Value::String(RevisionString(revision)));
    if (initial_events_end) {
      Value annotations = Value::Object();
      annotations.Set("k8s.io/initial-events-end", Str("true"));
      meta.Set("annotations", std::move(annotations));
    }
    object.Set("metadata", std::move(meta));
    return std::make_shared<const WatchItem>("BOOKMARK",
                                             std::make_shared<const Value>(std::move(object)));
  }

  const ResourceType& type_;
  const std::string version_;
  const Shape shape_;
  const IncludeObject include_;
  Filter filter_;
  const bool bookmarks_;
  const absl::Duration bookmark_interval_;
  const absl::Time end_;
  store::Store* store_;
  Registry* registry_;
  std::shared_ptr<std::atomic<int>> counter_;
  std::shared_ptr<SharedEvents> shared_;
  std::unique_ptr<store::WatchStream> stream_;
  std::deque<std::shared_ptr<const WatchItem>> pending_;
  std::set<std::string> visible_;
  int64_t last_revision_ = 0;
  absl::Time last_emit_ = absl::Now();
  bool failed_ = false;
  std::atomic<bool> cancelled_{false};
};

namespace {

// The autoscaling/v1 Scale of a workload document.
Value ScaleOf(const Value& object) {
  Value scale = Value::Object();
  scale.Set("kind", Str("Scale"));
  scale.Set("apiVersion", Str("autoscaling/v1"));
  Value meta = Value::Object();
  for (std::string_view field :
       {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    std::string v = MetaString(object, field);
    if (!v.empty()) meta.Set(std::string(field), Value::String(v));
  }
  scale.Set("metadata", std::move(meta));
  const Value* spec = object.Find("spec");
  const Value* replicas = spec != nullptr ? spec->Find("replicas") : nullptr;
  Value scale_spec = Value::Object();
  scale_spec.Set("replicas", replicas != nullptr ? *replicas : Value::Int(0));
  scale.Set("spec", std::move(scale_spec));
  Value status = Value::Object();
  const Value* object_status = object.Find("status");
  const Value* current = object_status != nullptr ? object_status->Find("replicas") : nullptr;
  status.Set("replicas", current != nullptr ? *current : Value::Int(0));
  if (const Value* selector = spec != nullptr ? spec->Find("selector") : nullptr) {
    absl::StatusOr<LabelSelector> parsed = LabelSelector::FromLabelSelector(*selector);
    if (parsed.ok()) status.Set("selector", Value::String(parsed->String()));
  }
  scale.Set("status", std::move(status));
  return scale;
}

}  // namespace

absl::StatusOr<Response> Handler::HandleScale(const Request& request, const ResourceType& type,
                                              const std::string& ns, const std::string& name,
                                              const std::string& version) {
  std::vector<std::string> warnings;
  DRA_ASSIGN_OR_RETURN(Value current, registry_.Get(type, ns, name));
  if (request.method == "GET") return JsonResponse(200, ScaleOf(current));
  Value scale;
  if (request.method == "PUT") {
    DRA_ASSIGN_OR_RETURN(scale, ParseBody(request));
  } else if (request.method == "PATCH") {
    absl::StatusOr<Value> patch = api::ParseJson(request.body);
    if (!patch.ok()) return BadRequestError(std::string(patch.status().message()));
    std::string_view ct = request.content_type;
    if (size_t semi = ct.find(';'); semi != std::string_view::npos) ct = ct.substr(0, semi);
    absl::StatusOr<Value> patched;
    if (ct == "application/json-patch+json") {
      patched = ApplyJsonPatch(ScaleOf(current), *patch);
    } else if (ct == "application/merge-patch+json" ||
               ct == "application/strategic-merge-patch+json") {
      patched = ApplyMergePatch(ScaleOf(current), *patch);
    } else {
      return ApiError(415, "UnsupportedMediaType",
                      "the body of the request was in an unknown format - accepted media types "
                      "include: application/json-patch+json, application/merge-patch+json");
    }
    if (!patched.ok()) return ApiError(422, "Invalid", std::string(patched.status().message()));
    scale = *std::move(patched);
  } else {
    return MethodNotAllowedError("the server does not allow this method on the requested resource");
  }
  const Value* spec = scale.Find("spec");
  const Value* replicas = spec != nullptr ? spec->Find("replicas") : nullptr;
  if (replicas == nullptr || !replicas->AsInt64().has_value() || *replicas->AsInt64() < 0) {
    api::FieldErrorList errors = {
        api::InvalidError(api::FieldPath("spec").Child("replicas"),
                          replicas != nullptr ? api::WriteJson(*replicas) : "null",
                          "must be greater than or equal to 0")};
    return ApiError(
        422, "Invalid",
        dra::StrCat("Scale.autoscaling \"", name, "\" is invalid: ", errors.front().ToString()));
  }
  Value updated = current;
  Value* object_spec = updated.FindMutable("spec");
  if (object_spec == nullptr) object_spec = &updated.Set("spec", Value::Object());
  object_spec->Set("replicas", *replicas);
  std::string rv = MetaString(scale, "resourceVersion");
  MutableMeta(updated).Set("resourceVersion", Value::String(rv));
  DRA_ASSIGN_OR_RETURN(WriteParams params, ParseWriteParams(request, &warnings));
  DRA_ASSIGN_OR_RETURN(Value written, registry_.Update(type, ns, name, std::move(updated),
                                                       Subresource::kNone, params));
  (void)version;
  Response r = JsonResponse(200, ScaleOf(written));
  r.warnings = std::move(warnings);
  return r;
}

namespace {

// The served resources as the OpenAPI builder describes them.
std::vector<openapi::ServedResource> OpenApiResources() {
  std::vector<openapi::ServedResource> out;
  for (const ResourceType& t : ServedResources()) {
    for (const std::string& version : t.versions) {
      openapi::ServedResource r;
      r.group = t.group;
      r.version = version;
      r.kind = t.kind;
      r.plural = t.plural;
      r.namespaced = t.namespaced;
      if (t.has_status) r.subresources.push_back("status");
      if (t.has_binding) r.subresources.push_back("binding");
      if (t.has_scale) r.subresources.push_back("scale");
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

Response ErrorResponse(const absl::Status& status) {
  Value doc = StatusDocument(status);
  const Value* code = doc.Find("code");
  Response r =
      JsonResponse(code != nullptr ? static_cast<int>(code->AsInt64().value_or(500)) : 500, doc);
  EncodeDocument(r);
  return r;
}

Handler::Handler(store::Store* store, HandlerOptions options)
    : store_(store),
      options_(std::move(options)),
      registry_(store),
      openapi_(std::make_unique<openapi::OpenApiDocuments>(
          openapi::OpenApiDocuments::Build(OpenApiResources()))),
      watch_counter_(std::make_shared<std::atomic<int>>(0)),
      open_watches_(*watch_counter_),
      shared_events_(std::make_shared<SharedEvents>()) {}

Handler::~Handler() = default;

Response Handler::Handle(const Request& request) {
  absl::StatusOr<Response> response = Route(request);
  if (!response.ok()) return ErrorResponse(response.status());
  if (!request.want_object) EncodeDocument(*response);
  return *std::move(response);
}

absl::StatusOr<Response> Handler::Route(const Request& request) {
  if (request.body.size() > options_.max_body_bytes) {
    return ApiError(413, "RequestEntityTooLarge",
                    dra::StrCat("Request entity too large: limit is ", options_.max_body_bytes));
  }
  std::vector<std::string_view> parts = SplitPath(request.path);
  const std::string& method = request.method;
  bool read = method == "GET" || method == "HEAD";

  // Non-resource paths.
  if (parts.empty()) {
    if (!read) return MethodNotAllowedError("the server does not allow this method");
    Value paths = Value::Array();
    for (std::string_view p : {"/api", "/api/v1", "/apis", "/healthz", "/livez", "/metrics",
                               "/openapi/v2", "/openapi/v3", "/readyz", "/version"}) {
      paths.Append(Str(p));
    }
    for (const GroupVersions& g : ServedGroups()) {
      paths.Append(Value::String(dra::StrCat("/apis/", g.group)));
      for (const std::string& v : g.versions) {
        paths.Append(Value::String(dra::StrCat("/apis/", g.group, "/", v)));
      }
    }
    Value doc = Value::Object();
    doc.Set("paths", std::move(paths));
    return JsonResponse(200, doc);
  }
  if (parts[0] == "healthz" || parts[0] == "livez" || parts[0] == "readyz") {
    if (!read) return MethodNotAllowedError("the server does not allow this method");
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    if (!store_->CurrentRevision().ok()) {
      r.code = 500;
      r.body = "[-]etcd failed: storage is not reachable\n";
      return r;
    }
    r.body = ParamTrue(request, "verbose")
                 ? dra::StrCat("[+]ping ok\n[+]storage ok\n", parts[0], " check passed\n")
                 : "ok";
    return r;
  }
  if (parts[0] == "ui") {
    // The web page (ui/ui.h): static files, the same for every user.
    if (!read) return MethodNotAllowedError("the server does not allow this method");
    const ui::Asset* asset = ui::FindAsset(request.path);
    if (asset == nullptr) return PathNotFoundError();
    Response r;
    r.content_type = std::string(asset->content_type);
    r.body = std::string(asset->body);
    r.headers = ui::AssetHeaders();
    return r;
  }
  if (parts[0] == "metrics" && parts.size() == 1) {
    // Prometheus metrics of the process (base/metrics.h): the scheduler, controllers and node
    // agents running in it record there. Authenticated like the API.
    if (!read) return MethodNotAllowedError("the server does not allow this method");
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics::Render();
    return r;
  }
  if (parts[0] == "version" && parts.size() == 1) {
    Value v = Value::Object();
    v.Set("major", Str(kServerMajor));
    v.Set("minor", Str(kServerMinor));
    v.Set("emulationMajor", Str(kServerMajor));
    v.Set("emulationMinor", Str(kServerMinor));
    v.Set("gitVersion", Str(kServerGitVersion));
    v.Set("gitCommit", Str(""));
    v.Set("gitTreeState", Str("clean"));
    v.Set("buildDate", Str("1970-01-01T00:00:00Z"));
    v.Set("goVersion", Str(""));
    v.Set("compiler", Str("g++"));
    v.Set("platform", Str("linux/amd64"));
    return JsonResponse(200, v);
  }
  if (parts[0] == "openapi") {
    if (!read) return MethodNotAllowedError("the server does not allow this method");
    Response r;
    if (parts.size() == 2 && parts[1] == "v2") {
      if (request.accept.find("protobuf") != std::string::npos &&
          request.accept.find("json") == std::string::npos) {
        // Clients that only read the protobuf form (kubectl's client-side validation fallback)
        // get a document without definitions, for which they skip schema checks; the JSON form
        // carries the schemas.
        r.content_type = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
        r.body = MinimalOpenApiV2Protobuf();
        return r;
      }
      r.body = openapi_->V2();
      return r;
    }
    if (parts.size() >= 2 && parts[1] == "v3") {
      if (parts.size() == 2) {
        r.body = openapi_->V3Index();
        return r;
      }
      std::string rest;
      for (size_t i = 2; i < parts.size(); ++i) {
        if (i > 2) rest += "/";
        rest += parts[i];
      }
      if (const std::string* doc = openapi_->V3GroupVersion(rest)) {
        r.body = *doc;
        return r;
      }
    }
    return PathNotFoundError();
  }

  // Discovery and resources.
  std::string group;
  std::string version;
  size_t next = 0;
  if (parts[0] == "api") {
    if (parts.size() == 1) {
      if (!read) return MethodNotAllowedError("the server does not allow this method");
      if (std::string media = AggregatedDiscoveryType(request); !media.empty()) {
        Response r = JsonResponse(200, AggregatedDiscovery(/*core=*/true, media));
        r.content_type = media;
        return r;
      }
      Value doc = Value::Object();
      doc.Set("kind", Str("APIVersions"));
      doc.Set("versions", Value::Array({Str("v1")}));
      Value address = Value::Object();
      address.Set("clientCIDR", Str("0.0.0.0/0"));
      address.Set("serverAddress", Str(options_.server_address));
      doc.Set("serverAddressByClientCIDRs", Value::Array({std::move(address)}));
      return JsonResponse(200, doc);
    }
    version = std::string(parts[1]);
    if (version != "v1") return PathNotFoundError();
    next = 2;
  } else if (parts[0] == "apis") {
    if (parts.size() == 1) {
      if (!read) return MethodNotAllowedError("the server does not allow this method");
      if (std::string media = AggregatedDiscoveryType(request); !media.empty()) {
        Response r = JsonResponse(200, AggregatedDiscovery(/*core=*/false, media));
        r.content_type = media;
        return r;
      }
      Value doc = Value::Object();
      doc.Set("kind", Str("APIGroupList"));
      doc.Set("apiVersion", Str("v1"));
      Value groups = Value::Array();
      for (const GroupVersions& g : ServedGroups()) groups.Append(GroupDocument(g));
      doc.Set("groups", std::move(groups));
      return JsonResponse(200, doc);
    }
    group = std::string(parts[1]);
    auto it = std::find_if(ServedGroups().begin(), ServedGroups().end(),
                           [&](const GroupVersions& g) { return g.group == group; });
    if (it == ServedGroups().end()) return PathNotFoundError();
    if (parts.size() == 2) {
      if (!read) return MethodNotAllowedError("the server does not allow this method");
      Value doc = GroupDocument(*it);
      doc.Set("kind", Str("APIGroup"));
      doc.Set("apiVersion", Str("v1"));
      return JsonResponse(200, doc);
    }
    version = std::string(parts[2]);
    if (std::find(it->versions.begin(), it->versions.end(), version) == it->versions.end()) {
      return PathNotFoundError();
    }
    next = 3;
  } else {
    return PathNotFoundError();
  }
  if (next == parts.size()) {
    if (!read) return MethodNotAllowedError("the server does not allow this method");
    return JsonResponse(200, ResourceList(group, version));
  }

  ResourcePath rp;
  rp.version = version;
  std::vector<std::string_view> rest(parts.begin() + next, parts.end());
  if (!rest.empty() && rest[0] == "watch") {
    rp.watch_prefix = true;
    rest.erase(rest.begin());
  }
  if (rest.size() >= 3 && rest[0] == "namespaces" &&
      FindResource(group, version, rest[2]) != nullptr &&
      FindResource(group, version, rest[2])->namespaced) {
    rp.ns = std::string(rest[1]);
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty()) return PathNotFoundError();
  rp.type = FindResource(group, version, rest[0]);
  if (rp.type == nullptr) return PathNotFoundError();
  if (rest.size() >= 2) rp.name = std::string(rest[1]);
  if (rest.size() >= 3) rp.subresource = std::string(rest[2]);
  if (rest.size() > 3) return PathNotFoundError();
  const ResourceType& type = *rp.type;
  if (type.namespaced && rp.ns.empty() && !rp.name.empty()) return PathNotFoundError();
  if (!rp.subresource.empty()) {
    bool known = (rp.subresource == "status" && type.has_status) ||
                 (rp.subresource == "binding" && type.has_binding) ||
                 (rp.subresource == "scale" && type.has_scale) ||
                 (rp.subresource == "finalize" && type.kind == "Namespace");
    if (!known) return PathNotFoundError();
  }
  Subresource sub = rp.subresource == "status" ? Subresource::kStatus : Subresource::kNone;

  std::vector<std::string> warnings;
  auto finish = [&](int code, Value object) -> absl::StatusOr<Response> {
    DRA_RETURN_IF_ERROR(ToVersion(type, version, object));
    DRA_ASSIGN_OR_RETURN(Shape shape, NegotiateShape(request));
    Response r;
    if (shape == Shape::kTable && read) {
      DRA_ASSIGN_OR_RETURN(IncludeObject include,
                           ParseIncludeObject(ParamOr(request, "includeObject")));
      Value meta = object.Find("metadata") != nullptr ? *object.Find("metadata") : Value();
      r = JsonResponse(code, BuildTable(type.ApiVersion(version), type.kind, {object}, absl::Now(),
                                        include, meta));
    } else if (shape == Shape::kPartialMetadata) {
      r = JsonResponse(code, PartialMetadata(object));
    } else {
      r = JsonResponse(code, std::move(object));
    }
    r.warnings = std::move(warnings);
    return r;
  };

  if (rp.subresource == "scale") return HandleScale(request, type, rp.ns, rp.name, version);

  bool watch = rp.watch_prefix || ParamTrue(request, "watch");
  if (read) {
    if (rp.name.empty() || watch) {
      if (!rp.subresource.empty()) return PathNotFoundError();
      DRA_ASSIGN_OR_RETURN(Filter filter, ParseFilter(request, type, version, rp.name));
      DRA_ASSIGN_OR_RETURN(Shape shape, NegotiateShape(request));
      DRA_ASSIGN_OR_RETURN(IncludeObject include,
                           ParseIncludeObject(ParamOr(request, "includeObject")));
      if (watch) {
        if (open_watches_.fetch_add(1) >= options_.max_watches) {
          open_watches_.fetch_sub(1);
          return ApiError(429, "TooManyRequests",
                          "too many watches are open, please try again later");
        }
        absl::Duration timeout = options_.watch_timeout;
        if (const std::string* t = Param(request, "timeoutSeconds")) {
          int64_t seconds = 0;
          if (!absl::SimpleAtoi(*t, &seconds) || seconds < 0) {
            open_watches_.fetch_sub(1);
            return BadRequestError(dra::StrCat("timeoutSeconds: invalid value ", GoQuote(*t)));
          }
          if (seconds > 0) timeout = std::min(timeout, absl::Seconds(seconds));
        }
        bool bookmarks = ParamTrue(request, "allowWatchBookmarks");
        auto w = std::make_unique<Watch>(type, version, shape, include, filter, bookmarks,
                                         options_.bookmark_interval, absl::Now() + timeout, store_,
                                         &registry_, watch_counter_, shared_events_);
        std::string rv = ParamOr(request, "resourceVersion");
        bool initial = ParamTrue(request, "sendInitialEvents");
        ListParams lp;
        lp.ns = rp.ns;
        if (filter.active()) lp.filter = [filter](const Value& o) { return filter.Matches(o); };
        std::string prefix =
            type.namespaced && !rp.ns.empty() ? type.NamespacePrefix(rp.ns) : type.KeyPrefix();
        if (rv.empty() || rv == "0" || initial) {
          if (initial && !rv.empty() && rv != "0") {
            lp.resource_version = rv;
          }
          DRA_ASSIGN_OR_RETURN(ListOutcome listed, registry_.List(type, lp));
          w->AddInitial(listed.items, listed.revision, initial && bookmarks);
          absl::StatusOr<std::unique_ptr<store::WatchStream>> stream =
              store_->Watch(prefix, listed.revision);
          if (!stream.ok()) return stream.status();
          w->Start(*std::move(stream), listed.revision);
        } else {
          absl::StatusOr<int64_t> from = ParseResourceVersion(rv);
          if (!from.ok()) return from.status();
          absl::StatusOr<std::unique_ptr<store::WatchStream>> stream = store_->Watch(prefix, *from);
          if (absl::IsOutOfRange(stream.status())) {
            absl::StatusOr<int64_t> compacted = store_->CompactedRevision();
            w->Fail(GoneError(dra::StrCat("too old resource version: ", *from, " (",
                                          compacted.ok() ? *compacted : 0, ")")));
          } else if (!stream.ok()) {
            if (absl::IsInvalidArgument(stream.status())) {
              absl::StatusOr<int64_t> current = store_->CurrentRevision();
              return ApiError(504, "Timeout",
                              dra::StrCat("Too large resource version: ", *from,
                                          ", current: ", current.ok() ? *current : 0));
            }
            return stream.status();
          } else {
            if (filter.active()) {
              // Which objects the client saw at `from`, to turn selector transitions into
              // ADDED/DELETED events.
              ListParams at = lp;
              at.resource_version = rv;
              at.resource_version_match = "Exact";
              absl::StatusOr<ListOutcome> seen = registry_.List(type, at);
              if (seen.ok()) w->RememberVisible(seen->items);
            }
            w->Start(*std::move(stream), *from);
          }
        }
        Response r;
        // The stream parameter also keeps transports from buffering the body for compression.
        r.content_type = "application/json;stream=watch";
        r.stream = std::move(w);
        return r;
      }
      ListParams lp;
      lp.ns = rp.ns;
      if (filter.active()) lp.filter = [filter](const Value& o) { return filter.Matches(o); };
      if (const std::string* limit = Param(request, "limit")) {
        if (!limit->empty() && (!absl::SimpleAtoi(*limit, &lp.limit) || lp.limit < 0)) {
          return BadRequestError(dra::StrCat("limit: invalid value ", GoQuote(*limit)));
        }
      }
      lp.continue_token = ParamOr(request, "continue");
      lp.resource_version = ParamOr(request, "resourceVersion");
      lp.resource_version_match = ParamOr(request, "resourceVersionMatch");
      if (!lp.resource_version_match.empty() && lp.resource_version_match != "Exact" &&
          lp.resource_version_match != "NotOlderThan") {
        return BadRequestError(dra::StrCat(
            "resourceVersionMatch: Unsupported value: ", GoQuote(lp.resource_version_match),
            ": supported values: \"Exact\", \"NotOlderThan\""));
      }
      if (!lp.resource_version_match.empty() && lp.resource_version.empty()) {
        return BadRequestError(
            "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless "
            "resourceVersion is provided");
      }
      DRA_ASSIGN_OR_RETURN(ListOutcome listed, registry_.List(type, lp));
      std::vector<Value> items = std::move(listed.items);
      for (Value& item : items) DRA_RETURN_IF_ERROR(ToVersion(type, version, item));
      if (shape == Shape::kTable) {
        Value meta = Value::Object();
        meta.Set("resourceVersion", Value::String(RevisionString(listed.revision)));
        if (!listed.continue_token.empty()) meta.Set("continue", Str(listed.continue_token));
        return JsonResponse(200, BuildTable(type.ApiVersion(version), type.kind, items, absl::Now(),
                                            include, meta));
      }
      if (shape == Shape::kPartialMetadata) {
        for (Value& item : items) item = PartialMetadata(item);
        Value list = ListDocument(type, version, std::move(items), listed);
        list.Set("kind", Str("PartialObjectMetadataList"));
        list.Set("apiVersion", Str("meta.k8s.io/v1"));
        return JsonResponse(200, list);
      }
      return JsonResponse(200, ListDocument(type, version, std::move(items), listed));
    }
    if (rp.subresource == "binding" || rp.subresource == "finalize") {
      return MethodNotAllowedError(
          "the server does not allow this method on the requested resource");
    }
    DRA_ASSIGN_OR_RETURN(Value object, registry_.Get(type, rp.ns, rp.name));
    return finish(200, std::move(object));
  }

  if (method == "POST") {
    if (rp.subresource == "binding") {
      DRA_ASSIGN_OR_RETURN(WriteParams params, ParseWriteParams(request, &warnings));
      DRA_ASSIGN_OR_RETURN(Value body, ParseBody(request));
      const Value* target = body.Find("target");
      const Value* node = target != nullptr ? target->Find("name") : nullptr;
      if (node == nullptr || !node->is_string() || node->text().empty()) {
        return InvalidError(type, rp.name,
                            {api::RequiredError(api::FieldPath("target").Child("name"))});
      }
      DRA_RETURN_IF_ERROR(registry_.Bind(rp.ns, rp.name, node->text(), params));
      Value status = Value::Object();
      status.Set("kind", Str("Status"));
      status.Set("apiVersion", Str("v1"));
      status.Set("metadata", Value::Object());
      status.Set("status", Str("Success"));
      status.Set("code", Value::Int(201));
      return JsonResponse(201, status);
    }
    if (!rp.name.empty()) {
      return MethodNotAllowedError(
          "the server does not allow this method on the requested resource");
    }
    if (type.namespaced && rp.ns.empty()) return PathNotFoundError();
    DRA_ASSIGN_OR_RETURN(WriteParams params, ParseWriteParams(request, &warnings));
    DRA_ASSIGN_OR_RETURN(Value body, ParseBody(request));
    DRA_ASSIGN_OR_RETURN(Value decoded, DecodeBody(type, version, std::move(body),
                                                   {.field_validation = params.field_validation,
                                                    .warnings = &warnings}));
    DRA_ASSIGN_OR_RETURN(Value created, registry_.Create(type, rp.ns, std::move(decoded), params));
    return finish(201, std::move(created));
  }

  if (method == "PUT") {
    if (rp.name.empty() || rp.subresource == "binding") {
      return MethodNotAllowedError(
          "the server does not allow this method on the requested resource");
    }
    DRA_ASSIGN_OR_RETURN(WriteParams params, ParseWriteParams(request, &warnings));
    DRA_ASSIGN_OR_RETURN(Value body, ParseBody(request));
    if (rp.subresource == "finalize") {
      // Namespaces: only spec.finalizers changes.
      DRA_ASSIGN_OR_RETURN(Value current, registry_.Get(type, rp.ns, rp.name));
      if (const Value* spec = body.Find("spec")) {
        current.Set("spec", *spec);
      } else {
        current.Remove("spec");
      }
      body = std::move(current);
      DRA_ASSIGN_OR_RETURN(Value updated, registry_.Finalize(rp.name, std::move(body), params));
      return finish(200, std::move(updated));
    }
    DRA_ASSIGN_OR_RETURN(Value decoded, DecodeBody(type, version, std::move(body),
                                                   {.field_validation = params.field_validation,
                                                    .warnings = &warnings}));
    DRA_ASSIGN_OR_RETURN(Value updated,
                         registry_.Update(type, rp.ns, rp.name, std::move(decoded), sub, params));
    return finish(200, std::move(updated));
  }

  if (method == "PATCH") {
    if (rp.name.empty() || rp.subresource == "binding" || rp.subresource == "finalize") {
      return MethodNotAllowedError(
          "the server does not allow this method on the requested resource");
    }
    DRA_ASSIGN_OR_RETURN(WriteParams params, ParseWriteParams(request, &warnings));
    PatchParams patch;
    std::string_view ct = request.content_type;
    if (size_t semi = ct.find(';'); semi != std::string_view::npos) ct = ct.substr(0, semi);
    if (ct == "application/json-patch+json") {
      patch.type = PatchType::kJson;
    } else if (ct == "application/merge-patch+json") {
      patch.type = PatchType::kMerge;
    } else if (ct == "application/strategic-merge-patch+json") {
      patch.type = PatchType::kStrategicMerge;
    } else if (ct == "application/apply-patch+yaml" || ct == "application/apply-patch+json") {
      patch.type = PatchType::kApply;
      if (ParamOr(request, "fieldManager").empty()) {
        return ApiError(422, "Invalid",
                        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                        "is required for apply patch");
      }
    } else {
      return ApiError(415, "UnsupportedMediaType",
                      dra::StrCat("the body of the request was in an unknown format - accepted "
                                  "media types include: application/json-patch+json, "
                                  "application/merge-patch+json, application/apply-patch+yaml"));
    }
    if (patch.type != PatchType::kApply && Param(request, "force") != nullptr) {
      return ApiError(422, "Invalid",
                      "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be "
                      "specified for non-apply patch");
    }
    patch.force = ParamTrue(request, "force");
    patch.body = request.body;
    patch.version = version;
    DRA_ASSIGN_OR_RETURN(Value patched, registry_.Patch(type, rp.ns, rp.name, patch, sub, params));
    return finish(200, std::move(patched));
  }

  if (method == "DELETE") {
    if (!rp.subresource.empty()) {
      return MethodNotAllowedError(
          "the server does not allow this method on the requested resource");
    }
    DRA_ASSIGN_OR_RETURN(DeleteParams params, ParseDeleteParams(request));
    if (rp.name.empty()) {
      // deletecollection
      DRA_ASSIGN_OR_RETURN(Filter filter, ParseFilter(request, type, version, ""));
      ListParams lp;
      lp.ns = rp.ns;
      if (filter.active()) lp.filter = [filter](const Value& o) { return filter.Matches(o); };
      DRA_ASSIGN_OR_RETURN(ListOutcome listed, registry_.List(type, lp));
      std::vector<Value> items;
      for (const Value& item : listed.items) {
        absl::StatusOr<DeleteOutcome> outcome =
            registry_.Delete(type, MetaString(item, "namespace"), MetaString(item, "name"), params);
        if (absl::IsNotFound(outcome.status())) continue;
        if (!outcome.ok()) return outcome.status();
        Value object = outcome->object;
        DRA_RETURN_IF_ERROR(ToVersion(type, version, object));
        items.push_back(std::move(object));
      }
      return JsonResponse(200, ListDocument(type, version, std::move(items), listed));
    }
    DRA_ASSIGN_OR_RETURN(DeleteOutcome outcome, registry_.Delete(type, rp.ns, rp.name, params));
    return finish(200, std::move(outcome.object));
  }
  return MethodNotAllowedError("the server does not allow this method on the requested resource");
}

}  // namespace dra::apiserver
