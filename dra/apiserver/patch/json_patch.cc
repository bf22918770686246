// RFC 6902 JSON patch and RFC 7386 JSON merge patch.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dra/api/value.h"
#include "dra/apiserver/patch/patch.h"
#include "dra/base/status.h"
#include "dra/base/strings.h"

namespace dra::apiserver {
namespace {

using api::Value;

constexpr std::string_view kMissing = ": missing value";
constexpr std::string_view kInvalidIndex = ": invalid index referenced";

absl::Status Unprocessable(std::string message) {
  return absl::FailedPreconditionError(std::move(message));
}

// RFC 6901: "~1" -> "/", then "~0" -> "~".
std::string DecodeToken(std::string_view token) {
  return StrReplaceAll(token, {{"~1", "/"}, {"~0", "~"}});
}

// Go's strconv.Atoi on an array index token.
absl::StatusOr<int64_t> ParseIndex(std::string_view key) {
  int64_t v = 0;
  std::string_view digits = key;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  bool ok = !digits.empty();
  for (char c : digits) ok = ok && c >= '0' && c <= '9';
  if (ok) {
    std::string_view parse = key[0] == '+' ? key.substr(1) : key;
    auto [ptr, ec] = std::from_chars(parse.data(), parse.data() + parse.size(), v);
    if (ec == std::errc()) return v;
    return absl::FailedPreconditionError(
        StrCat("strconv.Atoi: parsing ", GoQuote(key), ": value out of range"));
  }
  return absl::FailedPreconditionError(
      StrCat("strconv.Atoi: parsing ", GoQuote(key), ": invalid syntax"));
}

// Resolves an existing index of `array` (negative indices count from the end).
absl::StatusOr<size_t> ExistingIndex(const Value& array, std::string_view key) {
  DRA_ASSIGN_OR_RETURN(int64_t idx, ParseIndex(key));
  const int64_t size = static_cast<int64_t>(array.items().size());
  const int64_t original = idx;
  if (idx < 0) {
    if (idx < -size) {
      return absl::FailedPreconditionError(
          StrCat("Unable to access invalid index: ", original, kInvalidIndex));
    }
    idx += size;
  }
  if (idx >= size) {
    return absl::FailedPreconditionError(
        StrCat("Unable to access invalid index: ", original, kInvalidIndex));
  }
  return static_cast<size_t>(idx);
}

// The container holding the value a pointer addresses, and the last (decoded) token; nullptr when
// an intermediate value is missing or a scalar, or the pointer has no token.
Value* FindParent(Value& doc, std::string_view path, std::string* key) {
  if (path.empty() || path[0] != '/') {
    // "" or a token without the leading slash: evanphx finds no container.
    if (path.find('/') == std::string_view::npos) return nullptr;
  }
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() < 2) return nullptr;
  Value* current = &doc;
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    std::string token = DecodeToken(parts[i]);
    Value* next = nullptr;
    if (current->is_object()) {
      next = current->FindMutable(token);
    } else if (current->is_array()) {
      auto idx = ExistingIndex(*current, token);
      if (idx.ok()) next = &current->mutable_items()[*idx];
    }
    if (next == nullptr || !(next->is_object() || next->is_array())) return nullptr;
    current = next;
  }
  *key = DecodeToken(parts.back());
  return current;
}

absl::Status AddAt(Value& container, const std::string& key, Value value) {
  if (container.is_object()) {
    container.Set(key, std::move(value));
    return absl::OkStatus();
  }
  auto& items = container.mutable_items();
  if (key == "-") {
    items.push_back(std::move(value));
    return absl::OkStatus();
  }
  auto parsed = ParseIndex(key);
  if (!parsed.ok()) {
    return Unprocessable(
        StrCat("value was not a proper array index: '", key, "': ", parsed.status().message()));
  }
  int64_t idx = *parsed;
  const int64_t size = static_cast<int64_t>(items.size()) + 1;
  if (idx >= size) {
    return Unprocessable(StrCat("Unable to access invalid index: ", idx, kInvalidIndex));
  }
  if (idx < 0) {
    if (idx < -size) {
      return Unprocessable(StrCat("Unable to access invalid index: ", idx, kInvalidIndex));
    }
    idx += size;
  }
  items.insert(items.begin() + idx, std::move(value));
  return absl::OkStatus();
}

absl::Status RemoveAt(Value& container, const std::string& key, Value* removed) {
  if (container.is_object()) {
    std::optional<Value> old = container.Remove(key);
    if (!old.has_value()) {
      return Unprocessable(StrCat("Unable to remove nonexistent key: ", key, kMissing));
    }
    if (removed != nullptr) *removed = std::move(*old);
    return absl::OkStatus();
  }
  auto idx = ExistingIndex(container, key);
  if (!idx.ok()) return idx.status();
  auto& items = container.mutable_items();
  if (removed != nullptr) *removed = std::move(items[*idx]);
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(*idx));
  return absl::OkStatus();
}

// The value at container[key]; nullptr (with OK) for a missing object member.
absl::StatusOr<Value*> GetAt(Value& container, const std::string& key) {
  if (container.is_object()) return container.FindMutable(key);
  DRA_ASSIGN_OR_RETURN(size_t idx, ExistingIndex(container, key));
  return &container.mutable_items()[idx];
}

absl::Status Wrap(const absl::Status& status, std::string_view prefix) {
  return Unprocessable(StrCat(prefix, status.message()));
}

// The string member `name` of an operation; nullopt when absent or not a string.
std::optional<std::string> StringMember(const Value& op, std::string_view name) {
  const Value* v = op.Find(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->text();
}

absl::Status ApplyOperation(Value& doc, const Value& op) {
  std::string kind = StringMember(op, "op").value_or("unknown");
  const Value* value_ptr = op.Find("value");
  Value value = value_ptr != nullptr ? *value_ptr : Value::Null();
  std::optional<std::string> path = StringMember(op, "path");
  std::string key;
  if (kind == "add") {
    if (!path) return Unprocessable(StrCat("add operation failed to decode path", kMissing));
    Value* con = FindParent(doc, *path, &key);
    if (con == nullptr) {
      return Unprocessable(
          StrCat("add operation does not apply: doc is missing path: \"", *path, "\"", kMissing));
    }
    absl::Status s = AddAt(*con, key, std::move(value));
    if (!s.ok()) return Wrap(s, StrCat("error in add for path: '", *path, "': "));
    return absl::OkStatus();
  }
  if (kind == "remove") {
    if (!path) return Unprocessable(StrCat("remove operation failed to decode path", kMissing));
    Value* con = FindParent(doc, *path, &key);
    if (con == nullptr) {
      return Unprocessable(StrCat("remove operation does not apply: doc is missing path: \"", *path,
                                  "\"", kMissing));
    }
    absl::Status s = RemoveAt(*con, key, nullptr);
    if (!s.ok()) return Wrap(s, StrCat("error in remove for path: '", *path, "': "));
    return absl::OkStatus();
  }
  if (kind == "replace") {
    if (!path) return Unprocessable(StrCat("replace operation failed to decode path", kMissing));
    Value* con = FindParent(doc, *path, &key);
    if (con == nullptr) {
      return Unprocessable(
          StrCat("replace operation does not apply: doc is missing path: ", *path, kMissing));
    }
    auto existing = GetAt(*con, key);
    if (!existing.ok()) {
      return Unprocessable(
          StrCat("replace operation does not apply: doc is missing key: ", *path, kMissing));
    }
    if (*existing != nullptr) {
      **existing = std::move(value);
    } else {
      con->Set(key, std::move(value));
    }
    return absl::OkStatus();
  }
  if (kind == "move" || kind == "copy") {
    std::optional<std::string> from = StringMember(op, "from");
    if (!from) {
      return Unprocessable(StrCat(
          kind, " operation failed to decode from: operation, missing from field", kMissing));
    }
    Value* con = FindParent(doc, *from, &key);
    if (con == nullptr) {
      return Unprocessable(
          StrCat(kind, " operation does not apply: doc is missing from path: ", *from, kMissing));
    }
    Value moved;
    if (kind == "move") {
      absl::Status s = RemoveAt(*con, key, &moved);
      if (!s.ok()) return Wrap(s, StrCat("error in move for path: '", key, "': "));
    } else {
      auto got = GetAt(*con, key);
      if (!got.ok()) return Wrap(got.status(), StrCat("error in copy for from: '", *from, "': "));
      if (*got == nullptr) {
        return Unprocessable(
            StrCat("copy operation does not apply: doc is missing from path: ", *from, kMissing));
      }
      moved = **got;
    }
    if (!path) return Unprocessable(StrCat(kind, " operation failed to decode path", kMissing));
    Value* dest = FindParent(doc, *path, &key);
    if (dest == nullptr) {
      return Unprocessable(StrCat(
          kind, " operation does not apply: doc is missing destination path: ", *path, kMissing));
    }
    absl::Status s = AddAt(*dest, key, std::move(moved));
    if (!s.ok()) {
      return Wrap(s, kind == "move" ? StrCat("error in move for path: '", *path, "': ")
                                    : std::string("error while adding value during copy: "));
    }
    return absl::OkStatus();
  }
  if (kind == "test") {
    if (!path) return Unprocessable(StrCat("test operation failed to decode path", kMissing));
    std::string failed = StrCat("testing value ", *path, " failed: test failed");
    if (path->empty()) {
      if (doc == value) return absl::OkStatus();
      return Unprocessable(failed);
    }
    Value* con = FindParent(doc, *path, &key);
    if (con == nullptr) {
      return Unprocessable(
          StrCat("test operation does not apply: is missing path: ", *path, kMissing));
    }
    auto got = GetAt(*con, key);
    if (!got.ok()) return Wrap(got.status(), StrCat("error in test for path: '", *path, "': "));
    if (*got == nullptr) {
      if (value.is_null()) return absl::OkStatus();
      return Unprocessable(failed);
    }
    if (value_ptr == nullptr || !(**got == value)) return Unprocessable(failed);
    return absl::OkStatus();
  }
  return Unprocessable(StrCat("Unexpected kind: ", kind));
}

Value MergePatchValue(const Value* target, const Value& patch) {
  if (!patch.is_object()) return patch;
  Value result = (target != nullptr && target->is_object()) ? *target : Value::Object();
  for (const auto& [key, value] : patch.members()) {
    if (value.is_null()) {
      result.Remove(key);
      continue;
    }
    Value merged = MergePatchValue(result.Find(key), value);
    result.Set(key, std::move(merged));
  }
  return result;
}

}  // namespace

absl::StatusOr<api::Value> ApplyJsonPatch(const api::Value& document, const api::Value& patch) {
  if (!patch.is_array()) {
    return absl::InvalidArgumentError(StrCat("json: cannot unmarshal ", patch.KindName(),
                                             " into Go value of type jsonpatch.Patch"));
  }
  for (const Value& op : patch.items()) {
    if (!op.is_object()) {
      return absl::InvalidArgumentError(StrCat("json: cannot unmarshal ", op.KindName(),
                                               " into Go value of type jsonpatch.Operation"));
    }
  }
  Value doc = document;
  for (const Value& op : patch.items()) {
    DRA_RETURN_IF_ERROR(ApplyOperation(doc, op));
  }
  return doc;
}

absl::StatusOr<api::Value> ApplyMergePatch(const api::Value& document, const api::Value& patch) {
  if (!patch.is_object()) return absl::InvalidArgumentError("Invalid JSON Patch");
  return MergePatchValue(&document, patch);
}

}  // namespace dra::apiserver
