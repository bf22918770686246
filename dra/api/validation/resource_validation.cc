// Validation of resource.k8s.io objects as k8s.io/kubernetes pkg/apis/resource/validation does it
// in Kubernetes v1.36 (handwritten rules; the v1.36 declarative rules are alpha and only shadow
// them), with upstream's field paths, messages and error order.
//
// Contracts beyond validation.h:
// - Errors come in upstream's order, except that entries of maps (attributes, capacity, counters,
//   labels, ...) are visited in key order where Go visits them in random order.
// - Bad values are rendered as upstream's field.Error renders them: strings quoted, numbers and
//   booleans bare, and anything else as Go's encoding/json writes the internal (untagged) API
//   structs, i.e. with Go field names: `{"IntValue":null,"BoolValue":true,...}`. Lists that are
//   empty here are written as null (a nil Go slice): the value types cannot tell an empty list from
//   an absent one, so "must not be empty if specified" on list-typed attributes cannot trigger.
// - Raw JSON sizes (opaque parameters, device status data) are those of the compact encoding.
// - CEL selector expressions are only checked for length unless ValidationOptions installs
//   check_cel_selector, which then sees every expression within the length limit.
// Stateless functions; thread-safe as long as the options' callbacks are.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dra/api/codec/json.h"
#include "dra/api/codec/reflect.h"
#include "dra/api/validation/names.h"
#include "dra/api/validation/validation.h"
#include "dra/base/strings.h"

namespace dra::api {
namespace {

using Errs = FieldErrorList;

// Limits that the type headers do not carry.
constexpr int kCapacityRequestPolicyDiscreteMaxOptions = 10;
constexpr int kAttributeAndCapacityMaxKeyLength = kDeviceMaxDomainLength + 1 + kDeviceMaxIDLength;
constexpr int kDns1123LabelMaxLength = 63;

constexpr std::string_view kImmutable = "field is immutable";
constexpr std::string_view kRequestRefMsg =
    "must be the name of a request in the claim or the name of a request and a subrequest "
    "separated by '/'";

void Append(Errs& out, Errs more) {
  for (auto& e : more) out.push_back(std::move(e));
}

std::string Q(std::string_view s) { return QuoteValue(s); }
std::string I(int64_t v) { return dra::StrCat(v); }
std::string B(bool v) { return v ? "true" : "false"; }
constexpr std::string_view kNull = "null";

FieldError NotFoundValueError(const FieldPath& path, std::string_view value) {
  return FieldError{FieldError::Type::kNotFound, path.str(), QuoteValue(value), ""};
}

// ---------------------------------------------------------------------------------------------
// Rendering of bad values as Go's encoding/json writes the internal API structs.

void AppendGoJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// The Go field name of an internal API struct member, from its JSON name.
std::string GoFieldName(std::string_view json_name) {
  static constexpr std::pair<std::string_view, std::string_view> kExceptions[] = {
      {"int", "IntValue"},
      {"bool", "BoolValue"},
      {"string", "StringValue"},
      {"version", "VersionValue"},
      {"ints", "IntValues"},
      {"bools", "BoolValues"},
      {"strings", "StringValues"},
      {"versions", "VersionValues"},
      {"cel", "CEL"},
      {"apiGroup", "APIGroup"},
      {"uid", "UID"},
      {"shareID", "ShareID"},
      {"apiVersion", "APIVersion"},
  };
  for (const auto& [from, to] : kExceptions) {
    if (json_name == from) return std::string(to);
  }
  std::string out(json_name);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};
template <typename T>
struct IsStringMap : std::false_type {};
template <typename T>
struct IsStringMap<std::map<std::string, T>> : std::true_type {};

template <typename T>
void RenderGo(std::string& out, const T& v);

struct GoStructVisitor {
  std::string* out;
  bool first = true;
  template <typename M>
  void operator()(std::string_view name, const M& member, int /*flags*/ = 0) {
    if (!first) *out += ',';
    first = false;
    AppendGoJsonString(*out, GoFieldName(name));
    *out += ':';
    RenderGo(*out, member);
  }
};

// metav1.ObjectMeta keeps its JSON tags in internal types.
void RenderObjectMetaMembers(std::string& out, const ObjectMeta& meta, bool& first) {
  Value encoded = EncodeValue(meta);
  bool wrote_creation = false;
  auto emit = [&](std::string_view name, const std::string& json) {
    if (!first) out += ',';
    first = false;
    AppendGoJsonString(out, name);
    out += ':';
    out += json;
  };
  static constexpr std::string_view kAfterCreation[] = {"deletionTimestamp",
                                                        "deletionGracePeriodSeconds",
                                                        "labels",
                                                        "annotations",
                                                        "ownerReferences",
                                                        "finalizers",
                                                        "managedFields"};
  for (const auto& [name, value] : encoded.members()) {
    if (!wrote_creation && (name == "creationTimestamp" ||
                            std::find(std::begin(kAfterCreation), std::end(kAfterCreation), name) !=
                                std::end(kAfterCreation))) {
      if (name != "creationTimestamp") emit("creationTimestamp", "null");
      wrote_creation = true;
    }
    emit(name, WriteJson(value));
  }
  if (!wrote_creation) emit("creationTimestamp", "null");
}

template <typename T>
void RenderGo(std::string& out, const T& v) {
  if constexpr (IsOptional<T>::value) {
    if (v.has_value()) {
      RenderGo(out, *v);
    } else {
      out += kNull;
    }
  } else if constexpr (std::is_same_v<T, Value>) {
    out += v.is_null() ? std::string(kNull) : WriteJson(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    AppendGoJsonString(out, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    out += B(v);
  } else if constexpr (std::is_integral_v<T>) {
    out += I(static_cast<int64_t>(v));
  } else if constexpr (std::is_same_v<T, Quantity>) {
    AppendGoJsonString(out, v.ToString());
  } else if constexpr (IsVector<T>::value) {
    if (v.empty()) {
      out += kNull;
      return;
    }
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ',';
      RenderGo(out, static_cast<const typename T::value_type&>(v[i]));
    }
    out += ']';
  } else if constexpr (IsStringMap<T>::value) {
    if (v.empty()) {
      out += kNull;
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& [k, item] : v) {
      if (!first) out += ',';
      first = false;
      AppendGoJsonString(out, k);
      out += ':';
      RenderGo(out, item);
    }
    out += '}';
  } else if constexpr (std::is_same_v<T, ObjectMeta>) {
    out += '{';
    bool first = true;
    RenderObjectMetaMembers(out, v, first);
    out += '}';
  } else if constexpr (std::is_same_v<T, ResourceClaimTemplateSpec>) {
    // The internal type embeds metav1.ObjectMeta, whose fields encoding/json inlines.
    out += '{';
    bool first = true;
    RenderObjectMetaMembers(out, v.metadata, first);
    out += ",\"Spec\":";
    RenderGo(out, v.spec);
    out += '}';
  } else {
    out += '{';
    GoStructVisitor visitor{&out};
    const_cast<T&>(v).VisitFields(visitor);  // VisitFields is non-const; this only reads.
    out += '}';
  }
}

template <typename T>
std::string Go(const T& v) {
  std::string out;
  RenderGo(out, v);
  return out;
}

// Go's %#v of a []string.
std::string GoSyntaxStringList(const std::vector<std::string>& list) {
  std::string out = "[]string{";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += Q(list[i]);
  }
  out += "}";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generic list and map checks (validateSlice, validateSet, validateMap upstream).

// Checks the size limit (which stops further checks), then each item.
template <typename T, typename F>
void CheckSlice(Errs& errs, const std::vector<T>& items, int max, const FieldPath& path, F item) {
  if (max >= 0 && static_cast<int>(items.size()) > max) {
    errs.push_back(TooManyError(path, static_cast<int64_t>(items.size()), max));
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    Append(errs, item(items[i], path.Index(static_cast<int64_t>(i))));
  }
}

// As CheckSlice, then reports repeated keys. `key` returns the key already rendered as a bad
// value (rendering is injective, so equal renderings are equal keys).
template <typename T, typename F, typename K>
void CheckSet(Errs& errs, const std::vector<T>& items, int max, const FieldPath& path, F item,
              K key) {
  if (max >= 0 && static_cast<int>(items.size()) > max) {
    errs.push_back(TooManyError(path, static_cast<int64_t>(items.size()), max));
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    Append(errs, item(items[i], path.Index(static_cast<int64_t>(i))));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string k = key(items[i]);
    if (!seen.insert(k).second) {
      errs.push_back(DuplicateError(path.Index(static_cast<int64_t>(i)), k));
    }
  }
}

std::string TruncateIfTooLong(std::string_view s, int max_len) {
  if (max_len < 16) max_len = 16;
  if (static_cast<int>(s.size()) <= max_len) return std::string(s);
  int remaining = max_len - 3;
  return dra::StrCat(s.substr(0, (remaining + 1) / 2), "...", s.substr(s.size() - remaining / 2));
}

// Key problems are reported at the map's path (v1.36 moved them there), item problems at the
// entry's path.
template <typename T, typename KF, typename IF>
void CheckMap(Errs& errs, const std::map<std::string, T>& m, int max, int truncate_len,
              const FieldPath& path, KF key, IF item) {
  if (max >= 0 && static_cast<int>(m.size()) > max) {
    errs.push_back(TooManyError(path, static_cast<int64_t>(m.size()), max));
    return;
  }
  for (const auto& [k, v] : m) {
    FieldPath key_path = path.Key(TruncateIfTooLong(k, truncate_len));
    Append(errs, key(k, path));
    Append(errs, item(v, key_path));
  }
}

// ---------------------------------------------------------------------------------------------
// Names.

Errs ValidateDNS1123Label(std::string_view value, const FieldPath& path) {
  Errs errs;
  for (auto& msg : IsDNS1123Label(value)) errs.push_back(InvalidStringError(path, value, msg));
  return errs;
}

Errs ValidateDNS1123Subdomain(std::string_view value, const FieldPath& path) {
  Errs errs;
  for (auto& msg : IsDNS1123Subdomain(value)) errs.push_back(InvalidStringError(path, value, msg));
  return errs;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// corevalidation.ValidateCSIDriverName: required, at most 63 bytes, a DNS subdomain ignoring case.
Errs ValidateDriverName(std::string_view name, const FieldPath& path) {
  Errs errs;
  if (name.empty()) {
    errs.push_back(RequiredError(path));
    return errs;
  }
  if (static_cast<int>(name.size()) > kDriverNameMaxLength) {
    errs.push_back(TooLongError(path, kDriverNameMaxLength));
  }
  for (auto& msg : IsDNS1123Subdomain(ToLower(name))) {
    errs.push_back(InvalidStringError(path, name, msg));
  }
  return errs;
}

Errs ValidatePoolName(std::string_view name, const FieldPath& path) {
  Errs errs;
  if (name.empty()) {
    errs.push_back(RequiredError(path));
    return errs;
  }
  if (static_cast<int>(name.size()) > kPoolNameMaxLength) {
    errs.push_back(TooLongError(path, kPoolNameMaxLength));
  }
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    Append(errs, ValidateDNS1123Subdomain(
                     name.substr(start, slash == std::string_view::npos ? std::string_view::npos
                                                                        : slash - start),
                     path));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return errs;
}

Errs ValidateNodeName(std::string_view name, const FieldPath& path) {
  return ValidateDNS1123Subdomain(name, path);
}

Errs ValidateDeviceClassName(std::string_view name, const FieldPath& path) {
  Errs errs;
  if (name.empty()) {
    errs.push_back(RequiredError(path));
    return errs;
  }
  return ValidateDNS1123Subdomain(name, path);
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// github.com/google/uuid.Validate.
std::optional<std::string> UuidValidate(std::string_view s) {
  switch (s.size()) {
    case 36:
      break;
    case 36 + 9: {
      std::string prefix = ToLower(s.substr(0, 9));
      if (prefix != "urn:uuid:") {
        return dra::StrCat("invalid urn prefix: ", Q(s.substr(0, 9)));
      }
      s = s.substr(9);
      break;
    }
    case 36 + 2:
      if (s.front() != '{' || s.back() != '}') return "invalid bracketed UUID format";
      s = s.substr(1, 36);
      break;
    case 32:
      for (char c : s) {
        if (!IsHex(c)) return "invalid UUID format";
      }
      return std::nullopt;
    default:
      return dra::StrCat("invalid UUID length: ", s.size());
  }
  if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return "invalid UUID format";
  for (int x : {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}) {
    if (!IsHex(s[x]) || !IsHex(s[x + 1])) return "invalid UUID format";
  }
  return std::nullopt;
}

Errs ValidateUID(std::string_view uid, const FieldPath& path) {
  Errs errs;
  if (auto err = UuidValidate(uid); err.has_value()) {
    errs.push_back(InvalidStringError(path, uid, dra::StrCat("error validating uid: ", *err)));
  } else if (uid.size() != 36 || uid != ToLower(uid)) {
    errs.push_back(InvalidStringError(
        path, uid,
        "uid must be in RFC 4122 normalized form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with "
        "lowercase hexadecimal characters"));
  }
  return errs;
}

Errs ValidateLabelName(std::string_view name, const FieldPath& path) {
  Errs errs;
  for (auto& msg : IsQualifiedName(name)) errs.push_back(InvalidStringError(path, name, msg));
  return errs;
}

Errs ValidateLabelValue(std::string_view value, const FieldPath& path) {
  Errs errs;
  for (auto& msg : IsValidLabelValue(value)) errs.push_back(InvalidStringError(path, value, msg));
  return errs;
}

Errs ValidateCIdentifier(std::string_view id, const FieldPath& path) {
  Errs errs;
  if (static_cast<int>(id.size()) > kDeviceMaxIDLength) {
    errs.push_back(TooLongError(path, kDeviceMaxIDLength));
  }
  for (auto& msg : IsCIdentifier(id)) errs.push_back(InvalidStringError(path, id, msg));
  return errs;
}

// `<C identifier>` or `<driver-like domain>/<C identifier>`.
Errs ValidateQualifiedName(std::string_view name, const FieldPath& path) {
  Errs errs;
  size_t slashes = std::count(name.begin(), name.end(), '/');
  if (slashes == 0) {
    Append(errs, ValidateCIdentifier(name, path));
  } else if (slashes == 1) {
    size_t i = name.find('/');
    std::string_view domain = name.substr(0, i);
    std::string_view id = name.substr(i + 1);
    if (domain.empty()) {
      errs.push_back(InvalidStringError(path, "", "the domain must not be empty"));
    } else {
      Append(errs, ValidateDriverName(domain, path));
    }
    if (id.empty()) {
      errs.push_back(InvalidStringError(path, "", "the name must not be empty"));
    } else {
      Append(errs, ValidateCIdentifier(id, path));
    }
  } else {
    errs.push_back(InvalidStringError(path, name, "must not contain more than one slash"));
  }
  return errs;
}

Errs ValidateFullyQualifiedName(std::string_view name, const FieldPath& path) {
  Errs errs = ValidateQualifiedName(name, path);
  if (name.find('/') == std::string_view::npos) {
    errs.push_back(InvalidStringError(
        path, name, "a fully qualified name must be a domain and a name separated by a slash"));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Metadata on update (core ValidateObjectMetaUpdate) and the DeviceClass name rule.

// Errors of ValidateObjectMeta whose field is `path.<child>` or below one of the prefixes.
Errs FilterMetaErrors(const Errs& all, const FieldPath& path) {
  const std::string labels = path.Child("labels").str();
  const std::string annotations = path.Child("annotations").str();
  const std::string owners = path.Child("ownerReferences").str();
  const std::string managed = dra::StrCat(path.Child("managedFields").str(), "[");
  const std::string finalizers = dra::StrCat(path.Child("finalizers").str(), "[");
  Errs out;
  for (const auto& e : all) {
    if (e.field == labels || e.field == annotations || e.field.rfind(owners, 0) == 0 ||
        e.field.rfind(managed, 0) == 0 || e.field.rfind(finalizers, 0) == 0) {
      out.push_back(e);
    }
  }
  return out;
}

std::string OptionalString(const std::optional<std::string>& s) {
  return s.has_value() ? Q(*s) : std::string(kNull);
}

Errs ValidateMetaUpdate(const ObjectMeta& updated, const ObjectMeta& old, const FieldPath& path) {
  Errs errs;
  if (old.deletion_timestamp.has_value()) {
    std::set<std::string> old_set(old.finalizers.begin(), old.finalizers.end());
    std::set<std::string> extra;
    for (const auto& f : updated.finalizers) {
      if (!old_set.contains(f)) extra.insert(f);
    }
    if (!extra.empty()) {
      errs.push_back(ForbiddenError(
          path.Child("finalizers"),
          dra::StrCat("no new finalizers can be added if the object is being deleted, found new "
                      "finalizers ",
                      GoSyntaxStringList({extra.begin(), extra.end()}))));
    }
  }
  if (updated.resource_version.empty()) {
    errs.push_back(InvalidStringError(path.Child("resourceVersion"), updated.resource_version,
                                      "must be specified for an update"));
  }
  if (updated.generation < old.generation) {
    errs.push_back(
        InvalidError(path.Child("generation"), I(updated.generation), "must not be decremented"));
  }
  auto immutable = [&](bool changed, std::string_view child, std::string rendered) {
    if (changed)
      errs.push_back(InvalidError(path.Child(child), std::move(rendered), std::string(kImmutable)));
  };
  immutable(updated.name != old.name, "name", Q(updated.name));
  immutable(updated.namespace_ != old.namespace_, "namespace", Q(updated.namespace_));
  immutable(updated.uid != old.uid, "uid", Q(updated.uid));
  immutable(
      updated.creation_timestamp != old.creation_timestamp, "creationTimestamp",
      updated.creation_timestamp.empty() ? std::string(kNull) : Q(updated.creation_timestamp));
  immutable(updated.deletion_timestamp != old.deletion_timestamp, "deletionTimestamp",
            OptionalString(updated.deletion_timestamp));
  immutable(updated.deletion_grace_period_seconds != old.deletion_grace_period_seconds,
            "deletionGracePeriodSeconds",
            updated.deletion_grace_period_seconds.has_value()
                ? I(*updated.deletion_grace_period_seconds)
                : std::string(kNull));
  Append(errs, FilterMetaErrors(ValidateObjectMeta(updated, !updated.namespace_.empty(),
                                                   /*name_is_label=*/false, path),
                                path));
  return errs;
}

// ValidateObjectMetaWithOpts with validate.LongName, as DeviceClass uses it: no generateName
// check, a generateName without a name is an internal error, and the name's length message
// counts bytes.
Errs ValidateDeviceClassMeta(const ObjectMeta& meta, const FieldPath& path) {
  Errs errs;
  if (!meta.generate_name.empty() && meta.name.empty()) {
    errs.push_back(InternalError(path.Child("name"),
                                 dra::StrCat("generateName was specified (", Q(meta.generate_name),
                                             "), but no name was generated")));
  }
  if (!meta.name.empty()) {
    for (auto& msg : IsDNS1123Subdomain(meta.name)) {
      if (msg == "must be no more than 253 characters") msg = "must be no more than 253 bytes";
      errs.push_back(InvalidStringError(path.Child("name"), meta.name, msg));
    }
  }
  // The remaining checks are the common ones: validate a copy whose name raises nothing.
  ObjectMeta rest = meta;
  rest.generate_name.clear();
  if (!rest.name.empty()) rest.name = "a";
  Append(errs, ValidateObjectMeta(rest, /*namespaced=*/false, /*name_is_label=*/false, path));
  return errs;
}

// ValidateTemplateObjectMeta: only labels and annotations may be set.
Errs ValidateTemplateObjectMeta(const ObjectMeta& meta, const FieldPath& path) {
  Errs errs;
  // Annotations and labels checks, in that order, as ValidateObjectMeta reports them.
  ObjectMeta only;
  only.name = "a";
  only.annotations = meta.annotations;
  Errs annotation_errs = ValidateObjectMeta(only, false, false, path);
  Append(errs, annotation_errs);
  Append(errs, ValidateLabels(meta.labels, path.Child("labels")));
  auto forbid = [&](bool set, std::string_view field) {
    if (set) errs.push_back(ForbiddenError(path.Child(field), "cannot be set"));
  };
  forbid(!meta.name.empty(), "name");
  forbid(!meta.generate_name.empty(), "generateName");
  forbid(!meta.namespace_.empty(), "namespace");
  forbid(!meta.self_link.empty(), "selfLink");
  forbid(!meta.uid.empty(), "uID");
  forbid(!meta.resource_version.empty(), "resourceVersion");
  forbid(meta.generation != 0, "generation");
  forbid(!meta.creation_timestamp.empty(), "creationTimestamp");
  forbid(meta.deletion_timestamp.has_value(), "deletionTimestamp");
  forbid(meta.deletion_grace_period_seconds.has_value(), "deletionGracePeriodSeconds");
  forbid(!meta.owner_references.empty(), "ownerReferences");
  forbid(!meta.finalizers.empty(), "finalizers");
  forbid(!meta.managed_fields.empty(), "managedFields");
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Core helpers: node selectors and metav1.Condition.

Errs ValidateNodeSelectorRequirement(const NodeSelectorRequirement& rq, const FieldPath& path) {
  Errs errs;
  const std::string& op = rq.operator_;
  if (op == "In" || op == "NotIn") {
    if (rq.values.empty()) {
      errs.push_back(RequiredError(path.Child("values"),
                                   "must be specified when `operator` is 'In' or 'NotIn'"));
    }
  } else if (op == "Exists" || op == "DoesNotExist") {
    if (!rq.values.empty()) {
      errs.push_back(ForbiddenError(path.Child("values"),
                                    "may not be specified when `operator` is 'Exists' or "
                                    "'DoesNotExist'"));
    }
  } else if (op == "Gt" || op == "Lt") {
    if (rq.values.size() != 1) {
      errs.push_back(RequiredError(path.Child("values"),
                                   "must be specified single value when `operator` is 'Lt' or "
                                   "'Gt'"));
    }
  } else {
    errs.push_back(InvalidStringError(path.Child("operator"), op, "not a valid selector operator"));
  }
  Append(errs, ValidateLabelName(rq.key, path.Child("key")));
  for (size_t i = 0; i < rq.values.size(); ++i) {
    Append(errs,
           ValidateLabelValue(rq.values[i], path.Child("values").Index(static_cast<int64_t>(i))));
  }
  return errs;
}

Errs ValidateNodeFieldSelectorRequirement(const NodeSelectorRequirement& rq,
                                          const FieldPath& path) {
  Errs errs;
  if (rq.operator_ == "In" || rq.operator_ == "NotIn") {
    if (rq.values.size() != 1) {
      errs.push_back(RequiredError(path.Child("values"),
                                   "must be only one value when `operator` is 'In' or 'NotIn' for "
                                   "node field selector"));
    }
  } else {
    errs.push_back(
        InvalidStringError(path.Child("operator"), rq.operator_, "not a valid selector operator"));
  }
  if (rq.key != "metadata.name") {
    errs.push_back(InvalidStringError(path.Child("key"), rq.key, "not a valid field selector key"));
  } else {
    for (size_t i = 0; i < rq.values.size(); ++i) {
      Append(errs,
             ValidateNodeName(rq.values[i], path.Child("values").Index(static_cast<int64_t>(i))));
    }
  }
  return errs;
}

Errs ValidateNodeSelector(const NodeSelector& selector, const FieldPath& path) {
  Errs errs;
  FieldPath terms = path.Child("nodeSelectorTerms");
  if (selector.node_selector_terms.empty()) {
    errs.push_back(RequiredError(terms, "must have at least one node selector term"));
    return errs;
  }
  for (size_t i = 0; i < selector.node_selector_terms.size(); ++i) {
    const auto& term = selector.node_selector_terms[i];
    FieldPath p = terms.Index(static_cast<int64_t>(i));
    for (size_t j = 0; j < term.match_expressions.size(); ++j) {
      Append(errs, ValidateNodeSelectorRequirement(
                       term.match_expressions[j],
                       p.Child("matchExpressions").Index(static_cast<int64_t>(j))));
    }
    for (size_t j = 0; j < term.match_fields.size(); ++j) {
      Append(errs,
             ValidateNodeFieldSelectorRequirement(
                 term.match_fields[j], p.Child("matchFields").Index(static_cast<int64_t>(j))));
    }
  }
  return errs;
}

// [A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?
bool IsValidConditionReason(std::string_view s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto alnum_ = [&](char c) { return alpha(c) || (c >= '0' && c <= '9') || c == '_'; };
  if (s.empty() || !alpha(s.front()) || !alnum_(s.back())) return false;
  for (char c : s) {
    if (!alnum_(c) && c != ',' && c != ':') return false;
  }
  return true;
}

Errs ValidateConditions(const std::vector<Condition>& conditions, const FieldPath& path) {
  Errs errs;
  std::set<std::string> types;
  for (size_t i = 0; i < conditions.size(); ++i) {
    const Condition& c = conditions[i];
    FieldPath p = path.Index(static_cast<int64_t>(i));
    if (!types.insert(c.type).second) errs.push_back(DuplicateError(p.Child("type"), Q(c.type)));
    Append(errs, ValidateLabelName(c.type, p.Child("type")));
    if (c.status != kConditionTrue && c.status != kConditionFalse &&
        c.status != kConditionUnknown) {
      errs.push_back(NotSupportedError(p.Child("status"), c.status, {"False", "True", "Unknown"}));
    }
    if (c.observed_generation < 0) {
      errs.push_back(InvalidError(p.Child("observedGeneration"), I(c.observed_generation),
                                  "must be greater than or equal to zero"));
    }
    if (c.last_transition_time.empty())
      errs.push_back(RequiredError(p.Child("lastTransitionTime")));
    if (c.reason.empty()) {
      errs.push_back(RequiredError(p.Child("reason")));
    } else {
      if (!IsValidConditionReason(c.reason)) {
        errs.push_back(InvalidStringError(
            p.Child("reason"), c.reason,
            "a condition reason must start with alphabetic character, optionally followed by a "
            "string of alphanumeric characters or '_,:', and must end with an alphanumeric "
            "character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or "
            "'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is "
            "'[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')"));
      }
      if (c.reason.size() > 1024) errs.push_back(TooLongError(p.Child("reason"), 1024));
    }
    if (c.message.size() > 32 * 1024) errs.push_back(TooLongError(p.Child("message"), 32 * 1024));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Network addresses (validation.IsValidInterfaceAddress).

// IPv4 as netutils parses it sloppily: four decimal octets, leading zeros allowed.
std::optional<std::array<uint8_t, 4>> ParseIPv4Sloppy(std::string_view s) {
  std::array<uint8_t, 4> out{};
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
    int v = 0;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      if (++digits > 3 || v > 255) return std::nullopt;
      ++i;
    }
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

// Go's net.IP.String() for a 16-byte IPv6 address (RFC 5952 style).
std::string FormatIPv6(const uint8_t* b) {
  uint16_t words[8];
  for (int i = 0; i < 8; ++i) words[i] = static_cast<uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);
  int best_start = -1;
  int best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof(buf), "%x", words[i]);
    out += buf;
  }
  return out;
}

Errs IsValidInterfaceAddress(const FieldPath& path, std::string_view value) {
  Errs errs;
  auto invalid = [&]() {
    errs.push_back(InvalidStringError(
        path, value, "must be a valid address in CIDR form, (e.g. 10.9.8.7/24 or 2001:db8::1/64)"));
    return errs;
  };
  size_t slash = value.find('/');
  if (slash == std::string_view::npos) return invalid();
  std::string_view addr = value.substr(0, slash);
  std::string_view bits = value.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return invalid();
  int prefix = 0;
  for (char c : bits) {
    if (c < '0' || c > '9') return invalid();
    prefix = prefix * 10 + (c - '0');
  }
  std::string canonical;
  if (addr.find(':') == std::string_view::npos) {
    auto v4 = ParseIPv4Sloppy(addr);
    if (!v4.has_value() || prefix > 32) return invalid();
    canonical = dra::StrCat((*v4)[0], ".", (*v4)[1], ".", (*v4)[2], ".", (*v4)[3], "/", prefix);
  } else {
    uint8_t b[16];
    std::string a(addr);
    if (inet_pton(AF_INET6, a.c_str(), b) != 1 || prefix > 128) return invalid();
    bool mapped = true;
    for (int i = 0; i < 10; ++i) mapped &= b[i] == 0;
    mapped &= b[10] == 0xFF && b[11] == 0xFF;
    if (mapped) {
      int p = prefix > 32 ? prefix - 96 : prefix;
      canonical = dra::StrCat(b[12], ".", b[13], ".", b[14], ".", b[15], "/", p);
    } else {
      canonical = dra::StrCat(FormatIPv6(b), "/", prefix);
    }
  }
  if (value != canonical) {
    errs.push_back(InvalidStringError(
        path, value, dra::StrCat("must be in canonical form (", Q(canonical), ")")));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces of claims, classes and slices.

// Request names of a claim: request -> subrequest names (empty for `exactly` requests).
using RequestNames = std::map<std::string, std::set<std::string>>;

RequestNames GatherRequestNames(const DeviceClaim& claim) {
  RequestNames names;
  for (const auto& r : claim.requests) {
    auto& subs = names[r.name];
    for (const auto& s : r.first_available) subs.insert(s.name);
  }
  return names;
}

bool HasRequest(const RequestNames& names, std::string_view ref) {
  size_t slash = ref.find('/');
  if (slash == std::string_view::npos) return names.contains(std::string(ref));
  std::string_view sub = ref.substr(slash + 1);
  if (sub.find('/') != std::string_view::npos) return false;
  auto it = names.find(std::string(ref.substr(0, slash)));
  return it != names.end() && it->second.contains(std::string(sub));
}

Errs ValidateRequestNameRef(std::string_view name, const FieldPath& path,
                            const RequestNames& names) {
  Errs errs;
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    segments.push_back(name.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (segments.size() > 2) {
    errs.push_back(InvalidStringError(path, name, std::string(kRequestRefMsg)));
    return errs;
  }
  for (auto seg : segments) Append(errs, ValidateDNS1123Label(seg, path));
  if (!HasRequest(names, name)) {
    errs.push_back(InvalidStringError(path, name, std::string(kRequestRefMsg)));
  }
  return errs;
}

Errs ValidateRequestNameRefs(const std::vector<std::string>& refs, const FieldPath& path,
                             const RequestNames& names) {
  Errs errs;
  CheckSet(
      errs, refs, kDeviceRequestsMaxSize, path,
      [&](const std::string& r, const FieldPath& p) { return ValidateRequestNameRef(r, p, names); },
      [](const std::string& r) { return Q(r); });
  return errs;
}

Errs ValidateSelector(const DeviceSelector& selector, const FieldPath& path,
                      const ValidationOptions& options) {
  Errs errs;
  if (!selector.cel.has_value()) {
    errs.push_back(RequiredError(path.Child("cel")));
    return errs;
  }
  FieldPath expr_path = path.Child("cel").Child("expression");
  const std::string& expression = selector.cel->expression;
  if (static_cast<int>(expression.size()) > kCELSelectorExpressionMaxLength) {
    errs.push_back(TooLongError(expr_path, kCELSelectorExpressionMaxLength));
    return errs;
  }
  if (options.check_cel_selector) Append(errs, options.check_cel_selector(expression, expr_path));
  return errs;
}

Errs ValidateSelectors(const std::vector<DeviceSelector>& selectors, const FieldPath& path,
                       const ValidationOptions& options) {
  Errs errs;
  CheckSlice(
      errs, selectors, kDeviceSelectorsMaxSize, path,
      [&](const DeviceSelector& s, const FieldPath& p) { return ValidateSelector(s, p, options); });
  return errs;
}

// RawExtension rules: present, a JSON object, at most `max_length` bytes.
Errs ValidateRawObject(const Value& value, const FieldPath& path, int max_length) {
  Errs errs;
  if (value.is_null()) {
    errs.push_back(RequiredError(path));
    return errs;
  }
  if (static_cast<int>(WriteJson(value).size()) > max_length) {
    errs.push_back(TooLongError(path, max_length));
  } else if (!value.is_object()) {
    errs.push_back(InvalidStringError(path, "<value omitted>", "must be a valid JSON object"));
  }
  return errs;
}

Errs ValidateOpaque(const std::optional<OpaqueDeviceConfiguration>& opaque, const FieldPath& path) {
  Errs errs;
  if (!opaque.has_value()) {
    errs.push_back(RequiredError(path.Child("opaque")));
    return errs;
  }
  FieldPath p = path.Child("opaque");
  Append(errs, ValidateDriverName(opaque->driver, p.Child("driver")));
  Append(errs,
         ValidateRawObject(opaque->parameters, p.Child("parameters"), kOpaqueParametersMaxLength));
  return errs;
}

const std::vector<std::string> kTaintEffects = {"NoExecute", "NoSchedule", "None"};

bool IsTaintEffect(std::string_view e) {
  return e == kDeviceTaintEffectNoExecute || e == kDeviceTaintEffectNoSchedule ||
         e == kDeviceTaintEffectNone;
}

Errs ValidateDeviceTaint(const DeviceTaint& taint, const DeviceTaint* old, const FieldPath& path) {
  Errs errs = ValidateLabelName(taint.key, path.Child("key"));
  if (!taint.value.empty()) Append(errs, ValidateLabelValue(taint.value, path.Child("value")));
  if (old == nullptr || old->effect != taint.effect) {
    if (taint.effect.empty()) {
      errs.push_back(RequiredError(path.Child("effect")));
    } else if (!IsTaintEffect(taint.effect)) {
      errs.push_back(NotSupportedError(path.Child("effect"), taint.effect, kTaintEffects));
    }
  }
  return errs;
}

Errs ValidateDeviceToleration(const DeviceToleration& t, const FieldPath& path) {
  Errs errs;
  if (!t.key.empty()) Append(errs, ValidateLabelName(t.key, path.Child("key")));
  if (t.operator_ == kDeviceTolerationOpExists) {
    if (!t.value.empty()) {
      errs.push_back(
          InvalidStringError(path.Child("value"), t.value, "must be empty for operator `Exists`"));
    }
  } else if (t.operator_ == kDeviceTolerationOpEqual) {
    Append(errs, ValidateLabelValue(t.value, path.Child("value")));
  } else if (t.operator_.empty()) {
    errs.push_back(RequiredError(path.Child("operator")));
  } else {
    errs.push_back(NotSupportedError(path.Child("operator"), t.operator_, {"Equal", "Exists"}));
  }
  if (!t.effect.empty() && !IsTaintEffect(t.effect)) {
    errs.push_back(NotSupportedError(path.Child("effect"), t.effect, kTaintEffects));
  }
  return errs;
}

Errs ValidateTolerations(const std::vector<DeviceToleration>& tolerations, const FieldPath& path) {
  Errs errs;
  for (size_t i = 0; i < tolerations.size(); ++i) {
    Append(errs, ValidateDeviceToleration(tolerations[i], path.Index(static_cast<int64_t>(i))));
  }
  return errs;
}

Errs ValidateBindingParameters(const std::vector<std::string>& conditions,
                               const std::vector<std::string>& failure_conditions,
                               const FieldPath& path) {
  Errs errs;
  FieldPath cp = path.Child("bindingConditions");
  FieldPath fp = path.Child("bindingFailureConditions");
  auto label = [](const std::string& c, const FieldPath& p) { return ValidateLabelName(c, p); };
  CheckSlice(errs, conditions, kBindingConditionsMaxSize, cp, label);
  CheckSlice(errs, failure_conditions, kBindingFailureConditionsMaxSize, fp, label);
  std::set<std::string> seen;
  for (size_t i = 0; i < conditions.size(); ++i) {
    if (!seen.insert(conditions[i]).second) {
      errs.push_back(DuplicateError(cp.Index(static_cast<int64_t>(i)), Q(conditions[i])));
    }
  }
  std::set<std::string> all(conditions.begin(), conditions.end());
  std::set<std::string> seen_failure;
  for (size_t i = 0; i < failure_conditions.size(); ++i) {
    const std::string& c = failure_conditions[i];
    FieldPath ip = fp.Index(static_cast<int64_t>(i));
    if (!seen_failure.insert(c).second) errs.push_back(DuplicateError(ip, Q(c)));
    if (all.contains(c)) {
      errs.push_back(InvalidStringError(ip, c,
                                        "bindingFailureConditions must not overlap with "
                                        "bindingConditions"));
    }
  }
  if (conditions.empty() && !failure_conditions.empty()) {
    errs.push_back(InvalidError(cp, Go(conditions),
                                "bindingConditions are required to use bindingFailureConditions"));
  }
  if (failure_conditions.empty() && !conditions.empty()) {
    errs.push_back(InvalidError(fp, Go(failure_conditions),
                                "bindingFailureConditions are required to use bindingConditions"));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// ResourceClaim spec.

Errs ValidateAllocationMode(const std::string& mode, int64_t count, const FieldPath& mode_path,
                            const FieldPath& count_path) {
  Errs errs;
  if (mode == kDeviceAllocationModeAll) {
    if (count != 0) {
      errs.push_back(
          InvalidError(count_path, I(count), "must not be specified when allocationMode is 'All'"));
    }
  } else if (mode == kDeviceAllocationModeExactCount) {
    if (count <= 0) errs.push_back(InvalidError(count_path, I(count), "must be greater than zero"));
  } else {
    errs.push_back(NotSupportedError(mode_path, mode, {"All", "ExactCount"}));
  }
  return errs;
}

Errs ValidateExactDeviceRequest(const ExactDeviceRequest& r, const FieldPath& path,
                                const ValidationOptions& options) {
  Errs errs = ValidateDeviceClassName(r.device_class_name, path.Child("deviceClassName"));
  Append(errs, ValidateSelectors(r.selectors, path.Child("selectors"), options));
  Append(errs, ValidateAllocationMode(r.allocation_mode, r.count, path.Child("allocationMode"),
                                      path.Child("count")));
  Append(errs, ValidateTolerations(r.tolerations, path.Child("tolerations")));
  return errs;
}

Errs ValidateDeviceSubRequest(const DeviceSubRequest& r, const FieldPath& path,
                              const ValidationOptions& options) {
  Errs errs = ValidateDNS1123Label(r.name, path.Child("name"));
  Append(errs, ValidateDeviceClassName(r.device_class_name, path.Child("deviceClassName")));
  Append(errs, ValidateSelectors(r.selectors, path.Child("selectors"), options));
  Append(errs, ValidateAllocationMode(r.allocation_mode, r.count, path.Child("allocationMode"),
                                      path.Child("count")));
  Append(errs, ValidateTolerations(r.tolerations, path.Child("tolerations")));
  return errs;
}

Errs ValidateDeviceRequest(const DeviceRequest& r, const FieldPath& path,
                           const ValidationOptions& options) {
  Errs errs = ValidateDNS1123Label(r.name, path.Child("name"));
  bool has_first = !r.first_available.empty();
  bool has_exactly = r.exactly.has_value();
  if (!has_first && !has_exactly) {
    errs.push_back(RequiredError(path, "exactly one of `exactly` or `firstAvailable` is required"));
  } else if (has_first && has_exactly) {
    errs.push_back(InvalidError(
        path, std::string(kNull),
        "exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set"));
  } else if (has_first) {
    CheckSet(
        errs, r.first_available, kFirstAvailableDeviceRequestMaxSize, path.Child("firstAvailable"),
        [&](const DeviceSubRequest& s, const FieldPath& p) {
          return ValidateDeviceSubRequest(s, p, options);
        },
        [](const DeviceSubRequest& s) { return Q(s.name); });
  } else {
    Append(errs, ValidateExactDeviceRequest(*r.exactly, path.Child("exactly"), options));
  }
  return errs;
}

Errs ValidateDeviceConstraint(const DeviceConstraint& c, const FieldPath& path,
                              const RequestNames& names) {
  Errs errs = ValidateRequestNameRefs(c.requests, path.Child("requests"), names);
  if (c.match_attribute.has_value()) {
    Append(errs, ValidateFullyQualifiedName(*c.match_attribute, path.Child("matchAttribute")));
  } else if (c.distinct_attribute.has_value()) {
    Append(errs,
           ValidateFullyQualifiedName(*c.distinct_attribute, path.Child("distinctAttribute")));
  } else {
    errs.push_back(RequiredError(path,
                                 "exactly one of \"matchAttribute\" or \"distinctAttribute\" is "
                                 "required, but multiple fields are set"));
  }
  return errs;
}

Errs ValidateDeviceClaim(const DeviceClaim& claim, const FieldPath& path,
                         const ValidationOptions& options) {
  Errs errs;
  RequestNames names = GatherRequestNames(claim);
  CheckSet(
      errs, claim.requests, kDeviceRequestsMaxSize, path.Child("requests"),
      [&](const DeviceRequest& r, const FieldPath& p) {
        return ValidateDeviceRequest(r, p, options);
      },
      [](const DeviceRequest& r) { return Q(r.name); });
  CheckSlice(errs, claim.constraints, kDeviceConstraintsMaxSize, path.Child("constraints"),
             [&](const DeviceConstraint& c, const FieldPath& p) {
               return ValidateDeviceConstraint(c, p, names);
             });
  CheckSlice(errs, claim.config, kDeviceConfigMaxSize, path.Child("config"),
             [&](const DeviceClaimConfiguration& c, const FieldPath& p) {
               Errs e = ValidateRequestNameRefs(c.requests, p.Child("requests"), names);
               Append(e, ValidateOpaque(c.opaque, p));
               return e;
             });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// ResourceClaim status.

// The identity of an allocated device: driver, pool, device and share ID.
struct SharedDeviceID {
  std::string driver;
  std::string pool;
  std::string device;
  std::string share_id;

  // As encoding/json writes structured.SharedDeviceID.
  std::string Render() const {
    std::string out = "{\"Driver\":";
    AppendGoJsonString(out, driver);
    out += ",\"Pool\":";
    AppendGoJsonString(out, pool);
    out += ",\"Device\":";
    AppendGoJsonString(out, device);
    out += ",\"ShareID\":";
    AppendGoJsonString(out, share_id);
    out += "}";
    return out;
  }
};

Errs ValidateDeviceStatus(const AllocatedDeviceStatus& d, const FieldPath& path,
                          const std::set<std::string>& allocated) {
  Errs errs = ValidateDriverName(d.driver, path.Child("driver"));
  Append(errs, ValidatePoolName(d.pool, path.Child("pool")));
  Append(errs, ValidateDNS1123Label(d.device, path.Child("device")));
  if (d.share_id.has_value()) Append(errs, ValidateUID(*d.share_id, path.Child("shareID")));
  std::string id = SharedDeviceID{d.driver, d.pool, d.device, d.share_id.value_or("")}.Render();
  if (!allocated.contains(id)) {
    errs.push_back(InvalidError(path, id, "must be an allocated device in the claim"));
  }
  if (static_cast<int>(d.conditions.size()) > kAllocatedDeviceStatusMaxConditions) {
    errs.push_back(TooManyError(path.Child("conditions"), static_cast<int64_t>(d.conditions.size()),
                                kAllocatedDeviceStatusMaxConditions));
  }
  Append(errs, ValidateConditions(d.conditions, path.Child("conditions")));
  if (d.data.has_value() && !d.data->is_null()) {
    Append(errs,
           ValidateRawObject(*d.data, path.Child("data"), kAllocatedDeviceStatusDataMaxLength));
  }
  if (d.network_data.has_value()) {
    const NetworkDeviceData& n = *d.network_data;
    FieldPath np = path.Child("networkData");
    if (static_cast<int>(n.interface_name.size()) > kNetworkDeviceDataInterfaceNameMaxLength) {
      errs.push_back(
          TooLongError(np.Child("interfaceName"), kNetworkDeviceDataInterfaceNameMaxLength));
    }
    if (static_cast<int>(n.hardware_address.size()) > kNetworkDeviceDataHardwareAddressMaxLength) {
      errs.push_back(
          TooLongError(np.Child("hardwareAddress"), kNetworkDeviceDataHardwareAddressMaxLength));
    }
    CheckSet(
        errs, n.ips, kNetworkDeviceDataMaxIPs, np.Child("ips"),
        [](const std::string& ip, const FieldPath& p) { return IsValidInterfaceAddress(p, ip); },
        [](const std::string& ip) { return Q(ip); });
  }
  return errs;
}

Errs ValidateDeviceRequestAllocationResult(const DeviceRequestAllocationResult& r,
                                           const FieldPath& path, const RequestNames& names) {
  Errs errs = ValidateRequestNameRef(r.request, path.Child("request"), names);
  Append(errs, ValidateDriverName(r.driver, path.Child("driver")));
  Append(errs, ValidatePoolName(r.pool, path.Child("pool")));
  Append(errs, ValidateDNS1123Label(r.device, path.Child("device")));
  Append(errs, ValidateBindingParameters(r.binding_conditions, r.binding_failure_conditions, path));
  if (r.share_id.has_value()) Append(errs, ValidateUID(*r.share_id, path.Child("shareID")));
  return errs;
}

Errs ValidateAllocationResult(const AllocationResult& a, const FieldPath& path,
                              const RequestNames& names) {
  Errs errs;
  FieldPath dp = path.Child("devices");
  CheckSlice(errs, a.devices.results, kAllocationResultsMaxSize, dp.Child("results"),
             [&](const DeviceRequestAllocationResult& r, const FieldPath& p) {
               return ValidateDeviceRequestAllocationResult(r, p, names);
             });
  CheckSlice(
      errs, a.devices.config, 2 * kDeviceConfigMaxSize, dp.Child("config"),
      [&](const DeviceAllocationConfiguration& c, const FieldPath& p) {
        Errs e;
        if (c.source.empty()) {
          e.push_back(RequiredError(p.Child("source")));
        } else if (c.source != kAllocationConfigSourceClaim &&
                   c.source != kAllocationConfigSourceClass) {
          e.push_back(NotSupportedError(p.Child("source"), c.source, {"FromClaim", "FromClass"}));
        }
        Append(e, ValidateRequestNameRefs(c.requests, p.Child("requests"), names));
        Append(e, ValidateOpaque(c.opaque, p));
        return e;
      });
  if (a.node_selector.has_value()) {
    Append(errs, ValidateNodeSelector(*a.node_selector, path.Child("nodeSelector")));
  }
  return errs;
}

Errs ValidateClaimStatus(const ResourceClaimStatus& status, const ResourceClaimStatus& old,
                         bool claim_deleted, const RequestNames& names, const FieldPath& path) {
  Errs errs;
  FieldPath rp = path.Child("reservedFor");
  CheckSet(
      errs, status.reserved_for, kResourceClaimReservedForMaxSize, rp,
      [](const ResourceClaimConsumerReference& ref, const FieldPath& p) {
        Errs e;
        if (ref.resource.empty()) e.push_back(RequiredError(p.Child("resource")));
        if (ref.name.empty()) e.push_back(RequiredError(p.Child("name")));
        if (ref.uid.empty()) e.push_back(RequiredError(p.Child("uid")));
        return e;
      },
      [](const ResourceClaimConsumerReference& ref) { return Q(ref.uid); });

  std::set<std::string> allocated;
  if (status.allocation.has_value()) {
    for (const auto& r : status.allocation->devices.results) {
      allocated.insert(
          SharedDeviceID{r.driver, r.pool, r.device, r.share_id.value_or("")}.Render());
    }
  }
  CheckSet(
      errs, status.devices, -1, path.Child("devices"),
      [&](const AllocatedDeviceStatus& d, const FieldPath& p) {
        return ValidateDeviceStatus(d, p, allocated);
      },
      [](const AllocatedDeviceStatus& d) {
        return SharedDeviceID{d.driver, d.pool, d.device, d.share_id.value_or("")}.Render();
      });

  if (!status.reserved_for.empty()) {
    if (!status.allocation.has_value()) {
      errs.push_back(ForbiddenError(rp, "may not be specified when `allocated` is not set"));
    } else if (claim_deleted) {
      for (const auto& ref : status.reserved_for) {
        if (std::find(old.reserved_for.begin(), old.reserved_for.end(), ref) ==
            old.reserved_for.end()) {
          errs.push_back(ForbiddenError(rp,
                                        "new entries may not be added while "
                                        "`deallocationRequested` or `deletionTimestamp` are set"));
          break;
        }
      }
    }
  }

  if (old.allocation.has_value() && status.allocation.has_value()) {
    if (!(*old.allocation == *status.allocation)) {
      errs.push_back(
          InvalidError(path.Child("allocation"), Go(*status.allocation), std::string(kImmutable)));
    }
  } else if (status.allocation.has_value()) {
    Append(errs, ValidateAllocationResult(*status.allocation, path.Child("allocation"), names));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// ResourceSlice.

// A version in semver.org 2.0.0 syntax.
bool IsSemVer(std::string_view s) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto ident_char = [&](char c) {
    return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  };
  // (0|[1-9]\d*)
  auto numeric = [&](std::string_view p) {
    if (p.empty()) return false;
    for (char c : p) {
      if (!digit(c)) return false;
    }
    return p.size() == 1 || p[0] != '0';
  };
  auto split = [](std::string_view p, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
      size_t i = p.find(sep, start);
      out.push_back(
          p.substr(start, i == std::string_view::npos ? std::string_view::npos : i - start));
      if (i == std::string_view::npos) return out;
      start = i + 1;
    }
  };
  std::string_view core = s;
  std::optional<std::string_view> pre;
  std::optional<std::string_view> build;
  if (size_t plus = core.find('+'); plus != std::string_view::npos) {
    build = core.substr(plus + 1);
    core = core.substr(0, plus);
  }
  if (size_t dash = core.find('-'); dash != std::string_view::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
  }
  auto nums = split(core, '.');
  if (nums.size() != 3) return false;
  for (auto n : nums) {
    if (!numeric(n)) return false;
  }
  if (pre.has_value()) {
    for (auto id : split(*pre, '.')) {
      if (id.empty()) return false;
      bool all_digits = true;
      for (char c : id) {
        if (!ident_char(c)) return false;
        all_digits &= digit(c);
      }
      // (0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)
      if (all_digits && !numeric(id)) return false;
    }
  }
  if (build.has_value()) {
    for (auto id : split(*build, '.')) {
      if (id.empty()) return false;
      for (char c : id) {
        if (!ident_char(c)) return false;
      }
    }
  }
  return true;
}

Errs ValidateAttributeString(const std::string& v, const FieldPath& path) {
  Errs errs;
  if (static_cast<int>(v.size()) > kDeviceAttributeMaxValueLength) {
    errs.push_back(TooLongError(path, kDeviceAttributeMaxValueLength));
  }
  return errs;
}

Errs ValidateAttributeVersion(const std::string& v, const FieldPath& path) {
  Errs errs;
  if (!IsSemVer(v)) {
    errs.push_back(
        InvalidStringError(path, v, "must be a string compatible with semver.org spec 2.0.0"));
  }
  Append(errs, ValidateAttributeString(v, path));
  return errs;
}

Errs ValidateDeviceAttribute(const DeviceAttribute& a, const FieldPath& path) {
  Errs errs;
  int fields = 0;
  if (a.bool_.has_value()) ++fields;
  if (a.int_.has_value()) ++fields;
  if (a.string_.has_value()) {
    ++fields;
    Append(errs, ValidateAttributeString(*a.string_, path.Child("string")));
  }
  if (a.version.has_value()) {
    ++fields;
    Append(errs, ValidateAttributeVersion(*a.version, path.Child("version")));
  }
  if (!a.bools.empty()) ++fields;
  if (!a.ints.empty()) ++fields;
  if (!a.strings.empty()) {
    ++fields;
    for (size_t i = 0; i < a.strings.size(); ++i) {
      Append(errs, ValidateAttributeString(a.strings[i],
                                           path.Child("strings").Index(static_cast<int64_t>(i))));
    }
  }
  if (!a.versions.empty()) {
    ++fields;
    for (size_t i = 0; i < a.versions.size(); ++i) {
      Append(errs, ValidateAttributeVersion(a.versions[i],
                                            path.Child("versions").Index(static_cast<int64_t>(i))));
    }
  }
  if (fields == 0) {
    errs.push_back(InvalidStringError(path, "", "exactly one value must be specified"));
  } else if (fields > 1) {
    errs.push_back(InvalidError(path, Go(a), "exactly one value must be specified"));
  }
  return errs;
}

bool HasListValues(const DeviceAttribute& a) {
  return !a.bools.empty() || !a.ints.empty() || !a.strings.empty() || !a.versions.empty();
}

int NumAttributeValues(const Device& d) {
  int n = 0;
  for (const auto& [name, a] : d.attributes) {
    if (!HasListValues(a)) {
      ++n;
    } else {
      n += static_cast<int>(a.bools.size() + a.ints.size() + a.strings.size() + a.versions.size());
    }
  }
  return n;
}

const Quantity& MaxInt64Quantity() {
  static const Quantity q = Quantity::FromInt64(std::numeric_limits<int64_t>::max());
  return q;
}

// Quantity.Value() as upstream reads it, saturating outside int64.
int64_t SaturatedValue(const Quantity& q) {
  if (q.Compare(MaxInt64Quantity()) > 0) return std::numeric_limits<int64_t>::max();
  static const Quantity min = Quantity::FromInt64(std::numeric_limits<int64_t>::min());
  if (q.Compare(min) < 0) return std::numeric_limits<int64_t>::min();
  return q.Value();
}

Errs ValidateValidValues(const Quantity& default_value, const Quantity& capacity,
                         const std::vector<Quantity>& values, const FieldPath& path) {
  Errs errs;
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i].Compare(values[i + 1]) > 0) {
      errs.push_back(InvalidStringError(path.Index(static_cast<int64_t>(i + 1)),
                                        values[i + 1].ToString(),
                                        "values must be sorted in ascending order"));
    }
  }
  bool found_default = false;
  CheckSet(
      errs, values, kCapacityRequestPolicyDiscreteMaxOptions, path,
      [&](const Quantity& option, const FieldPath& p) {
        Errs e;
        if (option.Compare(capacity) > 0) {
          e.push_back(InvalidStringError(
              p, option.ToString(),
              dra::StrCat("option is larger than capacity value: ", capacity.ToString())));
        }
        if (option.Compare(default_value) == 0) found_default = true;
        return e;
      },
      [](const Quantity& q) { return Q(dra::StrCat(SaturatedValue(q))); });
  if (!found_default) {
    errs.push_back(InvalidStringError(path, default_value.ToString(),
                                      "default value is not valid according to the requestPolicy"));
  }
  return errs;
}

// Bounds that the integer step arithmetic can use: within [0, MaxInt64].
Errs ValidateInt64Range(const Quantity& q, const FieldPath& path) {
  Errs errs;
  if (q.Sign() < 0) {
    errs.push_back(InvalidStringError(path, q.ToString(), "must be greater than or equal to 0"));
  } else if (q.Compare(MaxInt64Quantity()) > 0) {
    errs.push_back(
        InvalidStringError(path, q.ToString(), "must not be larger than 9223372036854775807"));
  }
  return errs;
}

Errs ValidateRangeStep(const Quantity& value, const Quantity& min, const Quantity& step,
                       const FieldPath& path) {
  Errs errs;
  int64_t s = step.Value();
  int64_t m = min.Value();
  int64_t v = value.Value();
  if (s != 0 && (v - m) % s != 0) {
    errs.push_back(
        InvalidStringError(path, value.ToString(),
                           dra::StrCat("value is not a multiple of a given step (", step.ToString(),
                                       ") from (", min.ToString(), ")")));
  }
  return errs;
}

Errs ValidateValidRange(const Quantity& default_value, const Quantity& capacity,
                        const CapacityRequestPolicyRange& range, const FieldPath& path) {
  Errs errs;
  if (!range.min.has_value()) {
    errs.push_back(RequiredError(path.Child("min"), "required when validRange is defined"));
    return errs;
  }
  const Quantity& min = *range.min;
  if (min.Compare(capacity) > 0) {
    errs.push_back(InvalidStringError(
        path.Child("min"), min.ToString(),
        dra::StrCat("min is larger than capacity value: ", capacity.ToString())));
  }
  if (default_value.Compare(min) < 0) {
    errs.push_back(InvalidStringError(path.Child("default"), default_value.ToString(),
                                      dra::StrCat("default is less than min: ", min.ToString())));
  }
  if (range.max.has_value()) {
    const Quantity& max = *range.max;
    if (min.Compare(max) > 0) {
      errs.push_back(InvalidStringError(path.Child("max"), min.ToString(),
                                        dra::StrCat("min is larger than max: ", max.ToString())));
    }
    if (max.Compare(capacity) > 0) {
      errs.push_back(InvalidStringError(
          path.Child("max"), max.ToString(),
          dra::StrCat("max is larger than capacity value: ", capacity.ToString())));
    }
    if (default_value.Compare(max) > 0) {
      errs.push_back(InvalidStringError(path.Child("default"), default_value.ToString(),
                                        dra::StrCat("default is more than max: ", max.ToString())));
    }
  }
  if (range.step.has_value()) {
    const Quantity& step = *range.step;
    if (step.Sign() <= 0) {
      errs.push_back(
          InvalidStringError(path.Child("step"), step.ToString(), "must be greater than zero"));
      return errs;
    }
    Quantity added = min.Add(step);
    if (added.Compare(capacity) > 0) {
      errs.push_back(
          InvalidStringError(path.Child("step"), step.ToString(),
                             dra::StrCat("one step ", added.ToString(),
                                         " is larger than capacity value: ", capacity.ToString())));
    }
    bool unsafe = false;
    const std::pair<const Quantity*, std::string_view> bounds[] = {
        {&default_value, "default"},
        {&min, "min"},
        {range.max.has_value() ? &*range.max : nullptr, "max"},
        {&step, "step"}};
    for (const auto& [q, name] : bounds) {
      if (q == nullptr) continue;
      Errs e = ValidateInt64Range(*q, path.Child(name));
      unsafe |= !e.empty();
      Append(errs, std::move(e));
    }
    if (!unsafe) {
      Append(errs, ValidateRangeStep(default_value, min, step, path.Child("step")));
      if (range.max.has_value()) {
        Append(errs, ValidateRangeStep(*range.max, min, step, path.Child("step")));
      }
    }
  }
  return errs;
}

Errs ValidateRequestPolicy(const Quantity& capacity, const CapacityRequestPolicy& policy,
                           const FieldPath& path) {
  Errs errs;
  if (!policy.valid_values.empty() && policy.valid_range.has_value()) {
    errs.push_back(ForbiddenError(path,
                                  "exactly one policy can be specified, cannot specify "
                                  "\"validValues\" and \"validRange\" at the same time"));
  } else if (!policy.valid_values.empty()) {
    if (!policy.default_.has_value()) {
      errs.push_back(RequiredError(path.Child("default"), "required when validValues is defined"));
    } else {
      Append(errs, ValidateValidValues(*policy.default_, capacity, policy.valid_values,
                                       path.Child("validValues")));
    }
  } else if (policy.valid_range.has_value()) {
    if (!policy.default_.has_value()) {
      errs.push_back(RequiredError(path.Child("default"), "required when validRange is defined"));
    } else {
      Append(errs, ValidateValidRange(*policy.default_, capacity, *policy.valid_range,
                                      path.Child("validRange")));
    }
  }
  return errs;
}

Errs ValidateCounterName(const std::string& name, const FieldPath& path) {
  return ValidateDNS1123Label(name, path);
}

Errs NoErrors(const Counter&, const FieldPath&) { return {}; }

Errs ValidateCounterSet(const CounterSet& set, const FieldPath& path) {
  Errs errs;
  if (set.name.empty()) {
    errs.push_back(RequiredError(path.Child("name")));
  } else {
    Append(errs, ValidateCounterName(set.name, path.Child("name")));
  }
  if (set.counters.empty()) {
    errs.push_back(RequiredError(path.Child("counters")));
  } else {
    CheckMap(errs, set.counters, kResourceSliceMaxCountersPerCounterSet, kDns1123LabelMaxLength,
             path.Child("counters"), ValidateCounterName, NoErrors);
  }
  return errs;
}

Errs ValidateCounterConsumption(const DeviceCounterConsumption& c, const FieldPath& path) {
  Errs errs;
  if (c.counter_set.empty()) {
    errs.push_back(RequiredError(path.Child("counterSet")));
  } else {
    Append(errs, ValidateCounterName(c.counter_set, path.Child("counterSet")));
  }
  if (c.counters.empty()) {
    errs.push_back(RequiredError(path.Child("counters")));
  } else {
    CheckMap(errs, c.counters, kResourceSliceMaxCountersPerDeviceCounterConsumption,
             kDns1123LabelMaxLength, path.Child("counters"), ValidateCounterName, NoErrors);
  }
  return errs;
}

// Node-allocatable resource names (not extended resources): cpu, memory, ephemeral-storage and
// hugepages-<size>.
bool IsNodeAllocatableResourceName(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
         (name.rfind("hugepages-", 0) == 0 && name.size() > 10);
}

Errs ValidateNodeAllocatableResourceMappings(
    const std::map<std::string, NodeAllocatableResourceMapping>& mappings,
    const std::map<std::string, DeviceCapacity>& capacity, const FieldPath& path) {
  Errs errs;
  for (const auto& [name, mapping] : mappings) {
    FieldPath kp = path.Key(name);
    if (!IsNodeAllocatableResourceName(name)) {
      errs.push_back(InvalidStringError(kp, name, "must be a node allocatable resource name"));
    }
    if (mapping.capacity_key.has_value()) {
      if (mapping.capacity_key->empty()) {
        errs.push_back(InvalidStringError(kp.Child("capacityKey"), "",
                                          "capacityKey must not be an empty string"));
      } else if (!capacity.contains(*mapping.capacity_key)) {
        errs.push_back(NotFoundValueError(kp.Child("capacityKey"), *mapping.capacity_key));
      }
    }
    if (mapping.allocation_multiplier.has_value() && mapping.allocation_multiplier->Sign() <= 0) {
      errs.push_back(InvalidStringError(kp.Child("allocationMultiplier"),
                                        mapping.allocation_multiplier->ToString(),
                                        "must be positive"));
    }
  }
  return errs;
}

const char* const kPerDeviceSelectionMsg =
    "exactly one of `nodeName`, `nodeSelector`, or `allNodes` is required when "
    "`perDeviceNodeSelection` is set to true in the ResourceSlice spec";

Errs ValidateDevice(const Device& d, const Device* old, const FieldPath& path,
                    bool per_device_node_selection) {
  Errs errs = ValidateDNS1123Label(d.name, path.Child("name"));
  int attrs_and_caps = static_cast<int>(d.attributes.size() + d.capacity.size());
  if (attrs_and_caps > kResourceSliceMaxAttributesAndCapacitiesPerDevice) {
    errs.push_back(InvalidError(path, I(attrs_and_caps),
                                dra::StrCat("the total number of attributes and capacities must "
                                            "not exceed ",
                                            kResourceSliceMaxAttributesAndCapacitiesPerDevice)));
  }
  int values = NumAttributeValues(d);
  if (values > kResourceSliceMaxAttributeValuesPerDevice) {
    errs.push_back(InvalidError(path, I(values),
                                dra::StrCat("the total number of attribute values must not exceed ",
                                            kResourceSliceMaxAttributeValuesPerDevice)));
  }
  auto qualified = [](const std::string& k, const FieldPath& p) {
    return ValidateQualifiedName(k, p);
  };
  CheckMap(errs, d.attributes, -1, kAttributeAndCapacityMaxKeyLength, path.Child("attributes"),
           qualified, ValidateDeviceAttribute);
  if (old == nullptr || !(old->capacity == d.capacity)) {
    bool multi = d.allow_multiple_allocations.value_or(false);
    CheckMap(
        errs, d.capacity, -1, kAttributeAndCapacityMaxKeyLength, path.Child("capacity"), qualified,
        [&](const DeviceCapacity& c, const FieldPath& p) {
          Errs e;
          if (!c.request_policy.has_value()) return e;
          if (multi) {
            Append(e, ValidateRequestPolicy(c.value, *c.request_policy, p.Child("requestPolicy")));
          } else {
            e.push_back(
                ForbiddenError(p.Child("requestPolicy"), "allowMultipleAllocations must be true"));
          }
          return e;
        });
  }
  if (old == nullptr || !(old->taints == d.taints)) {
    CheckSlice(errs, d.taints, kDeviceTaintsMaxLength, path.Child("taints"),
               [](const DeviceTaint& t, const FieldPath& p) {
                 return ValidateDeviceTaint(t, nullptr, p);
               });
  }
  CheckSet(errs, d.consumes_counters, kResourceSliceMaxDeviceCounterConsumptionsPerDevice,
           path.Child("consumesCounters"), ValidateCounterConsumption,
           [](const DeviceCounterConsumption& c) { return Q(c.counter_set); });

  if (per_device_node_selection) {
    std::vector<std::string> set_fields;
    if (d.node_name.has_value()) {
      if (!d.node_name->empty()) {
        set_fields.push_back("`nodeName`");
        Append(errs, ValidateNodeName(*d.node_name, path.Child("nodeName")));
      } else {
        errs.push_back(InvalidStringError(path.Child("nodeName"), "", "must not be empty"));
      }
    }
    if (d.node_selector.has_value()) {
      set_fields.push_back("`nodeSelector`");
      Append(errs, ValidateNodeSelector(*d.node_selector, path.Child("nodeSelector")));
    }
    if (d.all_nodes.has_value()) {
      if (*d.all_nodes) {
        set_fields.push_back("`allNodes`");
      } else {
        errs.push_back(
            InvalidError(path.Child("allNodes"), B(false), "must be either unset or set to true"));
      }
    }
    if (set_fields.empty()) {
      errs.push_back(RequiredError(path, kPerDeviceSelectionMsg));
    } else if (set_fields.size() > 1) {
      errs.push_back(InvalidStringError(path, dra::StrCat("{", dra::StrJoin(set_fields, ", "), "}"),
                                        kPerDeviceSelectionMsg));
    }
  } else if (d.node_name.has_value() || d.node_selector.has_value() || d.all_nodes.has_value()) {
    errs.push_back(InvalidError(path, std::string(kNull),
                                "`nodeName`, `nodeSelector` and `allNodes` can only be set if "
                                "`perDeviceNodeSelection` is set to true in the ResourceSlice "
                                "spec"));
  }
  Append(errs, ValidateBindingParameters(d.binding_conditions, d.binding_failure_conditions, path));
  Append(errs,
         ValidateNodeAllocatableResourceMappings(d.node_allocatable_resource_mappings, d.capacity,
                                                 path.Child("nodeAllocatableResourceMappings")));
  return errs;
}

const Device* LookupDevice(const ResourceSliceSpec* spec, const std::string& name) {
  if (spec == nullptr) return nullptr;
  for (const auto& d : spec->devices) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const char* const kNodeSelectionMsg =
    "exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required";

Errs ValidateResourceSliceSpec(const ResourceSliceSpec& spec, const ResourceSliceSpec* old,
                               const FieldPath& path) {
  Errs errs = ValidateDriverName(spec.driver, path.Child("driver"));
  FieldPath pp = path.Child("pool");
  Append(errs, ValidatePoolName(spec.pool.name, pp.Child("name")));
  if (spec.pool.resource_slice_count <= 0) {
    errs.push_back(InvalidError(pp.Child("resourceSliceCount"), I(spec.pool.resource_slice_count),
                                "must be greater than zero"));
  }
  if (spec.pool.generation < 0) {
    errs.push_back(InvalidError(pp.Child("generation"), I(spec.pool.generation),
                                "must be greater than or equal to zero"));
  }
  if (old != nullptr) {
    if (spec.pool.name != old->pool.name) {
      errs.push_back(InvalidError(pp.Child("name"), Q(spec.pool.name), std::string(kImmutable)));
    }
    if (spec.driver != old->driver) {
      errs.push_back(InvalidError(path.Child("driver"), Q(spec.driver), std::string(kImmutable)));
    }
    if (spec.node_name != old->node_name) {
      errs.push_back(InvalidError(path.Child("nodeName"), OptionalString(spec.node_name),
                                  std::string(kImmutable)));
    }
  }

  std::vector<std::string> set_fields;
  if (spec.node_name.has_value()) {
    if (!spec.node_name->empty()) {
      set_fields.push_back("`nodeName`");
      Append(errs, ValidateNodeName(*spec.node_name, path.Child("nodeName")));
    } else {
      errs.push_back(InvalidStringError(path.Child("nodeName"), "",
                                        "must be either unset or set to a non-empty string"));
    }
  }
  if (spec.node_selector.has_value()) {
    set_fields.push_back("`nodeSelector`");
    FieldPath sp = path.Child("nodeSelector");
    Append(errs, ValidateNodeSelector(*spec.node_selector, sp));
    if (spec.node_selector->node_selector_terms.size() != 1) {
      errs.push_back(InvalidError(sp.Child("nodeSelectorTerms"),
                                  Go(spec.node_selector->node_selector_terms),
                                  "must have exactly one node selector term"));
    }
  }
  if (spec.all_nodes.has_value()) {
    if (*spec.all_nodes) {
      set_fields.push_back("`allNodes`");
    } else {
      errs.push_back(
          InvalidError(path.Child("allNodes"), B(false), "must be either unset or set to true"));
    }
  }
  if (spec.per_device_node_selection.has_value()) {
    if (*spec.per_device_node_selection) {
      set_fields.push_back("`perDeviceNodeSelection`");
    } else {
      errs.push_back(InvalidError(path.Child("perDeviceNodeSelection"), B(false),
                                  "must be either unset or set to true"));
    }
  }
  if (set_fields.empty()) {
    errs.push_back(RequiredError(path, kNodeSelectionMsg));
  } else if (set_fields.size() > 1) {
    errs.push_back(
        InvalidStringError(path, dra::StrCat("{", dra::StrJoin(set_fields, ", "), "}"),
                           dra::StrCat(kNodeSelectionMsg, ", but multiple fields are set")));
  }

  if (!spec.shared_counters.empty() && !spec.devices.empty()) {
    errs.push_back(
        InvalidStringError(path, "", "only one of `sharedCounters` or `devices` is allowed"));
  }

  bool advanced = false;
  for (const auto& d : spec.devices) {
    if (!d.taints.empty() || !d.consumes_counters.empty()) advanced = true;
    for (const auto& [name, a] : d.attributes) advanced |= HasListValues(a);
  }
  int max_devices =
      advanced ? kResourceSliceMaxDevicesWithAdvancedFeatures : kResourceSliceMaxDevices;
  bool per_device = spec.per_device_node_selection.value_or(false);
  CheckSet(
      errs, spec.devices, max_devices, path.Child("devices"),
      [&](const Device& d, const FieldPath& p) {
        return ValidateDevice(d, LookupDevice(old, d.name), p, per_device);
      },
      [](const Device& d) { return Q(d.name); });
  CheckSet(errs, spec.shared_counters, kResourceSliceMaxCounterSets, path.Child("sharedCounters"),
           ValidateCounterSet, [](const CounterSet& s) { return Q(s.name); });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// DeviceClass.

// v1helper.IsExtendedResourceName.
bool IsExtendedResourceName(std::string_view name) {
  if (name.find('/') == std::string_view::npos ||
      name.find("kubernetes.io/") != std::string_view::npos || name.rfind("requests.", 0) == 0) {
    return false;
  }
  return IsQualifiedName(dra::StrCat("requests.", name)).empty();
}

Errs ValidateDeviceClassSpec(const DeviceClassSpec& spec, const FieldPath& path,
                             const ValidationOptions& options) {
  Errs errs = ValidateSelectors(spec.selectors, path.Child("selectors"), options);
  CheckSlice(errs, spec.config, kDeviceConfigMaxSize, path.Child("config"),
             [](const DeviceClassConfiguration& c, const FieldPath& p) {
               return ValidateOpaque(c.opaque, p);
             });
  if (spec.extended_resource_name.has_value() &&
      !IsExtendedResourceName(*spec.extended_resource_name)) {
    errs.push_back(InvalidStringError(path.Child("extendedResourceName"),
                                      *spec.extended_resource_name,
                                      "must be a valid extended resource name"));
  }
  return errs;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Entry points.

FieldErrorList ValidateDeviceClass(const DeviceClass& object, const ValidationOptions& options) {
  Errs errs = ValidateDeviceClassMeta(object.metadata, FieldPath("metadata"));
  Append(errs, ValidateDeviceClassSpec(object.spec, FieldPath("spec"), options));
  return errs;
}

FieldErrorList ValidateResourceSlice(const ResourceSlice& object,
                                     const ValidationOptions& /*options*/) {
  Errs errs = ValidateObjectMeta(object.metadata, /*namespaced=*/false, /*name_is_label=*/false,
                                 FieldPath("metadata"));
  Append(errs, ValidateResourceSliceSpec(object.spec, nullptr, FieldPath("spec")));
  return errs;
}

FieldErrorList ValidateResourceClaim(const ResourceClaim& object,
                                     const ValidationOptions& options) {
  Errs errs = ValidateObjectMeta(object.metadata, /*namespaced=*/true, /*name_is_label=*/false,
                                 FieldPath("metadata"));
  Append(errs,
         ValidateDeviceClaim(object.spec.devices, FieldPath("spec").Child("devices"), options));
  return errs;
}

FieldErrorList ValidateResourceClaimTemplate(const ResourceClaimTemplate& object,
                                             const ValidationOptions& options) {
  Errs errs = ValidateObjectMeta(object.metadata, /*namespaced=*/true, /*name_is_label=*/false,
                                 FieldPath("metadata"));
  FieldPath spec("spec");
  Append(errs, ValidateTemplateObjectMeta(object.spec.metadata, spec.Child("metadata")));
  Append(errs, ValidateDeviceClaim(object.spec.spec.devices, spec.Child("spec").Child("devices"),
                                   options));
  return errs;
}

FieldErrorList ValidateDeviceTaintRule(const DeviceTaintRule& object,
                                       const ValidationOptions& /*options*/) {
  Errs errs = ValidateObjectMeta(object.metadata, /*namespaced=*/false, /*name_is_label=*/false,
                                 FieldPath("metadata"));
  FieldPath spec("spec");
  if (object.spec.device_selector.has_value()) {
    const DeviceTaintSelector& s = *object.spec.device_selector;
    FieldPath sp = spec.Child("deviceSelector");
    if (s.driver.has_value()) Append(errs, ValidateDriverName(*s.driver, sp.Child("driver")));
    if (s.pool.has_value()) Append(errs, ValidatePoolName(*s.pool, sp.Child("pool")));
    if (s.device.has_value()) Append(errs, ValidateDNS1123Label(*s.device, sp.Child("device")));
  }
  Append(errs, ValidateDeviceTaint(object.spec.taint, nullptr, spec.Child("taint")));
  return errs;
}

FieldErrorList ValidateResourceClaimUpdate(const ResourceClaim& updated, const ResourceClaim& old,
                                           const ValidationOptions& /*options*/) {
  FieldPath meta("metadata");
  Errs errs =
      ValidateObjectMeta(updated.metadata, /*namespaced=*/true, /*name_is_label=*/false, meta);
  Append(errs, ValidateMetaUpdate(updated.metadata, old.metadata, meta));
  // The spec is immutable; only that is checked, as upstream does.
  if (!(updated.spec == old.spec)) {
    errs.push_back(InvalidError(FieldPath("spec"), Go(updated.spec), std::string(kImmutable)));
  }
  return errs;
}

FieldErrorList ValidateResourceClaimStatusUpdate(const ResourceClaim& updated,
                                                 const ResourceClaim& old,
                                                 const ValidationOptions& /*options*/) {
  Errs errs = ValidateMetaUpdate(updated.metadata, old.metadata, FieldPath("metadata"));
  RequestNames names = GatherRequestNames(updated.spec.devices);
  Append(errs, ValidateClaimStatus(updated.status, old.status,
                                   updated.metadata.deletion_timestamp.has_value(), names,
                                   FieldPath("status")));
  return errs;
}

FieldErrorList ValidateResourceSliceUpdate(const ResourceSlice& updated, const ResourceSlice& old,
                                           const ValidationOptions& /*options*/) {
  Errs errs = ValidateMetaUpdate(updated.metadata, old.metadata, FieldPath("metadata"));
  Append(errs, ValidateResourceSliceSpec(updated.spec, &old.spec, FieldPath("spec")));
  return errs;
}

FieldErrorList ValidateResourceClaimTemplateUpdate(const ResourceClaimTemplate& updated,
                                                   const ResourceClaimTemplate& old,
                                                   const ValidationOptions& /*options*/) {
  Errs errs = ValidateMetaUpdate(updated.metadata, old.metadata, FieldPath("metadata"));
  if (!(updated.spec == old.spec)) {
    errs.push_back(InvalidError(FieldPath("spec"), Go(updated.spec), std::string(kImmutable)));
  }
  return errs;
}

}  // namespace dra::api
