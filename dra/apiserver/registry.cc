#include "dra/apiserver/registry.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "dra/api/codec/codec.h"
#include "dra/api/codec/json.h"
#include "dra/api/conversion.h"
#include "dra/apiserver/errors.h"
#include "dra/apiserver/patch/patch.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;

constexpr int kPatchRetries = 8;

const ResourceType& NamespaceType() { return *FindResourceByKind("", "Namespace"); }

bool HasFinalizers(const Value& object) {
  const Value* meta = object.Find("metadata");
  if (meta == nullptr) return false;
  const Value* finalizers = meta->Find("finalizers");
  return finalizers != nullptr && finalizers->is_array() && !finalizers->items().empty();
}

bool NamespaceSpecFinalized(const Value& object) {
  const Value* spec = object.Find("spec");
  const Value* finalizers = spec != nullptr ? spec->Find("finalizers") : nullptr;
  return finalizers == nullptr || !finalizers->is_array() || finalizers->items().empty();
}

void AddFinalizer(Value& object, std::string_view finalizer) {
  Value& meta = MutableMeta(object);
  Value* list = meta.FindMutable("finalizers");
  if (list == nullptr || !list->is_array()) list = &meta.Set("finalizers", Value::Array());
  for (const Value& f : list->items()) {
    if (f.is_string() && f.text() == finalizer) return;
  }
  list->Append(Value::String(std::string(finalizer)));
}

std::string EncodeContinue(int64_t revision, std::string_view key) {
  Value token = Value::Object();
  token.Set("v", Value::String("meta.k8s.io/v1"));
  token.Set("rv", Value::Int(revision));
  token.Set("start", Value::String(std::string(key)));
  return absl::WebSafeBase64Escape(api::WriteJson(token));
}

absl::Status BadContinue() {
  return BadRequestError("continue key is not valid: the continue token could not be decoded");
}

absl::StatusOr<std::pair<int64_t, std::string>> DecodeContinue(std::string_view token,
                                                               std::string_view prefix) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(std::string(token), &raw) &&
      !absl::Base64Unescape(std::string(token), &raw)) {
    return BadContinue();
  }
  absl::StatusOr<Value> parsed = api::ParseJson(raw);
  if (!parsed.ok() || !parsed->is_object()) return BadContinue();
  const Value* v = parsed->Find("v");
  const Value* rv = parsed->Find("rv");
  const Value* start = parsed->Find("start");
  if (v == nullptr || !v->is_string() || v->text() != "meta.k8s.io/v1" || rv == nullptr ||
      !rv->AsInt64().has_value() || start == nullptr || !start->is_string() ||
      !start->text().starts_with(prefix)) {
    return BadContinue();
  }
  return std::make_pair(*rv->AsInt64(), start->text());
}

// Whether `object` has a value at a server-side-apply field path such as
// `.spec.containers[name="c"].image` (list items selected by key fields, `[="v"]` for set
// elements, `[3]` by index).
bool HasFieldPath(const Value& object, std::string_view path) {
  const Value* cur = &object;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t end = i + 1;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      if (!cur->is_object()) return false;
      cur = cur->Find(path.substr(i + 1, end - i - 1));
      if (cur == nullptr) return false;
      i = end;
      continue;
    }
    if (path[i] != '[' || !cur->is_array()) return false;
    // The closing bracket outside quoted values.
    size_t end = std::string_view::npos;
    bool quoted = false;
    for (size_t j = i + 1; j < path.size(); ++j) {
      if (quoted && path[j] == '\\') {
        ++j;
      } else if (path[j] == '"') {
        quoted = !quoted;
      } else if (path[j] == ']' && !quoted) {
        end = j;
        break;
      }
    }
    if (end == std::string_view::npos) return false;
    std::string_view selector = path.substr(i + 1, end - i - 1);
    const Value* found = nullptr;
    if (selector.find('=') == std::string_view::npos) {
      size_t index = 0;
      if (!absl::SimpleAtoi(std::string(selector), &index) || index >= cur->items().size()) {
        return false;
      }
      found = &cur->items()[index];
    } else {
      // key=value pairs separated by commas, values in JSON; an empty key is the item itself.
      std::vector<std::pair<std::string, Value>> keys;
      size_t k = 0;
      while (k < selector.size()) {
        size_t eq = selector.find('=', k);
        if (eq == std::string_view::npos) return false;
        size_t v_end = eq + 1;
        bool in_string = false;
        while (v_end < selector.size()) {
          char c = selector[v_end];
          if (in_string && c == '\\') {
            v_end += 2;
            continue;
          }
          if (c == '"') in_string = !in_string;
          if (c == ',' && !in_string) break;
          ++v_end;
        }
        absl::StatusOr<Value> value = api::ParseJson(selector.substr(eq + 1, v_end - eq - 1));
        if (!value.ok()) return false;
        keys.emplace_back(std::string(selector.substr(k, eq - k)), *std::move(value));
        k = v_end + 1;
      }
      for (const Value& item : cur->items()) {
        bool match = true;
        for (const auto& [key, value] : keys) {
          const Value* v = key.empty() ? &item : item.Find(key);
          if (v == nullptr || !(*v == value)) {
            match = false;
            break;
          }
        }
        if (match) {
          found = &item;
          break;
        }
      }
    }
    if (found == nullptr) return false;
    cur = found;
    i = end + 1;
  }
  return true;
}

// kube-apiserver's last-applied manager: `kubectl apply --server-side` may take over the fields
// that a previous client-side apply configured, as recorded in the last-applied annotation.
bool ConflictsCoveredByLastApplied(const Value& live, const std::vector<ApplyConflict>& conflicts) {
  const Value* meta = live.Find("metadata");
  const Value* annotations = meta != nullptr ? meta->Find("annotations") : nullptr;
  const Value* last = annotations != nullptr
                          ? annotations->Find("kubectl.kubernetes.io/last-applied-configuration")
                          : nullptr;
  if (last == nullptr || !last->is_string() || conflicts.empty()) return false;
  absl::StatusOr<Value> applied = api::ParseJson(last->text());
  if (!applied.ok()) return false;
  for (const ApplyConflict& c : conflicts) {
    if (!HasFieldPath(*applied, c.field)) return false;
  }
  return true;
}

std::string FieldManagerOrDefault(const WriteParams& params) {
  return params.field_manager.empty() ? "unknown" : params.field_manager;
}

// a == b, metadata.resourceVersion aside.
bool SameIgnoringResourceVersion(const Value& a, const Value& b) {
  if (!a.is_object() || !b.is_object()) return a == b;
  if (a.members().size() != b.members().size()) return false;
  auto size_without_rv = [](const Value& meta) {
    return meta.members().size() - (meta.Find("resourceVersion") != nullptr ? 1 : 0);
  };
  for (const auto& [key, value] : a.members()) {
    const Value* other = b.Find(key);
    if (other == nullptr) return false;
    if (key == "metadata" && value.is_object() && other->is_object()) {
      if (size_without_rv(value) != size_without_rv(*other)) return false;
      for (const auto& [meta_key, meta_value] : value.members()) {
        if (meta_key == "resourceVersion") continue;
        const Value* other_meta = other->Find(meta_key);
        if (other_meta == nullptr || !(*other_meta == meta_value)) return false;
      }
    } else if (!(*other == value)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string RevisionString(int64_t revision) { return std::to_string(revision); }

absl::StatusOr<int64_t> ParseResourceVersion(std::string_view rv) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), value);
  if (rv.empty() || ec != std::errc() || ptr != rv.data() + rv.size() || value < 0) {
    return BadRequestError(dra::StrCat("invalid resource version: ", GoQuote(rv)));
  }
  return value;
}

std::string ToStored(const Value& object) {
  if (const Value* meta = object.Find("metadata");
      meta != nullptr && meta->Find("resourceVersion") != nullptr) {
    Value copy = object;
    MutableMeta(copy).Remove("resourceVersion");
    return api::WriteJson(copy);
  }
  return api::WriteJson(object);
}

absl::StatusOr<Value> Registry::FromStored(const store::KeyValue& kv) {
  absl::StatusOr<Value> object = api::ParseJson(kv.value);
  if (!object.ok()) {
    return absl::InternalError(dra::StrCat(
        "stored object ", kv.key, " is corrupt: ", std::string(object.status().message())));
  }
  MutableMeta(*object).Set("resourceVersion", Value::String(RevisionString(kv.mod_revision)));
  return object;
}

// Decoded documents take several times their JSON size: at most 8 MB of JSON is kept decoded.
Registry::Registry(store::Store* store)
    : store_(store), decoded_(std::make_unique<DecodedCache>(4096, 8 << 20)) {}

Registry::~Registry() = default;

absl::StatusOr<std::shared_ptr<const Value>> Registry::Decoded(const store::KeyValue& kv,
                                                               bool remember) {
  if (std::shared_ptr<const Value> hit = decoded_->Find({kv.key, kv.mod_revision})) return hit;
  DRA_ASSIGN_OR_RETURN(Value object, FromStored(kv));
  auto shared = std::make_shared<const Value>(std::move(object));
  if (remember) decoded_->Add({kv.key, kv.mod_revision}, shared, kv.value.size());
  return shared;
}

void Registry::Remember(std::string_view key, int64_t revision, const Value& object,
                        size_t stored_bytes) {
  decoded_->Add({std::string(key), revision}, std::make_shared<const Value>(object), stored_bytes);
}

void Registry::RememberDeleted(std::string_view key, int64_t revision, const Value& last,
                               size_t stored_bytes) {
  auto object = std::make_shared<Value>(last);
  MutableMeta(*object).Set("resourceVersion", Value::String(RevisionString(revision)));
  decoded_->Add({std::string(key), revision}, std::move(object), stored_bytes);
}

absl::StatusOr<Value> Registry::Get(const ResourceType& type, std::string_view ns,
                                    std::string_view name) {
  absl::StatusOr<store::KeyValue> kv = store_->Get(type.Key(ns, name));
  if (absl::IsNotFound(kv.status())) return NotFoundError(type, name);
  if (!kv.ok()) return kv.status();
  DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> object, Decoded(*kv));
  return *object;
}

absl::StatusOr<ListOutcome> Registry::List(const ResourceType& type, const ListParams& params) {
  std::string prefix =
      type.namespaced && !params.ns.empty() ? type.NamespacePrefix(params.ns) : type.KeyPrefix();
  store::ListOptions options;
  if (!params.continue_token.empty()) {
    DRA_ASSIGN_OR_RETURN(auto cont, DecodeContinue(params.continue_token, prefix));
    options.at_revision = cont.first;
    options.continue_key = cont.second;
  } else if (!params.resource_version.empty() && params.resource_version != "0") {
    DRA_ASSIGN_OR_RETURN(int64_t rv, ParseResourceVersion(params.resource_version));
    DRA_ASSIGN_OR_RETURN(int64_t current, store_->CurrentRevision());
    if (params.resource_version_match == "Exact") {
      options.at_revision = rv;
    } else if (rv > current) {
      return ApiError(504, "Timeout",
                      dra::StrCat("Too large resource version: ", rv, ", current: ", current), [] {
                        Value d = Value::Object();
                        d.Set("causes", Value::Array({[] {
                                Value c = Value::Object();
                                c.Set("reason", Value::String("ResourceVersionTooLarge"));
                                c.Set("message", Value::String("Too large resource version"));
                                return c;
                              }()}));
                        d.Set("retryAfterSeconds", Value::Int(1));
                        return d;
                      }());
    }
  }

  ListOutcome outcome;
  bool first_page = true;
  while (true) {
    // Without a filter one page of the store is one page of the result; with one, pages are
    // read until enough items matched.
    store::ListOptions page = options;
    if (params.limit > 0) {
      page.limit = params.filter ? std::max<int64_t>(params.limit, 500) : params.limit;
    }
    absl::StatusOr<store::ListResult> result = store_->List(prefix, page);
    if (absl::IsOutOfRange(result.status())) {
      if (!params.continue_token.empty()) {
        return GoneError(
            "The provided continue parameter is too old to display a consistent list result. "
            "You can start a new list without the continue parameter.");
      }
      return GoneError(dra::StrCat("too old resource version: ", params.resource_version));
    }
    if (!result.ok()) return result.status();
    if (first_page) {
      outcome.revision = result->revision;
      options.at_revision = result->revision;
      first_page = false;
    }
    bool full = false;
    size_t i = 0;
    for (; i < result->items.size(); ++i) {
      const store::KeyValue& item = result->items[i];
      std::shared_ptr<const Value> known = decoded_->Find({item.key, item.mod_revision});
      Value object;
      if (known != nullptr) {
        object = *known;
      } else {
        DRA_ASSIGN_OR_RETURN(object, FromStored(item));
      }
      if (params.filter && !params.filter(object)) continue;
      outcome.items.push_back(std::move(object));
      if (params.limit > 0 && static_cast<int64_t>(outcome.items.size()) >= params.limit) {
        full = true;
        break;
      }
    }
    if (full) {
      // The token resumes after the last returned item when anything may follow it.
      if (i + 1 < result->items.size() || !result->continue_key.empty()) {
        outcome.continue_token = EncodeContinue(outcome.revision, result->items[i].key);
      }
      break;
    }
    if (result->continue_key.empty()) break;
    options.continue_key = result->continue_key;
  }
  return outcome;
}

absl::StatusOr<std::optional<Value>> Registry::NamespaceLabels(const ResourceType& type,
                                                               std::string_view ns,
                                                               std::string_view name) {
  if (!type.namespaced) return std::optional<Value>();
  absl::StatusOr<store::KeyValue> kv = store_->Get(NamespaceType().Key("", ns));
  if (absl::IsNotFound(kv.status())) return NotFoundError(NamespaceType(), ns);
  if (!kv.ok()) return kv.status();
  DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> namespace_document, Decoded(*kv));
  const Value& namespace_object = *namespace_document;
  if (!MetaString(namespace_object, "deletionTimestamp").empty()) {
    return ForbiddenError(type, name,
                          dra::StrCat("unable to create new content in namespace ", ns,
                                      " because it is being terminated"));
  }
  const Value* meta = namespace_object.Find("metadata");
  const Value* labels = meta != nullptr ? meta->Find("labels") : nullptr;
  return std::optional<Value>(labels != nullptr ? *labels : Value::Object());
}

absl::StatusOr<Value> Registry::Create(const ResourceType& type, std::string_view ns, Value object,
                                       const WriteParams& params) {
  WriteOptions options{.field_validation = params.field_validation,
                       .now = NowRfc3339(),
                       .warnings = params.warnings};
  DRA_ASSIGN_OR_RETURN(options.namespace_labels,
                       NamespaceLabels(type, ns, MetaString(object, "name")));
  DRA_ASSIGN_OR_RETURN(Value prepared, PrepareCreate(type, std::move(object), ns, options));
  if (!params.managed_fields_final) {
    prepared = UpdateManagedFields(std::nullopt, prepared,
                                   {.manager = FieldManagerOrDefault(params), .now = options.now},
                                   PatchSchemaFor(type.StorageApiVersion(), type.kind));
  }
  std::string name = MetaString(prepared, "name");
  std::string key = type.Key(ns, name);
  if (params.dry_run) {
    if (store_->Get(key).ok()) return AlreadyExistsError(type, name);
    return prepared;
  }
  const std::string stored = ToStored(prepared);
  absl::StatusOr<int64_t> revision = store_->Create(key, stored);
  if (absl::IsAlreadyExists(revision.status())) return AlreadyExistsError(type, name);
  if (!revision.ok()) return revision.status();
  MutableMeta(prepared).Set("resourceVersion", Value::String(RevisionString(*revision)));
  Remember(key, *revision, prepared, stored.size());
  return prepared;
}

absl::StatusOr<Value> Registry::Commit(const ResourceType& type, std::string_view key,
                                       Value updated, int64_t revision, bool dry_run) {
  bool finalize = !MetaString(updated, "deletionTimestamp").empty() && !HasFinalizers(updated) &&
                  (type.kind != "Namespace" || NamespaceSpecFinalized(updated));
  if (dry_run) return updated;
  if (finalize) {
    absl::StatusOr<store::DeleteResult> deleted = store_->Delete(key, revision);
    if (absl::IsAborted(deleted.status())) {
      return ConflictError(type, MetaString(updated, "name"),
                           "the object has been modified; please apply your changes to the "
                           "latest version and try again");
    }
    if (absl::IsNotFound(deleted.status())) {
      return NotFoundError(type, MetaString(updated, "name"));
    }
    if (!deleted.ok()) return deleted.status();
    if (std::shared_ptr<const Value> last =
            decoded_->Find({std::string(key), deleted->prev.mod_revision})) {
      RememberDeleted(key, deleted->revision, *last, deleted->prev.value.size());
    }
    MutableMeta(updated).Set("resourceVersion", Value::String(RevisionString(deleted->revision)));
    return updated;
  }
  const std::string stored = ToStored(updated);
  absl::StatusOr<int64_t> written = store_->Update(key, stored, revision);
  if (absl::IsAborted(written.status())) {
    return ConflictError(type, MetaString(updated, "name"),
                         "the object has been modified; please apply your changes to the latest "
                         "version and try again");
  }
  if (absl::IsNotFound(written.status())) return NotFoundError(type, MetaString(updated, "name"));
  if (!written.ok()) return written.status();
  MutableMeta(updated).Set("resourceVersion", Value::String(RevisionString(*written)));
  Remember(key, *written, updated, stored.size());
  return updated;
}

absl::StatusOr<Value> Registry::Update(const ResourceType& type, std::string_view ns,
                                       std::string_view name, Value object, Subresource subresource,
                                       const WriteParams& params) {
  return UpdateInternal(type, ns, name, std::move(object), subresource, params, nullptr);
}

absl::StatusOr<Value> Registry::UpdateInternal(const ResourceType& type, std::string_view ns,
                                               std::string_view name, Value object,
                                               Subresource subresource, const WriteParams& params,
                                               const store::KeyValue* current_entry) {
  std::string body_name = MetaString(object, "name");
  if (!body_name.empty() && body_name != name) {
    return BadRequestError(dra::StrCat("the name of the object (", body_name,
                                       ") does not match the name on the URL (", name, ")"));
  }
  if (body_name.empty()) MutableMeta(object).Set("name", Value::String(std::string(name)));
  DRA_RETURN_IF_ERROR(CheckBodyNamespace(type, object, ns));
  std::string key = type.Key(ns, name);
  std::string rv = MetaString(object, "resourceVersion");
  std::optional<int64_t> requested;
  if (!rv.empty()) {
    absl::StatusOr<int64_t> parsed = ParseResourceVersion(rv);
    if (!parsed.ok()) {
      return InvalidError(
          type, name,
          {api::InvalidStringError(api::FieldPath("metadata").Child("resourceVersion"), rv,
                                   "must be a non-negative integer")});
    }
    requested = *parsed;
  }
  auto conflict = [&] {
    return ConflictError(type, name,
                         "the object has been modified; please apply your changes to the "
                         "latest version and try again");
  };
  // Reads the stored entry; Conflict when it is not at the requested version.
  auto read_current = [&]() -> absl::StatusOr<store::KeyValue> {
    absl::StatusOr<store::KeyValue> kv = store_->Get(key);
    if (absl::IsNotFound(kv.status())) return NotFoundError(type, name);
    if (!kv.ok()) return kv.status();
    if (requested.has_value() && *requested != kv->mod_revision) return conflict();
    return kv;
  };
  store::KeyValue current;
  // Whether `current` was read from the store. When the registry has the requested version
  // decoded, the store is not read first: its write checks that the version is still current
  // (409 otherwise); outcomes that write nothing check it here.
  bool read = true;
  if (current_entry != nullptr) {
    current = *current_entry;
    if (requested.has_value() && *requested != current.mod_revision) return conflict();
  } else if (requested.has_value() && decoded_->Find({std::string(key), *requested}) != nullptr) {
    current.key = key;
    current.mod_revision = *requested;
    read = false;
  } else {
    DRA_ASSIGN_OR_RETURN(current, read_current());
  }
  // An error found on a version that may be stale: the conflict, if any, comes first.
  auto checked = [&](absl::Status error) -> absl::Status {
    if (!read) {
      absl::StatusOr<store::KeyValue> now = read_current();
      if (!now.ok()) return now.status();
    }
    return error;
  };
  DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> old_document, Decoded(current));
  const Value& old = *old_document;
  WriteOptions options{.field_validation = params.field_validation,
                       .now = NowRfc3339(),
                       .warnings = params.warnings};
  if (subresource == Subresource::kNone) {
    // Namespace labels matter only for the adminAccess rule; a terminating namespace still
    // accepts updates.
    if (type.namespaced && (type.kind == "ResourceClaim" || type.kind == "ResourceClaimTemplate")) {
      absl::StatusOr<store::KeyValue> ns_kv = store_->Get(NamespaceType().Key("", ns));
      if (ns_kv.ok()) {
        DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> ns_object, Decoded(*ns_kv));
        const Value* meta = ns_object->Find("metadata");
        const Value* labels = meta != nullptr ? meta->Find("labels") : nullptr;
        options.namespace_labels = labels != nullptr ? *labels : Value::Object();
      } else {
        options.namespace_labels = Value::Object();
      }
    }
  }
  absl::StatusOr<Value> prepared_or =
      PrepareUpdate(type, std::move(object), old, subresource, options);
  if (!prepared_or.ok()) return checked(prepared_or.status());
  Value prepared = *std::move(prepared_or);
  if (!params.managed_fields_final) {
    prepared =
        UpdateManagedFields(old, prepared,
                            {.manager = FieldManagerOrDefault(params),
                             .now = options.now,
                             .subresource = subresource == Subresource::kStatus ? "status" : ""},
                            PatchSchemaFor(type.StorageApiVersion(), type.kind));
  }
  // A write that changes nothing is not written (the resourceVersion stays).
  bool unchanged = SameIgnoringResourceVersion(prepared, old);
  if (unchanged || params.dry_run) DRA_RETURN_IF_ERROR(checked(absl::OkStatus()));
  if (unchanged) return old;
  return Commit(type, key, std::move(prepared), current.mod_revision, params.dry_run);
}

absl::StatusOr<Value> Registry::Patch(const ResourceType& type, std::string_view ns,
                                      std::string_view name, const PatchParams& patch,
                                      Subresource subresource, const WriteParams& params) {
  std::string request_api_version = type.ApiVersion(patch.version);
  Value patch_value;
  if (patch.type == PatchType::kApply) {
    absl::StatusOr<std::vector<Value>> documents = api::ParseDocuments(patch.body);
    if (!documents.ok()) return BadRequestError(std::string(documents.status().message()));
    if (documents->size() != 1) {
      return BadRequestError("apply patches must contain exactly one object");
    }
    patch_value = std::move(documents->front());
  } else {
    absl::StatusOr<Value> parsed = api::ParseJson(patch.body);
    if (!parsed.ok()) return BadRequestError(std::string(parsed.status().message()));
    patch_value = *std::move(parsed);
  }

  for (int attempt = 0;; ++attempt) {
    std::string key = type.Key(ns, name);
    absl::StatusOr<store::KeyValue> kv = store_->Get(key);
    if (absl::IsNotFound(kv.status())) {
      if (patch.type != PatchType::kApply) return NotFoundError(type, name);
      absl::StatusOr<Value> applied = ServerSideApply(
          std::nullopt, patch_value,
          {.manager = FieldManagerOrDefault(params), .force = patch.force, .now = NowRfc3339()},
          PatchSchemaFor(request_api_version, type.kind));
      if (!applied.ok()) return applied.status();
      WriteParams create_params = params;
      create_params.managed_fields_final = true;
      DRA_ASSIGN_OR_RETURN(Value decoded, DecodeBody(type, patch.version, *std::move(applied),
                                                     {.field_validation = params.field_validation,
                                                      .warnings = params.warnings}));
      absl::StatusOr<Value> created = Create(type, ns, std::move(decoded), create_params);
      if (absl::IsAlreadyExists(created.status()) && attempt < kPatchRetries) continue;
      return created;
    }
    if (!kv.ok()) return kv.status();
    DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> stored, Decoded(*kv));
    Value current = *stored;
    // Patches apply to the object as the client sees it at its version.
    Value versioned = current;
    if (request_api_version != type.StorageApiVersion()) {
      absl::Status converted = api::ConvertFromV1(versioned, request_api_version);
      if (!converted.ok()) return BadRequestError(std::string(converted.message()));
    }
    absl::StatusOr<Value> patched;
    std::vector<ApplyConflict> conflicts;
    switch (patch.type) {
      case PatchType::kJson:
        patched = ApplyJsonPatch(versioned, patch_value);
        break;
      case PatchType::kMerge:
        patched = ApplyMergePatch(versioned, patch_value);
        break;
      case PatchType::kStrategicMerge:
        patched = ApplyStrategicMergePatch(versioned, patch_value,
                                           PatchSchemaFor(request_api_version, type.kind));
        break;
      case PatchType::kApply:
        patched =
            ServerSideApply(versioned, patch_value,
                            {.manager = FieldManagerOrDefault(params),
                             .force = patch.force,
                             .now = NowRfc3339(),
                             .subresource = subresource == Subresource::kStatus ? "status" : ""},
                            PatchSchemaFor(request_api_version, type.kind), &conflicts);
        if (absl::IsAborted(patched.status()) && !patch.force &&
            FieldManagerOrDefault(params) == "kubectl" &&
            ConflictsCoveredByLastApplied(versioned, conflicts)) {
          conflicts.clear();
          patched =
              ServerSideApply(versioned, patch_value,
                              {.manager = FieldManagerOrDefault(params),
                               .force = true,
                               .now = NowRfc3339(),
                               .subresource = subresource == Subresource::kStatus ? "status" : ""},
                              PatchSchemaFor(request_api_version, type.kind), &conflicts);
        }
        break;
    }
    if (!patched.ok()) {
      if (absl::IsFailedPrecondition(patched.status())) {
        return ApiError(422, "Invalid", std::string(patched.status().message()));
      }
      if (absl::IsAborted(patched.status())) {
        Value details = Value::Object();
        details.Set("name", Value::String(std::string(name)));
        if (!type.group.empty()) details.Set("group", Value::String(type.group));
        details.Set("kind", Value::String(type.plural));
        Value causes = Value::Array();
        for (const ApplyConflict& c : conflicts) {
          Value cause = Value::Object();
          cause.Set("reason", Value::String("FieldManagerConflict"));
          cause.Set("message",
                    Value::String(dra::StrCat("conflict with ", DescribeConflictManager(c))));
          cause.Set("field", Value::String(c.field));
          causes.Append(std::move(cause));
        }
        details.Set("causes", std::move(causes));
        return ApiError(409, "Conflict", std::string(patched.status().message()),
                        std::move(details));
      }
      return patched.status();
    }
    DRA_ASSIGN_OR_RETURN(Value decoded, DecodeBody(type, patch.version, *std::move(patched),
                                                   {.field_validation = params.field_validation,
                                                    .warnings = params.warnings}));
    // The patch decides the resourceVersion precondition: one it sets must match; otherwise the
    // write is based on the version just read.
    if (MetaString(decoded, "resourceVersion").empty()) {
      MutableMeta(decoded).Set("resourceVersion", Value::String(RevisionString(kv->mod_revision)));
    }
    WriteParams update_params = params;
    update_params.managed_fields_final = patch.type == PatchType::kApply;
    absl::StatusOr<Value> result =
        UpdateInternal(type, ns, name, std::move(decoded), subresource, update_params, &*kv);
    if (absl::IsAborted(result.status()) && attempt < kPatchRetries) {
      // Retry only when the client did not pin a resourceVersion itself.
      const Value* meta = patch_value.Find("metadata");
      if (meta == nullptr || meta->Find("resourceVersion") == nullptr) continue;
    }
    return result;
  }
}

absl::StatusOr<DeleteOutcome> Registry::Delete(const ResourceType& type, std::string_view ns,
                                               std::string_view name, const DeleteParams& params) {
  std::string key = type.Key(ns, name);
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<store::KeyValue> kv = store_->Get(key);
    if (absl::IsNotFound(kv.status())) return NotFoundError(type, name);
    if (!kv.ok()) return kv.status();
    DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> stored, Decoded(*kv));
    Value current = *stored;
    if (params.precondition_uid.has_value() &&
        *params.precondition_uid != MetaString(current, "uid")) {
      return ConflictError(
          type, name,
          dra::StrCat("Precondition failed: UID in precondition: ", *params.precondition_uid,
                      ", UID in object meta: ", MetaString(current, "uid")));
    }
    if (params.precondition_resource_version.has_value() &&
        *params.precondition_resource_version != MetaString(current, "resourceVersion")) {
      return ConflictError(
          type, name,
          dra::StrCat("Precondition failed: ResourceVersion in precondition: ",
                      *params.precondition_resource_version, ", ResourceVersion in object meta: ",
                      MetaString(current, "resourceVersion")));
    }
    Value updated = current;
    bool pending = !MetaString(current, "deletionTimestamp").empty();
    if (params.propagation == Propagation::kOrphan) {
      AddFinalizer(updated, "orphan");
    } else if (params.propagation == Propagation::kForeground) {
      AddFinalizer(updated, "foregroundDeletion");
    }
    bool namespace_pending = type.kind == "Namespace" && !NamespaceSpecFinalized(updated);
    if (HasFinalizers(updated) || namespace_pending) {
      if (!pending) {
        Value& meta = MutableMeta(updated);
        meta.Set("deletionTimestamp", Value::String(NowRfc3339()));
        meta.Set("deletionGracePeriodSeconds", Value::Int(0));
      }
      if (type.kind == "Namespace") {
        Value* status = updated.FindMutable("status");
        if (status == nullptr || !status->is_object()) {
          status = &updated.Set("status", Value::Object());
        }
        status->Set("phase", Value::String("Terminating"));
      }
      if (updated == current) return DeleteOutcome{std::move(current), false};
      if (params.dry_run) return DeleteOutcome{std::move(updated), false};
      MutableMeta(updated).Remove("resourceVersion");
      const std::string stored = ToStored(updated);
      absl::StatusOr<int64_t> written = store_->Update(key, stored, kv->mod_revision);
      if (absl::IsAborted(written.status()) && attempt < kPatchRetries) continue;
      if (!written.ok()) return written.status();
      MutableMeta(updated).Set("resourceVersion", Value::String(RevisionString(*written)));
      Remember(key, *written, updated, stored.size());
      return DeleteOutcome{std::move(updated), false};
    }
    if (params.dry_run) return DeleteOutcome{std::move(current), true};
    absl::StatusOr<store::DeleteResult> deleted = store_->Delete(key, kv->mod_revision);
    if (absl::IsAborted(deleted.status()) && attempt < kPatchRetries) continue;
    if (absl::IsNotFound(deleted.status())) return NotFoundError(type, name);
    if (!deleted.ok()) return deleted.status();
    RememberDeleted(key, deleted->revision, current, deleted->prev.value.size());
    return DeleteOutcome{std::move(current), true};
  }
}

absl::StatusOr<Value> Registry::Finalize(std::string_view name, Value object,
                                         const WriteParams& params) {
  const ResourceType& type = NamespaceType();
  std::string key = type.Key("", name);
  absl::StatusOr<store::KeyValue> kv = store_->Get(key);
  if (absl::IsNotFound(kv.status())) return NotFoundError(type, name);
  if (!kv.ok()) return kv.status();
  MutableMeta(object).Remove("resourceVersion");
  return Commit(type, key, std::move(object), kv->mod_revision, params.dry_run);
}

absl::Status Registry::Bind(std::string_view ns, std::string_view name, std::string_view node,
                            const WriteParams& params) {
  const ResourceType& pods = *FindResourceByKind("", "Pod");
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<store::KeyValue> kv = store_->Get(pods.Key(ns, name));
    if (absl::IsNotFound(kv.status())) return NotFoundError(pods, name);
    if (!kv.ok()) return kv.status();
    DRA_ASSIGN_OR_RETURN(std::shared_ptr<const Value> stored, Decoded(*kv));
    Value pod = *stored;
    if (!MetaString(pod, "deletionTimestamp").empty()) {
      return ConflictError(pods, name, "pod is being deleted, cannot be assigned to a host");
    }
    Value* spec = pod.FindMutable("spec");
    if (spec == nullptr || !spec->is_object()) spec = &pod.Set("spec", Value::Object());
    const Value* current_node = spec->Find("nodeName");
    if (current_node != nullptr && current_node->is_string() && !current_node->text().empty()) {
      return ConflictError(pods, name,
                           dra::StrCat("pod ", name, " is already assigned to node ",
                                       GoQuote(current_node->text())));
    }
    spec->Set("nodeName", Value::String(std::string(node)));
    Value* status = pod.FindMutable("status");
    if (status == nullptr || !status->is_object()) status = &pod.Set("status", Value::Object());
    Value* conditions = status->FindMutable("conditions");
    if (conditions == nullptr || !conditions->is_array()) {
      conditions = &status->Set("conditions", Value::Array());
    }
    Value condition = Value::Object();
    condition.Set("type", Value::String("PodScheduled"));
    condition.Set("status", Value::String("True"));
    condition.Set("lastProbeTime", Value::Null());
    condition.Set("lastTransitionTime", Value::String(NowRfc3339()));
    bool replaced = false;
    for (Value& c : conditions->mutable_items()) {
      const Value* t = c.Find("type");
      if (t != nullptr && t->is_string() && t->text() == "PodScheduled") {
        c = condition;
        replaced = true;
      }
    }
    if (!replaced) conditions->Append(std::move(condition));
    MutableMeta(pod).Remove("resourceVersion");
    if (params.dry_run) return absl::OkStatus();
    const std::string bytes = ToStored(pod);
    absl::StatusOr<int64_t> written = store_->Update(pods.Key(ns, name), bytes, kv->mod_revision);
    if (absl::IsAborted(written.status()) && attempt < kPatchRetries) continue;
    if (!written.ok()) return written.status();
    MutableMeta(pod).Set("resourceVersion", Value::String(RevisionString(*written)));
    Remember(kv->key, *written, pod, bytes.size());
    return absl::OkStatus();
  }
}

}  // namespace dra::apiserver
