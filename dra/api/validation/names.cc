// Name, label and object metadata rules with the API server's messages.
//
// Contracts (see names.h): the Is* functions return upstream's messages in upstream's order;
// ValidateObjectMeta is k8s.io/kubernetes pkg/apis/core/validation.ValidateObjectMeta (the
// apimachinery checks plus the legacy finalizer-name check). Two message families exist upstream
// and are kept apart here: k8s.io/apimachinery/pkg/util/validation (DNS labels and subdomains,
// "must be no more than N characters") and pkg/api/validate/content (label keys and values, "must
// be no more than N bytes"). Patterns are matched by hand instead of with std::regex; each
// matcher states the regular expression it implements.
#include "dra/api/validation/names.h"

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dra/base/strings.h"

namespace dra::api {
namespace {

constexpr std::string_view kDns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDns1123LabelErrMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr std::string_view kDns1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1123SubdomainErrMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr std::string_view kCIdentifierFmt = "[A-Za-z_][A-Za-z0-9_]*";
constexpr std::string_view kCIdentifierErrMsg =
    "a valid C identifier must start with alphabetic character or '_', followed by a string of "
    "alphanumeric characters or '_'";
constexpr std::string_view kLabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kLabelKeyErrMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelValueErrMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";

constexpr int kDns1123LabelMaxLength = 63;
constexpr int kDns1123SubdomainMaxLength = 253;
constexpr int kLabelKeyNameMaxLength = 63;
constexpr int kLabelValueMaxLength = 63;
constexpr int64_t kTotalAnnotationSizeLimit = 256 * 1024;
constexpr int kFieldManagerMaxLength = 128;
constexpr int kMaxSubresourceNameLength = 256;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool MatchesDns1123Label(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// Labels of MatchesDns1123Label joined by '.'.
bool MatchesDns1123Subdomain(std::string_view s) {
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!MatchesDns1123Label(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool MatchesLabelKeyName(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// Messages of upstream's RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is
// 're')`.
std::string RegexError(std::string_view msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  if (examples.size() == 0) {
    dra::StrAppend(&out, " (regex used for validation is '", fmt, "')");
    return out;
  }
  out += " (e.g. ";
  bool first = true;
  for (std::string_view e : examples) {
    if (!first) out += " or ";
    first = false;
    dra::StrAppend(&out, "'", e, "', ");
  }
  dra::StrAppend(&out, "regex used for validation is '", fmt, "')");
  return out;
}

std::string MaxLenCharacters(int n) {
  return dra::StrCat("must be no more than ", n, " characters");
}
std::string MaxLenBytes(int n) { return dra::StrCat("must be no more than ", n, " bytes"); }

// content.IsDNS1123Subdomain: as IsDNS1123Subdomain but with the "bytes" length message.
std::vector<std::string> ContentIsDNS1123Subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errs.push_back(MaxLenBytes(kDns1123SubdomainMaxLength));
  }
  if (!MatchesDns1123Subdomain(value)) {
    errs.push_back(RegexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// apimachinery's maskTrailingDash: generateName prefixes may end in '-'.
std::string MaskTrailingDash(std::string_view name) {
  if (name.size() > 1 && name.back() == '-') {
    return dra::StrCat(name.substr(0, name.size() - 2), "a");
  }
  return std::string(name);
}

std::vector<std::string> NameIsDNSSubdomain(std::string_view name, bool prefix) {
  if (prefix) return IsDNS1123Subdomain(MaskTrailingDash(name));
  return IsDNS1123Subdomain(name);
}

std::vector<std::string> NameIsDNSLabel(std::string_view name, bool prefix) {
  if (prefix) return IsDNS1123Label(MaskTrailingDash(name));
  return IsDNS1123Label(name);
}

// Go's JSON encoding of a []string (a nil slice is "null").
std::string JsonStringList(const std::vector<std::string>& list) {
  if (list.empty()) return "null";
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ",";
    out += QuoteValue(list[i]);
  }
  out += "]";
  return out;
}

std::string JsonOwnerReference(const OwnerReference& ref) {
  std::string out = dra::StrCat(
      "{\"apiVersion\":", QuoteValue(ref.api_version), ",\"kind\":", QuoteValue(ref.kind),
      ",\"name\":", QuoteValue(ref.name), ",\"uid\":", QuoteValue(ref.uid));
  if (ref.controller.has_value()) {
    dra::StrAppend(&out, ",\"controller\":", *ref.controller ? "true" : "false");
  }
  if (ref.block_owner_deletion.has_value()) {
    dra::StrAppend(&out, ",\"blockOwnerDeletion\":", *ref.block_owner_deletion ? "true" : "false");
  }
  out += "}";
  return out;
}

void Append(FieldErrorList& out, FieldErrorList more) {
  for (auto& e : more) out.push_back(std::move(e));
}

FieldErrorList ValidateAnnotations(const std::map<std::string, std::string>& annotations,
                                   const FieldPath& path) {
  FieldErrorList errs;
  int64_t total = 0;
  for (const auto& [k, v] : annotations) {
    for (auto& msg : IsQualifiedName(ToLower(k))) {
      errs.push_back(InvalidStringError(path, k, std::move(msg)));
    }
    total += static_cast<int64_t>(k.size() + v.size());
  }
  if (total > kTotalAnnotationSizeLimit)
    errs.push_back(TooLongError(path, kTotalAnnotationSizeLimit));
  return errs;
}

FieldErrorList ValidateOwnerReferences(const std::vector<OwnerReference>& refs,
                                       const FieldPath& path) {
  FieldErrorList errs;
  std::string first_controller;
  for (const auto& ref : refs) {
    // schema.FromAPIVersionAndKind: a group version with more than one '/' does not parse.
    std::string group;
    std::string version;
    size_t slashes = 0;
    for (char c : ref.api_version) slashes += c == '/';
    if (ref.api_version.empty() || ref.api_version == "/") {
      // Empty group version.
    } else if (slashes == 0) {
      version = ref.api_version;
    } else if (slashes == 1) {
      size_t i = ref.api_version.find('/');
      group = ref.api_version.substr(0, i);
      version = ref.api_version.substr(i + 1);
    }
    if (version.empty()) {
      errs.push_back(InvalidStringError(path.Child("apiVersion"), ref.api_version,
                                        "version must not be empty"));
    }
    if (ref.kind.empty()) {
      errs.push_back(InvalidStringError(path.Child("kind"), ref.kind, "must not be empty"));
    }
    if (ref.name.empty()) {
      errs.push_back(InvalidStringError(path.Child("name"), ref.name, "must not be empty"));
    }
    if (ref.uid.empty()) {
      errs.push_back(InvalidStringError(path.Child("uid"), ref.uid, "must not be empty"));
    }
    if (group.empty() && version == "v1" && ref.kind == "Event") {
      errs.push_back(InvalidError(path, JsonOwnerReference(ref),
                                  "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (ref.controller.value_or(false)) {
      std::string current = dra::StrCat(ref.kind, "/", ref.name);
      if (!first_controller.empty()) {
        std::string all = "[";
        for (size_t i = 0; i < refs.size(); ++i) {
          if (i > 0) all += ",";
          all += JsonOwnerReference(refs[i]);
        }
        all += "]";
        errs.push_back(InvalidError(
            path, all,
            dra::StrCat("Only one reference can have Controller set to true. Found \"true\" in "
                        "references for ",
                        first_controller, " and ", current)));
      } else {
        first_controller = current;
      }
    }
  }
  return errs;
}

FieldErrorList ValidateFinalizers(const std::vector<std::string>& finalizers,
                                  const FieldPath& path) {
  FieldErrorList errs;
  bool orphan = false;
  bool foreground = false;
  for (const auto& f : finalizers) {
    for (auto& msg : IsQualifiedName(f))
      errs.push_back(InvalidStringError(path, f, std::move(msg)));
    orphan |= f == kFinalizerOrphanDependents;
    foreground |= f == kFinalizerDeleteDependents;
  }
  if (orphan && foreground) {
    errs.push_back(InvalidError(path, JsonStringList(finalizers),
                                "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point (U+FFFD for invalid bytes) and
// advances i.
uint32_t DecodeRune(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t r = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    r = (r << 6) | (byte(i + k) & 0x3F);
  }
  i += len;
  return r;
}

// unicode.IsPrint for the characters that matter here: ASCII controls, DEL and the C1 controls
// are not printable; U+0020 (space) is.
bool IsPrintRune(uint32_t r) { return !(r < 0x20 || (r >= 0x7F && r < 0xA0)); }

FieldErrorList ValidateFieldManager(const std::string& manager, const FieldPath& path) {
  FieldErrorList errs;
  if (static_cast<int>(manager.size()) > kFieldManagerMaxLength) {
    errs.push_back(TooLongError(path, kFieldManagerMaxLength));
  }
  size_t i = 0;
  while (i < manager.size()) {
    size_t pos = i;
    uint32_t r = DecodeRune(manager, i);
    if (!IsPrintRune(r)) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "U+%04X", r);
      errs.push_back(InvalidStringError(
          path, manager, dra::StrCat("invalid character ", buf, " (at position ", pos, ")")));
    }
  }
  return errs;
}

FieldErrorList ValidateManagedFields(const std::vector<ManagedFieldsEntry>& entries,
                                     const FieldPath& path) {
  FieldErrorList errs;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    FieldPath p = path.Index(static_cast<int64_t>(i));
    if (e.operation != "Apply" && e.operation != "Update") {
      errs.push_back(
          InvalidStringError(p.Child("operation"), e.operation, "must be `Apply` or `Update`"));
    }
    if (!e.fields_type.empty() && e.fields_type != "FieldsV1") {
      errs.push_back(
          InvalidStringError(p.Child("fieldsType"), e.fields_type, "must be `FieldsV1`"));
    }
    Append(errs, ValidateFieldManager(e.manager, p.Child("manager")));
    if (static_cast<int>(e.subresource.size()) > kMaxSubresourceNameLength) {
      errs.push_back(TooLongError(p.Child("subresource"), kMaxSubresourceNameLength));
    }
  }
  return errs;
}

}  // namespace

std::vector<std::string> IsDNS1123Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123LabelMaxLength)
    errs.push_back(MaxLenCharacters(kDns1123LabelMaxLength));
  if (!MatchesDns1123Label(value)) {
    if (MatchesDns1123Subdomain(value)) {
      errs.push_back("must not contain dots");
    } else {
      errs.push_back(RegexError(kDns1123LabelErrMsg, kDns1123LabelFmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

std::vector<std::string> IsDNS1123Subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errs.push_back(MaxLenCharacters(kDns1123SubdomainMaxLength));
  }
  if (!MatchesDns1123Subdomain(value)) {
    errs.push_back(RegexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

std::vector<std::string> IsCIdentifier(std::string_view value) {
  bool ok = !value.empty() && !(value.front() >= '0' && value.front() <= '9');
  for (char c : value) {
    if (!IsAlnum(c) && c != '_') ok = false;
  }
  if (ok) return {};
  return {RegexError(kCIdentifierErrMsg, kCIdentifierFmt, {"my_name", "MY_NAME", "MyName"})};
}

std::vector<std::string> IsQualifiedName(std::string_view value) {
  std::vector<std::string> errs;
  std::string_view name;
  size_t slashes = 0;
  for (char c : value) slashes += c == '/';
  if (slashes == 0) {
    name = value;
  } else if (slashes == 1) {
    size_t i = value.find('/');
    std::string_view prefix = value.substr(0, i);
    name = value.substr(i + 1);
    if (prefix.empty()) {
      errs.push_back("prefix part must be non-empty");
    } else {
      for (auto& msg : ContentIsDNS1123Subdomain(prefix)) {
        errs.push_back(dra::StrCat("prefix part ", msg));
      }
    }
  } else {
    errs.push_back(
        dra::StrCat("a valid label key ",
                    RegexError(kLabelKeyErrMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"}),
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
    return errs;
  }
  if (name.empty()) {
    errs.push_back("name part must be non-empty");
  } else if (name.size() > kLabelKeyNameMaxLength) {
    errs.push_back(dra::StrCat("name part ", MaxLenBytes(kLabelKeyNameMaxLength)));
  }
  if (!MatchesLabelKeyName(name)) {
    errs.push_back(dra::StrCat(
        "name part ", RegexError(kLabelKeyErrMsg, kLabelKeyFmt, {"MyName", "my.name", "123-abc"})));
  }
  return errs;
}

std::vector<std::string> IsValidLabelValue(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kLabelValueMaxLength) errs.push_back(MaxLenBytes(kLabelValueMaxLength));
  if (!value.empty() && !MatchesLabelKeyName(value)) {
    errs.push_back(RegexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

FieldErrorList ValidateLabels(const std::map<std::string, std::string>& labels,
                              const FieldPath& path) {
  FieldErrorList errs;
  for (const auto& [k, v] : labels) {
    for (auto& msg : IsQualifiedName(k))
      errs.push_back(InvalidStringError(path, k, std::move(msg)));
    for (auto& msg : IsValidLabelValue(v))
      errs.push_back(InvalidStringError(path, v, std::move(msg)));
  }
  return errs;
}

FieldErrorList ValidateObjectMeta(const ObjectMeta& meta, bool namespaced, bool name_is_label,
                                  const FieldPath& path) {
  auto name_fn = name_is_label ? NameIsDNSLabel : NameIsDNSSubdomain;
  FieldErrorList errs;
  if (!meta.generate_name.empty()) {
    for (auto& msg : name_fn(meta.generate_name, true)) {
      errs.push_back(InvalidStringError(path.Child("generateName"), meta.generate_name, msg));
    }
  }
  if (meta.name.empty()) {
    errs.push_back(RequiredError(path.Child("name"), "name or generateName is required"));
  } else {
    for (auto& msg : name_fn(meta.name, false)) {
      errs.push_back(InvalidStringError(path.Child("name"), meta.name, msg));
    }
  }
  if (namespaced) {
    if (meta.namespace_.empty()) {
      errs.push_back(RequiredError(path.Child("namespace")));
    } else {
      for (auto& msg : NameIsDNSLabel(meta.namespace_, false)) {
        errs.push_back(InvalidStringError(path.Child("namespace"), meta.namespace_, msg));
      }
    }
  } else if (!meta.namespace_.empty()) {
    errs.push_back(ForbiddenError(path.Child("namespace"), "not allowed on this type"));
  }
  if (meta.generation < 0) {
    errs.push_back(InvalidError(path.Child("generation"), dra::StrCat(meta.generation),
                                "must be greater than or equal to 0"));
  }
  Append(errs, ValidateLabels(meta.labels, path.Child("labels")));
  Append(errs, ValidateAnnotations(meta.annotations, path.Child("annotations")));
  Append(errs, ValidateOwnerReferences(meta.owner_references, path.Child("ownerReferences")));
  Append(errs, ValidateFinalizers(meta.finalizers, path.Child("finalizers")));
  Append(errs, ValidateManagedFields(meta.managed_fields, path.Child("managedFields")));
  // pkg/apis/core/validation: legacy finalizer names must be one of the standard ones.
  for (size_t i = 0; i < meta.finalizers.size(); ++i) {
    const std::string& f = meta.finalizers[i];
    if (f.find('/') == std::string::npos && f != "kubernetes" && f != kFinalizerOrphanDependents &&
        f != kFinalizerDeleteDependents) {
      errs.push_back(InvalidStringError(path.Child("finalizers").Index(static_cast<int64_t>(i)), f,
                                        "name is neither a standard finalizer name nor is it fully "
                                        "qualified"));
    }
  }
  return errs;
}

}  // namespace dra::api
