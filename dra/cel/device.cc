#include "dra/cel/device.h"

#include <map>
#include <string>

#include "dra/base/semver.h"
#include "dra/base/strings.h"
#include "dra/cel/library/k8s_values.h"

namespace dra::cel {
namespace {

// A map from domain to a map of ids; any domain it does not have reads as the empty map.
class DomainsMap final : public MapValue {
 public:
  std::map<std::string, RefPtr<VectorMapValue>, std::less<>> domains;

  size_t Size() const override { return domains.size(); }
  std::optional<Value> Find(const Value& key) const override {
    if (key.kind() == ValueKind::kString) return FindField(key.string_view());
    return Value::MapView(Empty());
  }
  std::optional<Value> FindField(std::string_view name) const override {
    auto it = domains.find(name);
    if (it == domains.end()) return Value::MapView(Empty());
    return Value::MapView(it->second.get());
  }
  bool Contains(const Value& key) const override {
    return key.kind() == ValueKind::kString && domains.count(key.string_view()) > 0;
  }
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override {
    for (const auto& [domain, ids] : domains) {
      if (!fn(Value::StringView(domain), Value::MapView(ids.get()))) return;
    }
  }

  VectorMapValue& Domain(std::string_view domain) {
    auto it = domains.find(domain);
    if (it == domains.end()) {
      it = domains.emplace(std::string(domain), MakeRef<VectorMapValue>()).first;
    }
    return *it->second;
  }

 private:
  static const VectorMapValue* Empty() {
    static const VectorMapValue* empty = new VectorMapValue();
    return empty;
  }
};

class DeviceMap final : public MapValue {
 public:
  std::string driver;
  DomainsMap attributes;
  DomainsMap capacity;
  bool allow_multiple_allocations = false;

  size_t Size() const override { return 4; }
  std::optional<Value> Find(const Value& key) const override {
    if (key.kind() != ValueKind::kString) return std::nullopt;
    return FindField(key.string_view());
  }
  std::optional<Value> FindField(std::string_view name) const override {
    if (name == "driver") return Value::StringView(driver);
    if (name == "attributes") return Value::MapView(&attributes);
    if (name == "capacity") return Value::MapView(&capacity);
    if (name == "allowMultipleAllocations") return Value::Bool(allow_multiple_allocations);
    return std::nullopt;
  }
  void ForEach(absl::FunctionRef<bool(const Value&, const Value&)> fn) const override {
    for (std::string_view name : {"driver", "attributes", "capacity", "allowMultipleAllocations"}) {
      if (!fn(Value::StringView(name), *FindField(name))) return;
    }
  }
};

absl::StatusOr<Value> SemverOf(std::string_view qualified, const std::string& text) {
  auto version = SemVer::Parse(text);
  if (!version.ok()) {
    return absl::InvalidArgumentError(
        StrCat("attribute ", qualified, ": parse semantic version: ", version.status().message()));
  }
  return SemverValue(*version);
}

absl::StatusOr<Value> AttributeValue(std::string_view qualified, const api::DeviceAttribute& a) {
  if (a.int_.has_value()) return Value::Int(*a.int_);
  if (a.bool_.has_value()) return Value::Bool(*a.bool_);
  if (a.string_.has_value()) return Value::String(*a.string_);
  if (a.version.has_value()) return SemverOf(qualified, *a.version);
  std::vector<Value> items;
  if (!a.ints.empty()) {
    for (int64_t i : a.ints) items.push_back(Value::Int(i));
  } else if (!a.bools.empty()) {
    for (bool b : a.bools) items.push_back(Value::Bool(b));
  } else if (!a.strings.empty()) {
    for (const auto& s : a.strings) items.push_back(Value::String(s));
  } else if (!a.versions.empty()) {
    for (const auto& v : a.versions) {
      auto value = SemverOf(qualified, v);
      if (!value.ok()) return value.status();
      items.push_back(*std::move(value));
    }
  } else {
    return absl::InvalidArgumentError(StrCat("attribute ", qualified, ": no value"));
  }
  return Value::List(MakeRef<VectorListValue>(std::move(items)));
}

}  // namespace

struct DeviceBinding::Data {
  DeviceMap device;
};

std::pair<std::string_view, std::string_view> DeviceBinding::SplitQualifiedName(
    std::string_view name, std::string_view driver) {
  size_t slash = name.find('/');
  if (slash == std::string_view::npos) return {driver, name};
  return {name.substr(0, slash), name.substr(slash + 1)};
}

absl::StatusOr<DeviceBinding> DeviceBinding::Create(std::string_view driver,
                                                    const api::Device& device) {
  auto data = std::make_shared<Data>();
  DeviceMap& d = data->device;
  d.driver = std::string(driver);
  d.allow_multiple_allocations = device.allow_multiple_allocations.value_or(false);
  for (const auto& [name, attribute] : device.attributes) {
    auto value = AttributeValue(name, attribute);
    if (!value.ok()) return value.status();
    auto [domain, id] = SplitQualifiedName(name, driver);
    d.attributes.Domain(domain).Put(Value::String(id), *std::move(value));
  }
  for (const auto& [name, capacity] : device.capacity) {
    auto [domain, id] = SplitQualifiedName(name, driver);
    d.capacity.Domain(domain).Put(Value::String(id), QuantityValue(capacity.value));
  }
  return DeviceBinding(std::move(data));
}

Value DeviceBinding::value() const { return Value::MapView(&data_->device); }

}  // namespace dra::cel
